import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AdminUtils,
  type AdminUtilsCall,
  type RateLimitKey,
  type RuntimeCall,
  type RuntimeEvent,
  SubtensorStorage as S,
} from '@taoscript/chain-types';
import { fxFromF64, fxFromInt, U64F64 } from '@taoscript/codec';
import { devKeypair, runtimeHarness } from '@taoscript/testkit';
import { dispatchAt, dispatchError, dispatchOk } from '../../test/subtensor-fixtures.js';
import { type DispatchContext, describeDispatchError, type Origin } from '../dispatch.js';
import { Overlay } from '../state.js';
import {
  ensureMaxUidsOverAllMechanisms,
  immuneOwnerUids,
  isSubnetAccount,
  nominationHooks,
} from './admin-utils.js';
import {
  atomic,
  checkPassesRateLimit,
  exceedsTxDelegateTakeRateLimit,
  exceedsTxRateLimit,
  getAccountLastBlock,
  isInAdminFreezeWindow,
  lastBlockOnSubnet,
  passesRateLimitOnSubnet,
  rateLimitOnSubnet,
  setAccountLastBlock,
  setLastBlockOnSubnet,
  transactionTypeCode,
} from './rate-limits.js';

type Harness = ReturnType<typeof runtimeHarness>;
const NET = 1;
const MISSING = 77;
const TEMPO = 100;
const acct = (n: number) => new Uint8Array(32).fill(n);
const OWNER = acct(200);
const STRANGER = acct(201);
const ROOT: Origin = { type: 'Root' };
const signed = (who: Uint8Array): Origin => ({ type: 'Signed', who });
const au = (value: AdminUtilsCall): RuntimeCall => ({ type: 'AdminUtils', value });
const sme = (value: unknown): RuntimeEvent => ({ type: 'SubtensorModule', value }) as RuntimeEvent;
const aue = (value: unknown): RuntimeEvent => ({ type: 'AdminUtils', value }) as RuntimeEvent;

/** A subnet owned by OWNER with tempo 100 anchored at block 0: frozen from block 91. */
function subnet() {
  const h = runtimeHarness();
  h.edit((ov) => {
    S.NetworksAdded.set(ov, NET, true);
    S.SubnetOwner.set(ov, NET, OWNER);
    S.Tempo.set(ov, NET, TEMPO);
    S.SubnetworkN.set(ov, NET, 10);
    S.MaxAllowedUids.set(ov, NET, 128);
    S.LiquidAlphaOn.set(ov, NET, true);
  });
  return h;
}
const st = (h: Harness) => new Overlay(h.state);

/** A per-subnet setter and what it must do. */
interface SubnetCase {
  make: (netuid: number) => AdminUtilsCall;
  /** `owner`: owner or root with a recorded limit; `owner-free`: owner or root, no limit. */
  who: 'root' | 'owner' | 'owner-free';
  freeze: boolean;
  /** The error for an unknown subnet; `undefined` when the setter does not check. */
  missing: string | undefined;
  written: (h: Harness, netuid: number) => void;
  events?: (netuid: number) => RuntimeEvent[];
}

const V = 'AdminUtils.SubnetDoesNotExist';
const cases: Record<string, SubnetCase> = {
  serving_rate_limit: {
    make: (netuid) => ({
      type: 'sudo_set_serving_rate_limit',
      value: { netuid, serving_rate_limit: 7n },
    }),
    who: 'owner',
    freeze: true,
    missing: undefined,
    written: (h, n) => assert.equal(S.ServingRateLimit.get(st(h), n), 7n),
    events: (n) => [sme({ type: 'ServingRateLimitSet', value: [n, 7n] })],
  },
  min_difficulty: {
    make: (netuid) => ({ type: 'sudo_set_min_difficulty', value: { netuid, min_difficulty: 5n } }),
    who: 'root',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MinDifficulty.get(st(h), n), 5n),
    events: (n) => [sme({ type: 'MinDifficultySet', value: [n, 5n] })],
  },
  max_difficulty: {
    make: (netuid) => ({ type: 'sudo_set_max_difficulty', value: { netuid, max_difficulty: 9n } }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MaxDifficulty.get(st(h), n), 9n),
    events: (n) => [sme({ type: 'MaxDifficultySet', value: [n, 9n] })],
  },
  weights_version_key: {
    make: (netuid) => ({
      type: 'sudo_set_weights_version_key',
      value: { netuid, weights_version_key: 3n },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.WeightsVersionKey.get(st(h), n), 3n),
    events: (n) => [sme({ type: 'WeightsVersionKeySet', value: [n, 3n] })],
  },
  weights_set_rate_limit: {
    make: (netuid) => ({
      type: 'sudo_set_weights_set_rate_limit',
      value: { netuid, weights_set_rate_limit: 4n },
    }),
    who: 'root',
    freeze: false,
    missing: V,
    written: (h, n) => assert.equal(S.WeightsSetRateLimit.get(st(h), n), 4n),
    events: (n) => [sme({ type: 'WeightsSetRateLimitSet', value: [n, 4n] })],
  },
  adjustment_interval: {
    make: (netuid) => ({
      type: 'sudo_set_adjustment_interval',
      value: { netuid, adjustment_interval: 11 },
    }),
    who: 'root',
    freeze: false,
    missing: V,
    written: (h, n) => assert.equal(S.AdjustmentInterval.get(st(h), n), 11),
    events: (n) => [sme({ type: 'AdjustmentIntervalSet', value: [n, 11] })],
  },
  adjustment_alpha: {
    make: (netuid) => ({
      type: 'sudo_set_adjustment_alpha',
      value: { netuid, adjustment_alpha: 12n },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.AdjustmentAlpha.get(st(h), n), 12n),
    events: (n) => [sme({ type: 'AdjustmentAlphaSet', value: [n, 12n] })],
  },
  immunity_period: {
    make: (netuid) => ({
      type: 'sudo_set_immunity_period',
      value: { netuid, immunity_period: 13 },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.ImmunityPeriod.get(st(h), n), 13),
    events: (n) => [sme({ type: 'ImmunityPeriodSet', value: [n, 13] })],
  },
  min_allowed_weights: {
    make: (netuid) => ({
      type: 'sudo_set_min_allowed_weights',
      value: { netuid, min_allowed_weights: 14 },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MinAllowedWeights.get(st(h), n), 14),
    events: (n) => [sme({ type: 'MinAllowedWeightSet', value: [n, 14] })],
  },
  max_allowed_uids: {
    make: (netuid) => ({
      type: 'sudo_set_max_allowed_uids',
      value: { netuid, max_allowed_uids: 100 },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MaxAllowedUids.get(st(h), n), 100),
    events: (n) => [sme({ type: 'MaxAllowedUidsSet', value: [n, 100] })],
  },
  kappa: {
    make: (netuid) => ({ type: 'sudo_set_kappa', value: { netuid, kappa: 16 } }),
    who: 'root',
    freeze: false,
    missing: V,
    written: (h, n) => assert.equal(S.Kappa.get(st(h), n), 16),
    events: (n) => [sme({ type: 'KappaSet', value: [n, 16] })],
  },
  rho: {
    make: (netuid) => ({ type: 'sudo_set_rho', value: { netuid, rho: 17 } }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.Rho.get(st(h), n), 17),
    events: () => [],
  },
  activity_cutoff: {
    make: (netuid) => ({
      type: 'sudo_set_activity_cutoff',
      value: { netuid, activity_cutoff: 400 },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.ActivityCutoff.get(st(h), n), 400),
    events: (n) => [sme({ type: 'ActivityCutoffSet', value: [n, 400] })],
  },
  network_registration_allowed: {
    make: (netuid) => ({
      type: 'sudo_set_network_registration_allowed',
      value: { netuid, registration_allowed: false },
    }),
    who: 'root',
    freeze: false,
    missing: undefined,
    written: (h, n) => assert.equal(S.NetworkRegistrationAllowed.get(st(h), n), false),
    events: (n) => [sme({ type: 'RegistrationAllowed', value: [n, false] })],
  },
  target_registrations_per_interval: {
    make: (netuid) => ({
      type: 'sudo_set_target_registrations_per_interval',
      value: { netuid, target_registrations_per_interval: 21 },
    }),
    who: 'root',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.TargetRegistrationsPerInterval.get(st(h), n), 21),
    events: (n) => [sme({ type: 'RegistrationPerIntervalSet', value: [n, 21] })],
  },
  min_burn: {
    make: (netuid) => ({ type: 'sudo_set_min_burn', value: { netuid, min_burn: 1_000n } }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MinBurn.get(st(h), n), 1_000n),
    events: (n) => [sme({ type: 'MinBurnSet', value: [n, 1_000n] })],
  },
  max_burn: {
    make: (netuid) => ({ type: 'sudo_set_max_burn', value: { netuid, max_burn: 2_000_000_000n } }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MaxBurn.get(st(h), n), 2_000_000_000n),
    events: (n) => [sme({ type: 'MaxBurnSet', value: [n, 2_000_000_000n] })],
  },
  difficulty: {
    make: (netuid) => ({ type: 'sudo_set_difficulty', value: { netuid, difficulty: 24n } }),
    who: 'root',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.Difficulty.get(st(h), n), 24n),
    events: (n) => [sme({ type: 'DifficultySet', value: [n, 24n] })],
  },
  max_allowed_validators: {
    make: (netuid) => ({
      type: 'sudo_set_max_allowed_validators',
      value: { netuid, max_allowed_validators: 25 },
    }),
    who: 'root',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MaxAllowedValidators.get(st(h), n), 25),
    events: (n) => [sme({ type: 'MaxAllowedValidatorsSet', value: [n, 25] })],
  },
  bonds_moving_average: {
    make: (netuid) => ({
      type: 'sudo_set_bonds_moving_average',
      value: { netuid, bonds_moving_average: 26n },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.BondsMovingAverage.get(st(h), n), 26n),
    events: (n) => [sme({ type: 'BondsMovingAverageSet', value: [n, 26n] })],
  },
  bonds_penalty: {
    make: (netuid) => ({ type: 'sudo_set_bonds_penalty', value: { netuid, bonds_penalty: 60 } }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.BondsPenalty.get(st(h), n), 60),
    events: (n) => [sme({ type: 'BondsPenaltySet', value: [n, 60] })],
  },
  max_registrations_per_block: {
    make: (netuid) => ({
      type: 'sudo_set_max_registrations_per_block',
      value: { netuid, max_registrations_per_block: 27 },
    }),
    who: 'root',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MaxRegistrationsPerBlock.get(st(h), n), 27),
    events: (n) => [sme({ type: 'MaxRegistrationsPerBlockSet', value: [n, 27] })],
  },
  tempo: {
    make: (netuid) => ({ type: 'sudo_set_tempo', value: { netuid, tempo: 500 } }),
    who: 'root',
    freeze: true,
    missing: V,
    written: (h, n) => {
      assert.equal(S.Tempo.get(st(h), n), 500);
      assert.equal(S.LastEpochBlock.get(st(h), n), 10n, 'the epoch cycle restarts now');
    },
    events: (n) => [sme({ type: 'TempoSet', value: [n, 500] })],
  },
  rao_recycled: {
    make: (netuid) => ({ type: 'sudo_set_rao_recycled', value: { netuid, rao_recycled: 39n } }),
    who: 'root',
    freeze: false,
    missing: V,
    written: (h, n) => assert.equal(S.RAORecycledForRegistration.get(st(h), n), 39n),
    events: (n) => [sme({ type: 'RAORecycledForRegistrationSet', value: [n, 39n] })],
  },
  min_childkey_take_per_subnet: {
    make: (netuid) => ({
      type: 'sudo_set_min_childkey_take_per_subnet',
      value: { netuid, take: 93 },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MinChildkeyTakePerSubnet.get(st(h), n), 93),
    events: (n) => [sme({ type: 'MinChildKeyTakePerSubnetSet', value: [n, 93] })],
  },
  commit_reveal_weights_enabled: {
    make: (netuid) => ({
      type: 'sudo_set_commit_reveal_weights_enabled',
      value: { netuid, enabled: true },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.CommitRevealWeightsEnabled.get(st(h), n), true),
    events: (n) => [sme({ type: 'CommitRevealEnabled', value: [n, true] })],
  },
  liquid_alpha_enabled: {
    make: (netuid) => ({
      type: 'sudo_set_liquid_alpha_enabled',
      value: { netuid, enabled: false },
    }),
    who: 'owner',
    freeze: true,
    missing: undefined,
    written: (h, n) => assert.equal(S.LiquidAlphaOn.get(st(h), n), false),
    events: () => [],
  },
  alpha_values: {
    make: (netuid) => ({
      type: 'sudo_set_alpha_values',
      value: { netuid, alpha_low: 2_000, alpha_high: 3_000 },
    }),
    who: 'owner',
    freeze: true,
    missing: 'SubtensorModule.LiquidAlphaDisabled',
    written: (h, n) => assert.deepEqual(S.AlphaValues.get(st(h), n), [2_000, 3_000]),
    events: () => [],
  },
  commit_reveal_weights_interval: {
    make: (netuid) => ({
      type: 'sudo_set_commit_reveal_weights_interval',
      value: { netuid, interval: 5n },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.RevealPeriodEpochs.get(st(h), n), 5n),
    events: (n) => [sme({ type: 'CommitRevealPeriodsSet', value: [n, 5n] })],
  },
  toggle_transfer: {
    make: (netuid) => ({ type: 'sudo_set_toggle_transfer', value: { netuid, toggle: false } }),
    who: 'owner',
    freeze: true,
    missing: undefined,
    written: (h, n) => assert.equal(S.TransferToggle.get(st(h), n), false),
    events: (n) => [sme({ type: 'TransferToggle', value: [n, false] })],
  },
  recycle_or_burn: {
    make: (netuid) => ({
      type: 'sudo_set_recycle_or_burn',
      value: { netuid, recycle_or_burn: { type: 'Recycle' } },
    }),
    who: 'owner',
    freeze: true,
    missing: undefined,
    written: (h, n) => assert.deepEqual(S.RecycleOrBurn.get(st(h), n), { type: 'Recycle' }),
    events: () => [],
  },
  ema_price_halving_period: {
    make: (netuid) => ({
      type: 'sudo_set_ema_price_halving_period',
      value: { netuid, ema_halving: 65n },
    }),
    who: 'root',
    freeze: false,
    missing: undefined,
    written: (h, n) => assert.equal(S.EMAPriceHalvingBlocks.get(st(h), n), 65n),
    events: () => [],
  },
  alpha_sigmoid_steepness: {
    make: (netuid) => ({
      type: 'sudo_set_alpha_sigmoid_steepness',
      value: { netuid, steepness: 68 },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.AlphaSigmoidSteepness.get(st(h), n), 68),
    events: () => [],
  },
  yuma3_enabled: {
    make: (netuid) => ({ type: 'sudo_set_yuma3_enabled', value: { netuid, enabled: true } }),
    who: 'owner',
    freeze: true,
    missing: undefined,
    written: (h, n) => assert.equal(S.Yuma3On.get(st(h), n), true),
    events: (netuid) => [aue({ type: 'Yuma3EnableToggled', value: { netuid, enabled: true } })],
  },
  bonds_reset_enabled: {
    make: (netuid) => ({ type: 'sudo_set_bonds_reset_enabled', value: { netuid, enabled: true } }),
    who: 'owner',
    freeze: true,
    missing: undefined,
    written: (h, n) => assert.equal(S.BondsResetOn.get(st(h), n), true),
    events: (netuid) => [
      sme({ type: 'BondsResetOnSet', value: [netuid, true] }),
      aue({ type: 'BondsResetToggled', value: { netuid, enabled: true } }),
    ],
  },
  subtoken_enabled: {
    make: (netuid) => ({
      type: 'sudo_set_subtoken_enabled',
      value: { netuid, subtoken_enabled: true },
    }),
    who: 'root',
    freeze: true,
    missing: undefined,
    written: (h, n) => assert.equal(S.SubtokenEnabled.get(st(h), n), true),
    events: () => [],
  },
  owner_immune_neuron_limit: {
    make: (netuid) => ({
      type: 'sudo_set_owner_immune_neuron_limit',
      value: { netuid, immune_neurons: 3 },
    }),
    who: 'owner',
    freeze: true,
    missing: undefined,
    written: (h, n) => assert.equal(S.ImmuneOwnerUidsLimit.get(st(h), n), 3),
    events: () => [],
  },
  mechanism_count: {
    make: (netuid) => ({ type: 'sudo_set_mechanism_count', value: { netuid, mechanism_count: 2 } }),
    who: 'owner',
    freeze: true,
    missing: 'SubtensorModule.MechanismDoesNotExist',
    written: (h, n) => assert.equal(S.MechanismCountCurrent.get(st(h), n), 2),
    events: () => [],
  },
  mechanism_emission_split: {
    make: (netuid) => ({
      type: 'sudo_set_mechanism_emission_split',
      value: { netuid, maybe_split: [65_535] },
    }),
    who: 'owner',
    freeze: true,
    missing: 'SubtensorModule.MechanismDoesNotExist',
    written: (h, n) => assert.deepEqual(S.MechanismEmissionSplit.get(st(h), n), [65_535]),
    events: () => [],
  },
  trim_to_max_allowed_uids: {
    make: (netuid) => ({ type: 'sudo_trim_to_max_allowed_uids', value: { netuid, max_n: 100 } }),
    who: 'owner',
    freeze: true,
    missing: 'SubtensorModule.SubnetNotExists',
    written: (h, n) => assert.equal(S.MaxAllowedUids.get(st(h), n), 100),
    events: () => [],
  },
  min_allowed_uids: {
    make: (netuid) => ({
      type: 'sudo_set_min_allowed_uids',
      value: { netuid, min_allowed_uids: 5 },
    }),
    who: 'root',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.MinAllowedUids.get(st(h), n), 5),
    events: (n) => [sme({ type: 'MinAllowedUidsSet', value: [n, 5] })],
  },
  min_non_immune_uids: {
    make: (netuid) => ({ type: 'sudo_set_min_non_immune_uids', value: { netuid, min: 84 } }),
    who: 'root',
    freeze: false,
    missing: undefined,
    written: (h, n) => assert.equal(S.MinNonImmuneUids.get(st(h), n), 84),
    events: (n) => [sme({ type: 'MinNonImmuneUidsSet', value: [n, 84] })],
  },
  burn_half_life: {
    make: (netuid) => ({ type: 'sudo_set_burn_half_life', value: { netuid, burn_half_life: 720 } }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.BurnHalfLife.get(st(h), n), 720),
    events: (netuid) => [aue({ type: 'BurnHalfLifeSet', value: { netuid, burn_half_life: 720 } })],
  },
  burn_increase_mult: {
    make: (netuid) => ({
      type: 'sudo_set_burn_increase_mult',
      value: { netuid, burn_increase_mult: fxFromInt(U64F64, 2) },
    }),
    who: 'owner',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.BurnIncreaseMult.get(st(h), n), fxFromInt(U64F64, 2)),
    events: (netuid) => [
      aue({
        type: 'BurnIncreaseMultSet',
        value: { netuid, burn_increase_mult: fxFromInt(U64F64, 2) },
      }),
    ],
  },
  owner_cut_enabled: {
    make: (netuid) => ({ type: 'sudo_set_owner_cut_enabled', value: { netuid, enabled: false } }),
    who: 'owner-free',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.OwnerCutEnabled.get(st(h), n), false),
    events: () => [],
  },
  owner_cut_auto_lock_enabled: {
    make: (netuid) => ({
      type: 'sudo_set_owner_cut_auto_lock_enabled',
      value: { netuid, enabled: true },
    }),
    who: 'owner-free',
    freeze: true,
    missing: V,
    written: (h, n) => assert.equal(S.OwnerCutAutoLockEnabled.get(st(h), n), true),
    events: () => [],
  },
  subnet_emission_enabled: {
    make: (netuid) => ({
      type: 'sudo_set_subnet_emission_enabled',
      value: { netuid, enabled: false },
    }),
    who: 'root',
    freeze: false,
    missing: V,
    written: (h, n) => assert.equal(S.SubnetEmissionEnabled.get(st(h), n), false),
    events: (netuid) => [
      aue({ type: 'SubnetEmissionEnabledSet', value: { netuid, enabled: false } }),
    ],
  },
};

describe('AdminUtils per-subnet setters', () => {
  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      it('root sets the value and emits the source events', () => {
        const h = subnet();
        const r = dispatchOk(dispatchAt(h, ROOT, au(c.make(NET))));
        c.written(h, NET);
        if (c.events) assert.deepEqual(r.events, c.events(NET));
      });

      it('refuses anyone but root or the subnet owner', () => {
        const h = subnet();
        assert.equal(dispatchError(dispatchAt(h, signed(STRANGER), au(c.make(NET)))), 'BadOrigin');
        assert.equal(dispatchError(dispatchAt(h, { type: 'None' }, au(c.make(NET)))), 'BadOrigin');
        if (c.who === 'root')
          assert.equal(dispatchError(dispatchAt(h, signed(OWNER), au(c.make(NET)))), 'BadOrigin');
      });

      if (c.who !== 'root') {
        it('lets the owner set it, rate limited per owner only when the setter records it', () => {
          const h = subnet();
          dispatchOk(dispatchAt(h, signed(OWNER), au(c.make(NET)), 10));
          c.written(h, NET);
          const again = dispatchAt(h, signed(OWNER), au(c.make(NET)), 11);
          if (c.who === 'owner')
            assert.equal(dispatchError(again), 'SubtensorModule.TxRateLimitExceeded');
          else dispatchOk(again);
          // Root is never rate limited and does not reset the owner's record.
          dispatchOk(dispatchAt(h, ROOT, au(c.make(NET)), 12));
        });
      }

      it(c.freeze ? 'is frozen near the epoch, for root too' : 'ignores the freeze window', () => {
        const h = subnet();
        h.edit((ov) => S.LastEpochBlock.set(ov, NET, 0n));
        const r = dispatchAt(h, ROOT, au(c.make(NET)), TEMPO - 5);
        if (c.freeze)
          assert.equal(
            dispatchError(r),
            'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
          );
        else dispatchOk(r);
      });

      it(
        c.missing
          ? `answers ${c.missing} for an unknown subnet`
          : 'does not check that the subnet exists',
        () => {
          const h = subnet();
          const r = dispatchAt(h, ROOT, au(c.make(MISSING)));
          if (c.missing) assert.equal(dispatchError(r), c.missing);
          else {
            dispatchOk(r);
            c.written(h, MISSING);
          }
        },
      );
    });
  }
});

/** A root-only global setter and its effect. */
const globals: [AdminUtilsCall, (h: Harness) => void, RuntimeEvent[]][] = [
  [
    { type: 'sudo_set_default_take', value: { default_take: 1_000 } },
    (h) => assert.equal(S.MaxDelegateTake.get(st(h)), 1_000),
    [sme({ type: 'MaxDelegateTakeSet', value: 1_000 })],
  ],
  [
    { type: 'sudo_set_tx_rate_limit', value: { tx_rate_limit: 2n } },
    (h) => assert.equal(S.TxRateLimit.get(st(h)), 2n),
    [sme({ type: 'TxRateLimitSet', value: 2n })],
  ],
  [
    { type: 'sudo_set_subnet_owner_cut', value: { subnet_owner_cut: 28 } },
    (h) => assert.equal(S.SubnetOwnerCut.get(st(h)), 28),
    [sme({ type: 'SubnetOwnerCutSet', value: 28 })],
  ],
  [
    { type: 'sudo_set_network_rate_limit', value: { rate_limit: 29n } },
    (h) => assert.equal(S.NetworkRateLimit.get(st(h)), 29n),
    [sme({ type: 'NetworkRateLimitSet', value: 29n })],
  ],
  [
    { type: 'sudo_set_network_immunity_period', value: { immunity_period: 35n } },
    (h) => assert.equal(S.NetworkImmunityPeriod.get(st(h)), 35n),
    [sme({ type: 'NetworkImmunityPeriodSet', value: 35n })],
  ],
  [
    { type: 'sudo_set_network_min_lock_cost', value: { lock_cost: 36n } },
    (h) => assert.equal(S.NetworkMinLockCost.get(st(h)), 36n),
    [sme({ type: 'NetworkMinLockCostSet', value: 36n })],
  ],
  [
    { type: 'sudo_set_subnet_limit', value: { max_subnets: 37 } },
    (h) => assert.equal(S.SubnetLimit.get(st(h)), 37),
    [sme({ type: 'SubnetLimitSet', value: 37 })],
  ],
  [
    { type: 'sudo_set_lock_reduction_interval', value: { interval: 38n } },
    (h) => assert.equal(S.NetworkLockReductionInterval.get(st(h)), 38n),
    [sme({ type: 'NetworkLockCostReductionIntervalSet', value: 38n })],
  ],
  [
    { type: 'sudo_set_stake_threshold', value: { min_stake: 42n } },
    (h) => assert.equal(S.StakeThreshold.get(st(h)), 42n),
    [sme({ type: 'StakeThresholdSet', value: 42n })],
  ],
  [
    { type: 'sudo_set_nominator_min_required_stake', value: { min_stake: 43n } },
    (h) => assert.equal(S.NominatorMinRequiredStake.get(st(h)), 43n),
    [],
  ],
  [
    { type: 'sudo_set_tx_delegate_take_rate_limit', value: { tx_rate_limit: 45n } },
    (h) => assert.equal(S.TxDelegateTakeRateLimit.get(st(h)), 45n),
    [sme({ type: 'TxDelegateTakeRateLimitSet', value: 45n })],
  ],
  [
    { type: 'sudo_set_min_delegate_take', value: { take: 46 } },
    (h) => assert.equal(S.MinDelegateTake.get(st(h)), 46),
    [sme({ type: 'MinDelegateTakeSet', value: 46 })],
  ],
  [
    { type: 'sudo_set_dissolve_network_schedule_duration', value: { duration: 55 } },
    (h) => assert.equal(S.DissolveNetworkScheduleDuration.get(st(h)), 55),
    [sme({ type: 'DissolveNetworkScheduleDurationSet', value: 55 })],
  ],
  [
    {
      type: 'sudo_toggle_evm_precompile',
      value: { precompile_id: { type: 'Staking' }, enabled: false },
    },
    (h) => assert.equal(AdminUtils.PrecompileEnable.get(st(h), { type: 'Staking' }), false),
    [
      aue({
        type: 'PrecompileUpdated',
        value: { precompile_id: { type: 'Staking' }, enabled: false },
      }),
    ],
  ],
  [
    { type: 'sudo_set_subnet_moving_alpha', value: { alpha: 63n } },
    (h) => assert.equal(S.SubnetMovingAlpha.get(st(h)), 63n),
    [],
  ],
  [
    { type: 'sudo_set_commit_reveal_version', value: { version: 71 } },
    (h) => assert.equal(S.CommitRevealWeightsVersion.get(st(h)), 71),
    [sme({ type: 'CommitRevealVersionSet', value: 71 })],
  ],
  [
    { type: 'sudo_set_ck_burn', value: { burn: 73n } },
    (h) => assert.equal(S.CKBurn.get(st(h)), 73n),
    [],
  ],
  [
    { type: 'sudo_set_admin_freeze_window', value: { window: 74 } },
    (h) => assert.equal(S.AdminFreezeWindow.get(st(h)), 74),
    [sme({ type: 'AdminFreezeWindowSet', value: 74 })],
  ],
  [
    { type: 'sudo_set_owner_hparam_rate_limit', value: { epochs: 75 } },
    (h) => assert.equal(S.OwnerHyperparamRateLimit.get(st(h)), 75),
    [sme({ type: 'OwnerHyperparamRateLimitSet', value: 75 })],
  ],
  [
    { type: 'sudo_set_tao_flow_cutoff', value: { flow_cutoff: -81n } },
    (h) => assert.equal(S.TaoFlowCutoff.get(st(h)), -81n),
    [],
  ],
  [
    {
      type: 'sudo_set_tao_flow_normalization_exponent',
      value: { exponent: fxFromF64(U64F64, 1.5) },
    },
    (h) => assert.equal(S.FlowNormExponent.get(st(h)), fxFromF64(U64F64, 1.5)),
    [],
  ],
  [
    { type: 'sudo_set_tao_flow_smoothing_factor', value: { smoothing_factor: 83n } },
    (h) => assert.equal(S.FlowEmaSmoothingFactor.get(st(h)), 83n),
    [],
  ],
  [
    { type: 'sudo_set_net_tao_flow_enabled', value: { enabled: false } },
    (h) => assert.equal(S.NetTaoFlowEnabled.get(st(h)), false),
    [],
  ],
  [
    { type: 'sudo_set_max_mechanism_count', value: { max_mechanism_count: 4 } },
    (h) => assert.equal(S.MaxMechanismCount.get(st(h)), 4),
    [],
  ],
  [
    { type: 'sudo_set_start_call_delay', value: { delay: 85n } },
    (h) => assert.equal(S.StartCallDelay.get(st(h)), 85n),
    [sme({ type: 'StartCallDelaySet', value: 85n })],
  ],
  [
    { type: 'sudo_set_coldkey_swap_announcement_delay', value: { duration: 86 } },
    (h) => assert.equal(S.ColdkeySwapAnnouncementDelay.get(st(h)), 86),
    [sme({ type: 'ColdkeySwapAnnouncementDelaySet', value: 86 })],
  ],
  [
    { type: 'sudo_set_coldkey_swap_reannouncement_delay', value: { duration: 87 } },
    (h) => assert.equal(S.ColdkeySwapReannouncementDelay.get(st(h)), 87),
    [sme({ type: 'ColdkeySwapReannouncementDelaySet', value: 87 })],
  ],
  [
    { type: 'sudo_set_max_epochs_per_block', value: { max_epochs_per_block: 3 } },
    (h) => assert.equal(S.MaxEpochsPerBlock.get(st(h)), 3),
    [sme({ type: 'MaxEpochsPerBlockSet', value: 3 })],
  ],
];

describe('AdminUtils global root setters', () => {
  for (const [c, written, events] of globals) {
    it(`${c.type}: root only, sets and emits`, () => {
      const h = subnet();
      assert.equal(dispatchError(dispatchAt(h, signed(OWNER), au(c))), 'BadOrigin');
      const r = dispatchOk(dispatchAt(h, ROOT, au(c)));
      written(h);
      assert.deepEqual(r.events, events);
    });
  }

  it('refuses the deprecated and disabled calls whoever asks', () => {
    const h = subnet();
    const pow = au({
      type: 'sudo_set_network_pow_registration_allowed',
      value: { netuid: NET, registration_allowed: true },
    });
    assert.equal(dispatchError(dispatchAt(h, ROOT, pow)), 'AdminUtils.POWRegistrationDisabled');
    const ti = au({ type: 'sudo_set_total_issuance', value: { total_issuance: 1n } });
    assert.equal(dispatchError(dispatchAt(h, signed(STRANGER), ti)), 'AdminUtils.Deprecated');
  });

  it('leaves the authority and EVM chain-id calls unregistered', () => {
    const h = subnet();
    const r = dispatchAt(h, ROOT, au({ type: 'sudo_set_evm_chain_id', value: { chain_id: 1n } }));
    assert.equal(dispatchError(r), 'System.CallFiltered');
    const g = dispatchAt(
      h,
      ROOT,
      au({
        type: 'schedule_grandpa_change',
        value: { next_authorities: [], in_blocks: 1, forced: undefined },
      }),
    );
    assert.equal(dispatchError(g), 'System.CallFiltered');
  });

  it('bounds the flow exponent, epochs per block and max mechanism count', () => {
    const h = subnet();
    const ex = (x: number) =>
      au({
        type: 'sudo_set_tao_flow_normalization_exponent',
        value: { exponent: fxFromF64(U64F64, x) },
      });
    assert.equal(dispatchError(dispatchAt(h, ROOT, ex(0.99))), 'AdminUtils.InvalidValue');
    assert.equal(dispatchError(dispatchAt(h, ROOT, ex(2.01))), 'AdminUtils.InvalidValue');
    dispatchOk(dispatchAt(h, ROOT, ex(1)));
    dispatchOk(dispatchAt(h, ROOT, ex(2)));
    const epb = au({ type: 'sudo_set_max_epochs_per_block', value: { max_epochs_per_block: 0 } });
    assert.equal(dispatchError(dispatchAt(h, ROOT, epb)), 'AdminUtils.ValueNotInBounds');
    const mm = (n: number) =>
      au({ type: 'sudo_set_max_mechanism_count', value: { max_mechanism_count: n } });
    assert.equal(dispatchError(dispatchAt(h, ROOT, mm(0))), 'SubtensorModule.InvalidValue');
    assert.equal(dispatchError(dispatchAt(h, ROOT, mm(17))), 'SubtensorModule.InvalidValue');
    dispatchOk(dispatchAt(h, ROOT, mm(16)));
  });

  it('emits PrecompileUpdated only on a change', () => {
    const h = subnet();
    const c = au({
      type: 'sudo_toggle_evm_precompile',
      value: { precompile_id: { type: 'Alpha' }, enabled: true },
    });
    const r = dispatchOk(dispatchAt(h, ROOT, c));
    assert.deepEqual(r.events, []);
  });

  it('sweeps small nominations only when the nominator minimum rises', () => {
    const h = subnet();
    let sweeps = 0;
    nominationHooks.clearSmallNominations = () => {
      sweeps++;
    };
    try {
      const set = (min_stake: bigint) =>
        au({ type: 'sudo_set_nominator_min_required_stake', value: { min_stake } });
      dispatchOk(dispatchAt(h, ROOT, set(1_000_000n)));
      assert.equal(sweeps, 1);
      // The previous minimum is now 2_000_000 rao × 1_000_000 / 1e6 = 2_000_000: 1_500_000 is not above.
      dispatchOk(dispatchAt(h, ROOT, set(1_500_000n)));
      assert.equal(sweeps, 1);
      dispatchOk(dispatchAt(h, ROOT, set(1_600_000n)));
      assert.equal(sweeps, 1);
    } finally {
      delete nominationHooks.clearSmallNominations;
    }
  });
});

describe('owner rate limits and the freeze window', () => {
  const rho = (v: number) => au({ type: 'sudo_set_rho', value: { netuid: NET, rho: v } });

  it('limits each hyperparameter separately for OwnerHyperparamRateLimit tempos', () => {
    const h = subnet();
    dispatchOk(dispatchAt(h, signed(OWNER), rho(1), 10));
    const key: RateLimitKey = { type: 'OwnerHyperparamUpdate', value: [NET, { type: 'Rho' }] };
    assert.equal(S.LastRateLimitedBlock.get(st(h), key), 10n);
    // Another hyperparameter is not limited by this one.
    const ip = au({ type: 'sudo_set_immunity_period', value: { netuid: NET, immunity_period: 1 } });
    dispatchOk(dispatchAt(h, signed(OWNER), ip, 11));
    dispatchOk(dispatchAt(h, ROOT, rho(2), 11));
    assert.equal(S.LastRateLimitedBlock.get(st(h), key), 10n, 'root does not record');
    // 2 tempos × 100 blocks.
    assert.equal(
      dispatchError(dispatchAt(h, signed(OWNER), rho(3), 209)),
      'SubtensorModule.TxRateLimitExceeded',
    );
    h.edit((ov) => S.LastEpochBlock.set(ov, NET, 200n));
    dispatchOk(dispatchAt(h, signed(OWNER), rho(3), 210));
    assert.equal(S.LastRateLimitedBlock.get(st(h), key), 210n);
    h.edit((ov) => S.OwnerHyperparamRateLimit.set(ov, 0));
    dispatchOk(dispatchAt(h, signed(OWNER), rho(4), 211));
  });

  it('keeps the weights version key limit per owner coldkey for 5 tempos', () => {
    const h = subnet();
    const wvk = au({
      type: 'sudo_set_weights_version_key',
      value: { netuid: NET, weights_version_key: 1n },
    });
    dispatchOk(dispatchAt(h, signed(OWNER), wvk, 10));
    assert.equal(S.TransactionKeyLastBlock.get(st(h), OWNER, NET, 4), 10n);
    h.edit((ov) => S.LastEpochBlock.set(ov, NET, 500n));
    assert.equal(
      dispatchError(dispatchAt(h, signed(OWNER), wvk, 509)),
      'SubtensorModule.TxRateLimitExceeded',
    );
    dispatchOk(dispatchAt(h, signed(OWNER), wvk, 510));
  });

  it('freezes within AdminFreezeWindow blocks of the next epoch or while one is pending', () => {
    const h = subnet();
    h.edit((ov) => S.LastEpochBlock.set(ov, NET, 0n));
    const s = () => st(h);
    assert.equal(isInAdminFreezeWindow(s(), NET, 90n), false, '10 blocks left: open');
    assert.equal(isInAdminFreezeWindow(s(), NET, 91n), true, '9 blocks left: frozen');
    assert.equal(
      dispatchError(dispatchAt(h, ROOT, rho(5), 91)),
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
    );
    dispatchOk(dispatchAt(h, ROOT, rho(5), 90));
    h.edit((ov) => S.PendingEpochAt.set(ov, NET, 50n));
    assert.equal(isInAdminFreezeWindow(s(), NET, 20n), true, 'an owner-triggered epoch is pending');
    assert.equal(isInAdminFreezeWindow(s(), NET, 50n), false);
    h.edit((ov) => S.Tempo.set(ov, NET, 0));
    assert.equal(isInAdminFreezeWindow(s(), NET, 20n), false, 'tempo 0 never freezes');
  });

  it('runs end to end through Sudo and as the owner’s signed extrinsic', () => {
    const h = subnet();
    const dave = devKeypair('Dave');
    h.edit((ov) => S.SubnetOwner.set(ov, NET, dave.publicKey));
    const sudo = h.sudo(rho(42));
    assert.ok(sudo.result.ok && sudo.result.outcome.ok);
    assert.ok(
      sudo.events.some(
        (e) =>
          e.event.type === 'Sudo' &&
          e.event.value.type === 'Sudid' &&
          e.event.value.value.sudo_result.type === 'Ok',
      ),
    );
    assert.equal(S.Rho.get(h.state, NET), 42);
    const own = h.run(dave, au({ type: 'sudo_set_kappa', value: { netuid: NET, kappa: 1 } }));
    assert.ok(own.result.ok && !own.result.outcome.ok);
    assert.equal(
      own.result.ok && !own.result.outcome.ok && describeDispatchError(own.result.outcome.error),
      'BadOrigin',
    );
    const mine = h.run(dave, rho(7));
    assert.ok(mine.result.ok && mine.result.outcome.ok);
    assert.equal(S.Rho.get(h.state, NET), 7);
  });
});

describe('setter bounds', () => {
  const e = (h: Harness, o: Origin, c: AdminUtilsCall) => dispatchError(dispatchAt(h, o, au(c)));

  it('max_allowed_uids', () => {
    const h = subnet();
    const m = (max_allowed_uids: number) =>
      ({ type: 'sudo_set_max_allowed_uids', value: { netuid: NET, max_allowed_uids } }) as const;
    assert.equal(e(h, ROOT, m(63)), 'AdminUtils.MaxAllowedUidsLessThanMinAllowedUids');
    h.edit((ov) => S.SubnetworkN.set(ov, NET, 80));
    assert.equal(e(h, ROOT, m(70)), 'AdminUtils.MaxAllowedUIdsLessThanCurrentUIds');
    assert.equal(e(h, ROOT, m(257)), 'AdminUtils.MaxAllowedUidsGreaterThanDefaultMaxAllowedUids');
    h.edit((ov) => S.MechanismCountCurrent.set(ov, NET, 2));
    assert.equal(e(h, ROOT, m(129)), 'SubtensorModule.TooManyUIDsPerMechanism');
    dispatchOk(dispatchAt(h, ROOT, au(m(128))));
    assert.equal(ensureMaxUidsOverAllMechanisms(128, 2), undefined);
    assert.ok(ensureMaxUidsOverAllMechanisms(40_000, 2), 'saturating product still too big');
  });

  it('activity cutoff, burns, validators, min uids, childkey take', () => {
    const h = subnet();
    const c = (x: AdminUtilsCall) => x;
    assert.equal(
      e(
        h,
        ROOT,
        c({ type: 'sudo_set_activity_cutoff', value: { netuid: NET, activity_cutoff: 359 } }),
      ),
      'SubtensorModule.ActivityCutoffTooLow',
    );
    const minBurn = (min_burn: bigint) =>
      c({ type: 'sudo_set_min_burn', value: { netuid: NET, min_burn } });
    assert.equal(e(h, ROOT, minBurn(1_000_000_000n)), 'AdminUtils.ValueNotInBounds');
    h.edit((ov) => S.MaxBurn.set(ov, NET, 500_000_000n));
    assert.equal(e(h, ROOT, minBurn(500_000_000n)), 'AdminUtils.ValueNotInBounds');
    dispatchOk(dispatchAt(h, ROOT, au(minBurn(499_999_999n))));
    const maxBurn = (max_burn: bigint) =>
      c({ type: 'sudo_set_max_burn', value: { netuid: NET, max_burn } });
    assert.equal(e(h, ROOT, maxBurn(100_000_000n)), 'AdminUtils.ValueNotInBounds');
    assert.equal(e(h, ROOT, maxBurn(499_999_999n)), 'AdminUtils.ValueNotInBounds');
    dispatchOk(dispatchAt(h, ROOT, au(maxBurn(500_000_000n))));
    assert.equal(
      e(
        h,
        ROOT,
        c({
          type: 'sudo_set_max_allowed_validators',
          value: { netuid: NET, max_allowed_validators: 129 },
        }),
      ),
      'AdminUtils.MaxValidatorsLargerThanMaxUIds',
    );
    const minUids = (min_allowed_uids: number) =>
      c({ type: 'sudo_set_min_allowed_uids', value: { netuid: NET, min_allowed_uids } });
    assert.equal(e(h, ROOT, minUids(128)), 'AdminUtils.MinAllowedUidsGreaterThanMaxAllowedUids');
    assert.equal(e(h, ROOT, minUids(10)), 'AdminUtils.MinAllowedUidsGreaterThanCurrentUids');
    dispatchOk(dispatchAt(h, ROOT, au(minUids(9))));
    h.edit((ov) => S.MinChildkeyTake.set(ov, 100));
    const take = (t: number) =>
      c({ type: 'sudo_set_min_childkey_take_per_subnet', value: { netuid: NET, take: t } });
    assert.equal(e(h, ROOT, take(99)), 'AdminUtils.InvalidValue');
    assert.equal(e(h, ROOT, take(11_797)), 'AdminUtils.InvalidValue');
    dispatchOk(dispatchAt(h, ROOT, au(take(11_796))));
  });

  it('bonds moving average: the owner is capped at 975000 before the subnet check', () => {
    const h = subnet();
    const bma = (netuid: number, v: bigint) =>
      ({
        type: 'sudo_set_bonds_moving_average',
        value: { netuid, bonds_moving_average: v },
      }) as const;
    assert.equal(
      e(h, signed(OWNER), bma(NET, 975_001n)),
      'AdminUtils.BondsMovingAverageMaxReached',
    );
    dispatchOk(dispatchAt(h, ROOT, au(bma(NET, 999_999n))));
    dispatchOk(dispatchAt(h, signed(OWNER), au(bma(NET, 975_000n))));
    h.edit((ov) => S.SubnetOwner.set(ov, MISSING, OWNER));
    assert.equal(
      e(h, signed(OWNER), bma(MISSING, 975_001n)),
      'AdminUtils.BondsMovingAverageMaxReached',
    );
  });

  it('liquid alpha values', () => {
    const h = subnet();
    const av = (alpha_low: number, alpha_high: number) =>
      ({ type: 'sudo_set_alpha_values', value: { netuid: NET, alpha_low, alpha_high } }) as const;
    assert.equal(e(h, ROOT, av(2_000, 1_637)), 'SubtensorModule.AlphaHighTooLow');
    assert.equal(e(h, ROOT, av(1_637, 2_000)), 'SubtensorModule.AlphaLowOutOfRange');
    assert.equal(e(h, ROOT, av(2_001, 2_000)), 'SubtensorModule.AlphaLowOutOfRange');
    dispatchOk(dispatchAt(h, ROOT, au(av(1_638, 1_638))));
    h.edit((ov) => S.LiquidAlphaOn.set(ov, NET, false));
    assert.equal(e(h, ROOT, av(2_000, 3_000)), 'SubtensorModule.LiquidAlphaDisabled');
  });

  it('reveal period, sigmoid steepness, immune limit, burn half-life and multiplier', () => {
    const h = subnet();
    const rp = (interval: bigint) =>
      ({
        type: 'sudo_set_commit_reveal_weights_interval',
        value: { netuid: NET, interval },
      }) as const;
    assert.equal(e(h, ROOT, rp(101n)), 'SubtensorModule.RevealPeriodTooLarge');
    assert.equal(e(h, ROOT, rp(0n)), 'SubtensorModule.RevealPeriodTooSmall');
    const sig = (steepness: number) =>
      ({ type: 'sudo_set_alpha_sigmoid_steepness', value: { netuid: NET, steepness } }) as const;
    assert.equal(e(h, signed(OWNER), sig(-1)), 'AdminUtils.NegativeSigmoidSteepness');
    dispatchOk(dispatchAt(h, ROOT, au(sig(-1))));
    assert.equal(S.AlphaSigmoidSteepness.get(st(h), NET), -1);
    const lim = (immune_neurons: number) =>
      ({
        type: 'sudo_set_owner_immune_neuron_limit',
        value: { netuid: NET, immune_neurons },
      }) as const;
    assert.equal(e(h, ROOT, lim(0)), 'SubtensorModule.InvalidValue');
    assert.equal(e(h, ROOT, lim(11)), 'SubtensorModule.InvalidValue');
    dispatchOk(dispatchAt(h, ROOT, au(lim(10))));
    const hl = (netuid: number, burn_half_life: number) =>
      ({ type: 'sudo_set_burn_half_life', value: { netuid, burn_half_life } }) as const;
    assert.equal(e(h, ROOT, hl(NET, 0)), 'AdminUtils.InvalidValue');
    assert.equal(e(h, ROOT, hl(NET, 36_101)), 'AdminUtils.InvalidValue');
    dispatchOk(dispatchAt(h, ROOT, au(hl(NET, 36_100))));
    h.edit((ov) => S.NetworksAdded.set(ov, 0, true));
    assert.equal(e(h, ROOT, hl(0, 10)), 'AdminUtils.NotPermittedOnRootSubnet');
    const bm = (netuid: number, x: number) =>
      ({
        type: 'sudo_set_burn_increase_mult',
        value: { netuid, burn_increase_mult: fxFromF64(U64F64, x) },
      }) as const;
    assert.equal(e(h, ROOT, bm(NET, 0.99)), 'AdminUtils.InvalidValue');
    assert.equal(e(h, ROOT, bm(NET, 3.01)), 'AdminUtils.InvalidValue');
    assert.equal(e(h, ROOT, bm(0, 2)), 'AdminUtils.NotPermittedOnRootSubnet');
    dispatchOk(dispatchAt(h, ROOT, au(bm(NET, 3))));
    const oc = {
      type: 'sudo_set_owner_cut_enabled',
      value: { netuid: 0, enabled: false },
    } as const;
    assert.equal(e(h, ROOT, oc), 'AdminUtils.NotPermittedOnRootSubnet');
    const se = {
      type: 'sudo_set_subnet_emission_enabled',
      value: { netuid: 0, enabled: false },
    } as const;
    assert.equal(e(h, ROOT, se), 'AdminUtils.NotPermittedOnRootSubnet');
  });

  it('mechanism count: bounds, and shrinking clears the dropped mechanisms', () => {
    const h = subnet();
    const mc = (mechanism_count: number) =>
      ({ type: 'sudo_set_mechanism_count', value: { netuid: NET, mechanism_count } }) as const;
    assert.equal(e(h, ROOT, mc(0)), 'SubtensorModule.InvalidValue');
    assert.equal(e(h, ROOT, mc(3)), 'SubtensorModule.InvalidValue', 'above MaxMechanismCount (2)');
    h.edit((ov) => S.MaxAllowedUids.set(ov, NET, 129));
    assert.equal(e(h, ROOT, mc(2)), 'SubtensorModule.TooManyUIDsPerMechanism');
    h.edit((ov) => S.MaxAllowedUids.set(ov, NET, 128));
    dispatchOk(dispatchAt(h, ROOT, au(mc(2))));
    h.edit((ov) => {
      S.Weights.set(ov, 4097, 0, [[1, 5]]);
      S.Bonds.set(ov, 4097, 0, [[1, 5]]);
      S.Incentive.set(ov, 4097, [1]);
      S.LastUpdate.set(ov, 4097, [9n]);
      S.WeightCommits.set(ov, 4097, OWNER, [[new Uint8Array(32), 0n, 0n, 0n]]);
      S.Weights.set(ov, NET, 0, [[1, 5]]);
      S.MechanismEmissionSplit.set(ov, NET, [1, 65_534]);
    });
    dispatchOk(dispatchAt(h, ROOT, au(mc(1))));
    const s = st(h);
    assert.deepEqual(S.Weights.get(s, 4097, 0), []);
    assert.deepEqual(S.Bonds.get(s, 4097, 0), []);
    assert.deepEqual(S.Incentive.get(s, 4097), []);
    assert.deepEqual(S.LastUpdate.get(s, 4097), []);
    assert.equal(S.WeightCommits.get(s, 4097, OWNER), undefined);
    assert.deepEqual(S.Weights.get(s, NET, 0), [[1, 5]], 'mechanism 0 kept');
    assert.equal(S.MechanismEmissionSplit.get(s, NET), undefined, 'split reset');
  });

  it('mechanism emission split', () => {
    const h = subnet();
    h.edit((ov) => S.MechanismCountCurrent.set(ov, NET, 2));
    const sp = (maybe_split: number[] | undefined) =>
      ({ type: 'sudo_set_mechanism_emission_split', value: { netuid: NET, maybe_split } }) as const;
    assert.equal(e(h, ROOT, sp([])), 'SubtensorModule.InvalidValue');
    assert.equal(e(h, ROOT, sp([1, 1, 65_533])), 'SubtensorModule.InvalidValue');
    assert.equal(e(h, ROOT, sp([1, 65_533])), 'SubtensorModule.InvalidValue');
    dispatchOk(dispatchAt(h, ROOT, au(sp([1, 65_534]))));
    assert.deepEqual(S.MechanismEmissionSplit.get(st(h), NET), [1, 65_534]);
    dispatchOk(dispatchAt(h, ROOT, au(sp(undefined))));
    assert.equal(S.MechanismEmissionSplit.get(st(h), NET), undefined);
  });
});

describe('subnet owner hotkey (calls 64 and 67)', () => {
  const HK = acct(7);
  for (const type of ['sudo_set_subnet_owner_hotkey', 'sudo_set_sn_owner_hotkey'] as const) {
    it(`${type}: owner or root, once per 50400 blocks even for root, no freeze window`, () => {
      const h = subnet();
      h.edit((ov) => S.LastEpochBlock.set(ov, NET, 0n));
      const c = (netuid: number, hotkey: Uint8Array) => au({ type, value: { netuid, hotkey } });
      assert.equal(dispatchError(dispatchAt(h, signed(STRANGER), c(NET, HK), 95)), 'BadOrigin');
      assert.equal(
        dispatchError(dispatchAt(h, ROOT, c(MISSING, HK), 95)),
        'SubtensorModule.SubnetNotExists',
      );
      const subnetAccount = new Uint8Array(32);
      subnetAccount.set(new TextEncoder().encode('modlsubtensr'));
      subnetAccount.set([5, 0], 12);
      assert.equal(
        dispatchError(dispatchAt(h, ROOT, c(NET, subnetAccount), 95)),
        'SubtensorModule.CannotUseSystemAccount',
      );
      // Inside the freeze window (5 blocks to the epoch) and still allowed.
      const r = dispatchOk(dispatchAt(h, signed(OWNER), c(NET, HK), 95));
      assert.deepEqual(S.SubnetOwnerHotkey.get(st(h), NET), HK);
      assert.deepEqual(r.events, [sme({ type: 'SubnetOwnerHotkeySet', value: [NET, HK] })]);
      assert.equal(
        S.LastRateLimitedBlock.get(st(h), { type: 'SetSNOwnerHotkey', value: NET }),
        95n,
      );
      assert.equal(
        dispatchError(dispatchAt(h, ROOT, c(NET, acct(8)), 50_494)),
        'SubtensorModule.TxRateLimitExceeded',
      );
      dispatchOk(dispatchAt(h, ROOT, c(NET, acct(8)), 50_495));
    });
  }

  it('recognises subnet accounts', () => {
    const a = new Uint8Array(32);
    a.set(new TextEncoder().encode('modlsubtensr'));
    assert.equal(isSubnetAccount(a), true);
    a[12] = 0xff;
    a[13] = 0xff;
    assert.equal(isSubnetAccount(a), true);
    a[20] = 1;
    assert.equal(isSubnetAccount(a), false);
    assert.equal(isSubnetAccount(acct(1)), false);
    assert.throws(() => isSubnetAccount(new Uint8Array(31)), RangeError);
    assert.throws(() => isSubnetAccount('x' as never), TypeError);
  });
});

describe('sudo_trim_to_max_allowed_uids', () => {
  /** Six neurons; uid 0 is the owner's hotkey, uid 5 registered recently (immune). */
  function crowded() {
    const h = subnet();
    const hk = (uid: number) => acct(50 + uid);
    h.edit((ov) => {
      S.SubnetworkN.set(ov, NET, 6);
      S.LastEpochBlock.set(ov, NET, 1000n);
      S.MinAllowedUids.set(ov, NET, 2);
      S.MaxAllowedUids.set(ov, NET, 6);
      S.ImmunityPeriod.set(ov, NET, 100);
      S.MechanismCountCurrent.set(ov, NET, 2);
      S.OwnedHotkeys.set(ov, OWNER, [hk(0)]);
      S.SubnetOwnerHotkey.set(ov, NET, hk(0));
      for (let uid = 0; uid < 6; uid++) {
        S.Keys.set(ov, NET, uid, hk(uid));
        S.Uids.set(ov, NET, hk(uid), uid);
        S.IsNetworkMember.set(ov, hk(uid), NET, true);
        S.BlockAtRegistration.set(ov, NET, uid, uid === 5 ? 950n : 1n);
        S.Weights.set(ov, NET, uid, [
          [1, 10],
          [3, 30],
          [5, 50],
        ]);
        S.Bonds.set(ov, 4097, uid, [[4, 40]]);
        S.Axons.set(ov, NET, hk(uid), {
          block: 1n,
          version: 1,
          ip: 1n,
          port: 1,
          ip_type: 4,
          protocol: 0,
          placeholder1: 0,
          placeholder2: 0,
        });
      }
      // Emission ranks: uid 3 highest; 1 and 4 lowest.
      S.Emission.set(ov, NET, [5n, 1n, 7n, 9n, 1n, 0n]);
      S.Active.set(ov, NET, [true, false, true, true, false, true]);
      S.ValidatorPermit.set(ov, NET, [true, false, false, true, false, false]);
      S.LastUpdate.set(ov, NET, [10n, 11n, 12n, 13n, 14n, 15n]);
      S.Incentive.set(ov, 4097, [0, 1, 2, 3, 4, 5]);
    });
    return { h, hk };
  }
  const trim = (max_n: number) =>
    au({ type: 'sudo_trim_to_max_allowed_uids', value: { netuid: NET, max_n } });

  it('drops the lowest emitters, skipping immune ones, and compacts the uids', () => {
    const { h, hk } = crowded();
    dispatchOk(dispatchAt(h, ROOT, trim(4), 1000));
    const s = st(h);
    // Removed: uid 4 then uid 1 (lowest emission, ties broken by higher uid first); uid 5 is immune.
    assert.equal(S.SubnetworkN.get(s, NET), 4);
    assert.equal(S.MaxAllowedUids.get(s, NET), 4);
    const kept = [0, 2, 3, 5];
    kept.forEach((old, nu) => {
      assert.deepEqual(S.Keys.get(s, NET, nu), hk(old));
      assert.equal(S.Uids.get(s, NET, hk(old)), nu);
    });
    for (const gone of [1, 4]) {
      assert.equal(S.Uids.get(s, NET, hk(gone)), undefined);
      assert.equal(S.IsNetworkMember.get(s, hk(gone), NET), false);
      assert.equal(S.Axons.get(s, NET, hk(gone)), undefined);
    }
    assert.equal(S.Keys.tryGet(s, NET, 4), undefined);
    assert.equal(S.BlockAtRegistration.get(s, NET, 3), 950n);
    assert.deepEqual(S.Emission.get(s, NET), [5n, 7n, 9n, 0n]);
    assert.deepEqual(S.Active.get(s, NET), [true, true, true, true]);
    assert.deepEqual(S.ValidatorPermit.get(s, NET), [true, false, true, false]);
    assert.deepEqual(S.LastUpdate.get(s, NET), [10n, 12n, 13n, 15n]);
    assert.deepEqual(S.Incentive.get(s, 4097), [0, 2, 3, 5]);
    // Weight targets are remapped; links to removed uids are dropped.
    assert.deepEqual(S.Weights.get(s, NET, 2), [
      [2, 30],
      [3, 50],
    ]);
    assert.deepEqual(S.Weights.get(s, NET, 4), []);
    assert.deepEqual(S.Bonds.get(s, 4097, 0), []);
  });

  it('refuses to leave 80% or more immune, and checks bounds', () => {
    const { h } = crowded();
    h.edit((ov) => S.ImmunityPeriod.set(ov, NET, 5000));
    assert.equal(
      dispatchError(dispatchAt(h, ROOT, trim(4), 1000)),
      'SubtensorModule.TrimmingWouldExceedMaxImmunePercentage',
    );
    assert.equal(dispatchError(dispatchAt(h, ROOT, trim(1), 1000)), 'SubtensorModule.InvalidValue');
    assert.equal(dispatchError(dispatchAt(h, ROOT, trim(7), 1000)), 'SubtensorModule.InvalidValue');
  });

  it('counts the owner hotkey inside ImmuneOwnerUidsLimit', () => {
    const { h, hk } = crowded();
    h.edit((ov) => S.OwnedHotkeys.set(ov, OWNER, [hk(2), hk(3)]));
    // Limit 1: the owner hotkey (uid 0) takes the only slot.
    assert.deepEqual(immuneOwnerUids(st(h), NET, OWNER), [0]);
    h.edit((ov) => S.ImmuneOwnerUidsLimit.set(ov, NET, 3));
    assert.deepEqual(immuneOwnerUids(st(h), NET, OWNER), [0, 2, 3]);
  });
});

describe('rate-limit helpers', () => {
  it('route each transaction type to its record and limit', () => {
    const h = subnet();
    const ov = new Overlay(h.state);
    assert.equal(transactionTypeCode('SetChildren'), 0);
    assert.equal(transactionTypeCode({ hyperparameter: 'Rho' }), 6);
    assert.equal(transactionTypeCode('TempoUpdate'), 11);
    setLastBlockOnSubnet(ov, 'SetChildren', OWNER, NET, 40n);
    assert.equal(S.TransactionKeyLastBlock.get(ov, OWNER, NET, 0), 40n);
    setLastBlockOnSubnet(ov, 'RegisterNetwork', OWNER, NET, 41n);
    assert.equal(S.LastRateLimitedBlock.get(ov, { type: 'NetworkLastRegistered' }), 41n);
    assert.equal(lastBlockOnSubnet(ov, 'RegisterNetwork', STRANGER, 5), 41n, 'chain-wide');
    assert.equal(rateLimitOnSubnet(ov, 'SetChildren', NET), 150n);
    assert.equal(rateLimitOnSubnet(ov, 'AddStakeBurn', NET), BigInt(TEMPO));
    assert.equal(rateLimitOnSubnet(ov, 'TempoUpdate', NET), 360n);
    assert.equal(rateLimitOnSubnet(ov, 'RegisterNetwork', NET), 7_200n);
    assert.equal(passesRateLimitOnSubnet(ov, 'SetChildren', OWNER, NET, 189n), false);
    assert.equal(passesRateLimitOnSubnet(ov, 'SetChildren', OWNER, NET, 190n), true);
    assert.equal(checkPassesRateLimit(100n, 5n, 0n), true, 'a first use always passes');
    setAccountLastBlock(ov, 'LastTxBlockDelegateTake', OWNER, 9n);
    assert.equal(getAccountLastBlock(ov, 'LastTxBlockDelegateTake', OWNER), 9n);
    assert.equal(
      S.LastRateLimitedBlock.get(ov, { type: 'LastTxBlockDelegateTake', value: OWNER }),
      9n,
    );
  });

  it('blocks TxRateLimit while now − last ≤ limit (one block stricter)', () => {
    const h = subnet();
    const ov = new Overlay(h.state);
    S.TxRateLimit.set(ov, 10n);
    assert.equal(exceedsTxRateLimit(ov, 100n, 110n), true);
    assert.equal(exceedsTxRateLimit(ov, 100n, 111n), false);
    assert.equal(exceedsTxRateLimit(ov, 0n, 1n), false);
    S.TxRateLimit.set(ov, 0n);
    assert.equal(exceedsTxRateLimit(ov, 100n, 100n), false);
    S.TxDelegateTakeRateLimit.set(ov, 3n);
    assert.equal(exceedsTxDelegateTakeRateLimit(ov, 10n, 13n), true);
    assert.equal(exceedsTxDelegateTakeRateLimit(ov, 10n, 14n), false);
  });

  it('atomic keeps a failed body’s writes and events out', () => {
    const h = subnet();
    const ov = new Overlay(h.state);
    const events: RuntimeEvent[] = [];
    const ctx: DispatchContext = { state: ov, blockNumber: 1, deposit: (e) => events.push(e) };
    const out = atomic(ctx, (x) => {
      S.Rho.set(x.state, NET, 99);
      x.deposit(sme({ type: 'RhoSet', value: [NET, 99] }));
      return { ok: false, error: { type: 'BadOrigin' } };
    });
    assert.equal(out.ok, false);
    assert.equal(events.length, 0);
    assert.equal(S.Rho.get(ov, NET), 10);
    atomic(ctx, (x) => {
      x.deposit(sme({ type: 'RhoSet', value: [NET, 1] }));
      return { ok: true };
    });
    assert.equal(events.length, 1);
  });
});
