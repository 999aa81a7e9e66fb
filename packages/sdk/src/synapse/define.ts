import { z } from 'zod';
import { SynapseParseError } from './errors.js';
import {
  fieldFallback,
  isOptionalField,
  type PyModelField,
  type PyType,
  pyTypeOf,
} from './py-type.js';
import { emptyTerminal, TERMINAL_PY_TYPE, type TerminalInfo } from './terminal.js';

/** The wire fields every synapse carries (Python `bittensor.Synapse`), in declaration order. */
export interface SynapseBase {
  /** The synapse class name, which is also the route (`POST /<name>`). */
  name: string;
  /** Seconds. */
  timeout: number;
  total_size: number;
  header_size: number;
  dendrite: TerminalInfo;
  axon: TerminalInfo;
  computed_body_hash: string;
}

/** The Python default `timeout` of a synapse, in seconds. */
export const DEFAULT_SYNAPSE_TIMEOUT = 12;

/** Base field names, in Python's model order. */
export const BASE_FIELDS = [
  'name',
  'timeout',
  'total_size',
  'header_size',
  'dendrite',
  'axon',
  'computed_body_hash',
] as const;

const opt = (inner: PyType): PyType => ({ kind: 'optional', inner });
const BASE_PY_FIELDS: readonly PyModelField[] = [
  { name: 'name', type: opt({ kind: 'str' }), fallback: () => null },
  { name: 'timeout', type: opt({ kind: 'float' }), fallback: () => DEFAULT_SYNAPSE_TIMEOUT },
  { name: 'total_size', type: opt({ kind: 'int' }), fallback: () => 0 },
  { name: 'header_size', type: opt({ kind: 'int' }), fallback: () => 0 },
  { name: 'dendrite', type: opt(TERMINAL_PY_TYPE), fallback: emptyTerminal },
  { name: 'axon', type: opt(TERMINAL_PY_TYPE), fallback: emptyTerminal },
  { name: 'computed_body_hash', type: opt({ kind: 'str' }), fallback: () => '' },
];

/** A subnet field of a synapse: where it was declared and its Python type. */
export interface SynapseField {
  readonly name: string;
  readonly side: 'request' | 'response';
  readonly schema: z.ZodType;
  readonly type: PyType;
  /** In the model's JSON schema `required` list (no default): sent as `bt_header_input_obj_*`. */
  readonly required: boolean;
}

/** `T`, or nothing when `T` is an index signature (zod's type for an empty `z.object({})`). */
type Known<T> = string extends keyof T ? unknown : T;

/** Fields a response may carry: each is null until the axon sets it. */
export type ResponseFields<Res extends z.ZodObject> = Known<{
  [K in keyof z.output<Res>]: z.output<Res>[K] | null;
}>;

/** Input accepted by `create()`: request fields (zod input) and optionally response fields. */
export type SynapseInit<Req extends z.ZodObject, Res extends z.ZodObject> = Known<z.input<Req>> &
  Known<{ [K in keyof z.input<Res>]?: z.input<Res>[K] | null }>;

/** Base fields that may be preset on `create()`. */
export interface SynapseBaseInit {
  timeout?: number;
  total_size?: number;
  header_size?: number;
  dendrite?: Partial<TerminalInfo>;
  axon?: Partial<TerminalInfo>;
}

/** A synapse of class `N`: base fields, request fields and (nullable) response fields. */
export type SynapseOf<
  N extends string,
  Req extends z.ZodObject,
  Res extends z.ZodObject,
> = SynapseBase & { name: N } & Known<z.output<Req>> & ResponseFields<Res>;

/** The synapse instances a definition creates. */
export type Synapse<D extends AnySynapseDefinition> =
  D extends SynapseDefinition<infer N, infer Req, infer Res, boolean, unknown>
    ? SynapseOf<N, Req, Res>
    : never;

/** A synapse class declaration: route name, request/response schemas, body-hash fields. */
export interface SynapseDefinition<
  N extends string = string,
  Req extends z.ZodObject = z.ZodObject,
  Res extends z.ZodObject = z.ZodObject,
  S extends boolean = boolean,
  Out = unknown,
> {
  readonly name: N;
  readonly request: Req;
  readonly response: Res;
  /** `required_hash_fields` in hashing order. */
  readonly hashFields: readonly string[];
  readonly streaming: S;
  /** Subnet fields in model order: request fields, then response fields. */
  readonly fields: readonly SynapseField[];
  /** The Python type of the whole model (base fields, then subnet fields). */
  readonly modelType: PyType;
  /** Builds a synapse from its fields; throws TypeError for fields the schemas reject. */
  create(fields: SynapseInit<Req, Res>, base?: SynapseBaseInit): SynapseOf<N, Req, Res>;
  /** Python's per-synapse `deserialize()` hook (identity unless declared). */
  deserialize(synapse: SynapseOf<N, Req, Res>): Out;
}

/** Any synapse definition. */
export type AnySynapseDefinition = SynapseDefinition<
  string,
  z.ZodObject,
  z.ZodObject,
  boolean,
  unknown
>;

/** Parameters of {@link defineSynapse}. */
export interface DefineSynapseParameters<
  N extends string,
  Req extends z.ZodObject,
  Res extends z.ZodObject,
  S extends boolean,
  Out,
> {
  /** The Python class name (case-sensitive); also the route. */
  name: N;
  /** Fields the dendrite fills in. */
  request: Req;
  /** Fields the axon fills in (Optional = None on the wire until set). */
  response: Res;
  /** Python `required_hash_fields`, in the ClassVar tuple's order. */
  hashFields?: readonly string[];
  /**
   * `'declaration'` reproduces synapses that declare `required_hash_fields` as a pydantic field
   * (deprecated): the listed fields are hashed in model order instead of tuple order.
   */
  hashOrder?: 'listed' | 'declaration';
  /** A streaming synapse (Python `StreamingSynapse`): the handler returns chunks. */
  streaming?: S;
  deserialize?: (synapse: SynapseOf<N, Req, Res>) => Out;
}

/** Return type of {@link defineSynapse}. */
export type DefineSynapseReturnType<
  N extends string,
  Req extends z.ZodObject,
  Res extends z.ZodObject,
  S extends boolean,
  Out,
> = SynapseDefinition<N, Req, Res, S, Out>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
// Which definition made each synapse (a WeakMap keeps the instances plain, fast objects).
const DEFINITIONS = new WeakMap<object, AnySynapseDefinition>();

function isZodObject(x: unknown): x is z.ZodObject {
  return x instanceof z.ZodObject;
}

/**
 * Declares a synapse class compatible with a Python `bittensor.Synapse` subclass of the same name.
 * @example
 * import { defineSynapse } from '@taoscript/sdk';
 * import { z } from 'zod';
 * const Dummy = defineSynapse({
 *   name: 'Dummy',
 *   request: z.object({ dummy_input: z.int() }),
 *   response: z.object({ dummy_output: z.int() }),
 *   deserialize: (s) => s.dummy_output,
 * });
 * const synapse = Dummy.create({ dummy_input: 3 });
 */
export function defineSynapse<
  N extends string,
  Req extends z.ZodObject,
  Res extends z.ZodObject,
  S extends boolean = false,
  Out = SynapseOf<N, Req, Res>,
>(
  params: DefineSynapseParameters<N, Req, Res, S, Out>,
): DefineSynapseReturnType<N, Req, Res, S, Out> {
  if (typeof params !== 'object' || params === null) {
    throw new TypeError('defineSynapse: expected a parameters object');
  }
  const { name, request, response } = params;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(`defineSynapse: name must be a Python identifier, got ${String(name)}`);
  }
  if (!isZodObject(request) || !isZodObject(response)) {
    throw new TypeError(`defineSynapse(${name}): request and response must be z.object schemas`);
  }
  const fields: SynapseField[] = [];
  const seen = new Set<string>(BASE_FIELDS);
  for (const [side, obj] of [
    ['request', request],
    ['response', response],
  ] as const) {
    for (const [field, schema] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
      if (seen.has(field)) {
        throw new TypeError(`defineSynapse(${name}): field '${field}' is declared twice`);
      }
      seen.add(field);
      const type = pyTypeOf(schema);
      const required = side === 'request' && !isOptionalField(schema);
      fields.push({
        name: field,
        side,
        schema,
        type: side === 'response' ? opt(type) : type,
        required,
      });
    }
  }
  const listed = [...(params.hashFields ?? [])];
  for (const f of listed) {
    if (typeof f !== 'string' || !seen.has(f)) {
      throw new TypeError(`defineSynapse(${name}): hash field '${String(f)}' is not a field`);
    }
  }
  const modelOrder = [...BASE_FIELDS, ...fields.map((f) => f.name)];
  const hashFields =
    params.hashOrder === 'declaration' ? modelOrder.filter((f) => listed.includes(f)) : listed;
  // Each field's default, resolved once (synapses are built per request).
  const fallbacks = fields.map((f) => fieldFallback(f.schema));
  const modelType: PyType = {
    kind: 'model',
    fields: [
      ...BASE_PY_FIELDS,
      ...fields.map((f, i) => ({ name: f.name, type: f.type, fallback: fallbacks[i]! })),
    ],
  };
  const requestPartial = request.partial();
  const responseNullable = z.object(
    Object.fromEntries(
      Object.entries(response.shape as Record<string, z.ZodType>).map(([k, s]) => [
        k,
        s.nullable().optional(),
      ]),
    ),
  );
  const deserialize = params.deserialize;

  const def: SynapseDefinition<N, Req, Res, S, Out> = {
    name,
    request,
    response,
    hashFields: Object.freeze(hashFields),
    streaming: (params.streaming ?? false) as S,
    fields: Object.freeze(fields),
    modelType,
    create(init, base) {
      if (typeof init !== 'object' || init === null) {
        throw new TypeError(`${name}.create: expected an object of fields`);
      }
      const source = init as Record<string, unknown>;
      const req = request.safeParse(source);
      if (!req.success) {
        throw new TypeError(
          `${name}.create: invalid request fields: ${z.prettifyError(req.error)}`,
          {
            cause: req.error,
          },
        );
      }
      const resInit: Record<string, unknown> = {};
      for (const f of fields) if (f.side === 'response') resInit[f.name] = source[f.name];
      const res = responseNullable.safeParse(resInit);
      if (!res.success) {
        throw new TypeError(
          `${name}.create: invalid response fields: ${z.prettifyError(res.error)}`,
          { cause: res.error },
        );
      }
      return assemble(
        def,
        req.data as Record<string, unknown>,
        res.data,
        base,
      ) as unknown as SynapseOf<N, Req, Res>;
    },
    deserialize(synapse) {
      return (deserialize ? deserialize(synapse as never) : synapse) as Out;
    },
  };
  internals.set(def, { requestPartial, responseNullable, fallbacks });
  return Object.freeze(def);
}

interface Internals {
  requestPartial: z.ZodType;
  responseNullable: z.ZodType;
  /** `fieldFallback` of each of `def.fields`, in the same order. */
  fallbacks: readonly (() => unknown)[];
}

const internals = new WeakMap<object, Internals>();

/** Fills each subnet field of `s` from `given`, or its default when that is undefined. */
function fillFields(
  s: Record<string, unknown>,
  def: AnySynapseDefinition,
  given: (f: SynapseField) => unknown,
): void {
  const fallbacks = internals.get(def)?.fallbacks;
  const fields = def.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = given(f);
    s[f.name] = v === undefined ? (fallbacks?.[i] ?? fieldFallback(f.schema))() : v;
  }
}

function checkTimeout(timeout: unknown, what: string): number {
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
    throw new RangeError(`${what}: timeout must be a finite number of seconds ≥ 0`);
  }
  return timeout;
}

function assemble(
  def: AnySynapseDefinition,
  req: Record<string, unknown>,
  res: Record<string, unknown>,
  base: SynapseBaseInit | undefined,
): SynapseBase {
  const s: Record<string, unknown> = {
    name: def.name,
    timeout:
      base?.timeout === undefined
        ? DEFAULT_SYNAPSE_TIMEOUT
        : checkTimeout(base.timeout, `${def.name}.create`),
    total_size: base?.total_size ?? 0,
    header_size: base?.header_size ?? 0,
    dendrite: { ...emptyTerminal(), ...base?.dendrite },
    axon: { ...emptyTerminal(), ...base?.axon },
    computed_body_hash: '',
  };
  fillFields(s, def, (f) => (f.side === 'request' ? req[f.name] : res[f.name]));
  DEFINITIONS.set(s, def);
  return s as unknown as SynapseBase;
}

/**
 * The definition a synapse instance was created from.
 * @example
 * import { defineSynapse, definitionOf } from '@taoscript/sdk';
 * import { z } from 'zod';
 * const Ping = defineSynapse({ name: 'Ping', request: z.object({}), response: z.object({}) });
 * definitionOf(Ping.create({})) === Ping; // true
 */
export function definitionOf<D extends AnySynapseDefinition = AnySynapseDefinition>(
  synapse: SynapseBase,
): D {
  const def =
    typeof synapse === 'object' && synapse !== null ? DEFINITIONS.get(synapse) : undefined;
  if (def === undefined) {
    throw new TypeError('expected a synapse made by <Definition>.create()');
  }
  return def as D;
}

/** A shallow copy of a synapse (terminals copied too) that keeps its definition. */
export function cloneSynapse<T extends SynapseBase>(synapse: T): T {
  const def = definitionOf(synapse);
  const copy: Record<string, unknown> = { ...(synapse as SynapseBase) };
  copy.dendrite = { ...synapse.dendrite };
  copy.axon = { ...synapse.axon };
  DEFINITIONS.set(copy, def);
  return copy as unknown as T;
}

/** Converts JSON-parsed numbers to what each zod schema expects (bigint ↔ number). */
function coerceWire(v: unknown, schema: unknown, depth = 0): unknown {
  if (v === null || v === undefined || depth > 64) return v;
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (def === undefined) return v;
  switch (def.type) {
    case 'bigint':
      return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
    case 'number':
      return typeof v === 'bigint' ? Number(v) : v;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return coerceWire(v, def.innerType, depth + 1);
    case 'pipe':
      return coerceWire(v, def.in, depth + 1);
    case 'lazy':
      return coerceWire(v, (def.getter as () => unknown)(), depth + 1);
    case 'array':
      return Array.isArray(v) ? v.map((x) => coerceWire(x, def.element, depth + 1)) : v;
    case 'tuple': {
      if (!Array.isArray(v)) return v;
      const items = def.items as readonly unknown[];
      return v.map((x, i) => coerceWire(x, items[i] ?? def.rest, depth + 1));
    }
    case 'record': {
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = coerceWire(x, def.valueType, depth + 1);
      return out;
    }
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      const shape = def.shape as Record<string, unknown>;
      const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      for (const k of Object.keys(shape)) {
        if (Object.hasOwn(out, k)) out[k] = coerceWire(out[k], shape[k], depth + 1);
      }
      return out;
    }
    default:
      return v;
  }
}

/**
 * Validates the subnet fields of a parsed JSON body (request fields strictly, response fields
 * nullable) and returns them, converted for zod; throws {@link SynapseParseError}.
 */
export function parseBodyFields<D extends AnySynapseDefinition>(
  def: D,
  body: Record<string, unknown>,
  requestFields: 'strict' | 'partial',
): Record<string, unknown> {
  const inner = internals.get(def);
  if (inner === undefined) throw new TypeError('not a synapse definition');
  const reqIn: Record<string, unknown> = {};
  const resIn: Record<string, unknown> = {};
  for (const f of def.fields) {
    if (!Object.hasOwn(body, f.name)) continue;
    const value = coerceWire(body[f.name], f.schema);
    if (f.side === 'request') reqIn[f.name] = value;
    else resIn[f.name] = value;
  }
  const reqSchema = requestFields === 'strict' ? def.request : inner.requestPartial;
  const req = reqSchema.safeParse(reqIn);
  if (!req.success) {
    throw new SynapseParseError(
      'SYNAPSE_BODY_INVALID',
      `${def.name}: invalid request fields: ${z.prettifyError(req.error)}`,
      req.error,
    );
  }
  // Requests carry their response fields as null: nothing to validate then.
  let allNull = true;
  for (const k in resIn) {
    if (resIn[k] !== null && resIn[k] !== undefined) {
      allNull = false;
      break;
    }
  }
  if (allNull) return { ...(req.data as Record<string, unknown>), ...resIn };
  const res = inner.responseNullable.safeParse(resIn);
  if (!res.success) {
    throw new SynapseParseError(
      'SYNAPSE_BODY_INVALID',
      `${def.name}: invalid response fields: ${z.prettifyError(res.error)}`,
      res.error,
    );
  }
  return { ...(req.data as Record<string, unknown>), ...(res.data as Record<string, unknown>) };
}

/**
 * Validates handler output against the response schema; throws {@link SynapseParseError}.
 */
export function parseResponseFields<D extends AnySynapseDefinition>(
  def: D,
  output: unknown,
): Record<string, unknown> {
  const res = def.response.safeParse(output ?? {});
  if (!res.success) {
    throw new SynapseParseError(
      'SYNAPSE_BODY_INVALID',
      `${def.name}: handler returned invalid response fields: ${z.prettifyError(res.error)}`,
      res.error,
    );
  }
  return res.data as Record<string, unknown>;
}

/** Builds a synapse instance from already-validated parts (used by the axon and dendrite). */
export function synapseFrom<D extends AnySynapseDefinition>(
  def: D,
  base: Omit<SynapseBase, 'name'>,
  fields: Record<string, unknown>,
): Synapse<D> {
  const s: Record<string, unknown> = { name: def.name, ...base };
  fillFields(s, def, (f) => fields[f.name]);
  DEFINITIONS.set(s, def);
  return s as unknown as Synapse<D>;
}

/**
 * The base `bittensor.Synapse` route every axon serves: a signed ping that echoes the request.
 * @example
 * import { BaseSynapse } from '@taoscript/sdk';
 * BaseSynapse.name; // 'Synapse'
 */
export const BaseSynapse = defineSynapse({
  name: 'Synapse',
  request: z.object({}),
  response: z.object({}),
});
