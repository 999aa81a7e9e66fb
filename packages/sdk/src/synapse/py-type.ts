// The Python type a synapse field is declared with, derived from its zod schema. JS cannot tell
// `1` from `1.0`, so rendering a value the way Python's `str()` does needs the declared type.
import type { z } from 'zod';
import { isFloatLiteral, pyKeyOrder } from './marks.js';
import { pyBytesRepr, pyFloatRepr, pyIntStr, pyStrRepr } from './python-repr.js';

/** A field of a nested model, in declaration order. */
export interface PyModelField {
  readonly name: string;
  readonly type: PyType;
  /** The value pydantic would dump when the field is absent (its default, else None). */
  readonly fallback: () => unknown;
}

/** The Python type of a value, as far as `str()` and `json.dumps` care. */
export type PyType =
  | { readonly kind: 'int' | 'float' | 'str' | 'bool' | 'none' | 'any' | 'bytes' }
  | { readonly kind: 'list'; readonly item: PyType }
  | { readonly kind: 'tuple'; readonly items: readonly PyType[]; readonly rest: PyType | undefined }
  | { readonly kind: 'dict'; readonly key: PyType; readonly value: PyType }
  | { readonly kind: 'model'; readonly fields: readonly PyModelField[] }
  | { readonly kind: 'optional'; readonly inner: PyType }
  | { readonly kind: 'union'; readonly options: readonly PyType[] }
  | { readonly kind: 'lazy'; readonly get: () => PyType };

type Def = { readonly type: string; readonly [k: string]: unknown };
type Schema = { readonly _zod: { readonly def: Def; readonly optin?: string } };

const INT = { kind: 'int' } as const;
const FLOAT = { kind: 'float' } as const;
const STR = { kind: 'str' } as const;
const BOOL = { kind: 'bool' } as const;
const NONE = { kind: 'none' } as const;
const ANY = { kind: 'any' } as const;
const INT_FORMATS = new Set(['safeint', 'int32', 'uint32', 'int64', 'uint64']);

function defOf(schema: unknown): Def {
  const def = (schema as Schema | undefined)?._zod?.def;
  if (def === undefined || typeof def.type !== 'string') {
    throw new TypeError('expected a zod schema');
  }
  return def;
}

function isIntNumber(def: Def): boolean {
  if (typeof def.format === 'string' && INT_FORMATS.has(def.format)) return true;
  const checks = def.checks as readonly Schema[] | undefined;
  return (
    checks?.some((c) => {
      const format = c._zod.def.format;
      return typeof format === 'string' && INT_FORMATS.has(format);
    }) ?? false
  );
}

function scalarOf(v: unknown): PyType {
  if (v === null || v === undefined) return NONE;
  if (typeof v === 'string') return STR;
  if (typeof v === 'boolean') return BOOL;
  if (typeof v === 'bigint') return INT;
  if (typeof v === 'number') return Number.isInteger(v) ? INT : FLOAT;
  return ANY;
}

/** Whether a field of an object schema may be left out (Python: the field has a default). */
export function isOptionalField(schema: z.ZodType): boolean {
  const optin = (schema as unknown as Schema)._zod.optin;
  return optin === 'optional' || optin === 'defaulted';
}

/** The value pydantic dumps for an absent field: the zod default, else None. */
export function fieldFallback(schema: z.ZodType): () => unknown {
  let s: unknown = schema;
  for (;;) {
    const def = defOf(s);
    if (def.type === 'default' || def.type === 'prefault') return () => def.defaultValue;
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') {
      s = def.innerType;
      continue;
    }
    return () => null;
  }
}

const cache = new WeakMap<object, PyType>();

/**
 * The Python type a zod schema describes (`z.int()` → int, `z.number()` → float, `z.array` → list,
 * `z.tuple` → tuple, `z.record` → dict, `z.object` → nested model, `z.any()` → Any, ...).
 * @example
 * import { pyTypeOf } from '@taoscript/sdk';
 * import { z } from 'zod';
 * pyTypeOf(z.array(z.number())); // { kind: 'list', item: { kind: 'float' } }
 */
export function pyTypeOf(schema: z.ZodType): PyType {
  const hit = cache.get(schema);
  if (hit !== undefined) return hit;
  const t = derive(defOf(schema));
  cache.set(schema, t);
  return t;
}

function derive(def: Def): PyType {
  const sub = (s: unknown): PyType => pyTypeOf(s as z.ZodType);
  switch (def.type) {
    case 'string':
    case 'template_literal':
      return STR;
    case 'number':
      return isIntNumber(def) ? INT : FLOAT;
    case 'nan':
      return FLOAT;
    case 'bigint':
      return INT;
    case 'boolean':
      return BOOL;
    case 'null':
    case 'undefined':
    case 'void':
      return NONE;
    case 'array':
      return { kind: 'list', item: sub(def.element) };
    case 'tuple':
      return {
        kind: 'tuple',
        items: (def.items as readonly unknown[]).map(sub),
        rest: def.rest === null || def.rest === undefined ? undefined : sub(def.rest),
      };
    case 'record':
    case 'map':
      return { kind: 'dict', key: sub(def.keyType), value: sub(def.valueType) };
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      return {
        kind: 'model',
        fields: Object.keys(shape).map((name) => ({
          name,
          type: sub(shape[name]),
          fallback: fieldFallback(shape[name]!),
        })),
      };
    }
    case 'optional':
    case 'nullable':
      return { kind: 'optional', inner: sub(def.innerType) };
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return sub(def.innerType);
    case 'union':
      return { kind: 'union', options: (def.options as readonly unknown[]).map(sub) };
    case 'literal':
      return scalarOf((def.values as readonly unknown[])[0]);
    case 'enum': {
      const values = Object.values(def.entries as Record<string, unknown>);
      return values.every((v) => typeof v === 'number') ? scalarOf(values[0]) : STR;
    }
    case 'pipe':
      return sub(def.in);
    case 'lazy': {
      const getter = def.getter as () => unknown;
      return { kind: 'lazy', get: () => sub(getter()) };
    }
    default:
      return ANY;
  }
}

/** The kind of a runtime value as Python would see it after `json.loads`. */
function valueKind(v: unknown, floatLit: boolean): PyType['kind'] {
  if (v === null || v === undefined) return 'none';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return floatLit || !Number.isInteger(v) || Object.is(v, -0) ? 'float' : 'int';
    case 'string':
      return 'str';
    default:
      if (v instanceof Uint8Array) return 'bytes';
      return Array.isArray(v) ? 'list' : 'dict';
  }
}

function accepts(t: PyType, kind: PyType['kind']): boolean {
  switch (t.kind) {
    case 'any':
      return true;
    case 'optional':
      return kind === 'none' || accepts(t.inner, kind);
    case 'lazy':
      return accepts(t.get(), kind);
    case 'union':
      return t.options.some((o) => accepts(o, kind));
    case 'list':
    case 'tuple':
      return kind === 'list';
    case 'dict':
    case 'model':
      return kind === 'dict';
    default:
      return t.kind === kind;
  }
}

/**
 * Strips Optional/Union/lazy wrappers: the concrete type Python would hold `v` as. A union picks
 * the first member of the value's exact kind, then (for numbers) int ↔ float, like pydantic's
 * smart mode.
 */
export function resolvePyType(t: PyType, v: unknown, floatLit = false): PyType {
  for (;;) {
    if (t.kind === 'lazy') t = t.get();
    else if (t.kind === 'optional') {
      if (v === null || v === undefined) return NONE;
      t = t.inner;
    } else if (t.kind === 'union') {
      const kind = valueKind(v, floatLit);
      const exact = t.options.find((o) => accepts(o, kind));
      const numeric =
        kind === 'int' || kind === 'float'
          ? t.options.find((o) => accepts(o, kind === 'int' ? 'float' : 'int'))
          : undefined;
      const pick = exact ?? numeric;
      if (pick === undefined) return ANY;
      t = pick;
    } else return t;
  }
}

function dictKey(key: string, t: PyType): string {
  const k = resolvePyType(t, key);
  if (k.kind === 'int' && /^\s*[+-]?\d+\s*$/.test(key)) return BigInt(key.trim()).toString();
  if (k.kind === 'float') {
    const n = Number(key);
    if (!Number.isNaN(n) || key.trim().toLowerCase() === 'nan') return pyFloatRepr(n);
  }
  return pyStrRepr(key);
}

function renderAny(v: unknown, top: boolean, floatLit: boolean): string {
  switch (valueKind(v, floatLit)) {
    case 'none':
      return 'None';
    case 'bool':
      return v ? 'True' : 'False';
    case 'int':
      return pyIntStr(v as number | bigint);
    case 'float':
      return pyFloatRepr(v as number);
    case 'str':
      return top ? (v as string) : pyStrRepr(v as string);
    case 'bytes':
      return pyBytesRepr(v as Uint8Array);
    case 'list': {
      const arr = v as readonly unknown[];
      return `[${arr.map((x, i) => renderAny(x, false, isFloatLiteral(arr, i))).join(', ')}]`;
    }
    default: {
      const obj = v as Record<string, unknown>;
      const parts = pyKeyOrder(obj).map(
        (k) => `${pyStrRepr(k)}: ${renderAny(obj[k], false, isFloatLiteral(obj, k))}`,
      );
      return `{${parts.join(', ')}}`;
    }
  }
}

/**
 * Python `str()` of `value` held as declared type `type` (`repr()` when `top` is false, as for
 * container elements). `floatLit` says the value was written as a float literal on the wire.
 * @example
 * import { pyStr, pyTypeOf } from '@taoscript/sdk';
 * import { z } from 'zod';
 * pyStr([0.1, 1, 1e-5], pyTypeOf(z.array(z.number()))); // '[0.1, 1.0, 1e-05]'
 */
export function pyStr(value: unknown, type: PyType, top = true, floatLit = false): string {
  const t = resolvePyType(type, value, floatLit);
  if (value === null || value === undefined) return 'None';
  switch (t.kind) {
    case 'none':
      return 'None';
    case 'int':
      if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint') {
        return pyIntStr(value);
      }
      return renderAny(value, top, floatLit);
    case 'float':
      if (typeof value === 'number') return pyFloatRepr(value);
      if (typeof value === 'bigint') return pyFloatRepr(Number(value));
      return renderAny(value, top, floatLit);
    case 'str':
      if (typeof value === 'string') return top ? value : pyStrRepr(value);
      return renderAny(value, top, floatLit);
    case 'bool':
      if (typeof value === 'boolean') return value ? 'True' : 'False';
      return renderAny(value, top, floatLit);
    case 'bytes':
      if (typeof value === 'string') return pyBytesRepr(new TextEncoder().encode(value));
      return renderAny(value, top, floatLit);
    case 'list':
    case 'tuple': {
      if (!Array.isArray(value)) return renderAny(value, top, floatLit);
      const itemType = (i: number): PyType =>
        t.kind === 'list' ? t.item : (t.items[i] ?? t.rest ?? ANY);
      const parts = value.map((x, i) => pyStr(x, itemType(i), false, isFloatLiteral(value, i)));
      if (t.kind === 'list') return `[${parts.join(', ')}]`;
      return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    }
    case 'dict': {
      if (typeof value !== 'object' || Array.isArray(value)) return renderAny(value, top, floatLit);
      const obj = value as Record<string, unknown>;
      const parts = pyKeyOrder(obj).map(
        (k) => `${dictKey(k, t.key)}: ${pyStr(obj[k], t.value, false, isFloatLiteral(obj, k))}`,
      );
      return `{${parts.join(', ')}}`;
    }
    case 'model': {
      if (typeof value !== 'object' || Array.isArray(value)) return renderAny(value, top, floatLit);
      const obj = value as Record<string, unknown>;
      const parts = t.fields.map((f) => {
        const present = Object.hasOwn(obj, f.name) && obj[f.name] !== undefined;
        const v = present ? obj[f.name] : f.fallback();
        return `${pyStrRepr(f.name)}: ${pyStr(v, f.type, false, present && isFloatLiteral(obj, f.name))}`;
      });
      return `{${parts.join(', ')}}`;
    }
    default:
      return renderAny(value, top, floatLit);
  }
}
