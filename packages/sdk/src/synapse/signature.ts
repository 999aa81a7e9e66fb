import { fromHex, ss58Decode, toHex } from '@taoscript/codec';
import { verifyWrapped } from '@taoscript/crypto';

/** Fields of the message a dendrite signs for each request. */
export interface RequestSignatureFields {
  nonce: bigint;
  dendriteHotkey: string;
  axonHotkey: string;
  uuid: string;
  bodyHash: string;
}

/** Fields of the message an axon signs for each response. */
export interface ResponseSignatureFields {
  nonce: bigint;
  dendriteHotkey: string;
  axonHotkey: string;
  uuid: string;
}

function checkFields(fields: object, names: readonly string[], what: string): void {
  if (typeof fields !== 'object' || fields === null)
    throw new TypeError(`${what}: expected fields`);
  const f = fields as Record<string, unknown>;
  if (typeof f.nonce !== 'bigint' || f.nonce < 0n) {
    throw new TypeError(`${what}: nonce must be a non-negative bigint`);
  }
  for (const n of names) {
    if (typeof f[n] !== 'string') throw new TypeError(`${what}: ${n} must be a string`);
  }
}

/**
 * The text a dendrite signs: `nonce.dendriteHotkey.axonHotkey.uuid.bodyHash`.
 * @example
 * import { requestSignatureMessage } from '@taoscript/sdk';
 * requestSignatureMessage({ nonce: 1n, dendriteHotkey: 'D', axonHotkey: 'A', uuid: 'U', bodyHash: 'H' });
 * // '1.D.A.U.H'
 */
export function requestSignatureMessage(fields: RequestSignatureFields): string {
  checkFields(
    fields,
    ['dendriteHotkey', 'axonHotkey', 'uuid', 'bodyHash'],
    'requestSignatureMessage',
  );
  const { nonce, dendriteHotkey, axonHotkey, uuid, bodyHash } = fields;
  return `${nonce}.${dendriteHotkey}.${axonHotkey}.${uuid}.${bodyHash}`;
}

/**
 * The text an axon signs: `nonce.dendriteHotkey.axonHotkey.uuid` (no body hash).
 * @example
 * import { responseSignatureMessage } from '@taoscript/sdk';
 * responseSignatureMessage({ nonce: 1n, dendriteHotkey: 'D', axonHotkey: 'A', uuid: 'U' }); // '1.D.A.U'
 */
export function responseSignatureMessage(fields: ResponseSignatureFields): string {
  checkFields(fields, ['dendriteHotkey', 'axonHotkey', 'uuid'], 'responseSignatureMessage');
  const { nonce, dendriteHotkey, axonHotkey, uuid } = fields;
  return `${nonce}.${dendriteHotkey}.${axonHotkey}.${uuid}`;
}

/** Anything that signs bytes (a `Keypair` from @taoscript/crypto fits). */
export interface MessageSigner {
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

const encoder = new TextEncoder();

/**
 * Signs the UTF-8 bytes of `message`; returns `0x` + lowercase hex, as the Python SDK sends it.
 * @example
 * import { keypairFromUri } from '@taoscript/crypto';
 * import { signMessage } from '@taoscript/sdk';
 * await signMessage(keypairFromUri('//Alice'), 'hello');
 */
export async function signMessage(signer: MessageSigner, message: string): Promise<string> {
  if (typeof signer?.sign !== 'function') throw new TypeError('signMessage: signer has no sign()');
  if (typeof message !== 'string') throw new TypeError('signMessage: message must be a string');
  const signature = await signer.sign(encoder.encode(message));
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new TypeError('signMessage: signer must return 64 signature bytes');
  }
  return toHex(signature);
}

const SIGNATURE_HEX = /^0x[0-9a-fA-F]{128}$/;

// SS58 decoding hashes a checksum; the same few hundred hotkeys sign every request.
const PUBLIC_KEYS = new Map<string, Uint8Array | null>();
const MAX_CACHED_KEYS = 4096;

function publicKeyOf(hotkey: string): Uint8Array | null {
  const hit = PUBLIC_KEYS.get(hotkey);
  if (hit !== undefined) return hit;
  const decoded = ss58Decode(hotkey);
  const key = decoded.valid && decoded.publicKey.length === 32 ? decoded.publicKey : null;
  if (PUBLIC_KEYS.size >= MAX_CACHED_KEYS) PUBLIC_KEYS.clear();
  PUBLIC_KEYS.set(hotkey, key);
  return key;
}

/** Verifies a signature over `message` (a string or bytes) by the public key `publicKey`. */
export type SignatureVerifier = (
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => boolean | Promise<boolean>;

/** btwallet `Keypair.verify`: sr25519 over the raw message, then over `<Bytes>…</Bytes>`. */
export const defaultVerifier: SignatureVerifier = (signature, message, publicKey) =>
  verifyWrapped(message, signature, publicKey, 'sr25519');

/**
 * {@link verifyMessage} without the promise when the verifier is synchronous (the axon's hot path).
 */
export function checkMessageSignature(
  signature: string,
  message: string,
  hotkey: string,
  verifier: SignatureVerifier = defaultVerifier,
): boolean | Promise<boolean> {
  if (typeof signature !== 'string' || typeof message !== 'string' || typeof hotkey !== 'string') {
    throw new TypeError('verifyMessage: signature, message and hotkey must be strings');
  }
  if (!SIGNATURE_HEX.test(signature)) return false;
  const publicKey = hotkey.length <= 64 ? publicKeyOf(hotkey) : null;
  if (publicKey === null) return false;
  return verifier(fromHex(signature), encoder.encode(message), publicKey.slice());
}

/**
 * Checks a `0x`-hex sr25519 signature of `message` by the SS58 address `hotkey` (as the Python
 * axon does with btwallet's `Keypair.verify`). False for malformed signatures or addresses.
 * @example
 * import { keypairFromUri } from '@taoscript/crypto';
 * import { signMessage, verifyMessage } from '@taoscript/sdk';
 * const alice = keypairFromUri('//Alice');
 * await verifyMessage(await signMessage(alice, 'hi'), 'hi', alice.address()); // true
 */
export async function verifyMessage(
  signature: string,
  message: string,
  hotkey: string,
  verifier: SignatureVerifier = defaultVerifier,
): Promise<boolean> {
  return checkMessageSignature(signature, message, hotkey, verifier);
}
