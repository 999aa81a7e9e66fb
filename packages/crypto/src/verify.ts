import { assertBytes, concatBytes, utf8 } from './assert.js';
import { ed25519Verify } from './ed25519.js';
import type { KeypairType } from './keypair.js';
import { sr25519Verify } from './sr25519.js';

/** Result of {@link signatureVerify}: which scheme accepted the signature, if any. */
export type SignatureVerifyResult = { valid: true; type: KeypairType } | { valid: false };

/**
 * Verifies a 64-byte signature by a 32-byte public key, trying sr25519 then ed25519.
 * @example
 * import { keypairFromUri, signatureVerify } from '@taoscript/crypto';
 * const alice = keypairFromUri('//Alice');
 * const msg = new TextEncoder().encode('hi');
 * signatureVerify(msg, alice.sign(msg), alice.publicKey); // { valid: true, type: 'sr25519' }
 */
export function signatureVerify(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): SignatureVerifyResult {
  assertBytes(message, undefined, 'message');
  assertBytes(signature, 64, 'signature');
  assertBytes(publicKey, 32, 'publicKey');
  if (sr25519Verify(signature, message, publicKey)) return { valid: true, type: 'sr25519' };
  if (ed25519Verify(signature, message, publicKey)) return { valid: true, type: 'ed25519' };
  return { valid: false };
}

const BYTES_OPEN = utf8('<Bytes>');
const BYTES_CLOSE = utf8('</Bytes>');

/**
 * btwallet-style verify: the raw message first, then `<Bytes>` + message + `</Bytes>`
 * (the wrapping polkadot.js extensions apply when signing raw bytes).
 * @example
 * import { keypairFromUri, verifyWrapped } from '@taoscript/crypto';
 * const alice = keypairFromUri('//Alice');
 * const msg = new TextEncoder().encode('hi');
 * verifyWrapped(msg, alice.sign(msg), alice.publicKey); // true
 */
export function verifyWrapped(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
  type: KeypairType = 'sr25519',
): boolean {
  if (type !== 'sr25519' && type !== 'ed25519') {
    throw new RangeError(`keypair type must be 'sr25519' or 'ed25519', got ${String(type)}`);
  }
  const verify = type === 'sr25519' ? sr25519Verify : ed25519Verify;
  assertBytes(message, undefined, 'message');
  if (verify(signature, message, publicKey)) return true;
  return verify(signature, concatBytes(BYTES_OPEN, message, BYTES_CLOSE), publicKey);
}
