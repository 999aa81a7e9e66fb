import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fxFromF64, fxFromInt, U64F64 } from '@taoscript/codec';
import fc from 'fast-check';
import {
  bumpBurnAfterRegistration,
  DEFAULT_BURN_INCREASE_MULT,
  DEFAULT_NETWORK_LOCK_REDUCTION_INTERVAL,
  decayBurn,
  decayFactorQ32,
  lockReductionInterval,
  mulByQ32,
  networkLockCost,
  powQ32,
} from './registration.js';

const seed = Number(process.env.FC_SEED ?? 1);
const fcOpts = { seed, numRuns: 200 };
const U64_MAX = (1n << 64n) - 1n;

/** Reads a vector, turning integers too long for a double (u64::MAX here) into strings first. */
function load<T>(name: string): T {
  const url = new URL(`../../../test/vectors/${name}`, import.meta.url);
  return JSON.parse(
    readFileSync(url, 'utf8').replace(/(?<![\d.])(\d{16,})(?![\d.])/g, '"$1"'),
  ) as T;
}

type BurnCase = {
  name: string;
  half_life: number;
  increase_mult: number;
  min_burn: number;
  max_burn: number | string;
  start_burn: number;
  steps: ('block' | 'register')[];
};

function runSteps(c: BurnCase): bigint[] {
  let burn = BigInt(c.start_burn);
  const out: bigint[] = [];
  const common = { minBurn: BigInt(c.min_burn), maxBurn: BigInt(c.max_burn) };
  for (const step of c.steps) {
    burn =
      step === 'block'
        ? decayBurn({ ...common, burn, halfLife: c.half_life, currentBlock: 100n })
        : bumpBurnAfterRegistration({
            ...common,
            burn,
            increaseMult: fxFromInt(U64F64, c.increase_mult),
            isRoot: false,
          });
    out.push(burn);
  }
  return out;
}

describe('registration_burn_decay_and_bump vector', () => {
  type V = { inputs: { cases: BurnCase[] }; expected: { cases: Record<string, unknown>[] } };
  const v = load<V>('registration_burn_decay_and_bump.json');
  const byName = new Map(
    v.inputs.cases.map((c, i) => [c.name, [c, v.expected.cases[i]!] as const]),
  );

  it('decay: register doubles, one block decays by the 1000-block half-life', () => {
    const [c, want] = byName.get('decay')!;
    const seq = runSteps(c);
    const exp = want.burn_after as { register: number; block: number };
    assert.deepEqual(seq, [BigInt(exp.register), BigInt(exp.block)]);
  });

  it('halving: half-life 2 halves every two blocks', () => {
    const [c, want] = byName.get('halving')!;
    const seq = runSteps(c);
    assert.equal(seq[1], BigInt(want.burn_after_2_blocks as number));
    assert.equal(seq[3], BigInt(want.burn_after_4_blocks as number));
  });

  it('clamps: min floor after decay, max cap after bump', () => {
    const [c, want] = byName.get('clamps')!;
    assert.deepEqual(runSteps(c), (want.burn_sequence as number[]).map(BigInt));
  });
});

describe('Q32 decay', () => {
  it('mul_by_q32 and pow_q32', () => {
    assert.equal(mulByQ32(1000n, 1n << 31n), 500n);
    assert.equal(mulByQ32(U64_MAX, U64_MAX), U64_MAX); // clamped
    assert.equal(powQ32(1n << 31n, 2), 1n << 30n);
    assert.equal(powQ32(12345n, 0), 1n << 32n);
  });

  it('decay_factor_q32 is the largest f with f^h ≤ 1/2', () => {
    assert.equal(decayFactorQ32(0), 1n << 32n);
    assert.equal(decayFactorQ32(1), 1n << 31n);
    for (const h of [2, 7, 360, 1000, 36_100, 65_535]) {
      const f = decayFactorQ32(h);
      assert.ok(powQ32(f, h) <= 1n << 31n, `h=${h}`);
      assert.ok(powQ32(f + 1n, h) > 1n << 31n, `h=${h} not maximal`);
    }
  });

  it('no decay at block ≤ 1 or with half-life 0; the clamp still applies', () => {
    const base = { burn: 5000n, minBurn: 0n, maxBurn: U64_MAX, halfLife: 10 };
    assert.equal(decayBurn({ ...base, currentBlock: 1n }), 5000n);
    assert.equal(decayBurn({ ...base, currentBlock: 0n }), 5000n);
    assert.equal(decayBurn({ ...base, halfLife: 0, currentBlock: 9n }), 5000n);
    assert.equal(decayBurn({ ...base, halfLife: 0, currentBlock: 9n, minBurn: 6000n }), 6000n);
    assert.ok(decayBurn({ ...base, currentBlock: 2n }) < 5000n);
    // min > max: the max check runs last and wins
    assert.equal(decayBurn({ ...base, currentBlock: 2n, minBurn: 900n, maxBurn: 800n }), 800n);
  });

  it('the default half-life halves the burn over 360 blocks (floors accumulate)', () => {
    let burn = 1_000_000_000n;
    for (let i = 0; i < 360; i++) {
      burn = decayBurn({ burn, minBurn: 0n, maxBurn: U64_MAX, halfLife: 360, currentBlock: 5n });
    }
    assert.ok(burn <= 500_000_000n && burn > 499_990_000n, `${burn}`);
  });
});

describe('burn bump', () => {
  const base = { burn: 1_000_000_000n, minBurn: 0n, maxBurn: U64_MAX, isRoot: false };
  it('default multiplier 1.26', () => {
    assert.equal(DEFAULT_BURN_INCREASE_MULT, fxFromF64(U64F64, 1.26));
    assert.equal(
      bumpBurnAfterRegistration({ ...base, increaseMult: DEFAULT_BURN_INCREASE_MULT }),
      1_260_000_000n,
    );
  });
  it('a multiplier below 1 acts as 1; root is skipped entirely', () => {
    assert.equal(
      bumpBurnAfterRegistration({ ...base, increaseMult: fxFromF64(U64F64, 0.5) }),
      1_000_000_000n,
    );
    assert.equal(
      bumpBurnAfterRegistration({ ...base, isRoot: true, maxBurn: 1n, increaseMult: 2n << 64n }),
      1_000_000_000n,
    );
    assert.equal(
      bumpBurnAfterRegistration({ ...base, burn: U64_MAX, increaseMult: 3n << 64n }),
      U64_MAX,
    );
  });
  it('rejects malformed input', () => {
    assert.throws(
      () => bumpBurnAfterRegistration({ ...base, increaseMult: 2 as unknown as bigint }),
      TypeError,
    );
    assert.throws(
      () => bumpBurnAfterRegistration({ ...base, burn: -1n, increaseMult: 0n }),
      RangeError,
    );
    assert.throws(
      () =>
        bumpBurnAfterRegistration({ ...base, isRoot: 0 as unknown as boolean, increaseMult: 0n }),
      TypeError,
    );
    assert.throws(
      () => decayBurn({ burn: 1n, minBurn: 0n, maxBurn: 1n, halfLife: 70_000, currentBlock: 2n }),
      RangeError,
    );
    assert.throws(() => mulByQ32(1 as unknown as bigint, 1n), TypeError);
    assert.throws(() => decayFactorQ32(-1), RangeError);
  });
});

describe('network lock cost', () => {
  const interval = DEFAULT_NETWORK_LOCK_REDUCTION_INTERVAL;
  const base = {
    lastLock: 1_000_000_000_000n,
    minLock: 100_000_000_000n,
    reductionInterval: interval,
  };
  it('first registration: no doubling', () => {
    assert.equal(networkLockCost({ ...base, lastLockBlock: 0n, currentBlock: 0n }), base.lastLock);
  });
  it('doubles after a registration, then decays linearly to the floor', () => {
    const at = (now: bigint) =>
      networkLockCost({ ...base, lastLockBlock: 1000n, currentBlock: now });
    assert.equal(at(1000n), 2n * base.lastLock);
    const perBlock = base.lastLock / interval;
    assert.equal(at(1100n), 2n * base.lastLock - perBlock * 100n);
    assert.equal(at(1000n + interval), 2n * base.lastLock - perBlock * interval);
    assert.equal(at(1000n + 2n * interval), base.minLock);
    assert.equal(at(10n ** 12n), base.minLock);
    // now before the last lock block: elapsed saturates to 0
    assert.equal(at(10n), 2n * base.lastLock);
  });
  it('a zero interval disables the decay; the floor still applies', () => {
    const p = { ...base, reductionInterval: 0n, lastLockBlock: 5n, currentBlock: 10n ** 9n };
    assert.equal(networkLockCost(p), 2n * base.lastLock);
    assert.equal(networkLockCost({ ...p, lastLock: 0n }), base.minLock);
  });
  it('the interval shrinks with the emission halving', () => {
    assert.equal(lockReductionInterval(interval, 1_000_000_000n), interval);
    assert.equal(lockReductionInterval(interval, 500_000_000n), interval / 2n);
    assert.equal(lockReductionInterval(interval, 250_000_000n), interval / 4n);
    assert.equal(lockReductionInterval(interval, 0n), 0n);
    assert.equal(lockReductionInterval(U64_MAX, 1_000_000_000n), (1n << 63n) - 1n);
  });
  it('rejects malformed input', () => {
    assert.throws(
      () =>
        networkLockCost(
          null as unknown as typeof base & { lastLockBlock: bigint; currentBlock: bigint },
        ),
      TypeError,
    );
    assert.throws(() => lockReductionInterval(-1n, 1n), RangeError);
  });
});

describe('registration properties', () => {
  it('the burn always stays within [min, max]', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: U64_MAX }),
        fc.bigInt({ min: 0n, max: U64_MAX }),
        fc.bigInt({ min: 0n, max: U64_MAX }),
        fc.integer({ min: 0, max: 65_535 }),
        fc.bigInt({ min: 0n, max: 5n << 64n }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        (burn0, a, b, halfLife, increaseMult, steps) => {
          const [minBurn, maxBurn] = a < b ? [a, b] : [b, a];
          let burn = burn0;
          for (const register of steps) {
            burn = register
              ? bumpBurnAfterRegistration({ burn, minBurn, maxBurn, increaseMult, isRoot: false })
              : decayBurn({ burn, minBurn, maxBurn, halfLife, currentBlock: 2n });
            if (burn < minBurn || burn > maxBurn) return false;
          }
          return true;
        },
      ),
      { ...fcOpts, numRuns: 100 },
    );
  });

  it('the lock cost never drops below the floor and never rises with time', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 50n }),
        fc.bigInt({ min: 0n, max: 1n << 50n }),
        fc.bigInt({ min: 1n, max: 1n << 20n }),
        fc.bigInt({ min: 0n, max: 1n << 30n }),
        fc.bigInt({ min: 0n, max: 1n << 30n }),
        (lastLock, minLock, reductionInterval, lastLockBlock, dt) => {
          const p = { lastLock, minLock, reductionInterval, lastLockBlock };
          const c1 = networkLockCost({ ...p, currentBlock: lastLockBlock + dt });
          const c2 = networkLockCost({ ...p, currentBlock: lastLockBlock + dt + 1n });
          return c1 >= minLock && c2 <= c1;
        },
      ),
      fcOpts,
    );
  });
});
