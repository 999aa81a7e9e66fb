/**
 * The plain-value interface of one Yuma epoch (subtensor `epoch_mechanism`), shared by the chain
 * (which reads these from storage) and `tao sim epoch` (which reads them from a scenario file).
 *
 * Integers wider than u32 are bigint; u16 proportions and uids are numbers. A sparse row is a list
 * of `[column, u16]` pairs sorted by column.
 */

/** One sparse row: `[uid, u16 value]` pairs, sorted by uid. */
export type SparseRowU16 = Array<[number, number]>;

/** Hyperparameters the epoch reads (spec yuma-epoch §1.2), already resolved for one subnet. */
export interface EpochParams {
  /** Kappa (u16): majority ratio kappa/65535. */
  kappaU16: number;
  /** BondsMovingAverage (u64): classic EMA alpha = 1 − bma/1e6. */
  bondsMovingAverage: bigint;
  /** BondsPenalty (u16). */
  bondsPenaltyU16: number;
  /** Activity cutoff in blocks, already derived from the tempo and factor. */
  activityCutoffBlocks: bigint;
  /** Yuma3On. */
  yuma3Enabled: boolean;
  /** LiquidAlphaOn (only read on the Yuma3 path). */
  liquidAlphaEnabled: boolean;
  /** AlphaValues (low, high) as u16. */
  alphaValuesU16: [number, number];
  /** AlphaSigmoidSteepness (i16). */
  alphaSigmoidSteepness: number;
  /** CommitRevealWeightsEnabled: apply the commit mask (step W4). */
  commitRevealEnabled: boolean;
  /** StakeThreshold (u64). */
  stakeThreshold: bigint;
  /** TaoWeight raw u64 (fraction of u64::MAX). */
  taoWeight: bigint;
  /** Uid of SubnetOwnerHotkey when it is registered, else null. */
  subnetOwnerUid: number | null;
  /** LastMechansimStepBlock (0 when no epoch has run). */
  lastMechanismStepBlock: bigint;
  /** Tempo (u16): used for last_tempo when lastMechanismStepBlock is 0. */
  tempo: number;
  /** MaxAllowedValidators (u16). */
  maxAllowedValidators: number;
}

/** Everything one mechanism's epoch reads. Arrays are indexed by uid and have length n. */
export interface EpochInput {
  n: number;
  currentBlock: bigint;
  /** Inherited alpha stake per uid (rao). */
  alphaStake: bigint[];
  /** Inherited root TAO stake per uid (rao). */
  taoStake: bigint[];
  blockAtRegistration: bigint[];
  /** LastUpdate of this mechanism. */
  lastUpdate: bigint[];
  /** Stored ValidatorPermit (from the previous epoch). */
  validatorPermits: boolean[];
  /** Stored Weights rows of this mechanism (row max-upscaled u16, explicit zeros kept). */
  weights: SparseRowU16[];
  /** Stored Bonds rows of this mechanism. */
  bonds: SparseRowU16[];
  /** Earliest live (non-expired) commit block per uid, or null; only read when commit-reveal is on. */
  commitBlocks: Array<bigint | null>;
  params: EpochParams;
  /** Alpha (rao) given to this mechanism. */
  raoEmission: bigint;
}

/** Per-uid outputs of one mechanism's epoch (subtensor `EpochTerms`), arrays indexed by uid. */
export interface EpochTerms {
  dividendU16: number[];
  incentiveU16: number[];
  consensusU16: number[];
  validatorTrustU16: number[];
  stakeWeightU16: number[];
  active: boolean[];
  newValidatorPermit: boolean[];
  /** Combined emission (rao), stored as Emission. */
  emission: bigint[];
  serverEmission: bigint[];
  validatorEmission: bigint[];
  /** Bond row to store per uid (empty when the uid has no new permit). */
  bonds: SparseRowU16[];
  /** Raw total stake per uid (rao), as upstream's `terms.stake`. */
  stake: bigint[];
}

/**
 * Per-uid results of all mechanisms of a subnet combined (subtensor `epoch_with_mechanisms`):
 * the per-netuid terms. Incentive and bonds stay per mechanism.
 */
export type AggregatedTerms = Omit<EpochTerms, 'incentiveU16' | 'bonds'>;
