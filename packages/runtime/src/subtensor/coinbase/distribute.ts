/**
 * What happens to a subnet's drained emission when its epoch fires, as subtensor 14bc6f9f does it
 * (pallets/subtensor/src/coinbase/run_coinbase.rs `distribute_emission` and the functions it
 * calls; staking/claim_root.rs, staking/lock.rs `auto_lock_owner_cut`, subnets/leasing.rs
 * `distribute_leased_network_dividends`, coinbase/alpha.rs).
 *
 * The alpha paid here was already counted in `SubnetAlphaOut` when the coinbase minted it into the
 * pending accumulators: staking it only moves it into share pools. Recycling lowers
 * `SubnetAlphaOut`; burning leaves it (upstream's `AlphaAssets` burn is not modelled, so it has no
 * other effect), as does the epoch's flooring remainder.
 *
 * Maps keyed by hotkey are upstream `BTreeMap<AccountId, _>`s: here arrays of `[hotkey, value]`
 * pairs in hotkey byte order. Dividend amounts between the steps are U96F32 raw bits.
 */
import { SubtensorStorage as S, type StateRW } from '@taoscript/chain-types';
import {
  fxAdd,
  fxCeil,
  fxDiv,
  fxFromInt,
  fxMul,
  fxSub,
  fxToU64,
  I96F32,
  toHex,
  U64F64,
  U96F32,
} from '@taoscript/codec';
import { type DispatchContext, fail, OK } from '../../dispatch.js';
import { childkeyTake } from '../delegation.js';
import { type HotkeyEmission, runEpochWithMechanisms } from '../epoch/chain.js';
import { doLockStake } from '../locks.js';
import { atomically } from '../pool.js';
import { creditHotkey, creditStake } from '../share-pool.js';
import { emit, readModel, transferStakeWithinSubnet } from '../staking.js';
import type { PendingEmission } from './types.js';

const ROOT = 0;
const U16_MAX = 65_535n;
const U64_MAX = (1n << 64n) - 1n;
/** `LeaseDividendsDistributionInterval` of subtensor's runtime: 100 blocks. */
export const LEASE_DIVIDENDS_DISTRIBUTION_INTERVAL = 100n;

/** `[hotkey, amount]` pairs in hotkey byte order (an upstream `BTreeMap<AccountId, _>`). */
export type HotkeyAmounts = Array<[Uint8Array, bigint]>;

const satAdd = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);
const satSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
/** `U96F32::saturating_from_num(u64)`. */
const u96 = (n: bigint): bigint => fxFromInt(U96F32, n);
/** `saturating_to_num::<u64>()` of a U96F32. */
const toU64 = (raw: bigint): bigint => fxToU64(U96F32, raw);
/** A u64 fraction of u64::MAX as U96F32 (`from_num(p).safe_div(from_num(u64::MAX))`). */
const ofU64Max = (p: bigint): bigint => fxDiv(U96F32, u96(p), u96(U64_MAX));

// ---- input checks -------------------------------------------------------------------------------

function assertNetuid(v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError('netuid: expected a u16');
  if (v < 0 || v > 65_535) throw new RangeError(`netuid: ${v} is outside u16`);
}

function assertU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

function assertU96(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected U96F32 raw bits as a bigint`);
  if (v < 0n || v > U96F32.max) throw new RangeError(`${what}: ${v} is outside U96F32`);
}

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

/** Checks a hotkey map (32-byte keys, no duplicates, values in range); returns it in key order. */
function sortedEntries(
  v: unknown,
  what: string,
  check: (x: unknown, what: string) => void,
): HotkeyAmounts {
  if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array of [hotkey, amount]`);
  const seen = new Map<string, [Uint8Array, bigint]>();
  for (const [i, e] of v.entries()) {
    if (!Array.isArray(e) || e.length !== 2)
      throw new TypeError(`${what}[${i}]: expected a [hotkey, amount] pair`);
    assertAccount(e[0], `${what}[${i}] hotkey`);
    check(e[1], `${what}[${i}] amount`);
    const k = toHex(e[0]);
    if (seen.has(k)) throw new RangeError(`${what}: hotkey ${k} appears twice`);
    seen.set(k, [e[0], e[1] as bigint]);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
}

/** An accumulating hotkey map with upstream's ordering. */
class HotkeyMap {
  private readonly m = new Map<string, [Uint8Array, bigint]>();
  update(hotkey: Uint8Array, f: (old: bigint | undefined) => bigint): void {
    const k = toHex(hotkey);
    const cur = this.m.get(k);
    this.m.set(k, [hotkey, f(cur?.[1])]);
  }
  entries(): HotkeyAmounts {
    return [...this.m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
  }
}

// ---- alpha leaving circulation ------------------------------------------------------------------

/** `recycle_subnet_alpha`: the alpha leaves the subnet's issuance (`SubnetAlphaOut` drops). */
function recycleSubnetAlpha(st: StateRW, netuid: number, amount: bigint): void {
  if (amount === 0n) return;
  S.SubnetAlphaOut.set(st, netuid, satSub(S.SubnetAlphaOut.get(st, netuid), amount));
}

// ---- parents and children -----------------------------------------------------------------------

/** `get_tao_weight`: `TaoWeight / u64::MAX` as U96F32 raw bits. */
export function taoWeightFloat(st: StateRW): bigint {
  return ofU64Max(S.TaoWeight.get(st));
}

/**
 * `get_self_contribution`: the part of a hotkey's own stake it keeps after its children's
 * proportions, alpha + TaoWeight × root, as a u64.
 * @example
 * import { selfContribution } from './coinbase/distribute.js';
 * // selfContribution(ctx.state, hotkey, 1)
 */
export function selfContribution(st: StateRW, hotkey: Uint8Array, netuid: number): bigint {
  assertAccount(hotkey, 'hotkey');
  assertNetuid(netuid);
  let remaining = U96F32.one;
  for (const [p] of S.ChildKeys.get(st, hotkey, netuid))
    remaining = fxSub(U96F32, remaining, ofU64Max(p));
  const tw = taoWeightFloat(st);
  const root = u96(S.TotalHotkeyAlpha.get(st, hotkey, ROOT));
  const alpha = u96(S.TotalHotkeyAlpha.get(st, hotkey, netuid));
  const alphaPart = fxMul(U96F32, alpha, remaining);
  const rootPart = fxMul(U96F32, fxMul(U96F32, root, remaining), tw);
  return toU64(fxAdd(U96F32, alphaPart, rootPart));
}

/**
 * `get_parent_child_dividends_distribution`: splits a hotkey's dividend between its parents (by
 * their alpha + TaoWeight × root contribution) and itself. From a parent with another owning
 * coldkey, `CKBurn` is recycled and the `ChildkeyTake` goes to the child. Returns `[hotkey, alpha]`
 * pairs, parents first in `ParentKeys` order, the hotkey last.
 * @example
 * import { parentChildDividends } from './coinbase/distribute.js';
 * // parentChildDividends(ctx, hotkey, 1, 1_000_000n)
 */
export function parentChildDividends(
  ctx: DispatchContext,
  hotkey: Uint8Array,
  netuid: number,
  dividend: bigint,
): HotkeyAmounts {
  assertAccount(hotkey, 'hotkey');
  assertNetuid(netuid);
  assertU64(dividend, 'dividend');
  const st = ctx.state;
  const out: HotkeyAmounts = [];
  const validating = u96(dividend);
  let remaining = validating;
  const burnProportion = ofU64Max(S.CKBurn.get(st));
  const takeProportion = fxDiv(U96F32, u96(BigInt(childkeyTake(st, hotkey, netuid))), u96(U16_MAX));
  const childOwner = toHex(S.Owner.get(st, hotkey));
  const tw = taoWeightFloat(st);

  let totalChildTake = 0n;
  let total = u96(selfContribution(st, hotkey, netuid));
  const contributions: Array<[Uint8Array, bigint]> = [];
  for (const [p, parent] of S.ParentKeys.get(st, hotkey, netuid)) {
    const proportion = ofU64Max(p);
    const root = u96(S.TotalHotkeyAlpha.get(st, parent, ROOT));
    const alpha = u96(S.TotalHotkeyAlpha.get(st, parent, netuid));
    const combined = fxAdd(
      U96F32,
      fxMul(U96F32, alpha, proportion),
      fxMul(U96F32, fxMul(U96F32, root, proportion), tw),
    );
    total = fxAdd(U96F32, total, combined);
    contributions.push([parent, combined]);
  }
  for (const [parent, contribution] of contributions) {
    const factor = fxDiv(U96F32, contribution, total);
    let emission = fxMul(U96F32, validating, factor);
    remaining = fxSub(U96F32, remaining, emission);
    if (toHex(S.Owner.get(st, parent)) !== childOwner) {
      const burn = fxMul(U96F32, burnProportion, emission);
      const childTake = fxMul(U96F32, takeProportion, emission);
      emission = fxSub(U96F32, fxSub(U96F32, emission, burn), childTake);
      totalChildTake = fxAdd(U96F32, totalChildTake, childTake);
      recycleSubnetAlpha(st, netuid, toU64(burn));
    }
    out.push([parent, toU64(emission)]);
  }
  out.push([hotkey, toU64(fxAdd(U96F32, remaining, totalChildTake))]);
  return out;
}

// ---- the distribution steps ---------------------------------------------------------------------

/**
 * `calculate_dividends_and_incentives`: sums each hotkey's server emission (incentive, u64) and
 * spreads its validator emission over its parents (dividends, U96F32 raw). Recycles the CK burn.
 * @example
 * import { calculateDividendsAndIncentives } from './coinbase/distribute.js';
 * // const { incentives, dividends } = calculateDividendsAndIncentives(ctx, 1, epochOutput);
 */
export function calculateDividendsAndIncentives(
  ctx: DispatchContext,
  netuid: number,
  hotkeyEmission: readonly Pick<
    HotkeyEmission,
    'hotkey' | 'serverEmission' | 'validatorEmission'
  >[],
): { incentives: HotkeyAmounts; dividends: HotkeyAmounts } {
  assertNetuid(netuid);
  if (!Array.isArray(hotkeyEmission)) throw new TypeError('hotkeyEmission: expected an array');
  const incentives = new HotkeyMap();
  const dividends = new HotkeyMap();
  for (const [i, e] of hotkeyEmission.entries()) {
    assertAccount(e.hotkey, `hotkeyEmission[${i}].hotkey`);
    assertU64(e.serverEmission, `hotkeyEmission[${i}].serverEmission`);
    assertU64(e.validatorEmission, `hotkeyEmission[${i}].validatorEmission`);
    incentives.update(e.hotkey, (old) => satAdd(old ?? 0n, e.serverEmission));
    for (const [parent, div] of parentChildDividends(ctx, e.hotkey, netuid, e.validatorEmission))
      dividends.update(parent, (old) => fxAdd(U96F32, old ?? 0n, u96(div)));
  }
  return { incentives: incentives.entries(), dividends: dividends.entries() };
}

/** One dividend receiver with its own stake, for `calculateDividendDistribution`. */
export interface DividendEntry {
  hotkey: Uint8Array;
  /** Its dividend from the epoch (U96F32 raw bits). */
  dividend: bigint;
  /** Its alpha on the subnet (`TotalHotkeyAlpha[hotkey][netuid]`). */
  alphaStake: bigint;
  /** Its root stake (`TotalHotkeyAlpha[hotkey][0]`). */
  rootStake: bigint;
}

/**
 * `calculate_dividend_distribution`: splits each dividend into a root part (its share
 * TaoWeight·root / (alpha + TaoWeight·root)) and an alpha part, then rescales the alpha parts to
 * `pendingAlpha` and the root parts to `pendingRootAlpha`. Pure; amounts out are U96F32 raw bits.
 * @example
 * import { calculateDividendDistribution } from './coinbase/distribute.js';
 * // calculateDividendDistribution(1000n, 0n, 0n, [{ hotkey, dividend: 1n << 32n, alphaStake: 5n, rootStake: 0n }])
 */
export function calculateDividendDistribution(
  pendingAlpha: bigint,
  pendingRootAlpha: bigint,
  taoWeight: bigint,
  entries: readonly DividendEntry[],
): { alphaDividends: HotkeyAmounts; rootAlphaDividends: HotkeyAmounts } {
  assertU64(pendingAlpha, 'pendingAlpha');
  assertU64(pendingRootAlpha, 'pendingRootAlpha');
  assertU96(taoWeight, 'taoWeight');
  if (!Array.isArray(entries)) throw new TypeError('entries: expected an array');
  const seen = new Set<string>();
  const sorted = entries
    .map((e, i) => {
      assertAccount(e.hotkey, `entries[${i}].hotkey`);
      assertU96(e.dividend, `entries[${i}].dividend`);
      assertU64(e.alphaStake, `entries[${i}].alphaStake`);
      assertU64(e.rootStake, `entries[${i}].rootStake`);
      const k = toHex(e.hotkey);
      if (seen.has(k)) throw new RangeError(`entries: hotkey ${k} appears twice`);
      seen.add(k);
      return [k, e] as const;
    })
    .sort(([a], [b]) => (a < b ? -1 : 1));

  let totalRoot = 0n;
  let totalAlpha = 0n;
  const rootDivs: Array<[Uint8Array, bigint]> = [];
  const alphaDivs: Array<[Uint8Array, bigint]> = [];
  for (const [, e] of sorted) {
    const rootAlpha = fxMul(U96F32, u96(e.rootStake), taoWeight);
    const combined = fxAdd(U96F32, u96(e.alphaStake), rootAlpha);
    const rootProp = fxDiv(U96F32, rootAlpha, combined);
    const root = fxMul(U96F32, e.dividend, rootProp);
    const alpha = fxSub(U96F32, e.dividend, root);
    alphaDivs.push([e.hotkey, alpha]);
    totalAlpha = fxAdd(U96F32, totalAlpha, alpha);
    rootDivs.push([e.hotkey, root]);
    totalRoot = fxAdd(U96F32, totalRoot, root);
  }
  const rescale = (v: bigint, sum: bigint, pot: bigint) =>
    fxMul(U96F32, u96(pot), fxDiv(U96F32, v, sum));
  return {
    alphaDividends: alphaDivs.map(([h, v]) => [h, rescale(v, totalAlpha, pendingAlpha)]),
    rootAlphaDividends: rootDivs.map(([h, v]) => [h, rescale(v, totalRoot, pendingRootAlpha)]),
  };
}

/**
 * `get_owner_hotkeys`: the subnet owner coldkey's hotkeys registered on the subnet, newest
 * registration first (ties by uid), with `SubnetOwnerHotkey` put in front when it is registered.
 * @example
 * import { ownerHotkeys } from './coinbase/distribute.js';
 * // ownerHotkeys(ctx.state, 1, ownerColdkey)
 */
export function ownerHotkeys(st: StateRW, netuid: number, coldkey: Uint8Array): Uint8Array[] {
  assertNetuid(netuid);
  assertAccount(coldkey, 'coldkey');
  const triples: Array<[bigint, number, Uint8Array]> = [];
  for (const hotkey of S.OwnedHotkeys.get(st, coldkey)) {
    const uid = S.Uids.tryGet(st, netuid, hotkey);
    if (uid !== undefined) triples.push([S.BlockAtRegistration.get(st, netuid, uid), uid, hotkey]);
  }
  triples.sort(([b1, u1], [b2, u2]) => (b1 !== b2 ? (b2 > b1 ? 1 : -1) : u1 - u2));
  const out = triples.map(([, , h]) => h);
  const owner = S.SubnetOwnerHotkey.tryGet(st, netuid);
  if (
    owner !== undefined &&
    S.Uids.tryGet(st, netuid, owner) !== undefined &&
    !out.some((h) => toHex(h) === toHex(owner))
  )
    out.unshift(owner);
  return out;
}

/**
 * `increase_root_claimable_for_hotkey_and_subnet`: `RootClaimable[hotkey][netuid] += amount /
 * root stake` (I96F32); when the amount exceeds the hotkey's root stake it is staked to
 * (hotkey, its owner) on the subnet instead.
 * @example
 * import { increaseRootClaimable } from './coinbase/distribute.js';
 * // increaseRootClaimable(ctx.state, hotkey, 1, 1_000n)
 */
export function increaseRootClaimable(
  st: StateRW,
  hotkey: Uint8Array,
  netuid: number,
  amount: bigint,
): void {
  assertAccount(hotkey, 'hotkey');
  assertNetuid(netuid);
  assertU64(amount, 'amount');
  const rootStake = S.TotalHotkeyAlpha.get(st, hotkey, ROOT);
  const increment = fxDiv(I96F32, fxFromInt(I96F32, amount), fxFromInt(I96F32, rootStake));
  if (amount > rootStake) {
    creditStake(st, hotkey, S.Owner.get(st, hotkey), netuid, amount);
    return;
  }
  const claimable = S.RootClaimable.get(st, hotkey);
  const at = claimable.findIndex(([n]) => n === netuid);
  const entry = claimable[at];
  if (entry) entry[1] = fxAdd(I96F32, entry[1], increment);
  else claimable.push([netuid, increment]);
  S.RootClaimable.set(st, hotkey, claimable);
}

/** Percent `mul_ceil`: ⌈amount × percent / 100⌉. */
const percentCeil = (percent: number, amount: bigint): bigint =>
  (amount * BigInt(percent) + 99n) / 100n;

/**
 * `distribute_leased_network_dividends`: the contributors' share of a leased subnet's owner cut
 * accumulates and, every `LEASE_DIVIDENDS_DISTRIBUTION_INTERVAL` blocks, is moved from the lease's
 * position to each contributor (by share, rounded up) and the rest to the beneficiary — all or
 * nothing; on failure it keeps accumulating.
 */
function distributeLeaseDividends(ctx: DispatchContext, leaseId: number, ownerCut: bigint): void {
  const st = ctx.state;
  const lease = S.SubnetLeases.tryGet(st, leaseId);
  if (lease === undefined) return;
  const now = BigInt(ctx.blockNumber);
  if (lease.end_block !== undefined && BigInt(lease.end_block) <= now) return;
  const current = percentCeil(lease.emissions_share, ownerCut);
  const total = satAdd(S.AccumulatedLeaseDividends.get(st, leaseId), current);
  if (now % LEASE_DIVIDENDS_DISTRIBUTION_INTERVAL !== 0n) {
    S.AccumulatedLeaseDividends.set(st, leaseId, total);
    return;
  }
  const out = atomically(ctx, (inner) => {
    let distributed = 0n;
    const move = (to: Uint8Array, alpha: bigint) =>
      transferStakeWithinSubnet(
        inner,
        lease.coldkey,
        lease.hotkey,
        to,
        lease.hotkey,
        lease.netuid,
        alpha,
      );
    for (const key of st.keys(S.SubnetLeaseShares.partialKey(leaseId))) {
      const [, contributor] = S.SubnetLeaseShares.decodeKey(key);
      const share = S.SubnetLeaseShares.get(st, leaseId, contributor);
      const alpha = fxToU64(U64F64, fxCeil(U64F64, fxMul(U64F64, share, fxFromInt(U64F64, total))));
      const moved = move(contributor, alpha);
      if (!moved.ok) return fail(moved.error);
      distributed = satAdd(distributed, alpha);
      emit(inner, {
        type: 'SubnetLeaseDividendsDistributed',
        value: { lease_id: leaseId, contributor, alpha },
      });
    }
    const rest = satSub(total, distributed);
    const moved = move(lease.beneficiary, rest);
    if (!moved.ok) return fail(moved.error);
    emit(inner, {
      type: 'SubnetLeaseDividendsDistributed',
      value: { lease_id: leaseId, contributor: lease.beneficiary, alpha: rest },
    });
    S.AccumulatedLeaseDividends.set(st, leaseId, 0n);
    return OK;
  });
  if (!out.ok) S.AccumulatedLeaseDividends.set(st, leaseId, total);
}

/**
 * `auto_lock_owner_cut`: with `OwnerCutAutoLockEnabled`, locks the owner cut for the subnet owner
 * (on its existing lock's hotkey, else the owner hotkey); a refused lock is ignored.
 */
function autoLockOwnerCut(ctx: DispatchContext, netuid: number, amount: bigint): void {
  const st = ctx.state;
  if (!S.OwnerCutAutoLockEnabled.get(st, netuid)) return;
  const cold = S.SubnetOwner.get(st, netuid);
  const model = readModel(st, cold, netuid, BigInt(ctx.blockNumber));
  const hotkey = model ? model.hotkey : S.SubnetOwnerHotkey.get(st, netuid);
  doLockStake(ctx, cold, netuid, hotkey, amount);
}

/**
 * `distribute_dividends_and_incentives`: stakes the owner cut to (SubnetOwnerHotkey, SubnetOwner)
 * (lease split, auto-lock); pays incentives — the owner coldkey's registered hotkeys' share is
 * recycled or burned per `RecycleOrBurn` and recorded as `MinerBurned`, the rest staked to the
 * miner's `AutoStakeDestination` or itself; pays alpha dividends (delegate take to the owner, the
 * rest to the hotkey's pool, `AlphaDividendsPerSubnet`, `TotalHotkeyAlphaLastEpoch`) and root alpha
 * dividends (take, then `RootClaimable`, `RootAlphaDividendsPerSubnet`). `incentives` are u64 alpha,
 * the dividend maps U96F32 raw bits.
 * @example
 * import { distributeDividendsAndIncentives } from './coinbase/distribute.js';
 * // distributeDividendsAndIncentives(ctx, 1, ownerCut, [[miner, 500n]], [[validator, 300n << 32n]], []);
 */
export function distributeDividendsAndIncentives(
  ctx: DispatchContext,
  netuid: number,
  ownerCut: bigint,
  incentives: HotkeyAmounts,
  alphaDividends: HotkeyAmounts,
  rootAlphaDividends: HotkeyAmounts,
): void {
  assertNetuid(netuid);
  assertU64(ownerCut, 'ownerCut');
  const inc = sortedEntries(incentives, 'incentives', assertU64);
  const alphaDivs = sortedEntries(alphaDividends, 'alphaDividends', assertU96);
  const rootDivs = sortedEntries(rootAlphaDividends, 'rootAlphaDividends', assertU96);
  const st = ctx.state;

  const ownerCold = S.SubnetOwner.tryGet(st, netuid);
  const ownerHot = S.SubnetOwnerHotkey.tryGet(st, netuid);
  if (ownerCold !== undefined && ownerHot !== undefined) {
    creditStake(st, ownerHot, ownerCold, netuid, ownerCut);
    const lease = S.SubnetUidToLeaseId.tryGet(st, netuid);
    if (lease !== undefined) distributeLeaseDividends(ctx, lease, ownerCut);
    autoLockOwnerCut(ctx, netuid, ownerCut);
  }

  const owners = new Set(ownerHotkeys(st, netuid, S.SubnetOwner.get(st, netuid)).map(toHex));
  const mode = S.RecycleOrBurn.tryGet(st, netuid);
  let total = 0n;
  let withheld = 0n;
  for (const [hotkey, incentive] of inc) {
    total = satAdd(total, incentive);
    if (owners.has(toHex(hotkey))) {
      withheld = satAdd(withheld, incentive);
      // Burning leaves SubnetAlphaOut as it is: the alpha simply has no holder.
      if (mode?.type === 'Recycle') recycleSubnetAlpha(st, netuid, incentive);
      continue;
    }
    const owner = S.Owner.get(st, hotkey);
    const dest = S.AutoStakeDestination.tryGet(st, owner, netuid);
    if (dest !== undefined)
      emit(ctx, {
        type: 'AutoStakeAdded',
        value: { netuid, destination: dest, hotkey, owner, incentive },
      });
    creditStake(st, dest ?? hotkey, owner, netuid, incentive);
  }
  S.MinerBurned.set(st, netuid, fxDiv(U96F32, u96(withheld), u96(total)));

  for (const key of st.keys(S.AlphaDividendsPerSubnet.partialKey(netuid))) st.delete(key);
  for (const [hotkey, divs] of alphaDivs) {
    const take = fxMul(U96F32, takeFloat(st, hotkey), divs);
    const rest = toU64(fxSub(U96F32, divs, take));
    creditStake(st, hotkey, S.Owner.get(st, hotkey), netuid, toU64(take));
    creditHotkey(st, hotkey, netuid, rest);
    const recorded = S.AlphaDividendsPerSubnet.get(st, netuid, hotkey);
    S.AlphaDividendsPerSubnet.set(st, netuid, hotkey, satAdd(recorded, rest));
    const poolValue = S.TotalHotkeyAlpha.get(st, hotkey, netuid);
    S.TotalHotkeyAlphaLastEpoch.set(st, hotkey, netuid, poolValue);
  }

  for (const key of st.keys(S.RootAlphaDividendsPerSubnet.partialKey(netuid))) st.delete(key);
  for (const [hotkey, divs] of rootDivs) {
    const take = fxMul(U96F32, takeFloat(st, hotkey), divs);
    const rest = toU64(fxSub(U96F32, divs, take));
    creditStake(st, hotkey, S.Owner.get(st, hotkey), netuid, toU64(take));
    increaseRootClaimable(st, hotkey, netuid, rest);
    const recorded = S.RootAlphaDividendsPerSubnet.get(st, netuid, hotkey);
    S.RootAlphaDividendsPerSubnet.set(st, netuid, hotkey, satAdd(recorded, rest));
  }
}

/** `get_hotkey_take_float`: `Delegates[hotkey] / 65535` as U96F32. */
const takeFloat = (st: StateRW, hotkey: Uint8Array): bigint =>
  fxDiv(U96F32, u96(BigInt(S.Delegates.get(st, hotkey))), u96(U16_MAX));

function assertPending(p: unknown): asserts p is PendingEmission {
  if (typeof p !== 'object' || p === null) throw new TypeError('pending: expected an object');
  const r = p as Record<string, unknown>;
  for (const k of ['server', 'validator', 'rootAlpha', 'ownerCut'] as const)
    assertU64(r[k], `pending.${k}`);
}

/**
 * `distribute_emission`: runs the subnet's epoch (all mechanisms) on the drained server +
 * validator + root alpha, then pays the owner cut, the miners' incentives and the validators'
 * alpha and root dividends. When no incentive was earned, validators also get the server alpha.
 * @example
 * import { distributeEmission } from './coinbase/distribute.js';
 * // distributeEmission(ctx, 1, { server: 41n, validator: 30n, rootAlpha: 11n, ownerCut: 18n });
 */
export function distributeEmission(
  ctx: DispatchContext,
  netuid: number,
  pending: PendingEmission,
): void {
  assertNetuid(netuid);
  assertPending(pending);
  const st = ctx.state;
  const taoWeight = taoWeightFloat(st);
  const total = satAdd(satAdd(pending.server, pending.validator), pending.rootAlpha);
  const hotkeyEmission = runEpochWithMechanisms(ctx, netuid, total);
  const incentiveSum = hotkeyEmission.reduce((acc, e) => satAdd(acc, e.serverEmission), 0n);
  const validatorAlpha =
    incentiveSum !== 0n ? pending.validator : satAdd(pending.validator, pending.server);
  const { incentives, dividends } = calculateDividendsAndIncentives(ctx, netuid, hotkeyEmission);
  const { alphaDividends, rootAlphaDividends } = calculateDividendDistribution(
    validatorAlpha,
    pending.rootAlpha,
    taoWeight,
    dividends.map(([hotkey, dividend]) => ({
      hotkey,
      dividend,
      alphaStake: S.TotalHotkeyAlpha.get(st, hotkey, netuid),
      rootStake: S.TotalHotkeyAlpha.get(st, hotkey, ROOT),
    })),
  );
  distributeDividendsAndIncentives(
    ctx,
    netuid,
    pending.ownerCut,
    incentives,
    alphaDividends,
    rootAlphaDividends,
  );
}
