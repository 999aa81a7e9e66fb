import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import * as bip39 from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { assertString, utf8 } from './assert.js';

/** Word counts a BIP39 mnemonic may have. */
export type MnemonicLength = 12 | 15 | 18 | 21 | 24;

const STRENGTH: Record<MnemonicLength, number> = { 12: 128, 15: 160, 18: 192, 21: 224, 24: 256 };
/** Longest mnemonic text accepted (24 words of at most 8 letters plus separators, with slack). */
const MAX_MNEMONIC_CHARS = 1024;

/** Splits on any whitespace, as sp-core's bip39 parser does, and rejoins with single spaces. */
function normalizePhrase(mnemonic: string): string {
  return mnemonic.normalize('NFKD').trim().split(/\s+/u).join(' ');
}

function checkedPhrase(mnemonic: unknown): string {
  assertString(mnemonic, 'mnemonic');
  if (mnemonic.length > MAX_MNEMONIC_CHARS) {
    throw new RangeError(`mnemonic is too long (${mnemonic.length} chars)`);
  }
  const phrase = normalizePhrase(mnemonic);
  const words = phrase === '' ? 0 : phrase.split(' ').length;
  if (!(words in STRENGTH)) {
    throw new RangeError(`mnemonic must have 12, 15, 18, 21 or 24 words, got ${words}`);
  }
  for (const word of phrase.split(' ')) {
    if (!wordlist.includes(word)) {
      throw new RangeError(`mnemonic word "${word.slice(0, 16)}" is not in the BIP39 English list`);
    }
  }
  if (!bip39.validateMnemonic(phrase, wordlist)) {
    throw new RangeError('mnemonic checksum is invalid');
  }
  return phrase;
}

/**
 * Generates a random English BIP39 mnemonic with 12 (default), 15, 18, 21 or 24 words.
 * @example
 * import { mnemonicGenerate } from '@taoscript/crypto';
 * const phrase = mnemonicGenerate(24);
 */
export function mnemonicGenerate(words: MnemonicLength = 12): string {
  if (typeof words !== 'number') {
    throw new TypeError(`mnemonic word count must be a number, got ${typeof words}`);
  }
  const strength = STRENGTH[words];
  if (strength === undefined) {
    throw new RangeError(`mnemonic word count must be 12, 15, 18, 21 or 24, got ${String(words)}`);
  }
  return bip39.generateMnemonic(wordlist, strength);
}

/**
 * True when `mnemonic` is a valid English BIP39 phrase (words and checksum); never throws.
 * @example
 * import { DEV_PHRASE, mnemonicValidate } from '@taoscript/crypto';
 * mnemonicValidate(DEV_PHRASE); // true
 */
export function mnemonicValidate(mnemonic: string): boolean {
  try {
    checkedPhrase(mnemonic);
    return true;
  } catch {
    return false;
  }
}

/**
 * BIP39 entropy (16..32 bytes) of a valid English mnemonic; throws RangeError when invalid.
 * @example
 * import { DEV_PHRASE, mnemonicToEntropy } from '@taoscript/crypto';
 * mnemonicToEntropy(DEV_PHRASE).length; // 16
 */
export function mnemonicToEntropy(mnemonic: string): Uint8Array {
  return bip39.mnemonicToEntropy(checkedPhrase(mnemonic), wordlist);
}

/**
 * Substrate mini secret: PBKDF2-HMAC-SHA512(entropy, "mnemonic" + password, 2048)[0..32].
 * This is not the BIP39 seed (which hashes the phrase text instead of its entropy).
 * @example
 * import { DEV_PHRASE, mnemonicToMiniSecret } from '@taoscript/crypto';
 * const seed = mnemonicToMiniSecret(DEV_PHRASE);
 */
export function mnemonicToMiniSecret(mnemonic: string, password = ''): Uint8Array {
  assertString(password, 'password');
  const entropy = mnemonicToEntropy(mnemonic);
  const salt = utf8(`mnemonic${password}`);
  return pbkdf2(sha512, entropy, salt, { c: 2048, dkLen: 64 }).slice(0, 32);
}
