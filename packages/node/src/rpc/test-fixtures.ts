// Helpers for the RPC server tests: a WebSocket client that waits on messages, and HTTP posting.
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import WebSocket from 'ws';

/** A JSON-RPC message as received. */
export type Msg = {
  jsonrpc?: string;
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
  method?: string;
  params?: { subscription: string; result: unknown };
} & Record<string, unknown>;

/** WebSocket test client: every received message is queued; `next()` waits for the next one. */
export class WsClient {
  readonly ws: WebSocket;
  readonly received: unknown[] = [];
  #cursor = 0;
  #waiters: (() => void)[] = [];
  #nextId = 1;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()));
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const w of this.#waiters.splice(0)) w();
      });
    });
  }

  /** Connects to ws://127.0.0.1:port/path. */
  static async connect(port: number, path = '/'): Promise<WsClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new WsClient(ws);
  }

  /** The next message not yet consumed (rejects if the connection closes first). */
  async next(): Promise<Msg> {
    while (this.#cursor >= this.received.length) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('connection closed');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.received[this.#cursor++] as Msg;
  }

  /** Messages received and not yet consumed. */
  pending(): unknown[] {
    return this.received.slice(this.#cursor);
  }

  /** Sends raw text or bytes. */
  sendRaw(data: string | Uint8Array, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Sends a call and returns the next message (callers ensure it is the response). */
  async call(method: string, params?: unknown): Promise<Msg> {
    const id = this.#nextId++;
    this.ws.send(
      JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }),
    );
    const msg = await this.next();
    if (msg.id !== id) throw new Error(`expected response ${id}, got ${JSON.stringify(msg)}`);
    return msg;
  }

  /** Closes and waits for the close event. */
  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    await this.closed;
  }
}

/** Posts `body` over HTTP and returns status, headers and text. */
export async function post(
  port: number,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Posts a body in chunks without Content-Length (chunked encoding). */
export function postChunked(
  port: number,
  chunks: Buffer[],
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

/** A pino logger whose JSON records are collected in `records`. */
export function captureLogger(): { logger: Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) records.push(JSON.parse(line));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), records };
}

/** A promise plus its resolve function. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
