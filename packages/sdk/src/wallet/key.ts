import { bytesEqual, fromHex, ss58Decode, ss58Encode, toHex, utf8Encode } from '@taoscript/codec';
import {
  type Keypair,
  keypairFromSeed,
  keypairFromUri,
  mnemonicToMiniSecret,
  sr25519PublicFromSecret,
  sr25519SecretFromCanonical,
  sr25519SecretToCanonical,
  sr25519Sign,
  verifyWrapped,
} from '@taoscript/crypto';
import { WalletError } from './errors.js';

/** Bittensor's SS58 prefix (generic Substrate). */
const SS58_FORMAT = 42;
const MAX_HEX_INPUT_CHARS = 4096;

/** sr25519 keypair built from a 64-byte ed25519-form secret (scalar·8 ‖ nonce). */
class SecretKeypair implements Keypair {
  readonly type = 'sr25519' as const;
  readonly #publicKey: Uint8Array;
  readonly #secretKey: Uint8Array;

  constructor(secretKey: Uint8Array, publicKey: Uint8Array) {
    this.#secretKey = secretKey.slice();
    this.#publicKey = publicKey.slice();
  }

  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  get secretKey(): Uint8Array {
    return this.#secretKey.slice();
  }

  sign(message: Uint8Array): Uint8Array {
    return sr25519Sign(this.#secretKey, message);
  }

  address(prefix = SS58_FORMAT): string {
    return ss58Encode(this.#publicKey, prefix);
  }

  toJSON(): { type: 'sr25519'; address: string } {
    return { type: this.type, address: this.address() };
  }
}

function assertStringInput(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`${what} must be a string, got ${value === null ? 'null' : typeof value}`);
  }
}

/** Bytes from a Uint8Array or a (0x-prefixed or bare) hex string of `length` bytes. */
function bytesInput(value: unknown, length: number, what: string): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== length) {
      throw new RangeError(`${what} must be ${length} bytes, got ${value.length}`);
    }
    return value.slice();
  }
  assertStringInput(value, what);
  if (value.length > MAX_HEX_INPUT_CHARS) throw new RangeError(`${what} is too long`);
  let bytes: Uint8Array;
  try {
    bytes = fromHex(value);
  } catch (cause) {
    throw new RangeError(`${what} must be hex (0x-prefixed or bare)`, { cause });
  }
  if (bytes.length !== length) {
    throw new RangeError(`${what} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Message bytes as btwallet signs them: `0x…` strings are hex-decoded, other strings UTF-8. */
function messageBytes(message: unknown, what: string): Uint8Array {
  if (message instanceof Uint8Array) return message;
  assertStringInput(message, what);
  if (message.startsWith('0x')) {
    try {
      return fromHex(message);
    } catch (cause) {
      throw new RangeError(`${what} starts with 0x but is not valid hex`, { cause });
    }
  }
  return utf8Encode(message);
}

function normalizePhrase(mnemonic: string): string {
  return mnemonic.trim().split(/\s+/u).join(' ');
}

interface KeyParts {
  publicKey: Uint8Array;
  keypair?: Keypair;
  mnemonic?: string;
  seed?: Uint8Array;
}

/**
 * A wallet key as btwallet models it: an sr25519 public key plus, for full keys, the signing
 * keypair and the mnemonic / mini-secret it came from. Secrets never appear in JSON or inspect output.
 * @example
 * import { WalletKey } from '@taoscript/sdk';
 * const key = WalletKey.fromUri('//Alice');
 * key.ss58Address; // 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
 */
export class WalletKey {
  readonly type = 'sr25519' as const;
  /** SS58 address (prefix 42). */
  readonly ss58Address: string;
  readonly #publicKey: Uint8Array;
  readonly #keypair: Keypair | undefined;
  readonly #mnemonic: string | undefined;
  readonly #seed: Uint8Array | undefined;

  private constructor(parts: KeyParts) {
    this.#publicKey = parts.publicKey.slice();
    this.#keypair = parts.keypair;
    this.#mnemonic = parts.mnemonic;
    this.#seed = parts.seed?.slice();
    this.ss58Address = ss58Encode(this.#publicKey, SS58_FORMAT);
  }

  /**
   * Full key from a BIP39 mnemonic (Substrate mini-secret, no password), as btwallet's create_from_mnemonic.
   * @example
   * import { WalletKey } from '@taoscript/sdk';
   * WalletKey.fromMnemonic('bottom drive obey lake curtain smoke basket hold race lonely fit walk');
   */
  static fromMnemonic(mnemonic: string): WalletKey {
    assertStringInput(mnemonic, 'mnemonic');
    const seed = mnemonicToMiniSecret(mnemonic);
    const keypair = keypairFromSeed(seed, 'sr25519');
    return new WalletKey({
      publicKey: keypair.publicKey,
      keypair,
      mnemonic: normalizePhrase(mnemonic),
      seed,
    });
  }

  /**
   * Full key from a 32-byte mini-secret (bytes or hex), as btwallet's create_from_seed.
   * @example
   * import { WalletKey } from '@taoscript/sdk';
   * WalletKey.fromSeed('0x' + '11'.repeat(32));
   */
  static fromSeed(seed: Uint8Array | string): WalletKey {
    const bytes = bytesInput(seed, 32, 'seed');
    const keypair = keypairFromSeed(bytes, 'sr25519');
    return new WalletKey({ publicKey: keypair.publicKey, keypair, seed: bytes });
  }

  /**
   * Full key from a Substrate secret URI (`//Alice`, `<mnemonic>//hot/1`); keeps no phrase or seed.
   * @example
   * import { WalletKey } from '@taoscript/sdk';
   * WalletKey.fromUri('//Bob').ss58Address; // 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty
   */
  static fromUri(uri: string): WalletKey {
    const keypair = keypairFromUri(uri, 'sr25519');
    return new WalletKey({ publicKey: keypair.publicKey, keypair });
  }

  /**
   * Full key from btwallet's 64-byte `privateKey` (canonical schnorrkel form: scalar ‖ nonce).
   * @example
   * import { WalletKey } from '@taoscript/sdk';
   * WalletKey.fromPrivateKey(WalletKey.fromUri('//Alice').privateKey!);
   */
  static fromPrivateKey(privateKey: Uint8Array | string): WalletKey {
    const canonical = bytesInput(privateKey, 64, 'privateKey');
    const secretKey = sr25519SecretFromCanonical(canonical);
    return WalletKey.#fromEd25519FormSecret(secretKey);
  }

  /**
   * Full key from a crypto-package sr25519 {@link Keypair}.
   * @example
   * import { devKeypair } from '@taoscript/crypto';
   * import { WalletKey } from '@taoscript/sdk';
   * WalletKey.fromKeypair(devKeypair('Alice'));
   */
  static fromKeypair(keypair: Keypair): WalletKey {
    if (keypair === null || typeof keypair !== 'object') {
      throw new TypeError('keypair must be a Keypair object');
    }
    if (keypair.type !== 'sr25519') {
      throw new RangeError(`wallet keys are sr25519, got a ${String(keypair.type)} keypair`);
    }
    return WalletKey.#fromEd25519FormSecret(keypair.secretKey);
  }

  /** @internal Key from the ed25519-form secret used by @scure/sr25519 and polkadot-js. */
  static fromEd25519FormSecret(secretKey: Uint8Array): WalletKey {
    return WalletKey.#fromEd25519FormSecret(bytesInput(secretKey, 64, 'secretKey'));
  }

  static #fromEd25519FormSecret(secretKey: Uint8Array): WalletKey {
    // Throws RangeError unless the scalar half is a reduced multiple of 8.
    sr25519SecretToCanonical(secretKey);
    const publicKey = sr25519PublicFromSecret(secretKey);
    return new WalletKey({ publicKey, keypair: new SecretKeypair(secretKey, publicKey) });
  }

  /**
   * Public-only key from a 32-byte public key (bytes or hex).
   * @example
   * import { WalletKey } from '@taoscript/sdk';
   * WalletKey.fromPublicKey('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');
   */
  static fromPublicKey(publicKey: Uint8Array | string): WalletKey {
    return new WalletKey({ publicKey: bytesInput(publicKey, 32, 'publicKey') });
  }

  /**
   * Public-only key from an SS58 address (any network prefix; re-encoded with prefix 42).
   * @example
   * import { WalletKey } from '@taoscript/sdk';
   * WalletKey.fromSs58('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
   */
  static fromSs58(address: string): WalletKey {
    assertStringInput(address, 'ss58Address');
    const decoded = ss58Decode(address);
    if (!decoded.valid) throw new RangeError(`invalid SS58 address: ${decoded.reason}`);
    if (decoded.publicKey.length !== 32) {
      throw new RangeError(`SS58 address must carry a 32-byte public key`);
    }
    return new WalletKey({ publicKey: decoded.publicKey });
  }

  /** The 32-byte public key (a copy). */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  /** True when the key can sign (it has a secret). */
  get hasPrivateKey(): boolean {
    return this.#keypair !== undefined;
  }

  /** The signing keypair; throws `KEY_PUBLIC_ONLY` for a public-only key. */
  get keypair(): Keypair {
    if (this.#keypair === undefined) {
      throw new WalletError('KEY_PUBLIC_ONLY', `Key ${this.ss58Address} has no private key`, {
        meta: ['This key was loaded from a public-only keyfile (e.g. coldkeypub.txt).'],
      });
    }
    return this.#keypair;
  }

  /** The BIP39 phrase the key was made from, if known (btwallet `secretPhrase`). */
  get mnemonic(): string | undefined {
    return this.#mnemonic;
  }

  /** The 32-byte mini-secret the key was made from, if known (btwallet `secretSeed`). */
  get seed(): Uint8Array | undefined {
    return this.#seed?.slice();
  }

  /** btwallet's 64-byte `privateKey` (canonical form: scalar ‖ nonce), if the key has a secret. */
  get privateKey(): Uint8Array | undefined {
    if (this.#keypair === undefined) return undefined;
    return sr25519SecretToCanonical(this.#keypair.secretKey);
  }

  /** The same key without any secret material. */
  toPublic(): WalletKey {
    return new WalletKey({ publicKey: this.#publicKey });
  }

  /** SS58 address with another network prefix. */
  address(prefix = SS58_FORMAT): string {
    return prefix === SS58_FORMAT ? this.ss58Address : ss58Encode(this.#publicKey, prefix);
  }

  /** Signs bytes, or a string (`0x…` hex-decoded, otherwise UTF-8) as btwallet does; randomised. */
  sign(message: Uint8Array | string): Uint8Array {
    return this.keypair.sign(messageBytes(message, 'message'));
  }

  /** btwallet-style verify: the raw message, then `<Bytes>…</Bytes>`-wrapped. */
  verify(message: Uint8Array | string, signature: Uint8Array | string): boolean {
    const sig = bytesInput(signature, 64, 'signature');
    return verifyWrapped(messageBytes(message, 'message'), sig, this.#publicKey, 'sr25519');
  }

  /** True when `other` has the same public key. */
  equals(other: WalletKey): boolean {
    return other instanceof WalletKey && bytesEqual(other.#publicKey, this.#publicKey);
  }

  /** JSON without secrets. */
  toJSON(): { ss58Address: string; publicKey: string; hasPrivateKey: boolean } {
    return {
      ss58Address: this.ss58Address,
      publicKey: toHex(this.#publicKey),
      hasPrivateKey: this.hasPrivateKey,
    };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `WalletKey(${this.ss58Address}${this.hasPrivateKey ? '' : ', public only'})`;
  }
}
