/** A block as kept by the store: identity, SCALE header and SCALE extrinsics. */
export interface StoredBlock {
  hash: Uint8Array;
  number: number;
  parentHash: Uint8Array;
  /** SCALE-encoded header. */
  header: Uint8Array;
  /** SCALE-encoded extrinsics, in block order. */
  body: Uint8Array[];
}

/** A block plus the state changes it makes, committed atomically. */
export interface BlockCommit extends StoredBlock {
  /** 0x-prefixed lowercase hex state key -> new value, or `null` to delete it. */
  changes: Map<string, Uint8Array | null>;
  /** Optional store metadata written in the same atomic commit (`null` deletes a key). */
  meta?: Map<string, Uint8Array | null>;
}

/** Synchronous read access to the state as of the end of one block. */
export interface StateReader {
  /** Block number this reader is pinned to. */
  readonly number: number;
  /** Value of `key`, or `undefined` if absent (never written, or deleted). */
  get(key: Uint8Array): Uint8Array | undefined;
  /** Keys with `prefix`, ascending by bytes, strictly after `startKey` if given, at most `limit`. */
  keys(prefix: Uint8Array, startKey?: Uint8Array, limit?: number): Uint8Array[];
}

/** Persistent single-chain block and state store. */
export interface ChainStore {
  /**
   * Atomically stores block, header, body and state changes and makes the block the new best and
   * finalized head. Resolves once durable on disk; rejects (changing nothing) unless the block
   * is exactly `head + 1` and its `parentHash` is the head's hash.
   */
  commitBlock(block: BlockCommit): Promise<void>;
  /** Genesis: state + block 0 in one atomic write. Rejects if the store already has a genesis. */
  commitGenesis(block: BlockCommit): Promise<void>;
  /** The last durably committed block, or `undefined` before genesis. */
  head(): { hash: Uint8Array; number: number } | undefined;
  /** Hash of the stored block with this number, or `undefined`. */
  blockHash(number: number): Uint8Array | undefined;
  /** The stored block with this hash, or `undefined`. */
  block(hash: Uint8Array): StoredBlock | undefined;
  /** State as of the end of block `number` (any stored block; RangeError otherwise). */
  stateAt(number: number): StateReader;
  /** Store-wide metadata value (e.g. chain spec name, genesis hash). */
  getMeta(key: string): Uint8Array | undefined;
  /** Durably sets (or with `null` deletes) a store-wide metadata value. */
  setMeta(key: string, value: Uint8Array | null): Promise<void>;
  /** Waits for in-flight commits, then releases the store; later calls throw `StoreError` CLOSED. */
  close(): Promise<void>;
}

/** Machine-readable reasons a store operation failed. */
export type StoreErrorCode =
  | 'NON_SEQUENTIAL_BLOCK'
  | 'NO_GENESIS'
  | 'GENESIS_EXISTS'
  | 'DUPLICATE_BLOCK_HASH'
  | 'CLOSED'
  | 'INCOMPATIBLE_FORMAT';

/** Error thrown for store-level rule violations (as opposed to malformed arguments). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** Machine-readable reason. */
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
