import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import { fieldSignatures, variantIndices } from '../../test/shapes.js';
import { u16 } from '../dsl.js';
import {
  ADMIN_UTILS_ERRORS,
  AdminUtils,
  AdminUtilsCall,
  AdminUtilsError,
  AdminUtilsEvent,
  MAX_AUTHORITIES,
} from './admin-utils.js';
import {
  CheckedBoundedBytes,
  CheckedBoundedVec,
  COMMITMENTS_ERRORS,
  CommitmentInfo,
  Commitments,
  CommitmentsCall,
  CommitmentsEvent,
  Data,
  MAX_COMMIT_FIELDS,
  Registration,
  rawData,
} from './commitments.js';
import {
  DEFAULT_BALANCER,
  SWAP_ERRORS,
  Swap,
  SwapCall,
  SwapError,
  SwapEvent,
  swapConstants,
} from './swap.js';

const bytes = (...xs: number[]) => new Uint8Array(xs);
const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const prefix = (pallet: string, item: string) =>
  cat(xxhashAsU8a(pallet, 128), xxhashAsU8a(item, 128));
const le16 = (n: number) => bytes(n & 0xff, n >> 8);

// Spec §7 (AdminUtils pallet index 19): every setter the hyperparameter table and the global list
// name, with its call index. Copied from /work/shared/spec/runtime.md.
const SPEC_ADMIN_UTILS: [string, number][] = [
  ['sudo_set_rho', 17],
  ['sudo_set_kappa', 16],
  ['sudo_set_tempo', 30],
  ['sudo_set_activity_cutoff', 18],
  ['sudo_set_immunity_period', 13],
  ['sudo_set_min_allowed_weights', 14],
  ['sudo_set_max_allowed_uids', 15],
  ['sudo_set_min_allowed_uids', 79],
  ['sudo_set_max_allowed_validators', 25],
  ['sudo_set_weights_version_key', 6],
  ['sudo_set_weights_set_rate_limit', 7],
  ['sudo_set_adjustment_interval', 8],
  ['sudo_set_adjustment_alpha', 9],
  ['sudo_set_target_registrations_per_interval', 21],
  ['sudo_set_max_registrations_per_block', 27],
  ['sudo_set_difficulty', 24],
  ['sudo_set_min_difficulty', 4],
  ['sudo_set_max_difficulty', 5],
  ['sudo_set_network_registration_allowed', 19],
  ['sudo_set_network_pow_registration_allowed', 20],
  ['sudo_set_min_burn', 22],
  ['sudo_set_max_burn', 23],
  ['sudo_set_burn_half_life', 89],
  ['sudo_set_burn_increase_mult', 90],
  ['sudo_set_bonds_moving_average', 26],
  ['sudo_set_bonds_penalty', 60],
  ['sudo_set_bonds_reset_enabled', 70],
  ['sudo_set_serving_rate_limit', 3],
  ['sudo_set_commit_reveal_weights_enabled', 49],
  ['sudo_set_commit_reveal_weights_interval', 57],
  ['sudo_set_liquid_alpha_enabled', 50],
  ['sudo_set_alpha_values', 51],
  ['sudo_set_alpha_sigmoid_steepness', 68],
  ['sudo_set_yuma3_enabled', 69],
  ['sudo_set_toggle_transfer', 61],
  ['sudo_set_recycle_or_burn', 80],
  ['sudo_set_owner_immune_neuron_limit', 72],
  ['sudo_set_min_non_immune_uids', 84],
  ['sudo_set_min_childkey_take_per_subnet', 93],
  ['sudo_set_mechanism_count', 76],
  ['sudo_set_mechanism_emission_split', 77],
  ['sudo_set_subtoken_enabled', 66],
  ['sudo_set_subnet_emission_enabled', 94],
  ['sudo_set_owner_cut_enabled', 92],
  ['sudo_set_owner_cut_auto_lock_enabled', 95],
  ['sudo_set_ema_price_halving_period', 65],
  ['sudo_set_rao_recycled', 39],
  ['sudo_set_sn_owner_hotkey', 67],
  ['sudo_set_subnet_owner_hotkey', 64],
  ['sudo_set_default_take', 1],
  ['sudo_set_tx_rate_limit', 2],
  ['sudo_set_subnet_owner_cut', 28],
  ['sudo_set_network_rate_limit', 29],
  ['sudo_set_network_immunity_period', 35],
  ['sudo_set_network_min_lock_cost', 36],
  ['sudo_set_subnet_limit', 37],
  ['sudo_set_lock_reduction_interval', 38],
  ['sudo_set_stake_threshold', 42],
  ['sudo_set_nominator_min_required_stake', 43],
  ['sudo_set_tx_delegate_take_rate_limit', 45],
  ['sudo_set_min_delegate_take', 46],
  ['sudo_set_dissolve_network_schedule_duration', 55],
  ['sudo_set_evm_chain_id', 58],
  ['sudo_set_subnet_moving_alpha', 63],
  ['sudo_set_commit_reveal_version', 71],
  ['sudo_set_ck_burn', 73],
  ['sudo_set_admin_freeze_window', 74],
  ['sudo_set_owner_hparam_rate_limit', 75],
  ['sudo_set_tao_flow_cutoff', 81],
  ['sudo_set_tao_flow_normalization_exponent', 82],
  ['sudo_set_tao_flow_smoothing_factor', 83],
  ['sudo_set_start_call_delay', 85],
  ['sudo_set_coldkey_swap_announcement_delay', 86],
  ['sudo_set_coldkey_swap_reannouncement_delay', 87],
  ['sudo_set_max_mechanism_count', 88],
  ['sudo_set_net_tao_flow_enabled', 91],
  ['sudo_set_max_epochs_per_block', 96],
  ['sudo_set_total_issuance', 33],
  ['swap_authorities', 0],
  ['schedule_grandpa_change', 59],
  ['sudo_toggle_evm_precompile', 62],
  ['sudo_trim_to_max_allowed_uids', 78],
];

describe('AdminUtils', () => {
  it('declares exactly the 82 calls of spec §7, at their indices', () => {
    const ours = variantIndices(AdminUtilsCall);
    assert.equal(ours.size, 82);
    assert.equal(SPEC_ADMIN_UTILS.length, 82);
    for (const [name, index] of SPEC_ADMIN_UTILS) assert.equal(ours.get(name), index, name);
    const unused = [...Array(97).keys()].filter((i) => ![...ours.values()].includes(i));
    assert.deepEqual(unused, [10, 11, 12, 31, 32, 34, 40, 41, 44, 47, 48, 52, 53, 54, 56]);
  });

  it('takes arguments in subtensor order with its type names', () => {
    const call = AdminUtilsCall;
    assert.deepEqual(fieldSignatures(call, 'sudo_set_alpha_values'), [
      'netuid:NetUid',
      'alpha_low:u16',
      'alpha_high:u16',
    ]);
    assert.deepEqual(fieldSignatures(call, 'sudo_set_min_burn'), [
      'netuid:NetUid',
      'min_burn:TaoBalance',
    ]);
    assert.deepEqual(fieldSignatures(call, 'schedule_grandpa_change'), [
      'next_authorities:AuthorityList',
      'in_blocks:BlockNumberFor<T>',
      'forced:Option<BlockNumberFor<T>>',
    ]);
    assert.deepEqual(fieldSignatures(call, 'sudo_set_network_pow_registration_allowed'), [
      'netuid:NetUid',
      'registration_allowed:bool',
    ]);
    assert.deepEqual(fieldSignatures(call, 'sudo_set_max_epochs_per_block'), [
      'max_epochs_per_block:u8',
    ]);
  });

  it('encodes setters with plain (non-compact) integers', () => {
    assert.deepEqual(
      AdminUtilsCall.enc({ type: 'sudo_set_tempo', value: { netuid: 3, tempo: 360 } }),
      bytes(30, 3, 0, 0x68, 0x01),
    );
    assert.deepEqual(
      AdminUtilsCall.enc({ type: 'sudo_set_tx_rate_limit', value: { tx_rate_limit: 1n } }),
      bytes(2, 1, 0, 0, 0, 0, 0, 0, 0),
    );
    assert.deepEqual(
      AdminUtilsCall.enc({
        type: 'sudo_set_recycle_or_burn',
        value: { netuid: 1, recycle_or_burn: { type: 'Recycle' } },
      }),
      bytes(80, 1, 0, 1),
    );
    assert.deepEqual(
      AdminUtilsCall.enc({
        type: 'sudo_set_mechanism_emission_split',
        value: { netuid: 2, maybe_split: [1, 0xffff] },
      }),
      bytes(77, 2, 0, 1, 8, 1, 0, 0xff, 0xff),
    );
    assert.deepEqual(
      AdminUtilsCall.enc({
        type: 'sudo_set_burn_increase_mult',
        value: { netuid: 1, burn_increase_mult: 1n << 64n },
      }),
      cat(bytes(90, 1, 0), new Uint8Array(8), bytes(1), new Uint8Array(7)),
    );
  });

  it('caps swap_authorities at MaxAuthorities on encode and decode', () => {
    const key = fill(32, 7);
    const ok = AdminUtilsCall.enc({ type: 'swap_authorities', value: { new_authorities: [key] } });
    assert.deepEqual(ok, cat(bytes(0, 4), key));
    const many = Array.from({ length: MAX_AUTHORITIES + 1 }, () => key);
    assert.throws(
      () => AdminUtilsCall.enc({ type: 'swap_authorities', value: { new_authorities: many } }),
      RangeError,
    );
    const hostile = cat(bytes(0, (MAX_AUTHORITIES + 1) << 2), ...many);
    assert.throws(() => AdminUtilsCall.dec(hostile), RangeError);
  });

  it('lists events and errors in declaration order', () => {
    assert.deepEqual(
      [...variantIndices(AdminUtilsEvent)],
      [
        ['PrecompileUpdated', 0],
        ['Yuma3EnableToggled', 1],
        ['BondsResetToggled', 2],
        ['BurnHalfLifeSet', 3],
        ['BurnIncreaseMultSet', 4],
        ['SubnetEmissionEnabledSet', 5],
      ],
    );
    assert.equal(ADMIN_UTILS_ERRORS.length, 14);
    assert.equal(ADMIN_UTILS_ERRORS[0], 'SubnetDoesNotExist');
    assert.equal(ADMIN_UTILS_ERRORS[12], 'POWRegistrationDisabled');
    assert.deepEqual(AdminUtilsError.dec(bytes(13)), { type: 'Deprecated' });
    assert.throws(() => AdminUtilsError.dec(bytes(14)), RangeError);
  });

  it('keys PrecompileEnable by blake2_128_concat of the enum and defaults it to true', () => {
    const enc = bytes(11);
    assert.deepEqual(
      AdminUtils.PrecompileEnable.key({ type: 'VotingPower' }),
      cat(prefix('AdminUtils', 'PrecompileEnable'), blake2AsU8a(enc, 128), enc),
    );
    assert.equal(
      AdminUtils.PrecompileEnable.get({ get: () => undefined }, { type: 'Staking' }),
      true,
    );
  });
});

describe('Commitments', () => {
  it('encodes Data byte-for-byte as subtensor hand-writes it', () => {
    assert.deepEqual(Data.enc({ type: 'None' }), bytes(0));
    assert.deepEqual(Data.enc(rawData(new Uint8Array(0))), bytes(1));
    assert.deepEqual(Data.enc(rawData(bytes(97, 98, 99))), bytes(4, 97, 98, 99));
    assert.deepEqual(Data.enc(rawData(fill(128, 5))), cat(bytes(129), fill(128, 5)));
    assert.deepEqual(
      Data.enc({ type: 'Sha256', value: fill(32, 9) }),
      cat(bytes(131), fill(32, 9)),
    );
    assert.deepEqual(
      Data.enc({
        type: 'TimelockEncrypted',
        value: { encrypted: bytes(1, 2), reveal_round: 258n },
      }),
      bytes(134, 8, 1, 2, 2, 1, 0, 0, 0, 0, 0, 0),
    );
    assert.deepEqual(Data.enc({ type: 'ResetBondsFlag' }), bytes(135));
    assert.deepEqual(
      Data.enc({ type: 'BigRaw', value: fill(200, 1) }),
      cat(bytes(136, 0x21, 3), fill(200, 1)),
    );
    assert.deepEqual(Data.dec(bytes(4, 97, 98, 99)), { type: 'Raw3', value: bytes(97, 98, 99) });
  });

  it('declares Data as metadata does: Raw0..Raw128 at 1..129, hashes at 130..133', () => {
    const v = variantIndices(Data);
    assert.equal(v.size, 137);
    assert.equal(v.get('Raw0'), 1);
    assert.equal(v.get('Raw128'), 129);
    assert.equal(v.get('BlakeTwo256'), 130);
    assert.equal(v.get('ShaThree256'), 133);
    assert.equal(v.get('BigRaw'), 136);
  });

  it('rejects malformed and oversized data', () => {
    assert.throws(() => rawData(fill(129, 0)), RangeError);
    assert.throws(() => rawData('abc' as unknown as Uint8Array), TypeError);
    assert.throws(() => Data.dec(bytes(137)), RangeError);
    assert.throws(() => Data.dec(bytes(10, 1, 2)), RangeError);
    assert.throws(() => Data.enc({ type: 'Raw3', value: bytes(1) }), RangeError);
    const bigTimelock = cat(bytes(134), bytes(0x06, 0x10), fill(1025, 0), new Uint8Array(8));
    assert.throws(() => Data.dec(bigTimelock), RangeError);
    assert.throws(() => Data.enc({ type: 'BigRaw', value: fill(513, 0) }), RangeError);
    assert.throws(() => CheckedBoundedBytes(4).enc([1, 2] as unknown as Uint8Array), TypeError);
    assert.throws(() => CheckedBoundedVec(u16, 2).enc('ab' as unknown as number[]), TypeError);
    assert.throws(() => CheckedBoundedVec(u16, -1), RangeError);
    assert.throws(() => CheckedBoundedVec(u16, 2).dec(bytes(8, 1, 0)), RangeError);
  });

  it('caps CommitmentInfo at MaxFields, as the call decoder does', () => {
    const field = { type: 'None' } as const;
    const four = Array.from({ length: MAX_COMMIT_FIELDS + 1 }, () => field);
    assert.throws(() => CommitmentInfo.enc({ fields: four }), RangeError);
    assert.throws(() => CommitmentInfo.dec(bytes(16, 0, 0, 0, 0)), RangeError);
    assert.deepEqual(CommitmentInfo.dec(bytes(12, 0, 0, 135)), {
      fields: [field, field, { type: 'ResetBondsFlag' }],
    });
  });

  it('encodes set_commitment and Registration in field order', () => {
    const info = { fields: [rawData(bytes(0xaa))] };
    assert.deepEqual(
      CommitmentsCall.enc({ type: 'set_commitment', value: { netuid: 7, info } }),
      bytes(0, 7, 0, 4, 2, 0xaa),
    );
    assert.deepEqual(
      CommitmentsCall.enc({ type: 'set_max_space', value: { new_limit: 1 } }),
      bytes(2, 1, 0, 0, 0),
    );
    assert.deepEqual(
      Registration.enc({ deposit: 1n, block: 2, info }),
      bytes(1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 4, 2, 0xaa),
    );
    assert.deepEqual(
      [...variantIndices(CommitmentsEvent).keys()],
      ['Commitment', 'TimelockCommitment', 'CommitmentRevealed'],
    );
    assert.equal(COMMITMENTS_ERRORS.length, 4);
  });

  it('keys commitment maps by identity(netuid) ++ twox64_concat(account)', () => {
    const who = fill(32, 3);
    assert.deepEqual(
      Commitments.CommitmentOf.key(513, who),
      cat(prefix('Commitments', 'CommitmentOf'), le16(513), xxhashAsU8a(who, 64), who),
    );
    assert.deepEqual(Commitments.UsedSpaceOf.decodeKey(Commitments.UsedSpaceOf.key(9, who)), [
      9,
      who,
    ]);
    assert.equal(Commitments.MaxSpace.get({ get: () => undefined }), 3100);
    const low = fill(32, 1);
    assert.deepEqual(
      Commitments.TimelockedIndex.value.enc([
        [2, low],
        [1, who],
        [1, low],
      ]),
      cat(bytes(12, 1, 0), low, bytes(1, 0), who, bytes(2, 0), low),
    );
    assert.throws(
      () =>
        Commitments.TimelockedIndex.value.enc([
          [1, who],
          [1, who],
        ]),
      RangeError,
    );
    assert.deepEqual(
      Object.values(Commitments).map((s) => s.name),
      [
        'TimelockedIndex',
        'CommitmentOf',
        'LastCommitment',
        'LastBondsReset',
        'RevealedCommitments',
        'UsedSpaceOf',
        'MaxSpace',
      ],
    );
  });
});

describe('Swap', () => {
  it('declares set_fee_rate and the deprecated liquidity calls at their indices', () => {
    assert.deepEqual(
      [...variantIndices(SwapCall)],
      [
        ['set_fee_rate', 0],
        ['add_liquidity', 1],
        ['remove_liquidity', 2],
        ['modify_position', 3],
        ['toggle_user_liquidity', 4],
        ['disable_lp', 5],
      ],
    );
    assert.deepEqual(
      SwapCall.enc({ type: 'set_fee_rate', value: { netuid: 1, rate: 33 } }),
      bytes(0, 1, 0, 33, 0),
    );
    assert.deepEqual(SwapEvent.dec(bytes(0, 2, 0, 10, 0)), {
      type: 'FeeRateSet',
      value: { netuid: 2, rate: 10 },
    });
    assert.deepEqual(fieldSignatures(SwapCall, 'add_liquidity'), [
      'hotkey:T::AccountId',
      'netuid:NetUid',
      'tick_low:TickIndex',
      'tick_high:TickIndex',
      'liquidity:u64',
    ]);
    assert.equal(SWAP_ERRORS.length, 13);
    assert.deepEqual(SwapError.dec(bytes(12)), { type: 'Deprecated' });
  });

  it('defaults FeeRate to 33 and the balancer to equal weights', () => {
    const empty = { get: () => undefined };
    assert.equal(Swap.FeeRate.get(empty, 5), 33);
    assert.deepEqual(Swap.SwapBalancer.get(empty, 5), DEFAULT_BALANCER);
    // Perquintill::from_rational(1, 2) = 5 * 10^17 = 0x06f05b59d3b20000, little-endian.
    assert.deepEqual(
      Swap.SwapBalancer.fallbackBytes,
      bytes(0x00, 0x00, 0xb2, 0xd3, 0x59, 0x5b, 0xf0, 0x06),
    );
    assert.deepEqual(
      Swap.FeeRate.key(1),
      cat(prefix('Swap', 'FeeRate'), xxhashAsU8a(le16(1), 64), le16(1)),
    );
    assert.throws(() => Swap.HasMigrationRun.key(fill(129, 1)), RangeError);
  });

  it('lists the runtime constants', () => {
    const c = Object.fromEntries(swapConstants().map((k) => [k.name, k.shape.enc(k.value)]));
    assert.deepEqual(c.ProtocolId, new TextEncoder().encode('ten/swap'));
    assert.deepEqual(c.MaxFeeRate, le16(10_000));
    assert.deepEqual(c.MinimumReserve, bytes(0x40, 0x42, 0x0f, 0, 0, 0, 0, 0));
  });
});
