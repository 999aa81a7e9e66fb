import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  keypairFromMnemonic,
  keypairFromUri,
  signatureVerify,
  sr25519Verify,
  verifyWrapped,
} from '../../src/index.js';
import { hex, toHex, utf8 } from '../helpers.js';

interface SignatureCase {
  id: string;
  kind: string;
  signer: 'dendrite' | 'axon';
  message: string;
  message_utf8_hex: string;
  public_key: string;
  signer_ss58: string;
  signature: string;
  signature_alt: string;
  signature_over_bytes_wrapped_message: string;
  tampered_message: string;
  tampered_must_verify: boolean;
}
const file = JSON.parse(
  readFileSync(new URL('./signature_message.json', import.meta.url), 'utf8'),
) as {
  keys: {
    dendrite_hotkey: { mnemonic: string; ss58: string; public_key: string };
    axon_hotkey: { uri: string; ss58: string; public_key: string };
  };
  cases: SignatureCase[];
};

describe('signature_message.json', () => {
  it('signer keys derive to the listed public keys', () => {
    const dendrite = keypairFromMnemonic(file.keys.dendrite_hotkey.mnemonic);
    assert.equal(toHex(dendrite.publicKey), file.keys.dendrite_hotkey.public_key);
    assert.equal(dendrite.address(), file.keys.dendrite_hotkey.ss58);
    const axon = keypairFromUri(file.keys.axon_hotkey.uri);
    assert.equal(toHex(axon.publicKey), file.keys.axon_hotkey.public_key);
    assert.equal(axon.address(), file.keys.axon_hotkey.ss58);
  });

  assert.equal(file.cases.length, 3);
  for (const c of file.cases) {
    describe(c.id, () => {
      const message = utf8(c.message);
      const publicKey = hex(c.public_key);

      it('message bytes are the UTF-8 of the message text', () => {
        assert.equal(toHex(message), `0x${c.message_utf8_hex}`);
      });

      it('both listed signatures verify (they differ: sr25519 is randomised)', () => {
        assert.notEqual(c.signature, c.signature_alt);
        for (const sig of [c.signature, c.signature_alt]) {
          assert.equal(sr25519Verify(hex(sig), message, publicKey), true);
          assert.deepEqual(signatureVerify(message, hex(sig), publicKey), {
            valid: true,
            type: 'sr25519',
          });
          assert.equal(verifyWrapped(message, hex(sig), publicKey), true);
        }
      });

      it('<Bytes>-wrapped signature fails raw verify and passes verifyWrapped', () => {
        const sig = hex(c.signature_over_bytes_wrapped_message);
        assert.equal(sr25519Verify(sig, message, publicKey), false);
        assert.deepEqual(signatureVerify(message, sig, publicKey), { valid: false });
        assert.equal(sr25519Verify(sig, utf8(`<Bytes>${c.message}</Bytes>`), publicKey), true);
        assert.equal(verifyWrapped(message, sig, publicKey), true);
      });

      it('tampered message fails', () => {
        assert.equal(c.tampered_must_verify, false);
        const tampered = utf8(c.tampered_message);
        for (const sig of [c.signature, c.signature_alt, c.signature_over_bytes_wrapped_message]) {
          assert.equal(sr25519Verify(hex(sig), tampered, publicKey), false);
          assert.equal(verifyWrapped(tampered, hex(sig), publicKey), false);
        }
      });

      it('signature does not verify under the other party key', () => {
        const other =
          c.signer === 'axon'
            ? file.keys.dendrite_hotkey.public_key
            : file.keys.axon_hotkey.public_key;
        assert.equal(sr25519Verify(hex(c.signature), message, hex(other)), false);
      });

      it('our own signature of the message verifies', () => {
        const pair =
          c.signer === 'axon'
            ? keypairFromUri(file.keys.axon_hotkey.uri)
            : keypairFromMnemonic(file.keys.dendrite_hotkey.mnemonic);
        assert.equal(pair.address(), c.signer_ss58);
        const sig = pair.sign(message);
        assert.equal(sr25519Verify(sig, message, publicKey), true);
        assert.equal(sr25519Verify(sig, tampered(message), publicKey), false);
      });
    });
  }
});

function tampered(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[0] = copy[0]! ^ 1;
  return copy;
}
