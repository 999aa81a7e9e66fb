/**
 * SubtensorModule's (pallet index 7) `Call` enum: every dispatchable of subtensor 14bc6f9f with its
 * call index, argument names (FRAME strips a leading `_`) and argument types. No argument is
 * `#[pallet::compact]`; the only compact integers are inside the batch calls' vectors.
 *
 * `faucet` (60) exists only in builds with subtensor's `pow-faucet` feature, which its localnet
 * script and Docker image enable; our chain is a local network, so it lists it.
 */
import {
  Bytes,
  bool,
  Compact,
  Enum,
  Option,
  type ShapeType,
  typed,
  u8,
  u16,
  u32,
  u64,
  u128,
  Vec,
} from '../../dsl.js';
import { AccountId32, H256 } from '../../primitives.js';
import {
  AlphaBalance,
  BlockNumber,
  BoundedBytes,
  ChildrenList,
  CompactWeights,
  EcdsaSignature,
  H160,
  LeaseId,
  MechId,
  NetUid,
  NetUidSet,
  Percent,
  RootClaimTypeEnum,
  SubnetIdentityV3,
  TaoBalance,
} from './common.js';

const account = typed(AccountId32, 'T::AccountId');
const netuid = typed(NetUid, 'NetUid');
const mecid = typed(MechId, 'MechId');
const tao = typed(TaoBalance, 'TaoBalance');
const alpha = typed(AlphaBalance, 'AlphaBalance');
const u16s = typed(Vec(u16), 'Vec<u16>');
const bytes = typed(Bytes, 'Vec<u8>');
const commitBytes = typed(BoundedBytes, 'BoundedVec<u8, ConstU32<MAX_CRV3_COMMIT_SIZE_BYTES>>');

/** `pallet_subtensor::pallet::Call`. */
export const SubtensorCall = Enum(
  { path: ['pallet_subtensor', 'pallet', 'Call'], params: [{ name: 'T' }] },
  {
    set_weights: {
      index: 0,
      fields: { netuid, dests: u16s, weights: u16s, version_key: typed(u64, 'u64') },
    },
    add_stake: { index: 2, fields: { hotkey: account, netuid, amount_staked: tao } },
    remove_stake: { index: 3, fields: { hotkey: account, netuid, amount_unstaked: alpha } },
    serve_axon: {
      index: 4,
      fields: {
        netuid,
        version: typed(u32, 'u32'),
        ip: typed(u128, 'u128'),
        port: typed(u16, 'u16'),
        ip_type: typed(u8, 'u8'),
        protocol: typed(u8, 'u8'),
        placeholder1: typed(u8, 'u8'),
        placeholder2: typed(u8, 'u8'),
      },
    },
    serve_prometheus: {
      index: 5,
      fields: {
        netuid,
        version: typed(u32, 'u32'),
        ip: typed(u128, 'u128'),
        port: typed(u16, 'u16'),
        ip_type: typed(u8, 'u8'),
      },
    },
    register: {
      index: 6,
      fields: {
        netuid,
        block_number: typed(u64, 'u64'),
        nonce: typed(u64, 'u64'),
        work: bytes,
        hotkey: account,
        coldkey: account,
      },
    },
    burned_register: { index: 7, fields: { netuid, hotkey: account } },
    serve_axon_tls: {
      index: 40,
      fields: {
        netuid,
        version: typed(u32, 'u32'),
        ip: typed(u128, 'u128'),
        port: typed(u16, 'u16'),
        ip_type: typed(u8, 'u8'),
        protocol: typed(u8, 'u8'),
        placeholder1: typed(u8, 'u8'),
        placeholder2: typed(u8, 'u8'),
        certificate: bytes,
      },
    },
    register_network: { index: 59, fields: { hotkey: account } },
    faucet: {
      index: 60,
      fields: { block_number: typed(u64, 'u64'), nonce: typed(u64, 'u64'), work: bytes },
    },
    dissolve_network: { index: 61, fields: { coldkey: account, netuid } },
    root_register: { index: 62, fields: { hotkey: account } },
    decrease_take: { index: 65, fields: { hotkey: account, take: typed(u16, 'u16') } },
    increase_take: { index: 66, fields: { hotkey: account, take: typed(u16, 'u16') } },
    set_children: {
      index: 67,
      fields: {
        hotkey: account,
        netuid,
        children: typed(ChildrenList, 'Vec<(u64, T::AccountId)>'),
      },
    },
    set_identity: {
      index: 68,
      fields: {
        name: bytes,
        url: bytes,
        github_repo: bytes,
        image: bytes,
        discord: bytes,
        description: bytes,
        additional: bytes,
      },
    },
    sudo_set_tx_childkey_take_rate_limit: {
      index: 69,
      fields: { tx_rate_limit: typed(u64, 'u64') },
    },
    swap_hotkey: {
      index: 70,
      fields: {
        hotkey: account,
        new_hotkey: account,
        netuid: typed(Option(NetUid), 'Option<NetUid>'),
      },
    },
    swap_coldkey: {
      index: 71,
      fields: { old_coldkey: account, new_coldkey: account, swap_cost: tao },
    },
    swap_hotkey_v2: {
      index: 72,
      fields: {
        hotkey: account,
        new_hotkey: account,
        netuid: typed(Option(NetUid), 'Option<NetUid>'),
        keep_stake: typed(bool, 'bool'),
      },
    },
    schedule_swap_coldkey: { index: 73, fields: { new_coldkey: account } },
    set_childkey_take: { index: 75, fields: { hotkey: account, netuid, take: typed(u16, 'u16') } },
    sudo_set_min_childkey_take: { index: 76, fields: { take: typed(u16, 'u16') } },
    sudo_set_max_childkey_take: { index: 77, fields: { take: typed(u16, 'u16') } },
    set_subnet_identity: {
      index: 78,
      fields: {
        netuid,
        subnet_name: bytes,
        github_repo: bytes,
        subnet_contact: bytes,
        subnet_url: bytes,
        discord: bytes,
        description: bytes,
        logo_url: bytes,
        additional: bytes,
      },
    },
    register_network_with_identity: {
      index: 79,
      fields: {
        hotkey: account,
        identity: typed(Option(SubnetIdentityV3), 'Option<SubnetIdentityOfV3>'),
      },
    },
    batch_set_weights: {
      index: 80,
      fields: {
        netuids: typed(Vec(Compact(NetUid)), 'Vec<Compact<NetUid>>'),
        weights: typed(Vec(CompactWeights), 'Vec<Vec<(Compact<u16>, Compact<u16>)>>'),
        version_keys: typed(Vec(Compact(u64)), 'Vec<Compact<u64>>'),
      },
    },
    unstake_all: { index: 83, fields: { hotkey: account } },
    unstake_all_alpha: { index: 84, fields: { hotkey: account } },
    move_stake: {
      index: 85,
      fields: {
        origin_hotkey: account,
        destination_hotkey: account,
        origin_netuid: netuid,
        destination_netuid: netuid,
        alpha_amount: alpha,
      },
    },
    transfer_stake: {
      index: 86,
      fields: {
        destination_coldkey: account,
        hotkey: account,
        origin_netuid: netuid,
        destination_netuid: netuid,
        alpha_amount: alpha,
      },
    },
    swap_stake: {
      index: 87,
      fields: {
        hotkey: account,
        origin_netuid: netuid,
        destination_netuid: netuid,
        alpha_amount: alpha,
      },
    },
    add_stake_limit: {
      index: 88,
      fields: {
        hotkey: account,
        netuid,
        amount_staked: tao,
        limit_price: tao,
        allow_partial: typed(bool, 'bool'),
      },
    },
    remove_stake_limit: {
      index: 89,
      fields: {
        hotkey: account,
        netuid,
        amount_unstaked: alpha,
        limit_price: tao,
        allow_partial: typed(bool, 'bool'),
      },
    },
    swap_stake_limit: {
      index: 90,
      fields: {
        hotkey: account,
        origin_netuid: netuid,
        destination_netuid: netuid,
        alpha_amount: alpha,
        limit_price: tao,
        allow_partial: typed(bool, 'bool'),
      },
    },
    try_associate_hotkey: { index: 91, fields: { hotkey: account } },
    start_call: { index: 92, fields: { netuid } },
    associate_evm_key: {
      index: 93,
      fields: {
        netuid,
        evm_key: typed(H160, 'H160'),
        block_number: typed(u64, 'u64'),
        signature: typed(EcdsaSignature, 'Signature'),
      },
    },
    commit_weights: { index: 96, fields: { netuid, commit_hash: typed(H256, 'H256') } },
    reveal_weights: {
      index: 97,
      fields: { netuid, uids: u16s, values: u16s, salt: u16s, version_key: typed(u64, 'u64') },
    },
    batch_reveal_weights: {
      index: 98,
      fields: {
        netuid,
        uids_list: typed(Vec(Vec(u16)), 'Vec<Vec<u16>>'),
        values_list: typed(Vec(Vec(u16)), 'Vec<Vec<u16>>'),
        salts_list: typed(Vec(Vec(u16)), 'Vec<Vec<u16>>'),
        version_keys: typed(Vec(u64), 'Vec<u64>'),
      },
    },
    batch_commit_weights: {
      index: 100,
      fields: {
        netuids: typed(Vec(Compact(NetUid)), 'Vec<Compact<NetUid>>'),
        commit_hashes: typed(Vec(H256), 'Vec<H256>'),
      },
    },
    recycle_alpha: { index: 101, fields: { hotkey: account, amount: alpha, netuid } },
    burn_alpha: { index: 102, fields: { hotkey: account, amount: alpha, netuid } },
    remove_stake_full_limit: {
      index: 103,
      fields: {
        hotkey: account,
        netuid,
        limit_price: typed(Option(TaoBalance), 'Option<TaoBalance>'),
      },
    },
    set_pending_childkey_cooldown: { index: 109, fields: { cooldown: typed(u64, 'u64') } },
    register_leased_network: {
      index: 110,
      fields: {
        emissions_share: typed(Percent, 'Percent'),
        end_block: typed(Option(BlockNumber), 'Option<BlockNumberFor<T>>'),
      },
    },
    terminate_lease: {
      index: 111,
      fields: { lease_id: typed(LeaseId, 'LeaseId'), hotkey: account },
    },
    update_symbol: { index: 112, fields: { netuid, symbol: bytes } },
    commit_timelocked_weights: {
      index: 113,
      fields: {
        netuid,
        commit: commitBytes,
        reveal_round: typed(u64, 'u64'),
        commit_reveal_version: typed(u16, 'u16'),
      },
    },
    set_coldkey_auto_stake_hotkey: { index: 114, fields: { netuid, hotkey: account } },
    commit_mechanism_weights: {
      index: 115,
      fields: { netuid, mecid, commit_hash: typed(H256, 'H256') },
    },
    reveal_mechanism_weights: {
      index: 116,
      fields: {
        netuid,
        mecid,
        uids: u16s,
        values: u16s,
        salt: u16s,
        version_key: typed(u64, 'u64'),
      },
    },
    commit_crv3_mechanism_weights: {
      index: 117,
      fields: { netuid, mecid, commit: commitBytes, reveal_round: typed(u64, 'u64') },
    },
    commit_timelocked_mechanism_weights: {
      index: 118,
      fields: {
        netuid,
        mecid,
        commit: commitBytes,
        reveal_round: typed(u64, 'u64'),
        commit_reveal_version: typed(u16, 'u16'),
      },
    },
    set_mechanism_weights: {
      index: 119,
      fields: { netuid, mecid, dests: u16s, weights: u16s, version_key: typed(u64, 'u64') },
    },
    root_dissolve_network: { index: 120, fields: { netuid } },
    claim_root: { index: 121, fields: { subnets: typed(NetUidSet, 'BTreeSet<NetUid>') } },
    set_root_claim_type: {
      index: 122,
      fields: { new_root_claim_type: typed(RootClaimTypeEnum, 'RootClaimTypeEnum') },
    },
    sudo_set_num_root_claims: { index: 123, fields: { new_value: typed(u64, 'u64') } },
    sudo_set_root_claim_threshold: { index: 124, fields: { netuid, new_value: typed(u64, 'u64') } },
    announce_coldkey_swap: { index: 125, fields: { new_coldkey_hash: typed(H256, 'T::Hash') } },
    swap_coldkey_announced: { index: 126, fields: { new_coldkey: account } },
    dispute_coldkey_swap: { index: 127 },
    reset_coldkey_swap: { index: 128, fields: { coldkey: account } },
    enable_voting_power_tracking: { index: 129, fields: { netuid } },
    disable_voting_power_tracking: { index: 130, fields: { netuid } },
    sudo_set_voting_power_ema_alpha: { index: 131, fields: { netuid, alpha: typed(u64, 'u64') } },
    add_stake_burn: {
      index: 132,
      fields: {
        hotkey: account,
        netuid,
        amount: tao,
        limit: typed(Option(TaoBalance), 'Option<TaoBalance>'),
      },
    },
    clear_coldkey_swap_announcement: { index: 133 },
    register_limit: {
      index: 134,
      fields: { netuid, hotkey: account, limit_price: typed(u64, 'u64') },
    },
    set_auto_parent_delegation_enabled: {
      index: 135,
      fields: { hotkey: account, enabled: typed(bool, 'bool') },
    },
    lock_stake: { index: 136, fields: { hotkey: account, netuid, amount: alpha } },
    move_lock: { index: 137, fields: { destination_hotkey: account, netuid } },
    set_perpetual_lock: { index: 138, fields: { netuid, enabled: typed(bool, 'bool') } },
    set_tempo: { index: 139, fields: { netuid, tempo: typed(u16, 'u16') } },
    set_activity_cutoff_factor: { index: 140, fields: { netuid, factor_milli: typed(u32, 'u32') } },
    trigger_epoch: { index: 141, fields: { netuid } },
    set_reject_locked_alpha: { index: 142, fields: { enabled: typed(bool, 'bool') } },
  },
);
export type SubtensorCall = ShapeType<typeof SubtensorCall>;
