export {
  createVerifier,
  MAX_MESSAGE_BYTES,
  MAX_THREADS,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  type SigType,
  type Verifier,
  type VerifierOptions,
  type VerifyJob,
} from './verifier.js';
