/** `tao weights set | commit | reveal` end to end against a dev node. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SubtensorStorage } from '@taoscript/chain-types';
import { ss58Decode } from '@taoscript/codec';
import {
  commitHash,
  connect,
  convertWeightsAndUidsForEmit,
  type SubtensorClient,
  VERSION_AS_INT,
} from '@taoscript/sdk';
import type { SpawnedNode } from '@taoscript/testkit';
import {
  assertFailed,
  devWallet,
  net,
  produceBlocks,
  Sandbox,
  startNode,
  walletFlags,
} from './helpers.js';

const VALIDATOR = '5DPMCHcbNqrKgomi6vt15weajLG44291QxjtpCYjgRZ6EcjM'; // //Alice//subnet1, uid 0

const box = new Sandbox();
let node: SpawnedNode;
let client: SubtensorClient;

const pk = (a: string) => {
  const r = ss58Decode(a);
  assert.ok(r.valid);
  return r.publicKey;
};
const as = (name: string) => [...walletFlags(box, name), ...net(node), '-y'];
const weightsOf = async (uid: number) => client.query(SubtensorStorage.Weights, [1, uid]);

before(async () => {
  node = await startNode();
  client = await connect({ chainEndpoint: node.wsUrl, env: {} });
  await devWallet(box, 'alice', '//Alice', '//Alice//subnet1');
  await devWallet(box, 'bob', '//Bob', '//Bob//hot');
  await devWallet(box, 'charlie', '//Charlie', '//Charlie//hot');
  await box.json(['subnets', 'register', ...as('bob'), '-n', '1']);
  // A hotkey needs an account (a balance) to send even fee-free extrinsics.
  await box.json(['wallet', 'transfer', ...as('alice'), '--dest', VALIDATOR, '--amount', '1']);
});
after(async () => {
  await client?.close();
  await node?.stop();
  box.cleanup();
});

interface WeightsDoc {
  netuid: number;
  hotkey: string;
  uids: number[];
  weights: number[];
  version_key: string;
  commit_hash?: string;
  salt?: number[];
  reveal_command?: string;
  extrinsic: { events: string[] };
}

describe('weights without commit-reveal', () => {
  test('set: floats converted as Python converts them, stored on chain', async () => {
    const r = await box.json<WeightsDoc>([
      'weights',
      'set',
      ...as('alice'),
      '--netuid',
      '1',
      '--uids',
      '0,1',
      '--weights',
      '0.3,0.7',
    ]);
    const want = convertWeightsAndUidsForEmit([0, 1], [0.3, 0.7]);
    assert.deepEqual(r.uids, want.uids);
    assert.deepEqual(r.weights, want.weights);
    assert.equal(r.hotkey, VALIDATOR);
    assert.equal(r.version_key, `${VERSION_AS_INT}`);
    assert.ok(r.extrinsic.events.includes('SubtensorModule.WeightsSet'));
    assert.deepEqual(await weightsOf(0), [
      [0, want.weights[0]],
      [1, want.weights[1]],
    ]);
  });

  test('refusals: rate limit, bad lists, unknown uid, unregistered hotkey', async () => {
    const base = ['weights', 'set', ...as('alice'), '-n', '1'];
    assertFailed(
      await box.tao([...base, '--uids', '1', '--weights', '1']),
      1,
      /^error: SubtensorModule\.SettingWeightsTooFast: weights were set too recently/,
    );
    assertFailed(
      await box.tao([...base, '--uids', '0,1', '--weights', '1']),
      2,
      /--uids has 2 values but --weights has 1/,
    );
    assertFailed(await box.tao([...base, '--uids', '0,0', '--weights', '1,1']), 2, /duplicates/);
    assertFailed(
      await box.tao([...base, '--uids', '0', '--weights', '-1']),
      2,
      /--weights must be a number/,
    );
    assertFailed(
      await box.tao([...base, '--uids', 'x', '--weights', '1']),
      2,
      /--uids must be a whole number/,
    );
    assertFailed(await box.tao([...base, '--weights', '1']), 2, /pass both --uids and --weights/);
    assertFailed(
      await box.tao([...base, '--uids', '7', '--weights', '1']),
      2,
      /uid 7 is out of range/,
    );
    assertFailed(
      await box.tao([
        'weights',
        'set',
        ...as('charlie'),
        '-n',
        '1',
        '--uids',
        '0',
        '--weights',
        '1',
      ]),
      1,
      /is not registered on subnet 1/,
    );
  });
});

describe('commit-reveal', () => {
  /** Produces blocks until the subnet's epoch index reaches `epoch`. */
  async function untilEpoch(epoch: bigint): Promise<void> {
    for (let i = 0; i < 60; i++) {
      if ((await client.query(SubtensorStorage.SubnetEpochIndex, [1])) >= epoch) return;
      await produceBlocks(node, 1);
    }
    assert.fail(`epoch ${epoch} not reached`);
  }
  async function commitEpoch(hotkey: string): Promise<bigint> {
    const commits = await client.query(SubtensorStorage.WeightCommits, [1, pk(hotkey)]);
    const last = commits?.at(-1);
    assert.ok(last, 'no commit on chain');
    return last[1];
  }

  test('setup through sudo set: owner enables commit-reveal; root lifts the rate limit and shortens the tempo', async () => {
    for (const [param, value, via] of [
      ['commit_reveal_weights_enabled', 'true', 'owner'],
      ['weights_rate_limit', '0', 'sudo'],
      ['tempo', '10', 'sudo'],
    ] as const) {
      const r = await box.json<{ via: string }>([
        'sudo',
        'set',
        ...as('alice'),
        '-n',
        '1',
        '--param',
        param,
        '--value',
        value,
      ]);
      assert.equal(r.via, via, param);
    }
    assert.equal(await client.commitRevealEnabled(1), true);
    assertFailed(
      await box.tao(['weights', 'set', ...as('alice'), '-n', '1', '--uids', '1', '--weights', '1']),
      1,
      /subnet 1 uses commit-reveal/,
    );
  });

  test('commit with a salt, reveal too early, then reveal with the same uids, weights and salt', async () => {
    const c = await box.json<WeightsDoc>([
      'weights',
      'commit',
      ...as('alice'),
      '-n',
      '1',
      '--uids',
      '0,1',
      '--weights',
      '0.25,0.75',
      '--salt',
      '11,22,33',
    ]);
    const conv = convertWeightsAndUidsForEmit([0, 1], [0.25, 0.75]);
    const expected = commitHash({
      hotkey: pk(VALIDATOR),
      netuid: 1,
      mechid: 0,
      uids: conv.uids,
      values: conv.weights,
      salt: [11, 22, 33],
      versionKey: BigInt(VERSION_AS_INT),
    });
    assert.equal(c.commit_hash, expected);
    assert.deepEqual(c.salt, [11, 22, 33]);
    assert.match(
      c.reveal_command ?? '',
      /tao weights reveal --netuid 1 --uids 0,1 --weights 0\.25,0\.75 --salt 11,22,33/,
    );
    const dir = join(box.home, '.bittensor', 'weight-commits');
    assert.ok(existsSync(join(dir, `${VALIDATOR}.json`)), readdirSync(dir).join(','));

    const reveal = [
      'weights',
      'reveal',
      ...as('alice'),
      '-n',
      '1',
      '--uids',
      '0,1',
      '--weights',
      '0.25,0.75',
      '--salt',
      '11,22,33',
    ];
    assertFailed(await box.tao(reveal), 1, /^error: SubtensorModule\.RevealTooEarly: /);
    await untilEpoch((await commitEpoch(VALIDATOR)) + 1n);
    const r = await box.json<WeightsDoc>(reveal);
    assert.equal(r.commit_hash, expected);
    assert.deepEqual(r.weights, conv.weights);
    assert.deepEqual(await weightsOf(0), [
      [0, conv.weights[0]],
      [1, conv.weights[1]],
    ]);
    assertFailed(
      await box.tao([...reveal.slice(0, -2)]),
      2,
      /pass --uids, --weights and --salt together/,
    );
  });

  test('commit with a random salt, then reveal from the stored commit', async () => {
    const c = await box.json<WeightsDoc>([
      'weights',
      'commit',
      ...as('alice'),
      '-n',
      '1',
      '--uids',
      '1',
      '--weights',
      '1',
    ]);
    assert.equal(c.salt?.length, 8);
    await untilEpoch((await commitEpoch(VALIDATOR)) + 1n);
    const r = await box.json<WeightsDoc>(['weights', 'reveal', ...as('alice'), '-n', '1']);
    assert.equal(r.commit_hash, c.commit_hash);
    assert.deepEqual(r.salt, c.salt);
    assert.deepEqual(await weightsOf(0), [[1, 65_535]]);
    assertFailed(
      await box.tao(['weights', 'reveal', ...as('alice'), '-n', '1']),
      1,
      /no stored commit/,
    );
  });
});
