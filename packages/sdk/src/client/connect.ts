/**
 * Node's `connect`: the platform WebSocket or the `ws` package's (Node 20 has no global one), and
 * pending weight commits in a `SaltStore` on disk. The browser entry has its own (browser/connect.ts).
 */
import { type ClientHost, connectWith, type SubtensorClient } from './client.js';
import type { CommitStore, ConnectParameters } from './types.js';

/** The platform WebSocket, or the `ws` package's on Node 20. */
export async function webSocketClass(): Promise<unknown> {
  const g = globalThis as { WebSocket?: unknown };
  if (typeof g.WebSocket === 'function') return g.WebSocket;
  return (await import('ws')).WebSocket;
}

/** Opens a `SaltStore` (loaded on first use, so a client that never commits reads no files). */
async function openSaltStore(dir: string | undefined): Promise<CommitStore> {
  const { SaltStore } = await import('../weights/salt-store.js');
  return new SaltStore(...(dir !== undefined ? [dir] : []));
}

const NODE_HOST: ClientHost = { webSocket: webSocketClass, openCommitStore: openSaltStore };

/**
 * Connects to a node (default: the network of `BT_SUBTENSOR_NETWORK`, else finney), reads its
 * metadata and checks every item the SDK uses against chain-types.
 * @example
 * import { connect } from '@taoscript/sdk';
 * const client = await connect({ network: 'local' });
 * console.log(await client.getCurrentBlock());
 * await client.close();
 */
export function connect(p: ConnectParameters = {}): Promise<SubtensorClient> {
  return connectWith(NODE_HOST, p);
}
