import {
  type FixedType,
  fxAdd,
  fxDiv,
  fxMul,
  fxSub,
  I32F32,
  I64F64,
  I96F32,
  U64F64,
} from '@taoscript/codec';

/**
 * Conviction-lock roll-forward math, bit-exact to subtensor 14bc6f9f staking/lock.rs
 * (`ConvictionModel`): exponential unlock of the locked mass and conviction maturing toward it,
 * using substrate_fixed's `exp` on I64F64. Conviction is U64F64 raw bits; masses are u64 alpha.
 */

const U64_MAX = (1n << 64n) - 1n;

/** `LOCK_STATE_ZERO_THRESHOLD`: a state with mass and conviction both below this is dust. */
export const LOCK_STATE_ZERO_THRESHOLD = 100n;
/** `DefaultUnlockRate`: e-folding time of locked mass, in blocks. */
export const DEFAULT_UNLOCK_RATE = 934_866n;
/** `DefaultMaturityRate`: e-folding time of conviction, in blocks. */
export const DEFAULT_MATURITY_RATE = 934_866n;
/** `ONE_YEAR` in blocks (conviction-based ownership needs a subnet at least this old). */
export const ONE_YEAR = 7200n * 365n + 1800n;

/** One lock (or aggregate bucket): `LockState { locked_mass, conviction, last_update }`. */
export type LockState = {
  readonly lockedMass: bigint;
  /** U64F64 raw bits. */
  readonly conviction: bigint;
  readonly lastUpdate: bigint;
};

/** How a lock rolls: its rates and whether it is an owner lock and/or perpetual. */
export type RollParameters = {
  readonly unlockRate: bigint;
  readonly maturityRate: bigint;
  /** The lock points at the subnet owner hotkey: conviction = locked mass at once. */
  readonly ownerLock: boolean;
  /** Non-decaying lock (`DecayingLock = Some(false)`). */
  readonly perpetualLock: boolean;
};

function assertU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

function assertU64F64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64F64.max) throw new RangeError(`${what}: ${v} is outside U64F64`);
}

function assertLock(l: unknown, what: string): asserts l is LockState {
  if (typeof l !== 'object' || l === null) throw new TypeError(`${what}: expected a LockState`);
  const s = l as Record<string, unknown>;
  assertU64(s.lockedMass, `${what}.lockedMass`);
  assertU64F64(s.conviction, `${what}.conviction`);
  assertU64(s.lastUpdate, `${what}.lastUpdate`);
}

const SIGNED: ReadonlySet<FixedType> = new Set([I32F32, I64F64, I96F32]);

/**
 * substrate_fixed `transcendental::exp` for a signed fixed type, bit for bit.
 *
 * Works on I32F32, I64F64 or I96F32 raw bits: Taylor series through the x^(frac−1)/(frac−1)! term
 * with checked floor multiplies and truncating divides, 1/result for negative x; undefined where
 * the Rust function returns Err.
 * @example
 * import { I64F64 } from '@taoscript/codec';
 * import { fixedExp } from '@taoscript/runtime';
 * fixedExp(I64F64, 0n); // 1n << 64n
 */
export function fixedExp(t: FixedType, x: bigint): bigint | undefined {
  if (!SIGNED.has(t)) throw new TypeError('fixedExp: expected I32F32, I64F64 or I96F32');
  if (typeof x !== 'bigint') throw new TypeError(`fixedExp: expected a bigint, got ${typeof x}`);
  if (x < t.min || x > t.max) throw new RangeError(`fixedExp: ${x} is outside ${t.name}`);
  const one = t.one;
  if (x === 0n) return one;
  // substrate_fixed's E constant is an I9F23, widened.
  if (x === one) return 22802600n << (t.fracBig - 23n);
  const neg = x < 0n;
  const a = neg ? -x : x;
  if (a > t.max) return undefined;
  let result = a + one;
  if (result > t.max) return undefined;
  let term = a;
  for (let i = 2n; i < t.fracBig; i++) {
    term = (term * a) >> t.fracBig;
    if (term > t.max || term < t.min) return undefined;
    term = term / i;
    result += term;
    if (result > t.max) return undefined;
  }
  if (neg) {
    const inv = (one << t.fracBig) / result;
    if (inv > t.max) return undefined;
    result = inv;
  }
  return result;
}

const MIN_RATIO = -(40n << 64n);

/**
 * `ConvictionModel::exp_decay`: exp(−dt/tau) as U64F64 raw bits.
 *
 * The exponent is computed in I64F64
 * and clamped at −40; 1 for dt = 0, 0 for tau = 0 (dt > 0).
 * @example
 * import { expDecay } from '@taoscript/runtime';
 * expDecay(0n, 216_000n); // 1n << 64n
 */
export function expDecay(dt: bigint, tau: bigint): bigint {
  assertU64(dt, 'expDecay dt');
  assertU64(tau, 'expDecay tau');
  return expDecayRaw(dt, tau);
}

const toI64F64 = (v: bigint): bigint => {
  const raw = v << 64n;
  return raw > I64F64.max ? I64F64.max : raw < I64F64.min ? I64F64.min : raw;
};

function expDecayRaw(dt: bigint, tau: bigint): bigint {
  if (dt === 0n) return U64F64.one;
  if (tau === 0n) return 0n;
  // (−dt)/tau: checked_div truncates toward zero and cannot overflow for tau ≥ 1.
  const ratio = (toI64F64(-dt) << 64n) / toI64F64(tau);
  const clamped = ratio < MIN_RATIO ? MIN_RATIO : ratio;
  const decay = fixedExp(I64F64, clamped) ?? 0n;
  return decay < 0n ? 0n : decay;
}

/** Mass and conviction after a roll of `dt` blocks. */
export type DecayedLock = { readonly lockedMass: bigint; readonly conviction: bigint };

/**
 * `calculate_decayed_mass_and_conviction`: mass and conviction after dt blocks.
 *
 * mass' = floor(du·mass) (unchanged if perpetual); conviction' = dm·conviction + mass·g with g =
 * 1 − dm (perpetual), (dt/τm)·dm (τu = τm), 0 if a rate is 0, else max(0, τu·(du − dm)/(τu − τm))
 * in I64F64.
 * @example
 * import { decayMassAndConviction } from '@taoscript/runtime';
 * decayMassAndConviction(10_000n, 0n, 0n, 934_866n, 934_866n, false);
 * // { lockedMass: 10000n, conviction: 0n }
 */
export function decayMassAndConviction(
  lockedMass: bigint,
  conviction: bigint,
  dt: bigint,
  unlockRate: bigint,
  maturityRate: bigint,
  perpetualLock: boolean,
): DecayedLock {
  assertU64(lockedMass, 'decayMassAndConviction lockedMass');
  assertU64F64(conviction, 'decayMassAndConviction conviction');
  assertU64(dt, 'decayMassAndConviction dt');
  assertU64(unlockRate, 'decayMassAndConviction unlockRate');
  assertU64(maturityRate, 'decayMassAndConviction maturityRate');
  if (typeof perpetualLock !== 'boolean') {
    throw new TypeError('decayMassAndConviction perpetualLock: expected a boolean');
  }
  return decayed(lockedMass, conviction, dt, unlockRate, maturityRate, perpetualLock);
}

function decayed(
  lockedMass: bigint,
  conviction: bigint,
  dt: bigint,
  unlockRate: bigint,
  maturityRate: bigint,
  perpetual: boolean,
): DecayedLock {
  const du = expDecayRaw(dt, unlockRate);
  const dm = expDecayRaw(dt, maturityRate);
  const mass = lockedMass << 64n;
  const newMass = perpetual ? lockedMass : fxMul(U64F64, du, mass) >> 64n;
  const fromExisting = fxMul(U64F64, dm, conviction);
  let fromMass: bigint;
  if (perpetual) {
    fromMass = fxMul(U64F64, mass, fxSub(U64F64, U64F64.one, dm));
  } else if (unlockRate === maturityRate) {
    const ratio = fxDiv(U64F64, dt << 64n, maturityRate << 64n);
    fromMass = fxMul(U64F64, mass, fxMul(U64F64, ratio, dm));
  } else if (unlockRate === 0n || maturityRate === 0n) {
    fromMass = 0n;
  } else {
    const tauX = toI64F64(unlockRate);
    const tauDelta = toI64F64(unlockRate - maturityRate);
    const decayDelta = fxSub(I64F64, fromU64F64(du), fromU64F64(dm));
    const num = fxMul(I64F64, tauX, decayDelta);
    // checked_div: truncating, None (→ 0) on overflow.
    const q = (num << 64n) / tauDelta;
    const gamma = q > I64F64.max || q < I64F64.min ? 0n : q;
    fromMass = gamma <= 0n ? 0n : fxMul(U64F64, mass, gamma);
  }
  return { lockedMass: newMass, conviction: fxAdd(U64F64, fromExisting, fromMass) };
}

/** U64F64 → I64F64 (same fraction bits), saturating. */
const fromU64F64 = (raw: bigint): bigint => (raw > I64F64.max ? I64F64.max : raw);

/**
 * `LockState::is_zero`: mass < 100 and conviction < 100 (dust).
 * @example
 * import { lockStateIsZero } from '@taoscript/runtime';
 * lockStateIsZero({ lockedMass: 99n, conviction: 99n << 64n, lastUpdate: 0n }); // true
 */
export function lockStateIsZero(lock: LockState): boolean {
  assertLock(lock, 'lockStateIsZero lock');
  return isZero(lock);
}

const isZero = (l: LockState): boolean =>
  l.lockedMass < LOCK_STATE_ZERO_THRESHOLD && l.conviction < LOCK_STATE_ZERO_THRESHOLD << 64n;

/** A rolled lock and how much mass and conviction the roll removed (`RollDelta`). */
export type RolledLock = {
  readonly lock: LockState;
  readonly lockedMassDelta: bigint;
  /** U64F64 raw bits. */
  readonly convictionDelta: bigint;
};

/**
 * `ConvictionModel::roll_forward_lock`: rolls a lock to `now`.
 *
 * If now > lastUpdate, applies the decay over dt and sets
 * lastUpdate = now; an owner lock then takes conviction = locked mass; dust is zeroed. Returns
 * the saturating decreases too, which upstream subtracts from the lock's aggregate bucket.
 * @example
 * import { rollForwardLock } from '@taoscript/runtime';
 * rollForwardLock({ lockedMass: 10_000n, conviction: 0n, lastUpdate: 0n }, 0n,
 *   { unlockRate: 934_866n, maturityRate: 934_866n, ownerLock: true, perpetualLock: false });
 * // lock.conviction === 10000n << 64n
 */
export function rollForwardLock(lock: LockState, now: bigint, p: RollParameters): RolledLock {
  assertLock(lock, 'rollForwardLock lock');
  assertU64(now, 'rollForwardLock now');
  if (typeof p !== 'object' || p === null) throw new TypeError('rollForwardLock: expected params');
  assertU64(p.unlockRate, 'rollForwardLock unlockRate');
  assertU64(p.maturityRate, 'rollForwardLock maturityRate');
  if (typeof p.ownerLock !== 'boolean' || typeof p.perpetualLock !== 'boolean') {
    throw new TypeError('rollForwardLock: ownerLock and perpetualLock must be booleans');
  }
  let lockedMass = lock.lockedMass;
  let conviction = lock.conviction;
  let lastUpdate = lock.lastUpdate;
  if (now > lock.lastUpdate) {
    const d = decayed(
      lockedMass,
      conviction,
      now - lock.lastUpdate,
      p.unlockRate,
      p.maturityRate,
      p.perpetualLock,
    );
    lockedMass = d.lockedMass;
    conviction = d.conviction;
    lastUpdate = now;
  }
  if (p.ownerLock) conviction = lockedMass << 64n;
  if (isZero({ lockedMass, conviction, lastUpdate })) {
    lockedMass = 0n;
    conviction = 0n;
  }
  const sub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
  return {
    lock: { lockedMass, conviction, lastUpdate },
    lockedMassDelta: sub(lock.lockedMass, lockedMass),
    convictionDelta: sub(lock.conviction, conviction),
  };
}

function later(a: bigint, b: bigint): bigint {
  if (a > b) return a;
  return b;
}

/**
 * `merge_lock`: saturating sums of mass and conviction, the later lastUpdate.
 * @example
 * import { mergeLocks } from '@taoscript/runtime';
 * const a = { lockedMass: 1n, conviction: 0n, lastUpdate: 5n };
 * mergeLocks(a, { lockedMass: 2n, conviction: 0n, lastUpdate: 7n });
 * // { lockedMass: 3n, conviction: 0n, lastUpdate: 7n }
 */
export function mergeLocks(a: LockState, b: LockState): LockState {
  assertLock(a, 'mergeLocks a');
  assertLock(b, 'mergeLocks b');
  const mass = a.lockedMass + b.lockedMass;
  return {
    lockedMass: mass > U64_MAX ? U64_MAX : mass,
    conviction: fxAdd(U64F64, a.conviction, b.conviction),
    lastUpdate: later(a.lastUpdate, b.lastUpdate),
  };
}

/**
 * `reduce_lock`: saturating subtraction of mass and conviction; lastUpdate kept.
 * @example
 * import { reduceLock } from '@taoscript/runtime';
 * reduceLock({ lockedMass: 5n, conviction: 0n, lastUpdate: 1n }, 7n, 0n);
 * // { lockedMass: 0n, conviction: 0n, lastUpdate: 1n }
 */
export function reduceLock(lock: LockState, lockedMass: bigint, conviction: bigint): LockState {
  assertLock(lock, 'reduceLock lock');
  assertU64(lockedMass, 'reduceLock lockedMass');
  assertU64F64(conviction, 'reduceLock conviction');
  return {
    lockedMass: lock.lockedMass > lockedMass ? lock.lockedMass - lockedMass : 0n,
    conviction: fxSub(U64F64, lock.conviction, conviction),
    lastUpdate: lock.lastUpdate,
  };
}

/** Result of a forced reduction: the new individual lock and what the aggregate loses. */
export type ForceReducedLock = {
  readonly lock: LockState;
  readonly lockedMassDiff: bigint;
  readonly convictionDiff: bigint;
};

/**
 * `force_reduce_individual`: removes `amount` from a rolled lock, conviction pro rata.
 *
 * On an already-rolled lock: mass −= amount (saturating); conviction scaled by (1 − amount/mass)
 * in U64F64, or zeroed with the mass; lastUpdate = now.
 * @example
 * import { forceReduceLock } from '@taoscript/runtime';
 * forceReduceLock({ lockedMass: 1000n, conviction: 1000n << 64n, lastUpdate: 0n }, 250n, 9n).lock;
 * // { lockedMass: 750n, conviction: 750n << 64n, lastUpdate: 9n }
 */
export function forceReduceLock(lock: LockState, amount: bigint, now: bigint): ForceReducedLock {
  assertLock(lock, 'forceReduceLock lock');
  assertU64(amount, 'forceReduceLock amount');
  assertU64(now, 'forceReduceLock now');
  const newMass = lock.lockedMass > amount ? lock.lockedMass - amount : 0n;
  const massDiff = lock.lockedMass - newMass;
  if (newMass === 0n) {
    return {
      lock: { lockedMass: 0n, conviction: 0n, lastUpdate: now },
      lockedMassDiff: massDiff,
      convictionDiff: lock.conviction,
    };
  }
  const removed = fxDiv(U64F64, amount << 64n, lock.lockedMass << 64n);
  const conviction = fxMul(U64F64, lock.conviction, fxSub(U64F64, U64F64.one, removed));
  return {
    lock: { lockedMass: newMass, conviction, lastUpdate: now },
    lockedMassDiff: massDiff,
    convictionDiff: fxSub(U64F64, lock.conviction, conviction),
  };
}

/** `(total, locked, available)` of a coldkey on one subnet. */
export type StakeAvailability = {
  readonly total: bigint;
  readonly locked: bigint;
  readonly available: bigint;
};

/**
 * `stake_availability`: total, locked and available alpha of a coldkey on a subnet.
 *
 * Available = total − rolled locked mass (saturating). The lock is subnet-wide: `total` is the
 * coldkey's alpha across all its hotkeys on the subnet.
 * @example
 * import { stakeAvailability } from '@taoscript/runtime';
 * stakeAvailability(1000n, 400n); // { total: 1000n, locked: 400n, available: 600n }
 */
export function stakeAvailability(total: bigint, lockedMass: bigint): StakeAvailability {
  assertU64(total, 'stakeAvailability total');
  assertU64(lockedMass, 'stakeAvailability lockedMass');
  return { total, locked: lockedMass, available: total > lockedMass ? total - lockedMass : 0n };
}

/**
 * `ensure_available_to_unstake` as a predicate.
 *
 * True when `amount` ≤ available (else upstream fails with
 * `StakeUnavailable`).
 * @example
 * import { canUnstake } from '@taoscript/runtime';
 * canUnstake(1000n, 400n, 600n); // true
 */
export function canUnstake(total: bigint, lockedMass: bigint, amount: bigint): boolean {
  assertU64(amount, 'canUnstake amount');
  return stakeAvailability(total, lockedMass).available >= amount;
}
