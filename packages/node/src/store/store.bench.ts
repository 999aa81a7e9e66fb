// LMDB chain store: hot-path reads and commit latency. Run with `npm run bench -- store`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { openLmdbStore } from './lmdb-store.js';
import { makeBlock } from './test-fixtures/blocks.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const dir = mkdtempSync(join(tmpdir(), 'tao-store-bench-'));
try {
  const store = openLmdbStore({ path: join(dir, 'db') });
  const KEYS = 200_000;
  const keyHex = (i: number): string =>
    `0x${'658faa385070e074c85bf6b568cf0555'}${'aab83b8bd44c41d1e0a8e0eec0f11f3f'}${i.toString(16).padStart(32, '0')}`;
  const keyBytes = (i: number): Uint8Array =>
    new Uint8Array(Buffer.from(keyHex(i).slice(2), 'hex'));
  const value = new Uint8Array(48).fill(7);
  const genesis = new Map<string, Uint8Array>();
  for (let i = 0; i < KEYS; i++) genesis.set(keyHex(i), value);
  let t = performance.now();
  await store.commitGenesis(makeBlock(0, undefined, genesis));
  out(`genesis with ${KEYS} keys: ${(performance.now() - t).toFixed(0)} ms`);

  let n = 0;
  for (const size of [50, 500, 5000]) {
    const commitMs: number[] = [];
    for (let round = 0; round < 10; round++) {
      n++;
      const changes = new Map<string, Uint8Array | null>();
      for (let j = 0; j < size; j++) {
        const i = (n * 7919 + j * 104_729) % KEYS;
        changes.set(keyHex(i), j % 50 === 0 ? null : new Uint8Array(48).fill(n));
      }
      const head = store.head()!;
      t = performance.now();
      await store.commitBlock(makeBlock(n, head.hash, changes));
      commitMs.push(performance.now() - t);
    }
    commitMs.sort((a, b) => a - b);
    out(
      `commitBlock, ${size} keys spread over the state (incl. fsync): median ${commitMs[5]?.toFixed(1)} ms, max ${commitMs[9]?.toFixed(1)} ms`,
    );
  }

  const probes = Array.from({ length: 1000 }, (_, j) => keyBytes((j * 2_654_435_761) % KEYS));
  const head = store.stateAt(n);
  const old = store.stateAt(1);
  const bench = new Bench({ name: 'store', time: 1000 });
  bench
    .add('1000 gets at head (80-byte keys)', () => {
      for (const k of probes) head.get(k);
    })
    .add('1000 gets at block 1 (historical)', () => {
      for (const k of probes) old.get(k);
    })
    .add('keys page of 100 at head', () => {
      head.keys(keyBytes(0).subarray(0, 32), keyBytes(1000), 100);
    });
  await bench.run();
  for (const task of bench.tasks) {
    const r = task.result;
    if (r === undefined || !('latency' in r)) throw new Error(`${task.name} did not complete`);
    const per = task.name.startsWith('1000') ? 1000 : 1;
    out(
      `  ${task.name.padEnd(36)} ${(r.latency.mean * 1000).toFixed(0)} µs/op, ${((per * 1000) / r.latency.mean).toFixed(0)} reads/s`,
    );
  }
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
