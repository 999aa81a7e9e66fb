/**
 * SubtensorModule's `block_step` (the per-block `on_initialize` work), as subtensor 14bc6f9f
 * orders it (coinbase/block_step.rs): registration prices, block emission (minted), the coinbase,
 * moving prices, `RootProp`, pending child keys of subnets whose epoch just ran, and the automatic
 * root-dividend claims. The timelocked-commit reveal (drand) and the migration helpers are not
 * part of this runtime.
 */
import { SubtensorStorage as S, System } from '@taoscript/chain-types';
import { fxAdd, fxConvert, fxDiv, fxFromInt, fxMul, fxSub, I96F32, U64F64 } from '@taoscript/codec';
import type { DispatchContext } from '../../dispatch.js';
import { setPendingChildrenForBlock } from '../delegation.js';
import { blockHooks } from '../dispatch.js';
import { assertNetuid, currentAlphaPrice } from '../pool.js';
import { updateRegistrationPrices } from '../registration.js';
import { doRootClaim } from '../root-claims.js';
import { addedNetuids, movingAlphaPrice } from '../subnets.js';
import { rootProportion, runCoinbase } from './run-coinbase.js';
import { subnetsToEmitTo } from './shares.js';
import { getBlockEmission } from './tao.js';

const U64_MAX = (1n << 64n) - 1n;
const ONE64 = U64F64.one;
const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * `update_moving_price`: `SubnetMovingPrice ← a·min(price, 1) + (1 − a)·moving`, with the ramped
 * a = SubnetMovingAlpha · b/(b + EMAPriceHalvingBlocks), b = blocks since the start call
 * (`now − (FirstEmissionBlockNumber − 1)`); U64F64 arithmetic, stored as I96F32.
 * @example
 * import { updateMovingPrice } from './coinbase/block-step.js';
 * // updateMovingPrice(ctx, 1)
 */
export function updateMovingPrice(ctx: DispatchContext, netuid: number): void {
  assertNetuid(netuid);
  const st = ctx.state;
  const first = S.FirstEmissionBlockNumber.tryGet(st, netuid) ?? 0n;
  const startCall = first > 0n ? first - 1n : 0n;
  const now = BigInt(ctx.blockNumber);
  const since = fxFromInt(U64F64, now > startCall ? now - startCall : 0n);
  const halving = fxFromInt(U64F64, S.EMAPriceHalvingBlocks.get(st, netuid));
  const movingAlpha = fxConvert(I96F32, U64F64, S.SubnetMovingAlpha.get(st));
  const alpha = fxMul(U64F64, movingAlpha, fxDiv(U64F64, since, fxAdd(U64F64, since, halving)));
  const oneMinus = fxSub(U64F64, ONE64, alpha);
  const spot = currentAlphaPrice(st, netuid);
  const current = fxMul(U64F64, alpha, minBig(spot, ONE64));
  const moving = fxMul(U64F64, oneMinus, movingAlphaPrice(st, netuid));
  S.SubnetMovingPrice.set(st, netuid, fxConvert(U64F64, I96F32, fxAdd(U64F64, current, moving)));
}

/**
 * `block_hash_to_indices`: up to `k` distinct indices below `n` drawn from the block hash (a walk
 * stepping by its big-endian u64 words), ascending. With `n` = 0 every index is 0.
 * @example
 * import { blockHashToIndices } from './coinbase/block-step.js';
 * blockHashToIndices(new Uint8Array(32), 5n, 10n); // [0n]
 */
export function blockHashToIndices(hash: Uint8Array, k: bigint, n: bigint): bigint[] {
  if (!(hash instanceof Uint8Array)) throw new TypeError('hash: expected a Uint8Array');
  if (hash.length !== 32) throw new RangeError(`hash: expected 32 bytes, got ${hash.length}`);
  for (const [v, what] of [
    [k, 'k'],
    [n, 'n'],
  ] as const) {
    if (typeof v !== 'bigint') throw new TypeError(`${what}: expected a bigint`);
    if (v < 0n || v > U64_MAX) throw new RangeError(`${what}: ${v} is outside u64`);
  }
  const word = (at: number): bigint => {
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(hash[at + i] as number);
    return v;
  };
  const indices = new Set<bigint>();
  let last = word(0);
  for (let i = 0n; i < k; i++) {
    const step = word(Number((i * 8n) % 32n));
    const sum = last + step;
    const idx = n === 0n ? 0n : (sum > U64_MAX ? U64_MAX : sum) % n;
    indices.add(idx);
    last = idx;
  }
  return [...indices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `run_auto_claim_root_divs`: claims root dividends for `NumRootClaim` pseudo-random coldkeys of
 * the staking-coldkey index, drawn from the parent block's hash (failures are ignored).
 * @example
 * import { runAutoClaimRootDivs } from './coinbase/block-step.js';
 * // runAutoClaimRootDivs(ctx, System.ParentHash.get(ctx.state))
 */
export function runAutoClaimRootDivs(ctx: DispatchContext, parentHash: Uint8Array): void {
  const st = ctx.state;
  const indices = blockHashToIndices(
    parentHash,
    S.NumRootClaim.get(st),
    S.NumStakingColdkeys.get(st),
  );
  for (const i of indices) {
    const coldkey = S.StakingColdkeysByIndex.tryGet(st, i);
    if (coldkey) doRootClaim(ctx, coldkey, undefined);
  }
}

/**
 * `update_root_prop`: `RootProp[netuid] = root_proportion` for each subnet to emit to.
 * @example
 * import { updateRootProp } from './coinbase/block-step.js';
 * // updateRootProp(ctx, addedNetuids(ctx.state))
 */
export function updateRootProp(ctx: DispatchContext, netuids: readonly number[]): void {
  for (const netuid of subnetsToEmitTo(ctx.state, netuids))
    S.RootProp.set(ctx.state, netuid, rootProportion(ctx.state, netuid));
}

/**
 * `update_moving_prices`: the moving price of each subnet to emit to.
 * @example
 * import { updateMovingPrices } from './coinbase/block-step.js';
 * // updateMovingPrices(ctx, addedNetuids(ctx.state))
 */
export function updateMovingPrices(ctx: DispatchContext, netuids: readonly number[]): void {
  for (const netuid of subnetsToEmitTo(ctx.state, netuids)) updateMovingPrice(ctx, netuid);
}

/**
 * `block_step`: the whole per-block SubtensorModule work in upstream order. Registered as the
 * subtensor pallets' single `on_initialize` hook. The parent hash comes from `System.ParentHash`,
 * which block initialisation sets before the hooks run.
 * @example
 * import { blockStep } from './coinbase/block-step.js';
 * // blockStep(ctx) — run by BlockBuilder through blockHooks.onInitialize
 */
export function blockStep(ctx: DispatchContext): void {
  const parentHash = System.ParentHash.get(ctx.state);
  updateRegistrationPrices(ctx);
  const credit = getBlockEmission(ctx);
  const netuids = addedNetuids(ctx.state);
  runCoinbase(ctx, credit, netuids);
  updateMovingPrices(ctx, netuids);
  updateRootProp(ctx, netuids);
  setPendingChildrenForBlock(ctx);
  runAutoClaimRootDivs(ctx, parentHash);
}

blockHooks.onInitialize.push(blockStep);
