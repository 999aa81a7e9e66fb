/** Command-line flags of `tao-node`, spelled as Substrate's. */
import { parseArgs } from 'node:util';
import { parseSealing, type SealingMode } from './chain/sealing.js';

/** What the flags asked for, with defaults filled in. */
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
  /** `--dev-subnets <n>` */
  devSubnets: number | undefined;
  /** `--chain-spec <file>` */
  chainSpec: string | undefined;
  help: boolean;
  version: boolean;
}

/** The `--help` text. */
export const USAGE = `Usage: tao-node [options]

  --dev                         Development chain: Alice is sudo and author, //Alice..//Ferdie funded,
                                fast blocks (--sealing 250); implies --tmp unless --base-path is given
  --tmp                         Keep the database in a temporary directory, removed on exit
  -d, --base-path <dir>         Database directory (default: $XDG_DATA_HOME/tao-node or ~/.local/share/tao-node)
  --rpc-port <port>             JSON-RPC port for HTTP and WebSocket (default 9944; 0 picks a free port)
  --rpc-external                Listen on all interfaces instead of 127.0.0.1 (also --unsafe-rpc-external)
  --rpc-max-connections <n>     Maximum RPC connections (default 100)
  --rpc-max-request-size <MiB>  Maximum request size (default 15)
  --rpc-max-subscriptions-per-connection <n>  (default 1024)
  --sealing <ms|instant|manual> Block interval in ms (default 12000; 250 with --dev), one block per
                                admitted transaction, or only on engine_createBlock
  --prometheus-port <port>      Serve Prometheus metrics on this port (off unless given)
  --dev-subnets <n>             Create and start subnets 1..n at genesis, owned by //Alice with hotkeys
                                //Alice//subnet<i> (0-8)
  --chain-spec <file>           Genesis subnets from a JSON file:
                                {"subnets":[{"owner":"//Alice","hotkey":"//Alice//sn1","tempo":100}]}
  --pool-limit <n>              Maximum ready transactions (default 8192)
  --pool-kbytes <n>             Maximum total size of pooled transactions (default 20480)
  -l, --log <pattern>           trace | debug | info | warn | error | off (default info); Substrate's
                                target=level directives (e.g. info,runtime=debug) are accepted
  --no-telemetry                Accepted for compatibility (there is no telemetry)
  -h, --help                    This help
  -V, --version                 Print the version
`;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'off', 'silent'];

/**
 * Substrate's log pattern: comma-separated `level` or `target=level` directives. Targets are
 * checked and ignored (one logger); the last bare level wins. Returns a pino level.
 */
function parseLog(pattern: string): string {
  let level = 'info';
  for (const part of pattern.split(',')) {
    const directive = part.trim();
    const eq = directive.indexOf('=');
    const target = eq < 0 ? '' : directive.slice(0, eq);
    const value = (eq < 0 ? directive : directive.slice(eq + 1)).toLowerCase();
    if (!LEVELS.includes(value) || (eq >= 0 && !/^[A-Za-z0-9_:-]+$/.test(target)))
      throw new CliError(
        `--log takes trace, debug, info, warn, error or off (optionally as target=level, comma-separated); got "${pattern}"`,
      );
    if (eq < 0) level = value === 'off' ? 'silent' : value;
  }
  return level;
}

/** A flag the node refuses, with a one-line reason. */
export class CliError extends Error {
  override name = 'CliError';
}

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v)) throw new CliError(`--${name} takes a whole number, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max)
    throw new CliError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function nonEmpty(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && v.trim() === '') throw new CliError(`--${name} must not be empty`);
  return v;
}

/** Parses argv (without node and script). Throws CliError for bad flags. */
export function parseCli(argv: string[]): CliOptions {
  if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string'))
    throw new TypeError('parseCli takes an array of strings (argv without node and script)');
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
        'unsafe-rpc-external': { type: 'boolean' },
        'no-telemetry': { type: 'boolean' },
        'rpc-max-connections': { type: 'string' },
        'rpc-max-request-size': { type: 'string' },
        'rpc-max-subscriptions-per-connection': { type: 'string' },
        sealing: { type: 'string' },
        'prometheus-port': { type: 'string' },
        'pool-limit': { type: 'string' },
        'pool-kbytes': { type: 'string' },
        'dev-subnets': { type: 'string' },
        'chain-spec': { type: 'string' },
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
  if (basePath !== undefined && basePath.trim() === '')
    throw new CliError('--base-path must not be empty');
  if (basePath !== undefined && v.tmp === true)
    throw new CliError('--tmp and --base-path cannot be used together');
  let sealing: SealingMode;
  try {
    sealing = parseSealing((v.sealing as string | undefined) ?? (dev ? '250' : '12000'));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (v['dev-subnets'] !== undefined && v['chain-spec'] !== undefined)
    throw new CliError('--dev-subnets and --chain-spec cannot be used together');
  const level = parseLog((v.log as string | undefined) ?? 'info');
  const mib = int('rpc-max-request-size', v['rpc-max-request-size'] as string | undefined, 1, 1024);
  const kb = int('pool-kbytes', v['pool-kbytes'] as string | undefined, 1, 4 * 1024 * 1024);
  return {
    dev,
    tmp: v.tmp === true || (dev && basePath === undefined),
    basePath,
    rpcPort: int('rpc-port', v['rpc-port'] as string | undefined, 0, 65535) ?? 9944,
    rpcExternal: v['rpc-external'] === true || v['unsafe-rpc-external'] === true,
    sealing,
    prometheusPort: int('prometheus-port', v['prometheus-port'] as string | undefined, 0, 65535),
    rpcMaxConnections: int(
      'rpc-max-connections',
      v['rpc-max-connections'] as string | undefined,
      1,
      100_000,
    ),
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
    devSubnets: int('dev-subnets', v['dev-subnets'] as string | undefined, 0, 8),
    chainSpec: nonEmpty('chain-spec', v['chain-spec'] as string | undefined),
    help: v.help === true,
    version: v.version === true,
  };
}
