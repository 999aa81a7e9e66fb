// Model-based test: the LMDB store must agree with the in-memory reference on random sequences of
// commits (good and bad), reopenings and queries.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { openLmdbStore } from './lmdb-store.js';
import { openMemoryStore } from './memory-store.js';
import { makeBlock, toHexString } from './test-fixtures/blocks.js';
import type { ChainStore } from './types.js';

const seed = process.env.FC_SEED === undefined ? Date.now() : Number(process.env.FC_SEED);

// Few distinct byte values so generated keys are often prefixes of each other.
const keyBytes = fc
  .uint8Array({ minLength: 1, maxLength: 4 })
  .map((a) => a.map((b) => [0, 1, 0xfe, 0xff][b & 3] as number));
const boundBytes = fc
  .uint8Array({ minLength: 0, maxLength: 3 })
  .map((a) => a.map((b) => [0, 1, 0xfe, 0xff][b & 3] as number));
const value = fc.option(fc.uint8Array({ maxLength: 6 }), { nil: null, freq: 4 });

type Op =
  | { op: 'commit'; changes: [Uint8Array, Uint8Array | null][] }
  | { op: 'bad'; skip: number }
  | { op: 'get'; at: number; key: Uint8Array }
  | {
      op: 'keys';
      at: number;
      prefix: Uint8Array;
      start: Uint8Array | undefined;
      limit: number | undefined;
    }
  | { op: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('commit' as const),
      changes: fc.array(fc.tuple(keyBytes, value), { maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('bad' as const),
      skip: fc.integer({ min: -2, max: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('get' as const), at: fc.nat(), key: keyBytes }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('keys' as const),
      at: fc.nat(),
      prefix: boundBytes,
      start: fc.option(boundBytes, { nil: undefined }),
      limit: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'reopen' as const }) },
);

test('lmdb store agrees with the memory store (model-based)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tao-store-model-'));
  let run = 0;
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(keyBytes, value), { maxLength: 5 }),
        fc.array(opArb, { maxLength: 40 }),
        async (genesis, ops) => {
          const path = join(root, `run-${run++}`);
          const model: ChainStore = openMemoryStore();
          let real: ChainStore = openLmdbStore({ path });
          const toMap = (changes: [Uint8Array, Uint8Array | null][]) =>
            new Map(
              changes.map(([k, val]) => [toHexString(k), val] as [string, Uint8Array | null]),
            );
          try {
            const g = makeBlock(0, undefined, toMap(genesis));
            await model.commitGenesis(g);
            await real.commitGenesis(g);
            for (const o of ops) {
              const head = model.head()!;
              switch (o.op) {
                case 'commit': {
                  const b = makeBlock(head.number + 1, head.hash, toMap(o.changes));
                  await model.commitBlock(b);
                  await real.commitBlock(b);
                  break;
                }
                case 'bad': {
                  // skip < 0: repeat an old number; 0: right number, wrong parent; > 0: skip ahead.
                  const n =
                    o.skip < 0 ? Math.max(1, head.number + o.skip + 1) : head.number + 1 + o.skip;
                  const parent = n === head.number + 1 ? new Uint8Array(32).fill(1) : head.hash;
                  const b = makeBlock(n, parent, { '0x01': new Uint8Array([9]) }, 'bad');
                  const outcome = (p: Promise<void>) =>
                    p.then(
                      () => 'ok',
                      (e: Error) => `${e.name}:${(e as { code?: string }).code}`,
                    );
                  const m = await outcome(model.commitBlock(b));
                  const r = await outcome(real.commitBlock(b));
                  assert.equal(r, m);
                  assert.notEqual(m, 'ok');
                  break;
                }
                case 'get': {
                  const at = o.at % (head.number + 1);
                  assert.deepEqual(real.stateAt(at).get(o.key), model.stateAt(at).get(o.key));
                  break;
                }
                case 'keys': {
                  const at = o.at % (head.number + 1);
                  const m = model.stateAt(at).keys(o.prefix, o.start, o.limit).map(toHexString);
                  const r = real.stateAt(at).keys(o.prefix, o.start, o.limit).map(toHexString);
                  assert.deepEqual(r, m);
                  break;
                }
                case 'reopen':
                  await real.close();
                  real = openLmdbStore({ path });
                  break;
              }
              assert.deepEqual(real.head(), model.head());
            }
            // Full comparison at every height at the end.
            const head = model.head()!;
            for (let n = 0; n <= head.number; n++) {
              const mk = model.stateAt(n).keys(new Uint8Array(0));
              assert.deepEqual(
                real.stateAt(n).keys(new Uint8Array(0)).map(toHexString),
                mk.map(toHexString),
              );
              for (const k of mk) assert.deepEqual(real.stateAt(n).get(k), model.stateAt(n).get(k));
              assert.deepEqual(real.blockHash(n), model.blockHash(n));
              assert.deepEqual(real.block(model.blockHash(n)!), model.block(model.blockHash(n)!));
            }
          } finally {
            await real.close();
            await model.close();
            rmSync(path, { recursive: true, force: true });
          }
        },
      ),
      { seed, numRuns: 60 },
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
