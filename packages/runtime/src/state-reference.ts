/**
 * The plain overlay and map state that state.ts's optimised versions replaced, kept as the model
 * the property tests compare them with (same reads, key pages, change sets and their order). Test
 * use only; not exported from the package.
 */

import type { StateRW } from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';
import type { Changes, StateReader } from './state.js';

/** The previous `Overlay`: one change map per layer, each read scanning them top down. */
export class ReferenceOverlay implements StateRW, StateReader {
  private readonly layers: Changes[] = [new Map()];
  /**
   * Events are state too: those deposited inside a layer that is rolled back are dropped with it,
   * as Substrate drops the events of a failed transactional call.
   */
  readonly events: unknown[] = [];
  private readonly eventMarks: number[] = [];

  constructor(private readonly base: StateReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const k = toHex(key);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const v = (this.layers[i] as Changes).get(k);
      if (v !== undefined) return v === null ? undefined : v;
    }
    return this.base.get(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    (this.layers[this.layers.length - 1] as Changes).set(toHex(key), value);
  }

  delete(key: Uint8Array): void {
    (this.layers[this.layers.length - 1] as Changes).set(toHex(key), null);
  }

  /** Keys with the prefix, merging the overlay's writes and deletes with the base. */
  keys(prefix: Uint8Array, startKey?: Uint8Array, limit = Number.POSITIVE_INFINITY): Uint8Array[] {
    const prefixHex = toHex(prefix);
    const startHex = startKey ? toHex(startKey) : undefined;
    const merged = new Map<string, boolean>();
    for (const layer of this.layers)
      for (const [k, v] of layer)
        if (k.startsWith(prefixHex) && (startHex === undefined || k > startHex))
          merged.set(k, v !== null);
    const out: string[] = [];
    // Read enough base keys to fill the page even if some were deleted above.
    const baseKeys = this.base.keys(
      prefix,
      startKey,
      limit === Number.POSITIVE_INFINITY ? undefined : limit + merged.size,
    );
    for (const key of baseKeys) {
      const k = toHex(key);
      if (!merged.has(k)) out.push(k);
    }
    for (const [k, live] of merged) if (live) out.push(k);
    out.sort();
    return out.slice(0, limit).map((k) => fromHex(k));
  }

  /** Starts a transactional layer. */
  begin(): void {
    this.layers.push(new Map());
    this.eventMarks.push(this.events.length);
  }

  /** Folds the top layer into the one below. */
  commit(): void {
    if (this.layers.length < 2) throw new Error('commit without begin');
    const top = this.layers.pop() as Changes;
    const below = this.layers[this.layers.length - 1] as Changes;
    for (const [k, v] of top) below.set(k, v);
    this.eventMarks.pop();
  }

  /** Drops the top layer. */
  rollback(): void {
    if (this.layers.length < 2) throw new Error('rollback without begin');
    this.layers.pop();
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

  /** All changes made so far (only valid with no open layers). */
  changes(): Changes {
    if (this.layers.length !== 1) throw new Error('open transactional layers');
    return this.layers[0] as Changes;
  }
}

/** The previous `MapState`: `keys` filters and sorts the whole map. */
export class ReferenceMapState implements StateReader {
  constructor(readonly map: Map<string, Uint8Array> = new Map()) {}
  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(toHex(key));
  }
  keys(prefix: Uint8Array, startKey?: Uint8Array, limit = Number.POSITIVE_INFINITY): Uint8Array[] {
    const p = toHex(prefix);
    const s = startKey ? toHex(startKey) : undefined;
    return [...this.map.keys()]
      .filter((k) => k.startsWith(p) && (s === undefined || k > s))
      .sort()
      .slice(0, limit)
      .map((k) => fromHex(k));
  }
  /** Applies a change set. */
  apply(changes: Changes): void {
    for (const [k, v] of changes) {
      if (v === null) this.map.delete(k);
      else this.map.set(k, v);
    }
  }
}
