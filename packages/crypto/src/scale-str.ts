// Private SCALE helpers for junction chain codes and the Ed25519HDKD tag.
import { concatBytes, utf8 } from './assert.js';

/** SCALE compact encoding of a length below 2^30. */
export function compactLength(n: number): Uint8Array {
  if (n < 1 << 6) return Uint8Array.of(n << 2);
  if (n < 1 << 14) return Uint8Array.of(((n << 2) | 1) & 0xff, n >> 6);
  if (n < 1 << 30) {
    const v = (n << 2) | 2;
    return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  throw new RangeError(`length ${n} is too large for a junction string`);
}

/** SCALE encoding of a string: compact byte length then UTF-8 bytes. */
export function scaleString(text: string): Uint8Array {
  const bytes = utf8(text);
  return concatBytes(compactLength(bytes.length), bytes);
}
