import {
  div,
  type Fixed,
  fixedAlphaFromBondsMovingAverage,
  fixedProportionToU16,
  isTopkNonzero,
  isZero,
  maskVector,
  normalize,
  normalize64,
  normalizeUsingSum,
  U16_MAX_FIXED,
} from './math.js';
import type { EpochInput, EpochTerms, SparseRowU16 } from './types.js';

/**
 * The O(n) stages of `epoch_mechanism` shared by the exact reference and the fast engine: stake
 * (§1.1), activity and permits (§2, §3 P), active stake (§3 A), the emission split (§3 E) and the
 * u16 outputs. All bigint.
 */

export const U64_MAX = (1n << 64n) - 1n;
const I64F64_MAX = (1n << 127n) - 1n;
const I32F32_MAX = (1n << 63n) - 1n;

const sat64 = (v: bigint): bigint => (v > I64F64_MAX ? I64F64_MAX : v);

/** Per-uid stake terms: raw I64F64 totals, the normalised I32F32 stake S and `terms.stake`. */
export interface StakeWeights {
  /** alpha + tao·tao_weight, I64F64 raw bits, before the threshold filter. */
  total: bigint[];
  /** S: thresholded, normalised (I64F64), truncated to I32F32 raw bits. */
  stake: Fixed[];
  /** floor(total) as u64 (upstream `terms.stake`). */
  rawStake: bigint[];
}

/** TaoWeight / u64::MAX as U96F32 raw bits, widened to I64F64 raw bits. */
export function taoWeightI64F64(taoWeight: bigint): bigint {
  return ((taoWeight << 32n) / U64_MAX) << 32n;
}

/** Spec §1.1: `get_stake_weights_for_network`, the threshold filter (owner exempt), normalise. */
export function stakeWeights(input: EpochInput): StakeWeights {
  const p = input.params;
  const tw = taoWeightI64F64(p.taoWeight);
  const total = input.alphaStake.map((alpha, i) => {
    const a = sat64(alpha << 64n);
    const t = sat64((sat64((input.taoStake[i] as bigint) << 64n) * tw) >> 64n);
    return sat64(a + t);
  });
  const filtered = total.map((s, uid) =>
    p.subnetOwnerUid !== uid && s >> 64n < p.stakeThreshold ? 0n : s,
  );
  const stake = normalize64(filtered).map((v) => {
    const r = v >> 32n;
    return r > I32F32_MAX ? I32F32_MAX : r;
  });
  const rawStake = total.map((s) => {
    const r = s >> 64n;
    return r > U64_MAX ? U64_MAX : r;
  });
  return { total, stake, rawStake };
}

/** Everything the matrix stages need that is computed per uid. */
export interface Prelude {
  stake: StakeWeights;
  /** `!inactive`: last_update + cutoff ≥ current block. */
  active: boolean[];
  /** Stored permits with the owner forced on (gate this epoch). */
  permits: boolean[];
  /** top-k non-zero stake, owner forced on (stored afterwards). */
  newPermits: boolean[];
  /** A: S with inactive and non-permitted entries zeroed, normalised. */
  activeStake: Fixed[];
  /** kappa / 65535 (I32F32). */
  kappa: Fixed;
  /** bonds_penalty / 65535 (I32F32). */
  bondsPenalty: Fixed;
  /** First block of the current tempo for the recent-registration bond mask. */
  lastTempo: bigint;
  /** 1 − BMA/1e6 (I32F32): the classic and the fixed Yuma3 EMA coefficient. */
  emaAlpha: Fixed;
  /** Commit block per uid (u64::MAX for none), when the commit mask applies; else null. */
  commitBlocks: bigint[] | null;
}

/** Computes the per-uid stages (spec §1.1, §2, §3 P and A). */
export function prelude(input: EpochInput): Prelude {
  const p = input.params;
  const owner = p.subnetOwnerUid;
  const stake = stakeWeights(input);
  const active = input.lastUpdate.map((u) => {
    const reach = u + p.activityCutoffBlocks;
    return !((reach > U64_MAX ? U64_MAX : reach) < input.currentBlock);
  });
  const permits = [...input.validatorPermits];
  if (owner !== null) permits[owner] = true;
  const newPermits = isTopkNonzero(stake.stake, p.maxAllowedValidators);
  if (owner !== null) newPermits[owner] = true;
  const inactive = active.map((a) => !a);
  const forbid = permits.map((b) => !b);
  const activeStake = normalize(maskVector(forbid, maskVector(inactive, stake.stake)));
  const lms = p.lastMechanismStepBlock;
  const tempo = BigInt(p.tempo);
  const lastTempo =
    lms === 0n
      ? input.currentBlock > tempo
        ? input.currentBlock - tempo
        : 0n
      : lms + 1n > U64_MAX
        ? U64_MAX
        : lms + 1n;
  return {
    stake,
    active,
    permits,
    newPermits,
    activeStake,
    kappa: div(BigInt(p.kappaU16) << 32n, U16_MAX_FIXED),
    bondsPenalty: div(BigInt(p.bondsPenaltyU16) << 32n, U16_MAX_FIXED),
    lastTempo,
    emaAlpha: fixedAlphaFromBondsMovingAverage(p.bondsMovingAverage),
    commitBlocks: p.commitRevealEnabled ? input.commitBlocks.map((c) => c ?? U64_MAX) : null,
  };
}

/** The vectors the matrix stages produce (I32F32 raw bits). */
export interface CoreResult {
  consensus: Fixed[];
  validatorTrust: Fixed[];
  incentive: Fixed[];
  dividends: Fixed[];
  /** Bond row to store for uid i if it holds a new permit (already u16). */
  bondRow: (i: number) => SparseRowU16;
}

/** floor(I96F32(x) · I96F32(E)) saturated to u64: x·E / 2^32. */
const toRao = (x: Fixed, e: bigint): bigint => {
  const v = (x * e) >> 32n;
  return v < 0n ? 0n : v > U64_MAX ? U64_MAX : v;
};

/** Spec §3 E and S: the emission split and the per-uid terms. */
export function finishTerms(input: EpochInput, pre: Prelude, core: CoreResult): EpochTerms {
  const { incentive, dividends } = core;
  const combined = incentive.map((x, i) => {
    const v = x + (dividends[i] as Fixed);
    return v > I32F32_MAX ? I32F32_MAX : v;
  });
  const emissionSum = combined.reduce((a, b) => a + b, 0n);
  const server = normalizeUsingSum(incentive, emissionSum);
  let validator = normalizeUsingSum(dividends, emissionSum);
  let combinedShare = normalize(combined);
  if (emissionSum === 0n) {
    const fallback = isZero(pre.activeStake) ? pre.stake.stake : pre.activeStake;
    validator = [...fallback];
    combinedShare = [...fallback];
  }
  const e = input.raoEmission;
  const u16 = (v: Fixed[]): number[] => v.map(fixedProportionToU16);
  return {
    dividendU16: u16(dividends),
    incentiveU16: u16(incentive),
    consensusU16: u16(core.consensus),
    validatorTrustU16: u16(core.validatorTrust),
    stakeWeightU16: u16(pre.stake.stake),
    active: [...pre.active],
    newValidatorPermit: [...pre.newPermits],
    emission: combinedShare.map((x) => toRao(x, e)),
    serverEmission: server.map((x) => toRao(x, e)),
    validatorEmission: validator.map((x) => toRao(x, e)),
    bonds: pre.newPermits.map((permit, i) => (permit ? core.bondRow(i) : [])),
    stake: [...pre.stake.rawStake],
  };
}
