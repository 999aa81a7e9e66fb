/** JSON-RPC error codes, standard and jsonrpsee's server-defined ones (same numbers as Substrate). */
export const RPC_ERROR = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  TOO_MANY_SUBSCRIPTIONS: -32006,
  OVERSIZED_REQUEST: -32007,
  OVERSIZED_RESPONSE: -32008,
  TOO_BIG_BATCH_REQUEST: -32010,
  TOO_BIG_BATCH_RESPONSE: -32011,
} as const;

/** Messages jsonrpsee sends with the codes above. */
export const RPC_ERROR_MESSAGE: Record<number, string> = {
  [RPC_ERROR.PARSE_ERROR]: 'Parse error',
  [RPC_ERROR.INVALID_REQUEST]: 'Invalid request',
  [RPC_ERROR.METHOD_NOT_FOUND]: 'Method not found',
  [RPC_ERROR.INVALID_PARAMS]: 'Invalid params',
  [RPC_ERROR.INTERNAL_ERROR]: 'Internal error',
  [RPC_ERROR.TOO_MANY_SUBSCRIPTIONS]: 'Too many subscriptions on the connection',
  [RPC_ERROR.OVERSIZED_REQUEST]: 'Request is too big',
  [RPC_ERROR.OVERSIZED_RESPONSE]: 'Response is too big',
  [RPC_ERROR.TOO_BIG_BATCH_REQUEST]: 'The batch request was too large',
  [RPC_ERROR.TOO_BIG_BATCH_RESPONSE]: 'The batch response was too large',
};

/**
 * An error a handler throws to send a specific JSON-RPC error object to the client.
 * @example
 * import { RpcError } from './errors.js';
 * throw new RpcError(4003, 'Client error: UnknownBlock', '0x12…');
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  /** JSON-RPC error code. */
  readonly code: number;
  /** Optional JSON-serializable `data` member of the error object. */
  readonly data?: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    if (!Number.isInteger(code)) throw new TypeError('RpcError code must be an integer');
    this.code = code;
    if (data !== undefined) this.data = data;
  }

  /** The standard error for `code` with jsonrpsee's message. */
  static standard(code: number, data?: unknown): RpcError {
    return new RpcError(code, RPC_ERROR_MESSAGE[code] ?? 'Server error', data);
  }
}
