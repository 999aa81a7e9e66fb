/**
 * The Python SDK release whose wire protocol this SDK speaks (bittensor 10.2.0), as Python's
 * `version_as_int` (major·10⁶ + minor·10³ + patch). Sent as the terminal `version` and published
 * by `serve_axon`; Python axons apply the nonce time window to versions ≥ 7002000.
 */
export const VERSION_AS_INT = 10_002_000;
