import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RuntimeEvent, SubtensorStorage as S } from '@taoscript/chain-types';
import { keypairFromUri } from '@taoscript/crypto';
import type { DispatchContext } from '../../dispatch.js';
import { MapState, Overlay } from '../../state.js';
import { ONE_YEAR } from '../math/lock.js';
import { changeSubnetOwnerIfNeeded, subnetKing, totalConviction } from './owner-change.js';
import { runCoinbase } from './run-coinbase.js';
import {
  blocksUntilNextEpoch,
  drainPending,
  epochsDeferredThisBlock,
  getNextEpochStartBlock,
  isEpochInputStateConsistent,
  shouldRunEpoch,
} from './schedule.js';
import { mintTao } from './tao.js';
import { seedSubnet } from './test-fixtures.js';

const U64_MAX = (1n << 64n) - 1n;
const HOT_A = keypairFromUri('//SchedA').publicKey;
const HOT_B = keypairFromUri('//SchedB').publicKey;

/** Subnets 1..n with the given tempo, their epochs anchored at block 0, nothing pending. */
function world(n: number, tempo: number): Overlay {
  const ov = new Overlay(new MapState());
  S.NetworksAdded.set(ov, 0, true);
  for (let i = 1; i <= n; i++) seedSubnet(ov, i, { tempo, lastEpochBlock: 0n });
  return ov;
}

function ctxAt(state: Overlay, block: number, events: RuntimeEvent[] = []): DispatchContext {
  return { state, blockNumber: block, deposit: (e) => events.push(e) };
}

const subtensorEvents = (events: RuntimeEvent[]) =>
  events.flatMap((e) => (e.type === 'SubtensorModule' ? [e.value] : []));

function seedPending(ov: Overlay, netuid: number, v: bigint): void {
  S.PendingServerEmission.set(ov, netuid, v);
  S.PendingValidatorEmission.set(ov, netuid, v + 1n);
  S.PendingRootAlphaDivs.set(ov, netuid, v + 2n);
  S.PendingOwnerCut.set(ov, netuid, v + 3n);
}

describe('epoch schedule', () => {
  it('runs every `tempo` blocks from LastEpochBlock and drains the accumulators', () => {
    const ov = world(1, 10);
    const ran: number[] = [];
    for (let b = 1; b <= 25; b++) {
      seedPending(ov, 1, BigInt(b) * 100n);
      const drained = drainPending(ctxAt(ov, b), [1]);
      if (drained.size) {
        ran.push(b);
        assert.deepEqual(drained.get(1), {
          server: BigInt(b) * 100n,
          validator: BigInt(b) * 100n + 1n,
          rootAlpha: BigInt(b) * 100n + 2n,
          ownerCut: BigInt(b) * 100n + 3n,
        });
        for (const item of [
          S.PendingServerEmission,
          S.PendingValidatorEmission,
          S.PendingRootAlphaDivs,
          S.PendingOwnerCut,
        ])
          assert.equal(item.tryGet(ov, 1), 0n, 'drained to an explicit 0');
      }
    }
    assert.deepEqual(ran, [10, 20]);
    assert.equal(S.LastEpochBlock.get(ov, 1), 20n);
    assert.equal(S.SubnetEpochIndex.get(ov, 1), 2n);
    assert.equal(S.BlocksSinceLastStep.get(ov, 1), 5n);
    assert.equal(S.PendingEpochAt.tryGet(ov, 1), 0n);
  });

  it('an owner-triggered PendingEpochAt fires early and resets the cycle', () => {
    const ov = world(1, 100);
    S.PendingEpochAt.set(ov, 1, 5n);
    assert.equal(getNextEpochStartBlock(ov, 1), 5n);
    assert.equal(drainPending(ctxAt(ov, 4), [1]).size, 0);
    assert.equal(drainPending(ctxAt(ov, 5), [1]).size, 1);
    assert.equal(S.PendingEpochAt.get(ov, 1), 0n);
    assert.equal(S.LastEpochBlock.get(ov, 1), 5n);
    assert.equal(getNextEpochStartBlock(ov, 1), 105n);
    assert.equal(blocksUntilNextEpoch(ov, 1, 6n), 99n);
  });

  it('runs at most MaxEpochsPerBlock, deferring the rest by one block', () => {
    const ov = world(4, 10);
    const events: RuntimeEvent[] = [];
    assert.deepEqual([...epochsDeferredThisBlock(ov, [1, 2, 3, 4], 10n)], [3, 4]);
    const drained = drainPending(ctxAt(ov, 10, events), [1, 2, 3, 4]);
    assert.deepEqual([...drained.keys()], [1, 2]);
    assert.deepEqual(subtensorEvents(events), [
      { type: 'EpochDeferred', value: { netuid: 3, from_block: 10n, to_block: 11n } },
      { type: 'EpochDeferred', value: { netuid: 4, from_block: 10n, to_block: 11n } },
    ]);
    for (const n of [3, 4]) {
      assert.equal(S.PendingEpochAt.get(ov, n), 11n);
      assert.equal(S.LastEpochBlock.get(ov, n), 0n);
      assert.equal(S.BlocksSinceLastStep.get(ov, n), 1n);
    }
    // Next block: 1 and 2 are not due; the deferred pair runs.
    assert.deepEqual([...drainPending(ctxAt(ov, 11), [1, 2, 3, 4]).keys()], [3, 4]);
    assert.equal(S.LastEpochBlock.get(ov, 3), 11n);
    assert.equal(S.PendingEpochAt.get(ov, 3), 0n);
    // A cap of 0 defers everything.
    S.MaxEpochsPerBlock.set(ov, 0);
    assert.equal(drainPending(ctxAt(ov, 20), [1, 2]).size, 0);
    assert.equal(S.PendingEpochAt.get(ov, 1), 21n);
  });

  it('skips (but consumes) the slot of a subnet whose Keys repeat a hotkey', () => {
    const ov = world(3, 10);
    S.Keys.set(ov, 1, 0, HOT_A);
    S.Keys.set(ov, 1, 1, HOT_B);
    S.Keys.set(ov, 1, 2, HOT_A);
    S.Keys.set(ov, 2, 0, HOT_A);
    S.Keys.set(ov, 2, 1, HOT_B);
    assert.equal(isEpochInputStateConsistent(ov, 1), false);
    assert.equal(isEpochInputStateConsistent(ov, 2), true);
    seedPending(ov, 1, 7n);
    S.BlocksSinceLastStep.set(ov, 1, 9n);
    const events: RuntimeEvent[] = [];
    assert.deepEqual([...epochsDeferredThisBlock(ov, [1, 2, 3], 10n)], []);
    const drained = drainPending(ctxAt(ov, 10, events), [1, 2, 3]);
    // The skipped subnet does not count toward the cap: 2 and 3 both run.
    assert.deepEqual([...drained.keys()], [2, 3]);
    assert.deepEqual(subtensorEvents(events), [
      { type: 'EpochSkipped', value: { netuid: 1, block: 10n } },
    ]);
    assert.equal(S.LastEpochBlock.get(ov, 1), 10n);
    assert.equal(S.SubnetEpochIndex.get(ov, 1), 1n);
    assert.equal(S.BlocksSinceLastStep.get(ov, 1), 10n, 'not reset');
    assert.equal(S.PendingServerEmission.get(ov, 1), 7n, 'keeps accumulating');
  });

  it('tempo 0 never runs; the safety net fires after 50_400 blocks without a step', () => {
    const ov = world(2, 0);
    S.PendingEpochAt.set(ov, 1, 1n);
    S.BlocksSinceLastStep.set(ov, 1, 90_000n);
    assert.equal(drainPending(ctxAt(ov, 5), [1]).size, 0);
    assert.equal(shouldRunEpoch(ov, 1, 5n), false);
    assert.equal(getNextEpochStartBlock(ov, 1), undefined);
    assert.equal(blocksUntilNextEpoch(ov, 1, 5n), U64_MAX);
    assert.equal(S.BlocksSinceLastStep.get(ov, 1), 90_001n);
    S.Tempo.set(ov, 2, 50_400);
    S.LastEpochBlock.set(ov, 2, 100n);
    S.BlocksSinceLastStep.set(ov, 2, 50_399n);
    assert.equal(drainPending(ctxAt(ov, 101), [2]).size, 0); // 50_400 is not > 50_400
    assert.equal(drainPending(ctxAt(ov, 102), [2]).size, 1);
    assert.equal(S.BlocksSinceLastStep.get(ov, 2), 0n);
  });

  it('subnets registered but not started still step (nothing to emit, but epochs run)', () => {
    const ov = world(0, 10);
    seedSubnet(ov, 1, { tempo: 10, lastEpochBlock: 0n, firstEmission: undefined });
    seedSubnet(ov, 2, { tempo: 10, lastEpochBlock: 0n });
    for (let b = 1; b <= 10; b++) {
      const ctx = ctxAt(ov, b);
      runCoinbase(ctx, mintTao(ctx, 1_000_000_000n), [0, 1, 2]);
    }
    assert.equal(S.SubnetAlphaOutEmission.tryGet(ov, 1), undefined, 'no emission');
    assert.equal(S.PendingServerEmission.get(ov, 1), 0n);
    assert.equal(S.SubnetAlphaOutEmission.get(ov, 2), 1_000_000_000n);
    for (const n of [1, 2]) {
      assert.equal(S.LastEpochBlock.get(ov, n), 10n);
      assert.equal(S.LastMechansimStepBlock.get(ov, n), 10n, 'distributed');
    }
    // The emitting subnet's accumulators were drained at block 10 (after its emission).
    assert.equal(S.PendingServerEmission.get(ov, 2), 0n);
    assert.equal(S.PendingValidatorEmission.get(ov, 2), 0n);
    assert.equal(S.PendingOwnerCut.get(ov, 2), 0n);
  });

  it('rejects malformed input', () => {
    const ov = world(1, 10);
    assert.throws(() => getNextEpochStartBlock(ov, -1), RangeError);
    assert.throws(() => blocksUntilNextEpoch(ov, 1, 5 as unknown as bigint), TypeError);
    assert.throws(() => blocksUntilNextEpoch(ov, 1, -5n), RangeError);
    assert.throws(() => isEpochInputStateConsistent(ov, 1.5), RangeError);
    assert.throws(() => shouldRunEpoch(ov, 1, 10 as unknown as bigint), TypeError);
    assert.throws(() => shouldRunEpoch(ov, -1, 10n), RangeError);
  });
});

describe('owner by conviction (at a drained epoch)', () => {
  const OLD_COLD = keypairFromUri('//SchedOldCold').publicKey;
  const NEW_COLD = keypairFromUri('//SchedNewCold').publicKey;
  const lock = (mass: bigint, conviction: bigint, at: bigint) => ({
    locked_mass: mass,
    conviction: conviction << 64n,
    last_update: at,
  });

  function kingdom(now: bigint): Overlay {
    const ov = world(1, 10);
    S.NetworkRegisteredAt.set(ov, 1, 0n);
    S.SubnetAlphaOut.set(ov, 1, 1_000n);
    S.SubnetOwner.set(ov, 1, OLD_COLD);
    S.SubnetOwnerHotkey.set(ov, 1, HOT_A);
    S.Owner.set(ov, HOT_B, NEW_COLD);
    S.OwnerLock.set(ov, 1, lock(100n, 100n, now));
    S.HotkeyLock.set(ov, 1, HOT_B, lock(500n, 400n, now));
    return ov;
  }

  it('passes the subnet to the most convicted hotkey of a year-old subnet', () => {
    const now = ONE_YEAR;
    const ov = kingdom(now);
    assert.equal(totalConviction(ov, 1, now), 500n << 64n);
    assert.deepEqual(subnetKing(ov, 1, now), HOT_B);
    const events: RuntimeEvent[] = [];
    changeSubnetOwnerIfNeeded(ctxAt(ov, Number(now), events), 1);
    assert.deepEqual(subtensorEvents(events), [
      {
        type: 'SubnetOwnerChanged',
        value: { netuid: 1, old_coldkey: OLD_COLD, new_coldkey: NEW_COLD },
      },
    ]);
    assert.deepEqual(S.SubnetOwner.get(ov, 1), NEW_COLD);
    assert.deepEqual(S.SubnetOwnerHotkey.get(ov, 1), HOT_B);
    assert.equal(S.Uids.get(ov, 1, HOT_B), 0, 'registered as a neuron');
    // The old owner lock became an ordinary hotkey lock; the king's became the owner lock
    // (owner conviction = locked mass).
    assert.deepEqual(S.HotkeyLock.get(ov, 1, HOT_A), lock(100n, 100n, now));
    assert.deepEqual(S.OwnerLock.get(ov, 1), lock(500n, 500n, now));
    assert.equal(S.HotkeyLock.tryGet(ov, 1, HOT_B), undefined);
  });

  it('needs a year of age and conviction of at least 10% of the outstanding alpha', () => {
    const young = kingdom(ONE_YEAR - 1n);
    changeSubnetOwnerIfNeeded(ctxAt(young, Number(ONE_YEAR - 1n)), 1);
    assert.deepEqual(S.SubnetOwner.get(young, 1), OLD_COLD);
    const weak = kingdom(ONE_YEAR);
    S.SubnetAlphaOut.set(weak, 1, 5_001n);
    changeSubnetOwnerIfNeeded(ctxAt(weak, Number(ONE_YEAR)), 1);
    assert.deepEqual(S.SubnetOwner.get(weak, 1), OLD_COLD);
    S.SubnetAlphaOut.set(weak, 1, 5_000n);
    changeSubnetOwnerIfNeeded(ctxAt(weak, Number(ONE_YEAR)), 1);
    assert.deepEqual(S.SubnetOwner.get(weak, 1), NEW_COLD);
  });
});
