/**
 * Call weights and transaction fees (pallet_transaction_payment with subtensor's constants):
 * fee = base_fee + length_fee + weight_fee (+ tip), multiplier fixed at 1.
 */
import {
  type DispatchClass,
  EXTRINSIC_BASE_WEIGHT,
  LENGTH_FEE_PER_BYTE,
  MAX_NORMAL_BLOCK_LENGTH,
  MAXIMUM_BLOCK_WEIGHT,
  NORMAL_DISPATCH_RATIO_PERCENT,
  OPERATIONAL_FEE_MULTIPLIER,
  type RuntimeCall,
  WEIGHT_FEE_PERBILL,
  type Weight,
} from '@taoscript/chain-types';

export interface DispatchInfo {
  weight: Weight;
  class: DispatchClass['type'];
  paysFee: 'Yes' | 'No';
}

const w = (refTime: bigint, proofSize = 0n): Weight => ({
  ref_time: refTime,
  proof_size: proofSize,
});
const add = (a: Weight, b: Weight): Weight => ({
  ref_time: a.ref_time + b.ref_time,
  proof_size: a.proof_size + b.proof_size,
});

/**
 * Declared weights. These approximate the benchmarked weights subtensor ships (pallet_balances,
 * frame_system, pallet_utility); they are the inputs the fee formula charges for.
 */
export function callInfo(call: RuntimeCall): DispatchInfo {
  const normal = (weight: Weight, paysFee: 'Yes' | 'No' = 'Yes'): DispatchInfo => ({
    weight,
    class: 'Normal',
    paysFee,
  });
  switch (call.type) {
    case 'System': {
      const c = call.value;
      switch (c.type) {
        case 'remark':
        case 'remark_with_event':
          return normal(w(2_000_000n + 1_400n * BigInt(c.value.remark.length)));
        default:
          return {
            weight: w(MAXIMUM_BLOCK_WEIGHT.ref_time / 10n),
            class: 'Operational',
            paysFee: 'Yes',
          };
      }
    }
    case 'Timestamp':
      return { weight: w(10_000_000n, 1_500n), class: 'Mandatory', paysFee: 'No' };
    case 'Balances': {
      const t = call.value.type;
      if (t === 'force_set_balance') return normal(w(20_000_000n, 3_593n));
      if (t === 'transfer_keep_alive') return normal(w(48_000_000n, 3_593n));
      return normal(w(60_000_000n, 3_593n));
    }
    case 'Utility': {
      const c = call.value;
      if (c.type === 'batch' || c.type === 'batch_all' || c.type === 'force_batch') {
        let total = w(5_000_000n + 4_000_000n * BigInt(c.value.calls.length));
        for (const inner of c.value.calls as RuntimeCall[])
          total = add(total, callInfo(inner).weight);
        return normal(total);
      }
      if (c.type === 'with_weight') return normal(c.value.weight);
      return normal(w(10_000_000n));
    }
    case 'SubtensorModule':
    case 'Commitments':
    case 'AdminUtils':
    case 'Swap': {
      const name = (call.value as { type: string }).type;
      const pays = call.type === 'SubtensorModule' && SUBTENSOR_FREE_CALLS.has(name) ? 'No' : 'Yes';
      // Root-only setters run as Operational, as subtensor declares its sudo calls.
      const klass = call.type === 'AdminUtils' ? 'Operational' : 'Normal';
      return { weight: w(SUBTENSOR_CALL_WEIGHT, 6_000n), class: klass, paysFee: pays };
    }
    case 'Sudo': {
      const c = call.value;
      if (c.type === 'sudo' || c.type === 'sudo_as') {
        const inner = callInfo(c.value.call as RuntimeCall);
        return { weight: add(inner.weight, w(12_000_000n)), class: inner.class, paysFee: 'Yes' };
      }
      if (c.type === 'sudo_unchecked_weight') return normal(c.value.weight);
      return normal(w(12_000_000n));
    }
  }
}

/** Subtensor calls that are `Pays::No` (weights, serving, take changes). */
export const SUBTENSOR_FREE_CALLS: ReadonlySet<string> = new Set([
  'set_weights',
  'set_mechanism_weights',
  'batch_set_weights',
  'commit_weights',
  'commit_mechanism_weights',
  'batch_commit_weights',
  'reveal_weights',
  'reveal_mechanism_weights',
  'batch_reveal_weights',
  'commit_timelocked_weights',
  'commit_timelocked_mechanism_weights',
  'commit_crv3_mechanism_weights',
  'serve_axon',
  'serve_axon_tls',
  'serve_prometheus',
  'increase_take',
  'decrease_take',
  'associate_evm_key',
]);
/** A flat declared weight for subtensor-pallet calls until each has its benchmarked value. */
const SUBTENSOR_CALL_WEIGHT = 100_000_000n;

/** WeightToFee: ref_time × 0.0005, rounded to nearest (ties down) as a Perbill product. */
export function weightToFee(weight: Weight): bigint {
  const product = weight.ref_time * WEIGHT_FEE_PERBILL;
  const q = product / 1_000_000_000n;
  const r = product % 1_000_000_000n;
  return r * 2n > 1_000_000_000n ? q + 1n : q;
}

export const lengthToFee = (len: number): bigint => BigInt(len) * LENGTH_FEE_PER_BYTE;

export interface FeeParts {
  baseFee: bigint;
  lenFee: bigint;
  adjustedWeightFee: bigint;
  tip: bigint;
}

/** The fee parts for an extrinsic of `len` bytes with this dispatch info (inclusion fee is 0 when Pays::No). */
export function computeFee(len: number, info: DispatchInfo, tip: bigint): FeeParts {
  if (info.paysFee === 'No') return { baseFee: 0n, lenFee: 0n, adjustedWeightFee: 0n, tip };
  return {
    baseFee: weightToFee(EXTRINSIC_BASE_WEIGHT),
    lenFee: lengthToFee(len),
    adjustedWeightFee: weightToFee(info.weight),
    tip,
  };
}

export const totalFee = (f: FeeParts): bigint => f.baseFee + f.lenFee + f.adjustedWeightFee + f.tip;

/** pallet_transaction_payment's priority: the tip scaled by how many such transactions fit a block. */
export function priority(len: number, info: DispatchInfo, tip: bigint, finalFee: bigint): bigint {
  const maxWeight = (MAXIMUM_BLOCK_WEIGHT.ref_time * NORMAL_DISPATCH_RATIO_PERCENT) / 100n;
  const maxLength = BigInt(MAX_NORMAL_BLOCK_LENGTH);
  const byWeight = maxWeight / (info.weight.ref_time > 0n ? info.weight.ref_time : 1n);
  const byLength = maxLength / BigInt(Math.max(len, 1));
  let perBlock = byWeight < byLength ? byWeight : byLength;
  if (perBlock < 1n) perBlock = 1n;
  const scaledTip = (tip + 1n) * perBlock;
  const U64 = 0xffff_ffff_ffff_ffffn;
  const sat = (x: bigint) => (x > U64 ? U64 : x);
  if (info.class === 'Operational')
    return sat(scaledTip + finalFee * BigInt(OPERATIONAL_FEE_MULTIPLIER) * perBlock);
  return sat(scaledTip);
}
