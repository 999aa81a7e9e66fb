import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FC_SEED } from '../test/shapes.js';
import {
  type AnyShape,
  bool,
  Compact,
  i32,
  i64,
  i128,
  str,
  u8,
  u16,
  u32,
  u64,
  u128,
} from './dsl.js';
import { fastDecode, fastDecodeKind, fastEncode, fastEncodeKind } from './fast-codecs.js';
import { FixedI32F32, FixedI96F32, FixedU64F64, TaoBalance } from './pallets/subtensor/common.js';

/** Shapes with a fast encode and decode: name, shape, byte width. */
const SHAPES: [string, AnyShape, number][] = [
  ['u8', u8, 1],
  ['u16', u16, 2],
  ['u32', u32, 4],
  ['u64', u64, 8],
  ['u128', u128, 16],
  ['bool', bool, 1],
];
/** Shapes with a fast decode only (signed; fixed-point types check ranges before encoding). */
const DECODE_ONLY: [string, AnyShape, number][] = [
  ['i64', i64, 8],
  ['i128', i128, 16],
  ['FixedI96F32', FixedI96F32, 16],
  ['FixedU64F64', FixedU64F64, 16],
  ['FixedI32F32', FixedI32F32, 8],
];

/** What the shape's own codec does: its value, or the error it throws. */
function viaCodec(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    return { error: String(e) };
  }
}

describe('fast integer and bool codecs', () => {
  it('exist for the plain integer shapes and newtypes over them, not for others', () => {
    for (const [name, shape] of SHAPES) {
      assert.notEqual(fastDecodeKind(shape), 0, name);
      assert.notEqual(fastEncodeKind(shape), 0, name);
    }
    for (const [name, shape] of DECODE_ONLY) {
      assert.notEqual(fastDecodeKind(shape), 0, name);
      // scale-ts encodes u128 and i128 with one function, so i128 shares u128's encode path.
      assert.equal(fastEncodeKind(shape), name === 'i128' ? fastEncodeKind(u128) : 0, name);
    }
    assert.equal(fastDecodeKind(TaoBalance), fastDecodeKind(u64));
    assert.equal(fastEncodeKind(TaoBalance), fastEncodeKind(u64));
    for (const shape of [Compact(u64), str, i32] as AnyShape[]) {
      assert.equal(fastDecodeKind(shape), 0);
      assert.equal(fastEncodeKind(shape), 0);
    }
  });

  for (const [name, shape, width] of [...SHAPES, ...DECODE_ONLY]) {
    it(`${name}: decodes any bytes as the codec does, or defers to it`, () => {
      const kind = fastDecodeKind(shape);
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: width + 3 }),
          fc.nat({ max: 3 }),
          (bytes, offset) => {
            // Also as a view at an offset into a larger buffer.
            const view = new Uint8Array(bytes.length + offset + 2).subarray(
              offset,
              offset + bytes.length,
            );
            view.set(bytes);
            for (const b of [bytes, view]) {
              const got = fastDecode(kind, b);
              if (b.length < width) assert.equal(got, undefined);
              else
                assert.deepEqual(
                  { value: got },
                  viaCodec(() => shape.dec(b)),
                );
            }
          },
        ),
        { seed: FC_SEED, numRuns: 300 },
      );
    });
  }

  for (const [name, shape, width] of SHAPES) {
    it(`${name}: encodes in-range values as the codec does, and defers on anything else`, () => {
      const kind = fastEncodeKind(shape);
      const max = (1n << BigInt(8 * width)) - 1n;
      const values = fc.oneof(
        fc.bigInt({ min: -5n, max: max + 5n }),
        fc.bigInt({ min: max - 5n, max: max + 5n }),
        fc.integer({ min: -5, max: 2 ** 33 }),
        fc.double(),
        fc.boolean(),
        fc.constantFrom(0, -0, 1, 0.5, Number.NaN, '1', null, undefined, 2 ** 53, 2 ** 64),
      );
      fc.assert(
        fc.property(values, (v) => {
          const got = fastEncode(kind, v);
          if (got !== undefined)
            assert.deepEqual(
              { value: got },
              viaCodec(() => shape.enc(v)),
            );
          else {
            const inRange =
              name === 'bool'
                ? typeof v === 'boolean'
                : width <= 4
                  ? typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= Number(max)
                  : typeof v === 'bigint' && v >= 0n && v <= max;
            assert.equal(inRange, false, `deferred an in-range value ${String(v)}`);
          }
        }),
        { seed: FC_SEED, numRuns: 400 },
      );
    });
  }

  it('u64/u128 round the 2^53 and 2^64 boundaries exactly', () => {
    const k64 = fastEncodeKind(u64);
    const k128 = fastEncodeKind(u128);
    for (const v of [0n, 1n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 64n) - 1n]) {
      assert.deepEqual(fastEncode(k64, v), u64.enc(v));
      assert.equal(fastDecode(k64, u64.enc(v)), v);
    }
    for (const v of [1n << 64n, (1n << 64n) + 1n, (1n << 127n) + 12345n, (1n << 128n) - 1n]) {
      assert.deepEqual(fastEncode(k128, v), u128.enc(v));
      assert.equal(fastDecode(k128, u128.enc(v)), v);
    }
    const ki128 = fastDecodeKind(i128);
    for (const v of [-1n, -(1n << 64n), -(1n << 127n), (1n << 127n) - 1n, 1n << 64n, 5n]) {
      assert.equal(fastDecode(ki128, i128.enc(v)), v);
    }
    assert.equal(fastDecode(fastDecodeKind(i64), i64.enc(-5n)), -5n);
    assert.equal(fastDecode(0, new Uint8Array(8)), undefined);
    assert.equal(fastEncode(0, 1n), undefined);
  });
});
