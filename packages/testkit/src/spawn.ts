/** Starts `tao-node` as a child process and waits for it to serve. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../node/bin/tao-node.mjs', import.meta.url));

export interface SpawnedNode {
  port: number;
  wsUrl: string;
  httpUrl: string;
  child: ChildProcess;
  /** Everything the node printed to stderr so far (for failure messages). */
  stderr(): string;
  /** Everything the node printed to stdout so far. */
  stdout(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/** Spawns the node bin with these flags; resolves once it prints its RPC address. */
export async function spawnNode(args: string[], timeoutMs = 30_000): Promise<SpawnedNode> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tao-node did not start within ${timeoutMs} ms:\n${err}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Running JSON-RPC server: addr=[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tao-node exited with ${code} before serving:\n${err}`));
    });
  });
  const exited = once(child, 'exit');
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    child,
    stderr: () => err,
    stdout: () => out,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

/** Polls `fn` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One JSON-RPC call over HTTP. */
export async function rpcCall(
  httpUrl: string,
  method: string,
  params: unknown[] = [],
): Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }> {
  const res = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as {
    result?: unknown;
    error?: { code: number; message: string; data?: unknown };
  };
}

/** How {@link spawnDevNode} starts a dev node. */
export interface DevNodeOptions {
  /** `--sealing`: `instant` (default), `manual`, or a block interval in ms. */
  sealing?: 'instant' | 'manual' | number;
  /** `--dev-subnets` (default 1). */
  subnets?: number;
  /** `--log` (default `warn`). */
  log?: string;
  /** More flags, appended. */
  extra?: readonly string[];
  timeoutMs?: number;
}

/** A throwaway dev chain on a free port: `--dev --tmp --rpc-port 0` plus {@link DevNodeOptions}. */
export function spawnDevNode(o: DevNodeOptions = {}): Promise<SpawnedNode> {
  const args = ['--dev', '--tmp', '--rpc-port', '0', '--sealing', String(o.sealing ?? 'instant')];
  args.push('--dev-subnets', String(o.subnets ?? 1), '--log', o.log ?? 'warn', ...(o.extra ?? []));
  return spawnNode(args, o.timeoutMs);
}
