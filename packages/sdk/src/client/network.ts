/**
 * `--network` / `--subtensor.network` / `--subtensor.chain_endpoint` resolution (sdk.md §4.1):
 * a network name or a `ws://` / `wss://` URL to the endpoint the client connects to.
 */

/** Endpoints of the named networks. */
export const NETWORKS = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
} as const;

/** A network the SDK knows by name. */
export type NetworkName = keyof typeof NETWORKS;
/** The network a URL belongs to (`unknown` for any other endpoint). */
export type ResolvedNetworkName = NetworkName | 'unknown';

/** The network used when nothing is configured (as the Python SDK). */
export const DEFAULT_NETWORK: NetworkName = 'finney';
/** Longest endpoint URL accepted. */
export const MAX_ENDPOINT_LENGTH = 2048;

/** Inputs of {@link resolveNetwork}: flags first, then the environment. */
export interface ResolveNetworkParameters {
  /** `--network` / `--subtensor.network`: a name or a `ws(s)://` URL. */
  network?: string | undefined;
  /** `--subtensor.chain_endpoint`: an explicit URL, which wins over `network`. */
  chainEndpoint?: string | undefined;
  /**
   * Environment to read `BT_SUBTENSOR_NETWORK` and `BT_SUBTENSOR_CHAIN_ENDPOINT` from
   * (default `process.env` where it exists; pass `{}` to ignore the environment).
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Where to connect, and which network that is. */
export interface ResolveNetworkReturnType {
  network: ResolvedNetworkName;
  url: string;
}

/**
 * Checks and normalises a WebSocket endpoint URL (only `ws:` and `wss:`; no credentials, no
 * whitespace or control characters). Throws TypeError / RangeError.
 * @example
 * import { validateEndpoint } from '@taoscript/sdk';
 * validateEndpoint('ws://127.0.0.1:9944'); // 'ws://127.0.0.1:9944'
 */
export function validateEndpoint(url: unknown): string {
  if (typeof url !== 'string') throw new TypeError('endpoint must be a string');
  if (url.length === 0 || url.length > MAX_ENDPOINT_LENGTH)
    throw new RangeError(`endpoint must be 1..${MAX_ENDPOINT_LENGTH} characters`);
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f)
      throw new RangeError('endpoint contains whitespace or control characters');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`endpoint "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    throw new RangeError(`endpoint "${url}" must use ws:// or wss://, not ${parsed.protocol}`);
  if (parsed.hostname === '') throw new RangeError(`endpoint "${url}" has no host`);
  if (parsed.username !== '' || parsed.password !== '')
    throw new RangeError('endpoint must not carry credentials');
  if (parsed.hash !== '') throw new RangeError('endpoint must not have a #fragment');
  // Keep the caller's spelling (a node may route on the exact path), minus a lone trailing '/'.
  return parsed.pathname === '/' && parsed.search === '' && url.endsWith('/')
    ? url.slice(0, -1)
    : url;
}

/**
 * The network a URL points at, by the endpoints the Python SDK recognises.
 * @example
 * import { networkOfUrl } from '@taoscript/sdk';
 * networkOfUrl('wss://entrypoint-finney.opentensor.ai:443'); // 'finney'
 */
export function networkOfUrl(url: string): ResolvedNetworkName {
  const host = new URL(url).hostname.toLowerCase();
  if (host === 'entrypoint-finney.opentensor.ai') return 'finney';
  if (host === 'test.finney.opentensor.ai') return 'test';
  if (host === 'archive.chain.opentensor.ai') return 'archive';
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '0.0.0.0')
    return 'local';
  return 'unknown';
}

const isUrlLike = (s: string) => s.includes('://');
const defaultEnv = (): Readonly<Record<string, string | undefined>> =>
  typeof process === 'object' && process?.env ? process.env : {};

/**
 * Resolves the endpoint: `chainEndpoint` if given, else `network` (a name or a URL), else
 * `BT_SUBTENSOR_NETWORK`, else finney. `local` uses `BT_SUBTENSOR_CHAIN_ENDPOINT` when set.
 * @example
 * import { resolveNetwork } from '@taoscript/sdk';
 * resolveNetwork({ network: 'test', env: {} });
 * // { network: 'test', url: 'wss://test.finney.opentensor.ai:443' }
 */
export function resolveNetwork(p: ResolveNetworkParameters = {}): ResolveNetworkReturnType {
  if (typeof p !== 'object' || p === null) throw new TypeError('expected an options object');
  const env = p.env ?? defaultEnv();
  if (typeof env !== 'object' || env === null) throw new TypeError('env must be an object');
  if (p.chainEndpoint !== undefined) {
    const url = validateEndpoint(p.chainEndpoint);
    return { network: networkOfUrl(url), url };
  }
  const raw = p.network ?? env.BT_SUBTENSOR_NETWORK ?? DEFAULT_NETWORK;
  if (typeof raw !== 'string') throw new TypeError('network must be a string');
  const name = raw.trim();
  if (isUrlLike(name)) {
    const url = validateEndpoint(name);
    return { network: networkOfUrl(url), url };
  }
  const key = name.toLowerCase();
  if (!Object.hasOwn(NETWORKS, key))
    throw new RangeError(
      `unknown network "${name.slice(0, 64)}"; use one of ${Object.keys(NETWORKS).join(', ')} or a ws:// / wss:// URL`,
    );
  const network = key as NetworkName;
  if (network === 'local') {
    const fromEnv = env.BT_SUBTENSOR_CHAIN_ENDPOINT;
    if (fromEnv !== undefined && fromEnv !== '') return { network, url: validateEndpoint(fromEnv) };
  }
  return { network, url: NETWORKS[network] };
}
