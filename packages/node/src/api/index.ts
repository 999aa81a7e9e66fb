import type { Chain } from '../chain/chain.js';
import type { TxPool } from '../chain/pool.js';
import type { Sealer } from '../chain/sealing.js';
import type { MethodDef, SubscriptionDef } from '../rpc/index.js';
import { legacyMethods, legacySubscriptions, type NodeInfo } from './legacy.js';

export interface LegacyDeps {
  chain: Chain;
  pool: TxPool;
  sealer: Sealer;
  info: NodeInfo;
}

/** Every RPC method and subscription the node serves. */
export function rpcDefinitions(d: LegacyDeps): {
  methods: Record<string, MethodDef<never>>;
  subscriptions: SubscriptionDef<never>[];
} {
  return {
    methods: legacyMethods(d.chain, d.pool, d.info, d.sealer),
    subscriptions: legacySubscriptions(d.chain, d.pool),
  };
}
