/** Assembles a node: store, runtime, chain, pool, sealing, JSON-RPC and metrics. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_ACCOUNT_NAMES, devKeypair } from '@taoscript/crypto';
import { Runtime, type VerifyFn } from '@taoscript/runtime';
import type { Logger } from 'pino';
import { type LegacyDeps, rpcDefinitions } from './api/index.js';
import { Chain } from './chain/chain.js';
import { type PoolLimits, TxPool } from './chain/pool.js';
import { Sealer, type SealingMode } from './chain/sealing.js';
import type { DevSubnet } from './chain-spec.js';
import { createNodeMetrics, startMetricsServer } from './metrics/index.js';
import { startRpcServer } from './rpc/index.js';
import { type ChainStore, openLmdbStore, openMemoryStore } from './store/index.js';
import { createVerifier, type Verifier } from './verify/index.js';

/** 1 TAO in rao. */
const TAO = 1_000_000_000n;
/** Each dev account starts with a million TAO. */
export const DEV_ENDOWMENT = 1_000_000n * TAO;

export interface NodeOptions {
  /** Where the database lives; `undefined` with `tmp` = a temporary directory removed on close. */
  basePath?: string;
  tmp?: boolean;
  /** In-memory store (tests only). */
  memory?: boolean;
  rpcPort?: number;
  rpcExternal?: boolean;
  sealing: SealingMode;
  prometheusPort?: number;
  rpcMaxConnections?: number;
  rpcMaxRequestBytes?: number;
  rpcMaxSubscriptionsPerConnection?: number;
  pool?: Partial<PoolLimits>;
  /** Verification worker threads (0 = main thread). */
  verifyThreads?: number;
  logger: Logger;
  now?: () => number;
  /** Subnets created and started at genesis (`--dev-subnets`, `--chain-spec`). */
  genesisSubnets?: DevSubnet[];
  /** How block emission is shared across subnets (chain spec `emissionShares`). */
  emissionShares?: 'price' | 'flow';
}

export interface RunningNode {
  chain: Chain;
  pool: TxPool;
  sealer: Sealer;
  rpcPort: number;
  rpcAddress: string;
  metricsPort: number | undefined;
  basePath: string | undefined;
  close(): Promise<void>;
}

export const NODE_VERSION = '0.1.0';

/** Starts a dev-chain node. */
export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  const log = opts.logger;
  let basePath = opts.basePath;
  let removeOnClose = false;
  if (!opts.memory && (!basePath || opts.tmp) && opts.tmp) {
    basePath = mkdtempSync(join(tmpdir(), 'tao-node-'));
    removeOnClose = true;
  }
  const store: ChainStore = opts.memory
    ? openMemoryStore()
    : openLmdbStore({ path: join(basePath as string, 'chains', 'dev', 'db') });
  const verifier: Verifier = await createVerifier({ threads: opts.verifyThreads ?? 2 });
  const verify: VerifyFn = (type, signature, message, publicKey) =>
    type === 'ecdsa' ? false : verifier.verifySync({ type, signature, message, publicKey });
  const blockTimeMs = opts.sealing.type === 'interval' ? opts.sealing.ms : 12_000;
  const runtime = new Runtime({ blockTimeMs, verify });
  const alice = devKeypair('Alice').publicKey;
  const chain = await Chain.open({
    store,
    runtime,
    genesis: {
      balances: DEV_ACCOUNT_NAMES.map(
        (n) => [devKeypair(n).publicKey, DEV_ENDOWMENT] as [Uint8Array, bigint],
      ),
      sudoKey: alice,
      subtensor: {
        ...(opts.genesisSubnets?.length ? { subnets: opts.genesisSubnets } : {}),
        ...(opts.emissionShares !== undefined ? { emissionShares: opts.emissionShares } : {}),
      },
    },
    author: alice,
    now: opts.now ?? Date.now,
    chainName: 'Development',
  });
  const pool = new TxPool(chain, verifier, opts.pool);
  const metrics = createNodeMetrics();
  const sealer = new Sealer(chain, pool, opts.sealing, (err) =>
    log.error({ err }, 'block authoring failed'),
  );
  chain.on('block', (b) => {
    metrics.bestBlock.set(b.number);
    metrics.finalizedBlock.set(b.number);
    metrics.extrinsicsTotal.inc(b.body.length);
    metrics.blockAuthorSeconds.observe(b.buildSeconds);
    log.debug(
      { number: b.number, hash: Buffer.from(b.hash).toString('hex'), extrinsics: b.body.length },
      'block',
    );
  });
  pool.on('changed', () => {
    metrics.poolReady.set(pool.size.ready);
    metrics.poolFuture.set(pool.size.future);
  });
  metrics.bestBlock.set(chain.head.number);
  metrics.finalizedBlock.set(chain.head.number);
  const deps: LegacyDeps = {
    chain,
    pool,
    sealer,
    info: {
      name: 'taoscript-node',
      version: NODE_VERSION,
      chainType: 'Development',
      properties: { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' },
    },
  };
  const defs = rpcDefinitions(deps);
  const server = await startRpcServer({
    host: opts.rpcExternal ? '0.0.0.0' : '127.0.0.1',
    port: opts.rpcPort ?? 9944,
    methods: defs.methods,
    subscriptions: defs.subscriptions,
    logger: log.child({ component: 'rpc' }),
    onCall: (method, ms) => {
      metrics.rpcCalls.inc(1, { method });
      metrics.rpcLatency.observe(ms / 1000, { method });
    },
    ...(opts.rpcMaxConnections !== undefined ? { maxConnections: opts.rpcMaxConnections } : {}),
    ...(opts.rpcMaxRequestBytes !== undefined ? { maxRequestBytes: opts.rpcMaxRequestBytes } : {}),
    ...(opts.rpcMaxSubscriptionsPerConnection !== undefined
      ? { maxSubscriptionsPerConnection: opts.rpcMaxSubscriptionsPerConnection }
      : {}),
  });
  const metricsServer =
    opts.prometheusPort !== undefined
      ? await startMetricsServer({
          port: opts.prometheusPort,
          metrics,
          host: opts.rpcExternal ? '0.0.0.0' : '127.0.0.1',
        })
      : undefined;
  sealer.start();
  let closed = false;
  return {
    chain,
    pool,
    sealer,
    rpcPort: server.port,
    rpcAddress: server.address,
    metricsPort: metricsServer?.port,
    basePath,
    async close() {
      if (closed) return;
      closed = true;
      await sealer.stop();
      await server.close();
      await metricsServer?.close();
      await verifier.close();
      await store.close();
      if (removeOnClose && basePath) rmSync(basePath, { recursive: true, force: true });
    },
  };
}
