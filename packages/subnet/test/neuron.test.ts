// BaseNeuron's loop and lifecycle over a scripted chain: steps, stop, deregistration as a fatal
// error, non-fatal step errors, and runNeuron's exit codes and signal handling.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ss58Encode } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import type { SubtensorClient } from '@taoscript/sdk';
import { parseNeuronConfig } from '../src/config.js';
import { NeuronError } from '../src/errors.js';
import { BaseNeuron, type NeuronOptions } from '../src/neuron.js';
import { neuronMain, runNeuron } from '../src/run.js';
import { FakeSubnet, fakeKey } from '../src/test-fixtures.js';

const me = keypairFromUri('//LoopNeuron');
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'subnet-neuron-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A miner-role neuron whose step is `sync()` plus an optional scripted failure. */
class Probe extends BaseNeuron {
  failNext: Error | undefined;
  protected async runStep(): Promise<void> {
    const err = this.failNext;
    this.failNext = undefined;
    if (err) throw err;
    await this.sync();
  }
}

async function probe(extra: NeuronOptions = {}) {
  const fake = new FakeSubnet([{ hotkey: fakeKey(1) }, { hotkey: me.publicKey }]);
  const state = { registered: true, closed: false, blockReads: 0 };
  const client = {
    ss58Prefix: 42,
    address: (pk: Uint8Array) => ss58Encode(pk, 42),
    getCurrentBlock: async () => {
      state.blockReads++;
      fake.advance();
      return fake.number;
    },
    getUidForHotkey: async () => (state.registered ? 1 : undefined),
    close: async () => {
      state.closed = true;
    },
  } as unknown as SubtensorClient;
  const config = parseNeuronConfig(
    [
      '--logging.logging_dir',
      dir,
      '--neuron.step_interval_ms',
      '5',
      '--neuron.block_cache_ms',
      '0',
      '--neuron.epoch_length',
      '3',
    ],
    {},
    { role: 'miner' },
  );
  const neuron = new Probe(config, {
    client,
    metagraph: await fake.metagraph(),
    hotkey: me,
    ...extra,
  });
  return { neuron, fake, state };
}

/** Resolves after `n` more steps. */
const steps = (neuron: BaseNeuron, n: number) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    const off = neuron.on('step', () => {
      if (++seen >= n) {
        off();
        resolve();
      }
    });
  });

describe('BaseNeuron loop', () => {
  it('steps, resyncs when the metagraph is epoch_length blocks old, and stops cleanly', async () => {
    const { neuron, fake, state } = await probe();
    const resyncs: number[] = [];
    neuron.on('resync', (r) => resyncs.push(r.block));
    await neuron.start();
    assert.equal(neuron.uid, 1);
    assert.equal(neuron.running, true);
    await steps(neuron, 7);
    await neuron.stop();
    await neuron.wait();
    const after = neuron.step;
    assert.ok(after >= 7);
    assert.equal(neuron.running, false);
    // The metagraph was resynced about every 3 blocks (one block per step here).
    assert.ok(resyncs.length >= 2, `resyncs at ${resyncs}`);
    for (let i = 1; i < resyncs.length; i++)
      assert.ok((resyncs[i] as number) - (resyncs[i - 1] as number) >= 3);
    // One sync by the fixture, one by start(), then one per resync: incremental, no full reloads.
    assert.equal(fake.calls.filter((c) => c === 'get_metagraph').length, 2 + resyncs.length);
    // A client given in the options is the caller's: left open.
    assert.equal(state.closed, false);
    await neuron.stop();
    assert.equal(neuron.step, after, 'no step after stop');
  });

  it('a failed step is reported and the loop goes on', async () => {
    const { neuron } = await probe();
    const errors: { fatal: boolean; error: unknown }[] = [];
    neuron.on('error', (e) => errors.push(e));
    neuron.failNext = new Error('transient');
    await neuron.start();
    await steps(neuron, 2);
    await neuron.stop();
    await neuron.wait();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.fatal, false);
  });

  it('deregistration stops the neuron with DEREGISTERED', async () => {
    const { neuron, state } = await probe();
    const fatal: boolean[] = [];
    neuron.on('error', (e) => fatal.push(e.fatal));
    await neuron.start();
    await steps(neuron, 2);
    state.registered = false;
    await assert.rejects(neuron.wait(), (e: unknown) => {
      assert.ok(e instanceof NeuronError);
      assert.equal(e.code, 'DEREGISTERED');
      assert.match(e.shortMessage, /is no longer registered on netuid 1/);
      return true;
    });
    assert.equal(neuron.running, false);
    assert.deepEqual(fatal, [true]);
  });

  it('an unregistered hotkey cannot start', async () => {
    const { neuron } = await probe({ hotkey: keypairFromUri('//SomeoneElse') });
    await assert.rejects(
      neuron.start(),
      (e: unknown) => e instanceof NeuronError && e.code === 'NOT_REGISTERED',
    );
    await neuron.wait();
  });
});

describe('runNeuron', () => {
  it('exits 0 after a stop signal and removes its signal handlers', async () => {
    const { neuron } = await probe();
    const before = process.listenerCount('SIGUSR2');
    const running = steps(neuron, 1);
    const code = runNeuron(neuron, { signals: ['SIGUSR2'], forceExitMs: 0 });
    await running;
    assert.equal(process.listenerCount('SIGUSR2'), before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    assert.equal(await code, 0);
    assert.equal(neuron.running, false);
    assert.equal(process.listenerCount('SIGUSR2'), before);
  });

  it('exits 1 when the neuron cannot start or stops on a fatal error', async () => {
    const lines: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (_o: object, m?: string) => void lines.push(m ?? ''),
    };
    const unregistered = (await probe({ hotkey: keypairFromUri('//SomeoneElse'), logger })).neuron;
    assert.equal(await runNeuron(unregistered, { signals: [], forceExitMs: 0 }), 1);
    assert.match(
      lines.join('\n'),
      /is not registered on netuid 1; register with `tao subnets register`/,
    );
    const { neuron, state } = await probe({ logger });
    const code = runNeuron(neuron, { signals: [], forceExitMs: 0 });
    await steps(neuron, 1);
    state.registered = false;
    assert.equal(await code, 1);
    await assert.rejects(runNeuron(null as never), TypeError);
  });
});

describe('neuronMain', () => {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };

  it("parses and prints --help with the subnet's defaults", async () => {
    const defaults = { 'neuron.timeout': 5, 'neuron.epoch_length': 20 } as const;
    let out = '';
    const help = await neuronMain({
      role: 'validator',
      argv: ['--help'],
      env: {},
      defaults,
      out: (t) => {
        out += t;
      },
      create: () => assert.fail('--help builds no neuron'),
    });
    assert.equal(help, 0);
    assert.match(out, /--neuron\.timeout <float>\s+Seconds to wait for miners \(default 5\)/);
    assert.match(out, /--neuron\.epoch_length <int>\s+[^\n]*\(default 20\)/);
    const seen: { timeout: number; epochLength: number }[] = [];
    const code = await neuronMain({
      role: 'validator',
      argv: ['--neuron.epoch_length', '3'],
      env: { BT_NEURON_TIMEOUT: '4' },
      defaults,
      logger: silent,
      create: (config) => {
        seen.push(config.neuron);
        throw new Error('built; not running it');
      },
    });
    assert.equal(code, 1);
    assert.equal(seen[0]?.timeout, 4, 'BT_* wins over the subnet default');
    assert.equal(seen[0]?.epochLength, 3, 'the flag wins');
    let err = '';
    const bad = await neuronMain({
      role: 'miner',
      argv: [],
      env: {},
      defaults: { 'neuron.epoch_length': 0 },
      err: (t) => {
        err += t;
      },
      create: () => assert.fail('bad defaults build no neuron'),
    });
    assert.equal(bad, 2);
    assert.match(err, /neuron\.epoch_length: expected a value in 1\.\.1000000/);
  });

  it('runs the cross-flag check after parsing (exit 2), but not for --help', async () => {
    const flags = { 'x.mode': { type: 'string', default: 'a', help: 'Mode' } } as const;
    const checked: string[] = [];
    const check = (config: { extra: { 'x.mode': string } }) => {
      checked.push(config.extra['x.mode']);
      if (config.extra['x.mode'] === 'b')
        throw new NeuronError('CONFIG_INVALID', '--x.mode b needs more', { meta: ['Add it.'] });
    };
    let err = '';
    const bad = await neuronMain({
      role: 'miner',
      argv: ['--x.mode', 'b'],
      env: {},
      flags,
      check,
      err: (t) => {
        err += t;
      },
      create: () => assert.fail('a failed check builds no neuron'),
    });
    assert.equal(bad, 2);
    assert.equal(err, 'error: --x.mode b needs more\n  Add it.\n');
    const help = await neuronMain({
      role: 'miner',
      argv: ['--x.mode', 'b', '--help'],
      env: {},
      flags,
      check,
      out: () => {},
      create: () => assert.fail('--help builds no neuron'),
    });
    assert.equal(help, 0);
    assert.deepEqual(checked, ['b'], 'the check runs once, and not for --help');
  });
});
