// Pure-JS sr25519 (this package, via @scure/sr25519) against schnorrkel compiled to wasm
// (@polkadot/wasm-crypto). Run with `npm run bench -- crypto`; not part of the test run.
import {
  waitReady,
  sr25519Sign as wasmSign,
  sr25519Verify as wasmVerify,
} from '@polkadot/wasm-crypto';
import { Bench } from 'tinybench';
import { sr25519PairFromSeed, sr25519Sign, sr25519Verify } from './sr25519.js';

await waitReady();

const { publicKey, secretKey } = sr25519PairFromSeed(new Uint8Array(32).fill(7));
const message = new TextEncoder().encode(
  '1763900000123456789.5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82',
);
const signature = sr25519Sign(secretKey, message);
if (!wasmVerify(signature, message, publicKey)) throw new Error('wasm rejects the JS signature');
if (!sr25519Verify(wasmSign(publicKey, secretKey, message), message, publicKey)) {
  throw new Error('JS rejects the wasm signature');
}

const bench = new Bench({ name: 'sr25519', time: 1000 });
bench
  .add('js sign', () => {
    sr25519Sign(secretKey, message);
  })
  .add('wasm sign', () => {
    wasmSign(publicKey, secretKey, message);
  })
  .add('js verify', () => {
    if (!sr25519Verify(signature, message, publicKey)) throw new Error('verify failed');
  })
  .add('wasm verify', () => {
    if (!wasmVerify(signature, message, publicKey)) throw new Error('verify failed');
  });
await bench.run();

function meanMs(name: string): number {
  const result = bench.getTask(name)?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`${name} did not complete`);
  return result.latency.mean;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
out(`sr25519 (${bench.runtime} ${bench.runtimeVersion})`);
for (const name of ['js sign', 'wasm sign', 'js verify', 'wasm verify']) {
  out(`  ${name.padEnd(12)} ${meanMs(name).toFixed(3)} ms/op`);
}
out(`  sign   js/wasm = ${(meanMs('js sign') / meanMs('wasm sign')).toFixed(1)}x`);
out(`  verify js/wasm = ${(meanMs('js verify') / meanMs('wasm verify')).toFixed(1)}x`);
