// The template miner and validator in-process against a dev node: queries, scores, weights on
// chain (plain, then commit–reveal), the registration check, and a clean stop.
import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SubtensorStorage } from '@taoscript/chain-types';
import { toHex } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { Metagraph } from '@taoscript/sdk';
import {
  createLineLogger,
  NeuronError,
  parseNeuronConfig,
  TemplateMiner,
  TemplateValidator,
  type WeightsEvent,
} from '../../src/index.js';
import {
  adminSudo,
  alice,
  assertOk,
  type Env,
  NETUID,
  neuronArgs,
  nextEvent,
  OWNER_HOTKEY_URI,
  registerHotkey,
  startEnv,
  TAO,
  writeWallet,
} from './helpers.js';

const MINER_URI = '//TemplateMinerE2E';
const RATE_LIMIT = 4;

describe('template miner and validator on a dev chain', () => {
  let env: Env;
  let miner: TemplateMiner | undefined;
  let validator: TemplateValidator | undefined;
  const owner = keypairFromUri(OWNER_HOTKEY_URI);
  // SUBNET_E2E_LOG=debug prints the neurons' logs.
  const level = process.env.SUBNET_E2E_LOG as 'debug' | undefined;
  const log = (name: string) =>
    level === undefined ? {} : { logger: createLineLogger({ level, name }) };
  const minerConfig = () => parseNeuronConfig(neuronArgs(env, 'miner'), {}, { role: 'miner' });
  const validatorConfig = () =>
    parseNeuronConfig(
      neuronArgs(env, 'validator', [
        '--neuron.axon_off',
        '--neuron.sample_size',
        '4',
        '--neuron.timeout',
        '5',
      ]),
      {},
      { role: 'validator' },
    );

  before(async () => {
    env = await startEnv();
    await registerHotkey(env.client, MINER_URI);
    // The owner hotkey (uid 0 at genesis) pays the fees of its weights.
    assertOk(
      'transfer',
      await env.client.transfer({ signer: alice, dest: owner.address(), amount: 10n * TAO }),
    );
    await adminSudo(env.client, 'sudo_set_weights_set_rate_limit', {
      netuid: NETUID,
      weights_set_rate_limit: BigInt(RATE_LIMIT),
    });
    const wallets = `${env.dir}/wallets`;
    await writeWallet(wallets, 'miner', MINER_URI);
    await writeWallet(wallets, 'validator', OWNER_HOTKEY_URI);
    await writeWallet(wallets, 'nobody', '//NobodyRegistered');
  });
  after(async () => {
    await miner?.stop();
    await validator?.stop();
    await env?.close();
  });

  it('refuses to start a neuron whose hotkey is not registered', async () => {
    const nobody = new TemplateValidator(
      parseNeuronConfig(
        neuronArgs(env, 'nobody', ['--neuron.axon_off']),
        {},
        { role: 'validator' },
      ),
    );
    await assert.rejects(nobody.start(), (e: unknown) => {
      assert.ok(e instanceof NeuronError, String(e));
      assert.equal(e.code, 'NOT_REGISTERED');
      assert.match(
        e.shortMessage,
        new RegExp(
          `^hotkey ${keypairFromUri('//NobodyRegistered').address()} is not registered on netuid 1; register with \`tao subnets register\`$`,
        ),
      );
      return true;
    });
    assert.equal(nobody.running, false);
    await nobody.wait();
    await assert.rejects(nobody.client.getCurrentBlock(), /closed/, 'its connection was closed');
  });

  it('the validator queries the miner, scores it, and its weights land on chain', async () => {
    miner = new TemplateMiner(minerConfig(), log('miner'));
    await miner.start();
    assert.equal(miner.uid, 1);
    const port = miner.axon?.port;
    assert.ok(port !== undefined && port > 0);

    validator = new TemplateValidator(validatorConfig(), log('validator'));
    const events: WeightsEvent[] = [];
    validator.on('weights', (e) => events.push(e));
    const errors: unknown[] = [];
    validator.on('error', (e) => errors.push(e.error));
    const second = nextEvent(
      validator,
      'weights',
      () => events.filter((e) => e.ok && e.kind === 'set').length >= 2,
      'two weight settings',
    );
    await validator.start();
    assert.equal(validator.uid, 0);
    await second;

    // The miner answered correctly: its score rose; the validator's own (not serving) did not.
    assert.ok((validator.scores[1] ?? 0) > 0, `miner score ${validator.scores[1]}`);
    assert.equal(validator.scores[0], 0);
    // Every weights extrinsic succeeded, spaced by the chain's rate limit.
    assert.deepEqual(
      events.filter((e) => !e.ok),
      [],
      'no refused weights',
    );
    const blocks = events.filter((e) => e.ok).map((e) => (e.ok ? e.block : 0));
    for (let i = 1; i < blocks.length; i++)
      assert.ok(
        (blocks[i] as number) - (blocks[i - 1] as number) >= RATE_LIMIT,
        `blocks ${blocks}`,
      );
    assert.deepEqual(errors, []);

    // Read back through a full metagraph: uid 0's row gives all the weight to the miner.
    const mg = await new Metagraph(env.client, NETUID, { lite: false }).sync();
    assert.deepEqual(mg.weightRows[0], [[1, 65_535]]);
    assert.ok(mg.lastUpdate[0] !== undefined && mg.lastUpdate[0] > 0n);
    assert.equal(mg.axons[1]?.ip, '10.11.12.13');
    assert.equal(mg.axons[1]?.port, port);
  });

  it('with commit–reveal on, the validator commits, then reveals in the reveal epoch', async () => {
    assert.ok(validator);
    await validator.stop();
    const saved = { step: validator.step, miner: validator.scores[1] as number };
    // Epochs every 11 blocks; no admin freeze window (it would cover a whole 10-block tempo).
    await adminSudo(env.client, 'sudo_set_admin_freeze_window', { window: 0 });
    await adminSudo(env.client, 'sudo_set_commit_reveal_weights_enabled', {
      netuid: NETUID,
      enabled: true,
    });
    await adminSudo(env.client, 'sudo_set_tempo', { netuid: NETUID, tempo: 10 });

    validator = new TemplateValidator(validatorConfig(), log('validator'));
    const events: WeightsEvent[] = [];
    validator.on('weights', (e) => events.push(e));
    const revealed = nextEvent(
      validator,
      'weights',
      (e) => e.kind === 'reveal' && e.ok,
      'a reveal',
      90_000,
    );
    await validator.start();
    // The state was loaded: same step and the miner's score carried over.
    assert.ok(validator.step >= saved.step);
    assert.ok((validator.scores[1] ?? 0) >= saved.miner * 0.5);
    const reveal = await revealed;
    assert.ok(reveal.ok);

    const commits = events.filter((e) => e.kind === 'commit');
    assert.ok(commits.length >= 1 && commits.every((e) => e.ok), 'commits landed');
    assert.equal(events.filter((e) => e.kind === 'set').length, 0, 'no plain set_weights');
    const first = commits[0];
    assert.ok(first?.ok && first.block < reveal.block, 'the commit came first');
    const names = reveal.result.events.map((e) => `${e.pallet}.${e.name}`);
    assert.ok(names.includes('SubtensorModule.WeightsRevealed'), names.join(','));
    assert.ok(names.includes('SubtensorModule.WeightsSet'), names.join(','));
    assert.deepEqual(reveal.uids, [1]);
    assert.deepEqual(reveal.values, [65_535]);

    // The revealed commit is gone from the chain and from the validator's commit store.
    const commitHash = (
      first.result.events
        .map((e) => e.event)
        .find((e) => e?.type === 'SubtensorModule' && e.value.type === 'WeightsCommitted')?.value
        .value as unknown as [Uint8Array, number, Uint8Array] | undefined
    )?.[2];
    assert.ok(commitHash instanceof Uint8Array);
    const onChain = await env.client.query(SubtensorStorage.WeightCommits, [
      NETUID,
      owner.publicKey,
    ]);
    assert.ok(!(onChain ?? []).some(([h]) => toHex(h) === toHex(commitHash)));
    const store = await validator.client.commitStore();
    assert.ok(!(await store.list(owner.publicKey)).some((c) => c.commitHash === toHex(commitHash)));
  });

  it('stop() closes the axon, the dendrite and the connection', async () => {
    assert.ok(miner && validator);
    const port = miner.axon?.port as number;
    await Promise.all([miner.stop(), validator.stop()]);
    await Promise.all([miner.wait(), validator.wait()]);
    assert.equal(miner.running, false);
    await assert.rejects(miner.client.getCurrentBlock(), /closed/);
    await assert.rejects(validator.client.getCurrentBlock(), /closed/);
    const refused = await new Promise<string>((resolve) => {
      const s = netConnect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
  });
});
