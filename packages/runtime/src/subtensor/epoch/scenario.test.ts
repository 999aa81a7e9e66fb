import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { epochMechanismReference } from './reference.js';
import {
  MAX_STEPS,
  ScenarioError,
  type ScenarioOutput,
  scenarioOutputToJson,
  simulateScenario,
} from './scenario.js';

// biome-ignore lint/suspicious/noExplicitAny: scenario files are free-form JSON
type Any = any;
const dir = new URL('../../../test/vectors/yuma/scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (name: string): Any => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));

/** The output with bigints as numbers, as the vector files hold them (all below 2^53). */
const plain = (out: ScenarioOutput): Any =>
  JSON.parse(JSON.stringify(out, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));

const FIELDS = [
  'epoch_block',
  'dividends_u16',
  'incentive_u16',
  'consensus_u16',
  'validator_trust_u16',
  'stake_weight_u16',
  'active',
  'validator_permit',
  'emission',
  'server_emission',
  'validator_emission',
  'bonds_u16',
];

describe('canonical scenarios', () => {
  it('has all six scenario files', () => {
    assert.equal(files.length, 6);
  });
  for (const file of files) {
    it(`${file}: every step matches expected exactly, field by field`, () => {
      const doc = load(file);
      const out = simulateScenario(doc);
      const want = doc.expected.steps as Any[];
      assert.equal(out.steps.length, want.length, 'step count');
      const got = plain(out);
      want.forEach((step, k) => {
        assert.deepEqual(Object.keys(got.steps[k]), FIELDS, `step ${k} fields`);
        for (const f of FIELDS) assert.deepEqual(got.steps[k][f], step[f], `step ${k} ${f}`);
      });
      // Types: u16 as numbers, rao and blocks as bigint.
      const s0 = out.steps[0];
      assert.equal(typeof s0?.epoch_block, 'bigint');
      assert.equal(typeof s0?.emission[0], 'bigint');
      assert.equal(typeof s0?.dividends_u16[0], 'number');
    });
  }

  it('the bigint reference engine gives the same outputs', () => {
    for (const file of files) {
      const doc = load(file);
      assert.deepEqual(
        simulateScenario(doc, { epoch: epochMechanismReference }),
        simulateScenario(doc),
        file,
      );
    }
  });

  it('accepts the bare inputs object and fills missing hyperparameters with the defaults', () => {
    const doc = load('epoch_classic_active_stake.json');
    assert.deepEqual(simulateScenario(doc.inputs), simulateScenario(doc));
    const minimal = {
      n: 3,
      alpha_stake: [10, 5, 0],
      steps: [{ epoch_block: 100, last_update: [99, 99, 0], weights: { '0': [[2, 65535]] } }],
    };
    const explicit = {
      ...minimal,
      tao_stake: [0, 0, 0],
      block_at_registration: [0, 0, 0],
      validator_permits: [false, false, false],
      initial_bonds: {},
      hyperparameters: {
        kappa_u16: 32767,
        bonds_moving_average: 900000,
        bonds_penalty_u16: 65535,
        tempo: 360,
        activity_cutoff_factor_milli: 13889,
        yuma3_enabled: false,
        liquid_alpha_enabled: false,
        alpha_values_u16: [45875, 58982],
        alpha_sigmoid_steepness: 1000,
        commit_reveal_enabled: false,
        stake_threshold: 0,
        tao_weight: 0,
        subnet_owner_uid: null,
        last_mechanism_step_block: 0,
        rao_emission: 1000000000,
        max_allowed_validators: 128,
      },
    };
    const a = simulateScenario(minimal);
    assert.deepEqual(a, simulateScenario(explicit));
    // No permits yet: weights do not count, everything goes to stake (S).
    assert.deepEqual(a.steps[0]?.validator_emission, [666_666_666n, 333_333_333n, 0n]);
    assert.deepEqual(a.steps[0]?.validator_permit, [true, true, false]);
    // activity_cutoff_blocks overrides the derived cutoff (5000 blocks by default).
    const cut = simulateScenario({
      ...minimal,
      hyperparameters: { activity_cutoff_blocks: 1 },
    });
    assert.deepEqual(cut.steps[0]?.active, [true, true, false]);
    const derived = simulateScenario({ ...minimal, hyperparameters: { tempo: 0 } });
    assert.deepEqual(derived.steps[0]?.active, [true, true, false], 'cutoff at least 1 block');
  });

  it('carries permits and bonds between steps and applies per-step changes', () => {
    const step = (block: number) => ({
      epoch_block: block,
      last_update: [block - 1, block - 1, 0],
      weights: { '0': [[2, 65535]], '1': [[2, 65535]] },
    });
    const out = simulateScenario({
      n: 3,
      alpha_stake: [10, 10, 0],
      steps: [step(10), step(11), { ...step(12), alpha_stake: [30, 10, 0], rao_emission: 100 }],
    });
    const [s0, s1, s2] = out.steps;
    assert.deepEqual(s0?.bonds_u16, {}, 'no permits before the first epoch');
    assert.deepEqual(s1?.bonds_u16, { '0': { '2': 65535 }, '1': { '2': 65535 } });
    assert.deepEqual(s2?.stake_weight_u16, [49151, 16383, 0]);
    assert.ok((s2?.emission.reduce((a, b) => a + b, 0n) ?? 0n) <= 100n);
  });

  it('commit_blocks mask weights when commit-reveal is on', () => {
    const doc = (commit: boolean) => ({
      n: 3,
      alpha_stake: [10, 0, 0],
      validator_permits: [true, false, false],
      block_at_registration: [0, 0, 50],
      hyperparameters: { commit_reveal_enabled: commit },
      steps: [
        {
          epoch_block: 100,
          last_update: [99, 0, 0],
          weights: {
            '0': [
              [1, 65535],
              [2, 65535],
            ],
          },
          commit_blocks: [40, null, null],
        },
      ],
    });
    assert.deepEqual(simulateScenario(doc(false)).steps[0]?.consensus_u16, [0, 32767, 32767]);
    assert.deepEqual(simulateScenario(doc(true)).steps[0]?.consensus_u16, [0, 65535, 0]);
  });
});

describe('scenarioOutputToJson', () => {
  it('prints bigints as plain integers with 2-space indentation', () => {
    const out = simulateScenario(load('epoch_classic_active_stake.json'));
    const text = scenarioOutputToJson(out);
    assert.ok(text.startsWith('{\n  "steps": [\n'));
    assert.deepEqual(JSON.parse(text), plain(out));
    const big = scenarioOutputToJson({
      steps: [{ ...(out.steps[0] as Any), emission: [(1n << 64n) - 1n] }],
    });
    assert.match(big, /"emission": \[\n\s+18446744073709551615\n\s+\]/);
    assert.equal(scenarioOutputToJson({ steps: [] }), '{\n  "steps": []\n}');
  });
});

describe('malformed scenarios', () => {
  const base = (): Any => load('epoch_classic_bonds_sequence.json');
  const bare = (): Any => base().inputs;
  const cases: Array<[string, () => unknown, string]> = [
    [
      'uid above n in a weight row',
      () => {
        const d = base();
        d.inputs.steps[2].weights['3'][1][0] = 9;
        return d;
      },
      'inputs.steps[2].weights["3"][1][0]: uid 9 is not below n (8)',
    ],
    [
      'a string for a u16',
      () => {
        const d = base();
        d.inputs.hyperparameters.kappa_u16 = 'x';
        return d;
      },
      'inputs.hyperparameters.kappa_u16: expected an integer in 0..65535, got "x"',
    ],
    [
      'an unknown hyperparameter',
      () => ({ ...bare(), hyperparameters: { kapa_u16: 1 } }),
      'inputs.hyperparameters.kapa_u16: unknown field',
    ],
    [
      'a wrong length',
      () => ({ ...bare(), alpha_stake: [1, 2, 3] }),
      'inputs.alpha_stake: expected 8 entries, got 3',
    ],
    [
      'a non-integer float',
      () => {
        const d = bare();
        d.steps[0].last_update[1] = 1.5;
        return d;
      },
      'inputs.steps[0].last_update[1]: expected a u64 integer, got 1.5',
    ],
    [
      'a negative u64',
      () => ({ ...bare(), tao_stake: [0, 0, 0, 0, 0, 0, 0, -1] }),
      'inputs.tao_stake[7]: expected a u64 integer, got -1',
    ],
    [
      'a u64 above 2^64',
      () => ({ ...bare(), hyperparameters: { tao_weight: '18446744073709551616' } }),
      'inputs.hyperparameters.tao_weight: expected a u64 integer, got "18446744073709551616"',
    ],
    [
      'a u64 that lost precision in JSON',
      () => ({ ...bare(), hyperparameters: { tao_weight: Number('971718665099567868') } }),
      'inputs.hyperparameters.tao_weight: 971718665099567900 is above 2^53 and lost precision; write it as a string',
    ],
    [
      'a weight above u16',
      () => {
        const d = bare();
        d.steps[0].weights['0'][0][1] = 70000;
        return d;
      },
      'inputs.steps[0].weights["0"][0][1]: expected an integer in 0..65535, got 70000',
    ],
    [
      'a duplicate uid in a row',
      () => ({
        ...bare(),
        initial_bonds: {
          '1': [
            [2, 5],
            [2, 6],
          ],
        },
      }),
      'inputs.initial_bonds["1"][1][0]: uid 2 appears twice in the row',
    ],
    [
      'a pair that is not a pair',
      () => ({ ...bare(), initial_bonds: { '1': [[2, 5, 7]] } }),
      'inputs.initial_bonds["1"][0]: expected 2 entries, got 3',
    ],
    [
      'an array where an object is expected',
      () => {
        const d = bare();
        d.steps[0].weights = [[0, 1]];
        return d;
      },
      'inputs.steps[0].weights: expected an object, got an array',
    ],
    [
      'a __proto__ key',
      () => ({ ...bare(), initial_bonds: JSON.parse('{"__proto__": [[0, 1]]}') }),
      'inputs.initial_bonds["__proto__"]: key is not a uid below n (8)',
    ],
    [
      'a __proto__ hyperparameter',
      () => ({ ...bare(), hyperparameters: JSON.parse('{"__proto__": {"kappa_u16": 1}}') }),
      'inputs.hyperparameters.__proto__: unknown field',
    ],
    [
      'an inherited name as a key',
      () => ({ ...bare(), hyperparameters: { constructor: 1 } }),
      'inputs.hyperparameters.constructor: unknown field',
    ],
    [
      'a non-canonical uid key',
      () => ({ ...bare(), initial_bonds: { '01': [] } }),
      'inputs.initial_bonds["01"]: key is not a uid below n (8)',
    ],
    [
      'n above the u16 range',
      () => ({ ...bare(), n: 65536 }),
      'inputs.n: expected an integer in 0..65535, got 65536',
    ],
    [
      'too many steps',
      () => ({ ...bare(), steps: new Array(MAX_STEPS + 1).fill({}) }),
      `inputs.steps: ${MAX_STEPS + 1} steps, at most ${MAX_STEPS} allowed`,
    ],
    [
      'too much work in total',
      () => ({
        n: 65535,
        alpha_stake: new Array(65535).fill(0),
        steps: new Array(300).fill({ epoch_block: 1, last_update: new Array(65535).fill(0) }),
      }),
      'inputs.steps: scenario too large (n × steps + weight entries above 16777216)',
    ],
    ['a missing field', () => ({ ...bare(), steps: undefined }), 'inputs.steps: missing'],
    [
      'a missing step field',
      () => ({ ...bare(), steps: [{ epoch_block: 1 }] }),
      'inputs.steps[0].last_update: missing',
    ],
    [
      'a string boolean',
      () => ({ ...bare(), hyperparameters: { yuma3_enabled: 'true' } }),
      'inputs.hyperparameters.yuma3_enabled: expected true or false, got "true"',
    ],
    [
      'an owner uid outside the subnet',
      () => ({ ...bare(), hyperparameters: { subnet_owner_uid: 8 } }),
      'inputs.hyperparameters.subnet_owner_uid: expected an integer in 0..7, got 8',
    ],
    [
      'an unknown top-level field',
      () => ({ ...base(), extra: 1 }),
      'scenario.extra: unknown field',
    ],
    [
      'a field name with a line break',
      () => ({ ...bare(), hyperparameters: { 'a\nb': 1 } }),
      'inputs.hyperparameters["a\\nb"]: unknown field',
    ],
    [
      'a very long uid key',
      () => ({ ...bare(), initial_bonds: { ['9'.repeat(5000)]: [] } }),
      `inputs.initial_bonds["${'9'.repeat(40)}…"]: key is not a uid below n (8)`,
    ],
    ['an array document', () => [1, 2], 'scenario: expected an object, got an array'],
    ['a null document', () => null, 'scenario: expected an object, got null'],
    [
      'inputs that are not an object',
      () => ({ inputs: 'x' }),
      'inputs: expected an object, got "x"',
    ],
    [
      'a commit block of the wrong type',
      () => {
        const d = bare();
        d.steps[0].commit_blocks = [true, null, null, null, null, null, null, null];
        return d;
      },
      'inputs.steps[0].commit_blocks[0]: expected a u64 integer, got true',
    ],
  ];
  for (const [what, make, message] of cases) {
    it(`rejects ${what} with the field path`, () => {
      assert.throws(
        () => simulateScenario(make()),
        (e: unknown) => {
          assert.ok(e instanceof ScenarioError, `not a ScenarioError: ${String(e)}`);
          assert.equal(e.message, message);
          assert.ok(!e.message.includes('\n'), 'one line');
          return true;
        },
      );
    });
  }

  it('accepts u64 values as decimal strings and bigints', () => {
    const d = bare();
    d.hyperparameters.tao_weight = '971718665099567868';
    d.hyperparameters.rao_emission = 1_000_000_000n;
    const out = simulateScenario(d);
    assert.equal(out.steps.length, 7);
  });
});
