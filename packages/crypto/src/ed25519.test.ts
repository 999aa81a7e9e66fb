import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blake2_256 } from '@taoscript/codec';
import fc from 'fast-check';
import { fcParams, hex, toHex, utf8 } from '../test/helpers.js';
import { ed25519DeriveHard, ed25519PairFromSeed, ed25519Sign, ed25519Verify } from './ed25519.js';

// RFC 8032 section 7.1, TEST 1 and TEST 2.
const RFC = [
  {
    seed: '0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: '0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '0x',
    signature:
      '0xe5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '0x4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '0x3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '0x72',
    signature:
      '0x92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('ed25519', () => {
  for (const [i, v] of RFC.entries()) {
    it(`RFC 8032 test ${i + 1}`, () => {
      const pair = ed25519PairFromSeed(hex(v.seed));
      assert.equal(toHex(pair.publicKey), v.publicKey);
      assert.equal(toHex(pair.secretKey), `${v.seed}${v.publicKey.slice(2)}`);
      const sig = ed25519Sign(pair.secretKey, hex(v.message));
      assert.equal(toHex(sig), v.signature);
      assert.equal(ed25519Verify(sig, hex(v.message), pair.publicKey), true);
      assert.equal(ed25519Verify(sig, Uint8Array.of(1, 2), pair.publicKey), false);
    });
  }

  it('sign/verify round-trips and rejects tampering', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 256 }),
        (seed, msg) => {
          const { publicKey, secretKey } = ed25519PairFromSeed(seed);
          const sig = ed25519Sign(secretKey, msg);
          assert.deepEqual(ed25519Sign(secretKey, msg), sig); // deterministic
          assert.equal(ed25519Verify(sig, msg, publicKey), true);
          const bad = sig.slice();
          bad[5] = bad[5]! ^ 0x10;
          assert.equal(ed25519Verify(bad, msg, publicKey), false);
        },
      ),
      fcParams(30),
    );
  });

  it('verify returns false for garbage signatures and keys', () => {
    const { publicKey } = ed25519PairFromSeed(new Uint8Array(32));
    assert.equal(ed25519Verify(new Uint8Array(64), utf8('x'), publicKey), false);
    assert.equal(ed25519Verify(new Uint8Array(64).fill(0xff), utf8('x'), publicKey), false);
    const sig = ed25519Sign(ed25519PairFromSeed(new Uint8Array(32)).secretKey, utf8('x'));
    assert.equal(ed25519Verify(sig, utf8('x'), new Uint8Array(32).fill(0xff)), false);
  });

  it('sign rejects a secret key whose public half does not match', () => {
    const { secretKey } = ed25519PairFromSeed(new Uint8Array(32));
    const wrong = secretKey.slice();
    wrong[40] = wrong[40]! ^ 1;
    assert.throws(() => ed25519Sign(wrong, utf8('x')), /does not match/);
  });

  it('hard derivation is blake2_256(SCALE("Ed25519HDKD") ++ seed ++ chainCode)', () => {
    const seed = new Uint8Array(32).fill(3);
    const cc = new Uint8Array(32).fill(4);
    const preimage = new Uint8Array([0x2c, ...utf8('Ed25519HDKD'), ...seed, ...cc]);
    assert.deepEqual(ed25519DeriveHard(seed, cc), blake2_256(preimage));
    assert.notDeepEqual(ed25519DeriveHard(seed, new Uint8Array(32)), ed25519DeriveHard(seed, cc));
  });
});
