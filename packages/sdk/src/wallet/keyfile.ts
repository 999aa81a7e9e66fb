import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WalletError } from './errors.js';
import { expandTilde, type FileRead, readKeyfileBytes, writeFileAtomic } from './fs-io.js';
import type { KdfOptions } from './kdf.js';
import type { WalletKey } from './key.js';
import { deserializeKeyfileData, serializeKeyfileData } from './keyfile-data.js';
import { type KeyfileEncryption, keyfileEncryption } from './keyfile-encryption.js';
import {
  decryptAnsibleVault,
  decryptFernetKeyfile,
  parseAnsibleVault,
  parseFernetToken,
} from './legacy.js';
import { SILENT_LOGGER, type WalletLogger } from './logger.js';
import { assertNaclStructure, decryptNacl, encryptNacl } from './nacl.js';
import type { DecryptKeyfileOptions } from './nacl-box.js';
import {
  type PasswordSources,
  passwordEnvVarName,
  resolveNewPassword,
  resolveUnlockPassword,
} from './password.js';

export { type KeyfileEncryption, keyfileEncryption } from './keyfile-encryption.js';
export type { DecryptKeyfileOptions } from './nacl-box.js';

/** Throws `KEYFILE_CORRUPT` when encrypted bytes are malformed, before any password is asked. */
function assertEncryptedStructure(data: Uint8Array, path: string | undefined): void {
  switch (keyfileEncryption(data)) {
    case 'nacl':
      assertNaclStructure(data, path);
      return;
    case 'ansible-vault':
      parseAnsibleVault(data, path);
      return;
    case 'fernet':
      parseFernetToken(data, path);
      return;
    case 'none':
      return;
  }
}

/**
 * Decrypts keyfile bytes in any supported format ($NACL, ansible-vault, Fernet); plaintext is
 * returned unchanged.
 * @example
 * import { decryptKeyfileData } from '@taoscript/sdk';
 * const json = await decryptKeyfileData(fileBytes, 'password');
 */
export async function decryptKeyfileData(
  data: Uint8Array,
  password: string,
  opts: DecryptKeyfileOptions = {},
): Promise<Uint8Array> {
  switch (keyfileEncryption(data)) {
    case 'nacl':
      return decryptNacl(data, password, opts);
    case 'ansible-vault':
      return decryptAnsibleVault(
        data,
        password,
        opts.path === undefined ? {} : { path: opts.path },
      );
    case 'fernet':
      return decryptFernetKeyfile(data, password, opts);
    case 'none':
      return data.slice();
  }
}

/**
 * Encrypts keyfile plaintext as `$NACL` (the only format written).
 * @example
 * import { encryptKeyfileData } from '@taoscript/sdk';
 * const file = await encryptKeyfileData(plaintext, 'password');
 */
export async function encryptKeyfileData(
  data: Uint8Array,
  password: string,
  opts: KdfOptions = {},
): Promise<Uint8Array> {
  return encryptNacl(data, password, opts);
}

/** How to obtain a password, plus KDF progress and cancellation. */
export interface UnlockOptions extends PasswordSources, KdfOptions {}

/** Options for writing a key to a keyfile. */
export interface SetKeypairOptions extends UnlockOptions {
  /** Encrypt with `$NACL` (default false). */
  encrypt?: boolean;
  /** Replace an existing file (default false: fail with `KEYFILE_EXISTS`). */
  overwrite?: boolean;
}

/** Options for a {@link Keyfile}. */
export interface KeyfileOptions {
  /** Short name for messages (btwallet: `coldkey`, the hotkey name, …). */
  name?: string;
  /** Receives warnings (loose file modes, inconsistent keyfiles). */
  logger?: WalletLogger;
  /** Defaults for password sources and progress, overridable per call. */
  defaults?: UnlockOptions;
  /** Home directory for `~` expansion (default `os.homedir()`). */
  homeDir?: string;
}

// Unlocked keys, per process: one Argon2 run per file content (path + identity + mtime + hash).
const unlocked = new Map<string, Promise<WalletKey>>();

function cacheKey(path: string, read: FileRead): string {
  const digest = createHash('sha256').update(read.data).digest('hex');
  const { dev, ino, mtimeMs, size } = read.stat;
  return `${resolve(path)}\0${dev}:${ino}\0${mtimeMs}\0${size}\0${digest}`;
}

/**
 * Forgets every unlocked key held in memory (the next use asks for passwords again).
 * @example
 * import { clearUnlockedKeys } from '@taoscript/sdk';
 * clearUnlockedKeys();
 */
export function clearUnlockedKeys(): void {
  unlocked.clear();
}

function forgetPath(path: string): void {
  const prefix = `${resolve(path)}\0`;
  for (const key of unlocked.keys()) if (key.startsWith(prefix)) unlocked.delete(key);
}

function holdsSecret(data: Uint8Array): boolean {
  if (keyfileEncryption(data) !== 'none') return true;
  const text = new TextDecoder().decode(data);
  return /"(privateKey|secretPhrase|secretSeed)"\s*:\s*"/u.test(text);
}

/**
 * One keyfile on disk (spec §1): reads any supported format, writes plaintext JSON or `$NACL`
 * atomically with mode 0600, and unlocks encrypted files once per process.
 * @example
 * import { Keyfile } from '@taoscript/sdk';
 * const file = new Keyfile('~/.bittensor/wallets/default/coldkey');
 * const key = await file.getKeypair({ prompt: false, password: 'my password' });
 */
export class Keyfile {
  /** Tilde-expanded path (the string btwallet derives the `BT_PW_` variable from). */
  readonly path: string;
  /** Short name for messages. */
  readonly name: string;
  readonly #logger: WalletLogger;
  readonly #defaults: UnlockOptions;

  constructor(path: string, opts: KeyfileOptions = {}) {
    if (typeof path !== 'string') throw new TypeError('keyfile path must be a string');
    if (path === '' || path.includes('\0'))
      throw new RangeError('keyfile path is empty or has NUL');
    this.path = expandTilde(path, opts.homeDir);
    this.name = opts.name ?? 'keyfile';
    this.#logger = opts.logger ?? SILENT_LOGGER;
    this.#defaults = opts.defaults ?? {};
  }

  /** btwallet's password environment variable for this file. */
  get envVarName(): string {
    return passwordEnvVarName(this.path);
  }

  /** True when something exists at the path (following symlinks). */
  async exists(): Promise<boolean> {
    try {
      await stat(this.path);
      return true;
    } catch {
      return false;
    }
  }

  /** The raw file bytes (bounded read of a regular file). */
  async readData(): Promise<Uint8Array> {
    return (await this.#read()).data;
  }

  /** The file's encryption format. */
  async encryption(): Promise<KeyfileEncryption> {
    return keyfileEncryption(await this.readData());
  }

  /** True when the file is encrypted (any format). */
  async isEncrypted(): Promise<boolean> {
    return (await this.encryption()) !== 'none';
  }

  async #read(): Promise<FileRead> {
    const read = await readKeyfileBytes(this.path);
    const mode = read.stat.mode & 0o777;
    if ((mode & 0o077) !== 0 && holdsSecret(read.data)) {
      this.#logger.warn(
        { path: this.path, mode: `0${mode.toString(8)}` },
        'keyfile holding a secret is accessible by other users; expected mode 0600',
      );
    }
    return read;
  }

  #options<T extends UnlockOptions>(opts: T): T {
    return { ...this.#defaults, ...opts };
  }

  /**
   * Loads the key, decrypting with a password from `password`, `passwordFile`, btwallet's
   * `BT_PW_…` variable or the prompt (in that order). Encrypted files are unlocked once per
   * process and content; a changed file is unlocked again.
   */
  async getKeypair(opts: UnlockOptions = {}): Promise<WalletKey> {
    const o = this.#options(opts);
    const read = await this.#read();
    if (keyfileEncryption(read.data) === 'none') {
      return deserializeKeyfileData(read.data, { path: this.path, logger: this.#logger });
    }
    const key = cacheKey(this.path, read);
    const cached = unlocked.get(key);
    if (cached !== undefined) return cached;
    assertEncryptedStructure(read.data, this.path);
    const pending = (async () => {
      const password = await resolveUnlockPassword(this.path, o);
      const plaintext = await decryptKeyfileData(read.data, password, { ...o, path: this.path });
      try {
        return deserializeKeyfileData(plaintext, { path: this.path, logger: this.#logger });
      } finally {
        plaintext.fill(0);
      }
    })();
    unlocked.set(key, pending);
    pending.catch(() => {
      if (unlocked.get(key) === pending) unlocked.delete(key);
    });
    return pending;
  }

  /**
   * Writes `key` (plaintext JSON, or `$NACL` when `encrypt`); refuses to replace an existing file
   * unless `overwrite`. The key is derived before anything is written.
   */
  async setKeypair(key: WalletKey, opts: SetKeypairOptions = {}): Promise<void> {
    const o = this.#options(opts);
    const plaintext = serializeKeyfileData(key);
    if (o.overwrite !== true) await this.assertWritable();
    const data =
      o.encrypt === true
        ? await encryptKeyfileData(plaintext, await resolveNewPassword(this.path, o), o)
        : plaintext;
    await this.#write(data, o.overwrite === true);
    if (o.encrypt === true) await this.#remember(key);
  }

  /** Throws `KEYFILE_EXISTS` if the file exists (used before multi-file writes). */
  async assertWritable(): Promise<void> {
    if (await this.exists()) {
      throw new WalletError('KEYFILE_EXISTS', `Keyfile ${this.name} already exists`, {
        path: this.path,
        meta: ['Pass overwrite: true to replace it.'],
      });
    }
  }

  async #write(data: Uint8Array, overwrite: boolean): Promise<void> {
    if (!overwrite) await this.assertWritable();
    forgetPath(this.path);
    await writeFileAtomic(this.path, data);
  }

  async #remember(key: WalletKey): Promise<void> {
    try {
      const read = await readKeyfileBytes(this.path);
      unlocked.set(cacheKey(this.path, read), Promise.resolve(key));
    } catch {
      // Not cached; the next use unlocks from disk.
    }
  }

  /**
   * Encrypts a plaintext keyfile in place as `$NACL` (btwallet `encrypt`); returns false and
   * changes nothing if it is already encrypted.
   */
  async encrypt(opts: UnlockOptions = {}): Promise<boolean> {
    const o = this.#options(opts);
    const { data } = await this.#read();
    if (keyfileEncryption(data) !== 'none') return false;
    const key = deserializeKeyfileData(data, { path: this.path, logger: this.#logger });
    const password = await resolveNewPassword(this.path, o);
    await this.#write(await encryptKeyfileData(serializeKeyfileData(key), password, o), true);
    await this.#remember(key);
    return true;
  }

  /** Rewrites an encrypted keyfile as plaintext JSON (btwallet `decrypt`); false if already plain. */
  async decrypt(opts: UnlockOptions = {}): Promise<boolean> {
    const { data } = await this.#read();
    if (keyfileEncryption(data) === 'none') {
      // Nothing to rewrite, but a damaged file is still reported (btwallet parses it too).
      deserializeKeyfileData(data, { path: this.path, logger: this.#logger });
      return false;
    }
    const key = await this.getKeypair(opts);
    await this.#write(serializeKeyfileData(key), true);
    return true;
  }

  /**
   * Re-encrypts a legacy (ansible-vault or Fernet) keyfile as `$NACL` with the same password
   * (btwallet `check_and_update_encryption`); false when there is nothing to migrate.
   */
  async migrateToNacl(opts: UnlockOptions = {}): Promise<boolean> {
    const o = this.#options(opts);
    const { data } = await this.#read();
    const format = keyfileEncryption(data);
    if (format === 'none' || format === 'nacl') return false;
    assertEncryptedStructure(data, this.path);
    const password = await resolveUnlockPassword(this.path, o);
    const plaintext = await decryptKeyfileData(data, password, { ...o, path: this.path });
    const key = deserializeKeyfileData(plaintext, { path: this.path, logger: this.#logger });
    plaintext.fill(0);
    await this.#write(await encryptKeyfileData(serializeKeyfileData(key), password, o), true);
    await this.#remember(key);
    return true;
  }

  /** Stat of the file (following symlinks). */
  async stat(): Promise<Stats> {
    return stat(this.path);
  }
}
