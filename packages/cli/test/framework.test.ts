/** The CLI framework without a node: flag spellings, value checks, formatting, config, errors. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  decimalToU64F64,
  findHyperparam,
  HYPERPARAMS,
  hyperparamArgs,
} from '../src/commands/hyperparams.js';
import {
  NETUID_FLAG,
  OUTPUT_FLAGS,
  PROMPT_FLAGS,
  SIGNING_FLAGS,
  WALLET_FLAGS,
} from '../src/framework/common-flags.js';
import { loadConfig, saveConfig } from '../src/framework/config.js';
import { reportError } from '../src/framework/errors.js';
import { type FlagSpec, normalizeFlagName, parseFlags } from '../src/framework/flags.js';
import { formatTao, formatUnits, jsonDocument, toJsonValue } from '../src/framework/format.js';
import { table } from '../src/framework/output.js';
import {
  parseFloatIn,
  parseNetuid,
  parseSs58,
  parseTao,
  parseU16List,
  parseWeightList,
} from '../src/framework/values.js';
import { UsageError } from '../src/io.js';
import { Sandbox } from './helpers.js';

const box = new Sandbox();
after(() => box.cleanup());

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const LIST: FlagSpec = { name: 'uids', kind: 'list', help: 'uids' };
const WORDS: FlagSpec = { name: 'mnemonic', kind: 'words', help: 'words' };
const SPECS = [...SIGNING_FLAGS, NETUID_FLAG, LIST, WORDS];

function usage(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UsageError && re.test(e.message));
}

describe('flag spellings (btcli)', () => {
  test('wallet name: --wallet-name, --wallet.name, --wallet_name, --name, =value', () => {
    for (const args of [
      ['--wallet-name', 'w1'],
      ['--wallet.name', 'w1'],
      ['--wallet_name', 'w1'],
      ['--name', 'w1'],
      ['--wallet.name=w1'],
    ]) {
      assert.equal(parseFlags(args, SPECS).string('wallet-name'), 'w1', args.join(' '));
    }
    assert.equal(
      parseFlags(['--wallet.name', 'w1'], SPECS).spelling('wallet-name'),
      '--wallet.name',
    );
  });

  test('path, hotkey, network, endpoint, netuid and their short forms', () => {
    const f = parseFlags(
      [
        '-p',
        '/w',
        '-H',
        'hk',
        '--subtensor.network',
        'test',
        '--subtensor.chain_endpoint',
        'ws://x:1',
        '-n',
        '3',
      ],
      SPECS,
    );
    assert.equal(f.string('wallet-path'), '/w');
    assert.equal(f.string('hotkey'), 'hk');
    assert.equal(f.string('network'), 'test');
    assert.equal(f.string('chain-endpoint'), 'ws://x:1');
    assert.equal(f.string('netuid'), '3');
    for (const spelling of ['--wallet.hotkey', '--wallet-hotkey', '--wallet_hotkey', '--hotkey'])
      assert.equal(parseFlags([spelling, 'h2'], SPECS).string('hotkey'), 'h2');
    assert.equal(parseFlags(['--chain', 'finney'], SPECS).string('network'), 'finney');
  });

  test('json output, prompts, quiet and verbose', () => {
    for (const s of ['--json-output', '--json-out', '--json', '--json_output'])
      assert.equal(parseFlags([s], SPECS).bool('json-output'), true, s);
    for (const s of ['--no-prompt', '-y', '--yes'])
      assert.equal(parseFlags([s], SPECS).bool('no-prompt'), true, s);
    assert.equal(parseFlags(['--prompt'], SPECS).bool('no-prompt'), false);
    assert.equal(parseFlags(['--quiet', '--verbose'], SPECS).bool('quiet'), true);
    assert.equal(parseFlags(['--json-output=false'], SPECS).bool('json-output'), false);
    assert.equal(parseFlags([], SPECS).bool('json-output'), undefined);
    assert.equal(parseFlags(['-h'], SPECS).help, true);
  });

  test('lists split on commas and spaces and keep taking arguments; words join', () => {
    assert.deepEqual(parseFlags(['--uids', '0,1', '2', '--uids', '3'], SPECS).list('uids'), [
      '0',
      '1',
      '2',
      '3',
    ]);
    const f = parseFlags(['--mnemonic', 'abandon', 'ability', 'able', '-y'], SPECS);
    assert.equal(f.words('mnemonic'), 'abandon ability able');
    assert.equal(f.bool('no-prompt'), true);
    // A negative number is a value, not a flag.
    assert.equal(parseFlags(['--netuid', '-5'], SPECS).string('netuid'), '-5');
  });

  test('unknown flags, missing values, repeats and stray arguments are usage errors', () => {
    usage(
      () => parseFlags(['--wallet-nme', 'x'], SPECS),
      /unknown option '--wallet-nme' \(did you mean --wallet-name\?\)/,
    );
    usage(() => parseFlags(['-Z'], SPECS), /unknown option '-Z'/);
    usage(() => parseFlags(['--netuid'], SPECS), /--netuid needs a value/);
    usage(() => parseFlags(['--netuid', '1', '-n', '2'], SPECS), /given more than once/);
    usage(() => parseFlags(['stray'], SPECS), /unexpected argument 'stray'/);
    usage(() => parseFlags(['--yes=maybe'], SPECS), /takes no value/);
    usage(() => parseFlags(['--prompt=true'], SPECS), /takes no value/);
    usage(() => parseFlags(['--wallet-name', ''], SPECS), /must not be empty/);
    usage(() => parseFlags(['--wallet-name', 'x'.repeat(5000)], SPECS), /longer than 4096/);
    usage(() => parseFlags(['--wallet-name', 'a\0b'], SPECS), /NUL/);
    usage(() => parseFlags(['--mnemonic'], SPECS), /needs a value/);
    usage(() => parseFlags(['--__proto__', 'x'], SPECS), /unknown option/);
    assert.equal(normalizeFlagName('wallet.hotkey_name'), 'wallet-hotkey-name');
  });

  test('every common flag group parses alone (no spelling declared twice)', () => {
    for (const group of [WALLET_FLAGS, OUTPUT_FLAGS, PROMPT_FLAGS, SIGNING_FLAGS])
      assert.equal(parseFlags([], group).given().length, 0);
  });
});

describe('values', () => {
  test('netuid: whole numbers 0..65535 only', () => {
    assert.equal(parseNetuid('0'), 0);
    assert.equal(parseNetuid('65535'), 65_535);
    for (const bad of ['abc', '-1', '65536', '1.5', '', '0x1', '1e3', '99999999'])
      usage(() => parseNetuid(bad), /--netuid must be a subnet id/);
  });

  test('TAO amounts become rao exactly, with at most 9 decimals', () => {
    assert.equal(parseTao('1'), 1_000_000_000n);
    assert.equal(parseTao('1.5'), 1_500_000_000n);
    assert.equal(parseTao('0.000000001'), 1n);
    assert.equal(parseTao('.5'), 500_000_000n);
    assert.equal(parseTao('τ2'), 2_000_000_000n);
    assert.equal(parseTao('0', '--amount', true), 0n);
    usage(() => parseTao('0'), /more than 0/);
    usage(() => parseTao('1.0000000001'), /at most 9 decimals/);
    usage(() => parseTao('-1'), /amount like/);
    usage(() => parseTao('1e9'), /amount like/);
    usage(() => parseTao('NaN'), /amount like/);
    usage(() => parseTao('99999999999'), /larger than the chain can hold/);
  });

  test('fractions, u16 lists, weights and addresses', () => {
    assert.equal(parseFloatIn('0.01', '--tolerance', 0, 1), 0.01);
    usage(() => parseFloatIn('2', '--tolerance', 0, 1), /\[0, 1\]/);
    usage(() => parseFloatIn('Infinity', '--tolerance', 0, 1), /number/);
    assert.deepEqual(parseU16List(['0', '7'], '--uids'), [0, 7]);
    usage(() => parseU16List(['70000'], '--uids'), /0\.\.65535/);
    usage(() => parseU16List([], '--uids'), /at least one/);
    assert.deepEqual(parseWeightList(['0.5', '1e-3'], '--weights'), [0.5, 0.001]);
    usage(() => parseWeightList(['-0.5'], '--weights'), /number/);
    assert.equal(parseSs58(ALICE, '--dest').length, 32);
    usage(() => parseSs58('5Grw', '--dest'), /--dest is not an SS58 address/);
  });
});

describe('formatting', () => {
  test('τ amounts are truncated, grouped and exact', () => {
    assert.equal(formatTao(1_234_567_891_000n), 'τ1,234.5678');
    assert.equal(formatTao(1n, 9), 'τ0.000000001');
    assert.equal(formatUnits(-1_500_000_000n, 2), '-1.50');
  });

  test('JSON: bigints as decimal strings, bytes as hex, undefined dropped', () => {
    assert.deepEqual(toJsonValue({ a: 1n, b: Uint8Array.of(1, 255), c: undefined, d: [2n] }), {
      a: '1',
      b: '0x01ff',
      d: ['2'],
    });
    assert.equal(jsonDocument({ x: 10n ** 20n }), '{\n  "x": "100000000000000000000"\n}\n');
  });

  test('tables pad to the widest cell and right-align numbers', () => {
    const t = table(
      [{ header: 'A' }, { header: 'N', right: true }],
      [
        ['xy', '1'],
        ['z', '100'],
      ],
    );
    assert.equal(t, 'A     N\n──  ───\nxy    1\nz   100\n');
  });
});

describe('config file', () => {
  test('saves and loads btcli keys, keeps unknown keys, rejects bad values', async () => {
    const home = join(box.home, 'cfg1');
    const path = join(home, '.bittensor', 'config.yml');
    await saveConfig(path, {
      network: 'local',
      wallet_name: 'w',
      safe_staking: false,
      metagraph_cols: { uid: true },
    });
    const c = await loadConfig(home);
    assert.deepEqual(c.values, { network: 'local', wallet_name: 'w', safe_staking: false });
    assert.deepEqual(c.raw.metagraph_cols, { uid: true });
    writeFileSync(path, 'network: [1, 2]\n');
    await assert.rejects(loadConfig(home), /network must be a string/);
    writeFileSync(path, 'rate_tolerance: 5\n');
    await assert.rejects(loadConfig(home), /rate_tolerance must be a fraction/);
    writeFileSync(path, 'network: "unterminated\n');
    await assert.rejects(loadConfig(home), /not valid YAML/);
    writeFileSync(path, '- a\n- b\n');
    await assert.rejects(loadConfig(home), /expected a mapping/);
    writeFileSync(path, `network: ${'x'.repeat(70_000)}\n`);
    await assert.rejects(loadConfig(home), /larger than/);
    writeFileSync(path, 'wallet_name: null\nnetwork: ~\n');
    assert.deepEqual((await loadConfig(home)).values, {});
  });

  test('a missing file is an empty config', async () => {
    const home = join(box.home, 'cfg2');
    mkdirSync(home);
    assert.deepEqual((await loadConfig(home)).values, {});
  });
});

describe('sudo set parameters', () => {
  test('names resolve (aliases and kebab-case) to AdminUtils setters with their origin rule', () => {
    assert.deepEqual(findHyperparam('tempo').param, {
      call: 'sudo_set_tempo',
      field: 'tempo',
      type: 'u16',
      root: true,
      subnet: true,
    });
    assert.equal(findHyperparam('weights-version-key').name, 'weights_version');
    assert.equal(findHyperparam('min_burn').param.root, false);
    assert.equal(findHyperparam('start_call_delay').param.subnet, false);
    usage(() => findHyperparam('nope'), /unknown hyperparameter 'nope'/);
    usage(() => findHyperparam('__proto__'), /unknown hyperparameter/);
    for (const [name, p] of Object.entries(HYPERPARAMS))
      assert.match(p.call, /^sudo_set_|^sudo_trim/, name);
  });

  test('values are checked against the setter type', () => {
    assert.deepEqual(hyperparamArgs(findHyperparam('tempo').param, '10'), { tempo: 10 });
    assert.deepEqual(hyperparamArgs(findHyperparam('min_burn').param, '600000'), {
      min_burn: 600_000n,
    });
    assert.deepEqual(hyperparamArgs(findHyperparam('liquid_alpha_enabled').param, 'true'), {
      enabled: true,
    });
    assert.deepEqual(hyperparamArgs(findHyperparam('alpha_values').param, '100,200'), {
      alpha_low: 100,
      alpha_high: 200,
    });
    assert.deepEqual(hyperparamArgs(findHyperparam('recycle_or_burn').param, 'Recycle'), {
      recycle_or_burn: { type: 'Recycle' },
    });
    assert.deepEqual(hyperparamArgs(findHyperparam('alpha_sigmoid_steepness').param, '-5'), {
      steepness: -5,
    });
    usage(() => hyperparamArgs(findHyperparam('tempo').param, '70000'), /0\.\.65535/);
    usage(
      () => hyperparamArgs(findHyperparam('liquid_alpha_enabled').param, 'maybe'),
      /true or false/,
    );
    usage(() => hyperparamArgs(findHyperparam('sn_owner_hotkey').param, 'bob'), /SS58/);
    assert.equal(decimalToU64F64('1.5', '--value'), 3n << 63n);
    assert.equal(decimalToU64F64('2', '--value'), 2n << 64n);
    usage(() => decimalToU64F64('-1', '--value'), /non-negative decimal/);
  });
});

describe('error reports', () => {
  test('usage, wallet, dispatch, pool and network errors map to one line and an exit code', () => {
    assert.deepEqual(reportError(new UsageError('bad')), {
      exit: 2,
      code: 'USAGE',
      message: 'bad',
      details: [],
    });
    const wrongPassword = Object.assign(new Error('Wrong password'), {
      name: 'WalletError',
      code: 'KEYFILE_DECRYPT_FAILED',
      shortMessage: 'Wrong password for keyfile decryption',
      path: '/w/coldkey',
    });
    assert.equal(reportError(wrongPassword).exit, 2);
    assert.match(reportError(wrongPassword).message, /wrong password for the key \(\/w\/coldkey\)/);
    const failed = Object.assign(new Error('x'), {
      name: 'ExtrinsicFailedError',
      code: 'NotEnoughBalanceToStake',
      qualifiedName: 'SubtensorModule.NotEnoughBalanceToStake',
    });
    assert.deepEqual(reportError(failed), {
      exit: 1,
      code: 'NotEnoughBalanceToStake',
      message:
        "SubtensorModule.NotEnoughBalanceToStake: the coldkey's free balance is less than the amount to stake",
      details: [],
    });
    const invalid = Object.assign(new Error('x'), {
      name: 'TransactionInvalidError',
      code: 'TX_INVALID',
      shortMessage: 'the node rejected the transaction: Invalid.Payment',
    });
    assert.match(reportError(invalid).message, /cannot pay the fee.*\(Invalid\.Payment\)/);
    assert.equal(reportError(new Error('boom')).exit, 1);
  });
});

test('nothing here wrote outside the sandbox', () => {
  assert.ok(readFileSync(join(box.home, 'cfg1', '.bittensor', 'config.yml'), 'utf8').length > 0);
});
