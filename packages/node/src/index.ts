export { Chain } from './chain/chain.js';
export { POOL_ERRORS, PoolError, TxPool } from './chain/pool.js';
export {
  MAX_SEALING_MS,
  NothingToSealError,
  parseSealing,
  Sealer,
  type SealingMode,
} from './chain/sealing.js';
export {
  DEV_ENDOWMENT,
  NODE_VERSION,
  type NodeOptions,
  type RunningNode,
  startNode,
} from './node.js';
