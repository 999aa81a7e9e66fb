// The bins as processes: bad flags exit 2 with the reason, --help exits 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function run(
  bin: 'miner' | 'validator',
  args: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `subnets/inference/bin/${bin}.ts`, ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, out, err };
}

describe('inference bins', () => {
  it('exit 2 on bad flags and 0 on --help', async () => {
    const [behaviour, copier, role, help, vhelp] = await Promise.all([
      run('miner', ['--behaviour', 'bogus']),
      run('miner', ['--behaviour', 'copier', '--netuid', '1']),
      run('validator', ['--slow.delay_ms', '10']),
      run('miner', ['--help']),
      run('validator', ['--help']),
    ]);
    assert.equal(behaviour.code, 2, behaviour.err);
    assert.match(
      behaviour.err,
      /error: --behaviour: expected one of honest, slow, lazy, garbage, copier/,
    );
    assert.equal(copier.code, 2, copier.err);
    assert.match(copier.err, /--behaviour copier needs --copier\.source/);
    assert.equal(role.code, 2, role.err);
    assert.match(role.err, /--slow\.delay_ms is a miner flag; this neuron is a validator/);
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, /Usage: node --import tsx subnets\/inference\/bin\/miner\.ts/);
    assert.match(help.out, /--slow\.delay_ms <int>/);
    assert.equal(vhelp.code, 0, vhelp.err);
    assert.match(vhelp.out, /--inference\.texts_per_miner <int>/);
    assert.doesNotMatch(vhelp.out, /--behaviour/);
  });
});
