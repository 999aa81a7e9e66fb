import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fcOptions } from '../test/fc-options.js';
import {
  expSafe,
  type FixedType,
  fixedCodec,
  fixedProportionToU16,
  fxAdd,
  fxCeil,
  fxConvert,
  fxDiv,
  fxFloor,
  fxFromF32,
  fxFromF64,
  fxFromInt,
  fxFromRatio,
  fxMul,
  fxSaturate,
  fxSub,
  fxToF64,
  fxToInt,
  fxToU16,
  fxToU64,
  I32F32,
  I64F64,
  I96F32,
  U32F32,
  U64F64,
  U96F32,
  u16ProportionToFixed,
} from './fixed.js';
import { toHex } from './hex.js';
import { decodeExact } from './scale.js';

const TYPES: FixedType[] = [I32F32, I64F64, I96F32, U64F64, U96F32, U32F32];

const rawArb = (t: FixedType) => fc.bigInt({ min: t.min, max: t.max });
/** Raw values concentrated where products and quotients neither vanish nor always saturate. */
const moderateArb = (t: FixedType) =>
  fc.oneof(
    rawArb(t),
    fc.bigInt({ min: t.signed ? -(t.one << 8n) : 0n, max: t.one << 8n }),
    fc.constantFrom(0n, 1n, t.one, t.max, t.min, t.signed ? -t.one : t.one + 1n),
  );
const typeArb = fc.constantFrom(...TYPES);

function clamp(t: FixedType, v: bigint): bigint {
  return v < t.min ? t.min : v > t.max ? t.max : v;
}

/** floor(n / d) for d > 0, written independently of the implementation. */
function floorDivPos(n: bigint, d: bigint): bigint {
  const r = ((n % d) + d) % d;
  return (n - r) / d;
}

describe('descriptors', () => {
  test('bounds and one', () => {
    const expected: [FixedType, string, number, number, boolean][] = [
      [I32F32, 'I32F32', 64, 32, true],
      [I64F64, 'I64F64', 128, 64, true],
      [I96F32, 'I96F32', 128, 32, true],
      [U64F64, 'U64F64', 128, 64, false],
      [U96F32, 'U96F32', 128, 32, false],
      [U32F32, 'U32F32', 64, 32, false],
    ];
    for (const [t, name, bits, frac, signed] of expected) {
      assert.equal(t.name, name);
      assert.equal(t.bits, bits);
      assert.equal(t.frac, frac);
      assert.equal(t.signed, signed);
      assert.equal(t.one, 2n ** BigInt(frac));
      assert.equal(t.min, signed ? -(2n ** BigInt(bits - 1)) : 0n);
      assert.equal(t.max, signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n);
      assert.ok(Object.isFrozen(t));
    }
  });
});

describe('construction', () => {
  test('fxFromInt shifts and saturates', () => {
    assert.equal(fxFromInt(I32F32, 3), 3n << 32n);
    assert.equal(fxFromInt(I32F32, -3n), -3n << 32n);
    assert.equal(fxFromInt(I32F32, 2 ** 31), I32F32.max);
    assert.equal(fxFromInt(I32F32, -(2 ** 31)), I32F32.min);
    assert.equal(fxFromInt(U64F64, -1), 0n);
    assert.equal(fxFromInt(I96F32, 10n ** 20n), (10n ** 20n) << 32n);
    assert.throws(() => fxFromInt(I32F32, 1.5), RangeError);
    assert.throws(() => fxFromInt(I32F32, 2 ** 60), RangeError);
    assert.throws(() => fxFromInt(I32F32, '1' as unknown as number), TypeError);
  });

  test('fxFromRatio floors and saturates', () => {
    assert.equal(fxFromRatio(I32F32, 1n, 2n), 1n << 31n);
    assert.equal(fxFromRatio(I32F32, 1n, 3n), 1431655765n);
    assert.equal(fxFromRatio(I32F32, -1n, 3n), -1431655766n);
    assert.equal(fxFromRatio(I32F32, 1n, -3n), -1431655766n);
    assert.equal(fxFromRatio(I32F32, 1n << 40n, 1n), I32F32.max);
    assert.equal(fxFromRatio(U64F64, -1n, 2n), 0n);
    fc.assert(
      fc.property(typeArb, fc.bigInt(), fc.bigInt({ min: 1n, max: 1n << 80n }), (t, n, d) => {
        assert.equal(fxFromRatio(t, n, d), clamp(t, floorDivPos(n << BigInt(t.frac), d)));
      }),
      fcOptions(),
    );
    assert.throws(() => fxFromRatio(I32F32, 1n, 0n), RangeError);
    assert.throws(() => fxFromRatio(I32F32, 1 as unknown as bigint, 2n), TypeError);
  });

  test('fxFromF64 rounds to nearest, ties to even, exactly', () => {
    assert.equal(fxFromF64(I32F32, 0.1), 429496730n);
    assert.equal(fxFromF64(I32F32, 0.5), 1n << 31n);
    assert.equal(fxFromF64(I32F32, -2.25), -(9n << 30n));
    // Half-unit ties go to the even neighbour, on both sides of zero.
    assert.equal(fxFromF64(I32F32, 2 ** -33), 0n);
    assert.equal(fxFromF64(I32F32, 3 * 2 ** -33), 2n);
    assert.equal(fxFromF64(I32F32, 5 * 2 ** -33), 2n);
    assert.equal(fxFromF64(I32F32, -(2 ** -33)), 0n);
    assert.equal(fxFromF64(I32F32, -3 * 2 ** -33), -2n);
    assert.equal(fxFromF64(I32F32, 2 ** -33 + 2 ** -60), 1n);
    assert.equal(fxFromF64(I32F32, Number.MIN_VALUE), 0n);
    assert.equal(fxFromF64(I64F64, 2 ** -64), 1n);
    assert.equal(fxFromF64(I32F32, -0), 0n);
    // Saturation.
    assert.equal(fxFromF64(I32F32, 2 ** 31), I32F32.max);
    assert.equal(fxFromF64(I32F32, -(2 ** 31)), I32F32.min);
    assert.equal(fxFromF64(I32F32, 1e300), I32F32.max);
    assert.equal(fxFromF64(I32F32, Number.POSITIVE_INFINITY), I32F32.max);
    assert.equal(fxFromF64(I32F32, Number.NEGATIVE_INFINITY), I32F32.min);
    assert.equal(fxFromF64(U64F64, -1.5), 0n);
    assert.throws(() => fxFromF64(I32F32, Number.NaN), RangeError);
    assert.throws(() => fxFromF64(I32F32, 1n as unknown as number), TypeError);
  });

  test('fxFromF64 agrees with rounding x·2^frac in double arithmetic', () => {
    // x·2^frac is exact for these doubles, and so are floor and the fractional part.
    fc.assert(
      fc.property(
        typeArb,
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
        (t, x) => {
          const y = x * 2 ** t.frac;
          let expected: bigint;
          if (Number.isInteger(y)) expected = BigInt(y);
          else {
            const fl = Math.floor(y);
            const d = y - fl;
            const base = BigInt(fl);
            expected = d > 0.5 ? base + 1n : d < 0.5 ? base : base % 2n === 0n ? base : base + 1n;
          }
          assert.equal(fxFromF64(t, x), clamp(t, expected));
        },
      ),
      fcOptions(500),
    );
  });

  test('fxFromF32 rounds through f32 first', () => {
    assert.equal(fxFromF32(I32F32, 0.1), 429496736n);
    assert.equal(fxFromF32(I32F32, 0.4), fxFromF64(I32F32, Math.fround(0.4)));
    assert.notEqual(fxFromF32(I32F32, 0.4), fxFromF64(I32F32, 0.4));
    assert.throws(() => fxFromF32(I32F32, '0.1' as unknown as number), TypeError);
  });

  test('fxToF64 inverts fxFromF64 to within half a unit', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (x) => {
        assert.ok(Math.abs(fxToF64(I32F32, fxFromF64(I32F32, x)) - x) <= 2 ** -33);
      }),
      fcOptions(),
    );
    assert.equal(fxToF64(I64F64, 3n << 63n), 1.5);
  });
});

describe('arithmetic', () => {
  test('fxMul floors the exact product, then saturates', () => {
    fc.assert(
      fc.property(
        typeArb.chain((t) => fc.tuple(fc.constant(t), moderateArb(t), moderateArb(t))),
        ([t, a, b]) => {
          const r = fxMul(t, a, b);
          assert.equal(r, clamp(t, floorDivPos(a * b, t.one)));
          if (r !== t.min && r !== t.max) {
            assert.ok(r * t.one <= a * b && a * b < (r + 1n) * t.one);
          }
        },
      ),
      fcOptions(500),
    );
    assert.equal(fxMul(I32F32, -1n, 1n), -1n, 'floor, not truncation');
    assert.equal(fxMul(I32F32, I32F32.max, fxFromInt(I32F32, 2)), I32F32.max);
    assert.equal(fxMul(I32F32, I32F32.max, fxFromInt(I32F32, -2)), I32F32.min);
    assert.equal(fxMul(I32F32, I32F32.min, I32F32.min), I32F32.max);
  });

  test('fxDiv truncates toward zero and returns 0 on a zero divisor or overflow', () => {
    fc.assert(
      fc.property(
        typeArb.chain((t) => fc.tuple(fc.constant(t), moderateArb(t), moderateArb(t))),
        ([t, a, b]) => {
          const q = fxDiv(t, a, b);
          if (b === 0n) return assert.equal(q, 0n);
          const n = a * t.one;
          const abs = (x: bigint) => (x < 0n ? -x : x);
          const exact = abs(n) / abs(b); // truncated magnitude
          const signed = n < 0n !== b < 0n ? -exact : exact;
          if (signed < t.min || signed > t.max) assert.equal(q, 0n);
          else {
            assert.equal(q, signed);
            assert.ok(abs(q * b) <= abs(n) && abs(n) < (abs(q) + 1n) * abs(b));
          }
        },
      ),
      fcOptions(500),
    );
    assert.equal(fxDiv(I32F32, I32F32.one, 0n), 0n);
    assert.equal(fxDiv(I32F32, I32F32.max, 1n), 0n, 'overflow gives 0, not max');
    assert.equal(fxDiv(I32F32, fxFromInt(I32F32, 1), fxFromInt(I32F32, 4)), 1n << 30n);
    assert.equal(fxDiv(I32F32, -1n, 3n << 32n), 0n, 'truncates toward zero');
    assert.equal(fxDiv(I32F32, I32F32.min, -I32F32.one), 0n, '-MIN overflows');
  });

  test('fxAdd and fxSub saturate', () => {
    fc.assert(
      fc.property(
        typeArb.chain((t) => fc.tuple(fc.constant(t), rawArb(t), rawArb(t))),
        ([t, a, b]) => {
          assert.equal(fxAdd(t, a, b), clamp(t, a + b));
          assert.equal(fxSub(t, a, b), clamp(t, a - b));
          assert.equal(fxAdd(t, a, b), fxAdd(t, b, a));
        },
      ),
      fcOptions(),
    );
    assert.equal(fxAdd(I32F32, I32F32.max, 1n), I32F32.max);
    assert.equal(fxSub(I32F32, I32F32.min, 1n), I32F32.min);
    assert.equal(fxSub(U64F64, 1n, 2n), 0n);
  });

  test('fxSaturate', () => {
    assert.equal(fxSaturate(I32F32, 1n << 70n), I32F32.max);
    assert.equal(fxSaturate(I32F32, -(1n << 70n)), I32F32.min);
    assert.equal(fxSaturate(U96F32, -5n), 0n);
    assert.equal(fxSaturate(U96F32, 5n), 5n);
    assert.throws(() => fxSaturate(I32F32, 5 as unknown as bigint), TypeError);
  });

  test('operands must be in range raw bigints of a known type', () => {
    const fns = [fxMul, fxDiv, fxAdd, fxSub];
    for (const f of fns) {
      assert.throws(() => f(I32F32, I32F32.max + 1n, 0n), RangeError, f.name);
      assert.throws(() => f(I32F32, 0n, I32F32.min - 1n), RangeError, f.name);
      assert.throws(() => f(U64F64, -1n, 0n), RangeError, f.name);
      assert.throws(() => f(I32F32, 1 as unknown as bigint, 0n), TypeError, f.name);
    }
    const fake = { ...I32F32 } as FixedType;
    assert.throws(() => fxFromInt(fake, 1), TypeError);
    assert.throws(() => fxToF64(fake, 1n), TypeError);
    assert.throws(() => fixedCodec(fake), TypeError);
    assert.throws(() => expSafe(I32F32.max + 1n), RangeError);
  });
});

describe('conversions', () => {
  test('fxConvert floors when dropping fraction bits and saturates', () => {
    assert.equal(fxConvert(I64F64, I32F32, (1n << 64n) + 1n), 1n << 32n);
    assert.equal(fxConvert(I64F64, I32F32, -1n), -1n, 'floor of a tiny negative');
    assert.equal(fxConvert(I64F64, I32F32, 1n << 100n), I32F32.max);
    assert.equal(fxConvert(I32F32, I64F64, -(1n << 32n)), -(1n << 64n));
    assert.equal(fxConvert(I32F32, U64F64, -1n), 0n);
    assert.equal(fxConvert(U64F64, I32F32, U64F64.max), I32F32.max);
    fc.assert(
      fc.property(
        typeArb.chain((from) => fc.tuple(fc.constant(from), typeArb, rawArb(from))),
        ([from, to, raw]) => {
          const got = fxConvert(from, to, raw);
          const shift = BigInt(to.frac - from.frac);
          const expected = shift >= 0n ? raw * 2n ** shift : floorDivPos(raw, 2n ** -shift);
          assert.equal(got, clamp(to, expected));
        },
      ),
      fcOptions(),
    );
  });

  test('fxToInt floors then clamps', () => {
    assert.equal(fxToInt(I32F32, fxFromF64(I32F32, -1.5), 8, true), -2n);
    assert.equal(fxToInt(I32F32, fxFromF64(I32F32, -1.5), 8), 0n);
    assert.equal(fxToInt(I32F32, fxFromF64(I32F32, 300.99), 8), 255n);
    assert.equal(fxToInt(I32F32, fxFromF64(I32F32, -300), 8, true), -128n);
    assert.equal(fxToU16(I32F32, fxFromF64(I32F32, 70000.9)), 65535);
    assert.equal(fxToU16(I32F32, fxFromF64(I32F32, 12.999)), 12);
    assert.equal(fxToU16(I32F32, -1n), 0);
    assert.equal(fxToU64(I96F32, I96F32.max), 2n ** 64n - 1n);
    assert.equal(fxToU64(U64F64, (5n << 64n) + 3n), 5n);
    fc.assert(
      fc.property(
        typeArb.chain((t) => fc.tuple(fc.constant(t), rawArb(t))),
        ([t, raw]) => {
          const fl = floorDivPos(raw, t.one);
          assert.equal(fxToU64(t, raw), fl < 0n ? 0n : fl > 2n ** 64n - 1n ? 2n ** 64n - 1n : fl);
        },
      ),
      fcOptions(),
    );
    assert.throws(() => fxToInt(I32F32, 0n, 0), RangeError);
    assert.throws(() => fxToInt(I32F32, 0n, 1.5), RangeError);
  });

  test('fxFloor and fxCeil', () => {
    assert.equal(fxFloor(I32F32, fxFromF64(I32F32, -0.5)), -(1n << 32n));
    assert.equal(fxFloor(I32F32, fxFromF64(I32F32, 2.75)), 2n << 32n);
    assert.equal(fxCeil(I32F32, fxFromF64(I32F32, 0.25)), 1n << 32n);
    assert.equal(fxCeil(I32F32, fxFromF64(I32F32, -0.25)), 0n);
    assert.equal(fxCeil(I32F32, 3n << 32n), 3n << 32n);
    assert.equal(fxCeil(I32F32, I32F32.max), I32F32.max);
  });
});

describe('subtensor helpers', () => {
  test('fixedProportionToU16 floors twice', () => {
    assert.equal(fixedProportionToU16(I32F32.one), 65535);
    assert.equal(fixedProportionToU16(fxFromF64(I32F32, 0.5)), 32767);
    assert.equal(fixedProportionToU16(0n), 0);
    assert.equal(fixedProportionToU16(-I32F32.one), 0);
    assert.equal(fixedProportionToU16(fxFromInt(I32F32, 2)), 65535);
    fc.assert(
      fc.property(rawArb(I32F32), (x) => {
        const v = floorDivPos(
          clamp(I32F32, floorDivPos(x * (65535n << 32n), 1n << 32n)),
          1n << 32n,
        );
        assert.equal(fixedProportionToU16(x), Number(v < 0n ? 0n : v > 65535n ? 65535n : v));
      }),
      fcOptions(),
    );
  });

  test('u16ProportionToFixed divides by 65535 with truncation', () => {
    assert.equal(u16ProportionToFixed(65535), I32F32.one);
    assert.equal(u16ProportionToFixed(0), 0n);
    assert.equal(u16ProportionToFixed(32767), (32767n << 32n) / 65535n);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (u) => {
        assert.equal(u16ProportionToFixed(u), (BigInt(u) << 32n) / 65535n);
        const back = fixedProportionToU16(u16ProportionToFixed(u));
        assert.ok(back === u || back === u - 1, `${u} -> ${back}`);
      }),
      fcOptions(),
    );
    for (const bad of [-1, 65536, 1.5]) assert.throws(() => u16ProportionToFixed(bad), RangeError);
    assert.throws(() => u16ProportionToFixed(1n as unknown as number), TypeError);
  });

  test('expSafe: special cases, clamping and the truncated series', () => {
    assert.equal(expSafe(0n), I32F32.one);
    assert.equal(
      expSafe(I32F32.one),
      22802600n << 9n,
      'the crate constant E with 23 fraction bits',
    );
    const e20 = fxToF64(I32F32, expSafe(fxFromInt(I32F32, 20)));
    assert.ok(Math.abs(e20 - 4.8124e8) < 1e4, `exp(20) = ${e20}`);
    assert.ok(e20 < Math.exp(20) * 0.995, 'the series stops at x^31/31!');
    assert.equal(expSafe(fxFromInt(I32F32, 25)), expSafe(fxFromInt(I32F32, 20)));
    assert.equal(expSafe(I32F32.max), expSafe(fxFromInt(I32F32, 20)));
    assert.equal(expSafe(I32F32.min), expSafe(fxFromInt(I32F32, -20)));
    assert.equal(expSafe(fxFromInt(I32F32, -20)), 8n, 'trunc(2^64 / exp(20) raw)');
  });

  test('expSafe(-x) is the truncated reciprocal of expSafe(x) and tracks Math.exp', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 20n << 32n }), (x) => {
        const pos = expSafe(x);
        if (x !== I32F32.one) assert.equal(expSafe(-x), (1n << 64n) / pos);
        const xf = fxToF64(I32F32, x);
        if (xf <= 8 && x !== I32F32.one) {
          const rel = Math.abs(fxToF64(I32F32, pos) - Math.exp(xf)) / Math.exp(xf);
          assert.ok(rel < 1e-7, `exp(${xf}) relative error ${rel}`);
        }
      }),
      fcOptions(),
    );
  });

  test('expSafe is monotone on a grid', () => {
    let prev = -1n;
    for (let x = -20n << 32n; x <= 20n << 32n; x += 1n << 28n) {
      const y = expSafe(x);
      assert.ok(y >= prev, `exp not monotone at ${x}`);
      prev = y;
    }
  });
});

describe('fixedCodec', () => {
  test('round-trips every type with the right width', () => {
    fc.assert(
      fc.property(
        typeArb.chain((t) => fc.tuple(fc.constant(t), rawArb(t))),
        ([t, raw]) => {
          const codec = fixedCodec(t);
          const bytes = codec.enc(raw);
          assert.equal(bytes.length, t.bits / 8);
          assert.equal(decodeExact(codec, bytes, t.name), raw);
        },
      ),
      fcOptions(),
    );
  });

  test('little-endian two’s complement bits', () => {
    assert.equal(toHex(fixedCodec(I32F32).enc(-1n)), '0xffffffffffffffff');
    assert.equal(toHex(fixedCodec(I32F32).enc(I32F32.one)), '0x0000000001000000');
    assert.equal(toHex(fixedCodec(U64F64).enc(U64F64.one)), '0x00000000000000000100000000000000');
    assert.equal(decodeExact(fixedCodec(U32F32), new Uint8Array(8).fill(0xff), 'x'), U32F32.max);
  });

  test('encoder rejects out-of-range raw values', () => {
    assert.throws(() => fixedCodec(U64F64).enc(-1n), RangeError);
    assert.throws(() => fixedCodec(I32F32).enc(I32F32.max + 1n), RangeError);
    assert.throws(() => fixedCodec(I96F32).enc(1 as unknown as bigint), TypeError);
  });
});
