import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  type DispatchError,
  type RuntimeCall,
  SubtensorStorage as S,
  type SubtensorCall,
} from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';
import { devKeypair, runtimeHarness } from '@taoscript/testkit';
import fc from 'fast-check';
import { dispatchAt, dispatchError, dispatchOk } from '../../test/subtensor-fixtures.js';
import { describeDispatchError, type Origin } from '../dispatch.js';
import { Overlay } from '../state.js';
import {
  checkVecMaxLimited,
  checkWeightsMinStake,
  commitHash,
  inheritedAlphaOnSubnet,
  inheritedTaoOnSubnet,
  maxUpscaleU16,
  mechanismStorageIndex,
  stakeWeightsForHotkeyOnSubnet,
} from './weights.js';

const seed = Number(process.env.FC_SEED ?? 1);
const U64_MAX = (1n << 64n) - 1n;
const NET = 1;

type Harness = ReturnType<typeof runtimeHarness>;
const acct = (n: number) => new Uint8Array(32).fill(n);
const signed = (who: Uint8Array): Origin => ({ type: 'Signed', who });
const ROOT: Origin = { type: 'Root' };
const sub = (value: SubtensorCall): RuntimeCall => ({ type: 'SubtensorModule', value });

interface SubnetOpts {
  netuid?: number;
  hotkeys: Uint8Array[];
  permits?: boolean[];
  ownerHotkey?: Uint8Array;
  mechanisms?: number;
}

/** Seeds a subnet with registered neurons the way registration leaves them. */
function seedSubnet(h: Harness, o: SubnetOpts) {
  const netuid = o.netuid ?? NET;
  h.edit((ov) => {
    S.NetworksAdded.set(ov, netuid, true);
    S.SubnetworkN.set(ov, netuid, o.hotkeys.length);
    S.SubnetOwner.set(ov, netuid, acct(200));
    o.hotkeys.forEach((hk, uid) => {
      S.Keys.set(ov, netuid, uid, hk);
      S.Uids.set(ov, netuid, hk, uid);
      S.IsNetworkMember.set(ov, hk, netuid, true);
      S.Owner.set(ov, hk, acct(201));
    });
    S.ValidatorPermit.set(ov, netuid, o.permits ?? o.hotkeys.map(() => true));
    S.MinAllowedWeights.set(ov, netuid, 1);
    S.Tempo.set(ov, netuid, 1000);
    S.LastEpochBlock.set(ov, netuid, 1n);
    if (o.ownerHotkey) S.SubnetOwnerHotkey.set(ov, netuid, o.ownerHotkey);
    if (o.mechanisms) S.MechanismCountCurrent.set(ov, netuid, o.mechanisms);
  });
}

const [A, B, C, D] = [acct(1), acct(2), acct(3), acct(4)];
const setWeights = (netuid: number, dests: number[], weights: number[], version_key = 0n) =>
  sub({ type: 'set_weights', value: { netuid, dests, weights, version_key } });

describe('commit hash', () => {
  type Case = {
    id: string;
    hotkey_public_key: string;
    storage_index: number;
    uids: number[];
    values: number[];
    salt: number[];
    version_key_decimal: string;
    commit_hash: string;
  };
  const url = new URL('../../test/vectors/commit_hash.json', import.meta.url);
  const cases = (JSON.parse(readFileSync(url, 'utf8')) as { cases: Case[] }).cases;

  it('matches every known-answer case', () => {
    assert.equal(cases.length, 6);
    for (const c of cases) {
      const got = commitHash(
        fromHex(c.hotkey_public_key),
        c.storage_index,
        c.uids,
        c.values,
        c.salt,
        BigInt(c.version_key_decimal),
      );
      assert.equal(toHex(got), c.commit_hash, c.id);
    }
  });

  it('uses the mechanism storage index the vectors name', () => {
    assert.equal(mechanismStorageIndex(1, 0), 1);
    assert.equal(mechanismStorageIndex(1, 1), 4097);
    assert.equal(mechanismStorageIndex(4095, 15), 65_535);
    assert.equal(mechanismStorageIndex(5, 16), 65_535, 'saturates at u16::MAX');
    assert.throws(() => mechanismStorageIndex(65_536, 0), RangeError);
    assert.throws(() => mechanismStorageIndex(1, 256), RangeError);
  });

  it('rejects malformed input', () => {
    const who = new Uint8Array(32);
    assert.throws(() => commitHash('x' as never, 1, [], [], [], 0n), TypeError);
    assert.throws(() => commitHash(new Uint8Array(31), 1, [], [], [], 0n), RangeError);
    assert.throws(() => commitHash(who, 70_000, [], [], [], 0n), RangeError);
    assert.throws(() => commitHash(who, 1, 'ab' as never, [], [], 0n), TypeError);
    assert.throws(() => commitHash(who, 1, [1.5], [], [], 0n), TypeError);
    assert.throws(() => commitHash(who, 1, [], [65_536], [], 0n), RangeError);
    assert.throws(() => commitHash(who, 1, [], [], [-1], 0n), RangeError);
    assert.throws(() => commitHash(who, 1, [], [], [], 1 as never), TypeError);
    assert.throws(() => commitHash(who, 1, [], [], [], U64_MAX + 1n), RangeError);
  });
});

describe('max upscale and max-weight limit', () => {
  it('upscales so the largest weight is 65535, rounding half away from zero', () => {
    assert.deepEqual(maxUpscaleU16([]), []);
    assert.deepEqual(maxUpscaleU16([0, 0]), [0, 0]);
    assert.deepEqual(maxUpscaleU16([1, 2, 4]), [16_384, 32_768, 65_535]);
    assert.deepEqual(maxUpscaleU16([100, 33]), [65_535, 21_627]);
    // Above 32768 subtensor divides first (65535 / max, truncated to 32 bits), then multiplies.
    assert.deepEqual(maxUpscaleU16([40_000, 1]), [65_535, 2]);
    assert.deepEqual(maxUpscaleU16([65_535, 32_768, 16_384]), [65_535, 32_768, 16_384]);
  });

  it('stays within one unit of the exact ratio and keeps the maximum at 65535', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 65_535 }), { maxLength: 40 }), (v) => {
        const out = maxUpscaleU16(v);
        const m = Math.max(0, ...v);
        assert.equal(out.length, v.length);
        v.forEach((e, i) => {
          const exact = m === 0 ? 0 : (e * 65_535) / m;
          assert.ok(Math.abs((out[i] as number) - exact) <= 1, `${e}/${m} → ${out[i]}`);
          if (e === m && m > 0) assert.equal(out[i], 65_535);
        });
      }),
      { seed, numRuns: 300 },
    );
  });

  it('leaves an already max-upscaled vector unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 65_535 }), { maxLength: 20 }), (v) => {
        const w = [...v, 65_535];
        assert.deepEqual(maxUpscaleU16(w), w);
      }),
      { seed, numRuns: 200 },
    );
  });

  it('checks the normalised maximum against limit/65535', () => {
    assert.equal(checkVecMaxLimited([], 0), true);
    assert.equal(checkVecMaxLimited([0, 0], 0), true);
    assert.equal(checkVecMaxLimited([1, 1], 32_768), true);
    assert.equal(checkVecMaxLimited([1, 1], 32_767), false);
    assert.equal(checkVecMaxLimited([3, 1], 49_152), true);
    assert.equal(checkVecMaxLimited([3, 1], 49_151), false);
  });

  it('rejects malformed input', () => {
    assert.throws(() => maxUpscaleU16(null as never), TypeError);
    assert.throws(() => maxUpscaleU16([70_000]), RangeError);
    assert.throws(() => checkVecMaxLimited([1], 65_536), RangeError);
    assert.throws(() => checkVecMaxLimited(['1'] as never, 1), TypeError);
  });
});

describe('stake weight', () => {
  it('is inherited alpha plus TaoWeight × inherited root stake, in I64F64', () => {
    const h = runtimeHarness();
    h.edit((ov) => {
      S.TotalHotkeyAlpha.set(ov, A, NET, 1_000n);
      S.TotalHotkeyAlpha.set(ov, A, 0, 5_000_000_000n);
    });
    const tw = S.TaoWeight.get(h.state);
    const tw32 = (tw << 32n) / U64_MAX;
    const w = stakeWeightsForHotkeyOnSubnet(new Overlay(h.state), A, NET);
    assert.equal(w.alpha, 1_000n << 64n);
    assert.equal(w.tao, 5_000_000_000n << 64n);
    assert.equal(w.total, (1_000n << 64n) + ((5_000_000_000n * tw32) << 32n));
  });

  it('moves stake along child links with subtensor truncation', () => {
    const h = runtimeHarness();
    const half = U64_MAX / 2n;
    h.edit((ov) => {
      S.TotalHotkeyAlpha.set(ov, A, NET, 1_000n);
      S.TotalHotkeyAlpha.set(ov, A, 0, 1_000n);
      S.ChildKeys.set(ov, A, NET, [[half, B]]);
      S.ParentKeys.set(ov, B, NET, [[half, A]]);
      S.ChildKeys.set(ov, C, NET, [[U64_MAX, D]]);
      S.TotalHotkeyAlpha.set(ov, C, NET, 77n);
    });
    const st = new Overlay(h.state);
    // half / u64::MAX is 2^31 − 1 in 32 fraction bits, so the child gets just under 500.
    assert.equal(inheritedAlphaOnSubnet(st, A, NET), 500n);
    assert.equal(inheritedAlphaOnSubnet(st, B, NET), 499n);
    assert.equal(inheritedTaoOnSubnet(st, A, NET), 500n);
    assert.equal(inheritedTaoOnSubnet(st, B, NET), 499n);
    assert.equal(inheritedAlphaOnSubnet(st, C, NET), 0n, 'a full proportion moves everything');
    // Root alpha is never redistributed.
    assert.equal(inheritedAlphaOnSubnet(st, A, 0), 1_000n);
  });

  it('passes the owner hotkey regardless of StakeThreshold', () => {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A, B], ownerHotkey: B });
    h.edit((ov) => {
      S.StakeThreshold.set(ov, 1_000n);
      S.TotalHotkeyAlpha.set(ov, A, NET, 999n);
    });
    const st = new Overlay(h.state);
    assert.equal(checkWeightsMinStake(st, A, NET), false);
    assert.equal(checkWeightsMinStake(st, B, NET), true);
    h.edit((ov) => S.TotalHotkeyAlpha.set(ov, A, NET, 1_000n));
    assert.equal(checkWeightsMinStake(new Overlay(h.state), A, NET), true);
  });
});

describe('set_weights', () => {
  it('stores max-upscaled weights, stamps LastUpdate and emits WeightsSet', () => {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A, B, C] });
    const r = dispatchOk(dispatchAt(h, signed(B), setWeights(NET, [0, 1, 2], [1, 2, 4]), 50));
    assert.deepEqual(S.Weights.get(h.state, NET, 1), [
      [0, 16_384],
      [1, 32_768],
      [2, 65_535],
    ]);
    assert.deepEqual(S.LastUpdate.get(h.state, NET), [0n, 50n, 0n]);
    assert.deepEqual(r.events, [
      { type: 'SubtensorModule', value: { type: 'WeightsSet', value: [NET, 1] } },
    ]);
  });

  it('works end to end as a signed extrinsic', () => {
    const h = runtimeHarness();
    const bob = devKeypair('Bob');
    seedSubnet(h, { hotkeys: [A, bob.publicKey] });
    const { result, events } = h.run(bob, setWeights(NET, [0, 1], [10, 20]));
    assert.ok(result.ok && result.outcome.ok);
    assert.deepEqual(S.Weights.get(h.state, NET, 1), [
      [0, 32_768],
      [1, 65_535],
    ]);
    assert.ok(
      events.some(
        (e) =>
          e.event.type === 'SubtensorModule' &&
          e.event.value.type === 'WeightsSet' &&
          e.event.value.value[1] === 1,
      ),
    );
  });

  it('checks in subtensor order, each failure leaving state untouched', () => {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A, B, C], permits: [true, false, true] });
    seedSubnet(h, { netuid: 0, hotkeys: [A] });
    const e = (o: Origin, c: RuntimeCall) => dispatchError(dispatchAt(h, o, c, 10));
    const sm = (n: string) => `SubtensorModule.${n}`;
    assert.equal(e(ROOT, setWeights(NET, [0], [1])), 'BadOrigin');
    assert.equal(e(signed(A), setWeights(0, [0], [1])), sm('CanNotSetRootNetworkWeights'));
    assert.equal(e(signed(A), setWeights(NET, [0, 1], [1])), sm('WeightVecNotEqualSize'));
    assert.equal(e(signed(A), setWeights(9, [0], [1])), sm('MechanismDoesNotExist'));
    assert.equal(
      e(signed(A), setWeights(NET, [0, 1, 2, 3], [1, 1, 1, 1])),
      sm('UidsLengthExceedUidsInSubNet'),
    );
    // Unregistered beats every later check (here also duplicate uids).
    assert.equal(e(signed(D), setWeights(NET, [0, 0], [1, 1])), sm('HotKeyNotRegisteredInSubNet'));
    h.edit((ov) => S.StakeThreshold.set(ov, 1n));
    assert.equal(e(signed(A), setWeights(NET, [0], [1])), sm('NotEnoughStakeToSetWeights'));
    h.edit((ov) => {
      S.StakeThreshold.set(ov, 0n);
      S.WeightsVersionKey.set(ov, NET, 7n);
    });
    assert.equal(e(signed(A), setWeights(NET, [1], [1], 6n)), sm('IncorrectWeightVersionKey'));
    dispatchOk(dispatchAt(h, signed(A), setWeights(NET, [1], [1], 7n), 10));
    assert.equal(e(signed(A), setWeights(NET, [1], [1], 7n)), sm('SettingWeightsTooFast'));
    h.edit((ov) => S.WeightsVersionKey.set(ov, NET, 0n));
    // B has no validator permit: only a self-weight is allowed.
    assert.equal(e(signed(B), setWeights(NET, [0], [1])), sm('NeuronNoValidatorPermit'));
    dispatchOk(dispatchAt(h, signed(B), setWeights(NET, [1], [5]), 10));
    assert.equal(e(signed(C), setWeights(NET, [0, 0], [1, 1])), sm('DuplicateUids'));
    assert.equal(e(signed(C), setWeights(NET, [0, 7], [1, 1])), sm('UidVecContainInvalidOne'));
    h.edit((ov) => S.MinAllowedWeights.set(ov, NET, 3));
    assert.equal(e(signed(C), setWeights(NET, [0, 1], [1, 1])), sm('WeightVecLengthIsLow'));
    // A self-weight is exempt from the minimum length.
    dispatchOk(dispatchAt(h, signed(C), setWeights(NET, [2], [9]), 10));
    assert.deepEqual(S.Weights.get(h.state, NET, 2), [[2, 65_535]]);
  });

  it('lets the owner hotkey set weights without a permit', () => {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A, B], permits: [false, false], ownerHotkey: B });
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), setWeights(NET, [1], [1]), 5)),
      'SubtensorModule.NeuronNoValidatorPermit',
    );
    dispatchOk(dispatchAt(h, signed(B), setWeights(NET, [0], [1]), 5));
  });

  it('rate limits per uid by WeightsSetRateLimit blocks', () => {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A, B] });
    dispatchOk(dispatchAt(h, signed(A), setWeights(NET, [1], [1]), 20));
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), setWeights(NET, [1], [1]), 119)),
      'SubtensorModule.SettingWeightsTooFast',
    );
    dispatchOk(dispatchAt(h, signed(B), setWeights(NET, [0], [1]), 21));
    dispatchOk(dispatchAt(h, signed(A), setWeights(NET, [1], [2]), 120));
    assert.deepEqual(S.LastUpdate.get(h.state, NET), [120n, 21n]);
  });

  it('is refused while commit-reveal is on', () => {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A] });
    h.edit((ov) => S.CommitRevealWeightsEnabled.set(ov, NET, true));
    // Checked before the origin.
    assert.equal(
      dispatchError(dispatchAt(h, ROOT, setWeights(NET, [0], [1]), 3)),
      'SubtensorModule.CommitRevealEnabled',
    );
  });

  it('defaults commit-reveal to off on our chain', () => {
    const h = runtimeHarness();
    assert.equal(S.CommitRevealWeightsEnabled.get(h.state, NET), false);
  });
});

describe('set_mechanism_weights', () => {
  it('writes under mecid × 4096 + netuid and needs the mechanism', () => {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A, B] });
    const c = (mecid: number) =>
      sub({
        type: 'set_mechanism_weights',
        value: { netuid: NET, mecid, dests: [0, 1], weights: [1, 1], version_key: 0n },
      });
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), c(1), 4)),
      'SubtensorModule.MechanismDoesNotExist',
    );
    h.edit((ov) => S.MechanismCountCurrent.set(ov, NET, 2));
    const r = dispatchOk(dispatchAt(h, signed(A), c(1), 4));
    assert.deepEqual(S.Weights.get(h.state, 4097, 0), [
      [0, 65_535],
      [1, 65_535],
    ]);
    assert.deepEqual(S.LastUpdate.get(h.state, 4097), [4n, 0n]);
    assert.deepEqual(S.Weights.get(h.state, NET, 0), [], 'mechanism 0 untouched');
    assert.deepEqual(r.events[0], {
      type: 'SubtensorModule',
      value: { type: 'WeightsSet', value: [4097, 0] },
    });
  });
});

describe('batch_set_weights', () => {
  it('runs each item, reports failures and always completes', () => {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A, B] });
    seedSubnet(h, { netuid: 2, hotkeys: [B] });
    seedSubnet(h, { netuid: 3, hotkeys: [A] });
    h.edit((ov) => S.CommitRevealWeightsEnabled.set(ov, 3, true));
    const r = dispatchOk(
      dispatchAt(
        h,
        signed(A),
        sub({
          type: 'batch_set_weights',
          value: {
            netuids: [1, 2, 3],
            weights: [[[1, 3]], [[0, 1]], [[0, 1]]],
            version_keys: [0n, 0n, 0n],
          },
        }),
        8,
      ),
    );
    assert.deepEqual(S.Weights.get(h.state, 1, 0), [[1, 65_535]]);
    const ev = r.events.map((e) => (e.type === 'SubtensorModule' ? e.value : undefined));
    assert.deepEqual(
      ev.map((e) => e?.type),
      [
        'WeightsSet',
        'BatchCompletedWithErrors',
        'BatchWeightItemFailed',
        'BatchWeightItemFailed',
        'BatchWeightsCompleted',
      ],
    );
    const failed = ev.flatMap((e) => (e?.type === 'BatchWeightItemFailed' ? [e.value] : []));
    assert.deepEqual(
      failed.map(([n, err]) => [n, describeDispatchError(err as DispatchError)]),
      [
        [2, 'SubtensorModule.HotKeyNotRegisteredInSubNet'],
        [3, 'SubtensorModule.CommitRevealEnabled'],
      ],
    );
    assert.deepEqual(ev[4], { type: 'BatchWeightsCompleted', value: [[1, 2, 3], A] });
  });

  it('needs a signer and equal lengths', () => {
    const h = runtimeHarness();
    const c = (n: number) =>
      sub({
        type: 'batch_set_weights',
        value: { netuids: [1, 2].slice(0, n), weights: [[], []], version_keys: [0n, 0n] },
      });
    assert.equal(dispatchError(dispatchAt(h, ROOT, c(2), 2)), 'BadOrigin');
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), c(1), 2)),
      'SubtensorModule.InputLengthsUnequal',
    );
  });
});

describe('commit–reveal (hash)', () => {
  const SALT = [9, 8, 7];
  /** A subnet with commit-reveal on, no rate limit, epochs driven by SubnetEpochIndex. */
  function crSubnet() {
    const h = runtimeHarness();
    seedSubnet(h, { hotkeys: [A, B, C] });
    h.edit((ov) => {
      S.CommitRevealWeightsEnabled.set(ov, NET, true);
      S.WeightsSetRateLimit.set(ov, NET, 0n);
    });
    return h;
  }
  const setEpoch = (h: Harness, e: bigint) => h.edit((ov) => S.SubnetEpochIndex.set(ov, NET, e));
  const hashOf = (who: Uint8Array, uids: number[], values: number[], vk = 0n, idx = NET) =>
    commitHash(who, idx, uids, values, SALT, vk);
  const commit = (netuid: number, commit_hash: Uint8Array) =>
    sub({ type: 'commit_weights', value: { netuid, commit_hash } });
  const reveal = (uids: number[], values: number[], version_key = 0n) =>
    sub({
      type: 'reveal_weights',
      value: { netuid: NET, uids, values, salt: SALT, version_key },
    });

  it('commits: stores (hash, epoch, block, 0), stamps LastUpdate, emits WeightsCommitted', () => {
    const h = crSubnet();
    setEpoch(h, 4n);
    const hash = hashOf(A, [1], [1]);
    const r = dispatchOk(dispatchAt(h, signed(A), commit(NET, hash), 30));
    assert.deepEqual(S.WeightCommits.get(h.state, NET, A), [[hash, 4n, 30n, 0n]]);
    assert.deepEqual(S.LastUpdate.get(h.state, NET), [30n, 0n, 0n]);
    assert.deepEqual(r.events, [
      { type: 'SubtensorModule', value: { type: 'WeightsCommitted', value: [A, NET, hash] } },
    ]);
  });

  it('checks the mechanism first, then origin, commit-reveal, registration, rate limit', () => {
    const h = crSubnet();
    const hash = hashOf(A, [1], [1]);
    const sm = (n: string) => `SubtensorModule.${n}`;
    assert.equal(
      dispatchError(dispatchAt(h, ROOT, commit(9, hash), 3)),
      sm('MechanismDoesNotExist'),
    );
    assert.equal(dispatchError(dispatchAt(h, ROOT, commit(NET, hash), 3)), 'BadOrigin');
    assert.equal(
      dispatchError(dispatchAt(h, signed(D), commit(NET, hash), 3)),
      sm('HotKeyNotRegisteredInSubNet'),
    );
    h.edit((ov) => S.WeightsSetRateLimit.set(ov, NET, 5n));
    dispatchOk(dispatchAt(h, signed(A), commit(NET, hash), 3));
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), commit(NET, hash), 7)),
      sm('CommittingWeightsTooFast'),
    );
    dispatchOk(dispatchAt(h, signed(A), commit(NET, hash), 8));
    h.edit((ov) => S.CommitRevealWeightsEnabled.set(ov, NET, false));
    assert.equal(
      dispatchError(dispatchAt(h, signed(B), commit(NET, hash), 9)),
      sm('CommitRevealDisabled'),
    );
  });

  it('holds at most 10 unrevealed commits, dropping expired ones first', () => {
    const h = crSubnet();
    for (let i = 0; i < 10; i++)
      dispatchOk(dispatchAt(h, signed(A), commit(NET, hashOf(A, [i % 3], [i + 1])), 5));
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), commit(NET, hashOf(A, [0], [99])), 5)),
      'SubtensorModule.TooManyUnrevealedCommits',
    );
    setEpoch(h, 2n); // every commit of epoch 0 is past 0 + RevealPeriodEpochs(1)
    dispatchOk(dispatchAt(h, signed(A), commit(NET, hashOf(A, [0], [99])), 6));
    assert.equal(S.WeightCommits.get(h.state, NET, A)?.length, 1);
  });

  it('reveals in the epoch after the commit, sets weights without touching LastUpdate', () => {
    const h = crSubnet();
    const older = hashOf(A, [0], [1]);
    const target = hashOf(A, [0, 1, 2], [1, 2, 4]);
    const newer = hashOf(A, [2], [1]);
    for (const x of [older, target, newer])
      dispatchOk(dispatchAt(h, signed(A), commit(NET, x), 10));
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), reveal([0, 1, 2], [1, 2, 4]), 11)),
      'SubtensorModule.RevealTooEarly',
    );
    setEpoch(h, 1n);
    const lastUpdate = S.LastUpdate.get(h.state, NET);
    const r = dispatchOk(dispatchAt(h, signed(A), reveal([0, 1, 2], [1, 2, 4]), 12));
    assert.deepEqual(S.Weights.get(h.state, NET, 0), [
      [0, 16_384],
      [1, 32_768],
      [2, 65_535],
    ]);
    assert.deepEqual(S.LastUpdate.get(h.state, NET), lastUpdate);
    // The revealed commit and every older one are gone.
    assert.deepEqual(
      S.WeightCommits.get(h.state, NET, A)?.map(([x]) => toHex(x)),
      [toHex(newer)],
    );
    assert.deepEqual(
      r.events.map((e) => e.type === 'SubtensorModule' && e.value.type),
      ['WeightsSet', 'WeightsRevealed'],
    );
    assert.deepEqual(r.events[1], {
      type: 'SubtensorModule',
      value: { type: 'WeightsRevealed', value: [A, NET, target] },
    });
    dispatchOk(dispatchAt(h, signed(A), reveal([2], [1]), 13));
    assert.equal(S.WeightCommits.get(h.state, NET, A), undefined, 'an emptied queue is removed');
  });

  it('names why a reveal fails', () => {
    const h = crSubnet();
    const sm = (n: string) => `SubtensorModule.${n}`;
    assert.equal(dispatchError(dispatchAt(h, ROOT, reveal([0], [1]), 3)), 'BadOrigin');
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), reveal([0], [1]), 3)),
      sm('NoWeightsCommitFound'),
    );
    dispatchOk(dispatchAt(h, signed(A), commit(NET, hashOf(A, [0], [1])), 3));
    dispatchOk(dispatchAt(h, signed(A), commit(NET, hashOf(A, [7], [1])), 4));
    setEpoch(h, 1n);
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), reveal([0], [2]), 5)),
      sm('InvalidRevealCommitHashNotMatch'),
    );
    // The hash matches but uid 7 does not exist: set_weights' check fails, the queue is kept.
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), reveal([7], [1]), 5)),
      sm('UidVecContainInvalidOne'),
    );
    assert.equal(S.WeightCommits.get(h.state, NET, A)?.length, 2);
    dispatchOk(dispatchAt(h, signed(A), commit(NET, hashOf(A, [1], [1])), 6));
    setEpoch(h, 2n);
    // Epoch-0 commits expired, the epoch-1 one is live: the hash is among the expired.
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), reveal([0], [1]), 7)),
      sm('ExpiredWeightCommit'),
    );
    setEpoch(h, 3n);
    // Everything expired: the queue empties, and the hash is still recognised.
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), reveal([1], [1]), 8)),
      sm('ExpiredWeightCommit'),
    );
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), reveal([1], [2]), 8)),
      sm('NoWeightsCommitFound'),
    );
    h.edit((ov) => S.CommitRevealWeightsEnabled.set(ov, NET, false));
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), reveal([1], [1]), 9)),
      sm('CommitRevealDisabled'),
    );
  });

  it('counts an epoch due this block (lookahead)', () => {
    const h = crSubnet();
    h.edit((ov) => S.LastEpochBlock.set(ov, NET, 0n));
    // Tempo 1000: block 1000 is an epoch boundary, so the commit belongs to epoch 1.
    const hash = hashOf(A, [0], [1]);
    dispatchOk(dispatchAt(h, signed(A), commit(NET, hash), 1000));
    assert.deepEqual(S.WeightCommits.get(h.state, NET, A)?.[0]?.[1], 1n);
  });

  it('commits and reveals per mechanism under the mechanism index', () => {
    const h = crSubnet();
    h.edit((ov) => S.MechanismCountCurrent.set(ov, NET, 2));
    const hash = hashOf(B, [0], [1], 0n, 4097);
    dispatchOk(
      dispatchAt(
        h,
        signed(B),
        sub({
          type: 'commit_mechanism_weights',
          value: { netuid: NET, mecid: 1, commit_hash: hash },
        }),
        5,
      ),
    );
    assert.equal(S.WeightCommits.get(h.state, 4097, B)?.length, 1);
    setEpoch(h, 1n);
    const r = dispatchOk(
      dispatchAt(
        h,
        signed(B),
        sub({
          type: 'reveal_mechanism_weights',
          value: { netuid: NET, mecid: 1, uids: [0], values: [1], salt: SALT, version_key: 0n },
        }),
        6,
      ),
    );
    assert.deepEqual(S.Weights.get(h.state, 4097, 1), [[0, 65_535]]);
    assert.deepEqual(r.events[1], {
      type: 'SubtensorModule',
      value: { type: 'WeightsRevealed', value: [B, 4097, hash] },
    });
  });

  it('batch_commit_weights commits each item and reports failures', () => {
    const h = crSubnet();
    h.edit((ov) => S.WeightsSetRateLimit.set(ov, NET, 10n));
    const x1 = hashOf(A, [0], [1]);
    const x2 = hashOf(A, [0], [2]);
    const bc = (netuids: number[], commit_hashes: Uint8Array[]) =>
      sub({ type: 'batch_commit_weights', value: { netuids, commit_hashes } });
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), bc([1], [x1, x2]), 3)),
      'SubtensorModule.InputLengthsUnequal',
    );
    const r = dispatchOk(dispatchAt(h, signed(A), bc([1, 1], [x1, x2]), 3));
    assert.equal(S.WeightCommits.get(h.state, NET, A)?.length, 1, 'second commit rate limited');
    const types = r.events.map((e) => (e.type === 'SubtensorModule' ? e.value.type : ''));
    assert.deepEqual(types, [
      'WeightsCommitted',
      'BatchCompletedWithErrors',
      'BatchWeightItemFailed',
      'BatchWeightsCompleted',
    ]);
  });

  it('batch_reveal_weights reveals all or nothing and removes only the matched commits', () => {
    const h = crSubnet();
    const keep = hashOf(A, [1], [1]);
    const x1 = hashOf(A, [0], [1]);
    const x2 = hashOf(A, [2], [3]);
    const bad = hashOf(A, [9], [3]);
    for (const x of [keep, x1, x2, bad]) dispatchOk(dispatchAt(h, signed(A), commit(NET, x), 3));
    setEpoch(h, 1n);
    const br = (uids: number[][], values: number[][], vks = uids.map(() => 0n)) =>
      sub({
        type: 'batch_reveal_weights',
        value: {
          netuid: NET,
          uids_list: uids,
          values_list: values,
          salts_list: uids.map(() => SALT),
          version_keys: vks,
        },
      });
    // Lengths are checked before the origin.
    assert.equal(
      dispatchError(dispatchAt(h, ROOT, br([[0]], [[1]], []), 4)),
      'SubtensorModule.InputLengthsUnequal',
    );
    // The second reveal fails in set_weights: nothing is kept, not even the first.
    const before = S.Weights.get(h.state, NET, 0);
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), br([[0], [9]], [[1], [3]]), 4)),
      'SubtensorModule.UidVecContainInvalidOne',
    );
    assert.deepEqual(S.Weights.get(h.state, NET, 0), before);
    assert.equal(
      dispatchError(dispatchAt(h, signed(A), br([[0], [5]], [[1], [3]]), 4)),
      'SubtensorModule.InvalidRevealCommitHashNotMatch',
    );
    const r = dispatchOk(dispatchAt(h, signed(A), br([[0], [2]], [[1], [3]]), 4));
    assert.deepEqual(S.Weights.get(h.state, NET, 0), [[2, 65_535]]);
    assert.deepEqual(
      S.WeightCommits.get(h.state, NET, A)?.map(([x]) => toHex(x)),
      [toHex(keep), toHex(bad)],
    );
    assert.deepEqual(r.events.at(-1), {
      type: 'SubtensorModule',
      value: { type: 'WeightsBatchRevealed', value: [A, NET, [x1, x2]] },
    });
    assert.equal(r.events.length, 3);
  });

  it('leaves timelocked (v3/v4) commits unregistered', () => {
    const h = crSubnet();
    const r = dispatchAt(
      h,
      signed(A),
      sub({
        type: 'commit_timelocked_weights',
        value: {
          netuid: NET,
          commit: new Uint8Array(8),
          reveal_round: 1n,
          commit_reveal_version: 4,
        },
      }),
      3,
    );
    assert.equal(dispatchError(r), 'System.CallFiltered');
  });
});
