import type { Group } from './types.js';

/** `tao wallet …`. */
export const wallet: Group = {
  summary: 'Create, inspect and use wallets',
  aliases: ['w', 'wallets'],
  verbs: {},
};
