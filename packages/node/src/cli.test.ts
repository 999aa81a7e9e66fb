import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError, parseCli, USAGE } from './cli.js';

/** Asserts `argv` is refused with a one-line CliError matching `message`. */
function refuses(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseCli(argv),
    (err: unknown) => {
      assert.ok(err instanceof CliError, `expected a CliError for ${argv.join(' ')}, got ${err}`);
      assert.equal(err.name, 'CliError');
      assert.match(err.message, message);
      assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
      return true;
    },
  );
}

describe('parseCli', () => {
  it('has defaults for a plain start', () => {
    assert.deepEqual(parseCli([]), {
      dev: false,
      tmp: false,
      basePath: undefined,
      rpcPort: 9944,
      rpcExternal: false,
      sealing: { type: 'interval', ms: 12_000 },
      prometheusPort: undefined,
      rpcMaxConnections: undefined,
      rpcMaxRequestBytes: undefined,
      rpcMaxSubscriptionsPerConnection: undefined,
      poolLimit: undefined,
      poolKbytes: undefined,
      logLevel: 'info',
      devSubnets: undefined,
      chainSpec: undefined,
      help: false,
      version: false,
    });
  });

  it('genesis subnets come from --dev-subnets or --chain-spec, not both', () => {
    assert.equal(parseCli(['--dev', '--dev-subnets', '3']).devSubnets, 3);
    assert.equal(parseCli(['--chain-spec', 'spec.json']).chainSpec, 'spec.json');
    refuses(['--dev-subnets', '9'], /--dev-subnets must be between 0 and 8/);
    refuses(['--dev-subnets', 'two'], /--dev-subnets takes a whole number/);
    refuses(['--chain-spec', ' '], /--chain-spec must not be empty/);
    refuses(['--dev-subnets', '1', '--chain-spec', 'x.json'], /cannot be used together/);
  });

  it('--dev means a temporary database and 250 ms blocks', () => {
    const o = parseCli(['--dev']);
    assert.equal(o.dev, true);
    assert.equal(o.tmp, true);
    assert.equal(o.basePath, undefined);
    assert.deepEqual(o.sealing, { type: 'interval', ms: 250 });
  });

  it('--dev with --base-path keeps the database there', () => {
    for (const argv of [
      ['--dev', '--base-path', '/var/lib/tao'],
      ['--dev', '--base-path=/var/lib/tao'],
      ['--dev', '-d', '/var/lib/tao'],
    ]) {
      const o = parseCli(argv);
      assert.equal(o.tmp, false, argv.join(' '));
      assert.equal(o.basePath, '/var/lib/tao');
    }
  });

  it('--sealing overrides the default in both modes', () => {
    assert.deepEqual(parseCli(['--dev', '--sealing', 'instant']).sealing, { type: 'instant' });
    assert.deepEqual(parseCli(['--sealing=manual']).sealing, { type: 'manual' });
    assert.deepEqual(parseCli(['--sealing', '20']).sealing, { type: 'interval', ms: 20 });
    assert.deepEqual(parseCli(['--tmp']).sealing, { type: 'interval', ms: 12_000 });
    assert.equal(parseCli(['--tmp']).tmp, true);
  });

  it("accepts Substrate's spellings of the flags", () => {
    const o = parseCli([
      '--rpc-port=9955',
      '--rpc-external',
      '--prometheus-port',
      '9615',
      '--rpc-max-connections',
      '50',
      '--rpc-max-request-size',
      '2',
      '--rpc-max-subscriptions-per-connection',
      '16',
      '--pool-limit',
      '100',
      '--pool-kbytes',
      '64',
      '-lwarn',
      '--no-telemetry',
    ]);
    assert.equal(o.rpcPort, 9955);
    assert.equal(o.rpcExternal, true);
    assert.equal(o.prometheusPort, 9615);
    assert.equal(o.rpcMaxConnections, 50);
    assert.equal(o.rpcMaxRequestBytes, 2 * 1024 * 1024);
    assert.equal(o.rpcMaxSubscriptionsPerConnection, 16);
    assert.equal(o.poolLimit, 100);
    assert.equal(o.poolKbytes, 64);
    assert.equal(o.logLevel, 'warn');
    assert.equal(parseCli(['--unsafe-rpc-external']).rpcExternal, true);
    assert.equal(parseCli(['--rpc-port', '0']).rpcPort, 0);
    assert.equal(parseCli(['--rpc-port', '65535']).rpcPort, 65535);
    assert.equal(parseCli(['-h']).help, true);
    assert.equal(parseCli(['--version']).version, true);
    assert.equal(parseCli(['-V']).version, true);
  });

  it("reads Substrate's log patterns", () => {
    assert.equal(parseCli(['--log', 'debug']).logLevel, 'debug');
    assert.equal(parseCli(['-l', 'TRACE']).logLevel, 'trace');
    assert.equal(parseCli(['--log', 'runtime=debug']).logLevel, 'info');
    assert.equal(parseCli(['--log', 'error,runtime=trace,sync=debug']).logLevel, 'error');
    assert.equal(parseCli(['--log', 'off']).logLevel, 'silent');
  });

  it('refuses an unknown flag or a stray argument', () => {
    refuses(['--foo'], /--foo/);
    refuses(['--dev', '--rpc-prot', '9944'], /--rpc-prot/);
    refuses(['dev'], /dev/);
    refuses(['--dev=yes'], /--dev/);
  });

  it('refuses a port that is not a port', () => {
    refuses(['--rpc-port', '70000'], /^--rpc-port must be between 0 and 65535, got 70000$/);
    refuses(['--rpc-port', 'abc'], /^--rpc-port takes a whole number, got "abc"$/);
    refuses(['--rpc-port', '-1'], /--rpc-port/);
    refuses(['--rpc-port', '80.5'], /--rpc-port takes a whole number/);
    refuses(['--rpc-port='], /--rpc-port takes a whole number/);
    refuses(['--rpc-port'], /--rpc-port/);
    refuses(['--prometheus-port', '65536'], /--prometheus-port must be between/);
    refuses(['--rpc-port', '99999999999999999999999'], /--rpc-port must be between/);
  });

  it('refuses other out-of-range numbers', () => {
    refuses(['--rpc-max-connections', '0'], /--rpc-max-connections must be between 1/);
    refuses(['--rpc-max-request-size', '0'], /--rpc-max-request-size/);
    refuses(['--pool-limit', 'lots'], /--pool-limit takes a whole number/);
    refuses(['--pool-kbytes', '0'], /--pool-kbytes/);
  });

  it('refuses a bad --sealing', () => {
    refuses(['--sealing', '0'], /^--sealing takes a block interval in ms .*got "0"$/);
    refuses(['--sealing', 'fast'], /--sealing .*got "fast"/);
    refuses(['--dev', '--sealing', ''], /--sealing .*got ""/);
    refuses(['--sealing', '-5'], /--sealing/);
  });

  it('refuses an empty --base-path and --tmp with --base-path', () => {
    refuses(['--base-path', ''], /^--base-path must not be empty$/);
    refuses(['--base-path='], /--base-path must not be empty/);
    refuses(['-d', '   '], /--base-path must not be empty/);
    refuses(['--tmp', '--base-path', '/data'], /--tmp and --base-path/);
  });

  it('refuses a log level it does not know', () => {
    refuses(
      ['--log', 'nonsense'],
      /^--log takes trace, debug, info, warn, error or off.*"nonsense"$/,
    );
    refuses(['--log', 'info,runtime=loud'], /"info,runtime=loud"/);
    refuses(['--log', ''], /--log/);
    refuses(['--log', '=debug'], /--log/);
  });

  it('rejects argv that is not an array of strings', () => {
    assert.throws(() => parseCli('--dev' as unknown as string[]), TypeError);
    assert.throws(() => parseCli([9944] as unknown as string[]), TypeError);
  });

  it('documents every flag it accepts', () => {
    for (const flag of [
      '--dev',
      '--tmp',
      '--base-path',
      '--rpc-port',
      '--rpc-external',
      '--unsafe-rpc-external',
      '--sealing',
      '--prometheus-port',
      '--pool-limit',
      '--pool-kbytes',
      '--log',
      '--no-telemetry',
      '--help',
      '--version',
    ])
      assert.ok(USAGE.includes(flag), flag);
  });
});
