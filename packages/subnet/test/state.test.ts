// Validator state on disk: save/load round trip, corrupt files, and the validator's use of it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import { parseNeuronConfig } from '../src/config.js';
import { NeuronError } from '../src/errors.js';
import { loadValidatorState, saveValidatorState } from '../src/state.js';
import { TemplateValidator } from '../src/template/validator.js';
import { FakeSubnet, fakeKey } from '../src/test-fixtures.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'subnet-state-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isCorrupt = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof NeuronError, String(e));
  assert.equal(e.code, 'STATE_CORRUPT');
  assert.match(e.message, pattern);
  return true;
};

describe('validator state files', () => {
  it('round-trips step, scores and hotkeys exactly', async () => {
    const path = join(dir, 'a', 'state.json');
    const state = {
      step: 42,
      scores: new Float64Array([0, 0.1, 1 / 3, 5e-324, 0.999999999999]),
      hotkeys: ['h0', 'h1', 'h2', 'h3', 'h4'],
    };
    await saveValidatorState(path, state);
    const back = await loadValidatorState(path);
    assert.ok(back);
    assert.equal(back.step, 42);
    assert.deepEqual(Array.from(back.scores), Array.from(state.scores));
    assert.deepEqual(back.hotkeys, state.hotkeys);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    // Overwriting replaces the file atomically (no temporary files left).
    await saveValidatorState(path, {
      step: 43,
      scores: new Float64Array([Number.NaN]),
      hotkeys: ['x'],
    });
    const again = await loadValidatorState(path);
    assert.equal(again?.step, 43);
    assert.deepEqual(Array.from(again?.scores ?? []), [0], 'NaN is saved as 0');
  });

  it('has no state before the first save', async () => {
    assert.equal(await loadValidatorState(join(dir, 'none', 'state.json')), undefined);
  });

  it('refuses corrupt files with the file name and the fault', async () => {
    const path = join(dir, 'corrupt.json');
    const cases: [string, RegExp][] = [
      ['{"version":1,"step":1,', /not JSON/],
      ['[]', /\(root\)/],
      ['{"version":2,"step":1,"scores":[],"hotkeys":[]}', /version/],
      ['{"version":1,"step":-1,"scores":[],"hotkeys":[]}', /step/],
      ['{"version":1,"step":1,"scores":[1,2],"hotkeys":["a"]}', /differ in length/],
      ['{"version":1,"step":1,"scores":["1"],"hotkeys":["a"]}', /scores\.0/],
      ['{"version":1,"step":1,"scores":[],"hotkeys":[],"extra":1}', /extra/],
    ];
    for (const [text, pattern] of cases) {
      await writeFile(path, text);
      await assert.rejects(loadValidatorState(path), isCorrupt(pattern), text);
      await assert.rejects(loadValidatorState(path), isCorrupt(/corrupt\.json is corrupt/));
    }
    await assert.rejects(loadValidatorState(dir), isCorrupt(/not a regular file/));
  });

  it('rejects bad arguments', async () => {
    await assert.rejects(loadValidatorState(''), TypeError);
    await assert.rejects(
      saveValidatorState(join(dir, 'x.json'), { step: 1, scores: [1] as never, hotkeys: ['a'] }),
      TypeError,
    );
    await assert.rejects(
      saveValidatorState(join(dir, 'x.json'), {
        step: 1.5,
        scores: new Float64Array(1),
        hotkeys: ['a'],
      }),
      RangeError,
    );
    await assert.rejects(
      saveValidatorState(join(dir, 'x.json'), {
        step: 1,
        scores: new Float64Array(2),
        hotkeys: ['a'],
      }),
      RangeError,
    );
  });
});

describe('BaseValidator saveState / loadState', () => {
  const me = keypairFromUri('//StateValidator');
  async function make(loggingDir: string) {
    const fake = new FakeSubnet([
      { hotkey: me.publicKey },
      { hotkey: fakeKey(1) },
      { hotkey: fakeKey(2) },
    ]);
    const metagraph = await fake.metagraph();
    const config = parseNeuronConfig(
      ['--logging.logging_dir', loggingDir],
      {},
      { role: 'validator' },
    );
    const v = new TemplateValidator(config, { metagraph, hotkey: me });
    v.hotkeys = metagraph.hotkeys.slice();
    v.scores = new Float64Array(3);
    return { v, fake, metagraph };
  }

  it('saves to <logging_dir>/<wallet>/<hotkey>/netuid<N>/<name>/state.json and loads it back', async () => {
    const { v, metagraph } = await make(join(dir, 'logs'));
    assert.equal(
      v.statePath,
      join(dir, 'logs', 'default', 'default', 'netuid1', 'validator', 'state.json'),
    );
    v.step = 7;
    v.scores = new Float64Array([0.5, 0.25, 0.125]);
    await v.saveState();
    const { v: w } = await make(join(dir, 'logs'));
    await w.loadState();
    assert.equal(w.step, 7);
    assert.deepEqual(Array.from(w.scores), [0.5, 0.25, 0.125]);
    assert.deepEqual(w.hotkeys, metagraph.hotkeys);
  });

  it('reconciles a loaded state with the current metagraph', async () => {
    const root = join(dir, 'logs2');
    const { v } = await make(root);
    await saveValidatorState(v.statePath, {
      step: 3,
      scores: new Float64Array([0.5, 0.25]),
      hotkeys: [v.metagraph.hotkeys[0] as string, 'replaced-since'],
    });
    await v.loadState();
    assert.equal(v.step, 3);
    assert.deepEqual(Array.from(v.scores), [0.5, 0, 0], 'uid 1 changed, uid 2 is new');
  });

  it('a corrupt state file fails clearly and leaves the state as it was', async () => {
    const { v } = await make(join(dir, 'logs3'));
    v.step = 5;
    v.scores = new Float64Array([0.1, 0.2, 0.3]);
    await v.saveState();
    const good = await readFile(v.statePath, 'utf8');
    await writeFile(v.statePath, good.slice(0, -5));
    await assert.rejects(v.loadState(), isCorrupt(/state\.json is corrupt/));
    assert.equal(v.step, 5);
    assert.deepEqual(Array.from(v.scores), [0.1, 0.2, 0.3]);
    assert.equal(v.hotkeys.length, 3);
  });
});
