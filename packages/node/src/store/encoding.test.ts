import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  decodeBlock,
  encodeBlock,
  escapeKey,
  numberKey,
  prefixEnd,
  readNumberKey,
  unescapeKey,
  versionKey,
} from './encoding.js';

const seed = process.env.FC_SEED === undefined ? Date.now() : Number(process.env.FC_SEED);
const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);
// Bytes biased towards 0x00 and 0xff, the interesting ones for the escape.
const byte = fc.oneof(fc.constantFrom(0, 0xff, 1, 0xfe), fc.integer({ min: 0, max: 255 }));
const key = fc.array(byte, { minLength: 1, maxLength: 8 }).map((a) => new Uint8Array(a));
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

test('versionKey orders by state key bytes, then by block number', () => {
  fc.assert(
    fc.property(key, key, u32, u32, (a, b, n, m) => {
      const byKey = sign(Buffer.compare(a, b));
      const expected = byKey !== 0 ? byKey : sign(n - m);
      assert.equal(sign(Buffer.compare(versionKey(a, n), versionKey(b, m))), expected);
    }),
    { seed, numRuns: 2000 },
  );
});

test('versionKey of one key never falls inside another key range', () => {
  fc.assert(
    fc.property(key, key, u32, (a, b, n) => {
      fc.pre(Buffer.compare(a, b) !== 0);
      const v = versionKey(b, n);
      const lo = escapeKey(a);
      const hi = versionKey(a, 0xffff_ffff);
      assert.ok(Buffer.compare(v, lo) < 0 || Buffer.compare(v, hi) > 0);
    }),
    { seed, numRuns: 2000 },
  );
});

test('escapeKey round-trips and known vectors', () => {
  fc.assert(
    fc.property(key, (k) => assert.deepEqual(unescapeKey(escapeKey(k)), k)),
    { seed },
  );
  assert.deepEqual(escapeKey(new Uint8Array([1, 0, 2])), new Uint8Array([1, 0, 0xff, 2, 0, 0]));
  assert.deepEqual(
    versionKey(new Uint8Array([0]), 0x01020304),
    new Uint8Array([0, 0xff, 0, 0, 1, 2, 3, 4]),
  );
  assert.throws(() => unescapeKey(new Uint8Array([1, 2])), RangeError);
});

test('prefixEnd bounds exactly the keys with the prefix', () => {
  assert.deepEqual(prefixEnd(new Uint8Array([1, 2])), new Uint8Array([1, 3]));
  assert.deepEqual(prefixEnd(new Uint8Array([1, 0xff])), new Uint8Array([2]));
  assert.equal(prefixEnd(new Uint8Array([0xff, 0xff])), undefined);
  assert.equal(prefixEnd(new Uint8Array(0)), undefined);
  const buf = Buffer.from([5, 6]);
  prefixEnd(buf);
  assert.deepEqual([...buf], [5, 6], 'input is not mutated');
  fc.assert(
    fc.property(key, key, (p, k) => {
      const end = prefixEnd(p);
      const hasPrefix = k.length >= p.length && Buffer.compare(k.subarray(0, p.length), p) === 0;
      const inRange =
        Buffer.compare(k, p) >= 0 && (end === undefined || Buffer.compare(k, end) < 0);
      assert.equal(inRange, hasPrefix);
    }),
    { seed, numRuns: 2000 },
  );
});

test('numberKey sorts numerically and round-trips', () => {
  fc.assert(
    fc.property(u32, u32, (a, b) => {
      assert.equal(readNumberKey(numberKey(a)), a);
      assert.equal(sign(Buffer.compare(numberKey(a), numberKey(b))), sign(a - b));
    }),
    { seed },
  );
});

test('block records round-trip and reject corruption', () => {
  const bytes = fc.uint8Array({ maxLength: 40 });
  fc.assert(
    fc.property(
      u32,
      fc.uint8Array({ minLength: 1, maxLength: 64 }),
      bytes,
      fc.array(bytes, { maxLength: 5 }),
      (number, parentHash, header, body) => {
        const hash = new Uint8Array(32).fill(3);
        const rec = encodeBlock({ number, parentHash, header, body });
        assert.deepEqual(decodeBlock(hash, rec), { hash, number, parentHash, header, body });
        assert.throws(() => decodeBlock(hash, rec.subarray(0, rec.length - 1)), RangeError);
        const extended = new Uint8Array(rec.length + 1);
        extended.set(rec);
        assert.throws(() => decodeBlock(hash, extended), RangeError);
      },
    ),
    { seed },
  );
});
