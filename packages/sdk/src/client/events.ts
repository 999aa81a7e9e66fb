/**
 * `System.Events` decoding that works on any runtime: record boundaries come from the node's own
 * metadata (so events of pallets chain-types does not declare are skipped, not mis-read), and an
 * event is decoded into our chain-types value only when the node describes it as we do.
 */
import type { UnifiedMetadata } from '@polkadot-api/substrate-bindings';
import { type AnyShape, Phase, type RuntimeEvent } from '@taoscript/chain-types';
import { compactLength } from '@taoscript/codec';
import type { MetadataCompat } from './compat.js';

type LiveEntry = UnifiedMetadata['lookup'][number];
type Skip = (b: Uint8Array, at: number) => number;

const PRIMITIVE_SIZE: Record<string, number> = {
  bool: 1,
  char: 4,
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  u64: 8,
  i64: 8,
  u128: 16,
  i128: 16,
  u256: 32,
  i256: 32,
};

function need(b: Uint8Array, end: number): number {
  if (end > b.length) throw new RangeError('SCALE input ends early');
  return end;
}

/**
 * Reads a SCALE compact at `at` (codec's `compactLength`): its value (as a number, capped at
 * 2^53) and the next offset.
 */
export function readCompact(b: Uint8Array, at: number): [number, number] {
  const { value, length } = compactLength(b, at);
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return [Number(value > max ? max : value), at + length];
}

/**
 * Measures SCALE values of the node's types (by metadata type id) without decoding them: the
 * offset after a value starting at `at`. Throws RangeError on truncated or malformed input.
 */
export class LiveSkipper {
  readonly #lookup: Map<number, LiveEntry>;
  readonly #cache = new Map<number, Skip>();

  constructor(metadata: UnifiedMetadata) {
    this.#lookup = new Map(metadata.lookup.map((e) => [e.id, e]));
  }

  /** Offset just past the value of type `id` that starts at `at`. */
  endOf(id: number, b: Uint8Array, at: number): number {
    return this.#get(id)(b, at);
  }

  #get(id: number): Skip {
    const hit = this.#cache.get(id);
    if (hit) return hit;
    let impl: Skip = () => {
      throw new Error('unreachable');
    };
    const lazy: Skip = (b, at) => impl(b, at);
    this.#cache.set(id, lazy);
    impl = this.#build(id);
    this.#cache.set(id, impl);
    return impl;
  }

  #build(id: number): Skip {
    const e = this.#lookup.get(id);
    if (!e) throw new RangeError(`unknown type id ${id}`);
    const d = e.def;
    switch (d.tag) {
      case 'primitive': {
        if (d.value.tag === 'str')
          return (b, at) => {
            const [n, o] = readCompact(b, at);
            return need(b, o + n);
          };
        const size = PRIMITIVE_SIZE[d.value.tag] as number;
        return (b, at) => need(b, at + size);
      }
      case 'compact':
        return (b, at) => readCompact(b, at)[1];
      case 'sequence': {
        const inner = this.#lookup.get(d.value);
        if (inner?.def.tag === 'primitive' && inner.def.value.tag === 'u8')
          return (b, at) => {
            const [n, o] = readCompact(b, at);
            return need(b, o + n);
          };
        const item = this.#get(d.value);
        return (b, at) => {
          let [n, o] = readCompact(b, at);
          if (n > b.length - o) throw new RangeError('sequence longer than its input');
          while (n-- > 0) o = item(b, o);
          return o;
        };
      }
      case 'array': {
        const { len, type } = d.value;
        const inner = this.#lookup.get(type);
        if (inner?.def.tag === 'primitive' && PRIMITIVE_SIZE[inner.def.value.tag] !== undefined) {
          const size = (PRIMITIVE_SIZE[inner.def.value.tag] as number) * len;
          return (b, at) => need(b, at + size);
        }
        const item = this.#get(type);
        return (b, at) => {
          let o = at;
          for (let i = 0; i < len; i++) o = item(b, o);
          return o;
        };
      }
      case 'tuple':
      case 'composite': {
        const parts = (d.tag === 'tuple' ? d.value : d.value.map((f) => f.type)).map((t) =>
          this.#get(t),
        );
        return (b, at) => {
          let o = at;
          for (const p of parts) o = p(b, o);
          return o;
        };
      }
      case 'variant': {
        const byIndex = new Map<number, Skip[]>();
        for (const v of d.value)
          byIndex.set(
            v.index,
            v.fields.map((f) => this.#get(f.type)),
          );
        return (b, at) => {
          need(b, at + 1);
          const parts = byIndex.get(b[at] as number);
          if (!parts) throw new RangeError(`unknown variant index ${b[at]} of type ${id}`);
          let o = at + 1;
          for (const p of parts) o = p(b, o);
          return o;
        };
      }
      case 'bitSequence': {
        const store = this.#lookup.get(d.value.bitStoreType);
        const width =
          store?.def.tag === 'primitive' ? (PRIMITIVE_SIZE[store.def.value.tag] ?? 1) * 8 : 8;
        return (b, at) => {
          const [bits, o] = readCompact(b, at);
          return need(b, o + Math.ceil(bits / width) * (width / 8));
        };
      }
      default:
        throw new RangeError(`type ${id} has an unsupported definition`);
    }
  }
}

/** One event of a block, as the node's metadata names it. */
export interface ChainEvent {
  /** Pallet name (the node's). */
  pallet: string;
  /** Event name (the node's). */
  name: string;
  /** When it was emitted (undefined if the node's phase type differs from ours). */
  phase: Phase | undefined;
  /**
   * The event as chain-types declares it (`{ type: 'SubtensorModule', value: { type: 'StakeAdded',
   * value: [...] } }`); undefined when chain-types does not declare it or the node's shape differs.
   */
  event: RuntimeEvent | undefined;
  /** The encoded event (pallet index first). */
  bytes: Uint8Array;
}

/** Decodes `System.Events` values with the node's metadata and our declarations. */
export class EventDecoder {
  readonly #compat: MetadataCompat;
  readonly #skipper: LiveSkipper;
  readonly #fields: { name: string; type: number }[];
  readonly #phaseOk: boolean;
  readonly #palletEvents = new Map<number, { pallet: string; names: Map<number, string> }>();

  constructor(compat: MetadataCompat) {
    this.#compat = compat;
    const md = compat.metadata;
    this.#skipper = new LiveSkipper(md);
    const lookup = new Map(md.lookup.map((e) => [e.id, e]));
    const item = md.pallets
      .find((p) => p.name === 'System')
      ?.storage?.items.find((s) => s.name === 'Events');
    if (item?.type.tag !== 'plain') throw new RangeError('the node has no System.Events');
    const seq = lookup.get(item.type.value);
    if (seq?.def.tag !== 'sequence') throw new RangeError('System.Events is not a sequence');
    const rec = lookup.get(seq.def.value);
    if (rec?.def.tag !== 'composite') throw new RangeError('EventRecord is not a struct');
    this.#fields = rec.def.value.map((f) => ({ name: f.name ?? '', type: f.type }));
    const phase = this.#fields.find((f) => f.name === 'phase');
    this.#phaseOk =
      phase !== undefined && compat.compare(Phase as AnyShape, phase.type).length === 0;
    for (const p of md.pallets) {
      if (!p.events) continue;
      const e = lookup.get(p.events.type);
      const names = new Map<number, string>();
      if (e?.def.tag === 'variant') for (const v of e.def.value) names.set(v.index, v.name);
      this.#palletEvents.set(p.index, { pallet: p.name, names });
    }
  }

  /** Decodes the SCALE value of `System.Events`. */
  decode(raw: Uint8Array): ChainEvent[] {
    if (!(raw instanceof Uint8Array)) throw new TypeError('expected bytes');
    let [n, at] = readCompact(raw, 0);
    if (n > raw.length) throw new RangeError('event count exceeds the input');
    const out: ChainEvent[] = [];
    while (n-- > 0) {
      let phase: Phase | undefined;
      let ev: ChainEvent | undefined;
      for (const f of this.#fields) {
        const end = this.#skipper.endOf(f.type, raw, at);
        if (f.name === 'phase' && this.#phaseOk) phase = Phase.dec(raw.slice(at, end));
        else if (f.name === 'event') ev = this.#event(raw.slice(at, end));
        at = end;
      }
      if (ev) out.push({ ...ev, phase });
    }
    if (at !== raw.length) throw new RangeError(`${raw.length - at} bytes trail System.Events`);
    return out;
  }

  #event(bytes: Uint8Array): ChainEvent {
    const p = this.#palletEvents.get(bytes[0] as number);
    const pallet = p?.pallet ?? `#${bytes[0]}`;
    const name = p?.names.get(bytes[1] as number) ?? `#${bytes[1]}`;
    let event: RuntimeEvent | undefined;
    const ours = this.#compat.ourEventEnum(pallet);
    if (ours && this.#compat.event(pallet, name).ok) {
      try {
        event = { type: pallet, value: ours.dec(bytes.subarray(1)) } as RuntimeEvent;
      } catch {
        // An enum value inside the event uses a variant chain-types does not know.
        event = undefined;
      }
    }
    return { pallet, name, phase: undefined, event, bytes };
  }
}
