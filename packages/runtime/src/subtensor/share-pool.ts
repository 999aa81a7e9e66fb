/**
 * Per-hotkey stake share pools, bit-exact to subtensor 14bc6f9f (primitives/share-pool and the
 * `HotkeyAlphaSharePoolDataOperations` layer in pallets/subtensor/src/staking/stake_utils.rs).
 *
 * Each (hotkey, netuid) is one pool: `TotalHotkeyAlpha` is its value in alpha units,
 * `TotalHotkeySharesV2` the share denominator and `AlphaV2[(hotkey, coldkey, netuid)]` each
 * coldkey's shares, all as `SafeFloat` (mantissa · 10^exponent). The legacy U64F64 maps `Alpha` /
 * `TotalHotkeyShares` are read first and migrated away the first time an entry is written.
 */

import type { StateRW } from '@taoscript/chain-types';
import { SubtensorStorage as S, type SafeFloat as SafeFloatValue } from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';

/** A `SafeFloat` value: `mantissa · 10^exponent` (mantissa u128, exponent i64). */
export type SafeFloat = SafeFloatValue;

/** Largest normalised mantissa, 10^21 (`SAFE_FLOAT_MAX`). */
export const SAFE_FLOAT_MAX = 10n ** 21n;
/** `SAFE_FLOAT_MAX_EXP`: the decimal digits of `SAFE_FLOAT_MAX`. */
export const SAFE_FLOAT_MAX_EXP = 21n;

const MIN_MANTISSA = SAFE_FLOAT_MAX / 10n;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const U256_MAX = (1n << 256n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const ZERO: SafeFloat = Object.freeze({ mantissa: 0n, exponent: 0n }) as SafeFloat;

const inI64 = (v: bigint): boolean => v >= I64_MIN && v <= I64_MAX;
const satI64 = (v: bigint): bigint => (v < I64_MIN ? I64_MIN : v > I64_MAX ? I64_MAX : v);
const satU256 = (v: bigint): bigint => (v > U256_MAX ? U256_MAX : v);

function assertSafeFloat(v: unknown, what: string): asserts v is SafeFloat {
  if (typeof v !== 'object' || v === null) throw new TypeError(`${what}: expected a SafeFloat`);
  const { mantissa, exponent } = v as Record<string, unknown>;
  if (typeof mantissa !== 'bigint' || typeof exponent !== 'bigint')
    throw new TypeError(`${what}: mantissa and exponent must be bigints`);
  if (mantissa < 0n || mantissa > U128_MAX)
    throw new RangeError(`${what}: mantissa ${mantissa} is outside u128`);
  if (!inI64(exponent)) throw new RangeError(`${what}: exponent ${exponent} is outside i64`);
}

function assertU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

/** 10^e capped at 10^22 (`cappow10`: larger powers are never needed). */
function capPow10(e: bigint): bigint {
  if (e > SAFE_FLOAT_MAX_EXP + 1n) return SAFE_FLOAT_MAX * 10n;
  return 10n ** e;
}

/** Brings a U256 mantissa into (MAX/10, MAX]; undefined if the exponent leaves i64. */
function normalize(mantissa: bigint, exponent: bigint): SafeFloat | undefined {
  if (mantissa === 0n) return { mantissa: 0n, exponent: 0n };
  let m = mantissa;
  let e = exponent;
  while (m > SAFE_FLOAT_MAX) {
    m /= 10n;
    e += 1n;
    if (e > I64_MAX) return undefined;
  }
  while (m <= MIN_MANTISSA) {
    m *= 10n;
    e -= 1n;
    if (e < I64_MIN) return undefined;
  }
  return { mantissa: m, exponent: e };
}

/**
 * `SafeFloat::new`: a normalised value, or undefined if the mantissa exceeds 10^21.
 * @example
 * import { safeFloatNew } from './subtensor/share-pool.js';
 * safeFloatNew(5n, 0n); // { mantissa: 500000000000000000000n, exponent: -20n }
 */
export function safeFloatNew(mantissa: bigint, exponent: bigint): SafeFloat | undefined {
  if (typeof mantissa !== 'bigint' || typeof exponent !== 'bigint')
    throw new TypeError('safeFloatNew: mantissa and exponent must be bigints');
  if (mantissa < 0n || mantissa > U128_MAX)
    throw new RangeError(`safeFloatNew: mantissa ${mantissa} is outside u128`);
  if (!inI64(exponent)) throw new RangeError(`safeFloatNew: exponent ${exponent} is outside i64`);
  if (mantissa > SAFE_FLOAT_MAX) return undefined;
  return normalize(mantissa, exponent);
}

/**
 * `SafeFloat::from(u64)`: an integer as a normalised SafeFloat.
 * @example
 * import { safeFloatFromU64 } from './subtensor/share-pool.js';
 * safeFloatFromU64(0n); // { mantissa: 0n, exponent: 0n }
 */
export function safeFloatFromU64(value: bigint): SafeFloat {
  assertU64(value, 'safeFloatFromU64');
  return normalize(value, 0n) ?? { ...ZERO };
}

/**
 * `SafeFloat::from(U64F64)`: integer part plus (fraction / 2^64), from the raw U64F64 bits.
 * @example
 * import { safeFloatFromU64F64 } from './subtensor/share-pool.js';
 * safeFloatFromU64F64(3n << 63n); // 1.5
 */
export function safeFloatFromU64F64(bits: bigint): SafeFloat {
  if (typeof bits !== 'bigint') throw new TypeError('safeFloatFromU64F64: expected a bigint');
  if (bits < 0n || bits > U128_MAX) throw new RangeError('safeFloatFromU64F64: outside u128');
  if (bits === 0n) return { ...ZERO };
  const int = bits >> 64n;
  const frac = bits & U64_MAX;
  const safeInt = normalize(int, 0n) ?? ZERO;
  const fracNum = normalize(frac, 0n) ?? ZERO;
  const two64 = normalize(1n << 64n, 0n) ?? ZERO;
  const safeFrac = safeFloatDiv(fracNum, two64) ?? ZERO;
  return safeFloatAdd(safeInt, safeFrac) ?? { ...ZERO };
}

/**
 * `SafeFloat::div`: a / b keeping 21 mantissa digits; undefined on a zero divisor or exponent overflow.
 * @example
 * import { safeFloatDiv, safeFloatFromU64 } from './subtensor/share-pool.js';
 * safeFloatDiv(safeFloatFromU64(1n), safeFloatFromU64(4n)); // 0.25
 */
export function safeFloatDiv(a: SafeFloat, b: SafeFloat): SafeFloat | undefined {
  assertSafeFloat(a, 'safeFloatDiv a');
  assertSafeFloat(b, 'safeFloatDiv b');
  const scaled = a.mantissa * SAFE_FLOAT_MAX;
  const e = a.exponent - b.exponent - SAFE_FLOAT_MAX_EXP;
  if (!inI64(e)) return undefined;
  if (scaled > U256_MAX || b.mantissa === 0n) return undefined;
  return normalize(scaled / b.mantissa, e);
}

/** Aligns two values on the larger exponent (the smaller mantissa is truncated). */
function align(a: SafeFloat, b: SafeFloat): [bigint, bigint, bigint] {
  if (a.exponent >= b.exponent) {
    const diff = satI64(a.exponent - b.exponent);
    return [a.mantissa, b.mantissa / capPow10(diff), a.exponent];
  }
  const diff = satI64(b.exponent - a.exponent);
  return [a.mantissa / capPow10(diff), b.mantissa, b.exponent];
}

/**
 * `SafeFloat::add`: the smaller operand is truncated to the larger one's exponent first.
 * @example
 * import { safeFloatAdd, safeFloatFromU64 } from './subtensor/share-pool.js';
 * safeFloatAdd(safeFloatFromU64(1n), safeFloatFromU64(2n)); // 3
 */
export function safeFloatAdd(a: SafeFloat, b: SafeFloat): SafeFloat | undefined {
  assertSafeFloat(a, 'safeFloatAdd a');
  assertSafeFloat(b, 'safeFloatAdd b');
  if (a.mantissa === 0n) return { ...b };
  if (b.mantissa === 0n) return { ...a };
  const [m1, m2, e] = align(a, b);
  return normalize(satU256(m1 + m2), e);
}

/**
 * `SafeFloat::sub`: saturates at zero; undefined when subtracting from zero.
 * @example
 * import { safeFloatFromU64, safeFloatSub } from './subtensor/share-pool.js';
 * safeFloatSub(safeFloatFromU64(2n), safeFloatFromU64(3n)); // 0
 */
export function safeFloatSub(a: SafeFloat, b: SafeFloat): SafeFloat | undefined {
  assertSafeFloat(a, 'safeFloatSub a');
  assertSafeFloat(b, 'safeFloatSub b');
  if (a.mantissa === 0n && b.mantissa === 0n) return { ...ZERO };
  if (a.mantissa === 0n) return undefined;
  if (b.mantissa === 0n) return { ...a };
  const [m1, m2, e] = align(a, b);
  return normalize(m1 > m2 ? m1 - m2 : 0n, e);
}

/**
 * `SafeFloat::mul_div`: a · b / c with one truncating division; undefined if c is zero.
 * @example
 * import { safeFloatFromU64, safeFloatMulDiv } from './subtensor/share-pool.js';
 * safeFloatMulDiv(safeFloatFromU64(6n), safeFloatFromU64(2n), safeFloatFromU64(3n)); // 4
 */
export function safeFloatMulDiv(a: SafeFloat, b: SafeFloat, c: SafeFloat): SafeFloat | undefined {
  assertSafeFloat(a, 'safeFloatMulDiv a');
  assertSafeFloat(b, 'safeFloatMulDiv b');
  assertSafeFloat(c, 'safeFloatMulDiv c');
  if (c.mantissa === 0n) return undefined;
  let product = a.mantissa * b.mantissa;
  if (product > U256_MAX) product = 0n;
  const ab = a.exponent + b.exponent;
  if (!inI64(ab)) return undefined;
  const e = ab - c.exponent;
  if (!inI64(e)) return undefined;
  return normalize(product / c.mantissa, e);
}

/**
 * `SafeFloat::gt` for normalised operands.
 * @example
 * import { safeFloatFromU64, safeFloatGt } from './subtensor/share-pool.js';
 * safeFloatGt(safeFloatFromU64(3n), safeFloatFromU64(2n)); // true
 */
export function safeFloatGt(a: SafeFloat, b: SafeFloat): boolean {
  assertSafeFloat(a, 'safeFloatGt a');
  assertSafeFloat(b, 'safeFloatGt b');
  if (a.exponent === b.exponent) return a.mantissa > b.mantissa;
  if (a.exponent > b.exponent) {
    if (satI64(a.exponent - b.exponent) > 1n) return true;
    return satU256(10n * a.mantissa) > b.mantissa;
  }
  if (satI64(b.exponent - a.exponent) > 1n) return false;
  return a.mantissa > satU256(10n * b.mantissa);
}

/**
 * `u64::from(&SafeFloat)`: truncates the fraction, saturates at u64::MAX.
 * @example
 * import { safeFloatFromU64, safeFloatToU64 } from './subtensor/share-pool.js';
 * safeFloatToU64(safeFloatFromU64(42n)); // 42n
 */
export function safeFloatToU64(v: SafeFloat): bigint {
  assertSafeFloat(v, 'safeFloatToU64');
  if (v.exponent === 0n) return v.mantissa > U64_MAX ? U64_MAX : v.mantissa;
  const scale = capPow10(v.exponent < 0n ? -v.exponent : v.exponent);
  const q = v.exponent > 0n ? satU256(v.mantissa * scale) : v.mantissa / scale;
  return q > U64_MAX ? U64_MAX : q;
}

/** Whether a SafeFloat is zero (`is_zero`: mantissa 0). */
export const safeFloatIsZero = (v: SafeFloat): boolean => v.mantissa === 0n;

/** The `i64` a Rust `u64 as i64` cast gives (two's-complement wrap). */
const asI64 = (v: bigint): bigint => BigInt.asIntN(64, v);

// ---- storage layer ------------------------------------------------------------------------------

/** `get_share`: legacy `Alpha` first (converted), else `AlphaV2` (zero when absent). */
function getShare(st: StateRW, hot: Uint8Array, cold: Uint8Array, netuid: number): SafeFloat {
  return tryGetShare(st, hot, cold, netuid) ?? { ...ZERO };
}

/** `try_get_share`: like `getShare` but undefined when neither map holds an entry. */
function tryGetShare(
  st: StateRW,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
): SafeFloat | undefined {
  const v1 = S.Alpha.tryGet(st, hot, cold, netuid);
  if (v1 !== undefined) return safeFloatFromU64F64(v1);
  return S.AlphaV2.tryGet(st, hot, cold, netuid);
}

/** `get_denominator`: legacy `TotalHotkeyShares` first (converted), else `TotalHotkeySharesV2`. */
function getDenominator(st: StateRW, hot: Uint8Array, netuid: number): SafeFloat {
  const v1 = S.TotalHotkeyShares.tryGet(st, hot, netuid);
  if (v1 !== undefined) return safeFloatFromU64F64(v1);
  return S.TotalHotkeySharesV2.get(st, hot, netuid);
}

function setSharedValue(st: StateRW, hot: Uint8Array, netuid: number, value: bigint): void {
  if (value !== 0n) S.TotalHotkeyAlpha.set(st, hot, netuid, value);
  else S.TotalHotkeyAlpha.remove(st, hot, netuid);
}

/** `set_share`: drops the legacy entry (lazy migration), then writes or clears `AlphaV2`. */
function setShare(
  st: StateRW,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
  share: SafeFloat,
): void {
  if (S.Alpha.tryGet(st, hot, cold, netuid) !== undefined) S.Alpha.remove(st, hot, cold, netuid);
  if (share.mantissa !== 0n) S.AlphaV2.set(st, hot, cold, netuid, share);
  else S.AlphaV2.remove(st, hot, cold, netuid);
}

/** `set_denominator`: drops the legacy entry, then writes or clears `TotalHotkeySharesV2`. */
function setDenominator(st: StateRW, hot: Uint8Array, netuid: number, d: SafeFloat): void {
  if (S.TotalHotkeyShares.tryGet(st, hot, netuid) !== undefined)
    S.TotalHotkeyShares.remove(st, hot, netuid);
  if (d.mantissa !== 0n) S.TotalHotkeySharesV2.set(st, hot, netuid, d);
  else S.TotalHotkeySharesV2.remove(st, hot, netuid);
}

function valueOfShares(st: StateRW, hot: Uint8Array, netuid: number, share: SafeFloat): bigint {
  const shared = normalize(S.TotalHotkeyAlpha.get(st, hot, netuid), 0n) ?? ZERO;
  const denominator = getDenominator(st, hot, netuid);
  return safeFloatToU64(safeFloatMulDiv(shared, share, denominator) ?? ZERO);
}

/** `get_shares_per_update`: |update| · denominator / pool value (zero when that fails). */
function sharesPerUpdate(update: bigint, shared: bigint, denominator: SafeFloat): SafeFloat {
  const sv = normalize(shared, 0n) ?? ZERO;
  const abs = update < 0n ? -update : update;
  const u = abs > SAFE_FLOAT_MAX ? ZERO : (normalize(abs, 0n) ?? ZERO);
  return safeFloatMulDiv(u, denominator, sv) ?? { ...ZERO };
}

/** `update_value_for_all`: the pool value moves by a signed i64, saturating in u64. */
function updateValueForAll(st: StateRW, hot: Uint8Array, netuid: number, update: bigint): void {
  const shared = S.TotalHotkeyAlpha.get(st, hot, netuid);
  let next: bigint;
  if (update >= 0n) next = shared + update > U64_MAX ? U64_MAX : shared + update;
  else next = shared + update < 0n ? 0n : shared + update;
  setSharedValue(st, hot, netuid, next);
}

/** `update_value_for_one`: mints (update > 0) or burns this coldkey's shares, then moves the value. */
function updateValueForOne(
  st: StateRW,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
  update: bigint,
): void {
  const shared = S.TotalHotkeyAlpha.get(st, hot, netuid);
  const current = getShare(st, hot, cold, netuid);
  const denominator = getDenominator(st, hot, netuid);
  if (denominator.mantissa === 0n) {
    // An empty pool: the first key gets all shares, one per unit.
    const abs = update < 0n ? -update : update;
    const first = abs > SAFE_FLOAT_MAX ? { ...ZERO } : (normalize(abs, 0n) ?? { ...ZERO });
    setDenominator(st, hot, netuid, first);
    setShare(st, hot, cold, netuid, first);
  } else {
    const delta = sharesPerUpdate(update, shared, denominator);
    // Upstream keeps the old value when a SafeFloat operation fails (exponent overflow).
    const op = update > 0n ? safeFloatAdd : safeFloatSub;
    setDenominator(st, hot, netuid, op(denominator, delta) ?? denominator);
    setShare(st, hot, cold, netuid, op(current, delta) ?? current);
  }
  updateValueForAll(st, hot, netuid, update);
}

// ---- pallet-level helpers -----------------------------------------------------------------------

/**
 * A coldkey's alpha on a hotkey's pool (`get_stake_for_hotkey_and_coldkey_on_subnet`): 0 without shares.
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { stakeOf } from './subtensor/share-pool.js';
 * stakeOf(new Overlay(new MapState()), new Uint8Array(32), new Uint8Array(32), 1); // 0n
 */
export function stakeOf(st: StateRW, hot: Uint8Array, cold: Uint8Array, netuid: number): bigint {
  const share = tryGetShare(st, hot, cold, netuid);
  return share === undefined ? 0n : valueOfShares(st, hot, netuid, share);
}

/**
 * The alpha value a share amount is worth on a hotkey's pool (`get_value_from_shares`).
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { shareValue, safeFloatFromU64 } from './subtensor/share-pool.js';
 * shareValue(new Overlay(new MapState()), new Uint8Array(32), 1, safeFloatFromU64(5n)); // 0n
 */
export function shareValue(st: StateRW, hot: Uint8Array, netuid: number, share: SafeFloat): bigint {
  assertSafeFloat(share, 'shareValue share');
  return valueOfShares(st, hot, netuid, share);
}

/**
 * A coldkey's raw shares on a hotkey's pool (legacy entry converted), or undefined if it holds none.
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { sharesOf } from './subtensor/share-pool.js';
 * sharesOf(new Overlay(new MapState()), new Uint8Array(32), new Uint8Array(32), 1); // undefined
 */
export function sharesOf(
  st: StateRW,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
): SafeFloat | undefined {
  return tryGetShare(st, hot, cold, netuid);
}

/**
 * The share denominator of a hotkey's pool (legacy entry converted).
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { poolDenominator } from './subtensor/share-pool.js';
 * poolDenominator(new Overlay(new MapState()), new Uint8Array(32), 1); // zero
 */
export function poolDenominator(st: StateRW, hot: Uint8Array, netuid: number): SafeFloat {
  return getDenominator(st, hot, netuid);
}

/**
 * Raises a hotkey's pool value (`increase_stake_for_hotkey_on_subnet`): all holders gain pro rata.
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { creditHotkey } from './subtensor/share-pool.js';
 * creditHotkey(new Overlay(new MapState()), new Uint8Array(32), 1, 10n);
 */
export function creditHotkey(st: StateRW, hot: Uint8Array, netuid: number, amount: bigint): void {
  assertU64(amount, 'creditHotkey amount');
  updateValueForAll(st, hot, netuid, asI64(amount));
}

/**
 * Lowers a hotkey's pool value (`decrease_stake_for_hotkey_on_subnet`), saturating at zero.
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { debitHotkey } from './subtensor/share-pool.js';
 * debitHotkey(new Overlay(new MapState()), new Uint8Array(32), 1, 10n);
 */
export function debitHotkey(st: StateRW, hot: Uint8Array, netuid: number, amount: bigint): void {
  assertU64(amount, 'debitHotkey amount');
  updateValueForAll(st, hot, netuid, asI64(-asI64(amount)));
}

/**
 * Credits alpha to a coldkey's position by minting shares (`increase_stake_for_hotkey_and_coldkey_on_subnet`);
 * a non-zero credit also adds the hotkey to `StakingHotkeys[coldkey]`.
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { creditStake } from './subtensor/share-pool.js';
 * creditStake(new Overlay(new MapState()), new Uint8Array(32), new Uint8Array(32), 1, 10n);
 */
export function creditStake(
  st: StateRW,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
  amount: bigint,
): void {
  assertU64(amount, 'creditStake amount');
  if (amount !== 0n) addStakingHotkey(st, cold, hot);
  updateValueForOne(st, hot, cold, netuid, asI64(amount));
}

/**
 * Debits alpha from a coldkey's position by burning shares (`decrease_stake_for_hotkey_and_coldkey_on_subnet`);
 * does nothing when the position is smaller than `amount`.
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { debitStake } from './subtensor/share-pool.js';
 * debitStake(new Overlay(new MapState()), new Uint8Array(32), new Uint8Array(32), 1, 10n);
 */
export function debitStake(
  st: StateRW,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
  amount: bigint,
): void {
  assertU64(amount, 'debitStake amount');
  const share = tryGetShare(st, hot, cold, netuid);
  if (share === undefined) return;
  if (valueOfShares(st, hot, netuid, share) < amount) return;
  updateValueForOne(st, hot, cold, netuid, asI64(-asI64(amount)));
}

/**
 * Whether crediting `amount` would mint a non-zero number of shares
 * (`try_increase_stake_for_hotkey_and_coldkey_on_subnet`); an empty pool always accepts.
 * @example
 * import { MapState, Overlay } from '@taoscript/runtime';
 * import { canCreditStake } from './subtensor/share-pool.js';
 * canCreditStake(new Overlay(new MapState()), new Uint8Array(32), 1, 10n); // true
 */
export function canCreditStake(
  st: StateRW,
  hot: Uint8Array,
  netuid: number,
  amount: bigint,
): boolean {
  assertU64(amount, 'canCreditStake amount');
  const denominator = getDenominator(st, hot, netuid);
  if (denominator.mantissa === 0n) return true;
  const shared = S.TotalHotkeyAlpha.get(st, hot, netuid);
  return sharesPerUpdate(asI64(amount), shared, denominator).mantissa !== 0n;
}

/** Appends `hot` to `StakingHotkeys[cold]` if it is not there yet. */
export function addStakingHotkey(st: StateRW, cold: Uint8Array, hot: Uint8Array): void {
  const list = S.StakingHotkeys.get(st, cold);
  if (list.some((h) => bytesEqual(h, hot))) return;
  list.push(hot);
  S.StakingHotkeys.set(st, cold, list);
}
