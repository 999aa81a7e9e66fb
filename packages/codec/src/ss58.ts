import { base58 } from '@scure/base';
import { blake2bInto } from './blake2b.js';
import { assertBytes } from './errors.js';

/** The generic Substrate SS58 prefix, used by Bittensor. */
export const SS58_PREFIX = 42;

/** Result of {@link ss58Decode}. */
export type Ss58DecodeResult =
  | { valid: false; reason: string }
  | { valid: true; publicKey: Uint8Array; prefix: number };

/** Payload lengths Substrate allows in an SS58 address. */
const PAYLOAD_LENGTHS = new Set([1, 2, 4, 8, 32, 33]);
/** 'SS58PRE' */
const CONTEXT = new Uint8Array([0x53, 0x53, 0x35, 0x38, 0x50, 0x52, 0x45]);
/** Longest valid address: 2 prefix + 33 payload + 2 checksum bytes = 37 bytes, at most 51 chars. */
const MAX_ADDRESS_CHARS = 64;

function checksum(body: Uint8Array): Uint8Array {
  const pre = new Uint8Array(CONTEXT.length + body.length);
  pre.set(CONTEXT, 0);
  pre.set(body, CONTEXT.length);
  const out = new Uint8Array(64);
  blake2bInto(pre, 64, out, 0);
  return out;
}

function checksumLength(payloadLength: number): number {
  return payloadLength === 32 || payloadLength === 33 ? 2 : 1;
}

function isReservedPrefix(prefix: number): boolean {
  return prefix === 46 || prefix === 47;
}

/**
 * Encodes a public key (or any 1/2/4/8/32/33-byte account id) as an SS58 address.
 * Prefixes 0..63 use one byte, 64..16383 two bytes; 46 and 47 are reserved.
 * @example
 * import { fromHex, ss58Encode } from '@taoscript/codec';
 * ss58Encode(fromHex('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d'));
 * // '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'
 */
export function ss58Encode(publicKey: Uint8Array, prefix: number = SS58_PREFIX): string {
  assertBytes(publicKey, undefined, 'ss58Encode publicKey');
  if (!PAYLOAD_LENGTHS.has(publicKey.length)) {
    throw new RangeError(
      `ss58Encode publicKey: expected 1, 2, 4, 8, 32 or 33 bytes, got ${publicKey.length}`,
    );
  }
  if (typeof prefix !== 'number') {
    throw new TypeError(`ss58Encode prefix: expected a number, got ${typeof prefix}`);
  }
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 16383 || isReservedPrefix(prefix)) {
    throw new RangeError(
      `ss58Encode prefix: expected an integer in [0, 16383] except 46/47, got ${prefix}`,
    );
  }
  const prefixBytes =
    prefix < 64
      ? [prefix]
      : [((prefix & 0b1111_1100) >> 2) | 0b0100_0000, (prefix >> 8) | ((prefix & 0b11) << 6)];
  const body = new Uint8Array(prefixBytes.length + publicKey.length);
  body.set(prefixBytes, 0);
  body.set(publicKey, prefixBytes.length);
  const sum = checksum(body);
  const csLen = checksumLength(publicKey.length);
  const full = new Uint8Array(body.length + csLen);
  full.set(body, 0);
  full.set(sum.subarray(0, csLen), body.length);
  return base58.encode(full);
}

/**
 * Decodes an SS58 address, checking base58, length, prefix and checksum. Never throws.
 * @example
 * import { ss58Decode } from '@taoscript/codec';
 * const r = ss58Decode('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
 * if (r.valid) r.publicKey; // 32 bytes, r.prefix === 42
 */
export function ss58Decode(address: unknown): Ss58DecodeResult {
  if (typeof address !== 'string') {
    return {
      valid: false,
      reason: `expected a string, got ${address === null ? 'null' : typeof address}`,
    };
  }
  if (address.length === 0) return { valid: false, reason: 'empty address' };
  if (address.length > MAX_ADDRESS_CHARS) {
    return { valid: false, reason: `address too long (${address.length} characters)` };
  }
  let data: Uint8Array;
  try {
    data = base58.decode(address);
  } catch {
    return { valid: false, reason: 'not valid base58' };
  }
  const first = data[0];
  if (first === undefined) return { valid: false, reason: 'empty address' };
  let prefix: number;
  let prefixLength: number;
  if (first < 64) {
    prefix = first;
    prefixLength = 1;
  } else if (first < 128) {
    const second = data[1];
    if (second === undefined) return { valid: false, reason: 'truncated two-byte prefix' };
    prefix = ((first & 0b0011_1111) << 2) | (second >> 6) | ((second & 0b0011_1111) << 8);
    prefixLength = 2;
    if (prefix < 64) return { valid: false, reason: `non-canonical two-byte prefix ${prefix}` };
  } else {
    return { valid: false, reason: `unknown prefix byte ${first}` };
  }
  if (isReservedPrefix(prefix)) return { valid: false, reason: `reserved prefix ${prefix}` };
  const rest = data.length - prefixLength;
  // 32/33-byte payloads carry a 2-byte checksum; the short ones (1, 2, 4, 8) a 1-byte checksum.
  const csLen = rest === 34 || rest === 35 ? 2 : 1;
  const payloadLength = rest - csLen;
  if (!PAYLOAD_LENGTHS.has(payloadLength) || checksumLength(payloadLength) !== csLen) {
    return { valid: false, reason: `invalid decoded length ${data.length}` };
  }
  const bodyLength = prefixLength + payloadLength;
  const sum = checksum(data.subarray(0, bodyLength));
  for (let i = 0; i < csLen; i++) {
    if (data[bodyLength + i] !== sum[i]) return { valid: false, reason: 'checksum mismatch' };
  }
  return { valid: true, publicKey: data.slice(prefixLength, bodyLength), prefix };
}
