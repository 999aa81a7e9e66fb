import { blake2b, blake2bInto } from './blake2b.js';
import { assertBytes } from './errors.js';
import { utf8Encode } from './hex.js';
import { xxhash64Into } from './xxhash64.js';

/**
 * BLAKE2b with a 16-byte digest.
 * @example
 * import { blake2_128 } from '@taoscript/codec';
 * blake2_128(new Uint8Array([1, 2, 3])).length; // 16
 */
export function blake2_128(data: Uint8Array): Uint8Array {
  assertBytes(data, undefined, 'blake2_128 input');
  return blake2b(data, 16);
}

/**
 * BLAKE2b with a 32-byte digest.
 * @example
 * import { blake2_256 } from '@taoscript/codec';
 * blake2_256(new Uint8Array([1, 2, 3])).length; // 32
 */
export function blake2_256(data: Uint8Array): Uint8Array {
  assertBytes(data, undefined, 'blake2_256 input');
  return blake2b(data, 32);
}

/**
 * BLAKE2b with a 64-byte digest.
 * @example
 * import { blake2_512 } from '@taoscript/codec';
 * blake2_512(new Uint8Array([1, 2, 3])).length; // 64
 */
export function blake2_512(data: Uint8Array): Uint8Array {
  assertBytes(data, undefined, 'blake2_512 input');
  return blake2b(data, 64);
}

function twox(data: Uint8Array, rounds: number, what: string): Uint8Array {
  assertBytes(data, undefined, what);
  const out = new Uint8Array(rounds * 8);
  for (let seed = 0; seed < rounds; seed++) xxhash64Into(data, seed, out, seed * 8);
  return out;
}

/**
 * Substrate's twox64: xxHash64 with seed 0, little-endian (8 bytes).
 * @example
 * import { twox64 } from '@taoscript/codec';
 * twox64(new Uint8Array([1, 2, 3])).length; // 8
 */
export function twox64(data: Uint8Array): Uint8Array {
  return twox(data, 1, 'twox64 input');
}

/**
 * Substrate's twox128: xxHash64 with seeds 0 and 1, little-endian, concatenated (16 bytes).
 * @example
 * import { toHex, twox128, utf8Encode } from '@taoscript/codec';
 * toHex(twox128(utf8Encode('System'))); // '0x26aa394eea5630e07c48ae0c9558cef7'
 */
export function twox128(data: Uint8Array): Uint8Array {
  return twox(data, 2, 'twox128 input');
}

/**
 * Substrate's twox256: xxHash64 with seeds 0..3, little-endian, concatenated (32 bytes).
 * @example
 * import { twox256 } from '@taoscript/codec';
 * twox256(new Uint8Array([1, 2, 3])).length; // 32
 */
export function twox256(data: Uint8Array): Uint8Array {
  return twox(data, 4, 'twox256 input');
}

/** A FRAME storage-map key hasher. */
export type StorageHasher =
  | 'Blake2_128'
  | 'Blake2_256'
  | 'Blake2_128Concat'
  | 'Twox128'
  | 'Twox256'
  | 'Twox64Concat'
  | 'Identity';

/** Hash bytes each hasher writes before the raw key (concat hashers) or in total (others). */
const HASH_LENGTH: Readonly<Record<StorageHasher, number>> = {
  Blake2_128: 16,
  Blake2_256: 32,
  Blake2_128Concat: 16,
  Twox128: 16,
  Twox256: 32,
  Twox64Concat: 8,
  Identity: 0,
};

/** Every storage hasher name, in metadata order. */
export const STORAGE_HASHERS: readonly StorageHasher[] = [
  'Blake2_128',
  'Blake2_256',
  'Blake2_128Concat',
  'Twox128',
  'Twox256',
  'Twox64Concat',
  'Identity',
];

function assertHasher(h: unknown): asserts h is StorageHasher {
  if (typeof h !== 'string')
    throw new TypeError(`storage hasher: expected a string, got ${typeof h}`);
  if (!Object.hasOwn(HASH_LENGTH, h)) {
    throw new RangeError(`storage hasher: unknown hasher ${JSON.stringify(h.slice(0, 40))}`);
  }
}

/**
 * True for hashers that append the raw key after the hash (Blake2_128Concat, Twox64Concat, Identity).
 * @example
 * import { isConcatHasher } from '@taoscript/codec';
 * isConcatHasher('Twox64Concat'); // true
 */
export function isConcatHasher(h: StorageHasher): boolean {
  assertHasher(h);
  return h === 'Blake2_128Concat' || h === 'Twox64Concat' || h === 'Identity';
}

/**
 * Number of hash bytes a hasher writes: before the raw key for concat hashers (16, 8, 0 for
 * Identity), the whole output for the others (16 or 32).
 * @example
 * import { hasherPrefixLength } from '@taoscript/codec';
 * hasherPrefixLength('Blake2_128Concat'); // 16
 */
export function hasherPrefixLength(h: StorageHasher): number {
  assertHasher(h);
  return HASH_LENGTH[h];
}

/**
 * Hashes an already SCALE-encoded key with a storage hasher, as FRAME storage maps do.
 * @example
 * import { hashKey } from '@taoscript/codec';
 * hashKey('Twox64Concat', new Uint8Array([1, 0])).length; // 10
 */
export function hashKey(hasher: StorageHasher, encodedKey: Uint8Array): Uint8Array {
  assertHasher(hasher);
  assertBytes(encodedKey, undefined, 'hashKey encodedKey');
  switch (hasher) {
    case 'Blake2_128':
      return blake2b(encodedKey, 16);
    case 'Blake2_256':
      return blake2b(encodedKey, 32);
    case 'Blake2_128Concat': {
      const out = new Uint8Array(16 + encodedKey.length);
      blake2bInto(encodedKey, 16, out, 0);
      out.set(encodedKey, 16);
      return out;
    }
    case 'Twox128':
      return twox(encodedKey, 2, 'hashKey encodedKey');
    case 'Twox256':
      return twox(encodedKey, 4, 'hashKey encodedKey');
    case 'Twox64Concat': {
      const out = new Uint8Array(8 + encodedKey.length);
      xxhash64Into(encodedKey, 0, out, 0);
      out.set(encodedKey, 8);
      return out;
    }
    case 'Identity':
      return encodedKey.slice();
  }
}

const PREFIX_CACHE = new Map<string, Uint8Array>();
const PREFIX_CACHE_MAX = 4096;

/**
 * Storage prefix of a pallet item: twox128(pallet) ++ twox128(item), 32 bytes (a fresh copy).
 * @example
 * import { storagePrefix, toHex } from '@taoscript/codec';
 * toHex(storagePrefix('System', 'Account')); // '0x26aa...cef7b99d...1da9'
 */
export function storagePrefix(pallet: string, item: string): Uint8Array {
  if (typeof pallet !== 'string') throw new TypeError('storagePrefix: pallet must be a string');
  if (typeof item !== 'string') throw new TypeError('storagePrefix: item must be a string');
  const cacheKey = `${pallet}\u0000${item}`;
  let prefix = PREFIX_CACHE.get(cacheKey);
  if (prefix === undefined) {
    prefix = new Uint8Array(32);
    const p = utf8Encode(pallet);
    const i = utf8Encode(item);
    xxhash64Into(p, 0, prefix, 0);
    xxhash64Into(p, 1, prefix, 8);
    xxhash64Into(i, 0, prefix, 16);
    xxhash64Into(i, 1, prefix, 24);
    if (PREFIX_CACHE.size >= PREFIX_CACHE_MAX) PREFIX_CACHE.clear();
    PREFIX_CACHE.set(cacheKey, prefix);
  }
  return prefix.slice();
}
