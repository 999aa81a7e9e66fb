import { blake2_256 } from '@taoscript/codec';
import { assertString, concatBytes } from './assert.js';
import { scaleString } from './scale-str.js';

/** The Substrate development phrase; `//Alice` and friends derive from it. */
export const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

/** One derivation step: hard (`//x`) or soft (`/x`), with its 32-byte chain code. */
export interface DeriveJunction {
  hard: boolean;
  chainCode: Uint8Array;
}

/** A parsed secret URI. */
export interface SecretUri {
  phrase: string;
  path: DeriveJunction[];
  password?: string;
}

/** Longest secret URI accepted. */
const MAX_URI_CHARS = 4096;
const U64_MAX = (1n << 64n) - 1n;
// sp-core SecretUri: ^(?P<phrase>[\d\w ]+)?(?P<path>(//?[^/]+)*)(///(?P<password>.*))?$
// Rust's `\w` is Unicode-aware; the class below is its JS equivalent.
const SURI_RE =
  /^(?<phrase>[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control} ]+)?(?<path>(?:\/\/?[^/]+)*)(?:\/\/\/(?<password>.*))?$/u;
const JUNCTION_RE = /\/(\/?[^/]+)/gu;

/**
 * Chain code of one junction (text after `/` or `//`): a u64 in LE if it parses as one,
 * else the SCALE-encoded string; zero-padded to 32 bytes, or blake2_256-hashed if longer.
 * @example
 * import { junctionChainCode } from '@taoscript/crypto';
 * junctionChainCode('Alice'); // 0x14416c696365 then zeros
 */
export function junctionChainCode(code: string): Uint8Array {
  assertString(code, 'junction');
  let encoded: Uint8Array;
  // Rust's u64::from_str accepts an optional leading '+'.
  if (/^\+?[0-9]+$/u.test(code) && BigInt(code) <= U64_MAX) {
    let n = BigInt(code);
    encoded = new Uint8Array(8);
    for (let i = 0; i < 8; i++) {
      encoded[i] = Number(n & 0xffn);
      n >>= 8n;
    }
  } else {
    encoded = scaleString(code);
  }
  if (encoded.length > 32) return blake2_256(encoded);
  return concatBytes(encoded, new Uint8Array(32 - encoded.length));
}

/**
 * Parses a Substrate secret URI `<phrase | 0xseed>[//hard | /soft]*[///password]`, as sp-core does.
 * A URI with no phrase (e.g. `//Alice`) uses {@link DEV_PHRASE}.
 * @example
 * import { parseSuri } from '@taoscript/crypto';
 * const { phrase, path } = parseSuri('//Alice//stash');
 */
export function parseSuri(uri: string): SecretUri {
  assertString(uri, 'secret URI');
  if (uri.length > MAX_URI_CHARS) {
    throw new RangeError(`secret URI is too long (${uri.length} chars, max ${MAX_URI_CHARS})`);
  }
  if (uri.trim() === '') throw new RangeError('secret URI is empty');
  const match = SURI_RE.exec(uri);
  if (match === null) {
    throw new RangeError(
      'secret URI is malformed: expected <mnemonic or 0x seed>, then //hard or /soft junctions, then optional ///password',
    );
  }
  const groups = match.groups ?? {};
  const phrase = groups.phrase?.trim() || DEV_PHRASE;
  const path: DeriveJunction[] = [];
  for (const [, segment] of (groups.path ?? '').matchAll(JUNCTION_RE)) {
    const hard = segment!.startsWith('/');
    path.push({ hard, chainCode: junctionChainCode(hard ? segment!.slice(1) : segment!) });
  }
  const result: SecretUri = { phrase, path };
  if (groups.password !== undefined) result.password = groups.password;
  return result;
}
