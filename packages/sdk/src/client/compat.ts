/**
 * Checks the node's live metadata against our chain-types declarations, item by item: a call,
 * storage item, runtime API method, event or constant is usable only when the node describes it
 * with the same SCALE layout we encode and decode (variant names and indices, field names and
 * order, integer widths, Compact vs plain, hashers). Wrappers that do not change the bytes
 * (single-field composites, one-element tuples) are looked through on both sides.
 */
import {
  decAnyMetadata,
  type UnifiedMetadata,
  unifyMetadata,
} from '@polkadot-api/substrate-bindings';
import {
  type AnyShape,
  type FieldNode,
  type RuntimeApiMethod,
  RuntimeCall,
  RuntimeEvent,
  resolveShape,
  runtimeApis,
  StorageItem,
  subtensorRuntimeApis,
  type TypeNode,
  UncheckedExtrinsic,
} from '@taoscript/chain-types';
import { fromHex } from '@taoscript/codec';

type Lookup = UnifiedMetadata['lookup'];
type LiveEntry = Lookup[number];
type LiveField = { name: string | undefined; type: number };

/** The result of checking one item. */
export interface ItemCheck {
  /** `kind:Pallet.name`, e.g. `call:SubtensorModule.add_stake_limit`. */
  key: string;
  ok: boolean;
  /** Why the item is unusable (empty when ok). */
  reasons: string[];
}

/** A call the node describes as we do, with the indices that encode it. */
export interface CallCheck extends ItemCheck {
  palletIndex: number;
  callIndex: number;
}
/** A storage item the node describes as we do, with the node's default bytes. */
export interface StorageCheck extends ItemCheck {
  /** SCALE default the node returns for an absent key (undefined for `OptionQuery`). */
  fallback: Uint8Array | undefined;
}
/** A constant the node describes as we do, with its value bytes. */
export interface ConstantCheck extends ItemCheck {
  value: Uint8Array | undefined;
}

/**
 * Decodes metadata bytes as `state_getMetadata`, `Metadata_metadata_at_version` or polkadot-api
 * return them (with or without the `Vec<u8>` / `Option` wrapper) into one unified form.
 * @example
 * import { runtimeMetadata } from '@taoscript/chain-types';
 * import { parseMetadata } from '@taoscript/sdk';
 * parseMetadata(runtimeMetadata({ version, ss58Prefix: 42, blockTimeMs: 12000 }, 15)).version; // 15
 */
export function parseMetadata(bytes: Uint8Array): UnifiedMetadata {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('metadata must be a Uint8Array');
  // Skip a `Vec<u8>` length prefix and an `Option` tag in front of the magic, if present.
  const at = indexOfMagic(bytes);
  if (at < 0) throw new RangeError('not SCALE metadata (no "meta" magic near the start)');
  try {
    return unifyMetadata(decAnyMetadata(bytes.subarray(at)));
  } catch (err) {
    throw new RangeError(
      `cannot decode metadata: ${(err as Error | null)?.message ?? String(err)}`,
    );
  }
}

function indexOfMagic(b: Uint8Array): number {
  for (let i = 0; i <= 6 && i + 4 <= b.length; i++)
    if (b[i] === 0x6d && b[i + 1] === 0x65 && b[i + 2] === 0x74 && b[i + 3] === 0x61) return i;
  return -1;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
const idOf = (o: object) => {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
};

/** Our shape with byte-transparent wrappers removed. */
function peelOurs(shape: AnyShape): { shape: AnyShape; node: TypeNode } {
  let s = resolveShape(shape);
  for (let depth = 0; depth < 64; depth++) {
    const node = s.node();
    if (node.kind === 'composite' && node.fields.length === 1)
      s = resolveShape((node.fields[0] as FieldNode).shape);
    else if (node.kind === 'tuple' && node.items.length === 1)
      s = resolveShape(node.items[0] as AnyShape);
    else return { shape: s, node };
  }
  throw new RangeError('shape nests too deeply');
}

function fieldsOfOurs(node: TypeNode): { name: string | undefined; shape: AnyShape }[] | undefined {
  if (node.kind === 'composite') return node.fields.map((f) => ({ name: f.name, shape: f.shape }));
  if (node.kind === 'tuple') return node.items.map((shape) => ({ name: undefined, shape }));
  return undefined;
}

/**
 * Compares our declarations with one node's metadata. Results are memoised per item.
 * @example
 * import { MetadataCompat, parseMetadata } from '@taoscript/sdk';
 * const compat = new MetadataCompat(parseMetadata(bytes));
 * compat.call('Balances', 'transfer_keep_alive').ok; // true
 */
export class MetadataCompat {
  readonly metadata: UnifiedMetadata;
  readonly #lookup: Map<number, LiveEntry>;
  readonly #checks = new Map<string, ItemCheck>();
  readonly #ourCalls = new Map<string, AnyShape>();
  readonly #ourEvents = new Map<string, AnyShape>();
  readonly #ourApis = new Map<string, RuntimeApiMethod>();

  constructor(metadata: UnifiedMetadata) {
    this.metadata = metadata;
    this.#lookup = new Map(metadata.lookup.map((e) => [e.id, e]));
    for (const [outer, into] of [
      [RuntimeCall, this.#ourCalls],
      [RuntimeEvent, this.#ourEvents],
    ] as const) {
      const node = (outer as AnyShape).node();
      if (node.kind === 'variant')
        for (const v of node.variants) into.set(v.name, v.fields[0]?.shape as AnyShape);
    }
    for (const api of [...runtimeApis(UncheckedExtrinsic as AnyShape), ...subtensorRuntimeApis()])
      for (const m of api.methods) this.#ourApis.set(`${api.name}.${m.name}`, m);
  }

  #entry(id: number): LiveEntry {
    const e = this.#lookup.get(id);
    if (!e) throw new RangeError(`node metadata refers to unknown type id ${id}`);
    return e;
  }

  #peelLive(id: number): LiveEntry {
    let e = this.#entry(id);
    for (let depth = 0; depth < 64; depth++) {
      if (e.def.tag === 'composite' && e.def.value.length === 1)
        e = this.#entry((e.def.value[0] as LiveField).type);
      else if (e.def.tag === 'tuple' && e.def.value.length === 1)
        e = this.#entry(e.def.value[0] as number);
      else return e;
    }
    throw new RangeError(`node type ${id} nests too deeply`);
  }

  /** A short name of a node type for messages. */
  describeLive(id: number): string {
    const e = this.#peelLive(id);
    const d = e.def;
    switch (d.tag) {
      case 'primitive':
        return d.value.tag;
      case 'compact':
        return `Compact<${this.describeLive(d.value)}>`;
      case 'sequence':
        return `Vec<${this.describeLive(d.value)}>`;
      case 'array':
        return `[${this.describeLive(d.value.type)}; ${d.value.len}]`;
      case 'tuple':
        return d.value.length === 0 ? '()' : `(${d.value.length}-tuple)`;
      case 'composite':
        return e.path.at(-1) ?? `{${d.value.map((f) => f.name ?? '_').join(', ')}}`;
      case 'variant':
        return `enum ${e.path.at(-1) ?? ''}`.trim();
      default:
        return d.tag;
    }
  }

  /** Reasons `ours` does not encode like live type `id` (empty when they agree). */
  compare(ours: AnyShape, id: number): string[] {
    const out: string[] = [];
    this.#compare(ours, id, '', new Set(), out);
    return out;
  }

  #compare(ours: AnyShape, id: number, path: string, seen: Set<string>, out: string[]): void {
    const key = `${idOf(resolveShape(ours))}:${id}`;
    if (seen.has(key) || out.length >= 8) return;
    seen.add(key);
    const { node } = peelOurs(ours);
    const live = this.#peelLive(id);
    const d = live.def;
    const at = path === '' ? '' : `${path}: `;
    const mismatch = (what: string) =>
      out.push(`${at}ours ${what}, node ${this.describeLive(live.id)}`);
    switch (node.kind) {
      case 'primitive':
        if (d.tag !== 'primitive' || d.value.tag !== node.name) mismatch(node.name);
        return;
      case 'compact':
        if (d.tag !== 'compact') mismatch('Compact<…>');
        else this.#compare(node.inner, d.value, `${path}<compact>`, seen, out);
        return;
      case 'sequence':
        if (d.tag !== 'sequence') mismatch('Vec<…>');
        else this.#compare(node.inner, d.value, `${path}[]`, seen, out);
        return;
      case 'array':
        if (d.tag !== 'array' || d.value.len !== node.len) mismatch(`[…; ${node.len}]`);
        else this.#compare(node.inner, d.value.type, `${path}[]`, seen, out);
        return;
      case 'tuple':
      case 'composite': {
        const mine = fieldsOfOurs(node) ?? [];
        const theirs: LiveField[] | undefined =
          d.tag === 'composite'
            ? d.value
            : d.tag === 'tuple'
              ? d.value.map((type) => ({ name: undefined, type }))
              : undefined;
        if (!theirs) mismatch(`a struct of ${mine.length} fields`);
        else this.#compareFields(mine, theirs, path, seen, out);
        return;
      }
      case 'variant': {
        if (d.tag !== 'variant') {
          mismatch('an enum');
          return;
        }
        const byName = new Map(d.value.map((v) => [v.name, v]));
        for (const v of node.variants) {
          const lv = byName.get(v.name);
          const vp = `${path}${path ? '.' : ''}${v.name}`;
          if (!lv) {
            out.push(`${vp}: the node has no such variant`);
            continue;
          }
          if (lv.index !== v.index) {
            out.push(`${vp}: ours index ${v.index}, node index ${lv.index}`);
            continue;
          }
          this.#compareFields(
            v.fields.map((f) => ({ name: f.name, shape: f.shape })),
            lv.fields,
            vp,
            seen,
            out,
          );
        }
        return;
      }
    }
  }

  #compareFields(
    mine: { name: string | undefined; shape: AnyShape }[],
    theirs: LiveField[],
    path: string,
    seen: Set<string>,
    out: string[],
  ): void {
    const at = path === '' ? '' : `${path}: `;
    if (mine.length !== theirs.length) {
      out.push(`${at}ours has ${mine.length} fields, node ${theirs.length}`);
      return;
    }
    for (let i = 0; i < mine.length; i++) {
      const m = mine[i] as { name: string | undefined; shape: AnyShape };
      const t = theirs[i] as LiveField;
      const label = m.name ?? t.name ?? String(i);
      const fp = `${path}${path ? '.' : ''}${label}`;
      if (m.name !== undefined && t.name !== undefined && m.name !== t.name) {
        out.push(`${fp}: ours field "${m.name}", node field "${t.name}" at position ${i}`);
        continue;
      }
      this.#compare(m.shape, t.type, fp, seen, out);
    }
  }

  #pallet(name: string) {
    return this.metadata.pallets.find((p) => p.name === name);
  }

  #memo<T extends ItemCheck>(key: string, run: () => Omit<T, 'key' | 'ok'>): T {
    const hit = this.#checks.get(key);
    if (hit) return hit as T;
    let result: T;
    try {
      const r = run();
      result = { key, ok: r.reasons.length === 0, ...r } as T;
    } catch (err) {
      result = { key, ok: false, reasons: [(err as Error).message] } as unknown as T;
    }
    this.#checks.set(key, result);
    return result;
  }

  /** Checks call `pallet.name` and returns its indices. */
  call(pallet: string, name: string): CallCheck {
    return this.#memo<CallCheck>(`call:${pallet}.${name}`, () => {
      const fail = (r: string) => ({ reasons: [r], palletIndex: -1, callIndex: -1 });
      const ourEnum = this.#ourCalls.get(pallet);
      const ourNode = ourEnum?.node();
      const ours =
        ourNode?.kind === 'variant' ? ourNode.variants.find((v) => v.name === name) : undefined;
      if (!ours) return fail(`chain-types declares no call ${pallet}.${name}`);
      const p = this.#pallet(pallet);
      if (!p) return fail(`the node has no pallet ${pallet}`);
      if (!p.calls) return fail(`the node's ${pallet} has no calls`);
      const e = this.#entry(p.calls.type);
      if (e.def.tag !== 'variant') return fail(`the node's ${pallet} call type is not an enum`);
      const live = e.def.value.find((v) => v.name === name);
      if (!live) return fail(`the node has no call ${pallet}.${name}`);
      const reasons: string[] = [];
      if (live.index !== ours.index)
        reasons.push(`call index: ours ${ours.index}, node ${live.index}`);
      else
        this.#compareFields(
          ours.fields.map((f) => ({ name: f.name, shape: f.shape })),
          live.fields,
          '',
          new Set(),
          reasons,
        );
      return { reasons, palletIndex: p.index, callIndex: live.index };
    });
  }

  /** Checks event `pallet.name`. */
  event(pallet: string, name: string): ItemCheck {
    return this.#memo(`event:${pallet}.${name}`, () => {
      const ourEnum = this.#ourEvents.get(pallet);
      const ourNode = ourEnum?.node();
      const ours =
        ourNode?.kind === 'variant' ? ourNode.variants.find((v) => v.name === name) : undefined;
      if (!ours) return { reasons: [`chain-types declares no event ${pallet}.${name}`] };
      const p = this.#pallet(pallet);
      if (!p?.events) return { reasons: [`the node's ${pallet} has no events`] };
      const e = this.#entry(p.events.type);
      const live = e.def.tag === 'variant' ? e.def.value.find((v) => v.name === name) : undefined;
      if (!live) return { reasons: [`the node has no event ${pallet}.${name}`] };
      if (live.index !== ours.index)
        return { reasons: [`event index: ours ${ours.index}, node ${live.index}`] };
      const reasons: string[] = [];
      this.#compareFields(
        ours.fields.map((f) => ({ name: f.name, shape: f.shape })),
        live.fields,
        '',
        new Set(),
        reasons,
      );
      return { reasons };
    });
  }

  /** Our event enum of `pallet` (undefined when chain-types declares none). */
  ourEventEnum(pallet: string): AnyShape | undefined {
    return this.#ourEvents.get(pallet);
  }
  /** Our declaration of runtime API method `api.method`. */
  ourApi(api: string, method: string): RuntimeApiMethod | undefined {
    return this.#ourApis.get(`${api}.${method}`);
  }
  /** Our call enum of `pallet` (undefined when chain-types declares none). */
  ourCallEnum(pallet: string): AnyShape | undefined {
    return this.#ourCalls.get(pallet);
  }

  /** Checks a storage item: hashers, key and value types, query kind. */
  storage<K extends unknown[], V>(item: StorageItem<K, V>): StorageCheck {
    if (!(item instanceof StorageItem)) throw new TypeError('expected a StorageItem');
    return this.#memo<StorageCheck>(`storage:${item.pallet}.${item.name}`, () => {
      const fail = (r: string) => ({ reasons: [r], fallback: undefined });
      const p = this.#pallet(item.pallet);
      const live = p?.storage?.items.find((s) => s.name === item.name);
      if (!live) return fail(`the node has no storage item ${item.pallet}.${item.name}`);
      const reasons: string[] = [];
      const modifier = live.modifier === 0 ? 'Optional' : 'Default';
      if (modifier !== item.modifier)
        reasons.push(`query kind: ours ${item.modifier}, node ${modifier}`);
      if (live.type.tag === 'plain') {
        if (item.hashers.length !== 0) reasons.push('ours is a map, the node a plain value');
        else reasons.push(...this.compare(item.value as AnyShape, live.type.value));
      } else {
        const m = live.type.value;
        const theirs = m.hashers.map((h) => h.tag);
        const mine = item.hashers.map((h) => h.replace(/_/g, ''));
        if (theirs.join(',') !== mine.join(','))
          reasons.push(`hashers: ours ${mine.join(', ')}, node ${theirs.join(', ')}`);
        else if (item.keyShapes.length === 1)
          reasons.push(
            ...this.compare(item.keyShapes[0] as AnyShape, m.key).map((r) => `key ${r}`),
          );
        else {
          const k = this.#entry(m.key);
          if (k.def.tag !== 'tuple' || k.def.value.length !== item.keyShapes.length)
            reasons.push(
              `key: ours ${item.keyShapes.length} keys, node ${this.describeLive(m.key)}`,
            );
          else
            item.keyShapes.forEach((s, i) => {
              const lid = (k.def as { value: number[] }).value[i] as number;
              reasons.push(...this.compare(s, lid).map((r) => `key ${i} ${r}`));
            });
        }
        reasons.push(...this.compare(item.value as AnyShape, m.value).map((r) => `value ${r}`));
      }
      return {
        reasons,
        fallback: modifier === 'Default' ? fromHex(live.fallback) : undefined,
      };
    });
  }

  /** Checks runtime API method `api.method` (inputs and output). */
  api(api: string, method: string): ItemCheck {
    return this.#memo(`api:${api}.${method}`, () => {
      const ours = this.#ourApis.get(`${api}.${method}`);
      if (!ours) return { reasons: [`chain-types declares no runtime API ${api}.${method}`] };
      if (this.metadata.version === 14)
        return { reasons: ['the node serves only metadata V14, which lists no runtime APIs'] };
      const live = this.metadata.apis
        .find((a) => a.name === api)
        ?.methods.find((m) => m.name === method);
      if (!live) return { reasons: [`the node has no runtime API ${api}.${method}`] };
      if (live.inputs.length !== ours.inputs.length)
        return {
          reasons: [`ours takes ${ours.inputs.length} arguments, the node ${live.inputs.length}`],
        };
      const reasons: string[] = [];
      ours.inputs.forEach((input, i) => {
        const lid = (live.inputs[i] as { type: number }).type;
        reasons.push(...this.compare(input.shape, lid).map((r) => `argument ${input.name} ${r}`));
      });
      reasons.push(...this.compare(ours.output, live.output).map((r) => `output ${r}`));
      return { reasons };
    });
  }

  /** Checks constant `pallet.name` against `shape` and returns its value bytes. */
  constant(pallet: string, name: string, shape: AnyShape): ConstantCheck {
    return this.#memo<ConstantCheck>(`constant:${pallet}.${name}`, () => {
      const live = this.#pallet(pallet)?.constants.find((c) => c.name === name);
      if (!live)
        return { reasons: [`the node has no constant ${pallet}.${name}`], value: undefined };
      return { reasons: this.compare(shape, live.type), value: fromHex(live.value) };
    });
  }

  /** `Pallet.ErrorName` of a `DispatchError::Module` by the node's metadata. */
  moduleError(
    palletIndex: number,
    errorIndex: number,
  ): { pallet: string; name: string } | undefined {
    const p = this.metadata.pallets.find((x) => x.index === palletIndex);
    if (!p?.errors) return p ? { pallet: p.name, name: `#${errorIndex}` } : undefined;
    const e = this.#lookup.get(p.errors.type);
    const v =
      e?.def.tag === 'variant' ? e.def.value.find((x) => x.index === errorIndex) : undefined;
    return { pallet: p.name, name: v?.name ?? `#${errorIndex}` };
  }

  /** The node's name of pallet index `i`. */
  palletName(i: number): string | undefined {
    return this.metadata.pallets.find((p) => p.index === i)?.name;
  }
}
