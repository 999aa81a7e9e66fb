/**
 * `associate_evm_key`, as subtensor 14bc6f9f (utils/evm.rs `do_associate_evm_key`): a registered
 * hotkey proves control of an EVM address with an EIP-191 signature over its account id and the
 * keccak of a block number, and the address is stored against its uid.
 */
import { SubtensorStorage as S } from '@taoscript/chain-types';
import { bytesEqual, concatBytes, u64, utf8Encode } from '@taoscript/codec';
import { ethAddressFromPublicKey, keccak256, secp256k1RecoverPrehashed } from '@taoscript/crypto';
import { BAD_ORIGIN, type DispatchContext, type DispatchOutcome, fail, OK } from '../dispatch.js';
import { handlers } from './dispatch.js';
import { assertNetuid, assertU64, subtensorError } from './pool.js';

/** `EvmKeyAssociateRateLimit` of the production runtime (`EVM_KEY_ASSOCIATE_RATELIMIT`, blocks). */
export const EVM_KEY_ASSOCIATE_RATE_LIMIT = 7_200n;

const EIP191_PREFIX = utf8Encode('\x19Ethereum Signed Message:\n');
const DEFAULT_ACCOUNT = new Uint8Array(32);

const err = (name: string): DispatchOutcome => fail(subtensorError(name));

/** `hash_message_eip191`: keccak256("\x19Ethereum Signed Message:\n" ‖ decimal length ‖ message). */
export function hashMessageEip191(message: Uint8Array): Uint8Array {
  return keccak256(concatBytes(EIP191_PREFIX, utf8Encode(String(message.length)), message));
}

/** The message an EVM key signs to associate with `hotkey`: hotkey ‖ keccak256(u64_le(block)). */
export function evmAssociationMessage(hotkey: Uint8Array, blockNumber: bigint): Uint8Array {
  return concatBytes(hotkey, keccak256(u64.enc(blockNumber)));
}

type AssociateArgs = {
  netuid: number;
  evm_key: Uint8Array;
  block_number: bigint;
  signature: Uint8Array;
};

function checkArgs(a: AssociateArgs): void {
  assertNetuid(a.netuid);
  assertU64(a.block_number, 'block_number');
  for (const [name, v, len] of [
    ['evm_key', a.evm_key, 20],
    ['signature', a.signature, 65],
  ] as const) {
    if (!(v instanceof Uint8Array)) throw new TypeError(`${name}: expected a Uint8Array`);
    if (v.length !== len) throw new RangeError(`${name}: expected ${len} bytes, got ${v.length}`);
  }
}

/** `ensure_evm_key_associate_rate_limit`: blocks since the uid's last association (0 if none). */
function rateLimited(ctx: DispatchContext, netuid: number, uid: number): boolean {
  const now = BigInt(ctx.blockNumber);
  const last = S.AssociatedEvmAddress.tryGet(ctx.state, netuid, uid)?.[1] ?? 0n;
  return (now > last ? now - last : 0n) < EVM_KEY_ASSOCIATE_RATE_LIMIT;
}

/** `do_associate_evm_key`, with upstream's check order. */
export function doAssociateEvmKey(
  ctx: DispatchContext,
  hotkey: Uint8Array,
  a: AssociateArgs,
): DispatchOutcome {
  const st = ctx.state;
  if (bytesEqual(S.Owner.get(st, hotkey), DEFAULT_ACCOUNT)) return err('NonAssociatedColdKey');
  const signature = a.signature.slice();
  const v = signature[64] as number;
  if (v >= 27) signature[64] = v - 27;
  const uid = S.Uids.tryGet(st, a.netuid, hotkey);
  if (uid === undefined) return err('HotKeyNotRegisteredInSubNet');
  if (rateLimited(ctx, a.netuid, uid)) return err('EvmKeyAssociateRateLimitExceeded');

  const hash = hashMessageEip191(evmAssociationMessage(hotkey, a.block_number));
  const publicKey = secp256k1RecoverPrehashed(signature, hash);
  if (publicKey === undefined) return err('InvalidIdentity');
  let address: Uint8Array;
  try {
    address = ethAddressFromPublicKey(publicKey);
  } catch {
    return err('UnableToRecoverPublicKey');
  }
  if (!bytesEqual(address, a.evm_key)) return err('InvalidRecoveredPublicKey');

  const now = BigInt(ctx.blockNumber);
  S.AssociatedEvmAddress.set(st, a.netuid, uid, [a.evm_key, now]);
  ctx.deposit({
    type: 'SubtensorModule',
    value: {
      type: 'EvmKeyAssociated',
      value: { netuid: a.netuid, hotkey, evm_key: a.evm_key, block_associated: now },
    },
  });
  return OK;
}

handlers.SubtensorModule.associate_evm_key = (ctx, origin, call) => {
  checkArgs(call.value);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  return doAssociateEvmKey(ctx, origin.who, call.value);
};
