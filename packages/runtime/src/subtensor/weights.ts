/**
 * SubtensorModule weights: `set_weights`, `set_mechanism_weights`, `batch_set_weights` and the
 * hash commit–reveal calls (`commit_weights`, `reveal_weights`, their batch and mechanism forms),
 * with every check in subtensor's order (subtensor 14bc6f9f: subnets/weights.rs, epoch/math.rs,
 * subnets/mechanism.rs, staking/stake_utils.rs).
 *
 * Deliberate deviation: `CommitRevealWeightsEnabled` defaults to `false` on our chain (subtensor:
 * `true`), so plain `set_weights` works on a fresh subnet until its owner turns commit–reveal on;
 * the storage declaration carries the default (`COMMIT_REVEAL_WEIGHTS_ENABLED_DEFAULT`).
 * Timelocked commit–reveal (v3/v4: `commit_timelocked_weights`, `commit_crv3_mechanism_weights`,
 * `commit_timelocked_mechanism_weights`) needs drand and has no handler: the router refuses it
 * with `CallFiltered`.
 */
import {
  AccountId32,
  type DispatchError,
  type RuntimeEvent,
  SubtensorStorage as S,
  type StateRW,
  type SubtensorEvent,
  Tuple,
  u16,
  u64,
  Vec,
} from '@taoscript/chain-types';
import {
  blake2_256,
  bytesEqual,
  fxAdd,
  fxConvert,
  fxDiv,
  fxFromInt,
  fxMul,
  fxSub,
  fxToU64,
  I64F64,
  U96F32,
} from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  OK,
  type Origin,
} from '../dispatch.js';
import { handlers } from './dispatch.js';
import { atomic, blockOf, shouldRunEpoch, subtensorError } from './rate-limits.js';

/** `GLOBAL_MAX_SUBNET_COUNT`: the stride between mechanisms in a `NetUidStorageIndex`. */
export const GLOBAL_MAX_SUBNET_COUNT = 4096;
/** `MAX_MECHANISM_COUNT_PER_SUBNET`. */
export const MAX_MECHANISM_COUNT_PER_SUBNET = 16;
/** Pending hash commits a hotkey may hold per mechanism. */
export const MAX_UNREVEALED_COMMITS = 10;
/** `MIN_COMMIT_REVEAL_PEROIDS`: the shortest `RevealPeriodEpochs`. */
export const MIN_REVEAL_PERIOD = 1n;
/** `MAX_COMMIT_REVEAL_PEROIDS`: the longest `RevealPeriodEpochs`. */
export const MAX_REVEAL_PERIOD = 100n;
/**
 * subtensor's `get_max_weight_limit` is a `const fn` returning `u16::MAX` (the `MaxWeightsLimit`
 * storage item is not read), so `MaxWeightExceeded` cannot fire on chain.
 */
export const MAX_WEIGHT_LIMIT = 65_535;

const U16_MAX = 65_535;
const U64_MAX = (1n << 64n) - 1n;
const ONE_HALF_I32F32 = 1n << 31n;

/** `{ type: 'SubtensorModule', value }`. */
export const subtensorEvent = (value: SubtensorEvent): RuntimeEvent => ({
  type: 'SubtensorModule',
  value,
});

function assertU16Array(v: unknown, what: string): asserts v is readonly number[] {
  if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array of u16`);
  for (const x of v) {
    if (typeof x !== 'number' || !Number.isInteger(x))
      throw new TypeError(`${what}: expected u16 integers, got ${String(x)}`);
    if (x < 0 || x > U16_MAX) throw new RangeError(`${what}: ${x} is outside u16`);
  }
}

function assertU16(v: unknown, what: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${what}: expected a u16`);
  if (v < 0 || v > U16_MAX) throw new RangeError(`${what}: ${v} is outside u16`);
}

/**
 * `get_mechanism_storage_index`: `mecid × 4096 + netuid`, saturating at u16::MAX.
 * @example
 * import { mechanismStorageIndex } from './weights.js';
 * mechanismStorageIndex(3, 1); // 4099
 */
export function mechanismStorageIndex(netuid: number, mecid: number): number {
  assertU16(netuid, 'netuid');
  if (!Number.isInteger(mecid) || mecid < 0 || mecid > 255)
    throw new RangeError(`mecid: ${mecid} is outside u8`);
  return Math.min(U16_MAX, Math.min(U16_MAX, mecid * GLOBAL_MAX_SUBNET_COUNT) + netuid);
}

/** `get_netuid`: the subnet of a storage index. */
export const netuidOfIndex = (netuidIndex: number): number => netuidIndex % GLOBAL_MAX_SUBNET_COUNT;

/** `get_netuid_and_subid`: the (netuid, mecid) of an index whose subnet and mechanism exist. */
export function netuidAndMechanism(
  state: StateRW,
  netuidIndex: number,
): { netuid: number; mecid: number } | undefined {
  const netuid = netuidOfIndex(netuidIndex);
  if (!S.NetworksAdded.get(state, netuid)) return undefined;
  const mecid = Math.floor(netuidIndex / GLOBAL_MAX_SUBNET_COUNT);
  return S.MechanismCountCurrent.get(state, netuid) > mecid ? { netuid, mecid } : undefined;
}

/** `ensure_mechanism_exists`: `MechanismDoesNotExist` unless the subnet exists and has `mecid`. */
export function ensureMechanismExists(
  state: StateRW,
  netuid: number,
  mecid: number,
): DispatchError | undefined {
  if (!S.NetworksAdded.get(state, netuid) || S.MechanismCountCurrent.get(state, netuid) <= mecid)
    return subtensorError('MechanismDoesNotExist');
  return undefined;
}

const CommitPreimage = Tuple(AccountId32, u16, Vec(u16), Vec(u16), Vec(u16), u64);

/**
 * The hash commit of `reveal_weights`:
 * `BlakeTwo256(SCALE((who, netuid_index: u16, uids, values, salt: Vec<u16>, version_key: u64)))`.
 * @example
 * import { commitHash } from './weights.js';
 * commitHash(new Uint8Array(32), 1, [0], [65535], [1, 2], 0n).length; // 32
 */
export function commitHash(
  who: Uint8Array,
  netuidIndex: number,
  uids: readonly number[],
  values: readonly number[],
  salt: readonly number[],
  versionKey: bigint,
): Uint8Array {
  if (!(who instanceof Uint8Array)) throw new TypeError('commitHash who: expected a Uint8Array');
  if (who.length !== 32)
    throw new RangeError(`commitHash who: expected 32 bytes, got ${who.length}`);
  assertU16(netuidIndex, 'commitHash netuidIndex');
  assertU16Array(uids, 'commitHash uids');
  assertU16Array(values, 'commitHash values');
  assertU16Array(salt, 'commitHash salt');
  if (typeof versionKey !== 'bigint')
    throw new TypeError('commitHash versionKey: expected a bigint');
  if (versionKey < 0n || versionKey > U64_MAX)
    throw new RangeError('commitHash versionKey: outside u64');
  return blake2_256(
    CommitPreimage.enc([who, netuidIndex, [...uids], [...values], [...salt], versionKey]),
  );
}

/**
 * `vec_u16_max_upscale_to_u16`: scales so the largest weight becomes 65535, computed in I32F32
 * with subtensor's two branches (divide-then-multiply above 32768) and round-half-away.
 * @example
 * import { maxUpscaleU16 } from './weights.js';
 * maxUpscaleU16([1, 2]); // [32768, 65535]
 */
export function maxUpscaleU16(values: readonly number[]): number[] {
  assertU16Array(values, 'maxUpscaleU16');
  let max = 0;
  for (const v of values) if (v > max) max = v;
  if (max === 0) return values.map(() => 0);
  const m = BigInt(max);
  const round = (bits: bigint): number => {
    const n = (bits + ONE_HALF_I32F32) >> 32n;
    return n > 65_535n ? U16_MAX : Number(n);
  };
  if (max > 32_768) {
    // u16::MAX / max in I32F32, truncated; then e × that.
    const q = (65_535n << 32n) / m;
    return values.map((e) => round(BigInt(e) * q));
  }
  return values.map((e) => round(((BigInt(e) * 65_535n) << 32n) / m));
}

/**
 * `check_vec_max_limited`: normalises the weights to sum 1 (I32F32) and requires the largest to
 * be at most `maxLimit / 65535`. (Unreachable on chain: see `MAX_WEIGHT_LIMIT`.)
 * @example
 * import { checkVecMaxLimited } from './weights.js';
 * checkVecMaxLimited([1, 1], 32768); // true
 */
export function checkVecMaxLimited(values: readonly number[], maxLimit: number): boolean {
  assertU16Array(values, 'checkVecMaxLimited');
  assertU16(maxLimit, 'checkVecMaxLimited maxLimit');
  if (values.length === 0) return true;
  const limit = (BigInt(maxLimit) << 32n) / 65_535n;
  let sum = 0n;
  let max = 0n;
  for (const v of values) {
    sum += BigInt(v);
    if (BigInt(v) > max) max = BigInt(v);
  }
  // A zero sum leaves the vector as is (all zeros).
  const top = sum === 0n ? max << 32n : (max << 32n) / sum;
  return top <= limit;
}

/** `is_self_weight`: exactly one weight, on the caller's own uid. */
export function isSelfWeight(uid: number, uids: readonly number[], weights: readonly number[]) {
  return weights.length === 1 && uids[0] === uid;
}

/** `get_owner_uid`: the uid of `SubnetOwnerHotkey` (when set and registered). */
export function ownerUid(state: StateRW, netuid: number): number | undefined {
  const hk = S.SubnetOwnerHotkey.tryGet(state, netuid);
  return hk === undefined ? undefined : S.Uids.tryGet(state, netuid, hk);
}

/** Stake weights of a hotkey on a subnet as I64F64 raw bits. */
export interface StakeWeights {
  /** alpha + tao × TaoWeight. */
  total: bigint;
  /** Inherited alpha on the subnet. */
  alpha: bigint;
  /** Inherited root (TAO) stake. */
  tao: bigint;
}

const u96 = (n: bigint) => fxFromInt(U96F32, n);
/** A u64 proportion (of u64::MAX) as U96F32, as `saturating_from_num(p).safe_div(u64::MAX)`. */
const proportion = (p: bigint) => fxDiv(U96F32, u96(p), u96(U64_MAX));

/** `get_inherited_for_hotkey_on_subnet`: own alpha, less what children take, plus parents' share. */
export function inheritedAlphaOnSubnet(state: StateRW, hotkey: Uint8Array, netuid: number): bigint {
  const initial = u96(S.TotalHotkeyAlpha.get(state, hotkey, netuid));
  if (netuid === 0) return fxToU64(U96F32, initial);
  let toChildren = 0n;
  for (const [p] of S.ChildKeys.get(state, hotkey, netuid))
    toChildren = fxAdd(U96F32, toChildren, fxMul(U96F32, initial, proportion(p)));
  let fromParents = 0n;
  for (const [p, parent] of S.ParentKeys.get(state, hotkey, netuid)) {
    const parentAlpha = u96(S.TotalHotkeyAlpha.get(state, parent, netuid));
    fromParents = fxAdd(U96F32, fromParents, fxMul(U96F32, parentAlpha, proportion(p)));
  }
  return fxToU64(U96F32, fxAdd(U96F32, fxSub(U96F32, initial, toChildren), fromParents));
}

/** `get_tao_inherited_for_hotkey_on_subnet`: root stake moved along this subnet's child links. */
export function inheritedTaoOnSubnet(state: StateRW, hotkey: Uint8Array, netuid: number): bigint {
  const initial = u96(S.TotalHotkeyAlpha.get(state, hotkey, 0));
  let toChildren = 0n;
  for (const [p] of S.ChildKeys.get(state, hotkey, netuid))
    toChildren = fxAdd(U96F32, toChildren, fxMul(U96F32, initial, proportion(p)));
  let fromParents = 0n;
  for (const [p, parent] of S.ParentKeys.get(state, hotkey, netuid)) {
    const parentTao = u96(S.TotalHotkeyAlpha.get(state, parent, 0));
    fromParents = fxAdd(U96F32, fromParents, fxMul(U96F32, parentTao, proportion(p)));
  }
  return fxToU64(U96F32, fxAdd(U96F32, fxSub(U96F32, initial, toChildren), fromParents));
}

/**
 * `get_stake_weights_for_hotkey_on_subnet`: inherited alpha + TaoWeight × inherited root stake,
 * in I64F64. The one place set_weights reads stake; the staking module may swap in its own.
 */
export function stakeWeightsForHotkeyOnSubnet(
  state: StateRW,
  hotkey: Uint8Array,
  netuid: number,
): StakeWeights {
  const taoWeight = fxConvert(U96F32, I64F64, proportion(S.TaoWeight.get(state)));
  const alpha = fxFromInt(I64F64, inheritedAlphaOnSubnet(state, hotkey, netuid));
  const tao = fxFromInt(I64F64, inheritedTaoOnSubnet(state, hotkey, netuid));
  return { total: fxAdd(I64F64, alpha, fxMul(I64F64, tao, taoWeight)), alpha, tao };
}

/** `check_weights_min_stake`: the owner hotkey always passes; others need `StakeThreshold`. */
export function checkWeightsMinStake(state: StateRW, hotkey: Uint8Array, netuid: number): boolean {
  const owner = ownerUid(state, netuid);
  if (owner !== undefined && S.Uids.tryGet(state, netuid, hotkey) === owner) return true;
  const { total } = stakeWeightsForHotkeyOnSubnet(state, hotkey, netuid);
  return total >= S.StakeThreshold.get(state) << 64n;
}

/** `set_last_update_for_uid`: pads `LastUpdate` to the subnet size, then sets the uid's block. */
export function setLastUpdateForUid(
  state: StateRW,
  netuidIndex: number,
  uid: number,
  block: bigint,
): void {
  const v = S.LastUpdate.get(state, netuidIndex);
  const n = S.SubnetworkN.get(state, netuidOfIndex(netuidIndex));
  while (v.length < n) v.push(0n);
  if (uid >= v.length) return;
  v[uid] = block;
  S.LastUpdate.set(state, netuidIndex, v);
}

/** `check_rate_limit`: a registered uid may set/commit once `WeightsSetRateLimit` has passed. */
export function checkWeightsRateLimit(
  state: StateRW,
  netuidIndex: number,
  uid: number,
  block: bigint,
): boolean {
  const m = netuidAndMechanism(state, netuidIndex);
  if (!m || S.Keys.tryGet(state, m.netuid, uid) === undefined) return false;
  const last = S.LastUpdate.get(state, netuidIndex)[uid] ?? 0n;
  if (last === 0n) return true;
  return (block > last ? block - last : 0n) >= S.WeightsSetRateLimit.get(state, m.netuid);
}

/** `current_epoch_with_lookahead`: `SubnetEpochIndex`, plus one when an epoch is due this block. */
export function currentEpochWithLookahead(state: StateRW, netuid: number, block: bigint): bigint {
  const base = S.SubnetEpochIndex.get(state, netuid);
  return shouldRunEpoch(state, netuid, block) ? base + 1n : base;
}

/** `is_commit_expired`: the current epoch is past `commit_epoch + RevealPeriodEpochs`. */
export function isCommitExpired(
  state: StateRW,
  netuid: number,
  commitEpoch: bigint,
  block: bigint,
): boolean {
  const period = S.RevealPeriodEpochs.get(state, netuid);
  return currentEpochWithLookahead(state, netuid, block) > commitEpoch + period;
}

/** `is_reveal_block_range`: the current epoch is exactly `commit_epoch + RevealPeriodEpochs`. */
export function isRevealEpoch(
  state: StateRW,
  netuid: number,
  commitEpoch: bigint,
  block: bigint,
): boolean {
  const period = S.RevealPeriodEpochs.get(state, netuid);
  return currentEpochWithLookahead(state, netuid, block) === commitEpoch + period;
}

const crEnabled = (state: StateRW, netuid: number) =>
  S.CommitRevealWeightsEnabled.get(state, netuid);

/**
 * `internal_set_weights`: the shared body of set_weights, set_mechanism_weights, the batch and
 * the reveals. The rate limit and the `LastUpdate` write apply only while commit–reveal is off.
 */
function internalSetWeights(
  ctx: DispatchContext,
  origin: Origin,
  netuid: number,
  mecid: number,
  uids: readonly number[],
  values: readonly number[],
  versionKey: bigint,
): DispatchOutcome {
  const state = ctx.state;
  const netuidIndex = mechanismStorageIndex(netuid, mecid);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const hotkey = origin.who;
  if (netuid === 0) return fail(subtensorError('CanNotSetRootNetworkWeights'));
  if (uids.length !== values.length) return fail(subtensorError('WeightVecNotEqualSize'));
  const noMech = ensureMechanismExists(state, netuid, mecid);
  if (noMech) return fail(noMech);
  const n = S.SubnetworkN.get(state, netuid);
  if (uids.length > n) return fail(subtensorError('UidsLengthExceedUidsInSubNet'));
  const uid = S.Uids.tryGet(state, netuid, hotkey);
  if (uid === undefined) return fail(subtensorError('HotKeyNotRegisteredInSubNet'));
  if (!checkWeightsMinStake(state, hotkey, netuid))
    return fail(subtensorError('NotEnoughStakeToSetWeights'));
  const required = S.WeightsVersionKey.get(state, netuid);
  if (required !== 0n && versionKey < required)
    return fail(subtensorError('IncorrectWeightVersionKey'));
  const now = blockOf(ctx);
  const cr = crEnabled(state, netuid);
  if (!cr && !checkWeightsRateLimit(state, netuidIndex, uid, now))
    return fail(subtensorError('SettingWeightsTooFast'));
  const self = isSelfWeight(uid, uids, values);
  if (!self && ownerUid(state, netuid) !== uid && !S.ValidatorPermit.get(state, netuid)[uid])
    return fail(subtensorError('NeuronNoValidatorPermit'));
  if (new Set(uids).size !== uids.length) return fail(subtensorError('DuplicateUids'));
  for (const u of uids)
    if (S.Keys.tryGet(state, netuid, u) === undefined)
      return fail(subtensorError('UidVecContainInvalidOne'));
  const minAllowed = Math.min(n, S.MinAllowedWeights.get(state, netuid));
  if (!self && values.length < minAllowed) return fail(subtensorError('WeightVecLengthIsLow'));
  const upscaled = maxUpscaleU16(values);
  const limit: number = MAX_WEIGHT_LIMIT;
  if (!self && limit !== U16_MAX && !checkVecMaxLimited(upscaled, limit))
    return fail(subtensorError('MaxWeightExceeded'));
  S.Weights.set(
    state,
    netuidIndex,
    uid,
    uids.map((u, i) => [u, upscaled[i] as number] as [number, number]),
  );
  if (!cr) setLastUpdateForUid(state, netuidIndex, uid, now);
  ctx.deposit(subtensorEvent({ type: 'WeightsSet', value: [netuidIndex, uid] }));
  return OK;
}

/** `internal_commit_weights`: queues a hash commit tagged with its epoch and block. */
function internalCommitWeights(
  ctx: DispatchContext,
  origin: Origin,
  netuid: number,
  mecid: number,
  hash: Uint8Array,
): DispatchOutcome {
  const state = ctx.state;
  const noMech = ensureMechanismExists(state, netuid, mecid);
  if (noMech) return fail(noMech);
  const netuidIndex = mechanismStorageIndex(netuid, mecid);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  if (!crEnabled(state, netuid)) return fail(subtensorError('CommitRevealDisabled'));
  const uid = S.Uids.tryGet(state, netuid, who);
  if (uid === undefined) return fail(subtensorError('HotKeyNotRegisteredInSubNet'));
  const now = blockOf(ctx);
  if (!checkWeightsRateLimit(state, netuidIndex, uid, now))
    return fail(subtensorError('CommittingWeightsTooFast'));
  const epoch = currentEpochWithLookahead(state, netuid, now);
  const commits = S.WeightCommits.tryGet(state, netuidIndex, who) ?? [];
  dropExpired(state, netuid, commits, now);
  if (commits.length >= MAX_UNREVEALED_COMMITS)
    return fail(subtensorError('TooManyUnrevealedCommits'));
  commits.push([hash, epoch, now, 0n]);
  S.WeightCommits.set(state, netuidIndex, who, commits);
  ctx.deposit(subtensorEvent({ type: 'WeightsCommitted', value: [who, netuidIndex, hash] }));
  setLastUpdateForUid(state, netuidIndex, uid, now);
  return OK;
}

type Commit = [Uint8Array, bigint, bigint, bigint];

/** Drops expired commits from the front, returning their hashes. */
function dropExpired(
  state: StateRW,
  netuid: number,
  commits: Commit[],
  block: bigint,
): Uint8Array[] {
  const expired: Uint8Array[] = [];
  while (commits.length > 0 && isCommitExpired(state, netuid, (commits[0] as Commit)[1], block))
    expired.push((commits.shift() as Commit)[0]);
  return expired;
}

const hasHash = (hashes: readonly Uint8Array[], h: Uint8Array) =>
  hashes.some((x) => bytesEqual(x, h));

/** `internal_reveal_weights`: matches a commit, sets the weights, drops it and all older ones. */
function internalRevealWeights(
  ctx: DispatchContext,
  origin: Origin,
  netuid: number,
  mecid: number,
  uids: readonly number[],
  values: readonly number[],
  salt: readonly number[],
  versionKey: bigint,
): DispatchOutcome {
  const state = ctx.state;
  const netuidIndex = mechanismStorageIndex(netuid, mecid);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  if (!crEnabled(state, netuid)) return fail(subtensorError('CommitRevealDisabled'));
  const commits = S.WeightCommits.tryGet(state, netuidIndex, who);
  if (!commits) return fail(subtensorError('NoWeightsCommitFound'));
  const now = blockOf(ctx);
  const expired = dropExpired(state, netuid, commits, now);
  const hash = commitHash(who, netuidIndex, uids, values, salt, versionKey);
  if (commits.length === 0)
    return fail(
      subtensorError(hasHash(expired, hash) ? 'ExpiredWeightCommit' : 'NoWeightsCommitFound'),
    );
  const pos = commits.findIndex(([h]) => bytesEqual(h, hash));
  if (pos < 0)
    return fail(
      subtensorError(
        hasHash(expired, hash) ? 'ExpiredWeightCommit' : 'InvalidRevealCommitHashNotMatch',
      ),
    );
  if (!isRevealEpoch(state, netuid, (commits[pos] as Commit)[1], now))
    return fail(subtensorError('RevealTooEarly'));
  commits.splice(0, pos + 1);
  if (commits.length === 0) S.WeightCommits.remove(state, netuidIndex, who);
  else S.WeightCommits.set(state, netuidIndex, who, commits);
  const set = internalSetWeights(ctx, origin, netuid, mecid, uids, values, versionKey);
  if (!set.ok) return set;
  ctx.deposit(subtensorEvent({ type: 'WeightsRevealed', value: [who, netuidIndex, hash] }));
  return OK;
}

/**
 * `do_batch_reveal_weights` (main mechanism only): validates every reveal first, then removes
 * exactly the matched commits (older ones stay, unlike a single reveal) and sets each in order.
 */
function batchRevealWeights(
  ctx: DispatchContext,
  origin: Origin,
  netuid: number,
  uidsList: readonly number[][],
  valuesList: readonly number[][],
  saltsList: readonly number[][],
  versionKeys: readonly bigint[],
): DispatchOutcome {
  const state = ctx.state;
  const netuidIndex = mechanismStorageIndex(netuid, 0);
  const count = uidsList.length;
  if (count !== valuesList.length || count !== saltsList.length || count !== versionKeys.length)
    return fail(subtensorError('InputLengthsUnequal'));
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  if (!crEnabled(state, netuid)) return fail(subtensorError('CommitRevealDisabled'));
  const commits = S.WeightCommits.tryGet(state, netuidIndex, who);
  if (!commits) return fail(subtensorError('NoWeightsCommitFound'));
  const now = blockOf(ctx);
  const expired = dropExpired(state, netuid, commits, now);
  const hashes = uidsList.map((uids, i) =>
    commitHash(
      who,
      netuid,
      uids,
      valuesList[i] as number[],
      saltsList[i] as number[],
      versionKeys[i] as bigint,
    ),
  );
  const missing = (h: Uint8Array) =>
    fail(
      subtensorError(
        hasHash(expired, h) ? 'ExpiredWeightCommit' : 'InvalidRevealCommitHashNotMatch',
      ),
    );
  for (const h of hashes) {
    const found = commits.find(([c]) => bytesEqual(c, h));
    if (!found) return missing(h);
    if (!isRevealEpoch(state, netuid, found[1], now)) return fail(subtensorError('RevealTooEarly'));
  }
  for (let i = 0; i < count; i++) {
    const h = hashes[i] as Uint8Array;
    const pos = commits.findIndex(([c]) => bytesEqual(c, h));
    if (pos < 0) return missing(h);
    commits.splice(pos, 1);
    const set = internalSetWeights(
      ctx,
      origin,
      netuid,
      0,
      uidsList[i] as number[],
      valuesList[i] as number[],
      versionKeys[i] as bigint,
    );
    if (!set.ok) return set;
  }
  if (commits.length === 0) S.WeightCommits.remove(state, netuidIndex, who);
  else S.WeightCommits.set(state, netuidIndex, who, commits);
  ctx.deposit(subtensorEvent({ type: 'WeightsBatchRevealed', value: [who, netuid, hashes] }));
  return OK;
}

/** Emits the batch's per-item failures (after the first, `BatchCompletedWithErrors`). */
function reportBatch(
  ctx: DispatchContext,
  results: readonly [number, DispatchOutcome][],
  netuids: number[],
  who: Uint8Array,
): DispatchOutcome {
  let withErrors = false;
  for (const [netuid, r] of results) {
    if (r.ok) continue;
    if (!withErrors) {
      ctx.deposit(subtensorEvent({ type: 'BatchCompletedWithErrors' }));
      withErrors = true;
    }
    ctx.deposit(subtensorEvent({ type: 'BatchWeightItemFailed', value: [netuid, r.error] }));
  }
  ctx.deposit(subtensorEvent({ type: 'BatchWeightsCompleted', value: [netuids, who] }));
  return OK;
}

const sm = handlers.SubtensorModule;

sm.set_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) =>
    crEnabled(x.state, c.netuid)
      ? fail(subtensorError('CommitRevealEnabled'))
      : internalSetWeights(x, origin, c.netuid, 0, c.dests, c.weights, c.version_key),
  );

sm.set_mechanism_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) =>
    crEnabled(x.state, c.netuid)
      ? fail(subtensorError('CommitRevealEnabled'))
      : internalSetWeights(x, origin, c.netuid, c.mecid, c.dests, c.weights, c.version_key),
  );

sm.batch_set_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) => {
    if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
    const n = c.netuids.length;
    if (n !== c.weights.length || n !== c.version_keys.length)
      return fail(subtensorError('InputLengthsUnequal'));
    const results = c.netuids.map((netuid, i): [number, DispatchOutcome] => {
      if (crEnabled(x.state, netuid)) return [netuid, fail(subtensorError('CommitRevealEnabled'))];
      const w = c.weights[i] as [number, number][];
      const uids = w.map(([u]) => u);
      const values = w.map(([, v]) => v);
      const vk = c.version_keys[i] as bigint;
      return [netuid, atomic(x, (y) => internalSetWeights(y, origin, netuid, 0, uids, values, vk))];
    });
    return reportBatch(x, results, c.netuids, origin.who);
  });

sm.commit_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) => internalCommitWeights(x, origin, c.netuid, 0, c.commit_hash));

sm.commit_mechanism_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) => internalCommitWeights(x, origin, c.netuid, c.mecid, c.commit_hash));

sm.batch_commit_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) => {
    if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
    if (c.netuids.length !== c.commit_hashes.length)
      return fail(subtensorError('InputLengthsUnequal'));
    const results = c.netuids.map((netuid, i): [number, DispatchOutcome] => [
      netuid,
      atomic(x, (y) =>
        internalCommitWeights(y, origin, netuid, 0, c.commit_hashes[i] as Uint8Array),
      ),
    ]);
    return reportBatch(x, results, c.netuids, origin.who);
  });

sm.reveal_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) =>
    internalRevealWeights(x, origin, c.netuid, 0, c.uids, c.values, c.salt, c.version_key),
  );

sm.reveal_mechanism_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) =>
    internalRevealWeights(x, origin, c.netuid, c.mecid, c.uids, c.values, c.salt, c.version_key),
  );

sm.batch_reveal_weights = (ctx, origin, { value: c }) =>
  atomic(ctx, (x) =>
    batchRevealWeights(
      x,
      origin,
      c.netuid,
      c.uids_list,
      c.values_list,
      c.salts_list,
      c.version_keys,
    ),
  );
