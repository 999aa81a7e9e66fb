import type { Group } from './types.js';

/** `tao stake …`. */
export const stake: Group = {
  summary: 'Stake TAO into subnets and manage it',
  aliases: ['st'],
  verbs: {},
};
