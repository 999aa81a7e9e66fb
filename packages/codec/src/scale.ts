import { type Codec, createDecoder, type Decoder } from 'scale-ts';
import { assertBytes, BtError, formatBigint } from './errors.js';

export * from 'scale-ts';

/** Thrown by {@link decodeExact} when bytes are not a valid encoding; `code` is `'SCALE_DECODE'`. */
export class ScaleDecodeError extends BtError {
  override name = 'ScaleDecodeError';
}

/** Largest value a SCALE compact can hold: 67 bytes of payload, 2^536 - 1. */
export const COMPACT_MAX = (1n << 536n) - 1n;

// scale-ts decoders share one cursor object (a Uint8Array subclass with a numeric `i` field) across
// nested decoders. A decoder made with `createDecoder` receives that object, so after running the
// inner codec on it we can read how far it got. `lastEnd` carries the position out of the closure.
let lastEnd = -1;
const exactDecoders = new WeakMap<Decoder<unknown>, Decoder<unknown>>();

function cursorOf(input: Uint8Array): number {
  const i = (input as Uint8Array & { i?: unknown }).i;
  if (typeof i !== 'number') throw new Error('scale-ts cursor not found (incompatible scale-ts)');
  return i;
}

function exactDecoder<T>(dec: Decoder<T>): Decoder<T> {
  let wrapped = exactDecoders.get(dec) as Decoder<T> | undefined;
  if (wrapped === undefined) {
    wrapped = createDecoder((input) => {
      const value = dec(input);
      lastEnd = cursorOf(input);
      return value;
    });
    exactDecoders.set(dec as Decoder<unknown>, wrapped as Decoder<unknown>);
  }
  return wrapped;
}

/**
 * Decodes `bytes` with a scale-ts codec, requiring that every byte is consumed. Copies the input
 * first (scale-ts ignores a view's byteOffset). Throws TypeError for bad arguments and a
 * {@link ScaleDecodeError} (code `'SCALE_DECODE'`) for malformed, short or over-long input.
 * @example
 * import { decodeExact, u32 } from '@taoscript/codec';
 * decodeExact(u32, new Uint8Array([1, 0, 0, 0]), 'nonce'); // 1
 */
export function decodeExact<T>(codec: Codec<T>, bytes: Uint8Array, what: string): T {
  if (typeof codec !== 'object' || codec === null || typeof codec.dec !== 'function') {
    throw new TypeError(`decodeExact ${String(what)}: expected a scale-ts codec`);
  }
  assertBytes(bytes, undefined, what);
  const copy = new Uint8Array(bytes);
  let value: T;
  lastEnd = -1;
  try {
    value = exactDecoder(codec.dec)(copy);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ScaleDecodeError(`${what}: invalid SCALE encoding`, {
      code: 'SCALE_DECODE',
      details: reason,
      meta: [`input length: ${copy.length} bytes`],
      cause,
    });
  }
  const end = lastEnd;
  if (end > copy.length) {
    throw new ScaleDecodeError(`${what}: input too short`, {
      code: 'SCALE_DECODE',
      details: `decoding needs at least ${end} bytes, got ${copy.length}`,
    });
  }
  if (end !== copy.length) {
    throw new ScaleDecodeError(`${what}: ${copy.length - end} trailing bytes`, {
      code: 'SCALE_DECODE',
      details: `decoded ${end} of ${copy.length} bytes`,
    });
  }
  return value;
}

/**
 * Decodes the SCALE compact integer at `offset`, returning its value and encoded length.
 * Rejects truncated and non-canonical (not minimally encoded) compacts with a RangeError.
 * @example
 * import { compactLength } from '@taoscript/codec';
 * compactLength(new Uint8Array([0x15, 0x01])); // { value: 69n, length: 2 }
 */
export function compactLength(bytes: Uint8Array, offset = 0): { value: bigint; length: number } {
  assertBytes(bytes, undefined, 'compactLength bytes');
  if (typeof offset !== 'number') throw new TypeError('compactLength offset: expected a number');
  if (!Number.isInteger(offset) || offset < 0 || offset >= bytes.length) {
    throw new RangeError(`compactLength offset: ${offset} outside [0, ${bytes.length})`);
  }
  const b0 = bytes[offset]!;
  const mode = b0 & 3;
  const need = (n: number): void => {
    if (offset + n > bytes.length) {
      throw new RangeError(
        `compactLength: truncated compact (needs ${n} bytes at offset ${offset})`,
      );
    }
  };
  if (mode === 0) return { value: BigInt(b0 >>> 2), length: 1 };
  if (mode === 1) {
    need(2);
    const v = (b0 | (bytes[offset + 1]! << 8)) >>> 2;
    if (v < 64)
      throw new RangeError('compactLength: non-canonical compact (two-byte form below 64)');
    return { value: BigInt(v), length: 2 };
  }
  if (mode === 2) {
    need(4);
    const v =
      (b0 | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
      2;
    if (v < 1 << 14) {
      throw new RangeError('compactLength: non-canonical compact (four-byte form below 2^14)');
    }
    return { value: BigInt(v), length: 4 };
  }
  const n = (b0 >>> 2) + 4;
  need(1 + n);
  let value = 0n;
  for (let i = n; i >= 1; i--) value = (value << 8n) | BigInt(bytes[offset + i]!);
  if (value < 1n << 30n || bytes[offset + n] === 0) {
    throw new RangeError(`compactLength: non-canonical compact (${n}-byte form for ${value})`);
  }
  return { value, length: 1 + n };
}

/**
 * SCALE-encodes a non-negative integer (up to 2^536 - 1) in compact form.
 * @example
 * import { encodeCompact } from '@taoscript/codec';
 * encodeCompact(69); // Uint8Array [0x15, 0x01]
 */
export function encodeCompact(n: number | bigint): Uint8Array {
  let v: bigint;
  if (typeof n === 'number') {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`encodeCompact: expected a non-negative safe integer, got ${n}`);
    }
    if (n < 64) return new Uint8Array([n << 2]);
    if (n < 1 << 14) return new Uint8Array([((n << 2) | 1) & 0xff, n >>> 6]);
    if (n < 1 << 30) {
      const x = ((n << 2) | 2) >>> 0;
      return new Uint8Array([x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24]);
    }
    v = BigInt(n);
  } else if (typeof n === 'bigint') {
    if (n < 0n || n > COMPACT_MAX) {
      throw new RangeError(
        `encodeCompact: expected a bigint in [0, 2^536 - 1], got ${formatBigint(n)}`,
      );
    }
    if (n < 1n << 30n) return encodeCompact(Number(n));
    v = n;
  } else {
    throw new TypeError(`encodeCompact: expected a number or bigint, got ${typeof n}`);
  }
  const payload: number[] = [];
  while (v > 0n) {
    payload.push(Number(v & 0xffn));
    v >>= 8n;
  }
  const out = new Uint8Array(1 + payload.length);
  out[0] = ((payload.length - 4) << 2) | 3;
  out.set(payload, 1);
  return out;
}
