import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { open } from 'lmdb';
import { openLmdbStore } from './lmdb-store.js';
import { openMemoryStore } from './memory-store.js';
import { hex, makeBlock, testHash, toHexString } from './test-fixtures/blocks.js';
import type { BlockCommit, ChainStore } from './types.js';
import { StoreError } from './types.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tao-store-'));
  dirs.push(d);
  return d;
}

const kinds: { name: string; open: () => ChainStore }[] = [
  { name: 'memory', open: () => openMemoryStore() },
  { name: 'lmdb', open: () => openLmdbStore({ path: join(tempDir(), 'db') }) },
];

const v = (...bytes: number[]): Uint8Array => new Uint8Array(bytes);

/** Commits genesis + blocks 1..changes.length, returning the commits. */
async function buildChain(
  store: ChainStore,
  perBlock: Record<string, Uint8Array | null>[],
): Promise<BlockCommit[]> {
  const out: BlockCommit[] = [];
  let parent: Uint8Array | undefined;
  for (const [n, changes] of perBlock.entries()) {
    const b = makeBlock(n, parent, changes);
    if (n === 0) await store.commitGenesis(b);
    else await store.commitBlock(b);
    out.push(b);
    parent = b.hash;
  }
  return out;
}

function keysHex(keys: Uint8Array[]): string[] {
  return keys.map(toHexString);
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('empty store has no head, no state and no blocks', async () => {
      const s = kind.open();
      assert.equal(s.head(), undefined);
      assert.equal(s.blockHash(0), undefined);
      assert.equal(s.block(testHash(0)), undefined);
      assert.throws(() => s.stateAt(0), RangeError);
      await s.close();
    });

    test('stores blocks and reads them back by number and hash', async () => {
      const s = kind.open();
      const chain = await buildChain(s, [{ '0x01': v(1) }, { '0x02': v(2) }, {}]);
      assert.deepEqual(s.head(), { number: 2, hash: chain[2]?.hash });
      for (const b of chain) {
        assert.deepEqual(s.blockHash(b.number), b.hash);
        const got = s.block(b.hash);
        assert.deepEqual(got, {
          hash: b.hash,
          number: b.number,
          parentHash: b.parentHash,
          header: b.header,
          body: b.body,
        });
        assert.ok(got !== undefined && !Buffer.isBuffer(got.hash) && !Buffer.isBuffer(got.body[0]));
      }
      assert.equal(s.blockHash(3), undefined);
      assert.equal(s.block(testHash(3)), undefined);
      await s.close();
    });

    test('historical reads across many blocks', async () => {
      const s = kind.open();
      const perBlock: Record<string, Uint8Array | null>[] = [];
      for (let n = 0; n < 60; n++) {
        const c: Record<string, Uint8Array | null> = { '0xaa': v(n) };
        if (n % 7 === 0) c[`0xbb${n.toString(16).padStart(2, '0')}`] = v(n, n);
        perBlock.push(c);
      }
      await buildChain(s, perBlock);
      for (let n = 0; n < 60; n++) {
        const r = s.stateAt(n);
        assert.equal(r.number, n);
        assert.deepEqual(r.get(hex('0xaa')), v(n));
        const bb = r.keys(hex('0xbb'));
        assert.equal(bb.length, Math.floor(n / 7) + 1);
        for (let m = 0; m < 60; m += 7) {
          const got = r.get(hex(`0xbb${m.toString(16).padStart(2, '0')}`));
          assert.deepEqual(got, m <= n ? v(m, m) : undefined);
        }
      }
      await s.close();
    });

    test('deletes are tombstones: absent afterwards, present before, revivable', async () => {
      const s = kind.open();
      await buildChain(s, [
        { '0x10': v(0) },
        { '0x11': v(1) },
        {},
        { '0x11': null, '0x10': null },
        { '0x12': v(4) },
        { '0x11': v(5) },
        { '0x99': null },
      ]);
      const at = (n: number) => s.stateAt(n);
      assert.deepEqual(at(2).get(hex('0x11')), v(1));
      assert.equal(at(3).get(hex('0x11')), undefined);
      assert.equal(at(4).get(hex('0x11')), undefined);
      assert.deepEqual(at(5).get(hex('0x11')), v(5));
      assert.deepEqual(at(0).get(hex('0x10')), v(0));
      assert.equal(at(6).get(hex('0x10')), undefined);
      assert.equal(at(6).get(hex('0x99')), undefined);
      assert.deepEqual(keysHex(at(2).keys(new Uint8Array(0))), ['0x10', '0x11']);
      assert.deepEqual(keysHex(at(3).keys(new Uint8Array(0))), []);
      assert.deepEqual(keysHex(at(4).keys(new Uint8Array(0))), ['0x12']);
      assert.deepEqual(keysHex(at(6).keys(new Uint8Array(0))), ['0x11', '0x12']);
      await s.close();
    });

    test('keys that are prefixes of each other never collide and sort by bytes', async () => {
      const s = kind.open();
      // Includes zero bytes in and at the end of keys and the 0xff edge.
      const keys = [
        '0x01',
        '0x0100',
        '0x010000',
        '0x01000000',
        '0x0100000001',
        '0x010001',
        '0x0101',
        '0x01ff',
        '0x01ffff',
        '0x02',
        '0xff',
        '0xffff',
        '0x00',
        '0x0000',
      ];
      const perBlock: Record<string, Uint8Array | null>[] = [];
      for (const [i, k] of keys.entries()) perBlock.push({ [k]: v(i, 0xee) });
      // Then update each again in reverse order, so versions of different keys interleave in time.
      for (const [i, k] of [...keys.entries()].reverse()) perBlock.push({ [k]: v(i, 0xdd) });
      await buildChain(s, perBlock);
      const total = keys.length;
      for (let n = 0; n < perBlock.length; n++) {
        const r = s.stateAt(n);
        for (const [i, k] of keys.entries()) {
          const firstSet = i;
          const secondSet = 2 * total - 1 - i;
          const expected = n < firstSet ? undefined : n < secondSet ? v(i, 0xee) : v(i, 0xdd);
          assert.deepEqual(r.get(hex(k)), expected, `key ${k} at #${n}`);
        }
      }
      const sorted = [...keys].sort((a, b) => Buffer.compare(hex(a), hex(b)));
      const head = s.stateAt(perBlock.length - 1);
      assert.deepEqual(keysHex(head.keys(new Uint8Array(0))), sorted);
      assert.deepEqual(
        keysHex(head.keys(hex('0x01'))),
        sorted.filter((k) => k.startsWith('0x01')),
      );
      assert.deepEqual(keysHex(head.keys(hex('0x0100'))), [
        '0x0100',
        '0x010000',
        '0x01000000',
        '0x0100000001',
        '0x010001',
      ]);
      assert.deepEqual(keysHex(head.keys(hex('0xff'))), ['0xff', '0xffff']);
      assert.deepEqual(keysHex(head.keys(hex('0xffff'))), ['0xffff']);
      assert.deepEqual(keysHex(head.keys(hex('0x00'))), ['0x00', '0x0000']);
      // At a height where only the first 3 keys exist.
      assert.deepEqual(keysHex(s.stateAt(2).keys(hex('0x01'))), ['0x01', '0x0100', '0x010000']);
      await s.close();
    });

    test('keys paging with startKey and limit at historical heights', async () => {
      const s = kind.open();
      const perBlock: Record<string, Uint8Array | null>[] = [];
      for (let n = 0; n < 20; n++) {
        const c: Record<string, Uint8Array | null> = {};
        c[`0x77${(n * 3).toString(16).padStart(4, '0')}`] = v(n);
        if (n >= 10) c[`0x77${((n - 10) * 3).toString(16).padStart(4, '0')}`] = null;
        c[`0x78${n.toString(16).padStart(2, '0')}`] = v(n);
        perBlock.push(c);
      }
      await buildChain(s, perBlock);
      for (const n of [0, 3, 9, 10, 15, 19]) {
        const r = s.stateAt(n);
        const all = keysHex(r.keys(hex('0x77')));
        const expected: string[] = [];
        for (let m = n >= 10 ? n - 9 : 0; m <= n; m++)
          expected.push(`0x77${(m * 3).toString(16).padStart(4, '0')}`);
        assert.deepEqual(all, expected, `all keys at #${n}`);
        for (const pageSize of [1, 2, 3, 7]) {
          const paged: string[] = [];
          let start: Uint8Array | undefined;
          for (;;) {
            const page = r.keys(hex('0x77'), start, pageSize);
            assert.ok(page.length <= pageSize);
            paged.push(...keysHex(page));
            if (page.length < pageSize) break;
            start = page[page.length - 1];
          }
          assert.deepEqual(paged, expected, `paged by ${pageSize} at #${n}`);
        }
        // startKey that does not exist, below and above the prefix range.
        assert.deepEqual(
          keysHex(r.keys(hex('0x77'), hex('0x770001'))),
          expected.filter((k) => k > '0x770001'),
        );
        assert.deepEqual(keysHex(r.keys(hex('0x77'), hex('0x01'))), expected);
        assert.deepEqual(keysHex(r.keys(hex('0x77'), hex('0x78'))), []);
        assert.deepEqual(r.keys(hex('0x77'), undefined, 0), []);
      }
      await s.close();
    });

    test('rejected commits change nothing', async () => {
      const s = kind.open();
      const chain = await buildChain(s, [{ '0x01': v(0) }, { '0x01': v(1) }]);
      const head = chain[1]!;
      const snapshot = () => ({
        head: s.head(),
        hash2: s.blockHash(2),
        keys: keysHex(s.stateAt(1).keys(new Uint8Array(0))),
        v: s.stateAt(1).get(hex('0x01')),
        meta: s.getMeta('m'),
      });
      const before = snapshot();
      const bad = (b: BlockCommit): BlockCommit => ({
        ...b,
        changes: new Map([
          ['0x01', v(9)],
          ['0x02', v(9)],
        ]),
        meta: new Map([['m', v(1)]]),
      });
      const cases: [string, () => Promise<void>, (e: unknown) => boolean][] = [
        [
          'skips a number',
          () => s.commitBlock(bad(makeBlock(3, head.hash))),
          isStoreError('NON_SEQUENTIAL_BLOCK'),
        ],
        [
          'repeats a number',
          () => s.commitBlock(bad(makeBlock(1, chain[0]!.hash, {}, 'x'))),
          isStoreError('NON_SEQUENTIAL_BLOCK'),
        ],
        [
          'wrong parent',
          () => s.commitBlock(bad(makeBlock(2, testHash(7)))),
          isStoreError('NON_SEQUENTIAL_BLOCK'),
        ],
        [
          'duplicate hash',
          () => s.commitBlock(bad({ ...makeBlock(2, head.hash), hash: chain[0]!.hash })),
          isStoreError('DUPLICATE_BLOCK_HASH'),
        ],
        [
          'second genesis',
          () => s.commitGenesis(bad(makeBlock(0, undefined, {}, 'g'))),
          isStoreError('GENESIS_EXISTS'),
        ],
        [
          'genesis via commitBlock',
          () => s.commitBlock(bad(makeBlock(0, undefined, {}, 'g'))),
          isStoreError('NON_SEQUENTIAL_BLOCK'),
        ],
        [
          'uppercase hex key',
          () =>
            s.commitBlock({
              ...makeBlock(2, head.hash),
              changes: new Map([
                ['0x01', v(1)],
                ['0xAB', v(1)],
              ]),
            }),
          isError(TypeError),
        ],
        [
          'key without 0x',
          () => s.commitBlock({ ...makeBlock(2, head.hash), changes: new Map([['01', v(1)]]) }),
          isError(TypeError),
        ],
        [
          'odd-length key',
          () => s.commitBlock({ ...makeBlock(2, head.hash), changes: new Map([['0x012', v(1)]]) }),
          isError(TypeError),
        ],
        [
          'empty key',
          () => s.commitBlock({ ...makeBlock(2, head.hash), changes: new Map([['0x', v(1)]]) }),
          isError(TypeError),
        ],
        [
          'oversized key',
          () =>
            s.commitBlock({
              ...makeBlock(2, head.hash),
              changes: new Map([[`0x${'00'.repeat(513)}`, v(1)]]),
            }),
          isError(RangeError),
        ],
        [
          'non-bytes value',
          () =>
            s.commitBlock({
              ...makeBlock(2, head.hash),
              changes: new Map([['0x01', 'x' as unknown as Uint8Array]]),
            }),
          isError(TypeError),
        ],
        [
          'Array value',
          () =>
            s.commitBlock({
              ...makeBlock(2, head.hash),
              changes: new Map([['0x01', [1] as unknown as Uint8Array]]),
            }),
          isError(TypeError),
        ],
        [
          'changes not a Map',
          () =>
            s.commitBlock({
              ...makeBlock(2, head.hash),
              changes: { '0x01': v(1) } as unknown as Map<string, Uint8Array>,
            }),
          isError(TypeError),
        ],
        [
          'fractional number',
          () => s.commitBlock(bad(makeBlock(2.5, head.hash))),
          isError(RangeError),
        ],
        [
          'negative number',
          () => s.commitBlock(bad(makeBlock(-1, head.hash))),
          isError(RangeError),
        ],
        [
          'empty hash',
          () => s.commitBlock(bad({ ...makeBlock(2, head.hash), hash: new Uint8Array(0) })),
          isError(RangeError),
        ],
        [
          'oversized hash',
          () => s.commitBlock(bad({ ...makeBlock(2, head.hash), hash: new Uint8Array(65) })),
          isError(RangeError),
        ],
        [
          'string header',
          () =>
            s.commitBlock(
              bad({ ...makeBlock(2, head.hash), header: 'h' as unknown as Uint8Array }),
            ),
          isError(TypeError),
        ],
        [
          'body not array',
          () =>
            s.commitBlock(
              bad({ ...makeBlock(2, head.hash), body: v(1) as unknown as Uint8Array[] }),
            ),
          isError(TypeError),
        ],
        [
          'body item not bytes',
          () =>
            s.commitBlock(
              bad({ ...makeBlock(2, head.hash), body: [v(1), 2 as unknown as Uint8Array] }),
            ),
          isError(TypeError),
        ],
        [
          'bad meta key',
          () => s.commitBlock({ ...makeBlock(2, head.hash), meta: new Map([['', v(1)]]) }),
          isError(RangeError),
        ],
        ['null block', () => s.commitBlock(null as unknown as BlockCommit), isError(TypeError)],
      ];
      for (const [name, run, check] of cases) {
        await assert.rejects(run, check, name);
        assert.deepEqual(snapshot(), before, `state changed after: ${name}`);
      }
      // And the store still accepts the right block afterwards.
      await s.commitBlock(makeBlock(2, head.hash, { '0x02': v(2) }));
      assert.equal(s.head()?.number, 2);
      await s.close();
    });

    test('commitBlock before genesis is rejected', async () => {
      const s = kind.open();
      await assert.rejects(s.commitBlock(makeBlock(1, testHash(0))), isStoreError('NO_GENESIS'));
      await assert.rejects(s.commitGenesis(makeBlock(1, undefined)), isError(RangeError));
      assert.equal(s.head(), undefined);
      await s.close();
    });

    test('reads validate their arguments', async () => {
      const s = kind.open();
      await buildChain(s, [{ '0x01': v(0) }]);
      const r = s.stateAt(0);
      assert.throws(() => r.get('0x01' as unknown as Uint8Array), TypeError);
      assert.throws(() => r.get(new Uint8Array(0)), RangeError);
      assert.throws(() => r.get(new Uint8Array(513)), RangeError);
      assert.throws(() => r.keys([1] as unknown as Uint8Array), TypeError);
      assert.throws(() => r.keys(new Uint8Array(0), 'x' as unknown as Uint8Array), TypeError);
      assert.throws(() => r.keys(new Uint8Array(0), undefined, -1), RangeError);
      assert.throws(() => r.keys(new Uint8Array(0), undefined, 1.5), RangeError);
      assert.throws(() => s.stateAt(1), RangeError);
      assert.throws(() => s.stateAt(-1), RangeError);
      assert.throws(() => s.stateAt('0' as unknown as number), TypeError);
      assert.throws(() => s.blockHash(Number.NaN), RangeError);
      assert.throws(() => s.block('0x00' as unknown as Uint8Array), TypeError);
      assert.throws(() => s.getMeta(1 as unknown as string), TypeError);
      await assert.rejects(s.setMeta('k', 'v' as unknown as Uint8Array), TypeError);
      await s.close();
    });

    test('returned bytes are copies the caller may mutate', async () => {
      const s = kind.open();
      const chain = await buildChain(s, [{ '0x01': v(1, 2, 3) }]);
      const got = s.stateAt(0).get(hex('0x01'));
      assert.ok(got !== undefined && !Buffer.isBuffer(got));
      got.fill(0);
      assert.deepEqual(s.stateAt(0).get(hex('0x01')), v(1, 2, 3));
      const h = s.head()!.hash;
      h.fill(0);
      assert.deepEqual(s.head()?.hash, chain[0]?.hash);
      // Mutating the commit's buffers after commit does not change stored data either.
      chain[0]!.changes.get('0x01')!.fill(9);
      assert.deepEqual(s.stateAt(0).get(hex('0x01')), v(1, 2, 3));
      await s.close();
    });

    test('metadata: atomic with a commit, settable, deletable', async () => {
      const s = kind.open();
      const g = makeBlock(0, undefined, { '0x01': v(1) });
      g.meta = new Map([
        ['chain', v(7)],
        ['genesis', g.hash],
      ]);
      await s.commitGenesis(g);
      assert.deepEqual(s.getMeta('chain'), v(7));
      assert.deepEqual(s.getMeta('genesis'), g.hash);
      assert.equal(s.getMeta('missing'), undefined);
      await s.setMeta('chain', v(8));
      assert.deepEqual(s.getMeta('chain'), v(8));
      await s.setMeta('chain', null);
      assert.equal(s.getMeta('chain'), undefined);
      const b1 = makeBlock(1, g.hash);
      b1.meta = new Map([
        ['genesis', null],
        ['ünïcode', v(1)],
      ]);
      await s.commitBlock(b1);
      assert.equal(s.getMeta('genesis'), undefined);
      assert.deepEqual(s.getMeta('ünïcode'), v(1));
      await s.close();
    });

    test('a closed store refuses further use', async () => {
      const s = kind.open();
      const chain = await buildChain(s, [{ '0x01': v(1) }]);
      const r = s.stateAt(0);
      await s.close();
      await s.close(); // idempotent
      assert.throws(() => s.head(), isStoreError('CLOSED'));
      assert.throws(() => r.get(hex('0x01')), isStoreError('CLOSED'));
      await assert.rejects(s.commitBlock(makeBlock(1, chain[0]!.hash)), isStoreError('CLOSED'));
    });
  });
}

describe('lmdb store persistence', () => {
  test('reopening resumes at the last block with identical state', async () => {
    const path = join(tempDir(), 'nested', 'db');
    const s1 = openLmdbStore({ path });
    const perBlock: Record<string, Uint8Array | null>[] = [];
    for (let n = 0; n < 12; n++) {
      perBlock.push({ [`0x5${n % 4}`]: v(n), [`0x6${n % 3}`]: n % 2 === 0 ? v(n) : null });
    }
    const g = makeBlock(0, undefined, perBlock[0]);
    g.meta = new Map([['spec', v(1, 2)]]);
    await s1.commitGenesis(g);
    let parent = g.hash;
    for (let n = 1; n < perBlock.length; n++) {
      const b = makeBlock(n, parent, perBlock[n]);
      await s1.commitBlock(b);
      parent = b.hash;
    }
    const dump = (s: ChainStore) => {
      const out: unknown[] = [s.head(), s.getMeta('spec')];
      for (let n = 0; n <= 11; n++) {
        const r = s.stateAt(n);
        out.push(s.blockHash(n), s.block(s.blockHash(n)!), keysHex(r.keys(new Uint8Array(0))));
        for (const k of r.keys(new Uint8Array(0))) out.push(r.get(k));
      }
      return out;
    };
    const before = dump(s1);
    await s1.close();
    const s2 = openLmdbStore({ path });
    assert.deepEqual(dump(s2), before);
    assert.equal(s2.head()?.number, 11);
    // It continues the chain from where it left off and rejects a fork of the old head.
    await assert.rejects(
      s2.commitBlock(makeBlock(11, s2.blockHash(10), {}, 'fork')),
      isStoreError('NON_SEQUENTIAL_BLOCK'),
    );
    await s2.commitBlock(makeBlock(12, parent, { '0x50': null }));
    assert.equal(s2.stateAt(12).get(hex('0x50')), undefined);
    assert.deepEqual(s2.stateAt(11).get(hex('0x50')), v(8));
    await s2.close();
  });

  test('in-flight commits may be queued back to back and all become durable', async () => {
    const path = join(tempDir(), 'db');
    const s = openLmdbStore({ path });
    const g = makeBlock(0, undefined, { '0x01': v(0) });
    await s.commitGenesis(g);
    const b1 = makeBlock(1, g.hash, { '0x01': v(1) });
    const b2 = makeBlock(2, b1.hash, { '0x01': v(2) });
    const p1 = s.commitBlock(b1);
    const p2 = s.commitBlock(b2);
    // A third that does not extend the in-flight tip is rejected immediately.
    await assert.rejects(
      s.commitBlock(makeBlock(2, b1.hash, {}, 'other')),
      isStoreError('NON_SEQUENTIAL_BLOCK'),
    );
    await Promise.all([p1, p2]);
    assert.equal(s.head()?.number, 2);
    assert.deepEqual(s.stateAt(1).get(hex('0x01')), v(1));
    assert.deepEqual(s.stateAt(2).get(hex('0x01')), v(2));
    await s.close();
  });

  test('refuses to open data of an unknown format', async () => {
    const path = join(tempDir(), 'db');
    const raw = open({ path, keyEncoding: 'binary', encoding: 'binary', maxDbs: 8 });
    await raw
      .openDB('internal', { keyEncoding: 'binary', encoding: 'binary' })
      .put(new TextEncoder().encode('format'), new Uint8Array([0, 0, 0, 99]));
    await raw.close();
    assert.throws(() => openLmdbStore({ path }), isStoreError('INCOMPATIBLE_FORMAT'));
  });

  test('rejects a path that is not a string', () => {
    assert.throws(() => openLmdbStore({ path: '' }), TypeError);
    assert.throws(() => openLmdbStore({ path: 1 as unknown as string }), TypeError);
    assert.throws(() => openLmdbStore(null as unknown as { path: string }), TypeError);
  });
});

function isStoreError(code: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof StoreError, `expected StoreError ${code}, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  };
}

function isError(type: new (...args: never[]) => Error) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    return true;
  };
}
