import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { type MnemonicLength, mnemonicGenerate } from '@taoscript/crypto';
import { WalletError } from './errors.js';
import { expandTilde, joinPath } from './fs-io.js';
import type { KdfOptions } from './kdf.js';
import { WalletKey } from './key.js';
import { Keyfile, type SetKeypairOptions, type UnlockOptions } from './keyfile.js';
import { SILENT_LOGGER, type WalletLogger } from './logger.js';
import type { PasswordPrompt, WalletEnv } from './password.js';
import { walletKeyFromPolkadotJson } from './polkadot-json.js';

/** btwallet's default wallet root. */
export const DEFAULT_WALLET_PATH = '~/.bittensor/wallets/';
/** btwallet's default wallet name. */
export const DEFAULT_WALLET_NAME = 'default';
/** btwallet's default hotkey name. */
export const DEFAULT_HOTKEY_NAME = 'default';

/** Options for a {@link Wallet}. */
export interface WalletOptions {
  /** Wallet name (default `BT_WALLET_NAME`, else `default`). */
  name?: string;
  /** Hotkey name (default `BT_WALLET_HOTKEY`, else `default`). */
  hotkey?: string;
  /** Wallets root (default `BT_WALLET_PATH`, else `~/.bittensor/wallets/`). */
  path?: string;
  /** Environment for the `BT_WALLET_*` defaults and `BT_PW_…` passwords (default `process.env`). */
  env?: WalletEnv;
  /** Home directory for `~` (default `os.homedir()`). */
  homeDir?: string;
  /** Receives warnings. */
  logger?: WalletLogger;
  /** Password prompt; `false` never prompts (default: a TTY prompt when stdin is a terminal). */
  prompt?: PasswordPrompt | false;
  /** KDF progress for every unlock / encryption. */
  onProgress?: KdfOptions['onProgress'];
}

/** Where a full key comes from when (re)generating it. */
export type KeySource =
  | { mnemonic: string }
  | { seed: Uint8Array | string }
  | { uri: string }
  | { json: string; passphrase: string };

/** Where a public-only key comes from. */
export type PublicKeySource = { ss58Address: string } | { publicKey: Uint8Array | string };

/** Options for writing a new or regenerated key. */
export interface WriteKeyOptions extends UnlockOptions {
  /** Encrypt the secret keyfile (default: true for the coldkey, false for hotkeys). */
  usePassword?: boolean;
  /** Replace existing files (default false: fail with `KEYFILE_EXISTS` before writing anything). */
  overwrite?: boolean;
}

/** Options for creating a key from a fresh mnemonic. */
export interface NewKeyOptions extends WriteKeyOptions {
  /** Mnemonic length (default 12). */
  nWords?: MnemonicLength;
}

/** A freshly generated key and the mnemonic to show the user once. */
export interface NewKeyResult {
  key: WalletKey;
  mnemonic: string;
}

/** Options for {@link Wallet.create}. */
export interface CreateWalletOptions {
  coldkey?: NewKeyOptions;
  hotkey?: NewKeyOptions;
  /** Recreate both keys even if present. */
  overwrite?: boolean;
}

/** What {@link Wallet.create} made (absent = already existed). */
export interface CreateWalletResult {
  coldkey?: NewKeyResult;
  hotkey?: NewKeyResult;
}

const MAX_NAME_BYTES = 255;

function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  if (
    value === '' ||
    value === '.' ||
    value === '..' ||
    value.includes('/') ||
    value.includes('\0') ||
    new TextEncoder().encode(value).length > MAX_NAME_BYTES
  ) {
    throw new RangeError(
      `${what} must be a plain file name (no "/", not "." or "..", ≤ 255 bytes)`,
    );
  }
  return value;
}

function checkPath(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  if (value === '' || value.includes('\0')) throw new RangeError(`${what} is empty or has NUL`);
  return value;
}

function keyFromSource(source: KeySource, opts: KdfOptions): WalletKey | Promise<WalletKey> {
  if (source === null || typeof source !== 'object')
    throw new TypeError('key source must be an object');
  if ('mnemonic' in source) return WalletKey.fromMnemonic(source.mnemonic);
  if ('seed' in source) return WalletKey.fromSeed(source.seed);
  if ('uri' in source) return WalletKey.fromUri(source.uri);
  if ('json' in source) return walletKeyFromPolkadotJson(source.json, source.passphrase, opts);
  throw new TypeError('key source must have mnemonic, seed, uri or json');
}

function publicFromSource(source: PublicKeySource): WalletKey {
  if (source === null || typeof source !== 'object')
    throw new TypeError('public key source must be an object');
  if ('ss58Address' in source) return WalletKey.fromSs58(source.ss58Address);
  if ('publicKey' in source) return WalletKey.fromPublicKey(source.publicKey);
  throw new TypeError('public key source must have ss58Address or publicKey');
}

/**
 * A btwallet-compatible wallet on disk: `<path>/<name>/coldkey`, `coldkeypub.txt`,
 * `hotkeys/<hotkey>` and `hotkeys/<hotkey>pub.txt`. Node only.
 * @example
 * import { Wallet } from '@taoscript/sdk';
 * const wallet = new Wallet({ name: 'miner', hotkey: 'h1' });
 * const { coldkey } = await wallet.create({ coldkey: { password: 'a strong pass 1' } });
 * const hotkey = await wallet.getHotkey();
 */
export class Wallet {
  /** Wallet name. */
  readonly name: string;
  /** Hotkey name. */
  readonly hotkeyName: string;
  /** Wallets root as configured (may start with `~`). */
  readonly path: string;
  /** Tilde-expanded wallets root. */
  readonly root: string;
  readonly #homeDir: string;
  readonly #logger: WalletLogger;
  readonly #defaults: UnlockOptions;

  constructor(opts: WalletOptions = {}) {
    if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object');
    const env = opts.env ?? process.env;
    this.name = checkName(opts.name ?? env.BT_WALLET_NAME ?? DEFAULT_WALLET_NAME, 'wallet name');
    this.hotkeyName = checkName(
      opts.hotkey ?? env.BT_WALLET_HOTKEY ?? DEFAULT_HOTKEY_NAME,
      'hotkey name',
    );
    this.path = checkPath(opts.path ?? env.BT_WALLET_PATH ?? DEFAULT_WALLET_PATH, 'wallet path');
    this.#homeDir = opts.homeDir ?? homedir();
    this.root = expandTilde(this.path, this.#homeDir);
    this.#logger = opts.logger ?? SILENT_LOGGER;
    this.#defaults = {
      env,
      ...(opts.prompt === undefined ? {} : { prompt: opts.prompt }),
      ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
    };
  }

  /** `<root>/<name>`. */
  get dir(): string {
    return joinPath(this.root, this.name);
  }

  #file(path: string, name: string): Keyfile {
    return new Keyfile(path, {
      name,
      logger: this.#logger,
      defaults: this.#defaults,
      homeDir: this.#homeDir,
    });
  }

  /** `<wallet>/coldkey`. */
  get coldkeyFile(): Keyfile {
    return this.#file(joinPath(this.dir, 'coldkey'), 'coldkey');
  }

  /** `<wallet>/coldkeypub.txt`. */
  get coldkeypubFile(): Keyfile {
    return this.#file(joinPath(this.dir, 'coldkeypub.txt'), 'coldkeypub.txt');
  }

  /** `<wallet>/hotkeys/<hotkey>`. */
  get hotkeyFile(): Keyfile {
    return this.hotkeyFileFor(this.hotkeyName);
  }

  /** `<wallet>/hotkeys/<hotkey>pub.txt`. */
  get hotkeypubFile(): Keyfile {
    return this.hotkeypubFileFor(this.hotkeyName);
  }

  /** The keyfile of another hotkey of this wallet. */
  hotkeyFileFor(hotkey: string): Keyfile {
    const name = checkName(hotkey, 'hotkey name');
    return this.#file(joinPath(this.dir, 'hotkeys', name), name);
  }

  /** The public keyfile of another hotkey of this wallet. */
  hotkeypubFileFor(hotkey: string): Keyfile {
    const name = `${checkName(hotkey, 'hotkey name')}pub.txt`;
    return this.#file(joinPath(this.dir, 'hotkeys', checkName(name, 'hotkey name')), name);
  }

  /**
   * Creates the coldkey unless `coldkey` or `coldkeypub.txt` exists, and the hotkey unless its
   * file or pub file exists (btwallet `create`). Returns the mnemonics of what it made.
   */
  async create(opts: CreateWalletOptions = {}): Promise<CreateWalletResult> {
    const overwrite = opts.overwrite === true;
    const result: CreateWalletResult = {};
    const coldExists = (await this.coldkeyFile.exists()) || (await this.coldkeypubFile.exists());
    if (overwrite || !coldExists) {
      result.coldkey = await this.createNewColdkey({ ...opts.coldkey, overwrite });
    }
    const hotExists = (await this.hotkeyFile.exists()) || (await this.hotkeypubFile.exists());
    if (overwrite || !hotExists) {
      result.hotkey = await this.createNewHotkey({ ...opts.hotkey, overwrite });
    }
    return result;
  }

  /** Generates a coldkey from a new mnemonic; writes `coldkey` (encrypted by default) and `coldkeypub.txt`. */
  async createNewColdkey(opts: NewKeyOptions = {}): Promise<NewKeyResult> {
    const mnemonic = mnemonicGenerate(opts.nWords ?? 12);
    const key = WalletKey.fromMnemonic(mnemonic);
    await this.#writePair(this.coldkeyFile, this.coldkeypubFile, key, opts, true);
    return { key, mnemonic };
  }

  /** Generates a hotkey from a new mnemonic; writes `hotkeys/<name>` (plain by default) and its pub file. */
  async createNewHotkey(opts: NewKeyOptions = {}): Promise<NewKeyResult> {
    const mnemonic = mnemonicGenerate(opts.nWords ?? 12);
    const key = WalletKey.fromMnemonic(mnemonic);
    await this.#writePair(this.hotkeyFile, this.hotkeypubFile, key, opts, false);
    return { key, mnemonic };
  }

  /** Restores the coldkey from a mnemonic, seed, secret URI or polkadot.js JSON export. */
  async regenerateColdkey(source: KeySource, opts: WriteKeyOptions = {}): Promise<WalletKey> {
    const key = await keyFromSource(source, { ...this.#defaults, ...opts });
    await this.#writePair(this.coldkeyFile, this.coldkeypubFile, key, opts, true);
    return key;
  }

  /** Restores the hotkey from a mnemonic, seed, secret URI or polkadot.js JSON export. */
  async regenerateHotkey(source: KeySource, opts: WriteKeyOptions = {}): Promise<WalletKey> {
    const key = await keyFromSource(source, { ...this.#defaults, ...opts });
    await this.#writePair(this.hotkeyFile, this.hotkeypubFile, key, opts, false);
    return key;
  }

  /** Writes `coldkeypub.txt` from an SS58 address or public key (watch-only coldkey). */
  async regenerateColdkeypub(
    source: PublicKeySource,
    opts: { overwrite?: boolean } = {},
  ): Promise<WalletKey> {
    const key = publicFromSource(source);
    await this.coldkeypubFile.setKeypair(key, { overwrite: opts.overwrite === true });
    return key;
  }

  /** Writes `hotkeys/<hotkey>pub.txt` from an SS58 address or public key. */
  async regenerateHotkeypub(
    source: PublicKeySource,
    opts: { overwrite?: boolean } = {},
  ): Promise<WalletKey> {
    const key = publicFromSource(source);
    await this.hotkeypubFile.setKeypair(key, { overwrite: opts.overwrite === true });
    return key;
  }

  async #writePair(
    secretFile: Keyfile,
    publicFile: Keyfile,
    key: WalletKey,
    opts: WriteKeyOptions,
    encryptByDefault: boolean,
  ): Promise<void> {
    const overwrite = opts.overwrite === true;
    // Check both files first so a refusal never leaves half a key pair on disk.
    if (!overwrite) {
      await secretFile.assertWritable();
      await publicFile.assertWritable();
    }
    const encrypt = opts.password !== undefined || (opts.usePassword ?? encryptByDefault);
    const write: SetKeypairOptions = { ...opts, encrypt, overwrite };
    await secretFile.setKeypair(key, write);
    await publicFile.setKeypair(key.toPublic(), { overwrite });
  }

  /** The coldkey (unlocking it if encrypted). */
  async getColdkey(opts: UnlockOptions = {}): Promise<WalletKey> {
    return this.coldkeyFile.getKeypair(opts);
  }

  /** The public coldkey from `coldkeypub.txt` (no password, works without `coldkey`). */
  async getColdkeypub(): Promise<WalletKey> {
    return (await this.coldkeypubFile.getKeypair({ prompt: false })).toPublic();
  }

  /** The hotkey (unlocking it if encrypted). */
  async getHotkey(opts: UnlockOptions = {}): Promise<WalletKey> {
    return this.hotkeyFile.getKeypair(opts);
  }

  /**
   * The public hotkey from `hotkeys/<hotkey>pub.txt`; wallets made before btwallet 3 lack that
   * file, so a plaintext hotkey file is used instead.
   */
  async getHotkeypub(): Promise<WalletKey> {
    const pub = this.hotkeypubFile;
    if (await pub.exists()) return (await pub.getKeypair({ prompt: false })).toPublic();
    const hot = this.hotkeyFile;
    if ((await hot.exists()) && !(await hot.isEncrypted())) {
      return (await hot.getKeypair({ prompt: false })).toPublic();
    }
    throw new WalletError('KEYFILE_NOT_FOUND', `Hotkey ${this.hotkeyName} has no public keyfile`, {
      path: pub.path,
    });
  }

  /** Names of the hotkeys in `hotkeys/` (files not ending in `pub.txt`), sorted. */
  async listHotkeys(): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(joinPath(this.dir, 'hotkeys'), { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter(
        (e) =>
          (e.isFile() || e.isSymbolicLink()) &&
          !e.name.endsWith('pub.txt') &&
          !e.name.startsWith('.'),
      )
      .map((e) => e.name)
      .sort();
  }

  /** Human-readable summary. */
  toString(): string {
    return `Wallet (Name: '${this.name}', Hotkey: '${this.hotkeyName}', Path: '${this.path}')`;
  }
}
