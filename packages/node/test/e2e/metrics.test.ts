import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rpcCall, spawnNode, waitFor } from '@taoscript/testkit';

describe('tao-node --prometheus-port', () => {
  it('serves best/finalized height, pool size, extrinsics and RPC latency', async () => {
    const node = await spawnNode([
      '--dev',
      '--tmp',
      '--rpc-port',
      '0',
      '--prometheus-port',
      '0',
      '--sealing',
      '50',
    ]);
    try {
      const m = /Prometheus exporter started at 127\.0\.0\.1:(\d+)/.exec(node.stdout());
      assert.ok(m, node.stdout());
      const url = `http://127.0.0.1:${m[1]}/metrics`;
      await rpcCall(node.httpUrl, 'chain_getHeader');
      const text = await waitFor(async () => {
        const t = await (await fetch(url)).text();
        const best = /substrate_block_height\{status="best"\} (\d+)/.exec(t);
        return best && Number(best[1]) >= 3 ? t : undefined;
      }, 'three blocks in the metrics');
      assert.match(text, /substrate_block_height\{status="finalized"\} \d+/);
      assert.match(text, /substrate_ready_transactions_number \d+/);
      assert.match(text, /taoscript_extrinsics_total \d+/);
      assert.match(
        text,
        /substrate_rpc_calls_time_bucket\{method="chain_getHeader",le="[^"]+"\} [1-9]/,
      );
      assert.match(text, /substrate_proposer_block_constructed_count [1-9]/);
      assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
      // The RPC port does not serve metrics, and metrics are off without the flag.
      assert.notEqual((await fetch(`${node.httpUrl}/metrics`)).status, 200);
    } finally {
      await node.stop();
    }
  });

  it('is off unless asked for', async () => {
    const node = await spawnNode(['--dev', '--tmp', '--rpc-port', '0', '--sealing', 'manual']);
    try {
      assert.doesNotMatch(node.stdout(), /Prometheus/);
    } finally {
      await node.stop();
    }
  });
});
