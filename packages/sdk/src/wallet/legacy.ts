import { createDecipheriv, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';
import { WalletError } from './errors.js';
import { passwordToBytes, withProgress } from './kdf.js';
import type { DecryptKeyfileOptions } from './nacl-box.js';

// Read-only support for keyfiles written by the pre-btwallet Python SDK (spec §1.3).

const ANSIBLE_PREFIX = '$ANSIBLE_VAULT';
const ANSIBLE_ITERATIONS = 10_000;
/** Salt of the oldest (Fernet) keyfiles, from the old bittensor keyfile.py. */
const FERNET_SALT = 'Iguesscyborgslikemyselfhaveatendencytobeparanoidaboutourorigins';
const FERNET_ITERATIONS = 10_000_000;

function corrupt(path: string | undefined, message: string): WalletError {
  return new WalletError('KEYFILE_CORRUPT', message, path === undefined ? {} : { path });
}

function wrongPassword(path: string | undefined, what: string): WalletError {
  return new WalletError(
    'KEYFILE_DECRYPT_FAILED',
    `Wrong password for ${what} keyfile decryption`,
    {
      ...(path === undefined ? {} : { path }),
      meta: ['The HMAC did not verify (wrong password or damaged file).'],
    },
  );
}

function pbkdf2Sha256(
  password: Uint8Array,
  salt: Uint8Array | string,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, length, 'sha256', (error, key) => {
      if (error) reject(error);
      else resolve(new Uint8Array(key));
    });
  });
}

function hmacEquals(key: Uint8Array, data: Uint8Array, expected: Uint8Array): boolean {
  const mac = createHmac('sha256', key).update(data).digest();
  return mac.length === expected.length && timingSafeEqual(mac, expected);
}

/** The parts of an ansible vault (format 1.1 or 1.2, AES256). */
export interface AnsibleVault {
  salt: Uint8Array;
  hmac: Uint8Array;
  ciphertext: Uint8Array;
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})+$/u;

/** Parses `$ANSIBLE_VAULT;1.1;AES256` text; `KEYFILE_CORRUPT` when malformed (checked before any password). */
export function parseAnsibleVault(data: Uint8Array, path?: string): AnsibleVault {
  const text = new TextDecoder('latin1').decode(data);
  const lines = text.split(/\r?\n/u).map((line) => line.trim());
  const header = (lines[0] ?? '').split(';');
  if (header[0] !== ANSIBLE_PREFIX || (header[1] !== '1.1' && header[1] !== '1.2')) {
    throw corrupt(path, 'Ansible vault header is not $ANSIBLE_VAULT;1.1 or 1.2');
  }
  if (header[2] !== 'AES256') {
    throw corrupt(path, `Ansible vault cipher ${String(header[2]).slice(0, 16)} is not supported`);
  }
  const body = lines.slice(1).join('');
  if (!HEX_RE.test(body)) throw corrupt(path, 'Ansible vault body is not hex');
  const inner = Buffer.from(body, 'hex').toString('latin1').split('\n');
  if (inner.length !== 3 || !inner.every((part) => HEX_RE.test(part))) {
    throw corrupt(path, 'Ansible vault body must be salt, HMAC and ciphertext in hex');
  }
  const [salt, hmac, ciphertext] = inner.map((part) => new Uint8Array(Buffer.from(part, 'hex')));
  if (hmac!.length !== 32 || ciphertext!.length === 0 || ciphertext!.length % 16 !== 0) {
    throw corrupt(path, 'Ansible vault HMAC or ciphertext has the wrong length');
  }
  return { salt: salt!, hmac: hmac!, ciphertext: ciphertext! };
}

function pkcs7Unpad(data: Uint8Array, path: string | undefined): Uint8Array {
  const pad = data[data.length - 1] ?? 0;
  if (pad < 1 || pad > 16 || pad > data.length) throw corrupt(path, 'Bad padding after decryption');
  for (let i = data.length - pad; i < data.length; i++) {
    if (data[i] !== pad) throw corrupt(path, 'Bad padding after decryption');
  }
  return data.slice(0, data.length - pad);
}

/**
 * Decrypts an ansible-vault keyfile (legacy Python SDK): PBKDF2-SHA256 (10 000 rounds) → AES key,
 * HMAC key and CTR IV; HMAC-SHA256 over the ciphertext; AES-256-CTR; PKCS#7.
 * @example
 * import { decryptAnsibleVault } from '@taoscript/sdk';
 * const plaintext = await decryptAnsibleVault(fileBytes, 'old password');
 */
export async function decryptAnsibleVault(
  data: Uint8Array,
  password: string,
  opts: { path?: string } = {},
): Promise<Uint8Array> {
  const vault = parseAnsibleVault(data, opts.path);
  const derived = await pbkdf2Sha256(passwordToBytes(password), vault.salt, ANSIBLE_ITERATIONS, 80);
  const aesKey = derived.subarray(0, 32);
  const hmacKey = derived.subarray(32, 64);
  const iv = derived.subarray(64, 80);
  try {
    if (!hmacEquals(hmacKey, vault.ciphertext, vault.hmac)) {
      throw wrongPassword(opts.path, 'ansible-vault');
    }
    const decipher = createDecipheriv('aes-256-ctr', aesKey, iv);
    const padded = new Uint8Array(
      Buffer.concat([decipher.update(vault.ciphertext), decipher.final()]),
    );
    return pkcs7Unpad(padded, opts.path);
  } finally {
    derived.fill(0);
  }
}

/** The parts of a Fernet token. */
export interface FernetToken {
  signed: Uint8Array;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  hmac: Uint8Array;
}

/** Parses a Fernet token (base64url, version 0x80); `KEYFILE_CORRUPT` when malformed. */
export function parseFernetToken(data: Uint8Array, path?: string): FernetToken {
  const text = new TextDecoder('latin1').decode(data).trim();
  if (!/^[A-Za-z0-9_-]+={0,2}$/u.test(text)) throw corrupt(path, 'Fernet token is not base64url');
  const raw = new Uint8Array(Buffer.from(text, 'base64url'));
  // version(1) ‖ timestamp(8) ‖ iv(16) ‖ ciphertext(16·n, n ≥ 1) ‖ hmac(32)
  if (raw.length < 1 + 8 + 16 + 16 + 32 || raw[0] !== 0x80 || (raw.length - 57) % 16 !== 0) {
    throw corrupt(path, 'Fernet token has the wrong version or length');
  }
  return {
    signed: raw.subarray(0, raw.length - 32),
    iv: raw.subarray(9, 25),
    ciphertext: raw.subarray(25, raw.length - 32),
    hmac: raw.subarray(raw.length - 32),
  };
}

/**
 * Decrypts the oldest keyfile format (Fernet; prefix `gAAAAA`). The key is PBKDF2-SHA256 with
 * 10 000 000 rounds (≈3 s). btwallet cannot read these files (its Rust path uses a random key).
 * @example
 * import { decryptFernetKeyfile } from '@taoscript/sdk';
 * const plaintext = await decryptFernetKeyfile(fileBytes, 'very old password');
 */
export async function decryptFernetKeyfile(
  data: Uint8Array,
  password: string,
  opts: DecryptKeyfileOptions = {},
): Promise<Uint8Array> {
  const token = parseFernetToken(data, opts.path);
  const passwordBytes = passwordToBytes(password);
  const key = await withProgress('pbkdf2-sha256', opts, () =>
    pbkdf2Sha256(passwordBytes, FERNET_SALT, FERNET_ITERATIONS, 32),
  );
  // Fernet key = signing key (16) ‖ encryption key (16).
  const signingKey = key.subarray(0, 16);
  const encryptionKey = key.subarray(16, 32);
  if (!hmacEquals(signingKey, token.signed, token.hmac)) {
    key.fill(0);
    throw wrongPassword(opts.path, 'legacy (Fernet)');
  }
  try {
    const decipher = createDecipheriv('aes-128-cbc', encryptionKey, token.iv);
    return new Uint8Array(Buffer.concat([decipher.update(token.ciphertext), decipher.final()]));
  } catch {
    throw corrupt(opts.path, 'Bad padding after decryption');
  } finally {
    key.fill(0);
  }
}
