/**
 * The chain side of a subnet's epoch, as subtensor 14bc6f9f does it: reading `epoch_mechanism`'s
 * inputs from storage (epoch/run_epoch.rs, staking/stake_utils.rs, utils/misc.rs), writing its
 * outputs back (`persist_mechanism_epoch_terms`, `persist_netuid_epoch_terms`), and the per-subnet
 * wrapper over all mechanisms with the voting-power EMA (subnets/mechanism.rs
 * `epoch_with_mechanisms`, utils/voting_power.rs). The math itself is in yuma.ts and mechanisms.ts.
 *
 * Weight and bond entries whose row or column is ≥ n are dropped (spec §1). Upstream's sparse
 * bonds reader drops only rows; a bond column ≥ n cannot arise on a consistent chain (rows come
 * from the epoch, which writes columns < n) and `epochMechanism` requires uids below n. Rows keep
 * their stored entry order: `set_weights` stores the caller's uid order unsorted.
 */
import { SubtensorStorage as S } from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import type { DispatchContext } from '../../dispatch.js';
import type { Overlay } from '../../state.js';
import { emit } from '../staking.js';
import {
  inheritedAlphaOnSubnet,
  inheritedTaoOnSubnet,
  isCommitExpired,
  mechanismStorageIndex,
  ownerUid,
} from '../weights.js';
import { aggregateMechanisms, splitEmissions } from './mechanisms.js';
import type {
  AggregatedTerms,
  EpochInput,
  EpochParams,
  EpochTerms,
  SparseRowU16,
} from './types.js';
import { epochMechanism } from './yuma.js';

const U16_MAX = 65_535;
const U64_MAX = (1n << 64n) - 1n;
/** `MAX_VOTING_POWER_EMA_ALPHA`: 1.0 in the voting-power EMA's 18-decimal fixed point. */
export const MAX_VOTING_POWER_EMA_ALPHA = 1_000_000_000_000_000_000n;

function assertNetuid(v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError('netuid: expected a u16');
  if (v < 0 || v > U16_MAX) throw new RangeError(`netuid: ${v} is outside u16`);
}

function assertMechId(v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError('mechId: expected a u8');
  if (v < 0 || v > 255) throw new RangeError(`mechId: ${v} is outside u8`);
}

function assertU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

/** A registered neuron of the epoch: its uid and hotkey. */
interface Neuron {
  uid: number;
  hotkey: Uint8Array;
}

/**
 * The epoch's output keys (`Keys::iter_prefix(netuid)` collected into a map by hotkey), sorted by
 * uid: the uids whose terms upstream persists, in the order it persists them.
 */
function neuronsByUid(st: Overlay, netuid: number): Neuron[] {
  const byHotkey = new Map<string, Neuron>();
  for (const key of st.keys(S.Keys.partialKey(netuid))) {
    const [, uid] = S.Keys.decodeKey(key);
    const hotkey = S.Keys.get(st, netuid, uid);
    byHotkey.set(toHex(hotkey), { uid, hotkey });
  }
  return [...byHotkey.values()].sort((a, b) => a.uid - b.uid);
}

/** The same neurons in hotkey order (upstream's `BTreeMap<AccountId, _>` iteration). */
function byHotkeyOrder(neurons: readonly Neuron[]): Neuron[] {
  return [...neurons].sort((a, b) => {
    const x = toHex(a.hotkey);
    const y = toHex(b.hotkey);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * `get_activity_cutoff_blocks`: `max(1, ActivityCutoffFactorMilli × Tempo / 1000)`.
 * @example
 * import { activityCutoffBlocks } from './epoch/chain.js';
 * // activityCutoffBlocks(ctx.state, 1) === 5000n with the default factor and tempo 360
 */
export function activityCutoffBlocks(st: Overlay, netuid: number): bigint {
  assertNetuid(netuid);
  const factor = BigInt(S.ActivityCutoffFactorMilli.get(st, netuid));
  const cutoff = (factor * BigInt(S.Tempo.get(st, netuid))) / 1000n;
  return cutoff < 1n ? 1n : cutoff;
}

/** A u64 vector resized to n: zero-padded like `get_last_update`, entries past n dropped. */
function fitU64(v: readonly bigint[], n: number): bigint[] {
  const out = v.slice(0, n);
  while (out.length < n) out.push(0n);
  return out;
}

/**
 * Sparse rows of a `Weights`/`Bonds` map for one netuid_index, indexed by uid, without entries
 * whose row or column is ≥ n.
 */
function sparseRows(
  st: Overlay,
  item: typeof S.Weights,
  netuidIndex: number,
  n: number,
): SparseRowU16[] {
  const rows: SparseRowU16[] = Array.from({ length: n }, () => []);
  for (const key of st.keys(item.partialKey(netuidIndex))) {
    const [, i] = item.decodeKey(key);
    if (i >= n) continue;
    rows[i] = item
      .get(st, netuidIndex, i)
      .filter(([j]) => j < n)
      .map(([j, v]) => [j, v] as [number, number]);
  }
  return rows;
}

/**
 * The commit-reveal column mask's input (`epoch_mechanism`): per uid, the block of its earliest
 * live commit — the first non-expired `WeightCommits` entry of its hotkey, and every commit of a
 * non-expired `TimelockedWeightCommits` epoch — or null when it has none.
 */
function liveCommitBlocks(
  st: Overlay,
  netuid: number,
  netuidIndex: number,
  neurons: readonly Neuron[],
  n: number,
  block: bigint,
): Array<bigint | null> {
  const out: Array<bigint | null> = Array.from({ length: n }, () => null);
  const uidOf = new Map(neurons.map((x) => [toHex(x.hotkey), x.uid]));
  const note = (who: Uint8Array, commitBlock: bigint) => {
    const uid = uidOf.get(toHex(who));
    if (uid === undefined || uid >= n) return;
    const cur = out[uid];
    out[uid] = cur === null || cur === undefined || commitBlock < cur ? commitBlock : cur;
  };
  for (const key of st.keys(S.WeightCommits.partialKey(netuidIndex))) {
    const [, who] = S.WeightCommits.decodeKey(key);
    for (const [, commitEpoch, commitBlock] of S.WeightCommits.tryGet(st, netuidIndex, who) ?? []) {
      if (!isCommitExpired(st, netuid, commitEpoch, block)) {
        note(who, commitBlock);
        break;
      }
    }
  }
  for (const key of st.keys(S.TimelockedWeightCommits.partialKey(netuidIndex))) {
    const [, commitEpoch] = S.TimelockedWeightCommits.decodeKey(key);
    if (isCommitExpired(st, netuid, commitEpoch, block)) continue;
    for (const [who, commitBlock] of S.TimelockedWeightCommits.get(st, netuidIndex, commitEpoch))
      note(who, commitBlock);
  }
  return out;
}

/** The hyperparameters `epoch_mechanism` reads for a subnet. */
function readParams(st: Overlay, netuid: number): EpochParams {
  // An owner uid at or past n never matches a uid the epoch looks at: the same as none.
  const owner = ownerUid(st, netuid);
  const n = S.SubnetworkN.get(st, netuid);
  const [low, high] = S.AlphaValues.get(st, netuid);
  return {
    kappaU16: S.Kappa.get(st, netuid),
    bondsMovingAverage: S.BondsMovingAverage.get(st, netuid),
    bondsPenaltyU16: S.BondsPenalty.get(st, netuid),
    activityCutoffBlocks: activityCutoffBlocks(st, netuid),
    yuma3Enabled: S.Yuma3On.get(st, netuid),
    liquidAlphaEnabled: S.LiquidAlphaOn.get(st, netuid),
    alphaValuesU16: [low, high],
    alphaSigmoidSteepness: S.AlphaSigmoidSteepness.get(st, netuid),
    commitRevealEnabled: S.CommitRevealWeightsEnabled.get(st, netuid),
    stakeThreshold: S.StakeThreshold.get(st),
    taoWeight: S.TaoWeight.get(st),
    subnetOwnerUid: owner !== undefined && owner < n ? owner : null,
    lastMechanismStepBlock: S.LastMechansimStepBlock.get(st, netuid),
    tempo: S.Tempo.get(st, netuid),
    maxAllowedValidators: S.MaxAllowedValidators.get(st, netuid),
  };
}

/**
 * Everything `epoch_mechanism(netuid, mechId, raoEmission)` reads from storage: inherited alpha
 * and root stake per uid, registration blocks, the mechanism's `LastUpdate`, `Weights` and
 * `Bonds` (netuid_index = mechId·4096 + netuid), the stored permits, live commit blocks and the
 * subnet's hyperparameters. Uids without a `Keys` entry get zero stake and registration block 0.
 * @example
 * import { readEpochInput } from './epoch/chain.js';
 * // const input = readEpochInput(ctx, 1, 0, 1_000_000_000n);
 */
export function readEpochInput(
  ctx: DispatchContext,
  netuid: number,
  mechId: number,
  raoEmission = 0n,
): EpochInput {
  assertNetuid(netuid);
  assertMechId(mechId);
  assertU64(raoEmission, 'raoEmission');
  const st = ctx.state;
  const netuidIndex = mechanismStorageIndex(netuid, mechId);
  const n = S.SubnetworkN.get(st, netuid);
  const currentBlock = BigInt(ctx.blockNumber);
  const neurons = neuronsByUid(st, netuid);

  const alphaStake: bigint[] = Array.from({ length: n }, () => 0n);
  const taoStake: bigint[] = Array.from({ length: n }, () => 0n);
  const blockAtRegistration: bigint[] = Array.from({ length: n }, () => 0n);
  for (let uid = 0; uid < n; uid++) {
    const hotkey = S.Keys.tryGet(st, netuid, uid);
    if (hotkey === undefined) continue;
    alphaStake[uid] = inheritedAlphaOnSubnet(st, hotkey, netuid);
    taoStake[uid] = inheritedTaoOnSubnet(st, hotkey, netuid);
    blockAtRegistration[uid] = S.BlockAtRegistration.get(st, netuid, uid);
  }

  const permits = S.ValidatorPermit.get(st, netuid).slice(0, n);
  while (permits.length < n) permits.push(false);

  const params = readParams(st, netuid);
  return {
    n,
    currentBlock,
    alphaStake,
    taoStake,
    blockAtRegistration,
    lastUpdate: fitU64(S.LastUpdate.get(st, netuidIndex), n),
    validatorPermits: permits,
    weights: sparseRows(st, S.Weights, netuidIndex, n),
    bonds: sparseRows(st, S.Bonds, netuidIndex, n),
    commitBlocks: params.commitRevealEnabled
      ? liveCommitBlocks(st, netuid, netuidIndex, neurons, n, currentBlock)
      : Array.from({ length: n }, () => null),
    params,
    raoEmission,
  };
}

function assertLength(v: readonly unknown[], n: number, what: string): void {
  if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array`);
  if (v.length !== n) throw new RangeError(`${what}: expected ${n} entries, got ${v.length}`);
}

/**
 * The entries of the persisted uids, in uid order (upstream's `terms_sorted`); a keyed uid at or
 * past n gets the default, as `vec.get(uid).unwrap_or_default()` gives it.
 */
const pick = <T>(v: readonly T[], neurons: readonly Neuron[], fallback: T): T[] =>
  neurons.map((x) => (x.uid < v.length ? (v[x.uid] as T) : fallback));

/**
 * `persist_mechanism_epoch_terms`: `Incentive[netuid_index]`, one `Bonds[netuid_index][i]` row per
 * registered uid (an empty row included), and `IncentiveAlphaEmittedToMiners` with the server
 * emissions. Arrays of `terms` are indexed by uid and must have length `SubnetworkN`.
 * @example
 * import { persistMechanismTerms } from './epoch/chain.js';
 * // persistMechanismTerms(ctx, 1, 0, terms);
 */
export function persistMechanismTerms(
  ctx: DispatchContext,
  netuid: number,
  mechId: number,
  terms: EpochTerms,
): void {
  assertNetuid(netuid);
  assertMechId(mechId);
  const st = ctx.state;
  const n = S.SubnetworkN.get(st, netuid);
  assertLength(terms.incentiveU16, n, 'terms.incentiveU16');
  assertLength(terms.serverEmission, n, 'terms.serverEmission');
  assertLength(terms.bonds, n, 'terms.bonds');
  const netuidIndex = mechanismStorageIndex(netuid, mechId);
  const neurons = neuronsByUid(st, netuid);
  S.Incentive.set(st, netuidIndex, pick(terms.incentiveU16, neurons, 0));
  emit(ctx, {
    type: 'IncentiveAlphaEmittedToMiners',
    value: { netuid: netuidIndex, emissions: pick(terms.serverEmission, neurons, 0n) },
  });
  // Upstream numbers the rows by their position among the persisted terms, not by uid; the two
  // agree whenever every uid below n has a key.
  pick(terms.bonds, neurons, []).forEach((row, position) => {
    S.Bonds.set(st, netuidIndex, position, row);
  });
}

/**
 * `persist_netuid_epoch_terms`: `Active`, `Emission`, `Consensus`, `Dividends`, `ValidatorTrust`,
 * `ValidatorPermit` and `StakeWeight` of the subnet, from the aggregated terms (arrays by uid,
 * length `SubnetworkN`).
 * @example
 * import { persistNetuidTerms } from './epoch/chain.js';
 * // persistNetuidTerms(ctx, 1, aggregated);
 */
export function persistNetuidTerms(ctx: DispatchContext, netuid: number, agg: AggregatedTerms) {
  assertNetuid(netuid);
  const st = ctx.state;
  const n = S.SubnetworkN.get(st, netuid);
  for (const k of [
    'active',
    'emission',
    'consensusU16',
    'dividendU16',
    'validatorTrustU16',
    'newValidatorPermit',
    'stakeWeightU16',
  ] as const)
    assertLength(agg[k], n, `agg.${k}`);
  const neurons = neuronsByUid(st, netuid);
  S.Active.set(st, netuid, pick(agg.active, neurons, false));
  S.Emission.set(st, netuid, pick(agg.emission, neurons, 0n));
  S.Consensus.set(st, netuid, pick(agg.consensusU16, neurons, 0));
  S.Dividends.set(st, netuid, pick(agg.dividendU16, neurons, 0));
  S.ValidatorTrust.set(st, netuid, pick(agg.validatorTrustU16, neurons, 0));
  S.ValidatorPermit.set(st, netuid, pick(agg.newValidatorPermit, neurons, false));
  S.StakeWeight.set(st, netuid, pick(agg.stakeWeightU16, neurons, 0));
}

/**
 * `calculate_voting_power_ema`: `(α·stake + (1e18 − α)·previous) / 1e18` (α in 1e18 units),
 * saturating at u64::MAX.
 * @example
 * import { votingPowerEma } from './epoch/chain.js';
 * votingPowerEma(1000n, 0n, 500_000_000_000_000_000n); // 500n
 */
export function votingPowerEma(stake: bigint, previous: bigint, alpha: bigint): bigint {
  assertU64(stake, 'stake');
  assertU64(previous, 'previous');
  assertU64(alpha, 'alpha');
  const rest = alpha > MAX_VOTING_POWER_EMA_ALPHA ? 0n : MAX_VOTING_POWER_EMA_ALPHA - alpha;
  const v = (alpha * stake + rest * previous) / MAX_VOTING_POWER_EMA_ALPHA;
  return v > U64_MAX ? U64_MAX : v;
}

/**
 * `update_voting_power_for_subnet`: while tracking is on, moves each permitted validator's
 * `VotingPower` toward its epoch stake (removing it when it decays below `StakeThreshold`), drops
 * everyone else's and that of deregistered hotkeys; past `VotingPowerDisableAtBlock` it clears the
 * subnet's entries and turns tracking off instead.
 * @example
 * import { updateVotingPower } from './epoch/chain.js';
 * // updateVotingPower(ctx, 1, aggregated);
 */
export function updateVotingPower(ctx: DispatchContext, netuid: number, agg: AggregatedTerms) {
  assertNetuid(netuid);
  const st = ctx.state;
  if (!S.VotingPowerTrackingEnabled.get(st, netuid)) return;
  const disableAt = S.VotingPowerDisableAtBlock.get(st, netuid);
  if (disableAt > 0n && BigInt(ctx.blockNumber) >= disableAt) {
    for (const key of st.keys(S.VotingPower.partialKey(netuid))) st.delete(key);
    S.VotingPowerTrackingEnabled.set(st, netuid, false);
    S.VotingPowerDisableAtBlock.remove(st, netuid);
    emit(ctx, { type: 'VotingPowerTrackingDisabled', value: { netuid } });
    return;
  }
  const n = S.SubnetworkN.get(st, netuid);
  assertLength(agg.newValidatorPermit, n, 'agg.newValidatorPermit');
  assertLength(agg.stake, n, 'agg.stake');
  const alpha = S.VotingPowerEmaAlpha.get(st, netuid);
  const minStake = S.StakeThreshold.get(st);
  for (const { uid, hotkey } of byHotkeyOrder(neuronsByUid(st, netuid))) {
    if (uid >= n || !agg.newValidatorPermit[uid]) {
      S.VotingPower.remove(st, netuid, hotkey);
      continue;
    }
    const previous = S.VotingPower.get(st, netuid, hotkey);
    const stake = agg.stake[uid] as bigint;
    const next = votingPowerEma(stake > U64_MAX ? U64_MAX : stake, previous, alpha);
    if (next < minStake && previous >= minStake) S.VotingPower.remove(st, netuid, hotkey);
    else if (next > 0n) S.VotingPower.set(st, netuid, hotkey, next);
  }
  for (const key of st.keys(S.VotingPower.partialKey(netuid))) {
    const [, hotkey] = S.VotingPower.decodeKey(key);
    if (!S.IsNetworkMember.get(st, hotkey, netuid)) S.VotingPower.remove(st, netuid, hotkey);
  }
}

/** One hotkey's share of an epoch: what its miner and validator roles earned (alpha rao). */
export interface HotkeyEmission {
  hotkey: Uint8Array;
  uid: number;
  serverEmission: bigint;
  validatorEmission: bigint;
}

/**
 * `epoch_with_mechanisms`: splits `raoEmission` over the subnet's mechanisms
 * (`MechanismCountCurrent`, `MechanismEmissionSplit`), runs and persists each mechanism's epoch,
 * aggregates the per-uid terms, persists them and updates the voting-power EMA. Returns each
 * registered hotkey's summed server and validator emission, in hotkey byte order.
 * @example
 * import { runEpochWithMechanisms } from './epoch/chain.js';
 * // for (const e of runEpochWithMechanisms(ctx, 1, 1_000_000_000n)) console.log(e.uid, e.serverEmission);
 */
export function runEpochWithMechanisms(
  ctx: DispatchContext,
  netuid: number,
  raoEmission: bigint,
): HotkeyEmission[] {
  assertNetuid(netuid);
  assertU64(raoEmission, 'raoEmission');
  const st = ctx.state;
  const count = S.MechanismCountCurrent.get(st, netuid);
  const split = S.MechanismEmissionSplit.tryGet(st, netuid) ?? null;
  const shares = splitEmissions(raoEmission, count, split);
  const perMechanism: EpochTerms[] = [];
  shares.forEach((share, mechId) => {
    const terms = epochMechanism(readEpochInput(ctx, netuid, mechId, share));
    persistMechanismTerms(ctx, netuid, mechId, terms);
    perMechanism.push(terms);
  });
  const agg = aggregateMechanisms(perMechanism, shares, raoEmission);
  persistNetuidTerms(ctx, netuid, agg);
  updateVotingPower(ctx, netuid, agg);
  return byHotkeyOrder(neuronsByUid(st, netuid)).map(({ uid, hotkey }) => ({
    hotkey,
    uid,
    serverEmission: agg.serverEmission[uid] ?? 0n,
    validatorEmission: agg.validatorEmission[uid] ?? 0n,
  }));
}
