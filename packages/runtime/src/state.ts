/**
 * A layered write overlay over a read-only state. Each layer can be committed into the one below
 * or discarded, which gives dispatch its transactional semantics (a failed call leaves nothing).
 */

import type { StateRW, StorageKey } from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';

/** What the runtime reads state from: the node's store at the parent block, or a map in tests. */
export interface StateReader {
  get(key: Uint8Array): Uint8Array | undefined;
  /** Keys starting with `prefix`, ascending, strictly after `startKey` when given. */
  keys(prefix: Uint8Array, startKey?: Uint8Array, limit?: number): Uint8Array[];
  /** Optional fast path: the same as `get(key.bytes)`. */
  getAt?(key: StorageKey): Uint8Array | undefined;
  /**
   * Optional fast path: `keys` with the prefix, start key and result as canonical hex (`toHex`).
   */
  keysHex?(prefixHex: string, startHex?: string, limit?: number): string[];
}

export type Changes = Map<string, Uint8Array | null>;

/** What a key held in the overlay before a layer first wrote it (`undefined`: nothing). */
type Undo = Map<string, Uint8Array | null | undefined>;

/** Index of the first element of sorted `arr` that is >= `x` (or > `x` when `after`). */
function searchSorted(arr: readonly string[], x: string, after: boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = arr[mid] as string;
    if (m < x || (after && m === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges sorted, duplicate-free `a` with unsorted `fresh`, dropping duplicates. */
function mergeSorted(a: readonly string[], fresh: string[]): string[] {
  fresh.sort();
  const out: string[] = [];
  let i = 0;
  let j = 0;
  let last: string | undefined;
  while (i < a.length || j < fresh.length) {
    const x =
      j >= fresh.length || (i < a.length && (a[i] as string) <= (fresh[j] as string))
        ? (a[i++] as string)
        : (fresh[j++] as string);
    if (x !== last) out.push(x);
    last = x;
  }
  return out;
}

/** The keys of `sorted` with the prefix (and after `start`), in order. */
function rangeOf(sorted: readonly string[], prefix: string, start: string | undefined): string[] {
  let i = searchSorted(sorted, prefix, false);
  if (start !== undefined) i = Math.max(i, searchSorted(sorted, start, true));
  const out: string[] = [];
  for (; i < sorted.length; i++) {
    const k = sorted[i] as string;
    if (!k.startsWith(prefix)) break;
    out.push(k);
  }
  return out;
}

const NO_LIMIT = Number.POSITIVE_INFINITY;
/** '0x' and 32 bytes: twox128(pallet) ++ twox128(item). */
const GROUP_CHARS = 66;

/**
 * A 32-bit hash of a hex key's first 8 pallet-hash and 8 item-hash digits (-1 for keys shorter
 * than an item prefix). Equal prefixes give equal groups; unequal ones may share one.
 */
function groupOf(k: string): number {
  if (k.length < GROUP_CHARS) return -1;
  let h = 0x811c9dc5;
  for (let i = 2; i < 10; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
  for (let i = 34; i < 42; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The runtime's mutable view of state during block execution. */
export class Overlay implements StateRW, StateReader {
  /**
   * Every write not rolled back, newest value per key (`null`: deleted): the layers merged, so a
   * read is one lookup however many layers are open. Insertion order is first-write order, as
   * committing layer by layer gave.
   */
  private readonly writes: Changes = new Map();
  /** Per open layer above the first: each key's value in `writes` before the layer wrote it. */
  private readonly undo: Undo[] = [];
  /**
   * Written keys grouped by a hash of their pallet and item prefix (shorter keys together), so
   * `keys` looks only at the item it iterates. May hold rolled-back keys (`writes` no longer has
   * them) and repeats; `keys` tidies the groups it reads.
   */
  private readonly groups = new Map<number, string[]>();
  /** Keys first written since `keys` last sorted them into `groups`. */
  private fresh: string[] = [];
  /**
   * Events are state too: those deposited inside a layer that is rolled back are dropped with it,
   * as Substrate drops the events of a failed transactional call.
   */
  readonly events: unknown[] = [];
  private readonly eventMarks: number[] = [];

  constructor(private readonly base: StateReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const v = this.writes.get(toHex(key));
    if (v !== undefined) return v === null ? undefined : v;
    return this.base.get(key);
  }

  /** `get` for a prepared key (no hex conversion). */
  getAt(key: StorageKey): Uint8Array | undefined {
    const v = this.writes.get(key.hex);
    if (v !== undefined) return v === null ? undefined : v;
    const base = this.base;
    return base.getAt !== undefined ? base.getAt(key) : base.get(key.bytes);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.write(toHex(key), value);
  }

  /** `set` for a prepared key. */
  setAt(key: StorageKey, value: Uint8Array): void {
    this.write(key.hex, value);
  }

  delete(key: Uint8Array): void {
    this.write(toHex(key), null);
  }

  /** `delete` for a prepared key. */
  deleteAt(key: StorageKey): void {
    this.write(key.hex, null);
  }

  private write(k: string, v: Uint8Array | null): void {
    const writes = this.writes;
    const depth = this.undo.length;
    if (depth === 0) {
      const size = writes.size;
      writes.set(k, v);
      if (writes.size !== size) this.fresh.push(k);
      return;
    }
    const top = this.undo[depth - 1] as Undo;
    if (!top.has(k)) {
      const prev = writes.get(k);
      top.set(k, prev);
      if (prev === undefined) this.fresh.push(k);
    }
    writes.set(k, v);
  }

  /** Written keys (live or deleted, each once) with the prefix and after `start`. */
  private written(prefix: string, start: string | undefined): Map<string, boolean> {
    const groups = this.groups;
    for (const k of this.fresh) {
      const id = groupOf(k);
      const group = groups.get(id);
      if (group === undefined) groups.set(id, [k]);
      else group.push(k);
    }
    this.fresh = [];
    const out = new Map<string, boolean>();
    const scan = (id: number, group: string[]): void => {
      let tidy = true;
      for (const k of group) {
        const v = this.writes.get(k);
        if (v === undefined || out.has(k)) {
          tidy = false;
          continue;
        }
        if (k.startsWith(prefix) && (start === undefined || k > start)) out.set(k, v !== null);
      }
      if (!tidy) {
        const live = [...new Set(group.filter((k) => this.writes.has(k)))];
        if (live.length === 0) groups.delete(id);
        else groups.set(id, live);
      }
    };
    if (prefix.length >= GROUP_CHARS) {
      // Every key with this prefix shares its first GROUP_CHARS characters, hence its group.
      const id = groupOf(prefix);
      const group = groups.get(id);
      if (group !== undefined) scan(id, group);
    } else {
      for (const [id, group] of [...groups]) scan(id, group);
    }
    return out;
  }

  /** Keys with the prefix, merging the overlay's writes and deletes with the base. */
  keys(prefix: Uint8Array, startKey?: Uint8Array, limit = NO_LIMIT): Uint8Array[] {
    const prefixHex = toHex(prefix);
    const startHex = startKey ? toHex(startKey) : undefined;
    const merged = this.written(prefixHex, startHex);
    const out: string[] = [];
    // Read enough base keys to fill the page even if some were deleted above.
    const baseLimit = limit === NO_LIMIT ? undefined : limit + merged.size;
    const base = this.base;
    if (base.keysHex !== undefined) {
      for (const k of base.keysHex(prefixHex, startHex, baseLimit)) if (!merged.has(k)) out.push(k);
    } else {
      for (const key of base.keys(prefix, startKey, baseLimit)) {
        const k = toHex(key);
        if (!merged.has(k)) out.push(k);
      }
    }
    for (const [k, live] of merged) if (live) out.push(k);
    out.sort();
    return out.slice(0, limit).map((k) => fromHex(k));
  }

  /** Starts a transactional layer. */
  begin(): void {
    this.undo.push(new Map());
    this.eventMarks.push(this.events.length);
  }

  /** Folds the top layer into the one below. */
  commit(): void {
    const top = this.undo.pop();
    if (top === undefined) throw new Error('commit without begin');
    const below = this.undo[this.undo.length - 1];
    // The layer below keeps its own (older) record of a key it wrote first.
    if (below !== undefined) for (const [k, prev] of top) if (!below.has(k)) below.set(k, prev);
    this.eventMarks.pop();
  }

  /** Drops the top layer. */
  rollback(): void {
    const top = this.undo.pop();
    if (top === undefined) throw new Error('rollback without begin');
    const writes = this.writes;
    for (const [k, prev] of top) {
      if (prev === undefined) writes.delete(k);
      else writes.set(k, prev);
    }
    this.events.length = this.eventMarks.pop() as number;
  }

  /** Runs `fn` in a layer, keeping its writes only if it returns `{ ok: true }`. */
  transactional<R extends { ok: boolean }>(fn: () => R): R {
    this.begin();
    let result: R;
    try {
      result = fn();
    } catch (err) {
      this.rollback();
      throw err;
    }
    if (result.ok) this.commit();
    else this.rollback();
    return result;
  }

  /**
   * All changes made so far (only valid with no open layers): the overlay's live map, to read (key
   * iteration indexes only writes made through the overlay).
   */
  changes(): Changes {
    if (this.undo.length !== 0) throw new Error('open transactional layers');
    return this.writes;
  }
}

/**
 * A state reader over a plain map (genesis building and unit tests). Change the map through
 * `apply`: key iteration uses a sorted index that `apply` keeps up to date (a direct edit of `map`
 * that changes its size is noticed and re-indexed; other direct edits are not).
 */
export class MapState implements StateReader {
  /** The map's keys, sorted; may still hold keys deleted since (reads check `map`). */
  private sorted: string[] | undefined;
  /** Keys added since `sorted` was built. */
  private fresh: string[] = [];
  /** Deleted keys that may still be in `sorted`. */
  private stale = 0;
  /** `map.size` as `apply` left it. */
  private indexedSize = -1;

  constructor(readonly map: Map<string, Uint8Array> = new Map()) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(toHex(key));
  }

  /** `get` for a prepared key. */
  getAt(key: StorageKey): Uint8Array | undefined {
    return this.map.get(key.hex);
  }

  keys(prefix: Uint8Array, startKey?: Uint8Array, limit = NO_LIMIT): Uint8Array[] {
    const p = toHex(prefix);
    const s = startKey ? toHex(startKey) : undefined;
    return this.keysHex(p, s, limit).map((k) => fromHex(k));
  }

  /** `keys` over hex strings. */
  keysHex(prefixHex: string, startHex?: string, limit = NO_LIMIT): string[] {
    if (typeof prefixHex !== 'string') throw new TypeError('keysHex: prefix must be a hex string');
    const map = this.map;
    let sorted = this.sorted;
    if (sorted === undefined || map.size !== this.indexedSize || this.stale > map.size) {
      sorted = [...map.keys()].sort();
      this.fresh = [];
      this.stale = 0;
      this.indexedSize = map.size;
    } else if (this.fresh.length > 0) {
      sorted = mergeSorted(sorted, this.fresh);
      this.fresh = [];
    }
    this.sorted = sorted;
    const found = rangeOf(sorted, prefixHex, startHex);
    const out = this.stale > 0 ? found.filter((k) => map.has(k)) : found;
    return out.slice(0, limit);
  }

  /** Applies a change set. */
  apply(changes: Changes): void {
    const map = this.map;
    const indexed = this.sorted !== undefined && map.size === this.indexedSize;
    for (const [k, v] of changes) {
      if (v === null) {
        if (map.delete(k)) this.stale++;
      } else {
        if (indexed && !map.has(k)) this.fresh.push(k);
        map.set(k, v);
      }
    }
    if (indexed) this.indexedSize = map.size;
    else this.sorted = undefined;
  }
}
