// Storage-key hashing throughput on 32-byte keys (AccountId-sized), ours vs @polkadot/util-crypto
// (WASM after cryptoWaitReady) in the same run. Run: node --import tsx packages/codec/src/hashers.bench.ts
import { blake2AsU8a, cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto';
import { Bench } from 'tinybench';
import { hashKey, twox128 } from './hashers.js';
import { concatBytes } from './hex.js';

const BATCH = 256;
const keys = Array.from({ length: BATCH }, (_, i) =>
  new Uint8Array(32).map((_, j) => (i * 31 + j * 7 + 1) & 0xff),
);

type Pair = { label: string; ours: () => void; polkadot: () => void };
const pairs: Pair[] = [
  {
    label: 'twox128',
    ours: () => {
      for (const k of keys) twox128(k);
    },
    polkadot: () => {
      for (const k of keys) xxhashAsU8a(k, 128);
    },
  },
  {
    label: 'blake2_128Concat',
    ours: () => {
      for (const k of keys) hashKey('Blake2_128Concat', k);
    },
    polkadot: () => {
      for (const k of keys) concatBytes(blake2AsU8a(k, 128), k);
    },
  },
  {
    label: 'twox64Concat',
    ours: () => {
      for (const k of keys) hashKey('Twox64Concat', k);
    },
    polkadot: () => {
      for (const k of keys) concatBytes(xxhashAsU8a(k, 64), k);
    },
  },
];

await cryptoWaitReady();
const bench = new Bench({ time: 400, warmup: true });
for (const p of pairs) {
  bench.add(`${p.label} (ours)`, p.ours);
  bench.add(`${p.label} (@polkadot/util-crypto)`, p.polkadot);
}
await bench.run();

/** Hashes per second of a task (each task call hashes BATCH keys). */
function opsPerSecond(name: string): number {
  const task = bench.getTask(name);
  const r = task?.result;
  if (r === undefined || !('latency' in r)) throw new Error(`no result for ${name}`);
  return (BATCH * 1000) / r.latency.mean;
}

const baseline = opsPerSecond('twox128 (@polkadot/util-crypto)');
const rows = [['operation (32-byte key)', 'ops/s', 'vs polkadot same op', 'vs polkadot twox128']];
for (const p of pairs) {
  const ours = opsPerSecond(`${p.label} (ours)`);
  const theirs = opsPerSecond(`${p.label} (@polkadot/util-crypto)`);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  rows.push([
    `${p.label} (ours)`,
    fmt(ours),
    `${(ours / theirs).toFixed(2)}x`,
    `${(ours / baseline).toFixed(2)}x`,
  ]);
  rows.push([
    `${p.label} (@polkadot/util-crypto)`,
    fmt(theirs),
    '1.00x',
    `${(theirs / baseline).toFixed(2)}x`,
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |\n`;
process.stdout.write(line(rows[0]!));
process.stdout.write(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
for (const r of rows.slice(1)) process.stdout.write(line(r));
