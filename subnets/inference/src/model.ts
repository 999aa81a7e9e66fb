// The model this subnet serves: wink-nlp's English "lite web" pipeline, a pretrained model
// shipped inside the `wink-eng-lite-web-model` npm package. It runs offline on the CPU and is
// deterministic (same text → same output, bit for bit), which is what lets a validator check a
// miner by re-running it. Loaded once per process.
import { createRequire } from 'node:module';
import model from 'wink-eng-lite-web-model';
import winkNLP, { type WinkMethods } from 'wink-nlp';
import {
  type AnalyzeResult,
  type Entity,
  MAX_ENTITIES,
  parseAnalyzeRequest,
  SENTIMENT_DECIMALS,
  type Task,
} from './protocol.js';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  const { version } = require(`${pkg}/package.json`) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${pkg}: no version in package.json`);
  return version;
}

/** Version of the `wink-nlp` runtime. */
export const WINK_NLP_VERSION = versionOf('wink-nlp');
/** Version of the pretrained `wink-eng-lite-web-model`. */
export const WINK_MODEL_VERSION = versionOf('wink-eng-lite-web-model');
/**
 * The model id miners report in `Analyze.model` and validators require: both package versions,
 * since either one changing can change outputs.
 */
export const MODEL_ID = `wink-eng-lite-web-model@${WINK_MODEL_VERSION}+wink-nlp@${WINK_NLP_VERSION}`;

/** A loaded pipeline. */
export interface InferenceModel {
  /** {@link MODEL_ID}. */
  readonly id: string;
  /** Milliseconds it took to load. */
  readonly loadMs: number;
  /** The canonical result for one text (no input checks: callers validate). */
  analyzeText(text: string, tasks: readonly Task[]): AnalyzeResult;
}

/**
 * Rounds a sentiment score to the canonical {@link SENTIMENT_DECIMALS} decimals, within [-1, 1].
 * @example
 * import { roundSentiment } from '@taoscript/subnet-inference';
 * roundSentiment(-0.6376666666666666); // -0.637667
 */
export function roundSentiment(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const scale = 10 ** SENTIMENT_DECIMALS;
  const r = Math.round(x * scale) / scale;
  // Never emit -0 (Python would print it as -0.0).
  return Object.is(r, -0) ? 0 : Math.min(1, Math.max(-1, r));
}

function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

function makeModel(nlp: WinkMethods, loadMs: number): InferenceModel {
  const its = nlp.its;
  return {
    id: MODEL_ID,
    loadMs,
    analyzeText(text, tasks) {
      const doc = nlp.readDoc(text);
      const result: AnalyzeResult = { sentiment: 0, entities: [], pos: [] };
      if (tasks.includes('sentiment'))
        result.sentiment = roundSentiment(toNumber(doc.out(its.sentiment)));
      if (tasks.includes('entities')) {
        const found = doc.entities().out(its.detail) as unknown as {
          value: unknown;
          type: unknown;
        }[];
        const entities: Entity[] = [];
        for (const e of found) {
          if (entities.length === MAX_ENTITIES) break;
          entities.push({ value: String(e.value), type: String(e.type) });
        }
        result.entities = entities;
      }
      if (tasks.includes('pos')) result.pos = (doc.tokens().out(its.pos) as string[]).map(String);
      return result;
    },
  };
}

let full: InferenceModel | undefined;
let sentimentOnly: InferenceModel | undefined;

/**
 * The full pipeline (tokens, sentences, negation, sentiment, POS, named entities), loaded on
 * first use and shared afterwards.
 * @example
 * import { loadModel } from '@taoscript/subnet-inference';
 * loadModel().analyzeText('Acme paid $5.', ['entities']).entities; // [{ value: '$5', type: 'MONEY' }]
 */
export function loadModel(): InferenceModel {
  if (full === undefined) {
    const t0 = performance.now();
    const nlp = winkNLP(model);
    full = makeModel(nlp, performance.now() - t0);
  }
  return full;
}

/**
 * A reduced pipeline (sentences, negation, sentiment; no POS tagger, no entity recogniser):
 * cheaper, exact on sentiment, useless for the other tasks. Used by the `lazy` miner.
 * @example
 * import { loadSentimentModel } from '@taoscript/subnet-inference';
 * loadSentimentModel().analyzeText('What a fantastic day!', ['sentiment']).sentiment;
 */
export function loadSentimentModel(): InferenceModel {
  if (sentimentOnly === undefined) {
    const t0 = performance.now();
    const nlp = winkNLP(model, ['sbd', 'negation', 'sentiment']);
    const inner = makeModel(nlp, performance.now() - t0);
    sentimentOnly = {
      id: inner.id,
      loadMs: inner.loadMs,
      analyzeText: (text, tasks) => ({
        sentiment: inner.analyzeText(text, ['sentiment']).sentiment,
        entities: [],
        pos: [],
        ...(tasks.includes('sentiment') ? {} : { sentiment: 0 }),
      }),
    };
  }
  return sentimentOnly;
}

/**
 * Runs the model on each text: the canonical answer to an `Analyze` request. Fields of tasks
 * not requested are neutral (0, [], []). Throws TypeError/RangeError for invalid input.
 * @example
 * import { analyze } from '@taoscript/subnet-inference';
 * const [r] = analyze(['I love this.'], ['sentiment', 'pos']);
 */
export function analyze(texts: readonly string[], tasks: readonly Task[]): AnalyzeResult[] {
  const req = parseAnalyzeRequest({ texts, tasks });
  const m = loadModel();
  return req.texts.map((t) => m.analyzeText(t, req.tasks));
}
