/**
 * SubtensorModule coldkey swaps, as subtensor 14bc6f9f does them (pallets/subtensor/src/swap/
 * swap_coldkey.rs, the dispatches at call indices 71, 73, 125–128 and 133, and the helpers they
 * call in staking/lock.rs, staking/claim_root.rs and coinbase/tao.rs).
 *
 * A coldkey announces the BlakeTwo256 hash of its successor (paying `KeySwapCost`, recycled), waits
 * `ColdkeySwapAnnouncementDelay` blocks and then performs the swap by revealing the new coldkey.
 * While the announcement stands, the `CheckColdkeySwap` guard (coldkey-swap-guard.ts, applied in
 * dispatch.ts) refuses the coldkey's other calls.
 */
import {
  type DispatchError,
  SubtensorStorage as S,
  type StateRW,
  type LockState as StoredLock,
  type SubtensorCall,
} from '@taoscript/chain-types';
import { blake2_256, bytesEqual } from '@taoscript/codec';
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
import { KEY_SWAP_COST } from './key-swap.js';
import { type LockState, mergeLocks, reduceLock, rollForwardLock } from './math/lock.js';
import {
  assertU64,
  atomically,
  recycleTao,
  reducibleBalance,
  subnetOfAccount,
  subtensorError,
  transferTao,
} from './pool.js';
import { setAccountLastBlock } from './rate-limits.js';
import { hotkeyAccountExists } from './registration.js';
import { creditStake, debitStake, stakeOf } from './share-pool.js';
import {
  ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA,
  adjustAggregate,
  emit,
  maybeAddColdkeyIndex,
  maybeRemoveColdkeyIndex,
  rollParams,
  storeLock,
} from './staking.js';
import { addedNetuids } from './subnets.js';

export { CALLS_ALLOWED_DURING_COLDKEY_SWAP, coldkeySwapGuard } from './coldkey-swap-guard.js';
export { KEY_SWAP_COST } from './key-swap.js';

const ROOT = 0;
const U32_MAX = 0xffff_ffff;
const U128_MAX = (1n << 128n) - 1n;

/** A failed step: the error the whole call fails with. */
class Abort {
  constructor(readonly error: DispatchError) {}
}
const abort = (name: string): never => {
  throw new Abort(subtensorError(name));
};

function assertBytes(v: unknown, len: number, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== len) throw new RangeError(`${what}: expected ${len} bytes, got ${v.length}`);
}

/**
 * The announcement hash of a new coldkey: BlakeTwo256 of its SCALE encoding (an AccountId32
 * encodes as its 32 bytes).
 * @example
 * import { coldkeyHash } from './subtensor/coldkey-swap.js';
 * coldkeyHash(new Uint8Array(32)).length; // 32
 */
export function coldkeyHash(newColdkey: Uint8Array): Uint8Array {
  assertBytes(newColdkey, 32, 'coldkeyHash');
  return blake2_256(newColdkey);
}

// ---- charges and balances -----------------------------------------------------------------------

/** `charge_swap_cost`: recycles `cost` from `who`; any failure is `NotEnoughBalanceToPaySwapColdKey`. */
function chargeSwapCost(ctx: DispatchContext, who: Uint8Array, cost: bigint): void {
  const paid = recycleTao(ctx, who, cost);
  if (!paid.ok) abort('NotEnoughBalanceToPaySwapColdKey');
}

/** `transfer_all_tao_and_kill`: moves everything `old` can give (it may be reaped) to `nw`. */
function transferAllTao(ctx: DispatchContext, old: Uint8Array, nw: Uint8Array): void {
  const amount = reducibleBalance(ctx.state, old, false);
  if (amount === 0n) return;
  const out = transferTao(ctx, old, nw, amount);
  if (!out.ok) throw new Abort(out.error);
}

/** `transfer_root_claimed_for_new_keys` with the hotkey unchanged: the watermarks add up. */
function transferRootClaimed(
  st: StateRW,
  netuid: number,
  hot: Uint8Array,
  old: Uint8Array,
  nw: Uint8Array,
): void {
  const was = S.RootClaimed.get(st, netuid, hot, old);
  S.RootClaimed.remove(st, netuid, hot, old);
  const sum = was + S.RootClaimed.get(st, netuid, hot, nw);
  S.RootClaimed.set(st, netuid, hot, nw, sum > U128_MAX ? U128_MAX : sum);
}

// ---- what moves ---------------------------------------------------------------------------------

/** `set_accept_locked_alpha(coldkey, true)`: sets the flag bit (`mutate_exists`). */
function acceptLockedAlpha(st: StateRW, cold: Uint8Array): void {
  const flags = S.AccountFlags.get(st, cold) | ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA;
  S.AccountFlags.set(st, cold, flags);
}

function transferAutoStakeDestination(
  st: StateRW,
  netuid: number,
  old: Uint8Array,
  nw: Uint8Array,
): void {
  const hot = S.AutoStakeDestination.tryGet(st, old, netuid);
  if (hot === undefined) return;
  S.AutoStakeDestination.remove(st, old, netuid);
  S.AutoStakeDestination.set(st, nw, netuid, hot);
  const colds = S.AutoStakeDestinationColdkeys.get(st, hot, netuid).filter(
    (c) => !bytesEqual(c, old) && !bytesEqual(c, nw),
  );
  S.AutoStakeDestinationColdkeys.set(st, hot, netuid, [...colds, nw]);
}

function transferColdkeyStake(st: StateRW, netuid: number, old: Uint8Array, nw: Uint8Array): void {
  for (const hot of S.StakingHotkeys.get(st, old)) {
    const alpha = stakeOf(st, hot, old, netuid);
    debitStake(st, hot, old, netuid, alpha);
    creditStake(st, hot, nw, netuid, alpha);
    if (stakeOf(st, hot, nw, netuid) !== 0n) {
      transferRootClaimed(st, netuid, hot, old, nw);
      if (netuid === ROOT) maybeAddColdkeyIndex(st, nw);
    }
  }
  if (netuid === ROOT) maybeRemoveColdkeyIndex(st, old);
}

function transferStakingHotkeys(st: StateRW, old: Uint8Array, nw: Uint8Array): void {
  const merged = S.StakingHotkeys.get(st, nw);
  for (const hot of S.StakingHotkeys.get(st, old))
    if (!merged.some((h) => bytesEqual(h, hot))) merged.push(hot);
  S.StakingHotkeys.remove(st, old);
  S.StakingHotkeys.set(st, nw, merged);
}

function transferHotkeysOwnership(st: StateRW, old: Uint8Array, nw: Uint8Array): void {
  const owned = S.OwnedHotkeys.get(st, nw);
  for (const hot of S.OwnedHotkeys.get(st, old)) {
    S.Owner.remove(st, hot);
    if (subnetOfAccount(hot) !== undefined) abort('CannotUseSystemAccount');
    S.Owner.set(st, hot, nw);
    if (!owned.some((h) => bytesEqual(h, hot))) owned.push(hot);
  }
  S.OwnedHotkeys.remove(st, old);
  S.OwnedHotkeys.set(st, nw, owned);
}

// ---- locks (lock.rs `ensure_no_active_locks`, `swap_coldkey_locks`) -----------------------------

const fromStored = (l: StoredLock): LockState => ({
  lockedMass: l.locked_mass,
  conviction: l.conviction,
  lastUpdate: l.last_update,
});

/** The coldkey's `Lock` entries as (netuid, hotkey, lock), in storage order. */
function locksOf(st: Overlay, cold: Uint8Array) {
  return st.keys(S.Lock.partialKey(cold)).map((k) => {
    const [, netuid, hot] = S.Lock.decodeKey(k);
    return { netuid, hot, lock: fromStored(S.Lock.get(st, cold, netuid, hot)) };
  });
}

const isOwnerHotkey = (st: StateRW, netuid: number, hot: Uint8Array): boolean =>
  bytesEqual(hot, S.SubnetOwnerHotkey.get(st, netuid));

/**
 * Whether the coldkey holds a lock with locked mass left once rolled to block `t`
 * (`ensure_no_active_locks` fails with `ActiveLockExists` on such a coldkey).
 * @example
 * import { hasActiveLock } from './subtensor/coldkey-swap.js';
 * // hasActiveLock(ctx.state, coldkey, 100n)
 */
export function hasActiveLock(st: Overlay, cold: Uint8Array, t: bigint): boolean {
  assertBytes(cold, 32, 'coldkey');
  assertU64(t, 'block');
  return locksOf(st, cold).some(({ netuid, hot, lock }) => {
    const perpetual = S.DecayingLock.tryGet(st, cold, netuid) === false;
    const params = rollParams(st, isOwnerHotkey(st, netuid, hot), perpetual);
    return rollForwardLock(lock, t, params).lock.lockedMass > 0n;
  });
}

function swapColdkeyLocks(ctx: DispatchContext, old: Uint8Array, nw: Uint8Array): void {
  const st = ctx.state;
  const t = BigInt(ctx.blockNumber);
  if (hasActiveLock(st, nw, t)) abort('ActiveLockExists');
  const rejects = (S.AccountFlags.get(st, nw) & ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA) !== 1n;
  const decaying = st
    .keys(S.DecayingLock.partialKey(old))
    .map((k) => S.DecayingLock.decodeKey(k)[1])
    .map((netuid) => [netuid, S.DecayingLock.get(st, old, netuid)] as const);
  const rolled = locksOf(st, old).map(({ netuid, hot, lock }) => {
    const perpetual = decaying.some(([n, d]) => n === netuid && !d);
    const params = rollParams(st, isOwnerHotkey(st, netuid, hot), perpetual);
    const l = rollForwardLock(lock, t, params).lock;
    if (l.lockedMass !== 0n && rejects) abort('AccountRejectsLockedAlpha');
    return { netuid, hot, lock: l, perpetual };
  });
  for (const { netuid, hot, lock } of rolled) {
    S.Lock.remove(st, old, netuid, hot);
    S.LockingColdkeys.remove(st, netuid, hot, old);
    adjustAggregate(
      ctx,
      old,
      hot,
      netuid,
      (a) => reduceLock(a, lock.lockedMass, lock.conviction),
      false,
    );
  }
  for (const [netuid] of decaying) {
    const d = S.DecayingLock.tryGet(st, old, netuid);
    if (d === undefined) continue;
    S.DecayingLock.remove(st, old, netuid);
    S.DecayingLock.set(st, nw, netuid, d);
  }
  const flags = S.AccountFlags.get(st, old);
  S.AccountFlags.remove(st, old);
  if (flags !== 0n) S.AccountFlags.set(st, nw, flags);
  else S.AccountFlags.remove(st, nw);
  for (const { netuid, hot, lock, perpetual } of rolled) {
    const params = rollParams(st, isOwnerHotkey(st, netuid, hot), perpetual);
    const moved = rollForwardLock(lock, t, params).lock;
    storeLock(st, nw, netuid, hot, moved);
    adjustAggregate(ctx, nw, hot, netuid, (a) => mergeLocks(a, moved), true);
  }
}

// ---- do_swap_coldkey ----------------------------------------------------------------------------

/** `do_swap_coldkey`: moves everything of `old` to `nw`; throws `Abort` on failure. */
function doSwapColdkey(ctx: DispatchContext, old: Uint8Array, nw: Uint8Array): void {
  const st = ctx.state;
  if (S.StakingHotkeys.get(st, nw).length !== 0) abort('ColdKeyAlreadyAssociated');
  if (hotkeyAccountExists(st, nw)) abort('NewColdKeyIsHotkey');
  if (S.IdentitiesV2.tryGet(st, nw) === undefined) {
    const identity = S.IdentitiesV2.tryGet(st, old);
    if (identity !== undefined) {
      S.IdentitiesV2.remove(st, old);
      S.IdentitiesV2.set(st, nw, identity);
    }
  }
  acceptLockedAlpha(st, nw);
  for (const netuid of addedNetuids(st)) {
    if (bytesEqual(S.SubnetOwner.get(st, netuid), old)) S.SubnetOwner.set(st, netuid, nw);
    transferAutoStakeDestination(st, netuid, old, nw);
    transferColdkeyStake(st, netuid, old, nw);
  }
  transferStakingHotkeys(st, old, nw);
  transferHotkeysOwnership(st, old, nw);
  swapColdkeyLocks(ctx, old, nw);
  transferAllTao(ctx, old, nw);
  setAccountLastBlock(st, 'LastTxBlock', nw, BigInt(ctx.blockNumber));
  emit(ctx, { type: 'ColdkeySwapped', value: { old_coldkey: old, new_coldkey: nw } });
}

/** Runs `fn` all-or-nothing, turning an `Abort` into the call's error. */
function guarded(ctx: DispatchContext, fn: (inner: DispatchContext) => void): DispatchOutcome {
  return atomically(ctx, (inner) => {
    try {
      fn(inner);
      return OK;
    } catch (e) {
      if (e instanceof Abort) return fail(e.error);
      throw e;
    }
  });
}

const blockOf = (ctx: DispatchContext): number => ctx.blockNumber;
const satBlock = (a: number, b: number): number => Math.min(a + b, U32_MAX);

// ---- the calls ----------------------------------------------------------------------------------

type Call<T> = Extract<SubtensorCall, { type: T }>['value'];

function announce(ctx: DispatchContext, origin: Origin, a: Call<'announce_coldkey_swap'>) {
  assertBytes(a.new_coldkey_hash, 32, 'new_coldkey_hash');
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  return guarded(ctx, (inner) => {
    const st = inner.state;
    const now = blockOf(inner);
    const existing = S.ColdkeySwapAnnouncements.tryGet(st, who);
    if (existing !== undefined) {
      const minWhen = satBlock(existing[0], S.ColdkeySwapReannouncementDelay.get(st));
      if (now < minWhen) abort('ColdkeySwapReannouncedTooEarly');
    } else chargeSwapCost(inner, who, KEY_SWAP_COST);
    const when = satBlock(now, S.ColdkeySwapAnnouncementDelay.get(st));
    S.ColdkeySwapAnnouncements.set(st, who, [when, a.new_coldkey_hash]);
    emit(inner, {
      type: 'ColdkeySwapAnnounced',
      value: { who, new_coldkey_hash: a.new_coldkey_hash },
    });
  });
}

function swapAnnounced(ctx: DispatchContext, origin: Origin, a: Call<'swap_coldkey_announced'>) {
  assertBytes(a.new_coldkey, 32, 'new_coldkey');
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  return guarded(ctx, (inner) => {
    const st = inner.state;
    const found = S.ColdkeySwapAnnouncements.tryGet(st, who);
    if (found === undefined) return abort('ColdkeySwapAnnouncementNotFound');
    S.ColdkeySwapAnnouncements.remove(st, who);
    const [when, hash] = found;
    if (!bytesEqual(hash, coldkeyHash(a.new_coldkey))) abort('AnnouncedColdkeyHashDoesNotMatch');
    if (blockOf(inner) < when) abort('ColdkeySwapTooEarly');
    doSwapColdkey(inner, who, a.new_coldkey);
  });
}

function dispute(ctx: DispatchContext, origin: Origin) {
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const coldkey = origin.who;
  return guarded(ctx, (inner) => {
    const st = inner.state;
    if (S.ColdkeySwapAnnouncements.tryGet(st, coldkey) === undefined)
      abort('ColdkeySwapAnnouncementNotFound');
    if (S.ColdkeySwapDisputes.tryGet(st, coldkey) !== undefined)
      abort('ColdkeySwapAlreadyDisputed');
    S.ColdkeySwapDisputes.set(st, coldkey, blockOf(inner));
    emit(inner, { type: 'ColdkeySwapDisputed', value: { coldkey } });
  });
}

function reset(ctx: DispatchContext, origin: Origin, a: Call<'reset_coldkey_swap'>) {
  assertBytes(a.coldkey, 32, 'coldkey');
  if (origin.type !== 'Root') return fail(BAD_ORIGIN);
  return guarded(ctx, (inner) => {
    S.ColdkeySwapAnnouncements.remove(inner.state, a.coldkey);
    S.ColdkeySwapDisputes.remove(inner.state, a.coldkey);
    emit(inner, { type: 'ColdkeySwapReset', value: { who: a.coldkey } });
  });
}

function clearAnnouncement(ctx: DispatchContext, origin: Origin) {
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  return guarded(ctx, (inner) => {
    const st = inner.state;
    const found = S.ColdkeySwapAnnouncements.tryGet(st, who);
    if (found === undefined) return abort('ColdkeySwapAnnouncementNotFound');
    const minWhen = satBlock(found[0], S.ColdkeySwapReannouncementDelay.get(st));
    if (blockOf(inner) < minWhen) abort('ColdkeySwapClearTooEarly');
    S.ColdkeySwapAnnouncements.remove(st, who);
    emit(inner, { type: 'ColdkeySwapCleared', value: { who } });
  });
}

function rootSwap(ctx: DispatchContext, origin: Origin, a: Call<'swap_coldkey'>) {
  assertBytes(a.old_coldkey, 32, 'old_coldkey');
  assertBytes(a.new_coldkey, 32, 'new_coldkey');
  assertU64(a.swap_cost, 'swap_cost');
  if (origin.type !== 'Root') return fail(BAD_ORIGIN);
  return guarded(ctx, (inner) => {
    if (a.swap_cost !== 0n) chargeSwapCost(inner, a.old_coldkey, a.swap_cost);
    doSwapColdkey(inner, a.old_coldkey, a.new_coldkey);
    S.ColdkeySwapAnnouncements.remove(inner.state, a.old_coldkey);
    S.ColdkeySwapDisputes.remove(inner.state, a.old_coldkey);
  });
}

handlers.SubtensorModule.announce_coldkey_swap = (ctx, origin, call) =>
  announce(ctx, origin, call.value);
handlers.SubtensorModule.swap_coldkey_announced = (ctx, origin, call) =>
  swapAnnounced(ctx, origin, call.value);
handlers.SubtensorModule.dispute_coldkey_swap = (ctx, origin) => dispute(ctx, origin);
handlers.SubtensorModule.reset_coldkey_swap = (ctx, origin, call) => reset(ctx, origin, call.value);
handlers.SubtensorModule.clear_coldkey_swap_announcement = (ctx, origin) =>
  clearAnnouncement(ctx, origin);
handlers.SubtensorModule.swap_coldkey = (ctx, origin, call) => rootSwap(ctx, origin, call.value);
handlers.SubtensorModule.schedule_swap_coldkey = (_ctx, _origin, call) => {
  assertBytes(call.value.new_coldkey, 32, 'new_coldkey');
  return fail(subtensorError('Deprecated'));
};
