import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HexString } from '@taoscript/codec';
import { CommitStoreError, type PendingCommit, SaltStore } from './salt-store.js';

const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const G = `0x${'11'.repeat(32)}` as HexString;
const commit = (n: number): PendingCommit => ({
  hotkey: HOTKEY,
  netuid: 1,
  mechid: 0,
  commitHash: `0x${n.toString(16).padStart(64, '0')}` as HexString,
  uids: [0, 1],
  values: [65_535, 7],
  salt: [1, 2, 3],
  versionKey: 18_446_744_073_709_551_615n,
  genesisHash: G,
  block: 0,
});

describe('SaltStore', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sdk-salts-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('persists commits with mode 0600 under a 0700 directory, keeping u64 version keys', async () => {
    const store = new SaltStore(join(dir, 'a'));
    assert.deepEqual(await store.list(HOTKEY), []);
    await Promise.all([store.save(commit(1)), store.save(commit(2))]);
    const file = join(dir, 'a', `${HOTKEY}.json`);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'a'))).mode & 0o777, 0o700);
    const again = new SaltStore(join(dir, 'a'));
    assert.deepEqual(await again.list(HOTKEY), [commit(1), commit(2)]);
    await again.setBlock(HOTKEY, G, commit(2).commitHash, 42);
    assert.equal((await again.list(HOTKEY))[1]?.block, 42);
    assert.equal(await again.remove(HOTKEY, G, commit(1).commitHash), true);
    assert.equal(await again.remove(HOTKEY, G, commit(1).commitHash), false);
    assert.deepEqual(
      (await again.list(HOTKEY)).map((c) => c.commitHash),
      [commit(2).commitHash],
    );
    await again.remove(HOTKEY, G, commit(2).commitHash);
    await assert.rejects(stat(file), { code: 'ENOENT' });
  });

  it('refuses corrupt or hostile files with CommitStoreError', async () => {
    const store = new SaltStore(join(dir, 'b'));
    await store.save(commit(3));
    const file = join(dir, 'b', `${HOTKEY}.json`);
    for (const body of [
      'not json',
      '{"version":2,"commits":[]}',
      JSON.stringify({ version: 1, commits: [{ ...commit(1), versionKey: '1e3' }] }),
      JSON.stringify({ version: 1, commits: [{ ...commit(1), versionKey: '1', salt: [70000] }] }),
      JSON.stringify({ version: 1, commits: [], extra: 1 }),
    ]) {
      await writeFile(file, body);
      await assert.rejects(store.list(HOTKEY), CommitStoreError);
    }
    await writeFile(file, Buffer.alloc(8 * 1024 * 1024 + 1, 32));
    await assert.rejects(store.list(HOTKEY), CommitStoreError);
    assert.match(await readFile(file, 'utf8').then((s) => s.slice(0, 1)), / /);
  });

  it('rejects bad arguments', async () => {
    assert.throws(() => new SaltStore(''), TypeError);
    assert.throws(() => new SaltStore('a\0b'), TypeError);
    const store = new SaltStore(join(dir, 'c'));
    await assert.rejects(store.save({ ...commit(1), salt: [-1] }), RangeError);
    await assert.rejects(store.save({ ...commit(1), commitHash: '0x12' as HexString }), RangeError);
    await assert.rejects(store.save(null as never), TypeError);
    await assert.rejects(store.list('nope'), RangeError);
    await assert.rejects(store.save({ ...commit(1), versionKey: 1 as never }), TypeError);
    await assert.rejects(store.save({ ...commit(1), extra: 1 } as PendingCommit), RangeError);
    await store.save(commit(4));
    for (const bad of [-1, 1.5, Number.NaN]) {
      await assert.rejects(store.setBlock(HOTKEY, G, commit(4).commitHash, bad), RangeError);
    }
    assert.deepEqual(await store.list(HOTKEY), [commit(4)]);
  });
});
