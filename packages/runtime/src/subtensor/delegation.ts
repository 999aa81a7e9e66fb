/**
 * Delegate takes and child keys, as subtensor 14bc6f9f does them (pallets/subtensor/src/staking:
 * increase_take.rs, decrease_take.rs, set_children.rs; utils/misc.rs `do_take_checks`;
 * coinbase/block_step.rs `try_set_pending_children`).
 *
 * `set_children` schedules: the new children are kept in `PendingChildKeys` with a cooldown block
 * and applied by the block hook once the subnet's epoch has just run and the cooldown has passed
 * (immediately when the subnet has not started its subtoken yet).
 */
import type { ChildrenList, SubtensorCall } from '@taoscript/chain-types';
import { SubtensorStorage as S, type StateRW } from '@taoscript/chain-types';
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
import { assertNetuid, atomically, subtensorError } from './pool.js';
import {
  exceedsTxDelegateTakeRateLimit,
  getAccountLastBlock,
  passesRateLimitOnSubnet,
  setAccountLastBlock,
  setLastBlockOnSubnet,
} from './rate-limits.js';
import { coldkeyOwnsHotkey, hotkeyAccountExists } from './registration.js';
import { emit, insertRaw, totalStakeForHotkey } from './staking.js';
import { addedNetuids } from './subnets.js';

/** Most children a hotkey may have on one subnet. */
export const MAX_CHILDREN = 5;

const U64_MAX = (1n << 64n) - 1n;
const ROOT = 0;

type Call<T extends SubtensorCall['type']> = Extract<SubtensorCall, { type: T }>['value'];
type Edge = [bigint, Uint8Array];

const key = (a: Uint8Array): string => toHex(a);
const fault = (name: string): DispatchOutcome => fail(subtensorError(name));

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

// ---- takes --------------------------------------------------------------------------------------

/** `do_take_checks`: the hotkey exists and belongs to `coldkey`. */
function takeChecks(st: StateRW, coldkey: Uint8Array, hotkey: Uint8Array): DispatchOutcome {
  if (!hotkeyAccountExists(st, hotkey)) return fault('HotKeyAccountNotExists');
  if (!coldkeyOwnsHotkey(st, coldkey, hotkey)) return fault('NonAssociatedColdKey');
  return OK;
}

/** `do_increase_take`: strictly up, at most `MaxDelegateTake`, once per `TxDelegateTakeRateLimit`. */
function doIncreaseTake(
  ctx: DispatchContext,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
  take: number,
): DispatchOutcome {
  const st = ctx.state;
  const checked = takeChecks(st, coldkey, hotkey);
  if (!checked.ok) return checked;
  const current = S.Delegates.tryGet(st, hotkey);
  if (current !== undefined && take <= current) return fault('DelegateTakeTooLow');
  if (take > S.MaxDelegateTake.get(st)) return fault('DelegateTakeTooHigh');
  const block = BigInt(ctx.blockNumber);
  const last = getAccountLastBlock(st, 'LastTxBlockDelegateTake', hotkey);
  if (exceedsTxDelegateTakeRateLimit(st, last, block)) return fault('DelegateTxRateLimitExceeded');
  setAccountLastBlock(st, 'LastTxBlockDelegateTake', hotkey, block);
  insertRaw(st, S.Delegates, take, hotkey);
  emit(ctx, { type: 'TakeIncreased', value: [coldkey, hotkey, take] });
  return OK;
}

/** `do_decrease_take`: strictly down, at least `MinDelegateTake`; not rate limited but recorded. */
function doDecreaseTake(
  ctx: DispatchContext,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
  take: number,
): DispatchOutcome {
  const st = ctx.state;
  const checked = takeChecks(st, coldkey, hotkey);
  if (!checked.ok) return checked;
  const current = S.Delegates.tryGet(st, hotkey);
  if (current !== undefined && take >= current) return fault('DelegateTakeTooLow');
  if (take < S.MinDelegateTake.get(st)) return fault('DelegateTakeTooLow');
  insertRaw(st, S.Delegates, take, hotkey);
  setAccountLastBlock(st, 'LastTxBlockDelegateTake', hotkey, BigInt(ctx.blockNumber));
  emit(ctx, { type: 'TakeDecreased', value: [coldkey, hotkey, take] });
  return OK;
}

// ---- child keys ---------------------------------------------------------------------------------

/** A `BTreeMap<AccountId, u64>`: entries keyed by account, iterated in byte order. */
type EdgeMap = Map<string, Edge>;

function toMap(edges: readonly Edge[], pivot: Uint8Array): EdgeMap {
  const m: EdgeMap = new Map();
  for (const [p, who] of edges) if (!bytesEqual(who, pivot)) m.set(key(who), [p, who]);
  return m;
}

/** Edges of a map as `(proportion, account)` in account order (a BTreeMap's iteration). */
function sorted(m: EdgeMap): Edge[] {
  return [...m.keys()].sort().map((k) => m.get(k) as Edge);
}

/** `PCRelations` checks: no self loop, total ≤ u64::MAX, children and parents disjoint. */
function checkChildren(pivot: Uint8Array, children: EdgeMap, parents: EdgeMap): string | undefined {
  if (children.has(key(pivot))) return 'InvalidChild';
  let total = 0n;
  for (const [p] of children.values()) total += p;
  if (total > U64_MAX) return 'ProportionOverflow';
  for (const k of children.keys()) if (parents.has(k)) return 'ChildParentInconsistency';
  return undefined;
}

/** `load_child_parent_relations`: the stored children and parents (self edges dropped), checked. */
function loadRelations(
  st: StateRW,
  hotkey: Uint8Array,
  netuid: number,
): { ok: true; children: EdgeMap; parents: EdgeMap } | { ok: false; error: string } {
  const children = toMap(S.ChildKeys.get(st, hotkey, netuid), hotkey);
  const bad = checkChildren(hotkey, children, new Map());
  if (bad) return { ok: false, error: bad };
  const parents = toMap(S.ParentKeys.get(st, hotkey, netuid), hotkey);
  for (const k of children.keys())
    if (parents.has(k)) return { ok: false, error: 'ChildParentInconsistency' };
  return { ok: true, children, parents };
}

/** `ensure_pending_consistency`: self loop, count, total proportion, overlap with parents. */
function pendingConsistency(
  pivot: Uint8Array,
  pending: readonly Edge[],
  parents: EdgeMap,
): string | undefined {
  const m: EdgeMap = new Map();
  for (const [p, who] of pending) m.set(key(who), [p, who]);
  if (m.has(key(pivot))) return 'InvalidChild';
  if (m.size > MAX_CHILDREN) return 'TooManyChildren';
  let total = 0n;
  for (const [p] of m.values()) total += p;
  if (total > U64_MAX) return 'ProportionOverflow';
  for (const k of m.keys()) if (parents.has(k)) return 'ChildParentInconsistency';
  return undefined;
}

function setChildKeys(st: StateRW, parent: Uint8Array, netuid: number, edges: Edge[]): void {
  if (edges.length === 0) S.ChildKeys.remove(st, parent, netuid);
  else S.ChildKeys.set(st, parent, netuid, edges);
}

function setParentKeys(st: StateRW, child: Uint8Array, netuid: number, edges: Edge[]): void {
  if (edges.length === 0) S.ParentKeys.remove(st, child, netuid);
  else S.ParentKeys.set(st, child, netuid, edges);
}

/** `upsert_edge`: updates `id`'s proportion in place, or appends it. */
function upsertEdge(list: Edge[], proportion: bigint, id: Uint8Array): Edge[] {
  const i = list.findIndex(([, who]) => bytesEqual(who, id));
  if (i >= 0) return list.map((e, j) => (j === i ? [proportion, e[1]] : e));
  return [...list, [proportion, id]];
}

const removeEdge = (list: Edge[], id: Uint8Array): Edge[] =>
  list.filter(([, who]) => !bytesEqual(who, id));

/** `persist_child_parent_relations`: writes the pivot's children and parents and both back-links. */
function persistRelations(
  st: StateRW,
  pivot: Uint8Array,
  netuid: number,
  children: EdgeMap,
  parents: EdgeMap,
): void {
  const prevChildren = toMap(S.ChildKeys.get(st, pivot, netuid), new Uint8Array(0));
  setChildKeys(st, pivot, netuid, sorted(children));
  const added = [...children.keys()].filter((k) => !prevChildren.has(k)).sort();
  const common = [...children.keys()].filter((k) => prevChildren.has(k)).sort();
  const removed = [...prevChildren.keys()].filter((k) => !children.has(k)).sort();
  for (const k of [...added, ...common]) {
    const [p, child] = children.get(k) as Edge;
    setParentKeys(st, child, netuid, upsertEdge(S.ParentKeys.get(st, child, netuid), p, pivot));
  }
  for (const k of removed) {
    const [, child] = prevChildren.get(k) as Edge;
    setParentKeys(st, child, netuid, removeEdge(S.ParentKeys.get(st, child, netuid), pivot));
  }

  const prevParents = toMap(S.ParentKeys.get(st, pivot, netuid), new Uint8Array(0));
  setParentKeys(st, pivot, netuid, sorted(parents));
  const pAdded = [...parents.keys()].filter((k) => !prevParents.has(k)).sort();
  const pCommon = [...parents.keys()].filter((k) => prevParents.has(k)).sort();
  const pRemoved = [...prevParents.keys()].filter((k) => !parents.has(k)).sort();
  for (const k of [...pAdded, ...pCommon]) {
    const [p, parent] = parents.get(k) as Edge;
    setChildKeys(st, parent, netuid, upsertEdge(S.ChildKeys.get(st, parent, netuid), p, pivot));
  }
  for (const k of pRemoved) {
    const [, parent] = prevParents.get(k) as Edge;
    setChildKeys(st, parent, netuid, removeEdge(S.ChildKeys.get(st, parent, netuid), pivot));
  }
}

/**
 * `persist_pending_chidren_ok`: applies a pending child list if it is still consistent with the
 * hotkey's current parents (emitting `SetChildren`); an inconsistent list is dropped silently.
 */
function applyChildren(
  ctx: DispatchContext,
  hotkey: Uint8Array,
  netuid: number,
  children: Edge[],
): void {
  const st = ctx.state;
  const childMap = toMap(children, hotkey);
  const parents = toMap(S.ParentKeys.get(st, hotkey, netuid), hotkey);
  if (checkChildren(hotkey, childMap, parents)) return;
  persistRelations(st, hotkey, netuid, childMap, parents);
  emit(ctx, { type: 'SetChildren', value: [hotkey, netuid, children] });
}

/** `do_schedule_children` (the `set_children` call). */
function doScheduleChildren(
  ctx: DispatchContext,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
  netuid: number,
  children: ChildrenList,
): DispatchOutcome {
  const st = ctx.state;
  const block = BigInt(ctx.blockNumber);
  if (!passesRateLimitOnSubnet(st, 'SetChildren', hotkey, netuid, block))
    return fault('TxRateLimitExceeded');
  if (netuid === ROOT) return fault('RegistrationNotPermittedOnRootSubnet');
  if (!S.NetworksAdded.get(st, netuid)) return fault('SubnetNotExists');
  if (!coldkeyOwnsHotkey(st, coldkey, hotkey)) return fault('NonAssociatedColdKey');
  const seen = new Set<string>();
  for (const [, child] of children) {
    if (seen.has(key(child))) return fault('DuplicateChild');
    seen.add(key(child));
  }
  const rel = loadRelations(st, hotkey, netuid);
  if (!rel.ok) return fault(rel.error);
  const bad = pendingConsistency(hotkey, children, rel.parents);
  if (bad) return fault(bad);
  const ownerHotkey = S.SubnetOwnerHotkey.tryGet(st, netuid);
  if (
    children.length !== 0 &&
    totalStakeForHotkey(st, hotkey) < S.StakeThreshold.get(st) &&
    !(ownerHotkey !== undefined && bytesEqual(ownerHotkey, hotkey))
  )
    return fault('NotEnoughStakeToSetChildkeys');
  setLastBlockOnSubnet(st, 'SetChildren', hotkey, netuid, block);
  if (!S.SubtokenEnabled.get(st, netuid)) {
    applyChildren(ctx, hotkey, netuid, children);
    return OK;
  }
  const cooldown = block + S.PendingChildKeyCooldown.get(st);
  const cooldownBlock = cooldown > U64_MAX ? U64_MAX : cooldown;
  insertRaw(st, S.PendingChildKeys, [children, cooldownBlock], netuid, hotkey);
  emit(ctx, { type: 'SetChildrenScheduled', value: [hotkey, netuid, cooldownBlock, children] });
  return OK;
}

/**
 * `do_set_pending_children`: applies each of the subnet's pending child lists whose cooldown block
 * is behind the current block (all of them while the subtoken is not enabled).
 * @example
 * import { applyPendingChildren } from './delegation.js';
 * // applyPendingChildren(ctx, 1)
 */
export function applyPendingChildren(ctx: DispatchContext, netuid: number): void {
  assertNetuid(netuid);
  const st = ctx.state;
  const block = BigInt(ctx.blockNumber);
  const started = S.SubtokenEnabled.get(st, netuid);
  const done: Uint8Array[] = [];
  for (const k of st.keys(S.PendingChildKeys.partialKey(netuid))) {
    const [, hotkey] = S.PendingChildKeys.decodeKey(k);
    const [children, cooldownBlock] = S.PendingChildKeys.get(st, netuid, hotkey);
    if (cooldownBlock < block || !started) {
      applyChildren(ctx, hotkey, netuid, children);
      done.push(hotkey);
    }
  }
  for (const hotkey of done) S.PendingChildKeys.remove(st, netuid, hotkey);
}

/**
 * `try_set_pending_children`: the block hook. For every subnet whose epoch ran in this block
 * (`LastEpochBlock == now`) the due pending children are applied. It must run after the coinbase
 * (which advances `LastEpochBlock`) in the same block.
 * @example
 * import { setPendingChildrenForBlock } from './delegation.js';
 * // setPendingChildrenForBlock(ctx)
 */
export function setPendingChildrenForBlock(ctx: DispatchContext): void {
  const st = ctx.state as Overlay;
  const block = BigInt(ctx.blockNumber);
  for (const netuid of addedNetuids(st))
    if (S.LastEpochBlock.get(st, netuid) === block) applyPendingChildren(ctx, netuid);
}

/** `do_set_childkey_take`: within [effective min, `MaxChildkeyTake`]; increases are rate limited. */
function doSetChildkeyTake(
  ctx: DispatchContext,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
  netuid: number,
  take: number,
): DispatchOutcome {
  const st = ctx.state;
  if (!coldkeyOwnsHotkey(st, coldkey, hotkey)) return fault('NonAssociatedColdKey');
  const minTake = Math.max(S.MinChildkeyTake.get(st), S.MinChildkeyTakePerSubnet.get(st, netuid));
  if (take < minTake || take > S.MaxChildkeyTake.get(st)) return fault('InvalidChildkeyTake');
  const block = BigInt(ctx.blockNumber);
  const current = Math.max(S.ChildkeyTake.get(st, hotkey, netuid), minTake);
  if (take > current && !passesRateLimitOnSubnet(st, 'SetChildkeyTake', hotkey, netuid, block))
    return fault('TxChildkeyTakeRateLimitExceeded');
  setLastBlockOnSubnet(st, 'SetChildkeyTake', hotkey, netuid, block);
  insertRaw(st, S.ChildkeyTake, take, hotkey, netuid);
  emit(ctx, { type: 'ChildKeyTakeSet', value: [hotkey, take] });
  return OK;
}

/**
 * The child-key take a hotkey charges on a subnet (`get_childkey_take`): its stored take, at
 * least the effective minimum.
 * @example
 * import { childkeyTake } from './delegation.js';
 * // childkeyTake(ctx.state, hotkey, 1)
 */
export function childkeyTake(st: StateRW, hotkey: Uint8Array, netuid: number): number {
  assertAccount(hotkey, 'hotkey');
  assertNetuid(netuid);
  const minTake = Math.max(S.MinChildkeyTake.get(st), S.MinChildkeyTakePerSubnet.get(st, netuid));
  return Math.max(S.ChildkeyTake.get(st, hotkey, netuid), minTake);
}

// ---- registration -------------------------------------------------------------------------------

function register<T extends SubtensorCall['type']>(
  name: T,
  body: (ctx: DispatchContext, who: Uint8Array, args: Call<T>) => DispatchOutcome,
): void {
  (handlers.SubtensorModule as Record<string, unknown>)[name] = (
    ctx: DispatchContext,
    origin: Origin,
    call: { value: Call<T> },
  ): DispatchOutcome => {
    if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
    const who = origin.who;
    return atomically(ctx, (inner) => body(inner, who, call.value));
  };
}

register('increase_take', (ctx, cold, a) => doIncreaseTake(ctx, cold, a.hotkey, a.take));
register('decrease_take', (ctx, cold, a) => doDecreaseTake(ctx, cold, a.hotkey, a.take));
register('set_children', (ctx, cold, a) =>
  doScheduleChildren(ctx, cold, a.hotkey, a.netuid, a.children),
);
register('set_childkey_take', (ctx, cold, a) =>
  doSetChildkeyTake(ctx, cold, a.hotkey, a.netuid, a.take),
);
