// The inference miner: the template's BaseMiner serving `Analyze` with one of the behaviours.
import {
  type AxonRequestContext,
  type AxonResponseEvent,
  type AxonTarget,
  type BlacklistResult,
  Dendrite,
  type SynapseBase,
} from '@taoscript/sdk';
import { BaseMiner, type NeuronAxonOptions, type NeuronOptions } from '@taoscript/subnet';
import {
  type AnalyzeHandler,
  type BehaviourName,
  copier,
  garbage,
  honest,
  lazy,
  slow,
} from '../behaviours.js';
import { Analyze, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from '../protocol.js';
import {
  behaviourOf,
  checkInferenceConfig,
  type InferenceConfig,
  parseCopierSource,
} from './config.js';

/** Options of an {@link InferenceMiner}. */
export interface InferenceMinerOptions extends NeuronOptions {
  /** Serve this handler instead of the one `--behaviour` names. */
  handler?: AnalyzeHandler;
}

/** Requests the miner's axon answered, by HTTP status. */
export type ResponseCounts = Record<number, number>;

/**
 * A miner of the inference subnet: an axon serving {@link Analyze} with the handler of
 * `--behaviour` (honest, slow, lazy, garbage, copier), request bodies capped at
 * {@link MAX_REQUEST_BYTES}, and the template's blacklist (membership first, then
 * `--blacklist.force_validator_permit`, on by default: only validators are served, so a copier
 * cannot relay its tasks to an honest miner) and stake priority.
 * @example
 * import { InferenceMiner, parseInferenceConfig } from '@taoscript/subnet-inference';
 * import { runNeuron } from '@taoscript/subnet';
 * const config = parseInferenceConfig('miner', ['--behaviour', 'honest'], process.env);
 * process.exitCode = await runNeuron(new InferenceMiner(config));
 */
export class InferenceMiner extends BaseMiner<InferenceConfig['extra']> {
  /** Requests answered so far, by status (200 served, 403 blacklisted, ...). */
  readonly responses: ResponseCounts = {};
  readonly #custom: AnalyzeHandler | undefined;
  #relay: Dendrite | undefined;

  constructor(config: InferenceConfig, options: InferenceMinerOptions = {}) {
    if (config?.role !== 'miner') throw new TypeError("a miner needs a config with role 'miner'");
    checkInferenceConfig(config);
    if (options?.handler !== undefined && typeof options.handler !== 'function')
      throw new TypeError('options.handler must be a function');
    super(config, options);
    this.#custom = options.handler;
  }

  /** The behaviour this miner runs (`--behaviour`). */
  get behaviour(): BehaviourName {
    return behaviourOf(this.config);
  }

  /** The handler of `--behaviour`, built once the hotkey and metagraph are available. */
  protected buildHandler(): AnalyzeHandler {
    const { extra } = this.config;
    switch (this.behaviour) {
      case 'honest':
        return honest();
      case 'slow':
        return slow({ delayMs: extra['slow.delay_ms'] });
      case 'lazy':
        return lazy();
      case 'garbage':
        return garbage({ seed: `garbage:${this.hotkeyAddress}` });
      case 'copier': {
        const source = parseCopierSource(extra['copier.source'] as string);
        this.#relay = new Dendrite({
          keypair: this.hotkey,
          maxResponseBytes: MAX_RESPONSE_BYTES,
          ...(this.config.axon.externalIp !== undefined
            ? { externalIp: this.config.axon.externalIp }
            : {}),
        });
        return copier({
          dendrite: this.#relay,
          source: (): AxonTarget | undefined => {
            const mg = this.metagraph;
            const uid = 'uid' in source ? source.uid : mg.uidOf(source.hotkey);
            if (uid === undefined || uid === this.uid) return undefined;
            const axon = mg.axons[uid];
            return axon?.isServing
              ? { ip: axon.ip, port: axon.port, hotkey: axon.hotkey }
              : undefined;
          },
        });
      }
    }
  }

  /**
   * The template's blacklist, then one rule of this subnet: a caller that serves an axon is a
   * miner, and miners are not served. Validators here run without an axon (`--neuron.axon_off`
   * is their default), while a relay must serve one to receive its tasks, so it cannot also call
   * other miners from the same hotkey. In a small subnet every uid holds a validator permit, so
   * the permit alone does not tell miners from validators.
   */
  override async blacklist(
    synapse: SynapseBase,
    ctx?: AxonRequestContext,
  ): Promise<BlacklistResult> {
    const base = await super.blacklist(synapse, ctx);
    if (base[0]) return base;
    const uid = this.metagraph.uidOf(synapse.dendrite.hotkey ?? '');
    if (uid !== undefined && this.metagraph.axons[uid]?.isServing === true)
      return [true, 'Caller serves an axon (miners are not served)'];
    return base;
  }

  /** Request bodies capped at {@link MAX_REQUEST_BYTES}; every answer counted in `responses`. */
  protected override axonOptions(): NeuronAxonOptions {
    return { maxBodyBytes: MAX_REQUEST_BYTES, onResponse: (e) => this.#count(e) };
  }

  // The handler needs the hotkey and the metagraph, so the route is added once they exist; the
  // template then serves it with its blacklist and priority.
  protected override async onStart(): Promise<void> {
    this.handle(Analyze, this.#custom ?? this.buildHandler());
    await super.onStart();
    this.logger.info(
      { behaviour: this.#custom ? 'custom' : this.behaviour, port: this.axon?.port },
      'serving Analyze',
    );
  }

  #count(e: AxonResponseEvent): void {
    this.responses[e.status] = (this.responses[e.status] ?? 0) + 1;
    this.logger.debug(
      { status: e.status, hotkey: e.hotkey, elapsed: e.elapsed, message: e.message },
      'answered',
    );
  }

  protected override async onStop(): Promise<void> {
    await Promise.all([super.onStop(), this.#relay?.close()]);
  }
}
