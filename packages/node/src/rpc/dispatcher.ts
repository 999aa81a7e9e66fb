// Transport-independent JSON-RPC 2.0 processing: envelope checks, batches, params validation,
// method calls and subscription bookkeeping.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { RPC_ERROR, RPC_ERROR_MESSAGE, RpcError } from './errors.js';
import type { MethodDef, RpcServerOptions, RpcSession, SubscriptionDef } from './types.js';

type Id = string | number | null;

/** A live subscription on one connection. */
interface ActiveSubscription {
  id: string;
  def: SubscriptionDef<unknown[]>;
  /** Until the subscribe response is sent, emits are queued. */
  ready: boolean;
  queue: unknown[];
  /** Set once ended (unsubscribe, server close, connection close); emits are then dropped. */
  ended: boolean;
  stop: (() => void) | undefined;
  stopped: boolean;
}

/** Per-connection state the dispatcher needs. */
export interface Connection {
  session: RpcSession;
  subscriptions: Map<string, ActiveSubscription>;
  /** Sends one text frame (WebSocket only). */
  send(text: string): void;
  closed: boolean;
}

/** The outcome of one incoming message. */
export interface Dispatched {
  /** Response text, or undefined when nothing is to be sent (only notifications). */
  response: string | undefined;
  /** Run after `response` has been sent (activates new subscriptions). */
  afterSend: (() => void)[];
}

export interface DispatcherOptions {
  methods: RpcServerOptions['methods'];
  subscriptions: RpcServerOptions['subscriptions'];
  maxResponseBytes: number;
  maxSubscriptionsPerConnection: number;
  maxBatchSize: number;
  logger: Logger;
  onCall?: ((method: string, ms: number) => void) | undefined;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** 16 random base58 characters, like Substrate's subscription ids. */
function newSubscriptionId(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += BASE58[randomInt(58)];
  return s;
}

function isId(x: unknown): x is Id {
  return x === null || typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));
}

function errorObject(code: number, message: string, data?: unknown): Record<string, unknown> {
  return data === undefined ? { code, message } : { code, message, data };
}

/** Serialized error response. */
export function errorResponse(id: Id, code: number, data?: unknown, message?: string): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    error: errorObject(code, message ?? RPC_ERROR_MESSAGE[code] ?? 'Server error', data),
    id,
  });
}

/** One readable line describing why params failed a zod schema. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 8).map((issue) => {
    const [head, ...rest] = issue.path;
    let where =
      head === undefined
        ? 'params'
        : typeof head === 'number'
          ? `param ${head}`
          : `params.${String(head)}`;
    for (const p of rest) where += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
    return `${where}: ${issue.message}`;
  });
  if (issues.length > 8) parts.push(`and ${issues.length - 8} more`);
  const line = parts.join('; ').replace(/\s+/g, ' ');
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}

/** Dispatches JSON-RPC messages for a fixed table of methods and subscriptions. */
export class Dispatcher {
  readonly #methods = new Map<string, MethodDef<unknown[]>>();
  readonly #subscribe = new Map<string, SubscriptionDef<unknown[]>>();
  readonly #unsubscribe = new Set<string>();
  readonly #opts: DispatcherOptions;
  readonly #methodList: string[];

  constructor(opts: DispatcherOptions) {
    this.#opts = opts;
    const taken = new Set<string>(['rpc_methods']);
    const claim = (name: unknown, what: string): string => {
      if (typeof name !== 'string' || name.length === 0) {
        throw new TypeError(`${what} name must be a non-empty string`);
      }
      if (taken.has(name)) throw new Error(`RPC method ${name} is defined twice`);
      taken.add(name);
      return name;
    };
    if (typeof opts.methods !== 'object' || opts.methods === null) {
      throw new TypeError('methods must be an object of MethodDef');
    }
    for (const [name, def] of Object.entries(opts.methods)) {
      if (typeof def?.params?.safeParseAsync !== 'function' || typeof def.handler !== 'function') {
        throw new TypeError(`method ${name} needs a zod params schema and a handler function`);
      }
      this.#methods.set(claim(name, 'method'), def as MethodDef<unknown[]>);
    }
    if (!Array.isArray(opts.subscriptions)) throw new TypeError('subscriptions must be an array');
    const unsubscribeNames = new Set<string>();
    for (const def of opts.subscriptions) {
      if (
        typeof def?.params?.safeParseAsync !== 'function' ||
        typeof def.start !== 'function' ||
        typeof def.notification !== 'string'
      ) {
        throw new TypeError(
          `subscription ${String(def?.subscribe)} needs params, start and a notification name`,
        );
      }
      this.#subscribe.set(claim(def.subscribe, 'subscribe'), def as SubscriptionDef<unknown[]>);
      const unsubs = typeof def.unsubscribe === 'string' ? [def.unsubscribe] : def.unsubscribe;
      if (!Array.isArray(unsubs) || unsubs.length === 0) {
        throw new TypeError(`subscription ${def.subscribe} needs at least one unsubscribe method`);
      }
      for (const u of unsubs) unsubscribeNames.add(u);
    }
    // Unsubscribe names may be shared by several subscriptions but not clash with anything else.
    for (const u of unsubscribeNames) this.#unsubscribe.add(claim(u, 'unsubscribe'));
    this.#methodList = [...taken].sort();
  }

  /** Sorted names of every callable method, as `rpc_methods` reports them. */
  methodNames(): string[] {
    return [...this.#methodList];
  }

  /** Handles one raw message (already size-checked). */
  async dispatch(text: string, conn: Connection): Promise<Dispatched> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { response: errorResponse(null, RPC_ERROR.PARSE_ERROR), afterSend: [] };
    }
    const started: ActiveSubscription[] = [];
    const done = (response: string | undefined): Dispatched => ({
      response,
      afterSend: started.length === 0 ? [] : [() => this.#activate(conn, started)],
    });
    if (!Array.isArray(parsed)) return done(await this.#call(parsed, conn, started));
    if (parsed.length === 0) return done(errorResponse(null, RPC_ERROR.INVALID_REQUEST));
    if (parsed.length > this.#opts.maxBatchSize) {
      const limit = `Exceeded max limit of ${this.#opts.maxBatchSize}`;
      return done(errorResponse(null, RPC_ERROR.TOO_BIG_BATCH_REQUEST, limit));
    }
    const parts: string[] = [];
    let size = 2;
    for (const item of parsed) {
      const r = await this.#call(item, conn, started);
      if (r === undefined) continue;
      parts.push(r);
      size += Buffer.byteLength(r) + 1;
      if (size > this.#opts.maxResponseBytes) {
        // The client will never learn the ids of subscriptions started in this batch: end them.
        for (const sub of started.splice(0)) this.#end(conn, sub);
        const limit = `Exceeded max limit of ${this.#opts.maxResponseBytes}`;
        return done(errorResponse(null, RPC_ERROR.TOO_BIG_BATCH_RESPONSE, limit));
      }
    }
    return done(parts.length > 0 ? `[${parts.join(',')}]` : undefined);
  }

  /** After the response carrying their ids is sent: deliver queued emits, then go live. */
  #activate(conn: Connection, subs: ActiveSubscription[]): void {
    for (const sub of subs) {
      const queued = sub.queue;
      sub.queue = [];
      sub.ready = true;
      for (const result of queued) this.#notify(conn, sub, result, true);
    }
  }

  /** Ends every subscription of a closing connection. */
  closeConnection(conn: Connection): void {
    conn.closed = true;
    for (const sub of [...conn.subscriptions.values()]) this.#end(conn, sub);
  }

  async #call(
    req: unknown,
    conn: Connection,
    started: ActiveSubscription[],
  ): Promise<string | undefined> {
    if (typeof req !== 'object' || req === null || Array.isArray(req)) {
      return errorResponse(null, RPC_ERROR.INVALID_REQUEST);
    }
    const r = req as Record<string, unknown>;
    const hasId = 'id' in r;
    if (hasId && !isId(r.id)) return errorResponse(null, RPC_ERROR.INVALID_REQUEST);
    const id: Id = hasId ? (r.id as Id) : null;
    if (r.jsonrpc !== '2.0' || typeof r.method !== 'string') {
      return errorResponse(id, RPC_ERROR.INVALID_REQUEST);
    }
    const method = r.method;
    const notification = !hasId;

    const t0 = performance.now();
    const known =
      method === 'rpc_methods' ||
      this.#methods.has(method) ||
      this.#subscribe.has(method) ||
      this.#unsubscribe.has(method);
    if (!known) return notification ? undefined : errorResponse(id, RPC_ERROR.METHOD_NOT_FOUND);
    try {
      const out = await this.#run(method, r.params, id, notification, conn, started);
      return notification ? undefined : out;
    } catch (err) {
      // Only reachable through a throwing params schema; handler errors are mapped in #run.
      const out = this.#failure(id, err, method);
      return notification ? undefined : out;
    } finally {
      try {
        this.#opts.onCall?.(method, performance.now() - t0);
      } catch (err) {
        this.#opts.logger.warn({ err }, 'onCall hook threw');
      }
    }
  }

  async #run(
    method: string,
    rawParams: unknown,
    id: Id,
    notification: boolean,
    conn: Connection,
    started: ActiveSubscription[],
  ): Promise<string | undefined> {
    let params: unknown[];
    if (rawParams === undefined || rawParams === null) params = [];
    else if (Array.isArray(rawParams)) params = rawParams;
    else {
      return errorResponse(
        id,
        RPC_ERROR.INVALID_PARAMS,
        'params must be an array (positional parameters)',
      );
    }

    if (method === 'rpc_methods') return this.#result(id, { methods: this.methodNames() });

    const def = this.#methods.get(method);
    if (def !== undefined) {
      const parsed = await def.params.safeParseAsync(params);
      if (!parsed.success) {
        return errorResponse(id, RPC_ERROR.INVALID_PARAMS, describeIssues(parsed.error.issues));
      }
      try {
        const result = await def.handler(parsed.data, conn.session);
        return this.#result(id, result);
      } catch (err) {
        return this.#failure(id, err, method);
      }
    }

    if (conn.session.transport !== 'ws') {
      return errorResponse(
        id,
        RPC_ERROR.METHOD_NOT_FOUND,
        'subscriptions are only available over WebSocket',
      );
    }
    if (notification) return undefined; // a subscription nobody can hear about

    const sdef = this.#subscribe.get(method);
    if (sdef !== undefined) return this.#subscribeCall(sdef, params, id, conn, started);
    return this.#unsubscribeCall(method, params, id, conn);
  }

  #result(id: Id, result: unknown): string {
    let text: string;
    try {
      text = JSON.stringify({ jsonrpc: '2.0', result: result === undefined ? null : result, id });
    } catch (err) {
      return this.#failure(id, err, 'serialize result');
    }
    if (Buffer.byteLength(text) > this.#opts.maxResponseBytes) {
      return errorResponse(
        id,
        RPC_ERROR.OVERSIZED_RESPONSE,
        `Exceeded max limit of ${this.#opts.maxResponseBytes}`,
      );
    }
    return text;
  }

  #failure(id: Id, err: unknown, method: string): string {
    if (err instanceof RpcError) {
      try {
        return JSON.stringify({
          jsonrpc: '2.0',
          error: errorObject(err.code, err.message, err.data),
          id,
        });
      } catch (e) {
        err = e;
      }
    }
    this.#opts.logger.error({ err, method }, 'RPC handler failed');
    return errorResponse(id, RPC_ERROR.INTERNAL_ERROR);
  }

  async #subscribeCall(
    def: SubscriptionDef<unknown[]>,
    params: unknown[],
    id: Id,
    conn: Connection,
    started: ActiveSubscription[],
  ): Promise<string> {
    const max = this.#opts.maxSubscriptionsPerConnection;
    if (conn.subscriptions.size >= max) {
      return errorResponse(id, RPC_ERROR.TOO_MANY_SUBSCRIPTIONS, `Exceeded max limit of ${max}`);
    }
    const parsed = await def.params.safeParseAsync(params);
    if (!parsed.success) {
      return errorResponse(id, RPC_ERROR.INVALID_PARAMS, describeIssues(parsed.error.issues));
    }
    if (conn.closed) return errorResponse(id, RPC_ERROR.INTERNAL_ERROR);
    if (conn.subscriptions.size >= max) {
      return errorResponse(id, RPC_ERROR.TOO_MANY_SUBSCRIPTIONS, `Exceeded max limit of ${max}`);
    }
    let subId = newSubscriptionId();
    while (conn.subscriptions.has(subId)) subId = newSubscriptionId();
    const sub: ActiveSubscription = {
      id: subId,
      def,
      ready: false,
      queue: [],
      ended: false,
      stop: undefined,
      stopped: false,
    };
    conn.subscriptions.set(subId, sub);
    const emit = (result: unknown): void => {
      if (sub.ended) return;
      if (!sub.ready) sub.queue.push(result);
      else this.#notify(conn, sub, result);
    };
    const ctx = { session: conn.session, subscriptionId: subId, close: () => this.#end(conn, sub) };
    let stop: unknown;
    try {
      stop = await def.start(parsed.data, emit, ctx);
    } catch (err) {
      sub.ended = true;
      sub.stopped = true;
      conn.subscriptions.delete(subId);
      return this.#failure(id, err, def.subscribe);
    }
    if (typeof stop !== 'function') {
      sub.ended = true;
      sub.stopped = true;
      conn.subscriptions.delete(subId);
      return this.#failure(
        id,
        new TypeError(`${def.subscribe} start() did not return a stop function`),
        def.subscribe,
      );
    }
    sub.stop = stop as () => void;
    if (sub.ended) this.#runStop(sub); // ended while starting (ctx.close or disconnect)
    started.push(sub);
    return this.#result(id, subId);
  }

  #unsubscribeCall(method: string, params: unknown[], id: Id, conn: Connection): string {
    const [subId] = params;
    if (params.length !== 1 || (typeof subId !== 'string' && typeof subId !== 'number')) {
      return errorResponse(id, RPC_ERROR.INVALID_PARAMS, 'param 0: expected the subscription id');
    }
    const sub = conn.subscriptions.get(String(subId));
    const names =
      sub === undefined
        ? []
        : typeof sub.def.unsubscribe === 'string'
          ? [sub.def.unsubscribe]
          : sub.def.unsubscribe;
    if (sub === undefined || !names.includes(method)) return this.#result(id, false);
    this.#end(conn, sub);
    return this.#result(id, true);
  }

  /** Ends a subscription: no more notifications; its stop function runs once. */
  #end(conn: Connection, sub: ActiveSubscription): void {
    if (conn.subscriptions.get(sub.id) === sub) conn.subscriptions.delete(sub.id);
    if (sub.ended) return;
    sub.ended = true;
    // Emits already queued before a server-side close are still delivered after the response.
    if (sub.stop !== undefined) this.#runStop(sub);
  }

  #runStop(sub: ActiveSubscription): void {
    if (sub.stopped || sub.stop === undefined) return;
    sub.stopped = true;
    try {
      sub.stop();
    } catch (err) {
      this.#opts.logger.error({ err, subscription: sub.def.subscribe }, 'subscription stop threw');
    }
  }

  #notify(conn: Connection, sub: ActiveSubscription, result: unknown, queued = false): void {
    if (conn.closed || (sub.ended && !queued)) return;
    let text: string;
    try {
      text = JSON.stringify({
        jsonrpc: '2.0',
        method: sub.def.notification,
        params: { subscription: sub.id, result: result === undefined ? null : result },
      });
    } catch (err) {
      this.#opts.logger.error(
        { err, notification: sub.def.notification },
        'notification is not serializable; dropped',
      );
      return;
    }
    if (Buffer.byteLength(text) > this.#opts.maxResponseBytes) {
      this.#opts.logger.warn(
        { notification: sub.def.notification, bytes: Buffer.byteLength(text) },
        'notification exceeds maxResponseBytes; dropped',
      );
      return;
    }
    conn.send(text);
  }
}
