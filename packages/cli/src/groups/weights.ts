import type { Group } from './types.js';

/** `tao weights …`. */
export const weights: Group = {
  summary: 'Set, commit and reveal weights',
  aliases: ['wt', 'weight'],
  verbs: {},
};
