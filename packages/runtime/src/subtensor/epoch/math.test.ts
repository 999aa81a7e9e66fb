import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fxFromF32, I32F32, I64F64 } from '@taoscript/codec';
import {
  colClip,
  colClipSparse,
  colMaxUpscale,
  colMaxUpscaleSparse,
  colNormalize,
  type DenseMatrix,
  type Fixed,
  fixedAlphaFromBondsMovingAverage,
  fromF32,
  fromF64,
  fromInt,
  interpolate,
  interpolateSparse,
  isTopk,
  isTopkNonzero,
  maskDiag,
  maskDiagExceptIndex,
  maskDiagSparse,
  maskDiagSparseExceptIndex,
  maskMatrix,
  maskRows,
  maskRowsSparse,
  maskVector,
  matEma,
  matEmaAlpha,
  matEmaAlphaSparse,
  matEmaSparse,
  matmul,
  matmulSparse,
  matmulTranspose,
  matmulTransposeSparse,
  matVecMul,
  matVecMulSparse,
  normalize,
  normalize64,
  ONE,
  rowHadamard,
  rowHadamardSparse,
  rowNormalize,
  rowNormalizeSparse,
  rowSum,
  rowSumSparse,
  type SparseMatrix,
  scalarVecMaskSparseMatrix,
  sigmoidSafe,
  vecMaskSparseMatrix,
  vecMaxUpscaleToU16,
  vecU16MaxUpscaleToU16,
  weightedMedian,
  weightedMedianCol,
  weightedMedianColSparse,
} from './math.js';
import { splitEmissions } from './mechanisms.js';

// biome-ignore lint/suspicious/noExplicitAny: vector files are free-form JSON
type Any = any;
const load = (name: string): Any =>
  JSON.parse(readFileSync(new URL(`../../../test/vectors/yuma/${name}`, import.meta.url), 'utf8'));

const vec = (xs: number[]): Fixed[] => xs.map(fromF32);
const mat = (m: number[][]): DenseMatrix => m.map(vec);
const sparse = (m: [number, number][][]): SparseMatrix =>
  m.map((row) => row.map(([j, v]) => [j, fromF32(v)] as [number, Fixed]));
/** Dense rows to sparse rows keeping only entries > 0 (upstream's vec_to_sparse_mat_fixed). */
const toSparse = (m: DenseMatrix): SparseMatrix =>
  m.map((row) => row.flatMap((v, j) => (v > 0n ? [[j, v] as [number, Fixed]] : [])));
const TOL_1E4 = fromF64(1e-4);

function assertClose(got: Fixed[], want: Fixed[], tol: Fixed, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => {
    const d = g > (want[i] as Fixed) ? g - (want[i] as Fixed) : (want[i] as Fixed) - g;
    assert.ok(d <= tol, `${what}[${i}]: got ${g}, want ${want[i]} (±${tol})`);
  });
}
function assertMatClose(got: DenseMatrix, want: DenseMatrix, tol: Fixed, what: string): void {
  assert.equal(got.length, want.length, `${what}: rows`);
  got.forEach((row, i) => {
    assertClose(row, want[i] as Fixed[], tol, `${what}[${i}]`);
  });
}
function assertSparseClose(got: SparseMatrix, want: SparseMatrix, tol: Fixed, what: string): void {
  assert.equal(got.length, want.length, `${what}: rows`);
  got.forEach((row, i) => {
    const w = want[i] as SparseMatrix[number];
    assert.deepEqual(
      row.map(([j]) => j),
      w.map(([j]) => j),
      `${what}[${i}]: pattern`,
    );
    assertClose(
      row.map(([, v]) => v),
      w.map(([, v]) => v),
      tol,
      `${what}[${i}]`,
    );
  });
}

describe('math vectors', () => {
  it('vec_max_upscale_to_u16 (exact)', () => {
    const v = load('math_vec_max_upscale_to_u16.json');
    v.inputs.cases.forEach((c: number[], k: number) => {
      assert.deepEqual(vecMaxUpscaleToU16(vec(c)), v.expected.cases[k], `case ${k}`);
    });
  });

  it('vec_u16_max_upscale_to_u16 (exact)', () => {
    const v = load('math_vec_u16_max_upscale_to_u16.json');
    v.inputs.cases.forEach((c: number[], k: number) => {
      assert.deepEqual(vecU16MaxUpscaleToU16(c), v.expected.cases[k], `case ${k}`);
    });
  });

  it('is_topk and is_topk_nonzero (exact, lower index loses ties)', () => {
    const v = load('math_is_topk.json');
    v.inputs.cases.forEach((c: { vector: number[]; k: number }, k: number) => {
      const want = v.expected.cases[k] as boolean[];
      assert.deepEqual(isTopk(vec(c.vector), c.k), want, `case ${k}`);
      const nz = want.map((b, i) => b && c.vector[i] !== 0);
      assert.deepEqual(isTopkNonzero(vec(c.vector), c.k), nz, `nonzero case ${k}`);
    });
  });

  it('normalize and normalize_64', () => {
    const v = load('math_normalize.json');
    v.inputs.cases.forEach((c: number[], k: number) => {
      const want = vec(v.expected.cases[k]);
      assertClose(normalize(vec(c)), want, TOL_1E4, `case ${k}`);
      const n64 = normalize64(c.map((x) => fxFromF32(I64F64, x))).map((x) => x >> 32n);
      assertClose(n64, want, TOL_1E4, `64-bit case ${k}`);
    });
  });

  it('row, column normalisation and column max-upscale (dense and sparse)', () => {
    const r = load('math_inplace_row_normalize.json');
    const rowIn = mat(r.inputs.matrix);
    assertMatClose(rowNormalize(rowIn), mat(r.expected.matrix), TOL_1E4, 'row');
    assertSparseClose(
      rowNormalizeSparse(toSparse(rowIn)),
      toSparse(mat(r.expected.matrix)),
      TOL_1E4,
      'row sparse',
    );
    const c = load('math_inplace_col_normalize.json');
    assertMatClose(colNormalize(mat(c.inputs.matrix)), mat(c.expected.matrix), TOL_1E4, 'col');
    const m = load('math_inplace_col_max_upscale.json');
    assertMatClose(colMaxUpscale(mat(m.inputs.matrix)), mat(m.expected.matrix), TOL_1E4, 'max');
    const s = load('math_inplace_col_max_upscale_sparse.json');
    assertSparseClose(
      colMaxUpscaleSparse(sparse(s.inputs.matrix), s.inputs.columns),
      sparse(s.expected.matrix),
      TOL_1E4,
      'max sparse',
    );
  });

  it('masks (exact)', () => {
    const v = load('math_masking.json');
    const i = v.inputs;
    const e = v.expected;
    assert.deepEqual(maskVector(i.mask_vector.mask, vec(i.mask_vector.vector)), vec(e.mask_vector));
    assert.deepEqual(maskMatrix(i.mask_matrix.mask, mat(i.mask_matrix.matrix)), mat(e.mask_matrix));
    assert.deepEqual(maskRows(i.mask_rows.mask, mat(i.mask_rows.matrix)), mat(e.mask_rows));
    assert.deepEqual(maskDiag(mat(i.mask_diag.matrix)), mat(e.mask_diag));
    i.mask_diag_except_index.except_index.forEach((x: number, k: number) => {
      const m = mat(i.mask_diag_except_index.matrix);
      assert.deepEqual(maskDiagExceptIndex(m, x), mat(e.mask_diag_except_index[k]));
      const sp = maskDiagSparseExceptIndex(toSparse(m), x);
      assert.deepEqual(sp, toSparse(mat(e.mask_diag_except_index[k])), `sparse except ${x}`);
    });
    assert.deepEqual(maskDiagSparse(sparse(i.mask_diag_sparse.matrix)), e.mask_diag_sparse);
    assert.deepEqual(
      maskRowsSparse(i.mask_rows.mask, toSparse(mat(i.mask_rows.matrix))),
      toSparse(mat(e.mask_rows)),
    );
  });

  it('vec_mask_sparse_matrix (exact) and the scalar variant', () => {
    const v = load('math_vec_mask_sparse_matrix.json');
    const first = (v.inputs.first as number[]).map(BigInt);
    const second = (v.inputs.second as number[]).map(BigInt);
    const fns = [(a: bigint, b: bigint) => a === b, (a: bigint, b: bigint) => a < b];
    fns.forEach((fn, k) => {
      const got = vecMaskSparseMatrix(sparse(v.inputs.matrix), first, second, fn);
      assert.deepEqual(got, sparse(v.expected.cases[k]), v.inputs.cases[k].predicate);
    });
    const byScalar = scalarVecMaskSparseMatrix(
      sparse(v.inputs.matrix),
      2n,
      second,
      (a, b) => a <= b,
    );
    assert.deepEqual(
      byScalar,
      sparse(v.inputs.matrix).map((row) => row.filter(([j]) => j < 1)),
    );
  });

  it('matrix products (exact, dense and sparse)', () => {
    const v = load('math_matrix_products.json');
    const i = v.inputs;
    const e = v.expected;
    const m = mat(i.matrix);
    const sm = toSparse(m);
    assert.deepEqual(rowHadamard(m, vec(i.row_hadamard_v)), mat(e.row_hadamard));
    assert.deepEqual(rowHadamardSparse(sm, vec(i.row_hadamard_v)), toSparse(mat(e.row_hadamard)));
    assert.deepEqual(rowSum(m), vec(e.row_sum));
    assert.deepEqual(rowSumSparse(sm), vec(e.row_sum));
    assert.deepEqual(matmul(m, vec(i.matmul_v)), vec(e.matmul));
    assert.deepEqual(matmulSparse(sm, vec(i.matmul_v), 3), vec(e.matmul));
    assert.deepEqual(matmulTranspose(m, vec(i.matmul_transpose_v)), vec(e.matmul_transpose));
    assert.deepEqual(matmulTransposeSparse(sm, vec(i.matmul_transpose_v)), vec(e.matmul_transpose));
    assert.deepEqual(matVecMul(m, vec(i.mat_vec_mul_v)), mat(e.mat_vec_mul));
    assert.deepEqual(matVecMulSparse(sm, vec(i.mat_vec_mul_v)), toSparse(mat(e.mat_vec_mul)));
    const z = sparse(i.sparse_matrix_zeros);
    assert.deepEqual(matmulSparse(z, vec([1, 2, 3, 4]), 3), vec(e.sparse_zeros_matmul_v1234));
    assert.deepEqual(
      matmulTransposeSparse(z, vec([1, 2, 3])),
      vec(e.sparse_zeros_matmul_transpose_v123),
    );
    assert.deepEqual(rowSumSparse(z), vec(e.sparse_zeros_row_sum));
  });

  it('column clip (exact; sparse drops entries clipped to a threshold ≤ 0)', () => {
    const v = load('math_col_clip.json');
    const th = vec(v.inputs.threshold);
    assert.deepEqual(colClip(mat(v.inputs.dense_matrix), th), mat(v.expected.dense));
    assert.deepEqual(colClipSparse(sparse(v.inputs.sparse_matrix), th), sparse(v.expected.sparse));
  });

  it('weighted median (exact)', () => {
    const v = load('math_weighted_median.json');
    const minority = ONE - fromF32(v.inputs.majority);
    v.inputs.cases.forEach((c: { stake: number[]; score: number[] }, k: number) => {
      const stake = vec(c.stake);
      const hi = stake.reduce((a, b) => a + b, 0n);
      const idx = stake.map((_, i) => i);
      const got = weightedMedian(stake, vec(c.score), idx, minority, 0n, hi);
      assert.equal(got, fromF32(v.expected.cases[k]), `case ${k}`);
    });
    assert.equal(weightedMedian([], [], [], minority, 0n, 0n), 0n);
    const single = normalize(vec([0.51]));
    assert.equal(weightedMedian(single, vec([1]), [0], minority, 0n, single[0] as Fixed), ONE);
  });

  it('column weighted median, dense and sparse (exact)', () => {
    const v = load('math_weighted_median_col.json');
    v.inputs.cases.forEach(
      (c: { stake: number[]; weights: number[][]; majority: number }, k: number) => {
        const want = vec(v.expected.cases[k]);
        const w = mat(c.weights);
        const majority = fromF32(c.majority);
        assert.deepEqual(weightedMedianCol(vec(c.stake), w, majority), want, `dense ${k}`);
        const cols = w[0]?.length ?? 0;
        assert.deepEqual(
          weightedMedianColSparse(vec(c.stake), toSparse(w), cols, majority),
          want,
          `sparse ${k}`,
        );
      },
    );
  });

  it('interpolate (ratio 0 and 1 exact), dense and sparse', () => {
    const v = load('math_interpolate.json');
    v.inputs.cases.forEach((c: { A: number[][]; B: number[][]; ratio: number }, k: number) => {
      const ratio = fromF64(c.ratio);
      const want = mat(v.expected.cases[k]);
      const got = interpolate(mat(c.A), mat(c.B), ratio);
      const tol = ratio === 0n || ratio === ONE ? 0n : TOL_1E4;
      assertMatClose(got, want, tol, `case ${k}`);
      const cols = c.A[0]?.length ?? 0;
      const gotSparse = interpolateSparse(toSparse(mat(c.A)), toSparse(mat(c.B)), cols, ratio);
      assert.deepEqual(gotSparse, toSparse(got), `sparse case ${k}`);
    });
  });

  it('mat_ema_alpha (dense), compared in the I32F32 domain', () => {
    const v = load('math_mat_ema_alpha.json');
    v.inputs.cases.forEach((c: { new: number[][]; old: number[][]; alpha: number }, k: number) => {
      const a = fromF32(c.alpha);
      const alphas = c.new.map((row) => row.map(() => a));
      const got = matEmaAlpha(mat(c.new), mat(c.old), alphas);
      assertMatClose(got, mat(v.expected.cases[k]), TOL_1E4, `case ${k}`);
      for (const row of got) for (const x of row) assert.ok(x <= ONE, 'clamped at 1');
    });
  });

  it('mat_ema_alpha_sparse: only columns of the new row survive', () => {
    const v = load('math_mat_ema_alpha_sparse.json');
    const a = fromF32(v.inputs.alpha);
    const last = v.inputs.cases.length - 1;
    v.inputs.cases.forEach(
      (c: { new: [number, number][][]; old: [number, number][][] }, k: number) => {
        const alphas = c.new.map(() => [a, a, a]);
        const got = matEmaAlphaSparse(sparse(c.new), sparse(c.old), alphas);
        const tol = k === last ? fromF64(0.1) : TOL_1E4;
        assertSparseClose(got, sparse(v.expected.cases[k]), tol, `case ${k}`);
      },
    );
  });

  it('sigmoid_safe with the bit-exact exp (exact)', () => {
    const v = load('math_sigmoid_safe.json');
    const toX = (x: number | string, f64: boolean): Fixed =>
      x === 'I32F32::MIN'
        ? I32F32.min
        : x === 'I32F32::MAX'
          ? I32F32.max
          : f64
            ? fromF64(x as number)
            : fromF32(x as number);
    v.inputs.cases.forEach(
      (c: { rho: number; kappa: number; x: (number | string)[] }, k: number) => {
        const got = c.x.map((x) => sigmoidSafe(toX(x, k === 0), fromInt(c.rho), fromF64(c.kappa)));
        assert.deepEqual(got, (v.expected.cases[k] as number[]).map(fromF64), `case ${k}`);
      },
    );
  });

  it('EMA alpha from bonds_moving_average (exact bits)', () => {
    const v = load('math_fixed_alpha_from_bonds_moving_average.json');
    (v.inputs.bonds_moving_average as number[]).forEach((bma, k) => {
      const got = fixedAlphaFromBondsMovingAverage(BigInt(bma));
      assert.equal(got, BigInt(v.expected.alpha_raw_i32f32_bits[k]), `bma ${bma}`);
    });
  });

  it('mechanism split_emissions (exact, remainder to mechanism 0)', () => {
    const v = load('mechanism_split_emissions.json');
    v.inputs.cases.forEach(
      (c: { mechanism_count: number; split: number[] | null; alpha: number }, k: number) => {
        const got = splitEmissions(BigInt(c.alpha), c.mechanism_count, c.split);
        assert.deepEqual(got, (v.expected.cases[k] as number[]).map(BigInt), `case ${k}`);
      },
    );
  });
});

describe('math helpers beyond the vectors', () => {
  it('mat_ema_sparse keeps positive cells in column order and matches the dense EMA', () => {
    const next: SparseMatrix = [[[2, fromF32(0.5)]], [], [[0, ONE]]];
    const old: SparseMatrix = [[[0, ONE]], [[1, fromF32(0.25)]], []];
    const alpha = fromF32(0.1);
    const got = matEmaSparse(next, old, alpha);
    const dense = (m: SparseMatrix): DenseMatrix =>
      m.map((row) => {
        const d: Fixed[] = [0n, 0n, 0n];
        for (const [j, x] of row) d[j] = x;
        return d;
      });
    assert.deepEqual(got, toSparse(matEma(dense(next), dense(old), alpha)));
    assert.deepEqual(
      got[0]?.map(([j]) => j),
      [0, 2],
    );
  });

  it('the masks treat missing entries as masked, like upstream', () => {
    assert.deepEqual(maskVector([true], [ONE, ONE]), [0n, 0n]);
    assert.deepEqual(maskVector([], [ONE]), [ONE]);
    assert.deepEqual(maskRowsSparse([false], [[[0, ONE]], [[0, ONE]]]), [[[0, ONE]], []]);
  });

  it('splitEmissions validates its input', () => {
    assert.throws(() => splitEmissions(-1n, 2, null), RangeError);
    assert.throws(() => splitEmissions(1n << 64n, 2, null), RangeError);
    assert.throws(() => splitEmissions(10 as unknown as bigint, 2, null), TypeError);
    assert.throws(() => splitEmissions(10n, 1.5, null), TypeError);
    assert.throws(() => splitEmissions(10n, 256, null), RangeError);
    assert.throws(() => splitEmissions(10n, 2, [70000]), RangeError);
    assert.throws(() => splitEmissions(10n, 2, 'x' as unknown as number[]), TypeError);
    assert.deepEqual(splitEmissions(10n, 0, null), []);
    // Extra split entries are dropped, missing ones are 0; the remainder goes to mechanism 0.
    assert.deepEqual(splitEmissions(100n, 2, [65535, 65535, 65535]), [100n, 100n]);
    assert.deepEqual(splitEmissions(100n, 3, [32768, 32767]), [51n, 49n, 0n]);
  });
});
