import { type CoreResult, finishTerms, type Prelude, prelude } from './common.js';
import {
  alphaSigmoid,
  colClipSparse,
  colMaxUpscaleSparse,
  colNormalizeSparse,
  type Fixed,
  fixedProportionToU16,
  fromInt,
  interpolateSparse,
  maskDiagSparse,
  maskDiagSparseExceptIndex,
  maskRowsSparse,
  matEmaAlphaSparse,
  matEmaSparse,
  matmulSparse,
  matmulTransposeSparse,
  matVecMulSparse,
  normalize,
  rowHadamardSparse,
  rowNormalizeSparse,
  rowSumSparse,
  type SparseMatrix,
  type SparseRow,
  scalarVecMaskSparseMatrix,
  u16ProportionToFixed,
  vecMaskSparseMatrix,
  vecMul,
  weightedMedianColSparse,
} from './math.js';
import type { EpochInput, EpochTerms } from './types.js';
import { assertEpochInput } from './validate.js';

/**
 * The sparse `epoch_mechanism` (spec §3) written stage by stage with the exact bigint helpers of
 * math.ts. It is the reference the fast engine is checked against, and the fallback for inputs
 * outside the fast engine's proven range.
 */

/**
 * Runs one mechanism's epoch with bigint arithmetic throughout.
 * @example
 * import { epochMechanismReference } from './reference.js';
 * epochMechanismReference(input).dividendU16;
 */
export function epochMechanismReference(input: EpochInput): EpochTerms {
  assertEpochInput(input, 'epochMechanismReference');
  const pre = prelude(input);
  return finishTerms(input, pre, referenceCore(input, pre));
}

/** The matrix stages (§3 W, C, I, B) in bigint. */
export function referenceCore(input: EpochInput, pre: Prelude): CoreResult {
  const { n, params: p } = input;
  const owner = p.subnetOwnerUid;
  const forbid = pre.permits.map((b) => !b);
  const A = pre.activeStake;

  let W: SparseMatrix = input.weights.map((row) => row.map(([j, u]) => [j, fromInt(u)]));
  W = maskRowsSparse(forbid, W);
  W = owner !== null ? maskDiagSparseExceptIndex(W, owner) : maskDiagSparse(W);
  W = vecMaskSparseMatrix(W, input.lastUpdate, input.blockAtRegistration, (u, r) => u <= r);
  if (pre.commitBlocks) {
    W = vecMaskSparseMatrix(W, pre.commitBlocks, input.blockAtRegistration, (c, r) => c < r);
  }
  W = rowNormalizeSparse(W);

  const consensus = weightedMedianColSparse(A, W, n, pre.kappa);
  const clipped = colClipSparse(W, consensus);
  const validatorTrust = rowSumSparse(clipped);
  const incentive = normalize(matmulSparse(clipped, A, n));
  const Wb = interpolateSparse(W, clipped, n, pre.bondsPenalty);
  const recent = (t: bigint, r: bigint): boolean => t <= r;

  let dividends: Fixed[];
  let stored: SparseMatrix;
  if (p.yuma3Enabled) {
    let B: SparseMatrix = input.bonds.map((row) =>
      row.map(([j, u]) => [j, u16ProportionToFixed(u)]),
    );
    B = scalarVecMaskSparseMatrix(B, pre.lastTempo, input.blockAtRegistration, recent);
    let ema: SparseMatrix;
    if (p.liquidAlphaEnabled && consensus.some((c) => c !== 0n)) {
      const alphas = liquidAlphaValuesSparse(input, Wb, B, consensus);
      ema = matEmaAlphaSparse(Wb, B, alphas);
    } else ema = matEmaSparse(Wb, B, pre.emaAlpha);
    const emaNorm = colNormalizeSparse(ema, n);
    const totalBonds = rowSumSparse(matVecMulSparse(emaNorm, incentive));
    dividends = normalize(vecMul(totalBonds, A));
    stored = ema;
  } else {
    let B: SparseMatrix = input.bonds.map((row) => row.map(([j, u]) => [j, fromInt(u)]));
    B = scalarVecMaskSparseMatrix(B, pre.lastTempo, input.blockAtRegistration, recent);
    B = colNormalizeSparse(B, n);
    const delta = colNormalizeSparse(rowHadamardSparse(Wb, A), n);
    const ema = colNormalizeSparse(matEmaSparse(delta, B, pre.emaAlpha), n);
    dividends = normalize(matmulTransposeSparse(ema, incentive));
    stored = colMaxUpscaleSparse(ema, n);
  }
  return {
    consensus,
    validatorTrust,
    incentive,
    dividends,
    bondRow: (i) => (stored[i] as SparseRow).map(([j, v]) => [j, fixedProportionToU16(v)]),
  };
}

/**
 * `compute_liquid_alpha_values_sparse`: the dense n×n alpha matrix. Each row walks the weight and
 * bond rows with forward-only cursors, which finds every entry of a row sorted by column (rows
 * in another order lose the entries the cursor has passed, as upstream).
 */
export function liquidAlphaValuesSparse(
  input: EpochInput,
  weights: SparseMatrix,
  bonds: SparseMatrix,
  consensus: readonly Fixed[],
): Fixed[][] {
  const p = input.params;
  const low = u16ProportionToFixed(p.alphaValuesU16[0]);
  const high = u16ProportionToFixed(p.alphaValuesU16[1]);
  const steepness = fromInt(p.alphaSigmoidSteepness);
  return weights.map((wRow, i) => {
    const w = walkDense(wRow, consensus.length);
    const b = walkDense(bonds[i] ?? [], consensus.length);
    return consensus.map((c, j) =>
      alphaSigmoid(c, w[j] as Fixed, b[j] as Fixed, low, high, steepness),
    );
  });
}

/** The value a forward-only cursor over `row` reports for each column 0..n−1 (0 when absent). */
export function walkDense(row: SparseRow, n: number): Fixed[] {
  const out = new Array<Fixed>(n).fill(0n);
  let k = 0;
  for (let j = 0; j < n; j++) {
    while (k < row.length) {
      const [c, v] = row[k] as [number, Fixed];
      if (c < j) k += 1;
      else {
        if (c === j) out[j] = v;
        break;
      }
    }
  }
  return out;
}
