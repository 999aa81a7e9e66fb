import { isIP } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { fastSigner, fastSr25519 } from '../fast-crypto/sr25519.js';
import { bodyHash } from '../synapse/body-hash.js';
import {
  cloneSynapse,
  DEFAULT_SYNAPSE_TIMEOUT,
  definitionOf,
  parseBodyFields,
  type SynapseBase,
} from '../synapse/define.js';
import { parseHeaders, sanitizeStatusHeaders, toHeaders } from '../synapse/headers.js';
import { nextNonce, uuid1 } from '../synapse/nonce.js';
import { parsePyJson } from '../synapse/py-json.js';
import { pyFloatRepr } from '../synapse/python-repr.js';
import { type MessageSigner, requestSignatureMessage, signMessage } from '../synapse/signature.js';
import {
  emptyTerminal,
  TERMINAL_FIELDS,
  type TerminalInfo,
  terminalFromJson,
} from '../synapse/terminal.js';
import { VERSION_AS_INT } from '../synapse/version.js';
import { toBody } from '../synapse/wire.js';

/** Where an axon is served (a metagraph AxonInfo fits). */
export interface AxonTarget {
  ip: string;
  port: number;
  /** The axon's hotkey (SS58); signed into the request. */
  hotkey: string;
}

/** Options of {@link Dendrite}. */
export interface DendriteOptions {
  /**
   * The validator's hotkey (a `Keypair` from @taoscript/crypto fits). When it exposes its sr25519
   * key (`type`, `publicKey`, `secretKey`, as a `Keypair` does), requests are signed in wasm
   * (@polkadot/wasm-crypto, loaded on the first query; `fastSigner`); otherwise, or if the wasm
   * cannot load, with its own `sign()`.
   */
  keypair: MessageSigner & { address(): string };
  /**
   * This machine's public IP: sent as `dendrite.ip`, and axons at this IP are dialled on
   * loopback (Python dials `0.0.0.0`). Default: not sent.
   */
  externalIp?: string;
  /** Keep-alive connections kept per axon (default 2). */
  connectionsPerAxon?: number;
  /** Idle keep-alive lifetime in milliseconds (default 30 s). */
  keepAliveMs?: number;
  /** Largest response body accepted, in bytes (default 64 MiB); larger → 400 "Payload error". */
  maxResponseBytes?: number;
  /** A custom undici dispatcher (then the pool options above are ignored). */
  dispatcher?: Dispatcher;
}

/** Options of one query. */
export interface QueryOptions {
  /** Seconds for the whole call, written into the synapse's `timeout` (default 12). */
  timeout?: number;
  /** Cancels the call; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Parameters of {@link Dendrite.query}. */
export type QueryParameters<T extends SynapseBase> = [
  axons: AxonTarget | readonly AxonTarget[],
  synapse: T,
  options?: QueryOptions,
];

/** Result of {@link Dendrite.query}: one filled-in synapse per axon, in input order. */
export type QueryReturnType<T extends SynapseBase> = T | T[];

/** Items yielded by {@link Dendrite.stream}: body chunks, then the final synapse. */
export type DendriteStreamEvent<T extends SynapseBase> =
  | { type: 'chunk'; data: Uint8Array }
  | { type: 'result'; synapse: T };

const DEFAULTS = { connectionsPerAxon: 2, keepAliveMs: 30_000, maxResponseBytes: 64 * 1024 * 1024 };
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const SS58_TEXT = /^[1-9A-HJ-NP-Za-km-z]{32,60}$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Client-side failure, mapped to a status code the way Python's dendrite maps exceptions. */
class CallFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

class TooLarge extends Error {}

function errCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const DISCONNECT_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function checkTarget(t: unknown): AxonTarget {
  const a = t as AxonTarget | null;
  if (typeof a !== 'object' || a === null) throw new TypeError('axon target must be an object');
  if (typeof a.ip !== 'string' || (isIP(a.ip) === 0 && !HOSTNAME.test(a.ip))) {
    throw new TypeError('axon target ip must be an IP address or host name');
  }
  if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) {
    throw new RangeError(`axon target port must be in 1..65535, got ${String(a.port)}`);
  }
  if (typeof a.hotkey !== 'string' || !SS58_TEXT.test(a.hotkey)) {
    throw new TypeError('axon target hotkey must be an SS58 address');
  }
  return a;
}

function checkTimeout(timeout: unknown): number {
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new RangeError('timeout must be a positive number of seconds');
  }
  return timeout;
}

/** Parameters of {@link prepareRequest}. */
export interface PrepareRequestParameters {
  /** Signs the request (the dendrite's hotkey). */
  keypair: MessageSigner;
  /** The signer's SS58 address. */
  hotkey: string;
  target: AxonTarget;
  /** Seconds (default 12). */
  timeout?: number;
  /** The dendrite's UUID. */
  uuid: string;
  /** Sent as `dendrite.ip` when not null. */
  externalIp?: string | null;
  /** Default: {@link nextNonce}. */
  nonce?: bigint;
}

/** A signed request ready to send: `POST <path>` with these headers and body. */
export interface PreparedRequest<T extends SynapseBase> {
  /** The copy of the synapse that was sent, with terminals, timeout and signature filled in. */
  synapse: T;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Python `preprocess_synapse_for_request` + `to_headers` + `model_dump`: copies the synapse, sets
 * `timeout` and both terminals, signs `nonce.dendrite.axon.uuid.bodyHash`, and returns the
 * headers and JSON body a Python dendrite would send.
 * @example
 * import { keypairFromUri } from '@taoscript/crypto';
 * import { prepareRequest, uuid1 } from '@taoscript/sdk';
 * const bob = keypairFromUri('//Bob');
 * const req = await prepareRequest(Dummy.create({ dummy_input: 1 }), {
 *   keypair: bob, hotkey: bob.address(), uuid: uuid1(),
 *   target: { ip: '127.0.0.1', port: 8091, hotkey: axonHotkey },
 * });
 */
export async function prepareRequest<T extends SynapseBase>(
  synapse: T,
  params: PrepareRequestParameters,
): Promise<PreparedRequest<T>> {
  const def = definitionOf(synapse);
  if (typeof params !== 'object' || params === null) {
    throw new TypeError('prepareRequest: expected parameters');
  }
  const target = checkTarget(params.target);
  const timeout = checkTimeout(params.timeout ?? DEFAULT_SYNAPSE_TIMEOUT);
  if (typeof params.hotkey !== 'string' || typeof params.uuid !== 'string') {
    throw new TypeError('prepareRequest: hotkey and uuid must be strings');
  }
  const nonce = params.nonce ?? nextNonce();
  if (typeof nonce !== 'bigint' || nonce < 0n) {
    throw new TypeError('prepareRequest: nonce must be a non-negative bigint');
  }
  const local = cloneSynapse(synapse);
  local.timeout = timeout;
  local.dendrite = {
    ...emptyTerminal(),
    ip: params.externalIp ?? null,
    version: VERSION_AS_INT,
    nonce,
    uuid: params.uuid,
    hotkey: params.hotkey,
  };
  local.axon = { ...emptyTerminal(), ip: target.ip, port: target.port, hotkey: target.hotkey };
  const hash = bodyHash(local);
  const message = requestSignatureMessage({
    nonce,
    dendriteHotkey: params.hotkey,
    axonHotkey: target.hotkey,
    uuid: params.uuid,
    bodyHash: hash,
  });
  local.dendrite.signature = await signMessage(params.keypair, message);
  // Python's total_size is a memory-size heuristic; we send the UTF-8 length of the body as
  // serialised with total_size 0 (it is informational only).
  local.total_size = 0;
  const draft = toBody(local);
  local.total_size = Buffer.byteLength(draft);
  const body = draft.replace('"total_size": 0,', `"total_size": ${local.total_size},`);
  const headers = toHeaders(local, { bodyHash: hash });
  sanitizeStatusHeaders(headers);
  headers['content-type'] = 'application/json';
  return { synapse: local, path: `/${def.name}`, headers, body };
}

/** Merges non-null values of `from` over `into` (Python's terminal `__dict__.update`). */
function mergeTerminal(into: TerminalInfo, from: TerminalInfo): void {
  for (const f of TERMINAL_FIELDS) {
    const v = from[f];
    if (v !== null) (into as unknown as Record<string, unknown>)[f] = v;
  }
}

/**
 * A validator's HTTP client, wire-compatible with the Python `bittensor.Dendrite`: signs each
 * request with the hotkey, queries many axons concurrently over pooled keep-alive connections,
 * and fills `synapse.dendrite` / `synapse.axon` (status codes, messages, process times) exactly
 * as the Python dendrite does, including its client-side codes (408, 503, 400, 422, 500).
 * @example
 * import { keypairFromUri } from '@taoscript/crypto';
 * import { Dendrite } from '@taoscript/sdk';
 * const dendrite = new Dendrite({ keypair: keypairFromUri('//Bob') });
 * const result = await dendrite.query({ ip: '127.0.0.1', port: 8091, hotkey: axonHotkey },
 *   Dummy.create({ dummy_input: 3 }), { timeout: 12 });
 * result.dendrite.status_code; // 200
 * await dendrite.close();
 */
export class Dendrite {
  /** Per-dendrite UUID v1, constant for its life (`synapse.dendrite.uuid`). */
  readonly uuid = uuid1();
  /** The validator's hotkey (SS58). */
  readonly hotkey: string;
  readonly #keypair: MessageSigner;
  readonly #externalIp: string | undefined;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #maxResponseBytes: number;
  #closed = false;

  constructor(options: DendriteOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('Dendrite: expected an options object');
    }
    const { keypair } = options;
    if (typeof keypair?.sign !== 'function' || typeof keypair.address !== 'function') {
      throw new TypeError('Dendrite: keypair must have sign() and address()');
    }
    this.hotkey = keypair.address();
    this.#keypair = fastSigner(keypair);
    if (options.externalIp !== undefined && isIP(options.externalIp) === 0) {
      throw new RangeError('Dendrite: externalIp must be an IP address');
    }
    this.#externalIp = options.externalIp;
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
    if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1) {
      throw new RangeError('Dendrite: maxResponseBytes must be a positive integer');
    }
    this.#maxResponseBytes = maxResponseBytes;
    if (options.dispatcher !== undefined) {
      this.#dispatcher = options.dispatcher;
      this.#ownsDispatcher = false;
    } else {
      const connections = options.connectionsPerAxon ?? DEFAULTS.connectionsPerAxon;
      if (!Number.isInteger(connections) || connections < 1) {
        throw new RangeError('Dendrite: connectionsPerAxon must be a positive integer');
      }
      const keepAlive = options.keepAliveMs ?? DEFAULTS.keepAliveMs;
      this.#dispatcher = new Agent({
        connections,
        pipelining: 1,
        keepAliveTimeout: keepAlive,
        keepAliveMaxTimeout: keepAlive,
      });
      this.#ownsDispatcher = true;
    }
  }

  /**
   * Sends a copy of `synapse` to each axon concurrently; resolves with the filled-in copies in
   * input order (a single target gives a single synapse). Never rejects for network failures:
   * they are reported in `dendrite.status_code` / `status_message`.
   */
  query<T extends SynapseBase>(axon: AxonTarget, synapse: T, options?: QueryOptions): Promise<T>;
  query<T extends SynapseBase>(
    axons: readonly AxonTarget[],
    synapse: T,
    options?: QueryOptions,
  ): Promise<T[]>;
  async query<T extends SynapseBase>(
    ...[axons, synapse, options = {}]: QueryParameters<T>
  ): Promise<QueryReturnType<T>> {
    definitionOf(synapse);
    if (!Array.isArray(axons)) return this.call(axons as AxonTarget, synapse, options);
    const targets = (axons as readonly AxonTarget[]).map(checkTarget);
    const pending: Promise<T>[] = [];
    for (const target of targets) {
      pending.push(this.call(target, synapse, options));
      // Let sockets connect and write while the next request is being signed.
      await nextTurn();
    }
    return Promise.all(pending);
  }

  /** Queries one axon (Python `Dendrite.call`). */
  async call<T extends SynapseBase>(
    target: AxonTarget,
    synapse: T,
    options: QueryOptions = {},
  ): Promise<T> {
    const started = performance.now();
    const prepared = await this.#prepare(target, synapse, options);
    const { local, url, headers, body, timeout, controller, cleanup } = prepared;
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.#dispatcher,
        signal: controller.signal,
        headersTimeout: timeout * 1000 + 1000,
        bodyTimeout: timeout * 1000 + 1000,
      }).catch((err: unknown) => {
        throw this.#beforeResponse(err, controller, local, timeout, options.signal);
      });
      const text = await this.#readText(response.body).catch((err: unknown) => {
        throw this.#duringBody(err, controller, timeout, options.signal);
      });
      this.#processResponse(local, response.statusCode, response.headers, text);
      local.dendrite.process_time = (performance.now() - started) / 1000;
    } catch (err) {
      if (options.signal?.aborted && err === options.signal.reason) throw err;
      this.#processError(local, err);
    } finally {
      cleanup();
    }
    return local;
  }

  /**
   * Queries a streaming synapse (Python `call_stream`): yields each body chunk, then the synapse
   * with terminal info from the response headers. Failures arrive as the final synapse's status.
   */
  async *stream<T extends SynapseBase>(
    target: AxonTarget,
    synapse: T,
    options: QueryOptions = {},
  ): AsyncGenerator<DendriteStreamEvent<T>, void, undefined> {
    const started = performance.now();
    const { local, url, headers, body, timeout, controller, cleanup } = await this.#prepare(
      target,
      synapse,
      options,
    );
    try {
      try {
        const response = await request(url, {
          method: 'POST',
          headers,
          body,
          dispatcher: this.#dispatcher,
          signal: controller.signal,
          headersTimeout: timeout * 1000 + 1000,
          bodyTimeout: timeout * 1000 + 1000,
        }).catch((err: unknown) => {
          throw this.#beforeResponse(err, controller, local, timeout, options.signal);
        });
        if (response.statusCode === 200) {
          let total = 0;
          try {
            for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
              total += chunk.length;
              if (total > this.#maxResponseBytes) throw new TooLarge();
              yield { type: 'chunk', data: new Uint8Array(chunk) };
            }
          } catch (err) {
            throw this.#duringBody(err, controller, timeout, options.signal);
          }
          this.#processResponse(local, 200, response.headers, undefined);
        } else {
          const text = await this.#readText(response.body).catch((err: unknown) => {
            throw this.#duringBody(err, controller, timeout, options.signal);
          });
          this.#processResponse(local, response.statusCode, response.headers, text);
        }
        local.dendrite.process_time = (performance.now() - started) / 1000;
      } catch (err) {
        if (options.signal?.aborted && err === options.signal.reason) throw err;
        this.#processError(local, err);
      }
      yield { type: 'result', synapse: local };
    } finally {
      controller.abort();
      cleanup();
    }
  }

  /** Closes pooled connections (only those of the dendrite's own agent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #prepare<T extends SynapseBase>(target: AxonTarget, synapse: T, options: QueryOptions) {
    if (this.#closed) throw new Error('Dendrite: closed');
    const timeout = checkTimeout(options.timeout ?? DEFAULT_SYNAPSE_TIMEOUT);
    options.signal?.throwIfAborted();
    if (fastSr25519.kind !== 'wasm') await fastSr25519.load();
    const prepared = await prepareRequest(synapse, {
      keypair: this.#keypair,
      hotkey: this.hotkey,
      target,
      timeout,
      uuid: this.uuid,
      externalIp: this.#externalIp ?? null,
    });
    const host =
      target.ip === this.#externalIp
        ? '127.0.0.1'
        : isIP(target.ip) === 6
          ? `[${target.ip}]`
          : target.ip;
    const url = `http://${host}:${target.port}${prepared.path}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutMarker()), timeout * 1000);
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const { synapse: local, headers, body } = prepared;
    return { local, url, headers, body, timeout, controller, cleanup };
  }

  async #readText(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > this.#maxResponseBytes) {
        body.destroy();
        throw new TooLarge();
      }
      chunks.push(chunk);
    }
    return decoder.decode(Buffer.concat(chunks, total));
  }

  #timedOut(controller: AbortController): boolean {
    return controller.signal.aborted && controller.signal.reason instanceof TimeoutMarker;
  }

  #beforeResponse(
    err: unknown,
    controller: AbortController,
    local: SynapseBase,
    timeout: number,
    user: AbortSignal | undefined,
  ): unknown {
    if (user?.aborted) return user.reason;
    if (this.#timedOut(controller)) return timeoutFailure(timeout);
    const code = errCode(err);
    if (code !== undefined && CONNECT_ERRORS.has(code)) {
      return new CallFailure(
        503,
        `Service unavailable at ${local.axon.ip}:${local.axon.port}/${local.name}`,
      );
    }
    if (code !== undefined && DISCONNECT_ERRORS.has(code)) {
      return new CallFailure(503, `Service disconnected: ${message(err)}`);
    }
    if (code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'HPE_HEADER_OVERFLOW') {
      return new CallFailure(400, `Client response error: ${message(err)}`);
    }
    if (code?.startsWith('UND_ERR') || code?.startsWith('HPE_')) {
      return new CallFailure(500, `Client error: ${message(err)}`);
    }
    return err;
  }

  #duringBody(
    err: unknown,
    controller: AbortController,
    timeout: number,
    user: AbortSignal | undefined,
  ): unknown {
    if (user?.aborted) return user.reason;
    if (this.#timedOut(controller)) return timeoutFailure(timeout);
    if (err instanceof TooLarge) {
      return new CallFailure(
        400,
        `Payload error: response body exceeds ${this.#maxResponseBytes} bytes`,
      );
    }
    if (err instanceof TypeError && /decode|encoded/i.test(err.message)) return err;
    return new CallFailure(400, `Payload error: ${message(err)}`);
  }

  /** Python `process_server_response`. */
  #processResponse(
    local: SynapseBase,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string | undefined,
  ): void {
    const def = definitionOf(local);
    const values = local as unknown as Record<string, unknown>;
    if (text !== undefined) {
      const json = parsePyJson(text);
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new TypeError('response body is not a JSON object');
      }
      const obj = json as Record<string, unknown>;
      if (status === 200) {
        const fields = parseBodyFields(def, obj, 'strict');
        const dendrite = terminalFromJson(obj.dendrite, 'dendrite');
        const axon = terminalFromJson(obj.axon, 'axon');
        const base = {
          timeout: typeof obj.timeout === 'number' ? obj.timeout : local.timeout,
          total_size: typeof obj.total_size === 'number' ? obj.total_size : local.total_size,
          header_size: typeof obj.header_size === 'number' ? obj.header_size : local.header_size,
          computed_body_hash:
            typeof obj.computed_body_hash === 'string'
              ? obj.computed_body_hash
              : local.computed_body_hash,
        };
        Object.assign(values, base, fields);
        local.dendrite = dendrite;
        local.axon = axon;
      } else {
        const msg = obj.message;
        local.axon.status_code = status;
        local.axon.status_message =
          typeof msg === 'string' ? msg : msg == null ? null : String(msg);
      }
    } else if (status !== 200) {
      local.axon.status_code = status;
    }
    const fromHeaders = parseHeaders(headers);
    mergeTerminal(local.dendrite, fromHeaders.dendrite);
    mergeTerminal(local.axon, fromHeaders.axon);
    local.dendrite.status_code = local.axon.status_code;
    local.dendrite.status_message = local.axon.status_message;
  }

  /** Python `process_error_message`. */
  #processError(local: SynapseBase, err: unknown): void {
    if (err instanceof CallFailure) {
      local.dendrite.status_code = err.status;
      local.dendrite.status_message = err.message;
      return;
    }
    local.dendrite.status_code = 422;
    local.dendrite.status_message = `Failed to parse response: ${message(err)}`;
  }
}

class TimeoutMarker extends Error {
  constructor() {
    super('timeout');
  }
}

function timeoutFailure(timeout: number): CallFailure {
  return new CallFailure(408, `Request timeout after ${pyFloatRepr(timeout)} seconds`);
}
