import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RuntimeCall, SubtensorStorage as S } from '@taoscript/chain-types';
import { type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import { type DispatchContext, type DispatchOutcome, describeDispatchError } from '../dispatch.js';
import { MapState, Overlay } from '../state.js';
import { handlers } from './dispatch.js';
import { bumpBurnAfterRegistration, decayBurn } from './math/registration.js';
import { subnetAccount } from './pool.js';
import { shouldRunEpoch } from './rate-limits.js';
import {
  getNeuronToPrune,
  immuneOwnerUids,
  ROOT_DELEGATE_TAKE,
  updateRegistrationPrices,
} from './registration.js';
import './subnets.js';
import {
  alice,
  bob,
  charlie,
  dave,
  registerSubnet,
  sub,
  submitFails,
  submitOk,
  subtensorEvents,
  TAO,
} from '../../test/subtensor-fixtures.js';

const hot = (n: number): Uint8Array => new Uint8Array(32).fill(0xa0 + (n % 16)).fill(n, 0, 2);
const OWNER_HOT = hot(1);

const burned = (netuid: number, hotkey: Uint8Array): RuntimeCall =>
  sub({ type: 'burned_register', value: { netuid, hotkey } });
const rootRegister = (hotkey: Uint8Array): RuntimeCall =>
  sub({ type: 'root_register', value: { hotkey } });

/** A chain with subnet 1 registered by Alice (owner hotkey `hot(1)`). */
function setup(): RuntimeHarness {
  const h = runtimeHarness();
  registerSubnet(h, alice, OWNER_HOT);
  return h;
}

describe('burned_register', () => {
  it('pays the burn into the pool, recycles the alpha it buys and appends the neuron', () => {
    const h = setup();
    const cold = bob.publicKey;
    const poolTao = S.SubnetTAO.get(h.state, 1);
    const alphaIn = S.SubnetAlphaIn.get(h.state, 1);
    const account = h.free(subnetAccount(1));
    const stake = S.TotalStake.get(h.state);
    const burn0 = S.Burn.get(h.state, 1);
    assert.equal(burn0, TAO);
    const burn = decayBurn({
      burn: burn0,
      minBurn: 500_000n,
      maxBurn: 100n * TAO,
      halfLife: 360,
      currentBlock: BigInt(h.number + 1),
    });
    const events = submitOk(h, bob, burned(1, hot(2)));
    assert.deepEqual(subtensorEvents(events), [
      { type: 'RAORecycledForRegistrationSet', value: [1, burn] },
      { type: 'NeuronRegistered', value: [1, 1, hot(2)] },
    ]);
    // Money: the burn left Bob for the subnet account; the pool took it net of the swap fee.
    assert.equal(h.free(subnetAccount(1)), account + burn);
    const taoIn = S.SubnetTAO.get(h.state, 1) - poolTao;
    assert.ok(taoIn > 0n && taoIn < burn, 'the fee stays outside SubnetTAO');
    assert.equal(S.TotalStake.get(h.state), stake + burn, 'gross TAO counted');
    assert.ok(
      S.SubnetAlphaIn.get(h.state, 1) < alphaIn,
      'S.SubnetAlphaIn.get(h.state, 1) < alphaIn',
    );
    assert.equal(S.SubnetAlphaOut.get(h.state, 1), 0n, 'bought alpha is recycled');
    assert.equal(S.RAORecycledForRegistration.get(h.state, 1), burn);
    assert.equal(S.SubnetTaoFlow.get(h.state, 1), burn);
    assert.equal(S.RegistrationsThisBlock.get(h.state, 1), 1);
    assert.equal(
      S.Burn.get(h.state, 1),
      bumpBurnAfterRegistration({
        burn,
        minBurn: 500_000n,
        maxBurn: 100n * TAO,
        increaseMult: S.BurnIncreaseMult.get(h.state, 1),
        isRoot: false,
      }),
    );
    // The neuron.
    const block = BigInt(h.number);
    assert.equal(S.SubnetworkN.get(h.state, 1), 2);
    assert.equal(S.Uids.get(h.state, 1, hot(2)), 1);
    assert.deepEqual(S.Keys.get(h.state, 1, 1), hot(2));
    assert.equal(S.BlockAtRegistration.get(h.state, 1, 1), block);
    assert.equal(S.IsNetworkMember.get(h.state, hot(2), 1), true);
    assert.deepEqual(S.Owner.get(h.state, hot(2)), cold);
    assert.deepEqual(S.OwnedHotkeys.get(h.state, cold), [hot(2)]);
    assert.deepEqual(S.StakingHotkeys.get(h.state, cold), [hot(2)]);
    assert.deepEqual(S.Active.get(h.state, 1), [true, true]);
    assert.deepEqual(S.Emission.get(h.state, 1), [0n, 0n]);
    assert.deepEqual(S.ValidatorPermit.get(h.state, 1), [false, false]);
    assert.deepEqual(S.Incentive.get(h.state, 1), [0, 0]);
    assert.equal(S.LastUpdate.get(h.state, 1).length, 2);
    assert.equal(S.LastUpdate.get(h.state, 1)[1], block);
  });

  it('register (POW arguments ignored) and register_limit register the same way', () => {
    const h = setup();
    const events = submitOk(
      h,
      bob,
      sub({
        type: 'register',
        value: {
          netuid: 1,
          block_number: 999n,
          nonce: 7n,
          work: new Uint8Array(3),
          hotkey: hot(2),
          coldkey: charlie.publicKey,
        },
      }),
    );
    assert.deepEqual(subtensorEvents(events).at(-1), {
      type: 'NeuronRegistered',
      value: [1, 1, hot(2)],
    });
    assert.deepEqual(S.Owner.get(h.state, hot(2)), bob.publicKey, 'the signer pays and owns');
    const burn = S.Burn.get(h.state, 1);
    submitFails(
      h,
      charlie,
      sub({ type: 'register_limit', value: { netuid: 1, hotkey: hot(3), limit_price: burn / 2n } }),
      'SubtensorModule.RegistrationPriceLimitExceeded',
    );
    submitOk(
      h,
      charlie,
      sub({ type: 'register_limit', value: { netuid: 1, hotkey: hot(3), limit_price: 10n * TAO } }),
    );
    assert.equal(S.Uids.get(h.state, 1, hot(3)), 2);
  });

  it('walks its checks in upstream order', () => {
    const h = setup();
    submitOk(h, bob, burned(1, hot(2)));
    submitFails(h, bob, burned(0, hot(3)), 'SubtensorModule.RegistrationNotPermittedOnRootSubnet');
    submitFails(h, bob, burned(9, hot(3)), 'SubtensorModule.SubnetNotExists');
    submitFails(h, bob, burned(1, hot(2)), 'SubtensorModule.HotKeyAlreadyRegisteredInSubNet');
    submitFails(h, charlie, burned(1, hot(2)), 'SubtensorModule.HotKeyAlreadyRegisteredInSubNet');
    // Hotkey owned by another coldkey.
    h.edit((ov) => S.Owner.set(ov, hot(4), dave.publicKey));
    submitFails(h, charlie, burned(1, hot(4)), 'SubtensorModule.NonAssociatedColdKey');
    submitFails(h, charlie, burned(1, subnetAccount(3)), 'SubtensorModule.CannotUseSystemAccount');
    h.edit((ov) => {
      // The block hook clamps the burn to MaxBurn first.
      S.MaxBurn.set(ov, 1, 3_000_000n * TAO);
      S.Burn.set(ov, 1, 2_000_000n * TAO);
    });
    submitFails(h, charlie, burned(1, hot(3)), 'SubtensorModule.NotEnoughBalanceToStake');
    h.edit((ov) => {
      S.MaxBurn.set(ov, 1, 100n * TAO);
      S.Burn.set(ov, 1, TAO);
      S.MaxAllowedUids.set(ov, 1, 0);
    });
    submitFails(h, charlie, burned(1, hot(3)), 'SubtensorModule.NoNeuronIdAvailable');
    h.edit((ov) => S.NetworkRegistrationAllowed.set(ov, 1, false));
    submitFails(h, charlie, burned(1, hot(3)), 'SubtensorModule.SubNetRegistrationDisabled');
    // Full, and every uid is an immune owner hotkey (owner hotkey first, then Bob's as owner).
    h.edit((ov) => {
      S.NetworkRegistrationAllowed.set(ov, 1, true);
      S.MaxAllowedUids.set(ov, 1, 2);
      S.SubnetOwner.set(ov, 1, bob.publicKey);
      S.ImmuneOwnerUidsLimit.set(ov, 1, 2);
    });
    submitFails(h, charlie, burned(1, hot(3)), 'SubtensorModule.NoNeuronIdAvailable');
    // Swap errors surface as Swap module errors.
    h.edit((ov) => {
      S.MaxAllowedUids.set(ov, 1, 256);
      S.SubnetAlphaIn.set(ov, 1, 10n);
    });
    submitFails(h, charlie, burned(1, hot(3)), 'Swap.ReservesTooLow');
  });

  it('refuses a root origin', () => {
    const ov = new Overlay(new MapState());
    const ctx: DispatchContext = { state: ov, blockNumber: 5, deposit: () => {} };
    const handler = handlers.SubtensorModule.burned_register;
    assert.ok(handler, 'handler');
    const out = handler(
      ctx,
      { type: 'Root' },
      {
        type: 'burned_register',
        value: { netuid: 1, hotkey: hot(2) },
      },
    ) as DispatchOutcome;
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(describeDispatchError(out.error), 'BadOrigin');
    assert.throws(
      () =>
        handler(
          ctx,
          { type: 'None' },
          {
            type: 'burned_register',
            value: { netuid: 70_000, hotkey: hot(2) },
          },
        ),
      RangeError,
    );
    assert.throws(
      () =>
        handler(
          ctx,
          { type: 'None' },
          {
            type: 'burned_register',
            value: { netuid: 1, hotkey: new Uint8Array(33) },
          },
        ),
      RangeError,
    );
  });

  it('replaces the neuron to prune once the subnet is full', () => {
    const h = setup();
    submitOk(h, bob, burned(1, hot(2)));
    submitOk(h, charlie, burned(1, hot(3)));
    const now = BigInt(h.number);
    h.edit((ov) => {
      S.MaxAllowedUids.set(ov, 1, 3);
      S.MinNonImmuneUids.set(ov, 1, 0);
      S.ImmunityPeriod.set(ov, 1, 0);
      S.Emission.set(ov, 1, [0n, 50n, 10n]);
      S.Axons.set(ov, 1, hot(3), {
        block: 1n,
        version: 1,
        ip: 1n,
        port: 1,
        ip_type: 4,
        protocol: 0,
        placeholder1: 0,
        placeholder2: 0,
      });
      S.Weights.set(ov, 1, 1, [
        [2, 100],
        [0, 5],
      ]);
      S.Weights.set(ov, 1, 2, [[1, 7]]);
      S.Consensus.set(ov, 1, [1, 2, 3]);
    });
    assert.equal(getNeuronToPrune(h.state, 1, now + 1n), 2, 'lowest emission, owner immune');
    const events = submitOk(h, dave, burned(1, hot(4)));
    assert.deepEqual(subtensorEvents(events).at(-1), {
      type: 'NeuronRegistered',
      value: [1, 2, hot(4)],
    });
    assert.equal(S.SubnetworkN.get(h.state, 1), 3);
    assert.equal(S.Uids.tryGet(h.state, 1, hot(3)), undefined);
    assert.equal(S.IsNetworkMember.get(h.state, hot(3), 1), false);
    assert.equal(S.Axons.tryGet(h.state, 1, hot(3)), undefined);
    assert.deepEqual(S.Keys.get(h.state, 1, 2), hot(4));
    assert.equal(S.Uids.get(h.state, 1, hot(4)), 2);
    assert.deepEqual(S.Emission.get(h.state, 1), [0n, 50n, 0n]);
    assert.deepEqual(S.Consensus.get(h.state, 1), [1, 2, 0]);
    assert.deepEqual(S.Weights.get(h.state, 1, 1), [
      [2, 0],
      [0, 5],
    ]);
    assert.deepEqual(S.Weights.get(h.state, 1, 2), [], 'weights set by the old uid are gone');
    assert.equal(S.BlockAtRegistration.get(h.state, 1, 2), BigInt(h.number));
    assert.equal(S.LastUpdate.get(h.state, 1)[2], BigInt(h.number));
  });
});

describe('get_neuron_to_prune', () => {
  /** A subnet of `n` neurons owned by `owner`; uid i registered at `blocks[i]`. */
  function seed(n: number, blocks: bigint[], emission: bigint[]): Overlay {
    const ov = new Overlay(new MapState());
    S.SubnetworkN.set(ov, 1, n);
    S.SubnetOwner.set(ov, 1, alice.publicKey);
    S.ImmunityPeriod.set(ov, 1, 100);
    S.MinNonImmuneUids.set(ov, 1, 0);
    S.Emission.set(ov, 1, emission);
    for (let uid = 0; uid < n; uid++) {
      S.Keys.set(ov, 1, uid, hot(uid + 10));
      S.Uids.set(ov, 1, hot(uid + 10), uid);
      S.BlockAtRegistration.set(ov, 1, uid, blocks[uid] as bigint);
    }
    return ov;
  }

  it('takes the lowest emission, then the earlier registration, then the lower uid', () => {
    const ov = seed(4, [10n, 5n, 5n, 1n], [3n, 1n, 1n, 2n]);
    assert.equal(getNeuronToPrune(ov, 1, 1_000n), 1);
    S.BlockAtRegistration.set(ov, 1, 2, 4n);
    assert.equal(getNeuronToPrune(ov, 1, 1_000n), 2);
    assert.equal(getNeuronToPrune(new Overlay(new MapState()), 1, 1_000n), undefined);
  });

  it('prefers non-immune uids only while more than MinNonImmuneUids of them remain', () => {
    // uids 0, 1 immune (registered within 100 blocks of 1000), 2, 3 not.
    const ov = seed(4, [950n, 960n, 10n, 20n], [0n, 1n, 9n, 8n]);
    assert.equal(getNeuronToPrune(ov, 1, 1_000n), 3, 'non-immune: 2 > 0');
    S.MinNonImmuneUids.set(ov, 1, 2);
    assert.equal(getNeuronToPrune(ov, 1, 1_000n), 0, 'only 2 non-immune: best immune');
  });

  it('never prunes the owner immune hotkeys: at most ImmuneOwnerUidsLimit, owner hotkey first', () => {
    const ov = seed(4, [1n, 2n, 3n, 4n], [0n, 0n, 0n, 9n]);
    S.OwnedHotkeys.set(ov, alice.publicKey, [hot(12), hot(11)]);
    // Limit 1: the owner's oldest registered hotkey (uid 1) is immune.
    assert.deepEqual(
      immuneOwnerUids(ov, 1, alice.publicKey).map(([u]) => u),
      [1],
    );
    assert.equal(getNeuronToPrune(ov, 1, 1_000n), 0);
    // The subnet owner hotkey goes first and the list is cut back to the limit.
    S.SubnetOwnerHotkey.set(ov, 1, hot(10));
    assert.deepEqual(
      immuneOwnerUids(ov, 1, alice.publicKey).map(([u]) => u),
      [0],
    );
    assert.equal(getNeuronToPrune(ov, 1, 1_000n), 1);
    S.ImmuneOwnerUidsLimit.set(ov, 1, 3);
    assert.deepEqual(
      immuneOwnerUids(ov, 1, alice.publicKey).map(([u]) => u),
      [0, 1, 2],
    );
    assert.equal(getNeuronToPrune(ov, 1, 1_000n), 3);
    S.ImmuneOwnerUidsLimit.set(ov, 1, 0);
    assert.deepEqual(immuneOwnerUids(ov, 1, alice.publicKey), []);
    assert.equal(getNeuronToPrune(ov, 1, 1_000n), 0);
  });
});

describe('per-block registration bookkeeping', () => {
  it('decays every burn by its half-life, clamps it and resets the per-block counters', () => {
    const h = setup();
    h.edit((ov) => {
      S.Burn.set(ov, 1, 50n * TAO);
      S.BurnHalfLife.set(ov, 1, 2);
      S.RegistrationsThisBlock.set(ov, 1, 4);
      S.Burn.set(ov, 0, 400_000n);
    });
    h.block();
    const now = BigInt(h.number);
    assert.equal(
      S.Burn.get(h.state, 1),
      decayBurn({
        burn: 50n * TAO,
        minBurn: 500_000n,
        maxBurn: 100n * TAO,
        halfLife: 2,
        currentBlock: now,
      }),
    );
    assert.ok(
      S.Burn.get(h.state, 1) < 36n * TAO && S.Burn.get(h.state, 1) > 35n * TAO,
      'S.Burn.get(h.state, 1) < 36n * TAO && S.Burn.get(h.state, 1) > 35n * TAO',
    );
    assert.equal(S.RegistrationsThisBlock.get(h.state, 1), 0);
    assert.equal(S.Burn.get(h.state, 0), 500_000n, 'root burn clamped to MinBurn');
    h.edit((ov) => S.BurnHalfLife.set(ov, 1, 0));
    const before = S.Burn.get(h.state, 1);
    h.block();
    assert.equal(S.Burn.get(h.state, 1), before, 'half-life 0: no decay');
  });

  it('resets the root interval counter when the root epoch is due', () => {
    const ov = new Overlay(new MapState());
    S.NetworksAdded.set(ov, 0, true);
    S.Tempo.set(ov, 0, 100);
    S.LastEpochBlock.set(ov, 0, 50n);
    S.RegistrationsThisInterval.set(ov, 0, 2);
    const ctx = (n: number): DispatchContext => ({ state: ov, blockNumber: n, deposit: () => {} });
    assert.equal(shouldRunEpoch(ov, 0, 149n), false);
    updateRegistrationPrices(ctx(149));
    assert.equal(S.RegistrationsThisInterval.get(ov, 0), 2);
    assert.equal(shouldRunEpoch(ov, 0, 150n), true);
    updateRegistrationPrices(ctx(150));
    assert.equal(S.RegistrationsThisInterval.get(ov, 0), 0);
    S.RegistrationsThisInterval.set(ov, 0, 2);
    S.Tempo.set(ov, 0, 0);
    updateRegistrationPrices(ctx(10_000));
    assert.equal(S.RegistrationsThisInterval.get(ov, 0), 2, 'tempo 0 never runs');
    S.Tempo.set(ov, 0, 100);
    S.LastEpochBlock.set(ov, 0, 10_000n);
    S.PendingEpochAt.set(ov, 0, 10_001n);
    assert.equal(shouldRunEpoch(ov, 0, 10_001n), true, 'pending trigger');
    S.PendingEpochAt.set(ov, 0, 0n);
    S.BlocksSinceLastStep.set(ov, 0, 50_401n);
    assert.equal(shouldRunEpoch(ov, 0, 10_001n), true, 'safety net');
  });
});

describe('root_register', () => {
  it('appends the hotkey to root and makes it a delegate', () => {
    const h = runtimeHarness();
    const events = submitOk(h, bob, rootRegister(hot(2)));
    assert.deepEqual(subtensorEvents(events), [
      { type: 'NeuronRegistered', value: [0, 0, hot(2)] },
    ]);
    assert.equal(S.Uids.get(h.state, 0, hot(2)), 0);
    assert.equal(S.SubnetworkN.get(h.state, 0), 1);
    assert.deepEqual(S.Owner.get(h.state, hot(2)), bob.publicKey);
    assert.equal(S.Delegates.tryGet(h.state, hot(2)), ROOT_DELEGATE_TAKE, 'stored explicitly');
    assert.equal(S.RegistrationsThisInterval.get(h.state, 0), 1);
    assert.equal(S.RegistrationsThisBlock.get(h.state, 0), 1);
    // An existing take is kept.
    h.edit((ov) => S.Delegates.set(ov, hot(3), 5));
    submitOk(h, bob, rootRegister(hot(3)));
    assert.equal(S.Delegates.get(h.state, hot(3)), 5);
  });

  it('limits registrations per block and per interval', () => {
    const h = runtimeHarness();
    const out = h.block([h.sign(bob, rootRegister(hot(2))), h.sign(charlie, rootRegister(hot(3)))]);
    const second = out.results[1];
    assert.ok(second?.ok, 'second?.ok');
    assert.equal(second.outcome.ok, false);
    if (!second.outcome.ok)
      assert.equal(
        describeDispatchError(second.outcome.error),
        'SubtensorModule.TooManyRegistrationsThisBlock',
      );
    h.edit((ov) => S.RegistrationsThisInterval.set(ov, 0, 3));
    submitFails(
      h,
      charlie,
      rootRegister(hot(3)),
      'SubtensorModule.TooManyRegistrationsThisInterval',
    );
    h.edit((ov) => S.RegistrationsThisInterval.set(ov, 0, 0));
    submitFails(
      h,
      charlie,
      rootRegister(hot(2)),
      'SubtensorModule.HotKeyAlreadyRegisteredInSubNet',
    );
    submitFails(
      h,
      charlie,
      rootRegister(subnetAccount(0)),
      'SubtensorModule.CannotUseSystemAccount',
    );
  });

  it('replaces the lowest-stake root validator only for a strictly larger stake', () => {
    const h = runtimeHarness();
    submitOk(h, bob, rootRegister(hot(2)));
    submitOk(h, bob, rootRegister(hot(3)));
    h.edit((ov) => {
      S.MaxAllowedUids.set(ov, 0, 2);
      S.TotalHotkeyAlpha.set(ov, hot(2), 0, 500n);
      S.TotalHotkeyAlpha.set(ov, hot(3), 0, 300n);
      S.TotalHotkeyAlpha.set(ov, hot(4), 0, 300n);
    });
    submitFails(h, charlie, rootRegister(hot(4)), 'SubtensorModule.StakeTooLowForRoot');
    h.edit((ov) => S.TotalHotkeyAlpha.set(ov, hot(4), 0, 301n));
    const events = submitOk(h, charlie, rootRegister(hot(4)));
    assert.deepEqual(subtensorEvents(events), [
      { type: 'NeuronRegistered', value: [0, 1, hot(4)] },
    ]);
    assert.equal(S.Uids.tryGet(h.state, 0, hot(3)), undefined);
    assert.equal(S.Uids.get(h.state, 0, hot(4)), 1);
  });

  it('needs the root network and a signed origin', () => {
    const h = runtimeHarness();
    h.edit((ov) => S.NetworksAdded.remove(ov, 0));
    submitFails(h, bob, rootRegister(hot(2)), 'SubtensorModule.RootNetworkDoesNotExist');
    const handler = handlers.SubtensorModule.root_register;
    assert.ok(handler, 'handler');
    const ov = new Overlay(h.state);
    const ctx: DispatchContext = { state: ov, blockNumber: 5, deposit: () => {} };
    const call = { type: 'root_register', value: { hotkey: hot(2) } } as const;
    const none = handler(ctx, { type: 'None' }, call);
    assert.equal(none.ok, false);
    if (!none.ok)
      assert.equal(describeDispatchError(none.error), 'SubtensorModule.RootNetworkDoesNotExist');
    S.NetworksAdded.set(ov, 0, true);
    const root = handler(ctx, { type: 'Root' }, call);
    assert.equal(root.ok, false);
    if (!root.ok) assert.equal(describeDispatchError(root.error), 'BadOrigin');
  });
});
