/** The part of a pino-compatible logger the wallet uses (structured fields first, then a message). */
export interface WalletLogger {
  warn(obj: Record<string, unknown>, msg?: string): void;
  debug?(obj: Record<string, unknown>, msg?: string): void;
}

/** A logger that drops everything (the default: libraries never write to the console). */
export const SILENT_LOGGER: WalletLogger = { warn() {} };
