/**
 * `run_coinbase`, as subtensor 14bc6f9f does it (coinbase/run_coinbase.rs, block_step.rs
 * `root_proportion`, coinbase/alpha.rs): the block's TAO emission is shared between the emitting
 * subnets, injected into their pools (capped by root proportion, the excess spent on a fee-less
 * chain buy), each subnet's alpha emission is minted and split into the pending owner-cut /
 * server / validator / root accumulators, and due epochs drain them.
 *
 * Fixed point as upstream: U96F32 for emissions, prices and proportions (raw-bit bigints),
 * conversions to u64 floor (`saturating_to_num`).
 */
import { SubtensorStorage as S, type StateGet, Swap } from '@taoscript/chain-types';
import {
  fxConvert,
  fxDiv,
  fxFromInt,
  fxMul,
  fxSub,
  fxToU64,
  U64F64,
  U96F32,
} from '@taoscript/codec';
import type { DispatchContext } from '../../dispatch.js';
import type { Overlay } from '../../state.js';
import {
  DEFAULT_QUOTE_WEIGHT,
  isValidQuoteWeight,
  MAX_PRICE_RAO,
  mulPerquintillRound,
  PERQUINTILL_ONE,
  perquintillFromRational,
} from '../math/swap.js';
import { alphaPriceOf, assertNetuid, subnetAccountIfExists, swapTaoForAlpha } from '../pool.js';
import { distributeEmissionsToSubnets, drainPending } from './schedule.js';
import {
  movingPrices,
  rootSellFlagOf,
  satI64,
  subnetBlockEmissions,
  subnetsToEmitTo,
} from './shares.js';
import { blockEmissionRecorder, type Credit, recycleCredit, spendTao } from './tao.js';

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const satU64 = (v: bigint): bigint => (v < 0n ? 0n : v > U64_MAX ? U64_MAX : v);
/** U96F32 0.5. */
const HALF = 1n << 31n;
/** U96F32 raw of u64::MAX. */
const U64_MAX_U96 = U64_MAX << 32n;

/**
 * `root_proportion`: tao_weight·SubnetTAO[root] / (tao_weight·SubnetTAO[root] + alpha issuance),
 * tao_weight = TaoWeight/u64::MAX, all U96F32 (0 when both are 0).
 * @example
 * import { rootProportion } from './coinbase/run-coinbase.js';
 * // rootProportion(ctx.state, 1) // U96F32 raw bits, ≤ 1n << 32n
 */
export function rootProportion(state: StateGet, netuid: number): bigint {
  assertNetuid(netuid);
  const issuance = satU64(S.SubnetAlphaIn.get(state, netuid) + S.SubnetAlphaOut.get(state, netuid));
  return rootProportionOf(weightedRootTao(state), issuance);
}

/** `tao_weight · SubnetTAO[root]` (U96F32), the numerator of every root proportion. */
function weightedRootTao(state: StateGet): bigint {
  const rootTao = fxFromInt(U96F32, S.SubnetTAO.get(state, 0));
  const taoWeight = fxDiv(U96F32, fxFromInt(U96F32, S.TaoWeight.get(state)), U64_MAX_U96);
  return fxMul(U96F32, rootTao, taoWeight);
}

/** `root_proportion` given the weighted root TAO (unchanged while the coinbase emits). */
function rootProportionOf(weighted: bigint, issuance: bigint): bigint {
  const denominator = weighted + fxFromInt(U96F32, issuance);
  return fxDiv(U96F32, weighted, denominator > U128_MAX ? U128_MAX : denominator);
}

/** One emitting subnet's terms for the block (U96F32 raw bits). */
export interface SubnetTerms {
  /** TAO injected into the pool. */
  taoIn: bigint;
  /** Alpha injected into the pool. */
  alphaIn: bigint;
  /** Alpha minted for the participants (the subnet's alpha block emission). */
  alphaOut: bigint;
  /** TAO emission that could not be injected: spent on a chain buy. */
  excessTao: bigint;
}

/**
 * `get_subnet_terms`: per emitting subnet (netuid ascending), alpha_out = the alpha block emission
 * for its issuance; alpha_in = E/price capped by root_proportion·alpha_out (then tao_in =
 * alpha_in·price); the rest of the TAO emission is excess.
 * @example
 * import { subnetTerms } from './coinbase/run-coinbase.js';
 * // subnetTerms(ctx, new Map([[1, 1_000_000_000n << 32n]])).get(1) // { taoIn, alphaIn, … }
 */
export function subnetTerms(
  ctx: DispatchContext,
  emissions: ReadonlyMap<number, bigint>,
): Map<number, SubnetTerms> {
  return termsOf(ctx.state, emissions, new Pools(ctx.state));
}

/**
 * One subnet's pool values as stored (read once per block and kept in step with every write the
 * coinbase makes; re-read after a chain buy).
 */
interface Pool {
  mechanism: number;
  quote: bigint;
  tao: bigint;
  alphaIn: bigint;
  alphaOut: bigint;
}

/** The coinbase's per-subnet pool records, read on first use. */
class Pools {
  private readonly map = new Map<number, Pool>();
  constructor(private readonly st: StateGet) {}
  get(netuid: number): Pool {
    let p = this.map.get(netuid);
    if (p === undefined) {
      p = { mechanism: 0, quote: 0n, tao: 0n, alphaIn: 0n, alphaOut: 0n };
      this.reload(netuid, p);
      this.map.set(netuid, p);
    }
    return p;
  }
  /** Re-reads the record from storage (after something else wrote the pool). */
  reload(netuid: number, p: Pool): void {
    const st = this.st;
    p.mechanism = S.SubnetMechanism.get(st, netuid);
    p.quote = Swap.SwapBalancer.get(st, netuid).quote;
    p.tao = S.SubnetTAO.get(st, netuid);
    p.alphaIn = S.SubnetAlphaIn.get(st, netuid);
    p.alphaOut = S.SubnetAlphaOut.get(st, netuid);
  }
}

function termsOf(
  st: Overlay,
  emissions: ReadonlyMap<number, bigint>,
  pools: Pools,
): Map<number, SubnetTerms> {
  const weighted = weightedRootTao(st);
  const recorded = blockEmissionRecorder(st);
  const out = new Map<number, SubnetTerms>();
  for (const netuid of [...emissions.keys()].sort((a, b) => a - b)) {
    const taoEmission = emissions.get(netuid) as bigint;
    const p = pools.get(netuid);
    const issuance = satU64(p.alphaIn + p.alphaOut);
    const alphaEmission = fxFromInt(U96F32, recorded(issuance));
    const price = fxConvert(U64F64, U96F32, alphaPriceOf(p.mechanism, p.quote, p.alphaIn, p.tao));
    let taoIn = taoEmission;
    let alphaIn = fxDiv(U96F32, taoEmission, price);
    const rp = rootProportionOf(weighted, issuance);
    const cap = fxMul(U96F32, rp, alphaEmission);
    if (alphaIn > cap) {
      alphaIn = cap;
      taoIn = fxMul(U96F32, alphaIn, price);
    }
    out.set(netuid, {
      taoIn,
      alphaIn,
      alphaOut: alphaEmission,
      excessTao: fxSub(U96F32, taoEmission, taoIn),
    });
  }
  return out;
}

/**
 * Swap `adjust_protocol_liquidity`: the re-weighted quote weight that keeps the price for an
 * injection of (Δtao, Δalpha), or undefined when it would leave [0.01, 0.99].
 */
function reweighted(quote: bigint, tao: bigint, alpha: bigint, dTao: bigint, dAlpha: bigint) {
  const sat = (v: bigint) => (v > U128_MAX ? U128_MAX : v);
  const q1 = mulPerquintillRound(PERQUINTILL_ONE - quote, sat(tao * (alpha + dAlpha)));
  const q2 = mulPerquintillRound(quote, sat(alpha * (tao + dTao)));
  const sum = sat(q1 + q2);
  const next = sum !== 0n ? perquintillFromRational(q2, sum) : DEFAULT_QUOTE_WEIGHT;
  return isValidQuoteWeight(next) ? next : undefined;
}

/**
 * `inject_and_maybe_swap`: per emitting subnet (in `subnets` order) re-weights the pool for
 * (tao_in, alpha_in) — nothing is injected when the weight would leave its bounds — then spends the
 * excess TAO from the credit onto the subnet account and buys alpha with it fee-less (protocol
 * alpha, `SubnetExcessTao`), mints alpha_in into `SubnetAlphaIn` and spends tao_in into `SubnetTAO`
 * (and `TotalStake`). Per-block records: `SubnetExcessTao`, `SubnetTaoInEmission`,
 * `SubnetAlphaInEmission`; injections and chain buys count as protocol inflow. What is left of the
 * credit is recycled. `pools`: the block's pool records, kept in step with its writes.
 */
function injectAndMaybeSwap(
  ctx: DispatchContext,
  subnets: readonly number[],
  terms: ReadonlyMap<number, SubnetTerms>,
  credit: Credit,
  pools: Pools,
): void {
  const st = ctx.state;
  // Every TotalStake change in here is an addition, so saturating them one by one or as one sum
  // gives the same value: the injections are added once, at the end.
  let stakeAdded = 0n;
  for (const netuid of subnets) {
    const account = subnetAccountIfExists(st, netuid);
    if (!account) continue;
    const t = terms.get(netuid);
    const taoIn = t ? fxToU64(U96F32, t.taoIn) : 0n;
    const alphaIn = t ? fxToU64(U96F32, t.alphaIn) : 0n;
    const excess = t ? fxToU64(U96F32, t.excessTao) : 0n;

    const p = pools.get(netuid);
    const next = reweighted(p.quote, p.tao, p.alphaIn, taoIn, alphaIn);
    let injectedTao = 0n;
    let injectedAlpha = 0n;
    if (next !== undefined) {
      Swap.SwapBalancer.set(st, netuid, { quote: next });
      p.quote = next;
      injectedTao = taoIn;
      injectedAlpha = alphaIn;
    }

    let excessTao = 0n;
    let taoInEmission = 0n;
    // SubnetProtocolFlow as updated so far (`record_protocol_inflow`), written once.
    let flow: bigint | undefined;
    if (excess > 0n && spendTao(ctx, account, credit, excess)) {
      const bought = swapTaoForAlpha(ctx, netuid, excess, {
        limitPriceRao: MAX_PRICE_RAO,
        dropFees: true,
      });
      if (bought.ok) {
        pools.reload(netuid, p);
        S.SubnetProtocolAlpha.set(
          st,
          netuid,
          satU64(S.SubnetProtocolAlpha.get(st, netuid) + bought.alphaOut),
        );
        excessTao = bought.taoIn;
        flow = satI64(S.SubnetProtocolFlow.get(st, netuid) + BigInt.asIntN(64, bought.taoIn));
      }
    }
    S.SubnetExcessTao.set(st, netuid, excessTao);

    S.SubnetAlphaInEmission.set(st, netuid, injectedAlpha);
    if (injectedAlpha !== 0n) {
      p.alphaIn = satU64(p.alphaIn + injectedAlpha);
      S.SubnetAlphaIn.set(st, netuid, p.alphaIn);
    }

    if (injectedTao !== 0n && spendTao(ctx, account, credit, injectedTao)) {
      taoInEmission = injectedTao;
      p.tao = satU64(p.tao + injectedTao);
      S.SubnetTAO.set(st, netuid, p.tao);
      stakeAdded += injectedTao;
      flow = satI64(
        (flow ?? S.SubnetProtocolFlow.get(st, netuid)) + BigInt.asIntN(64, injectedTao),
      );
    }
    S.SubnetTaoInEmission.set(st, netuid, taoInEmission);
    if (flow !== undefined) S.SubnetProtocolFlow.set(st, netuid, flow);
  }
  if (stakeAdded !== 0n) S.TotalStake.set(st, satU64(S.TotalStake.get(st) + stakeAdded));
  recycleCredit(ctx, credit);
}

/** `get_float_subnet_owner_cut`: `SubnetOwnerCut / 65535` as U96F32. */
function ownerCutFraction(state: StateGet): bigint {
  return fxDiv(U96F32, fxFromInt(U96F32, S.SubnetOwnerCut.get(state)), fxFromInt(U96F32, 65_535));
}

const addPending = (
  st: Overlay,
  item: typeof S.PendingServerEmission,
  netuid: number,
  amount: bigint,
): void => item.set(st, netuid, satU64(item.get(st, netuid) + amount));

/**
 * `emit_to_subnets`: computes the terms, injects (`injectAndMaybeSwap`), then per emitting subnet
 * mints its alpha emission into `SubnetAlphaOut` (`SubnetAlphaOutEmission`) and accumulates:
 * owner cut (`SubnetOwnerCut/65535` of it, when `OwnerCutEnabled`) → `PendingOwnerCut`; of the
 * rest, half → `PendingServerEmission`, half minus root_proportion·rest/2 →
 * `PendingValidatorEmission`, and root_proportion·rest/2 → `PendingRootAlphaDivs` when root sells,
 * else recycled (taken off `SubnetAlphaOut`).
 * @example
 * import { emitToSubnets } from './coinbase/run-coinbase.js';
 * // emitToSubnets(ctx, [1, 2], emissions, credit, rootSellFlag(ctx.state, [1, 2]))
 */
export function emitToSubnets(
  ctx: DispatchContext,
  subnets: readonly number[],
  emissions: ReadonlyMap<number, bigint>,
  credit: Credit,
  rootSell: boolean,
): void {
  const st = ctx.state;
  const pools = new Pools(st);
  const terms = termsOf(st, emissions, pools);
  injectAndMaybeSwap(ctx, subnets, terms, credit, pools);
  const cut = ownerCutFraction(st);
  const weighted = weightedRootTao(st);
  for (const netuid of subnets) {
    const p = pools.get(netuid);
    let alphaOut = terms.get(netuid)?.alphaOut ?? 0n;
    const created = fxToU64(U96F32, alphaOut);
    S.SubnetAlphaOutEmission.set(st, netuid, created);
    if (created !== 0n) {
      p.alphaOut = satU64(p.alphaOut + created);
      S.SubnetAlphaOut.set(st, netuid, p.alphaOut);
    }
    if (S.OwnerCutEnabled.get(st, netuid)) {
      const ownerCut = fxMul(U96F32, alphaOut, cut);
      alphaOut = fxSub(U96F32, alphaOut, ownerCut);
      addPending(st, S.PendingOwnerCut, netuid, fxToU64(U96F32, ownerCut));
    }
    const rp = rootProportionOf(weighted, satU64(p.alphaIn + p.alphaOut));
    const rootAlpha = fxMul(U96F32, fxMul(U96F32, rp, alphaOut), HALF);
    const server = fxMul(U96F32, alphaOut, HALF);
    const validator = fxSub(U96F32, fxSub(U96F32, alphaOut, server), rootAlpha);
    addPending(st, S.PendingServerEmission, netuid, fxToU64(U96F32, server));
    addPending(st, S.PendingValidatorEmission, netuid, fxToU64(U96F32, validator));
    const root = fxToU64(U96F32, rootAlpha);
    if (rootSell) addPending(st, S.PendingRootAlphaDivs, netuid, root);
    else if (root !== 0n) {
      p.alphaOut = p.alphaOut > root ? p.alphaOut - root : 0n;
      S.SubnetAlphaOut.set(st, netuid, p.alphaOut);
    }
  }
}

/**
 * `run_coinbase`: clears `SubnetRootSellTao`, shares `credit` between the subnets to emit to
 * (among `netuids`, in storage order), emits to them, then drains every non-root subnet whose
 * epoch is due and distributes what was drained.
 * @example
 * import { runCoinbase } from './coinbase/run-coinbase.js';
 * // runCoinbase(ctx, mintTao(ctx, 1_000_000_000n), addedNetuids(ctx.state))
 */
export function runCoinbase(
  ctx: DispatchContext,
  credit: Credit,
  netuids: readonly number[],
): void {
  const st = ctx.state;
  for (const k of st.keys(S.SubnetRootSellTao.partialKey())) st.delete(k);
  const subnets = netuids.filter((n) => n !== 0);
  const emitting = subnetsToEmitTo(st, subnets);
  const moving = movingPrices(st, emitting);
  const emissions = subnetBlockEmissions(ctx, emitting, fxFromInt(U96F32, credit.amount), moving);
  const rootSell = rootSellFlagOf(emitting, moving);
  emitToSubnets(ctx, emitting, emissions, credit, rootSell);
  const drained = drainPending(ctx, subnets);
  distributeEmissionsToSubnets(ctx, drained);
}
