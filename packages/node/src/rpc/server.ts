import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { pino } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { type Connection, Dispatcher, errorResponse } from './dispatcher.js';
import { RPC_ERROR } from './errors.js';
import type { RpcServer, RpcServerOptions, RpcSession } from './types.js';

const MIB = 1024 * 1024;
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
};
const TOO_MANY_CONNECTIONS = 'Too many connections. Please try again later.';

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

/**
 * Starts a JSON-RPC 2.0 server answering HTTP POST and WebSocket (any path) on one port, with
 * jsonrpsee-compatible errors, limits and pub-sub. `rpc_methods` is added automatically.
 * @example
 * import { z } from 'zod';
 * import { startRpcServer } from './server.js';
 * const server = await startRpcServer({
 *   port: 0,
 *   methods: { system_name: { params: z.tuple([]), handler: () => 'tao-node' } },
 *   subscriptions: [],
 * });
 * await server.close();
 */
export async function startRpcServer(opts: RpcServerOptions): Promise<RpcServer> {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object');
  const host = opts.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) throw new TypeError('host must be a string');
  const port = opts.port ?? 9944;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer in 0..65535, got ${String(port)}`);
  }
  const maxRequestBytes = positiveInt(opts.maxRequestBytes, 'maxRequestBytes', 15 * MIB);
  const maxResponseBytes = positiveInt(opts.maxResponseBytes, 'maxResponseBytes', 15 * MIB);
  const maxConnections = positiveInt(opts.maxConnections, 'maxConnections', 100);
  const maxSubscriptions = positiveInt(
    opts.maxSubscriptionsPerConnection,
    'maxSubscriptionsPerConnection',
    1024,
  );
  const maxBatchSize = positiveInt(opts.maxBatchSize, 'maxBatchSize', Number.MAX_SAFE_INTEGER);
  const maxBufferedBytes = positiveInt(
    opts.maxBufferedBytes,
    'maxBufferedBytes',
    Math.max(64 * MIB, 2 * maxResponseBytes),
  );
  if (opts.onCall !== undefined && typeof opts.onCall !== 'function') {
    throw new TypeError('onCall must be a function');
  }
  if (opts.extraHttpRoutes !== undefined && typeof opts.extraHttpRoutes !== 'function') {
    throw new TypeError('extraHttpRoutes must be a function');
  }
  const log = opts.logger ?? pino({ level: 'silent' });
  const dispatcher = new Dispatcher({
    methods: opts.methods,
    subscriptions: opts.subscriptions,
    maxResponseBytes,
    maxSubscriptionsPerConnection: maxSubscriptions,
    maxBatchSize,
    logger: log,
    onCall: opts.onCall,
  });

  let nextSessionId = 1;
  let active = 0; // open WebSockets + pending upgrades + in-flight HTTP requests
  let closing = false;
  const sockets = new Set<WebSocket>();
  const connections = new Set<Connection>();

  const makeConnection = (transport: 'ws' | 'http', send: (text: string) => void): Connection => {
    const hooks: (() => void)[] = [];
    const session: RpcSession = {
      id: nextSessionId++,
      transport,
      onClose(fn) {
        if (typeof fn !== 'function') throw new TypeError('onClose needs a function');
        if (conn.closed) queueMicrotask(() => runHook(fn));
        else hooks.push(fn);
      },
    };
    const runHook = (fn: () => void): void => {
      try {
        fn();
      } catch (err) {
        log.error({ err, session: session.id }, 'session close hook threw');
      }
    };
    const conn: Connection = { session, subscriptions: new Map(), send, closed: false };
    connections.add(conn);
    (conn as Connection & { finish(): void }).finish = () => {
      if (conn.closed) return;
      dispatcher.closeConnection(conn);
      connections.delete(conn);
      for (const fn of hooks.splice(0)) runHook(fn);
    };
    return conn;
  };
  const finish = (conn: Connection): void => (conn as Connection & { finish(): void }).finish();

  // ---- HTTP ----------------------------------------------------------------------------------

  const sendJson = (res: ServerResponse, status: number, body: string): void => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      ...CORS_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const sendText = (res: ServerResponse, status: number, body: string, extra = {}): void => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      ...CORS_HEADERS,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...extra,
    });
    res.end(body);
  };

  /** Answers 413 without buffering the body; drains a bounded amount so the client reads it. */
  const rejectTooLarge = (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('connection', 'close');
    sendJson(
      res,
      413,
      errorResponse(null, RPC_ERROR.OVERSIZED_REQUEST, `Exceeded max limit of ${maxRequestBytes}`),
    );
    let drained = 0;
    req.removeAllListeners('data');
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > 4 * MIB) req.destroy();
    });
    req.resume();
  };

  const health = async (res: ServerResponse): Promise<boolean> => {
    const def = opts.methods.system_health;
    if (def === undefined) return false;
    const conn = makeConnection('http', () => {});
    try {
      const result = await def.handler([], conn.session);
      sendJson(res, 200, JSON.stringify(result ?? null));
    } catch (err) {
      log.error({ err }, 'health check failed');
      sendText(res, 500, 'Internal error');
    } finally {
      finish(conn);
    }
    return true;
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (opts.extraHttpRoutes?.(req, res) === true) return;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS).end();
      return;
    }
    if (req.method === 'GET' && (path === '/health' || path === '/health/readiness')) {
      if (await health(res)) return;
    }
    if (req.method !== 'POST') {
      sendText(res, 405, 'Method Not Allowed: use POST for JSON-RPC', { allow: 'POST' });
      req.resume();
      return;
    }
    if (closing) {
      sendText(res, 503, 'Server is shutting down');
      req.resume();
      return;
    }
    if (active >= maxConnections) {
      sendText(res, 429, TOO_MANY_CONNECTIONS);
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > maxRequestBytes) {
      rejectTooLarge(req, res);
      return;
    }
    active++;
    const conn = makeConnection('http', () => {});
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      active--;
      finish(conn);
    };
    res.once('close', release);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxRequestBytes) {
        tooLarge = true;
        chunks.length = 0;
        rejectTooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.once('error', release);
    req.once('end', () => {
      if (tooLarge) return;
      const text = Buffer.concat(chunks, size).toString('utf8');
      dispatcher.dispatch(text, conn).then(
        ({ response }) => {
          if (response === undefined) sendText(res, 200, '');
          else sendJson(res, 200, response);
        },
        (err: unknown) => {
          log.error({ err }, 'RPC dispatch failed');
          sendJson(res, 200, errorResponse(null, RPC_ERROR.INTERNAL_ERROR));
        },
      );
    });
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      log.error({ err }, 'HTTP request handling failed');
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  server.on('clientError', (err, socket: Duplex) => {
    log.debug({ err }, 'HTTP client error');
    if ((socket as Socket).writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  // ---- WebSocket -----------------------------------------------------------------------------

  // Messages up to 2x the limit are answered with -32007 (as jsonrpsee does) and the connection
  // stays up; larger ones make `ws` close the connection with 1009 so memory stays bounded.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 2 * maxRequestBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  const refuseUpgrade = (socket: Duplex, status: string, body: string): void => {
    socket.end(
      `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };

  const onSocket = (ws: WebSocket): void => {
    sockets.add(ws);
    const conn = makeConnection('ws', (text) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(text);
      if (ws.bufferedAmount > maxBufferedBytes) {
        log.warn(
          { session: conn.session.id, buffered: ws.bufferedAmount },
          'WebSocket client too slow; dropping connection',
        );
        ws.terminate();
        finish(conn);
      }
    });
    ws.on('error', (err) => log.debug({ err, session: conn.session.id }, 'WebSocket error'));
    ws.on('close', () => {
      sockets.delete(ws);
      active--;
      finish(conn);
    });
    ws.on('message', (data, isBinary) => {
      if (conn.closed) return;
      if (rawLength(data) > maxRequestBytes) {
        conn.send(
          errorResponse(
            null,
            RPC_ERROR.OVERSIZED_REQUEST,
            `Exceeded max limit of ${maxRequestBytes}`,
          ),
        );
        return;
      }
      log.trace({ session: conn.session.id, isBinary }, 'WebSocket message');
      dispatcher.dispatch(rawText(data), conn).then(
        ({ response, afterSend }) => {
          if (response !== undefined) conn.send(response);
          for (const f of afterSend) f();
        },
        (err: unknown) => {
          log.error({ err }, 'RPC dispatch failed');
          conn.send(errorResponse(null, RPC_ERROR.INTERNAL_ERROR));
        },
      );
    });
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
    if (closing) {
      refuseUpgrade(socket, '503 Service Unavailable', 'Server is shutting down');
      return;
    }
    if (active >= maxConnections) {
      refuseUpgrade(socket, '429 Too Many Requests', TOO_MANY_CONNECTIONS);
      return;
    }
    active++; // reserved until the socket closes (released by the ws 'close' or a failed handshake)
    let upgraded = false;
    socket.once('close', () => {
      if (!upgraded) active--;
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      onSocket(ws);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'RPC server error'));
  const bound = server.address() as AddressInfo;
  log.info({ address: bound.address, port: bound.port }, 'RPC server listening');

  let closed: Promise<void> | undefined;
  return {
    port: bound.port,
    address: bound.address,
    connections: () => active,
    close(): Promise<void> {
      if (closed !== undefined) return closed;
      closing = true;
      closed = (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const conn of [...connections]) finish(conn);
        const socketsClosed = [...sockets].map(
          (ws) =>
            new Promise<void>((resolve) => {
              ws.once('close', () => resolve());
              ws.close(1001, 'server shutting down');
              // Do not wait on a peer that never completes the closing handshake.
              setTimeout(() => ws.terminate(), 1000).unref();
            }),
        );
        server.closeAllConnections();
        await Promise.all(socketsClosed);
        await serverClosed;
        wss.close();
      })();
      return closed;
    },
  };
}
