import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageKey } from '@taoscript/chain-types';
import { fromHex, toHex } from '@taoscript/codec';
import fc from 'fast-check';
import { type Changes, MapState, Overlay, type StateReader } from './state.js';
import { ReferenceMapState, ReferenceOverlay } from './state-reference.js';

const seed = Number(process.env.FC_SEED ?? 1);

function check<T>(prop: fc.IProperty<T>, numRuns: number): void {
  const out = fc.check(prop, { seed, numRuns });
  if (out.failed) {
    assert.fail(
      `property failed (FC_SEED=${seed}): ${fc.stringify(out.counterexample)} ${String(out.errorInstance)}`,
    );
  }
}

// Keys as storage builds them: two pallets, items under them sharing the pallet half, entries
// under items, plus short well-known keys and a bare prefix.
const PALLET_A = 'aa'.repeat(16);
const PALLET_B = 'ab'.repeat(16);
const ITEMS = [
  `${PALLET_A}${'01'.repeat(16)}`,
  `${PALLET_A}${'02'.repeat(16)}`,
  `${PALLET_B}${'01'.repeat(16)}`,
];
const UNIVERSE: string[] = [];
for (const item of ITEMS) {
  UNIVERSE.push(`0x${item}`);
  for (const entry of ['00', '01', '0100', '0101', 'ff', 'ff00', '7f7f7f7f']) {
    UNIVERSE.push(`0x${item}${entry}`);
  }
}
UNIVERSE.push('0x3a636f6465', '0x3a', '0x', '0xaa', `0x${PALLET_A}`);

/** Half the time one of three keys, so layers often rewrite the same key. */
const keyArb = fc.oneof(fc.constantFrom(...UNIVERSE), fc.constantFrom(...UNIVERSE.slice(1, 4)));
/** Any prefix of a universe key (all lengths, so both short and item-length prefixes occur). */
const prefixArb = fc
  .tuple(keyArb, fc.nat())
  .map(([k, n]) => k.slice(0, 2 + 2 * (n % ((k.length - 2) / 2 + 1))));
const valueArb = fc.uint8Array({ minLength: 0, maxLength: 3 });

type Op =
  | { op: 'set'; key: string; value: Uint8Array; prepared: boolean }
  | { op: 'delete'; key: string; prepared: boolean }
  | { op: 'get'; key: string; prepared: boolean }
  | { op: 'keys'; prefix: string; start: string | undefined; limit: number | undefined }
  | { op: 'begin' }
  | { op: 'commit' }
  | { op: 'rollback' }
  | { op: 'event'; n: number }
  | { op: 'changes' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('set' as const),
      key: keyArb,
      value: valueArb,
      prepared: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('delete' as const),
      key: keyArb,
      prepared: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('get' as const), key: keyArb, prepared: fc.boolean() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('keys' as const),
      prefix: prefixArb,
      start: fc.option(keyArb, { nil: undefined }),
      limit: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('begin' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('commit' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('rollback' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('event' as const), n: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('changes' as const) }) },
);

const baseArb = fc.dictionary(keyArb, valueArb, { maxKeys: 10 });

/** Runs `f` on both, asserting equal results or equal error messages. */
function same<T>(what: string, a: () => T, b: () => T): void {
  let ra: { ok: true; v: T } | { ok: false; e: string };
  let rb: typeof ra;
  try {
    ra = { ok: true, v: a() };
  } catch (e) {
    ra = { ok: false, e: String(e) };
  }
  try {
    rb = { ok: true, v: b() };
  } catch (e) {
    rb = { ok: false, e: String(e) };
  }
  assert.deepStrictEqual(ra, rb, what);
}

const hexes = (keys: Uint8Array[]): string[] => keys.map((k) => toHex(k));
const entries = (c: Changes) => [...c].map(([k, v]) => [k, v === null ? null : toHex(v)]);

/** A reader with neither fast path, as the node's stores are today. */
function plainReader(map: Map<string, Uint8Array>): StateReader {
  const m = new MapState(map);
  return { get: (k) => m.get(k), keys: (p, s, l) => m.keys(p, s, l) };
}

function runAgainstReference(base: Record<string, Uint8Array>, ops: Op[], kind: number): void {
  const entriesOf = () => new Map(Object.entries(base));
  const refBase = new ReferenceMapState(entriesOf());
  // 0: MapState (both fast paths); 1: a plain reader; 2: an Overlay holding the base as writes.
  let newBase: StateReader;
  if (kind === 0) newBase = new MapState(entriesOf());
  else if (kind === 1) newBase = plainReader(entriesOf());
  else {
    const inner = new Overlay(new MapState());
    for (const [k, v] of Object.entries(base)) inner.set(fromHex(k), v);
    newBase = inner;
  }
  const ref = new ReferenceOverlay(refBase);
  const ov = new Overlay(newBase);
  for (const [i, o] of ops.entries()) {
    const at = `op ${i} ${o.op}`;
    switch (o.op) {
      case 'set':
        if (o.prepared) ov.setAt(new StorageKey(fromHex(o.key)), o.value);
        else ov.set(fromHex(o.key), o.value);
        ref.set(fromHex(o.key), o.value);
        break;
      case 'delete':
        if (o.prepared) ov.deleteAt(new StorageKey(fromHex(o.key)));
        else ov.delete(fromHex(o.key));
        ref.delete(fromHex(o.key));
        break;
      case 'get':
        same(
          at,
          () => ref.get(fromHex(o.key)),
          () => (o.prepared ? ov.getAt(new StorageKey(fromHex(o.key))) : ov.get(fromHex(o.key))),
        );
        break;
      case 'keys': {
        const start = o.start === undefined ? undefined : fromHex(o.start);
        same(
          at,
          () => hexes(ref.keys(fromHex(o.prefix), start, o.limit)),
          () => hexes(ov.keys(fromHex(o.prefix), start, o.limit)),
        );
        break;
      }
      case 'begin':
        ref.begin();
        ov.begin();
        break;
      case 'commit':
        same(
          at,
          () => ref.commit(),
          () => ov.commit(),
        );
        break;
      case 'rollback':
        same(
          at,
          () => ref.rollback(),
          () => ov.rollback(),
        );
        break;
      case 'event':
        ref.events.push(o.n);
        ov.events.push(o.n);
        break;
      case 'changes':
        same(
          at,
          () => entries(ref.changes()),
          () => entries(ov.changes()),
        );
        break;
    }
    assert.deepEqual(ov.events, ref.events, `${at}: events`);
  }
  // Close what is open (committing), then the change sets must match in content and order.
  for (;;) {
    try {
      ref.commit();
    } catch {
      break;
    }
    ov.commit();
  }
  assert.deepStrictEqual(entries(ov.changes()), entries(ref.changes()));
  assert.deepStrictEqual(hexes(ov.keys(new Uint8Array())), hexes(ref.keys(new Uint8Array())));
}

describe('Overlay matches the layer-per-map reference', () => {
  for (const [kind, name] of [
    [0, 'over a MapState (hex fast paths)'],
    [1, 'over a plain reader (no fast paths)'],
    [2, 'over another Overlay'],
  ] as const) {
    it(`random reads, writes, key pages and layers ${name}`, () => {
      check(
        fc.property(
          baseArb,
          fc.array(opArb, { minLength: 5, maxLength: 60, size: 'max' }),
          (base, ops) => {
            runAgainstReference(base, ops, kind);
          },
        ),
        kind === 0 ? 400 : 150,
      );
    });
  }

  it('rolled-back keys leave key pages and the change set', () => {
    const ov = new Overlay(new MapState());
    const k = (s: string) => fromHex(`0x${ITEMS[0]}${s}`);
    const prefix = fromHex(`0x${ITEMS[0]}`);
    ov.set(k('01'), new Uint8Array([1]));
    ov.begin();
    ov.set(k('02'), new Uint8Array([2]));
    ov.delete(k('01'));
    ov.begin();
    ov.set(k('03'), new Uint8Array([3]));
    ov.commit();
    assert.deepEqual(hexes(ov.keys(prefix)), [toHex(k('02')), toHex(k('03'))]);
    ov.rollback();
    assert.deepEqual(hexes(ov.keys(prefix)), [toHex(k('01'))]);
    assert.deepEqual(ov.get(k('01')), new Uint8Array([1]));
    assert.equal(ov.get(k('02')), undefined);
    ov.set(k('03'), new Uint8Array([4]));
    assert.deepEqual(entries(ov.changes()), [
      [toHex(k('01')), '0x01'],
      [toHex(k('03')), '0x04'],
    ]);
    assert.throws(() => ov.commit(), /commit without begin/);
    assert.throws(() => ov.rollback(), /rollback without begin/);
    ov.begin();
    assert.throws(() => ov.changes(), /open transactional layers/);
  });

  it('rolling back an outer layer restores what preceded it, through nested commits', () => {
    const key = new Uint8Array([7]);
    const ov = new Overlay(new MapState(new Map([['0x07', new Uint8Array([0])]])));
    ov.set(key, new Uint8Array([1]));
    ov.begin();
    ov.set(key, new Uint8Array([2]));
    ov.begin();
    ov.set(key, new Uint8Array([3]));
    ov.commit();
    assert.deepEqual(ov.get(key), new Uint8Array([3]));
    ov.rollback();
    assert.deepEqual(ov.get(key), new Uint8Array([1]));
    ov.begin();
    ov.delete(key);
    ov.begin();
    ov.set(key, new Uint8Array([4]));
    ov.rollback();
    assert.equal(ov.get(key), undefined);
    ov.commit();
    assert.deepEqual(entries(ov.changes()), [['0x07', null]]);
  });

  it('transactional keeps writes and events only on ok, and rolls back on a throw', () => {
    const ov = new Overlay(new MapState());
    const key = new Uint8Array([1, 2]);
    ov.transactional(() => {
      ov.set(key, new Uint8Array([1]));
      ov.events.push('kept');
      return { ok: true };
    });
    ov.transactional(() => {
      ov.set(key, new Uint8Array([2]));
      ov.events.push('dropped');
      return { ok: false };
    });
    assert.throws(() =>
      ov.transactional(() => {
        ov.delete(key);
        ov.events.push('dropped too');
        throw new Error('boom');
      }),
    );
    assert.deepEqual(ov.get(key), new Uint8Array([1]));
    assert.deepEqual(ov.events, ['kept']);
  });
});

describe('MapState matches the filter-and-sort reference', () => {
  type Step =
    | { op: 'apply'; changes: [string, Uint8Array | null][] }
    | { op: 'keys'; prefix: string; start: string | undefined; limit: number | undefined }
    | { op: 'get'; key: string };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      op: fc.constant('apply' as const),
      changes: fc.array(fc.tuple(keyArb, fc.option(valueArb, { nil: null })), { maxLength: 8 }),
    }),
    fc.record({
      op: fc.constant('keys' as const),
      prefix: prefixArb,
      start: fc.option(keyArb, { nil: undefined }),
      limit: fc.option(fc.integer({ min: -2, max: 6 }), { nil: undefined }),
    }),
    fc.record({ op: fc.constant('get' as const), key: keyArb }),
  );

  it('random change sets, gets and key pages', () => {
    check(
      fc.property(
        baseArb,
        fc.array(stepArb, { minLength: 5, maxLength: 40, size: 'max' }),
        (base, steps) => {
          const ref = new ReferenceMapState(new Map(Object.entries(base)));
          const st = new MapState(new Map(Object.entries(base)));
          for (const s of steps) {
            if (s.op === 'apply') {
              const c: Changes = new Map(s.changes);
              ref.apply(c);
              st.apply(c);
            } else if (s.op === 'get') {
              assert.equal(st.get(fromHex(s.key)), ref.get(fromHex(s.key)));
              assert.equal(st.getAt(new StorageKey(fromHex(s.key))), ref.get(fromHex(s.key)));
            } else {
              const start = s.start === undefined ? undefined : fromHex(s.start);
              const want = hexes(ref.keys(fromHex(s.prefix), start, s.limit));
              assert.deepEqual(hexes(st.keys(fromHex(s.prefix), start, s.limit)), want);
              assert.deepEqual(st.keysHex(s.prefix, s.start, s.limit), want);
            }
            assert.deepStrictEqual(st.map, ref.map);
          }
        },
      ),
      300,
    );
  });

  it('notices direct edits of the map that change its size', () => {
    const st = new MapState();
    st.apply(new Map([['0x01', new Uint8Array([1])]]));
    assert.deepEqual(st.keysHex('0x'), ['0x01']);
    st.map.set('0x02', new Uint8Array([2]));
    assert.deepEqual(st.keysHex('0x'), ['0x01', '0x02']);
    st.map.delete('0x01');
    assert.deepEqual(st.keysHex('0x'), ['0x02']);
  });

  it('rejects a non-string hex prefix', () => {
    assert.throws(() => new MapState().keysHex(1 as unknown as string), TypeError);
  });
});
