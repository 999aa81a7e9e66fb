import type { Group } from './types.js';

const cmds = () => import('../commands/sudo.js');

/** `tao sudo …`. */
export const sudo: Group = {
  summary: 'Hyperparameters (subnet owner or sudo)',
  aliases: ['su'],
  verbs: {
    set: { summary: 'Set a hyperparameter', load: async () => (await cmds()).sudoSet },
    get: { summary: "A subnet's hyperparameters", load: async () => (await cmds()).sudoGet },
    'set-take': {
      summary: "Set a hotkey's delegate take",
      aliases: ['set_take'],
      load: async () => (await cmds()).sudoSetTake,
    },
    'get-take': {
      summary: "A hotkey's delegate take",
      aliases: ['get_take'],
      load: async () => (await cmds()).sudoGetTake,
    },
  },
};
