/**
 * The runtime's outer enums (RuntimeCall, RuntimeEvent, RuntimeError), the event record, and the
 * list of pallets in `construct_runtime` order with subtensor's indices.
 */
import { type AnyShape, Bytes, Enum, type ShapeType, Struct, u32, Vec } from './dsl.js';
import { ExtraTuple } from './extensions.js';
import { constant, type PalletDef, plain, storageItems } from './pallet.js';
import {
  ADMIN_UTILS_ERRORS,
  AdminUtils,
  AdminUtilsCall,
  AdminUtilsError,
  AdminUtilsEvent,
} from './pallets/admin-utils.js';
import {
  BALANCES_ERRORS,
  Balances,
  BalancesCall,
  BalancesError,
  BalancesEvent,
  balancesConstants,
} from './pallets/balances.js';
import {
  COMMITMENTS_ERRORS,
  Commitments,
  CommitmentsCall,
  CommitmentsError,
  CommitmentsEvent,
  commitmentsConstants,
} from './pallets/commitments.js';
import { SubtensorCall } from './pallets/subtensor/calls.js';
import { SUBTENSOR_ERRORS, SubtensorError } from './pallets/subtensor/errors.js';
import { SubtensorEvent } from './pallets/subtensor/events.js';
import { SubtensorStorage } from './pallets/subtensor/storage.js';
import { SUDO_ERRORS, Sudo, SudoError, SudoEvent, sudoCall } from './pallets/sudo.js';
import {
  SWAP_ERRORS,
  Swap,
  SwapCall,
  SwapError,
  SwapEvent,
  swapConstants,
} from './pallets/swap.js';
import {
  SYSTEM_ERRORS,
  System,
  SystemCall,
  SystemError,
  SystemEvent,
  systemConstants,
} from './pallets/system.js';
import { Timestamp, TimestampCall, timestampConstants } from './pallets/timestamp.js';
import {
  TransactionPayment,
  TransactionPaymentEvent,
  transactionPaymentConstants,
} from './pallets/transaction-payment.js';
import {
  BATCHED_CALLS_LIMIT,
  UTILITY_ERRORS,
  UtilityError,
  UtilityEvent,
  utilityCall,
} from './pallets/utility.js';
import { H256, MultiAddress, MultiSignature, Phase, type RuntimeVersion } from './primitives.js';

const runtimeCallRef = (): AnyShape => RuntimeCall as AnyShape;
export const UtilityCall = utilityCall(runtimeCallRef);
export type UtilityCall = ShapeType<typeof UtilityCall>;
export const SudoCall = sudoCall(runtimeCallRef);
export type SudoCall = ShapeType<typeof SudoCall>;

/** Every dispatchable call of the runtime, by pallet. */
export const RuntimeCall = Enum({ path: ['node_subtensor_runtime', 'RuntimeCall'] }, () => ({
  System: { index: 0, fields: SystemCall },
  Timestamp: { index: 2, fields: TimestampCall },
  Balances: { index: 5, fields: BalancesCall },
  SubtensorModule: { index: 7, fields: SubtensorCall },
  Utility: { index: 11, fields: UtilityCall },
  Sudo: { index: 12, fields: SudoCall },
  Commitments: { index: 18, fields: CommitmentsCall },
  AdminUtils: { index: 19, fields: AdminUtilsCall },
  Swap: { index: 28, fields: SwapCall },
}));
export type RuntimeCall = ShapeType<typeof RuntimeCall>;

/** The opaque extrinsic as runtime APIs take it: length-prefixed bytes, typed for metadata. */
export const UncheckedExtrinsic = Struct(
  {
    path: ['sp_runtime', 'generic', 'unchecked_extrinsic', 'UncheckedExtrinsic'],
    params: [
      { name: 'Address', shape: MultiAddress as AnyShape },
      { name: 'Call', shape: RuntimeCall as AnyShape },
      { name: 'Signature', shape: MultiSignature as AnyShape },
      { name: 'Extra', shape: ExtraTuple as AnyShape },
    ],
  },
  { value: Bytes },
);

export const RuntimeEvent = Enum(
  { path: ['node_subtensor_runtime', 'RuntimeEvent'] },
  {
    System: { index: 0, fields: SystemEvent },
    Balances: { index: 5, fields: BalancesEvent },
    TransactionPayment: { index: 6, fields: TransactionPaymentEvent },
    SubtensorModule: { index: 7, fields: SubtensorEvent },
    Utility: { index: 11, fields: UtilityEvent },
    Sudo: { index: 12, fields: SudoEvent },
    Commitments: { index: 18, fields: CommitmentsEvent },
    AdminUtils: { index: 19, fields: AdminUtilsEvent },
    Swap: { index: 28, fields: SwapEvent },
  },
);
export type RuntimeEvent = ShapeType<typeof RuntimeEvent>;

export const RuntimeError = Enum(
  { path: ['node_subtensor_runtime', 'RuntimeError'] },
  {
    System: { index: 0, fields: SystemError },
    Balances: { index: 5, fields: BalancesError },
    SubtensorModule: { index: 7, fields: SubtensorError },
    Utility: { index: 11, fields: UtilityError },
    Sudo: { index: 12, fields: SudoError },
    Commitments: { index: 18, fields: CommitmentsError },
    AdminUtils: { index: 19, fields: AdminUtilsError },
    Swap: { index: 28, fields: SwapError },
  },
);

export const EventRecord = Struct(
  {
    path: ['frame_system', 'EventRecord'],
    params: [
      { name: 'E', shape: RuntimeEvent as AnyShape },
      { name: 'T', shape: H256 as AnyShape },
    ],
  },
  { phase: Phase, event: RuntimeEvent, topics: Vec(H256) },
);
export type EventRecord = ShapeType<typeof EventRecord>;

/** `System.Events`: every event of the current block. */
export const SystemEvents = plain('System', 'Events', Vec(EventRecord), []);

/** Error names by pallet index, for turning `DispatchError::Module` into a name. */
export const ERROR_NAMES: Record<number, { pallet: string; names: readonly string[] }> = {
  0: { pallet: 'System', names: SYSTEM_ERRORS },
  5: { pallet: 'Balances', names: BALANCES_ERRORS },
  7: { pallet: 'SubtensorModule', names: SUBTENSOR_ERRORS },
  11: { pallet: 'Utility', names: UTILITY_ERRORS },
  12: { pallet: 'Sudo', names: SUDO_ERRORS },
  18: { pallet: 'Commitments', names: COMMITMENTS_ERRORS },
  19: { pallet: 'AdminUtils', names: ADMIN_UTILS_ERRORS },
  28: { pallet: 'Swap', names: SWAP_ERRORS },
};

export interface RuntimeParams {
  version: RuntimeVersion;
  ss58Prefix: number;
  blockTimeMs: number;
}

/** The pallets, in index order, as metadata lists them. */
export function pallets(p: RuntimeParams): PalletDef[] {
  const systemItems = storageItems(System);
  // Events sits between Digest and EventCount in frame_system.
  const at = systemItems.findIndex((s) => s.name === 'EventCount');
  systemItems.splice(at, 0, SystemEvents as never);
  return [
    {
      name: 'System',
      index: 0,
      calls: SystemCall as AnyShape,
      events: SystemEvent as AnyShape,
      errors: SystemError as AnyShape,
      errorNames: SYSTEM_ERRORS,
      storage: systemItems,
      constants: systemConstants(p.version, p.ss58Prefix),
    },
    {
      name: 'Timestamp',
      index: 2,
      calls: TimestampCall as AnyShape,
      storage: storageItems(Timestamp),
      constants: timestampConstants(p.blockTimeMs),
    },
    {
      name: 'Balances',
      index: 5,
      calls: BalancesCall as AnyShape,
      events: BalancesEvent as AnyShape,
      errors: BalancesError as AnyShape,
      errorNames: BALANCES_ERRORS,
      storage: storageItems(Balances),
      constants: balancesConstants(),
    },
    {
      name: 'TransactionPayment',
      index: 6,
      events: TransactionPaymentEvent as AnyShape,
      storage: storageItems(TransactionPayment),
      constants: transactionPaymentConstants(),
    },
    {
      name: 'SubtensorModule',
      index: 7,
      calls: SubtensorCall as AnyShape,
      events: SubtensorEvent as AnyShape,
      errors: SubtensorError as AnyShape,
      errorNames: SUBTENSOR_ERRORS,
      storage: storageItems(SubtensorStorage),
    },
    {
      name: 'Utility',
      index: 11,
      calls: UtilityCall as AnyShape,
      events: UtilityEvent as AnyShape,
      errors: UtilityError as AnyShape,
      errorNames: UTILITY_ERRORS,
      constants: [constant('batched_calls_limit', u32, BATCHED_CALLS_LIMIT)],
    },
    {
      name: 'Sudo',
      index: 12,
      calls: SudoCall as AnyShape,
      events: SudoEvent as AnyShape,
      errors: SudoError as AnyShape,
      errorNames: SUDO_ERRORS,
      storage: storageItems(Sudo),
    },
    {
      name: 'Commitments',
      index: 18,
      calls: CommitmentsCall as AnyShape,
      events: CommitmentsEvent as AnyShape,
      errors: CommitmentsError as AnyShape,
      errorNames: COMMITMENTS_ERRORS,
      storage: storageItems(Commitments),
      constants: commitmentsConstants(),
    },
    {
      name: 'AdminUtils',
      index: 19,
      calls: AdminUtilsCall as AnyShape,
      events: AdminUtilsEvent as AnyShape,
      errors: AdminUtilsError as AnyShape,
      errorNames: ADMIN_UTILS_ERRORS,
      storage: storageItems(AdminUtils),
    },
    {
      name: 'Swap',
      index: 28,
      calls: SwapCall as AnyShape,
      events: SwapEvent as AnyShape,
      errors: SwapError as AnyShape,
      errorNames: SWAP_ERRORS,
      storage: storageItems(Swap),
      constants: swapConstants(),
    },
  ];
}
