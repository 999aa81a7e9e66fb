/** `tao localnet up | down | status | reset`: flags, the detached start, and stopping. */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../groups/types.js';
import { type Io, UsageError } from '../io.js';
import { type LocalnetConfig, loadConfig } from './config.js';
import { TAO_BIN, tail } from './processes.js';
import {
  assertResettable,
  DEFAULT_STATE_DIR,
  isStateDir,
  layout,
  newRuntimeState,
  orphanPids,
  pidAlive,
  prepareStateDir,
  type RuntimeState,
  readPid,
  readRuntimeState,
  removeStateDir,
  runningPid,
  type StateLayout,
  writeRuntimeState,
} from './state-dir.js';

/** How long `down` waits for the supervisor to stop everything. */
const DOWN_TIMEOUT_MS = 60_000;
/** How long `up --detach` waits for the chain and the neurons. */
const DETACH_TIMEOUT_MS = 300_000;
const POLL_MS = 100;

const USAGE = {
  up: `Usage: tao localnet up [--config <file>] [--dir <state-dir>] [--detach] [--json-output] [--refresh-ms <n>]

Starts a dev chain, creates the config's wallets, subnets and neurons (skipping what the chain
already has), runs every neuron and shows their status until Ctrl-C.

  -c, --config <file>   Localnet config, YAML or JSON (default: packages/cli/localnet/default.yaml)
  -d, --dir <dir>       State directory (default: chain.state_dir of the config, else ./.localnet)
      --detach          Run in the background; return once the neurons are started
      --json-output     JSON instead of tables (NDJSON status lines in the foreground)
      --refresh-ms <n>  Status refresh period (default 1000 on a terminal, 5000 otherwise)
`,
  down: `Usage: tao localnet down [--dir <state-dir>] [--config <file>]

Stops the localnet running in the state directory (neurons first, then the node).
`,
  status: `Usage: tao localnet status [--dir <state-dir>] [--config <file>] [--json-output]

Prints the status table once (or JSON). Exit code 1 when no localnet is running there.
`,
  reset: `Usage: tao localnet reset [--dir <state-dir>] [--config <file>] [--yes]

Stops the localnet if it runs and deletes its state directory (chain, wallets, logs). Only a
directory made by \`tao localnet up\` is deleted. Asks first on a terminal; --yes skips the question.
`,
};

type Verb = keyof typeof USAGE;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  dir: { type: 'string', short: 'd' },
  detach: { type: 'boolean' },
  'json-output': { type: 'boolean' },
  json: { type: 'boolean' },
  'refresh-ms': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
} as const;
const ALLOWED: Record<Verb, string[]> = {
  up: ['config', 'dir', 'detach', 'json-output', 'json', 'refresh-ms', 'help'],
  down: ['config', 'dir', 'help'],
  status: ['config', 'dir', 'json-output', 'json', 'help'],
  reset: ['config', 'dir', 'yes', 'help'],
};

interface Flags {
  config?: string;
  dir?: string;
  detach?: boolean;
  'json-output'?: boolean;
  json?: boolean;
  'refresh-ms'?: string;
  yes?: boolean;
  help?: boolean;
}

function parse(verb: Verb, args: string[]): Flags {
  let values: Flags;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(
      `${(err as Error).message.split('\n')[0]} (see tao localnet ${verb} --help)`,
    );
  }
  for (const k of Object.keys(values))
    if (!ALLOWED[verb].includes(k)) throw new UsageError(`tao localnet ${verb} takes no --${k}`);
  for (const k of ['config', 'dir'] as const) {
    const v = values[k];
    if (v !== undefined && (v.trim() === '' || v.includes('\0')))
      throw new UsageError(`--${k} must be a path`);
  }
  return values;
}

/** The state dir: `--dir`, else the config's `chain.state_dir`, else ./.localnet. */
function stateLayout(flags: Flags, config?: LocalnetConfig): StateLayout {
  if (flags.dir !== undefined) return layout(flags.dir);
  const cfg = config ?? (flags.config !== undefined ? loadConfig(flags.config) : undefined);
  return layout(cfg?.file.chain.state_dir ?? DEFAULT_STATE_DIR);
}

async function until(
  what: () => boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > deadline || signal?.aborted) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return true;
}

/** Stops the supervisor `pid` of `l`; with a deadline, then by force (and its processes too). */
async function stopSupervisor(l: StateLayout, pid: number, io: Io): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // gone meanwhile
  }
  if (!(await until(() => !pidAlive(pid), DOWN_TIMEOUT_MS))) {
    io.stderr(`localnet: pid ${pid} did not stop within ${DOWN_TIMEOUT_MS} ms; killing it\n`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
    await until(() => !pidAlive(pid), 5_000);
  }
  rmSync(l.pidFile, { force: true });
  await reapOrphans(l, io);
}

/** Stops what a dead supervisor left running (see `orphanPids`); returns how many. */
async function reapOrphans(l: StateLayout, io: Io): Promise<number> {
  const orphans = orphanPids(l);
  if (orphans.length === 0) return 0;
  io.stderr(
    `localnet: the supervisor of ${l.dir} died without stopping its processes; stopping ${orphans.join(', ')}\n`,
  );
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of orphans)
      try {
        process.kill(-pid, sig);
      } catch {
        // gone
      }
  };
  signal('SIGTERM');
  if (!(await until(() => orphans.every((p) => !pidAlive(p)), 10_000))) {
    signal('SIGKILL');
    await until(() => orphans.every((p) => !pidAlive(p)), 5_000);
  }
  const st = readRuntimeState(l);
  if (st) {
    st.phase = 'stopped';
    st.error = 'the supervisor died; its processes were stopped by a later command';
    if (st.node.state === 'running') st.node.state = 'stopped';
    for (const n of st.neurons) if (n.state === 'running') n.state = 'stopped';
    writeRuntimeState(l, st);
  }
  return orphans.length;
}

/** Starts the supervisor in the background and waits until it runs the neurons. */
async function detach(
  config: LocalnetConfig,
  l: StateLayout,
  flags: Flags,
  json: boolean,
  io: Io,
): Promise<number> {
  const other = runningPid(l);
  if (other !== undefined)
    throw new UsageError(`a localnet is already running in ${l.dir} (pid ${other})`);
  prepareStateDir(l);
  await reapOrphans(l, io);
  if (!isStateDir(l)) writeRuntimeState(l, newRuntimeState(null, config.source));
  const args = [TAO_BIN, 'localnet', 'up', '--config', config.source, '--dir', l.dir];
  if (flags['refresh-ms'] !== undefined) args.push('--refresh-ms', flags['refresh-ms']);
  const fd = openSync(l.supervisorLog, 'a');
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    cwd: process.cwd(),
  });
  closeSync(fd);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ?? String(code);
  });
  child.once('error', (err) => {
    exited = err.message;
  });
  const pid = child.pid;
  let outcome: 'running' | 'failed' | undefined;
  const ok = await until(() => {
    const st = readRuntimeState(l);
    const ours = st !== undefined && st.pid === pid;
    if (ours && st.phase === 'running') outcome = 'running';
    else if (exited !== undefined || (ours && st.phase === 'failed')) outcome = 'failed';
    return outcome !== undefined;
  }, DETACH_TIMEOUT_MS);
  const st = readRuntimeState(l);
  if (!st || !ok || outcome !== 'running') {
    if (!ok && pid !== undefined) await stopSupervisor(l, pid, io);
    const why = !ok
      ? `not running after ${DETACH_TIMEOUT_MS} ms`
      : (st?.error ?? `exited (${exited})`);
    io.stderr(`error: localnet failed to start: ${why}\n${tail(l.supervisorLog, 8)}\n`);
    return 1;
  }
  if (json) {
    io.stdout(`${JSON.stringify(await chainStatus(l, st))}\n`);
  } else {
    const started = st.neurons.filter((n) => n.state === 'running').length;
    io.stdout(
      [
        `localnet running in the background (pid ${pid})`,
        `  endpoint  ${st.endpoint}`,
        `  state     ${l.dir}`,
        `  neurons   ${started} process(es), logs in ${l.logs}`,
        `  log       ${l.supervisorLog}`,
        `stop it with: tao localnet down --dir ${l.dir}`,
        '',
      ].join('\n'),
    );
  }
  return 0;
}

async function up(args: string[], io: Io): Promise<number> {
  const flags = parse('up', args);
  if (flags.help) {
    io.stdout(USAGE.up);
    return 0;
  }
  let refreshMs: number | undefined;
  if (flags['refresh-ms'] !== undefined) {
    refreshMs = Number(flags['refresh-ms']);
    if (!Number.isInteger(refreshMs) || refreshMs < 50 || refreshMs > 3_600_000)
      throw new UsageError('--refresh-ms must be an integer in 50..3600000');
  }
  const config = loadConfig(flags.config);
  const l = stateLayout(flags, config);
  const json = flags['json-output'] === true || flags.json === true;
  if (flags.detach) return detach(config, l, flags, json, io);
  const other = runningPid(l);
  if (other !== undefined)
    throw new UsageError(`a localnet is already running in ${l.dir} (pid ${other})`);
  if (existsSync(l.dir)) await reapOrphans(l, io);
  const { runSupervisor } = await import('./supervisor.js');
  return runSupervisor({
    config,
    layout: l,
    json,
    io,
    ...(refreshMs !== undefined ? { refreshMs } : {}),
  });
}

async function down(args: string[], io: Io): Promise<number> {
  const flags = parse('down', args);
  if (flags.help) {
    io.stdout(USAGE.down);
    return 0;
  }
  const l = stateLayout(flags);
  const pid = runningPid(l);
  if (pid === undefined) {
    const reaped = await reapOrphans(l, io);
    if (readPid(l) !== undefined && isStateDir(l)) rmSync(l.pidFile, { force: true });
    io.stdout(
      reaped > 0
        ? `localnet stopped (${reaped} leftover process(es) of a dead supervisor, ${l.dir})\n`
        : `no localnet is running in ${l.dir}\n`,
    );
    return 0;
  }
  await stopSupervisor(l, pid, io);
  io.stdout(`localnet stopped (pid ${pid}, ${l.dir})\n`);
  return 0;
}

/** The status report of a running localnet, read from its chain. */
async function chainStatus(l: StateLayout, st: RuntimeState) {
  const { collectStatus } = await import('./status.js');
  if (st.endpoint === null) return collectStatus(l.dir, true, st, undefined);
  const { connect } = await import('@taoscript/sdk');
  const client = await connect({ chainEndpoint: st.endpoint, env: {}, timeoutMs: 15_000 });
  try {
    return await collectStatus(l.dir, true, st, client);
  } finally {
    await client.close();
  }
}

async function status(args: string[], io: Io): Promise<number> {
  const flags = parse('status', args);
  if (flags.help) {
    io.stdout(USAGE.status);
    return 0;
  }
  const json = flags['json-output'] === true || flags.json === true;
  const l = stateLayout(flags);
  const st = readRuntimeState(l);
  const pid = runningPid(l);
  const running = st !== undefined && pid !== undefined && st.pid === pid;
  const { collectStatus, renderTable } = await import('./status.js');
  if (!st || !running) {
    if (json) {
      const report = st
        ? await collectStatus(l.dir, false, st, undefined)
        : { dir: l.dir, running: false };
      io.stdout(`${JSON.stringify(report)}\n`);
    } else
      io.stdout(
        `no localnet is running in ${l.dir}${st ? ` (last: ${st.phase}${st.error ? `: ${st.error}` : ''})` : ''}\n`,
      );
    return 1;
  }
  // A process the record calls running but which is gone (the supervisor would notice soon).
  for (const n of st.neurons)
    if (n.state === 'running' && (n.pid === null || !pidAlive(n.pid))) n.state = 'exited';
  const report = await chainStatus(l, st);
  io.stdout(json ? `${JSON.stringify(report)}\n` : renderTable(report));
  return 0;
}

async function readLine(io: Io): Promise<string> {
  if (!io.stdin) return '';
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n') || text.length > 1024) break;
  }
  return text.split('\n')[0] ?? '';
}

async function reset(args: string[], io: Io): Promise<number> {
  const flags = parse('reset', args);
  if (flags.help) {
    io.stdout(USAGE.reset);
    return 0;
  }
  const l = stateLayout(flags);
  if (!existsSync(l.dir)) {
    io.stdout(`nothing to reset: ${l.dir} does not exist\n`);
    return 0;
  }
  assertResettable(l);
  if (!flags.yes) {
    const interactive = io.isTTY ?? process.stdin.isTTY === true;
    if (!interactive || (!io.prompt && !io.stdin))
      throw new UsageError(`reset deletes ${l.dir}: pass --yes to confirm`);
    const question = `Delete ${l.dir} (chain, wallets, logs)? [y/N] `;
    let answer: string;
    if (io.prompt) answer = await io.prompt(question);
    else {
      io.stdout(question);
      answer = await readLine(io);
    }
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stdout('not deleted\n');
      return 1;
    }
  }
  const pid = runningPid(l);
  if (pid !== undefined) {
    await stopSupervisor(l, pid, io);
    io.stdout(`localnet stopped (pid ${pid})\n`);
  }
  await reapOrphans(l, io);
  removeStateDir(l);
  io.stdout(`removed ${l.dir}\n`);
  return 0;
}

/** `tao localnet up`. */
export const localnetUp: Command = { run: up };
/** `tao localnet down`. */
export const localnetDown: Command = { run: down };
/** `tao localnet status`. */
export const localnetStatus: Command = { run: status };
/** `tao localnet reset`. */
export const localnetReset: Command = { run: reset };
