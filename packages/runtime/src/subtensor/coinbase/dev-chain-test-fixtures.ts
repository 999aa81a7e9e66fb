/**
 * Test-only bookkeeping for the multi-block dev-chain test (dev-chain.test.ts): reads what the
 * coinbase and the epoch touch before and after each block and checks, block by block, the TAO and
 * alpha identities of spec runtime.md §1 and §6 (and how subtensor 14bc6f9f keeps them), with the
 * rounding that upstream leaves outside every account tracked in an explicit dust ledger.
 *
 * TAO:
 * - Σ System.Account (free + reserved) = Balances.TotalIssuance = SubtensorModule.TotalIssuance
 *   (upstream's `migrate_subnet_balances` made the two issuances equal; `mint_tao`, `recycle_tao`,
 *   `recycle_credit` and `transfer_allow_death_update_ti` keep them so).
 * - ΔTotalIssuance = Issued − recycled credit + (Deposit − Withdraw outside the coinbase)
 *   − Burned − DustLost + Minted, where the coinbase's spent credit is its Initialization-phase
 *   Deposits and equals Σ (SubnetTaoInEmission + SubnetExcessTao) of the emitting subnets.
 * - TotalStake = Σ SubnetTAO + every TAO swap fee charged on a buy so far: a buy adds its gross
 *   TAO to TotalStake and only the net to SubnetTAO (§6.2). The add_stake fees go to the block
 *   author; the `burned_register` fees stay on the subnet account (review-log item 1), so also
 *   TotalStake = Σ subnet-account balances (root included) + Σ add_stake fees, and per subnet
 *   account − SubnetTAO = Σ its registration fees ≥ 0.
 *
 * Alpha, per dynamic subnet:
 *   SubnetAlphaOut = Σ_hotkey TotalHotkeyAlpha + the four pending accumulators + SubnetProtocolAlpha
 *                    + root dividends owed to root stakers + unowned alpha + dust,
 * where unowned alpha is what an epoch drains but gives to nobody while it stays in SubnetAlphaOut,
 * as upstream does: the owner coldkey's incentive (burned, RecycleOrBurn's default) and a dividend
 * pot no hotkey has a share of (the root pot on a subnet whose validators hold no root stake,
 * run_coinbase.rs `calculate_dividend_distribution`); and dust is rounding: in a non-epoch block it
 * grows by exactly the flooring of the four-way split of §6.5, in an epoch block by the flooring
 * of Yuma, of the dividend rescale and of the I96F32 `RootClaimable` rate (bounded by
 * `epochDustBound`). On root, SubnetAlphaOut = Σ root stakes = SubnetTAO.
 */
import assert from 'node:assert/strict';
import {
  Balances,
  type EventRecord,
  SubtensorStorage as S,
  Swap,
  System,
} from '@taoscript/chain-types';
import {
  fxDiv,
  fxFromInt,
  fxMul,
  fxSub,
  fxToInt,
  fxToU64,
  I96F32,
  toHex,
  U96F32,
} from '@taoscript/codec';
import { Overlay, type StateReader } from '../../state.js';
import { blockEmissionForIssuance } from '../math/emission.js';
import { subnetAccount } from '../pool.js';
import { rootOwed } from '../root-claims.js';

const ROOT = 0;
/** U96F32 0.5. */
const HALF = 1n << 31n;
/** I96F32 1.0. */
const ONE_I96 = 1n << 32n;

/** The four pending accumulators of a subnet. */
export interface Pending {
  server: bigint;
  validator: bigint;
  root: bigint;
  owner: bigint;
}

/** What the ledger reads of one subnet. */
export interface SubnetView {
  netuid: number;
  /** Free + reserved of the subnet account. */
  account: bigint;
  tao: bigint;
  alphaIn: bigint;
  alphaOut: bigint;
  /** `TotalHotkeyAlpha[h][netuid]` by hotkey hex. */
  hotkeyAlpha: Map<string, bigint>;
  /** Σ of `hotkeyAlpha`. */
  stakes: bigint;
  pending: Pending;
  protocol: bigint;
  /** Root dividends owed to root stakers on this subnet (Σ ⌊RootClaimable·stake − RootClaimed⌋). */
  owed: bigint;
  /** Eligible for emission (§6.4): FirstEmissionBlockNumber, SubtokenEnabled, registration allowed. */
  emitting: boolean;
  emissionEnabled: boolean;
  lastEpoch: bigint;
  /** `SubnetEpochIndex`: bumped each time an epoch slot is consumed. */
  epochIndex: bigint;
  alphaOutEmission: bigint;
  taoInEmission: bigint;
  excessTao: bigint;
  /** `RootProp` (U96F32 raw). */
  rootProp: bigint;
  /** `SubnetMovingPrice` (I96F32 raw). */
  movingPrice: bigint;
  recycledForRegistration: bigint;
  ownerCutEnabled: boolean;
  feeRate: number;
  ownerColdkey: string;
  ownerHotkey: string;
  /** Hotkey hex by uid. */
  keys: string[];
  /** Owning coldkey hex by uid. */
  owners: string[];
  /** `Delegates` take by uid. */
  takes: number[];
  /** `AlphaDividendsPerSubnet` by hotkey hex (the last epoch's). */
  alphaDividends: Map<string, bigint>;
  /** `RootAlphaDividendsPerSubnet` by hotkey hex (the last epoch's). */
  rootDividends: Map<string, bigint>;
}

/** A view of the chain between two blocks. */
export interface ChainView {
  balancesTi: bigint;
  subtensorTi: bigint;
  /** Σ free + reserved over System.Account. */
  accounts: bigint;
  totalStake: bigint;
  subnetOwnerCut: number;
  subnets: Map<number, SubnetView>;
}

const sumPending = (p: Pending): bigint => p.server + p.validator + p.root + p.owner;

/** Reads the chain view from `state`. */
export function viewChain(state: StateReader): ChainView {
  const st = new Overlay(state);
  let accounts = 0n;
  for (const k of st.keys(System.Account.partialKey())) {
    const [who] = System.Account.decodeKey(k);
    const d = System.Account.get(st, who).data;
    accounts += d.free + d.reserved;
  }
  const netuids: number[] = [];
  for (const k of st.keys(S.NetworksAdded.partialKey())) {
    const [n] = S.NetworksAdded.decodeKey(k);
    if (S.NetworksAdded.get(st, n)) netuids.push(n);
  }
  const hotkeyAlpha = new Map<number, Map<string, bigint>>();
  for (const k of st.keys(S.TotalHotkeyAlpha.partialKey())) {
    const [hot, n] = S.TotalHotkeyAlpha.decodeKey(k);
    const m = hotkeyAlpha.get(n) ?? new Map<string, bigint>();
    m.set(toHex(hot), S.TotalHotkeyAlpha.get(st, hot, n));
    hotkeyAlpha.set(n, m);
  }
  const owed = new Map<number, bigint>();
  for (const k of st.keys(S.RootClaimable.partialKey())) {
    const [hot] = S.RootClaimable.decodeKey(k);
    const stakers: Uint8Array[] = [];
    for (const sk of st.keys(S.AlphaV2.partialKey(hot))) {
      const [, cold, n] = S.AlphaV2.decodeKey(sk);
      if (n === ROOT) stakers.push(cold);
    }
    for (const [n] of S.RootClaimable.get(st, hot)) {
      for (const cold of stakers) {
        const o = rootOwed(st, hot, cold, n);
        if (o > 0n) owed.set(n, (owed.get(n) ?? 0n) + fxToInt(I96F32, o, 64));
      }
    }
  }
  const subnets = new Map<number, SubnetView>();
  for (const netuid of netuids.sort((a, b) => a - b)) {
    const acc = System.Account.get(st, subnetAccount(netuid)).data;
    const ha = hotkeyAlpha.get(netuid) ?? new Map<string, bigint>();
    let stakes = 0n;
    for (const v of ha.values()) stakes += v;
    const n = S.SubnetworkN.get(st, netuid);
    const keys: string[] = [];
    const owners: string[] = [];
    const takes: number[] = [];
    for (let uid = 0; uid < n; uid++) {
      const hot = S.Keys.get(st, netuid, uid);
      keys.push(toHex(hot));
      owners.push(toHex(S.Owner.get(st, hot)));
      takes.push(S.Delegates.get(st, hot));
    }
    const dividends = (item: typeof S.AlphaDividendsPerSubnet) => {
      const m = new Map<string, bigint>();
      for (const k of st.keys(item.partialKey(netuid))) {
        const [, hot] = item.decodeKey(k);
        m.set(toHex(hot), item.get(st, netuid, hot));
      }
      return m;
    };
    subnets.set(netuid, {
      netuid,
      account: acc.free + acc.reserved,
      tao: S.SubnetTAO.get(st, netuid),
      alphaIn: S.SubnetAlphaIn.get(st, netuid),
      alphaOut: S.SubnetAlphaOut.get(st, netuid),
      hotkeyAlpha: ha,
      stakes,
      pending: {
        server: S.PendingServerEmission.get(st, netuid),
        validator: S.PendingValidatorEmission.get(st, netuid),
        root: S.PendingRootAlphaDivs.get(st, netuid),
        owner: S.PendingOwnerCut.get(st, netuid),
      },
      protocol: S.SubnetProtocolAlpha.get(st, netuid),
      owed: owed.get(netuid) ?? 0n,
      emitting:
        netuid !== ROOT &&
        S.FirstEmissionBlockNumber.tryGet(st, netuid) !== undefined &&
        S.SubtokenEnabled.get(st, netuid) &&
        S.NetworkRegistrationAllowed.get(st, netuid),
      emissionEnabled: S.SubnetEmissionEnabled.get(st, netuid),
      lastEpoch: S.LastEpochBlock.get(st, netuid),
      epochIndex: S.SubnetEpochIndex.get(st, netuid),
      alphaOutEmission: S.SubnetAlphaOutEmission.get(st, netuid),
      taoInEmission: S.SubnetTaoInEmission.get(st, netuid),
      excessTao: S.SubnetExcessTao.get(st, netuid),
      rootProp: S.RootProp.get(st, netuid),
      movingPrice: S.SubnetMovingPrice.get(st, netuid),
      recycledForRegistration: S.RAORecycledForRegistration.get(st, netuid),
      ownerCutEnabled: S.OwnerCutEnabled.get(st, netuid),
      feeRate: Swap.FeeRate.get(st, netuid),
      ownerColdkey: toHex(S.SubnetOwner.get(st, netuid)),
      ownerHotkey: toHex(S.SubnetOwnerHotkey.get(st, netuid)),
      keys,
      owners,
      takes,
      alphaDividends: dividends(S.AlphaDividendsPerSubnet),
      rootDividends: dividends(S.RootAlphaDividendsPerSubnet),
    });
  }
  return {
    balancesTi: Balances.TotalIssuance.get(st),
    subtensorTi: S.TotalIssuance.get(st),
    accounts,
    totalStake: S.TotalStake.get(st),
    subnetOwnerCut: S.SubnetOwnerCut.get(st),
    subnets,
  };
}

/** The §6.5 split of one block's alpha emission, floored to u64 as it is accumulated. */
export interface Split {
  owner: bigint;
  server: bigint;
  validator: bigint;
  root: bigint;
  /** ⌊rest − server⌋: the validator + root part before it is divided. */
  validatorAndRoot: bigint;
}

/**
 * Spec §6.5 (U96F32 as upstream): owner_cut = alpha_out·cut/65535; rest = alpha_out − owner_cut;
 * root = rp·rest·½; server = rest·½; validator = rest − server − root.
 */
export function splitEmission(created: bigint, cut: number, cutOn: boolean, rp: bigint): Split {
  let alphaOut = fxFromInt(U96F32, created);
  let owner = 0n;
  if (cutOn) {
    const fraction = fxDiv(U96F32, fxFromInt(U96F32, cut), fxFromInt(U96F32, 65_535));
    owner = fxMul(U96F32, alphaOut, fraction);
    alphaOut = fxSub(U96F32, alphaOut, owner);
  }
  const root = fxMul(U96F32, fxMul(U96F32, rp, alphaOut), HALF);
  const server = fxMul(U96F32, alphaOut, HALF);
  const validator = fxSub(U96F32, fxSub(U96F32, alphaOut, server), root);
  return {
    owner: fxToU64(U96F32, owner),
    server: fxToU64(U96F32, server),
    validator: fxToU64(U96F32, validator),
    root: fxToU64(U96F32, root),
    validatorAndRoot: fxToU64(U96F32, fxSub(U96F32, alphaOut, server)),
  };
}

/** One subnet's epoch as the ledger saw it. */
export interface EpochRecord {
  block: number;
  netuid: number;
  /** What was drained (the accumulators before the block plus this block's accrual). */
  drained: Pending;
  /** Incentive alpha by uid (`IncentiveAlphaEmittedToMiners`). */
  incentives: bigint[];
  /** Alpha dividends by hotkey hex (`AlphaDividendsPerSubnet`). */
  alphaDividends: Map<string, bigint>;
  /** Root alpha dividends by hotkey hex (`RootAlphaDividendsPerSubnet`). */
  rootDividends: Map<string, bigint>;
  /** Stake change of each hotkey on the subnet in the epoch block. */
  stakeDelta: Map<string, bigint>;
  /** Owner-coldkey incentive burned. */
  burned: bigint;
  /** Dividend pots nobody had a share of (less what Yuma paid miners beyond the server pot). */
  orphaned: bigint;
  /** Rounding left unallocated by this epoch (rao). */
  dust: bigint;
}

/** Block-level totals of the Balances events, by phase where it matters. */
interface Flows {
  issued: bigint;
  initDeposits: bigint;
  otherDeposits: bigint;
  withdrawn: bigint;
  burned: bigint;
  dustLost: bigint;
  minted: bigint;
  other: string[];
}

function balanceFlows(events: readonly EventRecord[]): Flows {
  const f: Flows = {
    issued: 0n,
    initDeposits: 0n,
    otherDeposits: 0n,
    withdrawn: 0n,
    burned: 0n,
    dustLost: 0n,
    minted: 0n,
    other: [],
  };
  for (const r of events) {
    if (r.event.type !== 'Balances') continue;
    const e = r.event.value;
    switch (e.type) {
      case 'Issued':
        f.issued += e.value.amount;
        break;
      case 'Deposit':
        if (r.phase.type === 'Initialization') f.initDeposits += e.value.amount;
        else f.otherDeposits += e.value.amount;
        break;
      case 'Withdraw':
        f.withdrawn += e.value.amount;
        break;
      case 'Burned':
        f.burned += e.value.amount;
        break;
      case 'DustLost':
        f.dustLost += e.value.amount;
        break;
      case 'Minted':
        f.minted += e.value.amount;
        break;
      case 'Transfer':
      case 'Endowed':
        break;
      default:
        f.other.push(e.type);
    }
  }
  return f;
}

type SubtensorPayload = Extract<EventRecord['event'], { type: 'SubtensorModule' }>['value'];
/** `StakeAdded(coldkey, hotkey, tao, alpha, netuid, fee)`. */
type StakeAddedFields = [Uint8Array, Uint8Array, bigint, bigint, number, bigint];

function subtensorEvents(events: readonly EventRecord[]): SubtensorPayload[] {
  return events.flatMap((r) => (r.event.type === 'SubtensorModule' ? [r.event.value] : []));
}

/**
 * Largest rounding an epoch may leave unallocated (rao): the emission split's floors while the
 * accumulators filled (at most one rao per block between the server and the validator + root
 * pots), Yuma's and the dividend rescale's per-uid floors, and the `RootClaimable` rate, an I96F32
 * of alpha per unit of root stake whose 2^-32 resolution loses up to root_stake / 2^32 rao per
 * root-dividend receiver.
 */
export function epochDustBound(tempo: number, neurons: number, rootStakes: bigint[]): bigint {
  let bound = BigInt(tempo + 4 * neurons + 8);
  for (const stake of rootStakes) bound += (stake >> 32n) + 1n;
  return bound;
}

/**
 * Checks every identity between two consecutive views and keeps the running terms (swap fees,
 * unowned alpha and dust per subnet) and what each epoch paid.
 */
export class DevChainLedger {
  /** Σ add_stake swap fees paid to block authors so far. */
  authorFees = 0n;
  /** Σ burned_register swap fees so far (they stay on the subnet accounts). */
  registrationFees = 0n;
  /** Alpha drained by epochs but held by nobody (burned owner incentives, orphaned pots). */
  readonly unowned = new Map<number, bigint>();
  /** Rounding left outside every holder, per subnet. */
  readonly dust = new Map<number, bigint>();
  /** Every epoch of a dynamic subnet, in order. */
  readonly epochs: EpochRecord[] = [];
  /** Recycled (unspent) credit per checked block, by block number. */
  readonly recycledCredit = new Map<number, bigint>();
  /** Emitting blocks whose `rootSell` flag held (root alpha went to PendingRootAlphaDivs). */
  rootSellBlocks = 0;
  /** Non-epoch emitting (block, subnet) pairs whose split was checked to the rao. */
  exactSplits = 0;

  /** `tempoOf(netuid)`: the subnet's tempo, for the epoch rounding bound. */
  constructor(private readonly tempoOf: (netuid: number) => number) {}

  /** Asserts the identities that hold in any single view. */
  checkView(v: ChainView, block: number): void {
    const at = `block ${block}`;
    assert.equal(v.accounts, v.balancesTi, `${at}: Σ accounts = Balances.TotalIssuance`);
    assert.equal(v.subtensorTi, v.balancesTi, `${at}: SubtensorModule.TotalIssuance = Balances'`);
    let accounts = 0n;
    let pools = 0n;
    for (const s of v.subnets.values()) {
      accounts += s.account;
      pools += s.tao;
      assert.ok(s.account >= s.tao, `${at}: subnet ${s.netuid} account covers its SubnetTAO`);
    }
    assert.equal(
      v.totalStake,
      pools + this.authorFees + this.registrationFees,
      `${at}: TotalStake = Σ SubnetTAO + swap fees of every buy`,
    );
    assert.equal(
      v.totalStake,
      accounts + this.authorFees,
      `${at}: TotalStake = Σ subnet accounts + add_stake fees paid to the author`,
    );
    const root = v.subnets.get(ROOT);
    assert.ok(root !== undefined, 'root subnet');
    assert.equal(root.alphaOut, root.stakes, `${at}: root SubnetAlphaOut = Σ root stakes`);
    assert.equal(root.tao, root.alphaOut, `${at}: root SubnetTAO = root SubnetAlphaOut`);
    for (const s of v.subnets.values()) {
      if (s.netuid === ROOT) continue;
      const held =
        s.stakes +
        sumPending(s.pending) +
        s.protocol +
        s.owed +
        (this.unowned.get(s.netuid) ?? 0n) +
        (this.dust.get(s.netuid) ?? 0n);
      assert.equal(
        s.alphaOut,
        held,
        `${at}: subnet ${s.netuid} SubnetAlphaOut = stakes + pending + protocol + owed + unowned + dust`,
      );
    }
  }

  /** Checks the block between `pre` and `post` given its events; updates the running terms. */
  checkBlock(pre: ChainView, post: ChainView, events: readonly EventRecord[], block: number): void {
    const at = `block ${block}`;
    const sub = subtensorEvents(events);

    // --- TAO: mint, spend, recycle, and every other issuance change, from the events.
    const f = balanceFlows(events);
    assert.deepEqual(f.other, [], `${at}: no unexpected Balances events`);
    const emission = blockEmissionForIssuance(pre.subtensorTi);
    assert.equal(f.issued, emission, `${at}: Issued = block emission for the issuance`);
    let spentRecorded = 0n;
    let receiving = 0;
    for (const s of pre.subnets.values()) {
      if (!s.emitting) continue;
      const p = post.subnets.get(s.netuid);
      assert.ok(p !== undefined, `${at}: subnet ${s.netuid} still there`);
      spentRecorded += p.taoInEmission + p.excessTao;
      // Price-EMA shares (§6.4): a subnet whose EMA is still 0 gets no TAO.
      if (s.emissionEnabled && s.movingPrice > 0n) receiving += 1;
    }
    assert.equal(f.initDeposits, spentRecorded, `${at}: credit spent = Σ TaoIn + excess TAO`);
    // Each receiving subnet's part of the emission is its share of the EMA prices (§6.4).
    let emaSum = 0n;
    for (const s of pre.subnets.values())
      if (s.emitting && s.emissionEnabled) emaSum += s.movingPrice;
    for (const s of pre.subnets.values()) {
      const p = post.subnets.get(s.netuid);
      if (!s.emitting || p === undefined) continue;
      const share = s.emissionEnabled && emaSum > 0n ? (emission * s.movingPrice) / emaSum : 0n;
      const got = p.taoInEmission + p.excessTao;
      assert.ok(
        got <= share && got + 2n >= share,
        `${at}: subnet ${s.netuid} TAO ${got} ≈ ${share}`,
      );
    }
    const recycled = f.issued - f.initDeposits;
    this.recycledCredit.set(block, recycled);
    if (receiving === 0) assert.equal(recycled, f.issued, `${at}: nothing emits: all recycled`);
    else
      assert.ok(
        recycled >= 0n && recycled <= BigInt(2 * receiving),
        `${at}: recycled credit ${recycled} is only the floors of tao_in and excess`,
      );
    assert.equal(
      post.balancesTi - pre.balancesTi,
      f.issued - recycled + f.otherDeposits - f.withdrawn - f.burned - f.dustLost + f.minted,
      `${at}: ΔTotalIssuance = minted − recycled credit + deposits − withdrawals − burned − dust`,
    );

    // --- Buys: add_stake fees leave the pool for the author but stay in TotalStake.
    const stakeAdded = new Map<number, Map<string, bigint>>();
    for (const e of sub) {
      if (e.type !== 'StakeAdded') continue;
      const [, hot, , alpha, netuid, fee] = e.value as StakeAddedFields;
      if (netuid === ROOT) assert.equal(fee, 0n, `${at}: no swap fee on root`);
      this.authorFees += fee;
      const m = stakeAdded.get(netuid) ?? new Map<string, bigint>();
      m.set(toHex(hot), (m.get(toHex(hot)) ?? 0n) + alpha);
      stakeAdded.set(netuid, m);
    }

    // --- Registrations: their swap fee stays on the subnet account, outside SubnetTAO.
    const regCosts = new Map<number, bigint[]>();
    const lastTotal = new Map<number, bigint>();
    for (const e of sub) {
      if (e.type !== 'RAORecycledForRegistrationSet') continue;
      const [netuid, total] = e.value as [number, bigint];
      const before = lastTotal.get(netuid) ?? pre.subnets.get(netuid)?.recycledForRegistration;
      assert.ok(before !== undefined, `${at}: registration on a known subnet`);
      regCosts.set(netuid, [...(regCosts.get(netuid) ?? []), total - before]);
      lastTotal.set(netuid, total);
    }
    for (const p of post.subnets.values()) {
      const s = pre.subnets.get(p.netuid);
      // Swap fee = ⌊amount · FeeRate / 65535⌋ (§6.2).
      const fees = (regCosts.get(p.netuid) ?? []).reduce(
        (acc, cost) => acc + (cost * BigInt(p.feeRate)) / 65_535n,
        0n,
      );
      this.registrationFees += fees;
      const before = s ? s.account - s.tao : 0n;
      assert.equal(
        p.account - p.tao - before,
        fees,
        `${at}: subnet ${p.netuid} account − SubnetTAO`,
      );
    }

    // --- Alpha, per dynamic subnet.
    let priceSum = 0n;
    for (const s of pre.subnets.values()) if (s.emitting) priceSum += s.movingPrice;
    const rootSell = priceSum > ONE_I96;
    if (rootSell) this.rootSellBlocks += 1;
    for (const p of post.subnets.values()) {
      const s = pre.subnets.get(p.netuid);
      // A subnet registered in this block is checked from zero by checkView.
      if (p.netuid === ROOT || s === undefined) continue;
      this.checkSubnetAlpha(s, p, pre, post, sub, stakeAdded.get(p.netuid), rootSell, block);
    }
    this.checkView(post, block);
  }

  private checkSubnetAlpha(
    s: SubnetView,
    p: SubnetView,
    pre: ChainView,
    post: ChainView,
    sub: readonly SubtensorPayload[],
    added: Map<string, bigint> | undefined,
    rootSell: boolean,
    block: number,
  ): void {
    const at = `block ${block} subnet ${p.netuid}`;
    const netuid = p.netuid;
    const epoch = p.epochIndex !== s.epochIndex;
    if (epoch) {
      assert.equal(p.epochIndex, s.epochIndex + 1n, `${at}: one epoch per block`);
      assert.equal(p.lastEpoch, BigInt(block), `${at}: LastEpochBlock = now`);
    }
    const unownedBefore = this.unowned.get(netuid) ?? 0n;
    const unheld = (v: SubnetView, unowned: bigint) =>
      v.alphaOut - v.stakes - sumPending(v.pending) - v.protocol - v.owed - unowned;
    const before = unheld(s, unownedBefore);

    let split: Split | undefined;
    if (s.emitting) {
      // Far below the alpha halving: one alpha per block (§1).
      assert.equal(p.alphaOutEmission, 1_000_000_000n, `${at}: alpha block emission is 1 alpha`);
      split = splitEmission(p.alphaOutEmission, pre.subnetOwnerCut, s.ownerCutEnabled, p.rootProp);
    } else {
      assert.equal(p.alphaOutEmission, 0n, `${at}: no alpha emission before start_call`);
      assert.equal(p.taoInEmission, 0n, `${at}: no TAO injection before start_call`);
    }
    const delta = (k: keyof Pending) => p.pending[k] - s.pending[k];

    const stakeDelta = new Map<string, bigint>();
    for (const [hot, v] of p.hotkeyAlpha) {
      const d = v - (s.hotkeyAlpha.get(hot) ?? 0n);
      if (d !== 0n) stakeDelta.set(hot, d);
    }
    for (const [hot, v] of s.hotkeyAlpha) if (!p.hotkeyAlpha.has(hot)) stakeDelta.set(hot, -v);

    if (!epoch) {
      // Outside an epoch, stake moves only through add_stake.
      for (const [hot, d] of stakeDelta)
        assert.equal(d, added?.get(hot) ?? 0n, `${at}: stake of ${hot} moves only by add_stake`);
      for (const [hot, a] of added ?? [])
        assert.equal(stakeDelta.get(hot) ?? 0n, a, `${at}: add_stake credits ${hot}`);
      let dust = 0n;
      if (split) {
        assert.equal(delta('owner'), split.owner, `${at}: PendingOwnerCut += owner cut`);
        assert.equal(delta('server'), split.server, `${at}: PendingServerEmission += ½ rest`);
        if (rootSell) {
          assert.equal(delta('validator'), split.validator, `${at}: PendingValidatorEmission`);
          assert.equal(delta('root'), split.root, `${at}: PendingRootAlphaDivs += root alpha`);
          dust = p.alphaOutEmission - split.owner - split.server - split.validator - split.root;
          this.exactSplits += 1;
        } else {
          // No root sell: the root alpha is recycled (SubnetAlphaOut drops) and RootProp is read
          // after that drop, so only ⌊V⌋ + ⌊R⌋ ∈ {⌊V + R⌋ − 1, ⌊V + R⌋} is pinned.
          assert.equal(delta('root'), 0n, `${at}: no root sell: nothing pending for root`);
          const floor = p.alphaOutEmission - split.owner - split.server - split.validatorAndRoot;
          dust = unheld(p, unownedBefore) - before;
          assert.ok(dust === floor || dust === floor + 1n, `${at}: split dust ${dust} (${floor})`);
        }
      } else {
        for (const k of ['owner', 'server', 'validator', 'root'] as const)
          assert.equal(delta(k), 0n, `${at}: nothing accumulates before start_call`);
      }
      assert.equal(unheld(p, unownedBefore) - before, dust, `${at}: unallocated alpha`);
      this.dust.set(netuid, (this.dust.get(netuid) ?? 0n) + dust);
      return;
    }

    // --- Epoch block: this block's accrual joined the accumulators, which were drained and paid.
    assert.ok(split === undefined || rootSell, `${at}: scenario epochs fall on root-sell blocks`);
    for (const k of ['owner', 'server', 'validator', 'root'] as const)
      assert.equal(p.pending[k], 0n, `${at}: the epoch drains pending ${k}`);
    const drained: Pending = {
      owner: s.pending.owner + (split?.owner ?? 0n),
      server: s.pending.server + (split?.server ?? 0n),
      validator: s.pending.validator + (split?.validator ?? 0n),
      root: s.pending.root + (split?.root ?? 0n),
    };
    const event = sub.find(
      (e) => e.type === 'IncentiveAlphaEmittedToMiners' && e.value.netuid === netuid,
    );
    assert.ok(
      event !== undefined && event.type === 'IncentiveAlphaEmittedToMiners',
      `${at}: the epoch reports its incentives`,
    );
    const incentives = event.value.emissions;
    assert.equal(incentives.length, p.keys.length, `${at}: one incentive per uid`);
    for (const hot of stakeDelta.keys())
      assert.ok(p.keys.includes(hot), `${at}: only registered hotkeys gain at the epoch`);
    let burned = 0n;
    p.keys.forEach((hot, uid) => {
      const incentive = incentives[uid] ?? 0n;
      // A hotkey of the owner's coldkey earns nothing: its incentive is burned (§6.6).
      const ownerColdkeyHotkey = p.owners[uid] === p.ownerColdkey;
      if (ownerColdkeyHotkey) burned += incentive;
      const dividends = p.alphaDividends.get(hot) ?? 0n;
      if (dividends !== 0n || (p.rootDividends.get(hot) ?? 0n) !== 0n)
        assert.equal(p.takes[uid], 0, `${at}: dividend receivers here keep no delegate take`);
      // With no take, a hotkey's pool gains its incentive, its alpha dividends (root dividends
      // become RootClaimable instead) and, for the owner hotkey, the owner cut.
      const expected =
        (ownerColdkeyHotkey ? 0n : incentive) +
        (hot === p.ownerHotkey ? drained.owner : 0n) +
        dividends +
        (added?.get(hot) ?? 0n);
      assert.equal(stakeDelta.get(hot) ?? 0n, expected, `${at}: stake of uid ${uid} at the epoch`);
    });
    // A dividend pot nobody has a share of is paid to nobody; only Yuma's fallback (no dividends
    // at all) pays the miners beyond the server pot.
    const incentiveSum = incentives.reduce((a, b) => a + b, 0n);
    const validatorPot = drained.validator + (incentiveSum === 0n ? drained.server : 0n);
    const total = (m: Map<string, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);
    let orphaned = 0n;
    if (total(p.alphaDividends) === 0n) orphaned += validatorPot;
    if (total(p.rootDividends) === 0n) orphaned += drained.root;
    const overpaid = incentiveSum > drained.server ? incentiveSum - drained.server : 0n;
    orphaned = orphaned > overpaid ? orphaned - overpaid : 0n;
    const unowned = unownedBefore + burned + orphaned;
    this.unowned.set(netuid, unowned);
    const dust = unheld(p, unowned) - before;
    const rootStakes = [...p.rootDividends]
      .filter(([, v]) => v !== 0n)
      .map(([hot]) => post.subnets.get(ROOT)?.hotkeyAlpha.get(hot) ?? 0n);
    const bound = epochDustBound(this.tempoOf(netuid), p.keys.length, rootStakes);
    assert.ok(dust >= 0n && dust <= bound, `${at}: epoch rounding ${dust} within [0, ${bound}]`);
    this.dust.set(netuid, (this.dust.get(netuid) ?? 0n) + dust);
    this.epochs.push({
      block,
      netuid,
      drained,
      incentives: [...incentives],
      alphaDividends: p.alphaDividends,
      rootDividends: p.rootDividends,
      stakeDelta,
      burned,
      orphaned,
      dust,
    });
  }
}
