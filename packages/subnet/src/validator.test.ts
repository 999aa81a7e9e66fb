import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keypairFromUri } from '@taoscript/crypto';
import { NeuronError } from './errors.js';
import type { NeuronLogger } from './logger.js';
import { seededRandom } from './scores.js';
import { TemplateValidator } from './template/validator.js';
import { FakeSubnet, fakeKey, testConfig } from './test-fixtures.js';

const TAO = 1_000_000_000n;
const me = keypairFromUri('//TemplateValidatorUnit');

function capture(): { logger: NeuronLogger; lines: string[] } {
  const lines: string[] = [];
  const rec = (lvl: string) => (_o: object, m?: string) => void lines.push(`${lvl} ${m ?? ''}`);
  return {
    logger: { debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') },
    lines,
  };
}

async function validator(argv: string[] = [], neurons = 4) {
  const fake = new FakeSubnet([
    { hotkey: me.publicKey, permit: true, stake: 5000n * TAO, serving: true },
    ...Array.from({ length: neurons - 1 }, (_, i) => ({ hotkey: fakeKey(i + 1), serving: true })),
  ]);
  const metagraph = await fake.metagraph();
  const { logger, lines } = capture();
  const v = new TemplateValidator(testConfig('validator', argv), {
    metagraph,
    hotkey: me,
    logger,
    random: seededRandom(5),
  });
  v.uid = 0;
  v.hotkeys = metagraph.hotkeys.slice();
  v.scores = new Float64Array(metagraph.n);
  return { v, fake, metagraph, lines };
}

describe('BaseValidator scores', () => {
  it('updateScores: NaN → 0 (with a warning), scatter, α from --neuron.moving_average_alpha', async () => {
    const { v, lines } = await validator(['--neuron.moving_average_alpha', '0.5']);
    v.scores = new Float64Array([0, 0.4, 0.4, 0.4]);
    v.updateScores([1, Number.NaN], [1, 2]);
    assert.deepEqual(Array.from(v.scores), [0, 0.7, 0.2, 0.2]);
    assert.ok(lines.some((l) => l.startsWith('warn NaN reward')));
    assert.throws(() => v.updateScores([1], [4]), RangeError);
  });

  it('resyncMetagraph zeroes the score of a replaced hotkey and grows with the subnet', async () => {
    const { v, fake } = await validator();
    v.scores = new Float64Array([0.1, 0.2, 0.3, 0.4]);
    const events: number[] = [];
    v.on('resync', (r) => events.push(r.block));
    // uid 2 is deregistered and taken by a new hotkey; two neurons join.
    (fake.neurons[2] as { hotkey: Uint8Array }).hotkey = fakeKey(99);
    fake.neurons.push({ hotkey: fakeKey(50) }, { hotkey: fakeKey(51) });
    fake.advance();
    const report = await v.resyncMetagraph();
    assert.deepEqual(Array.from(v.scores), [0.1, 0.2, 0, 0.4, 0, 0]);
    assert.equal(v.hotkeys.length, 6);
    assert.equal(v.hotkeys[2], v.metagraph.hotkeys[2]);
    assert.deepEqual(report.changedUids, [2, 4, 5]);
    assert.deepEqual(events, [fake.number]);
    // Nothing changed: scores stay.
    fake.advance();
    await v.resyncMetagraph();
    assert.deepEqual(Array.from(v.scores), [0.1, 0.2, 0, 0.4, 0, 0]);
  });

  it('getRandomUids samples serving uids, not itself nor validators above vpermit_tao_limit', async () => {
    const { v, fake } = await validator([], 6);
    // uid 3 is a permitted validator with 5000 TAO, uid 4 does not serve.
    Object.assign(fake.neurons[3] as object, { permit: true, stake: 5000n * TAO });
    Object.assign(fake.neurons[4] as object, { serving: false });
    fake.advance();
    await v.resyncMetagraph();
    for (let i = 0; i < 20; i++) assert.deepEqual(v.getRandomUids(10).sort(), [1, 2, 5]);
    assert.equal(v.getRandomUids(2).length, 2);
    const lenient = (await validator(['--neuron.vpermit_tao_limit', '10000'], 6)).v;
    assert.deepEqual(lenient.getRandomUids(10).sort(), [1, 2, 3, 4, 5]);
    assert.deepEqual(v.getRandomUids(1, [1, 2]), [5], 'excluded uids only fill up');
  });

  it('prepareWeights normalises and guards an all-zero or NaN score vector', async () => {
    const { v } = await validator();
    const open = { minAllowedWeights: 1, maxWeightLimit: 65_535 };
    v.scores = new Float64Array([0, 1, 3, 0]);
    assert.deepEqual(v.prepareWeights(open), { uids: [1, 2], weights: [0.25, 0.75] });
    v.scores = new Float64Array([0, 0, 0, 0]);
    assert.deepEqual(v.prepareWeights(open), {
      uids: [0, 1, 2, 3],
      weights: [0.25, 0.25, 0.25, 0.25],
    });
    v.scores = new Float64Array([Number.NaN, 2, 0, 2]);
    assert.deepEqual(v.prepareWeights(open), { uids: [1, 3], weights: [0.5, 0.5] });
    v.scores = new Float64Array([Number.NaN, Number.NaN, 0, 0]);
    const guarded = v.prepareWeights(open);
    assert.ok(guarded.weights.every(Number.isFinite));
    assert.deepEqual(guarded, { uids: [0, 1, 2, 3], weights: [0.25, 0.25, 0.25, 0.25] });
    v.scores = new Float64Array([0, 1, 0, 0]);
    const padded = v.prepareWeights({ minAllowedWeights: 3, maxWeightLimit: 65_535 });
    assert.deepEqual(padded.uids, [0, 1, 2, 3], 'padded up to min_allowed_weights');
    assert.ok((padded.weights[1] as number) > 0.99, 'the scored uid keeps nearly all the weight');
  });

  it('refuses configs and options that do not fit', async () => {
    assert.throws(() => new TemplateValidator(testConfig('miner')), /role 'validator'/);
    assert.throws(
      () => new TemplateValidator(testConfig('validator'), { specVersion: -1 }),
      RangeError,
    );
    const { metagraph } = await validator();
    assert.throws(
      () => new TemplateValidator(testConfig('validator', ['--netuid', '2']), { metagraph }),
      /netuid 1, the config says 2/,
    );
    const fresh = new TemplateValidator(testConfig('validator'));
    assert.throws(
      () => fresh.dendrite,
      (e: unknown) => e instanceof NeuronError && e.code === 'NOT_STARTED',
    );
    await fresh.stop(); // stopping a neuron that never started is a no-op
    await fresh.wait();
    await assert.rejects(
      fresh.start(),
      (e: unknown) => e instanceof NeuronError && e.code === 'ALREADY_STARTED',
    );
  });
});
