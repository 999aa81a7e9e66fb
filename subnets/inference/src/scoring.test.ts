import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type AnalyzeHandler, copier, garbage, honest, lazy, type Relay } from './behaviours.js';
import { analyze, MODEL_ID } from './model.js';
import { Analyze, type AnalyzeResult, TASKS, type Task } from './protocol.js';
import { createRng } from './rng.js';
import {
  belongsTo,
  type MinerResponse,
  type MinerScore,
  type ScoreEntry,
  scoreStep,
  speedOf,
  textCorrectness,
} from './scoring.js';
import { generateStep, type MinerTask } from './tasks.js';

const FC_SEED = process.env.FC_SEED;
const fcSeed = FC_SEED !== undefined && FC_SEED !== '' ? Number(FC_SEED) : undefined;
if (fcSeed !== undefined && !Number.isInteger(fcSeed))
  throw new Error('FC_SEED must be an integer');
const fcOptions = (numRuns: number) =>
  fcSeed === undefined ? { numRuns } : { numRuns, seed: fcSeed };

const TIMEOUT = 12;
const live = () => ({ signal: new AbortController().signal });

function ok(results: readonly AnalyzeResult[], processTime: number): MinerResponse {
  return { status: 200, processTime, results, model: MODEL_ID };
}

async function run(handler: AnalyzeHandler, task: MinerTask, processTime: number) {
  const res = await handler({ texts: task.texts, tasks: task.tasks }, live());
  return ok(res.results, processTime);
}

/** A copier whose relay worked once (for `previous`), and is refused from then on. */
async function staleCopier(previous: MinerTask): Promise<AnalyzeHandler> {
  let refuse = false;
  const truth = analyze(previous.texts, previous.tasks);
  const relay: Relay = {
    async call(_t, synapse) {
      return Analyze.create(
        {
          texts: synapse.texts,
          tasks: synapse.tasks,
          ...(refuse ? {} : { results: truth, model: MODEL_ID }),
        },
        { dendrite: { status_code: refuse ? 403 : 200 } },
      );
    },
  };
  const handler = copier({
    dendrite: relay,
    source: {
      ip: '127.0.0.1',
      port: 9000,
      hotkey: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
    },
  });
  await handler(previous, live());
  refuse = true;
  return handler;
}

function byUid(scores: MinerScore[]): Map<number, MinerScore> {
  return new Map(scores.map((s) => [s.uid, s]));
}

describe('scoreStep: behaviours', () => {
  it('orders honest > slow > lazy > garbage ≈ 0, and a stale copier ≈ 0', async () => {
    const [h, s, l, g, c] = generateStep({ seed: 'order', step: 5, uids: [0, 1, 2, 3, 4] }) as [
      MinerTask,
      MinerTask,
      MinerTask,
      MinerTask,
      MinerTask,
    ];
    const [previous] = generateStep({ seed: 'order', step: 4, uids: [4] }) as [MinerTask];
    const entries: ScoreEntry[] = [
      { task: h, response: await run(honest(), h, 0.05) },
      { task: s, response: await run(honest(), s, 3) },
      { task: l, response: await run(lazy(), l, 0.02) },
      { task: g, response: await run(garbage(), g, 0.01) },
      { task: c, response: await run(await staleCopier(previous), c, 0.01) },
    ];
    const scores = byUid(scoreStep(entries, { rng: createRng('verify', 5), timeout: TIMEOUT }));
    const r = (uid: number) => scores.get(uid)!.reward;
    assert.ok(r(0) > r(1), 'honest > slow');
    assert.ok(r(1) > r(2), 'slow > lazy');
    assert.ok(r(2) > r(3), 'lazy > garbage');
    assert.ok(r(0) > 0.99);
    assert.ok(Math.abs(r(1) - (0.8 + 0.2 * (1 - 3 / 12))) < 1e-12);
    assert.ok(r(2) > 0 && r(2) < 0.05);
    assert.equal(r(3), 0);
    assert.equal(r(4), 0);
    assert.deepEqual(scores.get(0)!.flags, []);
    assert.deepEqual(scores.get(1)!.flags, []);
    assert.deepEqual(scores.get(2)!.flags, ['caught']);
    assert.ok(scores.get(2)!.correctness > 0.3 && scores.get(2)!.correctness < 0.34);
    assert.deepEqual(scores.get(4)!.flags, ['foreign']);
  });

  it("flags a copier that returns another miner's answers for different texts", async () => {
    // Sentiment only: the copied answers look plausible (no entity values to check).
    const [a, b] = generateStep({
      seed: 'copy',
      step: 1,
      uids: [1, 2],
      tasks: ['sentiment'],
    }) as [MinerTask, MinerTask];
    const answersOfA = analyze(a.texts, a.tasks);
    const scores = byUid(
      scoreStep(
        [
          { task: a, response: ok(answersOfA, 0.05) },
          { task: b, response: ok(answersOfA, 0.01) },
        ],
        { rng: createRng('v'), timeout: TIMEOUT, sampleSize: 8 },
      ),
    );
    assert.deepEqual(scores.get(1)!.flags, []);
    assert.ok(scores.get(1)!.reward > 0.99);
    assert.deepEqual(scores.get(2)!.flags, ['copied']);
    assert.equal(scores.get(2)!.reward, 0);
  });

  it("flags a relay of another miner's full answers as foreign", () => {
    const [a, b] = generateStep({ seed: 'relay', step: 1, uids: [1, 2] }) as [MinerTask, MinerTask];
    const scores = scoreStep([{ task: b, response: ok(analyze(a.texts, a.tasks), 0.01) }], {
      rng: createRng('v'),
      timeout: TIMEOUT,
    });
    assert.deepEqual(scores[0]!.flags, ['foreign']);
    assert.equal(scores[0]!.reward, 0);
  });

  it('a successful relay earns less than the miner it relays (it pays the extra round trip)', () => {
    const [a, b] = generateStep({ seed: 'latency', step: 1, uids: [1, 2] }) as [
      MinerTask,
      MinerTask,
    ];
    const scores = scoreStep(
      [
        { task: a, response: ok(analyze(a.texts, a.tasks), 0.2) },
        // Relayed: the source's own time plus a second hop.
        { task: b, response: ok(analyze(b.texts, b.tasks), 0.2 + 0.15) },
      ],
      { rng: createRng('v'), timeout: TIMEOUT },
    );
    assert.ok(scores[0]!.reward > scores[1]!.reward);
  });

  it('scores failures 0: timeout, blacklisted, unreachable, server error, no answer', () => {
    const [t] = generateStep({ seed: 'fail', step: 1, uids: [9] }) as [MinerTask];
    const truth = analyze(t.texts, t.tasks);
    for (const status of [408, 403, 401, 503, 500, 422, null]) {
      const [score] = scoreStep(
        [{ task: t, response: { status, processTime: 0.1, results: truth, model: MODEL_ID } }],
        { rng: createRng('v'), timeout: TIMEOUT },
      );
      assert.equal(score!.reward, 0);
      assert.deepEqual(score!.flags, ['failed']);
    }
    const [none] = scoreStep(
      [{ task: t, response: { status: 200, processTime: 0.1, results: null, model: null } }],
      { rng: createRng('v'), timeout: TIMEOUT },
    );
    assert.deepEqual([none!.reward, none!.flags], [0, ['failed']]);
  });

  it('scores a wrong result count or model id 0', () => {
    const [t] = generateStep({ seed: 'shape', step: 1, uids: [9] }) as [MinerTask];
    const truth = analyze(t.texts, t.tasks);
    const opts = { rng: createRng('v'), timeout: TIMEOUT };
    const [short] = scoreStep([{ task: t, response: ok(truth.slice(1), 0.1) }], opts);
    assert.deepEqual([short!.reward, short!.flags], [0, ['malformed']]);
    const [model] = scoreStep(
      [{ task: t, response: { ...ok(truth, 0.1), model: 'some-other-model@1' } }],
      opts,
    );
    assert.deepEqual([model!.reward, model!.flags], [0, ['wrong-model']]);
  });

  it('verifies a sample of the configured size, capped by the text count', () => {
    const [t] = generateStep({ seed: 'sample', step: 1, uids: [9], textsPerMiner: 5 }) as [
      MinerTask,
    ];
    const truth = analyze(t.texts, t.tasks);
    let reran = 0;
    const reference = (text: string, tasks: readonly Task[]) => {
      reran++;
      return analyze([text], tasks)[0]!;
    };
    for (const [size, expected] of [
      [1, 1],
      [3, 3],
      [5, 5],
      [50, 5],
    ] as const) {
      reran = 0;
      const [s] = scoreStep([{ task: t, response: ok(truth, 0.1) }], {
        rng: createRng('v', size),
        timeout: TIMEOUT,
        sampleSize: size,
        reference,
      });
      assert.equal(s!.verified.length, expected);
      assert.equal(new Set(s!.verified).size, expected);
      assert.equal(reran, expected);
    }
  });

  it('a caughtFactor of 0 zeroes any miner caught wrong', async () => {
    const [t] = generateStep({ seed: 'cf', step: 1, uids: [2] }) as [MinerTask];
    const [s] = scoreStep([{ task: t, response: await run(lazy(), t, 0.01) }], {
      rng: createRng('v'),
      timeout: TIMEOUT,
      caughtFactor: 0,
    });
    assert.deepEqual([s!.reward, s!.flags], [0, ['caught']]);
  });

  it('rejects bad options', () => {
    const rng = createRng('v');
    assert.throws(() => scoreStep('x' as never, { rng, timeout: 1 }), TypeError);
    assert.throws(() => scoreStep([], {} as never), TypeError);
    assert.throws(() => scoreStep([], { rng, timeout: 0 }), RangeError);
    assert.throws(() => scoreStep([], { rng, timeout: Number.NaN }), RangeError);
    assert.throws(() => scoreStep([], { rng, timeout: 1, sampleSize: 0 }), RangeError);
    assert.throws(() => scoreStep([], { rng, timeout: 1, caughtFactor: 2 }), RangeError);
    assert.deepEqual(scoreStep([], { rng, timeout: 1 }), []);
  });
});

describe('scoring helpers', () => {
  const expected: AnalyzeResult = {
    sentiment: 0.6,
    entities: [{ value: '12%', type: 'PERCENT' }],
    pos: ['NOUN', 'VERB', 'NUM', 'SYM'],
  };

  it('textCorrectness: tolerance on sentiment, exact lists, share of tasks', () => {
    assert.equal(textCorrectness(expected, expected, TASKS), 1);
    assert.equal(textCorrectness(expected, { ...expected, sentiment: 0.60009 }, ['sentiment']), 1);
    assert.equal(textCorrectness(expected, { ...expected, sentiment: 0.6002 }, ['sentiment']), 0);
    assert.equal(
      textCorrectness(expected, { ...expected, sentiment: Number.NaN }, ['sentiment']),
      0,
    );
    const wrongType = { ...expected, entities: [{ value: '12%', type: 'CARDINAL' }] };
    assert.equal(textCorrectness(expected, wrongType, TASKS), 2 / 3);
    const extraTag = { ...expected, pos: [...expected.pos, 'PUNCT'] };
    assert.equal(textCorrectness(expected, extraTag, ['entities', 'pos']), 0.5);
    // Fields of tasks not requested do not count.
    assert.equal(textCorrectness(expected, { ...extraTag, entities: [] }, ['sentiment']), 1);
    assert.equal(textCorrectness(expected, expected, []), 0);
  });

  it('belongsTo: entity values must occur in the text, tag counts must fit it', () => {
    const text = 'Sales rose 12% .';
    assert.ok(belongsTo(text, expected, TASKS));
    assert.ok(
      !belongsTo(text, { ...expected, entities: [{ value: '13%', type: 'PERCENT' }] }, TASKS),
    );
    assert.ok(!belongsTo(text, { ...expected, pos: ['NOUN'] }, TASKS));
    assert.ok(!belongsTo(text, { ...expected, pos: Array(20).fill('X') }, TASKS));
    // Only requested tasks are checked.
    assert.ok(belongsTo(text, { ...expected, pos: [] }, ['sentiment', 'entities']));
  });

  it('speedOf: 1 − time/timeout, clamped; unknown time is 0', () => {
    assert.equal(speedOf(0, 12), 1);
    assert.equal(speedOf(3, 12), 0.75);
    assert.equal(speedOf(12, 12), 0);
    assert.equal(speedOf(20, 12), 0);
    assert.equal(speedOf(null, 12), 0);
    assert.equal(speedOf(-1, 12), 0);
    assert.equal(speedOf(Number.NaN, 12), 0);
  });
});

describe('scoreStep: properties', () => {
  it('an honest miner is never flagged and scores 0.8 + 0.2 × speed, for any tasks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.nat({ max: 1_000_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.subarray([...TASKS], { minLength: 1 }),
        fc.double({ min: 0, max: TIMEOUT, noNaN: true }),
        async (seed, step, n, tasks, time) => {
          const [t] = generateStep({ seed, step, uids: [1], textsPerMiner: n, tasks });
          const [s] = scoreStep([{ task: t!, response: await run(honest(), t!, time) }], {
            rng: createRng(seed, 'verify'),
            timeout: TIMEOUT,
            sampleSize: n,
          });
          assert.deepEqual(s!.flags, []);
          assert.equal(s!.correctness, 1);
          assert.ok(Math.abs(s!.reward - (0.8 + 0.2 * (1 - time / TIMEOUT))) < 1e-12);
        },
      ),
      fcOptions(60),
    );
  });

  it('an honest miner scores at least as much as each dishonest behaviour', async () => {
    // Requests for sentiment alone are left out: for those the lazy miner does the requested
    // work exactly (its reduced pipeline computes sentiment), so it is not dishonest there.
    const taskSets = fc
      .subarray([...TASKS], { minLength: 1 })
      .filter((ts) => ts.includes('entities') || ts.includes('pos'));
    const time = fc.double({ min: 0, max: TIMEOUT, noNaN: true });
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.nat({ max: 1_000_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        taskSets,
        fc.double({ min: 0, max: TIMEOUT / 2, noNaN: true }),
        fc.double({ min: 1e-3, max: TIMEOUT, noNaN: true }),
        fc.tuple(time, time, time),
        async (seed, step, n, sampleSize, tasks, honestTime, slowExtra, [lt, gt, ct]) => {
          const uids = [0, 1, 2, 3, 4];
          const [h, s, l, g, c] = generateStep({ seed, step, uids, textsPerMiner: n, tasks }) as [
            MinerTask,
            MinerTask,
            MinerTask,
            MinerTask,
            MinerTask,
          ];
          const [previous] = generateStep({
            seed,
            step: step + 1,
            uids: [9],
            textsPerMiner: n,
            tasks,
          });
          const slowTime = honestTime + slowExtra;
          const slowResponse = await run(honest(), s, slowTime);
          if (slowTime > TIMEOUT) slowResponse.status = 408;
          const entries: ScoreEntry[] = [
            { task: h, response: await run(honest(), h, honestTime) },
            { task: s, response: slowResponse },
            { task: l, response: await run(lazy(), l, lt) },
            { task: g, response: await run(garbage({ seed }), g, gt) },
            { task: c, response: await run(await staleCopier(previous!), c, ct) },
          ];
          const scores = scoreStep(entries, {
            rng: createRng(seed, 'verify', step),
            timeout: TIMEOUT,
            sampleSize,
          });
          const honestReward = scores[0]!.reward;
          for (const other of scores.slice(1)) {
            assert.ok(
              honestReward >= other.reward,
              `uid ${other.uid} (${other.flags.join()}) earned ${other.reward} > honest ${honestReward}`,
            );
          }
          // Everyone but the slow miner is caught or flagged.
          for (const other of scores.slice(2)) assert.ok(other.flags.length > 0);
        },
      ),
      fcOptions(60),
    );
  });
});
