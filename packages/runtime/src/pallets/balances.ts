/** Balances: free balances kept in System.Account, transfers, existential deposit, issuance. */
import {
  type AccountInfo,
  Balances,
  type BalancesCall,
  type DispatchError,
  EXISTENTIAL_DEPOSIT,
  type MultiAddress,
  System,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  OK,
  type Origin,
} from '../dispatch.js';

const token = (t: 'FundsUnavailable' | 'BelowMinimum' | 'NotExpendable'): DispatchError => ({
  type: 'Token',
  value: { type: t },
});

/** Resolves a MultiAddress to an account id (only `Id` and `Address32` name an account here). */
export function lookup(address: MultiAddress): Uint8Array | undefined {
  if (address.type === 'Id' || address.type === 'Address32') return address.value;
  return undefined;
}

export function account(ctx: Pick<DispatchContext, 'state'>, who: Uint8Array): AccountInfo {
  return System.Account.get(ctx.state, who);
}

export function freeBalance(ctx: Pick<DispatchContext, 'state'>, who: Uint8Array): bigint {
  return account(ctx, who).data.free;
}

function exists(info: AccountInfo): boolean {
  return info.providers > 0 || info.sufficients > 0;
}

/**
 * Sets an account's free balance, creating it (NewAccount, Endowed) when it reaches the
 * existential deposit and reaping it (DustLost, KilledAccount) when it falls below.
 * Total issuance is not touched here except for dust, which is burned. `info`: the account as
 * just read (saves re-reading it; it is updated in place).
 */
export function setFree(
  ctx: DispatchContext,
  who: Uint8Array,
  free: bigint,
  info: AccountInfo = account(ctx, who),
): void {
  const existed = exists(info);
  if (free < EXISTENTIAL_DEPOSIT && info.consumers === 0 && info.sufficients === 0) {
    if (existed || free > 0n) {
      if (free > 0n) {
        const ti = Balances.TotalIssuance.get(ctx.state);
        Balances.TotalIssuance.set(ctx.state, ti - free);
        ctx.deposit({
          type: 'Balances',
          value: { type: 'DustLost', value: { account: who, amount: free } },
        });
      }
      if (existed) {
        System.Account.remove(ctx.state, who);
        ctx.deposit({ type: 'System', value: { type: 'KilledAccount', value: { account: who } } });
      }
    }
    return;
  }
  info.data.free = free;
  if (!existed) {
    info.providers = 1;
    System.Account.set(ctx.state, who, info);
    ctx.deposit({ type: 'System', value: { type: 'NewAccount', value: { account: who } } });
    ctx.deposit({
      type: 'Balances',
      value: { type: 'Endowed', value: { account: who, free_balance: free } },
    });
    return;
  }
  System.Account.set(ctx.state, who, info);
}

/** Moves `amount` between accounts with pallet_balances' checks and events. */
export function transfer(
  ctx: DispatchContext,
  from: Uint8Array,
  to: Uint8Array,
  amount: bigint,
  keepAlive: boolean,
): DispatchOutcome {
  if (amount === 0n || bytesEqual(from, to)) return OK;
  const src = account(ctx, from);
  const available = src.data.free - src.data.frozen;
  if (available < amount) return fail(token('FundsUnavailable'));
  const newFrom = src.data.free - amount;
  if (keepAlive && newFrom < EXISTENTIAL_DEPOSIT) return fail(token('NotExpendable'));
  const dst = account(ctx, to);
  const newTo = dst.data.free + amount;
  if (newTo < EXISTENTIAL_DEPOSIT) return fail(token('BelowMinimum'));
  if (newTo > 0xffff_ffff_ffff_ffffn)
    return fail({ type: 'Arithmetic', value: { type: 'Overflow' } });
  setFree(ctx, from, newFrom);
  setFree(ctx, to, newTo);
  ctx.deposit({ type: 'Balances', value: { type: 'Transfer', value: { from, to, amount } } });
  return OK;
}

/** Balances' calls. */
export function dispatchBalances(
  ctx: DispatchContext,
  origin: Origin,
  call: BalancesCall,
): DispatchOutcome {
  switch (call.type) {
    case 'transfer_allow_death':
    case 'transfer_keep_alive': {
      if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
      const dest = lookup(call.value.dest);
      if (!dest) return fail({ type: 'CannotLookup' });
      return transfer(ctx, origin.who, dest, call.value.value, call.type === 'transfer_keep_alive');
    }
    case 'transfer_all': {
      if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
      const dest = lookup(call.value.dest);
      if (!dest) return fail({ type: 'CannotLookup' });
      const src = account(ctx, origin.who);
      let amount = src.data.free - src.data.frozen;
      if (call.value.keep_alive) amount -= EXISTENTIAL_DEPOSIT;
      if (amount <= 0n) return OK;
      return transfer(ctx, origin.who, dest, amount, call.value.keep_alive);
    }
    case 'force_transfer': {
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      const src = lookup(call.value.source);
      const dest = lookup(call.value.dest);
      if (!src || !dest) return fail({ type: 'CannotLookup' });
      return transfer(ctx, src, dest, call.value.value, false);
    }
    case 'force_set_balance': {
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      const who = lookup(call.value.who);
      if (!who) return fail({ type: 'CannotLookup' });
      const newFree = call.value.new_free < EXISTENTIAL_DEPOSIT ? 0n : call.value.new_free;
      const old = freeBalance(ctx, who);
      const ti = Balances.TotalIssuance.get(ctx.state);
      Balances.TotalIssuance.set(ctx.state, ti - old + newFree);
      setFree(ctx, who, newFree);
      ctx.deposit({
        type: 'Balances',
        value: { type: 'BalanceSet', value: { who, free: newFree } },
      });
      return OK;
    }
    case 'burn': {
      if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
      const src = account(ctx, origin.who);
      const amount = call.value.value;
      if (src.data.free - src.data.frozen < amount) return fail(token('FundsUnavailable'));
      const left = src.data.free - amount;
      if (call.value.keep_alive && left < EXISTENTIAL_DEPOSIT) return fail(token('NotExpendable'));
      const ti = Balances.TotalIssuance.get(ctx.state);
      Balances.TotalIssuance.set(ctx.state, ti - amount);
      setFree(ctx, origin.who, left);
      ctx.deposit({
        type: 'Balances',
        value: { type: 'Burned', value: { who: origin.who, amount } },
      });
      return OK;
    }
  }
}

/** Takes a fee from an account, which must keep the existential deposit (fee payment never reaps). */
export function withdrawFee(ctx: DispatchContext, who: Uint8Array, amount: bigint): boolean {
  if (amount === 0n) return true;
  const info = account(ctx, who);
  if (info.data.free - info.data.frozen < amount || info.data.free - amount < EXISTENTIAL_DEPOSIT)
    return false;
  info.data.free -= amount;
  System.Account.set(ctx.state, who, info);
  ctx.deposit({ type: 'Balances', value: { type: 'Withdraw', value: { who, amount } } });
  return true;
}

/** Credits an amount (fees to the author, refunds); burns it if it cannot be credited. */
export function depositCredit(
  ctx: DispatchContext,
  who: Uint8Array | undefined,
  amount: bigint,
): void {
  if (amount === 0n) return;
  const info = who ? account(ctx, who) : undefined;
  if (!who || !info || (!exists(info) && amount < EXISTENTIAL_DEPOSIT)) {
    const ti = Balances.TotalIssuance.get(ctx.state);
    Balances.TotalIssuance.set(ctx.state, ti - amount);
    return;
  }
  setFree(ctx, who, info.data.free + amount);
  ctx.deposit({ type: 'Balances', value: { type: 'Deposit', value: { who, amount } } });
}
