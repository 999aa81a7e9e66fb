/**
 * The schema form every on-chain shape is declared in. Each constructor returns a `Shape`: a SCALE
 * codec together with the node it contributes to the metadata type registry, so the runtime, the
 * metadata builder and the SDK all read one declaration.
 */
import {
  Bytes as BytesCodec,
  bool as boolCodec,
  type Codec,
  compact,
  createCodec,
  createDecoder,
  i8 as i8Codec,
  i16 as i16Codec,
  i32 as i32Codec,
  i64 as i64Codec,
  i128 as i128Codec,
  i256 as i256Codec,
  str as strCodec,
  u8 as u8Codec,
  u16 as u16Codec,
  u32 as u32Codec,
  u64 as u64Codec,
  u128 as u128Codec,
  u256 as u256Codec,
  _void as voidCodec,
} from 'scale-ts';

export type PrimitiveName =
  | 'bool'
  | 'char'
  | 'str'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'u128'
  | 'u256'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'i128'
  | 'i256';

/** A shape of any value type: the element type of heterogeneous lists of shapes. */
// biome-ignore lint/suspicious/noExplicitAny: shapes are invariant in their value type, and lists of them hold many.
export type AnyShape = Shape<any>;

/** A field of a composite or of a variant; `name` is absent for tuple-like fields. */
export interface FieldNode {
  name?: string;
  shape: AnyShape;
  typeName?: string;
  docs?: string[];
}

export interface VariantNode {
  name: string;
  index: number;
  fields: FieldNode[];
  docs?: string[];
}

/** The metadata-registry view of a shape (Substrate's scale-info `TypeDef`, with its path). */
export type TypeNode =
  | { kind: 'primitive'; name: PrimitiveName }
  | { kind: 'compact'; inner: AnyShape }
  | { kind: 'sequence'; inner: AnyShape }
  | { kind: 'array'; len: number; inner: AnyShape }
  | { kind: 'tuple'; items: AnyShape[] }
  | { kind: 'composite'; fields: FieldNode[] }
  | { kind: 'variant'; variants: VariantNode[] };

export interface TypeInfo {
  path: string[];
  params: { name: string; shape?: AnyShape }[];
  docs: string[];
}

/** A SCALE codec that can also describe itself in metadata. */
export interface Shape<T> {
  readonly codec: Codec<T>;
  /** Resolved lazily so shapes can be recursive (a call that contains calls). */
  node(): TypeNode;
  readonly info: TypeInfo;
  enc(value: T): Uint8Array;
  dec(bytes: Uint8Array): T;
}

export type ShapeType<S> = S extends Shape<infer T> ? T : never;

/** Reads the scale-ts cursor inside a `createDecoder` callback. */
export function cursorOf(input: Uint8Array): number {
  return (input as Uint8Array & { i: number }).i;
}
export function advanceCursor(input: Uint8Array, n: number): void {
  (input as Uint8Array & { i: number }).i += n;
}

function makeShape<T>(
  codec: Codec<T>,
  node: TypeNode | (() => TypeNode),
  info?: Partial<TypeInfo>,
): Shape<T> {
  let resolved: TypeNode | undefined = typeof node === 'function' ? undefined : node;
  const [encoder, decoder] = codec;
  return {
    codec,
    node: () => {
      if (!resolved) resolved = (node as () => TypeNode)();
      return resolved;
    },
    info: { path: info?.path ?? [], params: info?.params ?? [], docs: info?.docs ?? [] },
    enc: encoder,
    // scale-ts ignores byteOffset, so a subarray would be read from its buffer's start: copy.
    dec: (bytes) =>
      decoder(
        bytes.byteOffset === 0 && bytes.length === bytes.buffer.byteLength ? bytes : bytes.slice(),
      ),
  };
}

const prim = <T>(codec: Codec<T>, name: PrimitiveName) =>
  makeShape(codec, { kind: 'primitive', name });

export const bool: Shape<boolean> = prim(boolCodec, 'bool');
export const str: Shape<string> = prim(strCodec, 'str');
export const u8: Shape<number> = prim(u8Codec, 'u8');
export const u16: Shape<number> = prim(u16Codec, 'u16');
export const u32: Shape<number> = prim(u32Codec, 'u32');
export const u64: Shape<bigint> = prim(u64Codec, 'u64');
export const u128: Shape<bigint> = prim(u128Codec, 'u128');
export const u256: Shape<bigint> = prim(u256Codec, 'u256');
export const i8: Shape<number> = prim(i8Codec, 'i8');
export const i16: Shape<number> = prim(i16Codec, 'i16');
export const i32: Shape<number> = prim(i32Codec, 'i32');
export const i64: Shape<bigint> = prim(i64Codec, 'i64');
export const i128: Shape<bigint> = prim(i128Codec, 'i128');
export const i256: Shape<bigint> = prim(i256Codec, 'i256');

/** The unit type `()`: an empty tuple. */
export const unit: Shape<undefined> = makeShape(voidCodec as Codec<undefined>, {
  kind: 'tuple',
  items: [],
});

const memo = new WeakMap<object, Map<string, AnyShape>>();
function memoized<S extends AnyShape>(of: object, key: string, make: () => S): S {
  let m = memo.get(of);
  if (!m) {
    m = new Map();
    memo.set(of, m);
  }
  let s = m.get(key);
  if (!s) {
    s = make();
    m.set(key, s);
  }
  return s as S;
}

const compactNumber: Codec<number> = createCodec(
  (n: number) => compact.enc(n),
  createDecoder((input) => Number(compact.dec(input))),
);
const compactBigint: Codec<bigint> = createCodec(
  (n: bigint) => compact.enc(n),
  createDecoder((input) => BigInt(compact.dec(input))),
);

/** `Compact<T>` over an integer shape: numbers stay numbers (u8..u32), wider ones are bigint. */
export function Compact<T extends number | bigint | undefined>(inner: Shape<T>): Shape<T> {
  return memoized(inner, 'compact', () => {
    const node = inner.node();
    const wide =
      node.kind === 'primitive' &&
      (node.name === 'u64' || node.name === 'u128' || node.name === 'u256');
    const codec = (inner === (unit as AnyShape)
      ? createCodec(
          () => compact.enc(0),
          createDecoder((i) => {
            compact.dec(i);
            return undefined;
          }),
        )
      : wide
        ? compactBigint
        : compactNumber) as unknown as Codec<T>;
    return makeShape(codec, { kind: 'compact', inner });
  });
}

/** `Vec<T>`. `Vec<u8>` decodes to a `Uint8Array` (see `Bytes`). */
export function Vec<T>(inner: Shape<T>): Shape<T[]> {
  return memoized(inner, 'vec', () => {
    const [enc, dec] = inner.codec;
    const codec = createCodec<T[]>(
      (items) => {
        const parts = [compact.enc(items.length)];
        let total = parts[0]!.length;
        for (const item of items) {
          const b = enc(item);
          parts.push(b);
          total += b.length;
        }
        return concat(parts, total);
      },
      createDecoder((input) => {
        const n = Number(compact.dec(input));
        if (n > input.length) throw new RangeError(`Vec length ${n} exceeds input`);
        const out: T[] = new Array(n);
        for (let k = 0; k < n; k++) out[k] = dec(input);
        return out;
      }),
    );
    return makeShape(codec, { kind: 'sequence', inner });
  });
}

/** `Vec<u8>` as bytes. */
export const Bytes: Shape<Uint8Array> = makeShape(BytesCodec(), { kind: 'sequence', inner: u8 });

/** `[u8; N]` as bytes. */
export function FixedBytes(len: number): Shape<Uint8Array> {
  return memoized(u8, `fixed${len}`, () => {
    const codec = createCodec<Uint8Array>(
      (b) => {
        if (!(b instanceof Uint8Array) || b.length !== len)
          throw new RangeError(`expected ${len} bytes, got ${b?.length}`);
        return b;
      },
      createDecoder((input) => {
        const at = cursorOf(input);
        if (at + len > input.length) throw new RangeError('input too short');
        advanceCursor(input, len);
        // `input` is scale-ts's Uint8Array subclass, whose `slice` cannot construct a copy.
        return new Uint8Array(input.buffer, input.byteOffset + at, len).slice();
      }),
    );
    return makeShape(codec, { kind: 'array', len, inner: u8 });
  });
}

/** `[T; N]` for non-byte element types. */
export function FixedArray<T>(inner: Shape<T>, len: number): Shape<T[]> {
  return memoized(inner, `array${len}`, () => {
    const [enc, dec] = inner.codec;
    const codec = createCodec<T[]>(
      (items) => {
        if (items.length !== len) throw new RangeError(`expected ${len} items`);
        return concat(items.map(enc));
      },
      createDecoder((input) => Array.from({ length: len }, () => dec(input))),
    );
    return makeShape(codec, { kind: 'array', len, inner });
  });
}

type TupleValues<S extends AnyShape[]> = { [K in keyof S]: ShapeType<S[K]> };

/** `(A, B, ...)`. */
export function Tuple<S extends AnyShape[]>(...items: S): Shape<TupleValues<S>> {
  const codecs = items.map((s) => s.codec);
  const codec = createCodec<TupleValues<S>>(
    (values) => concat(codecs.map((c, k) => c.enc((values as unknown[])[k]))),
    createDecoder((input) => codecs.map((c) => c.dec(input)) as TupleValues<S>),
  );
  return makeShape(codec, { kind: 'tuple', items });
}

export interface FieldSpec {
  shape: AnyShape;
  typeName?: string;
  docs?: string[];
}
type FieldInput = AnyShape | FieldSpec;
type FieldsInput = Record<string, FieldInput>;
type FieldValues<F extends FieldsInput> = {
  [K in keyof F]: F[K] extends Shape<infer T>
    ? T
    : F[K] extends { shape: Shape<infer T> }
      ? T
      : never;
};

function fieldSpec(f: FieldInput): FieldSpec {
  return 'codec' in f ? { shape: f } : f;
}

/** Attach the Rust type name a field shows in metadata (`T::Balance`, `AccountIdLookupOf<T>`). */
export function typed<T>(shape: Shape<T>, typeName: string): { shape: Shape<T>; typeName: string } {
  return { shape, typeName };
}

function toFieldNodes(fields: FieldsInput): FieldNode[] {
  return Object.entries(fields).map(([name, f]) => {
    const spec = fieldSpec(f);
    const node: FieldNode = { name, shape: spec.shape };
    if (spec.typeName !== undefined) node.typeName = spec.typeName;
    if (spec.docs !== undefined) node.docs = spec.docs;
    return node;
  });
}

function structCodec(fieldNodes: FieldNode[]): Codec<Record<string, unknown>> {
  const entries = fieldNodes.map((f) => [f.name as string, f.shape.codec] as const);
  return createCodec(
    (value) => concat(entries.map(([k, c]) => c.enc(value[k]))),
    createDecoder((input) => {
      const out: Record<string, unknown> = {};
      for (const [k, c] of entries) out[k] = c.dec(input);
      return out;
    }),
  );
}

export interface NamedOpts {
  path: string[];
  params?: { name: string; shape?: AnyShape }[];
  docs?: string[];
}

/** A Rust struct with named fields. Fields are declared lazily when the shape is recursive. */
export function Struct<F extends FieldsInput>(opts: NamedOpts, fields: F): Shape<FieldValues<F>> {
  const fieldNodes = toFieldNodes(fields);
  return makeShape(
    structCodec(fieldNodes) as unknown as Codec<FieldValues<F>>,
    { kind: 'composite', fields: fieldNodes },
    opts,
  );
}

/** A Rust tuple struct / newtype (`struct H256([u8; 32])`): the value is the single inner value. */
export function Newtype<T>(opts: NamedOpts, inner: Shape<T>, typeName?: string): Shape<T> {
  const field: FieldNode = { shape: inner };
  if (typeName !== undefined) field.typeName = typeName;
  return makeShape(inner.codec, { kind: 'composite', fields: [field] }, opts);
}

/** A value of an enum: `{ type: 'Name', value }`, `value` absent for unit variants. */
export type EnumValue<V extends Record<string, unknown>> = {
  [K in keyof V]: V[K] extends undefined
    ? { type: K; value?: undefined }
    : { type: K; value: V[K] };
}[keyof V];

export interface VariantSpec {
  index: number;
  /** `undefined` = unit; a Shape = one unnamed field; a record = named fields; an array = unnamed fields. */
  fields?: AnyShape | FieldsInput | AnyShape[];
  docs?: string[];
}

type VariantValue<S extends VariantSpec> =
  S['fields'] extends Shape<infer T>
    ? T
    : S['fields'] extends AnyShape[]
      ? TupleValues<S['fields']>
      : S['fields'] extends FieldsInput
        ? FieldValues<S['fields']>
        : undefined;

type VariantValues<V extends Record<string, VariantSpec>> = {
  [K in keyof V]: VariantValue<V[K]>;
};

export type EnumShapeValue<V extends Record<string, VariantSpec>> = EnumValue<VariantValues<V>>;

/**
 * A Rust enum with explicit variant indices. Pass `variants` as a function for recursive
 * enums (RuntimeCall contains Vec<RuntimeCall>).
 */
export function Enum<V extends Record<string, VariantSpec>>(
  opts: NamedOpts,
  variants: V | (() => V),
): Shape<EnumValue<VariantValues<V>>> {
  type Built = {
    nodes: VariantNode[];
    byName: Map<string, { index: number; codec: Codec<unknown> }>;
    byIndex: (undefined | { name: string; codec: Codec<unknown> })[];
  };
  let built: Built | undefined;
  const build = (): Built => {
    if (built) return built;
    const spec = typeof variants === 'function' ? variants() : variants;
    const nodes: VariantNode[] = [];
    const byName = new Map<string, { index: number; codec: Codec<unknown> }>();
    const byIndex: Built['byIndex'] = new Array(256);
    for (const [name, v] of Object.entries(spec)) {
      let fields: FieldNode[];
      let codec: Codec<unknown>;
      if (v.fields === undefined) {
        fields = [];
        codec = voidCodec as Codec<unknown>;
      } else if (Array.isArray(v.fields)) {
        fields = v.fields.map((shape) => ({ shape }));
        codec = Tuple(...v.fields).codec as Codec<unknown>;
      } else if ('codec' in v.fields) {
        fields = [{ shape: v.fields as AnyShape }];
        codec = (v.fields as AnyShape).codec;
      } else {
        fields = toFieldNodes(v.fields as FieldsInput);
        codec = structCodec(fields) as Codec<unknown>;
      }
      if (byIndex[v.index]) throw new Error(`${opts.path.join('::')}: duplicate index ${v.index}`);
      const node: VariantNode = { name, index: v.index, fields };
      if (v.docs) node.docs = v.docs;
      nodes.push(node);
      byName.set(name, { index: v.index, codec });
      byIndex[v.index] = { name, codec };
    }
    nodes.sort((a, b) => a.index - b.index);
    built = { nodes, byName, byIndex };
    return built;
  };
  const codec = createCodec<EnumValue<VariantValues<V>>>(
    (value) => {
      const { byName } = build();
      const v = value as { type: string; value?: unknown };
      const entry = byName.get(v.type);
      if (!entry) throw new TypeError(`${opts.path.join('::')}: unknown variant ${String(v.type)}`);
      const body = entry.codec.enc(v.value);
      const out = new Uint8Array(1 + body.length);
      out[0] = entry.index;
      out.set(body, 1);
      return out;
    },
    createDecoder((input) => {
      const { byIndex } = build();
      const at = cursorOf(input);
      if (at >= input.length) throw new RangeError('input too short for enum');
      const idx = input[at] as number;
      advanceCursor(input, 1);
      const entry = byIndex[idx];
      if (!entry) throw new RangeError(`${opts.path.join('::')}: unknown variant index ${idx}`);
      const value = entry.codec.dec(input);
      return (
        value === undefined ? { type: entry.name } : { type: entry.name, value }
      ) as EnumValue<VariantValues<V>>;
    }),
  );
  return makeShape(codec, () => ({ kind: 'variant', variants: build().nodes }), opts);
}

/** `Option<T>`, decoding to `T | undefined`. */
export function Option<T>(inner: Shape<T>): Shape<T | undefined> {
  return memoized(inner, 'option', () => {
    const [enc, dec] = inner.codec;
    const isBool = inner === (bool as AnyShape);
    const codec = createCodec<T | undefined>(
      (v) => {
        if (v === undefined) return new Uint8Array([0]);
        if (isBool) return new Uint8Array([v ? 1 : 2]);
        const b = enc(v);
        const out = new Uint8Array(1 + b.length);
        out[0] = 1;
        out.set(b, 1);
        return out;
      },
      createDecoder((input) => {
        const at = cursorOf(input);
        if (at >= input.length) throw new RangeError('input too short for Option');
        const tag = input[at] as number;
        advanceCursor(input, 1);
        if (tag === 0) return undefined;
        if (isBool) {
          if (tag > 2) throw new RangeError('bad Option<bool> tag');
          return (tag === 1) as T;
        }
        if (tag !== 1) throw new RangeError(`bad Option tag ${tag}`);
        return dec(input);
      }),
    );
    return makeShape(
      codec,
      {
        kind: 'variant',
        variants: [
          { name: 'None', index: 0, fields: [] },
          { name: 'Some', index: 1, fields: [{ shape: inner as AnyShape }] },
        ],
      },
      { path: ['Option'], params: [{ name: 'T', shape: inner as AnyShape }] },
    );
  });
}

export type ResultValue<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** `Result<T, E>`. */
export function Result<T, E>(ok: Shape<T>, err: Shape<E>): Shape<ResultValue<T, E>> {
  return memoized(ok, `result:${shapeId(err)}`, () => {
    const codec = createCodec<ResultValue<T, E>>(
      (v) => {
        const body = v.ok ? ok.enc(v.value) : err.enc(v.error);
        const out = new Uint8Array(1 + body.length);
        out[0] = v.ok ? 0 : 1;
        out.set(body, 1);
        return out;
      },
      createDecoder((input) => {
        const at = cursorOf(input);
        const tag = input[at];
        advanceCursor(input, 1);
        if (tag === 0) return { ok: true, value: ok.codec.dec(input) };
        if (tag === 1) return { ok: false, error: err.codec.dec(input) };
        throw new RangeError(`bad Result tag ${tag}`);
      }),
    );
    return makeShape(
      codec,
      {
        kind: 'variant',
        variants: [
          { name: 'Ok', index: 0, fields: [{ shape: ok as AnyShape }] },
          { name: 'Err', index: 1, fields: [{ shape: err as AnyShape }] },
        ],
      },
      {
        path: ['Result'],
        params: [
          { name: 'T', shape: ok as AnyShape },
          { name: 'E', shape: err as AnyShape },
        ],
      },
    );
  });
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function shapeId(s: object): number {
  let id = ids.get(s);
  if (id === undefined) {
    id = nextId++;
    ids.set(s, id);
  }
  return id;
}

/**
 * A shape whose bytes are produced by a hand-written codec but which metadata describes by
 * `node` (e.g. `Era`, whose 256 variants are encoded in one or two bytes).
 */
export function Custom<T>(
  codec: Codec<T>,
  node: TypeNode | (() => TypeNode),
  opts: NamedOpts,
): Shape<T> {
  return makeShape(codec, node, opts);
}

/**
 * The same shape (metadata node, path, params) with a hand-written codec: for hot value types
 * where the generic struct codec is measurably slow. The two codecs must agree byte for byte.
 */
export function withCodec<T>(shape: Shape<T>, codec: Codec<T>): Shape<T> {
  return makeShape(codec, () => shape.node(), shape.info);
}

/**
 * A forward reference to a shape declared later (the runtime's call enum, which pallets such as
 * Utility contain). Metadata resolves it to the target, so both share one type id.
 */
export function Lazy<T>(get: () => Shape<T>): Shape<T> {
  const codec = createCodec<T>(
    (v) => get().codec.enc(v),
    createDecoder((input) => get().codec.dec(input)),
  );
  const shape = makeShape(codec, () => get().node());
  return Object.assign(shape, { target: get });
}

/** Follows `Lazy` references to the shape they stand for. */
export function resolveShape(shape: AnyShape): AnyShape {
  let s = shape as AnyShape & { target?: () => AnyShape };
  while (s.target) s = s.target() as typeof s;
  return s;
}

function concat(parts: Uint8Array[], total?: number): Uint8Array {
  let len = total ?? 0;
  if (total === undefined) for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
