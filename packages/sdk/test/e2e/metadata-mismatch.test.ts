import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { metadata as metadataCodec } from '@polkadot-api/substrate-bindings';
import { Bytes, Option } from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type SpawnedNode, spawnDevNode } from '@taoscript/testkit';
import type { JsonRpcProvider } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { WebSocket } from 'ws';
import { ChainTypeMismatchError, connect, type SubtensorClient } from '../../src/client/index.js';
import { assertOk, TAO } from './helpers.js';

const MetadataOption = Option(Bytes);

/** The node's metadata with `add_stake_limit.limit_price` widened from u64 to u128. */
function widenLimitPrice(output: string): string {
  const opaque = MetadataOption.dec(fromHex(output));
  if (!opaque) return output;
  const dec = metadataCodec.dec(opaque);
  const md = dec.metadata.value as {
    lookup: { id: number; path: string[]; def: { tag: string; value: unknown } }[];
  };
  const u128 = md.lookup.find(
    (e) => e.def.tag === 'primitive' && (e.def.value as { tag: string }).tag === 'u128',
  );
  const calls = md.lookup.find((e) => e.path.join('::') === 'pallet_subtensor::pallet::Call');
  assert.ok(u128 && calls);
  const v = (calls.def.value as { name: string; fields: { name?: string; type: number }[] }[]).find(
    (x) => x.name === 'add_stake_limit',
  );
  const f = v?.fields.find((x) => x.name === 'limit_price');
  assert.ok(f);
  f.type = u128.id;
  return toHex(MetadataOption.enc(metadataCodec.enc(dec)));
}

/**
 * A WebSocket provider that rewrites the metadata the node returns to
 * `chainHead_v1_call(Metadata_metadata_at_version)`: to the client, a node that differs.
 */
function rewritingProvider(url: string, rewrite: (output: string) => string): JsonRpcProvider {
  const inner = getWsProvider(url, { websocketClass: WebSocket as never });
  return (onMessage) => {
    const calls = new Set<unknown>();
    const ops = new Set<string>();
    const conn = inner((msg) => {
      const m = msg as {
        id?: unknown;
        result?: { operationId?: string };
        method?: string;
        params?: { result?: { event?: string; operationId?: string; output?: string } };
      };
      if (m.id !== undefined && calls.delete(m.id) && m.result?.operationId)
        ops.add(m.result.operationId);
      const ev = m.params?.result;
      if (
        m.method === 'chainHead_v1_followEvent' &&
        ev?.event === 'operationCallDone' &&
        ev.operationId !== undefined &&
        ops.delete(ev.operationId) &&
        ev.output !== undefined
      ) {
        onMessage({
          ...msg,
          params: { ...m.params, result: { ...ev, output: rewrite(ev.output) } },
        });
        return;
      }
      onMessage(msg);
    });
    return {
      send(msg) {
        const m = msg as { id?: unknown; method?: string; params?: unknown[] };
        if (m.method === 'chainHead_v1_call' && m.params?.[2] === 'Metadata_metadata_at_version')
          calls.add(m.id);
        conn.send(msg);
      },
      disconnect: () => conn.disconnect(),
    };
  };
}

describe('a node whose metadata differs from chain-types', () => {
  let node: SpawnedNode;
  let client: SubtensorClient;
  let rewrites = 0;
  const alice = devKeypair('Alice');
  const hotkey = keypairFromUri('//Alice//subnet1');
  before(async () => {
    node = await spawnDevNode();
    client = await connect({
      provider: rewritingProvider(node.wsUrl, (out) => {
        rewrites++;
        return widenLimitPrice(out);
      }),
      commits: '/tmp/.sdk-mismatch-commits',
    });
  });
  after(async () => {
    await client?.close();
    await node?.stop();
  });

  it('detects the differing call at connect time and names it', () => {
    assert.ok(rewrites >= 1, 'the metadata went through the rewrite');
    const bad = client.compatibility().filter((c) => !c.ok);
    assert.deepEqual(
      bad.map((c) => c.key),
      ['call:SubtensorModule.add_stake_limit'],
    );
    assert.match(bad[0]?.reasons.join('\n') ?? '', /limit_price: ours u64, node u128/);
  });

  it('refuses the mismatched call instead of mis-encoding it', async () => {
    const before = await client.getBalance(alice.publicKey);
    await assert.rejects(
      client.addStake({
        signer: alice,
        hotkey: hotkey.publicKey,
        netuid: 1,
        amount: 10n * TAO,
        limit: { tolerance: 0.1 },
      }),
      (err: unknown) =>
        err instanceof ChainTypeMismatchError &&
        err.item === 'call:SubtensorModule.add_stake_limit' &&
        err.code === 'CHAIN_TYPE_MISMATCH' &&
        /limit_price: ours u64, node u128/.test(err.message),
    );
    assert.equal(await client.getBalance(alice.publicKey), before, 'nothing was submitted');
  });

  it('keeps working for everything the node describes as we do', async () => {
    const bob = devKeypair('Bob');
    const r = await client.transfer({ signer: alice, dest: bob.publicKey, amount: TAO });
    assertOk('transfer', r);
    const staked = await client.addStake({
      signer: alice,
      hotkey: hotkey.publicKey,
      netuid: 1,
      amount: 10n * TAO,
    });
    assertOk('add_stake', staked);
    assert.ok(staked.events.some((e) => e.name === 'StakeAdded'));
  });
});
