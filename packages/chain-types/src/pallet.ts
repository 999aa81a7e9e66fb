/** Pallet declarations: storage items, constants, and the calls/events/errors enums of one pallet. */
import { hashKey, type StorageHasher, storagePrefix, toHex } from '@taoscript/codec';
import { type AnyShape, Enum, type EnumValue, type Shape, Tuple } from './dsl.js';

/** Read access to state, as the runtime and the RPC layer both provide it. */
export interface StateGet {
  get(key: Uint8Array): Uint8Array | undefined;
}
export interface StateRW extends StateGet {
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

export type Modifier = 'Optional' | 'Default';

/** One storage item: its key builder, value codec and default. */
export class StorageItem<K extends unknown[], V> {
  readonly prefix: Uint8Array;
  readonly pallet: string;
  /** The key type metadata shows: the single key, or a tuple of them. */
  readonly keyShape: AnyShape;

  constructor(
    pallet: string,
    readonly name: string,
    readonly hashers: StorageHasher[],
    readonly keyShapes: AnyShape[],
    readonly value: Shape<V>,
    readonly modifier: Modifier,
    readonly fallback: V | undefined,
    readonly docs: string[] = [],
  ) {
    this.pallet = pallet;
    this.prefix = storagePrefix(pallet, name);
    if (hashers.length !== keyShapes.length) throw new Error(`${pallet}.${name}: hashers/keys`);
    this.keyShape =
      keyShapes.length === 1 ? (keyShapes[0] as AnyShape) : (Tuple(...keyShapes) as AnyShape);
  }

  /** The full storage key for the given key values (or the item prefix for a plain item). */
  key(...keys: K): Uint8Array {
    if (keys.length === 0) return this.prefix;
    const parts: Uint8Array[] = [this.prefix];
    let total = this.prefix.length;
    for (let k = 0; k < keys.length; k++) {
      const h = this.hashPart(k, (this.keyShapes[k] as AnyShape).enc(keys[k]));
      parts.push(h);
      total += h.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  // Hashing dominates key building (accounts are looked up many times per block): remember
  // recent hashes. The cache is bounded and cleared wholesale when full.
  private readonly hashCache = new Map<string, Uint8Array>();
  private hashPart(k: number, encoded: Uint8Array): Uint8Array {
    const hasher = this.hashers[k] as StorageHasher;
    if (hasher === 'Identity' || encoded.length > 64) return hashKey(hasher, encoded);
    const id = `${k}:${toHex(encoded)}`;
    let h = this.hashCache.get(id);
    if (!h) {
      if (this.hashCache.size >= 65_536) this.hashCache.clear();
      h = hashKey(hasher, encoded);
      this.hashCache.set(id, h);
    }
    return h;
  }

  /** The prefix shared by all entries whose first keys are `keys` (for iteration). */
  partialKey(...keys: unknown[]): Uint8Array {
    return (this.key as (...k: unknown[]) => Uint8Array)(...keys);
  }

  /** Decodes the key values back out of a full key (only for concat/identity hashers). */
  decodeKey(full: Uint8Array): K {
    let at = this.prefix.length;
    const out: unknown[] = [];
    for (let k = 0; k < this.hashers.length; k++) {
      const h = this.hashers[k] as StorageHasher;
      const skip =
        h === 'Blake2_128Concat' ? 16 : h === 'Twox64Concat' ? 8 : h === 'Identity' ? 0 : -1;
      if (skip < 0) throw new Error(`${this.pallet}.${this.name}: hasher ${h} is not reversible`);
      at += skip;
      const shape = this.keyShapes[k] as AnyShape;
      const rest = full.slice(at);
      const value = shape.dec(rest);
      out.push(value);
      at += shape.enc(value).length;
    }
    return out as K;
  }

  /** The value, or the default when absent (`undefined` for Optional items). */
  get(state: StateGet, ...keys: K): V {
    const raw = state.get(this.key(...keys));
    if (raw !== undefined) return this.value.dec(raw);
    // Decode the default afresh: callers may mutate what they get.
    const fb = this.fallbackBytes;
    return (fb === undefined ? undefined : this.value.dec(fb)) as V;
  }

  /** The value if stored. */
  tryGet(state: StateGet, ...keys: K): V | undefined {
    const raw = state.get(this.key(...keys));
    return raw === undefined ? undefined : this.value.dec(raw);
  }

  /**
   * Stores a value. As FRAME's `insert`/`put`, a ValueQuery item set to its default is stored, not
   * removed: `contains_key` and key iteration see it. Use `remove` to delete.
   */
  set(state: StateRW, ...args: [...K, V]): void {
    const value = args.pop() as V;
    state.set(this.key(...(args as unknown as K)), this.value.enc(value));
  }

  remove(state: StateRW, ...keys: K): void {
    state.delete(this.key(...keys));
  }

  private cachedFallback: Uint8Array | undefined | null = null;
  /** The SCALE bytes metadata advertises as the item's default. */
  get fallbackBytes(): Uint8Array | undefined {
    if (this.cachedFallback === null)
      this.cachedFallback =
        this.fallback === undefined && this.modifier === 'Optional'
          ? undefined
          : this.value.enc(this.fallback as V);
    return this.cachedFallback;
  }
}

/** A plain (single-value) item. */
export function plain<V>(
  pallet: string,
  name: string,
  value: Shape<V>,
  fallback: V,
  docs?: string[],
) {
  return new StorageItem<[], V>(pallet, name, [], [], value, 'Default', fallback, docs);
}
/** A plain item with no default. */
export function plainOptional<V>(pallet: string, name: string, value: Shape<V>, docs?: string[]) {
  return new StorageItem<[], V | undefined>(
    pallet,
    name,
    [],
    [],
    value as Shape<V | undefined>,
    'Optional',
    undefined,
    docs,
  );
}
/** A map with one key. Pass `fallback` for a `ValueQuery`; omit it for an `OptionQuery`. */
export function map<K, V>(
  pallet: string,
  name: string,
  hasher: StorageHasher,
  key: Shape<K>,
  value: Shape<V>,
  fallback?: V,
  docs?: string[],
) {
  return new StorageItem<[K], V>(
    pallet,
    name,
    [hasher],
    [key as AnyShape],
    value,
    fallback === undefined ? 'Optional' : 'Default',
    fallback,
    docs,
  );
}
/** A map with two keys. */
export function doubleMap<K1, K2, V>(
  pallet: string,
  name: string,
  hashers: [StorageHasher, StorageHasher],
  keys: [Shape<K1>, Shape<K2>],
  value: Shape<V>,
  fallback?: V,
  docs?: string[],
) {
  return new StorageItem<[K1, K2], V>(
    pallet,
    name,
    hashers,
    keys as AnyShape[],
    value,
    fallback === undefined ? 'Optional' : 'Default',
    fallback,
    docs,
  );
}

export interface ConstantDef {
  name: string;
  shape: AnyShape;
  value: unknown;
  docs?: string[];
}

/** A constant's entry: its shape and value, encoded for metadata. */
export function constant<T>(name: string, shape: Shape<T>, value: T, docs?: string[]): ConstantDef {
  const c: ConstantDef = { name, shape: shape as AnyShape, value };
  if (docs) c.docs = docs;
  return c;
}

export interface PalletDef {
  name: string;
  index: number;
  calls?: AnyShape;
  events?: AnyShape;
  errors?: AnyShape;
  /** Error names in index order, for decoding `DispatchError::Module`. */
  errorNames?: readonly string[];
  storage?: StorageItem<never, unknown>[];
  constants?: ConstantDef[];
  docs?: string[];
}

/** Declares a pallet's `Error` enum from its names in index order. */
export function errorEnum<const N extends readonly string[]>(
  path: string[],
  names: N,
): Shape<EnumValue<{ [K in N[number]]: undefined }>> {
  const variants: Record<string, { index: number }> = {};
  names.forEach((n, i) => {
    variants[n] = { index: i };
  });
  return Enum({ path }, variants) as unknown as Shape<EnumValue<{ [K in N[number]]: undefined }>>;
}

/** Every storage item of a pallet module, gathered for metadata. */
export function storageItems(items: Record<string, unknown>): StorageItem<never, unknown>[] {
  return Object.values(items).filter((x) => x instanceof StorageItem) as StorageItem<
    never,
    unknown
  >[];
}
