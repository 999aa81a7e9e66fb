import type { Group } from './types.js';

/** `tao config …`. */
export const config: Group = {
  summary: 'The tao config file (~/.bittensor/config.yml)',
  aliases: ['conf', 'c'],
  verbs: {},
};
