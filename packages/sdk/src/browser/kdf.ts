/**
 * The `$NACL` key derivation in a browser: hash-wasm's Argon2i (WebAssembly, 512 MiB, 8 passes)
 * on the calling thread. It blocks that thread for seconds, so a page should call it from a Web
 * Worker; the abort signal is honoured before and after the hash, not during it.
 */
import { argon2i } from 'hash-wasm';
import { WalletError } from '../wallet/errors.js';
import {
  abortError,
  currentArgon2Cost,
  type KdfOptions,
  NACL_SALT,
  passwordToBytes,
  withProgress,
} from '../wallet/kdf-params.js';

let queue: Promise<void> = Promise.resolve();

/**
 * Argon2i v1.3 with btwallet's `$NACL` parameters (fixed salt, 8 passes, 512 MiB, 1 lane, 32-byte
 * output), the password as its UTF-8 bytes; one derivation at a time.
 * @example
 * import { deriveNaclKey } from '@taoscript/sdk/browser';
 * const key = await deriveNaclKey('correct horse battery staple');
 */
export async function deriveNaclKey(password: string, opts: KdfOptions = {}): Promise<Uint8Array> {
  const passwordBytes = passwordToBytes(password);
  const cost = currentArgon2Cost();
  const { signal } = opts;
  const previous = queue;
  let release!: () => void;
  queue = new Promise<void>((r) => {
    release = r;
  });
  try {
    if (signal?.aborted) throw abortError(signal);
    await previous;
    if (signal?.aborted) throw abortError(signal);
    return await withProgress('argon2i', opts, async () => {
      let key: Uint8Array;
      try {
        key = await argon2i({
          password: passwordBytes,
          salt: NACL_SALT,
          iterations: cost.iterations,
          memorySize: cost.memoryKiB,
          parallelism: 1,
          hashLength: 32,
          outputType: 'binary',
        });
      } catch (error) {
        throw new WalletError('KDF_FAILED', 'Argon2i key derivation failed', {
          cause: error,
          details: error instanceof Error ? error.message : String(error),
          meta: ['It needs 512 MiB of free memory.'],
        });
      }
      if (signal?.aborted) {
        key.fill(0);
        throw abortError(signal);
      }
      return key;
    });
  } finally {
    passwordBytes.fill(0);
    release();
  }
}
