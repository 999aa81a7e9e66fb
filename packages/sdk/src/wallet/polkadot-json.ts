import { scrypt } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { z } from 'zod';
import { WalletError } from './errors.js';
import { type KdfOptions, passwordToBytes, withProgress } from './kdf.js';
import { WalletKey } from './key.js';

const MAX_JSON_CHARS = 64 * 1024;
const PKCS8_HEADER = Uint8Array.of(48, 83, 2, 1, 1, 48, 5, 6, 3, 43, 101, 112, 4, 34, 4, 32);
const PKCS8_DIVIDER = Uint8Array.of(161, 35, 3, 33, 0);
const SECRET_LENGTH = 64;
const PUBLIC_LENGTH = 32;
/** Largest scrypt memory (128·N·r bytes) we agree to spend on an imported file. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

const PolkadotJson = z.object({
  encoded: z.string().max(16 * 1024),
  encoding: z.object({
    content: z.array(z.string().max(64)).max(8),
    type: z.array(z.string().max(64)).max(8),
    version: z.string().max(8),
  }),
  address: z.string().max(128).optional(),
});

function unsupported(message: string): WalletError {
  return new WalletError('KEYFILE_UNSUPPORTED', message);
}

function corrupt(message: string): WalletError {
  return new WalletError('KEYFILE_CORRUPT', message);
}

function equalAt(data: Uint8Array, offset: number, expected: Uint8Array): boolean {
  if (offset + expected.length > data.length) return false;
  for (let i = 0; i < expected.length; i++) if (data[offset + i] !== expected[i]) return false;
  return true;
}

function readU32(data: Uint8Array, offset: number): number {
  return new DataView(data.buffer, data.byteOffset + offset, 4).getUint32(0, true);
}

function scryptKey(
  password: Uint8Array,
  salt: Uint8Array,
  N: number,
  r: number,
  p: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, 32, { N, r, p, maxmem: 2 * 128 * N * r + 1024 * 1024 }, (error, key) => {
      if (error) reject(error);
      else resolve(new Uint8Array(key));
    });
  });
}

/**
 * Imports a polkadot.js JSON account export (encoding version 3, scrypt + xsalsa20-poly1305,
 * sr25519 only), as btwallet's regen from JSON does: the key keeps only its private key.
 * @example
 * import { walletKeyFromPolkadotJson } from '@taoscript/sdk';
 * const key = await walletKeyFromPolkadotJson(jsonText, 'export password');
 */
export async function walletKeyFromPolkadotJson(
  json: string,
  passphrase: string,
  opts: KdfOptions = {},
): Promise<WalletKey> {
  if (typeof json !== 'string') throw new TypeError('json must be a string');
  if (json.length > MAX_JSON_CHARS) throw new RangeError('polkadot.js JSON is too large');
  const passphraseBytes = passwordToBytes(passphrase);
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(json);
  } catch (cause) {
    throw new WalletError('KEYFILE_CORRUPT', 'polkadot.js export is not valid JSON', { cause });
  }
  const parsed = PolkadotJson.safeParse(parsedJson);
  if (!parsed.success) {
    throw new WalletError('KEYFILE_CORRUPT', 'polkadot.js export has the wrong shape', {
      details: parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    });
  }
  const { encoded, encoding } = parsed.data;
  if (encoding.version !== '3') {
    throw unsupported(`polkadot.js export version ${encoding.version} is not supported (need 3)`);
  }
  if (!encoding.content.includes('sr25519')) {
    throw unsupported('Only sr25519 polkadot.js exports can be imported (as in btwallet)');
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/u.test(encoded))
    throw corrupt('polkadot.js "encoded" is not base64');
  let data = new Uint8Array(Buffer.from(encoded, 'base64'));

  let key: Uint8Array;
  if (encoding.type.includes('scrypt')) {
    if (data.length < 44) throw corrupt('polkadot.js "encoded" is too short');
    const salt = data.slice(0, 32);
    const N = readU32(data, 32);
    const p = readU32(data, 36);
    const r = readU32(data, 40);
    const validN = N >= 2 && (N & (N - 1)) === 0;
    if (!validN || r < 1 || p < 1 || p > 16 || 128 * N * r > MAX_SCRYPT_MEMORY) {
      throw unsupported(`polkadot.js scrypt parameters N=${N} r=${r} p=${p} are out of range`);
    }
    key = await withProgress('scrypt', opts, () => scryptKey(passphraseBytes, salt, N, r, p));
    data = data.subarray(44);
  } else {
    if (passphraseBytes.length > 32) throw corrupt('passphrase is longer than a 32-byte key');
    key = new Uint8Array(32);
    key.set(passphraseBytes);
  }
  if (data.length < 24 + 16) throw corrupt('polkadot.js "encoded" is too short');
  let plain: Uint8Array;
  try {
    plain = xsalsa20poly1305(key, data.subarray(0, 24)).decrypt(data.subarray(24));
  } catch (cause) {
    throw new WalletError('KEYFILE_DECRYPT_FAILED', 'Wrong passphrase for the polkadot.js export', {
      cause,
    });
  } finally {
    key.fill(0);
  }

  const secretAt = PKCS8_HEADER.length;
  const dividerAt = secretAt + SECRET_LENGTH;
  const publicAt = dividerAt + PKCS8_DIVIDER.length;
  if (
    !equalAt(plain, 0, PKCS8_HEADER) ||
    !equalAt(plain, dividerAt, PKCS8_DIVIDER) ||
    plain.length < publicAt + PUBLIC_LENGTH
  ) {
    throw corrupt('polkadot.js export does not hold an sr25519 PKCS#8 key');
  }
  const storedPublic = plain.slice(publicAt, publicAt + PUBLIC_LENGTH);
  let walletKey: WalletKey;
  try {
    walletKey = WalletKey.fromEd25519FormSecret(plain.subarray(secretAt, dividerAt));
  } catch (cause) {
    throw new WalletError('KEYFILE_CORRUPT', 'polkadot.js export holds an invalid secret', {
      cause,
    });
  } finally {
    plain.fill(0);
  }
  if (!walletKey.equals(WalletKey.fromPublicKey(storedPublic))) {
    throw corrupt('polkadot.js export: public key does not match the secret');
  }
  return walletKey;
}
