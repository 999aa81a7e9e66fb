import { ss58Encode } from '@taoscript/codec';
import { assertBytes, assertString } from './assert.js';
import { ed25519DeriveHard, ed25519PairFromSeed, ed25519Sign } from './ed25519.js';
import { mnemonicToMiniSecret } from './mnemonic.js';
import {
  type RawKeypair,
  sr25519DeriveHard,
  sr25519DeriveSoft,
  sr25519PairFromSeed,
  sr25519Sign,
} from './sr25519.js';
import { parseSuri } from './suri.js';

/** Signature schemes supported for keypairs. */
export type KeypairType = 'sr25519' | 'ed25519';

/** A signing keypair. `secretKey` is the 64-byte polkadot-js form for its type. */
export interface Keypair {
  type: KeypairType;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  /** Signs `message` (sr25519 signatures are randomised, ed25519 ones deterministic). */
  sign(message: Uint8Array): Uint8Array;
  /** SS58 address of the public key (default prefix 42, generic Substrate / Bittensor). */
  address(prefix?: number): string;
}

function assertType(type: unknown): KeypairType {
  if (type !== 'sr25519' && type !== 'ed25519') {
    throw new RangeError(`keypair type must be 'sr25519' or 'ed25519', got ${String(type)}`);
  }
  return type;
}

/** Keypair whose getters hand out copies, so callers cannot corrupt shared (cached) keys. */
class KeypairImpl implements Keypair {
  readonly type: KeypairType;
  readonly #publicKey: Uint8Array;
  readonly #secretKey: Uint8Array;
  #addresses = new Map<number, string>();

  constructor(type: KeypairType, raw: RawKeypair) {
    this.type = type;
    this.#publicKey = raw.publicKey.slice();
    this.#secretKey = raw.secretKey.slice();
  }

  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  get secretKey(): Uint8Array {
    return this.#secretKey.slice();
  }

  sign(message: Uint8Array): Uint8Array {
    return this.type === 'sr25519'
      ? sr25519Sign(this.#secretKey, message)
      : ed25519Sign(this.#secretKey, message);
  }

  address(prefix = 42): string {
    let address = this.#addresses.get(prefix);
    if (address === undefined) {
      address = ss58Encode(this.#publicKey, prefix);
      this.#addresses.set(prefix, address);
    }
    return address;
  }

  toJSON(): { type: KeypairType; address: string } {
    // Never serialise the secret by accident.
    return { type: this.type, address: this.address() };
  }
}

/**
 * Keypair from a 32-byte seed (sr25519 mini secret or ed25519 seed).
 * @example
 * import { keypairFromSeed } from '@taoscript/crypto';
 * const pair = keypairFromSeed(new Uint8Array(32), 'ed25519');
 */
export function keypairFromSeed(seed: Uint8Array, type: KeypairType = 'sr25519'): Keypair {
  assertType(type);
  assertBytes(seed, 32, 'seed');
  const raw = type === 'sr25519' ? sr25519PairFromSeed(seed) : ed25519PairFromSeed(seed);
  return new KeypairImpl(type, raw);
}

/**
 * Keypair from a BIP39 mnemonic via the Substrate mini secret (optionally with a password).
 * @example
 * import { DEV_PHRASE, keypairFromMnemonic } from '@taoscript/crypto';
 * keypairFromMnemonic(DEV_PHRASE).address(); // 5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV
 */
export function keypairFromMnemonic(
  mnemonic: string,
  type: KeypairType = 'sr25519',
  password = '',
): Keypair {
  assertType(type);
  return keypairFromSeed(mnemonicToMiniSecret(mnemonic, password), type);
}

function hexSeed(phrase: string): Uint8Array {
  const hex = phrase.slice(2);
  if (!/^[0-9a-fA-F]{64}$/u.test(hex)) {
    throw new RangeError('secret URI seed must be 0x followed by 64 hex digits (32 bytes)');
  }
  const seed = new Uint8Array(32);
  for (let i = 0; i < 32; i++) seed[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return seed;
}

function uriMiniSecret(phrase: string, password: string | undefined): Uint8Array {
  try {
    return mnemonicToMiniSecret(phrase, password);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RangeError(`secret URI phrase is not a valid mnemonic or 0x seed: ${reason}`, {
      cause,
    });
  }
}

/**
 * Keypair from a Substrate secret URI such as `//Alice`, `<mnemonic>//hot/0///pass` or `0x<seed>//1`.
 * The password only applies to mnemonics (a hex seed ignores it, as in sp-core and polkadot-js).
 * ed25519 supports hard junctions only.
 * @example
 * import { keypairFromUri } from '@taoscript/crypto';
 * keypairFromUri('//Alice').address(); // 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
 */
export function keypairFromUri(uri: string, type: KeypairType = 'sr25519'): Keypair {
  assertString(uri, 'secret URI');
  assertType(type);
  const { phrase, path, password } = parseSuri(uri);
  if (type === 'ed25519' && path.some((j) => !j.hard)) {
    throw new Error(
      'ed25519 does not support soft derivation (/junction); use hard junctions (//junction)',
    );
  }
  const seed = phrase.startsWith('0x') ? hexSeed(phrase) : uriMiniSecret(phrase, password);
  if (type === 'ed25519') {
    let current = seed;
    for (const junction of path) current = ed25519DeriveHard(current, junction.chainCode);
    return new KeypairImpl(type, ed25519PairFromSeed(current));
  }
  let pair = sr25519PairFromSeed(seed);
  for (const junction of path) {
    pair = junction.hard
      ? sr25519DeriveHard(pair.secretKey, junction.chainCode)
      : sr25519DeriveSoft(pair.secretKey, junction.chainCode);
  }
  return new KeypairImpl(type, pair);
}
