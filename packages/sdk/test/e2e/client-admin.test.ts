/**
 * The chain client's subnet, stake-swap, root-claim, take, hyperparameter and explicit-reveal
 * methods against a spawned tao-node: success with its events and state, the chain's refusals
 * decoded to their pallet error names, and bad parameters refused before anything is sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SubtensorStorage } from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import {
  applyTolerance,
  ExtrinsicFailedError,
  type ExtrinsicResult,
  PreconditionError,
} from '../../src/client/index.js';
import { commitHash, convertWeightsAndUidsForEmit } from '../../src/weights/index.js';
import { alice, assertOk, type Env, produceUntil, startEnv, TAO } from './helpers.js';

const cold = keypairFromUri('//SdkAdminCold');
const hot = keypairFromUri('//SdkAdminHot');
const stranger = keypairFromUri('//SdkAdminStranger');
const poorHot = keypairFromUri('//SdkAdminPoorHot');
const validator = keypairFromUri('//Alice//subnet1'); // owner hotkey, uid 0 of subnet 1

/** Asserts an included extrinsic failed with `qualifiedName`. */
function assertFailedWith(r: ExtrinsicResult, qualifiedName: string | RegExp): void {
  assert.equal(r.ok, false, 'expected the extrinsic to fail');
  assert.ok(!r.ok);
  assert.ok(r.error instanceof ExtrinsicFailedError);
  if (typeof qualifiedName === 'string') assert.equal(r.error.qualifiedName, qualifiedName);
  else assert.match(r.error.qualifiedName, qualifiedName);
  assert.equal(r.error.code, r.error.qualifiedName.split('.').pop());
}

const eventNames = (r: ExtrinsicResult) => r.events.map((e) => `${e.pallet}.${e.name}`);

describe('sdk client: subnets, swaps, claims, takes, hyperparameters', () => {
  let env: Env;
  /** The subnet `cold` registers. */
  let mine: number;

  before(async () => {
    env = await startEnv(1);
    for (const k of [cold, stranger, validator])
      assertOk(
        'fund',
        await env.client.transfer({ signer: alice, dest: k.publicKey, amount: 20_000n * TAO }),
      );
  });
  after(async () => {
    await env?.close();
  });

  /** Free balance and nonce of `cold`, to show a refused call sent nothing. */
  async function untouched(run: () => Promise<unknown>, err: Parameters<typeof assert.rejects>[1]) {
    const { client } = env;
    const before = await client.getBalance(cold.publicKey);
    const block = await client.getCurrentBlock();
    await assert.rejects(run(), err);
    assert.equal(await client.getBalance(cold.publicKey), before);
    assert.equal(await client.getCurrentBlock(), block, 'no block was produced');
  }

  it('reads prices, costs, keys, owners and takes', async () => {
    const { client } = env;
    const prices = await client.getAlphaPrices();
    assert.deepEqual([...prices.keys()].sort(), [0, 1]);
    assert.equal(prices.get(1), await client.alphaPrice(1));
    assert.equal(
      await client.getNetworkRegistrationCost(),
      await client.runtimeApi('SubnetRegistrationRuntimeApi', 'get_network_registration_cost', []),
    );
    assert.equal(
      await client.getNeuronRegistrationCost(1),
      await client.query(SubtensorStorage.Burn, [1]),
    );
    assert.deepEqual(await client.getSudoKey(), alice.publicKey);
    assert.deepEqual(await client.getSubnetOwner(1), alice.publicKey);
    assert.equal(await client.getSubnetOwner(77), undefined);
    assert.equal(await client.subnetExists(1), true);
    assert.equal(await client.subnetExists(77), false);
    assert.equal(await client.getDelegateTake(hot.publicKey), 11_796);
    assert.equal(
      await client.swapPriceRatio(1, 0),
      ((prices.get(1) ?? 0n) * TAO) / (prices.get(0) ?? 1n),
    );
    assert.deepEqual(await client.getStakeInfoForColdkey(cold.address()), []);
    await assert.rejects(client.getStakeInfoForColdkeys('x' as never), TypeError);
    await assert.rejects(
      client.getStakeInfoForColdkeys(Array.from({ length: 1025 }, () => cold.publicKey)),
      RangeError,
    );
    await assert.rejects(client.getNeuronRegistrationCost(70_000), RangeError);
    await assert.rejects(client.getDelegateTake('nope'), RangeError);
  });

  it('registerNetwork: bad parameters are refused before anything is sent', async () => {
    const { client } = env;
    const p = { signer: cold, hotkey: hot.publicKey };
    await untouched(
      () => client.registerNetwork({ ...p, identity: { name: 'x' } as never }),
      /identity has no field name/,
    );
    await untouched(
      () => client.registerNetwork({ ...p, identity: { description: 'd'.repeat(1025) } }),
      RangeError,
    );
    await untouched(
      () => client.registerNetwork({ ...p, identity: { discord: 5 as never } }),
      TypeError,
    );
    await untouched(() => client.registerNetwork({ ...p, hotkey: 'nope' }), RangeError);
    await untouched(() => client.registerNetwork({ ...p, signer: {} as never }), TypeError);
    await untouched(() => client.registerNetwork(null as never), TypeError);
  });

  it('registerNetwork: an invalid identity is the chain’s InvalidIdentity, and nothing is added', async () => {
    const { client } = env;
    const r = await client.registerNetwork({
      signer: cold,
      hotkey: hot.publicKey,
      identity: { subnetName: 'n'.repeat(300) },
    });
    assertFailedWith(r, 'SubtensorModule.InvalidIdentity');
    assert.equal(r.netuid, undefined);
    assert.equal(r.lockCost, undefined);
    assert.deepEqual(await client.getNetuids(), [0, 1]);
  });

  it('registerNetwork with an identity: the new netuid, its lock, owner and identity', async () => {
    const { client } = env;
    const quote = await client.getNetworkRegistrationCost();
    const before = await client.getBalance(cold.publicKey);
    const r = await client.registerNetwork({
      signer: cold,
      hotkey: hot.address(),
      identity: { subnetName: 'sdknet', githubRepo: new TextEncoder().encode('https://x/y') },
    });
    assertOk('register_network_with_identity', r);
    assert.equal(r.netuid, 2);
    mine = r.netuid;
    assert.ok(eventNames(r).includes('SubtensorModule.NetworkAdded'));
    assert.equal(r.lockCost, await client.query(SubtensorStorage.SubnetLocked, [2]));
    assert.ok(r.lockCost !== undefined && r.lockCost > 0n && r.lockCost <= quote);
    assert.equal(
      await client.getBalance(cold.publicKey),
      before - (r.lockCost ?? 0n) - (r.fee ?? 0n),
    );
    assert.deepEqual(await client.getSubnetOwner(2), cold.publicKey);
    const id = await client.query(SubtensorStorage.SubnetIdentitiesV3, [2]);
    assert.equal(new TextDecoder().decode(id?.subnet_name), 'sdknet');
    assert.equal(new TextDecoder().decode(id?.github_repo), 'https://x/y');
    assert.equal(id?.discord.length, 0);
  });

  it('registerNetwork again: the network rate limit, until root lifts it (a chain-wide setter)', async () => {
    const { client } = env;
    const again = await client.registerNetwork({ signer: stranger, hotkey: stranger.publicKey });
    assertFailedWith(again, 'SubtensorModule.NetworkTxRateLimitExceeded');
    const lift = await client.setHyperparameter({
      signer: alice,
      name: 'network-rate-limit',
      value: 0n,
    });
    assertOk('network_rate_limit', lift);
    assert.equal(lift.via, 'sudo');
    assert.equal(lift.call, 'AdminUtils.sudo_set_network_rate_limit');
    assert.equal(lift.name, 'network_rate_limit');
    assert.deepEqual(lift.args, { rate_limit: 0n });
    assert.equal(await client.query(SubtensorStorage.NetworkRateLimit, []), 0n);
    const plain = await client.registerNetwork({ signer: stranger, hotkey: stranger.publicKey });
    assertOk('register_network', plain);
    assert.equal(plain.netuid, 3);
    assert.equal(await client.query(SubtensorStorage.SubnetIdentitiesV3, [3]), undefined);
  });

  it('startCall: only the owner, only once; a missing subnet is SubnetNotExists', async () => {
    const { client } = env;
    await assert.rejects(client.startCall({ signer: cold, netuid: -1 }), RangeError);
    assertFailedWith(await client.startCall({ signer: stranger, netuid: mine }), 'BadOrigin');
    assertFailedWith(
      await client.startCall({ signer: cold, netuid: 99 }),
      'SubtensorModule.SubnetNotExists',
    );
    const r = await client.startCall({ signer: cold, netuid: mine });
    assertOk('start_call', r);
    assert.equal(r.firstEmissionBlock, BigInt(r.blockNumber + 1));
    assert.equal(
      await client.query(SubtensorStorage.FirstEmissionBlockNumber, [mine]),
      r.firstEmissionBlock,
    );
    const twice = await client.startCall({ signer: cold, netuid: mine });
    assertFailedWith(twice, 'SubtensorModule.FirstEmissionBlockNumberAlreadySet');
    assert.equal(twice.firstEmissionBlock, undefined);
  });

  it('swapStake: plain and with a limit ratio; refusals named', async () => {
    const { client } = env;
    const stake = (netuid: number) =>
      client.getStake({ coldkey: cold.publicKey, hotkey: validator.publicKey, netuid });
    assertOk(
      'add_stake',
      await client.addStake({
        signer: cold,
        hotkey: validator.publicKey,
        netuid: 1,
        amount: 1_000n * TAO,
      }),
    );
    const base = { signer: cold, hotkey: validator.publicKey, originNetuid: 1 };
    await untouched(
      () => client.swapStake({ ...base, destinationNetuid: 1, amount: TAO }),
      /must differ/,
    );
    await untouched(
      () => client.swapStake({ ...base, destinationNetuid: mine, amount: 0n }),
      RangeError,
    );
    await untouched(
      () =>
        client.swapStake({
          ...base,
          destinationNetuid: mine,
          amount: TAO,
          limit: { tolerance: 1.5 },
        }),
      RangeError,
    );
    await untouched(
      () =>
        client.swapStake({
          ...base,
          destinationNetuid: mine,
          amount: TAO,
          limit: { price: 1n, tolerance: 0.1 },
        }),
      /a price or a tolerance/,
    );

    assertFailedWith(
      await client.swapStake({ ...base, destinationNetuid: 99, amount: TAO }),
      'SubtensorModule.SubnetNotExists',
    );
    const held = await stake(1);
    const r = await client.swapStake({ ...base, destinationNetuid: mine, amount: TAO });
    assertOk('swap_stake', r);
    assert.equal(r.limitPrice, undefined);
    const swapped = r.events.find((e) => e.name === 'StakeSwapped')?.event;
    assert.ok(swapped?.type === 'SubtensorModule' && swapped.value.type === 'StakeSwapped');
    assert.deepEqual(swapped.value.value.slice(0, 4), [
      cold.publicKey,
      validator.publicKey,
      1,
      mine,
    ]);
    assert.equal(await stake(1), held - TAO);
    const inMine = await stake(mine);
    assert.ok(inMine > 0n);

    // A 0.1 % floor under the ratio cannot absorb moving most of the stake …
    const big = (await stake(1)) / 2n;
    const ratio = await client.swapPriceRatio(1, mine);
    const strict = await client.swapStake({
      ...base,
      destinationNetuid: mine,
      amount: big,
      limit: { tolerance: 0.001 },
    });
    assertFailedWith(strict, 'SubtensorModule.SlippageTooHigh');
    assert.equal(strict.limitPrice, applyTolerance(ratio, 0.001, -1));
    // … but it fills partly when allowed to.
    const before = await stake(1);
    const partial = await client.swapStake({
      ...base,
      destinationNetuid: mine,
      amount: big,
      limit: { tolerance: 0.001, allowPartial: true },
    });
    assertOk('swap_stake_limit (partial)', partial);
    const moved = before - (await stake(1));
    assert.ok(moved > 0n && moved < big, `moved ${moved} of ${big}`);
    assert.ok((await stake(mine)) > inMine);

    const infos = await client.getStakeInfoForColdkey(cold.publicKey);
    assert.deepEqual(
      infos
        .filter((s) => s.stake > 0n)
        .map((s) => s.netuid)
        .sort(),
      [1, mine],
    );
    assert.equal(infos.find((s) => s.netuid === 1)?.stake, await stake(1));
    const many = await client.getStakeInfoForColdkeys([cold.address(), stranger.publicKey]);
    assert.deepEqual([...many.keys()].sort(), [cold.address(), stranger.address()].sort());
    assert.deepEqual(many.get(cold.address()), infos);

    // The chain caps the amount at the stake held.
    const rest = await stake(1);
    const all = await client.swapStake({ ...base, destinationNetuid: mine, amount: rest + TAO });
    assertOk('swap_stake (capped)', all);
    const removed = all.events.find((e) => e.name === 'StakeRemoved')?.event;
    assert.ok(removed?.type === 'SubtensorModule' && removed.value.type === 'StakeRemoved');
    const [, , , alpha, , fee] = removed.value.value as [
      Uint8Array,
      Uint8Array,
      bigint,
      bigint,
      number,
      bigint,
    ];
    assert.equal(alpha + fee, rest, 'all of the stake, its swap fee included');
    assert.equal(await stake(1), 0n);
  });

  it('setRootClaimType and claimRoot', async () => {
    const { client } = env;
    await untouched(
      () => client.setRootClaimType({ signer: cold, claimType: 'Burn' as never }),
      RangeError,
    );
    await untouched(
      () => client.setRootClaimType({ signer: cold, claimType: 'KeepSubnets' }),
      /needs netuids/,
    );
    await untouched(
      () => client.setRootClaimType({ signer: cold, claimType: 'Keep', netuids: [1] }),
      /only with KeepSubnets/,
    );
    await untouched(
      () => client.setRootClaimType({ signer: cold, claimType: 'KeepSubnets', netuids: [1, 1] }),
      /duplicates/,
    );
    // An empty set is the chain's to refuse.
    assertFailedWith(
      await client.setRootClaimType({ signer: cold, claimType: 'KeepSubnets', netuids: [] }),
      'SubtensorModule.InvalidSubnetNumber',
    );
    const keep = await client.setRootClaimType({ signer: cold, claimType: 'Keep' });
    assertOk('set_root_claim_type', keep);
    assert.deepEqual(keep.claimType, { type: 'Keep' });
    assert.ok(eventNames(keep).includes('SubtensorModule.RootClaimTypeSet'));
    assert.deepEqual(await client.query(SubtensorStorage.RootClaimType, [cold.publicKey]), {
      type: 'Keep',
    });
    const some = await client.setRootClaimType({
      signer: cold,
      claimType: 'KeepSubnets',
      netuids: [mine, 1],
    });
    assertOk('set_root_claim_type (KeepSubnets)', some);
    assert.deepEqual(some.claimType, { type: 'KeepSubnets', value: { subnets: [1, mine] } });
    assert.deepEqual(await client.query(SubtensorStorage.RootClaimType, [cold.publicKey]), {
      type: 'KeepSubnets',
      value: { subnets: [1, mine] },
    });

    await untouched(() => client.claimRoot({ signer: cold, netuids: [] }), /at least one/);
    await untouched(
      () => client.claimRoot({ signer: cold, netuids: [1, 2, 3, 4, 5, 6] }),
      /at most 5/,
    );
    await untouched(() => client.claimRoot({ signer: cold, netuids: [2, 2] }), /duplicates/);
    await untouched(() => client.claimRoot({ signer: cold, netuids: 'all' as never }), TypeError);
    const claim = await client.claimRoot({ signer: cold, netuids: [mine, 1] });
    assertOk('claim_root', claim);
    assert.deepEqual(claim.netuids, [1, mine]);
    assert.equal(claim.claimed, eventNames(claim).includes('SubtensorModule.RootClaimed'));
    assert.equal(claim.claimed, true);
  });

  it('setTake: decrease, the same take, too high, rate limited, wrong coldkey', async () => {
    const { client } = env;
    await untouched(
      () => client.setTake({ signer: cold, hotkey: hot.publicKey, take: 70_000 }),
      RangeError,
    );
    await untouched(
      () => client.setTake({ signer: cold, hotkey: hot.publicKey, take: 0.1 }),
      RangeError,
    );
    assertFailedWith(
      await client.setTake({ signer: stranger, hotkey: hot.publicKey, take: 6553 }),
      'SubtensorModule.NonAssociatedColdKey',
    );
    const r = await client.setTake({ signer: cold, hotkey: hot.publicKey, take: 6553 });
    assertOk('decrease_take', r);
    assert.deepEqual([r.call, r.takeBefore, r.take], ['decrease_take', 11_796, 6553]);
    const ev = r.events.find((e) => e.name === 'TakeDecreased')?.event;
    assert.ok(ev?.type === 'SubtensorModule' && ev.value.type === 'TakeDecreased');
    assert.deepEqual(ev.value.value, [cold.publicKey, hot.publicKey, 6553]);
    assert.equal(await client.getDelegateTake(hot.address()), 6553);
    await assert.rejects(
      client.setTake({ signer: cold, hotkey: hot.publicKey, take: 6553 }),
      (err: unknown) => err instanceof PreconditionError && err.code === 'TAKE_UNCHANGED',
    );
    const high = await client.setTake({ signer: cold, hotkey: hot.publicKey, take: 30_000 });
    assertFailedWith(high, 'SubtensorModule.DelegateTakeTooHigh');
    assert.equal(high.call, 'increase_take');
    assertFailedWith(
      await client.setTake({ signer: cold, hotkey: hot.publicKey, take: 11_000 }),
      'SubtensorModule.DelegateTxRateLimitExceeded',
    );
    assert.equal(await client.getDelegateTake(hot.publicKey), 6553);
  });

  it('setHyperparameter: the owner signs owner setters; root-only ones go through Sudo.sudo', async () => {
    const { client } = env;
    const owner = await client.setHyperparameter({
      signer: cold,
      netuid: mine,
      name: 'min_burn',
      value: 600_000n,
    });
    assertOk('sudo_set_min_burn', owner);
    assert.deepEqual(
      [owner.via, owner.call, owner.name, owner.args],
      ['owner', 'AdminUtils.sudo_set_min_burn', 'min_burn', { min_burn: 600_000n }],
    );
    assert.ok(!eventNames(owner).includes('Sudo.Sudid'));
    assert.equal(await client.query(SubtensorStorage.MinBurn, [mine]), 600_000n);

    const root = await client.setHyperparameter({
      signer: alice,
      netuid: mine,
      name: 'tempo',
      value: 50,
    });
    assertOk('sudo_set_tempo', root);
    assert.equal(root.via, 'sudo');
    assert.ok(eventNames(root).includes('Sudo.Sudid'));
    assert.equal(await client.query(SubtensorStorage.Tempo, [mine]), 50);
    // The sudo key may also set an owner parameter of someone else's subnet.
    const o = await client.setHyperparameter({
      signer: alice,
      netuid: mine,
      name: 'immunity_period',
      value: 4000,
    });
    assertOk('sudo_set_immunity_period', o);
    assert.equal(o.via, 'sudo');
    assertOk(
      'sudo_set_liquid_alpha_enabled',
      await client.setHyperparameter({
        signer: cold,
        netuid: mine,
        name: 'liquid_alpha_enabled',
        value: true,
      }),
    );
    const pair = await client.setHyperparameter({
      signer: cold,
      netuid: mine,
      name: 'alpha_values',
      value: { low: 45_000, high: 60_000 },
    });
    assertOk('sudo_set_alpha_values', pair);
    assert.deepEqual(pair.args, { alpha_low: 45_000, alpha_high: 60_000 });

    const preview = await client.previewSetHyperparameter({
      account: cold.address(),
      netuid: mine,
      name: 'commit-reveal-weights-enabled',
      value: true,
    });
    assert.deepEqual(
      [preview.name, preview.via, preview.call],
      [
        'commit_reveal_weights_enabled',
        'owner',
        'AdminUtils.sudo_set_commit_reveal_weights_enabled',
      ],
    );
  });

  it('setHyperparameter: failures inside Sudo.sudo and of the owner call are typed dispatch errors', async () => {
    const { client } = env;
    const inner = await client.setHyperparameter({
      signer: alice,
      netuid: mine,
      name: 'min_allowed_uids',
      value: 5000,
    });
    assertFailedWith(inner, 'AdminUtils.MinAllowedUidsGreaterThanMaxAllowedUids');
    assert.ok(!inner.ok && inner.error.viaSudo);
    assert.match(inner.error.shortMessage, /inside Sudo\.sudo failed/);
    assert.ok(
      eventNames(inner).includes('System.ExtrinsicSuccess'),
      'the sudo extrinsic itself ran',
    );
    await assert.rejects(
      client.setHyperparameter(
        { signer: alice, netuid: mine, name: 'min_allowed_uids', value: 5000 },
        { raiseError: true },
      ),
      (err: unknown) => err instanceof ExtrinsicFailedError && err.viaSudo,
    );
    const direct = await client.setHyperparameter({
      signer: cold,
      netuid: mine,
      name: 'max_allowed_uids',
      value: 60_000,
    });
    assertFailedWith(direct, 'AdminUtils.MaxAllowedUidsGreaterThanDefaultMaxAllowedUids');
    assert.ok(!direct.ok && !direct.error.viaSudo);
    // Sudo.sudo signed by someone else fails as an extrinsic.
    const notSudo = await client.sudo({
      signer: cold,
      call: {
        type: 'AdminUtils',
        value: { type: 'sudo_set_tempo', value: { netuid: mine, tempo: 9 } },
      } as never,
    });
    assertFailedWith(notSudo, 'Sudo.RequireSudo');
    assert.equal(await client.query(SubtensorStorage.Tempo, [mine]), 50);
  });

  it('setHyperparameter: refusals before anything is sent', async () => {
    const { client } = env;
    const p = { signer: cold, netuid: mine };
    await untouched(
      () => client.setHyperparameter({ ...p, name: 'tempo', value: 9 }),
      (err: unknown) =>
        err instanceof PreconditionError &&
        err.code === 'NOT_SUDO' &&
        /tempo can only be set by root, and 5\w+ is not the sudo key/.test(err.message),
    );
    await untouched(
      () =>
        client.setHyperparameter({ signer: stranger, netuid: mine, name: 'min_burn', value: 1n }),
      (err: unknown) =>
        err instanceof PreconditionError &&
        err.code === 'NOT_SUBNET_OWNER' &&
        /neither owns subnet 2 nor is the sudo key/.test(err.message),
    );
    await untouched(
      () => client.setHyperparameter({ ...p, name: 'bogus', value: 1 }),
      /unknown hyperparameter 'bogus'/,
    );
    await untouched(
      () => client.setHyperparameter({ ...p, name: '__proto__', value: 1 }),
      RangeError,
    );
    await untouched(
      () => client.setHyperparameter({ ...p, name: 'min_burn', value: 'fast' }),
      TypeError,
    );
    await untouched(
      () => client.setHyperparameter({ ...p, name: 'immunity_period', value: 70_000 }),
      RangeError,
    );
    await untouched(
      () => client.setHyperparameter({ ...p, name: 'min_burn', value: -1n }),
      RangeError,
    );
    await untouched(
      () => client.setHyperparameter({ signer: cold, name: 'min_burn', value: 1n }),
      /netuid is required/,
    );
    await untouched(
      () => client.setHyperparameter({ ...p, name: 'start_call_delay', value: 0n }),
      /chain-wide: it takes no netuid/,
    );
    await untouched(
      () => client.setHyperparameter({ ...p, name: 'recycle_or_burn', value: 'burn' }),
      /'Burn' or 'Recycle'/,
    );
    await untouched(() => client.sudo({ signer: alice, call: {} as never }), TypeError);
  });

  it('setWeights from a hotkey whose account holds nothing says so', async () => {
    const { client } = env;
    assertOk(
      'burned_register',
      await client.burnedRegister({ signer: cold, netuid: 1, hotkey: poorHot.publicKey }),
    );
    assert.equal(await client.getBalance(poorHot.publicKey), 0n);
    await assert.rejects(
      client.setWeights({ signer: poorHot, netuid: 1, uids: [0], weights: [1] }),
      (err: unknown) =>
        err instanceof PreconditionError &&
        err.code === 'HOTKEY_CANNOT_PAY' &&
        err.message.includes(poorHot.address()) &&
        /holds no balance.*Invalid\.Payment.*transfer some TAO/.test(err.message),
    );
  });

  it('revealWeights with explicit uids, weights and salt', async () => {
    const { client, node } = env;
    for (const [name, value] of [
      ['admin_freeze_window', 0],
      ['weights_rate_limit', 0n],
      ['tempo', 20],
      ['commit_reveal_weights_enabled', true],
    ] as const) {
      const r = await client.setHyperparameter({
        signer: alice,
        name,
        value,
        ...(name === 'admin_freeze_window' ? {} : { netuid: 1 }),
      });
      assertOk(name, r);
    }
    const salt = [7, 8, 9];
    const c = await client.commitWeights({
      signer: validator,
      netuid: 1,
      uids: [0, 1],
      weights: [0.5, 1],
      salt,
      versionKey: 0n,
    });
    assertOk('commit', c);
    const explicit = { uids: [0, 1], weights: [0.5, 1], salt, versionKey: 0n };
    await assert.rejects(
      client.revealWeights({ signer: validator, netuid: 1, explicit, commitHash: c.commitHash }),
      /commitHash or explicit/,
    );
    await assert.rejects(
      client.revealWeights({
        signer: validator,
        netuid: 1,
        explicit: { ...explicit, salt: [70_000] },
      }),
      RangeError,
    );
    await assert.rejects(
      client.revealWeights({
        signer: validator,
        netuid: 1,
        explicit: { ...explicit, salt: 'x' as never },
      }),
      TypeError,
    );
    const wrong = await client.revealWeights({
      signer: validator,
      netuid: 1,
      explicit: { ...explicit, salt: [7, 8, 10] },
    });
    assertFailedWith(wrong, 'SubtensorModule.InvalidRevealCommitHashNotMatch');
    const early = await client.revealWeights({ signer: validator, netuid: 1, explicit });
    assertFailedWith(early, 'SubtensorModule.RevealTooEarly');
    assert.equal(early.commit.commitHash, c.commitHash);
    assert.equal(early.commit.block, c.blockNumber, 'the stored copy is the one revealed');
    assert.equal((await (await client.commitStore()).list(validator.publicKey)).length, 1);

    const commits = await client.query(SubtensorStorage.WeightCommits, [1, validator.publicKey]);
    assert.ok(commits && commits.length === 1);
    const commitEpoch = (commits[0] as [Uint8Array, bigint, bigint, bigint])[1];
    const target = commitEpoch + (await client.query(SubtensorStorage.RevealPeriodEpochs, [1]));
    await produceUntil(
      node,
      async () => {
        const head = await client.block();
        const at = { at: head.hash };
        const [index, last, tempo] = await Promise.all([
          client.query(SubtensorStorage.SubnetEpochIndex, [1], at),
          client.query(SubtensorStorage.LastEpochBlock, [1], at),
          client.query(SubtensorStorage.Tempo, [1], at),
        ]);
        const next = BigInt(head.number + 1);
        const epoch = index + (tempo > 0 && next - last >= BigInt(tempo) ? 1n : 0n);
        assert.ok(epoch <= target, `missed the reveal epoch ${target} (now ${epoch})`);
        return epoch === target;
      },
      'the reveal epoch',
    );
    const r = await client.revealWeights({ signer: validator, netuid: 1, explicit });
    assertOk('reveal', r);
    const conv = convertWeightsAndUidsForEmit([0, 1], [0.5, 1]);
    assert.equal(
      r.commit.commitHash,
      commitHash({
        hotkey: validator.publicKey,
        netuid: 1,
        uids: conv.uids,
        values: conv.weights,
        salt,
        versionKey: 0n,
      }),
    );
    const revealed = r.events.find((e) => e.name === 'WeightsRevealed')?.event;
    assert.ok(revealed?.type === 'SubtensorModule' && revealed.value.type === 'WeightsRevealed');
    assert.equal(toHex(revealed.value.value[2] as Uint8Array), c.commitHash);
    assert.deepEqual(await client.query(SubtensorStorage.Weights, [1, 0]), [
      [0, conv.weights[0]],
      [1, conv.weights[1]],
    ]);
    assert.deepEqual(await (await client.commitStore()).list(validator.publicKey), []);
  });
});
