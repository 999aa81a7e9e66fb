import type { Group } from './types.js';

/** `tao node …`. */
export const node: Group = {
  summary: 'Run a taoscript node',
  verbs: {},
};
