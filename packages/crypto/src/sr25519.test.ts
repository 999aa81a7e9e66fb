import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fcParams, hex, toHex } from '../test/helpers.js';
import {
  sr25519DeriveHard,
  sr25519DerivePublicSoft,
  sr25519DeriveSoft,
  sr25519PairFromSeed,
  sr25519PublicFromSecret,
  sr25519SecretFromCanonical,
  sr25519SecretToCanonical,
  sr25519Sign,
  sr25519Verify,
} from './sr25519.js';

const DEV_MINI = hex('0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e');
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function le(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

describe('sr25519', () => {
  const pair = sr25519PairFromSeed(DEV_MINI);

  it('expands the dev mini secret to the known key (ExpansionMode::Ed25519)', () => {
    assert.equal(
      toHex(pair.publicKey),
      '0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a',
    );
    assert.equal(pair.secretKey.length, 64);
    // ed25519 form: scalar * 8, so the low three bits are clear.
    assert.equal(pair.secretKey[0]! & 7, 0);
    assert.deepEqual(sr25519PublicFromSecret(pair.secretKey), pair.publicKey);
  });

  it('signs and verifies; signatures are randomised and carry the schnorrkel marker', () => {
    const msg = new TextEncoder().encode('taoscript');
    const a = sr25519Sign(pair.secretKey, msg);
    const b = sr25519Sign(pair.secretKey, msg);
    assert.equal(a.length, 64);
    assert.notDeepEqual(a, b);
    assert.equal(a[63]! & 0x80, 0x80);
    assert.equal(sr25519Verify(a, msg, pair.publicKey), true);
    assert.equal(sr25519Verify(b, msg, pair.publicKey), true);
    assert.equal(sr25519Verify(a, new TextEncoder().encode('taoscripT'), pair.publicKey), false);
    const other = sr25519PairFromSeed(new Uint8Array(32).fill(7)).publicKey;
    assert.equal(sr25519Verify(a, msg, other), false);
  });

  it('verify returns false (never throws) for well-typed garbage', () => {
    const msg = new Uint8Array([1, 2, 3]);
    const sig = sr25519Sign(pair.secretKey, msg);
    const cases: Array<[Uint8Array, Uint8Array]> = [
      [new Uint8Array(64), pair.publicKey], // no marker
      [new Uint8Array(64).fill(0xff), pair.publicKey], // non-canonical R and s
      [Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff), pair.publicKey],
      [sig, new Uint8Array(32).fill(0xff)], // public key is not a valid Ristretto encoding
      [sig, new Uint8Array(32)], // identity point
    ];
    // s >= l with the marker set.
    const bigS = sig.slice();
    bigS.set(le(L), 32);
    bigS[63] = bigS[63]! | 0x80;
    cases.push([bigS, pair.publicKey]);
    for (const [s, pk] of cases) assert.equal(sr25519Verify(s, msg, pk), false);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (garbage) => {
        assert.equal(sr25519Verify(garbage, msg, pair.publicKey), false);
      }),
      fcParams(30),
    );
  });

  it('canonical <-> ed25519 secret forms round-trip and keep the public key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const { publicKey, secretKey } = sr25519PairFromSeed(seed);
        const canonical = sr25519SecretToCanonical(secretKey);
        const scalar = canonical
          .subarray(0, 32)
          .reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
        assert.ok(scalar < L);
        assert.deepEqual(canonical.subarray(32), secretKey.subarray(32));
        assert.deepEqual(sr25519SecretFromCanonical(canonical), secretKey);
        assert.deepEqual(sr25519PublicFromSecret(sr25519SecretFromCanonical(canonical)), publicKey);
      }),
      fcParams(20),
    );
  });

  it('secret form conversion rejects out-of-range scalars', () => {
    const canonical = new Uint8Array(64);
    canonical.set(le(L));
    assert.throws(() => sr25519SecretFromCanonical(canonical), RangeError);
    canonical.set(le(L - 1n));
    assert.equal(sr25519SecretFromCanonical(canonical).length, 64);
    const notMultipleOf8 = pair.secretKey.slice();
    notMultipleOf8[0] = notMultipleOf8[0]! | 1;
    assert.throws(() => sr25519SecretToCanonical(notMultipleOf8), /multiple of 8/);
    const tooBig = new Uint8Array(64);
    tooBig.set(le((L << 3n) & ((1n << 256n) - 1n)));
    assert.throws(() => sr25519SecretToCanonical(tooBig), /reduced/);
  });

  it('hard derivation is deterministic and chain-code dependent', () => {
    const cc = new Uint8Array(32).fill(1);
    const a = sr25519DeriveHard(pair.secretKey, cc);
    const b = sr25519DeriveHard(pair.secretKey, cc);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.publicKey, pair.publicKey);
    assert.notDeepEqual(
      sr25519DeriveHard(pair.secretKey, new Uint8Array(32)).publicKey,
      a.publicKey,
    );
    assert.deepEqual(sr25519PublicFromSecret(a.secretKey), a.publicKey);
  });

  it('soft derivation: public key matches public-only derivation; nonce is random', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (cc) => {
        const a = sr25519DeriveSoft(pair.secretKey, cc);
        const b = sr25519DeriveSoft(pair.secretKey, cc);
        assert.deepEqual(a.publicKey, b.publicKey);
        assert.deepEqual(a.secretKey.subarray(0, 32), b.secretKey.subarray(0, 32));
        assert.notDeepEqual(a.secretKey.subarray(32), b.secretKey.subarray(32));
        assert.deepEqual(sr25519DerivePublicSoft(pair.publicKey, cc), a.publicKey);
        const msg = Uint8Array.of(9);
        assert.equal(sr25519Verify(sr25519Sign(a.secretKey, msg), msg, a.publicKey), true);
      }),
      fcParams(8),
    );
  });

  it('public soft derivation rejects an invalid point with RangeError', () => {
    assert.throws(
      () => sr25519DerivePublicSoft(new Uint8Array(32).fill(0xff), new Uint8Array(32)),
      RangeError,
    );
  });
});
