/**
 * The `$NACL` box (XSalsa20-Poly1305 under `$NACL` ‖ nonce) with the key derivation passed in, so
 * it runs anywhere: nacl.ts derives in a Node worker, the browser entry on the calling thread.
 */
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { WalletError } from './errors.js';
import type { KdfOptions } from './kdf-params.js';

/** ASCII `$NACL`, the first bytes of a btwallet-encrypted keyfile. */
export const NACL_PREFIX: Uint8Array = Uint8Array.of(0x24, 0x4e, 0x41, 0x43, 0x4c);
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
/** Smallest well-formed `$NACL` file: prefix, nonce and a tag over empty plaintext. */
export const NACL_MIN_LENGTH = NACL_PREFIX.length + NONCE_BYTES + TAG_BYTES;

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('key must be a Uint8Array');
  if (key.length !== 32) throw new RangeError(`key must be 32 bytes, got ${key.length}`);
}

/** Throws `KEYFILE_CORRUPT` unless `data` has the `$NACL` layout (checked before asking for a password). */
export function assertNaclStructure(data: Uint8Array, path?: string): void {
  if (data.length < NACL_MIN_LENGTH) {
    throw new WalletError(
      'KEYFILE_CORRUPT',
      `Encrypted keyfile is truncated (${data.length} bytes, at least ${NACL_MIN_LENGTH} expected)`,
      path === undefined ? {} : { path },
    );
  }
}

/**
 * `$NACL` ‖ nonce ‖ secretbox(key, nonce, plaintext) with an already-derived key.
 * The nonce is random unless given (a fixed nonce is for known-answer tests only).
 */
export function naclSealWithKey(
  plaintext: Uint8Array,
  key: Uint8Array,
  nonce: Uint8Array = crypto.getRandomValues(new Uint8Array(NONCE_BYTES)),
): Uint8Array {
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('plaintext must be a Uint8Array');
  checkKey(key);
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) {
    throw new RangeError(`nonce must be ${NONCE_BYTES} bytes`);
  }
  const box = xsalsa20poly1305(key, nonce).encrypt(plaintext);
  const out = new Uint8Array(NACL_PREFIX.length + NONCE_BYTES + box.length);
  out.set(NACL_PREFIX, 0);
  out.set(nonce, NACL_PREFIX.length);
  out.set(box, NACL_PREFIX.length + NONCE_BYTES);
  return out;
}

/** Opens a `$NACL` file with an already-derived key; `KEYFILE_DECRYPT_FAILED` when the tag does not verify. */
export function naclOpenWithKey(data: Uint8Array, key: Uint8Array, path?: string): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  checkKey(key);
  assertNaclStructure(data, path);
  const nonce = data.subarray(NACL_PREFIX.length, NACL_PREFIX.length + NONCE_BYTES);
  const box = data.subarray(NACL_PREFIX.length + NONCE_BYTES);
  try {
    return xsalsa20poly1305(key, nonce).decrypt(box);
  } catch (cause) {
    throw new WalletError('KEYFILE_DECRYPT_FAILED', 'Wrong password for keyfile decryption', {
      ...(path === undefined ? {} : { path }),
      cause,
      meta: ['The secretbox authentication tag did not verify (wrong password or damaged file).'],
    });
  }
}

/** Options for decrypting keyfile bytes. */
export interface DecryptKeyfileOptions extends KdfOptions {
  /** File name for error messages. */
  path?: string;
}

/** Derives the 32-byte `$NACL` key of a password (Argon2i with btwallet's parameters). */
export type NaclKeyDerivation = (password: string, opts: KdfOptions) => Promise<Uint8Array>;

/** {@link naclSealWithKey} under the key `derive` gives for `password` (wiped afterwards). */
export async function encryptNaclWith(
  derive: NaclKeyDerivation,
  plaintext: Uint8Array,
  password: string,
  opts: KdfOptions = {},
): Promise<Uint8Array> {
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('plaintext must be a Uint8Array');
  const key = await derive(password, opts);
  try {
    return naclSealWithKey(plaintext, key);
  } finally {
    key.fill(0);
  }
}

/** {@link naclOpenWithKey} under the key `derive` gives for `password` (structure checked first). */
export async function decryptNaclWith(
  derive: NaclKeyDerivation,
  data: Uint8Array,
  password: string,
  opts: DecryptKeyfileOptions = {},
): Promise<Uint8Array> {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  assertNaclStructure(data, opts.path);
  const key = await derive(password, opts);
  try {
    return naclOpenWithKey(data, key, opts.path);
  } finally {
    key.fill(0);
  }
}
