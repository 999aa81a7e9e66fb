import { expSafe, fxFromF32, fxFromF64, I32F32 } from '@taoscript/codec';

/**
 * The Yuma epoch's vector and matrix helpers (subtensor 14bc6f9f `epoch/math.rs`), as the exact
 * reference: every value is a bigint of I32F32 raw bits (2^-32 units) unless the name says
 * otherwise, multiply floors, divide is `safe_div` (0 on a zero divisor or an overflowing
 * quotient, truncating toward zero), add/sub saturate where upstream saturates and are plain where
 * upstream uses `iter().sum()`.
 *
 * Sparse matrices are lists of rows; a row is a list of `[column, raw]` pairs in stored order.
 * The functions are pure: they return new arrays and never modify their arguments.
 */

/** I32F32 raw bits. */
export type Fixed = bigint;
/** One sparse row: `[column, I32F32 raw]` pairs. */
export type SparseRow = Array<[number, Fixed]>;
/** Sparse matrix: one row per uid. */
export type SparseMatrix = SparseRow[];
/** Dense matrix: list of rows. */
export type DenseMatrix = Fixed[][];

const MIN = I32F32.min;
const MAX = I32F32.max;
/** I32F32 1.0 as raw bits. */
export const ONE: Fixed = 1n << 32n;
/** I32F32 0.5 as raw bits. */
export const HALF: Fixed = 1n << 31n;
/** I32F32 of u16::MAX (65535.0) as raw bits. */
export const U16_MAX_FIXED: Fixed = 65535n << 32n;

const I64F64_MIN = -(1n << 127n);
const I64F64_MAX = (1n << 127n) - 1n;

const sat = (v: bigint): bigint => (v < MIN ? MIN : v > MAX ? MAX : v);

/** `saturating_mul`: floor(a·b / 2^32), clamped. */
export const mul = (a: Fixed, b: Fixed): Fixed => sat((a * b) >> 32n);
/** `checked_mul(..).unwrap_or_default()`: floor(a·b / 2^32), or 0 when it overflows. */
export const checkedMul = (a: Fixed, b: Fixed): Fixed => {
  const p = (a * b) >> 32n;
  return p < MIN || p > MAX ? 0n : p;
};
/** `safe_div`: trunc(a·2^32 / b); 0 when b is 0 or the quotient overflows. */
export const div = (a: Fixed, b: Fixed): Fixed => {
  if (b === 0n) return 0n;
  const q = (a << 32n) / b;
  return q < MIN || q > MAX ? 0n : q;
};
/** `saturating_div`: trunc(a·2^32 / b), clamped (b must be non-zero). */
export const satDiv = (a: Fixed, b: Fixed): Fixed => sat((a << 32n) / b);
/** `saturating_add`. */
export const add = (a: Fixed, b: Fixed): Fixed => sat(a + b);
/** `saturating_sub`. */
export const sub = (a: Fixed, b: Fixed): Fixed => sat(a - b);
/** I32F32 of an integer, saturating. */
export const fromInt = (v: number | bigint): Fixed => sat(BigInt(v) << 32n);
/** I32F32 of an f32 literal (`I32F32::from_num(x_f32)`): Math.fround, then round to nearest even. */
export const fromF32 = (x: number): Fixed => fxFromF32(I32F32, x);
/** I32F32 of an f64 literal (`I32F32::from_num(x_f64)`). */
export const fromF64 = (x: number): Fixed => fxFromF64(I32F32, x);
/** Nearest double of an I32F32 raw value (for tests and display only). */
export const toF64 = (x: Fixed): number => Number(x) / 4294967296;

/** `fixed_proportion_to_u16`: floor(floor(x·65535)), saturated to 0..65535. */
export function fixedProportionToU16(x: Fixed): number {
  const v = mul(x, U16_MAX_FIXED) >> 32n;
  return v < 0n ? 0 : v > 65535n ? 65535 : Number(v);
}

/** `u16_proportion_to_fixed` (also `fixed_to_fixed_u16_proportion` of a u16): u/65535. */
export const u16ProportionToFixed = (u: number): Fixed => div(BigInt(u) << 32n, U16_MAX_FIXED);

/** Plain (`iter().sum()`) sum. */
export const sum = (x: readonly Fixed[]): Fixed => x.reduce((a, b) => a + b, 0n);

/** `is_zero`: the plain sum is 0. */
export const isZero = (x: readonly Fixed[]): boolean => sum(x) === 0n;

/** `normalize` / `inplace_normalize`: divide by the plain sum; a zero-sum vector is unchanged. */
export function normalize(x: readonly Fixed[]): Fixed[] {
  const s = sum(x);
  if (s === 0n) return [...x];
  return x.map((v) => div(v, s));
}

/** `inplace_normalize_using_sum`: divide by `s` (unchanged when s is 0). */
export function normalizeUsingSum(x: readonly Fixed[], s: Fixed): Fixed[] {
  if (s === 0n) return [...x];
  return x.map((v) => div(v, s));
}

/** `inplace_normalize_64` on I64F64 raw bits (64 fraction bits). */
export function normalize64(x: readonly bigint[]): bigint[] {
  const s = x.reduce((a, b) => a + b, 0n);
  if (s === 0n) return [...x];
  return x.map((v) => {
    const q = (v << 64n) / s;
    return q < I64F64_MIN || q > I64F64_MAX ? 0n : q;
  });
}

/** `round()` of substrate_fixed: to nearest, ties away from zero. */
function roundFixed(x: Fixed): Fixed {
  if (x < 0n) return sat(-roundFixed(-x));
  return sat(((x + HALF) >> 32n) << 32n);
}

const toU16Sat = (x: Fixed): number => {
  const v = x >> 32n;
  return v < 0n ? 0 : v > 65535n ? 65535 : Number(v);
};

/** `vec_max_upscale_to_u16`: scale so the max becomes 65535 (two code paths around 32768). */
export function vecMaxUpscaleToU16(vec: readonly Fixed[]): number[] {
  if (vec.length === 0) return [];
  let max = vec[0] as Fixed;
  for (const v of vec) if (v > max) max = v;
  if (max === 0n) return vec.map((e) => toU16Sat(mul(e, U16_MAX_FIXED)));
  if (max > 32768n << 32n) {
    const factor = div(U16_MAX_FIXED, max);
    return vec.map((e) => toU16Sat(roundFixed(mul(e, factor))));
  }
  return vec.map((e) => toU16Sat(roundFixed(div(mul(e, U16_MAX_FIXED), max))));
}

/** `vec_u16_max_upscale_to_u16`: what set_weights stores for submitted u16 values. */
export function vecU16MaxUpscaleToU16(vec: readonly number[]): number[] {
  return vecMaxUpscaleToU16(vec.map((e) => BigInt(e) << 32n));
}

/** `is_topk`: true for the k largest entries; among ties the lower index loses. */
export function isTopk(vector: readonly Fixed[], k: number): boolean[] {
  return topkFrom(
    vector,
    k,
    vector.map(() => true),
  );
}

/** `is_topk_nonzero` (validator permits): like `isTopk` but zero entries are always false. */
export function isTopkNonzero(vector: readonly Fixed[], k: number): boolean[] {
  return topkFrom(
    vector,
    k,
    vector.map((v) => v !== 0n),
  );
}

function topkFrom(vector: readonly Fixed[], k: number, result: boolean[]): boolean[] {
  const n = vector.length;
  if (n < k) return result;
  const idx = vector.map((_, i) => i);
  // Array.prototype.sort is stable, like Rust's sort_by_key.
  idx.sort((a, b) => {
    const x = vector[a] as Fixed;
    const y = vector[b] as Fixed;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (let t = 0; t < n - k; t++) result[idx[t] as number] = false;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Masks (mask = true removes / zeroes)

/** `inplace_mask_vector`: zero the masked entries (a missing mask entry masks). */
export const maskVector = (mask: readonly boolean[], v: readonly Fixed[]): Fixed[] =>
  v.map((x, i) => (mask.length === 0 ? x : (mask[i] ?? true) ? 0n : x));

/** `inplace_mask_matrix`: zero the masked cells. */
export function maskMatrix(mask: readonly boolean[][], m: DenseMatrix): DenseMatrix {
  if (mask.length === 0 || (mask[0] as boolean[]).length === 0) return m.map((r) => [...r]);
  return m.map((row, r) => row.map((v, c) => ((mask[r]?.[c] ?? true) ? 0n : v)));
}

/** `inplace_mask_rows`: zero whole masked rows. */
export function maskRows(mask: readonly boolean[], m: DenseMatrix): DenseMatrix {
  const cols = m[0]?.length ?? 0;
  return m.map((row, r) => ((mask[r] ?? true) ? new Array<Fixed>(cols).fill(0n) : [...row]));
}

/** `inplace_mask_diag`: zero the diagonal of a square matrix. */
export function maskDiag(m: DenseMatrix): DenseMatrix {
  const first = m[0];
  if (!first || first.length === 0 || m.length !== first.length) return m.map((r) => [...r]);
  return m.map((row, i) => row.map((v, j) => (i === j ? 0n : v)));
}

/** `inplace_mask_diag_except_index`: zero the diagonal except at `except`. */
export function maskDiagExceptIndex(m: DenseMatrix, except: number): DenseMatrix {
  const first = m[0];
  if (!first || first.length === 0 || m.length !== first.length) return m.map((r) => [...r]);
  return m.map((row, i) => row.map((v, j) => (i === j && i !== except ? 0n : v)));
}

/** `mask_rows_sparse`: masked rows become empty. */
export const maskRowsSparse = (mask: readonly boolean[], m: SparseMatrix): SparseMatrix =>
  m.map((row, i) => ((mask[i] ?? true) ? [] : [...row]));

/** `mask_diag_sparse`: drop (i, i). */
export const maskDiagSparse = (m: SparseMatrix): SparseMatrix =>
  m.map((row, i) => row.filter(([j]) => j !== i));

/** `mask_diag_sparse_except_index`: drop (i, i) except (except, except). */
export const maskDiagSparseExceptIndex = (m: SparseMatrix, except: number): SparseMatrix =>
  m.map((row, i) => row.filter(([j]) => j !== i || i === except));

/** `vec_mask_sparse_matrix`: drop (i, j) where `fn(first[i], second[j])` (missing values are 0). */
export function vecMaskSparseMatrix(
  m: SparseMatrix,
  first: readonly bigint[],
  second: readonly bigint[],
  fn: (a: bigint, b: bigint) => boolean,
): SparseMatrix {
  return m.map((row, i) => row.filter(([j]) => !fn(first[i] ?? 0n, second[j] ?? 0n)));
}

/** `scalar_vec_mask_sparse_matrix`: drop (i, j) where `fn(scalar, vector[j])`. */
export function scalarVecMaskSparseMatrix(
  m: SparseMatrix,
  scalar: bigint,
  vector: readonly bigint[],
  fn: (a: bigint, b: bigint) => boolean,
): SparseMatrix {
  return m.map((row) => row.filter(([j]) => !fn(scalar, vector[j] ?? 0n)));
}

// ---------------------------------------------------------------------------------------------
// Normalisation and upscaling

/** `inplace_row_normalize`: divide each row by its plain sum when the sum is > 0. */
export function rowNormalize(m: DenseMatrix): DenseMatrix {
  return m.map((row) => {
    const s = sum(row);
    return s > 0n ? row.map((v) => div(v, s)) : [...row];
  });
}

/** `inplace_row_normalize_sparse`. */
export function rowNormalizeSparse(m: SparseMatrix): SparseMatrix {
  return m.map((row) => {
    const s = row.reduce((a, [, v]) => a + v, 0n);
    return s > 0n ? row.map(([j, v]) => [j, div(v, s)] as [number, Fixed]) : copyRow(row);
  });
}

const copyRow = (row: SparseRow): SparseRow => row.map(([j, v]) => [j, v] as [number, Fixed]);

/** `inplace_col_normalize`: divide each column by its saturating sum when non-zero. */
export function colNormalize(m: DenseMatrix): DenseMatrix {
  const width = m.reduce((w, r) => Math.max(w, r.length), 0);
  const sums = new Array<Fixed>(width).fill(0n);
  for (const row of m) {
    for (let j = 0; j < row.length; j++) sums[j] = add(sums[j] as Fixed, row[j] as Fixed);
  }
  return m.map((row) =>
    row.map((v, j) => {
      const s = sums[j] as Fixed;
      return s !== 0n ? div(v, s) : v;
    }),
  );
}

/** `inplace_col_normalize_sparse` with `columns` columns (entries beyond are left alone). */
export function colNormalizeSparse(m: SparseMatrix, columns: number): SparseMatrix {
  const sums = new Array<Fixed>(columns).fill(0n);
  for (const row of m) for (const [j, v] of row) if (j < columns) sums[j] = add(sums[j]!, v);
  return m.map((row) =>
    row.map(([j, v]) => {
      const s = sums[j] ?? 0n;
      return [j, s !== 0n ? div(v, s) : v] as [number, Fixed];
    }),
  );
}

/** `inplace_col_max_upscale`: divide each column by its max (when non-zero). */
export function colMaxUpscale(m: DenseMatrix): DenseMatrix {
  const width = m.reduce((w, r) => Math.max(w, r.length), 0);
  const maxes = new Array<Fixed>(width).fill(0n);
  for (const row of m) {
    for (let j = 0; j < row.length; j++) {
      if ((row[j] as Fixed) > (maxes[j] as Fixed)) maxes[j] = row[j] as Fixed;
    }
  }
  return m.map((row) =>
    row.map((v, j) => {
      const mx = maxes[j] as Fixed;
      return mx !== 0n ? div(v, mx) : v;
    }),
  );
}

/** `inplace_col_max_upscale_sparse` with `columns` columns. */
export function colMaxUpscaleSparse(m: SparseMatrix, columns: number): SparseMatrix {
  const maxes = new Array<Fixed>(columns).fill(0n);
  for (const row of m) for (const [j, v] of row) if (j < columns && v > maxes[j]!) maxes[j] = v;
  return m.map((row) =>
    row.map(([j, v]) => {
      const mx = maxes[j] ?? 0n;
      return [j, mx !== 0n ? div(v, mx) : v] as [number, Fixed];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Products and sums

/** `row_hadamard`: row i scaled by v[i]. */
export const rowHadamard = (m: DenseMatrix, v: readonly Fixed[]): DenseMatrix =>
  m.slice(0, v.length).map((row, i) => row.map((x) => mul(v[i] as Fixed, x)));

/** `row_hadamard_sparse`. */
export const rowHadamardSparse = (m: SparseMatrix, v: readonly Fixed[]): SparseMatrix =>
  m.slice(0, v.length).map((row, i) => row.map(([j, x]) => [j, mul(x, v[i] as Fixed)]));

/** `matmul`: result_j = Σ_i v_i·m_ij (saturating, row order). */
export function matmul(m: DenseMatrix, v: readonly Fixed[]): Fixed[] {
  const cols = m[0]?.length ?? 0;
  const acc = new Array<Fixed>(cols).fill(0n);
  m.forEach((row, i) => {
    const scale = v[i] ?? 0n;
    for (let j = 0; j < Math.min(cols, row.length); j++) {
      acc[j] = add(acc[j] as Fixed, mul(scale, row[j] as Fixed));
    }
  });
  return acc;
}

/** `matmul_transpose`: result_i = Σ_j v_j·m_ij. */
export function matmulTranspose(m: DenseMatrix, v: readonly Fixed[]): Fixed[] {
  if ((m[0]?.length ?? 0) === 0) return [];
  return m.map((row) => {
    let s = 0n;
    for (let j = 0; j < Math.min(row.length, v.length); j++) {
      s = add(s, mul(row[j] as Fixed, v[j] as Fixed));
    }
    return s;
  });
}

/** `matmul_sparse`: result_j = Σ_i v_i·m_ij over `columns` columns. */
export function matmulSparse(m: SparseMatrix, v: readonly Fixed[], columns: number): Fixed[] {
  const acc = new Array<Fixed>(columns).fill(0n);
  m.forEach((row, i) => {
    const scale = v[i] ?? 0n;
    for (const [j, x] of row) if (j < columns) acc[j] = add(acc[j]!, mul(scale, x));
  });
  return acc;
}

/** `matmul_transpose_sparse`: result_i = Σ_j v_j·m_ij. */
export const matmulTransposeSparse = (m: SparseMatrix, v: readonly Fixed[]): Fixed[] =>
  m.map((row) => row.reduce((s, [j, x]) => add(s, mul(v[j] ?? 0n, x)), 0n));

/** `row_sum`: plain sum of each row ([] when the first row is empty). */
export const rowSum = (m: DenseMatrix): Fixed[] => (m[0]?.length === 0 ? [] : m.map(sum));

/** `row_sum_sparse`. */
export const rowSumSparse = (m: SparseMatrix): Fixed[] =>
  m.map((row) => row.reduce((s, [, v]) => s + v, 0n));

/** `vec_mul`: element-wise product with `checked_mul` (0 on overflow). */
export function vecMul(a: readonly Fixed[], b: readonly Fixed[]): Fixed[] {
  const out: Fixed[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    out.push(checkedMul(a[i] as Fixed, b[i] as Fixed));
  }
  return out;
}

/** `mat_vec_mul`: each row multiplied element-wise by v (checked). */
export const matVecMul = (m: DenseMatrix, v: readonly Fixed[]): DenseMatrix =>
  (m[0]?.length ?? 0) === 0 ? [[]] : m.map((row) => vecMul(row, v));

/** `mat_vec_mul_sparse`: m_ij·v_j (saturating), dropping zero products and columns beyond v. */
export const matVecMulSparse = (m: SparseMatrix, v: readonly Fixed[]): SparseMatrix =>
  m.map((row) => {
    const out: SparseRow = [];
    for (const [j, x] of row) {
      const vj = v[j];
      if (vj === undefined) continue;
      const p = mul(x, vj);
      if (p !== 0n) out.push([j, p]);
    }
    return out;
  });

// ---------------------------------------------------------------------------------------------
// Consensus

/** `inplace_col_clip`: value = min(value, threshold_j). */
export const colClip = (m: DenseMatrix, threshold: readonly Fixed[]): DenseMatrix =>
  m.map((row) =>
    row.map((v, j) => {
      const th = threshold[j];
      if (th !== undefined && th < v) return th;
      return v;
    }),
  );

/** `col_clip_sparse`: entries above the threshold become it, or vanish when it is ≤ 0. */
export function colClipSparse(m: SparseMatrix, threshold: readonly Fixed[]): SparseMatrix {
  return m.map((row) => {
    const out: SparseRow = [];
    for (const [j, v] of row) {
      const th = threshold[j] ?? 0n;
      if (th < v) {
        if (th > 0n) out.push([j, th]);
      } else out.push([j, v]);
    }
    return out;
  });
}

/**
 * `weighted_median`: deterministic mid-pivot quickselect over `partition` (indices into stake and
 * score); returns one of the scores, or 0 for an empty partition / mismatched lengths.
 */
export function weightedMedian(
  stake: readonly Fixed[],
  score: readonly Fixed[],
  partition: readonly number[],
  minority: Fixed,
  lo: Fixed,
  hi: Fixed,
): Fixed {
  if (stake.length !== score.length) return 0n;
  let current = [...partition];
  const limit = partition.length;
  let counter = 0;
  for (;;) {
    const n = current.length;
    if (n === 0) return 0n;
    if (n === 1) return score[current[0] as number] ?? 0n;
    const pivot = score[current[n >> 1] as number] ?? 0n;
    let loStake = 0n;
    let hiStake = 0n;
    const lower: number[] = [];
    const upper: number[] = [];
    for (const idx of current) {
      const s = score[idx] ?? 0n;
      if (s === pivot) continue;
      if (s < pivot) {
        loStake = add(loStake, stake[idx] ?? 0n);
        lower.push(idx);
      } else {
        hiStake = add(hiStake, stake[idx] ?? 0n);
        upper.push(idx);
      }
    }
    if (minority < add(lo, loStake) && lower.length > 0) {
      current = lower;
      hi = add(lo, loStake);
    } else if (sub(hi, hiStake) <= minority && upper.length > 0) {
      current = upper;
      lo = sub(hi, hiStake);
    } else return pivot;
    counter += 1;
    if (counter > limit) return 0n;
  }
}

/** `weighted_median_col`: dense column-wise stake-weighted median (consensus). */
export function weightedMedianCol(
  stake: readonly Fixed[],
  score: DenseMatrix,
  majority: Fixed,
): Fixed[] {
  const columns = score[0]?.length ?? 0;
  const median = new Array<Fixed>(columns).fill(0n);
  for (let c = 0; c < columns; c++) {
    let useStake: Fixed[] = [];
    const useScore: Fixed[] = [];
    stake.forEach((st, r) => {
      if (st <= 0n) return;
      const row = score[r];
      if (row && row.length === columns) {
        useStake.push(st);
        useScore.push(row[c] as Fixed);
      } else {
        useStake.push(0n);
        useScore.push(0n);
      }
    });
    if (useStake.length > 0) {
      useStake = normalize(useStake);
      const s = sum(useStake);
      const minority = sub(s, majority);
      const idx = useStake.map((_, i) => i);
      median[c] = weightedMedian(useStake, useScore, idx, minority, 0n, s);
    }
  }
  return median;
}

/** `weighted_median_col_sparse`: the consensus of §4 (positive-stake rows only). */
export function weightedMedianColSparse(
  stake: readonly Fixed[],
  score: SparseMatrix,
  columns: number,
  majority: Fixed,
): Fixed[] {
  const useStake = normalize(stake.filter((s) => s > 0n));
  const s = sum(useStake);
  const minority = sub(s, majority);
  const idx = useStake.map((_, i) => i);
  const useScore: Fixed[][] = Array.from({ length: columns }, () =>
    new Array<Fixed>(useStake.length).fill(0n),
  );
  let k = 0;
  for (let i = 0; i < Math.min(stake.length, score.length); i++) {
    if ((stake[i] as Fixed) > 0n) {
      for (const [c, v] of score[i] as SparseRow) {
        const col = useScore[c];
        if (col && k < col.length) col[k] = v;
      }
      k += 1;
    }
  }
  return useScore.map((col) => weightedMedian(useStake, col, idx, minority, 0n, s));
}

// ---------------------------------------------------------------------------------------------
// Interpolation and moving averages

/** `interpolate`: A + ratio·(B − A) cell by cell; ratio 0 gives A and 1 gives B exactly. */
export function interpolate(a: DenseMatrix, b: DenseMatrix, ratio: Fixed): DenseMatrix {
  if (ratio === 0n) return a.map((r) => [...r]);
  if (ratio === ONE) return b.map((r) => [...r]);
  const first = a[0];
  if (!first || first.length === 0) return [[]];
  const cols = first.length;
  return a.map((row1, i) => {
    const row2 = b[i] ?? [];
    const out = new Array<Fixed>(cols).fill(0n);
    for (let j = 0; j < Math.min(cols, row1.length, row2.length); j++) {
      const v1 = row1[j] as Fixed;
      out[j] = add(v1, mul(ratio, sub(row2[j] as Fixed, v1)));
    }
    return out;
  });
}

/** `interpolate_sparse`: like `interpolate`, densified over `columns`, keeping cells > 0. */
export function interpolateSparse(
  a: SparseMatrix,
  b: SparseMatrix,
  columns: number,
  ratio: Fixed,
): SparseMatrix {
  if (ratio === 0n) return a.map(copyRow);
  if (ratio === ONE || a.length !== b.length) return b.map(copyRow);
  return a.map((rowA, i) => {
    const d1 = densify(rowA, columns);
    const d2 = densify(b[i] ?? [], columns);
    const out: SparseRow = [];
    for (let j = 0; j < columns; j++) {
      const v1 = d1[j] as Fixed;
      const v = add(v1, mul(ratio, sub(d2[j] as Fixed, v1)));
      if (v > 0n) out.push([j, v]);
    }
    return out;
  });
}

function densify(row: SparseRow, columns: number): Fixed[] {
  const d = new Array<Fixed>(columns).fill(0n);
  for (const [j, v] of row) if (j < columns) d[j] = v;
  return d;
}

/** `mat_ema`: alpha·new + (1 − alpha)·old cell by cell (dense). */
export function matEma(next: DenseMatrix, old: DenseMatrix, alpha: Fixed): DenseMatrix {
  if (next.length === 0) return [[]];
  if ((next[0] as Fixed[]).length === 0) return [[]];
  const oneMinus = sub(ONE, alpha);
  const out: DenseMatrix = [];
  for (let i = 0; i < Math.min(next.length, old.length); i++) {
    const n = next[i] as Fixed[];
    const o = old[i] as Fixed[];
    const row: Fixed[] = [];
    for (let j = 0; j < Math.min(n.length, o.length); j++) {
      row.push(add(mul(alpha, n[j] as Fixed), mul(oneMinus, o[j] as Fixed)));
    }
    out.push(row);
  }
  return out;
}

/**
 * `mat_ema_sparse`: rows densified to `next.length` columns, alpha·new then (1 − alpha)·old
 * accumulated with floor multiplies, entries > 0 kept in column order.
 */
export function matEmaSparse(next: SparseMatrix, old: SparseMatrix, alpha: Fixed): SparseMatrix {
  const n = next.length;
  if (n === 0) return [];
  const oneMinus = sub(ONE, alpha);
  return next.map((row, i) => {
    const acc = new Array<Fixed>(n).fill(0n);
    for (const [j, v] of row) if (j < n) acc[j] = add(acc[j]!, mul(alpha, v));
    for (const [j, v] of old[i] ?? []) if (j < n) acc[j] = add(acc[j]!, mul(oneMinus, v));
    const out: SparseRow = [];
    for (let j = 0; j < n; j++) if ((acc[j] as Fixed) > 0n) out.push([j, acc[j] as Fixed]);
    return out;
  });
}

/**
 * `mat_ema_alpha_sparse`: min(1, (1 − α_ij)·old_ij + max(0, α_ij·new_ij)) for the columns present
 * in the new row only (an old bond in a column absent from the new row is dropped); entries > 0.
 * Returns `next` unchanged when the row counts differ.
 */
export function matEmaAlphaSparse(
  next: SparseMatrix,
  old: SparseMatrix,
  alpha: DenseMatrix,
): SparseMatrix {
  if (next.length !== old.length || next.length !== alpha.length) return next.map(copyRow);
  return next.map((row, i) => {
    const alphaRow = alpha[i] as Fixed[];
    const decayed = new Array<Fixed>(alphaRow.length).fill(0n);
    for (const [j, o] of old[i] as SparseRow) {
      const a = alphaRow[j];
      if (a !== undefined) decayed[j] = mul(sub(ONE, a), o);
    }
    const out: SparseRow = [];
    for (const [j, w] of row) {
      const a = alphaRow[j];
      if (a === undefined) continue;
      let inc = mul(a, w);
      if (inc < 0n) inc = 0n;
      let v = add(decayed[j] as Fixed, inc);
      if (v > ONE) v = ONE;
      if (v > 0n) out.push([j, v]);
    }
    return out;
  });
}

/** `mat_ema_alpha`: the dense per-cell EMA, clamped to [.., 1]; every old cell decays. */
export function matEmaAlpha(next: DenseMatrix, old: DenseMatrix, alpha: DenseMatrix): DenseMatrix {
  if (next.length === 0 || (next[0] as Fixed[]).length === 0) return [[]];
  if (next.length !== old.length || next.length !== alpha.length) return old.map((r) => [...r]);
  for (let i = 0; i < next.length; i++) {
    const len = (next[i] as Fixed[]).length;
    if ((old[i] as Fixed[]).length !== len || (alpha[i] as Fixed[]).length !== len) {
      return next.map((r) => [...r]);
    }
  }
  return next.map((row, i) =>
    row.map((w, j) => {
      const a = (alpha[i] as Fixed[])[j] as Fixed;
      const decayed = mul(sub(ONE, a), (old[i] as Fixed[])[j] as Fixed);
      let inc = mul(a, w);
      if (inc < 0n) inc = 0n;
      const v = add(decayed, inc);
      return v > ONE ? ONE : v;
    }),
  );
}

/** `clamp_value`: min(high) then max(low). */
export const clampValue = (v: Fixed, low: Fixed, high: Fixed): Fixed => {
  const x = v > high ? high : v;
  return x < low ? low : x;
};

/** I32F32 of the steepness divided by −100 (`saturating_div`, truncating toward zero). */
export const steepnessFactor = (steepness: Fixed): Fixed => satDiv(steepness, -100n << 32n);

/**
 * Liquid-alpha `alpha_sigmoid` (spec §5): α = clamp(low + σ·(high − low), low, high) with
 * σ = 1 / (1 + exp_safe(steepness/−100 · (d − 0.5))) and d the buy or sell distance.
 */
export function alphaSigmoid(
  consensus: Fixed,
  weight: Fixed,
  bond: Fixed,
  low: Fixed,
  high: Fixed,
  steepness: Fixed,
): Fixed {
  const diffBuy = clampValue(sub(weight, consensus), 0n, ONE);
  const diffSell = clampValue(sub(bond, weight), 0n, ONE);
  const d = weight >= bond ? diffBuy : diffSell;
  return sigmoidAlpha(d, low, high, steepnessFactor(steepness));
}

/** The part of `alphaSigmoid` after the distance `d`, with the steepness factor precomputed. */
export function sigmoidAlpha(d: Fixed, low: Fixed, high: Fixed, factor: Fixed): Fixed {
  const x = mul(factor, sub(d, HALF));
  const sigmoid = satDiv(ONE, add(ONE, expSafe(x)));
  const alpha = add(low, mul(sigmoid, sub(high, low)));
  return clampValue(alpha, low, high);
}

/** `sigmoid_safe(x, rho, kappa)` = 1 / (1 + exp_safe(−rho·(x − kappa))). */
export function sigmoidSafe(input: Fixed, rho: Fixed, kappa: Fixed): Fixed {
  const offset = sub(input, kappa);
  const negRho = mul(rho, -ONE);
  return div(ONE, add(expSafe(mul(negRho, offset)), ONE));
}

/**
 * EMA coefficient from BondsMovingAverage: 1 − I32F32(I64F64(bma) / I64F64(1e6)) (I64F64 → I32F32
 * truncates; values beyond the types saturate).
 */
export function fixedAlphaFromBondsMovingAverage(bma: bigint): Fixed {
  const bma64 = bma << 64n > I64F64_MAX ? I64F64_MAX : bma << 64n;
  const ratio64 = (bma64 << 64n) / (1_000_000n << 64n);
  return sub(ONE, sat(ratio64 >> 32n));
}
