import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HexString } from '@taoscript/codec';
import { ss58Encode } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import type { PendingCommit } from '../weights/pending-commit.js';
import { MAX_MEMORY_COMMITS, MemoryCommitStore } from './commit-store.js';

const hot = keypairFromUri('//MemStoreHot');
const other = keypairFromUri('//MemStoreOther');
const G1 = `0x${'11'.repeat(32)}` as HexString;
const G2 = `0x${'22'.repeat(32)}` as HexString;
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as HexString;

function commit(over: Partial<PendingCommit> = {}): PendingCommit {
  return {
    hotkey: ss58Encode(hot.publicKey),
    netuid: 1,
    mechid: 0,
    commitHash: hash(1),
    uids: [0, 1],
    values: [16_384, 65_535],
    salt: [1, 2, 3, 4, 5, 6, 7, 8],
    versionKey: 0n,
    genesisHash: G1,
    block: 0,
    ...over,
  };
}

test('saves, lists by hotkey (address or public key, any SS58 prefix) and removes', async () => {
  const store = new MemoryCommitStore();
  await store.save(commit());
  await store.save(commit({ commitHash: hash(2), netuid: 3 }));
  await store.save(commit({ hotkey: ss58Encode(other.publicKey), commitHash: hash(3) }));
  const mine = await store.list(hot.publicKey);
  assert.deepEqual(
    mine.map((c) => c.commitHash),
    [hash(1), hash(2)],
  );
  assert.deepEqual(await store.list(ss58Encode(hot.publicKey, 0)), mine);
  assert.deepEqual(mine[0], commit());
  assert.equal((await store.list(other.publicKey)).length, 1);
  assert.equal(await store.remove(ss58Encode(hot.publicKey, 0), G1, hash(1)), true);
  assert.equal(await store.remove(hot.publicKey, G1, hash(1)), false);
  assert.deepEqual(
    (await store.list(hot.publicKey)).map((c) => c.commitHash),
    [hash(2)],
  );
});

test('the same hash on another chain is another commit; the same hash and chain replaces', async () => {
  const store = new MemoryCommitStore();
  await store.save(commit());
  await store.save(commit({ commitHash: hash(2) }));
  await store.save(commit({ genesisHash: G2 }));
  assert.equal((await store.list(hot.publicKey)).length, 3);
  await store.save(commit({ salt: [9, 9], block: 7 }));
  const list = await store.list(hot.publicKey);
  assert.equal(list.length, 3);
  // The replaced commit is now the newest, as the file store appends it.
  assert.deepEqual(list.at(-1), commit({ salt: [9, 9], block: 7 }));
  assert.equal(await store.remove(hot.publicKey, G2, hash(1)), true);
  assert.equal(await store.remove(hot.publicKey, G2, hash(1)), false);
  assert.equal((await store.list(hot.publicKey)).length, 2);
});

test('setBlock updates only the matching commit', async () => {
  const store = new MemoryCommitStore();
  await store.save(commit());
  await store.save(commit({ genesisHash: G2 }));
  await store.setBlock(ss58Encode(hot.publicKey), G1, hash(1), 42);
  await store.setBlock(ss58Encode(hot.publicKey), G1, hash(9), 43);
  assert.deepEqual(
    (await store.list(hot.publicKey)).map((c) => [c.genesisHash, c.block]),
    [
      [G1, 42],
      [G2, 0],
    ],
  );
  for (const bad of [-1, 1.5, Number.NaN, 2 ** 53])
    await assert.rejects(store.setBlock(ss58Encode(hot.publicKey), G1, hash(1), bad), RangeError);
});

test('keeps its own copies: neither saved nor returned arrays alias the store', async () => {
  const store = new MemoryCommitStore();
  const c = commit();
  await store.save(c);
  c.uids.push(5);
  c.salt[0] = 99;
  const [listed] = await store.list(hot.publicKey);
  assert.ok(listed);
  assert.deepEqual(listed.uids, [0, 1]);
  assert.equal(listed.salt[0], 1);
  listed.values[0] = 0;
  listed.block = 5;
  assert.deepEqual(await store.list(hot.publicKey), [commit()]);
  const all = store.all();
  all[0]?.uids.push(3);
  assert.deepEqual(store.all(), [commit()]);
});

test('restores from all() (the way a page persists its commits)', async () => {
  const store = new MemoryCommitStore();
  await store.save(commit());
  await store.save(commit({ hotkey: ss58Encode(other.publicKey), commitHash: hash(3) }));
  const again = new MemoryCommitStore(store.all());
  assert.deepEqual(again.all(), store.all());
  assert.deepEqual(await again.list(other.publicKey), await store.list(other.publicKey));
});

test('rejects malformed commits as the file store does (TypeError / RangeError)', async () => {
  const store = new MemoryCommitStore();
  const bad: [unknown, typeof TypeError | typeof RangeError][] = [
    [null, TypeError],
    ['commit', TypeError],
    [commit({ versionKey: 1 as never }), TypeError],
    [commit({ hotkey: 'not-an-address' }), RangeError],
    [commit({ hotkey: 5 as never }), RangeError],
    [commit({ netuid: 65_536 }), RangeError],
    [commit({ mechid: -1 }), RangeError],
    [commit({ commitHash: '0x1234' as HexString }), RangeError],
    [commit({ genesisHash: `0x${'AB'.repeat(32)}` as HexString }), RangeError],
    [commit({ uids: [70_000] }), RangeError],
    [commit({ salt: [1.5] }), RangeError],
    [commit({ versionKey: 1n << 70n }), RangeError],
    [commit({ block: -1 }), RangeError],
    [{ ...commit(), extra: 1 }, RangeError],
  ];
  for (const [value, type] of bad)
    await assert.rejects(store.save(value as PendingCommit), type, JSON.stringify(String(value)));
  assert.deepEqual(store.all(), []);
  assert.throws(() => new MemoryCommitStore('x' as never), TypeError);
  assert.throws(() => new MemoryCommitStore([commit({ netuid: -1 })]), RangeError);
  await assert.rejects(store.list('nope'), RangeError);
  await assert.rejects(store.list(new Uint8Array(31)), RangeError);
  await assert.rejects(store.remove(7 as never, G1, hash(1)), TypeError);
});

test(`holds at most ${MAX_MEMORY_COMMITS} commits, but a replacement always fits`, async () => {
  const full = Array.from({ length: MAX_MEMORY_COMMITS }, (_, i) =>
    commit({ commitHash: hash(i) }),
  );
  const store = new MemoryCommitStore(full);
  await assert.rejects(store.save(commit({ commitHash: hash(MAX_MEMORY_COMMITS) })), RangeError);
  await store.save(commit({ commitHash: hash(0), block: 3 }));
  assert.equal(store.all().length, MAX_MEMORY_COMMITS);
  assert.equal(store.all().at(-1)?.block, 3);
  assert.equal(await store.remove(hot.publicKey, G1, hash(5)), true);
  await store.save(commit({ commitHash: hash(MAX_MEMORY_COMMITS) }));
  assert.equal(store.all().length, MAX_MEMORY_COMMITS);
});
