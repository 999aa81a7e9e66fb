import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type RuntimeCall,
  type RuntimeEvent,
  SubtensorStorage as S,
  type LockState as StoredLock,
  type SubtensorCall,
} from '@taoscript/chain-types';
import { type Keypair, keypairFromUri } from '@taoscript/crypto';
import { type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import { type DispatchContext, describeDispatchError, type Origin } from '../dispatch.js';
import { Overlay } from '../state.js';
import { dispatchSubtensorPallet } from './dispatch.js';
import { type LockState, mergeLocks, reduceLock, rollForwardLock } from './math/lock.js';
import { stakeOf } from './share-pool.js';
import { availableToUnstake, totalColdkeyAlphaOnSubnet } from './staking.js';
import './index.js';
import {
  addStake,
  alice,
  bob,
  burnedRegister,
  charlie,
  dave,
  registerSubnet,
  startSubnet,
  sub,
  submitFails,
  submitOk,
  subtensorEvents,
  TAO,
} from '../../test/subtensor-fixtures.js';

const BOB = bob.publicKey;
/** Subnet 1's owner hotkey (Alice's). */
const OWNER_HOT = keypairFromUri('//LocksOwnerHot').publicKey;
/** Two hotkeys of Bob's and one of Charlie's, all registered on subnet 1. */
const HB = keypairFromUri('//LocksBobHot').publicKey;
const HB2 = keypairFromUri('//LocksBobHot2').publicKey;
const HC = keypairFromUri('//LocksCharlieHot').publicKey;
const NOBODY = keypairFromUri('//LocksUnregistered').publicKey;
const NET = 1;

const lockStake = (hotkey: Uint8Array, amount: bigint, netuid = NET): RuntimeCall =>
  sub({ type: 'lock_stake', value: { hotkey, netuid, amount } });
const moveLock = (destination_hotkey: Uint8Array, netuid = NET): RuntimeCall =>
  sub({ type: 'move_lock', value: { destination_hotkey, netuid } });
const setPerpetual = (enabled: boolean, netuid = NET): RuntimeCall =>
  sub({ type: 'set_perpetual_lock', value: { netuid, enabled } });
const setReject = (enabled: boolean): RuntimeCall =>
  sub({ type: 'set_reject_locked_alpha', value: { enabled } });
const removeStake = (hotkey: Uint8Array, amount: bigint): RuntimeCall =>
  sub({ type: 'remove_stake', value: { hotkey, netuid: NET, amount_unstaked: amount } });

/** Submits a call that must succeed (no issuance check); returns its SubtensorModule payloads. */
const ok = (h: RuntimeHarness, signer: Keypair, call: RuntimeCall) =>
  subtensorEvents(submitOk(h, signer, call, { issuance: false }));

/** Dispatches straight to the handler with an arbitrary origin (for the origin checks). */
function direct(h: RuntimeHarness, origin: Origin, c: SubtensorCall): string | undefined {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  const ctx: DispatchContext = {
    state: ov,
    blockNumber: h.number + 1,
    author: undefined,
    deposit: (e) => events.push(e),
  };
  const out = dispatchSubtensorPallet(ctx, origin, { type: 'SubtensorModule', value: c });
  assert.equal(ov.changes().size, 0, 'no writes');
  assert.deepEqual(events, []);
  return out.ok ? undefined : describeDispatchError(out.error);
}

const fromStored = (l: StoredLock | undefined): LockState | undefined =>
  l && { lockedMass: l.locked_mass, conviction: l.conviction, lastUpdate: l.last_update };

function params(h: RuntimeHarness, ownerLock: boolean, perpetualLock: boolean) {
  return {
    unlockRate: S.UnlockRate.get(h.state),
    maturityRate: S.MaturityRate.get(h.state),
    ownerLock,
    perpetualLock,
  };
}

const lockOf = (h: RuntimeHarness, cold: Uint8Array, hot: Uint8Array) =>
  fromStored(S.Lock.tryGet(h.state, cold, NET, hot));
const bobAlpha = (h: RuntimeHarness) => totalColdkeyAlphaOnSubnet(new Overlay(h.state), BOB, NET);
const available = (h: RuntimeHarness, at = h.number + 1) =>
  availableToUnstake(new Overlay(h.state), BOB, NET, BigInt(at));

/**
 * Subnet 1 registered and started by Alice through the calls; Bob's HB, HB2 and Charlie's HC
 * burned-registered on it; Bob stakes 100 TAO on HB.
 */
function world(): RuntimeHarness {
  const h = runtimeHarness();
  const quiet = { issuance: false };
  registerSubnet(h, alice, OWNER_HOT, quiet);
  startSubnet(h, alice, NET, quiet);
  for (const [kp, hot] of [
    [bob, HB],
    [bob, HB2],
    [charlie, HC],
  ] as const)
    burnedRegister(h, kp, NET, hot, quiet);
  addStake(h, bob, HB, NET, 100n * TAO, quiet);
  assert.ok(bobAlpha(h) > 10n * TAO, 'Bob holds alpha on subnet 1');
  return h;
}

describe('lock_stake', () => {
  it('walks every precondition to its error, leaving state untouched', () => {
    const h = world();
    const total = bobAlpha(h);
    assert.equal(
      direct(
        h,
        { type: 'None' },
        { type: 'lock_stake', value: { hotkey: HB, netuid: NET, amount: 1n } },
      ),
      'BadOrigin',
    );
    assert.equal(
      direct(
        h,
        { type: 'Root' },
        { type: 'lock_stake', value: { hotkey: HB, netuid: NET, amount: 1n } },
      ),
      'BadOrigin',
    );
    // The amount is checked before the hotkey.
    submitFails(h, bob, lockStake(NOBODY, 0n), 'SubtensorModule.AmountTooLow');
    submitFails(h, bob, lockStake(NOBODY, TAO), 'SubtensorModule.HotKeyAccountNotExists');
    submitFails(h, bob, lockStake(HB, total + 1n), 'SubtensorModule.InsufficientStakeForLock');
    // No subnet check upstream: an unknown subnet has no stake to lock.
    submitFails(h, bob, lockStake(HB, 1n, 99), 'SubtensorModule.InsufficientStakeForLock');
    // Charlie has no alpha at all.
    submitFails(h, charlie, lockStake(HC, 1n), 'SubtensorModule.InsufficientStakeForLock');
    ok(h, bob, lockStake(HB, total / 2n));
    submitFails(h, bob, lockStake(HC, 1n), 'SubtensorModule.LockHotkeyMismatch');
    submitFails(h, bob, lockStake(HB2, 1n), 'SubtensorModule.LockHotkeyMismatch');
    // Top-up: the rolled mass plus the amount must fit in the total.
    const rolled = rollForwardLock(
      lockOf(h, BOB, HB) as LockState,
      BigInt(h.number + 1),
      params(h, false, false),
    ).lock;
    submitFails(
      h,
      bob,
      lockStake(HB, total - rolled.lockedMass + 1n),
      'SubtensorModule.InsufficientStakeForLock',
    );
  });

  it('creates a lock with zero conviction, indexes it and adds to the decaying hotkey bucket', () => {
    const h = world();
    const amount = 40n * TAO;
    const events = ok(h, bob, lockStake(HB, amount));
    const t = BigInt(h.number);
    assert.deepEqual(events, [
      { type: 'StakeLocked', value: { coldkey: BOB, hotkey: HB, netuid: NET, amount } },
    ]);
    const fresh = { lockedMass: amount, conviction: 0n, lastUpdate: t };
    assert.deepEqual(lockOf(h, BOB, HB), fresh);
    assert.equal(S.LockingColdkeys.tryGet(h.state, NET, HB, BOB), null);
    assert.deepEqual(fromStored(S.DecayingHotkeyLock.tryGet(h.state, NET, HB)), fresh);
    assert.equal(S.HotkeyLock.tryGet(h.state, NET, HB), undefined);
    assert.equal(S.OwnerLock.tryGet(h.state, NET), undefined);
    assert.equal(S.DecayingOwnerLock.tryGet(h.state, NET), undefined);
  });

  it('tops up after rolling the lock and its bucket forward', () => {
    const h = world();
    h.edit((ov) => {
      S.UnlockRate.set(ov, 1_000n);
      S.MaturityRate.set(ov, 500n);
    });
    ok(h, bob, lockStake(HB, 30n * TAO));
    const first = lockOf(h, BOB, HB) as LockState;
    const agg0 = fromStored(S.DecayingHotkeyLock.get(h.state, NET, HB)) as LockState;
    for (let i = 0; i < 20; i++) h.block();
    const events = ok(h, bob, lockStake(HB, 5n * TAO));
    const t = BigInt(h.number);
    assert.deepEqual(events, [
      { type: 'StakeLocked', value: { coldkey: BOB, hotkey: HB, netuid: NET, amount: 5n * TAO } },
    ]);
    const p = params(h, false, false);
    const r = rollForwardLock(first, t, p);
    assert.ok(r.lock.lockedMass < 30n * TAO, 'the mass decayed over 21 blocks');
    assert.ok(r.lock.conviction > 0n, 'conviction matured');
    const expected = { ...r.lock, lockedMass: r.lock.lockedMass + 5n * TAO };
    assert.deepEqual(lockOf(h, BOB, HB), expected);
    // The bucket loses the lock's decay, then gains the new mass with zero conviction.
    const agg = mergeLocks(
      { ...reduceLock(agg0, r.lockedMassDelta, r.convictionDelta), lastUpdate: t },
      { lockedMass: 5n * TAO, conviction: 0n, lastUpdate: t },
    );
    assert.deepEqual(fromStored(S.DecayingHotkeyLock.get(h.state, NET, HB)), agg);
  });

  it('a lock on the subnet owner hotkey has full conviction at once (owner bucket)', () => {
    const h = world();
    ok(
      h,
      bob,
      sub({
        type: 'add_stake',
        value: { hotkey: OWNER_HOT, netuid: NET, amount_staked: 10n * TAO },
      }),
    );
    const amount = 3n * TAO;
    ok(h, bob, lockStake(OWNER_HOT, amount));
    const t = BigInt(h.number);
    const full = { lockedMass: amount, conviction: amount << 64n, lastUpdate: t };
    assert.deepEqual(lockOf(h, BOB, OWNER_HOT), full);
    assert.deepEqual(fromStored(S.DecayingOwnerLock.tryGet(h.state, NET)), full);
    assert.equal(S.DecayingHotkeyLock.tryGet(h.state, NET, OWNER_HOT), undefined);
  });

  it('holds back remove_stake (StakeUnavailable) until the lock decays', () => {
    const h = world();
    h.edit((ov) => S.UnlockRate.set(ov, 50n));
    const total = bobAlpha(h);
    ok(h, bob, lockStake(HB, total - 10n * TAO));
    const lock = lockOf(h, BOB, HB) as LockState;
    assert.equal(available(h, h.number), 10n * TAO);
    // Anything past the unlocked part fails; it is the subnet-wide lock that stops it.
    submitFails(h, bob, removeStake(HB, 20n * TAO), 'SubtensorModule.StakeUnavailable');
    ok(h, bob, removeStake(HB, 2n * TAO));
    // Decay over authored blocks frees more alpha, exactly as the roll-forward says.
    for (let i = 0; i < 40; i++) h.block();
    const at = BigInt(h.number + 1);
    const rolled = rollForwardLock(lock, at, params(h, false, false)).lock;
    assert.ok(rolled.lockedMass < lock.lockedMass / 2n, 'more than half unlocked');
    const totalNow = bobAlpha(h);
    assert.equal(available(h), totalNow - rolled.lockedMass);
    ok(h, bob, removeStake(HB, 20n * TAO));
    assert.equal(bobAlpha(h), totalNow - 20n * TAO);
  });
});

describe('move_lock', () => {
  function locked(): RuntimeHarness {
    const h = world();
    ok(h, bob, lockStake(HB, 40n * TAO));
    for (let i = 0; i < 10; i++) h.block();
    return h;
  }

  it('walks every precondition to its error', () => {
    const h = world();
    assert.equal(
      direct(
        h,
        { type: 'None' },
        { type: 'move_lock', value: { destination_hotkey: HC, netuid: NET } },
      ),
      'BadOrigin',
    );
    assert.equal(
      direct(
        h,
        { type: 'Root' },
        { type: 'move_lock', value: { destination_hotkey: HC, netuid: NET } },
      ),
      'BadOrigin',
    );
    // The hotkey is checked before the lock.
    submitFails(h, bob, moveLock(NOBODY), 'SubtensorModule.HotKeyAccountNotExists');
    submitFails(h, bob, moveLock(HC), 'SubtensorModule.NoExistingLock');
    ok(h, bob, lockStake(HB, TAO));
    submitFails(h, bob, moveLock(NOBODY), 'SubtensorModule.HotKeyAccountNotExists');
    submitFails(h, bob, moveLock(HC, 99), 'SubtensorModule.NoExistingLock');
    submitFails(h, charlie, moveLock(HB), 'SubtensorModule.NoExistingLock');
  });

  it("to another owner's hotkey: mass kept (rolled), conviction reset, buckets moved", () => {
    const h = locked();
    const before = lockOf(h, BOB, HB) as LockState;
    const events = ok(h, bob, moveLock(HC));
    const t = BigInt(h.number);
    assert.deepEqual(events, [
      {
        type: 'LockMoved',
        value: { coldkey: BOB, origin_hotkey: HB, destination_hotkey: HC, netuid: NET },
      },
    ]);
    const rolled = rollForwardLock(before, t, params(h, false, false)).lock;
    assert.ok(rolled.conviction > 0n);
    const moved = { ...rolled, conviction: 0n };
    assert.equal(S.Lock.tryGet(h.state, BOB, NET, HB), undefined);
    assert.equal(S.LockingColdkeys.tryGet(h.state, NET, HB, BOB), undefined);
    assert.deepEqual(lockOf(h, BOB, HC), moved);
    assert.equal(S.LockingColdkeys.tryGet(h.state, NET, HC, BOB), null);
    // HB's bucket held only Bob's lock: rolled and emptied, so removed.
    assert.equal(S.DecayingHotkeyLock.tryGet(h.state, NET, HB), undefined);
    assert.deepEqual(fromStored(S.DecayingHotkeyLock.tryGet(h.state, NET, HC)), moved);
    // The lock now points at HC.
    submitFails(h, bob, lockStake(HB, 1n), 'SubtensorModule.LockHotkeyMismatch');
    ok(h, bob, lockStake(HC, 1n));
  });

  it('to a hotkey of the same owner keeps the conviction', () => {
    const h = locked();
    const before = lockOf(h, BOB, HB) as LockState;
    ok(h, bob, moveLock(HB2));
    const rolled = rollForwardLock(before, BigInt(h.number), params(h, false, false)).lock;
    assert.ok(rolled.conviction > 0n);
    assert.deepEqual(lockOf(h, BOB, HB2), rolled);
    assert.deepEqual(fromStored(S.DecayingHotkeyLock.tryGet(h.state, NET, HB2)), rolled);
    assert.equal(S.Lock.tryGet(h.state, BOB, NET, HB), undefined);
  });

  it('to the subnet owner hotkey: full conviction, owner bucket', () => {
    const h = locked();
    const before = lockOf(h, BOB, HB) as LockState;
    ok(h, bob, moveLock(OWNER_HOT));
    const t = BigInt(h.number);
    const rolled = rollForwardLock(before, t, params(h, false, false)).lock;
    const owner = { ...rolled, conviction: rolled.lockedMass << 64n };
    assert.deepEqual(lockOf(h, BOB, OWNER_HOT), owner);
    assert.deepEqual(fromStored(S.DecayingOwnerLock.tryGet(h.state, NET)), owner);
    assert.equal(S.DecayingHotkeyLock.tryGet(h.state, NET, HB), undefined);
  });
});

describe('set_perpetual_lock', () => {
  it('needs a signed origin', () => {
    const h = world();
    const c: SubtensorCall = { type: 'set_perpetual_lock', value: { netuid: NET, enabled: true } };
    assert.equal(direct(h, { type: 'None' }, c), 'BadOrigin');
    assert.equal(direct(h, { type: 'Root' }, c), 'BadOrigin');
  });

  it('without a lock only flips the flag (any netuid, as upstream) and emits', () => {
    const h = world();
    assert.deepEqual(ok(h, charlie, setPerpetual(true, 77)), [
      {
        type: 'PerpetualLockUpdated',
        value: { coldkey: charlie.publicKey, netuid: 77, enabled: true },
      },
    ]);
    assert.equal(S.DecayingLock.tryGet(h.state, charlie.publicKey, 77), false);
    ok(h, charlie, setPerpetual(false, 77));
    assert.equal(S.DecayingLock.tryGet(h.state, charlie.publicKey, 77), undefined);
  });

  it('moves the rolled lock between buckets; a perpetual lock does not unlock', () => {
    const h = world();
    h.edit((ov) => {
      S.UnlockRate.set(ov, 100n);
      S.MaturityRate.set(ov, 300n);
    });
    ok(h, bob, lockStake(HB, 40n * TAO));
    const first = lockOf(h, BOB, HB) as LockState;
    for (let i = 0; i < 5; i++) h.block();
    const events = ok(h, bob, setPerpetual(true));
    const t = BigInt(h.number);
    assert.deepEqual(events, [
      { type: 'PerpetualLockUpdated', value: { coldkey: BOB, netuid: NET, enabled: true } },
    ]);
    assert.equal(S.DecayingLock.tryGet(h.state, BOB, NET), false);
    const rolled = rollForwardLock(first, t, params(h, false, false)).lock;
    assert.deepEqual(lockOf(h, BOB, HB), rolled);
    assert.equal(S.DecayingHotkeyLock.tryGet(h.state, NET, HB), undefined);
    assert.deepEqual(fromStored(S.HotkeyLock.tryGet(h.state, NET, HB)), rolled);
    // Perpetual: the mass stays, the conviction keeps maturing toward it.
    for (let i = 0; i < 50; i++) h.block();
    const at = BigInt(h.number + 1);
    const later = rollForwardLock(rolled, at, params(h, false, true)).lock;
    assert.equal(later.lockedMass, rolled.lockedMass);
    assert.ok(later.conviction > rolled.conviction);
    assert.equal(available(h), bobAlpha(h) - rolled.lockedMass);
    submitFails(
      h,
      bob,
      removeStake(HB, bobAlpha(h) - rolled.lockedMass + TAO),
      'SubtensorModule.StakeUnavailable',
    );
    // Setting the same value again keeps the bucket (only the roll) and still emits.
    ok(h, bob, setPerpetual(true));
    const t2 = BigInt(h.number);
    const rolled2 = rollForwardLock(rolled, t2, params(h, false, true)).lock;
    assert.deepEqual(lockOf(h, BOB, HB), rolled2);
    assert.deepEqual(fromStored(S.HotkeyLock.tryGet(h.state, NET, HB)), rolled2);
    // Back to decaying: the lock goes back to the decaying bucket.
    ok(h, bob, setPerpetual(false));
    assert.equal(S.DecayingLock.tryGet(h.state, BOB, NET), undefined);
    const t3 = BigInt(h.number);
    const rolled3 = rollForwardLock(rolled2, t3, params(h, false, true)).lock;
    assert.deepEqual(lockOf(h, BOB, HB), rolled3);
    assert.equal(S.HotkeyLock.tryGet(h.state, NET, HB), undefined);
    assert.deepEqual(fromStored(S.DecayingHotkeyLock.tryGet(h.state, NET, HB)), rolled3);
  });
});

describe('set_reject_locked_alpha', () => {
  it('needs a signed origin', () => {
    const h = world();
    const c: SubtensorCall = { type: 'set_reject_locked_alpha', value: { enabled: false } };
    assert.equal(direct(h, { type: 'None' }, c), 'BadOrigin');
    assert.equal(direct(h, { type: 'Root' }, c), 'BadOrigin');
  });

  it('clears or sets the accept bit (bit 0) only, removing an all-zero entry', () => {
    const h = world();
    const D = dave.publicKey;
    assert.deepEqual(ok(h, dave, setReject(false)), [
      { type: 'RejectLockedAlphaUpdated', value: { coldkey: D, enabled: false } },
    ]);
    assert.equal(S.AccountFlags.tryGet(h.state, D), 1n);
    assert.deepEqual(ok(h, dave, setReject(true)), [
      { type: 'RejectLockedAlphaUpdated', value: { coldkey: D, enabled: true } },
    ]);
    assert.equal(S.AccountFlags.tryGet(h.state, D), undefined);
    h.edit((ov) => S.AccountFlags.set(ov, D, 6n));
    ok(h, dave, setReject(false));
    assert.equal(S.AccountFlags.tryGet(h.state, D), 7n);
    ok(h, dave, setReject(true));
    assert.equal(S.AccountFlags.tryGet(h.state, D), 6n);
  });

  it('decides whether transfer_stake may hand locked alpha to the account', () => {
    const h = world();
    const D = dave.publicKey;
    h.edit((ov) => S.DecayingLock.set(ov, BOB, NET, false)); // perpetual: no decay between blocks
    const total = bobAlpha(h);
    ok(h, bob, lockStake(HB, total - TAO));
    const transfer = sub({
      type: 'transfer_stake',
      value: {
        destination_coldkey: D,
        hotkey: HB,
        origin_netuid: NET,
        destination_netuid: NET,
        alpha_amount: 3n * TAO,
      },
    });
    submitFails(h, bob, transfer, 'SubtensorModule.AccountRejectsLockedAlpha');
    ok(h, dave, setReject(false));
    ok(h, bob, transfer);
    // One unlocked TAO went first; the other two dragged lock mass along to Dave.
    assert.equal(lockOf(h, D, HB)?.lockedMass, 2n * TAO);
    assert.equal(stakeOf(new Overlay(h.state), HB, D, NET), 3n * TAO);
  });
});
