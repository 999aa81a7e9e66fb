import { BtError } from '@taoscript/codec';

/** Error codes raised while decoding synapses from the wire. */
export type SynapseErrorCode = 'SYNAPSE_HEADER_INVALID' | 'SYNAPSE_BODY_INVALID';

/** A synapse could not be built from headers or a body (the axon answers 400 or 500). */
export class SynapseParseError extends BtError {
  override name = 'SynapseParseError';
  declare readonly code: SynapseErrorCode;
  constructor(code: SynapseErrorCode, shortMessage: string, cause?: unknown) {
    super(shortMessage, cause === undefined ? { code } : { code, cause });
  }
}
