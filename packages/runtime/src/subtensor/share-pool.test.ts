import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SubtensorStorage as S } from '@taoscript/chain-types';
import fc from 'fast-check';
import { MapState, Overlay } from '../state.js';
import {
  canCreditStake,
  creditHotkey,
  creditStake,
  debitHotkey,
  debitStake,
  poolDenominator,
  SAFE_FLOAT_MAX,
  type SafeFloat,
  safeFloatAdd,
  safeFloatDiv,
  safeFloatFromU64,
  safeFloatFromU64F64,
  safeFloatGt,
  safeFloatMulDiv,
  safeFloatNew,
  safeFloatSub,
  safeFloatToU64,
  sharesOf,
  shareValue,
  stakeOf,
} from './share-pool.js';

const seed = Number(process.env.FC_SEED ?? 1);
const fcOpts = { seed, numRuns: 200 };
const U64_MAX = (1n << 64n) - 1n;

const sf = (m: bigint, e: bigint): SafeFloat => {
  const v = safeFloatNew(m, e);
  if (!v) throw new Error(`bad test SafeFloat ${m}e${e}`);
  return v;
};
const acct = (n: number) => new Uint8Array(32).fill(n);
const HOT = acct(1);
const NET = 3;
const fresh = () => new Overlay(new MapState());

/** a·10^ea compared with b·10^eb, exactly: -1, 0, 1. */
function cmpScaled(a: bigint, ea: bigint, b: bigint, eb: bigint): number {
  const e = ea < eb ? ea : eb;
  const l = a * 10n ** (ea - e);
  const r = b * 10n ** (eb - e);
  return l < r ? -1 : l > r ? 1 : 0;
}

const normalised = fc
  .tuple(
    fc.bigInt({ min: SAFE_FLOAT_MAX / 10n + 1n, max: SAFE_FLOAT_MAX }),
    fc.bigInt({ min: -60n, max: 60n }),
  )
  .map(([m, e]) => ({ mantissa: m, exponent: e }) as SafeFloat);

describe('SafeFloat (share_pool 14bc6f9f known answers)', () => {
  it('normalises into (MAX/10, MAX]', () => {
    const cases: [bigint, bigint, bigint, bigint][] = [
      [1n, 0n, 10n ** 21n, -21n],
      [0n, 0n, 0n, 0n],
      [10n, 0n, 10n ** 21n, -20n],
      [1_000n, 0n, 10n ** 21n, -18n],
      [10n ** 20n, 0n, 10n ** 21n, -1n],
      [SAFE_FLOAT_MAX, 0n, SAFE_FLOAT_MAX, 0n],
    ];
    for (const [m, e, em, ee] of cases)
      assert.deepEqual(safeFloatNew(m, e), { mantissa: em, exponent: ee });
    assert.equal(safeFloatNew(SAFE_FLOAT_MAX + 1n, 0n), undefined);
    // Exponent underflow while normalising gives None.
    assert.equal(safeFloatNew(1n, -(1n << 63n)), undefined);
  });

  it('adds with the smaller operand truncated (upstream table)', () => {
    const M = SAFE_FLOAT_MAX;
    const cases: [bigint, bigint, bigint, bigint, bigint, bigint][] = [
      [1n, 0n, 1n, 0n, 200_000_000_000_000_000_000n, -20n],
      [0n, 0n, 1n, 0n, M, -21n],
      [0n, 0n, 1n, -1n, M, -22n],
      [1n, -1000n, 1n, -1n, M, -22n],
      [M, 0n, M, 0n, (M * 2n) / 10n, 1n],
      [1n, 0n, M, 1n, M, 1n],
      [1n, 0n, 1n, 22n, M, 1n],
      [1n, 0n, 1n, 23n, M, 2n],
      [123n, 0n, 1n, 23n, M, 2n],
      [123n, 1n, 1n, 23n, 100_000_000_000_000_000_001n, 3n],
      [42n, 0n, 1n, 22n, M, 1n],
      [999_999_999_999_999_999_999n, 0n, 1n, 22n, 109_999_999_999_999_999_999n, 2n],
      [42n, 0n, 1n, 23n, M, 2n],
      [4_200n, 0n, 1n, 23n, 100_000_000_000_000_000_004n, 3n],
      [999_999_999_999_999_999_999n, 0n, 1n, 23n, 100_999_999_999_999_999_999n, 3n],
      [999_999n, 1n, 1n, 23n, 100_000_000_000_000_009_999n, 3n],
      [1n, 24n, 1n, 0n, M, 3n],
      [1n, 24n, 123_456_789_012_345_678_901n, 0n, 100_012_345_678_901_234_567n, 4n],
      [1n, 22n, 1n, 23n, 110_000_000_000_000_000_000n, 3n],
      [999_999_999_999_999_999_999n, 22n, 1n, 22n, M, 22n],
    ];
    for (const [ma, ea, mb, eb, em, ee] of cases) {
      const a = sf(ma, ea);
      const b = sf(mb, eb);
      assert.deepEqual(
        safeFloatAdd(a, b),
        { mantissa: em, exponent: ee },
        `${ma}e${ea}+${mb}e${eb}`,
      );
      assert.deepEqual(safeFloatAdd(b, a), { mantissa: em, exponent: ee });
    }
  });

  it('subtracts saturating at zero; zero minus non-zero is None', () => {
    const one = safeFloatFromU64(1n);
    const two = safeFloatFromU64(2n);
    const zero = safeFloatFromU64(0n);
    assert.deepEqual(safeFloatSub(two, one), one);
    assert.deepEqual(safeFloatSub(one, two), zero);
    assert.deepEqual(safeFloatSub(zero, zero), zero);
    assert.equal(safeFloatSub(zero, one), undefined);
    assert.deepEqual(safeFloatSub(one, zero), one);
  });

  it('division truncates: the exact quotient lies in [q, q + 10 ulp)', () => {
    assert.equal(safeFloatDiv(safeFloatFromU64(1n), safeFloatFromU64(0n)), undefined);
    assert.deepEqual(safeFloatDiv(safeFloatFromU64(0n), safeFloatFromU64(7n)), {
      mantissa: 0n,
      exponent: 0n,
    });
    fc.assert(
      fc.property(normalised, normalised, (a, b) => {
        const q = safeFloatDiv(a, b);
        assert.ok(q);
        // q·b ≤ a < (q + 10 ulp)·b, compared exactly. (At 10^k boundaries normalisation drops a
        // digit, so the bound is ten result ulps rather than one.)
        const lo = cmpScaled(
          q.mantissa * b.mantissa,
          q.exponent + b.exponent,
          a.mantissa,
          a.exponent,
        );
        const hi = cmpScaled(
          (q.mantissa + 10n) * b.mantissa,
          q.exponent + b.exponent,
          a.mantissa,
          a.exponent,
        );
        assert.ok(lo <= 0 && hi > 0);
        assert.ok(q.mantissa > SAFE_FLOAT_MAX / 10n && q.mantissa <= SAFE_FLOAT_MAX);
      }),
      fcOpts,
    );
  });

  it('mul_div keeps the a·b precision: within ten result ulps below the exact value', () => {
    assert.equal(
      safeFloatMulDiv(safeFloatFromU64(1n), safeFloatFromU64(1n), safeFloatFromU64(0n)),
      undefined,
    );
    assert.deepEqual(
      safeFloatMulDiv(safeFloatFromU64(6n), safeFloatFromU64(2n), safeFloatFromU64(3n)),
      safeFloatFromU64(4n),
    );
    fc.assert(
      fc.property(normalised, normalised, normalised, (a, b, c) => {
        const r = safeFloatMulDiv(a, b, c);
        assert.ok(r);
        const e = a.exponent + b.exponent;
        // r·c ≤ a·b < (r + 10 ulp)·c
        assert.ok(
          cmpScaled(r.mantissa * c.mantissa, r.exponent + c.exponent, a.mantissa * b.mantissa, e) <=
            0,
        );
        assert.ok(
          cmpScaled(
            (r.mantissa + 10n) * c.mantissa,
            r.exponent + c.exponent,
            a.mantissa * b.mantissa,
            e,
          ) > 0,
        );
      }),
      fcOpts,
    );
  });

  it('exponent overflow in mul_div / div is None', () => {
    const big = { mantissa: SAFE_FLOAT_MAX, exponent: (1n << 63n) - 1n };
    assert.equal(safeFloatMulDiv(big, big, safeFloatFromU64(1n)), undefined);
    const tiny = { mantissa: SAFE_FLOAT_MAX, exponent: -(1n << 63n) };
    assert.equal(safeFloatDiv(tiny, big), undefined);
  });

  it('converts from U64F64 (integer + fraction/2^64) and to u64 (truncating, saturating)', () => {
    assert.deepEqual(safeFloatFromU64F64(0n), { mantissa: 0n, exponent: 0n });
    assert.equal(safeFloatToU64(safeFloatFromU64F64(5n << 64n)), 5n);
    // 1.5 exactly: 15e-1
    assert.deepEqual(safeFloatFromU64F64(3n << 63n), {
      mantissa: 150_000_000_000_000_000_000n,
      exponent: -20n,
    });
    // 0.1 in U64F64 (from_num(0.1)): the value keeps 21 significant digits of bits/2^64.
    const tenth = 1_844_674_407_370_955_162n; // round(0.1·2^64)
    const v = safeFloatFromU64F64(tenth);
    assert.ok(cmpScaled(v.mantissa << 64n, v.exponent, tenth, 0n) <= 0);
    assert.ok(cmpScaled((v.mantissa + 2n) << 64n, v.exponent, tenth, 0n) > 0);
    assert.equal(safeFloatToU64({ mantissa: SAFE_FLOAT_MAX, exponent: 5n }), U64_MAX);
    assert.equal(safeFloatToU64({ mantissa: SAFE_FLOAT_MAX, exponent: -30n }), 0n);
    assert.equal(safeFloatToU64({ mantissa: 123_456_000_000_000_000_000n, exponent: -18n }), 123n);
    assert.equal(safeFloatToU64({ mantissa: 1n << 100n, exponent: 0n }), U64_MAX);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (n) => {
        assert.equal(safeFloatToU64(safeFloatFromU64(n)), n);
      }),
      fcOpts,
    );
  });

  it('gt agrees with exact comparison on normalised values', () => {
    fc.assert(
      fc.property(normalised, normalised, (a, b) => {
        assert.equal(
          safeFloatGt(a, b),
          cmpScaled(a.mantissa, a.exponent, b.mantissa, b.exponent) > 0,
        );
      }),
      fcOpts,
    );
  });

  it('rejects malformed input', () => {
    assert.throws(() => safeFloatNew(-1n, 0n), RangeError);
    assert.throws(() => safeFloatNew(1n, 1n << 63n), RangeError);
    assert.throws(() => safeFloatNew(1 as unknown as bigint, 0n), TypeError);
    assert.throws(() => safeFloatFromU64(1n << 64n), RangeError);
    assert.throws(() => safeFloatFromU64(-1n), RangeError);
    assert.throws(() => safeFloatFromU64F64(1n << 128n), RangeError);
    assert.throws(
      () => safeFloatAdd({ mantissa: 1n << 128n, exponent: 0n }, safeFloatFromU64(1n)),
      RangeError,
    );
    assert.throws(
      () => safeFloatAdd(null as unknown as SafeFloat, safeFloatFromU64(1n)),
      TypeError,
    );
    assert.throws(
      () => safeFloatToU64({ mantissa: 1, exponent: 0n } as unknown as SafeFloat),
      TypeError,
    );
    const st = fresh();
    assert.throws(() => creditStake(st, HOT, acct(2), NET, -1n), RangeError);
    assert.throws(() => creditStake(st, HOT, acct(2), NET, 1n << 64n), RangeError);
    assert.throws(() => debitStake(st, HOT, acct(2), NET, 5 as unknown as bigint), TypeError);
    assert.throws(() => creditHotkey(st, HOT, NET, -5n), RangeError);
    assert.throws(() => shareValue(st, HOT, NET, { mantissa: -1n, exponent: 0n }), RangeError);
  });
});

describe('hotkey share pool', () => {
  it('values positions pro rata (upstream test_get_value)', () => {
    const st = fresh();
    S.TotalHotkeySharesV2.set(st, HOT, NET, safeFloatFromU64(10n));
    S.AlphaV2.set(st, HOT, acct(2), NET, safeFloatFromU64(3n));
    S.AlphaV2.set(st, HOT, acct(3), NET, safeFloatFromU64(7n));
    S.TotalHotkeyAlpha.set(st, HOT, NET, 100n);
    assert.equal(stakeOf(st, HOT, acct(2), NET), 30n);
    assert.equal(stakeOf(st, HOT, acct(3), NET), 70n);
    assert.equal(stakeOf(st, HOT, acct(4), NET), 0n);
    // A zero denominator values everything at 0.
    S.TotalHotkeySharesV2.remove(st, HOT, NET);
    assert.equal(stakeOf(st, HOT, acct(2), NET), 0n);
  });

  it('first credit initialises the pool one share per unit; small unstakes keep precision', () => {
    const st = fresh();
    const a = acct(2);
    const b = acct(3);
    creditStake(st, HOT, a, NET, 1000n);
    assert.deepEqual(poolDenominator(st, HOT, NET), safeFloatFromU64(1000n));
    assert.deepEqual(sharesOf(st, HOT, a, NET), safeFloatFromU64(1000n));
    assert.equal(S.TotalHotkeyAlpha.get(st, HOT, NET), 1000n);
    assert.equal(stakeOf(st, HOT, a, NET), 1000n);
    // upstream test_denom_precision
    debitStake(st, HOT, a, NET, 990n);
    creditStake(st, HOT, b, NET, 1000n);
    debitStake(st, HOT, b, NET, 990n);
    assert.equal(stakeOf(st, HOT, a, NET), 10n);
    assert.equal(stakeOf(st, HOT, b, NET), 10n);
    // StakingHotkeys records the hotkey once per coldkey.
    assert.equal(S.StakingHotkeys.get(st, a).length, 1);
  });

  it('survives huge emissions and near-total unstakes (upstream test_denom_high_precision)', () => {
    const st = fresh();
    const a = acct(2);
    const b = acct(3);
    creditStake(st, HOT, a, NET, 1n);
    creditStake(st, HOT, b, NET, 1n);
    creditHotkey(st, HOT, NET, 999_999_999_999_998n);
    debitStake(st, HOT, a, NET, 499_999_999_999_990n);
    debitStake(st, HOT, b, NET, 499_999_999_999_990n);
    creditHotkey(st, HOT, NET, 999_999_999_999_980n);
    creditStake(st, HOT, a, NET, 1_000_000_000_000n);
    creditStake(st, HOT, b, NET, 1_000_000_000_000n);
    for (const who of [a, b]) {
      const v = stakeOf(st, HOT, who, NET);
      assert.ok(v >= 500_999_999_999_999n && v <= 501_000_000_000_001n, `${v}`);
    }
  });

  it('many small unstakes lose at most a rao (upstream test_denom_high_precision_many_small_unstakes)', () => {
    const st = fresh();
    const a = acct(2);
    const b = acct(3);
    creditStake(st, HOT, a, NET, 1n);
    creditStake(st, HOT, b, NET, 1n);
    creditHotkey(st, HOT, NET, 1_000_000_000_000_000n);
    for (let i = 0; i < 1000; i++) {
      debitStake(st, HOT, a, NET, 500_000_000n);
      debitStake(st, HOT, b, NET, 500_000_000n);
    }
    creditHotkey(st, HOT, NET, 1_000_000_000_000_000n);
    creditStake(st, HOT, a, NET, 1_000_000_000_000n);
    creditStake(st, HOT, b, NET, 1_000_000_000_000n);
    const expected = 1_001_000_000_000_000n - 1000n * 500_000_000n;
    for (const who of [a, b]) {
      const v = stakeOf(st, HOT, who, NET);
      assert.ok(v >= expected - 1n && v <= expected + 1n, `${v}`);
    }
  });

  it('a small unstake from a low-denominator pool removes exactly that much (upstream test_loss_due_to_precision)', () => {
    const st = fresh();
    const a = acct(2);
    S.TotalHotkeySharesV2.set(st, HOT, NET, sf(1n, -14n));
    S.TotalHotkeyAlpha.set(st, HOT, NET, 1_000_000_000_000n);
    S.AlphaV2.set(st, HOT, a, NET, sf(1n, -15n));
    const before = stakeOf(st, HOT, a, NET);
    assert.equal(before, 100_000_000_000n);
    debitStake(st, HOT, a, NET, 1000n);
    assert.equal(before - stakeOf(st, HOT, a, NET), 1000n);
  });

  it('debit larger than the position, or of an absent position, is a no-op', () => {
    const st = fresh();
    creditStake(st, HOT, acct(2), NET, 500n);
    const snapshot = new Map(st.changes());
    debitStake(st, HOT, acct(2), NET, 501n);
    debitStake(st, HOT, acct(9), NET, 1n);
    assert.deepEqual(new Map(st.changes()), snapshot);
  });

  it('emptying a pool removes its entries', () => {
    const st = fresh();
    creditStake(st, HOT, acct(2), NET, 500n);
    debitStake(st, HOT, acct(2), NET, 500n);
    assert.equal(S.TotalHotkeyAlpha.tryGet(st, HOT, NET), undefined);
    assert.equal(S.TotalHotkeySharesV2.tryGet(st, HOT, NET), undefined);
    assert.equal(S.AlphaV2.tryGet(st, HOT, acct(2), NET), undefined);
    // A zero-value pool with shares left (all value debited) refuses new credits.
    creditStake(st, HOT, acct(2), NET, 500n);
    debitHotkey(st, HOT, NET, 500n);
    assert.equal(canCreditStake(st, HOT, NET, 10n), false);
    assert.equal(canCreditStake(fresh(), HOT, NET, 10n), true);
  });

  it('a credit whose share arithmetic overflows the exponent is refused', () => {
    const st = fresh();
    S.TotalHotkeyAlpha.set(st, HOT, NET, 1000n);
    S.TotalHotkeySharesV2.set(st, HOT, NET, {
      mantissa: SAFE_FLOAT_MAX,
      exponent: -(1n << 63n) + 5n,
    });
    assert.equal(canCreditStake(st, HOT, NET, 1n), false);
    S.TotalHotkeySharesV2.set(st, HOT, NET, safeFloatFromU64(1000n));
    assert.equal(canCreditStake(st, HOT, NET, 1n), true);
  });

  it('reads legacy Alpha/TotalHotkeyShares and migrates them on the first write', () => {
    const st = fresh();
    const a = acct(2);
    const b = acct(3);
    // Legacy: denominator 4.0, a holds 1.0, b holds 3.0 of a pool worth 400.
    S.TotalHotkeyShares.set(st, HOT, NET, 4n << 64n);
    S.Alpha.set(st, HOT, a, NET, 1n << 64n);
    S.Alpha.set(st, HOT, b, NET, 3n << 64n);
    S.TotalHotkeyAlpha.set(st, HOT, NET, 400n);
    assert.equal(stakeOf(st, HOT, a, NET), 100n);
    assert.equal(stakeOf(st, HOT, b, NET), 300n);
    // A legacy entry shadows a V2 entry for the same key.
    S.AlphaV2.set(st, HOT, a, NET, safeFloatFromU64(3n));
    assert.equal(stakeOf(st, HOT, a, NET), 100n);
    S.AlphaV2.remove(st, HOT, a, NET);
    creditStake(st, HOT, a, NET, 100n);
    assert.equal(S.Alpha.tryGet(st, HOT, a, NET), undefined);
    assert.equal(S.TotalHotkeyShares.tryGet(st, HOT, NET), undefined);
    assert.deepEqual(S.AlphaV2.get(st, HOT, a, NET), safeFloatFromU64(2n));
    assert.deepEqual(S.TotalHotkeySharesV2.get(st, HOT, NET), safeFloatFromU64(5n));
    assert.equal(stakeOf(st, HOT, a, NET), 200n);
    // b is still legacy and still valued against the migrated denominator.
    assert.notEqual(S.Alpha.tryGet(st, HOT, b, NET), undefined);
    assert.equal(stakeOf(st, HOT, b, NET), 300n);
  });

  it('property: credits and debits move a position by their amount and the pool stays covered', () => {
    const op = fc.oneof(
      fc.record({
        k: fc.constant('credit' as const),
        who: fc.nat(3),
        amt: fc.bigInt({ min: 1n, max: 10n ** 15n }),
      }),
      fc.record({
        k: fc.constant('debit' as const),
        who: fc.nat(3),
        amt: fc.bigInt({ min: 1n, max: 10n ** 15n }),
      }),
      fc.record({
        k: fc.constant('emit' as const),
        who: fc.constant(0),
        amt: fc.bigInt({ min: 0n, max: 10n ** 15n }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const st = fresh();
        const keys = [acct(10), acct(11), acct(12), acct(13)];
        for (const o of ops) {
          const who = keys[o.who] as Uint8Array;
          const before = stakeOf(st, HOT, who, NET);
          const pool = S.TotalHotkeyAlpha.get(st, HOT, NET);
          if (o.k === 'credit') {
            if (!canCreditStake(st, HOT, NET, o.amt)) continue;
            const empty = poolDenominator(st, HOT, NET).mantissa === 0n;
            creditStake(st, HOT, who, NET, o.amt);
            const after = stakeOf(st, HOT, who, NET);
            assert.equal(S.TotalHotkeyAlpha.get(st, HOT, NET), pool + o.amt);
            // The first staker of an empty pool also takes any value credited to it before.
            if (empty) assert.equal(after, pool + o.amt);
            else
              assert.ok(
                after - before >= o.amt - 2n && after - before <= o.amt + 1n,
                `credit ${o.amt}: ${before}→${after}`,
              );
          } else if (o.k === 'debit') {
            let amt = o.amt;
            if (amt > before) amt = before;
            if (amt === 0n) continue;
            debitStake(st, HOT, who, NET, amt);
            const after = stakeOf(st, HOT, who, NET);
            assert.equal(S.TotalHotkeyAlpha.get(st, HOT, NET), pool - amt);
            assert.ok(
              before - after >= amt - 1n && before - after <= amt + 2n,
              `debit ${amt}: ${before}→${after}`,
            );
          } else {
            creditHotkey(st, HOT, NET, o.amt);
          }
          let sum = 0n;
          for (const k of keys) sum += stakeOf(st, HOT, k, NET);
          const total = S.TotalHotkeyAlpha.get(st, HOT, NET);
          assert.ok(sum <= total + 4n, `positions ${sum} exceed pool ${total}`);
        }
      }),
      fcOpts,
    );
  });
});
