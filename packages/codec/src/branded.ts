import { assertU16, assertU32, assertU64 } from './errors.js';

/** An amount in rao (1 TAO = 10^9 rao), a u64. */
export type Rao = bigint & { readonly __brand: 'Rao' };
/** A subnet id, a u16. */
export type NetUid = number & { readonly __brand: 'NetUid' };
/** A neuron's uid within a subnet, a u16. */
export type Uid = number & { readonly __brand: 'Uid' };
/** A block number, a u32. */
export type BlockNumber = number & { readonly __brand: 'BlockNumber' };

/** Rao in one TAO. */
export const RAO_PER_TAO = 1_000_000_000n;
/** Largest u16. */
export const U16_MAX = 0xffff;
/** Largest u32. */
export const U32_MAX = 0xffff_ffff;
/** Largest u64. */
export const U64_MAX = (1n << 64n) - 1n;
/** Largest u128. */
export const U128_MAX = (1n << 128n) - 1n;

/**
 * Brands a u64 bigint as {@link Rao}; TypeError if not a bigint, RangeError if out of range.
 * @example
 * import { RAO_PER_TAO, rao } from '@taoscript/codec';
 * const oneTao = rao(RAO_PER_TAO);
 */
export function rao(n: bigint): Rao {
  assertU64(n, 'rao');
  return n as Rao;
}

/**
 * Brands a u16 number as {@link NetUid}; TypeError if not a number, RangeError if out of range.
 * @example
 * import { netUid } from '@taoscript/codec';
 * const root = netUid(0);
 */
export function netUid(n: number): NetUid {
  assertU16(n, 'netUid');
  return n as NetUid;
}

/**
 * Brands a u16 number as {@link Uid}; TypeError if not a number, RangeError if out of range.
 * @example
 * import { uid } from '@taoscript/codec';
 * const first = uid(0);
 */
export function uid(n: number): Uid {
  assertU16(n, 'uid');
  return n as Uid;
}

/**
 * Brands a u32 number as {@link BlockNumber}; TypeError if not a number, RangeError if out of range.
 * @example
 * import { blockNumber } from '@taoscript/codec';
 * const genesis = blockNumber(0);
 */
export function blockNumber(n: number): BlockNumber {
  assertU32(n, 'blockNumber');
  return n as BlockNumber;
}
