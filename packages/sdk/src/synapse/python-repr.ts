// Faithful emulation of CPython 3.11 `repr()` for the scalar types that reach a synapse body hash
// or a header value: float, str and bytes.

/**
 * Python `repr(float)` (equal to `str(float)`): shortest round-trip digits, fixed notation when
 * the decimal exponent is in [-4, 16), otherwise `d.ddde±XX`; `inf`, `-inf`, `nan`, `-0.0`.
 * @example
 * import { pyFloatRepr } from '@taoscript/sdk';
 * pyFloatRepr(1e-5); // '1e-05'
 * pyFloatRepr(3); // '3.0'
 */
export function pyFloatRepr(x: number): string {
  if (typeof x !== 'number') throw new TypeError(`pyFloatRepr: expected a number, got ${typeof x}`);
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // Fast path: integral values below 1e16 print as digits + '.0'.
  if (Number.isInteger(x) && x < 1e16 && x > -1e16) return `${x}.0`;
  // toExponential() without an argument gives the shortest digits that round-trip, like repr.
  const expText = x.toExponential();
  const e = expText.indexOf('e');
  const exp = Number(expText.slice(e + 1));
  const sign = x < 0 ? '-' : '';
  const digits = expText.slice(sign.length, e).replace('.', '');
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expAbs = String(Math.abs(exp)).padStart(2, '0');
  return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${expAbs}`;
}

/**
 * Python `str(int)` for a JS number or bigint holding an integer.
 * @example
 * import { pyIntStr } from '@taoscript/sdk';
 * pyIntStr(1e21); // '1000000000000000000000'
 */
export function pyIntStr(x: number | bigint): string {
  if (typeof x === 'bigint') return x.toString();
  if (!Number.isInteger(x)) throw new RangeError(`pyIntStr: ${x} is not an integer`);
  // String(1e21) is '1e+21'; bigint formatting never uses an exponent.
  return Math.abs(x) < 1e21 ? String(x === 0 ? 0 : x) : BigInt(x).toString();
}

// Characters Python's str.isprintable() rejects outside ASCII: Other (Cc, Cf, Cs, Co, Cn) and
// Separator (Zl, Zp, Zs) categories. ASCII is handled before this test.
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * Python `repr(str)`: single quotes unless the text has `'` and no `"`, with Python's escapes
 * (`\t \n \r \\`, `\xhh` for control and non-printable Latin-1, `\uhhhh`, `\Uhhhhhhhh`).
 * @example
 * import { pyStrRepr } from '@taoscript/sdk';
 * pyStrRepr("it's"); // `"it's"`
 */
export function pyStrRepr(s: string): string {
  if (typeof s !== 'string') throw new TypeError(`pyStrRepr: expected a string, got ${typeof s}`);
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${hex(c, 2)}`;
    else if (c < 0x7f) out += ch;
    else if (!NON_PRINTABLE.test(ch)) out += ch;
    else if (c <= 0xff) out += `\\x${hex(c, 2)}`;
    else if (c <= 0xffff) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return out + quote;
}

/**
 * Python `repr(bytes)`: `b'...'` with printable ASCII verbatim and `\xhh` for the rest.
 * @example
 * import { pyBytesRepr } from '@taoscript/sdk';
 * pyBytesRepr(new Uint8Array([0x61, 0])); // "b'a\\x00'"
 */
export function pyBytesRepr(b: Uint8Array): string {
  if (!(b instanceof Uint8Array)) throw new TypeError('pyBytesRepr: expected a Uint8Array');
  const hasSingle = b.includes(0x27);
  const quote = hasSingle && !b.includes(0x22) ? '"' : "'";
  const q = quote.charCodeAt(0);
  let out = `b${quote}`;
  for (const c of b) {
    if (c === q || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${hex(c, 2)}`;
    else out += String.fromCharCode(c);
  }
  return out + quote;
}
