import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  analyze,
  loadModel,
  loadSentimentModel,
  MODEL_ID,
  roundSentiment,
  WINK_MODEL_VERSION,
  WINK_NLP_VERSION,
} from './model.js';
import { parseAnalyzeResponse } from './protocol.js';
import { createRng } from './rng.js';
import { generateTexts } from './tasks.js';

const require = createRequire(import.meta.url);

// Outputs of wink-eng-lite-web-model 1.8.1 on wink-nlp 2.4.0, recorded once. If a dependency
// upgrade changes them, MODEL_ID changes too and every validator and miner must upgrade together.
const KNOWN = [
  {
    text: 'Maria Lopez from Northwind Labs paid $1,250 in Lisbon on 3 May 2024, and the service was excellent.',
    sentiment: 0.75,
    entities: [
      { value: '$1,250', type: 'MONEY' },
      { value: '3 May 2024', type: 'DATE' },
    ],
    pos: 'PROPN PROPN ADP PROPN PROPN VERB SYM NUM ADP PROPN ADP NUM NOUN NUM PUNCT CCONJ DET NOUN AUX ADJ PUNCT',
  },
  {
    text: 'I hate this terrible product; it cost $45 and broke in 3 days.',
    sentiment: -0.637667,
    entities: [
      { value: '$45', type: 'MONEY' },
      { value: '3 days', type: 'DURATION' },
    ],
    pos: 'PRON VERB DET ADJ NOUN PUNCT PRON VERB SYM NUM CCONJ VERB ADP NUM NOUN PUNCT',
  },
  {
    text: 'The board met at 10:30 am in Oslo; revenue rose 12% and everyone was thrilled.',
    sentiment: 0.6,
    entities: [
      { value: '10:30 am', type: 'TIME' },
      { value: '12%', type: 'PERCENT' },
    ],
    pos: 'DET NOUN VERB ADP NUM AUX ADP PROPN PUNCT NOUN VERB NUM SYM CCONJ PRON AUX VERB PUNCT',
  },
  {
    text: 'Bob works at Google in London.',
    sentiment: 0.6,
    entities: [],
    pos: 'PROPN VERB ADP PROPN ADP PROPN PUNCT',
  },
];

describe('model', () => {
  it('names the installed model and runtime versions', () => {
    assert.equal(WINK_NLP_VERSION, require('wink-nlp/package.json').version);
    assert.equal(WINK_MODEL_VERSION, require('wink-eng-lite-web-model/package.json').version);
    assert.equal(MODEL_ID, 'wink-eng-lite-web-model@1.8.1+wink-nlp@2.4.0');
    assert.equal(loadModel().id, MODEL_ID);
  });

  it('loads once and reports the load time', (t) => {
    const m = loadModel();
    assert.equal(loadModel(), m);
    assert.ok(m.loadMs > 0 && m.loadMs < 10_000, `load took ${m.loadMs} ms`);
    t.diagnostic(`model load: ${m.loadMs.toFixed(1)} ms`);
  });

  it('gives the recorded outputs on fixed sentences', () => {
    const results = analyze(
      KNOWN.map((k) => k.text),
      ['sentiment', 'entities', 'pos'],
    );
    results.forEach((r, i) => {
      const k = KNOWN[i]!;
      assert.deepEqual(r, { sentiment: k.sentiment, entities: k.entities, pos: k.pos.split(' ') });
    });
  });

  it('is deterministic and its output is a valid response', () => {
    const texts = generateTexts(createRng('model-determinism'), 16);
    const a = analyze(texts, ['sentiment', 'entities', 'pos']);
    const b = analyze(texts, ['sentiment', 'entities', 'pos']);
    assert.deepEqual(a, b);
    parseAnalyzeResponse({ results: a, model: MODEL_ID });
  });

  it('leaves fields of tasks not requested neutral', () => {
    const text = KNOWN[0]!.text;
    assert.deepEqual(analyze([text], ['entities'])[0], {
      sentiment: 0,
      entities: KNOWN[0]!.entities,
      pos: [],
    });
    assert.deepEqual(analyze([text], ['sentiment'])[0], {
      sentiment: 0.75,
      entities: [],
      pos: [],
    });
  });

  it('handles empty and whitespace-only texts', () => {
    assert.deepEqual(analyze(['', '   '], ['sentiment', 'entities', 'pos']), [
      { sentiment: 0, entities: [], pos: [] },
      { sentiment: 0, entities: [], pos: [] },
    ]);
  });

  it('rejects invalid input at the public entry', () => {
    assert.throws(() => analyze([], ['pos']), RangeError);
    assert.throws(() => analyze(['x'], ['nope' as 'pos']), TypeError);
    assert.throws(() => analyze(['a\u0000'], ['pos']), TypeError);
    assert.throws(() => analyze(null as unknown as string[], ['pos']), TypeError);
  });

  it('the reduced sentiment pipeline agrees with the full one on sentiment', () => {
    const lite = loadSentimentModel();
    const full = loadModel();
    const texts = generateTexts(createRng('lite-vs-full'), 32);
    for (const t of texts) {
      const r = lite.analyzeText(t, ['sentiment', 'entities', 'pos']);
      assert.equal(r.sentiment, full.analyzeText(t, ['sentiment']).sentiment);
      assert.deepEqual([r.entities, r.pos], [[], []]);
    }
  });

  it('rounds sentiment canonically', () => {
    assert.equal(roundSentiment(-0.6376666666666666), -0.637667);
    assert.equal(roundSentiment(1 / 3), 0.333333);
    assert.ok(Object.is(roundSentiment(-1e-9), 0));
    assert.equal(roundSentiment(Number.NaN), 0);
    assert.equal(roundSentiment(3), 1);
  });

  it('costs well under a few milliseconds per text (measured)', (t) => {
    const m = loadModel();
    const texts = generateTexts(createRng('cost'), 32);
    m.analyzeText(texts[0]!, ['sentiment']); // warm-up
    const rounds = 10;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++)
      for (const x of texts) m.analyzeText(x, ['sentiment', 'entities', 'pos']);
    const perText = (performance.now() - t0) / (rounds * texts.length);
    t.diagnostic(`per text (${texts[0]!.length}+ chars, all tasks): ${perText.toFixed(3)} ms`);
    // Generous bound: this is a CPU model; the point is that verification is cheap.
    assert.ok(perText < 20, `per-text cost ${perText} ms`);
  });
});
