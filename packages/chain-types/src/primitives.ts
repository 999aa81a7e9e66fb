/**
 * Substrate's common shapes (sp_core, sp_runtime, frame_support, frame_system), with the paths
 * real metadata gives them: clients recognise some types by path.
 */
import { type Codec, createCodec, createDecoder } from 'scale-ts';
import {
  type AnyShape,
  advanceCursor,
  Bytes,
  bool,
  Compact,
  Custom,
  cursorOf,
  Enum,
  FixedBytes,
  Newtype,
  Option,
  type Shape,
  type ShapeType,
  Struct,
  str,
  Tuple,
  typed,
  u8,
  u32,
  u64,
  u128,
  unit,
  Vec,
  withCodec,
} from './dsl.js';

export const AccountId32 = Newtype(
  { path: ['sp_core', 'crypto', 'AccountId32'] },
  FixedBytes(32),
  '[u8; 32]',
);
export const H256 = Newtype({ path: ['primitive_types', 'H256'] }, FixedBytes(32), '[u8; 32]');

/** Balances on subtensor are `TaoBalance(u64)`; in metadata they appear as plain u64. */
export const Balance = u64;
export const CompactBalance = Compact(u64);
export const CompactU32 = Compact(u32);

export const MultiAddress = Enum(
  {
    path: ['sp_runtime', 'multiaddress', 'MultiAddress'],
    params: [
      { name: 'AccountId', shape: AccountId32 as AnyShape },
      { name: 'AccountIndex', shape: unit as AnyShape },
    ],
  },
  {
    Id: { index: 0, fields: AccountId32 },
    Index: { index: 1, fields: Compact(unit) },
    Raw: { index: 2, fields: Bytes },
    Address32: { index: 3, fields: FixedBytes(32) },
    Address20: { index: 4, fields: FixedBytes(20) },
  },
);
export type MultiAddress = ShapeType<typeof MultiAddress>;

// sp-core's signature types describe themselves as bare byte arrays in subtensor's metadata.
const Ed25519Signature = FixedBytes(64);
const Sr25519Signature = FixedBytes(64);
const EcdsaSignature = FixedBytes(65);

export const MultiSignature = Enum(
  { path: ['sp_runtime', 'MultiSignature'] },
  {
    Ed25519: { index: 0, fields: Ed25519Signature },
    Sr25519: { index: 1, fields: Sr25519Signature },
    Ecdsa: { index: 2, fields: EcdsaSignature },
  },
);
export type MultiSignature = ShapeType<typeof MultiSignature>;

/** A transaction's lifetime: immortal, or valid for `period` blocks from its birth block. */
export type Era = { mortal: false } | { mortal: true; period: number; phase: number };

/** Builds a mortal era the way Substrate does: period rounded to a power of two in [4, 65536]. */
export function mortalEra(period: number, current: number): Era {
  let p = 4;
  while (p < period && p < 65536) p *= 2;
  const phase = current % p;
  const quantize = Math.max(p >> 12, 1);
  return { mortal: true, period: p, phase: Math.floor(phase / quantize) * quantize };
}

/** The block a mortal era was born in, given the current block number. */
export function eraBirth(era: Era, current: number): number {
  if (!era.mortal) return 0;
  return (
    Math.floor((Math.max(current, era.phase) - era.phase) / era.period) * era.period + era.phase
  );
}

const eraCodec: Codec<Era> = createCodec(
  (era) => {
    if (!era.mortal) return new Uint8Array([0]);
    const quantize = Math.max(era.period >> 12, 1);
    const tz = Math.log2(era.period);
    const encoded = Math.min(15, Math.max(1, tz - 1)) | (Math.floor(era.phase / quantize) << 4);
    return new Uint8Array([encoded & 0xff, encoded >> 8]);
  },
  createDecoder((input) => {
    const at = cursorOf(input);
    const first = input[at];
    if (first === undefined) throw new RangeError('input too short for Era');
    if (first === 0) {
      advanceCursor(input, 1);
      return { mortal: false };
    }
    const second = input[at + 1];
    if (second === undefined) throw new RangeError('input too short for Era');
    advanceCursor(input, 2);
    const encoded = first | (second << 8);
    const period = 2 << (encoded % 16);
    const quantize = Math.max(period >> 12, 1);
    const phase = (encoded >> 4) * quantize;
    if (period < 4 || phase >= period) throw new RangeError('invalid Era');
    return { mortal: true, period, phase };
  }),
);

export const EraShape: Shape<Era> = Custom(
  eraCodec,
  () => ({
    kind: 'variant',
    variants: [
      { name: 'Immortal', index: 0, fields: [] },
      ...Array.from({ length: 255 }, (_, k) => ({
        name: `Mortal${k + 1}`,
        index: k + 1,
        fields: [{ shape: u8 as AnyShape }],
      })),
    ],
  }),
  { path: ['sp_runtime', 'generic', 'era', 'Era'] },
);

export const Weight = Struct(
  { path: ['sp_weights', 'weight_v2', 'Weight'] },
  { ref_time: Compact(u64), proof_size: Compact(u64) },
);
export type Weight = ShapeType<typeof Weight>;

export const DispatchClass = Enum(
  { path: ['frame_support', 'dispatch', 'DispatchClass'] },
  { Normal: { index: 0 }, Operational: { index: 1 }, Mandatory: { index: 2 } },
);
export type DispatchClass = ShapeType<typeof DispatchClass>;

export const Pays = Enum(
  { path: ['frame_support', 'dispatch', 'Pays'] },
  { Yes: { index: 0 }, No: { index: 1 } },
);

export const DispatchEventInfo = Struct(
  { path: ['frame_system', 'DispatchEventInfo'] },
  { weight: Weight, class: DispatchClass, pays_fee: Pays },
);
export type DispatchEventInfo = ShapeType<typeof DispatchEventInfo>;

export const ModuleError = Struct(
  { path: ['sp_runtime', 'ModuleError'] },
  { index: u8, error: FixedBytes(4) },
);

export const TokenError = Enum(
  { path: ['sp_runtime', 'TokenError'] },
  {
    FundsUnavailable: { index: 0 },
    OnlyProvider: { index: 1 },
    BelowMinimum: { index: 2 },
    CannotCreate: { index: 3 },
    UnknownAsset: { index: 4 },
    Frozen: { index: 5 },
    Unsupported: { index: 6 },
    CannotCreateHold: { index: 7 },
    NotExpendable: { index: 8 },
    Blocked: { index: 9 },
  },
);

export const ArithmeticError = Enum(
  { path: ['sp_arithmetic', 'ArithmeticError'] },
  { Underflow: { index: 0 }, Overflow: { index: 1 }, DivisionByZero: { index: 2 } },
);

export const TransactionalError = Enum(
  { path: ['sp_runtime', 'TransactionalError'] },
  { LimitReached: { index: 0 }, NoLayer: { index: 1 } },
);

export const DispatchError = Enum(
  { path: ['sp_runtime', 'DispatchError'] },
  {
    Other: { index: 0 },
    CannotLookup: { index: 1 },
    BadOrigin: { index: 2 },
    Module: { index: 3, fields: ModuleError },
    ConsumerRemaining: { index: 4 },
    NoProviders: { index: 5 },
    TooManyConsumers: { index: 6 },
    Token: { index: 7, fields: TokenError },
    Arithmetic: { index: 8, fields: ArithmeticError },
    Transactional: { index: 9, fields: TransactionalError },
    Exhausted: { index: 10 },
    Corruption: { index: 11 },
    Unavailable: { index: 12 },
    RootNotAllowed: { index: 13 },
  },
);
export type DispatchError = ShapeType<typeof DispatchError>;

export const DispatchResult = Enum(
  {
    path: ['Result'],
    params: [
      { name: 'T', shape: unit as AnyShape },
      { name: 'E', shape: DispatchError as AnyShape },
    ],
  },
  { Ok: { index: 0, fields: [unit] }, Err: { index: 1, fields: DispatchError } },
);

export const Phase = Enum(
  { path: ['frame_system', 'Phase'] },
  {
    ApplyExtrinsic: { index: 0, fields: u32 },
    Finalization: { index: 1 },
    Initialization: { index: 2 },
  },
);
export type Phase = ShapeType<typeof Phase>;

export const AccountData = Struct(
  {
    path: ['pallet_balances', 'types', 'AccountData'],
    params: [{ name: 'Balance', shape: u64 as AnyShape }],
  },
  {
    free: typed(u64, 'Balance'),
    reserved: typed(u64, 'Balance'),
    frozen: typed(u64, 'Balance'),
    flags: typed(Newtype({ path: ['pallet_balances', 'types', 'ExtraFlags'] }, u128), 'ExtraFlags'),
  },
);
export type AccountData = ShapeType<typeof AccountData>;

const AccountInfoStruct = Struct(
  { path: ['frame_system', 'AccountInfo'] },
  {
    nonce: typed(u32, 'Nonce'),
    consumers: typed(u32, 'RefCount'),
    providers: typed(u32, 'RefCount'),
    sufficients: typed(u32, 'RefCount'),
    data: typed(AccountData, 'AccountData'),
  },
);
export type AccountInfo = ShapeType<typeof AccountInfoStruct>;

const ACCOUNT_INFO_BYTES = 56;
/** `System.Account` is read and written several times per transfer: a fixed-layout codec. */
const accountInfoCodec: Codec<AccountInfo> = createCodec(
  (a) => {
    const out = new Uint8Array(ACCOUNT_INFO_BYTES);
    const v = new DataView(out.buffer);
    v.setUint32(0, a.nonce, true);
    v.setUint32(4, a.consumers, true);
    v.setUint32(8, a.providers, true);
    v.setUint32(12, a.sufficients, true);
    v.setBigUint64(16, a.data.free, true);
    v.setBigUint64(24, a.data.reserved, true);
    v.setBigUint64(32, a.data.frozen, true);
    v.setBigUint64(40, a.data.flags & 0xffff_ffff_ffff_ffffn, true);
    v.setBigUint64(48, a.data.flags >> 64n, true);
    return out;
  },
  createDecoder((input) => {
    const at = cursorOf(input);
    if (at + ACCOUNT_INFO_BYTES > input.length)
      throw new RangeError('input too short for AccountInfo');
    const v = new DataView(input.buffer, input.byteOffset + at, ACCOUNT_INFO_BYTES);
    advanceCursor(input, ACCOUNT_INFO_BYTES);
    return {
      nonce: v.getUint32(0, true),
      consumers: v.getUint32(4, true),
      providers: v.getUint32(8, true),
      sufficients: v.getUint32(12, true),
      data: {
        free: v.getBigUint64(16, true),
        reserved: v.getBigUint64(24, true),
        frozen: v.getBigUint64(32, true),
        flags: v.getBigUint64(40, true) | (v.getBigUint64(48, true) << 64n),
      },
    };
  }),
);
export const AccountInfo: Shape<AccountInfo> = withCodec(AccountInfoStruct, accountInfoCodec);
/** The generic codec of the same shape (tests compare the two). */
export const AccountInfoGeneric = AccountInfoStruct;

const ConsensusEngineId = FixedBytes(4);

export const DigestItem = Enum(
  { path: ['sp_runtime', 'generic', 'digest', 'DigestItem'] },
  {
    Other: { index: 0, fields: Bytes },
    Consensus: { index: 4, fields: [ConsensusEngineId, Bytes] },
    Seal: { index: 5, fields: [ConsensusEngineId, Bytes] },
    PreRuntime: { index: 6, fields: [ConsensusEngineId, Bytes] },
    RuntimeEnvironmentUpdated: { index: 8 },
  },
);
export type DigestItem = ShapeType<typeof DigestItem>;

export const Digest = Struct(
  { path: ['sp_runtime', 'generic', 'digest', 'Digest'] },
  { logs: Vec(DigestItem) },
);

export const Header = Struct(
  { path: ['sp_runtime', 'generic', 'header', 'Header'] },
  {
    parent_hash: H256,
    number: Compact(u32),
    state_root: H256,
    extrinsics_root: H256,
    digest: Digest,
  },
);
export type Header = ShapeType<typeof Header>;

export const RuntimeVersion = Struct(
  { path: ['sp_version', 'RuntimeVersion'] },
  {
    spec_name: typed(str, 'RuntimeString'),
    impl_name: str,
    authoring_version: u32,
    spec_version: u32,
    impl_version: u32,
    apis: Vec(Tuple(FixedBytes(8), u32)),
    transaction_version: u32,
    system_version: u8,
  },
);
export type RuntimeVersion = ShapeType<typeof RuntimeVersion>;

export const TransactionSource = Enum(
  { path: ['sp_runtime', 'transaction_validity', 'TransactionSource'] },
  { InBlock: { index: 0 }, Local: { index: 1 }, External: { index: 2 } },
);

export const InvalidTransaction = Enum(
  { path: ['sp_runtime', 'transaction_validity', 'InvalidTransaction'] },
  {
    Call: { index: 0 },
    Payment: { index: 1 },
    Future: { index: 2 },
    Stale: { index: 3 },
    BadProof: { index: 4 },
    AncientBirthBlock: { index: 5 },
    ExhaustsResources: { index: 6 },
    Custom: { index: 7, fields: u8 },
    BadMandatory: { index: 8 },
    MandatoryValidation: { index: 9 },
    BadSigner: { index: 10 },
    IndeterminateImplicit: { index: 11 },
    UnknownOrigin: { index: 12 },
  },
);
export type InvalidTransaction = ShapeType<typeof InvalidTransaction>;

export const UnknownTransaction = Enum(
  { path: ['sp_runtime', 'transaction_validity', 'UnknownTransaction'] },
  {
    CannotLookup: { index: 0 },
    NoUnsignedValidator: { index: 1 },
    Custom: { index: 2, fields: u8 },
  },
);
export type UnknownTransaction = ShapeType<typeof UnknownTransaction>;

export const TransactionValidityError = Enum(
  { path: ['sp_runtime', 'transaction_validity', 'TransactionValidityError'] },
  {
    Invalid: { index: 0, fields: InvalidTransaction },
    Unknown: { index: 1, fields: UnknownTransaction },
  },
);
export type TransactionValidityError = ShapeType<typeof TransactionValidityError>;

export const ValidTransaction = Struct(
  { path: ['sp_runtime', 'transaction_validity', 'ValidTransaction'] },
  {
    priority: u64,
    requires: Vec(Bytes),
    provides: Vec(Bytes),
    longevity: u64,
    propagate: bool,
  },
);
export type ValidTransaction = ShapeType<typeof ValidTransaction>;

export const TransactionValidity = Enum(
  {
    path: ['Result'],
    params: [
      { name: 'T', shape: ValidTransaction as AnyShape },
      { name: 'E', shape: TransactionValidityError as AnyShape },
    ],
  },
  {
    Ok: { index: 0, fields: ValidTransaction },
    Err: { index: 1, fields: TransactionValidityError },
  },
);
export type TransactionValidity = ShapeType<typeof TransactionValidity>;

export const RuntimeDispatchInfo = Struct(
  { path: ['pallet_transaction_payment', 'types', 'RuntimeDispatchInfo'] },
  { weight: Weight, class: DispatchClass, partial_fee: u64 },
);

export const InclusionFee = Struct(
  { path: ['pallet_transaction_payment', 'types', 'InclusionFee'] },
  { base_fee: u64, len_fee: u64, adjusted_weight_fee: u64 },
);

export const FeeDetails = Struct(
  { path: ['pallet_transaction_payment', 'types', 'FeeDetails'] },
  { inclusion_fee: Option(InclusionFee), tip: u64 },
);
