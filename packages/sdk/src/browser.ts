/**
 * `@taoscript/sdk/browser`: the parts of the SDK that run in a browser (and any host with a
 * global `WebSocket`, `TextEncoder` and `crypto.getRandomValues`): the chain client, the
 * metagraph, weights, SS58 and keys, pure synapse definitions, and keyfile bytes in memory.
 * Nothing here imports a Node builtin or the `ws` package (browser.test.ts bundles it to check).
 * Not here: the wallet on disk, the file commit store (`SaltStore`), axon, dendrite, legacy
 * (ansible-vault / Fernet) keyfiles, and the synapse body hash, headers and nonces
 * (synapse/body-hash.ts and nonce.ts import `node:crypto`; headers.ts imports body-hash.ts and
 * decodes base64 with `Buffer`).
 */

// ---- addresses and keys ------------------------------------------------------------------------
export {
  fromHex,
  type HexString,
  isHex,
  SS58_PREFIX,
  type Ss58DecodeResult,
  ss58Decode,
  ss58Encode,
  toHex,
} from '@taoscript/codec';
export {
  type Keypair,
  type KeypairType,
  keypairFromMnemonic,
  keypairFromSeed,
  keypairFromUri,
  type MnemonicLength,
  mnemonicGenerate,
  mnemonicValidate,
} from '@taoscript/crypto';
export { MAX_MEMORY_COMMITS, MemoryCommitStore } from './browser/commit-store.js';
export { type ConnectParameters, connect } from './browser/connect.js';
export { deriveNaclKey } from './browser/kdf.js';
// ---- keyfile bytes in memory -------------------------------------------------------------------
export {
  type DecryptKeyfileOptions,
  decryptKeyfileData,
  decryptNacl,
  encryptKeyfileData,
  encryptNacl,
} from './browser/wallet.js';
// ---- chain client (everything but Node's connect; `connect` above is the browser's) ----------
export * from './client/api.js';
// ---- metagraph, weights ----------------------------------------------------------------------
export * from './metagraph/index.js';
// ---- synapses (definitions, wire JSON, signatures) -------------------------------------------
export * from './synapse/api.js';
export {
  isWalletError,
  WalletError,
  type WalletErrorCode,
  type WalletErrorOptions,
} from './wallet/errors.js';
export {
  type KdfOptions,
  type KdfProgressCallback,
  type KdfProgressEvent,
  NACL_MEMLIMIT_BYTES,
  NACL_OPSLIMIT,
  NACL_SALT,
} from './wallet/kdf-params.js';
export { WalletKey } from './wallet/key.js';
export {
  type DeserializeKeyfileOptions,
  deserializeKeyfileData,
  serializeKeyfileData,
} from './wallet/keyfile-data.js';
export { type KeyfileEncryption, keyfileEncryption } from './wallet/keyfile-encryption.js';
export { SILENT_LOGGER, type WalletLogger } from './wallet/logger.js';
export { NACL_PREFIX } from './wallet/nacl-box.js';
export * from './weights/api.js';
