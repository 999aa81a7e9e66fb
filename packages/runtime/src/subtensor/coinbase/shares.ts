/**
 * Which subnets receive the block's TAO emission and in what shares, as subtensor 14bc6f9f does
 * it (coinbase/subnet_emissions.rs): the live price-EMA × (1 − MinerBurned) rule and the dormant
 * net-TAO-flow rule with its flow EMAs, selectable through a well-known raw storage key.
 *
 * Shares are U64F64 raw bits; emissions are U96F32 raw bits (TAO rao with 32 fraction bits).
 */
import { SubtensorStorage as S, type StateGet, type StateRW } from '@taoscript/chain-types';
import {
  fxAdd,
  fxConvert,
  fxDiv,
  fxFromInt,
  fxMul,
  fxSub,
  I32F32,
  I64F64,
  U64F64,
  U96F32,
} from '@taoscript/codec';
import type { DispatchContext } from '../../dispatch.js';
import { assertNetuid } from '../pool.js';
import { movingAlphaPrice } from '../subnets.js';
import { checkedSqrtU64F64, expI32F32, lnI32F32 } from './fixed.js';

const ONE64 = U64F64.one;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
/** I32F32(i32::MAX) as raw bits. */
const I32F32_I32_MAX = 2_147_483_647n << 32n;

// ---- the selectable rule ------------------------------------------------------------------------

/** The raw storage key (outside any pallet, like `:code`) holding the emission-share rule. */
export const EMISSION_SHARES_KEY = new TextEncoder().encode(':taoscript:emission_shares');
/** Stored byte of the price-EMA rule (upstream's live rule, the default). */
export const EMISSION_SHARES_PRICE = 0;
/** Stored byte of the net-TAO-flow rule (upstream's dormant `get_shares_flow`). */
export const EMISSION_SHARES_FLOW = 1;

/** How the block's TAO emission is shared between subnets. */
export type EmissionSharesRule = 'price' | 'flow';

/**
 * The emission-share rule in force: `'flow'` when `:taoscript:emission_shares` holds the single
 * byte 1, else `'price'` (absent, 0, or anything malformed).
 * @example
 * import { getEmissionSharesRule } from './coinbase/shares.js';
 * // getEmissionSharesRule(ctx.state) === 'price'
 */
export function getEmissionSharesRule(state: StateGet): EmissionSharesRule {
  const raw = state.get(EMISSION_SHARES_KEY);
  return raw !== undefined && raw.length === 1 && raw[0] === EMISSION_SHARES_FLOW
    ? 'flow'
    : 'price';
}

/**
 * Stores the emission-share rule under `:taoscript:emission_shares` (one byte: 0 price, 1 flow).
 * @example
 * import { setEmissionSharesRule } from './coinbase/shares.js';
 * // setEmissionSharesRule(ov, 'flow')
 */
export function setEmissionSharesRule(state: StateRW, rule: EmissionSharesRule): void {
  if (typeof state !== 'object' || state === null || typeof state.set !== 'function')
    throw new TypeError('setEmissionSharesRule: expected a writable state');
  if (typeof rule !== 'string') throw new TypeError('setEmissionSharesRule: rule must be a string');
  if (rule !== 'price' && rule !== 'flow')
    throw new RangeError(`setEmissionSharesRule: unknown rule ${JSON.stringify(rule)}`);
  state.set(
    EMISSION_SHARES_KEY,
    new Uint8Array([rule === 'flow' ? EMISSION_SHARES_FLOW : EMISSION_SHARES_PRICE]),
  );
}

// ---- eligibility --------------------------------------------------------------------------------

/**
 * `get_subnets_to_emit_to`: of `netuids` (order kept), the non-root subnets with a
 * `FirstEmissionBlockNumber`, `SubtokenEnabled` and `NetworkRegistrationAllowed`.
 * @example
 * import { subnetsToEmitTo } from './coinbase/shares.js';
 * // subnetsToEmitTo(ctx.state, [0, 1, 2]) // e.g. [1]
 */
export function subnetsToEmitTo(state: StateGet, netuids: readonly number[]): number[] {
  if (!Array.isArray(netuids)) throw new TypeError('netuids: expected an array');
  for (const n of netuids) assertNetuid(n);
  return netuids.filter(
    (n) =>
      n !== 0 &&
      S.FirstEmissionBlockNumber.tryGet(state, n) !== undefined &&
      S.SubtokenEnabled.get(state, n) &&
      S.NetworkRegistrationAllowed.get(state, n),
  );
}

/** Netuids ascending (a `BTreeMap<NetUid, _>`'s iteration order). */
const ascending = (netuids: readonly number[]): number[] => [...netuids].sort((a, b) => a - b);

// ---- price rule ---------------------------------------------------------------------------------

/**
 * `get_shares_price_ema`: each moving price over their sum (U64F64), netuid ascending.
 * @example
 * import { priceEmaShares } from './coinbase/shares.js';
 * // priceEmaShares(ctx.state, [1, 2]) // Map { 1 => …, 2 => … }
 */
export function priceEmaShares(state: StateGet, subnets: readonly number[]): Map<number, bigint> {
  return priceEmaSharesOf(subnets, movingPrices(state, subnets));
}

/**
 * Each subnet's `get_moving_alpha_price` (U64F64), read once for the block's share and root-sell
 * computations.
 */
export function movingPrices(state: StateGet, subnets: readonly number[]): Map<number, bigint> {
  const out = new Map<number, bigint>();
  for (const n of subnets) if (!out.has(n)) out.set(n, movingAlphaPrice(state, n));
  return out;
}

function priceEmaSharesOf(
  subnets: readonly number[],
  moving: ReadonlyMap<number, bigint>,
): Map<number, bigint> {
  const prices = new Map<number, bigint>();
  let total = 0n;
  for (const n of subnets) {
    const p = moving.get(n) as bigint;
    prices.set(n, p);
    total = fxAdd(U64F64, total, p);
  }
  const out = new Map<number, bigint>();
  for (const n of ascending(subnets)) out.set(n, fxDiv(U64F64, prices.get(n) as bigint, total));
  return out;
}

/**
 * `get_shares`: price-EMA shares weighted by `1 − min(MinerBurned, 1)` and renormalised; the plain
 * price shares when every weight is zero.
 * @example
 * import { priceShares } from './coinbase/shares.js';
 * // priceShares(ctx.state, [1, 2])
 */
export function priceShares(state: StateGet, subnets: readonly number[]): Map<number, bigint> {
  return priceSharesOf(state, subnets, movingPrices(state, subnets));
}

function priceSharesOf(
  state: StateGet,
  subnets: readonly number[],
  moving: ReadonlyMap<number, bigint>,
): Map<number, bigint> {
  const price = priceEmaSharesOf(subnets, moving);
  const weighted = new Map<number, bigint>();
  let total = 0n;
  for (const [n, share] of price) {
    const burned = minBig(fxConvert(U96F32, U64F64, S.MinerBurned.get(state, n)), ONE64);
    const w = fxMul(U64F64, share, ONE64 - burned);
    weighted.set(n, w);
    total = fxAdd(U64F64, total, w);
  }
  if (total === 0n) return price;
  for (const [n, w] of weighted) weighted.set(n, fxDiv(U64F64, w, total));
  return weighted;
}

/**
 * `get_network_root_sell_flag`: the moving prices of the emitting subnets sum above 1.0.
 * @example
 * import { rootSellFlag } from './coinbase/shares.js';
 * // rootSellFlag(ctx.state, [1, 2]) === false while prices are low
 */
export function rootSellFlag(state: StateGet, subnets: readonly number[]): boolean {
  return rootSellFlagOf(subnets, movingPrices(state, subnets));
}

/** `rootSellFlag` from the subnets' moving prices (`movingPrices`). */
export function rootSellFlagOf(
  subnets: readonly number[],
  moving: ReadonlyMap<number, bigint>,
): boolean {
  let total = 0n;
  for (const n of subnets) total += moving.get(n) as bigint;
  return total > ONE64;
}

// ---- flow rule ----------------------------------------------------------------------------------

/** The EMA step shared by both flows: `(1 − a)·last + a·flow`, a = FlowEmaSmoothingFactor/i64::MAX. */
function emaStep(state: StateGet, last: bigint, flow: bigint): bigint {
  const alpha = fxDiv(
    I64F64,
    fxFromInt(I64F64, S.FlowEmaSmoothingFactor.get(state)),
    I64_MAX << 64n,
  );
  const keep = fxMul(I64F64, fxSub(I64F64, I64F64.one, alpha), last);
  return fxAdd(I64F64, keep, fxMul(I64F64, alpha, fxFromInt(I64F64, flow)));
}

/**
 * `get_ema_flow`: advances `SubnetEmaTaoFlow` once per block with the block's `SubnetTaoFlow`
 * (then cleared) and returns the EMA (I64F64 raw bits).
 * @example
 * import { updateEmaTaoFlow } from './coinbase/shares.js';
 * // updateEmaTaoFlow(ctx, 1)
 */
export function updateEmaTaoFlow(ctx: DispatchContext, netuid: number): bigint {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  const [lastBlock, lastEma] = S.SubnetEmaTaoFlow.tryGet(st, netuid) ?? [0n, 0n];
  if (lastBlock === now) return lastEma;
  const ema = emaStep(st, lastEma, S.SubnetTaoFlow.get(st, netuid));
  S.SubnetEmaTaoFlow.set(st, netuid, [now, ema]);
  S.SubnetTaoFlow.remove(st, netuid);
  return ema;
}

/**
 * `update_ema_protocol_flow`: advances `SubnetEmaProtocolFlow` once per block with the block's
 * `SubnetProtocolFlow` (then cleared) and returns the EMA (I64F64 raw bits).
 * @example
 * import { updateEmaProtocolFlow } from './coinbase/shares.js';
 * // updateEmaProtocolFlow(ctx, 1)
 */
export function updateEmaProtocolFlow(ctx: DispatchContext, netuid: number): bigint {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  const [lastBlock, lastEma] = S.SubnetEmaProtocolFlow.tryGet(st, netuid) ?? [0n, 0n];
  if (lastBlock === now) return lastEma;
  const ema = emaStep(st, lastEma, S.SubnetProtocolFlow.get(st, netuid));
  S.SubnetEmaProtocolFlow.set(st, netuid, [now, ema]);
  S.SubnetProtocolFlow.remove(st, netuid);
  return ema;
}

/** `safe_pow`: exp(p·ln(v)) in I32F32; 0 when ln fails, I32F32(i32::MAX) when exp does. */
function safePow(val: bigint, p: bigint): bigint {
  const v32 = fxConvert(U64F64, I32F32, val);
  const ln = lnI32F32(v32);
  if (ln === undefined) return 0n;
  const e = expI32F32(fxMul(I32F32, fxConvert(U64F64, I32F32, p), ln)) ?? I32F32_I32_MAX;
  return fxConvert(I32F32, U64F64, e);
}

/**
 * `inplace_pow_normalize`: rescales the offsets to max 1.0, then (unless they are all too small
 * for I32F32) spreads them by sqrt(i32::MAX / (n·max²)) and normalises `z^p` to sum 1.
 */
function powNormalize(offsets: Map<number, bigint>, p: bigint): void {
  let max = 0n;
  for (const v of offsets.values()) if (v > max) max = v;
  const factor = fxDiv(U64F64, ONE64, max);
  for (const [n, v] of offsets) offsets.set(n, fxMul(U64F64, factor, v));
  max = 0n;
  for (const v of offsets.values()) if (v > max) max = v;
  const maxTimesCount = fxMul(U64F64, fxFromInt(U64F64, offsets.size), fxMul(U64F64, max, max));
  const i32Max = fxFromInt(U64F64, 2_147_483_647n);
  const precisionMin = fxDiv(U64F64, i32Max, fxFromInt(U64F64, U64_MAX));
  if (maxTimesCount < precisionMin) return;
  const epsilon = fxDiv(U64F64, ONE64, fxFromInt(U64F64, 1_000n));
  const spread = checkedSqrtU64F64(fxDiv(U64F64, i32Max, maxTimesCount), epsilon);
  let sum = 0n;
  for (const v of offsets.values()) sum += safePow(fxMul(U64F64, spread, v), p);
  for (const [n, v] of offsets)
    offsets.set(n, fxDiv(U64F64, safePow(fxMul(U64F64, spread, v), p), sum));
}

/**
 * `get_shares_flow`: both flow EMAs advance for every emitting subnet; the net flow is the user
 * EMA minus the protocol EMA (positive protocol EMAs scaled down so their sum matches the users')
 * when `NetTaoFlowEnabled`, else the user EMA; flows are offset by
 * L = max(TaoFlowCutoff, min(min flow, 0)), clipped at 0 and power-normalised with
 * `FlowNormExponent`. Netuid ascending, U64F64 shares.
 * @example
 * import { flowShares } from './coinbase/shares.js';
 * // flowShares(ctx, [1, 2])
 */
export function flowShares(ctx: DispatchContext, subnets: readonly number[]): Map<number, bigint> {
  const st = ctx.state;
  const netFlow = S.NetTaoFlowEnabled.get(st);
  const emas = subnets.map(
    (n) => [n, updateEmaTaoFlow(ctx, n), updateEmaProtocolFlow(ctx, n)] as const,
  );
  let norm = 0n;
  if (netFlow) {
    let userSum = 0n;
    let protoSum = 0n;
    for (const [, u, p] of emas) {
      userSum = fxAdd(I64F64, userSum, u > 0n ? u : 0n);
      protoSum = fxAdd(I64F64, protoSum, p > 0n ? p : 0n);
    }
    if (protoSum > 0n) {
      const ratio = fxDiv(I64F64, userSum, protoSum);
      norm = minBig(ratio, I64F64.one);
    }
  }
  const flows = new Map<number, bigint>();
  for (const [n, u, p] of [...emas].sort((a, b) => a[0] - b[0])) {
    const scaled = p > 0n ? fxMul(I64F64, norm, p) : p;
    flows.set(n, netFlow ? fxSub(I64F64, u, scaled) : u);
  }
  let minFlow = 0n;
  for (const f of flows.values()) if (f < minFlow) minFlow = f;
  const cutoff = S.TaoFlowCutoff.get(st);
  const lower = cutoff > minFlow ? cutoff : minFlow;
  const offsets = new Map<number, bigint>();
  for (const [n, f] of flows)
    offsets.set(n, f > lower ? fxConvert(I64F64, U64F64, fxSub(I64F64, f, lower)) : 0n);
  powNormalize(offsets, S.FlowNormExponent.get(st));
  return offsets;
}

// ---- emissions ----------------------------------------------------------------------------------

/**
 * `get_subnet_block_emissions`: each emitting subnet's TAO emission (U96F32 raw bits, netuid
 * ascending) under the rule in force. Subnets with `SubnetEmissionEnabled = false` stay in the map
 * with 0 and the others' shares are renormalised over the enabled ones. `moving`: the subnets'
 * `movingPrices`, when already read.
 * @example
 * import { subnetBlockEmissions } from './coinbase/shares.js';
 * // subnetBlockEmissions(ctx, [1, 2], 1_000_000_000n << 32n)
 */
export function subnetBlockEmissions(
  ctx: DispatchContext,
  subnets: readonly number[],
  blockEmission: bigint,
  moving?: ReadonlyMap<number, bigint>,
): Map<number, bigint> {
  const st = ctx.state;
  const shares =
    getEmissionSharesRule(st) === 'flow'
      ? flowShares(ctx, subnets)
      : priceSharesOf(st, subnets, moving ?? movingPrices(st, subnets));
  let anyDisabled = false;
  let enabledSum = 0n;
  const enabled = new Map<number, boolean>();
  for (const [n, share] of shares) {
    const on = S.SubnetEmissionEnabled.get(st, n);
    enabled.set(n, on);
    if (on) enabledSum = fxAdd(U64F64, enabledSum, share);
    else anyDisabled = true;
  }
  const total = fxConvert(U96F32, U64F64, blockEmission);
  const out = new Map<number, bigint>();
  for (const [n, share] of shares) {
    let s = share;
    if (anyDisabled) s = enabled.get(n) && enabledSum > 0n ? fxDiv(U64F64, share, enabledSum) : 0n;
    out.set(n, fxConvert(U64F64, U96F32, fxMul(U64F64, total, s)));
  }
  return out;
}

/**
 * Clamps to i64 (for callers recording flows).
 * @example
 * import { satI64 } from './coinbase/shares.js';
 * satI64(1n << 70n); // 9223372036854775807n
 */
export const satI64 = (v: bigint): bigint => (v < I64_MIN ? I64_MIN : v > I64_MAX ? I64_MAX : v);
