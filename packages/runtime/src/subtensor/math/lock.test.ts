import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expSafe, fxFromF64, fxToF64, I32F32, I64F64, U64F64 } from '@taoscript/codec';
import fc from 'fast-check';
import {
  canUnstake,
  DEFAULT_MATURITY_RATE,
  DEFAULT_UNLOCK_RATE,
  decayMassAndConviction,
  expDecay,
  fixedExp,
  forceReduceLock,
  type LockState,
  lockStateIsZero,
  mergeLocks,
  type RollParameters,
  reduceLock,
  rollForwardLock,
  stakeAvailability,
} from './lock.js';

const seed = Number(process.env.FC_SEED ?? 1);
const fcOpts = { seed, numRuns: 200 };
const f = (raw: bigint): number => fxToF64(U64F64, raw);
const ONE = U64F64.one;

function load<T>(name: string): T {
  const url = new URL(`../../../test/vectors/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

const decaying = (unlockRate = DEFAULT_UNLOCK_RATE, maturityRate = DEFAULT_MATURITY_RATE) =>
  ({ unlockRate, maturityRate, ownerLock: false, perpetualLock: false }) satisfies RollParameters;
const lockOf = (mass: bigint, conviction = 0n, lastUpdate = 0n): LockState => ({
  lockedMass: mass,
  conviction,
  lastUpdate,
});
const roll = (lock: LockState, now: bigint, p: RollParameters = decaying()) =>
  rollForwardLock(lock, now, p).lock;

describe('lock_exp_decay vector', () => {
  it('exp_decay(dt, tau) within the vector tolerance', () => {
    type V = {
      inputs: { cases: { dt: number; tau: number }[] };
      expected: { cases: number[] };
      tolerance: number;
    };
    const v = load<V>('lock_exp_decay.json');
    v.inputs.cases.forEach((c, i) => {
      const got = f(expDecay(BigInt(c.dt), BigInt(c.tau)));
      const want = v.expected.cases[i]!;
      assert.ok(Math.abs(got - want) < v.tolerance, `case ${i}: ${got} vs ${want}`);
    });
    // the two edge cases are exact upstream (assert_eq!)
    assert.equal(expDecay(0n, 216_000n), ONE);
    assert.equal(expDecay(1000n, 0n), 0n);
  });
});

describe('substrate_fixed exp', () => {
  it('agrees with the codec I32F32 exp_safe across [-20, 20]', () => {
    for (let k = -20 * 64; k <= 20 * 64; k += 7) {
      const x = (BigInt(k) << 32n) / 64n;
      assert.equal(fixedExp(I32F32, x), expSafe(x), `x=${k / 64}`);
    }
  });
  it('I64F64 is accurate on small arguments and matches the special cases', () => {
    assert.equal(fixedExp(I64F64, 0n), I64F64.one);
    assert.equal(fixedExp(I64F64, I64F64.one), 22802600n << 41n);
    for (const x of [-5, -1, -0.25, 0.5, 2, 10]) {
      const got = Number(fixedExp(I64F64, fxFromF64(I64F64, x))!) / 2 ** 64;
      assert.ok(Math.abs(got - Math.exp(x)) / Math.exp(x) < 1e-12, `${x}: ${got}`);
    }
    // e^50 overflows an intermediate: upstream returns Err
    assert.equal(fixedExp(I64F64, 50n << 64n), undefined);
    assert.throws(() => fixedExp(U64F64, 0n), TypeError);
  });
  it('exp_decay clamps the exponent at -40 (test_exp_decay_clamps_large_dt_to_min_ratio)', () => {
    const tau = 216_000n;
    const clamped = expDecay(40n * tau, tau);
    const oversized = expDecay(100n * tau, tau);
    assert.equal(oversized, clamped);
    assert.ok(oversized > 0n);
    assert.ok(Math.abs(f(oversized) - Math.exp(-40)) < 1e-9);
    assert.ok(expDecay((1n << 64n) - 1n, 1n) > 0n);
  });
});

describe('roll forward (upstream locks.rs tests)', () => {
  it('locked mass decays but stays positive', () => {
    const rolled = roll(lockOf(10_000n), DEFAULT_UNLOCK_RATE);
    assert.ok(rolled.lockedMass < 10_000n && rolled.lockedMass > 0n);
    assert.equal(rolled.lastUpdate, DEFAULT_UNLOCK_RATE);
  });

  it('unequal rates use the closed form', () => {
    const dt = 10_000n;
    const p = decaying(200_000n, 240_000n);
    const rolled = roll(lockOf(10_000n), dt, p);
    const du = expDecay(dt, 200_000n);
    const dm = expDecay(dt, 240_000n);
    const gamma = (200_000 * (f(dm) - f(du))) / 40_000;
    assert.ok(Math.abs(f(rolled.conviction) - 10_000 * gamma) < 1e-7);
  });

  it('adjacent large rates and a large mass match the f64 closed form', () => {
    const unlockRate = 1_142_108n;
    const maturityRate = unlockRate + 1n;
    const mass = 21_000_000_000_000_000n;
    const rolled = roll(lockOf(mass), unlockRate, decaying(unlockRate, maturityRate));
    const dx = Math.exp(-1);
    const dz = Math.exp(-Number(unlockRate) / Number(maturityRate));
    const gamma = (Number(unlockRate) * (dx - dz)) / (Number(unlockRate) - Number(maturityRate));
    assert.ok(Math.abs(f(rolled.conviction) - Number(mass) * gamma) <= 50_000);
    assert.ok(Math.abs(Number(rolled.lockedMass) - Number(mass) * dx) <= 2_000);
  });

  it('scales linearly with the mass and chunking barely matters', () => {
    const a = roll(lockOf(10_000n), 25_000n);
    const b = roll(lockOf(20_000n), 25_000n);
    assert.ok(Math.abs(Number(b.lockedMass) - 2 * Number(a.lockedMass)) <= 1);
    assert.ok(Math.abs(f(b.conviction) - 2 * f(a.conviction)) < 1e-7);
    const once = roll(lockOf(1_000_000_000n), 20_000n);
    const twice = roll(roll(lockOf(1_000_000_000n), 10_000n), 20_000n);
    assert.ok(Math.abs(Number(once.lockedMass) - Number(twice.lockedMass)) <= 1);
    assert.ok(Math.abs(f(once.conviction) - f(twice.conviction)) < 0.1);
  });

  it('decaying conviction stays below the original mass, then fades to zero', () => {
    for (const dt of [1_000n, 10_000n, DEFAULT_UNLOCK_RATE, DEFAULT_MATURITY_RATE * 5n]) {
      assert.ok(roll(lockOf(10_000n), dt).conviction <= 10_000n << 64n);
    }
    const peak = BigInt(Math.round(((200_000 * 240_000) / -40_000) * Math.log(200_000 / 240_000)));
    assert.ok(
      roll(lockOf(10_000n), peak, decaying(200_000n, 240_000n)).conviction < 10_000n << 64n,
    );
    const c1 = roll(lockOf(10_000n), 100n).conviction;
    const c2 = roll(lockOf(10_000n), 1_100n).conviction;
    assert.ok(c1 > 0n && c2 > c1);
    assert.ok(f(roll(lockOf(10_000n), DEFAULT_MATURITY_RATE * 1000n).conviction) < 1e-7);
  });

  it('perpetual locks keep their mass and mature toward it', () => {
    const p = { ...decaying(), perpetualLock: true };
    for (const dt of [1n, 1_000n, DEFAULT_MATURITY_RATE, DEFAULT_MATURITY_RATE * 1000n]) {
      const rolled = roll(lockOf(10_000n), dt, p);
      assert.equal(rolled.lockedMass, 10_000n);
      assert.ok(rolled.conviction <= 10_000n << 64n);
    }
    const r = roll(lockOf(10_000n), DEFAULT_MATURITY_RATE, p);
    assert.ok(r.conviction > 0n && r.conviction < 10_000n << 64n);
    assert.ok(Math.abs(f(r.conviction) - 10_000 * (1 - Math.exp(-1))) < 1e-3);
  });

  it('owner locks get full conviction at once', () => {
    const p = { ...decaying(), ownerLock: true };
    const r = rollForwardLock(lockOf(10_000n), 0n, p);
    assert.equal(r.lock.conviction, 10_000n << 64n);
    const later = roll(lockOf(10_000n, 10_000n << 64n), 1_000n, p);
    assert.equal(later.conviction, later.lockedMass << 64n);
    assert.ok(later.lockedMass < 10_000n);
  });

  it('dust is zeroed; nothing changes when now ≤ last update', () => {
    const r = rollForwardLock(lockOf(99n, 99n << 64n, 100n), 100n, decaying());
    assert.deepEqual(r.lock, lockOf(0n, 0n, 100n));
    assert.equal(r.lockedMassDelta, 99n);
    assert.equal(r.convictionDelta, 99n << 64n);
    const same = rollForwardLock(lockOf(5000n, 1234n << 64n, 100n), 100n, decaying());
    assert.deepEqual(same.lock, lockOf(5000n, 1234n << 64n, 100n));
    assert.equal(same.lockedMassDelta, 0n);
    assert.deepEqual(roll(lockOf(5000n, 0n, 100n), 50n), lockOf(5000n, 0n, 100n));
  });

  it('is_zero uses the dust threshold on both fields', () => {
    assert.equal(lockStateIsZero(lockOf(99n, 99n << 64n)), true);
    assert.equal(lockStateIsZero(lockOf(100n, 99n << 64n)), false);
    assert.equal(lockStateIsZero(lockOf(99n, 100n << 64n)), false);
  });

  it('zero rates: mass vanishes, conviction gains nothing', () => {
    const d = decayMassAndConviction(10_000n, 5n << 64n, 10n, 0n, 100n, false);
    assert.equal(d.lockedMass, 0n);
    assert.equal(d.conviction, ((5n << 64n) * expDecay(10n, 100n)) >> 64n);
    const e = decayMassAndConviction(10_000n, 0n, 10n, 0n, 0n, false);
    assert.deepEqual(e, { lockedMass: 0n, conviction: 0n });
  });
});

describe('lock arithmetic and availability', () => {
  it('merge, reduce and force-reduce', () => {
    assert.deepEqual(mergeLocks(lockOf(1n, 2n, 5n), lockOf(3n, 4n, 7n)), lockOf(4n, 6n, 7n));
    assert.deepEqual(reduceLock(lockOf(5n, 3n, 1n), 7n, 1n), lockOf(0n, 2n, 1n));
    const r = forceReduceLock(lockOf(1000n, 1000n << 64n, 0n), 250n, 9n);
    assert.equal(r.lock.lockedMass, 750n);
    assert.equal(r.lock.lastUpdate, 9n);
    assert.ok(Math.abs(f(r.lock.conviction) - 750) < 1e-9);
    assert.equal(r.lockedMassDiff, 250n);
    assert.equal(r.convictionDiff, (1000n << 64n) - r.lock.conviction);
    const all = forceReduceLock(lockOf(1000n, 7n << 64n, 0n), 5000n, 9n);
    assert.deepEqual(all, {
      lock: lockOf(0n, 0n, 9n),
      lockedMassDiff: 1000n,
      convictionDiff: 7n << 64n,
    });
  });

  it('availability is total minus the rolled lock, saturating', () => {
    assert.deepEqual(stakeAvailability(1000n, 400n), {
      total: 1000n,
      locked: 400n,
      available: 600n,
    });
    assert.deepEqual(stakeAvailability(100n, 400n), { total: 100n, locked: 400n, available: 0n });
    assert.equal(canUnstake(1000n, 400n, 600n), true);
    assert.equal(canUnstake(1000n, 400n, 601n), false);
    const rolled = roll(lockOf(600n), DEFAULT_UNLOCK_RATE);
    assert.equal(stakeAvailability(1000n, rolled.lockedMass).available, 1000n - rolled.lockedMass);
  });

  it('rejects malformed input', () => {
    assert.throws(() => expDecay(1 as unknown as bigint, 1n), TypeError);
    assert.throws(() => expDecay(-1n, 1n), RangeError);
    assert.throws(() => rollForwardLock(lockOf(-1n), 0n, decaying()), RangeError);
    assert.throws(() => rollForwardLock(null as unknown as LockState, 0n, decaying()), TypeError);
    assert.throws(
      () => rollForwardLock(lockOf(1n), 0n, { ...decaying(), ownerLock: 1 as unknown as boolean }),
      TypeError,
    );
    assert.throws(() => stakeAvailability(1n << 64n, 0n), RangeError);
  });
});

describe('lock properties', () => {
  const lockArb = fc.record({
    lockedMass: fc.bigInt({ min: 0n, max: 21_000_000_000_000_000n }),
    conviction: fc.bigInt({ min: 0n, max: 21_000_000_000_000_000n << 64n }),
    lastUpdate: fc.bigInt({ min: 0n, max: 1n << 40n }),
  });
  const rateArb = fc.bigInt({ min: 1n, max: 10_000_000n });

  it('decaying mass never grows; perpetual mass never changes', () => {
    fc.assert(
      fc.property(
        lockArb,
        fc.bigInt({ min: 0n, max: 1n << 30n }),
        rateArb,
        rateArb,
        fc.boolean(),
        (lock, dt, u, m, perpetual) => {
          const p = { unlockRate: u, maturityRate: m, ownerLock: false, perpetualLock: perpetual };
          const r = rollForwardLock(lock, lock.lastUpdate + dt, p).lock;
          // a perpetual lock keeps its mass unless the rolled state fell to dust and was zeroed
          const dust = r.lockedMass === 0n && r.conviction === 0n && lock.lockedMass < 100n;
          if (perpetual) return r.lockedMass === lock.lockedMass || dust;
          return r.lockedMass <= lock.lockedMass;
        },
      ),
      fcOpts,
    );
  });

  it('a fresh lock never gains more conviction than its mass', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 21_000_000_000_000_000n }),
        fc.bigInt({ min: 0n, max: 1n << 30n }),
        rateArb,
        rateArb,
        fc.boolean(),
        (mass, dt, u, m, perpetual) => {
          const p = { unlockRate: u, maturityRate: m, ownerLock: false, perpetualLock: perpetual };
          return rollForwardLock(lockOf(mass), dt, p).lock.conviction <= mass << 64n;
        },
      ),
      fcOpts,
    );
  });

  it('exp_decay stays in [0, 1] and does not grow with dt', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        rateArb,
        (a, b, tau) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const x = expDecay(lo, tau);
          const y = expDecay(hi, tau);
          return x <= ONE && y >= 0n && y <= x;
        },
      ),
      fcOpts,
    );
  });
});
