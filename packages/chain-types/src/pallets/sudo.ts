/** pallet_sudo (index 12): the sudo key dispatches calls as root. */
import { type AnyShape, Enum, Lazy, Option, type ShapeType, typed } from '../dsl.js';
import { errorEnum, plainOptional } from '../pallet.js';
import { AccountId32, DispatchResult, MultiAddress, Weight } from '../primitives.js';

const P = 'Sudo';

/** Declared here, resolved to the runtime's call enum by `outer.ts`. */
export function sudoCall(runtimeCall: () => AnyShape) {
  const call = typed(Lazy(runtimeCall), 'Box<<T as Config>::RuntimeCall>');
  return Enum(
    { path: ['pallet_sudo', 'pallet', 'Call'] },
    {
      sudo: { index: 0, fields: { call } },
      sudo_unchecked_weight: { index: 1, fields: { call, weight: Weight } },
      set_key: { index: 2, fields: { new: typed(MultiAddress, 'AccountIdLookupOf<T>') } },
      sudo_as: { index: 3, fields: { who: typed(MultiAddress, 'AccountIdLookupOf<T>'), call } },
      remove_key: { index: 4 },
    },
  );
}

export const SudoEvent = Enum(
  { path: ['pallet_sudo', 'pallet', 'Event'] },
  {
    Sudid: { index: 0, fields: { sudo_result: typed(DispatchResult, 'DispatchResult') } },
    KeyChanged: {
      index: 1,
      fields: {
        old: typed(Option(AccountId32), 'Option<T::AccountId>'),
        new: typed(AccountId32, 'T::AccountId'),
      },
    },
    KeyRemoved: { index: 2 },
    SudoAsDone: { index: 3, fields: { sudo_result: typed(DispatchResult, 'DispatchResult') } },
  },
);
export type SudoEvent = ShapeType<typeof SudoEvent>;

export const SUDO_ERRORS = ['RequireSudo'] as const;
export const SudoError = errorEnum(['pallet_sudo', 'pallet', 'Error'], SUDO_ERRORS);

export const Sudo = {
  Key: plainOptional(P, 'Key', AccountId32),
};
