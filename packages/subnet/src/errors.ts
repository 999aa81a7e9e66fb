import { BtError } from '@taoscript/codec';

/** Codes carried by {@link NeuronError}. */
export type NeuronErrorCode =
  | 'CONFIG_INVALID'
  | 'NOT_REGISTERED'
  | 'DEREGISTERED'
  | 'SUBNET_NOT_FOUND'
  | 'STATE_CORRUPT'
  | 'NOT_STARTED'
  | 'ALREADY_STARTED'
  | 'AXON_SERVE_FAILED';

/** Options of {@link NeuronError}. */
export interface NeuronErrorOptions {
  details?: string;
  meta?: string[];
  cause?: unknown;
}

/**
 * A neuron could not start or keep running: bad flags, an unregistered hotkey, a corrupt state
 * file. `shortMessage` is meant for the operator; bins print it and exit non-zero.
 * @example
 * import { NeuronError } from '@taoscript/subnet';
 * try { await neuron.start(); } catch (e) {
 *   if (e instanceof NeuronError && e.code === 'NOT_REGISTERED') process.exitCode = 1;
 * }
 */
export class NeuronError extends BtError {
  override name = 'NeuronError' as const;
  declare readonly code: NeuronErrorCode;

  constructor(code: NeuronErrorCode, shortMessage: string, opts: NeuronErrorOptions = {}) {
    super(shortMessage, {
      code,
      ...(opts.meta === undefined ? {} : { meta: opts.meta }),
      ...(opts.details === undefined ? {} : { details: opts.details }),
      ...(opts.cause === undefined ? {} : { cause: opts.cause }),
    });
  }
}

/**
 * True when `e` is a {@link NeuronError} (with `code`, when given).
 * @example
 * import { isNeuronError } from '@taoscript/subnet';
 * isNeuronError(err, 'DEREGISTERED');
 */
export function isNeuronError(e: unknown, code?: NeuronErrorCode): e is NeuronError {
  return e instanceof NeuronError && (code === undefined || e.code === code);
}
