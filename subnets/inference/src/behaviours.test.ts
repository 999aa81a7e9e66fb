import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AxonTarget, QueryOptions } from '@taoscript/sdk';
import {
  type AnalyzeHandler,
  copier,
  garbage,
  honest,
  lazy,
  type Relay,
  slow,
} from './behaviours.js';
import { analyze, MODEL_ID } from './model.js';
import { Analyze, type AnalyzeSynapse, parseAnalyzeResponse, TASKS } from './protocol.js';
import { generateStep, type MinerTask } from './tasks.js';

const live = () => ({ signal: new AbortController().signal });
const [task, other] = generateStep({ seed: 'behaviours', step: 1, uids: [1, 2] }) as [
  MinerTask,
  MinerTask,
];
const target: AxonTarget = {
  ip: '127.0.0.1',
  port: 9000,
  hotkey: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
};

/** A relay that answers from a script and records what it was asked. */
function scriptedRelay(answer: (s: AnalyzeSynapse) => { status: number; results?: unknown }) {
  const calls: { texts: string[]; options: QueryOptions | undefined }[] = [];
  const relay: Relay = {
    async call(_target, synapse, options) {
      calls.push({ texts: synapse.texts, options });
      const { status, results } = answer(synapse);
      return Analyze.create(
        {
          texts: synapse.texts,
          tasks: synapse.tasks,
          ...(results === undefined ? {} : { results: results as never, model: MODEL_ID }),
        },
        { dendrite: { status_code: status } },
      );
    },
  };
  return { relay, calls };
}

describe('behaviours', () => {
  const all: [string, () => AnalyzeHandler][] = [
    ['honest', honest],
    ['slow', () => slow({ delayMs: 1 })],
    ['lazy', lazy],
    ['garbage', () => garbage({ seed: 'g' })],
    [
      'copier',
      () => copier({ dendrite: scriptedRelay(() => ({ status: 403 })).relay, source: target }),
    ],
  ];
  for (const [name, make] of all) {
    it(`${name} returns a schema-valid response with one result per text`, async () => {
      for (const tasks of [[...TASKS], ['sentiment'], ['pos']] as const) {
        const res = await make()({ texts: task.texts, tasks: [...tasks] }, live());
        parseAnalyzeResponse(res);
        assert.equal(res.results.length, task.texts.length);
        assert.equal(res.model, MODEL_ID);
      }
    });
    it(`${name} rejects an invalid request`, async () => {
      await assert.rejects(make()({ texts: [], tasks: ['pos'] }, live()), RangeError);
    });
  }

  it('honest gives the model output', async () => {
    const res = await honest()(task, live());
    assert.deepEqual(res.results, analyze(task.texts, task.tasks));
  });

  it('slow answers honestly after its delay', async () => {
    const t0 = performance.now();
    const res = await slow({ delayMs: 30 })(task, live());
    assert.ok(performance.now() - t0 >= 29);
    assert.deepEqual(res.results, analyze(task.texts, task.tasks));
  });

  it('slow stops waiting when the request is aborted', async () => {
    const controller = new AbortController();
    const pending = slow({ delayMs: 60_000 })(task, { signal: controller.signal });
    const t0 = performance.now();
    controller.abort(new Error('deadline'));
    await assert.rejects(pending, { name: 'AbortError' });
    assert.ok(performance.now() - t0 < 1000);
  });

  it('slow rejects a bad delay', () => {
    assert.throws(() => slow({ delayMs: -1 }), RangeError);
    assert.throws(() => slow({ delayMs: Number.NaN }), RangeError);
    assert.throws(() => slow({} as never), RangeError);
  });

  it('lazy gets sentiment right and skips entities and tags', async () => {
    const res = await lazy()(task, live());
    const truth = analyze(task.texts, task.tasks);
    res.results.forEach((r, i) => {
      assert.equal(r.sentiment, truth[i]!.sentiment);
      assert.deepEqual(r.entities, []);
      assert.ok(r.pos.length > 0);
      assert.notDeepEqual(r.pos, truth[i]!.pos);
    });
  });

  it('garbage repeats per seed and differs from the model', async () => {
    const a = await garbage({ seed: 'x' })(task, live());
    const b = await garbage({ seed: 'x' })(task, live());
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.results, analyze(task.texts, task.tasks));
  });

  it('copier forwards the request with the axon signal and returns what it gets', async () => {
    const truth = analyze(task.texts, task.tasks);
    const { relay, calls } = scriptedRelay(() => ({ status: 200, results: truth }));
    const ctx = live();
    const res = await copier({ dendrite: relay, source: () => target, timeout: 3 })(task, ctx);
    assert.deepEqual(res.results, truth);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.texts, task.texts);
    assert.equal(calls[0]!.options?.signal, ctx.signal);
    assert.equal(calls[0]!.options?.timeout, 3);
  });

  it('copier replays a stale answer when the relay is refused', async () => {
    let refuse = false;
    const truth = analyze(task.texts, task.tasks);
    const { relay } = scriptedRelay(() =>
      refuse ? { status: 403 } : { status: 200, results: truth },
    );
    const handler = copier({ dendrite: relay, source: target });
    await handler(task, live());
    refuse = true;
    const res = await handler(other, live());
    // The answers for the first task, replayed for the second one.
    assert.deepEqual(res.results, truth.slice(0, other.texts.length));
    assert.notDeepEqual(res.results, analyze(other.texts, other.tasks));
  });

  it('copier answers neutral placeholders with nothing to copy', async () => {
    const res = await copier({
      dendrite: scriptedRelay(() => ({ status: 503 })).relay,
      source: () => undefined,
    })(task, live());
    assert.ok(
      res.results.every((r) => r.sentiment === 0 && r.entities.length === 0 && r.pos.length === 0),
    );
  });

  it('copier needs a dendrite', () => {
    assert.throws(() => copier({ dendrite: {} as Relay, source: target }), TypeError);
  });
});
