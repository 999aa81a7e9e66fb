import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fcOptions } from '../test/fc-options.js';
import { bytesEqual, concatBytes, fromHex, isHex, toHex, utf8Decode, utf8Encode } from './hex.js';

describe('hex', () => {
  test('known values', () => {
    assert.equal(toHex(new Uint8Array([])), '0x');
    assert.equal(toHex(new Uint8Array([0, 1, 171, 255])), '0x0001abff');
    assert.deepEqual(fromHex('0x0001abff'), new Uint8Array([0, 1, 171, 255]));
    assert.deepEqual(fromHex('0x0001ABFF'), new Uint8Array([0, 1, 171, 255]));
    assert.deepEqual(fromHex('0001abff'), new Uint8Array([0, 1, 171, 255]));
    assert.deepEqual(fromHex('0x'), new Uint8Array([]));
    assert.deepEqual(fromHex(''), new Uint8Array([]));
  });

  test('round-trips and agrees with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const hex = toHex(bytes);
        assert.equal(hex, `0x${Buffer.from(bytes).toString('hex')}`);
        assert.deepEqual(fromHex(hex), bytes);
        assert.ok(isHex(hex));
      }),
      fcOptions(),
    );
  });

  test('toHex of a subarray reads only the view', () => {
    const base = new Uint8Array([1, 2, 3, 4]);
    assert.equal(toHex(base.subarray(1, 3)), '0x0203');
  });

  test('fromHex rejects non-strings, odd lengths and bad characters', () => {
    for (const bad of [null, undefined, 12, new Uint8Array(2), ['0x00']]) {
      assert.throws(() => fromHex(bad as unknown as string), TypeError);
    }
    for (const bad of [
      '0x0',
      '0x123',
      'abc',
      '0xzz',
      '0x0g',
      '0x 0',
      '0x00é0',
      '0x-1',
      '0x\u0660\u0661',
    ]) {
      assert.throws(() => fromHex(bad), TypeError, bad);
    }
    assert.throws(() => fromHex('0x00zz'), {
      message: 'fromHex: invalid hex character at index 4',
    });
  });

  test('isHex', () => {
    for (const good of ['0x', '0x00', '0xABcd']) assert.equal(isHex(good), true, good);
    for (const bad of [
      '',
      '00',
      '0x0',
      '0xgg',
      'x00',
      0,
      null,
      undefined,
      new Uint8Array(1),
      '0X00',
    ]) {
      assert.equal(isHex(bad), false, String(bad));
    }
  });

  test('toHex rejects non-bytes', () => {
    for (const bad of [null, '0x00', [1], new ArrayBuffer(1)]) {
      assert.throws(() => toHex(bad as unknown as Uint8Array), TypeError);
    }
  });
});

describe('bytes helpers', () => {
  test('concatBytes', () => {
    assert.deepEqual(concatBytes(), new Uint8Array([]));
    const a = new Uint8Array([1, 2]);
    const out = concatBytes(a, new Uint8Array([]), new Uint8Array([3]));
    assert.deepEqual(out, new Uint8Array([1, 2, 3]));
    out[0] = 9;
    assert.equal(a[0], 1, 'result is a copy');
    assert.throws(() => concatBytes(a, [3] as unknown as Uint8Array), TypeError);
  });

  test('bytesEqual', () => {
    assert.equal(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
    assert.equal(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
    assert.equal(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0])), false);
    assert.equal(bytesEqual(new Uint8Array([]), new Uint8Array([])), true);
    assert.throws(() => bytesEqual(new Uint8Array(1), 'a' as unknown as Uint8Array), TypeError);
  });

  test('utf8 round-trips and agrees with Buffer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const bytes = utf8Encode(s);
        assert.deepEqual(Buffer.from(bytes), Buffer.from(s, 'utf8'));
        assert.equal(utf8Decode(bytes), s);
      }),
      fcOptions(),
    );
    assert.deepEqual(utf8Encode('tao'), new Uint8Array([116, 97, 111]));
  });

  test('utf8Decode rejects malformed UTF-8 and non-bytes', () => {
    assert.throws(() => utf8Decode(new Uint8Array([0xff])), TypeError);
    assert.throws(() => utf8Decode(new Uint8Array([0xc3])), TypeError);
    assert.throws(() => utf8Decode('abc' as unknown as Uint8Array), TypeError);
    assert.throws(() => utf8Encode(5 as unknown as string), TypeError);
  });
});

describe('toHex paths', () => {
  const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 151 + 7) & 255);

  test('every length around the short-input and chunk boundaries agrees with Buffer', () => {
    for (const n of [0, 1, 2, 31, 32, 33, 127, 128, 129, 255, 256, 257, 1000, 70_000]) {
      const bytes = pattern(n);
      assert.equal(toHex(bytes), `0x${Buffer.from(bytes).toString('hex')}`, `length ${n}`);
      // A view into a larger buffer reads only its own bytes on every path.
      const view = new Uint8Array(n + 6).subarray(3, 3 + n);
      view.set(bytes);
      assert.equal(toHex(view), `0x${Buffer.from(bytes).toString('hex')}`, `view ${n}`);
    }
  });

  test('repeated calls of one length do not leak earlier contents', () => {
    assert.equal(toHex(new Uint8Array([255, 255, 255])), '0xffffff');
    assert.equal(toHex(new Uint8Array([0, 1, 2])), '0x000102');
    assert.equal(toHex(new Uint8Array([255, 255, 255])), '0xffffff');
  });

  test('without a host Buffer (browsers) long inputs are encoded in chunks', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'Buffer');
    const expected = new Map<number, string>();
    const lengths = [129, 256, 257, 1000, 4096];
    for (const n of lengths) expected.set(n, `0x${Buffer.from(pattern(n)).toString('hex')}`);
    Object.defineProperty(globalThis, 'Buffer', { value: undefined, configurable: true });
    try {
      for (const n of lengths) assert.equal(toHex(pattern(n)), expected.get(n), `length ${n}`);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'Buffer', saved);
    }
    assert.equal(typeof Buffer.from, 'function');
  });
});
