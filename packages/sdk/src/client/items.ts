/**
 * Every chain item the SDK's methods encode or decode, checked against the node's metadata when
 * the client connects (others, such as the calls inside a generic `submit`, are checked on use).
 */
import {
  type AnyShape,
  type StorageItem,
  SubtensorStorage,
  Sudo,
  System,
  u64,
} from '@taoscript/chain-types';
import type { ItemCheck, MetadataCompat } from './compat.js';

/** Calls the SDK's write methods send. */
export const SDK_CALLS: readonly (readonly [string, string])[] = [
  ['Balances', 'transfer_keep_alive'],
  ['Balances', 'transfer_allow_death'],
  ['Balances', 'transfer_all'],
  ['SubtensorModule', 'burned_register'],
  ['SubtensorModule', 'serve_axon'],
  ['SubtensorModule', 'set_mechanism_weights'],
  ['SubtensorModule', 'commit_mechanism_weights'],
  ['SubtensorModule', 'reveal_mechanism_weights'],
  ['SubtensorModule', 'add_stake'],
  ['SubtensorModule', 'add_stake_limit'],
  ['SubtensorModule', 'remove_stake'],
  ['SubtensorModule', 'remove_stake_limit'],
  ['SubtensorModule', 'move_stake'],
  ['SubtensorModule', 'transfer_stake'],
  ['SubtensorModule', 'swap_stake'],
  ['SubtensorModule', 'swap_stake_limit'],
  ['SubtensorModule', 'register_network'],
  ['SubtensorModule', 'register_network_with_identity'],
  ['SubtensorModule', 'start_call'],
  ['SubtensorModule', 'set_root_claim_type'],
  ['SubtensorModule', 'claim_root'],
  ['SubtensorModule', 'increase_take'],
  ['SubtensorModule', 'decrease_take'],
];

/** Storage items the SDK reads. */
export const SDK_STORAGE = {
  Account: System.Account,
  Uids: SubtensorStorage.Uids,
  SubnetworkN: SubtensorStorage.SubnetworkN,
  LastUpdate: SubtensorStorage.LastUpdate,
  CommitRevealWeightsEnabled: SubtensorStorage.CommitRevealWeightsEnabled,
  WeightsSetRateLimit: SubtensorStorage.WeightsSetRateLimit,
  Weights: SubtensorStorage.Weights,
  Bonds: SubtensorStorage.Bonds,
  Axons: SubtensorStorage.Axons,
  NetworksAdded: SubtensorStorage.NetworksAdded,
  SubnetOwner: SubtensorStorage.SubnetOwner,
  SubnetLocked: SubtensorStorage.SubnetLocked,
  Burn: SubtensorStorage.Burn,
  Delegates: SubtensorStorage.Delegates,
  SudoKey: Sudo.Key,
} as const;

/** Runtime API methods the SDK calls. */
export const SDK_APIS: readonly (readonly [string, string])[] = [
  ['NeuronInfoRuntimeApi', 'get_neurons'],
  ['NeuronInfoRuntimeApi', 'get_neurons_lite'],
  ['SubnetInfoRuntimeApi', 'get_metagraph'],
  ['SubnetInfoRuntimeApi', 'get_mechagraph'],
  ['SubnetInfoRuntimeApi', 'get_all_metagraphs'],
  ['SubnetInfoRuntimeApi', 'get_dynamic_info'],
  ['SubnetInfoRuntimeApi', 'get_all_dynamic_info'],
  ['SubnetInfoRuntimeApi', 'get_subnet_hyperparams_v2'],
  ['StakeInfoRuntimeApi', 'get_stake_info_for_hotkey_coldkey_netuid'],
  ['SwapRuntimeApi', 'current_alpha_price'],
  ['SwapRuntimeApi', 'sim_swap_tao_for_alpha'],
  ['SwapRuntimeApi', 'sim_swap_alpha_for_tao'],
  ['SwapRuntimeApi', 'current_alpha_price_all'],
  ['StakeInfoRuntimeApi', 'get_stake_info_for_coldkey'],
  ['StakeInfoRuntimeApi', 'get_stake_info_for_coldkeys'],
  ['SubnetRegistrationRuntimeApi', 'get_network_registration_cost'],
];

/** Events the SDK reads to judge an extrinsic. */
export const SDK_EVENTS: readonly (readonly [string, string])[] = [
  ['System', 'ExtrinsicSuccess'],
  ['System', 'ExtrinsicFailed'],
  ['TransactionPayment', 'TransactionFeePaid'],
  ['Sudo', 'Sudid'],
  ['SubtensorModule', 'NetworkAdded'],
  ['SubtensorModule', 'FirstEmissionBlockNumberSet'],
  ['SubtensorModule', 'RootClaimed'],
];

/** Constants the SDK reads, with their shapes. */
export const SDK_CONSTANTS: readonly (readonly [string, string, AnyShape])[] = [
  ['Balances', 'ExistentialDeposit', u64 as AnyShape],
];

/**
 * Checks every item above against one node's metadata.
 * @example
 * import { checkSdkItems, MetadataCompat, parseMetadata } from '@taoscript/sdk';
 * checkSdkItems(new MetadataCompat(parseMetadata(bytes))).filter((c) => !c.ok); // []
 */
export function checkSdkItems(compat: MetadataCompat): ItemCheck[] {
  return [
    ...SDK_CALLS.map(([p, n]) => compat.call(p, n)),
    ...Object.values(SDK_STORAGE).map((item) =>
      compat.storage(item as StorageItem<unknown[], unknown>),
    ),
    ...SDK_APIS.map(([a, m]) => compat.api(a, m)),
    ...SDK_EVENTS.map(([p, n]) => compat.event(p, n)),
    ...SDK_CONSTANTS.map(([p, n, s]) => compat.constant(p, n, s)),
  ];
}
