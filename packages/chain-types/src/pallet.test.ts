import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, hashKey, type StorageHasher, storagePrefix, toHex } from '@taoscript/codec';
import fc from 'fast-check';
import { FC_SEED } from '../test/shapes.js';
import { type AnyShape, Bytes, bool, Struct, u16, u64 } from './dsl.js';
import { doubleMap, map, type StateRW, StorageItem, StorageKey } from './pallet.js';
import { AccountId32 } from './primitives.js';

/** The key as built from scratch: prefix ++ hasher(encode(key)) per part. */
function expectedKey(
  pallet: string,
  name: string,
  hashers: StorageHasher[],
  shapes: AnyShape[],
  keys: unknown[],
): Uint8Array {
  return concatBytes(
    storagePrefix(pallet, name),
    ...keys.map((k, i) => hashKey(hashers[i] as StorageHasher, (shapes[i] as AnyShape).enc(k))),
  );
}

/** A map-backed state; `fast` adds the prepared-key methods. */
function mapState(fast: boolean): StateRW & { m: Map<string, Uint8Array>; calls: string[] } {
  const m = new Map<string, Uint8Array>();
  const calls: string[] = [];
  const s: StateRW & { m: Map<string, Uint8Array>; calls: string[] } = {
    m,
    calls,
    get: (k) => {
      calls.push('get');
      return m.get(toHex(k));
    },
    set: (k, v) => {
      calls.push('set');
      m.set(toHex(k), v);
    },
    delete: (k) => {
      calls.push('delete');
      m.delete(toHex(k));
    },
  };
  if (fast) {
    s.getAt = (k) => {
      calls.push('getAt');
      return m.get(k.hex);
    };
    s.setAt = (k, v) => {
      calls.push('setAt');
      m.set(k.hex, v);
    };
    s.deleteAt = (k) => {
      calls.push('deleteAt');
      m.delete(k.hex);
    };
  }
  return s;
}

describe('StorageKey', () => {
  it('copies its bytes and gives their hex', () => {
    const b = new Uint8Array([1, 171]);
    const k = new StorageKey(b);
    b[0] = 9;
    assert.deepEqual(k.bytes, new Uint8Array([1, 171]));
    assert.equal(k.hex, '0x01ab');
    assert.equal(k.hex, k.hex);
  });

  it('rejects non-bytes', () => {
    for (const bad of [null, '0x01', [1], new ArrayBuffer(1)]) {
      assert.throws(() => new StorageKey(bad as unknown as Uint8Array), TypeError);
    }
  });
});

describe('StorageItem key cache', () => {
  const shapes = [u16 as AnyShape, AccountId32 as AnyShape, u64 as AnyShape];
  const hashers: StorageHasher[] = ['Twox64Concat', 'Blake2_128Concat', 'Identity'];
  const nmap = () =>
    new StorageItem<[number, Uint8Array, bigint], bigint>(
      'Test',
      'NMap',
      hashers,
      shapes,
      u64,
      'Default',
      0n,
    );

  it('every key, partial key and repeat equals one built from scratch', () => {
    const item = nmap();
    const netuid = fc.nat({ max: 4 });
    const account = fc.constantFrom(...[0, 1, 2].map((i) => new Uint8Array(32).fill(i)));
    const amount = fc.bigInt({ min: 0n, max: 3n });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(netuid, account, amount, fc.nat({ max: 3 })), {
          minLength: 1,
          maxLength: 30,
          size: 'max',
        }),
        (calls) => {
          for (const [n, a, v, depth] of calls) {
            const keys = [n, a, v].slice(0, depth);
            const want = expectedKey('Test', 'NMap', hashers, shapes, keys);
            const got = (item.partialKey as (...k: unknown[]) => Uint8Array)(...keys);
            assert.deepEqual(got, want);
            if (depth === 3) {
              assert.deepEqual(item.key(n, a, v), want);
              assert.equal(item.storageKey(n, a, v).hex, toHex(want));
              assert.equal(item.storageKey(n, a, v), item.storageKey(n, a, v), 'cached');
            }
          }
        },
      ),
      { seed: FC_SEED, numRuns: 100 },
    );
  });

  it('returns fresh key bytes, and reads a byte key by its contents at call time', () => {
    const item = nmap();
    const acct = new Uint8Array(32).fill(5);
    const first = item.key(1, acct, 2n);
    first.fill(0);
    assert.deepEqual(
      item.key(1, acct, 2n),
      expectedKey('Test', 'NMap', hashers, shapes, [1, acct, 2n]),
    );
    acct[0] = 6;
    assert.deepEqual(
      item.key(1, acct, 2n),
      expectedKey('Test', 'NMap', hashers, shapes, [1, acct, 2n]),
    );
    // Byte keys of different lengths never share an entry.
    const bytesItem = map('Test', 'ByBytes', 'Identity', Bytes, u64, 0n);
    for (const b of [
      new Uint8Array([1, 2, 3]),
      new Uint8Array([1, 2, 3, 0]),
      new Uint8Array([1, 2]),
    ]) {
      assert.deepEqual(
        bytesItem.key(b),
        concatBytes(storagePrefix('Test', 'ByBytes'), Bytes.enc(b)),
      );
    }
  });

  it('keeps values of different types apart and handles long and non-primitive keys', () => {
    const item = map<unknown, bigint>('Test', 'Loose', 'Twox64Concat', u64 as AnyShape, u64, 0n);
    assert.deepEqual(item.key(1n), expectedKey('Test', 'Loose', ['Twox64Concat'], [u64], [1n]));
    assert.throws(() => item.key(1), TypeError); // a number is not a u64, cached or not
    assert.throws(() => item.key(1), TypeError);
    assert.deepEqual(item.key(1n), expectedKey('Test', 'Loose', ['Twox64Concat'], [u64], [1n]));
    const long = map('Test', 'Long', 'Blake2_128Concat', Bytes, u64, 0n);
    const big = new Uint8Array(300).fill(7);
    assert.deepEqual(
      long.key(big),
      expectedKey('Test', 'Long', ['Blake2_128Concat'], [Bytes], [big]),
    );
    const Pair = Struct({ path: ['Pair'] }, { a: u16, b: bool });
    const byStruct = map('Test', 'ByStruct', 'Twox64Concat', Pair, u64, 0n);
    const key = { a: 3, b: true };
    assert.deepEqual(
      byStruct.key(key),
      expectedKey('Test', 'ByStruct', ['Twox64Concat'], [Pair], [key]),
    );
    key.a = 4;
    assert.deepEqual(
      byStruct.key(key),
      expectedKey('Test', 'ByStruct', ['Twox64Concat'], [Pair], [key]),
    );
  });

  it('starts over when full and stays correct', () => {
    const item = map('Test', 'Many', 'Twox64Concat', u64, u64, 0n);
    const first = item.storageKey(0n);
    for (let i = 0n; i < 40_000n; i++) item.storageKey(i);
    // Bounded: the 2^15-entry cache was emptied on the way, so key 0 is built afresh (and cached).
    const again = item.storageKey(0n);
    assert.notEqual(again, first);
    assert.equal(item.storageKey(0n), again);
    assert.equal(again.hex, first.hex);
    for (const i of [0n, 39_999n, 12_345n]) {
      assert.deepEqual(item.key(i), expectedKey('Test', 'Many', ['Twox64Concat'], [u64], [i]));
    }
  });
});

describe('StorageItem reads and writes', () => {
  const Tempo = map('Test', 'Tempo', 'Twox64Concat', u16, u16, 360);
  const Stake = doubleMap(
    'Test',
    'Stake',
    ['Blake2_128Concat', 'Twox64Concat'],
    [AccountId32, u16],
    u64,
  );
  const who = new Uint8Array(32).fill(3);

  for (const fast of [true, false]) {
    it(`${fast ? 'uses the prepared-key methods when offered' : 'uses get/set/delete otherwise'}`, () => {
      const st = mapState(fast);
      assert.equal(Tempo.get(st, 1), 360);
      assert.equal(Stake.tryGet(st, who, 1), undefined);
      Tempo.set(st, 1, 99);
      Stake.set(st, who, 1, 5n);
      assert.equal(Tempo.get(st, 1), 99);
      assert.equal(Stake.get(st, who, 1), 5n);
      assert.deepEqual(st.m.get(toHex(Tempo.key(1))), u16.enc(99));
      assert.deepEqual(st.m.get(toHex(Stake.key(who, 1))), u64.enc(5n));
      Stake.remove(st, who, 1);
      assert.equal(Stake.tryGet(st, who, 1), undefined);
      const used = new Set(st.calls);
      if (fast) assert.deepEqual([...used].sort(), ['deleteAt', 'getAt', 'setAt']);
      else assert.deepEqual([...used].sort(), ['delete', 'get', 'set']);
    });
  }

  it('decodes stored bytes the codec rejects exactly as the codec does', () => {
    const st = mapState(true);
    st.m.set(toHex(Stake.key(who, 2)), new Uint8Array([1, 2, 3]));
    assert.throws(() => Stake.get(st, who, 2), RangeError);
    st.m.set(toHex(Stake.key(who, 2)), new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 9]));
    assert.equal(Stake.get(st, who, 2), 1n);
  });

  it('encodes out-of-range values exactly as the codec does', () => {
    const st = mapState(true);
    Tempo.set(st, 2, 70_000); // u16 wraps, as scale-ts's DataView does
    assert.deepEqual(st.m.get(toHex(Tempo.key(2))), u16.enc(70_000));
    assert.throws(() => Stake.set(st, who, 2, 5 as unknown as bigint), TypeError);
  });
});
