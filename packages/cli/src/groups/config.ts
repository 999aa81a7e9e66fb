import type { Group } from './types.js';

/** `tao config …`. */
export const config: Group = {
  summary: 'The tao config file (~/.bittensor/config.yml)',
  aliases: ['conf', 'c'],
  verbs: {
    set: {
      summary: 'Store defaults (network, wallet, staking)',
      load: async () => (await import('../commands/config.js')).configSet,
    },
    get: {
      summary: 'Show the stored defaults',
      load: async () => (await import('../commands/config.js')).configGet,
    },
    clear: {
      summary: 'Unset stored defaults',
      load: async () => (await import('../commands/config.js')).configClear,
    },
  },
};
