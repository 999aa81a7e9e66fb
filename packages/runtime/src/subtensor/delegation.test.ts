import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type RuntimeEvent,
  SubtensorStorage as S,
  type SubtensorCall,
} from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness } from '@taoscript/testkit';
import fc from 'fast-check';
import {
  callHandler,
  genesisSubnets,
  handlerRejects,
  handlerSucceeds,
  ownHotkeys,
  U64_MAX,
} from '../../test/subtensor-fixtures.js';
import type { DispatchContext } from '../dispatch.js';
import { Overlay } from '../state.js';
import {
  applyPendingChildren,
  childkeyTake,
  MAX_CHILDREN,
  setPendingChildrenForBlock,
} from './delegation.js';
import { creditStake } from './share-pool.js';

const seed = Number(process.env.FC_SEED ?? 1);
const BOB = devKeypair('Bob').publicKey;
const CHARLIE = devKeypair('Charlie').publicKey;
const OWNER_HOT1 = keypairFromUri('//OwnerHot1').publicKey;
/** Bob's hotkeys. */
const H1 = keypairFromUri('//D1').publicKey;
const H2 = keypairFromUri('//D2').publicKey;
const H3 = keypairFromUri('//D3').publicKey;
/** Charlie's hotkey. */
const C1 = keypairFromUri('//C1').publicKey;
const kids = Array.from({ length: 7 }, (_, i) => keypairFromUri(`//Kid${i}`).publicKey);
const NOBODY = keypairFromUri('//Nobody').publicKey;

/** Subnet 1 (started) and subnet 2 (registered, subtoken not enabled), both owned by Alice. */
function world(): RuntimeHarness {
  const h = genesisSubnets(OWNER_HOT1);
  h.edit((ov) => S.NetworksAdded.set(ov, 2, true));
  ownHotkeys(h, [
    [H1, BOB],
    [H2, BOB],
    [H3, BOB],
    [C1, CHARLIE],
  ]);
  return h;
}

/** Runs the block hook at `block` (as on_initialize would after the coinbase). */
function hook(h: RuntimeHarness, block: number) {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  setPendingChildrenForBlock({
    state: ov,
    blockNumber: block,
    author: undefined,
    deposit: (e) => events.push(e),
  });
  h.state.apply(ov.changes());
  return events.flatMap((e) => (e.type === 'SubtensorModule' ? [e.value] : []));
}

const inc = (hotkey: Uint8Array, take: number): SubtensorCall => ({
  type: 'increase_take',
  value: { hotkey, take },
});
const dec = (hotkey: Uint8Array, take: number): SubtensorCall => ({
  type: 'decrease_take',
  value: { hotkey, take },
});
const setChildren = (
  hotkey: Uint8Array,
  netuid: number,
  children: [bigint, Uint8Array][],
): SubtensorCall => ({ type: 'set_children', value: { hotkey, netuid, children } });
const ckTake = (hotkey: Uint8Array, netuid: number, take: number): SubtensorCall => ({
  type: 'set_childkey_take',
  value: { hotkey, netuid, take },
});
const lastTake = (h: RuntimeHarness, hot: Uint8Array) =>
  S.LastRateLimitedBlock.get(h.state, { type: 'LastTxBlockDelegateTake', value: hot });

describe('increase_take / decrease_take', () => {
  it('checks origin, hotkey and ownership first', () => {
    const h = world();
    handlerRejects(h, 'root', inc(H1, 100), 'BadOrigin');
    handlerRejects(h, BOB, inc(NOBODY, 100), 'SubtensorModule.HotKeyAccountNotExists');
    handlerRejects(h, CHARLIE, inc(H1, 100), 'SubtensorModule.NonAssociatedColdKey');
    handlerRejects(h, 'root', dec(H1, 100), 'BadOrigin');
    handlerRejects(h, BOB, dec(NOBODY, 100), 'SubtensorModule.HotKeyAccountNotExists');
    handlerRejects(h, CHARLIE, dec(H1, 100), 'SubtensorModule.NonAssociatedColdKey');
  });

  it('decrease: strictly down and at least MinDelegateTake; records the block', () => {
    const h = world();
    // Without an explicit entry any take ≥ the minimum is accepted.
    const ev = handlerSucceeds(h, BOB, dec(H1, 11_796), 10);
    assert.deepEqual(ev, [{ type: 'TakeDecreased', value: [BOB, H1, 11_796] }]);
    assert.equal(S.Delegates.tryGet(h.state, H1), 11_796); // stored explicitly
    handlerRejects(h, BOB, dec(H1, 11_796), 'SubtensorModule.DelegateTakeTooLow', 11);
    handlerRejects(h, BOB, dec(H1, 12_000), 'SubtensorModule.DelegateTakeTooLow', 11);
    h.edit((ov) => S.MinDelegateTake.set(ov, 500));
    handlerRejects(h, BOB, dec(H1, 499), 'SubtensorModule.DelegateTakeTooLow', 11);
    handlerSucceeds(h, BOB, dec(H1, 500), 12);
    assert.equal(S.Delegates.get(h.state, H1), 500);
    assert.equal(lastTake(h, H1), 12n);
  });

  it('increase: strictly up, at most MaxDelegateTake, rate limited (fails while now − last ≤ limit)', () => {
    const h = world();
    handlerSucceeds(h, BOB, dec(H1, 1000), 100);
    handlerRejects(h, BOB, inc(H1, 1000), 'SubtensorModule.DelegateTakeTooLow', 100);
    handlerRejects(h, BOB, inc(H1, 11_797), 'SubtensorModule.DelegateTakeTooHigh', 100);
    // The decrease at block 100 started the 216_000-block window.
    handlerRejects(
      h,
      BOB,
      inc(H1, 2000),
      'SubtensorModule.DelegateTxRateLimitExceeded',
      100 + 216_000,
    );
    const ev = handlerSucceeds(h, BOB, inc(H1, 2000), 100 + 216_001);
    assert.deepEqual(ev, [{ type: 'TakeIncreased', value: [BOB, H1, 2000] }]);
    assert.equal(S.Delegates.get(h.state, H1), 2000);
    assert.equal(lastTake(h, H1), BigInt(100 + 216_001));
    // A zero limit never blocks.
    h.edit((ov) => S.TxDelegateTakeRateLimit.set(ov, 0n));
    handlerSucceeds(h, BOB, inc(H1, 3000), 100 + 216_002);
  });

  it('increase on a hotkey without an entry accepts any take up to the max (even the default)', () => {
    const h = world();
    handlerSucceeds(h, BOB, inc(H2, 11_796), 5);
    assert.equal(S.Delegates.tryGet(h.state, H2), 11_796);
    handlerRejects(h, BOB, inc(H2, 11_796), 'SubtensorModule.DelegateTakeTooLow', 5 + 216_001);
  });
});

describe('set_children', () => {
  it('checks in upstream order (rate limit first)', () => {
    const h = world();
    handlerRejects(h, 'root', setChildren(H1, 1, [[1n, H2]]), 'BadOrigin');
    handlerRejects(
      h,
      BOB,
      setChildren(H1, 0, [[1n, H2]]),
      'SubtensorModule.RegistrationNotPermittedOnRootSubnet',
    );
    handlerRejects(h, BOB, setChildren(H1, 9, [[1n, H2]]), 'SubtensorModule.SubnetNotExists');
    handlerRejects(
      h,
      CHARLIE,
      setChildren(H1, 1, [[1n, H2]]),
      'SubtensorModule.NonAssociatedColdKey',
    );
    handlerRejects(
      h,
      BOB,
      setChildren(H1, 1, [
        [1n, H2],
        [2n, H2],
      ]),
      'SubtensorModule.DuplicateChild',
    );
    handlerRejects(h, BOB, setChildren(H1, 1, [[1n, H1]]), 'SubtensorModule.InvalidChild');
    const six = kids.slice(0, MAX_CHILDREN + 1).map((k): [bigint, Uint8Array] => [1n, k]);
    handlerRejects(h, BOB, setChildren(H1, 1, six), 'SubtensorModule.TooManyChildren');
    handlerRejects(
      h,
      BOB,
      setChildren(H1, 1, [
        [U64_MAX, H2],
        [1n, H3],
      ]),
      'SubtensorModule.ProportionOverflow',
    );
    // A current parent cannot become a child.
    h.edit((ov) => {
      S.ParentKeys.set(ov, H1, 1, [[5n, C1]]);
      S.ChildKeys.set(ov, C1, 1, [[5n, H1]]);
    });
    handlerRejects(
      h,
      BOB,
      setChildren(H1, 1, [[1n, C1]]),
      'SubtensorModule.ChildParentInconsistency',
    );
    // Inconsistent stored relations surface as errors too.
    h.edit((ov) => S.ChildKeys.set(ov, H1, 1, [[1n, C1]]));
    handlerRejects(h, BOB, setChildren(H1, 1, []), 'SubtensorModule.ChildParentInconsistency');
    h.edit((ov) => {
      S.ChildKeys.remove(ov, H1, 1);
      S.ParentKeys.remove(ov, H1, 1);
      S.ChildKeys.remove(ov, C1, 1);
    });
    // Stake threshold: only for a non-empty list of a non-owner hotkey.
    h.edit((ov) => S.StakeThreshold.set(ov, 999_000n));
    handlerRejects(
      h,
      BOB,
      setChildren(H1, 1, [[1n, H2]]),
      'SubtensorModule.NotEnoughStakeToSetChildkeys',
    );
    handlerSucceeds(h, BOB, setChildren(H1, 1, []), 10);
    // The rate limit (150 blocks per hotkey and subnet) is checked before everything else.
    handlerRejects(
      h,
      CHARLIE,
      setChildren(H1, 1, [[1n, H1]]),
      'SubtensorModule.TxRateLimitExceeded',
      159,
    );
    h.edit((ov) => {
      creditStake(ov, H1, BOB, 1, 1_000_000n); // price 1.0 → 0.001 TAO of stake
    });
    handlerSucceeds(h, BOB, setChildren(H1, 1, [[1n, H2]]), 160);
    // The subnet owner hotkey is exempt.
    h.edit((ov) => S.Owner.set(ov, OWNER_HOT1, BOB));
    handlerSucceeds(h, BOB, setChildren(OWNER_HOT1, 1, [[1n, H2]]), 160);
  });

  it('schedules with the cooldown and applies at the first epoch after it', () => {
    const h = world();
    const children: [bigint, Uint8Array][] = [
      [U64_MAX / 2n, H3],
      [U64_MAX / 4n, H2],
    ];
    const ev = handlerSucceeds(h, BOB, setChildren(H1, 1, children), 50);
    assert.deepEqual(ev, [
      { type: 'SetChildrenScheduled', value: [H1, 1, 50n + 7_200n, children] },
    ]);
    assert.deepEqual(S.PendingChildKeys.get(h.state, 1, H1), [children, 7_250n]);
    assert.equal(S.TransactionKeyLastBlock.get(h.state, H1, 1, 0), 50n);
    assert.deepEqual(S.ChildKeys.get(h.state, H1, 1), []);
    // Epoch ran but the cooldown block is not behind us yet.
    h.edit((ov) => S.LastEpochBlock.set(ov, 1, 7_250n));
    assert.deepEqual(hook(h, 7_250), []);
    // Cooldown passed, but the subnet's epoch did not run in this block.
    assert.deepEqual(hook(h, 7_251), []);
    h.edit((ov) => S.LastEpochBlock.set(ov, 1, 7_300n));
    assert.deepEqual(hook(h, 7_300), [{ type: 'SetChildren', value: [H1, 1, children] }]);
    assert.equal(S.PendingChildKeys.tryGet(h.state, 1, H1), undefined);
    // Stored in account order (a BTreeMap); each child gets the parent link.
    const expected = [...children].sort((a, b) => (toHex(a[1]) < toHex(b[1]) ? -1 : 1));
    assert.deepEqual(S.ChildKeys.get(h.state, H1, 1), expected);
    assert.deepEqual(S.ParentKeys.get(h.state, H3, 1), [[U64_MAX / 2n, H1]]);
    assert.deepEqual(S.ParentKeys.get(h.state, H2, 1), [[U64_MAX / 4n, H1]]);

    // Replacing the children drops the old links.
    handlerSucceeds(h, BOB, setChildren(H1, 1, [[7n, C1]]), 7_400);
    h.edit((ov) => S.LastEpochBlock.set(ov, 1, 20_000n));
    hook(h, 20_000);
    assert.deepEqual(S.ChildKeys.get(h.state, H1, 1), [[7n, C1]]);
    assert.deepEqual(S.ParentKeys.get(h.state, C1, 1), [[7n, H1]]);
    assert.equal(S.ParentKeys.tryGet(h.state, H2, 1), undefined);
    assert.equal(S.ParentKeys.tryGet(h.state, H3, 1), undefined);
    // An empty list revokes.
    handlerSucceeds(h, BOB, setChildren(H1, 1, []), 20_200);
    h.edit((ov) => S.LastEpochBlock.set(ov, 1, 30_000n));
    hook(h, 30_000);
    assert.equal(S.ChildKeys.tryGet(h.state, H1, 1), undefined);
    assert.equal(S.ParentKeys.tryGet(h.state, C1, 1), undefined);
  });

  it('applies immediately on a subnet whose subtoken is not enabled', () => {
    const h = world();
    const ev = handlerSucceeds(h, BOB, setChildren(H1, 2, [[9n, H2]]), 40);
    assert.deepEqual(ev, [{ type: 'SetChildren', value: [H1, 2, [[9n, H2]]] }]);
    assert.deepEqual(S.ChildKeys.get(h.state, H1, 2), [[9n, H2]]);
    assert.equal(S.PendingChildKeys.tryGet(h.state, 2, H1), undefined);
  });

  it('drops a pending list that became inconsistent, silently', () => {
    const h = world();
    handlerSucceeds(h, BOB, setChildren(H1, 1, [[1n, C1]]), 10);
    // Meanwhile C1 became H1's parent.
    h.edit((ov) => {
      S.ParentKeys.set(ov, H1, 1, [[5n, C1]]);
      S.ChildKeys.set(ov, C1, 1, [[5n, H1]]);
      S.LastEpochBlock.set(ov, 1, 10_000n);
    });
    assert.deepEqual(hook(h, 10_000), []);
    assert.equal(S.PendingChildKeys.tryGet(h.state, 1, H1), undefined);
    assert.deepEqual(S.ChildKeys.get(h.state, H1, 1), []);
  });

  it('the on_initialize hook applies due children in a real block', () => {
    const h = world();
    h.edit((ov) => S.PendingChildKeyCooldown.set(ov, 0n));
    const bob = devKeypair('Bob');
    const r = h.run(bob, { type: 'SubtensorModule', value: setChildren(H1, 1, [[3n, H2]]) });
    assert.ok(r.result.ok && r.result.outcome.ok);
    h.edit((ov) => S.LastEpochBlock.set(ov, 1, BigInt(h.number + 1)));
    const out = h.block();
    assert.ok(
      out.events.some(
        (e) => e.event.type === 'SubtensorModule' && e.event.value.type === 'SetChildren',
      ),
    );
    assert.deepEqual(S.ChildKeys.get(h.state, H1, 1), [[3n, H2]]);
  });

  it('applyPendingChildren rejects a bad netuid', () => {
    const h = world();
    const ctx: DispatchContext = {
      state: new Overlay(h.state),
      blockNumber: 1,
      author: undefined,
      deposit: () => {},
    };
    assert.throws(() => applyPendingChildren(ctx, -1), RangeError);
    assert.throws(() => applyPendingChildren(ctx, '1' as unknown as number), TypeError);
  });

  it('property: children and parents links stay mirror images', () => {
    const hot = [H1, H2, H3, C1];
    const coldOf = (k: Uint8Array) => (k === C1 ? CHARLIE : BOB);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            p: fc.nat(3),
            kids: fc.array(
              fc.record({ c: fc.nat(3), w: fc.bigInt({ min: 0n, max: U64_MAX / 4n }) }),
              {
                maxLength: 3,
              },
            ),
          }),
          { maxLength: 12 },
        ),
        (ops) => {
          const h = world();
          let block = 1;
          for (const o of ops) {
            block += 200;
            const pivot = hot[o.p] as Uint8Array;
            const list = o.kids.map((k): [bigint, Uint8Array] => [k.w, hot[k.c] as Uint8Array]);
            callHandler(h, coldOf(pivot), setChildren(pivot, 1, list), block);
            h.edit((ov) => S.LastEpochBlock.set(ov, 1, BigInt(block + 7_201)));
            hook(h, block + 7_201);
            block += 7_201;
            for (const p of hot)
              for (const [w, c] of S.ChildKeys.get(h.state, p, 1)) {
                assert.ok(
                  S.ParentKeys.get(h.state, c, 1).some(
                    ([w2, q]) => w2 === w && toHex(q) === toHex(p),
                  ),
                );
                assert.ok(!S.ChildKeys.get(h.state, c, 1).some(([, q]) => toHex(q) === toHex(p)));
              }
            for (const c of hot)
              for (const [w, p] of S.ParentKeys.get(h.state, c, 1))
                assert.ok(
                  S.ChildKeys.get(h.state, p, 1).some(
                    ([w2, q]) => w2 === w && toHex(q) === toHex(c),
                  ),
                );
          }
        },
      ),
      { seed, numRuns: 40 },
    );
  });
});

describe('set_childkey_take', () => {
  it('ownership, bounds, rate limit on increases only', () => {
    const h = world();
    handlerRejects(h, 'root', ckTake(H1, 1, 100), 'BadOrigin');
    handlerRejects(h, CHARLIE, ckTake(H1, 1, 100), 'SubtensorModule.NonAssociatedColdKey');
    handlerRejects(h, BOB, ckTake(NOBODY, 1, 100), 'SubtensorModule.NonAssociatedColdKey');
    handlerRejects(h, BOB, ckTake(H1, 1, 11_797), 'SubtensorModule.InvalidChildkeyTake');
    h.edit((ov) => S.MinChildkeyTakePerSubnet.set(ov, 1, 300));
    handlerRejects(h, BOB, ckTake(H1, 1, 299), 'SubtensorModule.InvalidChildkeyTake');
    assert.equal(childkeyTake(new Overlay(h.state), H1, 1), 300);
    const ev = handlerSucceeds(h, BOB, ckTake(H1, 1, 1000), 20);
    assert.deepEqual(ev, [{ type: 'ChildKeyTakeSet', value: [H1, 1000] }]);
    assert.equal(S.ChildkeyTake.get(h.state, H1, 1), 1000);
    assert.equal(S.TransactionKeyLastBlock.get(h.state, H1, 1, 1), 20n);
    // Another increase within TxChildkeyTakeRateLimit (216_000, ≥ rule) is refused …
    handlerRejects(
      h,
      BOB,
      ckTake(H1, 1, 1001),
      'SubtensorModule.TxChildkeyTakeRateLimitExceeded',
      20 + 215_999,
    );
    // … a decrease is not, and it restarts the window.
    handlerSucceeds(h, BOB, ckTake(H1, 1, 900), 30);
    handlerRejects(
      h,
      BOB,
      ckTake(H1, 1, 901),
      'SubtensorModule.TxChildkeyTakeRateLimitExceeded',
      30 + 215_999,
    );
    handlerSucceeds(h, BOB, ckTake(H1, 1, 901), 30 + 216_000);
    // Takes are per subnet; the netuid need not exist.
    handlerSucceeds(h, BOB, ckTake(H1, 77, 0), 40);
    assert.equal(S.ChildkeyTake.get(h.state, H1, 77), 0);
  });
});
