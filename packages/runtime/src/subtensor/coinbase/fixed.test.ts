import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expSafe, fxFromInt, fxFromRatio, fxToF64, I32F32, U64F64 } from '@taoscript/codec';
import fc from 'fast-check';
import { checkedSqrtU64F64, expI32F32, lnI32F32 } from './fixed.js';

const seed = Number(process.env.FC_SEED ?? 1);
const ONE = 1n << 32n;
/** substrate_fixed LOG2_E truncated to I9F23 and widened to I32F32. */
const LOG2_E = 12_102_203n << 9n;
const EPS = (1n << 64n) / 1000n;

describe('lnI32F32 (substrate_fixed ln on I32F32)', () => {
  it('is log2 divided by the truncated LOG2_E, truncating', () => {
    assert.equal(lnI32F32(ONE), 0n);
    // log2(2) = 1 exactly, so ln(2) = 2^64 / LOG2_E.
    assert.equal(lnI32F32(2n * ONE), (1n << 64n) / LOG2_E);
    assert.equal(lnI32F32(4n * ONE), (2n << 64n) / LOG2_E);
    // Below one: −log2(1/x), the division truncating toward zero.
    assert.equal(lnI32F32(ONE / 2n), -((1n << 64n) / LOG2_E));
    assert.ok(Math.abs(fxToF64(I32F32, lnI32F32(10n * ONE) as bigint) - Math.log(10)) < 1e-6);
  });

  it('fails where Rust returns Err: x ≤ 0, or 1/x overflowing', () => {
    assert.equal(lnI32F32(0n), undefined);
    assert.equal(lnI32F32(-ONE), undefined);
    assert.equal(lnI32F32(1n), undefined);
    assert.equal(lnI32F32(2n), undefined); // 1/x = 2^31 does not fit
    assert.notEqual(lnI32F32(3n), undefined);
  });

  it('rejects non-I32F32 input', () => {
    assert.throws(() => lnI32F32(1 as unknown as bigint), TypeError);
    assert.throws(() => lnI32F32(1n << 63n), RangeError);
  });
});

describe('expI32F32 (substrate_fixed exp on I32F32, unclamped)', () => {
  it('has the exact special cases and the series elsewhere', () => {
    assert.equal(expI32F32(0n), ONE);
    assert.equal(expI32F32(ONE), 22_802_600n << 9n);
    assert.ok(Math.abs(fxToF64(I32F32, expI32F32(-ONE) as bigint) - Math.exp(-1)) < 1e-7);
    assert.ok(Math.abs(fxToF64(I32F32, expI32F32(10n * ONE) as bigint) / Math.exp(10) - 1) < 1e-7);
  });

  it('fails beyond I32F32 instead of clamping (both signs)', () => {
    assert.equal(expI32F32(22n * ONE), undefined);
    assert.equal(expI32F32(-22n * ONE), undefined);
    // e^21 fits, but the series' term·x overflows before its division by k: Err upstream too.
    assert.equal(expI32F32(21n * ONE), undefined);
    assert.notEqual(expI32F32(20n * ONE), undefined);
  });

  it('matches the codec’s exp_safe inside its clamp', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -20n * ONE, max: 20n * ONE }), (x) => {
        assert.equal(expI32F32(x), expSafe(x));
      }),
      { seed, numRuns: 300 },
    );
  });

  it('rejects non-I32F32 input', () => {
    assert.throws(() => expI32F32('1' as unknown as bigint), TypeError);
    assert.throws(() => expI32F32(-(1n << 63n) - 1n), RangeError);
  });
});

describe('checkedSqrtU64F64 (safe_math checked_sqrt)', () => {
  it('bisects to within epsilon', () => {
    for (const [x, r] of [
      [4n, 2],
      [2n, Math.SQRT2],
      [1_000_000n, 1000],
    ] as const) {
      const s = checkedSqrtU64F64(fxFromInt(U64F64, x), EPS);
      assert.ok(Math.abs(fxToF64(U64F64, s) - r) < 1e-3, `sqrt(${x})`);
    }
    const quarter = checkedSqrtU64F64(fxFromRatio(U64F64, 1n, 4n), EPS);
    assert.ok(Math.abs(fxToF64(U64F64, quarter) - 0.5) < 1e-3);
    // One is exact on the first midpoint.
    assert.equal(checkedSqrtU64F64(U64F64.one, EPS), U64F64.one);
  });
});
