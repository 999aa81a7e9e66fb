/**
 * SubtensorModule `recycle_alpha` (101), `burn_alpha` (102) and `update_symbol` (112), as
 * subtensor 14bc6f9f does them (pallets/subtensor/src/staking/recycle_alpha.rs,
 * subnets/symbols.rs, macros/dispatches.rs).
 */
import { SubtensorStorage as S } from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  OK,
  type Origin,
} from '../dispatch.js';
import type { Overlay } from '../state.js';
import { handlers } from './dispatch.js';
import { assertNetuid, assertU64 } from './pool.js';
import { ensureSubnetOwnerOrRoot, subtensorError } from './rate-limits.js';
import { hotkeyAccountExists } from './registration.js';
import { debitStake, stakeOf } from './share-pool.js';
import { availableToUnstake, emit } from './staking.js';
import { SUBNET_SYMBOLS } from './subnets.js';

const ROOT = 0;

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

/**
 * `do_recycle_alpha` / `do_burn_alpha`: destroys up to `amount` of the signer's alpha staked to
 * `hotkey` on `netuid` (clamped to the position). Recycling also lowers `SubnetAlphaOut`; burning
 * leaves it. Returns the alpha destroyed.
 * @example
 * import { destroyAlpha } from './alpha-ops.js';
 * // destroyAlpha(ctx, { type: 'Signed', who: coldkey }, hotkey, 1_000n, 1, 'recycle')
 */
export function destroyAlpha(
  ctx: DispatchContext,
  origin: Origin,
  hotkey: Uint8Array,
  amount: bigint,
  netuid: number,
  mode: 'recycle' | 'burn',
): { ok: true; value: bigint } | { ok: false; error: ReturnType<typeof subtensorError> } {
  assertAccount(hotkey, 'hotkey');
  assertU64(amount, 'amount');
  assertNetuid(netuid);
  if (origin.type !== 'Signed') return { ok: false, error: BAD_ORIGIN };
  const coldkey = origin.who;
  const st = ctx.state;
  const err = (name: string) => ({ ok: false as const, error: subtensorError(name) });
  if (!S.NetworksAdded.get(st, netuid)) return err('SubnetNotExists');
  if (netuid === ROOT) return err('CannotBurnOrRecycleOnRootSubnet');
  if (!S.SubtokenEnabled.get(st, netuid)) return err('SubtokenDisabled');
  if (!hotkeyAccountExists(st, hotkey)) return err('HotKeyAccountNotExists');
  const held = stakeOf(st, hotkey, coldkey, netuid);
  const alpha = amount < held ? amount : held;
  const out = S.SubnetAlphaOut.get(st, netuid);
  if (out < alpha) return err('InsufficientLiquidity');
  if (availableToUnstake(st, coldkey, netuid, BigInt(ctx.blockNumber)) < alpha)
    return err('StakeUnavailable');
  debitStake(st, hotkey, coldkey, netuid, alpha);
  if (mode === 'recycle') {
    if (alpha !== 0n) S.SubnetAlphaOut.set(st, netuid, out - alpha);
    emit(ctx, { type: 'AlphaRecycled', value: [coldkey, hotkey, alpha, netuid] });
  } else {
    emit(ctx, { type: 'AlphaBurned', value: [coldkey, hotkey, alpha, netuid] });
  }
  return { ok: true, value: alpha };
}

/** `ensure_symbol_exists`: the symbol is one of the table's subnet symbols (root's `Τ` excluded). */
export function isSubnetSymbol(symbol: Uint8Array): boolean {
  if (!(symbol instanceof Uint8Array)) throw new TypeError('symbol: expected a Uint8Array');
  return SUBNET_SYMBOLS.slice(1).some((s) => bytesEqual(s, symbol));
}

/** `ensure_symbol_available`: no subnet's `TokenSymbol` equals the symbol. */
export function isSymbolAvailable(st: Overlay, symbol: Uint8Array): boolean {
  for (const k of st.keys(S.TokenSymbol.partialKey())) {
    const [n] = S.TokenSymbol.decodeKey(k);
    if (bytesEqual(S.TokenSymbol.get(st, n), symbol)) return false;
  }
  return true;
}

const h = handlers.SubtensorModule;

h.recycle_alpha = (ctx, origin, call) => {
  const { hotkey, amount, netuid } = call.value;
  const r = destroyAlpha(ctx, origin, hotkey, amount, netuid, 'recycle');
  return r.ok ? OK : fail(r.error);
};

h.burn_alpha = (ctx, origin, call) => {
  const { hotkey, amount, netuid } = call.value;
  const r = destroyAlpha(ctx, origin, hotkey, amount, netuid, 'burn');
  return r.ok ? OK : fail(r.error);
};

h.update_symbol = (ctx, origin, call): DispatchOutcome => {
  const { netuid, symbol } = call.value;
  assertNetuid(netuid);
  const who = ensureSubnetOwnerOrRoot(ctx.state, origin, netuid);
  if (!who.ok) return fail(who.error);
  if (!isSubnetSymbol(symbol)) return fail(subtensorError('SymbolDoesNotExist'));
  if (!isSymbolAvailable(ctx.state, symbol)) return fail(subtensorError('SymbolAlreadyInUse'));
  S.TokenSymbol.set(ctx.state, netuid, symbol);
  emit(ctx, { type: 'SymbolUpdated', value: { netuid, symbol } });
  return OK;
};
