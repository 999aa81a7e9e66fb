/** pallet_sudo: one key that can dispatch anything as root. */
import {
  type DispatchResult,
  type RuntimeCall,
  type ShapeType,
  Sudo,
  type SudoCall,
} from '@taoscript/chain-types';
import { bytesEqual } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  moduleError,
  type Origin,
} from '../dispatch.js';
import { lookup } from './balances.js';

type Dispatcher = (ctx: DispatchContext, origin: Origin, call: RuntimeCall) => DispatchOutcome;

const asResult = (o: DispatchOutcome): ShapeType<typeof DispatchResult> =>
  o.ok ? { type: 'Ok', value: [undefined] } : { type: 'Err', value: o.error };

export function dispatchSudo(
  ctx: DispatchContext,
  origin: Origin,
  call: SudoCall,
  dispatch: Dispatcher,
): DispatchOutcome {
  if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
  const key = Sudo.Key.get(ctx.state);
  if (!key || !bytesEqual(key, origin.who)) return fail(moduleError(12, 'RequireSudo'));
  switch (call.type) {
    case 'sudo':
    case 'sudo_unchecked_weight': {
      const inner = ctx.state.transactional(() =>
        dispatch(ctx, { type: 'Root' }, call.value.call as RuntimeCall),
      );
      ctx.deposit({
        type: 'Sudo',
        value: { type: 'Sudid', value: { sudo_result: asResult(inner) } },
      });
      return { ok: true, post: { paysFee: 'No' } };
    }
    case 'sudo_as': {
      const who = lookup(call.value.who);
      if (!who) return fail({ type: 'CannotLookup' });
      const inner = ctx.state.transactional(() =>
        dispatch(ctx, { type: 'Signed', who }, call.value.call as RuntimeCall),
      );
      ctx.deposit({
        type: 'Sudo',
        value: { type: 'SudoAsDone', value: { sudo_result: asResult(inner) } },
      });
      return { ok: true, post: { paysFee: 'No' } };
    }
    case 'set_key': {
      const next = lookup(call.value.new);
      if (!next) return fail({ type: 'CannotLookup' });
      Sudo.Key.set(ctx.state, next);
      ctx.deposit({ type: 'Sudo', value: { type: 'KeyChanged', value: { old: key, new: next } } });
      return { ok: true, post: { paysFee: 'No' } };
    }
    case 'remove_key': {
      Sudo.Key.remove(ctx.state);
      ctx.deposit({ type: 'Sudo', value: { type: 'KeyRemoved' } });
      return { ok: true, post: { paysFee: 'No' } };
    }
  }
}
