// sr25519 verification thread for verify-pool.ts. Plain JS: worker threads are started without
// the parent's `--import tsx` loader.
//
//   worker -> main  { kind: 'ready', ok } once the wasm is initialised (ok false: it is not)
//   main -> worker  { id, offsets: Uint32Array(n + 1), data: Uint8Array }
//                   job i is data[offsets[i], offsets[i + 1]): signature(64) | publicKey(32) | message
//   worker -> main  { kind: 'result', id, results: Uint8Array(n) }, 1 = valid
// A job is valid when the signature verifies over the message or over `<Bytes>message</Bytes>`
// (btwallet's Keypair.verify).
import { parentPort } from 'node:worker_threads';
import { sr25519Verify, waitReady } from '@polkadot/wasm-crypto';

if (parentPort === null) throw new Error('verify-worker.mjs must run as a worker thread');
const port = parentPort;
const OPEN = new TextEncoder().encode('<Bytes>');
const CLOSE = new TextEncoder().encode('</Bytes>');

function verify(bytes) {
  if (bytes.length < 96) return false;
  const signature = bytes.subarray(0, 64);
  const publicKey = bytes.subarray(64, 96);
  const message = bytes.subarray(96);
  try {
    if (sr25519Verify(signature, message, publicKey)) return true;
    const wrapped = new Uint8Array(OPEN.length + message.length + CLOSE.length);
    wrapped.set(OPEN, 0);
    wrapped.set(message, OPEN.length);
    wrapped.set(CLOSE, OPEN.length + message.length);
    return sr25519Verify(signature, wrapped, publicKey);
  } catch {
    return false;
  }
}

port.on('message', ({ id, offsets, data }) => {
  const n = offsets.length - 1;
  const results = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    results[i] = verify(data.subarray(offsets[i], offsets[i + 1])) ? 1 : 0;
  }
  port.postMessage({ kind: 'result', id, results }, [results.buffer]);
});

port.postMessage({ kind: 'ready', ok: await waitReady() });
