/** A small pino-compatible logger interface and a line logger for the bins. */

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What neurons log through (pino's `logger.info(obj, msg)` shape; the axon's logger fits). */
export interface NeuronLogger {
  trace?(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = () => {};
/** A logger that drops everything (the default of every neuron). */
export const SILENT_LOGGER: NeuronLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
};

/** Options of {@link createLineLogger}. */
export interface LineLoggerOptions {
  /** Lowest level written (default `info`). */
  level?: LogLevel;
  /** Where lines go (default: `process.stderr`). */
  write?: (line: string) => void;
  /** Prefix of every line, e.g. the neuron's name. */
  name?: string;
  /** Clock for the timestamp (default `Date.now`). */
  now?: () => number;
}

function fieldText(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'string') return /^[\w.:/@+-]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * A logger writing one human-readable line per record: `time LEVEL name: msg key=value …`.
 * @example
 * import { createLineLogger } from '@taoscript/subnet';
 * const log = createLineLogger({ level: 'debug', name: 'miner' });
 * log.info({ port: 8091 }, 'axon serving');
 */
export function createLineLogger(opts: LineLoggerOptions = {}): NeuronLogger {
  const level = opts.level ?? 'info';
  const min = LOG_LEVELS.indexOf(level);
  if (min < 0) throw new RangeError(`unknown log level ${String(level)}`);
  const write = opts.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const now = opts.now ?? Date.now;
  const prefix = opts.name === undefined ? '' : `${opts.name}: `;
  const at = (lvl: LogLevel) => {
    if (LOG_LEVELS.indexOf(lvl) < min) return noop;
    const tag = lvl.toUpperCase().padEnd(5);
    return (obj: object, msg?: string) => {
      const fields = Object.entries(obj ?? {})
        .map(([k, v]) => `${k}=${fieldText(v)}`)
        .join(' ');
      const time = new Date(now()).toISOString();
      write(`${time} ${tag} ${prefix}${msg ?? ''}${fields ? ` ${fields}` : ''}`);
    };
  };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}
