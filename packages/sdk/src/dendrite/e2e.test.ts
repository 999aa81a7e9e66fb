// Dendrite against axon over loopback (port 0), plus raw clients and servers for the edges.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { type Keypair, keypairFromUri } from '@taoscript/crypto';
import { request } from 'undici';
import { z } from 'zod';
import { Axon, type AxonOptions, type AxonResponseEvent, type NeuronRecord } from '../axon/axon.js';
import { fastSr25519 } from '../fast-crypto/sr25519.js';
import { defineSynapse } from '../synapse/define.js';
import { uuid1 } from '../synapse/nonce.js';
import { defaultVerifier } from '../synapse/signature.js';
import { Dendrite, prepareRequest } from './dendrite.js';
import { failedVerification, isBlacklisted, isSuccess, isTimeout } from './status.js';

const Dummy = defineSynapse({
  name: 'Dummy',
  request: z.object({ dummy_input: z.int() }),
  response: z.object({ dummy_output: z.int() }),
  hashFields: ['dummy_input'],
  deserialize: (s) => s.dummy_output,
});
const Tokens = defineSynapse({
  name: 'Tokens',
  request: z.object({ prompt: z.string() }),
  response: z.object({}),
  hashFields: ['prompt'],
  streaming: true,
});

const alice = keypairFromUri('//Alice');
const bob = keypairFromUri('//Bob');
const eve = keypairFromUri('//Eve');
const registry = new Map<string, NeuronRecord>([
  [bob.address(), { uid: 1, validatorPermit: true, stake: 10n ** 12n }],
]);
const neurons = { lookup: (h: string) => registry.get(h) };

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Polls `cond` until true or the deadline passes (no fixed sleeps). */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function startAxon(options: Partial<AxonOptions> = {}) {
  const events: AxonResponseEvent[] = [];
  const waiters: ((e: AxonResponseEvent) => void)[] = [];
  const axon = new Axon({
    keypair: alice,
    host: '127.0.0.1',
    port: 0,
    neurons,
    onResponse: (e) => {
      events.push(e);
      for (const w of waiters.splice(0)) w(e);
    },
    ...options,
  });
  const nextEvent = () => new Promise<AxonResponseEvent>((r) => waiters.push(r));
  return { axon, events, nextEvent };
}

async function listen(axon: Axon) {
  await axon.start();
  cleanups.push(() => axon.stop());
  return { ip: '127.0.0.1', port: axon.port, hotkey: alice.address() };
}

function dendriteFor(keypair: Keypair) {
  const d = new Dendrite({ keypair });
  cleanups.push(() => d.close());
  return d;
}

async function rawServer(handler: Parameters<typeof createServer>[1]) {
  const server: Server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(
    () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  );
  return { ip: '127.0.0.1', port: (server.address() as AddressInfo).port, hotkey: alice.address() };
}

describe('dendrite ↔ axon on loopback', () => {
  it('serves a registered caller and fills both terminals like Python', async () => {
    const { axon } = await startAxon();
    let calls = 0;
    axon.attach(Dummy, (s) => {
      calls++;
      return { dummy_output: s.dummy_input * 2 };
    });
    const target = await listen(axon);
    const dendrite = dendriteFor(bob);
    const r = await dendrite.query(target, Dummy.create({ dummy_input: 21 }), { timeout: 5 });
    assert.equal(r.dummy_output, 42);
    assert.equal(Dummy.deserialize(r), 42);
    assert.ok(isSuccess(r));
    assert.equal(r.timeout, 5);
    assert.equal(r.dendrite.status_code, 200);
    assert.equal(r.dendrite.status_message, 'Success');
    assert.ok(r.dendrite.process_time! > 0 && r.dendrite.process_time! < 5);
    assert.equal(r.dendrite.hotkey, bob.address());
    assert.equal(r.dendrite.uuid, dendrite.uuid);
    assert.equal(r.dendrite.ip, '127.0.0.1'); // the TCP peer, as the axon saw it
    assert.equal(typeof r.dendrite.nonce, 'bigint');
    assert.match(r.dendrite.signature!, /^0x[0-9a-f]{128}$/);
    assert.equal(r.axon.status_code, 200);
    assert.equal(r.axon.hotkey, alice.address());
    assert.equal(r.axon.uuid, axon.uuid);
    assert.equal(r.axon.version, 10002000);
    assert.ok(r.axon.process_time! >= 0);
    // A list of targets gives a list, in order, even with a dead one in the middle.
    const dead = await rawServer((_req, res) => res.socket?.destroy());
    const many = await dendrite.query([target, dead, target], Dummy.create({ dummy_input: 1 }));
    assert.deepEqual(
      many.map((s) => [s.dendrite.status_code, s.dummy_output]),
      [
        [200, 2],
        [503, null],
        [200, 2],
      ],
    );
    assert.equal(calls, 3);
  });

  it('wasm and pure-JS crypto interoperate: either signer against either verifier', async () => {
    let ownSigns = 0;
    const jsOnly = {
      address: () => bob.address(),
      sign: (m: Uint8Array) => {
        ownSigns++;
        return bob.sign(m);
      },
    };
    for (const verifier of [undefined, defaultVerifier]) {
      const { axon } = await startAxon(verifier === undefined ? {} : { verifier });
      axon.attach(Dummy, (s) => ({ dummy_output: s.dummy_input + 1 }));
      const target = await listen(axon);
      for (const keypair of [bob, jsOnly]) {
        const dendrite = new Dendrite({ keypair });
        cleanups.push(() => dendrite.close());
        const r = await dendrite.query(target, Dummy.create({ dummy_input: 1 }));
        assert.equal(r.dendrite.status_code, 200, r.dendrite.status_message ?? '');
        assert.equal(r.dummy_output, 2);
      }
    }
    // The Keypair was signed for in wasm; the key-less signer's own sign() ran once per axon.
    assert.equal(fastSr25519.kind, 'wasm');
    assert.equal(ownSigns, 2);
  });
  it('an unregistered caller gets 403 (blacklist runs before verify, as in Python)', async () => {
    const { axon } = await startAxon();
    axon.attach(Dummy, () => ({ dummy_output: 0 }));
    const target = await listen(axon);
    const r = await dendriteFor(eve).query(target, Dummy.create({ dummy_input: 1 }));
    assert.ok(isBlacklisted(r));
    assert.equal(r.dendrite.status_message, 'Forbidden. Key is blacklisted: Unrecognized hotkey.');
    assert.equal(r.axon.status_code, 403);
    assert.equal(r.dummy_output, null);
  });

  it('refuses a missing signature, a replayed nonce and a tampered body', async () => {
    const { axon } = await startAxon();
    let calls = 0;
    axon.attach(Dummy, (s) => {
      calls++;
      return { dummy_output: s.dummy_input };
    });
    const target = await listen(axon);
    const url = `http://127.0.0.1:${target.port}/Dummy`;
    const prep = () =>
      prepareRequest(Dummy.create({ dummy_input: 7 }), {
        keypair: bob,
        hotkey: bob.address(),
        uuid: uuid1(),
        target,
      });
    const post = async (p: Awaited<ReturnType<typeof prep>>) => {
      const res = await request(url, { method: 'POST', headers: p.headers, body: p.body });
      return { status: res.statusCode, json: (await res.body.json()) as { message: string } };
    };
    const unsigned = await prep();
    delete unsigned.headers.bt_header_dendrite_signature;
    const r1 = await post(unsigned);
    assert.equal(r1.status, 401);
    assert.equal(r1.json.message, 'Not Verified with error: Missing signature');

    const once1 = await prep();
    assert.equal((await post(once1)).status, 200);
    const r2 = await post(once1);
    assert.equal(r2.status, 401);
    assert.match(r2.json.message, /newer one was last processed/);

    const tampered = await prep();
    tampered.body = tampered.body.replace('"dummy_input": 7', '"dummy_input": 8');
    const r3 = await post(tampered);
    assert.equal(r3.status, 500);
    assert.match(r3.json.message, /^Internal Server Error #/);
    assert.equal(calls, 1);
  });

  it('a slow handler: 408 on both sides when the dendrite’s timeout runs out', async () => {
    const { axon, nextEvent } = await startAxon();
    let aborted = false;
    axon.attach(Dummy, (_s, ctx) => {
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          reject(ctx.signal.reason);
        });
      });
    });
    const target = await listen(axon);
    const axonSide = nextEvent();
    const r = await dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }), {
      timeout: 0.5,
    });
    // Both clocks run out together: the dendrite reports its own timeout or the axon's 408,
    // whichever arrives first; either way the code is 408.
    assert.ok(isTimeout(r));
    assert.match(
      r.dendrite.status_message!,
      /^(Request timeout after 0\.5 seconds|Response timeout after: 0\.5s)$/,
    );
    const e = await axonSide;
    assert.equal(e.status, 408);
    assert.equal(e.message, 'Response timeout after: 0.5s');
    assert.equal(e.handlerRan, true);
    assert.equal(aborted, true);
  });

  it('no answer at all: the dendrite’s timeout gives Python’s 408 terminal info', async () => {
    const target = await rawServer(() => {});
    const r = await dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }), {
      timeout: 0.3,
    });
    assert.equal(r.dendrite.status_code, 408);
    assert.equal(r.dendrite.status_message, 'Request timeout after 0.3 seconds');
    assert.equal(r.dendrite.process_time, null); // Python sets it only when a response arrived
    assert.equal(r.axon.status_code, null);
    assert.equal(r.axon.hotkey, alice.address());
    assert.equal(r.timeout, 0.3);
  });

  it('a client that hangs up mid-handler is reported as 499 and the handler is aborted', async () => {
    const { axon, nextEvent } = await startAxon();
    const started = deferred();
    let aborted = false;
    axon.attach(Dummy, (_s, ctx) => {
      started.resolve();
      return new Promise((_r, reject) =>
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          reject(ctx.signal.reason);
        }),
      );
    });
    const target = await listen(axon);
    const controller = new AbortController();
    const event = nextEvent();
    const pending = dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }), {
      timeout: 30,
      signal: controller.signal,
    });
    await started.promise;
    controller.abort(new Error('gave up'));
    await assert.rejects(pending, /gave up/);
    const e = await event;
    assert.equal(e.status, 499);
    assert.equal(aborted, true);
  });

  it('a slow handler: the axon’s handler deadline answers 408 first', async () => {
    const { axon } = await startAxon({ handlerTimeout: 0.2 });
    axon.attach(Dummy, () => new Promise(() => {}));
    const target = await listen(axon);
    const r = await dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }), {
      timeout: 5,
    });
    assert.equal(r.dendrite.status_code, 408);
    assert.equal(r.dendrite.status_message, 'Response timeout after: 0.2s');
    assert.equal(r.axon.status_code, 408);
    assert.ok(r.dendrite.process_time! >= 0.2 && r.dendrite.process_time! < 5);
    await until(() => axon.stats().running === 0, 'the handler slot to be released');
  });

  it('streams chunks, then the synapse with terminal info', async () => {
    const { axon } = await startAxon();
    axon.attach(Tokens, async function* (s) {
      for (const word of s.prompt.split(' ')) yield `${word};`;
      yield new Uint8Array([0x21]);
    });
    const target = await listen(axon);
    const chunks: string[] = [];
    let final: ReturnType<typeof Tokens.create> | undefined;
    for await (const ev of dendriteFor(bob).stream(target, Tokens.create({ prompt: 'a bb ccc' }), {
      timeout: 5,
    })) {
      if (ev.type === 'chunk') chunks.push(Buffer.from(ev.data).toString());
      else final = ev.synapse;
    }
    assert.equal(chunks.join(''), 'a;bb;ccc;!');
    assert.equal(final?.dendrite.status_code, 200);
    assert.equal(final?.axon.status_message, 'Success');
    assert.equal(final?.axon.uuid, axon.uuid);
    await until(() => axon.stats().running === 0 && axon.stats().inflight === 0, 'stream end');
  });

  it('a stream that breaks mid-body ends with Payload error (400); a stalled one with 408', async () => {
    const { axon } = await startAxon();
    axon.attach(Tokens, async function* (s) {
      yield 'first;';
      if (s.prompt === 'break') throw new Error('model crashed');
      await new Promise(() => {});
    });
    const target = await listen(axon);
    const d = dendriteFor(bob);
    const collect = async (prompt: string, timeout: number) => {
      const out: { chunks: number; status: number | null; message: string | null } = {
        chunks: 0,
        status: null,
        message: null,
      };
      for await (const ev of d.stream(target, Tokens.create({ prompt }), { timeout })) {
        if (ev.type === 'chunk') out.chunks++;
        else {
          out.status = ev.synapse.dendrite.status_code;
          out.message = ev.synapse.dendrite.status_message;
        }
      }
      return out;
    };
    const broken = await collect('break', 5);
    assert.equal(broken.status, 400);
    assert.match(broken.message!, /^Payload error: /);
    const stalled = await collect('stall', 0.3);
    assert.equal(stalled.chunks, 1);
    assert.equal(stalled.status, 408);
    assert.equal(stalled.message, 'Request timeout after 0.3 seconds');
  });

  it('rate limit per hotkey', async () => {
    const { axon } = await startAxon({ rateLimit: { requests: 2, perSeconds: 60 } });
    axon.attach(Dummy, (s) => ({ dummy_output: s.dummy_input }));
    const target = await listen(axon);
    const d = dendriteFor(bob);
    const codes: (number | null)[] = [];
    for (let i = 0; i < 3; i++) {
      codes.push((await d.query(target, Dummy.create({ dummy_input: i }))).dendrite.status_code);
    }
    assert.deepEqual(codes, [200, 200, 429]);
  });

  it('serves the queue by stake when handlers are busy', async () => {
    const stakes = [5n, 50n, 1n, 500n, 20n];
    const callers = stakes.map((_, i) => keypairFromUri(`//Priority${i}`));
    for (const [i, k] of callers.entries()) {
      registry.set(k.address(), { uid: 10 + i, validatorPermit: true, stake: stakes[i]! });
    }
    const { axon } = await startAxon({ maxConcurrent: 1 });
    const gate = deferred();
    const order: bigint[] = [];
    axon.attach(Dummy, async (_s, ctx) => {
      const stake = ctx.neuron!.stake;
      if (stake === 10n ** 12n)
        await gate.promise; // bob holds the only slot
      else order.push(stake);
      return { dummy_output: 0 };
    });
    const target = await listen(axon);
    const first = dendriteFor(bob).query(target, Dummy.create({ dummy_input: 0 }), { timeout: 20 });
    await until(() => axon.stats().running === 1, 'the first request to hold the slot');
    const rest = callers.map((k) =>
      dendriteFor(k).query(target, Dummy.create({ dummy_input: 1 }), { timeout: 20 }),
    );
    await until(() => axon.stats().queued === callers.length, 'all requests to queue');
    gate.resolve();
    const results = await Promise.all([first, ...rest]);
    assert.ok(results.every(isSuccess));
    assert.deepEqual(order, [500n, 50n, 20n, 5n, 1n]);
  });

  it('a full queue answers 503 to the lowest priority', async () => {
    const low = keypairFromUri('//LowStake');
    registry.set(low.address(), { uid: 30, validatorPermit: true, stake: 0n });
    const { axon } = await startAxon({ maxConcurrent: 1, maxQueue: 0 });
    const gate = deferred();
    axon.attach(Dummy, async () => {
      await gate.promise;
      return { dummy_output: 0 };
    });
    const target = await listen(axon);
    const first = dendriteFor(bob).query(target, Dummy.create({ dummy_input: 0 }));
    await until(() => axon.stats().running === 1, 'the slot to be taken');
    const r = await dendriteFor(low).query(target, Dummy.create({ dummy_input: 0 }));
    assert.equal(r.dendrite.status_code, 503);
    assert.equal(r.dendrite.status_message, 'Service unavailable: the priority queue is full');
    gate.resolve();
    assert.ok(isSuccess(await first));
  });

  it('graceful shutdown: refuses new connections, finishes the in-flight request, then closes', async () => {
    const { axon } = await startAxon();
    const gate = deferred();
    axon.attach(Dummy, async (s) => {
      await gate.promise;
      return { dummy_output: s.dummy_input + 1 };
    });
    const target = await listen(axon);
    const inflight = dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }), {
      timeout: 10,
    });
    await until(() => axon.stats().running === 1, 'the request to be in its handler');
    let stopped = false;
    const stopping = axon.stop().then(() => {
      stopped = true;
    });
    const late = await dendriteFor(bob).query(target, Dummy.create({ dummy_input: 2 }));
    assert.equal(late.dendrite.status_code, 503);
    assert.match(late.dendrite.status_message!, /^Service unavailable at 127\.0\.0\.1:\d+\/Dummy$/);
    assert.equal(stopped, false);
    gate.resolve();
    const r = await inflight;
    assert.equal(r.dummy_output, 2);
    await stopping;
    assert.equal(axon.stats().inflight, 0);
  });

  it('cuts off requests still running when the grace period ends', async () => {
    const { axon } = await startAxon({ shutdownGraceMs: 50 });
    let aborted = false;
    axon.attach(Dummy, (_s, ctx) => {
      return new Promise((_r, reject) =>
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('cut'));
        }),
      );
    });
    const target = await listen(axon);
    const pending = dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }), {
      timeout: 10,
    });
    await until(() => axon.stats().running === 1, 'the handler to start');
    await axon.stop();
    assert.equal(aborted, true);
    const r = await pending;
    assert.notEqual(r.dendrite.status_code, 200);
  });
});

describe('oversized bodies are refused without being buffered', () => {
  const LIMIT = 64 * 1024;
  const TOTAL = 64 * 1024 * 1024;

  async function rawPost(
    port: number,
    headers: Record<string, string>,
    mode: 'chunked' | 'length',
  ) {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
    const framing =
      mode === 'chunked' ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${TOTAL}\r\n`;
    socket.write(`POST /Dummy HTTP/1.1\r\nHost: axon\r\n${framing}${lines.join('')}\r\n`);
    let response = '';
    let written = 0;
    let stop = false;
    socket.on('data', (d) => {
      response += d.toString('latin1');
      stop = true;
    });
    socket.on('error', () => {
      stop = true;
    });
    const closed = new Promise((r) => socket.once('close', r));
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const frame =
      mode === 'chunked'
        ? Buffer.concat([
            Buffer.from(`${chunk.length.toString(16)}\r\n`),
            chunk,
            Buffer.from('\r\n'),
          ])
        : chunk;
    while (!stop && written < TOTAL) {
      written += chunk.length;
      if (!socket.write(frame)) {
        await Promise.race([new Promise((r) => socket.once('drain', r)), closed]);
      }
    }
    await closed;
    return { response, written };
  }

  for (const mode of ['chunked', 'length'] as const) {
    it(`${mode}: 413, connection closed early, handler never ran`, async () => {
      const { axon, nextEvent } = await startAxon({ maxBodyBytes: LIMIT });
      let calls = 0;
      axon.attach(Dummy, () => {
        calls++;
        return { dummy_output: 0 };
      });
      const target = await listen(axon);
      const prepared = await prepareRequest(Dummy.create({ dummy_input: 1 }), {
        keypair: bob,
        hotkey: bob.address(),
        uuid: uuid1(),
        target,
      });
      const event = nextEvent();
      const { response, written } = await rawPost(target.port, prepared.headers, mode);
      assert.match(response, /^HTTP\/1\.1 413 /);
      assert.match(response, /connection: close/i);
      assert.ok(written < TOTAL / 4, `client wrote ${written} of ${TOTAL} bytes before the close`);
      assert.equal(calls, 0);
      const e = await event;
      assert.equal(e.status, 413);
      assert.equal(e.handlerRan, false);
      // The axon keeps serving.
      const ok = await dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }));
      assert.ok(isSuccess(ok));
    });
  }

  it('an unsigned oversized body is refused (401) and the connection is not drained', async () => {
    const { axon } = await startAxon({ maxBodyBytes: LIMIT });
    axon.attach(Dummy, () => ({ dummy_output: 0 }));
    const target = await listen(axon);
    const { response, written } = await rawPost(
      target.port,
      { bt_header_dendrite_hotkey: bob.address() },
      'chunked',
    );
    assert.match(response, /^HTTP\/1\.1 401 /);
    assert.ok(written < TOTAL / 4);
  });
});

describe('hostile traffic at the socket', () => {
  it('huge header values get 431 from the HTTP layer and the axon keeps serving', async () => {
    const { axon } = await startAxon();
    axon.attach(Dummy, () => ({ dummy_output: 0 }));
    const target = await listen(axon);
    const res = await request(`http://127.0.0.1:${target.port}/Dummy`, {
      method: 'POST',
      headers: { bt_header_dendrite_hotkey: 'x'.repeat(64 * 1024) },
      body: '{}',
    });
    assert.equal(res.statusCode, 431);
    await res.body.dump();
    const ok = await dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }));
    assert.ok(isSuccess(ok));
  });
  it('garbage on the wire does not take the axon down', async () => {
    const { axon } = await startAxon();
    axon.attach(Dummy, () => ({ dummy_output: 5 }));
    const target = await listen(axon);
    const socket = connect(target.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('\x00\x01GARBAGE / HTTP/9.9\r\n\r\n');
    let reply = '';
    socket.on('data', (d) => {
      reply += d.toString('latin1');
    });
    socket.on('error', () => {});
    await once(socket, 'close');
    assert.match(reply, /^HTTP\/1\.1 400 /);
    const bad = await request(`http://127.0.0.1:${target.port}/Dummy`, {
      method: 'POST',
      headers: { bt_header_dendrite_nonce: 'abc', bt_header_dendrite_hotkey: bob.address() },
      body: 'x',
    });
    assert.equal(bad.statusCode, 400);
    await bad.body.dump();
    assert.equal(
      (await dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }))).dummy_output,
      5,
    );
  });
});

describe('client-side failures map to Python’s codes', () => {
  const call = (target: { ip: string; port: number; hotkey: string }, timeout = 5) =>
    dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }), { timeout });

  it('connection refused → 503 Service unavailable at ip:port/Name', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const r = await call({ ip: '127.0.0.1', port, hotkey: alice.address() });
    assert.equal(r.dendrite.status_code, 503);
    assert.equal(r.dendrite.status_message, `Service unavailable at 127.0.0.1:${port}/Dummy`);
  });
  it('server disconnects before answering → 503 Service disconnected', async () => {
    const target = await rawServer((req) => req.socket.destroy());
    const r = await call(target);
    assert.equal(r.dendrite.status_code, 503);
    assert.match(r.dendrite.status_message!, /^Service disconnected: /);
  });
  it('body cut short → 400 Payload error', async () => {
    const target = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100', 'content-type': 'application/json' });
      res.write('{"name":');
      setImmediate(() => res.socket?.destroy());
    });
    const r = await call(target);
    assert.equal(r.dendrite.status_code, 400);
    assert.match(r.dendrite.status_message!, /^Payload error: /);
  });
  it('200 with a non-JSON or wrongly typed body → 422 Failed to parse response', async () => {
    const text = await rawServer((_req, res) => res.end('hello'));
    const r1 = await call(text);
    assert.equal(r1.dendrite.status_code, 422);
    assert.match(r1.dendrite.status_message!, /^Failed to parse response: /);
    const typed = await rawServer((_req, res) => res.end('{"dummy_output": "six"}'));
    const r2 = await call(typed);
    assert.equal(r2.dendrite.status_code, 422);
    assert.equal(r2.dummy_output, null);
  });
  it('non-200 JSON → that status and message; non-200 text → 422', async () => {
    const teapot = await rawServer((_req, res) => {
      res.writeHead(418, { 'content-type': 'application/json', bt_header_axon_status_code: '418' });
      res.end('{"message": "short and stout"}');
    });
    const r1 = await call(teapot);
    assert.equal(r1.dendrite.status_code, 418);
    assert.equal(r1.dendrite.status_message, 'short and stout');
    assert.equal(r1.axon.status_code, 418);
    assert.ok(r1.dendrite.process_time! > 0);
    const proxy = await rawServer((_req, res) => {
      res.writeHead(502);
      res.end('Bad Gateway');
    });
    assert.equal((await call(proxy)).dendrite.status_code, 422);
  });
  it('oversized response body → 400; oversized response headers → 400 Client response error', async () => {
    const bigBody = await rawServer((_req, res) => res.end(`"${'x'.repeat(2 * 1024 * 1024)}"`));
    const d = new Dendrite({ keypair: bob, maxResponseBytes: 1024 * 1024 });
    cleanups.push(() => d.close());
    const r1 = await d.query(bigBody, Dummy.create({ dummy_input: 1 }));
    assert.equal(r1.dendrite.status_code, 400);
    assert.match(r1.dendrite.status_message!, /exceeds 1048576 bytes/);
    const bigHeaders = await rawServer((_req, res) => {
      res.setHeader('x-big', 'y'.repeat(100 * 1024));
      res.end('{}');
    });
    const r2 = await call(bigHeaders);
    assert.equal(r2.dendrite.status_code, 400);
    assert.match(r2.dendrite.status_message!, /^Client response error: /);
  });
  it('a response with malformed bt headers → 422', async () => {
    const target = await rawServer((_req, res) => {
      res.writeHead(200, { bt_header_axon_port: 'eighty' });
      res.end('{"dummy_output": 1}');
    });
    assert.equal((await call(target)).dendrite.status_code, 422);
  });
  it('the caller’s AbortSignal rejects the query', async () => {
    const target = await rawServer(() => {});
    const controller = new AbortController();
    const pending = dendriteFor(bob).query(target, Dummy.create({ dummy_input: 1 }), {
      signal: controller.signal,
    });
    controller.abort(new Error('shutting down'));
    await assert.rejects(pending, /shutting down/);
  });
  it('rejects bad arguments', async () => {
    const d = dendriteFor(bob);
    const s = Dummy.create({ dummy_input: 1 });
    const t = { ip: '127.0.0.1', port: 1, hotkey: alice.address() };
    await assert.rejects(d.query({ ...t, port: 0 }, s), RangeError);
    await assert.rejects(d.query({ ...t, ip: '' }, s), TypeError);
    await assert.rejects(d.query({ ...t, ip: 'a b\r\nx: y' }, s), TypeError);
    await assert.rejects(d.query({ ...t, hotkey: 'not-ss58\n' }, s), TypeError);
    await assert.rejects(d.query({ ...t, hotkey: 5 as never }, s), TypeError);
    await assert.rejects(d.query(null as never, s), TypeError);
    await assert.rejects(d.query(t, s, { timeout: 0 }), RangeError);
    await assert.rejects(d.query(t, s, { timeout: Number.NaN }), RangeError);
    await assert.rejects(d.query(t, { ...s }), TypeError);
    assert.throws(() => new Dendrite({ keypair: {} as never }), TypeError);
    assert.throws(() => new Dendrite({ keypair: bob, externalIp: 'nope' }), RangeError);
    assert.throws(() => new Dendrite({ keypair: bob, connectionsPerAxon: 0 }), RangeError);
    const closed = new Dendrite({ keypair: bob });
    await closed.close();
    await assert.rejects(closed.query(t, s), /closed/);
  });
  it('failedVerification reads 401', () => {
    const s = Dummy.create({ dummy_input: 1 });
    s.dendrite.status_code = 401;
    assert.ok(failedVerification(s));
  });
});
