import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fcOptions } from '../test/fc-options.js';
import { BtError } from './errors.js';
import {
  Bytes,
  bool,
  COMPACT_MAX,
  type Codec,
  compact,
  compactLength,
  createCodec,
  createDecoder,
  decodeExact,
  Enum,
  encodeCompact,
  i8,
  i16,
  i32,
  i64,
  i128,
  i256,
  Option,
  ScaleDecodeError,
  Struct,
  str,
  Tuple,
  u8,
  u16,
  u32,
  u64,
  u128,
  u256,
  Vector,
} from './scale.js';

function roundTrip<T>(codec: Codec<T>, arb: fc.Arbitrary<T>, runs = 200): void {
  fc.assert(
    fc.property(arb, (value) => {
      const bytes = codec.enc(value);
      assert.deepEqual(decodeExact(codec, bytes, 'value'), value);
    }),
    fcOptions(runs),
  );
}

const bigUint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const bigInt = (bits: number) =>
  fc.bigInt({ min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n });

/** Compact values near every mode boundary, up to the 2^536 - 1 maximum. */
const compactArb = fc.oneof(
  fc.constantFrom(0n, 63n, 64n, 16383n, 16384n, (1n << 30n) - 1n, 1n << 30n, (1n << 32n) - 1n),
  fc.constantFrom(1n << 32n, (1n << 64n) - 1n, 1n << 64n, COMPACT_MAX - 1n, COMPACT_MAX),
  fc
    .integer({ min: 0, max: 536 })
    .chain((bits) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n })),
);

describe('round-trips through decodeExact', () => {
  test('unsigned integers', () => {
    roundTrip(u8, fc.integer({ min: 0, max: 255 }));
    roundTrip(u16, fc.integer({ min: 0, max: 65535 }));
    roundTrip(u32, fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    roundTrip(u64, bigUint(64));
    roundTrip(u128, bigUint(128));
    roundTrip(u256, bigUint(256));
  });

  test('signed integers', () => {
    roundTrip(i8, fc.integer({ min: -128, max: 127 }));
    roundTrip(i16, fc.integer({ min: -32768, max: 32767 }));
    roundTrip(i32, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
    roundTrip(i64, bigInt(64));
    roundTrip(i128, bigInt(128));
    roundTrip(i256, bigInt(256));
  });

  test('compact, via scale-ts and via encodeCompact/compactLength', () => {
    fc.assert(
      fc.property(compactArb, (n) => {
        const bytes = encodeCompact(n);
        assert.deepEqual(bytes, compact.enc(n));
        const small = n < 1n << 30n;
        if (small) assert.deepEqual(encodeCompact(Number(n)), bytes);
        assert.equal(decodeExact(compact, bytes, 'compact'), small ? Number(n) : n);
        assert.deepEqual(compactLength(bytes), { value: n, length: bytes.length });
        const expectedLength =
          n < 64n
            ? 1
            : n < 1n << 14n
              ? 2
              : n < 1n << 30n
                ? 4
                : 1 + Math.ceil(n.toString(16).length / 2);
        assert.equal(bytes.length, expectedLength);
      }),
      fcOptions(400),
    );
  });

  test('bool, str, Bytes', () => {
    roundTrip(bool, fc.boolean());
    roundTrip(str, fc.string({ unit: 'grapheme', maxLength: 50 }));
    roundTrip(Bytes(), fc.uint8Array({ maxLength: 100 }));
    roundTrip(Bytes(32), fc.uint8Array({ minLength: 32, maxLength: 32 }));
  });

  test('Vector, Option, Tuple', () => {
    roundTrip(Vector(u16), fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 80 }));
    roundTrip(
      Vector(u8, 4),
      fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
    );
    roundTrip(Option(u64), fc.option(bigUint(64), { nil: undefined }));
    roundTrip(
      Tuple(u16, Vector(Tuple(u16, u16)), bool),
      fc.tuple(
        fc.integer({ min: 0, max: 65535 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }))),
        fc.boolean(),
      ),
    );
  });

  test('Struct and Enum', () => {
    const AxonInfo = Struct({ block: u64, version: u32, ip: u128, port: u16, ipType: u8 });
    roundTrip(
      AxonInfo,
      fc
        .record({
          block: bigUint(64),
          version: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          ip: bigUint(128),
          port: fc.integer({ min: 0, max: 65535 }),
          ipType: fc.integer({ min: 0, max: 255 }),
        })
        .map((r) => ({ ...r })), // scale-ts decodes to plain objects, fc may make null-prototype ones
    );
    const Action = Enum({ Stake: u64, Unstake: Tuple(u16, u64), Noop: Option(bool) });
    roundTrip(
      Action,
      fc.oneof(
        bigUint(64).map((value) => ({ tag: 'Stake' as const, value })),
        fc
          .tuple(fc.integer({ min: 0, max: 65535 }), bigUint(64))
          .map((value) => ({ tag: 'Unstake' as const, value })),
        fc
          .option(fc.boolean(), { nil: undefined })
          .map((value) => ({ tag: 'Noop' as const, value })),
      ),
    );
  });
});

describe('decodeExact', () => {
  test('decodes a subarray view correctly (scale-ts alone reads the wrong bytes)', () => {
    const base = new Uint8Array([9, 9, 1, 0, 0, 0, 9]);
    const view = base.subarray(2, 6);
    assert.notEqual(u32.dec(view), 1, 'scale-ts ignores byteOffset');
    assert.equal(decodeExact(u32, view, 'nonce'), 1);
    const pooled = Buffer.from([5, 0]);
    assert.equal(decodeExact(u16, pooled, 'port'), 5);
  });

  test('rejects trailing bytes', () => {
    assert.throws(
      () => decodeExact(u16, new Uint8Array([1, 0, 0]), 'port'),
      (e: unknown) =>
        e instanceof ScaleDecodeError &&
        e instanceof BtError &&
        e.code === 'SCALE_DECODE' &&
        e.shortMessage === 'port: 1 trailing bytes',
    );
  });

  test('rejects short and malformed input', () => {
    const expectDecodeError = <T>(codec: Codec<T>, bytes: number[]): void => {
      assert.throws(
        () => decodeExact(codec, new Uint8Array(bytes), 'x'),
        (e: unknown) => e instanceof ScaleDecodeError && e.code === 'SCALE_DECODE',
        `bytes ${bytes}`,
      );
    };
    expectDecodeError(u32, [1, 0, 0]);
    expectDecodeError(u64, []);
    expectDecodeError(Bytes(4), [1, 2]);
    expectDecodeError(Bytes(), [8, 1]);
    expectDecodeError(str, [8, 0x61]);
    expectDecodeError(Vector(u16), [12, 1, 0]);
    expectDecodeError(Vector(u8), [0xfe, 0xff, 0xff, 0xff]);
    expectDecodeError(Vector(u8), [0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expectDecodeError(Option(u32), [1, 1]);
    expectDecodeError(Enum({ A: u8, B: u16 }), [2, 0]);
    expectDecodeError(Tuple(u8, u8), [1]);
    expectDecodeError(compact, [0xff]);
  });

  test('rejects bad arguments with TypeError', () => {
    for (const bad of [null, 'ab', [1, 2], new ArrayBuffer(2), 7]) {
      assert.throws(() => decodeExact(u16, bad as unknown as Uint8Array, 'x'), TypeError);
    }
    for (const bad of [null, {}, 'u16', u16.dec]) {
      assert.throws(
        () => decodeExact(bad as unknown as Codec<number>, new Uint8Array(2), 'x'),
        TypeError,
      );
    }
  });

  test('a custom decoder that calls decodeExact itself does not confuse the outer check', () => {
    const Wrapped = createCodec<number>(
      (v) => u16.enc(v),
      createDecoder((input) => decodeExact(u16, Bytes(2).dec(input), 'inner')),
    );
    assert.deepEqual(decodeExact(Tuple(Wrapped, u8), new Uint8Array([5, 1, 9]), 'outer'), [261, 9]);
    assert.throws(
      () => decodeExact(Tuple(Wrapped, u8), new Uint8Array([5, 1, 9, 0]), 'outer'),
      /outer: 1 trailing bytes/,
    );
  });
});

describe('compactLength and encodeCompact', () => {
  test('known answers', () => {
    assert.deepEqual(encodeCompact(0), new Uint8Array([0]));
    assert.deepEqual(encodeCompact(1), new Uint8Array([4]));
    assert.deepEqual(encodeCompact(63), new Uint8Array([0xfc]));
    assert.deepEqual(encodeCompact(64), new Uint8Array([0x01, 0x01]));
    assert.deepEqual(encodeCompact(69), new Uint8Array([0x15, 0x01]));
    assert.deepEqual(encodeCompact(16383), new Uint8Array([0xfd, 0xff]));
    assert.deepEqual(encodeCompact(16384), new Uint8Array([0x02, 0x00, 0x01, 0x00]));
    assert.deepEqual(encodeCompact(2 ** 30 - 1), new Uint8Array([0xfe, 0xff, 0xff, 0xff]));
    assert.deepEqual(encodeCompact(2 ** 30), new Uint8Array([0x03, 0, 0, 0, 0x40]));
    assert.deepEqual(encodeCompact(2n ** 32n - 1n), new Uint8Array([0x03, 0xff, 0xff, 0xff, 0xff]));
    assert.deepEqual(encodeCompact(2n ** 32n), new Uint8Array([0x07, 0, 0, 0, 0, 1]));
    const max = encodeCompact(COMPACT_MAX);
    assert.equal(max.length, 68);
    assert.equal(max[0], 0xff);
    assert.ok(max.subarray(1).every((b) => b === 0xff));
    assert.equal(COMPACT_MAX, 2n ** 536n - 1n);
  });

  test('compactLength reads at an offset', () => {
    const bytes = new Uint8Array([0xaa, 0x15, 0x01, 0xbb]);
    assert.deepEqual(compactLength(bytes, 1), { value: 69n, length: 2 });
    assert.deepEqual(compactLength(bytes.subarray(1)), { value: 69n, length: 2 });
  });

  test('compactLength rejects truncated and non-canonical compacts', () => {
    const bad: number[][] = [
      [0x01],
      [0x02, 0, 0],
      [0x03, 0, 0, 0],
      [0xff, 0xff],
      [0x01, 0x00], // 0 in two-byte form
      [0xfd, 0x00], // 63 in two-byte form
      [0x02, 0x00, 0x01 - 1, 0x00], // 0 in four-byte form
      [0x03, 0xff, 0xff, 0xff, 0x3f], // 2^30 - 1 in big form
      [0x07, 0, 0, 0, 0x40, 0], // big form with a zero top byte
    ];
    for (const bytes of bad) {
      assert.throws(() => compactLength(new Uint8Array(bytes)), RangeError, `${bytes}`);
    }
    assert.throws(() => compactLength(new Uint8Array([])), RangeError);
    assert.throws(() => compactLength(new Uint8Array([0]), 1), RangeError);
    assert.throws(() => compactLength(new Uint8Array([0]), -1), RangeError);
    assert.throws(() => compactLength(new Uint8Array([0]), 0.5), RangeError);
    assert.throws(() => compactLength(new Uint8Array([0]), '0' as unknown as number), TypeError);
    assert.throws(() => compactLength([0] as unknown as Uint8Array), TypeError);
  });

  test('encodeCompact rejects bad values', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY]) {
      assert.throws(() => encodeCompact(bad), RangeError, String(bad));
    }
    assert.throws(() => encodeCompact(-1n), RangeError);
    assert.throws(() => encodeCompact(COMPACT_MAX + 1n), RangeError);
    for (const bad of ['1', null, undefined, {}]) {
      assert.throws(() => encodeCompact(bad as unknown as number), TypeError);
    }
  });
});
