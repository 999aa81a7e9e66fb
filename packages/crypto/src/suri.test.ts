import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blake2_256 } from '@taoscript/codec';
import { toHex, utf8 } from '../test/helpers.js';
import { DEV_PHRASE, junctionChainCode, parseSuri } from './suri.js';

const pad32 = (bytes: number[]): Uint8Array => {
  const out = new Uint8Array(32);
  out.set(bytes);
  return out;
};

describe('junctionChainCode', () => {
  it('encodes strings as SCALE str, zero padded', () => {
    assert.deepEqual(junctionChainCode('Alice'), pad32([0x14, ...utf8('Alice')]));
    assert.deepEqual(junctionChainCode(''), pad32([0]));
    assert.deepEqual(junctionChainCode('0x12'), pad32([0x10, ...utf8('0x12')]));
    assert.deepEqual(junctionChainCode('é'), pad32([0x08, 0xc3, 0xa9]));
  });

  it('encodes u64 numbers as 8 little-endian bytes', () => {
    assert.deepEqual(junctionChainCode('0'), pad32([0, 0, 0, 0, 0, 0, 0, 0]));
    assert.deepEqual(junctionChainCode('258'), pad32([2, 1, 0, 0, 0, 0, 0, 0]));
    assert.deepEqual(junctionChainCode('007'), pad32([7]));
    assert.deepEqual(junctionChainCode('+5'), pad32([5])); // Rust u64::from_str accepts '+'
    assert.deepEqual(
      junctionChainCode('18446744073709551615'),
      pad32([255, 255, 255, 255, 255, 255, 255, 255]),
    );
    // One past u64::MAX is not a u64, so it is a string (as in sp-core).
    assert.deepEqual(
      junctionChainCode('18446744073709551616'),
      pad32([80, ...utf8('18446744073709551616')]),
    );
    assert.deepEqual(junctionChainCode('-1'), pad32([8, ...utf8('-1')]));
  });

  it('hashes encodings longer than 32 bytes with blake2_256', () => {
    const exactly32 = 'a'.repeat(31); // 1-byte compact prefix + 31 bytes
    assert.deepEqual(junctionChainCode(exactly32), Uint8Array.of(124, ...utf8(exactly32)));
    const long = 'a'.repeat(32);
    assert.deepEqual(junctionChainCode(long), blake2_256(Uint8Array.of(128, ...utf8(long))));
    const veryLong = 'b'.repeat(100); // two-byte compact length
    assert.deepEqual(
      junctionChainCode(veryLong),
      blake2_256(Uint8Array.of(0x91, 0x01, ...utf8(veryLong))),
    );
  });
});

describe('parseSuri', () => {
  it('a leading slash means the dev phrase', () => {
    const { phrase, path, password } = parseSuri('//Alice');
    assert.equal(phrase, DEV_PHRASE);
    assert.equal(path.length, 1);
    assert.equal(path[0]!.hard, true);
    assert.equal(
      toHex(path[0]!.chainCode),
      `0x14${toHex(utf8('Alice')).slice(2)}${'00'.repeat(26)}`,
    );
    assert.equal(password, undefined);
    assert.ok(!('password' in parseSuri('//Alice')));
  });

  it('splits hard, soft and password parts', () => {
    const r = parseSuri(`${DEV_PHRASE}//hard/soft//1///my/secret//pass`);
    assert.equal(r.phrase, DEV_PHRASE);
    assert.deepEqual(
      r.path.map((j) => j.hard),
      [true, false, true],
    );
    assert.deepEqual(r.path[2]!.chainCode, pad32([1]));
    assert.equal(r.password, 'my/secret//pass');
  });

  it('password without path, empty password, and hex seeds', () => {
    assert.deepEqual(parseSuri(`${DEV_PHRASE}///pw`), {
      phrase: DEV_PHRASE,
      path: [],
      password: 'pw',
    });
    assert.deepEqual(parseSuri(`${DEV_PHRASE}///`), { phrase: DEV_PHRASE, path: [], password: '' });
    const seed = `0x${'ab'.repeat(32)}`;
    const r = parseSuri(`${seed}//0/x`);
    assert.equal(r.phrase, seed);
    assert.deepEqual(
      r.path.map((j) => [j.hard, toHex(j.chainCode)]),
      [
        [true, toHex(pad32([0]))],
        [false, toHex(pad32([4, ...utf8('x')]))],
      ],
    );
    assert.deepEqual(parseSuri('///pw'), { phrase: DEV_PHRASE, path: [], password: 'pw' });
  });

  it('trims the phrase', () => {
    assert.equal(parseSuri(` ${DEV_PHRASE} //a`).phrase, DEV_PHRASE);
  });

  it('rejects malformed URIs with RangeError', () => {
    for (const bad of [
      '',
      '   ',
      '//',
      '//Alice/',
      '//Alice//',
      'a-b//c',
      'phrase!//x',
      `${DEV_PHRASE}\n//a`,
      'x'.repeat(5000),
    ]) {
      assert.throws(() => parseSuri(bad), RangeError, JSON.stringify(bad.slice(0, 20)));
    }
    assert.throws(() => parseSuri('//x'.repeat(2000)), /too long/);
  });

  it('rejects non-strings with TypeError', () => {
    for (const bad of [undefined, null, 1, utf8('//Alice'), {}]) {
      assert.throws(() => parseSuri(bad as never), TypeError);
      assert.throws(() => junctionChainCode(bad as never), TypeError);
    }
  });
});
