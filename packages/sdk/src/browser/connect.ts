/**
 * The browser's `connect`: the platform `WebSocket` (never the `ws` package) and no file system,
 * so pending weight commits live in the store the caller passes (e.g. a `MemoryCommitStore`).
 */
import { type ClientHost, connectWith, type SubtensorClient } from '../client/client.js';
import { PreconditionError } from '../client/errors.js';
import type { CommitStore, ConnectParameters as NodeConnectParameters } from '../client/types.js';

/** How to connect from a browser: as in Node, but `commits` must be a store object. */
export interface ConnectParameters extends Omit<NodeConnectParameters, 'commits'> {
  /** Where `commitWeights` keeps salts until `revealWeights` (none: commit-reveal is refused). */
  commits?: CommitStore;
}

const BROWSER_HOST: ClientHost = {
  async webSocket() {
    const ws = (globalThis as { WebSocket?: unknown }).WebSocket;
    if (typeof ws !== 'function')
      throw new TypeError('this environment has no WebSocket; pass a JSON-RPC `provider` instead');
    return ws;
  },
  async openCommitStore() {
    throw new PreconditionError(
      'NO_COMMIT_STORE',
      'commit-reveal needs a commit store: pass `commits` (e.g. a MemoryCommitStore) to connect',
    );
  },
};

/**
 * Connects to a node over the platform WebSocket, reads its metadata and checks every item the
 * SDK uses against chain-types, as the Node `connect` does (`BT_SUBTENSOR_*` are read only from an
 * `env` you pass: the default environment is empty).
 * @example
 * import { connect } from '@taoscript/sdk/browser';
 * const client = await connect({ network: 'ws://127.0.0.1:9944' });
 * console.log(await client.getCurrentBlock());
 * await client.close();
 */
export async function connect(p: ConnectParameters = {}): Promise<SubtensorClient> {
  if (
    typeof p === 'object' &&
    p !== null &&
    typeof (p as { commits?: unknown }).commits === 'string'
  )
    throw new TypeError('commits must be a commit store here (a browser has no directory to use)');
  return connectWith(BROWSER_HOST, typeof p === 'object' && p !== null ? { env: {}, ...p } : p);
}
