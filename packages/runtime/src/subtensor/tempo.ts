/**
 * SubtensorModule owner tempo control: `set_tempo` (139), `set_activity_cutoff_factor` (140) and
 * `trigger_epoch` (141), as subtensor 14bc6f9f does them (pallets/subtensor/src/coinbase/
 * tempo_control.rs, utils/misc.rs `apply_tempo_with_cycle_reset`).
 */
import { SubtensorStorage as S } from '@taoscript/chain-types';
import { BAD_ORIGIN, type DispatchContext, fail, OK, type Origin } from '../dispatch.js';
import { handlers } from './dispatch.js';
import { assertNetuid } from './pool.js';
import {
  blockOf,
  blocksUntilNextAutoEpoch,
  ensureAdminWindowOpen,
  ensureSubnetOwnerOrRoot,
  MAX_TEMPO,
  MIN_TEMPO,
  passesRateLimitOnSubnet,
  setLastBlockOnSubnet,
  subtensorError,
  type TransactionType,
} from './rate-limits.js';
import { emit } from './staking.js';

/** `MIN_ACTIVITY_CUTOFF_FACTOR_MILLI`. */
export const MIN_ACTIVITY_CUTOFF_FACTOR_MILLI = 1_000;
/** `MAX_ACTIVITY_CUTOFF_FACTOR_MILLI`. */
export const MAX_ACTIVITY_CUTOFF_FACTOR_MILLI = 50_000;

const TEMPO_UPDATE: TransactionType = 'TempoUpdate';
const CUTOFF_FACTOR: TransactionType = { hyperparameter: 'ActivityCutoffFactorMilli' };
const TRIGGER_EPOCH: TransactionType = { hyperparameter: 'TriggerEpoch' };

/** `ensure_subnet_owner`: a signer equal to `SubnetOwner[netuid]` (root is refused). */
function ensureSubnetOwner(ctx: DispatchContext, origin: Origin, netuid: number) {
  if (origin.type !== 'Signed') return undefined;
  const r = ensureSubnetOwnerOrRoot(ctx.state, origin, netuid);
  return r.ok ? r.owner : undefined;
}

const h = handlers.SubtensorModule;

h.set_tempo = (ctx, origin, call) => {
  const { netuid, tempo } = call.value;
  assertNetuid(netuid);
  assertNetuid(tempo, 'tempo');
  const who = ensureSubnetOwner(ctx, origin, netuid);
  if (who === undefined) return fail(BAD_ORIGIN);
  if (tempo < MIN_TEMPO || tempo > MAX_TEMPO) return fail(subtensorError('TempoOutOfBounds'));
  const now = blockOf(ctx);
  const frozen = ensureAdminWindowOpen(ctx.state, netuid, now);
  if (frozen) return fail(frozen);
  if (!passesRateLimitOnSubnet(ctx.state, TEMPO_UPDATE, who, netuid, now))
    return fail(subtensorError('TxRateLimitExceeded'));
  // `apply_tempo_with_cycle_reset`: the next automatic epoch counts from this block.
  S.Tempo.set(ctx.state, netuid, tempo);
  emit(ctx, { type: 'TempoSet', value: [netuid, tempo] });
  S.LastEpochBlock.set(ctx.state, netuid, now);
  setLastBlockOnSubnet(ctx.state, TEMPO_UPDATE, who, netuid, now);
  return OK;
};

h.set_activity_cutoff_factor = (ctx, origin, call) => {
  const { netuid, factor_milli } = call.value;
  assertNetuid(netuid);
  if (!Number.isInteger(factor_milli) || factor_milli < 0 || factor_milli > 0xffff_ffff)
    throw new RangeError('factor_milli: expected a u32');
  const r = ensureSubnetOwnerOrRoot(ctx.state, origin, netuid);
  if (!r.ok) return fail(r.error);
  if (
    factor_milli < MIN_ACTIVITY_CUTOFF_FACTOR_MILLI ||
    factor_milli > MAX_ACTIVITY_CUTOFF_FACTOR_MILLI
  )
    return fail(subtensorError('ActivityCutoffFactorMilliOutOfBounds'));
  const now = blockOf(ctx);
  if (r.owner !== undefined) {
    const frozen = ensureAdminWindowOpen(ctx.state, netuid, now);
    if (frozen) return fail(frozen);
    if (!passesRateLimitOnSubnet(ctx.state, CUTOFF_FACTOR, r.owner, netuid, now))
      return fail(subtensorError('TxRateLimitExceeded'));
  }
  S.ActivityCutoffFactorMilli.set(ctx.state, netuid, factor_milli);
  emit(ctx, { type: 'ActivityCutoffFactorMilliSet', value: { netuid, factor_milli } });
  if (r.owner !== undefined) setLastBlockOnSubnet(ctx.state, CUTOFF_FACTOR, r.owner, netuid, now);
  return OK;
};

h.trigger_epoch = (ctx, origin, call) => {
  const { netuid } = call.value;
  assertNetuid(netuid);
  const who = ensureSubnetOwner(ctx, origin, netuid);
  if (who === undefined) return fail(BAD_ORIGIN);
  const st = ctx.state;
  if (S.CommitRevealWeightsEnabled.get(st, netuid))
    return fail(subtensorError('DynamicTempoBlockedByCommitReveal'));
  if (S.PendingEpochAt.get(st, netuid) !== 0n)
    return fail(subtensorError('EpochTriggerAlreadyPending'));
  const now = blockOf(ctx);
  const window = BigInt(S.AdminFreezeWindow.get(st));
  const remaining = blocksUntilNextAutoEpoch(st, netuid, S.Tempo.get(st, netuid), now);
  if (remaining < window) return fail(subtensorError('AutoEpochAlreadyImminent'));
  if (!passesRateLimitOnSubnet(st, TRIGGER_EPOCH, who, netuid, now))
    return fail(subtensorError('TxRateLimitExceeded'));
  const firesAt = now + window;
  S.PendingEpochAt.set(st, netuid, firesAt);
  setLastBlockOnSubnet(st, TRIGGER_EPOCH, who, netuid, now);
  emit(ctx, { type: 'EpochTriggered', value: { netuid, by: who, fires_at: firesAt } });
  return OK;
};
