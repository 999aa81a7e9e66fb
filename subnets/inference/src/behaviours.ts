// Miner behaviours: Analyze handlers of different honesty and quality. `honest` is what a real
// miner runs; the others simulate the miners a validator must tell apart (a slow machine, a
// miner that skips work, one that returns noise, one that copies). The localnet runs one of each
// and tests use them to show that bad miners earn less.
//
// Each factory returns a handler that fits `axon.attach(Analyze, handler)`: it receives the
// synapse (its `texts` and `tasks`) and a context with an AbortSignal, and returns the response
// fields.
import { setTimeout as delay } from 'node:timers/promises';
import type { AxonTarget, QueryOptions } from '@taoscript/sdk';
import { loadModel, loadSentimentModel, MODEL_ID } from './model.js';
import {
  Analyze,
  type AnalyzeRequest,
  type AnalyzeResponse,
  type AnalyzeResult,
  type AnalyzeSynapse,
  POS_TAGS,
  parseAnalyzeRequest,
  type Task,
} from './protocol.js';
import { createRng, type RngSeed } from './rng.js';

/** The part of the axon's handler context a behaviour uses. */
export interface BehaviourContext {
  /** Fires when the axon gives up on the request (deadline, disconnect, shutdown). */
  signal: AbortSignal;
}

/** An Analyze handler: request fields in, response fields out. */
export type AnalyzeHandler = (
  request: AnalyzeRequest,
  ctx: BehaviourContext,
) => Promise<AnalyzeResponse>;

/** Names of the built-in behaviours. */
export const BEHAVIOURS = ['honest', 'slow', 'lazy', 'garbage', 'copier'] as const;

/** A built-in behaviour's name. */
export type BehaviourName = (typeof BEHAVIOURS)[number];

function checkedRequest(request: AnalyzeRequest): AnalyzeRequest {
  // The axon has already validated the body; this keeps direct callers honest too.
  return parseAnalyzeRequest({ texts: request.texts, tasks: request.tasks });
}

/**
 * Runs the model on every text: the correct answer, as fast as this machine allows.
 * @example
 * import { Analyze, honest } from '@taoscript/subnet-inference';
 * axon.attach(Analyze, honest());
 */
export function honest(): AnalyzeHandler {
  const model = loadModel();
  return async (request, ctx) => {
    const { texts, tasks } = checkedRequest(request);
    ctx.signal.throwIfAborted();
    return { results: texts.map((t) => model.analyzeText(t, tasks)), model: MODEL_ID };
  };
}

/** Options of {@link slow}. */
export interface SlowOptions {
  /** Milliseconds added before answering (a slow machine). */
  delayMs: number;
}

/**
 * Honest answers after an extra delay; stops waiting when the axon aborts the request.
 * @example
 * import { Analyze, slow } from '@taoscript/subnet-inference';
 * axon.attach(Analyze, slow({ delayMs: 500 }));
 */
export function slow(options: SlowOptions): AnalyzeHandler {
  const delayMs = options?.delayMs;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    throw new RangeError('slow: delayMs must be a finite number ≥ 0');
  }
  const inner = honest();
  return async (request, ctx) => {
    await delay(delayMs, undefined, { signal: ctx.signal });
    return inner(request, ctx);
  };
}

// Suffix rules of a deliberately crude tagger.
const CRUDE_TOKEN = /[A-Za-z]+|\d+(?:[.,:]\d+)*|[^\sA-Za-z\d]/g;

function crudeTag(token: string): string {
  if (/^\d/.test(token)) return 'NUM';
  if (/^[^A-Za-z]$/.test(token)) return /[$%#@]/.test(token) ? 'SYM' : 'PUNCT';
  if (/^[A-Z]/.test(token)) return 'PROPN';
  if (/ly$/.test(token)) return 'ADV';
  if (/(ed|ing)$/.test(token)) return 'VERB';
  return 'NOUN';
}

/**
 * Skips most of the work: runs only the cheap sentiment stage of the pipeline (so sentiment is
 * right), reports no entities and tags tokens with a crude suffix rule. Partially correct.
 * @example
 * import { Analyze, lazy } from '@taoscript/subnet-inference';
 * axon.attach(Analyze, lazy());
 */
export function lazy(): AnalyzeHandler {
  const model = loadSentimentModel();
  return async (request, ctx) => {
    const { texts, tasks } = checkedRequest(request);
    ctx.signal.throwIfAborted();
    return {
      results: texts.map((t) => ({
        sentiment: model.analyzeText(t, tasks).sentiment,
        entities: [],
        pos: tasks.includes('pos') ? (t.match(CRUDE_TOKEN) ?? []).map(crudeTag) : [],
      })),
      model: MODEL_ID,
    };
  };
}

/** Options of {@link garbage}. */
export interface GarbageOptions {
  /** Seed of its noise (default: a fixed string, so runs repeat). */
  seed?: RngSeed;
}

const ENTITY_TYPES = ['DATE', 'TIME', 'MONEY', 'PERCENT', 'CARDINAL', 'ORDINAL', 'DURATION'];

/**
 * Random but schema-valid answers: noise sentiment, random words as entities, random tags.
 * @example
 * import { Analyze, garbage } from '@taoscript/subnet-inference';
 * axon.attach(Analyze, garbage({ seed: 'noise' }));
 */
export function garbage(options: GarbageOptions = {}): AnalyzeHandler {
  const rng = createRng(options.seed ?? 'garbage-miner');
  return async (request) => {
    const { texts } = checkedRequest(request);
    const results = texts.map((t): AnalyzeResult => {
      const words = t.split(/\s+/).filter((w) => w.length > 0);
      const entities =
        words.length === 0
          ? []
          : Array.from({ length: rng.int(4) }, () => ({
              value: rng.pick(words),
              type: rng.pick(ENTITY_TYPES),
            }));
      return {
        sentiment: Math.round((rng.next() * 2 - 1) * 1e6) / 1e6,
        entities,
        pos: Array.from({ length: rng.range(1, 40) }, () => rng.pick(POS_TAGS)),
      };
    });
    return { results, model: MODEL_ID };
  };
}

/** Something that can send one Analyze query (a `Dendrite` from @taoscript/sdk fits). */
export interface Relay {
  call(
    target: AxonTarget,
    synapse: AnalyzeSynapse,
    options?: QueryOptions,
  ): Promise<AnalyzeSynapse>;
}

/** Options of {@link copier}. */
export interface CopierOptions {
  /** The copier's own dendrite, used to forward requests. */
  dendrite: Relay;
  /** The miner to copy from (or a function choosing one per request). */
  source: AxonTarget | (() => AxonTarget | undefined);
  /** Seconds for the relayed call (default 12). */
  timeout?: number;
}

function neutral(texts: readonly string[]): AnalyzeResult[] {
  return texts.map(() => ({ sentiment: 0, entities: [], pos: [] }));
}

/**
 * Does no work: forwards the request to another miner's axon with its own dendrite and returns
 * whatever comes back. When the relay fails (honest miners refuse non-validators), it replays
 * the last answer it managed to copy, cut or padded to the number of texts: a stale answer for
 * other texts. With nothing cached it returns neutral placeholders.
 * @example
 * import { Analyze, copier } from '@taoscript/subnet-inference';
 * axon.attach(Analyze, copier({ dendrite, source: { ip: '127.0.0.1', port, hotkey } }));
 */
export function copier(options: CopierOptions): AnalyzeHandler {
  if (typeof options?.dendrite?.call !== 'function') {
    throw new TypeError('copier: dendrite must have a call() method');
  }
  const timeout = options.timeout ?? 12;
  let cached: AnalyzeResult[] = [];
  const stale = (texts: readonly string[], tasks: readonly Task[]): AnalyzeResponse => {
    if (cached.length === 0) return { results: neutral(texts), model: MODEL_ID };
    const results = texts.map((_, i) => {
      const r = cached[i % cached.length]!;
      return {
        sentiment: tasks.includes('sentiment') ? r.sentiment : 0,
        entities: tasks.includes('entities') ? r.entities : [],
        pos: tasks.includes('pos') ? r.pos : [],
      };
    });
    return { results, model: MODEL_ID };
  };
  return async (request, ctx) => {
    const { texts, tasks } = checkedRequest(request);
    const target = typeof options.source === 'function' ? options.source() : options.source;
    if (target !== undefined) {
      const relayed = await options.dendrite.call(target, Analyze.create({ texts, tasks }), {
        timeout,
        signal: ctx.signal,
      });
      const results = relayed.results;
      if (relayed.dendrite.status_code === 200 && results !== null && results.length > 0) {
        cached = results;
        return { results, model: relayed.model ?? MODEL_ID };
      }
    }
    return stale(texts, tasks);
  };
}
