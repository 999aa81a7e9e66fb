import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import { z } from 'zod';
import { Axon } from '../../src/axon/index.js';
import { Dendrite, isBlacklisted, isSuccess } from '../../src/dendrite/index.js';
import { Metagraph } from '../../src/metagraph/index.js';
import { defineSynapse } from '../../src/synapse/index.js';
import { alice, assertOk, type Env, startEnv, TAO } from './helpers.js';

const NETUID = 1;
const Double = defineSynapse({
  name: 'Double',
  request: z.object({ value: z.int() }),
  response: z.object({ doubled: z.int() }),
  hashFields: ['value'],
});

/** A miner registered on a dev chain, found through the metagraph, queried by the subnet's owner. */
describe('axon and dendrite on a dev chain', () => {
  let env: Env;
  const miner = keypairFromUri('//SdkAxonMiner');
  const validator = keypairFromUri('//Alice//subnet1'); // registered as uid 0 at genesis
  const stranger = keypairFromUri('//SdkAxonStranger');
  let axon: Axon;
  let dendrite: Dendrite;

  before(async () => {
    env = await startEnv(1);
    // The miner's hotkey pays for its own serve_axon.
    assertOk(
      'transfer',
      await env.client.transfer({ signer: alice, dest: miner.address(), amount: 10n * TAO }),
    );
    assertOk(
      'burned_register',
      await env.client.burnedRegister({ signer: alice, netuid: NETUID, hotkey: miner.address() }),
    );
  });
  after(async () => {
    await dendrite?.close();
    await axon?.stop();
    await env?.close();
  });

  it('serves a registered caller, refuses an unregistered one, and publishes itself on chain', async () => {
    const metagraph = new Metagraph(env.client, NETUID);
    await metagraph.sync();
    const minerUid = metagraph.lookup(miner.address())?.uid;
    assert.equal(minerUid, 1, 'the miner is registered as uid 1');
    assert.equal(metagraph.lookup(validator.address())?.uid, 0, 'the owner hotkey is uid 0');
    assert.equal(metagraph.lookup(stranger.address()), undefined, 'the stranger is not registered');

    axon = new Axon({
      keypair: miner,
      host: '127.0.0.1',
      port: 0,
      externalIp: '1.2.3.4',
      neurons: metagraph,
    });
    axon.attach(Double, (s) => ({ doubled: s.value * 2 }));
    await axon.start();

    // Publish what the axon says about itself; the metagraph then reports it.
    const info = axon.info();
    const served = await env.client.serveAxon({
      signer: miner,
      netuid: NETUID,
      ip: info.ip,
      port: info.port,
      protocol: info.protocol,
      version: info.version,
    });
    assert.ok(!('skipped' in served), 'the chain had no axon for the miner yet');
    assertOk('serve_axon', served);
    await metagraph.sync();
    const published = metagraph.axons[minerUid];
    assert.equal(published?.ip, '1.2.3.4');
    assert.equal(published?.port, axon.port);

    dendrite = new Dendrite({ keypair: validator });
    const target = { ip: '127.0.0.1', port: axon.port, hotkey: miner.address() };
    const ok = await dendrite.query(target, Double.create({ value: 21 }), { timeout: 10 });
    assert.ok(isSuccess(ok), `status ${ok.dendrite.status_code} ${ok.dendrite.status_message}`);
    assert.equal(ok.doubled, 42);

    const outsider = new Dendrite({ keypair: stranger });
    try {
      const refused = await outsider.query(target, Double.create({ value: 1 }), { timeout: 10 });
      assert.ok(isBlacklisted(refused), `status ${refused.dendrite.status_code}`);
      assert.equal(refused.axon.status_code, 403);
      assert.equal(refused.doubled, null);
    } finally {
      await outsider.close();
    }
  });
});
