/** `tao stake …` end to end against a dev node. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SubtensorStorage } from '@taoscript/chain-types';
import { ss58Decode } from '@taoscript/codec';
import { connect, type SubtensorClient } from '@taoscript/sdk';
import type { SpawnedNode } from '@taoscript/testkit';
import { assertFailed, devWallet, net, Sandbox, startNode, walletFlags } from './helpers.js';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const VALIDATOR = '5DPMCHcbNqrKgomi6vt15weajLG44291QxjtpCYjgRZ6EcjM'; // //Alice//subnet1, uid 0

const box = new Sandbox();
let node: SpawnedNode;
let client: SubtensorClient;
let bobHot: string;

before(async () => {
  node = await startNode();
  client = await connect({ chainEndpoint: node.wsUrl, env: {} });
  await devWallet(box, 'alice', '//Alice', '//Alice//subnet1');
  bobHot = (await devWallet(box, 'bob', '//Bob', '//Bob//hot')).hotkey;
  await devWallet(box, 'charlie', '//Charlie', '//Charlie//hot');
  // Bob's hotkey on subnet 1, and a second (started) subnet for swaps.
  await box.json(['subnets', 'register', ...as('bob'), '-n', '1']);
  await box.json(['subnets', 'create', ...as('charlie')]);
  await box.json(['subnets', 'start', ...as('charlie'), '-n', '2']);
});
after(async () => {
  await client?.close();
  await node?.stop();
  box.cleanup();
});

function as(name: string): string[] {
  return [...walletFlags(box, name), ...net(node), '-y'];
}
const pk = (a: string) => {
  const r = ss58Decode(a);
  assert.ok(r.valid);
  return r.publicKey;
};
const stakeOf = (coldkey: string, hotkey: string, netuid: number) =>
  client.getStake({ coldkey, hotkey, netuid });

interface StakeDoc {
  netuid: number;
  hotkey: string;
  coldkey: string;
  amount: string;
  safe: boolean;
  tolerance: number;
  allow_partial: boolean;
  limit_price: string | null;
  preview: Record<string, string | number>;
  stake_before: string;
  stake_after: string;
  balance_before: string;
  balance_after: string;
  extrinsic: { fee: string; events: string[] };
}

describe('stake add / remove', () => {
  test('add (safe): preview, limit price, and the stake the preview promised', async () => {
    const r = await box.json<StakeDoc>([
      'stake',
      'add',
      ...as('bob'),
      '--netuid',
      '1',
      '--hotkey-ss58',
      VALIDATOR,
      '--amount',
      '10',
      '--tolerance',
      '0.05',
    ]);
    assert.equal(r.amount, '10000000000');
    assert.equal(r.safe, true);
    const price = BigInt(r.preview.price as string);
    assert.equal(r.limit_price, `${(price * 1_050_000_000n) / 1_000_000_000n}`);
    assert.equal(
      BigInt(r.stake_after) - BigInt(r.stake_before),
      BigInt(r.preview.expected_alpha as string),
    );
    assert.equal(
      BigInt(r.balance_before) - BigInt(r.balance_after),
      10_000_000_000n + BigInt(r.extrinsic.fee),
    );
    assert.ok((r.preview.slippage as number) > 0);
    assert.equal(await stakeOf(BOB, VALIDATOR, 1), BigInt(r.stake_after));
    assert.ok(r.extrinsic.events.includes('SubtensorModule.StakeAdded'));
  });

  test('the default 0.5% tolerance refuses a large order; --partial fills part of it', async () => {
    const base = [
      'stake',
      'add',
      ...as('bob'),
      '-n',
      '1',
      '--hotkey-ss58',
      VALIDATOR,
      '--amount',
      '100',
    ];
    const before = await stakeOf(BOB, VALIDATOR, 1);
    const refused = await box.tao(base);
    assertFailed(
      refused,
      1,
      /^error: SubtensorModule\.SlippageTooHigh: the price would move past the limit/,
    );
    assert.match(refused.err, /limit price\s+τ[\d.]+\/α \(tolerance 0\.50%\)/);
    assert.equal(await stakeOf(BOB, VALIDATOR, 1), before);
    const partial = await box.json<StakeDoc>([...base, '--partial']);
    assert.equal(partial.allow_partial, true);
    const spent =
      BigInt(partial.balance_before) -
      BigInt(partial.balance_after) -
      BigInt(partial.extrinsic.fee);
    assert.ok(spent > 0n && spent < 100_000_000_000n, `spent ${spent}`);
    assert.ok(BigInt(partial.stake_after) > BigInt(partial.stake_before));
  });

  test('add --unsafe warns about slippage and uses add_stake', async () => {
    const r = await box.tao([
      'stake',
      'add',
      ...as('bob'),
      '-n',
      '1',
      '--hotkey-ss58',
      VALIDATOR,
      '--amount',
      '20',
      '--unsafe',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as StakeDoc;
    assert.equal(doc.safe, false);
    assert.equal(doc.limit_price, null);
    assert.match(r.err, /warning: slippage [\d.]+% is above 0\.50%/);
    assert.match(r.err, /SubtensorModule\.add_stake: submitting/);
  });

  test('insufficient balance names SubtensorModule.NotEnoughBalanceToStake', async () => {
    const poor = await box.json<{ coldkey: { ss58_address: string } }>([
      'wallet',
      'create',
      ...walletFlags(box, 'poor'),
      '--no-use-password',
    ]);
    await box.json([
      'wallet',
      'transfer',
      ...as('alice'),
      '--dest',
      poor.coldkey.ss58_address,
      '--amount',
      '5',
    ]);
    const r = await box.tao([
      'stake',
      'add',
      ...as('poor'),
      '-n',
      '1',
      '--hotkey-ss58',
      VALIDATOR,
      '--amount',
      '10',
      '--unsafe',
      '--json',
    ]);
    assertFailed(
      r,
      1,
      /^error: SubtensorModule\.NotEnoughBalanceToStake: the coldkey's free balance is less than the amount to stake$/,
    );
    assert.deepEqual(JSON.parse(r.out).error.code, 'NotEnoughBalanceToStake');
    // --all stakes the free balance minus the existential deposit and a 0.01 τ fee reserve.
    const all = await box.json<StakeDoc>([
      'stake',
      'add',
      ...as('poor'),
      '-n',
      '1',
      '--hotkey-ss58',
      VALIDATOR,
      '--all',
      '--unsafe',
    ]);
    assert.equal(
      BigInt(all.amount),
      BigInt(all.balance_before) - client.getExistentialDeposit() - 10_000_000n,
    );
    assert.ok(BigInt(all.stake_after) > 0n);
    assert.ok(BigInt(all.balance_after) < 10_000_000n + client.getExistentialDeposit());
  });

  test('bad amounts, subnets and hotkeys are refused before anything is signed', async () => {
    const base = ['stake', 'add', ...as('bob'), '--hotkey-ss58', VALIDATOR];
    assertFailed(await box.tao([...base, '-n', '1']), 2, /exactly one of --amount or --all/);
    assertFailed(
      await box.tao([...base, '-n', '1', '--amount', '-3']),
      2,
      /--amount must be an amount/,
    );
    assertFailed(
      await box.tao([...base, '-n', '1', '--amount', '1', '--tolerance', '7']),
      2,
      /--tolerance must be a number/,
    );
    assertFailed(
      await box.tao([...base, '-n', 'one', '--amount', '1']),
      2,
      /-n must be a subnet id/,
    );
    assertFailed(
      await box.tao([...base, '-n', '9', '--amount', '1']),
      1,
      /subnet 9 does not exist/,
    );
    assertFailed(
      await box.tao([
        'stake',
        'add',
        ...as('bob'),
        '-n',
        '1',
        '--amount',
        '1',
        '--hotkey-ss58',
        'zzz',
      ]),
      2,
      /--hotkey-ss58 is not an SS58 address/,
    );
  });

  test('remove: an amount (safe), then --all', async () => {
    const r = await box.json<StakeDoc>([
      'stake',
      'remove',
      ...as('bob'),
      '-n',
      '1',
      '--hotkey',
      VALIDATOR,
      '--amount',
      '1',
      '--tolerance',
      '0.05',
    ]);
    assert.equal(BigInt(r.stake_before) - BigInt(r.stake_after), 1_000_000_000n);
    assert.equal(
      BigInt(r.balance_after) - BigInt(r.balance_before),
      BigInt(r.preview.expected_tao as string) - BigInt(r.extrinsic.fee),
    );
    assert.ok(r.extrinsic.events.includes('SubtensorModule.StakeRemoved'));
    const all = await box.json<StakeDoc>([
      'stake',
      'remove',
      ...as('bob'),
      '-n',
      '1',
      '--hotkey',
      VALIDATOR,
      '--all',
      '--unsafe',
    ]);
    assert.equal(all.amount, r.stake_after);
    assert.equal(all.stake_after, '0');
    assert.equal(await stakeOf(BOB, VALIDATOR, 1), 0n);
    assertFailed(
      await box.tao(['stake', 'remove', ...as('bob'), '-n', '1', '--hotkey', VALIDATOR, '--all']),
      1,
      /has no stake on/,
    );
    assertFailed(
      await box.tao([
        'stake',
        'remove',
        ...as('bob'),
        '-n',
        '1',
        '--hotkey',
        VALIDATOR,
        '--amount',
        '1',
      ]),
      1,
      /less than 1\.000000000 α/,
    );
  });
});

describe('moving stake', () => {
  test('list shows each position with its TAO value', async () => {
    await box.json([
      'stake',
      'add',
      ...as('bob'),
      '-n',
      '1',
      '--hotkey-ss58',
      VALIDATOR,
      '--amount',
      '30',
      '--unsafe',
    ]);
    const chain = await stakeOf(BOB, VALIDATOR, 1);
    const r = await box.json<{
      coldkey: string;
      stakes: Record<string, unknown>[];
      total_value: string;
    }>(['stake', 'list', ...walletFlags(box, 'bob'), ...net(node)]);
    assert.equal(r.coldkey, BOB);
    const row = r.stakes.find((s) => s.netuid === 1 && s.hotkey === VALIDATOR);
    assert.ok(row, JSON.stringify(r));
    assert.equal(row.stake, `${chain}`);
    assert.equal(row.value, `${(chain * BigInt(row.price as string)) / 1_000_000_000n}`);
    assert.equal(r.total_value, `${r.stakes.reduce((a, s) => a + BigInt(s.value as string), 0n)}`);
    const byAddress = await box.json<{ stakes: unknown[] }>([
      'stake',
      'list',
      '--ss58',
      BOB,
      ...net(node),
    ]);
    assert.equal(byAddress.stakes.length, r.stakes.length);
  });

  test('move: to another hotkey on the same subnet', async () => {
    const r = await box.json<Record<string, string>>([
      'stake',
      'move',
      ...as('bob'),
      '--hotkey-ss58',
      VALIDATOR,
      '--origin-netuid',
      '1',
      '--dest',
      bobHot,
      '--amount',
      '2',
    ]);
    assert.equal(r.destination_hotkey, bobHot);
    assert.equal(
      BigInt(r.origin_stake_before as string) - BigInt(r.origin_stake_after as string),
      2_000_000_000n,
    );
    assert.equal(
      BigInt(r.destination_stake_after as string) - BigInt(r.destination_stake_before as string),
      2_000_000_000n,
    );
    assert.equal(await stakeOf(BOB, bobHot, 1), BigInt(r.destination_stake_after as string));
  });

  test('transfer: to another coldkey', async () => {
    const r = await box.json<Record<string, string>>([
      'stake',
      'transfer',
      ...as('bob'),
      '--hotkey-ss58',
      VALIDATOR,
      '--origin-netuid',
      '1',
      '--dest',
      CHARLIE,
      '--amount',
      '3',
    ]);
    assert.equal(r.destination_coldkey, CHARLIE);
    assert.equal(r.destination_stake_after, '3000000000');
    assert.equal(await stakeOf(CHARLIE, VALIDATOR, 1), 3_000_000_000n);
    assertFailed(
      await box.tao(['stake', 'transfer', ...as('bob'), '--origin-netuid', '1', '--amount', '1']),
      2,
      /--dest is required/,
    );
  });

  test('swap: from subnet 1 to subnet 2', async () => {
    const r = await box.json<Record<string, string>>([
      'stake',
      'swap',
      ...as('bob'),
      '--hotkey-ss58',
      VALIDATOR,
      '--origin-netuid',
      '1',
      '--dest-netuid',
      '2',
      '--amount',
      '1',
    ]);
    assert.equal(
      BigInt(r.origin_stake_before as string) - BigInt(r.origin_stake_after as string),
      1_000_000_000n,
    );
    assert.ok(BigInt(r.destination_stake_after as string) > 0n);
    assert.equal(await stakeOf(BOB, VALIDATOR, 2), BigInt(r.destination_stake_after as string));
    assertFailed(
      await box.tao([
        'stake',
        'swap',
        ...as('bob'),
        '--origin-netuid',
        '1',
        '--dest-netuid',
        '1',
        '--amount',
        '1',
      ]),
      2,
      /must differ/,
    );
    assertFailed(
      await box.tao([
        'stake',
        'move',
        ...as('bob'),
        '--hotkey-ss58',
        VALIDATOR,
        '--origin-netuid',
        '1',
        '--amount',
        '1',
      ]),
      2,
      /same hotkey and subnet/,
    );
    assertFailed(
      await box.tao([
        'stake',
        'move',
        ...as('bob'),
        '--hotkey-ss58',
        VALIDATOR,
        '--origin-netuid',
        '1',
        '--dest',
        bobHot,
        '--amount',
        '100000',
      ]),
      1,
      /^error: the stake on 5DPM\S+ in subnet 1 is [\d,.]+ α, less than 100,000\.000000000 α$/,
    );
  });
});

describe('root claims', () => {
  test('set-claim: swap, keep, keep-subnets; the chain records it', async () => {
    const keep = await box.json<{ coldkey: string; claim_type: string; netuids: null }>([
      'stake',
      'set-claim',
      ...as('bob'),
      '--claim-type',
      'keep',
    ]);
    assert.deepEqual([keep.coldkey, keep.claim_type, keep.netuids], [BOB, 'Keep', null]);
    assert.deepEqual(await client.query(SubtensorStorage.RootClaimType, [pk(BOB)]), {
      type: 'Keep',
    });
    const some = await box.json<{ claim_type: string; netuids: number[] }>([
      'stake',
      'set_claim',
      ...as('bob'),
      '--claim-type',
      'keep-subnets',
      '--netuids',
      '2,1',
    ]);
    assert.deepEqual(some.netuids, [1, 2]);
    assert.deepEqual(await client.query(SubtensorStorage.RootClaimType, [pk(BOB)]), {
      type: 'KeepSubnets',
      value: { subnets: [1, 2] },
    });
    assertFailed(
      await box.tao(['stake', 'set-claim', ...as('bob'), '--claim-type', 'burn']),
      2,
      /swap, keep or keep-subnets/,
    );
    assertFailed(
      await box.tao(['stake', 'set-claim', ...as('bob'), '--claim-type', 'keep-subnets']),
      2,
      /needs --netuids/,
    );
  });

  test('process-claim: claim_root on the given subnets', async () => {
    const r = await box.json<{
      coldkey: string;
      netuids: number[];
      claimed: boolean;
      extrinsic: { events: string[] };
    }>(['stake', 'process-claim', ...as('bob'), '--netuids', '1,2']);
    assert.deepEqual(r.netuids, [1, 2]);
    assert.equal(r.claimed, r.extrinsic.events.includes('SubtensorModule.RootClaimed'));
    assert.ok(r.extrinsic.events.includes('System.ExtrinsicSuccess'));
    assertFailed(
      await box.tao(['stake', 'process-claim', ...as('bob'), '--netuids', '1,2,3,4,5,6']),
      2,
      /at most 5 subnets/,
    );
    assertFailed(
      await box.tao(['stake', 'process-claim', ...as('bob')]),
      2,
      /--netuids is required/,
    );
  });
});
