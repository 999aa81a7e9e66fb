import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import {
  isNeuronError,
  type NeuronAxonOptions,
  parseNeuronConfig,
  type ValidatorDendriteOptions,
} from '@taoscript/subnet';
import { MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from '../protocol.js';
import {
  DEFAULT_SLOW_DELAY_MS,
  INFERENCE_FLAGS,
  parseCopierSource,
  parseInferenceConfig,
} from './config.js';
import { inferenceMain } from './main.js';
import { InferenceMiner } from './miner.js';
import { InferenceValidator } from './validator.js';

const hotkey = keypairFromUri('//InferenceConfigUnit').address();

/** Asserts `fn` throws a CONFIG_INVALID NeuronError whose message matches `re`. */
function configError(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isNeuronError(e), String(e));
    assert.equal(e.code, 'CONFIG_INVALID');
    assert.match(e.shortMessage, re);
    return true;
  });
}

describe('inference neuron flags', () => {
  it('miner defaults: honest, validators only, fast loops', () => {
    const c = parseInferenceConfig('miner', [], {});
    assert.equal(c.extra.behaviour, 'honest');
    assert.equal(c.extra['slow.delay_ms'], DEFAULT_SLOW_DELAY_MS);
    assert.equal(c.extra['copier.source'], undefined);
    assert.equal(c.blacklist.forceValidatorPermit, true);
    assert.equal(c.neuron.stepIntervalMs, 2000);
    assert.equal(c.neuron.blockCacheMs, 1000);
    assert.equal(c.neuron.epochLength, 20);
    // The template's own defaults are unchanged.
    const plain = parseNeuronConfig([], {}, { role: 'miner' });
    assert.equal(plain.blacklist.forceValidatorPermit, false);
  });

  it('validator defaults: 5 s timeout, no axon, every permitted uid sampled', () => {
    const c = parseInferenceConfig('validator', [], {});
    assert.equal(c.neuron.timeout, 5);
    assert.equal(c.neuron.axonOff, true);
    assert.equal(c.neuron.vpermitTaoLimit, 21_000_000);
    assert.equal(c.neuron.stepIntervalMs, 2000);
    assert.equal(c.extra['inference.texts_per_miner'], 8);
    assert.equal(c.extra['inference.verify_sample'], 3);
  });

  it('flags and the environment win over the subnet defaults', () => {
    const c = parseInferenceConfig(
      'miner',
      ['--blacklist.force_validator_permit=false', '--behaviour', 'slow', '--slow-delay-ms', '250'],
      { BT_NEURON_EPOCH_LENGTH: '7' },
    );
    assert.equal(c.blacklist.forceValidatorPermit, false);
    assert.equal(c.extra.behaviour, 'slow');
    assert.equal(c.extra['slow.delay_ms'], 250);
    assert.equal(c.neuron.epochLength, 7);
    const v = parseInferenceConfig('validator', ['--neuron.timeout', '2.5'], {
      BT_NEURON_AXON_OFF: 'false',
      BT_INFERENCE_TEXTS_PER_MINER: '4',
    });
    assert.equal(v.neuron.timeout, 2.5);
    assert.equal(v.neuron.axonOff, false);
    assert.equal(v.extra['inference.texts_per_miner'], 4);
    // The subnet's defaults do not live in the environment (BT_* is only what the user set).
    const env = { BT_NEURON_TIMEOUT: '9' };
    assert.equal(parseInferenceConfig('validator', [], env).neuron.timeout, 9);
    assert.deepEqual(env, { BT_NEURON_TIMEOUT: '9' });
  });

  it('a copier takes a uid or an SS58 hotkey as its source', () => {
    const byUid = parseInferenceConfig(
      'miner',
      ['--behaviour', 'copier', '--copier.source', '3'],
      {},
    );
    assert.equal(byUid.extra['copier.source'], '3');
    assert.deepEqual(parseCopierSource('3'), { uid: 3 });
    assert.deepEqual(parseCopierSource('65535'), { uid: 65_535 });
    assert.deepEqual(parseCopierSource(hotkey), { hotkey });
    parseInferenceConfig('miner', ['--behaviour', 'copier', '--copier.source', hotkey], {});
  });

  it('rejects bad values with CONFIG_INVALID', () => {
    configError(
      () => parseInferenceConfig('miner', ['--behaviour', 'bogus'], {}),
      /--behaviour: expected one of honest, slow, lazy, garbage, copier/,
    );
    configError(
      () => parseInferenceConfig('miner', ['--behaviour', 'copier'], {}),
      /--behaviour copier needs --copier.source/,
    );
    for (const bad of ['65536', '-1', '5Grw', 'x'.repeat(48)])
      configError(
        () => parseInferenceConfig('miner', ['--behaviour', 'copier', '--copier.source', bad], {}),
        /--copier.source: expected a uid \(0..65535\) or an SS58 hotkey/,
      );
    configError(
      () => parseInferenceConfig('miner', ['--slow.delay_ms', '60001'], {}),
      /expected a value in 0..60000/,
    );
    configError(
      () => parseInferenceConfig('validator', ['--inference.texts_per_miner', '33'], {}),
      /expected a value in 1..32/,
    );
    configError(
      () => parseInferenceConfig('validator', ['--behaviour', 'honest'], {}),
      /--behaviour is a miner flag; this neuron is a validator/,
    );
    configError(
      () => parseInferenceConfig('miner', ['--inference.verify_sample', '2'], {}),
      /validator flag; this neuron is a miner/,
    );
    configError(
      () => parseInferenceConfig('miner', [], { BT_BEHAVIOUR: 'sneaky' }),
      /BT_BEHAVIOUR: expected one of/,
    );
    assert.throws(() => parseInferenceConfig('owner' as 'miner', [], {}), TypeError);
    assert.throws(() => parseInferenceConfig('miner', [], null as never), TypeError);
    assert.throws(() => parseCopierSource(3 as unknown as string), TypeError);
  });

  it('declares its flags for the right roles', () => {
    assert.deepEqual(
      Object.entries(INFERENCE_FLAGS).map(([k, s]) => [k, s.roles[0]]),
      [
        ['behaviour', 'miner'],
        ['slow.delay_ms', 'miner'],
        ['copier.source', 'miner'],
        ['inference.texts_per_miner', 'validator'],
        ['inference.verify_sample', 'validator'],
      ],
    );
  });
});

describe('inference neuron classes', () => {
  it('cap request bodies (miner) and response bodies (validator) through the template hooks', () => {
    class Miner extends InferenceMiner {
      exposedAxonOptions(): NeuronAxonOptions {
        return this.axonOptions();
      }
    }
    class Validator extends InferenceValidator {
      exposedDendriteOptions(): ValidatorDendriteOptions {
        return this.dendriteOptions();
      }
    }
    const miner = new Miner(parseInferenceConfig('miner', [], {}));
    const axon = miner.exposedAxonOptions();
    assert.equal(axon.maxBodyBytes, MAX_REQUEST_BYTES);
    // onResponse counts the answers by status.
    axon.onResponse?.({
      synapse: 'Analyze',
      status: 413,
      message: null,
      hotkey: null,
      elapsed: 0,
      handlerRan: false,
    });
    assert.deepEqual(miner.responses, { 413: 1 });
    const validator = new Validator(parseInferenceConfig('validator', [], {}));
    assert.deepEqual(validator.exposedDendriteOptions(), { maxResponseBytes: MAX_RESPONSE_BYTES });
  });

  it('refuse a config of the other role or a bad option', () => {
    const miner = parseInferenceConfig('miner', [], {});
    const validator = parseInferenceConfig('validator', [], {});
    assert.throws(() => new InferenceMiner(validator as never), TypeError);
    assert.throws(() => new InferenceValidator(miner as never), TypeError);
    assert.throws(() => new InferenceMiner(miner, { handler: 'x' as never }), TypeError);
    assert.throws(() => new InferenceValidator(validator, { seed: 7 as never }), TypeError);
    // A config built without the cross-flag checks is checked again.
    const copier = { ...miner, extra: { ...miner.extra, behaviour: 'copier' } };
    assert.throws(() => new InferenceMiner(copier), /needs --copier.source/);
    assert.equal(new InferenceMiner(miner).behaviour, 'honest');
  });
});

describe('inferenceMain', () => {
  const run = async (role: 'miner' | 'validator', argv: string[]) => {
    let out = '';
    let err = '';
    const code = await inferenceMain({
      role,
      argv,
      env: {},
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    });
    return { code, out, err };
  };

  it('prints --help with the subnet flags and its defaults', async () => {
    const miner = await run('miner', ['--help']);
    assert.equal(miner.code, 0);
    assert.match(miner.out, /^Usage: node --import tsx subnets\/inference\/bin\/miner\.ts/);
    // The subnet's defaults, in the flag list itself.
    assert.match(
      miner.out,
      /--blacklist\.force_validator_permit\s+Refuse callers without a validator permit \(default true\)/,
    );
    assert.match(
      miner.out,
      /--neuron\.step_interval_ms <int>\s+Milliseconds between steps \(default 2000\)/,
    );
    assert.match(miner.out, /--neuron\.epoch_length <int>\s+[^\n]*\(default 20\)/);
    assert.match(miner.out, /--behaviour <string>\s+How the miner answers/);
    assert.match(miner.out, /--copier\.source <string>/);
    assert.doesNotMatch(miner.out, /--inference\.texts_per_miner/);
    const validator = await run('validator', ['-h']);
    assert.equal(validator.code, 0);
    assert.match(
      validator.out,
      /--neuron\.timeout <float>\s+Seconds to wait for miners \(default 5\)/,
    );
    assert.match(validator.out, /--neuron\.axon_off\s+Do not serve an axon \(default true\)/);
    assert.match(validator.out, /--neuron\.vpermit_tao_limit <float>\s+[^\n]*\(default 21000000\)/);
    assert.match(validator.out, /--inference\.verify_sample <int>/);
  });

  it('exits 2 on bad flags, naming the problem', async () => {
    const cases: ['miner' | 'validator', string[], RegExp][] = [
      ['miner', ['--behaviour', 'bogus'], /error: --behaviour: expected one of/],
      ['miner', ['--behaviour', 'copier'], /error: --behaviour copier needs --copier\.source/],
      ['miner', ['--netuid', 'x'], /error: --netuid: expected an integer, got "x"/],
      ['validator', ['--behaviour', 'lazy'], /a miner flag; this neuron is a validator/],
      ['validator', ['--bogus'], /error: unknown flag --bogus/],
    ];
    for (const [role, argv, re] of cases) {
      const r = await run(role, argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
      assert.equal(r.out, '');
    }
    await assert.rejects(inferenceMain({ role: 'owner' as 'miner' }), TypeError);
  });
});
