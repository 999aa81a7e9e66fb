/** Weights: float → u16 conversion, commit hashes, and the on-disk store of pending commits. */
export * from './api.js';
export {
  CommitStoreError,
  defaultCommitDir,
  MAX_COMMIT_FILE_BYTES,
  SaltStore,
} from './salt-store.js';
