import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  convertMaybeSplitToU16,
  convertWeightsAndUidsForEmit,
  roundHalfEven,
  U16_MAX,
} from './convert.js';

interface Case {
  id: string;
  dtype: 'float32' | 'float64';
  uids: number[];
  weights: number[];
  weights_as_float32_exact?: string[];
  uids_out?: number[];
  values_out?: number[];
  exact_ties_where_half_up_differs?: string[];
  error?: string;
  message_prefix?: string[];
}
const vectors = JSON.parse(
  readFileSync(new URL('../../test/vectors/weights_u16.json', import.meta.url), 'utf8'),
) as { cases: Case[]; mechanism_split: { cases: { input: number[]; u16: number[] }[] } };
const seed = Number(process.env.FC_SEED ?? Date.now());

describe('convertWeightsAndUidsForEmit (weights_u16.json)', () => {
  it('has the expected vector cases', () => {
    assert.equal(vectors.cases.length, 19);
  });
  for (const c of vectors.cases) {
    it(c.id, () => {
      if (c.error) {
        assert.throws(
          () => convertWeightsAndUidsForEmit(c.uids, c.weights, { dtype: c.dtype }),
          (err: Error) => {
            assert.ok(err instanceof RangeError, `${c.id}: ${err}`);
            assert.ok(
              err.message.startsWith((c.message_prefix ?? []).join(' ')),
              `${c.id}: message "${err.message}"`,
            );
            return true;
          },
        );
        return;
      }
      if (c.weights_as_float32_exact)
        c.weights.forEach((w, i) => {
          assert.equal(Math.fround(w), Number(c.weights_as_float32_exact?.[i]));
        });
      const out = convertWeightsAndUidsForEmit(c.uids, c.weights, { dtype: c.dtype });
      assert.deepEqual(out, { uids: c.uids_out, weights: c.values_out });
      // The ties really are ties where JS Math.round (half up) would be wrong.
      for (const t of c.exact_ties_where_half_up_differs ?? []) {
        const x = Number(t);
        assert.equal(x - Math.floor(x), 0.5);
        assert.notEqual(roundHalfEven(x), Math.round(x));
        assert.equal(roundHalfEven(x) % 2, 0);
      }
    });
  }
  it('defaults to float32 for plain arrays and float64 for a Float64Array', () => {
    const w = [1.0, 0.4578851, 0.4584802];
    assert.deepEqual(convertWeightsAndUidsForEmit([0, 1, 2], w).weights, [65535, 30007, 30047]);
    assert.deepEqual(
      convertWeightsAndUidsForEmit([0, 1, 2], Float64Array.from(w)).weights,
      [65535, 30008, 30046],
    );
    assert.deepEqual(
      convertWeightsAndUidsForEmit([0, 1, 2], Float32Array.from(w)).weights,
      [65535, 30007, 30047],
    );
  });
  it('rejects hostile input with TypeError / RangeError', () => {
    const bad: [unknown, unknown, unknown][] = [
      [[0], [Number.NaN], RangeError],
      [[0, 1], [1, Number.POSITIVE_INFINITY], RangeError],
      [[0], [-1e-9], RangeError],
      [[0], [1e39], RangeError], // overflows float32
      [[1.5], [1], RangeError],
      [[65_536], [1], RangeError],
      [[-1], [1], RangeError],
      [[], [], RangeError],
      [[0, 1], [1], RangeError],
      [new Array(65_537).fill(0), new Array(65_537).fill(1), RangeError],
      ['0,1', [1, 2], TypeError],
      [[0], ['1'], TypeError],
      [[0], null, TypeError],
      [[0], [1n], TypeError],
    ];
    for (const [u, w, type] of bad)
      assert.throws(
        () => convertWeightsAndUidsForEmit(u as number[], w as number[]),
        type as typeof Error,
        `${String(u).slice(0, 20)} / ${String(w).slice(0, 20)}`,
      );
    assert.throws(
      () => convertWeightsAndUidsForEmit([0], [1], { dtype: 'float16' as 'float32' }),
      RangeError,
    );
  });
  it('property: the largest weight maps to 65535, order kept, zeros dropped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 64 }),
        (ws) => {
          const uids = ws.map((_, i) => i);
          const out = convertWeightsAndUidsForEmit(uids, ws, { dtype: 'float64' });
          if (ws.every((w) => w === 0)) return out.uids.length === 0;
          assert.ok(out.weights.includes(U16_MAX));
          assert.ok(out.weights.every((v) => v >= 1 && v <= U16_MAX));
          assert.deepEqual(
            [...out.uids].sort((a, b) => a - b),
            out.uids,
          );
          return true;
        },
      ),
      { seed, numRuns: 200 },
    );
  });
  it('property: a u16 vector whose max is 65535 round-trips (the commit/reveal condition)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: U16_MAX }), { maxLength: 32 }), (vs) => {
        const values = [U16_MAX, ...vs];
        const out = convertWeightsAndUidsForEmit(
          values.map((_, i) => i),
          values,
        );
        assert.deepEqual(out.weights, values);
      }),
      { seed, numRuns: 200 },
    );
  });
});

describe('roundHalfEven', () => {
  it('rounds halves to even and everything else to nearest', () => {
    assert.deepEqual(
      [0.5, 1.5, 2.5, -0.5, -1.5, 2.4999999, 2.5000001, 32767.5, 7].map(roundHalfEven),
      [0, 2, 2, 0, -2, 2, 3, 32768, 7],
    );
    assert.throws(() => roundHalfEven(Number.NaN), RangeError);
    assert.throws(() => roundHalfEven('1' as unknown as number), TypeError);
  });
});

describe('convertMaybeSplitToU16 (weights_u16.json mechanism_split)', () => {
  for (const c of vectors.mechanism_split.cases)
    it(JSON.stringify(c.input), () => {
      const out = convertMaybeSplitToU16(c.input);
      assert.deepEqual(out, c.u16);
      assert.equal(
        out.reduce((a, b) => a + b, 0),
        U16_MAX,
      );
    });
  it('rejects bad splits', () => {
    for (const s of [[], [0, 0], [-1, 2], [Number.NaN], [Number.POSITIVE_INFINITY]])
      assert.throws(() => convertMaybeSplitToU16(s), RangeError);
    assert.throws(() => convertMaybeSplitToU16('1' as unknown as number[]), TypeError);
  });
});
