/**
 * The acceptance test of the inference subnet: `tao localnet up --detach` with
 * fixtures/localnet-inference.yaml (the default config's shape with a 10-block tempo) runs a real
 * node, two validators and honest / slow / lazy / garbage miners as processes; the chain's
 * metagraph must then pay the honest miner the most, the slow one less, the garbage one nothing,
 * and the validators dividends. `tao localnet down` must leave no process behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connect, Metagraph, type SubtensorClient } from '@taoscript/sdk';

const BIN = fileURLToPath(new URL('../bin/tao.mjs', import.meta.url));
const CONFIG = fileURLToPath(new URL('./fixtures/localnet-inference.yaml', import.meta.url));
const NETUID = 1;
/** Consecutive epochs that must pay out by quality (the first payouts precede any weights). */
const GOOD_EPOCHS = 3;
const DEADLINE_MS = 150_000;

const scratch = mkdtempSync(join(tmpdir(), 'tao-localnet-inference-'));
const dir = join(scratch, 'state');

interface Captured {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the `tao` bin as a process. */
async function tao(args: string[], timeoutMs = 120_000): Promise<Captured> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, out, err };
}

interface RecordedState {
  pid: number | null;
  endpoint: string | null;
  node: { pid: number | null };
  neurons: { name: string; hotkeyAddress: string; pid: number | null; state: string }[];
}

function recorded(): RecordedState {
  return JSON.parse(readFileSync(join(dir, 'localnet.json'), 'utf8')) as RecordedState;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

/** Pids of live processes whose command line mentions the state dir (Linux). */
function processesUsing(path: string): number[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes(path) && alive(Number(entry))) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** One look at the subnet: per-neuron incentive and dividends (u16 ratios as floats). */
interface Snapshot {
  block: number;
  lastStep: bigint;
  incentive: Record<string, number>;
  dividends: Record<string, number>;
  stake: Record<string, number>;
}

const MINERS = ['honest', 'slow', 'lazy', 'garbage', 'copier'].map((b) => `inference-miner-${b}`);
const VALIDATORS = ['inference-validator-1', 'inference-validator-2'];

/** What the test requires of a paid epoch; empty when it holds. */
function problems(s: Snapshot): string[] {
  const i = (n: string) => s.incentive[`inference-miner-${n}`] ?? 0;
  const total = MINERS.reduce((a, n) => a + (s.incentive[n] ?? 0), 0);
  const out: string[] = [];
  if (!(i('honest') > 0)) out.push('the honest miner earns nothing');
  for (const n of ['slow', 'lazy', 'garbage', 'copier'])
    if (!(i('honest') > i(n))) out.push(`honest ${i('honest')} is not above ${n} ${i(n)}`);
  if (!(i('slow') < i('honest'))) out.push('slow is not below honest');
  for (const n of ['garbage', 'copier'])
    if (!(i(n) < 0.05 * total)) out.push(`${n} ${i(n)} is ≥ 5% of ${total}`);
  for (const v of VALIDATORS)
    if (!((s.dividends[v] ?? 0) > 0)) out.push(`${v} earned no dividends`);
  return out;
}

describe('inference subnet on tao localnet', { timeout: 240_000 }, () => {
  let client: SubtensorClient | undefined;

  after(async () => {
    await client?.close();
    if (existsSync(join(dir, 'localnet.json'))) {
      const st = recorded();
      const pids = [st.pid, st.node.pid, ...st.neurons.map((n) => n.pid)];
      if (pids.some((p) => p !== null && alive(p))) await tao(['localnet', 'down', '--dir', dir]);
      for (const pid of [...pids, ...processesUsing(dir)])
        if (pid !== null && alive(pid))
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            process.kill(pid, 'SIGKILL');
          }
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('pays honest > slow > garbage ≈ 0, the validators dividends, and stops cleanly', async (t) => {
    const started = performance.now();
    const up = await tao(['localnet', 'up', '--detach', '--config', CONFIG, '--dir', dir]);
    assert.equal(up.code, 0, `${up.err}\n${up.out}`);
    const st = recorded();
    assert.ok(st.endpoint, 'the endpoint is recorded');
    t.diagnostic(`up --detach returned after ${Math.round(performance.now() - started)} ms`);

    client = await connect({ chainEndpoint: st.endpoint, env: {} });
    const mg = new Metagraph(client, NETUID);
    await mg.sync();
    const uidOf = new Map(st.neurons.map((n) => [n.name, mg.uidOf(n.hotkeyAddress)]));
    for (const name of [...VALIDATORS, ...MINERS])
      assert.notEqual(uidOf.get(name), undefined, `${name} is registered`);
    assert.equal(
      uidOf.get('inference-miner-honest'),
      3,
      'the copier relays to uid 3: the honest one',
    );

    const snap = (): Snapshot => {
      const pick = (v: ArrayLike<number>) =>
        Object.fromEntries(
          [...uidOf].map(([name, uid]) => [name, uid === undefined ? 0 : (v[uid] ?? 0)]),
        );
      return {
        block: mg.block,
        lastStep: mg.info?.last_step ?? 0n,
        incentive: pick(mg.I),
        dividends: pick(mg.D),
        stake: pick(mg.S),
      };
    };

    // Poll until several consecutive epochs have paid out by quality. An epoch pays out when it
    // gives incentive and dividends; the first ones do so before any weights are set (evenly), so
    // what counts is a run of paying epochs that each meet the requirements.
    const paid: Snapshot[] = [];
    let good = 0;
    let last = snap();
    while (good < GOOD_EPOCHS && performance.now() - started < DEADLINE_MS) {
      await new Promise((r) => setTimeout(r, 1000));
      await mg.resync();
      const s = snap();
      last = s;
      const pays =
        Object.values(s.incentive).some((x) => x > 0) &&
        Object.values(s.dividends).some((x) => x > 0);
      if (!pays || paid.at(-1)?.lastStep === s.lastStep) continue;
      paid.push(s);
      good = problems(s).length === 0 ? good + 1 : 0;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const row = (n: string) =>
      `${n} uid ${uidOf.get(n)}: I=${(last.incentive[n] ?? 0).toFixed(4)} ` +
      `D=${(last.dividends[n] ?? 0).toFixed(4)} S=${(last.stake[n] ?? 0).toFixed(2)}`;
    t.diagnostic(
      `after ${seconds} s, block ${last.block}: ${paid.length} paying epoch(s), the last ${good} by quality`,
    );
    for (const n of ['inference-owner', ...VALIDATORS, ...MINERS]) t.diagnostic(row(n));

    // Every neuron is still running (none crashed along the way).
    const now = recorded();
    for (const n of now.neurons.filter((x) => x.name !== 'inference-owner'))
      assert.equal(n.state, 'running', `${n.name} is ${n.state}`);
    assert.deepEqual(problems(last), [], `at block ${last.block}`);
    assert.equal(good, GOOD_EPOCHS, `${GOOD_EPOCHS} epochs in a row paid by quality`);
    const i = (b: string) => last.incentive[`inference-miner-${b}`] ?? 0;
    assert.ok(i('slow') > i('lazy'), `slow ${i('slow')} > lazy ${i('lazy')}`);

    await client.close();
    client = undefined;
    const pids = [now.pid, now.node.pid, ...now.neurons.map((n) => n.pid)].filter(
      (p): p is number => p !== null,
    );
    assert.equal(pids.length, 9, 'supervisor, node and seven neurons');
    const down = await tao(['localnet', 'down', '--dir', dir]);
    assert.equal(down.code, 0, down.err);
    assert.match(down.out, /localnet stopped/);
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
    assert.deepEqual(processesUsing(dir), [], 'no process still uses the state dir');
    t.diagnostic(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
});
