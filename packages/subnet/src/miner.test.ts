import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import { Axon, type Metagraph, prepareRequest, uuid1 } from '@taoscript/sdk';
import { TemplateMiner } from './template/miner.js';
import { Dummy } from './template/protocol.js';
import { FakeSubnet, fakeKey, testConfig } from './test-fixtures.js';

const TAO = 1_000_000_000n;
const minerKey = keypairFromUri('//TemplateMinerUnit');
const validatorKey = keypairFromUri('//TemplateValidatorUnit');
const stranger = keypairFromUri('//Stranger');

/** uid 0: a permitted validator with 10 TAO, uid 1: this miner, uid 2: a non-permitted 5 TAO neuron. */
async function subnet() {
  const fake = new FakeSubnet([
    { hotkey: validatorKey.publicKey, permit: true, stake: 10n * TAO },
    { hotkey: minerKey.publicKey, serving: true },
    { hotkey: fakeKey(7), permit: false, stake: 5n * TAO },
  ]);
  return { fake, metagraph: await fake.metagraph() };
}

const synapseFrom = (hotkey: string | null) =>
  Dummy.create({ dummy_input: 1 }, { dendrite: { hotkey } });

/** Records which metagraph members are read (functions stay bound to the real object). */
function spy(mg: Metagraph): { proxy: Metagraph; reads: string[] } {
  const reads: string[] = [];
  const proxy = new Proxy(mg, {
    get(target, prop) {
      reads.push(String(prop));
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { proxy, reads };
}

describe('BaseMiner blacklist and priority', () => {
  it('refuses an unknown hotkey on the membership check, before anything indexes by uid', async () => {
    const { metagraph } = await subnet();
    const { proxy, reads } = spy(metagraph);
    const miner = new TemplateMiner(testConfig('miner'), { metagraph: proxy, hotkey: minerKey });
    reads.length = 0;
    assert.deepEqual(await miner.blacklist(synapseFrom(stranger.address())), [
      true,
      'Unrecognized hotkey',
    ]);
    assert.deepEqual(reads, ['lookup'], 'only the membership lookup ran');
    assert.deepEqual(await miner.blacklist(synapseFrom(null)), [
      true,
      'Missing dendrite or hotkey',
    ]);
    assert.deepEqual(await miner.blacklist(synapseFrom('')), [true, 'Missing dendrite or hotkey']);
  });

  it('serves registered callers; --blacklist.force_validator_permit refuses non-validators', async () => {
    const { metagraph } = await subnet();
    const open = new TemplateMiner(testConfig('miner'), { metagraph, hotkey: minerKey });
    assert.equal((await open.blacklist(synapseFrom(validatorKey.address())))[0], false);
    assert.equal((await open.blacklist(synapseFrom(metagraph.hotkeys[2] as string)))[0], false);
    const strict = new TemplateMiner(testConfig('miner', ['--blacklist.force_validator_permit']), {
      metagraph,
      hotkey: minerKey,
    });
    assert.equal((await strict.blacklist(synapseFrom(validatorKey.address())))[0], false);
    assert.deepEqual(await strict.blacklist(synapseFrom(metagraph.hotkeys[2] as string)), [
      true,
      'Non-validator hotkey',
    ]);
    assert.deepEqual(await strict.blacklist(synapseFrom(stranger.address())), [
      true,
      'Unrecognized hotkey',
    ]);
  });

  it('applies --blacklist.allow_non_registered and --blacklist.min_stake', async () => {
    const { metagraph } = await subnet();
    const lax = new TemplateMiner(testConfig('miner', ['--blacklist.allow_non_registered']), {
      metagraph,
      hotkey: minerKey,
    });
    assert.equal((await lax.blacklist(synapseFrom(stranger.address())))[0], false);
    const rich = new TemplateMiner(testConfig('miner', ['--blacklist.min_stake', '6']), {
      metagraph,
      hotkey: minerKey,
    });
    assert.equal((await rich.blacklist(synapseFrom(validatorKey.address())))[0], false);
    assert.deepEqual(await rich.blacklist(synapseFrom(metagraph.hotkeys[2] as string)), [
      true,
      'Stake below minimum',
    ]);
  });

  it('prioritises by stake in TAO', async () => {
    const { metagraph } = await subnet();
    const miner = new TemplateMiner(testConfig('miner'), { metagraph, hotkey: minerKey });
    assert.equal(await miner.priority(synapseFrom(validatorKey.address())), 10);
    assert.equal(await miner.priority(synapseFrom(metagraph.hotkeys[2] as string)), 5);
    assert.equal(await miner.priority(synapseFrom(stranger.address())), 0);
  });

  it('answers an unknown hotkey 403 (not 500) and a registered one 200, through an axon', async () => {
    const { metagraph } = await subnet();
    const miner = new TemplateMiner(testConfig('miner'), { metagraph, hotkey: minerKey });
    const axon = new Axon({ keypair: minerKey, neurons: metagraph, allowUnregistered: true });
    axon.attach(Dummy, (s) => miner.forward(s), {
      blacklist: (s, ctx) => miner.blacklist(s, ctx),
      priority: (s, ctx) => miner.priority(s, ctx),
    });
    const send = async (from: typeof stranger, input: number) => {
      const req = await prepareRequest(Dummy.create({ dummy_input: input }), {
        keypair: from,
        hotkey: from.address(),
        uuid: uuid1(),
        target: { ip: '127.0.0.1', port: 8091, hotkey: minerKey.address() },
      });
      const res = await axon.fetch(
        new Request(`http://axon${req.path}`, {
          method: 'POST',
          headers: req.headers,
          body: req.body,
        }),
      );
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const refused = await send(stranger, 4);
    assert.equal(refused.status, 403);
    assert.match(String(refused.json.message), /Unrecognized hotkey/);
    const ok = await send(validatorKey, 21);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.dummy_output, 42);
  });

  it('checks its config and routes', async () => {
    assert.throws(() => new TemplateMiner(testConfig('validator')), /role 'miner'/);
    const { metagraph } = await subnet();
    const miner = new TemplateMiner(testConfig('miner'), { metagraph, hotkey: minerKey });
    assert.throws(() => miner.client, /not available before start/);
    assert.equal(miner.forward(Dummy.create({ dummy_input: -3 })).dummy_output, -6);
  });
});
