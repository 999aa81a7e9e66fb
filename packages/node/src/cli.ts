/** Command-line flags of `tao-node`, spelled as Substrate's. */
import { parseArgs } from 'node:util';
import { parseSealing, type SealingMode } from './chain/sealing.js';

export interface CliOptions {
  dev: boolean;
  tmp: boolean;
  basePath: string | undefined;
  rpcPort: number;
  rpcExternal: boolean;
  sealing: SealingMode;
  prometheusPort: number | undefined;
  rpcMaxConnections: number | undefined;
  rpcMaxRequestBytes: number | undefined;
  rpcMaxSubscriptionsPerConnection: number | undefined;
  poolLimit: number | undefined;
  poolKbytes: number | undefined;
  logLevel: string;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: tao-node [options]

  --dev                         Development chain: Alice is sudo and author, //Alice..//Ferdie funded,
                                fast blocks (--sealing 250); implies --tmp unless --base-path is given
  --tmp                         Keep the database in a temporary directory, removed on exit
  -d, --base-path <dir>         Database directory (default: $XDG_DATA_HOME/tao-node or ~/.local/share/tao-node)
  --rpc-port <port>             JSON-RPC port for HTTP and WebSocket (default 9944; 0 picks a free port)
  --rpc-external                Listen on all interfaces instead of 127.0.0.1
  --rpc-max-connections <n>     Maximum RPC connections (default 100)
  --rpc-max-request-size <MiB>  Maximum request size (default 15)
  --rpc-max-subscriptions-per-connection <n>  (default 1024)
  --sealing <ms|instant|manual> Block interval in ms (default 12000; 250 with --dev), one block per
                                admitted transaction, or only on engine_createBlock
  --prometheus-port <port>      Serve Prometheus metrics on this port (off unless given)
  --pool-limit <n>              Maximum ready transactions (default 8192)
  --pool-kbytes <n>             Maximum total size of pooled transactions (default 20480)
  -l, --log <level>             trace | debug | info | warn | error (default info)
  -h, --help                    This help
  -V, --version                 Print the version
`;

/** A flag the node refuses, with a one-line reason. */
export class CliError extends Error {
  override name = 'CliError';
}

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v)) throw new CliError(`--${name} takes a whole number, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new CliError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Parses argv (without node and script). Throws CliError for bad flags. */
export function parseCli(argv: string[]): CliOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        dev: { type: 'boolean' },
        tmp: { type: 'boolean' },
        'base-path': { type: 'string', short: 'd' },
        'rpc-port': { type: 'string' },
        'rpc-external': { type: 'boolean' },
        'rpc-max-connections': { type: 'string' },
        'rpc-max-request-size': { type: 'string' },
        'rpc-max-subscriptions-per-connection': { type: 'string' },
        sealing: { type: 'string' },
        'prometheus-port': { type: 'string' },
        'pool-limit': { type: 'string' },
        'pool-kbytes': { type: 'string' },
        log: { type: 'string', short: 'l' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (err) {
    throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const dev = v.dev === true;
  const basePath = v['base-path'] as string | undefined;
  if (basePath !== undefined && basePath.trim() === '') throw new CliError('--base-path must not be empty');
  let sealing: SealingMode;
  try {
    sealing = parseSealing((v.sealing as string | undefined) ?? (dev ? '250' : '12000'));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const level = (v.log as string | undefined) ?? 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(level))
    throw new CliError(`--log must be one of trace, debug, info, warn, error; got "${level}"`);
  const mib = int('rpc-max-request-size', v['rpc-max-request-size'] as string | undefined, 1, 1024);
  const kb = int('pool-kbytes', v['pool-kbytes'] as string | undefined, 1, 4 * 1024 * 1024);
  return {
    dev,
    tmp: v.tmp === true || (dev && basePath === undefined),
    basePath,
    rpcPort: int('rpc-port', v['rpc-port'] as string | undefined, 0, 65535) ?? 9944,
    rpcExternal: v['rpc-external'] === true,
    sealing,
    prometheusPort: int('prometheus-port', v['prometheus-port'] as string | undefined, 0, 65535),
    rpcMaxConnections: int('rpc-max-connections', v['rpc-max-connections'] as string | undefined, 1, 100_000),
    rpcMaxRequestBytes: mib === undefined ? undefined : mib * 1024 * 1024,
    rpcMaxSubscriptionsPerConnection: int(
      'rpc-max-subscriptions-per-connection',
      v['rpc-max-subscriptions-per-connection'] as string | undefined,
      1,
      1_000_000,
    ),
    poolLimit: int('pool-limit', v['pool-limit'] as string | undefined, 1, 10_000_000),
    poolKbytes: kb,
    logLevel: level,
    help: v.help === true,
    version: v.version === true,
  };
}
