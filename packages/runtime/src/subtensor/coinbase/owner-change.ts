/**
 * The conviction-based owner change that `drain_pending` runs for every subnet whose epoch slot
 * is taken, as subtensor 14bc6f9f does it (staking/lock.rs `change_subnet_owner_if_needed`,
 * `get_total_conviction`, `subnet_king`).
 */
import { SubtensorStorage as S, type LockState as StoredLock } from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import type { DispatchContext } from '../../dispatch.js';
import type { Overlay } from '../../state.js';
import { type LockState, ONE_YEAR, rollForwardLock } from '../math/lock.js';
import { appendNeuron, getNeuronToPrune, replaceNeuron } from '../registration.js';
import { emit } from '../staking.js';

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const satU64 = (v: bigint): bigint => (v > U64_MAX ? U64_MAX : v);
const satU128 = (v: bigint): bigint => (v > U128_MAX ? U128_MAX : v);

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

/** A stored lock rolled to `now` with the chain's rates. */
function rolled(
  st: Overlay,
  lock: StoredLock | LockState,
  now: bigint,
  ownerLock: boolean,
  perpetualLock: boolean,
): LockState {
  const l = 'locked_mass' in lock ? fromStored(lock) : lock;
  return rollForwardLock(l, now, {
    unlockRate: S.UnlockRate.get(st),
    maturityRate: S.MaturityRate.get(st),
    ownerLock,
    perpetualLock,
  }).lock;
}

/** Every hotkey bucket of the subnet rolled to `now`: `[hotkey, conviction]` in key order. */
function hotkeyBuckets(st: Overlay, netuid: number, now: bigint): [Uint8Array, bigint][] {
  const out: [Uint8Array, bigint][] = [];
  for (const [item, perpetual] of [
    [S.HotkeyLock, true],
    [S.DecayingHotkeyLock, false],
  ] as const)
    for (const k of st.keys(item.partialKey(netuid))) {
      const [, hotkey] = item.decodeKey(k);
      const lock = item.value.dec(st.get(k) as Uint8Array);
      out.push([hotkey, rolled(st, lock, now, false, perpetual).conviction]);
    }
  return out;
}

/** The owner buckets rolled to `now` (perpetual, then decaying). */
function ownerBuckets(st: Overlay, netuid: number, now: bigint): bigint[] {
  const out: bigint[] = [];
  const owner = S.OwnerLock.tryGet(st, netuid);
  if (owner) out.push(rolled(st, owner, now, true, true).conviction);
  const decaying = S.DecayingOwnerLock.tryGet(st, netuid);
  if (decaying) out.push(rolled(st, decaying, now, true, false).conviction);
  return out;
}

/**
 * `get_total_conviction`: all hotkey and owner buckets rolled to `now` (U64F64, saturating).
 * @example
 * import { totalConviction } from './coinbase/owner-change.js';
 * // totalConviction(ctx.state, 1, 100n) >> 64n
 */
export function totalConviction(st: Overlay, netuid: number, now: bigint): bigint {
  let total = 0n;
  for (const [, c] of hotkeyBuckets(st, netuid, now)) total = satU128(total + c);
  for (const c of ownerBuckets(st, netuid, now)) total = satU128(total + c);
  return total;
}

/**
 * `subnet_king`: the hotkey with the most rolled conviction (ties: the greatest account id).
 * @example
 * import { subnetKing } from './coinbase/owner-change.js';
 * // subnetKing(ctx.state, 1, 100n) // a hotkey or undefined
 */
export function subnetKing(st: Overlay, netuid: number, now: bigint): Uint8Array | undefined {
  const scores = new Map<string, [Uint8Array, bigint]>();
  const add = (hotkey: Uint8Array, c: bigint) => {
    const id = hotkey.join(',');
    scores.set(id, [hotkey, satU128((scores.get(id)?.[1] ?? 0n) + c)]);
  };
  for (const [hotkey, c] of hotkeyBuckets(st, netuid, now)) add(hotkey, c);
  const ownerHotkey = S.SubnetOwnerHotkey.get(st, netuid);
  for (const c of ownerBuckets(st, netuid, now)) add(ownerHotkey, c);
  let best: [Uint8Array, bigint] | undefined;
  for (const entry of [...scores.values()].sort((a, b) => compareBytes(a[0], b[0])))
    if (!best || entry[1] >= best[1]) best = entry;
  return best?.[0];
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++)
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

const merged = (a: LockState, b: LockState, now: bigint): LockState => ({
  lockedMass: satU64(a.lockedMass + b.lockedMass),
  conviction: satU128(a.conviction + b.conviction),
  lastUpdate: now,
});
const keep = (l: LockState): boolean => l.lockedMass !== 0n || l.conviction > 0n;
const empty = (now: bigint): LockState => ({ lockedMass: 0n, conviction: 0n, lastUpdate: now });

/** `register_neuron`: append while below `MaxAllowedUids`, else replace the uid to prune. */
function registerNeuron(st: Overlay, netuid: number, hotkey: Uint8Array, now: bigint): boolean {
  if (S.SubnetworkN.get(st, netuid) < S.MaxAllowedUids.get(st, netuid)) {
    appendNeuron(st, netuid, hotkey, now);
    return true;
  }
  const uid = getNeuronToPrune(st, netuid, now);
  if (uid === undefined) return false;
  replaceNeuron(st, netuid, uid, hotkey, now);
  return true;
}

/**
 * `change_subnet_owner_if_needed`: on a subnet at least `ONE_YEAR` old whose total rolled
 * conviction is at least 10% of `SubnetAlphaOut`, ownership passes to the most convicted hotkey
 * and its coldkey (registered as a neuron if needed); the old owner's buckets become ordinary
 * hotkey buckets and the king's become the owner buckets. Emits `SubnetOwnerChanged`.
 * @example
 * import { changeSubnetOwnerIfNeeded } from './coinbase/owner-change.js';
 * // changeSubnetOwnerIfNeeded(ctx, 1)
 */
export function changeSubnetOwnerIfNeeded(ctx: DispatchContext, netuid: number): void {
  const st = ctx.state;
  const alphaOut = S.SubnetAlphaOut.get(st, netuid);
  if (alphaOut === 0n) return;
  const now = BigInt(ctx.blockNumber);
  if (now < satU64(S.NetworkRegisteredAt.get(st, netuid) + ONE_YEAR)) return;
  if (satU128(totalConviction(st, netuid, now) * 10n) < alphaOut << 64n) return;
  const king = subnetKing(st, netuid, now);
  if (!king) return;
  const newColdkey = S.Owner.get(st, king);
  if (newColdkey.every((b) => b === 0)) return;
  const oldColdkey = S.SubnetOwner.get(st, netuid);
  if (bytesEqual(newColdkey, oldColdkey)) return;
  const oldHotkey = S.SubnetOwnerHotkey.get(st, netuid);
  if (S.Uids.tryGet(st, netuid, king) === undefined && !registerNeuron(st, netuid, king, now))
    return;

  const ownerLock = S.OwnerLock.tryGet(st, netuid);
  if (ownerLock) {
    S.OwnerLock.remove(st, netuid);
    const moved = rolled(st, ownerLock, now, true, true);
    const cur = S.HotkeyLock.tryGet(st, netuid, oldHotkey);
    const l = merged(cur ? rolled(st, cur, now, false, true) : empty(now), moved, now);
    if (keep(l)) S.HotkeyLock.set(st, netuid, oldHotkey, toStored(l));
    else S.HotkeyLock.remove(st, netuid, oldHotkey);
  }
  const decayingOwner = S.DecayingOwnerLock.tryGet(st, netuid);
  if (decayingOwner) {
    S.DecayingOwnerLock.remove(st, netuid);
    const moved = rolled(st, decayingOwner, now, true, false);
    const cur = S.DecayingHotkeyLock.tryGet(st, netuid, oldHotkey);
    const l = merged(cur ? rolled(st, cur, now, false, false) : empty(now), moved, now);
    if (keep(l)) S.DecayingHotkeyLock.set(st, netuid, oldHotkey, toStored(l));
    else S.DecayingHotkeyLock.remove(st, netuid, oldHotkey);
  }
  const kingLock = S.HotkeyLock.tryGet(st, netuid, king);
  if (kingLock) {
    S.HotkeyLock.remove(st, netuid, king);
    const moved = rolled(st, kingLock, now, false, true);
    const cur = S.OwnerLock.tryGet(st, netuid);
    const sum = merged(cur ? rolled(st, cur, now, true, true) : empty(now), moved, now);
    const l = rolled(st, sum, now, true, true);
    if (keep(l)) S.OwnerLock.set(st, netuid, toStored(l));
    else S.OwnerLock.remove(st, netuid);
  }
  const kingDecaying = S.DecayingHotkeyLock.tryGet(st, netuid, king);
  if (kingDecaying) {
    S.DecayingHotkeyLock.remove(st, netuid, king);
    const moved = rolled(st, kingDecaying, now, false, false);
    const cur = S.DecayingOwnerLock.tryGet(st, netuid);
    const sum = merged(cur ? rolled(st, cur, now, true, false) : empty(now), moved, now);
    const l = rolled(st, sum, now, true, false);
    if (keep(l)) S.DecayingOwnerLock.set(st, netuid, toStored(l));
    else S.DecayingOwnerLock.remove(st, netuid);
  }

  S.SubnetOwner.set(st, netuid, newColdkey);
  S.SubnetOwnerHotkey.set(st, netuid, king);
  emit(ctx, {
    type: 'SubnetOwnerChanged',
    value: { netuid, old_coldkey: oldColdkey, new_coldkey: newColdkey },
  });
}
