import { assertBytes } from './errors.js';

/** A `0x`-prefixed hex string. */
export type HexString = `0x${string}`;

/** Char codes of each byte's two lowercase hex digits. */
const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HEX_HI[i] = '0123456789abcdef'.charCodeAt(i >> 4);
  HEX_LO[i] = '0123456789abcdef'.charCodeAt(i & 15);
}

/**
 * Reused char-code buffers for short inputs, one per byte length ('0x' already in place):
 * `String.fromCharCode.apply` over a plain array gives a flat string, which Map lookups hash
 * without first flattening a concatenation rope.
 */
const SHORT_MAX = 128;
const codeBuffers: number[][] = [];

/** Node's Buffer, when the host has one: its native hex encoder wins for long inputs. */
type HostBuffer = {
  from(buf: ArrayBufferLike, offset: number, length: number): { toString(enc: 'hex'): string };
};

function shortHex(bytes: Uint8Array): string {
  const n = bytes.length;
  let codes = codeBuffers[n];
  if (codes === undefined) {
    codes = new Array<number>(2 + 2 * n).fill(0);
    codes[0] = 48; // '0'
    codes[1] = 120; // 'x'
    codeBuffers[n] = codes;
  }
  for (let i = 0, j = 2; i < n; i++, j += 2) {
    const b = bytes[i] as number;
    codes[j] = HEX_HI[b] as number;
    codes[j + 1] = HEX_LO[b] as number;
  }
  return String.fromCharCode.apply(null, codes);
}

/** Maps a char code to its nibble value, or -1. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

/**
 * Encodes bytes as a lowercase `0x`-prefixed hex string.
 * @example
 * import { toHex } from '@taoscript/codec';
 * toHex(new Uint8Array([1, 171])); // '0x01ab'
 */
export function toHex(bytes: Uint8Array): HexString {
  assertBytes(bytes, undefined, 'toHex input');
  if (bytes.length <= SHORT_MAX) return shortHex(bytes) as HexString;
  const host = (globalThis as { Buffer?: HostBuffer }).Buffer;
  if (typeof host?.from === 'function') {
    return `0x${host.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`;
  }
  const parts = ['0x'];
  for (let at = 0; at < bytes.length; at += SHORT_MAX) {
    parts.push(shortHex(bytes.subarray(at, at + SHORT_MAX)).slice(2));
  }
  return parts.join('') as HexString;
}

/**
 * Decodes a hex string (with or without `0x`, either case) to bytes; `'0x'` gives empty bytes.
 * Throws TypeError for a non-string, odd length or a non-hex character.
 * @example
 * import { fromHex } from '@taoscript/codec';
 * fromHex('0x01ab'); // Uint8Array [1, 171]
 */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') {
    throw new TypeError(`fromHex: expected a string, got ${hex === null ? 'null' : typeof hex}`);
  }
  const start =
    hex.length >= 2 && hex.charCodeAt(0) === 48 && (hex.charCodeAt(1) | 32) === 120 ? 2 : 0;
  const digits = hex.length - start;
  if (digits % 2 !== 0) throw new TypeError(`fromHex: odd number of hex digits (${digits})`);
  const out = new Uint8Array(digits / 2);
  for (let i = 0, j = start; i < out.length; i++, j += 2) {
    const c1 = hex.charCodeAt(j);
    const c2 = hex.charCodeAt(j + 1);
    const hi = c1 < 128 ? NIBBLE[c1]! : -1;
    const lo = c2 < 128 ? NIBBLE[c2]! : -1;
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? j : j + 1;
      throw new TypeError(`fromHex: invalid hex character at index ${at}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/**
 * True if `x` is a `0x`-prefixed string of an even number of hex digits (either case).
 * @example
 * import { isHex } from '@taoscript/codec';
 * isHex('0x00ff'); // true
 */
export function isHex(x: unknown): x is HexString {
  if (typeof x !== 'string' || x.length % 2 !== 0 || !x.startsWith('0x')) return false;
  for (let i = 2; i < x.length; i++) {
    const c = x.charCodeAt(i);
    if (c >= 128 || NIBBLE[c]! < 0) return false;
  }
  return true;
}

/**
 * Concatenates byte arrays into a new Uint8Array.
 * @example
 * import { concatBytes } from '@taoscript/codec';
 * concatBytes(new Uint8Array([1]), new Uint8Array([2, 3])); // Uint8Array [1, 2, 3]
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    assertBytes(part, undefined, `concatBytes part ${i}`);
    total += part.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * True if both byte arrays have the same length and contents (not constant-time).
 * @example
 * import { bytesEqual } from '@taoscript/codec';
 * bytesEqual(new Uint8Array([1]), new Uint8Array([1])); // true
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes(a, undefined, 'bytesEqual a');
  assertBytes(b, undefined, 'bytesEqual b');
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Encodes a string as UTF-8 bytes (lone surrogates become U+FFFD).
 * @example
 * import { utf8Encode } from '@taoscript/codec';
 * utf8Encode('tao'); // Uint8Array [116, 97, 111]
 */
export function utf8Encode(s: string): Uint8Array {
  if (typeof s !== 'string') throw new TypeError(`utf8Encode: expected a string, got ${typeof s}`);
  return encoder.encode(s);
}

/**
 * Decodes UTF-8 bytes to a string; throws TypeError on malformed UTF-8.
 * @example
 * import { utf8Decode } from '@taoscript/codec';
 * utf8Decode(new Uint8Array([116, 97, 111])); // 'tao'
 */
export function utf8Decode(b: Uint8Array): string {
  assertBytes(b, undefined, 'utf8Decode input');
  try {
    return decoder.decode(b);
  } catch (cause) {
    throw new TypeError('utf8Decode: input is not valid UTF-8', { cause });
  }
}
