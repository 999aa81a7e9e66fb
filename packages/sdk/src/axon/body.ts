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

/**
 * Reads a node request body, stopping (and pausing the socket) as soon as it passes `limit`
 * bytes, so an oversized chunked body is never held whole.
 */
export function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onAbort);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Uint8Array) => {
      total += chunk.length;
      if (total > limit) {
        cleanup();
        incoming.pause();
        chunks.length = 0;
        reject(new BodyReadError('too-large', `Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(concat(chunks, total));
    };
    const onAbort = () => {
      cleanup();
      reject(new BodyReadError('aborted', 'The client closed the connection mid-body'));
    };
    const onClose = () => {
      if (!incoming.readableEnded) onAbort();
    };
    if (incoming.readableEnded) {
      resolve(new Uint8Array(0));
      return;
    }
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
