import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withLegacy } from '@polkadot-api/ws-middleware';
import { getWsProvider as getRawWsProvider } from '@polkadot-api/ws-provider';
import { devKeypair, rpcCall, type SpawnedNode, spawnNode } from '@taoscript/testkit';
import { createClient, type PolkadotClient } from 'polkadot-api';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { getWsProvider } from 'polkadot-api/ws';
import { createClient as createClientV1 } from 'polkadot-api-v1';
import { getWsProvider as getWsProviderV1 } from 'polkadot-api-v1/ws-provider';
import { WebSocket } from 'ws';

const TAO = 1_000_000_000n;
const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const signer = getPolkadotSigner(alice.publicKey, 'Sr25519', (m) => alice.sign(m));

/** The untyped API: these tests use no generated descriptors. */
// biome-ignore lint/suspicious/noExplicitAny: the unsafe API is dynamically shaped by metadata.
const unsafe = (client: PolkadotClient): any => client.getUnsafeApi();

/** The same checks over each surface polkadot-api 2.x can use. */
function suite(name: string, connect: (url: string) => PolkadotClient) {
  describe(name, () => {
    let node: SpawnedNode;
    let client: PolkadotClient;
    before(async () => {
      node = await spawnNode(['--dev', '--tmp', '--rpc-port', '0', '--sealing', '100']);
      client = connect(node.wsUrl);
    });
    after(async () => {
      client?.destroy();
      await node?.stop();
    });

    it('follows finalized blocks and reads System.Account', async () => {
      const first = await client.getFinalizedBlock();
      const api = unsafe(client);
      const acct = await api.query.System.Account.getValue(alice.address());
      assert.ok((acct as { data: { free: bigint } }).data.free > 1000n * TAO);
      const later = await new Promise<{ number: number; hash: string }>((resolve) => {
        // The observable may replay synchronously, before `subscribe` returns.
        let done = false;
        const sub: { unsubscribe(): void } = client.finalizedBlock$.subscribe((b) => {
          if (done || b.number <= first.number) return;
          done = true;
          resolve(b);
          setImmediate(() => sub.unsubscribe());
        });
      });
      assert.ok(later.number > first.number);
      // The block the client follows is the node's block at that height.
      const header = await client.getBlockHeader(later.hash);
      assert.equal(header.number, later.number);
      const nodeHash = await rpcCall(node.httpUrl, 'chain_getBlockHash', [later.number]);
      assert.equal(nodeHash.result, later.hash);
    });

    it('submits transfer_keep_alive and sees it finalized with events and fee', async () => {
      const api = unsafe(client);
      const before = (
        (await api.query.System.Account.getValue(bob.address())) as { data: { free: bigint } }
      ).data.free;
      const tx = api.tx.Balances.transfer_keep_alive({
        dest: { type: 'Id', value: bob.address() },
        value: 3n * TAO,
      });
      const res = await tx.signAndSubmit(signer);
      assert.equal(res.ok, true);
      const names = res.events.map(
        (e: { type: string; value: { type: string } }) => `${e.type}.${e.value.type}`,
      );
      assert.ok(names.includes('Balances.Transfer'), names.join(','));
      const paid = res.events.find(
        (e: { type: string; value: { type: string } }) => e.type === 'TransactionPayment',
      );
      assert.ok(paid && (paid.value as { value: { actual_fee: bigint } }).value.actual_fee > 0n);
      const afterAcct = (await api.query.System.Account.getValue(bob.address(), {
        at: res.block.hash,
      })) as { data: { free: bigint } };
      assert.equal(afterAcct.data.free, before + 3n * TAO);
    });

    it('runs Sudo.sudo(force_set_balance) and Utility.batch_all', async () => {
      const api = unsafe(client);
      const eve = devKeypair('Eve').address();
      const set = api.tx.Balances.force_set_balance({
        who: { type: 'Id', value: eve },
        new_free: 5n * TAO,
      });
      const r1 = await api.tx.Sudo.sudo({ call: set.decodedCall }).signAndSubmit(signer);
      assert.equal(r1.ok, true);
      const t = api.tx.Balances.transfer_keep_alive({
        dest: { type: 'Id', value: eve },
        value: TAO,
      });
      const r2 = await api.tx.Utility.batch_all({
        calls: [t.decodedCall, t.decodedCall],
      }).signAndSubmit(signer);
      assert.equal(r2.ok, true);
      const acct = (await api.query.System.Account.getValue(eve, { at: r2.block.hash })) as {
        data: { free: bigint };
      };
      assert.equal(acct.data.free, 7n * TAO);
    });
  });
}

suite('polkadot-api 2.x over the legacy surface', (url) =>
  createClient(
    getRawWsProvider(url, { websocketClass: WebSocket as never, middleware: withLegacy } as never),
  ));
suite('polkadot-api 2.x over the new JSON-RPC spec', (url) =>
  createClient(getWsProvider(url, { websocketClass: WebSocket as never })));
// polkadot-api 1.x (what subtensor's own TypeScript tests pin) follows only chainHead_v1.
suite('polkadot-api 1.x over the new JSON-RPC spec', (url) =>
  createClientV1(getWsProviderV1(url, { websocketClass: WebSocket as never } as never)) as never);
