// Known answers from shared/vectors/yuma (copied here): exp_safe through subtensor's sigmoid_safe,
// and the bonds-moving-average EMA coefficient. Both are compared bit-exactly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  expSafe,
  fxAdd,
  fxConvert,
  fxDiv,
  fxFromF32,
  fxFromF64,
  fxFromInt,
  fxMul,
  fxSub,
  I32F32,
  I64F64,
} from '../../src/index.js';

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;
}

/** subtensor math.rs `sigmoid_safe`, operation for operation. */
function sigmoidSafe(input: bigint, rho: bigint, kappa: bigint): bigint {
  const one = I32F32.one;
  const offset = fxSub(I32F32, input, kappa);
  const negRho = fxMul(I32F32, rho, -one);
  const expInput = fxMul(I32F32, negRho, offset);
  const expOutput = expSafe(expInput);
  const denominator = fxAdd(I32F32, expOutput, one);
  return fxDiv(I32F32, one, denominator);
}

describe('math_sigmoid_safe', () => {
  type Case = { rho: number; kappa: number; x: (number | string)[] };
  const v = load<{ inputs: { cases: Case[] }; expected: { cases: number[][] } }>(
    'math_sigmoid_safe.json',
  );
  v.inputs.cases.forEach((c, k) => {
    test(`case ${k} (rho ${c.rho}) matches I32F32::from_num(expected) exactly`, () => {
      c.x.forEach((x, j) => {
        // Case 0 builds x from f64 literals, case 1 from f32 (see the vector's notes).
        const raw =
          x === 'I32F32::MIN'
            ? I32F32.min
            : x === 'I32F32::MAX'
              ? I32F32.max
              : k === 0
                ? fxFromF64(I32F32, x as number)
                : fxFromF32(I32F32, x as number);
        const got = sigmoidSafe(raw, fxFromInt(I32F32, c.rho), fxFromF64(I32F32, c.kappa));
        const expected = fxFromF64(I32F32, v.expected.cases[k]![j]!);
        assert.equal(got, expected, `x = ${x}`);
      });
    });
  });
});

describe('math_fixed_alpha_from_bonds_moving_average', () => {
  const v = load<{
    inputs: { bonds_moving_average: number[] };
    expected: { alpha_raw_i32f32_bits: number[] };
  }>('math_fixed_alpha_from_bonds_moving_average.json');
  test('alpha = 1 - I32F32(I64F64(bma) / I64F64(1_000_000))', () => {
    v.inputs.bonds_moving_average.forEach((bma, i) => {
      const ratio = fxDiv(I64F64, fxFromInt(I64F64, bma), fxFromInt(I64F64, 1_000_000));
      const alpha = fxSub(I32F32, I32F32.one, fxConvert(I64F64, I32F32, ratio));
      assert.equal(alpha, BigInt(v.expected.alpha_raw_i32f32_bits[i]!));
    });
    assert.equal(fxFromF64(I32F32, 0.1), 429496730n);
  });
});
