import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../test/helpers.js';
import { keypairFromSeed } from './keypair.js';
import { signatureVerify, verifyWrapped } from './verify.js';

const wrap = (m: Uint8Array): Uint8Array =>
  Uint8Array.from([...utf8('<Bytes>'), ...m, ...utf8('</Bytes>')]);

describe('signatureVerify', () => {
  const sr = keypairFromSeed(new Uint8Array(32).fill(1), 'sr25519');
  const ed = keypairFromSeed(new Uint8Array(32).fill(1), 'ed25519');
  const msg = utf8('message');

  it('reports the scheme that accepted the signature', () => {
    assert.deepEqual(signatureVerify(msg, sr.sign(msg), sr.publicKey), {
      valid: true,
      type: 'sr25519',
    });
    assert.deepEqual(signatureVerify(msg, ed.sign(msg), ed.publicKey), {
      valid: true,
      type: 'ed25519',
    });
  });

  it('is invalid for wrong key, wrong message and garbage', () => {
    assert.deepEqual(signatureVerify(msg, sr.sign(msg), ed.publicKey), { valid: false });
    assert.deepEqual(signatureVerify(msg, ed.sign(msg), sr.publicKey), { valid: false });
    assert.deepEqual(signatureVerify(utf8('other'), sr.sign(msg), sr.publicKey), { valid: false });
    assert.deepEqual(signatureVerify(msg, new Uint8Array(64).fill(0x5a), sr.publicKey), {
      valid: false,
    });
    assert.deepEqual(signatureVerify(msg, sr.sign(msg), new Uint8Array(32).fill(0xff)), {
      valid: false,
    });
  });
});

describe('verifyWrapped', () => {
  const sr = keypairFromSeed(new Uint8Array(32).fill(2), 'sr25519');
  const ed = keypairFromSeed(new Uint8Array(32).fill(2), 'ed25519');
  const msg = utf8('nonce.hotkey.uuid');

  it('accepts raw and <Bytes>-wrapped sr25519 signatures', () => {
    assert.equal(verifyWrapped(msg, sr.sign(msg), sr.publicKey), true);
    assert.equal(verifyWrapped(msg, sr.sign(wrap(msg)), sr.publicKey), true);
    assert.equal(verifyWrapped(utf8('x'), sr.sign(wrap(msg)), sr.publicKey), false);
    // Wrapping is applied once, not recursively.
    assert.equal(verifyWrapped(msg, sr.sign(wrap(wrap(msg))), sr.publicKey), false);
    assert.equal(verifyWrapped(msg, new Uint8Array(64), sr.publicKey), false);
  });

  it('uses the requested scheme (sr25519 by default)', () => {
    assert.equal(verifyWrapped(msg, ed.sign(wrap(msg)), ed.publicKey, 'ed25519'), true);
    assert.equal(verifyWrapped(msg, ed.sign(msg), ed.publicKey, 'ed25519'), true);
    assert.equal(verifyWrapped(msg, ed.sign(msg), ed.publicKey), false);
    assert.equal(verifyWrapped(msg, sr.sign(msg), sr.publicKey, 'ed25519'), false);
  });
});
