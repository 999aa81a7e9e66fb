// End to end over loopback: one real Axon per behaviour, a real Dendrite as the validator,
// tasks from the generator, rewards from the scorer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import {
  Axon,
  type AxonResponseEvent,
  type AxonTarget,
  Dendrite,
  type NeuronRecord,
  prepareRequest,
} from '@taoscript/sdk';
import {
  type AnalyzeHandler,
  type BehaviourName,
  copier,
  garbage,
  honest,
  lazy,
  slow,
} from './behaviours.js';
import { analyze } from './model.js';
import { Analyze, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, MAX_TEXTS } from './protocol.js';
import { createRng } from './rng.js';
import { responseFromSynapse, scoreStep } from './scoring.js';
import { generateStep } from './tasks.js';

const validatorKey = keypairFromUri('//Validator');
const SLOW_MS = 1000;
const TIMEOUT = 5;
const UIDS: Record<BehaviourName, number> = { honest: 1, slow: 2, lazy: 3, garbage: 4, copier: 5 };
const keys = Object.fromEntries(
  Object.keys(UIDS).map((name) => [name, keypairFromUri(`//Miner${name}`)]),
) as Record<BehaviourName, ReturnType<typeof keypairFromUri>>;

// The metagraph as the axons see it: only the validator holds a validator permit.
const registry = new Map<string, NeuronRecord>([
  [validatorKey.address(), { uid: 0, validatorPermit: true, stake: 10n ** 12n }],
  ...Object.entries(UIDS).map(
    ([name, uid]) =>
      [keys[name as BehaviourName].address(), { uid, validatorPermit: false, stake: 0n }] as const,
  ),
]);
const neurons = { lookup: (hotkey: string) => registry.get(hotkey) };

interface Served {
  axon: Axon;
  target: AxonTarget;
  events: AxonResponseEvent[];
  /** Resolves with the `index`-th event once the axon has answered that many requests. */
  event(index: number): Promise<AxonResponseEvent>;
}

const served = {} as Record<BehaviourName, Served>;
const copierDendrite = new Dendrite({ keypair: keys.copier });
const validator = new Dendrite({ keypair: validatorKey, maxResponseBytes: MAX_RESPONSE_BYTES });

async function serve(name: BehaviourName, handler: AnalyzeHandler): Promise<Served> {
  const events: AxonResponseEvent[] = [];
  const waiters: (() => void)[] = [];
  const axon = new Axon({
    keypair: keys[name],
    host: '127.0.0.1',
    port: 0,
    neurons,
    requireValidatorPermit: true,
    maxBodyBytes: MAX_REQUEST_BYTES,
    onResponse: (e) => {
      events.push(e);
      for (const w of waiters.splice(0)) w();
    },
  });
  axon.attach(Analyze, handler);
  await axon.start();
  const event = async (index: number): Promise<AxonResponseEvent> => {
    while (events.length <= index) await new Promise<void>((resolve) => waiters.push(resolve));
    return events[index]!;
  };
  return {
    axon,
    events,
    event,
    target: { ip: '127.0.0.1', port: axon.port, hotkey: axon.hotkey },
  };
}

before(async () => {
  served.honest = await serve('honest', honest());
  served.slow = await serve('slow', slow({ delayMs: SLOW_MS }));
  served.lazy = await serve('lazy', lazy());
  served.garbage = await serve('garbage', garbage({ seed: 'e2e' }));
  served.copier = await serve(
    'copier',
    copier({ dendrite: copierDendrite, source: served.honest.target, timeout: TIMEOUT }),
  );
});

after(async () => {
  await Promise.all(Object.values(served).map((s) => s.axon.stop()));
  await copierDendrite.close();
  await validator.close();
});

describe('inference subnet over loopback', { timeout: 30_000 }, () => {
  it('rewards honest > slow > lazy > garbage ≈ 0 and refuses the copier', async (t) => {
    const names = Object.keys(UIDS) as BehaviourName[];
    const tasks = generateStep({ seed: 'e2e-secret', step: 1, uids: names.map((n) => UIDS[n]) });
    const answered = await Promise.all(
      names.map((name, i) =>
        validator.call(served[name].target, Analyze.create(tasks[i]!), { timeout: TIMEOUT }),
      ),
    );
    for (const [i, a] of answered.entries()) {
      assert.equal(a.dendrite.status_code, 200, `${names[i]}: ${a.dendrite.status_message}`);
    }
    // The honest miner's answers are the model's, end to end.
    assert.deepEqual(answered[0]!.results, analyze(tasks[0]!.texts, tasks[0]!.tasks));

    const scores = scoreStep(
      tasks.map((task, i) => ({ task, response: responseFromSynapse(answered[i]!) })),
      { rng: createRng('e2e-secret', 'verify', 1), timeout: TIMEOUT },
    );
    const reward = Object.fromEntries(names.map((n, i) => [n, scores[i]!.reward])) as Record<
      BehaviourName,
      number
    >;
    const flags = Object.fromEntries(names.map((n, i) => [n, scores[i]!.flags]));
    for (const n of names) t.diagnostic(`${n}: ${reward[n].toFixed(4)} [${flags[n]!.join(', ')}]`);
    assert.ok(reward.honest > reward.slow, `honest ${reward.honest} > slow ${reward.slow}`);
    assert.ok(reward.slow > reward.lazy, `slow ${reward.slow} > lazy ${reward.lazy}`);
    assert.ok(reward.lazy > reward.garbage, `lazy ${reward.lazy} > garbage ${reward.garbage}`);
    assert.ok(reward.honest > 0.9);
    // The slow miner pays for its delay: its measured round trip includes it.
    assert.ok(answered[1]!.dendrite.process_time! >= SLOW_MS / 1000);
    assert.ok(reward.slow <= 0.8 + 0.2 * (1 - SLOW_MS / 1000 / TIMEOUT) + 1e-9);
    assert.ok(reward.garbage < 0.01);
    assert.equal(reward.copier, 0);
    assert.deepEqual(flags.honest, []);
    assert.deepEqual(flags.lazy, ['caught']);
    assert.deepEqual(flags.copier, ['foreign']);

    // The copier tried to relay its task to the honest miner and was refused by the
    // validator-permit blacklist before any work was done.
    const refused = served.honest.events.filter((e) => e.hotkey === keys.copier.address());
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.status, 403);
    assert.equal(refused[0]!.handlerRan, false);
    assert.match(refused[0]!.message ?? '', /Non-validator hotkey/);
  });

  it('scores a miner that misses the deadline 0, and its handler is aborted', async () => {
    const [task] = generateStep({ seed: 'e2e-secret', step: 2, uids: [UIDS.slow] });
    const before = served.slow.events.length;
    const result = await validator.call(served.slow.target, Analyze.create(task!), {
      timeout: 0.1,
    });
    assert.equal(result.dendrite.status_code, 408);
    const [score] = scoreStep([{ task: task!, response: responseFromSynapse(result) }], {
      rng: createRng('v'),
      timeout: 0.1,
    });
    assert.deepEqual([score!.reward, score!.flags], [0, ['failed']]);
    // The axon gives up at its own deadline or when the client disconnects, long before the
    // slow miner's delay would end (the test runner's timeout bounds the wait).
    const event = await served.slow.event(before);
    assert.ok([408, 499].includes(event.status), `status ${event.status}`);
    assert.equal(event.handlerRan, true);
  });

  it('rejects hostile requests before the handler runs', async () => {
    const target = served.honest.target;
    const prepared = await prepareRequest(Analyze.create({ texts: ['ok'], tasks: ['pos'] }), {
      keypair: validatorKey,
      hotkey: validatorKey.address(),
      uuid: validator.uuid,
      target,
    });
    const url = `http://127.0.0.1:${target.port}${prepared.path}`;

    // Too many texts, with a correctly signed header set (the axon checks the body first).
    const body = JSON.parse(prepared.body) as Record<string, unknown>;
    body.texts = Array.from({ length: MAX_TEXTS + 1 }, () => 'x');
    const count = served.honest.events.length;
    const tooMany = await fetch(url, {
      method: 'POST',
      headers: prepared.headers,
      body: JSON.stringify(body),
    });
    assert.equal(tooMany.status, 500);
    await tooMany.body?.cancel();
    const event = served.honest.events[count]!;
    assert.equal(event.status, 500);
    assert.equal(event.handlerRan, false);

    // A body over the size limit is refused from its declared length, unread.
    const fresh = await prepareRequest(Analyze.create({ texts: ['ok'], tasks: ['pos'] }), {
      keypair: validatorKey,
      hotkey: validatorKey.address(),
      uuid: validator.uuid,
      target,
    });
    const huge = await fetch(url, {
      method: 'POST',
      headers: fresh.headers,
      body: 'x'.repeat(MAX_REQUEST_BYTES + 1),
    });
    assert.equal(huge.status, 413);
    await huge.body?.cancel();
    assert.equal(served.honest.events.at(-1)!.handlerRan, false);
  });
});
