/** Where a command writes and reads; the bin passes the process's streams, tests pass buffers. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input, for commands that accept `-` as a file name. */
  stdin?: AsyncIterable<Uint8Array | string>;
  /**
   * Environment (`HOME`, `BT_WALLET_*`, `BT_PW_…`, `BT_SUBTENSOR_*`, `NO_COLOR`); default
   * `process.env`. Tests pass their own so nothing reads or writes the real `~/.bittensor`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** A person is at a terminal, so questions may be asked (default: the process's stdin is a TTY). */
  isTTY?: boolean;
  /** Colour human output (default: the process's stdout is a TTY and `NO_COLOR` is unset). */
  color?: boolean;
  /**
   * Asks one question and resolves the typed answer (`secret`: no echo). Default: a terminal
   * prompt on stderr when `isTTY`; without one, commands that need an answer ask for the flag.
   */
  prompt?: (question: string, opts?: { secret?: boolean }) => Promise<string>;
}

/** A mistake in what the user typed or supplied: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit code for bad input (flags, files, scenario fields). */
export const EXIT_USAGE = 2;
