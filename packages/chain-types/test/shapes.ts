/**
 * Test-only helpers over declared shapes: fast-check arbitraries read off a shape's metadata node,
 * a round-trip property, variant and field listings, and metadata built from a pallet list.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  type AnyShape,
  Bytes,
  type FieldNode,
  Option,
  type PrimitiveName,
  resolveShape,
  type VariantNode,
} from '../src/dsl.js';
import { buildMetadata } from '../src/metadata.js';
import {
  RuntimeCall,
  RuntimeError,
  RuntimeEvent,
  type RuntimeParams,
  UncheckedExtrinsic,
} from '../src/outer.js';
import type { PalletDef } from '../src/pallet.js';
import { Present } from '../src/pallets/subtensor/storage-types.js';
import { DispatchError, DispatchResult, MultiAddress, MultiSignature } from '../src/primitives.js';
import { type RuntimeApiDef, runtimeApis } from '../src/runtime-apis.js';
import { compareKeys } from '../src/subtensor-apis.js';

/** The fast-check seed: `FC_SEED` when set, else 1 (fast-check prints it when a property fails). */
export const FC_SEED = Number(process.env.FC_SEED ?? 1);

/** Runtime parameters for test metadata: subtensor's spec name and version, ss58 42, 12 s blocks. */
export const RUNTIME_PARAMS: RuntimeParams = {
  version: {
    spec_name: 'node-subtensor',
    impl_name: 'taoscript',
    authoring_version: 1,
    spec_version: 425,
    impl_version: 1,
    apis: [],
    transaction_version: 1,
    system_version: 1,
  },
  ss58Prefix: 42,
  blockTimeMs: 12_000,
};

/** Size limits of generated values, and the one enum variant to generate. */
export interface ArbitraryOptions {
  /** Generate only this variant of the (top-level) enum. */
  variant?: string;
  /** Longest sequence, bounded vector, BTreeSet or BTreeMap (default 3). */
  maxItems?: number;
  /** Longest `Vec<u8>` (default 40). */
  maxBytes?: number;
  /** Longest string (default 8). */
  maxChars?: number;
}

interface Limits {
  maxItems: number;
  maxBytes: number;
  maxChars: number;
}

type Arb = fc.Arbitrary<unknown>;

const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const sint = (bits: number) =>
  fc.bigInt({ min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n });

/** Integers up to 32 bits are numbers, wider ones bigint, as the DSL's codecs take them. */
const PRIMITIVES: Record<PrimitiveName, (l: Limits) => Arb> = {
  bool: () => fc.boolean(),
  char: () => {
    throw new Error('the DSL declares no char shape');
  },
  str: (l) => fc.string({ maxLength: l.maxChars }),
  u8: () => fc.integer({ min: 0, max: 0xff }),
  u16: () => fc.integer({ min: 0, max: 0xffff }),
  u32: () => fc.integer({ min: 0, max: 0xffff_ffff }),
  u64: () => uint(64),
  u128: () => uint(128),
  u256: () => uint(256),
  i8: () => fc.integer({ min: -0x80, max: 0x7f }),
  i16: () => fc.integer({ min: -0x8000, max: 0x7fff }),
  i32: () => fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }),
  i64: () => sint(64),
  i128: () => sint(128),
  i256: () => sint(256),
};

/**
 * Shapes whose values the metadata node does not tell: `Vec<u8>` is bytes, the storage marker
 * `()` decodes to `null`, and `DispatchResult`'s `Ok` holds the one-element tuple `[()]`.
 */
const SPECIAL = new Map<AnyShape, (l: Limits, stack: AnyShape[]) => Arb>([
  [Bytes as AnyShape, (l) => fc.uint8Array({ maxLength: l.maxBytes })],
  [Present as AnyShape, () => fc.constant(null)],
  [
    DispatchResult as AnyShape,
    (l, stack) =>
      fc.oneof(
        fc.constant({ type: 'Ok', value: [undefined] }),
        gen(DispatchError as AnyShape, l, stack).map((value) => ({ type: 'Err', value })),
      ),
  ],
]);

/** How often a shape may stand inside itself (the runtime call inside a batch) before it stops. */
const MAX_NESTING = 1;

/** Thrown when a recursive shape reaches its nesting limit; caught where an empty value fits. */
class TooDeep extends Error {}

/** `make()`, or undefined when a recursive shape under it reached the nesting limit. */
function attempt(make: () => Arb): Arb | undefined {
  try {
    return make();
  } catch (e) {
    if (e instanceof TooDeep) return undefined;
    throw e;
  }
}
/** `make()`, or the empty value `empty` when a recursive shape under it reached the limit. */
const orEmpty = (make: () => Arb, empty: unknown): Arb => attempt(make) ?? fc.constant(empty);

const isU8 = (s: AnyShape) => {
  const n = resolveShape(s).node();
  return n.kind === 'primitive' && n.name === 'u8';
};

/** Field values: a record for named fields, the value for one unnamed field, else a tuple. */
function fieldsArb(fields: FieldNode[], l: Limits, stack: AnyShape[]): Arb | undefined {
  if (fields.length === 0) return undefined;
  if (fields.every((f) => f.name !== undefined)) {
    const rec: Record<string, Arb> = {};
    for (const f of fields) rec[f.name as string] = gen(f.shape, l, stack);
    return fc.record(rec, { noNullPrototype: true });
  }
  const [only] = fields;
  if (fields.length === 1 && only) return gen(only.shape, l, stack);
  return fc.tuple(...fields.map((f) => gen(f.shape, l, stack)));
}

/** A variant's values, `{ type }` when it carries nothing, else `{ type, value }`. */
function variantArb(v: VariantNode, l: Limits, stack: AnyShape[]): Arb {
  const body = fieldsArb(v.fields, l, stack);
  if (!body) return fc.constant({ type: v.name });
  return body.map((value) => (value === undefined ? { type: v.name } : { type: v.name, value }));
}

/** The arbitrary of `input` (of its variant `only`), inside the shapes `outer` being generated. */
function gen(input: AnyShape, l: Limits, outer: AnyShape[], only?: string): Arb {
  const shape = resolveShape(input);
  if (outer.filter((s) => s === shape).length > MAX_NESTING) throw new TooDeep();
  const stack = [...outer, shape];
  const special = SPECIAL.get(shape);
  if (special) return special(l, stack);
  const node = shape.node();
  const { path, params } = shape.info;
  switch (node.kind) {
    case 'primitive':
      return PRIMITIVES[node.name](l);
    case 'compact':
      return gen(node.inner, l, stack);
    case 'sequence':
      return orEmpty(() => fc.array(gen(node.inner, l, stack), { maxLength: l.maxItems }), []);
    case 'array':
      return isU8(node.inner)
        ? fc.uint8Array({ minLength: node.len, maxLength: node.len })
        : fc.array(gen(node.inner, l, stack), { minLength: node.len, maxLength: node.len });
    case 'tuple':
      return node.items.length === 0
        ? fc.constant(undefined)
        : fc.tuple(...node.items.map((s) => gen(s, l, stack)));
    case 'composite': {
      // substrate_fixed numbers are held as their raw bits, the `bits` field's integer.
      if (path[0] === 'substrate_fixed') return gen((node.fields[0] as FieldNode).shape, l, stack);
      if (path[0] === 'BTreeSet') {
        const item = params[0]?.shape as AnyShape;
        return orEmpty(
          () =>
            fc
              .uniqueArray(gen(item, l, stack), {
                maxLength: l.maxItems,
                comparator: (a, b) => compareKeys(a, b) === 0,
              })
              .map((xs) => xs.sort(compareKeys)),
          [],
        );
      }
      if (path[0] === 'BTreeMap') {
        const [k, v] = params.map((p) => p.shape as AnyShape);
        return orEmpty(
          () =>
            fc
              .uniqueArray(fc.tuple(gen(k as AnyShape, l, stack), gen(v as AnyShape, l, stack)), {
                maxLength: l.maxItems,
                comparator: (a, b) => compareKeys(a[0], b[0]) === 0,
              })
              .map((xs) => xs.sort((a, b) => compareKeys(a[0], b[0]))),
          [],
        );
      }
      return fieldsArb(node.fields, l, stack) ?? fc.constant({});
    }
    case 'variant': {
      if (path[0] === 'Option') {
        assert.equal(
          only,
          undefined,
          'an Option has no variant to pick: its values are T | undefined',
        );
        const inner = params[0]?.shape as AnyShape;
        // A `NestedOption` (not the DSL's own `Option` of an option) reads `Some(None)` as null.
        if (resolveShape(inner).info.path[0] === 'Option' && shape !== Option(inner))
          return orEmpty(
            () =>
              fc.oneof(
                fc.constant(undefined),
                fc.constant(null),
                gen(inner, l, stack).filter((x) => x !== undefined),
              ),
            undefined,
          );
        return orEmpty(() => fc.option(gen(inner, l, stack), { nil: undefined }), undefined);
      }
      const chosen = node.variants.filter((v) => only === undefined || v.name === only);
      assert.ok(chosen.length > 0, `${path.join('::')} has no variant ${only}`);
      // A variant that only deeper recursion could fill is left out.
      const arbs = chosen.flatMap((v) => attempt(() => variantArb(v, l, stack)) ?? []);
      if (arbs.length === 0) throw new TooDeep();
      return fc.oneof(...arbs);
    }
  }
}

/**
 * A fast-check arbitrary of the JS values `shape` encodes, derived from its metadata node: numbers
 * for integers up to 32 bits and bigint above (in range, `Compact` too), bytes for `Vec<u8>` and
 * `[u8; N]`, `{ type, value }` enums, `undefined` for `None` (and `null` for a nested option's
 * `Some(None)`), raw bits for fixed-point numbers, sorted unique BTreeSet/BTreeMap entries.
 * `Lazy` references are followed; a recursive shape nests at most once in itself.
 * @example
 * import { arbitraryOf } from '../test/shapes.js';
 * fc.sample(arbitraryOf(SubtensorCall, { variant: 'add_stake' }), 1);
 */
export function arbitraryOf(shape: AnyShape, opts: ArbitraryOptions = {}): Arb {
  const limits: Limits = {
    maxItems: opts.maxItems ?? 3,
    maxBytes: opts.maxBytes ?? 40,
    maxChars: opts.maxChars ?? 8,
  };
  return gen(shape, limits, [], opts.variant);
}

/** Options of `roundTrips`: the generator's, a run count, and a check of each encoding. */
export interface RoundTripOptions extends ArbitraryOptions {
  numRuns?: number;
  /** Further assertions on each generated value's bytes. */
  check?: (bytes: Uint8Array, value: unknown) => void;
}

/**
 * Asserts, for generated values, that `dec(enc(v))` equals `v` and re-encodes to the same bytes.
 * @example
 * import { roundTrips } from '../test/shapes.js';
 * roundTrips(SubtensorCall, { variant: 'add_stake', numRuns: 10 });
 */
export function roundTrips(shape: AnyShape, opts: RoundTripOptions = {}): void {
  fc.assert(
    fc.property(arbitraryOf(shape, opts), (value) => {
      const bytes = shape.enc(value);
      const back = shape.dec(bytes);
      assert.deepEqual(back, value);
      assert.deepEqual(shape.enc(back), bytes);
      opts.check?.(bytes, value);
    }),
    { seed: FC_SEED, numRuns: opts.numRuns ?? 25 },
  );
}

/** The variants of an enum shape, in index order (asserts that it is an enum). */
export function variantsOf(shape: AnyShape): VariantNode[] {
  const node = resolveShape(shape).node();
  assert.equal(node.kind, 'variant', `${shape.info.path.join('::')} is not an enum`);
  return node.kind === 'variant' ? node.variants : [];
}

/** One variant of an enum shape, by name (asserts that it exists). */
export function variantOf(shape: AnyShape, name: string): VariantNode {
  const v = variantsOf(shape).find((x) => x.name === name);
  assert.ok(v, `${shape.info.path.join('::')} has no variant ${name}`);
  return v;
}

/** The variant names of an enum shape, in index order. */
export function variantNames(shape: AnyShape): string[] {
  return variantsOf(shape).map((v) => v.name);
}

/** An enum's variant indices by name, in index order. */
export function variantIndices(shape: AnyShape): Map<string, number> {
  return new Map(variantsOf(shape).map((v) => [v.name, v.index]));
}

/** The fields of a struct, or of one variant of an enum when `variant` is given. */
export function fieldsOf(shape: AnyShape, variant?: string): FieldNode[] {
  if (variant !== undefined) return variantOf(shape, variant).fields;
  const node = resolveShape(shape).node();
  assert.equal(node.kind, 'composite', `${shape.info.path.join('::')} is not a struct`);
  return node.kind === 'composite' ? node.fields : [];
}

/** The field names of a struct or of one variant (`undefined` for unnamed fields). */
export function fieldNames(shape: AnyShape, variant?: string): (string | undefined)[] {
  return fieldsOf(shape, variant).map((f) => f.name);
}

/** `name:TypeName` of each field of a struct or of one variant, as metadata lists them. */
export function fieldSignatures(shape: AnyShape, variant?: string): string[] {
  return fieldsOf(shape, variant).map((f) => `${f.name}:${f.typeName}`);
}

/**
 * Metadata V14/V15 of the runtime's outer enums and extrinsic with these pallets and runtime APIs
 * (`undefined` apis: the runtime's own list). For the runtime's full metadata use
 * `runtimeMetadata` from src/runtime-metadata.ts.
 * @example
 * import { metadataWith, RUNTIME_PARAMS } from '../test/shapes.js';
 * metadataWith(pallets(RUNTIME_PARAMS), [...runtimeApis(UncheckedExtrinsic), ...extra], 15);
 */
export function metadataWith(
  pallets: PalletDef[],
  apis: RuntimeApiDef[] | undefined,
  version: 14 | 15,
): Uint8Array {
  return buildMetadata(
    {
      pallets,
      apis: apis ?? runtimeApis(UncheckedExtrinsic),
      call: RuntimeCall,
      event: RuntimeEvent,
      error: RuntimeError,
      address: MultiAddress,
      signature: MultiSignature,
      extrinsic: UncheckedExtrinsic,
    },
    version,
  );
}
