/** Test helpers: dev accounts, signed extrinsics, and runtime/chain builders. Tests only. */
import {
  type Era,
  encodeExplicit,
  encodeExtrinsic,
  encodeImplicit,
  type RuntimeCall,
  RuntimeCall as RuntimeCallShape,
  signingPayload,
} from '@taoscript/chain-types';
import type { Keypair } from '@taoscript/crypto';

export { DEV_ACCOUNT_NAMES, devKeypair } from '@taoscript/crypto';

export interface SignParams {
  call: RuntimeCall | Uint8Array;
  signer: Keypair;
  nonce: number;
  genesisHash: Uint8Array;
  /** Defaults to immortal. */
  era?: Era;
  /** Hash of the era's birth block (genesis for immortal). */
  eraBlockHash?: Uint8Array;
  tip?: bigint;
  specVersion?: number;
  txVersion?: number;
}

/** Signs and encodes an extrinsic the way a standard client does. */
export function signExtrinsic(p: SignParams): Uint8Array {
  const callBytes = p.call instanceof Uint8Array ? p.call : RuntimeCallShape.enc(p.call);
  const extra = {
    era: p.era ?? ({ mortal: false } as Era),
    nonce: p.nonce,
    tip: p.tip ?? 0n,
    metadataHashMode: 'Disabled' as const,
  };
  const payload = signingPayload(
    callBytes,
    encodeExplicit(extra),
    encodeImplicit({
      specVersion: p.specVersion ?? 425,
      txVersion: p.txVersion ?? 1,
      genesisHash: p.genesisHash,
      eraBlockHash: p.eraBlockHash ?? p.genesisHash,
    }),
  );
  const signature = p.signer.sign(payload);
  return encodeExtrinsic(callBytes, {
    address: { type: 'Id', value: p.signer.publicKey },
    signature: { type: p.signer.type === 'sr25519' ? 'Sr25519' : 'Ed25519', value: signature },
    extra,
  });
}

/** `Balances.transfer_keep_alive(dest, value)`. */
export function transferKeepAlive(dest: Uint8Array, value: bigint): RuntimeCall {
  return {
    type: 'Balances',
    value: { type: 'transfer_keep_alive', value: { dest: { type: 'Id', value: dest }, value } },
  };
}
export * from './harness.js';
export * from './spawn.js';
