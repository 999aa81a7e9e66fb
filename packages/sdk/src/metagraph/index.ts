/** The metagraph: a subnet's neurons, stakes, axons and weight/bond matrices, kept in sync. */
export {
  type AxonEndpoint,
  Metagraph,
  type MetagraphOptions,
  type MetagraphSource,
  type ResyncReport,
  type SyncOptions,
  syncMetagraph,
} from './metagraph.js';
