/**
 * Routing for SubtensorModule (7), Commitments (18), AdminUtils (19) and Swap (28). Each call
 * has a handler registered in `handlers`; a call without one is refused with
 * `System.CallFiltered`, as a runtime's call filter refuses calls it does not admit.
 */
import type {
  AdminUtilsCall,
  CommitmentsCall,
  RuntimeCall,
  SubtensorCall,
  SwapCall,
} from '@taoscript/chain-types';
import {
  type DispatchContext,
  type DispatchOutcome,
  fail,
  moduleError,
  type Origin,
} from '../dispatch.js';
import { coldkeySwapGuard } from './coldkey-swap-guard.js';

type Variant<C, T> = C extends { type: T } ? C : never;
export type Handler<C> = (ctx: DispatchContext, origin: Origin, call: C) => DispatchOutcome;
type HandlerTable<C extends { type: string }> = { [T in C['type']]?: Handler<Variant<C, T>> };

/** Handlers by pallet and call name; the pallet modules register theirs. */
export const handlers: {
  SubtensorModule: HandlerTable<SubtensorCall>;
  Commitments: HandlerTable<CommitmentsCall>;
  AdminUtils: HandlerTable<AdminUtilsCall>;
  Swap: HandlerTable<SwapCall>;
} = { SubtensorModule: {}, Commitments: {}, AdminUtils: {}, Swap: {} };

type SubtensorPallet = keyof typeof handlers;

/**
 * Dispatches a call of one of the subtensor pallets. A signed caller with a pending or disputed
 * coldkey swap is first put through `CheckColdkeySwap` (coldkey-swap-guard.ts); subtensor refuses
 * such a call already at validation, we refuse it here at dispatch.
 */
export function dispatchSubtensorPallet(
  ctx: DispatchContext,
  origin: Origin,
  call: Extract<RuntimeCall, { type: SubtensorPallet }>,
): DispatchOutcome {
  if (origin.type === 'Signed') {
    const refused = coldkeySwapGuard(ctx.state, origin.who, call);
    if (refused) return fail(refused);
  }
  const table = handlers[call.type] as Record<string, Handler<unknown> | undefined>;
  const inner = call.value as { type: string };
  const handler = table[inner.type];
  if (!handler) return fail(moduleError(0, 'CallFiltered'));
  return handler(ctx, origin, inner);
}

/** Whether a call has a handler (the runtime admits it). */
export function isAdmitted(call: RuntimeCall): boolean {
  if (!(call.type in handlers)) return true;
  const table = handlers[call.type as SubtensorPallet] as Record<string, unknown>;
  return table[(call.value as { type: string }).type] !== undefined;
}

/** Per-block hooks of the subtensor pallets (`on_initialize`), run in registration order. */
export const blockHooks: { onInitialize: ((ctx: DispatchContext) => void)[] } = {
  onInitialize: [],
};
