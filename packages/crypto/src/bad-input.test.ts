import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as api from './index.js';

const WRONG_TYPES: unknown[] = [
  undefined,
  null,
  0,
  'deadbeef',
  [1, 2, 3],
  { length: 32 },
  new ArrayBuffer(32),
  new Uint16Array(16),
  new Int8Array(32),
];

const sr = api.sr25519PairFromSeed(new Uint8Array(32).fill(5));
const ed = api.ed25519PairFromSeed(new Uint8Array(32).fill(5));
const msg = new Uint8Array([1, 2, 3]);
const srSig = api.sr25519Sign(sr.secretKey, msg);
const edSig = api.ed25519Sign(ed.secretKey, msg);

/** Each entry: name, expected byte length of the tested argument, and a call with it swapped in. */
const BYTE_ARGS: Array<[string, number | undefined, (x: never) => unknown]> = [
  ['sr25519PairFromSeed(seed)', 32, (x) => api.sr25519PairFromSeed(x)],
  ['sr25519PublicFromSecret(secret)', 64, (x) => api.sr25519PublicFromSecret(x)],
  ['sr25519Sign(secret)', 64, (x) => api.sr25519Sign(x, msg)],
  ['sr25519Sign(message)', undefined, (x) => api.sr25519Sign(sr.secretKey, x)],
  ['sr25519Verify(signature)', 64, (x) => api.sr25519Verify(x, msg, sr.publicKey)],
  ['sr25519Verify(message)', undefined, (x) => api.sr25519Verify(srSig, x, sr.publicKey)],
  ['sr25519Verify(publicKey)', 32, (x) => api.sr25519Verify(srSig, msg, x)],
  ['sr25519SecretFromCanonical', 64, (x) => api.sr25519SecretFromCanonical(x)],
  ['sr25519SecretToCanonical', 64, (x) => api.sr25519SecretToCanonical(x)],
  ['sr25519DeriveHard(secret)', 64, (x) => api.sr25519DeriveHard(x, new Uint8Array(32))],
  ['sr25519DeriveHard(chainCode)', 32, (x) => api.sr25519DeriveHard(sr.secretKey, x)],
  ['sr25519DeriveSoft(secret)', 64, (x) => api.sr25519DeriveSoft(x, new Uint8Array(32))],
  ['sr25519DeriveSoft(chainCode)', 32, (x) => api.sr25519DeriveSoft(sr.secretKey, x)],
  ['sr25519DerivePublicSoft(pub)', 32, (x) => api.sr25519DerivePublicSoft(x, new Uint8Array(32))],
  ['sr25519DerivePublicSoft(cc)', 32, (x) => api.sr25519DerivePublicSoft(sr.publicKey, x)],
  ['ed25519PairFromSeed(seed)', 32, (x) => api.ed25519PairFromSeed(x)],
  ['ed25519Sign(secret)', 64, (x) => api.ed25519Sign(x, msg)],
  ['ed25519Sign(message)', undefined, (x) => api.ed25519Sign(ed.secretKey, x)],
  ['ed25519Verify(signature)', 64, (x) => api.ed25519Verify(x, msg, ed.publicKey)],
  ['ed25519Verify(message)', undefined, (x) => api.ed25519Verify(edSig, x, ed.publicKey)],
  ['ed25519Verify(publicKey)', 32, (x) => api.ed25519Verify(edSig, msg, x)],
  ['ed25519DeriveHard(seed)', 32, (x) => api.ed25519DeriveHard(x, new Uint8Array(32))],
  ['ed25519DeriveHard(chainCode)', 32, (x) => api.ed25519DeriveHard(new Uint8Array(32), x)],
  ['keypairFromSeed(seed)', 32, (x) => api.keypairFromSeed(x)],
  ['keypairFromSeed(seed, ed25519)', 32, (x) => api.keypairFromSeed(x, 'ed25519')],
  ['signatureVerify(message)', undefined, (x) => api.signatureVerify(x, srSig, sr.publicKey)],
  ['signatureVerify(signature)', 64, (x) => api.signatureVerify(msg, x, sr.publicKey)],
  ['signatureVerify(publicKey)', 32, (x) => api.signatureVerify(msg, srSig, x)],
  ['verifyWrapped(message)', undefined, (x) => api.verifyWrapped(x, srSig, sr.publicKey)],
  ['verifyWrapped(signature)', 64, (x) => api.verifyWrapped(msg, x, sr.publicKey)],
  ['verifyWrapped(publicKey)', 32, (x) => api.verifyWrapped(msg, srSig, x)],
  ['Keypair.sign(message)', undefined, (x) => api.devKeypair('Bob').sign(x)],
];

describe('bad input', () => {
  for (const [name, length, call] of BYTE_ARGS) {
    it(`${name}: TypeError for non-Uint8Array${length === undefined ? '' : ', RangeError for wrong size'}`, () => {
      for (const bad of WRONG_TYPES) {
        assert.throws(() => call(bad as never), {
          name: 'TypeError',
          message: /must be a Uint8Array/,
        });
      }
      if (length !== undefined) {
        for (const size of [0, 1, length - 1, length + 1, 2 * length + 1]) {
          assert.throws(() => call(new Uint8Array(size) as never), {
            name: 'RangeError',
            message: new RegExp(`must be ${length} bytes, got ${size}`),
          });
        }
      }
    });
  }

  it('Buffer is accepted as a Uint8Array', () => {
    const seed = Buffer.alloc(32, 5);
    assert.deepEqual(api.sr25519PairFromSeed(seed).publicKey, sr.publicKey);
  });

  it('verify functions return false for 64-byte garbage instead of throwing', () => {
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff);
    const marked = garbage.slice();
    marked[63] = marked[63]! | 0x80;
    for (const sig of [garbage, marked, new Uint8Array(64), new Uint8Array(64).fill(0xff)]) {
      assert.equal(api.sr25519Verify(sig, msg, sr.publicKey), false);
      assert.equal(api.ed25519Verify(sig, msg, ed.publicKey), false);
      assert.deepEqual(api.signatureVerify(msg, sig, sr.publicKey), { valid: false });
      assert.equal(api.verifyWrapped(msg, sig, sr.publicKey), false);
      assert.equal(api.verifyWrapped(msg, sig, ed.publicKey, 'ed25519'), false);
    }
  });

  it('string-taking functions reject non-strings with TypeError', () => {
    for (const bad of [
      undefined,
      null,
      1,
      new Uint8Array(4),
      ['//Alice'],
      { toString: () => '//Alice' },
    ]) {
      assert.throws(() => api.parseSuri(bad as never), TypeError);
      assert.throws(() => api.keypairFromUri(bad as never), TypeError);
      assert.throws(() => api.keypairFromMnemonic(bad as never), TypeError);
      assert.throws(() => api.mnemonicToEntropy(bad as never), TypeError);
      assert.throws(() => api.junctionChainCode(bad as never), TypeError);
      assert.equal(api.mnemonicValidate(bad as never), false);
    }
  });

  it('keypair type must be sr25519 or ed25519', () => {
    for (const bad of ['ecdsa', 'SR25519', '', null, 1]) {
      assert.throws(() => api.keypairFromUri('//Alice', bad as never), RangeError);
      assert.throws(() => api.keypairFromSeed(new Uint8Array(32), bad as never), RangeError);
      assert.throws(() => api.keypairFromMnemonic(api.DEV_PHRASE, bad as never), RangeError);
      assert.throws(() => api.verifyWrapped(msg, srSig, sr.publicKey, bad as never), RangeError);
    }
  });
});
