// The inference validator: the template's BaseValidator with a forward() that sends every sampled
// miner its own fresh texts, checks the answers by re-running the model on a sample, and folds the
// rewards into the scores the template turns into weights.
import { randomBytes } from 'node:crypto';
import {
  BaseValidator,
  type ValidatorDendriteOptions,
  type ValidatorOptions,
} from '@taoscript/subnet';
import { Analyze, type AnalyzeSynapse, MAX_RESPONSE_BYTES } from '../protocol.js';
import { createRng, type RngSeed } from '../rng.js';
import { type MinerScore, responseFromSynapse, scoreStep } from '../scoring.js';
import { generateStep } from '../tasks.js';
import { checkInferenceConfig, type InferenceConfig } from './config.js';

/** Options of an {@link InferenceValidator}. */
export interface InferenceValidatorOptions extends ValidatorOptions {
  /**
   * The secret every task and verification sample derives from (default: 32 random bytes per
   * process, so a restart never repeats texts). Keep it private.
   */
  seed?: RngSeed;
}

/** What one forward did. */
export interface InferenceStepReport {
  /** Forwards run by this validator so far, this one included. */
  round: number;
  /** The block the validator last read. */
  block: number;
  /** Each queried miner's score, in query order. */
  scores: MinerScore[];
  /** Milliseconds from sending the tasks to having scored them. */
  elapsedMs: number;
}

const fmt = (x: number) => (x === 0 ? '0' : x.toFixed(3));

/**
 * A validator of the inference subnet. Each forward: sample up to `--neuron.sample_size` miners,
 * give each its own `--inference.texts_per_miner` fresh texts (`generateStep`, from the secret
 * seed and the round), query them concurrently with `--neuron.timeout`, score the answers with
 * `scoreStep` (re-running the model on `--inference.verify_sample` texts per miner), and fold the
 * rewards into the scores; the template sets weights from them every `--neuron.epoch_length`
 * blocks. Responses are capped at {@link MAX_RESPONSE_BYTES}.
 * @example
 * import { InferenceValidator, parseInferenceConfig } from '@taoscript/subnet-inference';
 * import { runNeuron } from '@taoscript/subnet';
 * const config = parseInferenceConfig('validator', ['--netuid', '1'], process.env);
 * process.exitCode = await runNeuron(new InferenceValidator(config));
 */
export class InferenceValidator extends BaseValidator<InferenceConfig['extra']> {
  /** The last forward's report (undefined before the first). */
  lastReport: InferenceStepReport | undefined;
  readonly #seed: RngSeed;
  #round = 0;

  constructor(config: InferenceConfig, options: InferenceValidatorOptions = {}) {
    if (config?.role !== 'validator')
      throw new TypeError("a validator needs a config with role 'validator'");
    checkInferenceConfig(config);
    const seed = options?.seed;
    if (seed !== undefined && typeof seed !== 'string' && !(seed instanceof Uint8Array))
      throw new TypeError('options.seed must be a string or a Uint8Array');
    super(config, options);
    this.#seed = seed ?? new Uint8Array(randomBytes(32));
  }

  /** Miners are queried through a dendrite that accepts at most {@link MAX_RESPONSE_BYTES}. */
  protected override dendriteOptions(): ValidatorDendriteOptions {
    return { maxResponseBytes: MAX_RESPONSE_BYTES };
  }

  /** One round: sample miners, send each its own texts, verify, score, update. */
  async forward(): Promise<void> {
    const uids = this.getRandomUids(this.config.neuron.sampleSize);
    if (uids.length === 0) {
      this.logger.info({ block: this.block }, 'no miners serving yet');
      return;
    }
    const round = ++this.#round;
    const { extra, neuron } = this.config;
    const tasks = generateStep({
      seed: this.#seed,
      step: round,
      uids,
      textsPerMiner: extra['inference.texts_per_miner'],
    });
    const started = performance.now();
    // Each miner gets its own texts: one template query per task (timeout and signal included).
    const answers = await Promise.all(
      tasks.map(async (task) => {
        const [answer] = await this.query(
          [task.uid],
          Analyze.create({ texts: task.texts, tasks: task.tasks }),
        );
        return answer as AnalyzeSynapse;
      }),
    );
    const scores = scoreStep(
      tasks.map((task, i) => ({
        task,
        response: responseFromSynapse(answers[i] as AnalyzeSynapse),
      })),
      {
        rng: createRng(this.#seed, 'verify', round),
        timeout: neuron.timeout,
        sampleSize: extra['inference.verify_sample'],
      },
    );
    this.updateScores(
      scores.map((s) => s.reward),
      uids,
    );
    const elapsedMs = Math.round(performance.now() - started);
    this.lastReport = { round, block: this.block, scores, elapsedMs };
    const statuses = answers.map((a) => a.dendrite.status_code);
    this.logger.info(
      {
        round,
        block: this.block,
        ms: elapsedMs,
        rewards: scores
          .map((s, i) => {
            const tag = s.flags.length > 0 ? `[${s.flags.join(',')}]` : '';
            const status = statuses[i] === 200 ? '' : `(${statuses[i] ?? 'none'})`;
            return `${s.uid}:${fmt(s.reward)}${status}${tag}`;
          })
          .join(' '),
      },
      'step scored',
    );
  }
}
