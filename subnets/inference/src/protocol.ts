// The wire protocol of the inference subnet: one synapse, `Analyze`, sent by validators to miners.
// The request carries the texts and the tasks to run on them; the response carries one result
// per text and the id of the model that produced it. Both sides are bounded so that a hostile
// peer cannot make the other parse, hash or run the model on unbounded input.
import { defineSynapse, type Synapse } from '@taoscript/sdk';
import { z } from 'zod';

/** The analyses a miner can be asked for. */
export const TASKS = ['sentiment', 'entities', 'pos'] as const;

/** One analysis of a text: document sentiment, named entities, or part-of-speech tags. */
export type Task = (typeof TASKS)[number];

/** Most texts in one request. */
export const MAX_TEXTS = 32;
/** Most UTF-16 code units in one text. */
export const MAX_TEXT_CHARS = 2_000;
/** Most UTF-16 code units over all texts of one request. */
export const MAX_TOTAL_CHARS = 32_000;
/** Most entities in one result. */
export const MAX_ENTITIES = 256;
/** Longest entity type name. */
export const MAX_ENTITY_TYPE_CHARS = 32;
/** Longest model id. */
export const MAX_MODEL_CHARS = 128;
/**
 * Largest request body a miner should accept (the axon's `maxBodyBytes`): the texts at their
 * limit, every character escaped as `\uXXXX`, plus the synapse envelope.
 */
export const MAX_REQUEST_BYTES = MAX_TOTAL_CHARS * 6 + 64 * 1024;
/**
 * Largest response body a validator should accept (the dendrite's `maxResponseBytes`): a
 * result can repeat its text's size a few times over (entity values, one tag per token).
 */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Universal POS tags the model emits (`wink-nlp`'s tag set). */
export const POS_TAGS = [
  'ADJ',
  'ADP',
  'ADV',
  'AUX',
  'CCONJ',
  'DET',
  'INTJ',
  'NOUN',
  'NUM',
  'PART',
  'PRON',
  'PROPN',
  'PUNCT',
  'SCONJ',
  'SYM',
  'VERB',
  'X',
  'SPACE',
] as const;

// C0 controls other than tab, line feed and carriage return; DEL; lone UTF-16 surrogates
// (which cannot be UTF-8 encoded, so the body hash could not be computed).
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}
const LONE_SURROGATE = /\p{Cs}/u;

const text = z
  .string()
  .max(MAX_TEXT_CHARS, { error: `a text may hold at most ${MAX_TEXT_CHARS} characters` })
  .refine((s) => !hasControl(s), { error: 'a text may not contain control characters' })
  .refine((s) => !LONE_SURROGATE.test(s), {
    error: 'a text must be well-formed Unicode (no lone surrogates)',
  });

/** Request fields of {@link Analyze}. */
export const AnalyzeRequestSchema = z.object({
  texts: z
    .array(text)
    .min(1, { error: 'at least one text is required' })
    .max(MAX_TEXTS, { error: `at most ${MAX_TEXTS} texts per request` })
    .refine((ts) => ts.reduce((n, t) => n + t.length, 0) <= MAX_TOTAL_CHARS, {
      error: `the texts may hold at most ${MAX_TOTAL_CHARS} characters in total`,
      params: { size: true },
    }),
  tasks: z
    .array(z.enum(TASKS))
    .min(1, { error: 'at least one task is required' })
    .max(TASKS.length)
    .refine((ts) => new Set(ts).size === ts.length, { error: 'tasks must not repeat' }),
});

/** One entity the model found: its text as it appears in the input, and its type. */
export const EntitySchema = z.object({
  value: z.string().min(1).max(MAX_TEXT_CHARS),
  type: z
    .string()
    .min(1)
    .max(MAX_ENTITY_TYPE_CHARS)
    .regex(/^[A-Z][A-Z_]*$/, { error: 'an entity type is an upper-case name' }),
});

/**
 * The analysis of one text. Fields of tasks that were not requested hold neutral values
 * (sentiment 0, no entities, no tags) and are ignored by validators.
 */
export const AnalyzeResultSchema = z.object({
  /** Document sentiment in [-1, 1], rounded to {@link SENTIMENT_DECIMALS} decimals. */
  sentiment: z.number().min(-1).max(1),
  entities: z.array(EntitySchema).max(MAX_ENTITIES),
  /** One tag per token, in token order. */
  pos: z
    .array(
      z
        .string()
        .min(1)
        .max(8)
        .regex(/^[A-Z]+$/, { error: 'a POS tag is an upper-case name' }),
    )
    .max(MAX_TEXT_CHARS),
});

/** Response fields of {@link Analyze}. */
export const AnalyzeResponseSchema = z.object({
  results: z.array(AnalyzeResultSchema).max(MAX_TEXTS),
  model: z.string().min(1).max(MAX_MODEL_CHARS),
});

/** Decimals the canonical sentiment is rounded to. */
export const SENTIMENT_DECIMALS = 6;

/** Request fields: the texts and the tasks to run on each. */
export type AnalyzeRequest = z.output<typeof AnalyzeRequestSchema>;
/** One entity of a result. */
export type Entity = z.output<typeof EntitySchema>;
/** The analysis of one text. */
export type AnalyzeResult = z.output<typeof AnalyzeResultSchema>;
/** Response fields: one result per text, and the model id. */
export type AnalyzeResponse = z.output<typeof AnalyzeResponseSchema>;

/**
 * The `Analyze` synapse (route `POST /Analyze`). The body hash covers `texts` and `tasks`, so a
 * signed request cannot have its texts or tasks swapped in transit.
 * @example
 * import { Analyze } from '@taoscript/subnet-inference';
 * const synapse = Analyze.create({ texts: ['Acme paid $5 on 3 May.'], tasks: ['entities'] });
 */
export const Analyze = defineSynapse({
  name: 'Analyze',
  request: AnalyzeRequestSchema,
  response: AnalyzeResponseSchema,
  hashFields: ['texts', 'tasks'],
});

/** An `Analyze` synapse instance (request fields set, response fields null until answered). */
export type AnalyzeSynapse = Synapse<typeof Analyze>;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function isSizeIssue(error: z.ZodError): boolean {
  return error.issues.every(
    (i) =>
      i.code === 'too_big' ||
      i.code === 'too_small' ||
      (i.code === 'custom' && (i.params as { size?: boolean } | undefined)?.size === true),
  );
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`${what}: expected an object`);
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const message = `${what}: ${describeIssues(result.error)}`;
  // Only sizes out of range: RangeError; any wrong type, shape or content: TypeError.
  if (isSizeIssue(result.error)) throw new RangeError(message, { cause: result.error });
  throw new TypeError(message, { cause: result.error });
}

/**
 * Validates untrusted request fields; throws RangeError for sizes out of bounds, TypeError for
 * anything else malformed.
 * @example
 * import { parseAnalyzeRequest } from '@taoscript/subnet-inference';
 * const req = parseAnalyzeRequest({ texts: ['Hello.'], tasks: ['pos'] });
 */
export function parseAnalyzeRequest(input: unknown): AnalyzeRequest {
  return parseWith(AnalyzeRequestSchema, input, 'Analyze request');
}

/**
 * Validates untrusted response fields; throws RangeError for sizes out of bounds, TypeError for
 * anything else malformed.
 * @example
 * import { parseAnalyzeResponse } from '@taoscript/subnet-inference';
 * parseAnalyzeResponse({ results: [], model: 'm' });
 */
export function parseAnalyzeResponse(input: unknown): AnalyzeResponse {
  return parseWith(AnalyzeResponseSchema, input, 'Analyze response');
}
