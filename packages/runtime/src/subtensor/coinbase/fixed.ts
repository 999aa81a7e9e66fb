/**
 * The fixed-point transcendental helpers the coinbase's flow rule needs, bit-exact to what
 * subtensor 14bc6f9f links: substrate_fixed v0.6.0 `transcendental::{ln, exp}` on I32F32 and
 * safe_math's `FixedExt::checked_sqrt` on U64F64 (all values are raw-bit bigints).
 */
import { fxAdd, fxDiv, I32F32, U64F64 } from '@taoscript/codec';

const ONE = 1n << 32n;
const TWO = 2n << 32n;
const I32_MAX = I32F32.max;
const I32_MIN = I32F32.min;
/** substrate_fixed `consts::LOG2_E` truncated to I9F23 (`>> 104`), widened to I32F32. */
const LOG2_E = 12_102_203n << 9n;
/** substrate_fixed `consts::E` truncated to I9F23 (`>> 103`), widened to I32F32. */
const E = 22_802_600n << 9n;

function assertI32F32(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < I32_MIN || v > I32_MAX) throw new RangeError(`${what}: ${v} is outside I32F32`);
}

/** Right shift by one with rounding: `(x >> 1) + (x & lsb)`. */
const rs = (x: bigint): bigint => (x >> 1n) + (x & 1n);

/** `log2_inner` for operand ≥ 1: integer part by halving, then 32 squaring steps. */
function log2Inner(operand: bigint): bigint {
  let x = operand;
  let count = 0n;
  while (x >= TWO) {
    count += 1n;
    x = rs(x);
  }
  if (x === ONE) return count << 32n;
  let result = count;
  for (let i = 0; i < 32; i++) {
    x = (x * x) >> 32n;
    result <<= 1n;
    if (x >= TWO) {
      result |= 1n;
      x = rs(x);
    }
  }
  return result;
}

/**
 * substrate_fixed `transcendental::ln::<I32F32, I32F32>`: `log2(x) / LOG2_E` (the constant
 * truncated to 23 fraction bits, the division truncating). Undefined where Rust returns Err
 * (x ≤ 0, or 1/x overflowing I32F32).
 * @example
 * import { lnI32F32 } from './coinbase/fixed.js';
 * lnI32F32(1n << 32n); // 0n
 */
export function lnI32F32(x: bigint): bigint | undefined {
  assertI32F32(x, 'lnI32F32');
  if (x <= 0n) return undefined;
  let log2: bigint;
  if (x < ONE) {
    const inverse = (ONE << 32n) / x;
    if (inverse > I32_MAX) return undefined;
    log2 = -log2Inner(inverse);
  } else log2 = log2Inner(x);
  return (log2 << 32n) / LOG2_E;
}

/**
 * substrate_fixed `transcendental::exp::<I32F32, I32F32>` without any clamp: the Taylor series up
 * to x^31/31! on |x| (floor multiplies, truncating divides), inverted for negative x. Undefined
 * where Rust returns Err (an intermediate leaves I32F32).
 * @example
 * import { expI32F32 } from './coinbase/fixed.js';
 * expI32F32(0n); // 4294967296n (1.0)
 */
export function expI32F32(x: bigint): bigint | undefined {
  assertI32F32(x, 'expI32F32');
  if (x === 0n) return ONE;
  if (x === ONE) return E;
  const neg = x < 0n;
  const a = neg ? -x : x;
  if (a > I32_MAX) return undefined;
  let result = a + ONE;
  if (result > I32_MAX) return undefined;
  let term = a;
  for (let i = 2n; i < 32n; i++) {
    term = (term * a) >> 32n;
    if (term > I32_MAX || term < I32_MIN) return undefined;
    term /= i;
    result += term;
    if (result > I32_MAX) return undefined;
  }
  return neg ? (ONE << 32n) / result : result;
}

/**
 * safe_math `FixedExt::checked_sqrt` on U64F64: bisection between [0, x] (or [x, 1] below one)
 * until |x/mid − mid| ≤ epsilon, at most 129 halvings, with `safe_div` (0 on a zero divisor).
 * @example
 * import { checkedSqrtU64F64 } from './coinbase/fixed.js';
 * checkedSqrtU64F64(4n << 64n, (1n << 64n) / 1000n) >> 64n; // 2n (within epsilon)
 */
export function checkedSqrtU64F64(x: bigint, epsilon: bigint): bigint {
  const one = U64F64.one;
  const two = 2n << 64n;
  let high: bigint;
  let low: bigint;
  if (x > one) {
    high = x;
    low = 0n;
  } else {
    high = one;
    low = x;
  }
  let middle = fxDiv(U64F64, fxAdd(U64F64, high, low), two);
  let check = fxDiv(U64F64, x, middle);
  for (let iteration = 0; ; ) {
    const diff = check > middle ? check - middle : middle - check;
    if (diff <= epsilon) break;
    if (check < middle) high = middle;
    else low = middle;
    middle = fxDiv(U64F64, fxAdd(U64F64, high, low), two);
    check = fxDiv(U64F64, x, middle);
    iteration += 1;
    if (iteration > 128) break;
  }
  return middle;
}
