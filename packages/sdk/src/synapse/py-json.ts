// JSON as Python's `json` module reads and writes it: integers of any size (nonces exceed 2^53),
// NaN/Infinity, float literals remembered (see marks.ts), and `json.dumps` output byte for byte.
// Both directions sit on the axon's and dendrite's hot path, so they avoid per-call closures.
import { isFloatLiteral, markFloatLiteral, pyKeyOrder, setKeyOrder } from './marks.js';
import { type PyType, resolvePyType } from './py-type.js';
import { pyFloatRepr, pyIntStr } from './python-repr.js';
import { TERMINAL_FIELDS, TERMINAL_PY_TYPE } from './terminal.js';

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
  /**
   * When the text is an object, only these top-level keys get their values built; the others
   * are checked for syntax (the same errors) and left out of the result.
   */
  keep?: ReadonlySet<string>;
}

const INDEX_KEY = /^(?:0|[1-9]\d{0,8})$/;
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);

const C = {
  Tab: 0x09,
  Lf: 0x0a,
  Cr: 0x0d,
  Space: 0x20,
  Quote: 0x22,
  Plus: 0x2b,
  Comma: 0x2c,
  Minus: 0x2d,
  Dot: 0x2e,
  Zero: 0x30,
  Nine: 0x39,
  Colon: 0x3a,
  UpperE: 0x45,
  LBracket: 0x5b,
  Backslash: 0x5c,
  RBracket: 0x5d,
  LowerE: 0x65,
  LBrace: 0x7b,
  RBrace: 0x7d,
} as const;

class Parser {
  i = 0;
  readonly n: number;
  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {
    this.n = text.length;
  }

  fail(msg: string): never {
    throw new JsonSyntaxError(msg, this.i);
  }

  ws(): void {
    const t = this.text;
    let i = this.i;
    while (i < this.n) {
      const c = t.charCodeAt(i);
      if (c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab) i++;
      else break;
    }
    this.i = i;
  }

  digits(): void {
    const t = this.text;
    let i = this.i;
    while (i < this.n) {
      const c = t.charCodeAt(i);
      if (c < C.Zero || c > C.Nine) break;
      i++;
    }
    this.i = i;
  }

  string(): string {
    const t = this.text;
    let i = this.i + 1; // opening quote
    let start = i;
    let out = '';
    for (;;) {
      if (i >= this.n) {
        this.i = i;
        this.fail('Unterminated string');
      }
      const c = t.charCodeAt(i);
      if (c === C.Quote) {
        this.i = i + 1;
        return out === '' ? t.slice(start, i) : out + t.slice(start, i);
      }
      if (c < 0x20) {
        this.i = i;
        this.fail('Invalid control character in string');
      }
      if (c !== C.Backslash) {
        i++;
        continue;
      }
      out += t.slice(start, i);
      const e = t.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const h = t.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) {
            this.i = i;
            this.fail('Invalid \\uXXXX escape');
          }
          out += String.fromCharCode(Number.parseInt(h, 16));
          i += 4;
          break;
        }
        default:
          this.i = i - 1;
          this.fail('Invalid escape');
      }
      start = i;
    }
  }

  /** A number; sets `lastFloat` when it was written as a float literal. */
  lastFloat = false;
  number(): number | bigint {
    const t = this.text;
    const start = this.i;
    if (t.charCodeAt(this.i) === C.Minus) this.i++;
    if (t.startsWith('Infinity', this.i)) {
      this.i += 8;
      this.lastFloat = true;
      return this.i - 8 > start ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    const intStart = this.i;
    const isFloat = this.scanNumber(intStart);
    this.lastFloat = isFloat;
    const literal = t.slice(start, this.i);
    if (isFloat || this.i - intStart <= 15) return Number(literal);
    const big = BigInt(literal);
    return big <= SAFE_MAX && big >= SAFE_MIN ? Number(big) : big;
  }

  /** Moves past the digits, fraction and exponent of a number starting at `intStart`. */
  scanNumber(intStart: number): boolean {
    const t = this.text;
    this.i = intStart;
    this.digits();
    if (this.i === intStart) this.fail('Expecting value');
    if (t.charCodeAt(intStart) === C.Zero && this.i - intStart > 1) {
      this.i = intStart + 1;
      this.fail('Leading zeros are not allowed');
    }
    let isFloat = false;
    if (t.charCodeAt(this.i) === C.Dot) {
      const fracStart = ++this.i;
      this.digits();
      if (this.i === fracStart) this.fail('Expecting digits after the decimal point');
      isFloat = true;
    }
    const e = t.charCodeAt(this.i);
    if (e === C.LowerE || e === C.UpperE) {
      this.i++;
      const s = t.charCodeAt(this.i);
      if (s === C.Plus || s === C.Minus) this.i++;
      const expStart = this.i;
      this.digits();
      if (this.i === expStart) this.fail('Expecting exponent digits');
      isFloat = true;
    }
    return isFloat;
  }

  /** Checks the string at `i` (same errors as `string()`) without building it. */
  skipString(): void {
    const t = this.text;
    let i = this.i + 1;
    for (;;) {
      if (i >= this.n) {
        this.i = i;
        this.fail('Unterminated string');
      }
      const c = t.charCodeAt(i);
      if (c === C.Quote) {
        this.i = i + 1;
        return;
      }
      if (c < 0x20) {
        this.i = i;
        this.fail('Invalid control character in string');
      }
      if (c !== C.Backslash) {
        i++;
        continue;
      }
      const e = t.charCodeAt(i + 1);
      i += 2;
      if (e === 0x75) {
        if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i, i + 4))) {
          this.i = i;
          this.fail('Invalid \\uXXXX escape');
        }
        i += 4;
      } else if (
        e !== 0x22 &&
        e !== 0x5c &&
        e !== 0x2f &&
        e !== 0x62 &&
        e !== 0x66 &&
        e !== 0x6e &&
        e !== 0x72 &&
        e !== 0x74
      ) {
        this.i = i - 1;
        this.fail('Invalid escape');
      }
    }
  }

  /** Checks the value at `i` (same errors and depth limit as `value()`) without building it. */
  skipValue(depth: number): void {
    this.ws();
    if (this.i >= this.n) this.fail('Expecting value');
    const t = this.text;
    const c = t.charCodeAt(this.i);
    if (c === C.Quote) {
      this.skipString();
      return;
    }
    if (c === C.LBrace || c === C.LBracket) {
      if (depth >= this.maxDepth) this.fail(`Nesting deeper than ${this.maxDepth}`);
      const close = c === C.LBrace ? C.RBrace : C.RBracket;
      this.i++;
      this.ws();
      if (t.charCodeAt(this.i) === close) {
        this.i++;
        return;
      }
      for (;;) {
        if (close === C.RBrace) {
          this.ws();
          if (t.charCodeAt(this.i) !== C.Quote) {
            this.fail('Expecting property name enclosed in double quotes');
          }
          this.skipString();
          this.ws();
          if (t.charCodeAt(this.i) !== C.Colon) this.fail("Expecting ':' delimiter");
          this.i++;
        }
        this.skipValue(depth + 1);
        this.ws();
        const d = t.charCodeAt(this.i);
        if (d === close) {
          this.i++;
          return;
        }
        if (d !== C.Comma) this.fail("Expecting ',' delimiter");
        this.i++;
      }
    }
    for (const word of ['true', 'false', 'null', 'NaN']) {
      if (t.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    if (c === C.Minus) this.i++;
    if (t.startsWith('Infinity', this.i)) {
      this.i += 8;
      return;
    }
    this.scanNumber(this.i);
  }

  value(depth: number, container: object, key: string | number): unknown {
    this.ws();
    if (this.i >= this.n) this.fail('Expecting value');
    const t = this.text;
    const c = t.charCodeAt(this.i);
    if (c === C.Quote) return this.string();
    if (c === C.LBrace || c === C.LBracket) {
      if (depth >= this.maxDepth) this.fail(`Nesting deeper than ${this.maxDepth}`);
      return c === C.LBrace ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (t.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (t.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (t.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    if (t.startsWith('NaN', this.i)) {
      this.i += 3;
      markFloatLiteral(container, key);
      return Number.NaN;
    }
    const num = this.number();
    if (
      this.lastFloat &&
      typeof num === 'number' &&
      (Number.isInteger(num) || !Number.isFinite(num))
    ) {
      markFloatLiteral(container, key);
    }
    return num;
  }

  array(depth: number): unknown[] {
    this.i++;
    const arr: unknown[] = [];
    this.ws();
    if (this.text.charCodeAt(this.i) === C.RBracket) {
      this.i++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(depth, arr, arr.length));
      this.ws();
      const c = this.text.charCodeAt(this.i);
      if (c === C.RBracket) {
        this.i++;
        return arr;
      }
      if (c !== C.Comma) this.fail("Expecting ',' delimiter");
      this.i++;
    }
  }

  /** Top-level keys whose values are built (the rest are only checked); see `keep`. */
  keep: ReadonlySet<string> | undefined = undefined;

  object(depth: number): Record<string, unknown> {
    this.i++;
    const obj: Record<string, unknown> = {};
    let keys: string[] | undefined;
    let indexLike = false;
    this.ws();
    if (this.text.charCodeAt(this.i) === C.RBrace) {
      this.i++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.i) !== C.Quote) {
        this.fail('Expecting property name enclosed in double quotes');
      }
      const key = this.string();
      this.ws();
      if (this.text.charCodeAt(this.i) !== C.Colon) this.fail("Expecting ':' delimiter");
      this.i++;
      if (depth === 1 && this.keep !== undefined && !this.keep.has(key)) {
        this.skipValue(depth);
      } else {
        const value = this.value(depth, obj, key);
        if (key === '__proto__') {
          // Data, never the prototype.
          Object.defineProperty(obj, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          if (!Object.hasOwn(obj, key)) {
            if (keys === undefined) keys = [];
            keys.push(key);
            if (!indexLike && isDigit(key.charCodeAt(0)) && INDEX_KEY.test(key)) indexLike = true;
          }
          obj[key] = value;
        }
      }
      this.ws();
      const c = this.text.charCodeAt(this.i);
      if (c === C.RBrace) {
        this.i++;
        break;
      }
      if (c !== C.Comma) this.fail("Expecting ',' delimiter");
      this.i++;
    }
    if (indexLike && keys !== undefined) setKeyOrder(obj, keys);
    return obj;
  }
}

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}

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
  const p = new Parser(text, options.maxDepth ?? 256);
  p.keep = options.keep;
  const root = { value: undefined as unknown };
  root.value = p.value(0, root, 'value');
  p.ws();
  if (p.i < p.n) p.fail('Extra data');
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
const NEEDS_ESCAPE_ASCII = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;
const NEEDS_ESCAPE_UTF8 = /[^\x20-\x21\x23-\x5b\x5d-\u{10ffff}]/u;

function jsonString(s: string, ensureAscii: boolean): string {
  if (!(ensureAscii ? NEEDS_ESCAPE_ASCII : NEEDS_ESCAPE_UTF8).test(s)) return `"${s}"`;
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

interface DumpState {
  item: string;
  colon: string;
  ascii: boolean;
  seen: Set<object>;
}

// The field keys of a TerminalInfo as they appear in its JSON, by separator style.
const TERMINAL_KEYS = {
  compact: TERMINAL_FIELDS.map((f) => `"${f}":`),
  spaced: TERMINAL_FIELDS.map((f) => `"${f}": `),
};

/**
 * A TerminalInfo (every synapse carries two) without the generic walk; undefined when a value
 * is not of its field's usual JS type (the generic walk then renders it).
 */
function dumpTerminal(st: DumpState, t: Record<string, unknown>): string | undefined {
  const keys = st.colon === ':' ? TERMINAL_KEYS.compact : TERMINAL_KEYS.spaced;
  let out = '{';
  for (let i = 0; i < TERMINAL_FIELDS.length; i++) {
    const f = TERMINAL_FIELDS[i]!;
    const v = t[f];
    let text: string;
    if (v === null || v === undefined) text = 'null';
    else if (f === 'process_time') {
      if (typeof v !== 'number') return undefined;
      text = jsonFloat(v);
    } else if (typeof v === 'string') {
      if (f === 'status_code' || f === 'port' || f === 'version' || f === 'nonce') return undefined;
      text = jsonString(v, st.ascii);
    } else if (typeof v === 'bigint') {
      if (f !== 'nonce' && f !== 'status_code' && f !== 'port' && f !== 'version') return undefined;
      text = v.toString();
    } else if (typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0)) {
      if (f !== 'nonce' && f !== 'status_code' && f !== 'port' && f !== 'version') return undefined;
      text = pyIntStr(v);
    } else return undefined;
    out += (i === 0 ? '' : st.item) + keys[i] + text;
  }
  return `${out}}`;
}

function dump(st: DumpState, v: unknown, t: PyType, floatLit: boolean): string {
  const r = resolvePyType(t, v, floatLit);
  if (v === null || v === undefined) return 'null';
  if (r === TERMINAL_PY_TYPE && typeof v === 'object' && !Array.isArray(v)) {
    const fast = dumpTerminal(st, v as Record<string, unknown>);
    if (fast !== undefined) return fast;
  }
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return jsonString(v, st.ascii);
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
  if (v instanceof Uint8Array) throw new TypeError('Object of type bytes is not JSON serializable');
  if (st.seen.has(v)) throw new TypeError('Circular reference detected');
  st.seen.add(v);
  let out: string;
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const itemType =
        r.kind === 'list' ? r.item : r.kind === 'tuple' ? (r.items[i] ?? r.rest ?? r) : r;
      parts.push(dump(st, v[i], itemType, isFloatLiteral(v, i)));
    }
    out = `[${parts.join(st.item)}]`;
  } else {
    const obj = v as Record<string, unknown>;
    const parts: string[] = [];
    if (r.kind === 'model') {
      for (const f of r.fields) {
        const present = Object.hasOwn(obj, f.name) && obj[f.name] !== undefined;
        const value = present ? obj[f.name] : f.fallback();
        const lit = present && isFloatLiteral(obj, f.name);
        parts.push(jsonString(f.name, st.ascii) + st.colon + dump(st, value, f.type, lit));
      }
    } else {
      const valueType = r.kind === 'dict' ? r.value : r;
      for (const k of pyKeyOrder(obj)) {
        const x = obj[k];
        if (x === undefined) continue;
        parts.push(
          jsonString(k, st.ascii) + st.colon + dump(st, x, valueType, isFloatLiteral(obj, k)),
        );
      }
    }
    out = `{${parts.join(st.item)}}`;
  }
  st.seen.delete(v);
  return out;
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
  const st: DumpState = {
    item: options.compact ? ',' : ', ',
    colon: options.compact ? ':' : ': ',
    ascii: options.ensureAscii ?? true,
    seen: new Set(),
  };
  return dump(st, value, type, false);
}
