import { type Codec, createCodec, i64, i128, u64, u128 } from 'scale-ts';
import { formatBigint } from './errors.js';

/**
 * Fixed-point numbers as raw-bit bigints, mirroring `substrate_fixed` with subtensor's rules:
 * multiply floors then saturates, divide is `safe_div` (0 on a zero divisor or an overflowing
 * quotient, truncating toward zero), add/sub saturate, conversions floor and saturate.
 */

/** Names of the supported fixed-point types. */
export type FixedTypeName = 'I32F32' | 'I64F64' | 'I96F32' | 'U64F64' | 'U96F32' | 'U32F32';

/** Descriptor of a fixed-point type: total bits, fraction bits, signedness and raw bounds. */
export type FixedType = {
  readonly name: FixedTypeName;
  readonly bits: number;
  readonly frac: number;
  readonly signed: boolean;
  /** Smallest raw value. */
  readonly min: bigint;
  /** Largest raw value. */
  readonly max: bigint;
  /** Raw bits of 1.0. */
  readonly one: bigint;
  /** Fraction bits as a bigint (shift amount). */
  readonly fracBig: bigint;
};

function fixedType(name: FixedTypeName, bits: number, frac: number, signed: boolean): FixedType {
  const b = BigInt(bits);
  return Object.freeze({
    name,
    bits,
    frac,
    signed,
    min: signed ? -(1n << (b - 1n)) : 0n,
    max: signed ? (1n << (b - 1n)) - 1n : (1n << b) - 1n,
    one: 1n << BigInt(frac),
    fracBig: BigInt(frac),
  });
}

/** Signed 64-bit fixed point, 32 fraction bits (the Yuma epoch's main type). */
export const I32F32: FixedType = fixedType('I32F32', 64, 32, true);
/** Signed 128-bit fixed point, 64 fraction bits. */
export const I64F64: FixedType = fixedType('I64F64', 128, 64, true);
/** Signed 128-bit fixed point, 32 fraction bits. */
export const I96F32: FixedType = fixedType('I96F32', 128, 32, true);
/** Unsigned 128-bit fixed point, 64 fraction bits. */
export const U64F64: FixedType = fixedType('U64F64', 128, 64, false);
/** Unsigned 128-bit fixed point, 32 fraction bits. */
export const U96F32: FixedType = fixedType('U96F32', 128, 32, false);
/** Unsigned 64-bit fixed point, 32 fraction bits. */
export const U32F32: FixedType = fixedType('U32F32', 64, 32, false);

const TYPES = new Set<unknown>([I32F32, I64F64, I96F32, U64F64, U96F32, U32F32]);

function assertType(t: unknown, what: string): asserts t is FixedType {
  if (!TYPES.has(t))
    throw new TypeError(`${what}: expected one of the exported FixedType descriptors`);
}

function assertRaw(t: FixedType, raw: unknown, what: string): asserts raw is bigint {
  if (typeof raw !== 'bigint') {
    throw new TypeError(`${what}: expected ${t.name} raw bits as a bigint, got ${typeof raw}`);
  }
  if (raw < t.min || raw > t.max) {
    throw new RangeError(`${what}: ${formatBigint(raw)} is outside the ${t.name} range`);
  }
}

/**
 * Clamps a raw value to the type's range.
 * @example
 * import { I32F32, fxSaturate } from '@taoscript/codec';
 * fxSaturate(I32F32, 1n << 70n) === I32F32.max; // true
 */
export function fxSaturate(t: FixedType, v: bigint): bigint {
  assertType(t, 'fxSaturate type');
  if (typeof v !== 'bigint') throw new TypeError(`fxSaturate: expected a bigint, got ${typeof v}`);
  return v < t.min ? t.min : v > t.max ? t.max : v;
}

function sat(t: FixedType, v: bigint): bigint {
  return v < t.min ? t.min : v > t.max ? t.max : v;
}

/** Floor division of bigints (rounds toward negative infinity). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * Fixed value of an integer (saturating to the type's range, like `saturating_from_num`).
 * @example
 * import { I32F32, fxFromInt } from '@taoscript/codec';
 * fxFromInt(I32F32, 3) === 3n << 32n; // true
 */
export function fxFromInt(t: FixedType, n: bigint | number): bigint {
  assertType(t, 'fxFromInt type');
  let v: bigint;
  if (typeof n === 'bigint') v = n;
  else if (typeof n === 'number') {
    if (!Number.isSafeInteger(n)) throw new RangeError(`fxFromInt: ${n} is not a safe integer`);
    v = BigInt(n);
  } else throw new TypeError(`fxFromInt: expected a bigint or number, got ${typeof n}`);
  return sat(t, v << t.fracBig);
}

/**
 * Fixed value of num/den, rounded down (floor), saturating; throws RangeError for den == 0.
 * @example
 * import { I32F32, fxFromRatio } from '@taoscript/codec';
 * fxFromRatio(I32F32, 1n, 2n) === 1n << 31n; // true
 */
export function fxFromRatio(t: FixedType, num: bigint, den: bigint): bigint {
  assertType(t, 'fxFromRatio type');
  if (typeof num !== 'bigint' || typeof den !== 'bigint') {
    throw new TypeError('fxFromRatio: numerator and denominator must be bigints');
  }
  if (den === 0n) throw new RangeError('fxFromRatio: zero denominator');
  return sat(t, floorDiv(num << t.fracBig, den));
}

const f64View = new DataView(new ArrayBuffer(8));

/**
 * Fixed value of a double, rounded to nearest with ties to even (exact, from the double's bits),
 * saturating; ±Infinity saturate, NaN throws RangeError. Mirrors `from_num(f64)`.
 * @example
 * import { I32F32, fxFromF64 } from '@taoscript/codec';
 * fxFromF64(I32F32, 0.1); // 429496730n
 */
export function fxFromF64(t: FixedType, x: number): bigint {
  assertType(t, 'fxFromF64 type');
  if (typeof x !== 'number') throw new TypeError(`fxFromF64: expected a number, got ${typeof x}`);
  if (Number.isNaN(x)) throw new RangeError('fxFromF64: NaN has no fixed-point value');
  if (x === Number.POSITIVE_INFINITY) return t.max;
  if (x === Number.NEGATIVE_INFINITY) return t.min;
  if (x === 0) return 0n;
  f64View.setFloat64(0, x);
  const hi = f64View.getUint32(0);
  const lo = f64View.getUint32(4);
  const negative = hi >>> 31 === 1;
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  // |x| = mant * 2^exp, so |raw| = mant * 2^(exp + frac)
  const shift = exp + t.frac;
  let mag: bigint;
  if (shift >= 0) mag = mant << BigInt(shift);
  else {
    const s = BigInt(-shift);
    if (s > 60n)
      mag = 0n; // below half a unit (mant < 2^53)
    else {
      mag = mant >> s;
      const rem = mant & ((1n << s) - 1n);
      const half = 1n << (s - 1n);
      if (rem > half || (rem === half && (mag & 1n) === 1n)) mag += 1n;
    }
  }
  return sat(t, negative ? -mag : mag);
}

/**
 * Fixed value of `Math.fround(x)`: what `from_num(f32)` gives for an f32 literal.
 * @example
 * import { I32F32, fxFromF32 } from '@taoscript/codec';
 * fxFromF32(I32F32, 0.1); // 429496736n
 */
export function fxFromF32(t: FixedType, x: number): bigint {
  if (typeof x !== 'number') throw new TypeError(`fxFromF32: expected a number, got ${typeof x}`);
  return fxFromF64(t, Math.fround(x));
}

/**
 * Nearest double to a fixed value.
 * @example
 * import { I32F32, fxToF64 } from '@taoscript/codec';
 * fxToF64(I32F32, 1n << 31n); // 0.5
 */
export function fxToF64(t: FixedType, raw: bigint): number {
  assertType(t, 'fxToF64 type');
  assertRaw(t, raw, 'fxToF64');
  return Number(raw) / 2 ** t.frac;
}

/**
 * `saturating_mul`: the exact product floored to the type's resolution, then clamped.
 * @example
 * import { I32F32, fxFromInt, fxMul } from '@taoscript/codec';
 * fxMul(I32F32, fxFromInt(I32F32, 2), fxFromInt(I32F32, 3)) === 6n << 32n; // true
 */
export function fxMul(t: FixedType, a: bigint, b: bigint): bigint {
  assertRaw(t, a, 'fxMul a');
  assertRaw(t, b, 'fxMul b');
  return sat(t, (a * b) >> t.fracBig);
}

/**
 * `safe_div`: (a << frac) / b truncated toward zero; 0 when b is 0 or the quotient overflows.
 * @example
 * import { I32F32, fxDiv, fxFromInt } from '@taoscript/codec';
 * fxDiv(I32F32, fxFromInt(I32F32, 1), fxFromInt(I32F32, 4)) === 1n << 30n; // true
 */
export function fxDiv(t: FixedType, a: bigint, b: bigint): bigint {
  assertRaw(t, a, 'fxDiv a');
  assertRaw(t, b, 'fxDiv b');
  if (b === 0n) return 0n;
  const q = (a << t.fracBig) / b;
  return q < t.min || q > t.max ? 0n : q;
}

/**
 * `saturating_add`.
 * @example
 * import { I32F32, fxAdd } from '@taoscript/codec';
 * fxAdd(I32F32, I32F32.max, 1n) === I32F32.max; // true
 */
export function fxAdd(t: FixedType, a: bigint, b: bigint): bigint {
  assertRaw(t, a, 'fxAdd a');
  assertRaw(t, b, 'fxAdd b');
  return sat(t, a + b);
}

/**
 * `saturating_sub`.
 * @example
 * import { U64F64, fxSub } from '@taoscript/codec';
 * fxSub(U64F64, 1n, 2n); // 0n
 */
export function fxSub(t: FixedType, a: bigint, b: bigint): bigint {
  assertRaw(t, a, 'fxSub a');
  assertRaw(t, b, 'fxSub b');
  return sat(t, a - b);
}

/**
 * Converts between fixed types: fewer fraction bits floors, more shifts left; saturates.
 * @example
 * import { I32F32, I64F64, fxConvert } from '@taoscript/codec';
 * fxConvert(I64F64, I32F32, (1n << 64n) + 1n) === 1n << 32n; // true
 */
export function fxConvert(from: FixedType, to: FixedType, raw: bigint): bigint {
  assertType(from, 'fxConvert from');
  assertType(to, 'fxConvert to');
  assertRaw(from, raw, 'fxConvert');
  const shift = to.frac - from.frac;
  const v = shift >= 0 ? raw << BigInt(shift) : raw >> BigInt(-shift);
  return sat(to, v);
}

/**
 * `saturating_to_num` to an integer of `intBits` bits: floor, then clamp (negative → 0 if unsigned).
 * @example
 * import { I32F32, fxFromF64, fxToInt } from '@taoscript/codec';
 * fxToInt(I32F32, fxFromF64(I32F32, -1.5), 8, true); // -2n
 */
export function fxToInt(t: FixedType, raw: bigint, intBits: number, signed = false): bigint {
  assertType(t, 'fxToInt type');
  assertRaw(t, raw, 'fxToInt');
  if (!Number.isInteger(intBits) || intBits < 1 || intBits > 256) {
    throw new RangeError(`fxToInt intBits: expected an integer in [1, 256], got ${intBits}`);
  }
  const n = BigInt(intBits);
  const lo = signed ? -(1n << (n - 1n)) : 0n;
  const hi = signed ? (1n << (n - 1n)) - 1n : (1n << n) - 1n;
  const v = raw >> t.fracBig;
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * `saturating_to_num::<u16>()`.
 * @example
 * import { I32F32, fxFromF64, fxToU16 } from '@taoscript/codec';
 * fxToU16(I32F32, fxFromF64(I32F32, 70000.9)); // 65535
 */
export function fxToU16(t: FixedType, raw: bigint): number {
  return Number(fxToInt(t, raw, 16));
}

/**
 * `saturating_to_num::<u64>()`.
 * @example
 * import { I96F32, fxFromInt, fxToU64 } from '@taoscript/codec';
 * fxToU64(I96F32, fxFromInt(I96F32, 5n)); // 5n
 */
export function fxToU64(t: FixedType, raw: bigint): bigint {
  return fxToInt(t, raw, 64);
}

/**
 * Largest integer value not above `raw` (`floor`), as raw bits.
 * @example
 * import { I32F32, fxFloor, fxFromF64 } from '@taoscript/codec';
 * fxFloor(I32F32, fxFromF64(I32F32, -0.5)) === -(1n << 32n); // true
 */
export function fxFloor(t: FixedType, raw: bigint): bigint {
  assertType(t, 'fxFloor type');
  assertRaw(t, raw, 'fxFloor');
  return (raw >> t.fracBig) << t.fracBig;
}

/**
 * Smallest integer value not below `raw` (`ceil`), saturating, as raw bits.
 * @example
 * import { I32F32, fxCeil, fxFromF64 } from '@taoscript/codec';
 * fxCeil(I32F32, fxFromF64(I32F32, 0.25)) === 1n << 32n; // true
 */
export function fxCeil(t: FixedType, raw: bigint): bigint {
  assertType(t, 'fxCeil type');
  assertRaw(t, raw, 'fxCeil');
  const mask = t.one - 1n;
  return sat(t, (raw & mask) === 0n ? raw : ((raw >> t.fracBig) + 1n) << t.fracBig);
}

const U16_MAX_I32F32 = 65535n << 32n;

/**
 * subtensor's `fixed_proportion_to_u16`: `saturating_to_num::<u16>(x · 65535)` (floors twice).
 * @example
 * import { I32F32, fixedProportionToU16 } from '@taoscript/codec';
 * fixedProportionToU16(I32F32.one); // 65535
 */
export function fixedProportionToU16(i32f32Raw: bigint): number {
  return fxToU16(I32F32, fxMul(I32F32, i32f32Raw, U16_MAX_I32F32));
}

/**
 * subtensor's `u16_proportion_to_fixed`: I32F32(u) / 65535 (safe_div, truncating).
 * @example
 * import { u16ProportionToFixed } from '@taoscript/codec';
 * u16ProportionToFixed(65535) === 1n << 32n; // true
 */
export function u16ProportionToFixed(u: number): bigint {
  if (typeof u !== 'number')
    throw new TypeError(`u16ProportionToFixed: expected a number, got ${typeof u}`);
  if (!Number.isInteger(u) || u < 0 || u > 65535) {
    throw new RangeError(`u16ProportionToFixed: expected an integer in [0, 65535], got ${u}`);
  }
  return fxDiv(I32F32, BigInt(u) << 32n, U16_MAX_I32F32);
}

const I32_ONE = 1n << 32n;
const I32_MIN = I32F32.min;
const I32_MAX = I32F32.max;
const EXP_CLAMP = 20n << 32n;
/** substrate_fixed's `consts::E` as an I9F23 (23 fraction bits), widened to I32F32. */
const E_I9F23_AS_I32F32 = 22802600n << 9n;

/**
 * substrate_fixed `transcendental::exp` on I32F32 raw bits: a Taylor series truncated after the
 * x^31/31! term with floor multiplies and truncating divides. Returns undefined where the Rust
 * function returns Err (an intermediate overflows).
 */
function substrateExp(x: bigint): bigint | undefined {
  if (x === 0n) return I32_ONE;
  if (x === I32_ONE) return E_I9F23_AS_I32F32;
  const neg = x < 0n;
  const a = neg ? -x : x;
  if (a > I32_MAX) return undefined;
  let result = a + I32_ONE;
  if (result > I32_MAX) return undefined;
  let term = a;
  for (let i = 2n; i < 32n; i++) {
    term = (term * a) >> 32n; // checked_mul: floor
    if (term > I32_MAX || term < I32_MIN) return undefined;
    term = term / i; // checked_div by I32F32(i): (term << 32) / (i << 32), truncating
    result += term;
    if (result > I32_MAX) return undefined;
  }
  if (neg) result = (I32_ONE << 32n) / result; // 1 / result, truncating
  return result;
}

/**
 * subtensor's `exp_safe`: clamps the I32F32 input to [-20, 20], then substrate_fixed's
 * `transcendental::exp`, bit-exactly (I32F32 raw bits in and out).
 * @example
 * import { I32F32, expSafe, fxFromInt, fxToF64 } from '@taoscript/codec';
 * fxToF64(I32F32, expSafe(fxFromInt(I32F32, 2))); // ≈ 7.389
 */
export function expSafe(i32f32Raw: bigint): bigint {
  assertRaw(I32F32, i32f32Raw, 'expSafe');
  const x = i32f32Raw < -EXP_CLAMP ? -EXP_CLAMP : i32f32Raw > EXP_CLAMP ? EXP_CLAMP : i32f32Raw;
  const r = substrateExp(x);
  if (r !== undefined) return r;
  return x <= 0n ? 0n : I32_MAX;
}

/**
 * scale-ts codec for a fixed type's raw bits, encoded as the matching u64/i64/u128/i128.
 * The encoder throws RangeError for values outside the type's range.
 * @example
 * import { I32F32, fixedCodec } from '@taoscript/codec';
 * fixedCodec(I32F32).enc(1n << 32n); // 8 bytes, little-endian
 */
export function fixedCodec(t: FixedType): Codec<bigint> {
  assertType(t, 'fixedCodec type');
  const inner = t.bits === 64 ? (t.signed ? i64 : u64) : t.signed ? i128 : u128;
  return createCodec((value: bigint) => {
    assertRaw(t, value, `${t.name} encode`);
    return inner.enc(value);
  }, inner.dec);
}
