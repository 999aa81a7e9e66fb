import { deriveNaclKey, type KdfOptions } from './kdf.js';
import { type DecryptKeyfileOptions, decryptNaclWith, encryptNaclWith } from './nacl-box.js';

export {
  assertNaclStructure,
  NACL_MIN_LENGTH,
  NACL_PREFIX,
  naclOpenWithKey,
  naclSealWithKey,
} from './nacl-box.js';

/**
 * Encrypts keyfile plaintext as btwallet does: Argon2i (fixed salt, 512 MiB, 8 passes) then
 * XSalsa20-Poly1305 with a random nonce, prefixed by `$NACL`.
 * @example
 * import { encryptNacl } from '@taoscript/sdk';
 * const file = await encryptNacl(new TextEncoder().encode('{}'), 'a strong password');
 */
export function encryptNacl(
  plaintext: Uint8Array,
  password: string,
  opts: KdfOptions = {},
): Promise<Uint8Array> {
  return encryptNaclWith(deriveNaclKey, plaintext, password, opts);
}

/**
 * Decrypts a `$NACL` keyfile with a password (runs the 512 MiB Argon2i).
 * @example
 * import { decryptNacl } from '@taoscript/sdk';
 * const plaintext = await decryptNacl(fileBytes, 'a strong password');
 */
export function decryptNacl(
  data: Uint8Array,
  password: string,
  opts: DecryptKeyfileOptions = {},
): Promise<Uint8Array> {
  return decryptNaclWith(deriveNaclKey, data, password, opts);
}
