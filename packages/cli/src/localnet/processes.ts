/**
 * Child processes of a localnet: the node (spawned from its bin, never imported) and the neurons.
 * Each runs in its own process group, so a terminal's Ctrl-C reaches only the supervisor, which
 * then stops the neurons first and the node last.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createWriteStream, openSync, readFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The node's bin, resolved from this package's location (as testkit's spawn does). */
export const NODE_BIN = fileURLToPath(new URL('../../../node/bin/tao-node.mjs', import.meta.url));
/** The `tao` bin (the detached supervisor runs it again). */
export const TAO_BIN = fileURLToPath(new URL('../../bin/tao.mjs', import.meta.url));
/** How long a process gets after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 10_000;

/** A running node. */
export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  endpoint: string;
  /** Resolves with the exit code (or signal name) when it exits. */
  exited: Promise<number | string>;
}

/** Options of {@link startNode}. */
export interface StartNodeOptions {
  basePath: string;
  rpcPort: number;
  blockTimeMs: number;
  log: string;
  /** stdout and stderr of the node are appended here. */
  logFile: string;
  timeoutMs?: number;
}

/** Whether a child has exited already. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exitPromise(child: ChildProcess): Promise<number | string> {
  if (hasExited(child)) return Promise.resolve(child.exitCode ?? child.signalCode ?? 0);
  return once(child, 'exit').then(([code, signal]) => (code ?? signal ?? 0) as number | string);
}

/** The last lines of a file (for error messages). */
export function tail(file: string, lines = 5): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts `tao-node --dev` persisted at `basePath` and resolves once it serves RPC (its stdout's
 * `Running JSON-RPC server` line gives the port, so `rpcPort` 0 works).
 */
export async function startNode(o: StartNodeOptions): Promise<NodeProcess> {
  const args = [
    NODE_BIN,
    '--dev',
    '--base-path',
    o.basePath,
    '--rpc-port',
    String(o.rpcPort),
    '--sealing',
    String(o.blockTimeMs),
    '--log',
    o.log,
  ];
  const logFd = openSync(o.logFile, 'a');
  writeSync(logFd, `--- ${new Date().toISOString()} tao-node ${args.slice(1).join(' ')}\n`);
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', logFd],
  });
  closeSync(logFd);
  const exited = exitPromise(child);
  const log = createWriteStream(o.logFile, { flags: 'a' });
  let out = '';
  const timeoutMs = o.timeoutMs ?? 60_000;
  try {
    const port = await new Promise<number>((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`tao-node did not serve RPC within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.stdout?.on('data', (d: Buffer) => {
        log.write(d);
        if (out.length < 65_536) out += d.toString();
        const m = /Running JSON-RPC server: addr=[^\s]*:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          res(Number(m[1]));
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        rej(err);
      });
      void exited.then((code) => {
        clearTimeout(timer);
        rej(new Error(`tao-node exited (${code}) before serving RPC: ${tail(o.logFile, 3)}`));
      });
    });
    child.once('exit', () => log.end());
    return {
      child,
      pid: child.pid as number,
      port,
      endpoint: `ws://127.0.0.1:${port}`,
      exited,
    };
  } catch (err) {
    await stopProcess(child, 5_000);
    log.end();
    throw err;
  }
}

/** Sends `signal` to the child's process group (falling back to the child itself). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM to the child's group, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopProcess(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child.pid === undefined) return;
  const exited = exitPromise(child);
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((res) => {
    timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      res();
    }, graceMs);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
  // Anything the child left in its group goes too.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is empty
  }
}

/** Options of {@link spawnNeuron}. */
export interface SpawnNeuronOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
}

/**
 * Starts a neuron: `argv[0]` `node` means this Node binary; a relative program path with a `/` is
 * taken from `cwd`; anything else is looked up on PATH. Output is appended to `logFile`.
 */
export function spawnNeuron(o: SpawnNeuronOptions): ChildProcess {
  const [program, ...args] = o.argv as [string, ...string[]];
  const exe =
    program === 'node'
      ? process.execPath
      : program.includes('/') && !isAbsolute(program)
        ? resolve(o.cwd, program)
        : program;
  const fd = openSync(o.logFile, 'a');
  writeSync(fd, `--- ${new Date().toISOString()} ${[program, ...args].join(' ')}\n`);
  try {
    return spawn(exe, args, {
      cwd: o.cwd,
      env: { ...process.env, ...o.env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => res());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((res) => server.close(() => res()));
  return port;
}
