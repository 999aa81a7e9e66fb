import { Counter, Gauge, Histogram, Registry } from './registry.js';

/**
 * The node's metrics. Names follow Substrate where it has an equivalent, with its `substrate`
 * prefix replaced by the `prefix` argument, so existing Substrate dashboards and alerts work.
 */
export interface NodeMetrics {
  /** Registry holding every metric below; register extra metrics here. */
  readonly registry: Registry;
  /** `<prefix>_block_height{status="best"}`. */
  readonly bestBlock: Gauge;
  /** `<prefix>_block_height{status="finalized"}`. */
  readonly finalizedBlock: Gauge;
  /** `<prefix>_ready_transactions_number`: transactions in the pool's ready queue. */
  readonly poolReady: Gauge;
  /** `taoscript_future_transactions_number`: transactions waiting for an earlier nonce. */
  readonly poolFuture: Gauge;
  /** `taoscript_extrinsics_total`: extrinsics included in blocks; its rate() is extrinsics/s. */
  readonly extrinsicsTotal: Counter;
  /** `<prefix>_rpc_calls_started{method}`: increment when a call is received. */
  readonly rpcCalls: Counter;
  /**
   * `<prefix>_rpc_calls_time{method}`: observe **seconds**; exposed in microseconds with
   * Substrate's buckets, as Substrate does.
   */
  readonly rpcLatency: Histogram;
  /** `<prefix>_proposer_block_constructed`: seconds taken to author a block. */
  readonly blockAuthorSeconds: Histogram;
  /** The text exposition of every metric in `registry`. */
  render(): string;
}

/** Substrate's RPC call-time buckets, in microseconds (sc-rpc-server middleware). */
export const RPC_TIME_BUCKETS_US: readonly number[] = Object.freeze([
  5, 25, 100, 500, 1_000, 2_500, 10_000, 25_000, 100_000, 1_000_000, 10_000_000,
]);

const PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Creates the node's metrics in a fresh registry.
 * @example
 * import { createNodeMetrics } from './metrics/index.js';
 * const metrics = createNodeMetrics();
 * metrics.bestBlock.set(42);
 * const done = metrics.rpcLatency.startTimer({ method: 'chain_getHeader' });
 * done();
 */
export function createNodeMetrics(prefix = 'substrate'): NodeMetrics {
  if (typeof prefix !== 'string') throw new TypeError('prefix must be a string');
  if (!PREFIX.test(prefix)) throw new RangeError(`prefix ${JSON.stringify(prefix)} is not valid`);
  const registry = new Registry();
  const blockHeight = registry.register(
    new Gauge({
      name: `${prefix}_block_height`,
      help: 'Block height info of the chain',
      labelNames: ['status'],
      maxSeries: 4,
    }),
  );
  const bestBlock = blockHeight.withLabels({ status: 'best' });
  const finalizedBlock = blockHeight.withLabels({ status: 'finalized' });
  bestBlock.set(0);
  finalizedBlock.set(0);
  const poolReady = registry.register(
    new Gauge({
      name: `${prefix}_ready_transactions_number`,
      help: 'Number of transactions in the ready queue',
    }),
  );
  const poolFuture = registry.register(
    new Gauge({
      name: 'taoscript_future_transactions_number',
      help: 'Number of transactions in the future queue',
    }),
  );
  const extrinsicsTotal = registry.register(
    new Counter({
      name: 'taoscript_extrinsics_total',
      help: 'Number of extrinsics included in blocks',
    }),
  );
  const rpcCalls = registry.register(
    new Counter({
      name: `${prefix}_rpc_calls_started`,
      help: 'Number of received RPC calls (unique un-batched requests)',
      labelNames: ['method'],
    }),
  );
  const rpcLatency = registry.register(
    new Histogram({
      name: `${prefix}_rpc_calls_time`,
      help: 'Total time [μs] of processed RPC calls',
      labelNames: ['method'],
      buckets: RPC_TIME_BUCKETS_US,
      scale: 1e6,
    }),
  );
  const blockAuthorSeconds = registry.register(
    new Histogram({
      name: `${prefix}_proposer_block_constructed`,
      help: 'Histogram of time taken to construct new block',
    }),
  );
  return {
    registry,
    bestBlock,
    finalizedBlock,
    poolReady,
    poolFuture,
    extrinsicsTotal,
    rpcCalls,
    rpcLatency,
    blockAuthorSeconds,
    render: () => registry.render(),
  };
}
