// Time of one Yuma Consensus epoch (`epochMechanism`, bit-exact fixed point) for n = 256, 1024 and
// 4096 uids, 64 and 256 validators, 10% and full weight density, classic and Yuma3 + liquid alpha,
// against a float64 numpy implementation of the same math (bench/epoch_numpy.py) on the same sizes
// in the same run. Prints a markdown table (medians) and the ratio ours / numpy.
// Run with `node --import tsx bench/epoch.bench.ts` or `npm run bench -- epoch`.
// Tunables (env): BENCH_EPOCH_BUDGET_MS (target timed milliseconds per case and side, 1200),
// BENCH_EPOCH_SKIP_NUMPY=1 to time only ours.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EpochInput, SparseRowU16 } from '../packages/runtime/src/subtensor/epoch/types.js';
import { epochMechanism } from '../packages/runtime/src/subtensor/epoch/yuma.js';
import { fmt, machine, now, out, waitQuiet } from './support.js';

const envInt = (name: string, fallback: number, min: number, max: number): number => {
  const v = process.env[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${v}`);
  return n;
};

const BUDGET_MS = envInt('BENCH_EPOCH_BUDGET_MS', 1200, 100, 60_000);
const SKIP_NUMPY = process.env.BENCH_EPOCH_SKIP_NUMPY === '1';

type Mode = 'classic' | 'yuma3';
interface Case {
  n: number;
  validators: number;
  density: number;
  mode: Mode;
}

/** mulberry32: a small deterministic PRNG (the inputs are the same on every run). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The validators are uids 0..v−1 with distinct stakes and permits; each sets weights on a random
 * `density` share of all uids (row max-upscaled like set_weights) and holds bonds of the same
 * density. Everybody was active at block 999, registered at block 1; the epoch runs at block 1000.
 */
function makeInput(c: Case): EpochInput {
  const { n, validators: v, density } = c;
  const rnd = prng(1);
  const weights: SparseRowU16[] = [];
  const bonds: SparseRowU16[] = [];
  for (let i = 0; i < n; i++) {
    const w: SparseRowU16 = [];
    const b: SparseRowU16 = [];
    if (i < v) {
      let max = 1;
      for (let j = 0; j < n; j++) {
        if (rnd() < density) {
          const u = 1 + Math.floor(rnd() * 65535);
          w.push([j, u]);
          max = Math.max(max, u);
        }
      }
      for (const e of w) e[1] = Math.floor((e[1] * 65535) / max);
      for (let j = 0; j < n; j++) if (rnd() < density) b.push([j, Math.floor(rnd() * 65536)]);
    }
    weights.push(w);
    bonds.push(b);
  }
  const yuma3 = c.mode === 'yuma3';
  return {
    n,
    currentBlock: 1000n,
    alphaStake: Array.from({ length: n }, () => 0n).map((_, i) =>
      i < v ? BigInt(1_000_000_000 + Math.floor(rnd() * 1e12)) : 0n,
    ),
    taoStake: new Array<bigint>(n).fill(0n),
    blockAtRegistration: new Array<bigint>(n).fill(1n),
    lastUpdate: new Array<bigint>(n).fill(999n),
    validatorPermits: Array.from({ length: n }, (_, i) => i < v),
    weights,
    bonds,
    commitBlocks: [],
    params: {
      kappaU16: 32767,
      bondsMovingAverage: 900_000n,
      bondsPenaltyU16: 65535,
      activityCutoffBlocks: 5000n,
      yuma3Enabled: yuma3,
      liquidAlphaEnabled: yuma3,
      alphaValuesU16: [45875, 58982],
      alphaSigmoidSteepness: 1000,
      commitRevealEnabled: false,
      stakeThreshold: 0n,
      taoWeight: 0n,
      subnetOwnerUid: null,
      lastMechanismStepBlock: 0n,
      tempo: 360,
      maxAllowedValidators: v,
    },
    raoEmission: 1_000_000_000n,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Times `epochMechanism` on one case: two warm-up runs, then until the budget (3..25 runs). */
function timeOurs(c: Case): { ms: number[]; nnz: number } {
  const input = makeInput(c);
  const nnz = input.weights.reduce((a, r) => a + r.length, 0);
  epochMechanism(input);
  epochMechanism(input);
  const ms: number[] = [];
  let spent = 0;
  while (ms.length < 3 || (spent < BUDGET_MS && ms.length < 25)) {
    const t = now();
    epochMechanism(input);
    const dt = now() - t;
    ms.push(dt);
    spent += dt;
  }
  return { ms, nnz };
}

const cases: Case[] = [];
for (const n of [256, 1024, 4096]) {
  for (const validators of [64, 256]) {
    for (const density of [0.1, 1]) {
      for (const mode of ['classic', 'yuma3'] as const)
        cases.push({ n, validators, density, mode });
    }
  }
}

const m = machine();
out(`epoch: ${cases.length} cases, budget ${BUDGET_MS} ms of timed runs per case and side`);
out(`machine: ${m.nproc} cores, ${m.model}, load ${m.load}, node ${m.node}`);
const started = now();
// Warm the JIT on both paths before the first timed case (a chain runs the epoch repeatedly).
for (const mode of ['classic', 'yuma3'] as const) {
  const warm = makeInput({ n: 256, validators: 64, density: 1, mode });
  for (let k = 0; k < 30; k++) epochMechanism(warm);
}
let busy = await waitQuiet([], 20_000);
out(`other processes before our runs: ${fmt(busy, 2)} cores busy`);
const ours = cases.map((c) => ({ c, ...timeOurs(c) }));
out(`ours measured in ${fmt((now() - started) / 1000, 1)} s`);

const numpy = new Map<string, number[]>();
const key = (c: Case): string => `${c.n}/${c.validators}/${c.density}/${c.mode}`;
if (!SKIP_NUMPY) {
  busy = await waitQuiet([], 20_000);
  out(`other processes before numpy: ${fmt(busy, 2)} cores busy`);
  const t = now();
  const script = fileURLToPath(new URL('./epoch_numpy.py', import.meta.url));
  const spec = ours.map(({ c, ms }) => ({ ...c, runs: ms.length }));
  const r = spawnSync('python3', [script, JSON.stringify(spec)], {
    encoding: 'utf8',
    timeout: 170_000,
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) out(`numpy reference failed: ${r.error?.message ?? r.stderr.trim()}`);
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const x = JSON.parse(line) as Case & { ms: number[] };
    numpy.set(key(x), x.ms);
  }
  out(`numpy measured in ${fmt((now() - t) / 1000, 1)} s`);
}

out();
out(
  '| n | validators | density | weights | mode | ours ms (median / min) | numpy f64 ms (median / min) | ours / numpy (median) |',
);
out('|---:|---:|---:|---:|---|---:|---:|---:|');
const ms2 = (x: number): string => fmt(x, x < 10 ? 2 : 1);
for (const { c, ms, nnz } of ours) {
  const a = median(ms);
  const np = numpy.get(key(c));
  const b = np ? median(np) : Number.NaN;
  const mode = c.mode === 'classic' ? 'classic' : 'Yuma3 + liquid α';
  out(
    `| ${c.n} | ${c.validators} | ${c.density * 100}% | ${nnz} | ${mode} | ` +
      `${ms2(a)} / ${ms2(Math.min(...ms))} | ` +
      `${np ? `${ms2(b)} / ${ms2(Math.min(...np))}` : 'n/a'} | ${np ? fmt(a / b, 2) : 'n/a'} |`,
  );
}
out();
const pick = (n: number, v: number, d: number, mode: Mode): number =>
  median(
    ours.find(({ c }) => c.n === n && c.validators === v && c.density === d && c.mode === mode)
      ?.ms ?? [Number.NaN],
  );
const g1 = Math.max(pick(256, 64, 0.1, 'classic'), pick(256, 64, 1, 'classic'));
const g2 = Math.max(pick(256, 64, 0.1, 'yuma3'), pick(256, 64, 1, 'yuma3'));
const g3 = pick(4096, 256, 1, 'classic');
out(
  `goal n=256 classic < 5 ms (64 validators, worst density): ${fmt(g1, 2)} ms ${g1 < 5 ? 'met' : 'NOT met'}`,
);
out(
  `goal n=256 Yuma3 + liquid alpha < 20 ms (64 validators, worst density): ${fmt(g2, 2)} ms ${g2 < 20 ? 'met' : 'NOT met'}`,
);
out(
  `goal n=4096, 256 validators, full density, classic < 2 s: ${fmt(g3)} ms ${g3 < 2000 ? 'met' : 'NOT met'}`,
);
out(`total ${fmt((now() - started) / 1000, 1)} s`);
