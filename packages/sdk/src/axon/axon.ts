import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BtError } from '@taoscript/codec';
import type { z } from 'zod';
import { fastSigner, fastSr25519, fastVerifier } from '../fast-crypto/sr25519.js';
import {
  defaultVerifyThreads,
  MAX_VERIFY_THREADS,
  sharedVerifyPool,
} from '../fast-crypto/verify-pool.js';
import { bodyHashOf } from '../synapse/body-hash.js';
import {
  type AnySynapseDefinition,
  BaseSynapse,
  DEFAULT_SYNAPSE_TIMEOUT,
  parseBodyFields,
  parseResponseFields,
  type Synapse,
  type SynapseBase,
  type SynapseDefinition,
  synapseFrom,
} from '../synapse/define.js';
import { SynapseParseError } from '../synapse/errors.js';
import {
  type ParsedHeaders,
  parseHeaders,
  parseRawHeaders,
  sanitizeStatusHeaders,
  toHeaders,
} from '../synapse/headers.js';
import { nowNs, uuid1 } from '../synapse/nonce.js';
import { JsonSyntaxError, parsePyJson } from '../synapse/py-json.js';
import { pyFloatRepr, pyStrRepr } from '../synapse/python-repr.js';
import {
  checkMessageSignature,
  type MessageSigner,
  requestSignatureMessage,
  responseSignatureMessage,
  type SignatureVerifier,
  signMessage,
} from '../synapse/signature.js';
import { emptyTerminal, type TerminalInfo } from '../synapse/terminal.js';
import { VERSION_AS_INT } from '../synapse/version.js';
import { toBody } from '../synapse/wire.js';
import { BodyReadError, readIncoming, readWebBody } from './body.js';
import { ipToInt, ipVersion } from './ip.js';
import { NonceStore } from './nonce-store.js';
import { GateRefusedError, PriorityGate } from './priority-gate.js';
import { type RateLimit, RateLimiter } from './rate-limit.js';

/** What the metagraph knows about a hotkey registered on the axon's subnet. */
export interface NeuronRecord {
  uid: number;
  validatorPermit: boolean;
  /** Rao. */
  stake: bigint;
}

/** Looks hotkeys up in the subnet's metagraph; undefined when the hotkey is not registered. */
export interface NeuronLookup {
  lookup(hotkey: string): NeuronRecord | undefined;
}

/** Python's blacklist return value: `(blacklisted, reason)`. */
export type BlacklistResult = readonly [blacklisted: boolean, reason: string];

/** What the axon knows about the caller when it runs a hook. */
export interface AxonRequestContext {
  /** The caller's metagraph entry (undefined if unregistered or no lookup was given). */
  neuron: NeuronRecord | undefined;
  remoteAddress: string | null;
  remotePort: number | null;
}

/**
 * Passed to handlers. `signal` aborts at the deadline, on client disconnect and on forced
 * shutdown; the axon answers (408/499) and frees the handler slot at that moment, so a handler
 * should stop its work when the signal fires.
 */
export interface AxonHandlerContext extends AxonRequestContext {
  signal: AbortSignal;
  /** `performance.now()` time by which the response is due. */
  deadline: number;
}

/** The fields a handler returns for synapse definition `D` (zod input of its response schema). */
export type HandlerOutput<D extends AnySynapseDefinition> =
  D extends SynapseDefinition<string, z.ZodObject, infer Res, boolean, unknown>
    ? z.input<Res>
    : never;

/** A chunk a streaming handler yields. */
export type StreamChunk = Uint8Array | string;

/** Serves one synapse: returns its response fields, or chunks for a streaming synapse. */
export type AxonHandler<D extends AnySynapseDefinition> = D['streaming'] extends true
  ? (
      synapse: Synapse<D>,
      ctx: AxonHandlerContext,
    ) => AsyncIterable<StreamChunk> | Promise<AsyncIterable<StreamChunk>>
  : (synapse: Synapse<D>, ctx: AxonHandlerContext) => HandlerOutput<D> | Promise<HandlerOutput<D>>;

/** Per-route hooks (Python's `blacklist_fn` and `priority_fn`). */
export interface AttachHooks<D extends AnySynapseDefinition> {
  /**
   * Runs after the registration checks and BEFORE signature verification, as in Python: the
   * synapse is built from headers only (request fields are not read yet) and its claims are
   * unverified. Return `[true, reason]` to answer 403.
   */
  blacklist?: (
    synapse: SynapseBase,
    ctx: AxonRequestContext,
  ) => BlacklistResult | Promise<BlacklistResult>;
  /** Queue priority when all handlers are busy (default: the caller's stake). */
  priority?: (synapse: Synapse<D>, ctx: AxonRequestContext) => number | Promise<number>;
}

/** A pino-compatible logger. */
export interface AxonLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Reported once per answered request. */
export interface AxonResponseEvent {
  synapse: string;
  status: number;
  message: string | null;
  /** The dendrite hotkey the request claimed (verified only when status is not 401/403). */
  hotkey: string | null;
  /** Seconds from arrival until the response was produced. */
  elapsed: number;
  /** Whether the synapse handler was invoked. */
  handlerRan: boolean;
}

/** Options of {@link Axon}. */
export interface AxonOptions {
  /** The miner's hotkey (a `Keypair` from @taoscript/crypto fits). */
  keypair: MessageSigner & { address(): string };
  /** Bind address (default `0.0.0.0`; tests use `127.0.0.1`). */
  host?: string;
  /** Bind port (default 8091; 0 picks a free port; otherwise must be in (1024, 65535)). */
  port?: number;
  /** Address published on chain (default: the bind address unless it is a wildcard). */
  externalIp?: string;
  /** Port published on chain (default: the bound port). */
  externalPort?: number;
  /** The metagraph, for registration / permit / stake checks and default priorities. */
  neurons?: NeuronLookup;
  /** Serve unregistered hotkeys (default false; then `neurons` is required). */
  allowUnregistered?: boolean;
  /** Refuse callers without a validator permit (default false). */
  requireValidatorPermit?: boolean;
  /** Refuse callers with less stake than this, in rao (default 0: no check). */
  minStake?: bigint;
  /** Largest request body in bytes (default 10 MiB); larger ones get 413 before being read. */
  maxBodyBytes?: number;
  /** Handlers running at once (default 10, Python's `axon.max_workers`). */
  maxConcurrent?: number;
  /** Requests waiting for a handler (default 100); beyond that the lowest priority gets 503. */
  maxQueue?: number;
  /** Per-hotkey request rate limit (default none); over it → 429. */
  rateLimit?: RateLimit;
  /** Upper bound, in seconds, on a request's `timeout` (handler deadline and nonce window); default 60. */
  maxTimeout?: number;
  /** Seconds a handler may run (default: the request's `timeout`). */
  handlerTimeout?: number;
  /** Sign responses with the axon hotkey (default false; Python dendrites never check it). */
  signResponses?: boolean;
  /**
   * Signature check (default: sr25519, then the `<Bytes>`-wrapped form, like btwallet, in
   * @polkadot/wasm-crypto: on `verifyThreads` worker threads once `start()` has run, else on the
   * event loop; pure JS if the wasm cannot load).
   */
  verifier?: SignatureVerifier;
  /**
   * Worker threads for the default verifier, shared by the axons of this process that ask for
   * the same number (default: one per core beyond the first, at most 4; 0 verifies on the event
   * loop). Ignored when `verifier` is given.
   */
  verifyThreads?: number;
  /** Largest request header block in bytes (default 16 KiB, Node's default). */
  maxHeaderBytes?: number;
  /** Milliseconds `stop()` waits for in-flight requests before cutting them off (default 10 s). */
  shutdownGraceMs?: number;
  logger?: AxonLogger;
  onResponse?: (event: AxonResponseEvent) => void;
}

/** What `serve_axon` publishes on chain for this axon. */
export interface AxonServeInfo {
  version: number;
  /** Dotted / colon form. */
  ip: string;
  /** The u128 the chain stores. */
  ipInt: bigint;
  ipType: 4 | 6;
  port: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
  hotkey: string;
}

/** Error codes of {@link AxonError}. */
export type AxonErrorCode = 'AXON_HANDLER_ERROR' | 'AXON_NOT_STARTED' | 'AXON_EXTERNAL_IP_UNKNOWN';

/**
 * Thrown by a handler to answer with a given status (Python handlers set
 * `synapse.axon.status_code`); also raised for misuse of the axon.
 */
export class AxonError extends BtError {
  override name = 'AxonError';
  declare readonly code: AxonErrorCode;
  constructor(
    code: AxonErrorCode,
    shortMessage: string,
    readonly status = 500,
  ) {
    super(shortMessage, { code });
  }
}

interface Route {
  def: AnySynapseDefinition;
  handler: (synapse: never, ctx: AxonHandlerContext) => unknown;
  hooks: AttachHooks<AnySynapseDefinition>;
  /** The built-in ping route skips the blacklist, as in Python. */
  builtin: boolean;
  /**
   * Every hash field is a request field: the response hashes what the request did (as Python's
   * recomputation from the same values would), and that hash was verified against the body.
   */
  reuseHash: boolean;
  /** Body keys the axon reads (subnet fields and hash fields); the rest are only syntax-checked. */
  bodyKeys: ReadonlySet<string>;
}

/** The synapse name a request path routes to (Python routes by the whole path after `/`). */
function routeName(target: string): string {
  let path = target;
  if (path.charCodeAt(0) !== 47 /* / */) {
    // Absolute-form (`http://host/Name`) or `*`.
    try {
      path = new URL(path).pathname;
    } catch {
      return path;
    }
  }
  const query = path.indexOf('?');
  if (query >= 0) path = path.slice(0, query);
  const name = path.slice(1);
  if (!name.includes('%') || name.includes('/')) return name;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** What the axon answers: a JSON text or a stream of chunks. */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | ReadableStream<Uint8Array>;
}

/** Writes a reply to Node's response (streams with backpressure); never throws. */
function writeReply(outgoing: ServerResponse, reply: Reply, logger: AxonLogger): void {
  try {
    if (typeof reply.body === 'string') {
      reply.headers['content-length'] = String(Buffer.byteLength(reply.body));
      outgoing.writeHead(reply.status, reply.headers);
      outgoing.end(reply.body);
      return;
    }
    outgoing.writeHead(reply.status, reply.headers);
    outgoing.flushHeaders();
    void pump(reply.body, outgoing);
  } catch (err) {
    logger.error({ err: describe(err) }, 'axon: could not write the response');
    if (typeof reply.body !== 'string') void reply.body.cancel(err).catch(() => {});
    outgoing.destroy();
  }
}

async function pump(body: ReadableStream<Uint8Array>, outgoing: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const onClose = () => void reader.cancel(DISCONNECTED).catch(() => {});
  outgoing.once('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!outgoing.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            outgoing.off('drain', go);
            outgoing.off('close', go);
            resolve();
          };
          outgoing.on('drain', go);
          outgoing.on('close', go);
        });
      }
      if (outgoing.destroyed) return;
    }
    outgoing.end();
  } catch {
    // The stream broke mid-body: cut the connection so the client sees an incomplete payload.
    outgoing.destroy();
  } finally {
    outgoing.off('close', onClose);
  }
}

/** An early answer: status, Python-style message, extra headers. */
class Reject {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

interface RequestState {
  t0: number;
  /** The request body was read to its end (so the connection can be kept alive). */
  bodyRead: boolean;
  route: Route | undefined;
  synapse: Synapse<AnySynapseDefinition> | undefined;
  handlerRan: boolean;
  /** Made on first use by the handler stage (aborts it on deadline / disconnect / cut-off). */
  controller: AbortController | undefined;
  disconnected: boolean;
  /** Counted out of `inflight` (see `#finish`). */
  finished: boolean;
}

const NOOP_LOGGER: AxonLogger = { debug() {}, info() {}, warn() {}, error() {} };
const DEFAULTS = {
  host: '0.0.0.0',
  port: 8091,
  maxBodyBytes: 10 * 1024 * 1024,
  maxConcurrent: 10,
  maxQueue: 100,
  maxTimeout: 60,
  maxHeaderBytes: 16 * 1024,
  shutdownGraceMs: 10_000,
};
const MAX_HEADER_VALUE = 1024;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const REQUIRED = ['hotkey', 'nonce', 'uuid', 'signature'] as const;
/** Longest time in transit credited against a request's timeout (guards against clock skew). */
const MAX_TRANSIT_MS = 1000;
/** How long a stream may run past its deadline before the axon ends it. */
const STREAM_GRACE_MS = 1000;
const DEADLINE = new Error('the handler deadline passed');
const DISCONNECTED = new Error('the client closed the connection');

function forbidden(reason: string): Reject {
  return new Reject(403, `Forbidden. Key is blacklisted: ${reason}.`);
}

function notVerified(why: string): Reject {
  return new Reject(401, `Not Verified with error: ${why}`);
}

function applyBlacklist(result: BlacklistResult): void {
  if (!Array.isArray(result) || typeof result[0] !== 'boolean') {
    throw new TypeError('blacklist hook must return [boolean, string]');
  }
  if (result[0]) throw forbidden(String(result[1]));
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`${what} must be a positive integer`);
  }
  return v;
}

function positiveNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new RangeError(`${what} must be a positive number`);
  }
  return v;
}

/**
 * A miner's HTTP server, wire-compatible with the Python `bittensor.Axon`: one `POST /<Synapse>`
 * route per attached synapse, signature/nonce verification, blacklist, priority queue, rate
 * limit, handler deadlines, body-size limit, streaming and graceful shutdown.
 * @example
 * import { keypairFromUri } from '@taoscript/crypto';
 * import { Axon, defineSynapse } from '@taoscript/sdk';
 * import { z } from 'zod';
 * const Dummy = defineSynapse({
 *   name: 'Dummy', request: z.object({ dummy_input: z.int() }),
 *   response: z.object({ dummy_output: z.int() }),
 * });
 * const axon = new Axon({ keypair: keypairFromUri('//Alice'), host: '127.0.0.1', port: 0,
 *   allowUnregistered: true });
 * axon.attach(Dummy, (s) => ({ dummy_output: s.dummy_input * 2 }));
 * await axon.start();
 * await axon.stop();
 */
export class Axon {
  /** Per-axon UUID v1 (`synapse.axon.uuid`). */
  readonly uuid = uuid1();
  /** The axon's hotkey (SS58). */
  readonly hotkey: string;
  readonly #keypair: MessageSigner;
  readonly #opts: Required<
    Pick<
      AxonOptions,
      | 'host'
      | 'maxBodyBytes'
      | 'maxTimeout'
      | 'maxHeaderBytes'
      | 'shutdownGraceMs'
      | 'allowUnregistered'
      | 'requireValidatorPermit'
      | 'minStake'
      | 'signResponses'
      | 'verifier'
      | 'logger'
    >
  >;
  readonly #options: AxonOptions;
  readonly #routes = new Map<string, Route>();
  readonly #gate: PriorityGate;
  readonly #nonces: NonceStore;
  readonly #limiter: RateLimiter | undefined;
  readonly #active = new Set<AbortController>();
  readonly #verifyThreads: number;
  /** The verifier in use: `opts.verifier`, or the shared worker pool's once started. */
  #verifier: SignatureVerifier;
  #server: Server | undefined;
  #port: number;
  #inflight = 0;
  #idleWaiters: (() => void)[] = [];
  #stopping = false;
  #stopped: Promise<void> | undefined;

  constructor(options: AxonOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('Axon: expected an options object');
    }
    const { keypair } = options;
    if (typeof keypair?.sign !== 'function' || typeof keypair.address !== 'function') {
      throw new TypeError('Axon: keypair must have sign() and address()');
    }
    this.hotkey = keypair.address();
    this.#keypair = fastSigner(keypair);
    const port = options.port ?? DEFAULTS.port;
    if (port !== 0 && !(Number.isInteger(port) && port > 1024 && port < 65535)) {
      throw new RangeError('Axon: port must be 0 or in (1024, 65535)');
    }
    this.#port = port;
    const allowUnregistered = options.allowUnregistered ?? false;
    if (options.neurons === undefined && !allowUnregistered) {
      throw new TypeError('Axon: a neurons lookup is required unless allowUnregistered is true');
    }
    if (options.neurons !== undefined && typeof options.neurons.lookup !== 'function') {
      throw new TypeError('Axon: neurons must have a lookup(hotkey) method');
    }
    const minStake = options.minStake ?? 0n;
    if (typeof minStake !== 'bigint' || minStake < 0n) {
      throw new RangeError('Axon: minStake must be a non-negative bigint (rao)');
    }
    if (options.handlerTimeout !== undefined)
      positiveNumber(options.handlerTimeout, 'handlerTimeout');
    const verifyThreads = options.verifyThreads ?? defaultVerifyThreads();
    if (
      !Number.isInteger(verifyThreads) ||
      verifyThreads < 0 ||
      verifyThreads > MAX_VERIFY_THREADS
    ) {
      throw new RangeError(`Axon: verifyThreads must be an integer in 0..${MAX_VERIFY_THREADS}`);
    }
    this.#verifyThreads = verifyThreads;
    this.#options = options;
    this.#opts = {
      host: options.host ?? DEFAULTS.host,
      maxBodyBytes: positiveInt(options.maxBodyBytes ?? DEFAULTS.maxBodyBytes, 'maxBodyBytes'),
      maxTimeout: positiveNumber(options.maxTimeout ?? DEFAULTS.maxTimeout, 'maxTimeout'),
      maxHeaderBytes: positiveInt(
        options.maxHeaderBytes ?? DEFAULTS.maxHeaderBytes,
        'maxHeaderBytes',
      ),
      shutdownGraceMs: positiveInt(
        options.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs,
        'shutdownGraceMs',
      ),
      allowUnregistered,
      requireValidatorPermit: options.requireValidatorPermit ?? false,
      minStake,
      signResponses: options.signResponses ?? false,
      verifier: options.verifier ?? fastVerifier,
      logger: options.logger ?? NOOP_LOGGER,
    };
    this.#verifier = this.#opts.verifier;
    this.#gate = new PriorityGate(
      positiveInt(options.maxConcurrent ?? DEFAULTS.maxConcurrent, 'maxConcurrent'),
      options.maxQueue ?? DEFAULTS.maxQueue,
    );
    this.#nonces = new NonceStore(this.#opts.maxTimeout);
    this.#limiter =
      options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit);
    this.attach(BaseSynapse, () => ({}));
    const ping = this.#routes.get(BaseSynapse.name);
    if (ping) ping.builtin = true;
  }

  /**
   * Serves `def` at `POST /<def.name>` (and GET, as Python does) with `handler`.
   * @example
   * axon.attach(Dummy, (s) => ({ dummy_output: s.dummy_input * 2 }), {
   *   blacklist: (s) => [s.dendrite.hotkey === 'bad', 'banned'],
   * });
   */
  attach<D extends AnySynapseDefinition>(
    def: D,
    handler: AxonHandler<D>,
    hooks: AttachHooks<D> = {},
  ): this {
    if (typeof def?.create !== 'function' || typeof def.name !== 'string') {
      throw new TypeError('Axon.attach: expected a synapse definition');
    }
    if (typeof handler !== 'function')
      throw new TypeError('Axon.attach: handler must be a function');
    if (this.#server !== undefined) throw new Error('Axon.attach: attach routes before start()');
    this.#routes.set(def.name, {
      def,
      handler: handler as Route['handler'],
      hooks: hooks as AttachHooks<AnySynapseDefinition>,
      builtin: false,
      reuseHash: def.hashFields.every((f) =>
        def.fields.some((x) => x.name === f && x.side === 'request'),
      ),
      bodyKeys: new Set([...def.fields.map((f) => f.name), ...def.hashFields]),
    });
    return this;
  }

  /** The web-standard handler (for in-process use such as `axon.fetch(new Request(...))`). */
  get fetch(): (request: Request) => Promise<Response> {
    return (request) => this.#fetch(request);
  }

  /** The bound port (the configured one before `start()`). */
  get port(): number {
    return this.#port;
  }

  /** Requests being answered, handlers running, requests queued. */
  stats(): { inflight: number; running: number; queued: number; nonces: number } {
    return {
      inflight: this.#inflight,
      running: this.#gate.running,
      queued: this.#gate.queued,
      nonces: this.#nonces.size,
    };
  }

  /** Starts listening; resolves once the port is bound. */
  async start(): Promise<this> {
    if (this.#server !== undefined) return this;
    // The default verifier (and response signer) run in wasm once it has loaded, verification
    // on worker threads when there are spare cores.
    await fastSr25519.load();
    if (this.#options.verifier === undefined && this.#verifyThreads > 0) {
      const pool = sharedVerifyPool(this.#verifyThreads);
      if ((await pool.start()) > 0) this.#verifier = pool.verify;
    }
    if (this.#server !== undefined) return this;
    // Straight on node:http: no web Request/Response objects on the hot path.
    const server = createServer({ maxHeaderSize: this.#opts.maxHeaderBytes }, (req, res) =>
      this.#onRequest(req, res),
    );
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#opts.logger.info({ host: this.#opts.host, port: this.#port }, 'axon: listening');
    return this;
  }

  /**
   * What `serve_axon` publishes: version, ip (and its u128), ip type, port, protocol 4.
   * @example
   * const { ipInt, port, ipType, protocol, version } = axon.info();
   */
  info(): AxonServeInfo {
    const ip =
      this.#options.externalIp ??
      (this.#opts.host === '0.0.0.0' || this.#opts.host === '::' ? undefined : this.#opts.host);
    if (ip === undefined) {
      throw new AxonError(
        'AXON_EXTERNAL_IP_UNKNOWN',
        'Axon.info: set externalIp when binding a wildcard address',
      );
    }
    const port = this.#options.externalPort ?? this.#port;
    if (!(Number.isInteger(port) && port > 1024 && port < 65535)) {
      throw new RangeError('Axon.info: the published port must be in (1024, 65535)');
    }
    return {
      version: VERSION_AS_INT,
      ip,
      ipInt: ipToInt(ip),
      ipType: ipVersion(ip),
      port,
      protocol: 4,
      placeholder1: 0,
      placeholder2: 0,
      hotkey: this.hotkey,
    };
  }

  /**
   * Graceful shutdown: stop accepting connections, let in-flight requests finish (up to
   * `shutdownGraceMs`, then abort them), close every connection. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopped ??= this.#shutdown();
    return this.#stopped;
  }

  async #shutdown(): Promise<void> {
    this.#stopping = true;
    this.#gate.close();
    const server = this.#server;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const drained = this.#whenIdle();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#opts.shutdownGraceMs);
    });
    const outcome = await Promise.race([drained.then(() => 'drained' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#opts.logger.warn({ inflight: this.#inflight }, 'axon: cutting off in-flight requests');
      for (const c of this.#active) c.abort(new Error('axon shutting down'));
      server.closeAllConnections();
    }
    server.closeIdleConnections();
    const last = setTimeout(() => server.closeAllConnections(), 1000);
    await closed;
    clearTimeout(last);
    this.#opts.logger.info({ port: this.#port }, 'axon: stopped');
  }

  #whenIdle(): Promise<void> {
    if (this.#inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #done(): void {
    this.#inflight--;
    if (this.#inflight === 0) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #begin(): RequestState {
    this.#inflight++;
    return {
      t0: performance.now(),
      bodyRead: false,
      route: undefined,
      synapse: undefined,
      handlerRan: false,
      controller: undefined,
      disconnected: false,
      finished: false,
    };
  }

  /** The request is over (answered, or its connection gone): count it out once. */
  #finish(state: RequestState): void {
    if (state.finished) return;
    state.finished = true;
    if (state.controller !== undefined) this.#active.delete(state.controller);
    this.#done();
  }

  /** node:http entry: answers straight onto the socket. */
  #onRequest(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const state = this.#begin();
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) {
        state.disconnected = true;
        state.controller?.abort(DISCONNECTED);
      }
      this.#finish(state);
    });
    const logger = this.#opts.logger;
    this.#process(undefined, incoming, routeName(incoming.url ?? '/'), state).then(
      (reply) => writeReply(outgoing, reply, logger),
      (err: unknown) => {
        let reply: Reply;
        try {
          reply = this.#fail(state, err, incoming);
        } catch (bug) {
          logger.error({ err: describe(bug) }, 'axon: unhandled error');
          reply = internalErrorReply();
        }
        writeReply(outgoing, reply, logger);
      },
    );
  }

  /** Web entry (`axon.fetch`): same pipeline, answered as a `Response`. */
  async #fetch(request: Request): Promise<Response> {
    // Served without start(): load the wasm verifier here instead (once).
    if (fastSr25519.kind !== 'wasm') await fastSr25519.load();
    const state = this.#begin();
    let reply: Reply;
    try {
      let name: string;
      try {
        name = routeName(new URL(request.url).pathname);
      } catch {
        name = '';
      }
      reply = await this.#process(request, undefined, name, state);
    } catch (err) {
      try {
        reply = this.#fail(state, err, undefined);
      } catch (bug) {
        this.#opts.logger.error({ err: describe(bug) }, 'axon: unhandled error');
        reply = internalErrorReply();
      }
    }
    if (typeof reply.body === 'string') {
      this.#finish(state);
      return new Response(reply.body, { status: reply.status, headers: reply.headers });
    }
    return new Response(
      this.#onStreamEnd(reply.body, () => this.#finish(state)),
      {
        status: reply.status,
        headers: reply.headers,
      },
    );
  }

  async #process(
    request: Request | undefined,
    incoming: IncomingMessage | undefined,
    name: string,
    state: RequestState,
  ): Promise<Reply> {
    // 1. Route.
    const route = this.#routes.get(name);
    if (route === undefined) {
      throw new Reject(
        404,
        `Synapse name '${name}' not found. Available synapses ${pyList([...this.#routes.keys()])}`,
      );
    }
    state.route = route;
    const def = route.def;
    const method = incoming !== undefined ? incoming.method : request!.method;
    if (method !== 'POST' && method !== 'GET') {
      throw new Reject(405, 'Method Not Allowed', { allow: 'GET, POST' });
    }
    if (this.#stopping) throw new Reject(503, 'Service unavailable: the axon is shutting down');

    // 2. Synapse from headers (400 on malformed values).
    let parsed: ParsedHeaders;
    try {
      parsed =
        incoming !== undefined
          ? parseRawHeaders(incoming.rawHeaders)
          : parseHeaders(request!.headers);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Reject(
        400,
        `Improperly formatted request. Could not parse headers into synapse of type ${name}: ${reason}.`,
      );
    }
    const timeout = parsed.timeout ?? DEFAULT_SYNAPSE_TIMEOUT;
    const synapse = synapseFrom(
      def,
      {
        timeout,
        total_size: parsed.total_size ?? 0,
        header_size: parsed.header_size ?? 0,
        dendrite: parsed.dendrite,
        axon: parsed.axon,
        computed_body_hash: parsed.computed_body_hash ?? '',
      },
      parsed.inputs,
    );
    state.synapse = synapse;
    synapse.axon.version = VERSION_AS_INT;
    synapse.axon.uuid = this.uuid;
    synapse.axon.nonce = nowNs();
    synapse.axon.status_code = 100;
    const remoteAddress = incoming?.socket.remoteAddress ?? null;
    const remotePort = incoming?.socket.remotePort ?? null;
    if (incoming !== undefined) {
      synapse.dendrite.ip = remoteAddress;
      synapse.dendrite.port = remotePort;
    }
    if (!Number.isFinite(timeout) || timeout < 0) {
      throw new Reject(
        400,
        `Improperly formatted request. Could not parse headers into synapse of type ${name}: timeout must be a finite number ≥ 0.`,
      );
    }
    const budget = Math.min(
      timeout,
      this.#opts.maxTimeout,
      this.#options.handlerTimeout ?? Number.POSITIVE_INFINITY,
    );
    let deadline = state.t0 + budget * 1000;

    // Body size, before anything is read.
    const declared =
      incoming !== undefined
        ? rawHeader(incoming.rawHeaders, 'content-length')
        : request!.headers.get('content-length');
    if (declared !== undefined && declared !== null && Number(declared) > this.#opts.maxBodyBytes) {
      throw new Reject(
        413,
        `Request body of ${declared} bytes exceeds the ${this.#opts.maxBodyBytes}-byte limit`,
        { connection: 'close' },
      );
    }

    // 3. Blacklist (before verification, as in Python).
    const hotkey = synapse.dendrite.hotkey;
    const neuron = hotkey === null ? undefined : this.#options.neurons?.lookup(hotkey);
    const requestCtx: AxonRequestContext = { neuron, remoteAddress, remotePort };
    if (!route.builtin) {
      const pending = this.#blacklist(route, synapse, requestCtx);
      if (pending !== undefined) await pending;
    }

    // 4. Verify: required terminal fields, nonce, signature.
    const verifying = this.#verify(synapse, timeout);
    if (verifying !== undefined) await verifying;
    // The dendrite's clock started at its (now verified) nonce: spend only what is left of its
    // timeout, so the handler stops when the caller gives up (bounded against clock skew).
    const inTransit = Number(synapse.axon.nonce - synapse.dendrite.nonce!) / 1e6;
    deadline -= Math.min(Math.max(inTransit, 0), MAX_TRANSIT_MS);

    // Rate limit per verified hotkey.
    if (this.#limiter !== undefined) {
      const waitMs = this.#limiter.take(synapse.dendrite.hotkey!);
      if (waitMs > 0) {
        throw new Reject(429, 'Too Many Requests: rate limit exceeded for this hotkey', {
          'retry-after': String(Math.ceil(waitMs / 1000)),
        });
      }
    }

    // 6 (before 5: the body is complete before the request takes a queue slot).
    const fields = await this.#readBody(route, synapse, request, incoming);
    state.bodyRead = true;
    Object.assign(synapse, fields);

    // 5. Priority queue (no waiting while a handler slot is free and nobody queues).
    let release = route.hooks.priority === undefined ? this.#gate.tryAcquire() : undefined;
    if (release === undefined) {
      const priority = route.hooks.priority
        ? await route.hooks.priority(synapse, requestCtx)
        : neuron === undefined
          ? 0
          : Number(neuron.stake);
      if (typeof priority !== 'number') throw new TypeError('priority hook must return a number');
      try {
        release = await this.#gate.acquire(priority, deadline - performance.now());
      } catch (err) {
        if (err instanceof GateRefusedError && err.reason === 'timeout') {
          throw new Reject(408, `Response timeout after: ${pyFloatRepr(synapse.timeout)}s`);
        }
        if (err instanceof GateRefusedError && err.reason === 'closed') {
          throw new Reject(503, 'Service unavailable: the axon is shutting down');
        }
        throw new Reject(503, 'Service unavailable: the priority queue is full');
      }
    }

    // 7. Handler with a deadline. Its AbortController is made on first use (reading
    // `ctx.signal`, or the handler returning a promise or a stream): a handler that answers at
    // once never needs one.
    const axon = this;
    const ctx: AxonHandlerContext = {
      ...requestCtx,
      deadline,
      get signal() {
        return axon.#controllerFor(state).signal;
      },
    };
    let timer: Timer | undefined;
    let handed = false;
    let stream: ReadableStream<Uint8Array> | undefined;
    try {
      // A caller already gone (or a shutdown) never reaches the handler.
      if (state.disconnected || this.#stopping) throw this.#controllerFor(state).signal.reason;
      state.handlerRan = true;
      const started = performance.now();
      let output = route.handler(synapse as never, ctx);
      if (isThenable(output)) {
        // Only a handler that waits needs the deadline timer.
        const controller = this.#controllerFor(state);
        timer = timerAt(deadline, () => controller.abort(DEADLINE));
        output = await raceAbort(Promise.resolve(output), controller.signal);
      }
      if (state.controller?.signal.aborted) throw state.controller.signal.reason;
      const handlerSeconds = (performance.now() - started) / 1000;
      if (def.streaming) {
        // Once chunks flow, the caller's own timeout governs (Python enforces none); the axon
        // still ends a stream that outlives the deadline by STREAM_GRACE_MS.
        const controller = this.#controllerFor(state);
        timer?.clear();
        const streamTimer = timerAt(deadline + STREAM_GRACE_MS, () => controller.abort(DEADLINE));
        timer = streamTimer;
        stream = this.#streamBody(output as AsyncIterable<StreamChunk>, controller.signal, () => {
          streamTimer.clear();
          release();
        });
        handed = true;
        return await this.#success(route, synapse, handlerSeconds, stream, state.t0);
      }
      Object.assign(synapse, parseResponseFields(def, output));
      return await this.#success(route, synapse, handlerSeconds, undefined, state.t0);
    } catch (err) {
      if (stream !== undefined) void stream.cancel(err).catch(() => {});
      const reason: unknown = state.controller?.signal.reason;
      if (reason === DEADLINE) {
        throw new Reject(408, `Response timeout after: ${pyFloatRepr(budget)}s`);
      }
      if (reason === DISCONNECTED) throw new Reject(499, 'Client closed the connection');
      throw err;
    } finally {
      if (!handed) {
        timer?.clear();
        release();
      }
    }
  }

  /** The request's AbortController, made on first use (aborted at once if the caller is gone). */
  #controllerFor(state: RequestState): AbortController {
    let controller = state.controller;
    if (controller === undefined) {
      controller = new AbortController();
      state.controller = controller;
      if (state.finished) controller.abort(DISCONNECTED);
      else {
        this.#active.add(controller);
        if (state.disconnected || this.#stopping) controller.abort(DISCONNECTED);
      }
    }
    return controller;
  }

  /** Registration / permit / stake checks, then the route's hook; throws a 403 Reject. */
  #blacklist(
    route: Route,
    synapse: Synapse<AnySynapseDefinition>,
    ctx: AxonRequestContext,
  ): void | Promise<void> {
    const hotkey = synapse.dendrite.hotkey;
    if (hotkey === null || hotkey === '') throw forbidden('Missing dendrite or hotkey');
    if (this.#options.neurons !== undefined) {
      const n = ctx.neuron;
      if (n === undefined) {
        if (!this.#opts.allowUnregistered) throw forbidden('Unrecognized hotkey');
      } else {
        if (this.#opts.requireValidatorPermit && !n.validatorPermit) {
          throw forbidden('Non-validator hotkey');
        }
        if (this.#opts.minStake > 0n && n.stake < this.#opts.minStake) {
          throw forbidden('Stake below minimum');
        }
      }
    }
    if (route.hooks.blacklist === undefined) return;
    const result = route.hooks.blacklist(synapse, ctx);
    return result instanceof Promise ? result.then(applyBlacklist) : applyBlacklist(result);
  }

  /** Required terminal fields, nonce rules, signature; throws a 401 Reject. */
  #verify(synapse: Synapse<AnySynapseDefinition>, timeout: number): void | Promise<void> {
    const d = synapse.dendrite;
    for (const field of REQUIRED) {
      if (d[field] === null || d[field] === '') {
        throw notVerified(
          field === 'nonce' ? 'Missing Nonce' : `Missing ${field === 'uuid' ? 'UUID' : field}`,
        );
      }
    }
    if (synapse.computed_body_hash === '') throw notVerified('Missing computed_body_hash');
    const nonce = d.nonce!;
    const key = `${d.hotkey}:${d.uuid}`;
    const stale = this.#nonces.check(key, nonce, timeout, nowNs());
    if (stale !== undefined) throw notVerified(stale);
    const message = requestSignatureMessage({
      nonce,
      dendriteHotkey: d.hotkey!,
      axonHotkey: this.hotkey,
      uuid: d.uuid!,
      bodyHash: synapse.computed_body_hash,
    });
    const ok = checkMessageSignature(d.signature!, message, d.hotkey!, this.#verifier);
    if (ok instanceof Promise) {
      return ok.then((valid) => this.#commitNonce(valid, key, nonce, timeout, message, d));
    }
    this.#commitNonce(ok, key, nonce, timeout, message, d);
  }

  #commitNonce(
    valid: boolean,
    key: string,
    nonce: bigint,
    timeout: number,
    message: string,
    d: TerminalInfo,
  ): void {
    if (!valid) throw notVerified(`Signature mismatch with ${message} and ${d.signature}`);
    // Re-check: a concurrent replay may have committed while an async verifier ran.
    const now = nowNs();
    const again = this.#nonces.check(key, nonce, timeout, now);
    if (again !== undefined) throw notVerified(again);
    this.#nonces.commit(key, nonce, now);
  }

  async #readBody(
    route: Route,
    synapse: Synapse<AnySynapseDefinition>,
    request: Request | undefined,
    incoming: IncomingMessage | undefined,
  ): Promise<Record<string, unknown>> {
    let bytes: Uint8Array;
    try {
      bytes =
        incoming !== undefined
          ? await readIncoming(incoming, this.#opts.maxBodyBytes)
          : await readWebBody(request!, this.#opts.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyReadError && err.reason === 'too-large') {
        throw new Reject(413, `Request body exceeds the ${this.#opts.maxBodyBytes}-byte limit`, {
          connection: 'close',
        });
      }
      throw err;
    }
    const def = route.def;
    // Python answers 500 for an unparsable body or a hash mismatch (both raise in a dependency).
    let raw: unknown;
    try {
      raw = parsePyJson(textDecoder.decode(bytes), { keep: route.bodyKeys });
    } catch (err) {
      throw new InternalError(`Request body is not JSON: ${describe(err)}`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new InternalError('Request body is not a JSON object');
    }
    let fields: Record<string, unknown>;
    try {
      fields = parseBodyFields(def, raw as Record<string, unknown>, 'strict');
    } catch (err) {
      throw new InternalError(describe(err));
    }
    let hash: string;
    try {
      hash = bodyHashOf(def, raw);
    } catch (err) {
      throw new InternalError(`Cannot hash the body: ${describe(err)}`);
    }
    if (hash !== synapse.computed_body_hash) {
      throw new InternalError(
        `Hash mismatch between header body hash ${synapse.computed_body_hash} and parsed body hash ${hash}`,
      );
    }
    return fields;
  }

  #streamBody(
    iterable: AsyncIterable<StreamChunk>,
    signal: AbortSignal,
    onEnd: () => void,
  ): ReadableStream<Uint8Array> {
    if (iterable === null || typeof iterable !== 'object' || !(Symbol.asyncIterator in iterable)) {
      onEnd();
      throw new TypeError('a streaming handler must return an AsyncIterable');
    }
    const it = iterable[Symbol.asyncIterator]();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      onEnd();
    };
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await raceAbort(it.next(), signal);
          if (signal.aborted) throw signal.reason;
          if (next.done) {
            end();
            controller.close();
            return;
          }
          const v = next.value;
          controller.enqueue(typeof v === 'string' ? textEncoder.encode(v) : v);
        } catch (err) {
          end();
          void it.return?.();
          controller.error(err);
        }
      },
      async cancel() {
        end();
        await it.return?.();
      },
    });
  }

  #onStreamEnd(body: ReadableStream<Uint8Array>, onEnd: () => void): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    const wrapped = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            onEnd();
            controller.close();
          } else controller.enqueue(value);
        } catch (err) {
          onEnd();
          controller.error(err);
        }
      },
      async cancel(reason) {
        onEnd();
        await reader.cancel(reason);
      },
    });
    return wrapped;
  }

  async #signResponse(synapse: Synapse<AnySynapseDefinition>): Promise<void> {
    if (!this.#opts.signResponses || synapse.dendrite.hotkey === null) return;
    const message = responseSignatureMessage({
      nonce: synapse.axon.nonce ?? 0n,
      dendriteHotkey: synapse.dendrite.hotkey,
      axonHotkey: synapse.axon.hotkey ?? this.hotkey,
      uuid: this.uuid,
    });
    synapse.axon.signature = await signMessage(this.#keypair, message);
  }

  async #success(
    route: Route,
    synapse: Synapse<AnySynapseDefinition>,
    handlerSeconds: number,
    stream: ReadableStream<Uint8Array> | undefined,
    t0: number,
  ): Promise<Reply> {
    synapse.axon.status_code = 200;
    synapse.axon.status_message = 'Success';
    synapse.axon.process_time = handlerSeconds;
    if (this.#opts.signResponses) await this.#signResponse(synapse);
    // Status messages can carry a handler's or blacklist hook's free text.
    const headers = sanitizeStatusHeaders(
      toHeaders(synapse, route.reuseHash ? { bodyHash: synapse.computed_body_hash } : {}),
      MAX_HEADER_VALUE,
    );
    headers['content-type'] = stream ? 'text/event-stream' : 'application/json';
    if (this.#stopping) headers.connection = 'close';
    this.#report(synapse, 200, 'Success', true, t0);
    if (stream) return { status: 200, headers, body: stream };
    return { status: 200, headers, body: toBody(synapse, { compact: true, ensureAscii: false }) };
  }

  #fail(state: RequestState, err: unknown, incoming: IncomingMessage | undefined): Reply {
    let status: number;
    let message: string;
    let extra: Record<string, string> = {};
    if (err instanceof Reject) {
      ({ status, message } = err);
      extra = err.headers;
    } else if (err instanceof AxonError && err.code === 'AXON_HANDLER_ERROR') {
      status = err.status;
      message = err.shortMessage;
    } else {
      status = 500;
      const id = randomUUID();
      message = `Internal Server Error #${id}`;
      this.#opts.logger.error(
        { err: describe(err), id, synapse: state.route?.def.name },
        'axon: request failed',
      );
    }
    const synapse =
      state.synapse ??
      synapseFrom(
        BaseSynapse,
        {
          timeout: DEFAULT_SYNAPSE_TIMEOUT,
          total_size: 0,
          header_size: 0,
          dendrite: emptyTerminal(),
          axon: emptyTerminal(),
          computed_body_hash: '',
        },
        {},
      );
    synapse.axon.status_code = status;
    synapse.axon.status_message = message;
    synapse.axon.process_time = (performance.now() - state.t0) / 1000;
    let headers: Record<string, string>;
    try {
      headers = sanitizeStatusHeaders(toHeaders(synapse), MAX_HEADER_VALUE);
    } catch {
      headers = {};
    }
    headers['content-type'] = 'application/json';
    Object.assign(headers, extra);
    // An unread body would otherwise be drained by Node to keep the connection alive.
    if (this.#stopping || (!state.bodyRead && incoming !== undefined && !incoming.readableEnded)) {
      headers.connection = 'close';
    }
    if (status === 413 && incoming !== undefined) incoming.pause();
    this.#report(synapse, status, message, state.handlerRan, state.t0);
    return { status, headers, body: JSON.stringify({ message }) };
  }

  #report(
    synapse: SynapseBase,
    status: number,
    message: string,
    handlerRan: boolean,
    t0: number,
  ): void {
    const hook = this.#options.onResponse;
    if (hook === undefined) return;
    try {
      hook({
        synapse: synapse.name,
        status,
        message,
        hotkey: synapse.dendrite.hotkey,
        elapsed: (performance.now() - t0) / 1000,
        handlerRan,
      });
    } catch (err) {
      this.#opts.logger.warn({ err: describe(err) }, 'axon: onResponse hook threw');
    }
  }
}

/** A failure Python reports as 500 "Internal Server Error #<uuid>". */
class InternalError extends Error {
  override name = 'InternalError';
}

function describe(err: unknown): string {
  if (err instanceof SynapseParseError || err instanceof JsonSyntaxError) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function pyList(items: readonly string[]): string {
  return `[${items.map(pyStrRepr).join(', ')}]`;
}

/** The first value of header `name` (lowercase) in node's `rawHeaders`. */
function rawHeader(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!;
    if (k.length === name.length && k.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

interface Timer {
  clear(): void;
}

/**
 * Runs `fn` once `performance.now()` reaches `at`. Node's timers count from the event loop's
 * cached clock, which lags during a busy tick, so a plain timeout can fire early.
 */
function timerAt(at: number, fn: () => void): Timer {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = at - performance.now();
    if (left <= 0) fn();
    else timer = setTimeout(arm, Math.ceil(left));
  };
  timer = setTimeout(arm, Math.max(0, Math.ceil(at - performance.now())));
  return { clear: () => clearTimeout(timer) };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

/** The last-resort answer when building the real one failed (a bug): Python's bare 500. */
function internalErrorReply(): Reply {
  const message = `Internal Server Error #${randomUUID()}`;
  return {
    status: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
  };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
