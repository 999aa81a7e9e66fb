/**
 * `faucet` (60): proof-of-work TAO for test networks. It exists in subtensor builds with the
 * `pow-faucet` feature (the localnet image); a 32-byte seal over (nonce, block hash, coldkey)
 * that meets difficulty 1,000,000 mints 1,000 TAO to the signer.
 */
import { Balances, SubtensorStorage as S, type StateGet, System } from '@taoscript/chain-types';
import { concatBytes } from '@taoscript/codec';
import { keccak256, sha256 } from '@taoscript/crypto';
import { BAD_ORIGIN, type DispatchContext, fail, moduleError, OK } from '../dispatch.js';
import { depositCredit } from '../pallets/balances.js';
import { handlers } from './dispatch.js';
import { mirrorIssuance } from './pool.js';

/** Rao minted per faucet claim (1,000 TAO). */
export const FAUCET_AMOUNT = 1_000_000_000_000n;
/** The faucet's fixed difficulty. */
export const FAUCET_DIFFICULTY = 1_000_000n;
const U256_LIMIT = 1n << 256n;

/** `hash_meets_difficulty`: the hash as a little-endian U256 times the difficulty does not overflow. */
export function hashMeetsDifficulty(hash: Uint8Array, difficulty: bigint): boolean {
  let n = 0n;
  for (let i = hash.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(hash[i] as number);
  return n * difficulty < U256_LIMIT;
}

/** `create_seal_hash`: keccak(sha256(nonce_le ++ keccak(block_hash ++ account))). */
export function sealHash(
  state: StateGet,
  blockNumber: bigint,
  nonce: bigint,
  account: Uint8Array,
): Uint8Array {
  const blockHash =
    blockNumber <= 0xffff_ffffn
      ? System.BlockHash.get(state, Number(blockNumber))
      : new Uint8Array(32);
  const inner = keccak256(concatBytes(blockHash, account));
  const nonceLe = new Uint8Array(8);
  new DataView(nonceLe.buffer).setBigUint64(0, nonce, true);
  return keccak256(sha256(concatBytes(nonceLe, inner)));
}

const err = (name: string) => fail(moduleError(7, name));

/** `do_faucet`. */
export function doFaucet(
  ctx: DispatchContext,
  coldkey: Uint8Array,
  blockNumber: bigint,
  nonce: bigint,
  work: Uint8Array,
) {
  const now = BigInt(ctx.blockNumber);
  if (blockNumber > now || now - blockNumber >= 3n) return err('InvalidWorkBlock');
  // Upstream reads `work` as an H256 (a wrong length would panic there); anything else cannot match.
  if (work.length !== 32) return err('InvalidSeal');
  if (!hashMeetsDifficulty(work, FAUCET_DIFFICULTY)) return err('InvalidDifficulty');
  const seal = sealHash(ctx.state, blockNumber, nonce, coldkey);
  if (!seal.every((b, i) => b === work[i])) return err('InvalidSeal');
  S.UsedWork.set(ctx.state, work, now);
  mirrorIssuance(ctx, () => {
    Balances.TotalIssuance.set(ctx.state, Balances.TotalIssuance.get(ctx.state) + FAUCET_AMOUNT);
    depositCredit(ctx, coldkey, FAUCET_AMOUNT);
  });
  ctx.deposit({
    type: 'SubtensorModule',
    value: { type: 'Faucet', value: [coldkey, FAUCET_AMOUNT] },
  } as never);
  return OK;
}

handlers.SubtensorModule.faucet = (ctx, origin, call) => {
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const { block_number, nonce, work } = call.value;
  return doFaucet(ctx, origin.who, block_number, nonce, work);
};
