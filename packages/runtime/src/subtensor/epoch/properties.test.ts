import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expSafe } from '@taoscript/codec';
import fc from 'fast-check';
import { finishTerms, prelude } from './common.js';
import { fastCore } from './fast.js';
import {
  divFloor,
  divisorParts,
  expSafeFast,
  expSafeNumber,
  idiv,
  mulFloor,
  mulFloorSigned,
  NumberMemo,
  normDiv,
  proportionToU16,
} from './fast-math.js';
import { div, fixedProportionToU16, mul } from './math.js';
import { epochMechanismReference } from './reference.js';
import type { EpochInput, EpochTerms, SparseRowU16 } from './types.js';
import { epochMechanism } from './yuma.js';

const seed = Number(process.env.FC_SEED ?? 20261127);
const opts = (numRuns: number) => ({ seed, numRuns, verbose: 1 as const });
const check = <T>(prop: fc.IProperty<T>, numRuns: number): void => {
  const r = fc.check(prop, opts(numRuns));
  if (r.failed) {
    assert.fail(`property failed (FC_SEED=${seed}): ${fc.defaultReportMessage(r)}`);
  }
};

const TWO52 = 2 ** 52;
const U64_MAX = (1n << 64n) - 1n;

describe('fast kernels equal the bigint definitions', () => {
  const raw = fc.bigInt({ min: 0n, max: BigInt(TWO52) - 1n }).map(Number);
  const small = fc.oneof(
    raw,
    fc.integer({ min: 0, max: 2 ** 33 }),
    fc.constantFrom(0, 1, 2 ** 31, 2 ** 32, 2 ** 32 - 1, 65535 * 2 ** 32),
  );

  it('mulFloor and mulFloorSigned = floor(x·y / 2^32)', () => {
    check(
      fc.property(small, small, (x, y) => {
        const want = (BigInt(x) * BigInt(y)) >> 32n;
        if (want < BigInt(TWO52)) assert.equal(mulFloor(x, y), Number(want));
      }),
      3000,
    );
    check(
      fc.property(small, small, fc.boolean(), fc.boolean(), (x, y, nx, ny) => {
        const a = nx ? -x : x;
        const b = ny ? -y : y;
        const want = (BigInt(a) * BigInt(b)) >> 32n;
        if (want < BigInt(TWO52) && want > -BigInt(TWO52)) {
          assert.equal(mulFloorSigned(a, b) + 0, Number(want));
          assert.equal(BigInt(mulFloorSigned(a, b)), mul(BigInt(a), BigInt(b)));
        }
      }),
      3000,
    );
  });

  it('divFloor = safe_div and idiv = floor(a / b)', () => {
    const divisor = fc.oneof(small, fc.integer({ min: 1, max: 1000 }));
    check(
      fc.property(small, divisor, (a, b) => {
        const d = div(BigInt(a), BigInt(b));
        if (d < BigInt(TWO52)) assert.equal(divFloor(a, b), Number(d));
      }),
      3000,
    );
    check(
      fc.property(fc.integer({ min: 0, max: TWO52 - 1 }), fc.integer({ min: 1 }), (a, b) => {
        assert.equal(idiv(a, b), Number(BigInt(a) / BigInt(b)));
      }),
      2000,
    );
  });

  it('normDiv (reciprocal + exact remainder check) = safe_div', () => {
    const b = fc.oneof(
      fc.integer({ min: 1, max: 2 ** 40 + 5 }),
      fc.integer({ min: 1, max: 2 ** 33 }),
      fc.integer({ min: 1, max: 1000 }),
      fc.constantFrom(1, 2 ** 32, 2 ** 40 - 1, 3 * 2 ** 32 + 1),
    );
    check(
      fc.property(b, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (d, f, over) => {
        // Mostly a ≤ b (normalisation), sometimes above to exercise the fallback.
        const a = over ? d + Math.floor(f * 1000) : Math.floor(f * d);
        const [recip, hi, lo] = divisorParts(d);
        assert.equal(normDiv(a, d, recip, hi, lo), Number(div(BigInt(a), BigInt(d))));
      }),
      5000,
    );
    assert.equal(normDiv(0, 0, 0, 0, 0), 0);
  });

  it('expSafeFast = substrate_fixed exp (or defers to bigint)', () => {
    const x = fc.oneof(
      fc.integer({ min: -25 * 2 ** 32, max: 25 * 2 ** 32 }),
      fc.integer({ min: -6 * 2 ** 32, max: 6 * 2 ** 32 }),
      fc.constantFrom(0, 2 ** 32, -(2 ** 32), 2 ** 31, 20 * 2 ** 32, -20 * 2 ** 32),
    );
    check(
      fc.property(x, (v) => {
        const want = expSafe(BigInt(v));
        const fast = expSafeFast(v);
        if (fast !== undefined) assert.equal(BigInt(fast), want);
        else assert.ok(Math.abs(v) >= 12 * 2 ** 32, 'only |x| ≥ 12 can leave the fast range');
        assert.equal(expSafeNumber(v), want);
      }),
      1500,
    );
  });

  it('proportionToU16 = fixed_proportion_to_u16, and NumberMemo behaves like a Map', () => {
    check(
      fc.property(fc.integer({ min: 0, max: 2 ** 37 - 1 }), (x) => {
        assert.equal(proportionToU16(x), fixedProportionToU16(BigInt(x)));
      }),
      2000,
    );
    check(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 33 }), fc.double())), (ops) => {
        const memo = new NumberMemo(ops.length);
        const map = new Map<number, number>();
        for (const [k, v] of ops) {
          memo.set(k, v);
          map.set(k, v);
        }
        for (const [k] of ops) assert.equal(memo.get(k), map.get(k));
        assert.equal(memo.get(2 ** 40), undefined);
      }),
      300,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Random epochs

const u64 = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: 1_000_000_000_000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: U64_MAX }) },
  { weight: 2, arbitrary: fc.constant(0n) },
);
const u16 = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 65535, 32767, 1));

/** A sparse row over n columns: unique uids, values u16, sorted or in random order. */
const row = (n: number, sorted: boolean) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n })
    .chain((cols) =>
      fc.tuple(
        fc.constant(cols),
        fc.array(u16, { minLength: cols.length, maxLength: cols.length }),
      ),
    )
    .map(([cols, vals]) => {
      const r: SparseRowU16 = cols.map((c, k) => [c, vals[k] as number]);
      if (sorted) r.sort((a, b) => a[0] - b[0]);
      return r;
    });

const epochInput = (maxN: number, sortedRows: boolean | null) =>
  fc.integer({ min: 1, max: maxN }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      currentBlock: fc.bigInt({ min: 0n, max: 2000n }),
      alphaStake: fc.array(u64, { minLength: n, maxLength: n }),
      taoStake: fc.array(u64, { minLength: n, maxLength: n }),
      blockAtRegistration: fc.array(fc.bigInt({ min: 0n, max: 2000n }), {
        minLength: n,
        maxLength: n,
      }),
      lastUpdate: fc.array(fc.bigInt({ min: 0n, max: 2000n }), { minLength: n, maxLength: n }),
      validatorPermits: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      weights: fc.array(
        sortedRows === null ? fc.boolean().chain((s) => row(n, s)) : row(n, sortedRows),
        {
          minLength: n,
          maxLength: n,
        },
      ),
      bonds: fc.array(
        sortedRows === null ? fc.boolean().chain((s) => row(n, s)) : row(n, sortedRows),
        {
          minLength: n,
          maxLength: n,
        },
      ),
      commitBlocks: fc.array(fc.option(fc.bigInt({ min: 0n, max: 2000n })), {
        minLength: n,
        maxLength: n,
      }),
      params: fc.record({
        kappaU16: u16,
        bondsMovingAverage: fc.oneof(
          fc.bigInt({ min: 0n, max: 1_000_000n }),
          fc.constantFrom(900_000n, 975_000n),
          fc.bigInt({ min: 0n, max: U64_MAX }),
        ),
        bondsPenaltyU16: u16,
        activityCutoffBlocks: fc.oneof(fc.bigInt({ min: 1n, max: 3000n }), fc.constant(U64_MAX)),
        yuma3Enabled: fc.boolean(),
        liquidAlphaEnabled: fc.boolean(),
        alphaValuesU16: fc.tuple(u16, u16),
        alphaSigmoidSteepness: fc.oneof(
          fc.integer({ min: -32768, max: 32767 }),
          fc.constantFrom(1000, 100, 0, -1000, 32767),
        ),
        commitRevealEnabled: fc.boolean(),
        stakeThreshold: fc.oneof(fc.constant(0n), u64),
        taoWeight: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: U64_MAX })),
        subnetOwnerUid: fc.option(fc.integer({ min: 0, max: n - 1 })),
        lastMechanismStepBlock: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 2000n })),
        tempo: fc.integer({ min: 0, max: 1000 }),
        maxAllowedValidators: fc.integer({ min: 0, max: n + 2 }),
      }),
      raoEmission: fc.oneof(fc.constant(1_000_000_000n), u64),
    }),
  ) as fc.Arbitrary<EpochInput>;

const sum = (xs: readonly bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);

describe('random epochs', () => {
  it('the fast engine equals the bigint reference, bit for bit', () => {
    check(
      fc.property(epochInput(10, null), (input) => {
        assert.deepEqual(epochMechanism(input), epochMechanismReference(input));
      }),
      250,
    );
  });

  it('the column-list consensus path (large subnets) equals the reference too', () => {
    check(
      fc.property(epochInput(24, null), (input) => {
        const pre = prelude(input);
        const core = fastCore(input, pre, { denseMedianCells: 0 });
        if (core === undefined) return; // EMA coefficient outside [0, 1]: reference only
        assert.deepEqual(finishTerms(input, pre, core), epochMechanismReference(input));
      }),
      80,
    );
  });

  it('emission is never negative, never above rao_emission, and flooring loses little', () => {
    check(
      fc.property(epochInput(12, true), (input) => {
        const t = epochMechanism(input);
        const n = BigInt(input.n);
        const e = input.raoEmission;
        for (const v of [...t.serverEmission, ...t.validatorEmission, ...t.emission]) {
          assert.ok(v >= 0n);
        }
        const paid = sum(t.serverEmission) + sum(t.validatorEmission);
        assert.ok(paid <= e, `${paid} > ${e}`);
        assert.ok(sum(t.emission) <= e);
        if (sum(t.stake) === 0n || t.stakeWeightU16.every((s) => s === 0)) return;
        // Each share is truncated by < 2^-32 and each rao amount floored by < 1.
        const shareLoss = (2n * n * e) / (1n << 32n) + 1n;
        assert.ok(e - paid <= 2n * n + shareLoss, `lost ${e - paid} of ${e}`);
        assert.ok(e - sum(t.emission) <= n + shareLoss, `combined lost ${e - sum(t.emission)}`);
      }),
      300,
    );
  });

  it('results do not depend on the uid order', () => {
    const distinct = epochInput(9, true).chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.shuffledSubarray(
          Array.from({ length: input.n }, (_, i) => i),
          { minLength: input.n, maxLength: input.n },
        ),
        fc.uniqueArray(fc.bigInt({ min: 1n, max: 1_000_000n }), {
          minLength: input.n,
          maxLength: input.n,
        }),
      ),
    );
    check(
      fc.property(distinct, ([base, perm, stakes]) => {
        // Distinct stakes (no top-k ties), no owner, no tao: then the epoch is symmetric.
        const input: EpochInput = {
          ...base,
          alphaStake: stakes.map((s, i) => (i % 3 === 2 ? 0n : s)),
          taoStake: base.taoStake.map(() => 0n),
          params: { ...base.params, subnetOwnerUid: null, stakeThreshold: 0n },
        };
        const p = perm; // new uid of old uid i is p[i]
        const move = <T>(xs: readonly T[]): T[] => {
          const out = new Array<T>(xs.length);
          xs.forEach((x, i) => {
            out[p[i] as number] = x;
          });
          return out;
        };
        const moveRows = (rows: readonly SparseRowU16[]): SparseRowU16[] =>
          move(
            rows.map((r) =>
              r.map(([j, v]): [number, number] => [p[j] as number, v]).sort((a, b) => a[0] - b[0]),
            ),
          );
        const permuted: EpochInput = {
          ...input,
          alphaStake: move(input.alphaStake),
          taoStake: move(input.taoStake),
          blockAtRegistration: move(input.blockAtRegistration),
          lastUpdate: move(input.lastUpdate),
          validatorPermits: move(input.validatorPermits),
          weights: moveRows(input.weights),
          bonds: moveRows(input.bonds),
          commitBlocks: move(input.commitBlocks),
        };
        const a = epochMechanism(input);
        const b = epochMechanism(permuted);
        const same = (k: Exclude<keyof EpochTerms, 'bonds'>) =>
          assert.deepEqual(b[k], move(a[k] as unknown[]), k);
        for (const k of [
          'dividendU16',
          'incentiveU16',
          'consensusU16',
          'validatorTrustU16',
          'stakeWeightU16',
          'active',
          'newValidatorPermit',
          'emission',
          'serverEmission',
          'validatorEmission',
          'stake',
        ] as const) {
          same(k);
        }
        assert.deepEqual(b.bonds, moveRows(a.bonds));
      }),
      200,
    );
  });
});

describe('commit-reveal: a late weight copier earns less than honest validators', () => {
  const runs = [
    ['classic', 1],
    ['classic', 2],
    ['yuma3 + liquid alpha', 1],
    ['yuma3 + liquid alpha', 2],
  ] as const;
  for (const [mode, lag] of runs) {
    it(`${mode}: copying the consensus ${lag} epoch(s) late pays less than reporting on time`, () => {
      const honest = 4;
      const validators = honest + 1;
      const copier = honest;
      const miners = 6;
      const n = validators + miners;
      const epochs = 12;
      const tempo = 10;
      const rnd = fc.sample(fc.integer({ min: 0, max: 4000 }), { seed, numRuns: 200 });
      let r = 0;
      const noise = (): number => rnd[r++ % rnd.length] as number;
      const yuma3 = mode !== 'classic';
      let permits = Array.from({ length: n }, (_, i) => i < validators);
      let bonds: SparseRowU16[] = Array.from({ length: n }, () => []);
      const seen: number[][] = []; // consensus of each past epoch, as the copier observes it
      const earned = new Array<bigint>(validators).fill(0n);
      for (let e = 0; e < epochs; e++) {
        const block = BigInt(100 + e * tempo);
        // Miner quality shifts every epoch: one leader, the rest low.
        const quality = Array.from({ length: miners }, (_, m) =>
          m === e % miners ? 65535 : 8000 + ((m * 7919 + e * 104729) % 12000),
        );
        const weights: SparseRowU16[] = Array.from({ length: n }, (_, i) => {
          if (i >= validators) return [];
          const values =
            i === copier
              ? (seen[e - lag] ?? new Array<number>(miners).fill(65535))
              : quality.map((q) => Math.max(0, q - noise()));
          const max = Math.max(1, ...values);
          return values.map((v, m): [number, number] => [
            validators + m,
            Math.floor((v * 65535) / max),
          ]);
        });
        const t = epochMechanism({
          n,
          currentBlock: block,
          alphaStake: Array.from({ length: n }, (_, i) =>
            i < validators ? 1_000_000_000_000n : 0n,
          ),
          taoStake: new Array<bigint>(n).fill(0n),
          blockAtRegistration: new Array<bigint>(n).fill(1n),
          // Revealed weights of this epoch were committed during the previous tempo.
          lastUpdate: Array.from({ length: n }, (_, i) => (i < validators ? block - 1n : 1n)),
          validatorPermits: permits,
          weights,
          bonds,
          commitBlocks: Array.from({ length: n }, (_, i) =>
            i < validators ? block - BigInt(tempo) : null,
          ),
          params: {
            kappaU16: 32767,
            bondsMovingAverage: 900_000n,
            bondsPenaltyU16: 65535,
            activityCutoffBlocks: 5000n,
            yuma3Enabled: yuma3,
            liquidAlphaEnabled: yuma3,
            alphaValuesU16: [45875, 58982],
            alphaSigmoidSteepness: 1000,
            commitRevealEnabled: true,
            stakeThreshold: 0n,
            taoWeight: 0n,
            subnetOwnerUid: null,
            lastMechanismStepBlock: e === 0 ? 0n : block - BigInt(tempo),
            tempo,
            maxAllowedValidators: 64,
          },
          raoEmission: 1_000_000_000n,
        });
        for (let i = 0; i < validators; i++)
          earned[i] = (earned[i] as bigint) + (t.validatorEmission[i] as bigint);
        seen.push(t.consensusU16.slice(validators));
        permits = t.newValidatorPermit;
        bonds = t.bonds;
      }
      const copied = earned[copier] as bigint;
      for (let i = 0; i < honest; i++) {
        assert.ok(copied < (earned[i] as bigint), `copier ${copied} vs honest ${i} ${earned[i]}`);
      }
    });
  }
});
