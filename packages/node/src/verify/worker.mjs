// Signature-verification worker. Plain JS on purpose: worker threads do not inherit the
// `--import tsx` loader, so this file must run without it.
//
// Protocol (see verifier.ts):
//   worker -> main  { kind: 'ready' } once wasm is initialised
//   main -> worker  { id, types: Uint8Array(n), offsets: Uint32Array(n + 1), data: Uint8Array }
//                   job i is data[offsets[i], offsets[i + 1]) laid out as signature(64) | publicKey(32) | message
//                   types[i] is 0 for sr25519, 1 for ed25519
//   worker -> main  { kind: 'result', id, results: Uint8Array(n) } with 1 = valid, 0 = invalid
import { parentPort } from 'node:worker_threads';
import { ed25519Verify, sr25519Verify, waitReady } from '@polkadot/wasm-crypto';

const SIGNATURE_BYTES = 64;
const PUBLIC_KEY_BYTES = 32;
const HEADER_BYTES = SIGNATURE_BYTES + PUBLIC_KEY_BYTES;

if (parentPort === null) throw new Error('verify/worker.mjs must run as a worker thread');
if (!(await waitReady())) throw new Error('@polkadot/wasm-crypto failed to initialise');

const port = parentPort;

/** Verifies one packed job; any failure inside the wasm call counts as invalid. */
function verifyOne(type, bytes) {
  if (bytes.length < HEADER_BYTES) return false;
  const signature = bytes.subarray(0, SIGNATURE_BYTES);
  const publicKey = bytes.subarray(SIGNATURE_BYTES, HEADER_BYTES);
  const message = bytes.subarray(HEADER_BYTES);
  try {
    return type === 0
      ? sr25519Verify(signature, message, publicKey)
      : ed25519Verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

port.on('message', (batch) => {
  const { id, types, offsets, data } = batch;
  const n = types.length;
  const results = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    results[i] = verifyOne(types[i], data.subarray(start, end)) ? 1 : 0;
  }
  port.postMessage({ kind: 'result', id, results }, [results.buffer]);
});

port.postMessage({ kind: 'ready' });
