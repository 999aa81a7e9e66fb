/**
 * SubtensorModule's rate-limit bookkeeping (`TransactionType`, `LastRateLimitedBlock`,
 * `TransactionKeyLastBlock`), the admin freeze window and epoch timing, plus the origin and
 * atomicity helpers the setters share (subtensor: utils/rate_limiting.rs, utils/misc.rs,
 * coinbase/run_coinbase.rs `should_run_epoch`).
 */
import {
  type DispatchError,
  type HYPERPARAMETERS,
  type Hyperparameter,
  type RateLimitKey,
  type RuntimeEvent,
  SubtensorStorage as S,
  type StateGet,
  type StateRW,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  moduleError,
  type Origin,
} from '../dispatch.js';

/** SubtensorModule's pallet index. */
export const SUBTENSOR_PALLET = 7;

/** `DispatchError::Module` for a SubtensorModule error name. */
export const subtensorError = (name: string): DispatchError => moduleError(SUBTENSOR_PALLET, name);

/** `MIN_TEMPO`: the owner's tempo floor, also the `TempoUpdate` rate limit. */
export const MIN_TEMPO = 360;
/** `MAX_TEMPO`: `BlocksSinceLastStep` beyond this forces an epoch. */
export const MAX_TEMPO = 50_400;
/** `TransactionType::SetChildren`'s fixed limit (blocks). */
export const SET_CHILDREN_RATE_LIMIT = 150n;
/** `DefaultSetSNOwnerHotkeyRateLimit` (blocks). */
export const SET_SN_OWNER_HOTKEY_RATE_LIMIT = 50_400n;
/** `MechanismCountSetRateLimit` (blocks). */
export const MECHANISM_COUNT_SET_RATE_LIMIT = 7_200n;
/** `MechanismEmissionRateLimit` (blocks). */
export const MECHANISM_EMISSION_RATE_LIMIT = 7_200n;
/** `MaxUidsTrimmingRateLimit` (blocks). */
export const MAX_UIDS_TRIMMING_RATE_LIMIT = 216_000n;

/** One of `pallet_subtensor::utils::rate_limiting::Hyperparameter`'s variant names. */
export type HyperparameterName = (typeof HYPERPARAMETERS)[number];

/**
 * `TransactionType`: a plain name, or `{ hyperparameter }` for `OwnerHyperparamUpdate(h)`.
 * The u16 code each maps to keys `TransactionKeyLastBlock`.
 */
export type TransactionType =
  | 'SetChildren'
  | 'SetChildkeyTake'
  | 'Unknown'
  | 'RegisterNetwork'
  | 'SetWeightsVersionKey'
  | 'SetSNOwnerHotkey'
  | 'MechanismCountUpdate'
  | 'MechanismEmission'
  | 'MaxUidsTrimming'
  | 'AddStakeBurn'
  | 'TempoUpdate'
  | { hyperparameter: HyperparameterName };

const TX_CODES = {
  SetChildren: 0,
  SetChildkeyTake: 1,
  Unknown: 2,
  RegisterNetwork: 3,
  SetWeightsVersionKey: 4,
  SetSNOwnerHotkey: 5,
  MechanismCountUpdate: 7,
  MechanismEmission: 8,
  MaxUidsTrimming: 9,
  AddStakeBurn: 10,
  TempoUpdate: 11,
} as const;

/** The u16 `tx_type` of `TransactionKeyLastBlock` (`OwnerHyperparamUpdate` is 6). */
export function transactionTypeCode(tx: TransactionType): number {
  if (typeof tx === 'object') return 6;
  return TX_CODES[tx];
}

/** The block a `LastRateLimitedBlock` key was last used (0 when never). */
export function getRateLimitedLastBlock(state: StateRW, key: RateLimitKey): bigint {
  return S.LastRateLimitedBlock.get(state, key);
}

/** Records the block of a `LastRateLimitedBlock` key. */
export function setRateLimitedLastBlock(state: StateRW, key: RateLimitKey, block: bigint): void {
  S.LastRateLimitedBlock.set(state, key, block);
}

/** Forgets a `LastRateLimitedBlock` key. */
export function removeRateLimitedLastBlock(state: StateRW, key: RateLimitKey): void {
  S.LastRateLimitedBlock.remove(state, key);
}

/** `TransactionType::rate_limit`: the chain-wide limit in blocks (0 = none). */
export function rateLimit(state: StateRW, tx: TransactionType): bigint {
  switch (tx) {
    case 'SetChildren':
      return SET_CHILDREN_RATE_LIMIT;
    case 'SetChildkeyTake':
      return S.TxChildkeyTakeRateLimit.get(state);
    case 'RegisterNetwork':
      return S.NetworkRateLimit.get(state);
    case 'MechanismCountUpdate':
      return MECHANISM_COUNT_SET_RATE_LIMIT;
    case 'MechanismEmission':
      return MECHANISM_EMISSION_RATE_LIMIT;
    case 'MaxUidsTrimming':
      return MAX_UIDS_TRIMMING_RATE_LIMIT;
    default:
      return 0n;
  }
}

/** `TransactionType::rate_limit_on_subnet`: the limit in blocks on one subnet. */
export function rateLimitOnSubnet(state: StateRW, tx: TransactionType, netuid: number): bigint {
  const tempo = BigInt(S.Tempo.get(state, netuid));
  if (typeof tx === 'object') return tempo * BigInt(S.OwnerHyperparamRateLimit.get(state));
  switch (tx) {
    case 'SetWeightsVersionKey':
      return tempo * S.WeightsVersionKeyRateLimit.get(state);
    case 'SetSNOwnerHotkey':
      return SET_SN_OWNER_HOTKEY_RATE_LIMIT;
    case 'AddStakeBurn':
      return tempo;
    case 'TempoUpdate':
      return BigInt(MIN_TEMPO);
    default:
      return rateLimit(state, tx);
  }
}

/** The `LastRateLimitedBlock` key a transaction type keeps its last block under, if any. */
function rateLimitKeyFor(tx: TransactionType, netuid: number): RateLimitKey | undefined {
  if (typeof tx === 'object')
    return {
      type: 'OwnerHyperparamUpdate',
      value: [netuid, { type: tx.hyperparameter } as Hyperparameter],
    };
  if (tx === 'RegisterNetwork') return { type: 'NetworkLastRegistered' };
  if (tx === 'SetSNOwnerHotkey') return { type: 'SetSNOwnerHotkey', value: netuid };
  return undefined;
}

/** `last_block_on_subnet`: when `tx` last ran for `hotkey` on `netuid` (0 when never). */
export function lastBlockOnSubnet(
  state: StateRW,
  tx: TransactionType,
  hotkey: Uint8Array,
  netuid: number,
): bigint {
  const key = rateLimitKeyFor(tx, netuid);
  if (key) return getRateLimitedLastBlock(state, key);
  return S.TransactionKeyLastBlock.get(state, hotkey, netuid, transactionTypeCode(tx));
}

/** `last_block`: the chain-wide record (keyed on the root subnet). */
export function lastBlock(state: StateRW, tx: TransactionType, key: Uint8Array): bigint {
  return lastBlockOnSubnet(state, tx, key, 0);
}

/** `set_last_block_on_subnet`. */
export function setLastBlockOnSubnet(
  state: StateRW,
  tx: TransactionType,
  key: Uint8Array,
  netuid: number,
  block: bigint,
): void {
  const rlKey = rateLimitKeyFor(tx, netuid);
  if (rlKey) setRateLimitedLastBlock(state, rlKey, block);
  else S.TransactionKeyLastBlock.set(state, key, netuid, transactionTypeCode(tx), block);
}

/** `check_passes_rate_limit`: a first use (last 0) or `now − last ≥ limit` passes. */
export function checkPassesRateLimit(limit: bigint, block: bigint, last: bigint): boolean {
  return last === 0n || satSub(block, last) >= limit;
}

/** `passes_rate_limit` (chain-wide). */
export function passesRateLimit(
  state: StateRW,
  tx: TransactionType,
  key: Uint8Array,
  now: bigint,
): boolean {
  return checkPassesRateLimit(rateLimit(state, tx), now, lastBlock(state, tx, key));
}

/** `passes_rate_limit_on_subnet`. */
export function passesRateLimitOnSubnet(
  state: StateRW,
  tx: TransactionType,
  hotkey: Uint8Array,
  netuid: number,
  now: bigint,
): boolean {
  return checkPassesRateLimit(
    rateLimitOnSubnet(state, tx, netuid),
    now,
    lastBlockOnSubnet(state, tx, hotkey, netuid),
  );
}

/** `exceeds_tx_rate_limit`: blocked while `now − prev ≤ TxRateLimit` (limit 0 or prev 0 pass). */
export function exceedsTxRateLimit(state: StateRW, prev: bigint, now: bigint): boolean {
  const limit = S.TxRateLimit.get(state);
  return limit !== 0n && prev !== 0n && satSub(now, prev) <= limit;
}

/** `exceeds_tx_delegate_take_rate_limit`: as `exceedsTxRateLimit` with `TxDelegateTakeRateLimit`. */
export function exceedsTxDelegateTakeRateLimit(state: StateRW, prev: bigint, now: bigint): boolean {
  const limit = S.TxDelegateTakeRateLimit.get(state);
  return limit !== 0n && prev !== 0n && satSub(now, prev) <= limit;
}

/** The per-account `LastRateLimitedBlock` records (`RateLimitKey` variants 3–5). */
export type AccountRateLimit =
  | 'LastTxBlock'
  | 'LastTxBlockDelegateTake'
  | 'LastTxBlockChildKeyTake';

/** When `account` last ran a `kind` transaction (0 when never). */
export function getAccountLastBlock(
  state: StateRW,
  kind: AccountRateLimit,
  account: Uint8Array,
): bigint {
  return getRateLimitedLastBlock(state, { type: kind, value: account });
}

/** Records when `account` ran a `kind` transaction. */
export function setAccountLastBlock(
  state: StateRW,
  kind: AccountRateLimit,
  account: Uint8Array,
  block: bigint,
): void {
  setRateLimitedLastBlock(state, { type: kind, value: account }, block);
}

/** `should_run_epoch`: whether the subnet's epoch is due at `block` (stateful scheduler). */
export function shouldRunEpoch(state: StateGet, netuid: number, block: bigint): boolean {
  const tempo = S.Tempo.get(state, netuid);
  if (tempo === 0) return false;
  const pending = S.PendingEpochAt.get(state, netuid);
  if (pending > 0n && block >= pending) return true;
  if (S.BlocksSinceLastStep.get(state, netuid) > BigInt(MAX_TEMPO)) return true;
  return satSub(block, S.LastEpochBlock.get(state, netuid)) >= BigInt(tempo);
}

/** `blocks_until_next_auto_epoch`: `LastEpochBlock + tempo − block` (u64::MAX when tempo is 0). */
export function blocksUntilNextAutoEpoch(
  state: StateRW,
  netuid: number,
  tempo: number,
  block: bigint,
): bigint {
  if (tempo === 0) return U64_MAX;
  return satSub(S.LastEpochBlock.get(state, netuid) + BigInt(tempo), block);
}

/**
 * `is_in_admin_freeze_window`: within `AdminFreezeWindow` blocks of the next automatic epoch, or
 * while an owner-triggered epoch is pending. Never for a subnet with tempo 0.
 */
export function isInAdminFreezeWindow(state: StateRW, netuid: number, block: bigint): boolean {
  const tempo = S.Tempo.get(state, netuid);
  if (tempo === 0) return false;
  const pending = S.PendingEpochAt.get(state, netuid);
  if (pending > 0n && pending > block) return true;
  const remaining = blocksUntilNextAutoEpoch(state, netuid, tempo, block);
  return remaining < BigInt(S.AdminFreezeWindow.get(state));
}

/** `ensure_admin_window_open`: `AdminActionProhibitedDuringWeightsWindow` inside the window. */
export function ensureAdminWindowOpen(
  state: StateRW,
  netuid: number,
  block: bigint,
): DispatchError | undefined {
  return isInAdminFreezeWindow(state, netuid, block)
    ? subtensorError('AdminActionProhibitedDuringWeightsWindow')
    : undefined;
}

/** Root (`owner` undefined) or the subnet owner's coldkey, or the error that refuses the origin. */
export type OwnerOrRoot =
  | { ok: true; owner: Uint8Array | undefined }
  | { ok: false; error: DispatchError };

/** `ensure_subnet_owner_or_root`: root, or a signer equal to `SubnetOwner[netuid]`; else BadOrigin. */
export function ensureSubnetOwnerOrRoot(
  state: StateRW,
  origin: Origin,
  netuid: number,
): OwnerOrRoot {
  if (origin.type === 'Root') return { ok: true, owner: undefined };
  if (origin.type === 'Signed' && bytesEqual(S.SubnetOwner.get(state, netuid), origin.who))
    return { ok: true, owner: origin.who };
  return { ok: false, error: BAD_ORIGIN };
}

/**
 * `ensure_sn_owner_or_root_with_limits`: as `ensureSubnetOwnerOrRoot`, then (owner only) every
 * listed limit must pass on the subnet, else `TxRateLimitExceeded`. Root is never rate limited.
 */
export function ensureSnOwnerOrRootWithLimits(
  state: StateRW,
  origin: Origin,
  netuid: number,
  limits: readonly TransactionType[],
  now: bigint,
): OwnerOrRoot {
  const r = ensureSubnetOwnerOrRoot(state, origin, netuid);
  if (!r.ok || r.owner === undefined) return r;
  for (const tx of limits)
    if (!passesRateLimitOnSubnet(state, tx, r.owner, netuid, now))
      return { ok: false, error: subtensorError('TxRateLimitExceeded') };
  return r;
}

/** `record_owner_rl`: stamps `now` for each limit when the caller was the owner (not root). */
export function recordOwnerRateLimit(
  state: StateRW,
  owner: Uint8Array | undefined,
  netuid: number,
  limits: readonly TransactionType[],
  now: bigint,
): void {
  if (owner === undefined) return;
  for (const tx of limits) setLastBlockOnSubnet(state, tx, owner, netuid, now);
}

/**
 * Runs a call body all-or-nothing: its storage writes and its events are kept only if it
 * succeeds, as FRAME's transactional dispatch drops both on error (events live in storage there).
 */
export function atomic(
  ctx: DispatchContext,
  body: (ctx: DispatchContext) => DispatchOutcome,
): DispatchOutcome {
  const events: RuntimeEvent[] = [];
  const inner: DispatchContext = { ...ctx, deposit: (e) => events.push(e) };
  const out = ctx.state.transactional(() => body(inner));
  if (out.ok) for (const e of events) ctx.deposit(e);
  return out;
}

/** The current block as subtensor's u64. */
export const blockOf = (ctx: DispatchContext): bigint => BigInt(ctx.blockNumber);

const U64_MAX = (1n << 64n) - 1n;
function satSub(a: bigint, b: bigint): bigint {
  return a > b ? a - b : 0n;
}
