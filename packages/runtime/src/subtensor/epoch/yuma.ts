import { finishTerms, prelude } from './common.js';
import { fastCore } from './fast.js';
import { referenceCore } from './reference.js';
import type { EpochInput, EpochTerms } from './types.js';
import { assertEpochInput } from './validate.js';

/**
 * Yuma Consensus for one mechanism: subtensor 14bc6f9f's sparse `epoch_mechanism`, bit-exact.
 * Stake, permits, activity (§1.1, §2, §3 P/A), the weight masks incl. the commit mask (W1–W5),
 * consensus, clipping, incentive, classic or Yuma3 bonds with liquid alpha, dividends, the emission
 * split (§3 E) and the bond rows to store (empty without a new permit; classic max-upscaled,
 * Yuma3 raw). Throws TypeError/RangeError for malformed input.
 *
 * The matrix stages run on integer doubles with exact kernels (fast.ts); inputs outside their
 * proven range (an EMA coefficient outside [0, 1]) take the bigint reference (reference.ts).
 * @example
 * import { epochMechanism } from './yuma.js';
 * const terms = epochMechanism(input);
 * terms.serverEmission; // rao per uid
 */
export function epochMechanism(input: EpochInput): EpochTerms {
  assertEpochInput(input, 'epochMechanism');
  const pre = prelude(input);
  const core = fastCore(input, pre) ?? referenceCore(input, pre);
  return finishTerms(input, pre, core);
}
