// The bins as processes: flag errors, --help, an unregistered hotkey (exit 1 with the reason),
// and a registered miner that serves until SIGTERM, then exits 0 by itself (no handle leaks).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { keypairFromUri } from '@taoscript/crypto';
import { type Env, neuronArgs, registerHotkey, startEnv, until, writeWallet } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = (name: string) => `packages/subnet/bin/${name}.ts`;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(bin: string, args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN(bin), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the exit code, killing the process if it has not exited within `ms`. */
async function exitCode(r: Run, ms = 60_000): Promise<number | null> {
  const timer = setTimeout(() => r.child.kill('SIGKILL'), ms);
  try {
    return await r.exited;
  } finally {
    clearTimeout(timer);
  }
}

describe('template bins', () => {
  it('reject bad flags with exit code 2 and print --help', async () => {
    const bad = run('miner', ['--netuid', 'x']);
    const wrongRole = run('miner', ['--neuron.sample_size', '3']);
    const help = run('validator', ['--help']);
    const codes = await Promise.all([exitCode(bad), exitCode(wrongRole), exitCode(help)]);
    assert.deepEqual(codes, [2, 2, 0]);
    assert.match(bad.stderr(), /error: --netuid: expected an integer, got "x"/);
    assert.match(wrongRole.stderr(), /validator flag; this neuron is a miner/);
    assert.match(help.stdout(), /Usage: node --import tsx packages\/subnet\/bin\/validator\.ts/);
    assert.match(help.stdout(), /--neuron\.vpermit_tao_limit <float>/);
  });

  describe('against a dev node', () => {
    let env: Env;
    before(async () => {
      env = await startEnv();
      const wallets = `${env.dir}/wallets`;
      await registerHotkey(env.client, '//BinMiner');
      await writeWallet(wallets, 'miner', '//BinMiner');
      await writeWallet(wallets, 'stranger', '//BinStranger');
    });
    after(async () => {
      await env?.close();
    });

    it('an unregistered hotkey exits 1 with the reason', async () => {
      const r = run('validator', neuronArgs(env, 'stranger', ['--neuron.axon_off']));
      assert.equal(await exitCode(r), 1, r.stderr());
      const address = keypairFromUri('//BinStranger').address();
      assert.match(
        r.stderr(),
        new RegExp(
          `hotkey ${address} is not registered on netuid 1; register with \`tao subnets register\``,
        ),
      );
    });

    it('a registered miner serves, then stops on SIGTERM and exits 0 on its own', async () => {
      const r = run('miner', [...neuronArgs(env, 'miner'), '--logging.debug']);
      try {
        await until(
          () => /miner running/.test(r.stderr()) || r.child.exitCode !== null,
          'the miner',
        );
        assert.equal(r.child.exitCode, null, r.stderr());
        await until(() => /metagraph resynced/.test(r.stderr()), 'a loop step');
        r.child.kill('SIGTERM');
        // runNeuron would force an exit only after 10 s; the process must end well before that.
        const started = performance.now();
        assert.equal(await exitCode(r), 0, r.stderr());
        assert.ok(performance.now() - started < 8_000, 'exited without being forced');
        assert.match(r.stderr(), /stopping signal=SIGTERM/);
        assert.match(r.stderr(), /miner stopped/);
        assert.doesNotMatch(r.stderr(), /forcing exit/);
      } finally {
        if (r.child.exitCode === null) r.child.kill('SIGKILL');
      }
    });
  });
});
