/** The chain client's errors: typed dispatch failures and the client's own failure modes. */
import type { DispatchError, SUBTENSOR_ERRORS } from '@taoscript/chain-types';
import { BtError, type HexString } from '@taoscript/codec';

/** Names of SubtensorModule's errors (the `code` of a failed SubtensorModule call). */
export type SubtensorErrorName = (typeof SUBTENSOR_ERRORS)[number];

/** Where a failed extrinsic landed. */
export interface ExtrinsicLocation {
  blockHash: HexString;
  blockNumber: number;
  extrinsicIndex: number;
  txHash: HexString;
}

/** A `DispatchError` decoded to names: `code` is the error's own name (`NotEnoughBalanceToStake`). */
export interface DecodedDispatchError {
  /** The error name (module errors) or the DispatchError variant path (`Token.FundsUnavailable`). */
  code: string;
  /** The pallet of a module error. */
  pallet?: string;
  /** `Pallet.Error` for module errors, else the same as `code`. */
  qualifiedName: string;
}

/**
 * Names a `DispatchError` value: module errors by the node's metadata (`moduleError`), the rest by
 * their variant (and inner variant) names.
 * @example
 * import { describeDispatchError } from '@taoscript/sdk';
 * describeDispatchError({ type: 'BadOrigin' }, () => undefined).qualifiedName; // 'BadOrigin'
 */
export function describeDispatchError(
  error: DispatchError,
  moduleError: (pallet: number, index: number) => { pallet: string; name: string } | undefined,
): DecodedDispatchError {
  if (typeof error !== 'object' || error === null || typeof error.type !== 'string')
    throw new TypeError('expected a DispatchError value');
  if (error.type === 'Module') {
    const { index, error: bytes } = error.value;
    const named = moduleError(index, bytes[0] ?? 0);
    if (!named) return { code: `Module#${index}`, qualifiedName: `Module#${index}.#${bytes[0]}` };
    return {
      code: named.name,
      pallet: named.pallet,
      qualifiedName: `${named.pallet}.${named.name}`,
    };
  }
  const inner =
    'value' in error && typeof error.value === 'object' && error.value !== null
      ? (error.value as { type?: unknown }).type
      : undefined;
  const code = typeof inner === 'string' ? `${error.type}.${inner}` : error.type;
  return { code, qualifiedName: code };
}

/**
 * An extrinsic was included but its dispatch failed. `code` is the pallet error's own name for
 * module errors (`NotEnoughBalanceToStake`), so it reads the same as in polkadot.js and Python.
 */
export class ExtrinsicFailedError extends BtError {
  override name = 'ExtrinsicFailedError' as const;
  /** Pallet of a module error (`SubtensorModule`). */
  readonly pallet: string | undefined;
  /** `SubtensorModule.NotEnoughBalanceToStake`. */
  readonly qualifiedName: string;
  readonly dispatchError: DispatchError | undefined;
  readonly location: ExtrinsicLocation;
  /**
   * The failure is of the call inside `Sudo.sudo` (reported by its `Sudid` event): the extrinsic
   * itself was dispatched, and its fee paid.
   */
  readonly viaSudo: boolean;

  constructor(
    decoded: DecodedDispatchError,
    dispatchError: DispatchError | undefined,
    location: ExtrinsicLocation,
    opts: { viaSudo?: boolean } = {},
  ) {
    const viaSudo = opts.viaSudo === true;
    super(
      `${decoded.qualifiedName}: ${viaSudo ? 'the call inside Sudo.sudo failed' : 'the extrinsic failed'}`,
      {
        code: decoded.code,
        meta: [
          `block ${location.blockNumber} (${location.blockHash}), extrinsic ${location.extrinsicIndex}`,
        ],
      },
    );
    this.pallet = decoded.pallet;
    this.qualifiedName = decoded.qualifiedName;
    this.dispatchError = dispatchError;
    this.location = location;
    this.viaSudo = viaSudo;
  }
}

/** The node refused the transaction before inclusion (bad nonce, cannot pay fees, ...). */
export class TransactionInvalidError extends BtError {
  override name = 'TransactionInvalidError' as const;
  constructor(reason: string, cause?: unknown) {
    super(`the node rejected the transaction: ${reason}`, {
      code: 'TX_INVALID',
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/**
 * An item the SDK needs is described differently by the node than by our chain-types
 * declarations, so the SDK refuses to encode or decode it.
 */
export class ChainTypeMismatchError extends BtError {
  override name = 'ChainTypeMismatchError' as const;
  /** `call:SubtensorModule.add_stake_limit` and the like. */
  readonly item: string;
  readonly reasons: string[];
  constructor(item: string, reasons: string[]) {
    super(`${item} does not match the node's metadata; refusing to use it`, {
      code: 'CHAIN_TYPE_MISMATCH',
      meta: reasons.slice(0, 8),
    });
    this.item = item;
    this.reasons = reasons;
  }
}

/** A wait (inclusion, finality, an RPC answer) exceeded its deadline. */
export class ClientTimeoutError extends BtError {
  override name = 'ClientTimeoutError' as const;
  constructor(what: string, ms: number) {
    super(`${what} did not complete within ${ms} ms`, { code: 'TIMEOUT' });
  }
}

/** A precondition checked off-chain before submitting (hotkey not registered, CR on, ...). */
export class PreconditionError extends BtError {
  override name = 'PreconditionError' as const;
  constructor(code: string, shortMessage: string, meta?: string[], cause?: unknown) {
    super(shortMessage, {
      code,
      ...(meta ? { meta } : {}),
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/**
 * Nothing accepted a WebSocket connection at the endpoint (refused, unknown host, no handshake):
 * `connect` gives up at the first failed attempt instead of retrying until its deadline.
 */
export class NodeUnreachableError extends BtError {
  override name = 'NodeUnreachableError' as const;
  /** The endpoint tried. */
  readonly url: string;
  /** Why, as the socket reported it (`ECONNREFUSED`, `ENOTFOUND`, …). */
  readonly reason: string;
  constructor(url: string, reason: string, cause?: unknown) {
    super(`cannot reach the node at ${url}: ${reason}`, {
      code: 'UNREACHABLE',
      ...(cause === undefined ? {} : { cause }),
    });
    this.url = url;
    this.reason = reason;
  }
}

/** The node answered an RPC with an error or with bytes that do not decode. */
export class RpcFailedError extends BtError {
  override name = 'RpcFailedError' as const;
  constructor(method: string, reason: string, cause?: unknown) {
    super(`${method} failed: ${reason}`, {
      code: 'RPC_FAILED',
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
