/** The utility pallet: batches of calls with three failure policies. */
import { BATCHED_CALLS_LIMIT, type RuntimeCall, type UtilityCall } from '@taoscript/chain-types';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  moduleError,
  OK,
  type Origin,
} from '../dispatch.js';

type Dispatcher = (ctx: DispatchContext, origin: Origin, call: RuntimeCall) => DispatchOutcome;

export function dispatchUtility(
  ctx: DispatchContext,
  origin: Origin,
  call: UtilityCall,
  dispatch: Dispatcher,
): DispatchOutcome {
  if (origin.type === 'None') return fail(BAD_ORIGIN);
  switch (call.type) {
    case 'batch':
    case 'batch_all':
    case 'force_batch': {
      const calls = call.value.calls as RuntimeCall[];
      if (calls.length > BATCHED_CALLS_LIMIT) return fail(moduleError(11, 'TooManyCalls'));
      if (call.type === 'batch_all') {
        return ctx.state.transactional(() => {
          for (const inner of calls) {
            const r = ctx.state.transactional(() => dispatch(ctx, origin, inner));
            if (!r.ok) return r;
            ctx.deposit({ type: 'Utility', value: { type: 'ItemCompleted' } });
          }
          ctx.deposit({ type: 'Utility', value: { type: 'BatchCompleted' } });
          return OK;
        });
      }
      let failed = false;
      for (let i = 0; i < calls.length; i++) {
        const r = ctx.state.transactional(() => dispatch(ctx, origin, calls[i] as RuntimeCall));
        if (r.ok) {
          ctx.deposit({ type: 'Utility', value: { type: 'ItemCompleted' } });
          continue;
        }
        if (call.type === 'batch') {
          ctx.deposit({
            type: 'Utility',
            value: { type: 'BatchInterrupted', value: { index: i, error: r.error } },
          });
          return OK;
        }
        failed = true;
        ctx.deposit({ type: 'Utility', value: { type: 'ItemFailed', value: { error: r.error } } });
      }
      ctx.deposit({
        type: 'Utility',
        value: { type: failed ? 'BatchCompletedWithErrors' : 'BatchCompleted' },
      });
      return OK;
    }
    case 'as_derivative':
      // Derived sub-accounts are not supported by this runtime.
      return fail(moduleError(11, 'InvalidDerivedAccount'));
    case 'with_weight':
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      return ctx.state.transactional(() => dispatch(ctx, origin, call.value.call as RuntimeCall));
  }
}
