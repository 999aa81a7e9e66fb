import type { Group } from './types.js';

/** `tao sudo …`. */
export const sudo: Group = {
  summary: 'Hyperparameters (subnet owner or sudo)',
  aliases: ['su'],
  verbs: {},
};
