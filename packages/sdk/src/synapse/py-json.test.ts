import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { isFloatLiteral, pyKeyOrder } from './marks.js';
import { dumpPyJson, JsonSyntaxError, parsePyJson } from './py-json.js';
import { type PyType, pyStr, pyTypeOf } from './py-type.js';
import { emptyTerminal, TERMINAL_FIELDS, TERMINAL_PY_TYPE } from './terminal.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const fcOpts = (numRuns = 300) => (seed === undefined ? { numRuns } : { numRuns, seed });
const ANY: PyType = { kind: 'any' };

describe('parsePyJson', () => {
  it('keeps nonces exact as bigint and small integers as numbers', () => {
    const v = parsePyJson(
      '{"nonce": 1763900000123456789, "n": 9007199254740991, "m": -9007199254740993}',
    );
    assert.deepEqual(v, {
      nonce: 1763900000123456789n,
      n: 9007199254740991,
      m: -9007199254740993n,
    });
  });
  it('remembers integral float literals, not other numbers', () => {
    const v = parsePyJson('{"a": 2.0, "b": 2, "c": 1e3, "d": 0.5, "e": [1, 2.0, -0.0]}') as {
      e: number[];
    };
    assert.equal(isFloatLiteral(v, 'a'), true);
    assert.equal(isFloatLiteral(v, 'b'), false);
    assert.equal(isFloatLiteral(v, 'c'), true);
    assert.equal(isFloatLiteral(v, 'd'), false); // 0.5 is unambiguous
    assert.equal(isFloatLiteral(v.e, 1), true);
    assert.equal(isFloatLiteral(v.e, 0), false);
    assert.equal(pyStr(v, ANY), "{'a': 2.0, 'b': 2, 'c': 1000.0, 'd': 0.5, 'e': [1, 2.0, -0.0]}");
  });
  it('accepts NaN and ±Infinity as Python does', () => {
    const v = parsePyJson('[NaN, Infinity, -Infinity]') as number[];
    assert.ok(Number.isNaN(v[0]));
    assert.equal(v[1], Number.POSITIVE_INFINITY);
    assert.equal(v[2], Number.NEGATIVE_INFINITY);
    assert.equal(pyStr(v, ANY), '[nan, inf, -inf]');
  });
  it('keeps source key order where JS would reorder index-like keys', () => {
    const v = parsePyJson('{"20": "b", "1": "a", "x": 0}') as object;
    assert.deepEqual(Object.keys(v), ['1', '20', 'x']);
    assert.deepEqual(pyKeyOrder(v), ['20', '1', 'x']);
    assert.equal(
      pyStr(v, pyTypeOf(z.record(z.string(), z.any()))),
      "{'20': 'b', '1': 'a', 'x': 0}",
    );
  });
  it('keeps a "__proto__" key as data and the last of duplicate keys', () => {
    const v = parsePyJson('{"__proto__": {"polluted": 1}, "a": 1, "a": 2}') as Record<
      string,
      unknown
    >;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepEqual(Object.keys(v), ['__proto__', 'a']);
    assert.equal(v.a, 2);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
  it('decodes escapes and surrogate pairs', () => {
    assert.equal(parsePyJson('"caf\\u00e9 \\ud83d\\ude00 \\n\\t\\"\\\\\\/"'), 'café 😀 \n\t"\\/');
  });
  it('rejects malformed text with JsonSyntaxError and a position', () => {
    const bad = [
      '',
      '{',
      '[1,]',
      '{"a":1,}',
      '01',
      '1.',
      '.5',
      '-',
      '"\u0001"',
      '"\\x"',
      '"\\u12"',
      '{"a" 1}',
      '{a: 1}',
      'tru',
      'nul',
      '1 2',
      "'a'",
      '[1 2]',
      '"abc',
      '+1',
      'Inf',
      '1e',
      '--1',
    ];
    for (const text of bad) {
      assert.throws(() => parsePyJson(text), JsonSyntaxError, JSON.stringify(text));
    }
    try {
      parsePyJson('[1, 2, x]');
    } catch (err) {
      assert.ok(err instanceof JsonSyntaxError);
      assert.equal(err.position, 7);
    }
  });
  it('bounds nesting depth', () => {
    assert.throws(() => parsePyJson('['.repeat(300) + ']'.repeat(300)), /Nesting deeper than 256/);
    assert.deepEqual(parsePyJson('[[[]]]', { maxDepth: 3 }), [[[]]]);
    assert.throws(() => parsePyJson('[[[[]]]]', { maxDepth: 3 }), JsonSyntaxError);
  });
  it('rejects non-strings', () => assert.throws(() => parsePyJson(1 as never), TypeError));
  it('agrees with JSON.parse on standard JSON', () => {
    const same = (a: unknown, b: unknown): boolean => {
      if (typeof a === 'bigint') return typeof b === 'number' && Number(a) === b;
      if (Array.isArray(a))
        return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
      if (a !== null && typeof a === 'object') {
        const ka = Object.keys(a);
        return (
          b !== null &&
          typeof b === 'object' &&
          ka.length === Object.keys(b).length &&
          ka.every((k) =>
            same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
          )
        );
      }
      return Object.is(a, b) || (a === 0 && b === 0);
    };
    fc.assert(
      fc.property(fc.json(), (text) => {
        assert.ok(same(parsePyJson(text), JSON.parse(text)), text);
      }),
      fcOpts(),
    );
  });
});

describe('parsePyJson with `keep` (top-level keys built, the rest only checked)', () => {
  const outcome = (text: string, keep?: ReadonlySet<string>) => {
    try {
      return { ok: parsePyJson(text, keep === undefined ? {} : { keep }) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };
  const restrict = (v: unknown, keep: ReadonlySet<string>) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([k]) => keep.has(k)))
      : v;
  const texts = fc.oneof(
    fc.json(),
    fc
      .dictionary(fc.constantFrom('a', 'b', 'nonce', '__proto__', '1'), fc.jsonValue())
      .map((o) => JSON.stringify(o)),
    fc.constant(
      '{"a": {"x": [1, 2.0, -0.0, 1e3, NaN, -Infinity, "\\u00e9\\n"]}, "b": 1763900000123456789}',
    ),
  );
  it('gives the full parse restricted to the kept keys, with the same float marks', () => {
    const keep = new Set(['a', 'nonce']);
    fc.assert(
      fc.property(texts, (text) => {
        const full = outcome(text);
        const kept = outcome(text, keep);
        assert.ok('ok' in full && 'ok' in kept, text);
        assert.deepEqual(kept.ok, restrict(full.ok, keep));
      }),
      fcOpts(),
    );
    const v = parsePyJson('{"a": 2.0, "b": 2.0, "c": {"d": 1}}', { keep: new Set(['a']) });
    assert.deepEqual(v, { a: 2 });
    assert.equal(isFloatLiteral(v, 'a'), true);
  });
  it('refuses exactly the texts the full parse refuses, with the same error', () => {
    const keep = new Set(['a']);
    fc.assert(
      fc.property(
        texts,
        fc.nat(),
        fc.constantFrom('', '"', '\\', '{', '}', '[', ']', ',', ':', '-', '0', '.', 'e', 'x', '\n'),
        (text, at, insert) => {
          const i = at % (text.length + 1);
          const broken = text.slice(0, i) + insert + text.slice(i + 1);
          const full = outcome(broken);
          const kept = outcome(broken, keep);
          if ('error' in full) assert.deepEqual(kept, full, broken);
          else assert.ok('ok' in kept, broken);
        },
      ),
      fcOpts(1000),
    );
    // Skipped values still obey the nesting limit.
    const deep = `{"b": ${'['.repeat(300)}${']'.repeat(300)}, "a": 1}`;
    assert.throws(() => parsePyJson(deep, { keep }), /Nesting deeper than 256/);
  });
});

describe('dumpPyJson (json.dumps)', () => {
  it('renders a TerminalInfo exactly as the generic model walk does', () => {
    const generic: PyType = { ...TERMINAL_PY_TYPE }; // same fields, not the shared fast-path type
    const odd = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.double(),
      fc.constant(-0),
    );
    const text = fc.oneof(fc.string(), fc.constantFrom('é\n"\\', '\u2028', '😀', '127.0.0.1'));
    const int = fc.oneof(fc.integer(), fc.bigInt({ min: 0n, max: 2n ** 64n }));
    const typical = (f: string) =>
      f === 'process_time'
        ? fc.oneof(fc.double(), fc.integer())
        : ['status_code', 'port', 'version', 'nonce'].includes(f)
          ? int
          : text;
    // Mostly the usual JS type per field (the fast path), sometimes null or anything else.
    const terminal = fc.record(
      Object.fromEntries(
        TERMINAL_FIELDS.map((f) => [
          f,
          fc.oneof(
            { weight: 12, arbitrary: typical(f) },
            { weight: 3, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: odd },
          ),
        ]),
      ) as Record<string, fc.Arbitrary<unknown>>,
    );
    fc.assert(
      fc.property(terminal, fc.boolean(), fc.boolean(), (t, compact, ensureAscii) => {
        let expected: string | Error;
        try {
          expected = dumpPyJson(t, generic, { compact, ensureAscii });
        } catch (err) {
          expected = err as Error;
        }
        if (expected instanceof Error) {
          assert.throws(() => dumpPyJson(t, TERMINAL_PY_TYPE, { compact, ensureAscii }));
        } else {
          assert.equal(dumpPyJson(t, TERMINAL_PY_TYPE, { compact, ensureAscii }), expected);
        }
      }),
      fcOpts(),
    );
    const real = { ...emptyTerminal(), status_code: 200, nonce: 1763900000123456789n, ip: '::1' };
    assert.equal(
      dumpPyJson(real, TERMINAL_PY_TYPE, { compact: true }),
      '{"status_code":200,"status_message":null,"process_time":null,"ip":"::1","port":null,"version":null,"nonce":1763900000123456789,"uuid":null,"hotkey":null,"signature":null}',
    );
  });
  it('matches CPython json.dumps byte for byte', () => {
    const v = { a: 1e16, b: 1e-7, c: Number.POSITIVE_INFINITY, d: 'é\x7f\u2028😀', e: -0 };
    const f = z.number();
    const t = pyTypeOf(z.object({ a: f, b: f, c: f, d: z.string(), e: f }));
    assert.equal(
      dumpPyJson(v, t),
      '{"a": 1e+16, "b": 1e-07, "c": Infinity, "d": "\\u00e9\\u007f\\u2028\\ud83d\\ude00", "e": -0.0}',
    );
  });
  it('writes declared floats as floats and declared ints as ints', () => {
    const t = pyTypeOf(
      z.object({ f: z.number(), i: z.int(), l: z.array(z.number()), b: z.bigint() }),
    );
    assert.equal(
      dumpPyJson({ f: 3, i: 3, l: [1, 0.5], b: 2n ** 70n }, t),
      '{"f": 3.0, "i": 3, "l": [1.0, 0.5], "b": 1180591620717411303424}',
    );
  });
  it('compact, non-ASCII form is starlette’s JSONResponse', () => {
    assert.equal(
      dumpPyJson({ m: 'é"\n', n: [1, 2] }, ANY, { compact: true, ensureAscii: false }),
      '{"m":"é\\"\\n","n":[1,2]}',
    );
  });
  it('fills absent model fields with defaults and skips undefined dict values', () => {
    const t = pyTypeOf(
      z.object({ a: z.int(), c: z.number().nullable().default(null), d: z.string().default('x') }),
    );
    assert.equal(dumpPyJson({ a: 1 }, t), '{"a": 1, "c": null, "d": "x"}');
    assert.equal(dumpPyJson({ a: 1, b: undefined }, ANY), '{"a": 1}');
  });
  it('rejects what Python cannot serialise', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => dumpPyJson(cyclic, ANY), /Circular/);
    assert.throws(() => dumpPyJson(new Uint8Array(1), ANY), /bytes is not JSON serializable/);
    assert.throws(() => dumpPyJson(() => 1, ANY), TypeError);
  });
  it('text → parse → dump is stable', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        const text = dumpPyJson(x, ANY);
        assert.equal(dumpPyJson(parsePyJson(text), ANY), text);
      }),
      fcOpts(),
    );
  });
});

describe('dumpPyJson re-serialises parsed JSON as Python would', () => {
  it('keeps float literals and key order', () => {
    const text = '{"20": [1, 2.0], "1": 3.0, "n": 1763900000123456789}';
    assert.equal(dumpPyJson(parsePyJson(text), ANY), text);
  });
});
