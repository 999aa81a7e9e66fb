import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** One client connection (a WebSocket, or a single HTTP request). */
export interface RpcSession {
  /** Unique per server. */
  id: number;
  /** Transport the session uses. */
  transport: 'ws' | 'http';
  /** Registers a hook run once when the connection closes (or the HTTP request ends). */
  onClose(fn: () => void): void;
}

/** A plain method: zod tuple schema for positional params plus a handler. */
export interface MethodDef<P extends unknown[] = unknown[]> {
  /** Usually `z.tuple([...])` with optional trailing items; absent/null `params` is `[]`. */
  params: z.ZodType<P>;
  /** Returns the JSON result (`undefined` is sent as `null`); throw `RpcError` for an error. */
  handler(params: P, session: RpcSession): unknown | Promise<unknown>;
}

/** Context handed to a subscription's `start`. */
export interface SubscriptionContext {
  session: RpcSession;
  subscriptionId: string;
  /** Ends the subscription from the server side: no further notifications, stop runs once. */
  close(): void;
}

/** A pub-sub subscription (WebSocket only). */
export interface SubscriptionDef<P extends unknown[] = unknown[]> {
  /** Method that starts it; answers with the subscription id. */
  subscribe: string;
  /** Method name(s) that end it with `[subscriptionId]` -> boolean. May be shared between defs. */
  unsubscribe: string | string[];
  /** `method` of the notifications. */
  notification: string;
  params: z.ZodType<P>;
  /**
   * Starts it and returns the stop function. `emit(result)` sends
   * `{jsonrpc,method:notification,params:{subscription,result}}`; emits made before the subscribe
   * response is sent (e.g. synchronously inside `start`) are queued and delivered right after it.
   * Throwing (e.g. `RpcError`) answers the subscribe call with that error.
   */
  start(
    params: P,
    emit: (result: unknown) => void,
    ctx: SubscriptionContext,
  ): (() => void) | Promise<() => void>;
}

/** Options for `startRpcServer`. */
export interface RpcServerOptions {
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Port; 0 picks a free one. Default 9944. */
  port?: number;
  // biome-ignore lint/suspicious/noExplicitAny: each method has its own params tuple type
  methods: Record<string, MethodDef<any>>;
  // biome-ignore lint/suspicious/noExplicitAny: each subscription has its own params tuple type
  subscriptions: SubscriptionDef<any>[];
  /** Largest request (HTTP body or WebSocket message) in bytes; default 15 MiB. */
  maxRequestBytes?: number;
  /** Largest response or notification in bytes; default 15 MiB. */
  maxResponseBytes?: number;
  /** WebSocket connections plus in-flight HTTP requests; default 100. */
  maxConnections?: number;
  /** Default 1024. */
  maxSubscriptionsPerConnection?: number;
  /** Most calls in one batch; default unlimited. */
  maxBatchSize?: number;
  /** A WebSocket whose unsent output exceeds this is dropped; default max(64 MiB, 2 x maxResponseBytes). */
  maxBufferedBytes?: number;
  logger?: Logger;
  /** Called after each call to a known method with its duration in milliseconds. */
  onCall?(method: string, ms: number): void;
  /** Gets every plain HTTP request first; return true if it handled it (e.g. `/metrics`). */
  extraHttpRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A running server. */
export interface RpcServer {
  /** Bound port. */
  port: number;
  /** Bound IP address. */
  address: string;
  /** Closes every connection, runs every subscription's stop function, stops listening. */
  close(): Promise<void>;
  /** Open WebSocket connections plus in-flight HTTP requests. */
  connections(): number;
}
