import { bytesEqual, fromHex, toHex, utf8Decode, utf8Encode } from '@taoscript/codec';
import { WalletError } from './errors.js';
import { WalletKey } from './key.js';
import type { WalletLogger } from './logger.js';

/** Field names of the keyfile JSON, in the order we write them (one valid btwallet order). */
const FIELDS = [
  'accountId',
  'publicKey',
  'privateKey',
  'secretPhrase',
  'secretSeed',
  'ss58Address',
] as const;

/**
 * The keyfile plaintext (spec §1.2): compact JSON, `0x` lowercase hex, `privateKey` in the canonical
 * schnorrkel form. Public-only keys give the three public fields (the coldkeypub.txt shape).
 * @example
 * import { WalletKey, serializeKeyfileData } from '@taoscript/sdk';
 * new TextDecoder().decode(serializeKeyfileData(WalletKey.fromUri('//Alice').toPublic()));
 */
export function serializeKeyfileData(key: WalletKey): Uint8Array {
  if (!(key instanceof WalletKey)) throw new TypeError('key must be a WalletKey');
  const publicHex = toHex(key.publicKey);
  const out: Partial<Record<(typeof FIELDS)[number], string>> = {
    accountId: publicHex,
    publicKey: publicHex,
  };
  const privateKey = key.privateKey;
  if (privateKey !== undefined) out.privateKey = toHex(privateKey);
  if (key.mnemonic !== undefined) out.secretPhrase = key.mnemonic;
  const seed = key.seed;
  if (seed !== undefined) out.secretSeed = toHex(seed);
  out.ss58Address = key.ss58Address;
  return utf8Encode(JSON.stringify(out));
}

/** Options for {@link deserializeKeyfileData}. */
export interface DeserializeKeyfileOptions {
  /** File the data came from, for error messages. */
  path?: string;
  /** Receives a warning when stored public fields disagree with the secret. */
  logger?: WalletLogger;
}

function corrupt(path: string | undefined, message: string, cause?: unknown): WalletError {
  return new WalletError('KEYFILE_CORRUPT', message, {
    ...(path === undefined ? {} : { path }),
    ...(cause === undefined ? {} : { cause, details: errorText(cause) }),
  });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Rust's `trim_start_matches("0x")` followed by `hex::decode`; undefined when not hex. */
function hexField(value: string): Uint8Array | undefined {
  let body = value;
  while (body.startsWith('0x')) body = body.slice(2);
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/u.test(body)) return undefined;
  return fromHex(body);
}

/** The fields as btwallet reads them: every value must be a string or null (null = absent). */
function parseFields(data: Uint8Array, path: string | undefined): Map<string, string> {
  let text: string;
  try {
    text = utf8Decode(data);
  } catch (cause) {
    throw corrupt(path, 'Keyfile is not valid UTF-8 (wrong format or damaged file)', cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw corrupt(path, 'Keyfile is not valid JSON (wrong format or damaged file)', cause);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw corrupt(path, 'Keyfile JSON must be an object');
  }
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed)) {
    if (value === null) continue;
    if (typeof value !== 'string') {
      throw corrupt(path, `Keyfile field "${name.slice(0, 64)}" must be a string or null`);
    }
    fields.set(name, value);
  }
  return fields;
}

function fromPrivateKeyField(
  bytes: Uint8Array,
  storedPublic: Uint8Array | undefined,
  logger: WalletLogger | undefined,
  path: string | undefined,
): WalletKey {
  // sp-core `from_seed_slice`: 32 bytes are a mini-secret, 64 bytes a canonical secret key.
  if (bytes.length === 32) return WalletKey.fromSeed(bytes);
  if (bytes.length !== 64) {
    throw corrupt(path, `Keyfile privateKey must be 32 or 64 bytes, got ${bytes.length}`);
  }
  let canonical: WalletKey | undefined;
  let canonicalError: unknown;
  try {
    canonical = WalletKey.fromPrivateKey(bytes);
  } catch (e) {
    canonicalError = e;
  }
  if (
    canonical !== undefined &&
    (storedPublic === undefined || bytesEqual(canonical.publicKey, storedPublic))
  ) {
    return canonical;
  }
  // Files from JS tools (and possibly the pre-2024 Python SDK) hold the ed25519 form (scalar·8).
  // Use it only when the file's own public key proves that reading is the right one.
  if (storedPublic !== undefined) {
    try {
      const ed = WalletKey.fromEd25519FormSecret(bytes);
      if (bytesEqual(ed.publicKey, storedPublic)) {
        logger?.warn(
          { path, ss58Address: ed.ss58Address },
          'keyfile privateKey is in the ed25519 (scalar*8) form; btwallet expects the canonical form',
        );
        return ed;
      }
    } catch {
      // Not a valid ed25519-form secret either.
    }
  }
  if (canonical !== undefined) return canonical;
  throw corrupt(path, 'Keyfile privateKey is not a valid sr25519 secret key', canonicalError);
}

function fromSeedField(value: string, path: string | undefined): WalletKey {
  const bytes = hexField(value);
  if (bytes !== undefined && (bytes.length === 32 || bytes.length === 64)) {
    return bytes.length === 32 ? WalletKey.fromSeed(bytes) : WalletKey.fromPrivateKey(bytes);
  }
  // btwallet quirk: a seed whose 32 bytes are valid UTF-8 is written as "0x" + the raw text.
  const raw = utf8Encode(value.startsWith('0x') ? value.slice(2) : value);
  if (raw.length === 32) return WalletKey.fromSeed(raw);
  throw corrupt(path, 'Keyfile secretSeed must be 0x-prefixed hex of a 32-byte seed');
}

/**
 * Parses keyfile plaintext JSON into a key with btwallet's precedence:
 * `secretPhrase`, else `secretSeed`, else `privateKey`, else `ss58Address` (public only).
 * Any key order is accepted; `null` counts as absent; non-string values are rejected.
 * @example
 * import { deserializeKeyfileData } from '@taoscript/sdk';
 * const key = deserializeKeyfileData(new TextEncoder().encode(
 *   '{"ss58Address":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}'));
 */
export function deserializeKeyfileData(
  data: Uint8Array,
  opts: DeserializeKeyfileOptions = {},
): WalletKey {
  if (!(data instanceof Uint8Array)) throw new TypeError('keyfile data must be a Uint8Array');
  const { path, logger } = opts;
  const fields = parseFields(data, path);
  const storedPublicHex = fields.get('publicKey') ?? fields.get('accountId');
  const storedPublic = storedPublicHex === undefined ? undefined : hexField(storedPublicHex);
  const storedPublicKey = storedPublic?.length === 32 ? storedPublic : undefined;

  // Errors name the field but never echo secret text (a bad phrase may be a typo of a real one).
  const attempt = (field: string, make: () => WalletKey): WalletKey => {
    try {
      return make();
    } catch (e) {
      if (e instanceof WalletError) throw e;
      const reason = field === 'secretPhrase' ? 'not a valid BIP39 mnemonic' : errorText(e);
      throw corrupt(path, `Keyfile ${field} is invalid: ${reason}`);
    }
  };
  const phrase = fields.get('secretPhrase');
  const seed = fields.get('secretSeed');
  const privateKey = fields.get('privateKey');
  const ss58 = fields.get('ss58Address');
  let key: WalletKey;
  if (phrase !== undefined) {
    key = attempt('secretPhrase', () => WalletKey.fromMnemonic(phrase));
  } else if (seed !== undefined) {
    key = attempt('secretSeed', () => fromSeedField(seed, path));
  } else if (privateKey !== undefined) {
    const bytes = hexField(privateKey);
    if (bytes === undefined) throw corrupt(path, 'Keyfile privateKey is not hex');
    key = attempt('privateKey', () => fromPrivateKeyField(bytes, storedPublicKey, logger, path));
  } else if (ss58 !== undefined) {
    key = attempt('ss58Address', () => WalletKey.fromSs58(ss58));
  } else {
    throw corrupt(
      path,
      'Keyfile holds no key (no secretPhrase, secretSeed, privateKey or ss58Address)',
    );
  }

  if (storedPublicKey !== undefined && !bytesEqual(storedPublicKey, key.publicKey)) {
    logger?.warn(
      { path, ss58Address: key.ss58Address, storedPublicKey: toHex(storedPublicKey) },
      'keyfile publicKey does not match its secret; using the key derived from the secret (as btwallet does)',
    );
  }
  return key;
}
