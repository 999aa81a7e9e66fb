// fast-check options shared by this package's property tests. The seed comes from FC_SEED when
// set (CI fixes it); otherwise fast-check picks one. Either way fc.assert prints the seed and the
// counterexample path when a property fails, so a failure can be replayed with FC_SEED=<seed>.
import type { Parameters } from 'fast-check';

const raw = process.env.FC_SEED;
const seed = raw !== undefined && raw !== '' ? Number(raw) : undefined;
if (seed !== undefined && !Number.isInteger(seed))
  throw new Error(`FC_SEED must be an integer: ${raw}`);

/** Options for fc.assert with the given number of runs. */
export function fcOptions<T>(numRuns = 200): Parameters<T> {
  return seed === undefined ? { numRuns } : { numRuns, seed };
}
