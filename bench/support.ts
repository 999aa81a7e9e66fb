/**
 * Shared helpers for the whole-system benchmarks under bench/: a small pipelined JSON-RPC
 * WebSocket client, fast derivation of `//Bench{i}` accounts, extrinsic signing with an
 * injectable signer, and machine / process statistics. Not part of the test run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  sr25519DeriveKeypairHard,
  sr25519KeypairFromSeed,
  sr25519Sign,
  waitReady,
} from '@polkadot/wasm-crypto';
import {
  type Era,
  encodeExplicit,
  encodeExtrinsic,
  encodeImplicit,
  RuntimeCall,
  signingPayload,
} from '@taoscript/chain-types';
import { bytesEqual, toHex } from '@taoscript/codec';
import {
  DEV_PHRASE,
  junctionChainCode,
  keypairFromUri,
  mnemonicToMiniSecret,
} from '@taoscript/crypto';
import WebSocket from 'ws';

/** Prints one line to stdout. */
export const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** Milliseconds since an arbitrary origin (monotonic). */
export const now = (): number => performance.now();

/** `x` with `digits` decimals. */
export const fmt = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toFixed(digits) : String(x);

/** An sr25519 key pair in the form @polkadot/wasm-crypto signs with. */
export interface FastKeypair {
  publicKey: Uint8Array;
  /** 64-byte secret (key ‖ nonce), the polkadot-js / schnorrkel "ed25519 form". */
  secretKey: Uint8Array;
}

/**
 * Derives `//{prefix}{i}` for i in [0, count) from the dev phrase with wasm hard derivation —
 * the same keys as `keypairFromUri('//Bench0')`, about a hundred times faster (the mnemonic
 * stretch runs once). Checks the first against `keypairFromUri`.
 */
export async function deriveAccounts(count: number, prefix = 'Bench'): Promise<FastKeypair[]> {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('count must be ≥ 1');
  await waitReady();
  const root = sr25519KeypairFromSeed(mnemonicToMiniSecret(DEV_PHRASE));
  const keys: FastKeypair[] = [];
  for (let i = 0; i < count; i++) {
    const pair = sr25519DeriveKeypairHard(root, junctionChainCode(`${prefix}${i}`));
    keys.push({ secretKey: pair.slice(0, 64), publicKey: pair.slice(64, 96) });
  }
  const reference = keypairFromUri(`//${prefix}0`).publicKey;
  if (!bytesEqual(reference, (keys[0] as FastKeypair).publicKey))
    throw new Error('wasm hard derivation disagrees with keypairFromUri');
  return keys;
}

/** Everything a signed extrinsic commits to besides the call. */
export interface SigningContext {
  genesisHash: Uint8Array;
  specVersion: number;
  txVersion: number;
}

/** A signed extrinsic plus the payload its signature covers (for verification benchmarks). */
export interface SignedTx {
  bytes: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array;
}

/** Signs `payload` for `publicKey` and returns the 64-byte signature. */
export type SignFn = (payload: Uint8Array) => Uint8Array;

/** A wasm signer for a fast key pair. */
export const wasmSigner =
  (kp: FastKeypair): SignFn =>
  (payload) =>
    sr25519Sign(kp.publicKey, kp.secretKey, payload);

/**
 * Signs and encodes an immortal (or `era`) extrinsic the way a standard client does, with an
 * injectable sign function (testkit's `signExtrinsic` with the signer swapped for wasm).
 */
export function signWith(
  call: RuntimeCall | Uint8Array,
  publicKey: Uint8Array,
  sign: SignFn,
  nonce: number,
  ctx: SigningContext,
  era: Era = { mortal: false } as Era,
  eraBlockHash: Uint8Array = ctx.genesisHash,
): SignedTx {
  const callBytes = call instanceof Uint8Array ? call : RuntimeCall.enc(call);
  const extra = { era, nonce, tip: 0n, metadataHashMode: 'Disabled' as const };
  const payload = signingPayload(
    callBytes,
    encodeExplicit(extra),
    encodeImplicit({
      specVersion: ctx.specVersion,
      txVersion: ctx.txVersion,
      genesisHash: ctx.genesisHash,
      eraBlockHash,
    }),
  );
  const signature = sign(payload);
  const bytes = encodeExtrinsic(callBytes, {
    address: { type: 'Id', value: publicKey },
    signature: { type: 'Sr25519', value: signature },
    extra,
  });
  return { bytes, payload, signature, publicKey };
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** JSON-RPC error as received. */
export class RpcCallError extends Error {
  override name = 'RpcCallError';
  constructor(
    readonly code: number,
    message: string,
    readonly data: unknown,
  ) {
    super(`${code} ${message}${data === undefined ? '' : `: ${String(data)}`}`);
  }
}

/** A minimal pipelined JSON-RPC client over one WebSocket. */
export class RpcSocket {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subs = new Map<string, (result: unknown) => void>();
  /** Notifications that arrived before their subscription id was known. */
  private readonly early = new Map<string, unknown[]>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.onMessage(data.toString('utf8')));
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  /** Opens a connection (rejects after `timeoutMs`). */
  static open(url: string, timeoutMs = 10_000): Promise<RpcSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`could not connect to ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(new RpcSocket(ws));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private onMessage(text: string): void {
    const msg = JSON.parse(text) as {
      id?: number;
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
      params?: { subscription: string; result: unknown };
    };
    if (msg.id !== undefined && msg.id !== null) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new RpcCallError(msg.error.code, msg.error.message, msg.error.data));
      else p.resolve(msg.result);
      return;
    }
    if (msg.params) {
      const cb = this.subs.get(msg.params.subscription);
      if (cb) cb(msg.params.result);
      else {
        const list = this.early.get(msg.params.subscription) ?? [];
        list.push(msg.params.result);
        this.early.set(msg.params.subscription, list);
      }
    }
  }

  /** Allocates a request id (for pre-built request text). */
  allocId(): number {
    return this.nextId++;
  }

  /** Sends pre-serialised request text whose id came from `allocId`. */
  sendRaw(id: number, text: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(text);
    });
  }

  /** Calls `method` and resolves with its result (rejects with RpcCallError). */
  call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const id = this.allocId();
    return this.sendRaw(id, JSON.stringify({ jsonrpc: '2.0', id, method, params })) as Promise<T>;
  }

  /** Subscribes; `onItem` receives each notification's result. */
  async subscribe(method: string, params: unknown[], onItem: (r: unknown) => void): Promise<void> {
    const subId = await this.call<string>(method, params);
    this.subs.set(subId, onItem);
    for (const item of this.early.get(subId) ?? []) onItem(item);
    this.early.delete(subId);
  }

  /** Closes the socket. */
  close(): void {
    this.ws.close();
  }
}

/** The pieces of a node's chain context a signer needs, read over RPC. */
export async function readSigningContext(rpc: RpcSocket): Promise<SigningContext> {
  const genesisHex = await rpc.call<string>('chain_getBlockHash', [0]);
  const version = await rpc.call<{ specVersion: number; transactionVersion: number }>(
    'state_getRuntimeVersion',
  );
  return {
    genesisHash: Buffer.from(genesisHex.slice(2), 'hex'),
    specVersion: version.specVersion,
    txVersion: version.transactionVersion,
  };
}

/** Polls `fn` until it returns a truthy value; throws after `timeoutMs`. */
export async function until<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 20,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Hex with 0x prefix, for JSON-RPC params. */
export const hex = (b: Uint8Array): string => toHex(b);

/** Machine description for reports: cores, CPU model, load average now. */
export function machine(): { nproc: number; model: string; load: string; node: string } {
  return {
    nproc: availableParallelism(),
    model: cpus()[0]?.model.trim() ?? 'unknown',
    load: loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
    node: process.version,
  };
}

/** Resident set size of a process in KiB (VmRSS in /proc/<pid>/status), if readable. */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set size (VmHWM) of a process in KiB, if readable. */
export function hwmKiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system, all threads) a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state is index 0, so utime/stime (14/15 in proc(5)) are 11/12.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds per thread, keyed 'main' for the main thread and `comm/tid` for the others. */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const outMap = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = tid === String(pid) ? 'main' : `${comm}/${tid}`;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const s = (Number(fields[11]) + Number(fields[12])) / 100;
      outMap.set(name, (outMap.get(name) ?? 0) + s);
    }
  } catch {
    // The process may have exited.
  }
  return outMap;
}

/** CPU seconds of a single thread (`tid`) of process `pid`, if readable. */
export function threadCpu(pid: number, tid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Machine-wide busy and total CPU seconds so far (all cores), from /proc/stat. */
export function systemCpu(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: (total - idle) / 100, total: total / 100 };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/**
 * Waits (at most `maxWaitMs`) until processes other than this one and `pids` use less than
 * `threshold` cores over a one-second sample, so that runs sharing a machine measure less noise.
 * Resolves with the last sample (cores busy elsewhere).
 */
export async function waitQuiet(
  pids: number[] = [],
  maxWaitMs = 60_000,
  threshold = 0.25,
): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const sys0 = systemCpu();
    const self0 = process.cpuUsage();
    const ours0 = pids.map((p) => cpuSeconds(p) ?? 0);
    const t0 = now();
    await new Promise((r) => setTimeout(r, 1000));
    const seconds = (now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const ours = pids.reduce((a, p, i) => a + (cpuSeconds(p) ?? 0) - (ours0[i] ?? 0), 0);
    const other = (systemCpu().busy - sys0.busy - (self.user + self.system) / 1e6 - ours) / seconds;
    if (other < threshold || Date.now() > deadline) return Math.max(0, other);
  }
}

/** The cores this machine has, for "per core" rates. */
export const CORES = availableParallelism();
