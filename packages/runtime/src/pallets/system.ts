/** frame_system's calls. */
import { System, type SystemCall } from '@taoscript/chain-types';
import { blake2_256 } from '@taoscript/codec';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  moduleError,
  OK,
  type Origin,
} from '../dispatch.js';

export const CODE_KEY = new Uint8Array([0x3a, 0x63, 0x6f, 0x64, 0x65]); // ":code"
export const HEAP_PAGES_KEY = new Uint8Array([
  0x3a, 0x68, 0x65, 0x61, 0x70, 0x70, 0x61, 0x67, 0x65, 0x73,
]); // ":heappages"

export function dispatchSystem(
  ctx: DispatchContext,
  origin: Origin,
  call: SystemCall,
): DispatchOutcome {
  switch (call.type) {
    case 'remark':
      return origin.type === 'None' ? fail(BAD_ORIGIN) : OK;
    case 'remark_with_event': {
      if (origin.type !== 'Signed') return fail(BAD_ORIGIN);
      ctx.deposit({
        type: 'System',
        value: {
          type: 'Remarked',
          value: { sender: origin.who, hash: blake2_256(call.value.remark) },
        },
      });
      return OK;
    }
    case 'set_heap_pages': {
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, call.value.pages, true);
      ctx.state.set(HEAP_PAGES_KEY, b);
      return OK;
    }
    case 'set_code':
      // There is no Wasm to read a runtime version from, so a checked upgrade cannot succeed.
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      return fail(moduleError(0, 'FailedToExtractRuntimeVersion'));
    case 'set_code_without_checks': {
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      ctx.state.set(CODE_KEY, call.value.code);
      ctx.deposit({ type: 'System', value: { type: 'CodeUpdated' } });
      return OK;
    }
    case 'set_storage': {
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      for (const [k, v] of call.value.items) ctx.state.set(k, v);
      return OK;
    }
    case 'kill_storage': {
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      for (const k of call.value.keys) ctx.state.delete(k);
      return OK;
    }
    case 'kill_prefix': {
      if (origin.type !== 'Root') return fail(BAD_ORIGIN);
      for (const k of ctx.state.keys(call.value.prefix, undefined, call.value.subkeys))
        ctx.state.delete(k);
      return OK;
    }
  }
}

/** Bumps the sender's nonce (CheckNonce's pre-dispatch). */
export function incrementNonce(ctx: DispatchContext, who: Uint8Array): void {
  const info = System.Account.get(ctx.state, who);
  info.nonce += 1;
  System.Account.set(ctx.state, who, info);
}
