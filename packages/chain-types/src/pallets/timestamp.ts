/** pallet_timestamp (index 2): the `set` inherent that every block carries. */
import { bool, Compact, Enum, type ShapeType, typed, u64 } from '../dsl.js';
import { constant, plain } from '../pallet.js';

const P = 'Timestamp';

export const TimestampCall = Enum(
  { path: ['pallet_timestamp', 'pallet', 'Call'] },
  { set: { index: 0, fields: { now: typed(Compact(u64), 'T::Moment') } } },
);
export type TimestampCall = ShapeType<typeof TimestampCall>;

export const Timestamp = {
  Now: plain(P, 'Now', u64, 0n),
  DidUpdate: plain(P, 'DidUpdate', bool, false),
};

/** Half the block time, as Aura chains set it. */
export const timestampConstants = (blockTimeMs: number) => [
  constant('MinimumPeriod', u64, BigInt(Math.floor(blockTimeMs / 2))),
];
