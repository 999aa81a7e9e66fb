/**
 * Minting the block emission and spending it, as subtensor 14bc6f9f does it
 * (coinbase/block_emission.rs `get_block_emission`, coinbase/tao.rs `mint_tao`, `spend_tao`,
 * `recycle_credit`) over pallet_balances' `Balanced` (issue / resolve / dropped credit).
 *
 * A `Credit` is TAO that is already counted in both issuances but held by no account yet. Every
 * rao of it must end on an account (`spendTao`) or leave both issuances again (`recycleCredit`),
 * so at the end of the block the free balances add up to `Balances.TotalIssuance` again.
 */
import {
  Balances,
  EXISTENTIAL_DEPOSIT,
  SubtensorStorage as S,
  type StateRW,
  System,
} from '@taoscript/chain-types';
import type { DispatchContext } from '../../dispatch.js';
import { setFree } from '../../pallets/balances.js';
import { blockEmissionForIssuance, TOTAL_SUPPLY } from '../math/emission.js';

const U64_MAX = (1n << 64n) - 1n;
/** `MAX_TAO_ISSUANCE`: minting never takes Balances' issuance above 21M TAO. */
export const MAX_TAO_ISSUANCE = 21_000_000_000_000_000n;

const satU64 = (v: bigint): bigint => (v < 0n ? 0n : v > U64_MAX ? U64_MAX : v);

/** An imbalance of freshly issued TAO (`CreditOf<T>`): issued, not yet on any account. */
export interface Credit {
  amount: bigint;
}

/**
 * `get_block_emission_for_issuance` with its side effect: below the total supply the result is
 * written to `BlockEmission` when it differs (upstream does this for TAO and for every subnet's
 * alpha alike, so the item ends the block holding the last value computed).
 * @example
 * import { recordedBlockEmission } from './coinbase/tao.js';
 * // recordedBlockEmission(ctx.state, 0n) === 1_000_000_000n
 */
export function recordedBlockEmission(st: StateRW, issuance: bigint): bigint {
  return blockEmissionRecorder(st)(issuance);
}

/**
 * `recordedBlockEmission` for many issuances in a row: `BlockEmission` is read once and then
 * tracked (nothing else may write it while the recorder is in use).
 */
export function blockEmissionRecorder(st: StateRW): (issuance: bigint) => bigint {
  let stored: bigint | undefined;
  return (issuance) => {
    if (issuance >= TOTAL_SUPPLY) return 0n;
    const emission = blockEmissionForIssuance(issuance);
    stored ??= S.BlockEmission.get(st);
    if (stored !== emission) {
      S.BlockEmission.set(st, emission);
      stored = emission;
    }
    return emission;
  };
}

/**
 * `mint_tao`: issues up to `amount` (capped so Balances' issuance stays ≤ 21M TAO), raising both
 * issuances, and returns it as a credit. Deposits `Balances.Issued` when non-zero.
 * @example
 * import { mintTao } from './coinbase/tao.js';
 * // const credit = mintTao(ctx, 1_000_000_000n);
 */
export function mintTao(ctx: DispatchContext, amount: bigint): Credit {
  if (typeof amount !== 'bigint') throw new TypeError('amount: expected a bigint');
  if (amount < 0n || amount > U64_MAX) throw new RangeError(`amount: ${amount} is outside u64`);
  const st = ctx.state;
  const balancesTi = Balances.TotalIssuance.get(st);
  const room = MAX_TAO_ISSUANCE > balancesTi ? MAX_TAO_ISSUANCE - balancesTi : 0n;
  const capped = amount < room ? amount : room;
  S.TotalIssuance.set(st, satU64(S.TotalIssuance.get(st) + capped));
  const issued = satU64(balancesTi + capped) - balancesTi;
  Balances.TotalIssuance.set(st, balancesTi + issued);
  if (issued !== 0n)
    ctx.deposit({ type: 'Balances', value: { type: 'Issued', value: { amount: issued } } });
  return { amount: issued };
}

/**
 * `get_block_emission`: the emission for subtensor's `TotalIssuance` (recorded in
 * `BlockEmission`), minted. An empty credit once the supply is exhausted.
 * @example
 * import { getBlockEmission } from './coinbase/tao.js';
 * // getBlockEmission(ctx).amount === 1_000_000_000n at genesis issuance
 */
export function getBlockEmission(ctx: DispatchContext): Credit {
  const emission = recordedBlockEmission(ctx.state, S.TotalIssuance.get(ctx.state));
  return emission === 0n ? { amount: 0n } : mintTao(ctx, emission);
}

/**
 * `spend_tao`: moves `part` of the credit onto `who` (pallet_balances `resolve`: refused when the
 * credit is short, when the new balance would stay below the existential deposit, or overflow).
 * Returns whether it was spent; on refusal the credit is untouched.
 * @example
 * import { spendTao } from './coinbase/tao.js';
 * // spendTao(ctx, subnetAccount(1), credit, 250_000_000n) === true
 */
export function spendTao(
  ctx: DispatchContext,
  who: Uint8Array,
  credit: Credit,
  part: bigint,
): boolean {
  if (credit.amount < part) return false;
  const info = System.Account.get(ctx.state, who);
  const next = info.data.free + part;
  if (next > U64_MAX || next < EXISTENTIAL_DEPOSIT) return false;
  if (part !== 0n) {
    setFree(ctx, who, next, info);
    ctx.deposit({ type: 'Balances', value: { type: 'Deposit', value: { who, amount: part } } });
  }
  credit.amount -= part;
  return true;
}

/**
 * `recycle_credit` and the credit's drop: whatever was not spent leaves subtensor's
 * `TotalIssuance` and Balances' issuance.
 * @example
 * import { recycleCredit } from './coinbase/tao.js';
 * // recycleCredit(ctx, credit); // credit.amount === 0n afterwards
 */
export function recycleCredit(ctx: DispatchContext, credit: Credit): void {
  const amount = credit.amount;
  if (amount === 0n) return;
  const st = ctx.state;
  S.TotalIssuance.set(st, satU64(S.TotalIssuance.get(st) - amount));
  Balances.TotalIssuance.set(st, satU64(Balances.TotalIssuance.get(st) - amount));
  credit.amount = 0n;
}
