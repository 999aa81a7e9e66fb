import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertBytes,
  assertU8,
  assertU16,
  assertU32,
  assertU64,
  assertU128,
  BtError,
  formatBigint,
} from './errors.js';

describe('BtError', () => {
  test('carries code, shortMessage, details, meta and cause', () => {
    const cause = new Error('inner');
    const e = new BtError('Keyfile is locked', {
      code: 'KEYFILE_LOCKED',
      details: 'mode 0600',
      meta: ['Unlock it first.', 'See --help.'],
      cause,
    });
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'BtError');
    assert.equal(e.code, 'KEYFILE_LOCKED');
    assert.equal(e.shortMessage, 'Keyfile is locked');
    assert.equal(e.details, 'mode 0600');
    assert.deepEqual(e.metaMessages, ['Unlock it first.', 'See --help.']);
    assert.equal(e.cause, cause);
    assert.equal(
      e.message,
      'Keyfile is locked\n\nUnlock it first.\nSee --help.\n\nDetails: mode 0600',
    );
  });

  test('optional fields are absent when not given', () => {
    const e = new BtError('Boom', { code: 'BOOM' });
    assert.equal(e.message, 'Boom');
    assert.equal('details' in e, false);
    assert.equal('metaMessages' in e, false);
    assert.equal(e.cause, undefined);
  });

  test('toJSON serializes name, code, message, details, meta', () => {
    const e = new BtError('Bad', { code: 'BAD', details: 'why', meta: ['m'] });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), {
      name: 'BtError',
      code: 'BAD',
      message: 'Bad\n\nm\n\nDetails: why',
      details: 'why',
      meta: ['m'],
    });
  });

  test('subclasses override the name', () => {
    class AxonTimeoutError extends BtError {
      override name = 'AxonTimeoutError';
    }
    const e = new AxonTimeoutError('timed out', { code: 'AXON_TIMEOUT' });
    assert.ok(e instanceof BtError);
    assert.equal(e.name, 'AxonTimeoutError');
    assert.equal(e.toJSON().name, 'AxonTimeoutError');
  });
});

describe('assertion helpers', () => {
  test('assertBytes checks type and length', () => {
    assertBytes(new Uint8Array(32), 32, 'key');
    assertBytes(new Uint8Array(3), undefined, 'key');
    for (const bad of [
      null,
      undefined,
      'ab',
      [1, 2],
      5,
      {},
      new Uint16Array(2),
      new ArrayBuffer(2),
    ]) {
      assert.throws(() => assertBytes(bad, undefined, 'key'), TypeError);
    }
    assert.throws(() => assertBytes(new Uint8Array(31), 32, 'publicKey'), {
      name: 'RangeError',
      message: 'publicKey: expected 32 bytes, got 31',
    });
  });

  type Check = (x: unknown, what: string) => void;
  const numberCases: { fn: Check; max: number }[] = [
    { fn: assertU8, max: 255 },
    { fn: assertU16, max: 65535 },
    { fn: assertU32, max: 4294967295 },
  ];
  for (const { fn, max } of numberCases) {
    test(`${fn.name} accepts [0, ${max}] integers only`, () => {
      fn(0, 'x');
      fn(max, 'x');
      for (const bad of [1n, '1', null, undefined, true, {}])
        assert.throws(() => fn(bad, 'x'), TypeError);
      for (const bad of [-1, max + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => fn(bad, 'x'), RangeError);
      }
    });
  }

  const bigintCases: { fn: Check; bits: bigint }[] = [
    { fn: assertU64, bits: 64n },
    { fn: assertU128, bits: 128n },
  ];
  for (const { fn, bits } of bigintCases) {
    test(`${fn.name} accepts bigints in [0, 2^${bits} - 1] only`, () => {
      fn(0n, 'x');
      fn((1n << bits) - 1n, 'x');
      for (const bad of [1, '1', null, undefined, 1.5])
        assert.throws(() => fn(bad, 'x'), TypeError);
      for (const bad of [-1n, 1n << bits, 1n << 10_000n])
        assert.throws(() => fn(bad, 'x'), RangeError);
    });
  }

  test('huge bigints are not printed in full', () => {
    assert.equal(formatBigint(-5n), '-5');
    assert.equal(formatBigint(1n << 1000n), '<1004-bit bigint>');
    assert.throws(
      () => assertU64(1n << 100_000n, 'amount'),
      (e: Error) => e.message.length < 100,
    );
  });
});
