/**
 * The validator's numbers (sdk.md §6.4): the moving average of rewards, weights from scores, and
 * the choice of miners to query. Pure functions; the validator class wires them to the chain.
 */

/** A source of uniform numbers in [0, 1) (`Math.random` fits). */
export type RandomSource = () => number;

/**
 * A seeded random source (sfc32 over a 128-bit state mixed from the seed), for reproducible
 * miner sampling in tests and simulations.
 * @example
 * import { seededRandom } from '@taoscript/subnet';
 * const rng = seededRandom(42);
 * rng(); // the same number on every run
 */
export function seededRandom(seed: number): RandomSource {
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a safe integer');
  // splitmix32 spreads the seed over four words.
  let s = seed >>> 0;
  let hi = Math.floor(seed / 2 ** 32) >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) | 0;
    hi = (hi ^ s) >>> 0;
    let z = s ^ hi;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function checkUids(uids: ArrayLike<number>, n: number, what = 'uids'): void {
  for (let i = 0; i < uids.length; i++) {
    const u = uids[i];
    if (typeof u !== 'number' || !Number.isInteger(u) || u < 0 || u >= n)
      throw new RangeError(`${what}[${i}] = ${String(u)} is not a uid in 0..${n - 1}`);
  }
}

/**
 * The template's score update: non-finite rewards (NaN) become 0, rewards are scattered into a
 * zero vector at `uids` (a repeated uid keeps its last reward), then
 * `α · scattered + (1 − α) · scores` for every uid. Returns a new array.
 * @example
 * import { updateMovingAverage } from '@taoscript/subnet';
 * updateMovingAverage(new Float64Array([1, 1]), [0.5], [1], 0.1); // [0.9, 0.95]
 */
export function updateMovingAverage(
  scores: Float64Array,
  rewards: ArrayLike<number>,
  uids: ArrayLike<number>,
  alpha: number,
): Float64Array {
  if (!(scores instanceof Float64Array)) throw new TypeError('scores must be a Float64Array');
  if (typeof rewards?.length !== 'number' || typeof uids?.length !== 'number')
    throw new TypeError('rewards and uids must be arrays');
  if (rewards.length !== uids.length)
    throw new RangeError(`${rewards.length} rewards for ${uids.length} uids`);
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1))
    throw new RangeError('alpha must be a number in 0..1');
  checkUids(uids, scores.length);
  const scattered = new Float64Array(scores.length);
  for (let i = 0; i < uids.length; i++) {
    const r = rewards[i];
    scattered[uids[i] as number] = typeof r === 'number' && Number.isFinite(r) ? r : 0;
  }
  const out = new Float64Array(scores.length);
  for (let u = 0; u < scores.length; u++) {
    const old = scores[u] as number;
    out[u] = alpha * (scattered[u] as number) + (1 - alpha) * (Number.isFinite(old) ? old : 0);
  }
  return out;
}

/**
 * L1-normalised scores (the validator's raw weights). When the sum of absolute values is 0 or
 * not a number the scores are returned as they are (divided by 1), as the template does; NaN
 * entries become 0.
 * @example
 * import { normalizeScores } from '@taoscript/subnet';
 * normalizeScores(new Float64Array([1, 3])); // [0.25, 0.75]
 */
export function normalizeScores(scores: ArrayLike<number>): Float64Array {
  if (typeof scores?.length !== 'number') throw new TypeError('scores must be an array');
  let norm = 0;
  for (let i = 0; i < scores.length; i++) norm += Math.abs(scores[i] as number);
  if (!(norm > 0) || !Number.isFinite(norm)) norm = 1;
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const v = (scores[i] as number) / norm;
    out[i] = Number.isFinite(v) ? v : 0;
  }
  return out;
}

/**
 * Caps every share of `weights` at `limit` (a fraction) and renormalises so they sum to 1:
 * the largest weights are cut to a common value `c` with `c = limit · Σ min(w, c)`. Uniform when
 * the weights are all zero or too few (`n · limit ≤ 1`, or so for the positive ones) to be capped.
 * @example
 * import { normalizeMaxWeight } from '@taoscript/subnet';
 * normalizeMaxWeight([8, 1, 1], 0.5); // [0.5, 0.25, 0.25]
 */
export function normalizeMaxWeight(weights: ArrayLike<number>, limit = 0.1): Float64Array {
  const n = weights.length;
  if (typeof limit !== 'number' || !(limit > 0 && limit <= 1))
    throw new RangeError('limit must be in (0, 1]');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weights[${i}] must be ≥ 0`);
    sum += w;
  }
  if (n === 0) return new Float64Array();
  let positive = 0;
  for (let i = 0; i < n; i++) if ((weights[i] as number) > 0) positive++;
  // Too few positive weights to respect the cap by cutting: spread evenly instead.
  if (sum === 0 || n * limit <= 1 || positive * limit <= 1) return new Float64Array(n).fill(1 / n);
  const out = Float64Array.from(weights as ArrayLike<number>);
  const sorted = Array.from(out).sort((x, y) => y - x);
  if ((sorted[0] as number) / sum <= limit) return out.map((w) => w / sum);
  // With the k largest cut to c: c = limit · (k · c + rest)  ⇒  c = limit · rest / (1 − limit · k).
  // The smallest k whose c reaches the next weight is the cut (it is then below the k-th).
  // Suffix sums from the smallest up (subtracting from the total would lose the small ones).
  const suffix = new Float64Array(n + 1);
  for (let k = n - 1; k >= 0; k--) suffix[k] = (suffix[k + 1] as number) + (sorted[k] as number);
  let cutoff: number | undefined;
  for (let k = 1; k < n && limit * k < 1; k++) {
    const rest = suffix[k] as number;
    const c = (limit * rest) / (1 - limit * k);
    if (c > 0 && c >= (sorted[k] as number) * (1 - 1e-12)) {
      cutoff = c;
      break;
    }
  }
  if (cutoff === undefined) return new Float64Array(n).fill(1 / n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.min(out[i] as number, cutoff);
    total += out[i] as number;
  }
  return out.map((w) => w / total);
}

/** What the chain allows for weight vectors (hyperparameters `min_allowed_weights`, `max_weights_limit`). */
export interface WeightLimits {
  /** Fewest non-zero weights the chain accepts. */
  minAllowedWeights: number;
  /** Largest share of one uid, as u16 (65535 = no cap). */
  maxWeightLimit: number;
}

/**
 * Prepares raw weights for the chain as Python's `process_weights_for_netuid` does (exclude
 * quantile 0): keep the positive weights; none, or a subnet smaller than `minAllowedWeights`,
 * gives uniform weights over all `n` uids; fewer than `minAllowedWeights` positive weights adds
 * 1e-5 to every uid; then shares are capped at `maxWeightLimit / 65535`.
 * @example
 * import { processWeightsForNetuid } from '@taoscript/subnet';
 * processWeightsForNetuid([0, 1, 2], [0, 0.25, 0.75], 3, { minAllowedWeights: 1, maxWeightLimit: 65535 });
 * // { uids: [1, 2], weights: [0.25, 0.75] }
 */
export function processWeightsForNetuid(
  uids: ArrayLike<number>,
  weights: ArrayLike<number>,
  n: number,
  limits: WeightLimits,
): { uids: number[]; weights: number[] } {
  if (!Number.isInteger(n) || n < 0 || n > 65_536) throw new RangeError('n must be in 0..65536');
  if (uids.length !== weights.length)
    throw new RangeError(`${weights.length} weights for ${uids.length} uids`);
  checkUids(uids, n);
  const { minAllowedWeights, maxWeightLimit } = limits;
  if (!Number.isInteger(minAllowedWeights) || minAllowedWeights < 0)
    throw new RangeError('minAllowedWeights must be a non-negative integer');
  if (!Number.isInteger(maxWeightLimit) || maxWeightLimit < 1 || maxWeightLimit > 65_535)
    throw new RangeError('maxWeightLimit must be in 1..65535');
  const limit = maxWeightLimit / 65_535;
  const nzUids: number[] = [];
  const nzWeights: number[] = [];
  for (let i = 0; i < uids.length; i++) {
    const w = weights[i] as number;
    if (w > 0 && Number.isFinite(w)) {
      nzUids.push(uids[i] as number);
      nzWeights.push(w);
    }
  }
  const all = Array.from({ length: n }, (_, i) => i);
  if (nzWeights.length === 0 || n < minAllowedWeights)
    return { uids: all, weights: all.map(() => 1 / n) };
  if (nzWeights.length < minAllowedWeights) {
    const padded = new Float64Array(n).fill(1e-5);
    nzUids.forEach((u, i) => {
      padded[u] = (padded[u] as number) + (nzWeights[i] as number);
    });
    return { uids: all, weights: Array.from(normalizeMaxWeight(padded, limit)) };
  }
  return { uids: nzUids, weights: Array.from(normalizeMaxWeight(nzWeights, limit)) };
}

/** What {@link sampleAvailableUids} needs to know about each uid (a metagraph fits). */
export interface UidCandidates {
  n: number;
  /** Whether each uid serves an axon. */
  axons: readonly { isServing: boolean }[];
  validatorPermit: readonly boolean[];
  /** Stake in TAO. */
  S: ArrayLike<number>;
}

/** Options of {@link sampleAvailableUids}. */
export interface SampleUidsOptions {
  /** Permitted validators with more stake (TAO) than this are not available. */
  vpermitTaoLimit: number;
  /** Never chosen (the caller's own uid). */
  self?: number;
  /** Chosen only when too few other uids are available. */
  exclude?: readonly number[];
  random?: RandomSource;
}

/**
 * The template's `get_random_uids`: up to `k` distinct uids that serve an axon and are not
 * validators above `vpermitTaoLimit` (nor `self`), preferring uids outside `exclude`.
 * @example
 * import { sampleAvailableUids, seededRandom } from '@taoscript/subnet';
 * sampleAvailableUids(metagraph, 10, { vpermitTaoLimit: 4096, self: myUid, random: seededRandom(1) });
 */
export function sampleAvailableUids(
  candidates: UidCandidates,
  k: number,
  opts: SampleUidsOptions,
): number[] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a non-negative integer');
  const random = opts.random ?? Math.random;
  const excluded = new Set(opts.exclude ?? []);
  const preferred: number[] = [];
  const fallback: number[] = [];
  for (let uid = 0; uid < candidates.n; uid++) {
    if (uid === opts.self) continue;
    if (!candidates.axons[uid]?.isServing) continue;
    if (candidates.validatorPermit[uid] && (candidates.S[uid] ?? 0) > opts.vpermitTaoLimit)
      continue;
    (excluded.has(uid) ? fallback : preferred).push(uid);
  }
  const take = Math.min(k, preferred.length + fallback.length);
  const pick = (from: number[], count: number) => {
    // Partial Fisher–Yates: the first `count` entries become a uniform sample.
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(random() * (from.length - i));
      [from[i], from[j]] = [from[j] as number, from[i] as number];
    }
    return from.slice(0, count);
  };
  const chosen = pick(preferred, Math.min(take, preferred.length));
  if (chosen.length < take) chosen.push(...pick(fallback, take - chosen.length));
  return chosen;
}
