/** `tao-node`: the taoscript dev chain node. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ChainSpecError, type DevSubnet, devSubnets, readChainSpec } from './chain-spec.js';
import { CliError, parseCli, USAGE } from './cli.js';
import { NODE_VERSION, startNode } from './node.js';

async function main(): Promise<void> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n\nRun tao-node --help for the flags.\n`);
      process.exit(2);
    }
    throw err;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (cli.version) {
    process.stdout.write(`tao-node ${NODE_VERSION}\n`);
    return;
  }
  let genesisSubnets: DevSubnet[] = [];
  let emissionShares: 'price' | 'flow' | undefined;
  try {
    if (cli.chainSpec !== undefined) {
      const spec = readChainSpec(cli.chainSpec);
      genesisSubnets = spec.subnets;
      emissionShares = spec.emissionShares;
    } else if (cli.devSubnets !== undefined) genesisSubnets = devSubnets(cli.devSubnets).subnets;
  } catch (err) {
    if (err instanceof ChainSpecError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: cli.logLevel, base: null }, pino.destination(2));
  const dataHome = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  const basePath = cli.basePath ?? (cli.tmp ? undefined : join(dataHome, 'tao-node'));
  const node = await startNode({
    ...(basePath !== undefined ? { basePath } : {}),
    tmp: cli.tmp,
    rpcPort: cli.rpcPort,
    rpcExternal: cli.rpcExternal,
    sealing: cli.sealing,
    ...(cli.prometheusPort !== undefined ? { prometheusPort: cli.prometheusPort } : {}),
    ...(cli.rpcMaxConnections !== undefined ? { rpcMaxConnections: cli.rpcMaxConnections } : {}),
    ...(cli.rpcMaxRequestBytes !== undefined ? { rpcMaxRequestBytes: cli.rpcMaxRequestBytes } : {}),
    ...(cli.rpcMaxSubscriptionsPerConnection !== undefined
      ? { rpcMaxSubscriptionsPerConnection: cli.rpcMaxSubscriptionsPerConnection }
      : {}),
    pool: {
      ...(cli.poolLimit !== undefined
        ? { readyCount: cli.poolLimit, futureCount: Math.max(1, Math.floor(cli.poolLimit / 10)) }
        : {}),
      ...(cli.poolKbytes !== undefined ? { totalBytes: cli.poolKbytes * 1024 } : {}),
    },
    logger,
    genesisSubnets,
    ...(emissionShares !== undefined ? { emissionShares } : {}),
  });
  logger.info(
    {
      basePath: node.basePath ?? '(memory)',
      best: node.chain.head.number,
      genesis: Buffer.from(node.chain.genesisHash).toString('hex'),
    },
    'taoscript node started',
  );
  if (node.metricsPort !== undefined)
    process.stdout.write(`Prometheus exporter started at 127.0.0.1:${node.metricsPort}\n`);
  process.stdout.write(`Running JSON-RPC server: addr=${node.rpcAddress}:${node.rpcPort}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await node.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`tao-node failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
