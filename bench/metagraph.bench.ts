// Metagraph sync speed against a local tao-node (spawned here): a full and a lite sync of a
// 256-uid subnet (goal: full < 100 ms), a no-op and a one-row resync, and syncing every subnet of a
// 32-subnet network (goal: < 1 s). Each timing is over one long-lived SDK connection; the "node"
// rows time the same runtime calls made directly, to separate the node's share from the SDK's.
// Run: node --import tsx bench/metagraph.bench.ts   (BENCH_RUNS sets the repetitions, default 20)
import type { RuntimeCall } from '@taoscript/chain-types';
import { blake2_256, toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, rpcCall, spawnDevNode, spawnNode } from '@taoscript/testkit';
import {
  connect,
  type ExtrinsicResult,
  type SubtensorClient,
} from '../packages/sdk/src/client/index.js';
import { Metagraph } from '../packages/sdk/src/metagraph/index.js';
import { fmt, machine, out } from './support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 1000) throw new RangeError('BENCH_RUNS: 1..1000');
const TAO = 1_000_000_000n;
const alice = devKeypair('Alice');
const call = (pallet: string, name: string, value: unknown) =>
  ({ type: pallet, value: { type: name, value } }) as unknown as RuntimeCall;
const batchAll = (calls: RuntimeCall[]) => call('Utility', 'batch_all', { calls });
const admin = (name: string, value: Record<string, unknown>) => call('AdminUtils', name, value);
const key = (tag: string) => blake2_256(new TextEncoder().encode(tag));

function ok(what: string, r: ExtrinsicResult): void {
  if (!r.ok) throw new Error(`${what}: ${r.error.qualifiedName}`);
}
async function sudo(client: SubtensorClient, inner: RuntimeCall): Promise<void> {
  const r = await client.submit({ signer: alice, call: call('Sudo', 'sudo', { call: inner }) });
  ok('sudo', r);
  const s = r.events.find((e) => e.name === 'Sudid')?.event;
  if (s?.type !== 'Sudo' || s.value.type !== 'Sudid' || s.value.value.sudo_result.type !== 'Ok')
    throw new Error('sudo call failed');
}
/** Registers `count` fresh hotkeys on `netuid` from Alice, 64 per batch. */
async function fill(client: SubtensorClient, netuid: number, count: number): Promise<void> {
  const hotkeys = Array.from({ length: count }, (_, i) => key(`bench-${netuid}-${i}`));
  for (let i = 0; i < hotkeys.length; i += 64) {
    const regs = hotkeys
      .slice(i, i + 64)
      .map((hotkey) => call('SubtensorModule', 'burned_register', { netuid, hotkey }));
    ok('register', await client.submit({ signer: alice, call: batchAll(regs) }));
  }
}

interface Row {
  name: string;
  samples: number[];
  goal?: number;
}
async function time(name: string, runs: number, fn: () => Promise<unknown>, goal?: number) {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return { name, samples, ...(goal !== undefined ? { goal } : {}) } satisfies Row;
}
function table(title: string, rows: Row[]): void {
  out(`\n${title}`);
  out('| measurement | runs | min ms | median ms | p95 ms | max ms | goal |');
  out('|---|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const s = [...r.samples].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
    const goal =
      r.goal === undefined ? '' : `< ${r.goal} ms: ${q(0.5) < r.goal ? 'met' : 'MISSED'}`;
    out(
      `| ${r.name} | ${s.length} | ${fmt(s[0] as number, 1)} | ${fmt(q(0.5), 1)} | ${fmt(q(0.95), 1)} | ${fmt(s.at(-1) as number, 1)} | ${goal} |`,
    );
  }
}

const m = machine();
out(`# metagraph sync — ${m.model}, ${m.nproc} cores, node ${m.node}, load ${m.load}`);

// ---- a 256-uid subnet ------------------------------------------------------------------------
{
  const node = await spawnDevNode({ timeoutMs: 60_000 });
  const client = await connect({ network: node.wsUrl, env: {}, commits: '/tmp/.bench-commits' });
  try {
    const t0 = performance.now();
    await sudo(client, admin('sudo_set_admin_freeze_window', { window: 0 }));
    await sudo(
      client,
      batchAll([
        admin('sudo_set_max_allowed_uids', { netuid: 1, max_allowed_uids: 256 }),
        admin('sudo_set_weights_set_rate_limit', { netuid: 1, weights_set_rate_limit: 0n }),
      ]),
    );
    const owner = keypairFromUri('//Alice//subnet1');
    ok(
      'fund owner',
      await client.transfer({ signer: alice, dest: owner.publicKey, amount: 10n * TAO }),
    );
    await fill(client, 1, 255);
    // Weights from the owner so the matrices are not empty.
    const uids = Array.from({ length: 256 }, (_, i) => i);
    ok(
      'weights',
      await client.setWeights({
        signer: owner,
        netuid: 1,
        uids,
        weights: uids.map((i) => (i % 13) + 1),
        versionKey: 0n,
      }),
    );
    out(`set-up: 256 uids in ${fmt((performance.now() - t0) / 1000, 1)} s`);

    const head = await client.block();
    const args = toHex(new Uint8Array([1, 0]));
    const nodeOnly = () =>
      Promise.all([
        rpcCall(node.httpUrl, 'state_call', [
          'SubnetInfoRuntimeApi_get_metagraph',
          args,
          head.hash,
        ]),
        rpcCall(node.httpUrl, 'state_call', ['NeuronInfoRuntimeApi_get_neurons', args, head.hash]),
      ]);
    const full = new Metagraph(client, 1, { lite: false });
    const rows: Row[] = [
      await time('node: get_metagraph + get_neurons (HTTP, no decoding)', RUNS, nodeOnly),
      await time(
        'full sync, 256 uids (vectors + W + B)',
        RUNS,
        () => new Metagraph(client, 1, { lite: false }).sync({ at: head.hash }),
        100,
      ),
      await time('lite sync, 256 uids', RUNS, () =>
        new Metagraph(client, 1).sync({ at: head.hash }),
      ),
    ];
    await full.sync();
    rows.push(await time('resync, same block (no-op)', RUNS, () => full.resync()));
    let k = 0;
    const oneRow: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 10); i++) {
      ok(
        'weights',
        await client.setWeights({
          signer: owner,
          netuid: 1,
          uids: [k % 256, (k + 1) % 256],
          weights: [1, 2],
          versionKey: 0n,
        }),
      );
      k++;
      const t = performance.now();
      const r = await full.resync();
      oneRow.push(performance.now() - t);
      if (r.refreshed !== 'rows' && r.refreshed !== 'full')
        throw new Error(`resync ${r.refreshed}`);
    }
    rows.push({ name: 'resync after one set_weights (changed row only)', samples: oneRow });
    table('## one subnet, 256 uids', rows);
  } finally {
    await client.close();
    await node.stop();
  }
}

// ---- a 32-subnet network ---------------------------------------------------------------------
{
  const node = await spawnNode(
    [
      '--dev',
      '--tmp',
      '--rpc-port',
      '0',
      '--sealing',
      'instant',
      '--dev-subnets',
      '8',
      '--log',
      'warn',
    ],
    60_000,
  );
  const client = await connect({ network: node.wsUrl, env: {}, commits: '/tmp/.bench-commits' });
  try {
    const t0 = performance.now();
    await sudo(
      client,
      batchAll([
        admin('sudo_set_admin_freeze_window', { window: 0 }),
        admin('sudo_set_network_rate_limit', { rate_limit: 0n }),
        admin('sudo_set_lock_reduction_interval', { interval: 1n }),
      ]),
    );
    while ((await client.getNetuids()).length < 33) {
      const n = (await client.getNetuids()).length;
      ok(
        'register_network',
        await client.submit({
          signer: alice,
          call: call('SubtensorModule', 'register_network', { hotkey: key(`bench-owner-${n}`) }),
        }),
      );
    }
    const netuids = (await client.getNetuids()).filter((x) => x !== 0);
    const PER = Number(process.env.BENCH_UIDS_PER_SUBNET ?? 32);
    for (const netuid of netuids) await fill(client, netuid, PER - 1);
    out(
      `\nset-up: ${netuids.length} subnets (+ root) of ${PER} uids in ${fmt((performance.now() - t0) / 1000, 1)} s`,
    );
    const head = await client.block();
    const all = [0, ...netuids];
    const syncAll = (lite: boolean) =>
      Promise.all(all.map((n) => new Metagraph(client, n, { lite }).sync({ at: head.hash })));
    const runs = Math.max(3, Math.floor(RUNS / 4));
    table(`## ${all.length} subnets (root + ${netuids.length}), ${PER} uids each`, [
      await time(
        `full sync of every subnet (${all.length} in parallel)`,
        runs,
        () => syncAll(false),
        1000,
      ),
      await time(`lite sync of every subnet`, runs, () => syncAll(true)),
    ]);
  } finally {
    await client.close();
    await node.stop();
  }
}
