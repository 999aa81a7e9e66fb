import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2_256 } from '@taoscript/codec';
import { assertBytes, concatBytes, equalBytes } from './assert.js';
import { scaleString } from './scale-str.js';
import type { RawKeypair } from './sr25519.js';

const HDKD_TAG = scaleString('Ed25519HDKD');

/**
 * Ed25519 keypair from a 32-byte seed; the secret key is seed ‖ publicKey (64 bytes, as polkadot-js).
 * @example
 * import { ed25519PairFromSeed } from '@taoscript/crypto';
 * const { publicKey, secretKey } = ed25519PairFromSeed(new Uint8Array(32));
 */
export function ed25519PairFromSeed(seed: Uint8Array): RawKeypair {
  assertBytes(seed, 32, 'ed25519 seed');
  const publicKey = ed25519.getPublicKey(seed);
  return { publicKey, secretKey: concatBytes(seed, publicKey) };
}

/**
 * Signs `message` (RFC 8032, deterministic) with a 64-byte seed ‖ publicKey secret key.
 * @example
 * import { ed25519PairFromSeed, ed25519Sign } from '@taoscript/crypto';
 * ed25519Sign(ed25519PairFromSeed(new Uint8Array(32)).secretKey, new Uint8Array([1]));
 */
export function ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes(secretKey, 64, 'ed25519 secretKey');
  assertBytes(message, undefined, 'message');
  const seed = secretKey.subarray(0, 32);
  if (!equalBytes(ed25519.getPublicKey(seed), secretKey.subarray(32, 64))) {
    throw new RangeError('ed25519 secretKey: public half does not match the seed half');
  }
  return ed25519.sign(message, seed);
}

/**
 * Verifies an ed25519 signature (ZIP-215 rules, as Substrate); false for any well-typed invalid input.
 * @example
 * import { ed25519PairFromSeed, ed25519Sign, ed25519Verify } from '@taoscript/crypto';
 * const { publicKey, secretKey } = ed25519PairFromSeed(new Uint8Array(32));
 * ed25519Verify(ed25519Sign(secretKey, new Uint8Array([1])), new Uint8Array([1]), publicKey);
 */
export function ed25519Verify(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  assertBytes(signature, 64, 'ed25519 signature');
  assertBytes(message, undefined, 'message');
  assertBytes(publicKey, 32, 'ed25519 publicKey');
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: true });
  } catch {
    return false;
  }
}

/**
 * Hard (`//`) derivation of an ed25519 seed: blake2_256(SCALE("Ed25519HDKD") ‖ seed ‖ chainCode).
 * @example
 * import { ed25519DeriveHard } from '@taoscript/crypto';
 * const childSeed = ed25519DeriveHard(new Uint8Array(32), new Uint8Array(32));
 */
export function ed25519DeriveHard(seed: Uint8Array, chainCode: Uint8Array): Uint8Array {
  assertBytes(seed, 32, 'ed25519 seed');
  assertBytes(chainCode, 32, 'chainCode');
  return blake2_256(concatBytes(HDKD_TAG, seed, chainCode));
}
