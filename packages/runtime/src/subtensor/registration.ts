/**
 * Neuron registration, bit-exact to subtensor 14bc6f9f: `burned_register` / `register` /
 * `register_limit` (subnets/registration.rs `do_register`), `root_register` (coinbase/root.rs),
 * uid append/replace and pruning (subnets/uids.rs, `get_neuron_to_prune`), hotkey ownership
 * (staking/helpers.rs) and the per-block burn decay and counter resets of `block_step`
 * (`update_registration_prices_for_networks`).
 */
import { SubtensorStorage as S, type StateGet } from '@taoscript/chain-types';
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
import { bumpBurnAfterRegistration, decayBurn } from './math/registration.js';
import {
  assertNetuid,
  assertU64,
  atomically,
  reducibleBalance,
  subnetOfAccount,
  subtensorError,
  swapTaoForAlpha,
  transferTaoToSubnet,
} from './pool.js';
import { shouldRunEpoch } from './rate-limits.js';

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
/** `GLOBAL_MAX_SUBNET_COUNT`: mechanism storage indices are `mecid · 4096 + netuid`. */
export const GLOBAL_MAX_SUBNET_COUNT = 4096;
/** The take root registration gives a hotkey that is not yet a delegate (18%). */
export const ROOT_DELEGATE_TAKE = 11_796;

const err = (name: string): DispatchOutcome => fail(subtensorError(name));
const contains = (list: Uint8Array[], who: Uint8Array): boolean =>
  list.some((k) => bytesEqual(k, who));

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

// ---- hotkey ownership ---------------------------------------------------------------------------

/** `hotkey_account_exists`: the hotkey has an owning coldkey. */
export function hotkeyAccountExists(state: StateGet, hotkey: Uint8Array): boolean {
  return S.Owner.tryGet(state, hotkey) !== undefined;
}

/** `coldkey_owns_hotkey`. */
export function coldkeyOwnsHotkey(
  state: StateGet,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
): boolean {
  const owner = S.Owner.tryGet(state, hotkey);
  return owner !== undefined && bytesEqual(owner, coldkey);
}

/**
 * `create_account_if_non_existent`: claims an unowned hotkey for `coldkey` (`Owner`,
 * `OwnedHotkeys`, `StakingHotkeys`); subnet accounts are refused with `CannotUseSystemAccount`.
 */
export function createAccountIfNonExistent(
  state: Overlay,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
): DispatchOutcome {
  if (subnetOfAccount(hotkey) !== undefined) return err('CannotUseSystemAccount');
  if (hotkeyAccountExists(state, hotkey)) return OK;
  S.Owner.set(state, hotkey, coldkey);
  const owned = S.OwnedHotkeys.get(state, coldkey);
  if (!contains(owned, hotkey)) S.OwnedHotkeys.set(state, coldkey, [...owned, hotkey]);
  const staking = S.StakingHotkeys.get(state, coldkey);
  if (!contains(staking, hotkey)) S.StakingHotkeys.set(state, coldkey, [...staking, hotkey]);
  return OK;
}

// ---- uids ---------------------------------------------------------------------------------------

/** `get_mechanism_storage_index`: `mecid · 4096 + netuid` (saturating in u16). */
export function mechanismStorageIndex(netuid: number, mecid: number): number {
  return Math.min(mecid * GLOBAL_MAX_SUBNET_COUNT + netuid, 0xffff);
}

function mechanismIndices(state: StateGet, netuid: number): number[] {
  const count = S.MechanismCountCurrent.get(state, netuid);
  const out: number[] = [];
  for (let m = 0; m < count; m++) out.push(mechanismStorageIndex(netuid, m));
  return out;
}

/** `set_last_update_for_uid` (the vector is first padded with zeros to `SubnetworkN`). */
function setLastUpdateForUid(state: Overlay, index: number, uid: number, block: bigint): void {
  const n = S.SubnetworkN.get(state, index % GLOBAL_MAX_SUBNET_COUNT);
  const v = S.LastUpdate.get(state, index);
  while (v.length < n) v.push(0n);
  if (uid >= v.length) return;
  v[uid] = block;
  S.LastUpdate.set(state, index, v);
}

function setAt<T>(v: T[], i: number, value: T): T[] {
  if (i < v.length) v[i] = value;
  return v;
}

/** `append_neuron`: the hotkey takes uid `SubnetworkN`, and every per-uid vector grows by one. */
export function appendNeuron(
  state: Overlay,
  netuid: number,
  hotkey: Uint8Array,
  block: bigint,
): number {
  const uid = S.SubnetworkN.get(state, netuid);
  S.SubnetworkN.set(state, netuid, uid + 1);
  S.Active.set(state, netuid, [...S.Active.get(state, netuid), true]);
  S.Emission.set(state, netuid, [...S.Emission.get(state, netuid), 0n]);
  S.Consensus.set(state, netuid, [...S.Consensus.get(state, netuid), 0]);
  for (const idx of mechanismIndices(state, netuid)) {
    S.Incentive.set(state, idx, [...S.Incentive.get(state, idx), 0]);
    setLastUpdateForUid(state, idx, uid, block);
  }
  S.Dividends.set(state, netuid, [...S.Dividends.get(state, netuid), 0]);
  S.ValidatorTrust.set(state, netuid, [...S.ValidatorTrust.get(state, netuid), 0]);
  S.ValidatorPermit.set(state, netuid, [...S.ValidatorPermit.get(state, netuid), false]);
  S.Keys.set(state, netuid, uid, hotkey);
  S.Uids.set(state, netuid, hotkey, uid);
  S.BlockAtRegistration.set(state, netuid, uid, block);
  S.IsNetworkMember.set(state, hotkey, netuid, true);
  return uid;
}

/** `clear_neuron`: zeroes the uid's entries and the weights and bonds set by or for it. */
function clearNeuron(state: Overlay, netuid: number, uid: number): void {
  S.Emission.set(state, netuid, setAt(S.Emission.get(state, netuid), uid, 0n));
  S.Consensus.set(state, netuid, setAt(S.Consensus.get(state, netuid), uid, 0));
  for (const idx of mechanismIndices(state, netuid)) {
    S.Incentive.set(state, idx, setAt(S.Incentive.get(state, idx), uid, 0));
    S.Bonds.remove(state, idx, uid);
    S.Weights.remove(state, idx, uid);
    for (const key of state.keys(S.Weights.partialKey(idx))) {
      const [, row] = S.Weights.decodeKey(key);
      const weights = S.Weights.get(state, idx, row);
      S.Weights.set(
        state,
        idx,
        row,
        weights.map(([target, w]) => [target, target === uid ? 0 : w] as [number, number]),
      );
    }
  }
  S.Dividends.set(state, netuid, setAt(S.Dividends.get(state, netuid), uid, 0));
  S.StakeWeight.set(state, netuid, setAt(S.StakeWeight.get(state, netuid), uid, 0));
  S.ValidatorTrust.set(state, netuid, setAt(S.ValidatorTrust.get(state, netuid), uid, 0));
  S.ValidatorPermit.set(state, netuid, setAt(S.ValidatorPermit.get(state, netuid), uid, false));
}

/**
 * `replace_neuron`: a new hotkey takes `uid`; the old one loses its membership, axon, certificate
 * and Prometheus entries. The subnet owner's hotkey is never replaced (silently kept).
 */
export function replaceNeuron(
  state: Overlay,
  netuid: number,
  uid: number,
  hotkey: Uint8Array,
  block: bigint,
): void {
  const old = S.Keys.get(state, netuid, uid);
  const ownerHotkey = S.SubnetOwnerHotkey.tryGet(state, netuid);
  if (ownerHotkey !== undefined && bytesEqual(ownerHotkey, old)) return;
  S.Uids.remove(state, netuid, old);
  S.AssociatedEvmAddress.remove(state, netuid, uid);
  S.IsNetworkMember.remove(state, old, netuid);
  S.Keys.remove(state, netuid, uid);
  S.Active.set(state, netuid, setAt(S.Active.get(state, netuid), uid, true));
  S.Keys.set(state, netuid, uid, hotkey);
  S.Uids.set(state, netuid, hotkey, uid);
  S.BlockAtRegistration.set(state, netuid, uid, block);
  S.IsNetworkMember.set(state, hotkey, netuid, true);
  S.Axons.remove(state, netuid, old);
  S.NeuronCertificates.remove(state, netuid, old);
  S.Prometheus.remove(state, netuid, old);
  clearNeuron(state, netuid, uid);
  for (const idx of mechanismIndices(state, netuid)) setLastUpdateForUid(state, idx, uid, block);
}

/** `get_neuron_is_immune`: registered less than `ImmunityPeriod` blocks ago. */
export function neuronIsImmune(state: StateGet, netuid: number, uid: number, now: bigint): boolean {
  const at = S.BlockAtRegistration.get(state, netuid, uid);
  const since = now > at ? now - at : 0n;
  return since < BigInt(S.ImmunityPeriod.get(state, netuid));
}

/**
 * `get_immune_owner_tuples`: the owner coldkey's registered hotkeys, oldest registration (then
 * lowest uid) first, cut to `ImmuneOwnerUidsLimit`; the subnet owner hotkey is put in front if
 * missing and the list cut again, so it never exceeds the limit.
 */
export function immuneOwnerUids(
  state: StateGet,
  netuid: number,
  coldkey: Uint8Array,
): [number, Uint8Array][] {
  const triples: [bigint, number, Uint8Array][] = [];
  for (const hk of S.OwnedHotkeys.get(state, coldkey)) {
    const uid = S.Uids.tryGet(state, netuid, hk);
    if (uid !== undefined) triples.push([S.BlockAtRegistration.get(state, netuid, uid), uid, hk]);
  }
  triples.sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] - b[1]));
  const limit = S.ImmuneOwnerUidsLimit.get(state, netuid);
  const tuples: [number, Uint8Array][] = triples.slice(0, limit).map(([, u, h]) => [u, h]);
  const ownerHk = S.SubnetOwnerHotkey.tryGet(state, netuid);
  if (ownerHk !== undefined) {
    const ownerUid = S.Uids.tryGet(state, netuid, ownerHk);
    if (
      ownerUid !== undefined &&
      !tuples.some(([u, h]) => u === ownerUid && bytesEqual(h, ownerHk))
    ) {
      tuples.unshift([ownerUid, ownerHk]);
      if (tuples.length > limit) tuples.length = limit;
    }
  }
  return tuples;
}

/**
 * `get_neuron_to_prune`: skipping the owner's immune hotkeys, the lowest `Emission` (ties: earlier
 * registration, then lower uid); a non-immune uid is taken only while more than
 * `MinNonImmuneUids` of them remain, otherwise the best immune one.
 */
export function getNeuronToPrune(state: StateGet, netuid: number, now: bigint): number | undefined {
  const n = S.SubnetworkN.get(state, netuid);
  if (n === 0) return undefined;
  const immortal = immuneOwnerUids(state, netuid, S.SubnetOwner.get(state, netuid)).map(
    ([, h]) => h,
  );
  const emissions = S.Emission.get(state, netuid);
  type Candidate = { e: bigint; b: bigint; u: number };
  let freeCount = 0;
  let bestFree: Candidate | undefined;
  let bestImmune: Candidate | undefined;
  const better = (c: Candidate, best: Candidate | undefined): boolean =>
    best === undefined ||
    (c.e !== best.e ? c.e < best.e : c.b !== best.b ? c.b < best.b : c.u < best.u);
  for (let uid = 0; uid < n; uid++) {
    const hk = S.Keys.tryGet(state, netuid, uid);
    if (hk === undefined || contains(immortal, hk)) continue;
    const c = {
      e: emissions[uid] ?? 0n,
      b: S.BlockAtRegistration.get(state, netuid, uid),
      u: uid,
    };
    if (neuronIsImmune(state, netuid, uid, now)) {
      if (better(c, bestImmune)) bestImmune = c;
    } else {
      freeCount++;
      if (better(c, bestFree)) bestFree = c;
    }
  }
  if (bestFree === undefined && bestImmune === undefined) return undefined;
  if (freeCount > S.MinNonImmuneUids.get(state, netuid) && bestFree) return bestFree.u;
  return bestImmune?.u;
}

/** `register_neuron`: appends while below `MaxAllowedUids`, else replaces the uid to prune. */
function registerNeuron(
  state: Overlay,
  netuid: number,
  hotkey: Uint8Array,
  now: bigint,
): { ok: true; uid: number } | { ok: false; error: DispatchOutcome } {
  if (S.SubnetworkN.get(state, netuid) < S.MaxAllowedUids.get(state, netuid))
    return { ok: true, uid: appendNeuron(state, netuid, hotkey, now) };
  const uid = getNeuronToPrune(state, netuid, now);
  if (uid === undefined) return { ok: false, error: err('NoNeuronIdAvailable') };
  replaceNeuron(state, netuid, uid, hotkey, now);
  return { ok: true, uid };
}

// ---- registration -------------------------------------------------------------------------------

function addSaturatingI64(a: bigint, b: bigint): bigint {
  const s = a + BigInt.asIntN(64, b);
  return s < I64_MIN ? I64_MIN : s > I64_MAX ? I64_MAX : s;
}

/**
 * `do_register` (burned_register, register, register_limit): pays `Burn[netuid]` into the subnet
 * pool (its alpha recycled) and gives `hotkey` a uid.
 */
export function doRegister(
  ctx: DispatchContext,
  coldkey: Uint8Array,
  netuid: number,
  hotkey: Uint8Array,
): DispatchOutcome {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  if (netuid === 0) return err('RegistrationNotPermittedOnRootSubnet');
  if (!S.NetworksAdded.get(st, netuid)) return err('SubnetNotExists');
  if (!S.NetworkRegistrationAllowed.get(st, netuid)) return err('SubNetRegistrationDisabled');
  if (S.Uids.tryGet(st, netuid, hotkey) !== undefined)
    return err('HotKeyAlreadyRegisteredInSubNet');
  const cost = S.Burn.get(st, netuid);
  if (cost > reducibleBalance(st, coldkey, false)) return err('NotEnoughBalanceToStake');
  const created = createAccountIfNonExistent(st, coldkey, hotkey);
  if (!created.ok) return created;
  if (!coldkeyOwnsHotkey(st, coldkey, hotkey)) return err('NonAssociatedColdKey');
  const max = S.MaxAllowedUids.get(st, netuid);
  if (max === 0) return err('NoNeuronIdAvailable');
  if (S.SubnetworkN.get(st, netuid) >= max && getNeuronToPrune(st, netuid, now) === undefined)
    return err('NoNeuronIdAvailable');

  // Pay: the TAO enters the pool, the alpha it buys is taken out of circulation.
  const paid = transferTaoToSubnet(ctx, netuid, coldkey, cost);
  if (!paid.ok) return fail(paid.error);
  const bought = swapTaoForAlpha(ctx, netuid, paid.amount, { keepFee: true });
  if (!bought.ok) return fail(bought.error);
  const out = S.SubnetAlphaOut.get(st, netuid);
  S.SubnetAlphaOut.set(st, netuid, out > bought.alphaOut ? out - bought.alphaOut : 0n);

  const reg = registerNeuron(st, netuid, hotkey, now);
  if (!reg.ok) return reg.error;

  S.Burn.set(
    st,
    netuid,
    bumpBurnAfterRegistration({
      burn: S.Burn.get(st, netuid),
      minBurn: S.MinBurn.get(st, netuid),
      maxBurn: S.MaxBurn.get(st, netuid),
      increaseMult: S.BurnIncreaseMult.get(st, netuid),
      isRoot: false,
    }),
  );
  S.RegistrationsThisBlock.set(
    st,
    netuid,
    Math.min(S.RegistrationsThisBlock.get(st, netuid) + 1, 0xffff),
  );
  const recycled = S.RAORecycledForRegistration.get(st, netuid) + cost;
  const total = recycled > U64_MAX ? U64_MAX : recycled;
  S.RAORecycledForRegistration.set(st, netuid, total);
  ctx.deposit({
    type: 'SubtensorModule',
    value: { type: 'RAORecycledForRegistrationSet', value: [netuid, total] },
  });
  S.SubnetTaoFlow.set(st, netuid, addSaturatingI64(S.SubnetTaoFlow.get(st, netuid), paid.amount));
  ctx.deposit({
    type: 'SubtensorModule',
    value: { type: 'NeuronRegistered', value: [netuid, reg.uid, hotkey] },
  });
  return OK;
}

/**
 * `do_root_register`: a hotkey joins root (netuid 0), replacing the lowest-stake root uid when
 * root is full (the newcomer must hold strictly more root stake), and becomes a delegate.
 */
export function doRootRegister(
  ctx: DispatchContext,
  origin: Origin,
  hotkey: Uint8Array,
): DispatchOutcome {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  if (!S.NetworksAdded.get(st, 0)) return err('RootNetworkDoesNotExist');
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const coldkey = origin.who;
  if (S.RegistrationsThisBlock.get(st, 0) >= S.MaxRegistrationsPerBlock.get(st, 0))
    return err('TooManyRegistrationsThisBlock');
  const target = Math.min(S.TargetRegistrationsPerInterval.get(st, 0) * 3, 0xffff);
  if (S.RegistrationsThisInterval.get(st, 0) >= target)
    return err('TooManyRegistrationsThisInterval');
  if (S.Uids.tryGet(st, 0, hotkey) !== undefined) return err('HotKeyAlreadyRegisteredInSubNet');
  const created = createAccountIfNonExistent(st, coldkey, hotkey);
  if (!created.ok) return created;

  let uid: number;
  const n = S.SubnetworkN.get(st, 0);
  if (n < S.MaxAllowedUids.get(st, 0)) {
    uid = appendNeuron(st, 0, hotkey, now);
  } else {
    let lowest = U64_MAX;
    let lowestUid = 0;
    for (const key of st.keys(S.Keys.partialKey(0))) {
      const [, u] = S.Keys.decodeKey(key);
      const stake = S.TotalHotkeyAlpha.get(st, S.Keys.get(st, 0, u), 0);
      if (stake < lowest) {
        lowest = stake;
        lowestUid = u;
      }
    }
    if (S.Keys.tryGet(st, 0, lowestUid) === undefined) return err('HotKeyNotRegisteredInSubNet');
    if (!(lowest < S.TotalHotkeyAlpha.get(st, hotkey, 0))) return err('StakeTooLowForRoot');
    replaceNeuron(st, 0, lowestUid, hotkey, now);
    uid = lowestUid;
  }
  // `Delegates` is a ValueQuery whose default equals this take: write the entry itself so the
  // hotkey counts as a delegate (`contains_key`).
  if (S.Delegates.tryGet(st, hotkey) === undefined)
    st.set(S.Delegates.key(hotkey), S.Delegates.value.enc(ROOT_DELEGATE_TAKE));
  S.RegistrationsThisInterval.set(
    st,
    0,
    Math.min(S.RegistrationsThisInterval.get(st, 0) + 1, 0xffff),
  );
  S.RegistrationsThisBlock.set(st, 0, Math.min(S.RegistrationsThisBlock.get(st, 0) + 1, 0xffff));
  ctx.deposit({
    type: 'SubtensorModule',
    value: { type: 'NeuronRegistered', value: [0, uid, hotkey] },
  });
  return OK;
}

// ---- per-block ----------------------------------------------------------------------------------

/**
 * `update_registration_prices_for_networks` (first step of `block_step`): every subnet's burn
 * decays by its half-life and is clamped to [MinBurn, MaxBurn]; per-block registration counters
 * reset; root's interval counter resets when root's epoch is due.
 */
export function updateRegistrationPrices(ctx: DispatchContext): void {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  for (const key of st.keys(S.NetworksAdded.partialKey())) {
    const [netuid] = S.NetworksAdded.decodeKey(key);
    const burn = S.Burn.get(st, netuid);
    const next = decayBurn({
      burn,
      minBurn: S.MinBurn.get(st, netuid),
      maxBurn: S.MaxBurn.get(st, netuid),
      halfLife: S.BurnHalfLife.get(st, netuid),
      currentBlock: now,
    });
    if (next !== burn) S.Burn.set(st, netuid, next);
    S.RegistrationsThisBlock.set(st, netuid, 0);
    if (netuid === 0 && shouldRunEpoch(st, 0, now)) S.RegistrationsThisInterval.set(st, 0, 0);
  }
}

// ---- call handlers ------------------------------------------------------------------------------

function signedCall(
  origin: Origin,
  netuid: number,
  hotkey: Uint8Array,
): { ok: true; who: Uint8Array } | { ok: false; out: DispatchOutcome } {
  assertNetuid(netuid);
  assertAccount(hotkey, 'hotkey');
  if (origin.type !== 'Signed') return { ok: false, out: fail(BAD_ORIGIN) };
  return { ok: true, who: origin.who };
}

handlers.SubtensorModule.burned_register = (ctx, origin, call) => {
  const { netuid, hotkey } = call.value;
  const s = signedCall(origin, netuid, hotkey);
  if (!s.ok) return s.out;
  return atomically(ctx, (c) => doRegister(c, s.who, netuid, hotkey));
};

handlers.SubtensorModule.register = (ctx, origin, call) => {
  // Proof-of-work registration is gone: the work arguments are ignored and the burn is paid.
  const { netuid, hotkey } = call.value;
  assertAccount(call.value.coldkey, 'coldkey');
  const s = signedCall(origin, netuid, hotkey);
  if (!s.ok) return s.out;
  return atomically(ctx, (c) => doRegister(c, s.who, netuid, hotkey));
};

handlers.SubtensorModule.register_limit = (ctx, origin, call) => {
  const { netuid, hotkey, limit_price } = call.value;
  assertU64(limit_price, 'limit_price');
  const s = signedCall(origin, netuid, hotkey);
  if (!s.ok) return s.out;
  if (netuid === 0) return err('RegistrationNotPermittedOnRootSubnet');
  if (!S.NetworksAdded.get(ctx.state, netuid)) return err('SubnetNotExists');
  if (S.Burn.get(ctx.state, netuid) > limit_price) return err('RegistrationPriceLimitExceeded');
  return atomically(ctx, (c) => doRegister(c, s.who, netuid, hotkey));
};

handlers.SubtensorModule.root_register = (ctx, origin, call) => {
  assertAccount(call.value.hotkey, 'hotkey');
  return atomically(ctx, (c) => doRootRegister(c, origin, call.value.hotkey));
};
