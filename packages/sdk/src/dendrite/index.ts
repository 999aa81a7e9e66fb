export {
  type AxonTarget,
  Dendrite,
  type DendriteOptions,
  type DendriteStreamEvent,
  type PreparedRequest,
  type PrepareRequestParameters,
  prepareRequest,
  type QueryOptions,
  type QueryParameters,
  type QueryReturnType,
} from './dendrite.js';
export {
  failedVerification,
  isBlacklisted,
  isFailure,
  isSuccess,
  isTimeout,
} from './status.js';
