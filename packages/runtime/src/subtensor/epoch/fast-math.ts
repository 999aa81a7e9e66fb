import { expSafe } from '@taoscript/codec';

/**
 * Exact I32F32 arithmetic on JS numbers. A raw I32F32 value (2^-32 units) is held as an integer
 * double; every kernel here returns the same integer the bigint definition gives, as long as its
 * stated operand bounds hold (checked by the property tests against math.ts). Where an operand is
 * too large the kernels fall back to bigint.
 */

// Private constants: hot functions must not read exported bindings (each read of a module export
// costs a cell load and a TDZ check, several times the arithmetic around it).
const TWO32 = 4294967296;
const TWO52 = 4503599627370496;
const TWO20 = 1048576;
const TWO26 = 67108864;
const TWO41 = 2199023255552;
const TWO37 = 137438953472;
const TWO68 = 2 ** 68;
const I32F32_MAX = 2n ** 63n - 1n;
const I32F32_MIN = -(2n ** 63n);

/**
 * floor(x·y / 2^32) for integers 0 ≤ x, y < 2^52, exact whenever the result is below 2^53.
 * Products below 2^52 are exact as they are. Below 2^68 with one operand under 2^37 the other is
 * split into 16-bit halves (x·y_hi and x·y_lo are exact, and floor((x·y_hi + floor(x·y_lo / 2^16))
 * / 2^16) is the nested-floor identity); otherwise both are split into 26-bit halves.
 */
export function mulFloor(x: number, y: number): number {
  const p = x * y;
  if (p < TWO52) return Math.floor(p / TWO32);
  if (p < TWO68) {
    if (x < TWO37) {
      const y1 = Math.floor(y / 65536);
      return Math.floor((x * y1 + Math.floor((x * (y - y1 * 65536)) / 65536)) / 65536);
    }
    if (y < TWO37) {
      const x1 = Math.floor(x / 65536);
      return Math.floor((y * x1 + Math.floor((y * (x - x1 * 65536)) / 65536)) / 65536);
    }
  }
  const xh = Math.floor(x / TWO26);
  const xl = x - xh * TWO26;
  const yh = Math.floor(y / TWO26);
  const yl = y - yh * TWO26;
  const cross = xh * yl + xl * yh;
  const c1 = Math.floor(cross / 64);
  const c0 = cross - c1 * 64;
  return xh * yh * TWO20 + c1 + Math.floor((c0 * TWO26 + xl * yl) / TWO32);
}

/** floor(x·y / 2^32) for integers with |x|, |y| < 2^52 (rounds toward −∞ like `saturating_mul`). */
export function mulFloorSigned(x: number, y: number): number {
  if (x >= 0 && y >= 0) return mulFloor(x, y);
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const q = mulFloor(ax, ay);
  // Math.imul gives the low 32 bits of the product: zero iff it is a multiple of 2^32.
  if (x < 0 !== y < 0) return Math.imul(ax, ay) === 0 ? -q : -q - 1;
  return q;
}

/** floor(a / b) for integers 0 ≤ a < 2^52, 0 < b < 2^53. */
export function idiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  return q;
}

/**
 * `safe_div` of non-negative raw values: floor(a·2^32 / b), 0 when b is 0 or the quotient leaves
 * I32F32. Exact long division in 11-bit steps when a, b < 2^41, else bigint.
 */
export function divFloor(a: number, b: number): number {
  if (b === 0) return 0;
  if (a < TWO20 && a >= 0 && b > 0) return idiv(a * TWO32, b);
  if (a >= 0 && b > 0 && a < TWO41 && b < TWO41 && a < b * TWO20) {
    let x = a * 2048;
    const q1 = idiv(x, b);
    x = (x - q1 * b) * 2048;
    const q2 = idiv(x, b);
    x = (x - q2 * b) * 1024;
    const q3 = idiv(x, b);
    return (q1 * 2048 + q2) * 1024 + q3;
  }
  const q = (BigInt(a) << 32n) / BigInt(b);
  return q < I32F32_MIN || q > I32F32_MAX ? 0 : Number(q);
}

const TWO40 = 1099511627776;

/** `normDiv`'s per-divisor constants for b > 0: [2^32 / b, floor(b / 2^20), b mod 2^20]. */
export function divisorParts(b: number): [number, number, number] {
  const hi = Math.floor(b / TWO20);
  return [TWO32 / b, hi, b - hi * TWO20];
}

/**
 * floor(a·2^32 / b) for the normalisation case 0 ≤ a ≤ b < 2^40 without a division: the
 * reciprocal gives the quotient within one, and the remainder a·2^32 − q·b is checked exactly
 * with b split at bit 20 (every partial product stays below 2^53). `recip`, `hi`, `lo` come from
 * `divisorParts(b)`. Other operands go to divFloor.
 */
export function normDiv(a: number, b: number, recip: number, hi: number, lo: number): number {
  if (a > b || b >= TWO40 || a < 0 || b <= 0) return divFloor(a, b);
  let q = Math.floor(a * recip);
  // r = a·2^32 − q·b = (a·2^12 − q·hi)·2^20 − q·lo, compared without forming r.
  const u = (a * 4096 - q * hi) * TWO20;
  const ql = q * lo;
  if (u < ql) q -= 1;
  else if (u >= ql + b) q += 1;
  return q;
}

const EXP_CLAMP = 20 * TWO32;
/** substrate_fixed's `consts::E` (23 fraction bits) as I32F32 raw bits. */
const E_RAW = 22802600 * 512;

const INV = Float64Array.from({ length: 32 }, (_, i) => (i === 0 ? 0 : 1 / i));

/**
 * `exp_safe` on a raw I32F32 number (substrate_fixed's truncated Taylor series, bit-exact).
 * Returns undefined when an intermediate would reach 2^52 (the caller then uses the bigint one).
 */
export function expSafeFast(x: number): number | undefined {
  if (x < -EXP_CLAMP) x = -EXP_CLAMP;
  else if (x > EXP_CLAMP) x = EXP_CLAMP;
  if (x === 0) return TWO32;
  if (x === TWO32) return E_RAW;
  const a = Math.abs(x);
  const ah = Math.floor(a / TWO26);
  const al = a - ah * TWO26;
  let result = a + TWO32;
  let term = a;
  for (let i = 2; i < 32; i++) {
    // term = floor(term·a / 2^32), as mulFloor with a's halves hoisted.
    let p = term * a;
    if (p < TWO52) p = Math.floor(p / TWO32);
    else {
      const th = Math.floor(term / TWO26);
      const tl = term - th * TWO26;
      const cross = th * al + tl * ah;
      const c1 = Math.floor(cross / 64);
      p = th * ah * TWO20 + c1 + Math.floor(((cross - c1 * 64) * TWO26 + tl * al) / TWO32);
      if (p >= TWO52) return undefined;
    }
    // term = trunc(p / i): the reciprocal product is within one of the quotient.
    let q = Math.floor(p * (INV[i] as number));
    if (q * i > p) q -= 1;
    else if ((q + 1) * i <= p) q += 1;
    if (q === 0) break;
    term = q;
    result += q;
    if (result >= TWO52) return undefined;
  }
  return x < 0 ? divFloor(TWO32, result) : result;
}

/** `exp_safe` on a raw I32F32 number, exact, using bigint when the fast series cannot. */
export function expSafeNumber(x: number): bigint {
  const r = expSafeFast(x);
  return r === undefined ? expSafe(BigInt(x)) : BigInt(r);
}

/** `fixed_proportion_to_u16` of a non-negative raw value below 2^37: floor(x·65535 / 2^32). */
export function proportionToU16(x: number): number {
  if (x <= 0) return 0;
  const v = Math.floor((x * 65535) / TWO32);
  return Math.min(v, 65535);
}

/**
 * Memo table from non-negative integer keys below 2^53 to numbers (open addressing on typed
 * arrays; several times cheaper than a Map with double keys). Stops remembering when half full.
 */
export class NumberMemo {
  private readonly keys: Float64Array;
  private readonly vals: Float64Array;
  private readonly mask: number;
  private size = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2 && cap < 1 << 22) cap *= 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.vals = new Float64Array(cap);
    this.mask = cap - 1;
  }

  private slot(key: number): number {
    let h = Math.imul(((key % TWO32) | 0) ^ ((key / TWO32) | 0), 0x9e3779b1) >>> 0;
    for (;;) {
      h &= this.mask;
      const k = this.keys[h] as number;
      if (k === key || k === -1) return h;
      h += 1;
    }
  }

  /** The remembered value, or undefined. */
  get(key: number): number | undefined {
    const h = this.slot(key);
    return this.keys[h] === key ? this.vals[h] : undefined;
  }

  /** Remembers a value (ignored once the table is half full). */
  set(key: number, value: number): void {
    if (this.size * 2 >= this.mask) return;
    const h = this.slot(key);
    if (this.keys[h] === -1) this.size += 1;
    this.keys[h] = key;
    this.vals[h] = value;
  }
}
