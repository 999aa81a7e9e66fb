import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_TYPE } from './registry.js';

/** Options for {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** What to expose: anything with `render()`, e.g. a `NodeMetrics` or a `Registry`. */
  metrics: { render(): string };
  /** Receives errors thrown by `render()` (the scrape gets a 500). */
  logger?: { error(obj: object, msg?: string): void };
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** Bound address. */
  readonly host: string;
  /** Bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

function readOptions(
  opts: unknown,
): Required<Omit<MetricsServerOptions, 'logger'>> & Pick<MetricsServerOptions, 'logger'> {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object');
  const o = opts as Record<string, unknown>;
  const host = o.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) {
    throw new TypeError('host must be a non-empty string');
  }
  if (typeof o.port !== 'number') throw new TypeError('port must be a number');
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${o.port}`);
  }
  const metrics = o.metrics as { render?: unknown } | null | undefined;
  if (typeof metrics !== 'object' || metrics === null || typeof metrics.render !== 'function') {
    throw new TypeError('metrics must have a render() method');
  }
  const logger = o.logger as MetricsServerOptions['logger'];
  if (logger !== undefined && typeof logger?.error !== 'function') {
    throw new TypeError('logger must have an error() method');
  }
  const out = { host, port: o.port, metrics: metrics as { render(): string } };
  return logger === undefined ? out : { ...out, logger };
}

/**
 * Serves `GET /metrics` in the Prometheus text format; every other request gets 404.
 * @example
 * import { createNodeMetrics, startMetricsServer } from './metrics/index.js';
 * const server = await startMetricsServer({ port: 9615, metrics: createNodeMetrics() });
 * await server.close();
 */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const { host, port, metrics, logger } = readOptions(opts);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/metrics') {
      let body: string;
      try {
        body = metrics.render();
      } catch (err) {
        logger?.error({ err, component: 'metrics' }, 'rendering metrics failed');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal Server Error\n');
        return;
      }
      res.writeHead(200, {
        'content-type': CONTENT_TYPE,
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not Found\n');
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
