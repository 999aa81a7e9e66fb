import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  type RateLimitKey,
  type RuntimeEvent,
  SubtensorStorage as S,
  type SubtensorCall,
  System,
} from '@taoscript/chain-types';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import { type DispatchContext, describeDispatchError, type Origin } from '../dispatch.js';
import { Overlay } from '../state.js';
import { dispatchSubtensorPallet } from './dispatch.js';
import { MAX_TEMPO, MIN_TEMPO } from './rate-limits.js';
import { MAX_ACTIVITY_CUTOFF_FACTOR_MILLI, MIN_ACTIVITY_CUTOFF_FACTOR_MILLI } from './tempo.js';

const ALICE = devKeypair('Alice').publicKey;
const BOB = devKeypair('Bob').publicKey;

type Who = Uint8Array | 'root' | 'none';

/** Subnet 1 (Alice's) with commit-reveal off and its epoch cycle anchored at block 1000. */
function world(): RuntimeHarness {
  const h = runtimeHarness({
    genesis: {
      subtensor: {
        subnets: [{ coldkey: ALICE, hotkey: keypairFromUri('//OwnerHot1').publicKey }],
      },
    },
  });
  h.edit((ov) => {
    S.CommitRevealWeightsEnabled.set(ov, 1, false);
    S.LastEpochBlock.set(ov, 1, 1000n);
  });
  return h;
}

function call(h: RuntimeHarness, who: Who, c: SubtensorCall, block: number) {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  const ctx: DispatchContext = {
    state: ov,
    blockNumber: block,
    author: ALICE,
    deposit: (e) => events.push(e),
  };
  const origin: Origin =
    who === 'root' ? { type: 'Root' } : who === 'none' ? { type: 'None' } : { type: 'Signed', who };
  const out = dispatchSubtensorPallet(ctx, origin, { type: 'SubtensorModule', value: c });
  h.state.apply(ov.changes());
  return { error: out.ok ? undefined : describeDispatchError(out.error), events };
}

function rejects(h: RuntimeHarness, who: Who, c: SubtensorCall, block: number, error: string) {
  const before = new Map(h.state.map);
  const r = call(h, who, c, block);
  assert.equal(r.error, error);
  assert.deepEqual(r.events, []);
  assert.deepEqual(h.state.map, before);
}

function succeeds(h: RuntimeHarness, who: Who, c: SubtensorCall, block: number) {
  const r = call(h, who, c, block);
  assert.equal(r.error, undefined);
  let sum = 0n;
  for (const k of h.state.keys(System.Account.partialKey())) {
    const [a] = System.Account.decodeKey(k);
    sum += System.Account.get(h.state, a).data.free;
  }
  assert.equal(sum, Balances.TotalIssuance.get(h.state));
  return r.events.flatMap((e) => (e.type === 'SubtensorModule' ? [e.value] : []));
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
    rejects(h, 'root', setTempo(1, 1000), OPEN, 'BadOrigin');
    rejects(h, 'none', setTempo(1, 1000), OPEN, 'BadOrigin');
    rejects(h, BOB, setTempo(1, 1000), OPEN, 'BadOrigin');
    rejects(h, ALICE, setTempo(9, 1000), OPEN, 'BadOrigin');
    rejects(h, ALICE, setTempo(1, MIN_TEMPO - 1), OPEN, 'SubtensorModule.TempoOutOfBounds');
    rejects(h, ALICE, setTempo(1, MAX_TEMPO + 1), OPEN, 'SubtensorModule.TempoOutOfBounds');
    rejects(
      h,
      ALICE,
      setTempo(1, 1000),
      FROZEN,
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
    );
    h.edit((ov) => S.PendingEpochAt.set(ov, 1, BigInt(OPEN + 5)));
    rejects(
      h,
      ALICE,
      setTempo(1, 1000),
      OPEN,
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
    );
  });

  it('sets the tempo, restarts the epoch cycle and is rate limited for MIN_TEMPO blocks', () => {
    const h = world();
    const ev = succeeds(h, ALICE, setTempo(1, 1000), OPEN);
    assert.deepEqual(ev, [{ type: 'TempoSet', value: [1, 1000] }]);
    assert.equal(S.Tempo.get(h.state, 1), 1000);
    assert.equal(S.LastEpochBlock.get(h.state, 1), BigInt(OPEN));
    assert.equal(S.TransactionKeyLastBlock.get(h.state, ALICE, 1, 11), BigInt(OPEN));
    rejects(h, ALICE, setTempo(1, MAX_TEMPO), OPEN + 359, 'SubtensorModule.TxRateLimitExceeded');
    assert.deepEqual(succeeds(h, ALICE, setTempo(1, MAX_TEMPO), OPEN + 360), [
      { type: 'TempoSet', value: [1, MAX_TEMPO] },
    ]);
    assert.equal(S.LastEpochBlock.get(h.state, 1), BigInt(OPEN + 360));
  });

  it('rejects a non-u16 tempo', () => {
    const h = world();
    assert.throws(() => call(h, ALICE, setTempo(1, 70_000), OPEN), RangeError);
    assert.throws(() => call(h, ALICE, setTempo(1, 1.5), OPEN), RangeError);
  });
});

describe('set_activity_cutoff_factor', () => {
  it('checks origin, bounds, and (owner only) the freeze window and rate limit', () => {
    const h = world();
    rejects(h, BOB, setFactor(1, 2000), OPEN, 'BadOrigin');
    rejects(h, 'none', setFactor(1, 2000), OPEN, 'BadOrigin');
    for (const who of [ALICE, 'root'] as const) {
      rejects(
        h,
        who,
        setFactor(1, MIN_ACTIVITY_CUTOFF_FACTOR_MILLI - 1),
        OPEN,
        'SubtensorModule.ActivityCutoffFactorMilliOutOfBounds',
      );
      rejects(
        h,
        who,
        setFactor(1, MAX_ACTIVITY_CUTOFF_FACTOR_MILLI + 1),
        OPEN,
        'SubtensorModule.ActivityCutoffFactorMilliOutOfBounds',
      );
    }
    rejects(
      h,
      ALICE,
      setFactor(1, 2000),
      FROZEN,
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
    );
    // Root ignores the window and records no rate limit.
    assert.deepEqual(succeeds(h, 'root', setFactor(1, MAX_ACTIVITY_CUTOFF_FACTOR_MILLI), FROZEN), [
      { type: 'ActivityCutoffFactorMilliSet', value: { netuid: 1, factor_milli: 50_000 } },
    ]);
    assert.equal(S.LastRateLimitedBlock.get(h.state, hyperKey('ActivityCutoffFactorMilli')), 0n);
    assert.equal(S.ActivityCutoffFactorMilli.get(h.state, 1), 50_000);
  });

  it('the owner sets it and is then limited to once per OwnerHyperparamRateLimit tempos', () => {
    const h = world();
    const ev = succeeds(h, ALICE, setFactor(1, MIN_ACTIVITY_CUTOFF_FACTOR_MILLI), OPEN);
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
    rejects(h, ALICE, setFactor(1, 3000), OPEN + limit - 1, 'SubtensorModule.TxRateLimitExceeded');
    // Root is never limited.
    succeeds(h, 'root', setFactor(1, 4000), OPEN + limit - 1);
    succeeds(h, ALICE, setFactor(1, 3000), OPEN + limit);
    assert.equal(S.ActivityCutoffFactorMilli.get(h.state, 1), 3000);
  });

  it('rejects a non-u32 factor', () => {
    const h = world();
    assert.throws(() => call(h, ALICE, setFactor(1, 2 ** 32), OPEN), RangeError);
    assert.throws(() => call(h, ALICE, setFactor(1, -1), OPEN), RangeError);
  });
});

describe('trigger_epoch', () => {
  it('walks the checks in order, leaving state untouched', () => {
    const h = world();
    rejects(h, 'root', trigger(1), OPEN, 'BadOrigin');
    rejects(h, 'none', trigger(1), OPEN, 'BadOrigin');
    rejects(h, BOB, trigger(1), OPEN, 'BadOrigin');
    rejects(h, ALICE, trigger(9), OPEN, 'BadOrigin');
    h.edit((ov) => S.CommitRevealWeightsEnabled.set(ov, 1, true));
    rejects(h, ALICE, trigger(1), OPEN, 'SubtensorModule.DynamicTempoBlockedByCommitReveal');
    h.edit((ov) => {
      S.CommitRevealWeightsEnabled.set(ov, 1, false);
      S.PendingEpochAt.set(ov, 1, 5n);
    });
    rejects(h, ALICE, trigger(1), OPEN, 'SubtensorModule.EpochTriggerAlreadyPending');
    h.edit((ov) => S.PendingEpochAt.remove(ov, 1));
    // 9 blocks to the automatic epoch: imminent; 10: allowed.
    rejects(h, ALICE, trigger(1), 1351, 'SubtensorModule.AutoEpochAlreadyImminent');
    succeeds(h, ALICE, trigger(1), 1350);
  });

  it('schedules an epoch AdminFreezeWindow blocks ahead, then is rate limited', () => {
    const h = world();
    const window = S.AdminFreezeWindow.get(h.state);
    const ev = succeeds(h, ALICE, trigger(1), OPEN);
    const firesAt = BigInt(OPEN + window);
    assert.deepEqual(ev, [
      { type: 'EpochTriggered', value: { netuid: 1, by: ALICE, fires_at: firesAt } },
    ]);
    assert.equal(S.PendingEpochAt.get(h.state, 1), firesAt);
    assert.equal(S.LastRateLimitedBlock.get(h.state, hyperKey('TriggerEpoch')), BigInt(OPEN));
    // While pending, owner setters are frozen.
    rejects(
      h,
      ALICE,
      setTempo(1, 1000),
      OPEN + 1,
      'SubtensorModule.AdminActionProhibitedDuringWeightsWindow',
    );
    // Once the epoch ran (PendingEpochAt cleared), the rate limit still holds.
    const limit = 360 * S.OwnerHyperparamRateLimit.get(h.state);
    h.edit((ov) => {
      S.PendingEpochAt.remove(ov, 1);
      S.LastEpochBlock.set(ov, 1, BigInt(OPEN + limit - 100));
    });
    rejects(h, ALICE, trigger(1), OPEN + limit - 1, 'SubtensorModule.TxRateLimitExceeded');
    succeeds(h, ALICE, trigger(1), OPEN + limit);
  });
});
