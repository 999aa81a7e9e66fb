/** frame_system (pallet index 0): accounts, nonces, events, block hashes, remarks. */
import {
  type AnyShape,
  Bytes,
  Compact,
  Enum,
  Option,
  type Shape,
  type ShapeType,
  Struct,
  str,
  Tuple,
  typed,
  u16,
  u32,
  u64,
  Vec,
} from '../dsl.js';
import { constant, errorEnum, map, plain, plainOptional, storageItems } from '../pallet.js';
import {
  AccountId32,
  AccountInfo,
  Digest,
  DispatchError,
  DispatchEventInfo,
  H256,
  Phase,
  RuntimeVersion,
  Weight,
} from '../primitives.js';

const P = 'System';

export const SystemCall = Enum(
  { path: ['frame_system', 'pallet', 'Call'] },
  {
    remark: { index: 0, fields: { remark: typed(Bytes, 'Vec<u8>') } },
    set_heap_pages: { index: 1, fields: { pages: u64 } },
    set_code: { index: 2, fields: { code: Bytes } },
    set_code_without_checks: { index: 3, fields: { code: Bytes } },
    set_storage: { index: 4, fields: { items: Vec(Tuple(Bytes, Bytes)) } },
    kill_storage: { index: 5, fields: { keys: Vec(Bytes) } },
    kill_prefix: { index: 6, fields: { prefix: Bytes, subkeys: u32 } },
    remark_with_event: { index: 7, fields: { remark: typed(Bytes, 'Vec<u8>') } },
  },
);
export type SystemCall = ShapeType<typeof SystemCall>;

export const SystemEvent = Enum(
  { path: ['frame_system', 'pallet', 'Event'] },
  {
    ExtrinsicSuccess: { index: 0, fields: { dispatch_info: DispatchEventInfo } },
    ExtrinsicFailed: {
      index: 1,
      fields: { dispatch_error: DispatchError, dispatch_info: DispatchEventInfo },
    },
    CodeUpdated: { index: 2 },
    NewAccount: { index: 3, fields: { account: typed(AccountId32, 'T::AccountId') } },
    KilledAccount: { index: 4, fields: { account: typed(AccountId32, 'T::AccountId') } },
    Remarked: {
      index: 5,
      fields: { sender: typed(AccountId32, 'T::AccountId'), hash: typed(H256, 'T::Hash') },
    },
  },
);
export type SystemEvent = ShapeType<typeof SystemEvent>;

export const SYSTEM_ERRORS = [
  'InvalidSpecName',
  'SpecVersionNeedsToIncrease',
  'FailedToExtractRuntimeVersion',
  'NonDefaultComposite',
  'NonZeroRefCount',
  'CallFiltered',
  'MultiBlockMigrationsOngoing',
  'NothingAuthorized',
  'Unauthorized',
] as const;
export const SystemError = errorEnum(['frame_system', 'pallet', 'Error'], SYSTEM_ERRORS);

const perClass = <T>(inner: Shape<T>, name: string) =>
  Struct(
    {
      path: ['frame_support', 'dispatch', 'PerDispatchClass'],
      params: [{ name: 'T', shape: inner as AnyShape }],
    },
    { normal: typed(inner, name), operational: typed(inner, name), mandatory: typed(inner, name) },
  );

export const ZERO_WEIGHT: Weight = { ref_time: 0n, proof_size: 0n };

const LastRuntimeUpgradeInfo = Struct(
  { path: ['frame_system', 'LastRuntimeUpgradeInfo'] },
  { spec_version: Compact(u32), spec_name: str },
);

export const System = {
  Account: map(P, 'Account', 'Blake2_128Concat', AccountId32, AccountInfo, {
    nonce: 0,
    consumers: 0,
    providers: 0,
    sufficients: 0,
    data: { free: 0n, reserved: 0n, frozen: 0n, flags: 0n },
  }),
  ExtrinsicCount: plainOptional(P, 'ExtrinsicCount', u32),
  BlockWeight: plain(P, 'BlockWeight', perClass(Weight, 'Weight'), {
    normal: ZERO_WEIGHT,
    operational: ZERO_WEIGHT,
    mandatory: ZERO_WEIGHT,
  }),
  AllExtrinsicsLen: plainOptional(P, 'AllExtrinsicsLen', u32),
  BlockHash: map(P, 'BlockHash', 'Twox64Concat', u32, H256, new Uint8Array(32)),
  ExtrinsicData: map(P, 'ExtrinsicData', 'Twox64Concat', u32, Bytes, new Uint8Array()),
  Number: plain(P, 'Number', u32, 0),
  ParentHash: plain(P, 'ParentHash', H256, new Uint8Array(32)),
  Digest: plain(P, 'Digest', Digest, { logs: [] }),
  // Events is declared in outer.ts, where RuntimeEvent exists.
  EventCount: plain(P, 'EventCount', u32, 0),
  EventTopics: map(P, 'EventTopics', 'Blake2_128Concat', H256, Vec(Tuple(u32, u32)), []),
  LastRuntimeUpgrade: plainOptional(P, 'LastRuntimeUpgrade', LastRuntimeUpgradeInfo),
  ExecutionPhase: plainOptional(P, 'ExecutionPhase', Phase),
};

const WeightsPerClass = Struct(
  { path: ['frame_system', 'limits', 'WeightsPerClass'] },
  {
    base_extrinsic: Weight,
    max_extrinsic: Option(Weight),
    max_total: Option(Weight),
    reserved: Option(Weight),
  },
);
const BlockWeights = Struct(
  { path: ['frame_system', 'limits', 'BlockWeights'] },
  {
    base_block: Weight,
    max_block: Weight,
    per_class: perClass(WeightsPerClass, 'WeightsPerClass'),
  },
);
const BlockLength = Struct(
  { path: ['frame_system', 'limits', 'BlockLength'] },
  { max: perClass(u32, 'u32') },
);
const RuntimeDbWeight = Struct(
  { path: ['sp_weights', 'RuntimeDbWeight'] },
  { read: u64, write: u64 },
);

/** Subtensor's block limits: 4 s of ref time per block, 75% for normal transactions, 5 MiB. */
export const WEIGHT_REF_TIME_PER_SECOND = 1_000_000_000_000n;
export const MAXIMUM_BLOCK_WEIGHT: Weight = {
  ref_time: 4n * WEIGHT_REF_TIME_PER_SECOND,
  proof_size: 18_446_744_073_709_551_615n,
};
/** frame_support's `ExtrinsicBaseWeight` (125 µs) and `BlockExecutionWeight` (5 ms). */
export const EXTRINSIC_BASE_WEIGHT: Weight = { ref_time: 125_000_000n, proof_size: 0n };
export const BLOCK_EXECUTION_WEIGHT: Weight = { ref_time: 5_000_000_000n, proof_size: 0n };
export const NORMAL_DISPATCH_RATIO_PERCENT = 75n;
export const MAX_BLOCK_LENGTH = 5 * 1024 * 1024;
/** The share of a block's length normal transactions may use (75%, as weight). */
export const MAX_NORMAL_BLOCK_LENGTH = Math.floor((MAX_BLOCK_LENGTH * 75) / 100);
export const BLOCK_HASH_COUNT = 4096;

const scaleWeight = (w: Weight, pct: bigint): Weight => ({
  ref_time: (w.ref_time * pct) / 100n,
  proof_size: (w.proof_size * pct) / 100n,
});
const normalMax = scaleWeight(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO_PERCENT);
export const MAX_NORMAL_EXTRINSIC_WEIGHT: Weight = {
  ref_time: normalMax.ref_time - EXTRINSIC_BASE_WEIGHT.ref_time,
  proof_size: normalMax.proof_size,
};

export const BLOCK_WEIGHTS_VALUE: ShapeType<typeof BlockWeights> = {
  base_block: BLOCK_EXECUTION_WEIGHT,
  max_block: MAXIMUM_BLOCK_WEIGHT,
  per_class: {
    normal: {
      base_extrinsic: EXTRINSIC_BASE_WEIGHT,
      max_extrinsic: MAX_NORMAL_EXTRINSIC_WEIGHT,
      max_total: normalMax,
      reserved: ZERO_WEIGHT,
    },
    operational: {
      base_extrinsic: EXTRINSIC_BASE_WEIGHT,
      max_extrinsic: {
        ref_time: MAXIMUM_BLOCK_WEIGHT.ref_time - EXTRINSIC_BASE_WEIGHT.ref_time,
        proof_size: MAXIMUM_BLOCK_WEIGHT.proof_size,
      },
      max_total: MAXIMUM_BLOCK_WEIGHT,
      reserved: scaleWeight(MAXIMUM_BLOCK_WEIGHT, 100n - NORMAL_DISPATCH_RATIO_PERCENT),
    },
    mandatory: {
      base_extrinsic: EXTRINSIC_BASE_WEIGHT,
      max_extrinsic: undefined,
      max_total: undefined,
      reserved: undefined,
    },
  },
};

/** The constants System advertises; `Version` is filled in by the runtime definition. */
export function systemConstants(version: RuntimeVersion, ss58Prefix: number) {
  return [
    constant('BlockWeights', BlockWeights, BLOCK_WEIGHTS_VALUE),
    constant('BlockLength', BlockLength, {
      max: {
        normal: MAX_NORMAL_BLOCK_LENGTH,
        operational: MAX_BLOCK_LENGTH,
        mandatory: MAX_BLOCK_LENGTH,
      },
    }),
    constant('BlockHashCount', u32, BLOCK_HASH_COUNT),
    constant('DbWeight', RuntimeDbWeight, { read: 25_000_000n, write: 100_000_000n }),
    constant('Version', RuntimeVersion, version),
    constant('SS58Prefix', u16, ss58Prefix),
  ];
}

export const systemStorage = () => storageItems(System);
