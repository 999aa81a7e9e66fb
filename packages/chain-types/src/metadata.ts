/**
 * Metadata V14 and V15, generated from the pallet and API declarations (no hand-kept copy).
 */
import { metadata as metadataCodec } from '@polkadot-api/substrate-bindings';
import { toHex } from '@taoscript/codec';
import { type AnyShape, Struct } from './dsl.js';
import { EXTENSIONS, ExtraTuple } from './extensions.js';
import type { PalletDef } from './pallet.js';
import { TypeRegistry } from './registry.js';
import type { RuntimeApiDef } from './runtime-apis.js';

export interface MetadataInput {
  pallets: PalletDef[];
  apis: RuntimeApiDef[];
  call: AnyShape;
  event: AnyShape;
  error: AnyShape;
  address: AnyShape;
  signature: AnyShape;
  /** The opaque extrinsic type (`UncheckedExtrinsic<Address, Call, Signature, Extra>`). */
  extrinsic: AnyShape;
}

const RuntimeType = Struct({ path: ['node_subtensor_runtime', 'Runtime'] }, {});
const MAGIC = 0x6174656d; // "meta"

function buildPallets(reg: TypeRegistry, pallets: PalletDef[]) {
  return pallets.map((p) => ({
    name: p.name,
    storage: p.storage?.length
      ? {
          prefix: p.name,
          items: p.storage.map((item) => ({
            name: item.name,
            modifier: item.modifier === 'Optional' ? 0 : 1,
            type:
              item.hashers.length === 0
                ? { tag: 'plain' as const, value: reg.idOf(item.value as AnyShape) }
                : {
                    tag: 'map' as const,
                    value: {
                      hashers: item.hashers.map((h) => ({
                        tag: h.replace(/_/g, '') as 'Blake2128Concat',
                        value: undefined,
                      })),
                      key: reg.idOf(item.keyShape),
                      value: reg.idOf(item.value as AnyShape),
                    },
                  },
            fallback: toHex(item.fallbackBytes ?? new Uint8Array([0])),
            docs: item.docs,
          })),
        }
      : undefined,
    calls: p.calls ? reg.idOf(p.calls) : undefined,
    events: p.events ? reg.idOf(p.events) : undefined,
    constants: (p.constants ?? []).map((c) => ({
      name: c.name,
      type: reg.idOf(c.shape),
      value: toHex(c.shape.enc(c.value)),
      docs: c.docs ?? [],
    })),
    errors: p.errors ? reg.idOf(p.errors) : undefined,
    index: p.index,
    docs: p.docs ?? [],
  }));
}

function buildExtensions(reg: TypeRegistry) {
  return EXTENSIONS.map((e) => ({
    identifier: e.identifier,
    type: reg.idOf(e.explicit),
    additionalSigned: reg.idOf(e.implicit),
  }));
}

/** SCALE-encoded metadata (`meta` magic + version) for version 14 or 15. */
export function buildMetadata(input: MetadataInput, version: 14 | 15): Uint8Array {
  const reg = new TypeRegistry();
  if (version === 14) {
    // The runtime type and the outer enums come first, as construct_runtime registers them.
    const pallets = buildPallets(reg, input.pallets);
    const extrinsic = {
      type: reg.idOf(input.extrinsic),
      version: 4,
      signedExtensions: buildExtensions(reg),
    };
    const type = reg.idOf(RuntimeType as AnyShape);
    reg.idOf(input.event);
    reg.idOf(input.error);
    return metadataCodec.enc({
      magicNumber: MAGIC,
      metadata: {
        tag: 'v14',
        value: { lookup: reg.entries, pallets, extrinsic, type, apis: [] } as never,
      },
    });
  }
  const pallets = buildPallets(reg, input.pallets);
  const extrinsic = {
    version: 4,
    address: reg.idOf(input.address),
    call: reg.idOf(input.call),
    signature: reg.idOf(input.signature),
    extra: reg.idOf(ExtraTuple as AnyShape),
    signedExtensions: buildExtensions(reg),
  };
  const type = reg.idOf(RuntimeType as AnyShape);
  const apis = input.apis.map((api) => ({
    name: api.name,
    methods: api.methods.map((mth) => ({
      name: mth.name,
      inputs: mth.inputs.map((i) => ({ name: i.name, type: reg.idOf(i.shape) })),
      output: reg.idOf(mth.output),
      docs: mth.docs ?? [],
    })),
    docs: api.docs ?? [],
  }));
  const outerEnums = {
    call: reg.idOf(input.call),
    event: reg.idOf(input.event),
    error: reg.idOf(input.error),
  };
  return metadataCodec.enc({
    magicNumber: MAGIC,
    metadata: {
      tag: 'v15',
      value: {
        lookup: reg.entries,
        pallets,
        extrinsic,
        type,
        apis,
        outerEnums,
        custom: [],
      } as never,
    },
  });
}
