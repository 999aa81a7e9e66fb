export {
  type AttachHooks,
  Axon,
  AxonError,
  type AxonErrorCode,
  type AxonHandler,
  type AxonHandlerContext,
  type AxonLogger,
  type AxonOptions,
  type AxonRequestContext,
  type AxonResponseEvent,
  type AxonServeInfo,
  type BlacklistResult,
  type HandlerOutput,
  type NeuronLookup,
  type NeuronRecord,
  type StreamChunk,
} from './axon.js';
export { ipToInt, ipVersion } from './ip.js';
export { ALLOWED_NONCE_DELTA_NS, NonceStore } from './nonce-store.js';
export { type GateRefusal, GateRefusedError, PriorityGate } from './priority-gate.js';
export { type RateLimit, RateLimiter } from './rate-limit.js';
