/** Metadata blobs for the client's unit tests: ours, and ours with edits (a node that differs). */
import { metadata as metadataCodec } from '@polkadot-api/substrate-bindings';
import { type RuntimeParams, runtimeMetadata } from '@taoscript/chain-types';

/** Runtime parameters of the test metadata. */
export const PARAMS: RuntimeParams = {
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
/** Our metadata, V15. */
export const V15 = runtimeMetadata(PARAMS, 15);
/** Our metadata, V14. */
export const V14 = runtimeMetadata(PARAMS, 14);

type Decoded = ReturnType<typeof metadataCodec.dec>;
/** Decoded V15 metadata. */
export type V15Value = Extract<Decoded['metadata'], { tag: 'v15' }>['value'];
/** One type of its registry. */
export type LookupEntry = V15Value['lookup'][number];

/** Our V15 metadata with `edit` applied, re-encoded. */
export function edited(edit: (md: V15Value, find: (path: string) => LookupEntry) => void) {
  const dec = metadataCodec.dec(V15);
  const md = (dec.metadata as { value: V15Value }).value;
  const find = (path: string) => {
    const e = md.lookup.find((x) => x.path.join('::') === path);
    if (!e) throw new Error(`no type ${path}`);
    return e;
  };
  edit(md, find);
  return metadataCodec.enc(dec);
}

/** The id of a primitive type in `md`. */
export function primitiveId(md: V15Value, name: string): number {
  const e = md.lookup.find((x) => x.def.tag === 'primitive' && x.def.value.tag === name);
  if (!e) throw new Error(`no primitive ${name}`);
  return e.id;
}
