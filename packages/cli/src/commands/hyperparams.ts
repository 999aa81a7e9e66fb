/**
 * `sudo set --param` names (btcli's, plus the rest of AdminUtils' setters) → the AdminUtils call,
 * its value field and type, and who may call it: `owner` setters accept the subnet owner or root;
 * `root` setters only root (the sudo key through Sudo.sudo). Origins as subtensor 14bc6f9f's
 * pallets/admin-utils checks them.
 */

import { isSs58, parseBool, parseSs58, parseU64, parseUint } from '../framework/values.js';
import { UsageError } from '../io.js';

/** How a hyperparameter's value is typed. */
export type ParamType =
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
export interface Hyperparam {
  /** AdminUtils call name. */
  call: string;
  /** The value's field in the call (alpha-values: `alpha_low` + `alpha_high`). */
  field: string;
  type: ParamType;
  /** Only root may call it (else the subnet owner too). */
  root: boolean;
  /** The setter is per subnet (takes `netuid`). */
  subnet: boolean;
}

const s = (call: string, field: string, type: ParamType, root: boolean): Hyperparam => ({
  call,
  field,
  type,
  root,
  subnet: true,
});
const g = (call: string, field: string, type: ParamType): Hyperparam => ({
  call,
  field,
  type,
  root: true,
  subnet: false,
});

/** Every `--param` name. */
export const HYPERPARAMS: Record<string, Hyperparam> = {
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
  // Chain-wide settings (no --netuid; root only).
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
};

/** Other spellings of some names (the V2 runtime-API field names and btcli's older ones). */
const ALIASES: Record<string, string> = {
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
};

/** The hyperparameter named `name` (kebab-case accepted). */
export function findHyperparam(name: string): { name: string; param: Hyperparam } {
  const key = name.trim().toLowerCase().replace(/-/g, '_');
  const canonical = Object.hasOwn(HYPERPARAMS, key) ? key : ALIASES[key];
  if (canonical === undefined || !Object.hasOwn(HYPERPARAMS, canonical))
    throw new UsageError(
      `--param: unknown hyperparameter '${name.slice(0, 48)}' (known: ${Object.keys(HYPERPARAMS).join(', ')})`,
    );
  return { name: canonical, param: HYPERPARAMS[canonical] as Hyperparam };
}

/** `1.5` → U64F64 raw bits (value × 2^64), exactly. */
export function decimalToU64F64(value: string, flag: string): bigint {
  const m = /^(\d{1,19})(?:\.(\d{1,30}))?$/.exec(value.trim());
  if (!m)
    throw new UsageError(
      `${flag} must be a non-negative decimal number, got '${value.slice(0, 40)}'`,
    );
  const whole = BigInt(m[1] as string);
  const fracDigits = m[2] ?? '';
  const frac =
    fracDigits === '' ? 0n : (BigInt(fracDigits) << 64n) / 10n ** BigInt(fracDigits.length);
  const raw = (whole << 64n) + frac;
  if (raw >= 1n << 128n) throw new UsageError(`${flag} is too large`);
  return raw;
}

/** The call arguments for `value` (besides `netuid`), checked against the parameter's type. */
export function hyperparamArgs(
  p: Hyperparam,
  value: string,
  flag = '--value',
): Record<string, unknown> {
  switch (p.type) {
    case 'u8':
      return { [p.field]: parseUint(value, flag, 0xff) };
    case 'u16':
      return { [p.field]: parseUint(value, flag, 0xffff) };
    case 'u64':
      return { [p.field]: parseU64(value, flag) };
    case 'bool':
      return { [p.field]: parseBool(value, flag) };
    case 'i16': {
      const v = value.trim();
      if (!/^-?\d{1,5}$/.test(v) || Number(v) < -32_768 || Number(v) > 32_767)
        throw new UsageError(
          `${flag} must be a whole number -32768..32767, got '${value.slice(0, 40)}'`,
        );
      return { [p.field]: Number(v) };
    }
    case 'account':
      if (!isSs58(value.trim())) throw new UsageError(`${flag} must be an SS58 address`);
      return { [p.field]: parseSs58(value, flag) };
    case 'u64f64':
      return { [p.field]: decimalToU64F64(value, flag) };
    case 'recycle-or-burn': {
      const v = value.trim().toLowerCase();
      if (v !== 'burn' && v !== 'recycle')
        throw new UsageError(`${flag} must be burn or recycle, got '${value.slice(0, 40)}'`);
      return { [p.field]: { type: v === 'burn' ? 'Burn' : 'Recycle' } };
    }
    case 'alpha-values': {
      const parts = value.split(/[\s,]+/).filter((x) => x !== '');
      if (parts.length !== 2) throw new UsageError(`${flag} must be two values: LOW,HIGH`);
      return {
        alpha_low: parseUint(parts[0] as string, flag, 0xffff),
        alpha_high: parseUint(parts[1] as string, flag, 0xffff),
      };
    }
  }
}
