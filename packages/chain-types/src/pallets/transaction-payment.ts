/** pallet_transaction_payment (index 6): fees by length and weight, paid to the block author. */
import { Enum, Newtype, type ShapeType, typed, u8, u64, u128 } from '../dsl.js';
import { constant, plain } from '../pallet.js';
import { AccountId32 } from '../primitives.js';

const P = 'TransactionPayment';

export const FixedU128 = Newtype({ path: ['sp_arithmetic', 'fixed_point', 'FixedU128'] }, u128);
const Releases = Enum(
  { path: ['pallet_transaction_payment', 'Releases'] },
  { V1Ancient: { index: 0 }, V2: { index: 1 } },
);

export const TransactionPaymentEvent = Enum(
  { path: ['pallet_transaction_payment', 'pallet', 'Event'] },
  {
    TransactionFeePaid: {
      index: 0,
      fields: {
        who: typed(AccountId32, 'T::AccountId'),
        actual_fee: typed(u64, 'BalanceOf<T>'),
        tip: typed(u64, 'BalanceOf<T>'),
      },
    },
  },
);
export type TransactionPaymentEvent = ShapeType<typeof TransactionPaymentEvent>;

export const TransactionPayment = {
  NextFeeMultiplier: plain(P, 'NextFeeMultiplier', FixedU128, 1_000_000_000_000_000_000n),
  StorageVersion: plain(P, 'StorageVersion', Releases, { type: 'V1Ancient' }),
};

/** Subtensor's fee constants (runtime/src/lib.rs). */
export const OPERATIONAL_FEE_MULTIPLIER = 5;
/** WeightToFee: 0.0005 rao per unit of ref time, as a Perbill. */
export const WEIGHT_FEE_PERBILL = 500_000n;
/** LengthToFee: 1 rao per encoded byte. */
export const LENGTH_FEE_PER_BYTE = 1n;

export const transactionPaymentConstants = () => [
  constant('OperationalFeeMultiplier', u8, OPERATIONAL_FEE_MULTIPLIER),
];
