/**
 * SubtensorModule's genesis: `TotalIssuance` from the balances, the root subnet (netuid 0) as
 * subtensor 14bc6f9f's genesis build (macros/genesis.rs) and its migrations leave it, and
 * optional dev subnets registered and started through the same code as `register_network` and
 * `start_call`.
 */

import { Balances, SubtensorStorage as S } from '@taoscript/chain-types';
import { type DispatchContext, describeDispatchError } from '../dispatch.js';
import type { GenesisConfig } from '../executive.js';
import type { Overlay } from '../state.js';
import { type EmissionSharesRule, setEmissionSharesRule } from './coinbase/shares.js';
import { assertNetuid } from './pool.js';
import { doRegisterNetwork, doStartCall, nextNetuid, symbolForSubnet } from './subnets.js';

/** A subnet created (and started) at genesis. */
export interface DevSubnetConfig {
  /** Owner coldkey: pays the lock cost from its genesis balance. */
  coldkey: Uint8Array;
  /** Owner hotkey: the subnet's uid 0. */
  hotkey: Uint8Array;
  /** Tempo (default 360). */
  tempo?: number;
  /**
   * `SubnetEmissionEnabled` after creation (default true: a started dev subnet receives TAO
   * emission; a subnet registered by extrinsic starts with it off until root enables it).
   */
  emissionEnabled?: boolean;
}

/** SubtensorModule's part of the genesis config. */
export interface SubtensorGenesisConfig {
  /** Root's owner keys (default: the all-zero account, as subtensor's production genesis). */
  rootOwner?: { coldkey: Uint8Array; hotkey: Uint8Array };
  /** `StartCallDelay` (blocks between registering a subnet and `start_call`; dev subnets are exempt). */
  startCallDelay?: bigint;
  /** Dev subnets, registered in order (netuid 1, 2, …). */
  subnets?: DevSubnetConfig[];
  /**
   * How block emission is shared across subnets: subtensor's current price-EMA rule (default) or
   * its dormant net TAO-flow rule. Not in the metadata: kept under `:taoscript:emission_shares`.
   */
  emissionShares?: EmissionSharesRule;
}

const ZERO_ACCOUNT = new Uint8Array(32);
/** The root subnet's tempo. */
export const ROOT_TEMPO = 100;
/** Root's `MaxAllowedUids` and `MaxAllowedValidators`. */
export const ROOT_MAX_UIDS = 64;

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

function checkConfig(c: unknown): SubtensorGenesisConfig {
  if (c === undefined) return {};
  if (typeof c !== 'object' || c === null) throw new TypeError('subtensor: expected an object');
  const cfg = c as SubtensorGenesisConfig;
  if (cfg.rootOwner !== undefined) {
    assertAccount(cfg.rootOwner.coldkey, 'subtensor.rootOwner.coldkey');
    assertAccount(cfg.rootOwner.hotkey, 'subtensor.rootOwner.hotkey');
  }
  if (cfg.startCallDelay !== undefined) {
    if (typeof cfg.startCallDelay !== 'bigint')
      throw new TypeError('subtensor.startCallDelay: expected a bigint');
    if (cfg.startCallDelay < 0n || cfg.startCallDelay >= 1n << 64n)
      throw new RangeError('subtensor.startCallDelay: outside u64');
  }
  if (cfg.subnets !== undefined) {
    if (!Array.isArray(cfg.subnets)) throw new TypeError('subtensor.subnets: expected an array');
    if (cfg.subnets.length > 128) throw new RangeError('subtensor.subnets: at most 128');
    cfg.subnets.forEach((s, i) => {
      assertAccount(s?.coldkey, `subtensor.subnets[${i}].coldkey`);
      assertAccount(s.hotkey, `subtensor.subnets[${i}].hotkey`);
      if (s.tempo !== undefined) assertNetuid(s.tempo, `subtensor.subnets[${i}].tempo`);
      if (s.emissionEnabled !== undefined && typeof s.emissionEnabled !== 'boolean')
        throw new TypeError(`subtensor.subnets[${i}].emissionEnabled: expected a boolean`);
    });
  }
  if (
    cfg.emissionShares !== undefined &&
    cfg.emissionShares !== 'price' &&
    cfg.emissionShares !== 'flow'
  )
    throw new RangeError(`subtensor.emissionShares: expected 'price' or 'flow'`);
  return cfg;
}

/** Writes an entry even when it equals the item's default, as a FRAME `insert` does. */
function insert<V>(
  ov: Overlay,
  item: { key(n: number): Uint8Array; value: { enc(v: V): Uint8Array } },
  netuid: number,
  value: V,
): void {
  ov.set(item.key(netuid), item.value.enc(value));
}

/**
 * SubtensorModule's genesis on top of the balances already in `ov`: subtensor's `TotalIssuance`
 * equal to Balances', the root subnet, then each dev subnet registered (its owner pays the lock
 * cost) and started. Throws if a dev subnet cannot be registered.
 * @example
 * import { Runtime } from '@taoscript/runtime';
 * // Runtime.genesis calls it: new Runtime().genesis({ balances, subtensor: { subnets: [...] } });
 */
export function subtensorGenesis(ov: Overlay, cfg: GenesisConfig): void {
  const sub = checkConfig(cfg.subtensor);
  S.TotalIssuance.set(ov, Balances.TotalIssuance.get(ov));

  // The root network.
  insert(ov, S.NetworksAdded, 0, true);
  S.TotalNetworks.set(ov, S.TotalNetworks.get(ov) + 1);
  insert(ov, S.SubnetOwner, 0, sub.rootOwner?.coldkey ?? ZERO_ACCOUNT);
  insert(ov, S.SubnetOwnerHotkey, 0, sub.rootOwner?.hotkey ?? ZERO_ACCOUNT);
  insert(ov, S.SubnetworkN, 0, 0);
  S.MaxAllowedUids.set(ov, 0, ROOT_MAX_UIDS);
  S.MaxAllowedValidators.set(ov, 0, ROOT_MAX_UIDS);
  S.MinAllowedWeights.set(ov, 0, 0);
  S.Tempo.set(ov, 0, ROOT_TEMPO);
  insert(ov, S.NetworkRegistrationAllowed, 0, true);
  S.TargetRegistrationsPerInterval.set(ov, 0, 1);
  S.TokenSymbol.set(ov, 0, symbolForSubnet(0));
  // migrate_set_subtoken_enabled: root trades from the start.
  S.SubtokenEnabled.set(ov, 0, true);

  if (sub.emissionShares !== undefined) setEmissionSharesRule(ov, sub.emissionShares);

  // Dev subnets, through the extrinsics' own code at block 0.
  const ctx: DispatchContext = {
    state: ov,
    blockNumber: 0,
    author: undefined,
    deposit: () => {},
  };
  (sub.subnets ?? []).forEach((s, i) => {
    const netuid = nextNetuid(ov);
    const opts = s.tempo === undefined ? {} : { tempo: s.tempo };
    const registered = doRegisterNetwork(ctx, s.coldkey, s.hotkey, opts);
    if (!registered.ok)
      throw new Error(
        `genesis subnet ${i}: register_network failed: ${describeDispatchError(registered.error)}`,
      );
    const started = doStartCall(ctx, { type: 'Signed', who: s.coldkey }, netuid);
    if (!started.ok)
      throw new Error(
        `genesis subnet ${i}: start_call failed: ${describeDispatchError(started.error)}`,
      );
    S.SubnetEmissionEnabled.set(ov, netuid, s.emissionEnabled ?? true);
  });
  // Set last, so it delays later subnets only: the dev subnets above are started at genesis.
  if (sub.startCallDelay !== undefined) S.StartCallDelay.set(ov, sub.startCallDelay);
}
