import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '@taoscript/codec';
import {
  accountBytes,
  commitHash,
  commitHashPreimage,
  randomSalt,
  storageIndex,
  versionKeyOf,
} from './commit-hash.js';

interface Case {
  id: string;
  hotkey_ss58: string;
  hotkey_public_key: string;
  netuid: number;
  mechid: number;
  storage_index: number;
  uids: number[];
  values: number[];
  salt: number[];
  version_key_decimal: string;
  scale_data_hex: string;
  commit_hash: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../test/vectors/commit_hash.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

describe('commitHash (commit_hash.json)', () => {
  it('has every vector case', () => assert.equal(vectors.cases.length, 6));
  for (const c of vectors.cases) {
    it(c.id, () => {
      assert.equal(storageIndex(c.netuid, c.mechid), c.storage_index);
      const base = {
        netuid: c.netuid,
        mechid: c.mechid,
        uids: c.uids,
        values: c.values,
        salt: c.salt,
        versionKey: BigInt(c.version_key_decimal),
      };
      assert.equal(toHex(commitHashPreimage({ ...base, hotkey: c.hotkey_ss58 })), c.scale_data_hex);
      assert.equal(commitHash({ ...base, hotkey: c.hotkey_ss58 }), c.commit_hash);
      assert.equal(commitHash({ ...base, hotkey: fromHex(c.hotkey_public_key) }), c.commit_hash);
    });
  }
  it('changes with every input', () => {
    const c = vectors.cases[0] as Case;
    const base = {
      hotkey: c.hotkey_ss58,
      netuid: c.netuid,
      uids: c.uids,
      values: c.values,
      salt: c.salt,
      versionKey: BigInt(c.version_key_decimal),
    };
    const variants = [
      { ...base, hotkey: new Uint8Array(32).fill(7) },
      { ...base, netuid: 2 },
      { ...base, mechid: 1 },
      { ...base, uids: [...c.uids, 0] },
      { ...base, salt: [...c.salt, 0] },
      { ...base, values: [...c.values].reverse() },
      { ...base, versionKey: 1n },
    ];
    for (const v of variants) assert.notEqual(commitHash(v), c.commit_hash);
  });
  it('rejects hostile input', () => {
    const ok = {
      hotkey: new Uint8Array(32),
      netuid: 1,
      uids: [],
      values: [],
      salt: [],
      versionKey: 0n,
    };
    const bad: [object, typeof Error][] = [
      [{ ...ok, hotkey: new Uint8Array(31) }, RangeError],
      [{ ...ok, hotkey: 'not-an-address' }, RangeError],
      [{ ...ok, hotkey: 42 }, TypeError],
      [{ ...ok, netuid: 4096 }, RangeError],
      [{ ...ok, netuid: -1 }, RangeError],
      [{ ...ok, mechid: 16 }, RangeError],
      [{ ...ok, uids: [65_536] }, RangeError],
      [{ ...ok, values: [1.5] }, RangeError],
      [{ ...ok, salt: ['1'] }, TypeError],
      [{ ...ok, salt: 'abc' }, TypeError],
      [{ ...ok, uids: new Array(65_537).fill(0) }, RangeError],
      [{ ...ok, versionKey: -1n }, RangeError],
      [{ ...ok, versionKey: 1n << 64n }, RangeError],
      [{ ...ok, versionKey: 2 ** 60 }, RangeError],
      [{ ...ok, versionKey: '1' }, TypeError],
    ];
    for (const [p, type] of bad)
      assert.throws(
        () => commitHash(p as never),
        type,
        JSON.stringify(p, (_, x) => `${x}`),
      );
    assert.throws(() => commitHash(null as never), TypeError);
  });
  it('helpers', () => {
    assert.equal(versionKeyOf(7), 7n);
    assert.equal(accountBytes('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')[0], 0xd4);
    const s = randomSalt();
    assert.equal(s.length, 8);
    assert.ok(s.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff));
    assert.notDeepEqual(randomSalt(16), randomSalt(16));
    assert.throws(() => randomSalt(0), RangeError);
  });
});
