import { randomBytes } from 'node:crypto';

const NS_PER_MS = 1_000_000n;
let last = 0n;

/**
 * Current Unix time in nanoseconds (Python `time.time_ns()`): wall-clock milliseconds with the
 * sub-millisecond part from the monotonic clock.
 * @example
 * import { nowNs } from '@taoscript/sdk';
 * nowNs() > 1_700_000_000_000_000_000n; // true
 */
export function nowNs(): bigint {
  return BigInt(Date.now()) * NS_PER_MS + (process.hrtime.bigint() % NS_PER_MS);
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
