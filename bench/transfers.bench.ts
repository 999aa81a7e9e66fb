// Sustained signed Balances.transfer_keep_alive throughput end to end (RPC → pool → authoring →
// commit) against the real tao-node bin, compared with the raw sr25519 verification rate of this
// machine measured in the same run, plus an in-process stage breakdown and CPU profile.
// Run with `npm run bench -- transfers`. Tunables (env): BENCH_ACCOUNTS (2000),
// BENCH_PER_ACCOUNT (10), BENCH_CONNECTIONS (4), BENCH_INFLIGHT (256 per connection),
// BENCH_SKIP_PROFILE=1 to skip the in-process phase.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sr25519Verify, waitReady } from '@polkadot/wasm-crypto';
import { System } from '@taoscript/chain-types';
import { blake2_256 } from '@taoscript/codec';
import { startNode } from '@taoscript/node';
import type { BlockBuilder, Runtime } from '@taoscript/runtime';
import { devKeypair, signExtrinsic, spawnNode, transferKeepAlive } from '@taoscript/testkit';
import pino from 'pino';
import {
  createVerifier,
  type Verifier,
  type VerifyJob,
} from '../packages/node/src/verify/index.js';
import {
  CORES,
  cpuSeconds,
  deriveAccounts,
  type FastKeypair,
  fmt,
  hex,
  machine,
  now,
  out,
  RpcSocket,
  readSigningContext,
  type SignedTx,
  type SigningContext,
  signWith,
  systemCpu,
  threadCpu,
  threadCpuSeconds,
  until,
  waitQuiet,
  wasmSigner,
} from './support.js';

const envInt = (name: string, fallback: number, min: number, max: number): number => {
  const v = process.env[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${v}`);
  return n;
};

const ACCOUNTS = envInt('BENCH_ACCOUNTS', 2000, 1, 20_000);
const PER_ACCOUNT = envInt('BENCH_PER_ACCOUNT', 10, 1, 200);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 4, 1, 64);
const INFLIGHT = envInt('BENCH_INFLIGHT', 256, 1, 10_000);
const SKIP_PROFILE = process.env.BENCH_SKIP_PROFILE === '1';
const TOTAL = ACCOUNTS * PER_ACCOUNT;
/** Each phase that waits on the node gives up after this long. */
const PHASE_DEADLINE_MS = 90_000;
const SEALING_MS = 250;
const TAO = 1_000_000_000n;
const FUND = 100n * TAO;
const TRANSFER = 1_000_000n;
const FUND_BATCH = 500;
const VERIFY_SAMPLE = 4000;
const VERIFY_ROUNDS = 3;
const NODE_ARGS = [
  '--dev',
  '--tmp',
  '--rpc-port',
  '0',
  '--sealing',
  String(SEALING_MS),
  '--pool-limit',
  '100000',
  '--pool-kbytes',
  '200000',
  '--log',
  'warn',
];

const alice = devKeypair('Alice');

/** Alice's funding extrinsics: batch_all of transfer_keep_alive, FUND to every bench account. */
function fundingTxs(accounts: FastKeypair[], aliceNonce: number, ctx: SigningContext) {
  const txs: Uint8Array[] = [];
  for (let i = 0; i < accounts.length; i += FUND_BATCH) {
    const calls = accounts
      .slice(i, i + FUND_BATCH)
      .map((a) => transferKeepAlive(a.publicKey, FUND));
    txs.push(
      signExtrinsic({
        call: { type: 'Utility', value: { type: 'batch_all', value: { calls } } },
        signer: alice,
        nonce: aliceNonce + txs.length,
        genesisHash: ctx.genesisHash,
        specVersion: ctx.specVersion,
        txVersion: ctx.txVersion,
      }),
    );
  }
  return txs;
}

/** Pre-signs PER_ACCOUNT transfers per account (nonces 0..), ordered nonce-major. */
function presign(accounts: FastKeypair[], ctx: SigningContext): SignedTx[][] {
  const byNonce: SignedTx[][] = [];
  for (let k = 0; k < PER_ACCOUNT; k++) {
    const round: SignedTx[] = [];
    accounts.forEach((a, i) => {
      const dest = (accounts[(i + 1) % accounts.length] as FastKeypair).publicKey;
      round.push(signWith(transferKeepAlive(dest, TRANSFER), a.publicKey, wasmSigner(a), k, ctx));
    });
    byNonce.push(round);
  }
  return byNonce;
}

interface BlockSeen {
  number: number;
  at: number;
  ours: number;
  extrinsics: number;
}

/** Follows new heads and counts, per block, how many of `ours` it includes. */
class InclusionTracker {
  readonly blocks: BlockSeen[] = [];
  included = 0;
  private processed: number;
  private latest = 0;
  /** Arrival time of the head that first revealed each block number. */
  private readonly arrivals = new Map<number, number>();
  private running = false;
  private waiters: Array<() => void> = [];
  /** The first error while following blocks (e.g. the socket closed at the end). */
  failure: Error | undefined;

  constructor(
    private readonly rpc: RpcSocket,
    private readonly ours: Set<string>,
    startAfter: number,
  ) {
    this.processed = startAfter;
  }

  async start(): Promise<void> {
    await this.rpc.subscribe('chain_subscribeNewHeads', [], (h) => {
      const n = Number.parseInt((h as { number: string }).number, 16);
      const at = now();
      for (let k = Math.max(this.latest, this.processed) + 1; k <= n; k++) this.arrivals.set(k, at);
      if (n > this.latest) this.latest = n;
      this.drain().catch((err: Error) => {
        this.failure ??= err;
      });
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.processed < this.latest) {
        const n = this.processed + 1;
        // A block first seen through a later head is stamped with that head's arrival.
        const at = this.arrivals.get(n) ?? now();
        this.arrivals.delete(n);
        const hash = await this.rpc.call<string>('chain_getBlockHash', [n]);
        const block = await this.rpc.call<{ block: { extrinsics: string[] } }>('chain_getBlock', [
          hash,
        ]);
        let ours = 0;
        for (const x of block.block.extrinsics) if (this.ours.has(x)) ours++;
        this.included += ours;
        this.blocks.push({ number: n, at, ours, extrinsics: block.block.extrinsics.length });
        this.processed = n;
        for (const w of this.waiters.splice(0)) w();
      }
    } finally {
      this.running = false;
    }
  }

  /** Resolves once `count` of ours are included (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.included >= count) resolve();
        else if (Date.now() > deadline)
          reject(new Error(`only ${this.included}/${count} transfers included in time`));
        else {
          this.waiters.push(check);
          setTimeout(check, 250).unref();
        }
      };
      check();
    });
  }
}

/** Sends `texts` over `rpc` with at most `window` outstanding; records outcomes. */
function pump(
  rpc: RpcSocket,
  reqs: { id: number; text: string }[],
  window: number,
  stats: { ok: number; errors: Map<string, number>; lastResponse: number },
): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let inflight = 0;
    let done = 0;
    if (reqs.length === 0) resolve();
    const settle = (): void => {
      inflight--;
      done++;
      stats.lastResponse = now();
      if (done === reqs.length) resolve();
      else launch();
    };
    const launch = (): void => {
      while (inflight < window && next < reqs.length) {
        const r = reqs[next++] as { id: number; text: string };
        inflight++;
        rpc.sendRaw(r.id, r.text).then(
          () => {
            stats.ok++;
            settle();
          },
          (err: Error) => {
            const key = err.message.slice(0, 120);
            stats.errors.set(key, (stats.errors.get(key) ?? 0) + 1);
            settle();
          },
        );
      }
    };
    launch();
  });
}

interface E2eResult {
  submitted: number;
  accepted: number;
  errors: Map<string, number>;
  included: number;
  admissionSeconds: number;
  inclusionSeconds: number;
  blocks: BlockSeen[];
  nodeCpuSeconds: number | undefined;
  nodeThreads: Map<string, number>;
  clientCpuSeconds: number;
  /** CPU seconds used by every other process on the machine during the window. */
  otherCpuSeconds: number;
  /** Cores other processes kept busy just before the run started. */
  quietBefore: number;
  noncesOk: boolean;
}

async function runEndToEnd(accounts: FastKeypair[]): Promise<{
  result: E2eResult;
  signed: SignedTx[][];
  ctx: SigningContext;
  presignSeconds: number;
  fundTxs: Uint8Array[];
}> {
  const node = await spawnNode(NODE_ARGS);
  const pid = node.child.pid as number;
  const sockets: RpcSocket[] = [];
  try {
    const control = await RpcSocket.open(node.wsUrl);
    sockets.push(control);
    // CheckGenesis: block 1 records the genesis hash in System.BlockHash.
    await until(
      async () =>
        Number.parseInt((await control.call<{ number: string }>('chain_getHeader')).number, 16) >=
        1,
      'block 1',
      PHASE_DEADLINE_MS,
    );
    const ctx = await readSigningContext(control);

    // Fund the accounts from Alice and wait until the funding block is in.
    const aliceNonce = await control.call<number>('system_accountNextIndex', [
      hex(alice.publicKey),
    ]);
    const fundTxs = fundingTxs(accounts, aliceNonce, ctx);
    for (const tx of fundTxs) await control.call('author_submitExtrinsic', [hex(tx)]);
    const lastKey = hex(System.Account.key((accounts.at(-1) as FastKeypair).publicKey));
    await until(
      async () => {
        const raw = await control.call<string | null>('state_getStorage', [lastKey]);
        return raw !== null && System.Account.value.dec(Buffer.from(raw.slice(2), 'hex')).data.free;
      },
      'the funding block',
      PHASE_DEADLINE_MS,
    );

    // Pre-sign everything before timing.
    const t0 = now();
    const signed = presign(accounts, ctx);
    const presignSeconds = (now() - t0) / 1000;

    const conns: RpcSocket[] = [];
    for (let c = 0; c < CONNECTIONS; c++) conns.push(await RpcSocket.open(node.wsUrl));
    sockets.push(...conns);
    const watcher = await RpcSocket.open(node.wsUrl);
    sockets.push(watcher);

    // Each account's transfers go over one connection, in nonce order.
    const ours = new Set<string>();
    const reqs: { id: number; text: string }[][] = conns.map(() => []);
    for (const round of signed)
      round.forEach((tx, i) => {
        const h = hex(tx.bytes);
        ours.add(h);
        const c = i % CONNECTIONS;
        const rpc = conns[c] as RpcSocket;
        const id = rpc.allocId();
        (reqs[c] as { id: number; text: string }[]).push({
          id,
          text: `{"jsonrpc":"2.0","id":${id},"method":"author_submitExtrinsic","params":["${h}"]}`,
        });
      });
    const head = Number.parseInt(
      (await control.call<{ number: string }>('chain_getHeader')).number,
      16,
    );
    const tracker = new InclusionTracker(watcher, ours, head);
    await tracker.start();

    const quietBefore = await waitQuiet([pid]);
    const stats = { ok: 0, errors: new Map<string, number>(), lastResponse: 0 };
    const cpu0 = cpuSeconds(pid);
    const threads0 = threadCpuSeconds(pid);
    const client0 = process.cpuUsage();
    const sys0 = systemCpu();
    const start = now();
    const submitted = Promise.all(
      conns.map((rpc, c) => pump(rpc, reqs[c] as { id: number; text: string }[], INFLIGHT, stats)),
    );
    await submitted;
    const admissionSeconds = (stats.lastResponse - start) / 1000;
    let timedOut = false;
    await tracker.waitFor(stats.ok, PHASE_DEADLINE_MS).catch((err: Error) => {
      timedOut = true;
      out(`  ! ${err.message}`);
    });
    const lastBlock = [...tracker.blocks].reverse().find((b) => b.ours > 0);
    const inclusionSeconds = ((lastBlock?.at ?? now()) - start) / 1000;
    const cpu1 = cpuSeconds(pid);
    const threads1 = threadCpuSeconds(pid);
    const client = process.cpuUsage(client0);
    const sys1 = systemCpu();
    const clientCpuSeconds = (client.user + client.system) / 1e6;
    const nodeCpuSeconds = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined;
    const nodeThreads = new Map<string, number>();
    for (const [name, s] of threads1) nodeThreads.set(name, s - (threads0.get(name) ?? 0));

    // Cross-check: every sender's next index must be PER_ACCOUNT.
    let noncesOk = !timedOut;
    const nonces = await Promise.all(
      accounts.map((a) => control.call<number>('system_accountNextIndex', [hex(a.publicKey)])),
    );
    const short = nonces.filter((n) => n !== PER_ACCOUNT).length;
    if (short > 0) {
      noncesOk = false;
      out(`  ! ${short} senders do not have next index ${PER_ACCOUNT}`);
    }
    return {
      result: {
        submitted: TOTAL,
        accepted: stats.ok,
        errors: stats.errors,
        included: tracker.included,
        admissionSeconds,
        inclusionSeconds,
        blocks: tracker.blocks.filter((b) => b.number <= (lastBlock?.number ?? 0)),
        nodeCpuSeconds,
        nodeThreads,
        clientCpuSeconds,
        otherCpuSeconds: Math.max(
          0,
          sys1.busy - sys0.busy - (nodeCpuSeconds ?? 0) - clientCpuSeconds,
        ),
        quietBefore,
        noncesOk,
      },
      signed,
      ctx,
      presignSeconds,
      fundTxs,
    };
  } finally {
    for (const s of sockets) s.close();
    await node.stop();
  }
}

/** Verifications per second of one run of `run`, which returns how many were valid. */
async function rate(count: number, run: () => Promise<number> | number): Promise<number> {
  const t0 = now();
  const valid = await run();
  const seconds = (now() - t0) / 1000;
  if (valid !== count) throw new Error(`expected ${count} valid signatures, got ${valid}`);
  return count / seconds;
}

interface VerifyRates {
  single: number;
  two: number;
  /** CPU seconds other processes used while these were measured, per second of measuring. */
  otherLoad: number;
}

/**
 * Single-thread wasm and 2-worker verification rates over the run's own payloads: best of
 * VERIFY_ROUNDS, the two kinds interleaved so that background load affects both alike.
 */
async function verifyRates(signed: SignedTx[][]): Promise<VerifyRates> {
  await waitReady();
  const jobs: VerifyJob[] = [];
  for (const round of signed)
    for (const tx of round) {
      if (jobs.length >= VERIFY_SAMPLE) break;
      jobs.push({
        type: 'sr25519',
        signature: tx.signature,
        message: tx.payload,
        publicKey: tx.publicKey,
      });
    }
  const n = jobs.length;
  await waitQuiet();
  const verifier = await createVerifier({ threads: 2 });
  let single = 0;
  let two = 0;
  const sys0 = systemCpu();
  const self0 = process.cpuUsage();
  const t0 = now();
  try {
    for (let r = 0; r < VERIFY_ROUNDS; r++) {
      single = Math.max(
        single,
        await rate(n, () => {
          let ok = 0;
          for (const j of jobs) if (sr25519Verify(j.signature, j.message, j.publicKey)) ok++;
          return ok;
        }),
      );
      two = Math.max(
        two,
        await rate(n, async () => (await verifier.verifyMany(jobs)).filter(Boolean).length),
      );
    }
  } finally {
    await verifier.close();
  }
  const seconds = (now() - t0) / 1000;
  const self = process.cpuUsage(self0);
  const other = systemCpu().busy - sys0.busy - (self.user + self.system) / 1e6;
  return { single, two, otherLoad: Math.max(0, other) / seconds };
}

/** Accumulated main-thread time per named stage. */
class Stages {
  readonly totals = new Map<string, { ms: number; calls: number }>();
  add(name: string, ms: number): void {
    const t = this.totals.get(name) ?? { ms: 0, calls: 0 };
    t.ms += ms;
    t.calls++;
    this.totals.set(name, t);
  }
  /** Replaces `obj[key]` with a timed wrapper (sync part; plus settle time for promises). */
  wrap(obj: object, key: string, name: string, wallName?: string): void {
    const target = obj as Record<string, (...a: unknown[]) => unknown>;
    const original = target[key];
    // The node is under active development: a stage that no longer exists is simply not timed.
    if (typeof original !== 'function') {
      out(`  (stage ${name.trim()}: ${key} not found, not timed)`);
      return;
    }
    const stages = this;
    target[key] = function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      const r = original.apply(this, args);
      stages.add(name, performance.now() - t0);
      if (wallName && r instanceof Promise)
        r.then(
          () => stages.add(wallName, performance.now() - t0),
          () => stages.add(wallName, performance.now() - t0),
        );
      return r;
    };
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface ProfileSummary {
  /** Self time per function (top 20). */
  bySelf: [string, number][];
  /** Inclusive time per function of our packages (top 25): time with it anywhere on the stack. */
  byTotal: [string, number][];
  byArea: [string, number][];
  totalMs: number;
}

/** Self and inclusive time per function, and self time per area, from a V8 CPU profile. */
function summarizeProfile(profile: {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const label = (n: ProfileNode): { key: string; file: string } => {
    const { functionName, url } = n.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/.*\/work\/main\//, '');
    const short = file.replace(/.*node_modules\//, '~/');
    return { key: `${functionName || '(anonymous)'}${short ? ` (${short})` : ''}`, file };
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const area = new Map<string, number>();
  let sum = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    const { key, file } = label(node);
    self.set(key, (self.get(key) ?? 0) + ms);
    const a = areaOf(node.callFrame.functionName, file);
    area.set(a, (area.get(a) ?? 0) + ms);
    sum += ms;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) break;
      const l = label(n);
      if (!l.file.startsWith('packages/') || seen.has(l.key)) continue;
      seen.add(l.key);
      total.set(l.key, (total.get(l.key) ?? 0) + ms);
    }
  });
  const sorted = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1]);
  return {
    bySelf: sorted(self).slice(0, 20),
    byTotal: sorted(total).slice(0, 25),
    byArea: sorted(area),
    totalMs: sum,
  };
}

function areaOf(functionName: string, file: string): string {
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(program)') return '(program: native/VM)';
  const pkg = /^packages\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(file);
  if (pkg) return `${pkg[1]}${pkg[1] === 'node' && pkg[2] ? `/${pkg[2]}` : ''}`;
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (mod) return `dep: ${mod[1]}`;
  if (file.startsWith('node:') || file === '') return 'node internals / native';
  return file;
}

/** Timed stages, in report order; `true` marks top-level ones (the rest are nested in them). */
const STAGES: [string, boolean][] = [
  ['pool.submit (sync: hash, decode, sig job, enqueue)', true],
  ['  runtime.signatureJob', false],
  ['  verifier.verify (enqueue only)', false],
  ['runtime.validateTransaction', true],
  ['pool.insert', true],
  ['pool.fill (build block)', true],
  ['  builder.apply', false],
  ['builder.finalize (events, state root)', true],
  ['store.commitBlock (sync part)', true],
  ['pool.onBlock (prune, promote)', true],
];
const WAIT_SIG = 'signature check latency (workers)';
const WAIT_COMMIT = 'store commit latency (durable)';

interface InProcessResult {
  admissionSeconds: number;
  inclusionSeconds: number;
  included: number;
  /** Blocks authored from the first submit to the last inclusion. */
  blocks: number;
  mainBusySeconds: number;
  /** CPU time of the main thread (tid = pid) over the window. */
  mainCpuSeconds: number;
  /** CPU seconds other processes used during the window. */
  otherCpuSeconds: number;
  stages: Map<string, { ms: number; calls: number }> | undefined;
  profile: ProfileSummary | undefined;
  profilePath: string | undefined;
}

interface InProcessOptions {
  /**
   * 'node': the node's own interval sealer, as the bin runs it. 'fixed': manual sealing driven
   * by the bench every SEALING_MS on a fixed grid that skips missed slots (no catch-up bursts).
   */
  cadence: 'node' | 'fixed';
  /** Stage timers and the CPU profiler. */
  instrument: boolean;
}

/** The same workload submitted straight to `pool.submit` of an in-process node. */
async function runInProcess(
  fundTxs: Uint8Array[],
  signed: SignedTx[][],
  opts: InProcessOptions,
): Promise<InProcessResult> {
  const node = await startNode({
    tmp: true,
    rpcPort: 0,
    sealing: opts.cadence === 'node' ? { type: 'interval', ms: SEALING_MS } : { type: 'manual' },
    pool: { readyCount: 100_000, futureCount: 10_000, totalBytes: 200_000 * 1024 },
    verifyThreads: 2,
    logger: pino({ level: 'silent' }),
  });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let sealing: Promise<unknown> = Promise.resolve();
  if (opts.cadence === 'fixed') {
    let due = Date.now() + SEALING_MS;
    const tick = (): void => {
      sealing = node.sealer.createBlock(true).then(
        () => {
          if (stopped) return;
          due = Math.max(due + SEALING_MS, Date.now());
          timer = setTimeout(tick, due - Date.now());
        },
        (err: unknown) => {
          out(`  ! block authoring failed: ${String(err)}`);
        },
      );
    };
    timer = setTimeout(tick, SEALING_MS);
  }
  try {
    const { chain, pool } = node;
    await until(() => chain.head.number >= 1, 'block 1', PHASE_DEADLINE_MS);
    for (const tx of fundTxs) await pool.submit(tx);
    const funded = chain.head.number;
    await until(() => chain.head.number > funded, 'the funding block', PHASE_DEADLINE_MS);

    let stages: Stages | undefined;
    if (opts.instrument) {
      const st = new Stages();
      stages = st;
      const [submit, sigJob, enqueue, validate, insert, fill, apply, finalize, commit, onBlk] =
        STAGES.map(([n]) => n) as string[];
      const runtime = chain.runtime as Runtime;
      const poolAny = pool as unknown as Record<string, unknown> & { verifier: Verifier };
      st.wrap(pool, 'submit', submit as string);
      st.wrap(runtime, 'signatureJob', sigJob as string);
      st.wrap(poolAny.verifier, 'verify', enqueue as string, WAIT_SIG);
      st.wrap(runtime, 'validateTransaction', validate as string);
      st.wrap(pool, 'insert', insert as string);
      st.wrap(pool, 'fill', fill as string);
      const beginBlock = runtime.beginBlock.bind(runtime);
      runtime.beginBlock = (...args: Parameters<Runtime['beginBlock']>): BlockBuilder => {
        const builder = beginBlock(...args);
        st.wrap(builder, 'apply', apply as string);
        st.wrap(builder, 'finalize', finalize as string);
        return builder;
      };
      st.wrap(chain.store, 'commitBlock', commit as string, WAIT_COMMIT);
      st.wrap(pool, 'onBlock', onBlk as string);
    }

    let included = 0;
    let lastIncludedAt = 0;
    let blocks = 0;
    let blocksAtLast = 0;
    const onBlock = (b: { body: Uint8Array[] }): void => {
      blocks++;
      // Nothing else is submitted: everything after the timestamp inherent is ours.
      if (b.body.length > 1) {
        included += b.body.length - 1;
        lastIncludedAt = now();
        blocksAtLast = blocks;
      }
    };
    chain.on('block', onBlock);
    await waitQuiet();
    let session: Session | undefined;
    if (opts.instrument) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
    }

    const flat = signed.flat();
    const elu0 = performance.eventLoopUtilization();
    const main0 = threadCpu(process.pid, process.pid) ?? 0;
    const sys0 = systemCpu();
    const self0 = process.cpuUsage();
    const start = now();
    blocks = 0;
    let next = 0;
    let lastResponse = start;
    const errors = new Map<string, number>();
    const worker = async (): Promise<void> => {
      while (next < flat.length) {
        const tx = flat[next++] as SignedTx;
        try {
          await pool.submit(tx.bytes);
        } catch (err) {
          const key = (err as Error).message;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
        lastResponse = now();
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS * INFLIGHT }, worker));
    const admissionSeconds = (lastResponse - start) / 1000;
    await until(() => included >= flat.length, 'in-process inclusion', PHASE_DEADLINE_MS, 5);
    const inclusionSeconds = (lastIncludedAt - start) / 1000;
    const elu = performance.eventLoopUtilization(elu0);
    const mainCpuSeconds = (threadCpu(process.pid, process.pid) ?? 0) - main0;
    const self = process.cpuUsage(self0);
    const otherCpuSeconds = Math.max(
      0,
      systemCpu().busy - sys0.busy - (self.user + self.system) / 1e6,
    );
    let profile: ProfileSummary | undefined;
    let profilePath: string | undefined;
    if (session) {
      const stop = (await session.post('Profiler.stop')) as {
        profile: Parameters<typeof summarizeProfile>[0];
      };
      session.disconnect();
      profilePath = join(tmpdir(), `tao-transfers-${process.pid}.cpuprofile`);
      writeFileSync(profilePath, JSON.stringify(stop.profile));
      profile = summarizeProfile(stop.profile);
    }
    chain.off('block', onBlock);
    for (const [msg, n] of errors) out(`  ! in-process rejection x${n}: ${msg}`);
    const stillPending = flat.filter((t) => pool.has(blake2_256(t.bytes))).length;
    if (stillPending > 0) out(`  ! ${stillPending} transfers still in the pool`);
    return {
      admissionSeconds,
      inclusionSeconds,
      included,
      blocks: blocksAtLast,
      mainBusySeconds: (elu.active || 0) / 1000,
      mainCpuSeconds,
      otherCpuSeconds,
      stages: stages?.totals,
      profile,
      profilePath,
    };
  } finally {
    stopped = true;
    if (timer) clearTimeout(timer);
    await sealing.catch(() => undefined);
    await node.close();
  }
}

// ---------------------------------------------------------------------------------------------

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const m = machine();
out(
  `transfers: ${ACCOUNTS} accounts x ${PER_ACCOUNT} = ${TOTAL} transfer_keep_alive, ` +
    `${CONNECTIONS} ws connections x ${INFLIGHT} in flight, sealing ${SEALING_MS} ms`,
);
out(`machine: ${m.nproc} cores, ${m.model}, load ${m.load}, node ${m.node}`);

await waitReady();
let t = now();
const accounts = await deriveAccounts(ACCOUNTS);
out(`derived ${ACCOUNTS} //Bench accounts in ${fmt(now() - t)} ms`);

const e2e = await runEndToEnd(accounts);
const r = e2e.result;
out(`pre-signed ${TOTAL} transfers in ${fmt(e2e.presignSeconds, 1)} s (not timed)`);
t = now();
const verify = await verifyRates(e2e.signed);
out(`verification rates measured in ${fmt((now() - t) / 1000, 1)} s`);

const included = r.included / r.inclusionSeconds;
const admitted = r.accepted / r.admissionSeconds;
const perBlock = r.blocks.filter((b) => b.ours > 0).map((b) => b.ours);
const blockGaps = r.blocks.slice(1).map((b, i) => b.at - (r.blocks[i] as BlockSeen).at);
out();
out('## end to end (spawned tao-node, JSON-RPC over WebSocket)');
out(`  submitted ${r.submitted}, accepted ${r.accepted}, included ${r.included}`);
for (const [msg, n] of r.errors) out(`  rejected x${n}: ${msg}`);
out(
  `  included:  ${fmt(included)} transfers/s  (first submit → last inclusion ${fmt(r.inclusionSeconds, 2)} s)`,
);
out(
  `  admission: ${fmt(admitted)} submit responses/s  (first submit → last response ${fmt(r.admissionSeconds, 2)} s)`,
);
out(
  `  blocks: ${r.blocks.length} authored in the window, ${perBlock.length} with transfers, per block min/median/max ` +
    `${Math.min(...perBlock)}/${median(perBlock)}/${Math.max(...perBlock)}; ` +
    `head interval median ${fmt(median(blockGaps))} ms, max ${fmt(Math.max(...blockGaps))} ms`,
);
out(`  every sender's next index = ${PER_ACCOUNT}: ${r.noncesOk ? 'yes' : 'NO'}`);
let capacity = Number.NaN;
if (r.nodeCpuSeconds !== undefined) {
  const mainS = r.nodeThreads.get('main') ?? 0;
  const otherS = r.nodeCpuSeconds - mainS;
  const mainUs = (mainS * 1e6) / r.included;
  const totalUs = (r.nodeCpuSeconds * 1e6) / r.included;
  capacity = Math.min(1e6 / mainUs, (CORES * 1e6) / totalUs);
  out(
    `  node CPU: ${fmt(r.nodeCpuSeconds, 1)} s over ${fmt(r.inclusionSeconds, 1)} s ` +
      `(${fmt(r.nodeCpuSeconds / r.inclusionSeconds, 2)} cores) = ${fmt(totalUs)} µs per transfer: ` +
      `main thread ${fmt(mainUs)} µs (${fmt((100 * mainS) / r.inclusionSeconds)}% busy), ` +
      `other threads (2 verify workers, GC, lmdb) ${fmt((otherS * 1e6) / r.included)} µs`,
  );
  const busiest = [...r.nodeThreads]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, sec]) => `${name} ${fmt(sec, 1)} s`)
    .join(', ');
  out(`  busiest node threads: ${busiest}`);
  out(
    `  capacity on ${CORES} otherwise idle cores at this CPU cost ≈ ${fmt(capacity)} transfers/s ` +
      `(min of main-thread bound ${fmt(1e6 / mainUs)} and all-core bound ${fmt((CORES * 1e6) / totalUs)})`,
  );
}
out(
  `  bench client CPU ${fmt(r.clientCpuSeconds, 1)} s; other processes on the machine ` +
    `${fmt(r.otherCpuSeconds, 1)} s (${fmt(r.otherCpuSeconds / r.inclusionSeconds, 2)} cores busy; ` +
    `${fmt(r.quietBefore, 2)} just before)`,
);
out();
out('## sr25519 verification on this machine (same payloads, best of 3, interleaved)');
out(`  single thread (wasm sr25519Verify):             ${fmt(verify.single)} /s`);
out(`  2 worker threads (createVerifier, verifyMany):  ${fmt(verify.two)} /s`);
out(`  other processes meanwhile: ${fmt(verify.otherLoad, 2)} cores busy`);
out();
out('## ratios (same run)');
out(`  included / 2-thread verify rate:   ${fmt(included / verify.two, 3)}  (stretch goal ≥ 0.6)`);
out(`  included / single-thread verify:   ${fmt(included / verify.single, 3)}`);
out(`  admission / 2-thread verify rate:  ${fmt(admitted / verify.two, 3)}`);
out(`  capacity estimate / 2-thread verify rate: ${fmt(capacity / verify.two, 3)}`);
out(
  `  goal ≥ 2000 transfers/s on ${CORES} cores: ${included >= 2000 ? 'met' : 'NOT met'} (${fmt(included)})`,
);

const summary: Record<string, unknown> = {
  included: Math.round(included),
  admission: Math.round(admitted),
  verify1: Math.round(verify.single),
  verify2: Math.round(verify.two),
  ratioVerify2: Number((included / verify.two).toFixed(3)),
  ratioVerify1: Number((included / verify.single).toFixed(3)),
  capacity: Math.round(capacity),
  otherCores: Number((r.otherCpuSeconds / r.inclusionSeconds).toFixed(2)),
};

if (!SKIP_PROFILE) {
  // Uninstrumented: the node's own sealer (as the bin) vs a fixed 250 ms grid without catch-up.
  const plainNode = await runInProcess(e2e.fundTxs, e2e.signed, {
    cadence: 'node',
    instrument: false,
  });
  const plainFixed = await runInProcess(e2e.fundTxs, e2e.signed, {
    cadence: 'fixed',
    instrument: false,
  });
  const line = (name: string, x: InProcessResult) =>
    out(
      `  ${name.padEnd(34)} ${fmt(x.included / x.inclusionSeconds).padStart(5)} transfers/s ` +
        `(admission ${fmt(TOTAL / x.admissionSeconds)} /s), ${x.blocks} blocks in ${fmt(x.inclusionSeconds, 1)} s, ` +
        `main thread ${fmt((x.mainCpuSeconds * 1e6) / TOTAL)} µs CPU per transfer, ` +
        `other processes ${fmt(x.otherCpuSeconds / x.inclusionSeconds, 2)} cores`,
    );
  out();
  out('## in-process (startNode on LMDB, pool.submit called directly, no RPC, no profiler)');
  line("node's interval sealer (as the bin)", plainNode);
  line('fixed 250 ms grid, no catch-up', plainFixed);
  out(
    `  fixed grid / node sealer: ${fmt(plainFixed.included / plainFixed.inclusionSeconds / (plainNode.included / plainNode.inclusionSeconds), 2)}; ` +
      `in-process (node sealer) / end to end: ${fmt(plainNode.included / plainNode.inclusionSeconds / included, 2)} (the RPC share)`,
  );
  summary.inProcess = Math.round(plainNode.included / plainNode.inclusionSeconds);
  summary.inProcessFixedCadence = Math.round(plainFixed.included / plainFixed.inclusionSeconds);
  summary.inProcessBlocks = plainNode.blocks;
  summary.inProcessFixedBlocks = plainFixed.blocks;

  const ip = await runInProcess(e2e.fundTxs, e2e.signed, { cadence: 'node', instrument: true });
  const stagesMap = ip.stages ?? new Map<string, { ms: number; calls: number }>();
  const window = ip.inclusionSeconds * 1000;
  // Stage timers are wall clock: when the verify workers and GC threads compete with the main
  // thread for the 2 cores it is preempted, which inflates them. Scale by its CPU/busy ratio.
  const cpuFactor =
    ip.mainBusySeconds > 0 ? Math.min(1, ip.mainCpuSeconds / ip.mainBusySeconds) : 1;
  out();
  out("## where the time goes (in-process, node's sealer, stage timers + CPU profiler on)");
  out(
    `  included ${ip.included} in ${fmt(ip.inclusionSeconds, 2)} s = ${fmt(ip.included / ip.inclusionSeconds)} /s ` +
      `(${ip.blocks} blocks); admission ${fmt(TOTAL / ip.admissionSeconds)} /s`,
  );
  out(
    `  main thread: busy ${fmt(ip.mainBusySeconds, 2)} s (${fmt((100 * ip.mainBusySeconds * 1000) / window)}% of the run), ` +
      `CPU ${fmt(ip.mainCpuSeconds, 2)} s = ${fmt((ip.mainCpuSeconds * 1e6) / TOTAL)} µs per transfer; ` +
      `other processes ${fmt((ip.otherCpuSeconds * 1000) / window, 2)} cores busy`,
  );
  out(
    `  main-thread time by stage (wall; CPU estimate = wall x ${fmt(cpuFactor, 2)}, the CPU/busy ratio):`,
  );
  let perTransfer = 0;
  for (const [name, top] of STAGES) {
    const st = stagesMap.get(name);
    if (!st) continue;
    const us = (st.ms * 1000) / TOTAL;
    if (top) perTransfer += us;
    out(
      `    ${name.padEnd(52)} ${fmt(st.ms).padStart(6)} ms ${String(st.calls).padStart(6)} calls ` +
        `${fmt(us, 1).padStart(6)} µs/tx (CPU ≈ ${fmt(us * cpuFactor).padStart(3)})` +
        `${fmt((100 * st.ms) / (ip.mainBusySeconds * 1000), 1).padStart(6)}% of busy`,
    );
  }
  out(
    `    top-level stages: ${fmt(perTransfer)} µs/tx wall, ≈ ${fmt(perTransfer * cpuFactor)} µs/tx CPU ` +
      `→ main-thread ceiling ≈ ${fmt(1e6 / (perTransfer * cpuFactor))} transfers/s before RPC`,
  );
  for (const name of [WAIT_SIG, WAIT_COMMIT]) {
    const st = stagesMap.get(name);
    if (st) out(`    ${name.padEnd(52)} mean ${fmt(st.ms / st.calls, 1)} ms (wall, off-thread)`);
  }
  if (ip.profile) {
    const p = ip.profile;
    out(`  CPU profile (main thread, ${fmt(p.totalMs)} ms sampled), self time by area:`);
    for (const [name, ms] of p.byArea.slice(0, 14))
      out(`    ${name.padEnd(40)} ${fmt(ms).padStart(7)} ms  ${fmt((100 * ms) / p.totalMs, 1)}%`);
    out('  inclusive time of our functions (anywhere on the stack):');
    for (const [name, ms] of p.byTotal)
      out(`    ${fmt(ms).padStart(6)} ms  ${fmt((100 * ms) / p.totalMs, 1).padStart(5)}%  ${name}`);
    out('  top functions by self time:');
    for (const [name, ms] of p.bySelf.slice(0, 15)) out(`    ${fmt(ms).padStart(6)} ms  ${name}`);
    out(`  profile written to ${ip.profilePath} (open in Chrome DevTools → Performance)`);
  }
  summary.inProcessMainCpuUsPerTx = Math.round((ip.mainCpuSeconds * 1e6) / TOTAL);
}
out();
out(`summary ${JSON.stringify(summary)}`);
