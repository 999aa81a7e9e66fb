// The template's option hooks on started neurons over a scripted chain: a miner's axonOptions()
// (a body limit answers 413, responses are reported) and a validator's dendriteOptions() (a
// response limit fails the call), and both refuse options the flags own.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ss58Encode } from '@taoscript/codec';
import { type Keypair, keypairFromUri } from '@taoscript/crypto';
import {
  Axon,
  type AxonResponseEvent,
  prepareRequest,
  type SubtensorClient,
  uuid1,
} from '@taoscript/sdk';
import { parseNeuronConfig } from '../src/config.js';
import { isNeuronError } from '../src/errors.js';
import type { NeuronAxonOptions } from '../src/neuron.js';
import { TemplateMiner } from '../src/template/miner.js';
import { Dummy } from '../src/template/protocol.js';
import { FakeSubnet } from '../src/test-fixtures.js';
import { BaseValidator, type ValidatorDendriteOptions } from '../src/validator.js';

const TAO = 1_000_000_000n;
const minerKey = keypairFromUri('//HookMiner');
const validatorKey = keypairFromUri('//HookValidator');

let dir: string;
/** Every neuron a test built, stopped at the end even when an assertion failed. */
const built: { stop(): Promise<void> }[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'subnet-hooks-'));
});
after(async () => {
  await Promise.all(built.map((n) => n.stop()));
  await rm(dir, { recursive: true, force: true });
});

/** uid 0: a permitted validator, uid 1: the miner; a client that answers what start() asks. */
async function chain() {
  const fake = new FakeSubnet([
    { hotkey: validatorKey.publicKey, permit: true, stake: 10n * TAO },
    { hotkey: minerKey.publicKey, serving: true },
  ]);
  const client = {
    ss58Prefix: 42,
    genesisHash: `0x${'11'.repeat(32)}`,
    address: (pk: Uint8Array) => ss58Encode(pk, 42),
    getCurrentBlock: async () => fake.number,
    getUidForHotkey: async (_netuid: number, pk: Uint8Array) => {
      const uid = fake.neurons.findIndex((n) => n.hotkey.every((b, i) => b === pk[i]));
      return uid < 0 ? undefined : uid;
    },
    serveAxon: async () => ({ skipped: true }),
    commitStore: async () => ({ list: async () => [] }),
    close: async () => {},
  } as unknown as SubtensorClient;
  return { client, metagraph: await fake.metagraph() };
}

const config = (role: 'miner' | 'validator', name: string, argv: string[] = []) =>
  parseNeuronConfig(
    [
      '--logging.logging_dir',
      dir,
      '--neuron.name',
      name,
      '--neuron.step_interval_ms',
      '60000',
      ...(role === 'miner' ? ['--axon.ip', '127.0.0.1', '--axon.port', '0'] : []),
      ...argv,
    ],
    {},
    { role },
  );

/** A template miner whose axon options a test chooses (verification on the event loop). */
class HookedMiner extends TemplateMiner {
  own: Record<string, unknown> = {};
  readonly events: AxonResponseEvent[] = [];
  constructor(...args: ConstructorParameters<typeof TemplateMiner>) {
    super(...args);
    built.push(this);
  }
  protected override axonOptions(): NeuronAxonOptions {
    return { verifyThreads: 0, onResponse: (e) => this.events.push(e), ...this.own };
  }
}

async function startMiner(name: string, own: Record<string, unknown>): Promise<HookedMiner> {
  const { client, metagraph } = await chain();
  const miner = new HookedMiner(config('miner', name), { client, metagraph, hotkey: minerKey });
  miner.own = own;
  await miner.start();
  return miner;
}

/** Sends a signed Dummy request from the validator, its JSON body followed by `pad` spaces. */
async function send(miner: HookedMiner, input: number, pad: number) {
  const port = miner.axon?.port as number;
  const req = await prepareRequest(Dummy.create({ dummy_input: input }), {
    keypair: validatorKey,
    hotkey: validatorKey.address(),
    uuid: uuid1(),
    target: { ip: '127.0.0.1', port, hotkey: minerKey.address() },
  });
  const res = await fetch(`http://127.0.0.1:${port}${req.path}`, {
    method: 'POST',
    headers: req.headers,
    body: req.body + ' '.repeat(pad),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A validator whose forward does nothing and whose dendrite options a test chooses. */
class HookedValidator extends BaseValidator {
  own: Record<string, unknown> = {};
  constructor(...args: ConstructorParameters<typeof BaseValidator>) {
    super(...args);
    built.push(this);
  }
  async forward(): Promise<void> {}
  protected override dendriteOptions(): ValidatorDendriteOptions {
    return this.own;
  }
}

async function makeValidator(name: string, own: Record<string, unknown>) {
  const { client, metagraph } = await chain();
  const v = new HookedValidator(
    config('validator', name, ['--neuron.axon_off', '--neuron.disable_set_weights']),
    { client, metagraph, hotkey: validatorKey },
  );
  v.own = own;
  return v;
}

describe('BaseNeuron.axonOptions', () => {
  it("caps the miner's request bodies: over the limit → 413, under it → served", async () => {
    const limited = await startMiner('limited', { maxBodyBytes: 2048 });
    const open = await startMiner('open', {});
    try {
      const ok = await send(limited, 21, 0);
      assert.equal(ok.status, 200);
      assert.equal(ok.json.dummy_output, 42);
      // The same valid request, padded past the limit (JSON allows trailing spaces).
      const big = await send(limited, 21, 4096);
      assert.equal(big.status, 413);
      assert.match(String(big.json.message), /2048-byte limit/);
      // Without the limit the padded request is served: the 413 came from the hook.
      const control = await send(open, 21, 4096);
      assert.equal(control.status, 200);
      assert.equal(control.json.dummy_output, 42);
      // onResponse from the hook saw each answer.
      assert.deepEqual(
        limited.events.map((e) => e.status),
        [200, 413],
      );
      assert.deepEqual(
        open.events.map((e) => e.status),
        [200],
      );
    } finally {
      await Promise.all([limited.stop(), open.stop()]);
    }
    assert.equal(limited.running, false);
  });

  it('refuses options the flags own, and bad values, when the miner starts', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ port: 9999 }, /cannot set port: it comes from --axon\.port/],
      [{ maxConcurrent: 2 }, /--axon\.max_workers/],
      [{ allowUnregistered: false }, /--blacklist\.allow_non_registered/],
      [{ keypair: validatorKey as Keypair }, /cannot set keypair/],
    ];
    for (const [own, re] of cases) {
      const { client, metagraph } = await chain();
      const miner = new HookedMiner(config('miner', 'refused'), {
        client,
        metagraph,
        hotkey: minerKey,
      });
      miner.own = own;
      await assert.rejects(
        miner.start(),
        (e: unknown) => e instanceof TypeError && re.test(e.message),
      );
      assert.equal(miner.running, false);
      assert.equal(miner.axon, undefined);
    }
    await assert.rejects(startMiner('bad-limit', { maxBodyBytes: 0 }), (e: unknown) => {
      assert.ok(isNeuronError(e, 'CONFIG_INVALID'), String(e));
      assert.match(e.shortMessage, /cannot create the axon: .*maxBodyBytes/);
      return true;
    });
  });
});

describe('BaseValidator.dendriteOptions', () => {
  it('the dendrite the validator creates gets the options', async () => {
    const axonKey = keypairFromUri('//HookAxon');
    const axon = new Axon({
      keypair: axonKey,
      host: '127.0.0.1',
      port: 0,
      allowUnregistered: true,
      verifyThreads: 0,
    });
    axon.attach(Dummy, (s) => ({ dummy_output: s.dummy_input * 2 }));
    await axon.start();
    const capped = await makeValidator('capped', { maxResponseBytes: 16 });
    const plain = await makeValidator('plain', {});
    try {
      await Promise.all([capped.start(), plain.start()]);
      const target = { ip: '127.0.0.1', port: axon.port, hotkey: axonKey.address() };
      const refused = await capped.dendrite.call(target, Dummy.create({ dummy_input: 3 }), {
        timeout: 5,
      });
      assert.equal(refused.dendrite.status_code, 400);
      assert.match(String(refused.dendrite.status_message), /exceeds 16 bytes/);
      assert.equal(refused.dummy_output, null);
      const answered = await plain.dendrite.call(target, Dummy.create({ dummy_input: 3 }), {
        timeout: 5,
      });
      assert.equal(answered.dendrite.status_code, 200);
      assert.equal(answered.dummy_output, 6);
    } finally {
      await Promise.all([capped.stop(), plain.stop(), axon.stop()]);
    }
  });

  it('refuses the hotkey and the external IP, and bad values, when the validator starts', async () => {
    for (const [own, re] of [
      [{ keypair: validatorKey }, /cannot set keypair/],
      [{ externalIp: '203.0.113.1' }, /cannot set externalIp: it comes from --axon\.external_ip/],
    ] as const) {
      const v = await makeValidator('refused', own);
      await assert.rejects(v.start(), (e: unknown) => e instanceof TypeError && re.test(e.message));
      assert.equal(v.running, false);
      assert.throws(() => v.dendrite, /not available before start/);
    }
    const bad = await makeValidator('bad-limit', { maxResponseBytes: -1 });
    await assert.rejects(bad.start(), (e: unknown) => {
      assert.ok(isNeuronError(e, 'CONFIG_INVALID'), String(e));
      assert.match(e.shortMessage, /cannot create the dendrite: .*maxResponseBytes/);
      return true;
    });
  });
});
