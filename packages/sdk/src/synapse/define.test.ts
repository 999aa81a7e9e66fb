import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import { z } from 'zod';
import { bodyHash, bodyHashOf, EMPTY_BODY_HASH, sha3Hex } from './body-hash.js';
import {
  BaseSynapse,
  cloneSynapse,
  defineSynapse,
  definitionOf,
  parseBodyFields,
  parseResponseFields,
  synapseFrom,
} from './define.js';
import { SynapseParseError } from './errors.js';
import { nextNonce, nowNs, uuid1 } from './nonce.js';
import { parsePyJson } from './py-json.js';
import { pyStr, pyTypeOf } from './py-type.js';
import {
  requestSignatureMessage,
  responseSignatureMessage,
  signMessage,
  verifyMessage,
} from './signature.js';
import { emptyTerminal } from './terminal.js';
import { toBody } from './wire.js';

const Dummy = defineSynapse({
  name: 'Dummy',
  request: z.object({ dummy_input: z.int() }),
  response: z.object({ dummy_output: z.int() }),
  hashFields: ['dummy_input'],
  deserialize: (s) => s.dummy_output,
});

describe('defineSynapse', () => {
  it('orders fields request-first and marks required ones', () => {
    const S = defineSynapse({
      name: 'S',
      request: z.object({
        a: z.int(),
        b: z.int().optional(),
        c: z.string().default(''),
        d: z.int().nullable(),
      }),
      response: z.object({ e: z.int() }),
    });
    assert.deepEqual(
      S.fields.map((f) => [f.name, f.side, f.required]),
      [
        ['a', 'request', true],
        ['b', 'request', false],
        ['c', 'request', false],
        ['d', 'request', true],
        ['e', 'response', false],
      ],
    );
    assert.deepEqual(S.hashFields, []);
    assert.equal(S.streaming, false);
  });
  it('rejects bad declarations with TypeError', () => {
    const ok = { request: z.object({}), response: z.object({}) };
    assert.throws(() => defineSynapse({ ...ok, name: 'has space' }), TypeError);
    assert.throws(() => defineSynapse({ ...ok, name: '' }), TypeError);
    assert.throws(() => defineSynapse({ ...ok, name: '1abc' }), TypeError);
    assert.throws(() => defineSynapse({ ...ok, name: 'a/b' }), TypeError);
    assert.throws(
      () => defineSynapse({ ...ok, name: 'X', request: z.string() as never }),
      TypeError,
    );
    assert.throws(
      () =>
        defineSynapse({
          name: 'X',
          request: z.object({ a: z.int() }),
          response: z.object({ a: z.int() }),
        }),
      /declared twice/,
    );
    assert.throws(
      () =>
        defineSynapse({
          name: 'X',
          request: z.object({ timeout: z.int() }),
          response: z.object({}),
        }),
      /declared twice/,
    );
    assert.throws(() => defineSynapse({ ...ok, name: 'X', hashFields: ['nope'] }), /not a field/);
    assert.throws(() => defineSynapse(null as never), TypeError);
  });
  it('create() validates, fills defaults and response nulls, keeps the definition', () => {
    const s = Dummy.create({ dummy_input: 3 });
    assert.equal(s.name, 'Dummy');
    assert.equal(s.timeout, 12);
    assert.equal(s.dummy_output, null);
    assert.equal(s.computed_body_hash, '');
    assert.equal(definitionOf(s), Dummy);
    assert.deepEqual(Object.keys(s), [
      'name',
      'timeout',
      'total_size',
      'header_size',
      'dendrite',
      'axon',
      'computed_body_hash',
      'dummy_input',
      'dummy_output',
    ]);
    assert.equal(Dummy.deserialize({ ...s, dummy_output: 6 }), 6);
    assert.throws(() => Dummy.create({ dummy_input: 'x' as never }), /invalid request fields/);
    assert.throws(() => Dummy.create({ dummy_input: 1.5 }), TypeError);
    assert.throws(
      () => Dummy.create({ dummy_input: 1, dummy_output: 'x' as never }),
      /invalid response fields/,
    );
    assert.throws(() => Dummy.create(null as never), TypeError);
    assert.throws(() => Dummy.create({ dummy_input: 1 }, { timeout: -1 }), RangeError);
    assert.throws(() => Dummy.create({ dummy_input: 1 }, { timeout: Number.NaN }), RangeError);
  });
  it('cloneSynapse copies terminals; definitionOf rejects plain objects', () => {
    const s = Dummy.create({ dummy_input: 3 });
    const c = cloneSynapse(s);
    c.dendrite.nonce = 1n;
    assert.equal(s.dendrite.nonce, null);
    assert.equal(definitionOf(c), Dummy);
    assert.throws(() => definitionOf({ ...s }), TypeError);
    assert.throws(() => definitionOf(null as never), TypeError);
  });
  it('synapseFrom fills absent fields with fresh defaults, else null', () => {
    const S = defineSynapse({
      name: 'S',
      request: z.object({ a: z.int(), tags: z.array(z.string()).default(['x']) }),
      response: z.object({ out: z.int() }),
      hashFields: ['tags'],
    });
    const base = {
      timeout: 12,
      total_size: 0,
      header_size: 0,
      dendrite: emptyTerminal(),
      axon: emptyTerminal(),
      computed_body_hash: '',
    };
    const first = synapseFrom(S, base, { a: 1 });
    const second = synapseFrom(S, base, { a: 2, out: 5 });
    assert.deepEqual([first.a, first.tags, first.out], [1, ['x'], null]);
    assert.deepEqual([second.a, second.tags, second.out], [2, ['x'], 5]);
    // Each synapse gets its own copy of a mutable default.
    first.tags.push('y');
    assert.deepEqual(second.tags, ['x']);
    assert.deepEqual(synapseFrom(S, base, {}).tags, ['x']);
    assert.equal(definitionOf(second), S);
    // An absent hash field hashes its default, every time.
    const expected = sha3Hex(sha3Hex("['x']"));
    assert.equal(bodyHashOf(S, {}), expected);
    assert.equal(bodyHashOf(S, {}), expected);
    assert.equal(bodyHashOf(S, { tags: ['z'] }), sha3Hex(sha3Hex("['z']")));
  });
  it('the base Synapse route echoes nothing but its base fields', () => {
    assert.equal(BaseSynapse.name, 'Synapse');
    assert.equal(bodyHash(BaseSynapse.create({})), EMPTY_BODY_HASH);
  });
});

describe('pyTypeOf and pyStr over zod schemas', () => {
  const cases: [z.ZodType, unknown, string][] = [
    [z.number().int(), 5, '5'],
    [z.int32(), 5, '5'],
    [z.bigint(), 2n ** 70n, '1180591620717411303424'],
    [z.number(), 5, '5.0'],
    [z.literal('a'), 'a', 'a'],
    [z.enum(['x', 'y']), 'y', 'y'],
    [z.union([z.int(), z.string()]), 3, '3'],
    [z.union([z.number(), z.string()]), 3, '3.0'],
    [z.array(z.union([z.int(), z.number()])), [1, 1.5], '[1, 1.5]'],
    [z.string().transform((s) => s.length), 'abc', 'abc'],
    [z.tuple([z.int()]), [1], '(1,)'],
    [z.tuple([]), [], '()'],
    [z.tuple([z.string()], z.number()), ['a', 1, 2], "('a', 1.0, 2.0)"],
    [z.record(z.number(), z.string()), { '1.5': 'a' }, "{1.5: 'a'}"],
    [z.map(z.string(), z.int()), { a: 1 }, "{'a': 1}"],
    [z.object({ a: z.int().optional() }), {}, "{'a': None}"],
    [z.object({ a: z.int().default(7) }), {}, "{'a': 7}"],
    [z.array(z.int()).nullable(), null, 'None'],
    [z.any(), new Uint8Array([104, 105]), "b'hi'"],
    [z.unknown(), { k: [true, null, 'x'] }, "{'k': [True, None, 'x']}"],
  ];
  for (const [schema, value, text] of cases) {
    it(`${schema._zod.def.type}: ${text}`, () =>
      assert.equal(pyStr(value, pyTypeOf(schema)), text));
  }
  it('lazy (recursive) schemas', () => {
    type Tree = { v: number; kids: Tree[] };
    const Tree: z.ZodType<Tree> = z.lazy(() => z.object({ v: z.int(), kids: z.array(Tree) }));
    assert.equal(
      pyStr({ v: 1, kids: [{ v: 2, kids: [] }] }, pyTypeOf(Tree)),
      "{'v': 1, 'kids': [{'v': 2, 'kids': []}]}",
    );
  });
  it('pyTypeOf rejects non-schemas', () => {
    assert.throws(() => pyTypeOf({} as never), TypeError);
  });
});

describe('body hash', () => {
  it('hashes declared fields in listed order; empty list → SHA3("")', () => {
    const s = Dummy.create({ dummy_input: 3 });
    assert.equal(bodyHash(s), sha3Hex(sha3Hex('3')));
    assert.equal(bodyHashOf(BaseSynapse, {}), EMPTY_BODY_HASH);
    // An absent field hashes its default, as pydantic dumps it.
    assert.equal(bodyHashOf(Dummy, {}), sha3Hex(sha3Hex('None')));
  });
  it('refuses text Python cannot encode (a lone surrogate)', () => {
    const S = defineSynapse({
      name: 'S',
      request: z.object({ t: z.string() }),
      response: z.object({}),
      hashFields: ['t'],
    });
    assert.throws(() => bodyHash(S.create({ t: 'a\ud800' })), RangeError);
    // Inside a list it is escaped by repr, so it hashes.
    const L = defineSynapse({
      name: 'L',
      request: z.object({ t: z.array(z.string()) }),
      response: z.object({}),
      hashFields: ['t'],
    });
    assert.equal(bodyHash(L.create({ t: ['\ud800'] })), sha3Hex(sha3Hex("['\\ud800']")));
  });
  it('sha3Hex rejects non-strings', () => assert.throws(() => sha3Hex(1 as never), TypeError));
});

describe('body fields from the wire', () => {
  const Big = defineSynapse({
    name: 'Big',
    request: z.object({ n: z.bigint(), f: z.number(), l: z.array(z.bigint()) }),
    response: z.object({ r: z.int() }),
  });
  it('converts JSON numbers for bigint/number schemas', () => {
    const raw = parsePyJson(
      '{"n": 5, "f": 123456789012345678901, "l": [1, 18446744073709551615], "r": null}',
    );
    const fields = parseBodyFields(Big, raw as Record<string, unknown>, 'strict');
    assert.deepEqual(fields, {
      n: 5n,
      f: Number(123456789012345678901n),
      l: [1n, 18446744073709551615n],
      r: null,
    });
  });
  it('rejects wrong JSON types with SynapseParseError', () => {
    const bad = [
      { n: 'x', f: 1, l: [] },
      { n: 1, f: '1', l: [] },
      { n: 1, f: 1, l: {} },
      { f: 1, l: [] },
    ];
    for (const raw of bad) {
      assert.throws(
        () => parseBodyFields(Big, raw, 'strict'),
        (e: unknown) => e instanceof SynapseParseError && e.code === 'SYNAPSE_BODY_INVALID',
      );
    }
    assert.throws(
      () => parseBodyFields(Big, { n: 1, f: 1, l: [], r: 'x' }, 'strict'),
      SynapseParseError,
    );
    assert.deepEqual(parseBodyFields(Big, {}, 'partial'), {});
  });
  it('parseResponseFields validates handler output', () => {
    assert.deepEqual(parseResponseFields(Big, { r: 1 }), { r: 1 });
    assert.throws(() => parseResponseFields(Big, { r: 'x' }), SynapseParseError);
    assert.throws(() => parseResponseFields(Big, undefined), SynapseParseError);
  });
  it('toBody round-trips through parseBodyFields', () => {
    const s = Big.create(
      { n: 2n ** 64n, f: 0.5, l: [] },
      { dendrite: { nonce: 1763900000123456789n } },
    );
    const raw = parsePyJson(toBody(s)) as Record<string, unknown>;
    assert.equal((raw.dendrite as Record<string, unknown>).nonce, 1763900000123456789n);
    assert.deepEqual(parseBodyFields(Big, raw, 'strict'), { n: 2n ** 64n, f: 0.5, l: [], r: null });
  });
});

describe('nonces and UUIDs', () => {
  it('nextNonce strictly increases and tracks wall-clock nanoseconds', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    let last = nextNonce();
    for (let i = 0; i < 10_000; i++) {
      const n = nextNonce();
      assert.ok(n > last);
      last = n;
    }
    assert.ok(last >= before && last < before + 60_000_000_000n);
    assert.ok(nowNs() > 1_600_000_000_000_000_000n);
  });
  it('nowNs follows the wall clock and, between readings, the monotonic clock', () => {
    const n0 = nowNs();
    const t0 = performance.now();
    const deviations: number[] = [];
    for (let i = 0; i < 200; i++) {
      const n = nowNs();
      const t = performance.now();
      // Elapsed by nowNs vs elapsed by the monotonic clock, in ms (two readings apart).
      deviations.push(Math.abs(Number(n - n0) / 1e6 - (t - t0)));
      for (let spin = performance.now() + 0.05; performance.now() < spin; );
    }
    deviations.sort((a, b) => a - b);
    assert.ok(deviations[100]! < 0.1, `median deviation ${deviations[100]} ms`);
    assert.ok(Math.abs(Number(nowNs()) / 1e6 - Date.now()) < 50);
  });
  it('uuid1 is a version-1 RFC 4122 UUID and unique', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const u = uuid1();
      assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(u);
    }
    assert.equal(seen.size, 1000);
  });
});

describe('signature helpers', () => {
  const alice = keypairFromUri('//Alice');
  it('sign → verify, and verify fails for another key, message or malformed input', async () => {
    const sig = await signMessage(alice, 'm');
    assert.match(sig, /^0x[0-9a-f]{128}$/);
    assert.equal(await verifyMessage(sig, 'm', alice.address()), true);
    assert.equal(await verifyMessage(sig, 'n', alice.address()), false);
    assert.equal(await verifyMessage(sig, 'm', keypairFromUri('//Bob').address()), false);
    assert.equal(await verifyMessage(sig.slice(0, -2), 'm', alice.address()), false);
    assert.equal(await verifyMessage(`${sig.slice(0, -1)}z`, 'm', alice.address()), false);
    assert.equal(await verifyMessage(sig, 'm', 'not-an-address'), false);
    await assert.rejects(verifyMessage(1 as never, 'm', alice.address()), TypeError);
  });
  it('rejects bad message fields and signers', async () => {
    assert.throws(
      () =>
        requestSignatureMessage({
          nonce: 1 as never,
          dendriteHotkey: 'a',
          axonHotkey: 'b',
          uuid: 'c',
          bodyHash: 'd',
        }),
      TypeError,
    );
    assert.throws(
      () =>
        requestSignatureMessage({
          nonce: -1n,
          dendriteHotkey: 'a',
          axonHotkey: 'b',
          uuid: 'c',
          bodyHash: 'd',
        }),
      TypeError,
    );
    assert.throws(
      () =>
        responseSignatureMessage({
          nonce: 1n,
          dendriteHotkey: 'a',
          axonHotkey: 2 as never,
          uuid: 'c',
        }),
      TypeError,
    );
    await assert.rejects(signMessage({} as never, 'm'), TypeError);
    await assert.rejects(signMessage({ sign: () => new Uint8Array(3) }, 'm'), TypeError);
    await assert.rejects(signMessage(alice, 5 as never), TypeError);
  });
});
