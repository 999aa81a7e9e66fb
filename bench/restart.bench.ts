// Restart time and resident memory of the real tao-node bin on a database holding 100k funded
// accounts and 10k blocks, against starting on an empty --tmp database in the same run.
// Run with `npm run bench -- restart`. Tunables (env): BENCH_RESTART_ACCOUNTS (100000),
// BENCH_RESTART_BLOCKS (10000), BENCH_RESTART_ROUNDS (3 starts of each kind, interleaved).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { System } from '@taoscript/chain-types';
import { blake2_256 } from '@taoscript/codec';
import { startNode } from '@taoscript/node';
import { devKeypair, signExtrinsic, spawnNode, transferKeepAlive } from '@taoscript/testkit';
import pino from 'pino';
import {
  deriveAccounts,
  type FastKeypair,
  fmt,
  hex,
  hwmKiB,
  machine,
  now,
  out,
  RpcSocket,
  rssKiB,
  type SigningContext,
  signWith,
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

const ACCOUNTS = envInt('BENCH_RESTART_ACCOUNTS', 100_000, 1000, 1_000_000);
const BLOCKS = envInt('BENCH_RESTART_BLOCKS', 10_000, 100, 100_000);
const ROUNDS = envInt('BENCH_RESTART_ROUNDS', 3, 1, 10);
/** Accounts with keys that send the transfers in some blocks; the rest only receive funding. */
const SENDERS = 1000;
/** Accounts funded per batch_all extrinsic (one per block). */
const FUND_BATCH = 5000;
/** Every TRANSFER_EVERY-th block carries TRANSFERS_PER_BLOCK transfers; the others are empty. */
const TRANSFER_EVERY = 50;
const TRANSFERS_PER_BLOCK = 100;
const TAO = 1_000_000_000n;
/** Building the database must not take longer than this. */
const BUILD_DEADLINE_MS = 240_000;
const START_TIMEOUT_MS = 60_000;

/** The receiving-only accounts: arbitrary 32-byte ids (no keys needed to hold a balance). */
const idFor = (i: number): Uint8Array => blake2_256(new TextEncoder().encode(`bench-account-${i}`));

/** Total size on disk of a directory tree (allocated blocks). */
function diskBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    total += st.isDirectory() ? diskBytes(path) : st.blocks * 512;
  }
  return total;
}

interface BuildResult {
  seconds: number;
  head: number;
  transfers: number;
  fundSeconds: number;
  emptySeconds: number;
  transferBlockSeconds: number;
  probe: Uint8Array;
}

/**
 * Builds the database with an in-process node on `dir` (so the genesis is exactly the bin's):
 * funding blocks from Alice, then empty blocks with a transfer block every TRANSFER_EVERY.
 */
async function buildDatabase(dir: string): Promise<BuildResult> {
  const started = now();
  const deadline = Date.now() + BUILD_DEADLINE_MS;
  const senders = await deriveAccounts(SENDERS);
  const node = await startNode({
    basePath: dir,
    rpcPort: 0,
    sealing: { type: 'manual' },
    verifyThreads: 0,
    logger: pino({ level: 'silent' }),
  });
  try {
    const { chain } = node;
    const alice = devKeypair('Alice');
    const ctx: SigningContext = {
      genesisHash: chain.genesisHash,
      specVersion: chain.runtime.version.spec_version,
      txVersion: chain.runtime.version.transaction_version,
    };
    // Block 1 records the genesis hash (CheckGenesis).
    await chain.authorBlock([]);
    const state = chain.stateAt();
    if (!state) throw new Error('no state at the head');
    let aliceNonce = System.Account.get(state, alice.publicKey).nonce;
    const recipients = (from: number, to: number): Uint8Array[] => {
      const ids: Uint8Array[] = [];
      for (let i = from; i < to; i++)
        ids.push(i < SENDERS ? (senders[i] as FastKeypair).publicKey : idFor(i));
      return ids;
    };
    const t0 = now();
    for (let i = 0; i < ACCOUNTS; i += FUND_BATCH) {
      const calls = recipients(i, Math.min(ACCOUNTS, i + FUND_BATCH)).map((who) =>
        transferKeepAlive(who, i < SENDERS ? 100n * TAO : TAO),
      );
      const xt = signExtrinsic({
        call: { type: 'Utility', value: { type: 'batch_all', value: { calls } } },
        signer: alice,
        nonce: aliceNonce++,
        genesisHash: ctx.genesisHash,
        specVersion: ctx.specVersion,
        txVersion: ctx.txVersion,
      });
      const b = await chain.authorBlock([{ bytes: xt, signatureChecked: false }]);
      const res = b.results[0]?.result;
      if (!res?.ok || !res.outcome.ok) throw new Error(`funding block ${b.number} failed`);
    }
    const fundSeconds = (now() - t0) / 1000;
    const senderNonce = new Array<number>(SENDERS).fill(0);
    let cursor = 0;
    let transfers = 0;
    let emptyMs = 0;
    let transferMs = 0;
    while (chain.head.number < BLOCKS) {
      if (Date.now() > deadline) throw new Error('building the database took too long');
      const next = chain.head.number + 1;
      const tb = now();
      if (next % TRANSFER_EVERY === 0) {
        const batch: { bytes: Uint8Array; signatureChecked: boolean }[] = [];
        for (let k = 0; k < TRANSFERS_PER_BLOCK; k++) {
          const s = cursor++ % SENDERS;
          const nonce = senderNonce[s] ?? 0;
          senderNonce[s] = nonce + 1;
          const from = senders[s] as FastKeypair;
          const to = (senders[(s + 1) % SENDERS] as FastKeypair).publicKey;
          const tx = signWith(
            transferKeepAlive(to, 1_000_000n),
            from.publicKey,
            wasmSigner(from),
            nonce,
            ctx,
          );
          // Signed just now: skip re-verifying (the database is the same either way).
          batch.push({ bytes: tx.bytes, signatureChecked: true });
        }
        const b = await chain.authorBlock(batch);
        if (b.body.length !== TRANSFERS_PER_BLOCK + 1)
          throw new Error(`block ${b.number} took ${b.body.length - 1} transfers`);
        transfers += TRANSFERS_PER_BLOCK;
        transferMs += now() - tb;
      } else {
        await chain.authorBlock([]);
        emptyMs += now() - tb;
      }
    }
    const transferBlocks = Math.floor(BLOCKS / TRANSFER_EVERY);
    return {
      seconds: (now() - started) / 1000,
      head: chain.head.number,
      transfers,
      fundSeconds,
      emptySeconds: emptyMs / 1000,
      transferBlockSeconds: transferMs / 1000 / Math.max(1, transferBlocks),
      probe: idFor(ACCOUNTS - 1),
    };
  } finally {
    await node.close();
  }
}

interface StartSample {
  startMs: number;
  rssStartMiB: number;
  rssQueriedMiB: number;
  hwmMiB: number;
  head: number;
  queryMs: number;
}

/** Spawns the bin, times it to "Running JSON-RPC server", reads RSS, runs a few queries. */
async function startOnce(args: string[], probe: Uint8Array): Promise<StartSample> {
  const t0 = now();
  const node = await spawnNode(args, START_TIMEOUT_MS);
  const startMs = now() - t0;
  const pid = node.child.pid as number;
  try {
    const rssStart = rssKiB(pid) ?? Number.NaN;
    const rpc = await RpcSocket.open(node.wsUrl);
    const tq = now();
    let head = 0;
    try {
      const header = await rpc.call<{ number: string }>('chain_getHeader');
      head = Number.parseInt(header.number, 16);
      const mid = await rpc.call<string | null>('chain_getBlockHash', [Math.floor(head / 2)]);
      if (mid) await rpc.call('chain_getBlock', [mid]);
      await rpc.call('state_getStorage', [hex(System.Account.key(probe))]);
      await rpc.call('system_accountNextIndex', [hex(probe)]);
      await rpc.call('state_getKeysPaged', [hex(System.Account.partialKey()), 1000, null]);
      await rpc.call('state_getMetadata');
      await rpc.call('state_getRuntimeVersion');
      await rpc.call('system_health');
    } finally {
      rpc.close();
    }
    const queryMs = now() - tq;
    return {
      startMs,
      rssStartMiB: rssStart / 1024,
      rssQueriedMiB: (rssKiB(pid) ?? Number.NaN) / 1024,
      hwmMiB: (hwmKiB(pid) ?? Number.NaN) / 1024,
      head,
      queryMs,
    };
  } finally {
    await node.stop();
  }
}

const BIN = fileURLToPath(new URL('../packages/node/bin/tao-node.mjs', import.meta.url));

/** Wall time of a short-lived `node …` child that must exit 0. */
function timeRun(args: string[]): number {
  const t0 = now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore', timeout: START_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
  return now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

// ---------------------------------------------------------------------------------------------

const m = machine();
out(`restart: ${ACCOUNTS} accounts, ${BLOCKS} blocks; ${ROUNDS} starts of each kind`);
out(`machine: ${m.nproc} cores, ${m.model}, load ${m.load}, node ${m.node}`);

const dir = mkdtempSync(join(tmpdir(), 'tao-restart-bench-'));
try {
  const built = await buildDatabase(dir);
  out(
    `built the database in ${fmt(built.seconds, 1)} s: head #${built.head}, ` +
      `${ACCOUNTS} accounts funded in ${fmt(built.fundSeconds, 1)} s, ${built.transfers} transfers ` +
      `(${fmt(built.transferBlockSeconds * 1000)} ms per 100-transfer block), ` +
      `empty blocks ${fmt((built.emptySeconds * 1000) / Math.max(1, BLOCKS - built.transfers / TRANSFERS_PER_BLOCK))} ms each; ` +
      `${fmt(diskBytes(dir) / 2 ** 20)} MiB on disk`,
  );

  const baseline: StartSample[] = [];
  const loaded: StartSample[] = [];
  const baseArgs = ['--dev', '--tmp', '--rpc-port', '0', '--sealing', 'manual', '--log', 'warn'];
  const loadedArgs = [
    '--base-path',
    dir,
    '--rpc-port',
    '0',
    '--sealing',
    'manual',
    '--log',
    'warn',
  ];
  // One untimed start of each kind first: tsx's transform cache and the page cache warm up.
  await startOnce(baseArgs, built.probe);
  await startOnce(loadedArgs, built.probe);
  const bare: number[] = [];
  const version: number[] = [];
  let quiet = 0;
  for (let r = 0; r < ROUNDS; r++) {
    quiet = Math.max(quiet, await waitQuiet([], 30_000));
    baseline.push(await startOnce(baseArgs, built.probe));
    loaded.push(await startOnce(loadedArgs, built.probe));
    bare.push(timeRun(['-e', '0']));
    // --version imports the whole node (tsx transform, runtime, chain-types) and exits.
    version.push(timeRun([BIN, '--version']));
  }
  const heads = loaded.map((s) => s.head);
  if (heads.some((h) => h !== built.head))
    throw new Error(`the bin resumed at ${heads.join(', ')} instead of #${built.head}`);

  const row = (name: string, xs: StartSample[]) =>
    out(
      `  ${name.padEnd(30)} start ${fmt(median(xs.map((s) => s.startMs))).padStart(5)} ms` +
        `  RSS after start ${fmt(median(xs.map((s) => s.rssStartMiB)), 1).padStart(6)} MiB` +
        `  after queries ${fmt(median(xs.map((s) => s.rssQueriedMiB)), 1).padStart(6)} MiB` +
        `  peak ${fmt(median(xs.map((s) => s.hwmMiB)), 1).padStart(6)} MiB` +
        `  queries ${fmt(median(xs.map((s) => s.queryMs))).padStart(4)} ms`,
    );
  out();
  out(`## spawn → "Running JSON-RPC server" and VmRSS (median of ${ROUNDS})`);
  row('empty --tmp database (baseline)', baseline);
  row(`${ACCOUNTS} accounts, #${built.head}`, loaded);
  out(`  all start times (ms): baseline ${baseline.map((s) => fmt(s.startMs)).join(' ')}`);
  out(`                        loaded   ${loaded.map((s) => fmt(s.startMs)).join(' ')}`);
  const base = median(baseline.map((s) => s.startMs));
  out(
    `  baseline start split: node process ${fmt(median(bare))} ms, loading the modules ` +
      `(tao-node --version) ${fmt(median(version) - median(bare))} ms, startNode + listen ` +
      `≈ ${fmt(base - median(version))} ms`,
  );
  out(`  other processes busy before the starts: up to ${fmt(quiet, 2)} cores`);
  const ratio = (f: (s: StartSample) => number) => median(loaded.map(f)) / median(baseline.map(f));
  out();
  out('## ratios loaded / baseline');
  out(
    `  start time:            ${fmt(
      ratio((s) => s.startMs),
      2,
    )}`,
  );
  out(
    `  RSS after start:       ${fmt(
      ratio((s) => s.rssStartMiB),
      2,
    )}`,
  );
  out(
    `  RSS after queries:     ${fmt(
      ratio((s) => s.rssQueriedMiB),
      2,
    )}`,
  );
  out(
    `  query round trip:      ${fmt(
      ratio((s) => s.queryMs),
      2,
    )}`,
  );
  out();
  out(
    `summary ${JSON.stringify({
      startBaselineMs: Math.round(median(baseline.map((s) => s.startMs))),
      startLoadedMs: Math.round(median(loaded.map((s) => s.startMs))),
      startRatio: Number(ratio((s) => s.startMs).toFixed(2)),
      rssBaselineMiB: Number(median(baseline.map((s) => s.rssQueriedMiB)).toFixed(1)),
      rssLoadedMiB: Number(median(loaded.map((s) => s.rssQueriedMiB)).toFixed(1)),
      rssRatio: Number(ratio((s) => s.rssQueriedMiB).toFixed(2)),
      diskMiB: Math.round(diskBytes(dir) / 2 ** 20),
    })}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
