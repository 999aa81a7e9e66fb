import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pyBytesRepr, pyFloatRepr, pyIntStr, pyStrRepr } from './python-repr.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const fcOpts = (numRuns = 500) => (seed === undefined ? { numRuns } : { numRuns, seed });

describe('pyFloatRepr (checked against CPython 3.11 repr)', () => {
  const cases: [number, string][] = [
    [0.1, '0.1'],
    [1, '1.0'],
    [3, '3.0'],
    [-0, '-0.0'],
    [0, '0.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.5e-7, '1.5e-07'],
    [0.1 + 0.2, '0.30000000000000004'],
    [123456789.123, '123456789.123'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.2345e20, '1.2345e+20'],
    [-2.5e-300, '-2.5e-300'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [12, '12.0'],
    [2 ** 53 + 2, '9007199254740994.0'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
    [Number.NaN, 'nan'],
  ];
  for (const [x, text] of cases) {
    it(`${String(x)} → ${text}`, () => assert.equal(pyFloatRepr(x), text));
  }
  it('round-trips every finite double and has Python’s shape', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = pyFloatRepr(x);
        assert.ok(Object.is(Number(text), x), text);
        assert.match(text, /^-?(\d+\.\d+|\d(\.\d+)?e[+-]\d{2,3})$/);
      }),
      fcOpts(),
    );
  });
  it('rejects non-numbers', () => {
    for (const bad of ['1', 1n, null, undefined, {}]) {
      assert.throws(() => pyFloatRepr(bad as never), TypeError);
    }
  });
});

describe('pyIntStr', () => {
  it('never uses an exponent', () => {
    assert.equal(pyIntStr(1e21), '1000000000000000000000');
    assert.equal(pyIntStr(-7), '-7');
    assert.equal(pyIntStr(-0), '0');
    assert.equal(pyIntStr(1763900000123456789n), '1763900000123456789');
  });
  it('rejects fractions', () => assert.throws(() => pyIntStr(1.5), RangeError));
});

describe('pyStrRepr (CPython unicode_repr)', () => {
  const cases: [string, string][] = [
    ['', "''"],
    ['hello', "'hello'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`both ' and "`, `'both \\' and "'`],
    ['tab\t', "'tab\\t'"],
    ['back\\slash', "'back\\\\slash'"],
    ['\r\n', "'\\r\\n'"],
    ['\x00\x1f\x7f', "'\\x00\\x1f\\x7f'"],
    ['\u00a0', "'\\xa0'"],
    ['\u00ad', "'\\xad'"],
    ['\u200b', "'\\u200b'"],
    ['\u2028', "'\\u2028'"],
    ['\ud83d', "'\\ud83d'"],
    ['\u{e0001}', "'\\U000e0001'"],
    ['café ☕ 日本 😀', "'café ☕ 日本 😀'"],
  ];
  for (const [s, text] of cases) {
    it(`${JSON.stringify(s)} → ${text}`, () => assert.equal(pyStrRepr(s), text));
  }
  it('rejects non-strings', () => assert.throws(() => pyStrRepr(1 as never), TypeError));
});

describe('pyBytesRepr', () => {
  it('follows Python’s quoting and escapes', () => {
    assert.equal(pyBytesRepr(new Uint8Array([0x61, 0x27, 0x00, 0xff, 0x22])), `b'a\\'\\x00\\xff"'`);
    assert.equal(pyBytesRepr(new Uint8Array([0x27])), `b"'"`);
    assert.equal(pyBytesRepr(new Uint8Array([0x09, 0x0a, 0x5c])), "b'\\t\\n\\\\'");
  });
  it('rejects non-bytes', () => assert.throws(() => pyBytesRepr('ab' as never), TypeError));
});
