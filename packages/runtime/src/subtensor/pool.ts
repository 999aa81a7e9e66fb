/**
 * The pool glue between SubtensorModule and the Swap pallet, as subtensor 14bc6f9f does it:
 * subnet accounts (subnets/subnet.rs), spot prices (pallets/swap impls.rs `current_price`),
 * the TAO↔alpha swaps with the subtensor pallet's reserve bookkeeping and fee routing
 * (staking/stake_utils.rs `swap_tao_for_alpha`, `swap_alpha_for_tao`, `stake_into_subnet`,
 * `unstake_from_subnet`), and the TAO movements around them (coinbase/tao.rs).
 *
 * Issuance: every helper here that can lower Balances' total issuance (dust, recycling, burned
 * fees) lowers `SubtensorModule.TotalIssuance` by the same amount, so the two stay equal.
 */
import {
  Balances,
  type DispatchError,
  EXISTENTIAL_DEPOSIT,
  type RuntimeEvent,
  SubtensorStorage as S,
  type StateGet,
  Swap,
  System,
} from '@taoscript/chain-types';
import type { DispatchContext, DispatchOutcome } from '../dispatch.js';
import { fail, moduleError, OK } from '../dispatch.js';
import { setFree, transfer } from '../pallets/balances.js';
import {
  calculatePrice,
  limitPriceFromRao,
  MAX_PRICE_RAO,
  MIN_PRICE_RAO,
  priceToRao,
  swap,
} from './math/swap.js';

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const RAO_PER_TAO = 1_000_000_000n;
/** U64F64 1.0: the price of root and stable (mechanism 0) subnets. */
const PRICE_ONE = 1n << 64n;

/** SubtensorModule's pallet index (its errors are `Module { index: 7 }`). */
export const SUBTENSOR_PALLET_INDEX = 7;
/** The Swap pallet's index (its errors are `Module { index: 28 }`). */
export const SWAP_PALLET_INDEX = 28;
/** `SubtensorPalletId`: `b"subtensr"`. */
export const SUBTENSOR_PALLET_ID = new Uint8Array([0x73, 0x75, 0x62, 0x74, 0x65, 0x6e, 0x73, 0x72]);
const MODL = new Uint8Array([0x6d, 0x6f, 0x64, 0x6c]);

/** A SubtensorModule module error by name. */
export const subtensorError = (name: string): DispatchError =>
  moduleError(SUBTENSOR_PALLET_INDEX, name);
/** A Swap pallet module error by name. */
export const swapError = (name: string): DispatchError => moduleError(SWAP_PALLET_INDEX, name);

/** Rejects anything that is not a u16 subnet id. */
export function assertNetuid(netuid: unknown, what = 'netuid'): asserts netuid is number {
  if (typeof netuid !== 'number') throw new TypeError(`${what}: expected a number`);
  if (!Number.isInteger(netuid) || netuid < 0 || netuid > 0xffff)
    throw new RangeError(`${what}: ${netuid} is not a u16`);
}

/** Rejects anything that is not a u64 bigint. */
export function assertU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
}

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

const satU64 = (v: bigint): bigint => (v < 0n ? 0n : v > U64_MAX ? U64_MAX : v);
const satU128 = (v: bigint): bigint => (v < 0n ? 0n : v > U128_MAX ? U128_MAX : v);

// ---- accounts -----------------------------------------------------------------------------------

/**
 * The account holding a subnet's TAO: `PalletId(b"subtensr").into_sub_account_truncating(netuid)`,
 * i.e. `"modl" ++ "subtensr" ++ u16_le(netuid)` zero-padded to 32 bytes.
 * @example
 * import { subnetAccount } from './subtensor/pool.js';
 * subnetAccount(1).subarray(0, 14); // "modlsubtensr" 01 00
 */
export function subnetAccount(netuid: number): Uint8Array {
  assertNetuid(netuid);
  const out = new Uint8Array(32);
  out.set(MODL, 0);
  out.set(SUBTENSOR_PALLET_ID, 4);
  out[12] = netuid & 0xff;
  out[13] = netuid >> 8;
  return out;
}

/**
 * `is_subnet_account_id`: the netuid whose subnet account `account` is, if it is one (any u16,
 * registered or not).
 * @example
 * import { subnetAccount, subnetOfAccount } from './subtensor/pool.js';
 * subnetOfAccount(subnetAccount(7)); // 7
 */
export function subnetOfAccount(account: Uint8Array): number | undefined {
  assertAccount(account, 'account');
  for (let i = 0; i < 4; i++) if (account[i] !== MODL[i]) return undefined;
  for (let i = 0; i < 8; i++) if (account[4 + i] !== SUBTENSOR_PALLET_ID[i]) return undefined;
  for (let i = 14; i < 32; i++) if (account[i] !== 0) return undefined;
  return (account[12] as number) | ((account[13] as number) << 8);
}

/** `get_subnet_account_id`: the subnet account if the subnet is added (root always). */
export function subnetAccountIfExists(state: StateGet, netuid: number): Uint8Array | undefined {
  return netuid === 0 || S.NetworksAdded.tryGet(state, netuid) !== undefined
    ? subnetAccount(netuid)
    : undefined;
}

/**
 * pallet_balances `reducible_balance` (Polite): what `who` can move, keeping the existential
 * deposit when `preserve` (or when the account's provider reference is needed).
 */
export function reducibleBalance(state: StateGet, who: Uint8Array, preserve: boolean): bigint {
  const a = System.Account.get(state, who);
  let untouchable = a.data.frozen > a.data.reserved ? a.data.frozen - a.data.reserved : 0n;
  const canDecProvider = a.consumers === 0 || a.providers > 1;
  if (preserve || (a.data.free !== 0n && !canDecProvider))
    untouchable = untouchable > EXISTENTIAL_DEPOSIT ? untouchable : EXISTENTIAL_DEPOSIT;
  return a.data.free > untouchable ? a.data.free - untouchable : 0n;
}

/** Runs `fn`; whatever it takes off Balances' total issuance also leaves subtensor's. */
export function mirrorIssuance<R>(ctx: DispatchContext, fn: () => R): R {
  const before = Balances.TotalIssuance.get(ctx.state);
  const r = fn();
  const after = Balances.TotalIssuance.get(ctx.state);
  if (after !== before)
    S.TotalIssuance.set(ctx.state, satU64(S.TotalIssuance.get(ctx.state) + (after - before)));
  return r;
}

/**
 * `transfer_tao`: moves up to everything `from` holds (the source may be reaped; its dust leaves
 * both issuances). Fails with `InsufficientBalance` above the reducible balance.
 */
export function transferTao(
  ctx: DispatchContext,
  from: Uint8Array,
  to: Uint8Array,
  amount: bigint,
): DispatchOutcome {
  if (amount > reducibleBalance(ctx.state, from, false))
    return fail(subtensorError('InsufficientBalance'));
  return mirrorIssuance(ctx, () => transfer(ctx, from, to, amount, false));
}

/**
 * `transfer_tao_to_subnet`: moves `amount` (capped so the coldkey keeps the existential deposit)
 * onto the subnet account; returns what was actually moved.
 */
export function transferTaoToSubnet(
  ctx: DispatchContext,
  netuid: number,
  coldkey: Uint8Array,
  amount: bigint,
): { ok: true; amount: bigint } | { ok: false; error: DispatchError } {
  if (amount === 0n) return { ok: true, amount: 0n };
  const account = subnetAccountIfExists(ctx.state, netuid);
  if (!account) return { ok: false, error: subtensorError('SubnetNotExists') };
  const max = reducibleBalance(ctx.state, coldkey, true);
  const moved = amount < max ? amount : max;
  if (moved === 0n) return { ok: false, error: subtensorError('InsufficientBalance') };
  const out = transfer(ctx, coldkey, account, moved, true);
  return out.ok ? { ok: true, amount: moved } : { ok: false, error: out.error };
}

/** `transfer_tao_from_subnet`: pays `amount` out of the subnet account. */
export function transferTaoFromSubnet(
  ctx: DispatchContext,
  netuid: number,
  to: Uint8Array,
  amount: bigint,
): DispatchOutcome {
  const account = subnetAccountIfExists(ctx.state, netuid);
  if (!account) return fail(subtensorError('SubnetNotExists'));
  return transferTao(ctx, account, to, amount);
}

/**
 * `recycle_tao`: destroys `amount` from `who` (which keeps its existential deposit), lowering
 * both issuances. Fails with `InsufficientBalance` when that would dip below the deposit.
 */
export function recycleTao(ctx: DispatchContext, who: Uint8Array, amount: bigint): DispatchOutcome {
  if (amount > reducibleBalance(ctx.state, who, true))
    return fail(subtensorError('InsufficientBalance'));
  if (amount === 0n) return OK;
  S.TotalIssuance.set(ctx.state, satU64(S.TotalIssuance.get(ctx.state) - amount));
  Balances.TotalIssuance.set(ctx.state, satU64(Balances.TotalIssuance.get(ctx.state) - amount));
  const free = System.Account.get(ctx.state, who).data.free;
  setFree(ctx, who, free - amount);
  ctx.deposit({ type: 'Balances', value: { type: 'Withdraw', value: { who, amount } } });
  return OK;
}

/**
 * Pays a swap fee held on `from` to the block author, or burns it (both issuances) when there is
 * no author or the author's account could not take it.
 */
function payAuthor(ctx: DispatchContext, from: Uint8Array, amount: bigint): DispatchOutcome {
  if (amount === 0n) return OK;
  const author = ctx.author;
  if (author) {
    const info = System.Account.get(ctx.state, author);
    const exists = info.providers > 0 || info.sufficients > 0;
    if (exists || amount >= EXISTENTIAL_DEPOSIT) return transferTao(ctx, from, author, amount);
  }
  if (amount > reducibleBalance(ctx.state, from, false))
    return fail(subtensorError('InsufficientBalance'));
  const free = System.Account.get(ctx.state, from).data.free;
  mirrorIssuance(ctx, () => {
    Balances.TotalIssuance.set(ctx.state, Balances.TotalIssuance.get(ctx.state) - amount);
    setFree(ctx, from, free - amount);
  });
  return OK;
}

/**
 * Runs `fn` all-or-nothing: its state writes and its events are kept only if it succeeds.
 * @example
 * import { atomically } from './subtensor/pool.js';
 * // const out = atomically(ctx, (inner) => doRegister(inner, coldkey, netuid, hotkey));
 */
export function atomically(
  ctx: DispatchContext,
  fn: (inner: DispatchContext) => DispatchOutcome,
): DispatchOutcome {
  const events: RuntimeEvent[] = [];
  const inner: DispatchContext = {
    state: ctx.state,
    blockNumber: ctx.blockNumber,
    author: ctx.author,
    deposit: (e) => {
      events.push(e);
    },
  };
  const out = ctx.state.transactional(() => fn(inner));
  if (out.ok) for (const e of events) ctx.deposit(e);
  return out;
}

// ---- prices -------------------------------------------------------------------------------------

/**
 * `current_alpha_price` as U64F64 raw bits (TAO per alpha): the balancer price (w1/w2)·(y/x) for a
 * dynamic subnet (0 while its alpha reserve is empty), 1.0 for root and stable subnets.
 */
export function currentAlphaPrice(state: StateGet, netuid: number): bigint {
  assertNetuid(netuid);
  if (S.SubnetMechanism.get(state, netuid) !== 1) return PRICE_ONE;
  const x = S.SubnetAlphaIn.get(state, netuid);
  if (x === 0n) return 0n;
  const y = S.SubnetTAO.get(state, netuid);
  return calculatePrice(Swap.SwapBalancer.get(state, netuid).quote, x, y);
}

/** `currentAlphaPrice` from already-read pool values (mechanism, quote, alpha and TAO reserves). */
export function alphaPriceOf(
  mechanism: number,
  quote: bigint,
  alphaIn: bigint,
  tao: bigint,
): bigint {
  if (mechanism !== 1) return PRICE_ONE;
  return alphaIn === 0n ? 0n : calculatePrice(quote, alphaIn, tao);
}

/**
 * The spot price in RAO per alpha, floor(price · 1e9) (runtime API `current_alpha_price`).
 * @example
 * import { spotPriceRao } from './subtensor/pool.js';
 * // spotPriceRao(state, 0) === 1_000_000_000n (root trades 1:1)
 */
export function spotPriceRao(state: StateGet, netuid: number): bigint {
  const price = currentAlphaPrice(state, netuid);
  return price === PRICE_ONE ? RAO_PER_TAO : priceToRao(price);
}

// ---- swaps --------------------------------------------------------------------------------------

/** Options of a pool swap. */
export interface SwapOptions {
  /** Limit price in RAO per alpha; defaults to the widest (buy 1e15, sell 1000). */
  limitPriceRao?: bigint;
  /** No swap fee at all (`drop_fees`). */
  dropFees?: boolean;
  /** Compute the outcome only: no state change, no liquidity check (`should_rollback`). */
  simulate?: boolean;
  /**
   * Buy only: leave the TAO fee on the subnet account instead of paying the block author
   * (what `burned_register` does).
   */
  keepFee?: boolean;
  /** Sell only: pays the TAO out of the subnet account to this account, before the fee is sold. */
  beneficiary?: Uint8Array;
}

/** A buy's outcome. */
export type BuyResult =
  | {
      ok: true;
      /** Alpha taken from the pool (added to `SubnetAlphaOut`). */
      alphaOut: bigint;
      /** TAO that entered `SubnetTAO` (net of the fee). */
      taoIn: bigint;
      /** Fee charged, in TAO. */
      fee: bigint;
      /** The part of the fee owed to the block author (0 when nothing executed). */
      feeToAuthor: bigint;
    }
  | { ok: false; error: DispatchError };

/** A sell's outcome. */
export type SellResult =
  | {
      ok: true;
      /** TAO taken from `SubnetTAO` (still on the subnet account unless a beneficiary was given). */
      taoOut: bigint;
      /** Alpha that entered `SubnetAlphaIn` (net of the fee). */
      alphaIn: bigint;
      /** Fee charged, in alpha. */
      fee: bigint;
      /** TAO the block author received for the alpha fee (0 without an author). */
      feeTao: bigint;
    }
  | { ok: false; error: DispatchError };

type RawSwap = { paidIn: bigint; paidOut: bigint; fee: bigint; feeToAuthor: bigint };

function checkOptions(amount: unknown, opts: unknown): SwapOptions {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null) throw new TypeError('opts: expected an object');
  const o = opts as SwapOptions;
  if (o.limitPriceRao !== undefined) assertU64(o.limitPriceRao, 'opts.limitPriceRao');
  for (const k of ['dropFees', 'simulate', 'keepFee'] as const)
    if (o[k] !== undefined && typeof o[k] !== 'boolean')
      throw new TypeError(`opts.${k}: expected a boolean`);
  if (o.beneficiary !== undefined) assertAccount(o.beneficiary, 'opts.beneficiary');
  assertU64(amount, 'amount');
  return o;
}

/** The Swap pallet's `swap` for one subnet, persisting the balancer initialisation on commit. */
function poolSwap(
  ctx: DispatchContext,
  netuid: number,
  direction: 'buy' | 'sell',
  amount: bigint,
  limitPriceRao: bigint,
  dropFees: boolean,
  simulate: boolean,
): { ok: true; swap: RawSwap } | { ok: false; error: DispatchError } {
  if (S.SubnetMechanism.get(ctx.state, netuid) !== 1)
    return { ok: true, swap: { paidIn: amount, paidOut: amount, fee: 0n, feeToAuthor: 0n } };
  const r = swap(
    {
      taoReserve: S.SubnetTAO.get(ctx.state, netuid),
      alphaReserve: S.SubnetAlphaIn.get(ctx.state, netuid),
      quote: Swap.SwapBalancer.get(ctx.state, netuid).quote,
    },
    {
      direction,
      amount,
      limitPrice: limitPriceFromRao(limitPriceRao),
      feeRate: Swap.FeeRate.get(ctx.state, netuid),
      dropFees,
      simulate,
      initialized: Swap.PalSwapInitialized.get(ctx.state, netuid),
    },
  );
  if (!r.ok) return { ok: false, error: swapError(r.error) };
  if (!simulate && r.initializedBalancer) {
    Swap.SwapBalancer.set(ctx.state, netuid, { quote: r.quote });
    Swap.PalSwapInitialized.set(ctx.state, netuid, true);
  }
  return {
    ok: true,
    swap: {
      paidIn: r.amountPaidIn,
      paidOut: r.amountPaidOut,
      fee: r.feePaid,
      feeToAuthor: r.feeToBlockAuthor,
    },
  };
}

/** `swap_alpha_for_tao`'s swap and reserve bookkeeping (no fee routing). */
function sellAndBook(
  ctx: DispatchContext,
  netuid: number,
  alpha: bigint,
  limitPriceRao: bigint,
  dropFees: boolean,
): { ok: true; swap: RawSwap } | { ok: false; error: DispatchError } {
  const r = poolSwap(ctx, netuid, 'sell', alpha, limitPriceRao, dropFees, false);
  if (!r.ok) return r;
  const { paidIn, paidOut } = r.swap;
  const st = ctx.state;
  S.SubnetAlphaIn.set(st, netuid, satU64(S.SubnetAlphaIn.get(st, netuid) + paidIn));
  S.SubnetAlphaOut.set(st, netuid, satU64(S.SubnetAlphaOut.get(st, netuid) - paidIn));
  if (paidOut !== 0n) S.SubnetTAO.set(st, netuid, satU64(S.SubnetTAO.get(st, netuid) - paidOut));
  S.TotalStake.set(st, satU64(S.TotalStake.get(st) - paidOut));
  S.SubnetVolume.set(st, netuid, satU128(S.SubnetVolume.get(st, netuid) + paidOut));
  return r;
}

/**
 * Buys alpha with `taoAmount` TAO that the caller has already moved onto `subnetAccount(netuid)`.
 *
 * Dynamic subnets swap through the balancer (Swap errors are pallet-28 module errors); root and
 * stable subnets trade 1:1 without a fee. Bookkeeping as `swap_tao_for_alpha`: `SubnetAlphaIn −=
 * alphaOut`, `SubnetAlphaOut += alphaOut`, `SubnetTAO += taoIn`, `TotalStake += taoAmount` and
 * `SubnetVolume += taoAmount` (gross, fee included). The TAO fee then goes from the subnet account
 * to `ctx.author` (burned without one) unless `keepFee`. Any unexecuted remainder of a
 * limit-price partial fill stays on the subnet account for the caller to refund. All-or-nothing.
 * @example
 * import { swapTaoForAlpha } from './subtensor/pool.js';
 * // const r = swapTaoForAlpha(ctx, 1, 1_000_000_000n, { limitPriceRao: 2_000_000_000n });
 */
export function swapTaoForAlpha(
  ctx: DispatchContext,
  netuid: number,
  taoAmount: bigint,
  opts: SwapOptions = {},
): BuyResult {
  assertNetuid(netuid);
  const o = checkOptions(taoAmount, opts);
  const limit = o.limitPriceRao ?? MAX_PRICE_RAO;
  const dropFees = o.dropFees ?? false;
  if (o.simulate) {
    const r = poolSwap(ctx, netuid, 'buy', taoAmount, limit, dropFees, true);
    if (!r.ok) return r;
    const { paidIn, paidOut, fee, feeToAuthor } = r.swap;
    return { ok: true, alphaOut: paidOut, taoIn: paidIn, fee, feeToAuthor };
  }
  let result: BuyResult = { ok: false, error: subtensorError('InsufficientLiquidity') };
  const out = ctx.state.transactional((): DispatchOutcome => {
    const r = poolSwap(ctx, netuid, 'buy', taoAmount, limit, dropFees, false);
    if (!r.ok) return fail(r.error);
    const { paidIn, paidOut, fee, feeToAuthor } = r.swap;
    const st = ctx.state;
    if (paidOut !== 0n)
      S.SubnetAlphaIn.set(st, netuid, satU64(S.SubnetAlphaIn.get(st, netuid) - paidOut));
    S.SubnetAlphaOut.set(st, netuid, satU64(S.SubnetAlphaOut.get(st, netuid) + paidOut));
    S.SubnetTAO.set(st, netuid, satU64(S.SubnetTAO.get(st, netuid) + paidIn));
    S.TotalStake.set(st, satU64(S.TotalStake.get(st) + taoAmount));
    S.SubnetVolume.set(st, netuid, satU128(S.SubnetVolume.get(st, netuid) + taoAmount));
    if (!o.keepFee) {
      const paid = payAuthor(ctx, subnetAccount(netuid), feeToAuthor);
      if (!paid.ok) return paid;
    }
    result = { ok: true, alphaOut: paidOut, taoIn: paidIn, fee, feeToAuthor };
    return OK;
  });
  return out.ok ? result : { ok: false, error: out.error };
}

/**
 * Sells `alphaAmount` alpha (already taken from the seller's stake) for TAO.
 *
 * Bookkeeping as `swap_alpha_for_tao`: `SubnetAlphaIn += alphaIn`, `SubnetAlphaOut −= alphaIn`,
 * `SubnetTAO −= taoOut`, `TotalStake −= taoOut`, `SubnetVolume += taoOut`. With `beneficiary` the
 * TAO is then paid to it from the subnet account. The alpha fee is sold again, fee-less at the
 * minimum price, and its TAO paid to `ctx.author`; without an author that alpha is burned (it
 * stays counted in `SubnetAlphaOut`, as upstream). Root and stable subnets trade 1:1 without a
 * fee. The caller re-credits any unexecuted remainder (`alphaAmount − alphaIn − fee`) of a
 * limit-price partial fill. All-or-nothing.
 * @example
 * import { swapAlphaForTao } from './subtensor/pool.js';
 * // const r = swapAlphaForTao(ctx, 1, 500_000_000n, { beneficiary: coldkey });
 */
export function swapAlphaForTao(
  ctx: DispatchContext,
  netuid: number,
  alphaAmount: bigint,
  opts: SwapOptions = {},
): SellResult {
  assertNetuid(netuid);
  const o = checkOptions(alphaAmount, opts);
  const limit = o.limitPriceRao ?? MIN_PRICE_RAO;
  const dropFees = o.dropFees ?? false;
  if (o.simulate) {
    const r = poolSwap(ctx, netuid, 'sell', alphaAmount, limit, dropFees, true);
    if (!r.ok) return r;
    return {
      ok: true,
      taoOut: r.swap.paidOut,
      alphaIn: r.swap.paidIn,
      fee: r.swap.fee,
      feeTao: 0n,
    };
  }
  let result: SellResult = { ok: false, error: subtensorError('InsufficientLiquidity') };
  const out = ctx.state.transactional((): DispatchOutcome => {
    const r = sellAndBook(ctx, netuid, alphaAmount, limit, dropFees);
    if (!r.ok) return fail(r.error);
    const { paidIn, paidOut, fee, feeToAuthor } = r.swap;
    if (o.beneficiary) {
      const paid = transferTaoFromSubnet(ctx, netuid, o.beneficiary, paidOut);
      if (!paid.ok) return paid;
    }
    let feeTao = 0n;
    if (ctx.author) {
      const f = sellAndBook(ctx, netuid, feeToAuthor, MIN_PRICE_RAO, true);
      if (!f.ok) return fail(f.error);
      feeTao = f.swap.paidOut;
      const paid = payAuthor(ctx, subnetAccount(netuid), feeTao);
      if (!paid.ok) return paid;
    }
    result = { ok: true, taoOut: paidOut, alphaIn: paidIn, fee, feeTao };
    return OK;
  });
  return out.ok ? result : { ok: false, error: out.error };
}
