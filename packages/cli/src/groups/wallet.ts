import type { Group } from './types.js';

const keys = () => import('../commands/wallet-keys.js');
const chain = () => import('../commands/wallet-chain.js');

/** `tao wallet …`. */
export const wallet: Group = {
  summary: 'Create, inspect and use wallets',
  aliases: ['w', 'wallets'],
  verbs: {
    create: {
      summary: 'Create a coldkey and a hotkey',
      load: async () => (await keys()).walletCreate,
    },
    'new-coldkey': {
      summary: 'Create a new coldkey',
      aliases: ['new_coldkey'],
      load: async () => (await keys()).walletNewColdkey,
    },
    'new-hotkey': {
      summary: 'Create a new hotkey',
      aliases: ['new_hotkey'],
      load: async () => (await keys()).walletNewHotkey,
    },
    'regen-coldkey': {
      summary: 'Restore a coldkey (mnemonic, seed, URI, JSON)',
      aliases: ['regen_coldkey'],
      load: async () => (await keys()).walletRegenColdkey,
    },
    'regen-coldkeypub': {
      summary: 'Write a watch-only coldkeypub.txt',
      aliases: ['regen_coldkeypub'],
      load: async () => (await keys()).walletRegenColdkeypub,
    },
    'regen-hotkey': {
      summary: 'Restore a hotkey (mnemonic, seed, URI, JSON)',
      aliases: ['regen_hotkey'],
      load: async () => (await keys()).walletRegenHotkey,
    },
    list: {
      summary: 'List wallets and their hotkeys',
      load: async () => (await keys()).walletList,
    },
    overview: {
      summary: "The wallet's neurons on every subnet",
      load: async () => (await chain()).walletOverview,
    },
    balance: {
      summary: 'Free and staked balance',
      load: async () => (await chain()).walletBalance,
    },
    transfer: {
      summary: 'Send TAO to another account',
      load: async () => (await chain()).walletTransfer,
    },
  },
};
