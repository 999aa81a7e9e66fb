import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, describe, test } from 'node:test';
import WebSocket from 'ws';
import { z } from 'zod';
import { RpcError } from './errors.js';
import { startRpcServer } from './server.js';
import { captureLogger, deferred, type Msg, post, postChunked, WsClient } from './test-fixtures.js';
import type { MethodDef, RpcServer, RpcServerOptions } from './types.js';

const bus = new EventEmitter();
const stops: string[] = [];
const calls: string[] = [];

const methods: RpcServerOptions['methods'] = {
  echo: { params: z.tuple([z.unknown()]), handler: ([x]) => x },
  add: {
    params: z.tuple([z.number().int(), z.number().int().optional()]),
    handler: ([a, b]: [number, number?]) => a + (b ?? 0),
  },
  nothing: { params: z.tuple([]), handler: () => undefined },
  record: {
    params: z.tuple([z.string()]),
    handler: ([s]: [string]) => {
      calls.push(s);
      return s;
    },
  },
  rpcFail: {
    params: z.tuple([]),
    handler: () => {
      throw new RpcError(4003, 'Client error: UnknownBlock', { hash: '0x01' });
    },
  },
  crash: {
    params: z.tuple([]),
    handler: async () => {
      throw new Error('secret internal detail');
    },
  },
  big: { params: z.tuple([z.number()]), handler: ([n]: [number]) => 'x'.repeat(n) },
  bigint: { params: z.tuple([]), handler: () => ({ v: 1n }) },
  system_health: {
    params: z.tuple([]),
    handler: () => ({ isSyncing: false, peers: 0, shouldHavePeers: false }),
  },
};

const subscriptions: RpcServerOptions['subscriptions'] = [
  {
    subscribe: 'test_subscribe',
    unsubscribe: ['test_unsubscribe', 'test_unsubscribeAlias'],
    notification: 'test_event',
    params: z.tuple([z.string()]),
    start: ([topic]: [string], emit, ctx) => {
      // Synchronous emits inside start must arrive after the subscribe response.
      emit({ topic, n: 'first' });
      emit({ topic, n: 'second' });
      const on = (value: unknown) => emit(value);
      const closeOn = () => ctx.close();
      bus.on(topic, on);
      bus.on(`${topic}:close`, closeOn);
      return () => {
        bus.off(topic, on);
        bus.off(`${topic}:close`, closeOn);
        stops.push(topic);
        bus.emit('stopped', topic);
      };
    },
  },
  {
    subscribe: 'test_subscribeAsync',
    unsubscribe: 'test_unsubscribeAsync',
    notification: 'test_asyncEvent',
    params: z.tuple([z.boolean().optional()]),
    start: async ([closeEarly]: [boolean?], emit, ctx) => {
      await new Promise((resolve) => setImmediate(resolve));
      emit('before-resolve');
      if (closeEarly) ctx.close();
      await new Promise((resolve) => setImmediate(resolve));
      emit('still-before-resolve');
      return () => {
        stops.push('async');
        bus.emit('stopped', 'async');
      };
    },
  },
  {
    subscribe: 'test_subscribeFail',
    unsubscribe: 'test_unsubscribeFail',
    notification: 'test_never',
    params: z.tuple([]),
    start: (_p, emit) => {
      emit('lost');
      throw new RpcError(1010, 'Invalid Transaction', 'bad signature');
    },
  },
];

const servers: RpcServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(extra: Partial<RpcServerOptions> = {}): Promise<RpcServer> {
  const s = await startRpcServer({ host: '127.0.0.1', port: 0, methods, subscriptions, ...extra });
  servers.push(s);
  return s;
}

function waitStopped(topic: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (t: string) => {
      if (t === topic) {
        bus.off('stopped', on);
        resolve();
      }
    };
    bus.on('stopped', on);
  });
}

const rpc = (method: string, params?: unknown, id: unknown = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

async function httpCall(port: number, body: string): Promise<Msg | Msg[]> {
  const r = await post(port, body);
  assert.equal(r.status, 200);
  return JSON.parse(r.text);
}

describe('HTTP', () => {
  test('answers calls, with optional trailing params and null params', async () => {
    const s = await start();
    assert.deepEqual(await httpCall(s.port, rpc('add', [2, 3])), {
      jsonrpc: '2.0',
      result: 5,
      id: 1,
    });
    assert.deepEqual(await httpCall(s.port, rpc('add', [2], 'a')), {
      jsonrpc: '2.0',
      result: 2,
      id: 'a',
    });
    assert.deepEqual(await httpCall(s.port, rpc('nothing', null, null)), {
      jsonrpc: '2.0',
      result: null,
      id: null,
    });
    assert.deepEqual(await httpCall(s.port, rpc('nothing')), {
      jsonrpc: '2.0',
      result: null,
      id: 1,
    });
  });

  test('rpc_methods lists every method, subscribe and unsubscribe name, sorted', async () => {
    const s = await start();
    const r = (await httpCall(s.port, rpc('rpc_methods'))) as Msg;
    const names = (r.result as { methods: string[] }).methods;
    assert.deepEqual(names, [...names].sort());
    for (const n of [
      'rpc_methods',
      'echo',
      'test_subscribe',
      'test_unsubscribe',
      'test_unsubscribeAlias',
      'test_subscribeAsync',
      'test_unsubscribeAsync',
    ]) {
      assert.ok(names.includes(n), n);
    }
    assert.ok(!names.includes('test_event'));
  });

  test('parse errors: -32700 with id null', async () => {
    const s = await start();
    for (const body of [
      '{',
      'not json',
      '',
      '{"jsonrpc":"2.0","id":1,"method":"echo"',
      '\u0000\u0001',
    ]) {
      assert.deepEqual(await httpCall(s.port, body), {
        jsonrpc: '2.0',
        error: { code: -32700, message: 'Parse error' },
        id: null,
      });
    }
  });

  test('invalid requests: -32600', async () => {
    const s = await start();
    const cases: [unknown, unknown][] = [
      [1, null],
      ['x', null],
      [null, null],
      [true, null],
      [[], null],
      [{ id: 1, method: 'echo' }, 1],
      [{ jsonrpc: '1.0', id: 2, method: 'echo' }, 2],
      [{ jsonrpc: '2.0', id: 3, method: 5 }, 3],
      [{ jsonrpc: '2.0', id: 3 }, 3],
      [{ jsonrpc: '2.0', id: { a: 1 }, method: 'echo' }, null],
      [{ jsonrpc: '2.0', id: [1], method: 'echo' }, null],
      [{ jsonrpc: '2.0', id: true, method: 'echo' }, null],
    ];
    for (const [req, id] of cases) {
      assert.deepEqual(
        await httpCall(s.port, JSON.stringify(req)),
        { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id },
        JSON.stringify(req),
      );
    }
  });

  test('unknown method: -32601', async () => {
    const s = await start();
    assert.deepEqual(await httpCall(s.port, rpc('nope', [], 7)), {
      jsonrpc: '2.0',
      error: { code: -32601, message: 'Method not found' },
      id: 7,
    });
  });

  test('invalid params: -32602 naming the param and the reason', async () => {
    const s = await start();
    const r = (await httpCall(s.port, rpc('add', [1, 'two']))) as Msg;
    assert.equal(r.error?.code, -32602);
    assert.equal(r.error?.message, 'Invalid params');
    assert.match(String(r.error?.data), /^param 1: .*expected number/);
    assert.ok(!String(r.error?.data).includes('\n'));
    const missing = (await httpCall(s.port, rpc('add', []))) as Msg;
    assert.equal(missing.error?.code, -32602);
    assert.match(String(missing.error?.data), /params: /);
    const tooMany = (await httpCall(s.port, rpc('add', [1, 2, 3]))) as Msg;
    assert.equal(tooMany.error?.code, -32602);
    const named = (await httpCall(s.port, rpc('add', { a: 1 }))) as Msg;
    assert.equal(named.error?.code, -32602);
    assert.match(String(named.error?.data), /array/);
    const scalar = (await httpCall(s.port, rpc('add', 5))) as Msg;
    assert.equal(scalar.error?.code, -32602);
  });

  test('RpcError from a handler keeps code, message and data', async () => {
    const s = await start();
    assert.deepEqual(await httpCall(s.port, rpc('rpcFail')), {
      jsonrpc: '2.0',
      error: { code: 4003, message: 'Client error: UnknownBlock', data: { hash: '0x01' } },
      id: 1,
    });
  });

  test('other throws: -32603, logged with stack, nothing leaked', async () => {
    const { logger, records } = captureLogger();
    const s = await start({ logger });
    const r = await post(s.port, rpc('crash'));
    assert.deepEqual(JSON.parse(r.text), {
      jsonrpc: '2.0',
      error: { code: -32603, message: 'Internal error' },
      id: 1,
    });
    assert.ok(!r.text.includes('secret') && !r.text.includes('stack'));
    const rec = records.find((x) => x.method === 'crash');
    assert.ok(rec !== undefined, 'error was logged');
    assert.match(String((rec.err as { stack?: string }).stack), /secret internal detail/);
    // A result that cannot be serialized is an internal error too.
    const b = (await httpCall(s.port, rpc('bigint'))) as Msg;
    assert.equal(b.error?.code, -32603);
  });

  test('notifications get no response; batches answer in order without them', async () => {
    const s = await start();
    const none = await post(
      s.port,
      JSON.stringify({ jsonrpc: '2.0', method: 'record', params: ['n1'] }),
    );
    assert.equal(none.status, 200);
    assert.equal(none.text, '');
    assert.ok(calls.includes('n1'), 'notification handler still ran');
    const batch = (await httpCall(
      s.port,
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'add', params: [1, 1] },
        { jsonrpc: '2.0', method: 'record', params: ['n2'] },
        { jsonrpc: '2.0', id: 2, method: 'nope' },
        5,
        { jsonrpc: '2.0', id: 3, method: 'add', params: ['x'] },
        { jsonrpc: '2.0', method: 'nope' },
        { jsonrpc: '2.0', id: 4, method: 'echo', params: [[1, { a: null }]] },
      ]),
    )) as Msg[];
    assert.deepEqual(
      batch.map((m) => [m.id, m.result ?? m.error?.code]),
      [
        [1, 2],
        [2, -32601],
        [null, -32600],
        [3, -32602],
        [4, [1, { a: null }]],
      ],
    );
    const allNotifications = await post(
      s.port,
      JSON.stringify([{ jsonrpc: '2.0', method: 'record', params: ['n3'] }]),
    );
    assert.equal(allNotifications.text, '');
    assert.deepEqual(await httpCall(s.port, '[]'), {
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid request' },
      id: null,
    });
  });

  test('subscriptions are refused over HTTP', async () => {
    const s = await start();
    for (const m of ['test_subscribe', 'test_unsubscribe']) {
      const r = (await httpCall(s.port, rpc(m, ['x']))) as Msg;
      assert.equal(r.error?.code, -32601);
      assert.match(String(r.error?.data), /WebSocket/);
    }
  });

  test('non-POST gets 405, OPTIONS and CORS, /health proxies system_health, extra routes', async () => {
    const s = await start({
      extraHttpRoutes: (req, res) => {
        if (req.url !== '/metrics') return false;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('up 1\n');
        return true;
      },
    });
    const base = `http://127.0.0.1:${s.port}`;
    const get = await fetch(`${base}/`);
    assert.equal(get.status, 405);
    await get.text();
    const put = await fetch(`${base}/`, { method: 'PUT', body: 'x' });
    assert.equal(put.status, 405);
    await put.text();
    const opt = await fetch(`${base}/`, { method: 'OPTIONS' });
    assert.equal(opt.status, 204);
    assert.equal(opt.headers.get('access-control-allow-origin'), '*');
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { isSyncing: false, peers: 0, shouldHavePeers: false });
    const metrics = await fetch(`${base}/metrics`);
    assert.equal(await metrics.text(), 'up 1\n');
    const r = await post(s.port, rpc('nothing'), {
      'content-type': 'application/json',
      origin: 'http://example.org',
    });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  });

  test('oversized bodies get 413 (declared or streamed) and the server keeps serving', async () => {
    const s = await start({ maxRequestBytes: 1024 });
    const big = rpc('echo', ['x'.repeat(5000)]);
    const r = await post(s.port, big);
    assert.equal(r.status, 413);
    assert.equal(JSON.parse(r.text).error.code, -32007);
    const chunked = await postChunked(s.port, [
      Buffer.from(big.slice(0, 800)),
      Buffer.from(big.slice(800)),
    ]);
    assert.equal(chunked.status, 413);
    assert.equal(JSON.parse(chunked.text).error.code, -32007);
    assert.deepEqual(await httpCall(s.port, rpc('add', [1, 2])), {
      jsonrpc: '2.0',
      result: 3,
      id: 1,
    });
    // Exactly at the limit is fine.
    const pad = 1024 - rpc('echo', ['']).length;
    assert.equal(
      ((await httpCall(s.port, rpc('echo', ['y'.repeat(pad)]))) as Msg).result,
      'y'.repeat(pad),
    );
  });

  test('response size, batch size and batch response limits', async () => {
    const s = await start({ maxResponseBytes: 2000, maxBatchSize: 3 });
    const r = (await httpCall(s.port, rpc('big', [5000]))) as Msg;
    assert.equal(r.error?.code, -32008);
    assert.equal(r.error?.message, 'Response is too big');
    const four = JSON.stringify(
      [1, 2, 3, 4].map((id) => ({ jsonrpc: '2.0', id, method: 'nothing' })),
    );
    const b = (await httpCall(s.port, four)) as Msg;
    assert.equal(b.error?.code, -32010);
    const heavy = JSON.stringify(
      [1, 2, 3].map((id) => ({ jsonrpc: '2.0', id, method: 'big', params: [900] })),
    );
    const h = (await httpCall(s.port, heavy)) as Msg;
    assert.equal(h.error?.code, -32011);
  });

  test('onCall reports method and duration for known methods only', async () => {
    const seen: [string, number][] = [];
    const s = await start({ onCall: (m, ms) => seen.push([m, ms]) });
    await httpCall(s.port, rpc('add', [1]));
    await httpCall(s.port, rpc('crash'));
    await httpCall(s.port, rpc('nope'));
    assert.deepEqual(
      seen.map(([m]) => m),
      ['add', 'crash'],
    );
    assert.ok(seen.every(([, ms]) => typeof ms === 'number' && ms >= 0));
  });
});

describe('WebSocket', () => {
  test('calls, batches, binary frames and garbage', async () => {
    const s = await start();
    const c = await WsClient.connect(s.port, '/any/path?x=1');
    assert.deepEqual(await c.call('add', [20, 22]), { jsonrpc: '2.0', result: 42, id: 1 });
    c.sendRaw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'echo', params: ['A'] },
        { jsonrpc: '2.0', method: 'record', params: ['ws-n'] },
        { jsonrpc: '2.0', id: 'b', method: 'echo', params: ['B'] },
      ]),
    );
    assert.deepEqual(
      ((await c.next()) as unknown as Msg[]).map((m) => m.result),
      ['A', 'B'],
    );
    c.sendRaw(new TextEncoder().encode(rpc('echo', ['bin'], 9)), true);
    assert.deepEqual(await c.next(), { jsonrpc: '2.0', result: 'bin', id: 9 });
    c.sendRaw(new Uint8Array([0xff, 0x00, 0x13, 0x37]), true);
    assert.equal((await c.next()).error?.code, -32700);
    c.sendRaw('}{');
    assert.equal((await c.next()).error?.code, -32700);
    c.sendRaw('[]');
    assert.equal((await c.next()).error?.code, -32600);
    // A notification gets nothing back: the next message is the reply to the following call.
    c.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'record', params: ['ws-n2'] }));
    assert.deepEqual(await c.call('echo', ['after']), { jsonrpc: '2.0', result: 'after', id: 2 });
    assert.ok(calls.includes('ws-n2'));
    assert.deepEqual(c.pending(), []);
    await c.close();
  });

  test('subscription: response first, then queued and live notifications in order; unsubscribe stops it', async () => {
    const s = await start();
    const c = await WsClient.connect(s.port);
    const sub = await c.call('test_subscribe', ['t1']);
    const id = sub.result as string;
    assert.match(id, /^[1-9A-HJ-NP-Za-km-z]{16}$/);
    const n1 = await c.next();
    assert.deepEqual(n1, {
      jsonrpc: '2.0',
      method: 'test_event',
      params: { subscription: id, result: { topic: 't1', n: 'first' } },
    });
    assert.deepEqual((await c.next()).params?.result, { topic: 't1', n: 'second' });
    for (let i = 0; i < 5; i++) bus.emit('t1', i);
    for (let i = 0; i < 5; i++) assert.equal((await c.next()).params?.result, i);
    // A second subscription gets a different id.
    const other = (await c.call('test_subscribe', ['t2'])).result;
    assert.notEqual(other, id);
    await c.next();
    await c.next();
    // Unsubscribing through another subscription kind's method does nothing.
    assert.equal((await c.call('test_unsubscribeAsync', [id])).result, false);
    const stopped = waitStopped('t1');
    assert.equal((await c.call('test_unsubscribeAlias', [id])).result, true);
    await stopped;
    assert.equal((await c.call('test_unsubscribe', [id])).result, false);
    assert.equal((await c.call('test_unsubscribe', ['nope'])).result, false);
    assert.equal((await c.call('test_unsubscribe', [])).error?.code, -32602);
    bus.emit('t1', 'dropped');
    bus.emit('t2', 'kept');
    assert.equal((await c.next()).params?.result, 'kept');
    assert.equal((await c.call('echo', ['sync'])).result, 'sync');
    assert.deepEqual(c.pending(), []);
    await c.close();
  });

  test('async start: emits before it resolves are delivered after the response', async () => {
    const s = await start();
    const c = await WsClient.connect(s.port);
    const id = (await c.call('test_subscribeAsync', [])).result;
    assert.equal(typeof id, 'string');
    assert.deepEqual((await c.next()).params, { subscription: id, result: 'before-resolve' });
    assert.deepEqual((await c.next()).params, { subscription: id, result: 'still-before-resolve' });
    await c.close();
  });

  test('ctx.close() ends a subscription from the server side', async () => {
    const s = await start();
    const c = await WsClient.connect(s.port);
    const id = (await c.call('test_subscribe', ['t3'])).result;
    await c.next();
    await c.next();
    const stopped = waitStopped('t3');
    bus.emit('t3:close');
    await stopped;
    bus.emit('t3', 'late');
    assert.equal((await c.call('test_unsubscribe', [id])).result, false);
    assert.deepEqual(c.pending(), []);
    // Closed while still starting: what was emitted before close is delivered, then nothing.
    const early = deferred();
    bus.once('stopped', (t: string) => t === 'async' && early.resolve());
    const id2 = (await c.call('test_subscribeAsync', [true])).result;
    await early.promise;
    assert.deepEqual((await c.next()).params, { subscription: id2, result: 'before-resolve' });
    assert.deepEqual(await c.call('echo', ['x']), { jsonrpc: '2.0', result: 'x', id: 4 });
    assert.deepEqual(c.pending(), []);
    await c.close();
  });

  test('a failing start answers with its error and delivers nothing', async () => {
    const s = await start();
    const c = await WsClient.connect(s.port);
    assert.deepEqual(await c.call('test_subscribeFail', []), {
      jsonrpc: '2.0',
      error: { code: 1010, message: 'Invalid Transaction', data: 'bad signature' },
      id: 1,
    });
    assert.equal((await c.call('test_subscribe', [42])).error?.code, -32602);
    assert.deepEqual(await c.call('echo', [1]), { jsonrpc: '2.0', result: 1, id: 3 });
    assert.deepEqual(c.pending(), []);
    await c.close();
  });

  test('subscribe inside a batch: notifications follow the batch response', async () => {
    const s = await start();
    const c = await WsClient.connect(s.port);
    c.sendRaw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'test_subscribe', params: ['t4'] },
        { jsonrpc: '2.0', id: 2, method: 'echo', params: ['z'] },
      ]),
    );
    const batch = (await c.next()) as unknown as Msg[];
    assert.equal(batch.length, 2);
    const id = batch[0]?.result;
    assert.deepEqual((await c.next()).params, {
      subscription: id,
      result: { topic: 't4', n: 'first' },
    });
    await c.close();
  });

  test('closing the connection runs stop functions and session close hooks', async () => {
    const hookRan = deferred();
    const s = await start({
      methods: {
        ...methods,
        hook: {
          params: z.tuple([]),
          handler: (_p: [], session) => {
            session.onClose(() => hookRan.resolve());
            return session.id;
          },
        },
      },
    });
    const c = await WsClient.connect(s.port);
    for (const topic of ['t5', 't6']) {
      await c.call('test_subscribe', [topic]);
      await c.next();
      await c.next();
    }
    assert.equal(typeof (await c.call('hook', [])).result, 'number');
    const stopped = Promise.all([waitStopped('t5'), waitStopped('t6')]);
    c.ws.terminate();
    await stopped;
    await hookRan.promise;
    assert.equal(bus.listenerCount('t5'), 0);
  });

  test('oversized messages get -32007 and the connection stays usable; huge ones close it with 1009', async () => {
    const s = await start({ maxRequestBytes: 1000 });
    const c = await WsClient.connect(s.port);
    const other = await WsClient.connect(s.port);
    c.sendRaw(rpc('echo', ['x'.repeat(1500)]));
    assert.deepEqual(await c.next(), {
      jsonrpc: '2.0',
      error: { code: -32007, message: 'Request is too big', data: 'Exceeded max limit of 1000' },
      id: null,
    });
    assert.deepEqual(await c.call('add', [1, 1]), { jsonrpc: '2.0', result: 2, id: 1 });
    c.sendRaw(rpc('echo', ['x'.repeat(5000)]));
    assert.equal((await c.closed).code, 1009);
    assert.deepEqual(await other.call('add', [2, 2]), { jsonrpc: '2.0', result: 4, id: 1 });
    await other.close();
  });

  test('connection limit refuses upgrades and HTTP with 429 until a slot frees up', async () => {
    const s = await start({ maxConnections: 2 });
    const a = await WsClient.connect(s.port);
    const b = await WsClient.connect(s.port);
    assert.equal(s.connections(), 2);
    const refused = new WebSocket(`ws://127.0.0.1:${s.port}`);
    const status = await new Promise<number>((resolve, reject) => {
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.once('open', () => reject(new Error('should have been refused')));
      refused.once('error', () => {});
    });
    assert.equal(status, 429);
    refused.terminate();
    assert.equal((await post(s.port, rpc('nothing'))).status, 429);
    assert.deepEqual(await a.call('echo', ['still here']), {
      jsonrpc: '2.0',
      result: 'still here',
      id: 1,
    });
    await b.close();
    // The slot is released when the server sees the close.
    for (let i = 0; s.connections() > 1 && i < 1000; i++) await new Promise((r) => setImmediate(r));
    const c = await WsClient.connect(s.port);
    assert.equal((await c.call('add', [1])).result, 1);
    await a.close();
    await c.close();
  });

  test('subscription limit answers -32006 and the connection keeps working', async () => {
    const s = await start({ maxSubscriptionsPerConnection: 2 });
    const c = await WsClient.connect(s.port);
    const first = (await c.call('test_subscribe', ['t7'])).result;
    await c.next();
    await c.next();
    await c.call('test_subscribe', ['t8']);
    await c.next();
    await c.next();
    assert.deepEqual(await c.call('test_subscribe', ['t9']), {
      jsonrpc: '2.0',
      error: {
        code: -32006,
        message: 'Too many subscriptions on the connection',
        data: 'Exceeded max limit of 2',
      },
      id: 3,
    });
    assert.deepEqual(await c.call('add', [5]), { jsonrpc: '2.0', result: 5, id: 4 });
    assert.equal((await c.call('test_unsubscribe', [first])).result, true);
    assert.equal(typeof (await c.call('test_subscribe', ['t9'])).result, 'string');
    // Another connection has its own budget.
    const d = await WsClient.connect(s.port);
    assert.equal(typeof (await d.call('test_subscribe', ['t10'])).result, 'string');
    await c.close();
    await d.close();
  });

  test('a client that stops reading is dropped once its buffer exceeds the cap', {
    timeout: 30_000,
  }, async () => {
    let stop = false;
    const dropped = deferred();
    const s = await start({
      maxBufferedBytes: 256 * 1024,
      subscriptions: [
        {
          subscribe: 'flood_subscribe',
          unsubscribe: 'flood_unsubscribe',
          notification: 'flood',
          params: z.tuple([]),
          start: (_p, emit) => {
            const chunk = 'f'.repeat(64 * 1024);
            const tick = () => {
              if (stop) return;
              emit(chunk);
              setImmediate(tick);
            };
            setImmediate(tick);
            return () => {
              stop = true;
              dropped.resolve();
            };
          },
        },
      ],
    });
    const c = await WsClient.connect(s.port);
    await c.call('flood_subscribe', []);
    // Stop reading from the socket: the server's send buffer can only grow.
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await dropped.promise;
    const ok = await WsClient.connect(s.port);
    assert.deepEqual(await ok.call('echo', ['alive']), { jsonrpc: '2.0', result: 'alive', id: 1 });
    await ok.close();
    c.ws.terminate();
  });

  test('close() runs every stop function and disconnects clients', async () => {
    const s = await startRpcServer({ port: 0, methods, subscriptions });
    const c = await WsClient.connect(s.port);
    await c.call('test_subscribe', ['t11']);
    const stopped = waitStopped('t11');
    await s.close();
    await stopped;
    assert.equal((await c.closed).code, 1001);
    await assert.rejects(
      fetch(`http://127.0.0.1:${s.port}/`, { method: 'POST', body: rpc('nothing') }),
    );
    await s.close(); // idempotent
  });
});

describe('options', () => {
  test('reject malformed options', async () => {
    const base = { port: 0, methods: {}, subscriptions: [] };
    await assert.rejects(startRpcServer({ ...base, port: 70000 }), RangeError);
    await assert.rejects(startRpcServer({ ...base, port: -1 }), RangeError);
    await assert.rejects(startRpcServer({ ...base, maxConnections: 0 }), RangeError);
    await assert.rejects(startRpcServer({ ...base, maxRequestBytes: 1.5 }), RangeError);
    await assert.rejects(
      startRpcServer({ ...base, maxBatchSize: '3' as unknown as number }),
      TypeError,
    );
    await assert.rejects(startRpcServer(null as unknown as RpcServerOptions), TypeError);
    await assert.rejects(
      startRpcServer({ ...base, methods: { bad: { handler: () => 1 } as unknown as MethodDef } }),
      TypeError,
    );
    await assert.rejects(
      startRpcServer({ ...base, methods: { rpc_methods: methods.echo as MethodDef } }),
      /defined twice/,
    );
    await assert.rejects(
      startRpcServer({
        ...base,
        methods: { test_subscribe: methods.echo as MethodDef },
        subscriptions,
      }),
      /defined twice/,
    );
    await assert.rejects(
      startRpcServer({
        ...base,
        methods: { test_unsubscribe: methods.echo as MethodDef },
        subscriptions,
      }),
      /defined twice/,
    );
    const taken = await start();
    await assert.rejects(startRpcServer({ ...base, port: taken.port }), /EADDRINUSE/);
  });
});
