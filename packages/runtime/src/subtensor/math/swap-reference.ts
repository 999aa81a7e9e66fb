/**
 * Reference implementation of safe-bigmath `SafeInt::pow_ratio_scaled`, kept as the previous, plain
 * transcription that the optimised `powRatioScaled` in swap.ts must match bit for bit. Used only
 * by tests (not exported from the package).
 */

function assertBig(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
}

const MAX_EXACT_EXPONENT = 1024n;
const DEFAULT_MAX_ITERS = 4096;
const GUARD_BITS = 24;
const U32_MAX = 0xffff_ffffn;

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function nthRootRatioFloor(num: bigint, den: bigint, q: bigint): bigint {
  if (q === 0n) return 0n;
  let low = 0n;
  let high = 1n;
  while (high ** q * den <= num) high <<= 1n;
  while (low < high) {
    const mid = (low + high + 1n) >> 1n;
    if (mid ** q * den <= num) low = mid;
    else high = mid - 1n;
  }
  return low;
}

/** Rounds value/guard to nearest, ties away from zero (truncating division, then adjust). */
function roundToPrecision(value: bigint, guard: bigint): bigint {
  let q = value / guard;
  const r = value - q * guard;
  const absR = r < 0n ? -r : r;
  if (r !== 0n && absR << 1n >= guard) q += r < 0n ? -1n : 1n;
  return q;
}

const absBig = (v: bigint): bigint => (v < 0n ? -v : v);

function ln1pFixed(x: bigint, scale: bigint, guard: bigint, maxIters: number): bigint {
  let term = x;
  let result = term;
  let prev = roundToPrecision(result, guard);
  for (let n = 2; n <= maxIters; n++) {
    term = floorDiv(term * x, scale);
    if (term === 0n) break;
    const next = floorDiv(term, BigInt(n));
    if (next === 0n) break;
    if (n % 2 === 0) result -= next;
    else result += next;
    const rounded = roundToPrecision(result, guard);
    if (absBig(next) < guard || rounded === prev) break;
    prev = rounded;
  }
  return result;
}

function expFixed(x: bigint, scale: bigint, guard: bigint, maxIters: number): bigint {
  let term = scale;
  let result = term;
  let prev = roundToPrecision(result, guard);
  for (let n = 1; n <= maxIters; n++) {
    term = floorDiv(term * x, scale * BigInt(n));
    if (term === 0n) break;
    result += term;
    const rounded = roundToPrecision(result, guard);
    if (absBig(term) < guard || rounded === prev) break;
    prev = rounded;
  }
  return result;
}

function lnBig(
  value: bigint,
  internalPrecision: number,
  internalScale: bigint,
  guard: bigint,
  lnTwo: bigint,
  maxIters: number,
): bigint {
  let shift = BigInt(bitLength(value) - 1);
  let mantissa = (value << BigInt(internalPrecision)) >> shift;
  if (mantissa >= internalScale + (internalScale >> 1n)) {
    mantissa >>= 1n;
    shift += 1n;
  }
  return ln1pFixed(mantissa - internalScale, internalScale, guard, maxIters) + lnTwo * shift;
}

const lnTwoCache = new Map<string, bigint>();

function lnTwoFor(internalScale: bigint, internalPrecision: number, guard: bigint, iters: number) {
  const key = `${internalPrecision}:${iters}`;
  let v = lnTwoCache.get(key);
  if (v === undefined) {
    v = -ln1pFixed(-(internalScale >> 1n), internalScale, guard, iters);
    lnTwoCache.set(key, v);
  }
  return v;
}

/**
 * The straightforward `pow_ratio_scaled` transcription `powRatioScaled` replaced (bisection roots,
 * bigint division by the power-of-two scales); the property tests compare the two bit for bit.
 * @example
 * import { powRatioScaledReference } from './swap-reference.js';
 * powRatioScaledReference(2n, 3n, 1n, 2n, 0, 1000n); // 816n
 */
export function powRatioScaledReference(
  baseNumerator: bigint,
  baseDenominator: bigint,
  exponentNumerator: bigint,
  exponentDenominator: bigint,
  precision: number,
  scale: bigint,
  maxIters?: number,
): bigint | undefined {
  assertBig(baseNumerator, 'powRatioScaled baseNumerator');
  assertBig(baseDenominator, 'powRatioScaled baseDenominator');
  assertBig(exponentNumerator, 'powRatioScaled exponentNumerator');
  assertBig(exponentDenominator, 'powRatioScaled exponentDenominator');
  assertBig(scale, 'powRatioScaled scale');
  if (!Number.isInteger(precision) || precision < 0 || precision > 0xffff_ffff) {
    throw new RangeError(`powRatioScaled precision: expected a u32, got ${precision}`);
  }
  if (maxIters !== undefined && (!Number.isInteger(maxIters) || maxIters < 0)) {
    throw new RangeError(`powRatioScaled maxIters: expected a non-negative integer`);
  }
  if (baseDenominator === 0n || exponentDenominator === 0n) return undefined;
  if (baseNumerator === 0n) return 0n;
  if (scale < 0n) return undefined;
  if (baseNumerator < 0n || baseDenominator < 0n) return undefined;
  if (exponentNumerator < 0n || exponentDenominator < 0n) return undefined;
  let en = exponentNumerator;
  let ed = exponentDenominator;
  if (en === 0n) return scale;
  const g = gcd(en, ed);
  if (g > 1n) {
    en /= g;
    ed /= g;
  }
  const scaleBits = bitLength(scale);
  if (en <= U32_MAX && ed <= U32_MAX && en <= MAX_EXACT_EXPONENT && ed <= MAX_EXACT_EXPONENT) {
    const num = baseNumerator ** en * scale ** ed;
    const den = baseDenominator ** en;
    return nthRootRatioFloor(num, den, ed);
  }
  // Guarded fixed-point ln/exp fallback.
  const requested = Math.max(precision, 32, Math.min(scaleBits + 8, 0xffff_ffff));
  const internalPrecision = requested + GUARD_BITS;
  const defaultIters = Math.min(DEFAULT_MAX_ITERS, internalPrecision + 128);
  const iters = Math.max(maxIters ?? defaultIters, 1);
  const targetScale = 1n << BigInt(requested);
  const guard = 1n << BigInt(GUARD_BITS);
  const internalScale = targetScale << BigInt(GUARD_BITS);
  const lnTwo = lnTwoFor(internalScale, internalPrecision, guard, iters);
  const lnNum = lnBig(baseNumerator, internalPrecision, internalScale, guard, lnTwo, iters);
  const lnDen = lnBig(baseDenominator, internalPrecision, internalScale, guard, lnTwo, iters);
  const lnScaled = floorDiv((lnNum - lnDen) * en, ed);
  const expFp = expFixed(lnScaled, internalScale, guard, iters);
  const expRequested = roundToPrecision(expFp, guard);
  return floorDiv(expRequested * scale, targetScale);
}
