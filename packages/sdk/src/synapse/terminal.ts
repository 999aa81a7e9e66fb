import { SynapseParseError } from './errors.js';
import type { PyType } from './py-type.js';
import { pyFloatRepr } from './python-repr.js';

/** One side of a call (`synapse.dendrite` or `synapse.axon`); every field may be null. */
export interface TerminalInfo {
  status_code: number | null;
  status_message: string | null;
  /** Seconds. */
  process_time: number | null;
  ip: string | null;
  port: number | null;
  version: number | null;
  /** Unix time in nanoseconds; exceeds 2^53, so always a bigint. */
  nonce: bigint | null;
  uuid: string | null;
  /** SS58 address. */
  hotkey: string | null;
  /** `0x` + 128 hex digits. */
  signature: string | null;
}

/** TerminalInfo field names in Python's declaration order (the header and body order). */
export const TERMINAL_FIELDS = [
  'status_code',
  'status_message',
  'process_time',
  'ip',
  'port',
  'version',
  'nonce',
  'uuid',
  'hotkey',
  'signature',
] as const satisfies readonly (keyof TerminalInfo)[];

type FieldKind = 'int' | 'bigint' | 'float' | 'str';
const KIND: Record<keyof TerminalInfo, FieldKind> = {
  status_code: 'int',
  status_message: 'str',
  process_time: 'float',
  ip: 'str',
  port: 'int',
  version: 'int',
  nonce: 'bigint',
  uuid: 'str',
  hotkey: 'str',
  signature: 'str',
};

const opt = (kind: 'int' | 'float' | 'str'): PyType => ({ kind: 'optional', inner: { kind } });

/** The Python type of a TerminalInfo (a nested model of ten Optional fields). */
export const TERMINAL_PY_TYPE: PyType = {
  kind: 'model',
  fields: TERMINAL_FIELDS.map((name) => {
    const k = KIND[name];
    return { name, type: opt(k === 'bigint' ? 'int' : k), fallback: () => null };
  }),
};

/**
 * A TerminalInfo with every field null.
 * @example
 * import { emptyTerminal } from '@taoscript/sdk';
 * emptyTerminal().nonce; // null
 */
export function emptyTerminal(): TerminalInfo {
  return {
    status_code: null,
    status_message: null,
    process_time: null,
    ip: null,
    port: null,
    version: null,
    nonce: null,
    uuid: null,
    hotkey: null,
    signature: null,
  };
}

// Real peers send ≤ 20 digits (u64 nonces); longer runs are refused rather than parsed.
const DIGITS = /^\d{1,40}$/;
const INT_TEXT = /^\s*[+-]?\d{1,40}\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)\s*$/i;

/** Python `int(text)` for the forms a peer sends (decimal digits, optional sign and spaces). */
export function parseIntText(text: string, what: string): bigint {
  if (DIGITS.test(text)) return BigInt(text);
  if (!INT_TEXT.test(text)) {
    throw new SynapseParseError('SYNAPSE_HEADER_INVALID', `${what}: '${clip(text)}' is not an int`);
  }
  return BigInt(text.trim());
}

/** Python `float(text)`: decimal or exponent notation, `inf`, `nan`. */
export function parseFloatText(text: string, what: string): number {
  if (!FLOAT_TEXT.test(text)) {
    throw new SynapseParseError(
      'SYNAPSE_HEADER_INVALID',
      `${what}: '${clip(text)}' is not a float`,
    );
  }
  const t = text.trim().toLowerCase();
  if (t.endsWith('nan')) return Number.NaN;
  if (t.endsWith('inf') || t.endsWith('infinity')) {
    return t.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return Number(t);
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

function toSafeInt(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new SynapseParseError('SYNAPSE_HEADER_INVALID', `${what}: ${v} is out of range`);
  }
  return Number(v);
}

/**
 * Sets a terminal field from its header text (Python's `cast_int` / `cast_float` validators).
 * Unknown field names are ignored, as pydantic ignores extra keys.
 */
export function setTerminalFromText(t: TerminalInfo, field: string, text: string, what: string) {
  if (!Object.hasOwn(KIND, field)) return;
  const name = field as keyof TerminalInfo;
  switch (KIND[name]) {
    case 'str':
      (t as unknown as Record<string, unknown>)[name] = text;
      return;
    case 'float':
      t.process_time = parseFloatText(text, what);
      return;
    case 'bigint':
      t.nonce = parseIntText(text, what);
      return;
    case 'int':
      // Up to 15 digits is always a safe integer: skip the bigint round trip.
      (t as unknown as Record<string, unknown>)[name] =
        text.length <= 15 && DIGITS.test(text)
          ? Number(text)
          : toSafeInt(parseIntText(text, what), what);
  }
}

/** Python `str()` of a terminal field value, as written into a `bt_header_*` header. */
export function terminalValueText(field: keyof TerminalInfo, value: unknown): string {
  if (KIND[field] === 'float' && typeof value === 'number') return pyFloatRepr(value);
  return String(value);
}

/**
 * Reads a TerminalInfo from a JSON body value the way pydantic would (numbers or numeric
 * strings for int/float fields, strings for str fields, null for absent).
 */
export function terminalFromJson(raw: unknown, what: string): TerminalInfo {
  const t = emptyTerminal();
  if (raw === null || raw === undefined) return t;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SynapseParseError('SYNAPSE_BODY_INVALID', `${what} must be an object`);
  }
  const obj = raw as Record<string, unknown>;
  for (const field of TERMINAL_FIELDS) {
    const v = obj[field];
    const at = `${what}.${field}`;
    if (v === null || v === undefined) continue;
    const kind = KIND[field];
    if (kind === 'str') {
      if (typeof v !== 'string') {
        throw new SynapseParseError('SYNAPSE_BODY_INVALID', `${at} must be a string`);
      }
      (t as unknown as Record<string, unknown>)[field] = v;
    } else if (typeof v === 'string') {
      setTerminalFromText(t, field, v, at);
    } else if (kind === 'float' && (typeof v === 'number' || typeof v === 'bigint')) {
      t.process_time = Number(v);
    } else if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) {
      if (kind === 'bigint') t.nonce = BigInt(v);
      else (t as unknown as Record<string, unknown>)[field] = toSafeInt(BigInt(v), at);
    } else {
      throw new SynapseParseError('SYNAPSE_BODY_INVALID', `${at} must be an int`);
    }
  }
  return t;
}
