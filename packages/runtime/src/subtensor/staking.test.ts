import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  type RuntimeEvent,
  SubtensorStorage as S,
  type SubtensorCall,
  Swap,
  System,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness } from '@taoscript/testkit';
import fc from 'fast-check';
import {
  ALICE,
  callHandler,
  genesisSubnets,
  handlerRejects,
  handlerSucceeds,
  ownHotkeys,
  subtensorPayloads,
  TAO,
  U64_MAX,
} from '../../test/subtensor-fixtures.js';
import { type DispatchContext, describeDispatchError } from '../dispatch.js';
import { Overlay } from '../state.js';
import { dispatchSubtensorPallet } from './dispatch.js';
import { reduceLock, rollForwardLock } from './math/lock.js';
import { MAX_PRICE_RAO, MIN_PRICE_RAO, swap } from './math/swap.js';
import { currentAlphaPrice, spotPriceRao, subnetAccount } from './pool.js';
import { creditStake, stakeOf } from './share-pool.js';
import {
  availableToUnstake,
  MIN_STAKE,
  maxAmountAdd,
  stakeIntoSubnet,
  totalColdkeyAlphaOnSubnet,
  totalStakeForHotkey,
  unstakeFromSubnet,
} from './staking.js';

const seed = Number(process.env.FC_SEED ?? 1);

const BOB = devKeypair('Bob').publicKey;
const CHARLIE = devKeypair('Charlie').publicKey;
const DAVE = devKeypair('Dave').publicKey;
const OWNER_HOT1 = keypairFromUri('//OwnerHot1').publicKey;
const OWNER_HOT2 = keypairFromUri('//OwnerHot2').publicKey;
/** Charlie's hotkey: Bob and Dave are its nominators. */
const H1 = keypairFromUri('//H1').publicKey;
/** Bob's own hotkey. */
const H2 = keypairFromUri('//H2').publicKey;
const NOBODY_HOT = keypairFromUri('//Unregistered').publicKey;

/** Subnets 1 and 2 (dynamic, 1000 TAO / 1000 alpha pools) owned by Alice, plus root. */
function world(): RuntimeHarness {
  const h = genesisSubnets(OWNER_HOT1, OWNER_HOT2);
  ownHotkeys(h, [
    [H1, CHARLIE],
    [H2, BOB],
  ]);
  return h;
}

/** A direct context over the harness state (for the exported helpers). */
function ctxOf(
  h: RuntimeHarness,
  events: RuntimeEvent[] = [],
): DispatchContext & { state: Overlay } {
  return {
    state: new Overlay(h.state),
    blockNumber: h.number + 1,
    author: ALICE,
    deposit: (e) => events.push(e),
  };
}

/** Field `i` of a SubtensorModule event (tuple payload). */
function arg<T = bigint>(e: unknown, i: number): T {
  return args(e)[i] as T;
}
function args(e: unknown): unknown[] {
  assert.ok(e && typeof e === 'object' && 'value' in e, 'missing event');
  return e.value as unknown[];
}
const free = (h: RuntimeHarness, who: Uint8Array) => System.Account.get(h.state, who).data.free;
const pos = (h: RuntimeHarness, hot: Uint8Array, cold: Uint8Array, netuid: number) =>
  stakeOf(new Overlay(h.state), hot, cold, netuid);

const addStake = (hotkey: Uint8Array, netuid: number, amount: bigint): SubtensorCall => ({
  type: 'add_stake',
  value: { hotkey, netuid, amount_staked: amount },
});
const removeStake = (hotkey: Uint8Array, netuid: number, amount: bigint): SubtensorCall => ({
  type: 'remove_stake',
  value: { hotkey, netuid, amount_unstaked: amount },
});
const addStakeLimit = (
  hotkey: Uint8Array,
  netuid: number,
  amount: bigint,
  limit: bigint,
  allowPartial: boolean,
): SubtensorCall => ({
  type: 'add_stake_limit',
  value: { hotkey, netuid, amount_staked: amount, limit_price: limit, allow_partial: allowPartial },
});
const removeStakeLimit = (
  hotkey: Uint8Array,
  netuid: number,
  amount: bigint,
  limit: bigint,
  allowPartial: boolean,
): SubtensorCall => ({
  type: 'remove_stake_limit',
  value: {
    hotkey,
    netuid,
    amount_unstaked: amount,
    limit_price: limit,
    allow_partial: allowPartial,
  },
});
const moveStake = (
  from: Uint8Array,
  to: Uint8Array,
  o: number,
  d: number,
  amount: bigint,
): SubtensorCall => ({
  type: 'move_stake',
  value: {
    origin_hotkey: from,
    destination_hotkey: to,
    origin_netuid: o,
    destination_netuid: d,
    alpha_amount: amount,
  },
});
const transferStake = (
  dest: Uint8Array,
  hotkey: Uint8Array,
  o: number,
  d: number,
  amount: bigint,
): SubtensorCall => ({
  type: 'transfer_stake',
  value: {
    destination_coldkey: dest,
    hotkey,
    origin_netuid: o,
    destination_netuid: d,
    alpha_amount: amount,
  },
});
const swapStake = (hotkey: Uint8Array, o: number, d: number, amount: bigint): SubtensorCall => ({
  type: 'swap_stake',
  value: { hotkey, origin_netuid: o, destination_netuid: d, alpha_amount: amount },
});

function pool(h: RuntimeHarness, netuid: number) {
  return {
    taoReserve: S.SubnetTAO.get(h.state, netuid),
    alphaReserve: S.SubnetAlphaIn.get(h.state, netuid),
    quote: Swap.SwapBalancer.get(h.state, netuid).quote,
  };
}

/** What the balancer gives for a trade at the current reserves (independent of pool.ts). */
function expectSwap(h: RuntimeHarness, netuid: number, direction: 'buy' | 'sell', amount: bigint) {
  const r = swap(pool(h, netuid), {
    direction,
    amount,
    limitPrice: direction === 'buy' ? MAX_PRICE_RAO << 64n : 0n,
    feeRate: Swap.FeeRate.get(h.state, netuid),
    initialized: Swap.PalSwapInitialized.get(h.state, netuid),
  });
  assert.ok(r.ok);
  return r;
}

// ---- add_stake ----------------------------------------------------------------------------------

describe('add_stake', () => {
  it('checks in upstream order', () => {
    const h = world();
    handlerRejects(h, 'root', addStake(H1, 1, TAO), 'BadOrigin');
    handlerRejects(h, 'none', addStake(H1, 1, TAO), 'BadOrigin');
    // 1000 × SubnetTAO is checked before anything else, even existence of the hotkey.
    handlerRejects(
      h,
      BOB,
      addStake(NOBODY_HOT, 1, 1000n * 1000n * TAO + 1n),
      'SubtensorModule.InsufficientLiquidity',
    );
    handlerRejects(h, BOB, addStake(H1, 9, TAO), 'SubtensorModule.SubnetNotExists');
    h.edit((ov) => S.SubtokenEnabled.set(ov, 2, false));
    handlerRejects(h, BOB, addStake(H1, 2, TAO), 'SubtensorModule.SubtokenDisabled');
    // min stake + the fee on the min stake (floor(2e6·33/65535) = 1007).
    handlerRejects(h, BOB, addStake(H1, 1, MIN_STAKE + 1006n), 'SubtensorModule.AmountTooLow');
    const poor = keypairFromUri('//Poor').publicKey;
    h.edit((ov) => {
      const a = System.Account.get(ov, poor);
      a.providers = 1;
      a.data.free = TAO;
      System.Account.set(ov, poor, a);
      Balances.TotalIssuance.set(ov, Balances.TotalIssuance.get(ov) + TAO);
      S.TotalIssuance.set(ov, S.TotalIssuance.get(ov) + TAO);
    });
    handlerRejects(h, poor, addStake(H1, 1, TAO + 1n), 'SubtensorModule.NotEnoughBalanceToStake');
    handlerRejects(h, BOB, addStake(NOBODY_HOT, 1, TAO), 'SubtensorModule.HotKeyAccountNotExists');
    // A pool whose share arithmetic cannot take the credit.
    h.edit((ov) => {
      S.TotalHotkeySharesV2.set(ov, H1, 1, { mantissa: 10n ** 21n, exponent: -(1n << 63n) + 5n });
      S.TotalHotkeyAlpha.set(ov, H1, 1, 1000n);
    });
    handlerRejects(h, BOB, addStake(H1, 1, TAO), 'SubtensorModule.InsufficientLiquidity');
  });

  it('a failing simulated swap is InsufficientLiquidity', () => {
    const h = world();
    // Alpha reserve below the swap minimum reserve (1e6).
    h.edit((ov) => S.SubnetAlphaIn.set(ov, 1, 999_999n));
    handlerRejects(h, BOB, addStake(H1, 1, TAO), 'SubtensorModule.InsufficientLiquidity');
  });

  it('moves TAO to the subnet account, buys alpha, credits shares, pays the fee to the author', () => {
    const h = world();
    const amount = 10n * TAO;
    const exp = expectSwap(h, 1, 'buy', amount);
    const before = {
      bob: free(h, BOB),
      alice: free(h, ALICE),
      account: free(h, subnetAccount(1)),
      tao: S.SubnetTAO.get(h.state, 1),
      alphaIn: S.SubnetAlphaIn.get(h.state, 1),
      total: S.TotalStake.get(h.state),
      issuance: Balances.TotalIssuance.get(h.state),
      alphaOut: S.SubnetAlphaOut.get(h.state, 1),
    };
    const events = handlerSucceeds(h, BOB, addStake(H1, 1, amount), { block: 7 });
    assert.deepEqual(events, [
      { type: 'StakeAdded', value: [BOB, H1, amount, exp.amountPaidOut, 1, exp.feePaid] },
    ]);
    assert.equal(exp.feePaid, 5_035_477n);
    assert.equal(pos(h, H1, BOB, 1), exp.amountPaidOut);
    assert.equal(S.TotalHotkeyAlpha.get(h.state, H1, 1), exp.amountPaidOut);
    assert.equal(free(h, BOB), before.bob - amount);
    assert.equal(free(h, ALICE), before.alice + exp.feePaid);
    assert.equal(free(h, subnetAccount(1)), before.account + amount - exp.feePaid);
    assert.equal(S.SubnetTAO.get(h.state, 1), before.tao + amount - exp.feePaid);
    assert.equal(S.SubnetAlphaIn.get(h.state, 1), before.alphaIn - exp.amountPaidOut);
    assert.equal(S.SubnetAlphaOut.get(h.state, 1), before.alphaOut + exp.amountPaidOut);
    assert.equal(S.TotalStake.get(h.state), before.total + amount);
    assert.equal(S.SubnetVolume.get(h.state, 1), amount);
    assert.equal(S.SubnetTaoFlow.get(h.state, 1), amount - exp.feePaid);
    assert.equal(S.LastColdkeyHotkeyStakeBlock.get(h.state, BOB, H1), 7n);
    assert.ok(S.StakingHotkeys.get(h.state, BOB).some((k) => bytesEqual(k, H1)));
    assert.equal(Balances.TotalIssuance.get(h.state), before.issuance);
    // add_stake (unlike add_stake_limit) does not write a Delegates entry.
    assert.equal(S.Delegates.tryGet(h.state, H1), undefined);
  });

  it('keeps the existential deposit: staking everything stakes free − ED', () => {
    const h = world();
    const who = keypairFromUri('//AllIn').publicKey;
    h.edit((ov) => {
      const a = System.Account.get(ov, who);
      a.providers = 1;
      a.data.free = 5n * TAO;
      System.Account.set(ov, who, a);
      Balances.TotalIssuance.set(ov, Balances.TotalIssuance.get(ov) + 5n * TAO);
      S.TotalIssuance.set(ov, S.TotalIssuance.get(ov) + 5n * TAO);
    });
    const events = handlerSucceeds(h, who, addStake(H1, 1, 5n * TAO));
    const added = events[0];
    assert.equal(added?.type, 'StakeAdded');
    assert.equal(arg(added, 2), 5n * TAO - 500n);
    assert.equal(free(h, who), 500n);
  });

  it('without a block author the fee is burned', () => {
    const h = world();
    const issuance = Balances.TotalIssuance.get(h.state);
    const alice = free(h, ALICE);
    const events = handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO), { author: null });
    const fee = arg(events[0], 5);
    assert.ok(fee > 0n);
    assert.equal(free(h, ALICE), alice);
    assert.equal(Balances.TotalIssuance.get(h.state), issuance - fee);
    assert.equal(S.TotalIssuance.get(h.state), Balances.TotalIssuance.get(h.state));
  });

  it('root stakes 1:1 without fee, indexes the coldkey and adjusts RootClaimed', () => {
    const h = world();
    h.edit((ov) => S.RootClaimable.set(ov, H1, [[1, 3n << 31n]])); // 1.5 per unit
    const events = handlerSucceeds(h, BOB, addStake(H1, 0, 4n * TAO));
    assert.deepEqual(events, [{ type: 'StakeAdded', value: [BOB, H1, 4n * TAO, 4n * TAO, 0, 0n] }]);
    assert.equal(pos(h, H1, BOB, 0), 4n * TAO);
    assert.equal(S.RootClaimed.get(h.state, 1, H1, BOB), 6n * TAO);
    assert.equal(S.StakingColdkeys.get(h.state, BOB), 0n);
    assert.deepEqual(S.StakingColdkeysByIndex.get(h.state, 0n), BOB);
    assert.equal(S.NumStakingColdkeys.get(h.state), 1n);
    assert.equal(S.SubnetTAO.get(h.state, 0), 4n * TAO);
  });

  it('a stable (mechanism 0) subnet trades 1:1', () => {
    const h = world();
    h.edit((ov) => S.SubnetMechanism.set(ov, 2, 0));
    const events = handlerSucceeds(h, BOB, addStake(H1, 2, 3n * TAO));
    assert.deepEqual(events, [{ type: 'StakeAdded', value: [BOB, H1, 3n * TAO, 3n * TAO, 2, 0n] }]);
  });

  it('runs through a signed extrinsic: fee paid, ExtrinsicFailed on error with no staking events', () => {
    const h = world();
    const bob = devKeypair('Bob');
    const ok = h.run(bob, { type: 'SubtensorModule', value: addStake(H1, 1, TAO) });
    assert.ok(ok.result.ok && ok.result.outcome.ok);
    assert.ok(ok.events.some((e) => e.event.type === 'SubtensorModule'));
    const bad = h.run(bob, { type: 'SubtensorModule', value: addStake(NOBODY_HOT, 1, TAO) });
    assert.ok(bad.result.ok && !bad.result.outcome.ok);
    if (bad.result.ok && !bad.result.outcome.ok)
      assert.equal(
        describeDispatchError(bad.result.outcome.error),
        'SubtensorModule.HotKeyAccountNotExists',
      );
    assert.ok(!bad.events.some((e) => e.event.type === 'SubtensorModule'));
    assert.ok(
      bad.events.some((e) => e.event.type === 'System' && e.event.value.type === 'ExtrinsicFailed'),
    );
  });
});

// ---- add_stake_limit ----------------------------------------------------------------------------

describe('add_stake_limit', () => {
  it('a limit at or below the current price fails in the swap simulation', () => {
    const h = world();
    handlerRejects(h, BOB, addStakeLimit(H1, 1, TAO, TAO, true), 'Swap.PriceLimitExceeded');
    handlerRejects(h, BOB, addStakeLimit(H1, 1, TAO, TAO / 2n, false), 'Swap.PriceLimitExceeded');
  });

  it('refuses slippage without allow_partial; with it, stakes up to the limit', () => {
    const h = world();
    const limit = (TAO * 101n) / 100n; // +1%
    const ctx = ctxOf(h);
    const max = maxAmountAdd(ctx, 1, limit);
    assert.ok(max.ok && max.value > 0n && max.value < 100n * TAO);
    handlerRejects(
      h,
      BOB,
      addStakeLimit(H1, 1, 100n * TAO, limit, false),
      'SubtensorModule.SlippageTooHigh',
    );
    const bobBefore = free(h, BOB);
    const events = handlerSucceeds(h, BOB, addStakeLimit(H1, 1, 100n * TAO, limit, true));
    const [added] = events;
    assert.equal(added?.type, 'StakeAdded');
    assert.equal(arg(added, 2), max.value);
    assert.equal(free(h, BOB), bobBefore - max.value);
    const price = spotPriceRao(h.state, 1);
    assert.ok(price <= limit && price >= limit - 2n, `${price}`);
    // A nominator's limit stake gives the hotkey an explicit Delegates entry (the default take).
    assert.equal(S.Delegates.tryGet(h.state, H1), 11_796);
    // Under the max it behaves like add_stake.
    handlerSucceeds(h, BOB, addStakeLimit(H2, 2, TAO, 2n * TAO, false));
    assert.equal(S.Delegates.tryGet(h.state, H2), undefined); // Bob owns H2
  });

  it('root: a limit below 1.0 allows nothing', () => {
    const h = world();
    handlerRejects(
      h,
      BOB,
      addStakeLimit(H1, 0, TAO, TAO - 1n, false),
      'SubtensorModule.SlippageTooHigh',
    );
    // Partial with max 0: the simulated TAO in (0) is below the minimum stake.
    handlerRejects(
      h,
      BOB,
      addStakeLimit(H1, 0, TAO, TAO - 1n, true),
      'SubtensorModule.AmountTooLow',
    );
    handlerSucceeds(h, BOB, addStakeLimit(H1, 0, TAO, TAO, false));
    assert.equal(pos(h, H1, BOB, 0), TAO);
  });
});

// ---- remove_stake -------------------------------------------------------------------------------

describe('remove_stake', () => {
  it('checks in upstream order', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const mine = pos(h, H1, BOB, 1);
    handlerRejects(h, 'root', removeStake(H1, 1, TAO), 'BadOrigin');
    // The subtoken check comes first: an unknown subnet reads as disabled.
    handlerRejects(h, BOB, removeStake(H1, 9, TAO), 'SubtensorModule.SubtokenDisabled');
    h.edit((ov) => S.SubtokenEnabled.set(ov, 9, true));
    handlerRejects(h, BOB, removeStake(H1, 9, TAO), 'SubtensorModule.SubnetNotExists');
    // Nothing staked (amount clamps to 0).
    handlerRejects(h, DAVE, removeStake(H1, 1, TAO), 'SubtensorModule.AmountTooLow');
    // A partial unstake worth less than the minimum stake.
    handlerRejects(h, BOB, removeStake(H1, 1, 1_000_000n), 'SubtensorModule.AmountTooLow');
    // Clamped amount above 1000 × SubnetAlphaIn.
    h.edit((ov) => S.SubnetAlphaIn.set(ov, 1, mine / 1000n - 1n));
    handlerRejects(h, BOB, removeStake(H1, 1, mine), 'SubtensorModule.InsufficientLiquidity');
  });

  it('needs an existing hotkey, unlocked alpha and a working swap', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const mine = pos(h, H1, BOB, 1);
    h.edit((ov) => S.Owner.remove(ov, H1));
    handlerRejects(h, BOB, removeStake(H1, 1, TAO), 'SubtensorModule.HotKeyAccountNotExists');
    h.edit((ov) => S.Owner.set(ov, H1, CHARLIE));
    h.edit((ov) =>
      S.Lock.set(ov, BOB, 1, H1, { locked_mass: mine - TAO, conviction: 0n, last_update: 2n }),
    );
    handlerRejects(h, BOB, removeStake(H1, 1, 2n * TAO), 'SubtensorModule.StakeUnavailable', {
      block: 2,
    });
    handlerSucceeds(h, BOB, removeStake(H1, 1, TAO), { block: 2 });
    h.edit((ov) => S.Lock.remove(ov, BOB, 1, H1));
    h.edit((ov) => S.SubnetTAO.set(ov, 1, 999_999n));
    handlerRejects(h, BOB, removeStake(H1, 1, TAO), 'SubtensorModule.InsufficientLiquidity');
  });

  it('sells the alpha, pays the coldkey, sells the fee for the author and books the reserves', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const amount = 3n * TAO;
    const sell = expectSwap(h, 1, 'sell', amount);
    const before = {
      bob: free(h, BOB),
      alice: free(h, ALICE),
      account: free(h, subnetAccount(1)),
      tao: S.SubnetTAO.get(h.state, 1),
      alphaIn: S.SubnetAlphaIn.get(h.state, 1),
      alphaOut: S.SubnetAlphaOut.get(h.state, 1),
      position: pos(h, H1, BOB, 1),
      flow: S.SubnetTaoFlow.get(h.state, 1),
      total: S.TotalStake.get(h.state),
    };
    const events = handlerSucceeds(h, BOB, removeStake(H1, 1, amount), { block: 9 });
    // The fee alpha is sold fee-less after the main trade.
    const afterMain = {
      taoReserve: before.tao - sell.amountPaidOut,
      alphaReserve: before.alphaIn + sell.amountPaidIn,
      quote: Swap.SwapBalancer.get(h.state, 1).quote,
    };
    const feeSale = swap(afterMain, {
      direction: 'sell',
      amount: sell.feePaid,
      limitPrice: 0n,
      feeRate: 33,
      dropFees: true,
    });
    assert.ok(feeSale.ok);
    assert.deepEqual(events, [
      {
        type: 'StakeRemoved',
        value: [BOB, H1, sell.amountPaidOut, sell.amountPaidIn, 1, sell.feePaid],
      },
    ]);
    assert.equal(pos(h, H1, BOB, 1), before.position - amount);
    assert.equal(free(h, BOB), before.bob + sell.amountPaidOut);
    assert.equal(free(h, ALICE), before.alice + feeSale.amountPaidOut);
    const paid = sell.amountPaidOut + feeSale.amountPaidOut;
    assert.equal(free(h, subnetAccount(1)), before.account - paid);
    assert.equal(S.SubnetTAO.get(h.state, 1), before.tao - paid);
    assert.equal(S.SubnetAlphaIn.get(h.state, 1), before.alphaIn + amount);
    assert.equal(S.SubnetAlphaOut.get(h.state, 1), before.alphaOut - amount);
    assert.equal(S.SubnetTaoFlow.get(h.state, 1), before.flow - paid);
    assert.equal(S.TotalStake.get(h.state), before.total - paid);
    assert.equal(S.LastColdkeyHotkeyStakeBlock.get(h.state, BOB, H1), 9n);
  });

  it('clamps the amount to the position and may remove a whole position below the minimum', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, TAO));
    handlerSucceeds(h, BOB, removeStake(H1, 1, U64_MAX));
    assert.equal(pos(h, H1, BOB, 1), 0n);
    assert.equal(S.AlphaV2.tryGet(h.state, H1, BOB, 1), undefined);
    // A dust position (worth < min stake) can still be removed entirely.
    h.edit((ov) => {
      creditStake(ov, H1, DAVE, 1, 1000n);
      S.SubnetAlphaOut.set(ov, 1, S.SubnetAlphaOut.get(ov, 1) + 1000n);
    });
    handlerSucceeds(h, DAVE, removeStake(H1, 1, 1000n));
    assert.equal(pos(h, H1, DAVE, 1), 0n);
  });

  it('clears a nominator’s remainder below NominatorMinRequiredStake, not the owner’s', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    handlerSucceeds(h, CHARLIE, addStake(H1, 1, 10n * TAO));
    // Threshold = DefaultMinStake × 1e6·1000 / 1e6 = 2 TAO.
    h.edit((ov) => S.NominatorMinRequiredStake.set(ov, 1_000_000_000n));
    const bobEvents = handlerSucceeds(h, BOB, removeStake(H1, 1, pos(h, H1, BOB, 1) - TAO));
    assert.deepEqual(
      bobEvents.map((e) => e.type),
      ['StakeRemoved', 'StakeRemoved'],
    );
    assert.equal(pos(h, H1, BOB, 1), 0n);
    handlerSucceeds(h, CHARLIE, removeStake(H1, 1, pos(h, H1, CHARLIE, 1) - TAO));
    assert.ok(pos(h, H1, CHARLIE, 1) > 0n);
  });

  it('raising NominatorMinRequiredStake (AdminUtils) sweeps small nominations, legacy ones too', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, TAO));
    handlerSucceeds(h, DAVE, addStake(H1, 1, 10n * TAO));
    handlerSucceeds(h, CHARLIE, addStake(H1, 1, TAO)); // the owner: never swept
    // A legacy (U64F64) position of Dave on H2, worth 0.5 TAO at price ~1.
    h.edit((ov) => {
      S.TotalHotkeyShares.set(ov, H2, 1, 1n << 64n);
      S.Alpha.set(ov, H2, DAVE, 1, 1n << 64n);
      S.TotalHotkeyAlpha.set(ov, H2, 1, TAO / 2n);
      S.SubnetAlphaOut.set(ov, 1, S.SubnetAlphaOut.get(ov, 1) + TAO / 2n);
      S.SubnetAlphaIn.set(ov, 1, S.SubnetAlphaIn.get(ov, 1) - TAO / 2n);
    });
    const ov = new Overlay(h.state);
    const events: RuntimeEvent[] = [];
    const out = dispatchSubtensorPallet(
      { state: ov, blockNumber: h.number + 1, author: ALICE, deposit: (e) => events.push(e) },
      { type: 'Root' },
      {
        type: 'AdminUtils',
        // 2 TAO: DefaultMinStake × 1e9 / 1e6
        value: {
          type: 'sudo_set_nominator_min_required_stake',
          value: { min_stake: 1_000_000_000n },
        },
      },
    );
    h.state.apply(ov.changes());
    assert.ok(out.ok);
    assert.equal(pos(h, H1, BOB, 1), 0n);
    assert.equal(pos(h, H2, DAVE, 1), 0n);
    assert.equal(S.Alpha.tryGet(h.state, H2, DAVE, 1), undefined);
    assert.ok(pos(h, H1, DAVE, 1) > 9n * TAO);
    assert.ok(pos(h, H1, CHARLIE, 1) > 0n);
    assert.equal(subtensorPayloads(events).filter((e) => e.type === 'StakeRemoved').length, 2);
  });

  it('without a block author the fee alpha is burned (it stays in SubnetAlphaOut)', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const sell = expectSwap(h, 1, 'sell', 2n * TAO);
    const alice = free(h, ALICE);
    const alphaOut = S.SubnetAlphaOut.get(h.state, 1);
    const tao = S.SubnetTAO.get(h.state, 1);
    handlerSucceeds(h, BOB, removeStake(H1, 1, 2n * TAO), { author: null });
    assert.equal(free(h, ALICE), alice);
    assert.equal(S.SubnetAlphaOut.get(h.state, 1), alphaOut - sell.amountPaidIn);
    assert.equal(S.SubnetTAO.get(h.state, 1), tao - sell.amountPaidOut);
  });

  it('drops pending children everywhere when the hotkey falls below StakeThreshold', () => {
    const h = world();
    handlerSucceeds(h, CHARLIE, addStake(H1, 1, 10n * TAO));
    h.edit((ov) => {
      S.PendingChildKeys.set(ov, 1, H1, [[[1n, H2]], 100n]);
      S.PendingChildKeys.set(ov, 2, H1, [[[1n, H2]], 100n]);
      S.StakeThreshold.set(ov, 5n * TAO);
    });
    handlerSucceeds(h, CHARLIE, removeStake(H1, 1, TAO));
    assert.notEqual(S.PendingChildKeys.tryGet(h.state, 1, H1), undefined);
    handlerSucceeds(h, CHARLIE, removeStake(H1, 1, 5n * TAO));
    assert.equal(S.PendingChildKeys.tryGet(h.state, 1, H1), undefined);
    assert.equal(S.PendingChildKeys.tryGet(h.state, 2, H1), undefined);
  });

  it('root unstake lowers RootClaimed and drops the coldkey from the claim index', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 0, 4n * TAO));
    handlerSucceeds(h, DAVE, addStake(H1, 0, 4n * TAO));
    h.edit((ov) =>
      S.RootClaimable.set(ov, H1, [
        [0, 1n << 32n],
        [1, 1n << 32n],
      ]),
    );
    h.edit((ov) => S.RootClaimed.set(ov, 1, H1, BOB, 10n * TAO));
    handlerSucceeds(h, BOB, removeStake(H1, 0, 4n * TAO));
    assert.equal(S.RootClaimed.get(h.state, 1, H1, BOB), 6n * TAO);
    // Bob (index 0) removed; Dave (last) moved into slot 0.
    assert.equal(S.StakingColdkeys.tryGet(h.state, BOB), undefined);
    assert.equal(S.StakingColdkeys.get(h.state, DAVE), 0n);
    assert.deepEqual(S.StakingColdkeysByIndex.get(h.state, 0n), DAVE);
    assert.equal(S.StakingColdkeysByIndex.tryGet(h.state, 1n), undefined);
    assert.equal(S.NumStakingColdkeys.get(h.state), 1n);
  });
});

// ---- remove_stake_limit / full_limit ------------------------------------------------------------

describe('remove_stake_limit and remove_stake_full_limit', () => {
  it('has no subtoken check and does not clamp to the position', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const mine = pos(h, H1, BOB, 1);
    h.edit((ov) => S.SubtokenEnabled.set(ov, 1, false));
    handlerRejects(
      h,
      BOB,
      removeStakeLimit(H1, 1, mine + 1n, 1000n, false),
      'SubtensorModule.NotEnoughStakeToWithdraw',
    );
    handlerSucceeds(h, BOB, removeStakeLimit(H1, 1, TAO, 1000n, false));
    assert.equal(pos(h, H1, BOB, 1), mine - TAO);
  });

  it('a limit at or above the current price fails; slippage and partial fills', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 100n * TAO));
    const price = spotPriceRao(h.state, 1);
    handlerRejects(
      h,
      BOB,
      removeStakeLimit(H1, 1, TAO, price + 1n, true),
      'Swap.PriceLimitExceeded',
    );
    const limit = (price * 99n) / 100n;
    handlerRejects(
      h,
      BOB,
      removeStakeLimit(H1, 1, 50n * TAO, limit, false),
      'SubtensorModule.SlippageTooHigh',
    );
    const before = pos(h, H1, BOB, 1);
    handlerSucceeds(h, BOB, removeStakeLimit(H1, 1, 50n * TAO, limit, true));
    const sold = before - pos(h, H1, BOB, 1);
    assert.ok(sold > 0n && sold < 50n * TAO, `${sold}`);
    // The main sale stops at the limit; the fee alpha, sold afterwards, nudges it a little lower.
    const after = spotPriceRao(h.state, 1);
    assert.ok(after <= limit && after >= (limit * 9_999n) / 10_000n, `${after} vs ${limit}`);
  });

  it('full_limit removes the whole position (with or without a limit)', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    handlerSucceeds(h, BOB, {
      type: 'remove_stake_full_limit',
      value: { hotkey: H1, netuid: 1, limit_price: undefined },
    });
    assert.equal(pos(h, H1, BOB, 1), 0n);
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const limit = (spotPriceRao(h.state, 1) * 999n) / 1000n;
    handlerRejects(
      h,
      BOB,
      { type: 'remove_stake_full_limit', value: { hotkey: H1, netuid: 1, limit_price: limit } },
      'SubtensorModule.SlippageTooHigh',
    );
    handlerSucceeds(h, BOB, {
      type: 'remove_stake_full_limit',
      value: { hotkey: H1, netuid: 1, limit_price: 1000n },
    });
    assert.equal(pos(h, H1, BOB, 1), 0n);
    handlerRejects(
      h,
      BOB,
      { type: 'remove_stake_full_limit', value: { hotkey: H1, netuid: 1, limit_price: undefined } },
      'SubtensorModule.AmountTooLow',
    );
  });
});

// ---- unstake_all --------------------------------------------------------------------------------

describe('unstake_all and unstake_all_alpha', () => {
  it('unstake_all empties every enabled subnet, root included, skipping disabled ones', () => {
    const h = world();
    handlerRejects(
      h,
      BOB,
      { type: 'unstake_all', value: { hotkey: NOBODY_HOT } },
      'SubtensorModule.HotKeyAccountNotExists',
    );
    handlerSucceeds(h, BOB, addStake(H1, 0, 2n * TAO));
    handlerSucceeds(h, BOB, addStake(H1, 1, 5n * TAO));
    handlerSucceeds(h, BOB, addStake(H1, 2, 5n * TAO));
    h.edit((ov) => S.SubtokenEnabled.set(ov, 2, false));
    const bob = free(h, BOB);
    const events = handlerSucceeds(h, BOB, { type: 'unstake_all', value: { hotkey: H1 } });
    const removed = events.filter((e) => e.type === 'StakeRemoved');
    assert.deepEqual(
      removed.map((e) => (e.value as unknown[])[4]),
      [0, 1],
    );
    assert.equal(pos(h, H1, BOB, 0), 0n);
    assert.equal(pos(h, H1, BOB, 1), 0n);
    assert.ok(pos(h, H1, BOB, 2) > 0n);
    assert.ok(free(h, BOB) > bob + 6n * TAO);
    // Nothing left to unstake: still Ok, no events.
    h.edit((ov) => S.SubtokenEnabled.set(ov, 2, true));
    handlerSucceeds(h, DAVE, { type: 'unstake_all', value: { hotkey: H1 } });
  });

  it('unstake_all_alpha restakes the proceeds on root; with nothing to unstake it fails', () => {
    const h = world();
    handlerRejects(
      h,
      BOB,
      { type: 'unstake_all_alpha', value: { hotkey: H1 } },
      'SubtensorModule.AmountTooLow',
    );
    handlerSucceeds(h, BOB, addStake(H1, 0, 2n * TAO));
    handlerSucceeds(h, BOB, addStake(H1, 1, 5n * TAO));
    handlerSucceeds(h, BOB, addStake(H1, 2, 5n * TAO));
    const bob = free(h, BOB);
    const events = handlerSucceeds(h, BOB, { type: 'unstake_all_alpha', value: { hotkey: H1 } });
    const s = events;
    assert.deepEqual(
      s.map((e) => e.type),
      ['StakeRemoved', 'StakeRemoved', 'StakeAdded'],
    );
    const proceeds = arg(s[0], 2) + arg(s[1], 2);
    assert.deepEqual(s[2]?.value, [BOB, H1, proceeds, proceeds, 0, 0n]);
    assert.equal(pos(h, H1, BOB, 0), 2n * TAO + proceeds);
    assert.equal(free(h, BOB), bob);
  });
});

// ---- move / transfer / swap ---------------------------------------------------------------------

describe('move_stake, transfer_stake, swap_stake', () => {
  it('validates transitions in upstream order', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const mine = pos(h, H1, BOB, 1);
    handlerRejects(h, 'root', moveStake(H1, H2, 1, 2, TAO), 'BadOrigin');
    handlerRejects(h, BOB, moveStake(H1, H1, 1, 1, TAO), 'SubtensorModule.SameNetuid');
    handlerRejects(h, BOB, swapStake(H1, 1, 1, TAO), 'SubtensorModule.SameNetuid');
    handlerRejects(h, BOB, moveStake(H1, H2, 9, 1, TAO), 'SubtensorModule.SubnetNotExists');
    handlerRejects(h, BOB, moveStake(H1, H2, 1, 9, TAO), 'SubtensorModule.SubnetNotExists');
    h.edit((ov) => S.SubtokenEnabled.set(ov, 2, false));
    handlerRejects(h, BOB, moveStake(H1, H2, 1, 2, TAO), 'SubtensorModule.SubtokenDisabled');
    h.edit((ov) => S.SubtokenEnabled.set(ov, 2, true));
    handlerRejects(
      h,
      BOB,
      moveStake(NOBODY_HOT, H2, 1, 2, TAO),
      'SubtensorModule.HotKeyAccountNotExists',
    );
    handlerRejects(
      h,
      BOB,
      moveStake(H1, NOBODY_HOT, 1, 2, TAO),
      'SubtensorModule.HotKeyAccountNotExists',
    );
    // Cross-subnet: the simulated TAO must exceed the minimum stake (strictly).
    handlerRejects(h, BOB, moveStake(H1, H2, 1, 2, 1_000_000n), 'SubtensorModule.AmountTooLow');
    // Same subnet: the TAO equivalent at spot must reach the minimum stake.
    handlerRejects(h, BOB, moveStake(H1, H2, 1, 1, 1_000_000n), 'SubtensorModule.AmountTooLow');
    h.edit((ov) => S.TransferToggle.set(ov, 2, false));
    handlerRejects(
      h,
      BOB,
      transferStake(DAVE, H1, 1, 2, TAO),
      'SubtensorModule.TransferDisallowed',
    );
    handlerSucceeds(h, BOB, moveStake(H1, H2, 1, 2, TAO)); // the toggle only gates transfer_stake
    h.edit((ov) =>
      S.Lock.set(ov, BOB, 1, H1, { locked_mass: mine - 2n * TAO, conviction: 0n, last_update: 2n }),
    );
    handlerRejects(h, BOB, swapStake(H1, 1, 2, 3n * TAO), 'SubtensorModule.StakeUnavailable', {
      block: 2,
    });
  });

  it('move across subnets: unstake with the fee, restake fee-less, StakeMoved', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const amount = 4n * TAO;
    const sell = expectSwap(h, 1, 'sell', amount);
    const bob = free(h, BOB);
    const events = handlerSucceeds(h, BOB, moveStake(H1, H2, 1, 2, amount));
    const s = events;
    assert.deepEqual(
      s.map((e) => e.type),
      ['StakeRemoved', 'StakeAdded', 'StakeMoved'],
    );
    const tao = sell.amountPaidOut;
    const added = s[1]?.value as unknown[];
    assert.deepEqual(added.slice(0, 3), [BOB, H2, tao]);
    assert.equal(added[5], 0n); // fee dropped on the destination
    assert.deepEqual(s[2]?.value, [BOB, H1, 1, H2, 2, tao]);
    assert.equal(free(h, BOB), bob);
    assert.equal(pos(h, H2, BOB, 2), added[3]);
  });

  it('move within a subnet moves shares without a swap', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const reserves = pool(h, 1);
    const mine = pos(h, H1, BOB, 1);
    const events = handlerSucceeds(h, BOB, moveStake(H1, H2, 1, 1, 2n * TAO), { block: 5 });
    const price = currentAlphaPrice(h.state, 1);
    const taoEq = (price * 2n * TAO) >> 64n;
    assert.deepEqual(events, [
      { type: 'StakeRemoved', value: [BOB, H1, taoEq, 2n * TAO, 1, 0n] },
      { type: 'StakeAdded', value: [BOB, H2, taoEq, 2n * TAO, 1, 0n] },
      { type: 'StakeMoved', value: [BOB, H1, 1, H2, 1, taoEq] },
    ]);
    assert.deepEqual(pool(h, 1), reserves);
    assert.ok(mine - pos(h, H1, BOB, 1) >= 2n * TAO - 1n);
    assert.ok(pos(h, H2, BOB, 1) >= 2n * TAO - 1n);
    assert.equal(S.LastColdkeyHotkeyStakeBlock.get(h.state, BOB, H2), 5n);
  });

  it('transfer across subnets pays the TAO to the destination coldkey before restaking', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const dave = free(h, DAVE);
    const events = handlerSucceeds(h, BOB, transferStake(DAVE, H1, 1, 2, 4n * TAO));
    const s = events;
    assert.deepEqual(
      s.map((e) => e.type),
      ['StakeRemoved', 'StakeAdded', 'StakeTransferred'],
    );
    const tao = arg(s[0], 2);
    assert.deepEqual(s[2]?.value, [BOB, DAVE, H1, 1, 2, tao]);
    assert.deepEqual(args(s[1]).slice(0, 3), [DAVE, H1, tao]);
    assert.equal(free(h, DAVE), dave);
    assert.ok(pos(h, H1, DAVE, 2) > 0n);
    // Same subnet transfer: shares change hands.
    const before = pos(h, H1, BOB, 1);
    handlerSucceeds(h, BOB, transferStake(DAVE, H1, 1, 1, TAO));
    assert.ok(pos(h, H1, DAVE, 1) >= TAO - 1n);
    assert.ok(before - pos(h, H1, BOB, 1) <= TAO + 1n);
  });

  it('transfer within a subnet drags lock mass beyond the unlocked alpha, if the receiver accepts it', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const mine = pos(h, H1, BOB, 1);
    const locked = mine - 3n * TAO;
    h.edit((ov) => {
      S.Lock.set(ov, BOB, 1, H1, { locked_mass: locked, conviction: 0n, last_update: 2n });
      S.LockingColdkeys.set(ov, 1, H1, BOB, null);
      S.DecayingLock.set(ov, BOB, 1, false); // perpetual: no decay between blocks
    });
    // 3 TAO are unlocked, the fourth drags 1 TAO of lock to Dave, who rejects locked alpha.
    handlerRejects(
      h,
      BOB,
      transferStake(DAVE, H1, 1, 1, 4n * TAO),
      'SubtensorModule.AccountRejectsLockedAlpha',
      {
        block: 2,
      },
    );
    h.edit((ov) => S.AccountFlags.set(ov, DAVE, 1n));
    handlerSucceeds(h, BOB, transferStake(DAVE, H1, 1, 1, 4n * TAO), { block: 2 });
    assert.equal(S.Lock.get(h.state, BOB, 1, H1)?.locked_mass, locked - TAO);
    assert.equal(S.Lock.get(h.state, DAVE, 1, H1)?.locked_mass, TAO);
    assert.notEqual(S.LockingColdkeys.tryGet(h.state, 1, H1, DAVE), undefined);
  });

  it('swap_stake and swap_stake_limit', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 100n * TAO));
    const events = handlerSucceeds(h, BOB, swapStake(H1, 1, 2, 5n * TAO));
    const s = events;
    assert.equal(s[2]?.type, 'StakeSwapped');
    assert.deepEqual(args(s[2]).slice(0, 4), [BOB, H1, 1, 2]);
    // limit = price(1)/price(2) in RAO; asking for no worse than the current ratio refuses slippage.
    const ratio = (currentAlphaPrice(h.state, 1) * TAO) / currentAlphaPrice(h.state, 2);
    handlerRejects(
      h,
      BOB,
      {
        type: 'swap_stake_limit',
        value: {
          hotkey: H1,
          origin_netuid: 1,
          destination_netuid: 2,
          alpha_amount: 50n * TAO,
          limit_price: (ratio * 99n) / 100n,
          allow_partial: false,
        },
      },
      'SubtensorModule.SlippageTooHigh',
    );
    const before = pos(h, H1, BOB, 1);
    handlerSucceeds(h, BOB, {
      type: 'swap_stake_limit',
      value: {
        hotkey: H1,
        origin_netuid: 1,
        destination_netuid: 2,
        alpha_amount: 50n * TAO,
        limit_price: (ratio * 99n) / 100n,
        allow_partial: true,
      },
    });
    const moved = before - pos(h, H1, BOB, 1);
    assert.ok(moved > 0n && moved < 50n * TAO, `${moved}`);
  });

  it('moving out of root drops the unstake fee and charges it on the restake', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 0, 10n * TAO));
    const events = handlerSucceeds(h, BOB, moveStake(H1, H1, 0, 1, 5n * TAO));
    const s = events;
    assert.deepEqual(s[0]?.value, [BOB, H1, 5n * TAO, 5n * TAO, 0, 0n]);
    assert.ok(arg(s[1], 5) > 0n);
  });
});

// ---- locks ---------------------------------------------------------------------------------------

describe('lock hooks', () => {
  it('staking rolls the coldkey’s lock forward and takes its decay off the hotkey aggregate', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const lock = { locked_mass: 5n * TAO, conviction: 0n, last_update: 1n };
    h.edit((ov) => {
      S.Lock.set(ov, BOB, 1, H1, lock);
      S.LockingColdkeys.set(ov, 1, H1, BOB, null);
      S.DecayingHotkeyLock.set(ov, 1, H1, lock);
    });
    const t = 100_001n;
    const rolled = rollForwardLock({ lockedMass: 5n * TAO, conviction: 0n, lastUpdate: 1n }, t, {
      unlockRate: S.UnlockRate.get(h.state),
      maturityRate: S.MaturityRate.get(h.state),
      ownerLock: false,
      perpetualLock: false,
    });
    assert.ok(rolled.lockedMassDelta > 0n);
    // The availability check uses the rolled mass.
    assert.equal(
      availableToUnstake(new Overlay(h.state), BOB, 1, t),
      pos(h, H1, BOB, 1) - rolled.lock.lockedMass,
    );
    handlerSucceeds(h, BOB, addStake(H1, 1, TAO), { block: Number(t) });
    assert.deepEqual(S.Lock.get(h.state, BOB, 1, H1), {
      locked_mass: rolled.lock.lockedMass,
      conviction: rolled.lock.conviction,
      last_update: t,
    });
    const agg = reduceLock(
      { lockedMass: 5n * TAO, conviction: 0n, lastUpdate: 1n },
      rolled.lockedMassDelta,
      rolled.convictionDelta,
    );
    assert.deepEqual(S.DecayingHotkeyLock.get(h.state, 1, H1), {
      locked_mass: agg.lockedMass,
      conviction: agg.conviction,
      last_update: t,
    });
  });
});

// ---- exported helpers ---------------------------------------------------------------------------

describe('exported helpers', () => {
  it('reject malformed input', () => {
    const h = world();
    const ctx = ctxOf(h);
    assert.throws(
      () => stakeIntoSubnet(ctx, new Uint8Array(31), BOB, 1, TAO, MAX_PRICE_RAO, false),
      RangeError,
    );
    assert.throws(
      () => stakeIntoSubnet(ctx, H1, BOB, 70_000, TAO, MAX_PRICE_RAO, false),
      RangeError,
    );
    assert.throws(() => stakeIntoSubnet(ctx, H1, BOB, 1, -1n, MAX_PRICE_RAO, false), RangeError);
    assert.throws(
      () => stakeIntoSubnet(ctx, H1, BOB, 1, 1 as unknown as bigint, MAX_PRICE_RAO, false),
      TypeError,
    );
    assert.throws(
      () => unstakeFromSubnet(ctx, H1, BOB, BOB, 1, 1n << 64n, MIN_PRICE_RAO, false),
      RangeError,
    );
    assert.throws(
      () =>
        unstakeFromSubnet(ctx, H1, 'x' as unknown as Uint8Array, BOB, 1, 1n, MIN_PRICE_RAO, false),
      TypeError,
    );
    assert.throws(() => availableToUnstake(ctx.state, BOB, 1.5, 1n), RangeError);
    assert.throws(() => totalStakeForHotkey(ctx.state, new Uint8Array(33)), RangeError);
    assert.throws(
      () => totalColdkeyAlphaOnSubnet(ctx.state, null as unknown as Uint8Array, 1),
      TypeError,
    );
    assert.throws(() => maxAmountAdd(ctx, 1, -1n), RangeError);
  });

  it('totalStakeForHotkey prices each subnet’s pool at spot', () => {
    const h = world();
    handlerSucceeds(h, BOB, addStake(H1, 0, 3n * TAO));
    handlerSucceeds(h, BOB, addStake(H1, 1, 10n * TAO));
    const st = new Overlay(h.state);
    const alpha1 = S.TotalHotkeyAlpha.get(st, H1, 1);
    const expected = 3n * TAO + ((alpha1 * currentAlphaPrice(st, 1)) >> 64n);
    const got = totalStakeForHotkey(st, H1);
    assert.ok(got === expected || got === expected - 1n || got === expected + 1n);
  });
});

// ---- invariants ---------------------------------------------------------------------------------

describe('invariants over random call sequences', () => {
  const COLDS = [BOB, DAVE, CHARLIE];
  const HOTS = [H1, H2, OWNER_HOT1];
  const NETS = [0, 1, 2, 3];

  function invariantWorld(): RuntimeHarness {
    const h = world();
    // Subnet 3: a stable (mechanism 0) subnet seeded directly.
    h.edit((ov) => {
      S.NetworksAdded.set(ov, 3, true);
      S.SubtokenEnabled.set(ov, 3, true);
      S.SubnetMechanism.set(ov, 3, 0);
    });
    // Some positions to work with.
    for (const [i, cold] of [BOB, DAVE].entries())
      for (const n of NETS)
        handlerSucceeds(h, cold, addStake(HOTS[(i + n) % 2] as Uint8Array, n, 50n * TAO));
    return h;
  }

  function snapshot(h: RuntimeHarness) {
    let sum = 0n;
    for (const k of h.state.keys(System.Account.partialKey())) {
      const [who] = System.Account.decodeKey(k);
      sum += System.Account.get(h.state, who).data.free;
    }
    const backing = NETS.map((n) => free(h, subnetAccount(n)) - S.SubnetTAO.get(h.state, n));
    return { sum, backing };
  }

  /** An absolute amount, or (as a negative number) a percentage of the origin position. */
  const amount = fc.oneof(
    fc.bigInt({ min: 0n, max: 3n * TAO }),
    fc.bigInt({ min: 0n, max: 200n * TAO }),
    fc.constantFrom(0n, 1n, MIN_STAKE, MIN_STAKE + 1007n, U64_MAX),
    fc.bigInt({ min: -100n, max: -1n }),
    fc.bigInt({ min: -100n, max: -1n }),
  );
  /** An index into COLDS/HOTS, mostly among the first two (the seeded positions). */
  const idx = (n: number) =>
    n === 3
      ? fc.oneof({ arbitrary: fc.nat(1), weight: 5 }, { arbitrary: fc.nat(2), weight: 1 })
      : fc.nat(n - 1);
  const op = fc.oneof(
    fc.record({ k: fc.constant('add'), c: idx(3), h: idx(3), n: idx(4), a: amount }),
    fc.record({ k: fc.constant('remove'), c: idx(3), h: idx(3), n: idx(4), a: amount }),
    fc.record({
      k: fc.constant('move'),
      c: idx(3),
      h: idx(3),
      h2: idx(3),
      n: idx(4),
      n2: idx(4),
      a: amount,
    }),
    fc.record({
      k: fc.constant('transfer'),
      c: idx(3),
      c2: idx(3),
      h: idx(3),
      n: idx(4),
      n2: idx(4),
      a: amount,
    }),
    fc.record({ k: fc.constant('swap'), c: idx(3), h: idx(3), n: idx(4), n2: idx(4), a: amount }),
    fc.record({ k: fc.constant('unstakeAll'), c: idx(3), h: idx(3), alphaOnly: fc.boolean() }),
    fc.record({
      k: fc.constant('addLimit'),
      c: idx(3),
      h: idx(3),
      n: idx(4),
      a: amount,
      p: fc.bigInt({ min: 0n, max: 3n * TAO }),
      partial: fc.boolean(),
    }),
  );

  function toCall(
    h: RuntimeHarness,
    o: Record<string, unknown>,
  ): { who: Uint8Array; c: SubtensorCall } {
    const g = <T>(arr: T[], k: string) => arr[o[k] as number] as T;
    const raw = (o.a ?? 0n) as bigint;
    const a =
      raw >= 0n
        ? raw
        : o.n === undefined
          ? 0n
          : (pos(h, g(HOTS, 'h'), g(COLDS, 'c'), g(NETS, 'n')) * -raw) / 100n;
    switch (o.k) {
      case 'add':
        return { who: g(COLDS, 'c'), c: addStake(g(HOTS, 'h'), g(NETS, 'n'), a) };
      case 'remove':
        return { who: g(COLDS, 'c'), c: removeStake(g(HOTS, 'h'), g(NETS, 'n'), a) };
      case 'move':
        return {
          who: g(COLDS, 'c'),
          c: moveStake(g(HOTS, 'h'), g(HOTS, 'h2'), g(NETS, 'n'), g(NETS, 'n2'), a),
        };
      case 'transfer':
        return {
          who: g(COLDS, 'c'),
          c: transferStake(g(COLDS, 'c2'), g(HOTS, 'h'), g(NETS, 'n'), g(NETS, 'n2'), a),
        };
      case 'swap':
        return { who: g(COLDS, 'c'), c: swapStake(g(HOTS, 'h'), g(NETS, 'n'), g(NETS, 'n2'), a) };
      case 'unstakeAll':
        return {
          who: g(COLDS, 'c'),
          c: {
            type: o.alphaOnly ? 'unstake_all_alpha' : 'unstake_all',
            value: { hotkey: g(HOTS, 'h') },
          },
        };
      default:
        return {
          who: g(COLDS, 'c'),
          c: addStakeLimit(g(HOTS, 'h'), g(NETS, 'n'), a, o.p as bigint, o.partial as boolean),
        };
    }
  }

  it('TAO is conserved, reserves stay backed, pools add up, failures change nothing', () => {
    const tally = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const h = invariantWorld();
        const start = snapshot(h);
        // Alpha the coinbase minted into the pending accumulators (block 1): outstanding, but in
        // no hotkey pool until an epoch distributes it. Staking never touches it.
        const pending = NETS.map((n) => {
          let pools = 0n;
          for (const hot of HOTS) pools += S.TotalHotkeyAlpha.get(h.state, hot, n);
          return S.SubnetAlphaOut.get(h.state, n) - pools;
        });
        let successes = 0;
        for (const o of ops) {
          const { who, c } = toCall(h, o);
          const before = new Map(h.state.map);
          const r = callHandler(h, who, c);
          if (!r.ok) {
            tally.set(`${c.type}:${r.error}`, (tally.get(`${c.type}:${r.error}`) ?? 0) + 1);
            assert.deepEqual(r.events, [], `${c.type} failed but emitted events`);
            assert.deepEqual(
              h.state.map,
              before,
              `${c.type} failed (${r.error}) but changed state`,
            );
            continue;
          }
          successes++;
          tally.set(c.type, (tally.get(c.type) ?? 0) + 1);
          const now = snapshot(h);
          // TAO: the free balances always add up to the issuance (author present: no burns).
          assert.equal(now.sum, Balances.TotalIssuance.get(h.state));
          assert.equal(Balances.TotalIssuance.get(h.state), S.TotalIssuance.get(h.state));
          assert.equal(now.sum, start.sum);
          // Each subnet account holds exactly its reserve plus what it held beside it at the start.
          assert.deepEqual(now.backing, start.backing);
          for (const n of NETS) {
            let pools = 0n;
            for (const hot of HOTS) {
              const total = S.TotalHotkeyAlpha.get(h.state, hot, n);
              pools += total;
              let positions = 0n;
              for (const cold of COLDS) positions += pos(h, hot, cold, n);
              assert.ok(positions <= total + 3n, `positions ${positions} > pool ${total}`);
              assert.ok(
                total - positions <= 3n * BigInt(successes) + 3n,
                `pool dust ${total - positions}`,
              );
            }
            // Outstanding alpha is exactly what the hotkey pools hold, plus the pending emission.
            const minted = pending[NETS.indexOf(n)] as bigint;
            assert.equal(pools + minted, S.SubnetAlphaOut.get(h.state, n), `subnet ${n}`);
          }
        }
      }),
      { seed, numRuns: 100 },
    );
    // The sequences are not vacuous: every kind of call succeeded somewhere.
    for (const kind of [
      'add_stake',
      'remove_stake',
      'move_stake',
      'transfer_stake',
      'swap_stake',
      'unstake_all',
      'add_stake_limit',
    ])
      assert.ok((tally.get(kind) ?? 0) > 0, `${kind} never succeeded: ${[...tally]}`);
  });
});
