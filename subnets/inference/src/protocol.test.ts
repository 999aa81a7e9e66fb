import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyHashOf } from '@taoscript/sdk';
import {
  Analyze,
  type AnalyzeRequest,
  MAX_ENTITIES,
  MAX_MODEL_CHARS,
  MAX_TEXT_CHARS,
  MAX_TEXTS,
  MAX_TOTAL_CHARS,
  parseAnalyzeRequest,
  parseAnalyzeResponse,
} from './protocol.js';

const ok: AnalyzeRequest = {
  texts: ['Acme paid $5 on 3 May.'],
  tasks: ['sentiment', 'entities', 'pos'],
};
const result = { sentiment: 0.5, entities: [{ value: '$5', type: 'MONEY' }], pos: ['PROPN'] };

describe('Analyze synapse', () => {
  it('is routed as Analyze and hashes texts then tasks', () => {
    assert.equal(Analyze.name, 'Analyze');
    assert.deepEqual(Analyze.hashFields, ['texts', 'tasks']);
    const s = Analyze.create(ok);
    assert.equal(s.results, null);
    assert.equal(s.model, null);
  });

  it('binds the request: any change of texts, their order or tasks changes the body hash', () => {
    const base = bodyHashOf(Analyze, { texts: ['a', 'b'], tasks: ['pos'] });
    assert.equal(base, bodyHashOf(Analyze, { texts: ['a', 'b'], tasks: ['pos'] }));
    const variants = [
      { texts: ['b', 'a'], tasks: ['pos'] },
      { texts: ['a', 'c'], tasks: ['pos'] },
      { texts: ['a', 'b'], tasks: ['sentiment'] },
      { texts: ['a', 'b'], tasks: ['pos', 'entities'] },
      { texts: ['a'], tasks: ['pos'] },
    ];
    const hashes = new Set(variants.map((v) => bodyHashOf(Analyze, v)));
    assert.equal(hashes.size, variants.length);
    assert.ok(!hashes.has(base));
    // Response fields are not hashed: a miner's answer cannot break the request's hash.
    assert.equal(
      bodyHashOf(Analyze, { texts: ['a', 'b'], tasks: ['pos'], results: [result], model: 'm' }),
      base,
    );
  });

  it('refuses to create a synapse from invalid fields', () => {
    assert.throws(() => Analyze.create({ texts: [], tasks: ['pos'] }), TypeError);
    assert.throws(
      () => Analyze.create({ texts: ['x'], tasks: ['translate' as 'pos'] }),
      /invalid request fields/,
    );
  });
});

describe('parseAnalyzeRequest', () => {
  it('accepts a valid request, including texts at the limits', () => {
    assert.deepEqual(parseAnalyzeRequest(ok), ok);
    const full = {
      texts: Array.from({ length: MAX_TEXTS }, () => 'x'.repeat(MAX_TOTAL_CHARS / MAX_TEXTS)),
      tasks: ['pos'],
    };
    assert.equal(parseAnalyzeRequest(full).texts.length, MAX_TEXTS);
    assert.deepEqual(parseAnalyzeRequest({ texts: ['tab\tline\nreturn\r', ''], tasks: ['pos'] }), {
      texts: ['tab\tline\nreturn\r', ''],
      tasks: ['pos'],
    });
  });

  const sizeCases: [string, unknown, RegExp][] = [
    ['no texts', { texts: [], tasks: ['pos'] }, /at least one text/],
    [
      'too many texts',
      { texts: Array.from({ length: MAX_TEXTS + 1 }, () => 'x'), tasks: ['pos'] },
      /at most 32 texts/,
    ],
    [
      'a text too long',
      { texts: ['x'.repeat(MAX_TEXT_CHARS + 1)], tasks: ['pos'] },
      /at most 2000 characters/,
    ],
    [
      'too many characters in total',
      { texts: Array.from({ length: 17 }, () => 'x'.repeat(MAX_TEXT_CHARS)), tasks: ['pos'] },
      /at most 32000 characters in total/,
    ],
    ['no tasks', { texts: ['x'], tasks: [] }, /at least one task/],
  ];
  for (const [what, input, message] of sizeCases) {
    it(`rejects ${what} with a RangeError`, () => {
      assert.throws(
        () => parseAnalyzeRequest(input),
        (err: unknown) => err instanceof RangeError && message.test(err.message),
      );
    });
  }

  const typeCases: [string, unknown, RegExp][] = [
    ['null', null, /expected an object/],
    ['an array', [ok], /expected an object/],
    ['a string', 'texts', /expected an object/],
    ['missing texts', { tasks: ['pos'] }, /texts/],
    ['texts not an array', { texts: 'hello', tasks: ['pos'] }, /texts/],
    ['a non-string text', { texts: ['ok', 7], tasks: ['pos'] }, /texts\.1/],
    ['a NUL character', { texts: ['a\u0000b'], tasks: ['pos'] }, /control characters/],
    ['an escape character', { texts: ['\u001b[31mred'], tasks: ['pos'] }, /control characters/],
    ['a lone surrogate', { texts: ['bad \ud800 text'], tasks: ['pos'] }, /lone surrogates/],
    ['an unknown task', { texts: ['x'], tasks: ['translate'] }, /tasks\.0/],
    ['a repeated task', { texts: ['x'], tasks: ['pos', 'pos'] }, /must not repeat/],
    ['tasks not an array', { texts: ['x'], tasks: 'pos' }, /tasks/],
    ['prototype pollution keys', JSON.parse('{"__proto__": {"texts": ["x"]}}'), /texts/],
  ];
  for (const [what, input, message] of typeCases) {
    it(`rejects ${what} with a TypeError`, () => {
      assert.throws(
        () => parseAnalyzeRequest(input),
        (err: unknown) => err instanceof TypeError && message.test(err.message),
      );
    });
  }
});

describe('parseAnalyzeResponse', () => {
  it('accepts a valid response', () => {
    const res = { results: [result], model: 'wink' };
    assert.deepEqual(parseAnalyzeResponse(res), res);
  });

  const bad: [string, unknown, ErrorConstructor][] = [
    ['sentiment above 1', { results: [{ ...result, sentiment: 1.5 }], model: 'm' }, RangeError],
    ['NaN sentiment', { results: [{ ...result, sentiment: Number.NaN }], model: 'm' }, TypeError],
    ['a string sentiment', { results: [{ ...result, sentiment: '0.5' }], model: 'm' }, TypeError],
    ['a lower-case tag', { results: [{ ...result, pos: ['noun'] }], model: 'm' }, TypeError],
    [
      'a lower-case entity type',
      { results: [{ ...result, entities: [{ value: 'x', type: 'money' }] }], model: 'm' },
      TypeError,
    ],
    [
      'too many entities',
      {
        results: [
          {
            ...result,
            entities: Array.from({ length: MAX_ENTITIES + 1 }, () => ({ value: 'x', type: 'X' })),
          },
        ],
        model: 'm',
      },
      RangeError,
    ],
    [
      'too many results',
      { results: Array.from({ length: MAX_TEXTS + 1 }, () => result), model: 'm' },
      RangeError,
    ],
    ['a long model id', { results: [], model: 'm'.repeat(MAX_MODEL_CHARS + 1) }, RangeError],
    ['a missing model', { results: [] }, TypeError],
  ];
  for (const [what, input, kind] of bad) {
    it(`rejects ${what}`, () => {
      assert.throws(() => parseAnalyzeResponse(input), kind);
    });
  }
});
