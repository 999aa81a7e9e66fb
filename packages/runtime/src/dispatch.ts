/** Origins, dispatch results and the context every call handler receives. */
import {
  type DispatchClass,
  type DispatchError,
  ERROR_NAMES,
  type RuntimeEvent,
  type Weight,
} from '@taoscript/chain-types';
import type { Overlay } from './state.js';

export type Origin = { type: 'Root' } | { type: 'Signed'; who: Uint8Array } | { type: 'None' };

export interface PostInfo {
  /** Weight actually used, when less than declared. */
  actualWeight?: Weight;
  paysFee?: 'Yes' | 'No';
}

export type DispatchOutcome =
  | { ok: true; post?: PostInfo }
  | { ok: false; error: DispatchError; post?: PostInfo };

export const OK: DispatchOutcome = { ok: true };

/** What a call handler sees: state, the event sink, the block it runs in, and a way to dispatch calls. */
export interface DispatchContext {
  state: Overlay;
  blockNumber: number;
  /** The block author, who receives fees (swap fees included); `undefined` burns them. */
  author?: Uint8Array | undefined;
  deposit(event: RuntimeEvent): void;
}

/** `DispatchError::Module` for a pallet's named error. */
export function moduleError(palletIndex: number, name: string): DispatchError {
  const entry = ERROR_NAMES[palletIndex];
  const idx = entry ? entry.names.indexOf(name) : -1;
  if (idx < 0) throw new Error(`unknown error ${name} of pallet ${palletIndex}`);
  return { type: 'Module', value: { index: palletIndex, error: new Uint8Array([idx, 0, 0, 0]) } };
}

export const fail = (error: DispatchError): DispatchOutcome => ({ ok: false, error });
export const BAD_ORIGIN: DispatchError = { type: 'BadOrigin' };

/** `pallet.ErrorName` for a module error, or the variant name otherwise (for logs and RPC messages). */
export function describeDispatchError(e: DispatchError): string {
  if (e.type === 'Module') {
    const entry = ERROR_NAMES[e.value.index];
    const name = entry?.names[e.value.error[0] as number];
    return entry && name ? `${entry.pallet}.${name}` : `Module(${e.value.index})`;
  }
  if (e.type === 'Token' || e.type === 'Arithmetic' || e.type === 'Transactional')
    return `${e.type}.${e.value.type}`;
  return e.type;
}

export function ensureSigned(origin: Origin): Uint8Array | undefined {
  return origin.type === 'Signed' ? origin.who : undefined;
}

export type { DispatchClass };
