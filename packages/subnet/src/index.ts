/** The subnet template: base neuron, miner and validator. */
export {};
