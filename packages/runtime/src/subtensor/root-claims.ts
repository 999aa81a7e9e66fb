/**
 * SubtensorModule root-dividend claims, as subtensor 14bc6f9f does them (staking/claim_root.rs
 * and the dispatches at call indices 121–124): `claim_root`, `set_root_claim_type`,
 * `sudo_set_num_root_claims` and `sudo_set_root_claim_threshold`.
 *
 * The coinbase accrues `RootClaimable[hotkey][netuid]` (alpha per unit of root stake); a root
 * staker is owed `rate × root_stake − RootClaimed[(netuid, hotkey, coldkey)]`. Claiming either
 * keeps that alpha as stake on the subnet or sells it fee-less and stakes the TAO on root.
 */
import {
  type RootClaimTypeEnum,
  SubtensorStorage as S,
  type StateRW,
  type SubtensorCall,
} from '@taoscript/chain-types';
import { fxFromInt, fxMul, fxSub, fxToInt, I96F32 } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  OK,
  type Origin,
} from '../dispatch.js';
import { handlers } from './dispatch.js';
import { atomically, subnetAccount, subtensorError, swapAlphaForTao } from './pool.js';
import { ensureSubnetOwnerOrRoot } from './rate-limits.js';
import { creditStake, stakeOf } from './share-pool.js';
import { addRootClaimed, maybeAddColdkeyIndex } from './staking.js';

/** `MAX_SUBNET_CLAIMS`: subnets one `claim_root` may name. */
export const MAX_SUBNET_CLAIMS = 5;
/** `MAX_NUM_ROOT_CLAIMS`: the ceiling of `NumRootClaim`. */
export const MAX_NUM_ROOT_CLAIMS = 50n;
/** `MAX_ROOT_CLAIM_THRESHOLD`: the ceiling of `RootClaimableThreshold`. */
export const MAX_ROOT_CLAIM_THRESHOLD = 10_000_000n;

const ROOT = 0;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const I64_MIN = -(1n << 63n);
const satU64 = (v: bigint): bigint => (v < 0n ? 0n : v > U64_MAX ? U64_MAX : v);
const satU128 = (v: bigint): bigint => (v < 0n ? 0n : v > U128_MAX ? U128_MAX : v);

/** A BTreeSet<NetUid> as Rust decodes it: sorted, duplicates dropped. */
const asSet = (v: readonly number[]): number[] => [...new Set(v)].sort((a, b) => a - b);

/**
 * `get_root_owed_for_hotkey_coldkey_float`: `RootClaimable[hot][netuid] × root stake −
 * RootClaimed[(netuid, hot, cold)]` as I96F32 raw bits (may be negative).
 * @example
 * import { rootOwed } from './root-claims.js';
 * // rootOwed(ctx.state, hotkey, coldkey, 1)
 */
export function rootOwed(st: StateRW, hot: Uint8Array, cold: Uint8Array, netuid: number): bigint {
  const stake = fxFromInt(I96F32, stakeOf(st, hot, cold, ROOT));
  const rate = S.RootClaimable.get(st, hot).find(([n]) => n === netuid)?.[1] ?? 0n;
  const claimable = fxMul(I96F32, rate, stake);
  const claimed = fxFromInt(I96F32, S.RootClaimed.get(st, netuid, hot, cold));
  return fxSub(I96F32, claimable, claimed);
}

/** Whether a claim of `netuid` under `type` sells the alpha (Swap) rather than keeping it. */
function sells(type: RootClaimTypeEnum, netuid: number): boolean {
  if (type.type === 'Swap') return true;
  if (type.type === 'Keep') return false;
  return !type.value.subnets.includes(netuid);
}

/** `root_claim_on_subnet` (with the threshold applied). */
function claimOnSubnet(
  ctx: DispatchContext,
  hot: Uint8Array,
  cold: Uint8Array,
  netuid: number,
  type: RootClaimTypeEnum,
): DispatchOutcome {
  const st = ctx.state;
  const owed = rootOwed(st, hot, cold, netuid);
  if (owed < S.RootClaimableThreshold.get(st, netuid)) return OK;
  const owedU64 = owed < 0n ? 0n : fxToInt(I96F32, owed, 64);
  if (owedU64 === 0n) return OK;
  if (sells(type, netuid)) {
    // The owed alpha was never credited to anyone: it is sold straight from the pool, fee-less,
    // and its TAO moves from the subnet's account to root's. No author: nothing to route.
    const bare: DispatchContext = {
      state: st,
      blockNumber: ctx.blockNumber,
      author: undefined,
      deposit: ctx.deposit,
    };
    const sold = swapAlphaForTao(bare, netuid, owedU64, {
      dropFees: true,
      beneficiary: subnetAccount(ROOT),
    });
    if (!sold.ok) return fail(sold.error);
    const tao = sold.taoOut;
    S.SubnetRootSellTao.set(st, netuid, satU64(S.SubnetRootSellTao.get(st, netuid) + tao));
    const flow = S.SubnetProtocolFlow.get(st, netuid) - BigInt.asIntN(64, tao);
    S.SubnetProtocolFlow.set(st, netuid, flow < I64_MIN ? I64_MIN : flow);
    creditStake(st, hot, cold, ROOT, tao);
    S.SubnetTAO.set(st, ROOT, satU64(S.SubnetTAO.get(st, ROOT) + tao));
    S.SubnetAlphaOut.set(st, ROOT, satU64(S.SubnetAlphaOut.get(st, ROOT) + tao));
    S.TotalStake.set(st, satU64(S.TotalStake.get(st) + tao));
    addRootClaimed(st, hot, cold, tao);
  } else creditStake(st, hot, cold, netuid, owedU64);
  const claimed = S.RootClaimed.get(st, netuid, hot, cold);
  S.RootClaimed.set(st, netuid, hot, cold, satU128(claimed + owedU64));
  return OK;
}

/**
 * `do_root_claim`: claims, for every hotkey the coldkey stakes to, each subnet with a claimable
 * rate (only those in `subnets` when given), then deposits `RootClaimed`. All-or-nothing.
 * @example
 * import { doRootClaim } from './root-claims.js';
 * // doRootClaim(ctx, coldkey, [1, 2])
 */
export function doRootClaim(
  ctx: DispatchContext,
  cold: Uint8Array,
  subnets: readonly number[] | undefined,
): DispatchOutcome {
  return atomically(ctx, (inner) => {
    const st = inner.state;
    for (const hot of S.StakingHotkeys.get(st, cold)) {
      const type = S.RootClaimType.get(st, cold);
      for (const [netuid] of S.RootClaimable.get(st, hot)) {
        if (subnets && !subnets.includes(netuid)) continue;
        const out = claimOnSubnet(inner, hot, cold, netuid, type);
        if (!out.ok) return out;
      }
    }
    inner.deposit({
      type: 'SubtensorModule',
      value: { type: 'RootClaimed', value: { coldkey: cold } },
    });
    return OK;
  });
}

type Call<T extends SubtensorCall['type']> = Extract<SubtensorCall, { type: T }>['value'];

function register<T extends SubtensorCall['type']>(
  name: T,
  body: (ctx: DispatchContext, origin: Origin, args: Call<T>) => DispatchOutcome,
): void {
  (handlers.SubtensorModule as Record<string, unknown>)[name] = (
    ctx: DispatchContext,
    origin: Origin,
    call: { value: Call<T> },
  ): DispatchOutcome => atomically(ctx, (inner) => body(inner, origin, call.value));
}

register('claim_root', (ctx, origin, a) => {
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const subnets = asSet(a.subnets);
  if (subnets.length === 0 || subnets.length > MAX_SUBNET_CLAIMS)
    return fail(subtensorError('InvalidSubnetNumber'));
  maybeAddColdkeyIndex(ctx.state, origin.who);
  return doRootClaim(ctx, origin.who, subnets);
});

register('set_root_claim_type', (ctx, origin, a) => {
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  let type = a.new_root_claim_type;
  if (type.type === 'KeepSubnets') {
    if (type.value.subnets.length === 0) return fail(subtensorError('InvalidSubnetNumber'));
    type = { type: 'KeepSubnets', value: { subnets: asSet(type.value.subnets) } };
  }
  maybeAddColdkeyIndex(ctx.state, origin.who);
  S.RootClaimType.set(ctx.state, origin.who, type);
  ctx.deposit({
    type: 'SubtensorModule',
    value: { type: 'RootClaimTypeSet', value: { coldkey: origin.who, root_claim_type: type } },
  });
  return OK;
});

register('sudo_set_num_root_claims', (ctx, origin, a) => {
  if (origin.type !== 'Root') return fail(BAD_ORIGIN);
  if (a.new_value > MAX_NUM_ROOT_CLAIMS) return fail(subtensorError('InvalidNumRootClaim'));
  S.NumRootClaim.set(ctx.state, a.new_value);
  return OK;
});

register('sudo_set_root_claim_threshold', (ctx, origin, a) => {
  const who = ensureSubnetOwnerOrRoot(ctx.state, origin, a.netuid);
  if (!who.ok) return fail(who.error);
  if (a.new_value > MAX_ROOT_CLAIM_THRESHOLD)
    return fail(subtensorError('InvalidRootClaimThreshold'));
  S.RootClaimableThreshold.set(ctx.state, a.netuid, fxFromInt(I96F32, a.new_value));
  return OK;
});
