/**
 * Checked conversions of flag values: subnet ids, TAO amounts to rao, fractions, addresses,
 * u16 lists. Each refuses a bad value with a {@link UsageError} that names the flag as typed.
 */
import { ss58Decode } from '@taoscript/codec';
import { UsageError } from '../io.js';

/** Rao per TAO (and per alpha). */
export const RAO_PER_TAO = 1_000_000_000n;
/** 2^64 − 1. */
export const U64_MAX = (1n << 64n) - 1n;

const show = (v: string) => (v.length > 40 ? `${v.slice(0, 40)}…` : v);

/** A subnet id: a whole number in 0..65535. */
export function parseNetuid(value: string, flag = '--netuid'): number {
  const v = value.trim();
  if (!/^\d{1,6}$/.test(v) || Number(v) > 0xffff)
    throw new UsageError(
      `${flag} must be a subnet id (a whole number 0..65535), got '${show(value)}'`,
    );
  return Number(v);
}

/** A whole number in `min..max`. */
export function parseUint(value: string, flag: string, max: number, min = 0): number {
  const v = value.trim();
  if (!/^\d{1,16}$/.test(v) || Number(v) > max || Number(v) < min)
    throw new UsageError(`${flag} must be a whole number ${min}..${max}, got '${show(value)}'`);
  return Number(v);
}

/** A whole number in 0..2^64−1 as a bigint. */
export function parseU64(value: string, flag: string): bigint {
  const v = value.trim();
  if (!/^\d{1,20}$/.test(v) || BigInt(v) > U64_MAX)
    throw new UsageError(`${flag} must be a whole number 0..${U64_MAX}, got '${show(value)}'`);
  return BigInt(v);
}

/**
 * A decimal amount of TAO (or alpha) with at most 9 decimals, as rao: `1.5` → 1_500_000_000n.
 * Zero is refused unless `allowZero`.
 */
export function parseTao(value: string, flag = '--amount', allowZero = false): bigint {
  const v = value.trim().replace(/^τ/, '');
  const m = /^(\d{1,11})(?:\.(\d{0,9}))?$/.exec(v) ?? /^()\.(\d{1,9})$/.exec(v);
  if (!m)
    throw new UsageError(
      `${flag} must be an amount like 1 or 0.5 (at most 9 decimals), got '${show(value)}'`,
    );
  const whole = BigInt(m[1] === '' ? '0' : (m[1] as string));
  const frac = BigInt(((m[2] ?? '') as string).padEnd(9, '0'));
  const rao = whole * RAO_PER_TAO + frac;
  if (rao > U64_MAX) throw new UsageError(`${flag} is larger than the chain can hold`);
  if (rao === 0n && !allowZero) throw new UsageError(`${flag} must be more than 0`);
  return rao;
}

/** A finite number in `[min, max]`. */
export function parseFloatIn(value: string, flag: string, min: number, max: number): number {
  const v = value.trim();
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a number in [${min}, ${max}], got '${show(value)}'`);
  return n;
}

/** `true`/`false` (also yes/no, 1/0, on/off). */
export function parseBool(value: string, flag: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  throw new UsageError(`${flag} must be true or false, got '${show(value)}'`);
}

/** An SS58 address → its 32-byte public key. */
export function parseSs58(value: string, flag: string): Uint8Array {
  const r = ss58Decode(value.trim());
  if (!r.valid) throw new UsageError(`${flag} is not an SS58 address: ${r.reason}`);
  if (r.publicKey.length !== 32) throw new UsageError(`${flag} is not a 32-byte account address`);
  return r.publicKey;
}

/** True when `value` decodes as a 32-byte SS58 address. */
export function isSs58(value: string): boolean {
  const r = ss58Decode(value);
  return r.valid && r.publicKey.length === 32;
}

/** List values as u16s (uids, salts). */
export function parseU16List(values: readonly string[], flag: string): number[] {
  if (values.length === 0) throw new UsageError(`${flag} needs at least one value`);
  return values.map((v) => parseUint(v, flag, 0xffff));
}

/** List values as non-negative finite floats (weights). */
export function parseWeightList(values: readonly string[], flag: string): number[] {
  if (values.length === 0) throw new UsageError(`${flag} needs at least one value`);
  return values.map((v) => parseFloatIn(v, flag, 0, Number.MAX_VALUE));
}

/** List values as distinct subnet ids, ascending. */
export function parseNetuidList(values: readonly string[], flag: string): number[] {
  if (values.length === 0) throw new UsageError(`${flag} needs at least one subnet id`);
  return [...new Set(values.map((v) => parseNetuid(v, flag)))].sort((a, b) => a - b);
}
