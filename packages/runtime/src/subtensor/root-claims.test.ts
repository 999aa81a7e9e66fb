import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  type EventRecord,
  type RootClaimTypeEnum,
  type RuntimeCall,
  type RuntimeEvent,
  SubtensorStorage as S,
  type SubtensorCall,
  System,
} from '@taoscript/chain-types';
import { fxFromInt, fxFromRatio, fxMul, fxToInt, I96F32 } from '@taoscript/codec';
import { type Keypair, keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import { type DispatchContext, describeDispatchError, type Origin } from '../dispatch.js';
import { Overlay } from '../state.js';
import { dispatchSubtensorPallet } from './dispatch.js';
import { subnetAccount, swapAlphaForTao } from './pool.js';
import { MAX_ROOT_CLAIM_THRESHOLD, rootOwed } from './root-claims.js';
import { stakeOf } from './share-pool.js';
import './index.js';

const TAO = 1_000_000_000n;
const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const charlie = devKeypair('Charlie');
const ALICE = alice.publicKey;
const BOB = bob.publicKey;
const CHARLIE = charlie.publicKey;
const OWNER_HOT = keypairFromUri('//ClaimOwnerHot').publicKey;
const HB = keypairFromUri('//ClaimBobHot').publicKey;
const NET = 1;
const ROOT: Origin = { type: 'Root' };
const NONE: Origin = { type: 'None' };
const signedBy = (who: Uint8Array): Origin => ({ type: 'Signed', who });
/** 0.01 alpha of subnet 1 per unit of root stake. */
const RATE = fxFromRatio(I96F32, 1n, 100n);

const sub = (value: SubtensorCall): RuntimeCall => ({ type: 'SubtensorModule', value });
const claim = (subnets: number[]): SubtensorCall => ({ type: 'claim_root', value: { subnets } });
const setType = (t: RootClaimTypeEnum): SubtensorCall => ({
  type: 'set_root_claim_type',
  value: { new_root_claim_type: t },
});

function ok(h: RuntimeHarness, signer: Keypair, call: RuntimeCall): unknown[] {
  const { result, events } = h.run(signer, call);
  assert.ok(result.ok, 'extrinsic included');
  if (!result.outcome.ok) assert.fail(describeDispatchError(result.outcome.error));
  return subtensorEvents(events);
}

function subtensorEvents(events: EventRecord[]): unknown[] {
  return events.flatMap((e) => (e.event.type === 'SubtensorModule' ? [e.event.value] : []));
}

/** Dispatches with any origin; a failure must write nothing and deposit nothing. */
function direct(
  h: RuntimeHarness,
  origin: Origin,
  c: SubtensorCall,
): { error: string | undefined; events: unknown[] } {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  const ctx: DispatchContext = {
    state: ov,
    blockNumber: h.number + 1,
    author: undefined,
    deposit: (e) => events.push(e),
  };
  const out = dispatchSubtensorPallet(ctx, origin, { type: 'SubtensorModule', value: c });
  if (!out.ok) {
    assert.equal(ov.changes().size, 0, 'a failed call writes nothing');
    assert.deepEqual(events, [], 'a failed call deposits nothing');
    return { error: describeDispatchError(out.error), events: [] };
  }
  h.state.apply(ov.changes());
  return {
    error: undefined,
    events: events.flatMap((e) => (e.type === 'SubtensorModule' ? [e.value] : [])),
  };
}

const errOf = (h: RuntimeHarness, origin: Origin, c: SubtensorCall) => direct(h, origin, c).error;

function assertConserved(h: RuntimeHarness): void {
  let sum = 0n;
  for (const k of h.state.keys(System.Account.partialKey()))
    sum += System.Account.get(h.state, System.Account.decodeKey(k)[0]).data.free;
  assert.equal(sum, Balances.TotalIssuance.get(h.state), 'free balances sum to the issuance');
}

const ov = (h: RuntimeHarness) => new Overlay(h.state);

/**
 * Subnet 1 (owner Alice, started, Bob's HB registered); Bob stakes 100 TAO on root to HB; then
 * the "coinbase" accrues RATE on subnet 1 for HB.
 */
function world(rate = RATE): RuntimeHarness {
  const h = runtimeHarness();
  ok(h, alice, sub({ type: 'register_network', value: { hotkey: OWNER_HOT } }));
  h.edit((o) => S.StartCallDelay.set(o, 0n));
  ok(h, alice, sub({ type: 'start_call', value: { netuid: NET } }));
  ok(h, bob, sub({ type: 'burned_register', value: { netuid: NET, hotkey: HB } }));
  ok(
    h,
    bob,
    sub({ type: 'add_stake', value: { hotkey: HB, netuid: 0, amount_staked: 100n * TAO } }),
  );
  assert.ok(stakeOf(ov(h), HB, BOB, 0) > 0n, 'Bob has root stake');
  // The coinbase counts the root dividends it accrues as issued alpha.
  h.edit((o) => {
    S.RootClaimable.set(o, HB, [[NET, rate]]);
    S.SubnetAlphaOut.set(o, NET, S.SubnetAlphaOut.get(o, NET) + 10n * TAO);
  });
  return h;
}

/** What Bob is owed on subnet 1 now, as a u64. */
const owedU64 = (h: RuntimeHarness) => fxToInt(I96F32, rootOwed(ov(h), HB, BOB, NET), 64);

describe('claim_root (121)', () => {
  it('rejects a wrong origin and a subnet set of the wrong size', () => {
    const h = world();
    assert.equal(errOf(h, ROOT, claim([NET])), 'BadOrigin');
    assert.equal(errOf(h, NONE, claim([NET])), 'BadOrigin');
    assert.equal(errOf(h, signedBy(BOB), claim([])), 'SubtensorModule.InvalidSubnetNumber');
    assert.equal(
      errOf(h, signedBy(BOB), claim([1, 2, 3, 4, 5, 6])),
      'SubtensorModule.InvalidSubnetNumber',
    );
    // A BTreeSet: duplicates collapse, so six entries naming five subnets pass.
    assert.equal(errOf(h, signedBy(BOB), claim([5, 1, 2, 3, 4, 1])), undefined);
  });

  it('Swap (default): sells the owed alpha fee-less and stakes the TAO on root', () => {
    const h = world();
    const owed = owedU64(h);
    const rootStake = stakeOf(ov(h), HB, BOB, 0);
    assert.equal(owed, fxToInt(I96F32, fxMul(I96F32, RATE, fxFromInt(I96F32, rootStake)), 64));
    assert.ok(owed > 500_000n, 'above the default threshold');
    const sim = swapAlphaForTao(
      { state: ov(h), blockNumber: h.number + 1, deposit: () => {} },
      NET,
      owed,
      { dropFees: true, simulate: true },
    );
    assert.ok(sim.ok && sim.fee === 0n);
    const tao = sim.taoOut;
    assert.ok(tao > 0n);
    const before = {
      subnetFree: h.free(subnetAccount(NET)),
      rootFree: h.free(subnetAccount(0)),
      subnetTao: S.SubnetTAO.get(h.state, NET),
      alphaIn: S.SubnetAlphaIn.get(h.state, NET),
      alphaOut: S.SubnetAlphaOut.get(h.state, NET),
      rootTao: S.SubnetTAO.get(h.state, 0),
      rootOut: S.SubnetAlphaOut.get(h.state, 0),
      totalStake: S.TotalStake.get(h.state),
      alphaStake: stakeOf(ov(h), HB, BOB, NET),
    };
    const events = ok(h, bob, sub(claim([NET])));
    assert.deepEqual(events, [{ type: 'RootClaimed', value: { coldkey: BOB } }]);
    assert.equal(stakeOf(ov(h), HB, BOB, 0), rootStake + tao);
    assert.equal(stakeOf(ov(h), HB, BOB, NET), before.alphaStake, 'no alpha kept');
    assert.equal(h.free(subnetAccount(NET)), before.subnetFree - tao);
    assert.equal(h.free(subnetAccount(0)), before.rootFree + tao);
    assert.equal(S.SubnetTAO.get(h.state, NET), before.subnetTao - tao);
    assert.equal(S.SubnetAlphaIn.get(h.state, NET), before.alphaIn + owed);
    assert.equal(S.SubnetAlphaOut.get(h.state, NET), before.alphaOut - owed);
    assert.equal(S.SubnetTAO.get(h.state, 0), before.rootTao + tao);
    assert.equal(S.SubnetAlphaOut.get(h.state, 0), before.rootOut + tao);
    assert.equal(S.TotalStake.get(h.state), before.totalStake, '−tao on the sale, +tao on root');
    assert.equal(S.SubnetRootSellTao.get(h.state, NET), tao);
    assert.equal(S.SubnetProtocolFlow.get(h.state, NET), -tao);
    // Claimed = owed, plus the rate on the new root stake (add_stake_adjust_root_claimed).
    const adjust = fxToInt(I96F32, fxMul(I96F32, RATE, fxFromInt(I96F32, tao)), 128);
    assert.equal(S.RootClaimed.get(h.state, NET, HB, BOB), owed + adjust);
    assert.ok(owedU64(h) < 2n, 'nothing (but rounding) left to claim');
    assertConserved(h);
    // Claiming again finds nothing above the threshold: only the event.
    const stake = stakeOf(ov(h), HB, BOB, 0);
    assert.deepEqual(ok(h, bob, sub(claim([NET]))), [
      { type: 'RootClaimed', value: { coldkey: BOB } },
    ]);
    assert.equal(stakeOf(ov(h), HB, BOB, 0), stake);
  });

  it('Keep: credits the owed alpha on the subnet', () => {
    const h = world();
    assert.deepEqual(ok(h, bob, sub(setType({ type: 'Keep' }))), [
      { type: 'RootClaimTypeSet', value: { coldkey: BOB, root_claim_type: { type: 'Keep' } } },
    ]);
    const owed = owedU64(h);
    const alpha = stakeOf(ov(h), HB, BOB, NET);
    const root = stakeOf(ov(h), HB, BOB, 0);
    const subnetFree = h.free(subnetAccount(NET));
    ok(h, bob, sub(claim([NET])));
    assert.equal(stakeOf(ov(h), HB, BOB, NET), alpha + owed);
    assert.equal(stakeOf(ov(h), HB, BOB, 0), root);
    assert.equal(h.free(subnetAccount(NET)), subnetFree);
    assert.equal(S.RootClaimed.get(h.state, NET, HB, BOB), owed);
    assert.equal(owedU64(h), 0n);
    assertConserved(h);
  });

  it('KeepSubnets: keeps the listed subnets, swaps the others', () => {
    const kept = world();
    ok(kept, bob, sub(setType({ type: 'KeepSubnets', value: { subnets: [NET] } })));
    const owed = owedU64(kept);
    const alpha = stakeOf(ov(kept), HB, BOB, NET);
    ok(kept, bob, sub(claim([NET])));
    assert.equal(stakeOf(ov(kept), HB, BOB, NET), alpha + owed);

    const swapped = world();
    ok(swapped, bob, sub(setType({ type: 'KeepSubnets', value: { subnets: [7] } })));
    const root = stakeOf(ov(swapped), HB, BOB, 0);
    ok(swapped, bob, sub(claim([NET])));
    assert.ok(stakeOf(ov(swapped), HB, BOB, 0) > root, 'swapped onto root');
    assert.equal(S.RootClaimed.get(swapped.state, NET, HB, BOB) >= owed, true);
  });

  it('claims only the named subnets', () => {
    const h = world();
    const root = stakeOf(ov(h), HB, BOB, 0);
    assert.deepEqual(ok(h, bob, sub(claim([2, 3]))), [
      { type: 'RootClaimed', value: { coldkey: BOB } },
    ]);
    assert.equal(stakeOf(ov(h), HB, BOB, 0), root);
    assert.equal(S.RootClaimed.get(h.state, NET, HB, BOB), 0n);
  });

  it('skips owed amounts below RootClaimableThreshold', () => {
    // 100 TAO of root stake × 1e-6 = 100_000 units < the default 500_000.
    const h = world(fxFromRatio(I96F32, 1n, 1_000_000n));
    assert.ok(owedU64(h) > 0n && owedU64(h) < 500_000n);
    const root = stakeOf(ov(h), HB, BOB, 0);
    ok(h, bob, sub(claim([NET])));
    assert.equal(stakeOf(ov(h), HB, BOB, 0), root);
    assert.equal(S.RootClaimed.get(h.state, NET, HB, BOB), 0n);
    // Lower the threshold (owner): now it is claimed.
    ok(
      h,
      alice,
      sub({ type: 'sudo_set_root_claim_threshold', value: { netuid: NET, new_value: 0n } }),
    );
    ok(h, bob, sub(claim([NET])));
    assert.ok(stakeOf(ov(h), HB, BOB, 0) > root);
  });

  it('indexes the coldkey for auto-claims, and a failed sale rolls everything back', () => {
    const h = world();
    // Charlie has never staked: claiming with nothing owed still indexes him.
    const n = S.NumStakingColdkeys.get(h.state);
    ok(h, charlie, sub(claim([NET])));
    assert.equal(S.StakingColdkeys.get(h.state, CHARLIE), n);
    assert.deepEqual(S.StakingColdkeysByIndex.get(h.state, n), CHARLIE);
    assert.equal(S.NumStakingColdkeys.get(h.state), n + 1n);
    // Empty the subnet account: paying the sale's TAO out fails, and nothing changes.
    h.edit((o) => {
      const acc = System.Account.get(o, subnetAccount(NET));
      System.Account.set(o, subnetAccount(NET), { ...acc, data: { ...acc.data, free: 0n } });
    });
    assert.equal(errOf(h, signedBy(BOB), claim([NET])), 'SubtensorModule.InsufficientBalance');
  });
});

describe('set_root_claim_type (122)', () => {
  it('needs a signed origin and a non-empty KeepSubnets set; stores a sorted set', () => {
    const h = world();
    assert.equal(errOf(h, ROOT, setType({ type: 'Keep' })), 'BadOrigin');
    assert.equal(
      errOf(h, signedBy(CHARLIE), setType({ type: 'KeepSubnets', value: { subnets: [] } })),
      'SubtensorModule.InvalidSubnetNumber',
    );
    assert.deepEqual(S.RootClaimType.get(h.state, CHARLIE), { type: 'Swap' });
    assert.equal(S.StakingColdkeys.tryGet(h.state, CHARLIE), undefined);
    const r = direct(
      h,
      signedBy(CHARLIE),
      setType({ type: 'KeepSubnets', value: { subnets: [3, 1, 3] } }),
    );
    const t = { type: 'KeepSubnets', value: { subnets: [1, 3] } };
    assert.deepEqual(r.events, [
      { type: 'RootClaimTypeSet', value: { coldkey: CHARLIE, root_claim_type: t } },
    ]);
    assert.deepEqual(S.RootClaimType.get(h.state, CHARLIE), t);
    assert.notEqual(S.StakingColdkeys.tryGet(h.state, CHARLIE), undefined, 'indexed');
  });
});

describe('sudo_set_num_root_claims (123)', () => {
  it('root only, at most 50', () => {
    const h = runtimeHarness();
    const call = (new_value: bigint): SubtensorCall => ({
      type: 'sudo_set_num_root_claims',
      value: { new_value },
    });
    assert.equal(errOf(h, signedBy(ALICE), call(1n)), 'BadOrigin');
    assert.equal(errOf(h, ROOT, call(51n)), 'SubtensorModule.InvalidNumRootClaim');
    assert.deepEqual(direct(h, ROOT, call(50n)), { error: undefined, events: [] });
    assert.equal(S.NumRootClaim.get(h.state), 50n);
    direct(h, ROOT, call(0n));
    assert.equal(S.NumRootClaim.tryGet(h.state), 0n);
  });
});

describe('sudo_set_root_claim_threshold (124)', () => {
  it('owner or root, at most 10_000_000', () => {
    const h = world();
    const call = (new_value: bigint, netuid = NET): SubtensorCall => ({
      type: 'sudo_set_root_claim_threshold',
      value: { netuid, new_value },
    });
    assert.equal(errOf(h, signedBy(BOB), call(1n)), 'BadOrigin');
    assert.equal(errOf(h, NONE, call(1n)), 'BadOrigin');
    assert.equal(
      errOf(h, signedBy(ALICE), call(MAX_ROOT_CLAIM_THRESHOLD + 1n)),
      'SubtensorModule.InvalidRootClaimThreshold',
    );
    assert.deepEqual(direct(h, signedBy(ALICE), call(MAX_ROOT_CLAIM_THRESHOLD)), {
      error: undefined,
      events: [],
    });
    assert.equal(
      S.RootClaimableThreshold.get(h.state, NET),
      fxFromInt(I96F32, MAX_ROOT_CLAIM_THRESHOLD),
    );
    // Root may set it on any netuid, registered or not.
    assert.equal(direct(h, ROOT, call(5n, 42)).error, undefined);
    assert.equal(S.RootClaimableThreshold.get(h.state, 42), fxFromInt(I96F32, 5n));
  });
});
