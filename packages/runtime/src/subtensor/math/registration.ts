import { fxDiv, fxFromF64, fxMul, I64F64, U64F64 } from '@taoscript/codec';

/**
 * Registration prices, bit-exact to subtensor 14bc6f9f: the neuron burn's per-block Q32 half-life
 * decay and per-registration bump (subnets/registration.rs, utils/misc.rs), and the network lock
 * cost (coinbase/root.rs `get_network_lock_cost`, `get_lock_reduction_interval`).
 */

const U64_MAX = (1n << 64n) - 1n;
const Q32_ONE = 1n << 32n;
const Q32_HALF = 1n << 31n;

/** `DefaultBurnHalfLife`: 360 blocks. */
export const DEFAULT_BURN_HALF_LIFE = 360;
/** `MaxBurnHalfLife`: 36_100 blocks. */
export const MAX_BURN_HALF_LIFE = 36_100;
/** `DefaultBurnIncreaseMult`: U64F64::from_num(1.26), as raw bits. */
export const DEFAULT_BURN_INCREASE_MULT: bigint = fxFromF64(U64F64, 1.26);
/** `DefaultNeuronBurnCost`: 1 TAO. */
export const DEFAULT_BURN = 1_000_000_000n;
/** Runtime `InitialNetworkLockReductionInterval`: 14 days of blocks. */
export const DEFAULT_NETWORK_LOCK_REDUCTION_INTERVAL = 14n * 7200n;

function assertU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

function assertU16(v: unknown, what: string): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${what}: expected a number, got ${typeof v}`);
  if (!Number.isInteger(v) || v < 0 || v > 65535) {
    throw new RangeError(`${what}: expected an integer in [0, 65535], got ${v}`);
  }
}

function assertBool(v: unknown, what: string): asserts v is boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${what}: expected a boolean, got ${typeof v}`);
}

function clamp(v: bigint, min: bigint, max: bigint): bigint {
  let r = v;
  if (r < min) r = min;
  if (r > max) r = max;
  return r;
}

const mulQ32 = (value: bigint, factor: bigint): bigint => {
  const shifted = (value * factor) >> 32n;
  return shifted > U64_MAX ? U64_MAX : shifted;
};

/**
 * `mul_by_q32`: (value · factor) >> 32, clamped to u64.
 * @example
 * import { mulByQ32 } from '@taoscript/runtime';
 * mulByQ32(1000n, 1n << 31n); // 500n
 */
export function mulByQ32(value: bigint, factorQ32: bigint): bigint {
  assertU64(value, 'mulByQ32 value');
  assertU64(factorQ32, 'mulByQ32 factorQ32');
  return mulQ32(value, factorQ32);
}

function powQ32Raw(base: bigint, exp: number): bigint {
  let result = Q32_ONE;
  let factor = base;
  let power = exp;
  while (power > 0) {
    if ((power & 1) === 1) result = mulQ32(result, factor);
    power >>>= 1;
    if (power > 0) factor = mulQ32(factor, factor);
  }
  return result;
}

/**
 * `pow_q32`: base^exp in Q32 by squaring, each product through `mul_by_q32`.
 * @example
 * import { powQ32 } from '@taoscript/runtime';
 * powQ32(1n << 31n, 2); // 1n << 30n
 */
export function powQ32(baseQ32: bigint, exp: number): bigint {
  assertU64(baseQ32, 'powQ32 baseQ32');
  assertU16(exp, 'powQ32 exp');
  return powQ32Raw(baseQ32, exp);
}

const factorCache = new Map<number, bigint>();

/**
 * `decay_factor_q32`: the per-block Q32 factor f with f^halfLife ≈ 1/2.
 *
 * The largest Q32 f < 1 with pow_q32(f, halfLife) ≤ 0.5 (binary search); 1.0 for halfLife 0.
 * @example
 * import { decayFactorQ32 } from '@taoscript/runtime';
 * decayFactorQ32(1); // 2147483648n
 */
export function decayFactorQ32(halfLife: number): bigint {
  assertU16(halfLife, 'decayFactorQ32 halfLife');
  if (halfLife === 0) return Q32_ONE;
  const cached = factorCache.get(halfLife);
  if (cached !== undefined) return cached;
  let lo = 0n;
  let hi = Q32_ONE;
  while (lo + 1n < hi) {
    const mid = lo + ((hi - lo) >> 1n);
    if (powQ32Raw(mid, halfLife) > Q32_HALF) hi = mid;
    else lo = mid;
  }
  factorCache.set(halfLife, lo);
  return lo;
}

/** Inputs of the per-block burn decay. */
export type DecayBurnParameters = {
  /** `Burn[netuid]`. */
  readonly burn: bigint;
  readonly minBurn: bigint;
  readonly maxBurn: bigint;
  /** `BurnHalfLife[netuid]` (u16). */
  readonly halfLife: number;
  /** The block being initialised; no decay at block ≤ 1. */
  readonly currentBlock: bigint;
};

/**
 * Per-block burn decay of `update_registration_prices_for_networks` for one subnet.
 *
 * Applies to every subnet, root included: burn · f(halfLife) in Q32 (skipped when halfLife = 0
 * or block ≤ 1), then clamped to [minBurn, maxBurn] (max wins if min > max). Upstream writes
 * `Burn` only when the value changed.
 * @example
 * import { decayBurn } from '@taoscript/runtime';
 * decayBurn({ burn: 1024n, minBurn: 0n, maxBurn: 1n << 60n, halfLife: 2, currentBlock: 10n });
 * // 724n
 */
export function decayBurn(p: DecayBurnParameters): bigint {
  if (typeof p !== 'object' || p === null) throw new TypeError('decayBurn: expected an object');
  assertU64(p.burn, 'decayBurn burn');
  assertU64(p.minBurn, 'decayBurn minBurn');
  assertU64(p.maxBurn, 'decayBurn maxBurn');
  assertU16(p.halfLife, 'decayBurn halfLife');
  assertU64(p.currentBlock, 'decayBurn currentBlock');
  let burn = p.burn;
  if (p.halfLife > 0 && p.currentBlock > 1n) burn = mulQ32(burn, decayFactorQ32(p.halfLife));
  return clamp(burn, p.minBurn, p.maxBurn);
}

/** Inputs of the per-registration burn bump. */
export type BumpBurnParameters = {
  readonly burn: bigint;
  readonly minBurn: bigint;
  readonly maxBurn: bigint;
  /** `BurnIncreaseMult[netuid]` as U64F64 raw bits (default 1.26). */
  readonly increaseMult: bigint;
  /** Root (netuid 0) skips the bump entirely. */
  readonly isRoot: boolean;
};

/**
 * `bump_registration_price_after_registration`: burn × max(mult, 1), clamped.
 *
 * floor(burn · max(mult, 1)) in U64F64, clamped to [minBurn, maxBurn]; on root the burn is
 * returned unchanged (no clamp either).
 * @example
 * import { bumpBurnAfterRegistration, DEFAULT_BURN_INCREASE_MULT } from '@taoscript/runtime';
 * const increaseMult = DEFAULT_BURN_INCREASE_MULT;
 * const bounds = { minBurn: 0n, maxBurn: 1n << 60n };
 * bumpBurnAfterRegistration({ burn: 10n ** 9n, ...bounds, increaseMult, isRoot: false });
 * // 1260000000n
 */
export function bumpBurnAfterRegistration(p: BumpBurnParameters): bigint {
  if (typeof p !== 'object' || p === null) {
    throw new TypeError('bumpBurnAfterRegistration: expected an object');
  }
  assertU64(p.burn, 'bumpBurnAfterRegistration burn');
  assertU64(p.minBurn, 'bumpBurnAfterRegistration minBurn');
  assertU64(p.maxBurn, 'bumpBurnAfterRegistration maxBurn');
  if (typeof p.increaseMult !== 'bigint') {
    throw new TypeError('bumpBurnAfterRegistration increaseMult: expected U64F64 raw bits');
  }
  if (p.increaseMult < 0n || p.increaseMult > U64F64.max) {
    throw new RangeError('bumpBurnAfterRegistration increaseMult: outside the U64F64 range');
  }
  assertBool(p.isRoot, 'bumpBurnAfterRegistration isRoot');
  if (p.isRoot) return p.burn;
  let mult = p.increaseMult;
  if (mult < U64F64.one) mult = U64F64.one;
  const product = fxMul(U64F64, p.burn << 64n, mult) >> 64n;
  return clamp(product > U64_MAX ? U64_MAX : product, p.minBurn, p.maxBurn);
}

/**
 * `get_lock_reduction_interval`: the stored interval scaled by the emission halving.
 *
 * The stored interval scaled by the emission halving, floor(interval · (blockEmission / 1e9)) in
 * I64F64 (pass 1e9 when emission is unavailable).
 * @example
 * import { lockReductionInterval } from '@taoscript/runtime';
 * lockReductionInterval(100_800n, 500_000_000n); // 50400n
 */
export function lockReductionInterval(interval: bigint, blockEmission: bigint): bigint {
  assertU64(interval, 'lockReductionInterval interval');
  assertU64(blockEmission, 'lockReductionInterval blockEmission');
  const toI64F64 = (v: bigint): bigint => (v > I64F64.max >> 64n ? I64F64.max : v << 64n);
  const halving = fxDiv(I64F64, toI64F64(blockEmission), 1_000_000_000n << 64n);
  const halved = fxMul(I64F64, toI64F64(interval), halving);
  const whole = halved >> 64n;
  return whole < 0n ? 0n : whole > U64_MAX ? U64_MAX : whole;
}

/** Inputs of the network lock cost. */
export type NetworkLockCostParameters = {
  /** `NetworkLastLockCost`. */
  readonly lastLock: bigint;
  /** `NetworkMinLockCost`. */
  readonly minLock: bigint;
  /** `LastRateLimitedBlock[NetworkLastRegistered]` (0 = never). */
  readonly lastLockBlock: bigint;
  readonly currentBlock: bigint;
  /** The effective interval, i.e. `lockReductionInterval(...)`'s result. */
  readonly reductionInterval: bigint;
};

/**
 * `get_network_lock_cost`: doubled last lock, decaying linearly to the floor.
 *
 * lastLock·(1 if lastLockBlock = 0 else 2) − (lastLock / interval)·(now − lastLockBlock),
 * saturating, integer division first (0 if the interval is 0), floored at minLock.
 * @example
 * import { networkLockCost } from '@taoscript/runtime';
 * networkLockCost({
 *   lastLock: 1000n, minLock: 100n, lastLockBlock: 10n, currentBlock: 60n, reductionInterval: 100n,
 * }); // 1500n
 */
export function networkLockCost(p: NetworkLockCostParameters): bigint {
  if (typeof p !== 'object' || p === null) {
    throw new TypeError('networkLockCost: expected an object');
  }
  assertU64(p.lastLock, 'networkLockCost lastLock');
  assertU64(p.minLock, 'networkLockCost minLock');
  assertU64(p.lastLockBlock, 'networkLockCost lastLockBlock');
  assertU64(p.currentBlock, 'networkLockCost currentBlock');
  assertU64(p.reductionInterval, 'networkLockCost reductionInterval');
  const sat = (v: bigint): bigint => (v > U64_MAX ? U64_MAX : v < 0n ? 0n : v);
  const mult = p.lastLockBlock === 0n ? 1n : 2n;
  const perBlock = p.reductionInterval === 0n ? 0n : p.lastLock / p.reductionInterval;
  const elapsed = sat(p.currentBlock - p.lastLockBlock);
  const cost = sat(sat(p.lastLock * mult) - sat(perBlock * elapsed));
  if (cost < p.minLock) return p.minLock;
  return cost;
}
