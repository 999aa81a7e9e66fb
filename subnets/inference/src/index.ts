/** The inference subnet: miners serve a real NLP model, validators verify and score them. */

export {
  type AnalyzeHandler,
  BEHAVIOURS,
  type BehaviourContext,
  type BehaviourName,
  type CopierOptions,
  copier,
  type GarbageOptions,
  garbage,
  honest,
  lazy,
  type Relay,
  type SlowOptions,
  slow,
} from './behaviours.js';
export {
  analyze,
  type InferenceModel,
  loadModel,
  loadSentimentModel,
  MODEL_ID,
  roundSentiment,
  WINK_MODEL_VERSION,
  WINK_NLP_VERSION,
} from './model.js';
export {
  behaviourOf,
  type CopierSource,
  checkInferenceConfig,
  DEFAULT_SLOW_DELAY_MS,
  INFERENCE_DEFAULTS,
  INFERENCE_FLAGS,
  type InferenceConfig,
  type InferenceFlagValues,
  parseCopierSource,
  parseInferenceConfig,
} from './neurons/config.js';
export { type InferenceMainOptions, inferenceMain } from './neurons/main.js';
export {
  InferenceMiner,
  type InferenceMinerOptions,
  type ResponseCounts,
} from './neurons/miner.js';
export {
  type InferenceStepReport,
  InferenceValidator,
  type InferenceValidatorOptions,
} from './neurons/validator.js';
export {
  Analyze,
  type AnalyzeRequest,
  AnalyzeRequestSchema,
  type AnalyzeResponse,
  AnalyzeResponseSchema,
  type AnalyzeResult,
  AnalyzeResultSchema,
  type AnalyzeSynapse,
  type Entity,
  EntitySchema,
  MAX_ENTITIES,
  MAX_ENTITY_TYPE_CHARS,
  MAX_MODEL_CHARS,
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  MAX_TEXT_CHARS,
  MAX_TEXTS,
  MAX_TOTAL_CHARS,
  POS_TAGS,
  parseAnalyzeRequest,
  parseAnalyzeResponse,
  SENTIMENT_DECIMALS,
  TASKS,
  type Task,
} from './protocol.js';
export { createRng, type Rng, type RngSeed } from './rng.js';
export {
  belongsTo,
  DEFAULT_CAUGHT_FACTOR,
  DEFAULT_SAMPLE_SIZE,
  type MinerResponse,
  type MinerScore,
  responseFromSynapse,
  type ScoreEntry,
  type ScoreFlag,
  type ScoreOptions,
  SENTIMENT_TOLERANCE,
  SPEED_WEIGHT,
  scoreStep,
  speedOf,
  textCorrectness,
} from './scoring.js';
export {
  composeText,
  DEFAULT_TEXTS_PER_MINER,
  type GenerateStepParameters,
  generateStep,
  generateTexts,
  type MinerTask,
} from './tasks.js';
