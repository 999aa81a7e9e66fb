import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RuntimeEvent, SubtensorStorage as S } from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import type { RuntimeHarness } from '@taoscript/testkit';
import { genesisSubnets, ownHotkeys, subtensorPayloads } from '../../../test/subtensor-fixtures.js';
import type { DispatchContext } from '../../dispatch.js';
import { Overlay } from '../../state.js';
import { appendNeuron } from '../registration.js';
import { creditStake } from '../share-pool.js';
import {
  activityCutoffBlocks,
  persistMechanismTerms,
  persistNetuidTerms,
  readEpochInput,
  runEpochWithMechanisms,
  updateVotingPower,
  votingPowerEma,
} from './chain.js';
import type { AggregatedTerms, EpochInput, EpochTerms } from './types.js';
import '../index.js';

const NET = 1;
const MECH1 = 4096 + NET;
const key = (uri: string) => keypairFromUri(uri).publicKey;
const OWNER_HOT = key('//EpochOwnerHot');
const V1 = key('//EpochV1');
const V2 = key('//EpochV2');
const M1 = key('//EpochM1');
const C1 = key('//EpochC1');
const C2 = key('//EpochC2');
const CM = key('//EpochCM');
const STRANGER = key('//EpochStranger');
const HASH = new Uint8Array(32).fill(7);
const BLOCK = 100;

/** Subnet 1 (Alice's, owner hotkey uid 0) plus V1 (uid 1), V2 (uid 2) and M1 (uid 3). */
function world(): RuntimeHarness {
  const h = genesisSubnets(OWNER_HOT);
  ownHotkeys(h, [
    [V1, C1],
    [V2, C2],
    [M1, CM],
  ]);
  h.edit((ov) => {
    appendNeuron(ov, NET, V1, 5n);
    appendNeuron(ov, NET, V2, 6n);
    appendNeuron(ov, NET, M1, 7n);
    // Due epochs would shift the commit epochs by one: the coinbase has just advanced the schedule.
    S.LastEpochBlock.set(ov, NET, BigInt(BLOCK));
  });
  return h;
}

interface Ctx {
  ctx: DispatchContext;
  ov: Overlay;
  events: RuntimeEvent[];
}

function context(h: RuntimeHarness, block = BLOCK): Ctx {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  return { ov, events, ctx: { state: ov, blockNumber: block, deposit: (e) => events.push(e) } };
}

/** The hex keys an overlay wrote or deleted. */
const written = (ov: Overlay) => new Set(ov.changes().keys());

describe('readEpochInput', () => {
  it('reads stake through parents and children, weights, bonds, commits and parameters', () => {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, V1, C1, NET, 1000n);
      creditStake(ov, V2, C2, NET, 200n);
      creditStake(ov, M1, CM, NET, 50n);
      creditStake(ov, V1, C1, 0, 4000n);
      creditStake(ov, V2, C2, 0, 600n);
      // V1 gives half of its stake to V2 on this subnet (2^63 / u64::MAX is exactly 0.5 in U96F32).
      S.ChildKeys.set(ov, V1, NET, [[1n << 63n, V2]]);
      S.ParentKeys.set(ov, V2, NET, [[1n << 63n, V1]]);

      S.LastUpdate.set(ov, NET, [10n, 11n]);
      S.ValidatorPermit.set(ov, NET, [true, true]);
      S.Weights.set(ov, NET, 1, [
        [3, 65535],
        [0, 100],
        [9, 7],
      ]);
      S.Weights.set(ov, NET, 2, [[1, 5]]);
      S.Weights.set(ov, NET, 8, [[1, 1]]);
      S.Bonds.set(ov, NET, 1, [
        [3, 1000],
        [9, 5],
      ]);
      S.Bonds.set(ov, NET, 9, [[0, 1]]);

      S.MechanismCountCurrent.set(ov, NET, 2);
      S.Weights.set(ov, MECH1, 2, [[3, 65535]]);
      S.LastUpdate.set(ov, MECH1, [1n, 2n, 3n, 4n, 5n]);

      S.CommitRevealWeightsEnabled.set(ov, NET, true);
      S.SubnetEpochIndex.set(ov, NET, 5n);
      S.RevealPeriodEpochs.set(ov, NET, 1n);
      // V1: the epoch-0 commit expired, the epoch-5 one is live.
      S.WeightCommits.set(ov, NET, V1, [
        [HASH, 0n, 3n, 0n],
        [HASH, 5n, 20n, 0n],
      ]);
      // V2: the first live commit counts, not the smallest block.
      S.WeightCommits.set(ov, NET, V2, [
        [HASH, 5n, 30n, 0n],
        [HASH, 5n, 25n, 0n],
      ]);
      S.WeightCommits.set(ov, NET, STRANGER, [[HASH, 5n, 1n, 0n]]);
      S.TimelockedWeightCommits.set(ov, NET, 4n, [[V2, 10n, new Uint8Array([1]), 0n]]);
      S.TimelockedWeightCommits.set(ov, NET, 2n, [[M1, 1n, new Uint8Array([1]), 0n]]);
      S.TimelockedWeightCommits.set(ov, NET, 5n, [[M1, 40n, new Uint8Array([1]), 0n]]);
      S.WeightCommits.set(ov, MECH1, M1, [[HASH, 5n, 2n, 0n]]);

      S.Kappa.set(ov, NET, 30_000);
      S.BondsMovingAverage.set(ov, NET, 975_000n);
      S.BondsPenalty.set(ov, NET, 1000);
      S.ActivityCutoffFactorMilli.set(ov, NET, 2000);
      S.Yuma3On.set(ov, NET, true);
      S.LiquidAlphaOn.set(ov, NET, true);
      S.AlphaValues.set(ov, NET, [1638, 50_000]);
      S.AlphaSigmoidSteepness.set(ov, NET, -5);
      S.StakeThreshold.set(ov, 7n);
      S.TaoWeight.set(ov, 1n << 62n);
      S.LastMechansimStepBlock.set(ov, NET, 77n);
      S.MaxAllowedValidators.set(ov, NET, 64);
    });
    const { ctx, ov } = context(h);
    const input = readEpochInput(ctx, NET, 0, 123n);
    const expected: EpochInput = {
      n: 4,
      currentBlock: 100n,
      alphaStake: [0n, 500n, 700n, 50n],
      taoStake: [0n, 2000n, 2600n, 0n],
      blockAtRegistration: [0n, 5n, 6n, 7n],
      lastUpdate: [10n, 11n, 0n, 0n],
      validatorPermits: [true, true, false, false],
      weights: [
        [],
        [
          [3, 65535],
          [0, 100],
        ],
        [[1, 5]],
        [],
      ],
      bonds: [[], [[3, 1000]], [], []],
      commitBlocks: [null, 20n, 10n, 40n],
      params: {
        kappaU16: 30_000,
        bondsMovingAverage: 975_000n,
        bondsPenaltyU16: 1000,
        activityCutoffBlocks: 720n,
        yuma3Enabled: true,
        liquidAlphaEnabled: true,
        alphaValuesU16: [1638, 50_000],
        alphaSigmoidSteepness: -5,
        commitRevealEnabled: true,
        stakeThreshold: 7n,
        taoWeight: 1n << 62n,
        subnetOwnerUid: 0,
        lastMechanismStepBlock: 77n,
        tempo: 360,
        maxAllowedValidators: 64,
      },
      raoEmission: 123n,
    };
    assert.deepEqual(input, expected);

    const mech1 = readEpochInput(ctx, NET, 1);
    assert.deepEqual(mech1.weights, [[], [], [[3, 65535]], []]);
    assert.deepEqual(mech1.lastUpdate, [1n, 2n, 3n, 4n]);
    assert.deepEqual(mech1.bonds, [[], [], [], []]);
    assert.deepEqual(mech1.commitBlocks, [null, null, null, 2n]);
    assert.equal(mech1.raoEmission, 0n);
    assert.deepEqual(mech1.alphaStake, expected.alphaStake, 'stake is per subnet');
    assert.equal(written(ov).size, 0, 'reading writes nothing');
  });

  it('counts the next epoch while one is due (the commit lookahead)', () => {
    const h = world();
    h.edit((ov) => {
      S.CommitRevealWeightsEnabled.set(ov, NET, true);
      S.SubnetEpochIndex.set(ov, NET, 4n);
      S.WeightCommits.set(ov, NET, V1, [[HASH, 3n, 20n, 0n]]);
    });
    // Epoch index 4, reveal period 1: a commit of epoch 3 lives until the current epoch is 5.
    assert.deepEqual(readEpochInput(context(h).ctx, NET, 0).commitBlocks, [null, 20n, null, null]);
    // At block 400 with LastEpochBlock 0 (tempo 360) an epoch is due: the current epoch reads 5.
    h.edit((ov) => S.LastEpochBlock.set(ov, NET, 0n));
    const due = readEpochInput(context(h, 400).ctx, NET, 0);
    assert.deepEqual(due.commitBlocks, [null, null, null, null]);
  });

  it('gives uids without a key zero stake, and no owner uid for an unregistered owner hotkey', () => {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, V2, C2, NET, 200n);
      S.Keys.remove(ov, NET, 2);
      S.SubnetOwnerHotkey.set(ov, NET, STRANGER);
      S.WeightCommits.set(ov, NET, V1, [[HASH, 0n, 20n, 0n]]);
    });
    const input = readEpochInput(context(h).ctx, NET, 0);
    assert.deepEqual(input.alphaStake, [0n, 0n, 0n, 0n]);
    assert.deepEqual(input.blockAtRegistration, [0n, 5n, 0n, 7n]);
    assert.equal(input.params.subnetOwnerUid, null);
    assert.equal(input.params.commitRevealEnabled, false);
    assert.deepEqual(input.commitBlocks, [null, null, null, null], 'not read while CR is off');
    assert.equal(input.params.activityCutoffBlocks, 5000n, 'default factor 13_889 × 360 / 1000');
    // An owner hotkey whose uid is past n is no owner uid either.
    h.edit((ov) => S.Uids.set(ov, NET, STRANGER, 9));
    assert.equal(readEpochInput(context(h).ctx, NET, 0).params.subnetOwnerUid, null);
    h.edit((ov) => S.Uids.set(ov, NET, STRANGER, 3));
    assert.equal(readEpochInput(context(h).ctx, NET, 0).params.subnetOwnerUid, 3);
  });

  it('rejects a malformed netuid, mechanism or emission', () => {
    const { ctx } = context(world());
    assert.throws(() => readEpochInput(ctx, -1, 0), RangeError);
    assert.throws(() => readEpochInput(ctx, 65_536, 0), RangeError);
    assert.throws(() => readEpochInput(ctx, 1.5, 0), TypeError);
    assert.throws(() => readEpochInput(ctx, NET, 256), RangeError);
    assert.throws(() => readEpochInput(ctx, NET, '0' as unknown as number), TypeError);
    assert.throws(() => readEpochInput(ctx, NET, 0, -1n), RangeError);
    assert.throws(() => readEpochInput(ctx, NET, 0, 1n << 64n), RangeError);
    assert.throws(() => readEpochInput(ctx, NET, 0, 5 as unknown as bigint), TypeError);
  });
});

describe('activityCutoffBlocks', () => {
  it('is factor × tempo / 1000, at least 1', () => {
    const h = world();
    const at = (factor: number, tempo: number) => {
      h.edit((ov) => {
        S.ActivityCutoffFactorMilli.set(ov, NET, factor);
        S.Tempo.set(ov, NET, tempo);
      });
      return activityCutoffBlocks(new Overlay(h.state), NET);
    };
    assert.equal(at(13_889, 360), 5000n);
    assert.equal(at(1_500, 1), 1n);
    assert.equal(at(1_000, 0), 1n);
    assert.equal(at(50_000, 65_535), 3_276_750n);
  });
});

/** Terms of a 4-uid mechanism with distinct values everywhere. */
function terms(): EpochTerms {
  return {
    dividendU16: [0, 40_000, 25_535, 0],
    incentiveU16: [0, 0, 0, 65_535],
    consensusU16: [0, 0, 0, 60_000],
    validatorTrustU16: [0, 65_535, 50_000, 0],
    stakeWeightU16: [0, 30_000, 35_535, 0],
    active: [false, true, true, true],
    newValidatorPermit: [false, true, true, false],
    emission: [0n, 300n, 200n, 500n],
    serverEmission: [0n, 0n, 0n, 500n],
    validatorEmission: [0n, 300n, 200n, 0n],
    bonds: [
      [],
      [[3, 65_535]],
      [
        [3, 40_000],
        [1, 2],
      ],
      [],
    ],
    stake: [0n, 1000n, 2000n, 50n],
  };
}

describe('persistMechanismTerms', () => {
  it('writes Incentive and every Bonds row of the mechanism and emits the miners’ emission', () => {
    const h = world();
    h.edit((ov) => {
      S.MechanismCountCurrent.set(ov, NET, 2);
      S.Bonds.set(ov, MECH1, 3, [[1, 9]]);
    });
    const { ctx, ov, events } = context(h);
    persistMechanismTerms(ctx, NET, 1, terms());
    assert.deepEqual(S.Incentive.get(ov, MECH1), [0, 0, 0, 65_535]);
    assert.deepEqual(S.Bonds.get(ov, MECH1, 1), [[3, 65_535]]);
    assert.deepEqual(S.Bonds.get(ov, MECH1, 2), [
      [3, 40_000],
      [1, 2],
    ]);
    assert.deepEqual(S.Bonds.tryGet(ov, MECH1, 3), [], 'an empty row is written, not removed');
    assert.deepEqual(S.Bonds.tryGet(ov, MECH1, 0), []);
    assert.deepEqual(
      written(ov),
      new Set(
        [S.Incentive.key(MECH1), ...[0, 1, 2, 3].map((u) => S.Bonds.key(MECH1, u))].map(toHex),
      ),
    );
    assert.deepEqual(events, [
      {
        type: 'SubtensorModule',
        value: {
          type: 'IncentiveAlphaEmittedToMiners',
          value: { netuid: MECH1, emissions: [0n, 0n, 0n, 500n] },
        },
      },
    ]);
    assert.deepEqual(S.Incentive.get(ov, NET), [0, 0, 0, 0], 'mechanism 0 untouched');
  });

  it('rejects terms whose vectors do not match the subnet size', () => {
    const { ctx, ov } = context(world());
    const short = { ...terms(), incentiveU16: [1, 2, 3] };
    assert.throws(() => persistMechanismTerms(ctx, NET, 0, short), RangeError);
    assert.throws(
      () => persistMechanismTerms(ctx, NET, 0, { ...terms(), bonds: 'x' as unknown as [] }),
      TypeError,
    );
    assert.throws(() => persistMechanismTerms(ctx, NET, 300, terms()), RangeError);
    assert.equal(written(ov).size, 0);
  });
});

function aggregated(): AggregatedTerms {
  const { incentiveU16: _i, bonds: _b, ...rest } = terms();
  return rest;
}

describe('persistNetuidTerms', () => {
  it('writes exactly the seven per-subnet vectors', () => {
    const { ctx, ov, events } = context(world());
    persistNetuidTerms(ctx, NET, aggregated());
    assert.deepEqual(S.Active.get(ov, NET), [false, true, true, true]);
    assert.deepEqual(S.Emission.get(ov, NET), [0n, 300n, 200n, 500n]);
    assert.deepEqual(S.Consensus.get(ov, NET), [0, 0, 0, 60_000]);
    assert.deepEqual(S.Dividends.get(ov, NET), [0, 40_000, 25_535, 0]);
    assert.deepEqual(S.ValidatorTrust.get(ov, NET), [0, 65_535, 50_000, 0]);
    assert.deepEqual(S.ValidatorPermit.get(ov, NET), [false, true, true, false]);
    assert.deepEqual(S.StakeWeight.get(ov, NET), [0, 30_000, 35_535, 0]);
    const items = [
      S.Active,
      S.Emission,
      S.Consensus,
      S.Dividends,
      S.ValidatorTrust,
      S.ValidatorPermit,
      S.StakeWeight,
    ];
    assert.deepEqual(written(ov), new Set(items.map((i) => toHex(i.key(NET)))));
    assert.deepEqual(events, []);
  });

  it('rejects a vector of the wrong length', () => {
    const { ctx } = context(world());
    assert.throws(() => persistNetuidTerms(ctx, NET, { ...aggregated(), active: [] }), RangeError);
  });
});

describe('voting power', () => {
  it('votingPowerEma is α·stake + (1−α)·previous in 1e18 units', () => {
    assert.equal(votingPowerEma(1000n, 0n, 500_000_000_000_000_000n), 500n);
    assert.equal(votingPowerEma(1000n, 3000n, 250_000_000_000_000_000n), 2500n);
    assert.equal(votingPowerEma(7n, 9n, 0n), 9n);
    assert.equal(votingPowerEma(7n, 9n, 10n ** 18n), 7n);
    assert.equal(votingPowerEma(7n, 9n, 2n * 10n ** 18n), 14n, '(1 − α) saturates at 0');
    assert.throws(() => votingPowerEma(-1n, 0n, 0n), RangeError);
  });

  it('does nothing while tracking is off', () => {
    const { ctx, ov } = context(world());
    updateVotingPower(ctx, NET, aggregated());
    assert.equal(written(ov).size, 0);
  });

  it('moves permitted validators toward their stake and drops the rest', () => {
    const h = world();
    h.edit((ov) => {
      S.VotingPowerTrackingEnabled.set(ov, NET, true);
      S.VotingPowerEmaAlpha.set(ov, NET, 500_000_000_000_000_000n);
      S.StakeThreshold.set(ov, 300n);
      S.VotingPower.set(ov, NET, V2, 1000n);
      S.VotingPower.set(ov, NET, M1, 9n);
      S.VotingPower.set(ov, NET, STRANGER, 5n);
      S.VotingPower.set(ov, 2, STRANGER, 5n);
    });
    const agg = { ...aggregated(), newValidatorPermit: [false, true, true, false] };
    agg.stake = [0n, 200n, 0n, 50n];
    const { ctx, ov } = context(h);
    updateVotingPower(ctx, NET, agg);
    // V1: (200 + 0)/2 = 100, below the threshold but it never was above it: kept.
    assert.equal(S.VotingPower.tryGet(ov, NET, V1), 100n);
    // V2: (0 + 1000)/2 = 500.
    assert.equal(S.VotingPower.tryGet(ov, NET, V2), 500n);
    assert.equal(S.VotingPower.tryGet(ov, NET, M1), undefined, 'no permit: removed');
    assert.equal(S.VotingPower.tryGet(ov, NET, STRANGER), undefined, 'not a member: removed');
    assert.equal(S.VotingPower.tryGet(ov, 2, STRANGER), 5n, 'other subnets untouched');

    // Next epoch V2 decays from 500 to 250, below the 300 threshold it used to meet: removed.
    h.state.apply(ov.changes());
    const next = context(h);
    updateVotingPower(next.ctx, NET, agg);
    assert.equal(S.VotingPower.tryGet(next.ov, NET, V2), undefined);
    assert.equal(S.VotingPower.tryGet(next.ov, NET, V1), 150n);
  });

  it('clears the subnet and turns tracking off once the disable block is reached', () => {
    const h = world();
    h.edit((ov) => {
      S.VotingPowerTrackingEnabled.set(ov, NET, true);
      S.VotingPowerDisableAtBlock.set(ov, NET, BigInt(BLOCK));
      S.VotingPower.set(ov, NET, V1, 1000n);
      S.VotingPower.set(ov, 2, V1, 7n);
    });
    const { ctx, ov, events } = context(h);
    updateVotingPower(ctx, NET, aggregated());
    assert.equal(S.VotingPower.tryGet(ov, NET, V1), undefined);
    assert.equal(S.VotingPower.tryGet(ov, 2, V1), 7n);
    assert.equal(S.VotingPowerTrackingEnabled.tryGet(ov, NET), false);
    assert.equal(S.VotingPowerDisableAtBlock.tryGet(ov, NET), undefined);
    assert.deepEqual(events, [
      {
        type: 'SubtensorModule',
        value: { type: 'VotingPowerTrackingDisabled', value: { netuid: NET } },
      },
    ]);
  });
});

describe('runEpochWithMechanisms', () => {
  /** V1 and V2 validate; on mechanism 0 they weight M1, on mechanism 1 M2. */
  function twoMechanisms(): RuntimeHarness {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, V1, C1, NET, 6_000_000_000n);
      creditStake(ov, V2, C2, NET, 4_000_000_000n);
      S.TaoWeight.set(ov, 0n);
      S.MechanismCountCurrent.set(ov, NET, 2);
      S.MechanismEmissionSplit.set(ov, NET, [49_151, 16_384]);
      S.ValidatorPermit.set(ov, NET, [false, true, true, false]);
      for (const idx of [NET, MECH1]) S.LastUpdate.set(ov, idx, [0n, 99n, 99n, 99n]);
      S.Weights.set(ov, NET, 1, [[3, 65_535]]);
      S.Weights.set(ov, NET, 2, [[3, 65_535]]);
      S.Weights.set(ov, MECH1, 1, [[0, 65_535]]);
      S.Weights.set(ov, MECH1, 2, [[0, 65_535]]);
    });
    return h;
  }

  it('splits the emission, runs and persists each mechanism, then the subnet terms', () => {
    const h = twoMechanisms();
    const { ctx, ov, events } = context(h);
    const out = runEpochWithMechanisms(ctx, NET, 1_000_000n);
    // Split: floor(1e6 · 49151 / 65535) = 749_996 and floor(1e6 · 16384 / 65535) = 250_003; the
    // remainder 1 goes to mechanism 0 (749_997).
    const mined = subtensorPayloads(events).filter(
      (e) => e.type === 'IncentiveAlphaEmittedToMiners',
    );
    assert.deepEqual(
      mined.map((e) => e.value.netuid),
      [NET, MECH1],
    );
    assert.deepEqual(S.Incentive.get(ov, NET), [0, 0, 0, 65_535]);
    assert.deepEqual(S.Incentive.get(ov, MECH1), [65_535, 0, 0, 0]);
    const byUid = new Map(out.map((e) => [e.uid, e]));
    // Each mechanism gives half its share to its miner (incentive and dividends both sum to 1).
    assert.equal(byUid.get(3)?.serverEmission, 374_998n);
    assert.equal(byUid.get(0)?.serverEmission, 125_001n);
    const validators =
      (byUid.get(1)?.validatorEmission ?? 0n) + (byUid.get(2)?.validatorEmission ?? 0n);
    assert.ok(validators <= 500_000n && validators >= 500_000n - 4n, `${validators}`);
    assert.ok(
      (byUid.get(1)?.validatorEmission ?? 0n) > (byUid.get(2)?.validatorEmission ?? 0n),
      'the larger validator earns more',
    );
    assert.deepEqual(
      out.map((e) => toHex(e.hotkey)),
      out.map((e) => toHex(e.hotkey)).sort(),
      'hotkey byte order',
    );
    // The owner's permit is forced; M1 has no stake (top-k counts non-zero stake only).
    assert.deepEqual(S.ValidatorPermit.get(ov, NET), [true, true, true, false]);
    assert.ok(
      S.Bonds.get(ov, NET, 1).length > 0 && S.Bonds.get(ov, MECH1, 1).length > 0,
      'bonds of both mechanisms stored',
    );
    assert.equal(S.Emission.get(ov, NET).length, 4);
  });

  it('rejects a malformed emission', () => {
    const { ctx } = context(world());
    assert.throws(() => runEpochWithMechanisms(ctx, NET, -1n), RangeError);
    assert.throws(() => runEpochWithMechanisms(ctx, NET, 1 as unknown as bigint), TypeError);
  });
});
