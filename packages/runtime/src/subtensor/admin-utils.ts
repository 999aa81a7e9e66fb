/**
 * AdminUtils (pallet index 19): the root and subnet-owner setters of subtensor's hyperparameters
 * (subtensor 14bc6f9f: pallets/admin-utils/src/lib.rs and the SubtensorModule helpers it calls).
 *
 * Rules, per call as the source has them: root-only or owner-or-root (`BadOrigin` otherwise); the
 * owner's per-hyperparameter rate limit (`TxRateLimitExceeded`, recorded only for owner callers);
 * the admin freeze window (`AdminActionProhibitedDuringWeightsWindow`, root included); the subnet
 * existence check (`SubnetDoesNotExist`, which several owner setters skip); then the bounds.
 *
 * Not registered (the router answers `CallFiltered`): `swap_authorities` (0) and
 * `schedule_grandpa_change` (59), as our chain has no Aura/GRANDPA authority set to change, and
 * `sudo_set_evm_chain_id` (58), as it has no EVM.
 */
import {
  AdminUtils,
  type AdminUtilsCall,
  type AdminUtilsEvent,
  type DispatchError,
  type RuntimeEvent,
  SubtensorStorage as S,
  type StateRW,
  type StorageItem,
} from '@taoscript/chain-types';
import { bytesEqual, fxFromInt, U64F64 } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  moduleError,
  OK,
  type Origin,
} from '../dispatch.js';
import { type Handler, handlers } from './dispatch.js';
import { MAX_BURN_HALF_LIFE } from './math/registration.js';
import {
  atomic,
  blockOf,
  ensureAdminWindowOpen,
  ensureSnOwnerOrRootWithLimits,
  ensureSubnetOwnerOrRoot,
  type HyperparameterName,
  passesRateLimitOnSubnet,
  recordOwnerRateLimit,
  setLastBlockOnSubnet,
  subtensorError,
  type TransactionType,
} from './rate-limits.js';
import {
  MAX_MECHANISM_COUNT_PER_SUBNET,
  MAX_REVEAL_PERIOD,
  MIN_REVEAL_PERIOD,
  mechanismStorageIndex,
  subtensorEvent,
} from './weights.js';

/** Stores a per-subnet value and emits `event(netuid, value)`: the body of most setters. */
function storeAndEmit<V>(
  ctx: DispatchContext,
  item: StorageItem<[number], V>,
  netuid: number,
  value: V,
  event: string,
): undefined {
  item.set(ctx.state, netuid, value);
  ctx.deposit(subtensorEvent({ type: event, value: [netuid, value] } as never));
  return undefined;
}

/** AdminUtils' pallet index. */
export const ADMIN_UTILS_PALLET = 19;
/** `DefaultMaxAllowedUids` (`InitialMaxAllowedUids`): the ceiling of `MaxAllowedUids`. */
export const DEFAULT_MAX_ALLOWED_UIDS = 256;
/** `MinBurnUpperBound`: `MinBurn` must stay below 1 TAO. */
export const MIN_BURN_UPPER_BOUND = 1_000_000_000n;
/** `MaxBurnLowerBound`: `MaxBurn` must stay above 0.1 TAO. */
export const MAX_BURN_LOWER_BOUND = 100_000_000n;
/** The most an owner may set `BondsMovingAverage` to. */
export const OWNER_MAX_BONDS_MOVING_AVERAGE = 975_000n;
/** `MinImmuneOwnerUidsLimit`: the least `ImmuneOwnerUidsLimit`. */
export const MIN_IMMUNE_OWNER_UIDS_LIMIT = 1;
/** `MaxImmuneOwnerUidsLimit`: the most `ImmuneOwnerUidsLimit`. */
export const MAX_IMMUNE_OWNER_UIDS_LIMIT = 10;
/** `u16::MAX / 40`: the floor of both liquid-alpha bounds. */
export const MIN_ALPHA_VALUE = 1_638;
/** `DefaultMinStake` (rao), the unit `NominatorMinRequiredStake` scales (per million). */
export const DEFAULT_MIN_STAKE = 2_000_000n;
/** `MaxImmuneUidsPercentage`: trimming must leave immune uids under this share (percent). */
export const MAX_IMMUNE_UIDS_PERCENT = 80n;

const U64_MAX = (1n << 64n) - 1n;

/**
 * Staking's hook for `sudo_set_nominator_min_required_stake`: when the minimum rises, subtensor
 * sweeps every nomination below it (`clear_small_nominations`). The staking module installs it;
 * without one there are no share-pool positions to sweep.
 */
export const nominationHooks: { clearSmallNominations?: (ctx: DispatchContext) => void } = {};

/** `DispatchError::Module` for an AdminUtils error name. */
export const adminUtilsError = (name: string): DispatchError =>
  moduleError(ADMIN_UTILS_PALLET, name);

const adminEvent = (value: AdminUtilsEvent): RuntimeEvent => ({ type: 'AdminUtils', value });
const hp = (hyperparameter: HyperparameterName): TransactionType => ({ hyperparameter });

type Name = AdminUtilsCall['type'];
type Args<N extends Name> = Extract<AdminUtilsCall, { type: N }>['value'];
/** A setter body after the origin/limit/window/existence checks: an error, or nothing. */
type Body<N extends Name> = (
  ctx: DispatchContext,
  c: Args<N>,
  owner: Uint8Array | undefined,
) => DispatchError | undefined;

function register<N extends Name>(
  name: N,
  fn: (ctx: DispatchContext, o: Origin, c: Args<N>) => DispatchOutcome,
) {
  const handler: Handler<{ type: N; value: Args<N> }> = (ctx, origin, call) =>
    atomic(ctx, (x) => fn(x, origin, call.value));
  (handlers.AdminUtils as Record<string, unknown>)[name] = handler;
}

const subnetExists = (state: StateRW, netuid: number): DispatchError | undefined =>
  S.NetworksAdded.get(state, netuid) ? undefined : adminUtilsError('SubnetDoesNotExist');

interface Rule {
  /** Root only, or the subnet owner too (`ensure_sn_owner_or_root_with_limits`). */
  who: 'root' | 'owner';
  /** The owner's rate limits: checked first, recorded after success (owner callers only). */
  limits?: readonly TransactionType[];
  /** The admin freeze window applies (root included). */
  freeze: boolean;
  /** `SubnetDoesNotExist` is checked (after the window). */
  exists: boolean;
}

/** Registers a per-subnet setter: origin, owner limits, window, existence, then `body`. */
function subnetSetter<N extends Name>(name: N, rule: Rule, body: Body<N>): void {
  register(name, (ctx, origin, c) => {
    const netuid = (c as { netuid: number }).netuid;
    const now = blockOf(ctx);
    let owner: Uint8Array | undefined;
    if (rule.who === 'root') {
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
    } else {
      const r = ensureSnOwnerOrRootWithLimits(ctx.state, origin, netuid, rule.limits ?? [], now);
      if (!r.ok) return fail(r.error);
      owner = r.owner;
    }
    const frozen = rule.freeze ? ensureAdminWindowOpen(ctx.state, netuid, now) : undefined;
    if (frozen) return fail(frozen);
    const missing = rule.exists ? subnetExists(ctx.state, netuid) : undefined;
    if (missing) return fail(missing);
    const err = body(ctx, c, owner);
    if (err) return fail(err);
    recordOwnerRateLimit(ctx.state, owner, netuid, rule.limits ?? [], now);
    return OK;
  });
}

/** Registers a root-only setter with no subnet rules. */
function rootSetter<N extends Name>(
  name: N,
  body: (ctx: DispatchContext, c: Args<N>) => DispatchError | undefined,
): void {
  register(name, (ctx, origin, c) => {
    if (origin.type !== 'Root') return fail(BAD_ORIGIN);
    const err = body(ctx, c);
    return err ? fail(err) : OK;
  });
}

/** Owner-or-root with an `OwnerHyperparamUpdate(h)` limit, the window and (optionally) existence. */
const owner = (h: HyperparameterName, exists = true): Rule => ({
  who: 'owner',
  limits: [hp(h)],
  freeze: true,
  exists,
});
const ROOT: Rule = { who: 'root', freeze: false, exists: true };
const ROOT_FROZEN: Rule = { who: 'root', freeze: true, exists: true };

// ---- Global root setters -------------------------------------------------------------------

rootSetter('sudo_set_default_take', (ctx, c) => {
  S.MaxDelegateTake.set(ctx.state, c.default_take);
  ctx.deposit(subtensorEvent({ type: 'MaxDelegateTakeSet', value: c.default_take }));
  return undefined;
});
rootSetter('sudo_set_tx_rate_limit', (ctx, c) => {
  S.TxRateLimit.set(ctx.state, c.tx_rate_limit);
  ctx.deposit(subtensorEvent({ type: 'TxRateLimitSet', value: c.tx_rate_limit }));
  return undefined;
});
rootSetter('sudo_set_subnet_owner_cut', (ctx, c) => {
  S.SubnetOwnerCut.set(ctx.state, c.subnet_owner_cut);
  ctx.deposit(subtensorEvent({ type: 'SubnetOwnerCutSet', value: c.subnet_owner_cut }));
  return undefined;
});
rootSetter('sudo_set_network_rate_limit', (ctx, c) => {
  S.NetworkRateLimit.set(ctx.state, c.rate_limit);
  ctx.deposit(subtensorEvent({ type: 'NetworkRateLimitSet', value: c.rate_limit }));
  return undefined;
});
rootSetter('sudo_set_network_immunity_period', (ctx, c) => {
  S.NetworkImmunityPeriod.set(ctx.state, c.immunity_period);
  ctx.deposit(subtensorEvent({ type: 'NetworkImmunityPeriodSet', value: c.immunity_period }));
  return undefined;
});
rootSetter('sudo_set_network_min_lock_cost', (ctx, c) => {
  S.NetworkMinLockCost.set(ctx.state, c.lock_cost);
  ctx.deposit(subtensorEvent({ type: 'NetworkMinLockCostSet', value: c.lock_cost }));
  return undefined;
});
rootSetter('sudo_set_subnet_limit', (ctx, c) => {
  S.SubnetLimit.set(ctx.state, c.max_subnets);
  ctx.deposit(subtensorEvent({ type: 'SubnetLimitSet', value: c.max_subnets }));
  return undefined;
});
rootSetter('sudo_set_lock_reduction_interval', (ctx, c) => {
  S.NetworkLockReductionInterval.set(ctx.state, c.interval);
  ctx.deposit(subtensorEvent({ type: 'NetworkLockCostReductionIntervalSet', value: c.interval }));
  return undefined;
});
rootSetter('sudo_set_stake_threshold', (ctx, c) => {
  S.StakeThreshold.set(ctx.state, c.min_stake);
  ctx.deposit(subtensorEvent({ type: 'StakeThresholdSet', value: c.min_stake }));
  return undefined;
});
rootSetter('sudo_set_nominator_min_required_stake', (ctx, c) => {
  // subtensor compares the new per-million factor with the previous minimum in rao.
  const factor = S.NominatorMinRequiredStake.get(ctx.state);
  const product = DEFAULT_MIN_STAKE * factor;
  const prev = (product > U64_MAX ? U64_MAX : product) / 1_000_000n;
  S.NominatorMinRequiredStake.set(ctx.state, c.min_stake);
  if (c.min_stake > prev) nominationHooks.clearSmallNominations?.(ctx);
  return undefined;
});
rootSetter('sudo_set_tx_delegate_take_rate_limit', (ctx, c) => {
  S.TxDelegateTakeRateLimit.set(ctx.state, c.tx_rate_limit);
  ctx.deposit(subtensorEvent({ type: 'TxDelegateTakeRateLimitSet', value: c.tx_rate_limit }));
  return undefined;
});
rootSetter('sudo_set_min_delegate_take', (ctx, c) => {
  S.MinDelegateTake.set(ctx.state, c.take);
  ctx.deposit(subtensorEvent({ type: 'MinDelegateTakeSet', value: c.take }));
  return undefined;
});
rootSetter('sudo_set_dissolve_network_schedule_duration', (ctx, c) => {
  S.DissolveNetworkScheduleDuration.set(ctx.state, c.duration);
  ctx.deposit(subtensorEvent({ type: 'DissolveNetworkScheduleDurationSet', value: c.duration }));
  return undefined;
});
rootSetter('sudo_toggle_evm_precompile', (ctx, c) => {
  const id = c.precompile_id;
  if (AdminUtils.PrecompileEnable.get(ctx.state, id) !== c.enabled) {
    AdminUtils.PrecompileEnable.set(ctx.state, id, c.enabled);
    ctx.deposit(
      adminEvent({ type: 'PrecompileUpdated', value: { precompile_id: id, enabled: c.enabled } }),
    );
  }
  return undefined;
});
rootSetter('sudo_set_subnet_moving_alpha', (ctx, c) => {
  S.SubnetMovingAlpha.set(ctx.state, c.alpha);
  return undefined;
});
rootSetter('sudo_set_commit_reveal_version', (ctx, c) => {
  S.CommitRevealWeightsVersion.set(ctx.state, c.version);
  ctx.deposit(subtensorEvent({ type: 'CommitRevealVersionSet', value: c.version }));
  return undefined;
});
rootSetter('sudo_set_ck_burn', (ctx, c) => {
  S.CKBurn.set(ctx.state, c.burn);
  return undefined;
});
rootSetter('sudo_set_admin_freeze_window', (ctx, c) => {
  S.AdminFreezeWindow.set(ctx.state, c.window);
  ctx.deposit(subtensorEvent({ type: 'AdminFreezeWindowSet', value: c.window }));
  return undefined;
});
rootSetter('sudo_set_owner_hparam_rate_limit', (ctx, c) => {
  S.OwnerHyperparamRateLimit.set(ctx.state, c.epochs);
  ctx.deposit(subtensorEvent({ type: 'OwnerHyperparamRateLimitSet', value: c.epochs }));
  return undefined;
});
rootSetter('sudo_set_tao_flow_cutoff', (ctx, c) => {
  S.TaoFlowCutoff.set(ctx.state, c.flow_cutoff);
  return undefined;
});
rootSetter('sudo_set_tao_flow_normalization_exponent', (ctx, c) => {
  if (c.exponent < fxFromInt(U64F64, 1) || c.exponent > fxFromInt(U64F64, 2))
    return adminUtilsError('InvalidValue');
  S.FlowNormExponent.set(ctx.state, c.exponent);
  return undefined;
});
rootSetter('sudo_set_tao_flow_smoothing_factor', (ctx, c) => {
  S.FlowEmaSmoothingFactor.set(ctx.state, c.smoothing_factor);
  return undefined;
});
rootSetter('sudo_set_net_tao_flow_enabled', (ctx, c) => {
  S.NetTaoFlowEnabled.set(ctx.state, c.enabled);
  return undefined;
});
rootSetter('sudo_set_max_mechanism_count', (ctx, c) => {
  const n = c.max_mechanism_count;
  if (n === 0 || n > MAX_MECHANISM_COUNT_PER_SUBNET) return subtensorError('InvalidValue');
  S.MaxMechanismCount.set(ctx.state, n);
  return undefined;
});
rootSetter('sudo_set_start_call_delay', (ctx, c) => {
  S.StartCallDelay.set(ctx.state, c.delay);
  ctx.deposit(subtensorEvent({ type: 'StartCallDelaySet', value: c.delay }));
  return undefined;
});
rootSetter('sudo_set_coldkey_swap_announcement_delay', (ctx, c) => {
  S.ColdkeySwapAnnouncementDelay.set(ctx.state, c.duration);
  ctx.deposit(subtensorEvent({ type: 'ColdkeySwapAnnouncementDelaySet', value: c.duration }));
  return undefined;
});
rootSetter('sudo_set_coldkey_swap_reannouncement_delay', (ctx, c) => {
  S.ColdkeySwapReannouncementDelay.set(ctx.state, c.duration);
  ctx.deposit(subtensorEvent({ type: 'ColdkeySwapReannouncementDelaySet', value: c.duration }));
  return undefined;
});
rootSetter('sudo_set_max_epochs_per_block', (ctx, c) => {
  if (c.max_epochs_per_block < 1) return adminUtilsError('ValueNotInBounds');
  S.MaxEpochsPerBlock.set(ctx.state, c.max_epochs_per_block);
  ctx.deposit(subtensorEvent({ type: 'MaxEpochsPerBlockSet', value: c.max_epochs_per_block }));
  return undefined;
});

// ---- Root per-subnet setters without the window or existence checks -------------------------

const ROOT_ANY: Rule = { who: 'root', freeze: false, exists: false };
subnetSetter('sudo_set_network_registration_allowed', ROOT_ANY, (ctx, c) =>
  storeAndEmit(
    ctx,
    S.NetworkRegistrationAllowed,
    c.netuid,
    c.registration_allowed,
    'RegistrationAllowed',
  ),
);
subnetSetter('sudo_set_ema_price_halving_period', ROOT_ANY, (ctx, c) => {
  S.EMAPriceHalvingBlocks.set(ctx.state, c.netuid, c.ema_halving);
  return undefined;
});
subnetSetter('sudo_set_min_non_immune_uids', ROOT_ANY, (ctx, c) =>
  storeAndEmit(ctx, S.MinNonImmuneUids, c.netuid, c.min, 'MinNonImmuneUidsSet'),
);
subnetSetter(
  'sudo_set_subtoken_enabled',
  { who: 'root', freeze: true, exists: false },
  (ctx, c) => {
    S.SubtokenEnabled.set(ctx.state, c.netuid, c.subtoken_enabled);
    return undefined;
  },
);

// ---- Root per-subnet setters ----------------------------------------------------------------

subnetSetter('sudo_set_min_difficulty', ROOT_FROZEN, (ctx, c) =>
  storeAndEmit(ctx, S.MinDifficulty, c.netuid, c.min_difficulty, 'MinDifficultySet'),
);
subnetSetter('sudo_set_weights_set_rate_limit', ROOT, (ctx, c) =>
  storeAndEmit(
    ctx,
    S.WeightsSetRateLimit,
    c.netuid,
    c.weights_set_rate_limit,
    'WeightsSetRateLimitSet',
  ),
);
subnetSetter('sudo_set_adjustment_interval', ROOT, (ctx, c) =>
  storeAndEmit(ctx, S.AdjustmentInterval, c.netuid, c.adjustment_interval, 'AdjustmentIntervalSet'),
);
subnetSetter('sudo_set_kappa', ROOT, (ctx, c) =>
  storeAndEmit(ctx, S.Kappa, c.netuid, c.kappa, 'KappaSet'),
);
subnetSetter('sudo_set_target_registrations_per_interval', ROOT_FROZEN, (ctx, c) => {
  const v = c.target_registrations_per_interval;
  S.TargetRegistrationsPerInterval.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'RegistrationPerIntervalSet', value: [c.netuid, v] }));
  return undefined;
});
subnetSetter('sudo_set_difficulty', ROOT_FROZEN, (ctx, c) =>
  storeAndEmit(ctx, S.Difficulty, c.netuid, c.difficulty, 'DifficultySet'),
);
subnetSetter('sudo_set_max_allowed_validators', ROOT_FROZEN, (ctx, c) => {
  const v = c.max_allowed_validators;
  if (v > S.MaxAllowedUids.get(ctx.state, c.netuid))
    return adminUtilsError('MaxValidatorsLargerThanMaxUIds');
  S.MaxAllowedValidators.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'MaxAllowedValidatorsSet', value: [c.netuid, v] }));
  return undefined;
});
subnetSetter('sudo_set_max_registrations_per_block', ROOT_FROZEN, (ctx, c) => {
  const v = c.max_registrations_per_block;
  S.MaxRegistrationsPerBlock.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'MaxRegistrationsPerBlockSet', value: [c.netuid, v] }));
  return undefined;
});
subnetSetter('sudo_set_tempo', ROOT_FROZEN, (ctx, c) => {
  // `apply_tempo_with_cycle_reset`: the next automatic epoch counts from this block.
  S.Tempo.set(ctx.state, c.netuid, c.tempo);
  ctx.deposit(subtensorEvent({ type: 'TempoSet', value: [c.netuid, c.tempo] }));
  S.LastEpochBlock.set(ctx.state, c.netuid, blockOf(ctx));
  return undefined;
});
subnetSetter('sudo_set_rao_recycled', ROOT, (ctx, c) =>
  storeAndEmit(
    ctx,
    S.RAORecycledForRegistration,
    c.netuid,
    c.rao_recycled,
    'RAORecycledForRegistrationSet',
  ),
);
subnetSetter('sudo_set_min_allowed_uids', ROOT_FROZEN, (ctx, c) => {
  const v = c.min_allowed_uids;
  if (v >= S.MaxAllowedUids.get(ctx.state, c.netuid))
    return adminUtilsError('MinAllowedUidsGreaterThanMaxAllowedUids');
  if (v >= S.SubnetworkN.get(ctx.state, c.netuid))
    return adminUtilsError('MinAllowedUidsGreaterThanCurrentUids');
  S.MinAllowedUids.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'MinAllowedUidsSet', value: [c.netuid, v] }));
  return undefined;
});
subnetSetter('sudo_set_subnet_emission_enabled', ROOT, (ctx, c) => {
  if (c.netuid === 0) return adminUtilsError('NotPermittedOnRootSubnet');
  S.SubnetEmissionEnabled.set(ctx.state, c.netuid, c.enabled);
  ctx.deposit(
    adminEvent({
      type: 'SubnetEmissionEnabledSet',
      value: { netuid: c.netuid, enabled: c.enabled },
    }),
  );
  return undefined;
});

// ---- Owner-or-root per-subnet setters -------------------------------------------------------

subnetSetter('sudo_set_serving_rate_limit', owner('ServingRateLimit', false), (ctx, c) =>
  storeAndEmit(ctx, S.ServingRateLimit, c.netuid, c.serving_rate_limit, 'ServingRateLimitSet'),
);
subnetSetter('sudo_set_max_difficulty', owner('MaxDifficulty'), (ctx, c) =>
  storeAndEmit(ctx, S.MaxDifficulty, c.netuid, c.max_difficulty, 'MaxDifficultySet'),
);
subnetSetter(
  'sudo_set_weights_version_key',
  // Its own limit: WeightsVersionKeyRateLimit tempos, kept per owner coldkey.
  { who: 'owner', limits: ['SetWeightsVersionKey'], freeze: true, exists: true },
  (ctx, c) => {
    S.WeightsVersionKey.set(ctx.state, c.netuid, c.weights_version_key);
    ctx.deposit(
      subtensorEvent({ type: 'WeightsVersionKeySet', value: [c.netuid, c.weights_version_key] }),
    );
    return undefined;
  },
);
subnetSetter('sudo_set_adjustment_alpha', owner('AdjustmentAlpha'), (ctx, c) =>
  storeAndEmit(ctx, S.AdjustmentAlpha, c.netuid, c.adjustment_alpha, 'AdjustmentAlphaSet'),
);
subnetSetter('sudo_set_immunity_period', owner('ImmunityPeriod'), (ctx, c) =>
  storeAndEmit(ctx, S.ImmunityPeriod, c.netuid, c.immunity_period, 'ImmunityPeriodSet'),
);
subnetSetter('sudo_set_min_allowed_weights', owner('MinAllowedWeights'), (ctx, c) => {
  const v = c.min_allowed_weights;
  S.MinAllowedWeights.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'MinAllowedWeightSet', value: [c.netuid, v] }));
  return undefined;
});
subnetSetter('sudo_set_max_allowed_uids', owner('MaxAllowedUids'), (ctx, c) => {
  const v = c.max_allowed_uids;
  if (v < S.MinAllowedUids.get(ctx.state, c.netuid))
    return adminUtilsError('MaxAllowedUidsLessThanMinAllowedUids');
  if (S.SubnetworkN.get(ctx.state, c.netuid) > v)
    return adminUtilsError('MaxAllowedUIdsLessThanCurrentUIds');
  if (v > DEFAULT_MAX_ALLOWED_UIDS)
    return adminUtilsError('MaxAllowedUidsGreaterThanDefaultMaxAllowedUids');
  const tooMany = ensureMaxUidsOverAllMechanisms(
    v,
    S.MechanismCountCurrent.get(ctx.state, c.netuid),
  );
  if (tooMany) return tooMany;
  S.MaxAllowedUids.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'MaxAllowedUidsSet', value: [c.netuid, v] }));
  return undefined;
});
subnetSetter('sudo_set_rho', owner('Rho'), (ctx, c) => {
  S.Rho.set(ctx.state, c.netuid, c.rho);
  return undefined;
});
subnetSetter('sudo_set_activity_cutoff', owner('ActivityCutoff'), (ctx, c) => {
  const v = c.activity_cutoff;
  if (v < S.MinActivityCutoff.get(ctx.state)) return subtensorError('ActivityCutoffTooLow');
  S.ActivityCutoff.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'ActivityCutoffSet', value: [c.netuid, v] }));
  return undefined;
});
subnetSetter('sudo_set_min_burn', owner('MinBurn'), (ctx, c) => {
  const v = c.min_burn;
  if (v >= MIN_BURN_UPPER_BOUND || v >= S.MaxBurn.get(ctx.state, c.netuid))
    return adminUtilsError('ValueNotInBounds');
  S.MinBurn.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'MinBurnSet', value: [c.netuid, v] }));
  return undefined;
});
subnetSetter('sudo_set_max_burn', owner('MaxBurn'), (ctx, c) => {
  const v = c.max_burn;
  if (v <= MAX_BURN_LOWER_BOUND || v <= S.MinBurn.get(ctx.state, c.netuid))
    return adminUtilsError('ValueNotInBounds');
  S.MaxBurn.set(ctx.state, c.netuid, v);
  ctx.deposit(subtensorEvent({ type: 'MaxBurnSet', value: [c.netuid, v] }));
  return undefined;
});
register('sudo_set_bonds_moving_average', (ctx, origin, c) => {
  // Here the owner's ceiling is checked before the subnet's existence.
  const limits = [hp('BondsMovingAverage')];
  const now = blockOf(ctx);
  const r = ensureSnOwnerOrRootWithLimits(ctx.state, origin, c.netuid, limits, now);
  if (!r.ok) return fail(r.error);
  const frozen = ensureAdminWindowOpen(ctx.state, c.netuid, now);
  if (frozen) return fail(frozen);
  if (r.owner && c.bonds_moving_average > OWNER_MAX_BONDS_MOVING_AVERAGE)
    return fail(adminUtilsError('BondsMovingAverageMaxReached'));
  const missing = subnetExists(ctx.state, c.netuid);
  if (missing) return fail(missing);
  S.BondsMovingAverage.set(ctx.state, c.netuid, c.bonds_moving_average);
  ctx.deposit(
    subtensorEvent({ type: 'BondsMovingAverageSet', value: [c.netuid, c.bonds_moving_average] }),
  );
  recordOwnerRateLimit(ctx.state, r.owner, c.netuid, limits, now);
  return OK;
});
subnetSetter('sudo_set_bonds_penalty', owner('BondsPenalty'), (ctx, c) =>
  storeAndEmit(ctx, S.BondsPenalty, c.netuid, c.bonds_penalty, 'BondsPenaltySet'),
);
subnetSetter('sudo_set_min_childkey_take_per_subnet', owner('MinChildkeyTake'), (ctx, c) => {
  const t = c.take;
  if (t < S.MinChildkeyTake.get(ctx.state) || t > S.MaxChildkeyTake.get(ctx.state))
    return adminUtilsError('InvalidValue');
  S.MinChildkeyTakePerSubnet.set(ctx.state, c.netuid, t);
  ctx.deposit(subtensorEvent({ type: 'MinChildKeyTakePerSubnetSet', value: [c.netuid, t] }));
  return undefined;
});
subnetSetter('sudo_set_commit_reveal_weights_enabled', owner('CommitRevealEnabled'), (ctx, c) =>
  storeAndEmit(ctx, S.CommitRevealWeightsEnabled, c.netuid, c.enabled, 'CommitRevealEnabled'),
);
subnetSetter('sudo_set_liquid_alpha_enabled', owner('LiquidAlphaEnabled', false), (ctx, c) => {
  S.LiquidAlphaOn.set(ctx.state, c.netuid, c.enabled);
  return undefined;
});
subnetSetter('sudo_set_alpha_values', owner('AlphaValues', false), (ctx, c) => {
  if (!S.LiquidAlphaOn.get(ctx.state, c.netuid)) return subtensorError('LiquidAlphaDisabled');
  if (c.alpha_high < MIN_ALPHA_VALUE) return subtensorError('AlphaHighTooLow');
  if (c.alpha_low < MIN_ALPHA_VALUE || c.alpha_low > c.alpha_high)
    return subtensorError('AlphaLowOutOfRange');
  S.AlphaValues.set(ctx.state, c.netuid, [c.alpha_low, c.alpha_high]);
  return undefined;
});
subnetSetter('sudo_set_commit_reveal_weights_interval', owner('WeightCommitInterval'), (ctx, c) => {
  if (c.interval > MAX_REVEAL_PERIOD) return subtensorError('RevealPeriodTooLarge');
  if (c.interval < MIN_REVEAL_PERIOD) return subtensorError('RevealPeriodTooSmall');
  S.RevealPeriodEpochs.set(ctx.state, c.netuid, c.interval);
  ctx.deposit(subtensorEvent({ type: 'CommitRevealPeriodsSet', value: [c.netuid, c.interval] }));
  return undefined;
});
subnetSetter('sudo_set_toggle_transfer', owner('TransferEnabled', false), (ctx, c) =>
  storeAndEmit(ctx, S.TransferToggle, c.netuid, c.toggle, 'TransferToggle'),
);
subnetSetter('sudo_set_recycle_or_burn', owner('RecycleOrBurn', false), (ctx, c) => {
  S.RecycleOrBurn.set(ctx.state, c.netuid, c.recycle_or_burn);
  return undefined;
});
subnetSetter('sudo_set_alpha_sigmoid_steepness', owner('AlphaSigmoidSteepness'), (ctx, c, who) => {
  if (who !== undefined && c.steepness < 0) return adminUtilsError('NegativeSigmoidSteepness');
  S.AlphaSigmoidSteepness.set(ctx.state, c.netuid, c.steepness);
  return undefined;
});
subnetSetter('sudo_set_yuma3_enabled', owner('Yuma3Enabled', false), (ctx, c) => {
  S.Yuma3On.set(ctx.state, c.netuid, c.enabled);
  ctx.deposit(
    adminEvent({ type: 'Yuma3EnableToggled', value: { netuid: c.netuid, enabled: c.enabled } }),
  );
  return undefined;
});
subnetSetter('sudo_set_bonds_reset_enabled', owner('BondsResetEnabled', false), (ctx, c) => {
  S.BondsResetOn.set(ctx.state, c.netuid, c.enabled);
  ctx.deposit(subtensorEvent({ type: 'BondsResetOnSet', value: [c.netuid, c.enabled] }));
  ctx.deposit(
    adminEvent({ type: 'BondsResetToggled', value: { netuid: c.netuid, enabled: c.enabled } }),
  );
  return undefined;
});
subnetSetter('sudo_set_owner_immune_neuron_limit', owner('ImmuneNeuronLimit', false), (ctx, c) => {
  const v = c.immune_neurons;
  if (v < MIN_IMMUNE_OWNER_UIDS_LIMIT || v > MAX_IMMUNE_OWNER_UIDS_LIMIT)
    return subtensorError('InvalidValue');
  S.ImmuneOwnerUidsLimit.set(ctx.state, c.netuid, v);
  return undefined;
});
subnetSetter(
  'sudo_set_mechanism_count',
  { who: 'owner', limits: ['MechanismCountUpdate'], freeze: true, exists: false },
  (ctx, c) => setMechanismCount(ctx.state, c.netuid, c.mechanism_count),
);
subnetSetter(
  'sudo_set_mechanism_emission_split',
  { who: 'owner', limits: ['MechanismEmission'], freeze: true, exists: false },
  (ctx, c) => {
    if (!S.NetworksAdded.get(ctx.state, c.netuid)) return subtensorError('MechanismDoesNotExist');
    const split = c.maybe_split;
    if (split === undefined) {
      S.MechanismEmissionSplit.remove(ctx.state, c.netuid);
      return undefined;
    }
    if (split.length === 0 || split.length > S.MechanismCountCurrent.get(ctx.state, c.netuid))
      return subtensorError('InvalidValue');
    if (split.reduce((a, b) => a + b, 0) !== 65_535) return subtensorError('InvalidValue');
    S.MechanismEmissionSplit.set(ctx.state, c.netuid, split);
    return undefined;
  },
);
subnetSetter(
  'sudo_trim_to_max_allowed_uids',
  { who: 'owner', limits: ['MaxUidsTrimming'], freeze: true, exists: false },
  (ctx, c) => trimToMaxAllowedUids(ctx, c.netuid, c.max_n),
);
subnetSetter('sudo_set_burn_half_life', owner('BurnHalfLife'), (ctx, c) => {
  if (c.netuid === 0) return adminUtilsError('NotPermittedOnRootSubnet');
  const v = c.burn_half_life;
  if (v === 0 || v > MAX_BURN_HALF_LIFE) return adminUtilsError('InvalidValue');
  S.BurnHalfLife.set(ctx.state, c.netuid, v);
  ctx.deposit(
    adminEvent({ type: 'BurnHalfLifeSet', value: { netuid: c.netuid, burn_half_life: v } }),
  );
  return undefined;
});
subnetSetter('sudo_set_burn_increase_mult', owner('BurnIncreaseMult'), (ctx, c) => {
  if (c.netuid === 0) return adminUtilsError('NotPermittedOnRootSubnet');
  const m = c.burn_increase_mult;
  if (m < fxFromInt(U64F64, 1) || m > fxFromInt(U64F64, 3)) return adminUtilsError('InvalidValue');
  S.BurnIncreaseMult.set(ctx.state, c.netuid, m);
  ctx.deposit(
    adminEvent({ type: 'BurnIncreaseMultSet', value: { netuid: c.netuid, burn_increase_mult: m } }),
  );
  return undefined;
});
// Owner or root without any rate limit.
const OWNER_NO_LIMIT: Rule = { who: 'owner', freeze: true, exists: true };
subnetSetter('sudo_set_owner_cut_enabled', OWNER_NO_LIMIT, (ctx, c) => {
  if (c.netuid === 0) return adminUtilsError('NotPermittedOnRootSubnet');
  S.OwnerCutEnabled.set(ctx.state, c.netuid, c.enabled);
  return undefined;
});
subnetSetter('sudo_set_owner_cut_auto_lock_enabled', OWNER_NO_LIMIT, (ctx, c) => {
  if (c.netuid === 0) return adminUtilsError('NotPermittedOnRootSubnet');
  S.OwnerCutAutoLockEnabled.set(ctx.state, c.netuid, c.enabled);
  return undefined;
});

// ---- Calls with their own shape -------------------------------------------------------------

register('sudo_set_network_pow_registration_allowed', () =>
  fail(adminUtilsError('POWRegistrationDisabled')),
);
register('sudo_set_total_issuance', () => fail(adminUtilsError('Deprecated')));

/**
 * `do_set_sn_owner_hotkey` (calls 64 and 67): owner or root; no freeze window; one change per
 * `DefaultSetSNOwnerHotkeyRateLimit` blocks per subnet, for root as well; never a subnet account.
 */
function setSubnetOwnerHotkey(
  ctx: DispatchContext,
  origin: Origin,
  netuid: number,
  hotkey: Uint8Array,
): DispatchOutcome {
  const r = ensureSubnetOwnerOrRoot(ctx.state, origin, netuid);
  if (!r.ok) return fail(r.error);
  if (!S.NetworksAdded.get(ctx.state, netuid)) return fail(subtensorError('SubnetNotExists'));
  const now = blockOf(ctx);
  if (!passesRateLimitOnSubnet(ctx.state, 'SetSNOwnerHotkey', hotkey, netuid, now))
    return fail(subtensorError('TxRateLimitExceeded'));
  setLastBlockOnSubnet(ctx.state, 'SetSNOwnerHotkey', hotkey, netuid, now);
  if (isSubnetAccount(hotkey)) return fail(subtensorError('CannotUseSystemAccount'));
  S.SubnetOwnerHotkey.set(ctx.state, netuid, hotkey);
  ctx.deposit(subtensorEvent({ type: 'SubnetOwnerHotkeySet', value: [netuid, hotkey] }));
  return OK;
}
register('sudo_set_subnet_owner_hotkey', (ctx, o, c) =>
  setSubnetOwnerHotkey(ctx, o, c.netuid, c.hotkey),
);
register('sudo_set_sn_owner_hotkey', (ctx, o, c) =>
  setSubnetOwnerHotkey(ctx, o, c.netuid, c.hotkey),
);

const MODL = new TextEncoder().encode('modlsubtensr');

/** `is_subnet_account_id`: `"modl" ++ "subtensr" ++ u16 netuid`, zero-padded to 32 bytes. */
export function isSubnetAccount(account: Uint8Array): boolean {
  if (!(account instanceof Uint8Array)) throw new TypeError('isSubnetAccount: expected bytes');
  if (account.length !== 32) throw new RangeError('isSubnetAccount: expected 32 bytes');
  if (!bytesEqual(account.subarray(0, 12), MODL)) return false;
  return account.subarray(14).every((b) => b === 0);
}

/** `ensure_max_uids_over_all_mechanisms`: `max_uids × mechanisms` (saturating u16) ≤ 256. */
export function ensureMaxUidsOverAllMechanisms(
  maxUids: number,
  mechanismCount: number,
): DispatchError | undefined {
  return Math.min(65_535, maxUids * mechanismCount) <= DEFAULT_MAX_ALLOWED_UIDS
    ? undefined
    : subtensorError('TooManyUIDsPerMechanism');
}

/**
 * `do_set_mechanism_count`: 1..=MaxMechanismCount mechanisms (and ≤ 16) within the uid budget;
 * shrinking clears the dropped mechanisms' weights, bonds, incentive, last updates and commits;
 * any change resets the emission split.
 */
export function setMechanismCount(
  state: StateRW & { keys(prefix: Uint8Array): Uint8Array[] },
  netuid: number,
  count: number,
): DispatchError | undefined {
  if (!S.NetworksAdded.get(state, netuid)) return subtensorError('MechanismDoesNotExist');
  if (count === 0 || count > S.MaxMechanismCount.get(state)) return subtensorError('InvalidValue');
  const tooMany = ensureMaxUidsOverAllMechanisms(S.MaxAllowedUids.get(state, netuid), count);
  if (tooMany) return tooMany;
  if (count > MAX_MECHANISM_COUNT_PER_SUBNET) return subtensorError('InvalidValue');
  const old = S.MechanismCountCurrent.get(state, netuid);
  if (old === count) return undefined;
  for (let mecid = count; mecid < old; mecid++) {
    const idx = mechanismStorageIndex(netuid, mecid);
    for (const item of [S.Weights, S.Bonds, S.WeightCommits, S.TimelockedWeightCommits])
      for (const key of state.keys(item.partialKey(idx))) state.delete(key);
    S.Incentive.remove(state, idx);
    S.LastUpdate.remove(state, idx);
  }
  S.MechanismCountCurrent.set(state, netuid, count);
  S.MechanismEmissionSplit.remove(state, netuid);
  return undefined;
}

/** `get_neuron_is_immune`: registered less than `ImmunityPeriod` blocks ago. */
function isImmune(state: StateRW, netuid: number, uid: number, now: bigint): boolean {
  const at = S.BlockAtRegistration.get(state, netuid, uid);
  return (now > at ? now - at : 0n) < BigInt(S.ImmunityPeriod.get(state, netuid));
}

/**
 * `get_immune_owner_uids`: the owner coldkey's registered hotkeys, oldest registration first,
 * at most `ImmuneOwnerUidsLimit` of them, the subnet owner hotkey first and counted in the limit.
 */
export function immuneOwnerUids(state: StateRW, netuid: number, coldkey: Uint8Array): number[] {
  const triples: [bigint, number, Uint8Array][] = [];
  for (const hk of S.OwnedHotkeys.get(state, coldkey)) {
    const uid = S.Uids.tryGet(state, netuid, hk);
    if (uid !== undefined) triples.push([S.BlockAtRegistration.get(state, netuid, uid), uid, hk]);
  }
  triples.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  const limit = S.ImmuneOwnerUidsLimit.get(state, netuid);
  const tuples = triples.slice(0, limit).map(([, uid, hk]) => [uid, hk] as const);
  const ownerHk = S.SubnetOwnerHotkey.tryGet(state, netuid);
  const ownerUid = ownerHk && S.Uids.tryGet(state, netuid, ownerHk);
  if (
    ownerHk &&
    ownerUid !== undefined &&
    !tuples.some(([u, hk]) => u === ownerUid && bytesEqual(hk, ownerHk))
  ) {
    tuples.unshift([ownerUid, ownerHk]);
    tuples.length = Math.min(tuples.length, limit);
  }
  return tuples.map(([uid]) => uid);
}

/** Swaps two entries of a map (absence included), as FRAME's `swap`. */
function swapEntries<V>(
  state: StateRW,
  item: {
    tryGet(s: StateRW, a: number, b: number): V | undefined;
    set(s: StateRW, a: number, b: number, v: V): void;
    remove(s: StateRW, a: number, b: number): void;
  },
  k1: number,
  a: number,
  b: number,
): void {
  const va = item.tryGet(state, k1, a);
  const vb = item.tryGet(state, k1, b);
  if (vb === undefined) item.remove(state, k1, a);
  else item.set(state, k1, a, vb);
  if (va === undefined) item.remove(state, k1, b);
  else item.set(state, k1, b, va);
}

/**
 * `trim_to_max_allowed_uids`: sets `MaxAllowedUids`; if the subnet is larger, drops the lowest
 * emitters (never owner-immune or still-immune uids; immune uids must stay under 80% of the new
 * size), then compacts the survivors to uids 0..max_n with every per-uid table remapped.
 */
export function trimToMaxAllowedUids(
  ctx: DispatchContext,
  netuid: number,
  maxN: number,
): DispatchError | undefined {
  const st = ctx.state;
  if (!S.NetworksAdded.get(st, netuid)) return subtensorError('SubnetNotExists');
  if (maxN < S.MinAllowedUids.get(st, netuid) || maxN > S.MaxAllowedUids.get(st, netuid))
    return subtensorError('InvalidValue');
  S.MaxAllowedUids.set(st, netuid, maxN);
  const n = S.SubnetworkN.get(st, netuid);
  if (n <= maxN) return undefined;
  const now = blockOf(ctx);
  const protectedUids = new Set(immuneOwnerUids(st, netuid, S.SubnetOwner.get(st, netuid)));
  const keep = (uid: number) => protectedUids.has(uid) || isImmune(st, netuid, uid, now);
  let immune = 0;
  for (let uid = 0; uid < n; uid++) if (keep(uid)) immune++;
  // Percent::from_rational rounds down; p > q or q == 0 gives 100%.
  const percent = maxN === 0 || immune > maxN ? 100n : (BigInt(immune) * 100n) / BigInt(maxN);
  if (percent >= MAX_IMMUNE_UIDS_PERCENT)
    return subtensorError('TrimmingWouldExceedMaxImmunePercentage');

  const emissions = S.Emission.get(st, netuid).map((e, uid) => [uid, e] as [number, bigint]);
  emissions.sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
  const mechs = S.MechanismCountCurrent.get(st, netuid);
  const indices = Array.from({ length: mechs }, (_, m) => mechanismStorageIndex(netuid, m));
  let left = n;
  for (let i = n - 1; i >= 0 && left !== maxN; i--) {
    const entry = emissions[i];
    if (!entry) continue;
    const uid = entry[0];
    if (keep(uid)) continue;
    const hotkey = S.Keys.tryGet(st, netuid, uid);
    if (hotkey) {
      S.Uids.remove(st, netuid, hotkey);
      S.IsNetworkMember.remove(st, hotkey, netuid);
      S.LastHotkeyEmissionOnNetuid.remove(st, hotkey, netuid);
      S.AlphaDividendsPerSubnet.remove(st, netuid, hotkey);
      S.Axons.remove(st, netuid, hotkey);
      S.NeuronCertificates.remove(st, netuid, hotkey);
      S.Prometheus.remove(st, netuid, hotkey);
    }
    S.Keys.remove(st, netuid, uid);
    S.BlockAtRegistration.remove(st, netuid, uid);
    S.AssociatedEvmAddress.remove(st, netuid, uid);
    for (const idx of indices) {
      S.Weights.remove(st, idx, uid);
      S.Bonds.remove(st, idx, uid);
    }
    emissions.splice(i, 1);
    left--;
  }
  emissions.sort((a, b) => a[0] - b[0]);
  const kept = emissions.map(([uid]) => uid);
  const pick = <T>(v: T[], fallback: T): T[] => kept.map((uid) => v[uid] ?? fallback);
  S.Emission.set(
    st,
    netuid,
    emissions.map(([, e]) => e),
  );
  S.Active.set(st, netuid, pick(S.Active.get(st, netuid), false));
  S.Consensus.set(st, netuid, pick(S.Consensus.get(st, netuid), 0));
  S.Dividends.set(st, netuid, pick(S.Dividends.get(st, netuid), 0));
  S.ValidatorTrust.set(st, netuid, pick(S.ValidatorTrust.get(st, netuid), 0));
  S.ValidatorPermit.set(st, netuid, pick(S.ValidatorPermit.get(st, netuid), false));
  S.StakeWeight.set(st, netuid, pick(S.StakeWeight.get(st, netuid), 0));
  for (const idx of indices) {
    S.Incentive.set(st, idx, pick(S.Incentive.get(st, idx), 0));
    S.LastUpdate.set(st, idx, pick(S.LastUpdate.get(st, idx), 0n));
  }
  const newUid = new Map(kept.map((old, i) => [old, i]));
  const remap = (pairs: [number, number][]): [number, number][] =>
    pairs.flatMap(([t, w]) => {
      const nt = newUid.get(t);
      return nt === undefined ? [] : [[nt, w] as [number, number]];
    });
  kept.forEach((oldUid, nu) => {
    swapEntries(st, S.Keys, netuid, oldUid, nu);
    swapEntries(st, S.AssociatedEvmAddress, netuid, oldUid, nu);
    swapEntries(st, S.BlockAtRegistration, netuid, oldUid, nu);
    for (const idx of indices) {
      for (const item of [S.Weights, S.Bonds]) {
        swapEntries(st, item, idx, oldUid, nu);
        item.set(st, idx, nu, remap(item.get(st, idx, nu)));
      }
    }
  });
  for (const key of st.keys(S.Uids.partialKey(netuid))) st.delete(key);
  for (let nu = 0; nu < kept.length; nu++) S.Uids.set(st, netuid, S.Keys.get(st, netuid, nu), nu);
  S.SubnetworkN.set(st, netuid, maxN);
  return undefined;
}
