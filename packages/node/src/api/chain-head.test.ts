import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Header, RuntimeVersion, System } from '@taoscript/chain-types';
import { blake2_256, concatBytes, fromHex, toHex, twox128 } from '@taoscript/codec';
import { devKeypair, signExtrinsic, transferKeepAlive } from '@taoscript/testkit';
import { pino } from 'pino';
import { createClient } from 'polkadot-api-v1';
import { getPolkadotSigner } from 'polkadot-api-v1/signer';
import { getWsProvider } from 'polkadot-api-v1/ws-provider';
import { WebSocket } from 'ws';
import { type RunningNode, startNode } from '../node.js';
import { type RpcServer, startRpcServer } from '../rpc/index.js';
import { type ChainHeadOptions, chainHeadDefinitions } from './chain-head.js';
import { rpcDefinitions } from './index.js';

const TAO = 1_000_000_000n;
const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const TIMEOUT_MS = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: JSON from the wire is checked by the assertions.
type Json = any;

/** A raw JSON-RPC WebSocket client that records the order in which messages arrive. */
class Client {
  private nextId = 1;
  private seq = 0;
  private readonly pending = new Map<number, (msg: Json) => void>();
  private readonly queues = new Map<string, { items: Json[]; waiters: ((v: Json) => void)[] }>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      const seq = this.seq++;
      for (const m of Array.isArray(msg) ? msg : [msg]) {
        if ('id' in m) {
          this.pending.get(m.id)?.({ ...m, seq });
          this.pending.delete(m.id);
        } else this.push(m.params.subscription, { ...m.params.result, seq });
      }
    });
  }

  static async connect(port: number): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Client(ws);
  }

  private queue(sub: string) {
    let q = this.queues.get(sub);
    if (!q) {
      q = { items: [], waiters: [] };
      this.queues.set(sub, q);
    }
    return q;
  }

  private push(sub: string, result: Json): void {
    const q = this.queue(sub);
    const w = q.waiters.shift();
    if (w) w(result);
    else q.items.push(result);
  }

  /** Sends one request; resolves with the whole response object (plus its arrival `seq`). */
  request(method: string, params: unknown[] = []): Promise<Json> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return this.response(id, method);
  }

  /** Sends several requests as one batch; resolves with the responses in request order. */
  batch(calls: [string, unknown[]][]): Promise<Json[]> {
    const ids = calls.map(() => this.nextId++);
    this.ws.send(
      JSON.stringify(
        calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: ids[i], method, params })),
      ),
    );
    return Promise.all(ids.map((id, i) => this.response(id, calls[i]?.[0] ?? '')));
  }

  private response(id: number, method: string): Promise<Json> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to ${method}`)), TIMEOUT_MS);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
  }

  /** The result of a call; fails the test on an error response. */
  async call(method: string, params: unknown[] = []): Promise<Json> {
    const r = await this.request(method, params);
    assert.equal(r.error, undefined, `${method}: ${JSON.stringify(r.error)}`);
    return r.result;
  }

  /** The error object of a call that must fail. */
  async fail(method: string, params: unknown[]): Promise<{ code: number; message: string }> {
    const r = await this.request(method, params);
    assert.ok(r.error, `${method} should fail, got ${JSON.stringify(r.result)}`);
    return r.error;
  }

  /** The next notification of a subscription. */
  next(sub: string): Promise<Json> {
    const q = this.queue(sub);
    const ready = q.items.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no notification on ${sub}`)), TIMEOUT_MS);
      q.waiters.push((v) => {
        clearTimeout(timer);
        resolve(v);
      });
    });
  }

  /** Notifications received and not yet read. */
  buffered(sub: string): Json[] {
    return [...this.queue(sub).items];
  }

  /** Reads notifications until one for `operationId` with the given event. */
  async until(sub: string, operationId: string, event: string): Promise<Json> {
    for (;;) {
      const ev = await this.next(sub);
      if (ev.operationId === operationId && ev.event === event) return ev;
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** Waits for a condition, checking once per event-loop turn, until a deadline. */
async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const strip = ({ seq: _seq, ...rest }: Json) => rest;

describe('new JSON-RPC spec (chainHead_v1, chainSpec_v1, transaction_v1)', () => {
  let node: RunningNode;
  const servers: RpcServer[] = [];
  const clients: Client[] = [];
  let port: number;
  let c: Client;

  /** A server with the legacy methods plus ours (ours win on a name clash). */
  const serve = async (opts: ChainHeadOptions = {}): Promise<number> => {
    const mine = chainHeadDefinitions({ chain: node.chain, pool: node.pool }, opts);
    const legacy = rpcDefinitions({
      chain: node.chain,
      pool: node.pool,
      sealer: node.sealer,
      info: {
        name: 'taoscript-node',
        version: '0.1.0',
        chainType: 'Development',
        properties: { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' },
      },
    });
    const taken = new Set(mine.subscriptions.flatMap((d) => [d.subscribe, d.unsubscribe].flat()));
    const server = await startRpcServer({
      port: 0,
      methods: Object.fromEntries(
        Object.entries({ ...legacy.methods, ...mine.methods }).filter(([k]) => !taken.has(k)),
      ),
      subscriptions: [
        ...legacy.subscriptions.filter((d) => !taken.has(d.subscribe)),
        ...mine.subscriptions,
      ],
    });
    servers.push(server);
    return server.port;
  };
  const connect = async (p = port): Promise<Client> => {
    const client = await Client.connect(p);
    clients.push(client);
    return client;
  };
  const seal = () => node.sealer.createBlock(true);
  const hashAt = (n: number) => toHex((node.chain.blockByNumber(n) as { hash: Uint8Array }).hash);
  const nonceOf = (who: Uint8Array) => {
    let n = System.Account.get(node.chain.stateAt() as never, who).nonce;
    const pending = node.pool.nonces(who);
    while (pending.has(n)) n++;
    return n;
  };
  const transfer = (amount: bigint, nonce = nonceOf(alice.publicKey)) =>
    signExtrinsic({
      call: transferKeepAlive(bob.publicKey, amount),
      signer: alice,
      nonce,
      genesisHash: node.chain.genesisHash,
    });
  /** Follows with `withRuntime` and reads the `initialized` event. */
  const follow = async (client: Client, withRuntime = true) => {
    const sub: string = await client.call('chainHead_v1_follow', [withRuntime]);
    const init = await client.next(sub);
    assert.equal(init.event, 'initialized');
    // The finalized head is also the best block; polkadot-api 1.x waits for this event.
    assert.deepEqual(strip(await client.next(sub)), {
      event: 'bestBlockChanged',
      bestBlockHash: init.finalizedBlockHashes.at(-1),
    });
    return { sub, init };
  };
  /** Seals a block and reads the three events a follow subscription gets for it. */
  const sealAndSee = async (client: Client, sub: string) => {
    const b = await seal();
    const hash = toHex(b.hash);
    const newBlock = await client.next(sub);
    assert.deepEqual(
      [newBlock.event, newBlock.blockHash, newBlock.parentBlockHash],
      ['newBlock', hash, toHex(b.header.parent_hash)],
    );
    assert.deepEqual(strip(await client.next(sub)), {
      event: 'bestBlockChanged',
      bestBlockHash: hash,
    });
    assert.deepEqual(strip(await client.next(sub)), {
      event: 'finalized',
      finalizedBlockHashes: [hash],
      prunedBlockHashes: [],
    });
    return hash;
  };
  /** Collects a storage operation's items up to `operationStorageDone`, answering `continue`. */
  const storageItems = async (client: Client, sub: string, operationId: string) => {
    const items: Json[] = [];
    let pages = 0;
    for (;;) {
      const ev = await client.next(sub);
      if (ev.operationId !== operationId) continue;
      if (ev.event === 'operationStorageItems') items.push(...ev.items);
      else if (ev.event === 'operationWaitingForContinue') {
        pages++;
        assert.equal(await client.call('chainHead_v1_continue', [sub, operationId]), null);
      } else if (ev.event === 'operationStorageDone') return { items, pages };
      else assert.fail(`unexpected ${JSON.stringify(ev)}`);
    }
  };

  before(async () => {
    node = await startNode({
      memory: true,
      sealing: { type: 'manual' },
      rpcPort: 0,
      logger: pino({ level: 'silent' }),
      verifyThreads: 0,
    });
    await seal();
    await seal();
    port = await serve();
    c = await connect();
  });

  after(async () => {
    for (const client of clients) client.close();
    for (const server of servers) await server.close();
    await node?.close();
  });

  it('answers chainSpec_v1 with the chain name, genesis hash and token properties', async () => {
    assert.equal(await c.call('chainSpec_v1_chainName'), node.chain.chainName);
    assert.equal(await c.call('chainSpec_v1_genesisHash'), toHex(node.chain.genesisHash));
    assert.deepEqual(await c.call('chainSpec_v1_properties'), {
      ss58Format: 42,
      tokenDecimals: 9,
      tokenSymbol: 'TAO',
    });
    const { methods } = await c.call('rpc_methods');
    for (const name of ['chainHead_v1_follow', 'chainHead_v1_unfollow', 'transaction_v1_broadcast'])
      assert.ok(methods.includes(name), name);
  });

  it('follow(true): initialized with the finalized blocks and runtime, then newBlock, bestBlockChanged, finalized', async () => {
    const head = node.chain.head.number;
    const { sub, init } = await follow(c);
    const expected = Array.from({ length: Math.min(16, head + 1) }, (_, i) =>
      hashAt(head + 1 - Math.min(16, head + 1) + i),
    );
    assert.deepEqual(init.finalizedBlockHashes, expected);
    assert.equal(init.finalizedBlockHashes.at(-1), toHex(node.chain.head.hash));
    const v = node.chain.runtime.version;
    assert.deepEqual(init.finalizedBlockRuntime, {
      type: 'valid',
      spec: {
        specName: v.spec_name,
        implName: v.impl_name,
        specVersion: v.spec_version,
        implVersion: v.impl_version,
        transactionVersion: v.transaction_version,
        apis: Object.fromEntries(v.apis.map(([id, ver]) => [toHex(id), ver])),
      },
    });
    // The Metadata API, which clients check before calling Metadata_metadata.
    assert.equal(typeof init.finalizedBlockRuntime.spec.apis['0x37e397fc7c91f5e4'], 'number');
    for (let i = 0; i < 2; i++) {
      const b = await seal();
      const ev = strip(await c.next(sub));
      assert.deepEqual(ev, {
        event: 'newBlock',
        blockHash: toHex(b.hash),
        parentBlockHash: toHex(b.header.parent_hash),
        newRuntime: null,
      });
      assert.deepEqual(strip(await c.next(sub)), {
        event: 'bestBlockChanged',
        bestBlockHash: toHex(b.hash),
      });
      assert.deepEqual(strip(await c.next(sub)), {
        event: 'finalized',
        finalizedBlockHashes: [toHex(b.hash)],
        prunedBlockHashes: [],
      });
    }
    assert.equal(await c.call('chainHead_v1_unfollow', [sub]), true);
    await seal();
    // Nothing more arrives on an unfollowed subscription, and its id is no longer valid.
    assert.equal(await c.call('chainHead_v1_header', [sub, toHex(node.chain.head.hash)]), null);
    assert.deepEqual(c.buffered(sub), []);
  });

  it('follow(false) reports no runtime and refuses chainHead_v1_call with -32802', async () => {
    const { sub, init } = await follow(c, false);
    assert.equal('finalizedBlockRuntime' in init, false);
    const b = await seal();
    const ev = strip(await c.next(sub));
    assert.deepEqual(ev, {
      event: 'newBlock',
      blockHash: toHex(b.hash),
      parentBlockHash: toHex(b.header.parent_hash),
    });
    await c.next(sub);
    await c.next(sub);
    const err = await c.fail('chainHead_v1_call', [sub, toHex(b.hash), 'Core_version', '0x']);
    assert.equal(err.code, -32802);
    await c.call('chainHead_v1_unfollow', [sub]);
  });

  it('chainHead_v1_header returns the SCALE header of pinned blocks only', async () => {
    const { sub, init } = await follow(c);
    const h = init.finalizedBlockHashes.at(-1) as string;
    const got = await c.call('chainHead_v1_header', [sub, h]);
    assert.equal(got, toHex(node.chain.head.headerBytes));
    assert.equal(Header.dec(fromHex(got)).number, node.chain.head.number);
    assert.equal(toHex(blake2_256(fromHex(got))), h);
    // Upper-case hex names the same block.
    assert.equal(await c.call('chainHead_v1_header', [sub, `0x${h.slice(2).toUpperCase()}`]), got);
    assert.equal((await c.fail('chainHead_v1_header', [sub, `0x${'11'.repeat(32)}`])).code, -32801);
    assert.equal((await c.fail('chainHead_v1_header', [sub, '0x1234'])).code, -32602);
    assert.equal((await c.fail('chainHead_v1_header', [sub])).code, -32602);
    assert.equal(await c.call('chainHead_v1_header', ['nope', h]), null);
    await c.call('chainHead_v1_unpin', [sub, h]);
    assert.equal((await c.fail('chainHead_v1_header', [sub, h])).code, -32801);
    // Another connection cannot use this follow subscription.
    const other = await connect();
    assert.equal(
      await other.call('chainHead_v1_header', [sub, init.finalizedBlockHashes[0]]),
      null,
    );
    await c.call('chainHead_v1_unfollow', [sub]);
  });

  it('chainHead_v1_body reports the extrinsics after the method response', async () => {
    const { sub } = await follow(c);
    const xt = transfer(1n * TAO);
    await node.pool.submit(xt);
    const hash = await sealAndSee(c, sub);
    const started = await c.request('chainHead_v1_body', [sub, hash]);
    assert.equal(started.result.result, 'started');
    assert.equal(typeof started.result.operationId, 'string');
    const done = await c.until(sub, started.result.operationId, 'operationBodyDone');
    assert.ok(done.seq > started.seq, 'the event follows the response');
    const block = node.chain.blockByHash(fromHex(hash));
    assert.deepEqual(done.value, block?.body.map(toHex));
    assert.ok(done.value.includes(toHex(xt)));
    assert.deepEqual(await c.call('chainHead_v1_body', ['nope', hash]), { result: 'limitReached' });
    assert.equal((await c.fail('chainHead_v1_body', [sub, `0x${'22'.repeat(32)}`])).code, -32801);
    await c.call('chainHead_v1_unfollow', [sub]);
  });

  it('chainHead_v1_storage answers value and hash queries, and nothing for a missing key', async () => {
    const { sub, init } = await follow(c);
    const h = init.finalizedBlockHashes.at(-1) as string;
    const key = toHex(System.Account.key(alice.publicKey));
    const missing = toHex(System.Account.key(new Uint8Array(32).fill(7)));
    const value = node.chain.stateAt(fromHex(h))?.get(fromHex(key)) as Uint8Array;
    const r = await c.request('chainHead_v1_storage', [
      sub,
      h,
      [
        { key, type: 'value' },
        { key, type: 'hash' },
        { key: missing, type: 'value' },
      ],
      null,
    ]);
    assert.deepEqual(
      { ...r.result, operationId: 'x' },
      { result: 'started', operationId: 'x', discardedItems: 0 },
    );
    const { items } = await storageItems(c, sub, r.result.operationId);
    assert.deepEqual(items, [
      { key, value: toHex(value) },
      { key, hash: toHex(blake2_256(value)) },
    ]);
    // A child trie query finds nothing: this node has no child tries.
    const child = await c.call('chainHead_v1_storage', [
      sub,
      h,
      [{ key, type: 'value' }],
      '0x1234',
    ]);
    assert.deepEqual((await storageItems(c, sub, child.operationId)).items, []);
    assert.deepEqual(
      await c.call('chainHead_v1_storage', ['nope', h, [{ key, type: 'value' }], null]),
      {
        result: 'limitReached',
      },
    );
    assert.equal(
      (await c.fail('chainHead_v1_storage', [sub, h, [{ key, type: 'everything' }], null])).code,
      -32602,
    );
    assert.equal(
      (await c.fail('chainHead_v1_storage', [sub, h, [{ key: 'zz', type: 'value' }], null])).code,
      -32602,
    );
    await c.call('chainHead_v1_unfollow', [sub]);
  });

  it('pages descendantsValues and descendantsHashes with operationWaitingForContinue', async () => {
    const small = await connect(await serve({ storageItemsPerPage: 2 }));
    const { sub, init } = await follow(small);
    const h = init.finalizedBlockHashes.at(-1) as string;
    const prefix = concatBytes(
      twox128(new TextEncoder().encode('System')),
      twox128(new TextEncoder().encode('Account')),
    );
    const state = node.chain.stateAt(fromHex(h));
    const keys = state?.keys(prefix) ?? [];
    assert.ok(keys.length >= 6, 'every dev account has an entry');
    const values = await small.call('chainHead_v1_storage', [
      sub,
      h,
      [{ key: toHex(prefix), type: 'descendantsValues' }],
      null,
    ]);
    const got = await storageItems(small, sub, values.operationId);
    assert.deepEqual(
      got.items,
      keys.map((k) => ({ key: toHex(k), value: toHex(state?.get(k) as Uint8Array) })),
    );
    assert.equal(got.pages, Math.ceil(keys.length / 2) - 1);
    const hashes = await small.call('chainHead_v1_storage', [
      sub,
      h,
      [{ key: toHex(prefix), type: 'descendantsHashes' }],
    ]);
    assert.deepEqual(
      (await storageItems(small, sub, hashes.operationId)).items,
      keys.map((k) => ({ key: toHex(k), hash: toHex(blake2_256(state?.get(k) as Uint8Array)) })),
    );
    // continue is only valid while the operation waits for it.
    const op = await small.call('chainHead_v1_storage', [
      sub,
      h,
      [{ key: toHex(prefix), type: 'descendantsValues' }],
      null,
    ]);
    await small.until(sub, op.operationId, 'operationWaitingForContinue');
    const [first, second] = await small.batch([
      ['chainHead_v1_continue', [sub, op.operationId]],
      ['chainHead_v1_continue', [sub, op.operationId]],
    ]);
    assert.equal(first.result, null);
    assert.equal(second.error.code, -32803);
    assert.equal(await small.call('chainHead_v1_stopOperation', [sub, op.operationId]), null);
    // Unknown operations and follow ids are ignored.
    assert.equal(await small.call('chainHead_v1_continue', [sub, op.operationId]), null);
    assert.equal(await small.call('chainHead_v1_continue', ['nope', '0']), null);
    await small.call('chainHead_v1_unfollow', [sub]);
  });

  it('closestDescendantMerkleValue changes exactly when the subtree changes', async () => {
    const { sub } = await follow(c);
    const prefix = toHex(
      concatBytes(
        twox128(new TextEncoder().encode('System')),
        twox128(new TextEncoder().encode('Account')),
      ),
    );
    const empty = toHex(twox128(new TextEncoder().encode('NoSuchPallet')));
    const merkle = async (hash: string) => {
      const r = await c.call('chainHead_v1_storage', [
        sub,
        hash,
        [
          { key: prefix, type: 'closestDescendantMerkleValue' },
          { key: empty, type: 'closestDescendantMerkleValue' },
        ],
        null,
      ]);
      const { items } = await storageItems(c, sub, r.operationId);
      assert.equal(items.length, 1, 'nothing for a key with no descendants');
      assert.equal(items[0].key, prefix);
      return items[0].closestDescendantMerkleValue as string;
    };
    const quiet1 = await sealAndSee(c, sub);
    const quiet2 = await sealAndSee(c, sub);
    await node.pool.submit(transfer(2n * TAO));
    const busy = await sealAndSee(c, sub);
    const a = await merkle(quiet1);
    assert.match(a, /^0x[0-9a-f]{64}$/);
    assert.equal(await merkle(quiet2), a, 'no account changed');
    assert.notEqual(await merkle(busy), a, 'a transfer changed two accounts');
    await c.call('chainHead_v1_unfollow', [sub]);
  });

  it('limits concurrent operations, discards extra storage items, and stops operations', async () => {
    const tight = await connect(await serve({ maxOngoingOperations: 1, storageItemsPerPage: 1 }));
    const { sub, init } = await follow(tight);
    const h = init.finalizedBlockHashes.at(-1) as string;
    const prefix = toHex(twox128(new TextEncoder().encode('System')));
    const held = await tight.call('chainHead_v1_storage', [
      sub,
      h,
      [{ key: prefix, type: 'descendantsHashes' }],
      null,
    ]);
    await tight.until(sub, held.operationId, 'operationWaitingForContinue');
    assert.deepEqual(await tight.call('chainHead_v1_body', [sub, h]), { result: 'limitReached' });
    assert.deepEqual(await tight.call('chainHead_v1_call', [sub, h, 'Core_version', '']), {
      result: 'limitReached',
    });
    assert.equal(await tight.call('chainHead_v1_stopOperation', [sub, held.operationId]), null);
    const key = toHex(System.Account.key(alice.publicKey));
    const some = await tight.call('chainHead_v1_storage', [
      sub,
      h,
      [
        { key, type: 'hash' },
        { key, type: 'value' },
        { key, type: 'value' },
      ],
      null,
    ]);
    assert.equal(some.discardedItems, 2);
    const { items } = await storageItems(tight, sub, some.operationId);
    assert.deepEqual(Object.keys(items[0]), ['key', 'hash']);
    assert.equal(items.length, 1);
    const body = await tight.call('chainHead_v1_body', [sub, h]);
    assert.equal(body.result, 'started');
    await tight.until(sub, body.operationId, 'operationBodyDone');
    // Nothing more was sent about the stopped operation.
    assert.ok(!tight.buffered(sub).some((e) => e.operationId === held.operationId));
    await tight.call('chainHead_v1_unfollow', [sub]);
  });

  it('chainHead_v1_call runs runtime APIs and reports failures as operationError', async () => {
    const { sub, init } = await follow(c);
    const h = init.finalizedBlockHashes.at(-1) as string;
    const started = await c.request('chainHead_v1_call', [sub, h, 'Core_version', '0x']);
    const done = await c.until(sub, started.result.operationId, 'operationCallDone');
    assert.ok(done.seq > started.seq);
    assert.equal(done.output, toHex(RuntimeVersion.enc(node.chain.runtime.version)));
    assert.equal(
      RuntimeVersion.dec(fromHex(done.output)).spec_version,
      node.chain.runtime.version.spec_version,
    );
    const nonce = await c.call('chainHead_v1_call', [
      sub,
      h,
      'AccountNonceApi_account_nonce',
      toHex(alice.publicKey),
    ]);
    const out = await c.until(sub, nonce.operationId, 'operationCallDone');
    assert.equal(
      out.output,
      toHex(
        new Uint8Array([
          System.Account.get(node.chain.stateAt(fromHex(h)) as never, alice.publicKey).nonce,
          0,
          0,
          0,
        ]),
      ),
    );
    const bad = await c.call('chainHead_v1_call', [sub, h, 'Nope_nothing', '0x']);
    const err = await c.until(sub, bad.operationId, 'operationError');
    assert.match(err.error, /Nope_nothing/);
    const badArgs = await c.call('chainHead_v1_call', [
      sub,
      h,
      'AccountNonceApi_account_nonce',
      '0x01',
    ]);
    assert.match((await c.until(sub, badArgs.operationId, 'operationError')).error, /decode/);
    assert.equal((await c.fail('chainHead_v1_call', [sub, h, 'Core_version', 'zz'])).code, -32602);
    assert.equal(
      (await c.fail('chainHead_v1_call', [sub, `0x${'33'.repeat(32)}`, 'Core_version', '0x'])).code,
      -32801,
    );
    assert.deepEqual(await c.call('chainHead_v1_call', ['nope', h, 'Core_version', '0x']), {
      result: 'limitReached',
    });
    await c.call('chainHead_v1_unfollow', [sub]);
  });

  it('chainHead_v1_unpin unpins one or many blocks, all or nothing', async () => {
    const { sub, init } = await follow(c);
    const [h1, h2] = init.finalizedBlockHashes as string[];
    assert.ok(h1 && h2);
    const unknown = `0x${'44'.repeat(32)}`;
    assert.equal((await c.fail('chainHead_v1_unpin', [sub, [h1, h1]])).code, -32804);
    assert.equal((await c.fail('chainHead_v1_unpin', [sub, [h1, unknown]])).code, -32801);
    assert.equal(typeof (await c.call('chainHead_v1_header', [sub, h1])), 'string', 'still pinned');
    assert.equal(await c.call('chainHead_v1_unpin', [sub, [h1, h2]]), null);
    assert.equal((await c.fail('chainHead_v1_header', [sub, h1])).code, -32801);
    assert.equal((await c.fail('chainHead_v1_unpin', [sub, h2])).code, -32801);
    assert.equal(await c.call('chainHead_v1_unpin', [sub, []]), null);
    assert.equal(await c.call('chainHead_v1_unpin', ['nope', unknown]), null);
    assert.equal((await c.fail('chainHead_v1_unpin', [sub, 42])).code, -32602);
    await c.call('chainHead_v1_unfollow', [sub]);
  });

  it('allows 4 follow subscriptions per connection, like polkadot-sdk, then answers -32800', async () => {
    const client = await connect();
    const subs: string[] = [];
    for (let i = 0; i < 4; i++) subs.push((await follow(client)).sub);
    const err = await client.fail('chainHead_v1_follow', [true]);
    assert.deepEqual(err, {
      code: -32800,
      message: 'Maximum number of chainHead_follow has been reached',
    });
    // Other connections are not affected, and unfollowing frees a slot.
    await c.call('chainHead_v1_unfollow', [(await follow(c)).sub]);
    await client.call('chainHead_v1_unfollow', [subs[0]]);
    subs[0] = (await follow(client)).sub;
    for (const sub of subs) await client.call('chainHead_v1_unfollow', [sub]);
    const limited = await connect(await serve({ maxFollowSubscriptionsPerConnection: 2 }));
    await follow(limited);
    await follow(limited);
    assert.equal((await limited.fail('chainHead_v1_follow', [false])).code, -32800);
  });

  it('stops a follow subscription that would exceed the pinned-block limit', async () => {
    const p = await serve({ maxPinnedBlocks: 3, initialFinalizedBlocks: 1 });
    const client = await connect(p);
    const { sub, init } = await follow(client);
    assert.equal(init.finalizedBlockHashes.length, 1);
    const tidy = await follow(client);
    const first = await sealAndSee(client, sub);
    const last = await sealAndSee(client, sub);
    for (const h of [first, last]) {
      assert.equal((await client.next(tidy.sub)).blockHash, h);
      await client.next(tidy.sub);
      await client.next(tidy.sub);
    }
    // A careful client unpins what it no longer needs and keeps going.
    await client.call('chainHead_v1_unpin', [tidy.sub, [tidy.init.finalizedBlockHashes[0], first]]);
    let keep = last;
    for (let i = 0; i < 4; i++) {
      const h = await sealAndSee(client, tidy.sub);
      await client.call('chainHead_v1_unpin', [tidy.sub, keep]);
      keep = h;
      if (i === 0) assert.deepEqual(strip(await client.next(sub)), { event: 'stop' });
    }
    // The stopped subscription is gone.
    assert.equal(await client.call('chainHead_v1_header', [sub, last]), null);
    assert.deepEqual(await client.call('chainHead_v1_body', [sub, last]), {
      result: 'limitReached',
    });
    assert.equal(await client.call('chainHead_v1_unfollow', [sub]), false);
    assert.deepEqual(client.buffered(sub), []);
    assert.equal(typeof (await client.call('chainHead_v1_header', [tidy.sub, keep])), 'string');
  });

  it('transaction_v1_broadcast puts the transaction in the pool; transaction_v1_stop ends it', async () => {
    const xt = transfer(5n * TAO);
    const hash = blake2_256(xt);
    const before = System.Account.get(node.chain.stateAt() as never, bob.publicKey).data.free;
    const id = await c.call('transaction_v1_broadcast', [toHex(xt)]);
    assert.match(id, /^[A-Za-z0-9]{16}$/);
    await waitFor(() => node.pool.has(hash), 'the pool to admit the transaction');
    const b = await seal();
    assert.ok(b.body.some((x) => toHex(x) === toHex(xt)));
    assert.equal(
      System.Account.get(node.chain.stateAt() as never, bob.publicKey).data.free,
      before + 5n * TAO,
    );
    assert.equal(await c.call('transaction_v1_stop', [id]), null);
    assert.deepEqual(await c.fail('transaction_v1_stop', [id]), {
      code: -32602,
      message: 'Invalid operation id',
    });
    assert.equal((await c.fail('transaction_v1_stop', ['unknown'])).code, -32602);
    // An invalid transaction is accepted silently.
    const junk = await c.call('transaction_v1_broadcast', ['0x0102']);
    assert.equal(typeof junk, 'string');
    assert.equal((await c.fail('transaction_v1_broadcast', ['nothex'])).code, -32602);
    // Another connection cannot stop it.
    const other = await connect();
    assert.equal((await other.fail('transaction_v1_stop', [junk])).code, -32602);
    assert.equal(await c.call('transaction_v1_stop', [junk]), null);
  });

  it('limits broadcasts per connection, answering null', async () => {
    const client = await connect(await serve({ maxBroadcastsPerConnection: 1 }));
    const first = await client.call('transaction_v1_broadcast', ['0x00']);
    assert.equal(await client.call('transaction_v1_broadcast', ['0x00']), null);
    await client.call('transaction_v1_stop', [first]);
    assert.equal(typeof (await client.call('transaction_v1_broadcast', ['0x00'])), 'string');
  });

  it('transactionWatch_v1_submitAndWatch reports validated, bestChainBlockIncluded, finalized', async () => {
    const xt = transfer(3n * TAO);
    const sub = await c.call('transactionWatch_v1_submitAndWatch', [toHex(xt)]);
    assert.deepEqual(strip(await c.next(sub)), { event: 'validated' });
    const b = await seal();
    const index = b.body.findIndex((x) => toHex(x) === toHex(xt));
    assert.ok(index >= 0);
    const block = { hash: toHex(b.hash), index };
    assert.deepEqual(strip(await c.next(sub)), { event: 'bestChainBlockIncluded', block });
    assert.deepEqual(strip(await c.next(sub)), { event: 'finalized', block });
    // The subscription ended with the finalized event.
    assert.equal(await c.call('transactionWatch_v1_unwatch', [sub]), false);
  });

  it('transactionWatch_v1_submitAndWatch reports invalid transactions as invalid events', async () => {
    // Signed for another chain: the signature does not verify here.
    const foreign = signExtrinsic({
      call: transferKeepAlive(bob.publicKey, 1n),
      signer: alice,
      nonce: nonceOf(alice.publicKey),
      genesisHash: new Uint8Array(32).fill(9),
    });
    const sub = await c.call('transactionWatch_v1_submitAndWatch', [toHex(foreign)]);
    assert.deepEqual(strip(await c.next(sub)), {
      event: 'invalid',
      error: 'Invalid transaction: Transaction has a bad signature',
    });
    const junk = await c.call('transactionWatch_v1_submitAndWatch', ['0x0102']);
    assert.deepEqual(strip(await c.next(junk)), {
      event: 'invalid',
      error: 'Extrinsic bytes cannot be decoded',
    });
    const xt = transfer(1n);
    const first = await c.call('transactionWatch_v1_submitAndWatch', [toHex(xt)]);
    assert.deepEqual(strip(await c.next(first)), { event: 'validated' });
    const again = await c.call('transactionWatch_v1_submitAndWatch', [toHex(xt)]);
    assert.deepEqual(strip(await c.next(again)), {
      event: 'invalid',
      error: 'Transaction is already imported',
    });
    assert.equal((await c.fail('transactionWatch_v1_submitAndWatch', ['0xabc'])).code, -32602);
    // Unwatching does not take the transaction out of the pool.
    assert.equal(await c.call('transactionWatch_v1_unwatch', [first]), true);
    const b = await seal();
    assert.ok(b.body.some((x) => toHex(x) === toHex(xt)));
    assert.deepEqual(c.buffered(first), []);
  });

  it('serves polkadot-api 1.x: finalized block, System.Account, and a signed transfer', async () => {
    const client = createClient(
      getWsProvider(`ws://127.0.0.1:${port}`, { websocketClass: WebSocket as never }),
    );
    // Seal a block whenever a transaction is ready (manual sealing stands in for a block producer).
    const onStatus = (_hash: string, st: { type: string }) => {
      if (st.type === 'ready') setImmediate(() => void seal());
    };
    node.pool.on('status', onStatus);
    try {
      const finalized = await client.getFinalizedBlock();
      assert.equal(finalized.hash, toHex(node.chain.finalized.hash));
      assert.equal(finalized.number, node.chain.finalized.number);
      const api = client.getUnsafeApi();
      type Account = { nonce: number; data: { free: bigint } };
      const read = async (who: string, at?: string) =>
        (await api.query.System!.Account!.getValue(who, at ? { at } : {})) as Account;
      const acct = await read(alice.address());
      const state = System.Account.get(node.chain.stateAt() as never, alice.publicKey);
      assert.equal(acct.data.free, state.data.free);
      assert.equal(acct.nonce, state.nonce);
      const bobBefore = (await read(bob.address())).data.free;
      const signer = getPolkadotSigner(alice.publicKey, 'Sr25519', (m) => alice.sign(m));
      const tx = api.tx.Balances!.transfer_keep_alive!({
        dest: { type: 'Id', value: bob.address() },
        value: 7n * TAO,
      });
      const res = await tx.signAndSubmit(signer);
      assert.equal(res.ok, true);
      const included = node.chain.blockByHash(fromHex(res.block.hash));
      assert.ok(
        included?.body.some((x) => toHex(x) === res.txHash || toHex(blake2_256(x)) === res.txHash),
      );
      assert.equal((await read(bob.address(), res.block.hash)).data.free, bobBefore + 7n * TAO);
    } finally {
      node.pool.off('status', onStatus);
      client.destroy();
    }
  });

  it('rejects malformed deps and options', () => {
    const deps = { chain: node.chain, pool: node.pool };
    assert.throws(() => chainHeadDefinitions(null as never), TypeError);
    assert.throws(() => chainHeadDefinitions({ chain: {}, pool: node.pool } as never), TypeError);
    assert.throws(() => chainHeadDefinitions({ chain: node.chain } as never), TypeError);
    assert.throws(() => chainHeadDefinitions(deps, null as never), TypeError);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60])
      assert.throws(() => chainHeadDefinitions(deps, { maxPinnedBlocks: bad }), RangeError);
    assert.throws(
      () => chainHeadDefinitions(deps, { storageItemsPerPage: '10' as never }),
      TypeError,
    );
    assert.throws(() => chainHeadDefinitions(deps, { properties: 'x' as never }), TypeError);
    const defs = chainHeadDefinitions(deps, { properties: { tokenSymbol: 'X' } });
    assert.deepEqual(Object.keys(defs.methods).sort(), [
      'chainHead_v1_body',
      'chainHead_v1_call',
      'chainHead_v1_continue',
      'chainHead_v1_header',
      'chainHead_v1_stopOperation',
      'chainHead_v1_storage',
      'chainHead_v1_unpin',
      'chainSpec_v1_chainName',
      'chainSpec_v1_genesisHash',
      'chainSpec_v1_properties',
      'transaction_v1_broadcast',
      'transaction_v1_stop',
    ]);
    assert.deepEqual(
      defs.subscriptions.map((d) => [d.subscribe, d.unsubscribe, d.notification]),
      [
        ['chainHead_v1_follow', 'chainHead_v1_unfollow', 'chainHead_v1_followEvent'],
        [
          'transactionWatch_v1_submitAndWatch',
          'transactionWatch_v1_unwatch',
          'transactionWatch_v1_watchEvent',
        ],
      ],
    );
  });
});
