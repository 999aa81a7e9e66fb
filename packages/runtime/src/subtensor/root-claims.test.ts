import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type RootClaimTypeEnum,
  SubtensorStorage as S,
  type SubtensorCall,
  System,
} from '@taoscript/chain-types';
import { fxFromInt, fxFromRatio, fxMul, fxToInt, I96F32 } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { type RuntimeHarness, runtimeHarness } from '@taoscript/testkit';
import {
  ALICE,
  addStake,
  alice,
  assertFreeIsIssuance,
  bob,
  burnedRegister,
  charlie,
  handlerTry,
  NO_AUTHOR,
  registerSubnet,
  startSubnet,
  sub,
  submitOk,
  subtensorEvents,
  TAO,
} from '../../test/subtensor-fixtures.js';
import { Overlay } from '../state.js';
import { subnetAccount, swapAlphaForTao } from './pool.js';
import { MAX_ROOT_CLAIM_THRESHOLD, rootOwed } from './root-claims.js';
import { stakeOf } from './share-pool.js';
import './index.js';

const BOB = bob.publicKey;
const CHARLIE = charlie.publicKey;
const OWNER_HOT = keypairFromUri('//ClaimOwnerHot').publicKey;
const HB = keypairFromUri('//ClaimBobHot').publicKey;
const NET = 1;
/** 0.01 alpha of subnet 1 per unit of root stake. */
const RATE = fxFromRatio(I96F32, 1n, 100n);

const claim = (subnets: number[]): SubtensorCall => ({ type: 'claim_root', value: { subnets } });
const setType = (t: RootClaimTypeEnum): SubtensorCall => ({
  type: 'set_root_claim_type',
  value: { new_root_claim_type: t },
});

const ov = (h: RuntimeHarness) => new Overlay(h.state);

/**
 * Subnet 1 (owner Alice, started, Bob's HB registered); Bob stakes 100 TAO on root to HB; then
 * the "coinbase" accrues RATE on subnet 1 for HB.
 */
function world(rate = RATE): RuntimeHarness {
  const h = runtimeHarness();
  registerSubnet(h, alice, OWNER_HOT);
  startSubnet(h, alice, NET);
  burnedRegister(h, bob, NET, HB);
  addStake(h, bob, HB, 0, 100n * TAO);
  assert.ok(stakeOf(ov(h), HB, BOB, 0) > 0n, 'Bob has root stake');
  // The coinbase counts the root dividends it accrues as issued alpha.
  h.edit((o) => {
    S.RootClaimable.set(o, HB, [[NET, rate]]);
    S.SubnetAlphaOut.set(o, NET, S.SubnetAlphaOut.get(o, NET) + 10n * TAO);
    // Keep the per-block coinbase out of these claims: no automatic root claims (block_step would
    // claim for Bob before his extrinsic) and no further emission into subnet 1.
    S.NumRootClaim.set(o, 0n);
    S.NetworkRegistrationAllowed.set(o, NET, false);
  });
  return h;
}

/** What Bob is owed on subnet 1 now, as a u64. */
const owedU64 = (h: RuntimeHarness) => fxToInt(I96F32, rootOwed(ov(h), HB, BOB, NET), 64);

describe('claim_root (121)', () => {
  it('rejects a wrong origin and a subnet set of the wrong size', () => {
    const h = world();
    assert.equal(handlerTry(h, 'root', claim([NET]), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(handlerTry(h, 'none', claim([NET]), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, BOB, claim([]), NO_AUTHOR).error,
      'SubtensorModule.InvalidSubnetNumber',
    );
    assert.equal(
      handlerTry(h, BOB, claim([1, 2, 3, 4, 5, 6]), NO_AUTHOR).error,
      'SubtensorModule.InvalidSubnetNumber',
    );
    // A BTreeSet: duplicates collapse, so six entries naming five subnets pass.
    assert.equal(handlerTry(h, BOB, claim([5, 1, 2, 3, 4, 1]), NO_AUTHOR).error, undefined);
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
    const events = subtensorEvents(submitOk(h, bob, sub(claim([NET]))));
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
    assertFreeIsIssuance(h);
    // Claiming again finds nothing above the threshold: only the event.
    const stake = stakeOf(ov(h), HB, BOB, 0);
    assert.deepEqual(subtensorEvents(submitOk(h, bob, sub(claim([NET])))), [
      { type: 'RootClaimed', value: { coldkey: BOB } },
    ]);
    assert.equal(stakeOf(ov(h), HB, BOB, 0), stake);
  });

  it('Keep: credits the owed alpha on the subnet', () => {
    const h = world();
    assert.deepEqual(subtensorEvents(submitOk(h, bob, sub(setType({ type: 'Keep' })))), [
      { type: 'RootClaimTypeSet', value: { coldkey: BOB, root_claim_type: { type: 'Keep' } } },
    ]);
    const owed = owedU64(h);
    const alpha = stakeOf(ov(h), HB, BOB, NET);
    const root = stakeOf(ov(h), HB, BOB, 0);
    const subnetFree = h.free(subnetAccount(NET));
    submitOk(h, bob, sub(claim([NET])));
    assert.equal(stakeOf(ov(h), HB, BOB, NET), alpha + owed);
    assert.equal(stakeOf(ov(h), HB, BOB, 0), root);
    assert.equal(h.free(subnetAccount(NET)), subnetFree);
    assert.equal(S.RootClaimed.get(h.state, NET, HB, BOB), owed);
    assert.equal(owedU64(h), 0n);
    assertFreeIsIssuance(h);
  });

  it('KeepSubnets: keeps the listed subnets, swaps the others', () => {
    const kept = world();
    submitOk(kept, bob, sub(setType({ type: 'KeepSubnets', value: { subnets: [NET] } })));
    const owed = owedU64(kept);
    const alpha = stakeOf(ov(kept), HB, BOB, NET);
    submitOk(kept, bob, sub(claim([NET])));
    assert.equal(stakeOf(ov(kept), HB, BOB, NET), alpha + owed);

    const swapped = world();
    submitOk(swapped, bob, sub(setType({ type: 'KeepSubnets', value: { subnets: [7] } })));
    const root = stakeOf(ov(swapped), HB, BOB, 0);
    submitOk(swapped, bob, sub(claim([NET])));
    assert.ok(stakeOf(ov(swapped), HB, BOB, 0) > root, 'swapped onto root');
    assert.equal(S.RootClaimed.get(swapped.state, NET, HB, BOB) >= owed, true);
  });

  it('claims only the named subnets', () => {
    const h = world();
    const root = stakeOf(ov(h), HB, BOB, 0);
    assert.deepEqual(subtensorEvents(submitOk(h, bob, sub(claim([2, 3])))), [
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
    submitOk(h, bob, sub(claim([NET])));
    assert.equal(stakeOf(ov(h), HB, BOB, 0), root);
    assert.equal(S.RootClaimed.get(h.state, NET, HB, BOB), 0n);
    // Lower the threshold (owner): now it is claimed.
    submitOk(
      h,
      alice,
      sub({ type: 'sudo_set_root_claim_threshold', value: { netuid: NET, new_value: 0n } }),
    );
    submitOk(h, bob, sub(claim([NET])));
    assert.ok(stakeOf(ov(h), HB, BOB, 0) > root);
  });

  it('indexes the coldkey for auto-claims, and a failed sale rolls everything back', () => {
    const h = world();
    // Charlie has never staked: claiming with nothing owed still indexes him.
    const n = S.NumStakingColdkeys.get(h.state);
    submitOk(h, charlie, sub(claim([NET])));
    assert.equal(S.StakingColdkeys.get(h.state, CHARLIE), n);
    assert.deepEqual(S.StakingColdkeysByIndex.get(h.state, n), CHARLIE);
    assert.equal(S.NumStakingColdkeys.get(h.state), n + 1n);
    // Empty the subnet account: paying the sale's TAO out fails, and nothing changes.
    h.edit((o) => {
      const acc = System.Account.get(o, subnetAccount(NET));
      System.Account.set(o, subnetAccount(NET), { ...acc, data: { ...acc.data, free: 0n } });
    });
    assert.equal(
      handlerTry(h, BOB, claim([NET]), NO_AUTHOR).error,
      'SubtensorModule.InsufficientBalance',
    );
  });
});

describe('set_root_claim_type (122)', () => {
  it('needs a signed origin and a non-empty KeepSubnets set; stores a sorted set', () => {
    const h = world();
    assert.equal(handlerTry(h, 'root', setType({ type: 'Keep' }), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, CHARLIE, setType({ type: 'KeepSubnets', value: { subnets: [] } }), NO_AUTHOR)
        .error,
      'SubtensorModule.InvalidSubnetNumber',
    );
    assert.deepEqual(S.RootClaimType.get(h.state, CHARLIE), { type: 'Swap' });
    assert.equal(S.StakingColdkeys.tryGet(h.state, CHARLIE), undefined);
    const r = handlerTry(
      h,
      CHARLIE,
      setType({ type: 'KeepSubnets', value: { subnets: [3, 1, 3] } }),
      NO_AUTHOR,
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
    assert.equal(handlerTry(h, ALICE, call(1n), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, 'root', call(51n), NO_AUTHOR).error,
      'SubtensorModule.InvalidNumRootClaim',
    );
    assert.deepEqual(handlerTry(h, 'root', call(50n), NO_AUTHOR), { error: undefined, events: [] });
    assert.equal(S.NumRootClaim.get(h.state), 50n);
    handlerTry(h, 'root', call(0n), NO_AUTHOR);
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
    assert.equal(handlerTry(h, BOB, call(1n), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(handlerTry(h, 'none', call(1n), NO_AUTHOR).error, 'BadOrigin');
    assert.equal(
      handlerTry(h, ALICE, call(MAX_ROOT_CLAIM_THRESHOLD + 1n), NO_AUTHOR).error,
      'SubtensorModule.InvalidRootClaimThreshold',
    );
    assert.deepEqual(handlerTry(h, ALICE, call(MAX_ROOT_CLAIM_THRESHOLD), NO_AUTHOR), {
      error: undefined,
      events: [],
    });
    assert.equal(
      S.RootClaimableThreshold.get(h.state, NET),
      fxFromInt(I96F32, MAX_ROOT_CLAIM_THRESHOLD),
    );
    // Root may set it on any netuid, registered or not.
    assert.equal(handlerTry(h, 'root', call(5n, 42), NO_AUTHOR).error, undefined);
    assert.equal(S.RootClaimableThreshold.get(h.state, 42), fxFromInt(I96F32, 5n));
  });
});
