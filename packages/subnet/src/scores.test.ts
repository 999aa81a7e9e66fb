import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  normalizeMaxWeight,
  normalizeScores,
  processWeightsForNetuid,
  sampleAvailableUids,
  seededRandom,
  updateMovingAverage,
} from './scores.js';

const seed = process.env.FC_SEED === undefined ? Date.now() : Number(process.env.FC_SEED);
const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs((a[i] as number) - (b[i] as number)) <= eps, `[${i}] ${a[i]} ≠ ${b[i]}`);
};

describe('updateMovingAverage', () => {
  it('scatters rewards at the uids and mixes α·new + (1−α)·old for every uid', () => {
    const old = new Float64Array([1, 1, 1, 0.5]);
    const next = updateMovingAverage(old, [0.5, 1], [1, 3], 0.1);
    // uid 0 and 2 were not queried: they decay towards 0, as in the template.
    close(next, [0.9, 0.1 * 0.5 + 0.9, 0.9, 0.1 + 0.45]);
    assert.deepEqual(Array.from(old), [1, 1, 1, 0.5], 'the input is not modified');
    close(updateMovingAverage(old, [1], [2], 0), old);
    close(updateMovingAverage(old, [1, 0.25], [0, 1], 1), [1, 0.25, 0, 0]);
  });

  it('turns NaN (and other non-finite) rewards into 0, and repeated uids keep the last', () => {
    const next = updateMovingAverage(
      new Float64Array([0, 0, 0]),
      [Number.NaN, 1, 3, 1],
      [0, 1, 2, 2],
      0.5,
    );
    close(next, [0, 0.5, 0.5]);
    const inf = updateMovingAverage(new Float64Array([0.2]), [Number.POSITIVE_INFINITY], [0], 0.5);
    close(inf, [0.1]);
  });

  it('rejects bad shapes, uids and alpha', () => {
    const s = new Float64Array(3);
    assert.throws(() => updateMovingAverage([0, 0] as never, [1], [0], 0.1), TypeError);
    assert.throws(() => updateMovingAverage(s, [1, 2], [0], 0.1), /2 rewards for 1 uids/);
    assert.throws(
      () => updateMovingAverage(s, [1], [3], 0.1),
      /uids\[0\] = 3 is not a uid in 0\.\.2/,
    );
    assert.throws(() => updateMovingAverage(s, [1], [-1], 0.1), RangeError);
    assert.throws(() => updateMovingAverage(s, [1], [0.5], 0.1), RangeError);
    assert.throws(() => updateMovingAverage(s, [1], [0], 1.5), /alpha/);
    assert.throws(() => updateMovingAverage(s, [1], [0], Number.NaN), /alpha/);
  });

  it('stays between the old score and the reward (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (scores, reward, alpha) => {
          const old = Float64Array.from(scores);
          const uid = scores.length - 1;
          const next = updateMovingAverage(old, [reward], [uid], alpha);
          const lo = Math.min(old[uid] as number, reward) - 1e-12;
          const hi = Math.max(old[uid] as number, reward) + 1e-12;
          return (next[uid] as number) >= lo && (next[uid] as number) <= hi;
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});

describe('normalizeScores', () => {
  it('L1-normalises', () => {
    close(normalizeScores(new Float64Array([1, 3, 0])), [0.25, 0.75, 0]);
  });
  it('guards an all-zero or NaN sum by dividing by 1', () => {
    close(normalizeScores(new Float64Array([0, 0])), [0, 0]);
    close(normalizeScores(new Float64Array([Number.NaN, 0.5])), [0, 0.5]);
    close(normalizeScores(new Float64Array([])), []);
  });
});

describe('normalizeMaxWeight', () => {
  it('caps the largest shares at the limit', () => {
    close(normalizeMaxWeight([8, 1, 1], 0.5), [0.5, 0.25, 0.25]);
    close(normalizeMaxWeight([1, 3], 1), [0.25, 0.75]);
    close(normalizeMaxWeight([0, 0, 0], 0.5), [1 / 3, 1 / 3, 1 / 3]);
    close(normalizeMaxWeight([5, 1], 0.4), [0.5, 0.5], 1e-12); // n·limit ≤ 1: uniform
    assert.throws(() => normalizeMaxWeight([1, -1], 0.5), RangeError);
    assert.throws(() => normalizeMaxWeight([1], 0), RangeError);
  });
  it('sums to 1 and keeps every share ≤ limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1000, noNaN: true })), {
          minLength: 2,
          maxLength: 40,
        }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (w, limit) => {
          const out = normalizeMaxWeight(w, limit);
          const sum = out.reduce((a, b) => a + b, 0);
          if (Math.abs(sum - 1) > 1e-9) return false;
          if (w.length * limit <= 1) return out.every((x) => Math.abs(x - 1 / w.length) < 1e-12);
          return out.every((x) => x <= limit + 1e-9);
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});

describe('processWeightsForNetuid', () => {
  const open = { minAllowedWeights: 1, maxWeightLimit: 65_535 };
  it('keeps the positive weights', () => {
    const r = processWeightsForNetuid([0, 1, 2], [0, 0.25, 0.75], 3, open);
    assert.deepEqual(r.uids, [1, 2]);
    close(r.weights, [0.25, 0.75]);
  });
  it('goes uniform when nothing is positive or the subnet is below min_allowed_weights', () => {
    const r = processWeightsForNetuid([0, 1, 2], [0, 0, 0], 3, open);
    assert.deepEqual(r.uids, [0, 1, 2]);
    close(r.weights, [1 / 3, 1 / 3, 1 / 3]);
    const small = processWeightsForNetuid([0, 1], [0, 1], 2, {
      minAllowedWeights: 5,
      maxWeightLimit: 65_535,
    });
    assert.deepEqual(small.uids, [0, 1]);
    close(small.weights, [0.5, 0.5]);
  });
  it('pads every uid with 1e-5 when fewer than min_allowed_weights are positive', () => {
    const r = processWeightsForNetuid([0, 1, 2, 3], [0, 1, 0, 0], 4, {
      minAllowedWeights: 2,
      maxWeightLimit: 65_535,
    });
    assert.deepEqual(r.uids, [0, 1, 2, 3]);
    const total = 1 + 4e-5;
    close(r.weights, [1e-5 / total, (1 + 1e-5) / total, 1e-5 / total, 1e-5 / total]);
  });
  it('applies max_weights_limit', () => {
    const r = processWeightsForNetuid([0, 1, 2], [8, 1, 1], 3, {
      minAllowedWeights: 1,
      maxWeightLimit: 32_767,
    });
    assert.ok(Math.max(...r.weights) <= 32_767 / 65_535 + 1e-12);
  });
  it('rejects bad input', () => {
    assert.throws(() => processWeightsForNetuid([0], [1, 2], 2, open), /2 weights for 1 uids/);
    assert.throws(() => processWeightsForNetuid([5], [1], 2, open), RangeError);
    assert.throws(
      () => processWeightsForNetuid([0], [1], 2, { ...open, maxWeightLimit: 0 }),
      RangeError,
    );
  });
});

describe('sampleAvailableUids', () => {
  // uid: 0 self (serving), 1 miner, 2 not serving, 3 big validator, 4 small validator, 5 miner
  const mg = {
    n: 6,
    axons: [true, true, false, true, true, true].map((isServing) => ({ isServing })),
    validatorPermit: [true, false, false, true, true, false],
    S: Float32Array.from([9000, 0, 0, 5000, 100, 0]),
  };
  it('samples serving uids, never itself nor validators above the limit', () => {
    for (let s = 0; s < 50; s++) {
      const uids = sampleAvailableUids(mg, 10, {
        vpermitTaoLimit: 4096,
        self: 0,
        random: seededRandom(s),
      });
      assert.deepEqual([...uids].sort(), [1, 4, 5]);
    }
    const one = sampleAvailableUids(mg, 1, {
      vpermitTaoLimit: 4096,
      self: 0,
      random: seededRandom(1),
    });
    assert.equal(one.length, 1);
    assert.ok([1, 4, 5].includes(one[0] as number));
    assert.deepEqual(sampleAvailableUids(mg, 0, { vpermitTaoLimit: 4096 }), []);
    assert.ok(sampleAvailableUids(mg, 10, { vpermitTaoLimit: 10_000 }).includes(3));
  });
  it('uses excluded uids only to fill up', () => {
    const r = sampleAvailableUids(mg, 2, {
      vpermitTaoLimit: 4096,
      self: 0,
      exclude: [1, 4],
      random: seededRandom(3),
    });
    assert.equal(r[0], 5, 'the preferred uid comes first');
    assert.ok([1, 4].includes(r[1] as number));
  });
  it('is reproducible with a seed and covers every candidate', () => {
    const a = sampleAvailableUids(mg, 2, {
      vpermitTaoLimit: 4096,
      self: 0,
      random: seededRandom(7),
    });
    const b = sampleAvailableUids(mg, 2, {
      vpermitTaoLimit: 4096,
      self: 0,
      random: seededRandom(7),
    });
    assert.deepEqual(a, b);
    const seen = new Set<number>();
    const rng = seededRandom(11);
    for (let i = 0; i < 200; i++)
      for (const u of sampleAvailableUids(mg, 1, { vpermitTaoLimit: 4096, self: 0, random: rng }))
        seen.add(u);
    assert.deepEqual([...seen].sort(), [1, 4, 5]);
    assert.throws(() => sampleAvailableUids(mg, -1, { vpermitTaoLimit: 1 }), RangeError);
  });
});

describe('seededRandom', () => {
  it('is deterministic, in [0, 1), and differs between seeds', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      xs.slice(0, 5),
      Array.from({ length: 5 }, () => b()),
    );
    assert.notEqual(xs[0], c());
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
    assert.throws(() => seededRandom(1.5), RangeError);
  });
});
