// JSON as Python's `json` module reads and writes it: integers of any size (nonces exceed 2^53),
// NaN/Infinity, float literals remembered (see marks.ts), and `json.dumps` output byte for byte.
import { isFloatLiteral, markFloatLiteral, pyKeyOrder, setKeyOrder } from './marks.js';
import { type PyType, resolvePyType } from './py-type.js';
import { pyFloatRepr, pyIntStr } from './python-repr.js';

/** Thrown for malformed JSON text; `position` is the offending UTF-16 index. */
export class JsonSyntaxError extends SyntaxError {
  override name = 'JsonSyntaxError';
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.position = position;
  }
}

/** Options for {@link parsePyJson}. */
export interface ParsePyJsonOptions {
  /** Deepest array/object nesting accepted (default 256). */
  maxDepth?: number;
}

const INDEX_KEY = /^(?:0|[1-9]\d{0,8})$/;

/**
 * Parses JSON the way Python's `json.loads` does: big integers become bigint (others number),
 * `NaN`/`Infinity`/`-Infinity` are accepted, duplicate keys keep the last value. Integral float
 * literals and index-like key order are recorded for {@link pyStr}.
 * @example
 * import { parsePyJson } from '@taoscript/sdk';
 * parsePyJson('{"nonce": 1763900000123456789}'); // { nonce: 1763900000123456789n }
 */
export function parsePyJson(text: string, options: ParsePyJsonOptions = {}): unknown {
  if (typeof text !== 'string') throw new TypeError('parsePyJson: expected a string');
  const maxDepth = options.maxDepth ?? 256;
  let i = 0;
  const n = text.length;

  const fail = (msg: string): never => {
    throw new JsonSyntaxError(msg, i);
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };

  const parseString = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) fail('Unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('Invalid control character in string');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(start, i);
      const e = text[i + 1];
      i += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const h = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('Invalid \\uXXXX escape');
          out += String.fromCharCode(Number.parseInt(h, 16));
          i += 4;
          break;
        }
        default:
          i -= 1;
          fail('Invalid escape');
      }
      start = i;
    }
  };

  // Returns the number and whether it was a float literal.
  const parseNumber = (): [number | bigint, boolean] => {
    const start = i;
    if (text[i] === '-') i++;
    if (text.startsWith('Infinity', i)) {
      i += 8;
      return [start === i - 9 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY, true];
    }
    const intStart = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    if (i === intStart) fail('Expecting value');
    if (text[intStart] === '0' && i - intStart > 1) {
      i = intStart + 1;
      fail('Leading zeros are not allowed');
    }
    let isFloat = false;
    if (text[i] === '.') {
      const fracStart = ++i;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      if (i === fracStart) fail('Expecting digits after the decimal point');
      isFloat = true;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      const expStart = i;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      if (i === expStart) fail('Expecting exponent digits');
      isFloat = true;
    }
    const literal = text.slice(start, i);
    if (isFloat) return [Number(literal), true];
    if (i - intStart <= 15) return [Number(literal), false];
    const big = BigInt(literal);
    const safe = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER);
    return [safe ? Number(big) : big, false];
  };

  const parseValue = (depth: number, container: object, key: string | number): unknown => {
    ws();
    if (i >= n) fail('Expecting value');
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) fail(`Nesting deeper than ${maxDepth}`);
      return c === '{' ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c === '"') return parseString();
    if (c === 't' && text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (c === 'f' && text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (c === 'n' && text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    if (c === 'N' && text.startsWith('NaN', i)) {
      i += 3;
      markFloatLiteral(container, key);
      return Number.NaN;
    }
    const [num, isFloat] = parseNumber();
    if (isFloat && typeof num === 'number' && (Number.isInteger(num) || !Number.isFinite(num))) {
      markFloatLiteral(container, key);
    }
    return num;
  };

  const parseArray = (depth: number): unknown[] => {
    i++;
    const arr: unknown[] = [];
    ws();
    if (text[i] === ']') {
      i++;
      return arr;
    }
    for (;;) {
      arr.push(parseValue(depth, arr, arr.length));
      ws();
      const c = text[i];
      i++;
      if (c === ']') return arr;
      if (c !== ',') {
        i--;
        fail("Expecting ',' delimiter");
      }
    }
  };

  const parseObject = (depth: number): Record<string, unknown> => {
    i++;
    const obj: Record<string, unknown> = {};
    let order: string[] | undefined;
    const keys: string[] = [];
    ws();
    if (text[i] === '}') {
      i++;
      return obj;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('Expecting property name enclosed in double quotes');
      const key = parseString();
      ws();
      if (text[i] !== ':') fail("Expecting ':' delimiter");
      i++;
      const value = parseValue(depth, obj, key);
      if (!Object.hasOwn(obj, key)) {
        keys.push(key);
        if (INDEX_KEY.test(key)) order = keys;
      }
      // defineProperty: a "__proto__" key must be data, never the prototype.
      Object.defineProperty(obj, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      ws();
      const c = text[i];
      i++;
      if (c === '}') break;
      if (c !== ',') {
        i--;
        fail("Expecting ',' delimiter");
      }
    }
    if (order !== undefined) setKeyOrder(obj, order);
    return obj;
  };

  const root = { value: undefined as unknown };
  root.value = parseValue(0, root, 'value');
  ws();
  if (i < n) fail('Extra data');
  return root.value;
}

/** Options for {@link dumpPyJson}. */
export interface DumpPyJsonOptions {
  /** `separators=(',', ':')` as FastAPI/starlette responses use; default `', '`/`': '`. */
  compact?: boolean;
  /** Escape non-ASCII as `\uXXXX` (Python's default); default true. */
  ensureAscii?: boolean;
}

const ESC: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function jsonString(s: string, ensureAscii: boolean): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const plain = ensureAscii
      ? c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c
      : c >= 0x20 && c !== 0x22 && c !== 0x5c;
    if (plain) continue;
    out += s.slice(start, i);
    out += ESC[s[i]!] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    start = i + 1;
  }
  return `${out + s.slice(start)}"`;
}

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  return pyFloatRepr(x);
}

/**
 * Serialises `value` as Python's `json.dumps` would serialise the pydantic dump of a field
 * declared as `type` (floats as `12.0`, `1e-05`; ints as digits; `\uXXXX` escapes).
 * @example
 * import { dumpPyJson, pyTypeOf } from '@taoscript/sdk';
 * import { z } from 'zod';
 * dumpPyJson({ a: 3 }, pyTypeOf(z.object({ a: z.number() }))); // '{"a": 3.0}'
 */
export function dumpPyJson(value: unknown, type: PyType, options: DumpPyJsonOptions = {}): string {
  const item = options.compact ? ',' : ', ';
  const colon = options.compact ? ':' : ': ';
  const ascii = options.ensureAscii ?? true;
  const seen = new Set<object>();

  const dump = (v: unknown, t: PyType, floatLit = false): string => {
    const r = resolvePyType(t, v, floatLit);
    if (v === null || v === undefined) return 'null';
    switch (typeof v) {
      case 'boolean':
        return v ? 'true' : 'false';
      case 'string':
        return jsonString(v, ascii);
      case 'bigint':
        return r.kind === 'float' ? jsonFloat(Number(v)) : v.toString();
      case 'number':
        if (r.kind === 'float' || !Number.isInteger(v) || Object.is(v, -0)) return jsonFloat(v);
        if (floatLit && r.kind !== 'int') return jsonFloat(v);
        return pyIntStr(v);
      case 'object':
        break;
      default:
        throw new TypeError(`Object of type ${typeof v} is not JSON serializable`);
    }
    if (v instanceof Uint8Array)
      throw new TypeError('Object of type bytes is not JSON serializable');
    if (seen.has(v)) throw new TypeError('Circular reference detected');
    seen.add(v);
    let out: string;
    if (Array.isArray(v)) {
      const itemType = (i: number): PyType =>
        r.kind === 'list' ? r.item : r.kind === 'tuple' ? (r.items[i] ?? r.rest ?? r) : r;
      out = `[${v.map((x, i) => dump(x, r.kind === 'any' ? r : itemType(i), isFloatLiteral(v, i))).join(item)}]`;
    } else {
      const obj = v as Record<string, unknown>;
      if (r.kind === 'model') {
        out = `{${r.fields
          .map((f) => {
            const present = Object.hasOwn(obj, f.name) && obj[f.name] !== undefined;
            return (
              jsonString(f.name, ascii) + colon + dump(present ? obj[f.name] : f.fallback(), f.type)
            );
          })
          .join(item)}}`;
      } else {
        const valueType = r.kind === 'dict' ? r.value : r;
        out = `{${pyKeyOrder(obj)
          .filter((k) => obj[k] !== undefined)
          .map(
            (k) => jsonString(k, ascii) + colon + dump(obj[k], valueType, isFloatLiteral(obj, k)),
          )
          .join(item)}}`;
      }
    }
    seen.delete(v);
    return out;
  };
  return dump(value, type);
}
