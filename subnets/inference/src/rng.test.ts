import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from './rng.js';

const draw = (seed: string, ...labels: (string | number | bigint)[]) => {
  const rng = createRng(seed, ...labels);
  return Array.from({ length: 8 }, () => rng.next());
};

describe('createRng', () => {
  it('repeats a stream for the same seed and labels', () => {
    assert.deepEqual(draw('s', 1, 2), draw('s', 1, 2));
    assert.deepEqual(
      createRng(new Uint8Array([1, 2])).int(1000),
      createRng(new Uint8Array([1, 2])).int(1000),
    );
  });

  it('separates seeds and labels (no concatenation ambiguity)', () => {
    const streams = [
      draw('s'),
      draw('t'),
      draw('s', 1),
      draw('s', 2),
      draw('s', 'ab', 'c'),
      draw('s', 'a', 'bc'),
      draw('s', 1n),
      draw('s', '1'),
    ].map((d) => d.join());
    assert.equal(new Set(streams).size, streams.length);
  });

  it('draws in range', () => {
    const rng = createRng('range');
    for (let i = 0; i < 2000; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1);
      const n = rng.int(7);
      assert.ok(Number.isInteger(n) && n >= 0 && n < 7);
      const r = rng.range(-3, 3);
      assert.ok(r >= -3 && r <= 3);
    }
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(5)));
    assert.equal(seen.size, 5);
  });

  it('samples distinct indices', () => {
    const rng = createRng('sample');
    for (let n = 0; n < 20; n++) {
      for (let k = 0; k <= n; k++) {
        const s = rng.sample(n, k);
        assert.equal(s.length, k);
        assert.equal(new Set(s).size, k);
        assert.ok(s.every((i) => i >= 0 && i < n));
      }
    }
  });

  it('rejects bad arguments', () => {
    const rng = createRng('bad');
    assert.throws(() => createRng(5 as unknown as string), TypeError);
    assert.throws(() => createRng('s', {} as unknown as string), TypeError);
    assert.throws(() => rng.int(0), RangeError);
    assert.throws(() => rng.int(1.5), RangeError);
    assert.throws(() => rng.range(3, 2), RangeError);
    assert.throws(() => rng.pick([]), RangeError);
    assert.throws(() => rng.sample(3, 4), RangeError);
    assert.throws(() => rng.sample(3, -1), RangeError);
  });
});
