/**
 * pallet_commitments (index 18): per-subnet miner metadata (`set_commitment`), optionally
 * timelock-encrypted until a drand round, with a per-epoch space budget.
 */
import { type Codec, compact, createCodec, createDecoder } from 'scale-ts';
import {
  type AnyShape,
  advanceCursor,
  Bytes,
  Custom,
  cursorOf,
  Enum,
  FixedBytes,
  type Shape,
  type ShapeType,
  Struct,
  Tuple,
  typed,
  u8,
  u32,
  u64,
  type VariantSpec,
  Vec,
} from '../dsl.js';
import { type ConstantDef, constant, doubleMap, errorEnum, plain } from '../pallet.js';
import { AccountId32 } from '../primitives.js';
import { BTreeSet } from '../subtensor-apis.js';
import { NetUid } from './subtensor/common.js';

const P = 'Commitments';

const BOUNDED_VEC_PATH = ['bounded_collections', 'bounded_vec', 'BoundedVec'];

function checkBound(bound: number): void {
  if (!Number.isSafeInteger(bound) || bound < 0) throw new RangeError(`bad bound ${bound}`);
}

function boundedShape<V>(inner: AnyShape, seq: AnyShape, codec: Codec<V>): Shape<V> {
  return Custom(
    codec,
    { kind: 'composite', fields: [{ shape: seq, typeName: 'Vec<T>' }] },
    { path: BOUNDED_VEC_PATH, params: [{ name: 'T', shape: inner }, { name: 'S' }] },
  );
}

/**
 * `BoundedVec<T, S>`: a `Vec<T>` whose length may not exceed `bound`, checked on encode and on
 * decode (FRAME rejects an over-long vector while decoding).
 */
export function CheckedBoundedVec<T>(inner: Shape<T>, bound: number): Shape<T[]> {
  checkBound(bound);
  const seq = Vec(inner);
  const dec = inner.codec.dec;
  const codec = createCodec<T[]>(
    (value) => {
      if (!Array.isArray(value)) throw new TypeError('BoundedVec: expected an array');
      if (value.length > bound)
        throw new RangeError(`BoundedVec: ${value.length} items exceed the bound ${bound}`);
      return seq.enc(value);
    },
    createDecoder((input) => {
      const n = Number(compact.dec(input));
      if (n > bound) throw new RangeError(`BoundedVec: length ${n} exceeds the bound ${bound}`);
      if (n > input.length - cursorOf(input)) throw new RangeError('BoundedVec: input too short');
      const out: T[] = new Array(n);
      for (let k = 0; k < n; k++) out[k] = dec(input);
      return out;
    }),
  );
  return boundedShape(inner as AnyShape, seq as AnyShape, codec);
}

/** `BoundedVec<u8, S>` as bytes, at most `bound` long. */
export function CheckedBoundedBytes(bound: number): Shape<Uint8Array> {
  checkBound(bound);
  const codec = createCodec<Uint8Array>(
    (value) => {
      if (!(value instanceof Uint8Array)) throw new TypeError('BoundedVec<u8>: expected bytes');
      if (value.length > bound)
        throw new RangeError(`BoundedVec<u8>: ${value.length} bytes exceed the bound ${bound}`);
      return Bytes.enc(value);
    },
    createDecoder((input) => {
      const n = Number(compact.dec(input));
      if (n > bound) throw new RangeError(`BoundedVec<u8>: length ${n} exceeds the bound ${bound}`);
      const at = cursorOf(input);
      if (at + n > input.length) throw new RangeError('BoundedVec<u8>: input too short');
      advanceCursor(input, n);
      return new Uint8Array(input.buffer, input.byteOffset + at, n).slice();
    }),
  );
  return boundedShape(u8 as AnyShape, Bytes as AnyShape, codec);
}

/** Largest `Data::Raw` payload; raw data of length n is variant `Raw{n}` with index n + 1. */
export const MAX_RAW_DATA_LEN = 128;
/** `MAX_TIMELOCK_COMMITMENT_SIZE_BYTES`. */
export const MAX_TIMELOCK_COMMITMENT_SIZE_BYTES = 1024;
/** `MAX_BIGRAW_COMMITMENT_SIZE_BYTES`. */
export const MAX_BIGRAW_COMMITMENT_SIZE_BYTES = 512;
/** `MaxFields` in subtensor's runtime (`MaxCommitFieldsInner`). */
export const MAX_COMMIT_FIELDS = 3;
/** `MaxSpace`'s default: bytes per (netuid, account) per epoch. */
export const DEFAULT_MAX_SPACE = 3100;

const Hash32 = FixedBytes(32);

/** One commitment field. `Raw0`..`Raw128` carry exactly that many bytes. */
export type CommitmentData =
  | { type: 'None'; value?: undefined }
  | { type: `Raw${number}`; value: Uint8Array }
  | { type: 'BlakeTwo256' | 'Sha256' | 'Keccak256' | 'ShaThree256'; value: Uint8Array }
  | { type: 'TimelockEncrypted'; value: { encrypted: Uint8Array; reveal_round: bigint } }
  | { type: 'ResetBondsFlag'; value?: undefined }
  | { type: 'BigRaw'; value: Uint8Array };

function dataVariants(): Record<string, VariantSpec> {
  const v: Record<string, VariantSpec> = { None: { index: 0 } };
  for (let n = 0; n <= MAX_RAW_DATA_LEN; n++)
    v[`Raw${n}`] = { index: n + 1, fields: FixedBytes(n) };
  v.BlakeTwo256 = { index: 130, fields: Hash32 };
  v.Sha256 = { index: 131, fields: Hash32 };
  v.Keccak256 = { index: 132, fields: Hash32 };
  v.ShaThree256 = { index: 133, fields: Hash32 };
  v.TimelockEncrypted = {
    index: 134,
    fields: {
      encrypted: CheckedBoundedBytes(MAX_TIMELOCK_COMMITMENT_SIZE_BYTES),
      reveal_round: u64,
    },
  };
  v.ResetBondsFlag = { index: 135 };
  v.BigRaw = { index: 136, fields: CheckedBoundedBytes(MAX_BIGRAW_COMMITMENT_SIZE_BYTES) };
  return v;
}

/**
 * `pallet_commitments::types::Data`. Subtensor hand-writes its codec and its metadata: the leading
 * byte of raw data is its length + 1 (variants `Raw0`..`Raw128`), so the enum below, declared as
 * its metadata is, encodes to the same bytes.
 */
export const Data = Enum(
  { path: ['pallet_commitments', 'types', 'Data'] },
  dataVariants(),
) as unknown as Shape<CommitmentData>;

/** The `Data::Raw` value for these bytes (at most 128). */
export function rawData(bytes: Uint8Array): CommitmentData {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('rawData: expected a Uint8Array');
  if (bytes.length > MAX_RAW_DATA_LEN)
    throw new RangeError(`rawData: ${bytes.length} bytes exceed ${MAX_RAW_DATA_LEN}`);
  return { type: `Raw${bytes.length}`, value: bytes };
}

/** `CommitmentInfo<MaxFields>`: at most `MaxFields` (3) data fields. */
export const CommitmentInfo = Struct(
  { path: ['pallet_commitments', 'types', 'CommitmentInfo'], params: [{ name: 'FieldLimit' }] },
  { fields: typed(CheckedBoundedVec(Data, MAX_COMMIT_FIELDS), 'BoundedVec<Data, FieldLimit>') },
);
export type CommitmentInfo = ShapeType<typeof CommitmentInfo>;

/** `Registration<Balance, MaxFields, BlockNumber>`, the value of `CommitmentOf`. */
export const Registration = Struct(
  {
    path: ['pallet_commitments', 'types', 'Registration'],
    params: [
      { name: 'Balance', shape: u64 as AnyShape },
      { name: 'MaxFields' },
      { name: 'BlockNumber', shape: u32 as AnyShape },
    ],
  },
  {
    deposit: typed(u64, 'Balance'),
    block: typed(u32, 'BlockNumber'),
    info: typed(CommitmentInfo, 'CommitmentInfo<MaxFields>'),
  },
);
export type Registration = ShapeType<typeof Registration>;

/** Space used by (netuid, account) in the epoch `last_epoch`. */
export const UsageTracker = Struct(
  { path: ['pallet_commitments', 'types', 'UsageTracker'] },
  { last_epoch: typed(u64, 'u64'), used_space: typed(u64, 'u64') },
);
export type UsageTracker = ShapeType<typeof UsageTracker>;

const netuid = typed(NetUid, 'NetUid');
const who = typed(AccountId32, 'T::AccountId');

/** Commitments calls (index 1 is unused). */
export const CommitmentsCall = Enum(
  { path: ['pallet_commitments', 'pallet', 'Call'] },
  {
    set_commitment: {
      index: 0,
      fields: { netuid, info: typed(CommitmentInfo, 'Box<CommitmentInfo<T::MaxFields>>') },
    },
    set_max_space: { index: 2, fields: { new_limit: typed(u32, 'u32') } },
  },
);
export type CommitmentsCall = ShapeType<typeof CommitmentsCall>;

/** Commitments events. */
export const CommitmentsEvent = Enum(
  { path: ['pallet_commitments', 'pallet', 'Event'] },
  {
    Commitment: { index: 0, fields: { netuid, who } },
    TimelockCommitment: {
      index: 1,
      fields: { netuid, who, reveal_round: typed(u64, 'u64') },
    },
    CommitmentRevealed: { index: 2, fields: { netuid, who } },
  },
);
export type CommitmentsEvent = ShapeType<typeof CommitmentsEvent>;

/** Commitments error names in index order. */
export const COMMITMENTS_ERRORS = [
  'TooManyFieldsInCommitmentInfo',
  'AccountNotAllowedCommit',
  'SpaceLimitExceeded',
  'UnexpectedUnreserveLeftover',
] as const;
/** Commitments' `Error` enum. */
export const CommitmentsError = errorEnum(
  ['pallet_commitments', 'pallet', 'Error'],
  COMMITMENTS_ERRORS,
);

const byNetuidAccount = <V>(name: string, value: Shape<V>) =>
  doubleMap(P, name, ['Identity', 'Twox64Concat'], [NetUid, AccountId32], value);

/** Storage, in declaration order. */
export const Commitments = {
  TimelockedIndex: plain(P, 'TimelockedIndex', BTreeSet(Tuple(NetUid, AccountId32)), []),
  CommitmentOf: byNetuidAccount('CommitmentOf', Registration),
  LastCommitment: byNetuidAccount('LastCommitment', u32),
  LastBondsReset: byNetuidAccount('LastBondsReset', u32),
  /** (revealed bytes, reveal block) pairs. */
  RevealedCommitments: byNetuidAccount('RevealedCommitments', Vec(Tuple(Bytes, u64))),
  UsedSpaceOf: byNetuidAccount('UsedSpaceOf', UsageTracker),
  MaxSpace: plain(P, 'MaxSpace', u32, DEFAULT_MAX_SPACE),
};

/** The pallet's constants as subtensor's runtime sets them (deposits are free). */
export const commitmentsConstants = (): ConstantDef[] => [
  constant('MaxFields', u32, MAX_COMMIT_FIELDS),
  constant('InitialDeposit', u64, 0n),
  constant('FieldDeposit', u64, 0n),
];
