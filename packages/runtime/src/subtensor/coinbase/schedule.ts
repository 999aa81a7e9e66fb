/**
 * Epoch scheduling and the drain of the pending emission, as subtensor 14bc6f9f does it
 * (coinbase/run_coinbase.rs `should_run_epoch`, `epochs_deferred_this_block`, `drain_pending`,
 * `distribute_emissions_to_subnets`, `blocks_until_next_auto_epoch`,
 * `get_next_epoch_start_block`; epoch/run_epoch.rs `is_epoch_input_state_consistent`).
 */
import { SubtensorStorage as S, type StateGet, type StateRW } from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import type { DispatchContext } from '../../dispatch.js';
import type { Overlay } from '../../state.js';
import { assertNetuid } from '../pool.js';
import { shouldRunEpoch as shouldRunEpochAt } from '../rate-limits.js';
import { emit } from '../staking.js';
import { distributeEmission } from './distribute.js';
import { changeSubnetOwnerIfNeeded } from './owner-change.js';
import type { PendingEmission } from './types.js';

const U64_MAX = (1n << 64n) - 1n;
const satU64 = (v: bigint): bigint => (v > U64_MAX ? U64_MAX : v);

function assertBlock(v: unknown): asserts v is bigint {
  if (typeof v !== 'bigint') throw new TypeError(`block: expected a bigint, got ${typeof v}`);
  if (v < 0n || v > U64_MAX) throw new RangeError(`block: ${v} is outside u64`);
}

/**
 * `should_run_epoch`: the tempo is non-zero and an owner-triggered `PendingEpochAt` has come,
 * `BlocksSinceLastStep` exceeds `MAX_TEMPO` (50_400), or `tempo` blocks passed since
 * `LastEpochBlock`.
 * @example
 * import { shouldRunEpoch } from './coinbase/schedule.js';
 * // shouldRunEpoch(ctx.state, 1, 360n)
 */
export function shouldRunEpoch(state: StateRW, netuid: number, block: bigint): boolean {
  assertNetuid(netuid);
  assertBlock(block);
  return shouldRunEpochAt(state, netuid, block);
}

/**
 * `blocks_until_next_auto_epoch` for the subnet's stored tempo: `LastEpochBlock + Tempo − block`
 * (saturating at 0), u64::MAX when the tempo is 0. Ignores `PendingEpochAt`, the safety net and
 * the per-block cap, as upstream does.
 * @example
 * import { blocksUntilNextEpoch } from './coinbase/schedule.js';
 * // blocksUntilNextEpoch(ctx.state, 1, 100n)
 */
export function blocksUntilNextEpoch(state: StateGet, netuid: number, block: bigint): bigint {
  assertNetuid(netuid);
  assertBlock(block);
  const tempo = S.Tempo.get(state, netuid);
  if (tempo === 0) return U64_MAX;
  const next = satU64(S.LastEpochBlock.get(state, netuid) + BigInt(tempo));
  return next > block ? next - block : 0n;
}

/**
 * `get_next_epoch_start_block`: `LastEpochBlock + Tempo`, or `PendingEpochAt` when set and
 * earlier; undefined when the tempo is 0.
 * @example
 * import { getNextEpochStartBlock } from './coinbase/schedule.js';
 * // getNextEpochStartBlock(ctx.state, 1)
 */
export function getNextEpochStartBlock(state: StateGet, netuid: number): bigint | undefined {
  assertNetuid(netuid);
  const tempo = S.Tempo.get(state, netuid);
  if (tempo === 0) return undefined;
  const auto = satU64(S.LastEpochBlock.get(state, netuid) + BigInt(tempo));
  const pending = S.PendingEpochAt.get(state, netuid);
  return pending > 0n && pending < auto ? pending : auto;
}

/**
 * `is_epoch_input_state_consistent`: no hotkey appears under two uids in `Keys[netuid]`.
 * @example
 * import { isEpochInputStateConsistent } from './coinbase/schedule.js';
 * // isEpochInputStateConsistent(ctx.state, 1) === true
 */
export function isEpochInputStateConsistent(state: Overlay, netuid: number): boolean {
  assertNetuid(netuid);
  const seen = new Set<string>();
  for (const k of state.keys(S.Keys.partialKey(netuid))) {
    const hotkey = toHex(state.get(k) as Uint8Array);
    if (seen.has(hotkey)) return false;
    seen.add(hotkey);
  }
  return true;
}

/**
 * `epochs_deferred_this_block`: of `subnets` (in order), those due at `block` beyond the
 * `MaxEpochsPerBlock` cap (a due subnet with inconsistent inputs does not use up the cap).
 * @example
 * import { epochsDeferredThisBlock } from './coinbase/schedule.js';
 * // epochsDeferredThisBlock(ctx.state, [1, 2, 3], 360n) // e.g. Set { 3 }
 */
export function epochsDeferredThisBlock(
  state: Overlay,
  subnets: readonly number[],
  block: bigint,
): Set<number> {
  const cap = S.MaxEpochsPerBlock.get(state);
  const deferred = new Set<number>();
  let run = 0;
  for (const netuid of subnets) {
    if (!shouldRunEpochAt(state, netuid, block)) continue;
    if (run >= cap) deferred.add(netuid);
    else if (isEpochInputStateConsistent(state, netuid)) run += 1;
  }
  return deferred;
}

/**
 * `drain_pending`: for every non-root subnet in `subnets` order, `BlocksSinceLastStep += 1`; a due
 * subnet beyond `MaxEpochsPerBlock` is deferred to the next block (`PendingEpochAt`,
 * `EpochDeferred`); a due subnet with consistent inputs has its four accumulators taken (and set
 * to 0), `BlocksSinceLastStep = 0` and the owner-by-conviction check; one with inconsistent inputs
 * is `EpochSkipped`. Either way the slot is consumed: `LastEpochBlock = now`, `PendingEpochAt = 0`,
 * `SubnetEpochIndex += 1`. Returns the drained emissions by netuid.
 * @example
 * import { drainPending } from './coinbase/schedule.js';
 * // const drained = drainPending(ctx, [1, 2]); // Map { 1 => { server, validator, … } }
 */
export function drainPending(
  ctx: DispatchContext,
  subnets: readonly number[],
): Map<number, PendingEmission> {
  const st = ctx.state;
  const now = BigInt(ctx.blockNumber);
  const cap = S.MaxEpochsPerBlock.get(st);
  const drained = new Map<number, PendingEmission>();
  let run = 0;
  for (const netuid of subnets) {
    S.BlocksSinceLastStep.set(st, netuid, satU64(S.BlocksSinceLastStep.get(st, netuid) + 1n));
    if (!shouldRunEpochAt(st, netuid, now)) continue;
    if (run >= cap) {
      const next = satU64(now + 1n);
      S.PendingEpochAt.set(st, netuid, next);
      emit(ctx, { type: 'EpochDeferred', value: { netuid, from_block: now, to_block: next } });
      continue;
    }
    if (isEpochInputStateConsistent(st, netuid)) {
      S.BlocksSinceLastStep.set(st, netuid, 0n);
      const pending: PendingEmission = {
        server: S.PendingServerEmission.get(st, netuid),
        validator: S.PendingValidatorEmission.get(st, netuid),
        rootAlpha: S.PendingRootAlphaDivs.get(st, netuid),
        ownerCut: S.PendingOwnerCut.get(st, netuid),
      };
      S.PendingServerEmission.set(st, netuid, 0n);
      S.PendingValidatorEmission.set(st, netuid, 0n);
      S.PendingRootAlphaDivs.set(st, netuid, 0n);
      S.PendingOwnerCut.set(st, netuid, 0n);
      drained.set(netuid, pending);
      run += 1;
      changeSubnetOwnerIfNeeded(ctx, netuid);
    } else {
      emit(ctx, { type: 'EpochSkipped', value: { netuid, block: now } });
    }
    S.LastEpochBlock.set(st, netuid, now);
    S.PendingEpochAt.set(st, netuid, 0n);
    S.SubnetEpochIndex.set(st, netuid, satU64(S.SubnetEpochIndex.get(st, netuid) + 1n));
  }
  return drained;
}

/**
 * `distribute_emissions_to_subnets`: in netuid order, `distribute_emission` on each drained
 * subnet, then `LastMechansimStepBlock = now`.
 * @example
 * import { distributeEmissionsToSubnets, drainPending } from './coinbase/schedule.js';
 * // distributeEmissionsToSubnets(ctx, drainPending(ctx, [1, 2]))
 */
export function distributeEmissionsToSubnets(
  ctx: DispatchContext,
  drained: ReadonlyMap<number, PendingEmission>,
): void {
  const now = BigInt(ctx.blockNumber);
  for (const netuid of [...drained.keys()].sort((a, b) => a - b)) {
    distributeEmission(ctx, netuid, drained.get(netuid) as PendingEmission);
    S.LastMechansimStepBlock.set(ctx.state, netuid, now);
  }
}
