import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateMechanisms, splitEmissions } from './mechanisms.js';
import type { EpochInput, EpochTerms, SparseRowU16 } from './types.js';
import { epochMechanism } from './yuma.js';

/** Two validators (stake 3:1) and two miners; `weights` decide which miner each favours. */
function mechanismInput(weights: SparseRowU16[], rao: bigint): EpochInput {
  return {
    n: 4,
    currentBlock: 100n,
    alphaStake: [3n, 1n, 0n, 0n],
    taoStake: [0n, 0n, 0n, 0n],
    blockAtRegistration: [1n, 1n, 1n, 1n],
    lastUpdate: [90n, 90n, 1n, 1n],
    validatorPermits: [true, true, false, false],
    weights,
    bonds: [[], [], [], []],
    commitBlocks: [],
    params: {
      kappaU16: 32767,
      bondsMovingAverage: 900_000n,
      bondsPenaltyU16: 65535,
      activityCutoffBlocks: 5000n,
      yuma3Enabled: false,
      liquidAlphaEnabled: false,
      alphaValuesU16: [45875, 58982],
      alphaSigmoidSteepness: 1000,
      commitRevealEnabled: false,
      stakeThreshold: 0n,
      taoWeight: 0n,
      subnetOwnerUid: null,
      lastMechanismStepBlock: 0n,
      tempo: 360,
      maxAllowedValidators: 128,
    },
    raoEmission: rao,
  };
}

const floorAcc = (acc: number, v: number, share: bigint, total: bigint): number => {
  const w = (share << 64n) / total; // U64F64 raw
  return Number(((BigInt(acc) << 64n) + BigInt(v) * w) >> 64n);
};

describe('aggregateMechanisms (epoch_with_mechanisms)', () => {
  const total = 1_000_000_007n;
  const shares = splitEmissions(total, 2, [45000, 20535]);
  const a = epochMechanism(
    mechanismInput([[[2, 65535]], [[3, 65535]], [], []], shares[0] as bigint),
  );
  const b = epochMechanism(
    mechanismInput([[[3, 65535]], [[3, 65535]], [], []], shares[1] as bigint),
  );

  it('sums emissions and stake, weights u16 terms by share (floored per step), ORs flags', () => {
    const g = aggregateMechanisms([a, b], shares, total);
    for (let i = 0; i < 4; i++) {
      assert.equal(
        g.serverEmission[i],
        (a.serverEmission[i] as bigint) + (b.serverEmission[i] as bigint),
      );
      assert.equal(
        g.validatorEmission[i],
        (a.validatorEmission[i] as bigint) + (b.validatorEmission[i] as bigint),
      );
      assert.equal(g.stake[i], (a.stake[i] as bigint) + (b.stake[i] as bigint));
      for (const k of [
        'dividendU16',
        'consensusU16',
        'validatorTrustU16',
        'stakeWeightU16',
      ] as const) {
        const first = floorAcc(0, a[k][i] as number, shares[0] as bigint, total);
        assert.equal(g[k][i], floorAcc(first, b[k][i] as number, shares[1] as bigint, total), k);
      }
      const e0 = BigInt(floorAcc(0, Number(a.emission[i]), shares[0] as bigint, total));
      const want = BigInt(floorAcc(Number(e0), Number(b.emission[i]), shares[1] as bigint, total));
      assert.equal(g.emission[i], want, 'emission');
      assert.equal(g.active[i], (a.active[i] as boolean) || (b.active[i] as boolean));
      assert.equal(
        g.newValidatorPermit[i],
        (a.newValidatorPermit[i] as boolean) || (b.newValidatorPermit[i] as boolean),
      );
    }
    // Miner 2 reaches consensus only in mechanism 0 (the larger share), miner 3 only in 1.
    assert.equal(g.serverEmission[2], a.serverEmission[2]);
    assert.deepEqual(g.consensusU16.slice(2), [45000, 20534]);
    assert.ok(!('bonds' in g) && !('incentiveU16' in g), 'bonds and incentive stay per mechanism');
  });

  it('with zero total emission mechanism 0 gets full weight', () => {
    const z0 = epochMechanism(mechanismInput([[[2, 65535]], [[3, 65535]], [], []], 0n));
    const z1 = epochMechanism(mechanismInput([[[3, 65535]], [[3, 65535]], [], []], 0n));
    const g = aggregateMechanisms([z0, z1], [0n, 0n], 0n);
    assert.deepEqual(g.consensusU16, z0.consensusU16);
    assert.deepEqual(g.dividendU16, z0.dividendU16);
    assert.deepEqual(g.emission, [0n, 0n, 0n, 0n]);
  });

  it('a single mechanism with the whole emission passes its terms through', () => {
    const g = aggregateMechanisms([a], [total], total);
    const { bonds: _b, incentiveU16: _i, ...rest } = a;
    assert.deepEqual(g, rest);
  });

  it('rejects malformed input', () => {
    assert.throws(() => aggregateMechanisms([], [], 1n), RangeError);
    assert.throws(() => aggregateMechanisms([a], [1n, 2n], 3n), RangeError);
    assert.throws(() => aggregateMechanisms([a], [-1n], 3n), RangeError);
    assert.throws(() => aggregateMechanisms([a], [1n], 3 as unknown as bigint), TypeError);
    assert.throws(
      () => aggregateMechanisms(new Array(17).fill(a), new Array(17).fill(0n), 0n),
      RangeError,
    );
    const short: EpochTerms = { ...b, emission: [1n] };
    assert.throws(() => aggregateMechanisms([a, short], [1n, 1n], 2n), /emission: length 1/);
    const bad: EpochTerms = { ...b, dividendU16: [70000, 0, 0, 0] };
    assert.throws(() => aggregateMechanisms([a, bad], [1n, 1n], 2n), /dividendU16\[0\]/);
    assert.throws(() => aggregateMechanisms([null as unknown as EpochTerms], [1n], 1n), TypeError);
  });
});
