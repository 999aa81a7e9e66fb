import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  blockNumber,
  netUid,
  RAO_PER_TAO,
  rao,
  U16_MAX,
  U32_MAX,
  U64_MAX,
  U128_MAX,
  uid,
} from './branded.js';

describe('branded numbers', () => {
  test('constants', () => {
    assert.equal(RAO_PER_TAO, 1_000_000_000n);
    assert.equal(U16_MAX, 65535);
    assert.equal(U32_MAX, 4294967295);
    assert.equal(U64_MAX, 18446744073709551615n);
    assert.equal(U128_MAX, 340282366920938463463374607431768211455n);
  });

  test('constructors return the value unchanged when valid', () => {
    assert.equal(rao(0n), 0n);
    assert.equal(rao(U64_MAX), U64_MAX);
    assert.equal(netUid(0), 0);
    assert.equal(netUid(U16_MAX), U16_MAX);
    assert.equal(uid(255), 255);
    assert.equal(blockNumber(U32_MAX), U32_MAX);
  });

  test('rao rejects non-bigints and values outside u64', () => {
    for (const bad of [1, '1', null, undefined, 1.5]) {
      assert.throws(() => rao(bad as unknown as bigint), TypeError, String(bad));
    }
    assert.throws(() => rao(-1n), RangeError);
    assert.throws(() => rao(U64_MAX + 1n), RangeError);
  });

  test('u16/u32 brands reject non-numbers and values out of range', () => {
    const cases: [(n: number) => number, number][] = [
      [netUid, U16_MAX],
      [uid, U16_MAX],
      [blockNumber, U32_MAX],
    ];
    for (const [make, max] of cases) {
      for (const bad of [1n, '1', null, undefined, {}]) {
        assert.throws(
          () => make(bad as unknown as number),
          TypeError,
          `${make.name} ${String(bad)}`,
        );
      }
      for (const bad of [-1, max + 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => make(bad), RangeError, `${make.name} ${bad}`);
      }
    }
  });
});
