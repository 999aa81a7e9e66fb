export {
  createFastVerifier,
  createSr25519Backend,
  fastSigner,
  fastSr25519,
  fastVerifier,
  type KeyedSigner,
  type Sr25519Backend,
  type Sr25519BackendKind,
  type WasmSr25519,
} from './sr25519.js';
export {
  defaultVerifyThreads,
  MAX_VERIFY_THREADS,
  sharedVerifyPool,
  VerifyPool,
  type VerifyPoolOptions,
} from './verify-pool.js';
