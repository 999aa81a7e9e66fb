import type { CoreResult, Prelude } from './common.js';
import {
  divFloor,
  divisorParts,
  expSafeFast,
  idiv,
  mulFloor,
  mulFloorSigned,
  NumberMemo,
  normDiv,
  proportionToU16,
} from './fast-math.js';
import { fromInt, sigmoidAlpha, steepnessFactor, u16ProportionToFixed } from './math.js';
import type { EpochInput, SparseRowU16 } from './types.js';

/**
 * The matrix stages of `epoch_mechanism` (spec §3 W, C, I, B) on compressed sparse rows of
 * integer doubles. Every raw value here is provably below 2^52 for any valid input with the EMA
 * coefficient in [0, 1] (weights and stakes are normalised, bonds are u16), so the exact kernels of
 * fast-math.ts give the same bits as the bigint reference; `fastCore` returns undefined outside
 * that range and the caller uses the reference.
 */

/** A sparse matrix in CSR form: row i is entries ptr[i]..ptr[i+1]. */
interface Csr {
  ptr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

const TWO32 = 4294967296;
const HALF = TWO32 / 2;
/** Default largest uids × positive-stake rows for the dense consensus score matrix (32 MiB). */
const DENSE_MEDIAN_CELLS = 1 << 22;
const TWO53 = 9007199254740992;

/** Maps u64 block numbers to doubles with the same order (exact when all are below 2^53). */
function orderKeys(groups: readonly (readonly bigint[])[]): Float64Array[] {
  let small = true;
  for (const g of groups) for (const v of g) if (v >= BigInt(TWO53)) small = false;
  if (small) return groups.map((g) => Float64Array.from(g, Number));
  const distinct = [...new Set(groups.flat())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = new Map(distinct.map((v, k) => [v, k]));
  return groups.map((g) => Float64Array.from(g, (v) => rank.get(v) as number));
}

/** Tuning of `fastCore` (tests use it to reach every code path on small inputs). */
export interface FastOptions {
  /** Largest uids × staked validators for the dense consensus matrix (default 2^22). */
  denseMedianCells?: number;
}

/** Runs the matrix stages, or returns undefined when the input is outside the fast range. */
export function fastCore(
  input: EpochInput,
  pre: Prelude,
  options: FastOptions = {},
): CoreResult | undefined {
  const alpha = Number(pre.emaAlpha);
  if (pre.emaAlpha < 0n || pre.emaAlpha > BigInt(TWO32)) return undefined;
  const { n, params: p } = input;
  const A = Float64Array.from(pre.activeStake, Number);

  const keyGroups: bigint[][] = [input.lastUpdate, input.blockAtRegistration, [pre.lastTempo]];
  if (pre.commitBlocks) keyGroups.push(pre.commitBlocks);
  const keys = orderKeys(keyGroups);
  const lastUpdate = keys[0] as Float64Array;
  const registered = keys[1] as Float64Array;
  const lastTempo = (keys[2] as Float64Array)[0] as number;
  const commit = pre.commitBlocks ? (keys[3] as Float64Array) : null;

  const W = loadWeights(input, pre, lastUpdate, registered, commit);
  const denseCells = options.denseMedianCells ?? DENSE_MEDIAN_CELLS;
  const consensus = weightedMedianCols(W, A, n, Number(pre.kappa), denseCells);
  const clipped = colClip(W, consensus);
  const validatorTrust = rowSums(clipped);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = A[i] as number;
    if (a === 0) continue;
    for (let t = clipped.ptr[i] as number; t < (clipped.ptr[i + 1] as number); t++) {
      const j = clipped.col[t] as number;
      ranks[j] = (ranks[j] as number) + mulFloor(a, clipped.val[t] as number);
    }
  }
  const incentive = normalizeVec(ranks);
  const bp = Number(pre.bondsPenalty);
  const Wb = bp === 0 ? W : bp === TWO32 ? clipped : interpolate(W, clipped, n, bp);

  let dividends: Float64Array;
  let stored: Csr;
  if (p.yuma3Enabled) {
    const B = loadBonds(input, lastTempo, registered, true);
    const ema =
      p.liquidAlphaEnabled && consensus.some((c) => c !== 0)
        ? emaLiquidAlpha(Wb, B, consensus, input)
        : emaSparse(Wb, B, n, alpha);
    const norm = colNormalize(ema, n);
    const totals = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = norm.ptr[i] as number; t < (norm.ptr[i + 1] as number); t++) {
        s += mulFloor(norm.val[t] as number, incentive[norm.col[t] as number] as number);
      }
      totals[i] = mulFloor(s, A[i] as number);
    }
    dividends = normalizeVec(totals);
    stored = ema;
  } else {
    let B = loadBonds(input, lastTempo, registered, false);
    B = colNormalizeU16(B, n);
    const delta: Csr = { ptr: Wb.ptr, col: Wb.col, val: new Float64Array(Wb.val.length) };
    for (let i = 0; i < n; i++) {
      const a = A[i] as number;
      for (let t = Wb.ptr[i] as number; t < (Wb.ptr[i + 1] as number); t++) {
        delta.val[t] = mulFloor(Wb.val[t] as number, a);
      }
    }
    const ema = colNormalize(emaSparse(colNormalize(delta, n, true), B, n, alpha), n, true);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = ema.ptr[i] as number; t < (ema.ptr[i + 1] as number); t++) {
        s += mulFloor(incentive[ema.col[t] as number] as number, ema.val[t] as number);
      }
      d[i] = s;
    }
    dividends = normalizeVec(d);
    stored = colMaxUpscale(ema, n);
  }
  const big = (v: Float64Array): bigint[] => Array.from(v, (x) => BigInt(x));
  return {
    consensus: big(consensus),
    validatorTrust: big(validatorTrust),
    incentive: big(incentive),
    dividends: big(dividends),
    bondRow: (i) => {
      const row: SparseRowU16 = [];
      for (let t = stored.ptr[i] as number; t < (stored.ptr[i + 1] as number); t++) {
        row.push([stored.col[t] as number, proportionToU16(stored.val[t] as number)]);
      }
      return row;
    },
  };
}

/** §3 W1–W5: permit rows, diagonal (owner kept), outdated and commit masks, row-normalise. */
function loadWeights(
  input: EpochInput,
  pre: Prelude,
  lastUpdate: Float64Array,
  registered: Float64Array,
  commit: Float64Array | null,
): Csr {
  const n = input.n;
  const owner = input.params.subnetOwnerUid;
  let total = 0;
  for (let i = 0; i < n; i++)
    if (pre.permits[i]) total += (input.weights[i] as SparseRowU16).length;
  const ptr = new Int32Array(n + 1);
  const col = new Int32Array(total);
  const val = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    ptr[i] = k;
    if (!pre.permits[i]) continue;
    const lu = lastUpdate[i] as number;
    const cb = commit ? (commit[i] as number) : -1;
    const start = k;
    let sum = 0;
    for (const [j, u] of input.weights[i] as SparseRowU16) {
      if (j === i && i !== owner) continue;
      const reg = registered[j] as number;
      if (lu <= reg) continue;
      if (commit && cb < reg) continue;
      col[k] = j;
      val[k] = u;
      sum += u;
      k++;
    }
    if (sum > 0) for (let t = start; t < k; t++) val[t] = idiv((val[t] as number) * TWO32, sum);
  }
  ptr[n] = k;
  return { ptr, col: col.subarray(0, k), val: val.subarray(0, k) };
}

/**
 * Stored bonds with the recently-registered columns dropped: as u16/65535 proportions (Yuma3) or
 * as the raw u16 integers (classic, turned into raw bits by `colNormalizeU16`).
 */
function loadBonds(
  input: EpochInput,
  lastTempo: number,
  registered: Float64Array,
  proportion: boolean,
): Csr {
  const n = input.n;
  let total = 0;
  for (let i = 0; i < n; i++) total += (input.bonds[i] as SparseRowU16).length;
  const ptr = new Int32Array(n + 1);
  const col = new Int32Array(total);
  const val = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    ptr[i] = k;
    for (const [j, u] of input.bonds[i] as SparseRowU16) {
      if (lastTempo <= (registered[j] as number)) continue;
      col[k] = j;
      val[k] = proportion ? idiv(u * TWO32, 65535) : u;
      k++;
    }
  }
  ptr[n] = k;
  return { ptr, col: col.subarray(0, k), val: val.subarray(0, k) };
}

/** `inplace_normalize`: divide by the sum unless it is 0. */
function normalizeVec(x: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  if (s === 0) return x;
  const out = new Float64Array(x.length);
  const [recip, hi, lo] = divisorParts(s);
  for (let i = 0; i < x.length; i++) out[i] = normDiv(x[i] as number, s, recip, hi, lo);
  return out;
}

function rowSums(m: Csr): Float64Array {
  const n = m.ptr.length - 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = m.ptr[i] as number; t < (m.ptr[i + 1] as number); t++) s += m.val[t] as number;
    out[i] = s;
  }
  return out;
}

/** Column normalisation of raw u16 bonds: floor(u·2^32 / Σ_column u). */
function colNormalizeU16(m: Csr, n: number): Csr {
  const sums = new Float64Array(n);
  for (let t = 0; t < m.col.length; t++) {
    const j = m.col[t] as number;
    sums[j] = (sums[j] as number) + (m.val[t] as number);
  }
  const val = new Float64Array(m.val.length);
  for (let t = 0; t < m.col.length; t++) {
    const s = sums[m.col[t] as number] as number;
    val[t] = s === 0 ? 0 : idiv((m.val[t] as number) * TWO32, s);
  }
  return { ptr: m.ptr, col: m.col, val };
}

/** Per-column divisor constants for `normDiv` (zero columns get 0s and are skipped). */
function divisors(d: Float64Array): [Float64Array, Float64Array, Float64Array] {
  const recip = new Float64Array(d.length);
  const hi = new Float64Array(d.length);
  const lo = new Float64Array(d.length);
  for (let j = 0; j < d.length; j++) {
    const b = d[j] as number;
    if (b === 0) continue;
    const parts = divisorParts(b);
    recip[j] = parts[0];
    hi[j] = parts[1];
    lo[j] = parts[2];
  }
  return [recip, hi, lo];
}

/** `inplace_col_normalize_sparse`: a copy, or in place when `inPlace`. */
function colNormalize(m: Csr, n: number, inPlace = false): Csr {
  const sums = new Float64Array(n);
  const cols = m.col;
  const vals = m.val;
  for (let t = 0; t < cols.length; t++) {
    const j = cols[t] as number;
    sums[j] = (sums[j] as number) + (vals[t] as number);
  }
  const [recip, hi, lo] = divisors(sums);
  const val = inPlace ? vals : new Float64Array(vals.length);
  for (let t = 0; t < cols.length; t++) {
    const j = cols[t] as number;
    const s = sums[j] as number;
    const v = vals[t] as number;
    val[t] = s === 0 ? v : normDiv(v, s, recip[j] as number, hi[j] as number, lo[j] as number);
  }
  return { ptr: m.ptr, col: cols, val };
}

/** `inplace_col_max_upscale_sparse`, in place. */
function colMaxUpscale(m: Csr, n: number): Csr {
  const maxes = new Float64Array(n);
  const cols = m.col;
  const vals = m.val;
  for (let t = 0; t < cols.length; t++) {
    const j = cols[t] as number;
    if ((vals[t] as number) > (maxes[j] as number)) maxes[j] = vals[t] as number;
  }
  const [recip, hi, lo] = divisors(maxes);
  for (let t = 0; t < cols.length; t++) {
    const j = cols[t] as number;
    const mx = maxes[j] as number;
    if (mx !== 0) {
      vals[t] = normDiv(
        vals[t] as number,
        mx,
        recip[j] as number,
        hi[j] as number,
        lo[j] as number,
      );
    }
  }
  return m;
}

/** `col_clip_sparse`. */
function colClip(m: Csr, threshold: Float64Array): Csr {
  const n = m.ptr.length - 1;
  const ptr = new Int32Array(n + 1);
  const col = new Int32Array(m.col.length);
  const val = new Float64Array(m.col.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    ptr[i] = k;
    for (let t = m.ptr[i] as number; t < (m.ptr[i + 1] as number); t++) {
      const j = m.col[t] as number;
      const v = m.val[t] as number;
      const th = threshold[j] as number;
      if (th < v) {
        if (th > 0) {
          col[k] = j;
          val[k++] = th;
        }
      } else {
        col[k] = j;
        val[k++] = v;
      }
    }
  }
  ptr[n] = k;
  return { ptr, col: col.subarray(0, k), val: val.subarray(0, k) };
}

/** `interpolate_sparse` for 0 < ratio < 1: densified rows, cells > 0 in column order. */
function interpolate(a: Csr, b: Csr, n: number, ratio: number): Csr {
  const rows: Array<{ col: number[]; val: number[] }> = [];
  const d1 = new Float64Array(n);
  const d2 = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = { col: [] as number[], val: [] as number[] };
    const a0 = a.ptr[i] as number;
    const a1 = a.ptr[i + 1] as number;
    const b0 = b.ptr[i] as number;
    const b1 = b.ptr[i + 1] as number;
    if (a0 !== a1 || b0 !== b1) {
      for (let t = a0; t < a1; t++) d1[a.col[t] as number] = a.val[t] as number;
      for (let t = b0; t < b1; t++) d2[b.col[t] as number] = b.val[t] as number;
      for (let j = 0; j < n; j++) {
        const v1 = d1[j] as number;
        const v = v1 + mulFloorSigned(ratio, (d2[j] as number) - v1);
        if (v > 0) {
          r.col.push(j);
          r.val.push(v);
        }
      }
      for (let t = a0; t < a1; t++) d1[a.col[t] as number] = 0;
      for (let t = b0; t < b1; t++) d2[b.col[t] as number] = 0;
    }
    total += r.col.length;
    rows.push(r);
  }
  return fromRows(rows, total);
}

function fromRows(rows: Array<{ col: number[]; val: number[] }>, total: number): Csr {
  const ptr = new Int32Array(rows.length + 1);
  const col = new Int32Array(total);
  const val = new Float64Array(total);
  let k = 0;
  rows.forEach((r, i) => {
    ptr[i] = k;
    col.set(r.col, k);
    val.set(r.val, k);
    k += r.col.length;
  });
  ptr[rows.length] = k;
  return { ptr, col, val };
}

/**
 * `mat_ema_sparse`: alpha·new + (1 − alpha)·old per cell (floor multiplies), cells > 0 in
 * column order. Only the touched columns of each row are visited.
 */
function emaSparse(next: Csr, old: Csr, n: number, alpha: number): Csr {
  const oneMinus = TWO32 - alpha;
  const acc = new Float64Array(n);
  const mark = new Uint8Array(n);
  const touched = new Int32Array(n);
  const cap = next.col.length + old.col.length;
  const ptr = new Int32Array(n + 1);
  const col = new Int32Array(cap);
  const val = new Float64Array(cap);
  let k = 0;
  for (let i = 0; i < n; i++) {
    ptr[i] = k;
    const n0 = next.ptr[i] as number;
    const n1 = next.ptr[i + 1] as number;
    const o0 = old.ptr[i] as number;
    const o1 = old.ptr[i + 1] as number;
    if (isSorted(next.col, n0, n1) && isSorted(old.col, o0, o1)) {
      // Both rows in column order: merge them (same sums as the dense accumulator).
      let a = n0;
      let b = o0;
      while (a < n1 || b < o1) {
        const ja = a < n1 ? (next.col[a] as number) : n;
        const jb = b < o1 ? (old.col[b] as number) : n;
        let v = 0;
        let j: number;
        if (ja <= jb) {
          j = ja;
          v = mulFloor(alpha, next.val[a++] as number);
          if (jb === ja) v += mulFloor(oneMinus, old.val[b++] as number);
        } else {
          j = jb;
          v = mulFloor(oneMinus, old.val[b++] as number);
        }
        if (v > 0) {
          col[k] = j;
          val[k++] = v;
        }
      }
      continue;
    }
    let nt = 0;
    for (let t = next.ptr[i] as number; t < (next.ptr[i + 1] as number); t++) {
      const j = next.col[t] as number;
      if (mark[j] === 0) {
        mark[j] = 1;
        touched[nt++] = j;
      }
      acc[j] = (acc[j] as number) + mulFloor(alpha, next.val[t] as number);
    }
    for (let t = old.ptr[i] as number; t < (old.ptr[i + 1] as number); t++) {
      const j = old.col[t] as number;
      if (mark[j] === 0) {
        mark[j] = 1;
        touched[nt++] = j;
      }
      acc[j] = (acc[j] as number) + mulFloor(oneMinus, old.val[t] as number);
    }
    if (nt === 0) continue;
    if (nt * 8 > n) {
      for (let j = 0; j < n; j++) {
        if (mark[j] === 0) continue;
        const v = acc[j] as number;
        if (v > 0) {
          col[k] = j;
          val[k++] = v;
        }
        acc[j] = 0;
        mark[j] = 0;
      }
    } else {
      const list = touched.subarray(0, nt).sort();
      for (let s = 0; s < nt; s++) {
        const j = list[s] as number;
        const v = acc[j] as number;
        if (v > 0) {
          col[k] = j;
          val[k++] = v;
        }
        acc[j] = 0;
        mark[j] = 0;
      }
    }
  }
  ptr[n] = k;
  return { ptr, col: col.subarray(0, k), val: val.subarray(0, k) };
}

function isSorted(col: Int32Array, from: number, to: number): boolean {
  for (let t = from + 1; t < to; t++)
    if ((col[t] as number) <= (col[t - 1] as number)) return false;
  return true;
}

/** The value upstream's forward-only cursor reports for columns 0..n−1 of one row. */
function walkRow(m: Csr, i: number, n: number, out: Float64Array): void {
  out.fill(0);
  let t = m.ptr[i] as number;
  const end = m.ptr[i + 1] as number;
  for (let j = 0; j < n && t < end; j++) {
    while (t < end && (m.col[t] as number) < j) t++;
    if (t < end && (m.col[t] as number) === j) out[j] = m.val[t] as number;
  }
}

/**
 * Yuma3 liquid alpha: `compute_liquid_alpha_values_sparse` + `mat_ema_alpha_sparse`. Only the
 * alphas of the columns present in each W_b row are used upstream, so only those are computed;
 * the sigmoid is memoised on the distance d (it depends on nothing else within one epoch).
 */
function emaLiquidAlpha(Wb: Csr, B: Csr, consensus: Float64Array, input: EpochInput): Csr {
  const n = input.n;
  const p = input.params;
  const lowB = u16ProportionToFixed(p.alphaValuesU16[0]);
  const highB = u16ProportionToFixed(p.alphaValuesU16[1]);
  const factorB = steepnessFactor(fromInt(p.alphaSigmoidSteepness));
  const low = Number(lowB);
  const high = Number(highB);
  const factor = Number(factorB);
  const memo = new NumberMemo(Wb.col.length);
  const alphaOf = (d: number): number => {
    const hit = memo.get(d);
    if (hit !== undefined) return hit;
    let a: number;
    const e = expSafeFast(mulFloorSigned(factor, d - HALF));
    if (e === undefined) a = Number(sigmoidAlpha(BigInt(d), lowB, highB, factorB));
    else {
      const sigmoid = divFloor(TWO32, TWO32 + e);
      a = low + mulFloorSigned(sigmoid, high - low);
      if (a > high) a = high;
      if (a < low) a = low;
    }
    memo.set(d, a);
    return a;
  };
  const bVal = new Float64Array(n);
  const bHas = new Uint8Array(n);
  const wWalk = new Float64Array(n);
  const bWalk = new Float64Array(n);
  const ptr = new Int32Array(n + 1);
  const col = new Int32Array(Wb.col.length);
  const val = new Float64Array(Wb.col.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    ptr[i] = k;
    const w0 = Wb.ptr[i] as number;
    const w1 = Wb.ptr[i + 1] as number;
    if (w0 === w1) continue;
    const b0 = B.ptr[i] as number;
    const b1 = B.ptr[i + 1] as number;
    for (let t = b0; t < b1; t++) {
      bVal[B.col[t] as number] = B.val[t] as number;
      bHas[B.col[t] as number] = 1;
    }
    const sorted = isSorted(Wb.col, w0, w1) && isSorted(B.col, b0, b1);
    if (!sorted) {
      walkRow(Wb, i, n, wWalk);
      walkRow(B, i, n, bWalk);
    }
    for (let t = w0; t < w1; t++) {
      const j = Wb.col[t] as number;
      const w = Wb.val[t] as number;
      const has = bHas[j] === 1;
      if (w === 0 && (!has || bVal[j] === 0)) continue; // 0 whatever alpha is: not stored
      const wl = sorted ? w : (wWalk[j] as number);
      const bl = sorted ? (has ? (bVal[j] as number) : 0) : (bWalk[j] as number);
      let d = wl >= bl ? wl - (consensus[j] as number) : bl - wl;
      if (d < 0) d = 0;
      else if (d > TWO32) d = TWO32;
      const a = alphaOf(d);
      const decayed = has ? mulFloor(TWO32 - a, bVal[j] as number) : 0;
      let v = decayed + mulFloor(a, w);
      if (v > TWO32) v = TWO32;
      if (v > 0) {
        col[k] = j;
        val[k++] = v;
      }
    }
    for (let t = b0; t < b1; t++) bHas[B.col[t] as number] = 0;
  }
  ptr[n] = k;
  return { ptr, col: col.subarray(0, k), val: val.subarray(0, k) };
}

/** `weighted_median_col_sparse` (spec §4) with one reusable score column. */
function weightedMedianCols(
  W: Csr,
  A: Float64Array,
  n: number,
  kappa: number,
  denseCells: number,
): Float64Array {
  const rows: number[] = [];
  let sumA = 0;
  for (let i = 0; i < n; i++) {
    if ((A[i] as number) > 0) {
      rows.push(i);
      sumA += A[i] as number;
    }
  }
  const v = rows.length;
  const stake = new Float64Array(v);
  let stakeSum = 0;
  for (let k = 0; k < v; k++) {
    stake[k] = divFloor(A[rows[k] as number] as number, sumA);
    stakeSum += stake[k] as number;
  }
  const minority = stakeSum - kappa;
  const consensus = new Float64Array(n);
  const bufs: [Int32Array, Int32Array, Int32Array] = [
    new Int32Array(v),
    new Int32Array(v),
    new Int32Array(v),
  ];
  if (n * v <= denseCells) {
    // Column-major scores of the positive-stake rows: column j is dense[j·v .. j·v + v).
    const dense = new Float64Array(n * v);
    const count = new Int32Array(n);
    for (let k = 0; k < v; k++) {
      const i = rows[k] as number;
      for (let t = W.ptr[i] as number; t < (W.ptr[i + 1] as number); t++) {
        const j = W.col[t] as number;
        dense[j * v + k] = W.val[t] as number;
        count[j] = (count[j] as number) + 1;
      }
    }
    for (let j = 0; j < n; j++) {
      if (count[j] === 0) continue; // every score 0: the median is 0
      consensus[j] = weightedMedian(stake, dense, j * v, v, minority, stakeSum, bufs);
    }
    return consensus;
  }
  const colPtr = new Int32Array(n + 1);
  for (const i of rows) {
    for (let t = W.ptr[i] as number; t < (W.ptr[i + 1] as number); t++) {
      const at = (W.col[t] as number) + 1;
      colPtr[at] = (colPtr[at] as number) + 1;
    }
  }
  for (let j = 0; j < n; j++) colPtr[j + 1] = (colPtr[j + 1] as number) + (colPtr[j] as number);
  const fill = colPtr.slice(0, n);
  const cscRow = new Int32Array(colPtr[n] as number);
  const cscVal = new Float64Array(colPtr[n] as number);
  for (let k = 0; k < v; k++) {
    const i = rows[k] as number;
    for (let t = W.ptr[i] as number; t < (W.ptr[i + 1] as number); t++) {
      const j = W.col[t] as number;
      const at = fill[j] as number;
      cscRow[at] = k;
      cscVal[at] = W.val[t] as number;
      fill[j] = at + 1;
    }
  }
  const score = new Float64Array(v);
  for (let j = 0; j < n; j++) {
    const c0 = colPtr[j] as number;
    const c1 = colPtr[j + 1] as number;
    if (c0 === c1) continue; // every score 0: the median is 0
    for (let t = c0; t < c1; t++) score[cscRow[t] as number] = cscVal[t] as number;
    consensus[j] = weightedMedian(stake, score, 0, v, minority, stakeSum, bufs);
    for (let t = c0; t < c1; t++) score[cscRow[t] as number] = 0;
  }
  return consensus;
}

/** `weighted_median` over all indices 0..len−1 (lo = 0, hi = stakeSum); scores at `off + k`. */
function weightedMedian(
  stake: Float64Array,
  score: Float64Array,
  off: number,
  len: number,
  minority: number,
  stakeSum: number,
  bufs: [Int32Array, Int32Array, Int32Array],
): number {
  let cur = bufs[0];
  let lower = bufs[1];
  let upper = bufs[2];
  for (let k = 0; k < len; k++) cur[k] = k;
  let lo = 0;
  let hi = stakeSum;
  let counter = 0;
  const limit = len;
  for (;;) {
    if (len === 0) return 0;
    if (len === 1) return score[off + (cur[0] as number)] as number;
    const pivot = score[off + (cur[len >> 1] as number)] as number;
    let loStake = 0;
    let hiStake = 0;
    let nl = 0;
    let nu = 0;
    // Branch-free partition: both lists are written, only the matching one advances.
    for (let t = 0; t < len; t++) {
      const idx = cur[t] as number;
      const s = score[off + idx] as number;
      const st = stake[idx] as number;
      const isLo = s < pivot ? 1 : 0;
      const isHi = s > pivot ? 1 : 0;
      lower[nl] = idx;
      upper[nu] = idx;
      nl += isLo;
      nu += isHi;
      loStake += isLo * st;
      hiStake += isHi * st;
    }
    if (minority < lo + loStake && nl > 0) {
      const keep = lower;
      lower = cur;
      cur = keep;
      len = nl;
      hi = lo + loStake;
    } else if (hi - hiStake <= minority && nu > 0) {
      const keep = upper;
      upper = cur;
      cur = keep;
      len = nu;
      lo = hi - hiStake;
    } else return pivot;
    counter += 1;
    if (counter > limit) return 0;
  }
}
