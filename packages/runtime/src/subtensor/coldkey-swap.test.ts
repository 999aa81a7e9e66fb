import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  type RuntimeCall,
  type RuntimeEvent,
  SubtensorStorage as S,
  type SubtensorCall,
  System,
} from '@taoscript/chain-types';
import { blake2_256, bytesEqual } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import { type DispatchContext, describeDispatchError, type Origin } from '../dispatch.js';
import { Overlay } from '../state.js';
import {
  CALLS_ALLOWED_DURING_COLDKEY_SWAP,
  coldkeyHash,
  coldkeySwapGuard,
  hasActiveLock,
  KEY_SWAP_COST,
} from './coldkey-swap.js';
import { dispatchSubtensorPallet, handlers } from './dispatch.js';
import { stakeOf } from './share-pool.js';

const TAO = 1_000_000_000n;
const ALICE = devKeypair('Alice').publicKey;
const BOB = devKeypair('Bob').publicKey;
const CHARLIE = devKeypair('Charlie').publicKey;
const OWNER_HOT = keypairFromUri('//CkOwnerHot').publicKey; // Bob's subnet-1 owner hotkey
const H = keypairFromUri('//CkHot').publicKey; // Bob's hotkey, registered on subnet 1
const NEW = keypairFromUri('//CkNew').publicKey; // fresh
const POOR = keypairFromUri('//CkPoor').publicKey; // holds 0.05 TAO
const DELAY = 36_000;
const REDELAY = 7_200;

type Who = Uint8Array | 'root';
function call(h: RuntimeHarness, who: Who, c: SubtensorCall, block: number) {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  const ctx: DispatchContext = {
    state: ov,
    blockNumber: block,
    author: ALICE,
    deposit: (e) => events.push(e),
  };
  const origin: Origin = who === 'root' ? { type: 'Root' } : { type: 'Signed', who };
  const out = dispatchSubtensorPallet(ctx, origin, { type: 'SubtensorModule', value: c });
  h.state.apply(ov.changes());
  return { error: out.ok ? undefined : describeDispatchError(out.error), events };
}
function rejects(h: RuntimeHarness, who: Who, c: SubtensorCall, error: string, block: number) {
  const before = new Map(h.state.map);
  const r = call(h, who, c, block);
  assert.equal(r.error, error);
  assert.deepEqual(r.events, []);
  assert.deepEqual(h.state.map, before);
}
function succeeds(h: RuntimeHarness, who: Who, c: SubtensorCall, block: number) {
  const r = call(h, who, c, block);
  assert.equal(r.error, undefined);
  return r.events;
}
const sub = (events: RuntimeEvent[]) =>
  events.flatMap((e) => (e.type === 'SubtensorModule' ? [e.value] : []));

const announce = (newColdkey: Uint8Array): SubtensorCall => ({
  type: 'announce_coldkey_swap',
  value: { new_coldkey_hash: coldkeyHash(newColdkey) },
});
const swapAnnounced = (new_coldkey: Uint8Array): SubtensorCall => ({
  type: 'swap_coldkey_announced',
  value: { new_coldkey },
});
const DISPUTE: SubtensorCall = { type: 'dispute_coldkey_swap' };
const CLEAR: SubtensorCall = { type: 'clear_coldkey_swap_announcement' };
const reset = (coldkey: Uint8Array): SubtensorCall => ({
  type: 'reset_coldkey_swap',
  value: { coldkey },
});
const rootSwap = (old: Uint8Array, nw: Uint8Array, cost: bigint): SubtensorCall => ({
  type: 'swap_coldkey',
  value: { old_coldkey: old, new_coldkey: nw, swap_cost: cost },
});
const addStake = (hotkey: Uint8Array, netuid: number, amount: bigint): SubtensorCall => ({
  type: 'add_stake',
  value: { hotkey, netuid, amount_staked: amount },
});

const freeSum = (h: RuntimeHarness): bigint => {
  let sum = 0n;
  for (const k of h.state.keys(System.Account.partialKey()))
    sum += System.Account.get(h.state, System.Account.decodeKey(k)[0]).data.free;
  return sum;
};
const pos = (h: RuntimeHarness, hot: Uint8Array, cold: Uint8Array, n: number) =>
  stakeOf(new Overlay(h.state), hot, cold, n);
const has = (list: Uint8Array[], x: Uint8Array) => list.some((y) => bytesEqual(x, y));
const IDENTITY = {
  name: new TextEncoder().encode('bob'),
  url: new Uint8Array(),
  github_repo: new Uint8Array(),
  image: new Uint8Array(),
  discord: new Uint8Array(),
  description: new Uint8Array(),
  additional: new Uint8Array(),
};

/**
 * Subnet 1 owned by Bob (owner hotkey OWNER_HOT); Bob's hotkey H registered there with stake from
 * Bob and Charlie; Bob stakes on root too, locks alpha to H, has an identity and an auto-stake hotkey.
 */
function world(): RuntimeHarness {
  const h = runtimeHarness({
    genesis: { subtensor: { subnets: [{ coldkey: BOB, hotkey: OWNER_HOT }] } },
  });
  h.edit((ov) => {
    const acct = System.Account.get(ov, POOR);
    System.Account.set(ov, POOR, {
      ...acct,
      providers: 1,
      data: { ...acct.data, free: TAO / 20n },
    });
    Balances.TotalIssuance.set(ov, Balances.TotalIssuance.get(ov) + TAO / 20n);
  });
  const b = h.number + 1;
  succeeds(h, BOB, { type: 'burned_register', value: { netuid: 1, hotkey: H } }, b);
  succeeds(h, BOB, addStake(H, 1, 10n * TAO), b);
  succeeds(h, CHARLIE, addStake(H, 1, 5n * TAO), b);
  succeeds(h, BOB, addStake(H, 0, 3n * TAO), b);
  const alpha = pos(h, H, BOB, 1);
  succeeds(h, BOB, { type: 'lock_stake', value: { hotkey: H, netuid: 1, amount: alpha / 2n } }, b);
  h.edit((ov) => {
    S.IdentitiesV2.set(ov, BOB, IDENTITY);
    S.AutoStakeDestination.set(ov, BOB, 1, H);
    S.AutoStakeDestinationColdkeys.set(ov, H, 1, [BOB]);
    S.RootClaimed.set(ov, 0, H, BOB, 77n);
  });
  return h;
}

describe('coldkeySwapGuard', () => {
  const h = world();
  const st = () => new Overlay(h.state);
  const stake: RuntimeCall = { type: 'SubtensorModule', value: addStake(H, 1, TAO) };
  const transfer: RuntimeCall = {
    type: 'Balances',
    value: {
      type: 'transfer_keep_alive',
      value: { dest: { type: 'Id', value: ALICE }, value: 1n },
    },
  };
  it('lets everything through without an announcement', () => {
    assert.equal(coldkeySwapGuard(st(), BOB, stake), undefined);
    assert.equal(coldkeySwapGuard(st(), BOB, transfer), undefined);
  });
  it('rejects malformed input', () => {
    assert.throws(() => coldkeySwapGuard(st(), 'bob' as unknown as Uint8Array, stake), TypeError);
    assert.throws(() => coldkeySwapGuard(st(), new Uint8Array(31), stake), RangeError);
    assert.throws(() => coldkeySwapGuard(st(), BOB, null as unknown as RuntimeCall), TypeError);
  });
  it('with an announcement, allows only the swap calls', () => {
    h.edit((ov) => S.ColdkeySwapAnnouncements.set(ov, BOB, [100, coldkeyHash(NEW)]));
    const name = (e: ReturnType<typeof coldkeySwapGuard>) => e && describeDispatchError(e);
    assert.equal(name(coldkeySwapGuard(st(), BOB, stake)), 'SubtensorModule.ColdkeySwapAnnounced');
    assert.equal(
      name(coldkeySwapGuard(st(), BOB, transfer)),
      'SubtensorModule.ColdkeySwapAnnounced',
    );
    assert.equal(
      name(coldkeySwapGuard(st(), BOB, { type: 'SubtensorModule', value: reset(BOB) })),
      'SubtensorModule.ColdkeySwapAnnounced',
    );
    for (const c of [announce(NEW), swapAnnounced(NEW), DISPUTE, CLEAR]) {
      assert.ok(CALLS_ALLOWED_DURING_COLDKEY_SWAP.has(c.type));
      assert.equal(coldkeySwapGuard(st(), BOB, { type: 'SubtensorModule', value: c }), undefined);
    }
    assert.equal(coldkeySwapGuard(st(), CHARLIE, stake), undefined);
  });
  it('with a dispute, refuses everything', () => {
    h.edit((ov) => S.ColdkeySwapDisputes.set(ov, BOB, 5));
    for (const c of [stake, transfer, { type: 'SubtensorModule', value: CLEAR } as RuntimeCall]) {
      const e = coldkeySwapGuard(st(), BOB, c);
      assert.equal(e && describeDispatchError(e), 'SubtensorModule.ColdkeySwapDisputed');
    }
  });
  it('a dispute without an announcement does not block', () => {
    h.edit((ov) => S.ColdkeySwapAnnouncements.remove(ov, BOB));
    assert.equal(coldkeySwapGuard(st(), BOB, stake), undefined);
  });
});

describe('announce_coldkey_swap', () => {
  it('rejects a non-signed origin and a malformed hash', () => {
    const h = world();
    rejects(h, 'root', announce(NEW), 'BadOrigin', 10);
    const bad = { type: 'announce_coldkey_swap', value: { new_coldkey_hash: new Uint8Array(31) } };
    assert.throws(() => call(h, BOB, bad as SubtensorCall, 10), RangeError);
    assert.throws(() => coldkeyHash(new Uint8Array(33)), RangeError);
  });
  it('charges KeySwapCost once; the balance must cover it keeping the existential deposit', () => {
    const h = world();
    rejects(h, POOR, announce(NEW), 'SubtensorModule.NotEnoughBalanceToPaySwapColdKey', 10);
    const free = h.free(BOB);
    const issuance = Balances.TotalIssuance.get(h.state);
    const stIssuance = S.TotalIssuance.get(h.state);
    const events = succeeds(h, BOB, announce(NEW), 10);
    assert.deepEqual(sub(events), [
      { type: 'ColdkeySwapAnnounced', value: { who: BOB, new_coldkey_hash: blake2_256(NEW) } },
    ]);
    assert.ok(
      events.some(
        (e) =>
          e.type === 'Balances' &&
          e.value.type === 'Withdraw' &&
          e.value.value.amount === KEY_SWAP_COST,
      ),
    );
    assert.equal(h.free(BOB), free - KEY_SWAP_COST);
    assert.equal(Balances.TotalIssuance.get(h.state), issuance - KEY_SWAP_COST);
    assert.equal(S.TotalIssuance.get(h.state), stIssuance - KEY_SWAP_COST);
    assert.equal(freeSum(h), Balances.TotalIssuance.get(h.state));
    assert.deepEqual(S.ColdkeySwapAnnouncements.tryGet(h.state, BOB), [
      10 + DELAY,
      blake2_256(NEW),
    ]);

    // Re-announcing: only once `when + ColdkeySwapReannouncementDelay` is reached, and free.
    const when = 10 + DELAY;
    rejects(
      h,
      BOB,
      announce(CHARLIE),
      'SubtensorModule.ColdkeySwapReannouncedTooEarly',
      when + REDELAY - 1,
    );
    const free2 = h.free(BOB);
    succeeds(h, BOB, announce(CHARLIE), when + REDELAY);
    assert.equal(h.free(BOB), free2);
    assert.deepEqual(S.ColdkeySwapAnnouncements.tryGet(h.state, BOB), [
      when + REDELAY + DELAY,
      blake2_256(CHARLIE),
    ]);
  });
  it('uses the stored delays', () => {
    const h = world();
    h.edit((ov) => S.ColdkeySwapAnnouncementDelay.set(ov, 50));
    succeeds(h, BOB, announce(NEW), 10);
    assert.equal(S.ColdkeySwapAnnouncements.get(h.state, BOB)?.[0], 60);
  });
});

describe('swap_coldkey_announced preconditions', () => {
  it('walks each check to its error; failures leave state as it was', () => {
    const h = world();
    rejects(h, 'root', swapAnnounced(NEW), 'BadOrigin', 10);
    assert.throws(() => call(h, BOB, swapAnnounced(new Uint8Array(5)), 10), RangeError);
    rejects(h, BOB, swapAnnounced(NEW), 'SubtensorModule.ColdkeySwapAnnouncementNotFound', 10);
    succeeds(h, BOB, announce(NEW), 10);
    const when = 10 + DELAY;
    rejects(
      h,
      BOB,
      swapAnnounced(CHARLIE),
      'SubtensorModule.AnnouncedColdkeyHashDoesNotMatch',
      when,
    );
    rejects(h, BOB, swapAnnounced(NEW), 'SubtensorModule.ColdkeySwapTooEarly', when - 1);

    // The new coldkey already stakes.
    h.edit((ov) => S.StakingHotkeys.set(ov, NEW, [H]));
    rejects(h, BOB, swapAnnounced(NEW), 'SubtensorModule.ColdKeyAlreadyAssociated', when);
    // The new coldkey is a hotkey.
    h.edit((ov) => {
      S.StakingHotkeys.remove(ov, NEW);
      S.Owner.set(ov, NEW, CHARLIE);
    });
    rejects(h, BOB, swapAnnounced(NEW), 'SubtensorModule.NewColdKeyIsHotkey', when);
    // The new coldkey holds an active lock.
    h.edit((ov) => {
      S.Owner.remove(ov, NEW);
      S.Lock.set(ov, NEW, 1, H, { locked_mass: 5n * TAO, conviction: 0n, last_update: 10n });
    });
    assert.ok(hasActiveLock(new Overlay(h.state), NEW, BigInt(when)));
    rejects(h, BOB, swapAnnounced(NEW), 'SubtensorModule.ActiveLockExists', when);
    // A lock rolled down to nothing is not active.
    h.edit((ov) =>
      S.Lock.set(ov, NEW, 1, H, { locked_mass: 0n, conviction: 1n << 64n, last_update: 10n }),
    );
    assert.equal(hasActiveLock(new Overlay(h.state), NEW, BigInt(when)), false);
    assert.throws(() => hasActiveLock(new Overlay(h.state), NEW, -1n), RangeError);
  });
});

describe('swap_coldkey_announced success', () => {
  const h = world();
  succeeds(h, BOB, announce(NEW), 10);
  const when = 10 + DELAY;
  const bobFree = h.free(BOB);
  const issuance = Balances.TotalIssuance.get(h.state);
  const stakeBob1 = pos(h, H, BOB, 1);
  const stakeBob0 = pos(h, H, BOB, 0);
  const stakeCharlie = pos(h, H, CHARLIE, 1);
  const total1 = S.TotalHotkeyAlpha.get(h.state, H, 1);
  const lockBefore = S.Lock.get(h.state, BOB, 1, H);
  const ownedBefore = S.OwnedHotkeys.get(h.state, BOB);
  const stakingBefore = S.StakingHotkeys.get(h.state, BOB);
  const indexedBefore = S.NumStakingColdkeys.get(h.state);
  const events = succeeds(h, BOB, swapAnnounced(NEW), when);

  it('emits ColdkeySwapped and consumes the announcement', () => {
    assert.deepEqual(sub(events), [
      { type: 'ColdkeySwapped', value: { old_coldkey: BOB, new_coldkey: NEW } },
    ]);
    assert.equal(S.ColdkeySwapAnnouncements.tryGet(h.state, BOB), undefined);
    assert.equal(S.ColdkeySwapAnnouncements.tryGet(h.state, NEW), undefined);
  });
  it('moves the whole free balance (the old account is reaped), conserving TAO', () => {
    assert.equal(h.free(NEW), bobFree);
    assert.equal(h.free(BOB), 0n);
    assert.equal(Balances.TotalIssuance.get(h.state), issuance);
    assert.equal(freeSum(h), Balances.TotalIssuance.get(h.state));
  });
  it('moves stake positions; the pools are unchanged', () => {
    assert.ok(stakeBob1 > 0n && stakeBob0 > 0n);
    assert.equal(pos(h, H, NEW, 1), stakeBob1);
    assert.equal(pos(h, H, NEW, 0), stakeBob0);
    assert.equal(pos(h, H, BOB, 1), 0n);
    assert.equal(pos(h, H, BOB, 0), 0n);
    assert.equal(pos(h, H, CHARLIE, 1), stakeCharlie);
    assert.equal(S.TotalHotkeyAlpha.get(h.state, H, 1), total1);
    assert.equal(S.AlphaV2.tryGet(h.state, H, BOB, 1), undefined);
  });
  it('moves ownership, staking hotkeys, subnet ownership, identity, auto-stake', () => {
    assert.ok(has(ownedBefore, H) && has(ownedBefore, OWNER_HOT));
    assert.deepEqual(S.OwnedHotkeys.get(h.state, NEW), ownedBefore);
    assert.equal(S.OwnedHotkeys.tryGet(h.state, BOB), undefined);
    assert.deepEqual(S.Owner.get(h.state, H), NEW);
    assert.deepEqual(S.Owner.get(h.state, OWNER_HOT), NEW);
    assert.deepEqual([...S.StakingHotkeys.get(h.state, NEW)].sort(), [...stakingBefore].sort());
    assert.equal(S.StakingHotkeys.tryGet(h.state, BOB), undefined);
    assert.deepEqual(S.SubnetOwner.get(h.state, 1), NEW);
    assert.deepEqual(S.IdentitiesV2.tryGet(h.state, NEW), IDENTITY);
    assert.equal(S.IdentitiesV2.tryGet(h.state, BOB), undefined);
    assert.deepEqual(S.AutoStakeDestination.tryGet(h.state, NEW, 1), H);
    assert.equal(S.AutoStakeDestination.tryGet(h.state, BOB, 1), undefined);
    assert.deepEqual(S.AutoStakeDestinationColdkeys.get(h.state, H, 1), [NEW]);
  });
  it('moves the root-claim watermark and the staking-coldkey index', () => {
    assert.equal(S.RootClaimed.get(h.state, 0, H, NEW), 77n);
    assert.equal(S.RootClaimed.tryGet(h.state, 0, H, BOB), undefined);
    assert.equal(S.StakingColdkeys.tryGet(h.state, BOB), undefined);
    const idx = S.StakingColdkeys.tryGet(h.state, NEW);
    assert.ok(idx !== undefined);
    assert.deepEqual(S.StakingColdkeysByIndex.get(h.state, idx), NEW);
    assert.equal(S.NumStakingColdkeys.get(h.state), indexedBefore);
  });
  it('moves the lock, its reverse index and the account flags', () => {
    assert.equal(S.Lock.tryGet(h.state, BOB, 1, H), undefined);
    const moved = S.Lock.get(h.state, NEW, 1, H);
    assert.ok(moved && moved.locked_mass > 0n && moved.locked_mass <= lockBefore!.locked_mass);
    assert.equal(moved?.last_update, BigInt(when));
    assert.equal(S.LockingColdkeys.tryGet(h.state, 1, H, BOB), undefined);
    assert.equal(S.LockingColdkeys.tryGet(h.state, 1, H, NEW), null);
    const agg = S.DecayingHotkeyLock.get(h.state, 1, H) ?? S.HotkeyLock.get(h.state, 1, H);
    assert.equal(agg?.locked_mass, moved?.locked_mass);
    // Bob's flags were unset, so the temporary accept flag is dropped again.
    assert.equal(S.AccountFlags.tryGet(h.state, NEW), undefined);
    assert.equal(S.AccountFlags.tryGet(h.state, BOB), undefined);
  });
  it('stamps the new coldkey last transaction block', () => {
    assert.equal(
      S.LastRateLimitedBlock.get(h.state, { type: 'LastTxBlock', value: NEW }),
      BigInt(when),
    );
  });
  it('the old coldkey is no longer guarded; the new one can stake', () => {
    succeeds(h, NEW, addStake(H, 1, TAO), when + 1);
  });
});

describe('dispute, clear, reset', () => {
  it('dispute_coldkey_swap: not found, then disputed, then already disputed (guard)', () => {
    const h = world();
    rejects(h, 'root', DISPUTE, 'BadOrigin', 10);
    rejects(h, BOB, DISPUTE, 'SubtensorModule.ColdkeySwapAnnouncementNotFound', 10);
    succeeds(h, BOB, announce(NEW), 10);
    // While announced, other calls are refused at dispatch.
    rejects(h, BOB, addStake(H, 1, TAO), 'SubtensorModule.ColdkeySwapAnnounced', 11);
    rejects(h, BOB, reset(BOB), 'SubtensorModule.ColdkeySwapAnnounced', 11);
    const events = succeeds(h, BOB, DISPUTE, 12);
    assert.deepEqual(sub(events), [{ type: 'ColdkeySwapDisputed', value: { coldkey: BOB } }]);
    assert.equal(S.ColdkeySwapDisputes.get(h.state, BOB), 12);
    // A disputed swap refuses every call, the swap calls included.
    for (const c of [DISPUTE, CLEAR, swapAnnounced(NEW), announce(NEW), addStake(H, 1, TAO)])
      rejects(h, BOB, c, 'SubtensorModule.ColdkeySwapDisputed', 10 + DELAY + REDELAY);
    // Others are unaffected.
    succeeds(h, CHARLIE, addStake(H, 1, TAO), 13);
    // Root resets it.
    rejects(h, CHARLIE, reset(BOB), 'BadOrigin', 14);
    assert.throws(() => call(h, 'root', reset(new Uint8Array(2)), 14), RangeError);
    const r = succeeds(h, 'root', reset(BOB), 14);
    assert.deepEqual(sub(r), [{ type: 'ColdkeySwapReset', value: { who: BOB } }]);
    assert.equal(S.ColdkeySwapAnnouncements.tryGet(h.state, BOB), undefined);
    assert.equal(S.ColdkeySwapDisputes.tryGet(h.state, BOB), undefined);
    succeeds(h, BOB, addStake(H, 1, TAO), 15);
  });
  it('dispute_coldkey_swap itself refuses a second dispute (ColdkeySwapAlreadyDisputed)', () => {
    // Through dispatch the guard answers first (ColdkeySwapDisputed); the handler's own check
    // is what subtensor's call body does, so run the handler alone.
    const h = world();
    h.edit((ov) => {
      S.ColdkeySwapAnnouncements.set(ov, BOB, [5, coldkeyHash(NEW)]);
      S.ColdkeySwapDisputes.set(ov, BOB, 5);
    });
    rejects(h, BOB, DISPUTE, 'SubtensorModule.ColdkeySwapDisputed', 10);
    const handler = handlers.SubtensorModule.dispute_coldkey_swap;
    assert.ok(handler);
    const ctx: DispatchContext = {
      state: new Overlay(h.state),
      blockNumber: 10,
      deposit: () => assert.fail('no event expected'),
    };
    const out = handler(ctx, { type: 'Signed', who: BOB }, { type: 'dispute_coldkey_swap' });
    assert.equal(
      out.ok ? undefined : describeDispatchError(out.error),
      'SubtensorModule.ColdkeySwapAlreadyDisputed',
    );
  });
  it('clear_coldkey_swap_announcement: not found, too early, then cleared', () => {
    const h = world();
    rejects(h, 'root', CLEAR, 'BadOrigin', 10);
    rejects(h, BOB, CLEAR, 'SubtensorModule.ColdkeySwapAnnouncementNotFound', 10);
    succeeds(h, BOB, announce(NEW), 10);
    const when = 10 + DELAY;
    rejects(h, BOB, CLEAR, 'SubtensorModule.ColdkeySwapClearTooEarly', when + REDELAY - 1);
    const events = succeeds(h, BOB, CLEAR, when + REDELAY);
    assert.deepEqual(sub(events), [{ type: 'ColdkeySwapCleared', value: { who: BOB } }]);
    assert.equal(S.ColdkeySwapAnnouncements.tryGet(h.state, BOB), undefined);
    // A fresh announcement is charged again.
    const free = h.free(BOB);
    succeeds(h, BOB, announce(NEW), when + REDELAY + 1);
    assert.equal(h.free(BOB), free - KEY_SWAP_COST);
  });
});

describe('swap_coldkey (root)', () => {
  it('root only; input checked; cost must be payable', () => {
    const h = world();
    rejects(h, BOB, rootSwap(BOB, NEW, 0n), 'BadOrigin', 10);
    assert.throws(() => call(h, 'root', rootSwap(BOB, NEW, -1n), 10), RangeError);
    assert.throws(() => call(h, 'root', rootSwap(BOB, new Uint8Array(1), 0n), 10), RangeError);
    rejects(
      h,
      'root',
      rootSwap(POOR, NEW, TAO),
      'SubtensorModule.NotEnoughBalanceToPaySwapColdKey',
      10,
    );
    rejects(h, 'root', rootSwap(BOB, H, 0n), 'SubtensorModule.NewColdKeyIsHotkey', 10);
    rejects(h, 'root', rootSwap(BOB, CHARLIE, 0n), 'SubtensorModule.ColdKeyAlreadyAssociated', 10);
  });
  it('swaps without an announcement, recycles the cost and clears announcement and dispute', () => {
    const h = world();
    succeeds(h, BOB, announce(NEW), 10);
    succeeds(h, BOB, DISPUTE, 11);
    const free = h.free(BOB);
    const issuance = Balances.TotalIssuance.get(h.state);
    const stake = pos(h, H, BOB, 1);
    const events = succeeds(h, 'root', rootSwap(BOB, NEW, 2n * TAO), 12);
    assert.deepEqual(sub(events), [
      { type: 'ColdkeySwapped', value: { old_coldkey: BOB, new_coldkey: NEW } },
    ]);
    assert.equal(h.free(NEW), free - 2n * TAO);
    assert.equal(h.free(BOB), 0n);
    assert.equal(Balances.TotalIssuance.get(h.state), issuance - 2n * TAO);
    assert.equal(freeSum(h), Balances.TotalIssuance.get(h.state));
    assert.equal(pos(h, H, NEW, 1), stake);
    assert.equal(S.ColdkeySwapAnnouncements.tryGet(h.state, BOB), undefined);
    assert.equal(S.ColdkeySwapDisputes.tryGet(h.state, BOB), undefined);
  });
  it('a zero cost charges nothing', () => {
    const h = world();
    const free = h.free(BOB);
    const issuance = Balances.TotalIssuance.get(h.state);
    succeeds(h, 'root', rootSwap(BOB, NEW, 0n), 10);
    assert.equal(h.free(NEW), free);
    assert.equal(Balances.TotalIssuance.get(h.state), issuance);
  });
});

describe('schedule_swap_coldkey (deprecated)', () => {
  it('always fails with Deprecated', () => {
    const h = world();
    const c: SubtensorCall = { type: 'schedule_swap_coldkey', value: { new_coldkey: NEW } };
    rejects(h, BOB, c, 'SubtensorModule.Deprecated', 10);
    rejects(h, 'root', c, 'SubtensorModule.Deprecated', 10);
  });
});

describe('through signed extrinsics', () => {
  it('an announced coldkey pays the fee for a refused call', () => {
    const h = world();
    const bob = devKeypair('Bob');
    const a = h.run(bob, { type: 'SubtensorModule', value: announce(NEW) });
    assert.ok(a.result.ok && a.result.outcome.ok);
    const before = h.free(BOB);
    const r = h.run(bob, { type: 'SubtensorModule', value: addStake(H, 1, TAO) });
    assert.ok(r.result.ok && !r.result.outcome.ok);
    assert.equal(
      describeDispatchError(r.result.outcome.ok ? assert.fail() : r.result.outcome.error),
      'SubtensorModule.ColdkeySwapAnnounced',
    );
    assert.ok(h.free(BOB) < before);
    assert.equal(freeSum(h), Balances.TotalIssuance.get(h.state));
  });
});
