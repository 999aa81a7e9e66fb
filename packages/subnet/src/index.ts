/**
 * The subnet template: flags, BaseNeuron / BaseMiner / BaseValidator, the scoring and weight
 * helpers, and the template's Dummy protocol with its miner and validator.
 */

export {
  type FlagSpec,
  type FlagSpecs,
  type FlagType,
  type FlagValue,
  type FlagValues,
  formatNeuronHelp,
  NEURON_FLAGS,
  type NeuronConfig,
  type NeuronFlagDefaults,
  type NeuronRole,
  type ParseNeuronConfigOptions,
  parseNeuronConfig,
} from './config.js';
export {
  isNeuronError,
  NeuronError,
  type NeuronErrorCode,
  type NeuronErrorOptions,
} from './errors.js';
export {
  createLineLogger,
  type LineLoggerOptions,
  LOG_LEVELS,
  type LogLevel,
  type NeuronLogger,
  SILENT_LOGGER,
} from './logger.js';
export { BaseMiner } from './miner.js';
export {
  BaseNeuron,
  expandHome,
  type NeuronAxonOptions,
  type NeuronEvents,
  type NeuronOptions,
  neuronStateDir,
  type WeightsEvent,
} from './neuron.js';
export {
  type NeuronMainOptions,
  neuronMain,
  type RunNeuronOptions,
  runNeuron,
} from './run.js';
export {
  normalizeMaxWeight,
  normalizeScores,
  processWeightsForNetuid,
  type RandomSource,
  type SampleUidsOptions,
  sampleAvailableUids,
  seededRandom,
  type UidCandidates,
  updateMovingAverage,
  type WeightLimits,
} from './scores.js';
export {
  loadValidatorState,
  MAX_STATE_FILE_BYTES,
  saveValidatorState,
  type ValidatorState,
} from './state.js';
export { TemplateMiner } from './template/miner.js';
export { Dummy } from './template/protocol.js';
export { dummyReward, TemplateValidator } from './template/validator.js';
export {
  BaseValidator,
  type PreparedWeights,
  type ValidatorDendriteOptions,
  type ValidatorOptions,
} from './validator.js';
