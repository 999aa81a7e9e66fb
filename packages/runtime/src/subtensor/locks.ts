/**
 * SubtensorModule conviction-lock calls, as subtensor 14bc6f9f does them (staking/lock.rs:
 * `do_lock_stake`, `do_move_lock`, `do_set_perpetual_lock`, `set_accept_locked_alpha`; the
 * dispatches at call indices 136, 137, 138 and 142).
 *
 * The lock model (one lock per coldkey and subnet, pointed at one hotkey, plus the four aggregate
 * buckets) and its storage helpers live in staking.ts, which also consults it for unstaking.
 */
import { SubtensorStorage as S, type SubtensorCall } from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  OK,
  type Origin,
} from '../dispatch.js';
import { handlers } from './dispatch.js';
import { mergeLocks, reduceLock, rollForwardLock } from './math/lock.js';
import { atomically, subtensorError } from './pool.js';
import { hotkeyAccountExists } from './registration.js';
import {
  ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA,
  adjustAggregate,
  emit,
  modelFor,
  readModel,
  rollAggregate,
  rollModel,
  rollParams,
  saveModel,
  storeLock,
  totalColdkeyAlphaOnSubnet,
} from './staking.js';

const U64_MAX = (1n << 64n) - 1n;
const now = (ctx: DispatchContext): bigint => BigInt(ctx.blockNumber);
const satAdd = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);

/** `do_lock_stake`: creates or tops up the coldkey's lock on `netuid`, pointed at `hotkey`. */
export function doLockStake(
  ctx: DispatchContext,
  cold: Uint8Array,
  netuid: number,
  hot: Uint8Array,
  amount: bigint,
): DispatchOutcome {
  const st = ctx.state;
  if (amount === 0n) return fail(subtensorError('AmountTooLow'));
  if (!hotkeyAccountExists(st, hot)) return fail(subtensorError('HotKeyAccountNotExists'));
  const total = totalColdkeyAlphaOnSubnet(st, cold, netuid);
  const t = now(ctx);
  const existing = readModel(st, cold, netuid, t);
  if (existing && !bytesEqual(existing.hotkey, hot)) {
    return fail(subtensorError('LockHotkeyMismatch'));
  }
  const m = existing ?? modelFor(st, cold, netuid, hot, t);
  rollModel(st, m, t);
  const cur = m.individual;
  const fresh = cur.lockedMass === 0n && cur.conviction === 0n;
  const next = fresh
    ? { lockedMass: amount, conviction: 0n, lastUpdate: t }
    : { ...cur, lockedMass: satAdd(cur.lockedMass, amount) };
  if (total < next.lockedMass) return fail(subtensorError('InsufficientStakeForLock'));
  m.individual = rollForwardLock(next, t, rollParams(st, m.ownerLock, m.perpetual)).lock;
  m.individualDirty = true;
  rollAggregate(st, m, t);
  m.aggregate = mergeLocks(m.aggregate, { lockedMass: amount, conviction: 0n, lastUpdate: t });
  rollAggregate(st, m, t);
  saveModel(st, cold, netuid, m);
  emit(ctx, { type: 'StakeLocked', value: { coldkey: cold, hotkey: hot, netuid, amount } });
  return OK;
}

/**
 * `do_move_lock`: re-points the coldkey's lock (rolled to now) at `dest`; its conviction is kept
 * only when both hotkeys have the same owning coldkey.
 */
function doMoveLock(
  ctx: DispatchContext,
  cold: Uint8Array,
  dest: Uint8Array,
  netuid: number,
): DispatchOutcome {
  const st = ctx.state;
  if (!hotkeyAccountExists(st, dest)) return fail(subtensorError('HotKeyAccountNotExists'));
  const t = now(ctx);
  const m = readModel(st, cold, netuid, t);
  if (!m) return fail(subtensorError('NoExistingLock'));
  const origin = m.hotkey;
  // Upstream rolls the model but never saves it: only the rolled individual lock is used.
  rollModel(st, m, t);
  const removed = m.individual;
  const sameOwner = bytesEqual(S.Owner.get(st, origin), S.Owner.get(st, dest));
  const reset = sameOwner ? removed : { ...removed, conviction: 0n };
  const destOwner = bytesEqual(dest, S.SubnetOwnerHotkey.get(st, netuid));
  const lock = rollForwardLock(reset, t, rollParams(st, destOwner, m.perpetual)).lock;
  S.Lock.remove(st, cold, netuid, origin);
  S.LockingColdkeys.remove(st, netuid, origin, cold);
  storeLock(st, cold, netuid, dest, lock);
  const { lockedMass, conviction } = removed;
  adjustAggregate(ctx, cold, origin, netuid, (a) => reduceLock(a, lockedMass, conviction), false);
  adjustAggregate(ctx, cold, dest, netuid, (a) => mergeLocks(a, lock), true);
  emit(ctx, {
    type: 'LockMoved',
    value: { coldkey: cold, origin_hotkey: origin, destination_hotkey: dest, netuid },
  });
  return OK;
}

/**
 * `do_set_perpetual_lock`: switches the coldkey's lock on `netuid` between decaying (default) and
 * perpetual (`DecayingLock = Some(false)`), moving it between aggregate buckets on a change.
 */
function doSetPerpetualLock(
  ctx: DispatchContext,
  cold: Uint8Array,
  netuid: number,
  enabled: boolean,
): DispatchOutcome {
  const st = ctx.state;
  const t = now(ctx);
  const current = S.DecayingLock.tryGet(st, cold, netuid) === false;
  const changed = current !== enabled;
  const m = readModel(st, cold, netuid, t);
  if (m) {
    rollModel(st, m, t);
    saveModel(st, cold, netuid, m);
    const { lockedMass, conviction } = m.individual;
    if (changed) {
      adjustAggregate(
        ctx,
        cold,
        m.hotkey,
        netuid,
        (a) => reduceLock(a, lockedMass, conviction),
        false,
      );
    }
  }
  if (enabled) S.DecayingLock.set(st, cold, netuid, false);
  else S.DecayingLock.remove(st, cold, netuid);
  const after = changed ? readModel(st, cold, netuid, t) : undefined;
  if (after) {
    const stored = after.individual;
    adjustAggregate(ctx, cold, after.hotkey, netuid, (a) => mergeLocks(a, stored), true);
  }
  emit(ctx, { type: 'PerpetualLockUpdated', value: { coldkey: cold, netuid, enabled } });
  return OK;
}

/** `set_accept_locked_alpha`: sets or clears `AccountFlags` bit 0; an all-zero entry is removed. */
function setAcceptLockedAlpha(ctx: DispatchContext, cold: Uint8Array, accept: boolean): void {
  const flags = S.AccountFlags.get(ctx.state, cold);
  const next = accept
    ? flags | ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA
    : flags & ~ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA;
  if (next === 0n) S.AccountFlags.remove(ctx.state, cold);
  else S.AccountFlags.set(ctx.state, cold, next);
}

type Call<T extends SubtensorCall['type']> = Extract<SubtensorCall, { type: T }>['value'];

/** Registers a handler for a call that needs a signed origin (the coldkey); all-or-nothing. */
function register<T extends SubtensorCall['type']>(
  name: T,
  body: (ctx: DispatchContext, cold: Uint8Array, args: Call<T>) => DispatchOutcome,
): void {
  (handlers.SubtensorModule as Record<string, unknown>)[name] = (
    ctx: DispatchContext,
    origin: Origin,
    call: { value: Call<T> },
  ): DispatchOutcome => {
    if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
    const cold = origin.who;
    return atomically(ctx, (inner) => body(inner, cold, call.value));
  };
}

register('lock_stake', (ctx, cold, a) => doLockStake(ctx, cold, a.netuid, a.hotkey, a.amount));
register('move_lock', (ctx, cold, a) => doMoveLock(ctx, cold, a.destination_hotkey, a.netuid));
register('set_perpetual_lock', (ctx, cold, a) =>
  doSetPerpetualLock(ctx, cold, a.netuid, a.enabled),
);
register('set_reject_locked_alpha', (ctx, cold, a) => {
  setAcceptLockedAlpha(ctx, cold, !a.enabled);
  emit(ctx, { type: 'RejectLockedAlphaUpdated', value: { coldkey: cold, enabled: a.enabled } });
  return OK;
});
