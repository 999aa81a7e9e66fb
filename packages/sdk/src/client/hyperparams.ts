/**
 * Hyperparameter names (btcli's, plus the rest of AdminUtils' setters) → the AdminUtils call, its
 * value field and type, and who may call it: `owner` setters accept the subnet owner or root;
 * `root` setters only root (the sudo key through `Sudo.sudo`). Origins as subtensor 14bc6f9f's
 * pallets/admin-utils checks them (`ensure_root` vs `ensure_sn_owner_or_root_with_limits`).
 */

import { U64_MAX } from '@taoscript/codec';
import { accountBytes } from '../weights/commit-hash.js';

/** How a hyperparameter's value is typed. */
export type HyperparameterType =
  | 'u8'
  | 'u16'
  | 'u64'
  | 'bool'
  | 'i16'
  | 'account'
  | 'u64f64'
  | 'recycle-or-burn'
  | 'alpha-values';

/** One settable hyperparameter. */
export interface Hyperparameter {
  /** AdminUtils call name. */
  call: string;
  /** The value's field in the call (alpha-values: `alpha_low` + `alpha_high`). */
  field: string;
  type: HyperparameterType;
  /** Only root may call it (else the subnet owner too). */
  root: boolean;
  /** The setter is per subnet (takes `netuid`). */
  subnet: boolean;
}

/**
 * A hyperparameter's value as `setHyperparameter` takes it: numbers for u8/u16/i16, a bigint (or a
 * safe integer) for u64, a boolean, an account (SS58 or 32 bytes), U64F64 raw bits as a bigint,
 * `'Burn' | 'Recycle'`, or `{ low, high }` for alpha values.
 */
export type HyperparameterValue =
  | number
  | bigint
  | boolean
  | string
  | Uint8Array
  | { low: number; high: number };

const s = (call: string, field: string, type: HyperparameterType, root: boolean) =>
  ({ call, field, type, root, subnet: true }) satisfies Hyperparameter;
const g = (call: string, field: string, type: HyperparameterType) =>
  ({ call, field, type, root: true, subnet: false }) satisfies Hyperparameter;

/** Every hyperparameter name `setHyperparameter` knows. */
export const HYPERPARAMETERS: Readonly<Record<string, Hyperparameter>> = Object.freeze({
  rho: s('sudo_set_rho', 'rho', 'u16', false),
  kappa: s('sudo_set_kappa', 'kappa', 'u16', true),
  immunity_period: s('sudo_set_immunity_period', 'immunity_period', 'u16', false),
  min_allowed_weights: s('sudo_set_min_allowed_weights', 'min_allowed_weights', 'u16', false),
  tempo: s('sudo_set_tempo', 'tempo', 'u16', true),
  min_difficulty: s('sudo_set_min_difficulty', 'min_difficulty', 'u64', true),
  max_difficulty: s('sudo_set_max_difficulty', 'max_difficulty', 'u64', false),
  weights_version: s('sudo_set_weights_version_key', 'weights_version_key', 'u64', false),
  weights_rate_limit: s('sudo_set_weights_set_rate_limit', 'weights_set_rate_limit', 'u64', true),
  adjustment_interval: s('sudo_set_adjustment_interval', 'adjustment_interval', 'u16', true),
  activity_cutoff: s('sudo_set_activity_cutoff', 'activity_cutoff', 'u16', false),
  registration_allowed: s(
    'sudo_set_network_registration_allowed',
    'registration_allowed',
    'bool',
    true,
  ),
  target_regs_per_interval: s(
    'sudo_set_target_registrations_per_interval',
    'target_registrations_per_interval',
    'u16',
    true,
  ),
  min_burn: s('sudo_set_min_burn', 'min_burn', 'u64', false),
  max_burn: s('sudo_set_max_burn', 'max_burn', 'u64', false),
  bonds_moving_avg: s('sudo_set_bonds_moving_average', 'bonds_moving_average', 'u64', false),
  bonds_penalty: s('sudo_set_bonds_penalty', 'bonds_penalty', 'u16', false),
  max_regs_per_block: s(
    'sudo_set_max_registrations_per_block',
    'max_registrations_per_block',
    'u16',
    true,
  ),
  serving_rate_limit: s('sudo_set_serving_rate_limit', 'serving_rate_limit', 'u64', false),
  max_validators: s('sudo_set_max_allowed_validators', 'max_allowed_validators', 'u16', true),
  adjustment_alpha: s('sudo_set_adjustment_alpha', 'adjustment_alpha', 'u64', false),
  difficulty: s('sudo_set_difficulty', 'difficulty', 'u64', true),
  commit_reveal_period: s('sudo_set_commit_reveal_weights_interval', 'interval', 'u64', false),
  commit_reveal_weights_enabled: s(
    'sudo_set_commit_reveal_weights_enabled',
    'enabled',
    'bool',
    false,
  ),
  alpha_values: s('sudo_set_alpha_values', 'alpha_low', 'alpha-values', false),
  liquid_alpha_enabled: s('sudo_set_liquid_alpha_enabled', 'enabled', 'bool', false),
  yuma3_enabled: s('sudo_set_yuma3_enabled', 'enabled', 'bool', false),
  alpha_sigmoid_steepness: s('sudo_set_alpha_sigmoid_steepness', 'steepness', 'i16', false),
  bonds_reset_enabled: s('sudo_set_bonds_reset_enabled', 'enabled', 'bool', false),
  transfers_enabled: s('sudo_set_toggle_transfer', 'toggle', 'bool', false),
  max_allowed_uids: s('sudo_set_max_allowed_uids', 'max_allowed_uids', 'u16', false),
  min_allowed_uids: s('sudo_set_min_allowed_uids', 'min_allowed_uids', 'u16', true),
  sn_owner_hotkey: s('sudo_set_sn_owner_hotkey', 'hotkey', 'account', false),
  burn_half_life: s('sudo_set_burn_half_life', 'burn_half_life', 'u16', false),
  burn_increase_mult: s('sudo_set_burn_increase_mult', 'burn_increase_mult', 'u64f64', false),
  recycle_or_burn: s('sudo_set_recycle_or_burn', 'recycle_or_burn', 'recycle-or-burn', false),
  owner_immune_neuron_limit: s(
    'sudo_set_owner_immune_neuron_limit',
    'immune_neurons',
    'u16',
    false,
  ),
  min_childkey_take: s('sudo_set_min_childkey_take_per_subnet', 'take', 'u16', false),
  subnet_is_active: s('sudo_set_subtoken_enabled', 'subtoken_enabled', 'bool', true),
  ema_price_halving_period: s('sudo_set_ema_price_halving_period', 'ema_halving', 'u64', true),
  min_non_immune_uids: s('sudo_set_min_non_immune_uids', 'min', 'u16', true),
  owner_cut_enabled: s('sudo_set_owner_cut_enabled', 'enabled', 'bool', false),
  owner_cut_auto_lock_enabled: s('sudo_set_owner_cut_auto_lock_enabled', 'enabled', 'bool', false),
  subnet_emission_enabled: s('sudo_set_subnet_emission_enabled', 'enabled', 'bool', true),
  mechanism_count: s('sudo_set_mechanism_count', 'mechanism_count', 'u8', false),
  // Chain-wide settings (no netuid; root only).
  start_call_delay: g('sudo_set_start_call_delay', 'delay', 'u64'),
  tx_rate_limit: g('sudo_set_tx_rate_limit', 'tx_rate_limit', 'u64'),
  network_rate_limit: g('sudo_set_network_rate_limit', 'rate_limit', 'u64'),
  default_take: g('sudo_set_default_take', 'default_take', 'u16'),
  min_delegate_take: g('sudo_set_min_delegate_take', 'take', 'u16'),
  subnet_owner_cut: g('sudo_set_subnet_owner_cut', 'subnet_owner_cut', 'u16'),
  network_min_lock_cost: g('sudo_set_network_min_lock_cost', 'lock_cost', 'u64'),
  subnet_limit: g('sudo_set_subnet_limit', 'max_subnets', 'u16'),
  tx_delegate_take_rate_limit: g('sudo_set_tx_delegate_take_rate_limit', 'tx_rate_limit', 'u64'),
  stake_threshold: g('sudo_set_stake_threshold', 'min_stake', 'u64'),
  nominator_min_required_stake: g('sudo_set_nominator_min_required_stake', 'min_stake', 'u64'),
  admin_freeze_window: g('sudo_set_admin_freeze_window', 'window', 'u16'),
  owner_hparam_rate_limit: g('sudo_set_owner_hparam_rate_limit', 'epochs', 'u16'),
  lock_reduction_interval: g('sudo_set_lock_reduction_interval', 'interval', 'u64'),
  network_immunity_period: g('sudo_set_network_immunity_period', 'immunity_period', 'u64'),
});

/** Other spellings of some names (the V2 runtime-API field names and btcli's older ones). */
export const HYPERPARAMETER_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  weights_version_key: 'weights_version',
  weights_set_rate_limit: 'weights_rate_limit',
  bonds_moving_average: 'bonds_moving_avg',
  max_allowed_validators: 'max_validators',
  target_registrations_per_interval: 'target_regs_per_interval',
  max_registrations_per_block: 'max_regs_per_block',
  commit_reveal_weights_interval: 'commit_reveal_period',
  network_registration_allowed: 'registration_allowed',
  toggle_transfer: 'transfers_enabled',
  subtoken_enabled: 'subnet_is_active',
  subnet_owner_hotkey: 'sn_owner_hotkey',
  immune_neuron_limit: 'owner_immune_neuron_limit',
});

/**
 * The hyperparameter called `name` (aliases and kebab-case accepted); RangeError for unknown names.
 * @example
 * import { findHyperparameter } from '@taoscript/sdk';
 * findHyperparameter('weights-version-key').param.call; // 'sudo_set_weights_version_key'
 */
export function findHyperparameter(name: unknown): { name: string; param: Hyperparameter } {
  if (typeof name !== 'string') throw new TypeError('name must be a hyperparameter name');
  const key = name.trim().toLowerCase().replace(/-/g, '_');
  const canonical = Object.hasOwn(HYPERPARAMETERS, key)
    ? key
    : Object.hasOwn(HYPERPARAMETER_ALIASES, key)
      ? HYPERPARAMETER_ALIASES[key]
      : undefined;
  const param = canonical === undefined ? undefined : HYPERPARAMETERS[canonical];
  if (canonical === undefined || param === undefined)
    throw new RangeError(
      `unknown hyperparameter '${name.slice(0, 48)}' (known: ${Object.keys(HYPERPARAMETERS).join(', ')})`,
    );
  return { name: canonical, param };
}

function intIn(x: unknown, min: number, max: number, what: string): number {
  if (typeof x !== 'number') throw new TypeError(`${what} must be a number`);
  if (!Number.isInteger(x) || x < min || x > max)
    throw new RangeError(`${what} must be an integer in ${min}..${max}, got ${String(x)}`);
  return x;
}

function bigIn(x: unknown, max: bigint, what: string): bigint {
  const v = typeof x === 'number' && Number.isSafeInteger(x) ? BigInt(x) : x;
  if (typeof v !== 'bigint') throw new TypeError(`${what} must be a bigint`);
  if (v < 0n || v > max) throw new RangeError(`${what} must be in 0..${max}, got ${v}`);
  return v;
}

/**
 * The AdminUtils call arguments (besides `netuid`) for `value`, checked against the setter's type
 * (TypeError for a wrong type, RangeError for a value out of range).
 * @example
 * import { findHyperparameter, hyperparameterArgs } from '@taoscript/sdk';
 * hyperparameterArgs(findHyperparameter('tempo').param, 10); // { tempo: 10 }
 */
export function hyperparameterArgs(p: Hyperparameter, value: unknown): Record<string, unknown> {
  const what = `value of ${p.call}`;
  switch (p.type) {
    case 'u8':
      return { [p.field]: intIn(value, 0, 0xff, what) };
    case 'u16':
      return { [p.field]: intIn(value, 0, 0xffff, what) };
    case 'i16':
      return { [p.field]: intIn(value, -32_768, 32_767, what) };
    case 'u64':
      return { [p.field]: bigIn(value, U64_MAX, what) };
    case 'u64f64':
      return { [p.field]: bigIn(value, (1n << 128n) - 1n, `${what} (U64F64 raw bits)`) };
    case 'bool':
      if (typeof value !== 'boolean') throw new TypeError(`${what} must be a boolean`);
      return { [p.field]: value };
    case 'account':
      return { [p.field]: accountBytes(value, what) };
    case 'recycle-or-burn':
      if (value !== 'Burn' && value !== 'Recycle')
        throw new RangeError(`${what} must be 'Burn' or 'Recycle'`);
      return { [p.field]: { type: value } };
    case 'alpha-values': {
      const v = value as { low?: unknown; high?: unknown } | null;
      if (typeof v !== 'object' || v === null) throw new TypeError(`${what} must be { low, high }`);
      return {
        alpha_low: intIn(v.low, 0, 0xffff, `${what}: low`),
        alpha_high: intIn(v.high, 0, 0xffff, `${what}: high`),
      };
    }
  }
}
