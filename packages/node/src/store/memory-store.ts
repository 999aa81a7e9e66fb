import type { BlockCommit, ChainStore, StateReader, StoredBlock } from './types.js';
import { StoreError } from './types.js';
import {
  assertBlockNumber,
  assertBytes,
  assertKeyBound,
  assertLimit,
  assertMetaKey,
  assertMetaValue,
  assertStateKey,
  bytesToHex,
  copyBytes,
  type PreparedCommit,
  prepareCommit,
} from './validate.js';

interface KeyHistory {
  /** Block numbers of the versions, ascending. */
  numbers: number[];
  /** Value per version; `null` is a tombstone. */
  values: (Uint8Array | null)[];
}

/** Index of the last element of sorted `arr` that is <= `x`, or -1. */
function lastAtOrBelow(arr: number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first element of sorted `arr` that is > `x` (strings). */
function firstAbove(arr: string[], x: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as string) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of sorted `arr` that is >= `x` (strings). */
function firstAtOrAbove(arr: string[], x: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as string) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function copyBlock(b: StoredBlock): StoredBlock {
  return {
    hash: copyBytes(b.hash),
    number: b.number,
    parentHash: copyBytes(b.parentHash),
    header: copyBytes(b.header),
    body: b.body.map(copyBytes),
  };
}

/**
 * In-memory `ChainStore`: the reference implementation used by tests. Same validation and
 * read semantics as the LMDB store; commits apply synchronously (the promise is already settled).
 * @example
 * import { openMemoryStore } from './memory-store.js';
 * const store = openMemoryStore();
 */
export function openMemoryStore(): ChainStore {
  const history = new Map<string, KeyHistory>();
  /** Every state key ever written (hex, no prefix), sorted; hex order equals byte order. */
  let sortedKeys: string[] = [];
  const blocksByHash = new Map<string, StoredBlock>();
  const hashes: Uint8Array[] = [];
  const meta = new Map<string, Uint8Array>();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new StoreError('CLOSED', 'store is closed');
  };
  const tip = (): { number: number; hash: Uint8Array } | undefined => {
    const n = hashes.length - 1;
    return n < 0 ? undefined : { number: n, hash: hashes[n] as Uint8Array };
  };

  const apply = (c: PreparedCommit): void => {
    if (blocksByHash.has(bytesToHex(c.hash))) {
      throw new StoreError(
        'DUPLICATE_BLOCK_HASH',
        `a block with hash 0x${bytesToHex(c.hash)} is already stored`,
      );
    }
    const fresh: string[] = [];
    for (const { hex, value } of c.changes) {
      let h = history.get(hex);
      if (h === undefined) {
        h = { numbers: [], values: [] };
        history.set(hex, h);
        fresh.push(hex);
      }
      h.numbers.push(c.number);
      h.values.push(value);
    }
    if (fresh.length > 0) {
      // `c.changes` is sorted, so `fresh` is too: merge two sorted lists.
      const merged: string[] = [];
      let i = 0;
      let j = 0;
      while (i < sortedKeys.length || j < fresh.length) {
        if (
          j >= fresh.length ||
          (i < sortedKeys.length && (sortedKeys[i] as string) < (fresh[j] as string))
        ) {
          merged.push(sortedKeys[i++] as string);
        } else {
          merged.push(fresh[j++] as string);
        }
      }
      sortedKeys = merged;
    }
    for (const { key, value } of c.meta) {
      if (value === null) meta.delete(key);
      else meta.set(key, value);
    }
    blocksByHash.set(bytesToHex(c.hash), {
      hash: c.hash,
      number: c.number,
      parentHash: c.parentHash,
      header: c.header,
      body: c.body,
    });
    hashes.push(c.hash);
  };

  const valueAt = (hex: string, n: number): Uint8Array | null | undefined => {
    const h = history.get(hex);
    if (h === undefined) return undefined;
    const i = lastAtOrBelow(h.numbers, n);
    return i < 0 ? undefined : (h.values[i] as Uint8Array | null);
  };

  const reader = (n: number): StateReader => ({
    number: n,
    get(key: Uint8Array): Uint8Array | undefined {
      ensureOpen();
      assertStateKey(key);
      const v = valueAt(bytesToHex(key), n);
      return v == null ? undefined : copyBytes(v);
    },
    keys(prefix: Uint8Array, startKey?: Uint8Array, limit?: number): Uint8Array[] {
      ensureOpen();
      assertKeyBound(prefix, 'prefix');
      if (startKey !== undefined) assertKeyBound(startKey, 'startKey');
      assertLimit(limit);
      const max = limit ?? Number.POSITIVE_INFINITY;
      const p = bytesToHex(prefix);
      let i = firstAtOrAbove(sortedKeys, p);
      if (startKey !== undefined) i = Math.max(i, firstAbove(sortedKeys, bytesToHex(startKey)));
      const out: Uint8Array[] = [];
      for (; i < sortedKeys.length && out.length < max; i++) {
        const hex = sortedKeys[i] as string;
        if (!hex.startsWith(p)) break;
        if (valueAt(hex, n) != null) out.push(new Uint8Array(Buffer.from(hex, 'hex')));
      }
      return out;
    },
  });

  return {
    async commitGenesis(block: BlockCommit): Promise<void> {
      ensureOpen();
      apply(prepareCommit(block, tip(), true));
    },
    async commitBlock(block: BlockCommit): Promise<void> {
      ensureOpen();
      apply(prepareCommit(block, tip(), false));
    },
    head() {
      ensureOpen();
      const t = tip();
      return t === undefined ? undefined : { number: t.number, hash: copyBytes(t.hash) };
    },
    blockHash(number: number): Uint8Array | undefined {
      ensureOpen();
      assertBlockNumber(number);
      const h = hashes[number];
      return h === undefined ? undefined : copyBytes(h);
    },
    block(hash: Uint8Array): StoredBlock | undefined {
      ensureOpen();
      assertBytes(hash, 'block hash');
      const b = blocksByHash.get(bytesToHex(hash));
      return b === undefined ? undefined : copyBlock(b);
    },
    stateAt(number: number): StateReader {
      ensureOpen();
      assertBlockNumber(number);
      const t = tip();
      if (t === undefined || number > t.number) {
        throw new RangeError(
          `no state for block #${number}: ${t === undefined ? 'store is empty' : `head is #${t.number}`}`,
        );
      }
      return reader(number);
    },
    getMeta(key: string): Uint8Array | undefined {
      ensureOpen();
      assertMetaKey(key);
      const v = meta.get(key);
      return v === undefined ? undefined : copyBytes(v);
    },
    async setMeta(key: string, value: Uint8Array | null): Promise<void> {
      ensureOpen();
      assertMetaKey(key);
      assertMetaValue(value);
      if (value === null) meta.delete(key);
      else meta.set(key, copyBytes(value));
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
