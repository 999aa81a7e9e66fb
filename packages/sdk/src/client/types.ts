/** Parameter, result and error types of the chain client's methods. */

import type { RuntimeCall, SimSwapResult } from '@taoscript/chain-types';
import type { HexString } from '@taoscript/codec';
import type { JsonRpcProvider } from 'polkadot-api';
import type { WeightsDtype } from '../weights/convert.js';
import type { PendingCommit } from '../weights/pending-commit.js';
import type { SubtensorClient } from './client.js';
import type {
  ChainTypeMismatchError,
  ClientTimeoutError,
  ExtrinsicFailedError,
  PreconditionError,
  RpcFailedError,
  TransactionInvalidError,
} from './errors.js';
import type { ChainEvent } from './events.js';

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
export type ConnectErrorType = ClientTimeoutError | RpcFailedError | TypeError | RangeError;

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
