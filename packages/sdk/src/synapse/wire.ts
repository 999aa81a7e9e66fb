import { definitionOf, type SynapseBase } from './define.js';
import { type DumpPyJsonOptions, dumpPyJson } from './py-json.js';

/**
 * The JSON body of a synapse: Python `json.dumps(synapse.model_dump())` (a Python dendrite's
 * request body) by default; `{ compact: true, ensureAscii: false }` gives FastAPI's response body.
 * @example
 * import { BaseSynapse, toBody } from '@taoscript/sdk';
 * toBody(BaseSynapse.create({})).startsWith('{"name": "Synapse", "timeout": 12.0'); // true
 */
export function toBody(synapse: SynapseBase, options: DumpPyJsonOptions = {}): string {
  return dumpPyJson(synapse, definitionOf(synapse).modelType, options);
}
