/** Subtensor's utility pallet (index 11): batch, batch_all, force_batch. */
import { type AnyShape, Enum, Lazy, type ShapeType, typed, u16, u32, Vec } from '../dsl.js';
import { errorEnum } from '../pallet.js';
import { DispatchError, DispatchResult, Weight } from '../primitives.js';

/** Declared here, resolved to the runtime's call enum by `outer.ts`. */
export function utilityCall(runtimeCall: () => AnyShape) {
  const call = Lazy(runtimeCall);
  const calls = typed(Vec(call), 'Vec<<T as Config>::RuntimeCall>');
  const boxed = typed(call, 'Box<<T as Config>::RuntimeCall>');
  return Enum(
    { path: ['pallet_subtensor_utility', 'pallet', 'Call'] },
    {
      batch: { index: 0, fields: { calls } },
      as_derivative: { index: 1, fields: { index: u16, call: boxed } },
      batch_all: { index: 2, fields: { calls } },
      force_batch: { index: 4, fields: { calls } },
      with_weight: { index: 5, fields: { call: boxed, weight: Weight } },
    },
  );
}

export const UtilityEvent = Enum(
  { path: ['pallet_subtensor_utility', 'pallet', 'Event'] },
  {
    BatchInterrupted: { index: 0, fields: { index: u32, error: DispatchError } },
    BatchCompleted: { index: 1 },
    BatchCompletedWithErrors: { index: 2 },
    ItemCompleted: { index: 3 },
    ItemFailed: { index: 4, fields: { error: DispatchError } },
    DispatchedAs: { index: 5, fields: { result: typed(DispatchResult, 'DispatchResult') } },
  },
);
export type UtilityEvent = ShapeType<typeof UtilityEvent>;

export const UTILITY_ERRORS = ['TooManyCalls', 'InvalidDerivedAccount'] as const;
export const UtilityError = errorEnum(
  ['pallet_subtensor_utility', 'pallet', 'Error'],
  UTILITY_ERRORS,
);

/** The batch size limit of pallet_utility's `batched_calls_limit`. */
export const BATCHED_CALLS_LIMIT = 10_922;
