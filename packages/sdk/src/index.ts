/**
 * taoscript's SDK: wallets on disk as the Python tools keep them, a chain client for any subtensor
 * node, the metagraph, and the miner/validator HTTP protocol (axon, dendrite, synapses).
 */

export * from './axon/index.js';
export * from './client/index.js';
export * from './dendrite/index.js';
export * from './fast-crypto/index.js';
export * from './metagraph/index.js';
export * from './synapse/index.js';
export * from './wallet/index.js';
export * from './weights/index.js';
