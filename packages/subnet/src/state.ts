/** The validator's saved state (`state.json`): step, scores and the hotkeys they belong to. */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { NeuronError } from './errors.js';

/** What a validator persists between runs. */
export interface ValidatorState {
  step: number;
  scores: Float64Array;
  hotkeys: string[];
}

/** Largest state file read (a 65 536-uid subnet needs about 4 MiB). */
export const MAX_STATE_FILE_BYTES = 32 * 1024 * 1024;
/** Most uids a state may hold. */
const MAX_UIDS = 65_536;

const StateFile = z
  .object({
    version: z.literal(1),
    step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    scores: z.array(z.number()).max(MAX_UIDS),
    hotkeys: z.array(z.string().min(1).max(64)).max(MAX_UIDS),
  })
  .strict()
  .refine((s) => s.scores.length === s.hotkeys.length, {
    message: 'scores and hotkeys differ in length',
  });

/**
 * Writes the state as JSON, atomically (a temporary file renamed over the old one). Non-finite
 * scores are written as 0.
 * @example
 * import { saveValidatorState } from '@taoscript/subnet';
 * await saveValidatorState('/tmp/v/state.json', { step: 3, scores: new Float64Array([0.5]), hotkeys: ['5F…'] });
 */
export async function saveValidatorState(path: string, state: ValidatorState): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a file path');
  if (!(state?.scores instanceof Float64Array))
    throw new TypeError('scores must be a Float64Array');
  if (!Number.isSafeInteger(state.step) || state.step < 0)
    throw new RangeError('step must be a non-negative integer');
  if (!Array.isArray(state.hotkeys) || state.hotkeys.length !== state.scores.length)
    throw new RangeError('hotkeys must have one entry per score');
  const body = JSON.stringify({
    version: 1,
    step: state.step,
    scores: Array.from(state.scores, (v) => (Number.isFinite(v) ? v : 0)),
    hotkeys: state.hotkeys,
  });
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, body, { mode: 0o600, flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Reads a state written by {@link saveValidatorState}; `undefined` when there is none. A file
 * that is not a valid state throws `NeuronError` (`STATE_CORRUPT`) naming the file and the fault.
 * @example
 * import { loadValidatorState } from '@taoscript/subnet';
 * const state = await loadValidatorState('/tmp/v/state.json'); // undefined on a first run
 */
export async function loadValidatorState(path: string): Promise<ValidatorState | undefined> {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a file path');
  const corrupt = (details: string, cause?: unknown) =>
    new NeuronError('STATE_CORRUPT', `state file ${path} is corrupt`, {
      details,
      meta: ['Move the file away to start with fresh scores.'],
      ...(cause === undefined ? {} : { cause }),
    });
  let text: string;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw corrupt('not a regular file');
    if (st.size > MAX_STATE_FILE_BYTES)
      throw corrupt(`${st.size} bytes; at most ${MAX_STATE_FILE_BYTES} are read`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err instanceof NeuronError ? err : corrupt('cannot be read', err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw corrupt('not JSON', err);
  }
  const parsed = StateFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid');
  }
  return {
    step: parsed.data.step,
    scores: Float64Array.from(parsed.data.scores),
    hotkeys: parsed.data.hotkeys,
  };
}
