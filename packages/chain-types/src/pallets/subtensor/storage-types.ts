/**
 * Value and key shapes of SubtensorModule's storage (runtime APIs reuse some): serving records,
 * coldkey identities, locks, share-pool floats, leases, `BTreeMap<NetUid, _>`, the `()` marker and
 * the rate-limit key (shapes that calls or events share live in common.ts). Paths, field names
 * and variant indices follow the metadata subtensor 14bc6f9f produces, so external decoders
 * (polkadot.js, polkadot-api, the Python SDK) read our state as they read mainnet's.
 */
import { createCodec, createDecoder } from 'scale-ts';
import {
  type AnyShape,
  Bytes,
  Custom,
  Enum,
  i64,
  Option,
  type Shape,
  type ShapeType,
  Struct,
  Tuple,
  type TypeNode,
  typed,
  u8,
  u16,
  u32,
  u64,
  u128,
  Vec,
} from '../../dsl.js';
import { AccountId32 } from '../../primitives.js';
import {
  AlphaBalance,
  BlockNumber,
  BoundedBytes,
  FixedU64F64,
  NetUid,
  Percent,
  TaoBalance,
} from './common.js';

const pallet = (name: string) => ['pallet_subtensor', 'pallet', name];
const U8 = typed(u8, 'u8');
const U16 = typed(u16, 'u16');
const U32 = typed(u32, 'u32');
const U64 = typed(u64, 'u64');
const U128 = typed(u128, 'u128');
const I64 = typed(i64, 'i64');
const VecU8 = typed(Bytes, 'Vec<u8>');

// ---------------------------------------------------------------------------------------------
// Containers. Rust types that calls or events also carry (fixed-point numbers, `BoundedVec`,
// `Percent`, `H160`, identities, `RootClaimTypeEnum`) are declared once in common.ts.

/**
 * `BTreeMap<NetUid, V>` as `[key, value]` pairs in ascending key order. Encoding sorts and rejects
 * a repeated key (RangeError); decoding keeps the later of repeated keys, as Rust's collect does.
 * @example
 * import { NetUidMap, FixedI96F32 } from '@taoscript/chain-types';
 * NetUidMap(FixedI96F32).dec(NetUidMap(FixedI96F32).enc([[3, 1n], [1, 2n]])); // [[1, 2n], [3, 1n]]
 */
export function NetUidMap<V>(value: Shape<V>): Shape<[number, V][]> {
  const pair = Tuple(NetUid, value);
  const inner = Vec(pair);
  const codec = createCodec<[number, V][]>(
    (entries) => {
      const sorted = [...entries].sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < sorted.length; k++)
        if ((sorted[k] as [number, V])[0] === (sorted[k - 1] as [number, V])[0])
          throw new RangeError(`BTreeMap: key ${(sorted[k] as [number, V])[0]} appears twice`);
      return inner.enc(sorted);
    },
    createDecoder((input) => {
      const byKey = new Map<number, V>();
      for (const [k, v] of inner.codec.dec(input)) byKey.set(k, v);
      return [...byKey.entries()].sort((a, b) => a[0] - b[0]);
    }),
  );
  return Custom(
    codec,
    { kind: 'composite', fields: [{ shape: inner as AnyShape }] },
    {
      path: ['BTreeMap'],
      params: [
        { name: 'K', shape: NetUid as AnyShape },
        { name: 'V', shape: value as AnyShape },
      ],
    },
  );
}

/**
 * The unit value `()` of an OptionQuery marker map: decodes to `null`, so a present entry (`null`)
 * differs from an absent one (`undefined`) when read through a storage item.
 */
export const Present: Shape<null> = Custom(
  createCodec<null>(
    () => new Uint8Array(0),
    createDecoder(() => null),
  ),
  { kind: 'tuple', items: [] },
  { path: [] },
);

/** Adds the Rust type names that scale-info records on a variant's unnamed fields. */
function withVariantTypeNames<T>(shape: Shape<T>, names: Record<string, string[]>): Shape<T> {
  return Custom(
    shape.codec,
    (): TypeNode => {
      const node = shape.node();
      if (node.kind !== 'variant') throw new TypeError('withVariantTypeNames: not an enum');
      return {
        kind: 'variant',
        variants: node.variants.map((v) => ({
          ...v,
          fields: v.fields.map((f, k) => {
            const typeName = names[v.name]?.[k];
            return typeName === undefined ? f : { ...f, typeName };
          }),
        })),
      };
    },
    { path: shape.info.path, params: shape.info.params },
  );
}

// ---------------------------------------------------------------------------------------------
// pallet_subtensor's own types.

/** A neuron's served axon endpoint. */
export const AxonInfo = Struct(
  { path: pallet('AxonInfo') },
  {
    block: U64,
    version: U32,
    ip: U128,
    port: U16,
    ip_type: U8,
    protocol: U8,
    placeholder1: U8,
    placeholder2: U8,
  },
);
export type AxonInfo = ShapeType<typeof AxonInfo>;

/** A neuron's served Prometheus endpoint. */
export const PrometheusInfo = Struct(
  { path: pallet('PrometheusInfo') },
  { block: U64, version: U32, ip: U128, port: U16, ip_type: U8 },
);
export type PrometheusInfo = ShapeType<typeof PrometheusInfo>;

/** A neuron's TLS public key (at most 64 bytes) and its algorithm byte. */
export const NeuronCertificate = Struct(
  { path: pallet('NeuronCertificate') },
  { public_key: typed(BoundedBytes, 'BoundedVec<u8, ConstU32<64>>'), algorithm: U8 },
);
export type NeuronCertificate = ShapeType<typeof NeuronCertificate>;

/** A coldkey's on-chain identity (`IdentitiesV2`). */
export const ChainIdentityV2 = Struct(
  { path: pallet('ChainIdentityV2') },
  {
    name: VecU8,
    url: VecU8,
    github_repo: VecU8,
    image: VecU8,
    discord: VecU8,
    description: VecU8,
    additional: VecU8,
  },
);
export type ChainIdentityV2 = ShapeType<typeof ChainIdentityV2>;

/** What happens to the miner emission of the subnet owner's own uids. */
export const RecycleOrBurnEnum = Enum(
  { path: pallet('RecycleOrBurnEnum') },
  { Burn: { index: 0 }, Recycle: { index: 1 } },
);
export type RecycleOrBurnEnum = ShapeType<typeof RecycleOrBurnEnum>;

/** `share_pool::SafeFloat`: `mantissa * 10^exponent`, the unbounded-precision share count. */
export const SafeFloat = Struct(
  { path: ['share_pool', 'SafeFloat'] },
  { mantissa: U128, exponent: I64 },
);
export type SafeFloat = ShapeType<typeof SafeFloat>;

/** An exponentially decaying stake lock and its accumulated conviction. */
export const LockState = Struct(
  { path: ['pallet_subtensor', 'staking', 'lock', 'LockState'] },
  {
    locked_mass: typed(AlphaBalance, 'AlphaBalance'),
    conviction: typed(FixedU64F64, 'U64F64'),
    last_update: U64,
  },
);
export type LockState = ShapeType<typeof LockState>;

/** `SubnetLease<AccountId, BlockNumber, Balance>`: a crowdloan-funded subnet and its terms. */
export const SubnetLease = Struct(
  {
    path: ['pallet_subtensor', 'subnets', 'leasing', 'SubnetLease'],
    params: [
      { name: 'AccountId', shape: AccountId32 as AnyShape },
      { name: 'BlockNumber', shape: BlockNumber as AnyShape },
      { name: 'Balance', shape: TaoBalance as AnyShape },
    ],
  },
  {
    beneficiary: typed(AccountId32, 'AccountId'),
    coldkey: typed(AccountId32, 'AccountId'),
    hotkey: typed(AccountId32, 'AccountId'),
    emissions_share: typed(Percent, 'Percent'),
    end_block: typed(Option(BlockNumber), 'Option<BlockNumber>'),
    netuid: typed(NetUid, 'NetUid'),
    cost: typed(TaoBalance, 'Balance'),
  },
);
export type SubnetLease = ShapeType<typeof SubnetLease>;

/** Names of the owner-settable hyperparameters, as their rate-limit records key them. */
export const HYPERPARAMETERS = [
  'Unknown',
  'ServingRateLimit',
  'MaxDifficulty',
  'AdjustmentAlpha',
  'MaxWeightLimit',
  'ImmunityPeriod',
  'MinAllowedWeights',
  'Kappa',
  'Rho',
  'ActivityCutoff',
  'PowRegistrationAllowed',
  'MinBurn',
  'MaxBurn',
  'BondsMovingAverage',
  'BondsPenalty',
  'CommitRevealEnabled',
  'LiquidAlphaEnabled',
  'AlphaValues',
  'WeightCommitInterval',
  'TransferEnabled',
  'AlphaSigmoidSteepness',
  'Yuma3Enabled',
  'BondsResetEnabled',
  'ImmuneNeuronLimit',
  'RecycleOrBurn',
  'MaxAllowedUids',
  'BurnHalfLife',
  'BurnIncreaseMult',
  'SubnetEmissionEnabled',
  'MinChildkeyTake',
  'ActivityCutoffFactorMilli',
  'TriggerEpoch',
] as const;

/** `pallet_subtensor::utils::rate_limiting::Hyperparameter` (discriminants 0..31). */
export const Hyperparameter = Enum(
  { path: ['pallet_subtensor', 'utils', 'rate_limiting', 'Hyperparameter'] },
  Object.fromEntries(HYPERPARAMETERS.map((name, index) => [name, { index }])) as {
    [K in (typeof HYPERPARAMETERS)[number]]: { index: number };
  },
);
export type Hyperparameter = ShapeType<typeof Hyperparameter>;

/** The key of `LastRateLimitedBlock`: which rate-limited operation, for which subnet or account. */
export const RateLimitKey = withVariantTypeNames(
  Enum(
    {
      path: ['pallet_subtensor', 'RateLimitKey'],
      params: [{ name: 'AccountId', shape: AccountId32 as AnyShape }],
    },
    {
      SetSNOwnerHotkey: { index: 0, fields: NetUid },
      OwnerHyperparamUpdate: { index: 1, fields: [NetUid, Hyperparameter] },
      NetworkLastRegistered: { index: 2 },
      LastTxBlock: { index: 3, fields: AccountId32 },
      LastTxBlockChildKeyTake: { index: 4, fields: AccountId32 },
      LastTxBlockDelegateTake: { index: 5, fields: AccountId32 },
      AddStakeBurn: { index: 6, fields: NetUid },
    },
  ),
  {
    SetSNOwnerHotkey: ['NetUid'],
    OwnerHyperparamUpdate: ['NetUid', 'Hyperparameter'],
    LastTxBlock: ['AccountId'],
    LastTxBlockChildKeyTake: ['AccountId'],
    LastTxBlockDelegateTake: ['AccountId'],
    AddStakeBurn: ['NetUid'],
  },
);
export type RateLimitKey = ShapeType<typeof RateLimitKey>;
