import type { AggregatedTerms, EpochTerms } from './types.js';

/**
 * Mechanisms (sub-subnets): the emission split and the aggregation of the per-mechanism epoch
 * terms into the per-subnet ones, as subtensor 14bc6f9f `subnets/mechanism.rs`
 * (`split_emissions`, `epoch_with_mechanisms`).
 */

const U64_MAX = (1n << 64n) - 1n;
/** Upper bound of the mechanism count (subtensor `MAX_MECHANISM_COUNT_PER_SUBNET`). */
export const MAX_MECHANISM_COUNT = 16;

function assertU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

/**
 * `split_emissions`: each mechanism's share of `total` alpha. Without a split every mechanism gets
 * floor(total / count); with a split s (u16 parts) mechanism k gets floor(total·s_k / 65535),
 * missing parts count 0 and extra parts are dropped. What flooring loses goes to mechanism 0.
 * @example
 * import { splitEmissions } from './mechanisms.js';
 * splitEmissions(10n, 4, null); // [4n, 2n, 2n, 2n]
 */
export function splitEmissions(
  total: bigint,
  count: number,
  split: readonly number[] | null,
): bigint[] {
  assertU64(total, 'splitEmissions total');
  if (typeof count !== 'number' || !Number.isInteger(count)) {
    throw new TypeError(`splitEmissions count: expected an integer, got ${String(count)}`);
  }
  if (count < 0 || count > 255) {
    throw new RangeError(`splitEmissions count: expected 0..255 (u8), got ${count}`);
  }
  if (split !== null) {
    if (!Array.isArray(split)) throw new TypeError('splitEmissions split: expected an array');
    if (split.length > 65536) throw new RangeError('splitEmissions split: too many parts');
    split.forEach((s, k) => {
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 65535) {
        throw new RangeError(`splitEmissions split[${k}]: expected a u16, got ${String(s)}`);
      }
    });
  }
  if (count === 0) return [];
  let result: bigint[] =
    split === null
      ? new Array<bigint>(count).fill(total / BigInt(count))
      : split.map((s) => (total * BigInt(s)) / 65535n);
  if (result.length > count) result = result.slice(0, count);
  while (result.length < count) result.push(0n);
  const given = result.reduce((a, b) => a + b, 0n);
  const remainder = total > given ? total - given : 0n;
  const first = (result[0] as bigint) + remainder;
  result[0] = first > U64_MAX ? U64_MAX : first;
  return result;
}

/** U64F64 raw of share / total (64 fraction bits); mechanism 0 gets 1 and the others 0 when total is 0. */
function mechanismWeight(share: bigint, total: bigint, index: number): bigint {
  if (total === 0n) return index === 0 ? 1n << 64n : 0n;
  return (share << 64n) / total;
}

const U64F64_MAX = (1n << 128n) - 1n;

/** `weighted_acc_u16` / `weighted_acc_alpha`: floor(existing + added·w) in U64F64, saturating. */
function weightedAcc(existing: bigint, added: bigint, w: bigint, max: bigint): bigint {
  // U64F64(added) is added << 64; times w (raw) >> 64 leaves added·w raw.
  const product = added * w > U64F64_MAX ? U64F64_MAX : added * w;
  const acc = (existing << 64n) + product;
  const v = (acc > U64F64_MAX ? U64F64_MAX : acc) >> 64n;
  return v > max ? max : v;
}

const sumSat = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);

/**
 * The per-subnet terms of `epoch_with_mechanisms`: server and validator emission and stake are
 * summed, dividend / stake weight / consensus / validator trust (u16) and emission (rao) are
 * accumulated as floor(acc + value·w_k) with w_k = share_k / total in U64F64, active and the new
 * permits are OR-ed. `perMechanism[k]` is the output of mechanism k's epoch run with `shares[k]`.
 * @example
 * import { aggregateMechanisms } from './mechanisms.js';
 * aggregateMechanisms([termsA, termsB], [600n, 400n], 1000n).emission;
 */
export function aggregateMechanisms(
  perMechanism: readonly EpochTerms[],
  shares: readonly bigint[],
  total: bigint,
): AggregatedTerms {
  assertU64(total, 'aggregateMechanisms total');
  if (!Array.isArray(perMechanism) || !Array.isArray(shares)) {
    throw new TypeError('aggregateMechanisms: perMechanism and shares must be arrays');
  }
  if (perMechanism.length === 0) throw new RangeError('aggregateMechanisms: no mechanisms');
  if (perMechanism.length > MAX_MECHANISM_COUNT) {
    throw new RangeError(`aggregateMechanisms: more than ${MAX_MECHANISM_COUNT} mechanisms`);
  }
  if (shares.length !== perMechanism.length) {
    throw new RangeError(
      `aggregateMechanisms: ${shares.length} shares for ${perMechanism.length} mechanisms`,
    );
  }
  shares.forEach((s, k) => {
    assertU64(s, `aggregateMechanisms shares[${k}]`);
  });
  const n = (perMechanism[0] as EpochTerms).dividendU16.length;
  perMechanism.forEach((t, k) => {
    checkTerms(t, n, k);
  });

  const out: AggregatedTerms = {
    dividendU16: new Array<number>(n).fill(0),
    consensusU16: new Array<number>(n).fill(0),
    validatorTrustU16: new Array<number>(n).fill(0),
    stakeWeightU16: new Array<number>(n).fill(0),
    active: new Array<boolean>(n).fill(false),
    newValidatorPermit: new Array<boolean>(n).fill(false),
    emission: new Array<bigint>(n).fill(0n),
    serverEmission: new Array<bigint>(n).fill(0n),
    validatorEmission: new Array<bigint>(n).fill(0n),
    stake: new Array<bigint>(n).fill(0n),
  };
  const u16 = (acc: number, v: number, w: bigint): number =>
    Number(weightedAcc(BigInt(acc), BigInt(v), w, 65535n));
  perMechanism.forEach((t, k) => {
    const w = mechanismWeight(shares[k] as bigint, total, k);
    for (let i = 0; i < n; i++) {
      out.dividendU16[i] = u16(out.dividendU16[i]!, t.dividendU16[i]!, w);
      out.consensusU16[i] = u16(out.consensusU16[i]!, t.consensusU16[i]!, w);
      out.validatorTrustU16[i] = u16(out.validatorTrustU16[i]!, t.validatorTrustU16[i]!, w);
      out.stakeWeightU16[i] = u16(out.stakeWeightU16[i]!, t.stakeWeightU16[i]!, w);
      out.emission[i] = weightedAcc(out.emission[i]!, t.emission[i]!, w, U64_MAX);
      out.active[i] = out.active[i]! || t.active[i]!;
      out.newValidatorPermit[i] = out.newValidatorPermit[i]! || t.newValidatorPermit[i]!;
      out.serverEmission[i] = sumSat(out.serverEmission[i]!, t.serverEmission[i]!);
      out.validatorEmission[i] = sumSat(out.validatorEmission[i]!, t.validatorEmission[i]!);
      out.stake[i] = sumSat(out.stake[i]!, t.stake[i]!);
    }
  });
  return out;
}

function checkTerms(t: EpochTerms, n: number, k: number): void {
  if (typeof t !== 'object' || t === null) {
    throw new TypeError(`aggregateMechanisms perMechanism[${k}]: expected EpochTerms`);
  }
  const u16Fields = ['dividendU16', 'consensusU16', 'validatorTrustU16', 'stakeWeightU16'] as const;
  const boolFields = ['active', 'newValidatorPermit'] as const;
  const raoFields = ['emission', 'serverEmission', 'validatorEmission', 'stake'] as const;
  for (const f of [...u16Fields, ...boolFields, ...raoFields]) {
    const v = t[f] as unknown;
    if (!Array.isArray(v)) {
      throw new TypeError(`aggregateMechanisms perMechanism[${k}].${f}: expected an array`);
    }
    if (v.length !== n) {
      throw new RangeError(
        `aggregateMechanisms perMechanism[${k}].${f}: length ${v.length}, expected ${n}`,
      );
    }
  }
  for (const f of u16Fields) {
    t[f].forEach((x, i) => {
      if (!Number.isInteger(x) || x < 0 || x > 65535) {
        throw new RangeError(`aggregateMechanisms perMechanism[${k}].${f}[${i}]: not a u16`);
      }
    });
  }
  for (const f of boolFields) {
    t[f].forEach((x, i) => {
      if (typeof x !== 'boolean') {
        throw new TypeError(`aggregateMechanisms perMechanism[${k}].${f}[${i}]: not a boolean`);
      }
    });
  }
  for (const f of raoFields) {
    t[f].forEach((x, i) => {
      assertU64(x, `aggregateMechanisms perMechanism[${k}].${f}[${i}]`);
    });
  }
}
