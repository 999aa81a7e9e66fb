import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNeuronHelp, NEURON_FLAGS, parseNeuronConfig } from './config.js';
import { NeuronError } from './errors.js';

const miner = (argv: string[], env: Record<string, string> = {}) =>
  parseNeuronConfig(argv, env, { role: 'miner' });
const validator = (argv: string[], env: Record<string, string> = {}) =>
  parseNeuronConfig(argv, env, { role: 'validator' });

function configError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NeuronError, `expected a NeuronError, got ${String(e)}`);
    assert.equal(e.code, 'CONFIG_INVALID');
    assert.match(e.message, pattern);
    return true;
  });
}

describe('parseNeuronConfig', () => {
  it('has the template defaults (network local)', () => {
    const c = validator([]);
    assert.equal(c.role, 'validator');
    assert.equal(c.netuid, 1);
    assert.deepEqual(c.wallet, {
      name: 'default',
      hotkey: 'default',
      path: '~/.bittensor/wallets/',
    });
    assert.deepEqual(c.subtensor, {
      network: 'local',
      chainEndpoint: undefined,
      url: 'ws://127.0.0.1:9944',
    });
    assert.deepEqual(c.axon, {
      ip: '0.0.0.0',
      port: 8091,
      externalIp: undefined,
      externalPort: undefined,
      maxWorkers: 10,
    });
    assert.deepEqual(c.logging, { level: 'info', loggingDir: '~/.bittensor/miners' });
    assert.equal(c.neuron.name, 'validator');
    assert.equal(c.neuron.epochLength, 100);
    assert.equal(c.neuron.timeout, 10);
    assert.equal(c.neuron.sampleSize, 50);
    assert.equal(c.neuron.numConcurrentForwards, 1);
    assert.equal(c.neuron.disableSetWeights, false);
    assert.equal(c.neuron.movingAverageAlpha, 0.1);
    assert.equal(c.neuron.axonOff, false);
    assert.equal(c.neuron.vpermitTaoLimit, 4096);
    assert.equal(c.neuron.stepIntervalMs, 5000);
    assert.equal(c.neuron.blockCacheMs, 12_000);
    assert.equal(c.help, false);
    const m = miner([]);
    assert.equal(m.neuron.name, 'miner');
    assert.equal(m.neuron.stepIntervalMs, 12_000);
    assert.deepEqual(m.blacklist, {
      forceValidatorPermit: false,
      allowNonRegistered: false,
      minStake: 0,
    });
  });

  it('accepts dotted, dashed and underscored spellings, --k=v and aliases', () => {
    for (const spelling of ['--wallet.name', '--wallet-name', '--wallet_name', '--WALLET.NAME']) {
      assert.equal(miner([spelling, 'w1']).wallet.name, 'w1', spelling);
    }
    const c = validator([
      '--neuron.epoch-length=7',
      '--neuron-sample-size',
      '3',
      '--network',
      'test',
      '--hotkey=h2',
      '--neuron.axon_off',
      '--neuron.disable-set-weights=false',
      '--logging.debug',
    ]);
    assert.equal(c.neuron.epochLength, 7);
    assert.equal(c.neuron.sampleSize, 3);
    assert.equal(c.subtensor.url, 'wss://test.finney.opentensor.ai:443');
    assert.equal(c.wallet.hotkey, 'h2');
    assert.equal(c.neuron.axonOff, true);
    assert.equal(c.neuron.disableSetWeights, false);
    assert.equal(c.logging.level, 'debug');
    assert.equal(validator(['--logging.trace', '--logging.debug']).logging.level, 'trace');
    assert.equal(validator(['--netuid', '2', '--netuid', '5']).netuid, 5, 'the last one wins');
  });

  it('chain_endpoint wins over network', () => {
    const c = miner([
      '--subtensor.network',
      'finney',
      '--subtensor.chain_endpoint',
      'ws://10.0.0.1:9944',
    ]);
    assert.equal(c.subtensor.url, 'ws://10.0.0.1:9944');
    assert.equal(c.subtensor.network, 'finney');
  });

  it('reads BT_* environment variables under the flags', () => {
    const env = {
      BT_AXON_PORT: '9000',
      BT_WALLET_NAME: 'envwallet',
      BT_WALLET_HOTKEY: 'envhot',
      BT_WALLET_PATH: '/w',
      BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://127.0.0.1:1234',
      BT_AXON_EXTERNAL_IP: '203.0.113.5',
      BT_LOGGING_DEBUG: 'true',
      BT_NEURON_SAMPLE_SIZE: '9',
    };
    const c = miner(['--wallet.name', 'flagwallet'], env);
    assert.equal(c.axon.port, 9000);
    assert.equal(c.wallet.name, 'flagwallet', 'a flag wins over the environment');
    assert.equal(c.wallet.hotkey, 'envhot');
    assert.equal(c.wallet.path, '/w');
    assert.equal(c.subtensor.url, 'ws://127.0.0.1:1234');
    assert.equal(c.axon.externalIp, '203.0.113.5');
    assert.equal(c.logging.level, 'debug');
    assert.equal(c.neuron.sampleSize, 50, 'validator variables do not apply to a miner');
    assert.equal(validator([], env).neuron.sampleSize, 9);
    configError(() => miner([], { BT_AXON_PORT: 'eighty' }), /BT_AXON_PORT: expected an integer/);
  });

  it('refuses unknown flags, flags of the other role and bad values with clear errors', () => {
    configError(() => miner(['--wallet.nmae', 'x']), /unknown flag --wallet\.nmae/);
    try {
      miner(['--wallet.nmae', 'x']);
    } catch (e) {
      assert.match((e as NeuronError).message, /Did you mean --wallet\.name\?/);
    }
    configError(
      () => miner(['--neuron.sample_size', '3']),
      /validator flag; this neuron is a miner/,
    );
    configError(
      () => validator(['--blacklist.force_validator_permit']),
      /miner flag; this neuron is a validator/,
    );
    configError(() => miner(['--netuid']), /--netuid needs a value/);
    configError(() => miner(['--netuid', '--axon.port', '1']), /--netuid needs a value/);
    configError(() => miner(['--netuid', 'one']), /--netuid: expected an integer, got "one"/);
    configError(() => miner(['--netuid', '1.5']), /expected an integer/);
    configError(() => miner(['--netuid', '70000']), /expected a value in 0\.\.65535/);
    configError(() => miner(['--axon.port', '-1']), /expected a value in 0\.\.65535/);
    configError(() => miner(['--axon.external_ip', 'localhost']), /IPv4 or IPv6/);
    configError(() => validator(['--neuron.moving_average_alpha', '1.5']), /0\.\.1/);
    configError(() => validator(['--neuron.timeout', 'NaN']), /expected a number/);
    configError(() => validator(['--neuron.axon_off=maybe']), /expected true or false/);
    configError(() => miner(['stray']), /unexpected argument "stray"/);
    configError(() => miner(['--']), /unexpected argument/);
    configError(() => miner(['--wallet.name', '']), /non-empty/);
    configError(() => miner(['--subtensor.network', 'mars']), /--subtensor\.network is invalid/);
    configError(
      () => miner(['--subtensor.chain_endpoint', 'http://x']),
      /--subtensor\.chain_endpoint is invalid/,
    );
  });

  it('rejects malformed input at the edge', () => {
    assert.throws(() => parseNeuronConfig('--netuid 1' as never, {}, { role: 'miner' }), TypeError);
    assert.throws(() => parseNeuronConfig([1 as never], {}, { role: 'miner' }), TypeError);
    assert.throws(() => parseNeuronConfig([], null as never, { role: 'miner' }), TypeError);
    assert.throws(() => parseNeuronConfig([], {}, { role: 'owner' as never }), TypeError);
    assert.throws(() => miner(Array(2000).fill('--logging.debug')), RangeError);
    assert.throws(() => miner(['--wallet.name', 'x'.repeat(5000)]), RangeError);
  });

  it('lets a subnet add typed flags with defaults and environment variables', () => {
    const flags = {
      'inference.model': {
        type: 'string',
        default: 'tiny',
        choices: ['tiny', 'base'],
        help: 'Model',
      },
      'inference.max_tokens': { type: 'int', default: 64, min: 1, max: 4096, help: 'Max tokens' },
      'inference.cache_dir': { type: 'string', help: 'Cache' },
      'inference.warm': { type: 'bool', roles: ['miner'], help: 'Warm up' },
    } as const;
    const c = parseNeuronConfig(
      ['--inference-model', 'base', '--inference.warm'],
      { BT_INFERENCE_MAX_TOKENS: '128' },
      { role: 'miner', flags },
    );
    const model: string = c.extra['inference.model'];
    const tokens: number = c.extra['inference.max_tokens'];
    const dir: string | undefined = c.extra['inference.cache_dir'];
    assert.equal(model, 'base');
    assert.equal(tokens, 128);
    assert.equal(dir, undefined);
    assert.equal(c.extra['inference.warm'], true);
    assert.throws(
      () => parseNeuronConfig(['--inference.model', 'huge'], {}, { role: 'miner', flags }),
      /expected one of tiny, base/,
    );
    assert.throws(
      () =>
        parseNeuronConfig([], {}, { role: 'miner', flags: { netuid: { type: 'int', help: 'x' } } }),
      /already a template flag/,
    );
    assert.throws(
      () =>
        parseNeuronConfig(
          [],
          {},
          { role: 'miner', flags: { 'Bad Name': { type: 'int', help: 'x' } } },
        ),
      TypeError,
    );
    assert.throws(
      () =>
        parseNeuronConfig(
          [],
          {},
          {
            role: 'miner',
            flags: { 'x.y': { type: 'int', default: 'one' as never, help: 'x' } },
          },
        ),
      /default must be a number/,
    );
  });

  it('sees --help and lists the role flags with defaults and variables', () => {
    assert.equal(miner(['--help']).help, true);
    assert.equal(miner(['-h']).help, true);
    const text = formatNeuronHelp('miner', {
      'my.flag': { type: 'int', default: 3, help: 'Mine' },
    });
    assert.match(text, /--netuid <int>\s+Subnet netuid \(default 1\) \[BT_NETUID\]/);
    assert.match(text, /--blacklist\.force_validator_permit/);
    assert.doesNotMatch(text, /--neuron\.sample_size/);
    assert.match(text, /--my\.flag <int>\s+Mine \(default 3\) \[BT_MY_FLAG\]/);
    assert.ok(Object.keys(NEURON_FLAGS).length >= 25);
  });

  it('takes subnet defaults for template flags: flag > BT_* > subnet default > template', () => {
    const defaults = {
      'neuron.timeout': 5,
      'neuron.epoch_length': 20,
      'neuron.step_interval_ms': 2000,
      'neuron.name': 'scorer',
      'neuron.axon_off': true,
      'axon.port': 9000,
      'blacklist.force_validator_permit': true,
    } as const;
    const v = (argv: string[], env: Record<string, string> = {}) =>
      parseNeuronConfig(argv, env, { role: 'validator', defaults });
    // Template default (nothing overrides neuron.sample_size) and subnet defaults.
    const base = v([]);
    assert.equal(base.neuron.sampleSize, 50);
    assert.equal(base.neuron.timeout, 5);
    assert.equal(base.neuron.epochLength, 20);
    assert.equal(base.neuron.stepIntervalMs, 2000, 'replaces the role-dependent default');
    assert.equal(base.neuron.name, 'scorer');
    assert.equal(base.neuron.axonOff, true);
    assert.equal(base.axon.port, 9000);
    // BT_* beats the subnet default, the flag beats both.
    assert.equal(v([], { BT_NEURON_TIMEOUT: '7' }).neuron.timeout, 7);
    assert.equal(v(['--neuron.timeout', '2.5'], { BT_NEURON_TIMEOUT: '7' }).neuron.timeout, 2.5);
    assert.equal(v([], { BT_NEURON_AXON_OFF: 'false' }).neuron.axonOff, false);
    assert.equal(v(['--neuron.axon_off=false']).neuron.axonOff, false);
    assert.equal(v(['--axon.port', '1']).axon.port, 1);
    // A default for the other role's flag is ignored; the miner takes the miner flag.
    const m = parseNeuronConfig([], {}, { role: 'miner', defaults });
    assert.equal(m.blacklist.forceValidatorPermit, true);
    assert.equal(m.neuron.timeout, 10, 'neuron.timeout is not a miner flag: unchanged');
    assert.equal(
      parseNeuronConfig(
        ['--blacklist.force_validator_permit=false'],
        {},
        { role: 'miner', defaults },
      ).blacklist.forceValidatorPermit,
      false,
    );
    // Without defaults nothing changed.
    assert.equal(validator([]).neuron.timeout, 10);
    assert.equal(miner([]).blacklist.forceValidatorPermit, false);
  });

  it('refuses subnet defaults that are not template flags or that the flag would refuse', () => {
    const parse = (defaults: unknown) =>
      parseNeuronConfig([], {}, { role: 'validator', defaults: defaults as never });
    assert.throws(() => parse('x'), TypeError);
    assert.throws(() => parse(null), TypeError);
    assert.throws(() => parse([5]), TypeError);
    assert.throws(() => parse({ 'neuron.timout': 5 }), /neuron\.timout is not a template flag/);
    assert.throws(() => parse({ __proto__: null, 'my.flag': 1 }), TypeError);
    assert.throws(() => parse({ 'neuron.timeout': '5' }), {
      name: 'TypeError',
      message: /neuron\.timeout must be a number/,
    });
    assert.throws(() => parse({ 'neuron.axon_off': 1 }), /must be a boolean/);
    assert.throws(() => parse({ 'wallet.name': 3 }), /must be a string/);
    assert.throws(() => parse({ 'neuron.timeout': 0 }), {
      name: 'RangeError',
      message: /neuron\.timeout: expected a value in 0\.001\.\.3600/,
    });
    assert.throws(() => parse({ 'neuron.timeout': Number.NaN }), RangeError);
    assert.throws(() => parse({ 'neuron.sample_size': 1.5 }), /expected an integer/);
    assert.throws(() => parse({ 'axon.external_ip': 'localhost' }), RangeError);
    assert.throws(() => parse({ 'wallet.name': '' }), RangeError);
    // Checked even when the flag is of the other role (a typo must not hide).
    assert.throws(() => parse({ 'blacklist.min_stake': -1 }), RangeError);
    // A subnet's own flag takes its default from its spec.
    assert.throws(
      () =>
        parseNeuronConfig(
          [],
          {},
          {
            role: 'miner',
            flags: { 'my.flag': { type: 'int', help: 'x' } },
            defaults: { 'my.flag': 2 } as never,
          },
        ),
      /not a template flag/,
    );
  });

  it('--help shows the subnet defaults and the role defaults', () => {
    const defaults = { 'neuron.timeout': 5, 'blacklist.force_validator_permit': true } as const;
    const v = formatNeuronHelp('validator', {}, undefined, defaults);
    assert.match(
      v,
      /--neuron\.timeout <float>\s+Seconds to wait for miners \(default 5\) \[BT_NEURON_TIMEOUT\]/,
    );
    assert.match(v, /--neuron\.num_concurrent_forwards <int> Forwards run at once/);
    assert.doesNotMatch(v, /force_validator_permit/);
    assert.match(
      v,
      /--neuron\.step_interval_ms <int>\s+Milliseconds between steps \(default 5000\)/,
    );
    assert.match(v, /--neuron\.name <string>\s+State directory name \(default validator\)/);
    const m = formatNeuronHelp('miner', {}, 'Usage: m', defaults);
    assert.match(
      m,
      /--blacklist\.force_validator_permit\s+Refuse callers without a validator permit \(default true\)/,
    );
    assert.match(
      m,
      /--neuron\.step_interval_ms <int>\s+Milliseconds between steps \(default 12000\)/,
    );
    assert.match(formatNeuronHelp('validator'), /Seconds to wait for miners \(default 10\)/);
    assert.doesNotMatch(formatNeuronHelp('miner'), /force_validator_permit\s+Refuse[^\n]*default/);
    assert.throws(
      () => formatNeuronHelp('miner', {}, undefined, { 'neuron.timeout': -1 }),
      RangeError,
    );
    assert.throws(() => formatNeuronHelp('owner' as never), TypeError);
  });
});
