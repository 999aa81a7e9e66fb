/**
 * The `CheckColdkeySwap` guard of subtensor 14bc6f9f (pallets/subtensor/src/guards/
 * check_coldkey_swap.rs). Kept apart from coldkey-swap.ts, which registers call handlers, so that
 * dispatch.ts can import it without an import cycle.
 *
 * Subtensor runs this check twice: in the transaction extension at validation (where the errors
 * become `CustomTransactionError::ColdkeyInSwapSchedule` / `ColdkeySwapDisputed`, so the
 * transaction never enters a block) and as a dispatch extension at every dispatch (where they are
 * the module errors `ColdkeySwapAnnounced` / `ColdkeySwapDisputed`). We only refuse at dispatch:
 * such a transaction is included, pays its fee and fails with the module error.
 */
import {
  type DispatchError,
  type RuntimeCall,
  SubtensorStorage as S,
  type StateGet,
} from '@taoscript/chain-types';
import { moduleError } from '../dispatch.js';

const SUBTENSOR = 7;

/** SubtensorModule calls a coldkey with a pending (undisputed) swap announcement may still make. */
export const CALLS_ALLOWED_DURING_COLDKEY_SWAP: ReadonlySet<string> = new Set([
  'announce_coldkey_swap',
  'swap_coldkey_announced',
  'dispute_coldkey_swap',
  'clear_coldkey_swap_announcement',
]);

/**
 * `CheckColdkeySwap::check`: while `who` has a swap announcement, a disputed swap refuses every
 * call (`ColdkeySwapDisputed`) and an undisputed one every call but the swap calls
 * (`ColdkeySwapAnnounced`); `undefined` lets the call through. Apply it to signed origins only.
 * @example
 * import { coldkeySwapGuard } from './subtensor/coldkey-swap-guard.js';
 * // const refused = coldkeySwapGuard(ctx.state, origin.who, call);
 */
export function coldkeySwapGuard(
  state: StateGet,
  who: Uint8Array,
  call: RuntimeCall,
): DispatchError | undefined {
  if (!(who instanceof Uint8Array))
    throw new TypeError('coldkeySwapGuard: who must be a Uint8Array');
  if (who.length !== 32)
    throw new RangeError(`coldkeySwapGuard: who must be 32 bytes, got ${who.length}`);
  if (typeof call !== 'object' || call === null || typeof call.type !== 'string')
    throw new TypeError('coldkeySwapGuard: call must be a RuntimeCall');
  if (S.ColdkeySwapAnnouncements.tryGet(state, who) === undefined) return undefined;
  if (S.ColdkeySwapDisputes.tryGet(state, who) !== undefined)
    return moduleError(SUBTENSOR, 'ColdkeySwapDisputed');
  const inner = (call as { value?: { type?: unknown } }).value;
  if (call.type === 'SubtensorModule' && CALLS_ALLOWED_DURING_COLDKEY_SWAP.has(String(inner?.type)))
    return undefined;
  return moduleError(SUBTENSOR, 'ColdkeySwapAnnounced');
}
