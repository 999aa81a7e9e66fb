// Signed requests per second one axon serves on one core, against (a) the raw sr25519 verify rate
// of @taoscript/crypto on this machine and (b) a bare node:http server answering the same payload.
// The axon (and the bare server) run in this process, one thread; a child process replays
// pre-signed requests over keep-alive connections (a cheap load generator, like wrk). A second pair of rows injects
// @polkadot/wasm-crypto as the axon's verifier, to show the pipeline's own overhead.
// Run standalone: `node --import tsx bench/axon.bench.ts`. Env: BENCH_SECONDS (4), BENCH_CLIENTS (16).
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  waitReady,
  sr25519Sign as wasmSign,
  sr25519Verify as wasmVerify,
} from '@polkadot/wasm-crypto';
import { keypairFromSeed, sr25519Verify } from '@taoscript/crypto';
import { Client } from 'undici';
import { z } from 'zod';
import { Axon } from '../packages/sdk/src/axon/index.js';
import { prepareRequest } from '../packages/sdk/src/dendrite/index.js';
import { defineSynapse, type SignatureVerifier, uuid1 } from '../packages/sdk/src/synapse/index.js';
import { machine, out } from './support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);

const Echo = defineSynapse({
  name: 'Echo',
  request: z.object({ payload: z.string() }),
  response: z.object({ echo: z.string() }),
  hashFields: ['payload'],
});
const PAYLOAD = 'the quick brown fox jumps over the lazy dog';
const validatorSeed = new Uint8Array(32).fill(9);
const minerSeed = new Uint8Array(32).fill(7);

interface DriveResult {
  ok: number;
  failed: Record<string, number>;
  seconds: number;
  /** CPU share the load generator used. */
  driverCpu: number;
}

// ---------------------------------------------------------------------------------------------
// Child: drive one target with CLIENTS dendrites (one request in flight each), wasm-signed so the
// driver never limits the axon.
if (process.argv[2] === '--driver') {
  // Child: a cheap load generator (like wrk). Requests are signed up front (wasm, untimed) with
  // a 60 s synapse timeout so their nonces stay valid, then replayed over CLIENTS keep-alive
  // connections, one request in flight each, each connection its own dendrite uuid so nonces
  // arrive in order. Only the status and length of each response are checked.
  await waitReady();
  const pair = keypairFromSeed(validatorSeed);
  const signer = { sign: (m: Uint8Array) => wasmSign(pair.publicKey, pair.secretKey, m) };
  process.on(
    'message',
    async (msg: {
      port: number;
      hotkey: string;
      seconds: number;
      count: number;
      reuse: boolean;
    }) => {
      const target = { ip: '127.0.0.1', port: msg.port, hotkey: msg.hotkey };
      // The bare server checks nothing, so one request per connection is replayed.
      const perClient = msg.reuse ? 1 : Math.ceil(msg.count / CLIENTS);
      const queues = await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          const uuid = uuid1();
          const list: { headers: Record<string, string>; body: string }[] = [];
          for (let i = 0; i < perClient; i++) {
            list.push(
              await prepareRequest(Echo.create({ payload: PAYLOAD }), {
                keypair: signer,
                hotkey: pair.address(),
                uuid,
                target,
                timeout: 60,
              }),
            );
          }
          return list;
        }),
      );
      const failed: Record<string, number> = {};
      let ok = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const end = t0 + msg.seconds * 1000;
      await Promise.all(
        queues.map(async (list) => {
          const client = new Client(`http://127.0.0.1:${msg.port}`, { pipelining: 1 });
          for (let i = 0; msg.reuse || i < list.length; i++) {
            if (performance.now() >= end) break;
            const req = list[msg.reuse ? 0 : i]!;
            const res = await client.request({
              path: '/Echo',
              method: 'POST',
              headers: req.headers,
              body: req.body,
            });
            const text = await res.body.text();
            if (res.statusCode === 200 && text.includes(PAYLOAD)) ok++;
            else
              failed[`${res.statusCode} ${text.slice(0, 80)}`] =
                (failed[`${res.statusCode} ${text.slice(0, 80)}`] ?? 0) + 1;
          }
          await client.close();
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      process.send?.({ ok, failed, seconds, driverCpu: (cpu.user + cpu.system) / 1e6 / seconds });
    },
  );
  process.send?.('ready');
} else {
  await main();
}

/** The child's next message; rejects if it exits first (so a crash never hangs the bench). */
function reply(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`driver exited with code ${code}`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m);
    });
  });
}

async function drive(
  port: number,
  hotkey: string,
  expectedRate: number,
  reuse = false,
): Promise<DriveResult & { cpu: number }> {
  const child = fork(new URL(import.meta.url), ['--driver'], { stdio: 'inherit' });
  await reply(child);
  child.send({
    port,
    hotkey,
    seconds: SECONDS,
    count: Math.ceil(expectedRate * SECONDS * 1.5) + CLIENTS,
    reuse,
  });
  // Our CPU from the moment the driver starts sending (it reports back when done).
  const cpu0 = process.cpuUsage();
  const result = (await reply(child)) as DriveResult;
  const cpu = process.cpuUsage(cpu0);
  child.kill();
  return { ...result, cpu: (cpu.user + cpu.system) / 1e6 / result.seconds };
}

function verifyRate(verify: () => boolean, seconds: number): number {
  for (let i = 0; i < 20; i++) verify();
  let n = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 10; i++) if (!verify()) throw new Error('verify failed');
    n += 10;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function runAxon(expectedRate: number, verifier?: SignatureVerifier) {
  const miner = keypairFromSeed(minerSeed);
  const validator = keypairFromSeed(validatorSeed).address();
  const axon = new Axon({
    keypair: miner,
    host: '127.0.0.1',
    port: 0,
    neurons: {
      lookup: (h) => (h === validator ? { uid: 0, validatorPermit: true, stake: 1n } : undefined),
    },
    maxConcurrent: 64,
    maxQueue: 1024,
    ...(verifier ? { verifier } : {}),
  });
  axon.attach(Echo, (s) => ({ echo: s.payload }));
  await axon.start();
  const result = await drive(axon.port, miner.address(), expectedRate);
  await axon.stop();
  return result;
}

async function runBare() {
  // What the axon answers, but with no pipeline: read the body, parse it, reply with fixed JSON.
  const reply = JSON.stringify({ name: 'Echo', payload: PAYLOAD, echo: PAYLOAD });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  // Any SS58 address will do: the bare server checks nothing.
  const hotkey = keypairFromSeed(minerSeed).address();
  const result = await drive((server.address() as AddressInfo).port, hotkey, 0, true);
  server.closeAllConnections();
  server.close();
  return result;
}

async function main() {
  await waitReady();
  const m = machine();
  out(`# axon: signed requests per second (node ${m.node}, ${m.nproc} cores, ${m.model})`);
  out(
    `${SECONDS} s per phase, ${CLIENTS} keep-alive clients in a child process; axon on one thread.`,
  );
  out();

  const pair = keypairFromSeed(validatorSeed);
  const msg = new TextEncoder().encode(
    '1763900000123456789.5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.6f1c2a3e-c8b1-11f0-9d2e-0242ac120002.a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
  );
  const sig = pair.sign(msg);
  const rawJs = verifyRate(() => sr25519Verify(sig, msg, pair.publicKey), 2);
  const rawWasm = verifyRate(() => wasmVerify(sig, msg, pair.publicKey), 2);

  const axonJs = await runAxon(rawJs);
  const axonWasm = await runAxon(rawWasm, (s, mm, pk) => wasmVerify(s, mm, pk));
  const bare = await runBare();

  const rate = (r: DriveResult) => r.ok / r.seconds;
  const failures = (r: DriveResult) => Object.values(r.failed).reduce((a, b) => a + b, 0);
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const row = (name: string, perSec: number, ref?: number, r?: DriveResult & { cpu: number }) =>
    out(
      `| ${name} | ${perSec.toFixed(0)} | ${ref === undefined ? '—' : (perSec / ref).toFixed(2)} | ${
        r ? pct(r.cpu) : '—'
      } | ${r ? pct(r.driverCpu) : '—'} | ${r ? failures(r) : '—'} |`,
    );
  out('| target | req/s | ÷ raw verify | server CPU | load-generator CPU | failed |');
  out('| --- | ---: | ---: | ---: | ---: | ---: |');
  row('raw sr25519 verify, @taoscript/crypto (1 thread)', rawJs, rawJs);
  row('**axon, default verifier (@taoscript/crypto)**', rate(axonJs), rawJs, axonJs);
  row('raw sr25519 verify, @polkadot/wasm-crypto (1 thread)', rawWasm, rawWasm);
  row('axon, wasm verifier injected', rate(axonWasm), rawWasm, axonWasm);
  row('bare node:http, same payload, no checks', rate(bare), undefined, bare);
  out();
  const ratio = rate(axonJs) / rawJs;
  out(
    `Goal: axon ≥ 0.8 × raw verify rate → ${ratio.toFixed(2)} (${ratio >= 0.8 ? 'met' : 'NOT met'}).`,
  );
  out(
    `Per request the axon spends ${(1000 / rate(axonJs)).toFixed(2)} ms, of which verification ${(1000 / rawJs).toFixed(2)} ms; the pipeline besides verification costs about ${(1000 / rate(axonWasm) - 1000 / rawWasm).toFixed(2)} ms (wasm rows).`,
  );
  for (const [name, r] of [
    ['axon/js', axonJs],
    ['axon/wasm', axonWasm],
    ['bare', bare],
  ] as const) {
    for (const [k, v] of Object.entries(r.failed)) out(`  ${name} failure: ${v} × ${k}`);
  }
}
