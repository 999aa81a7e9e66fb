/**
 * The localnet config file and the localnet commands' refusals: the default config parses, and
 * malformed or hostile configs, flags and state dirs are refused with the field named and nothing
 * started or created.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Io } from '../src/io.js';
import {
  DEFAULT_CONFIG_PATH,
  formatTao,
  loadConfig,
  parseConfigText,
  parseTao,
  substitute,
  validateConfig,
} from '../src/localnet/config.js';
import {
  assertResettable,
  layout,
  newRuntimeState,
  prepareStateDir,
  writeRuntimeState,
} from '../src/localnet/state-dir.js';
import { main } from '../src/main.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tao-localnet-config-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function tao(args: string[], extra: Partial<Io> = {}): Promise<Captured> {
  let out = '';
  let err = '';
  const io: Io = {
    isTTY: false,
    ...extra,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  };
  return { code: await main(args, io), out, err };
}

/** A refusal: exit 2, one line on stderr naming `mentions`, nothing on stdout, no stack. */
function assertRefused(r: Captured, mentions: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, '');
  assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
  assert.match(r.err, mentions);
  assert.doesNotMatch(r.err, /\n\s+at /);
}

/** A minimal valid config document. */
function good(): Record<string, unknown> {
  return {
    chain: { rpc_port: 0 },
    subnets: [
      {
        name: 'sn',
        netuid: 1,
        tempo: 10,
        owner: { wallet: 'owner' },
        validators: [{ wallet: 'v1', stake: 10, command: ['node', 'v.js', '{netuid}'] }],
        miners: [{ wallet: 'm1', command: ['node', 'm.js', '--axon.port', '{axon.port}'] }],
      },
    ],
  };
}

let n = 0;
function file(content: string, ext = 'yaml'): string {
  const path = join(scratch, `cfg-${n++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

/** `tao localnet up` on a config: refused with the field named, and no state dir made. */
async function refusesUp(content: string, mentions: RegExp, ext = 'yaml'): Promise<void> {
  const dir = join(scratch, `state-${n}`);
  const r = await tao(['localnet', 'up', '--config', file(content, ext), '--dir', dir]);
  assertRefused(r, mentions);
  assert.equal(existsSync(dir), false, 'nothing was created');
}

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely, then validated
type Doc = Record<string, any>;
function mutate(f: (doc: Doc) => void): string {
  const doc = good() as Doc;
  f(doc);
  return JSON.stringify(doc);
}

describe('localnet config', () => {
  it('the default config describes the inference subnet with 1 owner, 2 validators, 4 miners', () => {
    const c = loadConfig();
    assert.equal(c.source, DEFAULT_CONFIG_PATH);
    assert.equal(c.workdir, resolve(REPO));
    const [s] = c.file.subnets;
    assert.ok(s);
    assert.equal(c.file.subnets.length, 1);
    assert.equal(s.name, 'inference');
    assert.equal(s.netuid, 1);
    assert.ok(s.tempo >= 20 && s.tempo <= 30, `tempo ${s.tempo}`);
    assert.equal(c.file.chain.rpc_port, 9944);
    assert.equal(c.file.chain.block_time_ms, 250);
    assert.equal(s.hyperparameters.weights_set_rate_limit, 0n);
    assert.equal(s.hyperparameters.commit_reveal_weights_enabled, false);
    const roles = c.neurons.map((x) => x.role);
    assert.deepEqual(roles, [
      'owner',
      'validator',
      'validator',
      'miner',
      'miner',
      'miner',
      'miner',
    ]);
    const miners = c.neurons.filter((x) => x.role === 'miner');
    assert.deepEqual(
      miners.map((m) => m.command?.[(m.command?.indexOf('--behaviour') ?? 0) + 1]),
      ['honest', 'slow', 'lazy', 'garbage'],
    );
    for (const x of c.neurons.filter((y) => y.role !== 'owner')) {
      const cmd = x.command ?? [];
      assert.deepEqual(cmd.slice(0, 3), ['node', '--import', 'tsx']);
      assert.equal(
        cmd[3],
        x.role === 'miner'
          ? 'subnets/inference/bin/miner.ts'
          : 'subnets/inference/bin/validator.ts',
      );
      for (const [flag, value] of [
        ['--netuid', '{netuid}'],
        ['--wallet.name', '{wallet.name}'],
        ['--wallet.hotkey', '{wallet.hotkey}'],
        ['--wallet.path', '{wallet.path}'],
        ['--subtensor.chain_endpoint', '{chain_endpoint}'],
        ['--axon.port', '{axon.port}'],
        ['--logging.logging_dir', '{logs}'],
      ])
        assert.equal(cmd[cmd.indexOf(flag as string) + 1], value, `${x.name} ${flag}`);
    }
    const validators = c.neurons.filter((x) => x.role === 'validator');
    assert.ok(validators.every((v) => v.stake > 0n && v.fund >= v.stake));
    assert.ok((validators[0]?.stake ?? 0n) > (validators[1]?.stake ?? 0n));
  });

  it('fills defaults: hotkey, funds, env, tempo, chain settings', () => {
    const c = validateConfig({ subnets: [{ name: 'x', owner: { wallet: 'o' } }] }, 'mem.yaml');
    assert.equal(c.file.chain.rpc_port, 9944);
    assert.equal(c.file.chain.block_time_ms, 250);
    assert.equal(c.file.chain.node_log, 'warn');
    assert.equal(c.file.subnets[0]?.tempo, 100);
    assert.deepEqual(c.neurons, [
      {
        name: 'o',
        role: 'owner',
        subnet: 0,
        wallet: 'o',
        hotkey: 'default',
        fund: 10_000_000_000_000n,
        stake: 0n,
        command: undefined,
        env: {},
        axonPort: undefined,
      },
    ]);
    const v = validateConfig(good(), 'mem.yaml').neurons.find((x) => x.role === 'validator');
    assert.equal(v?.fund, 110_000_000_000n, 'stake + 100 TAO');
  });

  it('reads JSON files and YAML anchors', () => {
    const json = loadConfig(file(JSON.stringify(good()), 'json'));
    assert.equal(json.neurons.length, 3);
    const yaml = loadConfig(
      file(
        [
          'subnets:',
          '  - name: a',
          '    owner: {wallet: o}',
          '    miners:',
          '      - {wallet: m1, command: &cmd [node, m.js, "{wallet.name}"]}',
          '      - {wallet: m2, command: *cmd}',
        ].join('\n'),
      ),
    );
    assert.deepEqual(yaml.neurons[2]?.command, ['node', 'm.js', '{wallet.name}']);
  });

  it('converts TAO amounts exactly and rejects anything else', () => {
    assert.equal(parseTao(1), 1_000_000_000n);
    assert.equal(parseTao(0.1), 100_000_000n);
    assert.equal(parseTao('12.000000001'), 12_000_000_001n);
    assert.equal(parseTao('21000000'), 21_000_000_000_000_000n);
    for (const bad of [
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      21e6 + 1,
      '1e3',
      '-5',
      '',
      '1.0000000001',
      ' ',
      '0x10',
      '21000001',
    ])
      assert.equal(parseTao(bad), undefined, String(bad));
    assert.equal(formatTao(1_500_000_000n), '1.5');
    assert.equal(formatTao(100_000_000_000n), '100');
  });

  it('substitutes placeholders and leaves other braces alone', () => {
    const values = {
      netuid: '3',
      name: 'm1',
      'wallet.name': 'm1',
      'wallet.hotkey': 'default',
      'wallet.path': '/w',
      chain_endpoint: 'ws://127.0.0.1:1',
      'axon.port': '8091',
      logs: '/l/m1',
      dir: '/d',
    };
    assert.equal(substitute('--x={netuid}/{axon.port}', values), '--x=3/8091');
    assert.equal(substitute('{"a": 1}', values), '{"a": 1}');
    assert.equal(substitute('{wallet.path}/{wallet.name}', values), '/w/m1');
  });

  it('rejects unknown fields, naming them', async () => {
    await refusesUp(
      mutate((d) => (d.extra = 1)),
      /extra: unknown field/,
    );
    await refusesUp(
      mutate((d) => (d.chain.rpcport = 1)),
      /chain\.rpcport: unknown field/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].bogus = true)),
      /subnets\[0\]\.miners\[0\]\.bogus: unknown field/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].hyperparameters = { tempo_fast: 1 })),
      /subnets\[0\]\.hyperparameters\.tempo_fast: unknown field/,
    );
    await refusesUp(
      '{"__proto__": {"polluted": true}, "subnets": []}',
      /__proto__: unknown field/,
      'json',
    );
    await refusesUp('__proto__: {x: 1}\nsubnets: []\n', /__proto__: unknown field/);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it('rejects wrong types and out-of-range values, naming the field', async () => {
    await refusesUp(
      mutate((d) => (d.subnets[0].tempo = 'fast')),
      /subnets\[0\]\.tempo: expected an integer/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].tempo = 0)),
      /subnets\[0\]\.tempo: expected an integer in 1\.\.65535/,
    );
    await refusesUp(
      mutate((d) => (d.chain.rpc_port = 70_000)),
      /chain\.rpc_port: expected an integer in 0\.\.65535/,
    );
    await refusesUp(
      mutate((d) => (d.chain.block_time_ms = 1.5)),
      /chain\.block_time_ms/,
    );
    await refusesUp(
      mutate((d) => (d.chain.node_log = 'loud')),
      /chain\.node_log: expected trace/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].validators[0].stake = -5)),
      /subnets\[0\]\.validators\[0\]\.stake: expected a non-negative amount/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].validators[0].stake = undefined)),
      /subnets\[0\]\.validators\[0\]\.stake/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].fund = '1.0000000001')),
      /subnets\[0\]\.miners\[0\]\.fund/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].command = 'node m.js')),
      /subnets\[0\]\.miners\[0\]\.command: expected the command as a list/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].command = [])),
      /subnets\[0\]\.miners\[0\]\.command: must name a program/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].command = ['node', 5])),
      /subnets\[0\]\.miners\[0\]\.command\[1\]: expected a string/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].command = ['node', 'a\0b'])),
      /command\[1\]: must not contain NUL/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].env = { 'BAD-NAME': 'x' })),
      /subnets\[0\]\.miners\[0\]\.env\.BAD-NAME: invalid environment variable name/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].hyperparameters = { commit_reveal_weights_enabled: 'yes' })),
      /hyperparameters\.commit_reveal_weights_enabled: expected true or false/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].hyperparameters = { max_allowed_uids: 1000 })),
      /hyperparameters\.max_allowed_uids: expected an integer in 1\.\.256/,
    );
    await refusesUp(
      mutate((d) => (d.subnets = [])),
      /subnets: at least one subnet/,
    );
    await refusesUp(
      mutate((d) => delete d.subnets),
      /subnets: expected a list of subnets/,
    );
    await refusesUp(
      mutate((d) => delete d.subnets[0].owner),
      /subnets\[0\]\.owner: expected a neuron/,
    );
    await refusesUp('42\n', /\(top level\): expected a localnet config/);
    await refusesUp(
      mutate((d) => (d.version = 2)),
      /version: only version 1 exists/,
    );
  });

  it('rejects duplicate, reserved and path-traversing names', async () => {
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].wallet = 'v1')),
      /subnets\[0\]\.miners\[0\]\.wallet: duplicate wallet name 'v1' \(also subnets\[0\]\.validators\[0\]\)/,
    );
    await refusesUp(
      mutate((d) => d.subnets.push({ ...d.subnets[0], netuid: 2, name: 'other' })),
      /subnets\[1\]\.owner\.wallet: duplicate wallet name 'owner'/,
    );
    await refusesUp(
      mutate((d) => d.subnets.push({ name: 'sn', owner: { wallet: 'o2' } })),
      /subnets\[1\]\.name: duplicate name/,
    );
    for (const bad of [
      '../evil',
      '..',
      '.hidden',
      'a/b',
      '/abs',
      'a\\b',
      '',
      'x'.repeat(65),
      'sp ace',
    ])
      await refusesUp(
        mutate((d) => (d.subnets[0].miners[0].wallet = bad)),
        /subnets\[0\]\.miners\[0\]\.wallet: wallet must be 1-64 letters/,
      );
    await refusesUp(
      mutate((d) => (d.subnets[0].owner.hotkey = '../../etc')),
      /subnets\[0\]\.owner\.hotkey: hotkey must be 1-64 letters/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].owner.wallet = 'node')),
      /subnets\[0\]\.owner\.wallet: 'node' is reserved/,
    );
  });

  it('rejects unknown placeholders, bad netuid order, port clashes and overfull subnets', async () => {
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].command = ['node', '{wallet.secret}'])),
      /subnets\[0\]\.miners\[0\]\.command\[1\]: unknown placeholder \{wallet\.secret\}/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].miners[0].env = { X: '{home}' })),
      /subnets\[0\]\.miners\[0\]\.env\.X: unknown placeholder \{home\}/,
    );
    await refusesUp(
      mutate((d) => d.subnets.push({ name: 'b', netuid: 1, owner: { wallet: 'o2' } })),
      /subnets\[1\]\.netuid: netuids must increase/,
    );
    await refusesUp(
      mutate((d) => {
        d.subnets[0].miners[0].axon_port = 9000;
        d.subnets[0].validators[0].axon_port = 9000;
      }),
      /subnets\[0\]\.miners\[0\]\.axon_port: port 9000 is already used by subnets\[0\]\.validators\[0\]/,
    );
    await refusesUp(
      mutate((d) => {
        d.chain.rpc_port = 9944;
        d.subnets[0].miners[0].axon_port = 9944;
      }),
      /axon_port: port 9944 is already used by chain\.rpc_port/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].hyperparameters = { max_allowed_uids: 2 })),
      /subnets\[0\]: 3 neurons do not fit in max_allowed_uids 2/,
    );
    await refusesUp(
      mutate((d) => (d.subnets[0].validators[0].fund = 5)),
      /v1: fund must cover the stake/,
    );
  });

  it('rejects broken, hostile and oversized files', async () => {
    await refusesUp('subnets: [1', /not valid YAML/);
    await refusesUp('{"subnets": [', /not valid JSON/, 'json');
    await refusesUp('subnets: []\nsubnets: []\n', /not valid YAML: Map keys must be unique/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++)
      bomb.push(
        `a${i}: &a${i} [${Array(10)
          .fill(i === 0 ? '*a' : `*a${i - 1}`)
          .join(', ')}]`,
      );
    await refusesUp(bomb.join('\n'), /not valid YAML: Excessive alias count/);
    await refusesUp(`# ${'x'.repeat(1024 * 1024)}\nsubnets: []\n`, /larger than 1048576 bytes/);
    const dir = join(scratch, 'a-dir');
    mkdirSync(dir, { recursive: true });
    assertRefused(await tao(['localnet', 'up', '--config', dir]), /not a file/);
    assertRefused(
      await tao(['localnet', 'up', '--config', join(scratch, 'missing.yaml')]),
      /cannot read config .*missing\.yaml: ENOENT/,
    );
    assert.throws(() => parseConfigText('[', 'x.json'), /not valid JSON/);
  });

  it('refuses bad flags', async () => {
    assertRefused(await tao(['localnet', 'up', '--bogus']), /Unknown option '--bogus'/);
    assertRefused(await tao(['localnet', 'up', 'extra']), /positional/i);
    assertRefused(
      await tao(['localnet', 'down', '--detach']),
      /tao localnet down takes no --detach/,
    );
    assertRefused(await tao(['localnet', 'reset', '--json-output']), /takes no --json-output/);
    assertRefused(await tao(['localnet', 'up', '--refresh-ms', '5']), /--refresh-ms must be/);
    assertRefused(await tao(['localnet', 'up', '--dir', '']), /--dir must be a path/);
    assertRefused(await tao(['localnet', 'nope']), /unknown verb 'nope'/);
    assertRefused(await tao(['node', 'nope']), /unknown verb 'nope'/);
  });

  it('lists the localnet and node verbs and prints each verb help', async () => {
    const r = await tao(['--help']);
    for (const v of [
      'localnet up',
      'localnet down',
      'localnet status',
      'localnet reset',
      'node run',
    ])
      assert.match(r.out, new RegExp(v));
    for (const v of ['up', 'down', 'status', 'reset']) {
      const h = await tao(['localnet', v, '--help']);
      assert.equal(h.code, 0);
      assert.match(h.out, new RegExp(`Usage: tao localnet ${v}`));
    }
  });
});

describe('localnet state dir', () => {
  it('down, status and reset on a dir with no localnet', async () => {
    const dir = join(scratch, 'empty-state');
    const down = await tao(['localnet', 'down', '--dir', dir]);
    assert.equal(down.code, 0);
    assert.match(down.out, /no localnet is running in/);
    const status = await tao(['localnet', 'status', '--dir', dir]);
    assert.equal(status.code, 1);
    assert.match(status.out, /no localnet is running in/);
    const json = await tao(['localnet', 'status', '--dir', dir, '--json-output']);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.out), { dir: resolve(dir), running: false });
    const reset = await tao(['localnet', 'reset', '--dir', dir, '--yes']);
    assert.equal(reset.code, 0);
    assert.match(reset.out, /nothing to reset/);
  });

  it('up refuses a non-empty directory that is not a localnet state dir', async () => {
    const dir = join(scratch, 'someones-files');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'thesis.tex'), 'precious');
    assertRefused(
      await tao(['localnet', 'up', '--config', file(JSON.stringify(good()), 'json'), '--dir', dir]),
      /is not empty and is not a localnet state dir/,
    );
    assert.equal(readFileSync(join(dir, 'thesis.tex'), 'utf8'), 'precious');
    assert.equal(existsSync(join(dir, 'localnet.json')), false);
  });

  it('reset deletes only a localnet state dir with nothing foreign in it', async () => {
    const foreign = join(scratch, 'foreign');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(join(foreign, 'keep.txt'), 'x');
    assertRefused(
      await tao(['localnet', 'reset', '--dir', foreign, '--yes']),
      /refusing to delete .*not a localnet state dir/,
    );
    assert.ok(existsSync(join(foreign, 'keep.txt')));
    assertRefused(
      await tao(['localnet', 'reset', '--dir', '/', '--yes']),
      /refusing to delete \/: not a localnet state dir/,
    );

    const l = layout(join(scratch, 'ours'));
    prepareStateDir(l);
    writeRuntimeState(l, newRuntimeState(null, 'x.yaml'));
    writeFileSync(join(l.dir, 'notes.txt'), 'mine');
    assertRefused(
      await tao(['localnet', 'reset', '--dir', l.dir, '--yes']),
      /holds files a localnet does not make \(notes\.txt\)/,
    );
    rmSync(join(l.dir, 'notes.txt'));
    const link = join(scratch, 'link-to-ours');
    symlinkSync(l.dir, link);
    assert.throws(() => assertResettable(layout(link)), /it is a symlink/);
    assertRefused(await tao(['localnet', 'reset', '--dir', l.dir]), /pass --yes to confirm/);
    assert.ok(existsSync(l.stateFile));
    const asked: string[] = [];
    const no = await tao(['localnet', 'reset', '--dir', l.dir], {
      isTTY: true,
      prompt: async (q) => {
        asked.push(q);
        return 'n';
      },
    });
    assert.equal(no.code, 1);
    assert.match(asked[0] ?? '', /Delete .*ours/);
    assert.ok(existsSync(l.stateFile), 'kept when the answer is no');
    const r = await tao(['localnet', 'reset', '--dir', l.dir], {
      isTTY: true,
      prompt: async () => 'y',
    });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /removed /);
    assert.equal(existsSync(l.dir), false);
  });
});
