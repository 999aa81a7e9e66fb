import { type Database, open } from 'lmdb';
import {
  decodeBlock,
  encodeBlock,
  encodeLatest,
  encodeVersion,
  escapeKey,
  latestNumber,
  numberKey,
  prefixEnd,
  readNumberKey,
  versionKey,
} from './encoding.js';
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
  bytesEqual,
  bytesToHex,
  copyBytes,
  MAX_HASH_BYTES,
  prepareCommit,
} from './validate.js';

/** On-disk layout version, stored at genesis; a mismatch refuses to open. */
const FORMAT_VERSION = 1;
const FORMAT_KEY = new TextEncoder().encode('format');
const formatRecord = (): Uint8Array => {
  const f = new Uint8Array(4);
  new DataView(f.buffer).setUint32(0, FORMAT_VERSION);
  return f;
};

type Bin = Database<Uint8Array, Uint8Array>;
type Tip = { number: number; hash: Uint8Array };

const utf8 = new TextEncoder();

/** Options for `openLmdbStore`. */
export interface LmdbStoreOptions {
  /** Directory holding the LMDB environment (created if missing). */
  path: string;
}

/**
 * Opens (or creates) a `ChainStore` backed by LMDB at `opts.path`, resuming at the last
 * committed block.
 *
 * Layout (all keys and values raw bytes):
 * - `versions`: escapeKey(stateKey) ++ u32be(block) -> flag ++ value (flag 0 = tombstone). The
 *   escape keeps each key's versions contiguous and in byte order even when one key is a prefix
 *   of another; `stateAt(n).get` finds the greatest version <= n with one reverse cursor step.
 * - `latest`: stateKey -> u32be(block that wrote it) ++ flag ++ value. The fast path: when the
 *   recorded block is <= n it is also the answer at n, so reads at the head are one LMDB get.
 *   Tombstones are kept (never deleted) so that "absent" always means "never written".
 *   Because every record names its own block, readers stay correct even during the short window
 *   where a commit is visible but not yet flushed (and `head()` not yet advanced).
 * - `blocks`: hash -> block record; `hashes`: u32be(number) -> hash; `meta`: utf8 key -> value.
 *
 * Writes: a commit is queued as one conditional batch (`hashes.ifNoExists(number, ...)`) that
 * lmdb-js applies on its writer thread in a single LMDB transaction, so the event loop is not
 * blocked by B-tree work and a block number can never be written twice.
 *
 * Durability: lmdb-js defaults are kept (`overlappingSync` on, `commitDelay` 0), under which a
 * write promise resolves when the transaction is committed and visible, and the fsync follows.
 * Each commit therefore awaits both its batch and `root.flushed` (captured right after queueing)
 * before it resolves and before `head()` advances.
 * @example
 * import { openLmdbStore } from './lmdb-store.js';
 * const store = openLmdbStore({ path: '/var/lib/tao-node/chain' });
 */
export function openLmdbStore(opts: LmdbStoreOptions): ChainStore {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object');
  if (typeof opts.path !== 'string' || opts.path.length === 0) {
    throw new TypeError('path must be a non-empty string');
  }
  const root = open({ path: opts.path, keyEncoding: 'binary', encoding: 'binary', maxDbs: 8 });
  const dbOpts = { keyEncoding: 'binary', encoding: 'binary' } as const;
  const latest: Bin = root.openDB('latest', dbOpts);
  const versions: Bin = root.openDB('versions', dbOpts);
  const blocks: Bin = root.openDB('blocks', dbOpts);
  const hashes: Bin = root.openDB('hashes', dbOpts);
  const meta: Bin = root.openDB('meta', dbOpts);
  const internal: Bin = root.openDB('internal', dbOpts);

  const readTip = (): Tip | undefined => {
    for (const { key, value } of hashes.getRange({ reverse: true, limit: 1 })) {
      return { number: readNumberKey(key), hash: copyBytes(value) };
    }
    return undefined;
  };

  const format = internal.getBinary(FORMAT_KEY);
  let durable = readTip();
  if (
    (format !== undefined &&
      (format.length !== 4 ||
        new DataView(format.buffer, format.byteOffset, 4).getUint32(0) !== FORMAT_VERSION)) ||
    (format === undefined && durable !== undefined)
  ) {
    root.close().catch(() => {});
    throw new StoreError(
      'INCOMPATIBLE_FORMAT',
      `${opts.path} holds a chain store of an unknown format (expected version ${FORMAT_VERSION})`,
    );
  }

  /** The block the next commit must extend: the durable head or an in-flight commit. */
  let pending: Tip | undefined = durable;
  const inflight = new Set<Promise<void>>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const ensureOpen = (): void => {
    if (closed) throw new StoreError('CLOSED', 'store is closed');
  };

  /** Version of `key` at `n` from the history table: bytes, null (deleted) or undefined. */
  const historical = (key: Uint8Array, n: number): Uint8Array | null | undefined => {
    for (const { value } of versions.getRange({
      start: versionKey(key, n),
      end: escapeKey(key),
      reverse: true,
      limit: 1,
    })) {
      return value[0] === 1 ? new Uint8Array(value.subarray(1)) : null;
    }
    return undefined;
  };

  const reader = (n: number): StateReader => ({
    number: n,
    get(key: Uint8Array): Uint8Array | undefined {
      ensureOpen();
      assertStateKey(key);
      const rec = latest.getBinaryFast(key);
      if (rec === undefined) return undefined;
      if (latestNumber(rec) <= n) return rec[4] === 1 ? new Uint8Array(rec.subarray(5)) : undefined;
      return historical(key, n) ?? undefined;
    },
    keys(prefix: Uint8Array, startKey?: Uint8Array, limit?: number): Uint8Array[] {
      ensureOpen();
      assertKeyBound(prefix, 'prefix');
      if (startKey !== undefined) assertKeyBound(startKey, 'startKey');
      assertLimit(limit);
      const max = limit ?? Number.POSITIVE_INFINITY;
      const out: Uint8Array[] = [];
      if (max === 0) return out;
      let start: Uint8Array = prefix;
      if (startKey !== undefined) {
        const after = new Uint8Array(startKey.length + 1);
        after.set(startKey);
        if (Buffer.compare(after, prefix) > 0) start = after;
      }
      const end = prefixEnd(prefix);
      const range = latest.getRange({
        ...(start.length > 0 ? { start } : {}),
        ...(end !== undefined ? { end } : {}),
      });
      for (const { key, value } of range) {
        if (
          key.length < prefix.length ||
          Buffer.compare(key.subarray(0, prefix.length), prefix) !== 0
        )
          break;
        const exists = latestNumber(value) <= n ? value[4] === 1 : historical(key, n) != null;
        if (exists) {
          out.push(new Uint8Array(key));
          if (out.length >= max) break;
        }
      }
      return out;
    },
  });

  const commit = async (block: BlockCommit, genesis: boolean): Promise<void> => {
    ensureOpen();
    const c = prepareCommit(block, pending, genesis);
    if (
      (pending !== undefined && bytesEqual(pending.hash, c.hash)) ||
      blocks.getBinaryFast(c.hash) !== undefined
    ) {
      throw new StoreError(
        'DUPLICATE_BLOCK_HASH',
        `a block with hash 0x${bytesToHex(c.hash)} is already stored`,
      );
    }
    const mine: Tip = { number: c.number, hash: c.hash };
    pending = mine;

    // Encode outside the write transaction to keep it short.
    const puts = c.changes.map(({ key, value }) => ({
      key,
      latest: encodeLatest(c.number, value),
      vkey: versionKey(key, c.number),
      version: encodeVersion(value),
    }));
    const blockRec = encodeBlock(c);
    const metaOps = c.meta.map(({ key, value }) => ({ key: utf8.encode(key), value }));

    const work = (async () => {
      // All writes go to lmdb-js's writer thread as one conditional batch: it applies only if no
      // block with this number is on disk yet, atomically, in a single LMDB transaction.
      const applied = hashes.ifNoExists(numberKey(c.number), () => {
        for (const p of puts) {
          latest.put(p.key, p.latest);
          versions.put(p.vkey, p.version);
        }
        for (const m of metaOps) {
          if (m.value === null) meta.remove(m.key);
          else meta.put(m.key, m.value);
        }
        blocks.put(c.hash, blockRec);
        hashes.put(numberKey(c.number), c.hash);
        if (genesis) internal.put(FORMAT_KEY, formatRecord());
      });
      const flushed = root.flushed;
      if (!(await applied)) {
        throw new StoreError(
          'NON_SEQUENTIAL_BLOCK',
          `block #${c.number} is already stored on disk`,
        );
      }
      await flushed;
    })();
    inflight.add(work);
    try {
      await work;
      if (durable === undefined || c.number > durable.number) durable = mine;
    } catch (err) {
      if (pending === mine) pending = durable;
      throw err;
    } finally {
      inflight.delete(work);
    }
  };

  return {
    commitGenesis: (block) => commit(block, true),
    commitBlock: (block) => commit(block, false),
    head() {
      ensureOpen();
      return durable === undefined
        ? undefined
        : { number: durable.number, hash: copyBytes(durable.hash) };
    },
    blockHash(number: number): Uint8Array | undefined {
      ensureOpen();
      assertBlockNumber(number);
      if (durable === undefined || number > durable.number) return undefined;
      const h = hashes.getBinary(numberKey(number));
      return h === undefined ? undefined : new Uint8Array(h);
    },
    block(hash: Uint8Array): StoredBlock | undefined {
      ensureOpen();
      assertBytes(hash, 'block hash');
      if (hash.length === 0 || hash.length > MAX_HASH_BYTES) return undefined;
      const rec = blocks.getBinary(hash);
      if (rec === undefined) return undefined;
      const b = decodeBlock(hash, rec);
      return durable !== undefined && b.number <= durable.number ? b : undefined;
    },
    stateAt(number: number): StateReader {
      ensureOpen();
      assertBlockNumber(number);
      if (durable === undefined || number > durable.number) {
        throw new RangeError(
          `no state for block #${number}: ${durable === undefined ? 'store is empty' : `head is #${durable.number}`}`,
        );
      }
      return reader(number);
    },
    getMeta(key: string): Uint8Array | undefined {
      ensureOpen();
      assertMetaKey(key);
      const v = meta.getBinary(utf8.encode(key));
      return v === undefined ? undefined : new Uint8Array(v);
    },
    async setMeta(key: string, value: Uint8Array | null): Promise<void> {
      ensureOpen();
      assertMetaKey(key);
      assertMetaValue(value);
      const k = utf8.encode(key);
      const v = value === null ? null : copyBytes(value);
      const work = (async () => {
        const written = v === null ? meta.remove(k) : meta.put(k, v);
        const flushed = root.flushed;
        await written;
        await flushed;
      })();
      inflight.add(work);
      try {
        await work;
      } finally {
        inflight.delete(work);
      }
    },
    close(): Promise<void> {
      if (closing !== undefined) return closing;
      closed = true;
      closing = (async () => {
        await Promise.allSettled([...inflight]);
        await root.close();
      })();
      return closing;
    },
  };
}
