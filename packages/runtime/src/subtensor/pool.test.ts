import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  type RuntimeEvent,
  SubtensorStorage as S,
  Swap,
  System,
} from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import fc from 'fast-check';
import { type DispatchContext, describeDispatchError } from '../dispatch.js';
import { MapState, Overlay } from '../state.js';
import { DEFAULT_QUOTE_WEIGHT, limitPriceFromRao, MIN_WEIGHT, swap } from './math/swap.js';
import {
  atomically,
  currentAlphaPrice,
  recycleTao,
  reducibleBalance,
  SUBTENSOR_PALLET_ID,
  spotPriceRao,
  subnetAccount,
  subnetOfAccount,
  swapAlphaForTao,
  swapTaoForAlpha,
  transferTao,
  transferTaoToSubnet,
} from './pool.js';

const seed = Number(process.env.FC_SEED ?? 1);
const TAO = 1_000_000_000n;
const acct = (n: number): Uint8Array => new Uint8Array(32).fill(0x5a).fill(n, 0, 1);
const AUTHOR = acct(1);
const USER = acct(2);

type Env = { ov: Overlay; ctx: DispatchContext; events: RuntimeEvent[] };

/** A fresh state; the block author (funded, so it can take any fee) unless `author` is null. */
function env(author: Uint8Array | null = AUTHOR): Env {
  const ov = new Overlay(new MapState());
  const events: RuntimeEvent[] = [];
  if (author) fund(ov, author, TAO);
  const ctx: DispatchContext = {
    state: ov,
    blockNumber: 10,
    author: author ?? undefined,
    deposit: (e) => {
      events.push(e);
    },
  };
  return { ov, ctx, events };
}

function fund(ov: Overlay, who: Uint8Array, amount: bigint): void {
  const info = System.Account.get(ov, who);
  info.providers = 1;
  info.data.free += amount;
  System.Account.set(ov, who, info);
  Balances.TotalIssuance.set(ov, Balances.TotalIssuance.get(ov) + amount);
  S.TotalIssuance.set(ov, S.TotalIssuance.get(ov) + amount);
}

/** A dynamic subnet with reserves `tao`/`alpha`; its account holds the TAO plus the lock. */
function seedPool(
  ov: Overlay,
  netuid: number,
  tao: bigint,
  alpha: bigint,
  mechanism = 1,
  accountFunds = tao + 1_000n * TAO,
): void {
  S.NetworksAdded.set(ov, netuid, true);
  S.SubnetMechanism.set(ov, netuid, mechanism);
  S.SubnetTAO.set(ov, netuid, tao);
  S.SubnetAlphaIn.set(ov, netuid, alpha);
  S.SubnetAlphaOut.set(ov, netuid, 5n * TAO);
  fund(ov, subnetAccount(netuid), accountFunds);
}

const free = (ov: Overlay, who: Uint8Array): bigint => System.Account.get(ov, who).data.free;

function freeSum(ov: Overlay): bigint {
  let sum = 0n;
  for (const k of ov.keys(System.Account.partialKey())) {
    const [who] = System.Account.decodeKey(k);
    sum += free(ov, who);
  }
  return sum;
}

function assertIssuance(ov: Overlay): void {
  assert.equal(
    freeSum(ov),
    Balances.TotalIssuance.get(ov),
    'free balances = Balances.TotalIssuance',
  );
  assert.equal(S.TotalIssuance.get(ov), Balances.TotalIssuance.get(ov), 'subtensor issuance');
}

/** Every storage value, hex → hex. */
function snapshot(ov: Overlay): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of ov.keys(new Uint8Array(0))) out.set(toHex(k), toHex(ov.get(k) as Uint8Array));
  return out;
}

describe('subnet accounts', () => {
  it('is "modl" ++ "subtensr" ++ u16_le(netuid), zero-padded', () => {
    const a = subnetAccount(0x0102);
    assert.equal(a.length, 32);
    assert.deepEqual(a.subarray(0, 4), new TextEncoder().encode('modl'));
    assert.deepEqual(a.subarray(4, 12), new TextEncoder().encode('subtensr'));
    assert.deepEqual(a.subarray(4, 12), SUBTENSOR_PALLET_ID);
    assert.deepEqual([...a.subarray(12, 14)], [0x02, 0x01]);
    assert.ok(
      a.subarray(14).every((b) => b === 0),
      'a.subarray(14).every((b) => b === 0)',
    );
    assert.equal(
      toHex(subnetAccount(0)),
      '0x6d6f646c73756274656e73720000000000000000000000000000000000000000',
    );
  });

  it('round-trips through subnetOfAccount and rejects other accounts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        (n) => subnetOfAccount(subnetAccount(n)) === n,
      ),
      { seed, numRuns: 200 },
    );
    assert.equal(subnetOfAccount(acct(3)), undefined);
    const tail = subnetAccount(1);
    tail[31] = 1;
    assert.equal(subnetOfAccount(tail), undefined);
  });

  it('rejects malformed input', () => {
    for (const bad of [-1, 65_536, 1.5, Number.NaN])
      assert.throws(() => subnetAccount(bad), RangeError);
    for (const bad of ['1', 1n, null, undefined])
      assert.throws(() => subnetAccount(bad as never), TypeError);
    assert.throws(() => subnetOfAccount(new Uint8Array(31)), RangeError);
    assert.throws(() => subnetOfAccount('0x00' as never), TypeError);
  });
});

describe('spot price', () => {
  it('is 1 TAO per alpha on root and stable subnets', () => {
    const { ov } = env();
    assert.equal(spotPriceRao(ov, 0), TAO);
    seedPool(ov, 3, 10n * TAO, 40n * TAO, 0);
    assert.equal(spotPriceRao(ov, 3), TAO);
  });

  it('is (w1/w2)·(y/x) on a dynamic subnet, 0 with an empty alpha reserve', () => {
    const { ov } = env();
    seedPool(ov, 1, 10n * TAO, 40n * TAO);
    assert.equal(spotPriceRao(ov, 1), 250_000_000n);
    assert.equal(currentAlphaPrice(ov, 1), 1n << 62n);
    // w2 = 0.25 → w1/w2 = 3
    Swap.SwapBalancer.set(ov, 1, { quote: 250_000_000_000_000_000n });
    assert.equal(spotPriceRao(ov, 1), 750_000_000n);
    S.SubnetAlphaIn.set(ov, 1, 0n);
    assert.equal(spotPriceRao(ov, 1), 0n);
    assert.throws(() => spotPriceRao(ov, 70_000), RangeError);
  });
});

describe('swapTaoForAlpha', () => {
  it('buys through the balancer and books reserves, stake, volume and the author fee', () => {
    const { ov, ctx } = env();
    seedPool(ov, 1, TAO, 4n * TAO);
    const before = snapshot(ov);
    const authorBefore = free(ov, AUTHOR);
    const accountBefore = free(ov, subnetAccount(1));
    // Known answer (swap.ts): 2000 TAO-rao in at a 1e12 limit → 1999 in, 7995 out, fee 1.
    const r = swapTaoForAlpha(ctx, 1, 2_000n, { limitPriceRao: 1_000_000_000_000n });
    assert.deepEqual(r, { ok: true, alphaOut: 7_995n, taoIn: 1_999n, fee: 1n, feeToAuthor: 1n });
    assert.equal(S.SubnetTAO.get(ov, 1), TAO + 1_999n);
    assert.equal(S.SubnetAlphaIn.get(ov, 1), 4n * TAO - 7_995n);
    assert.equal(S.SubnetAlphaOut.get(ov, 1), 5n * TAO + 7_995n);
    assert.equal(S.TotalStake.get(ov), 2_000n, 'gross amount, fee included');
    assert.equal(S.SubnetVolume.get(ov, 1), 2_000n);
    assert.equal(free(ov, AUTHOR), authorBefore + 1n);
    assert.equal(free(ov, subnetAccount(1)), accountBefore - 1n);
    assert.equal(Swap.PalSwapInitialized.get(ov, 1), true, 'balancer initialised on first swap');
    assert.equal(Swap.SwapBalancer.get(ov, 1).quote, DEFAULT_QUOTE_WEIGHT);
    assert.notDeepEqual(snapshot(ov), before);
    assertIssuance(ov);
  });

  it('matches the pure swap for arbitrary pools, fees and amounts', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1_000_000n, max: 1n << 50n }),
        fc.bigInt({ min: 1_000_000n, max: 1n << 50n }),
        fc.bigInt({ min: MIN_WEIGHT, max: 10n ** 18n - MIN_WEIGHT }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.bigInt({ min: 1n, max: 1n << 40n }),
        (tao, alpha, quote, feeRate, amount) => {
          const { ov, ctx } = env();
          seedPool(ov, 2, tao, alpha);
          Swap.SwapBalancer.set(ov, 2, { quote });
          Swap.PalSwapInitialized.set(ov, 2, true);
          Swap.FeeRate.set(ov, 2, feeRate);
          const expected = swap(
            { taoReserve: tao, alphaReserve: alpha, quote },
            { direction: 'buy', amount, limitPrice: limitPriceFromRao(10n ** 15n), feeRate },
          );
          const r = swapTaoForAlpha(ctx, 2, amount);
          if (!expected.ok) {
            assert.equal(r.ok, false);
            return;
          }
          assert.ok(r.ok, 'r.ok');
          assert.equal(r.alphaOut, expected.amountPaidOut);
          assert.equal(r.taoIn, expected.amountPaidIn);
          assert.equal(r.fee, expected.feePaid);
          assert.equal(S.SubnetTAO.get(ov, 2), tao + expected.amountPaidIn);
          assert.equal(S.SubnetAlphaIn.get(ov, 2), alpha - expected.amountPaidOut);
          assert.ok(
            currentAlphaPrice(ov, 2) >= currentAlphaPrice(seeded(tao, alpha, quote), 2),
            'currentAlphaPrice(ov, 2) >= currentAlphaPrice(seeded(tao, alpha, quote), 2)',
          );
          assertIssuance(ov);
        },
      ),
      { seed, numRuns: 60 },
    );
  });

  it('burns the TAO fee from both issuances when there is no block author', () => {
    const { ov, ctx } = env(null);
    seedPool(ov, 1, TAO, 4n * TAO);
    const ti = Balances.TotalIssuance.get(ov);
    const r = swapTaoForAlpha(ctx, 1, 1_000_000n);
    assert.ok(r.ok, 'r.ok');
    assert.ok(r.fee > 0n, 'r.fee > 0n');
    assert.equal(Balances.TotalIssuance.get(ov), ti - r.fee);
    assertIssuance(ov);
  });

  it('burns a fee the author account cannot take (below the existential deposit)', () => {
    const { ov, ctx } = env(null);
    const ghost = acct(9);
    const withGhost: DispatchContext = { ...ctx, author: ghost };
    seedPool(ov, 1, TAO, 4n * TAO);
    const ti = Balances.TotalIssuance.get(ov);
    const r = swapTaoForAlpha(withGhost, 1, 100_000n);
    assert.ok(r.ok && r.fee > 0n && r.fee < 500n, 'a small fee');
    assert.equal(System.Account.tryGet(ov, ghost), undefined);
    assert.equal(Balances.TotalIssuance.get(ov), ti - r.fee);
    assertIssuance(ov);
  });

  it('keeps the fee on the subnet account with keepFee (burned_register)', () => {
    const { ov, ctx } = env();
    seedPool(ov, 1, TAO, 4n * TAO);
    const acc = free(ov, subnetAccount(1));
    const r = swapTaoForAlpha(ctx, 1, 1_000_000n, { keepFee: true });
    assert.ok(r.ok, 'r.ok');
    assert.equal(free(ov, subnetAccount(1)), acc);
    assert.equal(free(ov, AUTHOR), TAO, 'the author got nothing');
    assert.equal(S.SubnetTAO.get(ov, 1), TAO + r.taoIn);
    assertIssuance(ov);
  });

  it('trades 1:1 without a fee on root and stable subnets', () => {
    const { ov, ctx } = env();
    fund(ov, subnetAccount(0), 100n * TAO);
    const r = swapTaoForAlpha(ctx, 0, 7n * TAO);
    assert.deepEqual(r, {
      ok: true,
      alphaOut: 7n * TAO,
      taoIn: 7n * TAO,
      fee: 0n,
      feeToAuthor: 0n,
    });
    assert.equal(S.SubnetTAO.get(ov, 0), 7n * TAO);
    assert.equal(S.SubnetAlphaOut.get(ov, 0), 7n * TAO);
    assert.equal(S.SubnetAlphaIn.get(ov, 0), 0n, 'saturates at zero');
    assert.equal(S.TotalStake.get(ov), 7n * TAO);
    assert.equal(Swap.PalSwapInitialized.get(ov, 0), false);
  });

  it('simulates without touching state', () => {
    const { ov, ctx } = env();
    seedPool(ov, 1, TAO, 4n * TAO);
    const before = snapshot(ov);
    const sim = swapTaoForAlpha(ctx, 1, 2_000n, { simulate: true });
    assert.ok(sim.ok, 'sim.ok');
    assert.deepEqual(snapshot(ov), before);
    const real = swapTaoForAlpha(ctx, 1, 2_000n);
    assert.deepEqual(real, sim);
  });

  it('returns Swap pallet errors and changes nothing', () => {
    const { ov, ctx } = env();
    seedPool(ov, 1, TAO, 4n * TAO);
    seedPool(ov, 4, TAO, 999_999n);
    seedPool(ov, 5, TAO, 2_000_000n);
    const before = snapshot(ov);
    const cases: [number, bigint, { limitPriceRao?: bigint }, string][] = [
      [1, 1_000n, { limitPriceRao: 250_000_000n }, 'Swap.PriceLimitExceeded'],
      [1, 1_000n, { limitPriceRao: 1_000n }, 'Swap.PriceLimitExceeded'],
      [1, 2_000n * TAO * 1_000n, {}, 'Swap.SwapInputTooLarge'],
      [4, 1_000n, {}, 'Swap.ReservesTooLow'],
      [5, 1n, {}, 'Swap.ReservesTooLow'],
    ];
    for (const [netuid, amount, opts, name] of cases) {
      const r = swapTaoForAlpha(ctx, netuid, amount, opts);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(describeDispatchError(r.error), name);
      assert.deepEqual(snapshot(ov), before);
    }
  });

  it('rejects malformed input', () => {
    const { ctx } = env();
    assert.throws(() => swapTaoForAlpha(ctx, 1, -1n), RangeError);
    assert.throws(() => swapTaoForAlpha(ctx, 1, 1n << 64n), RangeError);
    assert.throws(() => swapTaoForAlpha(ctx, 1, 5 as never), TypeError);
    assert.throws(() => swapTaoForAlpha(ctx, -1, 5n), RangeError);
    assert.throws(() => swapTaoForAlpha(ctx, 1, 5n, { limitPriceRao: 5 as never }), TypeError);
    assert.throws(() => swapTaoForAlpha(ctx, 1, 5n, { dropFees: 'yes' as never }), TypeError);
    assert.throws(() => swapTaoForAlpha(ctx, 1, 5n, null as never), TypeError);
  });
});

function seeded(tao: bigint, alpha: bigint, quote: bigint): Overlay {
  const { ov } = env();
  seedPool(ov, 2, tao, alpha);
  Swap.SwapBalancer.set(ov, 2, { quote });
  return ov;
}

describe('swapAlphaForTao', () => {
  it('sells, pays the beneficiary, then sells the fee fee-less for the author', () => {
    const { ov, ctx } = env();
    seedPool(ov, 1, 10n * TAO, 40n * TAO);
    const pool = { taoReserve: 10n * TAO, alphaReserve: 40n * TAO, quote: DEFAULT_QUOTE_WEIGHT };
    const amount = 4n * TAO;
    const main = swap(pool, {
      direction: 'sell',
      amount,
      limitPrice: limitPriceFromRao(1_000n),
      feeRate: 33,
    });
    assert.ok(main.ok, 'main.ok');
    const after = {
      taoReserve: pool.taoReserve - main.amountPaidOut,
      alphaReserve: pool.alphaReserve + main.amountPaidIn,
      quote: pool.quote,
    };
    const feeSale = swap(after, {
      direction: 'sell',
      amount: main.feeToBlockAuthor,
      limitPrice: limitPriceFromRao(1_000n),
      feeRate: 33,
      dropFees: true,
    });
    assert.ok(feeSale.ok, 'feeSale.ok');
    const r = swapAlphaForTao(ctx, 1, amount, { beneficiary: USER });
    assert.deepEqual(r, {
      ok: true,
      taoOut: main.amountPaidOut,
      alphaIn: main.amountPaidIn,
      fee: main.feePaid,
      feeTao: feeSale.amountPaidOut,
    });
    assert.ok(
      main.feePaid > 0n && feeSale.amountPaidOut > 0n,
      'main.feePaid > 0n && feeSale.amountPaidOut > 0n',
    );
    const outTotal = main.amountPaidOut + feeSale.amountPaidOut;
    assert.equal(S.SubnetTAO.get(ov, 1), 10n * TAO - outTotal);
    assert.equal(S.SubnetAlphaIn.get(ov, 1), 40n * TAO + main.amountPaidIn + main.feePaid);
    assert.equal(S.SubnetAlphaOut.get(ov, 1), 5n * TAO - main.amountPaidIn - main.feePaid);
    assert.equal(S.SubnetVolume.get(ov, 1), outTotal);
    assert.equal(free(ov, USER), main.amountPaidOut);
    assert.equal(free(ov, AUTHOR), TAO + feeSale.amountPaidOut);
    assertIssuance(ov);
  });

  it('without an author the alpha fee is burned: it stays counted in SubnetAlphaOut', () => {
    const { ov, ctx } = env(null);
    seedPool(ov, 1, 10n * TAO, 40n * TAO);
    const r = swapAlphaForTao(ctx, 1, TAO);
    assert.ok(r.ok && r.fee > 0n, 'r.ok && r.fee > 0n');
    assert.equal(r.feeTao, 0n);
    assert.equal(S.SubnetAlphaOut.get(ov, 1), 5n * TAO - r.alphaIn);
    assert.equal(S.SubnetAlphaIn.get(ov, 1), 40n * TAO + r.alphaIn);
    assert.equal(S.TotalStake.get(ov), 0n, 'saturates at zero');
    assertIssuance(ov);
  });

  it('is all-or-nothing: a failed payout leaves nothing behind', () => {
    const { ov, ctx, events } = env();
    // The subnet account holds less than the sale pays out.
    seedPool(ov, 1, 10n * TAO, 40n * TAO, 1, 600n);
    const before = snapshot(ov);
    const r = swapAlphaForTao(ctx, 1, TAO, { beneficiary: USER });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(describeDispatchError(r.error), 'SubtensorModule.InsufficientBalance');
    assert.deepEqual(snapshot(ov), before);
    assert.equal(events.length, 0);
    const wrapped = atomically(ctx, (c) => {
      S.TotalStake.set(c.state, 1n);
      c.deposit({ type: 'SubtensorModule', value: { type: 'NetworkRemoved', value: 1 } });
      const s = swapAlphaForTao(c, 1, TAO, { beneficiary: USER });
      return s.ok ? { ok: true } : { ok: false, error: s.error };
    });
    assert.equal(wrapped.ok, false);
    assert.deepEqual(snapshot(ov), before);
    assert.equal(events.length, 0, 'events of a failed atomic step are dropped');
  });

  it('trades 1:1 on root', () => {
    const { ov, ctx } = env();
    fund(ov, subnetAccount(0), 100n * TAO);
    S.SubnetTAO.set(ov, 0, 50n * TAO);
    S.SubnetAlphaOut.set(ov, 0, 50n * TAO);
    S.TotalStake.set(ov, 50n * TAO);
    const r = swapAlphaForTao(ctx, 0, 3n * TAO, { beneficiary: USER });
    assert.deepEqual(r, { ok: true, taoOut: 3n * TAO, alphaIn: 3n * TAO, fee: 0n, feeTao: 0n });
    assert.equal(S.SubnetTAO.get(ov, 0), 47n * TAO);
    assert.equal(S.SubnetAlphaOut.get(ov, 0), 47n * TAO);
    assert.equal(S.TotalStake.get(ov), 47n * TAO);
    assert.equal(free(ov, USER), 3n * TAO);
  });

  it('rejects malformed input', () => {
    const { ctx } = env();
    assert.throws(() => swapAlphaForTao(ctx, 1, -5n), RangeError);
    assert.throws(
      () => swapAlphaForTao(ctx, 1, 5n, { beneficiary: new Uint8Array(5) }),
      RangeError,
    );
    assert.throws(() => swapAlphaForTao(ctx, 1, 5n, { simulate: 1 as never }), TypeError);
  });
});

describe('TAO movements', () => {
  it('transferTaoToSubnet keeps the existential deposit and needs the subnet', () => {
    const { ov, ctx } = env();
    seedPool(ov, 1, TAO, TAO);
    fund(ov, USER, 1_000n);
    const r = transferTaoToSubnet(ctx, 1, USER, 5_000n);
    assert.deepEqual(r, { ok: true, amount: 500n });
    assert.equal(free(ov, USER), 500n);
    const none = transferTaoToSubnet(ctx, 1, USER, 1n);
    assert.equal(none.ok, false);
    if (!none.ok)
      assert.equal(describeDispatchError(none.error), 'SubtensorModule.InsufficientBalance');
    const missing = transferTaoToSubnet(ctx, 9, USER, 1n);
    assert.equal(missing.ok, false);
    if (!missing.ok)
      assert.equal(describeDispatchError(missing.error), 'SubtensorModule.SubnetNotExists');
    assertIssuance(ov);
  });

  it('transferTao may reap the source; its dust leaves both issuances', () => {
    const { ov, ctx } = env();
    fund(ov, USER, 1_000n);
    assert.equal(reducibleBalance(ov, USER, false), 1_000n);
    assert.equal(reducibleBalance(ov, USER, true), 500n);
    assert.ok(transferTao(ctx, USER, AUTHOR, 700n).ok, 'transferTao(ctx, USER, AUTHOR, 700n).ok');
    assert.equal(System.Account.tryGet(ov, USER), undefined);
    assert.equal(free(ov, AUTHOR), TAO + 700n);
    assertIssuance(ov);
    const over = transferTao(ctx, AUTHOR, USER, 2n * TAO);
    assert.equal(over.ok, false);
  });

  it('recycleTao lowers both issuances and keeps the deposit', () => {
    const { ov, ctx, events } = env(null);
    fund(ov, USER, 10_000n);
    assert.ok(recycleTao(ctx, USER, 9_500n).ok, 'recycleTao(ctx, USER, 9_500n).ok');
    assert.equal(free(ov, USER), 500n);
    assert.equal(Balances.TotalIssuance.get(ov), 500n);
    assertIssuance(ov);
    assert.equal(recycleTao(ctx, USER, 1n).ok, false);
    assert.deepEqual(events.at(-1), {
      type: 'Balances',
      value: { type: 'Withdraw', value: { who: USER, amount: 9_500n } },
    });
  });
});
