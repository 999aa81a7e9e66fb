/**
 * Extrinsics (format v4): `Compact<len> ++ version ++ [address ++ signature ++ extra] ++ call`.
 */
import { blake2_256, compactLength, concatBytes, encodeCompact } from '@taoscript/codec';
import { createDecoder } from 'scale-ts';
import { cursorOf } from './dsl.js';
import { type ExplicitExtra, ExtraTuple, encodeExplicit } from './extensions.js';
import { RuntimeCall } from './outer.js';
import { type Era, MultiAddress, MultiSignature } from './primitives.js';

export interface SignedPart {
  address: MultiAddress;
  signature: MultiSignature;
  extra: ExplicitExtra;
}

export interface DecodedExtrinsic {
  version: 4;
  signed: SignedPart | undefined;
  call: RuntimeCall;
  /** The call's own bytes (what the signature covers, with the extra). */
  callBytes: Uint8Array;
  /** The explicit extra's bytes as sent (signed only). */
  extraBytes: Uint8Array | undefined;
  /** The whole extrinsic as submitted, length prefix included. */
  bytes: Uint8Array;
}

/** Thrown for bytes that are not a well-formed extrinsic. */
export class ExtrinsicDecodeError extends Error {
  override name = 'ExtrinsicDecodeError';
}

const measured = <T>(codecDec: (b: Uint8Array) => T) =>
  createDecoder((input) => {
    const start = cursorOf(input);
    const value = codecDec(input);
    return { value, length: cursorOf(input) - start };
  });

const addressM = measured(MultiAddress.codec.dec);
const signatureM = measured(MultiSignature.codec.dec);
const extraM = measured(ExtraTuple.codec.dec);
const callM = measured(RuntimeCall.codec.dec);

/** Decodes a length-prefixed extrinsic, checking the length prefix and that nothing trails. */
export function decodeExtrinsic(bytes: Uint8Array): DecodedExtrinsic {
  const input = bytes.slice();
  let len: number;
  let at: number;
  try {
    const c = compactLength(input);
    len = Number(c.value);
    at = c.length;
  } catch {
    throw new ExtrinsicDecodeError('cannot decode the length prefix');
  }
  if (at + len !== input.length)
    throw new ExtrinsicDecodeError(
      `length prefix says ${len} bytes, but ${input.length - at} follow it`,
    );
  const version = input[at];
  if (version === undefined) throw new ExtrinsicDecodeError('empty extrinsic');
  const isSigned = (version & 0x80) !== 0;
  if ((version & 0x7f) !== 4)
    throw new ExtrinsicDecodeError(`unsupported extrinsic version ${version & 0x7f}`);
  at += 1;
  let signed: SignedPart | undefined;
  let extraBytes: Uint8Array | undefined;
  try {
    if (isSigned) {
      const a = addressM(input.slice(at));
      at += a.length;
      const s = signatureM(input.slice(at));
      at += s.length;
      const e = extraM(input.slice(at));
      extraBytes = input.slice(at, at + e.length);
      at += e.length;
      const v = e.value as unknown[];
      signed = {
        address: a.value,
        signature: s.value,
        extra: {
          era: v[4] as Era,
          nonce: v[5] as number,
          tip: v[7] as bigint,
          metadataHashMode: (v[12] as { mode: { type: 'Disabled' | 'Enabled' } }).mode.type,
        },
      };
    }
  } catch (err) {
    throw new ExtrinsicDecodeError(`cannot decode the signature part: ${(err as Error).message}`);
  }
  const callBytes = input.slice(at);
  let call: RuntimeCall;
  try {
    const c = callM(callBytes);
    if (c.length !== callBytes.length)
      throw new Error(`${callBytes.length - c.length} bytes trail the call`);
    call = c.value;
  } catch (err) {
    throw new ExtrinsicDecodeError(`cannot decode the call: ${(err as Error).message}`);
  }
  return { version: 4, signed, call, callBytes, extraBytes, bytes: input };
}

/** The bytes a signer signs: call ++ explicit ++ implicit, blake2_256-hashed when over 256 bytes. */
export function signingPayload(
  callBytes: Uint8Array,
  explicit: Uint8Array,
  implicit: Uint8Array,
): Uint8Array {
  const raw = concatBytes(callBytes, explicit, implicit);
  return raw.length > 256 ? blake2_256(raw) : raw;
}

/** Assembles a length-prefixed extrinsic. */
export function encodeExtrinsic(call: RuntimeCall | Uint8Array, signed?: SignedPart): Uint8Array {
  const callBytes = call instanceof Uint8Array ? call : RuntimeCall.enc(call);
  const body = signed
    ? concatBytes(
        new Uint8Array([0x84]),
        MultiAddress.enc(signed.address),
        MultiSignature.enc(signed.signature),
        encodeExplicit(signed.extra),
        callBytes,
      )
    : concatBytes(new Uint8Array([0x04]), callBytes);
  return concatBytes(encodeCompact(body.length), body);
}
