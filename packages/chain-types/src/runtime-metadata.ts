/** The runtime's metadata, assembled from the pallet list and the runtime APIs. */
import { buildMetadata } from './metadata.js';
import {
  pallets,
  RuntimeCall,
  RuntimeError,
  RuntimeEvent,
  type RuntimeParams,
  UncheckedExtrinsic,
} from './outer.js';
import { MultiAddress, MultiSignature } from './primitives.js';
import { runtimeApis } from './runtime-apis.js';
import { subtensorRuntimeApis } from './subtensor-apis.js';

/** Metadata V14 or V15 for these runtime parameters, SCALE-encoded with the `meta` prefix. */
export function runtimeMetadata(p: RuntimeParams, version: 14 | 15): Uint8Array {
  return buildMetadata(
    {
      pallets: pallets(p),
      apis: [...runtimeApis(UncheckedExtrinsic), ...subtensorRuntimeApis()],
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
