// Task generation. Each step, every queried miner gets its own freshly composed texts, drawn
// from an RNG stream derived from the validator's secret seed, the step and the miner's uid:
// - texts are composed, not looked up (templates × names × places × organisations × wide
//   numeric ranges × sentiment phrases), so answers cannot be cached or precomputed;
// - two miners never get the same text in a step, so one miner's answers are wrong for
//   another's task (a copier that forwards or replays answers is caught);
// - the same (seed, step, uid) always gives the same task, so a run can be replayed.
import {
  DURATION_UNITS,
  MONTHS,
  NAMES,
  ORGANISATIONS,
  PLACES,
  SENTIMENT_PHRASES,
  TEMPLATES,
} from './corpus.js';
import { MAX_TEXTS, TASKS, type Task } from './protocol.js';
import { createRng, type Rng, type RngSeed } from './rng.js';

/** What one miner is asked in one step. */
export interface MinerTask {
  uid: number;
  texts: string[];
  tasks: Task[];
}

/** Default number of texts per miner per step. */
export const DEFAULT_TEXTS_PER_MINER = 8;

function ordinal(n: number): string {
  const m10 = n % 10;
  const m100 = n % 100;
  const suffix =
    m100 >= 11 && m100 <= 13 ? 'th' : m10 === 1 ? 'st' : m10 === 2 ? 'nd' : m10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** Groups thousands with commas (locale-independent). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

function money(rng: Rng): string {
  const whole = grouped(rng.range(1, 99_999));
  return rng.chance(0.3) ? `$${whole}.${String(rng.int(100)).padStart(2, '0')}` : `$${whole}`;
}

const SLOTS: Record<string, (rng: Rng) => string> = {
  name: (rng) => rng.pick(NAMES),
  name2: (rng) => rng.pick(NAMES),
  org: (rng) => rng.pick(ORGANISATIONS),
  place: (rng) => rng.pick(PLACES),
  money,
  date: (rng) => `${rng.range(1, 28)} ${rng.pick(MONTHS)} ${rng.range(1990, 2035)}`,
  time: (rng) =>
    `${rng.range(1, 12)}:${String(rng.int(60)).padStart(2, '0')} ${rng.chance(0.5) ? 'am' : 'pm'}`,
  percent: (rng) => `${rng.range(2, 95)}%`,
  count: (rng) => String(rng.range(12, 9_999)),
  duration: (rng) => `${rng.range(2, 59)} ${rng.pick(DURATION_UNITS)}`,
  ordinal: (rng) => ordinal(rng.range(2, 99)),
};

function fill(template: string, rng: Rng): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    const gen = SLOTS[slot];
    if (gen === undefined) throw new Error(`corpus: unknown slot {${slot}}`);
    return gen(rng);
  });
}

/**
 * One fresh text: one or two template sentences and a sentiment phrase, in random order.
 * @example
 * import { composeText, createRng } from '@taoscript/subnet-inference';
 * composeText(createRng('seed')); // e.g. 'Globex hired 4181 engineers in Oslo. What a fantastic result!'
 */
export function composeText(rng: Rng): string {
  const parts = [fill(rng.pick(TEMPLATES), rng)];
  if (rng.chance(0.5)) parts.push(fill(rng.pick(TEMPLATES), rng));
  const phrase = rng.pick(SENTIMENT_PHRASES);
  parts.splice(rng.int(parts.length + 1), 0, phrase);
  return parts.join(' ');
}

/**
 * `count` fresh texts, distinct from each other and from those in `taken` (which is updated).
 * @example
 * import { createRng, generateTexts } from '@taoscript/subnet-inference';
 * generateTexts(createRng('seed'), 4).length; // 4
 */
export function generateTexts(rng: Rng, count: number, taken: Set<string> = new Set()): string[] {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_TEXTS) {
    throw new RangeError(`generateTexts: count must be in 1..${MAX_TEXTS}`);
  }
  const out: string[] = [];
  // The space of texts is astronomically large; the bound only guards against a broken corpus.
  for (let tries = 0; out.length < count; tries++) {
    if (tries > count * 1000) throw new Error('generateTexts: could not compose distinct texts');
    const t = composeText(rng);
    if (taken.has(t)) continue;
    taken.add(t);
    out.push(t);
  }
  return out;
}

/** Parameters of {@link generateStep}. */
export interface GenerateStepParameters {
  /** The validator's secret seed (keep it private: it determines every task). */
  seed: RngSeed;
  /** The validator's step counter. */
  step: number | bigint;
  /** Uids of the miners queried this step (distinct). */
  uids: readonly number[];
  /** Texts per miner (default {@link DEFAULT_TEXTS_PER_MINER}). */
  textsPerMiner?: number;
  /** Tasks to request: a fixed list (default all tasks) or `'random'` (a random non-empty subset per miner). */
  tasks?: readonly Task[] | 'random';
}

/**
 * The tasks of one validator step: per miner, texts from its own RNG stream
 * (`seed`, step, uid), all distinct within the step.
 * @example
 * import { generateStep } from '@taoscript/subnet-inference';
 * const tasks = generateStep({ seed: 'secret', step: 1, uids: [0, 1, 2] });
 * tasks[0].texts.length; // 8
 */
export function generateStep(params: GenerateStepParameters): MinerTask[] {
  if (typeof params !== 'object' || params === null) {
    throw new TypeError('generateStep: expected parameters');
  }
  const { seed, step, uids } = params;
  const validStep = typeof step === 'bigint' ? step >= 0n : Number.isSafeInteger(step) && step >= 0;
  if (!validStep) {
    throw new RangeError('generateStep: step must be a non-negative integer');
  }
  if (!Array.isArray(uids as unknown)) throw new TypeError('generateStep: uids must be an array');
  for (const uid of uids) {
    if (!Number.isInteger(uid) || uid < 0 || uid > 0xffff) {
      throw new RangeError(`generateStep: invalid uid ${String(uid)}`);
    }
  }
  if (new Set(uids).size !== uids.length)
    throw new RangeError('generateStep: uids must be distinct');
  const count = params.textsPerMiner ?? DEFAULT_TEXTS_PER_MINER;
  const fixed = params.tasks ?? TASKS;
  if (fixed !== 'random') {
    if (
      !Array.isArray(fixed) ||
      fixed.length === 0 ||
      fixed.some((t) => !TASKS.includes(t)) ||
      new Set(fixed).size !== fixed.length
    ) {
      throw new TypeError(
        `generateStep: tasks must be 'random' or distinct names of ${TASKS.join(', ')}`,
      );
    }
  }
  const taken = new Set<string>();
  const stepLabel = BigInt(step);
  return uids.map((uid) => {
    const rng = createRng(seed, 'inference-task', stepLabel, uid);
    const texts = generateTexts(rng, count, taken);
    let tasks: Task[];
    if (fixed === 'random') {
      const picked = TASKS.filter(() => rng.chance(0.5));
      tasks = picked.length > 0 ? picked : [rng.pick(TASKS)];
    } else tasks = [...fixed];
    return { uid, texts, tasks };
  });
}
