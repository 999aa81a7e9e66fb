/** Weights, host-free part: float → u16 conversion and commit hashes (both SDK entries). */
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
export type { PendingCommit } from './pending-commit.js';
