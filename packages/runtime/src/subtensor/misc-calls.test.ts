import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SubtensorStorage as S, type SubtensorCall } from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import {
  ALICE,
  alice,
  assertFreeIsIssuance,
  bob,
  burnedRegister,
  charlie,
  handlerTry,
  NO_AUTHOR,
  registerSubnet,
  startSubnet,
  sub,
  submitOk,
  subtensorEvents,
  TAO,
} from '../../test/subtensor-fixtures.js';
import { Overlay } from '../state.js';
import { MAX_VOTING_POWER_EMA_ALPHA } from './misc-calls.js';
import { subnetAccount } from './pool.js';
import { stakeOf } from './share-pool.js';
import './index.js';

const BOB = bob.publicKey;
const CHARLIE = charlie.publicKey;
const OWNER_HOT = keypairFromUri('//MiscOwnerHot').publicKey;
const HB = keypairFromUri('//MiscBobHot').publicKey;
const HB2 = keypairFromUri('//MiscBobHot2').publicKey;
const FRESH = keypairFromUri('//MiscFreshHot').publicKey;
const NET = 1;

/** Subnet 1 (owner Alice, started); Bob's HB and HB2 burned-registered on it. */
function world(): RuntimeHarness {
  const h = runtimeHarness();
  registerSubnet(h, alice, OWNER_HOT);
  startSubnet(h, alice, NET);
  burnedRegister(h, bob, NET, HB);
  burnedRegister(h, bob, NET, HB2);
  return h;
}

describe('root child-key setters (69, 76, 77, 109)', () => {
  const cases: [SubtensorCall, (h: RuntimeHarness) => unknown, unknown, unknown][] = [
    [
      { type: 'sudo_set_tx_childkey_take_rate_limit', value: { tx_rate_limit: 42n } },
      (h) => S.TxChildkeyTakeRateLimit.get(h.state),
      42n,
      { type: 'TxChildKeyTakeRateLimitSet', value: 42n },
    ],
    [
      { type: 'sudo_set_min_childkey_take', value: { take: 7 } },
      (h) => S.MinChildkeyTake.get(h.state),
      7,
      { type: 'MinChildKeyTakeSet', value: 7 },
    ],
    [
      { type: 'sudo_set_max_childkey_take', value: { take: 9_000 } },
      (h) => S.MaxChildkeyTake.get(h.state),
      9_000,
      { type: 'MaxChildKeyTakeSet', value: 9_000 },
    ],
    [
      { type: 'set_pending_childkey_cooldown', value: { cooldown: 99n } },
      (h) => S.PendingChildKeyCooldown.get(h.state),
      99n,
      undefined,
    ],
  ];
  for (const [call, read, want, event] of cases) {
    it(`${call.type}: root only, stores the value${event ? ' and emits' : ''}`, () => {
      const h = runtimeHarness();
      const before = read(h);
      assert.equal(handlerTry(h, ALICE, call, NO_AUTHOR).error, 'BadOrigin');
      assert.equal(handlerTry(h, 'none', call, NO_AUTHOR).error, 'BadOrigin');
      assert.equal(read(h), before);
      const r = handlerTry(h, 'root', call, NO_AUTHOR);
      assert.equal(r.error, undefined);
      assert.equal(read(h), want);
      assert.deepEqual(r.events, event ? [event] : []);
    });
  }

  it('works end to end through Sudo', () => {
    const h = runtimeHarness();
    const { events } = h.sudo(sub({ type: 'sudo_set_min_childkey_take', value: { take: 123 } }));
    assert.equal(S.MinChildkeyTake.get(h.state), 123);
    assert.deepEqual(subtensorEvents(events), [{ type: 'MinChildKeyTakeSet', value: 123 }]);
    const signed = h.run(bob, sub({ type: 'sudo_set_max_childkey_take', value: { take: 1 } }));
    assert.ok(signed.result.ok && !signed.result.outcome.ok);
    assert.equal(S.MaxChildkeyTake.get(h.state), 11_796);
  });
});

describe('try_associate_hotkey (91)', () => {
  it('claims an unowned hotkey once; later calls are no-ops', () => {
    const h = world();
    assert.equal(
      handlerTry(h, 'root', { type: 'try_associate_hotkey', value: { hotkey: FRESH } }, NO_AUTHOR)
        .error,
      'BadOrigin',
    );
    assert.equal(
      handlerTry(
        h,
        BOB,
        {
          type: 'try_associate_hotkey',
          value: { hotkey: subnetAccount(3) },
        },
        NO_AUTHOR,
      ).error,
      'SubtensorModule.CannotUseSystemAccount',
    );
    assert.deepEqual(
      subtensorEvents(
        submitOk(h, charlie, sub({ type: 'try_associate_hotkey', value: { hotkey: FRESH } })),
      ),
      [],
    );
    assert.ok(bytesEqual(S.Owner.get(h.state, FRESH), CHARLIE));
    assert.equal(S.OwnedHotkeys.get(h.state, CHARLIE).length, 1);
    assert.equal(S.StakingHotkeys.get(h.state, CHARLIE).length, 1);
    // Bob cannot take it over: succeeds, changes nothing.
    const r = handlerTry(
      h,
      BOB,
      { type: 'try_associate_hotkey', value: { hotkey: FRESH } },
      NO_AUTHOR,
    );
    assert.equal(r.error, undefined);
    assert.ok(bytesEqual(S.Owner.get(h.state, FRESH), CHARLIE));
    assert.equal(S.OwnedHotkeys.get(h.state, BOB).filter((k) => bytesEqual(k, FRESH)).length, 0);
  });
});

describe('set_coldkey_auto_stake_hotkey (114)', () => {
  const call = (hotkey: Uint8Array, netuid = NET): SubtensorCall => ({
    type: 'set_coldkey_auto_stake_hotkey',
    value: { netuid, hotkey },
  });
  it('walks every precondition to its error', () => {
    const h = world();
    assert.equal(handlerTry(h, 'root', call(HB), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, CHARLIE, call(HB, 9), NO_AUTHOR).error,
      'SubtensorModule.SubnetNotExists',
    );
    assert.equal(
      handlerTry(h, CHARLIE, call(FRESH), NO_AUTHOR).error,
      'SubtensorModule.HotKeyNotRegisteredInSubNet',
    );
    handlerTry(h, CHARLIE, call(HB), NO_AUTHOR);
    assert.equal(
      handlerTry(h, CHARLIE, call(HB), NO_AUTHOR).error,
      'SubtensorModule.SameAutoStakeHotkeyAlreadySet',
    );
  });

  it('points the coldkey at the hotkey and keeps the reverse index', () => {
    const h = world();
    const events = subtensorEvents(submitOk(h, charlie, sub(call(HB))));
    assert.deepEqual(events, [
      { type: 'AutoStakeDestinationSet', value: { coldkey: CHARLIE, netuid: NET, hotkey: HB } },
    ]);
    assert.ok(bytesEqual(S.AutoStakeDestination.get(h.state, CHARLIE, NET) as Uint8Array, HB));
    assert.deepEqual(S.AutoStakeDestinationColdkeys.get(h.state, HB, NET), [CHARLIE]);
    submitOk(h, alice, sub(call(HB)));
    assert.deepEqual(S.AutoStakeDestinationColdkeys.get(h.state, HB, NET), [CHARLIE, ALICE]);
    // Moving Charlie to HB2 drops him from HB's list.
    submitOk(h, charlie, sub(call(HB2)));
    assert.ok(bytesEqual(S.AutoStakeDestination.get(h.state, CHARLIE, NET) as Uint8Array, HB2));
    assert.deepEqual(S.AutoStakeDestinationColdkeys.get(h.state, HB, NET), [ALICE]);
    assert.deepEqual(S.AutoStakeDestinationColdkeys.get(h.state, HB2, NET), [CHARLIE]);
  });
});

describe('set_auto_parent_delegation_enabled (135)', () => {
  const call = (hotkey: Uint8Array, enabled: boolean): SubtensorCall => ({
    type: 'set_auto_parent_delegation_enabled',
    value: { hotkey, enabled },
  });
  it('needs the owning coldkey and a root registration', () => {
    const h = world();
    assert.equal(handlerTry(h, 'root', call(HB, false), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, CHARLIE, call(HB, false), NO_AUTHOR).error,
      'SubtensorModule.NonAssociatedColdKey',
    );
    assert.equal(
      handlerTry(h, BOB, call(FRESH, false), NO_AUTHOR).error,
      'SubtensorModule.NonAssociatedColdKey',
    );
    assert.equal(
      handlerTry(h, BOB, call(HB, false), NO_AUTHOR).error,
      'SubtensorModule.HotKeyNotRegisteredInSubNet',
    );
    assert.equal(S.AutoParentDelegationEnabled.get(h.state, HB), true);
    h.edit((ov) => S.Uids.set(ov, 0, HB, 0));
    const events = subtensorEvents(submitOk(h, bob, sub(call(HB, false))));
    assert.deepEqual(events, [
      { type: 'AutoParentDelegationEnabledSet', value: { hotkey: HB, enabled: false } },
    ]);
    assert.equal(S.AutoParentDelegationEnabled.get(h.state, HB), false);
    submitOk(h, bob, sub(call(HB, true)));
    assert.equal(S.AutoParentDelegationEnabled.tryGet(h.state, HB), true);
  });
});

describe('voting power tracking (129, 130, 131)', () => {
  const enable = (netuid = NET): SubtensorCall => ({
    type: 'enable_voting_power_tracking',
    value: { netuid },
  });
  const disable = (netuid = NET): SubtensorCall => ({
    type: 'disable_voting_power_tracking',
    value: { netuid },
  });
  it('enable/disable: owner or root; disable needs tracking on and schedules the grace period', () => {
    const h = world();
    assert.equal(handlerTry(h, BOB, enable(), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(handlerTry(h, 'none', enable(), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(handlerTry(h, BOB, disable(), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, ALICE, disable(), NO_AUTHOR).error,
      'SubtensorModule.VotingPowerTrackingNotEnabled',
    );
    // Owner enables.
    assert.deepEqual(subtensorEvents(submitOk(h, alice, sub(enable()))), [
      { type: 'VotingPowerTrackingEnabled', value: { netuid: NET } },
    ]);
    assert.equal(S.VotingPowerTrackingEnabled.get(h.state, NET), true);
    // Owner schedules the disable: now + 100 800.
    const at = BigInt(h.number + 1) + 100_800n;
    assert.deepEqual(subtensorEvents(submitOk(h, alice, sub(disable()))), [
      { type: 'VotingPowerTrackingDisableScheduled', value: { netuid: NET, disable_at_block: at } },
    ]);
    assert.equal(S.VotingPowerDisableAtBlock.get(h.state, NET), at);
    assert.equal(S.VotingPowerTrackingEnabled.get(h.state, NET), true);
    // Root re-enables, which clears the schedule.
    const r = handlerTry(h, 'root', enable(), NO_AUTHOR);
    assert.equal(r.error, undefined);
    assert.equal(S.VotingPowerDisableAtBlock.tryGet(h.state, NET), undefined);
    // No subnet-exists check upstream: root may enable an unknown netuid.
    assert.equal(handlerTry(h, 'root', enable(77), NO_AUTHOR).error, undefined);
    assert.equal(S.VotingPowerTrackingEnabled.get(h.state, 77), true);
  });

  it('sudo_set_voting_power_ema_alpha: root only, alpha ≤ 1e18', () => {
    const h = world();
    const call = (alpha: bigint): SubtensorCall => ({
      type: 'sudo_set_voting_power_ema_alpha',
      value: { netuid: NET, alpha },
    });
    assert.equal(handlerTry(h, ALICE, call(1n), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, 'root', call(MAX_VOTING_POWER_EMA_ALPHA + 1n), NO_AUTHOR).error,
      'SubtensorModule.InvalidVotingPowerEmaAlpha',
    );
    const r = handlerTry(h, 'root', call(MAX_VOTING_POWER_EMA_ALPHA), NO_AUTHOR);
    assert.deepEqual(r.events, [
      { type: 'VotingPowerEmaAlphaSet', value: { netuid: NET, alpha: MAX_VOTING_POWER_EMA_ALPHA } },
    ]);
    assert.equal(S.VotingPowerEmaAlpha.get(h.state, NET), MAX_VOTING_POWER_EMA_ALPHA);
  });
});

describe('add_stake_burn (132)', () => {
  const call = (amount: bigint, limit?: bigint, hotkey = HB, netuid = NET): SubtensorCall => ({
    type: 'add_stake_burn',
    value: { hotkey, netuid, amount, limit },
  });
  it('stakes, burns the alpha bought, and emits AddStakeBurn; TAO is conserved', () => {
    const h = world();
    const outBefore = S.SubnetAlphaOut.get(h.state, NET);
    const events = subtensorEvents(submitOk(h, bob, sub(call(10n * TAO))));
    const added = events.find((e) => e.type === 'StakeAdded');
    assert.ok(added?.type === 'StakeAdded', 'StakeAdded emitted');
    const alpha = added.value[3] as bigint;
    assert.ok(alpha > 0n);
    assert.deepEqual(events.slice(-2), [
      { type: 'AlphaBurned', value: [BOB, HB, alpha, NET] },
      { type: 'AddStakeBurn', value: { netuid: NET, hotkey: HB, amount: 10n * TAO, alpha } },
    ]);
    assert.equal(stakeOf(new Overlay(h.state), HB, BOB, NET), 0n);
    // Burn keeps SubnetAlphaOut (the alpha stays counted as issued). The block's coinbase also
    // minted the subnet's alpha emission into it (root holds no TAO: no root alpha recycled).
    const minted = S.SubnetAlphaOutEmission.get(h.state, NET);
    assert.equal(S.SubnetAlphaOut.get(h.state, NET), outBefore + minted + alpha);
    assertFreeIsIssuance(h);
  });

  it('fails as add_stake / add_stake_limit fail, leaving state untouched', () => {
    const h = world();
    assert.equal(handlerTry(h, 'root', call(10n * TAO), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, BOB, call(10n * TAO, undefined, HB, 9), NO_AUTHOR).error,
      'SubtensorModule.SubnetNotExists',
    );
    assert.equal(handlerTry(h, BOB, call(1n), NO_AUTHOR).error, 'SubtensorModule.AmountTooLow');
    assert.equal(
      handlerTry(h, BOB, call(10n * TAO, undefined, FRESH), NO_AUTHOR).error,
      'SubtensorModule.HotKeyAccountNotExists',
    );
    // A limit below the current price with allow_partial = false fails as add_stake_limit does.
    const limitErr = handlerTry(
      h,
      BOB,
      {
        type: 'add_stake_limit',
        value: {
          hotkey: HB,
          netuid: NET,
          amount_staked: 10n * TAO,
          limit_price: 1n,
          allow_partial: false,
        },
      },
      NO_AUTHOR,
    ).error;
    assert.ok(limitErr !== undefined);
    assert.equal(handlerTry(h, BOB, call(10n * TAO, 1n), NO_AUTHOR).error, limitErr);
    // A generous limit goes through add_stake_limit.
    const r = handlerTry(h, BOB, call(TAO, 1_000n * TAO), NO_AUTHOR);
    assert.equal(r.error, undefined);
    assert.equal(r.events.at(-1)?.type, 'AddStakeBurn');
  });
});
