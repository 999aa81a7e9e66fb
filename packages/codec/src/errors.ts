/** Options accepted by {@link BtError}. */
export type BtErrorOptions = {
  code: string;
  details?: string;
  meta?: string[];
  cause?: unknown;
};

/** JSON shape produced by {@link BtError.toJSON}. */
export type BtErrorJson = {
  name: string;
  code: string;
  message: string;
  details: string | undefined;
  meta: string[] | undefined;
};

/**
 * The repository's single base error class: a literal `name`, a string `code`, a one-line
 * `shortMessage`, optional `details` and `metaMessages`, and an optional `cause`.
 * @example
 * import { BtError } from '@taoscript/codec';
 * throw new BtError('Keyfile is locked', { code: 'KEYFILE_LOCKED', meta: ['Unlock it first.'] });
 */
export class BtError extends Error {
  override name = 'BtError';
  readonly code: string;
  readonly shortMessage: string;
  declare readonly details?: string;
  declare readonly metaMessages?: string[];

  constructor(shortMessage: string, opts: BtErrorOptions) {
    const lines = [shortMessage];
    if (opts.meta !== undefined && opts.meta.length > 0) lines.push('', ...opts.meta);
    if (opts.details !== undefined) lines.push('', `Details: ${opts.details}`);
    super(lines.join('\n'), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code;
    this.shortMessage = shortMessage;
    if (opts.details !== undefined) this.details = opts.details;
    if (opts.meta !== undefined) this.metaMessages = [...opts.meta];
  }

  /** Serializes the error to a plain JSON-safe object. */
  toJSON(): BtErrorJson {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      details: this.details,
      meta: this.metaMessages,
    };
  }
}

/**
 * Formats a bigint for an error message, summarising values wider than 256 bits.
 * @example
 * import { formatBigint } from '@taoscript/codec';
 * formatBigint(1n << 1000n); // '<1004-bit bigint>'
 */
export function formatBigint(x: bigint): string {
  const abs = x < 0n ? -x : x;
  if (abs < 1n << 256n) return x.toString();
  return `${x < 0n ? '-' : ''}<${abs.toString(16).length * 4}-bit bigint>`;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x instanceof Uint8Array) return `Uint8Array(${x.length})`;
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'bigint') return `bigint ${formatBigint(x)}`;
  if (typeof x === 'number') return `number ${x}`;
  if (typeof x === 'string') return `string of length ${x.length}`;
  return typeof x;
}

/**
 * Asserts `x` is a Uint8Array (of exactly `length` bytes when given).
 * Throws TypeError for a wrong type, RangeError for a wrong length.
 * @example
 * import { assertBytes } from '@taoscript/codec';
 * assertBytes(new Uint8Array(32), 32, 'publicKey');
 */
export function assertBytes(
  x: unknown,
  length: number | undefined,
  what: string,
): asserts x is Uint8Array {
  if (!(x instanceof Uint8Array)) {
    throw new TypeError(`${what}: expected Uint8Array, got ${describe(x)}`);
  }
  if (length !== undefined && x.length !== length) {
    throw new RangeError(`${what}: expected ${length} bytes, got ${x.length}`);
  }
}

function assertUintNumber(
  x: unknown,
  max: number,
  bits: number,
  what: string,
): asserts x is number {
  if (typeof x !== 'number') {
    throw new TypeError(`${what}: expected u${bits} number, got ${describe(x)}`);
  }
  if (!Number.isInteger(x) || x < 0 || x > max) {
    throw new RangeError(`${what}: expected an integer in [0, ${max}], got ${x}`);
  }
}

function assertUintBigint(x: unknown, bits: number, what: string): asserts x is bigint {
  if (typeof x !== 'bigint') {
    throw new TypeError(`${what}: expected u${bits} bigint, got ${describe(x)}`);
  }
  if (x < 0n || x >> BigInt(bits) !== 0n) {
    throw new RangeError(
      `${what}: expected a bigint in [0, 2^${bits} - 1], got ${formatBigint(x)}`,
    );
  }
}

/**
 * Asserts `x` is an integer number in [0, 255] (TypeError if not a number, RangeError otherwise).
 * @example
 * import { assertU8 } from '@taoscript/codec';
 * assertU8(7, 'version');
 */
export function assertU8(x: unknown, what: string): asserts x is number {
  assertUintNumber(x, 0xff, 8, what);
}

/**
 * Asserts `x` is an integer number in [0, 65535] (TypeError if not a number, RangeError otherwise).
 * @example
 * import { assertU16 } from '@taoscript/codec';
 * assertU16(1, 'netuid');
 */
export function assertU16(x: unknown, what: string): asserts x is number {
  assertUintNumber(x, 0xffff, 16, what);
}

/**
 * Asserts `x` is an integer number in [0, 2^32 - 1] (TypeError if not a number, RangeError otherwise).
 * @example
 * import { assertU32 } from '@taoscript/codec';
 * assertU32(100, 'blockNumber');
 */
export function assertU32(x: unknown, what: string): asserts x is number {
  assertUintNumber(x, 0xffff_ffff, 32, what);
}

/**
 * Asserts `x` is a bigint in [0, 2^64 - 1] (TypeError if not a bigint, RangeError otherwise).
 * @example
 * import { assertU64 } from '@taoscript/codec';
 * assertU64(1_000_000_000n, 'amount');
 */
export function assertU64(x: unknown, what: string): asserts x is bigint {
  assertUintBigint(x, 64, what);
}

/**
 * Asserts `x` is a bigint in [0, 2^128 - 1] (TypeError if not a bigint, RangeError otherwise).
 * @example
 * import { assertU128 } from '@taoscript/codec';
 * assertU128(1n << 100n, 'ip');
 */
export function assertU128(x: unknown, what: string): asserts x is bigint {
  assertUintBigint(x, 128, what);
}
