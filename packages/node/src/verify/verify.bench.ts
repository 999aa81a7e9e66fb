// Throughput of the verifier pool against raw single-thread wasm sr25519 verification.
// Run with `npm run bench -- verify`; not part of the test run.
import { availableParallelism } from 'node:os';
import {
  sr25519KeypairFromSeed,
  sr25519Sign,
  sr25519Verify,
  waitReady,
} from '@polkadot/wasm-crypto';
import { createVerifier, type VerifyJob } from './index.js';

const COUNT = 4000;
const ROUNDS = 3;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

await waitReady();
const enc = new TextEncoder();
const jobs: VerifyJob[] = [];
for (let i = 0; i < COUNT; i++) {
  const pair = sr25519KeypairFromSeed(new Uint8Array(32).fill(i % 16));
  const secret = pair.subarray(0, 64);
  const publicKey = pair.slice(64);
  // Typical signed-extrinsic payload size (call + extensions), under Substrate's 256-byte hash cut.
  const message = enc.encode(`transfer_keep_alive #${i} `.padEnd(120, '.'));
  jobs.push({
    type: 'sr25519',
    message,
    publicKey,
    signature: sr25519Sign(publicKey, secret, message),
  });
}

/** Best (highest) rate over ROUNDS runs of `run`, in verifications per second. */
async function bestRate(run: () => Promise<number> | number): Promise<number> {
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const valid = await run();
    const seconds = (performance.now() - t0) / 1000;
    if (valid !== COUNT) throw new Error(`expected ${COUNT} valid signatures, got ${valid}`);
    best = Math.max(best, COUNT / seconds);
  }
  return best;
}

const raw = await bestRate(() => {
  let valid = 0;
  for (const j of jobs) if (sr25519Verify(j.signature, j.message, j.publicKey)) valid++;
  return valid;
});

const countTrue = (results: boolean[]): number => results.filter(Boolean).length;
const rows: Array<[string, number]> = [['raw wasm, calling thread', raw]];
for (const threads of [1, 2]) {
  const verifier = await createVerifier({ threads });
  try {
    rows.push([
      `pool ${threads} thread(s), verifyMany`,
      await bestRate(async () => countTrue(await verifier.verifyMany(jobs))),
    ]);
    rows.push([
      `pool ${threads} thread(s), ${COUNT} concurrent verify()`,
      await bestRate(async () => countTrue(await Promise.all(jobs.map((j) => verifier.verify(j))))),
    ]);
  } finally {
    await verifier.close();
  }
}

out(
  `sr25519 verification, ${COUNT} signatures, best of ${ROUNDS} (${availableParallelism()} cores)`,
);
for (const [name, rate] of rows) {
  out(
    `  ${name.padEnd(44)} ${rate.toFixed(0).padStart(7)} /s   pool/raw ${(rate / raw).toFixed(2)}x`,
  );
}
