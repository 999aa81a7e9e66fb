import type { Group } from './types.js';

const cmds = () => import('../commands/stake.js');

/** `tao stake …`. */
export const stake: Group = {
  summary: 'Stake TAO into subnets and manage it',
  aliases: ['st'],
  verbs: {
    add: {
      summary: 'Stake TAO to a hotkey on a subnet',
      load: async () => (await cmds()).stakeAdd,
    },
    remove: {
      summary: 'Unstake alpha back to TAO',
      aliases: ['unstake'],
      load: async () => (await cmds()).stakeRemove,
    },
    list: { summary: 'Stake positions of a coldkey', load: async () => (await cmds()).stakeList },
    move: {
      summary: 'Move stake between hotkeys or subnets',
      load: async () => (await cmds()).stakeMove,
    },
    transfer: {
      summary: 'Give stake to another coldkey',
      load: async () => (await cmds()).stakeTransfer,
    },
    swap: { summary: 'Swap stake between subnets', load: async () => (await cmds()).stakeSwap },
    'set-claim': {
      summary: 'How root dividends are claimed',
      aliases: ['set_claim'],
      load: async () => (await cmds()).stakeSetClaim,
    },
    'process-claim': {
      summary: 'Claim root dividends now',
      aliases: ['process_claim'],
      load: async () => (await cmds()).stakeProcessClaim,
    },
  },
};
