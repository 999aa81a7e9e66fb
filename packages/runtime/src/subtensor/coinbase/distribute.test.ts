import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RuntimeEvent, SubtensorStorage as S } from '@taoscript/chain-types';
import { fxFromInt, fxMul, fxToU64, I96F32, toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import type { RuntimeHarness } from '@taoscript/testkit';
import fc from 'fast-check';
import {
  ALICE,
  genesisSubnets,
  ownHotkeys,
  subtensorPayloads,
  U64_MAX,
} from '../../../test/subtensor-fixtures.js';
import type { DispatchContext } from '../../dispatch.js';
import { Overlay } from '../../state.js';
import { appendNeuron } from '../registration.js';
import { creditStake, stakeOf } from '../share-pool.js';
import {
  calculateDividendDistribution,
  calculateDividendsAndIncentives,
  distributeDividendsAndIncentives,
  distributeEmission,
  type HotkeyAmounts,
  increaseRootClaimable,
  LEASE_DIVIDENDS_DISTRIBUTION_INTERVAL,
  ownerHotkeys,
  parentChildDividends,
  selfContribution,
} from './distribute.js';
import '../index.js';

const seed = Number(process.env.FC_SEED ?? 1);
const NET = 1;
const key = (uri: string) => keypairFromUri(uri).publicKey;
const OWNER_HOT = key('//DistOwnerHot');
const OH2 = key('//DistOwnerHot2');
const V1 = key('//DistV1');
const V2 = key('//DistV2');
const M1 = key('//DistM1');
const M2 = key('//DistM2');
const C1 = key('//DistC1');
const C2 = key('//DistC2');
const CM1 = key('//DistCM1');
const CM2 = key('//DistCM2');
const P = key('//DistParent');
const CP = key('//DistParentCold');
const N1 = key('//DistNominator');
const DEST = key('//DistDestination');
const BLOCK = 1000;
/** 2^62 / u64::MAX as U96F32 floors to exactly 0.25; 2^63 to exactly 0.5. */
const QUARTER_OF_U64 = 1n << 62n;
/** 13_107 / 65_535 = 0.2, which U96F32 floors to 858_993_459 / 2^32. */
const TAKE_20 = 13_107;
const FX = (n: bigint) => n << 32n;

/**
 * Subnet 1 of Alice (owner hotkey uid 0) with V1 (uid 1), V2 (uid 2), M1 (uid 3), M2 (uid 4) and
 * Alice's second hotkey OH2 (uid 5, registered at block 9).
 */
function world(): RuntimeHarness {
  const h = genesisSubnets(OWNER_HOT);
  ownHotkeys(h, [
    [V1, C1],
    [V2, C2],
    [M1, CM1],
    [M2, CM2],
    [P, CP],
    [OH2, ALICE],
  ]);
  h.edit((ov) => {
    appendNeuron(ov, NET, V1, 5n);
    appendNeuron(ov, NET, V2, 6n);
    appendNeuron(ov, NET, M1, 7n);
    appendNeuron(ov, NET, M2, 8n);
    appendNeuron(ov, NET, OH2, 9n);
    S.SubnetAlphaOut.set(ov, NET, 1_000_000_000_000n);
    S.TaoWeight.set(ov, 0n);
  });
  return h;
}

interface Ctx {
  ctx: DispatchContext;
  ov: Overlay;
  events: RuntimeEvent[];
}

function context(h: RuntimeHarness, block = BLOCK): Ctx {
  const ov = new Overlay(h.state);
  const events: RuntimeEvent[] = [];
  return { ov, events, ctx: { state: ov, blockNumber: block, deposit: (e) => events.push(e) } };
}

/** Runs `fn` on a fresh context and commits its writes; returns the context. */
function apply(h: RuntimeHarness, fn: (ctx: DispatchContext) => void, block = BLOCK): Ctx {
  const c = context(h, block);
  fn(c.ctx);
  h.state.apply(c.ov.changes());
  return c;
}

const pay = (
  h: RuntimeHarness,
  ownerCut: bigint,
  incentives: HotkeyAmounts,
  alphaDivs: HotkeyAmounts = [],
  rootDivs: HotkeyAmounts = [],
  block = BLOCK,
) =>
  apply(
    h,
    (ctx) => distributeDividendsAndIncentives(ctx, NET, ownerCut, incentives, alphaDivs, rootDivs),
    block,
  );

const st = (h: RuntimeHarness) => new Overlay(h.state);
const alphaOut = (h: RuntimeHarness) => S.SubnetAlphaOut.get(st(h), NET);
/** As a lookup by hotkey. */
const asMap = (v: HotkeyAmounts) => new Map(v.map(([k, a]) => [toHex(k), a]));

describe('owner cut', () => {
  it('is staked to (SubnetOwnerHotkey, SubnetOwner) and moves no issuance', () => {
    const h = world();
    const before = alphaOut(h);
    const { events } = pay(h, 1000n, []);
    assert.equal(stakeOf(st(h), OWNER_HOT, ALICE, NET), 1000n);
    assert.equal(S.TotalHotkeyAlpha.get(st(h), OWNER_HOT, NET), 1000n);
    assert.equal(alphaOut(h), before);
    assert.equal(S.MinerBurned.tryGet(st(h), NET), 0n, 'MinerBurned is written even when 0');
    assert.equal(S.Lock.tryGet(st(h), ALICE, NET, OWNER_HOT), undefined, 'no auto-lock by default');
    assert.deepEqual(events, []);
  });

  it('is not paid without a stored SubnetOwnerHotkey', () => {
    const h = world();
    h.edit((ov) => S.SubnetOwnerHotkey.remove(ov, NET));
    pay(h, 1000n, []);
    assert.equal(S.TotalHotkeyAlpha.get(st(h), OWNER_HOT, NET), 0n);
  });

  it('is locked for the owner when OwnerCutAutoLockEnabled', () => {
    const h = world();
    h.edit((ov) => S.OwnerCutAutoLockEnabled.set(ov, NET, true));
    const { events } = pay(h, 1000n, []);
    assert.equal(S.Lock.tryGet(st(h), ALICE, NET, OWNER_HOT)?.locked_mass, 1000n);
    assert.deepEqual(subtensorPayloads(events), [
      {
        type: 'StakeLocked',
        value: { coldkey: ALICE, hotkey: OWNER_HOT, netuid: NET, amount: 1000n },
      },
    ]);
    // The next cut tops up the same lock (same block: no decay in between).
    pay(h, 500n, []);
    assert.equal(S.Lock.tryGet(st(h), ALICE, NET, OWNER_HOT)?.locked_mass, 1500n);
    assert.equal(S.TotalHotkeyAlpha.get(st(h), OWNER_HOT, NET), 1500n);
  });
});

describe('incentives', () => {
  const incentives: HotkeyAmounts = [
    [OWNER_HOT, 600n],
    [OH2, 100n],
    [M1, 300n],
  ];
  /** 700 / 1000 as U96F32: floor(0.7 · 2^32). */
  const SEVEN_TENTHS = 3_006_477_107n;

  it('burns what the owner coldkey’s hotkeys earn by default and records MinerBurned', () => {
    const h = world();
    const before = alphaOut(h);
    pay(h, 0n, incentives);
    assert.equal(stakeOf(st(h), M1, CM1, NET), 300n);
    assert.equal(S.TotalHotkeyAlpha.get(st(h), OWNER_HOT, NET), 0n);
    assert.equal(S.TotalHotkeyAlpha.get(st(h), OH2, NET), 0n);
    assert.equal(alphaOut(h), before, 'burning leaves SubnetAlphaOut');
    assert.equal(S.MinerBurned.get(st(h), NET), SEVEN_TENTHS);
  });

  it('recycles it under RecycleOrBurn = Recycle', () => {
    const h = world();
    h.edit((ov) => S.RecycleOrBurn.set(ov, NET, { type: 'Recycle' }));
    const before = alphaOut(h);
    pay(h, 0n, incentives);
    assert.equal(alphaOut(h), before - 700n);
    assert.equal(stakeOf(st(h), M1, CM1, NET), 300n);
    assert.equal(S.MinerBurned.get(st(h), NET), SEVEN_TENTHS, 'recycling counts as withheld');
    h.edit((ov) => S.RecycleOrBurn.set(ov, NET, { type: 'Burn' }));
    pay(h, 0n, incentives);
    assert.equal(alphaOut(h), before - 700n);
  });

  it('stakes to the miner coldkey’s AutoStakeDestination and says so', () => {
    const h = world();
    h.edit((ov) => S.AutoStakeDestination.set(ov, CM1, NET, DEST));
    const { events } = pay(h, 0n, [
      [M1, 500n],
      [M2, 40n],
    ]);
    assert.equal(stakeOf(st(h), DEST, CM1, NET), 500n);
    assert.equal(stakeOf(st(h), M1, CM1, NET), 0n);
    assert.equal(stakeOf(st(h), M2, CM2, NET), 40n);
    assert.ok(
      S.StakingHotkeys.get(st(h), CM1).some((k) => toHex(k) === toHex(DEST)),
      'DEST is a staking hotkey of CM1',
    );
    assert.deepEqual(subtensorPayloads(events), [
      {
        type: 'AutoStakeAdded',
        value: { netuid: NET, destination: DEST, hotkey: M1, owner: CM1, incentive: 500n },
      },
    ]);
    assert.equal(S.MinerBurned.get(st(h), NET), 0n);
  });
});

describe('ownerHotkeys', () => {
  it('lists the owner coldkey’s registered hotkeys, newest first, the owner hotkey in front', () => {
    const h = world();
    const OH3 = key('//DistOwnerHot3');
    const OH4 = key('//DistOwnerHot4');
    ownHotkeys(h, [
      [OH3, ALICE],
      [OH4, ALICE],
      [key('//DistUnregistered'), ALICE],
    ]);
    h.edit((ov) => {
      appendNeuron(ov, NET, OH3, 9n); // uid 6, same block as OH2 (uid 5)
      appendNeuron(ov, NET, OH4, 3n); // uid 7
    });
    const names = (v: Uint8Array[]) => v.map(toHex);
    // OWNER_HOT was registered at genesis (block 0), so it sorts last but is already present.
    assert.deepEqual(names(ownerHotkeys(st(h), NET, ALICE)), names([OH2, OH3, OH4, OWNER_HOT]));
    // An owner hotkey of another coldkey goes in front.
    h.edit((ov) => S.SubnetOwnerHotkey.set(ov, NET, V1));
    assert.deepEqual(names(ownerHotkeys(st(h), NET, ALICE)), names([V1, OH2, OH3, OH4, OWNER_HOT]));
    assert.deepEqual(ownerHotkeys(st(h), 2, ALICE), [], 'nothing registered on subnet 2');
  });
});

describe('alpha dividends', () => {
  it('pay the delegate take to the owner and the rest to every nominator', () => {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, V1, C1, NET, 1000n);
      creditStake(ov, V1, N1, NET, 1000n);
      S.Delegates.set(ov, V1, TAKE_20);
      S.AlphaDividendsPerSubnet.set(ov, NET, V2, 5n);
      S.AlphaDividendsPerSubnet.set(ov, 2, V2, 5n);
    });
    pay(h, 0n, [], [[V1, FX(1000n)]]);
    // take = 0.19999999995 × 1000 → 199 staked to C1; rest 800.00000005 → 800 to the pool.
    assert.equal(S.TotalHotkeyAlpha.get(st(h), V1, NET), 2000n + 199n + 800n);
    const c1 = stakeOf(st(h), V1, C1, NET);
    const n1 = stakeOf(st(h), V1, N1, NET);
    // After the take C1 holds 1199 of 2199; the 800 is shared pro rata.
    assert.ok(c1 >= 1634n && c1 <= 1635n, `C1 ${c1}`);
    assert.ok(n1 >= 1363n && n1 <= 1364n, `N1 ${n1}`);
    assert.ok(c1 + n1 <= 2999n, `${c1 + n1}`);
    assert.equal(S.AlphaDividendsPerSubnet.get(st(h), NET, V1), 800n);
    assert.equal(S.AlphaDividendsPerSubnet.tryGet(st(h), NET, V2), undefined, 'cleared');
    assert.equal(S.AlphaDividendsPerSubnet.tryGet(st(h), 2, V2), 5n, 'other subnet kept');
    assert.equal(S.TotalHotkeyAlphaLastEpoch.get(st(h), V1, NET), 2999n);
  });

  it('with no stake in the pool the value has no holder yet', () => {
    const h = world();
    h.edit((ov) => S.Delegates.set(ov, V2, 0));
    pay(h, 0n, [], [[V2, FX(300n)]]);
    assert.equal(S.TotalHotkeyAlpha.get(st(h), V2, NET), 300n);
    assert.equal(stakeOf(st(h), V2, C2, NET), 0n);
  });
});

describe('root alpha dividends', () => {
  it('accrue RootClaimable per unit of root stake, after the take', () => {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, V1, C1, 0, 4000n);
      S.Delegates.set(ov, V1, 0);
      S.RootAlphaDividendsPerSubnet.set(ov, NET, V2, 9n);
    });
    pay(h, 0n, [], [], [[V1, FX(1000n)]]);
    // 1000 / 4000 = 0.25 = 2^30 in I96F32.
    assert.deepEqual(S.RootClaimable.get(st(h), V1), [[NET, 1n << 30n]]);
    assert.equal(S.RootAlphaDividendsPerSubnet.get(st(h), NET, V1), 1000n);
    assert.equal(S.RootAlphaDividendsPerSubnet.tryGet(st(h), NET, V2), undefined, 'cleared');
    assert.equal(S.TotalHotkeyAlpha.get(st(h), V1, NET), 0n, 'nothing staked on the subnet');

    h.edit((ov) => S.Delegates.set(ov, V1, TAKE_20));
    pay(h, 0n, [], [], [[V1, FX(1000n)]]);
    // take 199 to (V1, C1) on the subnet; 800 / 4000 = floor(0.2 · 2^32) = 858_993_459.
    assert.equal(stakeOf(st(h), V1, C1, NET), 199n);
    assert.deepEqual(S.RootClaimable.get(st(h), V1), [[NET, (1n << 30n) + 858_993_459n]]);
    assert.equal(S.RootAlphaDividendsPerSubnet.get(st(h), NET, V1), 800n);
  });

  it('are staked directly when they exceed the root stake; a zero amount still opens an entry', () => {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, V1, C1, 0, 500n);
      S.Delegates.set(ov, V1, 0);
      S.Delegates.set(ov, V2, 0);
    });
    pay(
      h,
      0n,
      [],
      [],
      [
        [V1, FX(1000n)],
        [V2, 0n],
      ],
    );
    assert.equal(stakeOf(st(h), V1, C1, NET), 1000n);
    assert.deepEqual(S.RootClaimable.get(st(h), V1), []);
    assert.deepEqual(S.RootClaimable.get(st(h), V2), [[NET, 0n]]);
    assert.equal(S.RootAlphaDividendsPerSubnet.get(st(h), NET, V1), 1000n);
  });

  it('increaseRootClaimable keeps other subnets’ rates', () => {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, V1, C1, 0, 1000n);
      S.RootClaimable.set(ov, V1, [[3, 7n]]);
      increaseRootClaimable(ov, V1, NET, 500n);
    });
    assert.deepEqual(S.RootClaimable.get(st(h), V1), [
      [NET, 1n << 31n],
      [3, 7n],
    ]);
  });
});

describe('parents and children', () => {
  function family(sameOwner = false) {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, P, CP, NET, 3000n);
      creditStake(ov, V1, C1, NET, 1000n);
      S.ChildKeys.set(ov, P, NET, [[U64_MAX, V1]]);
      S.ParentKeys.set(ov, V1, NET, [[U64_MAX, P]]);
      S.ChildkeyTake.set(ov, V1, NET, TAKE_20);
      S.CKBurn.set(ov, QUARTER_OF_U64);
      if (sameOwner) S.Owner.set(ov, P, C1);
    });
    return h;
  }

  it('give a parent of another coldkey its share less the child take and the recycled CK burn', () => {
    const h = family();
    const before = alphaOut(h);
    let out: HotkeyAmounts = [];
    apply(h, (ctx) => {
      out = parentChildDividends(ctx, V1, NET, 1000n);
    });
    // P contributes 3000 of 4000: 750; burn 0.25 × 750 = 187.5 (recycled, floored); child take
    // 0.19999999995 × 750; P keeps 412.5…; V1 gets 250 + 149.9999… = 399.
    assert.deepEqual(out, [
      [P, 412n],
      [V1, 399n],
    ]);
    assert.equal(alphaOut(h), before - 187n);
  });

  it('pass through untaxed from a parent of the same coldkey', () => {
    const h = family(true);
    const before = alphaOut(h);
    const { ctx } = context(h);
    assert.deepEqual(parentChildDividends(ctx, V1, NET, 1000n), [
      [P, 750n],
      [V1, 250n],
    ]);
    assert.equal(S.SubnetAlphaOut.get(ctx.state, NET), before);
  });

  it('selfContribution is own alpha + TaoWeight × root, less the children’s proportions', () => {
    const h = family();
    h.edit((ov) => {
      creditStake(ov, V1, C1, 0, 400n);
      S.TaoWeight.set(ov, QUARTER_OF_U64);
    });
    assert.equal(selfContribution(st(h), V1, NET), 1100n);
    assert.equal(selfContribution(st(h), P, NET), 0n, 'all of P goes to its child');
  });

  it('calculateDividendsAndIncentives sums incentives and spreads dividends to parents', () => {
    const h = family();
    const { ctx } = context(h);
    const { incentives, dividends } = calculateDividendsAndIncentives(ctx, NET, [
      { hotkey: V1, serverEmission: 0n, validatorEmission: 1000n },
      { hotkey: M1, serverEmission: 500n, validatorEmission: 0n },
    ]);
    assert.deepEqual(
      asMap(incentives),
      new Map([
        [toHex(V1), 0n],
        [toHex(M1), 500n],
      ]),
    );
    assert.deepEqual(
      asMap(dividends),
      new Map([
        [toHex(P), FX(412n)],
        [toHex(V1), FX(399n)],
        [toHex(M1), 0n],
      ]),
    );
    const order = dividends.map(([k]) => toHex(k));
    assert.deepEqual(order, [...order].sort(), 'hotkey byte order');
  });
});

describe('calculateDividendDistribution', () => {
  it('splits each dividend by root proportion and rescales to the pending pots', () => {
    const { alphaDividends, rootAlphaDividends } = calculateDividendDistribution(
      3000n,
      700n,
      1n << 30n, // TaoWeight 0.25
      [
        // 4000 root × 0.25 = 1000 of 4000: a quarter of 1000 is root.
        { hotkey: V1, dividend: FX(1000n), alphaStake: 3000n, rootStake: 4000n },
        { hotkey: V2, dividend: FX(750n), alphaStake: 1000n, rootStake: 0n },
        { hotkey: M1, dividend: FX(5n), alphaStake: 0n, rootStake: 0n },
      ],
    );
    // Alpha parts 750, 750, 5 of 1505 → × 3000; root parts 250, 0, 0 of 250 → × 700.
    // M1's share floor(5 · 2^32 / 1505) = 14_268_994, times 3000: ≈ 9.9668 alpha.
    const a = asMap(alphaDividends);
    assert.equal(a.get(toHex(M1)), 3000n * 14_268_994n);
    assert.equal(a.get(toHex(V1)), 3000n * ((750n << 32n) / 1505n));
    assert.equal(a.get(toHex(V2)), a.get(toHex(V1)));
    assert.deepEqual(
      asMap(rootAlphaDividends),
      new Map([
        [toHex(V1), FX(700n)],
        [toHex(V2), 0n],
        [toHex(M1), 0n],
      ]),
    );
  });

  it('rescales exactly when the shares are exact', () => {
    const { alphaDividends } = calculateDividendDistribution(3000n, 0n, 1n << 30n, [
      { hotkey: V1, dividend: FX(1000n), alphaStake: 3000n, rootStake: 4000n },
      { hotkey: V2, dividend: FX(750n), alphaStake: 1000n, rootStake: 0n },
    ]);
    assert.deepEqual(
      asMap(alphaDividends),
      new Map([
        [toHex(V1), FX(1500n)],
        [toHex(V2), FX(1500n)],
      ]),
    );
  });
});

describe('input checks', () => {
  it('reject malformed maps, amounts and subnets', () => {
    const h = world();
    const { ctx, ov } = context(h);
    const call = (inc: unknown, alpha: unknown = [], root: unknown = [], netuid = NET) =>
      distributeDividendsAndIncentives(
        ctx,
        netuid,
        0n,
        inc as HotkeyAmounts,
        alpha as HotkeyAmounts,
        root as HotkeyAmounts,
      );
    assert.throws(
      () =>
        call([
          [M1, 1n],
          [M1, 2n],
        ]),
      RangeError,
    );
    assert.throws(() => call([[new Uint8Array(31), 1n]]), RangeError);
    assert.throws(() => call([['x', 1n]]), TypeError);
    assert.throws(() => call([[M1, -1n]]), RangeError);
    assert.throws(() => call([[M1, 1n << 64n]]), RangeError);
    assert.throws(() => call([[M1, 1]]), TypeError);
    assert.throws(() => call([M1]), TypeError);
    assert.throws(() => call({}), TypeError);
    assert.throws(() => call([], [[V1, 1n << 128n]]), RangeError);
    assert.throws(() => call([], [], [[V1, -1n]]), RangeError);
    assert.throws(() => call([], [], [], 70_000), RangeError);
    assert.throws(() => distributeEmission(ctx, NET, null as never), TypeError);
    assert.throws(
      () => distributeEmission(ctx, NET, { server: 1n, validator: 1n, rootAlpha: 1n } as never),
      TypeError,
    );
    assert.throws(
      () =>
        distributeEmission(ctx, NET, { server: -1n, validator: 0n, rootAlpha: 0n, ownerCut: 0n }),
      RangeError,
    );
    assert.throws(() => parentChildDividends(ctx, V1, NET, 1n << 64n), RangeError);
    assert.throws(() => calculateDividendsAndIncentives(ctx, NET, {} as never), TypeError);
    assert.throws(
      () =>
        calculateDividendDistribution(0n, 0n, 0n, [
          { hotkey: V1, dividend: 0n, alphaStake: 0n, rootStake: 0n },
          { hotkey: V1, dividend: 0n, alphaStake: 0n, rootStake: 0n },
        ]),
      RangeError,
    );
    assert.equal(ov.changes().size, 0, 'a rejected call writes nothing');
  });
});

describe('stake conservation', () => {
  it('never stakes more alpha than it is given (property)', () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 15n });
    const hotkeys = [V1, V2, M1, M2, OWNER_HOT];
    fc.assert(
      fc.property(
        amount,
        fc.array(amount, { minLength: 5, maxLength: 5 }),
        fc.array(amount, { minLength: 5, maxLength: 5 }),
        fc.array(amount, { minLength: 5, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 65_535 }), { minLength: 5, maxLength: 5 }),
        (ownerCut, inc, alpha, root, takes) => {
          const h = world();
          h.edit((ov) => {
            hotkeys.forEach((hk, i) => {
              S.Delegates.set(ov, hk, takes[i] as number);
              creditStake(ov, hk, N1, 0, 10n ** 12n * BigInt(i));
            });
          });
          const total = (s: Overlay) =>
            hotkeys.reduce((acc, hk) => acc + S.TotalHotkeyAlpha.get(s, hk, NET), 0n) +
            S.TotalHotkeyAlpha.get(s, DEST, NET);
          const beforeStake = total(st(h));
          const beforeOut = alphaOut(h);
          const zip = (v: bigint[], fx: boolean): HotkeyAmounts =>
            hotkeys.map((hk, i) => [hk, fx ? FX(v[i] as bigint) : (v[i] as bigint)]);
          pay(h, ownerCut, zip(inc, false), zip(alpha, true), zip(root, true));
          const after = st(h);
          const staked = total(after) - beforeStake;
          // What root stakers can claim: rate × root stake, per hotkey.
          let claimable = 0n;
          let rateLoss = 0n;
          for (const hk of hotkeys) {
            // The I96F32 rate floors away up to root stake / 2^32 alpha.
            rateLoss += (S.TotalHotkeyAlpha.get(after, hk, 0) >> 32n) + 1n;
            const rate = S.RootClaimable.get(after, hk).find(([n]) => n === NET)?.[1] ?? 0n;
            const rootStake = fxFromInt(I96F32, S.TotalHotkeyAlpha.get(after, hk, 0));
            claimable += fxToU64(I96F32, fxMul(I96F32, rate, rootStake));
          }
          const given = ownerCut + [...inc, ...alpha, ...root].reduce((a, b) => a + b, 0n);
          const withheld = inc[4] as bigint; // the owner hotkey's incentive is burned
          assert.ok(staked + claimable + withheld <= given, 'no alpha from nothing');
          // Each dividend loses at most a rao to flooring its take and its remainder, a root
          // dividend also what its claimable rate floors away.
          const lost = given - (staked + claimable + withheld);
          assert.ok(lost <= 20n + rateLoss, `and little is lost (${lost})`);
          assert.equal(alphaOut(h), beforeOut, 'staking does not change issuance');
        },
      ),
      { seed, numRuns: 40 },
    );
  });
});

describe('subnet leases', () => {
  const LEASE = 3;
  const BEN = key('//DistBeneficiary');
  const K1 = key('//DistContributor');
  function leased(): RuntimeHarness {
    const h = world();
    h.edit((ov) => {
      S.SubnetLeases.set(ov, LEASE, {
        beneficiary: BEN,
        coldkey: ALICE,
        hotkey: OWNER_HOT,
        emissions_share: 50,
        end_block: undefined,
        netuid: NET,
        cost: 0n,
      });
      S.SubnetUidToLeaseId.set(ov, NET, LEASE);
      S.SubnetLeaseShares.set(ov, LEASE, K1, 1n << 63n); // half of the contributors' cut
    });
    return h;
  }
  const interval = Number(LEASE_DIVIDENDS_DISTRIBUTION_INTERVAL);

  it('accumulate the contributors’ share between distribution blocks', () => {
    const h = leased();
    pay(h, 1001n, [], [], [], interval + 1);
    // ⌈1001 × 50%⌉ = 501 accumulates; the whole cut stays with the lease's owner position.
    assert.equal(S.AccumulatedLeaseDividends.get(st(h), LEASE), 501n);
    assert.equal(stakeOf(st(h), OWNER_HOT, ALICE, NET), 1001n);
  });

  it('are moved to contributors and the beneficiary on a distribution block', () => {
    const h = leased();
    h.edit((ov) => S.AccumulatedLeaseDividends.set(ov, LEASE, 1_000_000_000n));
    const { events } = pay(h, 10_000_000_000n, [], [], [], 2 * interval);
    // 1e9 accumulated + 5e9 now = 6e9: K1 gets ⌈0.5 × 6e9⌉, the beneficiary the rest.
    assert.equal(stakeOf(st(h), OWNER_HOT, K1, NET), 3_000_000_000n);
    assert.equal(stakeOf(st(h), OWNER_HOT, BEN, NET), 3_000_000_000n);
    assert.equal(stakeOf(st(h), OWNER_HOT, ALICE, NET), 4_000_000_000n);
    assert.equal(S.AccumulatedLeaseDividends.get(st(h), LEASE), 0n);
    const paid = subtensorPayloads(events).filter(
      (e) => e.type === 'SubnetLeaseDividendsDistributed',
    );
    assert.deepEqual(paid, [
      {
        type: 'SubnetLeaseDividendsDistributed',
        value: { lease_id: LEASE, contributor: K1, alpha: 3_000_000_000n },
      },
      {
        type: 'SubnetLeaseDividendsDistributed',
        value: { lease_id: LEASE, contributor: BEN, alpha: 3_000_000_000n },
      },
    ]);
  });

  it('keep accumulating when a transfer is refused, undoing the partial moves', () => {
    const h = leased();
    const { events } = pay(h, 1000n, [], [], [], interval);
    assert.equal(S.AccumulatedLeaseDividends.get(st(h), LEASE), 500n);
    assert.equal(stakeOf(st(h), OWNER_HOT, K1, NET), 0n);
    assert.equal(stakeOf(st(h), OWNER_HOT, ALICE, NET), 1000n);
    assert.deepEqual(subtensorPayloads(events), []);
  });

  it('stop when the lease has ended', () => {
    const h = leased();
    h.edit((ov) => {
      const lease = S.SubnetLeases.get(ov, LEASE);
      S.SubnetLeases.set(ov, LEASE, { ...lease, end_block: interval });
    });
    pay(h, 1000n, [], [], [], interval + 1);
    assert.equal(S.AccumulatedLeaseDividends.get(st(h), LEASE), 0n);
  });
});

describe('distributeEmission (with the epoch)', () => {
  const ALL = [OWNER_HOT, V1, V2, M1, M2, OH2];
  /** What the coinbase drains after a tempo with an 18% owner cut: miners get half the rest. */
  const PENDING = { server: 410_000_000n, validator: 300_000_000n, rootAlpha: 110_000_000n };
  const DRAINED = { ...PENDING, ownerCut: 180_000_000n };

  /** V1 (6000 alpha, 1000 root) and V2 (4000 alpha) validate; both weight M1 over M2. */
  function subnet(weights = true): RuntimeHarness {
    const h = world();
    h.edit((ov) => {
      creditStake(ov, V1, C1, NET, 6_000_000_000_000n);
      creditStake(ov, V2, C2, NET, 4_000_000_000_000n);
      creditStake(ov, V1, C1, 0, 1_000_000_000_000n);
      S.TaoWeight.set(ov, 971_718_665_099_567_868n);
      S.ValidatorPermit.set(ov, NET, [true, true, true, false, false, false]);
      S.LastUpdate.set(ov, NET, [0n, 990n, 990n, 0n, 0n, 0n]);
      if (weights) {
        S.Weights.set(ov, NET, 1, [
          [3, 65_535],
          [4, 32_767],
        ]);
        S.Weights.set(ov, NET, 2, [
          [3, 65_535],
          [4, 21_845],
        ]);
      }
    });
    return h;
  }

  /** Σ pool values on the subnet, the recorded root dividends and SubnetAlphaOut. */
  function ledger(h: RuntimeHarness) {
    const s = st(h);
    const pools = ALL.reduce((acc, hk) => acc + S.TotalHotkeyAlpha.get(s, hk, NET), 0n);
    const roots = ALL.reduce((acc, hk) => acc + S.RootAlphaDividendsPerSubnet.get(s, NET, hk), 0n);
    return { pools, roots, out: S.SubnetAlphaOut.get(s, NET) };
  }

  it('pays miners by incentive, validators by dividends, and accounts for every rao', () => {
    const h = subnet();
    const before = ledger(h);
    const v1 = S.TotalHotkeyAlpha.get(st(h), V1, NET);
    const v2 = S.TotalHotkeyAlpha.get(st(h), V2, NET);
    const { events } = apply(h, (ctx) => distributeEmission(ctx, NET, DRAINED));
    const s = st(h);

    const incentive = S.Incentive.get(s, NET);
    assert.ok((incentive[3] ?? 0) > (incentive[4] ?? 0) && (incentive[4] ?? 0) > 0, `${incentive}`);
    const m1 = stakeOf(s, M1, CM1, NET);
    const m2 = stakeOf(s, M2, CM2, NET);
    assert.ok(m1 > m2 && m2 > 0n, `miners ${m1} ${m2}`);
    // Miners get the server half; the epoch's flooring loses at most a rao per uid.
    assert.ok(m1 + m2 <= PENDING.server && m1 + m2 >= PENDING.server - 6n, `${m1 + m2}`);

    // Validators' pools grew by their alpha dividends plus the delegate take.
    const grew1 = S.TotalHotkeyAlpha.get(s, V1, NET) - v1;
    const grew2 = S.TotalHotkeyAlpha.get(s, V2, NET) - v2;
    const recorded1 = S.AlphaDividendsPerSubnet.get(s, NET, V1);
    const recorded2 = S.AlphaDividendsPerSubnet.get(s, NET, V2);
    assert.ok(recorded1 > recorded2 && recorded2 > 0n, `${recorded1} ${recorded2}`);
    // V2 has no root stake: its growth is its alpha dividend, of which the default 18% delegate
    // take went to its owner and the rest (recorded) to the pool.
    const take2 = grew2 - recorded2;
    const ratio = (take2 * 65_535n) / grew2;
    assert.ok(ratio >= 11_795n && ratio <= 11_796n, `take ${take2} of ${grew2}`);
    // V1 alone holds root stake: the root pot went to it — its take staked on the subnet, the
    // rest made claimable by its root stakers.
    const rootRest = S.RootAlphaDividendsPerSubnet.get(s, NET, V1);
    assert.ok(rootRest > 0n, 'V1 root dividends');
    assert.equal(S.RootAlphaDividendsPerSubnet.get(s, NET, V2), 0n);
    assert.ok(
      S.RootClaimable.get(s, V1).some(([n, r]) => n === NET && r > 0n),
      'claimable',
    );
    const validators = grew1 + grew2 + rootRest;
    const pots = PENDING.validator + PENDING.rootAlpha;
    assert.ok(validators <= pots && validators >= pots - 6n, `validators ${validators} of ${pots}`);
    assert.equal(stakeOf(s, OWNER_HOT, ALICE, NET), DRAINED.ownerCut);
    assert.equal(S.MinerBurned.get(s, NET), 0n);

    const after = ledger(h);
    const paid =
      after.pools - before.pools + (after.roots - before.roots) + (before.out - after.out);
    const drained = DRAINED.server + DRAINED.validator + DRAINED.rootAlpha + DRAINED.ownerCut;
    const n = BigInt(S.SubnetworkN.get(s, NET));
    assert.ok(paid <= drained && drained - paid <= n, `drained ${drained}, paid ${paid}`);
    assert.equal(after.out, before.out, 'nothing recycled');
    assert.equal(
      subtensorPayloads(events).filter((e) => e.type === 'IncentiveAlphaEmittedToMiners').length,
      1,
    );
  });

  it('burns what the owner hotkey mines and lowers its next emission share', () => {
    const h = subnet();
    h.edit((ov) => {
      S.Weights.set(ov, NET, 1, [
        [0, 65_535],
        [3, 65_535],
      ]);
      S.Weights.set(ov, NET, 2, [
        [0, 65_535],
        [3, 65_535],
      ]);
    });
    const before = ledger(h);
    apply(h, (ctx) => distributeEmission(ctx, NET, DRAINED));
    const s = st(h);
    // The owner hotkey and M1 share the miners' half; the owner's share is burned.
    assert.equal(stakeOf(s, OWNER_HOT, ALICE, NET), DRAINED.ownerCut, 'only the owner cut');
    const burned = S.MinerBurned.get(s, NET);
    assert.ok(burned > (1n << 31n) - 10n && burned < (1n << 31n) + 10n, `≈ half: ${burned}`);
    const after = ledger(h);
    const paid = after.pools - before.pools + (after.roots - before.roots);
    const drained = DRAINED.server + DRAINED.validator + DRAINED.rootAlpha + DRAINED.ownerCut;
    const burnedAlpha = drained - paid;
    assert.ok(
      burnedAlpha >= 205_000_000n - 6n && burnedAlpha <= 205_000_000n + 6n,
      `burned ${burnedAlpha}`,
    );
    assert.equal(after.out, before.out, 'burning keeps SubnetAlphaOut');
  });

  it('gives validators the server alpha too when nobody earned incentive', () => {
    const h = subnet(false);
    const v1 = S.TotalHotkeyAlpha.get(st(h), V1, NET);
    const v2 = S.TotalHotkeyAlpha.get(st(h), V2, NET);
    apply(h, (ctx) => distributeEmission(ctx, NET, DRAINED));
    const s = st(h);
    assert.deepEqual(S.Incentive.get(s, NET), [0, 0, 0, 0, 0, 0]);
    assert.equal(S.TotalHotkeyAlpha.get(s, M1, NET), 0n);
    // Their pools grew by the server and validator pots and V1's root take; the rest of the root
    // pot is claimable.
    const grew =
      S.TotalHotkeyAlpha.get(s, V1, NET) -
      v1 +
      (S.TotalHotkeyAlpha.get(s, V2, NET) - v2) +
      S.RootAlphaDividendsPerSubnet.get(s, NET, V1);
    const pot = PENDING.validator + PENDING.server + PENDING.rootAlpha;
    assert.ok(grew <= pot && grew >= pot - 6n, `validators got ${grew} of ${pot}`);
    const recorded =
      S.AlphaDividendsPerSubnet.get(s, NET, V1) + S.AlphaDividendsPerSubnet.get(s, NET, V2);
    // After the 18% takes, 82% of the alpha pot: more than the validator pot alone could give.
    assert.ok(recorded > PENDING.validator, `recorded alpha dividends ${recorded}`);
    assert.equal(S.MinerBurned.get(s, NET), 0n);
  });
});
