/**
 * Shapes shared by SubtensorModule's calls, events, errors and storage.
 *
 * Metadata fidelity notes (checked against subtensor 14bc6f9f and its dependencies):
 * - `NetUid`, `MechId`, `NetUidStorageIndex`, `TaoBalance` and `AlphaBalance` implement `TypeInfo`
 *   by delegating to their inner integer, so metadata shows the bare primitive (`u16`, `u8`, `u64`)
 *   and only the field's type name (`NetUid`) tells them apart.
 * - sp-core's signature types (`ecdsa::Signature` = `CryptoBytes<65, _>`) likewise present as the
 *   plain array `[u8; 65]`.
 * - `BoundedVec<T, S>` is a composite with path `bounded_collections::bounded_vec::BoundedVec` around
 *   one `Vec<T>` field; it encodes as that `Vec<T>`.
 * - `substrate_fixed` numbers are composites `{ bits }` whose `Frac` parameter is a typenum type.
 *
 * Metadata gives one type id per shape object, so other subtensor files should import these
 * (including `fixedShape` and `BoundedVec`) rather than declare the same Rust type again.
 */
import {
  type FixedType,
  fixedCodec,
  I32F32,
  I64F64,
  I96F32,
  U32F32,
  U64F64,
  U96F32,
} from '@taoscript/codec';
import {
  type AnyShape,
  Bytes,
  Compact,
  Custom,
  Enum,
  FixedBytes,
  i64,
  i128,
  Newtype,
  type Shape,
  type ShapeType,
  Struct,
  Tuple,
  typed,
  u8,
  u16,
  u32,
  u64,
  u128,
  Vec,
} from '../../dsl.js';
import { AccountId32 } from '../../primitives.js';

/** `subtensor_runtime_common::NetUid(u16)`; metadata type `u16`. */
export const NetUid: Shape<number> = u16;
/** `subtensor_runtime_common::MechId(u8)`; metadata type `u8`. */
export const MechId: Shape<number> = u8;
/** `subtensor_runtime_common::NetUidStorageIndex(u16)` (`mecid * 4096 + netuid`); type `u16`. */
export const NetUidStorageIndex: Shape<number> = u16;
/** `subtensor_runtime_common::currency::TaoBalance(u64)` in rao; metadata type `u64`. */
export const TaoBalance: Shape<bigint> = u64;
/** `subtensor_runtime_common::currency::AlphaBalance(u64)`; metadata type `u64`. */
export const AlphaBalance: Shape<bigint> = u64;
/** `pallet_subtensor::subnets::leasing::LeaseId` (an alias of `u32`). */
export const LeaseId: Shape<number> = u32;
/** `BlockNumberFor<T>`: subtensor's block numbers are `u32`. */
export const BlockNumber: Shape<number> = u32;

/** `sp_core::H160` (an EVM address). */
export const H160 = Newtype({ path: ['primitive_types', 'H160'] }, FixedBytes(20), '[u8; 20]');
/** `sp_core::ecdsa::Signature`: 65 bytes (r, s, recovery id), shown in metadata as `[u8; 65]`. */
export const EcdsaSignature: Shape<Uint8Array> = FixedBytes(65);
/** `sp_arithmetic::per_things::Percent(u8)`, parts per hundred. */
export const Percent = Newtype({ path: ['sp_arithmetic', 'per_things', 'Percent'] }, u8, 'u8');

const boundedVecs = new WeakMap<AnyShape, AnyShape>();
/** `BoundedVec<T, S>`: encodes as `Vec<T>`; the bound `S` is not part of the metadata type. */
export function BoundedVec<T>(inner: Shape<T>): Shape<T[]> {
  let s = boundedVecs.get(inner as AnyShape);
  if (!s) {
    s = Newtype(
      {
        path: ['bounded_collections', 'bounded_vec', 'BoundedVec'],
        params: [{ name: 'T', shape: inner as AnyShape }, { name: 'S' }],
      },
      Vec(inner),
      'Vec<T>',
    );
    boundedVecs.set(inner as AnyShape, s);
  }
  return s as Shape<T[]>;
}
/** `BoundedVec<u8, S>`, decoding to bytes. */
export const BoundedBytes: Shape<Uint8Array> = Newtype(
  {
    path: ['bounded_collections', 'bounded_vec', 'BoundedVec'],
    params: [{ name: 'T', shape: u8 as AnyShape }, { name: 'S' }],
  },
  Bytes,
  'Vec<T>',
);
/** Largest timelocked (CR v3/v4) weights commit, `MAX_CRV3_COMMIT_SIZE_BYTES`. */
export const MAX_CRV3_COMMIT_SIZE_BYTES = 5000;

/** `Vec<(u64, AccountId)>`: a hotkey's children as (proportion, child hotkey). */
export const ChildrenList = Vec(Tuple(u64, AccountId32));
export type ChildrenList = ShapeType<typeof ChildrenList>;
/** One subnet's sparse weights in `batch_set_weights`: `Vec<(Compact<u16>, Compact<u16>)>`. */
export const CompactWeights = Vec(Tuple(Compact(u16), Compact(u16)));

const P = ['pallet_subtensor', 'pallet'];

const bytes = typed(Bytes, 'Vec<u8>');

/** `pallet_subtensor::pallet::SubnetIdentityV3`: a subnet's public identity. */
export const SubnetIdentityV3 = Struct(
  { path: [...P, 'SubnetIdentityV3'] },
  {
    subnet_name: bytes,
    github_repo: bytes,
    subnet_contact: bytes,
    subnet_url: bytes,
    discord: bytes,
    description: bytes,
    logo_url: bytes,
    additional: bytes,
  },
);
export type SubnetIdentityV3 = ShapeType<typeof SubnetIdentityV3>;

/** `BTreeSet<NetUid>`: a sorted set, encoded as a sequence. */
export const NetUidSet = Vec(NetUid);

/** `pallet_subtensor::pallet::RootClaimTypeEnum`: a coldkey's root-claim setting. */
export const RootClaimTypeEnum = Enum(
  { path: [...P, 'RootClaimTypeEnum'] },
  {
    Swap: { index: 0 },
    Keep: { index: 1 },
    KeepSubnets: { index: 2, fields: { subnets: typed(NetUidSet, 'BTreeSet<NetUid>') } },
  },
);
export type RootClaimTypeEnum = ShapeType<typeof RootClaimTypeEnum>;

// typenum's type-level unsigned integers, which substrate_fixed names as its `Frac` parameter.
const B0 = Struct({ path: ['typenum', 'bit', 'B0'] }, {});
const B1 = Struct({ path: ['typenum', 'bit', 'B1'] }, {});
const UTerm = Struct({ path: ['typenum', 'uint', 'UTerm'] }, {});
const typenums = new Map<number, AnyShape>([[0, UTerm as AnyShape]]);
function typenum(n: number): AnyShape {
  let s = typenums.get(n);
  if (!s) {
    const msb = typenum(n >> 1);
    const lsb = (n & 1 ? B1 : B0) as AnyShape;
    s = Struct(
      {
        path: ['typenum', 'uint', 'UInt'],
        params: [
          { name: 'U', shape: msb },
          { name: 'B', shape: lsb },
        ],
      },
      { msb: typed(msb, 'U'), lsb: typed(lsb, 'B') },
    ) as AnyShape;
    typenums.set(n, s);
  }
  return s;
}

const fixedShapes = new Map<FixedType, Shape<bigint>>();
/**
 * The `substrate_fixed` type behind a fixed-point descriptor (e.g. `U64F64` is
 * `FixedU128<U64>`), its value the raw bits as a bigint.
 */
export function fixedShape(t: FixedType): Shape<bigint> {
  let s = fixedShapes.get(t);
  if (!s) {
    const width = t.bits === 64 ? (t.signed ? i64 : u64) : t.signed ? i128 : u128;
    const inner = `${t.signed ? 'i' : 'u'}${t.bits}`;
    s = Custom(
      fixedCodec(t),
      { kind: 'composite', fields: [{ name: 'bits', shape: width as AnyShape, typeName: inner }] },
      {
        path: ['substrate_fixed', `Fixed${t.signed ? 'I' : 'U'}${t.bits}`],
        params: [{ name: 'Frac', shape: typenum(t.frac) }],
      },
    );
    fixedShapes.set(t, s);
  }
  return s;
}
/** `substrate_fixed::types::U64F64` (`FixedU128<U64>`) as raw bits. */
export const FixedU64F64 = fixedShape(U64F64);
/** `substrate_fixed::types::U96F32` (`FixedU128<U32>`) as raw bits. */
export const FixedU96F32 = fixedShape(U96F32);
/** `substrate_fixed::types::I64F64` (`FixedI128<U64>`) as raw bits. */
export const FixedI64F64 = fixedShape(I64F64);
/** `substrate_fixed::types::I96F32` (`FixedI128<U32>`) as raw bits. */
export const FixedI96F32 = fixedShape(I96F32);
/** `substrate_fixed::types::I32F32` (`FixedI64<U32>`) as raw bits. */
export const FixedI32F32 = fixedShape(I32F32);
/** `substrate_fixed::types::U32F32` (`FixedU64<U32>`) as raw bits. */
export const FixedU32F32 = fixedShape(U32F32);
