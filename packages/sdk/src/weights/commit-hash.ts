/**
 * The hash-based (commit-reveal v2) weights commitment: blake2b-256 over the SCALE tuple
 * `(hotkey, storage_index: u16, uids: Vec<u16>, values: Vec<u16>, salt: Vec<u16>, version_key: u64)`,
 * as subtensor's `do_reveal_weights` recomputes it and the Python SDK's `generate_weight_hash`.
 */
import { AccountId32, Tuple, u16, u64, Vec } from '@taoscript/chain-types';
import { blake2_256, type HexString, ss58Decode, toHex } from '@taoscript/codec';

/** Subnets per mechanism in a storage index (`GLOBAL_MAX_SUBNET_COUNT`). */
export const GLOBAL_MAX_SUBNET_COUNT = 4096;
/** Largest mechanism id whose storage index still fits in a u16. */
export const MAX_MECHID = 15;
/** Longest uid / value / salt vector hashed. */
export const MAX_COMMIT_VECTOR_LENGTH = 65_536;

const Preimage = Tuple(AccountId32, u16, Vec(u16), Vec(u16), Vec(u16), u64);

/** The inputs of a weights commitment. */
export interface CommitHashParameters {
  /** The committing hotkey: its 32-byte public key or SS58 address. */
  hotkey: Uint8Array | string;
  netuid: number;
  /** Mechanism id (default 0). */
  mechid?: number;
  uids: readonly number[];
  values: readonly number[];
  salt: readonly number[];
  versionKey: bigint | number;
}

/**
 * `mechid · 4096 + netuid`, the `NetUidStorageIndex` weights are stored and hashed under.
 * @example
 * import { storageIndex } from '@taoscript/sdk';
 * storageIndex(1, 1); // 4097
 */
export function storageIndex(netuid: number, mechid = 0): number {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid >= GLOBAL_MAX_SUBNET_COUNT)
    throw new RangeError(`netuid must be an integer in 0..${GLOBAL_MAX_SUBNET_COUNT - 1}`);
  if (!Number.isInteger(mechid) || mechid < 0 || mechid > MAX_MECHID)
    throw new RangeError(`mechid must be an integer in 0..${MAX_MECHID}`);
  return mechid * GLOBAL_MAX_SUBNET_COUNT + netuid;
}

/** A 32-byte account from a public key or an SS58 address (TypeError / RangeError otherwise). */
export function accountBytes(account: unknown, what = 'account'): Uint8Array {
  if (account instanceof Uint8Array) {
    if (account.length !== 32)
      throw new RangeError(`${what} must be 32 bytes, got ${account.length}`);
    return account.slice();
  }
  if (typeof account !== 'string')
    throw new TypeError(`${what} must be an SS58 address or a 32-byte public key`);
  if (account.length > 64) throw new RangeError(`${what} is not an SS58 address (too long)`);
  const decoded = ss58Decode(account);
  if (!decoded.valid)
    throw new RangeError(`${what} is not a valid SS58 address: ${decoded.reason}`);
  if (decoded.publicKey.length !== 32) throw new RangeError(`${what} is not a 32-byte account`);
  return decoded.publicKey;
}

function u16List(x: unknown, what: string): number[] {
  if (!Array.isArray(x)) throw new TypeError(`${what} must be an array of u16 integers`);
  if (x.length > MAX_COMMIT_VECTOR_LENGTH)
    throw new RangeError(`${what} has ${x.length} entries; at most ${MAX_COMMIT_VECTOR_LENGTH}`);
  x.forEach((v, i) => {
    if (typeof v !== 'number') throw new TypeError(`${what}[${i}] is not a number`);
    if (!Number.isInteger(v) || v < 0 || v > 0xffff)
      throw new RangeError(`${what}[${i}] is ${v}; expected a u16 integer`);
  });
  return x as number[];
}

/** A u64 version key from a bigint or a safe integer. */
export function versionKeyOf(v: unknown): bigint {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RangeError(`versionKey ${v} is not a non-negative safe integer`);
    return BigInt(v);
  }
  if (typeof v !== 'bigint') throw new TypeError('versionKey must be a bigint or an integer');
  if (v < 0n || v >= 1n << 64n) throw new RangeError('versionKey must fit in a u64');
  return v;
}

/**
 * The SCALE bytes a commitment hashes.
 * @example
 * import { commitHashPreimage } from '@taoscript/sdk';
 * commitHashPreimage({ hotkey: new Uint8Array(32), netuid: 1, uids: [], values: [], salt: [], versionKey: 0n }).length; // 45
 */
export function commitHashPreimage(p: CommitHashParameters): Uint8Array {
  if (typeof p !== 'object' || p === null) throw new TypeError('expected commit parameters');
  const hotkey = accountBytes(p.hotkey, 'hotkey');
  const index = storageIndex(p.netuid, p.mechid ?? 0);
  return Preimage.enc([
    hotkey,
    index,
    u16List(p.uids, 'uids'),
    u16List(p.values, 'values'),
    u16List(p.salt, 'salt'),
    versionKeyOf(p.versionKey),
  ]);
}

/**
 * blake2b-256 of {@link commitHashPreimage}: the `commit_hash` of `commit_mechanism_weights`.
 * @example
 * import { commitHash } from '@taoscript/sdk';
 * commitHash({ hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', netuid: 1, uids: [0], values: [65535], salt: [1], versionKey: 0n });
 */
export function commitHash(p: CommitHashParameters): HexString {
  return toHex(blake2_256(commitHashPreimage(p)));
}

/** Salt length the SDK uses when none is given. */
export const DEFAULT_SALT_LENGTH = 8;

/**
 * A random salt of `length` u16 values (crypto-strength).
 * @example
 * import { randomSalt } from '@taoscript/sdk';
 * randomSalt().length; // 8
 */
export function randomSalt(length = DEFAULT_SALT_LENGTH): number[] {
  if (!Number.isInteger(length) || length < 1 || length > 1024)
    throw new RangeError('salt length must be an integer in 1..1024');
  return Array.from(globalThis.crypto.getRandomValues(new Uint16Array(length)));
}
