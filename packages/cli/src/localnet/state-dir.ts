/**
 * The localnet state directory: `chain/` (the node's database), `wallets/` (btwallet layout),
 * `logs/`, `localnet.json` (what the supervisor is running, rewritten as it changes; also the
 * marker that makes a directory a localnet state dir) and `localnet.pid` while one runs.
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../io.js';

/** `kind` of localnet.json: what marks a directory as ours. */
export const STATE_KIND = 'taoscript-localnet';
/** The default state directory (relative to the current directory). */
export const DEFAULT_STATE_DIR = '.localnet';
/** Names that may appear at the top of a state dir (anything else blocks `reset`). */
const KNOWN_ENTRIES = new Set([
  'chain',
  'wallets',
  'logs',
  'localnet.json',
  'localnet.json.tmp',
  'localnet.pid',
]);

/** Paths inside a state dir. */
export interface StateLayout {
  dir: string;
  chain: string;
  wallets: string;
  logs: string;
  stateFile: string;
  pidFile: string;
  /** The detached supervisor's own output. */
  supervisorLog: string;
}

/** The layout of the state dir `dir` (made absolute). */
export function layout(dir: string): StateLayout {
  const abs = resolve(dir);
  return {
    dir: abs,
    chain: join(abs, 'chain'),
    wallets: join(abs, 'wallets'),
    logs: join(abs, 'logs'),
    stateFile: join(abs, 'localnet.json'),
    pidFile: join(abs, 'localnet.pid'),
    supervisorLog: join(abs, 'logs', 'localnet.log'),
  };
}

const processState = z.enum(['pending', 'running', 'exited', 'failed', 'stopped', 'none']);
/** A neuron as the supervisor records it. */
const neuronRecord = z.object({
  name: z.string(),
  role: z.enum(['owner', 'validator', 'miner']),
  subnet: z.string(),
  netuid: z.number().nullable(),
  wallet: z.string(),
  hotkey: z.string(),
  coldkeyAddress: z.string(),
  hotkeyAddress: z.string(),
  pid: z.number().nullable(),
  state: processState,
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  error: z.string().nullable(),
  log: z.string().nullable(),
  axonPort: z.number().nullable(),
});
/** A neuron as localnet.json records it. */
export type NeuronRecord = z.infer<typeof neuronRecord>;
/** A child process's state: `none` for a neuron without a command. */
export type ProcessState = z.infer<typeof processState>;

const runtimeState = z.object({
  kind: z.literal(STATE_KIND),
  version: z.literal(1),
  pid: z.number().nullable(),
  phase: z.enum(['starting', 'setup', 'running', 'stopping', 'stopped', 'failed']),
  config: z.string().nullable(),
  endpoint: z.string().nullable(),
  node: z.object({ pid: z.number().nullable(), state: processState }),
  subnets: z.array(z.object({ name: z.string(), netuid: z.number().nullable() })),
  neurons: z.array(neuronRecord),
  error: z.string().nullable(),
  updatedAt: z.string(),
});
/** localnet.json: what a supervisor runs (or ran). */
export type RuntimeState = z.infer<typeof runtimeState>;

/** A blank state for a new supervisor. */
export function newRuntimeState(pid: number | null, config: string): RuntimeState {
  return {
    kind: STATE_KIND,
    version: 1,
    pid,
    phase: 'starting',
    config,
    endpoint: null,
    node: { pid: null, state: 'pending' },
    subnets: [],
    neurons: [],
    error: null,
    updatedAt: new Date().toISOString(),
  };
}

/** localnet.json of `l`, or undefined when absent or not ours. */
export function readRuntimeState(l: StateLayout): RuntimeState | undefined {
  let text: string;
  try {
    text = readFileSync(l.stateFile, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const r = runtimeState.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes localnet.json atomically (temp file + rename). */
export function writeRuntimeState(l: StateLayout, state: RuntimeState): void {
  state.updatedAt = new Date().toISOString();
  const tmp = `${l.stateFile}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, l.stateFile);
}

/** True when `dir` holds a localnet.json of ours. */
export function isStateDir(l: StateLayout): boolean {
  if (!existsSync(l.stateFile)) return false;
  try {
    const doc = JSON.parse(readFileSync(l.stateFile, 'utf8')) as { kind?: unknown };
    return doc?.kind === STATE_KIND;
  } catch {
    return false;
  }
}

/**
 * Makes sure `l.dir` can be used by `up`: absent (created), empty, or a localnet state dir.
 * Refuses any other directory, so a mistyped `--dir` never scribbles into someone's files.
 */
export function prepareStateDir(l: StateLayout): void {
  if (existsSync(l.dir)) {
    const st = lstatSync(l.dir);
    if (!st.isDirectory()) throw new UsageError(`${l.dir} exists and is not a directory`);
    if (readdirSync(l.dir).length > 0 && !isStateDir(l))
      throw new UsageError(
        `${l.dir} is not empty and is not a localnet state dir (no localnet.json); choose another --dir`,
      );
  }
  mkdirSync(l.chain, { recursive: true });
  mkdirSync(l.wallets, { recursive: true, mode: 0o700 });
  mkdirSync(l.logs, { recursive: true });
}

/**
 * Checks `l.dir` is a localnet state dir that `reset` may delete: a real directory (not a
 * symlink) with our localnet.json and nothing at its top but the entries a localnet makes.
 */
export function assertResettable(l: StateLayout): void {
  const st = lstatSync(l.dir);
  if (st.isSymbolicLink()) throw new UsageError(`refusing to delete ${l.dir}: it is a symlink`);
  if (!st.isDirectory()) throw new UsageError(`refusing to delete ${l.dir}: not a directory`);
  if (!isStateDir(l))
    throw new UsageError(
      `refusing to delete ${l.dir}: not a localnet state dir (no localnet.json of ours)`,
    );
  const extra = readdirSync(l.dir).filter((n) => !KNOWN_ENTRIES.has(n));
  if (extra.length > 0)
    throw new UsageError(
      `refusing to delete ${l.dir}: it holds files a localnet does not make (${extra.slice(0, 3).join(', ')})`,
    );
}

/** Deletes a state dir (after {@link assertResettable}). */
export function removeStateDir(l: StateLayout): void {
  rmSync(l.dir, { recursive: true, force: true });
}

/** True while `pid` is a live process (a zombie counts as gone). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

/** True when `pid` leads its own process group (as the localnet's children do). */
function leadsGroup(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]) === pid;
  } catch {
    return false;
  }
}

/**
 * Processes a supervisor that died without cleaning up (SIGKILL, crash) left running: the node and
 * neurons its localnet.json records as running, still alive and still leading their own process
 * group (so a recycled pid is not mistaken for one). Empty while a supervisor runs.
 */
export function orphanPids(l: StateLayout): number[] {
  if (runningPid(l) !== undefined) return [];
  const st = readRuntimeState(l);
  if (!st || st.phase === 'stopped' || st.phase === 'failed') return [];
  const recorded = [
    ...(st.node.state === 'running' ? [st.node.pid] : []),
    ...st.neurons.filter((n) => n.state === 'running').map((n) => n.pid),
  ];
  return recorded.filter((p): p is number => p !== null && pidAlive(p) && leadsGroup(p));
}

/** The pid in localnet.pid, if the file holds one. */
export function readPid(l: StateLayout): number | undefined {
  try {
    const n = Number(readFileSync(l.pidFile, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the supervisor running in `l`, if one is alive. */
export function runningPid(l: StateLayout): number | undefined {
  const pid = readPid(l);
  return pid !== undefined && pidAlive(pid) ? pid : undefined;
}

/**
 * Claims the state dir for this process: writes localnet.pid exclusively. Throws if another live
 * supervisor holds it; a stale pid file (its process gone) is replaced.
 */
export function acquirePidFile(l: StateLayout, pid: number): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(l.pidFile, 'wx');
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const other = runningPid(l);
      if (other !== undefined && other !== pid)
        throw new UsageError(`a localnet is already running in ${l.dir} (pid ${other})`);
      unlinkSync(l.pidFile);
    }
  }
  throw new UsageError(`cannot claim ${l.pidFile}`);
}

/** Removes localnet.pid if it still names `pid`. */
export function releasePidFile(l: StateLayout, pid: number): void {
  if (readPid(l) === pid) rmSync(l.pidFile, { force: true });
}
