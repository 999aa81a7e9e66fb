import type { SynapseBase } from '../synapse/define.js';

/**
 * Python `synapse.is_success`: the dendrite recorded status 200.
 * @example
 * import { isSuccess } from '@taoscript/sdk';
 * isSuccess(result); // true when result.dendrite.status_code === 200
 */
export function isSuccess(synapse: SynapseBase): boolean {
  return synapse.dendrite.status_code === 200;
}

/** Python `synapse.is_failure`: any status other than 200. */
export function isFailure(synapse: SynapseBase): boolean {
  return synapse.dendrite.status_code !== 200;
}

/** Python `synapse.is_timeout`: status 408. */
export function isTimeout(synapse: SynapseBase): boolean {
  return synapse.dendrite.status_code === 408;
}

/** Python `synapse.is_blacklist`: status 403. */
export function isBlacklisted(synapse: SynapseBase): boolean {
  return synapse.dendrite.status_code === 403;
}

/** Python `synapse.failed_verification`: status 401. */
export function failedVerification(synapse: SynapseBase): boolean {
  return synapse.dendrite.status_code === 401;
}
