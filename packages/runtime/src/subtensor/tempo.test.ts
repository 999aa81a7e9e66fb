import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type RateLimitKey,
  SubtensorStorage as S,
  type SubtensorCall,
} from '@taoscript/chain-types';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness } from '@taoscript/testkit';
import {
  ALICE,
  callHandler,
  genesisSubnets,
  handlerRejects,
  handlerSucceedsConserving,
} from '../../test/subtensor-fixtures.js';
import { MAX_TEMPO, MIN_TEMPO } from './rate-limits.js';
import { MAX_ACTIVITY_CUTOFF_FACTOR_MILLI, MIN_ACTIVITY_CUTOFF_FACTOR_MILLI } from './tempo.js';

const BOB = devKeypair('Bob').publicKey;

/** Subnet 1 (Alice's) with commit-reveal off and its epoch cycle anchored at block 1000. */
function world(): RuntimeHarness {
  const h = genesisSubnets(keypairFromUri('//OwnerHot1').publicKey);
  h.edit((ov) => {
    S.CommitRevealWeightsEnabled.set(ov, 1, false);
    S.LastEpochBlock.set(ov, 1, 1000n);
  });
  return h;
}

const setTempo = (netuid: number, tempo: number): SubtensorCall => ({
  type: 'set_tempo',
  value: { netuid, tempo },
});
const setFactor = (netuid: number, factor_milli: number): SubtensorCall => ({
  type: 'set_activity_cutoff_factor',
  value: { netuid, factor_milli },
});
const trigger = (netuid: number): SubtensorCall => ({ type: 'trigger_epoch', value: { netuid } });
const hyperKey = (h: 'ActivityCutoffFactorMilli' | 'TriggerEpoch'): RateLimitKey => ({
  type: 'OwnerHyperparamUpdate',
  value: [1, { type: h }],
});

// Subnet 1: tempo 360, next automatic epoch at 1360, freeze window (10 blocks) from 1351.
const OPEN = 1100;
const FROZEN = 1355;

describe('set_tempo', () => {
  it('walks the checks in order, leaving state untouched', () => {
    const h = world();
    handlerRejects(h, 'root', setTempo(1, 1000), 'BadOrigin', OPEN);
    handlerRejects(h, 'none', setTempo(1, 1000), 'BadOrigin', OPEN);
    handlerRejects(h, BOB, setTempo(1, 1000), 'BadOrigin', OPEN);
    handlerRejects(h, ALICE, setTempo(9, 1000), 'BadOrigin', OPEN);
    handlerRejects(h, ALICE, setTempo(1, MIN_TEMPO - 1), 'SubtensorModule.TempoOutOfBounds', OPEN);
    handlerRejects(h, ALICE, setTempo(1, MAX_TEMPO + 1), 'SubtensorModule.TempoOutOfBounds', OPEN);
    handlerRejects(
      h,
      ALICE,
      setTempo(1, 1000),
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
      FROZEN,
    );
    h.edit((ov) => S.PendingEpochAt.set(ov, 1, BigInt(OPEN + 5)));
    handlerRejects(
      h,
      ALICE,
      setTempo(1, 1000),
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
      OPEN,
    );
  });

  it('sets the tempo, restarts the epoch cycle and is rate limited for MIN_TEMPO blocks', () => {
    const h = world();
    const ev = handlerSucceedsConserving(h, ALICE, setTempo(1, 1000), OPEN);
    assert.deepEqual(ev, [{ type: 'TempoSet', value: [1, 1000] }]);
    assert.equal(S.Tempo.get(h.state, 1), 1000);
    assert.equal(S.LastEpochBlock.get(h.state, 1), BigInt(OPEN));
    assert.equal(S.TransactionKeyLastBlock.get(h.state, ALICE, 1, 11), BigInt(OPEN));
    handlerRejects(
      h,
      ALICE,
      setTempo(1, MAX_TEMPO),
      'SubtensorModule.TxRateLimitExceeded',
      OPEN + 359,
    );
    assert.deepEqual(handlerSucceedsConserving(h, ALICE, setTempo(1, MAX_TEMPO), OPEN + 360), [
      { type: 'TempoSet', value: [1, MAX_TEMPO] },
    ]);
    assert.equal(S.LastEpochBlock.get(h.state, 1), BigInt(OPEN + 360));
  });

  it('rejects a non-u16 tempo', () => {
    const h = world();
    assert.throws(() => callHandler(h, ALICE, setTempo(1, 70_000), OPEN), RangeError);
    assert.throws(() => callHandler(h, ALICE, setTempo(1, 1.5), OPEN), RangeError);
  });
});

describe('set_activity_cutoff_factor', () => {
  it('checks origin, bounds, and (owner only) the freeze window and rate limit', () => {
    const h = world();
    handlerRejects(h, BOB, setFactor(1, 2000), 'BadOrigin', OPEN);
    handlerRejects(h, 'none', setFactor(1, 2000), 'BadOrigin', OPEN);
    for (const who of [ALICE, 'root'] as const) {
      handlerRejects(
        h,
        who,
        setFactor(1, MIN_ACTIVITY_CUTOFF_FACTOR_MILLI - 1),
        'SubtensorModule.ActivityCutoffFactorMilliOutOfBounds',
        OPEN,
      );
      handlerRejects(
        h,
        who,
        setFactor(1, MAX_ACTIVITY_CUTOFF_FACTOR_MILLI + 1),
        'SubtensorModule.ActivityCutoffFactorMilliOutOfBounds',
        OPEN,
      );
    }
    handlerRejects(
      h,
      ALICE,
      setFactor(1, 2000),
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
      FROZEN,
    );
    // Root ignores the window and records no rate limit.
    assert.deepEqual(
      handlerSucceedsConserving(h, 'root', setFactor(1, MAX_ACTIVITY_CUTOFF_FACTOR_MILLI), FROZEN),
      [{ type: 'ActivityCutoffFactorMilliSet', value: { netuid: 1, factor_milli: 50_000 } }],
    );
    assert.equal(S.LastRateLimitedBlock.get(h.state, hyperKey('ActivityCutoffFactorMilli')), 0n);
    assert.equal(S.ActivityCutoffFactorMilli.get(h.state, 1), 50_000);
  });

  it('the owner sets it and is then limited to once per OwnerHyperparamRateLimit tempos', () => {
    const h = world();
    const ev = handlerSucceedsConserving(
      h,
      ALICE,
      setFactor(1, MIN_ACTIVITY_CUTOFF_FACTOR_MILLI),
      OPEN,
    );
    assert.deepEqual(ev, [
      { type: 'ActivityCutoffFactorMilliSet', value: { netuid: 1, factor_milli: 1000 } },
    ]);
    assert.equal(S.ActivityCutoffFactorMilli.get(h.state, 1), 1000);
    const key = hyperKey('ActivityCutoffFactorMilli');
    assert.equal(S.LastRateLimitedBlock.get(h.state, key), BigInt(OPEN));
    const limit = 360 * S.OwnerHyperparamRateLimit.get(h.state);
    assert.ok(limit > 0);
    // Move the epoch anchor along so the window stays open at the later blocks.
    h.edit((ov) => S.LastEpochBlock.set(ov, 1, BigInt(OPEN + limit - 100)));
    handlerRejects(
      h,
      ALICE,
      setFactor(1, 3000),
      'SubtensorModule.TxRateLimitExceeded',
      OPEN + limit - 1,
    );
    // Root is never limited.
    handlerSucceedsConserving(h, 'root', setFactor(1, 4000), OPEN + limit - 1);
    handlerSucceedsConserving(h, ALICE, setFactor(1, 3000), OPEN + limit);
    assert.equal(S.ActivityCutoffFactorMilli.get(h.state, 1), 3000);
  });

  it('rejects a non-u32 factor', () => {
    const h = world();
    assert.throws(() => callHandler(h, ALICE, setFactor(1, 2 ** 32), OPEN), RangeError);
    assert.throws(() => callHandler(h, ALICE, setFactor(1, -1), OPEN), RangeError);
  });
});

describe('trigger_epoch', () => {
  it('walks the checks in order, leaving state untouched', () => {
    const h = world();
    handlerRejects(h, 'root', trigger(1), 'BadOrigin', OPEN);
    handlerRejects(h, 'none', trigger(1), 'BadOrigin', OPEN);
    handlerRejects(h, BOB, trigger(1), 'BadOrigin', OPEN);
    handlerRejects(h, ALICE, trigger(9), 'BadOrigin', OPEN);
    h.edit((ov) => S.CommitRevealWeightsEnabled.set(ov, 1, true));
    handlerRejects(h, ALICE, trigger(1), 'SubtensorModule.DynamicTempoBlockedByCommitReveal', OPEN);
    h.edit((ov) => {
      S.CommitRevealWeightsEnabled.set(ov, 1, false);
      S.PendingEpochAt.set(ov, 1, 5n);
    });
    handlerRejects(h, ALICE, trigger(1), 'SubtensorModule.EpochTriggerAlreadyPending', OPEN);
    h.edit((ov) => S.PendingEpochAt.remove(ov, 1));
    // 9 blocks to the automatic epoch: imminent; 10: allowed.
    handlerRejects(h, ALICE, trigger(1), 'SubtensorModule.AutoEpochAlreadyImminent', 1351);
    handlerSucceedsConserving(h, ALICE, trigger(1), 1350);
  });

  it('schedules an epoch AdminFreezeWindow blocks ahead, then is rate limited', () => {
    const h = world();
    const window = S.AdminFreezeWindow.get(h.state);
    const ev = handlerSucceedsConserving(h, ALICE, trigger(1), OPEN);
    const firesAt = BigInt(OPEN + window);
    assert.deepEqual(ev, [
      { type: 'EpochTriggered', value: { netuid: 1, by: ALICE, fires_at: firesAt } },
    ]);
    assert.equal(S.PendingEpochAt.get(h.state, 1), firesAt);
    assert.equal(S.LastRateLimitedBlock.get(h.state, hyperKey('TriggerEpoch')), BigInt(OPEN));
    // While pending, owner setters are frozen.
    handlerRejects(
      h,
      ALICE,
      setTempo(1, 1000),
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
      OPEN + 1,
    );
    // Once the epoch ran (PendingEpochAt cleared), the rate limit still holds.
    const limit = 360 * S.OwnerHyperparamRateLimit.get(h.state);
    h.edit((ov) => {
      S.PendingEpochAt.remove(ov, 1);
      S.LastEpochBlock.set(ov, 1, BigInt(OPEN + limit - 100));
    });
    handlerRejects(h, ALICE, trigger(1), 'SubtensorModule.TxRateLimitExceeded', OPEN + limit - 1);
    handlerSucceedsConserving(h, ALICE, trigger(1), OPEN + limit);
  });
});
