/** pallet_balances (index 5): free balances in System.Account, transfers, total issuance. */
import { bool, Compact, Enum, type ShapeType, typed, u32, u64 } from '../dsl.js';
import { constant, errorEnum, plain } from '../pallet.js';
import { AccountId32, MultiAddress } from '../primitives.js';

const P = 'Balances';

/** 500 rao, as subtensor. */
export const EXISTENTIAL_DEPOSIT = 500n;

const dest = typed(MultiAddress, 'AccountIdLookupOf<T>');
const bal = typed(Compact(u64), 'T::Balance');
const who = typed(AccountId32, 'T::AccountId');
const amount = typed(u64, 'T::Balance');

export const BalancesCall = Enum(
  { path: ['pallet_balances', 'pallet', 'Call'] },
  {
    transfer_allow_death: { index: 0, fields: { dest, value: bal } },
    force_transfer: { index: 2, fields: { source: dest, dest, value: bal } },
    transfer_keep_alive: { index: 3, fields: { dest, value: bal } },
    transfer_all: {
      index: 4,
      fields: { dest, keep_alive: bool },
    },
    force_set_balance: { index: 8, fields: { who: dest, new_free: bal } },
    burn: { index: 10, fields: { value: bal, keep_alive: bool } },
  },
);
export type BalancesCall = ShapeType<typeof BalancesCall>;

export const BalancesEvent = Enum(
  { path: ['pallet_balances', 'pallet', 'Event'] },
  {
    Endowed: { index: 0, fields: { account: who, free_balance: amount } },
    DustLost: { index: 1, fields: { account: who, amount } },
    Transfer: { index: 2, fields: { from: who, to: who, amount } },
    BalanceSet: { index: 3, fields: { who, free: amount } },
    Reserved: { index: 4, fields: { who, amount } },
    Unreserved: { index: 5, fields: { who, amount } },
    Deposit: { index: 7, fields: { who, amount } },
    Withdraw: { index: 8, fields: { who, amount } },
    Slashed: { index: 9, fields: { who, amount } },
    Minted: { index: 10, fields: { who, amount } },
    Burned: { index: 11, fields: { who, amount } },
    Issued: { index: 15, fields: { amount } },
    Rescinded: { index: 16, fields: { amount } },
  },
);
export type BalancesEvent = ShapeType<typeof BalancesEvent>;

export const BALANCES_ERRORS = [
  'VestingBalance',
  'LiquidityRestrictions',
  'InsufficientBalance',
  'ExistentialDeposit',
  'Expendability',
  'ExistingVestingSchedule',
  'DeadAccount',
  'TooManyReserves',
  'TooManyHolds',
  'TooManyFreezes',
  'IssuanceDeactivated',
  'DeltaZero',
] as const;
export const BalancesError = errorEnum(['pallet_balances', 'pallet', 'Error'], BALANCES_ERRORS);

export const Balances = {
  TotalIssuance: plain(P, 'TotalIssuance', u64, 0n),
  InactiveIssuance: plain(P, 'InactiveIssuance', u64, 0n),
};

export const balancesConstants = () => [
  constant('ExistentialDeposit', u64, EXISTENTIAL_DEPOSIT),
  constant('MaxLocks', u32, 50),
  constant('MaxReserves', u32, 50),
  constant('MaxFreezes', u32, 50),
];
