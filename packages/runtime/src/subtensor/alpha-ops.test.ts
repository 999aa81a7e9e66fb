import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SubtensorStorage as S, type SubtensorCall } from '@taoscript/chain-types';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness } from '@taoscript/testkit';
import {
  ALICE,
  callHandler,
  genesisSubnets,
  handlerRejects,
  handlerSucceedsConserving,
  ownHotkeys,
  TAO,
  U64_MAX,
} from '../../test/subtensor-fixtures.js';
import type { DispatchContext, Origin } from '../dispatch.js';
import { Overlay } from '../state.js';
import { destroyAlpha, isSubnetSymbol } from './alpha-ops.js';
import { stakeOf } from './share-pool.js';
import { SUBNET_SYMBOLS } from './subnets.js';

const BOB = devKeypair('Bob').publicKey;
const CHARLIE = devKeypair('Charlie').publicKey;
const OWNER_HOT1 = keypairFromUri('//OwnerHot1').publicKey;
const OWNER_HOT2 = keypairFromUri('//OwnerHot2').publicKey;
const H1 = keypairFromUri('//H1').publicKey;
const NOBODY_HOT = keypairFromUri('//Unregistered').publicKey;

/** Subnets 1 and 2 owned by Alice; Charlie owns H1; Bob stakes 10 TAO to H1 on subnet 1. */
function world(): RuntimeHarness {
  const h = genesisSubnets(OWNER_HOT1, OWNER_HOT2);
  ownHotkeys(h, [[H1, CHARLIE]]);
  handlerSucceedsConserving(h, BOB, {
    type: 'add_stake',
    value: { hotkey: H1, netuid: 1, amount_staked: 10n * TAO },
  });
  return h;
}

const pos = (h: RuntimeHarness, hot: Uint8Array, cold: Uint8Array, netuid: number) =>
  stakeOf(new Overlay(h.state), hot, cold, netuid);

const recycle = (hotkey: Uint8Array, amount: bigint, netuid: number): SubtensorCall => ({
  type: 'recycle_alpha',
  value: { hotkey, amount, netuid },
});
const burn = (hotkey: Uint8Array, amount: bigint, netuid: number): SubtensorCall => ({
  type: 'burn_alpha',
  value: { hotkey, amount, netuid },
});
const updateSymbol = (netuid: number, symbol: Uint8Array): SubtensorCall => ({
  type: 'update_symbol',
  value: { netuid, symbol },
});

for (const [name, make] of [
  ['recycle_alpha', recycle],
  ['burn_alpha', burn],
] as const) {
  describe(`${name} preconditions`, () => {
    it('walks every check to its error in order, leaving state untouched', () => {
      const h = world();
      handlerRejects(h, 'root', make(H1, TAO, 1), 'BadOrigin');
      handlerRejects(h, 'none', make(H1, TAO, 1), 'BadOrigin');
      handlerRejects(h, BOB, make(H1, TAO, 9), 'SubtensorModule.SubnetNotExists');
      // Root exists, so the root check comes second.
      handlerRejects(h, BOB, make(H1, TAO, 0), 'SubtensorModule.CannotBurnOrRecycleOnRootSubnet');
      h.edit((ov) => S.SubtokenEnabled.set(ov, 2, false));
      handlerRejects(h, BOB, make(NOBODY_HOT, TAO, 2), 'SubtensorModule.SubtokenDisabled');
      handlerRejects(h, BOB, make(NOBODY_HOT, TAO, 1), 'SubtensorModule.HotKeyAccountNotExists');
      const mine = pos(h, H1, BOB, 1);
      h.edit((ov) => S.SubnetAlphaOut.set(ov, 1, mine - 1n));
      handlerRejects(h, BOB, make(H1, U64_MAX, 1), 'SubtensorModule.InsufficientLiquidity');
      h.edit((ov) => S.SubnetAlphaOut.set(ov, 1, mine + 1000n));
      // A lock leaves `mine - lock` available.
      h.edit((ov) =>
        S.Lock.set(ov, BOB, 1, H1, { locked_mass: mine - TAO, conviction: 0n, last_update: 2n }),
      );
      handlerRejects(h, BOB, make(H1, TAO + 1n, 1), 'SubtensorModule.StakeUnavailable');
      // Exactly the available part passes.
      handlerSucceedsConserving(h, BOB, make(H1, TAO, 1));
      assert.equal(pos(h, H1, BOB, 1), mine - TAO);
    });

    it('rejects malformed arguments', () => {
      const h = world();
      assert.throws(() => callHandler(h, BOB, make(new Uint8Array(31), TAO, 1)), RangeError);
      assert.throws(() => callHandler(h, BOB, make(H1, -1n, 1)), RangeError);
      assert.throws(() => callHandler(h, BOB, make(H1, 1n << 64n, 1)), RangeError);
      assert.throws(() => callHandler(h, BOB, make(H1, TAO, 65_536)), RangeError);
    });
  });
}

describe('recycle_alpha / burn_alpha effects', () => {
  it('recycle destroys the alpha and lowers SubnetAlphaOut', () => {
    const h = world();
    const mine = pos(h, H1, BOB, 1);
    const out = S.SubnetAlphaOut.get(h.state, 1);
    const pool = S.TotalHotkeyAlpha.get(h.state, H1, 1);
    const tao = S.SubnetTAO.get(h.state, 1);
    const ev = handlerSucceedsConserving(h, BOB, recycle(H1, TAO, 1));
    assert.deepEqual(ev, [{ type: 'AlphaRecycled', value: [BOB, H1, TAO, 1] }]);
    assert.equal(pos(h, H1, BOB, 1), mine - TAO);
    assert.equal(S.TotalHotkeyAlpha.get(h.state, H1, 1), pool - TAO);
    assert.equal(S.SubnetAlphaOut.get(h.state, 1), out - TAO);
    assert.equal(S.SubnetTAO.get(h.state, 1), tao);
  });

  it('burn destroys the alpha but leaves SubnetAlphaOut', () => {
    const h = world();
    const mine = pos(h, H1, BOB, 1);
    const out = S.SubnetAlphaOut.get(h.state, 1);
    const ev = handlerSucceedsConserving(h, BOB, burn(H1, TAO, 1));
    assert.deepEqual(ev, [{ type: 'AlphaBurned', value: [BOB, H1, TAO, 1] }]);
    assert.equal(pos(h, H1, BOB, 1), mine - TAO);
    assert.equal(S.SubnetAlphaOut.get(h.state, 1), out);
  });

  it('clamps the amount to the position (whole position recycled)', () => {
    const h = world();
    const mine = pos(h, H1, BOB, 1);
    const out = S.SubnetAlphaOut.get(h.state, 1);
    const ev = handlerSucceedsConserving(h, BOB, recycle(H1, U64_MAX, 1));
    assert.deepEqual(ev, [{ type: 'AlphaRecycled', value: [BOB, H1, mine, 1] }]);
    assert.equal(pos(h, H1, BOB, 1), 0n);
    assert.equal(S.SubnetAlphaOut.get(h.state, 1), out - mine);
  });

  it('a coldkey without a position destroys nothing but still succeeds', () => {
    const h = world();
    const out = S.SubnetAlphaOut.get(h.state, 1);
    const ev = handlerSucceedsConserving(h, CHARLIE, recycle(H1, TAO, 1));
    assert.deepEqual(ev, [{ type: 'AlphaRecycled', value: [CHARLIE, H1, 0n, 1] }]);
    assert.equal(S.SubnetAlphaOut.get(h.state, 1), out);
  });

  it('destroyAlpha rejects a non-account hotkey', () => {
    const h = world();
    const ctx: DispatchContext = {
      state: new Overlay(h.state),
      blockNumber: 1,
      author: ALICE,
      deposit: () => {},
    };
    const o: Origin = { type: 'Signed', who: BOB };
    assert.throws(
      () => destroyAlpha(ctx, o, 'x' as unknown as Uint8Array, 1n, 1, 'burn'),
      TypeError,
    );
  });
});

describe('update_symbol', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const free = SUBNET_SYMBOLS[100] as Uint8Array;

  it('checks origin, table membership and availability in order', () => {
    const h = world();
    handlerRejects(h, BOB, updateSymbol(1, free), 'BadOrigin');
    handlerRejects(h, 'none', updateSymbol(1, free), 'BadOrigin');
    // Root's own Τ is not in the selectable table.
    handlerRejects(
      h,
      ALICE,
      updateSymbol(1, SUBNET_SYMBOLS[0] as Uint8Array),
      'SubtensorModule.SymbolDoesNotExist',
    );
    handlerRejects(h, ALICE, updateSymbol(1, enc('XYZ')), 'SubtensorModule.SymbolDoesNotExist');
    handlerRejects(
      h,
      ALICE,
      updateSymbol(1, new Uint8Array(10_000)),
      'SubtensorModule.SymbolDoesNotExist',
    );
    const two = S.TokenSymbol.get(h.state, 2);
    handlerRejects(h, ALICE, updateSymbol(1, two), 'SubtensorModule.SymbolAlreadyInUse');
    // A subnet's own current symbol counts as used too.
    handlerRejects(
      h,
      ALICE,
      updateSymbol(1, S.TokenSymbol.get(h.state, 1)),
      'SubtensorModule.SymbolAlreadyInUse',
    );
  });

  it('the owner sets a free symbol, then root another; the old one is free again', () => {
    const h = world();
    const old = S.TokenSymbol.get(h.state, 1);
    let ev = handlerSucceedsConserving(h, ALICE, updateSymbol(1, free));
    assert.deepEqual(ev, [{ type: 'SymbolUpdated', value: { netuid: 1, symbol: free } }]);
    assert.deepEqual(S.TokenSymbol.get(h.state, 1), free);
    ev = handlerSucceedsConserving(h, 'root', updateSymbol(2, old));
    assert.deepEqual(ev, [{ type: 'SymbolUpdated', value: { netuid: 2, symbol: old } }]);
    assert.deepEqual(S.TokenSymbol.get(h.state, 2), old);
  });

  it('isSubnetSymbol knows the table and rejects non-bytes', () => {
    assert.equal(isSubnetSymbol(SUBNET_SYMBOLS[1] as Uint8Array), true);
    assert.equal(isSubnetSymbol(SUBNET_SYMBOLS[0] as Uint8Array), false);
    assert.throws(() => isSubnetSymbol('α' as unknown as Uint8Array), TypeError);
  });
});
