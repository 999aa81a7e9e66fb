/** Running a neuron as a process: signals, exit codes, and a `main` for bins. */
import { BtError } from '@taoscript/codec';
import {
  type FlagSpecs,
  type FlagValues,
  formatNeuronHelp,
  type NeuronConfig,
  type NeuronFlagDefaults,
  type NeuronRole,
  parseNeuronConfig,
} from './config.js';
import { createLineLogger, type NeuronLogger } from './logger.js';
import type { BaseNeuron } from './neuron.js';

/** Options of {@link runNeuron}. */
export interface RunNeuronOptions {
  /** Signals that stop the neuron gracefully (default SIGINT and SIGTERM); a second one exits at once. */
  signals?: readonly NodeJS.Signals[];
  /** Default: the neuron's logger. */
  logger?: NeuronLogger;
  /**
   * Milliseconds after the neuron stopped before the process is forced to exit if something
   * still holds it open (default 10 000; 0 never forces).
   */
  forceExitMs?: number;
}

function describe(err: unknown): { msg: string; meta: string[] } {
  if (err instanceof BtError) return { msg: err.shortMessage, meta: err.metaMessages ?? [] };
  return { msg: err instanceof Error ? err.message : String(err), meta: [] };
}

/**
 * Starts `neuron`, stops it gracefully on SIGINT / SIGTERM, and resolves with the exit code:
 * 0 after a requested stop, 1 when it could not start or stopped on a fatal error (e.g. the
 * hotkey was deregistered). Everything the neuron opened is closed before it resolves.
 * @example
 * import { runNeuron, TemplateMiner, parseNeuronConfig } from '@taoscript/subnet';
 * process.exitCode = await runNeuron(new TemplateMiner(parseNeuronConfig(process.argv.slice(2), process.env, { role: 'miner' })));
 */
export async function runNeuron(neuron: BaseNeuron, opts: RunNeuronOptions = {}): Promise<number> {
  if (typeof neuron?.start !== 'function' || typeof neuron.stop !== 'function')
    throw new TypeError('runNeuron: expected a neuron');
  const logger = opts.logger ?? neuron.logger;
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
  const forceExitMs = opts.forceExitMs ?? 10_000;
  if (!Number.isInteger(forceExitMs) || forceExitMs < 0)
    throw new RangeError('forceExitMs must be a non-negative integer');
  let requested: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested !== undefined) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    requested = signal;
    logger.info({ signal }, 'stopping');
    void neuron.stop();
  };
  for (const s of signals) process.on(s, onSignal);
  let code = 0;
  try {
    await neuron.start();
    await neuron.wait();
  } catch (err) {
    if (requested === undefined) {
      code = 1;
      const { msg, meta } = describe(err);
      logger.error(meta.length > 0 ? { hint: meta.join(' | ') } : {}, msg);
    }
  } finally {
    await neuron.stop();
    for (const s of signals) process.off(s, onSignal);
  }
  if (forceExitMs > 0) {
    const timer = setTimeout(() => {
      logger.warn({}, 'handles still open after stop: forcing exit');
      process.exit(code);
    }, forceExitMs);
    timer.unref();
  }
  return code;
}

/** Options of {@link neuronMain}. */
export interface NeuronMainOptions<F extends FlagSpecs> {
  role: NeuronRole;
  /** Builds the neuron from its parsed config. */
  create: (config: NeuronConfig<FlagValues<F>>, ctx: { logger: NeuronLogger }) => BaseNeuron;
  /** The subnet's own flags. */
  flags?: F;
  /** The subnet's defaults for template flags (parsing and `--help`; a flag or `BT_*` wins). */
  defaults?: NeuronFlagDefaults;
  /** Checks across flags, run after parsing (not for `--help`); a throw is a flag error (exit 2). */
  check?: (config: NeuronConfig<FlagValues<F>>) => void;
  /** Default `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** First line of `--help`. */
  usage?: string;
  /** Where help goes (default stdout) and errors before the logger exists (default stderr). */
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Default: a line logger at the `--logging.*` level. */
  logger?: NeuronLogger;
  run?: RunNeuronOptions;
}

/**
 * A neuron bin's whole `main`: parse flags (printing `--help` or a flag error), build the
 * neuron, run it until a signal; resolves with the exit code (2 for bad flags).
 * @example
 * import { neuronMain, TemplateMiner } from '@taoscript/subnet';
 * process.exitCode = await neuronMain({ role: 'miner', create: (c, o) => new TemplateMiner(c, o) });
 */
export async function neuronMain<const F extends FlagSpecs = Record<string, never>>(
  opts: NeuronMainOptions<F>,
): Promise<number> {
  const out = opts.out ?? ((t: string) => void process.stdout.write(t));
  const err = opts.err ?? ((t: string) => void process.stderr.write(t));
  let config: NeuronConfig<FlagValues<F>>;
  try {
    config = parseNeuronConfig(opts.argv ?? process.argv.slice(2), opts.env ?? process.env, {
      role: opts.role,
      ...(opts.flags !== undefined ? { flags: opts.flags } : {}),
      ...(opts.defaults !== undefined ? { defaults: opts.defaults } : {}),
    });
    if (!config.help) opts.check?.(config);
  } catch (e) {
    const { msg, meta } = describe(e);
    err(`error: ${msg}\n${meta.map((m) => `  ${m}\n`).join('')}`);
    return 2;
  }
  if (config.help) {
    out(formatNeuronHelp(opts.role, opts.flags ?? {}, opts.usage, opts.defaults));
    return 0;
  }
  const logger =
    opts.logger ?? createLineLogger({ level: config.logging.level, name: config.neuron.name });
  let neuron: BaseNeuron;
  try {
    neuron = opts.create(config, { logger });
  } catch (e) {
    const { msg } = describe(e);
    logger.error({}, msg);
    return 1;
  }
  return runNeuron(neuron, { logger, ...opts.run });
}
