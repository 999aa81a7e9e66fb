/** Shared JSON shapes and parameter schemas for the RPC handlers. */
import { DigestItem, type Header } from '@taoscript/chain-types';
import { fromHex, isHex, toHex } from '@taoscript/codec';
import { z } from 'zod';
import type { BlockInfo, Chain } from '../chain/chain.js';
import { RpcError } from '../rpc/index.js';

/** A 0x-prefixed hex string (any even length). */
export const hexParam = z.string().refine((s) => isHex(s) && s.length % 2 === 0, {
  message: 'expected a 0x-prefixed hex string',
});
/** A 32-byte block hash. */
export const hashParam = z.string().refine((s) => isHex(s) && s.length === 66, {
  message: 'expected a 32-byte 0x-prefixed block hash',
});
/** An optional block hash (absent or null = the best block). */
export const atParam = hashParam.nullish();

export function headerJson(h: Header) {
  return {
    parentHash: toHex(h.parent_hash),
    number: `0x${h.number.toString(16)}`,
    stateRoot: toHex(h.state_root),
    extrinsicsRoot: toHex(h.extrinsics_root),
    digest: { logs: h.digest.logs.map((l) => toHex(DigestItem.enc(l))) },
  };
}

/** Substrate's state RPC error for an unknown block. */
export function unknownBlock(hash: string): RpcError {
  return new RpcError(
    4003,
    `Client error: UnknownBlock: Header was not found in the database: ${hash}`,
  );
}

/** The block a request names, or the best block. */
export function resolveAt(chain: Chain, at: string | null | undefined): BlockInfo {
  if (!at) return chain.head;
  const b = chain.blockByHash(fromHex(at));
  if (!b) throw unknownBlock(at);
  return b;
}

export const bytes = (hex: string): Uint8Array => fromHex(hex);
