// The inference neurons' flags: the subnet's own (`--behaviour`, `--slow.delay_ms`,
// `--copier.source`, `--inference.*`) on top of the template's, and the template defaults this
// subnet changes for a local chain (fast loops, a 5 s timeout, miners that serve validators only).
import { ss58Decode } from '@taoscript/codec';
import {
  type FlagValues,
  type NeuronConfig,
  NeuronError,
  type NeuronFlagDefaults,
  type NeuronRole,
  parseNeuronConfig,
} from '@taoscript/subnet';
import { BEHAVIOURS, type BehaviourName } from '../behaviours.js';
import { MAX_TEXTS } from '../protocol.js';
import { DEFAULT_SAMPLE_SIZE } from '../scoring.js';
import { DEFAULT_TEXTS_PER_MINER } from '../tasks.js';

const MINER = ['miner'] as const;
const VALIDATOR = ['validator'] as const;

/** Default `--slow.delay_ms`: what the slow behaviour adds to every answer. */
export const DEFAULT_SLOW_DELAY_MS = 1500;

/** The inference subnet's own flags (miner: behaviour; validator: task size and verification). */
export const INFERENCE_FLAGS = {
  behaviour: {
    type: 'string',
    default: 'honest',
    choices: BEHAVIOURS,
    roles: MINER,
    help: `How the miner answers: ${BEHAVIOURS.join(' | ')}`,
  },
  'slow.delay_ms': {
    type: 'int',
    default: DEFAULT_SLOW_DELAY_MS,
    min: 0,
    max: 60_000,
    roles: MINER,
    help: 'Milliseconds the slow behaviour waits before answering',
  },
  'copier.source': {
    type: 'string',
    roles: MINER,
    help: 'The miner a copier relays to: a uid or an SS58 hotkey (required with --behaviour copier)',
  },
  'inference.texts_per_miner': {
    type: 'int',
    default: DEFAULT_TEXTS_PER_MINER,
    min: 1,
    max: MAX_TEXTS,
    roles: VALIDATOR,
    help: 'Fresh texts sent to each miner per step',
  },
  'inference.verify_sample': {
    type: 'int',
    default: DEFAULT_SAMPLE_SIZE,
    min: 1,
    max: MAX_TEXTS,
    roles: VALIDATOR,
    help: 'Texts per miner the validator re-runs to check the answers',
  },
} as const;

/** Parsed values of {@link INFERENCE_FLAGS}. */
export type InferenceFlagValues = FlagValues<typeof INFERENCE_FLAGS>;

/** A parsed inference neuron config. */
export type InferenceConfig = NeuronConfig<InferenceFlagValues>;

/**
 * Template flags whose default this subnet changes (the command line and the `BT_*` environment
 * still win; `--help` shows these). Loops are fast for a local chain (steps every 2 s, the block
 * re-read every second, the metagraph resynced and weights set every 20 blocks); miners serve
 * only callers with a validator permit; validators wait 5 s for a miner, serve no axon (they
 * answer no synapse, so other validators must not sample them) and query permitted uids whatever
 * their stake (a miner's earnings are staked to its hotkey and can give it a permit; the template
 * would stop querying it once it held 4096).
 */
export const INFERENCE_DEFAULTS: Readonly<Record<NeuronRole, NeuronFlagDefaults>> = {
  miner: {
    'blacklist.force_validator_permit': true,
    'neuron.step_interval_ms': 2000,
    'neuron.block_cache_ms': 1000,
    'neuron.epoch_length': 20,
  },
  validator: {
    'neuron.timeout': 5,
    'neuron.step_interval_ms': 2000,
    'neuron.block_cache_ms': 1000,
    'neuron.epoch_length': 20,
    'neuron.axon_off': true,
    'neuron.vpermit_tao_limit': 21_000_000,
  },
};

/** Where a copier relays: a uid or a hotkey (SS58). */
export type CopierSource = { uid: number } | { hotkey: string };

/**
 * Reads `--copier.source`: a decimal uid (0..65535) or an SS58 address; throws `NeuronError`
 * `CONFIG_INVALID` otherwise.
 * @example
 * import { parseCopierSource } from '@taoscript/subnet-inference';
 * parseCopierSource('3'); // { uid: 3 }
 */
export function parseCopierSource(value: string): CopierSource {
  if (typeof value !== 'string') throw new TypeError('copier source must be a string');
  if (/^\d{1,5}$/.test(value)) {
    const uid = Number(value);
    if (uid <= 0xffff) return { uid };
  }
  if (ss58Decode(value).valid) return { hotkey: value };
  throw new NeuronError(
    'CONFIG_INVALID',
    `--copier.source: expected a uid (0..65535) or an SS58 hotkey, got ${JSON.stringify(value)}`,
    { meta: ['Run with --help to list the flags.'] },
  );
}

/**
 * Parses an inference neuron's flags: the template's and {@link INFERENCE_FLAGS}, with
 * {@link INFERENCE_DEFAULTS} as the template's `defaults` (under flags and `BT_*`). Checks what one flag cannot check alone
 * (`--behaviour copier` needs a valid `--copier.source`). Throws `NeuronError` `CONFIG_INVALID`.
 * @example
 * import { parseInferenceConfig } from '@taoscript/subnet-inference';
 * const config = parseInferenceConfig('miner', ['--behaviour', 'slow', '--slow.delay_ms', '800'], {});
 * config.extra.behaviour; // 'slow'
 * config.blacklist.forceValidatorPermit; // true
 */
export function parseInferenceConfig(
  role: NeuronRole,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): InferenceConfig {
  if (role !== 'miner' && role !== 'validator')
    throw new TypeError("role must be 'miner' or 'validator'");
  if (typeof env !== 'object' || env === null) throw new TypeError('env must be an object');
  const config = parseNeuronConfig(argv, env, {
    role,
    flags: INFERENCE_FLAGS,
    defaults: INFERENCE_DEFAULTS[role],
  });
  checkInferenceConfig(config);
  return config;
}

/**
 * The cross-flag checks of {@link parseInferenceConfig} (for configs built another way); throws
 * `NeuronError` `CONFIG_INVALID`.
 * @example
 * import { checkInferenceConfig, parseInferenceConfig } from '@taoscript/subnet-inference';
 * checkInferenceConfig(parseInferenceConfig('miner', [], {})); // passes
 */
export function checkInferenceConfig(config: InferenceConfig): void {
  if (config.role !== 'miner') return;
  const behaviour = config.extra.behaviour;
  if (!(BEHAVIOURS as readonly string[]).includes(behaviour))
    throw new NeuronError('CONFIG_INVALID', `unknown behaviour ${JSON.stringify(behaviour)}`);
  const source = config.extra['copier.source'];
  if (behaviour === 'copier') {
    if (source === undefined)
      throw new NeuronError('CONFIG_INVALID', '--behaviour copier needs --copier.source', {
        meta: ['Give the uid or SS58 hotkey of the miner to copy.'],
      });
    parseCopierSource(source);
  }
}

/**
 * The behaviour a miner config asks for.
 * @example
 * import { behaviourOf, parseInferenceConfig } from '@taoscript/subnet-inference';
 * behaviourOf(parseInferenceConfig('miner', ['--behaviour', 'lazy'], {})); // 'lazy'
 */
export function behaviourOf(config: InferenceConfig): BehaviourName {
  return config.extra.behaviour as BehaviourName;
}
