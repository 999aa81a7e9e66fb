import type { EpochInput, EpochParams } from './types.js';

/**
 * Input checks for the epoch entry points: TypeError for a wrong type, RangeError for a wrong
 * length or a value out of range. Messages name the field path.
 */

/** Largest subnet size: uids are u16 and n is SubnetworkN (u16). */
export const MAX_UIDS = 65535;
const U64_MAX = (1n << 64n) - 1n;

function fail(kind: 'type' | 'range', where: string, what: string): never {
  const msg = `${where}: ${what}`;
  throw kind === 'type' ? new TypeError(msg) : new RangeError(msg);
}

function u64(v: unknown, where: string): void {
  if (typeof v !== 'bigint') fail('type', where, `expected a u64 bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) fail('range', where, `${v} is outside u64`);
}

function int(v: unknown, min: number, max: number, where: string): void {
  if (typeof v !== 'number') fail('type', where, `expected an integer, got ${typeof v}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    fail('range', where, `expected an integer in ${min}..${max}, got ${v}`);
  }
}

function bool(v: unknown, where: string): void {
  if (typeof v !== 'boolean') fail('type', where, `expected a boolean, got ${typeof v}`);
}

function list(v: unknown, n: number, where: string): unknown[] {
  if (!Array.isArray(v)) fail('type', where, 'expected an array');
  if (v.length !== n) fail('range', where, `expected length ${n}, got ${v.length}`);
  return v;
}

function sparse(v: unknown, n: number, where: string, seen: Int32Array): void {
  const rows = list(v, n, where);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!Array.isArray(row))
      fail('type', `${where}[${i}]`, 'expected an array of [uid, u16] pairs');
    const stamp = i + 1;
    for (let k = 0; k < row.length; k++) {
      const pair = row[k] as unknown;
      // The happy path builds no strings; the slow path below names the exact problem.
      if (Array.isArray(pair) && pair.length === 2) {
        const j = pair[0] as unknown;
        const u = pair[1] as unknown;
        if (
          typeof j === 'number' &&
          typeof u === 'number' &&
          Number.isInteger(j) &&
          j >= 0 &&
          j < n &&
          Number.isInteger(u) &&
          u >= 0 &&
          u <= 65535 &&
          seen[j] !== stamp
        ) {
          seen[j] = stamp;
          continue;
        }
      }
      badEntry(pair, n, `${where}[${i}][${k}]`, seen, stamp);
    }
  }
}

function badEntry(pair: unknown, n: number, at: string, seen: Int32Array, stamp: number): never {
  if (!Array.isArray(pair) || pair.length !== 2) fail('type', at, 'expected a [uid, u16] pair');
  const j = pair[0] as unknown;
  if (typeof j !== 'number') fail('type', `${at}[0]`, `expected a uid, got ${typeof j}`);
  if (!Number.isInteger(j) || j < 0 || j >= n) {
    fail('range', `${at}[0]`, `uid ${j} is not below n (${n})`);
  }
  int(pair[1], 0, 65535, `${at}[1]`);
  if (seen[j] === stamp) fail('range', `${at}[0]`, `uid ${j} appears twice in the row`);
  fail('range', at, 'invalid entry');
}

function params(p: unknown, n: number, where: string): asserts p is EpochParams {
  if (typeof p !== 'object' || p === null) fail('type', where, 'expected an object');
  const q = p as Record<string, unknown>;
  int(q.kappaU16, 0, 65535, `${where}.kappaU16`);
  u64(q.bondsMovingAverage, `${where}.bondsMovingAverage`);
  int(q.bondsPenaltyU16, 0, 65535, `${where}.bondsPenaltyU16`);
  u64(q.activityCutoffBlocks, `${where}.activityCutoffBlocks`);
  bool(q.yuma3Enabled, `${where}.yuma3Enabled`);
  bool(q.liquidAlphaEnabled, `${where}.liquidAlphaEnabled`);
  const av = list(q.alphaValuesU16, 2, `${where}.alphaValuesU16`);
  int(av[0], 0, 65535, `${where}.alphaValuesU16[0]`);
  int(av[1], 0, 65535, `${where}.alphaValuesU16[1]`);
  int(q.alphaSigmoidSteepness, -32768, 32767, `${where}.alphaSigmoidSteepness`);
  bool(q.commitRevealEnabled, `${where}.commitRevealEnabled`);
  u64(q.stakeThreshold, `${where}.stakeThreshold`);
  u64(q.taoWeight, `${where}.taoWeight`);
  if (q.subnetOwnerUid !== null) int(q.subnetOwnerUid, 0, n - 1, `${where}.subnetOwnerUid`);
  u64(q.lastMechanismStepBlock, `${where}.lastMechanismStepBlock`);
  int(q.tempo, 0, 65535, `${where}.tempo`);
  int(q.maxAllowedValidators, 0, 65535, `${where}.maxAllowedValidators`);
}

/**
 * Throws unless `input` is a well-formed EpochInput: every per-uid array has length n, uids are
 * below n and unique within a row, u16/i16/u64 values are in range.
 */
export function assertEpochInput(input: unknown, fn: string): asserts input is EpochInput {
  const where = `${fn} input`;
  if (typeof input !== 'object' || input === null) fail('type', where, 'expected an object');
  const q = input as Record<string, unknown>;
  int(q.n, 0, MAX_UIDS, `${where}.n`);
  const n = q.n as number;
  u64(q.currentBlock, `${where}.currentBlock`);
  u64(q.raoEmission, `${where}.raoEmission`);
  for (const f of ['alphaStake', 'taoStake', 'blockAtRegistration', 'lastUpdate'] as const) {
    const v = list(q[f], n, `${where}.${f}`);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (typeof x !== 'bigint' || x < 0n || x > U64_MAX) u64(x, `${where}.${f}[${i}]`);
    }
  }
  const vp = list(q.validatorPermits, n, `${where}.validatorPermits`);
  for (let i = 0; i < n; i++) {
    if (typeof vp[i] !== 'boolean') bool(vp[i], `${where}.validatorPermits[${i}]`);
  }
  params(q.params, n, `${where}.params`);
  const seen = new Int32Array(n);
  sparse(q.weights, n, `${where}.weights`, seen);
  seen.fill(0);
  sparse(q.bonds, n, `${where}.bonds`, seen);
  if (!Array.isArray(q.commitBlocks)) fail('type', `${where}.commitBlocks`, 'expected an array');
  // Only read with commit-reveal on; an empty list is accepted otherwise.
  if (q.params.commitRevealEnabled || q.commitBlocks.length !== 0) {
    const cb = list(q.commitBlocks, n, `${where}.commitBlocks`);
    for (let i = 0; i < n; i++) {
      const x = cb[i];
      if (x !== null && (typeof x !== 'bigint' || x < 0n || x > U64_MAX)) {
        u64(x, `${where}.commitBlocks[${i}]`);
      }
    }
  }
}
