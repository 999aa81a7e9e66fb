/**
 * Assorted SubtensorModule calls, as subtensor 14bc6f9f does them (macros/dispatches.rs and the
 * helpers they call: utils/misc.rs, utils/voting_power.rs, staking/account.rs,
 * staking/helpers.rs, staking/recycle_alpha.rs):
 * `sudo_set_tx_childkey_take_rate_limit` (69), `sudo_set_min_childkey_take` (76),
 * `sudo_set_max_childkey_take` (77), `try_associate_hotkey` (91),
 * `set_pending_childkey_cooldown` (109), `set_coldkey_auto_stake_hotkey` (114),
 * `enable_voting_power_tracking` (129), `disable_voting_power_tracking` (130),
 * `sudo_set_voting_power_ema_alpha` (131), `add_stake_burn` (132) and
 * `set_auto_parent_delegation_enabled` (135).
 */
import {
  type RuntimeEvent,
  SubtensorStorage as S,
  type SubtensorCall,
  type SubtensorEvent,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  OK,
  type Origin,
} from '../dispatch.js';
import { handlers } from './dispatch.js';
import { atomically, subtensorError } from './pool.js';
import { ensureSubnetOwnerOrRoot } from './rate-limits.js';
import { coldkeyOwnsHotkey, createAccountIfNonExistent } from './registration.js';

/** `VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS`: 14 days of 12 s blocks. */
export const VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS = 100_800n;
/** `MAX_VOTING_POWER_EMA_ALPHA`: 1.0 with 18 decimals. */
export const MAX_VOTING_POWER_EMA_ALPHA = 1_000_000_000_000_000_000n;

const U64_MAX = (1n << 64n) - 1n;
const ROOT = 0;

type Call<T extends SubtensorCall['type']> = Extract<SubtensorCall, { type: T }>['value'];
type Body<T extends SubtensorCall['type']> = (
  ctx: DispatchContext,
  origin: Origin,
  args: Call<T>,
) => DispatchOutcome;

const emit = (ctx: DispatchContext, value: SubtensorEvent): void =>
  ctx.deposit({ type: 'SubtensorModule', value });

/** Registers an all-or-nothing handler that sees the raw origin. */
function register<T extends SubtensorCall['type']>(name: T, body: Body<T>): void {
  (handlers.SubtensorModule as Record<string, unknown>)[name] = (
    ctx: DispatchContext,
    origin: Origin,
    call: { value: Call<T> },
  ): DispatchOutcome => atomically(ctx, (inner) => body(inner, origin, call.value));
}

/** Registers a root-only handler (`ensure_root`). */
function rootOnly<T extends SubtensorCall['type']>(
  name: T,
  body: (ctx: DispatchContext, args: Call<T>) => DispatchOutcome,
): void {
  register(name, (ctx, origin, args) =>
    origin.type === 'Root' ? body(ctx, args) : fail(BAD_ORIGIN),
  );
}

/** Registers a handler that needs a signed origin (`ensure_signed`). */
function signed<T extends SubtensorCall['type']>(
  name: T,
  body: (ctx: DispatchContext, who: Uint8Array, args: Call<T>) => DispatchOutcome,
): void {
  register(name, (ctx, origin, args) =>
    origin.type === 'Signed' ? body(ctx, origin.who, args) : fail(BAD_ORIGIN),
  );
}

/** Registers a handler for the subnet's owner or root (`ensure_subnet_owner_or_root`). */
function ownerOrRoot<T extends 'enable_voting_power_tracking' | 'disable_voting_power_tracking'>(
  name: T,
  body: (ctx: DispatchContext, netuid: number) => DispatchOutcome,
): void {
  register(name, (ctx, origin, args) => {
    const who = ensureSubnetOwnerOrRoot(ctx.state, origin, args.netuid);
    return who.ok ? body(ctx, args.netuid) : fail(who.error);
  });
}

// ---- root child-key parameters ------------------------------------------------------------------

rootOnly('sudo_set_tx_childkey_take_rate_limit', (ctx, a) => {
  S.TxChildkeyTakeRateLimit.set(ctx.state, a.tx_rate_limit);
  emit(ctx, { type: 'TxChildKeyTakeRateLimitSet', value: a.tx_rate_limit });
  return OK;
});

rootOnly('sudo_set_min_childkey_take', (ctx, a) => {
  S.MinChildkeyTake.set(ctx.state, a.take);
  emit(ctx, { type: 'MinChildKeyTakeSet', value: a.take });
  return OK;
});

rootOnly('sudo_set_max_childkey_take', (ctx, a) => {
  S.MaxChildkeyTake.set(ctx.state, a.take);
  emit(ctx, { type: 'MaxChildKeyTakeSet', value: a.take });
  return OK;
});

rootOnly('set_pending_childkey_cooldown', (ctx, a) => {
  S.PendingChildKeyCooldown.set(ctx.state, a.cooldown);
  return OK;
});

// ---- hotkeys ------------------------------------------------------------------------------------

signed('try_associate_hotkey', (ctx, cold, a) =>
  createAccountIfNonExistent(ctx.state, cold, a.hotkey),
);

signed('set_coldkey_auto_stake_hotkey', (ctx, cold, a) => {
  const st = ctx.state;
  const { netuid, hotkey } = a;
  if (!S.NetworksAdded.get(st, netuid)) return fail(subtensorError('SubnetNotExists'));
  if (S.Uids.tryGet(st, netuid, hotkey) === undefined)
    return fail(subtensorError('HotKeyNotRegisteredInSubNet'));
  const current = S.AutoStakeDestination.tryGet(st, cold, netuid);
  if (current !== undefined) {
    if (bytesEqual(current, hotkey)) return fail(subtensorError('SameAutoStakeHotkeyAlreadySet'));
    const old = S.AutoStakeDestinationColdkeys.get(st, current, netuid);
    S.AutoStakeDestinationColdkeys.set(
      st,
      current,
      netuid,
      old.filter((c) => !bytesEqual(c, cold)),
    );
  }
  S.AutoStakeDestination.set(st, cold, netuid, hotkey);
  const list = S.AutoStakeDestinationColdkeys.get(st, hotkey, netuid);
  if (!list.some((c) => bytesEqual(c, cold))) list.push(cold);
  S.AutoStakeDestinationColdkeys.set(st, hotkey, netuid, list);
  emit(ctx, { type: 'AutoStakeDestinationSet', value: { coldkey: cold, netuid, hotkey } });
  return OK;
});

signed('set_auto_parent_delegation_enabled', (ctx, cold, a) => {
  const st = ctx.state;
  if (!coldkeyOwnsHotkey(st, cold, a.hotkey)) return fail(subtensorError('NonAssociatedColdKey'));
  if (S.Uids.tryGet(st, ROOT, a.hotkey) === undefined)
    return fail(subtensorError('HotKeyNotRegisteredInSubNet'));
  S.AutoParentDelegationEnabled.set(st, a.hotkey, a.enabled);
  emit(ctx, {
    type: 'AutoParentDelegationEnabledSet',
    value: { hotkey: a.hotkey, enabled: a.enabled },
  });
  return OK;
});

// ---- voting power -------------------------------------------------------------------------------

ownerOrRoot('enable_voting_power_tracking', (ctx, netuid) => {
  S.VotingPowerTrackingEnabled.set(ctx.state, netuid, true);
  S.VotingPowerDisableAtBlock.remove(ctx.state, netuid);
  emit(ctx, { type: 'VotingPowerTrackingEnabled', value: { netuid } });
  return OK;
});

ownerOrRoot('disable_voting_power_tracking', (ctx, netuid) => {
  if (!S.VotingPowerTrackingEnabled.get(ctx.state, netuid))
    return fail(subtensorError('VotingPowerTrackingNotEnabled'));
  const at = BigInt(ctx.blockNumber) + VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS;
  const disableAt = at > U64_MAX ? U64_MAX : at;
  S.VotingPowerDisableAtBlock.set(ctx.state, netuid, disableAt);
  emit(ctx, {
    type: 'VotingPowerTrackingDisableScheduled',
    value: { netuid, disable_at_block: disableAt },
  });
  return OK;
});

rootOnly('sudo_set_voting_power_ema_alpha', (ctx, a) => {
  if (a.alpha > MAX_VOTING_POWER_EMA_ALPHA)
    return fail(subtensorError('InvalidVotingPowerEmaAlpha'));
  S.VotingPowerEmaAlpha.set(ctx.state, a.netuid, a.alpha);
  emit(ctx, { type: 'VotingPowerEmaAlphaSet', value: { netuid: a.netuid, alpha: a.alpha } });
  return OK;
});

// ---- add_stake_burn -----------------------------------------------------------------------------

/**
 * `do_add_stake_burn`: `add_stake` (or `add_stake_limit` with `allow_partial = false` when a limit
 * is given), then `burn_alpha` of the alpha bought, then `AddStakeBurn`; all-or-nothing.
 */
register('add_stake_burn', (ctx, origin, a) => {
  const { hotkey, netuid, amount, limit } = a;
  const t = handlers.SubtensorModule;
  // Watch the inner calls' events for the alpha bought (`StakeAdded`'s fourth field).
  let alpha: bigint | undefined;
  const watch: DispatchContext = {
    state: ctx.state,
    blockNumber: ctx.blockNumber,
    author: ctx.author,
    deposit: (e: RuntimeEvent) => {
      if (e.type === 'SubtensorModule' && e.value.type === 'StakeAdded')
        alpha = e.value.value[3] as bigint;
      ctx.deposit(e);
    },
  };
  const staked =
    limit === undefined
      ? t.add_stake?.(watch, origin, {
          type: 'add_stake',
          value: { hotkey, netuid, amount_staked: amount },
        })
      : t.add_stake_limit?.(watch, origin, {
          type: 'add_stake_limit',
          value: {
            hotkey,
            netuid,
            amount_staked: amount,
            limit_price: limit,
            allow_partial: false,
          },
        });
  if (staked === undefined) throw new Error('add_stake_burn: staking handlers are not registered');
  if (!staked.ok) return staked;
  if (alpha === undefined) throw new Error('add_stake_burn: add_stake deposited no StakeAdded');
  const burned = t.burn_alpha?.(ctx, origin, {
    type: 'burn_alpha',
    value: { hotkey, amount: alpha, netuid },
  });
  if (burned === undefined) throw new Error('add_stake_burn: burn_alpha is not registered');
  if (!burned.ok) return burned;
  emit(ctx, { type: 'AddStakeBurn', value: { netuid, hotkey, amount, alpha } });
  return OK;
});
