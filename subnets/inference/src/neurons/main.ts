// The `main` of the inference bins: parse (exit 2 on a bad flag), print --help, run the neuron.
import type { NeuronLogger, NeuronRole, RunNeuronOptions } from '@taoscript/subnet';
import { neuronMain } from '@taoscript/subnet';
import { checkInferenceConfig, INFERENCE_DEFAULTS, INFERENCE_FLAGS } from './config.js';
import { InferenceMiner } from './miner.js';
import { InferenceValidator } from './validator.js';

/** Options of {@link inferenceMain}. */
export interface InferenceMainOptions {
  role: NeuronRole;
  /** Default `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where `--help` goes (default stdout). */
  out?: (text: string) => void;
  /** Where flag errors go (default stderr). */
  err?: (text: string) => void;
  logger?: NeuronLogger;
  run?: RunNeuronOptions;
}

function usage(role: NeuronRole): string {
  return [
    `Usage: node --import tsx subnets/inference/bin/${role}.ts [flags]`,
    '',
    `The inference subnet's ${role}. The defaults below are this subnet's (a flag or a BT_*`,
    'variable wins).',
  ].join('\n');
}

/**
 * Runs an inference miner or validator as a process; resolves with the exit code (0 after a
 * signal, 1 when it cannot start or stops on a fatal error, 2 for bad flags).
 * @example
 * import { inferenceMain } from '@taoscript/subnet-inference';
 * process.exitCode = await inferenceMain({ role: 'miner' });
 */
export async function inferenceMain(opts: InferenceMainOptions): Promise<number> {
  const role = opts?.role;
  if (role !== 'miner' && role !== 'validator')
    throw new TypeError("role must be 'miner' or 'validator'");
  const argv = opts.argv ?? process.argv.slice(2);
  const env = opts.env ?? process.env;
  return neuronMain({
    role,
    flags: INFERENCE_FLAGS,
    defaults: INFERENCE_DEFAULTS[role],
    // The checks across flags (a copier's source) are flag errors too: exit 2.
    check: checkInferenceConfig,
    argv,
    env,
    usage: usage(role),
    create: (config, ctx) =>
      role === 'miner' ? new InferenceMiner(config, ctx) : new InferenceValidator(config, ctx),
    ...(opts.out !== undefined ? { out: opts.out } : {}),
    ...(opts.err !== undefined ? { err: opts.err } : {}),
    ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
    ...(opts.run !== undefined ? { run: opts.run } : {}),
  });
}
