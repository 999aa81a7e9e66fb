/** Runtime APIs as `state_call` reaches them: `<Api>_<method>` with SCALE arguments and result. */
import {
  type AnyShape,
  Bytes,
  FeeDetails,
  Option,
  RuntimeDispatchInfo,
  RuntimeVersion,
  runtimeApis,
  runtimeMetadata,
  System,
  TransactionValidity,
  Tuple,
  UncheckedExtrinsic,
  u32,
  u64,
  Vec,
} from '@taoscript/chain-types';
import { concatBytes, encodeCompact } from '@taoscript/codec';
import type { Runtime } from './executive.js';
import { lengthToFee, weightToFee } from './fees.js';
import type { StateReader } from './state.js';
import { apiView, callSubtensorApi, SUBTENSOR_API_METHODS } from './subtensor/apis.js';

/** A runtime-API failure (unknown method, undecodable arguments): the RPC layer reports it. */
export class RuntimeApiError extends Error {
  override name = 'RuntimeApiError';
}

const methods = new Map<string, AnyShape[]>();
for (const api of runtimeApis(UncheckedExtrinsic))
  for (const m of api.methods)
    methods.set(
      `${api.name}_${m.name}`,
      m.inputs.map((i) => i.shape),
    );
for (const [name, m] of SUBTENSOR_API_METHODS)
  methods.set(
    name,
    m.inputs.map((i) => i.shape),
  );

/** Metadata versions this runtime can describe itself in. */
export const METADATA_VERSIONS = [14, 15] as const;

const metadataCache = new WeakMap<Runtime, Map<number, Uint8Array>>();

/** SCALE metadata for a version, built once per runtime. */
export function metadataOf(runtime: Runtime, version: 14 | 15): Uint8Array {
  let m = metadataCache.get(runtime);
  if (!m) {
    m = new Map();
    metadataCache.set(runtime, m);
  }
  let md = m.get(version);
  if (!md) {
    md = runtimeMetadata(
      {
        version: runtime.version,
        ss58Prefix: runtime.ss58Prefix,
        blockTimeMs: runtime.blockTimeMs,
      },
      version,
    );
    m.set(version, md);
  }
  return md;
}

/** The block a runtime call executes against. */
export interface CallAt {
  state: StateReader;
  number: number;
  hash: Uint8Array;
}

/** Executes `<Api>_<method>` with SCALE-encoded `args` and returns the SCALE-encoded result. */
export function callRuntimeApi(
  runtime: Runtime,
  at: CallAt,
  method: string,
  args: Uint8Array,
): Uint8Array {
  const inputs = methods.get(method);
  if (!inputs) throw new RuntimeApiError(`Exported method ${method} is not found`);
  let decoded: unknown[];
  try {
    const tuple = Tuple(...inputs);
    decoded = inputs.length === 0 ? [] : (tuple.dec(args) as unknown[]);
    if (inputs.length > 0 && tuple.enc(decoded as never).length !== args.length)
      throw new Error('trailing bytes');
  } catch (err) {
    throw new RuntimeApiError(
      `Could not decode the arguments of ${method}: ${(err as Error).message}`,
    );
  }
  switch (method) {
    case 'Core_version':
      return RuntimeVersion.enc(runtime.version);
    case 'Metadata_metadata':
      return Bytes.enc(metadataOf(runtime, 14));
    case 'Metadata_metadata_versions':
      return Vec(u32).enc([...METADATA_VERSIONS]);
    case 'Metadata_metadata_at_version': {
      const v = decoded[0] as number;
      if (v !== 14 && v !== 15) return Option(Bytes).enc(undefined);
      return Option(Bytes).enc(metadataOf(runtime, v));
    }
    case 'AccountNonceApi_account_nonce':
      return u32.enc(System.Account.get(at.state, decoded[0] as Uint8Array).nonce);
    case 'TaggedTransactionQueue_validate_transaction': {
      const xt = decoded[1] as { value: Uint8Array };
      // The opaque extrinsic arrives as its own length-prefixed bytes.
      const bytes = concatBytes(encodeCompact(xt.value.length), xt.value);
      return TransactionValidity.enc(runtime.validateTransaction(at.state, at, bytes));
    }
    case 'TransactionPaymentApi_query_info':
    case 'TransactionPaymentApi_query_fee_details': {
      const xt = decoded[0] as { value: Uint8Array };
      const bytes = concatBytes(encodeCompact(xt.value.length), xt.value);
      let q: ReturnType<Runtime['queryInfo']>;
      try {
        q = runtime.queryInfo(bytes, decoded[1] as number);
      } catch (err) {
        throw new RuntimeApiError(`Could not decode the extrinsic: ${(err as Error).message}`);
      }
      if (method === 'TransactionPaymentApi_query_info')
        return RuntimeDispatchInfo.enc({
          weight: q.weight,
          class: q.class,
          partial_fee: q.partial_fee,
        });
      return FeeDetails.enc({
        inclusion_fee: q.signed
          ? {
              base_fee: q.parts.baseFee,
              len_fee: q.parts.lenFee,
              adjusted_weight_fee: q.parts.adjustedWeightFee,
            }
          : undefined,
        tip: 0n,
      });
    }
    case 'TransactionPaymentApi_query_weight_to_fee':
      return u64.enc(weightToFee(decoded[0] as { ref_time: bigint; proof_size: bigint }));
    case 'TransactionPaymentApi_query_length_to_fee':
      return u64.enc(lengthToFee(decoded[0] as number));
    default: {
      const out = callSubtensorApi(apiView(at.state, at.number), method, decoded);
      if (out) return out;
      throw new RuntimeApiError(`Exported method ${method} is not found`);
    }
  }
}
