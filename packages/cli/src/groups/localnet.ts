import type { Group } from './types.js';

/** `tao localnet …`. */
export const localnet: Group = {
  summary: 'A local network in one command',
  verbs: {},
};
