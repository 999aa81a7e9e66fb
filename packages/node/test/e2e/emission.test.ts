import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Balances, SubtensorStorage as S, type StorageItem, System } from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { subnetAccount } from '@taoscript/runtime';
import { rpcCall, spawnNode } from '@taoscript/testkit';

const dir = mkdtempSync(join(tmpdir(), 'tao-emission-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BLOCK_EMISSION = 1_000_000_000n;
const BLOCKS = 40;

describe('tao-node: emission on a dev chain', () => {
  it('mints every block into the subnets and pays the owner at each epoch', async () => {
    const spec = join(dir, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        subnets: [
          { owner: '//Alice', hotkey: '//Alice//sn1', tempo: 4 },
          { owner: '//Bob', hotkey: '//Bob//sn2', tempo: 6 },
        ],
        emissionShares: 'price',
      }),
    );
    const node = await spawnNode([
      '--dev',
      '--tmp',
      '--rpc-port',
      '0',
      '--sealing',
      'manual',
      '--chain-spec',
      spec,
    ]);
    try {
      const call = async (method: string, params: unknown[]) => {
        const r = await rpcCall(node.httpUrl, method, params);
        assert.equal(r.error, undefined, `${method}: ${JSON.stringify(r.error)}`);
        return r.result;
      };
      // biome-ignore lint/suspicious/noExplicitAny: items of any shape are read the same way
      const read = async <V>(item: StorageItem<any, V>, at: string, ...keys: unknown[]) => {
        const key = (item.key as (...k: unknown[]) => Uint8Array)(...keys);
        const raw = (await call('state_getStorage', [toHex(key), at])) as string | null;
        return raw === null ? undefined : item.value.dec(fromHex(raw));
      };
      const free = async (who: Uint8Array, at: string) => {
        const info = await read(System.Account, at, who);
        return info ? info.data.free + info.data.reserved : 0n;
      };
      const subnetAccounts = [0, 1, 2].map(subnetAccount);

      let prevHash = (await call('chain_getBlockHash', [0])) as string;
      let prevIssuance = (await read(Balances.TotalIssuance, prevHash)) as bigint;
      let prevPools = 0n;
      for (const a of subnetAccounts) prevPools += await free(a, prevHash);
      let prevAlphaOut = [0n, 0n];
      let firstEmitting: number | undefined;
      for (let n = 1; n <= BLOCKS; n++) {
        await call('engine_createBlock', [true, true, null]);
        const hash = (await call('chain_getBlockHash', [n])) as string;
        const issuance = (await read(Balances.TotalIssuance, hash)) as bigint;
        let pools = 0n;
        for (const a of subnetAccounts) pools += await free(a, hash);
        const minted = issuance - prevIssuance;
        // No transactions: every rao minted is TAO put into a subnet pool, at most one block's worth.
        // The price EMA that shares emission starts at 0 and, with subtensor's ramped alpha
        // (3e-6 · b/(b + 201,600)) held in I96F32, stays 0 for the first ~16 blocks after
        // start_call: until then no TAO is emitted. From the first emitting block on, every block
        // mints exactly the block emission (no transactions, nothing recycled).
        if (firstEmitting === undefined && minted > 0n) firstEmitting = n;
        assert.equal(minted, firstEmitting === undefined ? 0n : BLOCK_EMISSION, `block ${n}`);
        assert.equal(pools - prevPools, minted, `block ${n}: pools grew by what was minted`);
        assert.equal(await read(S.TotalIssuance, hash), issuance, `block ${n}: TotalIssuance`);
        const alphaOut = [
          (await read(S.SubnetAlphaOut, hash, 1)) as bigint,
          (await read(S.SubnetAlphaOut, hash, 2)) as bigint,
        ];
        assert.ok(alphaOut[0]! > prevAlphaOut[0]!, `block ${n}: subnet 1 alpha out grows`);
        assert.ok(alphaOut[1]! > prevAlphaOut[1]!, `block ${n}: subnet 2 alpha out grows`);
        [prevHash, prevIssuance, prevPools, prevAlphaOut] = [hash, issuance, pools, alphaOut];
      }

      assert.ok(
        firstEmitting !== undefined && firstEmitting <= 20,
        `first TAO at ${firstEmitting}`,
      );
      // Both subnets got a share of the TAO.
      for (const netuid of [1, 2]) {
        const tao0 = (await read(
          S.SubnetTAO,
          (await call('chain_getBlockHash', [1])) as string,
          netuid,
        )) as bigint;
        const taoN = (await read(S.SubnetTAO, prevHash, netuid)) as bigint;
        assert.ok(taoN > tao0, `subnet ${netuid}: SubnetTAO ${tao0} → ${taoN}`);
      }

      // Both subnets ran epochs; each owner hotkey was paid its cut as stake.
      for (const [netuid, hot] of [
        [1, '//Alice//sn1'],
        [2, '//Bob//sn2'],
      ] as const) {
        const last = (await read(S.LastEpochBlock, prevHash, netuid)) as bigint;
        assert.ok(last > BigInt(BLOCKS - 7), `subnet ${netuid}: epoch at block ${last}`);
        const emission = (await read(S.Emission, prevHash, netuid)) as bigint[];
        assert.ok(emission.length >= 1, `subnet ${netuid}: Emission stored`);
        const stake = (await read(
          S.TotalHotkeyAlpha,
          prevHash,
          keypairFromUri(hot).publicKey,
          netuid,
        )) as bigint;
        assert.ok(stake > 0n, `subnet ${netuid}: owner hotkey holds ${stake} alpha`);
      }
    } finally {
      await node.stop();
    }
  });
});
