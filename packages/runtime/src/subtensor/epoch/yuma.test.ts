import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { vecU16MaxUpscaleToU16 } from './math.js';
import { epochMechanismReference } from './reference.js';
import type { EpochInput, EpochParams, EpochTerms, SparseRowU16 } from './types.js';
import { epochMechanism } from './yuma.js';

// biome-ignore lint/suspicious/noExplicitAny: vector files are free-form JSON
type Any = any;
const load = (name: string): Any =>
  JSON.parse(readFileSync(new URL(`../../../test/vectors/yuma/${name}`, import.meta.url), 'utf8'));

const params = (over: Partial<EpochParams> = {}): EpochParams => ({
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
  ...over,
});

/** n uids; the first `stakes.length` have the given alpha stake; all registered at block 1. */
function input(stakes: number[], n: number, over: Partial<EpochInput> = {}): EpochInput {
  return {
    n,
    currentBlock: 100n,
    alphaStake: Array.from({ length: n }, (_, i) => BigInt(stakes[i] ?? 0)),
    taoStake: new Array<bigint>(n).fill(0n),
    blockAtRegistration: new Array<bigint>(n).fill(1n),
    lastUpdate: new Array<bigint>(n).fill(50n),
    validatorPermits: Array.from({ length: n }, (_, i) => (stakes[i] ?? 0) > 0),
    weights: Array.from({ length: n }, (): SparseRowU16 => []),
    bonds: Array.from({ length: n }, (): SparseRowU16 => []),
    commitBlocks: [],
    params: params(),
    raoEmission: 1_000_000_000n,
    ...over,
  };
}

const sum = (xs: bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);

/** Runs both engines and checks they agree before returning the result. */
function run(inp: EpochInput): EpochTerms {
  const t = epochMechanism(inp);
  assert.deepEqual(t, epochMechanismReference(inp), 'fast and reference engines agree');
  return t;
}

describe('original epoch vectors', () => {
  it('epoch_classic_active_stake: dividends, emission and bonds exactly', () => {
    const v = load('epoch_classic_active_stake.json');
    const i = v.inputs;
    const h = i.hyperparameters;
    let permits: boolean[] = i.validator_permits;
    let bonds: SparseRowU16[] = [[], [], [], []];
    i.steps.forEach((s: Any, k: number) => {
      const weights: SparseRowU16[] = [0, 1, 2, 3].map((u) => s.weights[u] ?? []);
      const t = run({
        ...input(i.alpha_stake, i.n),
        currentBlock: BigInt(s.epoch_block),
        blockAtRegistration: (i.block_at_registration as number[]).map(BigInt),
        lastUpdate: (s.last_update as number[]).map(BigInt),
        validatorPermits: permits,
        weights,
        bonds,
        params: params({
          tempo: h.tempo,
          activityCutoffBlocks: BigInt(h.activity_cutoff_blocks),
          maxAllowedValidators: i.max_allowed_validators,
        }),
        raoEmission: BigInt(h.rao_emission),
      });
      const e = v.expected.steps[k];
      for (const [uid, d] of Object.entries(e.dividends_u16)) {
        assert.equal(t.dividendU16[Number(uid)], d, `step ${k} dividend ${uid}`);
      }
      for (const [uid, x] of Object.entries(e.emission)) {
        assert.equal(t.emission[Number(uid)], BigInt(x as number), `step ${k} emission ${uid}`);
      }
      for (const [uid, row] of Object.entries(e.bonds_u16)) {
        const got = Object.fromEntries((t.bonds[Number(uid)] ?? []).map(([j, b]) => [`${j}`, b]));
        assert.deepEqual(got, row, `step ${k} bonds ${uid}`);
      }
      permits = t.newValidatorPermit;
      bonds = t.bonds;
    });
  });

  it('epoch_classic_bonds_sequence: stored bond columns exactly over 7 epochs', () => {
    const v = load('epoch_classic_bonds_sequence.json');
    const i = v.inputs;
    const h = i.hyperparameters;
    const n: number = i.n;
    const weights: SparseRowU16[] = Array.from({ length: n }, () => []);
    const lastUpdate: bigint[] = (i.initial_last_update as number[]).map(BigInt);
    let permits: boolean[] = i.validator_permits_before_step1;
    let bonds: SparseRowU16[] = Array.from({ length: n }, () => []);
    i.steps.forEach((s: Any, k: number) => {
      for (const [uid, row] of Object.entries(s.set_weights)) {
        weights[Number(uid)] = row as SparseRowU16;
        lastUpdate[Number(uid)] = BigInt(s.weights_set_at_block);
      }
      const t = run({
        ...input(i.alpha_stake, n),
        currentBlock: BigInt(s.epoch_block),
        blockAtRegistration: (i.block_at_registration as number[]).map(BigInt),
        lastUpdate: [...lastUpdate],
        validatorPermits: permits,
        weights: weights.map((r) => [...r]),
        bonds,
        params: params({
          tempo: h.tempo,
          activityCutoffBlocks: BigInt(h.activity_cutoff_blocks),
          maxAllowedValidators: i.max_allowed_validators,
        }),
      });
      const e = v.expected.bonds_u16_column_per_step[k];
      const column = [0, 1, 2, 3].map((r) => t.bonds[r]?.find(([j]) => j === e.column)?.[1] ?? 0);
      assert.deepEqual(column, e.rows_0_to_3, `step ${k} column ${e.column}`);
      permits = t.newValidatorPermit;
      bonds = t.bonds;
    });
  });

  for (const name of [
    'epoch_yuma3_kappa_moves_first',
    'epoch_yuma3_one_epoch_switch',
    'epoch_yuma3_liquid_alpha_disabled',
    'epoch_yuma3_stable_miner',
  ]) {
    it(`${name}: dividends and bonds within 1e-3`, () => {
      const v = load(`${name}.json`);
      const canonical = load(`scenarios/${name}.json`).inputs.steps;
      const i = v.inputs;
      const h = i.hyperparameters;
      const n: number = i.n;
      const miners: number[] = i.miner_uids;
      const base = {
        ...input(i.alpha_stake, n),
        blockAtRegistration: (i.block_at_registration as number[]).map(BigInt),
        params: params({
          kappaU16: h.kappa_u16,
          bondsPenaltyU16: h.bonds_penalty_u16,
          alphaSigmoidSteepness: h.alpha_sigmoid_steepness,
          bondsMovingAverage: BigInt(h.bonds_moving_average),
          alphaValuesU16: h.alpha_values_u16,
          liquidAlphaEnabled: h.liquid_alpha_enabled,
          yuma3Enabled: h.yuma3_enabled,
          maxAllowedValidators: h.max_allowed_validators,
          tempo: h.tempo,
          activityCutoffBlocks: BigInt(h.activity_cutoff_blocks),
        }),
      };
      // Set-up epoch at block 2: nobody has weights or permits yet; registration set last_update.
      const lastUpdate = new Array<bigint>(n).fill(1n);
      const setup = run({
        ...base,
        currentBlock: 2n,
        lastUpdate: [...lastUpdate],
        validatorPermits: new Array<boolean>(n).fill(false),
      });
      assert.deepEqual(
        setup.newValidatorPermit,
        Array.from({ length: n }, (_, u) => u < 3),
        'setup permits',
      );
      let permits = setup.newValidatorPermit;
      let bonds = setup.bonds;
      const weights: SparseRowU16[] = Array.from({ length: n }, () => []);
      i.epochs.forEach((ep: Any, k: number) => {
        const rows: number[][] | null = ep.set_weights_rows_for_validators_0_1_2;
        if (rows) {
          rows.forEach((values, uid) => {
            const up = vecU16MaxUpscaleToU16(values);
            weights[uid] = miners.map((m, t) => [m, up[t] as number]);
            lastUpdate[uid] = BigInt(2 + k);
          });
        }
        // The canonical scenario file states the same stored state for this step.
        const c = canonical[k + 1];
        assert.deepEqual(lastUpdate.map(Number), c.last_update, `step ${k} last_update`);
        for (let u = 0; u < n; u++) {
          assert.deepEqual(weights[u], c.weights[u] ?? [], `step ${k} weights ${u}`);
        }
        const t = run({
          ...base,
          currentBlock: BigInt(ep.epoch_block),
          lastUpdate: [...lastUpdate],
          validatorPermits: permits,
          weights: weights.map((r) => [...r]),
          bonds,
        });
        const want: number[] = v.expected.dividends[k];
        want.forEach((d, uid) => {
          const got = (t.dividendU16[uid] as number) / 65535;
          assert.ok(Math.abs(got - d) <= 1e-3, `step ${k} dividend ${uid}: ${got} vs ${d}`);
        });
        const wantBonds: number[][] = v.expected.bonds_informational[k];
        wantBonds.forEach((row, uid) => {
          row.forEach((b, m) => {
            const u = t.bonds[uid]?.find(([j]) => j === miners[m])?.[1] ?? 0;
            assert.ok(Math.abs(u / 65535 - b) <= 1e-3, `step ${k} bond ${uid}->${miners[m]}`);
          });
        });
        permits = t.newValidatorPermit;
        bonds = t.bonds;
      });
    });
  }
});

describe('edge cases (spec §8)', () => {
  it('no weights: nothing to miners, validators paid by active stake', () => {
    const t = run(input([3, 1], 4));
    assert.deepEqual(t.consensusU16, [0, 0, 0, 0]);
    assert.deepEqual(t.incentiveU16, [0, 0, 0, 0]);
    assert.deepEqual(t.dividendU16, [0, 0, 0, 0]);
    assert.deepEqual(t.serverEmission, [0n, 0n, 0n, 0n]);
    assert.deepEqual(t.validatorEmission, [750_000_000n, 250_000_000n, 0n, 0n]);
    assert.deepEqual(t.emission, t.validatorEmission);
  });

  it('no weights and no active stake: the fallback is the plain stake S', () => {
    const t = run(input([3, 1], 4, { lastUpdate: [0n, 0n, 0n, 0n], currentBlock: 10_000n }));
    assert.deepEqual(t.active, [false, false, false, false]);
    assert.deepEqual(t.validatorEmission, [750_000_000n, 250_000_000n, 0n, 0n]);
  });

  it('only self-weights act like no weights, except the subnet owner keeps its own', () => {
    const weights: SparseRowU16[] = [[[0, 65535]], [[1, 65535]], [], []];
    const plain = run(input([1, 1], 4, { weights }));
    assert.deepEqual(plain.incentiveU16, [0, 0, 0, 0]);
    assert.deepEqual(plain.validatorEmission, [500_000_000n, 500_000_000n, 0n, 0n]);
    const owned = run(input([1, 1], 4, { weights, params: params({ subnetOwnerUid: 0 }) }));
    assert.deepEqual(owned.consensusU16[0], 65535);
    assert.ok((owned.incentiveU16[0] as number) > 0, 'owner keeps its self-weight');
    assert.ok((owned.serverEmission[0] as bigint) > 0n);
  });

  it('an inactive validator keeps its permit but loses its stake share and its bonds decay', () => {
    const weights: SparseRowU16[] = [[[2, 65535]], [[2, 65535]], [], []];
    const bonds: SparseRowU16[] = [[[2, 65535]], [[2, 65535]], [], []];
    const t = run(
      input([1, 1], 4, {
        weights,
        bonds,
        lastUpdate: [5000n, 1n, 5000n, 5000n],
        currentBlock: 5010n,
      }),
    );
    assert.deepEqual(t.active, [true, false, true, true]);
    assert.deepEqual(t.newValidatorPermit.slice(0, 2), [true, true]);
    assert.ok((t.dividendU16[0] as number) > (t.dividendU16[1] as number));
    assert.equal(t.bonds[0]?.[0]?.[1], 65535);
    assert.ok((t.bonds[1]?.[0]?.[1] as number) < 65535, 'the inactive row decays');
  });

  it('a validator that loses its permit still counts this epoch but its bond row is cleared', () => {
    const weights: SparseRowU16[] = [[[3, 65535]], [[3, 65535]], [[3, 65535]], []];
    const bonds: SparseRowU16[] = [[[3, 65535]], [[3, 65535]], [[3, 65535]], []];
    const t = run(
      input([30, 20, 10], 4, { weights, bonds, params: params({ maxAllowedValidators: 2 }) }),
    );
    assert.deepEqual(t.newValidatorPermit, [true, true, false, false]);
    assert.ok((t.dividendU16[2] as number) > 0, 'the old permit still gates this epoch');
    assert.deepEqual(t.bonds[2], []);
    assert.deepEqual(t.bonds[3], []);
    assert.equal(t.bonds[0]?.length, 1);
  });

  it('re-registration: outdated weights and recent bond columns are dropped', () => {
    const weights: SparseRowU16[] = [
      [
        [2, 65535],
        [3, 65535],
      ],
      [],
      [],
      [],
    ];
    const bonds: SparseRowU16[] = [
      [
        [2, 65535],
        [3, 65535],
      ],
      [],
      [],
      [],
    ];
    // uid 3 re-registered at block 60, after the validator's last update (50).
    const t = run(
      input([1], 4, { weights, bonds, blockAtRegistration: [1n, 1n, 1n, 60n], currentBlock: 100n }),
    );
    assert.deepEqual(t.consensusU16, [0, 0, 65535, 0]);
    assert.deepEqual(
      t.bonds[0]?.map(([j]) => j),
      [2],
    );
    // Registered at block 50 = last update: still outdated (≤), and after last_tempo: bond gone.
    const u = run(
      input([1], 4, {
        weights,
        bonds,
        blockAtRegistration: [1n, 1n, 1n, 50n],
        params: params({ tempo: 360, lastMechanismStepBlock: 40n }),
      }),
    );
    assert.equal(u.consensusU16[3], 0);
    assert.deepEqual(
      u.bonds[0]?.map(([j]) => j),
      [2],
    );
  });

  it('top-k permits: among equal stakes the lower uid loses', () => {
    const t = run(input([5, 5, 5, 1], 4, { params: params({ maxAllowedValidators: 2 }) }));
    assert.deepEqual(t.newValidatorPermit, [false, true, true, false]);
  });

  it('commit mask: a commit older than the registration removes the weight', () => {
    const weights: SparseRowU16[] = [
      [
        [2, 65535],
        [3, 65535],
      ],
      [],
      [],
      [],
    ];
    const base = input([1], 4, { weights, blockAtRegistration: [1n, 1n, 1n, 30n] });
    const off = run(base);
    assert.deepEqual(off.consensusU16, [0, 0, 32767, 32767]);
    const on = run({
      ...base,
      commitBlocks: [20n, null, null, null],
      params: params({ commitRevealEnabled: true }),
    });
    assert.deepEqual(on.consensusU16, [0, 0, 65535, 0]);
    const late = run({
      ...base,
      commitBlocks: [40n, null, null, null],
      params: params({ commitRevealEnabled: true }),
    });
    assert.deepEqual(late.consensusU16, [0, 0, 32767, 32767]);
  });

  it('stake threshold filters small stakes but never the owner; tao counts by TaoWeight', () => {
    const inp = input([1000, 10, 10], 3, { params: params({ stakeThreshold: 100n }) });
    assert.deepEqual(run(inp).newValidatorPermit, [true, false, false]);
    const owner = run({ ...inp, params: params({ stakeThreshold: 100n, subnetOwnerUid: 2 }) });
    assert.deepEqual(owner.newValidatorPermit, [true, false, true]);
    // TaoWeight = u64::MAX / 2 (~0.5): 100 alpha + 200 tao·0.5 ≈ 200 for uid 1.
    const tao = run({
      ...input([100, 100], 2),
      taoStake: [0n, 200n],
      params: params({ taoWeight: (1n << 63n) - 1n }),
    });
    assert.deepEqual(tao.stake, [100n, 199n]);
    assert.ok((tao.stakeWeightU16[1] as number) > (tao.stakeWeightU16[0] as number));
  });

  it('Yuma3 stores absolute bonds, classic stores column max-upscaled bonds', () => {
    const weights: SparseRowU16[] = [[[2, 65535]], [[2, 65535]], [], []];
    const classic = run(input([3, 1], 4, { weights }));
    // Column-normalised 0.75 / 0.25, then max-upscaled: 1 and 1/3.
    assert.deepEqual(classic.bonds[0], [[2, 65535]]);
    assert.deepEqual(classic.bonds[1], [[2, 21844]]);
    const y3 = run(input([3, 1], 4, { weights, params: params({ yuma3Enabled: true }) }));
    // Fixed alpha 0.1 from empty bonds: 0.1 · w = 0.1 → floor(0.1 · 65535).
    assert.deepEqual(y3.bonds[0], [[2, 6553]]);
    assert.deepEqual(y3.bonds[1], [[2, 6553]]);
  });

  it('liquid alpha with rows in any order follows upstream’s forward-only lookups', () => {
    const weights: SparseRowU16[] = [
      [
        [3, 65535],
        [2, 30000],
      ],
      [
        [2, 65535],
        [3, 10000],
      ],
      [],
      [],
    ];
    const bonds: SparseRowU16[] = [
      [
        [3, 20000],
        [2, 40000],
      ],
      [[2, 5000]],
      [],
      [],
    ];
    const t = run(
      input([2, 1], 4, {
        weights,
        bonds,
        params: params({ yuma3Enabled: true, liquidAlphaEnabled: true, bondsPenaltyU16: 0 }),
      }),
    );
    // Stored rows keep the weights' order (mat_ema_alpha_sparse walks the W_b row).
    assert.deepEqual(
      t.bonds[0]?.map(([j]) => j),
      [3, 2],
    );
  });

  it('an EMA coefficient outside [0, 1] (BMA > 1e6) runs on the bigint reference', () => {
    const weights: SparseRowU16[] = [[[2, 65535]], [[3, 65535]], [], []];
    const bonds: SparseRowU16[] = [[[3, 65535]], [[2, 65535]], [], []];
    const t = run(
      input([3, 1], 4, { weights, bonds, params: params({ bondsMovingAverage: 2_000_000n }) }),
    );
    assert.equal(sum(t.emission) <= 1_000_000_000n, true);
  });

  it('an empty subnet gives empty terms', () => {
    const t = run(input([], 0));
    assert.deepEqual(t.emission, []);
    assert.deepEqual(t.bonds, []);
  });

  it('emission sums stay within rao_emission and lose at most n rao to flooring', () => {
    const weights: SparseRowU16[] = [
      [
        [2, 40000],
        [3, 65535],
      ],
      [
        [2, 65535],
        [3, 1],
      ],
      [],
      [],
    ];
    const t = run(input([7, 3], 4, { weights, raoEmission: 999_999_937n }));
    const total = sum(t.serverEmission) + sum(t.validatorEmission);
    assert.ok(total <= 999_999_937n && total >= 999_999_937n - 4n, `${total}`);
  });
});

describe('input validation', () => {
  const good = (): EpochInput => input([1, 1], 3, { weights: [[[2, 65535]], [], []] });
  const cases: Array<[string, (i: Any) => void, ErrorConstructor, RegExp]> = [
    ['not an object', (i) => Object.assign(i, { n: 'x' }), TypeError, /input\.n/],
    ['n too large', (i) => Object.assign(i, { n: 70_000 }), RangeError, /input\.n/],
    ['short alphaStake', (i) => i.alphaStake.pop(), RangeError, /alphaStake: expected length 3/],
    ['number stake', (i) => (i.alphaStake[1] = 5), TypeError, /alphaStake\[1\]/],
    ['negative u64', (i) => (i.lastUpdate[0] = -1n), RangeError, /lastUpdate\[0\]/],
    ['u64 overflow', (i) => (i.currentBlock = 1n << 64n), RangeError, /currentBlock/],
    [
      'uid not below n',
      (i) => (i.weights[0] = [[3, 1]]),
      RangeError,
      /weights\[0\]\[0\]\[0\]: uid 3/,
    ],
    ['weight not u16', (i) => (i.weights[0] = [[1, 65536]]), RangeError, /weights\[0\]\[0\]\[1\]/],
    [
      'duplicate uid',
      (i) =>
        (i.bonds[1] = [
          [0, 1],
          [0, 2],
        ]),
      RangeError,
      /appears twice/,
    ],
    ['bad pair', (i) => (i.bonds[1] = [[0]]), TypeError, /bonds\[1\]\[0\]/],
    ['permit type', (i) => (i.validatorPermits[0] = 1), TypeError, /validatorPermits\[0\]/],
    ['kappa range', (i) => (i.params.kappaU16 = -1), RangeError, /kappaU16/],
    ['steepness i16', (i) => (i.params.alphaSigmoidSteepness = 40_000), RangeError, /Steepness/],
    ['owner uid', (i) => (i.params.subnetOwnerUid = 3), RangeError, /subnetOwnerUid/],
    ['params missing', (i) => (i.params = null), TypeError, /params/],
    [
      'commit blocks needed',
      (i) => (i.params.commitRevealEnabled = true),
      RangeError,
      /commitBlocks: expected length 3/,
    ],
    [
      'commit block type',
      (i) => (i.commitBlocks = [1, null, null]),
      TypeError,
      /commitBlocks\[0\]/,
    ],
  ];
  for (const [what, mutate, kind, message] of cases) {
    it(`rejects ${what}`, () => {
      const i = good() as Any;
      mutate(i);
      assert.throws(
        () => epochMechanism(i),
        (e: unknown) => e instanceof kind && message.test((e as Error).message),
      );
    });
  }
  it('rejects a non-object input', () => {
    assert.throws(() => epochMechanism(null as unknown as EpochInput), TypeError);
  });
});
