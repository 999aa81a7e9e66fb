/**
 * BaseMiner (sdk.md §6.3): an axon with one handler per synapse, the blacklist and priority
 * policy, `serve_axon` on chain, and a loop that keeps the metagraph fresh.
 */
import { RAO_PER_TAO } from '@taoscript/codec';
import type {
  AnySynapseDefinition,
  AttachHooks,
  Axon,
  AxonHandler,
  AxonRequestContext,
  BlacklistResult,
  SynapseBase,
} from '@taoscript/sdk';
import type { NeuronConfig } from './config.js';
import { BaseNeuron, type NeuronOptions } from './neuron.js';

/** Rao per TAO, as a float divisor (stakes are compared in TAO, as the flags give them). */
const TAO = Number(RAO_PER_TAO);

interface Route {
  def: AnySynapseDefinition;
  handler: AxonHandler<AnySynapseDefinition>;
  hooks: AttachHooks<AnySynapseDefinition>;
}

/**
 * A miner. Register handlers with {@link BaseMiner.handle} (in the constructor); every route is
 * guarded by {@link BaseMiner.blacklist} and queued by {@link BaseMiner.priority} unless the
 * route brings its own hooks. Override `axonOptions()` to set the axon's limits (body size,
 * handler time, rate limit) or watch its responses.
 * @example
 * import { BaseMiner } from '@taoscript/subnet';
 * class MyMiner extends BaseMiner {
 *   constructor(config, options) {
 *     super(config, options);
 *     this.handle(Dummy, (s) => ({ dummy_output: s.dummy_input * 2 }));
 *   }
 * }
 */
export abstract class BaseMiner<Extra = unknown> extends BaseNeuron<Extra> {
  #routes: Route[] = [];
  #axon: Axon | undefined;

  constructor(config: NeuronConfig<Extra>, options: NeuronOptions = {}) {
    if (config?.role !== 'miner') throw new TypeError("a miner needs a config with role 'miner'");
    super(config, options);
  }

  /** The axon (after `start()`). */
  get axon(): Axon | undefined {
    return this.#axon;
  }

  /**
   * Serves `def` with `handler` (Python's `axon.attach(forward_fn, blacklist_fn, priority_fn)`).
   * Call before the axon starts: in the constructor, or in `onStart` before `super.onStart()`
   * when building the handler needs the hotkey or the metagraph. Axon-wide limits such as
   * `maxBodyBytes` go in {@link BaseNeuron.axonOptions}.
   */
  protected handle<D extends AnySynapseDefinition>(
    def: D,
    handler: AxonHandler<D>,
    hooks: AttachHooks<D> = {},
  ): this {
    if (typeof def?.create !== 'function')
      throw new TypeError('handle: expected a synapse definition');
    if (typeof handler !== 'function') throw new TypeError('handle: handler must be a function');
    if (this.#axon !== undefined) throw new Error('handle: add routes before the axon starts');
    if (this.#routes.some((r) => r.def.name === def.name))
      throw new Error(`handle: ${def.name} already has a handler`);
    this.#routes.push({
      def,
      handler: handler as unknown as AxonHandler<AnySynapseDefinition>,
      hooks: hooks as AttachHooks<AnySynapseDefinition>,
    });
    return this;
  }

  /**
   * Whether to refuse a request, judged on its (unverified) headers: missing hotkey → refused;
   * hotkey not in the metagraph → refused unless `--blacklist.allow_non_registered` (membership
   * is checked before anything indexes by uid, so strangers get 403, never 500); then
   * `--blacklist.force_validator_permit` and `--blacklist.min_stake`.
   */
  blacklist(
    synapse: SynapseBase,
    _ctx?: AxonRequestContext,
  ): BlacklistResult | Promise<BlacklistResult> {
    const hotkey = synapse?.dendrite?.hotkey;
    if (typeof hotkey !== 'string' || hotkey === '') return [true, 'Missing dendrite or hotkey'];
    const neuron = this.metagraph.lookup(hotkey);
    if (neuron === undefined) {
      if (this.config.blacklist.allowNonRegistered) return [false, 'Allowing un-registered hotkey'];
      return [true, 'Unrecognized hotkey'];
    }
    if (this.config.blacklist.forceValidatorPermit && !neuron.validatorPermit)
      return [true, 'Non-validator hotkey'];
    const minStake = this.config.blacklist.minStake;
    if (minStake > 0 && Number(neuron.stake) / TAO < minStake) return [true, 'Stake below minimum'];
    return [false, 'Hotkey recognized!'];
  }

  /** Queue priority of a request: the caller's stake in TAO (0 for unknown hotkeys). */
  priority(synapse: SynapseBase, _ctx?: AxonRequestContext): number | Promise<number> {
    const hotkey = synapse?.dendrite?.hotkey;
    if (typeof hotkey !== 'string') return 0;
    const neuron = this.metagraph.lookup(hotkey);
    return neuron === undefined ? 0 : Number(neuron.stake) / TAO;
  }

  protected override async onStart(): Promise<void> {
    if (this.#routes.length === 0)
      this.logger.warn({}, 'no synapse handlers: the axon answers only pings');
    this.#axon = await this.startAxon(
      (axon) => {
        for (const r of this.#routes)
          axon.attach(r.def, r.handler, {
            blacklist: r.hooks.blacklist ?? ((s, ctx) => this.blacklist(s, ctx)),
            priority: r.hooks.priority ?? ((s, ctx) => this.priority(s, ctx)),
          });
      },
      // The policy lives in `blacklist()`, so subclasses can change it.
      { allowUnregistered: true, requireValidatorPermit: false },
    );
  }

  protected override async onStop(): Promise<void> {
    await this.#axon?.stop();
  }

  /** A miner's step: sync (registration check, metagraph resync when due). */
  protected async runStep(): Promise<void> {
    await this.sync();
  }
}
