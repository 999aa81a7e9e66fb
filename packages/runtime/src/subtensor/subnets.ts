/**
 * Subnets, bit-exact to subtensor 14bc6f9f: `register_network` / `register_network_with_identity`
 * (subnets/subnet.rs `do_register_network`, `init_new_network`), the lock cost and pruning
 * (coinbase/root.rs), pool seeding at the median price (staking/stake_utils.rs), `start_call`,
 * subnet and coldkey identities (utils/identity.rs), token symbols (subnets/symbols.rs), and
 * `dissolve_network` / `root_dissolve_network` (coinbase/root.rs `do_dissolve_network`,
 * `remove_network`; staking/remove_stake.rs `destroy_alpha_in_out_stakes`).
 */
import {
  Commitments,
  type RateLimitKey,
  SubtensorStorage as S,
  type StateGet,
  type SubnetIdentityV3,
  Swap,
} from '@taoscript/chain-types';
import {
  bytesEqual,
  fxConvert,
  fxDiv,
  fxMul,
  fxToU64,
  I96F32,
  toHex,
  U64F64,
  U96F32,
} from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  OK,
  type Origin,
} from '../dispatch.js';
import type { Overlay } from '../state.js';
import { handlers } from './dispatch.js';
import { blockEmissionForIssuance, TOTAL_SUPPLY } from './math/emission.js';
import { lockReductionInterval, networkLockCost } from './math/registration.js';
import {
  assertNetuid,
  atomically,
  currentAlphaPrice,
  recycleTao,
  reducibleBalance,
  subnetAccount,
  subnetOfAccount,
  subtensorError,
  transferTao,
  transferTaoFromSubnet,
  transferTaoToSubnet,
} from './pool.js';
import { appendNeuron, createAccountIfNonExistent, mechanismStorageIndex } from './registration.js';
import './serving.js';
import { type SafeFloat, safeFloatFromU64F64, safeFloatToU64, stakeOf } from './share-pool.js';

const U64_MAX = (1n << 64n) - 1n;
/** `DefaultTempo` (the runtime's `InitialTempo`): 360 blocks. */
export const DEFAULT_TEMPO = 360;
/** `DefaultNeuronBurnCost`: a new subnet's registration burn, 1 TAO. */
export const NEW_SUBNET_BURN = 1_000_000_000n;
const NETWORK_LAST_REGISTERED: RateLimitKey = { type: 'NetworkLastRegistered' };
const PRICE_ONE = U64F64.one;

type SubtensorEventValue = Extract<
  Parameters<DispatchContext['deposit']>[0],
  { type: 'SubtensorModule' }
>['value'];

const err = (name: string): DispatchOutcome => fail(subtensorError(name));
const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const satU64 = (v: bigint): bigint => (v < 0n ? 0n : v > U64_MAX ? U64_MAX : v);
const emit = (ctx: DispatchContext, value: SubtensorEventValue): void =>
  ctx.deposit({ type: 'SubtensorModule', value });

function assertAccount(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (v.length !== 32) throw new RangeError(`${what}: expected 32 bytes, got ${v.length}`);
}

function assertBytes(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
}

/** A storage item whose keys can be listed by prefix and decoded. */
type Listable = {
  partialKey(...keys: unknown[]): Uint8Array;
  decodeKey(full: Uint8Array): unknown[];
};

function clearPrefix(st: Overlay, item: Listable, ...first: unknown[]): void {
  for (const k of st.keys(item.partialKey(...first))) st.delete(k);
}

/** Removes the entries of a map keyed `(x, netuid, …)` whose second key is `netuid`. */
function removeWhereSecond(st: Overlay, item: Listable, netuid: number): void {
  for (const k of st.keys(item.partialKey())) if (item.decodeKey(k)[1] === netuid) st.delete(k);
}

/** Netuids of `NetworksAdded`, in storage (key) order. */
export function addedNetuids(st: Overlay): number[] {
  return st.keys(S.NetworksAdded.partialKey()).map((k) => S.NetworksAdded.decodeKey(k)[0]);
}

// ---- token symbols ------------------------------------------------------------------------------

// subnets/symbols.rs `SYMBOLS`, index = netuid (entry 0, upper-case Tau, is root's). Whitespace,
// unassigned code points and combining marks are written as escapes.
const SYMBOL_TEXT = [
  'Τ α β γ δ ε ζ η θ ι κ λ μ ν ξ ο π ρ σ t υ φ χ ψ ω א ב ג ד ה ו ז ח ט י ך כ ל ם מ ן נ',
  'ס ע ף פ ץ צ ק ר ש ת ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي ى ᚠ ᚢ ᚦ',
  'ᚨ ᚱ ᚳ Ы ᛉ ᛒ \u{1680} ᚁ ᚂ ᚃ ᚄ ᚅ ᚛ ა ბ გ დ ე ვ Ա Բ Գ Դ Ե Զ ՞ Ѐ Ё Ђ Ѓ Є Ѕ ъ Ⲁ ⲁ Ⲃ ⲃ Ⲅ ⲅ',
  '\u{11000} \u{11001} \u{11002} 𑀃 𑀅 න ඳ ප ඵ බ භ Ⰰ Ⰱ Ⰲ Ⰳ Ⰴ Ⰵ Ⰶ Ⰷ Ⰸ Ⰹ Ⰺ Ⰻ Ⰼ Ⰽ Ⰾ Ⰿ Ⱀ Ⱁ Ⱂ',
  'Ⱃ Ⱄ Ⱅ Ⱆ Ⱇ Ⱈ Ⱉ Ⱊ Ⱋ Ⱌ Ⱍ Ⱎ Ⱏ Ⱐ ก ข ฃ ค ฅ ฆ ง จ ฉ ช ซ ฌ ญ ฎ ฏ ฐ ฑ ฒ ณ ด ต ถ ท ธ น บ ป ผ',
  'ฝ พ ฟ ภ ม ย ร ล ว ศ ษ ส ห ฬ อ ฮ ㄱ ㄴ ㄷ ㄹ ㅁ ㅂ ㅅ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ',
  'ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ አ ኡ ኢ ኣ ኤ እ ኦ ኧ ወ ዉ ዊ ዋ ዌ ው ዎ ኰ \u{12b1} ኲ ኳ ኴ ኵ \u{12b6} ጐ',
  '\u{1311} ጒ መ ጔ ጕ \u{1316} अ आ इ ई उ ऊ ऋ ए ऐ ओ औ क ख ग घ ङ च छ ज झ ञ ट ठ ड ढ ण त थ द',
  'ध न प फ ब भ म य र ल व श ष स ह ア イ ウ エ オ カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ヌ ネ ノ ハ ヒ',
  'フ ヘ ホ マ ミ ム メ モ ヤ ユ ヨ ラ リ ル レ ロ ワ ヲ ン ⴰ ⴱ ⴲ ⴳ ⴴ ⴵ ⴶ ⴷ ⴸ ⴹ ⴺ ⴻ ⴼ ⴽ ⴾ ⴿ ⵀ ⵁ ⵂ ⵃ ⵄ ⵅ ⵆ',
  'ⵇ ⵈ ⵉ ⵊ ⵋ ⵌ ⵍ ⵎ ⵏ ⵐ ⵑ ⵒ ⵓ අ ආ ඉ ඊ උ ඌ ඍ ඎ ඏ ඐ එ ඒ ඓ ඔ ඕ ඖ ක ඛ ග ඝ ඞ ච ඡ ජ ඣ ඤ ට ඥ ඦ',
  'ඩ ඨ ඪ ණ ඬ ත ථ ද ධ',
].join(' ');

const encoder = new TextEncoder();
/** The 439 subnet token symbols (UTF-8) indexed by netuid; entry 0 is root's `Τ`. */
export const SUBNET_SYMBOLS: readonly Uint8Array[] = SYMBOL_TEXT.split(' ').map((s) =>
  encoder.encode(s),
);

/** `get_symbol_for_subnet`: the netuid's own symbol (root's beyond the table). */
export function symbolForSubnet(netuid: number): Uint8Array {
  assertNetuid(netuid);
  return SUBNET_SYMBOLS[netuid] ?? (SUBNET_SYMBOLS[0] as Uint8Array);
}

/** `get_next_available_symbol`: the netuid's own symbol if unused, else the first unused one. */
export function nextAvailableSymbol(st: Overlay, netuid: number): Uint8Array {
  const used = new Set<string>();
  for (const k of st.keys(S.TokenSymbol.partialKey())) {
    const [n] = S.TokenSymbol.decodeKey(k);
    used.add(toHex(S.TokenSymbol.get(st, n)));
  }
  const own = symbolForSubnet(netuid);
  if (!used.has(toHex(own))) return own;
  return (
    SUBNET_SYMBOLS.slice(1).find((s) => !used.has(toHex(s))) ?? (SUBNET_SYMBOLS[0] as Uint8Array)
  );
}

// ---- identities ---------------------------------------------------------------------------------

/** `is_valid_subnet_identity`: byte limits per field (name and discord 256, the others 1024). */
export function isValidSubnetIdentity(id: SubnetIdentityV3): boolean {
  if (typeof id !== 'object' || id === null) throw new TypeError('identity: expected an object');
  const fields = [
    id.subnet_name,
    id.github_repo,
    id.subnet_contact,
    id.subnet_url,
    id.discord,
    id.description,
    id.logo_url,
    id.additional,
  ];
  fields.forEach((b, i) => {
    assertBytes(b, `identity field ${i}`);
  });
  const limits = [256, 1024, 1024, 1024, 256, 1024, 1024, 1024];
  const total = id.subnet_name.length + id.github_repo.length + id.subnet_contact.length;
  return total <= 6_656 && fields.every((b, i) => b.length <= (limits[i] as number));
}

/** A coldkey identity's fields, as `set_identity` takes them. */
export type ChainIdentityFields = {
  name: Uint8Array;
  url: Uint8Array;
  github_repo: Uint8Array;
  image: Uint8Array;
  discord: Uint8Array;
  description: Uint8Array;
  additional: Uint8Array;
};

/** `is_valid_identity`: name, url, repo, discord ≤ 256 bytes; image, description, additional ≤ 1024. */
export function isValidChainIdentity(id: ChainIdentityFields): boolean {
  if (typeof id !== 'object' || id === null) throw new TypeError('identity: expected an object');
  for (const k of [
    'name',
    'url',
    'github_repo',
    'image',
    'discord',
    'description',
    'additional',
  ] as const)
    assertBytes(id[k], `identity.${k}`);
  const total =
    id.name.length +
    id.url.length +
    id.image.length +
    id.discord.length +
    id.description.length +
    id.additional.length;
  return (
    total <= 4_096 &&
    id.name.length <= 256 &&
    id.url.length <= 256 &&
    id.github_repo.length <= 256 &&
    id.image.length <= 1024 &&
    id.discord.length <= 256 &&
    id.description.length <= 1024 &&
    id.additional.length <= 1024
  );
}

// ---- prices and costs ---------------------------------------------------------------------------

/** `get_moving_alpha_price`: `SubnetMovingPrice` as U64F64 (1.0 for root and stable subnets). */
export function movingAlphaPrice(st: StateGet, netuid: number): bigint {
  if (netuid === 0 || S.SubnetMechanism.get(st, netuid) === 0) return PRICE_ONE;
  return fxConvert(I96F32, U64F64, S.SubnetMovingPrice.get(st, netuid));
}

/**
 * `get_median_subnet_alpha_price`: the median current price (U64F64) of all non-root subnets with
 * a non-zero price, averaging the two middle ones; 1.0 when there are none.
 */
export function medianSubnetAlphaPrice(st: Overlay): bigint {
  const prices: bigint[] = [];
  for (const netuid of addedNetuids(st)) {
    if (netuid === 0) continue;
    const p = currentAlphaPrice(st, netuid);
    if (p > 0n) prices.push(p);
  }
  if (prices.length === 0) return PRICE_ONE;
  prices.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lower = Math.floor((prices.length - 1) / 2);
  const upper = Math.floor(prices.length / 2);
  if (lower === upper) return prices[upper] as bigint;
  const sum = (prices[lower] as bigint) + (prices[upper] as bigint);
  return fxDiv(U64F64, minBig(sum, U64F64.max), 2n << 64n);
}

/** `calculate_block_emission` for the lock interval: upstream's result, `undefined` = emission 0. */
function blockEmissionNow(st: StateGet): bigint {
  const issuance = S.TotalIssuance.get(st);
  return issuance >= TOTAL_SUPPLY ? 0n : blockEmissionForIssuance(issuance);
}

/**
 * `get_network_lock_cost` at block `now`: the last lock doubled (once any subnet was registered),
 * decaying linearly back to `NetworkMinLockCost` over the halving-scaled reduction interval.
 */
export function currentNetworkLockCost(st: StateGet, now: bigint): bigint {
  return networkLockCost({
    lastLock: S.NetworkLastLockCost.get(st),
    minLock: S.NetworkMinLockCost.get(st),
    lastLockBlock: S.LastRateLimitedBlock.get(st, NETWORK_LAST_REGISTERED),
    currentBlock: now,
    reductionInterval: lockReductionInterval(
      S.NetworkLockReductionInterval.get(st),
      blockEmissionNow(st),
    ),
  });
}

/**
 * `get_network_to_prune`: among non-immune non-root subnets, the lowest moving price (ties: the
 * earlier registration, then storage order).
 */
export function networkToPrune(st: Overlay, now: bigint): number | undefined {
  let candidate: number | undefined;
  let candidatePrice = U64F64.max;
  let candidateAt = U64_MAX;
  const immunity = S.NetworkImmunityPeriod.get(st);
  for (const netuid of addedNetuids(st)) {
    if (netuid === 0) continue;
    const at = S.NetworkRegisteredAt.get(st, netuid);
    if (now < satU64(at + immunity)) continue;
    const price = movingAlphaPrice(st, netuid);
    if (price < candidatePrice || (price === candidatePrice && at < candidateAt)) {
      candidate = netuid;
      candidatePrice = price;
      candidateAt = at;
    }
  }
  return candidate;
}

// ---- registering a subnet -----------------------------------------------------------------------

/** `get_next_netuid`: the lowest unused netuid above root. */
export function nextNetuid(st: Overlay): number {
  const used = new Set(addedNetuids(st));
  let n = 1;
  while (used.has(n)) n++;
  return n;
}

/** `init_new_network`: marks the subnet added and writes its explicit defaults (with events). */
export function initNewNetwork(ctx: DispatchContext, netuid: number, tempo: number): void {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  S.SubnetworkN.set(st, netuid, 0);
  S.NetworksAdded.set(st, netuid, true);
  S.Tempo.set(st, netuid, tempo);
  const stagger = BigInt(netuid) % BigInt(Math.max(tempo, 1));
  S.LastEpochBlock.set(st, netuid, now > stagger ? now - stagger : 0n);
  S.TotalNetworks.set(st, Math.min(S.TotalNetworks.get(st) + 1, 0xffff));
  S.NetworkRegistrationAllowed.set(st, netuid, true);
  emit(ctx, { type: 'RegistrationAllowed', value: [netuid, true] });
  S.MaxAllowedUids.set(st, netuid, 256);
  emit(ctx, { type: 'MaxAllowedUidsSet', value: [netuid, 256] });
  S.MaxAllowedValidators.set(st, netuid, 64);
  emit(ctx, { type: 'MaxAllowedValidatorsSet', value: [netuid, 64] });
  S.MinAllowedWeights.set(st, netuid, 1);
  emit(ctx, { type: 'MinAllowedWeightSet', value: [netuid, 1] });
  S.ImmunityPeriod.set(st, netuid, 5000);
  emit(ctx, { type: 'ImmunityPeriodSet', value: [netuid, 5000] });
  S.Yuma3On.set(st, netuid, true);
  S.Burn.set(st, netuid, NEW_SUBNET_BURN);
  S.SubnetEmissionEnabled.set(st, netuid, true);
}

/**
 * `do_set_root_validators_for_subnet`: each root validator (except the owner hotkey itself, and
 * those that turned `AutoParentDelegationEnabled` off) schedules the subnet owner hotkey as its
 * child with full proportion, through `set_children` signed by its coldkey; failures are ignored.
 */
function setRootValidatorsForSubnet(ctx: DispatchContext, netuid: number): void {
  const setChildren = handlers.SubtensorModule.set_children;
  const ownerHotkey = S.SubnetOwnerHotkey.tryGet(ctx.state, netuid);
  if (!setChildren || !ownerHotkey) return;
  for (const key of ctx.state.keys(S.Keys.partialKey(0))) {
    const [, uid] = S.Keys.decodeKey(key);
    const validator = S.Keys.get(ctx.state, 0, uid);
    if (bytesEqual(validator, ownerHotkey)) continue;
    if (!S.AutoParentDelegationEnabled.get(ctx.state, validator)) continue;
    const coldkey = S.Owner.get(ctx.state, validator);
    atomically(ctx, (c) =>
      setChildren(
        c,
        { type: 'Signed', who: coldkey },
        {
          type: 'set_children',
          value: { hotkey: validator, netuid, children: [[U64_MAX, ownerHotkey]] },
        },
      ),
    );
  }
}

/** Optional overrides for `doRegisterNetwork` (genesis uses them). */
export interface RegisterNetworkOptions {
  identity?: SubnetIdentityV3 | undefined;
  /** Tempo of the new subnet (default 360). */
  tempo?: number;
}

/**
 * `do_register_network`: `coldkey` locks the current lock cost and opens a dynamic subnet whose
 * uid 0 is `hotkey`, pruning the weakest subnet when `SubnetLimit` is reached.
 */
export function doRegisterNetwork(
  ctx: DispatchContext,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
  opts: RegisterNetworkOptions = {},
): DispatchOutcome {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  const owner = S.Owner.tryGet(st, hotkey);
  if (owner !== undefined && !bytesEqual(owner, coldkey)) return err('NonAssociatedColdKey');
  if (subnetOfAccount(hotkey) !== undefined) return err('CannotUseSystemAccount');
  if (now < S.NetworkRegistrationStartBlock.get(st)) return err('SubNetRegistrationDisabled');
  const last = S.LastRateLimitedBlock.get(st, NETWORK_LAST_REGISTERED);
  if (last !== 0n && (now > last ? now - last : 0n) < S.NetworkRateLimit.get(st))
    return err('NetworkTxRateLimitExceeded');

  const count = addedNetuids(st).filter((n) => n !== 0).length;
  let prune: number | undefined;
  if (count >= S.SubnetLimit.get(st)) {
    prune = networkToPrune(st, now);
    if (prune === undefined) return err('SubnetLimitReached');
  }

  // The lock cost reads the block emission, which upstream records when it changes.
  const issuance = S.TotalIssuance.get(st);
  if (issuance < TOTAL_SUPPLY) {
    const emission = blockEmissionForIssuance(issuance);
    if (S.BlockEmission.get(st) !== emission) S.BlockEmission.set(st, emission);
  }
  const lock = currentNetworkLockCost(st, now);
  if (lock > reducibleBalance(st, coldkey, false)) return err('CannotAffordLockCost');

  if (prune !== undefined) {
    const dissolved = doDissolveNetwork(ctx, prune);
    if (!dissolved.ok) return dissolved;
  }
  const netuid = prune ?? nextNetuid(st);
  const median = medianSubnetAlphaPrice(st);
  initNewNetwork(ctx, netuid, opts.tempo ?? DEFAULT_TEMPO);

  const paid = transferTaoToSubnet(ctx, netuid, coldkey, lock);
  if (!paid.ok) return fail(paid.error);
  const locked = paid.amount;
  S.NetworkLastLockCost.set(st, locked);
  S.LastRateLimitedBlock.set(st, NETWORK_LAST_REGISTERED, now);

  const created = createAccountIfNonExistent(st, coldkey, hotkey);
  if (!created.ok) return created;
  appendNeuron(st, netuid, hotkey, now);
  S.SubnetMechanism.set(st, netuid, 1);
  S.NetworkRegisteredAt.set(st, netuid, now);
  S.RegisteredSubnetCounter.set(st, netuid, satU64(S.RegisteredSubnetCounter.get(st, netuid) + 1n));
  S.TokenSymbol.set(st, netuid, nextAvailableSymbol(st, netuid));

  // The whole lock stays in the pool, priced at the median of the other subnets.
  const minLock = S.NetworkMinLockCost.get(st);
  const poolTao = maxBig(locked, minLock);
  const poolAlpha = fxToU64(U64F64, fxDiv(U64F64, poolTao << 64n, median));
  const recycled = locked > poolTao ? locked - poolTao : 0n;
  S.SubnetTAO.set(st, netuid, poolTao);
  S.SubnetAlphaIn.set(st, netuid, poolAlpha);
  S.SubnetOwner.set(st, netuid, coldkey);
  S.SubnetOwnerHotkey.set(st, netuid, hotkey);
  emit(ctx, { type: 'SubnetOwnerHotkeySet', value: [netuid, hotkey] });
  S.SubnetLocked.set(st, netuid, locked);
  S.SubnetAlphaOut.set(st, netuid, 0n);
  S.SubnetVolume.set(st, netuid, 0n);
  S.RAORecycledForRegistration.set(st, netuid, recycled);
  if (recycled > 0n) recycleTao(ctx, subnetAccount(netuid), recycled);
  if (poolTao > 0n) S.TotalStake.set(st, satU64(S.TotalStake.get(st) + poolTao));

  if (opts.identity !== undefined) {
    if (!isValidSubnetIdentity(opts.identity)) return err('InvalidIdentity');
    S.SubnetIdentitiesV3.set(st, netuid, opts.identity);
    emit(ctx, { type: 'SubnetIdentitySet', value: netuid });
  }
  setRootValidatorsForSubnet(ctx, netuid);
  emit(ctx, { type: 'NetworkAdded', value: [netuid, 1] });
  S.SubnetEmissionEnabled.set(st, netuid, false);
  return OK;
}

/**
 * `do_start_call`: the owner starts emission for its subnet from the next block
 * (`FirstEmissionBlockNumber = now + 1`, `SubtokenEnabled`).
 */
export function doStartCall(ctx: DispatchContext, origin: Origin, netuid: number): DispatchOutcome {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  if (!S.NetworksAdded.get(st, netuid)) return err('SubnetNotExists');
  if (origin.type !== 'Signed' || !bytesEqual(S.SubnetOwner.get(st, netuid), origin.who))
    return fail(BAD_ORIGIN);
  if (S.FirstEmissionBlockNumber.tryGet(st, netuid) !== undefined)
    return err('FirstEmissionBlockNumberAlreadySet');
  if (now < satU64(S.NetworkRegisteredAt.get(st, netuid) + S.StartCallDelay.get(st)))
    return err('NeedWaitingMoreBlocksToStarCall');
  const first = satU64(now + 1n);
  S.FirstEmissionBlockNumber.set(st, netuid, first);
  S.SubtokenEnabled.set(st, netuid, true);
  emit(ctx, { type: 'FirstEmissionBlockNumberSet', value: [netuid, first] });
  return OK;
}

// ---- dissolving a subnet ------------------------------------------------------------------------

/** `finalize_all_subnet_root_dividends`: drops the subnet from every root-claim record. */
function finalizeRootDividends(st: Overlay, netuid: number): void {
  for (const k of st.keys(S.RootClaimable.partialKey())) {
    const [hotkey] = S.RootClaimable.decodeKey(k);
    const claimable = S.RootClaimable.get(st, hotkey);
    S.RootClaimable.set(
      st,
      hotkey,
      claimable.filter(([n]) => n !== netuid),
    );
  }
  clearPrefix(st, S.RootClaimed, netuid);
}

/** `destroy_lock_maps`. */
function destroyLockMaps(st: Overlay, netuid: number): void {
  for (const k of st.keys(S.LockingColdkeys.partialKey(netuid))) {
    const [, hot, cold] = S.LockingColdkeys.decodeKey(k);
    S.Lock.remove(st, cold, netuid, hot);
  }
  clearPrefix(st, S.LockingColdkeys, netuid);
  clearPrefix(st, S.HotkeyLock, netuid);
  clearPrefix(st, S.DecayingHotkeyLock, netuid);
  S.OwnerLock.remove(st, netuid);
  S.DecayingOwnerLock.remove(st, netuid);
  removeWhereSecond(st, S.DecayingLock, netuid);
}

/** `alpha_iter_single_prefix(hot)` on one subnet: (coldkey, share), `AlphaV2` over legacy. */
function sharesOnSubnet(st: Overlay, hot: Uint8Array, netuid: number): [Uint8Array, SafeFloat][] {
  const merged = new Map<string, [Uint8Array, SafeFloat]>();
  for (const k of st.keys(S.Alpha.partialKey(hot))) {
    const [, cold, n] = S.Alpha.decodeKey(k);
    if (n === netuid)
      merged.set(toHex(cold), [cold, safeFloatFromU64F64(S.Alpha.get(st, hot, cold, n))]);
  }
  for (const k of st.keys(S.AlphaV2.partialKey(hot))) {
    const [, cold, n] = S.AlphaV2.decodeKey(k);
    if (n === netuid) merged.set(toHex(cold), [cold, S.AlphaV2.get(st, hot, cold, n)]);
  }
  return [...merged.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
}

/**
 * `destroy_alpha_in_out_stakes`: the pool TAO goes to the stakers pro rata to their alpha value
 * (largest remainder), the protocol's share stays and is recycled with the rest of the subnet
 * account; owners of subnets registered before `NetworkRegistrationStartBlock` get back their
 * lock minus the owner-cut emission they received (valued at the current price).
 */
function destroyAlphaInOutStakes(ctx: DispatchContext, netuid: number): DispatchOutcome {
  const st = ctx.state;
  if (!S.NetworksAdded.get(st, netuid)) return err('SubnetNotExists');
  const owner = S.SubnetOwner.get(st, netuid);
  const lockCost = S.SubnetLocked.get(st, netuid);
  const registeredAt = S.NetworkRegisteredAt.get(st, netuid);
  const refundOwner = registeredAt < S.NetworkRegistrationStartBlock.get(st);
  const alphaIn = S.SubnetAlphaIn.get(st, netuid);
  const protocol = S.SubnetProtocolAlpha.get(st, netuid);

  let ownerEmissionTao = 0n;
  if (refundOwner && lockCost !== 0n) {
    const issued = satU64(alphaIn + S.SubnetAlphaOut.get(st, netuid));
    if (issued > 0n) {
      const cut = fxDiv(U96F32, BigInt(S.SubnetOwnerCut.get(st)) << 32n, 65_535n << 32n);
      const ownerAlpha = fxToU64(U96F32, fxMul(U96F32, issued << 32n, cut));
      if (ownerAlpha > 0n) {
        const price = fxConvert(U64F64, U96F32, currentAlphaPrice(st, netuid));
        ownerEmissionTao = fxToU64(U96F32, fxMul(U96F32, ownerAlpha << 32n, price));
      }
    }
  }

  // Who holds alpha here, and what is it worth.
  const protocolValue =
    registeredAt > S.TaoInRefundDeploymentBlock.get(st) ? satU64(alphaIn + protocol) : protocol;
  let totalValue = protocolValue;
  const hotkeys: Uint8Array[] = [];
  for (const k of st.keys(S.TotalHotkeyAlpha.partialKey())) {
    const [hot, n] = S.TotalHotkeyAlpha.decodeKey(k);
    if (n === netuid) hotkeys.push(hot);
  }
  const positions: [Uint8Array, Uint8Array][] = [];
  const stakers: { cold: Uint8Array; value: bigint }[] = [];
  for (const hot of hotkeys) {
    for (const [cold, share] of sharesOnSubnet(st, hot, netuid)) {
      positions.push([hot, cold]);
      const actual = stakeOf(st, hot, cold, netuid);
      const value = actual === 0n ? safeFloatToU64(share) : actual;
      if (value > 0n) {
        totalValue += value;
        stakers.push({ cold, value });
      }
    }
  }

  // The pot leaves the pool accounting before it is paid out.
  const pot = S.SubnetTAO.get(st, netuid);
  if (pot > 0n) {
    S.SubnetTAO.remove(st, netuid);
    S.TotalStake.set(st, satU64(S.TotalStake.get(st) - pot));
  }
  let protocolTaoShare = 0n;
  if (pot > 0n && totalValue > 0n) {
    type Portion = { cold: Uint8Array | undefined; share: bigint; rem: bigint };
    const portions: Portion[] = [];
    let distributed = 0n;
    const portion = (cold: Uint8Array | undefined, value: bigint): void => {
      const prod = pot * value;
      const share = prod / totalValue > U64_MAX ? U64_MAX : prod / totalValue;
      distributed += share;
      portions.push({ cold, share, rem: prod % totalValue });
    };
    for (const s of stakers) portion(s.cold, s.value);
    if (protocolValue > 0n) portion(undefined, protocolValue);
    const leftover = pot > distributed ? pot - distributed : 0n;
    if (leftover > 0n) {
      const order = portions
        .map((p, i) => ({ p, i }))
        .sort((a, b) => (a.p.rem !== b.p.rem ? (b.p.rem > a.p.rem ? 1 : -1) : a.i - b.i));
      const give = Number(leftover < BigInt(order.length) ? leftover : BigInt(order.length));
      for (let i = 0; i < give; i++) (order[i] as { p: Portion }).p.share += 1n;
    }
    for (const p of portions) {
      if (p.cold === undefined) protocolTaoShare += p.share;
      else if (p.share > 0n) transferTaoFromSubnet(ctx, netuid, p.cold, p.share);
    }
  }

  for (const [hot, cold] of positions) {
    S.Alpha.remove(st, hot, cold, netuid);
    S.AlphaV2.remove(st, hot, cold, netuid);
  }
  for (const hot of hotkeys) {
    S.TotalHotkeyAlpha.remove(st, hot, netuid);
    S.TotalHotkeyShares.remove(st, hot, netuid);
    S.TotalHotkeySharesV2.remove(st, hot, netuid);
  }
  S.SubnetAlphaIn.remove(st, netuid);
  S.SubnetAlphaOut.remove(st, netuid);
  S.SubnetProtocolAlpha.remove(st, netuid);
  S.SubnetLocked.set(st, netuid, 0n);

  const account = subnetAccount(netuid);
  const refund = refundOwner && lockCost > ownerEmissionTao ? lockCost - ownerEmissionTao : 0n;
  if (refund > 0n) {
    const full = reducibleBalance(st, account, false);
    const transferable = full > protocolTaoShare ? full - protocolTaoShare : 0n;
    transferTao(ctx, account, owner, refund < transferable ? refund : transferable);
  }
  const remaining = reducibleBalance(st, account, true);
  if (recycleTao(ctx, account, remaining).ok)
    S.RAORecycledForRegistration.set(st, netuid, remaining);
  destroyLockMaps(st, netuid);
  return OK;
}

/** `remove_network`: erases every per-subnet item. */
function removeNetwork(ctx: DispatchContext, netuid: number): void {
  const st = ctx.state;
  S.SubnetOwner.remove(st, netuid);
  S.SubnetworkN.remove(st, netuid);
  S.NetworksAdded.remove(st, netuid);
  S.TotalNetworks.set(st, Math.max(S.TotalNetworks.get(st) - 1, 0));
  S.NetworkRegisteredAt.remove(st, netuid);

  const members = st.keys(S.Keys.partialKey(netuid)).map((k) => {
    const [, uid] = S.Keys.decodeKey(k);
    return S.Keys.get(st, netuid, uid);
  });
  clearPrefix(st, S.Uids, netuid);
  clearPrefix(st, S.Keys, netuid);
  for (const k of st.keys(S.Weights.partialKey(0))) {
    const [, uid] = S.Weights.decodeKey(k);
    const row = S.Weights.get(st, 0, uid);
    S.Weights.set(
      st,
      0,
      uid,
      row.map(([target, w]) => [target, target === netuid ? 0 : w] as [number, number]),
    );
  }
  for (const item of [
    S.Active,
    S.Emission,
    S.Consensus,
    S.Dividends,
    S.ValidatorPermit,
    S.ValidatorTrust,
  ])
    item.remove(st, netuid);
  for (const hot of members) S.IsNetworkMember.remove(st, hot, netuid);

  const perNetuid = [
    S.Tempo,
    S.Kappa,
    S.Difficulty,
    S.MaxAllowedUids,
    S.ImmunityPeriod,
    S.ActivityCutoff,
    S.ActivityCutoffFactorMilli,
    S.LastEpochBlock,
    S.PendingEpochAt,
    S.SubnetEpochIndex,
    S.MinAllowedWeights,
    S.RegistrationsThisInterval,
    S.POWRegistrationsThisInterval,
    S.BurnRegistrationsThisInterval,
    S.SubnetAlphaInEmission,
    S.SubnetAlphaOutEmission,
    S.SubnetTaoInEmission,
    S.SubnetVolume,
    S.SubnetMovingPrice,
    S.SubnetTaoFlow,
    S.SubnetEmaTaoFlow,
    S.SubnetProtocolFlow,
    S.SubnetEmaProtocolFlow,
    S.SubnetExcessTao,
    S.SubnetRootSellTao,
    S.TokenSymbol,
    S.SubnetMechanism,
    S.SubnetOwnerHotkey,
    S.NetworkRegistrationAllowed,
    S.NetworkPowRegistrationAllowed,
    S.TransferToggle,
    S.SubnetLocked,
    S.LargestLocked,
    S.FirstEmissionBlockNumber,
    S.PendingValidatorEmission,
    S.PendingServerEmission,
    S.PendingRootAlphaDivs,
    S.PendingOwnerCut,
    S.MinerBurned,
    S.BlocksSinceLastStep,
    S.LastMechansimStepBlock,
    S.LastAdjustmentBlock,
    S.ServingRateLimit,
    S.Rho,
    S.AlphaSigmoidSteepness,
    S.MaxAllowedValidators,
    S.BondsMovingAverage,
    S.BondsPenalty,
    S.BondsResetOn,
    S.WeightsSetRateLimit,
    S.ValidatorPruneLen,
    S.ScalingLawPower,
    S.TargetRegistrationsPerInterval,
    S.CommitRevealWeightsEnabled,
    S.BurnHalfLife,
    S.BurnIncreaseMult,
    S.Burn,
    S.MinBurn,
    S.MaxBurn,
    S.MinDifficulty,
    S.MaxDifficulty,
    S.RegistrationsThisBlock,
    S.EMAPriceHalvingBlocks,
    S.RAORecycledForRegistration,
    S.MaxRegistrationsPerBlock,
    S.WeightsVersionKey,
    S.LiquidAlphaOn,
    S.Yuma3On,
    S.AlphaValues,
    S.SubtokenEnabled,
    S.OwnerCutAutoLockEnabled,
    S.ImmuneOwnerUidsLimit,
    S.StakeWeight,
    S.LoadedEmission,
  ] as { remove(st: Overlay, netuid: number): void }[];
  for (const item of perNetuid) item.remove(st, netuid);

  for (const item of [
    S.BlockAtRegistration,
    S.Axons,
    S.NeuronCertificates,
    S.Prometheus,
    S.AlphaDividendsPerSubnet,
    S.PendingChildKeys,
    S.AssociatedEvmAddress,
  ] as Listable[])
    clearPrefix(st, item, netuid);

  const mechanisms = S.MechanismCountCurrent.get(st, netuid);
  for (let m = 0; m < mechanisms; m++) {
    const idx = mechanismStorageIndex(netuid, m);
    S.LastUpdate.remove(st, idx);
    S.Incentive.remove(st, idx);
    for (const item of [
      S.WeightCommits,
      S.TimelockedWeightCommits,
      S.CRV3WeightCommits,
      S.CRV3WeightCommitsV2,
      S.Bonds,
      S.Weights,
    ] as Listable[])
      clearPrefix(st, item, idx);
  }
  S.RevealPeriodEpochs.remove(st, netuid);
  S.MechanismCountCurrent.remove(st, netuid);
  S.MechanismEmissionSplit.remove(st, netuid);
  clearPrefix(st, S.LastHotkeySwapOnNetuid, netuid);

  if (S.SubnetIdentitiesV3.tryGet(st, netuid) !== undefined) {
    S.SubnetIdentitiesV3.remove(st, netuid);
    emit(ctx, { type: 'SubnetIdentityRemoved', value: netuid });
  }
  for (const item of [
    S.ChildkeyTake,
    S.ChildKeys,
    S.ParentKeys,
    S.LastHotkeyEmissionOnNetuid,
    S.TotalHotkeyAlphaLastEpoch,
    S.TransactionKeyLastBlock,
  ] as Listable[])
    removeWhereSecond(st, item, netuid);

  const lease = S.SubnetUidToLeaseId.tryGet(st, netuid);
  if (lease !== undefined) {
    S.SubnetUidToLeaseId.remove(st, netuid);
    S.SubnetLeases.remove(st, lease);
    clearPrefix(st, S.SubnetLeaseShares, lease);
    S.AccumulatedLeaseDividends.remove(st, lease);
  }
  destroyLockMaps(st, netuid);
}

/** Swap's `clear_protocol_liquidity` (the reserves are already empty) and Commitments' purge. */
function clearPoolAndCommitments(st: Overlay, netuid: number): void {
  Swap.PalSwapInitialized.remove(st, netuid);
  Swap.FeeRate.remove(st, netuid);
  Swap.SwapBalancer.remove(st, netuid);
  for (const item of [
    Commitments.CommitmentOf,
    Commitments.LastCommitment,
    Commitments.LastBondsReset,
    Commitments.RevealedCommitments,
    Commitments.UsedSpaceOf,
  ] as Listable[])
    clearPrefix(st, item, netuid);
  const index = Commitments.TimelockedIndex.get(st);
  Commitments.TimelockedIndex.set(
    st,
    index.filter(([n]) => n !== netuid),
  );
}

/**
 * `do_dissolve_network`: pays the pool out to the stakers, recycles what is left on the subnet
 * account and erases the subnet (root cannot be dissolved: `SubnetNotExists`).
 */
export function doDissolveNetwork(ctx: DispatchContext, netuid: number): DispatchOutcome {
  const st = ctx.state;
  if (netuid === 0 || !S.NetworksAdded.get(st, netuid)) return err('SubnetNotExists');
  finalizeRootDividends(st, netuid);
  const destroyed = destroyAlphaInOutStakes(ctx, netuid);
  if (!destroyed.ok) return destroyed;
  clearPoolAndCommitments(st, netuid);
  removeNetwork(ctx, netuid);
  emit(ctx, { type: 'NetworkRemoved', value: netuid });
  return OK;
}

// ---- call handlers ------------------------------------------------------------------------------

handlers.SubtensorModule.register_network = (ctx, origin, call) => {
  assertAccount(call.value.hotkey, 'hotkey');
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  return atomically(ctx, (c) => doRegisterNetwork(c, who, call.value.hotkey));
};

handlers.SubtensorModule.register_network_with_identity = (ctx, origin, call) => {
  const { hotkey, identity } = call.value;
  assertAccount(hotkey, 'hotkey');
  if (identity !== undefined) isValidSubnetIdentity(identity);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const who = origin.who;
  return atomically(ctx, (c) => doRegisterNetwork(c, who, hotkey, { identity }));
};

handlers.SubtensorModule.start_call = (ctx, origin, call) => {
  assertNetuid(call.value.netuid);
  return atomically(ctx, (c) => doStartCall(c, origin, call.value.netuid));
};

handlers.SubtensorModule.set_subnet_identity = (ctx, origin, call) => {
  const { netuid, ...identity } = call.value;
  assertNetuid(netuid);
  const valid = isValidSubnetIdentity(identity);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  if (!bytesEqual(S.SubnetOwner.get(ctx.state, netuid), origin.who)) return err('NotSubnetOwner');
  if (!valid) return err('InvalidIdentity');
  S.SubnetIdentitiesV3.set(ctx.state, netuid, identity);
  emit(ctx, { type: 'SubnetIdentitySet', value: netuid });
  return OK;
};

handlers.SubtensorModule.set_identity = (ctx, origin, call) => {
  const identity = call.value;
  const valid = isValidChainIdentity(identity);
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const st = ctx.state;
  const registered = S.OwnedHotkeys.get(st, origin.who).some((hot) =>
    st
      .keys(S.IsNetworkMember.partialKey(hot))
      .some((k) => S.IsNetworkMember.get(st, ...S.IsNetworkMember.decodeKey(k))),
  );
  if (!registered) return err('HotKeyNotRegisteredInNetwork');
  if (!valid) return err('InvalidIdentity');
  S.IdentitiesV2.set(st, origin.who, { ...identity });
  emit(ctx, { type: 'ChainIdentitySet', value: origin.who });
  return OK;
};

handlers.SubtensorModule.dissolve_network = (ctx, origin, call) => {
  assertAccount(call.value.coldkey, 'coldkey');
  assertNetuid(call.value.netuid);
  if (origin.type !== 'Root') return fail(BAD_ORIGIN);
  return atomically(ctx, (c) => doDissolveNetwork(c, call.value.netuid));
};

handlers.SubtensorModule.root_dissolve_network = (ctx, origin, call) => {
  assertNetuid(call.value.netuid);
  if (origin.type !== 'Root') return fail(BAD_ORIGIN);
  return atomically(ctx, (c) => doDissolveNetwork(c, call.value.netuid));
};
