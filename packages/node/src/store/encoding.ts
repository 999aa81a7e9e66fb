// Byte layouts used by the LMDB store. Internal to the store directory.
import type { StoredBlock } from './types.js';

/**
 * Order-preserving, prefix-free encoding of a state key: every 0x00 byte becomes 0x00 0xff and
 * the key ends with 0x00 0x00. For any keys a < b (byte order, including a being a prefix of b)
 * every `escapeKey(a) ++ x` sorts before every `escapeKey(b) ++ y`, so the versions of one key
 * form a contiguous run that never interleaves with another key's.
 */
export function escapeKey(key: Uint8Array, extra = 0): Uint8Array {
  let zeros = 0;
  for (let i = 0; i < key.length; i++) if (key[i] === 0) zeros++;
  const out = new Uint8Array(key.length + zeros + 2 + extra);
  let j = 0;
  for (let i = 0; i < key.length; i++) {
    const b = key[i] as number;
    out[j++] = b;
    if (b === 0) out[j++] = 0xff;
  }
  // Terminator 0x00 0x00 is already there (zero-filled).
  return out;
}

/** Inverse of `escapeKey` for the escaped part of `buf` (stops at the terminator). */
export function unescapeKey(buf: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] as number;
    if (b !== 0) {
      out.push(b);
      continue;
    }
    if (buf[i + 1] === 0xff) {
      out.push(0);
      i++;
      continue;
    }
    return new Uint8Array(out);
  }
  throw new RangeError('escaped key has no terminator');
}

/** LMDB key of the version of `key` written by block `number`: escapeKey(key) ++ u32be(number). */
export function versionKey(key: Uint8Array, number: number): Uint8Array {
  const out = escapeKey(key, 4);
  const o = out.length - 4;
  out[o] = number >>> 24;
  out[o + 1] = (number >>> 16) & 0xff;
  out[o + 2] = (number >>> 8) & 0xff;
  out[o + 3] = number & 0xff;
  return out;
}

/** Version value: flag byte (1 = present, 0 = deleted) ++ value. */
export function encodeVersion(value: Uint8Array | null): Uint8Array {
  if (value === null) return new Uint8Array(1);
  const out = new Uint8Array(1 + value.length);
  out[0] = 1;
  out.set(value, 1);
  return out;
}

/** Latest-value record: u32be(block number that wrote it) ++ flag ++ value. */
export function encodeLatest(number: number, value: Uint8Array | null): Uint8Array {
  const out = new Uint8Array(5 + (value === null ? 0 : value.length));
  out[0] = number >>> 24;
  out[1] = (number >>> 16) & 0xff;
  out[2] = (number >>> 8) & 0xff;
  out[3] = number & 0xff;
  if (value !== null) {
    out[4] = 1;
    out.set(value, 5);
  }
  return out;
}

/** Reads the block number of a latest-value record. */
export function latestNumber(rec: Uint8Array): number {
  return (
    (((rec[0] as number) << 24) |
      ((rec[1] as number) << 16) |
      ((rec[2] as number) << 8) |
      (rec[3] as number)) >>>
    0
  );
}

/** Big-endian u32 key for the number -> hash index (sorts numerically). */
export function numberKey(number: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, number);
  return out;
}

/** Inverse of `numberKey`. */
export function readNumberKey(key: Uint8Array): number {
  return new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(0);
}

/** Smallest byte string greater than every string with this prefix, or undefined if none. */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let i = prefix.length - 1;
  while (i >= 0 && prefix[i] === 0xff) i--;
  if (i < 0) return undefined;
  const out = new Uint8Array(prefix.subarray(0, i + 1));
  out[i] = (out[i] as number) + 1;
  return out;
}

/** Block record: u32 number, u8 |parent|, parent, u32 |header|, header, u32 count, (u32 len, bytes)*. */
export function encodeBlock(b: Omit<StoredBlock, 'hash'>): Uint8Array {
  let size = 4 + 1 + b.parentHash.length + 4 + b.header.length + 4;
  for (const x of b.body) size += 4 + x.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  dv.setUint32(o, b.number);
  o += 4;
  out[o++] = b.parentHash.length;
  out.set(b.parentHash, o);
  o += b.parentHash.length;
  dv.setUint32(o, b.header.length);
  o += 4;
  out.set(b.header, o);
  o += b.header.length;
  dv.setUint32(o, b.body.length);
  o += 4;
  for (const x of b.body) {
    dv.setUint32(o, x.length);
    o += 4;
    out.set(x, o);
    o += x.length;
  }
  return out;
}

/** Inverse of `encodeBlock`; returns fresh copies. Throws RangeError on a malformed record. */
export function decodeBlock(hash: Uint8Array, rec: Uint8Array): StoredBlock {
  const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  let o = 0;
  const take = (n: number): Uint8Array => {
    if (o + n > rec.length) throw new RangeError('corrupt block record');
    const out = new Uint8Array(rec.subarray(o, o + n));
    o += n;
    return out;
  };
  const u32 = (): number => {
    if (o + 4 > rec.length) throw new RangeError('corrupt block record');
    const v = dv.getUint32(o);
    o += 4;
    return v;
  };
  const number = u32();
  const parentLen = take(1)[0] as number;
  const parentHash = take(parentLen);
  const header = take(u32());
  const count = u32();
  const body: Uint8Array[] = [];
  for (let i = 0; i < count; i++) body.push(take(u32()));
  if (o !== rec.length) throw new RangeError('corrupt block record (trailing bytes)');
  return { hash: new Uint8Array(hash), number, parentHash, header, body };
}
