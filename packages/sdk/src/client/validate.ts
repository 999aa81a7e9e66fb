/** Argument checks and small helpers of the chain client (TypeError / RangeError at the edge). */
import { U64_MAX } from '@taoscript/codec';
import { ClientTimeoutError } from './errors.js';
import type { Signer } from './types.js';

/** Prices are rao per alpha scaled by 1e9. */
export const PRICE_SCALE = 1_000_000_000n;

/** A checked u16 netuid. */
export function netuidOf(x: unknown, what = 'netuid'): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffff)
    throw new RangeError(`${what} must be an integer in 0..65535, got ${String(x)}`);
  return x;
}
/** A checked u16 (RangeError otherwise). */
export function u16Of(x: unknown, what: string): number {
  return netuidOf(x, what);
}
/** A checked u8 (RangeError otherwise). */
export function u8Of(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 255)
    throw new RangeError(`${what} must be an integer in 0..255, got ${String(x)}`);
  return x;
}
/** A checked non-zero u64 amount (TypeError for non-bigints). */
export function amountOf(x: unknown, what = 'amount'): bigint {
  if (typeof x !== 'bigint') throw new TypeError(`${what} must be a bigint (rao)`);
  if (x <= 0n || x > U64_MAX) throw new RangeError(`${what} must be in 1..2^64-1, got ${x}`);
  return x;
}
/** A checked signer: 32-byte public key and a sign function. */
export function signerOf(s: unknown): Signer {
  const x = s as Signer;
  if (
    typeof s !== 'object' ||
    s === null ||
    !(x.publicKey instanceof Uint8Array) ||
    x.publicKey.length !== 32 ||
    typeof x.sign !== 'function'
  )
    throw new TypeError('signer must have a 32-byte publicKey and a sign(message) function');
  return x;
}
/** A checked tolerance in [0, max). */
export function toleranceOf(t: unknown, max: number): number {
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t >= max)
    throw new RangeError(`tolerance must be a number in [0, ${max}), got ${String(t)}`);
  return t;
}
/**
 * A limit price: `price · (1 + tolerance)` for buying (`sign` 1: the price may rise that far) or
 * `price · (1 − tolerance)` for selling (`sign` −1), in integer arithmetic with the tolerance
 * rounded to 1e-9 and the result capped at u64. Tolerance is in [0, 100) up and [0, 1) down.
 * @example
 * import { applyTolerance } from '@taoscript/sdk';
 * applyTolerance(2_000_000_000n, 0.005, 1); // 2_010_000_000n
 */
export function applyTolerance(price: bigint, tolerance: number, sign: 1 | -1): bigint {
  if (typeof price !== 'bigint') throw new TypeError('price must be a bigint');
  if (price < 0n || price > U64_MAX) throw new RangeError(`price must be a u64, got ${price}`);
  if (sign !== 1 && sign !== -1) throw new RangeError('sign must be 1 (buy) or -1 (sell)');
  toleranceOf(tolerance, sign === 1 ? 100 : 1);
  const ppb = BigInt(Math.round(tolerance * 1e9));
  const limit = (price * (PRICE_SCALE + BigInt(sign) * ppb)) / PRICE_SCALE;
  return limit > U64_MAX ? U64_MAX : limit;
}
/** a / b as a number (9 decimals), 0 when b is 0. */
export function ratio(a: bigint, b: bigint): number {
  if (b === 0n) return 0;
  return Number((a * 1_000_000_000n) / b) / 1e9;
}

/** `work`, rejected with ClientTimeoutError after `ms` or with the signal's reason on abort. */
export function deadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  signal?: AbortSignal,
  onAbandon?: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onAbandon?.();
      reject(new ClientTimeoutError(what, ms));
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      onAbandon?.();
      reject(signal?.reason ?? new Error('aborted'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
