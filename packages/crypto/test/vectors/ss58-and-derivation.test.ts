import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  keypairFromMnemonic,
  keypairFromUri,
  mnemonicToEntropy,
  mnemonicToMiniSecret,
  mnemonicValidate,
  parseSuri,
  sr25519PairFromSeed,
  sr25519PublicFromSecret,
  sr25519SecretFromCanonical,
  sr25519SecretToCanonical,
  sr25519Sign,
  sr25519Verify,
} from '../../src/index.js';
import { hex, toHex } from '../helpers.js';

interface MnemonicVector {
  mnemonic: string;
  words: number;
  entropy: string;
  mini_secret: string;
  public_key: string;
  ss58: string;
  secret_key_ed25519_form: string;
  secret_key_canonical_form: string;
  scalar_canonical_le: string;
}
interface DerivationVector {
  uri: string;
  base_mnemonic: string;
  path: string;
  public_key: string;
  ss58: string;
}
const file = JSON.parse(
  readFileSync(new URL('./ss58_and_derivation.json', import.meta.url), 'utf8'),
) as { mnemonics: MnemonicVector[]; derivations: DerivationVector[] };

describe('ss58_and_derivation.json: mnemonics', () => {
  assert.ok(file.mnemonics.length >= 4);
  for (const v of file.mnemonics) {
    it(`${v.mnemonic.split(' ').slice(0, 3).join(' ')}… (${v.words} words)`, () => {
      assert.equal(mnemonicValidate(v.mnemonic), true);
      assert.equal(v.mnemonic.split(' ').length, v.words);
      assert.equal(toHex(mnemonicToEntropy(v.mnemonic)), v.entropy);
      const mini = mnemonicToMiniSecret(v.mnemonic);
      assert.equal(toHex(mini), v.mini_secret);

      const raw = sr25519PairFromSeed(mini);
      assert.equal(toHex(raw.publicKey), v.public_key);
      assert.equal(toHex(raw.secretKey), v.secret_key_ed25519_form);
      assert.equal(toHex(sr25519SecretToCanonical(raw.secretKey)), v.secret_key_canonical_form);
      assert.equal(v.secret_key_canonical_form.slice(0, 66), v.scalar_canonical_le);
      assert.equal(
        toHex(sr25519SecretFromCanonical(hex(v.secret_key_canonical_form))),
        v.secret_key_ed25519_form,
      );
      assert.equal(toHex(sr25519PublicFromSecret(hex(v.secret_key_ed25519_form))), v.public_key);

      const pair = keypairFromMnemonic(v.mnemonic);
      assert.equal(pair.type, 'sr25519');
      assert.equal(toHex(pair.publicKey), v.public_key);
      assert.equal(pair.address(), v.ss58);
      assert.equal(pair.address(42), v.ss58);
      // A key built from the btwallet canonical secret signs for the same public key.
      const fromCanonical = sr25519SecretFromCanonical(hex(v.secret_key_canonical_form));
      const msg = new TextEncoder().encode(v.ss58);
      assert.equal(sr25519Verify(sr25519Sign(fromCanonical, msg), msg, hex(v.public_key)), true);
    });
  }
});

describe('ss58_and_derivation.json: derivations', () => {
  assert.ok(file.derivations.length >= 8);
  for (const v of file.derivations) {
    it(v.uri, () => {
      const parsed = parseSuri(v.uri);
      assert.equal(parsed.phrase, v.base_mnemonic);
      assert.equal(parsed.path.length, v.path.split(/\/+/).filter(Boolean).length);
      const pair = keypairFromUri(v.uri);
      assert.equal(toHex(pair.publicKey), v.public_key);
      assert.equal(pair.address(), v.ss58);
      // Soft junctions randomise the secret nonce: re-deriving must still give the same public key.
      assert.equal(keypairFromUri(v.uri).address(), v.ss58);
      // Writing the base mnemonic explicitly gives the same key as the URI in the file.
      assert.equal(keypairFromUri(`${v.base_mnemonic}${v.path}`).address(), v.ss58);
      const msg = new Uint8Array([1, 2, 3]);
      assert.equal(sr25519Verify(pair.sign(msg), msg, hex(v.public_key)), true);
    });
  }
});
