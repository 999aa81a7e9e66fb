// Known answers from the Python SDK (bittensor 10.2.0): body hashes, request headers and bodies,
// signature messages. The vector files are parsed with parsePyJson so float literals such as
// `2.0` keep their Python type.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromHex } from '@taoscript/codec';
import { keypairFromMnemonic, keypairFromUri, sr25519Verify } from '@taoscript/crypto';
import { z } from 'zod';
import { bodyHash, hashFieldTexts, sha3Hex } from './body-hash.js';
import { type AnySynapseDefinition, defineSynapse, type Synapse } from './define.js';
import { parseHeaders, toHeaders } from './headers.js';
import { isFloatLiteral } from './marks.js';
import { parsePyJson } from './py-json.js';
import { pyStr, pyTypeOf } from './py-type.js';
import { requestSignatureMessage, responseSignatureMessage, verifyMessage } from './signature.js';
import { toBody } from './wire.js';

type Json = Record<string, unknown>;
const load = (name: string): Json =>
  parsePyJson(readFileSync(new URL(`../../test/vectors/${name}`, import.meta.url), 'utf8')) as Json;
const bodyHashVectors = load('body_hash.json');
const headerVectors = load('headers.json');
const signatureVectors = load('signature_message.json');
const utf8Hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

const Inner = z.object({ a: z.int(), b: z.string(), c: z.number().nullable().default(null) });
const DECLARED: Record<string, z.ZodType> = {
  str: z.string(),
  int: z.int(),
  float: z.number(),
  bool: z.boolean(),
  'Optional[int]': z.int().nullable(),
  'list[float]': z.array(z.number()),
  'list[int]': z.array(z.int()),
  'list[str]': z.array(z.string()),
  'list[Optional[float]]': z.array(z.number().nullable()),
  'dict[str, Any]': z.record(z.string(), z.any()),
  'dict[int, str]': z.record(z.int(), z.string()),
  dict: z.record(z.string(), z.any()),
  'list[list[Any]]': z.array(z.array(z.any())),
  'list[list[float]]': z.array(z.array(z.number())),
  'tuple[int, int]': z.tuple([z.int(), z.int()]),
  'Inner (BaseModel: a: int, b: str, c: Optional[float] = None)': Inner,
};

describe('body_hash.json field cases', () => {
  const cases = bodyHashVectors.field_cases as Json[];
  it('covers every declared type', () => {
    for (const c of cases) assert.ok(DECLARED[c.declared_type as string], String(c.declared_type));
    assert.equal(cases.length, 37);
  });
  for (const c of cases) {
    it(`${c.id}: str() text and field hash`, () => {
      let value: unknown = c.json_input;
      if (c.id === 'float_inf') value = Number.POSITIVE_INFINITY;
      if (c.id === 'float_nan') value = Number.NaN;
      if (c.id === 'int_big_nonce_like') value = BigInt(c.json_input as string);
      const type = pyTypeOf(DECLARED[c.declared_type as string]!);
      const text = pyStr(value, type, true, isFloatLiteral(c, 'json_input'));
      assert.equal(text, c.str_text);
      assert.equal(utf8Hex(text), c.str_utf8_hex);
      assert.equal(sha3Hex(text), c.field_hash);
      // repr of the dumped value is the in-container form.
      const repr = pyStr([value], { kind: 'list', item: type }, true, false);
      assert.equal(repr, `[${c.python_repr_of_dumped_value}]`);
    });
  }
  it('empty_hash is SHA3-256 of the empty string', () => {
    assert.equal(sha3Hex(''), bodyHashVectors.empty_hash);
  });
});

const SYNAPSES: Record<string, AnySynapseDefinition> = {
  Dummy: defineSynapse({
    name: 'Dummy',
    request: z.object({ dummy_input: z.int() }),
    response: z.object({ dummy_output: z.int() }),
  }),
  Chat: defineSynapse({
    name: 'Chat',
    request: z.object({ messages: z.array(z.string()) }),
    response: z.object({ completion: z.string() }),
    hashFields: ['messages'],
  }),
  Rank: defineSynapse({
    name: 'Rank',
    request: z.object({
      prompt: z.string(),
      scores: z.array(z.number()),
      meta: z.record(z.string(), z.any()),
    }),
    response: z.object({ result: z.string() }),
    hashFields: ['scores', 'prompt', 'meta'],
  }),
};

describe('body_hash.json synapses', () => {
  for (const s of bodyHashVectors.synapses as Json[]) {
    it(`${s.id}: ${s.class} computed_body_hash`, () => {
      const def = SYNAPSES[s.class as string]!;
      assert.deepEqual(def.hashFields, s.required_hash_fields);
      const synapse = def.create(s.subclass_field_values as Json);
      const texts = hashFieldTexts(def, synapse);
      assert.deepEqual(texts, s.field_texts ?? []);
      assert.deepEqual(texts.map(sha3Hex), s.field_hashes);
      assert.equal(texts.map(sha3Hex).join(''), s.concatenated_hex_text);
      assert.equal(bodyHash(synapse), s.computed_body_hash);
      // The axon hashes the parsed body (same answer).
      const body = parsePyJson(toBody(synapse)) as Json;
      assert.equal(
        sha3Hex(hashFieldTexts(def, body).map(sha3Hex).join('')),
        def.hashFields.length ? s.computed_body_hash : sha3Hex(''),
      );
      const legacy = s.deprecated_pydantic_field_variant as Json | undefined;
      if (legacy !== undefined) {
        const old = defineSynapse({
          name: def.name,
          request: def.request,
          response: def.response,
          hashFields: def.hashFields,
          hashOrder: 'declaration',
        });
        assert.deepEqual(old.hashFields, legacy.field_order);
        assert.equal(
          bodyHash(old.create(s.subclass_field_values as Json)),
          legacy.computed_body_hash,
        );
      }
    });
  }
});

const HEADER_DEFS: Record<string, AnySynapseDefinition> = {
  Dummy: SYNAPSES.Dummy!,
  QueryExample: defineSynapse({
    name: 'QueryExample',
    request: z.object({
      query: z.string(),
      top_k: z.int(),
      temperature: z.number(),
      weights: z.array(z.number()),
      options: z.record(z.string(), z.any()),
      stream: z.boolean(),
    }),
    response: z.object({ answer: z.string() }),
    hashFields: ['query', 'weights'],
  }),
};

describe('headers.json: a Python dendrite request, header by header', () => {
  const terminals = headerVectors.terminal_values as Json;
  const d = terminals.dendrite as Json;
  const a = terminals.axon as Json;
  const keys = signatureVectors.keys as Json;
  const dendriteKey = keypairFromMnemonic((keys.dendrite_hotkey as Json).mnemonic as string);
  for (const c of headerVectors.cases as Json[]) {
    const url = new URL(c.url as string);
    it(`${c.id}: headers in Python order, exact body, signature verifies`, async () => {
      const def = HEADER_DEFS[url.pathname.slice(1)]!;
      const expected = c.headers as Record<string, string>;
      assert.deepEqual(
        def.fields.filter((f) => f.required).map((f) => f.name),
        c.json_schema_required,
      );
      const synapse = def.create(c.subclass_field_values as Json, {
        timeout: 12,
        total_size: Number(expected.total_size),
        dendrite: {
          ip: d.ip as string,
          version: d.version as number,
          nonce: BigInt(d.nonce as string),
          uuid: d.uuid as string,
          hotkey: d.hotkey_ss58 as string,
        },
        axon: { ip: a.ip as string, port: a.port as number, hotkey: a.hotkey_ss58 as string },
      }) as Synapse<AnySynapseDefinition>;
      assert.equal(dendriteKey.address(), d.hotkey_ss58);
      const message = requestSignatureMessage({
        nonce: synapse.dendrite.nonce!,
        dendriteHotkey: synapse.dendrite.hotkey!,
        axonHotkey: synapse.axon.hotkey!,
        uuid: synapse.dendrite.uuid!,
        bodyHash: bodyHash(synapse),
      });
      synapse.dendrite.signature = `0x${Buffer.from(dendriteKey.sign(new TextEncoder().encode(message))).toString('hex')}`;
      const headers = toHeaders(synapse);
      assert.deepEqual(Object.keys(headers), Object.keys(expected));
      for (const [k, v] of Object.entries(expected)) {
        if (k === 'bt_header_dendrite_signature') continue;
        assert.equal(headers[k], v, k);
      }
      assert.equal(
        await verifyMessage(
          headers.bt_header_dendrite_signature!,
          message,
          d.hotkey_ss58 as string,
        ),
        true,
      );
      // The vector's own (randomised) signature verifies against the same message.
      assert.equal(
        await verifyMessage(
          expected.bt_header_dendrite_signature!,
          message,
          d.hotkey_ss58 as string,
        ),
        true,
      );
      // Body: json.dumps(model_dump()) with computed_body_hash "" and header_size 0.
      synapse.dendrite.signature = expected.bt_header_dendrite_signature!;
      assert.equal(toBody(synapse), c.body);
      // And the headers parse back to the same terminals.
      const parsed = parseHeaders(expected);
      assert.equal(parsed.dendrite.nonce, BigInt(d.nonce as string));
      assert.equal(parsed.axon.port, 8091);
      assert.equal(parsed.computed_body_hash, bodyHash(synapse));
      assert.equal(parsed.timeout, 12);
    });
  }
  it('input_obj_by_type matches base64(json.dumps(type()))', () => {
    const byType = headerVectors.input_obj_by_type as Record<string, string>;
    const decode = (s: string) => Buffer.from(s, 'base64').toString();
    assert.equal(decode(byType.int!), '0');
    assert.equal(decode(byType.float!), '0.0');
    assert.equal(decode(byType.str!), '""');
    assert.equal(decode(byType.bool!), 'false');
  });
});

describe('signature_message.json', () => {
  const encode = (s: string) => new TextEncoder().encode(s);
  for (const c of signatureVectors.cases as Json[]) {
    it(`${c.id}: message text, signatures verify, wrapped and tampered cases`, async () => {
      const t = signatureVectors.terminals as Json;
      const d = t.dendrite as Json;
      const a = t.axon as Json;
      const message =
        c.kind === 'request'
          ? requestSignatureMessage({
              nonce: BigInt(d.nonce as string),
              dendriteHotkey: d.hotkey_ss58 as string,
              axonHotkey: a.hotkey_ss58 as string,
              uuid: d.uuid as string,
              bodyHash: c.computed_body_hash as string,
            })
          : responseSignatureMessage({
              nonce: BigInt(a.nonce as string),
              dendriteHotkey: d.hotkey_ss58 as string,
              axonHotkey: a.hotkey_ss58 as string,
              uuid: a.uuid as string,
            });
      assert.equal(message, c.message);
      assert.equal(utf8Hex(message), c.message_utf8_hex);
      const signer = c.signer_ss58 as string;
      for (const sig of [c.signature, c.signature_alt] as string[]) {
        assert.equal(await verifyMessage(sig, message, signer), true);
      }
      const wrapped = c.signature_over_bytes_wrapped_message as string;
      const publicKey = fromHex(c.public_key as string);
      assert.equal(sr25519Verify(fromHex(wrapped), encode(message), publicKey), false);
      assert.equal(await verifyMessage(wrapped, message, signer), true);
      assert.equal(
        await verifyMessage(c.signature as string, c.tampered_message as string, signer),
        false,
      );
    });
  }
  it('the axon key is //Alice', () => {
    const keys = signatureVectors.keys as Json;
    assert.equal(keypairFromUri('//Alice').address(), (keys.axon_hotkey as Json).ss58);
  });
});
