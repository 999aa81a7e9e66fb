import type { BlockCommit } from './types.js';
import { StoreError } from './types.js';

/** Longest state key accepted (bytes); the LMDB key for a version is at most 2n + 6 bytes. */
export const MAX_STATE_KEY_BYTES = 512;
/** Longest block hash accepted (bytes). */
export const MAX_HASH_BYTES = 64;
/** Largest single state value, header or extrinsic accepted (bytes). */
export const MAX_VALUE_BYTES = 128 * 1024 * 1024;
/** Longest metadata key accepted (UTF-16 code units). */
export const MAX_META_KEY_LENGTH = 256;
/** Highest block number (u32). */
export const MAX_BLOCK_NUMBER = 0xffff_ffff;

const HEX_KEY = /^0x(?:[0-9a-f]{2})+$/;

/** A commit after validation: keys decoded and sorted, everything copied. */
export interface PreparedCommit {
  number: number;
  hash: Uint8Array;
  parentHash: Uint8Array;
  header: Uint8Array;
  body: Uint8Array[];
  /** Sorted ascending by key bytes (= by hex). */
  changes: { key: Uint8Array; hex: string; value: Uint8Array | null }[];
  meta: { key: string; value: Uint8Array | null }[];
}

/** Throws TypeError unless `x` is a Uint8Array. */
export function assertBytes(x: unknown, what: string): asserts x is Uint8Array {
  if (!(x instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
}

/** Throws unless `key` is a valid state key (1..MAX_STATE_KEY_BYTES bytes). */
export function assertStateKey(key: unknown, what = 'state key'): asserts key is Uint8Array {
  assertBytes(key, what);
  if (key.length === 0 || key.length > MAX_STATE_KEY_BYTES) {
    throw new RangeError(`${what} must be 1..${MAX_STATE_KEY_BYTES} bytes, got ${key.length}`);
  }
}

/** Throws unless `prefix` is a Uint8Array of at most MAX_STATE_KEY_BYTES bytes (may be empty). */
export function assertKeyBound(x: unknown, what: string): asserts x is Uint8Array {
  assertBytes(x, what);
  if (x.length > MAX_STATE_KEY_BYTES) {
    throw new RangeError(`${what} must be at most ${MAX_STATE_KEY_BYTES} bytes, got ${x.length}`);
  }
}

/** Throws unless `limit` is undefined or a non-negative safe integer. */
export function assertLimit(limit: unknown): asserts limit is number | undefined {
  if (limit === undefined) return;
  if (typeof limit !== 'number') throw new TypeError('limit must be a number');
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
}

/** Throws unless `n` is a u32 block number. */
export function assertBlockNumber(n: unknown, what = 'block number'): asserts n is number {
  if (typeof n !== 'number') throw new TypeError(`${what} must be a number`);
  if (!Number.isInteger(n) || n < 0 || n > MAX_BLOCK_NUMBER) {
    throw new RangeError(`${what} must be an integer in 0..${MAX_BLOCK_NUMBER}, got ${n}`);
  }
}

/** Throws unless `h` is a block hash (1..MAX_HASH_BYTES bytes). */
export function assertHash(h: unknown, what: string): asserts h is Uint8Array {
  assertBytes(h, what);
  if (h.length === 0 || h.length > MAX_HASH_BYTES) {
    throw new RangeError(`${what} must be 1..${MAX_HASH_BYTES} bytes, got ${h.length}`);
  }
}

/** Throws unless `key` is a valid metadata key. */
export function assertMetaKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new TypeError('meta key must be a string');
  if (key.length === 0 || key.length > MAX_META_KEY_LENGTH) {
    throw new RangeError(`meta key must be 1..${MAX_META_KEY_LENGTH} characters`);
  }
}

function assertValue(v: unknown, what: string): asserts v is Uint8Array {
  assertBytes(v, what);
  if (v.length > MAX_VALUE_BYTES) {
    throw new RangeError(`${what} is ${v.length} bytes, more than ${MAX_VALUE_BYTES}`);
  }
}

/** Throws unless `v` is a metadata value or null. */
export function assertMetaValue(v: unknown): asserts v is Uint8Array | null {
  if (v !== null) assertValue(v, 'meta value');
}

/** Lowercase hex (no prefix) of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Plain Uint8Array copy (never a Buffer). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Validates a commit against the current tip and returns a normalized, copied form.
 * `tip` is the block the commit must extend (`undefined` when committing genesis).
 */
export function prepareCommit(
  block: BlockCommit,
  tip: { number: number; hash: Uint8Array } | undefined,
  genesis: boolean,
): PreparedCommit {
  if (typeof block !== 'object' || block === null) throw new TypeError('block must be an object');
  assertBlockNumber(block.number);
  assertHash(block.hash, 'block hash');
  assertHash(block.parentHash, 'parent hash');
  assertValue(block.header, 'header');
  if (!Array.isArray(block.body)) throw new TypeError('body must be an array of Uint8Array');
  for (const [i, x] of block.body.entries()) assertValue(x, `body[${i}]`);
  if (!(block.changes instanceof Map)) throw new TypeError('changes must be a Map');
  if (block.meta !== undefined && !(block.meta instanceof Map)) {
    throw new TypeError('meta must be a Map when given');
  }

  if (genesis) {
    if (tip !== undefined) {
      throw new StoreError(
        'GENESIS_EXISTS',
        `store already has a genesis block (head #${tip.number})`,
      );
    }
    if (block.number !== 0)
      throw new RangeError(`genesis block number must be 0, got ${block.number}`);
  } else {
    if (tip === undefined)
      throw new StoreError('NO_GENESIS', 'store has no genesis; commit it first');
    if (block.number !== tip.number + 1) {
      throw new StoreError(
        'NON_SEQUENTIAL_BLOCK',
        `block #${block.number} does not extend head #${tip.number}; only #${tip.number + 1} can be appended`,
      );
    }
    if (!bytesEqual(block.parentHash, tip.hash)) {
      throw new StoreError(
        'NON_SEQUENTIAL_BLOCK',
        `block #${block.number} parent hash 0x${bytesToHex(block.parentHash)} is not the head hash 0x${bytesToHex(tip.hash)}`,
      );
    }
  }

  const changes: PreparedCommit['changes'] = [];
  for (const [hexKey, value] of block.changes) {
    if (typeof hexKey !== 'string' || !HEX_KEY.test(hexKey)) {
      throw new TypeError(
        `state key ${JSON.stringify(String(hexKey)).slice(0, 80)} must be non-empty 0x-prefixed lowercase hex`,
      );
    }
    const hex = hexKey.slice(2);
    if (hex.length / 2 > MAX_STATE_KEY_BYTES) {
      throw new RangeError(
        `state key ${hexKey.slice(0, 20)}… exceeds ${MAX_STATE_KEY_BYTES} bytes`,
      );
    }
    if (value !== null) assertValue(value, `value of ${hexKey.slice(0, 80)}`);
    changes.push({
      key: new Uint8Array(Buffer.from(hex, 'hex')),
      hex,
      value: value === null ? null : copyBytes(value),
    });
  }
  changes.sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0));

  const meta: PreparedCommit['meta'] = [];
  if (block.meta !== undefined) {
    for (const [key, value] of block.meta) {
      assertMetaKey(key);
      assertMetaValue(value);
      meta.push({ key, value: value === null ? null : copyBytes(value) });
    }
  }

  return {
    number: block.number,
    hash: copyBytes(block.hash),
    parentHash: copyBytes(block.parentHash),
    header: copyBytes(block.header),
    body: block.body.map(copyBytes),
    changes,
    meta,
  };
}
