import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  SubtensorStorage as S,
  type SubtensorCall,
  System,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import {
  ALICE,
  callHandler,
  freeSum,
  genesisSubnets,
  handlerRejects,
  handlerSucceeds,
  ownHotkeys,
  TAO,
} from '../../test/subtensor-fixtures.js';
import { Overlay } from '../state.js';
import {
  HOTKEY_SWAP_ON_SUBNET_INTERVAL,
  KEY_SWAP_COST,
  KEY_SWAP_ON_SUBNET_COST,
} from './key-swap.js';
import { subnetAccount } from './pool.js';
import { stakeOf } from './share-pool.js';

const BOB = devKeypair('Bob').publicKey;
const CHARLIE = devKeypair('Charlie').publicKey;
const OWNER_HOT1 = keypairFromUri('//OwnerHot1').publicKey;
const OWNER_HOT2 = keypairFromUri('//OwnerHot2').publicKey;
const H = keypairFromUri('//SwapOld').publicKey; // Bob's hotkey, registered on subnet 1
const NEW = keypairFromUri('//SwapNew').publicKey; // fresh
const OTHER = keypairFromUri('//SwapOther').publicKey; // Charlie's hotkey
const CHILD = keypairFromUri('//SwapChild').publicKey;
const PARENT = keypairFromUri('//SwapParent').publicKey;
const LATE = 8_000; // past HotkeySwapOnSubnetInterval

const v1 = (hotkey: Uint8Array, new_hotkey: Uint8Array, netuid?: number): SubtensorCall => ({
  type: 'swap_hotkey',
  value: { hotkey, new_hotkey, netuid },
});
const v2 = (
  hotkey: Uint8Array,
  new_hotkey: Uint8Array,
  netuid: number | undefined,
  keep_stake: boolean,
): SubtensorCall => ({ type: 'swap_hotkey_v2', value: { hotkey, new_hotkey, netuid, keep_stake } });

const pos = (h: RuntimeHarness, hot: Uint8Array, cold: Uint8Array, n: number) =>
  stakeOf(new Overlay(h.state), hot, cold, n);
const has = (list: Uint8Array[], x: Uint8Array) => list.some((y) => bytesEqual(x, y));

/** Subnets 1, 2; Bob's hotkey H on subnet 1 with stake from Bob and Charlie, children, an axon. */
function world(): RuntimeHarness {
  const h = genesisSubnets(OWNER_HOT1, OWNER_HOT2);
  ownHotkeys(h, [[OTHER, CHARLIE]]);
  assert.equal(
    callHandler(h, BOB, { type: 'burned_register', value: { netuid: 1, hotkey: H } }).error,
    undefined,
  );
  for (const [who, amount] of [
    [BOB, 10n * TAO],
    [CHARLIE, 20n * TAO],
  ] as const) {
    const r = callHandler(h, who, {
      type: 'add_stake',
      value: { hotkey: H, netuid: 1, amount_staked: amount },
    });
    assert.equal(r.error, undefined);
  }
  h.edit((ov) => {
    S.Axons.set(ov, 1, H, {
      block: 1n,
      version: 7,
      ip: 0x7f000001n,
      port: 8091,
      ip_type: 4,
      protocol: 0,
      placeholder1: 0,
      placeholder2: 0,
    });
    S.ChildKeys.set(ov, H, 2, [[1000n, CHILD]]);
    S.ParentKeys.set(ov, CHILD, 2, [[1000n, H]]);
    S.ParentKeys.set(ov, H, 1, [[500n, PARENT]]);
    S.ChildKeys.set(ov, PARENT, 1, [[500n, H]]);
    S.Delegates.set(ov, H, 1234);
    S.ChildkeyTake.set(ov, H, 1, 99);
  });
  return h;
}

describe('swap_hotkey / swap_hotkey_v2 preconditions', () => {
  const h = world();
  it('rejects a non-signed origin and malformed input', () => {
    handlerRejects(h, 'root', v1(H, NEW), 'BadOrigin');
    assert.throws(() => callHandler(h, BOB, v1(new Uint8Array(31), NEW)), RangeError);
    assert.throws(() => callHandler(h, BOB, v1(H, 'x' as unknown as Uint8Array)), TypeError);
    assert.throws(
      () => callHandler(h, BOB, v2(H, NEW, undefined, 1 as unknown as boolean)),
      TypeError,
    );
    assert.throws(() => callHandler(h, BOB, v1(H, NEW, 70_000)), RangeError);
  });
  it('checks ownership of the old and of an existing new hotkey', () => {
    handlerRejects(h, CHARLIE, v1(H, NEW), 'SubtensorModule.NonAssociatedColdKey');
    handlerRejects(h, BOB, v1(H, OTHER), 'SubtensorModule.NonAssociatedColdKey');
    handlerRejects(h, BOB, v1(NEW, H), 'SubtensorModule.NonAssociatedColdKey');
  });
  it('same key, then the coldkey tx rate limit', () => {
    handlerRejects(h, BOB, v1(H, H), 'SubtensorModule.NewHotKeyIsSameWithOld');
    h.edit((ov) => S.LastRateLimitedBlock.set(ov, { type: 'LastTxBlock', value: BOB }, 1n));
    handlerRejects(h, BOB, v1(H, NEW), 'SubtensorModule.HotKeySetTxRateLimitExceeded', 1000);
    h.edit((ov) => S.LastRateLimitedBlock.remove(ov, { type: 'LastTxBlock', value: BOB }));
  });
  it('new hotkey already registered / not clean for root', () => {
    h.edit((ov) => {
      S.Owner.set(ov, NEW, BOB);
      S.IsNetworkMember.set(ov, NEW, 2, true);
    });
    handlerRejects(h, BOB, v1(H, NEW), 'SubtensorModule.HotKeyAlreadyRegisteredInSubNet');
    handlerRejects(h, BOB, v1(H, NEW, 2), 'SubtensorModule.HotKeyAlreadyRegisteredInSubNet');
    h.edit((ov) => {
      S.IsNetworkMember.remove(ov, NEW, 2);
      S.RootClaimable.set(ov, NEW, [[1, 5n]]);
    });
    handlerRejects(h, BOB, v1(H, NEW), 'SubtensorModule.NewHotKeyNotCleanForRootSwap');
    handlerRejects(h, BOB, v1(H, NEW, 0), 'SubtensorModule.NewHotKeyNotCleanForRootSwap', LATE);
    h.edit((ov) => {
      S.RootClaimable.remove(ov, NEW);
      S.RootClaimed.set(ov, 0, NEW, CHARLIE, 1n);
    });
    handlerRejects(h, BOB, v1(H, NEW), 'SubtensorModule.NewHotKeyNotCleanForRootSwap');
    h.edit((ov) => {
      S.RootClaimed.remove(ov, 0, NEW, CHARLIE);
      S.Owner.remove(ov, NEW);
    });
  });
  it('per-subnet path: interval, system account, balance', () => {
    // A per-subnet swap is gated by the interval even without an earlier swap (block ≤ 7200).
    handlerRejects(
      h,
      BOB,
      v1(H, NEW, 1),
      'SubtensorModule.HotKeySwapOnSubnetIntervalNotPassed',
      7_200,
    );
    h.edit((ov) => S.LastHotkeySwapOnNetuid.set(ov, 1, BOB, 1_000n));
    handlerRejects(
      h,
      BOB,
      v1(H, NEW, 1),
      'SubtensorModule.HotKeySwapOnSubnetIntervalNotPassed',
      8_200,
    );
    h.edit((ov) => S.LastHotkeySwapOnNetuid.remove(ov, 1, BOB));
    handlerRejects(
      h,
      BOB,
      v1(H, subnetAccount(5), 1),
      'SubtensorModule.CannotUseSystemAccount',
      LATE,
    );
    const poor = world();
    poor.edit((ov) => {
      const a = System.Account.get(ov, BOB);
      System.Account.set(ov, BOB, {
        ...a,
        data: { ...a.data, free: KEY_SWAP_ON_SUBNET_COST - 1n },
      });
    });
    handlerRejects(
      poor,
      BOB,
      v1(H, NEW, 1),
      'SubtensorModule.NotEnoughBalanceToPaySwapHotKey',
      LATE,
    );
  });
  it('all-subnets path: interval only once a swap was recorded, then balance', () => {
    h.edit((ov) => S.LastHotkeySwapOnNetuid.set(ov, 2, BOB, 100n)); // H has children on 2
    handlerRejects(h, BOB, v1(H, NEW), 'SubtensorModule.HotKeySwapOnSubnetIntervalNotPassed', 500);
    h.edit((ov) => S.LastHotkeySwapOnNetuid.set(ov, 3, BOB, 100n)); // unrelated subnet: no gate
    h.edit((ov) => S.LastHotkeySwapOnNetuid.remove(ov, 2, BOB));
    const poor = world();
    poor.edit((ov) => {
      const a = System.Account.get(ov, BOB);
      System.Account.set(ov, BOB, { ...a, data: { ...a.data, free: KEY_SWAP_COST - 1n } });
    });
    handlerRejects(poor, BOB, v1(H, NEW), 'SubtensorModule.NotEnoughBalanceToPaySwapHotKey');
  });
  it('rejects a new hotkey that is a subnet account on the all-subnets path', () => {
    handlerRejects(h, BOB, v1(H, subnetAccount(5)), 'SubtensorModule.CannotUseSystemAccount');
  });
});

describe('swap_hotkey on all subnets', () => {
  it('moves identity, stake, children, take and charges KeySwapCost', () => {
    const h = world();
    const uid = S.Uids.get(h.state, 1, H);
    assert.ok(uid !== undefined);
    const bobStake = pos(h, H, BOB, 1);
    const charlieStake = pos(h, H, CHARLIE, 1);
    const total = S.TotalHotkeyAlpha.get(h.state, H, 1);
    assert.ok(bobStake > 0n && charlieStake > 0n);
    const axon = S.Axons.get(h.state, 1, H);
    const freeBefore = freeSum(h.state);
    const issuanceBefore = Balances.TotalIssuance.get(h.state);
    assert.equal(freeBefore, issuanceBefore);
    const bobFree = System.Account.get(h.state, BOB).data.free;

    const events = handlerSucceeds(h, BOB, v1(H, NEW), 50);
    assert.deepEqual(events, [
      { type: 'HotkeySwapped', value: { coldkey: BOB, old_hotkey: H, new_hotkey: NEW } },
    ]);
    // TAO: only the recycled cost left circulation.
    assert.equal(System.Account.get(h.state, BOB).data.free, bobFree - KEY_SWAP_COST);
    assert.equal(Balances.TotalIssuance.get(h.state), issuanceBefore - KEY_SWAP_COST);
    assert.equal(freeSum(h.state), Balances.TotalIssuance.get(h.state));
    // Ownership.
    assert.equal(S.Owner.tryGet(h.state, H), undefined);
    assert.deepEqual(S.Owner.get(h.state, NEW), BOB);
    const owned = S.OwnedHotkeys.get(h.state, BOB);
    assert.ok(has(owned, NEW) && !has(owned, H));
    // Registration.
    assert.equal(S.Uids.tryGet(h.state, 1, H), undefined);
    assert.equal(S.Uids.get(h.state, 1, NEW), uid);
    assert.deepEqual(S.Keys.get(h.state, 1, uid), NEW);
    assert.equal(S.IsNetworkMember.get(h.state, NEW, 1), true);
    assert.equal(S.IsNetworkMember.tryGet(h.state, H, 1), undefined);
    assert.equal(S.IsNetworkMember.tryGet(h.state, NEW, 2), false); // written for every subnet
    assert.equal(S.Axons.tryGet(h.state, 1, H), undefined);
    assert.deepEqual(S.Axons.get(h.state, 1, NEW), axon);
    // Stake.
    assert.equal(pos(h, H, BOB, 1), 0n);
    assert.equal(pos(h, H, CHARLIE, 1), 0n);
    assert.equal(pos(h, NEW, BOB, 1), bobStake);
    assert.equal(pos(h, NEW, CHARLIE, 1), charlieStake);
    assert.equal(S.TotalHotkeyAlpha.get(h.state, NEW, 1), total);
    assert.equal(S.TotalHotkeyAlpha.get(h.state, H, 1), 0n);
    for (const c of [BOB, CHARLIE]) {
      const list = S.StakingHotkeys.get(h.state, c);
      assert.ok(has(list, NEW) && !has(list, H));
    }
    // Children / parents / takes.
    assert.deepEqual(S.ChildKeys.get(h.state, NEW, 2), [[1000n, CHILD]]);
    assert.deepEqual(S.ParentKeys.get(h.state, CHILD, 2), [[1000n, NEW]]);
    assert.deepEqual(S.ParentKeys.get(h.state, NEW, 1), [[500n, PARENT]]);
    assert.deepEqual(S.ChildKeys.get(h.state, PARENT, 1), [[500n, NEW]]);
    assert.deepEqual(S.ChildKeys.get(h.state, H, 2), []);
    assert.equal(S.ParentKeys.tryGet(h.state, H, 1), undefined);
    assert.equal(S.Delegates.tryGet(h.state, H), undefined);
    assert.equal(S.Delegates.get(h.state, NEW), 1234);
    assert.equal(S.ChildkeyTake.tryGet(h.state, H, 1), undefined);
    assert.equal(S.ChildkeyTake.get(h.state, NEW, 1), 99);
    // Rate-limit records.
    assert.equal(S.LastRateLimitedBlock.get(h.state, { type: 'LastTxBlock', value: BOB }), 50n);
    assert.equal(S.LastHotkeySwapOnNetuid.get(h.state, 1, BOB), 50n);
    assert.equal(S.LastHotkeySwapOnNetuid.get(h.state, 2, BOB), 50n);
    // A second swap right away hits the coldkey rate limit; later the subnet interval.
    handlerRejects(h, BOB, v1(NEW, H), 'SubtensorModule.HotKeySetTxRateLimitExceeded', 60);
    handlerRejects(
      h,
      BOB,
      v1(NEW, H),
      'SubtensorModule.HotKeySwapOnSubnetIntervalNotPassed',
      2_000,
    );
  });

  it('moves the subnet owner hotkey and its owner lock', () => {
    const h = runtimeHarness({
      genesis: { subtensor: { subnets: [{ coldkey: ALICE, hotkey: OWNER_HOT1 }] } },
    });
    h.edit((ov) =>
      S.OwnerLock.set(ov, 1, { locked_mass: 5n * TAO, conviction: 0n, last_update: 10n }),
    );
    const events = handlerSucceeds(h, ALICE, v2(OWNER_HOT1, NEW, undefined, false), 20);
    assert.deepEqual(events, [
      { type: 'SubnetOwnerHotkeySet', value: [1, NEW] },
      { type: 'HotkeySwapped', value: { coldkey: ALICE, old_hotkey: OWNER_HOT1, new_hotkey: NEW } },
    ]);
    assert.deepEqual(S.SubnetOwnerHotkey.get(h.state, 1), NEW);
    assert.equal(S.OwnerLock.get(h.state, 1)?.locked_mass, 5n * TAO);
  });
});

describe('swap_hotkey_v2 on one subnet', () => {
  it('keep_stake=true moves registration but leaves the stake; costs KeySwapOnSubnetCost', () => {
    const h = world();
    const uid = S.Uids.get(h.state, 1, H);
    assert.ok(uid !== undefined);
    const bobStake = pos(h, H, BOB, 1);
    const issuance = Balances.TotalIssuance.get(h.state);
    const events = handlerSucceeds(h, BOB, v2(H, NEW, 1, true), LATE);
    assert.deepEqual(events, [
      {
        type: 'HotkeySwappedOnSubnet',
        value: { coldkey: BOB, old_hotkey: H, new_hotkey: NEW, netuid: 1 },
      },
    ]);
    assert.equal(Balances.TotalIssuance.get(h.state), issuance - KEY_SWAP_ON_SUBNET_COST);
    assert.equal(freeSum(h.state), Balances.TotalIssuance.get(h.state));
    assert.deepEqual(S.Owner.get(h.state, H), BOB); // old hotkey stays owned
    assert.deepEqual(S.Owner.get(h.state, NEW), BOB);
    const owned = S.OwnedHotkeys.get(h.state, BOB);
    assert.ok(has(owned, NEW) && has(owned, H));
    assert.equal(S.Uids.get(h.state, 1, NEW), uid);
    assert.deepEqual(S.Keys.get(h.state, 1, uid), NEW);
    assert.equal(pos(h, H, BOB, 1), bobStake);
    assert.equal(pos(h, NEW, BOB, 1), 0n);
    assert.deepEqual(S.ParentKeys.get(h.state, NEW, 1), [[500n, PARENT]]);
    assert.deepEqual(S.ChildKeys.get(h.state, H, 2), [[1000n, CHILD]]); // other subnet untouched
    assert.equal(S.Delegates.get(h.state, H), 1234); // not moved per subnet
    assert.equal(S.LastHotkeySwapOnNetuid.get(h.state, 1, BOB), BigInt(LATE));
    handlerRejects(
      h,
      BOB,
      v2(NEW, H, 1, false),
      'SubtensorModule.HotKeySwapOnSubnetIntervalNotPassed',
      LATE + 1_001,
    );
    assert.ok(HOTKEY_SWAP_ON_SUBNET_INTERVAL === 7_200n);
  });

  it('keep_stake=false moves the stake on that subnet only', () => {
    const h = world();
    const charlieStake = pos(h, H, CHARLIE, 1);
    handlerSucceeds(h, BOB, v2(H, NEW, 1, false), LATE);
    assert.equal(pos(h, NEW, CHARLIE, 1), charlieStake);
    assert.equal(pos(h, H, CHARLIE, 1), 0n);
    const list = S.StakingHotkeys.get(h.state, CHARLIE);
    assert.ok(has(list, NEW) && has(list, H)); // the per-subnet swap keeps the old entry
  });
});
