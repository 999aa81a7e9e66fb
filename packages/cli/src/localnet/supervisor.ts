/**
 * The localnet supervisor (`tao localnet up` in the foreground, or the background process of
 * `--detach`): starts the node, brings the chain to the config, runs the neurons, shows their
 * status until SIGINT/SIGTERM, then stops the neurons and the node.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type SubtensorClient, Wallet } from '@taoscript/sdk';
import type { Io } from '../io.js';
import { type LocalnetConfig, type NeuronSpec, type Placeholder, substitute } from './config.js';
import {
  freePort,
  hasExited,
  type NodeProcess,
  spawnNeuron,
  startNode,
  stopProcess,
} from './processes.js';
import { type NeuronKeys, SetupError, setupChain } from './setup.js';
import {
  acquirePidFile,
  type NeuronRecord,
  newRuntimeState,
  prepareStateDir,
  type RuntimeState,
  releasePidFile,
  type StateLayout,
  writeRuntimeState,
} from './state-dir.js';
import { collectStatus, renderLine, renderTable } from './status.js';

/** Options of {@link runSupervisor}. */
export interface SupervisorOptions {
  config: LocalnetConfig;
  layout: StateLayout;
  /** NDJSON status documents on stdout instead of a table. */
  json: boolean;
  /** Status refresh period (default 1000 ms on a TTY, 5000 ms otherwise). */
  refreshMs?: number;
  io: Io;
}

/** How long the chain gets to produce its next block after the node serves RPC. */
const FIRST_BLOCK_TIMEOUT_MS = 30_000;

/** Creates (if missing) each neuron's wallet with unencrypted keys and loads its keys. */
export async function loadWallets(
  config: LocalnetConfig,
  walletsDir: string,
): Promise<Map<string, NeuronKeys>> {
  const keys = new Map<string, NeuronKeys>();
  for (const n of config.neurons) {
    const w = new Wallet({
      name: n.wallet,
      hotkey: n.hotkey,
      path: walletsDir,
      env: {},
      prompt: false,
    });
    await w.create({ coldkey: { usePassword: false }, hotkey: { usePassword: false } });
    keys.set(n.name, {
      coldkey: await w.getColdkey({ prompt: false }),
      hotkey: await w.getHotkey({ prompt: false }),
    });
  }
  return keys;
}

/** Resolves after `ms`, or as soon as `signal` aborts or `also` settles. */
function pause(ms: number, signal: AbortSignal, also: Promise<unknown>): Promise<void> {
  return new Promise((res) => {
    if (signal.aborted) return res();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      res();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    void also.then(done, done);
  });
}

/** Polls until the chain's best block moves past where it was. */
async function waitForBlocks(client: SubtensorClient, signal: AbortSignal): Promise<number> {
  const start = await client.getCurrentBlock();
  const deadline = Date.now() + FIRST_BLOCK_TIMEOUT_MS;
  for (;;) {
    const now = await client.getCurrentBlock();
    if (now > start) return now;
    if (signal.aborted) throw new SetupError('interrupted');
    if (Date.now() > deadline) throw new SetupError('the node produces no blocks');
    await pause(100, signal, new Promise(() => {}));
  }
}

/** The `localnet up` supervisor; resolves to the exit code once everything is stopped. */
export async function runSupervisor(o: SupervisorOptions): Promise<number> {
  const { config, layout: l, io } = o;
  const tty = process.stdout.isTTY === true && !o.json;
  const refreshMs = o.refreshMs ?? (tty ? 1_000 : 5_000);
  const say = (line: string) => (o.json ? io.stderr : io.stdout)(`localnet: ${line}\n`);

  prepareStateDir(l);
  acquirePidFile(l, process.pid);
  const state: RuntimeState = newRuntimeState(process.pid, config.source);
  state.subnets = config.file.subnets.map((s) => ({ name: s.name, netuid: s.netuid ?? null }));
  const save = () => writeRuntimeState(l, state);
  save();

  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (stop.signal.aborted) return;
    say(`${sig}: stopping`);
    stop.abort(new SetupError('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Aborted by a signal or by the node dying: whatever is waiting on the chain gives up.
  const halt = new AbortController();
  stop.signal.addEventListener('abort', () => halt.abort(stop.signal.reason), { once: true });

  let node: NodeProcess | undefined;
  let client: SubtensorClient | undefined;
  const children = new Map<string, ChildProcess>();
  let failure: string | undefined;
  try {
    const keys = await loadWallets(config, l.wallets);
    state.neurons = config.neurons.map(
      (n): NeuronRecord => ({
        name: n.name,
        role: n.role,
        subnet: config.file.subnets[n.subnet]?.name ?? '',
        netuid: null,
        wallet: n.wallet,
        hotkey: n.hotkey,
        coldkeyAddress: keys.get(n.name)?.coldkey.ss58Address ?? '',
        hotkeyAddress: keys.get(n.name)?.hotkey.ss58Address ?? '',
        pid: null,
        state: n.command ? 'pending' : 'none',
        exitCode: null,
        signal: null,
        error: null,
        log: n.command ? join(l.logs, `${n.name}.log`) : null,
        axonPort: null,
      }),
    );
    save();

    say(`starting tao-node (state in ${l.chain})`);
    node = await startNode({
      basePath: l.chain,
      rpcPort: config.file.chain.rpc_port,
      blockTimeMs: config.file.chain.block_time_ms,
      log: config.file.chain.node_log,
      logFile: join(l.logs, 'node.log'),
    });
    state.node = { pid: node.pid, state: 'running' };
    state.endpoint = node.endpoint;
    save();
    const nodeExit = node.exited;
    void nodeExit.then((code) => {
      if (state.node.state === 'running') {
        state.node = { pid: state.node.pid, state: 'exited' };
        if (!stop.signal.aborted) failure = `tao-node exited unexpectedly (${code})`;
        halt.abort(new SetupError(`tao-node exited (${code})`));
      }
    });

    client = await connect({ chainEndpoint: node.endpoint, env: {}, signal: halt.signal });
    const first = await waitForBlocks(client, halt.signal);
    say(`chain at ${node.endpoint} is producing blocks (best ${first})`);

    state.phase = 'setup';
    save();
    const netuids = await setupChain({
      client,
      config,
      keys,
      log: say,
      signal: halt.signal,
    });
    state.subnets.forEach((s, i) => {
      s.netuid = netuids[i] ?? null;
    });
    for (const r of state.neurons) {
      const spec = config.neurons.find((n) => n.name === r.name) as NeuronSpec;
      r.netuid = netuids[spec.subnet] ?? null;
    }
    save();

    for (const spec of config.neurons) {
      if (stop.signal.aborted) break;
      const record = state.neurons.find((r) => r.name === spec.name) as NeuronRecord;
      if (!spec.command) continue;
      const axonPort = spec.axonPort ?? (await freePort());
      const logsDir = join(l.logs, spec.name);
      mkdirSync(logsDir, { recursive: true });
      const values: Record<Placeholder, string> = {
        netuid: String(record.netuid),
        name: spec.name,
        'wallet.name': spec.wallet,
        'wallet.hotkey': spec.hotkey,
        'wallet.path': l.wallets,
        chain_endpoint: node.endpoint,
        'axon.port': String(axonPort),
        logs: logsDir,
        dir: l.dir,
      };
      const env = Object.fromEntries(
        Object.entries(spec.env).map(([k, v]) => [k, substitute(v, values)]),
      );
      const child = spawnNeuron({
        argv: spec.command.map((a) => substitute(a, values)),
        cwd: config.workdir,
        env,
        logFile: record.log as string,
      });
      children.set(spec.name, child);
      record.pid = child.pid ?? null;
      record.state = child.pid === undefined ? 'failed' : 'running';
      record.axonPort = axonPort;
      child.once('error', (err) => {
        record.state = 'failed';
        record.error = err.message;
        save();
      });
      child.once('exit', (code, signal) => {
        if (record.state === 'failed') return;
        record.state = stop.signal.aborted ? 'stopped' : 'exited';
        record.exitCode = code;
        record.signal = signal;
        save();
      });
    }
    if (!stop.signal.aborted) {
      state.phase = 'running';
      save();
      say(
        `running: ${children.size} neuron process(es), endpoint ${node.endpoint}, logs in ${l.logs} (Ctrl-C stops)`,
      );
    }

    let drawn = 0;
    while (!stop.signal.aborted && failure === undefined) {
      try {
        const report = await collectStatus(l.dir, true, state, client);
        if (o.json) io.stdout(`${JSON.stringify(report)}\n`);
        else if (tty) {
          const table = renderTable(report);
          io.stdout(`${drawn > 0 ? `\x1b[${drawn}F\x1b[0J` : ''}${table}`);
          drawn = table.split('\n').length - 1;
        } else io.stdout(renderLine(report));
      } catch (err) {
        if (!stop.signal.aborted && failure === undefined)
          io.stderr(`localnet: status read failed: ${(err as Error).message}\n`);
      }
      await pause(refreshMs, stop.signal, nodeExit);
    }
  } catch (err) {
    if (!stop.signal.aborted) failure ??= (err as Error)?.message ?? String(err);
  } finally {
    state.phase = 'stopping';
    save();
    await Promise.all(
      [...children.values()].filter((c) => !hasExited(c)).map((c) => stopProcess(c)),
    );
    for (const r of state.neurons) if (r.state === 'running') r.state = 'stopped';
    await client?.close();
    if (node) {
      state.node.state = 'stopped';
      await stopProcess(node.child);
    }
    state.phase = failure === undefined ? 'stopped' : 'failed';
    state.error = failure ?? null;
    save();
    releasePidFile(l, process.pid);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (failure !== undefined) {
    io.stderr(`error: localnet: ${failure}\n`);
    return 1;
  }
  say('stopped');
  return 0;
}
