// The inference miner and validator in-process against a dev node: an honest, a garbage and a
// copier miner, and the subnet owner's hotkey as the validator. The validator's weights on chain
// favour the honest miner; the copier's relay is refused by the honest miner's blacklist.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RuntimeCall } from '@taoscript/chain-types';
import { type Keypair, keypairFromUri } from '@taoscript/crypto';
import {
  connect,
  type ExtrinsicResult,
  Metagraph,
  prepareRequest,
  type SubtensorClient,
  uuid1,
} from '@taoscript/sdk';
import { createLineLogger, type WeightsEvent } from '@taoscript/subnet';
import { devKeypair, type SpawnedNode, spawnDevNode, waitFor } from '@taoscript/testkit';
import {
  Analyze,
  InferenceMiner,
  InferenceValidator,
  MAX_REQUEST_BYTES,
  parseInferenceConfig,
} from '../src/index.js';

const TAO = 1_000_000_000n;
const NETUID = 1;
const alice = devKeypair('Alice');
/** uid 0 of subnet 1 on a `--dev-subnets 1` chain: the owner's hotkey, always permitted. */
const owner = keypairFromUri('//Alice//subnet1');
const MINERS = {
  honest: keypairFromUri('//InferenceHonestE2E'),
  garbage: keypairFromUri('//InferenceGarbageE2E'),
  copier: keypairFromUri('//InferenceCopierE2E'),
};
/** Published by the miners; the validator dials its own external IP on loopback. */
const EXTERNAL_IP = '10.11.12.13';

function assertOk(what: string, r: ExtrinsicResult): void {
  assert.equal(r.ok, true, `${what} failed: ${r.ok ? '' : r.error.qualifiedName}`);
}

async function sudo(client: SubtensorClient, name: string, value: Record<string, unknown>) {
  const call = { type: 'AdminUtils', value: { type: name, value } } as unknown as RuntimeCall;
  const r = await client.submit({
    signer: alice,
    call: { type: 'Sudo', value: { type: 'sudo', value: { call } } },
  });
  assertOk(name, r);
  const sudid = r.events.find((e) => e.pallet === 'Sudo' && e.name === 'Sudid')?.event;
  assert.ok(sudid?.type === 'Sudo' && sudid.value.type === 'Sudid');
  assert.equal(sudid.value.value.sudo_result.type, 'Ok', `${name} was refused`);
}

describe('inference neurons on a dev chain', { timeout: 180_000 }, () => {
  let node: SpawnedNode;
  let client: SubtensorClient;
  let dir: string;
  const neurons: (InferenceMiner | InferenceValidator)[] = [];
  // INFERENCE_E2E_LOG=debug prints the neurons' logs.
  const level = process.env.INFERENCE_E2E_LOG as 'debug' | 'info' | undefined;
  const log = (name: string) =>
    level === undefined ? {} : { logger: createLineLogger({ level, name }) };

  const args = (extra: string[]) => [
    '--netuid',
    String(NETUID),
    '--subtensor.chain_endpoint',
    node.wsUrl,
    '--logging.logging_dir',
    join(dir, 'neurons'),
    '--axon.ip',
    '127.0.0.1',
    '--axon.port',
    '0',
    '--axon.external_ip',
    EXTERNAL_IP,
    '--neuron.step_interval_ms',
    '200',
    '--neuron.block_cache_ms',
    '0',
    '--neuron.epoch_length',
    '2',
    ...extra,
  ];

  const miner = (name: string, hotkey: Keypair, extra: string[]) => {
    const m = new InferenceMiner(
      parseInferenceConfig('miner', args(['--wallet.name', name, ...extra]), {}),
      { hotkey, ...log(name) },
    );
    neurons.push(m);
    return m;
  };

  before(async () => {
    node = await spawnDevNode({ sealing: 250 });
    dir = await mkdtemp(join(tmpdir(), 'inference-e2e-'));
    client = await connect({ network: node.wsUrl, env: {}, commits: join(dir, 'commits') });
    // Epochs every 11 blocks so the owner's validator permit is on chain within seconds.
    await sudo(client, 'sudo_set_tempo', { netuid: NETUID, tempo: 10 });
    await sudo(client, 'sudo_set_weights_set_rate_limit', {
      netuid: NETUID,
      weights_set_rate_limit: 0n,
    });
    for (const key of [owner, ...Object.values(MINERS)])
      assertOk(
        'transfer',
        await client.transfer({ signer: alice, dest: key.address(), amount: 10n * TAO }),
      );
    for (const key of Object.values(MINERS))
      assertOk(
        'burned_register',
        await client.burnedRegister({ signer: alice, netuid: NETUID, hotkey: key.address() }),
      );
  });

  after(async () => {
    await Promise.all(neurons.map((n) => n.stop()));
    await client?.close();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('scores honest above garbage and copier, and its weights on chain say so', async () => {
    const honest = miner('honest', MINERS.honest, ['--behaviour', 'honest']);
    const garbage = miner('garbage', MINERS.garbage, ['--behaviour', 'garbage']);
    await Promise.all([honest.start(), garbage.start()]);
    const copier = miner('copier', MINERS.copier, [
      '--behaviour',
      'copier',
      '--copier.source',
      String(honest.uid),
    ]);
    await copier.start();
    assert.deepEqual(
      [honest.uid, garbage.uid, copier.uid],
      [1, 2, 3],
      'registered in order after the owner',
    );
    assert.equal(honest.config.blacklist.forceValidatorPermit, true, 'validators only (default)');
    assert.equal(honest.axon?.info().ip, EXTERNAL_IP);

    const validator = new InferenceValidator(
      parseInferenceConfig(
        'validator',
        args(['--wallet.name', 'owner', '--neuron.sample_size', '8', '--neuron.timeout', '5']),
        {},
      ),
      { hotkey: owner, seed: 'inference-e2e', ...log('validator') },
    );
    neurons.push(validator);
    const weights: WeightsEvent[] = [];
    validator.on('weights', (e) => weights.push(e));
    const errors: unknown[] = [];
    validator.on('error', (e) => errors.push(e.error));
    await validator.start();
    assert.equal(validator.uid, 0);
    assert.equal(validator.config.neuron.axonOff, true, 'a validator serves no axon (default)');

    // Weights that rank the honest miner first, set after the miners served the validator.
    const honestUid = honest.uid;
    const favoured = await waitFor(
      () =>
        weights.find((e) => {
          if (!e.ok || e.kind !== 'set') return false;
          // Strictly first: while every score is 0 the template sets uniform weights.
          const mine = e.values[e.uids.indexOf(honestUid)] ?? 0;
          return mine > 0 && e.values.every((v, i) => v < mine || e.uids[i] === honestUid);
        }),
      'weights favouring the honest miner',
      120_000,
      100,
    );
    assert.ok(favoured.ok);

    // On chain: uid 0's row gives the honest miner the largest weight, garbage and copier none.
    const mg = await new Metagraph(client, NETUID, { lite: false }).sync();
    const row = new Map(mg.weightRows[0] ?? []);
    const w = (uid: number) => row.get(uid) ?? 0;
    assert.ok(w(honest.uid) > 0, `honest weight ${w(honest.uid)}`);
    assert.equal(w(honest.uid), 65_535, `row ${JSON.stringify(mg.weightRows[0])}`);
    assert.equal(w(garbage.uid), 0);
    assert.equal(w(copier.uid), 0);
    assert.ok(mg.validatorPermit[0], 'the owner holds a validator permit');

    // What the validator saw in its last step.
    const report = validator.lastReport;
    assert.ok(report);
    const byUid = new Map(report.scores.map((s) => [s.uid, s]));
    assert.ok((byUid.get(honest.uid)?.reward ?? 0) > 0.8, JSON.stringify(byUid.get(honest.uid)));
    assert.deepEqual(byUid.get(honest.uid)?.flags, []);
    assert.equal(byUid.get(garbage.uid)?.reward, 0);
    assert.equal(byUid.get(copier.uid)?.reward, 0);
    assert.ok((validator.scores[honest.uid] ?? 0) > (validator.scores[garbage.uid] ?? 0));
    assert.ok((validator.scores[honest.uid] ?? 0) > (validator.scores[copier.uid] ?? 0));
    assert.equal(validator.scores[0], 0, 'the validator does not score itself');

    // The honest miner served the validator (200) and refused the copier's relays (403).
    assert.ok((honest.responses[200] ?? 0) > 0, JSON.stringify(honest.responses));
    assert.ok((honest.responses[403] ?? 0) > 0, JSON.stringify(honest.responses));
    assert.ok((garbage.responses[200] ?? 0) > 0, JSON.stringify(garbage.responses));
    assert.deepEqual(
      weights.filter((e) => !e.ok),
      [],
    );
    assert.deepEqual(errors, []);
  });

  it('a miner refuses a request body over MAX_REQUEST_BYTES before reading it', async () => {
    const honest = neurons.find((n) => n instanceof InferenceMiner && n.behaviour === 'honest');
    assert.ok(honest instanceof InferenceMiner && honest.axon);
    const target = { ip: '127.0.0.1', port: honest.axon.port, hotkey: honest.hotkeyAddress };
    const prepared = await prepareRequest(Analyze.create({ texts: ['ok'], tasks: ['pos'] }), {
      keypair: owner,
      hotkey: owner.address(),
      uuid: uuid1(),
      target,
    });
    const before = honest.responses[413] ?? 0;
    // Over the protocol's limit, far under the axon's 10 MiB default.
    const res = await fetch(`http://127.0.0.1:${target.port}${prepared.path}`, {
      method: 'POST',
      headers: prepared.headers,
      body: 'x'.repeat(MAX_REQUEST_BYTES + 1),
    });
    assert.equal(res.status, 413);
    await res.body?.cancel();
    assert.equal(honest.responses[413], before + 1);
  });

  it('stops cleanly: the axons close and the state is saved', async () => {
    const validator = neurons.find((n) => n instanceof InferenceValidator);
    assert.ok(validator);
    await Promise.all(neurons.map((n) => n.stop()));
    for (const n of neurons) {
      await n.wait();
      assert.equal(n.running, false);
    }
    await assert.rejects(validator.client.getCurrentBlock(), /closed/);
    const state = JSON.parse(await readFile(validator.statePath, 'utf8')) as { scores: number[] };
    assert.equal(state.scores.length, validator.scores.length);
    assert.ok((state.scores[1] ?? 0) > 0, 'the honest miner (uid 1) has a saved score');
  });
});
