import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SignatureVerifier } from '../synapse/signature.js';
import { CHECK, fastVerifier } from './sr25519.js';

/** Options of {@link VerifyPool}. */
export interface VerifyPoolOptions {
  /** Worker threads (default {@link defaultVerifyThreads}); 0 verifies on the calling thread. */
  threads?: number;
  /** The worker script (tests point it elsewhere); default `./verify-worker.mjs`. */
  workerUrl?: URL;
}

/** Most worker threads a pool starts. */
export const MAX_VERIFY_THREADS = 16;
/** Jobs per message to a worker (a busy axon batches what arrived in one event-loop turn). */
const MAX_BATCH = 64;
const WORKER_URL = new URL('./verify-worker.mjs', import.meta.url);

/**
 * Worker threads the axon verifies on by default: one per core beyond the first (the event
 * loop keeps that one), at most 4; 0 on a single core.
 * @example
 * import { defaultVerifyThreads } from '@taoscript/sdk';
 * defaultVerifyThreads(); // 1 on a 2-core machine
 */
export function defaultVerifyThreads(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

interface Job {
  bytes: Uint8Array;
  resolve: (valid: boolean) => void;
}

interface Slot {
  worker: Worker;
  inflight: Map<number, Job[]>;
}

function checkBytes(value: unknown, length: number | undefined, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

function pack(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(96 + message.length);
  bytes.set(signature, 0);
  bytes.set(publicKey, 64);
  bytes.set(message, 96);
  return bytes;
}

/** Verifies a packed job on this thread (a worker died with it in flight). */
function verifyHere(bytes: Uint8Array): boolean {
  return fastVerifier(bytes.subarray(0, 64), bytes.subarray(96), bytes.subarray(64, 96)) as boolean;
}

/**
 * sr25519 verification (btwallet's rule: the message, then `<Bytes>message</Bytes>`) on worker
 * threads running @polkadot/wasm-crypto, so an axon's event loop keeps serving while signatures
 * are checked. Jobs that arrive in one event-loop turn travel together. Without live workers
 * (0 threads, or they failed to start or died) it verifies on the calling thread with
 * {@link fastVerifier}. Idle workers do not keep the process alive.
 * @example
 * import { VerifyPool } from '@taoscript/sdk';
 * const pool = new VerifyPool({ threads: 1 });
 * await pool.start(); // 1
 * await pool.verify(signature, message, publicKey); // true / false
 * await pool.close();
 */
export class VerifyPool {
  /** Worker threads asked for. */
  readonly size: number;
  readonly #url: URL;
  #slots: Slot[] = [];
  #starting: Promise<number> | undefined;
  #queue: Job[] = [];
  #scheduled = false;
  #nextId = 1;
  #closed = false;
  /** The start attempt finished (workers running, or none could start). */
  #settled = false;

  constructor(options: VerifyPoolOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('VerifyPool: expected an options object');
    }
    const threads = options.threads ?? defaultVerifyThreads();
    if (!Number.isInteger(threads) || threads < 0 || threads > MAX_VERIFY_THREADS) {
      throw new RangeError(`VerifyPool: threads must be an integer in 0..${MAX_VERIFY_THREADS}`);
    }
    this.size = threads;
    this.#url = options.workerUrl ?? WORKER_URL;
  }

  /** Live worker threads (0: verifying on the calling thread). */
  get threads(): number {
    return this.#slots.length;
  }

  /** Starts the workers once (later calls share the first promise); resolves with the live count. */
  start(): Promise<number> {
    this.#starting ??= this.#spawnAll();
    return this.#starting;
  }

  /**
   * Verifies `signature` over `message` by `publicKey`: a promise while workers run (also before
   * {@link VerifyPool.start} settles, which it triggers), a boolean when verifying here.
   */
  readonly verify: SignatureVerifier = (signature, message, publicKey) => {
    checkBytes(signature, 64, 'sr25519 signature');
    checkBytes(message, undefined, 'message');
    checkBytes(publicKey, 32, 'sr25519 publicKey');
    if (this.size === 0 || this.#closed || (this.#settled && this.#slots.length === 0)) {
      return fastVerifier(signature, message, publicKey);
    }
    void this.start();
    return new Promise<boolean>((resolve) => {
      this.#queue.push({ bytes: pack(signature, message, publicKey), resolve });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  };

  /** Stops the workers; jobs still queued or in flight are verified on this thread. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#starting;
    const slots = this.#slots;
    this.#slots = [];
    await Promise.all(slots.map((s) => this.#retire(s)));
    this.#flush();
  }

  async #spawnAll(): Promise<number> {
    const started = await Promise.all(
      Array.from({ length: this.size }, (_, i) => this.#spawn(i).catch(() => undefined)),
    );
    const slots = started.filter((s): s is Slot => s !== undefined);
    // Trust the workers only once they give the known answers.
    const ok = await Promise.all(slots.map((s) => this.#selfCheck(s)));
    for (let i = 0; i < slots.length; i++) {
      if (ok[i]) this.#slots.push(slots[i]!);
      else void slots[i]!.worker.terminate();
    }
    if (this.#closed) {
      for (const s of this.#slots.splice(0)) void s.worker.terminate();
    }
    this.#settled = true;
    if (this.#queue.length > 0) this.#flush();
    return this.#slots.length;
  }

  #spawn(index: number): Promise<Slot> {
    return new Promise((resolve, reject) => {
      // execArgv: [] keeps the parent's `--import tsx` (and `--test`) out of the plain-JS worker.
      const worker = new Worker(this.#url, { execArgv: [], name: `sdk-verify-${index}` });
      worker.unref();
      worker.once('message', (msg: { kind?: string; ok?: boolean }) => {
        if (msg?.kind === 'ready' && msg.ok === true) {
          const slot: Slot = { worker, inflight: new Map() };
          worker.on('message', (m: { kind: string; id: number; results: Uint8Array }) =>
            this.#onResult(slot, m),
          );
          worker.on('error', () => this.#lost(slot));
          worker.on('exit', () => this.#lost(slot));
          resolve(slot);
        } else {
          void worker.terminate();
          reject(new Error('verify worker: @polkadot/wasm-crypto did not initialise'));
        }
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`verify worker exited with code ${code}`)));
    });
  }

  #selfCheck(slot: Slot): Promise<boolean> {
    const { signature, message, publicKey } = CHECK;
    const changed = message.slice();
    changed[0] = changed[0]! ^ 1;
    const jobs = [pack(signature, message, publicKey), pack(signature, changed, publicKey)];
    return new Promise((resolve) => {
      const results: boolean[] = [];
      const done = (valid: boolean) => {
        results.push(valid);
        if (results.length === 2) resolve(results[0] === true && results[1] === false);
      };
      this.#post(
        slot,
        jobs.map((bytes) => ({ bytes, resolve: done })),
      );
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      if (this.#slots.length === 0) {
        if (!this.#settled && !this.#closed) {
          // Still starting: wait for #spawnAll to flush.
          this.#queue.unshift(...batch);
          return;
        }
        for (const job of batch) job.resolve(verifyHere(job.bytes));
        continue;
      }
      // The worker with the least queued work.
      let slot = this.#slots[0]!;
      for (const s of this.#slots) if (s.inflight.size < slot.inflight.size) slot = s;
      this.#post(slot, batch);
    }
  }

  #post(slot: Slot, jobs: Job[]): void {
    const offsets = new Uint32Array(jobs.length + 1);
    let total = 0;
    for (let i = 0; i < jobs.length; i++) {
      total += jobs[i]!.bytes.length;
      offsets[i + 1] = total;
    }
    const data = new Uint8Array(total);
    for (let i = 0; i < jobs.length; i++) data.set(jobs[i]!.bytes, offsets[i]!);
    const id = this.#nextId++;
    slot.inflight.set(id, jobs);
    // Keep the process alive while answers are due.
    if (slot.inflight.size === 1) slot.worker.ref();
    slot.worker.postMessage({ id, offsets, data }, [offsets.buffer, data.buffer]);
  }

  #onResult(slot: Slot, m: { kind: string; id: number; results: Uint8Array }): void {
    if (m?.kind !== 'result') return;
    const jobs = slot.inflight.get(m.id);
    if (jobs === undefined) return;
    slot.inflight.delete(m.id);
    if (slot.inflight.size === 0) slot.worker.unref();
    for (let i = 0; i < jobs.length; i++) jobs[i]!.resolve(m.results[i] === 1);
  }

  /** A worker failed or exited: drop it and verify its jobs here. */
  #lost(slot: Slot): void {
    const at = this.#slots.indexOf(slot);
    if (at >= 0) this.#slots.splice(at, 1);
    for (const jobs of slot.inflight.values()) {
      for (const job of jobs) job.resolve(verifyHere(job.bytes));
    }
    slot.inflight.clear();
  }

  async #retire(slot: Slot): Promise<void> {
    for (const jobs of slot.inflight.values()) {
      for (const job of jobs) job.resolve(verifyHere(job.bytes));
    }
    slot.inflight.clear();
    slot.worker.removeAllListeners();
    await slot.worker.terminate();
  }
}

const SHARED = new Map<number, VerifyPool>();

/**
 * The process-wide pool with `threads` workers (axons asking for the same count share it; it
 * is never closed, and its idle workers do not keep the process alive).
 * @example
 * import { sharedVerifyPool } from '@taoscript/sdk';
 * await sharedVerifyPool(1).start();
 */
export function sharedVerifyPool(threads: number = defaultVerifyThreads()): VerifyPool {
  let pool = SHARED.get(threads);
  if (pool === undefined) {
    pool = new VerifyPool({ threads });
    SHARED.set(threads, pool);
  }
  return pool;
}
