/**
 * SubtensorModule staking calls, as subtensor 14bc6f9f does them (pallets/subtensor/src/staking:
 * add_stake.rs, remove_stake.rs, move_stake.rs, stake_utils.rs, helpers.rs; the lock hooks they
 * call in lock.rs; the root-claim bookkeeping in claim_root.rs).
 *
 * Every stake movement goes through the subnet pool (pool.ts): TAO is moved onto the subnet
 * account and swapped for alpha, or alpha is swapped back and the TAO paid out. Positions live in
 * the per-hotkey share pools (share-pool.ts).
 */
import {
  type DispatchError,
  SubtensorStorage as S,
  type StateRW,
  type LockState as StoredLock,
  type SubtensorCall,
  type SubtensorEvent,
  Swap,
} from '@taoscript/chain-types';
import {
  bytesEqual,
  fxAdd,
  fxDiv,
  fxFromInt,
  fxMul,
  fxSub,
  fxToInt,
  I96F32,
  toHex,
  U64F64,
} from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  OK,
  type Origin,
} from '../dispatch.js';
import type { Overlay } from '../state.js';
import { DEFAULT_MIN_STAKE, nominationHooks } from './admin-utils.js';
import { handlers } from './dispatch.js';
import {
  forceReduceLock,
  type LockState,
  mergeLocks,
  reduceLock,
  rollForwardLock,
} from './math/lock.js';
import { calculateFeeAmount, MAX_PRICE_RAO, MIN_PRICE_RAO } from './math/swap.js';
import {
  assertNetuid,
  assertU64,
  atomically,
  currentAlphaPrice,
  reducibleBalance,
  subtensorError,
  swapAlphaForTao,
  swapTaoForAlpha,
  transferTao,
  transferTaoToSubnet,
} from './pool.js';
import { coldkeyOwnsHotkey, hotkeyAccountExists } from './registration.js';
import { canCreditStake, creditStake, debitStake, stakeOf } from './share-pool.js';
import { addedNetuids } from './subnets.js';

/** `DefaultMinStake`: 0.002 TAO. */
export const MIN_STAKE = DEFAULT_MIN_STAKE;
/** `AccountFlags` bit 0: the account accepts incoming locked alpha. */
export const ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA = 1n;

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const RAO_PER_TAO = 1_000_000_000n;
const ROOT = 0;

type Res<T> = { ok: true; value: T } | { ok: false; error: DispatchError };
const err = (name: string): { ok: false; error: DispatchError } => ({
  ok: false,
  error: subtensorError(name),
});
const satU64 = (v: bigint): bigint => (v < 0n ? 0n : v > U64_MAX ? U64_MAX : v);
const satU128 = (v: bigint): bigint => (v < 0n ? 0n : v > U128_MAX ? U128_MAX : v);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const now = (ctx: DispatchContext): bigint => BigInt(ctx.blockNumber);

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

/** Deposits a SubtensorModule event. */
export function emit(ctx: DispatchContext, value: SubtensorEvent): void {
  ctx.deposit({ type: 'SubtensorModule', value });
}

/** Writes an entry even when it equals the item's default, as FRAME's `insert` does. */
export function insertRaw<K extends unknown[], V>(
  st: StateRW,
  item: { key(...k: K): Uint8Array; value: { enc(v: V): Uint8Array } },
  value: V,
  ...keys: K
): void {
  st.set(item.key(...keys), item.value.enc(value));
}

// ---- small queries ------------------------------------------------------------------------------

/** `if_subnet_exist`: `NetworksAdded[netuid]` is true. */
export const subnetExists = (st: StateRW, netuid: number): boolean =>
  S.NetworksAdded.get(st, netuid);

const hotkeyExists = hotkeyAccountExists;
const ownsHotkey = coldkeyOwnsHotkey;

/** Whether a subnet trades through the balancer (not root, mechanism 1). */
const isDynamic = (st: StateRW, netuid: number): boolean =>
  netuid !== ROOT && S.SubnetMechanism.get(st, netuid) === 1;

/**
 * `get_total_stake_for_hotkey`: Σ over subnets of the hotkey's pool value × spot price, in TAO.
 * @example
 * import { totalStakeForHotkey } from './staking.js';
 * // totalStakeForHotkey(ctx.state, hotkey)
 */
export function totalStakeForHotkey(st: Overlay, hotkey: Uint8Array): bigint {
  assertAccount(hotkey, 'hotkey');
  let sum = 0n;
  for (const netuid of addedNetuids(st)) {
    const alpha = S.TotalHotkeyAlpha.get(st, hotkey, netuid) << 64n;
    sum = fxAdd(U64F64, sum, fxMul(U64F64, alpha, currentAlphaPrice(st, netuid)));
  }
  return fxToInt(U64F64, sum, 64);
}

/**
 * `total_coldkey_alpha_on_subnet`: the coldkey's alpha over all its staking hotkeys on a subnet.
 * @example
 * import { totalColdkeyAlphaOnSubnet } from './staking.js';
 * // totalColdkeyAlphaOnSubnet(ctx.state, coldkey, 1)
 */
export function totalColdkeyAlphaOnSubnet(
  st: StateRW,
  coldkey: Uint8Array,
  netuid: number,
): bigint {
  assertAccount(coldkey, 'coldkey');
  let total = 0n;
  for (const hk of S.StakingHotkeys.get(st, coldkey))
    total = satU64(total + stakeOf(st, hk, coldkey, netuid));
  return total;
}

/** `maybe_become_delegate`: gives the hotkey an explicit `Delegates` entry (its current take). */
export function maybeBecomeDelegate(st: StateRW, hotkey: Uint8Array): void {
  if (S.Delegates.tryGet(st, hotkey) !== undefined) return;
  insertRaw(st, S.Delegates, S.Delegates.get(st, hotkey), hotkey);
}

// ---- flows and root-claim bookkeeping -----------------------------------------------------------

/** `record_tao_inflow` / `record_tao_outflow`: `SubnetTaoFlow ± (tao as i64)`, saturating. */
function recordFlow(st: StateRW, netuid: number, tao: bigint, inflow: boolean): void {
  const d = BigInt.asIntN(64, tao);
  const flow = S.SubnetTaoFlow.get(st, netuid) + (inflow ? d : -d);
  const lo = -(1n << 63n);
  const hi = (1n << 63n) - 1n;
  S.SubnetTaoFlow.set(st, netuid, flow < lo ? lo : flow > hi ? hi : flow);
}

/** `add_stake_adjust_root_claimed_for_hotkey_and_coldkey`. */
export function addRootClaimed(
  st: StateRW,
  hot: Uint8Array,
  cold: Uint8Array,
  amount: bigint,
): void {
  const amountFx = fxFromInt(I96F32, amount);
  for (const [netuid, rate] of S.RootClaimable.get(st, hot)) {
    const claimed = S.RootClaimed.get(st, netuid, hot, cold);
    const owed = fxToInt(I96F32, fxMul(I96F32, rate, amountFx), 128);
    insertRaw(st, S.RootClaimed, satU128(claimed + owed), netuid, hot, cold);
  }
}

/** `remove_stake_adjust_root_claimed_for_hotkey_and_coldkey` (skips the root entry). */
function removeRootClaimed(st: StateRW, hot: Uint8Array, cold: Uint8Array, amount: bigint): void {
  const amountFx = fxFromInt(I96F32, amount);
  for (const [netuid, rate] of S.RootClaimable.get(st, hot)) {
    if (netuid === ROOT) continue;
    const claimed = S.RootClaimed.get(st, netuid, hot, cold);
    const owed = fxToInt(I96F32, fxMul(I96F32, rate, amountFx), 128);
    insertRaw(st, S.RootClaimed, satU128(claimed - owed), netuid, hot, cold);
  }
}

/** `maybe_add_coldkey_index`: registers a root-staking coldkey in the auto-claim index. */
export function maybeAddColdkeyIndex(st: StateRW, cold: Uint8Array): void {
  if (S.StakingColdkeys.tryGet(st, cold) !== undefined) return;
  const n = S.NumStakingColdkeys.get(st);
  S.StakingColdkeysByIndex.set(st, n, cold);
  S.StakingColdkeys.set(st, cold, n);
  S.NumStakingColdkeys.set(st, satU64(n + 1n));
}

/** `maybe_remove_coldkey_index`: removes it, moving the last entry into the freed slot. */
export function maybeRemoveColdkeyIndex(st: StateRW, cold: Uint8Array): void {
  const idx = S.StakingColdkeys.tryGet(st, cold);
  if (idx === undefined) return;
  S.StakingColdkeys.remove(st, cold);
  const n = S.NumStakingColdkeys.get(st);
  const last = n > 0n ? n - 1n : 0n;
  const moved = idx !== last ? S.StakingColdkeysByIndex.tryGet(st, last) : undefined;
  if (moved !== undefined) {
    S.StakingColdkeysByIndex.remove(st, last);
    S.StakingColdkeysByIndex.set(st, idx, moved);
    S.StakingColdkeys.set(st, moved, idx);
  } else S.StakingColdkeysByIndex.remove(st, idx);
  S.NumStakingColdkeys.set(st, last);
}

/** `coldkey_has_root_stake`. */
function hasRootStake(st: StateRW, cold: Uint8Array): boolean {
  return S.StakingHotkeys.get(st, cold).some((hk) => stakeOf(st, hk, cold, ROOT) !== 0n);
}

// ---- locks (lock.rs: the hooks staking calls) ---------------------------------------------------

type Bucket = 'perpetualOwner' | 'decayingOwner' | 'perpetualGeneral' | 'decayingGeneral';

/** A `ConvictionModel` restricted to what staking touches: one lock and its aggregate bucket. */
export interface Model {
  hotkey: Uint8Array;
  ownerLock: boolean;
  perpetual: boolean;
  individual: LockState;
  aggregate: LockState;
  bucket: Bucket;
  individualDirty: boolean;
  aggregateDirty: boolean;
}

const fromStored = (l: StoredLock): LockState => ({
  lockedMass: l.locked_mass,
  conviction: l.conviction,
  lastUpdate: l.last_update,
});
const toStored = (l: LockState): StoredLock => ({
  locked_mass: l.lockedMass,
  conviction: l.conviction,
  last_update: l.lastUpdate,
});
const emptyLock = (t: bigint): LockState => ({ lockedMass: 0n, conviction: 0n, lastUpdate: t });

/** The `RollParameters` of a lock: the chain's rates plus its owner/perpetual flags. */
export function rollParams(st: StateRW, ownerLock: boolean, perpetualLock: boolean) {
  return {
    unlockRate: S.UnlockRate.get(st),
    maturityRate: S.MaturityRate.get(st),
    ownerLock,
    perpetualLock,
  };
}

/** `read_conviction_model_for_hotkey`. */
export function modelFor(
  st: StateRW,
  cold: Uint8Array,
  netuid: number,
  hot: Uint8Array,
  t: bigint,
): Model {
  const ownerLock = bytesEqual(hot, S.SubnetOwnerHotkey.get(st, netuid));
  const perpetual = S.DecayingLock.tryGet(st, cold, netuid) === false;
  const bucket: Bucket = ownerLock
    ? perpetual
      ? 'perpetualOwner'
      : 'decayingOwner'
    : perpetual
      ? 'perpetualGeneral'
      : 'decayingGeneral';
  const stored =
    bucket === 'perpetualOwner'
      ? S.OwnerLock.tryGet(st, netuid)
      : bucket === 'decayingOwner'
        ? S.DecayingOwnerLock.tryGet(st, netuid)
        : bucket === 'perpetualGeneral'
          ? S.HotkeyLock.tryGet(st, netuid, hot)
          : S.DecayingHotkeyLock.tryGet(st, netuid, hot);
  const lock = S.Lock.tryGet(st, cold, netuid, hot);
  return {
    hotkey: hot,
    ownerLock,
    perpetual,
    individual: lock ? fromStored(lock) : emptyLock(t),
    aggregate: stored ? fromStored(stored) : emptyLock(t),
    bucket,
    individualDirty: false,
    aggregateDirty: false,
  };
}

/** `read_conviction_model`: the coldkey's lock on a subnet (its first `Lock` entry), if any. */
export function readModel(
  st: Overlay,
  cold: Uint8Array,
  netuid: number,
  t: bigint,
): Model | undefined {
  const key = st.keys(S.Lock.partialKey(cold, netuid), undefined, 1)[0];
  if (!key) return undefined;
  const [, , hot] = S.Lock.decodeKey(key);
  return modelFor(st, cold, netuid, hot, t);
}

function roll(st: StateRW, m: Model, l: LockState, t: bigint) {
  return rollForwardLock(l, t, rollParams(st, m.ownerLock, m.perpetual));
}

/** `ConvictionModel::roll_forward`: rolls the lock; its decay comes off the aggregate. */
export function rollModel(st: StateRW, m: Model, t: bigint): void {
  const r = roll(st, m, m.individual, t);
  m.individual = r.lock;
  m.individualDirty = true;
  if (r.lockedMassDelta !== 0n || r.convictionDelta !== 0n) {
    const a = reduceLock(m.aggregate, r.lockedMassDelta, r.convictionDelta);
    m.aggregate = { ...a, lastUpdate: t };
  } else m.aggregate = roll(st, m, m.aggregate, t).lock;
  m.aggregateDirty = true;
}

/** `ConvictionModel::roll_forward_aggregate`: rolls the model's aggregate bucket to `t`. */
export function rollAggregate(st: StateRW, m: Model, t: bigint): void {
  m.aggregate = roll(st, m, m.aggregate, t).lock;
  m.aggregateDirty = true;
}

const lockIsDust = (l: LockState): boolean => l.lockedMass < 100n && l.conviction < 100n << 64n;

/** `insert_lock_state`: stores the lock and its reverse index, or removes both when dust. */
export function storeLock(
  st: StateRW,
  cold: Uint8Array,
  netuid: number,
  hot: Uint8Array,
  l: LockState,
) {
  if (lockIsDust(l)) {
    S.LockingColdkeys.remove(st, netuid, hot, cold);
    S.Lock.remove(st, cold, netuid, hot);
  } else {
    S.LockingColdkeys.set(st, netuid, hot, cold, null);
    S.Lock.set(st, cold, netuid, hot, toStored(l));
  }
}

/** `save_conviction_model`: writes the dirty parts (an empty aggregate is removed). */
export function saveModel(st: StateRW, cold: Uint8Array, netuid: number, m: Model): void {
  if (m.individualDirty) storeLock(st, cold, netuid, m.hotkey, m.individual);
  if (!m.aggregateDirty) return;
  const a = m.aggregate;
  const keep = a.lockedMass !== 0n || a.conviction > 0n;
  const v = toStored(a);
  switch (m.bucket) {
    case 'perpetualOwner':
      if (keep) S.OwnerLock.set(st, netuid, v);
      else S.OwnerLock.remove(st, netuid);
      break;
    case 'decayingOwner':
      if (keep) S.DecayingOwnerLock.set(st, netuid, v);
      else S.DecayingOwnerLock.remove(st, netuid);
      break;
    case 'perpetualGeneral':
      if (keep) S.HotkeyLock.set(st, netuid, m.hotkey, v);
      else S.HotkeyLock.remove(st, netuid, m.hotkey);
      break;
    default:
      if (keep) S.DecayingHotkeyLock.set(st, netuid, m.hotkey, v);
      else S.DecayingHotkeyLock.remove(st, netuid, m.hotkey);
  }
}

/** `cleanup_lock_if_zero`: rolls the coldkey's lock (if any) to now and persists it. */
function cleanupLockIfZero(ctx: DispatchContext, cold: Uint8Array, netuid: number): void {
  const t = now(ctx);
  const m = readModel(ctx.state, cold, netuid, t);
  if (!m) return;
  rollModel(ctx.state, m, t);
  saveModel(ctx.state, cold, netuid, m);
}

/** `force_reduce_lock`: takes `amount` off the lock, conviction pro rata. */
function forceReduce(ctx: DispatchContext, cold: Uint8Array, netuid: number, amount: bigint): void {
  const t = now(ctx);
  const m = readModel(ctx.state, cold, netuid, t);
  if (!m) return;
  rollModel(ctx.state, m, t);
  rollAggregate(ctx.state, m, t);
  const r = forceReduceLock(m.individual, amount, t);
  m.individual = r.lock;
  m.aggregate = reduceLock(m.aggregate, r.lockedMassDiff, r.convictionDiff);
  saveModel(ctx.state, cold, netuid, m);
}

/**
 * `available_to_unstake`: the coldkey's alpha on the subnet minus its lock rolled to now.
 * @example
 * import { availableToUnstake } from './staking.js';
 * // availableToUnstake(ctx.state, coldkey, 1, 100n)
 */
export function availableToUnstake(
  st: Overlay,
  cold: Uint8Array,
  netuid: number,
  t: bigint,
): bigint {
  assertAccount(cold, 'coldkey');
  assertNetuid(netuid);
  assertU64(t, 'block');
  const total = totalColdkeyAlphaOnSubnet(st, cold, netuid);
  const m = readModel(st, cold, netuid, t);
  const locked = m ? roll(st, m, m.individual, t).lock.lockedMass : 0n;
  return total > locked ? total - locked : 0n;
}

/** `reduce_aggregate_lock` / `add_aggregate_lock` on the bucket of (cold, hot). */
export function adjustAggregate(
  ctx: DispatchContext,
  cold: Uint8Array,
  hot: Uint8Array,
  netuid: number,
  f: (a: LockState) => LockState,
  rollAfter: boolean,
): void {
  const t = now(ctx);
  const m = modelFor(ctx.state, cold, netuid, hot, t);
  rollAggregate(ctx.state, m, t);
  m.aggregate = f(m.aggregate);
  if (rollAfter) rollAggregate(ctx.state, m, t);
  saveModel(ctx.state, cold, netuid, m);
}

/**
 * `transfer_lock`: moving `amount` alpha to another coldkey drags lock mass (and conviction pro
 * rata) only for the part that exceeds the origin's unlocked alpha.
 */
function transferLock(
  ctx: DispatchContext,
  from: Uint8Array,
  to: Uint8Array,
  netuid: number,
  amount: bigint,
): DispatchOutcome {
  const st = ctx.state;
  const t = now(ctx);
  if (bytesEqual(from, to) || amount === 0n) return OK;
  const total = totalColdkeyAlphaOnSubnet(st, from, netuid);
  const source = readModel(st, from, netuid, t);
  if (!source) return OK;
  rollModel(st, source, t);
  let src = source.individual;
  const dest = readModel(st, to, netuid, t);
  if (dest) rollModel(st, dest, t);
  let destHot = dest ? dest.hotkey : source.hotkey;
  let dst = dest ? dest.individual : emptyLock(t);
  const available = total > src.lockedMass ? total - src.lockedMass : 0n;
  const remaining = amount - min(amount, available);
  let lockedTransfer = 0n;
  let convictionTransfer = 0n;
  if (remaining !== 0n) {
    if (dest) {
      if (!bytesEqual(dest.hotkey, source.hotkey))
        return fail(subtensorError('LockHotkeyMismatch'));
      destHot = dest.hotkey;
    }
    lockedTransfer = min(remaining, src.lockedMass);
    if (lockedTransfer !== 0n && src.lockedMass !== 0n) {
      const proportion = fxDiv(U64F64, lockedTransfer << 64n, src.lockedMass << 64n);
      convictionTransfer = fxMul(U64F64, src.conviction, proportion);
    }
    src = reduceLock(src, lockedTransfer, convictionTransfer);
    dst = {
      lockedMass: satU64(dst.lockedMass + lockedTransfer),
      conviction: fxAdd(U64F64, dst.conviction, convictionTransfer),
      lastUpdate: dst.lastUpdate,
    };
  }
  if (
    lockedTransfer !== 0n &&
    (S.AccountFlags.get(st, to) & ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA) !== 1n
  )
    return fail(subtensorError('AccountRejectsLockedAlpha'));
  const srcOwner = bytesEqual(source.hotkey, S.SubnetOwnerHotkey.get(st, netuid));
  const dstOwner = bytesEqual(destHot, S.SubnetOwnerHotkey.get(st, netuid));
  const srcPerp = S.DecayingLock.tryGet(st, from, netuid) === false;
  const dstPerp = S.DecayingLock.tryGet(st, to, netuid) === false;
  src = rollForwardLock(src, t, rollParams(st, srcOwner, srcPerp)).lock;
  dst = rollForwardLock(dst, t, rollParams(st, dstOwner, dstPerp)).lock;
  storeLock(st, from, netuid, source.hotkey, src);
  storeLock(st, to, netuid, destHot, dst);
  if (lockedTransfer !== 0n) {
    const lt = lockedTransfer;
    const ct = convictionTransfer;
    adjustAggregate(ctx, from, source.hotkey, netuid, (a) => reduceLock(a, lt, ct), false);
    adjustAggregate(
      ctx,
      to,
      destHot,
      netuid,
      (a) => mergeLocks(a, { lockedMass: lt, conviction: ct, lastUpdate: t }),
      true,
    );
  }
  return OK;
}

// ---- stake in / out -----------------------------------------------------------------------------

/**
 * `stake_into_subnet`: moves `tao` (capped to keep the coldkey's existential deposit) onto the
 * subnet account, buys alpha with it and credits the (hotkey, coldkey) position. Returns the alpha.
 * @example
 * import { stakeIntoSubnet } from './staking.js';
 * // stakeIntoSubnet(ctx, hotkey, coldkey, 1, 1_000_000_000n, MAX_PRICE_RAO, false)
 */
export function stakeIntoSubnet(
  ctx: DispatchContext,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
  tao: bigint,
  limitPriceRao: bigint,
  dropFees: boolean,
): Res<bigint> {
  assertAccount(hot, 'hotkey');
  assertAccount(cold, 'coldkey');
  assertNetuid(netuid);
  assertU64(tao, 'tao');
  assertU64(limitPriceRao, 'limitPriceRao');
  const st = ctx.state;
  const moved = transferTaoToSubnet(ctx, netuid, cold, tao);
  if (!moved.ok) return moved;
  const taoStaked = moved.amount;
  const swap = swapTaoForAlpha(ctx, netuid, taoStaked, { limitPriceRao, dropFees });
  if (!swap.ok) return swap;
  if (swap.alphaOut === 0n) return err('AmountTooLow');
  if (!canCreditStake(st, hot, netuid, swap.alphaOut)) return err('InsufficientLiquidity');
  creditStake(st, hot, cold, netuid, swap.alphaOut);
  recordFlow(st, netuid, swap.taoIn, true);
  cleanupLockIfZero(ctx, cold, netuid);
  S.LastColdkeyHotkeyStakeBlock.set(st, cold, hot, now(ctx));
  if (netuid === ROOT) {
    addRootClaimed(st, hot, cold, swap.alphaOut);
    maybeAddColdkeyIndex(st, cold);
  }
  emit(ctx, {
    type: 'StakeAdded',
    value: [cold, hot, taoStaked, swap.alphaOut, netuid, swap.fee],
  });
  return { ok: true, value: swap.alphaOut };
}

/**
 * `unstake_from_subnet`: debits `alpha` from the position, sells it (refunding any part a limit
 * price left unexecuted) and pays the TAO to `beneficiary`. Returns the TAO paid.
 * @example
 * import { unstakeFromSubnet } from './staking.js';
 * // unstakeFromSubnet(ctx, hotkey, coldkey, coldkey, 1, 500_000_000n, MIN_PRICE_RAO, false)
 */
export function unstakeFromSubnet(
  ctx: DispatchContext,
  hot: Uint8Array,
  cold: Uint8Array,
  beneficiary: Uint8Array,
  netuid: number,
  alpha: bigint,
  limitPriceRao: bigint,
  dropFees: boolean,
): Res<bigint> {
  assertAccount(hot, 'hotkey');
  assertAccount(cold, 'coldkey');
  assertAccount(beneficiary, 'beneficiary');
  assertNetuid(netuid);
  assertU64(alpha, 'alpha');
  assertU64(limitPriceRao, 'limitPriceRao');
  const st = ctx.state;
  debitStake(st, hot, cold, netuid, alpha);
  const swap = swapAlphaForTao(ctx, netuid, alpha, { limitPriceRao, dropFees, beneficiary });
  if (!swap.ok) return swap;
  const used = swap.alphaIn + swap.fee;
  const refund = alpha > used ? alpha - used : 0n;
  if (refund !== 0n) creditStake(st, hot, cold, netuid, refund);
  if (netuid === ROOT) {
    removeRootClaimed(st, hot, cold, alpha);
    if (!hasRootStake(st, cold)) maybeRemoveColdkeyIndex(st, cold);
  }
  recordFlow(st, netuid, satU64(swap.taoOut + swap.feeTao), false);
  cleanupLockIfZero(ctx, cold, netuid);
  S.LastColdkeyHotkeyStakeBlock.set(st, cold, hot, now(ctx));
  emit(ctx, {
    type: 'StakeRemoved',
    value: [cold, hot, swap.taoOut, swap.alphaIn, netuid, swap.fee],
  });
  return { ok: true, value: swap.taoOut };
}

/**
 * `transfer_stake_within_subnet`: moves alpha between positions on one subnet without a swap
 * (its lock share follows); fails with `AmountTooLow` below `DefaultMinStake` worth of TAO at
 * the spot price. Returns that TAO equivalent.
 */
export function transferStakeWithinSubnet(
  ctx: DispatchContext,
  fromCold: Uint8Array,
  fromHot: Uint8Array,
  toCold: Uint8Array,
  toHot: Uint8Array,
  netuid: number,
  alpha: bigint,
): Res<bigint> {
  const st = ctx.state;
  const locked = transferLock(ctx, fromCold, toCold, netuid, alpha);
  if (!locked.ok) return locked;
  debitStake(st, fromHot, fromCold, netuid, alpha);
  if (netuid === ROOT) removeRootClaimed(st, fromHot, fromCold, alpha);
  creditStake(st, toHot, toCold, netuid, alpha);
  if (netuid === ROOT) addRootClaimed(st, toHot, toCold, alpha);
  const price = currentAlphaPrice(st, netuid);
  const taoEquivalent = fxToInt(U64F64, fxMul(U64F64, price, alpha << 64n), 64);
  if (taoEquivalent < MIN_STAKE) return err('AmountTooLow');
  S.LastColdkeyHotkeyStakeBlock.set(st, toCold, toHot, now(ctx));
  emit(ctx, {
    type: 'StakeRemoved',
    value: [fromCold, fromHot, taoEquivalent, alpha, netuid, 0n],
  });
  emit(ctx, {
    type: 'StakeAdded',
    value: [toCold, toHot, taoEquivalent, alpha, netuid, 0n],
  });
  return { ok: true, value: taoEquivalent };
}

/** `get_nominator_min_required_stake`: `DefaultMinStake × NominatorMinRequiredStake / 1e6`. */
function nominatorMinStake(st: StateRW): bigint {
  return satU64(MIN_STAKE * S.NominatorMinRequiredStake.get(st)) / 1_000_000n;
}

/**
 * `clear_small_nomination_if_required`: a nominator's (not the owner's) position worth less than
 * the nominator minimum is unstaked; if that fails its alpha is simply cleared. Either way the
 * coldkey's lock shrinks by the cleared amount.
 */
export function clearSmallNomination(
  ctx: DispatchContext,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
): void {
  const st = ctx.state;
  if (ownsHotkey(st, cold, hot)) return;
  const alpha = stakeOf(st, hot, cold, netuid);
  const minFx = fxDiv(U64F64, nominatorMinStake(st) << 64n, currentAlphaPrice(st, netuid));
  const minAlpha = fxToInt(U64F64, minFx, 64);
  if (alpha === 0n || alpha >= minAlpha) return;
  const out = unstakeFromSubnet(ctx, hot, cold, cold, netuid, alpha, MIN_PRICE_RAO, false);
  if (!out.ok) debitStake(st, hot, cold, netuid, stakeOf(st, hot, cold, netuid));
  forceReduce(ctx, cold, netuid, alpha);
}

/** `clear_small_nominations`: sweeps every (hotkey, coldkey, netuid) position, legacy included. */
function clearSmallNominations(ctx: DispatchContext): void {
  const st = ctx.state;
  const seen = new Map<string, [Uint8Array, Uint8Array, number]>();
  for (const item of [S.Alpha, S.AlphaV2] as const)
    for (const key of st.keys(item.partialKey())) {
      const [hot, cold, netuid] = item.decodeKey(key);
      const id = `${toHex(hot)}${toHex(cold)}${netuid.toString(16).padStart(4, '0')}`;
      seen.set(id, [hot, cold, netuid]);
    }
  for (const id of [...seen.keys()].sort()) {
    const [hot, cold, netuid] = seen.get(id) as [Uint8Array, Uint8Array, number];
    clearSmallNomination(ctx, hot, cold, netuid);
  }
}

/** Drops the hotkey's pending children everywhere when its total stake is below `StakeThreshold`. */
function dropPendingChildrenIfBelowThreshold(st: Overlay, hot: Uint8Array): void {
  if (totalStakeForHotkey(st, hot) >= S.StakeThreshold.get(st)) return;
  for (const netuid of addedNetuids(st)) S.PendingChildKeys.remove(st, netuid, hot);
}

// ---- validation ---------------------------------------------------------------------------------

/** The pool fee on `amount` as the swap would charge it (0 on root and stable subnets). */
function approxFee(st: StateRW, netuid: number, amount: bigint): bigint {
  return isDynamic(st, netuid) ? calculateFeeAmount(amount, Swap.FeeRate.get(st, netuid)) : 0n;
}

/** `validate_add_stake`. */
function validateAddStake(
  ctx: DispatchContext,
  cold: Uint8Array,
  hot: Uint8Array,
  netuid: number,
  amount: bigint,
  maxAmount: bigint,
  allowPartial: boolean,
): DispatchError | undefined {
  const st = ctx.state;
  if (!subnetExists(st, netuid)) return subtensorError('SubnetNotExists');
  if (!S.SubtokenEnabled.get(st, netuid)) return subtensorError('SubtokenDisabled');
  const minSim = swapTaoForAlpha(ctx, netuid, MIN_STAKE, { simulate: true });
  const minAmount = MIN_STAKE + (minSim.ok ? minSim.fee : approxFee(st, netuid, MIN_STAKE));
  if (amount < minAmount) return subtensorError('AmountTooLow');
  let toStake = amount;
  if (!allowPartial) {
    if (amount > maxAmount) return subtensorError('SlippageTooHigh');
  } else toStake = min(maxAmount, amount);
  if (toStake > reducibleBalance(st, cold, false)) return subtensorError('NotEnoughBalanceToStake');
  if (!hotkeyExists(st, hot)) return subtensorError('HotKeyAccountNotExists');
  const sim = swapTaoForAlpha(ctx, netuid, toStake, { simulate: true });
  if (!sim.ok) return subtensorError('InsufficientLiquidity');
  if (sim.taoIn < MIN_STAKE) return subtensorError('AmountTooLow');
  if (sim.alphaOut === 0n) return subtensorError('InsufficientLiquidity');
  if (!canCreditStake(st, hot, netuid, sim.alphaOut))
    return subtensorError('InsufficientLiquidity');
  return undefined;
}

/** `validate_remove_stake` (the subtoken check is not part of it upstream). */
function validateRemoveStake(
  ctx: DispatchContext,
  cold: Uint8Array,
  hot: Uint8Array,
  netuid: number,
  alpha: bigint,
  maxAmount: bigint,
  allowPartial: boolean,
): DispatchError | undefined {
  const st = ctx.state;
  if (!subnetExists(st, netuid)) return subtensorError('SubnetNotExists');
  if (alpha === 0n) return subtensorError('AmountTooLow');
  const position = stakeOf(st, hot, cold, netuid);
  if (position < alpha) return subtensorError('NotEnoughStakeToWithdraw');
  const sim = swapAlphaForTao(ctx, netuid, alpha, { simulate: true });
  if (!sim.ok) return subtensorError('InsufficientLiquidity');
  if (position - alpha !== 0n && sim.taoOut < MIN_STAKE) return subtensorError('AmountTooLow');
  if (!allowPartial && alpha > maxAmount) return subtensorError('SlippageTooHigh');
  if (!hotkeyExists(st, hot)) return subtensorError('HotKeyAccountNotExists');
  if (availableToUnstake(st, cold, netuid, now(ctx)) < alpha)
    return subtensorError('StakeUnavailable');
  return undefined;
}

/** `ensure_add_stake_input_within_swap_limit`: at most 1000 × `SubnetTAO` on a dynamic subnet. */
function addWithinSwapLimit(st: StateRW, netuid: number, amount: bigint): boolean {
  return !isDynamic(st, netuid) || amount <= satU64(S.SubnetTAO.get(st, netuid) * 1000n);
}

/** `ensure_remove_stake_input_within_swap_limit`: at most 1000 × `SubnetAlphaIn`. */
function removeWithinSwapLimit(st: StateRW, netuid: number, amount: bigint): boolean {
  return !isDynamic(st, netuid) || amount <= satU64(S.SubnetAlphaIn.get(st, netuid) * 1000n);
}

// ---- price limits -------------------------------------------------------------------------------

/**
 * `get_max_amount_add`: the TAO (fee included) that can be staked before the price reaches
 * `limitPriceRao`; u64::MAX or 0 on root and stable subnets (price fixed at 1).
 */
export function maxAmountAdd(
  ctx: DispatchContext,
  netuid: number,
  limitPriceRao: bigint,
): Res<bigint> {
  assertNetuid(netuid);
  assertU64(limitPriceRao, 'limitPriceRao');
  if (!isDynamic(ctx.state, netuid))
    return { ok: true, value: limitPriceRao >= RAO_PER_TAO ? U64_MAX : 0n };
  const input = satU64(S.SubnetTAO.get(ctx.state, netuid) * 1000n);
  const r = swapTaoForAlpha(ctx, netuid, input, { limitPriceRao, simulate: true });
  return r.ok ? { ok: true, value: satU64(r.taoIn + r.fee) } : r;
}

/** `get_max_amount_remove`: the alpha (fee included) that can be sold before the price falls to the limit. */
export function maxAmountRemove(
  ctx: DispatchContext,
  netuid: number,
  limitPriceRao: bigint,
): Res<bigint> {
  assertNetuid(netuid);
  assertU64(limitPriceRao, 'limitPriceRao');
  if (!isDynamic(ctx.state, netuid))
    return { ok: true, value: limitPriceRao <= RAO_PER_TAO ? U64_MAX : 0n };
  const input = satU64(S.SubnetAlphaIn.get(ctx.state, netuid) * 1000n);
  const r = swapAlphaForTao(ctx, netuid, input, { limitPriceRao, simulate: true });
  return r.ok ? { ok: true, value: satU64(r.alphaIn + r.fee) } : r;
}

/**
 * `get_max_amount_move`: the origin alpha that can move before the origin/destination price
 * ratio falls to `limitPriceRao` (RAO units of origin price per destination price).
 */
export function maxAmountMove(
  ctx: DispatchContext,
  origin: number,
  destination: number,
  limitPriceRao: bigint,
): Res<bigint> {
  assertNetuid(origin, 'origin');
  assertNetuid(destination, 'destination');
  assertU64(limitPriceRao, 'limitPriceRao');
  const st = ctx.state;
  const tao = RAO_PER_TAO << 64n;
  const stableOrigin = origin === ROOT || S.SubnetMechanism.get(st, origin) === 0;
  const stableDest = destination === ROOT || S.SubnetMechanism.get(st, destination) === 0;
  if (stableOrigin && stableDest)
    return { ok: true, value: limitPriceRao > RAO_PER_TAO ? 0n : U64_MAX };
  if (stableOrigin && S.SubnetMechanism.get(st, destination) === 1) {
    if (limitPriceRao === 0n) return { ok: true, value: U64_MAX };
    const inverse = fxMul(U64F64, fxDiv(U64F64, tao, limitPriceRao << 64n), tao);
    return maxAmountAdd(ctx, destination, fxToInt(U64F64, inverse, 64));
  }
  if (stableDest && S.SubnetMechanism.get(st, origin) === 1)
    return maxAmountRemove(ctx, origin, limitPriceRao);
  const t1 = S.SubnetTAO.get(st, origin);
  const t2 = S.SubnetTAO.get(st, destination);
  if (t1 === 0n || t2 === 0n) return { ok: true, value: 0n };
  const a1 = S.SubnetAlphaIn.get(st, origin);
  const a2 = S.SubnetAlphaIn.get(st, destination);
  if (a1 === 0n || a2 === 0n) return { ok: true, value: 0n };
  const limit = fxDiv(U64F64, limitPriceRao << 64n, tao);
  const current = fxDiv(U64F64, currentAlphaPrice(st, origin), currentAlphaPrice(st, destination));
  if (limit > current) return { ok: true, value: 0n };
  if (limitPriceRao === 0n) return { ok: true, value: U64_MAX };
  const sum = fxAdd(U64F64, t2 << 64n, t1 << 64n);
  const t1Share = fxDiv(U64F64, t1 << 64n, sum);
  const t2Share = fxDiv(U64F64, t2 << 64n, sum);
  const result = fxSub(
    U64F64,
    fxDiv(U64F64, fxMul(U64F64, a2 << 64n, t1Share), limit),
    fxMul(U64F64, a1 << 64n, t2Share),
  );
  return { ok: true, value: fxToInt(U64F64, result, 64) };
}

// ---- calls --------------------------------------------------------------------------------------

function signer(origin: Origin): Uint8Array | undefined {
  return origin.type === 'Signed' ? origin.who : undefined;
}

const outcome = (r: Res<unknown> | DispatchError | undefined): DispatchOutcome => {
  if (r === undefined) return OK;
  if ('ok' in r) return r.ok ? OK : fail(r.error);
  return fail(r);
};

/** `do_add_stake`. */
function doAddStake(
  ctx: DispatchContext,
  cold: Uint8Array,
  hot: Uint8Array,
  netuid: number,
  amount: bigint,
): DispatchOutcome {
  if (!addWithinSwapLimit(ctx.state, netuid, amount))
    return fail(subtensorError('InsufficientLiquidity'));
  const invalid = validateAddStake(ctx, cold, hot, netuid, amount, amount, false);
  if (invalid) return fail(invalid);
  return outcome(stakeIntoSubnet(ctx, hot, cold, netuid, amount, MAX_PRICE_RAO, false));
}

/** `do_add_stake_limit`. */
function doAddStakeLimit(
  ctx: DispatchContext,
  cold: Uint8Array,
  hot: Uint8Array,
  netuid: number,
  amount: bigint,
  limit: bigint,
  allowPartial: boolean,
): DispatchOutcome {
  if (!addWithinSwapLimit(ctx.state, netuid, amount))
    return fail(subtensorError('InsufficientLiquidity'));
  const max = maxAmountAdd(ctx, netuid, limit);
  if (!max.ok) return fail(max.error);
  const possible = min(amount, max.value);
  const invalid = validateAddStake(ctx, cold, hot, netuid, amount, max.value, allowPartial);
  if (invalid) return fail(invalid);
  if (!ownsHotkey(ctx.state, cold, hot)) maybeBecomeDelegate(ctx.state, hot);
  return outcome(stakeIntoSubnet(ctx, hot, cold, netuid, possible, limit, false));
}

/** `do_remove_stake`. */
function doRemoveStake(
  ctx: DispatchContext,
  cold: Uint8Array,
  hot: Uint8Array,
  netuid: number,
  amount: bigint,
): DispatchOutcome {
  const st = ctx.state;
  if (!S.SubtokenEnabled.get(st, netuid)) return fail(subtensorError('SubtokenDisabled'));
  const alpha = min(amount, stakeOf(st, hot, cold, netuid));
  if (!removeWithinSwapLimit(st, netuid, alpha))
    return fail(subtensorError('InsufficientLiquidity'));
  const invalid = validateRemoveStake(ctx, cold, hot, netuid, alpha, alpha, false);
  if (invalid) return fail(invalid);
  const out = unstakeFromSubnet(ctx, hot, cold, cold, netuid, alpha, MIN_PRICE_RAO, false);
  if (!out.ok) return fail(out.error);
  clearSmallNomination(ctx, hot, cold, netuid);
  dropPendingChildrenIfBelowThreshold(st, hot);
  return OK;
}

/** `do_remove_stake_limit` (no subtoken check and no clamping to the position, as upstream). */
function doRemoveStakeLimit(
  ctx: DispatchContext,
  cold: Uint8Array,
  hot: Uint8Array,
  netuid: number,
  amount: bigint,
  limit: bigint,
  allowPartial: boolean,
): DispatchOutcome {
  const st = ctx.state;
  if (!removeWithinSwapLimit(st, netuid, amount))
    return fail(subtensorError('InsufficientLiquidity'));
  const max = maxAmountRemove(ctx, netuid, limit);
  if (!max.ok) return fail(max.error);
  const possible = min(amount, max.value);
  const invalid = validateRemoveStake(ctx, cold, hot, netuid, amount, max.value, allowPartial);
  if (invalid) return fail(invalid);
  const out = unstakeFromSubnet(ctx, hot, cold, cold, netuid, possible, limit, false);
  if (!out.ok) return fail(out.error);
  clearSmallNomination(ctx, hot, cold, netuid);
  dropPendingChildrenIfBelowThreshold(st, hot);
  return OK;
}

/** `do_unstake_all` / `do_unstake_all_alpha` (the latter restakes the proceeds on root). */
function doUnstakeAll(
  ctx: DispatchContext,
  cold: Uint8Array,
  hot: Uint8Array,
  onlyAlpha: boolean,
): DispatchOutcome {
  const st = ctx.state;
  if (!hotkeyExists(st, hot)) return fail(subtensorError('HotKeyAccountNotExists'));
  let total = 0n;
  for (const netuid of addedNetuids(st)) {
    if (!S.SubtokenEnabled.get(st, netuid)) continue;
    if (onlyAlpha && netuid === ROOT) continue;
    const alpha = stakeOf(st, hot, cold, netuid);
    if (validateRemoveStake(ctx, cold, hot, netuid, alpha, alpha, false)) continue;
    if (alpha === 0n) continue;
    const out = unstakeFromSubnet(ctx, hot, cold, cold, netuid, alpha, MIN_PRICE_RAO, false);
    if (!out.ok) return fail(out.error);
    total = satU64(total + out.value);
    clearSmallNomination(ctx, hot, cold, netuid);
  }
  if (!onlyAlpha) return OK;
  return outcome(stakeIntoSubnet(ctx, hot, cold, ROOT, total, MAX_PRICE_RAO, false));
}

/** `validate_stake_transition`. */
function validateTransition(
  ctx: DispatchContext,
  fromCold: Uint8Array,
  toCold: Uint8Array,
  fromHot: Uint8Array,
  toHot: Uint8Array,
  origin: number,
  destination: number,
  alpha: bigint,
  maxAmount: bigint,
  allowPartial: boolean | undefined,
  checkTransferToggle: boolean,
): DispatchError | undefined {
  const st = ctx.state;
  const cross = origin !== destination;
  if (bytesEqual(fromCold, toCold) && bytesEqual(fromHot, toHot) && !cross)
    return subtensorError('SameNetuid');
  if (!subnetExists(st, origin)) return subtensorError('SubnetNotExists');
  if (cross && !subnetExists(st, destination)) return subtensorError('SubnetNotExists');
  if (!S.SubtokenEnabled.get(st, origin)) return subtensorError('SubtokenDisabled');
  if (!S.SubtokenEnabled.get(st, destination)) return subtensorError('SubtokenDisabled');
  if (!hotkeyExists(st, fromHot)) return subtensorError('HotKeyAccountNotExists');
  if (!hotkeyExists(st, toHot)) return subtensorError('HotKeyAccountNotExists');
  if (alpha > stakeOf(st, fromHot, fromCold, origin))
    return subtensorError('NotEnoughStakeToWithdraw');
  if (cross) {
    const sim = swapAlphaForTao(ctx, origin, alpha, { simulate: true });
    if (!sim.ok) return subtensorError('InsufficientLiquidity');
    if (sim.taoOut <= MIN_STAKE) return subtensorError('AmountTooLow');
    if (allowPartial === false && alpha > maxAmount) return subtensorError('SlippageTooHigh');
  }
  if (checkTransferToggle) {
    if (!S.TransferToggle.get(st, origin)) return subtensorError('TransferDisallowed');
    if (cross && !S.TransferToggle.get(st, destination))
      return subtensorError('TransferDisallowed');
  }
  if (cross && availableToUnstake(st, fromCold, origin, now(ctx)) < alpha)
    return subtensorError('StakeUnavailable');
  return undefined;
}

/** `transition_stake_internal`: move, transfer and swap share it. Returns the TAO moved. */
function transitionStake(
  ctx: DispatchContext,
  fromCold: Uint8Array,
  toCold: Uint8Array,
  fromHot: Uint8Array,
  toHot: Uint8Array,
  origin: number,
  destination: number,
  amount: bigint,
  limit: bigint | undefined,
  allowPartial: boolean | undefined,
  checkTransferToggle: boolean,
): Res<bigint> {
  const st = ctx.state;
  const alpha = min(amount, stakeOf(st, fromHot, fromCold, origin));
  let max = alpha;
  if (origin !== destination && limit !== undefined) {
    const m = maxAmountMove(ctx, origin, destination, limit);
    if (!m.ok) return m;
    max = m.value;
  }
  const invalid = validateTransition(
    ctx,
    fromCold,
    toCold,
    fromHot,
    toHot,
    origin,
    destination,
    alpha,
    max,
    allowPartial,
    checkTransferToggle,
  );
  if (invalid) return { ok: false, error: invalid };
  const moveAmount = min(alpha, max);
  if (origin === destination)
    return transferStakeWithinSubnet(ctx, fromCold, fromHot, toCold, toHot, origin, moveAmount);
  const dropOrigin = origin === ROOT;
  const out = unstakeFromSubnet(
    ctx,
    fromHot,
    fromCold,
    fromCold,
    origin,
    moveAmount,
    MIN_PRICE_RAO,
    dropOrigin,
  );
  if (!out.ok) return out;
  const tao = out.value;
  if (!bytesEqual(fromCold, toCold)) {
    const sent = transferTao(ctx, fromCold, toCold, tao);
    if (!sent.ok) return { ok: false, error: sent.error };
  }
  if (tao >= MIN_STAKE) {
    if (!ownsHotkey(st, toCold, toHot)) maybeBecomeDelegate(st, toHot);
    const staked = stakeIntoSubnet(
      ctx,
      toHot,
      toCold,
      destination,
      tao,
      MAX_PRICE_RAO,
      !dropOrigin,
    );
    if (!staked.ok) return staked;
  }
  return { ok: true, value: tao };
}

type Call<T extends SubtensorCall['type']> = Extract<SubtensorCall, { type: T }>['value'];

/** Registers a signed-origin handler that runs all-or-nothing (state and events). */
function register<T extends SubtensorCall['type']>(
  name: T,
  body: (ctx: DispatchContext, who: Uint8Array, args: Call<T>) => DispatchOutcome,
): void {
  (handlers.SubtensorModule as Record<string, unknown>)[name] = (
    ctx: DispatchContext,
    origin: Origin,
    call: { value: Call<T> },
  ): DispatchOutcome => {
    const who = signer(origin);
    if (!who) return fail(BAD_ORIGIN);
    return atomically(ctx, (inner) => body(inner, who, call.value));
  };
}

register('add_stake', (ctx, cold, a) => doAddStake(ctx, cold, a.hotkey, a.netuid, a.amount_staked));
register('add_stake_limit', (ctx, cold, a) =>
  doAddStakeLimit(ctx, cold, a.hotkey, a.netuid, a.amount_staked, a.limit_price, a.allow_partial),
);
register('remove_stake', (ctx, cold, a) =>
  doRemoveStake(ctx, cold, a.hotkey, a.netuid, a.amount_unstaked),
);
register('remove_stake_limit', (ctx, cold, a) =>
  doRemoveStakeLimit(
    ctx,
    cold,
    a.hotkey,
    a.netuid,
    a.amount_unstaked,
    a.limit_price,
    a.allow_partial,
  ),
);
register('remove_stake_full_limit', (ctx, cold, a) => {
  const alpha = stakeOf(ctx.state, a.hotkey, cold, a.netuid);
  return a.limit_price === undefined
    ? doRemoveStake(ctx, cold, a.hotkey, a.netuid, alpha)
    : doRemoveStakeLimit(ctx, cold, a.hotkey, a.netuid, alpha, a.limit_price, false);
});
register('unstake_all', (ctx, cold, a) => doUnstakeAll(ctx, cold, a.hotkey, false));
register('unstake_all_alpha', (ctx, cold, a) => doUnstakeAll(ctx, cold, a.hotkey, true));
register('move_stake', (ctx, cold, a) => {
  const r = transitionStake(
    ctx,
    cold,
    cold,
    a.origin_hotkey,
    a.destination_hotkey,
    a.origin_netuid,
    a.destination_netuid,
    a.alpha_amount,
    undefined,
    undefined,
    false,
  );
  if (!r.ok) return fail(r.error);
  emit(ctx, {
    type: 'StakeMoved',
    value: [
      cold,
      a.origin_hotkey,
      a.origin_netuid,
      a.destination_hotkey,
      a.destination_netuid,
      r.value,
    ],
  });
  return OK;
});
register('transfer_stake', (ctx, cold, a) => {
  const r = transitionStake(
    ctx,
    cold,
    a.destination_coldkey,
    a.hotkey,
    a.hotkey,
    a.origin_netuid,
    a.destination_netuid,
    a.alpha_amount,
    undefined,
    undefined,
    true,
  );
  if (!r.ok) return fail(r.error);
  emit(ctx, {
    type: 'StakeTransferred',
    value: [cold, a.destination_coldkey, a.hotkey, a.origin_netuid, a.destination_netuid, r.value],
  });
  return OK;
});
register('swap_stake', (ctx, cold, a) => {
  const r = transitionStake(
    ctx,
    cold,
    cold,
    a.hotkey,
    a.hotkey,
    a.origin_netuid,
    a.destination_netuid,
    a.alpha_amount,
    undefined,
    undefined,
    false,
  );
  if (!r.ok) return fail(r.error);
  emit(ctx, {
    type: 'StakeSwapped',
    value: [cold, a.hotkey, a.origin_netuid, a.destination_netuid, r.value],
  });
  return OK;
});
register('swap_stake_limit', (ctx, cold, a) => {
  const r = transitionStake(
    ctx,
    cold,
    cold,
    a.hotkey,
    a.hotkey,
    a.origin_netuid,
    a.destination_netuid,
    a.alpha_amount,
    a.limit_price,
    a.allow_partial,
    false,
  );
  if (!r.ok) return fail(r.error);
  emit(ctx, {
    type: 'StakeSwapped',
    value: [cold, a.hotkey, a.origin_netuid, a.destination_netuid, r.value],
  });
  return OK;
});

nominationHooks.clearSmallNominations = clearSmallNominations;
