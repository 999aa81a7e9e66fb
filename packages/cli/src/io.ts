/** Where a command writes and reads; the bin passes the process's streams, tests pass buffers. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input, for commands that accept `-` as a file name. */
  stdin?: AsyncIterable<Uint8Array | string>;
}

/** A mistake in what the user typed or supplied: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit code for bad input (flags, files, scenario fields). */
export const EXIT_USAGE = 2;
