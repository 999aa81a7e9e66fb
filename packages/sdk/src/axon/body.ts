import type { IncomingMessage } from 'node:http';

/** Why a request body could not be read. */
export class BodyReadError extends Error {
  override name = 'BodyReadError';
  constructor(
    readonly reason: 'too-large' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

interface Read {
  chunks: Uint8Array[];
  total: number;
  limit: number;
  resolve: (body: Uint8Array) => void;
  reject: (err: BodyReadError) => void;
}

// Listeners are shared module functions reading their state off the request (no closures per
// request on the axon's hot path).
const READ = Symbol('axon body read');
type Reading = IncomingMessage & { [READ]?: Read | undefined };

function stop(incoming: Reading): Read | undefined {
  const read = incoming[READ];
  incoming[READ] = undefined;
  incoming.off('data', onData);
  incoming.off('end', onEnd);
  incoming.off('error', onAbort);
  incoming.off('close', onClose);
  return read;
}

function onData(this: Reading, chunk: Uint8Array): void {
  const read = this[READ];
  if (read === undefined) return;
  read.total += chunk.length;
  if (read.total > read.limit) {
    stop(this);
    this.pause();
    read.chunks.length = 0;
    read.reject(new BodyReadError('too-large', `Request body exceeds ${read.limit} bytes`));
    return;
  }
  read.chunks.push(chunk);
}

function onEnd(this: Reading): void {
  const read = stop(this);
  read?.resolve(concat(read.chunks, read.total));
}

function onAbort(this: Reading): void {
  stop(this)?.reject(new BodyReadError('aborted', 'The client closed the connection mid-body'));
}

function onClose(this: Reading): void {
  if (!this.readableEnded) onAbort.call(this);
}

/**
 * Reads a node request body, stopping (and pausing the socket) as soon as it passes `limit`
 * bytes, so an oversized chunked body is never held whole.
 */
export function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  if (incoming.readableEnded) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    (incoming as Reading)[READ] = { chunks: [], total: 0, limit, resolve, reject };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onAbort);
    incoming.on('close', onClose);
  });
}

/** Reads a web `Request` body with the same limit (for in-process `fetch` use). */
export async function readWebBody(request: Request, limit: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concat(chunks, total);
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyReadError('too-large', `Request body exceeds ${limit} bytes`);
    }
    chunks.push(value);
  }
}
