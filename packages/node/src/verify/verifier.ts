import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ed25519Verify, sr25519Verify, waitReady } from '@polkadot/wasm-crypto';

/** Signature schemes the verifier understands. */
export type SigType = 'sr25519' | 'ed25519';

/** One signature to check: `signature` over `message` by `publicKey`. */
export interface VerifyJob {
  type: SigType;
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

/** A signature verifier backed by a pool of worker threads running schnorrkel/ed25519 in wasm. */
export interface Verifier {
  /** Verifies one signature; resolves false (never rejects) for invalid/garbage input. */
  verify(job: VerifyJob): Promise<boolean>;
  /** Verifies many, preserving order; batches them across workers to amortise messaging. */
  verifyMany(jobs: VerifyJob[]): Promise<boolean[]>;
  /** Synchronous verification on the calling thread (for code paths that cannot await). */
  verifySync(job: VerifyJob): boolean;
  /** Number of live worker threads (0 when verifying on the calling thread, and after close). */
  readonly threads: number;
  /** Lets queued and in-flight work finish, then terminates the workers. Idempotent. */
  close(): Promise<void>;
}

/** Options for {@link createVerifier}. */
export interface VerifierOptions {
  /** Worker threads; 0 verifies on the calling thread. Default: `os.availableParallelism()`. */
  threads?: number;
}

/** Byte length of sr25519 and ed25519 signatures. */
export const SIGNATURE_BYTES = 64;
/** Byte length of sr25519 and ed25519 public keys. */
export const PUBLIC_KEY_BYTES = 32;
/** Messages longer than this verify as false (Substrate signs payloads over 256 bytes by hash). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Upper bound for the `threads` option. */
export const MAX_THREADS = 64;

/** Jobs per worker message; enough to make postMessage overhead negligible (~0.2 s of work). */
const MAX_BATCH_JOBS = 512;
/** Bytes per worker message (a single larger job is still sent on its own). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Batches queued at one worker, so it never idles waiting for the next message. */
const MAX_INFLIGHT_PER_WORKER = 2;
const HEADER_BYTES = SIGNATURE_BYTES + PUBLIC_KEY_BYTES;
const DEFAULT_WORKER_URL = new URL('./worker.mjs', import.meta.url);

type TypeCode = 0 | 1;

interface ParsedJob {
  code: TypeCode;
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

/** A queued job: its bytes packed as signature | publicKey | message, copied at call time. */
interface Item {
  code: TypeCode;
  bytes: Uint8Array;
  done(valid: boolean): void;
}

interface Slot {
  worker: Worker;
  inflight: Map<number, Item[]>;
}

interface ResultMessage {
  kind: 'result';
  id: number;
  results: Uint8Array;
}

/**
 * Reads and type-checks a job. Returns null when the byte lengths cannot be a valid
 * signature (the caller answers false); throws TypeError for values that are not jobs at all.
 */
function readJob(job: unknown, what: string): ParsedJob | null {
  if (typeof job !== 'object' || job === null) throw new TypeError(`${what} must be an object`);
  const { type, signature, message, publicKey } = job as Record<string, unknown>;
  if (type !== 'sr25519' && type !== 'ed25519') {
    throw new TypeError(`${what}.type must be 'sr25519' or 'ed25519'`);
  }
  if (!(signature instanceof Uint8Array)) {
    throw new TypeError(`${what}.signature must be a Uint8Array`);
  }
  if (!(message instanceof Uint8Array)) throw new TypeError(`${what}.message must be a Uint8Array`);
  if (!(publicKey instanceof Uint8Array)) {
    throw new TypeError(`${what}.publicKey must be a Uint8Array`);
  }
  if (
    signature.length !== SIGNATURE_BYTES ||
    publicKey.length !== PUBLIC_KEY_BYTES ||
    message.length > MAX_MESSAGE_BYTES
  ) {
    return null;
  }
  return { code: type === 'sr25519' ? 0 : 1, signature, message, publicKey };
}

function verifyBytes(
  code: TypeCode,
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  try {
    return code === 0
      ? sr25519Verify(signature, message, publicKey)
      : ed25519Verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

function pack(job: ParsedJob, done: (valid: boolean) => void): Item {
  const bytes = new Uint8Array(HEADER_BYTES + job.message.length);
  bytes.set(job.signature, 0);
  bytes.set(job.publicKey, SIGNATURE_BYTES);
  bytes.set(job.message, HEADER_BYTES);
  return { code: job.code, bytes, done };
}

function verifyItem(item: Item): boolean {
  const { bytes } = item;
  return verifyBytes(
    item.code,
    bytes.subarray(0, SIGNATURE_BYTES),
    bytes.subarray(HEADER_BYTES),
    bytes.subarray(SIGNATURE_BYTES, HEADER_BYTES),
  );
}

function isResultMessage(msg: unknown): msg is ResultMessage {
  return (
    typeof msg === 'object' &&
    msg !== null &&
    (msg as { kind?: unknown }).kind === 'result' &&
    typeof (msg as { id?: unknown }).id === 'number'
  );
}

function readThreads(opts: unknown): number {
  if (opts === undefined) return Math.min(availableParallelism(), MAX_THREADS);
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object');
  const { threads } = opts as { threads?: unknown };
  if (threads === undefined) return Math.min(availableParallelism(), MAX_THREADS);
  if (typeof threads !== 'number' || !Number.isInteger(threads)) {
    throw new TypeError('threads must be an integer');
  }
  if (threads < 0 || threads > MAX_THREADS) {
    throw new RangeError(`threads must be between 0 and ${MAX_THREADS}, got ${threads}`);
  }
  return threads;
}

function spawnWorker(url: URL, index: number): Promise<Worker> {
  return new Promise((resolve, reject) => {
    // execArgv: [] keeps the parent's `--import tsx` (and `--test`) out of the plain-JS worker.
    const worker = new Worker(url, { execArgv: [], name: `tao-verify-${index}` });
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (msg: unknown): void => {
      if (typeof msg === 'object' && msg !== null && (msg as { kind?: unknown }).kind === 'ready') {
        cleanup();
        resolve(worker);
      }
    };
    const onError = (err: unknown): void => {
      cleanup();
      void worker.terminate();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`verify worker exited with code ${code} before it was ready`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

class WorkerVerifier implements Verifier {
  private slots: Slot[] = [];
  private queue: Item[] = [];
  private head = 0;
  private nextId = 0;
  private flushScheduled = false;
  private closed = false;
  private terminating = false;
  private closing: Promise<void> | undefined;
  private drainWaiters: Array<() => void> = [];

  constructor(workers: Worker[]) {
    for (const worker of workers) {
      const slot: Slot = { worker, inflight: new Map() };
      worker.on('message', (msg: unknown) => this.onMessage(slot, msg));
      // An 'error' is always followed by 'exit'; the listener keeps it from being rethrown.
      worker.on('error', () => {});
      worker.on('exit', () => this.onExit(slot));
      this.slots.push(slot);
    }
  }

  get threads(): number {
    return this.slots.length;
  }

  verify(job: VerifyJob): Promise<boolean> {
    let parsed: ParsedJob | null;
    try {
      this.assertOpen();
      parsed = readJob(job, 'job');
    } catch (err) {
      return Promise.reject(err);
    }
    if (parsed === null) return Promise.resolve(false);
    if (this.slots.length === 0) {
      return Promise.resolve(
        verifyBytes(parsed.code, parsed.signature, parsed.message, parsed.publicKey),
      );
    }
    const job0 = parsed;
    return new Promise((resolve) => this.enqueue(pack(job0, resolve)));
  }

  verifyMany(jobs: VerifyJob[]): Promise<boolean[]> {
    const parsed: Array<ParsedJob | null> = [];
    try {
      this.assertOpen();
      if (!Array.isArray(jobs)) throw new TypeError('jobs must be an array');
      for (let i = 0; i < jobs.length; i++) parsed.push(readJob(jobs[i], `jobs[${i}]`));
    } catch (err) {
      return Promise.reject(err);
    }
    const results = new Array<boolean>(parsed.length).fill(false);
    if (this.slots.length === 0) {
      parsed.forEach((p, i) => {
        if (p !== null) results[i] = verifyBytes(p.code, p.signature, p.message, p.publicKey);
      });
      return Promise.resolve(results);
    }
    let remaining = 0;
    for (const p of parsed) if (p !== null) remaining++;
    if (remaining === 0) return Promise.resolve(results);
    return new Promise((resolve) => {
      parsed.forEach((p, i) => {
        if (p === null) return;
        this.queue.push(
          pack(p, (valid) => {
            results[i] = valid;
            if (--remaining === 0) resolve(results);
          }),
        );
      });
      this.scheduleFlush();
    });
  }

  verifySync(job: VerifyJob): boolean {
    const parsed = readJob(job, 'job');
    if (parsed === null) return false;
    return verifyBytes(parsed.code, parsed.signature, parsed.message, parsed.publicKey);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    await new Promise<void>((resolve) => {
      this.drainWaiters.push(resolve);
      this.checkDrained();
    });
    this.terminating = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('verifier is closed');
  }

  private queued(): number {
    return this.queue.length - this.head;
  }

  private enqueue(item: Item): void {
    this.queue.push(item);
    this.scheduleFlush();
  }

  /** Coalesces every verify() made before the event loop turns into as few batches as possible. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.dispatch();
    });
  }

  private take(max: number): Item[] {
    const items: Item[] = [];
    let bytes = 0;
    while (items.length < max && this.head < this.queue.length) {
      const item = this.queue[this.head]!;
      if (items.length > 0 && bytes + item.bytes.length > MAX_BATCH_BYTES) break;
      this.head++;
      items.push(item);
      bytes += item.bytes.length;
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return items;
  }

  /** Hands queued jobs to workers with spare capacity, spreading them evenly. */
  private dispatch(): void {
    if (this.slots.length === 0) {
      // Every worker died: finish the work here rather than leave promises hanging.
      while (this.queued() > 0) {
        for (const item of this.take(MAX_BATCH_JOBS)) item.done(verifyItem(item));
      }
      this.checkDrained();
      return;
    }
    while (this.queued() > 0) {
      let best: Slot | undefined;
      let free = 0;
      for (const slot of this.slots) {
        const capacity = MAX_INFLIGHT_PER_WORKER - slot.inflight.size;
        if (capacity <= 0) continue;
        free += capacity;
        if (best === undefined || slot.inflight.size < best.inflight.size) best = slot;
      }
      if (best === undefined) break;
      this.send(best, this.take(Math.min(MAX_BATCH_JOBS, Math.ceil(this.queued() / free))));
    }
    this.checkDrained();
  }

  private send(slot: Slot, items: Item[]): void {
    const n = items.length;
    let dataBytes = 0;
    for (const item of items) dataBytes += item.bytes.length;
    const offsetBytes = (n + 1) * 4;
    const buffer = new ArrayBuffer(offsetBytes + n + dataBytes);
    const offsets = new Uint32Array(buffer, 0, n + 1);
    const types = new Uint8Array(buffer, offsetBytes, n);
    const data = new Uint8Array(buffer, offsetBytes + n, dataBytes);
    let at = 0;
    items.forEach((item, i) => {
      offsets[i] = at;
      types[i] = item.code;
      data.set(item.bytes, at);
      at += item.bytes.length;
    });
    offsets[n] = at;
    const id = this.nextId++;
    slot.inflight.set(id, items);
    slot.worker.postMessage({ id, types, offsets, data }, [buffer]);
  }

  private onMessage(slot: Slot, msg: unknown): void {
    if (!isResultMessage(msg)) return;
    const items = slot.inflight.get(msg.id);
    if (items === undefined) return;
    slot.inflight.delete(msg.id);
    const { results } = msg;
    const wellFormed = results instanceof Uint8Array && results.length === items.length;
    items.forEach((item, i) => {
      item.done(wellFormed ? results[i] === 1 : verifyItem(item));
    });
    this.dispatch();
  }

  /** A worker died outside close(): drop it and give its unfinished batches to the others. */
  private onExit(slot: Slot): void {
    if (this.terminating) return;
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    const orphans: Item[] = [];
    for (const items of slot.inflight.values()) orphans.push(...items);
    slot.inflight.clear();
    this.queue = [...orphans, ...this.queue.slice(this.head)];
    this.head = 0;
    this.dispatch();
  }

  private checkDrained(): void {
    if (this.drainWaiters.length === 0 || this.queued() > 0) return;
    if (this.slots.some((slot) => slot.inflight.size > 0)) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Starts a verifier whose workers load `workerUrl`. Internal seam so tests can inject a
 * misbehaving worker; use {@link createVerifier}.
 */
export async function createVerifierWithWorker(
  opts: VerifierOptions | undefined,
  workerUrl: URL,
): Promise<Verifier> {
  const threads = readThreads(opts);
  if (!(await waitReady())) throw new Error('@polkadot/wasm-crypto failed to initialise');
  const started = await Promise.allSettled(
    Array.from({ length: threads }, (_, i) => spawnWorker(workerUrl, i)),
  );
  const workers: Worker[] = [];
  let failure: unknown;
  for (const outcome of started) {
    if (outcome.status === 'fulfilled') workers.push(outcome.value);
    else failure ??= outcome.reason;
  }
  if (failure !== undefined) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw new Error('failed to start signature verification workers', { cause: failure });
  }
  return new WorkerVerifier(workers);
}

/**
 * Starts a signature verifier with `threads` worker threads (default: one per core).
 * @example
 * import { createVerifier } from './verify/index.js';
 * const verifier = await createVerifier({ threads: 2 });
 * const ok = await verifier.verify({ type: 'sr25519', signature, message, publicKey });
 * await verifier.close();
 */
export function createVerifier(opts?: VerifierOptions): Promise<Verifier> {
  return createVerifierWithWorker(opts, DEFAULT_WORKER_URL);
}
