import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { blake2b as nobleBlake2b } from '@noble/hashes/blake2.js';
import { blake2AsU8a, cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { fcOptions } from '../test/fc-options.js';
import {
  blake2_128,
  blake2_256,
  blake2_512,
  hasherPrefixLength,
  hashKey,
  isConcatHasher,
  STORAGE_HASHERS,
  type StorageHasher,
  storagePrefix,
  twox64,
  twox128,
  twox256,
} from './hashers.js';
import { concatBytes, fromHex, toHex, utf8Encode } from './hex.js';

const ALICE = fromHex('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');

before(async () => {
  await cryptoWaitReady();
});

/** Inputs around the 32-byte xxhash stripe and the 128-byte blake2b block boundaries. */
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 70 }),
  fc.uint8Array({ minLength: 120, maxLength: 300 }),
);

describe('known answers', () => {
  test('twox128 of pallet and item names', () => {
    assert.equal(toHex(twox128(utf8Encode('System'))), '0x26aa394eea5630e07c48ae0c9558cef7');
    assert.equal(toHex(twox128(utf8Encode('Account'))), '0xb99d880ec681799c0cf30e8886371da9');
  });

  test('xxhash64 of the empty input (seed 0) is 0xef46db3751d8e999, stored little-endian', () => {
    assert.equal(toHex(twox64(new Uint8Array())), '0x99e9d85137db46ef');
  });

  test('BLAKE2b-512("abc") from RFC 7693', () => {
    assert.equal(
      toHex(blake2_512(utf8Encode('abc'))),
      '0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1' +
        '7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    );
  });

  test('System.Account storage key for Alice', () => {
    const key = concatBytes(storagePrefix('System', 'Account'), hashKey('Blake2_128Concat', ALICE));
    assert.equal(
      toHex(key),
      '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9' +
        'de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d',
    );
  });
});

describe('cross-checks against @polkadot/util-crypto and @noble/hashes', () => {
  test('twox64/128/256 equal xxhashAsU8a', () => {
    fc.assert(
      fc.property(anyBytes, (data) => {
        assert.equal(toHex(twox64(data)), toHex(xxhashAsU8a(data, 64)));
        assert.equal(toHex(twox128(data)), toHex(xxhashAsU8a(data, 128)));
        assert.equal(toHex(twox256(data)), toHex(xxhashAsU8a(data, 256)));
      }),
      fcOptions(300),
    );
  });

  test('blake2_128/256/512 equal blake2AsU8a', () => {
    fc.assert(
      fc.property(anyBytes, (data) => {
        assert.equal(toHex(blake2_128(data)), toHex(blake2AsU8a(data, 128)));
        assert.equal(toHex(blake2_256(data)), toHex(blake2AsU8a(data, 256)));
        assert.equal(toHex(blake2_512(data)), toHex(blake2AsU8a(data, 512)));
      }),
      fcOptions(300),
    );
  });

  test('every length 0..300 agrees (all tail paths and block boundaries)', () => {
    for (let len = 0; len <= 300; len++) {
      const data = new Uint8Array(len).map((_, i) => (i * 151 + len * 29 + 7) & 0xff);
      assert.equal(toHex(twox64(data)), toHex(xxhashAsU8a(data, 64)), `twox64 len ${len}`);
      assert.equal(toHex(blake2_256(data)), toHex(nobleBlake2b(data, { dkLen: 32 })), `len ${len}`);
    }
  });

  test('hashing a subarray view hashes only the view', () => {
    const base = new Uint8Array(100).map((_, i) => i);
    const view = base.subarray(10, 60);
    const copy = view.slice();
    assert.deepEqual(twox128(view), twox128(copy));
    assert.deepEqual(blake2_256(view), blake2_256(copy));
    assert.deepEqual(hashKey('Blake2_128Concat', view), hashKey('Blake2_128Concat', copy));
  });
});

describe('storage hashers', () => {
  test('hashKey matches the hasher definitions', () => {
    const expected: Record<StorageHasher, (k: Uint8Array) => Uint8Array> = {
      Blake2_128: (k) => blake2AsU8a(k, 128),
      Blake2_256: (k) => blake2AsU8a(k, 256),
      Blake2_128Concat: (k) => concatBytes(blake2AsU8a(k, 128), k),
      Twox128: (k) => xxhashAsU8a(k, 128),
      Twox256: (k) => xxhashAsU8a(k, 256),
      Twox64Concat: (k) => concatBytes(xxhashAsU8a(k, 64), k),
      Identity: (k) => k,
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.constantFrom(...STORAGE_HASHERS),
        (key, h) => {
          const out = hashKey(h, key);
          assert.equal(toHex(out), toHex(expected[h](key)));
          if (isConcatHasher(h)) {
            assert.equal(out.length, hasherPrefixLength(h) + key.length);
            assert.deepEqual(out.subarray(hasherPrefixLength(h)), key);
          } else {
            assert.equal(out.length, hasherPrefixLength(h));
          }
        },
      ),
      fcOptions(),
    );
  });

  test('Identity returns a copy', () => {
    const key = new Uint8Array([1, 2]);
    const out = hashKey('Identity', key);
    out[0] = 9;
    assert.equal(key[0], 1);
  });

  test('isConcatHasher and hasherPrefixLength', () => {
    assert.deepEqual(
      STORAGE_HASHERS.map((h) => [h, isConcatHasher(h), hasherPrefixLength(h)]),
      [
        ['Blake2_128', false, 16],
        ['Blake2_256', false, 32],
        ['Blake2_128Concat', true, 16],
        ['Twox128', false, 16],
        ['Twox256', false, 32],
        ['Twox64Concat', true, 8],
        ['Identity', true, 0],
      ],
    );
  });

  test('storagePrefix is twox128(pallet) ++ twox128(item) and returns a fresh copy', () => {
    const p = storagePrefix('SubtensorModule', 'TotalStake');
    assert.deepEqual(
      p,
      concatBytes(
        xxhashAsU8a(utf8Encode('SubtensorModule'), 128),
        xxhashAsU8a(utf8Encode('TotalStake'), 128),
      ),
    );
    p.fill(0);
    assert.notDeepEqual(storagePrefix('SubtensorModule', 'TotalStake'), p);
    assert.notDeepEqual(storagePrefix('ab', 'c'), storagePrefix('a', 'bc'));
  });

  test('rejects bad input', () => {
    for (const bad of ['Blake2_64', 'blake2_128', 'toString', '__proto__', '']) {
      assert.throws(() => hashKey(bad as StorageHasher, new Uint8Array()), RangeError, bad);
      assert.throws(() => hasherPrefixLength(bad as StorageHasher), RangeError, bad);
      assert.throws(() => isConcatHasher(bad as StorageHasher), RangeError, bad);
    }
    for (const bad of [null, undefined, 1, {}]) {
      assert.throws(() => hashKey(bad as unknown as StorageHasher, new Uint8Array()), TypeError);
    }
    for (const bad of [null, 'abc', [1, 2], new ArrayBuffer(4), 7]) {
      const b = bad as unknown as Uint8Array;
      assert.throws(() => hashKey('Twox64Concat', b), TypeError);
      for (const f of [blake2_128, blake2_256, blake2_512, twox64, twox128, twox256]) {
        assert.throws(() => f(b), TypeError, f.name);
      }
    }
    assert.throws(() => storagePrefix(1 as unknown as string, 'Account'), TypeError);
    assert.throws(() => storagePrefix('System', null as unknown as string), TypeError);
  });
});
