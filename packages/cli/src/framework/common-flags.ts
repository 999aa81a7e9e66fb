/** The flags most commands share, with every spelling btcli accepts for them. */
import type { FlagSpec } from './flags.js';

/** `--wallet-name`, `--wallet-path`, `--hotkey`. */
export const WALLET_FLAGS: readonly FlagSpec[] = [
  {
    name: 'wallet-name',
    kind: 'string',
    aliases: ['name'],
    value: 'NAME',
    help: 'Wallet name (config wallet_name, env BT_WALLET_NAME, default "default")',
  },
  {
    name: 'wallet-path',
    kind: 'string',
    aliases: ['path'],
    short: ['p'],
    value: 'DIR',
    help: 'Wallets directory (config wallet_path, default ~/.bittensor/wallets)',
  },
  {
    name: 'hotkey',
    kind: 'string',
    aliases: ['wallet-hotkey', 'hotkey-name'],
    short: ['H'],
    value: 'NAME',
    help: 'Hotkey name (config wallet_hotkey, env BT_WALLET_HOTKEY, default "default")',
  },
];

/** `--network`, `--chain-endpoint`. */
export const NETWORK_FLAGS: readonly FlagSpec[] = [
  {
    name: 'network',
    kind: 'string',
    aliases: ['subtensor-network', 'chain'],
    value: 'NAME|URL',
    help: 'local, test, finney, archive or a ws:// URL (config network, default local)',
  },
  {
    name: 'chain-endpoint',
    kind: 'string',
    aliases: ['subtensor-chain-endpoint'],
    value: 'URL',
    help: 'Node WebSocket endpoint; wins over --network',
  },
];

/** `--json-output`, `--quiet`, `--verbose`. */
export const OUTPUT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'json-output',
    kind: 'boolean',
    aliases: ['json-out', 'json'],
    off: ['no-json-output'],
    help: 'Print one JSON document on stdout instead of tables',
  },
  { name: 'quiet', kind: 'boolean', help: 'Print no progress or warnings on stderr' },
  { name: 'verbose', kind: 'boolean', help: 'Print error details and causes' },
];

/** `--no-prompt` / `-y` / `--yes`, and `--prompt` to ask anyway. */
export const PROMPT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'no-prompt',
    kind: 'boolean',
    aliases: ['yes'],
    short: ['y'],
    off: ['prompt'],
    help: 'Ask nothing: no confirmations, no password prompts (needed without a terminal)',
  },
];

/** `--password-file`. */
export const PASSWORD_FLAGS: readonly FlagSpec[] = [
  {
    name: 'password-file',
    kind: 'string',
    value: 'FILE',
    help: 'Read the key password from FILE (else env BT_PW_<path>, else a prompt)',
  },
];

/** `--netuid` / `-n`. */
export const NETUID_FLAG: FlagSpec = {
  name: 'netuid',
  kind: 'string',
  short: ['n'],
  value: 'N',
  help: 'Subnet id',
};

/** Flags of every command that talks to the chain (`-y` is accepted everywhere, as in btcli). */
export const CHAIN_FLAGS: readonly FlagSpec[] = [
  ...NETWORK_FLAGS,
  ...OUTPUT_FLAGS,
  ...PROMPT_FLAGS,
];
/** Flags of every command that signs an extrinsic with the wallet. */
export const SIGNING_FLAGS: readonly FlagSpec[] = [
  ...WALLET_FLAGS,
  ...CHAIN_FLAGS,
  ...PASSWORD_FLAGS,
];
