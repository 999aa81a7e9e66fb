/** Yuma Consensus epoch (subtensor 14bc6f9f), bit-exact: the engine, mechanisms and scenarios. */
export * as epochMath from './math.js';
export { aggregateMechanisms, MAX_MECHANISM_COUNT, splitEmissions } from './mechanisms.js';
export { epochMechanismReference } from './reference.js';
export {
  MAX_SCENARIO_CELLS,
  MAX_STEPS,
  ScenarioError,
  type ScenarioOptions,
  type ScenarioOutput,
  type ScenarioStepOutput,
  scenarioOutputToJson,
  simulateScenario,
} from './scenario.js';
export type {
  AggregatedTerms,
  EpochInput,
  EpochParams,
  EpochTerms,
  SparseRowU16,
} from './types.js';
export { MAX_UIDS } from './validate.js';
export { epochMechanism } from './yuma.js';
