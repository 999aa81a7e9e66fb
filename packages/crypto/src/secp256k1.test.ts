import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { fromHex, toHex } from '@taoscript/codec';
import fc from 'fast-check';
import { fcParams } from '../test/helpers.js';
import { ethAddressFromPublicKey, keccak256, secp256k1RecoverPrehashed } from './index.js';

const N = secp256k1.Point.CURVE().n;

/** Signs a 32-byte hash with `secret`, returning r ‖ s ‖ v (v in 0..1). */
function signRsv(secret: Uint8Array, hash: Uint8Array): Uint8Array {
  const rec = secp256k1.sign(hash, secret, { prehash: false, format: 'recovered' });
  return Uint8Array.from([...rec.subarray(1), rec[0] as number]);
}

const scalar = (k: bigint): Uint8Array => fromHex(k.toString(16).padStart(64, '0'));

describe('keccak256', () => {
  it('matches the known answers', () => {
    assert.equal(
      toHex(keccak256(new Uint8Array(0))),
      '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    assert.equal(
      toHex(keccak256(new TextEncoder().encode('abc'))),
      '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it('rejects non-bytes', () => {
    assert.throws(() => keccak256('abc' as unknown as Uint8Array), TypeError);
  });
});

describe('ethAddressFromPublicKey', () => {
  it('gives the well-known address of private key 1', () => {
    const pub = secp256k1.getPublicKey(scalar(1n), true);
    assert.equal(toHex(ethAddressFromPublicKey(pub)), '0x7e5f4552091a69125d5dfcb7b8c2659029395bdf');
  });

  it('rejects malformed keys', () => {
    assert.throws(() => ethAddressFromPublicKey(new Uint8Array(65)), RangeError);
    assert.throws(() => ethAddressFromPublicKey(new Uint8Array(33)), RangeError);
    assert.throws(() => ethAddressFromPublicKey([2] as unknown as Uint8Array), TypeError);
  });
});

describe('secp256k1RecoverPrehashed', () => {
  it('round-trips: recovers the signer key for v = 0/1, and v + 2 does not', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: N - 1n }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (k, hash) => {
          const secret = scalar(k);
          const sig = signRsv(secret, hash);
          const pub = secp256k1RecoverPrehashed(sig, hash);
          assert.ok(pub);
          assert.equal(toHex(pub), toHex(secp256k1.getPublicKey(secret, true)));
          // The other parity recovers a different key.
          const flipped = sig.slice();
          flipped[64] = (sig[64] as number) ^ 1;
          const other = secp256k1RecoverPrehashed(flipped, hash);
          assert.ok(other === undefined || toHex(other) !== toHex(pub));
        },
      ),
      fcParams(40),
    );
  });

  it('accepts high-s signatures (recovers the same key)', () => {
    const secret = scalar(0x1234n);
    const hash = keccak256(new Uint8Array([1, 2, 3]));
    const sig = signRsv(secret, hash);
    const s = BigInt(toHex(sig.subarray(32, 64)));
    const high = Uint8Array.from([
      ...sig.subarray(0, 32),
      ...scalar(N - s),
      (sig[64] as number) ^ 1,
    ]);
    assert.equal(
      toHex(secp256k1RecoverPrehashed(high, hash) as Uint8Array),
      toHex(secp256k1.getPublicKey(secret, true)),
    );
  });

  it('returns undefined for garbage', () => {
    const hash = new Uint8Array(32).fill(9);
    assert.equal(secp256k1RecoverPrehashed(new Uint8Array(65), hash), undefined);
    assert.equal(secp256k1RecoverPrehashed(new Uint8Array(65).fill(0xff), hash), undefined);
    const sig = signRsv(scalar(5n), hash);
    for (const v of [4, 27, 255]) {
      const bad = sig.slice();
      bad[64] = v;
      assert.equal(secp256k1RecoverPrehashed(bad, hash), undefined, `v=${v}`);
    }
    // r = n (out of range)
    const rN = Uint8Array.from([...scalar(N), ...sig.subarray(32)]);
    assert.equal(secp256k1RecoverPrehashed(rN, hash), undefined);
  });

  it('rejects wrong sizes and types', () => {
    assert.throws(
      () => secp256k1RecoverPrehashed(new Uint8Array(64), new Uint8Array(32)),
      RangeError,
    );
    assert.throws(
      () => secp256k1RecoverPrehashed(new Uint8Array(65), new Uint8Array(31)),
      RangeError,
    );
    assert.throws(
      () => secp256k1RecoverPrehashed(null as unknown as Uint8Array, new Uint8Array(32)),
      TypeError,
    );
  });
});
