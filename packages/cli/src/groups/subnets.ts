import type { Group } from './types.js';

const cmds = () => import('../commands/subnets.js');

/** `tao subnets …`. */
export const subnets: Group = {
  summary: 'Subnets and their metagraphs',
  aliases: ['s', 'subnet'],
  verbs: {
    list: {
      summary: 'Every subnet with price and emission',
      load: async () => (await cmds()).subnetsList,
    },
    show: {
      summary: "A subnet's metagraph",
      aliases: ['metagraph'],
      load: async () => (await cmds()).subnetsShow,
    },
    hyperparameters: {
      summary: "A subnet's hyperparameters",
      aliases: ['hyperparams'],
      load: async () => (await cmds()).subnetsHyperparameters,
    },
    create: { summary: 'Register a new subnet', load: async () => (await cmds()).subnetsCreate },
    register: {
      summary: 'Register a hotkey on a subnet (burn)',
      aliases: ['burned-register', 'burned_register'],
      load: async () => (await cmds()).subnetsRegister,
    },
    'burn-cost': {
      summary: 'Cost of registering a subnet',
      aliases: ['burn_cost', 'lock-cost'],
      load: async () => (await cmds()).subnetsBurnCost,
    },
    start: {
      summary: "Start a new subnet's emissions",
      aliases: ['start-call', 'start_call'],
      load: async () => (await cmds()).subnetsStart,
    },
    price: { summary: 'Current alpha prices', load: async () => (await cmds()).subnetsPrice },
  },
};
