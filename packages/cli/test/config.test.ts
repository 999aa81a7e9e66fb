/** `tao config`, defaults from the config file, network resolution, and per-verb help (no node). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { NETWORK_FLAGS, OUTPUT_FLAGS } from '../src/framework/common-flags.js';
import { Context } from '../src/framework/context.js';
import { parseFlags } from '../src/framework/flags.js';
import { assertFailed, Sandbox } from './helpers.js';

const box = new Sandbox();
after(() => box.cleanup());
const file = () => join(box.home, '.bittensor', 'config.yml');

interface ConfigDoc {
  path: string;
  config: Record<string, unknown>;
  changed?: string[];
  cleared?: string[];
}

describe('tao config', () => {
  test('set takes btcli spellings and writes btcli keys; get reads them back', async () => {
    const set = await box.json<ConfigDoc>([
      'config',
      'set',
      '--subtensor.network',
      'test',
      '--wallet.name',
      'alice',
      '--wallet_path',
      box.wallets,
      '--wallet-hotkey',
      'h1',
      '--unsafe',
      '--tolerance',
      '0.02',
      '--partial',
    ]);
    assert.equal(set.path, file());
    assert.deepEqual(set.changed, [
      'network',
      'wallet_name',
      'wallet_path',
      'wallet_hotkey',
      'safe_staking',
      'allow_partial_stake',
      'rate_tolerance',
    ]);
    assert.deepEqual(parse(readFileSync(file(), 'utf8')), {
      network: 'test',
      wallet_name: 'alice',
      wallet_path: box.wallets,
      wallet_hotkey: 'h1',
      safe_staking: false,
      allow_partial_stake: true,
      rate_tolerance: 0.02,
    });
    const got = await box.json<ConfigDoc>(['c', 'get']);
    assert.deepEqual(got.config, {
      network: 'test',
      wallet_name: 'alice',
      wallet_path: box.wallets,
      wallet_hotkey: 'h1',
      use_cache: null,
      safe_staking: false,
      allow_partial_stake: true,
      rate_tolerance: 0.02,
    });
    const human = await box.tao(['config', 'get']);
    assert.equal(human.code, 0);
    assert.match(human.out, /wallet_name\s+alice/);
    // Colours only for people: a coloured table on a terminal, never in JSON.
    const coloured = await box.tao(['config', 'get'], { color: true });
    const ESC = String.fromCharCode(27);
    assert.ok(coloured.out.includes(`${ESC}[1mKEY`), coloured.out);
    const json = await box.tao(['config', 'get', '--json'], { color: true });
    assert.ok(!json.out.includes(ESC));
  });

  test('bad values are refused and leave the file alone', async () => {
    const before = readFileSync(file(), 'utf8');
    assertFailed(
      await box.tao(['config', 'set', '--network', 'nowhere']),
      2,
      /unknown network "nowhere"/,
    );
    assertFailed(await box.tao(['config', 'set', '--rate-tolerance', '2']), 2, /\[0, 0\.999\]/);
    assertFailed(await box.tao(['config', 'set']), 2, /nothing to set/);
    assertFailed(
      await box.tao(['config', 'set', '--netwrk', 'local']),
      2,
      /did you mean --network/,
    );
    assert.equal(readFileSync(file(), 'utf8'), before);
  });

  test('clear: named keys at once; everything only after a yes', async () => {
    const one = await box.json<ConfigDoc>(['config', 'clear', '--wallet-hotkey']);
    assert.deepEqual(one.cleared, ['wallet_hotkey']);
    assert.equal(one.config.wallet_hotkey, null);
    assert.equal(one.config.wallet_name, 'alice');
    assert.equal(parse(readFileSync(file(), 'utf8')).wallet_hotkey, null);
    // Clearing everything asks; no terminal → usage error naming --no-prompt.
    assertFailed(await box.tao(['config', 'clear']), 2, /confirmation needed.*--no-prompt/);
    const no = await box.tao(['config', 'clear', '--json-output'], { answers: ['n'] });
    assertFailed(no, 1, /cancelled/);
    assert.deepEqual(JSON.parse(no.out).error.code, 'CANCELLED');
    assert.equal(parse(readFileSync(file(), 'utf8')).wallet_name, 'alice');
    assert.match(box.asked.at(-1) ?? '', /Clear every key of .*config\.yml\? \[y\/N\]/);
    const all = await box.json<ConfigDoc>(['config', 'clear'], { answers: ['y'] });
    assert.equal(all.cleared?.length, 8);
    assert.ok(Object.values(parse(readFileSync(file(), 'utf8'))).every((v) => v === null));
  });
});

describe('defaults and network resolution', () => {
  const ctxFor = async (args: string[], env: Record<string, string> = {}) =>
    Context.create(
      { stdout: () => {}, stderr: () => {}, env: { HOME: box.home, ...env } },
      parseFlags(args, [...NETWORK_FLAGS, ...OUTPUT_FLAGS]),
    );

  test('no flag, config or env: local, ws://127.0.0.1:9944', async () => {
    await box.json(['config', 'clear', '-y']);
    assert.deepEqual(await (await ctxFor([])).endpoint(), {
      network: 'local',
      url: 'ws://127.0.0.1:9944',
    });
  });

  test('flag > config > env', async () => {
    await box.json(['config', 'set', '--network', 'ws://127.0.0.1:7001']);
    assert.equal((await (await ctxFor([])).endpoint()).url, 'ws://127.0.0.1:7001');
    assert.equal(
      (await (await ctxFor(['--network', 'ws://127.0.0.1:7002'])).endpoint()).url,
      'ws://127.0.0.1:7002',
    );
    assert.equal(
      (
        await (
          await ctxFor(['--chain-endpoint', 'ws://127.0.0.1:7003', '--network', 'finney'])
        ).endpoint()
      ).url,
      'ws://127.0.0.1:7003',
    );
    await box.json(['config', 'clear', '--network']);
    assert.equal(
      (await (await ctxFor([], { BT_SUBTENSOR_NETWORK: 'test' })).endpoint()).url,
      'wss://test.finney.opentensor.ai:443',
    );
  });

  test('the config network is used by chain commands; an unreachable node is one line, exit 1', async () => {
    await box.json(['config', 'set', '--network', 'ws://127.0.0.1:1']);
    const r = await box.tao(['subnets', 'list', '--json-output']);
    assertFailed(r, 1, /cannot reach the node at ws:\/\/127\.0\.0\.1:1: ECONNREFUSED/);
    assert.deepEqual(JSON.parse(r.out), {
      success: false,
      error: {
        code: 'UNREACHABLE',
        message: 'cannot reach the node at ws://127.0.0.1:1: ECONNREFUSED',
      },
    });
    assertFailed(
      await box.tao(['subnets', 'list', '--network', 'ws://']),
      2,
      /--network: endpoint/,
    );
    await box.json(['config', 'clear', '--network']);
  });

  test('wallet defaults come from the config file', async () => {
    await box.json(['config', 'set', '--wallet-name', 'cfgw', '--wallet-path', box.wallets]);
    const made = await box.json<{ wallet: { name: string; path: string } }>([
      'wallet',
      'create',
      '--no-use-password',
    ]);
    assert.deepEqual(made.wallet, { name: 'cfgw', path: box.wallets, hotkey: 'default' });
    assert.ok(existsSync(join(box.wallets, 'cfgw', 'coldkeypub.txt')));
    await box.json(['config', 'clear', '-y']);
  });
});

describe('help and verb names', () => {
  test('group help lists the verbs; verb help lists the flags; snake_case and aliases work', async () => {
    const g = await box.tao(['wallet', '--help']);
    assert.equal(g.code, 0);
    for (const v of ['create', 'regen-coldkeypub', 'overview', 'transfer'])
      assert.match(g.out, new RegExp(v));
    const h = await box.tao(['stake', 'add', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /--tolerance, --rate-tolerance/);
    assert.match(h.out, /--safe, --safe-staking, --unsafe/);
    assert.match(h.out, /JSON: /);
    for (const args of [
      ['wallet', 'regen_coldkey', '--help'],
      ['w', 'new_hotkey', '-h'],
      ['subnets', 'metagraph', '--help'],
      ['st', 'process_claim', '--help'],
      ['su', 'set_take', '--help'],
      ['wt', 'commit', '--help'],
      ['conf', 'get', '--help'],
    ]) {
      const r = await box.tao(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.match(r.out, /^Usage: tao /);
    }
  });
});
