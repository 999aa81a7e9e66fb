/**
 * The new JSON-RPC interface (https://paritytech.github.io/json-rpc-interface-spec/) as
 * polkadot-sdk serves it: `chainHead_v1_*` (follow, pinning and block operations),
 * `chainSpec_v1_*`, `transaction_v1_*` and `transactionWatch_v1_*`.
 *
 * Where this node differs from a polkadot-sdk node, by design:
 * - Every authored block is final, so each new block yields `newBlock`, `bestBlockChanged` and
 *   `finalized` at once and nothing is ever pruned. `initialized` is always followed by a
 *   `bestBlockChanged` naming the finalized head (as the spec describes and smoldot does).
 * - The pinned-block limit is per follow subscription (polkadot-sdk: 512 across all of them).
 * - `chainHead_v1_storage` pages `descendants*` queries with `operationWaitingForContinue` (the
 *   spec allows it; polkadot-sdk streams instead and never asks for `chainHead_v1_continue`).
 * - The state is a flat key-value map, not a trie: `closestDescendantMerkleValue` is a blake2-256
 *   digest over every (key, value) pair at or below the key. Like a real Merkle value it changes
 *   exactly when something in that subtree changes, but it is not the trie node's hash.
 * - There are no child tries, so a `childTrie` query finds nothing.
 */
import { randomInt } from 'node:crypto';
import { decodeExtrinsic } from '@taoscript/chain-types';
import { blake2_256, concatBytes, encodeCompact, fromHex, toHex } from '@taoscript/codec';
import { callRuntimeApi, type Runtime } from '@taoscript/runtime';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuthoredBlock, BlockInfo, Chain } from '../chain/chain.js';
import { POOL_ERRORS, PoolError, type TxPool, type TxStatus } from '../chain/pool.js';
import { type MethodDef, RpcError, type RpcSession, type SubscriptionDef } from '../rpc/index.js';
import { MAX_STATE_KEY_BYTES, type StateReader } from '../store/index.js';
import { hashParam, hexParam } from './util.js';

/** Error codes of the new JSON-RPC spec (the numbers polkadot-sdk sends). */
export const CHAIN_HEAD_ERROR = {
  /** Too many `chainHead_v1_follow` subscriptions on this connection. */
  REACHED_LIMITS: -32800,
  /** The block hash was never reported by this follow subscription, or is unpinned. */
  INVALID_BLOCK: -32801,
  /** `chainHead_v1_call` on a follow subscription started with `withRuntime: false`. */
  INVALID_RUNTIME_CALL: -32802,
  /** `chainHead_v1_continue` for an operation that is not waiting for it. */
  INVALID_CONTINUE: -32803,
  /** `chainHead_v1_unpin` with the same hash twice. */
  INVALID_DUPLICATE_HASHES: -32804,
  /** Malformed parameters, and `transaction_v1_stop` with an unknown operation id. */
  INVALID_PARAMS: -32602,
} as const;

/** Limits and knobs; every one defaults to what polkadot-sdk uses (or the spec suggests). */
export interface ChainHeadOptions {
  /** Blocks one follow subscription may keep pinned; one more ends it with `stop` (512). */
  maxPinnedBlocks?: number;
  /** `chainHead_v1_follow` subscriptions per connection (polkadot-sdk: 4; the spec needs 2). */
  maxFollowSubscriptionsPerConnection?: number;
  /** Operations in flight per follow subscription; each storage item counts as one (16). */
  maxOngoingOperations?: number;
  /** Finalized blocks (the head and its ancestors) the `initialized` event reports and pins (16). */
  initialFinalizedBlocks?: number;
  /** Storage items per `operationStorageItems` batch; `descendants*` queries pause after each (1000). */
  storageItemsPerPage?: number;
  /** Bytes of values in one storage batch before it is cut short (4 MiB). */
  storageBytesPerPage?: number;
  /** `transaction_v1_broadcast` operations per connection before it answers null (16). */
  maxBroadcastsPerConnection?: number;
  /** What `chainSpec_v1_properties` returns. */
  properties?: Record<string, unknown>;
  /** Receives unexpected failures inside event handlers. */
  logger?: Logger;
}

/** The node's services the new-spec handlers read. */
export interface ChainHeadDeps {
  chain: Chain;
  pool: TxPool;
}

const DEFAULTS = {
  maxPinnedBlocks: 512,
  maxFollowSubscriptionsPerConnection: 4,
  maxOngoingOperations: 16,
  initialFinalizedBlocks: 16,
  storageItemsPerPage: 1000,
  storageBytesPerPage: 4 * 1024 * 1024,
  maxBroadcastsPerConnection: 16,
};

/** Default `chainSpec_v1_properties` of the dev chain. */
export const DEFAULT_CHAIN_PROPERTIES = { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' };

const STORAGE_TYPES = [
  'value',
  'hash',
  'closestDescendantMerkleValue',
  'descendantsValues',
  'descendantsHashes',
] as const;
type StorageType = (typeof STORAGE_TYPES)[number];

/** A hex string, or `''` which polkadot-sdk reads as empty bytes. */
const hexOrEmpty = z.union([hexParam, z.literal('')]);
const followIdParam = z.string();
const storageItemParam = z.object({ key: hexOrEmpty, type: z.enum(STORAGE_TYPES) });

const LIMIT_REACHED = { result: 'limitReached' } as const;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

type Emit = (result: unknown) => void;

interface Operation {
  id: string;
  /** Operation slots it holds (one per storage item, one for body or call). */
  slots: number;
  ended: boolean;
  /** Set while a storage operation waits for `chainHead_v1_continue`. */
  resume: ((go: boolean) => void) | undefined;
}

interface Follow {
  id: string;
  session: RpcSession;
  withRuntime: boolean;
  pinned: Set<string>;
  operations: Map<string, Operation>;
  slotsInUse: number;
  nextOperationId: number;
  ended: boolean;
  emit: Emit;
  end(): void;
}

interface Broadcast {
  id: string;
  session: RpcSession;
  bytes: Uint8Array;
  hashHex: string;
  stopped: boolean;
  cleanup: (() => void)[];
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** One listener on an emitter, fanned out to many callbacks; attached only while it has any. */
class Hub<A extends unknown[]> {
  readonly #subs = new Set<(...args: A) => void>();
  readonly #relay: (...args: A) => void;
  constructor(
    private readonly attach: (fn: (...args: A) => void) => void,
    private readonly detach: (fn: (...args: A) => void) => void,
    onError: (err: unknown) => void,
  ) {
    this.#relay = (...args: A) => {
      for (const fn of [...this.#subs]) {
        try {
          fn(...args);
        } catch (err) {
          onError(err);
        }
      }
    };
  }
  add(fn: (...args: A) => void): () => void {
    if (this.#subs.size === 0) this.attach(this.#relay);
    this.#subs.add(fn);
    return () => {
      if (!this.#subs.delete(fn)) return;
      if (this.#subs.size === 0) this.detach(this.#relay);
    };
  }
}

/** The runtime description `initialized` carries (polkadot-sdk's `ChainHeadRuntimeVersion`). */
function runtimeEvent(runtime: Runtime) {
  const v = runtime.version;
  return {
    type: 'valid',
    spec: {
      specName: v.spec_name,
      implName: v.impl_name,
      specVersion: v.spec_version,
      implVersion: v.impl_version,
      transactionVersion: v.transaction_version,
      apis: Object.fromEntries(v.apis.map(([id, version]) => [toHex(id), version])),
    },
  };
}

/** The text polkadot-sdk puts in the `invalid` event for a transaction the pool refused. */
function refusalText(err: PoolError): string {
  const data = err.data ?? err.message;
  switch (err.code) {
    case POOL_ERRORS.INVALID: {
      const custom = /^Custom error: (.*)$/.exec(data);
      return custom
        ? `Invalid transaction with custom error: ${custom[1]}`
        : `Invalid transaction: ${data}`;
    }
    case POOL_ERRORS.UNKNOWN:
      return `Unknown transaction validity: ${data}`;
    case POOL_ERRORS.TEMPORARILY_BANNED:
      return 'Transaction is temporarily banned';
    case POOL_ERRORS.ALREADY_IMPORTED:
      return 'Transaction is already imported';
    case POOL_ERRORS.TOO_LOW_PRIORITY: {
      const p = /\((\d+) vs (\d+)\)/.exec(data);
      return p
        ? `The priority of the transaction is too low (pool ${p[1]} > current ${p[2]})`
        : `The priority of the transaction is too low: ${data}`;
    }
    case POOL_ERRORS.CYCLE_DETECTED:
      return 'The transaction contains a cyclic dependency';
    case POOL_ERRORS.IMMEDIATELY_DROPPED:
      return 'The transaction could not enter the pool because of the limit';
    default:
      return `${err.message}: ${data}`;
  }
}

/** A `transactionWatch_v1_watchEvent` for a pool status, and whether it is the last one. */
function watchEvent(st: TxStatus): { value: unknown; final: boolean } {
  switch (st.type) {
    case 'ready':
    case 'future':
      return { value: { event: 'validated' }, final: false };
    case 'inBlock':
      return {
        value: {
          event: 'bestChainBlockIncluded',
          block: { hash: toHex(st.block), index: st.index },
        },
        final: false,
      };
    case 'finalized':
      return {
        value: { event: 'finalized', block: { hash: toHex(st.block), index: st.index } },
        final: true,
      };
    case 'usurped':
      return {
        value: { event: 'invalid', error: 'Extrinsic was rendered invalid by another extrinsic' },
        final: true,
      };
    case 'dropped':
      return {
        value: {
          event: 'dropped',
          error: 'Extrinsic dropped from the pool due to exceeding limits',
        },
        final: true,
      };
    case 'invalid':
      return {
        value: {
          event: 'invalid',
          error: st.reason
            ? `Extrinsic marked as invalid: ${st.reason}`
            : 'Extrinsic marked as invalid',
        },
        final: true,
      };
  }
}

/** A digest of every (key, value) pair with `prefix`, standing in for a trie Merkle value. */
function subtreeDigest(state: StateReader, prefix: Uint8Array): Uint8Array | undefined {
  let acc: Uint8Array | undefined;
  let start: Uint8Array | undefined;
  for (;;) {
    const keys = state.keys(prefix, start, 1000);
    if (keys.length === 0) break;
    const parts: Uint8Array[] = [];
    for (const k of keys) {
      const v = state.get(k) ?? new Uint8Array(0);
      parts.push(encodeCompact(k.length), k, encodeCompact(v.length), v);
    }
    const page = blake2_256(concatBytes(...parts));
    acc = acc ? blake2_256(concatBytes(acc, page)) : page;
    start = keys[keys.length - 1];
    if (keys.length < 1000) break;
  }
  return acc;
}

/**
 * The new JSON-RPC spec's methods and subscriptions, ready to hand to `startRpcServer`.
 * Use one result per server (follow subscriptions and broadcasts are tracked per connection).
 * @example
 * import { chainHeadDefinitions } from './chain-head.js';
 * const defs = chainHeadDefinitions({ chain: node.chain, pool: node.pool });
 * await startRpcServer({ port: 0, methods: defs.methods, subscriptions: defs.subscriptions });
 */
export function chainHeadDefinitions(
  deps: ChainHeadDeps,
  options: ChainHeadOptions = {},
): { methods: Record<string, MethodDef<never>>; subscriptions: SubscriptionDef<never>[] } {
  if (typeof deps !== 'object' || deps === null) throw new TypeError('deps must be an object');
  const { chain, pool } = deps;
  if (typeof chain?.blockByHash !== 'function' || typeof chain.on !== 'function') {
    throw new TypeError('deps.chain must be a Chain');
  }
  if (typeof pool?.submit !== 'function' || typeof pool.on !== 'function') {
    throw new TypeError('deps.pool must be a TxPool');
  }
  if (typeof options !== 'object' || options === null)
    throw new TypeError('options must be an object');
  const maxPinned = positiveInt(
    options.maxPinnedBlocks,
    'maxPinnedBlocks',
    DEFAULTS.maxPinnedBlocks,
  );
  const maxFollows = positiveInt(
    options.maxFollowSubscriptionsPerConnection,
    'maxFollowSubscriptionsPerConnection',
    DEFAULTS.maxFollowSubscriptionsPerConnection,
  );
  const maxOps = positiveInt(
    options.maxOngoingOperations,
    'maxOngoingOperations',
    DEFAULTS.maxOngoingOperations,
  );
  const initialFinalized = Math.min(
    maxPinned,
    positiveInt(
      options.initialFinalizedBlocks,
      'initialFinalizedBlocks',
      DEFAULTS.initialFinalizedBlocks,
    ),
  );
  const pageItems = positiveInt(
    options.storageItemsPerPage,
    'storageItemsPerPage',
    DEFAULTS.storageItemsPerPage,
  );
  const pageBytes = positiveInt(
    options.storageBytesPerPage,
    'storageBytesPerPage',
    DEFAULTS.storageBytesPerPage,
  );
  const maxBroadcasts = positiveInt(
    options.maxBroadcastsPerConnection,
    'maxBroadcastsPerConnection',
    DEFAULTS.maxBroadcastsPerConnection,
  );
  if (
    options.properties !== undefined &&
    (typeof options.properties !== 'object' || options.properties === null)
  ) {
    throw new TypeError('properties must be an object');
  }
  const properties = options.properties ?? DEFAULT_CHAIN_PROPERTIES;
  const log = options.logger;
  const onError = (err: unknown) => log?.error({ err }, 'chainHead event handler failed');

  const runtime = chain.runtime;
  const runtimeJson = runtimeEvent(runtime);
  const blocks = new Hub<[AuthoredBlock]>(
    (fn) => chain.on('block', fn),
    (fn) => chain.off('block', fn),
    onError,
  );
  const watchers = new Map<string, Set<(st: TxStatus) => void>>();
  const relayStatus = (hashHex: string, st: TxStatus): void => {
    const set = watchers.get(hashHex);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(st);
      } catch (err) {
        onError(err);
      }
    }
  };
  /** Calls `fn` with each pool status of the transaction with this hash. */
  const onStatus = (hashHex: string, fn: (st: TxStatus) => void): (() => void) => {
    if (watchers.size === 0) pool.on('status', relayStatus);
    let set = watchers.get(hashHex);
    if (!set) {
      set = new Set();
      watchers.set(hashHex, set);
    }
    set.add(fn);
    const mine = set;
    return () => {
      if (!mine.delete(fn)) return;
      if (mine.size === 0 && watchers.get(hashHex) === mine) watchers.delete(hashHex);
      if (watchers.size === 0) pool.off('status', relayStatus);
    };
  };

  const follows = new Map<RpcSession, Map<string, Follow>>();
  const lookup = (session: RpcSession, id: string): Follow | undefined => {
    const f = follows.get(session)?.get(id);
    return f && !f.ended ? f : undefined;
  };
  const invalidBlock = () => new RpcError(CHAIN_HEAD_ERROR.INVALID_BLOCK, 'Invalid block hash');
  /** The pinned block a call names (normalized to lowercase hex), or -32801. */
  const pinnedBlock = (f: Follow, hash: string): BlockInfo => {
    const h = hash.toLowerCase();
    if (!f.pinned.has(h)) throw invalidBlock();
    const b = chain.blockByHash(fromHex(h));
    if (!b)
      throw new RpcError(-32603, `Internal error: block ${h} is pinned but not in the database`);
    return b;
  };

  const startOperation = (f: Follow, wanted: number): Operation | undefined => {
    const slots = Math.min(wanted, maxOps - f.slotsInUse);
    if (wanted > 0 && slots <= 0) return undefined;
    const op: Operation = {
      id: String(f.nextOperationId++),
      slots,
      ended: false,
      resume: undefined,
    };
    f.slotsInUse += slots;
    f.operations.set(op.id, op);
    return op;
  };
  const endOperation = (f: Follow, op: Operation): void => {
    if (op.ended) return;
    op.ended = true;
    f.slotsInUse -= op.slots;
    f.operations.delete(op.id);
    const resume = op.resume;
    op.resume = undefined;
    resume?.(false);
  };
  /** Runs `fn` after the current response has gone out, unless the operation ended meanwhile. */
  const later = (f: Follow, op: Operation, fn: () => void): void => {
    setImmediate(() => {
      if (op.ended || f.ended) return;
      try {
        fn();
      } catch (err) {
        if (op.ended || f.ended) return;
        endOperation(f, op);
        f.emit({
          event: 'operationError',
          operationId: op.id,
          error: (err as Error).message ?? String(err),
        });
      }
    });
  };

  const m = <P extends unknown[]>(
    params: z.ZodType<P>,
    handler: (p: P, session: RpcSession) => unknown,
  ): MethodDef<never> => ({ params, handler }) as unknown as MethodDef<never>;
  const s = <P extends unknown[]>(def: SubscriptionDef<P>) =>
    def as unknown as SubscriptionDef<never>;

  // ---- chainHead_v1_follow -------------------------------------------------------------------

  const follow = s({
    subscribe: 'chainHead_v1_follow',
    unsubscribe: 'chainHead_v1_unfollow',
    notification: 'chainHead_v1_followEvent',
    params: z.tuple([z.boolean()]),
    start: ([withRuntime], emit, ctx) => {
      let mine = follows.get(ctx.session);
      const live = mine ? [...mine.values()].filter((x) => !x.ended).length : 0;
      if (live >= maxFollows) {
        throw new RpcError(
          CHAIN_HEAD_ERROR.REACHED_LIMITS,
          'Maximum number of chainHead_follow has been reached',
        );
      }
      if (!mine) {
        mine = new Map();
        follows.set(ctx.session, mine);
      }
      const sessionFollows = mine;
      let offBlocks = () => {};
      const f: Follow = {
        id: ctx.subscriptionId,
        session: ctx.session,
        withRuntime,
        pinned: new Set(),
        operations: new Map(),
        slotsInUse: 0,
        nextOperationId: 0,
        ended: false,
        emit,
        end() {
          if (f.ended) return;
          f.ended = true;
          offBlocks();
          for (const op of [...f.operations.values()]) endOperation(f, op);
          f.pinned.clear();
          sessionFollows.delete(f.id);
          if (sessionFollows.size === 0) follows.delete(f.session);
        },
      };
      sessionFollows.set(f.id, f);

      const head = chain.finalized;
      const finalized: string[] = [];
      for (let n = head.number; n >= 0 && finalized.length < initialFinalized; n--) {
        const b = n === head.number ? head : chain.blockByNumber(n);
        if (!b) break;
        finalized.unshift(toHex(b.hash));
      }
      for (const h of finalized) f.pinned.add(h);
      emit(
        withRuntime
          ? {
              event: 'initialized',
              finalizedBlockHashes: finalized,
              finalizedBlockRuntime: runtimeJson,
            }
          : { event: 'initialized', finalizedBlockHashes: finalized },
      );
      // The spec has a `bestBlockChanged` follow the initial blocks; polkadot-sdk skips it when the
      // best block is the finalized one, but polkadot-api 1.x waits for it before doing anything.
      emit({ event: 'bestBlockChanged', bestBlockHash: finalized[finalized.length - 1] });

      offBlocks = blocks.add((b) => {
        if (f.ended) return;
        if (f.pinned.size >= maxPinned) {
          // Like polkadot-sdk: a subscription that cannot pin one more block is stopped.
          emit({ event: 'stop' });
          f.end();
          ctx.close();
          return;
        }
        const hash = toHex(b.hash);
        f.pinned.add(hash);
        const parent = toHex(b.header.parent_hash);
        emit(
          withRuntime
            ? { event: 'newBlock', blockHash: hash, parentBlockHash: parent, newRuntime: null }
            : { event: 'newBlock', blockHash: hash, parentBlockHash: parent },
        );
        emit({ event: 'bestBlockChanged', bestBlockHash: hash });
        emit({ event: 'finalized', finalizedBlockHashes: [hash], prunedBlockHashes: [] });
      });
      return () => f.end();
    },
  });

  // ---- chainHead_v1_* methods ----------------------------------------------------------------

  const header = m(z.tuple([followIdParam, hashParam]), ([id, hash], session) => {
    const f = lookup(session, id);
    if (!f) return null;
    return toHex(pinnedBlock(f, hash).headerBytes);
  });

  const body = m(z.tuple([followIdParam, hashParam]), ([id, hash], session) => {
    const f = lookup(session, id);
    if (!f) return LIMIT_REACHED;
    const b = pinnedBlock(f, hash);
    const op = startOperation(f, 1);
    if (!op) return LIMIT_REACHED;
    later(f, op, () => {
      const value = b.body.map(toHex);
      endOperation(f, op);
      f.emit({ event: 'operationBodyDone', operationId: op.id, value });
    });
    return { result: 'started', operationId: op.id };
  });

  const call = m(
    z.tuple([followIdParam, hashParam, z.string().max(1024), hexOrEmpty]),
    ([id, hash, fn, data], session) => {
      const f = lookup(session, id);
      if (!f) return LIMIT_REACHED;
      const b = pinnedBlock(f, hash);
      if (!f.withRuntime) {
        throw new RpcError(
          CHAIN_HEAD_ERROR.INVALID_RUNTIME_CALL,
          'Invalid runtime call',
          'The runtime updates flag must be set',
        );
      }
      const op = startOperation(f, 1);
      if (!op) return LIMIT_REACHED;
      const args = fromHex(data === '' ? '0x' : data);
      later(f, op, () => {
        let event: unknown;
        try {
          const out = callRuntimeApi(
            runtime,
            { state: chain.store.stateAt(b.number), number: b.number, hash: b.hash },
            fn,
            args,
          );
          event = { event: 'operationCallDone', operationId: op.id, output: toHex(out) };
        } catch (err) {
          event = {
            event: 'operationError',
            operationId: op.id,
            error: `Execution failed: ${(err as Error).message}`,
          };
        }
        endOperation(f, op);
        f.emit(event);
      });
      return { result: 'started', operationId: op.id };
    },
  );

  const storage = m(
    z.tuple([followIdParam, hashParam, z.array(storageItemParam).max(1024), hexOrEmpty.nullish()]),
    ([id, hash, items, childTrie], session) => {
      const f = lookup(session, id);
      if (!f) return LIMIT_REACHED;
      const b = pinnedBlock(f, hash);
      const op = startOperation(f, items.length);
      if (!op) return LIMIT_REACHED;
      const accepted = items
        .slice(0, op.slots)
        .map((q) => ({ key: fromHex(q.key === '' ? '0x' : q.key), type: q.type }));
      const state = chain.store.stateAt(b.number);
      // No child tries exist in this node's state: such queries find nothing.
      const queries = childTrie === null || childTrie === undefined ? accepted : [];
      later(f, op, () => {
        runStorage(f, op, state, queries).catch((err: unknown) => {
          if (op.ended || f.ended) return;
          endOperation(f, op);
          f.emit({
            event: 'operationError',
            operationId: op.id,
            error: (err as Error).message ?? String(err),
          });
        });
      });
      return {
        result: 'started',
        operationId: op.id,
        discardedItems: items.length - accepted.length,
      };
    },
  );

  /** Answers storage queries in batches; `descendants*` queries pause for `continue` between pages. */
  const runStorage = async (
    f: Follow,
    op: Operation,
    state: StateReader,
    queries: { key: Uint8Array; type: StorageType }[],
  ): Promise<void> => {
    let batch: Record<string, string>[] = [];
    let batchBytes = 0;
    const flush = () => {
      if (batch.length === 0) return;
      f.emit({ event: 'operationStorageItems', operationId: op.id, items: batch });
      batch = [];
      batchBytes = 0;
    };
    /** Adds an item; true if that filled the page and sent it. */
    const push = (item: Record<string, string>, bytes: number): boolean => {
      batch.push(item);
      batchBytes += bytes;
      if (batch.length < pageItems && batchBytes < pageBytes) return false;
      flush();
      return true;
    };
    /** Asks for `chainHead_v1_continue` and waits for it (false if the operation ended). */
    const pause = async (): Promise<boolean> => {
      f.emit({ event: 'operationWaitingForContinue', operationId: op.id });
      const go = await new Promise<boolean>((resolve) => {
        op.resume = resolve;
      });
      // Resume after the `chainHead_v1_continue` response has been sent.
      if (go) await new Promise<void>((resolve) => setImmediate(resolve));
      return go && !op.ended && !f.ended;
    };
    for (const q of queries) {
      if (op.ended || f.ended) return;
      // Keys longer than the store allows cannot exist, nor can anything below them.
      if (q.key.length > MAX_STATE_KEY_BYTES) continue;
      const key = toHex(q.key);
      switch (q.type) {
        case 'value':
        case 'hash': {
          const v = state.get(q.key);
          if (v === undefined) break;
          if (q.type === 'value') push({ key, value: toHex(v) }, v.length);
          else push({ key, hash: toHex(blake2_256(v)) }, 32);
          break;
        }
        case 'closestDescendantMerkleValue': {
          const digest = subtreeDigest(state, q.key);
          if (digest) push({ key, closestDescendantMerkleValue: toHex(digest) }, 32);
          break;
        }
        case 'descendantsValues':
        case 'descendantsHashes': {
          let start: Uint8Array | undefined;
          for (;;) {
            const keys = state.keys(q.key, start, 256);
            for (const k of keys) {
              start = k;
              const v = state.get(k);
              if (v === undefined) continue;
              const item =
                q.type === 'descendantsValues'
                  ? { key: toHex(k), value: toHex(v) }
                  : { key: toHex(k), hash: toHex(blake2_256(v)) };
              if (!push(item, q.type === 'descendantsValues' ? v.length : 32)) continue;
              // A page went out: if this query has more, wait for the client to ask for it.
              if (state.keys(q.key, k, 1).length === 0) continue;
              if (!(await pause())) return;
            }
            if (keys.length < 256) break;
          }
          break;
        }
      }
    }
    if (op.ended || f.ended) return;
    flush();
    endOperation(f, op);
    f.emit({ event: 'operationStorageDone', operationId: op.id });
  };

  const cont = m(z.tuple([followIdParam, z.string()]), ([id, opId], session) => {
    const f = lookup(session, id);
    const op = f?.operations.get(opId);
    if (!f || !op) return null;
    const resume = op.resume;
    if (!resume) {
      throw new RpcError(
        CHAIN_HEAD_ERROR.INVALID_CONTINUE,
        'Wait for continue event was not generated for the subscription',
      );
    }
    op.resume = undefined;
    resume(true);
    return null;
  });

  const stopOperation = m(z.tuple([followIdParam, z.string()]), ([id, opId], session) => {
    const f = lookup(session, id);
    const op = f?.operations.get(opId);
    if (f && op) endOperation(f, op);
    return null;
  });

  const unpin = m(
    z.tuple([followIdParam, z.union([hashParam, z.array(hashParam).max(65_536)])]),
    ([id, hashes], session) => {
      const f = lookup(session, id);
      if (!f) return null;
      const list = (typeof hashes === 'string' ? [hashes] : hashes).map((h) => h.toLowerCase());
      const unique = new Set(list);
      if (unique.size !== list.length) {
        throw new RpcError(
          CHAIN_HEAD_ERROR.INVALID_DUPLICATE_HASHES,
          'Received duplicate hashes for the `chainHead_unpin` method',
        );
      }
      // All or nothing.
      for (const h of list) if (!f.pinned.has(h)) throw invalidBlock();
      for (const h of list) f.pinned.delete(h);
      return null;
    },
  );

  // ---- transaction_v1_* ----------------------------------------------------------------------

  const broadcasts = new Map<RpcSession, Map<string, Broadcast>>();
  const stopBroadcast = (b: Broadcast): void => {
    if (b.stopped) return;
    b.stopped = true;
    for (const fn of b.cleanup.splice(0)) fn();
    broadcasts.get(b.session)?.delete(b.id);
  };
  /**
   * Puts the transaction in the pool, as polkadot-sdk does: a refusal ends the broadcast; once in
   * the pool, it is offered again on the next block if it becomes invalid or is dropped, and the
   * broadcast is over when it is finalized or usurped. It stays registered until stopped.
   */
  const submitBroadcast = (b: Broadcast): void => {
    if (b.stopped) return;
    let settled = false;
    const off = onStatus(b.hashHex, (st) => {
      if (settled) return;
      if (st.type === 'finalized' || st.type === 'usurped') {
        settled = true;
        off();
      } else if (st.type === 'invalid' || st.type === 'dropped') {
        settled = true;
        off();
        const offBlock = blocks.add(() => {
          offBlock();
          submitBroadcast(b);
        });
        b.cleanup.push(offBlock);
      }
    });
    b.cleanup.push(off);
    pool.submit(b.bytes).catch(() => {
      settled = true;
      off();
    });
  };

  const broadcast = m(z.tuple([hexParam]), ([tx], session) => {
    let mine = broadcasts.get(session);
    if (mine && mine.size >= maxBroadcasts) return null;
    if (!mine) {
      mine = new Map();
      broadcasts.set(session, mine);
      const forSession = mine;
      session.onClose(() => {
        for (const b of [...forSession.values()]) stopBroadcast(b);
        broadcasts.delete(session);
      });
    }
    let id = '';
    do {
      id = '';
      for (let i = 0; i < 16; i++) id += ALNUM[randomInt(ALNUM.length)];
    } while (mine.has(id));
    const bytes = fromHex(tx);
    const b: Broadcast = {
      id,
      session,
      bytes,
      hashHex: toHex(blake2_256(bytes)),
      stopped: false,
      cleanup: [],
    };
    mine.set(id, b);
    // Submitted now, so that the transaction reaches the pool even if the connection closes.
    submitBroadcast(b);
    return id;
  });

  const stop = m(z.tuple([z.string()]), ([id], session) => {
    const b = broadcasts.get(session)?.get(id);
    if (!b) throw new RpcError(CHAIN_HEAD_ERROR.INVALID_PARAMS, 'Invalid operation id');
    stopBroadcast(b);
    return null;
  });

  const submitAndWatch = s({
    subscribe: 'transactionWatch_v1_submitAndWatch',
    unsubscribe: 'transactionWatch_v1_unwatch',
    notification: 'transactionWatch_v1_watchEvent',
    params: z.tuple([hexParam]),
    start: ([tx], emit, ctx) => {
      const bytes = fromHex(tx);
      try {
        decodeExtrinsic(bytes);
      } catch {
        emit({ event: 'invalid', error: 'Extrinsic bytes cannot be decoded' });
        ctx.close();
        return () => {};
      }
      let done = false;
      let off = () => {};
      const finish = () => {
        if (done) return;
        done = true;
        off();
        ctx.close();
      };
      off = onStatus(toHex(blake2_256(bytes)), (st) => {
        if (done) return;
        const ev = watchEvent(st);
        emit(ev.value);
        if (ev.final) finish();
      });
      pool.submit(bytes).catch((err: unknown) => {
        if (done) return;
        emit(
          err instanceof PoolError
            ? { event: 'invalid', error: refusalText(err) }
            : { event: 'error', error: (err as Error).message ?? String(err) },
        );
        finish();
      });
      return () => {
        done = true;
        off();
      };
    },
  });

  const none = z.tuple([]);
  return {
    methods: {
      chainHead_v1_header: header,
      chainHead_v1_body: body,
      chainHead_v1_call: call,
      chainHead_v1_storage: storage,
      chainHead_v1_continue: cont,
      chainHead_v1_stopOperation: stopOperation,
      chainHead_v1_unpin: unpin,
      chainSpec_v1_chainName: m(none, () => chain.chainName),
      chainSpec_v1_genesisHash: m(none, () => toHex(chain.genesisHash)),
      chainSpec_v1_properties: m(none, () => properties),
      transaction_v1_broadcast: broadcast,
      transaction_v1_stop: stop,
    },
    subscriptions: [follow, submitAndWatch],
  };
}
