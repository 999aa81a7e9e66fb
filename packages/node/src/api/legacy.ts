/** The legacy Substrate JSON-RPC surface that @polkadot/api and polkadot-api 2.x use. */
import { type Header, System } from '@taoscript/chain-types';
import { blake2_256 as blake2, bytesEqual, ss58Decode, toHex } from '@taoscript/codec';
import { callRuntimeApi, metadataOf, type Runtime, RuntimeApiError } from '@taoscript/runtime';
import { z } from 'zod';
import type { AuthoredBlock, Chain } from '../chain/chain.js';
import { PoolError, type TxPool, type TxStatus } from '../chain/pool.js';
import { type MethodDef, RpcError, type SubscriptionDef } from '../rpc/index.js';
import { atParam, bytes, hashParam, headerJson, hexParam, resolveAt } from './util.js';

export interface NodeInfo {
  name: string;
  version: string;
  chainType: 'Development' | 'Local' | 'Live';
  properties: { ss58Format: number; tokenDecimals: number; tokenSymbol: string };
}

export interface Sealer {
  /** Authors a block now (manual sealing). */
  createBlock(createEmpty: boolean): Promise<AuthoredBlock>;
}

function runtimeVersionJson(runtime: Runtime) {
  const v = runtime.version;
  return {
    specName: v.spec_name,
    implName: v.impl_name,
    authoringVersion: v.authoring_version,
    specVersion: v.spec_version,
    implVersion: v.impl_version,
    apis: v.apis.map(([id, ver]) => [toHex(id), ver]),
    transactionVersion: v.transaction_version,
    stateVersion: v.system_version,
  };
}

/** Turns a pool error into the RPC error Substrate sends. */
export function poolRpcError(err: unknown): RpcError {
  if (err instanceof PoolError) return new RpcError(err.code, err.message, err.data);
  throw err;
}

const blockNumberParam = z.union([
  z.number().int().nonnegative().max(0xffff_ffff),
  z.string().regex(/^(0x[0-9a-fA-F]{1,8}|[0-9]{1,10})$/, 'expected a block number'),
]);

function toNumber(n: number | string): number {
  return typeof n === 'number' ? n : Number(n);
}

/** Everything but subscriptions. */
export function legacyMethods(
  chain: Chain,
  pool: TxPool,
  info: NodeInfo,
  sealer: Sealer,
): Record<string, MethodDef<never>> {
  const runtime = chain.runtime;
  const m = <P extends unknown[]>(
    params: z.ZodType<P>,
    handler: (p: P) => unknown,
  ): MethodDef<never> => ({ params, handler }) as unknown as MethodDef<never>;
  const none = z.tuple([]);

  const getBlockHash = m(
    z.tuple([z.union([blockNumberParam, z.array(blockNumberParam).max(1024)]).nullish()]),
    ([n]) => {
      const one = (x: number | string | null | undefined) => {
        if (x === undefined || x === null) return toHex(chain.head.hash);
        const b = chain.blockByNumber(toNumber(x));
        return b ? toHex(b.hash) : null;
      };
      return Array.isArray(n) ? n.map(one) : one(n);
    },
  );
  const getHeader = m(z.tuple([hashParam.nullish()]), ([at]) => {
    if (!at) return headerJson(chain.head.header);
    const b = chain.blockByHash(bytes(at));
    return b ? headerJson(b.header) : null;
  });
  const getBlock = m(z.tuple([hashParam.nullish()]), ([at]) => {
    const b = at ? chain.blockByHash(bytes(at)) : chain.head;
    if (!b) return null;
    return {
      block: { header: headerJson(b.header), extrinsics: b.body.map(toHex) },
      justifications: null,
    };
  });
  const finalizedHead = m(none, () => toHex(chain.finalized.hash));
  const getStorage = m(z.tuple([hexParam, atParam]), ([key, at]) => {
    const b = resolveAt(chain, at);
    const v = chain.store.stateAt(b.number).get(bytes(key));
    return v === undefined ? null : toHex(v);
  });
  const getStorageHash = m(z.tuple([hexParam, atParam]), ([key, at]) => {
    const b = resolveAt(chain, at);
    const v = chain.store.stateAt(b.number).get(bytes(key));
    return v === undefined ? null : toHex(blake2(v));
  });
  const getStorageSize = m(z.tuple([hexParam, atParam]), ([key, at]) => {
    const b = resolveAt(chain, at);
    const v = chain.store.stateAt(b.number).get(bytes(key));
    return v === undefined ? null : v.length;
  });
  const getKeysPaged = m(
    z.tuple([hexParam.nullish(), z.number().int().min(0), hexParam.nullish(), atParam]),
    ([prefix, count, startKey, at]) => {
      if (count > 1000)
        throw new RpcError(-32602, 'Invalid params', `count ${count} exceeds the maximum of 1000`);
      const b = resolveAt(chain, at);
      const p = bytes(prefix ?? '0x');
      const start = startKey ? bytes(startKey) : undefined;
      return chain.store.stateAt(b.number).keys(p, start, count).map(toHex);
    },
  );
  const getKeys = m(z.tuple([hexParam, atParam]), ([prefix, at]) => {
    const b = resolveAt(chain, at);
    const keys = chain.store.stateAt(b.number).keys(bytes(prefix), undefined, 10_001);
    if (keys.length > 10_000)
      throw new RpcError(
        -32602,
        'Invalid params',
        'too many keys under this prefix; use state_getKeysPaged',
      );
    return keys.map(toHex);
  });
  const queryStorageAt = m(z.tuple([z.array(hexParam).max(1000), atParam]), ([keys, at]) => {
    const b = resolveAt(chain, at);
    const st = chain.store.stateAt(b.number);
    return [
      {
        block: toHex(b.hash),
        changes: keys.map((k) => {
          const v = st.get(bytes(k));
          return [k, v === undefined ? null : toHex(v)];
        }),
      },
    ];
  });
  const getMetadata = m(z.tuple([atParam]), ([at]) => {
    resolveAt(chain, at);
    return toHex(metadataOf(runtime, 14));
  });
  const getRuntimeVersion = m(z.tuple([atParam]), ([at]) => {
    resolveAt(chain, at);
    return runtimeVersionJson(runtime);
  });
  const call = m(
    z.tuple([z.string().min(1).max(256), z.union([hexParam, z.literal('')]), atParam]),
    ([method, data, at]) => {
      const b = resolveAt(chain, at);
      try {
        const out = callRuntimeApi(
          runtime,
          { state: chain.store.stateAt(b.number), number: b.number, hash: b.hash },
          method,
          bytes(data === '' ? '0x' : data),
        );
        return toHex(out);
      } catch (err) {
        if (err instanceof RuntimeApiError)
          throw new RpcError(4003, `Client error: Execution failed: ${err.message}`);
        throw err;
      }
    },
  );
  const submit = m(z.tuple([hexParam]), async ([xt]) => {
    try {
      const r = await pool.submit(bytes(xt));
      return toHex(r.hash);
    } catch (err) {
      throw poolRpcError(err);
    }
  });
  const queryInfo = m(z.tuple([hexParam, atParam]), ([xt, at]) => {
    resolveAt(chain, at);
    const raw = bytes(xt);
    let q: ReturnType<Runtime['queryInfo']>;
    try {
      q = runtime.queryInfo(raw, raw.length);
    } catch (err) {
      throw new RpcError(
        -32602,
        'Invalid params',
        `Unable to query dispatch info: ${(err as Error).message}`,
      );
    }
    return {
      weight: { ref_time: Number(q.weight.ref_time), proof_size: Number(q.weight.proof_size) },
      class: q.class.type.toLowerCase(),
      partialFee: q.partial_fee.toString(),
    };
  });
  const queryFeeDetails = m(z.tuple([hexParam, atParam]), ([xt, at]) => {
    resolveAt(chain, at);
    const raw = bytes(xt);
    let q: ReturnType<Runtime['queryInfo']>;
    try {
      q = runtime.queryInfo(raw, raw.length);
    } catch (err) {
      throw new RpcError(
        -32602,
        'Invalid params',
        `Unable to query fee details: ${(err as Error).message}`,
      );
    }
    const hex = (n: bigint) => `0x${n.toString(16)}`;
    return {
      inclusionFee: q.signed
        ? {
            baseFee: hex(q.parts.baseFee),
            lenFee: hex(q.parts.lenFee),
            adjustedWeightFee: hex(q.parts.adjustedWeightFee),
          }
        : null,
      tip: '0x0',
    };
  });
  const accountNextIndex = m(z.tuple([z.string().min(1).max(128)]), ([address]) => {
    const decoded = ss58Decode(address);
    let who: Uint8Array;
    if (decoded.valid) who = decoded.publicKey;
    else if (/^0x[0-9a-fA-F]{64}$/.test(address)) who = bytes(address);
    else throw new RpcError(-32602, 'Invalid params', `invalid address: ${decoded.reason}`);
    let nonce = System.Account.get(chain.store.stateAt(chain.head.number), who).nonce;
    // Count this sender's contiguous pending transactions, as Substrate does.
    const pending = pool.nonces(who);
    while (pending.has(nonce)) nonce++;
    return nonce;
  });
  const createBlock = m(
    z.tuple([z.boolean(), z.boolean(), hashParam.nullish()]),
    async ([createEmpty, _finalize, parent]) => {
      if (parent && !bytesEqual(bytes(parent), chain.head.hash))
        throw new RpcError(
          -32603,
          'Internal error',
          'this node builds only on its best block; parentHash must be the head',
        );
      try {
        const b = await sealer.createBlock(createEmpty);
        return {
          hash: toHex(b.hash),
          aux: {
            header_only: false,
            clear_justification_requests: false,
            needs_justification: false,
            bad_justification: false,
            is_new_best: true,
          },
        };
      } catch (err) {
        throw new RpcError(-32603, 'Internal error', (err as Error).message);
      }
    },
  );
  const finalizeBlock = m(z.tuple([hashParam, z.unknown().optional()]), ([hash]) => {
    if (!chain.blockByHash(bytes(hash)))
      throw new RpcError(-32603, 'Internal error', `unknown block ${hash}`);
    return true;
  });

  return {
    system_name: m(none, () => info.name),
    system_version: m(none, () => info.version),
    system_chain: m(none, () => chain.chainName),
    system_chainType: m(none, () => info.chainType),
    system_properties: m(none, () => info.properties),
    system_health: m(none, () => ({ peers: 0, isSyncing: false, shouldHavePeers: false })),
    system_localPeerId: m(none, () => '12D3KooWTaoscriptSingleAuthorNode'),
    system_localListenAddresses: m(none, () => []),
    system_peers: m(none, () => []),
    system_nodeRoles: m(none, () => ['Authority']),
    system_syncState: m(none, () => ({
      startingBlock: 0,
      currentBlock: chain.head.number,
      highestBlock: chain.head.number,
    })),
    system_accountNextIndex: accountNextIndex,
    account_nextIndex: accountNextIndex,
    chain_getBlockHash: getBlockHash,
    chain_getHead: getBlockHash,
    chain_getHeader: getHeader,
    chain_getBlock: getBlock,
    chain_getFinalizedHead: finalizedHead,
    chain_getFinalisedHead: finalizedHead,
    chain_getRuntimeVersion: getRuntimeVersion,
    state_getStorage: getStorage,
    state_getStorageAt: getStorage,
    state_getStorageHash: getStorageHash,
    state_getStorageHashAt: getStorageHash,
    state_getStorageSize: getStorageSize,
    state_getStorageSizeAt: getStorageSize,
    state_getKeys: getKeys,
    state_getKeysPaged: getKeysPaged,
    state_getKeysPagedAt: getKeysPaged,
    state_queryStorageAt: queryStorageAt,
    state_getMetadata: getMetadata,
    state_getRuntimeVersion: getRuntimeVersion,
    state_call: call,
    state_callAt: call,
    author_submitExtrinsic: submit,
    author_pendingExtrinsics: m(none, () => pool.pending().map(toHex)),
    payment_queryInfo: queryInfo,
    payment_queryFeeDetails: queryFeeDetails,
    engine_createBlock: createBlock,
    engine_finalizeBlock: finalizeBlock,
  };
}

/** The legacy subscriptions: heads, runtime version, storage, and extrinsic status. */
export function legacySubscriptions(chain: Chain, pool: TxPool): SubscriptionDef<never>[] {
  const s = <P extends unknown[]>(def: SubscriptionDef<P>) =>
    def as unknown as SubscriptionDef<never>;
  const heads = (subscribe: string[], unsubscribe: string[], notification: string) =>
    subscribe.map((name) =>
      s({
        subscribe: name,
        unsubscribe,
        notification,
        params: z.tuple([]),
        start: (_p, emit) => {
          emit(headerJson(chain.head.header));
          const on = (b: AuthoredBlock) => emit(headerJson(b.header as Header));
          chain.on('block', on);
          return () => chain.off('block', on);
        },
      }),
    );
  const defs: SubscriptionDef<never>[] = [
    ...heads(
      ['chain_subscribeNewHeads', 'chain_subscribeNewHead', 'subscribe_newHead'],
      ['chain_unsubscribeNewHeads', 'chain_unsubscribeNewHead', 'unsubscribe_newHead'],
      'chain_newHead',
    ),
    ...heads(['chain_subscribeAllHeads'], ['chain_unsubscribeAllHeads'], 'chain_allHead'),
    ...heads(
      ['chain_subscribeFinalizedHeads', 'chain_subscribeFinalisedHeads'],
      ['chain_unsubscribeFinalizedHeads', 'chain_unsubscribeFinalisedHeads'],
      'chain_finalizedHead',
    ),
    ...['state_subscribeRuntimeVersion', 'chain_subscribeRuntimeVersion'].map((name) =>
      s({
        subscribe: name,
        unsubscribe: ['state_unsubscribeRuntimeVersion', 'chain_unsubscribeRuntimeVersion'],
        notification: 'state_runtimeVersion',
        params: z.tuple([]),
        start: (_p, emit) => {
          emit(runtimeVersionJson(chain.runtime));
          return () => {};
        },
      }),
    ),
    s({
      subscribe: 'state_subscribeStorage',
      unsubscribe: 'state_unsubscribeStorage',
      notification: 'state_storage',
      params: z.tuple([z.array(hexParam).max(1000).nullish()]),
      start: ([keys], emit) => {
        if (!keys)
          throw new RpcError(
            -32602,
            'Invalid params',
            'subscribing to all storage changes is not supported; pass a list of keys',
          );
        const keyBytes = keys.map(bytes);
        const read = (n: number) => {
          const st = chain.store.stateAt(n);
          return keyBytes.map((k) => st.get(k));
        };
        let last = read(chain.head.number);
        emit({
          block: toHex(chain.head.hash),
          changes: keys.map((k, i) => [k, last[i] ? toHex(last[i] as Uint8Array) : null]),
        });
        const on = (b: AuthoredBlock) => {
          const now = read(b.number);
          const changes: [string, string | null][] = [];
          now.forEach((v, i) => {
            const prev = last[i];
            const same =
              v === undefined ? prev === undefined : prev !== undefined && bytesEqual(v, prev);
            if (!same) changes.push([keys[i] as string, v ? toHex(v) : null]);
          });
          last = now;
          if (changes.length) emit({ block: toHex(b.hash), changes });
        };
        chain.on('block', on);
        return () => chain.off('block', on);
      },
    }),
    s({
      subscribe: 'author_submitAndWatchExtrinsic',
      unsubscribe: 'author_unwatchExtrinsic',
      notification: 'author_extrinsicUpdate',
      params: z.tuple([hexParam]),
      start: async ([xt], emit, ctx) => {
        const raw = bytes(xt);
        const hashHex = toHex(blake2(raw));
        const on = (h: string, st: TxStatus) => {
          if (h !== hashHex) return;
          const out = statusJson(st);
          emit(out.value);
          if (out.final) {
            pool.off('status', on);
            ctx.close();
          }
        };
        pool.on('status', on);
        try {
          await pool.submit(raw);
        } catch (err) {
          pool.off('status', on);
          throw poolRpcError(err);
        }
        return () => pool.off('status', on);
      },
    }),
  ];
  return defs;
}

function statusJson(st: TxStatus): { value: unknown; final: boolean } {
  switch (st.type) {
    case 'future':
      return { value: 'future', final: false };
    case 'ready':
      return { value: 'ready', final: false };
    case 'inBlock':
      return { value: { inBlock: toHex(st.block) }, final: false };
    case 'finalized':
      return { value: { finalized: toHex(st.block) }, final: true };
    case 'usurped':
      return { value: { usurped: toHex(st.by) }, final: true };
    case 'dropped':
      return { value: 'dropped', final: true };
    case 'invalid':
      return { value: 'invalid', final: true };
  }
}
