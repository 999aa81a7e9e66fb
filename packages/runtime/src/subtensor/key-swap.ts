/**
 * SubtensorModule hotkey swaps, as subtensor 14bc6f9f does them (pallets/subtensor/src/swap/
 * swap_hotkey.rs; the helpers it calls in staking/lock.rs, staking/set_children.rs,
 * staking/claim_root.rs and utils/voting_power.rs): `swap_hotkey` (70) and `swap_hotkey_v2` (72).
 */
import {
  type DispatchError,
  SubtensorStorage as S,
  type StateRW,
  type LockState as StoredLock,
  type SubtensorCall,
} from '@taoscript/chain-types';
import { bytesEqual, toHex } from '@taoscript/codec';
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
import { type LockState, rollForwardLock } from './math/lock.js';
import {
  assertNetuid,
  atomically,
  recycleTao,
  reducibleBalance,
  subnetOfAccount,
  subtensorError,
} from './pool.js';
import { exceedsTxRateLimit, getAccountLastBlock, setAccountLastBlock } from './rate-limits.js';
import { coldkeyOwnsHotkey, hotkeyAccountExists, mechanismStorageIndex } from './registration.js';
import {
  creditStake,
  debitStake,
  safeFloatFromU64F64,
  safeFloatIsZero,
  stakeOf,
} from './share-pool.js';
import { emit, insertRaw, rollParams, storeLock } from './staking.js';
import { addedNetuids } from './subnets.js';

/** `KeySwapCost`: 0.1 TAO, recycled by an all-subnets hotkey swap. */
export const KEY_SWAP_COST = 100_000_000n;
/** `KeySwapOnSubnetCost`: 0.001 TAO, recycled by a one-subnet hotkey swap. */
export const KEY_SWAP_ON_SUBNET_COST = 1_000_000n;
/** `HotkeySwapOnSubnetInterval`: blocks between two hotkey swaps of a coldkey on one subnet. */
export const HOTKEY_SWAP_ON_SUBNET_INTERVAL = 7_200n;

const ROOT = 0;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const I128_MAX = (1n << 127n) - 1n;
const I128_MIN = -(1n << 127n);
const satU64 = (v: bigint): bigint => (v > U64_MAX ? U64_MAX : v);

/** A failed step: the error the whole call fails with. */
class Abort {
  constructor(readonly error: DispatchError) {}
}
const abort = (name: string): never => {
  throw new Abort(subtensorError(name));
};

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

const hexOrder = (a: Uint8Array, b: Uint8Array): number => {
  const x = toHex(a);
  const y = toHex(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

// ---- locks (lock.rs `swap_hotkey_locks_for_netuids`) --------------------------------------------

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
const keepAggregate = (l: LockState): boolean => l.lockedMass !== 0n || l.conviction > 0n;

function swapLocks(
  st: Overlay,
  old: Uint8Array,
  nw: Uint8Array,
  netuids: number[],
  t: bigint,
): void {
  const roll = (l: LockState, owner: boolean, perpetual: boolean): LockState =>
    rollForwardLock(l, t, rollParams(st, owner, perpetual)).lock;
  const todo: { netuid: number; oldOwner: boolean; newOwner: boolean }[] = [];
  for (const netuid of netuids) {
    const ownerHot = S.SubnetOwnerHotkey.get(st, netuid);
    const oldOwner = bytesEqual(ownerHot, old);
    const newOwner = bytesEqual(ownerHot, nw);
    if (
      oldOwner ||
      newOwner ||
      S.HotkeyLock.tryGet(st, netuid, old) !== undefined ||
      S.DecayingHotkeyLock.tryGet(st, netuid, old) !== undefined
    )
      todo.push({ netuid, oldOwner, newOwner: oldOwner || newOwner });
  }
  const moves: { cold: Uint8Array; netuid: number; lock: LockState }[] = [];
  for (const { netuid } of todo) {
    for (const key of st.keys(S.LockingColdkeys.partialKey(netuid, old))) {
      const cold = S.LockingColdkeys.decodeKey(key)[2];
      const lock = S.Lock.tryGet(st, cold, netuid, old);
      if (lock) moves.push({ cold, netuid, lock: fromStored(lock) });
      else S.LockingColdkeys.remove(st, netuid, old, cold);
    }
  }
  for (const { cold, netuid, lock } of moves) {
    const entry = todo.find((x) => x.netuid === netuid);
    const perpetual = S.DecayingLock.tryGet(st, cold, netuid) === false;
    const rolled = roll(lock, entry?.oldOwner ?? false, perpetual);
    const moved = roll(rolled, entry?.newOwner ?? false, perpetual);
    S.Lock.remove(st, cold, netuid, old);
    S.LockingColdkeys.remove(st, netuid, old, cold);
    storeLock(st, cold, netuid, nw, moved);
  }
  for (const { netuid, oldOwner, newOwner } of todo) {
    const take = (perpetual: boolean): LockState | undefined => {
      let stored: StoredLock | undefined;
      if (oldOwner) {
        const item = perpetual ? S.OwnerLock : S.DecayingOwnerLock;
        stored = item.tryGet(st, netuid);
        item.remove(st, netuid);
      } else {
        const item = perpetual ? S.HotkeyLock : S.DecayingHotkeyLock;
        stored = item.tryGet(st, netuid, old);
        item.remove(st, netuid, old);
      }
      return stored && roll(fromStored(stored), oldOwner, perpetual);
    };
    for (const perpetual of [true, false]) {
      const lock = take(perpetual);
      if (!lock) continue;
      const v = roll(lock, newOwner, perpetual);
      if (newOwner) {
        const item = perpetual ? S.OwnerLock : S.DecayingOwnerLock;
        if (keepAggregate(v)) item.set(st, netuid, toStored(v));
        else item.remove(st, netuid);
      } else {
        const item = perpetual ? S.HotkeyLock : S.DecayingHotkeyLock;
        if (keepAggregate(v)) item.set(st, netuid, nw, toStored(v));
        else item.remove(st, netuid, nw);
      }
    }
  }
}

// ---- children (set_children.rs `parent_child_swap_hotkey`) --------------------------------------

type Edges = [bigint, Uint8Array][];
/** A BTreeMap<AccountId, u64>, iterated in key order. */
type Links = Map<string, [Uint8Array, bigint]>;

const sortedLinks = (m: Links): [Uint8Array, bigint][] =>
  [...m.values()].sort((a, b) => hexOrder(a[0], b[0]));

function loadLinks(edges: Edges, pivot: Uint8Array): Links {
  const m: Links = new Map();
  for (const [p, who] of edges) if (!bytesEqual(who, pivot)) m.set(toHex(who), [who, p]);
  return m;
}
const ensureTotal = (m: Links): void => {
  let total = 0n;
  for (const [, p] of m.values()) total += p;
  if (total > U64_MAX) abort('ProportionOverflow');
};
const ensureNoSelfLoop = (pivot: Uint8Array, m: Links): void => {
  if (m.has(toHex(pivot))) abort('InvalidChild');
};
const ensureSeparate = (children: Links, parents: Links): void => {
  for (const k of children.keys()) if (parents.has(k)) abort('ChildParentInconsistency');
};
const removeEdge = (list: Edges, who: Uint8Array): Edges =>
  list.filter(([, w]) => !bytesEqual(w, who));
function upsertEdge(list: Edges, p: bigint, who: Uint8Array): Edges {
  const i = list.findIndex(([, w]) => bytesEqual(w, who));
  if (i >= 0) list[i] = [p, who];
  else list.push([p, who]);
  return list;
}
function setChildKeys(st: StateRW, who: Uint8Array, netuid: number, list: Edges): void {
  if (list.length === 0) S.ChildKeys.remove(st, who, netuid);
  else S.ChildKeys.set(st, who, netuid, list);
}
function setParentKeys(st: StateRW, who: Uint8Array, netuid: number, list: Edges): void {
  if (list.length === 0) S.ParentKeys.remove(st, who, netuid);
  else S.ParentKeys.set(st, who, netuid, list);
}

/** Re-homes one side of the pivot's relations (`persist_child_parent_relations`). */
function persistSide(
  st: StateRW,
  netuid: number,
  pivot: Uint8Array,
  links: Links,
  own: typeof S.ChildKeys,
  setOwn: typeof setChildKeys,
  other: typeof S.ParentKeys,
  setOther: typeof setParentKeys,
): void {
  const entries = sortedLinks(links);
  const prev = own.get(st, pivot, netuid);
  setOwn(
    st,
    pivot,
    netuid,
    entries.map(([w, p]): [bigint, Uint8Array] => [p, w]),
  );
  const prevSet = new Map(prev.map(([, w]) => [toHex(w), w] as const));
  for (const [w, p] of entries) {
    // Added and kept neighbours both get (p, pivot) upserted.
    setOther(st, w, netuid, upsertEdge(other.get(st, w, netuid), p, pivot));
  }
  const removed = [...prevSet.entries()]
    .filter(([k]) => !links.has(k))
    .map(([, w]) => w)
    .sort(hexOrder);
  for (const w of removed) setOther(st, w, netuid, removeEdge(other.get(st, w, netuid), pivot));
}

function parentChildSwap(st: Overlay, old: Uint8Array, nw: Uint8Array, netuid: number): void {
  const children = loadLinks(S.ChildKeys.get(st, old, netuid), old);
  ensureTotal(children);
  const parents = loadLinks(S.ParentKeys.get(st, old, netuid), old);
  ensureSeparate(children, parents);
  for (const [child] of sortedLinks(children))
    setParentKeys(st, child, netuid, removeEdge(S.ParentKeys.get(st, child, netuid), old));
  for (const [parent] of sortedLinks(parents))
    S.ChildKeys.set(st, parent, netuid, removeEdge(S.ChildKeys.get(st, parent, netuid), old));
  S.ChildKeys.set(st, old, netuid, []);
  S.ParentKeys.remove(st, old, netuid);
  ensureNoSelfLoop(nw, children);
  ensureNoSelfLoop(nw, parents);
  const pending = S.PendingChildKeys.tryGet(st, netuid, old);
  if (pending) {
    const wanted = loadLinks([], nw);
    for (const [p, c] of pending[0]) wanted.set(toHex(c), [c, p]);
    ensureNoSelfLoop(nw, wanted);
    if (wanted.size > 5) abort('TooManyChildren');
    ensureTotal(wanted);
    ensureSeparate(wanted, parents);
    S.PendingChildKeys.remove(st, netuid, old);
    S.PendingChildKeys.set(st, netuid, nw, pending);
  }
  persistSide(st, netuid, nw, children, S.ChildKeys, setChildKeys, S.ParentKeys, setParentKeys);
  persistSide(st, netuid, nw, parents, S.ParentKeys, setParentKeys, S.ChildKeys, setChildKeys);
}

// ---- the per-subnet part (`perform_hotkey_swap_on_one_subnet`) ----------------------------------

/** `alpha_iter_single_prefix`: (coldkey, netuid, shares) of a hotkey, legacy and v2 merged. */
function alphaEntries(st: Overlay, hot: Uint8Array) {
  const merged = new Map<string, { cold: Uint8Array; netuid: number; zero: boolean }>();
  for (const k of st.keys(S.Alpha.partialKey(hot))) {
    const [, cold, netuid] = S.Alpha.decodeKey(k);
    const bits = S.Alpha.get(st, hot, cold, netuid);
    const zero = safeFloatIsZero(safeFloatFromU64F64(bits));
    merged.set(`${toHex(cold)}:${netuid}`, { cold, netuid, zero });
  }
  for (const k of st.keys(S.AlphaV2.partialKey(hot))) {
    const [, cold, netuid] = S.AlphaV2.decodeKey(k);
    const zero = safeFloatIsZero(S.AlphaV2.get(st, hot, cold, netuid));
    merged.set(`${toHex(cold)}:${netuid}`, { cold, netuid, zero });
  }
  return [...merged.values()];
}

function moveEntry<K extends unknown[], V>(
  st: StateRW,
  item: { tryGet(s: StateRW, ...k: K): V | undefined; remove(s: StateRW, ...k: K): void },
  set: (v: V) => void,
  ...keys: K
): void {
  const v = item.tryGet(st, ...keys);
  if (v === undefined) return;
  item.remove(st, ...keys);
  set(v);
}

function swapOnSubnet(
  ctx: DispatchContext,
  old: Uint8Array,
  nw: Uint8Array,
  netuid: number,
  keepStake: boolean,
): void {
  const st = ctx.state as Overlay;
  const member = S.IsNetworkMember.get(st, old, netuid);
  S.IsNetworkMember.remove(st, old, netuid);
  insertRaw(st, S.IsNetworkMember, member, nw, netuid);
  if (member) {
    const uid = S.Uids.tryGet(st, netuid, old);
    if (uid !== undefined) {
      S.Uids.remove(st, netuid, old);
      S.Uids.set(st, netuid, nw, uid);
      S.Keys.set(st, netuid, uid, nw);
    }
    moveEntry(st, S.Prometheus, (v) => S.Prometheus.set(st, netuid, nw, v), netuid, old);
    moveEntry(st, S.Axons, (v) => S.Axons.set(st, netuid, nw, v), netuid, old);
    const mechs = S.MechanismCountCurrent.get(st, netuid);
    for (let m = 0; m < mechs; m++) {
      const idx = mechanismStorageIndex(netuid, m);
      moveEntry(st, S.WeightCommits, (v) => S.WeightCommits.set(st, idx, nw, v), idx, old);
    }
    const loaded = S.LoadedEmission.tryGet(st, netuid);
    if (loaded) {
      S.LoadedEmission.set(
        st,
        netuid,
        loaded.map((e): typeof e => (bytesEqual(e[0], old) ? [nw, e[1], e[2]] : e)),
      );
    }
    moveEntry(
      st,
      S.NeuronCertificates,
      (v) => S.NeuronCertificates.set(st, netuid, nw, v),
      netuid,
      old,
    );
  }
  moveEntry(st, S.ChildkeyTake, (v) => S.ChildkeyTake.set(st, nw, netuid, v), old, netuid);
  parentChildSwap(st, old, nw, netuid);
  const pendings = st.keys(S.PendingChildKeys.partialKey(netuid)).map((k) => {
    const parent = S.PendingChildKeys.decodeKey(k)[1];
    return [parent, S.PendingChildKeys.get(st, netuid, parent)] as const;
  });
  for (const [parent, [children, cooldown]] of pendings) {
    const i = children.findIndex(([, c]) => bytesEqual(c, old));
    if (i < 0) continue;
    const next = [...children];
    const [removed] = next.splice(i, 1);
    next.push([(removed as [bigint, Uint8Array])[0], nw]);
    S.PendingChildKeys.set(st, netuid, parent, [next, cooldown]);
  }
  const autoColds = S.AutoStakeDestinationColdkeys.tryGet(st, old, netuid);
  if (autoColds !== undefined) {
    for (const c of autoColds) S.AutoStakeDestination.set(st, c, netuid, nw);
    S.AutoStakeDestinationColdkeys.remove(st, old, netuid);
    S.AutoStakeDestinationColdkeys.set(st, nw, netuid, autoColds);
  }
  const ownerHot = S.SubnetOwnerHotkey.tryGet(st, netuid);
  if (ownerHot !== undefined && bytesEqual(ownerHot, old)) {
    if (subnetOfAccount(nw) !== undefined) abort('CannotUseSystemAccount');
    S.SubnetOwnerHotkey.set(st, netuid, nw);
    emit(ctx, { type: 'SubnetOwnerHotkeySet', value: [netuid, nw] });
  }
  if (keepStake) return;

  const lastEpoch = S.TotalHotkeyAlphaLastEpoch.get(st, old, netuid);
  S.TotalHotkeyAlphaLastEpoch.remove(st, old, netuid);
  const lastEpochNew = S.TotalHotkeyAlphaLastEpoch.get(st, nw, netuid);
  S.TotalHotkeyAlphaLastEpoch.set(st, nw, netuid, satU64(lastEpoch + lastEpochNew));
  const divs = S.AlphaDividendsPerSubnet.get(st, netuid, old);
  const divsNew = S.AlphaDividendsPerSubnet.get(st, netuid, nw);
  S.AlphaDividendsPerSubnet.remove(st, netuid, old);
  S.AlphaDividendsPerSubnet.set(st, netuid, nw, satU64(divs + divsNew));
  const vp = S.VotingPower.get(st, netuid, old);
  S.VotingPower.remove(st, netuid, old);
  if (vp > 0n) S.VotingPower.set(st, netuid, nw, satU64(vp + S.VotingPower.get(st, netuid, nw)));

  const colds = new Map<string, Uint8Array>();
  for (const e of alphaEntries(st, old)) if (e.netuid === netuid) colds.set(toHex(e.cold), e.cold);
  for (const cold of [...colds.values()].sort(hexOrder)) {
    const alpha = stakeOf(st, old, cold, netuid);
    debitStake(st, old, cold, netuid, alpha);
    creditStake(st, nw, cold, netuid, alpha);
    const list = S.StakingHotkeys.get(st, cold);
    if (list.some((h) => bytesEqual(h, old)) && !list.some((h) => bytesEqual(h, nw)))
      S.StakingHotkeys.set(st, cold, [...list, nw]);
  }

  if (netuid !== ROOT) return;
  // claim_root.rs `transfer_root_claimable_for_new_hotkey`
  const src = S.RootClaimable.get(st, old);
  const dst = new Map(S.RootClaimable.get(st, nw));
  S.RootClaimable.remove(st, old);
  for (const [n, rate] of src) {
    const sum = (dst.get(n) ?? 0n) + rate;
    dst.set(n, sum > I128_MAX ? I128_MAX : sum < I128_MIN ? I128_MIN : sum);
  }
  S.RootClaimable.set(st, nw, [...dst.entries()]);
  for (const n of [...dst.keys()].sort((a, b) => a - b)) {
    const claimed = st
      .keys(S.RootClaimed.partialKey(n, old))
      .map((k) => S.RootClaimed.decodeKey(k)[2]);
    for (const c of claimed) {
      const was = S.RootClaimed.get(st, n, old, c);
      S.RootClaimed.remove(st, n, old, c);
      const sum = was + S.RootClaimed.get(st, n, nw, c);
      S.RootClaimed.set(st, n, nw, c, sum > U128_MAX ? U128_MAX : sum);
    }
  }
  moveEntry(
    st,
    S.AutoParentDelegationEnabled,
    (v) => S.AutoParentDelegationEnabled.set(st, nw, v),
    old,
  );
}

// ---- do_swap_hotkey -----------------------------------------------------------------------------

function ownHotkey(st: Overlay, cold: Uint8Array, nw: Uint8Array, old?: Uint8Array): void {
  const list = S.OwnedHotkeys.get(st, cold);
  const next = list.some((h) => bytesEqual(h, nw)) ? list : [...list, nw];
  if (old)
    S.OwnedHotkeys.set(
      st,
      cold,
      next.filter((h) => !bytesEqual(h, old)),
    );
  else if (next !== list) S.OwnedHotkeys.set(st, cold, next);
}

function doSwapHotkey(
  ctx: DispatchContext,
  cold: Uint8Array,
  old: Uint8Array,
  nw: Uint8Array,
  netuid: number | undefined,
  keepStake: boolean,
): DispatchOutcome {
  const st = ctx.state as Overlay;
  const err = (name: string) => fail(subtensorError(name));
  if (!coldkeyOwnsHotkey(st, cold, old)) return err('NonAssociatedColdKey');
  if (hotkeyAccountExists(st, nw) && !coldkeyOwnsHotkey(st, cold, nw))
    return err('NonAssociatedColdKey');
  if (bytesEqual(old, nw)) return err('NewHotKeyIsSameWithOld');
  const block = BigInt(ctx.blockNumber);
  if (exceedsTxRateLimit(st, getAccountLastBlock(st, 'LastTxBlock', cold), block))
    return err('HotKeySetTxRateLimitExceeded');
  if (netuid !== undefined) {
    if (S.IsNetworkMember.tryGet(st, nw, netuid) !== undefined)
      return err('HotKeyAlreadyRegisteredInSubNet');
  } else {
    for (const k of st.keys(S.IsNetworkMember.partialKey(nw))) {
      const n = S.IsNetworkMember.decodeKey(k)[1];
      if (S.IsNetworkMember.get(st, nw, n)) return err('HotKeyAlreadyRegisteredInSubNet');
    }
  }
  if (netuid === undefined || netuid === ROOT) {
    const clean =
      S.RootClaimable.get(st, nw).length === 0 &&
      S.TotalHotkeyAlpha.get(st, nw, ROOT) === 0n &&
      st.keys(S.RootClaimed.partialKey(ROOT, nw), undefined, 1).length === 0;
    if (!clean) return err('NewHotKeyNotCleanForRootSwap');
  }
  for (const kind of ['LastTxBlock', 'LastTxBlockDelegateTake', 'LastTxBlockChildKeyTake'] as const)
    setAccountLastBlock(st, kind, nw, getAccountLastBlock(st, kind, old));

  if (netuid !== undefined) {
    const last = S.LastHotkeySwapOnNetuid.get(st, netuid, cold);
    if (!(satU64(last + HOTKEY_SWAP_ON_SUBNET_INTERVAL) < block))
      return err('HotKeySwapOnSubnetIntervalNotPassed');
    if (subnetOfAccount(nw) !== undefined) return err('CannotUseSystemAccount');
    if (S.IsNetworkMember.tryGet(st, nw, netuid) !== undefined)
      return err('HotKeyAlreadyRegisteredInSubNet');
    if (KEY_SWAP_ON_SUBNET_COST > reducibleBalance(st, cold, false))
      return err('NotEnoughBalanceToPaySwapHotKey');
    const paid = recycleTao(ctx, cold, KEY_SWAP_ON_SUBNET_COST);
    if (!paid.ok) return paid;
    S.Owner.set(st, nw, cold);
    ownHotkey(st, cold, nw);
    swapLocks(st, old, nw, [netuid], block);
    swapOnSubnet(ctx, old, nw, netuid, keepStake);
    setAccountLastBlock(st, 'LastTxBlock', cold, block);
    S.LastHotkeySwapOnNetuid.set(st, netuid, cold, block);
    emit(ctx, {
      type: 'HotkeySwappedOnSubnet',
      value: { coldkey: cold, old_hotkey: old, new_hotkey: nw, netuid },
    });
    return OK;
  }

  const netuids = addedNetuids(st);
  const affected = netuids.filter(
    (n) => S.IsNetworkMember.get(st, old, n) || S.ChildKeys.get(st, old, n).length > 0,
  );
  for (const n of affected) {
    const last = S.LastHotkeySwapOnNetuid.get(st, n, cold);
    if (last !== 0n && !(satU64(last + HOTKEY_SWAP_ON_SUBNET_INTERVAL) < block))
      return err('HotKeySwapOnSubnetIntervalNotPassed');
  }
  if (KEY_SWAP_COST > reducibleBalance(st, cold, false))
    return err('NotEnoughBalanceToPaySwapHotKey');
  const paid = recycleTao(ctx, cold, KEY_SWAP_COST);
  if (!paid.ok) return paid;

  const oldAlpha = alphaEntries(st, old);
  swapLocks(st, old, nw, netuids, block);
  S.Owner.remove(st, old);
  if (subnetOfAccount(nw) !== undefined) return err('CannotUseSystemAccount');
  S.Owner.set(st, nw, cold);
  ownHotkey(st, cold, nw, old);
  for (const n of netuids) swapOnSubnet(ctx, old, nw, n, keepStake);
  for (const kind of ['LastTxBlock', 'LastTxBlockDelegateTake', 'LastTxBlockChildKeyTake'] as const)
    S.LastRateLimitedBlock.remove(st, { type: kind, value: old });
  moveEntry(st, S.Delegates, (v) => S.Delegates.set(st, nw, v), old);
  if (!keepStake) {
    for (const { cold: c, zero } of oldAlpha) {
      if (zero) continue;
      const list = S.StakingHotkeys.get(st, c);
      if (!list.some((h) => bytesEqual(h, old))) continue;
      S.StakingHotkeys.set(st, c, [
        ...list.filter((h) => !bytesEqual(h, old) && !bytesEqual(h, nw)),
        nw,
      ]);
    }
  }
  for (const n of affected) S.LastHotkeySwapOnNetuid.set(st, n, cold, block);
  setAccountLastBlock(st, 'LastTxBlock', cold, block);
  emit(ctx, { type: 'HotkeySwapped', value: { coldkey: cold, old_hotkey: old, new_hotkey: nw } });
  return OK;
}

type SwapArgs = { hotkey: Uint8Array; new_hotkey: Uint8Array; netuid: number | undefined };

function handle(
  ctx: DispatchContext,
  origin: Origin,
  a: SwapArgs,
  keepStake: unknown,
): DispatchOutcome {
  assertAccount(a.hotkey, 'hotkey');
  assertAccount(a.new_hotkey, 'new_hotkey');
  if (a.netuid !== undefined) assertNetuid(a.netuid);
  if (typeof keepStake !== 'boolean') throw new TypeError('keep_stake: expected a boolean');
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const cold = origin.who;
  return atomically(ctx, (inner) => {
    try {
      return doSwapHotkey(inner, cold, a.hotkey, a.new_hotkey, a.netuid, keepStake);
    } catch (e) {
      if (e instanceof Abort) return fail(e.error);
      throw e;
    }
  });
}

type Call<T> = Extract<SubtensorCall, { type: T }>['value'];

handlers.SubtensorModule.swap_hotkey = (ctx, origin, call) =>
  handle(ctx, origin, call.value as Call<'swap_hotkey'>, false);
handlers.SubtensorModule.swap_hotkey_v2 = (ctx, origin, call) =>
  handle(ctx, origin, call.value as Call<'swap_hotkey_v2'>, call.value.keep_stake);
