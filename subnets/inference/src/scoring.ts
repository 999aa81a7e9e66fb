// Validator scoring: how one step's responses become rewards in [0, 1].
//
// 1. Failure. A response that is not HTTP 200 (timeout 408, blacklisted 403, unreachable 503,
//    ...) or lacks results scores 0 (flag `failed`).
// 2. Shape and binding (every text, cheap). One result per text, the model id this subnet
//    serves, and answers that can belong to the text sent: every entity value occurs in its
//    text, and there is at least one POS tag per whitespace-separated word and no more tags
//    than characters. Otherwise 0 (flags `malformed`, `wrong-model`, `foreign`). Texts are
//    fresh and carry random numbers, so a replayed (stale) answer or one copied from another
//    miner's task names entities that are not in these texts.
// 3. Verification (a random sample). The validator re-runs the model on `sampleSize` texts
//    chosen by its RNG. Per text, each requested task scores 1 or 0: sentiment within
//    SENTIMENT_TOLERANCE of the validator's value; entities and POS tags equal as lists
//    (same values, types, tags, in order). Text correctness = mean over the requested tasks;
//    the miner's correctness c = mean over the sampled texts.
// 4. Copy detection. A sampled result that is wrong for its own text but equal to the result
//    another miner gave for a different text is a copy: 0 (flag `copied`).
// 5. Reward. reward = c × (0.8 + 0.2 × speed), speed = clamp(1 − processTime / timeout, 0, 1),
//    where processTime is the round trip the validator measured (dendrite.process_time), not
//    what the miner reports. Correctness dominates: the slowest correct answer (0.8) beats
//    anything caught wrong (at most `caughtFactor`). Every text of a step costs the same for all miners, so a shorter
//    round trip is also a higher throughput (texts per second).
// 6. Penalty. A miner caught wrong on any verified text (c < 1) has its reward multiplied by
//    `caughtFactor` (default 0.1): a miner that skips work on some texts cannot hope to be
//    sampled only where it did the work, since one wrong sample costs 90% of the step.
//
// Why relaying (a copier forwarding its task to an honest miner) cannot pay:
// - honest miners serve only validators: their axon blacklist refuses callers without a
//   validator permit (403), so the copier gets nothing to relay;
// - texts are fresh and different for every miner, so the copier cannot reuse an answer it saw
//   earlier or one meant for another miner: it is flagged `foreign` or `copied` and earns 0;
// - if some miner does answer it, the relay adds a second round trip, so the copier is slower
//   than the miner it copies from and earns less (and that miner served it for free).
import { loadModel, MODEL_ID } from './model.js';
import type { AnalyzeResult, AnalyzeSynapse, Task } from './protocol.js';
import type { Rng } from './rng.js';
import type { MinerTask } from './tasks.js';

/** Largest |miner − validator| sentiment difference still counted correct. */
export const SENTIMENT_TOLERANCE = 1e-4;
/** Default number of texts per miner the validator re-runs. */
export const DEFAULT_SAMPLE_SIZE = 3;
/** Default multiplier of the reward of a miner caught wrong on a verified text. */
export const DEFAULT_CAUGHT_FACTOR = 0.1;
/** Share of the reward that depends on speed. */
export const SPEED_WEIGHT = 0.2;

/** What the validator observed from one miner. */
export interface MinerResponse {
  /** `dendrite.status_code` (null: no answer). */
  status: number | null;
  /** `dendrite.process_time`: seconds of the round trip as measured by the validator. */
  processTime: number | null;
  results: readonly AnalyzeResult[] | null;
  model: string | null;
}

/**
 * The observation of a queried `Analyze` synapse (as returned by `Dendrite.query`).
 * @example
 * import { responseFromSynapse } from '@taoscript/subnet-inference';
 * const response = responseFromSynapse(await dendrite.call(target, synapse));
 */
export function responseFromSynapse(synapse: AnalyzeSynapse): MinerResponse {
  return {
    status: synapse.dendrite.status_code,
    processTime: synapse.dendrite.process_time,
    results: synapse.results,
    model: synapse.model,
  };
}

/** Why a reward was cut. */
export type ScoreFlag = 'failed' | 'malformed' | 'wrong-model' | 'foreign' | 'copied' | 'caught';

/** One miner's score for a step. */
export interface MinerScore {
  uid: number;
  /** In [0, 1]. */
  reward: number;
  /** Mean correctness over the verified texts (0 if not verified). */
  correctness: number;
  /** In [0, 1]; 0 when the response failed. */
  speed: number;
  /** Indices (into the miner's texts) the validator re-ran. */
  verified: number[];
  flags: ScoreFlag[];
}

/** One miner's task and what came back. */
export interface ScoreEntry {
  task: MinerTask;
  response: MinerResponse;
}

/** Options of {@link scoreStep}. */
export interface ScoreOptions {
  /** Picks the verified sample. */
  rng: Rng;
  /** Seconds the validator allowed each query (the dendrite timeout). */
  timeout: number;
  /** Texts re-run per miner (default {@link DEFAULT_SAMPLE_SIZE}; capped by the text count). */
  sampleSize?: number;
  /** Multiplier for a miner caught wrong (default {@link DEFAULT_CAUGHT_FACTOR}). */
  caughtFactor?: number;
  /** The reference model (default: the loaded wink pipeline). */
  reference?: (text: string, tasks: readonly Task[]) => AnalyzeResult;
  /** The model id miners must report (default {@link MODEL_ID}). */
  modelId?: string;
}

function sameEntities(a: AnalyzeResult['entities'], b: AnalyzeResult['entities']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.value !== b[i]!.value || a[i]!.type !== b[i]!.type) return false;
  }
  return true;
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Correctness of one result against the reference, in [0, 1]: the share of requested tasks
 * answered right (sentiment within {@link SENTIMENT_TOLERANCE}, entities and tags exactly).
 * @example
 * import { textCorrectness } from '@taoscript/subnet-inference';
 * textCorrectness(expected, got, ['sentiment', 'pos']); // 0, 0.5 or 1
 */
export function textCorrectness(
  expected: AnalyzeResult,
  got: AnalyzeResult,
  tasks: readonly Task[],
): number {
  if (tasks.length === 0) return 0;
  let right = 0;
  for (const task of tasks) {
    if (task === 'sentiment') {
      if (
        Number.isFinite(got.sentiment) &&
        Math.abs(got.sentiment - expected.sentiment) <= SENTIMENT_TOLERANCE + 1e-12
      ) {
        right++;
      }
    } else if (task === 'entities') {
      if (sameEntities(expected.entities, got.entities)) right++;
    } else if (sameTags(expected.pos, got.pos)) right++;
  }
  return right / tasks.length;
}

/**
 * Whether a result can be an answer for `text` at all (cheap; no model run): every entity
 * value occurs in the text, and the tag count is at least the number of words and at most the
 * number of characters.
 * @example
 * import { belongsTo } from '@taoscript/subnet-inference';
 * belongsTo('Acme paid $5.', { sentiment: 0, entities: [{ value: '$7', type: 'MONEY' }], pos: [] }, ['entities']); // false
 */
export function belongsTo(text: string, result: AnalyzeResult, tasks: readonly Task[]): boolean {
  if (tasks.includes('entities')) {
    for (const e of result.entities) if (!text.includes(e.value)) return false;
  }
  if (tasks.includes('pos')) {
    const words = text.split(/\s+/).filter((w) => w.length > 0).length;
    const chars = text.replace(/\s+/g, '').length;
    if (result.pos.length < words || result.pos.length > chars) return false;
  }
  return true;
}

/**
 * Speed in [0, 1] from the measured round trip: 1 − processTime / timeout, clamped.
 * @example
 * import { speedOf } from '@taoscript/subnet-inference';
 * speedOf(1.2, 12); // 0.9
 */
export function speedOf(processTime: number | null, timeout: number): number {
  if (processTime === null || !Number.isFinite(processTime) || processTime < 0) return 0;
  return Math.min(1, Math.max(0, 1 - processTime / timeout));
}

/** A stable key of a result's requested fields, for copy detection. */
function resultKey(r: AnalyzeResult, tasks: readonly Task[]): string {
  return JSON.stringify([
    tasks.includes('sentiment') ? r.sentiment : null,
    tasks.includes('entities') ? r.entities.map((e) => [e.value, e.type]) : null,
    tasks.includes('pos') ? r.pos : null,
  ]);
}

function checkOptions(options: ScoreOptions): Required<Omit<ScoreOptions, 'rng'>> & { rng: Rng } {
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.rng?.sample !== 'function'
  ) {
    throw new TypeError('scoreStep: options.rng is required');
  }
  const { timeout } = options;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new RangeError('scoreStep: timeout must be a positive number of seconds');
  }
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  if (!Number.isSafeInteger(sampleSize) || sampleSize < 1) {
    throw new RangeError('scoreStep: sampleSize must be a positive integer');
  }
  const caughtFactor = options.caughtFactor ?? DEFAULT_CAUGHT_FACTOR;
  if (typeof caughtFactor !== 'number' || !(caughtFactor >= 0 && caughtFactor <= 1)) {
    throw new RangeError('scoreStep: caughtFactor must be in [0, 1]');
  }
  const reference =
    options.reference ??
    ((text: string, tasks: readonly Task[]) => loadModel().analyzeText(text, tasks));
  return {
    rng: options.rng,
    timeout,
    sampleSize,
    caughtFactor,
    reference,
    modelId: options.modelId ?? MODEL_ID,
  };
}

/**
 * Scores one step: per miner, a reward in [0, 1] with the checks and formula described at the
 * top of this module. Entries are scored in the order given; the RNG picks the samples.
 * @example
 * import { createRng, generateStep, scoreStep } from '@taoscript/subnet-inference';
 * const tasks = generateStep({ seed: 'secret', step: 1, uids: [0, 1] });
 * const scores = scoreStep(tasks.map((task, i) => ({ task, response: responses[i] })), {
 *   rng: createRng('secret', 'verify', 1), timeout: 12,
 * });
 */
export function scoreStep(entries: readonly ScoreEntry[], options: ScoreOptions): MinerScore[] {
  if (!Array.isArray(entries as unknown))
    throw new TypeError('scoreStep: entries must be an array');
  const opts = checkOptions(options);

  // Every (result key → text) seen this step, for copy detection.
  const answersByKey = new Map<string, Set<string>>();
  for (const { task, response } of entries) {
    const results = response?.results;
    if (!Array.isArray(results) || results.length !== task.texts.length) continue;
    results.forEach((r, i) => {
      const key = resultKey(r, task.tasks);
      const texts = answersByKey.get(key) ?? new Set<string>();
      texts.add(task.texts[i]!);
      answersByKey.set(key, texts);
    });
  }

  return entries.map(({ task, response }) => {
    const score: MinerScore = {
      uid: task.uid,
      reward: 0,
      correctness: 0,
      speed: 0,
      verified: [],
      flags: [],
    };
    const results = response?.results ?? null;
    if (response?.status !== 200 || results === null || !Array.isArray(results as unknown)) {
      score.flags.push('failed');
      return score;
    }
    score.speed = speedOf(response.processTime, opts.timeout);
    if (results.length !== task.texts.length) {
      score.flags.push('malformed');
      return score;
    }
    if (response.model !== opts.modelId) {
      score.flags.push('wrong-model');
      return score;
    }
    if (task.texts.some((text, i) => !belongsTo(text, results[i]!, task.tasks))) {
      score.flags.push('foreign');
      return score;
    }
    const k = Math.min(opts.sampleSize, task.texts.length);
    score.verified = opts.rng.sample(task.texts.length, k);
    let sum = 0;
    let copied = false;
    for (const i of score.verified) {
      const text = task.texts[i]!;
      const got = results[i]!;
      const c = textCorrectness(opts.reference(text, task.tasks), got, task.tasks);
      sum += c;
      if (c < 1) {
        const others = answersByKey.get(resultKey(got, task.tasks));
        if (others !== undefined && [...others].some((t) => t !== text)) copied = true;
      }
    }
    score.correctness = k === 0 ? 0 : sum / k;
    if (copied) {
      score.flags.push('copied');
      return score;
    }
    let reward = score.correctness * (1 - SPEED_WEIGHT + SPEED_WEIGHT * score.speed);
    if (score.correctness < 1) {
      score.flags.push('caught');
      reward *= opts.caughtFactor;
    }
    score.reward = reward;
    return score;
  });
}
