import type { Group } from './types.js';

const cmds = () => import('../commands/weights.js');

/** `tao weights …`. */
export const weights: Group = {
  summary: 'Set, commit and reveal weights',
  aliases: ['wt', 'weight'],
  verbs: {
    set: { summary: 'Set weights (no commit-reveal)', load: async () => (await cmds()).weightsSet },
    commit: { summary: 'Commit a weights hash', load: async () => (await cmds()).weightsCommit },
    reveal: { summary: 'Reveal committed weights', load: async () => (await cmds()).weightsReveal },
  },
};
