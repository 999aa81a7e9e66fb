/**
 * `tao localnet` end to end: a real node and real neuron processes (tiny fixture scripts) in a
 * temp state dir. up --detach, status, down, up again in the foreground (resuming the same chain),
 * Ctrl-C, reset.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SubtensorStorage as S } from '@taoscript/chain-types';
import { connect, type SubtensorClient, Wallet } from '@taoscript/sdk';
import { waitFor } from '@taoscript/testkit';
import type { Io } from '../src/io.js';
import { freePort } from '../src/localnet/processes.js';
import {
  layout,
  pidAlive,
  type RuntimeState,
  readRuntimeState,
} from '../src/localnet/state-dir.js';
import type { StatusReport } from '../src/localnet/status.js';
import { main } from '../src/main.js';

const FIXTURES = resolve(fileURLToPath(new URL('./fixtures/', import.meta.url)));
const BIN = fileURLToPath(new URL('../bin/tao.mjs', import.meta.url));
const TAO = 1_000_000_000n;
const NAMES = ['e2e-owner', 'e2e-v1', 'e2e-v2', 'e2e-m1', 'e2e-m2', 'e2e-m3'];

const scratch = mkdtempSync(join(tmpdir(), 'tao-localnet-e2e-'));
const dir = join(scratch, 'state');
const l = layout(dir);
const cfgPath = join(scratch, 'localnet.yaml');

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function tao(args: string[]): Promise<Captured> {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: false,
  };
  return { code: await main(args, io), out, err };
}

function state(): RuntimeState {
  const st = readRuntimeState(l);
  assert.ok(st, 'localnet.json');
  return st;
}

/** Every pid the localnet records: supervisor, node, neurons. */
function pids(st: RuntimeState): number[] {
  return [st.pid, st.node.pid, ...st.neurons.map((n) => n.pid)].filter(
    (p): p is number => p !== null,
  );
}

const alive = (...args: string[]) => JSON.stringify(['node', 'localnet-alive.mjs', ...args]);

function configText(rpcPort: number, axonPort: number): string {
  return `# written by localnet-e2e.test.ts
workdir: ${JSON.stringify(FIXTURES)}
chain:
  rpc_port: ${rpcPort}
  block_time_ms: 250
  node_log: warn
subnets:
  - name: e2e
    netuid: 1
    tempo: 10
    hyperparameters:
      weights_set_rate_limit: 0
      commit_reveal_weights_enabled: false
      min_allowed_uids: 0
      max_allowed_uids: 16
    owner:
      wallet: e2e-owner
      fund: 5000
      command: ${alive('--role', 'owner')}
    validators:
      - wallet: e2e-v1
        stake: 300
        command: [node, --import, tsx, localnet-weights.ts, --netuid, '{netuid}',
          --wallet.name, '{wallet.name}', --wallet.hotkey, '{wallet.hotkey}',
          --wallet.path, '{wallet.path}', --subtensor.chain_endpoint, '{chain_endpoint}',
          --axon.port, '{axon.port}', --logging.logging_dir, '{logs}']
      - wallet: e2e-v2
        hotkey: hot2
        stake: 100
        env: { LOCALNET_TEST: 'v2 on {netuid}' }
        command: ${alive('--netuid', '{netuid}', '--endpoint', '{chain_endpoint}', '--wallet', '{wallet.path}/{wallet.name}/{wallet.hotkey}')}
    miners:
      - wallet: e2e-m1
        axon_port: ${axonPort}
        command: ${alive('--axon.port', '{axon.port}')}
      - wallet: e2e-m2
        command: ${alive('--exit', '3')}
      - wallet: e2e-m3
`;
}

/** The JSON line the alive fixture prints first. */
function fixtureStart(name: string): { pid: number; args: string[]; cwd: string; env?: string } {
  const line = readFileSync(join(l.logs, `${name}.log`), 'utf8')
    .split('\n')
    .find((x) => x.startsWith('{'));
  assert.ok(line, `${name} printed its start line`);
  return JSON.parse(line);
}

async function keysOf(name: string, hotkey = 'default') {
  const w = new Wallet({ name, hotkey, path: l.wallets, env: {}, prompt: false });
  return { wallet: w, coldkey: await w.getColdkeypub(), hotkey: await w.getHotkeypub() };
}

describe('tao localnet end to end', () => {
  let rpcPort: number;
  let axonPort: number;
  let endpoint: string;
  let client: SubtensorClient | undefined;
  let lastBlock = 0;
  let foreground: ChildProcess | undefined;

  before(async () => {
    rpcPort = await freePort();
    do axonPort = await freePort();
    while (axonPort === rpcPort);
    endpoint = `ws://127.0.0.1:${rpcPort}`;
    writeFileSync(cfgPath, configText(rpcPort, axonPort));
  });

  after(async () => {
    await client?.close();
    if (foreground && foreground.exitCode === null) foreground.kill('SIGKILL');
    const st = readRuntimeState(l);
    for (const pid of st ? pids(st) : [])
      if (pidAlive(pid))
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          process.kill(pid, 'SIGKILL');
        }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('up --detach starts the chain, creates the subnet and neurons and runs them', async () => {
    const r = await tao(['localnet', 'up', '--config', cfgPath, '--dir', dir, '--detach']);
    assert.equal(r.code, 0, `${r.err}\n${r.out}`);
    assert.match(r.out, /localnet running in the background \(pid \d+\)/);
    assert.match(r.out, new RegExp(`endpoint  ${endpoint}`));
    const st = state();
    assert.equal(st.phase, 'running');
    assert.equal(st.endpoint, endpoint);
    assert.ok(st.pid !== null && pidAlive(st.pid), 'the supervisor runs');
    assert.equal(Number(readFileSync(l.pidFile, 'utf8')), st.pid);
    assert.ok(existsSync(l.supervisorLog));

    const again = await tao(['localnet', 'up', '--config', cfgPath, '--dir', dir, '--detach']);
    assert.equal(again.code, 2);
    assert.match(again.err, /already running in .* \(pid \d+\)/);

    client = await connect({ chainEndpoint: endpoint, env: {} });
    const b0 = await client.getCurrentBlock();
    await waitFor(async () => ((await client?.getCurrentBlock()) ?? 0) > b0 + 2, 'blocks');

    // The subnet: created by its owner as netuid 1, tuned, started, emitting.
    const owner = await keysOf('e2e-owner');
    assert.deepEqual(await client.getNetuids(), [0, 1]);
    assert.deepEqual(await client.query(S.SubnetOwner, [1]), owner.coldkey.publicKey);
    assert.deepEqual(await client.query(S.SubnetOwnerHotkey, [1]), owner.hotkey.publicKey);
    assert.ok((await client.query(S.FirstEmissionBlockNumber, [1])) !== undefined, 'started');
    assert.equal(await client.query(S.Tempo, [1]), 10);
    assert.equal(await client.query(S.MaxAllowedUids, [1]), 16);
    assert.equal(await client.query(S.WeightsSetRateLimit, [1]), 0n);
    assert.equal(await client.query(S.SubnetEmissionEnabled, [1]), true);
    assert.equal(await client.query(S.NetworkRateLimit, []), 0n);
    assert.equal(
      new TextDecoder().decode((await client.query(S.SubnetIdentitiesV3, [1]))?.subnet_name),
      'e2e',
    );

    // Neurons: registered in config order, validators staked, wallets unencrypted on disk.
    const keys = await Promise.all([
      keysOf('e2e-owner'),
      keysOf('e2e-v1'),
      keysOf('e2e-v2', 'hot2'),
      keysOf('e2e-m1'),
      keysOf('e2e-m2'),
      keysOf('e2e-m3'),
    ]);
    for (const [uid, k] of keys.entries()) {
      assert.equal(await client.getUidForHotkey(1, k.hotkey.publicKey), uid, NAMES[uid]);
      assert.equal(await k.wallet.coldkeyFile.isEncrypted(), false);
    }
    const stakeOf = (i: number) =>
      (client as SubtensorClient).getStake({
        coldkey: keys[i]?.coldkey.publicKey as Uint8Array,
        hotkey: keys[i]?.hotkey.publicKey as Uint8Array,
        netuid: 1,
      });
    const [v1, v2, m1] = [await stakeOf(1), await stakeOf(2), await stakeOf(3)];
    assert.ok(v1 > 100n * TAO && v1 <= 300n * TAO, `v1 stake ${v1}`);
    assert.ok(v2 > 10n * TAO && v2 <= 100n * TAO && v2 < v1, `v2 stake ${v2}`);
    assert.equal(m1, 0n);
    assert.ok((await client.getBalance(keys[3]?.hotkey.publicKey as Uint8Array)) > 0n);

    // Processes: running, one exited with its code, one without a command; logs with the
    // placeholders filled in.
    await waitFor(
      () => state().neurons.find((n) => n.name === 'e2e-m2')?.state === 'exited',
      'e2e-m2 exits',
    );
    const neurons = state().neurons;
    assert.deepEqual(
      neurons.map((n) => n.name),
      NAMES,
    );
    const m2 = neurons.find((n) => n.name === 'e2e-m2');
    assert.equal(m2?.exitCode, 3);
    const m3 = neurons.find((n) => n.name === 'e2e-m3');
    assert.equal(m3?.state, 'none');
    assert.equal(m3?.pid, null);
    for (const n of neurons.filter((x) => !['e2e-m2', 'e2e-m3'].includes(x.name))) {
      assert.equal(n.state, 'running', n.name);
      assert.ok(n.pid !== null && pidAlive(n.pid), `${n.name} is alive`);
      assert.equal(n.netuid, 1);
    }
    const v2Start = fixtureStart('e2e-v2');
    assert.deepEqual(v2Start.args, [
      '--netuid',
      '1',
      '--endpoint',
      endpoint,
      '--wallet',
      join(l.wallets, 'e2e-v2', 'hot2'),
    ]);
    assert.equal(v2Start.env, 'v2 on 1');
    assert.equal(v2Start.cwd, FIXTURES);
    assert.equal(v2Start.pid, neurons.find((n) => n.name === 'e2e-v2')?.pid);
    assert.deepEqual(fixtureStart('e2e-m1').args, ['--axon.port', String(axonPort)]);
    assert.deepEqual(fixtureStart('e2e-owner').args, ['--role', 'owner']);

    // The SDK validator found its wallet and endpoint and got weights onto the chain.
    await waitFor(
      () => readFileSync(join(l.logs, 'e2e-v1.log'), 'utf8').includes('weights set at block'),
      'e2e-v1 sets weights',
      45_000,
    );
    assert.ok((await client.blocksSinceLastUpdate(1, 1)) !== undefined);
  });

  it('status --json-output reports the chain, the processes and the metagraph', async () => {
    const r = await tao(['localnet', 'status', '--dir', dir, '--json-output']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as StatusReport;
    assert.equal(report.running, true);
    assert.equal(report.phase, 'running');
    assert.equal(report.endpoint, endpoint);
    assert.ok((report.block ?? 0) > 0);
    assert.deepEqual(report.subnets, [
      { name: 'e2e', netuid: 1, exists: true, started: true, tempo: 10, n: 6 },
    ]);
    assert.deepEqual(
      report.neurons.map((n) => [n.name, n.uid, n.process]),
      [
        ['e2e-owner', 0, 'running'],
        ['e2e-v1', 1, 'running'],
        ['e2e-v2', 2, 'running'],
        ['e2e-m1', 3, 'running'],
        ['e2e-m2', 4, 'exited'],
        ['e2e-m3', 5, 'none'],
      ],
    );
    const byName = new Map(report.neurons.map((n) => [n.name, n]));
    assert.ok(
      BigInt(byName.get('e2e-v1')?.stake ?? '0') > BigInt(byName.get('e2e-v2')?.stake ?? '0'),
    );
    assert.ok(BigInt(byName.get('e2e-v2')?.stake ?? '0') > 0n);
    assert.equal(byName.get('e2e-m2')?.exitCode, 3);
    assert.equal(byName.get('e2e-m1')?.axonPort, axonPort);
    for (const n of report.neurons) {
      assert.equal(typeof n.incentive, 'number');
      assert.equal(typeof n.dividends, 'number');
      assert.match(n.emission ?? '', /^\d+$/);
    }

    const table = await tao(['localnet', 'status', '--dir', dir]);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /subnet e2e: netuid 1, started, tempo 10, 6 uids/);
    assert.match(table.out, /e2e-m2\s+miner\s+1\s+exited 3\s+4/);
    assert.match(table.out, /e2e-v1\s+validator\s+1\s+running \d+\s+1/);
  });

  it('down stops every neuron, the node and the supervisor', async () => {
    lastBlock = await (client as SubtensorClient).getCurrentBlock();
    await client?.close();
    client = undefined;
    const before = state();
    const all = pids(before);
    assert.equal(all.length, 7, 'supervisor, node and 5 neuron processes');
    const r = await tao(['localnet', 'down', '--dir', dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /localnet stopped \(pid \d+/);
    for (const pid of all) assert.equal(pidAlive(pid), false, `pid ${pid} is gone`);
    assert.equal(existsSync(l.pidFile), false);
    const after = state();
    assert.equal(after.phase, 'stopped');
    assert.equal(after.node.state, 'stopped');
    assert.match(readFileSync(join(l.logs, 'e2e-owner.log'), 'utf8'), /stopping on SIGTERM/);
    const status = await tao(['localnet', 'status', '--dir', dir]);
    assert.equal(status.code, 1);
    assert.match(status.out, /no localnet is running .*last: stopped/);
    const twice = await tao(['localnet', 'down', '--dir', dir]);
    assert.equal(twice.code, 0);
    assert.match(twice.out, /no localnet is running/);
  });

  it('up in the foreground resumes the same chain and stops cleanly on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'localnet', 'up', '--config', cfgPath, '--dir', dir, '--refresh-ms', '500'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    foreground = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<[number | null, string | null]>((res) =>
      child.once('exit', (code, signal) => res([code, signal])),
    );
    const line = await waitFor(
      () => /\] block (\d+) \| .*e2e-m1 running/.exec(out),
      `a status line (stdout: ${out} stderr: ${err})`,
      60_000,
    );
    assert.ok(Number(line[1]) >= lastBlock, `the chain continues (${line[1]} >= ${lastBlock})`);
    assert.doesNotMatch(out, /creating subnet|registering|funding|staking/, 'nothing re-created');

    client = await connect({ chainEndpoint: endpoint, env: {} });
    assert.deepEqual(await client.getNetuids(), [0, 1]);
    assert.equal(await client.getSubnetworkN(1), 6);
    const v1 = await keysOf('e2e-v1');
    assert.equal(await client.getUidForHotkey(1, v1.hotkey.publicKey), 1);
    await client.close();
    client = undefined;

    const running = state();
    assert.equal(running.pid, child.pid);
    const all = pids(running);
    assert.equal(all.length, 7);
    child.kill('SIGINT');
    assert.deepEqual(await exited, [0, null], err);
    assert.match(out, /SIGINT: stopping/);
    assert.match(out, /localnet: stopped/);
    for (const pid of all) assert.equal(pidAlive(pid), false, `pid ${pid} is gone`);
    assert.equal(existsSync(l.pidFile), false);
    assert.equal(state().phase, 'stopped');
  });

  it('down after the supervisor was killed stops the processes it left behind', async () => {
    const r = await tao([
      'localnet',
      'up',
      '--config',
      cfgPath,
      '--dir',
      dir,
      '--detach',
      '--json-output',
    ]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as StatusReport;
    assert.equal(report.running, true);
    assert.deepEqual(report.subnets[0], {
      name: 'e2e',
      netuid: 1,
      exists: true,
      started: true,
      tempo: 10,
      n: 6,
    });
    assert.deepEqual(
      report.neurons.map((n) => n.uid),
      [0, 1, 2, 3, 4, 5],
    );
    const st = state();
    const all = pids(st);
    assert.equal(all.length, 7);
    const supervisor = st.pid as number;
    process.kill(supervisor, 'SIGKILL');
    await waitFor(() => !pidAlive(supervisor), 'the supervisor dies');
    assert.ok(pidAlive(st.node.pid as number), 'the node outlives it');
    const down = await tao(['localnet', 'down', '--dir', dir]);
    assert.equal(down.code, 0, down.err);
    assert.match(down.out, /localnet stopped \([56] leftover process\(es\) of a dead supervisor/);
    assert.match(down.err, /died without stopping its processes/);
    for (const pid of all) assert.equal(pidAlive(pid), false, `pid ${pid} is gone`);
    assert.equal(state().phase, 'stopped');
  });

  it('reset removes the state dir', async () => {
    const r = await tao(['localnet', 'reset', '--dir', dir, '--yes']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /removed /);
    assert.equal(existsSync(dir), false);
  });
});

describe('tao node run', () => {
  it('runs tao-node with the given flags, forwards SIGTERM and exits with its code', async () => {
    const child = spawn(
      process.execPath,
      // `tao node <flags>` is `tao node run <flags>` (the group's default verb).
      [BIN, 'node', '--dev', '--tmp', '--rpc-port', '0', '--log', 'warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<[number | null, string | null]>((res) =>
      child.once('exit', (code, signal) => res([code, signal])),
    );
    await waitFor(
      () => /Running JSON-RPC server: addr=127\.0\.0\.1:\d+/.test(out),
      'the node serves',
    );
    const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number)
      .filter((p) => p > 0);
    assert.equal(kids.length, 1, 'tao-node is a child of tao');
    child.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null]);
    for (const pid of kids) assert.equal(pidAlive(pid), false, 'the node stopped');

    const bad = spawn(process.execPath, [BIN, 'node', 'run', '--bogus'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    bad.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const [code] = await new Promise<[number | null]>((res) => bad.once('exit', (c) => res([c])));
    assert.equal(code, 2);
    assert.match(err, /Unknown option '--bogus'/);
  });
});
