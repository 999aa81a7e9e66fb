import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadModel } from './model.js';
import { MAX_TEXT_CHARS, parseAnalyzeRequest, TASKS } from './protocol.js';
import { createRng } from './rng.js';
import { belongsTo } from './scoring.js';
import { composeText, DEFAULT_TEXTS_PER_MINER, generateStep, generateTexts } from './tasks.js';

const uids = [0, 3, 7, 12, 40];

describe('generateStep', () => {
  it('is deterministic per (seed, step, uid)', () => {
    const a = generateStep({ seed: 'secret', step: 9, uids });
    const b = generateStep({ seed: 'secret', step: 9n, uids });
    assert.deepEqual(a, b);
    // A miner's task does not depend on which other miners are queried alongside it.
    const alone = generateStep({ seed: 'secret', step: 9, uids: [7] });
    assert.deepEqual(
      alone[0],
      a.find((t) => t.uid === 7),
    );
    assert.notDeepEqual(generateStep({ seed: 'other', step: 9, uids }), a);
  });

  it('gives every miner distinct, fresh texts across steps', () => {
    const seen = new Set<string>();
    let total = 0;
    for (let step = 0; step < 60; step++) {
      for (const task of generateStep({ seed: 'fresh', step, uids })) {
        assert.equal(task.texts.length, DEFAULT_TEXTS_PER_MINER);
        for (const t of task.texts) {
          total++;
          seen.add(t);
        }
      }
    }
    assert.equal(seen.size, total, 'a text repeated across steps or miners');
  });

  it('asks for all tasks by default, valid requests within the limits', () => {
    for (const task of generateStep({ seed: 's', step: 1, uids, textsPerMiner: 32 })) {
      assert.deepEqual(task.tasks, [...TASKS]);
      assert.ok(task.texts.every((t) => t.length > 0 && t.length <= MAX_TEXT_CHARS));
      parseAnalyzeRequest({ texts: task.texts, tasks: task.tasks });
    }
  });

  it("draws a random non-empty subset of tasks with tasks: 'random'", () => {
    const subsets = new Set<string>();
    for (let step = 0; step < 40; step++) {
      for (const task of generateStep({ seed: 'r', step, uids, tasks: 'random' })) {
        assert.ok(task.tasks.length >= 1);
        parseAnalyzeRequest({ texts: task.texts, tasks: task.tasks });
        subsets.add(task.tasks.join());
      }
    }
    assert.equal(subsets.size, 7);
  });

  it('composes texts in which the model finds entities, and honest answers belong to them', () => {
    const model = loadModel();
    for (let step = 0; step < 40; step++) {
      for (const task of generateStep({ seed: 'entities', step, uids })) {
        for (const text of task.texts) {
          const r = model.analyzeText(text, TASKS);
          assert.ok(r.entities.length > 0, `no entity in: ${text}`);
          assert.ok(belongsTo(text, r, TASKS), `honest answer does not bind: ${text}`);
        }
      }
    }
  });

  it('rejects bad parameters', () => {
    assert.throws(() => generateStep(null as never), TypeError);
    assert.throws(() => generateStep({ seed: 's', step: -1, uids }), RangeError);
    assert.throws(() => generateStep({ seed: 's', step: 1.5, uids }), RangeError);
    assert.throws(() => generateStep({ seed: 's', step: '1' as never, uids }), RangeError);
    assert.throws(() => generateStep({ seed: 's', step: 1, uids: [1, 1] }), RangeError);
    assert.throws(() => generateStep({ seed: 's', step: 1, uids: [-1] }), RangeError);
    assert.throws(() => generateStep({ seed: 's', step: 1, uids: 'x' as never }), TypeError);
    assert.throws(() => generateStep({ seed: 's', step: 1, uids, textsPerMiner: 0 }), RangeError);
    assert.throws(() => generateStep({ seed: 's', step: 1, uids, textsPerMiner: 33 }), RangeError);
    assert.throws(() => generateStep({ seed: 's', step: 1, uids, tasks: [] }), TypeError);
    assert.throws(
      () => generateStep({ seed: 's', step: 1, uids, tasks: ['pos', 'pos'] }),
      TypeError,
    );
    assert.throws(
      () => generateStep({ seed: 's', step: 1, uids, tasks: ['summarise' as 'pos'] }),
      TypeError,
    );
  });
});

describe('generateTexts / composeText', () => {
  it('avoids texts already taken', () => {
    const taken = new Set(generateTexts(createRng('t'), 16));
    const before = new Set(taken);
    const more = generateTexts(createRng('t'), 16, taken);
    assert.ok(more.every((t) => !before.has(t)));
    assert.equal(taken.size, 32);
  });

  it('fills every slot', () => {
    const rng = createRng('slots');
    for (let i = 0; i < 500; i++) assert.doesNotMatch(composeText(rng), /[{}]/);
  });
});
