import type { Group } from './types.js';

/** `tao node …`. */
export const node: Group = {
  summary: 'Run a taoscript node (`tao node --dev` = `tao node run --dev`)',
  defaultVerb: 'run',
  verbs: {
    run: {
      summary: 'Run tao-node in the foreground with its flags (tao node run --help lists them)',
      aliases: ['start'],
      load: async () => (await import('../localnet/node-run.js')).nodeRun,
    },
  },
};
