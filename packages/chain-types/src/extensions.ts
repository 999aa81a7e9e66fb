/**
 * The transaction extensions (signed extra) in subtensor's order, as its metadata advertises them.
 * The fee extension is listed as `ChargeTransactionPayment`: subtensor's wrapper reports its inner
 * extension's identifier, and unmodified clients sign for it with no configuration.
 */
import {
  type AnyShape,
  Compact,
  Enum,
  FixedBytes,
  Newtype,
  Option,
  type Shape,
  Struct,
  Tuple,
  u32,
  u64,
  unit,
} from './dsl.js';
import { type Era, EraShape, H256 } from './primitives.js';

const empty = (path: string[]) => Struct({ path }, {}) as unknown as Shape<undefined>;

export const MetadataHashMode = Enum(
  { path: ['frame_metadata_hash_extension', 'Mode'] },
  { Disabled: { index: 0 }, Enabled: { index: 1 } },
);

export interface ExtensionDef {
  identifier: string;
  explicit: AnyShape;
  implicit: AnyShape;
}

const ext = (identifier: string, explicit: AnyShape, implicit: AnyShape): ExtensionDef => ({
  identifier,
  explicit,
  implicit,
});

export const CheckMortalityExt = Newtype(
  { path: ['frame_system', 'extensions', 'check_mortality', 'CheckMortality'] },
  EraShape,
);
export const CheckNonceExt = Newtype(
  { path: ['frame_system', 'extensions', 'check_nonce', 'CheckNonce'] },
  Compact(u32),
);
export const ChargeTransactionPaymentExt = Newtype(
  { path: ['pallet_transaction_payment', 'ChargeTransactionPayment'] },
  Compact(u64),
);
export const CheckMetadataHashExt = Struct(
  { path: ['frame_metadata_hash_extension', 'CheckMetadataHash'] },
  { mode: MetadataHashMode },
);

export const EXTENSIONS: ExtensionDef[] = [
  ext(
    'CheckNonZeroSender',
    empty(['frame_system', 'extensions', 'check_non_zero_sender', 'CheckNonZeroSender']),
    unit,
  ),
  ext(
    'CheckSpecVersion',
    empty(['frame_system', 'extensions', 'check_spec_version', 'CheckSpecVersion']),
    u32,
  ),
  ext(
    'CheckTxVersion',
    empty(['frame_system', 'extensions', 'check_tx_version', 'CheckTxVersion']),
    u32,
  ),
  ext('CheckGenesis', empty(['frame_system', 'extensions', 'check_genesis', 'CheckGenesis']), H256),
  ext('CheckMortality', CheckMortalityExt as AnyShape, H256),
  ext('CheckNonce', CheckNonceExt as AnyShape, unit),
  ext('CheckWeight', empty(['frame_system', 'extensions', 'check_weight', 'CheckWeight']), unit),
  ext('ChargeTransactionPayment', ChargeTransactionPaymentExt as AnyShape, unit),
  ext(
    'SudoTransactionExtension',
    empty(['pallet_subtensor', 'extensions', 'SudoTransactionExtension']),
    unit,
  ),
  ext(
    'CheckShieldedTxValidity',
    empty(['pallet_shield', 'extension', 'CheckShieldedTxValidity']),
    unit,
  ),
  ext(
    'SubtensorTransactionExtension',
    empty(['pallet_subtensor', 'extensions', 'SubtensorTransactionExtension']),
    unit,
  ),
  ext('DrandPriority', empty(['pallet_drand', 'drand_priority', 'DrandPriority']), unit),
  ext('CheckMetadataHash', CheckMetadataHashExt as AnyShape, Option(FixedBytes(32)) as AnyShape),
];

/** The values a signer puts in the extrinsic. */
export interface ExplicitExtra {
  era: Era;
  nonce: number;
  tip: bigint;
  metadataHashMode: 'Disabled' | 'Enabled';
}

/** The explicit extra as one tuple, in order (what V15 calls `extra`). */
export const ExtraTuple = Tuple(...EXTENSIONS.map((e) => e.explicit));

/** Encodes the explicit part of the signed extra. */
export function encodeExplicit(x: ExplicitExtra): Uint8Array {
  return ExtraTuple.enc([
    undefined,
    undefined,
    undefined,
    undefined,
    x.era,
    x.nonce,
    undefined,
    x.tip,
    undefined,
    undefined,
    undefined,
    undefined,
    { mode: { type: x.metadataHashMode } },
  ]);
}

/** The implicit ("additional signed") data, as the signer includes it in the payload. */
export interface ImplicitExtra {
  specVersion: number;
  txVersion: number;
  genesisHash: Uint8Array;
  /** Hash of the era's birth block; the genesis hash for immortal transactions. */
  eraBlockHash: Uint8Array;
  metadataHash?: Uint8Array;
}

/** Encodes the implicit part, in extension order. */
export function encodeImplicit(x: ImplicitExtra): Uint8Array {
  const parts = [
    u32.enc(x.specVersion),
    u32.enc(x.txVersion),
    x.genesisHash,
    x.eraBlockHash,
    Option(FixedBytes(32)).enc(x.metadataHash),
  ];
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
