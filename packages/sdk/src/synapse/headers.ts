import { bodyHash } from './body-hash.js';
import { definitionOf, type SynapseBase } from './define.js';
import { SynapseParseError } from './errors.js';
import { parsePyJson } from './py-json.js';
import { type PyType, resolvePyType } from './py-type.js';
import { pyFloatRepr } from './python-repr.js';
import {
  emptyTerminal,
  parseFloatText,
  parseIntText,
  setTerminalFromText,
  TERMINAL_FIELDS,
  type TerminalInfo,
  terminalValueText,
} from './terminal.js';

const AXON_HEADERS = TERMINAL_FIELDS.map((f) => `bt_header_axon_${f}`);
const DENDRITE_HEADERS = TERMINAL_FIELDS.map((f) => `bt_header_dendrite_${f}`);

/** Header name prefixes of the bittensor wire protocol. */
export const HEADER_PREFIX = {
  axon: 'bt_header_axon_',
  dendrite: 'bt_header_dendrite_',
  inputObj: 'bt_header_input_obj_',
} as const;

// base64(json.dumps(type(value)())) for each Python type a field value can have.
const INPUT_OBJ: Record<string, string> = {
  int: 'MA==',
  float: 'MC4w',
  str: 'IiI=',
  bool: 'ZmFsc2U=',
  list: 'W10=',
  dict: 'e30=',
};

function inputObjFor(type: PyType, value: unknown): string | undefined {
  const t = resolvePyType(type, value);
  switch (t.kind) {
    case 'int':
    case 'float':
    case 'str':
    case 'bool':
      return INPUT_OBJ[t.kind];
    case 'list':
    case 'tuple':
      return INPUT_OBJ.list;
    case 'dict':
    case 'model':
      return INPUT_OBJ.dict;
    case 'any':
      if (typeof value === 'string') return INPUT_OBJ.str;
      if (typeof value === 'boolean') return INPUT_OBJ.bool;
      if (typeof value === 'bigint') return INPUT_OBJ.int;
      if (typeof value === 'number')
        return Number.isInteger(value) ? INPUT_OBJ.int : INPUT_OBJ.float;
      if (Array.isArray(value)) return INPUT_OBJ.list;
      if (typeof value === 'object' && value !== null) return INPUT_OBJ.dict;
      return undefined;
    default:
      return undefined;
  }
}

// CPython 3.11 dict layout, for `header_size` = sys.getsizeof(headers) (an informational field;
// reproducing it keeps our headers byte-identical to a Python dendrite's).
const usable = (log2: number): number => Math.floor(((1 << log2) * 2) / 3);
const calcLog2 = (min: number): number => {
  let log2 = 3;
  while (1 << log2 < min) log2++;
  return log2;
};

/**
 * `sys.getsizeof()` of the headers dict as `Synapse.to_headers()` builds it in CPython 3.11: a
 * two-entry literal, `update()` with the axon and dendrite header dicts, then one insert per
 * `bt_header_input_obj_*` header.
 */
export function pyHeadersSizeof(axonCount: number, dendriteCount: number, inputs: number): number {
  const key = `${axonCount}.${dendriteCount}.${inputs}`;
  let size = SIZEOF_CACHE.get(key);
  if (size === undefined) {
    size = computeHeadersSizeof(axonCount, dendriteCount, inputs);
    if (SIZEOF_CACHE.size < 1024) SIZEOF_CACHE.set(key, size);
  }
  return size;
}

const SIZEOF_CACHE = new Map<string, number>();

function computeHeadersSizeof(axonCount: number, dendriteCount: number, inputs: number): number {
  let log2 = 3;
  let used = 2;
  for (const n of [axonCount, dendriteCount, -inputs]) {
    // Each `update()` with n entries may presize first; single inserts (n < 0) never do.
    const count = Math.abs(n);
    if (n > 0 && usable(log2) < n) log2 = calcLog2(Math.floor(((used + n) * 3 + 1) / 2));
    for (let i = 0; i < count; i++) {
      if (used >= usable(log2)) log2 = calcLog2(used * 3);
      used++;
    }
  }
  const indexBytes = (1 << log2) * (log2 < 8 ? 1 : log2 < 16 ? 2 : 4);
  // GC header + PyDictObject + PyDictKeysObject + indices + unicode-key entries.
  return 16 + 48 + 32 + indexBytes + usable(log2) * 16;
}

/**
 * Python `Synapse.to_headers()`: `name`, `timeout`, non-null axon then dendrite terminal fields,
 * `bt_header_input_obj_*` for required fields, `header_size`, `total_size`, `computed_body_hash`
 * (pass `bodyHash` when it is already known).
 * @example
 * import { BaseSynapse, toHeaders } from '@taoscript/sdk';
 * toHeaders(BaseSynapse.create({})).timeout; // '12.0'
 */
export function toHeaders(
  synapse: SynapseBase,
  options: { bodyHash?: string } = {},
): Record<string, string> {
  const def = definitionOf(synapse);
  const h: Record<string, string> = { name: synapse.name, timeout: pyFloatRepr(synapse.timeout) };
  let axonCount = 0;
  let dendriteCount = 0;
  for (let i = 0; i < TERMINAL_FIELDS.length; i++) {
    const field = TERMINAL_FIELDS[i]!;
    const v = synapse.axon[field];
    if (v === null || v === undefined) continue;
    h[AXON_HEADERS[i]!] = terminalValueText(field, v);
    axonCount++;
  }
  for (let i = 0; i < TERMINAL_FIELDS.length; i++) {
    const field = TERMINAL_FIELDS[i]!;
    const v = synapse.dendrite[field];
    if (v === null || v === undefined) continue;
    h[DENDRITE_HEADERS[i]!] = terminalValueText(field, v);
    dendriteCount++;
  }
  let inputs = 0;
  const values = synapse as unknown as Record<string, unknown>;
  for (const f of def.fields) {
    if (!f.required) continue;
    const v = values[f.name];
    if (v === null || v === undefined) continue;
    const encoded = inputObjFor(f.type, v);
    if (encoded === undefined) continue;
    h[HEADER_PREFIX.inputObj + f.name] = encoded;
    inputs++;
  }
  h.header_size = String(pyHeadersSizeof(axonCount, dendriteCount, inputs));
  h.total_size = String(synapse.total_size);
  h.computed_body_hash = options.bodyHash ?? bodyHash(synapse);
  return h;
}

// Every other header value is a number, hex, SS58, a UUID, or text that arrived in a request
// header (already held to the header character set); status messages can carry free text.
const FREE_TEXT_HEADERS = ['bt_header_axon_status_message', 'bt_header_dendrite_status_message'];
const INVALID_HEADER_CHARS = /[^\t\x20-\x7e\x80-\xff]/g;
const HAS_INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Makes the free-text status headers sendable: characters HTTP forbids become `?`, and values
 * longer than `maxLength` are cut to it (ending in `...`). Edits and returns `headers`.
 */
export function sanitizeStatusHeaders(
  headers: Record<string, string>,
  maxLength = Number.POSITIVE_INFINITY,
): Record<string, string> {
  for (const k of FREE_TEXT_HEADERS) {
    const v = headers[k];
    if (v === undefined) continue;
    if (v.length <= maxLength && !HAS_INVALID_HEADER_CHAR.test(v)) continue;
    let clean = v.replace(INVALID_HEADER_CHARS, '?');
    if (clean.length > maxLength) clean = `${clean.slice(0, maxLength - 3)}...`;
    headers[k] = clean;
  }
  return headers;
}

/** What `Synapse.from_headers()` recovers from a request's or response's headers. */
export interface ParsedHeaders {
  name: string | null;
  timeout: number | null;
  total_size: number | null;
  header_size: number | null;
  computed_body_hash: string | null;
  axon: TerminalInfo;
  dendrite: TerminalInfo;
  /** Decoded `bt_header_input_obj_*` placeholders (undecodable ones are skipped, as in Python). */
  inputs: Record<string, unknown>;
}

/** Header input: web `Headers`, node's `IncomingHttpHeaders`, or `[name, value]` pairs. */
export type HeaderSource =
  | Headers
  | Iterable<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[] | undefined>>;

function* entries(source: HeaderSource): Generator<[string, string]> {
  if (typeof Headers !== 'undefined' && source instanceof Headers) {
    for (const [k, v] of source) yield [k, v];
    return;
  }
  if (Symbol.iterator in source) {
    for (const [k, v] of source as Iterable<readonly [string, string]>) yield [k.toLowerCase(), v];
    return;
  }
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined) continue;
    yield [k.toLowerCase(), typeof v === 'string' ? v : v.join(', ')];
  }
}

const MAX_INPUT_OBJ = 4096;

// Placeholders repeat on every request (`MA==`, `IiI=`, …): remember the primitive ones.
const INPUT_OBJ_CACHE = new Map<string, string | number | boolean | bigint | null | undefined>();

function decodeInputObj(value: string): unknown {
  if (value.length > MAX_INPUT_OBJ) return undefined;
  const hit = INPUT_OBJ_CACHE.get(value);
  if (hit !== undefined || INPUT_OBJ_CACHE.has(value)) return hit;
  let decoded: unknown;
  try {
    const text = Buffer.from(value, 'base64').toString('utf8');
    decoded = parsePyJson(text, { maxDepth: 16 });
  } catch {
    decoded = undefined;
  }
  if ((typeof decoded !== 'object' || decoded === null) && value.length <= 64) {
    if (INPUT_OBJ_CACHE.size >= 256) INPUT_OBJ_CACHE.clear();
    INPUT_OBJ_CACHE.set(value, decoded as string | number | boolean | bigint | null | undefined);
  }
  return decoded;
}

function toSafe(v: bigint, what: string): number {
  if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SynapseParseError('SYNAPSE_HEADER_INVALID', `${what}: ${v} is out of range`);
  }
  return Number(v);
}

function emptyParsed(): ParsedHeaders {
  return {
    name: null,
    timeout: null,
    total_size: null,
    header_size: null,
    computed_body_hash: null,
    axon: emptyTerminal(),
    dendrite: emptyTerminal(),
    inputs: {},
  };
}

const BT_PREFIX = 'bt_header_';
const PLAIN_KEYS = new Set(['name', 'timeout', 'total_size', 'header_size', 'computed_body_hash']);

/** Reads one (lowercase) header into `out`; other names are ignored. */
function applyHeader(out: ParsedHeaders, key: string, value: string): void {
  if (key.startsWith(HEADER_PREFIX.axon)) {
    const field = key.slice(HEADER_PREFIX.axon.length);
    setTerminalFromText(out.axon, field, value, key);
  } else if (key.startsWith(HEADER_PREFIX.dendrite)) {
    const field = key.slice(HEADER_PREFIX.dendrite.length);
    setTerminalFromText(out.dendrite, field, value, key);
  } else if (key.startsWith(HEADER_PREFIX.inputObj)) {
    const field = key.slice(HEADER_PREFIX.inputObj.length);
    const decoded = decodeInputObj(value);
    if (decoded !== undefined && field !== '__proto__') out.inputs[field] = decoded;
  } else if (key === 'name') out.name = value;
  else if (key === 'timeout') out.timeout = parseFloatText(value, 'timeout');
  else if (key === 'total_size') out.total_size = toSafe(parseIntText(value, key), key);
  else if (key === 'header_size') out.header_size = toSafe(parseIntText(value, key), key);
  else if (key === 'computed_body_hash') out.computed_body_hash = value;
}

/**
 * Python `Synapse.parse_headers_to_inputs()`: reads terminal fields, `name`, `timeout`, sizes and
 * `computed_body_hash` (names case-insensitive, unknown headers ignored). Malformed numbers
 * throw {@link SynapseParseError} (the axon's 400).
 * @example
 * import { parseHeaders } from '@taoscript/sdk';
 * parseHeaders({ bt_header_dendrite_nonce: '1763900000123456789' }).dendrite.nonce; // 1763900000123456789n
 */
export function parseHeaders(source: HeaderSource): ParsedHeaders {
  if (typeof source !== 'object' || source === null) {
    throw new TypeError('parseHeaders: expected headers');
  }
  const out = emptyParsed();
  for (const [key, value] of entries(source)) applyHeader(out, key, value);
  return out;
}

/**
 * {@link parseHeaders} over node's `IncomingMessage.rawHeaders` (`[name, value, name, value, …]`),
 * without building node's header object; repeated headers are joined with `, ` as node does.
 * @example
 * import { parseRawHeaders } from '@taoscript/sdk';
 * parseRawHeaders(['BT_HEADER_DENDRITE_PORT', '8091']).dendrite.port; // 8091
 */
export function parseRawHeaders(raw: readonly string[]): ParsedHeaders {
  if (!Array.isArray(raw)) throw new TypeError('parseRawHeaders: expected a string array');
  const out = emptyParsed();
  let seen: Map<string, string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (typeof name !== 'string' || typeof value !== 'string') {
      throw new TypeError('parseRawHeaders: expected a string array');
    }
    const key = name.toLowerCase();
    if (!key.startsWith(BT_PREFIX) && !PLAIN_KEYS.has(key)) continue;
    seen ??= new Map();
    const prev = seen.get(key);
    seen.set(key, prev === undefined ? value : `${prev}, ${value}`);
  }
  if (seen !== undefined) for (const [key, value] of seen) applyHeader(out, key, value);
  return out;
}
