import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mortalEra } from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import {
  devKeypair,
  rpcCall,
  type SpawnedNode,
  signExtrinsic,
  spawnNode,
  transferKeepAlive,
} from '@taoscript/testkit';
import { WebSocket } from 'ws';

const TAO = 1_000_000_000n;
const alice = devKeypair('Alice');
const bob = devKeypair('Bob');

describe('tao-node refuses bad transactions and bad requests precisely, and keeps serving', () => {
  let node: SpawnedNode;
  let genesisHash: Uint8Array;
  const call = (method: string, params: unknown[] = []) => rpcCall(node.httpUrl, method, params);
  const createBlock = async () => {
    const r = await call('engine_createBlock', [true, true, null]);
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    return (r.result as { hash: string }).hash;
  };
  const submit = (xt: Uint8Array) => call('author_submitExtrinsic', [toHex(xt)]);
  const expectInvalid = async (xt: Uint8Array, code: number, data: RegExp) => {
    const r = await submit(xt);
    assert.ok(r.error, `expected an error, got ${JSON.stringify(r.result)}`);
    assert.equal(r.error.code, code);
    assert.match(String(r.error.data), data);
    // The node keeps serving.
    const h = await call('chain_getHeader');
    assert.ok((h.result as { number: string }).number);
  };

  before(async () => {
    node = await spawnNode(['--dev', '--tmp', '--rpc-port', '0', '--sealing', 'manual']);
    genesisHash = fromHex((await call('chain_getBlockHash', [0])).result as string);
    await createBlock(); // block 1 records the genesis hash (CheckGenesis)
  });
  after(async () => {
    await node?.stop();
  });

  const transfer = (over: Partial<Parameters<typeof signExtrinsic>[0]> = {}) =>
    signExtrinsic({
      call: transferKeepAlive(bob.publicKey, TAO),
      signer: alice,
      nonce: 0,
      genesisHash,
      ...over,
    });

  it('accepts a good transfer and includes it', async () => {
    const r = await submit(transfer());
    assert.equal(r.error, undefined);
    assert.match(r.result as string, /^0x[0-9a-f]{64}$/);
    const pending = await call('author_pendingExtrinsics');
    assert.equal((pending.result as string[]).length, 1);
    await createBlock();
    assert.equal(((await call('author_pendingExtrinsics')).result as string[]).length, 0);
    assert.equal((await call('system_accountNextIndex', [alice.address()])).result, 1);
  });

  it('bad signature → 1010 BadProof', async () => {
    const xt = transfer({ nonce: 1 });
    xt[50] = (xt[50] as number) ^ 1; // a byte of the signature
    await expectInvalid(xt, 1010, /bad signature/);
  });

  it('wrong genesis → 1010 BadProof (the genesis hash is part of what is signed)', async () => {
    await expectInvalid(
      transfer({ nonce: 1, genesisHash: new Uint8Array(32).fill(9) }),
      1010,
      /bad signature/,
    );
  });

  it('stale nonce → 1010 Stale', async () => {
    await expectInvalid(transfer({ nonce: 0 }), 1010, /outdated/);
  });

  it('a future nonce beyond the pool limit → 1010 Future', async () => {
    await expectInvalid(transfer({ nonce: 100_000 }), 1010, /valid in the future/);
    // Within the limit it waits in the future queue.
    const r = await submit(transfer({ nonce: 3 }));
    assert.equal(r.error, undefined);
  });

  it('expired era → 1010 AncientBirthBlock', async () => {
    const head = (await call('chain_getHeader')).result as { number: string };
    const n = Number(head.number);
    const hash = fromHex((await call('chain_getBlockHash', [n])).result as string);
    const xt = transfer({ nonce: 1, era: mortalEra(4, n), eraBlockHash: hash });
    for (let i = 0; i < 5; i++) await createBlock();
    await expectInvalid(xt, 1010, /ancient birth block/);
  });

  it('insufficient balance for the fee → 1010 Payment', async () => {
    const empty = keypairFromUri('//NobodyHasFundsHere');
    const xt = signExtrinsic({
      call: transferKeepAlive(bob.publicKey, TAO),
      signer: empty,
      nonce: 0,
      genesisHash,
    });
    await expectInvalid(xt, 1010, /Inability to pay some fees/);
  });

  it('malformed extrinsic bytes → 1010 with the decoding error', async () => {
    await expectInvalid(new Uint8Array([0x08, 0x84, 0x00]), 1010, /decode/);
    await expectInvalid(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]), 1010, /decode/);
    const r = await call('author_submitExtrinsic', ['not hex']);
    assert.equal(r.error?.code, -32602);
  });

  it('garbage JSON-RPC → -32700, unknown method → -32601, bad params → -32602', async () => {
    const raw = await fetch(node.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0",',
    });
    assert.equal(((await raw.json()) as { error: { code: number } }).error.code, -32700);
    assert.equal((await call('no_such_method')).error?.code, -32601);
    const bad = await call('chain_getBlockHash', ['twelve']);
    assert.equal(bad.error?.code, -32602);
    assert.match(String(bad.error?.data), /block number/);
    const ws = new WebSocket(node.wsUrl);
    await new Promise((r) => ws.once('open', r));
    const reply = new Promise<string>((r) => ws.once('message', (d) => r(d.toString())));
    ws.send('\u0000garbage');
    assert.equal((JSON.parse(await reply) as { error: { code: number } }).error.code, -32700);
    ws.close();
    assert.ok(((await call('chain_getHeader')).result as { number: string }).number);
  });
});
