import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fxFromF64, I96F32 } from '@taoscript/codec';
import fc from 'fast-check';
import { blockEmissionForIssuance, log2I96F32, TOTAL_SUPPLY } from './emission.js';

const seed = Number(process.env.FC_SEED ?? 1);
const U64_MAX = (1n << 64n) - 1n;

/** Reads a vector, turning integers too long for a double into decimal strings first. */
function load<T>(name: string): T {
  const url = new URL(`../../../test/vectors/${name}`, import.meta.url);
  return JSON.parse(
    readFileSync(url, 'utf8').replace(/(?<![\d.])(\d{16,})(?![\d.])/g, '"$1"'),
  ) as T;
}

describe('block_emission_halving vector', () => {
  it('matches every case exactly', () => {
    type V = {
      inputs: { issuance_rao: (number | string)[] };
      expected: { block_emission_rao: (number | string)[] };
      tolerance: number;
    };
    const v = load<V>('block_emission_halving.json');
    assert.equal(v.tolerance, 0);
    v.inputs.issuance_rao.forEach((issuance, i) => {
      assert.equal(
        blockEmissionForIssuance(BigInt(issuance)),
        BigInt(v.expected.block_emission_rao[i]!),
        `issuance ${issuance}`,
      );
    });
  });
});

describe('log2 (substrate_fixed, I96F32)', () => {
  it('is exact on powers of two and close elsewhere', () => {
    for (let k = 0; k < 60; k++) {
      assert.equal(log2I96F32(1n << BigInt(32 + k)), BigInt(k) << 32n);
    }
    assert.equal(log2I96F32(1n << 31n), -(1n << 32n));
    for (const x of [1.5, 3, 10, 123456.789, 0.3]) {
      const got = Number(log2I96F32(fxFromF64(I96F32, x))!) / 2 ** 32;
      assert.ok(Math.abs(got - Math.log2(x)) < 1e-8, `${x}: ${got}`);
    }
    assert.equal(log2I96F32(0n), undefined);
    assert.equal(log2I96F32(-5n), undefined);
    assert.throws(() => log2I96F32(1 as unknown as bigint), TypeError);
    assert.throws(() => log2I96F32(1n << 130n), RangeError);
  });
});

describe('block emission', () => {
  it('halves at 10.5M, 15.75M, 18.375M … TAO and stops at the cap', () => {
    const tao = 1_000_000_000n;
    assert.equal(blockEmissionForIssuance(0n), 1_000_000_000n);
    assert.equal(blockEmissionForIssuance(10_400_000n * tao), 1_000_000_000n);
    assert.equal(blockEmissionForIssuance(10_600_000n * tao), 500_000_000n);
    assert.equal(blockEmissionForIssuance(15_800_000n * tao), 250_000_000n);
    assert.equal(blockEmissionForIssuance(18_400_000n * tao), 125_000_000n);
    assert.equal(blockEmissionForIssuance(19_700_000n * tao), 62_500_000n);
    assert.equal(blockEmissionForIssuance(TOTAL_SUPPLY - 1n), 0n);
    assert.equal(blockEmissionForIssuance(TOTAL_SUPPLY), 0n);
    assert.equal(blockEmissionForIssuance(U64_MAX), 0n);
  });

  it('always has the form floor(1e9 / 2^k)', () => {
    const allowed = new Set<bigint>([0n]);
    for (let k = 0n; k < 64n; k++) allowed.add(1_000_000_000n / 2n ** k);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: TOTAL_SUPPLY }), (i) =>
        allowed.has(blockEmissionForIssuance(i)),
      ),
      { seed, numRuns: 300 },
    );
  });

  it('is non-increasing in issuance', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: TOTAL_SUPPLY + 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 10n ** 16n }),
        (a, d) => {
          const b = a + d;
          return blockEmissionForIssuance(a) >= blockEmissionForIssuance(b);
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  it('steps down exactly once around the first halving', () => {
    const mid = TOTAL_SUPPLY / 2n;
    let drops = 0;
    let prev = blockEmissionForIssuance(mid - 5_000_000n);
    for (let i = mid - 5_000_000n; i <= mid + 5_000_000n; i += 10_000n) {
      const e = blockEmissionForIssuance(i);
      assert.ok(e <= prev);
      if (e < prev) drops++;
      prev = e;
    }
    assert.equal(drops, 1);
  });

  it('rejects malformed issuance', () => {
    assert.throws(() => blockEmissionForIssuance(5 as unknown as bigint), TypeError);
    assert.throws(() => blockEmissionForIssuance(-1n), RangeError);
    assert.throws(() => blockEmissionForIssuance(1n << 64n), RangeError);
  });
});
