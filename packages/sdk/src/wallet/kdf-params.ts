/**
 * The `$NACL` key derivation's parameters and the parts of it that need no host: constants, the
 * password's bytes, progress events. kdf.ts runs Argon2i in a Node worker; the browser entry runs
 * it on the calling thread (browser/kdf.ts).
 */
import { WalletError } from './errors.js';

/** btwallet's fixed Argon2i salt for `$NACL` keyfiles (the same for every wallet; part of the format). */
export const NACL_SALT: Uint8Array = Uint8Array.of(
  0x13,
  0x71,
  0x83,
  0xdf,
  0xf1,
  0x5a,
  0x09,
  0xbc,
  0x9c,
  0x90,
  0xb5,
  0x51,
  0x87,
  0x39,
  0xe9,
  0xb1,
);
/** libsodium `crypto_pwhash_argon2i_OPSLIMIT_SENSITIVE` (Argon2 passes). */
export const NACL_OPSLIMIT = 8;
/** libsodium `crypto_pwhash_argon2i_MEMLIMIT_SENSITIVE` in bytes (512 MiB). */
export const NACL_MEMLIMIT_BYTES = 536_870_912;

/** Argon2i cost: passes and memory in KiB. */
export interface Argon2Cost {
  iterations: number;
  memoryKiB: number;
}

const PRODUCTION_COST: Readonly<Argon2Cost> = Object.freeze({
  iterations: NACL_OPSLIMIT,
  memoryKiB: NACL_MEMLIMIT_BYTES / 1024,
});
let activeCost: Readonly<Argon2Cost> = PRODUCTION_COST;

/**
 * Test-only: lowers the Argon2i cost for round-trip tests that do not check btwallet bytes.
 * Refuses to run outside `node --test`. Not exported from the package; nothing read from a
 * keyfile can reach it (a `$NACL` file carries no KDF parameters).
 */
export function setArgon2CostForTesting(cost: Argon2Cost | undefined): void {
  if (process.env.NODE_TEST_CONTEXT === undefined) {
    throw new Error('setArgon2CostForTesting is only available under `node --test`');
  }
  if (cost === undefined) {
    activeCost = PRODUCTION_COST;
    return;
  }
  if (!Number.isInteger(cost.iterations) || cost.iterations < 1) {
    throw new RangeError('iterations must be a positive integer');
  }
  if (!Number.isInteger(cost.memoryKiB) || cost.memoryKiB < 8) {
    throw new RangeError('memoryKiB must be an integer >= 8');
  }
  activeCost = Object.freeze({ iterations: cost.iterations, memoryKiB: cost.memoryKiB });
}

/** The Argon2i cost in use (btwallet's unless a test lowered it). */
export function currentArgon2Cost(): Readonly<Argon2Cost> {
  return activeCost;
}

/** Progress of a slow key derivation; the KDFs have no progress hook, so `tick` reports time only. */
export interface KdfProgressEvent {
  kdf: 'argon2i' | 'pbkdf2-sha256' | 'scrypt';
  phase: 'start' | 'tick' | 'done';
  elapsedMs: number;
}

/** Callback receiving {@link KdfProgressEvent}s. */
export type KdfProgressCallback = (event: KdfProgressEvent) => void;

/** Options for slow key derivations. */
export interface KdfOptions {
  /** Called with `start`, then `tick` every `tickMs` while the KDF runs, then `done`. */
  onProgress?: KdfProgressCallback;
  /** Interval between `tick` events (default 250 ms). */
  tickMs?: number;
  /** Aborts the derivation (Node: the worker is terminated; browser: seen before and after it). */
  signal?: AbortSignal;
}

/** The error of an aborted derivation. */
export function abortError(signal: AbortSignal): WalletError {
  return new WalletError('ABORTED', 'Key derivation was aborted', { cause: signal.reason });
}

/** Runs `work` while emitting start / tick / done progress events. */
export async function withProgress<T>(
  kdf: KdfProgressEvent['kdf'],
  opts: KdfOptions,
  work: () => Promise<T>,
): Promise<T> {
  const { onProgress } = opts;
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  onProgress?.({ kdf, phase: 'start', elapsedMs: 0 });
  const tickMs = opts.tickMs ?? 250;
  const timer =
    onProgress === undefined
      ? undefined
      : setInterval(() => onProgress({ kdf, phase: 'tick', elapsedMs: elapsed() }), tickMs);
  try {
    const result = await work();
    onProgress?.({ kdf, phase: 'done', elapsedMs: elapsed() });
    return result;
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
}

/** Longest password accepted, in UTF-16 code units. */
export const MAX_PASSWORD_LENGTH = 1024;

/** UTF-8 bytes of a password; rejects non-strings, lone surrogates and absurd lengths. */
export function passwordToBytes(password: unknown): Uint8Array {
  if (typeof password !== 'string') {
    throw new TypeError(
      `password must be a string, got ${password === null ? 'null' : typeof password}`,
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new RangeError(`password is too long (max ${MAX_PASSWORD_LENGTH} characters)`);
  }
  if (/\p{Cs}/u.test(password)) {
    throw new RangeError('password contains a lone UTF-16 surrogate (not valid Unicode)');
  }
  return new TextEncoder().encode(password);
}
