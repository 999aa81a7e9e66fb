import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import '@polkadot/api-augment';
import { ApiPromise, HttpProvider, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { ProviderInterface } from '@polkadot/rpc-provider/types';
import { type SpawnedNode, spawnNode } from '@taoscript/testkit';

const TAO = 1_000_000_000n;

describe('@polkadot/api against tao-node --dev', () => {
  let node: SpawnedNode;
  let api: ApiPromise;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');

  before(async () => {
    node = await spawnNode(['--dev', '--tmp', '--rpc-port', '0', '--sealing', '100']);
    api = await ApiPromise.create({
      provider: new WsProvider(node.wsUrl) as ProviderInterface,
      noInitWarn: true,
    });
  });
  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  it('reads chain properties, runtime version and accounts', async () => {
    assert.equal(api.runtimeVersion.specName.toString(), 'node-subtensor');
    assert.equal(api.registry.chainSS58, 42);
    assert.deepEqual(api.registry.chainTokens, ['TAO']);
    assert.deepEqual(api.registry.chainDecimals, [9]);
    const acct = await api.query.system.account(alice.address);
    assert.ok(acct.data.free.toBigInt() > 1000n * TAO);
    assert.equal(api.consts.balances.existentialDeposit.toNumber(), 500);
  });

  it("follows new heads, and computes the node's block hashes itself", async () => {
    const heads: { number: number; hash: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      let unsub: (() => void) | undefined;
      api.rpc.chain
        .subscribeNewHeads((h) => {
          heads.push({ number: h.number.toNumber(), hash: h.hash.toHex() });
          if (heads.length === 3) {
            unsub?.();
            resolve();
          }
        })
        .then((u) => {
          unsub = u;
        }, reject);
    });
    assert.ok((heads[2]?.number ?? 0) > (heads[0]?.number ?? 0));
    for (const h of heads)
      assert.equal((await api.rpc.chain.getBlockHash(h.number)).toHex(), h.hash);
  });

  it('submits transfer_keep_alive, sees it finalized with events, fee and balances', async () => {
    const amount = 12n * TAO;
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const aliceBefore = (await api.query.system.account(alice.address)).data.free.toBigInt();
    const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
    const info = await tx.paymentInfo(alice);
    const { blockHash, events } = await new Promise<{ blockHash: string; events: string[] }>(
      (resolve, reject) => {
        tx.signAndSend(alice, (r) => {
          if (r.dispatchError) reject(new Error(r.dispatchError.toString()));
          if (r.status.isFinalized)
            resolve({
              blockHash: r.status.asFinalized.toHex(),
              events: r.events.map((e) => `${e.event.section}.${e.event.method}`),
            });
        }).catch(reject);
      },
    );
    assert.ok(events.includes('balances.Transfer'));
    assert.ok(events.includes('transactionPayment.TransactionFeePaid'));
    assert.ok(events.includes('system.ExtrinsicSuccess'));
    const after = await api.query.system.account.at(blockHash, bob.address);
    assert.equal(after.data.free.toBigInt(), before + amount);
    const aliceAfter = (
      await api.query.system.account.at(blockHash, alice.address)
    ).data.free.toBigInt();
    // Alice is also the block author: she pays the fee and gets it back.
    assert.equal(aliceAfter, aliceBefore - amount);
    const paid = (await api.query.system.events.at(blockHash))
      .map((r) => r.event)
      .find((e) => e.section === 'transactionPayment' && e.method === 'TransactionFeePaid');
    assert.ok(paid);
    assert.equal(
      (paid.data[1] as unknown as { toBigInt(): bigint }).toBigInt(),
      info.partialFee.toBigInt(),
    );
  });

  it('runs sudo(force_set_balance) and utility.batchAll', async () => {
    const dave = keyring.addFromUri('//Dave//stash');
    const send = (tx: ReturnType<typeof api.tx.sudo.sudo>) =>
      new Promise<string[]>((resolve, reject) => {
        tx.signAndSend(alice, (r) => {
          if (r.status.isFinalized)
            resolve(r.events.map((e) => `${e.event.section}.${e.event.method}`));
        }).catch(reject);
      });
    const ev = await send(
      api.tx.sudo.sudo(api.tx.balances.forceSetBalance(dave.address, 42n * TAO)),
    );
    assert.ok(ev.includes('sudo.Sudid'));
    assert.equal((await api.query.system.account(dave.address)).data.free.toBigInt(), 42n * TAO);
    const ev2 = await send(
      api.tx.utility.batchAll([
        api.tx.balances.transferKeepAlive(dave.address, TAO),
        api.tx.system.remarkWithEvent('hello'),
      ]),
    );
    assert.ok(ev2.includes('utility.BatchCompleted'));
    assert.ok(ev2.includes('system.Remarked'));
    assert.equal((await api.query.system.account(dave.address)).data.free.toBigInt(), 43n * TAO);
  });

  it('works over HTTP too', async () => {
    const http = await ApiPromise.create({
      provider: new HttpProvider(node.httpUrl) as ProviderInterface,
      noInitWarn: true,
    });
    try {
      const acct = await http.query.system.account(bob.address);
      assert.ok(acct.data.free.toBigInt() > 0n);
    } finally {
      await http.disconnect();
    }
  });
});
