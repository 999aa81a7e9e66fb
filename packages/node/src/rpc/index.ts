export { describeIssues } from './dispatcher.js';
export { RPC_ERROR, RPC_ERROR_MESSAGE, RpcError } from './errors.js';
export { startRpcServer } from './server.js';
export type {
  MethodDef,
  RpcServer,
  RpcServerOptions,
  RpcSession,
  SubscriptionContext,
  SubscriptionDef,
} from './types.js';
