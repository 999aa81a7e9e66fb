import { fxDiv, fxMul, fxSub, U64F64 } from '@taoscript/codec';

/**
 * The Swap pallet's weighted (Balancer) pool, as pure bigint functions, bit-exact to subtensor
 * 14bc6f9f (pallets/swap: balancer.rs, swap_step.rs, impls.rs) and the safe-bigmath
 * `pow_ratio_scaled` it calls.
 *
 * Notation: x = alpha reserve (base, `SubnetAlphaIn`), y = TAO reserve (quote, `SubnetTAO`),
 * w2 = quote weight (stored as a Perquintill: u64 parts of 1e18), w1 = 1 − w2.
 * Prices are U64F64 raw bits (TAO per alpha); amounts and reserves are u64 bigints.
 * Only dynamic (mechanism 1) pools run through here; stable subnets swap 1:1 in the caller.
 */

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;

/** Perquintill accuracy: 1.0 = 1e18 parts. */
export const PERQUINTILL_ONE = 1_000_000_000_000_000_000n;
/** Smallest allowed pool weight (0.01) in Perquintill parts. */
export const MIN_WEIGHT = PERQUINTILL_ONE / 100n;
/** Default quote weight (0.5) in Perquintill parts; `SwapBalancer`'s default. */
export const DEFAULT_QUOTE_WEIGHT = PERQUINTILL_ONE / 2n;
/** `MAX_SWAP_INPUT_RESERVE_MULTIPLIER`: net input may be at most 1000× the input reserve. */
export const MAX_SWAP_INPUT_RESERVE_MULTIPLIER = 1_000n;
/** The runtime's `SwapMinimumReserve`: the output reserve must hold at least this much. */
export const SWAP_MINIMUM_RESERVE = 1_000_000n;
/** `DefaultFeeRate`: 33/65535 ≈ 0.05%. */
export const DEFAULT_FEE_RATE = 33;
/** Lowest limit price, in RAO per alpha (`min_price`; the default limit of a sell). */
export const MIN_PRICE_RAO = 1_000n;
/** Highest limit price, in RAO per alpha (`max_price`; the default limit of a buy). */
export const MAX_PRICE_RAO = 1_000_000_000_000_000n;

const U64F64_ONE = U64F64.one;
const SCALE_1E18 = PERQUINTILL_ONE;

/** Swap pallet error names (pallet index 28) these functions can return. */
export type SwapErrorCode =
  | 'InsufficientInputAmount'
  | 'SwapInputTooLarge'
  | 'ReservesTooLow'
  | 'PriceLimitExceeded'
  | 'InsufficientLiquidity'
  | 'ReservesOutOfBalance';

/** Pool state read from storage: reserves and the stored quote weight. */
export type BalancerPool = {
  /** y: `SubnetTAO` (u64). */
  readonly taoReserve: bigint;
  /** x: `SubnetAlphaIn` (u64). */
  readonly alphaReserve: bigint;
  /** w2: `SwapBalancer.quote`, Perquintill parts in [MIN_WEIGHT, 1e18 − MIN_WEIGHT]. */
  readonly quote: bigint;
};

/** Swap direction: `buy` = TAO in, alpha out (GetAlphaForTao); `sell` = alpha in, TAO out. */
export type SwapDirection = 'buy' | 'sell';

/** Inputs of one swap. */
export type SwapParameters = {
  readonly direction: SwapDirection;
  /** Gross input amount (fee included), u64. */
  readonly amount: bigint;
  /** Limit price as U64F64 raw bits (see `limitPriceFromRao`). */
  readonly limitPrice: bigint;
  /** `FeeRate[netuid]`, normalised by 65535. */
  readonly feeRate: number;
  /** `drop_fees`: no fee at all. */
  readonly dropFees?: boolean;
  /** `simulate` / `should_rollback`: skips the output-reserve liquidity check. */
  readonly simulate?: boolean;
  /** `PalSwapInitialized[netuid]`; when false the pool is (re)initialised to w2 = 0.5 first. */
  readonly initialized?: boolean;
  /** `MinimumReserve` (runtime: 1_000_000). */
  readonly minimumReserve?: bigint;
};

/** A successful swap: upstream's `SwapResult` plus the weight the swap ran with. */
export type SwapOk = {
  readonly ok: true;
  /** Net input that enters the input reserve (fee excluded). */
  readonly amountPaidIn: bigint;
  /** Output taken from the output reserve. */
  readonly amountPaidOut: bigint;
  /** Fee charged on top of `amountPaidIn`, in the input token. */
  readonly feePaid: bigint;
  /** Fee owed to the block author (0 when nothing was swapped). */
  readonly feeToBlockAuthor: bigint;
  /** Quote weight used (equals the pool's, or 0.5 if it had to be initialised). */
  readonly quote: bigint;
  /** True when the balancer was initialised by this swap (caller persists quote + flag). */
  readonly initializedBalancer: boolean;
};

/** A failed swap, with the Swap pallet's error name. */
export type SwapErr = { readonly ok: false; readonly error: SwapErrorCode };

/** Outcome of `swap`. */
export type SwapOutcome = SwapOk | SwapErr;

// ---- input checks (programmer errors throw) -----------------------------------------------------

function assertBig(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
}

function assertU64(v: unknown, what: string): asserts v is bigint {
  assertBig(v, what);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

function assertU128(v: unknown, what: string): asserts v is bigint {
  assertBig(v, what);
  if (v < 0n || v > U128_MAX) throw new RangeError(`${what}: ${v} is outside u128`);
}

function assertQuote(q: unknown, what: string): asserts q is bigint {
  assertBig(q, what);
  if (q < MIN_WEIGHT || q > PERQUINTILL_ONE - MIN_WEIGHT) {
    throw new RangeError(`${what}: quote weight ${q} is outside [0.01, 0.99] (Perquintill parts)`);
  }
}

function assertFeeRate(r: unknown): asserts r is number {
  if (typeof r !== 'number') throw new TypeError(`feeRate: expected a number, got ${typeof r}`);
  if (!Number.isInteger(r) || r < 0 || r > 65535) {
    throw new RangeError(`feeRate: expected an integer in [0, 65535], got ${r}`);
  }
}

function assertPool(pool: unknown): asserts pool is BalancerPool {
  if (typeof pool !== 'object' || pool === null) throw new TypeError('pool: expected an object');
  const p = pool as Record<string, unknown>;
  assertU64(p.taoReserve, 'pool.taoReserve');
  assertU64(p.alphaReserve, 'pool.alphaReserve');
  assertQuote(p.quote, 'pool.quote');
}

const satU64 = (v: bigint): bigint => (v > U64_MAX ? U64_MAX : v < 0n ? 0n : v);
const satU128 = (v: bigint): bigint => (v > U128_MAX ? U128_MAX : v);
const u64ToFixed = (v: bigint): bigint => v << 64n;
const fixedToU64 = (raw: bigint): bigint => satU64(raw >> 64n);

// ---- Perquintill --------------------------------------------------------------------------------

/**
 * `Perquintill::from_rational(p, q)`: floor(p·1e18/q); 1.0 when q = 0 or p > q.
 * @example
 * import { perquintillFromRational } from '@taoscript/runtime';
 * perquintillFromRational(1n, 3n); // 333333333333333333n
 */
export function perquintillFromRational(p: bigint, q: bigint): bigint {
  assertBig(p, 'perquintillFromRational p');
  assertBig(q, 'perquintillFromRational q');
  if (p < 0n || q < 0n) throw new RangeError('perquintillFromRational: negative argument');
  if (q === 0n || p > q) return PERQUINTILL_ONE;
  return (p * PERQUINTILL_ONE) / q;
}

/**
 * Balancer's `mul_perquintill_round`: value·parts/1e18 rounded half up, capped at u128::MAX.
 * @example
 * import { mulPerquintillRound } from '@taoscript/runtime';
 * mulPerquintillRound(500_000_000_000_000_000n, 3n); // 2n
 */
export function mulPerquintillRound(parts: bigint, value: bigint): bigint {
  assertBig(parts, 'mulPerquintillRound parts');
  if (parts < 0n || parts > PERQUINTILL_ONE) {
    throw new RangeError(`mulPerquintillRound: ${parts} is not a Perquintill`);
  }
  assertU128(value, 'mulPerquintillRound value');
  const r = (value * parts + PERQUINTILL_ONE / 2n) / PERQUINTILL_ONE;
  return satU128(r);
}

/**
 * Balancer's weight constraint: both w2 and 1 − w2 are at least 0.01.
 * @example
 * import { isValidQuoteWeight } from '@taoscript/runtime';
 * isValidQuoteWeight(500_000_000_000_000_000n); // true
 */
export function isValidQuoteWeight(quote: bigint): boolean {
  assertBig(quote, 'isValidQuoteWeight');
  const base = quote >= PERQUINTILL_ONE ? 0n : PERQUINTILL_ONE - quote;
  return base >= MIN_WEIGHT && quote >= MIN_WEIGHT;
}

// ---- safe-bigmath pow_ratio_scaled --------------------------------------------------------------

const MAX_EXACT_EXPONENT = 1024n;
const DEFAULT_MAX_ITERS = 4096;
const GUARD_BITS = 24;
const GUARD_SHIFT = BigInt(GUARD_BITS);
const GUARD = 1n << GUARD_SHIFT;
const HALF_GUARD = GUARD >> 1n;
const U32_MAX = 0xffff_ffffn;

/** Number of bits of a non-negative bigint (0 for 0). */
function bitLength(v: bigint): number {
  if (v === 0n) return 0;
  if (v <= 0xffff_ffffn) return 32 - Math.clz32(Number(v));
  const hex = v.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(Number.parseInt(hex[0] as string, 16));
}

/** floor(a / b) for b > 0 (bigint `/` truncates toward zero). */
function floorDivPos(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** floor(a^(1/q)) for a ≥ 0, q ≥ 2, by integer Newton from above, then checked. */
function integerRoot(a: bigint, q: bigint): bigint {
  if (a < 2n) return a;
  const qn = Number(q);
  const q1 = q - 1n;
  // 2^ceil(bits/q) > a^(1/q): Newton's integer iteration decreases monotonically to the floor root.
  let x = 1n << BigInt(Math.ceil(bitLength(a) / qn));
  for (;;) {
    const y = (q1 * x + a / x ** q1) / q;
    if (y >= x) break;
    x = y;
  }
  while (x ** q > a) x -= 1n;
  while ((x + 1n) ** q <= a) x += 1n;
  return x;
}

/**
 * The largest m with m^q·den ≤ num (num ≥ 0, den > 0): m^q·den ≤ num ⇔ m^q ≤ ⌊num/den⌋ since m^q
 * is an integer, so this is the integer q-th root of the floored quotient.
 */
function nthRootRatioFloor(num: bigint, den: bigint, q: bigint): bigint {
  if (q === 0n) return 0n;
  const a = num / den;
  return q === 1n ? a : integerRoot(a, q);
}

/**
 * Rounds value / 2^24 to the nearest integer, ties away from zero (upstream's
 * `round_to_precision` with the fixed guard).
 */
function roundGuard(value: bigint): bigint {
  return value < 0n ? -((HALF_GUARD - value) >> GUARD_SHIFT) : (value + HALF_GUARD) >> GUARD_SHIFT;
}

const SMALL_N: bigint[] = [];
const bigN = (n: number): bigint => {
  let b = SMALL_N[n];
  if (b === undefined) {
    b = BigInt(n);
    if (n < 8192) SMALL_N[n] = b;
  }
  return b;
};

// The series below follow upstream's loops step for step (same truncations, caps and early
// exits); the scale is 2^bits, so floor division by it is an arithmetic right shift. Upstream
// also stops when round(result / 2^24) did not change, but that needs |step| < 2^24 (each
// rounding bucket is at most 2^24 wide), where the step-size exit stops the loop anyway.

function ln1pFixed(x: bigint, bits: bigint, maxIters: number): bigint {
  // x = m·2^k (k ≤ bits) makes ⌊t·x / 2^bits⌋ = ⌊t·m / 2^(bits−k)⌋. A ln mantissa is the value
  // shifted up, so m is often as short as the value (~64 bits) rather than bits + 24 long.
  let m = x;
  let shift = bits;
  if (x !== 0n) {
    let k = BigInt(bitLength(x & -x) - 1);
    if (k > bits) k = bits;
    m = x >> k;
    shift = bits - k;
  }
  let term = x;
  let result = term;
  for (let n = 2; n <= maxIters; n++) {
    term = (term * m) >> shift;
    if (term === 0n) break;
    const next = floorDivPos(term, bigN(n));
    if (next === 0n) break;
    if (n % 2 === 0) result -= next;
    else result += next;
    if (next < GUARD && next > -GUARD) break;
  }
  return result;
}

function expFixed(x: bigint, bits: bigint, maxIters: number): bigint {
  let term = 1n << bits;
  let result = term;
  for (let n = 1; n <= maxIters; n++) {
    // ⌊t·x / (2^bits·n)⌋ = ⌊⌊t·x / 2^bits⌋ / n⌋
    term = floorDivPos((term * x) >> bits, bigN(n));
    if (term === 0n) break;
    result += term;
    if (term < GUARD && term > -GUARD) break;
  }
  return result;
}

function lnBig(
  value: bigint,
  internalPrecision: number,
  internalScale: bigint,
  lnTwo: bigint,
  maxIters: number,
): bigint {
  let shift = BigInt(bitLength(value) - 1);
  let mantissa = (value << BigInt(internalPrecision)) >> shift;
  if (mantissa >= internalScale + (internalScale >> 1n)) {
    mantissa >>= 1n;
    shift += 1n;
  }
  return ln1pFixed(mantissa - internalScale, BigInt(internalPrecision), maxIters) + lnTwo * shift;
}

const lnTwoCache = new Map<string, bigint>();

function lnTwoFor(internalScale: bigint, internalPrecision: number, iters: number): bigint {
  const key = `${internalPrecision}:${iters}`;
  let v = lnTwoCache.get(key);
  if (v === undefined) {
    v = -ln1pFixed(-(internalScale >> 1n), BigInt(internalPrecision), iters);
    lnTwoCache.set(key, v);
  }
  return v;
}

/**
 * safe-bigmath `SafeInt::pow_ratio_scaled`: floor(scale · (bn/bd)^(en/ed)), bit for bit.
 *
 * Computed exactly when the reduced exponent parts are ≤ 1024 (an integer root of the floored
 * ratio), else by its guarded fixed-point ln/exp series (same truncations, iteration caps and
 * early exits). Undefined where upstream returns None.
 * @example
 * import { powRatioScaled } from '@taoscript/runtime';
 * powRatioScaled(2n, 3n, 1n, 2n, 0, 1000n); // 816n
 */
export function powRatioScaled(
  baseNumerator: bigint,
  baseDenominator: bigint,
  exponentNumerator: bigint,
  exponentDenominator: bigint,
  precision: number,
  scale: bigint,
  maxIters?: number,
): bigint | undefined {
  assertBig(baseNumerator, 'powRatioScaled baseNumerator');
  assertBig(baseDenominator, 'powRatioScaled baseDenominator');
  assertBig(exponentNumerator, 'powRatioScaled exponentNumerator');
  assertBig(exponentDenominator, 'powRatioScaled exponentDenominator');
  assertBig(scale, 'powRatioScaled scale');
  if (!Number.isInteger(precision) || precision < 0 || precision > 0xffff_ffff) {
    throw new RangeError(`powRatioScaled precision: expected a u32, got ${precision}`);
  }
  if (maxIters !== undefined && (!Number.isInteger(maxIters) || maxIters < 0)) {
    throw new RangeError(`powRatioScaled maxIters: expected a non-negative integer`);
  }
  if (baseDenominator === 0n || exponentDenominator === 0n) return undefined;
  if (baseNumerator === 0n) return 0n;
  if (scale < 0n) return undefined;
  if (baseNumerator < 0n || baseDenominator < 0n) return undefined;
  if (exponentNumerator < 0n || exponentDenominator < 0n) return undefined;
  let en = exponentNumerator;
  let ed = exponentDenominator;
  if (en === 0n) return scale;
  const g = gcd(en, ed);
  if (g > 1n) {
    en /= g;
    ed /= g;
  }
  if (en <= U32_MAX && ed <= U32_MAX && en <= MAX_EXACT_EXPONENT && ed <= MAX_EXACT_EXPONENT) {
    const num = baseNumerator ** en * scale ** ed;
    const den = baseDenominator ** en;
    return nthRootRatioFloor(num, den, ed);
  }
  // Guarded fixed-point ln/exp fallback.
  const scaleBits = bitLength(scale);
  const requested = Math.max(precision, 32, Math.min(scaleBits + 8, 0xffff_ffff));
  const internalPrecision = requested + GUARD_BITS;
  const defaultIters = Math.min(DEFAULT_MAX_ITERS, internalPrecision + 128);
  const iters = Math.max(maxIters ?? defaultIters, 1);
  const internalScale = 1n << BigInt(internalPrecision);
  const lnTwo = lnTwoFor(internalScale, internalPrecision, iters);
  const lnNum = lnBig(baseNumerator, internalPrecision, internalScale, lnTwo, iters);
  const lnDen = lnBig(baseDenominator, internalPrecision, internalScale, lnTwo, iters);
  const lnScaled = floorDivPos((lnNum - lnDen) * en, ed);
  const expFp = expFixed(lnScaled, BigInt(internalPrecision), iters);
  const expRequested = roundGuard(expFp);
  // ⌊e·scale / 2^requested⌋
  return (expRequested * scale) >> BigInt(requested);
}

// ---- Balancer -----------------------------------------------------------------------------------

/** pow result (scaled by 1e18) → U64F64 the way the balancer converts it (`to_u64`, safe_div). */
function scaledToFixed(r: bigint): bigint | undefined {
  if (r < 0n || r > U64_MAX) return undefined;
  return fxDiv(U64F64, u64ToFixed(r), u64ToFixed(SCALE_1E18));
}

function expScaled(quote: bigint, x: bigint, dx: bigint, baseQuote: boolean): bigint {
  const xPlusDx = satU64(x + dx); // saturating_add / saturating_sub on u64
  if (xPlusDx === 0n) return 0n;
  const w1 = PERQUINTILL_ONE - quote;
  const w2 = quote;
  const r = baseQuote
    ? powRatioScaled(x, xPlusDx, w1, w2, 256, SCALE_1E18)
    : powRatioScaled(x, xPlusDx, w2, w1, 256, SCALE_1E18);
  if (r === undefined) return 0n;
  const fixed = scaledToFixed(r);
  if (fixed === undefined) return 0n;
  return dx >= 0n && fixed > U64F64_ONE ? U64F64_ONE : fixed;
}

/**
 * Balancer `exp_scaled`: (x/(x+dx))^(w1/w2) or ^(w2/w1) as U64F64 raw bits.
 *
 * (x/(x+dx))^(w1/w2) if `baseQuote`, else ^(w2/w1), as U64F64 raw bits; capped at 1.0 for dx ≥ 0;
 * 0 when x+dx = 0 or the power does not fit.
 * @example
 * import { balancerExpScaled } from '@taoscript/runtime';
 * balancerExpScaled(500_000_000_000_000_000n, 100n, 100n, true); // 0.5 as U64F64 bits
 */
export function balancerExpScaled(
  quote: bigint,
  x: bigint,
  dx: bigint,
  baseQuote: boolean,
): bigint {
  assertQuote(quote, 'balancerExpScaled quote');
  assertU64(x, 'balancerExpScaled x');
  assertBig(dx, 'balancerExpScaled dx');
  if (dx > U64_MAX || dx < -U64_MAX) throw new RangeError('balancerExpScaled dx: outside ±u64');
  return expScaled(quote, x, dx, baseQuote);
}

function priceOf(quote: bigint, x: bigint, y: bigint): bigint {
  const w2 = u64ToFixed(quote);
  const w1 = u64ToFixed(PERQUINTILL_ONE - quote);
  return fxMul(U64F64, fxDiv(U64F64, w1, w2), fxDiv(U64F64, u64ToFixed(y), u64ToFixed(x)));
}

/**
 * Balancer `calculate_price`: (w1/w2)·(y/x) in U64F64 (each quotient a safe_div; 0 if x = 0).
 * @example
 * import { calculatePrice } from '@taoscript/runtime';
 * calculatePrice(500_000_000_000_000_000n, 4n, 1n); // 0.25 as U64F64 bits (1n << 62n)
 */
export function calculatePrice(quote: bigint, alphaReserve: bigint, taoReserve: bigint): bigint {
  assertQuote(quote, 'calculatePrice quote');
  assertU64(alphaReserve, 'calculatePrice alphaReserve');
  assertU64(taoReserve, 'calculatePrice taoReserve');
  return priceOf(quote, alphaReserve, taoReserve);
}

/**
 * Swap `current_price` for a dynamic subnet: the pool's spot price, 0 if the alpha reserve is 0.
 * @example
 * import { currentPrice } from '@taoscript/runtime';
 * currentPrice({ taoReserve: 1n, alphaReserve: 4n, quote: 500_000_000_000_000_000n }); // 1n << 62n
 */
export function currentPrice(pool: BalancerPool): bigint {
  assertPool(pool);
  if (pool.alphaReserve === 0n) return 0n;
  return priceOf(pool.quote, pool.alphaReserve, pool.taoReserve);
}

/**
 * The runtime-API form of the price: floor(price · 1e9) as u64 (`current_alpha_price`).
 * @example
 * import { priceToRao } from '@taoscript/runtime';
 * priceToRao(1n << 62n); // 250000000n
 */
export function priceToRao(price: bigint): bigint {
  assertU128(price, 'priceToRao');
  return fixedToU64(fxMul(U64F64, price, u64ToFixed(1_000_000_000n)));
}

/**
 * A limit price in RAO per alpha (u64) as the U64F64 the swap compares: U64F64(p) / 1e9.
 * @example
 * import { limitPriceFromRao } from '@taoscript/runtime';
 * limitPriceFromRao(500_000_000n); // 0.5 as U64F64 bits (1n << 63n)
 */
export function limitPriceFromRao(priceRao: bigint): bigint {
  assertU64(priceRao, 'limitPriceFromRao');
  return fxDiv(U64F64, u64ToFixed(priceRao), u64ToFixed(1_000_000_000n));
}

/**
 * `default_price_limit` in RAO per alpha: buy → MAX_PRICE_RAO, sell → MIN_PRICE_RAO.
 * @example
 * import { defaultPriceLimitRao } from '@taoscript/runtime';
 * defaultPriceLimitRao('sell'); // 1000n
 */
export function defaultPriceLimitRao(direction: SwapDirection): bigint {
  if (direction === 'buy') return MAX_PRICE_RAO;
  if (direction === 'sell') return MIN_PRICE_RAO;
  throw new TypeError(`direction: expected 'buy' or 'sell', got ${String(direction)}`);
}

function deltaInForLimit(
  weightParts: bigint,
  numeratorPrice: bigint,
  denominatorPrice: bigint,
  reserve: bigint,
): bigint {
  const r = powRatioScaled(
    numeratorPrice,
    denominatorPrice,
    weightParts,
    PERQUINTILL_ONE,
    1024,
    SCALE_1E18,
  );
  if (r === undefined) return 0n;
  const asFixed = r < 0n ? 0n : u64ToFixed(r > U64_MAX ? U64_MAX : r);
  const ratio = fxDiv(U64F64, asFixed, u64ToFixed(SCALE_1E18));
  const excess = fxSub(U64F64, ratio, U64F64_ONE);
  return fixedToU64(fxMul(U64F64, u64ToFixed(reserve), excess));
}

/**
 * Balancer `calculate_quote_delta_in`: TAO that lifts the price from `current` to `target`.
 *
 * TAO that moves the price from `current` up to `target`, y·((target/current)^w1 − 1) (0 if
 * target ≤ current or current = 0).
 * @example
 * import { calculateQuoteDeltaIn } from '@taoscript/runtime';
 * calculateQuoteDeltaIn(5n * 10n ** 17n, 1n << 62n, 1n << 63n, 10n ** 9n); // 414213562n
 */
export function calculateQuoteDeltaIn(
  quote: bigint,
  current: bigint,
  target: bigint,
  taoReserve: bigint,
): bigint {
  assertQuote(quote, 'calculateQuoteDeltaIn quote');
  assertU128(current, 'calculateQuoteDeltaIn current');
  assertU128(target, 'calculateQuoteDeltaIn target');
  assertU64(taoReserve, 'calculateQuoteDeltaIn taoReserve');
  return deltaInForLimit(PERQUINTILL_ONE - quote, target, current, taoReserve);
}

/**
 * Balancer `calculate_base_delta_in`: alpha that lowers the price from `current` to `target`.
 *
 * Alpha that moves the price from `current` down to `target`, x·((current/target)^w2 − 1) (0 if
 * target ≥ current or target = 0).
 * @example
 * import { calculateBaseDeltaIn } from '@taoscript/runtime';
 * calculateBaseDeltaIn(5n * 10n ** 17n, 1n << 63n, 1n << 62n, 10n ** 9n); // 414213562n
 */
export function calculateBaseDeltaIn(
  quote: bigint,
  current: bigint,
  target: bigint,
  alphaReserve: bigint,
): bigint {
  assertQuote(quote, 'calculateBaseDeltaIn quote');
  assertU128(current, 'calculateBaseDeltaIn current');
  assertU128(target, 'calculateBaseDeltaIn target');
  assertU64(alphaReserve, 'calculateBaseDeltaIn alphaReserve');
  return deltaInForLimit(quote, current, target, alphaReserve);
}

/**
 * Balancer `get_base_needed_for_quote`: alpha to sell for Δy TAO, x·((y/(y−Δy))^(w2/w1) − 1).
 * @example
 * import { getBaseNeededForQuote } from '@taoscript/runtime';
 * getBaseNeededForQuote(500_000_000_000_000_000n, 1_000_000n, 1_000_000n, 1_000n); // 1001n
 */
export function getBaseNeededForQuote(
  quote: bigint,
  taoReserve: bigint,
  alphaReserve: bigint,
  deltaTao: bigint,
): bigint {
  assertQuote(quote, 'getBaseNeededForQuote quote');
  assertU64(taoReserve, 'getBaseNeededForQuote taoReserve');
  assertU64(alphaReserve, 'getBaseNeededForQuote alphaReserve');
  assertU64(deltaTao, 'getBaseNeededForQuote deltaTao');
  const e = expScaled(quote, taoReserve, -deltaTao, false);
  return fixedToU64(fxMul(U64F64, u64ToFixed(alphaReserve), fxSub(U64F64, e, U64F64_ONE)));
}

function convert(pool: BalancerPool, direction: SwapDirection, deltaIn: bigint): bigint {
  const one = U64F64_ONE;
  if (direction === 'buy') {
    const e = expScaled(pool.quote, pool.taoReserve, deltaIn, false);
    return fixedToU64(fxMul(U64F64, u64ToFixed(pool.alphaReserve), fxSub(U64F64, one, e)));
  }
  const e = expScaled(pool.quote, pool.alphaReserve, deltaIn, true);
  return fixedToU64(fxMul(U64F64, u64ToFixed(pool.taoReserve), fxSub(U64F64, one, e)));
}

/**
 * Swap-step `convert_deltas`: fee-less output for an input delta.
 *
 * Fee-less: buy → alpha out = floor(x·(1 − (y/(y+Δ))^(w2/w1))); sell → TAO out = floor(y·(1 −
 * (x/(x+Δ))^(w1/w2))).
 * @example
 * import { convertDeltas } from '@taoscript/runtime';
 * const pool = { taoReserve: 1500n, alphaReserve: 1000n, quote: 5n * 10n ** 17n };
 * convertDeltas(pool, 'sell', 10_000n); // 1363n
 */
export function convertDeltas(
  pool: BalancerPool,
  direction: SwapDirection,
  deltaIn: bigint,
): bigint {
  assertPool(pool);
  assertDirection(direction);
  assertU64(deltaIn, 'convertDeltas deltaIn');
  return convert(pool, direction, deltaIn);
}

function assertDirection(d: unknown): asserts d is SwapDirection {
  if (d !== 'buy' && d !== 'sell') {
    throw new TypeError(`direction: expected 'buy' or 'sell', got ${String(d)}`);
  }
}

function feeOf(amount: bigint, feeRate: number, dropFees: boolean): bigint {
  if (dropFees) return 0n;
  const rate = fxDiv(U64F64, u64ToFixed(BigInt(feeRate)), u64ToFixed(65535n));
  return fixedToU64(fxMul(U64F64, u64ToFixed(amount), rate));
}

/**
 * Swap `calculate_fee_amount` (dynamic subnet), computed in U64F64 as upstream does.
 *
 * floor(U64F64(amount) · (U64F64(rate)/65535)). The rate is truncated first, so e.g. an amount of
 * 65535 at rate 33 pays 32, not 33.
 * @example
 * import { calculateFeeAmount } from '@taoscript/runtime';
 * calculateFeeAmount(1_000_000_000n, 33); // 503547n
 */
export function calculateFeeAmount(amount: bigint, feeRate: number, dropFees = false): bigint {
  assertU64(amount, 'calculateFeeAmount amount');
  assertFeeRate(feeRate);
  return feeOf(amount, feeRate, dropFees);
}

/**
 * The fee a limit-hit partial fill charges: floor(Δin · (U64F64(rate) / (65535 − rate))).
 * @example
 * import { calculatePartialFillFee } from '@taoscript/runtime';
 * calculatePartialFillFee(65502n, 33); // 32n
 */
export function calculatePartialFillFee(
  deltaIn: bigint,
  feeRate: number,
  dropFees = false,
): bigint {
  assertU64(deltaIn, 'calculatePartialFillFee deltaIn');
  assertFeeRate(feeRate);
  return partialFee(deltaIn, feeRate, dropFees);
}

function partialFee(deltaIn: bigint, feeRate: number, dropFees: boolean): bigint {
  const rate = dropFees ? 0n : u64ToFixed(BigInt(feeRate));
  const ratio = fxDiv(U64F64, rate, fxSub(U64F64, u64ToFixed(65535n), rate));
  return fixedToU64(fxMul(U64F64, u64ToFixed(deltaIn), ratio));
}

/**
 * Runs one pool swap exactly as the Swap pallet's `do_swap` does (no state writes).
 *
 * Guards, in upstream order: net input ≤ 1000 × input reserve (`SwapInputTooLarge`); output
 * reserve ≥ minimum (`ReservesTooLow`); initialise w2 = 0.5 if needed; limit strictly beyond the
 * current price (`PriceLimitExceeded`); executed input must yield output (`ReservesTooLow`);
 * unless simulating, output ≤ output reserve (`InsufficientLiquidity`). If the full trade would
 * cross the limit, only the input that moves the price to the limit executes, with its fee
 * recomputed. Reserves are updated by the caller (the subtensor pallet). A negative amount gives
 * `InsufficientInputAmount`.
 * @example
 * import { limitPriceFromRao, swap } from '@taoscript/runtime';
 * const pool = { taoReserve: 10n ** 9n, alphaReserve: 4n * 10n ** 9n, quote: 5n * 10n ** 17n };
 * const limitPrice = limitPriceFromRao(10n ** 12n);
 * swap(pool, { direction: 'buy', amount: 2_000n, limitPrice, feeRate: 33 });
 * // { ok: true, amountPaidIn: 1999n, amountPaidOut: 7995n, feePaid: 1n, ... }
 */
export function swap(pool: BalancerPool, params: SwapParameters): SwapOutcome {
  if (typeof params !== 'object' || params === null) {
    throw new TypeError('swap params: expected an object');
  }
  assertU64(pool?.taoReserve, 'pool.taoReserve');
  assertU64(pool.alphaReserve, 'pool.alphaReserve');
  const initialized = params.initialized ?? true;
  if (typeof initialized !== 'boolean') throw new TypeError('swap initialized: expected a boolean');
  if (initialized) assertQuote(pool.quote, 'pool.quote');
  const { direction, amount, limitPrice, feeRate } = params;
  assertDirection(direction);
  assertBig(amount, 'swap amount');
  if (amount > U64_MAX) throw new RangeError(`swap amount: ${amount} is outside u64`);
  assertU128(limitPrice, 'swap limitPrice');
  assertFeeRate(feeRate);
  const dropFees = params.dropFees ?? false;
  const simulate = params.simulate ?? false;
  if (typeof dropFees !== 'boolean') throw new TypeError('swap dropFees: expected a boolean');
  if (typeof simulate !== 'boolean') throw new TypeError('swap simulate: expected a boolean');
  const minimumReserve = params.minimumReserve ?? SWAP_MINIMUM_RESERVE;
  assertU64(minimumReserve, 'swap minimumReserve');
  if (amount < 0n) return { ok: false, error: 'InsufficientInputAmount' };

  const buy = direction === 'buy';
  const inReserve = buy ? pool.taoReserve : pool.alphaReserve;
  const outReserve = buy ? pool.alphaReserve : pool.taoReserve;

  // ensure_swap_input_within_reserve_limit
  const fee0 = feeOf(amount, feeRate, dropFees);
  if (amount - fee0 > satU64(inReserve * MAX_SWAP_INPUT_RESERVE_MULTIPLIER)) {
    return { ok: false, error: 'SwapInputTooLarge' };
  }
  // swap_inner
  if (outReserve < minimumReserve) return { ok: false, error: 'ReservesTooLow' };
  const quote = initialized ? pool.quote : DEFAULT_QUOTE_WEIGHT;
  const p: BalancerPool = { taoReserve: pool.taoReserve, alphaReserve: pool.alphaReserve, quote };
  const current = p.alphaReserve === 0n ? 0n : priceOf(quote, p.alphaReserve, p.taoReserve);
  if (!(buy ? current < limitPrice : current > limitPrice)) {
    return { ok: false, error: 'PriceLimitExceeded' };
  }
  // BasicSwapStep::new
  let fee = feeOf(amount, feeRate, dropFees);
  const requested = amount - fee;
  const out0 = convert(p, direction, requested);
  const target = buy
    ? priceOf(quote, satU64(p.alphaReserve - out0), satU64(p.taoReserve + requested))
    : priceOf(quote, satU64(p.alphaReserve + requested), satU64(p.taoReserve - out0));
  // determine_action
  let deltaIn: bigint;
  if (buy ? target <= limitPrice : target >= limitPrice) {
    deltaIn = requested;
  } else {
    deltaIn = buy
      ? deltaInForLimit(PERQUINTILL_ONE - quote, limitPrice, current, p.taoReserve)
      : deltaInForLimit(quote, current, limitPrice, p.alphaReserve);
    fee = partialFee(deltaIn, feeRate, dropFees);
  }
  // process_swap (convert is pure: an unclipped step reuses the first conversion)
  const deltaOut = deltaIn === requested ? out0 : convert(p, direction, deltaIn);
  let feeToBlockAuthor = 0n;
  if (deltaIn !== 0n) {
    if (deltaOut === 0n) return { ok: false, error: 'ReservesTooLow' };
    feeToBlockAuthor = fee;
  }
  if (!simulate && outReserve < deltaOut) return { ok: false, error: 'InsufficientLiquidity' };
  return {
    ok: true,
    amountPaidIn: deltaIn,
    amountPaidOut: deltaOut,
    feePaid: fee,
    feeToBlockAuthor,
    quote,
    initializedBalancer: !initialized,
  };
}

/** Outcome of balancer initialisation: the quote weight to store, or the pallet error. */
export type InitBalancerOutcome =
  | { readonly ok: true; readonly quote: bigint }
  | { readonly ok: false; readonly error: 'ReservesOutOfBalance' };

/**
 * `maybe_initialize_palswap` weights: w2 = 0.5, or w2 = y/(p·x + y) for a given price.
 *
 * Without a price w2 = 0.5; with a U64F64 price p, w2 = y / (⌊p⌋·x + ⌊x·frac(p)⌋ + y) as a
 * Perquintill (`ReservesOutOfBalance` if that is 0/0 or outside [0.01, 0.99]).
 * @example
 * import { initBalancer } from '@taoscript/runtime';
 * initBalancer(1_000_000_000n, 4_000_000_000n); // { ok: true, quote: 500000000000000000n }
 */
export function initBalancer(
  taoReserve: bigint,
  alphaReserve: bigint,
  price?: bigint,
): InitBalancerOutcome {
  assertU64(taoReserve, 'initBalancer taoReserve');
  assertU64(alphaReserve, 'initBalancer alphaReserve');
  if (price === undefined) return { ok: true, quote: DEFAULT_QUOTE_WEIGHT };
  assertU128(price, 'initBalancer price');
  const pxHigh = satU128(fixedToU64(price) * alphaReserve);
  const frac = price & (U64F64_ONE - 1n);
  const pxLow = fxMul(U64F64, u64ToFixed(alphaReserve), frac) >> 64n;
  const pxPlusY = satU128(satU128(pxHigh + pxLow) + taoReserve);
  if (pxPlusY === 0n) return { ok: false, error: 'ReservesOutOfBalance' };
  const quote = perquintillFromRational(taoReserve, pxPlusY);
  if (!isValidQuoteWeight(quote)) return { ok: false, error: 'ReservesOutOfBalance' };
  return { ok: true, quote };
}

/** Outcome of a protocol liquidity injection: amounts actually added and the new weight. */
export type AdjustProtocolLiquidityResult = {
  readonly taoAdded: bigint;
  readonly alphaAdded: bigint;
  /** New quote weight to store (unchanged when nothing was added). */
  readonly quote: bigint;
};

/**
 * `adjust_protocol_liquidity`: re-weights the pool so an injection keeps the price.
 *
 * Re-weights the pool so adding (Δy, Δx) keeps the price: w2' = q2/(q1+q2) with q1 =
 * round(w1·y·(x+Δx)), q2 = round(w2·x·(y+Δy)) (0.5 if both are 0). If w2' leaves [0.01, 0.99]
 * nothing is injected (0, 0) and the weight is unchanged.
 * @example
 * import { adjustProtocolLiquidity } from '@taoscript/runtime';
 * const pool = { taoReserve: 100n, alphaReserve: 100n, quote: 5n * 10n ** 17n };
 * adjustProtocolLiquidity(pool, 0n, 100n);
 * // { taoAdded: 0n, alphaAdded: 100n, quote: 333333333333333333n }
 */
export function adjustProtocolLiquidity(
  pool: BalancerPool,
  taoDelta: bigint,
  alphaDelta: bigint,
): AdjustProtocolLiquidityResult {
  assertPool(pool);
  assertU64(taoDelta, 'adjustProtocolLiquidity taoDelta');
  assertU64(alphaDelta, 'adjustProtocolLiquidity alphaDelta');
  const y = pool.taoReserve;
  const x = pool.alphaReserve;
  const q1 = mulPerquintillRound(PERQUINTILL_ONE - pool.quote, satU128(y * (x + alphaDelta)));
  const q2 = mulPerquintillRound(pool.quote, satU128(x * (y + taoDelta)));
  const sum = satU128(q1 + q2);
  const next = sum !== 0n ? perquintillFromRational(q2, sum) : DEFAULT_QUOTE_WEIGHT;
  if (!isValidQuoteWeight(next)) return { taoAdded: 0n, alphaAdded: 0n, quote: pool.quote };
  return { taoAdded: taoDelta, alphaAdded: alphaDelta, quote: next };
}

/**
 * Swap `get_alpha_amount_for_tao` (dynamic subnet): floor(tao / spot price), no slippage.
 * @example
 * import { getAlphaAmountForTao } from '@taoscript/runtime';
 * const pool = { taoReserve: 1n, alphaReserve: 4n, quote: 5n * 10n ** 17n };
 * getAlphaAmountForTao(pool, 10n); // 40n
 */
export function getAlphaAmountForTao(pool: BalancerPool, taoAmount: bigint): bigint {
  assertPool(pool);
  assertU64(taoAmount, 'getAlphaAmountForTao taoAmount');
  const price =
    pool.alphaReserve === 0n ? 0n : priceOf(pool.quote, pool.alphaReserve, pool.taoReserve);
  return fixedToU64(fxDiv(U64F64, u64ToFixed(taoAmount), price));
}
