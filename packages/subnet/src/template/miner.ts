/** The template miner: answers `Dummy` with twice its input. */
import type { Synapse } from '@taoscript/sdk';
import type { NeuronConfig } from '../config.js';
import { BaseMiner } from '../miner.js';
import type { NeuronOptions } from '../neuron.js';
import { Dummy } from './protocol.js';

/**
 * The template miner (sdk.md §6.1): `dummy_output = 2 · dummy_input`.
 * @example
 * import { parseNeuronConfig, runNeuron, TemplateMiner } from '@taoscript/subnet';
 * const config = parseNeuronConfig(process.argv.slice(2), process.env, { role: 'miner' });
 * process.exitCode = await runNeuron(new TemplateMiner(config));
 */
export class TemplateMiner extends BaseMiner {
  constructor(config: NeuronConfig<unknown>, options: NeuronOptions = {}) {
    super(config, options);
    this.handle(Dummy, (synapse) => this.forward(synapse));
  }

  /** Doubles the input. */
  forward(synapse: Synapse<typeof Dummy>): { dummy_output: number } {
    return { dummy_output: synapse.dummy_input * 2 };
  }
}
