import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DigestItem, Header } from '@taoscript/chain-types';
import { blake2_256, fromHex, toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import {
  devKeypair,
  rpcCall,
  signExtrinsic,
  spawnNode,
  transferKeepAlive,
  waitFor,
} from '@taoscript/testkit';
import { WebSocket } from 'ws';

const TAO = 1_000_000_000n;

interface HeaderJson {
  parentHash: string;
  number: string;
  stateRoot: string;
  extrinsicsRoot: string;
  digest: { logs: string[] };
}

/** Every head the node announces over chain_subscribeNewHeads, by number. */
async function watchHeads(wsUrl: string, heads: Map<number, string>) {
  const ws = new WebSocket(wsUrl);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  ws.on('message', (d) => {
    const msg = JSON.parse(d.toString()) as { method?: string; params?: { result: HeaderJson } };
    if (msg.method === 'chain_newHead' && msg.params) {
      // Hash the announced header ourselves, as a client does.
      const h = msg.params.result;
      const hash = blake2_256(
        Header.enc({
          parent_hash: fromHex(h.parentHash),
          number: Number(h.number),
          state_root: fromHex(h.stateRoot),
          extrinsics_root: fromHex(h.extrinsicsRoot),
          digest: { logs: h.digest.logs.map((l) => DigestItem.dec(fromHex(l))) },
        }),
      );
      heads.set(Number(h.number), toHex(hash));
    }
  });
  ws.on('error', () => {});
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_subscribeNewHeads', params: [] }));
  return ws;
}

describe('kill -9 under sustained load, then restart on the same base path', () => {
  const base = mkdtempSync(join(tmpdir(), 'tao-crash-'));
  after(() => rmSync(base, { recursive: true, force: true }));

  it('keeps every announced block with the same hash and identical state', async () => {
    const senders = Array.from({ length: 8 }, (_, i) => keypairFromUri(`//Load${i}`));
    const alice = devKeypair('Alice');
    const node = await spawnNode([
      '--dev',
      '--base-path',
      base,
      '--rpc-port',
      '0',
      '--sealing',
      '50',
    ]);
    const heads = new Map<number, string>();
    const ws = await watchHeads(node.wsUrl, heads);
    const genesisHash = fromHex(
      (await rpcCall(node.httpUrl, 'chain_getBlockHash', [0])).result as string,
    );
    await waitFor(() => heads.size >= 2, 'block 1');
    // Fund the load accounts from Alice.
    for (let i = 0; i < senders.length; i++) {
      const xt = signExtrinsic({
        call: transferKeepAlive((senders[i] as typeof alice).publicKey, 1000n * TAO),
        signer: alice,
        nonce: i,
        genesisHash,
      });
      const r = await rpcCall(node.httpUrl, 'author_submitExtrinsic', [toHex(xt)]);
      assert.equal(r.error, undefined, JSON.stringify(r.error));
    }
    await waitFor(
      async () =>
        (await rpcCall(node.httpUrl, 'system_accountNextIndex', [alice.address()])).result ===
          senders.length &&
        ((await rpcCall(node.httpUrl, 'author_pendingExtrinsics')).result as string[]).length === 0,
      'funding',
    );
    // Sustained load: every sender keeps transfers coming while blocks are sealed every 50 ms.
    let stop = false;
    const nonces = new Array(senders.length).fill(0) as number[];
    const load = senders.map(async (s, i) => {
      while (!stop) {
        const xt = signExtrinsic({
          call: transferKeepAlive(alice.publicKey, 1000n),
          signer: s,
          nonce: nonces[i] as number,
          genesisHash,
        });
        nonces[i] = (nonces[i] as number) + 1;
        const r = await rpcCall(node.httpUrl, 'author_submitExtrinsic', [toHex(xt)]).catch(
          () => undefined,
        );
        if (!r || r.error) break;
      }
    });
    const startHeads = heads.size;
    await waitFor(() => heads.size >= startHeads + 15, 'blocks under load', 60_000);
    await node.kill();
    stop = true;
    await Promise.all(load);
    ws.close();
    const announced = new Map(heads);
    const lastAnnounced = Math.max(...announced.keys());
    assert.ok(lastAnnounced > 10);

    const again = await spawnNode([
      '--dev',
      '--base-path',
      base,
      '--rpc-port',
      '0',
      '--sealing',
      'manual',
    ]);
    try {
      const call = (m: string, p: unknown[] = []) => rpcCall(again.httpUrl, m, p);
      for (const [n, hash] of announced) {
        const stored = (await call('chain_getBlockHash', [n])).result;
        assert.equal(stored, hash, `block ${n}`);
        // Each block's own state is there too: System.Number at that block is its number.
        const num = (
          await call('state_getStorage', [
            '0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac',
            hash,
          ])
        ).result as string | null;
        assert.equal(num === null ? 0 : new DataView(fromHex(num).buffer).getUint32(0, true), n);
      }
      const head = (await call('chain_getHeader')).result as { number: string; stateRoot: string };
      assert.ok(Number(head.number) >= lastAnnounced, 'head is at or past every announced block');
      // The restarted state is the state of the head block: the header's state root commits to it,
      // and the balances add up to the total issuance.
      const headHash = (await call('chain_getBlockHash', [Number(head.number)])).result as string;
      const issuance = BigInt(
        `0x${Buffer.from(
          fromHex(
            (
              await call('state_getStorage', [
                '0xc2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80',
                headHash,
              ])
            ).result as string,
          ),
        )
          .reverse()
          .toString('hex')}`,
      );
      const keys = (
        await call('state_getKeysPaged', [
          '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9',
          1000,
          null,
          headHash,
        ])
      ).result as string[];
      let sum = 0n;
      for (const k of keys) {
        const v = fromHex((await call('state_getStorage', [k, headHash])).result as string);
        sum += new DataView(v.buffer, v.byteOffset + 16, 8).getBigUint64(0, true);
      }
      assert.equal(sum, issuance);
      // It carries on from there.
      const created = await call('engine_createBlock', [true, true, null]);
      assert.equal(created.error, undefined);
      const next = (await call('chain_getHeader')).result as { number: string; parentHash: string };
      assert.equal(Number(next.number), Number(head.number) + 1);
      assert.equal(next.parentHash, headHash);
    } finally {
      await again.stop();
    }
  });
});
