import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminUtilsCall, type AnyShape } from '@taoscript/chain-types';
import { decodeExact } from '@taoscript/codec';
import { MetadataCompat, parseMetadata } from './compat.js';
import {
  findHyperparameter,
  HYPERPARAMETER_ALIASES,
  HYPERPARAMETERS,
  type HyperparameterType,
  hyperparameterArgs,
} from './hyperparams.js';
import { V15 } from './test-fixtures.js';
import { applyTolerance } from './validate.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const SAMPLE: Record<HyperparameterType, unknown> = {
  u8: 3,
  u16: 65_535,
  u64: (1n << 64n) - 1n,
  bool: true,
  i16: -32_768,
  account: ALICE,
  u64f64: 3n << 63n,
  'recycle-or-burn': 'Recycle',
  'alpha-values': { low: 100, high: 200 },
};

describe('hyperparameters', () => {
  it('every setter exists in chain-types and metadata, and encodes its value field', () => {
    const compat = new MetadataCompat(parseMetadata(V15));
    const shape = AdminUtilsCall as AnyShape;
    for (const [name, p] of Object.entries(HYPERPARAMETERS)) {
      assert.equal(compat.call('AdminUtils', p.call).ok, true, name);
      const args = hyperparameterArgs(p, SAMPLE[p.type]);
      const value = { type: p.call, value: { ...(p.subnet ? { netuid: 7 } : {}), ...args } };
      // Round trip: a field the call does not have would be dropped, a wrong type would throw.
      const back = decodeExact(shape.codec, shape.enc(value as never), name);
      assert.deepEqual(back, value, name);
    }
  });

  it('names resolve (aliases, kebab-case, case) with their origin rule; unknown ones are refused', () => {
    assert.deepEqual(findHyperparameter('tempo'), {
      name: 'tempo',
      param: { call: 'sudo_set_tempo', field: 'tempo', type: 'u16', root: true, subnet: true },
    });
    assert.equal(findHyperparameter(' Weights-Version-Key ').name, 'weights_version');
    assert.equal(findHyperparameter('min_burn').param.root, false);
    assert.equal(findHyperparameter('start_call_delay').param.subnet, false);
    for (const [alias, target] of Object.entries(HYPERPARAMETER_ALIASES))
      assert.equal(findHyperparameter(alias).name, target);
    assert.throws(() => findHyperparameter('nope'), /unknown hyperparameter 'nope' \(known: rho,/);
    for (const hostile of ['__proto__', 'constructor', 'toString', '', 'x'.repeat(10_000)])
      assert.throws(() => findHyperparameter(hostile), RangeError);
    assert.throws(() => findHyperparameter(5), TypeError);
    assert.ok(Object.isFrozen(HYPERPARAMETERS));
  });

  it('values are checked against the setter type', () => {
    const p = (n: string) => findHyperparameter(n).param;
    assert.deepEqual(hyperparameterArgs(p('tempo'), 10), { tempo: 10 });
    assert.deepEqual(hyperparameterArgs(p('min_burn'), 600_000n), { min_burn: 600_000n });
    assert.deepEqual(hyperparameterArgs(p('min_burn'), 600_000), { min_burn: 600_000n });
    assert.deepEqual(
      hyperparameterArgs(p('sn_owner_hotkey'), ALICE).hotkey?.constructor,
      Uint8Array,
    );
    assert.deepEqual(hyperparameterArgs(p('recycle_or_burn'), 'Burn'), {
      recycle_or_burn: { type: 'Burn' },
    });
    assert.deepEqual(hyperparameterArgs(p('alpha_values'), { low: 1, high: 2 }), {
      alpha_low: 1,
      alpha_high: 2,
    });
    const bad: [string, unknown, ErrorConstructor][] = [
      ['tempo', 70_000, RangeError],
      ['tempo', 1.5, RangeError],
      ['tempo', -1, RangeError],
      ['tempo', '10', TypeError],
      ['tempo', 10n, TypeError],
      ['mechanism_count', 256, RangeError],
      ['alpha_sigmoid_steepness', 32_768, RangeError],
      ['min_burn', 1n << 64n, RangeError],
      ['min_burn', -1n, RangeError],
      ['min_burn', 2 ** 60, TypeError],
      ['min_burn', 'fast', TypeError],
      ['burn_increase_mult', 1n << 128n, RangeError],
      ['liquid_alpha_enabled', 'true', TypeError],
      ['liquid_alpha_enabled', 1, TypeError],
      ['sn_owner_hotkey', 'bob', RangeError],
      ['sn_owner_hotkey', new Uint8Array(31), RangeError],
      ['sn_owner_hotkey', 7, TypeError],
      ['recycle_or_burn', 'burn', RangeError],
      ['alpha_values', [1, 2], TypeError],
      ['alpha_values', null, TypeError],
      ['alpha_values', { low: 1 }, TypeError],
      ['alpha_values', { low: 1, high: 70_000 }, RangeError],
    ];
    for (const [name, value, type] of bad)
      assert.throws(() => hyperparameterArgs(p(name), value), type, `${name} = ${String(value)}`);
  });
});

describe('applyTolerance', () => {
  it('moves a price up for buying and down for selling, to 1e-9', () => {
    assert.equal(applyTolerance(2_000_000_000n, 0.005, 1), 2_010_000_000n);
    assert.equal(applyTolerance(2_000_000_000n, 0.005, -1), 1_990_000_000n);
    assert.equal(applyTolerance(2_000_000_000n, 0, -1), 2_000_000_000n);
    assert.equal(applyTolerance(3n, 0.5, 1), 4n); // truncates
    assert.equal(applyTolerance(1_000_000_000n, 0.999_999_999_9, -1), 0n);
    assert.equal(applyTolerance((1n << 64n) - 1n, 50, 1), (1n << 64n) - 1n, 'capped at u64');
  });
  it('refuses bad prices, tolerances and directions', () => {
    assert.throws(() => applyTolerance(1 as never, 0.1, 1), TypeError);
    assert.throws(() => applyTolerance(-1n, 0.1, 1), RangeError);
    assert.throws(() => applyTolerance(1n << 64n, 0.1, 1), RangeError);
    assert.throws(() => applyTolerance(1n, 1, -1), RangeError);
    assert.throws(() => applyTolerance(1n, 100, 1), RangeError);
    assert.throws(() => applyTolerance(1n, -0.1, 1), RangeError);
    assert.throws(() => applyTolerance(1n, Number.NaN, 1), RangeError);
    assert.throws(() => applyTolerance(1n, '0.1' as never, 1), RangeError);
    assert.throws(() => applyTolerance(1n, 0.1, 0 as never), RangeError);
  });
});
