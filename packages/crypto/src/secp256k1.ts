import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { assertBytes, concatBytes } from './assert.js';

/**
 * Keccak-256 (the pre-NIST padding Ethereum uses) of `bytes`.
 * @example
 * import { keccak256 } from '@taoscript/crypto';
 * keccak256(new Uint8Array(0)); // c5d24601…5d85a470
 */
export function keccak256(bytes: Uint8Array): Uint8Array {
  assertBytes(bytes, undefined, 'keccak256 input');
  return keccak_256(bytes);
}

/**
 * SHA-256 of `bytes` (subtensor's proof-of-work seal uses it).
 * @example
 * import { sha256 } from '@taoscript/crypto';
 * sha256(new Uint8Array(0)); // e3b0c442…7852b855
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  assertBytes(bytes, undefined, 'sha256 input');
  return nobleSha256(bytes);
}

/**
 * Recovers the 33-byte compressed secp256k1 public key from a 65-byte `r ‖ s ‖ v` signature
 * (v in 0..3) over a 32-byte prehashed message; `undefined` when no key recovers (as sp_core's
 * `ecdsa::Signature::recover_prehashed`, high-s accepted).
 * @example
 * import { secp256k1RecoverPrehashed } from '@taoscript/crypto';
 * secp256k1RecoverPrehashed(new Uint8Array(65), new Uint8Array(32)); // undefined
 */
export function secp256k1RecoverPrehashed(
  signature: Uint8Array,
  hash: Uint8Array,
): Uint8Array | undefined {
  assertBytes(signature, 65, 'secp256k1 signature');
  assertBytes(hash, 32, 'secp256k1 message hash');
  const v = signature[64] as number;
  if (v > 3) return undefined;
  // noble's 'recovered' layout puts the recovery byte first.
  const recovered = concatBytes(Uint8Array.of(v), signature.subarray(0, 64));
  try {
    return secp256k1.recoverPublicKey(recovered, hash, { prehash: false });
  } catch {
    return undefined;
  }
}

/**
 * The 20-byte Ethereum address of a 33-byte compressed secp256k1 public key: the last 20 bytes of
 * keccak256 of its uncompressed x ‖ y; RangeError when the bytes are not a curve point.
 * @example
 * import { ethAddressFromPublicKey } from '@taoscript/crypto';
 * ethAddressFromPublicKey(Uint8Array.from([2, ...new Uint8Array(31), 1]));
 */
export function ethAddressFromPublicKey(compressed: Uint8Array): Uint8Array {
  assertBytes(compressed, 33, 'secp256k1 compressed public key');
  let uncompressed: Uint8Array;
  try {
    uncompressed = secp256k1.Point.fromBytes(compressed).toBytes(false);
  } catch {
    throw new RangeError('secp256k1 compressed public key: not a point on the curve');
  }
  return keccak_256(uncompressed.subarray(1)).slice(12);
}
