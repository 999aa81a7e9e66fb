/** The template validator: queries miners with `Dummy(step)` and rewards correct doubles. */
import { BaseValidator } from '../validator.js';
import { Dummy } from './protocol.js';

/**
 * The template's reward: 1 when the miner answered `2 · query`, else 0.
 * @example
 * import { dummyReward } from '@taoscript/subnet';
 * dummyReward(3, 6); // 1
 */
export function dummyReward(query: number, response: number | null | undefined): number {
  return response === query * 2 ? 1 : 0;
}

/**
 * The template validator (sdk.md §6.4): each forward samples `--neuron.sample_size` miners,
 * sends `Dummy(dummy_input = step)`, and scores the answers with {@link dummyReward}.
 * @example
 * import { parseNeuronConfig, runNeuron, TemplateValidator } from '@taoscript/subnet';
 * const config = parseNeuronConfig(process.argv.slice(2), process.env, { role: 'validator' });
 * process.exitCode = await runNeuron(new TemplateValidator(config));
 */
export class TemplateValidator extends BaseValidator {
  /** One round: sample, query, reward, update scores. */
  async forward(): Promise<void> {
    const uids = this.getRandomUids(this.config.neuron.sampleSize);
    if (uids.length === 0) {
      this.logger.debug({}, 'no miners to query');
      return;
    }
    const query = this.step;
    const answers = await this.query(uids, Dummy.create({ dummy_input: query }));
    const rewards = answers.map((a) => dummyReward(query, Dummy.deserialize(a)));
    this.logger.debug({ uids, rewards }, 'scored miners');
    this.updateScores(rewards, uids);
  }
}
