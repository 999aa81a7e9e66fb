import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  type EventRecord,
  type RuntimeCall,
  type RuntimeEvent,
  SubtensorStorage as S,
  type SubtensorCall,
  System,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import { type Keypair, keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import { type DispatchContext, describeDispatchError, type Origin } from '../dispatch.js';
import { Overlay } from '../state.js';
import { dispatchSubtensorPallet } from './dispatch.js';
import { MAX_VOTING_POWER_EMA_ALPHA } from './misc-calls.js';
import { subnetAccount } from './pool.js';
import { stakeOf } from './share-pool.js';
import './index.js';

const TAO = 1_000_000_000n;
const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const charlie = devKeypair('Charlie');
const ALICE = alice.publicKey;
const BOB = bob.publicKey;
const CHARLIE = charlie.publicKey;
const OWNER_HOT = keypairFromUri('//MiscOwnerHot').publicKey;
const HB = keypairFromUri('//MiscBobHot').publicKey;
const HB2 = keypairFromUri('//MiscBobHot2').publicKey;
const FRESH = keypairFromUri('//MiscFreshHot').publicKey;
const NET = 1;
const ROOT: Origin = { type: 'Root' };
const NONE: Origin = { type: 'None' };
const signedBy = (who: Uint8Array): Origin => ({ type: 'Signed', who });

const sub = (value: SubtensorCall): RuntimeCall => ({ type: 'SubtensorModule', value });

function ok(h: RuntimeHarness, signer: Keypair, call: RuntimeCall): unknown[] {
  const { result, events } = h.run(signer, call);
  assert.ok(result.ok, 'extrinsic included');
  if (!result.outcome.ok) assert.fail(describeDispatchError(result.outcome.error));
  return subtensorEvents(events);
}

function subtensorEvents(events: EventRecord[]): unknown[] {
  return events.flatMap((e) => (e.event.type === 'SubtensorModule' ? [e.event.value] : []));
}

/**
 * Dispatches straight to the handler with any origin on a scratch overlay. On failure asserts
 * nothing was written and no event deposited; on success commits the writes to the harness.
 */
function direct(
  h: RuntimeHarness,
  origin: Origin,
  c: SubtensorCall,
): { error: string | undefined; events: unknown[] } {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  const ctx: DispatchContext = {
    state: ov,
    blockNumber: h.number + 1,
    author: undefined,
    deposit: (e) => events.push(e),
  };
  const out = dispatchSubtensorPallet(ctx, origin, { type: 'SubtensorModule', value: c });
  if (!out.ok) {
    assert.equal(ov.changes().size, 0, 'a failed call writes nothing');
    assert.deepEqual(events, [], 'a failed call deposits nothing');
    return { error: describeDispatchError(out.error), events: [] };
  }
  h.state.apply(ov.changes());
  return {
    error: undefined,
    events: events.flatMap((e) => (e.type === 'SubtensorModule' ? [e.value] : [])),
  };
}

const errOf = (h: RuntimeHarness, origin: Origin, c: SubtensorCall) => direct(h, origin, c).error;

/** Subnet 1 (owner Alice, started); Bob's HB and HB2 burned-registered on it. */
function world(): RuntimeHarness {
  const h = runtimeHarness();
  ok(h, alice, sub({ type: 'register_network', value: { hotkey: OWNER_HOT } }));
  h.edit((ov) => S.StartCallDelay.set(ov, 0n));
  ok(h, alice, sub({ type: 'start_call', value: { netuid: NET } }));
  ok(h, bob, sub({ type: 'burned_register', value: { netuid: NET, hotkey: HB } }));
  ok(h, bob, sub({ type: 'burned_register', value: { netuid: NET, hotkey: HB2 } }));
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
      assert.equal(errOf(h, signedBy(ALICE), call), 'BadOrigin');
      assert.equal(errOf(h, NONE, call), 'BadOrigin');
      assert.equal(read(h), before);
      const r = direct(h, ROOT, call);
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
      errOf(h, ROOT, { type: 'try_associate_hotkey', value: { hotkey: FRESH } }),
      'BadOrigin',
    );
    assert.equal(
      errOf(h, signedBy(BOB), {
        type: 'try_associate_hotkey',
        value: { hotkey: subnetAccount(3) },
      }),
      'SubtensorModule.CannotUseSystemAccount',
    );
    assert.deepEqual(
      ok(h, charlie, sub({ type: 'try_associate_hotkey', value: { hotkey: FRESH } })),
      [],
    );
    assert.ok(bytesEqual(S.Owner.get(h.state, FRESH), CHARLIE));
    assert.equal(S.OwnedHotkeys.get(h.state, CHARLIE).length, 1);
    assert.equal(S.StakingHotkeys.get(h.state, CHARLIE).length, 1);
    // Bob cannot take it over: succeeds, changes nothing.
    const r = direct(h, signedBy(BOB), { type: 'try_associate_hotkey', value: { hotkey: FRESH } });
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
    assert.equal(errOf(h, ROOT, call(HB)), 'BadOrigin');
    assert.equal(errOf(h, signedBy(CHARLIE), call(HB, 9)), 'SubtensorModule.SubnetNotExists');
    assert.equal(
      errOf(h, signedBy(CHARLIE), call(FRESH)),
      'SubtensorModule.HotKeyNotRegisteredInSubNet',
    );
    direct(h, signedBy(CHARLIE), call(HB));
    assert.equal(
      errOf(h, signedBy(CHARLIE), call(HB)),
      'SubtensorModule.SameAutoStakeHotkeyAlreadySet',
    );
  });

  it('points the coldkey at the hotkey and keeps the reverse index', () => {
    const h = world();
    const events = ok(h, charlie, sub(call(HB)));
    assert.deepEqual(events, [
      { type: 'AutoStakeDestinationSet', value: { coldkey: CHARLIE, netuid: NET, hotkey: HB } },
    ]);
    assert.ok(bytesEqual(S.AutoStakeDestination.get(h.state, CHARLIE, NET) as Uint8Array, HB));
    assert.deepEqual(S.AutoStakeDestinationColdkeys.get(h.state, HB, NET), [CHARLIE]);
    ok(h, alice, sub(call(HB)));
    assert.deepEqual(S.AutoStakeDestinationColdkeys.get(h.state, HB, NET), [CHARLIE, ALICE]);
    // Moving Charlie to HB2 drops him from HB's list.
    ok(h, charlie, sub(call(HB2)));
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
    assert.equal(errOf(h, ROOT, call(HB, false)), 'BadOrigin');
    assert.equal(
      errOf(h, signedBy(CHARLIE), call(HB, false)),
      'SubtensorModule.NonAssociatedColdKey',
    );
    assert.equal(
      errOf(h, signedBy(BOB), call(FRESH, false)),
      'SubtensorModule.NonAssociatedColdKey',
    );
    assert.equal(
      errOf(h, signedBy(BOB), call(HB, false)),
      'SubtensorModule.HotKeyNotRegisteredInSubNet',
    );
    assert.equal(S.AutoParentDelegationEnabled.get(h.state, HB), true);
    h.edit((ov) => S.Uids.set(ov, 0, HB, 0));
    const events = ok(h, bob, sub(call(HB, false)));
    assert.deepEqual(events, [
      { type: 'AutoParentDelegationEnabledSet', value: { hotkey: HB, enabled: false } },
    ]);
    assert.equal(S.AutoParentDelegationEnabled.get(h.state, HB), false);
    ok(h, bob, sub(call(HB, true)));
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
    assert.equal(errOf(h, signedBy(BOB), enable()), 'BadOrigin');
    assert.equal(errOf(h, NONE, enable()), 'BadOrigin');
    assert.equal(errOf(h, signedBy(BOB), disable()), 'BadOrigin');
    assert.equal(
      errOf(h, signedBy(ALICE), disable()),
      'SubtensorModule.VotingPowerTrackingNotEnabled',
    );
    // Owner enables.
    assert.deepEqual(ok(h, alice, sub(enable())), [
      { type: 'VotingPowerTrackingEnabled', value: { netuid: NET } },
    ]);
    assert.equal(S.VotingPowerTrackingEnabled.get(h.state, NET), true);
    // Owner schedules the disable: now + 100 800.
    const at = BigInt(h.number + 1) + 100_800n;
    assert.deepEqual(ok(h, alice, sub(disable())), [
      { type: 'VotingPowerTrackingDisableScheduled', value: { netuid: NET, disable_at_block: at } },
    ]);
    assert.equal(S.VotingPowerDisableAtBlock.get(h.state, NET), at);
    assert.equal(S.VotingPowerTrackingEnabled.get(h.state, NET), true);
    // Root re-enables, which clears the schedule.
    const r = direct(h, ROOT, enable());
    assert.equal(r.error, undefined);
    assert.equal(S.VotingPowerDisableAtBlock.tryGet(h.state, NET), undefined);
    // No subnet-exists check upstream: root may enable an unknown netuid.
    assert.equal(direct(h, ROOT, enable(77)).error, undefined);
    assert.equal(S.VotingPowerTrackingEnabled.get(h.state, 77), true);
  });

  it('sudo_set_voting_power_ema_alpha: root only, alpha ≤ 1e18', () => {
    const h = world();
    const call = (alpha: bigint): SubtensorCall => ({
      type: 'sudo_set_voting_power_ema_alpha',
      value: { netuid: NET, alpha },
    });
    assert.equal(errOf(h, signedBy(ALICE), call(1n)), 'BadOrigin');
    assert.equal(
      errOf(h, ROOT, call(MAX_VOTING_POWER_EMA_ALPHA + 1n)),
      'SubtensorModule.InvalidVotingPowerEmaAlpha',
    );
    const r = direct(h, ROOT, call(MAX_VOTING_POWER_EMA_ALPHA));
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
    const events = ok(h, bob, sub(call(10n * TAO)));
    const added = events.find((e) => (e as { type: string }).type === 'StakeAdded') as {
      value: [Uint8Array, Uint8Array, bigint, bigint, number, bigint];
    };
    const alpha = added.value[3];
    assert.ok(alpha > 0n);
    assert.deepEqual(events.slice(-2), [
      { type: 'AlphaBurned', value: [BOB, HB, alpha, NET] },
      { type: 'AddStakeBurn', value: { netuid: NET, hotkey: HB, amount: 10n * TAO, alpha } },
    ]);
    assert.equal(stakeOf(new Overlay(h.state), HB, BOB, NET), 0n);
    // Burn keeps SubnetAlphaOut (the alpha stays counted as issued).
    assert.equal(S.SubnetAlphaOut.get(h.state, NET), outBefore + alpha);
    let sum = 0n;
    for (const k of h.state.keys(System.Account.partialKey()))
      sum += System.Account.get(h.state, System.Account.decodeKey(k)[0]).data.free;
    assert.equal(sum, Balances.TotalIssuance.get(h.state));
  });

  it('fails as add_stake / add_stake_limit fail, leaving state untouched', () => {
    const h = world();
    assert.equal(errOf(h, ROOT, call(10n * TAO)), 'BadOrigin');
    assert.equal(
      errOf(h, signedBy(BOB), call(10n * TAO, undefined, HB, 9)),
      'SubtensorModule.SubnetNotExists',
    );
    assert.equal(errOf(h, signedBy(BOB), call(1n)), 'SubtensorModule.AmountTooLow');
    assert.equal(
      errOf(h, signedBy(BOB), call(10n * TAO, undefined, FRESH)),
      'SubtensorModule.HotKeyAccountNotExists',
    );
    // A limit below the current price with allow_partial = false fails as add_stake_limit does.
    const limitErr = errOf(h, signedBy(BOB), {
      type: 'add_stake_limit',
      value: {
        hotkey: HB,
        netuid: NET,
        amount_staked: 10n * TAO,
        limit_price: 1n,
        allow_partial: false,
      },
    });
    assert.ok(limitErr !== undefined);
    assert.equal(errOf(h, signedBy(BOB), call(10n * TAO, 1n)), limitErr);
    // A generous limit goes through add_stake_limit.
    const r = direct(h, signedBy(BOB), call(TAO, 1_000n * TAO));
    assert.equal(r.error, undefined);
    assert.equal((r.events.at(-1) as { type: string }).type, 'AddStakeBurn');
  });
});
