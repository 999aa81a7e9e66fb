/**
 * `sudo set --param NAME --value VALUE`: the names and setters are the SDK's
 * ({@link HYPERPARAMETERS}: AdminUtils call, value field and type, owner or root); this module
 * only reads the flag text into the SDK's typed value, with usage errors naming the flag.
 * It imports the SDK, so `sudo.ts` loads it only when a value is set.
 */
import {
  findHyperparameter,
  HYPERPARAMETERS,
  type Hyperparameter,
  type HyperparameterType,
  type HyperparameterValue,
  hyperparameterArgs,
} from '@taoscript/sdk';
import { isSs58, parseBool, parseSs58, parseU64, parseUint } from '../framework/values.js';
import { UsageError } from '../io.js';

/** How a hyperparameter's value is typed. */
export type ParamType = HyperparameterType;
/** One settable hyperparameter. */
export type Hyperparam = Hyperparameter;

/** Every `--param` name. */
export const HYPERPARAMS: Readonly<Record<string, Hyperparam>> = HYPERPARAMETERS;

/** The hyperparameter named `name` (kebab-case accepted); a usage error for unknown names. */
export function findHyperparam(name: string): { name: string; param: Hyperparam } {
  try {
    return findHyperparameter(name);
  } catch (err) {
    if (err instanceof RangeError || err instanceof TypeError)
      throw new UsageError(`--param: ${err.message}`);
    throw err;
  }
}

/** `1.5` → U64F64 raw bits (value × 2^64), exactly. */
export function decimalToU64F64(value: string, flag: string): bigint {
  const m = /^(\d{1,19})(?:\.(\d{1,30}))?$/.exec(value.trim());
  if (!m)
    throw new UsageError(
      `${flag} must be a non-negative decimal number, got '${value.slice(0, 40)}'`,
    );
  const whole = BigInt(m[1] as string);
  const fracDigits = m[2] ?? '';
  const frac =
    fracDigits === '' ? 0n : (BigInt(fracDigits) << 64n) / 10n ** BigInt(fracDigits.length);
  const raw = (whole << 64n) + frac;
  if (raw >= 1n << 128n) throw new UsageError(`${flag} is too large`);
  return raw;
}

/** The `--value` text as the SDK's typed value for `p` (usage errors name the flag). */
export function parseHyperparamValue(
  p: Hyperparam,
  value: string,
  flag = '--value',
): HyperparameterValue {
  switch (p.type) {
    case 'u8':
      return parseUint(value, flag, 0xff);
    case 'u16':
      return parseUint(value, flag, 0xffff);
    case 'u64':
      return parseU64(value, flag);
    case 'bool':
      return parseBool(value, flag);
    case 'i16': {
      const v = value.trim();
      if (!/^-?\d{1,5}$/.test(v) || Number(v) < -32_768 || Number(v) > 32_767)
        throw new UsageError(
          `${flag} must be a whole number -32768..32767, got '${value.slice(0, 40)}'`,
        );
      return Number(v);
    }
    case 'account':
      if (!isSs58(value.trim())) throw new UsageError(`${flag} must be an SS58 address`);
      return parseSs58(value, flag);
    case 'u64f64':
      return decimalToU64F64(value, flag);
    case 'recycle-or-burn': {
      const v = value.trim().toLowerCase();
      if (v !== 'burn' && v !== 'recycle')
        throw new UsageError(`${flag} must be burn or recycle, got '${value.slice(0, 40)}'`);
      return v === 'burn' ? 'Burn' : 'Recycle';
    }
    case 'alpha-values': {
      const parts = value.split(/[\s,]+/).filter((x) => x !== '');
      if (parts.length !== 2) throw new UsageError(`${flag} must be two values: LOW,HIGH`);
      return {
        low: parseUint(parts[0] as string, flag, 0xffff),
        high: parseUint(parts[1] as string, flag, 0xffff),
      };
    }
  }
}

/** The call arguments for `value` (besides `netuid`), as the SDK builds them. */
export function hyperparamArgs(
  p: Hyperparam,
  value: string,
  flag = '--value',
): Record<string, unknown> {
  return hyperparameterArgs(p, parseHyperparamValue(p, value, flag));
}
