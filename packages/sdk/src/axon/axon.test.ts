// The axon's request pipeline, driven in-process through `axon.fetch` (no sockets).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { z } from 'zod';
import { prepareRequest } from '../dendrite/dendrite.js';
import { fastSr25519 } from '../fast-crypto/sr25519.js';
import { defineSynapse, type Synapse } from '../synapse/define.js';
import { parseHeaders } from '../synapse/headers.js';
import { uuid1 } from '../synapse/nonce.js';
import {
  requestSignatureMessage,
  responseSignatureMessage,
  verifyMessage,
} from '../synapse/signature.js';
import {
  Axon,
  AxonError,
  type AxonOptions,
  type AxonResponseEvent,
  type NeuronRecord,
} from './axon.js';

const Dummy = defineSynapse({
  name: 'Dummy',
  request: z.object({ dummy_input: z.int() }),
  response: z.object({ dummy_output: z.int() }),
  hashFields: ['dummy_input'],
});

const alice = keypairFromUri('//Alice'); // the miner
const bob = keypairFromUri('//Bob'); // a registered validator
const charlie = keypairFromUri('//Charlie'); // registered, no permit, little stake
const eve = keypairFromUri('//Eve'); // not registered
const registry = new Map<string, NeuronRecord>([
  [bob.address(), { uid: 1, validatorPermit: true, stake: 1_000_000_000_000n }],
  [charlie.address(), { uid: 2, validatorPermit: false, stake: 5n }],
]);
const neurons = { lookup: (h: string) => registry.get(h) };

function makeAxon(
  options: Partial<AxonOptions> = {},
  handler?: (s: Synapse<typeof Dummy>) => unknown,
) {
  const events: AxonResponseEvent[] = [];
  let calls = 0;
  const axon = new Axon({
    keypair: alice,
    host: '127.0.0.1',
    port: 0,
    neurons,
    onResponse: (e) => events.push(e),
    ...options,
  });
  axon.attach(Dummy, async (s) => {
    calls++;
    if (handler) return (await handler(s)) as never;
    return { dummy_output: s.dummy_input * 2 };
  });
  return { axon, events, calls: () => calls };
}

interface Signed {
  headers: Record<string, string>;
  body: string;
  path: string;
}

async function signed(
  keypair = bob,
  input = 3,
  extra: { nonce?: bigint; uuid?: string; timeout?: number; axonHotkey?: string } = {},
): Promise<Signed> {
  return prepareRequest(Dummy.create({ dummy_input: input }), {
    keypair,
    hotkey: keypair.address(),
    uuid: extra.uuid ?? uuid1(),
    target: { ip: '127.0.0.1', port: 8091, hotkey: extra.axonHotkey ?? alice.address() },
    ...(extra.nonce === undefined ? {} : { nonce: extra.nonce }),
    ...(extra.timeout === undefined ? {} : { timeout: extra.timeout }),
  });
}

async function send(axon: Axon, req: Signed, init: { method?: string; path?: string } = {}) {
  const res = await axon.fetch(
    new Request(`http://axon${init.path ?? req.path}`, {
      method: init.method ?? 'POST',
      headers: req.headers,
      ...(init.method === 'GET' ? {} : { body: req.body }),
    }),
  );
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: JSON.parse(text) as Record<string, unknown>,
  };
}

const INTERNAL = /^Internal Server Error #[0-9a-f-]{36}$/;

describe('Axon: serving', () => {
  it('answers a registered, signed caller with Python’s response shape', async () => {
    const { axon, events } = makeAxon();
    const res = await send(axon, await signed(bob, 21));
    assert.equal(res.status, 200);
    assert.equal(res.json.dummy_output, 42);
    assert.equal(res.json.dummy_input, 21);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.headers.get('bt_header_axon_status_code'), '200');
    assert.equal(res.headers.get('bt_header_axon_status_message'), 'Success');
    assert.equal(res.headers.get('bt_header_axon_uuid'), axon.uuid);
    assert.equal(res.headers.get('bt_header_axon_version'), '10002000');
    assert.equal(res.headers.get('bt_header_dendrite_hotkey'), bob.address());
    assert.equal(res.headers.get('bt_header_axon_signature'), null); // signResponses is off
    assert.equal(res.headers.get('name'), 'Dummy');
    const parsed = parseHeaders(res.headers);
    assert.ok(parsed.axon.nonce !== null && parsed.axon.process_time !== null);
    // Compact JSON (FastAPI): no spaces after separators; the body carries terminals too.
    assert.ok(res.text.startsWith('{"name":"Dummy","timeout":12.0,'));
    assert.equal((res.json.axon as Record<string, unknown>).status_code, 200);
    assert.deepEqual(
      events.map((e) => [e.status, e.handlerRan, e.hotkey]),
      [[200, true, bob.address()]],
    );
  });
  it('accepts GET like Python, refuses other methods with 405', async () => {
    const { axon } = makeAxon();
    const req = await signed();
    const put = await send(axon, req, { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST');
    // A GET has no body, so the hash check fails the way Python's does: 500.
    const get = await send(axon, await signed(), { method: 'GET' });
    assert.equal(get.status, 500);
  });
  it('404 names the unknown synapse and lists the served ones, in Python’s words', async () => {
    const { axon } = makeAxon();
    const res = await send(axon, await signed(), { path: '/Nope' });
    assert.equal(res.status, 404);
    assert.equal(
      res.json.message,
      "Synapse name 'Nope' not found. Available synapses ['Synapse', 'Dummy']",
    );
    assert.equal(res.headers.get('name'), 'Synapse');
    assert.equal(res.headers.get('bt_header_axon_status_code'), '404');
    const deep = await send(axon, await signed(), { path: '/Dummy/extra' });
    assert.equal(deep.status, 404);
  });
  it('serves the base Synapse ping to any verified caller (no blacklist, as in Python)', async () => {
    const { axon } = makeAxon();
    const req = await prepareRequest(
      (await import('../synapse/define.js')).BaseSynapse.create({}),
      {
        keypair: eve,
        hotkey: eve.address(),
        uuid: uuid1(),
        target: { ip: '127.0.0.1', port: 8091, hotkey: alice.address() },
      },
    );
    assert.equal((await send(axon, req)).status, 200);
    delete req.headers.bt_header_dendrite_signature;
    assert.equal((await send(axon, req)).status, 401);
  });
  it('a handler’s AxonError sets the status; other throws and bad output are 500', async () => {
    const busy = makeAxon({}, () => {
      throw new AxonError('AXON_HANDLER_ERROR', 'busy right now', 503);
    });
    const r1 = await send(busy.axon, await signed());
    assert.equal(r1.status, 503);
    assert.equal(r1.json.message, 'busy right now');
    const boom = makeAxon({}, () => {
      throw new Error('kaput');
    });
    const r2 = await send(boom.axon, await signed());
    assert.equal(r2.status, 500);
    assert.match(String(r2.json.message), INTERNAL);
    const bad = makeAxon({}, () => ({ dummy_output: 'not an int' }));
    assert.equal((await send(bad.axon, await signed())).status, 500);
  });
  it('sends a handler’s free-text status message as a legal, bounded header', async () => {
    const text = `line1\nline2\u0000${'x'.repeat(2000)}`;
    const { axon } = makeAxon({}, () => {
      throw new AxonError('AXON_HANDLER_ERROR', text, 503);
    });
    const res = await send(axon, await signed());
    assert.equal(res.status, 503);
    assert.equal(res.json.message, text);
    const header = res.headers.get('bt_header_axon_status_message') ?? '';
    assert.equal(header.length, 1024);
    assert.ok(header.startsWith('line1?line2?xxx'), header.slice(0, 20));
    assert.ok(header.endsWith('x...'));
  });
  it('hands handlers a live signal and the deadline, sync or async, also through a spread', async () => {
    const seen: { aborted: boolean; left: number; spread: boolean }[] = [];
    const axon = new Axon({ keypair: alice, host: '127.0.0.1', port: 0, neurons });
    axon.attach(Dummy, (s, ctx) => {
      const copy = { ...ctx };
      seen.push({
        aborted: ctx.signal.aborted,
        left: ctx.deadline - performance.now(),
        spread: copy.signal === ctx.signal,
      });
      if (s.dummy_input === 1) return { dummy_output: 1 };
      return Promise.resolve({ dummy_output: 2 });
    });
    assert.equal((await send(axon, await signed(bob, 1))).json.dummy_output, 1);
    assert.equal((await send(axon, await signed(bob, 2))).json.dummy_output, 2);
    assert.equal(seen.length, 2);
    for (const x of seen) {
      assert.equal(x.aborted, false);
      assert.equal(x.spread, true);
      assert.ok(x.left > 10_000 && x.left <= 12_000, String(x.left));
    }
  });
  it('signs responses when asked (message nonce.dendrite.axon.uuid)', async () => {
    const { axon } = makeAxon({ signResponses: true });
    const res = await send(axon, await signed());
    const h = parseHeaders(res.headers);
    const message = responseSignatureMessage({
      nonce: h.axon.nonce!,
      dendriteHotkey: bob.address(),
      axonHotkey: alice.address(),
      uuid: axon.uuid,
    });
    assert.equal(await verifyMessage(h.axon.signature!, message, alice.address()), true);
  });
});

describe('Axon: blacklist (before verification, as in Python)', () => {
  it('an unregistered caller gets 403 Unrecognized hotkey, signed or not', async () => {
    const { axon, calls } = makeAxon();
    const ok = await send(axon, await signed(eve));
    assert.equal(ok.status, 403);
    assert.equal(ok.json.message, 'Forbidden. Key is blacklisted: Unrecognized hotkey.');
    assert.equal(ok.headers.get('bt_header_axon_status_code'), '403');
    const forged = await signed(eve);
    forged.headers.bt_header_dendrite_signature = `0x${'11'.repeat(64)}`;
    assert.equal((await send(axon, forged)).status, 403);
    assert.equal(calls(), 0);
  });
  it('validator permit, minimum stake, allowUnregistered and the user hook', async () => {
    const permit = makeAxon({ requireValidatorPermit: true });
    const r1 = await send(permit.axon, await signed(charlie));
    assert.equal(r1.json.message, 'Forbidden. Key is blacklisted: Non-validator hotkey.');
    assert.equal((await send(permit.axon, await signed(bob))).status, 200);
    const stake = makeAxon({ minStake: 1000n });
    const r2 = await send(stake.axon, await signed(charlie));
    assert.equal(r2.json.message, 'Forbidden. Key is blacklisted: Stake below minimum.');
    const open = makeAxon({ allowUnregistered: true });
    assert.equal((await send(open.axon, await signed(eve))).status, 200);
    const noLookup = makeAxon({ allowUnregistered: true, neurons: undefined as never });
    assert.equal((await send(noLookup.axon, await signed(eve))).status, 200);

    const seen: string[] = [];
    const hooked = new Axon({ keypair: alice, neurons, port: 0 });
    hooked.attach(Dummy, (s) => ({ dummy_output: s.dummy_input }), {
      blacklist: (s, ctx) => {
        seen.push(`${s.dendrite.hotkey}:${ctx.neuron?.uid}`);
        return [s.dendrite.hotkey === bob.address(), 'no bobs'];
      },
    });
    const r3 = await send(hooked, await signed(bob));
    assert.equal(r3.status, 403);
    assert.equal(r3.json.message, 'Forbidden. Key is blacklisted: no bobs.');
    assert.deepEqual(seen, [`${bob.address()}:1`]);
  });
  it('a request without a hotkey is blacklisted', async () => {
    const { axon } = makeAxon();
    const req = await signed();
    delete req.headers.bt_header_dendrite_hotkey;
    const res = await send(axon, req);
    assert.equal(res.json.message, 'Forbidden. Key is blacklisted: Missing dendrite or hotkey.');
  });
});

describe('Axon: verification (401)', () => {
  it('refuses a missing signature (the Python axon would let it through)', async () => {
    const { axon, calls } = makeAxon();
    const req = await signed();
    delete req.headers.bt_header_dendrite_signature;
    const res = await send(axon, req);
    assert.equal(res.status, 401);
    assert.equal(res.json.message, 'Not Verified with error: Missing signature');
    assert.equal(calls(), 0);
  });
  it('refuses missing nonce / uuid / body hash', async () => {
    const { axon } = makeAxon();
    for (const [header, why] of [
      ['bt_header_dendrite_nonce', 'Missing Nonce'],
      ['bt_header_dendrite_uuid', 'Missing UUID'],
      ['computed_body_hash', 'Missing computed_body_hash'],
    ] as const) {
      const req = await signed();
      delete req.headers[header];
      const res = await send(axon, req);
      assert.equal(res.status, 401, header);
      assert.equal(res.json.message, `Not Verified with error: ${why}`);
    }
  });
  it('refuses a signature by another key, over another message or for another axon', async () => {
    const { axon } = makeAxon();
    const other = await signed(eve);
    const req = await signed(bob);
    req.headers.bt_header_dendrite_signature = other.headers.bt_header_dendrite_signature!;
    const r1 = await send(axon, req);
    assert.equal(r1.status, 401);
    assert.match(
      String(r1.json.message),
      /^Not Verified with error: Signature mismatch with \d+\.5FHne/,
    );
    const elsewhere = await signed(bob, 3, { axonHotkey: bob.address() });
    assert.equal((await send(axon, elsewhere)).status, 401);
    const garbage = await signed();
    garbage.headers.bt_header_dendrite_signature = 'zz';
    assert.equal((await send(axon, garbage)).status, 401);
  });
  it('accepts a <Bytes>-wrapped signature, like btwallet’s Keypair.verify', async () => {
    const { axon } = makeAxon();
    const req = await signed();
    const h = parseHeaders(req.headers);
    const message = requestSignatureMessage({
      nonce: h.dendrite.nonce!,
      dendriteHotkey: bob.address(),
      axonHotkey: alice.address(),
      uuid: h.dendrite.uuid!,
      bodyHash: h.computed_body_hash!,
    });
    const wrapped = bob.sign(new TextEncoder().encode(`<Bytes>${message}</Bytes>`));
    req.headers.bt_header_dendrite_signature = toHex(wrapped);
    assert.equal((await send(axon, req)).status, 200);
  });
  it('verifies in wasm by default (JS-made signatures pass), and an injected verifier decides', async () => {
    const { axon } = makeAxon();
    assert.equal((await send(axon, await signed())).status, 200); // signed by Keypair.sign (JS)
    assert.equal(fastSr25519.kind, 'wasm');
    const seen: number[] = [];
    for (const answer of [true, false]) {
      const injected = makeAxon({
        verifier: (sig, msg, pk) => {
          seen.push(sig.length, pk.length);
          assert.ok(
            new TextDecoder().decode(msg).endsWith(parseHeaders(req.headers).computed_body_hash!),
          );
          return Promise.resolve(answer);
        },
      });
      const req = await signed();
      req.headers.bt_header_dendrite_signature = `0x${'ab'.repeat(64)}`; // checked by the hook only
      assert.equal((await send(injected.axon, req)).status, answer ? 200 : 401);
    }
    assert.deepEqual(seen, [64, 32, 64, 32]);
  });
  it('refuses a replayed nonce, also when the replay races the original', async () => {
    const { axon, calls } = makeAxon();
    const req = await signed();
    assert.equal((await send(axon, req)).status, 200);
    const replay = await send(axon, req);
    assert.equal(replay.status, 401);
    assert.equal(
      replay.json.message,
      'Not Verified with error: Nonce is too old, a newer one was last processed',
    );
    const twin = await signed();
    const both = await Promise.all([send(axon, twin), send(axon, twin)]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 401]);
    assert.equal(calls(), 2);
  });
  it('refuses a first nonce older than 4 s + timeout', async () => {
    const { axon } = makeAxon();
    const old = BigInt(Date.now() - 100_000) * 1_000_000n;
    const res = await send(axon, await signed(bob, 3, { nonce: old }));
    assert.equal(res.status, 401);
    assert.match(
      String(res.json.message),
      /Nonce is too old: acceptable delta is 16\.00 seconds but request was 100\.\d\d seconds old/,
    );
  });
});

describe('Axon: body integrity and hostile input', () => {
  it('a body changed after signing is refused with Python’s 500, and the handler never runs', async () => {
    const { axon, calls, events } = makeAxon();
    const req = await signed(bob, 3);
    req.body = req.body.replace('"dummy_input": 3', '"dummy_input": 4');
    const res = await send(axon, req);
    assert.equal(res.status, 500);
    assert.match(String(res.json.message), INTERNAL);
    // Re-hashing the forged body breaks the signature instead.
    const forged = await signed(bob, 4);
    const honest = await signed(bob, 3);
    honest.headers.computed_body_hash = forged.headers.computed_body_hash!;
    honest.body = forged.body;
    assert.equal((await send(axon, honest)).status, 401);
    assert.equal(calls(), 0);
    assert.deepEqual(
      events.map((e) => [e.status, e.handlerRan]),
      [
        [500, false],
        [401, false],
      ],
    );
  });
  it('wrong JSON types, non-JSON, non-objects, bad UTF-8 and deep nesting are 500', async () => {
    const { axon, calls } = makeAxon();
    const bodies = [
      (b: string) => b.replace('"dummy_input": 3', '"dummy_input": "3"'),
      (b: string) => b.replace('"dummy_input": 3', '"dummy_input": 3.5'),
      (b: string) => b.replace('"dummy_input": 3', '"dummy_input": null'),
      (b: string) => b.replace('"dummy_input": 3, ', ''),
      () => 'not json',
      () => '[1, 2]',
      () => '',
      () => `{"a": ${'['.repeat(1000)}${']'.repeat(1000)}}`,
    ];
    for (const edit of bodies) {
      const req = await signed(bob, 3);
      req.body = edit(req.body);
      const res = await send(axon, req);
      assert.equal(res.status, 500, req.body.slice(0, 60));
    }
    const res = await axon.fetch(
      new Request('http://axon/Dummy', {
        method: 'POST',
        headers: (await signed()).headers,
        body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      }),
    );
    assert.equal(res.status, 500);
    assert.equal(calls(), 0);
  });
  it('garbage header values are 400; bad base64 placeholders are ignored', async () => {
    const { axon } = makeAxon();
    for (const [k, v] of [
      ['bt_header_dendrite_nonce', 'abc'],
      ['bt_header_dendrite_nonce', '½'],
      ['timeout', 'soon'],
      ['timeout', 'inf'],
      ['timeout', '-1'],
      ['bt_header_dendrite_port', '99999999999999999999999'],
      ['bt_header_axon_process_time', '1,5'],
    ]) {
      const req = await signed();
      req.headers[k!] = v!;
      const res = await send(axon, req);
      assert.equal(res.status, 400, `${k}: ${v}`);
      assert.match(
        String(res.json.message),
        /^Improperly formatted request\. Could not parse headers into synapse of type Dummy/,
      );
    }
    const req = await signed();
    req.headers.bt_header_input_obj_dummy_input = '%%% not base64 %%%';
    req.headers.bt_header_input_obj_other = 'e30';
    assert.equal((await send(axon, req)).status, 200);
  });
  it('refuses a declared Content-Length over the limit before reading (413), and streamed excess', async () => {
    const { axon, calls } = makeAxon({ maxBodyBytes: 1024 });
    const req = await signed(bob, 3);
    const big = `${req.body.slice(0, -1)}, "pad": "${'x'.repeat(4096)}"}`;
    const res = await axon.fetch(
      new Request('http://axon/Dummy', { method: 'POST', headers: req.headers, body: big }),
    );
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('connection'), 'close');
    const streamed = await axon.fetch(
      new Request('http://axon/Dummy', {
        method: 'POST',
        headers: (await signed(bob, 3)).headers,
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < 8; i++) c.enqueue(new Uint8Array(512));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit),
    );
    assert.equal(streamed.status, 413);
    assert.equal(calls(), 0);
  });
  it('limits each hotkey’s request rate (429 with Retry-After)', async () => {
    const { axon } = makeAxon({ rateLimit: { requests: 2, perSeconds: 60 } });
    assert.equal((await send(axon, await signed(bob))).status, 200);
    assert.equal((await send(axon, await signed(bob))).status, 200);
    const third = await send(axon, await signed(bob));
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '30');
    assert.equal((await send(axon, await signed(charlie))).status, 200);
  });
});

describe('Axon: configuration', () => {
  it('info() is what serve_axon publishes', async () => {
    const axon = new Axon({ keypair: alice, neurons, externalIp: '203.0.113.7', port: 8091 });
    assert.deepEqual(axon.info(), {
      version: 10002000,
      ip: '203.0.113.7',
      ipInt: 3405803783n,
      ipType: 4,
      port: 8091,
      protocol: 4,
      placeholder1: 0,
      placeholder2: 0,
      hotkey: alice.address(),
    });
    assert.equal(
      new Axon({ keypair: alice, neurons, externalIp: '::1', externalPort: 9000 }).info().ipType,
      6,
    );
    assert.throws(() => new Axon({ keypair: alice, neurons }).info(), AxonError);
    assert.throws(
      () => new Axon({ keypair: alice, neurons, host: '127.0.0.1', port: 0 }).info(),
      RangeError,
    );
  });
  it('rejects bad options', () => {
    const base = { keypair: alice, neurons };
    assert.throws(() => new Axon(null as never), TypeError);
    assert.throws(() => new Axon({ ...base, keypair: {} as never }), TypeError);
    assert.throws(() => new Axon({ keypair: alice }), /neurons lookup is required/);
    assert.throws(() => new Axon({ ...base, neurons: {} as never }), TypeError);
    for (const port of [80, 1024, 65535, 70000, 1.5, -1]) {
      assert.throws(() => new Axon({ ...base, port }), RangeError, String(port));
    }
    assert.throws(() => new Axon({ ...base, minStake: -1n }), RangeError);
    assert.throws(() => new Axon({ ...base, minStake: 5 as never }), RangeError);
    assert.throws(() => new Axon({ ...base, maxBodyBytes: 0 }), RangeError);
    assert.throws(() => new Axon({ ...base, maxConcurrent: 0 }), RangeError);
    assert.throws(() => new Axon({ ...base, maxTimeout: Number.POSITIVE_INFINITY }), RangeError);
    assert.throws(() => new Axon({ ...base, handlerTimeout: -1 }), RangeError);
    assert.throws(
      () => new Axon({ ...base, rateLimit: { requests: 0, perSeconds: 1 } }),
      RangeError,
    );
    const axon = new Axon(base);
    assert.throws(() => axon.attach({} as never, (() => ({})) as never), TypeError);
    assert.throws(() => axon.attach(Dummy, 5 as never), TypeError);
  });
});
