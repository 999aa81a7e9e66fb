import type { Group } from './types.js';

/** `tao sim …`: chain logic run offline. */
export const sim: Group = {
  summary: 'Run chain logic offline',
  verbs: {
    epoch: {
      summary: 'Run Yuma epochs on a scenario file and print the outputs as JSON',
      load: async () => (await import('../commands/sim-epoch.js')).simEpoch,
    },
  },
};
