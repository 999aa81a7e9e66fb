import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../test/helpers.js';
import {
  type MnemonicLength,
  mnemonicGenerate,
  mnemonicToEntropy,
  mnemonicToMiniSecret,
  mnemonicValidate,
} from './mnemonic.js';
import { DEV_PHRASE } from './suri.js';

const ABANDON = `${'abandon '.repeat(11)}about`;

describe('mnemonic', () => {
  it('generates valid phrases of every allowed length with the right entropy size', () => {
    const lengths: MnemonicLength[] = [12, 15, 18, 21, 24];
    for (const words of lengths) {
      const phrase = mnemonicGenerate(words);
      assert.equal(phrase.split(' ').length, words);
      assert.equal(mnemonicValidate(phrase), true);
      assert.equal(mnemonicToEntropy(phrase).length, (words / 3) * 4);
    }
    assert.equal(mnemonicGenerate().split(' ').length, 12);
    assert.notEqual(mnemonicGenerate(), mnemonicGenerate());
  });

  it('known entropy and mini secret (Substrate: PBKDF2 over entropy, not the BIP39 seed)', () => {
    assert.equal(toHex(mnemonicToEntropy(ABANDON)), `0x${'00'.repeat(16)}`);
    assert.equal(
      toHex(mnemonicToMiniSecret(ABANDON)),
      '0x4ed8d4b17698ddeaa1f1559f152f87b5d472f725ca86d341bd0276f1b61197e2',
    );
    // The BIP39 seed of this phrase (empty passphrase) begins 5eb00bbd...; the mini secret must not.
    assert.ok(!toHex(mnemonicToMiniSecret(ABANDON)).startsWith('0x5eb00bbd'));
    assert.equal(
      toHex(mnemonicToMiniSecret(DEV_PHRASE)),
      '0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e',
    );
  });

  it('password changes the mini secret; empty password is the default', () => {
    assert.deepEqual(mnemonicToMiniSecret(DEV_PHRASE, ''), mnemonicToMiniSecret(DEV_PHRASE));
    assert.notDeepEqual(mnemonicToMiniSecret(DEV_PHRASE, 'pw'), mnemonicToMiniSecret(DEV_PHRASE));
  });

  it('tolerates extra whitespace between words like sp-core', () => {
    const spaced = `  ${DEV_PHRASE.split(' ').join('  \t')}\n`;
    assert.equal(mnemonicValidate(spaced), true);
    assert.deepEqual(mnemonicToMiniSecret(spaced), mnemonicToMiniSecret(DEV_PHRASE));
  });

  it('rejects bad checksums, unknown words and wrong word counts', () => {
    const badChecksum = `${'abandon '.repeat(11)}abandon`;
    assert.equal(mnemonicValidate(badChecksum), false);
    assert.throws(() => mnemonicToEntropy(badChecksum), {
      name: 'RangeError',
      message: /checksum/,
    });
    assert.throws(() => mnemonicToMiniSecret(badChecksum), /checksum/);
    const unknown = DEV_PHRASE.replace('walk', 'walks');
    assert.equal(mnemonicValidate(unknown), false);
    assert.throws(() => mnemonicToEntropy(unknown), /"walks" is not in the BIP39 English list/);
    for (const bad of ['', 'bottom drive obey', `${DEV_PHRASE} walk`, DEV_PHRASE.toUpperCase()]) {
      assert.equal(mnemonicValidate(bad), false);
      assert.throws(() => mnemonicToEntropy(bad), RangeError);
    }
    assert.throws(() => mnemonicToEntropy('abandon '.repeat(500)), /too long/);
  });

  it('rejects wrong-typed arguments', () => {
    for (const bad of [undefined, null, 12, new Uint8Array(16), ['abandon']]) {
      assert.equal(mnemonicValidate(bad as never), false);
      assert.throws(() => mnemonicToEntropy(bad as never), TypeError);
      assert.throws(() => mnemonicToMiniSecret(bad as never), TypeError);
    }
    assert.throws(() => mnemonicToMiniSecret(DEV_PHRASE, 5 as never), TypeError);
    assert.throws(() => mnemonicGenerate(13 as never), RangeError);
    assert.throws(() => mnemonicGenerate('12' as never), TypeError);
  });
});
