// One small synapse fanned out from one Dendrite to 256 local axons (served by child processes),
// wall time per fan-out p50/p99, split into the dendrite's signing, the axons' time and the rest
// (network, queuing, parsing). Two configurations: the SDK's defaults (a `Keypair` given to the
// Dendrite, axons with their default verifier: both sr25519 in @polkadot/wasm-crypto through the
// sdk's fast-crypto) and, for comparison, the pure-JS @taoscript/crypto injected as signer and
// verifier.
// Run standalone: `node --import tsx bench/dendrite.bench.ts`.
// Env: BENCH_AXONS (256), BENCH_AXON_PROCS (2), BENCH_ROUNDS_DEFAULT (40), BENCH_ROUNDS_JS (12),
// BENCH_ONLY (`default` or `js`: run that configuration alone, for profiling),
// BENCH_AXON_VERIFY_THREADS (the axons' `verifyThreads`; default: the axon's default).
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { keypairFromSeed } from '@taoscript/crypto';
import { z } from 'zod';
import { Axon } from '../packages/sdk/src/axon/index.js';
import { type AxonTarget, Dendrite } from '../packages/sdk/src/dendrite/index.js';
import { fastSr25519 } from '../packages/sdk/src/fast-crypto/index.js';
import { defaultVerifier, defineSynapse } from '../packages/sdk/src/synapse/index.js';
import { machine, out } from './support.js';

const AXONS = Number(process.env.BENCH_AXONS ?? 256);
const PROCS = Number(process.env.BENCH_AXON_PROCS ?? 2);
const ROUNDS_JS = Number(process.env.BENCH_ROUNDS_JS ?? 12);
const ROUNDS_DEFAULT = Number(process.env.BENCH_ROUNDS_DEFAULT ?? 40);
const ONLY = process.env.BENCH_ONLY || undefined;
const VERIFY_THREADS =
  process.env.BENCH_AXON_VERIFY_THREADS === undefined
    ? undefined
    : Number(process.env.BENCH_AXON_VERIFY_THREADS);
/** Milliseconds per wasm sr25519 signature, measured in main(). */
let wasmSignMs = Number.NaN;

const Ping = defineSynapse({
  name: 'Ping',
  request: z.object({ n: z.int() }),
  response: z.object({ n2: z.int() }),
  hashFields: ['n'],
});
const validatorSeed = new Uint8Array(32).fill(3);
const axonSeed = (i: number) => {
  const s = new Uint8Array(32);
  new DataView(s.buffer).setUint32(0, i + 1);
  return s;
};

type Mode = 'default' | 'js';
interface Stats {
  /** Milliseconds from arrival to response, per request. */
  serverMs: number[];
  /** CPU milliseconds the process used. */
  cpuMs: number;
}

// ---------------------------------------------------------------------------------------------
// Child: serves axons [from, from + count).
if (process.argv[2] === '--axons') {
  const [from, count, mode, validator] = [
    Number(process.argv[3]),
    Number(process.argv[4]),
    process.argv[5] as Mode,
    process.argv[6]!,
  ];
  let serverMs: number[] = [];
  let cpu = process.cpuUsage();
  const targets: AxonTarget[] = [];
  for (let i = from; i < from + count; i++) {
    const keypair = keypairFromSeed(axonSeed(i));
    const axon = new Axon({
      keypair,
      host: '127.0.0.1',
      port: 0,
      neurons: {
        lookup: (h) => (h === validator ? { uid: 0, validatorPermit: true, stake: 1n } : undefined),
      },
      onResponse: (e) => serverMs.push(e.elapsed * 1000),
      ...(mode === 'js' ? { verifier: defaultVerifier } : {}),
      ...(VERIFY_THREADS === undefined ? {} : { verifyThreads: VERIFY_THREADS }),
    });
    axon.attach(Ping, (s) => ({ n2: s.n * 2 }));
    await axon.start(); // loads the wasm verifier (the default)
    targets.push({ ip: '127.0.0.1', port: axon.port, hotkey: keypair.address() });
  }
  process.on('message', (msg: string) => {
    if (msg !== 'stats') return;
    const used = process.cpuUsage(cpu);
    process.send?.({ serverMs, cpuMs: (used.user + used.system) / 1000 } satisfies Stats);
    serverMs = [];
    cpu = process.cpuUsage();
  });
  process.send?.(targets);
} else {
  await main();
}

async function startAxons(mode: Mode, validator: string) {
  const children: ChildProcess[] = [];
  const targets: AxonTarget[] = [];
  const per = Math.ceil(AXONS / PROCS);
  for (let p = 0; p < PROCS; p++) {
    const count = Math.min(per, AXONS - p * per);
    const child = fork(
      new URL(import.meta.url),
      ['--axons', String(p * per), String(count), mode, validator],
      { stdio: 'inherit' },
    );
    const list = await new Promise<AxonTarget[]>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`axon process exited with code ${code}`)));
      child.once('message', (m) => resolve(m as AxonTarget[]));
    });
    targets.push(...list);
    children.push(child);
  }
  const stats = async (): Promise<Stats> => {
    const all = await Promise.all(
      children.map(async (c) => {
        c.send('stats');
        return ((await once(c, 'message')) as [Stats])[0];
      }),
    );
    return {
      serverMs: all.flatMap((s) => s.serverMs),
      cpuMs: all.reduce((a, s) => a + s.cpuMs, 0),
    };
  };
  const stop = () => {
    for (const c of children) c.kill();
  };
  return { targets, stats, stop };
}

function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
}

interface Row {
  mode: Mode;
  rounds: number;
  wall: number[];
  sign: number[];
  axonCpu: number[];
  server: number[];
  client: number[];
  failures: number;
}

async function run(mode: Mode, rounds: number): Promise<Row> {
  const pair = keypairFromSeed(validatorSeed);
  let signMs = 0;
  // js: a key-less signer, so the dendrite calls its sign() (timed). default: the Keypair itself;
  // its signing time is estimated from the wasm sign rate (measured in main()).
  const jsSigner = {
    address: () => pair.address(),
    sign: (m: Uint8Array) => {
      const t = performance.now();
      const sig = pair.sign(m);
      signMs += performance.now() - t;
      return sig;
    },
  };
  const axons = await startAxons(mode, pair.address());
  const dendrite = new Dendrite({ keypair: mode === 'js' ? jsSigner : pair });
  const row: Row = {
    mode,
    rounds,
    wall: [],
    sign: [],
    axonCpu: [],
    server: [],
    client: [],
    failures: 0,
  };
  for (let r = -1; r < rounds; r++) {
    await axons.stats(); // reset the children's counters
    signMs = 0;
    const t0 = performance.now();
    const results = await dendrite.query(axons.targets, Ping.create({ n: r }), { timeout: 30 });
    const wall = performance.now() - t0;
    const stats = await axons.stats();
    if (r < 0) continue; // warm-up: connections are opened here
    row.wall.push(wall);
    row.sign.push(mode === 'js' ? signMs : AXONS * wasmSignMs);
    row.axonCpu.push(stats.cpuMs);
    row.server.push(...stats.serverMs);
    for (const s of results) {
      if (s.dendrite.status_code !== 200 || s.n2 !== r * 2) row.failures++;
      else row.client.push(s.dendrite.process_time! * 1000);
    }
  }
  await dendrite.close();
  axons.stop();
  return row;
}

async function main() {
  if ((await fastSr25519.load()) !== 'wasm') {
    throw new Error(`@polkadot/wasm-crypto did not load: ${String(fastSr25519.failure)}`);
  }
  const pair = keypairFromSeed(validatorSeed);
  const msg = new TextEncoder().encode(`${'1763900000123456789.'.repeat(6)}a7ffc6f8bf1ed766`);
  for (let i = 0; i < 50; i++) fastSr25519.sign(pair.publicKey, pair.secretKey, msg);
  const t0 = performance.now();
  for (let i = 0; i < 500; i++) fastSr25519.sign(pair.publicKey, pair.secretKey, msg);
  wasmSignMs = (performance.now() - t0) / 500;
  const m = machine();
  out(`# dendrite: one synapse to ${AXONS} axons (node ${m.node}, ${m.nproc} cores, ${m.model})`);
  out(`Axons in ${PROCS} child processes; the dendrite in this one; keep-alive connections.`);
  out();
  const rows: Row[] = [];
  if (ONLY === undefined || ONLY === 'default') rows.push(await run('default', ROUNDS_DEFAULT));
  if (ONLY === undefined || ONLY === 'js') rows.push(await run('js', ROUNDS_JS));
  const f = (x: number) => x.toFixed(0);
  out(
    '| crypto | rounds | wall p50 | wall p99 | signing / fan-out p50 | axon CPU / fan-out p50 | per-call axon time p50 / p99 | per-call client time p50 / p99 | failed |',
  );
  out('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    out(
      `| ${r.mode === 'js' ? 'pure-JS @taoscript/crypto injected' : '**defaults (wasm via fast-crypto)**'} | ${r.rounds} | **${f(pct(r.wall, 0.5))} ms** | ${f(pct(r.wall, 0.99))} ms | ${f(pct(r.sign, 0.5))} ms | ${f(pct(r.axonCpu, 0.5))} ms | ${f(pct(r.server, 0.5))} / ${f(pct(r.server, 0.99))} ms | ${f(pct(r.client, 0.5))} / ${f(pct(r.client, 0.99))} ms | ${r.failures} |`,
    );
  }
  out();
  out(
    `signing = time the dendrite spent in sr25519 sign (serial, this thread; defaults: ${AXONS} × ${(wasmSignMs * 1000).toFixed(0)} µs measured alone); axon CPU = CPU the axon processes used (verification dominates);`,
  );
  out(
    'per-call axon time = arrival → response inside an axon (includes waiting behind other axons of the same process); per-call client time = the synapse’s dendrite.process_time (sign + network + axon + parse).',
  );
  for (const r of rows) {
    const p50 = pct(r.wall, 0.5);
    out(`Goal p50 < 400 ms, ${r.mode}: ${f(p50)} ms (${p50 < 400 ? 'met' : 'NOT met'}).`);
  }
}
