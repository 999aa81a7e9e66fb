export { type LmdbStoreOptions, openLmdbStore } from './lmdb-store.js';
export { openMemoryStore } from './memory-store.js';
export type { BlockCommit, ChainStore, StateReader, StoredBlock, StoreErrorCode } from './types.js';
export { StoreError } from './types.js';
export { MAX_HASH_BYTES, MAX_STATE_KEY_BYTES, MAX_VALUE_BYTES } from './validate.js';
