import type { Chain } from '../chain/chain.js';
import type { TxPool } from '../chain/pool.js';
import type { Sealer } from '../chain/sealing.js';
import type { MethodDef, SubscriptionDef } from '../rpc/index.js';
import { chainHeadDefinitions } from './chain-head.js';
import { legacyMethods, legacySubscriptions, type NodeInfo } from './legacy.js';

export interface LegacyDeps {
  chain: Chain;
  pool: TxPool;
  sealer: Sealer;
  info: NodeInfo;
}

/** Every RPC method and subscription the node serves: the legacy surface and the new spec. */
export function rpcDefinitions(d: LegacyDeps): {
  methods: Record<string, MethodDef<never>>;
  subscriptions: SubscriptionDef<never>[];
} {
  const modern = chainHeadDefinitions(
    { chain: d.chain, pool: d.pool },
    { properties: d.info.properties },
  );
  return {
    methods: { ...legacyMethods(d.chain, d.pool, d.info, d.sealer), ...modern.methods },
    subscriptions: [...legacySubscriptions(d.chain, d.pool), ...modern.subscriptions],
  };
}
