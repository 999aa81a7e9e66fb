import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fxDiv, fxFromF64, fxFromInt, fxToF64, U64F64 } from '@taoscript/codec';
import fc from 'fast-check';
import {
  adjustProtocolLiquidity,
  type BalancerPool,
  balancerExpScaled,
  calculateBaseDeltaIn,
  calculateFeeAmount,
  calculatePartialFillFee,
  calculatePrice,
  calculateQuoteDeltaIn,
  convertDeltas,
  currentPrice,
  DEFAULT_QUOTE_WEIGHT,
  defaultPriceLimitRao,
  getAlphaAmountForTao,
  getBaseNeededForQuote,
  initBalancer,
  isValidQuoteWeight,
  limitPriceFromRao,
  MIN_WEIGHT,
  mulPerquintillRound,
  PERQUINTILL_ONE,
  perquintillFromRational,
  powRatioScaled,
  priceToRao,
  type SwapOutcome,
  swap,
} from './swap.js';

const seed = Number(process.env.FC_SEED ?? 1);
const fcOpts = { seed, numRuns: 100 };

function load<T>(name: string): T {
  const url = new URL(`../../../test/vectors/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

const E18 = PERQUINTILL_ONE;
const f = (raw: bigint): number => fxToF64(U64F64, raw);
const HALF = DEFAULT_QUOTE_WEIGHT;
const maxLimit = limitPriceFromRao(defaultPriceLimitRao('buy'));
const minLimit = limitPriceFromRao(defaultPriceLimitRao('sell'));

function ok(r: SwapOutcome) {
  if (!r.ok) assert.fail(`swap failed with ${r.error}`);
  return r;
}

function withinAbs(actual: number, expected: number, eps: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= eps, `${what}: ${actual} vs ${expected} (±${eps})`);
}

/** The quote weight upstream's test_convert_deltas builds from an f64 weight. */
const quoteFromF64 = (w: number): bigint =>
  perquintillFromRational(BigInt(Math.trunc(w * 1e9)), 1_000_000_000n);

describe('swap vectors', () => {
  it('swap_balancer_basic_buy_sell: fee, net input and output per case', () => {
    type V = {
      inputs: {
        tao_reserve: number;
        alpha_reserve: number;
        fee_rate_u16: number;
        cases: { direction: 'buy' | 'sell'; amount_in: number }[];
      };
      expected: { cases: { fee: number; reserve_delta_in: number; amount_out: number }[] };
      tolerance: { amount_out: number; reserve_delta_in: number };
    };
    const v = load<V>('swap_balancer_basic_buy_sell.json');
    const pool: BalancerPool = {
      taoReserve: BigInt(v.inputs.tao_reserve),
      alphaReserve: BigInt(v.inputs.alpha_reserve),
      quote: HALF,
    };
    v.inputs.cases.forEach((c, i) => {
      const want = v.expected.cases[i]!;
      // test_swap_basic uses limit 1000.0 for buys and 0.0001 for sells
      const limitPrice = c.direction === 'buy' ? fxFromInt(U64F64, 1000) : fxFromF64(U64F64, 1e-4);
      const r = ok(
        swap(pool, {
          direction: c.direction,
          amount: BigInt(c.amount_in),
          limitPrice,
          feeRate: v.inputs.fee_rate_u16,
        }),
      );
      assert.equal(r.feePaid, BigInt(want.fee), `case ${i} fee`);
      withinAbs(
        Number(r.amountPaidIn),
        want.reserve_delta_in,
        v.tolerance.reserve_delta_in,
        `case ${i} in`,
      );
      withinAbs(Number(r.amountPaidOut), want.amount_out, v.tolerance.amount_out, `case ${i} out`);
      assert.equal(r.feeToBlockAuthor, r.feePaid);
      // price moves the right way once the pallet applies the deltas
      const after =
        c.direction === 'buy'
          ? calculatePrice(
              HALF,
              pool.alphaReserve - r.amountPaidOut,
              pool.taoReserve + r.amountPaidIn,
            )
          : calculatePrice(
              HALF,
              pool.alphaReserve + r.amountPaidIn,
              pool.taoReserve - r.amountPaidOut,
            );
      const before = currentPrice(pool);
      assert.equal(after >= before, c.direction === 'buy');
    });
  });

  it('swap_balancer_convert_deltas: fee-less conversion with explicit weights', () => {
    type V = {
      inputs: {
        cases: {
          tao_reserve: number;
          alpha_reserve: number;
          quote_weight: number;
          delta_in: number;
        }[];
      };
      expected: { cases: { sell_tao_out: number; buy_alpha_out: number }[] };
      tolerance: number;
    };
    const v = load<V>('swap_balancer_convert_deltas.json');
    v.inputs.cases.forEach((c, i) => {
      const want = v.expected.cases[i]!;
      const pool = {
        taoReserve: BigInt(c.tao_reserve),
        alphaReserve: BigInt(c.alpha_reserve),
        quote: quoteFromF64(c.quote_weight),
      };
      const d = BigInt(c.delta_in);
      withinAbs(
        Number(convertDeltas(pool, 'sell', d)),
        want.sell_tao_out,
        v.tolerance,
        `sell ${i}`,
      );
      withinAbs(Number(convertDeltas(pool, 'buy', d)), want.buy_alpha_out, v.tolerance, `buy ${i}`);
    });
  });

  it('swap_price_init: default and price-given initialisation', () => {
    type V = {
      inputs: { tao_reserve: number; alpha_reserve: number; init_price_case_2: number };
      expected: {
        price_default_init: number;
        quote_weight_default: number;
        price_with_init_price: number;
        quote_weight_with_init_price: number;
      };
      tolerance: number;
    };
    const v = load<V>('swap_price_init.json');
    const tao = BigInt(v.inputs.tao_reserve);
    const alpha = BigInt(v.inputs.alpha_reserve);
    const plain = initBalancer(tao, alpha);
    assert.ok(plain.ok);
    assert.equal(plain.quote, perquintillFromRational(1n, 2n));
    assert.equal(Number(plain.quote) / 1e18, v.expected.quote_weight_default);
    const p0 = currentPrice({ taoReserve: tao, alphaReserve: alpha, quote: plain.quote });
    withinAbs(f(p0), v.expected.price_default_init, v.tolerance, 'default price');
    // upstream passes U64F64::from(1u16) / U64F64::from(5u16)
    const fifth = fxDiv(U64F64, fxFromInt(U64F64, 1), fxFromInt(U64F64, 5));
    withinAbs(f(fifth), v.inputs.init_price_case_2, v.tolerance, 'init price');
    const priced = initBalancer(tao, alpha, fifth);
    assert.ok(priced.ok);
    withinAbs(
      Number(priced.quote) / 1e18,
      v.expected.quote_weight_with_init_price,
      v.tolerance,
      'w',
    );
    const p1 = currentPrice({ taoReserve: tao, alphaReserve: alpha, quote: priced.quote });
    withinAbs(f(p1), v.expected.price_with_init_price, v.tolerance, 'price');
  });
});

describe('powRatioScaled', () => {
  // Known answers produced by compiling safe-bigmath rev 013c4998 (the revision subtensor pins)
  // and running SafeInt::pow_ratio_scaled on these arguments: both the exact root path
  // (reduced exponent parts ≤ 1024) and the guarded ln/exp fallback are covered.
  const P = 256;
  const cases: [bigint, bigint, bigint, bigint, number, bigint, bigint | undefined][] = [
    [2n, 3n, 1n, 2n, 0, 1000n, 816n],
    [100000n, 100100n, 1n, 1n, P, E18, 999000999000999000n],
    [500000n, 505000n, 3n, 1n, P, E18, 970590147927644445n],
    [200000n, 202000n, 1n, 3n, P, E18, 996688717477339044n],
    [13513642n, 13515315n, 9n, 1n, P, E18, 998886481979889627n],
    [7000000000n, 7000010000n, 773n, 227n, P, E18, 999995135320530781n],
    [
      1000000000n,
      1000001000n,
      555555555864197531n,
      444444444135802469n,
      P,
      E18,
      999998750001404685n,
    ],
    [
      1000000000n,
      1000001000n,
      444444444135802469n,
      555555555864197531n,
      P,
      E18,
      999999200000720999n,
    ],
    [
      3689348814741910528n,
      1844674407370955161n,
      750000000000000000n,
      E18,
      1024,
      E18,
      1681792830507429156n,
    ],
    [
      1844674407370955161n,
      3689348814741910528n,
      250000000000000000n,
      E18,
      1024,
      E18,
      840896415253714531n,
    ],
    [4611686018427387904n, 4611686018427387903n, 500000010000000000n, E18, 1024, E18, E18],
    [1n, (1n << 64n) - 1n, 990000000000000000n, 10000000000000000n, P, E18, 0n],
    [123456789n, 98765n, 10000000000000001n, 989999999999999999n, P, E18, 1074686859024059966n],
    [1n, 0n, 1n, 1n, 0, 10n, undefined],
    [0n, 5n, 1n, 3n, 0, 10n, 0n],
    [5n, 7n, 0n, 3n, 0, 10n, 10n],
    [-1n, 7n, 1n, 3n, 0, 10n, undefined],
    [5n, 7n, 1n, 3n, 0, -10n, undefined],
  ];
  it('matches safe-bigmath bit for bit', () => {
    for (const [bn, bd, en, ed, prec, scale, want] of cases) {
      assert.equal(powRatioScaled(bn, bd, en, ed, prec, scale), want, `${bn}/${bd}^${en}/${ed}`);
    }
  });
  it('rejects non-bigint arguments and bad precision', () => {
    assert.throws(() => powRatioScaled(1 as unknown as bigint, 2n, 1n, 1n, 0, 1n), TypeError);
    assert.throws(() => powRatioScaled(1n, 2n, 1n, 1n, -1, 1n), RangeError);
    assert.throws(() => powRatioScaled(1n, 2n, 1n, 1n, 1.5, 1n), RangeError);
  });
});

describe('balancer (upstream balancer.rs unit tests)', () => {
  it('exp_scaled table (test_exp_scaled)', () => {
    const table: [bigint, bigint, bigint, bigint, boolean, number][] = [
      [5n, 10n, 100000n, 100n, true, 0.999000999000999],
      [1n, 4n, 500000n, 5000n, true, 0.970590147927644],
      [3n, 4n, 200000n, 2000n, false, 0.970590147927644],
      [9n, 10n, 13513642n, 1673n, false, 0.998886481979889],
      [773n, 1000n, 7_000_000_000n, 10_000n, true, 0.999999580484586],
    ];
    for (const [n, d, reserve, delta, baseQuote, want] of table) {
      const q = perquintillFromRational(n, d);
      withinAbs(f(balancerExpScaled(q, reserve, delta, baseQuote)), want, 1e-9, `${n}/${d}`);
    }
  });

  it('exp_scaled caps at 1 for positive deltas, returns 0 for an empty pool', () => {
    assert.equal(balancerExpScaled(HALF, 100n, 0n, true), U64F64.one);
    assert.equal(balancerExpScaled(HALF, 0n, 0n, true), 0n);
    // a negative delta may exceed 1 (used by getBaseNeededForQuote)
    assert.ok(balancerExpScaled(HALF, 100n, -50n, true) > U64F64.one);
  });

  it('limit deltas (test_calculate_quote_delta_in / base_delta_in and impossible cases)', () => {
    const q = perquintillFromRational(250_000_000_000n, 1_000_000_000_000n); // w2 = 0.25
    const p01 = fxFromF64(U64F64, 0.1);
    const p02 = fxFromF64(U64F64, 0.2);
    const dy = calculateQuoteDeltaIn(q, p01, p02, 1_000_000_000n);
    assert.equal(dy, BigInt(Math.trunc(1e9 * ((f(p02) / f(p01)) ** 0.75 - 1))));
    const dx = calculateBaseDeltaIn(q, p02, p01, 1_000_000_000n);
    assert.equal(dx, BigInt(Math.trunc(1e9 * ((f(p02) / f(p01)) ** 0.25 - 1))));
    assert.equal(calculateQuoteDeltaIn(q, p01, fxFromF64(U64F64, 0.05), 1_000_000_000n), 0n);
    assert.equal(calculateBaseDeltaIn(q, p01, p02, 1_000_000_000n), 0n);
    assert.equal(calculateQuoteDeltaIn(q, 0n, p02, 1_000_000_000n), 0n);
  });

  it('buying the quote delta reaches the target (test_calculate_delta_in_reverse_swap)', () => {
    const p01 = fxFromF64(U64F64, 0.1);
    const p02 = fxFromF64(U64F64, 0.2);
    const tao = 1_000_000_000n;
    const alpha = BigInt(Math.trunc(1e9 / f(p01)));
    const dy = calculateQuoteDeltaIn(HALF, p01, p02, tao);
    const dx = Math.trunc(Number(alpha) * (1 - Number(tao) / (Number(tao) + Number(dy))));
    const price = calculatePrice(HALF, alpha - BigInt(dx), tao + dy);
    withinAbs(f(price), f(p02), f(p02) / 1e9, 'price');
  });

  it('base needed for quote (test_base_needed_for_quote)', () => {
    const q = perquintillFromRational(250_000_000_000n, 1_000_000_000_000n);
    const dx = getBaseNeededForQuote(q, 1_000_000_000n, 1_000_000_000n, 1_123_432n);
    const want = 1e9 * ((1e9 / (1e9 - 1_123_432)) ** (0.25 / 0.75) - 1);
    assert.equal(dx, BigInt(Math.trunc(want)));
  });

  it('mul_perquintill_round rounds half up', () => {
    assert.equal(mulPerquintillRound(0n, 1_000_000n), 0n);
    assert.equal(mulPerquintillRound(E18, 1_000_000n), 1_000_000n);
    const half = perquintillFromRational(1n, 2n);
    const halves = [0n, 1n, 2n, 3n, 4n, 5n, 1023n, 1025n].map((v) => mulPerquintillRound(half, v));
    assert.deepEqual(halves, [0n, 1n, 1n, 2n, 2n, 3n, 512n, 513n]);
    const third = perquintillFromRational(1n, 3n);
    assert.deepEqual(
      [3n, 4n, 5n, 6n].map((v) => mulPerquintillRound(third, v)),
      [1n, 1n, 2n, 2n],
    );
    const v = 10n ** 18n;
    assert.equal(mulPerquintillRound(perquintillFromRational(7n, 10n), v), (v * 7n + 5n) / 10n);
    const u128Max = (1n << 128n) - 1n;
    assert.equal(mulPerquintillRound(E18, u128Max), u128Max);
  });

  it('Perquintill::from_rational floors and saturates to one', () => {
    assert.equal(perquintillFromRational(1n, 3n), 333_333_333_333_333_333n);
    assert.equal(perquintillFromRational(2n, 3n), 666_666_666_666_666_666n);
    assert.equal(perquintillFromRational(5n, 3n), E18);
    assert.equal(perquintillFromRational(1n, 0n), E18);
  });

  it('weight constraints', () => {
    for (const q of [0n, 1n, MIN_WEIGHT - 1n, E18 - MIN_WEIGHT + 1n, E18]) {
      assert.equal(isValidQuoteWeight(q), false);
    }
    for (const q of [MIN_WEIGHT, HALF, E18 - MIN_WEIGHT]) assert.equal(isValidQuoteWeight(q), true);
  });

  it('price formula: equal weights give y/x, 1/3 gives 2·y/x, zero tao gives 0', () => {
    withinAbs(f(calculatePrice(HALF, 2n, 5n)), 2.5, 1e-12, 'y/x');
    withinAbs(f(calculatePrice(perquintillFromRational(1n, 3n), 4n, 10n)), 5, 1e-10, '2y/x');
    assert.equal(calculatePrice(perquintillFromRational(3n, 10n), 10n, 0n), 0n);
    assert.equal(calculatePrice(HALF, 0n, 10n), 0n);
    const q = perquintillFromRational(3n, 10n);
    const x = 21_000_000_000_000_000n;
    const y = 15_000_000_000_000_000n;
    withinAbs(f(calculatePrice(q, x, y)), (0.7 / 0.3) * (15 / 21), 1e-9, 'large');
    assert.equal(priceToRao(calculatePrice(HALF, 4n, 1n)), 250_000_000n);
  });
});

describe('fees', () => {
  it('U64F64 fee truncates the rate first', () => {
    assert.equal(calculateFeeAmount(1_000_000_000n, 33), 503_547n);
    // integer floor(65535·33/65535) would be 33; the truncated U64F64 rate gives 32
    assert.equal(calculateFeeAmount(65_535n, 33), 32n);
    assert.equal(calculateFeeAmount(65_535n, 33, true), 0n);
    assert.equal(calculateFeeAmount(12_345n, 0), 0n);
    assert.equal(calculateFeeAmount(12_345n, 65535), 12_345n); // rate 65535/65535 is exactly 1
    assert.equal(calculatePartialFillFee(65_502n, 33), 32n);
    assert.equal(calculatePartialFillFee(65_502n, 33, true), 0n);
    assert.equal(calculatePartialFillFee(10n, 65535), 0n); // rate / 0 → safe_div 0
  });
  it('rejects bad fee rates', () => {
    assert.throws(() => calculateFeeAmount(1n, 65536), RangeError);
    assert.throws(() => calculateFeeAmount(1n, 1.5), RangeError);
    assert.throws(() => calculateFeeAmount(1n, '33' as unknown as number), TypeError);
    assert.throws(() => calculateFeeAmount(-1n, 33), RangeError);
  });
});

describe('swap guards (upstream order)', () => {
  const small: BalancerPool = { taoReserve: 1000n, alphaReserve: 1000n, quote: HALF };
  it('input over 1000× the input reserve is SwapInputTooLarge (checked first)', () => {
    for (const direction of ['buy', 'sell'] as const) {
      const limitPrice = direction === 'buy' ? maxLimit : minLimit;
      const base = { direction, limitPrice, feeRate: 33, dropFees: true };
      assert.deepEqual(swap(small, { ...base, amount: 1_000_001n }), {
        ok: false,
        error: 'SwapInputTooLarge',
      });
      // exactly 1000× passes with the mock's MinimumReserve of 1
      const r = swap(small, { ...base, amount: 1_000_000n, simulate: true, minimumReserve: 1n });
      assert.equal(r.ok, true);
      // and with the runtime minimum the small pool is ReservesTooLow
      assert.deepEqual(swap(small, { ...base, amount: 1_000_000n }), {
        ok: false,
        error: 'ReservesTooLow',
      });
    }
    // the fee is taken off before the check
    const withFee = swap(small, {
      direction: 'sell',
      amount: 1_000_010n,
      limitPrice: minLimit,
      feeRate: 33,
      minimumReserve: 1n,
    });
    assert.equal(withFee.ok, true);
  });

  it('zero reserves: any positive input is too large for an empty input side', () => {
    const empty: BalancerPool = { taoReserve: 0n, alphaReserve: 5_000_000n, quote: HALF };
    assert.deepEqual(
      swap(empty, { direction: 'buy', amount: 10n, limitPrice: maxLimit, feeRate: 33 }),
      { ok: false, error: 'SwapInputTooLarge' },
    );
    assert.deepEqual(
      swap(empty, { direction: 'sell', amount: 0n, limitPrice: minLimit, feeRate: 33 }),
      { ok: false, error: 'ReservesTooLow' },
    );
  });

  it('precision edge case: tiny reserves still pay out (test_swap_precision_edge_case)', () => {
    for (const [tao, alpha, amount] of [
      [1_000n, 1_000n, 999_500n],
      [1_000_000n, 1_000_000n, 999_500_000n],
    ] as const) {
      const r = ok(
        swap(
          { taoReserve: tao, alphaReserve: alpha, quote: HALF },
          {
            direction: 'sell',
            amount,
            limitPrice: minLimit,
            feeRate: 33,
            simulate: true,
            minimumReserve: 1n,
          },
        ),
      );
      assert.ok(r.amountPaidOut > 0n);
    }
  });

  const pool: BalancerPool = {
    taoReserve: 1_000_000_000n,
    alphaReserve: 4_000_000_000n,
    quote: HALF,
  };
  it('a limit on the wrong side (or equal to the price) is PriceLimitExceeded', () => {
    const p = currentPrice(pool);
    for (const [direction, limitPrice] of [
      ['buy', p],
      ['buy', p - 1n],
      ['sell', p],
      ['sell', p + 1n],
      ['buy', 0n],
    ] as const) {
      assert.deepEqual(swap(pool, { direction, amount: 1000n, limitPrice, feeRate: 33 }), {
        ok: false,
        error: 'PriceLimitExceeded',
      });
    }
  });

  it('input that buys nothing is ReservesTooLow; a zero amount is a no-op', () => {
    const skewed: BalancerPool = {
      taoReserve: 1_000_000_000_000_000_000n,
      alphaReserve: 1_000_000n,
      quote: HALF,
    };
    assert.deepEqual(
      swap(skewed, { direction: 'buy', amount: 1n, limitPrice: (1n << 127n) - 1n, feeRate: 33 }),
      { ok: false, error: 'ReservesTooLow' },
    );
    const r = ok(swap(pool, { direction: 'buy', amount: 0n, limitPrice: maxLimit, feeRate: 33 }));
    assert.deepEqual(
      [r.amountPaidIn, r.amountPaidOut, r.feePaid, r.feeToBlockAuthor],
      [0n, 0n, 0n, 0n],
    );
  });

  it('negative amounts are InsufficientInputAmount, not a throw', () => {
    assert.deepEqual(
      swap(pool, { direction: 'buy', amount: -5n, limitPrice: maxLimit, feeRate: 33 }),
      { ok: false, error: 'InsufficientInputAmount' },
    );
  });

  it('an uninitialised pool runs with w2 = 0.5 and reports it', () => {
    const skewedQuote = { ...pool, quote: perquintillFromRational(3n, 10n) };
    const r = ok(
      swap(skewedQuote, {
        direction: 'buy',
        amount: 1000n,
        limitPrice: maxLimit,
        feeRate: 33,
        initialized: false,
      }),
    );
    assert.equal(r.quote, HALF);
    assert.equal(r.initializedBalancer, true);
    assert.equal(r.amountPaidOut, 3999n);
  });

  it('drop_fees removes the fee; simulate does not change the numbers', () => {
    const base = { direction: 'buy' as const, amount: 123_456n, limitPrice: maxLimit, feeRate: 33 };
    const free = ok(swap(pool, { ...base, dropFees: true }));
    assert.equal(free.feePaid, 0n);
    assert.equal(free.amountPaidIn, 123_456n);
    assert.deepEqual(swap(pool, { ...base, simulate: true }), swap(pool, base));
  });

  it('a limit inside the trade fills partially with the fee recomputed', () => {
    const p = currentPrice(pool);
    const limitPrice = p + p / 100n; // +1%
    const amount = 100_000_000n; // would move the price ~20%
    const r = ok(swap(pool, { direction: 'buy', amount, limitPrice, feeRate: 33 }));
    const full = amount - calculateFeeAmount(amount, 33);
    assert.ok(r.amountPaidIn < full);
    assert.equal(r.amountPaidIn, calculateQuoteDeltaIn(HALF, p, limitPrice, pool.taoReserve));
    assert.equal(r.feePaid, calculatePartialFillFee(r.amountPaidIn, 33));
    const after = calculatePrice(
      HALF,
      pool.alphaReserve - r.amountPaidOut,
      pool.taoReserve + r.amountPaidIn,
    );
    assert.ok(after <= limitPrice);
    withinAbs(f(after), f(limitPrice), f(limitPrice) * 1e-6, 'reaches the limit');
    // sell side
    const sellLimit = p - p / 100n;
    const s = ok(
      swap(pool, { direction: 'sell', amount: 400_000_000n, limitPrice: sellLimit, feeRate: 33 }),
    );
    assert.equal(s.amountPaidIn, calculateBaseDeltaIn(HALF, p, sellLimit, pool.alphaReserve));
    const afterSell = calculatePrice(
      HALF,
      pool.alphaReserve + s.amountPaidIn,
      pool.taoReserve - s.amountPaidOut,
    );
    assert.ok(afterSell >= sellLimit);
  });

  it('rejects malformed input with TypeError/RangeError', () => {
    const base = { direction: 'buy' as const, amount: 1n, limitPrice: maxLimit, feeRate: 33 };
    assert.throws(() => swap(pool, { ...base, amount: 1 as unknown as bigint }), TypeError);
    assert.throws(() => swap(pool, { ...base, amount: 1n << 64n }), RangeError);
    assert.throws(() => swap(pool, { ...base, direction: 'up' as 'buy' }), TypeError);
    assert.throws(() => swap(pool, { ...base, feeRate: -1 }), RangeError);
    assert.throws(() => swap(pool, { ...base, limitPrice: -1n }), RangeError);
    assert.throws(() => swap({ ...pool, taoReserve: -1n }, base), RangeError);
    assert.throws(() => swap({ ...pool, quote: E18 }, base), RangeError);
    assert.throws(() => swap(null as unknown as BalancerPool, base), TypeError);
    assert.throws(() => swap(pool, null as unknown as typeof base), TypeError);
    assert.throws(() => convertDeltas(pool, 'buy', -1n), RangeError);
  });
});

describe('protocol liquidity', () => {
  const tao = 1_000_000_000_000n;
  const alpha = 4_000_000_000_000n;
  const deltas: [bigint, bigint][] = [
    [0n, 0n],
    [0n, 1n],
    [1n, 0n],
    [10n, 10n],
    [1_000_000n, 0n],
    [0n, 1_000_000_000n],
    [1_000_000_000_000n, 0n],
    [0n, 1_000_000_000_000n],
    [2_000_000_000n, 1_000_000_000n],
    [1_234_567n, 2_432_765_890n],
  ];
  it('keeps the price and moves w2 as expected (test_adjust_protocol_liquidity_happy)', () => {
    const pool = { taoReserve: tao, alphaReserve: alpha, quote: HALF };
    const before = currentPrice(pool);
    for (const [dt, da] of deltas) {
      const r = adjustProtocolLiquidity(pool, dt, da);
      assert.deepEqual([r.taoAdded, r.alphaAdded], [dt, da]);
      const after = currentPrice({
        taoReserve: tao + dt,
        alphaReserve: alpha + da,
        quote: r.quote,
      });
      withinAbs(f(after), f(before), f(before) / 1e12, `price ${dt}/${da}`);
      const nt = Number(tao + dt);
      const na = Number(alpha + da);
      const wantW = nt / (na * f(before) + nt);
      withinAbs(Number(r.quote) / 1e18 - 0.5, wantW - 0.5, wantW / 1e12, `weight ${dt}/${da}`);
    }
  });

  it('an empty alpha side keeps w2 = 0.5 (test_adjust_protocol_liquidity_zero_alpha)', () => {
    const pool = { taoReserve: tao, alphaReserve: 0n, quote: HALF };
    assert.equal(currentPrice(pool), 0n);
    for (const [dt, da] of deltas) {
      const r = adjustProtocolLiquidity(pool, dt, da);
      assert.equal(r.quote, HALF);
      if (da !== 0n) {
        const p = currentPrice({ taoReserve: tao + dt, alphaReserve: da, quote: r.quote });
        withinAbs(f(p), Number(tao + dt) / Number(da), 1e-9 * (Number(tao + dt) / Number(da)), 'p');
      }
    }
  });

  it('refuses an injection that would push w2 out of [0.01, 0.99]', () => {
    const pool = { taoReserve: 1_000n, alphaReserve: 1_000n, quote: HALF };
    const r = adjustProtocolLiquidity(pool, 1_000_000n, 0n);
    assert.deepEqual(r, { taoAdded: 0n, alphaAdded: 0n, quote: HALF });
  });

  it('no-slippage alpha for tao', () => {
    const pool = { taoReserve: 1_000_000_000n, alphaReserve: 4_000_000_000n, quote: HALF };
    assert.equal(getAlphaAmountForTao(pool, 1_000n), 4_000n);
    assert.equal(getAlphaAmountForTao({ ...pool, alphaReserve: 0n }, 1_000n), 0n);
  });
});

describe('swap properties', () => {
  const quoteArb = fc.bigInt({ min: MIN_WEIGHT, max: E18 - MIN_WEIGHT });
  const reserveArb = fc.bigInt({ min: 1_000_000n, max: 1n << 56n });
  const poolArb = fc.record({ taoReserve: reserveArb, alphaReserve: reserveArb, quote: quoteArb });
  const feeArb = fc.integer({ min: 0, max: 2000 });

  it('buy then sell never returns more TAO than was put in', () => {
    fc.assert(
      fc.property(
        poolArb,
        fc.bigInt({ min: 1n, max: 1n << 50n }),
        feeArb,
        (pool, amount, feeRate) => {
          const b = swap(pool, { direction: 'buy', amount, limitPrice: maxLimit, feeRate });
          if (!b.ok) return true;
          const next = {
            taoReserve: pool.taoReserve + b.amountPaidIn,
            alphaReserve: pool.alphaReserve - b.amountPaidOut,
            quote: pool.quote,
          };
          const s = swap(next, {
            direction: 'sell',
            amount: b.amountPaidOut,
            limitPrice: minLimit,
            feeRate,
          });
          if (!s.ok) return true;
          return s.amountPaidOut <= amount;
        },
      ),
      fcOpts,
    );
  });

  it('outputs never exceed the output reserve and the fee never exceeds the amount', () => {
    fc.assert(
      fc.property(
        poolArb,
        fc.constantFrom('buy' as const, 'sell' as const),
        fc.bigInt({ min: 0n, max: 1n << 62n }),
        feeArb,
        (pool, direction, amount, feeRate) => {
          assert.ok(calculateFeeAmount(amount, feeRate) <= amount);
          const limitPrice = direction === 'buy' ? maxLimit : minLimit;
          const r = swap(pool, { direction, amount, limitPrice, feeRate, simulate: true });
          if (!r.ok) return true;
          const reserve = direction === 'buy' ? pool.alphaReserve : pool.taoReserve;
          return r.amountPaidOut <= reserve && r.feePaid <= amount && r.amountPaidIn <= amount;
        },
      ),
      fcOpts,
    );
  });

  it('partial fills never push the price past the limit', () => {
    fc.assert(
      fc.property(
        poolArb,
        fc.constantFrom('buy' as const, 'sell' as const),
        fc.bigInt({ min: 1n, max: 1n << 50n }),
        fc.integer({ min: 1, max: 1_000_000 }),
        feeArb,
        (pool, direction, amount, ppm, feeRate) => {
          const p = currentPrice(pool);
          const step = (p * BigInt(ppm)) / 1_000_000n + 1n;
          const limitPrice = direction === 'buy' ? p + step : p > step ? p - step : 1n;
          const r = swap(pool, { direction, amount, limitPrice, feeRate });
          if (!r.ok) return true;
          const after =
            direction === 'buy'
              ? calculatePrice(
                  pool.quote,
                  pool.alphaReserve - r.amountPaidOut,
                  pool.taoReserve + r.amountPaidIn,
                )
              : calculatePrice(
                  pool.quote,
                  pool.alphaReserve + r.amountPaidIn,
                  pool.taoReserve - r.amountPaidOut,
                );
          // allow 1e-9 relative slack for the floors inside the fixed-point power
          const slack = limitPrice / 1_000_000_000n + 1n;
          return direction === 'buy' ? after <= limitPrice + slack : after + slack >= limitPrice;
        },
      ),
      fcOpts,
    );
  });
});
