import { randomBytes } from 'node:crypto';

let last = 0n;
// Wall-clock milliseconds at `performance.now()` 0 (to ±0.5 ms; `performance.timeOrigin` can be
// tens of milliseconds off). Readings are then consistent within the process: two differ by the
// real time between them (a wall-clock millisecond plus a sub-millisecond part from another clock
// can be off by up to 1 ms either way).
let originMs = Number.NaN;

/**
 * Current Unix time in nanoseconds (Python `time.time_ns()`), microsecond resolution; follows the
 * wall clock when it is stepped.
 * @example
 * import { nowNs } from '@taoscript/sdk';
 * nowNs() > 1_700_000_000_000_000_000n; // true
 */
export function nowNs(): bigint {
  const t = performance.now();
  let wallMs = originMs + t;
  // Date.now() is the same instant floored to the millisecond; further apart, the clock moved.
  const drift = wallMs - Date.now();
  if (!(drift >= -1 && drift <= 2)) {
    originMs = Date.now() + 0.5 - t;
    wallMs = originMs + t;
  }
  return BigInt(Math.floor(wallMs * 1000)) * 1000n;
}

/**
 * A request nonce: the current time in nanoseconds, strictly greater than every nonce this
 * process handed out before (so concurrent calls never repeat one).
 * @example
 * import { nextNonce } from '@taoscript/sdk';
 * nextNonce() < nextNonce(); // true
 */
export function nextNonce(): bigint {
  const now = nowNs();
  last = now > last ? now : last + 1n;
  return last;
}

// 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch.
const GREGORIAN_OFFSET = 0x01b21dd213814000n;
let uuidClockSeq = randomBytes(2).readUInt16BE(0) & 0x3fff;
let uuidLast = 0n;

/**
 * A version-1 (time-based) UUID string like Python's `uuid.uuid1()`, with a random node id
 * (multicast bit set, as RFC 4122 asks when no MAC address is used).
 * @example
 * import { uuid1 } from '@taoscript/sdk';
 * uuid1(); // e.g. '6f1c2a3e-c8b1-11f0-9d2e-0242ac120002'
 */
export function uuid1(): string {
  let ts = nowNs() / 100n + GREGORIAN_OFFSET;
  if (ts <= uuidLast) {
    ts = uuidLast + 1n;
    uuidClockSeq = (uuidClockSeq + 1) & 0x3fff;
  }
  uuidLast = ts;
  const timeLow = ts & 0xffffffffn;
  const timeMid = (ts >> 32n) & 0xffffn;
  const timeHi = ((ts >> 48n) & 0x0fffn) | 0x1000n;
  const node = randomBytes(6);
  node[0] = node[0]! | 0x01;
  const seq = (uuidClockSeq & 0x3fff) | 0x8000;
  const hex = (v: bigint | number, w: number) => v.toString(16).padStart(w, '0');
  return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHi, 4)}-${hex(seq, 4)}-${node.toString('hex')}`;
}
