/** Pallet declarations: storage items, constants, and the calls/events/errors enums of one pallet. */
import {
  type HexString,
  hashKey,
  type StorageHasher,
  storagePrefix,
  toHex,
} from '@taoscript/codec';
import { type AnyShape, Enum, type EnumValue, type Shape, Tuple } from './dsl.js';
import {
  type FastKind,
  fastDecode,
  fastDecodeKind,
  fastEncode,
  fastEncodeKind,
} from './fast-codecs.js';

/**
 * A full storage key built once and reused: its bytes and, computed on first use, its canonical
 * `0x` lowercase hex. Storage items hand these to states that offer the `*At` fast paths, so a
 * state keyed by hex (or by bytes) converts nothing per access. The bytes must not be mutated.
 * @example
 * import { StorageKey } from '@taoscript/chain-types';
 * new StorageKey(new Uint8Array([1, 171])).hex; // '0x01ab'
 */
export class StorageKey {
  readonly #bytes: Uint8Array;
  #hex: HexString | undefined;
  /** Copies `bytes`. */
  constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('StorageKey: expected a Uint8Array');
    this.#bytes = bytes.slice();
  }
  /** The key bytes (shared: do not mutate). */
  get bytes(): Uint8Array {
    return this.#bytes;
  }
  /** The key as `toHex` writes it. */
  get hex(): HexString {
    let h = this.#hex;
    if (h === undefined) {
      h = toHex(this.#bytes);
      this.#hex = h;
    }
    return h;
  }
}

/** Read access to state, as the runtime and the RPC layer both provide it. */
export interface StateGet {
  get(key: Uint8Array): Uint8Array | undefined;
  /** Optional fast path: the same as `get(key.bytes)`. */
  getAt?(key: StorageKey): Uint8Array | undefined;
}
export interface StateRW extends StateGet {
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /** Optional fast path: the same as `set(key.bytes, value)`. */
  setAt?(key: StorageKey, value: Uint8Array): void;
  /** Optional fast path: the same as `delete(key.bytes)`. */
  deleteAt?(key: StorageKey): void;
}

/** Entries a storage item's key cache holds before it starts over. */
const KEY_CACHE_LIMIT = 1 << 15;
/** Byte keys up to this length are cached (AccountId32, H256, short vectors). */
const CACHED_BYTES_MAX = 128;

/** A node of a storage item's key cache: one level per key position. */
interface KeyNode {
  /** The prepared key of the tuple that ends here. */
  key?: StorageKey;
  /** Next level by a primitive key value (number, bigint, boolean, string; Map's SameValueZero). */
  prim?: Map<unknown, KeyNode>;
  /** Next level by the contents of a byte-array key value (see `bytesId`). */
  bytes?: Map<string, KeyNode>;
}

const idCodes: number[][] = [];
/**
 * A string that identifies a byte array's length and contents (two bytes per UTF-16 unit, after a
 * unit holding the length), for use as a Map key.
 */
function bytesId(b: Uint8Array): string {
  const n = b.length;
  const units = (n + 1) >> 1;
  let codes = idCodes[n];
  if (codes === undefined) {
    codes = new Array<number>(units + 1).fill(0);
    codes[0] = n;
    idCodes[n] = codes;
  }
  let j = 1;
  let i = 0;
  for (; i + 1 < n; i += 2) codes[j++] = (b[i] as number) | ((b[i + 1] as number) << 8);
  if (i < n) codes[j] = b[i] as number;
  return String.fromCharCode.apply(null, codes);
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
    this.decKind = fastDecodeKind(value);
    this.encKind = fastEncodeKind(value);
  }

  // Byte-arithmetic SCALE for integer, fixed-point and bool values (same results as `value`'s
  // codec, which handles whatever the fast paths decline).
  private readonly decKind: FastKind;
  private readonly encKind: FastKind;

  private decode(raw: Uint8Array): V {
    if (this.decKind !== 0) {
      const v = fastDecode(this.decKind, raw);
      if (v !== undefined) return v as V;
    }
    return this.value.dec(raw);
  }

  private encode(value: V): Uint8Array {
    if (this.encKind !== 0) {
      const bytes = fastEncode(this.encKind, value);
      if (bytes !== undefined) return bytes;
    }
    return this.value.enc(value);
  }

  /** The full storage key for the given key values (or the item prefix for a plain item). */
  key(...keys: K): Uint8Array {
    return this.prepared(keys).bytes.slice();
  }

  /** The full storage key as a reusable `StorageKey` (cached per key tuple). */
  storageKey(...keys: K): StorageKey {
    return this.prepared(keys);
  }

  // Building a key encodes and hashes every part and then the state converts it to hex. Items are
  // read and written with the same few key tuples over and over, so each tuple's StorageKey is
  // remembered: primitive key values index the cache directly, byte arrays by their contents, and
  // anything else (structs, enums) is built afresh. Bounded by its node count; cleared wholesale
  // when full. A key value always encodes the same way, so a hit equals a rebuild.
  private keyRoot: KeyNode = {};
  private keyCount = 0;
  private prepared(keys: readonly unknown[]): StorageKey {
    if (this.keyCount >= KEY_CACHE_LIMIT) {
      this.keyRoot = {};
      this.keyCount = 0;
    }
    let node = this.keyRoot;
    for (let i = 0; i < keys.length; i++) {
      const v = keys[i];
      const t = typeof v;
      let next: KeyNode | undefined;
      if (t === 'number' || t === 'bigint' || t === 'boolean' || t === 'string') {
        let m = node.prim;
        if (m === undefined) {
          m = new Map();
          node.prim = m;
        }
        next = m.get(v);
        if (next === undefined) {
          next = {};
          m.set(v, next);
          this.keyCount++;
        }
      } else if (v instanceof Uint8Array && v.length <= CACHED_BYTES_MAX) {
        let m = node.bytes;
        if (m === undefined) {
          m = new Map();
          node.bytes = m;
        }
        const id = bytesId(v);
        next = m.get(id);
        if (next === undefined) {
          next = {};
          m.set(id, next);
          this.keyCount++;
        }
      } else {
        return new StorageKey(this.build(keys));
      }
      node = next;
    }
    let k = node.key;
    if (k === undefined) {
      k = new StorageKey(this.build(keys)); // throws (caching nothing) for bad key values
      node.key = k;
    }
    return k;
  }

  private build(keys: readonly unknown[]): Uint8Array {
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

  /** The stored bytes, through the state's `getAt` fast path when it has one. */
  private raw(state: StateGet, keys: readonly unknown[]): Uint8Array | undefined {
    const k = this.prepared(keys);
    return state.getAt !== undefined ? state.getAt(k) : state.get(k.bytes);
  }

  /** The value, or the default when absent (`undefined` for Optional items). */
  get(state: StateGet, ...keys: K): V {
    const raw = this.raw(state, keys);
    if (raw !== undefined) return this.decode(raw);
    // Decode the default afresh: callers may mutate what they get.
    const fb = this.fallbackBytes;
    return (fb === undefined ? undefined : this.decode(fb)) as V;
  }

  /** The value if stored. */
  tryGet(state: StateGet, ...keys: K): V | undefined {
    const raw = this.raw(state, keys);
    return raw === undefined ? undefined : this.decode(raw);
  }

  /**
   * Stores a value. As FRAME's `insert`/`put`, a ValueQuery item set to its default is stored, not
   * removed: `contains_key` and key iteration see it. Use `remove` to delete.
   */
  set(state: StateRW, ...args: [...K, V]): void {
    const value = args.pop() as V;
    const k = this.prepared(args);
    const bytes = this.encode(value);
    if (state.setAt !== undefined) state.setAt(k, bytes);
    else state.set(k.bytes, bytes);
  }

  remove(state: StateRW, ...keys: K): void {
    const k = this.prepared(keys);
    if (state.deleteAt !== undefined) state.deleteAt(k);
    else state.delete(k.bytes);
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
