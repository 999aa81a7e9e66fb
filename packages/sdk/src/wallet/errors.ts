import { BtError } from '@taoscript/codec';

/** Codes carried by {@link WalletError}. */
export type WalletErrorCode =
  | 'KEYFILE_NOT_FOUND'
  | 'KEYFILE_NOT_READABLE'
  | 'KEYFILE_NOT_REGULAR'
  | 'KEYFILE_TOO_LARGE'
  | 'KEYFILE_CORRUPT'
  | 'KEYFILE_UNSUPPORTED'
  | 'KEYFILE_DECRYPT_FAILED'
  | 'KEYFILE_EXISTS'
  | 'KEYFILE_WRITE_FAILED'
  | 'KEY_PUBLIC_ONLY'
  | 'PASSWORD_REQUIRED'
  | 'PASSWORD_ENV_INVALID'
  | 'PASSWORD_FILE_INVALID'
  | 'PASSWORD_TOO_WEAK'
  | 'PASSWORD_MISMATCH'
  | 'PASSWORD_PROMPT_CANCELLED'
  | 'KDF_FAILED'
  | 'ABORTED';

/** Options accepted by {@link WalletError}. */
export interface WalletErrorOptions {
  path?: string;
  details?: string;
  meta?: string[];
  cause?: unknown;
}

/**
 * Error raised by wallet and keyfile operations; `code` says what went wrong, `path` which file.
 * @example
 * import { WalletError } from '@taoscript/sdk';
 * try { await wallet.getColdkey(); } catch (e) {
 *   if (e instanceof WalletError && e.code === 'KEYFILE_DECRYPT_FAILED') console.error('wrong password');
 * }
 */
export class WalletError extends BtError {
  override name = 'WalletError' as const;
  declare readonly code: WalletErrorCode;
  declare readonly path?: string;

  constructor(code: WalletErrorCode, shortMessage: string, opts: WalletErrorOptions = {}) {
    const meta = opts.path === undefined ? opts.meta : [`File: ${opts.path}`, ...(opts.meta ?? [])];
    super(shortMessage, {
      code,
      ...(meta === undefined ? {} : { meta }),
      ...(opts.details === undefined ? {} : { details: opts.details }),
      ...(opts.cause === undefined ? {} : { cause: opts.cause }),
    });
    if (opts.path !== undefined) this.path = opts.path;
  }
}

/**
 * True when `e` is a {@link WalletError} (optionally with the given code).
 * @example
 * import { isWalletError } from '@taoscript/sdk';
 * if (isWalletError(err, 'PASSWORD_REQUIRED')) console.error(err.shortMessage);
 */
export function isWalletError(e: unknown, code?: WalletErrorCode): e is WalletError {
  return e instanceof WalletError && (code === undefined || e.code === code);
}
