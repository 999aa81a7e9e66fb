/**
 * Keyfile bytes in memory, in a browser: `$NACL` encryption and decryption (btwallet's format)
 * with the Argon2i of browser/kdf.ts. The legacy formats (ansible-vault, Fernet) need Node's
 * crypto and are refused here with `KEYFILE_UNSUPPORTED`.
 */
import { WalletError } from '../wallet/errors.js';
import type { KdfOptions } from '../wallet/kdf-params.js';
import { keyfileEncryption } from '../wallet/keyfile-encryption.js';
import {
  type DecryptKeyfileOptions,
  decryptNaclWith,
  encryptNaclWith,
} from '../wallet/nacl-box.js';
import { deriveNaclKey } from './kdf.js';

export type { DecryptKeyfileOptions } from '../wallet/nacl-box.js';

/**
 * Encrypts keyfile plaintext as btwallet does (`$NACL`: Argon2i, then XSalsa20-Poly1305).
 * @example
 * import { encryptNacl } from '@taoscript/sdk/browser';
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
 * Decrypts `$NACL` keyfile bytes with a password.
 * @example
 * import { decryptNacl } from '@taoscript/sdk/browser';
 * const plaintext = await decryptNacl(fileBytes, 'a strong password');
 */
export function decryptNacl(
  data: Uint8Array,
  password: string,
  opts: DecryptKeyfileOptions = {},
): Promise<Uint8Array> {
  return decryptNaclWith(deriveNaclKey, data, password, opts);
}

/**
 * Decrypts keyfile bytes: `$NACL` with the password, plaintext returned unchanged; ansible-vault
 * and Fernet files are refused (`KEYFILE_UNSUPPORTED`: open them with the Node SDK or btcli).
 * @example
 * import { decryptKeyfileData, deserializeKeyfileData } from '@taoscript/sdk/browser';
 * const key = deserializeKeyfileData(await decryptKeyfileData(fileBytes, 'password'));
 */
export async function decryptKeyfileData(
  data: Uint8Array,
  password: string,
  opts: DecryptKeyfileOptions = {},
): Promise<Uint8Array> {
  const kind = keyfileEncryption(data);
  if (kind === 'nacl') return decryptNacl(data, password, opts);
  if (kind === 'none') return data.slice();
  throw new WalletError('KEYFILE_UNSUPPORTED', `Legacy ${kind} keyfiles cannot be opened here`, {
    ...(opts.path === undefined ? {} : { path: opts.path }),
    meta: ['Decrypt it with the Node SDK, which can re-encrypt it as $NACL.'],
  });
}

/**
 * Encrypts keyfile plaintext as `$NACL` (the only format written).
 * @example
 * import { encryptKeyfileData } from '@taoscript/sdk/browser';
 * const file = await encryptKeyfileData(plaintext, 'password');
 */
export function encryptKeyfileData(
  data: Uint8Array,
  password: string,
  opts: KdfOptions = {},
): Promise<Uint8Array> {
  return encryptNacl(data, password, opts);
}
