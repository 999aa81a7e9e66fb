import type { Group } from './types.js';

/** `tao subnets …`. */
export const subnets: Group = {
  summary: 'Subnets and their metagraphs',
  aliases: ['s', 'subnet'],
  verbs: {},
};
