/** Parameter, result and error types of the chain client's methods. */

import type { RootClaimTypeEnum, RuntimeCall, SimSwapResult } from '@taoscript/chain-types';
import type { HexString } from '@taoscript/codec';
import type { JsonRpcProvider } from 'polkadot-api';
import type { WeightsDtype } from '../weights/convert.js';
import type { PendingCommit } from '../weights/pending-commit.js';
import type { SubtensorClient } from './client.js';
import type {
  ChainTypeMismatchError,
  ClientTimeoutError,
  ExtrinsicFailedError,
  NodeUnreachableError,
  PreconditionError,
  RpcFailedError,
  TransactionInvalidError,
} from './errors.js';
import type { ChainEvent } from './events.js';
import type { Hyperparameter, HyperparameterValue } from './hyperparams.js';

/** What signs extrinsics: a `@taoscript/crypto` Keypair fits. */
export interface Signer {
  publicKey: Uint8Array;
  type?: 'sr25519' | 'ed25519';
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** An account as the SDK accepts it: SS58 address or 32-byte public key. */
export type AccountLike = string | Uint8Array;

/** A block to read at: the best block (default), the finalized one, or a block hash. */
export type BlockRef = 'best' | 'finalized' | HexString;

/** Options of every read. */
export interface ReadOptions {
  at?: BlockRef;
}

/** Options of every extrinsic. */
export interface ExtrinsicOptions {
  /** Resolve once the extrinsic is in a best block (default) or once it is finalized. */
  waitFor?: 'inclusion' | 'finalization';
  /** Mortality in blocks (default 128); 0 for an immortal extrinsic. */
  period?: number;
  /** Explicit nonce (default: the node's next index for the signer, pool included). */
  nonce?: number;
  tip?: bigint;
  /** Deadline for the wait (default 120 000 ms). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Throw the {@link ExtrinsicFailedError} instead of returning `{ ok: false }`. */
  raiseError?: boolean;
}

interface ExtrinsicBase {
  txHash: HexString;
  blockHash: HexString;
  blockNumber: number;
  extrinsicIndex: number;
  /** The extrinsic's events, decoded (see {@link ChainEvent}). */
  events: ChainEvent[];
  /** `TransactionPayment.TransactionFeePaid.actual_fee`, when the node reports it. */
  fee: bigint | undefined;
}
/** The outcome of an extrinsic: included and succeeded, or included and failed. */
export type ExtrinsicResult =
  | (ExtrinsicBase & { ok: true })
  | (ExtrinsicBase & { ok: false; error: ExtrinsicFailedError });
/** Errors an extrinsic method may throw. */
export type ExtrinsicErrorType =
  | ChainTypeMismatchError
  | TransactionInvalidError
  | ExtrinsicFailedError
  | ClientTimeoutError
  | RpcFailedError
  | PreconditionError
  | TypeError
  | RangeError;

/** How to connect. */
export interface ConnectParameters {
  /** `local`, `test`, `finney`, `archive` or a `ws(s)://` URL (see `resolveNetwork`). */
  network?: string;
  /** Explicit endpoint; wins over `network`. */
  chainEndpoint?: string;
  /** Environment for `BT_SUBTENSOR_*` (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** A ready JSON-RPC provider instead of a WebSocket (tests, in-process transports). */
  provider?: JsonRpcProvider;
  /** Connect deadline (default 30 000 ms). */
  timeoutMs?: number;
  /**
   * How long the WebSocket may take to open (default 10 000 ms, at most `timeoutMs`); a refused
   * or failed first attempt rejects at once with {@link NodeUnreachableError}.
   */
  openTimeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Where pending weight commits are kept: a directory (a `SaltStore` there) or any store;
   * default `~/.bittensor/weight-commits`.
   */
  commits?: string | CommitStore;
}
/** What resolves from `connect`. */
export type ConnectReturnType = SubtensorClient;
/** Errors thrown by `connect`. */
export type ConnectErrorType =
  | NodeUnreachableError
  | ClientTimeoutError
  | RpcFailedError
  | TypeError
  | RangeError;

/** Parameters of `SubtensorClient.transfer`. */
export interface TransferParameters {
  signer: Signer;
  dest: AccountLike;
  /** Rao. Ignored with `all`. */
  amount?: bigint;
  /** Keep the sender above the existential deposit (default true). */
  keepAlive?: boolean;
  /** Send the whole transferable balance (`transfer_all`). */
  all?: boolean;
}
/** What resolves from `SubtensorClient.transfer`. */
export type TransferReturnType = ExtrinsicResult;
/** Errors thrown by `SubtensorClient.transfer`. */
export type TransferErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.burnedRegister`. */
export interface BurnedRegisterParameters {
  /** The coldkey that pays the burn. */
  signer: Signer;
  netuid: number;
  hotkey: AccountLike;
}
/** What resolves from `SubtensorClient.burnedRegister`. */
export type BurnedRegisterReturnType = ExtrinsicResult;
/** Errors thrown by `SubtensorClient.burnedRegister`. */
export type BurnedRegisterErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.serveAxon`. */
export interface ServeAxonParameters {
  /** The hotkey registered on the subnet. */
  signer: Signer;
  netuid: number;
  ip: string;
  port: number;
  /** Default 4. */
  protocol?: number;
  /** Default: the SDK's `VERSION_AS_INT` (bittensor 10.2.0's `version_as_int`, as Python sends). */
  version?: number;
  placeholder1?: number;
  placeholder2?: number;
  /** Submit even when the chain already holds the same AxonInfo. */
  force?: boolean;
}
/** What resolves from `SubtensorClient.serveAxon`. */
export type ServeAxonReturnType = ExtrinsicResult | { ok: true; skipped: true };
/** Errors thrown by `SubtensorClient.serveAxon`. */
export type ServeAxonErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.setWeights`. */
export interface SetWeightsParameters {
  /** The validator hotkey. */
  signer: Signer;
  netuid: number;
  uids: ArrayLike<number>;
  /** Float weights (converted as the Python SDK does). */
  weights: ArrayLike<number>;
  mechid?: number;
  versionKey?: bigint | number;
  dtype?: WeightsDtype;
}
/** What resolves from `SubtensorClient.setWeights`. */
export type SetWeightsReturnType = ExtrinsicResult & { uids: number[]; values: number[] };
/** Errors thrown by `SubtensorClient.setWeights`. */
export type SetWeightsErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.commitWeights`. */
export interface CommitWeightsParameters extends SetWeightsParameters {
  /** u16 salt (default: 8 random values). */
  salt?: number[];
}
/** What resolves from `SubtensorClient.commitWeights`. */
export type CommitWeightsReturnType = ExtrinsicResult & {
  commitHash: HexString;
  salt: number[];
  uids: number[];
  values: number[];
};
/** Errors thrown by `SubtensorClient.commitWeights`. */
export type CommitWeightsErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.revealWeights`. */
export interface RevealWeightsParameters {
  signer: Signer;
  netuid: number;
  mechid?: number;
  /** Which pending commit (default: the oldest for this subnet and mechanism). */
  commitHash?: HexString;
  /**
   * Reveal these instead of a stored commit: the uids, float weights (converted as at commit
   * time) and salt that were committed, with `versionKey` (default the SDK's) and `dtype`.
   */
  explicit?: {
    uids: ArrayLike<number>;
    weights: ArrayLike<number>;
    salt: readonly number[];
    versionKey?: bigint | number;
    dtype?: WeightsDtype;
  };
}
/** What resolves from `SubtensorClient.revealWeights`. */
export type RevealWeightsReturnType = ExtrinsicResult & { commit: PendingCommit };
/** Errors thrown by `SubtensorClient.revealWeights`. */
export type RevealWeightsErrorType = ExtrinsicErrorType;

/** A price limit for safe staking: an explicit price or a tolerance around the current one. */
export interface StakeLimit {
  /** Limit price in rao per alpha (×1e9 scale, as `current_alpha_price`). */
  price?: bigint;
  /** Fraction the price may move against you (default 0.005). */
  tolerance?: number;
  /** Fill partially up to the limit instead of failing (default false). */
  allowPartial?: boolean;
}

/** Parameters of `SubtensorClient.addStake`. */
export interface AddStakeParameters {
  /** The coldkey. */
  signer: Signer;
  hotkey: AccountLike;
  netuid: number;
  /** TAO in rao. */
  amount: bigint;
  /** Use `add_stake_limit` with this limit. */
  limit?: StakeLimit;
}
/** What resolves from `SubtensorClient.addStake`. */
export type AddStakeReturnType = ExtrinsicResult & { limitPrice: bigint | undefined };
/** Errors thrown by `SubtensorClient.addStake`. */
export type AddStakeErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.removeStake`. */
export interface RemoveStakeParameters {
  signer: Signer;
  hotkey: AccountLike;
  netuid: number;
  /** Alpha to unstake. */
  amount: bigint;
  limit?: StakeLimit;
}
/** What resolves from `SubtensorClient.removeStake`. */
export type RemoveStakeReturnType = ExtrinsicResult & { limitPrice: bigint | undefined };
/** Errors thrown by `SubtensorClient.removeStake`. */
export type RemoveStakeErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.moveStake`. */
export interface MoveStakeParameters {
  signer: Signer;
  originHotkey: AccountLike;
  destinationHotkey: AccountLike;
  originNetuid: number;
  destinationNetuid: number;
  /** Alpha to move. */
  amount: bigint;
}
/** What resolves from `SubtensorClient.moveStake`. */
export type MoveStakeReturnType = ExtrinsicResult;
/** Errors thrown by `SubtensorClient.moveStake`. */
export type MoveStakeErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.transferStake`. */
export interface TransferStakeParameters {
  signer: Signer;
  destinationColdkey: AccountLike;
  hotkey: AccountLike;
  originNetuid: number;
  destinationNetuid: number;
  amount: bigint;
}
/** What resolves from `SubtensorClient.transferStake`. */
export type TransferStakeReturnType = ExtrinsicResult;
/** Errors thrown by `SubtensorClient.transferStake`. */
export type TransferStakeErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.swapStake`. */
export interface SwapStakeParameters {
  /** The coldkey owning the stake. */
  signer: Signer;
  hotkey: AccountLike;
  originNetuid: number;
  destinationNetuid: number;
  /** Alpha to move out of the origin subnet. */
  amount: bigint;
  /**
   * Use `swap_stake_limit`: `price` is the lowest origin/destination price ratio accepted (×1e9,
   * as {@link SubtensorClient.swapPriceRatio}); `tolerance` sets it at `ratio · (1 − tolerance)`.
   */
  limit?: StakeLimit;
}
/** What resolves from `SubtensorClient.swapStake`. */
export type SwapStakeReturnType = ExtrinsicResult & { limitPrice: bigint | undefined };
/** Errors thrown by `SubtensorClient.swapStake`. */
export type SwapStakeErrorType = ExtrinsicErrorType;

/** A subnet's public identity; missing fields are empty. At most 1024 bytes each. */
export interface SubnetIdentity {
  subnetName?: string | Uint8Array;
  githubRepo?: string | Uint8Array;
  subnetContact?: string | Uint8Array;
  subnetUrl?: string | Uint8Array;
  discord?: string | Uint8Array;
  description?: string | Uint8Array;
  logoUrl?: string | Uint8Array;
  additional?: string | Uint8Array;
}

/** Parameters of `SubtensorClient.registerNetwork`. */
export interface RegisterNetworkParameters {
  /** The coldkey that pays the lock and owns the subnet. */
  signer: Signer;
  /** The owner hotkey. */
  hotkey: AccountLike;
  /** With an identity, `register_network_with_identity`. */
  identity?: SubnetIdentity;
}
/** What resolves from `SubtensorClient.registerNetwork`. */
export type RegisterNetworkReturnType = ExtrinsicResult & {
  /** The new subnet (`NetworkAdded`), undefined when the extrinsic failed. */
  netuid: number | undefined;
  /** TAO locked for it (`SubnetLocked` at the inclusion block), in rao. */
  lockCost: bigint | undefined;
};
/** Errors thrown by `SubtensorClient.registerNetwork`. */
export type RegisterNetworkErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.startCall`. */
export interface StartCallParameters {
  /** The subnet owner's coldkey. */
  signer: Signer;
  netuid: number;
}
/** What resolves from `SubtensorClient.startCall`. */
export type StartCallReturnType = ExtrinsicResult & {
  /** `FirstEmissionBlockNumberSet`'s block, when it succeeded. */
  firstEmissionBlock: bigint | undefined;
};
/** Errors thrown by `SubtensorClient.startCall`. */
export type StartCallErrorType = ExtrinsicErrorType;

/** How root dividends are claimed: swapped to TAO, kept as alpha, or kept on some subnets only. */
export type RootClaimType = RootClaimTypeEnum['type'];

/** Parameters of `SubtensorClient.setRootClaimType`. */
export interface SetRootClaimTypeParameters {
  /** The coldkey. */
  signer: Signer;
  claimType: RootClaimType;
  /** The subnets to keep (`KeepSubnets` only). */
  netuids?: readonly number[];
}
/** What resolves from `SubtensorClient.setRootClaimType`. */
export type SetRootClaimTypeReturnType = ExtrinsicResult & { claimType: RootClaimTypeEnum };
/** Errors thrown by `SubtensorClient.setRootClaimType`. */
export type SetRootClaimTypeErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.claimRoot`. */
export interface ClaimRootParameters {
  /** The coldkey. */
  signer: Signer;
  /** 1 to `MAX_SUBNET_CLAIMS` distinct subnets. */
  netuids: readonly number[];
}
/** What resolves from `SubtensorClient.claimRoot`. */
export type ClaimRootReturnType = ExtrinsicResult & {
  /** Sorted, as the chain's set holds them. */
  netuids: number[];
  /** A `RootClaimed` event was emitted (something was claimed). */
  claimed: boolean;
};
/** Errors thrown by `SubtensorClient.claimRoot`. */
export type ClaimRootErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.setTake`. */
export interface SetTakeParameters {
  /** The coldkey owning the hotkey. */
  signer: Signer;
  hotkey: AccountLike;
  /** New take as a u16 fraction of 65535. */
  take: number;
}
/** What resolves from `SubtensorClient.setTake`. */
export type SetTakeReturnType = ExtrinsicResult & {
  /** The take before (u16). */
  takeBefore: number;
  take: number;
  call: 'increase_take' | 'decrease_take';
};
/** Errors thrown by `SubtensorClient.setTake`. */
export type SetTakeErrorType = ExtrinsicErrorType;

/** Who signs a hyperparameter setter: the subnet owner directly, or the sudo key via Sudo.sudo. */
export type HyperparameterOrigin = 'owner' | 'sudo';

/** Parameters of `SubtensorClient.previewSetHyperparameter`. */
export interface PreviewSetHyperparameterParameters {
  /** The account that would sign. */
  account: AccountLike;
  /** Required for per-subnet setters, refused for chain-wide ones. */
  netuid?: number;
  /** A name of {@link HYPERPARAMETERS} (or an alias). */
  name: string;
  value: HyperparameterValue;
}
/** What resolves from `SubtensorClient.previewSetHyperparameter`. */
export interface PreviewSetHyperparameterReturnType {
  /** The canonical name. */
  name: string;
  param: Hyperparameter;
  /** `AdminUtils.<setter>`. */
  call: string;
  /** The setter's arguments besides `netuid`. */
  args: Record<string, unknown>;
  via: HyperparameterOrigin;
}

/** Parameters of `SubtensorClient.setHyperparameter`. */
export interface SetHyperparameterParameters {
  /** The subnet owner's coldkey, or the sudo key. */
  signer: Signer;
  netuid?: number;
  name: string;
  value: HyperparameterValue;
}
/** What resolves from `SubtensorClient.setHyperparameter`. */
export type SetHyperparameterReturnType = ExtrinsicResult & PreviewSetHyperparameterReturnType;
/** Errors thrown by `SubtensorClient.setHyperparameter`. */
export type SetHyperparameterErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.sudo`. */
export interface SudoParameters {
  /** The sudo key. */
  signer: Signer;
  /** The call root dispatches. */
  call: RuntimeCall;
}
/** What resolves from `SubtensorClient.sudo` (a failed inner call is `ok: false`, `viaSudo`). */
export type SudoReturnType = ExtrinsicResult;
/** Errors thrown by `SubtensorClient.sudo`. */
export type SudoErrorType = ExtrinsicErrorType;

/** Parameters of `SubtensorClient.submit`. */
export interface SubmitParameters {
  signer: Signer;
  /** Any call chain-types declares (`{ type: 'Sudo', value: { type: 'sudo', value: { call } } }`). */
  call: RuntimeCall;
}
/** What resolves from `SubtensorClient.submit`. */
export type SubmitReturnType = ExtrinsicResult;
/** Errors thrown by `SubtensorClient.submit`. */
export type SubmitErrorType = ExtrinsicErrorType;

/** A staking swap previewed with the Swap runtime API. */
export interface StakePreview {
  /** Spot price, rao per alpha ×1e9 (`current_alpha_price`). */
  price: bigint;
  /** The simulated swap (amounts, fees, slippage). */
  sim: SimSwapResult;
  /** What the swap yields: alpha for staking, TAO (rao) for unstaking. */
  amountOut: bigint;
  /** Output lost to price impact and fees versus the spot price, as a fraction. */
  slippage: number;
}

/** Keeps commits until they are revealed (`SaltStore` is the file-backed one). */
export interface CommitStore {
  list(hotkey: string | Uint8Array): Promise<PendingCommit[]>;
  save(commit: PendingCommit): Promise<void>;
  setBlock(
    hotkey: string,
    genesisHash: HexString,
    commitHash: HexString,
    block: number,
  ): Promise<void>;
  remove(
    hotkey: string | Uint8Array,
    genesisHash: HexString,
    commitHash: HexString,
  ): Promise<boolean>;
}
