import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { WalletError } from './errors.js';
import {
  type Argon2Cost,
  abortError,
  currentArgon2Cost,
  type KdfOptions,
  NACL_SALT,
  passwordToBytes,
  withProgress,
} from './kdf-params.js';

export {
  type Argon2Cost,
  currentArgon2Cost,
  type KdfOptions,
  type KdfProgressCallback,
  type KdfProgressEvent,
  MAX_PASSWORD_LENGTH,
  NACL_MEMLIMIT_BYTES,
  NACL_OPSLIMIT,
  NACL_SALT,
  passwordToBytes,
  setArgon2CostForTesting,
  withProgress,
} from './kdf-params.js';

const require = createRequire(import.meta.url);
let argon2Queue: Promise<void> = Promise.resolve();
let argon2ModulePath: string | undefined;

function argon2Module(): string {
  argon2ModulePath ??= require.resolve('hash-wasm/dist/argon2.umd.min.js');
  return argon2ModulePath;
}

// Runs in a worker so the event loop stays free (and ticks can fire) during the ~6 s, 512 MiB hash.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { argon2i } = require(workerData.modulePath);
argon2i({
  password: workerData.password,
  salt: workerData.salt,
  iterations: workerData.iterations,
  memorySize: workerData.memoryKiB,
  parallelism: 1,
  hashLength: 32,
  outputType: 'binary',
}).then(
  (key) => { workerData.password.fill(0); parentPort.postMessage({ ok: true, key }); },
  (error) => { workerData.password.fill(0); parentPort.postMessage({ ok: false, message: String(error && error.message || error) }); },
);
`;

/**
 * Argon2i v1.3 with btwallet's `$NACL` parameters (fixed salt, 8 passes, 512 MiB, 1 lane, 32-byte
 * output), run in a worker thread. The password is used as its UTF-8 bytes, untrimmed.
 * @example
 * import { deriveNaclKey } from '@taoscript/sdk';
 * const key = await deriveNaclKey('correct horse battery staple', {
 *   onProgress: (e) => console.log(e.phase, e.elapsedMs),
 * });
 */
export async function deriveNaclKey(password: string, opts: KdfOptions = {}): Promise<Uint8Array> {
  const passwordBytes = passwordToBytes(password);
  const cost = currentArgon2Cost();
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  // One 512 MiB derivation at a time, however many keyfiles are unlocked concurrently.
  const previous = argon2Queue;
  let release!: () => void;
  argon2Queue = new Promise<void>((r) => {
    release = r;
  });
  try {
    await previous;
    return await withProgress('argon2i', opts, () => runArgon2Worker(passwordBytes, cost, signal));
  } finally {
    passwordBytes.fill(0);
    release();
  }
}

function runArgon2Worker(
  password: Uint8Array,
  cost: Readonly<Argon2Cost>,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    if (signal?.aborted) {
      password.fill(0);
      reject(abortError(signal));
      return;
    }
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        execArgv: [],
        workerData: {
          modulePath: argon2Module(),
          password,
          salt: NACL_SALT,
          iterations: cost.iterations,
          memoryKiB: cost.memoryKiB,
        },
      });
    } catch (error) {
      reject(
        new WalletError('KDF_FAILED', 'Could not start the Argon2i worker', {
          cause: error,
          details: error instanceof Error ? error.message : String(error),
        }),
      );
      return;
    } finally {
      // workerData was cloned into the worker; wipe our copy.
      password.fill(0);
    }
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => {
      finish(() => reject(abortError(signal as AbortSignal)));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (msg: { ok: boolean; key?: Uint8Array; message?: string }) => {
      if (msg.ok && msg.key instanceof Uint8Array && msg.key.length === 32) {
        finish(() => resolve(new Uint8Array(msg.key as Uint8Array)));
      } else {
        finish(() =>
          reject(
            new WalletError('KDF_FAILED', 'Argon2i key derivation failed', {
              details: msg.message ?? 'unexpected worker reply',
              meta: ['It needs 512 MiB of free memory.'],
            }),
          ),
        );
      }
      void worker.terminate();
    });
    worker.once('error', (error) => {
      finish(() =>
        reject(
          new WalletError('KDF_FAILED', 'Argon2i key derivation failed', {
            cause: error,
            details: error.message,
          }),
        ),
      );
    });
    worker.once('exit', (code) => {
      finish(() =>
        reject(
          new WalletError('KDF_FAILED', `Argon2i worker exited early (code ${code})`, {
            meta: ['It needs 512 MiB of free memory.'],
          }),
        ),
      );
    });
  });
}
