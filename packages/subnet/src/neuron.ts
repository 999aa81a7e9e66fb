/**
 * BaseNeuron (sdk.md §6.2): the hotkey, one long-lived chain connection, the metagraph, the
 * registration check, the step loop and a graceful stop. Miners and validators extend it.
 */
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Keypair } from '@taoscript/crypto';
import {
  Axon,
  type AxonOptions,
  connect,
  type ExtrinsicResult,
  Metagraph,
  type ResyncReport,
  type SubtensorClient,
  Wallet,
} from '@taoscript/sdk';
import type { NeuronConfig, NeuronRole } from './config.js';
import { isNeuronError, NeuronError } from './errors.js';
import { type NeuronLogger, SILENT_LOGGER } from './logger.js';
import type { RandomSource } from './scores.js';

/** Options shared by every neuron. */
export interface NeuronOptions {
  /** The wallet holding the hotkey (default: the one `config.wallet` names). */
  wallet?: Wallet;
  /** A hotkey to use instead of reading the wallet (dev keys, tests). */
  hotkey?: Keypair;
  /** A connected client to share; the neuron then leaves it open when it stops. */
  client?: SubtensorClient;
  /** A metagraph to use (it must be of `config.netuid`); default: a lite one over the client. */
  metagraph?: Metagraph;
  logger?: NeuronLogger;
  /** Environment for wallet passwords (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Home directory for `~` (default `os.homedir()`). */
  homeDir?: string;
  /** Where pending weight commits are kept (default `<stateDir>/weight-commits`). */
  commitsDir?: string;
  /** Random source for miner sampling (default `Math.random`). */
  random?: RandomSource;
  /** Deadline for connecting, in ms (default 30 000). */
  connectTimeoutMs?: number;
}

/** Axon options the template sets from the flags, the hotkey and the metagraph, and why. */
const CONFIG_AXON_OPTIONS = {
  keypair: 'the hotkey',
  host: '--axon.ip',
  port: '--axon.port',
  externalIp: '--axon.external_ip',
  externalPort: '--axon.external_port',
  maxConcurrent: '--axon.max_workers',
  neurons: 'the metagraph',
  logger: "the neuron's logger",
  allowUnregistered: '--blacklist.allow_non_registered (or override blacklist())',
  requireValidatorPermit: '--blacklist.force_validator_permit (or override blacklist())',
  minStake: '--blacklist.min_stake (or override blacklist())',
} as const;

/**
 * Axon options a neuron chooses itself through {@link BaseNeuron.axonOptions} (`maxBodyBytes`,
 * `handlerTimeout`, `maxTimeout`, `rateLimit`, `onResponse`, …); the rest come from the flags.
 */
export type NeuronAxonOptions = Omit<AxonOptions, keyof typeof CONFIG_AXON_OPTIONS>;

/** A weights extrinsic the neuron sent: set, commit or reveal. */
export type WeightsEvent =
  | {
      kind: 'set' | 'commit' | 'reveal';
      ok: true;
      block: number;
      uids: number[];
      values: number[];
      result: ExtrinsicResult;
    }
  | {
      kind: 'set' | 'commit' | 'reveal';
      ok: false;
      error: string;
      uids: number[];
      values: number[];
      result: ExtrinsicResult | undefined;
    };

/** What a neuron reports to {@link BaseNeuron.on} listeners. */
export interface NeuronEvents {
  /** A step finished. */
  step: { step: number; block: number };
  /** The metagraph was resynced. */
  resync: ResyncReport;
  weights: WeightsEvent;
  /** A step failed (the loop goes on unless the error is fatal). */
  error: { error: unknown; fatal: boolean };
}

type Listener<K extends keyof NeuronEvents> = (event: NeuronEvents[K]) => void;
type Phase = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Expands a leading `~` like a shell. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

/**
 * The state directory of a neuron: `<logging_dir>/<wallet.name>/<wallet.hotkey>/netuid<N>/<neuron.name>`.
 * @example
 * import { neuronStateDir, parseNeuronConfig } from '@taoscript/subnet';
 * neuronStateDir(parseNeuronConfig([], {}, { role: 'miner' })); // ~/.bittensor/miners/default/default/netuid1/miner
 */
export function neuronStateDir(config: NeuronConfig<unknown>, home: string = homedir()): string {
  return join(
    expandHome(config.logging.loggingDir, home),
    config.wallet.name,
    config.wallet.hotkey,
    `netuid${config.netuid}`,
    config.neuron.name,
  );
}

/**
 * A neuron: `start()` unlocks the hotkey, connects, syncs the metagraph and checks registration,
 * then runs `runStep()` every `neuron.step_interval_ms` until `stop()` (or a fatal error such as
 * deregistration). Subclasses implement `runStep` and may hook `onStart` / `onStop`.
 * @example
 * import { BaseNeuron } from '@taoscript/subnet';
 * class Watcher extends BaseNeuron {
 *   protected async runStep() { await this.sync(); }
 * }
 */
export abstract class BaseNeuron<Extra = unknown> {
  /** The parsed flags (`config.extra` holds the subnet's own). */
  readonly config: NeuronConfig<Extra>;
  readonly logger: NeuronLogger;
  /** This neuron's uid on the subnet (-1 before `start()`). */
  uid = -1;
  /** Steps completed. */
  step = 0;
  /** Random source of miner sampling. */
  protected readonly random: RandomSource;
  protected readonly options: NeuronOptions;
  #keypair: Keypair | undefined;
  #client: SubtensorClient | undefined;
  #metagraph: Metagraph | undefined;
  #ownsClient = false;
  #controller = new AbortController();
  #phase: Phase = 'new';
  #loop: Promise<void> | undefined;
  #stopped: Promise<void> | undefined;
  #fatal: unknown;
  #finished: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void };
  #block = 0;
  #blockAt = Number.NEGATIVE_INFINITY;
  #metagraphSyncedAt = 0;
  #listeners = new Map<keyof NeuronEvents, Set<Listener<keyof NeuronEvents>>>();

  constructor(config: NeuronConfig<Extra>, options: NeuronOptions = {}) {
    if (typeof config !== 'object' || config === null || typeof config.neuron !== 'object')
      throw new TypeError('expected a NeuronConfig (see parseNeuronConfig)');
    if (typeof options !== 'object' || options === null)
      throw new TypeError('options must be an object');
    this.config = config;
    this.options = options;
    this.logger = options.logger ?? SILENT_LOGGER;
    this.random = options.random ?? Math.random;
    if (options.metagraph !== undefined) {
      if (!(options.metagraph instanceof Metagraph))
        throw new TypeError('options.metagraph must be a Metagraph');
      if (options.metagraph.netuid !== config.netuid)
        throw new RangeError(
          `options.metagraph is of netuid ${options.metagraph.netuid}, the config says ${config.netuid}`,
        );
      this.#metagraph = options.metagraph;
    }
    if (options.hotkey !== undefined) {
      if (
        typeof options.hotkey?.sign !== 'function' ||
        !(options.hotkey.publicKey instanceof Uint8Array)
      )
        throw new TypeError('options.hotkey must be a keypair');
      this.#keypair = options.hotkey;
    }
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    this.#finished = { promise, resolve, reject };
  }

  /** `miner` or `validator`. */
  get role(): NeuronRole {
    return this.config.role;
  }

  /** Aborted when the neuron stops: pass it to anything that waits. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#phase === 'running';
  }

  /** The hotkey (unlocked once, at start). */
  get hotkey(): Keypair {
    if (this.#keypair === undefined) throw notStarted('hotkey');
    return this.#keypair;
  }

  /** The hotkey's SS58 address on this chain. */
  get hotkeyAddress(): string {
    const key = this.hotkey;
    return this.#client ? this.#client.address(key.publicKey) : key.address();
  }

  /** The chain client (one connection for the neuron's life). */
  get client(): SubtensorClient {
    if (this.#client === undefined) throw notStarted('client');
    return this.#client;
  }

  /** The subnet's metagraph, resynced incrementally. */
  get metagraph(): Metagraph {
    if (this.#metagraph === undefined) throw notStarted('metagraph');
    return this.#metagraph;
  }

  /** True once a metagraph is set (given in the options, or after `start()`). */
  protected get hasMetagraph(): boolean {
    return this.#metagraph !== undefined;
  }

  /** The last block number read (see {@link currentBlock}). */
  get block(): number {
    return this.#block;
  }

  /** `<logging_dir>/<wallet>/<hotkey>/netuid<N>/<neuron.name>`. */
  get stateDir(): string {
    return neuronStateDir(this.config, this.options.homeDir);
  }

  /**
   * Listens to an event; returns a function that removes the listener.
   * @example
   * neuron.on('weights', (e) => console.log(e.kind, e.ok));
   */
  on<K extends keyof NeuronEvents>(event: K, listener: Listener<K>): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<keyof NeuronEvents>);
    return () => set.delete(listener as Listener<keyof NeuronEvents>);
  }

  /** Reports an event to listeners (a throwing listener is logged, not propagated). */
  protected emit<K extends keyof NeuronEvents>(event: K, payload: NeuronEvents[K]): void {
    for (const l of this.#listeners.get(event) ?? []) {
      try {
        (l as Listener<K>)(payload);
      } catch (err) {
        this.logger.warn({ err, event }, 'event listener threw');
      }
    }
  }

  /**
   * Sets the neuron up and starts its loop; resolves once it runs. Throws `NeuronError`
   * `NOT_REGISTERED` (hotkey not on the subnet), `SUBNET_NOT_FOUND`, `CONFIG_INVALID`, …,
   * after closing whatever it had opened.
   */
  async start(): Promise<this> {
    if (this.#phase !== 'new')
      throw new NeuronError('ALREADY_STARTED', `this ${this.role} was already started`);
    this.#phase = 'starting';
    try {
      await this.#setup();
      this.signal.throwIfAborted();
      await this.onStart();
      this.signal.throwIfAborted();
    } catch (err) {
      this.#phase = 'stopping';
      await this.#teardown();
      this.#phase = 'stopped';
      this.#finished.resolve();
      throw err;
    }
    this.#phase = 'running';
    this.logger.info(
      { uid: this.uid, hotkey: this.hotkeyAddress, netuid: this.config.netuid, block: this.#block },
      `${this.role} running`,
    );
    this.#loop = this.#runLoop();
    void this.#loop.then(() => {
      if (this.#phase === 'running') void this.stop();
    });
    return this;
  }

  async #setup(): Promise<void> {
    const { config, options } = this;
    if (this.#keypair === undefined) {
      const wallet =
        options.wallet ??
        new Wallet({
          name: config.wallet.name,
          hotkey: config.wallet.hotkey,
          path: config.wallet.path,
          ...(options.env !== undefined ? { env: options.env } : {}),
          ...(options.homeDir !== undefined ? { homeDir: options.homeDir } : {}),
        });
      this.#keypair = (await wallet.getHotkey()).keypair;
    }
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    if (options.client !== undefined) this.#client = options.client;
    else {
      this.#client = await connect({
        chainEndpoint: config.subtensor.url,
        env: {},
        commits: options.commitsDir ?? join(this.stateDir, 'weight-commits'),
        signal: this.signal,
        ...(options.connectTimeoutMs !== undefined ? { timeoutMs: options.connectTimeoutMs } : {}),
      });
      this.#ownsClient = true;
    }
    this.#metagraph ??= new Metagraph(this.#client, config.netuid);
    try {
      await this.#metagraph.sync();
    } catch (err) {
      if (err instanceof RangeError && /does not exist/.test(err.message))
        throw new NeuronError('SUBNET_NOT_FOUND', `subnet ${config.netuid} does not exist`, {
          meta: [`Chain: ${config.subtensor.url}`],
          cause: err,
        });
      throw err;
    }
    this.#metagraphSyncedAt = this.#metagraph.block;
    this.#block = this.#metagraph.block;
    this.#blockAt = performance.now();
    const uid = this.#metagraph.uidOf(this.hotkeyAddress);
    if (uid === undefined) throw notRegistered(this, 'NOT_REGISTERED');
    this.uid = uid;
  }

  /** Called once at start, after the registration check (open the axon / dendrite here). */
  protected async onStart(): Promise<void> {}

  /** Called once at stop, before the client closes (close what `onStart` opened). */
  protected async onStop(): Promise<void> {}

  /** One turn of the loop (a miner syncs; a validator queries, scores and syncs). */
  protected abstract runStep(): Promise<void>;

  async #runLoop(): Promise<void> {
    const signal = this.signal;
    while (!signal.aborted) {
      try {
        await this.runStep();
        this.step++;
        this.emit('step', { step: this.step, block: this.#block });
      } catch (err) {
        if (signal.aborted) break;
        const fatal = this.isFatal(err);
        this.emit('error', { error: err, fatal });
        if (fatal) {
          this.#fatal = err;
          this.logger.error({ err }, err instanceof NeuronError ? err.shortMessage : 'fatal error');
          break;
        }
        this.logger.error({ err }, 'step failed');
      }
      try {
        await sleep(this.config.neuron.stepIntervalMs, undefined, { signal });
      } catch {
        break;
      }
    }
  }

  /** Whether an error ends the loop (default: deregistration and other `NeuronError`s). */
  protected isFatal(err: unknown): boolean {
    return isNeuronError(err) && err.code !== 'AXON_SERVE_FAILED';
  }

  /**
   * Stops the loop, waits for the current step, closes the axon / dendrite (`onStop`) and the
   * connection. Idempotent; safe to call while `start()` is still running.
   */
  stop(): Promise<void> {
    if (this.#stopped) return this.#stopped;
    this.#controller.abort(new Error(`${this.role} stopping`));
    if (this.#phase === 'new') {
      this.#phase = 'stopped';
      this.#finished.resolve();
      this.#stopped = Promise.resolve();
      return this.#stopped;
    }
    if (this.#phase === 'starting') {
      // start() sees the abort, tears down and settles `#finished`.
      this.#stopped = this.#finished.promise.catch(() => {});
      return this.#stopped;
    }
    this.#phase = 'stopping';
    this.#stopped = (async () => {
      await this.#loop;
      await this.#teardown();
      this.#phase = 'stopped';
      this.logger.info({ step: this.step }, `${this.role} stopped`);
      if (this.#fatal !== undefined) this.#finished.reject(this.#fatal);
      else this.#finished.resolve();
    })();
    return this.#stopped;
  }

  /** Resolves when the neuron has stopped; rejects with the error that stopped it, if one did. */
  wait(): Promise<void> {
    return this.#finished.promise;
  }

  async #teardown(): Promise<void> {
    try {
      await this.onStop();
    } catch (err) {
      this.logger.warn({ err }, 'onStop failed');
    }
    if (this.#ownsClient) {
      try {
        await this.#client?.close();
      } catch (err) {
        this.logger.warn({ err }, 'closing the chain client failed');
      }
    }
  }

  /** The current block, read at most once per `neuron.block_cache_ms`. */
  async currentBlock(): Promise<number> {
    const now = performance.now();
    if (now - this.#blockAt < this.config.neuron.blockCacheMs) return this.#block;
    this.#block = await this.client.getCurrentBlock();
    this.#blockAt = performance.now();
    return this.#block;
  }

  /**
   * Checks the hotkey is still registered (updating `uid` if it moved); throws `NeuronError`
   * `DEREGISTERED` when it is not.
   */
  async checkRegistered(): Promise<void> {
    const uid = await this.client.getUidForHotkey(this.config.netuid, this.hotkey.publicKey);
    if (uid === undefined) throw notRegistered(this, 'DEREGISTERED');
    if (uid !== this.uid) {
      this.logger.warn({ from: this.uid, to: uid }, 'uid changed');
      this.uid = uid;
    }
  }

  /** True when the metagraph is `neuron.epoch_length` blocks old. */
  async shouldSyncMetagraph(): Promise<boolean> {
    const block = await this.currentBlock();
    return block - this.#metagraphSyncedAt >= this.config.neuron.epochLength;
  }

  /** Brings the metagraph to the current block (incrementally). */
  async resyncMetagraph(): Promise<ResyncReport> {
    const report = await this.metagraph.resync();
    this.#metagraphSyncedAt = report.block;
    this.emit('resync', report);
    this.logger.debug(
      { block: report.block, n: this.metagraph.n, refreshed: report.refreshed },
      'metagraph resynced',
    );
    return report;
  }

  /** Whether to set weights now (never for a miner; see the validator). */
  async shouldSetWeights(): Promise<boolean> {
    return false;
  }

  /** Sets weights on chain (nothing for a miner). */
  async setWeights(): Promise<void> {}

  /** Persists the neuron's state (nothing for a miner). */
  async saveState(): Promise<void> {}

  /** Restores the neuron's state (nothing for a miner). */
  async loadState(): Promise<void> {}

  /**
   * sdk.md §6.2 `sync()`: still registered? → resync the metagraph when due → set weights when
   * due → save state.
   */
  async sync(): Promise<void> {
    await this.checkRegistered();
    if (await this.shouldSyncMetagraph()) await this.resyncMetagraph();
    if (await this.shouldSetWeights()) await this.setWeights();
    await this.saveState();
  }

  /**
   * Options of this neuron's axon beyond what the flags set (read once, when the axon is built):
   * override to cap request bodies, bound handler time, rate-limit callers, watch responses.
   * Options the flags own (`host`, `port`, `maxConcurrent`, the blacklist policy, …) are refused
   * with a `TypeError`.
   * @example
   * protected override axonOptions() {
   *   return { maxBodyBytes: 64 * 1024, handlerTimeout: 5 };
   * }
   */
  protected axonOptions(): NeuronAxonOptions {
    return {};
  }

  /**
   * Builds, starts and publishes (`serve_axon`, skipped when the chain already has it) an axon
   * with the routes `attach` adds: options from the flags, then {@link axonOptions}, then
   * `overrides`.
   */
  protected async startAxon(
    attach: (axon: Axon) => void,
    overrides: Partial<AxonOptions> = {},
  ): Promise<Axon> {
    const own: unknown = this.axonOptions();
    if (typeof own !== 'object' || own === null || Array.isArray(own))
      throw new TypeError('axonOptions() must return an object');
    for (const [key, from] of Object.entries(CONFIG_AXON_OPTIONS))
      if (Object.hasOwn(own, key))
        throw new TypeError(`axonOptions() cannot set ${key}: it comes from ${from}`);
    const { axon: cfg } = this.config;
    const wildcard = cfg.ip === '0.0.0.0' || cfg.ip === '::';
    if (wildcard && cfg.externalIp === undefined)
      throw new NeuronError(
        'CONFIG_INVALID',
        `the axon binds ${cfg.ip}; set --axon.external_ip to the address miners and validators reach`,
      );
    let axon: Axon;
    try {
      axon = new Axon({
        keypair: this.hotkey,
        host: cfg.ip,
        port: cfg.port,
        ...(cfg.externalIp !== undefined ? { externalIp: cfg.externalIp } : {}),
        ...(cfg.externalPort !== undefined ? { externalPort: cfg.externalPort } : {}),
        maxConcurrent: cfg.maxWorkers,
        neurons: this.metagraph,
        logger: {
          debug: (o, m) => this.logger.debug(o, m),
          info: (o, m) => this.logger.debug(o, m),
          warn: (o, m) => this.logger.warn(o, m),
          error: (o, m) => this.logger.error(o, m),
        },
        ...(own as NeuronAxonOptions),
        ...overrides,
      });
    } catch (err) {
      throw new NeuronError('CONFIG_INVALID', `cannot create the axon: ${(err as Error).message}`, {
        cause: err,
      });
    }
    attach(axon);
    await axon.start();
    try {
      const info = axon.info();
      const served = await this.client.serveAxon(
        {
          signer: this.hotkey,
          netuid: this.config.netuid,
          ip: info.ip,
          port: info.port,
          protocol: info.protocol,
          version: info.version,
        },
        { signal: this.signal },
      );
      if ('skipped' in served)
        this.logger.info({ ip: info.ip, port: info.port }, 'axon already on chain');
      else if (served.ok)
        this.logger.info({ ip: info.ip, port: info.port }, 'axon served on chain');
      else if (served.error.code === 'ServingRateLimitExceeded')
        this.logger.warn(
          { ip: info.ip, port: info.port },
          'serve_axon rate limited; keeping the old entry',
        );
      else
        throw new NeuronError(
          'AXON_SERVE_FAILED',
          `serve_axon failed: ${served.error.qualifiedName}`,
          { meta: [`Published address: ${info.ip}:${info.port}`] },
        );
    } catch (err) {
      await axon.stop();
      throw err;
    }
    return axon;
  }
}

function notStarted(what: string): NeuronError {
  return new NeuronError('NOT_STARTED', `the neuron's ${what} is not available before start()`);
}

function notRegistered(
  n: BaseNeuron<unknown>,
  code: 'NOT_REGISTERED' | 'DEREGISTERED',
): NeuronError {
  const { netuid, wallet } = n.config;
  const verb = code === 'NOT_REGISTERED' ? 'is not registered' : 'is no longer registered';
  return new NeuronError(
    code,
    `hotkey ${n.hotkeyAddress} ${verb} on netuid ${netuid}; register with \`tao subnets register\``,
    {
      meta: [
        `Wallet: ${wallet.name}, hotkey: ${wallet.hotkey}`,
        `e.g. tao subnets register --netuid ${netuid} --wallet.name ${wallet.name} --wallet.hotkey ${wallet.hotkey}`,
      ],
    },
  );
}
