import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  Bytes,
  bool,
  Compact,
  Enum,
  FixedBytes,
  Option,
  Result,
  Struct,
  str,
  Tuple,
  u8,
  u16,
  u32,
  u64,
  u128,
  unit,
  Vec,
} from './dsl.js';
import {
  AccountInfo,
  AccountInfoGeneric,
  type Era,
  EraShape,
  eraBirth,
  mortalEra,
} from './primitives.js';

const seed = Number(process.env.FC_SEED ?? 1);
const opts = { seed, numRuns: 200 };

const Sample = Enum(
  { path: ['test', 'Sample'] },
  {
    Unit: { index: 0 },
    One: { index: 3, fields: u32 },
    Named: { index: 7, fields: { a: Compact(u64), b: Vec(u16), c: Option(bool) } },
    Pair: { index: 255, fields: [str, FixedBytes(4)] },
  },
);

describe('schema shapes round-trip', () => {
  it('primitives, compacts, vectors, options and bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 70 }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.uint8Array({ maxLength: 300 }),
        (a, big, list, flag, bytes) => {
          assert.equal(Compact(u32).dec(Compact(u32).enc(a)), a);
          assert.equal(Compact(u128).dec(Compact(u128).enc(big)), big);
          assert.equal(u128.dec(u128.enc(big)), big);
          assert.deepEqual(Vec(u16).dec(Vec(u16).enc(list)), list);
          assert.equal(Option(bool).dec(Option(bool).enc(flag)), flag);
          assert.deepEqual(Bytes.dec(Bytes.enc(bytes)), bytes);
        },
      ),
      opts,
    );
  });

  it('enums with every kind of variant, and structs', () => {
    const variant = fc.oneof(
      fc.constant({ type: 'Unit' as const }),
      fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ type: 'One' as const, value })),
      fc
        .record(
          {
            a: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
            b: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 5 }),
            c: fc.option(fc.boolean(), { nil: undefined }),
          },
          { noNullPrototype: true },
        )
        .map((value) => ({ type: 'Named' as const, value })),
      fc
        .tuple(fc.string(), fc.uint8Array({ minLength: 4, maxLength: 4 }))
        .map((value) => ({ type: 'Pair' as const, value })),
    );
    fc.assert(
      fc.property(variant, (v) => assert.deepEqual(Sample.dec(Sample.enc(v as never)), v)),
      opts,
    );
    const S = Struct({ path: ['test', 'S'] }, { x: u8, y: Tuple(u32, str), z: Result(u16, unit) });
    const value = {
      x: 7,
      y: [9, 'hi'] as [number, string],
      z: { ok: false as const, error: undefined },
    };
    assert.deepEqual(S.dec(S.enc(value)), value);
  });

  it('Era round-trips and its birth lies within the period', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 65536 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (period, current) => {
          const era = mortalEra(period, current);
          assert.deepEqual(EraShape.dec(EraShape.enc(era)), era);
          if (!era.mortal) return;
          const birth = eraBirth(era, current);
          assert.ok(birth <= current && current - birth < era.period);
        },
      ),
      opts,
    );
    const immortal: Era = { mortal: false };
    assert.deepEqual([...EraShape.enc(immortal)], [0]);
    // polkadot-js: a 64-block era at block 100 encodes as 0x2502? (period 64, phase 36)
    assert.deepEqual(EraShape.dec(new Uint8Array([0x45, 0x02])), {
      mortal: true,
      period: 64,
      phase: 36,
    });
  });
});

describe('hand-written codecs agree with the generic ones', () => {
  it('AccountInfo', () => {
    const u32a = fc.integer({ min: 0, max: 0xffffffff });
    const u64a = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    fc.assert(
      fc.property(
        fc.record(
          {
            nonce: u32a,
            consumers: u32a,
            providers: u32a,
            sufficients: u32a,
            data: fc.record(
              {
                free: u64a,
                reserved: u64a,
                frozen: u64a,
                flags: fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
              },
              { noNullPrototype: true },
            ),
          },
          { noNullPrototype: true },
        ),
        (info) => {
          const fast = AccountInfo.enc(info);
          assert.deepEqual(fast, AccountInfoGeneric.enc(info));
          assert.deepEqual(AccountInfo.dec(fast), info);
          assert.deepEqual(AccountInfoGeneric.dec(fast), info);
        },
      ),
      opts,
    );
    assert.throws(() => AccountInfo.dec(new Uint8Array(55)), /too short/);
  });
});

describe('schema shapes reject bad input', () => {
  it('unknown enum index, short input, bad option tag', () => {
    assert.throws(() => Sample.dec(new Uint8Array([9])), /unknown variant index 9/);
    assert.throws(() => u32.dec(new Uint8Array([1, 2])));
    assert.throws(() => FixedBytes(4).dec(new Uint8Array([1, 2])), /too short/);
    assert.throws(() => Option(u8).dec(new Uint8Array([5, 1])), /bad Option tag/);
    assert.throws(() => Vec(u8).dec(new Uint8Array([0xfc])), /exceeds input|RangeError/);
    assert.throws(() => EraShape.dec(new Uint8Array([0x01, 0xff])), /invalid Era/);
    assert.throws(() => Sample.enc({ type: 'Nope' } as never), /unknown variant/);
    assert.throws(() => FixedBytes(32).enc(new Uint8Array(31)), /expected 32 bytes/);
  });

  it('decodes a subarray at its own offset', () => {
    const whole = new Uint8Array([9, 9, 0x2a, 0, 0, 0]);
    assert.equal(u32.dec(whole.subarray(2)), 42);
  });
});
