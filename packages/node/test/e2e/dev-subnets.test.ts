import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SubtensorStorage } from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { rpcCall, spawnNode } from '@taoscript/testkit';

const BIN = fileURLToPath(new URL('../../bin/tao-node.mjs', import.meta.url));

describe('tao-node --dev-subnets', () => {
  it('creates the root subnet and started dev subnets at genesis', async () => {
    const node = await spawnNode([
      '--dev',
      '--tmp',
      '--rpc-port',
      '0',
      '--sealing',
      'manual',
      '--dev-subnets',
      '2',
    ]);
    try {
      const read = async (key: Uint8Array) =>
        (await rpcCall(node.httpUrl, 'state_getStorage', [toHex(key)])).result as string | null;
      for (const netuid of [0, 1, 2]) {
        const added = await read(SubtensorStorage.NetworksAdded.key(netuid));
        assert.equal(added, '0x01', `netuid ${netuid} exists`);
      }
      assert.equal(await read(SubtensorStorage.NetworksAdded.key(3)), null);
      assert.equal(await read(SubtensorStorage.SubtokenEnabled.key(1)), '0x01');
      const owner = await read(SubtensorStorage.SubnetOwner.key(1));
      assert.deepEqual(fromHex(owner as string), keypairFromUri('//Alice').publicKey);
    } finally {
      await node.stop();
    }
  });

  it('refuses a bad chain spec with one line and exit code 2', async () => {
    const child = spawn(
      process.execPath,
      [BIN, '--dev', '--tmp', '--rpc-port', '0', '--chain-spec', '/nonexistent/spec.json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(err, /^error: cannot read \/nonexistent\/spec\.json: ENOENT\n$/);
  });
});
