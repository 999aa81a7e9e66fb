import * as sr from '@scure/sr25519';
import { assertBytes, concatBytes } from './assert.js';

/** A raw keypair: 32-byte public key and 64-byte secret key. */
export interface RawKeypair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Order of the Ristretto255 group (the scalar field modulus `l`). */
const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

function scalarFromLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function scalarToLE(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/**
 * Expands a 32-byte mini secret into an sr25519 keypair (schnorrkel `ExpansionMode::Ed25519`).
 * The secret key is the 64-byte "ed25519 form" (scalar·8 ‖ nonce) used by polkadot-js.
 * @example
 * import { sr25519PairFromSeed } from '@taoscript/crypto';
 * const { publicKey } = sr25519PairFromSeed(new Uint8Array(32));
 */
export function sr25519PairFromSeed(miniSecret: Uint8Array): RawKeypair {
  assertBytes(miniSecret, 32, 'sr25519 mini secret');
  const secretKey = sr.secretFromSeed(miniSecret);
  return { publicKey: sr.getPublicKey(secretKey), secretKey };
}

/**
 * Public key of a 64-byte sr25519 secret key (ed25519 form).
 * @example
 * import { sr25519PairFromSeed, sr25519PublicFromSecret } from '@taoscript/crypto';
 * sr25519PublicFromSecret(sr25519PairFromSeed(new Uint8Array(32)).secretKey);
 */
export function sr25519PublicFromSecret(secretKey: Uint8Array): Uint8Array {
  assertBytes(secretKey, 64, 'sr25519 secretKey');
  return sr.getPublicKey(secretKey);
}

/**
 * Signs `message` with the substrate signing context; the signature is randomised.
 * @example
 * import { sr25519PairFromSeed, sr25519Sign } from '@taoscript/crypto';
 * const sig = sr25519Sign(sr25519PairFromSeed(new Uint8Array(32)).secretKey, new Uint8Array([1]));
 */
export function sr25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes(secretKey, 64, 'sr25519 secretKey');
  assertBytes(message, undefined, 'message');
  return sr.sign(secretKey, message);
}

/**
 * Verifies an sr25519 signature; false (never a throw) for any well-typed invalid input.
 * @example
 * import { sr25519PairFromSeed, sr25519Sign, sr25519Verify } from '@taoscript/crypto';
 * const { publicKey, secretKey } = sr25519PairFromSeed(new Uint8Array(32));
 * const msg = new Uint8Array([1, 2]);
 * sr25519Verify(sr25519Sign(secretKey, msg), msg, publicKey); // true
 */
export function sr25519Verify(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  assertBytes(signature, 64, 'sr25519 signature');
  assertBytes(message, undefined, 'message');
  assertBytes(publicKey, 32, 'sr25519 publicKey');
  // Fast reject: schnorrkel sets the top bit of the last byte in every signature it makes.
  if ((signature[63]! & 0x80) === 0) return false;
  try {
    return sr.verify(message, signature, publicKey);
  } catch {
    // Non-canonical point encodings, out-of-range scalars and so on.
    return false;
  }
}

/**
 * Converts a btwallet "canonical" secret (scalar ‖ nonce) to the ed25519 form (scalar·8 ‖ nonce).
 * @example
 * import { sr25519SecretFromCanonical } from '@taoscript/crypto';
 * sr25519SecretFromCanonical(new Uint8Array(64).fill(1, 0, 1));
 */
export function sr25519SecretFromCanonical(canonical: Uint8Array): Uint8Array {
  assertBytes(canonical, 64, 'sr25519 canonical secret');
  const scalar = scalarFromLE(canonical.subarray(0, 32));
  if (scalar >= GROUP_ORDER) {
    throw new RangeError('sr25519 canonical secret: scalar is not reduced modulo the group order');
  }
  return concatBytes(scalarToLE(scalar << 3n), canonical.slice(32, 64));
}

/**
 * Converts an ed25519-form secret (scalar·8 ‖ nonce) to the btwallet "canonical" form (scalar ‖ nonce).
 * @example
 * import { sr25519PairFromSeed, sr25519SecretToCanonical } from '@taoscript/crypto';
 * sr25519SecretToCanonical(sr25519PairFromSeed(new Uint8Array(32)).secretKey);
 */
export function sr25519SecretToCanonical(ed25519Form: Uint8Array): Uint8Array {
  assertBytes(ed25519Form, 64, 'sr25519 ed25519-form secret');
  const shifted = scalarFromLE(ed25519Form.subarray(0, 32));
  if ((shifted & 7n) !== 0n) {
    throw new RangeError('sr25519 ed25519-form secret: scalar half is not a multiple of 8');
  }
  const scalar = shifted >> 3n;
  if (scalar >= GROUP_ORDER) {
    throw new RangeError(
      'sr25519 ed25519-form secret: scalar is not reduced modulo the group order',
    );
  }
  return concatBytes(scalarToLE(scalar), ed25519Form.slice(32, 64));
}

/**
 * Hard (`//`) derivation of an sr25519 secret key (schnorrkel `hard_derive_mini_secret_key`).
 * @example
 * import { sr25519DeriveHard, sr25519PairFromSeed } from '@taoscript/crypto';
 * sr25519DeriveHard(sr25519PairFromSeed(new Uint8Array(32)).secretKey, new Uint8Array(32));
 */
export function sr25519DeriveHard(secretKey: Uint8Array, chainCode: Uint8Array): RawKeypair {
  assertBytes(secretKey, 64, 'sr25519 secretKey');
  assertBytes(chainCode, 32, 'chainCode');
  const derived = sr.HDKD.secretHard(secretKey, chainCode);
  return { publicKey: sr.getPublicKey(derived), secretKey: derived };
}

/**
 * Soft (`/`) derivation of an sr25519 secret key; the public key is deterministic, the nonce half is random.
 * @example
 * import { sr25519DeriveSoft, sr25519PairFromSeed } from '@taoscript/crypto';
 * sr25519DeriveSoft(sr25519PairFromSeed(new Uint8Array(32)).secretKey, new Uint8Array(32));
 */
export function sr25519DeriveSoft(secretKey: Uint8Array, chainCode: Uint8Array): RawKeypair {
  assertBytes(secretKey, 64, 'sr25519 secretKey');
  assertBytes(chainCode, 32, 'chainCode');
  const derived = sr.HDKD.secretSoft(secretKey, chainCode);
  return { publicKey: sr.getPublicKey(derived), secretKey: derived };
}

/**
 * Soft (`/`) derivation of an sr25519 public key without its secret.
 * @example
 * import { sr25519DerivePublicSoft, sr25519PairFromSeed } from '@taoscript/crypto';
 * sr25519DerivePublicSoft(sr25519PairFromSeed(new Uint8Array(32)).publicKey, new Uint8Array(32));
 */
export function sr25519DerivePublicSoft(publicKey: Uint8Array, chainCode: Uint8Array): Uint8Array {
  assertBytes(publicKey, 32, 'sr25519 publicKey');
  assertBytes(chainCode, 32, 'chainCode');
  try {
    return sr.HDKD.publicSoft(publicKey, chainCode);
  } catch (cause) {
    throw new RangeError('sr25519 publicKey is not a valid Ristretto point', { cause });
  }
}
