import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  type RuntimeEvent,
  SubtensorStorage as S,
  Swap,
  System,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import type { DispatchContext } from '../../dispatch.js';
import { MapState, Overlay } from '../../state.js';
import { adjustProtocolLiquidity, limitPriceFromRao, MAX_PRICE_RAO, swap } from '../math/swap.js';
import { subnetAccount } from '../pool.js';
import { rootProportion, runCoinbase, subnetTerms } from './run-coinbase.js';
import { mintTao } from './tao.js';
import { endow, seedSubnet } from './test-fixtures.js';

const TAO = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;
const HALF_W = 500_000_000_000_000_000n;
const BLOCK = 10;

interface World {
  rootTao: bigint;
  tao: bigint;
  alphaIn: bigint;
  /** Moving price num/den (root sells when the sum passes 1). */
  moving?: [bigint, bigint];
  taoWeight?: bigint;
}

/** Root plus subnet 1 (the only emitting subnet; no epoch due at BLOCK). */
function world(w: World): Overlay {
  const ov = new Overlay(new MapState());
  S.NetworksAdded.set(ov, 0, true);
  S.SubnetTAO.set(ov, 0, w.rootTao);
  endow(ov, subnetAccount(0), w.rootTao + 500n);
  S.TaoWeight.set(ov, w.taoWeight ?? U64_MAX);
  seedSubnet(ov, 1, {
    tao: w.tao,
    alphaIn: w.alphaIn,
    movingPrice: w.moving ?? [1n, 2n],
    lastEpochBlock: BigInt(BLOCK),
  });
  return ov;
}

function ctxOn(state: Overlay, events: RuntimeEvent[] = []): DispatchContext {
  return { state, blockNumber: BLOCK, author: undefined, deposit: (e) => events.push(e) };
}

function freeSum(ov: Overlay): bigint {
  let sum = 0n;
  for (const k of ov.keys(System.Account.partialKey()))
    sum += System.Account.get(ov, System.Account.decodeKey(k)[0]).data.free;
  return sum;
}

/** Runs one coinbase of `emission` rao; returns the events and the state before. */
function coinbase(ov: Overlay, emission = TAO) {
  const before = {
    tao: S.SubnetTAO.get(ov, 1),
    alphaIn: S.SubnetAlphaIn.get(ov, 1),
    alphaOut: S.SubnetAlphaOut.get(ov, 1),
    account: System.Account.get(ov, subnetAccount(1)).data.free,
    totalStake: S.TotalStake.get(ov),
    ti: S.TotalIssuance.get(ov),
    quote: Swap.SwapBalancer.get(ov, 1).quote,
  };
  const events: RuntimeEvent[] = [];
  const ctx = ctxOn(ov, events);
  runCoinbase(ctx, mintTao(ctx, emission), [0, 1]);
  assert.equal(freeSum(ov), Balances.TotalIssuance.get(ov), 'Σ free = Balances.TotalIssuance');
  assert.equal(S.TotalIssuance.get(ov), Balances.TotalIssuance.get(ov), 'issuances agree');
  return { events, before };
}

const balanceEvents = (events: RuntimeEvent[]) =>
  events.flatMap((e) => (e.type === 'Balances' ? [e.value] : []));

describe('root proportion', () => {
  it('is tao_weight·root TAO over that plus the alpha issuance', () => {
    const ov = world({ rootTao: 100n * TAO, tao: TAO, alphaIn: 200n * TAO });
    S.SubnetAlphaOut.set(ov, 1, 100n * TAO);
    assert.equal(rootProportion(ov, 1), 1n << 30n); // 100 / (100 + 300)
    S.TaoWeight.set(ov, 0n);
    assert.equal(rootProportion(ov, 1), 0n);
    S.SubnetAlphaIn.set(ov, 1, 0n);
    S.SubnetAlphaOut.set(ov, 1, 0n);
    assert.equal(rootProportion(ov, 1), 0n, '0/0 is 0');
    assert.throws(() => rootProportion(ov, 70_000), RangeError);
    assert.throws(() => rootProportion(ov, '1' as unknown as number), TypeError);
  });
});

describe('injection', () => {
  it('without the cap: all TAO and E/price alpha go into the pool', () => {
    // price 50/10 = 5, root proportion 900/910: cap 0.989 alpha > 0.2 alpha injected.
    const ov = world({ rootTao: 900n * TAO, tao: 50n * TAO, alphaIn: 10n * TAO });
    const terms = subnetTerms(ctxOn(ov), new Map([[1, TAO << 32n]]));
    assert.deepEqual(terms.get(1), {
      taoIn: TAO << 32n,
      alphaIn: 200_000_000n << 32n,
      alphaOut: TAO << 32n,
      excessTao: 0n,
    });
    const { events, before } = coinbase(ov);
    const reweighted = adjustProtocolLiquidity(
      { taoReserve: before.tao, alphaReserve: before.alphaIn, quote: HALF_W },
      TAO,
      200_000_000n,
    );
    assert.equal(Swap.SwapBalancer.get(ov, 1).quote, reweighted.quote);
    assert.equal(S.SubnetTAO.get(ov, 1), before.tao + TAO);
    assert.equal(S.SubnetAlphaIn.get(ov, 1), before.alphaIn + 200_000_000n);
    assert.equal(S.SubnetTaoInEmission.get(ov, 1), TAO);
    assert.equal(S.SubnetAlphaInEmission.get(ov, 1), 200_000_000n);
    assert.equal(S.SubnetExcessTao.get(ov, 1), 0n);
    assert.equal(S.SubnetProtocolAlpha.get(ov, 1), 0n);
    assert.equal(S.TotalStake.get(ov), before.totalStake + TAO);
    assert.equal(S.SubnetProtocolFlow.get(ov, 1), TAO);
    assert.equal(System.Account.get(ov, subnetAccount(1)).data.free, before.account + TAO);
    assert.equal(S.TotalIssuance.get(ov), before.ti + TAO, 'the whole emission was spent');
    assert.deepEqual(balanceEvents(events), [
      { type: 'Issued', value: { amount: TAO } },
      { type: 'Deposit', value: { who: subnetAccount(1), amount: TAO } },
    ]);
  });

  it('capped by root proportion: the excess TAO buys protocol alpha, fee-less', () => {
    // price 5/10 = 0.5, root proportion 10/(10+10) = 0.5: cap 0.5 alpha < 2 alpha.
    const ov = world({ rootTao: 10n * TAO, tao: 5n * TAO, alphaIn: 10n * TAO });
    S.SubnetAlphaOut.set(ov, 1, 0n);
    const terms = subnetTerms(ctxOn(ov), new Map([[1, TAO << 32n]]));
    assert.deepEqual(terms.get(1), {
      taoIn: 250_000_000n << 32n,
      alphaIn: 500_000_000n << 32n,
      alphaOut: TAO << 32n,
      excessTao: 750_000_000n << 32n,
    });
    const { events, before } = coinbase(ov);
    // The pool is re-weighted first; the chain buy then runs at the new weight and old reserves.
    const quote = adjustProtocolLiquidity(
      { taoReserve: before.tao, alphaReserve: before.alphaIn, quote: HALF_W },
      250_000_000n,
      500_000_000n,
    ).quote;
    const buy = swap(
      { taoReserve: before.tao, alphaReserve: before.alphaIn, quote },
      {
        direction: 'buy',
        amount: 750_000_000n,
        limitPrice: limitPriceFromRao(MAX_PRICE_RAO),
        feeRate: Swap.FeeRate.get(ov, 1),
        dropFees: true,
      },
    );
    assert.ok(buy.ok && buy.feePaid === 0n && buy.amountPaidIn === 750_000_000n);
    const bought = buy.amountPaidOut;
    assert.ok(bought > 0n);
    assert.equal(S.SubnetProtocolAlpha.get(ov, 1), bought);
    assert.equal(S.SubnetExcessTao.get(ov, 1), 750_000_000n);
    assert.equal(S.SubnetTaoInEmission.get(ov, 1), 250_000_000n);
    assert.equal(S.SubnetAlphaInEmission.get(ov, 1), 500_000_000n);
    assert.equal(S.SubnetTAO.get(ov, 1), before.tao + TAO);
    assert.equal(S.SubnetAlphaIn.get(ov, 1), before.alphaIn - bought + 500_000_000n);
    assert.equal(S.SubnetVolume.get(ov, 1), 750_000_000n);
    assert.equal(S.TotalStake.get(ov), before.totalStake + TAO);
    assert.equal(S.SubnetProtocolFlow.get(ov, 1), TAO);
    assert.equal(System.Account.get(ov, subnetAccount(1)).data.free, before.account + TAO);
    assert.deepEqual(balanceEvents(events), [
      { type: 'Issued', value: { amount: TAO } },
      { type: 'Deposit', value: { who: subnetAccount(1), amount: 750_000_000n } },
      { type: 'Deposit', value: { who: subnetAccount(1), amount: 250_000_000n } },
    ]);
  });

  it('a pool the weights cannot take gets nothing and the TAO is recycled', () => {
    // No TAO reserve: price 0, so alpha_in 0 and tao_in = E; the re-weight would leave w2 = 1.
    const ov = world({ rootTao: 10n * TAO, tao: 0n, alphaIn: 10n * TAO });
    const { events, before } = coinbase(ov);
    assert.equal(S.SubnetTAO.get(ov, 1), 0n);
    assert.equal(S.SubnetTaoInEmission.get(ov, 1), 0n);
    assert.equal(S.SubnetAlphaInEmission.get(ov, 1), 0n);
    assert.equal(Swap.SwapBalancer.get(ov, 1).quote, before.quote);
    assert.equal(S.TotalIssuance.get(ov), before.ti, 'minted, then recycled');
    assert.deepEqual(balanceEvents(events), [{ type: 'Issued', value: { amount: TAO } }]);
  });

  it('a failed chain buy leaves its TAO on the subnet account, outside the reserve', () => {
    // No root stake: the cap is 0, so all of E is excess; the alpha reserve is below the swap's
    // minimum reserve, so the buy fails.
    const ov = world({ rootTao: 0n, tao: 100n * TAO, alphaIn: 500_000n });
    const { before } = coinbase(ov);
    assert.equal(S.SubnetExcessTao.get(ov, 1), 0n);
    assert.equal(S.SubnetProtocolAlpha.get(ov, 1), 0n);
    assert.equal(S.SubnetTAO.get(ov, 1), before.tao);
    assert.equal(System.Account.get(ov, subnetAccount(1)).data.free, before.account + TAO);
    assert.equal(S.TotalIssuance.get(ov), before.ti + TAO);
    assert.equal(S.TotalStake.get(ov), before.totalStake);
  });

  it('a subnet with emission disabled gets no TAO but still mints its alpha emission', () => {
    const ov = world({ rootTao: 900n * TAO, tao: 50n * TAO, alphaIn: 10n * TAO });
    S.SubnetEmissionEnabled.set(ov, 1, false);
    const { before } = coinbase(ov);
    assert.equal(S.SubnetTAO.get(ov, 1), before.tao);
    assert.equal(S.SubnetTaoInEmission.get(ov, 1), 0n);
    assert.equal(S.SubnetAlphaOutEmission.get(ov, 1), TAO);
    assert.equal(S.TotalIssuance.get(ov), before.ti);
  });
});

describe('alpha emission split', () => {
  /** What emit_to_subnets accumulates for a 1-alpha emission at root proportion `rp` (U96F32). */
  function expected(rp: bigint, ownerCut: boolean) {
    const out = TAO << 32n;
    const cut = ownerCut ? (11_796n << 32n) / 65_535n : 0n; // SubnetOwnerCut / 65535
    const owner = (out * cut) >> 32n;
    const rest = out - owner;
    const root = ((rp * rest) >> 32n) >> 1n;
    const server = rest >> 1n;
    const validator = rest - server - root;
    return {
      owner: owner >> 32n,
      server: server >> 32n,
      validator: validator >> 32n,
      root: root >> 32n,
    };
  }

  it('owner cut, then half to miners, half to validators less the root share (recycled)', () => {
    const ov = world({ rootTao: 10n * TAO, tao: 5n * TAO, alphaIn: 10n * TAO });
    const { before } = coinbase(ov);
    const bought = S.SubnetProtocolAlpha.get(ov, 1);
    // Root proportion after injection: 10 / (10 + alpha issuance now).
    const issuance = S.SubnetAlphaIn.get(ov, 1) + before.alphaOut + bought + TAO;
    const rp = ((10n * TAO) << 32n) / (10n * TAO + issuance);
    const e = expected(rp, true);
    assert.deepEqual(e, {
      owner: 179_995_422n,
      server: 410_002_288n,
      validator: 219_303_549n,
      root: 190_698_738n,
    });
    assert.equal(S.PendingOwnerCut.get(ov, 1), e.owner);
    assert.equal(S.PendingServerEmission.get(ov, 1), e.server);
    assert.equal(S.PendingValidatorEmission.get(ov, 1), e.validator);
    assert.equal(S.SubnetAlphaOutEmission.get(ov, 1), TAO);
    // Moving prices sum to 0.5 ≤ 1: no root sell, the root share is recycled.
    assert.equal(S.PendingRootAlphaDivs.get(ov, 1), 0n);
    assert.equal(S.SubnetAlphaOut.get(ov, 1), before.alphaOut + bought + TAO - e.root);
  });

  it('accrues the root share when root sells; no owner cut when it is disabled', () => {
    const ov = world({ rootTao: 10n * TAO, tao: 5n * TAO, alphaIn: 10n * TAO, moving: [3n, 2n] });
    S.OwnerCutEnabled.set(ov, 1, false);
    const { before } = coinbase(ov);
    const bought = S.SubnetProtocolAlpha.get(ov, 1);
    const issuance = S.SubnetAlphaIn.get(ov, 1) + before.alphaOut + bought + TAO;
    const e = expected(((10n * TAO) << 32n) / (10n * TAO + issuance), false);
    assert.equal(S.PendingOwnerCut.get(ov, 1), 0n);
    assert.equal(S.PendingServerEmission.get(ov, 1), e.server);
    assert.equal(e.server, 500_000_000n);
    assert.equal(S.PendingValidatorEmission.get(ov, 1), e.validator);
    assert.equal(S.PendingRootAlphaDivs.get(ov, 1), e.root);
    assert.ok(e.root > 0n);
    assert.equal(S.SubnetAlphaOut.get(ov, 1), before.alphaOut + bought + TAO);
    // Accumulates block after block until an epoch drains it.
    coinbase(ov);
    assert.ok(S.PendingServerEmission.get(ov, 1) > e.server);
  });

  it('clears the previous block’s root-sell records', () => {
    const ov = world({ rootTao: 10n * TAO, tao: 5n * TAO, alphaIn: 10n * TAO });
    S.SubnetRootSellTao.set(ov, 1, 5n);
    S.SubnetRootSellTao.set(ov, 9, 6n);
    coinbase(ov);
    assert.equal(ov.keys(S.SubnetRootSellTao.partialKey()).length, 0);
  });
});

describe('TAO accounting', () => {
  it('pays every minted rao to a subnet account or recycles it, across many subnets', () => {
    const ov = new Overlay(new MapState());
    S.NetworksAdded.set(ov, 0, true);
    S.SubnetTAO.set(ov, 0, 500n * TAO);
    endow(ov, subnetAccount(0), 500n * TAO);
    for (let n = 1; n <= 12; n++)
      seedSubnet(ov, n, {
        tao: BigInt(n) * 7n * TAO,
        alphaIn: BigInt(13 - n) * 11n * TAO,
        movingPrice: [BigInt(n), 30n],
        lastEpochBlock: BigInt(BLOCK),
        mechanism: n === 5 ? 0 : 1,
      });
    S.SubnetEmissionEnabled.set(ov, 7, false);
    const ti = S.TotalIssuance.get(ov);
    const events: RuntimeEvent[] = [];
    const ctx = ctxOn(ov, events);
    const netuids = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    runCoinbase(ctx, mintTao(ctx, TAO), netuids);
    let spent = 0n;
    for (let n = 1; n <= 12; n++)
      spent += S.SubnetTaoInEmission.get(ov, n) + S.SubnetExcessTao.get(ov, n);
    assert.ok(spent > TAO - 100n && spent <= TAO, `spent ${spent}`);
    assert.equal(S.TotalIssuance.get(ov), ti + spent);
    assert.equal(freeSum(ov), Balances.TotalIssuance.get(ov));
    for (let n = 0; n <= 12; n++)
      assert.ok(
        S.SubnetTAO.get(ov, n) <= System.Account.get(ov, subnetAccount(n)).data.free,
        `pool ${n} backed`,
      );
    const deposits = balanceEvents(events).filter((e) => e.type === 'Deposit');
    assert.ok(
      deposits.every((e) => e.type === 'Deposit' && !bytesEqual(e.value.who, subnetAccount(7))),
    );
  });
});
