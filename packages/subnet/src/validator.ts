/**
 * BaseValidator (sdk.md §6.4): a dendrite, scores as a moving average of rewards, miner
 * sampling, weights on a schedule (plain or commit–reveal), and saved state.
 */
import { join } from 'node:path';
import { SubtensorStorage } from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import {
  type Axon,
  Dendrite,
  type DendriteOptions,
  type ExtrinsicResult,
  type ResyncReport,
  type SynapseBase,
  VERSION_AS_INT,
} from '@taoscript/sdk';
import type { NeuronConfig } from './config.js';
import { NeuronError } from './errors.js';
import { BaseNeuron, type NeuronOptions } from './neuron.js';
import {
  normalizeScores,
  processWeightsForNetuid,
  sampleAvailableUids,
  updateMovingAverage,
} from './scores.js';
import { loadValidatorState, saveValidatorState } from './state.js';

/** Options of a validator. */
export interface ValidatorOptions extends NeuronOptions {
  /** The `version_key` sent with weights (default: the SDK's `VERSION_AS_INT`). */
  specVersion?: number;
}

/**
 * Dendrite options a validator chooses itself through {@link BaseValidator.dendriteOptions}
 * (`maxResponseBytes`, `connectionsPerAxon`, `keepAliveMs`, `dispatcher`); the hotkey and
 * `--axon.external_ip` are set by the template.
 */
export type ValidatorDendriteOptions = Omit<DendriteOptions, 'keypair' | 'externalIp'>;

/** The weights a validator would set now, after normalisation and the chain's limits. */
export interface PreparedWeights {
  uids: number[];
  weights: number[];
}

/**
 * A validator. Implement {@link BaseValidator.forward}: pick miners with `getRandomUids`, query
 * them with `query`, score the answers and call `updateScores`. The loop then syncs and sets
 * weights every `neuron.epoch_length` blocks.
 * @example
 * import { BaseValidator } from '@taoscript/subnet';
 * class MyValidator extends BaseValidator {
 *   async forward() {
 *     const uids = this.getRandomUids(this.config.neuron.sampleSize);
 *     const answers = await this.query(uids, Dummy.create({ dummy_input: this.step }));
 *     this.updateScores(answers.map((a) => (a.dummy_output === 2 * this.step ? 1 : 0)), uids);
 *   }
 * }
 */
export abstract class BaseValidator<Extra = unknown> extends BaseNeuron<Extra> {
  /** Moving-average score of every uid. */
  scores: Float64Array = new Float64Array();
  /** The hotkey each score belongs to (uid order). */
  hotkeys: string[] = [];
  #dendrite: Dendrite | undefined;
  #axon: Axon | undefined;
  #lastWeightsBlock = 0;
  /** The state was loaded (or found absent), so saving cannot overwrite a file we refused. */
  #stateReady = false;
  readonly #versionKey: number;

  constructor(config: NeuronConfig<Extra>, options: ValidatorOptions = {}) {
    if (config?.role !== 'validator')
      throw new TypeError("a validator needs a config with role 'validator'");
    super(config, options);
    const v = options.specVersion ?? VERSION_AS_INT;
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RangeError('specVersion must be a non-negative integer');
    this.#versionKey = v;
  }

  /** The dendrite (after `start()`). */
  get dendrite(): Dendrite {
    if (this.#dendrite === undefined)
      throw new NeuronError(
        'NOT_STARTED',
        "the validator's dendrite is not available before start()",
      );
    return this.#dendrite;
  }

  /** The validator's axon, unless `--neuron.axon_off`. */
  get axon(): Axon | undefined {
    return this.#axon;
  }

  /** `version_key` of the weights this validator sets. */
  get versionKey(): number {
    return this.#versionKey;
  }

  /** `<stateDir>/state.json`. */
  get statePath(): string {
    return join(this.stateDir, 'state.json');
  }

  /** Queries miners, scores them and calls `updateScores` (one of `num_concurrent_forwards`). */
  abstract forward(): Promise<void>;

  /**
   * Options of this validator's dendrite beyond the hotkey and `--axon.external_ip` (read once, at
   * start): override to cap response bodies or size the connection pool. `keypair` and
   * `externalIp` are refused with a `TypeError`.
   * @example
   * protected override dendriteOptions() {
   *   return { maxResponseBytes: 1024 * 1024 };
   * }
   */
  protected dendriteOptions(): ValidatorDendriteOptions {
    return {};
  }

  /** Builds the dendrite from the hotkey, `--axon.external_ip` and {@link dendriteOptions}. */
  #createDendrite(): Dendrite {
    const own: unknown = this.dendriteOptions();
    if (typeof own !== 'object' || own === null || Array.isArray(own))
      throw new TypeError('dendriteOptions() must return an object');
    if (Object.hasOwn(own, 'keypair'))
      throw new TypeError('dendriteOptions() cannot set keypair: it is the hotkey');
    if (Object.hasOwn(own, 'externalIp'))
      throw new TypeError(
        'dendriteOptions() cannot set externalIp: it comes from --axon.external_ip',
      );
    const { externalIp } = this.config.axon;
    try {
      return new Dendrite({
        keypair: this.hotkey,
        ...(externalIp !== undefined ? { externalIp } : {}),
        ...(own as ValidatorDendriteOptions),
      });
    } catch (err) {
      throw new NeuronError(
        'CONFIG_INVALID',
        `cannot create the dendrite: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  protected override async onStart(): Promise<void> {
    this.hotkeys = this.metagraph.hotkeys.slice();
    this.scores = new Float64Array(this.metagraph.n);
    await this.loadState();
    this.#stateReady = true;
    this.#dendrite = this.#createDendrite();
    if (!this.config.neuron.axonOff) this.#axon = await this.startAxon(() => {});
  }

  protected override async onStop(): Promise<void> {
    await Promise.all([this.#axon?.stop(), this.#dendrite?.close()]);
    // Keep the last step's scores (the loop saves only inside sync()).
    if (this.#stateReady) {
      try {
        await this.saveState();
      } catch (err) {
        this.logger.warn({ err }, 'saving the state failed');
      }
    }
  }

  /** A validator's step: `num_concurrent_forwards` forwards, then `sync()`. */
  protected async runStep(): Promise<void> {
    const n = this.config.neuron.numConcurrentForwards;
    await Promise.all(Array.from({ length: n }, () => this.forward()));
    await this.sync();
  }

  /** sdk.md §6.2 sync, plus revealing commits whose reveal epoch has come. */
  override async sync(): Promise<void> {
    await super.sync();
    await this.revealDueWeights();
  }

  /**
   * Up to `k` random uids that serve an axon, are not validators above
   * `--neuron.vpermit_tao_limit` and are not this validator; `exclude` is used only when too few
   * others are available.
   */
  getRandomUids(k: number, exclude: readonly number[] = []): number[] {
    return sampleAvailableUids(this.metagraph, k, {
      vpermitTaoLimit: this.config.neuron.vpermitTaoLimit,
      self: this.uid,
      exclude,
      random: this.random,
    });
  }

  /**
   * Sends `synapse` to the axons of `uids` concurrently with `--neuron.timeout`; answers in uid
   * order (failures carry their status in `dendrite.status_code`).
   */
  query<T extends SynapseBase>(uids: readonly number[], synapse: T): Promise<T[]> {
    const axons = uids.map((uid) => {
      const axon = this.metagraph.axons[uid];
      if (axon === undefined) throw new RangeError(`uid ${uid} is not in the metagraph`);
      return axon;
    });
    return this.dendrite.query(axons, synapse, {
      timeout: this.config.neuron.timeout,
      signal: this.signal,
    });
  }

  /**
   * Folds rewards into the scores: NaN → 0, scattered at `uids`, then
   * `α · new + (1 − α) · old` with α = `--neuron.moving_average_alpha`.
   */
  updateScores(rewards: ArrayLike<number>, uids: ArrayLike<number>): void {
    for (let i = 0; i < rewards.length; i++)
      if (Number.isNaN(rewards[i])) {
        this.logger.warn({ uid: uids[i] }, 'NaN reward replaced by 0');
        break;
      }
    this.scores = updateMovingAverage(
      this.scores,
      rewards,
      uids,
      this.config.neuron.movingAverageAlpha,
    );
  }

  /**
   * Resyncs the metagraph, then zeroes the score of every uid whose hotkey changed
   * (deregistered or replaced) and grows the scores when the subnet grew.
   */
  override async resyncMetagraph(): Promise<ResyncReport> {
    const report = await super.resyncMetagraph();
    this.reconcileHotkeys();
    return report;
  }

  /** Aligns `scores` and `hotkeys` with the metagraph (see {@link resyncMetagraph}). */
  protected reconcileHotkeys(): void {
    const next = this.metagraph.hotkeys;
    const scores = new Float64Array(next.length);
    for (let uid = 0; uid < next.length; uid++) {
      const same = this.hotkeys[uid] === next[uid];
      if (!same && uid < this.hotkeys.length)
        this.logger.info({ uid, hotkey: next[uid] }, 'hotkey replaced; score reset');
      scores[uid] = same ? (this.scores[uid] ?? 0) : 0;
    }
    this.scores = scores;
    this.hotkeys = next.slice();
  }

  /**
   * True from step 1 on (unless `--neuron.disable_set_weights`) once more than
   * `--neuron.epoch_length` blocks passed since this validator's last weights.
   */
  override async shouldSetWeights(): Promise<boolean> {
    if (this.step === 0 || this.config.neuron.disableSetWeights || this.uid < 0) return false;
    const block = await this.currentBlock();
    const onChain = Number(this.metagraph.lastUpdate[this.uid] ?? 0n);
    const last = Math.max(onChain, this.#lastWeightsBlock);
    return block - last > this.config.neuron.epochLength;
  }

  /**
   * The weights `setWeights` would send: L1-normalised scores (an all-zero or NaN sum is left
   * undivided), then Python's `process_weights_for_netuid` with the chain's limits.
   */
  prepareWeights(limits: { minAllowedWeights: number; maxWeightLimit: number }): PreparedWeights {
    if (this.scores.some(Number.isNaN)) this.logger.warn({}, 'scores contain NaN; treated as 0');
    const raw = normalizeScores(this.scores);
    const uids = Array.from(raw, (_, i) => i);
    return processWeightsForNetuid(uids, raw, this.scores.length, limits);
  }

  /**
   * Sets weights from the scores, respecting the subnet's weights rate limit, minimum weight
   * count, max weight and version key; commits them instead (`commit_mechanism_weights`, salt
   * kept in the commit store) when commit–reveal is on.
   */
  override async setWeights(): Promise<void> {
    const { client } = this;
    const netuid = this.config.netuid;
    const head = await client.block('best');
    const at = { at: head.hash };
    // Everything below is read at one block, so the reads go out together.
    const [hp, lastUpdates, commit] = await Promise.all([
      client.getSubnetHyperparameters(netuid, at),
      client.query(SubtensorStorage.LastUpdate, [netuid], at),
      client.commitRevealEnabled(netuid, at),
    ]);
    if (hp === undefined)
      throw new NeuronError('SUBNET_NOT_FOUND', `subnet ${netuid} does not exist`);
    if (BigInt(this.#versionKey) < hp.weights_version) {
      this.logger.error(
        { required: hp.weights_version, ours: this.#versionKey },
        'the subnet requires a newer weights version; upgrade the validator',
      );
      return;
    }
    const lastUpdate = lastUpdates[this.uid];
    if (lastUpdate !== undefined && lastUpdate > 0n) {
      // The extrinsic lands in a later block, so the head's distance is a safe lower bound.
      const since = BigInt(head.number) - lastUpdate;
      if (since < hp.weights_rate_limit) {
        this.logger.debug(
          { since, limit: hp.weights_rate_limit },
          'weights rate limit not passed; waiting',
        );
        return;
      }
    }
    const { uids, weights } = this.prepareWeights({
      minAllowedWeights: hp.min_allowed_weights,
      maxWeightLimit: hp.max_weights_limit,
    });
    if (uids.length === 0) return;
    const kind = commit ? 'commit' : 'set';
    const params = { signer: this.hotkey, netuid, uids, weights, versionKey: this.#versionKey };
    let result: ExtrinsicResult & { uids: number[]; values: number[] };
    try {
      result = commit
        ? await client.commitWeights(params, { signal: this.signal })
        : await client.setWeights(params, { signal: this.signal });
    } catch (err) {
      if (this.signal.aborted) throw err;
      this.emit('weights', {
        kind,
        ok: false,
        error: (err as Error).message,
        uids,
        values: [],
        result: undefined,
      });
      throw err;
    }
    this.#report(kind, result, result.uids, result.values);
  }

  #report(
    kind: 'set' | 'commit' | 'reveal',
    result: ExtrinsicResult,
    uids: number[],
    values: number[],
  ): void {
    if (result.ok) {
      if (kind !== 'reveal') this.#lastWeightsBlock = result.blockNumber;
      this.logger.info({ block: result.blockNumber, uids: uids.length }, `weights ${kind} landed`);
      this.emit('weights', { kind, ok: true, block: result.blockNumber, uids, values, result });
    } else {
      this.logger.warn({ error: result.error.qualifiedName }, `weights ${kind} failed`);
      this.emit('weights', {
        kind,
        ok: false,
        error: result.error.qualifiedName,
        uids,
        values,
        result,
      });
    }
  }

  /**
   * Reveals stored commits whose reveal epoch (`commit epoch + RevealPeriodEpochs`) has come;
   * forgets commits the chain no longer holds or that expired.
   */
  async revealDueWeights(): Promise<void> {
    const { client } = this;
    const netuid = this.config.netuid;
    const store = await client.commitStore();
    const pending = (await store.list(this.hotkey.publicKey)).filter(
      (c) => c.genesisHash === client.genesisHash && c.netuid === netuid && c.mechid === 0,
    );
    if (pending.length === 0) return;
    const at = { at: (await client.block('best')).hash };
    const [onChain, epoch, period] = await Promise.all([
      client.query(SubtensorStorage.WeightCommits, [netuid, this.hotkey.publicKey], at),
      client.query(SubtensorStorage.SubnetEpochIndex, [netuid], at),
      client.query(SubtensorStorage.RevealPeriodEpochs, [netuid], at),
    ]);
    for (const c of pending) {
      if (c.block === 0) continue; // still being submitted
      const entry = (onChain ?? []).find(([hash]) => toHex(hash) === c.commitHash);
      if (entry === undefined || epoch > entry[1] + period) {
        this.logger.warn(
          { commit: c.commitHash, block: c.block },
          'commit gone or expired; dropped',
        );
        await store.remove(c.hotkey, c.genesisHash, c.commitHash);
        continue;
      }
      if (epoch < entry[1] + period) continue;
      const r = await client.revealWeights(
        { signer: this.hotkey, netuid, commitHash: c.commitHash },
        { signal: this.signal },
      );
      this.#report('reveal', r, c.uids, c.values);
    }
  }

  /** Writes step, scores and hotkeys to `state.json`. */
  override async saveState(): Promise<void> {
    await saveValidatorState(this.statePath, {
      step: this.step,
      scores: this.scores,
      hotkeys: this.hotkeys,
    });
  }

  /**
   * Reads `state.json` if there is one (a corrupt file throws `STATE_CORRUPT` and changes
   * nothing), then aligns it with the metagraph when one is loaded.
   */
  override async loadState(): Promise<void> {
    const state = await loadValidatorState(this.statePath);
    if (state === undefined) return;
    this.step = state.step;
    this.scores = state.scores;
    this.hotkeys = state.hotkeys;
    this.logger.info({ step: state.step, uids: state.hotkeys.length }, 'state loaded');
    if (this.hasMetagraph) this.reconcileHotkeys();
  }
}
