import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balances,
  type DispatchError,
  type EventRecord,
  type RuntimeCall,
  SubtensorStorage as S,
  type SubnetIdentityV3,
  type SubtensorCall,
  Swap,
  System,
} from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { devKeypair, type RuntimeHarness } from '@taoscript/testkit';
import {
  alice,
  assertIssuance,
  bob,
  charlie,
  dave,
  freeSum,
  fundedHarness,
  sub,
  submitFails,
  submitOk,
  subtensorEvents,
  TAO,
  U64_MAX,
} from '../../test/subtensor-fixtures.js';
import { describeDispatchError } from '../dispatch.js';
import { Runtime } from '../executive.js';
import { MapState, Overlay } from '../state.js';
import { type Handler, handlers } from './dispatch.js';
import { lockReductionInterval, networkLockCost } from './math/registration.js';
import { subnetAccount } from './pool.js';
import {
  currentNetworkLockCost,
  isValidChainIdentity,
  isValidSubnetIdentity,
  medianSubnetAlphaPrice,
  SUBNET_SYMBOLS,
  symbolForSubnet,
} from './subnets.js';

const poor = keypairFromUri('//SubnetsPoor');
const hot = (n: number): Uint8Array => new Uint8Array(32).fill(0xb0 + (n % 16)).fill(n, 0, 2);
const OWNER_HOT = hot(1);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const registerNetwork = (hotkey: Uint8Array): RuntimeCall =>
  sub({ type: 'register_network', value: { hotkey } });

/** The dev accounts funded, plus `poor` with 999 TAO. */
const harness = (): RuntimeHarness => fundedHarness([[poor.publicKey, 999n * TAO]]);

/** Runs a root call through Sudo and returns its inner result. */
function sudo(h: RuntimeHarness, call: RuntimeCall): { error?: string; events: EventRecord[] } {
  const { result, events } = h.sudo(call);
  assert.ok(result.ok && result.outcome.ok, 'result.ok && result.outcome.ok');
  assertIssuance(h);
  const sudid = events.find((e) => e.event.type === 'Sudo')?.event.value as {
    value: { sudo_result: { type: 'Ok' } | { type: 'Err'; value: DispatchError } };
  };
  const r = sudid.value.sudo_result;
  return r.type === 'Ok' ? { events } : { error: describeDispatchError(r.value), events };
}

function identity(over: Partial<SubnetIdentityV3> = {}): SubnetIdentityV3 {
  const empty = new Uint8Array(0);
  return {
    subnet_name: utf8('inference'),
    github_repo: empty,
    subnet_contact: empty,
    subnet_url: empty,
    discord: empty,
    description: utf8('LLM inference'),
    logo_url: empty,
    additional: empty,
    ...over,
  };
}

/** A staker's position: `value` alpha as the only shares of `hotkey` on `netuid`. */
function stake(
  ov: Overlay,
  hotkey: Uint8Array,
  coldkey: Uint8Array,
  netuid: number,
  value: bigint,
) {
  let mantissa = value;
  let exponent = 0n;
  while (mantissa <= 10n ** 20n) {
    mantissa *= 10n;
    exponent -= 1n;
  }
  S.TotalHotkeyAlpha.set(ov, hotkey, netuid, value);
  S.TotalHotkeySharesV2.set(ov, hotkey, netuid, { mantissa, exponent });
  S.AlphaV2.set(ov, hotkey, coldkey, netuid, { mantissa, exponent });
  S.SubnetAlphaOut.set(ov, netuid, S.SubnetAlphaOut.get(ov, netuid) + value);
}

describe('genesis', () => {
  it('creates root as subtensor leaves it and matches both issuances', () => {
    const h = harness();
    const st = h.state;
    assert.equal(S.NetworksAdded.get(st, 0), true);
    assert.equal(S.TotalNetworks.get(st), 1);
    assert.equal(S.Tempo.get(st, 0), 100);
    assert.equal(S.MaxAllowedUids.get(st, 0), 64);
    assert.equal(S.MaxAllowedValidators.get(st, 0), 64);
    assert.equal(S.MinAllowedWeights.get(st, 0), 0);
    assert.equal(S.TargetRegistrationsPerInterval.get(st, 0), 1);
    assert.equal(S.NetworkRegistrationAllowed.get(st, 0), true);
    assert.equal(S.SubtokenEnabled.get(st, 0), true);
    assert.equal(S.SubnetMechanism.get(st, 0), 0);
    assert.deepEqual(S.TokenSymbol.get(st, 0), new Uint8Array([0xce, 0xa4]));
    assert.deepEqual(S.SubnetOwner.tryGet(st, 0), new Uint8Array(32), 'stored explicitly');
    assert.equal(S.TotalIssuance.get(st), 6_000_999n * TAO);
    assertIssuance(h);
  });

  it('registers and starts dev subnets through the extrinsic code', () => {
    const runtime = new Runtime();
    const state = new MapState();
    const owner = devKeypair('Eve').publicKey;
    state.apply(
      runtime.genesis({
        balances: [
          [owner, 10_000n * TAO],
          [bob.publicKey, 5_000n * TAO],
        ],
        subtensor: {
          rootOwner: { coldkey: alice.publicKey, hotkey: hot(9) },
          startCallDelay: 5n,
          subnets: [
            { coldkey: owner, hotkey: hot(2), tempo: 10 },
            { coldkey: bob.publicKey, hotkey: hot(3), emissionEnabled: false },
          ],
        },
      }),
    );
    assert.deepEqual(S.SubnetOwner.get(state, 0), alice.publicKey);
    assert.deepEqual(S.SubnetOwnerHotkey.get(state, 0), hot(9));
    assert.equal(S.StartCallDelay.get(state), 5n);
    assert.equal(S.TotalNetworks.get(state), 3);
    for (const [netuid, cold, hk] of [
      [1, owner, hot(2)],
      [2, bob.publicKey, hot(3)],
    ] as const) {
      assert.deepEqual(S.SubnetOwner.get(state, netuid), cold);
      assert.equal(S.Uids.get(state, netuid, hk), 0);
      assert.equal(S.SubnetTAO.get(state, netuid), 1_000n * TAO);
      assert.equal(S.FirstEmissionBlockNumber.get(state, netuid), 1n);
      assert.equal(S.SubtokenEnabled.get(state, netuid), true);
      assert.equal(System.Account.get(state, subnetAccount(netuid)).data.free, 1_000n * TAO);
    }
    assert.equal(S.Tempo.get(state, 1), 10);
    assert.equal(S.Tempo.get(state, 2), 360);
    assert.equal(S.SubnetEmissionEnabled.get(state, 1), true);
    assert.equal(S.SubnetEmissionEnabled.get(state, 2), false);
    assert.equal(System.Account.get(state, owner).data.free, 9_000n * TAO);
    assert.equal(S.TotalStake.get(state), 2_000n * TAO);
    assert.equal(S.TotalIssuance.get(state), 15_000n * TAO);
    assert.equal(Balances.TotalIssuance.get(state), 15_000n * TAO);
    assert.equal(freeSum(state), 15_000n * TAO);
  });

  it('rejects bad dev subnet configs', () => {
    const runtime = new Runtime();
    const balances: [Uint8Array, bigint][] = [[bob.publicKey, 100n * TAO]];
    const genesis = (subtensor: unknown) =>
      runtime.genesis({ balances, subtensor: subtensor as never });
    assert.throws(() => genesis(5), TypeError);
    assert.throws(() => genesis({ subnets: 'x' }), TypeError);
    assert.throws(
      () => genesis({ subnets: [{ coldkey: new Uint8Array(3), hotkey: hot(1) }] }),
      RangeError,
    );
    assert.throws(
      () => genesis({ subnets: [{ coldkey: bob.publicKey, hotkey: hot(1), tempo: -1 }] }),
      RangeError,
    );
    assert.throws(() => genesis({ startCallDelay: 5 }), TypeError);
    assert.throws(
      () => genesis({ subnets: [{ coldkey: bob.publicKey, hotkey: hot(1) }] }),
      /CannotAffordLockCost/,
    );
  });
});

describe('register_network', () => {
  it('opens a dynamic subnet: defaults, lock, pool at the median price, owner and uid 0', () => {
    const h = harness();
    const aliceFree = h.free(alice.publicKey);
    const events = submitOk(h, alice, registerNetwork(OWNER_HOT));
    const now = BigInt(h.number);
    const lock = 1_000n * TAO;
    assert.deepEqual(subtensorEvents(events), [
      { type: 'RegistrationAllowed', value: [1, true] },
      { type: 'MaxAllowedUidsSet', value: [1, 256] },
      { type: 'MaxAllowedValidatorsSet', value: [1, 64] },
      { type: 'MinAllowedWeightSet', value: [1, 1] },
      { type: 'ImmunityPeriodSet', value: [1, 5000] },
      { type: 'SubnetOwnerHotkeySet', value: [1, OWNER_HOT] },
      { type: 'NetworkAdded', value: [1, 1] },
    ]);
    const st = h.state;
    assert.equal(S.NetworksAdded.get(st, 1), true);
    assert.equal(S.TotalNetworks.get(st), 2);
    assert.equal(S.SubnetMechanism.get(st, 1), 1);
    assert.equal(S.Tempo.get(st, 1), 360);
    assert.equal(S.LastEpochBlock.get(st, 1), now - 1n, 'staggered by netuid mod tempo');
    assert.equal(S.MaxAllowedUids.get(st, 1), 256);
    assert.equal(S.MaxAllowedValidators.get(st, 1), 64);
    assert.equal(S.MinAllowedWeights.get(st, 1), 1);
    assert.equal(S.ImmunityPeriod.get(st, 1), 5000);
    assert.equal(S.Yuma3On.get(st, 1), true);
    assert.equal(S.Burn.get(st, 1), TAO);
    assert.equal(S.NetworkRegisteredAt.get(st, 1), now);
    assert.equal(S.RegisteredSubnetCounter.get(st, 1), 1n);
    assert.deepEqual(S.TokenSymbol.get(st, 1), utf8('α'));
    assert.equal(S.SubnetTAO.get(st, 1), lock);
    assert.equal(S.SubnetAlphaIn.get(st, 1), lock, 'median price defaults to 1');
    assert.equal(S.SubnetAlphaOut.get(st, 1), 0n);
    assert.equal(S.SubnetLocked.get(st, 1), lock);
    assert.equal(S.TotalStake.get(st), lock);
    assert.deepEqual(S.SubnetOwner.get(st, 1), alice.publicKey);
    assert.deepEqual(S.SubnetOwnerHotkey.get(st, 1), OWNER_HOT);
    assert.deepEqual(S.Owner.get(st, OWNER_HOT), alice.publicKey);
    assert.equal(S.Uids.get(st, 1, OWNER_HOT), 0);
    assert.equal(S.SubnetworkN.get(st, 1), 1);
    assert.equal(S.SubnetEmissionEnabled.get(st, 1), false, 'emission off until root enables it');
    assert.equal(S.SubtokenEnabled.get(st, 1), false, 'until start_call');
    assert.equal(S.NetworkLastLockCost.get(st), lock);
    assert.equal(S.LastRateLimitedBlock.get(st, { type: 'NetworkLastRegistered' }), now);
    assert.equal(h.free(subnetAccount(1)), lock);
    assert.ok(h.free(alice.publicKey) < aliceFree - lock + 1n, 'Alice paid the lock (and fees)');
  });

  it('prices the next subnet at twice the last lock, decaying over the reduction interval', () => {
    const h = harness();
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    const at = BigInt(h.number);
    h.edit((ov) => S.NetworkRateLimit.set(ov, 0n));
    for (let i = 0; i < 3; i++) h.block();
    const now = BigInt(h.number + 1);
    const expected = 2_000n * TAO - ((1_000n * TAO) / 100_800n) * (now - at);
    assert.equal(currentNetworkLockCost(h.state, now), expected);
    assert.equal(
      expected,
      networkLockCost({
        lastLock: 1_000n * TAO,
        minLock: 1_000n * TAO,
        lastLockBlock: at,
        currentBlock: now,
        reductionInterval: lockReductionInterval(100_800n, TAO),
      }),
    );
    const bobFree = h.free(bob.publicKey);
    submitOk(h, bob, registerNetwork(hot(2)));
    assert.equal(S.SubnetLocked.get(h.state, 2), expected);
    assert.equal(S.NetworkLastLockCost.get(h.state), expected);
    assert.ok(
      bobFree - h.free(bob.publicKey) >= expected,
      'bobFree - h.free(bob.publicKey) >= expected',
    );
    assert.deepEqual(S.TokenSymbol.get(h.state, 2), utf8('β'));
  });

  it('seeds the pool at the median price of the other subnets', () => {
    const h = harness();
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    h.edit((ov) => {
      S.NetworkRateLimit.set(ov, 0n);
      S.NetworkMinLockCost.set(ov, 10n * TAO);
      S.NetworkLastLockCost.set(ov, 10n * TAO);
      S.LastRateLimitedBlock.remove(ov, { type: 'NetworkLastRegistered' });
      // Subnet 1 at 0.5 TAO per alpha.
      S.SubnetAlphaIn.set(ov, 1, 2_000n * TAO);
    });
    assert.equal(medianSubnetAlphaPrice(new Overlay(h.state)), 1n << 63n);
    submitOk(h, bob, registerNetwork(hot(2)));
    assert.equal(S.SubnetTAO.get(h.state, 2), 10n * TAO);
    assert.equal(S.SubnetAlphaIn.get(h.state, 2), 20n * TAO);
    // Two others at 0.5 and 0.25: the median averages them (0.375).
    h.edit((ov) => {
      S.SubnetAlphaIn.set(ov, 2, 40n * TAO);
      S.LastRateLimitedBlock.remove(ov, { type: 'NetworkLastRegistered' });
      // Symbol α is taken by someone else: netuid 3 falls back to the first free one (γ is its own).
      S.TokenSymbol.set(ov, 1, SUBNET_SYMBOLS[3] as Uint8Array);
    });
    submitOk(h, charlie, registerNetwork(hot(3)));
    assert.equal(S.SubnetAlphaIn.get(h.state, 3), (10n * TAO * 8n) / 3n);
    assert.deepEqual(S.TokenSymbol.get(h.state, 3), SUBNET_SYMBOLS[1]);
  });

  it('walks its checks in upstream order', () => {
    const h = harness();
    h.edit((ov) => S.Owner.set(ov, hot(4), dave.publicKey));
    submitFails(h, alice, registerNetwork(hot(4)), 'SubtensorModule.NonAssociatedColdKey');
    submitFails(
      h,
      alice,
      registerNetwork(subnetAccount(7)),
      'SubtensorModule.CannotUseSystemAccount',
    );
    submitFails(h, poor, registerNetwork(hot(5)), 'SubtensorModule.CannotAffordLockCost');
    h.edit((ov) => S.NetworkRegistrationStartBlock.set(ov, 1_000n));
    submitFails(h, alice, registerNetwork(OWNER_HOT), 'SubtensorModule.SubNetRegistrationDisabled');
    h.edit((ov) => S.NetworkRegistrationStartBlock.set(ov, 0n));
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    submitFails(h, bob, registerNetwork(hot(2)), 'SubtensorModule.NetworkTxRateLimitExceeded');
    h.edit((ov) => {
      S.NetworkRateLimit.set(ov, 0n);
      S.SubnetLimit.set(ov, 1);
    });
    submitFails(h, bob, registerNetwork(hot(2)), 'SubtensorModule.SubnetLimitReached');
  });

  it('prunes the weakest non-immune subnet at the limit and reuses its netuid', () => {
    const h = harness();
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    h.edit((ov) => S.NetworkRateLimit.set(ov, 0n));
    submitOk(h, bob, registerNetwork(hot(2)));
    h.edit((ov) => {
      S.SubnetLimit.set(ov, 2);
      S.NetworkImmunityPeriod.set(ov, 0n);
      S.SubnetMovingPrice.set(ov, 1, 5n << 32n);
      S.SubnetMovingPrice.set(ov, 2, 3n << 32n);
    });
    const ti = Balances.TotalIssuance.get(h.state);
    const events = submitOk(h, charlie, registerNetwork(hot(3)));
    const kinds = subtensorEvents(events).map((e) => (e as { type: string }).type);
    assert.equal(kinds.indexOf('NetworkRemoved') < kinds.indexOf('NetworkAdded'), true);
    assert.deepEqual(
      subtensorEvents(events).filter((e) =>
        ['NetworkRemoved', 'NetworkAdded'].includes((e as { type: string }).type),
      ),
      [
        { type: 'NetworkRemoved', value: 2 },
        { type: 'NetworkAdded', value: [2, 1] },
      ],
    );
    assert.deepEqual(S.SubnetOwner.get(h.state, 2), charlie.publicKey);
    assert.equal(S.Uids.tryGet(h.state, 2, hot(2)), undefined);
    assert.equal(S.Uids.get(h.state, 2, hot(3)), 0);
    assert.ok(Balances.TotalIssuance.get(h.state) < ti, 'the pruned pool TAO was recycled');
  });

  it('stores a valid identity; an invalid one reverts everything', () => {
    const h = harness();
    const tooLong = identity({ subnet_name: new Uint8Array(257) });
    assert.equal(isValidSubnetIdentity(tooLong), false);
    submitFails(
      h,
      alice,
      sub({
        type: 'register_network_with_identity',
        value: { hotkey: OWNER_HOT, identity: tooLong },
      }),
      'SubtensorModule.InvalidIdentity',
    );
    const events = submitOk(
      h,
      alice,
      sub({
        type: 'register_network_with_identity',
        value: { hotkey: OWNER_HOT, identity: identity() },
      }),
    );
    assert.deepEqual(subtensorEvents(events).slice(-2), [
      { type: 'SubnetIdentitySet', value: 1 },
      { type: 'NetworkAdded', value: [1, 1] },
    ]);
    assert.deepEqual(S.SubnetIdentitiesV3.get(h.state, 1), identity());
  });

  it('schedules each root validator as a parent of the owner hotkey via set_children', () => {
    const h = harness();
    submitOk(h, bob, sub({ type: 'root_register', value: { hotkey: hot(5) } }));
    h.block();
    submitOk(h, charlie, sub({ type: 'root_register', value: { hotkey: hot(6) } }));
    h.edit((ov) => S.AutoParentDelegationEnabled.set(ov, hot(6), false));
    const seen: unknown[] = [];
    const original = handlers.SubtensorModule.set_children;
    const stub: Handler<Extract<SubtensorCall, { type: 'set_children' }>> = (
      _ctx,
      origin,
      call,
    ) => {
      seen.push([origin, call.value]);
      return { ok: true };
    };
    handlers.SubtensorModule.set_children = stub;
    try {
      submitOk(h, alice, registerNetwork(OWNER_HOT));
    } finally {
      if (original) handlers.SubtensorModule.set_children = original;
      else delete handlers.SubtensorModule.set_children;
    }
    assert.deepEqual(seen, [
      [
        { type: 'Signed', who: bob.publicKey },
        { hotkey: hot(5), netuid: 1, children: [[U64_MAX, OWNER_HOT]] },
      ],
    ]);
  });

  it('needs a signed origin and well-formed input', () => {
    const handler = handlers.SubtensorModule.register_network;
    assert.ok(handler, 'handler');
    const ctx = { state: new Overlay(new MapState()), blockNumber: 1, deposit: () => {} };
    const call = { type: 'register_network', value: { hotkey: OWNER_HOT } } as const;
    const out = handler(ctx, { type: 'Root' }, call);
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(describeDispatchError(out.error), 'BadOrigin');
    assert.throws(
      () =>
        handler(
          ctx,
          { type: 'Root' },
          {
            type: 'register_network',
            value: { hotkey: new Uint8Array(2) },
          },
        ),
      RangeError,
    );
    assert.throws(() => isValidSubnetIdentity({ ...identity(), discord: 'x' as never }), TypeError);
  });
});

describe('start_call', () => {
  it('lets the owner start emission from the next block, once', () => {
    const h = harness();
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    const start = sub({ type: 'start_call', value: { netuid: 1 } });
    submitFails(
      h,
      alice,
      sub({ type: 'start_call', value: { netuid: 7 } }),
      'SubtensorModule.SubnetNotExists',
    );
    submitFails(h, bob, start, 'BadOrigin');
    h.edit((ov) => S.StartCallDelay.set(ov, 10n));
    submitFails(h, alice, start, 'SubtensorModule.NeedWaitingMoreBlocksToStarCall');
    h.edit((ov) => S.StartCallDelay.set(ov, 0n));
    const events = submitOk(h, alice, start);
    const first = BigInt(h.number) + 1n;
    assert.deepEqual(subtensorEvents(events), [
      { type: 'FirstEmissionBlockNumberSet', value: [1, first] },
    ]);
    assert.equal(S.FirstEmissionBlockNumber.get(h.state, 1), first);
    assert.equal(S.SubtokenEnabled.get(h.state, 1), true);
    submitFails(h, alice, start, 'SubtensorModule.FirstEmissionBlockNumberAlreadySet');
  });
});

describe('identities', () => {
  it('set_subnet_identity: owner only, validated, stored', () => {
    const h = harness();
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    const { subnet_name, ...rest } = identity();
    const call = (id: SubnetIdentityV3, netuid = 1): RuntimeCall =>
      sub({ type: 'set_subnet_identity', value: { netuid, ...id } });
    submitFails(h, bob, call(identity()), 'SubtensorModule.NotSubnetOwner');
    submitFails(h, alice, call(identity(), 5), 'SubtensorModule.NotSubnetOwner');
    submitFails(
      h,
      alice,
      call({ ...rest, subnet_name: new Uint8Array(300) }),
      'SubtensorModule.InvalidIdentity',
    );
    submitFails(
      h,
      alice,
      call(identity({ logo_url: new Uint8Array(1025) })),
      'SubtensorModule.InvalidIdentity',
    );
    const events = submitOk(h, alice, call({ ...rest, subnet_name }));
    assert.deepEqual(subtensorEvents(events), [{ type: 'SubnetIdentitySet', value: 1 }]);
    assert.deepEqual(S.SubnetIdentitiesV3.get(h.state, 1), identity());
  });

  it('set_identity: needs a registered hotkey, validated, stored', () => {
    const h = harness();
    const empty = new Uint8Array(0);
    const id = {
      name: utf8('alice'),
      url: empty,
      github_repo: empty,
      image: empty,
      discord: empty,
      description: empty,
      additional: empty,
    };
    const call = (v: typeof id): RuntimeCall => sub({ type: 'set_identity', value: v });
    submitFails(h, alice, call(id), 'SubtensorModule.HotKeyNotRegisteredInNetwork');
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    submitFails(
      h,
      alice,
      call({ ...id, name: new Uint8Array(257) }),
      'SubtensorModule.InvalidIdentity',
    );
    submitFails(
      h,
      alice,
      call({ ...id, image: new Uint8Array(1025) }),
      'SubtensorModule.InvalidIdentity',
    );
    assert.equal(isValidChainIdentity({ ...id, description: new Uint8Array(1024) }), true);
    const events = submitOk(h, alice, call(id));
    assert.deepEqual(subtensorEvents(events), [
      { type: 'ChainIdentitySet', value: alice.publicKey },
    ]);
    assert.deepEqual(S.IdentitiesV2.get(h.state, alice.publicKey), id);
    assert.throws(() => isValidChainIdentity({ ...id, url: 5 as never }), TypeError);
  });
});

describe('dissolve_network', () => {
  /** Subnet 1 (Alice) with two stakers worth 300 and 500 TAO of alpha, plus serving state. */
  function withStakers(): RuntimeHarness {
    const h = harness();
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    submitOk(
      h,
      alice,
      sub({
        type: 'set_subnet_identity',
        value: { netuid: 1, ...identity() },
      }),
    );
    h.edit((ov) => {
      stake(ov, hot(2), bob.publicKey, 1, 300n * TAO + 1n);
      stake(ov, hot(3), charlie.publicKey, 1, 500n * TAO + 2n);
      S.Axons.set(ov, 1, OWNER_HOT, {
        block: 1n,
        version: 1,
        ip: 1n,
        port: 1,
        ip_type: 4,
        protocol: 0,
        placeholder1: 0,
        placeholder2: 0,
      });
      Swap.FeeRate.set(ov, 1, 100);
      S.ChildKeys.set(ov, hot(2), 1, [[5n, hot(3)]]);
      S.ChildKeys.set(ov, hot(2), 0, [[5n, hot(3)]]);
    });
    return h;
  }

  it('pays the pool out pro rata (largest remainder), recycles the rest and erases the subnet', () => {
    const h = withStakers();
    const st = h.state;
    const pot = S.SubnetTAO.get(st, 1);
    const protocol = S.SubnetAlphaIn.get(st, 1);
    const values = [300n * TAO + 1n, 500n * TAO + 2n];
    const total = protocol + values[0]! + values[1]!;
    const shares = [...values, protocol].map((v) => ({
      s: (pot * v) / total,
      r: (pot * v) % total,
    }));
    let left = pot - shares.reduce((a, x) => a + x.s, 0n);
    for (const x of [...shares].sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : 0))) {
      if (left === 0n) break;
      x.s += 1n;
      left -= 1n;
    }
    const bobFree = h.free(bob.publicKey);
    const charlieFree = h.free(charlie.publicKey);
    const stakeTotal = S.TotalStake.get(st);
    const ti = Balances.TotalIssuance.get(st);
    const account = h.free(subnetAccount(1));
    const { error, events } = sudo(
      h,
      sub({ type: 'dissolve_network', value: { coldkey: alice.publicKey, netuid: 1 } }),
    );
    assert.equal(error, undefined);
    assert.deepEqual(subtensorEvents(events), [
      { type: 'SubnetIdentityRemoved', value: 1 },
      { type: 'NetworkRemoved', value: 1 },
    ]);
    assert.equal(h.free(bob.publicKey), bobFree + shares[0]!.s);
    assert.equal(h.free(charlie.publicKey), charlieFree + shares[1]!.s);
    assert.equal(S.TotalStake.get(st), stakeTotal - pot);
    // What the stakers did not get is recycled, down to the existential deposit.
    const recycled = account - shares[0]!.s - shares[1]!.s - 500n;
    assert.equal(h.free(subnetAccount(1)), 500n);
    assert.equal(Balances.TotalIssuance.get(st), ti - recycled);
    // The subnet is gone.
    assert.equal(S.NetworksAdded.get(st, 1), false);
    assert.equal(S.TotalNetworks.get(st), 1);
    for (const item of [
      S.SubnetTAO,
      S.SubnetAlphaIn,
      S.SubnetAlphaOut,
      S.Tempo,
      S.Burn,
      S.TokenSymbol,
    ])
      assert.equal((item as { tryGet(s: unknown, n: number): unknown }).tryGet(st, 1), undefined);
    assert.equal(S.SubnetOwner.tryGet(st, 1), undefined);
    assert.equal(S.RAORecycledForRegistration.tryGet(st, 1), undefined);
    assert.equal(S.SubnetIdentitiesV3.tryGet(st, 1), undefined);
    assert.equal(S.Uids.tryGet(st, 1, OWNER_HOT), undefined);
    assert.equal(S.Keys.tryGet(st, 1, 0), undefined);
    assert.equal(S.IsNetworkMember.get(st, OWNER_HOT, 1), false);
    assert.equal(S.Axons.tryGet(st, 1, OWNER_HOT), undefined);
    assert.equal(S.AlphaV2.tryGet(st, hot(2), bob.publicKey, 1), undefined);
    assert.equal(S.TotalHotkeyAlpha.tryGet(st, hot(3), 1), undefined);
    assert.equal(S.ChildKeys.tryGet(st, hot(2), 1), undefined);
    assert.deepEqual(S.ChildKeys.get(st, hot(2), 0), [[5n, hot(3)]], 'other subnets untouched');
    assert.equal(Swap.FeeRate.tryGet(st, 1), undefined);
    assert.equal(Swap.PalSwapInitialized.tryGet(st, 1), undefined);
    // Root stays, and the netuid is free again.
    assert.equal(S.NetworksAdded.get(st, 0), true);
    h.edit((ov) => S.NetworkRateLimit.set(ov, 0n));
    submitOk(h, dave, registerNetwork(hot(8)));
    assert.deepEqual(S.SubnetOwner.get(st, 1), dave.publicKey);
  });

  it('refunds owners of subnets registered before NetworkRegistrationStartBlock', () => {
    const h = harness();
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    h.edit((ov) => S.NetworkRegistrationStartBlock.set(ov, 1_000n));
    const aliceFree = h.free(alice.publicKey);
    // No stakers: the whole pot is the protocol's share, so only TAO beyond it can refund.
    h.edit((ov) => {
      const acc = System.Account.get(ov, subnetAccount(1));
      acc.data.free += 2_000n * TAO;
      System.Account.set(ov, subnetAccount(1), acc);
      Balances.TotalIssuance.set(ov, Balances.TotalIssuance.get(ov) + 2_000n * TAO);
      S.TotalIssuance.set(ov, S.TotalIssuance.get(ov) + 2_000n * TAO);
    });
    const { error } = sudo(h, sub({ type: 'root_dissolve_network', value: { netuid: 1 } }));
    assert.equal(error, undefined);
    // lock − the owner cut (11796/65535 in U96F32) of the 1000 alpha issued, valued at price 1.
    const cut = (11_796n << 32n) / 65_535n;
    const ownerAlpha = (1_000n * TAO * cut) >> 32n;
    assert.equal(h.free(alice.publicKey) - aliceFree, 1_000n * TAO - ownerAlpha);
    assert.equal(h.free(subnetAccount(1)), 500n, 'the rest is recycled');
  });

  it('is root only, and never dissolves root or an unknown subnet', () => {
    const h = harness();
    submitOk(h, alice, registerNetwork(OWNER_HOT));
    submitFails(
      h,
      alice,
      sub({ type: 'root_dissolve_network', value: { netuid: 1 } }),
      'BadOrigin',
    );
    submitFails(
      h,
      alice,
      sub({ type: 'dissolve_network', value: { coldkey: alice.publicKey, netuid: 1 } }),
      'BadOrigin',
    );
    assert.equal(
      sudo(h, sub({ type: 'root_dissolve_network', value: { netuid: 0 } })).error,
      'SubtensorModule.SubnetNotExists',
    );
    assert.equal(
      sudo(h, sub({ type: 'root_dissolve_network', value: { netuid: 9 } })).error,
      'SubtensorModule.SubnetNotExists',
    );
    assert.equal(S.NetworksAdded.get(h.state, 1), true);
  });
});

describe('symbols', () => {
  it('has the 439 distinct upstream symbols, the root symbol first', () => {
    assert.equal(SUBNET_SYMBOLS.length, 439);
    assert.equal(new Set(SUBNET_SYMBOLS.map((s) => toHex(s))).size, 439);
    assert.deepEqual(symbolForSubnet(0), new Uint8Array([0xce, 0xa4]));
    assert.deepEqual(symbolForSubnet(19), utf8('t'));
    assert.deepEqual(symbolForSubnet(90), new Uint8Array([0xe1, 0x9a, 0x80]));
    assert.deepEqual(symbolForSubnet(438), new Uint8Array([0xe0, 0xb6, 0xb0]));
    assert.deepEqual(symbolForSubnet(439), symbolForSubnet(0));
    assert.throws(() => symbolForSubnet(-1), RangeError);
  });
});
