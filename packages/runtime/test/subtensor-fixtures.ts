/**
 * Shared test-only setup for the SubtensorModule tests in src/subtensor: funded harnesses, subnets
 * and neurons created through the real calls, and the three ways the tests drive a call (signed
 * extrinsic, runtime dispatch, straight to the pallet handler) with their "failed call left state
 * untouched" checks.
 */
import assert from 'node:assert/strict';
import {
  Balances,
  type EventRecord,
  type RuntimeCall,
  type RuntimeEvent,
  SubtensorStorage as S,
  type SubtensorCall,
  System,
} from '@taoscript/chain-types';
import { toHex, twox128 } from '@taoscript/codec';
import type { Keypair } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness, runtimeHarness, signExtrinsic } from '@taoscript/testkit';
import {
  type DispatchContext,
  type DispatchOutcome,
  describeDispatchError,
  type Origin,
} from '../src/dispatch.js';
import { type Changes, Overlay, type StateReader } from '../src/state.js';
import { dispatchSubtensorPallet } from '../src/subtensor/dispatch.js';

/** One TAO in rao. */
export const TAO = 1_000_000_000n;
/** The largest u64. */
export const U64_MAX = (1n << 64n) - 1n;
/** Dev keypair Alice (sudo). */
export const alice = devKeypair('Alice');
/** Dev keypair Bob. */
export const bob = devKeypair('Bob');
/** Dev keypair Charlie. */
export const charlie = devKeypair('Charlie');
/** Dev keypair Dave. */
export const dave = devKeypair('Dave');
/** Alice's public key: sudo, block author of the direct calls and owner of the genesis subnets. */
export const ALICE = alice.publicKey;

const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;
const SYSTEM_PREFIX = toHex(twox128(new TextEncoder().encode('System')));

/** Wraps a SubtensorModule call as a runtime call. */
export const sub = (value: SubtensorCall): RuntimeCall => ({ type: 'SubtensorModule', value });

/** A SubtensorModule event payload as the tests compare it. */
export type SubtensorEvent = Extract<RuntimeEvent, { type: 'SubtensorModule' }>['value'];

/** The SubtensorModule payloads among `events`, in order. */
export function subtensorPayloads(events: readonly RuntimeEvent[]): SubtensorEvent[] {
  return events.flatMap((e) => (e.type === 'SubtensorModule' ? [e.value] : []));
}

/** The SubtensorModule payloads among block event `records`, in order. */
export function subtensorEvents(records: readonly EventRecord[]): SubtensorEvent[] {
  return subtensorPayloads(records.map((r) => r.event));
}

// ---- funding and issuance -----------------------------------------------------------------------

/** A harness where the dev accounts hold 1,000,000 TAO each, plus the `extra` balances. */
export function fundedHarness(extra: [Uint8Array, bigint][] = []): RuntimeHarness {
  const balances: [Uint8Array, bigint][] = DEV_NAMES.map((n) => [
    devKeypair(n).publicKey,
    1_000_000n * TAO,
  ]);
  balances.push(...extra);
  return runtimeHarness({ balances });
}

/** A harness with one started genesis subnet per owner hotkey (netuids 1, 2, …), all Alice's. */
export function genesisSubnets(...ownerHotkeys: Uint8Array[]): RuntimeHarness {
  return runtimeHarness({
    genesis: {
      subtensor: { subnets: ownerHotkeys.map((hotkey) => ({ coldkey: ALICE, hotkey })) },
    },
  });
}

/** Records each `[hotkey, coldkey]` pair as owned (Owner + OwnedHotkeys), without registering. */
export function ownHotkeys(h: RuntimeHarness, pairs: readonly [Uint8Array, Uint8Array][]): void {
  h.edit((ov) => {
    for (const [hot, cold] of pairs) {
      S.Owner.set(ov, hot, cold);
      S.OwnedHotkeys.set(ov, cold, [...S.OwnedHotkeys.get(ov, cold), hot]);
    }
  });
}

/** The sum of every account's free balance. */
export function freeSum(state: StateReader): bigint {
  let sum = 0n;
  for (const k of state.keys(System.Account.partialKey())) {
    const [who] = System.Account.decodeKey(k);
    sum += System.Account.get(state, who).data.free;
  }
  return sum;
}

/** Asserts the free balances add up to Balances' issuance. */
export function assertFreeIsIssuance(h: RuntimeHarness): void {
  assert.equal(freeSum(h.state), Balances.TotalIssuance.get(h.state));
}

/** Asserts free balances sum to Balances' issuance, which SubtensorModule's tracks. */
export function assertIssuance(h: RuntimeHarness): void {
  const ti = Balances.TotalIssuance.get(h.state);
  assert.equal(freeSum(h.state), ti, 'sum of free balances = Balances.TotalIssuance');
  assert.equal(S.TotalIssuance.get(h.state), ti, 'SubtensorModule.TotalIssuance');
}

// ---- signed extrinsics through the harness ------------------------------------------------------

/** Options of the signed-extrinsic helpers. */
export interface SubmitOptions {
  /** Check `assertIssuance` after the block (default true). */
  issuance?: boolean;
}

/** Submits a signed extrinsic that must succeed; returns the block's event records. */
export function submitOk(
  h: RuntimeHarness,
  signer: Keypair,
  call: RuntimeCall,
  o: SubmitOptions = {},
): EventRecord[] {
  const { result, events } = h.run(signer, call);
  assert.ok(result.ok, 'extrinsic included');
  if (!result.outcome.ok) assert.fail(describeDispatchError(result.outcome.error));
  if (o.issuance ?? true) assertIssuance(h);
  return events;
}

/** Every non-System storage entry of `ov`, hex key to hex value. */
export function snapshotNonSystem(ov: Overlay): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of ov.keys(new Uint8Array(0))) {
    const hex = toHex(k);
    if (!hex.startsWith(SYSTEM_PREFIX)) out.set(hex, toHex(ov.get(k) as Uint8Array));
  }
  return out;
}

/**
 * Applies `call` in a scratch block (never committed) and checks it fails with `error`, leaving
 * every non-System item untouched and depositing no SubtensorModule event.
 */
export function submitFails(
  h: RuntimeHarness,
  signer: Keypair,
  call: RuntimeCall,
  error: string,
): void {
  const b = h.runtime.beginBlock(h.state, {
    number: h.number + 1,
    parentHash: new Uint8Array(32),
    parentStateRoot: new Uint8Array(32),
    author: ALICE,
  });
  b.setTimestamp(BigInt(12_000 * (h.number + 1)));
  const before = snapshotNonSystem(b.overlay);
  const nonce = System.Account.get(h.state, signer.publicKey).nonce;
  const r = b.apply(signExtrinsic({ call, signer, nonce, genesisHash: h.genesisHash }));
  assert.ok(r.ok, 'extrinsic included');
  assert.equal(r.outcome.ok, false, `expected ${error}`);
  if (!r.outcome.ok) assert.equal(describeDispatchError(r.outcome.error), error);
  assert.deepEqual(snapshotNonSystem(b.overlay), before, `${error} left state untouched`);
  assert.deepEqual(subtensorEvents(r.events), [], 'no SubtensorModule event');
}

/** `owner` registers a subnet with `hotkey` as its owner hotkey through `register_network`. */
export function registerSubnet(
  h: RuntimeHarness,
  owner: Keypair,
  hotkey: Uint8Array,
  o: SubmitOptions = {},
): EventRecord[] {
  return submitOk(h, owner, sub({ type: 'register_network', value: { hotkey } }), o);
}

/** Drops the start-call delay and has `owner` start `netuid` through `start_call`. */
export function startSubnet(
  h: RuntimeHarness,
  owner: Keypair,
  netuid: number,
  o: SubmitOptions = {},
): EventRecord[] {
  h.edit((ov) => S.StartCallDelay.set(ov, 0n));
  return submitOk(h, owner, sub({ type: 'start_call', value: { netuid } }), o);
}

/** `cold` registers `hotkey` on `netuid` through `burned_register`. */
export function burnedRegister(
  h: RuntimeHarness,
  cold: Keypair,
  netuid: number,
  hotkey: Uint8Array,
  o: SubmitOptions = {},
): EventRecord[] {
  return submitOk(h, cold, sub({ type: 'burned_register', value: { netuid, hotkey } }), o);
}

/** `cold` stakes `amount` rao to `hotkey` on `netuid` through `add_stake`. */
export function addStake(
  h: RuntimeHarness,
  cold: Keypair,
  hotkey: Uint8Array,
  netuid: number,
  amount: bigint,
  o: SubmitOptions = {},
): EventRecord[] {
  const call = sub({ type: 'add_stake', value: { hotkey, netuid, amount_staked: amount } });
  return submitOk(h, cold, call, o);
}

// ---- runtime dispatch (no extrinsic, no fee) ----------------------------------------------------

/** What `dispatchAt` returns: the outcome, the deposited events and the writes it applied. */
export interface Dispatched {
  out: DispatchOutcome;
  events: RuntimeEvent[];
  changes: Changes;
}

/** Dispatches `call` straight into the runtime at `block` with `origin`, applying its writes. */
export function dispatchAt(
  h: RuntimeHarness,
  origin: Origin,
  call: RuntimeCall,
  block = 10,
): Dispatched {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  const ctx: DispatchContext = { state: ov, blockNumber: block, deposit: (e) => events.push(e) };
  const out = ov.transactional(() => h.runtime.dispatch(ctx, origin, call));
  const changes = ov.changes();
  h.state.apply(changes);
  return { out, events, changes };
}

/** Asserts a dispatch failed without writing or emitting; returns its error name. */
export function dispatchError(r: Dispatched): string {
  assert.equal(r.out.ok, false, 'expected the call to fail');
  assert.equal(r.changes.size, 0, 'a failed call must not write');
  assert.equal(r.events.length, 0, 'a failed call must not emit');
  return r.out.ok ? '' : describeDispatchError(r.out.error);
}

/** Asserts a dispatch succeeded; returns it. */
export function dispatchOk(r: Dispatched): Dispatched {
  assert.equal(r.out.ok, true, r.out.ok ? '' : describeDispatchError(r.out.error));
  return r;
}

// ---- straight to the SubtensorModule handler ----------------------------------------------------

/** Who a direct handler call comes from: a signed account, Root or None. */
export type Who = Uint8Array | 'root' | 'none';

/** Block and author of a direct handler call; a bare number is the block. */
export type HandlerAt =
  | number
  | {
      /** Block number (default the harness's next block). */
      block?: number | undefined;
      /** Block author (default Alice; null for none). */
      author?: Uint8Array | null;
    };

/** The Origin a `Who` stands for. */
export function originOf(who: Who): Origin {
  return who === 'root'
    ? { type: 'Root' }
    : who === 'none'
      ? { type: 'None' }
      : { type: 'Signed', who };
}

/** Direct handler calls with no block author (swap fees are then burned, not paid out). */
export const NO_AUTHOR: HandlerAt = { author: null };

/** Dispatches a SubtensorModule call straight to its handler on a scratch overlay (no fee). */
function dispatchHandler(
  h: RuntimeHarness,
  who: Who,
  c: SubtensorCall,
  at: HandlerAt,
): { out: DispatchOutcome; ov: Overlay; events: RuntimeEvent[] } {
  const o = typeof at === 'number' ? { block: at } : at;
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  const ctx: DispatchContext = {
    state: ov,
    blockNumber: o.block ?? h.number + 1,
    author: o.author === null ? undefined : (o.author ?? ALICE),
    deposit: (e) => events.push(e),
  };
  const out = dispatchSubtensorPallet(ctx, originOf(who), { type: 'SubtensorModule', value: c });
  return { out, ov, events };
}

/** Dispatches a SubtensorModule call straight to its handler (no fee) and commits its writes. */
export function callHandler(
  h: RuntimeHarness,
  who: Who,
  c: SubtensorCall,
  at: HandlerAt = {},
): { ok: boolean; error: string | undefined; events: RuntimeEvent[] } {
  const { out, ov, events } = dispatchHandler(h, who, c, at);
  h.state.apply(ov.changes());
  return { ok: out.ok, error: out.ok ? undefined : describeDispatchError(out.error), events };
}

/**
 * Dispatches a SubtensorModule call straight to its handler (no fee). A failure must write nothing
 * and deposit nothing (asserted) and gives its error name; a success commits its writes and gives
 * its SubtensorModule event payloads.
 */
export function handlerTry(
  h: RuntimeHarness,
  who: Who,
  c: SubtensorCall,
  at: HandlerAt = {},
): { error: string | undefined; events: SubtensorEvent[] } {
  const { out, ov, events } = dispatchHandler(h, who, c, at);
  if (!out.ok) {
    assert.equal(ov.changes().size, 0, 'a failed call writes nothing');
    assert.deepEqual(events, [], 'a failed call deposits nothing');
    return { error: describeDispatchError(out.error), events: [] };
  }
  h.state.apply(ov.changes());
  return { error: undefined, events: subtensorPayloads(events) };
}

/** Runs a handler call that must fail with `error`; asserts state and events are untouched. */
export function handlerRejects(
  h: RuntimeHarness,
  who: Who,
  c: SubtensorCall,
  error: string,
  at: HandlerAt = {},
): void {
  const before = new Map(h.state.map);
  const r = callHandler(h, who, c, at);
  assert.equal(r.error, error);
  assert.deepEqual(r.events, []);
  assert.deepEqual(h.state.map, before);
}

/** Runs a handler call that must succeed; returns its SubtensorModule event payloads. */
export function handlerSucceeds(
  h: RuntimeHarness,
  who: Who,
  c: SubtensorCall,
  at: HandlerAt = {},
): SubtensorEvent[] {
  const r = callHandler(h, who, c, at);
  assert.equal(r.error, undefined);
  return subtensorPayloads(r.events);
}

/** `handlerSucceeds`, then asserts the free balances still add up to Balances' issuance. */
export function handlerSucceedsConserving(
  h: RuntimeHarness,
  who: Who,
  c: SubtensorCall,
  at: HandlerAt = {},
): SubtensorEvent[] {
  const events = handlerSucceeds(h, who, c, at);
  assertFreeIsIssuance(h);
  return events;
}
