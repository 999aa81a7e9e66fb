/**
 * Allocation-light SCALE paths for the integer, fixed-point and bool values most storage items
 * hold. scale-ts wraps every input in a cursor array with a DataView to decode, and allocates a
 * DataView per encode; for these fixed-width values plain byte arithmetic gives the same results.
 *
 * Each path covers only inputs where the result is certain to equal scale-ts's: decoding needs
 * enough bytes (scale-ts throws on short input, so short input goes to it), encoding needs a value
 * of the right type inside the range (scale-ts wraps or throws otherwise, so those go to it).
 */
import type { AnyShape } from './dsl.js';
import { bool, i64, i128, u8, u16, u32, u64, u128 } from './dsl.js';

const TWO_32 = 4_294_967_296;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;

function u32At(b: Uint8Array, o: number): number {
  return (
    ((b[o] as number) |
      ((b[o + 1] as number) << 8) |
      ((b[o + 2] as number) << 16) |
      ((b[o + 3] as number) << 24)) >>>
    0
  );
}

function u64At(b: Uint8Array, o: number): bigint {
  const lo = u32At(b, o);
  const hi = u32At(b, o + 4);
  // Below 2^53 the double is exact.
  return hi < 0x20_0000 ? BigInt(hi * TWO_32 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

function putU32(out: Uint8Array, o: number, v: number): void {
  out[o] = v & 0xff;
  out[o + 1] = (v >>> 8) & 0xff;
  out[o + 2] = (v >>> 16) & 0xff;
  out[o + 3] = v >>> 24;
}

function putU64(out: Uint8Array, o: number, v: bigint): void {
  if (v <= 0x1f_ffff_ffff_ffffn) {
    const n = Number(v);
    putU32(out, o, n >>> 0);
    putU32(out, o + 4, Math.floor(n / TWO_32));
  } else {
    putU32(out, o, Number(v & 0xffff_ffffn));
    putU32(out, o + 4, Number(v >> 32n));
  }
}

const isUint = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/** A fast path (0: none). A number, so callers branch instead of dispatching. */
export type FastKind = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
const NONE = 0;
const U8 = 1;
const U16 = 2;
const U32 = 3;
const U64 = 4;
const U128 = 5;
const BOOL = 6;
const I64 = 7;
const I128 = 8;

// Keyed by the codec's decoder and encoder functions, so shapes sharing them are covered:
// newtypes (TaoBalance, NetUid, ...) reuse their inner codec, and the fixed-point shapes
// (U64F64, I96F32, ...) decode with the plain u64/i64/u128/i128 decoder (their encoders check
// ranges first, so those are not shared).
const DECODERS = new Map<unknown, FastKind>([
  [u8.codec[1], U8],
  [u16.codec[1], U16],
  [u32.codec[1], U32],
  [u64.codec[1], U64],
  [u128.codec[1], U128],
  [bool.codec[1], BOOL],
  [i64.codec[1], I64],
  [i128.codec[1], I128],
]);
const ENCODERS = new Map<unknown, FastKind>([
  [u8.codec[0], U8],
  [u16.codec[0], U16],
  [u32.codec[0], U32],
  [u64.codec[0], U64],
  [u128.codec[0], U128],
  [bool.codec[0], BOOL],
]);

/**
 * The fast decode path of a shape whose codec decodes as u8, u16, u32, u64, u128, i64, i128 or
 * bool; 0 for any other.
 * @example
 * import { u64 } from './dsl.js';
 * import { fastDecode, fastDecodeKind } from './fast-codecs.js';
 * fastDecode(fastDecodeKind(u64), new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0])); // 1n
 */
export function fastDecodeKind(shape: AnyShape): FastKind {
  return DECODERS.get(shape.codec[1]) ?? NONE;
}

/**
 * The fast encode path of a shape whose codec encodes as u8, u16, u32, u64, u128 or bool; 0 for
 * any other.
 * @example
 * import { u16 } from './dsl.js';
 * import { fastEncode, fastEncodeKind } from './fast-codecs.js';
 * fastEncode(fastEncodeKind(u16), 257); // Uint8Array [1, 1]
 */
export function fastEncodeKind(shape: AnyShape): FastKind {
  return ENCODERS.get(shape.codec[0]) ?? NONE;
}

/**
 * Decodes `b` as the codec of `kind` would, or `undefined` when the codec must (too few bytes:
 * scale-ts throws; kind 0). Extra trailing bytes are ignored, as scale-ts does.
 * @example
 * import { fastDecode } from './fast-codecs.js';
 * fastDecode(2, new Uint8Array([1, 1])); // 257 (u16)
 */
export function fastDecode(kind: FastKind, b: Uint8Array): unknown {
  const n = b.length;
  switch (kind) {
    case U8:
      return n >= 1 ? b[0] : undefined;
    case U16:
      return n >= 2 ? (b[0] as number) | ((b[1] as number) << 8) : undefined;
    case U32:
      return n >= 4 ? u32At(b, 0) : undefined;
    case U64:
      return n >= 8 ? u64At(b, 0) : undefined;
    case U128: {
      if (n < 16) return undefined;
      const lo = u64At(b, 0);
      const hi = u64At(b, 8);
      return hi === 0n ? lo : (hi << 64n) | lo;
    }
    case BOOL:
      return n >= 1 ? b[0] !== 0 : undefined;
    case I64:
      return n >= 8 ? BigInt.asIntN(64, u64At(b, 0)) : undefined;
    case I128: {
      if (n < 16) return undefined;
      const lo = u64At(b, 0);
      const hi = u64At(b, 8);
      return hi === 0n ? lo : BigInt.asIntN(128, (hi << 64n) | lo);
    }
    default:
      return undefined;
  }
}

/**
 * Encodes `v` as the codec of `kind` would, or `undefined` when the codec must (a value of the
 * wrong type or out of range, which scale-ts wraps or rejects; kind 0 and the signed kinds).
 * @example
 * import { fastEncode } from './fast-codecs.js';
 * fastEncode(2, 257); // Uint8Array [1, 1] (u16)
 */
export function fastEncode(kind: FastKind, v: unknown): Uint8Array | undefined {
  switch (kind) {
    case U8:
      return isUint(v, 0xff) ? Uint8Array.of(v) : undefined;
    case U16:
      return isUint(v, 0xffff) ? Uint8Array.of(v & 0xff, v >>> 8) : undefined;
    case U32: {
      if (!isUint(v, 0xffff_ffff)) return undefined;
      const out = new Uint8Array(4);
      putU32(out, 0, v);
      return out;
    }
    case U64: {
      if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) return undefined;
      const out = new Uint8Array(8);
      putU64(out, 0, v);
      return out;
    }
    case U128: {
      if (typeof v !== 'bigint' || v < 0n || v > U128_MAX) return undefined;
      const out = new Uint8Array(16);
      putU64(out, 0, v & U64_MAX);
      putU64(out, 8, v >> 64n);
      return out;
    }
    case BOOL:
      return typeof v === 'boolean' ? Uint8Array.of(v ? 1 : 0) : undefined;
    default:
      return undefined;
  }
}
