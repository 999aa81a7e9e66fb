/**
 * pallet_admin_utils (index 19): root and subnet-owner setters for subtensor's hyperparameters,
 * consensus authorities and EVM precompile switches.
 */
import {
  bool,
  Enum,
  FixedBytes,
  i16,
  Newtype,
  Option,
  type Shape,
  type ShapeType,
  Tuple,
  typed,
  u8,
  u16,
  u32,
  u64,
  Vec,
} from '../dsl.js';
import { errorEnum, map } from '../pallet.js';
import { AccountId32 } from '../primitives.js';
import { CheckedBoundedVec } from './commitments.js';
import {
  FixedI64F64,
  FixedI96F32,
  FixedU64F64,
  MechId,
  NetUid,
  TaoBalance,
} from './subtensor/common.js';
import { RecycleOrBurnEnum } from './subtensor/storage-types.js';

const P = 'AdminUtils';

/** `MaxAuthorities` of the admin-utils (and Aura) config. */
export const MAX_AUTHORITIES = 32;

/**
 * Aura's authority id (`sp_consensus_aura::sr25519::AuthorityId`), a 32-byte sr25519 key; sp-core's
 * key type itself presents in metadata as the bare `[u8; 32]`.
 */
export const AuraId = Newtype(
  { path: ['sp_consensus_aura', 'sr25519', 'app_sr25519', 'Public'] },
  FixedBytes(32),
  'sr25519::Public',
);
/** GRANDPA's authority id (`sp_consensus_grandpa::AuthorityId`), a 32-byte ed25519 key. */
export const GrandpaId = Newtype(
  { path: ['sp_consensus_grandpa', 'app', 'Public'] },
  FixedBytes(32),
  'ed25519::Public',
);
/** `sp_consensus_grandpa::AuthorityList`: (authority, weight) pairs. */
export const GrandpaAuthorityList = Vec(Tuple(GrandpaId, u64));

/** `pallet_admin_utils::PrecompileEnum`: the EVM precompiles root can switch off. */
export const PrecompileEnum = Enum(
  { path: ['pallet_admin_utils', 'pallet', 'PrecompileEnum'] },
  {
    BalanceTransfer: { index: 0 },
    Staking: { index: 1 },
    Subnet: { index: 2 },
    Metagraph: { index: 3 },
    Neuron: { index: 4 },
    UidLookup: { index: 5 },
    Alpha: { index: 6 },
    Crowdloan: { index: 7 },
    Proxy: { index: 8 },
    Leasing: { index: 9 },
    AddressMapping: { index: 10 },
    VotingPower: { index: 11 },
  },
);
export type PrecompileEnum = ShapeType<typeof PrecompileEnum>;

// Argument shapes with the Rust type names the call signatures use.
const netuid = typed(NetUid, 'NetUid');
const U16 = typed(u16, 'u16');
const U64 = typed(u64, 'u64');
const BOOL = typed(bool, 'bool');
const tao = typed(TaoBalance, 'TaoBalance');
const blocks = typed(u32, 'BlockNumberFor<T>');
const hotkey = typed(AccountId32, '<T as frame_system::Config>::AccountId');
const u64f64 = typed(FixedU64F64, 'U64F64');

type Arg<T> = { shape: Shape<T>; typeName: string };
/** A per-subnet setter: `(netuid, <name>)`. */
function subnet<const N extends string, T>(index: number, name: N, arg: Arg<T>) {
  return {
    index,
    fields: { netuid, [name]: arg } as { netuid: typeof netuid } & Record<N, Arg<T>>,
  };
}
/** A global setter: `(<name>)`. */
function global<const N extends string, T>(index: number, name: N, arg: Arg<T>) {
  return { index, fields: { [name]: arg } as Record<N, Arg<T>> };
}

/**
 * Every AdminUtils call (82; indices 10-12, 31, 32, 34, 40, 41, 44, 47, 48, 52-54 and 56 are
 * unused). Per-subnet setters take the subnet first. Argument names lose a leading `_`, as FRAME
 * strips it in the call enum.
 */
export const AdminUtilsCall = Enum(
  { path: ['pallet_admin_utils', 'pallet', 'Call'] },
  {
    swap_authorities: {
      index: 0,
      fields: {
        new_authorities: typed(
          CheckedBoundedVec(AuraId, MAX_AUTHORITIES),
          'BoundedVec<<T as Config>::AuthorityId, T::MaxAuthorities>',
        ),
      },
    },
    sudo_set_default_take: global(1, 'default_take', U16),
    sudo_set_tx_rate_limit: global(2, 'tx_rate_limit', U64),
    sudo_set_serving_rate_limit: subnet(3, 'serving_rate_limit', U64),
    sudo_set_min_difficulty: subnet(4, 'min_difficulty', U64),
    sudo_set_max_difficulty: subnet(5, 'max_difficulty', U64),
    sudo_set_weights_version_key: subnet(6, 'weights_version_key', U64),
    sudo_set_weights_set_rate_limit: subnet(7, 'weights_set_rate_limit', U64),
    sudo_set_adjustment_interval: subnet(8, 'adjustment_interval', U16),
    sudo_set_adjustment_alpha: subnet(9, 'adjustment_alpha', U64),
    sudo_set_immunity_period: subnet(13, 'immunity_period', U16),
    sudo_set_min_allowed_weights: subnet(14, 'min_allowed_weights', U16),
    sudo_set_max_allowed_uids: subnet(15, 'max_allowed_uids', U16),
    sudo_set_kappa: subnet(16, 'kappa', U16),
    sudo_set_rho: subnet(17, 'rho', U16),
    sudo_set_activity_cutoff: subnet(18, 'activity_cutoff', U16),
    sudo_set_network_registration_allowed: subnet(19, 'registration_allowed', BOOL),
    sudo_set_network_pow_registration_allowed: {
      index: 20,
      fields: { netuid, registration_allowed: BOOL },
    },
    sudo_set_target_registrations_per_interval: subnet(
      21,
      'target_registrations_per_interval',
      U16,
    ),
    sudo_set_min_burn: subnet(22, 'min_burn', tao),
    sudo_set_max_burn: subnet(23, 'max_burn', tao),
    sudo_set_difficulty: subnet(24, 'difficulty', U64),
    sudo_set_max_allowed_validators: subnet(25, 'max_allowed_validators', U16),
    sudo_set_bonds_moving_average: subnet(26, 'bonds_moving_average', U64),
    sudo_set_bonds_penalty: subnet(60, 'bonds_penalty', U16),
    sudo_set_max_registrations_per_block: subnet(27, 'max_registrations_per_block', U16),
    sudo_set_subnet_owner_cut: global(28, 'subnet_owner_cut', U16),
    sudo_set_network_rate_limit: global(29, 'rate_limit', U64),
    sudo_set_tempo: subnet(30, 'tempo', U16),
    sudo_set_total_issuance: global(33, 'total_issuance', tao),
    sudo_set_network_immunity_period: global(35, 'immunity_period', U64),
    sudo_set_network_min_lock_cost: global(36, 'lock_cost', tao),
    sudo_set_subnet_limit: global(37, 'max_subnets', U16),
    sudo_set_lock_reduction_interval: global(38, 'interval', U64),
    sudo_set_rao_recycled: subnet(39, 'rao_recycled', tao),
    sudo_set_stake_threshold: global(42, 'min_stake', U64),
    sudo_set_nominator_min_required_stake: global(43, 'min_stake', U64),
    sudo_set_tx_delegate_take_rate_limit: global(45, 'tx_rate_limit', U64),
    sudo_set_min_delegate_take: global(46, 'take', U16),
    sudo_set_min_childkey_take_per_subnet: subnet(93, 'take', U16),
    sudo_set_commit_reveal_weights_enabled: subnet(49, 'enabled', BOOL),
    sudo_set_liquid_alpha_enabled: subnet(50, 'enabled', BOOL),
    sudo_set_alpha_values: { index: 51, fields: { netuid, alpha_low: U16, alpha_high: U16 } },
    sudo_set_dissolve_network_schedule_duration: global(55, 'duration', blocks),
    sudo_set_commit_reveal_weights_interval: subnet(57, 'interval', U64),
    sudo_set_evm_chain_id: global(58, 'chain_id', U64),
    schedule_grandpa_change: {
      index: 59,
      fields: {
        next_authorities: typed(GrandpaAuthorityList, 'AuthorityList'),
        in_blocks: blocks,
        forced: typed(Option(u32), 'Option<BlockNumberFor<T>>'),
      },
    },
    sudo_set_toggle_transfer: subnet(61, 'toggle', BOOL),
    sudo_set_recycle_or_burn: subnet(
      80,
      'recycle_or_burn',
      typed(RecycleOrBurnEnum, 'pallet_subtensor::RecycleOrBurnEnum'),
    ),
    sudo_toggle_evm_precompile: {
      index: 62,
      fields: { precompile_id: typed(PrecompileEnum, 'PrecompileEnum'), enabled: BOOL },
    },
    sudo_set_subnet_moving_alpha: global(63, 'alpha', typed(FixedI96F32, 'I96F32')),
    sudo_set_subnet_owner_hotkey: subnet(64, 'hotkey', hotkey),
    sudo_set_ema_price_halving_period: subnet(65, 'ema_halving', U64),
    sudo_set_alpha_sigmoid_steepness: subnet(68, 'steepness', typed(i16, 'i16')),
    sudo_set_yuma3_enabled: subnet(69, 'enabled', BOOL),
    sudo_set_bonds_reset_enabled: subnet(70, 'enabled', BOOL),
    sudo_set_sn_owner_hotkey: subnet(67, 'hotkey', hotkey),
    sudo_set_subtoken_enabled: subnet(66, 'subtoken_enabled', BOOL),
    sudo_set_commit_reveal_version: global(71, 'version', U16),
    sudo_set_owner_immune_neuron_limit: subnet(72, 'immune_neurons', U16),
    sudo_set_ck_burn: global(73, 'burn', U64),
    sudo_set_admin_freeze_window: global(74, 'window', U16),
    sudo_set_owner_hparam_rate_limit: global(75, 'epochs', U16),
    sudo_set_mechanism_count: subnet(76, 'mechanism_count', typed(MechId, 'MechId')),
    sudo_set_mechanism_emission_split: subnet(
      77,
      'maybe_split',
      typed(Option(Vec(u16)), 'Option<Vec<u16>>'),
    ),
    sudo_trim_to_max_allowed_uids: subnet(78, 'max_n', U16),
    sudo_set_min_allowed_uids: subnet(79, 'min_allowed_uids', U16),
    sudo_set_tao_flow_cutoff: global(81, 'flow_cutoff', typed(FixedI64F64, 'I64F64')),
    sudo_set_tao_flow_normalization_exponent: global(82, 'exponent', u64f64),
    sudo_set_tao_flow_smoothing_factor: global(83, 'smoothing_factor', U64),
    sudo_set_net_tao_flow_enabled: global(91, 'enabled', BOOL),
    sudo_set_max_mechanism_count: global(88, 'max_mechanism_count', typed(MechId, 'MechId')),
    sudo_set_min_non_immune_uids: subnet(84, 'min', U16),
    sudo_set_start_call_delay: global(85, 'delay', U64),
    sudo_set_coldkey_swap_announcement_delay: global(86, 'duration', blocks),
    sudo_set_coldkey_swap_reannouncement_delay: global(87, 'duration', blocks),
    sudo_set_burn_half_life: subnet(89, 'burn_half_life', U16),
    sudo_set_burn_increase_mult: subnet(90, 'burn_increase_mult', u64f64),
    sudo_set_owner_cut_enabled: subnet(92, 'enabled', BOOL),
    sudo_set_owner_cut_auto_lock_enabled: subnet(95, 'enabled', BOOL),
    sudo_set_subnet_emission_enabled: subnet(94, 'enabled', BOOL),
    sudo_set_max_epochs_per_block: global(96, 'max_epochs_per_block', typed(u8, 'u8')),
  },
);
export type AdminUtilsCall = ShapeType<typeof AdminUtilsCall>;

/** AdminUtils events (most setters emit none). */
export const AdminUtilsEvent = Enum(
  { path: ['pallet_admin_utils', 'pallet', 'Event'] },
  {
    PrecompileUpdated: {
      index: 0,
      fields: { precompile_id: typed(PrecompileEnum, 'PrecompileEnum'), enabled: BOOL },
    },
    Yuma3EnableToggled: { index: 1, fields: { netuid, enabled: BOOL } },
    BondsResetToggled: { index: 2, fields: { netuid, enabled: BOOL } },
    BurnHalfLifeSet: { index: 3, fields: { netuid, burn_half_life: U16 } },
    BurnIncreaseMultSet: { index: 4, fields: { netuid, burn_increase_mult: u64f64 } },
    SubnetEmissionEnabledSet: { index: 5, fields: { netuid, enabled: BOOL } },
  },
);
export type AdminUtilsEvent = ShapeType<typeof AdminUtilsEvent>;

/** AdminUtils error names in index order. */
export const ADMIN_UTILS_ERRORS = [
  'SubnetDoesNotExist',
  'MaxValidatorsLargerThanMaxUIds',
  'MaxAllowedUIdsLessThanCurrentUIds',
  'BondsMovingAverageMaxReached',
  'NegativeSigmoidSteepness',
  'ValueNotInBounds',
  'MinAllowedUidsGreaterThanCurrentUids',
  'MinAllowedUidsGreaterThanMaxAllowedUids',
  'MaxAllowedUidsLessThanMinAllowedUids',
  'MaxAllowedUidsGreaterThanDefaultMaxAllowedUids',
  'InvalidValue',
  'NotPermittedOnRootSubnet',
  'POWRegistrationDisabled',
  'Deprecated',
] as const;
/** AdminUtils' `Error` enum. */
export const AdminUtilsError = errorEnum(
  ['pallet_admin_utils', 'pallet', 'Error'],
  ADMIN_UTILS_ERRORS,
);

/** Storage: whether each EVM precompile is enabled (default `true`). */
export const AdminUtils = {
  PrecompileEnable: map(P, 'PrecompileEnable', 'Blake2_128Concat', PrecompileEnum, bool, true),
};
