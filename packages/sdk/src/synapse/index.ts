/** Synapses: definitions, wire JSON, body hashes, headers, nonces and signatures. */
export * from './api.js';
export { bodyHash, bodyHashOf, EMPTY_BODY_HASH, hashFieldTexts, sha3Hex } from './body-hash.js';
export {
  HEADER_PREFIX,
  type HeaderSource,
  type ParsedHeaders,
  parseHeaders,
  parseRawHeaders,
  pyHeadersSizeof,
  toHeaders,
} from './headers.js';
export { nextNonce, nowNs, uuid1 } from './nonce.js';
