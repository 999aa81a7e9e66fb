import type { Group } from './types.js';

/** `tao localnet …`: a dev chain with subnets and running neurons from one config file. */
export const localnet: Group = {
  summary: 'A local network in one command',
  verbs: {
    up: {
      summary:
        'Start the chain, create subnets and neurons, run them (--detach: in the background)',
      load: async () => (await import('../localnet/commands.js')).localnetUp,
    },
    down: {
      summary: 'Stop a localnet started with --detach',
      load: async () => (await import('../localnet/commands.js')).localnetDown,
    },
    status: {
      summary: 'Show the chain, the processes and the metagraph of each neuron',
      load: async () => (await import('../localnet/commands.js')).localnetStatus,
    },
    reset: {
      summary: 'Stop the localnet and delete its state directory',
      load: async () => (await import('../localnet/commands.js')).localnetReset,
    },
  },
};
