/**
 * Subtensor's own runtime APIs (`state_call` as `<Api>_<method>`) and the structs they return, with
 * the field order, `Compact` wrappers and type paths of subtensor's `rpc_info` and swap runtime API.
 */
import { createCodec, createDecoder } from 'scale-ts';
import {
  type AnyShape,
  advanceCursor,
  Bytes,
  bool,
  Compact,
  Custom,
  cursorOf,
  Enum,
  FixedArray,
  Option,
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
} from './dsl.js';
import {
  AlphaBalance,
  FixedI32F32,
  FixedI96F32,
  FixedU64F64,
  MechId,
  NetUid,
  SubnetIdentityV3,
  TaoBalance,
} from './pallets/subtensor/common.js';
import {
  AxonInfo,
  ChainIdentityV2,
  LockState,
  PrometheusInfo,
} from './pallets/subtensor/storage-types.js';
import { AccountId32 } from './primitives.js';
import type { RuntimeApiDef, RuntimeApiMethod } from './runtime-apis.js';

const RPC = ['pallet_subtensor', 'rpc_info'];
const ACCOUNT_PARAM = [{ name: 'AccountId', shape: AccountId32 as AnyShape }];

// Field helpers: each carries the Rust type name scale-info records for it.
const account = typed(AccountId32, 'AccountId');
const accounts = typed(Vec(AccountId32), 'Vec<AccountId>');
const cU16 = typed(Compact(u16), 'Compact<u16>');
const cU64 = typed(Compact(u64), 'Compact<u64>');
const cU128 = typed(Compact(u128), 'Compact<u128>');
const cNetUid = typed(Compact(NetUid), 'Compact<NetUid>');
const cAlpha = typed(Compact(AlphaBalance), 'Compact<AlphaBalance>');
const cTao = typed(Compact(TaoBalance), 'Compact<TaoBalance>');
const flag = typed(bool, 'bool');
const compactU8s = typed(Vec(Compact(u8)), 'Vec<Compact<u8>>');
const vBool = typed(Vec(bool), 'Vec<bool>');
const vU16 = typed(Vec(Compact(u16)), 'Vec<Compact<u16>>');
const vU64 = typed(Vec(Compact(u64)), 'Vec<Compact<u64>>');
const vAlpha = typed(Vec(Compact(AlphaBalance)), 'Vec<Compact<AlphaBalance>>');
const vTao = typed(Vec(Compact(TaoBalance)), 'Vec<Compact<TaoBalance>>');
const identity = typed(Option(SubnetIdentityV3), 'Option<SubnetIdentityV3>');
const movingPrice = typed(FixedI96F32, 'I96F32');

/** `Vec<u8>` written as `Vec<Compact<u8>>` (subnet names and symbols), from a string. */
export function compactBytes(text: string): number[] {
  if (typeof text !== 'string') throw new TypeError('compactBytes: expected a string');
  return [...new TextEncoder().encode(text)];
}

/** Rust's `Ord` for the key types BTree collections hold: integers, byte arrays, tuples of them. */
export function compareKeys(a: unknown, b: unknown): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let k = 0; k < Math.min(a.length, b.length); k++)
      if (a[k] !== b[k]) return (a[k] as number) - (b[k] as number);
    return a.length - b.length;
  }
  if (
    (typeof a === 'number' || typeof a === 'bigint') &&
    (typeof b === 'number' || typeof b === 'bigint')
  )
    return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let k = 0; k < Math.min(a.length, b.length); k++) {
      const c = compareKeys(a[k], b[k]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new TypeError('BTree key: expected integers, byte arrays or tuples of them');
}

/**
 * `BTreeSet<T>`: encoded as `Vec<T>` in ascending order (a repeated item is a RangeError on
 * encode; decoding sorts and drops repeats, as collecting into a set does).
 */
export function BTreeSet<T>(inner: Shape<T>): Shape<T[]> {
  const seq = Vec(inner);
  const codec = createCodec<T[]>(
    (items) => {
      if (!Array.isArray(items)) throw new TypeError('BTreeSet: expected an array');
      const sorted = [...items].sort(compareKeys);
      for (let k = 1; k < sorted.length; k++)
        if (compareKeys(sorted[k - 1], sorted[k]) === 0)
          throw new RangeError('BTreeSet: an item appears twice');
      return seq.enc(sorted);
    },
    createDecoder((input) => {
      const sorted = seq.codec.dec(input).sort(compareKeys);
      return sorted.filter((x, k) => k === 0 || compareKeys(sorted[k - 1], x) !== 0);
    }),
  );
  return Custom(
    codec,
    { kind: 'composite', fields: [{ shape: seq as AnyShape }] },
    { path: ['BTreeSet'], params: [{ name: 'T', shape: inner as AnyShape }] },
  );
}

/**
 * `BTreeMap<K, V>` over integer or byte-array keys: `[key, value]` pairs, encoded in ascending key
 * order as `Vec<(K, V)>` (a repeated key is a RangeError on encode; on decode the later one wins).
 */
export function BTreeMap<K, V>(key: Shape<K>, value: Shape<V>): Shape<[K, V][]> {
  const seq = Vec(Tuple(key, value));
  const codec = createCodec<[K, V][]>(
    (entries) => {
      if (!Array.isArray(entries)) throw new TypeError('BTreeMap: expected [key, value] pairs');
      const sorted = [...entries].sort((x, y) => compareKeys(x[0], y[0]));
      for (let k = 1; k < sorted.length; k++)
        if (compareKeys((sorted[k - 1] as [K, V])[0], (sorted[k] as [K, V])[0]) === 0)
          throw new RangeError('BTreeMap: a key appears twice');
      return seq.enc(sorted as never);
    },
    createDecoder((input) => {
      const out: [K, V][] = [];
      for (const [k, v] of seq.codec.dec(input) as [K, V][]) {
        const at = out.findIndex((e) => compareKeys(e[0], k) === 0);
        if (at >= 0) out.splice(at, 1);
        out.push([k, v]);
      }
      return out.sort((x, y) => compareKeys(x[0], y[0]));
    }),
  );
  return Custom(
    codec,
    { kind: 'composite', fields: [{ shape: seq as AnyShape }] },
    {
      path: ['BTreeMap'],
      params: [
        { name: 'K', shape: key as AnyShape },
        { name: 'V', shape: value as AnyShape },
      ],
    },
  );
}

/**
 * `Option<Option<T>>`, which `Option` cannot hold (its `undefined` is the outer `None`): the value
 * is `undefined` for `None`, `null` for `Some(None)`, else the inner value.
 */
export function NestedOption<T>(inner: Shape<T>): Shape<T | null | undefined> {
  const opt = Option(inner);
  const codec = createCodec<T | null | undefined>(
    (v) => {
      if (v === undefined) return new Uint8Array([0]);
      const body = opt.enc(v === null ? undefined : v);
      const out = new Uint8Array(1 + body.length);
      out[0] = 1;
      out.set(body, 1);
      return out;
    },
    createDecoder((input) => {
      const at = cursorOf(input);
      if (at >= input.length) throw new RangeError('input too short for Option');
      const tag = input[at];
      advanceCursor(input, 1);
      if (tag === 0) return undefined;
      if (tag !== 1) throw new RangeError(`bad Option tag ${tag}`);
      const v = opt.codec.dec(input);
      return v === undefined ? null : v;
    }),
  );
  return Custom(
    codec,
    {
      kind: 'variant',
      variants: [
        { name: 'None', index: 0, fields: [] },
        { name: 'Some', index: 1, fields: [{ shape: opt as AnyShape }] },
      ],
    },
    { path: ['Option'], params: [{ name: 'T', shape: opt as AnyShape }] },
  );
}

// ---- neuron_info ------------------------------------------------------------------------------

const neuronHead = {
  hotkey: account,
  coldkey: account,
  uid: cU16,
  netuid: cNetUid,
  active: flag,
  axon_info: typed(AxonInfo, 'AxonInfo'),
  prometheus_info: typed(PrometheusInfo, 'PrometheusInfo'),
  stake: typed(
    Vec(Tuple(AccountId32, Compact(AlphaBalance))),
    'Vec<(AccountId, Compact<AlphaBalance>)>',
  ),
  rank: cU16,
  emission: cAlpha,
  incentive: cU16,
  consensus: cU16,
  trust: cU16,
  validator_trust: cU16,
  dividends: cU16,
  last_update: cU64,
  validator_permit: flag,
};
const uidPairs = typed(Vec(Tuple(Compact(u16), Compact(u16))), 'Vec<(Compact<u16>, Compact<u16>)>');

/** `NeuronInfo<AccountId>`: one uid of a subnet, with its weights and bonds. */
export const NeuronInfo = Struct(
  { path: [...RPC, 'neuron_info', 'NeuronInfo'], params: ACCOUNT_PARAM },
  { ...neuronHead, weights: uidPairs, bonds: uidPairs, pruning_score: cU16 },
);
export type NeuronInfo = ShapeType<typeof NeuronInfo>;

/** `NeuronInfoLite<AccountId>`: `NeuronInfo` without weights and bonds. */
export const NeuronInfoLite = Struct(
  { path: [...RPC, 'neuron_info', 'NeuronInfoLite'], params: ACCOUNT_PARAM },
  { ...neuronHead, pruning_score: cU16 },
);
export type NeuronInfoLite = ShapeType<typeof NeuronInfoLite>;

// ---- delegate_info / stake_info ---------------------------------------------------------------

/** `DelegateInfo<AccountId>`. */
export const DelegateInfo = Struct(
  { path: [...RPC, 'delegate_info', 'DelegateInfo'], params: ACCOUNT_PARAM },
  {
    delegate_ss58: account,
    take: cU16,
    nominators: typed(
      Vec(Tuple(AccountId32, Vec(Tuple(Compact(NetUid), Compact(u64))))),
      'Vec<(AccountId, Vec<(Compact<NetUid>, Compact<u64>)>)>',
    ),
    owner_ss58: account,
    registrations: typed(Vec(Compact(NetUid)), 'Vec<Compact<NetUid>>'),
    validator_permits: typed(Vec(Compact(NetUid)), 'Vec<Compact<NetUid>>'),
    return_per_1000: cU64,
    total_daily_return: cU64,
  },
);
export type DelegateInfo = ShapeType<typeof DelegateInfo>;

/** `StakeInfo<AccountId>`: one (hotkey, coldkey, netuid) position. */
export const StakeInfo = Struct(
  { path: [...RPC, 'stake_info', 'StakeInfo'], params: ACCOUNT_PARAM },
  {
    hotkey: account,
    coldkey: account,
    netuid: cNetUid,
    stake: cAlpha,
    locked: cU64,
    emission: cAlpha,
    tao_emission: cTao,
    drain: cU64,
    is_registered: flag,
  },
);
export type StakeInfo = ShapeType<typeof StakeInfo>;

/** `StakeAvailability`: a coldkey's alpha on one subnet, and how much of it is locked. */
export const StakeAvailability = Struct(
  { path: [...RPC, 'stake_info', 'StakeAvailability'] },
  { total: cAlpha, locked: cAlpha, available: cAlpha },
);
export type StakeAvailability = ShapeType<typeof StakeAvailability>;

// ---- subnet_info ------------------------------------------------------------------------------

const networkConnect = typed(Vec(FixedArray(u16, 2)), 'Vec<[u16; 2]>');
const subnetInfoHead = {
  netuid: cNetUid,
  rho: cU16,
  kappa: cU16,
  difficulty: cU64,
  immunity_period: cU16,
  max_allowed_validators: cU16,
  min_allowed_weights: cU16,
  max_weights_limit: cU16,
  scaling_law_power: cU16,
  subnetwork_n: cU16,
  max_allowed_uids: cU16,
  blocks_since_last_step: cU64,
  tempo: cU16,
  network_modality: cU16,
  network_connect: networkConnect,
};

/** `SubnetInfo<AccountId>`. */
export const SubnetInfo = Struct(
  { path: [...RPC, 'subnet_info', 'SubnetInfo'], params: ACCOUNT_PARAM },
  { ...subnetInfoHead, emission_values: cU64, burn: cTao, owner: account },
);
export type SubnetInfo = ShapeType<typeof SubnetInfo>;

/** `SubnetInfov2<AccountId>`: `SubnetInfo` with `emission_value` and the subnet identity. */
export const SubnetInfov2 = Struct(
  { path: [...RPC, 'subnet_info', 'SubnetInfov2'], params: ACCOUNT_PARAM },
  { ...subnetInfoHead, emission_value: cU64, burn: cTao, owner: account, identity },
);
export type SubnetInfov2 = ShapeType<typeof SubnetInfov2>;

const hyperparamsV1 = {
  rho: cU16,
  kappa: cU16,
  immunity_period: cU16,
  min_allowed_weights: cU16,
  max_weights_limit: cU16,
  tempo: cU16,
  min_difficulty: cU64,
  max_difficulty: cU64,
  weights_version: cU64,
  weights_rate_limit: cU64,
  adjustment_interval: cU16,
  activity_cutoff: cU64,
  registration_allowed: flag,
  target_regs_per_interval: cU16,
  min_burn: cTao,
  max_burn: cTao,
  bonds_moving_avg: cU64,
  max_regs_per_block: cU16,
  serving_rate_limit: cU64,
  max_validators: cU16,
  adjustment_alpha: cU64,
  difficulty: cU64,
  commit_reveal_period: cU64,
  commit_reveal_weights_enabled: flag,
  alpha_high: cU16,
  alpha_low: cU16,
  liquid_alpha_enabled: flag,
};

/** `SubnetHyperparams` (deprecated upstream in favour of V3, still served). */
export const SubnetHyperparams = Struct(
  { path: [...RPC, 'subnet_info', 'SubnetHyperparams'] },
  hyperparamsV1,
);
export type SubnetHyperparams = ShapeType<typeof SubnetHyperparams>;

/** `SubnetHyperparamsV2`: V1 followed by six more fields. */
export const SubnetHyperparamsV2 = Struct(
  { path: [...RPC, 'subnet_info', 'SubnetHyperparamsV2'] },
  {
    ...hyperparamsV1,
    alpha_sigmoid_steepness: typed(FixedI32F32, 'I32F32'),
    yuma_version: cU16,
    subnet_is_active: flag,
    transfers_enabled: flag,
    bonds_reset_enabled: flag,
    user_liquidity_enabled: flag,
  },
);
export type SubnetHyperparamsV2 = ShapeType<typeof SubnetHyperparamsV2>;

/** `HyperparamValue`: the tagged value of one V3 hyperparameter; fixed-point values are raw bits. */
export const HyperparamValue = Enum(
  { path: [...RPC, 'subnet_info', 'HyperparamValue'] },
  {
    Bool: { index: 0, fields: bool },
    U16: { index: 1, fields: Compact(u16) },
    U32: { index: 2, fields: Compact(u32) },
    U64: { index: 3, fields: Compact(u64) },
    U128: { index: 4, fields: Compact(u128) },
    TaoBalance: { index: 5, fields: Compact(TaoBalance) },
    I32F32: { index: 6, fields: FixedI32F32 },
    U64F64: { index: 7, fields: FixedU64F64 },
  },
);
export type HyperparamValue = ShapeType<typeof HyperparamValue>;

/** `HyperparamEntry { name, value }`; `SubnetHyperparamsV3` is `Vec<HyperparamEntry>`. */
export const HyperparamEntry = Struct(
  { path: [...RPC, 'subnet_info', 'HyperparamEntry'] },
  { name: typed(Bytes, 'Vec<u8>'), value: typed(HyperparamValue, 'HyperparamValue') },
);
export type HyperparamEntry = ShapeType<typeof HyperparamEntry>;

/** `SubnetHyperparamsV3` (a type alias of `Vec<HyperparamEntry>`). */
export const SubnetHyperparamsV3 = Vec(HyperparamEntry);
export type SubnetHyperparamsV3 = ShapeType<typeof SubnetHyperparamsV3>;

// ---- dynamic_info -----------------------------------------------------------------------------

/** `DynamicInfo<AccountId>`: a subnet's pool and emission state. */
export const DynamicInfo = Struct(
  { path: [...RPC, 'dynamic_info', 'DynamicInfo'], params: ACCOUNT_PARAM },
  {
    netuid: cNetUid,
    owner_hotkey: account,
    owner_coldkey: account,
    subnet_name: compactU8s,
    token_symbol: compactU8s,
    tempo: cU16,
    last_step: cU64,
    blocks_since_last_step: cU64,
    emission: cU64,
    alpha_in: cAlpha,
    alpha_out: cAlpha,
    tao_in: cTao,
    alpha_out_emission: cAlpha,
    alpha_in_emission: cAlpha,
    tao_in_emission: cTao,
    pending_alpha_emission: cAlpha,
    pending_root_emission: cTao,
    subnet_volume: cU128,
    network_registered_at: cU64,
    subnet_identity: identity,
    moving_price: movingPrice,
  },
);
export type DynamicInfo = ShapeType<typeof DynamicInfo>;

// ---- metagraph --------------------------------------------------------------------------------

const dividendsTao = typed(
  Vec(Tuple(AccountId32, Compact(TaoBalance))),
  'Vec<(AccountId, Compact<TaoBalance>)>',
);
const dividendsAlpha = typed(
  Vec(Tuple(AccountId32, Compact(AlphaBalance))),
  'Vec<(AccountId, Compact<AlphaBalance>)>',
);

/** The fields of `Metagraph` after `netuid`, in order. */
const metagraphTail = {
  name: compactU8s,
  symbol: compactU8s,
  identity,
  network_registered_at: cU64,
  owner_hotkey: account,
  owner_coldkey: account,
  block: cU64,
  tempo: cU16,
  last_step: cU64,
  blocks_since_last_step: cU64,
  subnet_emission: cU64,
  alpha_in: cAlpha,
  alpha_out: cAlpha,
  tao_in: cTao,
  alpha_out_emission: cAlpha,
  alpha_in_emission: cAlpha,
  tao_in_emission: cTao,
  pending_alpha_emission: cAlpha,
  pending_root_emission: cTao,
  subnet_volume: cU128,
  moving_price: movingPrice,
  rho: cU16,
  kappa: cU16,
  min_allowed_weights: cU16,
  max_weights_limit: cU16,
  weights_version: cU64,
  weights_rate_limit: cU64,
  activity_cutoff: cU64,
  max_validators: cU16,
  num_uids: cU16,
  max_uids: cU16,
  burn: cTao,
  difficulty: cU64,
  registration_allowed: flag,
  pow_registration_allowed: flag,
  immunity_period: cU16,
  min_difficulty: cU64,
  max_difficulty: cU64,
  min_burn: cTao,
  max_burn: cTao,
  adjustment_alpha: cU64,
  adjustment_interval: cU16,
  target_regs_per_interval: cU16,
  max_regs_per_block: cU16,
  serving_rate_limit: cU64,
  commit_reveal_weights_enabled: flag,
  commit_reveal_period: cU64,
  liquid_alpha_enabled: flag,
  alpha_high: cU16,
  alpha_low: cU16,
  bonds_moving_avg: cU64,
  hotkeys: accounts,
  coldkeys: accounts,
  identities: typed(Vec(Option(ChainIdentityV2)), 'Vec<Option<ChainIdentityOfV2>>'),
  axons: typed(Vec(AxonInfo), 'Vec<AxonInfo>'),
  active: vBool,
  validator_permit: vBool,
  pruning_score: vU16,
  last_update: vU64,
  emission: vAlpha,
  dividends: vU16,
  incentives: vU16,
  consensus: vU16,
  trust: vU16,
  rank: vU16,
  block_at_registration: vU64,
  alpha_stake: vAlpha,
  tao_stake: vTao,
  total_stake: vTao,
  tao_dividends_per_hotkey: dividendsTao,
  alpha_dividends_per_hotkey: dividendsAlpha,
};

/** `Metagraph<AccountId>`: a subnet's scalars and per-uid vectors. */
export const Metagraph = Struct(
  { path: [...RPC, 'metagraph', 'Metagraph'], params: ACCOUNT_PARAM },
  { netuid: cNetUid, ...metagraphTail },
);
export type Metagraph = ShapeType<typeof Metagraph>;

type FieldIn = { shape: AnyShape; typeName: string };
type Optional<F> = {
  [K in keyof F]: F[K] extends { shape: Shape<infer T> }
    ? { shape: Shape<undefined extends T ? T | null : T | undefined>; typeName: string }
    : never;
};
/** Wraps each field in `Option` (a field that is already an `Option` becomes a `NestedOption`). */
function optionalFields<F extends Record<string, FieldIn>>(fields: F): Optional<F> {
  const out: Record<string, FieldIn> = {};
  for (const [k, f] of Object.entries(fields)) {
    const node = f.shape.node();
    const isOption = node.kind === 'variant' && f.shape.info.path[0] === 'Option';
    const inner = isOption ? (node.variants[1]?.fields[0]?.shape as AnyShape) : undefined;
    out[k] = {
      shape: (inner ? NestedOption(inner) : Option(f.shape)) as AnyShape,
      typeName: `Option<${f.typeName}>`,
    };
  }
  return out as Optional<F>;
}

/**
 * `SelectiveMetagraph<AccountId>`: `netuid`, then every `Metagraph` field as an `Option`, then
 * `validators` and `commitments`. Field k answers `SelectiveMetagraphIndex` k.
 */
export const SelectiveMetagraph = Struct(
  { path: [...RPC, 'metagraph', 'SelectiveMetagraph'], params: ACCOUNT_PARAM },
  {
    netuid: cNetUid,
    ...optionalFields(metagraphTail),
    validators: typed(Option(Vec(Compact(u16))), 'Option<Vec<Compact<u16>>>'),
    commitments: typed(
      Option(Vec(Tuple(AccountId32, Vec(Compact(u8))))),
      'Option<Vec<(AccountId, Vec<Compact<u8>>)>>',
    ),
  },
);
export type SelectiveMetagraph = ShapeType<typeof SelectiveMetagraph>;

/** `SelectiveMetagraphIndex` names, in index order (the `metagraph_indexes` argument). */
export const SELECTIVE_METAGRAPH_FIELDS: readonly string[] = (() => {
  const node = SelectiveMetagraph.node();
  return node.kind === 'composite' ? node.fields.map((f) => f.name as string) : [];
})();

// ---- show_subnet ------------------------------------------------------------------------------

/** `SubnetState<AccountId>`: per-uid vectors of one subnet. */
export const SubnetState = Struct(
  { path: [...RPC, 'show_subnet', 'SubnetState'], params: ACCOUNT_PARAM },
  {
    netuid: cNetUid,
    hotkeys: accounts,
    coldkeys: accounts,
    active: vBool,
    validator_permit: vBool,
    pruning_score: vU16,
    last_update: vU64,
    emission: vAlpha,
    dividends: vU16,
    incentives: vU16,
    consensus: vU16,
    trust: vU16,
    rank: vU16,
    block_at_registration: vU64,
    alpha_stake: vAlpha,
    tao_stake: vTao,
    total_stake: vTao,
    emission_history: typed(Vec(Vec(Compact(AlphaBalance))), 'Vec<Vec<Compact<AlphaBalance>>>'),
  },
);
export type SubnetState = ShapeType<typeof SubnetState>;

// ---- swap runtime API -------------------------------------------------------------------------

const SWAP_API = ['pallet_subtensor_swap_runtime_api'];

/** `SimSwapResult`: a simulated swap's amounts, fees and slippage. */
export const SimSwapResult = Struct(
  { path: [...SWAP_API, 'SimSwapResult'] },
  {
    tao_amount: typed(TaoBalance, 'TaoBalance'),
    alpha_amount: typed(AlphaBalance, 'AlphaBalance'),
    tao_fee: typed(TaoBalance, 'TaoBalance'),
    alpha_fee: typed(AlphaBalance, 'AlphaBalance'),
    tao_slippage: typed(TaoBalance, 'TaoBalance'),
    alpha_slippage: typed(AlphaBalance, 'AlphaBalance'),
  },
);
export type SimSwapResult = ShapeType<typeof SimSwapResult>;

/** `SubnetPrice { netuid, price }`, price in rao per alpha scaled by 1e9. */
export const SubnetPrice = Struct(
  { path: [...SWAP_API, 'SubnetPrice'] },
  { netuid: typed(NetUid, 'NetUid'), price: typed(u64, 'u64') },
);
export type SubnetPrice = ShapeType<typeof SubnetPrice>;

// ---- the API list -----------------------------------------------------------------------------

const S = (s: unknown) => s as AnyShape;
const m = (name: string, inputs: [string, unknown][], output: unknown): RuntimeApiMethod => ({
  name,
  inputs: inputs.map(([n, shape]) => ({ name: n, shape: S(shape) })),
  output: S(output),
});

/** Runtime API ids: blake2_64 of each trait name. */
export const SUBTENSOR_API_IDS = {
  DelegateInfoRuntimeApi: '0x42e62be4a39e5b60',
  NeuronInfoRuntimeApi: '0x806df4ccaa9ed485',
  SubnetInfoRuntimeApi: '0x8375104b299b74c5',
  StakeInfoRuntimeApi: '0x5d1fbfbe852f2807',
  SubnetRegistrationRuntimeApi: '0xc6886e2f8e598b0a',
  SwapRuntimeApi: '0xa8b093e6508d9e9c',
} as const;

/** The stake and netuid of one delegation, as `get_delegated` pairs it with its delegate. */
const DelegatedEntry = Tuple(DelegateInfo, Tuple(Compact(NetUid), Compact(AlphaBalance)));
const HotkeyNetuid = Option(Tuple(AccountId32, NetUid));

/**
 * Subtensor's runtime APIs as `impl_runtime_apis!` exposes them, with their methods in declaration
 * order (`SubnetInfoRuntimeApi` is implemented at version 2, which adds `get_subnet_hyperparams_v3`).
 */
export function subtensorRuntimeApis(): RuntimeApiDef[] {
  const netuid: [string, unknown] = ['netuid', NetUid];
  return [
    {
      name: 'DelegateInfoRuntimeApi',
      id: SUBTENSOR_API_IDS.DelegateInfoRuntimeApi,
      version: 1,
      methods: [
        m('get_delegates', [], Vec(DelegateInfo)),
        m('get_delegate', [['delegate_account', AccountId32]], Option(DelegateInfo)),
        m('get_delegated', [['delegatee_account', AccountId32]], Vec(DelegatedEntry)),
      ],
    },
    {
      name: 'NeuronInfoRuntimeApi',
      id: SUBTENSOR_API_IDS.NeuronInfoRuntimeApi,
      version: 1,
      methods: [
        m('get_neurons', [netuid], Vec(NeuronInfo)),
        m('get_neuron', [netuid, ['uid', u16]], Option(NeuronInfo)),
        m('get_neurons_lite', [netuid], Vec(NeuronInfoLite)),
        m('get_neuron_lite', [netuid, ['uid', u16]], Option(NeuronInfoLite)),
      ],
    },
    {
      name: 'SubnetInfoRuntimeApi',
      id: SUBTENSOR_API_IDS.SubnetInfoRuntimeApi,
      version: 2,
      methods: [
        m('get_subnet_info', [netuid], Option(SubnetInfo)),
        m('get_subnets_info', [], Vec(Option(SubnetInfo))),
        m('get_subnet_info_v2', [netuid], Option(SubnetInfov2)),
        m('get_subnets_info_v2', [], Vec(Option(SubnetInfov2))),
        m('get_subnet_hyperparams', [netuid], Option(SubnetHyperparams)),
        m('get_subnet_hyperparams_v2', [netuid], Option(SubnetHyperparamsV2)),
        m('get_subnet_hyperparams_v3', [netuid], Option(SubnetHyperparamsV3)),
        m('get_all_dynamic_info', [], Vec(Option(DynamicInfo))),
        m('get_all_metagraphs', [], Vec(Option(Metagraph))),
        m('get_metagraph', [netuid], Option(Metagraph)),
        m('get_all_mechagraphs', [], Vec(Option(Metagraph))),
        m('get_mechagraph', [netuid, ['mecid', MechId]], Option(Metagraph)),
        m('get_dynamic_info', [netuid], Option(DynamicInfo)),
        m('get_subnet_state', [netuid], Option(SubnetState)),
        m(
          'get_selective_metagraph',
          [netuid, ['metagraph_indexes', Vec(u16)]],
          Option(SelectiveMetagraph),
        ),
        m(
          'get_coldkey_auto_stake_hotkey',
          [
            ['coldkey', AccountId32],
            ['netuid', NetUid],
          ],
          Option(AccountId32),
        ),
        m(
          'get_selective_mechagraph',
          [netuid, ['subid', MechId], ['metagraph_indexes', Vec(u16)]],
          Option(SelectiveMetagraph),
        ),
        m('get_subnet_to_prune', [], Option(NetUid)),
        m('get_subnet_account_id', [netuid], Option(AccountId32)),
        m('get_next_epoch_start_block', [netuid], Option(u64)),
      ],
    },
    {
      name: 'StakeInfoRuntimeApi',
      id: SUBTENSOR_API_IDS.StakeInfoRuntimeApi,
      version: 1,
      methods: [
        m('get_stake_info_for_coldkey', [['coldkey_account', AccountId32]], Vec(StakeInfo)),
        m(
          'get_stake_info_for_coldkeys',
          [['coldkey_accounts', Vec(AccountId32)]],
          Vec(Tuple(AccountId32, Vec(StakeInfo))),
        ),
        m(
          'get_stake_info_for_hotkey_coldkey_netuid',
          [['hotkey_account', AccountId32], ['coldkey_account', AccountId32], netuid],
          Option(StakeInfo),
        ),
        m(
          'get_stake_availability_for_coldkeys',
          [
            ['coldkey_accounts', Vec(AccountId32)],
            ['netuids', Option(Vec(NetUid))],
          ],
          BTreeMap(AccountId32, BTreeMap(NetUid, StakeAvailability)),
        ),
        m(
          'get_stake_fee',
          [
            ['origin', HotkeyNetuid],
            ['origin_coldkey_account', AccountId32],
            ['destination', HotkeyNetuid],
            ['destination_coldkey_account', AccountId32],
            ['amount', u64],
          ],
          u64,
        ),
        m('get_coldkey_lock', [['coldkey', AccountId32], netuid], Option(LockState)),
        m('get_hotkey_conviction', [['hotkey', AccountId32], netuid], FixedU64F64),
        m('get_most_convicted_hotkey_on_subnet', [netuid], Option(AccountId32)),
      ],
    },
    {
      name: 'SubnetRegistrationRuntimeApi',
      id: SUBTENSOR_API_IDS.SubnetRegistrationRuntimeApi,
      version: 1,
      methods: [m('get_network_registration_cost', [], TaoBalance)],
    },
    {
      name: 'SwapRuntimeApi',
      id: SUBTENSOR_API_IDS.SwapRuntimeApi,
      version: 1,
      methods: [
        m('current_alpha_price', [netuid], u64),
        m('current_alpha_price_all', [], Vec(SubnetPrice)),
        m('sim_swap_tao_for_alpha', [netuid, ['tao', TaoBalance]], SimSwapResult),
        m('sim_swap_alpha_for_tao', [netuid, ['alpha', AlphaBalance]], SimSwapResult),
      ],
    },
  ];
}
