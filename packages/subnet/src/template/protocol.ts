/** The template's protocol (sdk.md §6.1): the `Dummy` synapse. */
import { defineSynapse } from '@taoscript/sdk';
import { z } from 'zod';

/**
 * `Dummy`: the validator sends `dummy_input`, the miner answers `dummy_output`; `deserialize`
 * gives `dummy_output` (null when the miner did not answer), as in the Python template.
 * @example
 * import { Dummy } from '@taoscript/subnet';
 * const synapse = Dummy.create({ dummy_input: 3 });
 * Dummy.deserialize(synapse); // null
 */
export const Dummy = defineSynapse({
  name: 'Dummy',
  request: z.object({ dummy_input: z.int() }),
  response: z.object({ dummy_output: z.int() }),
  deserialize: (s) => s.dummy_output,
});
