/** Weights: float → u16 conversion, commit hashes, and the on-disk store of pending commits. */
export {
  accountBytes,
  type CommitHashParameters,
  commitHash,
  commitHashPreimage,
  DEFAULT_SALT_LENGTH,
  GLOBAL_MAX_SUBNET_COUNT,
  MAX_COMMIT_VECTOR_LENGTH,
  MAX_MECHID,
  randomSalt,
  storageIndex,
  versionKeyOf,
} from './commit-hash.js';
export {
  type ConvertWeightsOptions,
  type ConvertWeightsReturnType,
  convertMaybeSplitToU16,
  convertWeightsAndUidsForEmit,
  MAX_WEIGHTS_LENGTH,
  roundHalfEven,
  U16_MAX,
  type WeightsDtype,
} from './convert.js';
export {
  CommitStoreError,
  defaultCommitDir,
  MAX_COMMIT_FILE_BYTES,
  type PendingCommit,
  SaltStore,
} from './salt-store.js';
