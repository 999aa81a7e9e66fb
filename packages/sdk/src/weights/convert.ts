/**
 * Float weights to the u16 values the chain stores, exactly as the Python SDK converts them
 * (bittensor 10.2.0 `convert_weights_and_uids_for_emit` and `convert_maybe_split_to_u16`), so
 * commit hashes and stored weights agree with a Python validator's bit for bit.
 */

/** Largest u16, the value the heaviest weight is scaled to. */
export const U16_MAX = 65_535;
/** Longest uid/weight vector accepted (a subnet has at most 65 535 uids). */
export const MAX_WEIGHTS_LENGTH = 65_536;

/** Precision the weights had in Python: numpy float32 (the usual) or float64. */
export type WeightsDtype = 'float32' | 'float64';

/** Options of {@link convertWeightsAndUidsForEmit}. */
export interface ConvertWeightsOptions {
  /**
   * `float32` rounds every weight to float32 first, as numpy does for Python lists and validator
   * score arrays. Default: `float64` for a `Float64Array`, `float32` for anything else.
   */
  dtype?: WeightsDtype;
}

/** The converted vectors: uids whose weight rounds to 0 are dropped with their weight. */
export interface ConvertWeightsReturnType {
  uids: number[];
  weights: number[];
}

/**
 * Python's `round()` for a double: nearest integer, exact halves to the even neighbour.
 * @example
 * import { roundHalfEven } from '@taoscript/sdk';
 * roundHalfEven(2.5); // 2
 * roundHalfEven(3.5); // 4
 */
export function roundHalfEven(x: number): number {
  if (typeof x !== 'number')
    throw new TypeError(`roundHalfEven: expected a number, got ${typeof x}`);
  if (!Number.isFinite(x)) throw new RangeError(`roundHalfEven: cannot round ${x}`);
  const f = Math.floor(x);
  const d = x - f; // exact: x and f share an exponent range for every finite double
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function isNumberList(x: unknown): x is ArrayLike<number> {
  return (
    Array.isArray(x) ||
    x instanceof Float32Array ||
    x instanceof Float64Array ||
    x instanceof Uint16Array ||
    x instanceof Uint32Array ||
    x instanceof Uint8Array ||
    x instanceof Int32Array
  );
}

function checkList(x: unknown, what: string): ArrayLike<number> {
  if (!isNumberList(x)) throw new TypeError(`${what} must be an array of numbers`);
  if (x.length > MAX_WEIGHTS_LENGTH)
    throw new RangeError(`${what} has ${x.length} entries; at most ${MAX_WEIGHTS_LENGTH}`);
  for (let i = 0; i < x.length; i++)
    if (typeof x[i] !== 'number') throw new TypeError(`${what}[${i}] is not a number`);
  return x;
}

/**
 * Converts float weights to the u16 vector `set_weights` sends: rejects negative weights or uids
 * and length mismatches, returns empty vectors when every weight is 0, scales so the largest is
 * 65 535 (division and product in float64), rounds half to even and drops zeros with their uid.
 * Throws RangeError for NaN/infinite weights, non-integer or out-of-range uids and empty input.
 * @example
 * import { convertWeightsAndUidsForEmit } from '@taoscript/sdk';
 * convertWeightsAndUidsForEmit([0, 1, 2, 3], [0.1, 0.2, 0.3, 0.4]);
 * // { uids: [0, 1, 2, 3], weights: [16384, 32768, 49151, 65535] }
 */
export function convertWeightsAndUidsForEmit(
  uids: ArrayLike<number>,
  weights: ArrayLike<number>,
  options: ConvertWeightsOptions = {},
): ConvertWeightsReturnType {
  const u = checkList(uids, 'uids');
  const w = checkList(weights, 'weights');
  if (typeof options !== 'object' || options === null)
    throw new TypeError('options must be an object');
  const dtype = options.dtype ?? (weights instanceof Float64Array ? 'float64' : 'float32');
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new RangeError(`dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  if (w.length === 0 || u.length === 0) throw new RangeError('uids and weights must not be empty');
  const values: number[] = new Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const raw = w[i] as number;
    const v = dtype === 'float32' ? Math.fround(raw) : raw;
    if (!Number.isFinite(v))
      throw new RangeError(`weights[${i}] is ${raw}; weights must be finite`);
    values[i] = v;
  }
  // Python's order of checks: negative weight, negative uid, then the lengths.
  for (let i = 0; i < values.length; i++)
    if ((values[i] as number) < 0)
      throw new RangeError(`Passed weight is negative: weights[${i}] = ${values[i]}`);
  for (let i = 0; i < u.length; i++) {
    const id = u[i] as number;
    if (!Number.isInteger(id)) throw new RangeError(`uids[${i}] is ${id}; uids must be integers`);
    if (id < 0) throw new RangeError(`Passed uid is negative: uids[${i}] = ${id}`);
    if (id > U16_MAX)
      throw new RangeError(`uids[${i}] is ${id}; uids are u16 (at most ${U16_MAX})`);
  }
  if (u.length !== values.length)
    throw new RangeError(
      `Passed weights and uids must have the same length, got ${u.length} uids and ${values.length} weights`,
    );
  let max = 0;
  for (const v of values) if (v > max) max = v;
  // Every weight is finite and non-negative, so they sum to 0 exactly when the largest is 0.
  if (max === 0) return { uids: [], weights: [] };
  const outUids: number[] = [];
  const outWeights: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const scaled = roundHalfEven(((values[i] as number) / max) * U16_MAX);
    if (scaled < 0 || scaled > U16_MAX) throw new RangeError(`weight ${i} scaled to ${scaled}`);
    if (scaled !== 0) {
      outUids.push(u[i] as number);
      outWeights.push(scaled);
    }
  }
  return { uids: outUids, weights: outWeights };
}

/**
 * A mechanism emission split to u16 shares summing to exactly 65 535: normalise to sum 1, round
 * half to even, then take the excess off (or add the shortfall to) the first largest share.
 * @example
 * import { convertMaybeSplitToU16 } from '@taoscript/sdk';
 * convertMaybeSplitToU16([1, 1]); // [32767, 32768]
 */
export function convertMaybeSplitToU16(split: ArrayLike<number>): number[] {
  const s = checkList(split, 'split');
  if (s.length === 0) throw new RangeError('split must not be empty');
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = s[i] as number;
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`split[${i}] is ${v}; shares must be finite and non-negative`);
    total += v;
  }
  if (!(total > 0) || !Number.isFinite(total))
    throw new RangeError('split must have a positive, finite sum');
  const out: number[] = new Array(s.length);
  let sum = 0;
  let maxAt = 0;
  for (let i = 0; i < s.length; i++) {
    const v = roundHalfEven(((s[i] as number) / total) * U16_MAX);
    out[i] = v;
    sum += v;
    if (v > (out[maxAt] as number)) maxAt = i;
  }
  out[maxAt] = (out[maxAt] as number) - (sum - U16_MAX);
  return out;
}
