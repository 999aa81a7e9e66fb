/**
 * Subtensor's own runtime APIs (`state_call` as `<Api>_<method>`), computed from storage the way
 * subtensor 14bc6f9f does: pallets/subtensor/src/rpc_info/*.rs, the staking lock helpers, the
 * runtime's `impl_runtime_apis!` and the swap pallet's runtime API. Results use the shapes of
 * `subtensorRuntimeApis()` from chain-types; `callSubtensorApi` encodes them.
 */
import {
  type AnyShape,
  type AxonInfo,
  type ChainIdentityV2,
  Commitments,
  compareKeys,
  type DelegateInfo,
  type DynamicInfo,
  type HyperparamEntry,
  type HyperparamValue,
  type LockState,
  type Metagraph,
  type NeuronInfo,
  type NeuronInfoLite,
  type PrometheusInfo,
  type RuntimeApiMethod,
  SubtensorStorage as S,
  type SafeFloat,
  SELECTIVE_METAGRAPH_FIELDS,
  type SelectiveMetagraph,
  type SimSwapResult,
  type StakeAvailability,
  type StakeInfo,
  type SubnetHyperparams,
  type SubnetHyperparamsV2,
  type SubnetInfo,
  type SubnetInfov2,
  type SubnetPrice,
  type SubnetState,
  Swap,
  subtensorRuntimeApis,
} from '@taoscript/chain-types';
import {
  bytesEqual,
  fxAdd,
  fxDiv,
  fxFromInt,
  fxMul,
  fxSub,
  fxToU64,
  I32F32,
  I64F64,
  U64F64,
} from '@taoscript/codec';
import type { DispatchContext } from '../dispatch.js';
import { Overlay, type StateReader } from '../state.js';
import { getNextEpochStartBlock as nextEpochStartBlock } from './coinbase/schedule.js';
import { rollForwardLock } from './math/lock.js';
import { calculateFeeAmount } from './math/swap.js';
import {
  assertNetuid,
  assertU64,
  currentAlphaPrice,
  spotPriceRao,
  subnetAccountIfExists,
  swapAlphaForTao,
  swapTaoForAlpha,
} from './pool.js';
import { mechanismStorageIndex } from './registration.js';
import { safeFloatFromU64F64, shareValue, stakeOf } from './share-pool.js';
import { currentNetworkLockCost, networkToPrune } from './subnets.js';
import { stakeWeightsForHotkeyOnSubnet } from './weights.js';

const U16_MAX = 0xffff;
const U64_MAX = (1n << 64n) - 1n;
const ZERO_AXON: AxonInfo = {
  block: 0n,
  version: 0,
  ip: 0n,
  port: 0,
  ip_type: 0,
  protocol: 0,
  placeholder1: 0,
  placeholder2: 0,
};
const ZERO_PROMETHEUS: PrometheusInfo = { block: 0n, version: 0, ip: 0n, port: 0, ip_type: 0 };

/** What the APIs read: the state at a block (writes go to a throwaway overlay) and its number. */
export interface ApiView {
  readonly state: Overlay;
  /** `System::block_number()` at that state, as u64. */
  readonly block: bigint;
}

/**
 * A view for one runtime-API call over `state` at block `block`.
 * @example
 * import { MapState } from '@taoscript/runtime';
 * import { apiView } from './apis.js';
 * const view = apiView(new MapState(), 10);
 */
export function apiView(state: StateReader, block: number | bigint): ApiView {
  if (typeof state !== 'object' || state === null || typeof state.get !== 'function')
    throw new TypeError('apiView: expected a state reader');
  const b = typeof block === 'number' && Number.isSafeInteger(block) ? BigInt(block) : block;
  assertU64(b, 'apiView block');
  return { state: new Overlay(state), block: b };
}

function assertView(v: unknown): asserts v is ApiView {
  if (typeof v !== 'object' || v === null || !((v as ApiView).state instanceof Overlay))
    throw new TypeError('view: expected an ApiView (see apiView)');
}

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

function assertU16(v: unknown, what: string): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${what}: expected a number`);
  if (!Number.isInteger(v) || v < 0 || v > U16_MAX) throw new RangeError(`${what}: not a u16`);
}

function assertU8(v: unknown, what: string): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${what}: expected a number`);
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${what}: not a u8`);
}

function assertAccounts(v: unknown, what: string): asserts v is Uint8Array[] {
  if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array of accounts`);
  v.forEach((a, i) => {
    assertAccount(a, `${what}[${i}]`);
  });
}

const satU64 = (v: bigint): bigint => (v > U64_MAX ? U64_MAX : v < 0n ? 0n : v);
const u64f64 = (n: bigint): bigint => fxFromInt(U64F64, n);
const pick = <T>(v: readonly T[], i: number, fallback: T): T =>
  i < v.length ? (v[i] as T) : fallback;
const compactU8s = (bytes: Uint8Array): number[] => Array.from(bytes);
const encoder = new TextEncoder();

// ---- subnet basics ------------------------------------------------------------------------------

/** `get_all_subnet_netuids`: every `NetworksAdded` key, in storage (key-byte) order. */
function allNetuids(st: Overlay): number[] {
  return st.keys(S.NetworksAdded.partialKey()).map((k) => S.NetworksAdded.decodeKey(k)[0]);
}

/** `if_subnet_exist`: the stored `NetworksAdded` flag. */
const subnetExists = (st: Overlay, netuid: number): boolean => S.NetworksAdded.get(st, netuid);

// subnets/symbols.rs `get_name_for_subnet`: the default names, index = netuid ("unknown" beyond).
const NAME_TEXT = [
  'root|apex|omron|templar|targon|kaito|infinite|subvortex|ptn|pretrain|sturdy|dippy|horde|',
  'dataverse|palaidn|deval|bitads|3gen|cortex|inference|bitagent|any-any|meta|social|omega|',
  'protein|alchemy|compute|oracle|coldint|bet|naschain|itsai|ready|mind|logic|automata|',
  'tuning|distributed|edge|chunk|sportsensor|masa|graphite|score|gen42|neural|condense|',
  'nextplace|automl|audio|celium|dojo|frontier|safescan|unknown|gradients|gaia|dippy-speach|',
  'agent-arena|unknown|red team|agentao|lean-in|chutes|sad|dad|ta|dha|ain|ghayn|fa|qaf|kaf|',
  'lam|mim|nun|ha|waw|ya|alef|fehu|uruz|thurisaz|ansuz|raidho|kaunan|cyr_yeru|algiz|',
  'berkanan|ogham|beith|luis|fearn|sail|nion|forfeda|ani|bani|gani|doni|eni|vini|ayp|ben|',
  'gim|da|ech|za|armeni|grave|io|dje|gje|ie|dze|hard_sign|alfa|alfas|vida|vida_small|gamma|',
  'gamma_small|brahmi_a|brahmi_aa|brahmi_i|brahmi_ii|brahmi_u|la|va|sha|ssa|sa|ha|',
  'glagolitic_az|glagolitic_buky|glagolitic_vede|glagolitic_glagoli|glagolitic_dobro|',
  'glagolitic_yest|glagolitic_zhivete|glagolitic_zemlja|glagolitic_izhe|',
  'glagolitic_initial_izhe|glagolitic_i|glagolitic_djerv|glagolitic_kako|glagolitic_ljudije|',
  'glagolitic_myse|glagolitic_nash|glagolitic_on|glagolitic_pokoj|glagolitic_rtsy|',
  'glagolitic_slovo|glagolitic_tvrido|glagolitic_uku|glagolitic_fert|glagolitic_xrivi|',
  'glagolitic_ot|glagolitic_cy|glagolitic_shcha|glagolitic_er|glagolitic_yeru|',
  'glagolitic_small_yer|glagolitic_yo|glagolitic_yu|glagolitic_ja|thai_ko_kai|thai_kho_khai|',
  'thai_kho_khuat|thai_kho_khon|thai_kho_rakhang|thai_kho_khwai|thai_ngo_ngu|thai_cho_chan|',
  'thai_cho_ching|thai_cho_chang|thai_so_so|thai_cho_choe|thai_yo_ying|thai_do_chada|',
  'thai_to_patak|thai_tho_than|thai_tho_nangmontho|thai_tho_phuthao|thai_no_nen|thai_do_dek|',
  'thai_to_tao|thai_tho_thung|thai_tho_thahan|thai_tho_thong|thai_no_nu|thai_bo_baimai|',
  'thai_po_pla|thai_pho_phung|thai_fo_fa|thai_pho_phan|thai_fo_fan|thai_pho_samphao|',
  'thai_mo_ma|thai_yo_yak|thai_ro_rua|thai_lo_ling|thai_wo_waen|thai_so_sala|thai_so_rusi|',
  'thai_so_sua|thai_ho_hip|thai_lo_chula|thai_o_ang|thai_ho_nokhuk|hangul_giyeok|',
  'hangul_nieun|hangul_digeut|hangul_rieul|hangul_mieum|hangul_bieup|hangul_siot|',
  'hangul_ieung|hangul_jieut|hangul_chieut|hangul_kieuk|hangul_tieut|hangul_pieup|',
  'hangul_hieut|hangul_a|hangul_ae|hangul_ya|hangul_yae|hangul_eo|hangul_e|hangul_yeo|',
  'hangul_ye|hangul_o|hangul_wa|hangul_wae|hangul_oe|hangul_yo|hangul_u|hangul_weo|hangul_we|',
  'hangul_wi|hangul_yu|hangul_eu|hangul_ui|hangul_i|ethiopic_glottal_a|ethiopic_glottal_u|',
  'ethiopic_glottal_i|ethiopic_glottal_aa|ethiopic_glottal_e|ethiopic_glottal_ie|',
  'ethiopic_glottal_o|ethiopic_glottal_wa|ethiopic_wa|ethiopic_wu|ethiopic_wi|ethiopic_waa|',
  'ethiopic_we|ethiopic_wye|ethiopic_wo|ethiopic_ko|ethiopic_ku|ethiopic_ki|ethiopic_kua|',
  'ethiopic_ke|ethiopic_kwe|ethiopic_ko_alt|ethiopic_go|ethiopic_gu|ethiopic_gi|ethiopic_gua|',
  'ethiopic_ge|ethiopic_gwe|ethiopic_go_alt|devanagari_a|devanagari_aa|devanagari_i|',
  'devanagari_ii|devanagari_u|devanagari_uu|devanagari_r|devanagari_e|devanagari_ai|',
  'devanagari_o|devanagari_au|devanagari_ka|devanagari_kha|devanagari_ga|devanagari_gha|',
  'devanagari_nga|devanagari_cha|devanagari_chha|devanagari_ja|devanagari_jha|',
  'devanagari_nya|devanagari_ta|devanagari_tha|devanagari_da|devanagari_dha|devanagari_na|',
  'devanagari_ta_alt|devanagari_tha_alt|devanagari_da_alt|devanagari_dha_alt|',
  'devanagari_na_alt|devanagari_pa|devanagari_pha|devanagari_ba|devanagari_bha|',
  'devanagari_ma|devanagari_ya|devanagari_ra|devanagari_la|devanagari_va|devanagari_sha|',
  'devanagari_ssa|devanagari_sa|devanagari_ha|katakana_a|kana_i|kana_u|kana_e|kana_o|kana_a|',
  'kana_ki|kana_ku|kana_ke|kana_ko|kana_sa|kana_shi|kana_su|kana_se|kana_so|kana_ta|',
  'kana_chi|kana_tsu|kana_te|kana_to|kana_na|kana_ni|kana_nu|kana_ne|kana_no|kana_ha|',
  'kana_hi|kana_fu|kana_he|kana_ho|kana_ma|kana_mi|kana_mu|kana_me|kana_mo|kana_ya|kana_yu|',
  'kana_yo|kana_ra|kana_ri|kana_ru|kana_re|kana_ro|kana_wa|kana_wo|kana_n|ya|yab|yabh|yag|',
  'yagh|yaj|yach|yad|yadh|yadhe|yaz|yazh|yaf|yak|yakv|yaq|yah|yahh|yahl|yahm|yayn|yakh|',
  'yakl|yahq|yash|yi|yij|yizh|yink|yal|yam|yan|yang|yany|yap|yu|a|aa|i|ii|u|uu|r|rr|l|ll|',
  'e|ee|ai|o|oo|au|ka|kha|ga|gha|nga|cha|chha|ja|jha|nya|ta|tha|da|dha|na|pa|pha|ba|bha|ma|',
  'ya|ra',
].join('');
/** The 439 default subnet names, indexed by netuid. */
export const DEFAULT_SUBNET_NAMES: readonly string[] = NAME_TEXT.split('|');

/**
 * `get_name_for_subnet`: the identity's `subnet_name` when set and non-empty, else the default
 * name for the netuid ("unknown" past the table).
 * @example
 * import { apiView, subnetName } from './apis.js';
 * // new TextDecoder().decode(subnetName(view, 3)) === 'templar' (without an identity)
 */
export function subnetName(view: ApiView, netuid: number): Uint8Array {
  assertView(view);
  assertNetuid(netuid);
  const id = S.SubnetIdentitiesV3.tryGet(view.state, netuid);
  if (id && id.subnet_name.length > 0) return id.subnet_name;
  return encoder.encode(DEFAULT_SUBNET_NAMES[netuid] ?? 'unknown');
}

// ---- NeuronInfoRuntimeApi -----------------------------------------------------------------------

type NeuronCore = Omit<NeuronInfoLite, 'pruning_score'>;

/** `get_neuron(_lite)_subnet_exists` without weights and bonds; undefined if the uid has no key. */
function neuronCore(st: Overlay, netuid: number, uid: number): NeuronCore | undefined {
  const hotkey = S.Keys.tryGet(st, netuid, uid);
  if (hotkey === undefined) return undefined;
  const coldkey = S.Owner.get(st, hotkey);
  return {
    hotkey,
    coldkey,
    uid,
    netuid,
    active: pick(S.Active.get(st, netuid), uid, false),
    axon_info: S.Axons.tryGet(st, netuid, hotkey) ?? { ...ZERO_AXON },
    prometheus_info: S.Prometheus.tryGet(st, netuid, hotkey) ?? { ...ZERO_PROMETHEUS },
    stake: [[coldkey, S.TotalHotkeyAlpha.get(st, hotkey, netuid)]],
    rank: 0,
    emission: pick(S.Emission.get(st, netuid), uid, 0n),
    incentive: pick(S.Incentive.get(st, netuid), uid, 0),
    consensus: pick(S.Consensus.get(st, netuid), uid, 0),
    trust: 0,
    validator_trust: pick(S.ValidatorTrust.get(st, netuid), uid, 0),
    dividends: pick(S.Dividends.get(st, netuid), uid, 0),
    last_update: pick(S.LastUpdate.get(st, netuid), uid, 0n),
    validator_permit: pick(S.ValidatorPermit.get(st, netuid), uid, false),
  };
}

const nonZeroPairs = (pairs: [number, number][]): [number, number][] =>
  pairs.filter(([, w]) => w > 0);

function fullNeuron(st: Overlay, netuid: number, uid: number): NeuronInfo | undefined {
  const core = neuronCore(st, netuid, uid);
  if (!core) return undefined;
  return {
    ...core,
    weights: nonZeroPairs(S.Weights.get(st, netuid, uid)),
    bonds: nonZeroPairs(S.Bonds.get(st, netuid, uid)),
    pruning_score: U16_MAX,
  };
}

function liteNeuron(st: Overlay, netuid: number, uid: number): NeuronInfoLite | undefined {
  const core = neuronCore(st, netuid, uid);
  return core && { ...core, pruning_score: U16_MAX };
}

/** Uids 0..SubnetworkN in order, stopping at the first uid without a key. */
function collectNeurons<T>(st: Overlay, netuid: number, one: (uid: number) => T | undefined): T[] {
  const out: T[] = [];
  const n = S.SubnetworkN.get(st, netuid);
  for (let uid = 0; uid < n; uid++) {
    const neuron = one(uid);
    if (neuron === undefined) break;
    out.push(neuron);
  }
  return out;
}

/**
 * `get_neurons`: every neuron of a subnet with weights and bonds (empty for an unknown subnet).
 * @example
 * import { getNeurons } from './apis.js';
 * // getNeurons(view, 1).map((n) => n.uid)
 */
export function getNeurons(view: ApiView, netuid: number): NeuronInfo[] {
  assertView(view);
  assertNetuid(netuid);
  if (!subnetExists(view.state, netuid)) return [];
  return collectNeurons(view.state, netuid, (uid) => fullNeuron(view.state, netuid, uid));
}

/**
 * `get_neuron`: one neuron with weights and bonds, or undefined.
 * @example
 * import { getNeuron } from './apis.js';
 * // getNeuron(view, 1, 0)?.hotkey
 */
export function getNeuron(view: ApiView, netuid: number, uid: number): NeuronInfo | undefined {
  assertView(view);
  assertNetuid(netuid);
  assertU16(uid, 'uid');
  if (!subnetExists(view.state, netuid)) return undefined;
  return fullNeuron(view.state, netuid, uid);
}

/**
 * `get_neurons_lite`: every neuron of a subnet without weights and bonds.
 * @example
 * import { getNeuronsLite } from './apis.js';
 * // getNeuronsLite(view, 1).length
 */
export function getNeuronsLite(view: ApiView, netuid: number): NeuronInfoLite[] {
  assertView(view);
  assertNetuid(netuid);
  if (!subnetExists(view.state, netuid)) return [];
  return collectNeurons(view.state, netuid, (uid) => liteNeuron(view.state, netuid, uid));
}

/**
 * `get_neuron_lite`: one neuron without weights and bonds, or undefined.
 * @example
 * import { getNeuronLite } from './apis.js';
 * // getNeuronLite(view, 1, 0)?.stake
 */
export function getNeuronLite(
  view: ApiView,
  netuid: number,
  uid: number,
): NeuronInfoLite | undefined {
  assertView(view);
  assertNetuid(netuid);
  assertU16(uid, 'uid');
  if (!subnetExists(view.state, netuid)) return undefined;
  return liteNeuron(view.state, netuid, uid);
}

// ---- DelegateInfoRuntimeApi ---------------------------------------------------------------------

/** Legacy `Alpha` entries (converted) then `AlphaV2` ones under a key prefix, V2 winning. */
function alphaShares(st: Overlay, ...prefix: Uint8Array[]): [Uint8Array, number, SafeFloat][] {
  const merged = new Map<string, [Uint8Array, number, SafeFloat]>();
  for (const k of st.keys(S.Alpha.partialKey(...prefix))) {
    const [, cold, netuid] = S.Alpha.decodeKey(k);
    const raw = st.get(k) as Uint8Array;
    merged.set(`${cold}:${netuid}`, [cold, netuid, safeFloatFromU64F64(S.Alpha.value.dec(raw))]);
  }
  for (const k of st.keys(S.AlphaV2.partialKey(...prefix))) {
    const [, cold, netuid] = S.AlphaV2.decodeKey(k);
    merged.set(`${cold}:${netuid}`, [cold, netuid, S.AlphaV2.value.dec(st.get(k) as Uint8Array)]);
  }
  return [...merged.values()].sort((a, b) => compareKeys([a[0], a[1]], [b[0], b[1]]));
}

/** Rust's `U64F64::saturating_from_num(1000.0 * 1e9)`. */
const THOUSAND_TAO = u64f64(1_000_000_000_000n);

/** `get_delegate_by_existing_account`. */
function delegateInfo(view: ApiView, delegate: Uint8Array, skipNominators: boolean): DelegateInfo {
  const st = view.state;
  const nominators: [Uint8Array, [number, bigint][]][] = [];
  if (!skipNominators) {
    // Upstream looks a nominator's pool up by *position* in the netuid list, using its netuid
    // as the index (the pools are the delegate's, one per listed subnet).
    const listed = allNetuids(st);
    for (const [cold, netuid, share] of alphaShares(st, delegate)) {
      if (share.mantissa === 0n) continue;
      const poolNetuid = listed[netuid];
      if (poolNetuid === undefined) continue;
      const stake = shareValue(st, delegate, poolNetuid, share);
      const last = nominators[nominators.length - 1];
      if (last && bytesEqual(last[0], cold)) last[1].push([netuid, stake]);
      else nominators.push([cold, [[netuid, stake]]]);
    }
  }
  const registrations: number[] = [];
  for (const k of st.keys(S.IsNetworkMember.partialKey(delegate))) {
    const [, netuid] = S.IsNetworkMember.decodeKey(k);
    if (S.IsNetworkMember.get(st, delegate, netuid)) registrations.push(netuid);
  }
  const validatorPermits: number[] = [];
  let perDay = 0n;
  for (const netuid of registrations) {
    const uid = S.Uids.tryGet(st, netuid, delegate);
    if (uid === undefined) continue;
    if (pick(S.ValidatorPermit.get(st, netuid), uid, false)) validatorPermits.push(netuid);
    const emission = u64f64(pick(S.Emission.get(st, netuid), uid, 0n));
    const tempo = u64f64(BigInt(S.Tempo.get(st, netuid)));
    if (tempo > 0n) {
      const epochsPerDay = fxDiv(U64F64, u64f64(7200n), tempo);
      perDay = fxAdd(U64F64, perDay, fxMul(U64F64, emission, epochsPerDay));
    }
  }
  const take = S.Delegates.get(st, delegate);
  const totalStake = u64f64(S.TotalHotkeyAlpha.get(st, delegate, 0));
  let returnPer1000 = 0n;
  if (totalStake > 0n) {
    const withoutTake = fxSub(
      U64F64,
      U64F64.one,
      fxDiv(U64F64, u64f64(BigInt(take)), u64f64(65_535n)),
    );
    returnPer1000 = fxDiv(
      U64F64,
      fxMul(U64F64, perDay, withoutTake),
      fxDiv(U64F64, totalStake, THOUSAND_TAO),
    );
  }
  return {
    delegate_ss58: delegate,
    take,
    nominators,
    owner_ss58: S.Owner.get(st, delegate),
    registrations,
    validator_permits: validatorPermits,
    return_per_1000: fxToU64(U64F64, returnPer1000),
    total_daily_return: fxToU64(U64F64, perDay),
  };
}

/** `Delegates` keys in storage order. */
function delegateKeys(st: Overlay): Uint8Array[] {
  return st.keys(S.Delegates.partialKey()).map((k) => S.Delegates.decodeKey(k)[0]);
}

/**
 * `get_delegates`: every hotkey with a `Delegates` entry, with its nominators.
 * @example
 * import { getDelegates } from './apis.js';
 * // getDelegates(view).map((d) => d.take)
 */
export function getDelegates(view: ApiView): DelegateInfo[] {
  assertView(view);
  return delegateKeys(view.state).map((d) => delegateInfo(view, d, false));
}

/**
 * `get_delegate`: a hotkey's delegate info, undefined without a `Delegates` entry.
 * @example
 * import { getDelegate } from './apis.js';
 * // getDelegate(view, hotkey)?.nominators
 */
export function getDelegate(view: ApiView, delegate: Uint8Array): DelegateInfo | undefined {
  assertView(view);
  assertAccount(delegate, 'delegate');
  if (S.Delegates.tryGet(view.state, delegate) === undefined) return undefined;
  return delegateInfo(view, delegate, false);
}

/**
 * `get_delegated`: for each delegate and each subnet where `delegatee` (a coldkey) holds shares,
 * the delegate (without nominators) and `[netuid, stake]`.
 * @example
 * import { getDelegated } from './apis.js';
 * // getDelegated(view, coldkey).map(([d, [netuid, alpha]]) => [d.delegate_ss58, netuid, alpha])
 */
export function getDelegated(
  view: ApiView,
  delegatee: Uint8Array,
): [DelegateInfo, [number, bigint]][] {
  assertView(view);
  assertAccount(delegatee, 'delegatee');
  const st = view.state;
  const out: [DelegateInfo, [number, bigint]][] = [];
  for (const delegate of delegateKeys(st)) {
    // One coldkey: the entries come sorted by netuid.
    for (const [, netuid, share] of alphaShares(st, delegate, delegatee)) {
      if (share.mantissa === 0n) continue;
      out.push([
        delegateInfo(view, delegate, true),
        [netuid, stakeOf(st, delegate, delegatee, netuid)],
      ]);
    }
  }
  return out;
}

// ---- SubnetInfoRuntimeApi: info and hyperparameters --------------------------------------------

function subnetInfoHead(view: ApiView, netuid: number) {
  const st = view.state;
  return {
    netuid,
    rho: S.Rho.get(st, netuid),
    kappa: S.Kappa.get(st, netuid),
    difficulty: S.Difficulty.get(st, netuid),
    immunity_period: S.ImmunityPeriod.get(st, netuid),
    max_allowed_validators: S.MaxAllowedValidators.get(st, netuid),
    min_allowed_weights: S.MinAllowedWeights.get(st, netuid),
    max_weights_limit: U16_MAX,
    scaling_law_power: S.ScalingLawPower.get(st, netuid),
    subnetwork_n: S.SubnetworkN.get(st, netuid),
    max_allowed_uids: S.MaxAllowedUids.get(st, netuid),
    blocks_since_last_step: S.BlocksSinceLastStep.get(st, netuid),
    tempo: S.Tempo.get(st, netuid),
    network_modality: 0,
    network_connect: [] as [number, number][],
    burn: S.Burn.get(st, netuid),
    owner: S.SubnetOwner.get(st, netuid),
  };
}

/**
 * `get_subnet_info`: a subnet's parameters, undefined for an unknown subnet.
 * @example
 * import { getSubnetInfo } from './apis.js';
 * // getSubnetInfo(view, 1)?.tempo
 */
export function getSubnetInfo(view: ApiView, netuid: number): SubnetInfo | undefined {
  assertView(view);
  assertNetuid(netuid);
  if (!subnetExists(view.state, netuid)) return undefined;
  return { ...subnetInfoHead(view, netuid), emission_values: 0n };
}

/**
 * `get_subnet_info_v2`: `get_subnet_info` with `emission_value` and the subnet identity.
 * @example
 * import { getSubnetInfoV2 } from './apis.js';
 * // getSubnetInfoV2(view, 1)?.identity
 */
export function getSubnetInfoV2(view: ApiView, netuid: number): SubnetInfov2 | undefined {
  assertView(view);
  assertNetuid(netuid);
  if (!subnetExists(view.state, netuid)) return undefined;
  return {
    ...subnetInfoHead(view, netuid),
    emission_value: 0n,
    identity: S.SubnetIdentitiesV3.tryGet(view.state, netuid),
  };
}

/** The added subnets (flag true) in ascending netuid order, as `get_subnets_info` walks them. */
function addedAscending(st: Overlay): number[] {
  return allNetuids(st)
    .filter((n) => S.NetworksAdded.get(st, n))
    .sort((a, b) => a - b);
}

/**
 * `get_subnets_info`: every added subnet's info, ascending by netuid.
 * @example
 * import { getSubnetsInfo } from './apis.js';
 * // getSubnetsInfo(view).map((s) => s?.netuid)
 */
export function getSubnetsInfo(view: ApiView): (SubnetInfo | undefined)[] {
  assertView(view);
  return addedAscending(view.state).map((n) => getSubnetInfo(view, n));
}

/**
 * `get_subnets_info_v2`: every added subnet's v2 info, ascending by netuid.
 * @example
 * import { getSubnetsInfoV2 } from './apis.js';
 * // getSubnetsInfoV2(view).length
 */
export function getSubnetsInfoV2(view: ApiView): (SubnetInfov2 | undefined)[] {
  assertView(view);
  return addedAscending(view.state).map((n) => getSubnetInfoV2(view, n));
}

/** `get_activity_cutoff_blocks`: max(1, factor_milli · tempo / 1000). */
function activityCutoffBlocks(st: Overlay, netuid: number): bigint {
  const blocks =
    satU64(BigInt(S.ActivityCutoffFactorMilli.get(st, netuid)) * BigInt(S.Tempo.get(st, netuid))) /
    1000n;
  return blocks > 1n ? blocks : 1n;
}

function hyperparamsV1(st: Overlay, netuid: number): SubnetHyperparams {
  const [alphaLow, alphaHigh] = S.AlphaValues.get(st, netuid);
  return {
    rho: S.Rho.get(st, netuid),
    kappa: S.Kappa.get(st, netuid),
    immunity_period: S.ImmunityPeriod.get(st, netuid),
    min_allowed_weights: S.MinAllowedWeights.get(st, netuid),
    max_weights_limit: U16_MAX,
    tempo: S.Tempo.get(st, netuid),
    min_difficulty: S.MinDifficulty.get(st, netuid),
    max_difficulty: S.MaxDifficulty.get(st, netuid),
    weights_version: S.WeightsVersionKey.get(st, netuid),
    weights_rate_limit: S.WeightsSetRateLimit.get(st, netuid),
    adjustment_interval: S.AdjustmentInterval.get(st, netuid),
    activity_cutoff: activityCutoffBlocks(st, netuid),
    registration_allowed: S.NetworkRegistrationAllowed.get(st, netuid),
    target_regs_per_interval: S.TargetRegistrationsPerInterval.get(st, netuid),
    min_burn: S.MinBurn.get(st, netuid),
    max_burn: S.MaxBurn.get(st, netuid),
    bonds_moving_avg: S.BondsMovingAverage.get(st, netuid),
    max_regs_per_block: S.MaxRegistrationsPerBlock.get(st, netuid),
    serving_rate_limit: S.ServingRateLimit.get(st, netuid),
    max_validators: S.MaxAllowedValidators.get(st, netuid),
    adjustment_alpha: S.AdjustmentAlpha.get(st, netuid),
    difficulty: S.Difficulty.get(st, netuid),
    commit_reveal_period: S.RevealPeriodEpochs.get(st, netuid),
    commit_reveal_weights_enabled: S.CommitRevealWeightsEnabled.get(st, netuid),
    alpha_high: alphaHigh,
    alpha_low: alphaLow,
    liquid_alpha_enabled: S.LiquidAlphaOn.get(st, netuid),
  };
}

/** `get_alpha_sigmoid_steepness`: the stored i16 as I32F32 raw bits. */
const sigmoidSteepness = (st: Overlay, netuid: number): bigint =>
  fxFromInt(I32F32, S.AlphaSigmoidSteepness.get(st, netuid));

/**
 * `get_subnet_hyperparams` (V1), undefined for an unknown subnet.
 * @example
 * import { getSubnetHyperparams } from './apis.js';
 * // getSubnetHyperparams(view, 1)?.activity_cutoff
 */
export function getSubnetHyperparams(view: ApiView, netuid: number): SubnetHyperparams | undefined {
  assertView(view);
  assertNetuid(netuid);
  if (!subnetExists(view.state, netuid)) return undefined;
  return hyperparamsV1(view.state, netuid);
}

/**
 * `get_subnet_hyperparams_v2`: V1 plus steepness, Yuma version (3 when `Yuma3On`, else 2),
 * subtoken, transfer and bonds-reset flags; `user_liquidity_enabled` is always false.
 * @example
 * import { getSubnetHyperparamsV2 } from './apis.js';
 * // getSubnetHyperparamsV2(view, 1)?.yuma_version
 */
export function getSubnetHyperparamsV2(
  view: ApiView,
  netuid: number,
): SubnetHyperparamsV2 | undefined {
  assertView(view);
  assertNetuid(netuid);
  const st = view.state;
  if (!subnetExists(st, netuid)) return undefined;
  return {
    ...hyperparamsV1(st, netuid),
    alpha_sigmoid_steepness: sigmoidSteepness(st, netuid),
    yuma_version: S.Yuma3On.get(st, netuid) ? 3 : 2,
    subnet_is_active: S.SubtokenEnabled.get(st, netuid),
    transfers_enabled: S.TransferToggle.get(st, netuid),
    bonds_reset_enabled: S.BondsResetOn.get(st, netuid),
    user_liquidity_enabled: false,
  };
}

/**
 * `get_subnet_hyperparams_v3`: 33 named, tagged values in subtensor's order.
 * @example
 * import { getSubnetHyperparamsV3 } from './apis.js';
 * // getSubnetHyperparamsV3(view, 1)?.map((e) => new TextDecoder().decode(e.name))
 */
export function getSubnetHyperparamsV3(
  view: ApiView,
  netuid: number,
): HyperparamEntry[] | undefined {
  assertView(view);
  assertNetuid(netuid);
  const st = view.state;
  if (!subnetExists(st, netuid)) return undefined;
  const h = hyperparamsV1(st, netuid);
  const u16 = (value: number): HyperparamValue => ({ type: 'U16', value });
  const u64 = (value: bigint): HyperparamValue => ({ type: 'U64', value });
  const flag = (value: boolean): HyperparamValue => ({ type: 'Bool', value });
  const tao = (value: bigint): HyperparamValue => ({ type: 'TaoBalance', value });
  const minTake = Math.max(S.MinChildkeyTake.get(st), S.MinChildkeyTakePerSubnet.get(st, netuid));
  const entries: [string, HyperparamValue][] = [
    ['kappa', u16(h.kappa)],
    ['immunity_period', u16(h.immunity_period)],
    ['min_allowed_weights', u16(h.min_allowed_weights)],
    ['max_weights_limit', u16(h.max_weights_limit)],
    ['tempo', u16(h.tempo)],
    ['weights_version', u64(h.weights_version)],
    ['weights_rate_limit', u64(h.weights_rate_limit)],
    ['activity_cutoff', u64(h.activity_cutoff)],
    ['activity_cutoff_factor', { type: 'U32', value: S.ActivityCutoffFactorMilli.get(st, netuid) }],
    ['registration_allowed', flag(h.registration_allowed)],
    ['target_regs_per_interval', u16(h.target_regs_per_interval)],
    ['min_burn', tao(h.min_burn)],
    ['max_burn', tao(h.max_burn)],
    ['burn_half_life', u16(S.BurnHalfLife.get(st, netuid))],
    ['burn_increase_mult', { type: 'U64F64', value: S.BurnIncreaseMult.get(st, netuid) }],
    ['bonds_moving_avg', u64(h.bonds_moving_avg)],
    ['max_regs_per_block', u16(h.max_regs_per_block)],
    ['serving_rate_limit', u64(h.serving_rate_limit)],
    ['max_validators', u16(h.max_validators)],
    ['commit_reveal_period', u64(h.commit_reveal_period)],
    ['commit_reveal_weights_enabled', flag(h.commit_reveal_weights_enabled)],
    ['alpha_high', u16(h.alpha_high)],
    ['alpha_low', u16(h.alpha_low)],
    ['liquid_alpha_enabled', flag(h.liquid_alpha_enabled)],
    ['alpha_sigmoid_steepness', { type: 'I32F32', value: sigmoidSteepness(st, netuid) }],
    ['yuma_version', u16(S.Yuma3On.get(st, netuid) ? 3 : 2)],
    ['subnet_is_active', flag(S.SubtokenEnabled.get(st, netuid))],
    ['transfers_enabled', flag(S.TransferToggle.get(st, netuid))],
    ['bonds_reset_enabled', flag(S.BondsResetOn.get(st, netuid))],
    ['user_liquidity_enabled', flag(false)],
    ['owner_cut_enabled', flag(S.OwnerCutEnabled.get(st, netuid))],
    ['owner_cut_auto_lock_enabled', flag(S.OwnerCutAutoLockEnabled.get(st, netuid))],
    ['min_childkey_take', u16(minTake)],
  ];
  return entries.map(([name, value]) => ({ name: encoder.encode(name), value }));
}

// ---- SubnetInfoRuntimeApi: dynamic info ---------------------------------------------------------

const pendingAlpha = (st: Overlay, netuid: number): bigint =>
  satU64(S.PendingValidatorEmission.get(st, netuid) + S.PendingServerEmission.get(st, netuid));

const blocksSinceLastStep = (view: ApiView, netuid: number): bigint =>
  satU64(view.block - S.LastMechansimStepBlock.get(view.state, netuid));

/**
 * `get_dynamic_info`: a subnet's pool, emission and identity state (undefined if unknown).
 * @example
 * import { getDynamicInfo } from './apis.js';
 * // getDynamicInfo(view, 1)?.tao_in
 */
export function getDynamicInfo(view: ApiView, netuid: number): DynamicInfo | undefined {
  assertView(view);
  assertNetuid(netuid);
  const st = view.state;
  if (!subnetExists(st, netuid)) return undefined;
  return {
    netuid,
    owner_hotkey: S.SubnetOwnerHotkey.get(st, netuid),
    owner_coldkey: S.SubnetOwner.get(st, netuid),
    subnet_name: compactU8s(subnetName(view, netuid)),
    token_symbol: compactU8s(S.TokenSymbol.get(st, netuid)),
    tempo: S.Tempo.get(st, netuid),
    last_step: S.LastMechansimStepBlock.get(st, netuid),
    blocks_since_last_step: blocksSinceLastStep(view, netuid),
    emission: 0n,
    alpha_in: S.SubnetAlphaIn.get(st, netuid),
    alpha_out: S.SubnetAlphaOut.get(st, netuid),
    tao_in: S.SubnetTAO.get(st, netuid),
    alpha_out_emission: S.SubnetAlphaOutEmission.get(st, netuid),
    alpha_in_emission: S.SubnetAlphaInEmission.get(st, netuid),
    tao_in_emission: S.SubnetTaoInEmission.get(st, netuid),
    pending_alpha_emission: pendingAlpha(st, netuid),
    pending_root_emission: 0n,
    subnet_volume: S.SubnetVolume.get(st, netuid),
    network_registered_at: S.NetworkRegisteredAt.get(st, netuid),
    subnet_identity: S.SubnetIdentitiesV3.tryGet(st, netuid),
    moving_price: S.SubnetMovingPrice.get(st, netuid),
  };
}

/**
 * `get_all_dynamic_info`: `get_dynamic_info` for every `NetworksAdded` key, in storage order.
 * @example
 * import { getAllDynamicInfo } from './apis.js';
 * // getAllDynamicInfo(view).map((d) => d?.netuid)
 */
export function getAllDynamicInfo(view: ApiView): (DynamicInfo | undefined)[] {
  assertView(view);
  return allNetuids(view.state).map((n) => getDynamicInfo(view, n));
}

// ---- SubnetInfoRuntimeApi: metagraphs -----------------------------------------------------------

/** The `Metagraph` field names, in order (`SelectiveMetagraphIndex` 0..71). */
const METAGRAPH_FIELDS = SELECTIVE_METAGRAPH_FIELDS.slice(0, -2);

/** Reads one subnet's metagraph fields lazily, caching the per-uid key and stake vectors. */
class GraphReader {
  private cachedHotkeys: Uint8Array[] | undefined;
  private cachedWeights: { total: bigint[]; alpha: bigint[]; tao: bigint[] } | undefined;
  private cachedParams: Record<string, unknown> | undefined;

  /** `index` is the storage index `last_update` and `incentives` read (the mechanism's). */
  constructor(
    private readonly view: ApiView,
    private readonly netuid: number,
    private readonly index: number,
  ) {}

  private get st(): Overlay {
    return this.view.state;
  }

  private get n(): number {
    return S.SubnetworkN.get(this.st, this.netuid);
  }

  /** `Keys[(netuid, uid)]` for uid in 0..n (the zero account where missing). */
  hotkeys(): Uint8Array[] {
    if (!this.cachedHotkeys) {
      this.cachedHotkeys = [];
      for (let uid = 0; uid < this.n; uid++)
        this.cachedHotkeys.push(S.Keys.get(this.st, this.netuid, uid));
    }
    return this.cachedHotkeys;
  }

  private coldkeys(): Uint8Array[] {
    return this.hotkeys().map((hk) => S.Owner.get(this.st, hk));
  }

  /** `get_stake_weights_for_network` as u64s (I64F64 saturated). */
  private stakeWeights() {
    if (!this.cachedWeights) {
      const w = { total: [] as bigint[], alpha: [] as bigint[], tao: [] as bigint[] };
      for (let uid = 0; uid < this.n; uid++) {
        const hk = S.Keys.tryGet(this.st, this.netuid, uid);
        const s = hk
          ? stakeWeightsForHotkeyOnSubnet(this.st, hk, this.netuid)
          : { total: 0n, alpha: 0n, tao: 0n };
        w.total.push(fxToU64(I64F64, s.total));
        w.alpha.push(fxToU64(I64F64, s.alpha));
        w.tao.push(fxToU64(I64F64, s.tao));
      }
      this.cachedWeights = w;
    }
    return this.cachedWeights;
  }

  /** `get_validators`: permitted uids whose stake weight exceeds `StakeThreshold`, by stake. */
  private validators(): number[] {
    const st = this.st;
    const permits = S.ValidatorPermit.get(st, this.netuid);
    const threshold = S.StakeThreshold.get(st) << 64n;
    const ranked: [number, bigint][] = [];
    for (const k of st.keys(S.Keys.partialKey(this.netuid))) {
      const [, uid] = S.Keys.decodeKey(k);
      if (!pick(permits, uid, false)) continue;
      const hotkey = S.Keys.value.dec(st.get(k) as Uint8Array);
      ranked.push([uid, stakeWeightsForHotkeyOnSubnet(st, hotkey, this.netuid).total]);
    }
    ranked.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    return ranked.filter(([, stake]) => stake > threshold).map(([uid]) => uid);
  }

  /** `get_commitments`: each `CommitmentOf` entry of the subnet as its raw SCALE bytes. */
  private commitments(): [Uint8Array, number[]][] {
    const st = this.st;
    return st.keys(Commitments.CommitmentOf.partialKey(this.netuid)).map((k) => {
      const [, account] = Commitments.CommitmentOf.decodeKey(k);
      return [account, compactU8s(st.get(k) as Uint8Array)];
    });
  }

  /** One field's value, as the `Metagraph` (or, for the last two, `SelectiveMetagraph`) holds it. */
  field(name: string): unknown {
    const st = this.st;
    const netuid = this.netuid;
    switch (name) {
      case 'netuid':
        return netuid;
      case 'name':
        return compactU8s(subnetName(this.view, netuid));
      case 'symbol':
        return compactU8s(S.TokenSymbol.get(st, netuid));
      case 'identity':
        return S.SubnetIdentitiesV3.tryGet(st, netuid);
      case 'network_registered_at':
        return S.NetworkRegisteredAt.get(st, netuid);
      case 'owner_hotkey':
        return S.SubnetOwnerHotkey.get(st, netuid);
      case 'owner_coldkey':
        return S.SubnetOwner.get(st, netuid);
      case 'block':
        return this.view.block;
      case 'tempo':
        return S.Tempo.get(st, netuid);
      case 'last_step':
        return S.LastMechansimStepBlock.get(st, netuid);
      case 'blocks_since_last_step':
        return blocksSinceLastStep(this.view, netuid);
      case 'subnet_emission':
        return 0n;
      case 'alpha_in':
        return S.SubnetAlphaIn.get(st, netuid);
      case 'alpha_out':
        return S.SubnetAlphaOut.get(st, netuid);
      case 'tao_in':
        return S.SubnetTAO.get(st, netuid);
      case 'alpha_out_emission':
        return S.SubnetAlphaOutEmission.get(st, netuid);
      case 'alpha_in_emission':
        return S.SubnetAlphaInEmission.get(st, netuid);
      case 'tao_in_emission':
        return S.SubnetTaoInEmission.get(st, netuid);
      case 'pending_alpha_emission':
        return pendingAlpha(st, netuid);
      case 'pending_root_emission':
        return 0n;
      case 'subnet_volume':
        return S.SubnetVolume.get(st, netuid);
      case 'moving_price':
        return S.SubnetMovingPrice.get(st, netuid);
      case 'max_weights_limit':
        return U16_MAX;
      case 'activity_cutoff':
        return activityCutoffBlocks(st, netuid);
      case 'max_validators':
        return S.MaxAllowedValidators.get(st, netuid);
      case 'num_uids':
        return this.n;
      case 'max_uids':
        return S.MaxAllowedUids.get(st, netuid);
      case 'burn':
        return S.Burn.get(st, netuid);
      case 'pow_registration_allowed':
        return S.NetworkPowRegistrationAllowed.get(st, netuid);
      case 'hotkeys':
        return this.hotkeys();
      case 'coldkeys':
        return this.coldkeys();
      case 'identities':
        return this.coldkeys().map((ck): ChainIdentityV2 | undefined =>
          S.IdentitiesV2.tryGet(st, ck),
        );
      case 'axons':
        return this.hotkeys().map(
          (hk): AxonInfo => S.Axons.tryGet(st, netuid, hk) ?? { ...ZERO_AXON },
        );
      case 'active':
        return S.Active.get(st, netuid);
      case 'validator_permit':
        return S.ValidatorPermit.get(st, netuid);
      case 'pruning_score':
      case 'trust':
      case 'rank':
        return [];
      case 'last_update':
        return S.LastUpdate.get(st, this.index);
      case 'emission':
        return S.Emission.get(st, netuid);
      case 'dividends':
        return S.Dividends.get(st, netuid);
      case 'incentives':
        return S.Incentive.get(st, this.index);
      case 'consensus':
        return S.Consensus.get(st, netuid);
      case 'block_at_registration':
        return this.hotkeys().map((_, uid) => S.BlockAtRegistration.get(st, netuid, uid));
      case 'alpha_stake':
        return this.stakeWeights().alpha;
      case 'tao_stake':
        return this.stakeWeights().tao;
      case 'total_stake':
        return this.stakeWeights().total;
      case 'tao_dividends_per_hotkey':
        return this.hotkeys().map((hk) => [hk, 0n]);
      case 'alpha_dividends_per_hotkey':
        return this.hotkeys().map((hk) => [hk, S.AlphaDividendsPerSubnet.get(st, netuid, hk)]);
      case 'validators':
        return this.validators();
      case 'commitments':
        return this.commitments();
      default: {
        this.cachedParams ??= hyperparamsV1(st, netuid) as unknown as Record<string, unknown>;
        if (name in this.cachedParams) return this.cachedParams[name];
        throw new Error(`metagraph: no field ${name}`);
      }
    }
  }
}

function metagraphOf(view: ApiView, netuid: number, index: number): Metagraph {
  const r = new GraphReader(view, netuid, index);
  const out: Record<string, unknown> = {};
  for (const f of METAGRAPH_FIELDS) out[f] = r.field(f);
  return out as Metagraph;
}

/**
 * `get_metagraph`: a subnet's scalars and per-uid vectors (undefined for an unknown subnet).
 * @example
 * import { getMetagraph } from './apis.js';
 * // getMetagraph(view, 1)?.hotkeys
 */
export function getMetagraph(view: ApiView, netuid: number): Metagraph | undefined {
  assertView(view);
  assertNetuid(netuid);
  if (!subnetExists(view.state, netuid)) return undefined;
  return metagraphOf(view, netuid, netuid);
}

/**
 * `get_all_metagraphs`: `get_metagraph` for every `NetworksAdded` key, in storage order.
 * @example
 * import { getAllMetagraphs } from './apis.js';
 * // getAllMetagraphs(view).length
 */
export function getAllMetagraphs(view: ApiView): (Metagraph | undefined)[] {
  assertView(view);
  return allNetuids(view.state).map((n) => getMetagraph(view, n));
}

/**
 * `get_mechagraph`: the metagraph with the mechanism's storage index as `netuid` and its
 * `last_update` / `incentives`; undefined unless the subnet exists and `mecid` is below
 * `MechanismCountCurrent`.
 * @example
 * import { getMechagraph } from './apis.js';
 * // getMechagraph(view, 1, 1)?.netuid === 4097
 */
export function getMechagraph(view: ApiView, netuid: number, mecid: number): Metagraph | undefined {
  assertView(view);
  assertNetuid(netuid);
  assertU8(mecid, 'mecid');
  const st = view.state;
  if (!subnetExists(st, netuid) || S.MechanismCountCurrent.get(st, netuid) <= mecid)
    return undefined;
  const index = mechanismStorageIndex(netuid, mecid);
  return { ...metagraphOf(view, netuid, index), netuid: index };
}

/**
 * `get_all_mechagraphs`: every subnet's mechagraphs (mecid 0..MechanismCountCurrent), in order.
 * @example
 * import { getAllMechagraphs } from './apis.js';
 * // getAllMechagraphs(view).map((m) => m?.netuid)
 */
export function getAllMechagraphs(view: ApiView): (Metagraph | undefined)[] {
  assertView(view);
  const out: (Metagraph | undefined)[] = [];
  for (const netuid of allNetuids(view.state)) {
    const count = S.MechanismCountCurrent.get(view.state, netuid);
    for (let m = 0; m < count; m++) out.push(getMechagraph(view, netuid, m));
  }
  return out;
}

function assertIndexes(v: unknown): asserts v is number[] {
  if (!Array.isArray(v)) throw new TypeError('metagraphIndexes: expected an array of u16');
  v.forEach((i, k) => {
    assertU16(i, `metagraphIndexes[${k}]`);
  });
}

/** Fills a `SelectiveMetagraph` from `indexes` (unknown ones ignored); netuid defaults to root. */
function selective(r: GraphReader, indexes: number[], netuid: number): SelectiveMetagraph {
  const out: Record<string, unknown> = { netuid: 0 };
  for (const f of SELECTIVE_METAGRAPH_FIELDS.slice(1)) out[f] = undefined;
  for (const i of new Set(indexes)) {
    const f = SELECTIVE_METAGRAPH_FIELDS[i];
    if (f === undefined) continue;
    if (f === 'netuid') out.netuid = netuid;
    // `identity` is `Option<Option<_>>`: a missing identity is `Some(None)`, i.e. null.
    else if (f === 'identity') out.identity = r.field(f) ?? null;
    else out[f] = r.field(f);
  }
  return out as SelectiveMetagraph;
}

/**
 * `get_selective_metagraph`: only the requested `SelectiveMetagraphIndex` fields are `Some`;
 * `netuid` stays 0 unless index 0 is requested. Undefined for an unknown subnet.
 * @example
 * import { getSelectiveMetagraph } from './apis.js';
 * // getSelectiveMetagraph(view, 1, [0, 52])?.hotkeys
 */
export function getSelectiveMetagraph(
  view: ApiView,
  netuid: number,
  metagraphIndexes: number[],
): SelectiveMetagraph | undefined {
  assertView(view);
  assertNetuid(netuid);
  assertIndexes(metagraphIndexes);
  if (!subnetExists(view.state, netuid)) return undefined;
  return selective(new GraphReader(view, netuid, netuid), metagraphIndexes, netuid);
}

/**
 * `get_selective_mechagraph`: like `get_selective_metagraph`, with `last_update` and `incentives`
 * read at the mechanism's storage index; `netuid` is always the subnet's. Only the subnet's
 * existence is checked (not `mecid`).
 * @example
 * import { getSelectiveMechagraph } from './apis.js';
 * // getSelectiveMechagraph(view, 1, 1, [59, 62])?.incentives
 */
export function getSelectiveMechagraph(
  view: ApiView,
  netuid: number,
  mecid: number,
  metagraphIndexes: number[],
): SelectiveMetagraph | undefined {
  assertView(view);
  assertNetuid(netuid);
  assertU8(mecid, 'mecid');
  assertIndexes(metagraphIndexes);
  if (!subnetExists(view.state, netuid)) return undefined;
  const r = new GraphReader(view, netuid, mechanismStorageIndex(netuid, mecid));
  return { ...selective(r, metagraphIndexes, netuid), netuid };
}

/**
 * `get_subnet_state`: the per-uid vectors plus each hotkey's `LastHotkeyEmissionOnNetuid` on
 * every subnet (one row per `NetworksAdded` key). Undefined for an unknown subnet.
 * @example
 * import { getSubnetState } from './apis.js';
 * // getSubnetState(view, 1)?.emission_history
 */
export function getSubnetState(view: ApiView, netuid: number): SubnetState | undefined {
  assertView(view);
  assertNetuid(netuid);
  const st = view.state;
  if (!subnetExists(st, netuid)) return undefined;
  const r = new GraphReader(view, netuid, netuid);
  const hotkeys = r.hotkeys();
  const f = <T>(name: string): T => r.field(name) as T;
  return {
    netuid,
    hotkeys,
    coldkeys: f('coldkeys'),
    active: f('active'),
    validator_permit: f('validator_permit'),
    pruning_score: [],
    last_update: f('last_update'),
    emission: f('emission'),
    dividends: f('dividends'),
    incentives: f('incentives'),
    consensus: f('consensus'),
    trust: [],
    rank: [],
    block_at_registration: f('block_at_registration'),
    alpha_stake: f('alpha_stake'),
    tao_stake: f('tao_stake'),
    total_stake: f('total_stake'),
    emission_history: allNetuids(st).map((n) =>
      hotkeys.map((hk) => S.LastHotkeyEmissionOnNetuid.get(st, hk, n)),
    ),
  };
}

// ---- SubnetInfoRuntimeApi: the rest -------------------------------------------------------------

/**
 * `get_coldkey_auto_stake_hotkey`: `AutoStakeDestination[(coldkey, netuid)]`.
 * @example
 * import { getColdkeyAutoStakeHotkey } from './apis.js';
 * // getColdkeyAutoStakeHotkey(view, coldkey, 1)
 */
export function getColdkeyAutoStakeHotkey(
  view: ApiView,
  coldkey: Uint8Array,
  netuid: number,
): Uint8Array | undefined {
  assertView(view);
  assertAccount(coldkey, 'coldkey');
  assertNetuid(netuid);
  return S.AutoStakeDestination.tryGet(view.state, coldkey, netuid);
}

/**
 * `get_subnet_to_prune` (`get_network_to_prune`): the non-immune subnet with the lowest moving
 * price (earliest registration on ties), if any.
 * @example
 * import { getSubnetToPrune } from './apis.js';
 * // getSubnetToPrune(view) === undefined while every subnet is immune
 */
export function getSubnetToPrune(view: ApiView): number | undefined {
  assertView(view);
  return networkToPrune(view.state, view.block);
}

/**
 * `get_subnet_account_id`: the subnet's TAO account, for root or an added subnet.
 * @example
 * import { getSubnetAccountId } from './apis.js';
 * // getSubnetAccountId(view, 0) // "modlsubtensr" 00 00 …
 */
export function getSubnetAccountId(view: ApiView, netuid: number): Uint8Array | undefined {
  assertView(view);
  assertNetuid(netuid);
  return subnetAccountIfExists(view.state, netuid);
}

/**
 * `get_next_epoch_start_block`: `LastEpochBlock + Tempo`, or the pending owner-triggered epoch
 * when earlier; undefined when the tempo is 0.
 * @example
 * import { getNextEpochStartBlock } from './apis.js';
 * // getNextEpochStartBlock(view, 1) // 360n on a fresh subnet
 */
export function getNextEpochStartBlock(view: ApiView, netuid: number): bigint | undefined {
  assertView(view);
  assertNetuid(netuid);
  return nextEpochStartBlock(view.state, netuid);
}

// ---- StakeInfoRuntimeApi ------------------------------------------------------------------------

function stakeInfoFor(
  st: Overlay,
  hotkey: Uint8Array,
  coldkey: Uint8Array,
  netuid: number,
  stake: bigint,
): StakeInfo {
  return {
    hotkey,
    coldkey,
    netuid,
    stake,
    locked: 0n,
    emission: S.AlphaDividendsPerSubnet.get(st, netuid, hotkey),
    tao_emission: 0n,
    drain: 0n,
    is_registered: S.Uids.tryGet(st, netuid, hotkey) !== undefined,
  };
}

function stakeInfosOf(st: Overlay, netuids: number[], coldkey: Uint8Array): StakeInfo[] {
  const hotkeys = S.StakingHotkeys.get(st, coldkey);
  const out: StakeInfo[] = [];
  for (const netuid of netuids)
    for (const hotkey of hotkeys) {
      const alpha = stakeOf(st, hotkey, coldkey, netuid);
      if (alpha !== 0n) out.push(stakeInfoFor(st, hotkey, coldkey, netuid, alpha));
    }
  return out;
}

/**
 * `get_stake_info_for_coldkey`: the coldkey's non-zero positions, by subnet (storage order),
 * then by `StakingHotkeys` order.
 * @example
 * import { getStakeInfoForColdkey } from './apis.js';
 * // getStakeInfoForColdkey(view, coldkey).map((s) => [s.netuid, s.stake])
 */
export function getStakeInfoForColdkey(view: ApiView, coldkey: Uint8Array): StakeInfo[] {
  assertView(view);
  assertAccount(coldkey, 'coldkey');
  return stakeInfosOf(view.state, allNetuids(view.state), coldkey);
}

/**
 * `get_stake_info_for_coldkeys`: `[coldkey, positions]` for each requested coldkey, in order.
 * @example
 * import { getStakeInfoForColdkeys } from './apis.js';
 * // getStakeInfoForColdkeys(view, [a, b]).length === 2
 */
export function getStakeInfoForColdkeys(
  view: ApiView,
  coldkeys: Uint8Array[],
): [Uint8Array, StakeInfo[]][] {
  assertView(view);
  assertAccounts(coldkeys, 'coldkeys');
  const netuids = allNetuids(view.state);
  return coldkeys.map((ck) => [ck, stakeInfosOf(view.state, netuids, ck)]);
}

/**
 * `get_stake_info_for_hotkey_coldkey_netuid`: always a `StakeInfo`, zero stake included and
 * whether or not the subnet exists.
 * @example
 * import { getStakeInfoForHotkeyColdkeyNetuid } from './apis.js';
 * // getStakeInfoForHotkeyColdkeyNetuid(view, hotkey, coldkey, 1).stake
 */
export function getStakeInfoForHotkeyColdkeyNetuid(
  view: ApiView,
  hotkey: Uint8Array,
  coldkey: Uint8Array,
  netuid: number,
): StakeInfo {
  assertView(view);
  assertAccount(hotkey, 'hotkey');
  assertAccount(coldkey, 'coldkey');
  assertNetuid(netuid);
  const st = view.state;
  return stakeInfoFor(st, hotkey, coldkey, netuid, stakeOf(st, hotkey, coldkey, netuid));
}

/** `read_conviction_model`: the coldkey's lock on a subnet (first `Lock` entry) and its flags. */
function individualLock(st: Overlay, coldkey: Uint8Array, netuid: number) {
  const key = st.keys(S.Lock.partialKey(coldkey, netuid), undefined, 1)[0];
  if (!key) return undefined;
  const [, , hotkey] = S.Lock.decodeKey(key);
  return {
    lock: S.Lock.value.dec(st.get(key) as Uint8Array),
    ownerLock: bytesEqual(hotkey, S.SubnetOwnerHotkey.get(st, netuid)),
    perpetualLock: S.DecayingLock.tryGet(st, coldkey, netuid) === false,
  };
}

type StoredLock = LockState;

/** `ConvictionModel::roll_forward_lock` on a stored `LockState`. */
function rolled(
  st: Overlay,
  now: bigint,
  lock: StoredLock,
  ownerLock: boolean,
  perpetualLock: boolean,
): StoredLock {
  const r = rollForwardLock(
    { lockedMass: lock.locked_mass, conviction: lock.conviction, lastUpdate: lock.last_update },
    now,
    {
      unlockRate: S.UnlockRate.get(st),
      maturityRate: S.MaturityRate.get(st),
      ownerLock,
      perpetualLock,
    },
  ).lock;
  return { locked_mass: r.lockedMass, conviction: r.conviction, last_update: r.lastUpdate };
}

/**
 * `get_coldkey_lock`: the coldkey's lock on a subnet rolled forward to the current block.
 * @example
 * import { getColdkeyLock } from './apis.js';
 * // getColdkeyLock(view, coldkey, 1)?.locked_mass
 */
export function getColdkeyLock(
  view: ApiView,
  coldkey: Uint8Array,
  netuid: number,
): LockState | undefined {
  assertView(view);
  assertAccount(coldkey, 'coldkey');
  assertNetuid(netuid);
  const m = individualLock(view.state, coldkey, netuid);
  return m && rolled(view.state, view.block, m.lock, m.ownerLock, m.perpetualLock);
}

/** `stake_availability`: (total over `StakingHotkeys`, rolled locked mass, available). */
function availability(view: ApiView, coldkey: Uint8Array, netuid: number): StakeAvailability {
  const st = view.state;
  let total = 0n;
  for (const hk of S.StakingHotkeys.get(st, coldkey))
    total = satU64(total + stakeOf(st, hk, coldkey, netuid));
  const m = individualLock(st, coldkey, netuid);
  const locked = m ? rolled(st, view.block, m.lock, m.ownerLock, m.perpetualLock).locked_mass : 0n;
  return { total, locked, available: total > locked ? total - locked : 0n };
}

/**
 * `get_stake_availability_for_coldkeys`: per coldkey, per subnet with stake or a lock, the total,
 * locked and available alpha. `netuids` undefined scans every subnet; a list is deduplicated,
 * and an empty one or one longer than the subnet count gives every coldkey an empty map.
 * @example
 * import { getStakeAvailabilityForColdkeys } from './apis.js';
 * // getStakeAvailabilityForColdkeys(view, [coldkey], [1])
 */
export function getStakeAvailabilityForColdkeys(
  view: ApiView,
  coldkeys: Uint8Array[],
  netuids: number[] | undefined,
): [Uint8Array, [number, StakeAvailability][]][] {
  assertView(view);
  assertAccounts(coldkeys, 'coldkeys');
  if (netuids !== undefined) {
    if (!Array.isArray(netuids)) throw new TypeError('netuids: expected an array or undefined');
    netuids.forEach((n, i) => {
      assertNetuid(n, `netuids[${i}]`);
    });
  }
  const st = view.state;
  // A BTreeMap keyed by coldkey: one entry per distinct coldkey.
  const distinct = [...new Map(coldkeys.map((c) => [c.join(','), c])).values()];
  const existing = allNetuids(st);
  let scan: number[];
  if (netuids === undefined) scan = existing;
  else {
    const requested = [...new Set(netuids)].sort((a, b) => a - b);
    if (requested.length === 0 || requested.length > existing.length)
      return distinct.map((c) => [c, []]);
    scan = requested.filter((n) => subnetExists(st, n));
  }
  return distinct.map((coldkey) => {
    const rows: [number, StakeAvailability][] = [];
    for (const netuid of scan) {
      const a = availability(view, coldkey, netuid);
      if (a.total !== 0n || a.locked !== 0n) rows.push([netuid, a]);
    }
    return [coldkey, rows];
  });
}

function assertHotkeyNetuid(
  v: unknown,
  what: string,
): asserts v is [Uint8Array, number] | undefined {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length !== 2)
    throw new TypeError(`${what}: expected [hotkey, netuid]`);
  assertAccount(v[0], `${what}[0]`);
  assertNetuid(v[1], `${what}[1]`);
}

/** `calculate_fee_amount`: the pool fee on a dynamic subnet, 0 on root and stable subnets. */
function poolFee(st: Overlay, netuid: number, amount: bigint): bigint {
  if (S.SubnetMechanism.get(st, netuid) !== 1) return 0n;
  return calculateFeeAmount(amount, Swap.FeeRate.get(st, netuid));
}

/**
 * `get_stake_fee`: 0 when origin equals destination, else the swap fee on `amount` at the
 * destination's subnet (the origin's when there is no destination; root without either).
 * The coldkey arguments are ignored, as upstream.
 * @example
 * import { getStakeFee } from './apis.js';
 * // getStakeFee(view, undefined, coldkey, [hotkey, 1], coldkey, 1_000_000_000n) // 503547n at rate 33
 */
export function getStakeFee(
  view: ApiView,
  origin: [Uint8Array, number] | undefined,
  originColdkey: Uint8Array,
  destination: [Uint8Array, number] | undefined,
  destinationColdkey: Uint8Array,
  amount: bigint,
): bigint {
  assertView(view);
  assertHotkeyNetuid(origin, 'origin');
  assertAccount(originColdkey, 'originColdkey');
  assertHotkeyNetuid(destination, 'destination');
  assertAccount(destinationColdkey, 'destinationColdkey');
  assertU64(amount, 'amount');
  const same =
    origin === undefined || destination === undefined
      ? origin === destination
      : bytesEqual(origin[0], destination[0]) && origin[1] === destination[1];
  if (same) return 0n;
  const netuid = (destination ?? origin)?.[1] ?? 0;
  return poolFee(view.state, netuid, amount);
}

/** The conviction of a stored aggregate bucket rolled to now (0 when absent). */
function bucketConviction(
  view: ApiView,
  lock: StoredLock | undefined,
  ownerLock: boolean,
  perpetualLock: boolean,
): bigint {
  return lock ? rolled(view.state, view.block, lock, ownerLock, perpetualLock).conviction : 0n;
}

/**
 * `get_hotkey_conviction` (`hotkey_conviction`): the hotkey's perpetual and decaying buckets
 * rolled to now, plus the owner buckets when it is the subnet owner hotkey (U64F64 raw bits).
 * @example
 * import { getHotkeyConviction } from './apis.js';
 * // getHotkeyConviction(view, hotkey, 1) >> 64n
 */
export function getHotkeyConviction(view: ApiView, hotkey: Uint8Array, netuid: number): bigint {
  assertView(view);
  assertAccount(hotkey, 'hotkey');
  assertNetuid(netuid);
  const st = view.state;
  let total = fxAdd(
    U64F64,
    bucketConviction(view, S.HotkeyLock.tryGet(st, netuid, hotkey), false, true),
    bucketConviction(view, S.DecayingHotkeyLock.tryGet(st, netuid, hotkey), false, false),
  );
  if (bytesEqual(hotkey, S.SubnetOwnerHotkey.get(st, netuid))) {
    total = fxAdd(
      U64F64,
      total,
      bucketConviction(view, S.OwnerLock.tryGet(st, netuid), true, true),
    );
    total = fxAdd(
      U64F64,
      total,
      bucketConviction(view, S.DecayingOwnerLock.tryGet(st, netuid), true, false),
    );
  }
  return total;
}

/**
 * `get_most_convicted_hotkey_on_subnet` (`subnet_king`): the hotkey with the highest rolled
 * conviction over all buckets (owner buckets count for the owner hotkey); on ties the greatest
 * account id wins. Undefined when the subnet has no lock buckets at all.
 * @example
 * import { getMostConvictedHotkeyOnSubnet } from './apis.js';
 * // getMostConvictedHotkeyOnSubnet(view, 1)
 */
export function getMostConvictedHotkeyOnSubnet(
  view: ApiView,
  netuid: number,
): Uint8Array | undefined {
  assertView(view);
  assertNetuid(netuid);
  const st = view.state;
  const scores = new Map<string, [Uint8Array, bigint]>();
  const add = (hotkey: Uint8Array, conviction: bigint) => {
    const id = hotkey.join(',');
    const prev = scores.get(id)?.[1] ?? 0n;
    scores.set(id, [hotkey, fxAdd(U64F64, prev, conviction)]);
  };
  for (const [item, perpetual] of [
    [S.HotkeyLock, true],
    [S.DecayingHotkeyLock, false],
  ] as const)
    for (const k of st.keys(item.partialKey(netuid))) {
      const [, hotkey] = item.decodeKey(k);
      add(
        hotkey,
        bucketConviction(view, item.value.dec(st.get(k) as Uint8Array), false, perpetual),
      );
    }
  const ownerHotkey = S.SubnetOwnerHotkey.get(st, netuid);
  const owner = S.OwnerLock.tryGet(st, netuid);
  if (owner) add(ownerHotkey, bucketConviction(view, owner, true, true));
  const decayingOwner = S.DecayingOwnerLock.tryGet(st, netuid);
  if (decayingOwner) add(ownerHotkey, bucketConviction(view, decayingOwner, true, false));
  let best: [Uint8Array, bigint] | undefined;
  for (const entry of [...scores.values()].sort((a, b) => compareKeys(a[0], b[0])))
    if (!best || entry[1] >= best[1]) best = entry;
  return best?.[0];
}

// ---- SubnetRegistrationRuntimeApi ---------------------------------------------------------------

/**
 * `get_network_registration_cost` (`get_network_lock_cost`) at the view's block.
 * @example
 * import { getNetworkRegistrationCost } from './apis.js';
 * // getNetworkRegistrationCost(view) >= NetworkMinLockCost
 */
export function getNetworkRegistrationCost(view: ApiView): bigint {
  assertView(view);
  return currentNetworkLockCost(view.state, view.block);
}

// ---- SwapRuntimeApi -----------------------------------------------------------------------------

/**
 * `current_alpha_price_all`: `{ netuid, price }` (RAO per alpha) for every `NetworksAdded` key.
 * @example
 * import { currentAlphaPriceAll } from './apis.js';
 * // currentAlphaPriceAll(view)[0] // { netuid: 0, price: 1000000000n }
 */
export function currentAlphaPriceAll(view: ApiView): SubnetPrice[] {
  assertView(view);
  return allNetuids(view.state).map((netuid) => ({
    netuid,
    price: spotPriceRao(view.state, netuid),
  }));
}

const ZERO_SIM: SimSwapResult = {
  tao_amount: 0n,
  alpha_amount: 0n,
  tao_fee: 0n,
  alpha_fee: 0n,
  tao_slippage: 0n,
  alpha_slippage: 0n,
};

/** A context whose writes stay in the view's overlay and whose events are dropped. */
function simContext(view: ApiView): DispatchContext {
  return {
    state: view.state,
    blockNumber: Number(view.block > 0xffffffffn ? 0xffffffffn : view.block),
    author: undefined,
    deposit: () => {},
  };
}

/**
 * The shared part of both simulations: what goes in, what comes out, the fee, and what would
 * come out at the current price with no slippage. Root and stable subnets trade 1:1 (nothing for
 * an unknown subnet); `undefined` when the swap fails.
 */
function simulateSwap(
  view: ApiView,
  netuid: number,
  amount: bigint,
  direction: 'buy' | 'sell',
): { paidIn: bigint; paidOut: bigint; fee: bigint; noSlippage: bigint } | undefined {
  assertView(view);
  assertNetuid(netuid);
  assertU64(amount, direction === 'buy' ? 'tao' : 'alpha');
  const st = view.state;
  const price = currentAlphaPrice(st, netuid);
  const noSlippage =
    direction === 'buy'
      ? fxToU64(U64F64, fxDiv(U64F64, u64f64(amount), price))
      : fxToU64(U64F64, fxMul(U64F64, u64f64(amount), price));
  if (S.SubnetMechanism.get(st, netuid) !== 1) {
    const paid = subnetExists(st, netuid) ? amount : 0n;
    return { paidIn: paid, paidOut: paid, fee: 0n, noSlippage };
  }
  if (direction === 'buy') {
    const r = swapTaoForAlpha(simContext(view), netuid, amount, { simulate: true });
    return r.ok ? { paidIn: r.taoIn, paidOut: r.alphaOut, fee: r.fee, noSlippage } : undefined;
  }
  const r = swapAlphaForTao(simContext(view), netuid, amount, { simulate: true });
  return r.ok ? { paidIn: r.alphaIn, paidOut: r.taoOut, fee: r.fee, noSlippage } : undefined;
}

const shortfall = (expected: bigint, got: bigint): bigint => (expected > got ? expected - got : 0n);

/**
 * `sim_swap_tao_for_alpha`: a simulated buy at the default price limit. Slippage is the alpha
 * short of `tao / price`. Root and stable subnets trade 1:1 (nothing for an unknown subnet); a
 * failing swap gives all zeros.
 * @example
 * import { simSwapTaoForAlpha } from './apis.js';
 * // simSwapTaoForAlpha(view, 1, 1_000_000_000n).alpha_amount
 */
export function simSwapTaoForAlpha(view: ApiView, netuid: number, tao: bigint): SimSwapResult {
  const r = simulateSwap(view, netuid, tao, 'buy');
  if (!r) return { ...ZERO_SIM };
  return {
    tao_amount: r.paidIn,
    alpha_amount: r.paidOut,
    tao_fee: r.fee,
    alpha_fee: 0n,
    tao_slippage: 0n,
    alpha_slippage: shortfall(r.noSlippage, r.paidOut),
  };
}

/**
 * `sim_swap_alpha_for_tao`: a simulated sell at the default price limit. Slippage is the TAO
 * short of `alpha · price`. Root and stable subnets trade 1:1 (nothing for an unknown subnet); a
 * failing swap gives all zeros.
 * @example
 * import { simSwapAlphaForTao } from './apis.js';
 * // simSwapAlphaForTao(view, 1, 1_000_000_000n).tao_amount
 */
export function simSwapAlphaForTao(view: ApiView, netuid: number, alpha: bigint): SimSwapResult {
  const r = simulateSwap(view, netuid, alpha, 'sell');
  if (!r) return { ...ZERO_SIM };
  return {
    tao_amount: r.paidOut,
    alpha_amount: r.paidIn,
    tao_fee: 0n,
    alpha_fee: r.fee,
    tao_slippage: shortfall(r.noSlippage, r.paidOut),
    alpha_slippage: 0n,
  };
}

// ---- dispatch -----------------------------------------------------------------------------------

type Handler = (view: ApiView, args: unknown[]) => unknown;
const a = <T>(args: unknown[], i: number): T => args[i] as T;

const HANDLERS: Record<string, Handler> = {
  DelegateInfoRuntimeApi_get_delegates: (v) => getDelegates(v),
  DelegateInfoRuntimeApi_get_delegate: (v, x) => getDelegate(v, a(x, 0)),
  DelegateInfoRuntimeApi_get_delegated: (v, x) => getDelegated(v, a(x, 0)),
  NeuronInfoRuntimeApi_get_neurons: (v, x) => getNeurons(v, a(x, 0)),
  NeuronInfoRuntimeApi_get_neuron: (v, x) => getNeuron(v, a(x, 0), a(x, 1)),
  NeuronInfoRuntimeApi_get_neurons_lite: (v, x) => getNeuronsLite(v, a(x, 0)),
  NeuronInfoRuntimeApi_get_neuron_lite: (v, x) => getNeuronLite(v, a(x, 0), a(x, 1)),
  SubnetInfoRuntimeApi_get_subnet_info: (v, x) => getSubnetInfo(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_subnets_info: (v) => getSubnetsInfo(v),
  SubnetInfoRuntimeApi_get_subnet_info_v2: (v, x) => getSubnetInfoV2(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_subnets_info_v2: (v) => getSubnetsInfoV2(v),
  SubnetInfoRuntimeApi_get_subnet_hyperparams: (v, x) => getSubnetHyperparams(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_subnet_hyperparams_v2: (v, x) => getSubnetHyperparamsV2(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_subnet_hyperparams_v3: (v, x) => getSubnetHyperparamsV3(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_all_dynamic_info: (v) => getAllDynamicInfo(v),
  SubnetInfoRuntimeApi_get_all_metagraphs: (v) => getAllMetagraphs(v),
  SubnetInfoRuntimeApi_get_metagraph: (v, x) => getMetagraph(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_all_mechagraphs: (v) => getAllMechagraphs(v),
  SubnetInfoRuntimeApi_get_mechagraph: (v, x) => getMechagraph(v, a(x, 0), a(x, 1)),
  SubnetInfoRuntimeApi_get_dynamic_info: (v, x) => getDynamicInfo(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_subnet_state: (v, x) => getSubnetState(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_selective_metagraph: (v, x) =>
    getSelectiveMetagraph(v, a(x, 0), a(x, 1)),
  SubnetInfoRuntimeApi_get_coldkey_auto_stake_hotkey: (v, x) =>
    getColdkeyAutoStakeHotkey(v, a(x, 0), a(x, 1)),
  SubnetInfoRuntimeApi_get_selective_mechagraph: (v, x) =>
    getSelectiveMechagraph(v, a(x, 0), a(x, 1), a(x, 2)),
  SubnetInfoRuntimeApi_get_subnet_to_prune: (v) => getSubnetToPrune(v),
  SubnetInfoRuntimeApi_get_subnet_account_id: (v, x) => getSubnetAccountId(v, a(x, 0)),
  SubnetInfoRuntimeApi_get_next_epoch_start_block: (v, x) => getNextEpochStartBlock(v, a(x, 0)),
  StakeInfoRuntimeApi_get_stake_info_for_coldkey: (v, x) => getStakeInfoForColdkey(v, a(x, 0)),
  StakeInfoRuntimeApi_get_stake_info_for_coldkeys: (v, x) => getStakeInfoForColdkeys(v, a(x, 0)),
  StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid: (v, x) =>
    getStakeInfoForHotkeyColdkeyNetuid(v, a(x, 0), a(x, 1), a(x, 2)),
  StakeInfoRuntimeApi_get_stake_availability_for_coldkeys: (v, x) =>
    getStakeAvailabilityForColdkeys(v, a(x, 0), a(x, 1)),
  StakeInfoRuntimeApi_get_stake_fee: (v, x) =>
    getStakeFee(v, a(x, 0), a(x, 1), a(x, 2), a(x, 3), a(x, 4)),
  StakeInfoRuntimeApi_get_coldkey_lock: (v, x) => getColdkeyLock(v, a(x, 0), a(x, 1)),
  StakeInfoRuntimeApi_get_hotkey_conviction: (v, x) => getHotkeyConviction(v, a(x, 0), a(x, 1)),
  StakeInfoRuntimeApi_get_most_convicted_hotkey_on_subnet: (v, x) =>
    getMostConvictedHotkeyOnSubnet(v, a(x, 0)),
  SubnetRegistrationRuntimeApi_get_network_registration_cost: (v) => getNetworkRegistrationCost(v),
  SwapRuntimeApi_current_alpha_price: (v, x) => spotPriceRao(v.state, a(x, 0)),
  SwapRuntimeApi_current_alpha_price_all: (v) => currentAlphaPriceAll(v),
  SwapRuntimeApi_sim_swap_tao_for_alpha: (v, x) => simSwapTaoForAlpha(v, a(x, 0), a(x, 1)),
  SwapRuntimeApi_sim_swap_alpha_for_tao: (v, x) => simSwapAlphaForTao(v, a(x, 0), a(x, 1)),
};

/** Every subtensor runtime-API method by its `state_call` name, with its declared shapes. */
export const SUBTENSOR_API_METHODS: ReadonlyMap<string, RuntimeApiMethod> = new Map(
  subtensorRuntimeApis().flatMap((api) =>
    api.methods.map((m): [string, RuntimeApiMethod] => [`${api.name}_${m.name}`, m]),
  ),
);

for (const name of SUBTENSOR_API_METHODS.keys())
  if (!HANDLERS[name]) throw new Error(`subtensor runtime API ${name} has no implementation`);

/**
 * Runs a subtensor runtime API by its `state_call` name on already-decoded arguments and returns
 * the SCALE-encoded result; undefined if the name is not a subtensor API.
 * @example
 * import { MapState } from '@taoscript/runtime';
 * import { apiView, callSubtensorApi } from './apis.js';
 * callSubtensorApi(apiView(new MapState(), 1), 'SwapRuntimeApi_current_alpha_price', [0]);
 */
export function callSubtensorApi(
  view: ApiView,
  method: string,
  args: unknown[],
): Uint8Array | undefined {
  assertView(view);
  if (typeof method !== 'string') throw new TypeError('method: expected a string');
  if (!Array.isArray(args)) throw new TypeError('args: expected an array');
  const m = SUBTENSOR_API_METHODS.get(method);
  const handler = HANDLERS[method];
  if (!m || !handler) return undefined;
  if (args.length !== m.inputs.length)
    throw new RangeError(`${method}: expected ${m.inputs.length} arguments, got ${args.length}`);
  return (m.output as AnyShape).enc(handler(view, args) as never);
}
