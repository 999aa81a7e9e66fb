import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNodeMetrics, RPC_TIME_BUCKETS_US } from './index.js';
import { parseExposition } from './test-fixtures/parse-exposition.js';

test('uses Substrate names and types, plus the taoscript extras', () => {
  const m = createNodeMetrics();
  const parsed = parseExposition(m.render());
  const types = Object.fromEntries([...parsed.values()].map((f) => [f.name, f.type]));
  assert.deepEqual(types, {
    substrate_block_height: 'gauge',
    substrate_ready_transactions_number: 'gauge',
    taoscript_future_transactions_number: 'gauge',
    taoscript_extrinsics_total: 'counter',
    substrate_rpc_calls_started: 'counter',
    substrate_rpc_calls_time: 'histogram',
    substrate_proposer_block_constructed: 'histogram',
  });
  assert.deepEqual(parsed.get('substrate_block_height')?.samples, [
    { name: 'substrate_block_height', labels: { status: 'best' }, value: 0 },
    { name: 'substrate_block_height', labels: { status: 'finalized' }, value: 0 },
  ]);
  assert.equal(m.render(), m.registry.render());
});

test('each handle writes the series it names', () => {
  const m = createNodeMetrics();
  m.bestBlock.set(12);
  m.finalizedBlock.set(10);
  m.poolReady.set(3);
  m.poolFuture.set(1);
  m.extrinsicsTotal.inc(5);
  m.extrinsicsTotal.inc();
  m.rpcCalls.inc(1, { method: 'chain_getHeader' });
  m.rpcCalls.inc(1, { method: 'chain_getHeader' });
  m.rpcCalls.inc(1, { method: 'author_submitExtrinsic' });
  m.blockAuthorSeconds.observe(0.03);
  const parsed = parseExposition(m.render());
  const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
    [...parsed.values()]
      .flatMap((f) => f.samples)
      .find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
  assert.equal(value('substrate_block_height', { status: 'best' }), 12);
  assert.equal(value('substrate_block_height', { status: 'finalized' }), 10);
  assert.equal(value('substrate_ready_transactions_number'), 3);
  assert.equal(value('taoscript_future_transactions_number'), 1);
  assert.equal(value('taoscript_extrinsics_total'), 6);
  assert.equal(value('substrate_rpc_calls_started', { method: 'chain_getHeader' }), 2);
  assert.equal(value('substrate_rpc_calls_started', { method: 'author_submitExtrinsic' }), 1);
  assert.equal(value('substrate_proposer_block_constructed_bucket', { le: '0.025' }), 0);
  assert.equal(value('substrate_proposer_block_constructed_bucket', { le: '0.05' }), 1);
  assert.equal(value('substrate_proposer_block_constructed_count'), 1);
});

test('rpc latency is observed in seconds and exposed in microseconds like Substrate', () => {
  const m = createNodeMetrics();
  m.rpcLatency.observe(0.0003, { method: 'state_getStorage' }); // 300 μs
  m.rpcLatency.observe(2, { method: 'state_getStorage' }); // 2 s
  const f = parseExposition(m.render()).get('substrate_rpc_calls_time')!;
  assert.equal(f.help, 'Total time [μs] of processed RPC calls');
  const buckets = f.samples.filter((s) => s.name.endsWith('_bucket'));
  assert.deepEqual(
    buckets.map((s) => s.labels.le),
    [...RPC_TIME_BUCKETS_US.map(String), '+Inf'],
  );
  const at = (le: string) => buckets.find((s) => s.labels.le === le)!.value;
  assert.equal(at('100'), 0);
  assert.equal(at('500'), 1);
  assert.equal(at('1000000'), 1);
  assert.equal(at('10000000'), 2);
  const sum = f.samples.find((s) => s.name.endsWith('_sum'))!.value;
  assert.ok(Math.abs(sum - 2_000_300) < 1e-6);
  assert.ok(buckets.every((s) => s.labels.method === 'state_getStorage'));
});

test('the prefix replaces "substrate" only', () => {
  const names = [...parseExposition(createNodeMetrics('polkadot').render()).keys()];
  assert.ok(names.includes('polkadot_block_height'));
  assert.ok(names.includes('polkadot_ready_transactions_number'));
  assert.ok(names.includes('polkadot_rpc_calls_time'));
  assert.ok(names.includes('taoscript_extrinsics_total'));
  assert.ok(!names.some((n) => n.startsWith('substrate')));
});

test('bad prefixes and hostile rpc method names are handled', () => {
  assert.throws(() => createNodeMetrics(''), RangeError);
  assert.throws(() => createNodeMetrics('a-b'), RangeError);
  assert.throws(() => createNodeMetrics('x_block_height{status="best"} 1\n#'), RangeError);
  assert.throws(() => createNodeMetrics(7 as unknown as string), TypeError);
  const m = createNodeMetrics();
  const method = 'x"} 1\nsubstrate_block_height{status="best"} 999999\n';
  m.rpcCalls.inc(1, { method });
  const parsed = parseExposition(m.render());
  assert.equal(
    parsed.get('substrate_block_height')?.samples.find((s) => s.labels.status === 'best')?.value,
    0,
  );
  assert.deepEqual(parsed.get('substrate_rpc_calls_started')?.samples[0]?.labels, { method });
  assert.throws(() => m.bestBlock.set(1, { status: 'finalized' }), TypeError);
});
