import { fxDiv, fxMul, fxSub, I96F32 } from '@taoscript/codec';

/**
 * Block emission as a function of issuance, bit-exact to subtensor 14bc6f9f
 * `get_block_emission_for_issuance` (coinbase/block_emission.rs) with substrate_fixed's `log2`.
 */

const U64_MAX = (1n << 64n) - 1n;

/** `TotalSupply`: 21M TAO in RAO. */
export const TOTAL_SUPPLY = 21_000_000_000_000_000n;
/** `DefaultBlockEmission`: 1 TAO in RAO per block. */
export const DEFAULT_BLOCK_EMISSION = 1_000_000_000n;

const ONE = I96F32.one;
const TWO = 2n << 32n;
/** 2 · 10.5M TAO (I96F32): the issuance ratio's denominator. */
const HALVING_DENOMINATOR = fxMul(I96F32, TWO, 10_500_000_000_000_000n << 32n);

function assertU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

/** substrate_fixed's right shift with rounding: (x >> 1) + (x & lsb). */
const rs = (x: bigint): bigint => (x >> 1n) + (x & 1n);

/**
 * substrate_fixed `transcendental::log2` on I96F32 raw bits, bit for bit.
 *
 * For operand > 0: bit-by-bit squaring,
 * 32 fraction bits, the integer part counted with rounding right shifts. Undefined for operand ≤
 * 0.
 * @example
 * import { log2I96F32 } from '@taoscript/runtime';
 * log2I96F32(8n << 32n); // 3n << 32n
 */
export function log2I96F32(operand: bigint): bigint | undefined {
  if (typeof operand !== 'bigint') {
    throw new TypeError(`log2I96F32: expected a bigint, got ${typeof operand}`);
  }
  if (operand < I96F32.min || operand > I96F32.max) {
    throw new RangeError(`log2I96F32: ${operand} is outside the I96F32 range`);
  }
  if (operand <= 0n) return undefined;
  if (operand < ONE) {
    const inverse = fxDiv(I96F32, ONE, operand);
    if (inverse === 0n) return undefined; // checked_div overflowed
    return -log2Inner(inverse);
  }
  return log2Inner(operand);
}

function log2Inner(operand: bigint): bigint {
  let x = operand;
  let result = 0n;
  while (x >= TWO) {
    result += 1n;
    x = rs(x);
  }
  if (x === ONE) return result << 32n;
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
 * `get_block_emission_for_issuance`: per-block emission (RAO) for an issuance.
 *
 * Zero once issuance ≥ 21e15; else with k = floor(log2(1 / (1 − I/21e15))) in I96F32, floor(1e9 ·
 * (1/2^k)). Used for TAO (total issuance) and for each subnet's alpha (SubnetAlphaIn +
 * SubnetAlphaOut). Upstream also writes `BlockEmission` when the value changes on the non-capped
 * path; that write is the caller's.
 * @example
 * import { blockEmissionForIssuance } from '@taoscript/runtime';
 * blockEmissionForIssuance(10_500_001_000_000_000n); // 500000000n
 */
export function blockEmissionForIssuance(issuance: bigint): bigint {
  assertU64(issuance, 'blockEmissionForIssuance issuance');
  const total = issuance << 32n;
  if (total >= TOTAL_SUPPLY << 32n) return 0n;
  const ratio = fxDiv(I96F32, total, HALVING_DENOMINATOR);
  const oneMinus = fxSub(I96F32, ONE, ratio);
  if (oneMinus === 0n) return 0n; // checked_div by zero: upstream Err → no emission
  const inverse = fxDiv(I96F32, ONE, oneMinus);
  // 1 ≤ inverse < 2: log2's integer part (the halving count) is 0, so the emission is the full
  // default; skipping the log2 is the common case before the first halving.
  if (inverse >= ONE && inverse < TWO) return DEFAULT_BLOCK_EMISSION;
  const residual = inverse === 0n ? undefined : log2I96F32(inverse);
  if (residual === undefined) return 0n;
  const k = residual < 0n ? 0n : residual >> 32n;
  let multiplier = ONE;
  for (let i = 0n; i < k && multiplier < I96F32.max; i++) {
    multiplier = fxMul(I96F32, multiplier, TWO);
  }
  const percentage = fxDiv(I96F32, ONE, multiplier);
  const emission = fxMul(I96F32, percentage, DEFAULT_BLOCK_EMISSION << 32n);
  return emission <= 0n ? 0n : emission >> 32n > U64_MAX ? U64_MAX : emission >> 32n;
}
