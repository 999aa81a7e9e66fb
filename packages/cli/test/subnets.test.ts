/** `tao subnets …` and `tao sudo …` end to end against a dev node. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SubtensorStorage } from '@taoscript/chain-types';
import { ss58Decode } from '@taoscript/codec';
import { connect, type SubtensorClient } from '@taoscript/sdk';
import type { SpawnedNode } from '@taoscript/testkit';
import { assertFailed, devWallet, net, Sandbox, startNode, walletFlags } from './helpers.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';

const box = new Sandbox();
const publicKey = (address: string): Uint8Array => {
  const r = ss58Decode(address);
  assert.ok(r.valid);
  return r.publicKey;
};
let node: SpawnedNode;
let client: SubtensorClient;
let bobHot: string;

before(async () => {
  node = await startNode();
  client = await connect({ chainEndpoint: node.wsUrl, env: {} });
  await devWallet(box, 'alice', '//Alice', '//Alice//subnet1');
  bobHot = (await devWallet(box, 'bob', '//Bob', '//Bob//hot')).hotkey;
  await devWallet(box, 'charlie', '//Charlie', '//Charlie//hot');
});
after(async () => {
  await client?.close();
  await node?.stop();
  box.cleanup();
});

const as = (name: string) => [...walletFlags(box, name), ...net(node), '-y'];
const N = () => net(node);

interface Ext {
  block: number;
  fee: string | null;
  events: string[];
}

describe('subnets (reads)', () => {
  test('list: root and the dev subnet with owner, price and pool', async () => {
    const r = await box.json<{
      network: string;
      block: number;
      subnets: Record<string, unknown>[];
    }>(['subnets', 'list', ...N()]);
    assert.equal(r.network, 'local');
    assert.deepEqual(
      r.subnets.map((s) => s.netuid),
      [0, 1],
    );
    const s1 = r.subnets[1] as Record<string, unknown>;
    assert.equal(s1.name, 'apex');
    assert.equal(s1.owner_coldkey, ALICE);
    assert.equal(s1.price, `${await client.alphaPrice(1)}`);
    assert.equal(s1.tempo, 360);
    assert.equal(typeof s1.tao_in, 'string');
    const human = await box.tao(['s', 'list', ...N()]);
    assert.match(human.out, /^\s+1\s+apex\s+α\s+τ1\.000000\/α\s+360/m);
  });

  test('burn-cost and price match the runtime APIs', async () => {
    const cost = await client.runtimeApi<bigint>(
      'SubnetRegistrationRuntimeApi',
      'get_network_registration_cost',
      [],
    );
    assert.deepEqual(await box.json(['subnets', 'burn-cost', ...N()]), {
      network: 'local',
      burn_cost: `${cost}`,
    });
    const p = await box.json<{ prices: unknown[] }>(['subnets', 'price', ...N(), '--netuids', '1']);
    assert.deepEqual(p.prices, [
      { netuid: 1, symbol: 'α', price: `${await client.alphaPrice(1)}` },
    ]);
    const all = await box.json<{ prices: { netuid: number }[] }>(['subnets', 'price', ...N()]);
    assert.deepEqual(
      all.prices.map((x) => x.netuid),
      [0, 1],
    );
    assertFailed(
      await box.tao(['subnets', 'price', ...N(), '-n', '9']),
      1,
      /subnet 9 does not exist/,
    );
  });

  test('hyperparameters (and sudo get) equal get_subnet_hyperparams_v2', async () => {
    const h = await client.getSubnetHyperparameters(1);
    assert.ok(h);
    const r = await box.json<{ netuid: number; hyperparameters: Record<string, unknown> }>([
      'subnets',
      'hyperparameters',
      ...N(),
      '--netuid',
      '1',
    ]);
    assert.equal(r.hyperparameters.tempo, h.tempo);
    assert.equal(r.hyperparameters.min_burn, `${h.min_burn}`);
    assert.equal(r.hyperparameters.commit_reveal_weights_enabled, h.commit_reveal_weights_enabled);
    assert.equal(
      r.hyperparameters.alpha_sigmoid_steepness,
      Number(h.alpha_sigmoid_steepness) / 2 ** 32,
    );
    assert.deepEqual(await box.json(['sudo', 'get', ...N(), '-n', '1']), r);
    // The netuid may be given bare, as `tao subnets show 1`.
    assert.deepEqual(await box.json(['subnets', 'hyperparameters', '1', ...N()]), r);
  });

  test('bad netuids: not a number or out of range (exit 2), absent subnet (exit 1)', async () => {
    assertFailed(
      await box.tao(['subnets', 'show', ...N(), '--netuid', 'abc']),
      2,
      /--netuid must be a subnet id .* got 'abc'/,
    );
    assertFailed(
      await box.tao(['subnets', 'show', ...N(), '-n', '70000']),
      2,
      /-n must be a subnet id/,
    );
    assertFailed(await box.tao(['subnets', 'show', ...N(), '-n', '-1']), 2, /subnet id/);
    assertFailed(await box.tao(['subnets', 'show', ...N()]), 2, /--netuid is required/);
    assertFailed(await box.tao(['subnets', 'show', 'x1', ...N()]), 2, /subnet id/);
    assertFailed(
      await box.tao(['subnets', 'show', '1', '2', ...N()]),
      2,
      /unexpected argument '2'/,
    );
    assertFailed(
      await box.tao(['subnets', 'show', '1', '--netuid', '1', ...N()]),
      2,
      /given more than once/,
    );
    assertFailed(
      await box.tao(['subnets', 'hyperparameters', ...N(), '-n', '42']),
      1,
      /subnet 42 does not exist/,
    );
    assertFailed(
      await box.tao(['subnets', 'show', ...N(), '-n', '42']),
      1,
      /subnet 42 does not exist/,
    );
  });
});

describe('subnets (writes)', () => {
  test('register: burns the cost and gives the hotkey a uid', async () => {
    const burn = await client.query(SubtensorStorage.Burn, [1]);
    const r = await box.json<{
      netuid: number;
      hotkey: string;
      uid: number;
      cost: string;
      balance_before: string;
      balance_after: string;
      extrinsic: Ext;
    }>(['subnets', 'register', ...as('bob'), '--netuid', '1']);
    assert.equal(r.hotkey, bobHot);
    assert.equal(r.uid, 1);
    assert.equal(r.cost, `${burn}`);
    assert.equal(await client.getUidForHotkey(1, bobHot), 1);
    assert.equal(
      BigInt(r.balance_before) - BigInt(r.balance_after),
      burn + BigInt(r.extrinsic.fee ?? 0),
    );
    assert.ok(r.extrinsic.events.includes('SubtensorModule.NeuronRegistered'));
    assertFailed(
      await box.tao(['subnets', 'register', ...as('bob'), '--netuid', '1']),
      1,
      /already registered on subnet 1 as uid 1/,
    );
    assertFailed(
      await box.tao(['subnets', 'register', ...as('bob'), '-n', '5']),
      1,
      /subnet 5 does not exist/,
    );
  });

  test('show: the metagraph of subnet 1', async () => {
    const r = await box.json<{
      n: number;
      neurons: { uid: number; hotkey_ss58: string; coldkey_ss58: string; stake: string }[];
    }>(['subnets', 'metagraph', ...N(), '-n', '1']);
    assert.equal(r.n, 2);
    assert.deepEqual(
      r.neurons.map((x) => [x.uid, x.coldkey_ss58]),
      [
        [0, ALICE],
        [1, BOB],
      ],
    );
    assert.equal(r.neurons[1]?.hotkey_ss58, bobHot);
    const human = await box.tao(['subnets', 'show', '1', ...N()]);
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, /^Subnet 1 /m);
    assert.match(
      human.out,
      /^ *UID +STAKE +RANK +TRUST +CONSENSUS +INCENTIVE +DIVIDENDS +EMISSION +VTRUST +VAL +UPDATED +ACTIVE +AXON +HOTKEY +COLDKEY$/m,
    );
    assert.match(
      human.out,
      new RegExp(
        `^ *1 +[\\d.,]+ \\S+ +(\\d\\.\\d{5} +){5}[\\d.,]+ \\S+ +\\d\\.\\d{5} .*${bobHot} +${BOB}$`,
        'm',
      ),
    );
    assert.ok(human.out.includes(bobHot.slice(0, 8)), 'the table lists the registered hotkey');
  });

  test('create: with an identity (register_network_with_identity) and without', async () => {
    const r = await box.json<{
      netuid: number;
      lock_cost: string;
      owner_coldkey: string;
      owner_hotkey: string;
      identity: Record<string, string>;
      extrinsic: Ext;
    }>([
      'subnets',
      'create',
      ...as('bob'),
      '--subnet-name',
      'bobnet',
      '--github-repo',
      'https://github.com/bob/net',
      '--subnet-contact',
      'bob@example.com',
    ]);
    assert.equal(r.netuid, 2);
    assert.equal(r.owner_coldkey, BOB);
    assert.equal(r.owner_hotkey, bobHot);
    assert.equal(r.identity.subnet_name, 'bobnet');
    assert.ok(r.extrinsic.events.includes('SubtensorModule.NetworkAdded'));
    assert.equal(client.address(await client.query(SubtensorStorage.SubnetOwner, [2])), BOB);
    const ident = await client.query(SubtensorStorage.SubnetIdentitiesV3, [2]);
    assert.equal(new TextDecoder().decode(ident?.github_repo), 'https://github.com/bob/net');
    // A second subnet right away needs the registration rate limit lifted (a chain-wide sudo setting).
    const lift = await box.json<{ netuid: null; via: string; call: string }>([
      'sudo',
      'set',
      ...as('alice'),
      '--param',
      'network_rate_limit',
      '--value',
      '0',
    ]);
    assert.deepEqual(
      [lift.netuid, lift.via, lift.call],
      [null, 'sudo', 'AdminUtils.sudo_set_network_rate_limit'],
    );
    const plain = await box.json<{ netuid: number; identity: null }>([
      'subnets',
      'create',
      ...as('charlie'),
    ]);
    assert.equal(plain.netuid, 3);
    assert.equal(plain.identity, null);
    assert.equal(client.address(await client.query(SubtensorStorage.SubnetOwner, [3])), CHARLIE);
  });

  test('start: only the owner, only once', async () => {
    assertFailed(
      await box.tao(['subnets', 'start', ...as('charlie'), '-n', '2']),
      1,
      /^error: (SubtensorModule\.NotSubnetOwner|BadOrigin)/,
    );
    const r = await box.json<{ netuid: number; extrinsic: Ext }>([
      'subnets',
      'start',
      ...as('bob'),
      '-n',
      '2',
    ]);
    assert.equal(r.netuid, 2);
    assert.ok((await client.query(SubtensorStorage.FirstEmissionBlockNumber, [2])) !== undefined);
    assertFailed(
      await box.tao(['subnets', 'start', ...as('bob'), '-n', '2']),
      1,
      /SubtensorModule\.FirstEmissionBlockNumberAlreadySet: the subnet is already started/,
    );
  });
});

describe('sudo', () => {
  test('set as subnet owner signs the setter directly', async () => {
    const r = await box.json<{
      netuid: number;
      param: string;
      value: string;
      call: string;
      via: string;
    }>(['sudo', 'set', ...as('bob'), '--netuid', '2', '--param', 'min_burn', '--value', '600000']);
    assert.deepEqual(
      { netuid: r.netuid, param: r.param, value: r.value, call: r.call, via: r.via },
      {
        netuid: 2,
        param: 'min_burn',
        value: '600000',
        call: 'AdminUtils.sudo_set_min_burn',
        via: 'owner',
      },
    );
    assert.equal(await client.query(SubtensorStorage.MinBurn, [2]), 600_000n);
  });

  test('root-only setters go through Sudo.sudo with the sudo key; others are refused', async () => {
    const r = await box.json<{ via: string; call: string }>([
      'sudo',
      'set',
      ...as('alice'),
      '-n',
      '2',
      '--param',
      'tempo',
      '--value',
      '50',
    ]);
    assert.deepEqual(r.via, 'sudo');
    assert.equal(await client.query(SubtensorStorage.Tempo, [2]), 50);
    // The sudo key may set an owner parameter of someone else's subnet.
    const o = await box.json<{ via: string }>([
      'sudo',
      'set',
      ...as('alice'),
      '-n',
      '2',
      '--param',
      'immunity_period',
      '--value',
      '4000',
    ]);
    assert.equal(o.via, 'sudo');
    assertFailed(
      await box.tao(['sudo', 'set', ...as('bob'), '-n', '2', '--param', 'tempo', '--value', '20']),
      1,
      /tempo can only be set by root, and 5FHn\S+ is not the sudo key/,
    );
    assertFailed(
      await box.tao([
        'sudo',
        'set',
        ...as('charlie'),
        '-n',
        '2',
        '--param',
        'min_burn',
        '--value',
        '1',
      ]),
      1,
      /neither owns subnet 2 nor is the sudo key/,
    );
    assert.equal(await client.query(SubtensorStorage.Tempo, [2]), 50);
  });

  test('a failure inside Sudo.sudo is reported by its pallet error', async () => {
    const r = await box.tao([
      'sudo',
      'set',
      ...as('alice'),
      '-n',
      '2',
      '--param',
      'min_allowed_uids',
      '--value',
      '5000',
      '--json',
    ]);
    assertFailed(r, 1, /^error: AdminUtils\.\w+: /);
    assert.match(JSON.parse(r.out).error.message, /^AdminUtils\./);
  });

  test('chain-wide settings take no netuid; bad names and values are usage errors', async () => {
    const g = await box.json<{ netuid: null; via: string; call: string }>([
      'sudo',
      'set',
      ...as('alice'),
      '--param',
      'start_call_delay',
      '--value',
      '0',
    ]);
    assert.deepEqual(
      [g.netuid, g.via, g.call],
      [null, 'sudo', 'AdminUtils.sudo_set_start_call_delay'],
    );
    assertFailed(
      await box.tao([
        'sudo',
        'set',
        ...as('alice'),
        '-n',
        '1',
        '--param',
        'start_call_delay',
        '--value',
        '0',
      ]),
      2,
      /chain-wide: it takes no --netuid/,
    );
    assertFailed(
      await box.tao(['sudo', 'set', ...as('alice'), '--param', 'tempo', '--value', '9']),
      2,
      /--netuid is required for tempo/,
    );
    assertFailed(
      await box.tao(['sudo', 'set', ...as('alice'), '-n', '1', '--param', 'bogus', '--value', '1']),
      2,
      /unknown hyperparameter 'bogus'/,
    );
    assertFailed(
      await box.tao([
        'sudo',
        'set',
        ...as('alice'),
        '-n',
        '1',
        '--param',
        'tempo',
        '--value',
        'fast',
      ]),
      2,
      /--value must be a whole number/,
    );
    assertFailed(
      await box.tao(['sudo', 'set', ...as('alice'), '-n', '1', '--param', 'tempo']),
      2,
      /--value is required/,
    );
  });

  test('get-take and set-take (decrease, then an increase past the maximum)', async () => {
    const before = await box.json<{ hotkey: string; take: number; take_u16: number }>([
      'sudo',
      'get-take',
      ...walletFlags(box, 'bob'),
      ...N(),
    ]);
    assert.deepEqual(before, { hotkey: bobHot, take: 11_796 / 65_535, take_u16: 11_796 });
    const r = await box.json<{ take_before: number; take: number; take_u16: number; call: string }>(
      ['sudo', 'set-take', ...as('bob'), '--take', '0.1'],
    );
    assert.equal(r.call, 'SubtensorModule.decrease_take');
    assert.equal(r.take_u16, 6553);
    assert.equal(await client.query(SubtensorStorage.Delegates, [publicKey(bobHot)]), 6553);
    const byAddress = await box.json<{ take_u16: number }>([
      'sudo',
      'get-take',
      '--hotkey-ss58',
      bobHot,
      ...N(),
    ]);
    assert.equal(byAddress.take_u16, 6553);
    assertFailed(
      await box.tao(['sudo', 'set-take', ...as('bob'), '--take', '0.5']),
      1,
      /^error: SubtensorModule\.(DelegateTakeTooHigh|DelegateTxRateLimitExceeded): /,
    );
    assertFailed(
      await box.tao(['sudo', 'set-take', ...as('bob'), '--take', '0.1']),
      1,
      /already 10\.00%/,
    );
    assertFailed(
      await box.tao(['sudo', 'set-take', ...as('bob'), '--take', '1.5']),
      2,
      /--take must be a number in \[0, 1\]/,
    );
  });
});
