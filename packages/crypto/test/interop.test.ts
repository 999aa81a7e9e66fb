// Interoperability with @polkadot/keyring / @polkadot/util-crypto (schnorrkel via wasm) as oracles.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import {
  cryptoWaitReady,
  mnemonicToMiniSecret as pjsMiniSecret,
  mnemonicValidate as pjsMnemonicValidate,
  signatureVerify as pjsSignatureVerify,
  sr25519PairFromSeed as pjsSr25519PairFromSeed,
} from '@polkadot/util-crypto';
import fc from 'fast-check';
import {
  DEV_ACCOUNT_NAMES,
  DEV_PHRASE,
  devKeypair,
  ed25519Verify,
  type KeypairType,
  keypairFromUri,
  mnemonicGenerate,
  mnemonicToMiniSecret,
  parseSuri,
  sr25519DerivePublicSoft,
  sr25519PairFromSeed,
  sr25519Verify,
} from '../src/index.js';
import { fcParams } from './helpers.js';

const LEGAL = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const SEED = `0x${'5c'.repeat(16)}${'a3'.repeat(16)}`;
const URIS = [
  '//Alice',
  '//Bob//stash',
  '//Alice/soft',
  '//1/2//3',
  '//0',
  '//18446744073709551615',
  `//${'long junction name over thirty-two bytes'.repeat(2)}`,
  '//unicode-ñ-✓/🙂',
  `${LEGAL}///password`,
  `${LEGAL}//hot//0///password`,
  `${LEGAL}//hot/soft/1///pass/with/slashes`,
  `${DEV_PHRASE}//Alice`,
  SEED,
  `${SEED}//a`,
  `${SEED}//a/b//7`,
  `${SEED}///ignored`,
];
const hardOnly = (uri: string): boolean => parseSuri(uri).path.every((j) => j.hard);

describe('interop with @polkadot/keyring', () => {
  let sr: Keyring;
  let ed: Keyring;
  before(async () => {
    await cryptoWaitReady();
    sr = new Keyring({ type: 'sr25519', ss58Format: 42 });
    ed = new Keyring({ type: 'ed25519', ss58Format: 42 });
  });

  for (const uri of URIS) {
    it(`address of ${uri.slice(0, 60)}`, () => {
      assert.equal(keypairFromUri(uri).address(), sr.addFromUri(uri).address);
      if (hardOnly(uri)) {
        assert.equal(keypairFromUri(uri, 'ed25519').address(), ed.addFromUri(uri).address);
      } else {
        assert.throws(() => keypairFromUri(uri, 'ed25519'), /soft/);
      }
    });
  }

  it('dev accounts match keyring //Name', () => {
    for (const name of DEV_ACCOUNT_NAMES) {
      assert.equal(devKeypair(name).address(), sr.addFromUri(`//${name}`).address);
    }
  });

  it('sr25519 expansion and soft public derivation match util-crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const ours = sr25519PairFromSeed(seed);
        const theirs = pjsSr25519PairFromSeed(seed);
        assert.deepEqual(ours.publicKey, theirs.publicKey);
        assert.deepEqual(ours.secretKey, theirs.secretKey);
      }),
      fcParams(20),
    );
    const alice = sr.addFromUri('//Alice');
    const soft = sr.addFromUri('//Alice/soft');
    const cc = parseSuri('/soft').path[0]!.chainCode;
    assert.deepEqual(sr25519DerivePublicSoft(alice.publicKey, cc), soft.publicKey);
  });

  it('mini secrets (with password) match util-crypto, and generated phrases validate there', () => {
    for (const password of ['', 'pw', 'p@ss wörd']) {
      assert.deepEqual(mnemonicToMiniSecret(LEGAL, password), pjsMiniSecret(LEGAL, password));
    }
    for (const words of [12, 15, 18, 21, 24] as const) {
      const phrase = mnemonicGenerate(words);
      assert.equal(pjsMnemonicValidate(phrase), true);
      assert.deepEqual(mnemonicToMiniSecret(phrase), pjsMiniSecret(phrase));
    }
  });

  for (const type of ['sr25519', 'ed25519'] as KeypairType[]) {
    it(`${type}: each side verifies the other's signatures`, () => {
      const keyring = type === 'sr25519' ? sr : ed;
      const uri = `${LEGAL}//hot//3`;
      const ours = keypairFromUri(uri, type);
      const theirs = keyring.addFromUri(uri);
      assert.deepEqual(ours.publicKey, theirs.publicKey);
      const verify = type === 'sr25519' ? sr25519Verify : ed25519Verify;
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (message) => {
          const ourSig = ours.sign(message);
          assert.equal(theirs.verify(message, ourSig, ours.publicKey), true);
          assert.deepEqual(
            { valid: pjsSignatureVerify(message, ourSig, ours.publicKey).isValid },
            { valid: true },
          );
          const theirSig = theirs.sign(message);
          assert.equal(verify(theirSig, message, theirs.publicKey), true);
          const tampered = Uint8Array.from([...message, 0]);
          assert.equal(verify(theirSig, tampered, theirs.publicKey), false);
          assert.equal(theirs.verify(tampered, ourSig, ours.publicKey), false);
        }),
        fcParams(type === 'sr25519' ? 15 : 40),
      );
    });
  }
});
