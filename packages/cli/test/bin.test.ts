/** The installed `tao` bin as a user runs it: startup time, JSON on stdout, exit codes, no stacks. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { Sandbox } from './helpers.js';

const BIN = new URL('../bin/tao.mjs', import.meta.url).pathname;
const box = new Sandbox();
after(() => box.cleanup());

function tao(args: string[]) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: box.home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - started };
}

function assertOneLine(r: ReturnType<typeof tao>, code: number, re: RegExp): void {
  assert.equal(r.code, code, r.err);
  assert.equal(
    r.err
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('error: ')).length,
    1,
    r.err,
  );
  assert.match(r.err, re);
  assert.doesNotMatch(r.err, /\n\s+at |node:internal/);
}

describe('tao bin', () => {
  test('--help lists every group and answers in under 500 ms', () => {
    const runs = [tao(['--help']), tao(['--help']), tao(['--help'])];
    for (const r of runs) assert.equal(r.code, 0, r.err);
    const out = runs[0]?.out ?? '';
    for (const verb of [
      'wallet create',
      'subnets show',
      'stake add',
      'weights commit',
      'sudo set',
      'config set',
    ])
      assert.match(out, new RegExp(verb));
    const best = Math.min(...runs.map((r) => r.ms));
    assert.ok(best < 500, `tao --help took ${best.toFixed(0)} ms`);
  });

  test('wallet create and list print one JSON document each', () => {
    const made = tao([
      'wallet',
      'create',
      '-p',
      box.wallets,
      '--name',
      'binw',
      '--no-use-password',
      '--json-output',
    ]);
    assert.equal(made.code, 0, made.err);
    const doc = JSON.parse(made.out) as { coldkey: { ss58_address: string } };
    const list = tao(['wallet', 'list', '-p', box.wallets, '--json']);
    assert.equal(list.code, 0, list.err);
    assert.deepEqual(JSON.parse(list.out).wallets[0].coldkey_ss58, doc.coldkey.ss58_address);
  });

  test('usage mistakes exit 2 with one line; a dead endpoint exits 1 with one line', () => {
    assertOneLine(
      tao(['wallet', 'balance', '-p', box.wallets, '--name', 'ghost']),
      2,
      /wallet 'ghost' not found/,
    );
    assertOneLine(
      tao(['stake', 'add', '--netuid', 'x', '--amount', '1']),
      2,
      /--netuid must be a subnet id/,
    );
    assertOneLine(tao(['subnets', 'lst']), 2, /unknown verb 'lst'/);
    const dead = tao(['subnets', 'list', '--network', 'ws://127.0.0.1:1', '--json']);
    assertOneLine(dead, 1, /cannot reach the node at ws:\/\/127\.0\.0\.1:1/);
    assert.equal(JSON.parse(dead.out).success, false);
  });

  test('without a terminal, a confirmation needs --no-prompt', () => {
    assertOneLine(tao(['config', 'clear']), 2, /confirmation needed.*--no-prompt \(-y\)/);
    const yes = tao(['config', 'clear', '-y', '--json']);
    assert.equal(yes.code, 0, yes.err);
    assert.equal(JSON.parse(yes.out).cleared.length, 8);
  });
});
