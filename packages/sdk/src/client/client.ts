/**
 * The chain client: one long-lived polkadot-api connection (chainHead follow, transaction
 * broadcast and tracking, extension signing from the node's metadata), with every call, storage
 * item and runtime API encoded and decoded by our chain-types declarations — each checked against
 * the node's live metadata at connect time, so a node that disagrees is refused, not mis-encoded.
 * Works against tao-node and against a real subtensor node.
 */

import type {
  AccountInfo,
  AnyShape,
  AxonInfo,
  DispatchError,
  DynamicInfo,
  RootClaimTypeEnum,
  RuntimeCall,
  SimSwapResult,
  StakeInfo,
  StorageItem,
  SubnetHyperparamsV2,
  SubnetIdentityV3,
  SubnetPrice,
} from '@taoscript/chain-types';
import { SystemEvents, u64 } from '@taoscript/chain-types';
import {
  bytesEqual,
  concatBytes,
  decodeExact,
  fromHex,
  type HexString,
  isHex,
  ss58Encode,
  toHex,
  U64_MAX,
} from '@taoscript/codec';
import { createClient, type PolkadotClient } from 'polkadot-api';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { getWsProvider } from 'polkadot-api/ws';
import { VERSION_AS_INT } from '../synapse/version.js';
import {
  accountBytes,
  commitHash as computeCommitHash,
  GLOBAL_MAX_SUBNET_COUNT,
  MAX_COMMIT_VECTOR_LENGTH,
  randomSalt,
  storageIndex,
  versionKeyOf,
} from '../weights/commit-hash.js';
import { convertWeightsAndUidsForEmit } from '../weights/convert.js';
import type { PendingCommit } from '../weights/pending-commit.js';
import { type ItemCheck, MetadataCompat, parseMetadata } from './compat.js';
import {
  ChainTypeMismatchError,
  describeDispatchError,
  ExtrinsicFailedError,
  NodeUnreachableError,
  PreconditionError,
  RpcFailedError,
  TransactionInvalidError,
} from './errors.js';
import { type ChainEvent, EventDecoder } from './events.js';
import { findHyperparameter, hyperparameterArgs } from './hyperparams.js';
import { parseIp } from './ip.js';
import { checkSdkItems, SDK_STORAGE } from './items.js';
import { type ResolvedNetworkName, resolveNetwork } from './network.js';
import type {
  AccountLike,
  AddStakeParameters,
  AddStakeReturnType,
  BlockRef,
  BurnedRegisterParameters,
  BurnedRegisterReturnType,
  ClaimRootParameters,
  ClaimRootReturnType,
  CommitStore,
  CommitWeightsParameters,
  CommitWeightsReturnType,
  ConnectParameters,
  ExtrinsicOptions,
  ExtrinsicResult,
  HyperparameterOrigin,
  MoveStakeParameters,
  MoveStakeReturnType,
  PreviewSetHyperparameterParameters,
  PreviewSetHyperparameterReturnType,
  ReadOptions,
  RegisterNetworkParameters,
  RegisterNetworkReturnType,
  RemoveStakeParameters,
  RemoveStakeReturnType,
  RevealWeightsParameters,
  RevealWeightsReturnType,
  ServeAxonParameters,
  ServeAxonReturnType,
  SetHyperparameterParameters,
  SetHyperparameterReturnType,
  SetRootClaimTypeParameters,
  SetRootClaimTypeReturnType,
  SetTakeParameters,
  SetTakeReturnType,
  SetWeightsParameters,
  SetWeightsReturnType,
  Signer,
  StakeLimit,
  StakePreview,
  StartCallParameters,
  StartCallReturnType,
  SubmitParameters,
  SubnetIdentity,
  SudoParameters,
  SudoReturnType,
  SwapStakeParameters,
  SwapStakeReturnType,
  TransferParameters,
  TransferReturnType,
  TransferStakeParameters,
  TransferStakeReturnType,
} from './types.js';
import {
  amountOf,
  applyTolerance,
  deadline,
  netuidOf,
  PRICE_SCALE,
  ratio,
  signerOf,
  toleranceOf,
  u8Of,
  u16Of,
} from './validate.js';

/** Default mortality of extrinsics, in blocks (as the Python SDK). */
export const DEFAULT_PERIOD = 128;
/** Default price tolerance of limit (safe) staking, as a fraction (0.5 %). */
export const DEFAULT_RATE_TOLERANCE = 0.005;
/** Default time the WebSocket may take to open before `connect` gives up. */
export const DEFAULT_OPEN_TIMEOUT_MS = 10_000;
/** Subnets one `claim_root` may name (subtensor's `MAX_SUBNET_CLAIMS`). */
export const MAX_SUBNET_CLAIMS = 5;
/** Longest coldkey list of one `getStakeInfoForColdkeys` call. */
export const MAX_COLDKEYS_PER_QUERY = 1024;
/** Longest value of one subnet identity field, in bytes (subtensor's largest limit). */
export const MAX_IDENTITY_FIELD_BYTES = 1024;

/**
 * What `connect` needs from its host, which differs between Node and a browser: the WebSocket
 * class for a `ws(s)://` endpoint, and the commit store used when `connect` was given none (or a
 * directory). Node's `connect` (connect.ts) and the browser entry each pass their own.
 */
export interface ClientHost {
  /** The WebSocket class (called only when no `provider` is given). */
  webSocket(): Promise<unknown>;
  /** The commit store under `dir`, or the default one (called on first commit/reveal). */
  openCommitStore(dir: string | undefined): Promise<CommitStore>;
}

/**
 * `connect` with an explicit {@link ClientHost}: reads the node's metadata and checks every item
 * the SDK uses against chain-types. Most callers want `connect` (Node, or the browser entry's).
 */
export async function connectWith(
  host: ClientHost,
  p: ConnectParameters = {},
): Promise<SubtensorClient> {
  if (typeof p !== 'object' || p === null) throw new TypeError('expected connect options');
  const timeoutMs = p.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be > 0');
  const openMs = p.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
  if (typeof openMs !== 'number' || !Number.isFinite(openMs) || openMs <= 0)
    throw new RangeError('openTimeoutMs must be > 0');
  const openTimeoutMs = Math.min(openMs, timeoutMs);
  const store = p.commits;
  if (
    typeof store === 'string' ? store.trim() === '' : store !== undefined && !isCommitStore(store)
  )
    throw new TypeError('commits must be a directory path or a commit store');
  let url = 'provider';
  let network: ResolvedNetworkName = 'unknown';
  let provider = p.provider;
  if (provider !== undefined && typeof provider !== 'function')
    throw new TypeError('provider must be a JSON-RPC provider function');
  // Rejects at the first failed attempt to open the socket (papi would retry until the deadline).
  let unreachable: Promise<never> | undefined;
  // Sockets made before the first open: papi leaves one that timed out connecting, so a failed
  // connect closes them itself (or they would keep the process alive).
  const opening = new Set<SocketLike>();
  let tracking = true;
  if (!provider) {
    const r = resolveNetwork({
      ...(p.network !== undefined ? { network: p.network } : {}),
      ...(p.chainEndpoint !== undefined ? { chainEndpoint: p.chainEndpoint } : {}),
      ...(p.env !== undefined ? { env: p.env } : {}),
    });
    url = r.url;
    network = r.network;
    const endpoint = url;
    let settled = false;
    let refuse: (reason: string, cause?: unknown) => void = () => {};
    unreachable = new Promise<never>((_, reject) => {
      refuse = (reason, cause) => {
        if (settled) return;
        settled = true;
        reject(new NodeUnreachableError(endpoint, reason, cause));
      };
    });
    unreachable.catch(() => {});
    const Base = (await host.webSocket()) as SocketClass;
    if (typeof Base !== 'function') throw new TypeError('the host gave no WebSocket class');
    provider = getWsProvider(url, {
      websocketClass: class extends Base {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols);
          if (tracking) opening.add(this);
        }
      } as never,
      timeout: openTimeoutMs,
      logger: (e) => {
        if (settled) return;
        const type = String(e.type);
        if (type === 'CONNECTED') settled = true;
        else if (type === 'ERROR') {
          const ev = (e as { error?: unknown }).error;
          refuse(socketFailure(ev), ev);
        } else if (type === 'TIMEOUT') refuse(`no WebSocket handshake within ${openTimeoutMs} ms`);
        else if (type === 'CLOSE') refuse('the connection closed before the WebSocket opened');
      },
    });
  }
  const papi = createClient(provider);
  try {
    const ready = (async () => {
      const finalized = await papi.getFinalizedBlock();
      const [metadata, spec] = await Promise.all([
        papi.getMetadata(finalized.hash),
        papi.getChainSpecData(),
      ]);
      return { metadata, spec };
    })();
    ready.catch(() => {});
    const { metadata, spec } = await deadline(
      unreachable ? Promise.race([ready, unreachable]) : ready,
      timeoutMs,
      `connecting to ${url}`,
      p.signal,
    );
    tracking = false;
    opening.clear();
    const compat = new MetadataCompat(parseMetadata(metadata));
    const prefix = (spec.properties as { ss58Format?: unknown } | undefined)?.ss58Format;
    return new SubtensorClient({
      papi,
      compat,
      url,
      network,
      genesisHash: spec.genesisHash as HexString,
      ss58Prefix: typeof prefix === 'number' ? prefix : 42,
      store,
      openCommitStore: (dir) => host.openCommitStore(dir),
    });
  } catch (err) {
    papi.destroy();
    for (const socket of opening) {
      if (socket.readyState !== 0) continue; // only CONNECTING ones are left behind
      socket.addEventListener('error', () => {}); // closing one that is connecting reports it
      socket.close();
    }
    throw err;
  }
}

/** What `connect` needs of a WebSocket (the platform's or the `ws` package's). */
interface SocketLike {
  readonly readyState: number;
  close(): void;
  addEventListener(type: 'error', listener: () => void): void;
}
type SocketClass = new (address: string, protocols?: string | string[]) => SocketLike;

/** A socket error event's reason: the Node error code (`ECONNREFUSED`) or its message. */
function socketFailure(ev: unknown): string {
  const e = ev as { error?: { code?: unknown; message?: unknown }; message?: unknown } | undefined;
  const code = e?.error?.code;
  if (typeof code === 'string' && code !== '') return code;
  const message = e?.message ?? e?.error?.message;
  if (typeof message === 'string' && message !== '') return message.slice(0, 200);
  return 'the connection failed';
}

function isCommitStore(x: unknown): x is CommitStore {
  const s = x as CommitStore;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof s.save === 'function' &&
    typeof s.list === 'function' &&
    typeof s.remove === 'function' &&
    typeof s.setBlock === 'function'
  );
}

interface ClientInit {
  papi: PolkadotClient;
  compat: MetadataCompat;
  url: string;
  network: ResolvedNetworkName;
  genesisHash: HexString;
  ss58Prefix: number;
  store: string | CommitStore | undefined;
  openCommitStore: ClientHost['openCommitStore'];
}

/**
 * A connected chain client. Create with {@link connect}; `close()` when done. RPC: polkadot-api's
 * chainHead_v1 (follow, storage, metadata call) and transaction_v1 (broadcast, tracking), plus
 * state_call (runtime APIs), system_accountNextIndex (nonces), chain_getHeader and
 * state_getStorage (blocks the follow subscription no longer pins).
 */
export class SubtensorClient {
  readonly url: string;
  readonly network: ResolvedNetworkName;
  readonly genesisHash: HexString;
  readonly ss58Prefix: number;
  #compat: MetadataCompat;
  #store: string | CommitStore | undefined;
  readonly #openCommitStore: ClientHost['openCommitStore'];
  readonly #papi: PolkadotClient;
  #events: EventDecoder;
  #checks: ItemCheck[];
  #closed = false;

  constructor(init: ClientInit) {
    this.#papi = init.papi;
    this.#compat = init.compat;
    this.url = init.url;
    this.network = init.network;
    this.genesisHash = init.genesisHash;
    this.ss58Prefix = init.ss58Prefix;
    this.#store = init.store;
    this.#openCommitStore = init.openCommitStore;
    this.#events = new EventDecoder(init.compat);
    this.#checks = checkSdkItems(init.compat);
  }

  /**
   * Where pending weight commits are kept (opened on first use, so the client itself needs no
   * file system): the store given to `connect`, or (Node) a `SaltStore` under its directory.
   */
  async commitStore(): Promise<CommitStore> {
    if (typeof this.#store === 'object') return this.#store;
    const store = await this.#openCommitStore(this.#store);
    this.#store = store;
    return store;
  }

  /** The node's metadata compared with ours. */
  get compat(): MetadataCompat {
    return this.#compat;
  }

  /**
   * Re-reads the node's metadata (after a runtime upgrade) and checks every item again.
   * RPC: chainHead_v1_call (Metadata_metadata_at_version).
   */
  async refreshMetadata(): Promise<ItemCheck[]> {
    this.#live();
    const finalized = await this.#papi.getFinalizedBlock();
    const compat = new MetadataCompat(parseMetadata(await this.#papi.getMetadata(finalized.hash)));
    this.#compat = compat;
    this.#events = new EventDecoder(compat);
    this.#checks = checkSdkItems(compat);
    return this.compatibility();
  }

  /** The connect-time check of every item the SDK uses (`ok: false` items are refused). */
  compatibility(): ItemCheck[] {
    return this.#checks.map((c) => ({ ...c, reasons: [...c.reasons] }));
  }

  /** Closes the connection (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#papi.destroy();
  }

  #live(): void {
    if (this.#closed) throw new RpcFailedError('client', 'the client is closed');
  }

  #require<T extends ItemCheck>(check: T): T {
    if (!check.ok) throw new ChainTypeMismatchError(check.key, check.reasons);
    return check;
  }

  /** The SS58 form of a public key on this chain. */
  address(publicKey: Uint8Array): string {
    return ss58Encode(publicKey, this.ss58Prefix);
  }

  // ---- transport ------------------------------------------------------------------------------

  async #rpc<T>(method: string, params: unknown[]): Promise<T> {
    this.#live();
    try {
      return await this.#papi._request<T>(method, params);
    } catch (err) {
      throw new RpcFailedError(method, (err as Error)?.message ?? String(err), err);
    }
  }

  /** The hash and number of a block reference. */
  async block(at: BlockRef = 'best'): Promise<{ hash: HexString; number: number }> {
    this.#live();
    if (at === 'best') {
      const [b] = await this.#papi.getBestBlocks();
      if (!b) throw new RpcFailedError('bestBlocks', 'no best block');
      return { hash: b.hash as HexString, number: b.number };
    }
    if (at === 'finalized') {
      const b = await this.#papi.getFinalizedBlock();
      return { hash: b.hash as HexString, number: b.number };
    }
    if (!isHex(at) || at.length !== 66) throw new RangeError('at must be a 32-byte block hash');
    const header = await this.#rpc<{ number: string } | null>('chain_getHeader', [at]);
    if (!header) throw new RpcFailedError('chain_getHeader', `unknown block ${at}`);
    return { hash: at, number: Number(header.number) };
  }

  async #hash(at: BlockRef | undefined): Promise<HexString> {
    if (at !== undefined && at !== 'best' && at !== 'finalized') {
      if (!isHex(at) || at.length !== 66) throw new RangeError('at must be a 32-byte block hash');
      return at;
    }
    return (await this.block(at)).hash;
  }

  async #rawStorage(key: HexString, at: HexString): Promise<Uint8Array | undefined> {
    this.#live();
    let hex: string | null;
    try {
      hex = await this.#papi.rawQuery(key, { at });
    } catch {
      // Not pinned by the follow subscription (an older block): ask the node directly.
      hex = await this.#rpc<string | null>('state_getStorage', [key, at]);
    }
    return hex === null || hex === undefined ? undefined : fromHex(hex);
  }

  /**
   * Reads a storage item declared in chain-types, checked against the node's metadata; an
   * absent key gives the node's default. RPC: chainHead_v1_storage (state_getStorage fallback).
   * @example
   * import { SubtensorStorage } from '@taoscript/chain-types';
   * await client.query(SubtensorStorage.Tempo, [1]); // 360
   */
  async query<K extends unknown[], V>(
    item: StorageItem<K, V>,
    keys: K,
    opts: ReadOptions = {},
  ): Promise<V> {
    const check = this.#require(this.compat.storage(item));
    if (!Array.isArray(keys)) throw new TypeError('keys must be an array');
    const key = toHex(item.key(...keys));
    const raw = await this.#rawStorage(key, await this.#hash(opts.at));
    const bytes = raw ?? check.fallback;
    if (bytes === undefined) return undefined as V;
    return decodeExact(item.value.codec, bytes, `${item.pallet}.${item.name}`);
  }

  /**
   * Calls a runtime API method declared in chain-types (args and result in our value form).
   * RPC: state_call.
   * @example
   * await client.runtimeApi('SwapRuntimeApi', 'current_alpha_price', [1]); // 1_000_000_000n
   */
  async runtimeApi<T = unknown>(
    api: string,
    method: string,
    args: readonly unknown[],
    opts: ReadOptions = {},
  ): Promise<T> {
    this.#require(this.compat.api(api, method));
    const def = this.compat.ourApi(api, method);
    if (!def) throw new ChainTypeMismatchError(`api:${api}.${method}`, ['not declared']);
    if (!Array.isArray(args) || args.length !== def.inputs.length)
      throw new TypeError(`${api}.${method} takes ${def.inputs.length} arguments`);
    const input = concatBytes(...def.inputs.map((inp, i) => inp.shape.enc(args[i] as never)));
    const hash = await this.#hash(opts.at);
    const out = await this.#rpc<string>('state_call', [`${api}_${method}`, toHex(input), hash]);
    if (typeof out !== 'string' || !isHex(out))
      throw new RpcFailedError('state_call', `${api}_${method} returned no hex`);
    return decodeExact((def.output as AnyShape).codec, fromHex(out), `${api}.${method}`) as T;
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** The best block's number. RPC: chainHead_v1_follow. */
  async getCurrentBlock(): Promise<number> {
    return (await this.block('best')).number;
  }

  /** Free balance in rao. */
  async getBalance(account: AccountLike, opts: ReadOptions = {}): Promise<bigint> {
    const info = (await this.query(
      SDK_STORAGE.Account,
      [accountBytes(account)],
      opts,
    )) as AccountInfo;
    return info.data.free;
  }

  /** `Balances.ExistentialDeposit` in rao. */
  getExistentialDeposit(): bigint {
    const c = this.#require(
      this.compat.constant('Balances', 'ExistentialDeposit', u64 as AnyShape),
    );
    return decodeExact(u64.codec, c.value ?? new Uint8Array(), 'ExistentialDeposit');
  }

  /** Every subnet's pool and emission state (`get_all_dynamic_info`). */
  async getSubnets(opts: ReadOptions = {}): Promise<DynamicInfo[]> {
    const all = await this.runtimeApi<(DynamicInfo | undefined)[]>(
      'SubnetInfoRuntimeApi',
      'get_all_dynamic_info',
      [],
      opts,
    );
    return all.filter((d): d is DynamicInfo => d !== undefined);
  }

  /** Existing netuids, ascending. */
  async getNetuids(opts: ReadOptions = {}): Promise<number[]> {
    return (await this.getSubnets(opts)).map((d) => d.netuid).sort((a, b) => a - b);
  }

  /** One subnet's dynamic info (undefined when it does not exist). */
  getDynamicInfo(netuid: number, opts: ReadOptions = {}): Promise<DynamicInfo | undefined> {
    return this.runtimeApi('SubnetInfoRuntimeApi', 'get_dynamic_info', [netuidOf(netuid)], opts);
  }

  /** Hyperparameters (`get_subnet_hyperparams_v2`; undefined when the subnet does not exist). */
  getSubnetHyperparameters(
    netuid: number,
    opts: ReadOptions = {},
  ): Promise<SubnetHyperparamsV2 | undefined> {
    return this.runtimeApi(
      'SubnetInfoRuntimeApi',
      'get_subnet_hyperparams_v2',
      [netuidOf(netuid)],
      opts,
    );
  }

  /** The uid of `hotkey` on `netuid`, if registered. */
  async getUidForHotkey(
    netuid: number,
    hotkey: AccountLike,
    opts: ReadOptions = {},
  ): Promise<number | undefined> {
    return this.query(SDK_STORAGE.Uids, [netuidOf(netuid), accountBytes(hotkey, 'hotkey')], opts);
  }

  /** Number of uids on a subnet. */
  getSubnetworkN(netuid: number, opts: ReadOptions = {}): Promise<number> {
    return this.query(SDK_STORAGE.SubnetworkN, [netuidOf(netuid)], opts);
  }

  /** Whether hash-based commit-reveal is on for `netuid`. */
  commitRevealEnabled(netuid: number, opts: ReadOptions = {}): Promise<boolean> {
    return this.query(SDK_STORAGE.CommitRevealWeightsEnabled, [netuidOf(netuid)], opts);
  }

  /** `WeightsSetRateLimit` of a subnet, in blocks. */
  weightsRateLimit(netuid: number, opts: ReadOptions = {}): Promise<bigint> {
    return this.query(SDK_STORAGE.WeightsSetRateLimit, [netuidOf(netuid)], opts);
  }

  /**
   * Current block − `LastUpdate[netuid_index][uid]` (undefined for a uid without an entry).
   */
  async blocksSinceLastUpdate(
    netuid: number,
    uid: number,
    opts: ReadOptions & { mechid?: number } = {},
  ): Promise<number | undefined> {
    u16Of(uid, 'uid');
    const index = storageIndex(netuidOf(netuid), opts.mechid ?? 0);
    const at = await this.block(opts.at);
    const last = await this.query(SDK_STORAGE.LastUpdate, [index], { at: at.hash });
    const v = last[uid];
    return v === undefined ? undefined : at.number - Number(v);
  }

  /** Alpha staked by `coldkey` on `hotkey` in `netuid`. */
  async getStake(
    p: { coldkey: AccountLike; hotkey: AccountLike; netuid: number },
    opts: ReadOptions = {},
  ): Promise<bigint> {
    const info = await this.runtimeApi<StakeInfo | undefined>(
      'StakeInfoRuntimeApi',
      'get_stake_info_for_hotkey_coldkey_netuid',
      [accountBytes(p.hotkey, 'hotkey'), accountBytes(p.coldkey, 'coldkey'), netuidOf(p.netuid)],
      opts,
    );
    return info?.stake ?? 0n;
  }

  /** Spot alpha price of a subnet, rao per alpha ×1e9 (`current_alpha_price`). */
  alphaPrice(netuid: number, opts: ReadOptions = {}): Promise<bigint> {
    return this.runtimeApi('SwapRuntimeApi', 'current_alpha_price', [netuidOf(netuid)], opts);
  }

  /** What staking `amount` rao into `netuid` would yield now (`sim_swap_tao_for_alpha`). */
  previewAddStake(netuid: number, amount: bigint, opts: ReadOptions = {}): Promise<StakePreview> {
    return this.#previewSwap(netuid, amount, 'sim_swap_tao_for_alpha', opts);
  }

  /** What unstaking `amount` alpha from `netuid` would pay now (`sim_swap_alpha_for_tao`). */
  previewRemoveStake(
    netuid: number,
    amount: bigint,
    opts: ReadOptions = {},
  ): Promise<StakePreview> {
    return this.#previewSwap(netuid, amount, 'sim_swap_alpha_for_tao', opts);
  }

  /** A simulated swap of `amount` compared with what the spot price alone would give. */
  async #previewSwap(
    netuid: number,
    amount: bigint,
    method: 'sim_swap_tao_for_alpha' | 'sim_swap_alpha_for_tao',
    opts: ReadOptions,
  ): Promise<StakePreview> {
    amountOf(amount);
    const at = await this.#hash(opts.at);
    const [price, sim] = await Promise.all([
      this.alphaPrice(netuid, { at }),
      this.runtimeApi<SimSwapResult>('SwapRuntimeApi', method, [netuidOf(netuid), amount], { at }),
    ]);
    let ideal: bigint;
    let amountOut: bigint;
    if (method === 'sim_swap_tao_for_alpha') {
      ideal = price === 0n ? 0n : (amount * PRICE_SCALE) / price;
      amountOut = sim.alpha_amount;
    } else {
      ideal = (amount * price) / PRICE_SCALE;
      amountOut = sim.tao_amount;
    }
    return { price, sim, amountOut, slippage: ideal === 0n ? 0 : 1 - ratio(amountOut, ideal) };
  }

  /** Whether subnet `netuid` exists (`NetworksAdded`). */
  async subnetExists(netuid: number, opts: ReadOptions = {}): Promise<boolean> {
    return this.query(SDK_STORAGE.NetworksAdded, [netuidOf(netuid)], opts);
  }

  /** Every subnet's spot alpha price (rao per alpha ×1e9) by netuid (`current_alpha_price_all`). */
  async getAlphaPrices(opts: ReadOptions = {}): Promise<Map<number, bigint>> {
    const all = await this.runtimeApi<SubnetPrice[]>(
      'SwapRuntimeApi',
      'current_alpha_price_all',
      [],
      opts,
    );
    return new Map(all.map((p) => [p.netuid, p.price]));
  }

  /**
   * The origin/destination price ratio a `swap_stake_limit` compares its limit with
   * (`price(origin) · 1e9 / price(destination)`; 0 when the destination has no price).
   */
  async swapPriceRatio(
    originNetuid: number,
    destinationNetuid: number,
    opts: ReadOptions = {},
  ): Promise<bigint> {
    const at = await this.#hash(opts.at);
    const [origin, destination] = await Promise.all([
      this.alphaPrice(netuidOf(originNetuid, 'originNetuid'), { at }),
      this.alphaPrice(netuidOf(destinationNetuid, 'destinationNetuid'), { at }),
    ]);
    return destination === 0n ? 0n : (origin * PRICE_SCALE) / destination;
  }

  /** Every stake position of a coldkey (`get_stake_info_for_coldkey`). */
  async getStakeInfoForColdkey(coldkey: AccountLike, opts: ReadOptions = {}): Promise<StakeInfo[]> {
    return this.runtimeApi(
      'StakeInfoRuntimeApi',
      'get_stake_info_for_coldkey',
      [accountBytes(coldkey, 'coldkey')],
      opts,
    );
  }

  /**
   * Every stake position of several coldkeys in one call (`get_stake_info_for_coldkeys`), keyed
   * by the coldkeys' SS58 addresses on this chain.
   */
  async getStakeInfoForColdkeys(
    coldkeys: readonly AccountLike[],
    opts: ReadOptions = {},
  ): Promise<Map<string, StakeInfo[]>> {
    if (!Array.isArray(coldkeys)) throw new TypeError('coldkeys must be an array');
    if (coldkeys.length > MAX_COLDKEYS_PER_QUERY)
      throw new RangeError(`at most ${MAX_COLDKEYS_PER_QUERY} coldkeys per call`);
    const keys = coldkeys.map((k, i) => accountBytes(k, `coldkeys[${i}]`));
    const r = await this.runtimeApi<[Uint8Array, StakeInfo[]][]>(
      'StakeInfoRuntimeApi',
      'get_stake_info_for_coldkeys',
      [keys],
      opts,
    );
    return new Map(r.map(([k, v]) => [this.address(k), v]));
  }

  /** What registering a new subnet locks now, in rao (`get_network_registration_cost`). */
  async getNetworkRegistrationCost(opts: ReadOptions = {}): Promise<bigint> {
    return this.runtimeApi(
      'SubnetRegistrationRuntimeApi',
      'get_network_registration_cost',
      [],
      opts,
    );
  }

  /** What registering a neuron on `netuid` burns now, in rao (`Burn`). */
  async getNeuronRegistrationCost(netuid: number, opts: ReadOptions = {}): Promise<bigint> {
    return this.query(SDK_STORAGE.Burn, [netuidOf(netuid)], opts);
  }

  /** A hotkey's delegate take as a u16 fraction of 65535 (`Delegates`; the default if unset). */
  async getDelegateTake(hotkey: AccountLike, opts: ReadOptions = {}): Promise<number> {
    return this.query(SDK_STORAGE.Delegates, [accountBytes(hotkey, 'hotkey')], opts);
  }

  /** The chain's sudo key (`Sudo.Key`), if it has one. */
  async getSudoKey(opts: ReadOptions = {}): Promise<Uint8Array | undefined> {
    return this.query(SDK_STORAGE.SudoKey, [], opts);
  }

  /** The coldkey owning `netuid` (`SubnetOwner`); undefined when the subnet does not exist. */
  async getSubnetOwner(netuid: number, opts: ReadOptions = {}): Promise<Uint8Array | undefined> {
    const n = netuidOf(netuid);
    const at = await this.#hash(opts.at);
    const [exists, owner] = await Promise.all([
      this.subnetExists(n, { at }),
      this.query(SDK_STORAGE.SubnetOwner, [n], { at }),
    ]);
    return exists ? owner : undefined;
  }

  /** The block's events (`System.Events`), decoded. */
  async getEvents(opts: ReadOptions = {}): Promise<ChainEvent[]> {
    const raw = await this.#rawStorage(toHex(SystemEvents.key()), await this.#hash(opts.at));
    return raw ? this.#events.decode(raw) : [];
  }

  // ---- extrinsics -----------------------------------------------------------------------------

  #encodeCall(pallet: string, name: string, args: unknown): Uint8Array {
    const check = this.#require(this.compat.call(pallet, name));
    const ours = this.compat.ourCallEnum(pallet) as AnyShape;
    return concatBytes(new Uint8Array([check.palletIndex]), ours.enc({ type: name, value: args }));
  }

  /** Encodes `pallet.name(args)` (checked against the node) and signs and submits it. */
  #call(
    pallet: string,
    name: string,
    args: unknown,
    signer: Signer,
    o: ExtrinsicOptions,
  ): Promise<ExtrinsicResult> {
    return this.#submit(this.#encodeCall(pallet, name, args), signer, o);
  }

  async #nonce(who: Uint8Array): Promise<number | undefined> {
    try {
      const n = await this.#papi._request<number>('system_accountNextIndex', [this.address(who)]);
      return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
    } catch {
      return undefined; // papi then reads the nonce itself (AccountNonceApi)
    }
  }

  /** Signs, submits and waits; decodes the extrinsic's events and its dispatch error. */
  async #submit(
    callBytes: Uint8Array,
    signerIn: Signer,
    o: ExtrinsicOptions = {},
  ): Promise<ExtrinsicResult> {
    this.#live();
    const signer = signerOf(signerIn);
    if (typeof o !== 'object' || o === null) throw new TypeError('options must be an object');
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
    const waitFor = o.waitFor ?? 'inclusion';
    if (waitFor !== 'inclusion' && waitFor !== 'finalization')
      throw new RangeError("waitFor must be 'inclusion' or 'finalization'");
    const period = o.period ?? DEFAULT_PERIOD;
    if (!Number.isInteger(period) || period < 0 || period > 65_536)
      throw new RangeError('period must be an integer in 0..65536');
    const timeoutMs = o.timeoutMs ?? 120_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new RangeError('timeoutMs must be > 0');
    if (o.tip !== undefined && (typeof o.tip !== 'bigint' || o.tip < 0n || o.tip > U64_MAX))
      throw new RangeError('tip must be a u64 bigint');
    if (
      o.nonce !== undefined &&
      (!Number.isInteger(o.nonce) || o.nonce < 0 || o.nonce > 0xffffffff)
    )
      throw new RangeError('nonce must be a u32 integer');

    let tx: Awaited<ReturnType<ReturnType<PolkadotClient['getUnsafeApi']>['txFromCallData']>>;
    try {
      tx = await this.#papi.getUnsafeApi().txFromCallData(callBytes);
    } catch (err) {
      throw new RpcFailedError('txFromCallData', (err as Error)?.message ?? String(err), err);
    }
    const nonce = o.nonce ?? (await this.#nonce(signer.publicKey));
    const papiSigner = getPolkadotSigner(
      signer.publicKey,
      signer.type === 'ed25519' ? 'Ed25519' : 'Sr25519',
      (m) => signer.sign(m),
    );
    const txOptions = {
      mortality: period === 0 ? { mortal: false as const } : { mortal: true as const, period },
      ...(nonce !== undefined ? { nonce } : {}),
      ...(o.tip !== undefined ? { tip: o.tip } : {}),
    };
    let unsubscribe: (() => void) | undefined;
    let txHash = '0x' as HexString;
    const included = new Promise<{ hash: string; number: number; index: number }>(
      (resolve, reject) => {
        let done = false;
        const sub = tx.signSubmitAndWatch(papiSigner, txOptions).subscribe({
          next: (ev) => {
            if (done) return;
            if (ev.type === 'signed') txHash = ev.txHash as HexString;
            const found =
              (ev.type === 'txBestBlocksState' && ev.found && waitFor === 'inclusion') ||
              ev.type === 'finalized';
            if (found) {
              done = true;
              resolve((ev as { block: { hash: string; number: number; index: number } }).block);
              queueMicrotask(() => unsubscribe?.());
            }
          },
          error: (err: unknown) => {
            if (done) return;
            done = true;
            const e = err as { name?: string; error?: unknown; message?: string };
            if (e?.name === 'InvalidTxError' || e?.error !== undefined)
              reject(new TransactionInvalidError(describeInvalid(e.error), err));
            else reject(new RpcFailedError('transaction', e?.message ?? String(err), err));
          },
        });
        unsubscribe = () => sub.unsubscribe();
        if (done) queueMicrotask(() => sub.unsubscribe());
      },
    );
    const block = await deadline(included, timeoutMs, `waiting for ${waitFor}`, o.signal, () =>
      unsubscribe?.(),
    );
    const all = await this.getEvents({ at: block.hash as HexString });
    const events = all.filter(
      (e) => e.phase?.type === 'ApplyExtrinsic' && e.phase.value === block.index,
    );
    const location = {
      blockHash: block.hash as HexString,
      blockNumber: block.number,
      extrinsicIndex: block.index,
      txHash,
    };
    let fee: bigint | undefined;
    let failed: ChainEvent | undefined;
    for (const e of events) {
      const ev = e.event;
      if (ev?.type === 'TransactionPayment' && ev.value.type === 'TransactionFeePaid')
        fee = ev.value.value.actual_fee;
      if (e.pallet === 'System' && e.name === 'ExtrinsicFailed') failed = e;
    }
    const base = { ...location, events, fee };
    if (!failed) return { ok: true, ...base };
    let dispatchError: DispatchError | undefined;
    const ev = failed.event;
    if (ev?.type === 'System' && ev.value.type === 'ExtrinsicFailed')
      dispatchError = ev.value.value.dispatch_error;
    const decoded = dispatchError
      ? describeDispatchError(dispatchError, (p, i) => this.compat.moduleError(p, i))
      : { code: 'UnknownDispatchError', qualifiedName: 'UnknownDispatchError' };
    const error = new ExtrinsicFailedError(decoded, dispatchError, location);
    if (o.raiseError) throw error;
    return { ok: false, ...base, error };
  }

  /**
   * Signs and submits any call chain-types declares (checked against the node on first use).
   * @example
   * await client.submit({ signer: alice, call: { type: 'System', value: { type: 'remark', value: { remark: new Uint8Array() } } } });
   */
  async submit(p: SubmitParameters, o: ExtrinsicOptions = {}): Promise<ExtrinsicResult> {
    const call = p?.call as { type?: unknown; value?: { type?: unknown; value?: unknown } };
    if (typeof call?.type !== 'string' || typeof call.value?.type !== 'string')
      throw new TypeError('call must be { type: pallet, value: { type: call, value: args } }');
    return this.#call(call.type, call.value.type, call.value.value, p.signer, o);
  }

  /**
   * Sends TAO: `Balances.transfer_keep_alive` (default), `transfer_allow_death` or `transfer_all`.
   * @example
   * await client.transfer({ signer: alice, dest: bobAddress, amount: 10n ** 9n });
   */
  async transfer(p: TransferParameters, o: ExtrinsicOptions = {}): Promise<TransferReturnType> {
    const dest = { type: 'Id', value: accountBytes(p?.dest, 'dest') };
    const keepAlive = p.keepAlive ?? true;
    if (typeof keepAlive !== 'boolean') throw new TypeError('keepAlive must be a boolean');
    if (p.all === true)
      return this.#call('Balances', 'transfer_all', { dest, keep_alive: keepAlive }, p.signer, o);
    const value = amountOf(p.amount);
    return this.#call(
      'Balances',
      keepAlive ? 'transfer_keep_alive' : 'transfer_allow_death',
      {
        dest,
        value,
      },
      p.signer,
      o,
    );
  }

  /**
   * Registers `hotkey` on `netuid` by burning the registration cost from the signing coldkey.
   * @example
   * await client.burnedRegister({ signer: coldkey, netuid: 1, hotkey: hotkeyAddress });
   */
  async burnedRegister(
    p: BurnedRegisterParameters,
    o: ExtrinsicOptions = {},
  ): Promise<BurnedRegisterReturnType> {
    const args = { netuid: netuidOf(p?.netuid), hotkey: accountBytes(p.hotkey, 'hotkey') };
    return this.#call('SubtensorModule', 'burned_register', args, p.signer, o);
  }

  /**
   * Publishes the axon endpoint of the signing hotkey; skipped when the chain already has it.
   * @example
   * await client.serveAxon({ signer: hotkey, netuid: 1, ip: '203.0.113.7', port: 8091 });
   */
  async serveAxon(p: ServeAxonParameters, o: ExtrinsicOptions = {}): Promise<ServeAxonReturnType> {
    const netuid = netuidOf(p?.netuid);
    const { ip, ipType } = parseIp(p.ip);
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65_535)
      throw new RangeError(`port must be an integer in 1..65535, got ${String(p.port)}`);
    const version = p.version ?? VERSION_AS_INT;
    if (!Number.isInteger(version) || version < 0 || version > 0xffffffff)
      throw new RangeError('version must be a u32');
    const args = {
      netuid,
      version,
      ip,
      port: p.port,
      ip_type: ipType,
      protocol: u8Of(p.protocol ?? 4, 'protocol'),
      placeholder1: u8Of(p.placeholder1 ?? 0, 'placeholder1'),
      placeholder2: u8Of(p.placeholder2 ?? 0, 'placeholder2'),
    };
    const signer = signerOf(p.signer);
    if (!p.force) {
      const current = (await this.query(SDK_STORAGE.Axons, [netuid, signer.publicKey])) as
        | AxonInfo
        | undefined;
      if (
        current &&
        current.ip === args.ip &&
        current.port === args.port &&
        current.ip_type === args.ip_type &&
        current.protocol === args.protocol &&
        current.version === args.version &&
        current.placeholder1 === args.placeholder1 &&
        current.placeholder2 === args.placeholder2
      )
        return { ok: true, skipped: true };
    }
    return this.#call('SubtensorModule', 'serve_axon', args, signer, o);
  }

  /**
   * Converts weights and checks what can be checked before submitting, including that the subnet
   * does (`commitReveal`) or does not use commit-reveal.
   */
  async #prepareWeights(p: SetWeightsParameters, commitReveal: boolean) {
    const at = await this.#hash('best');
    if (typeof p !== 'object' || p === null) throw new TypeError('expected parameters');
    const netuid = netuidOf(p.netuid);
    const mechid = p.mechid ?? 0;
    storageIndex(netuid, mechid);
    const versionKey = versionKeyOf(p.versionKey ?? VERSION_AS_INT);
    const converted = convertWeightsAndUidsForEmit(
      p.uids,
      p.weights,
      p.dtype !== undefined ? { dtype: p.dtype } : {},
    );
    const signer = signerOf(p.signer);
    const [n, uid, crEnabled] = await Promise.all([
      this.getSubnetworkN(netuid, { at }),
      this.getUidForHotkey(netuid, signer.publicKey, { at }),
      this.commitRevealEnabled(netuid, { at }),
    ]);
    for (const u of converted.uids)
      if (u >= n) throw new RangeError(`uid ${u} is out of range: subnet ${netuid} has ${n} uids`);
    if (uid === undefined)
      throw new PreconditionError(
        'HOTKEY_NOT_REGISTERED',
        `hotkey ${this.address(signer.publicKey)} is not registered on subnet ${netuid}`,
      );
    if (crEnabled && !commitReveal)
      throw new PreconditionError(
        'COMMIT_REVEAL_ENABLED',
        `subnet ${netuid} uses commit-reveal; use commitWeights and revealWeights`,
      );
    if (!crEnabled && commitReveal)
      throw new PreconditionError(
        'COMMIT_REVEAL_DISABLED',
        `subnet ${netuid} does not use commit-reveal; use setWeights`,
      );
    return { netuid, mechid, versionKey, signer, ...converted };
  }

  /**
   * Sets weights (`set_mechanism_weights`) from floats converted exactly as the Python SDK does.
   * Refused with `COMMIT_REVEAL_ENABLED` when the subnet requires commit-reveal.
   * @example
   * await client.setWeights({ signer: hotkey, netuid: 1, uids: [0, 1], weights: [0.3, 0.7] });
   */
  async setWeights(
    p: SetWeightsParameters,
    o: ExtrinsicOptions = {},
  ): Promise<SetWeightsReturnType> {
    const w = await this.#prepareWeights(p, false);
    const r = await this.#hotkeySubmit(
      this.#encodeCall('SubtensorModule', 'set_mechanism_weights', {
        netuid: w.netuid,
        mecid: w.mechid,
        dests: w.uids,
        weights: w.weights,
        version_key: w.versionKey,
      }),
      w.signer,
      o,
    );
    return { ...r, uids: w.uids, values: w.weights };
  }

  /**
   * Commits weights (`commit_mechanism_weights`): the salt and values are saved to the commit
   * store (0600) before submitting, and kept until {@link revealWeights} succeeds.
   * @example
   * const { commitHash } = await client.commitWeights({ signer: hotkey, netuid: 1, uids: [0], weights: [1] });
   */
  async commitWeights(
    p: CommitWeightsParameters,
    o: ExtrinsicOptions = {},
  ): Promise<CommitWeightsReturnType> {
    const w = await this.#prepareWeights(p, true);
    const salt = p.salt ?? randomSalt();
    const hotkey = this.address(w.signer.publicKey);
    const hash = computeCommitHash({
      hotkey: w.signer.publicKey,
      netuid: w.netuid,
      mechid: w.mechid,
      uids: w.uids,
      values: w.weights,
      salt,
      versionKey: w.versionKey,
    });
    const call = this.#encodeCall('SubtensorModule', 'commit_mechanism_weights', {
      netuid: w.netuid,
      mecid: w.mechid,
      commit_hash: fromHex(hash),
    });
    const store = await this.commitStore();
    await store.save({
      hotkey,
      netuid: w.netuid,
      mechid: w.mechid,
      commitHash: hash,
      uids: w.uids,
      values: w.weights,
      salt,
      versionKey: w.versionKey,
      genesisHash: this.genesisHash,
      block: 0,
    });
    let r: ExtrinsicResult;
    try {
      r = await this.#hotkeySubmit(call, w.signer, { ...o, raiseError: false });
    } catch (err) {
      await store.remove(hotkey, this.genesisHash, hash);
      throw err;
    }
    if (r.ok) await store.setBlock(hotkey, this.genesisHash, hash, r.blockNumber);
    else await store.remove(hotkey, this.genesisHash, hash);
    if (!r.ok && o.raiseError) throw r.error;
    return { ...r, commitHash: hash, salt, uids: w.uids, values: w.weights };
  }

  /**
   * Reveals weights (`reveal_mechanism_weights`): a stored commit (the oldest of this subnet and
   * mechanism, or `commitHash`), forgotten once revealed; or, with `explicit`, the committed uids,
   * float weights and salt given again (converted as at commit time), dropping a stored copy of
   * that commit if this machine has one.
   * @example
   * await client.revealWeights({ signer: hotkey, netuid: 1 });
   * await client.revealWeights({ signer: hotkey, netuid: 1, explicit: { uids: [0], weights: [1], salt: [1, 2] } });
   */
  async revealWeights(
    p: RevealWeightsParameters,
    o: ExtrinsicOptions = {},
  ): Promise<RevealWeightsReturnType> {
    if (typeof p !== 'object' || p === null) throw new TypeError('expected parameters');
    const signer = signerOf(p.signer);
    const netuid = netuidOf(p.netuid);
    const mechid = p.mechid ?? 0;
    storageIndex(netuid, mechid);
    let commit: PendingCommit;
    let store: CommitStore | undefined;
    if (p.explicit !== undefined) {
      if (p.commitHash !== undefined)
        throw new TypeError('pass commitHash or explicit weights, not both');
      commit = this.#explicitCommit(signer, netuid, mechid, p.explicit);
      // The store is optional here (a browser may have none): it may hold a copy to drop.
      store = await this.commitStore().catch(() => undefined);
      const hash = commit.commitHash;
      const stored = (await store?.list(signer.publicKey))?.find(
        (c) => c.genesisHash === this.genesisHash && c.commitHash === hash,
      );
      if (stored) commit = stored;
    } else {
      store = await this.commitStore();
      const pending = (await store.list(signer.publicKey)).filter(
        (c) =>
          c.genesisHash === this.genesisHash &&
          c.netuid === netuid &&
          c.mechid === mechid &&
          (p.commitHash === undefined || c.commitHash === p.commitHash),
      );
      const found = pending[0];
      if (!found)
        throw new PreconditionError(
          'NO_PENDING_COMMIT',
          `no stored commit for ${this.address(signer.publicKey)} on subnet ${netuid} (mechanism ${mechid})`,
        );
      commit = found;
    }
    const r = await this.#hotkeySubmit(
      this.#encodeCall('SubtensorModule', 'reveal_mechanism_weights', {
        netuid,
        mecid: mechid,
        uids: commit.uids,
        values: commit.values,
        salt: commit.salt,
        version_key: commit.versionKey,
      }),
      signer,
      { ...o, raiseError: false },
    );
    if (store && (r.ok || r.error.code === 'ExpiredWeightCommit'))
      await store.remove(commit.hotkey, commit.genesisHash, commit.commitHash);
    if (!r.ok && o.raiseError) throw r.error;
    return { ...r, commit };
  }

  /** The commit that explicit reveal values stand for (checked, converted, hashed). */
  #explicitCommit(
    signer: Signer,
    netuid: number,
    mechid: number,
    e: NonNullable<RevealWeightsParameters['explicit']>,
  ): PendingCommit {
    if (typeof e !== 'object' || e === null) throw new TypeError('explicit must be an object');
    const { uids, weights } = convertWeightsAndUidsForEmit(
      e.uids,
      e.weights,
      e.dtype !== undefined ? { dtype: e.dtype } : {},
    );
    if (!Array.isArray(e.salt)) throw new TypeError('explicit.salt must be an array of u16');
    if (e.salt.length > MAX_COMMIT_VECTOR_LENGTH)
      throw new RangeError(`explicit.salt has more than ${MAX_COMMIT_VECTOR_LENGTH} values`);
    const salt = e.salt.map((x, i) => u16Of(x, `explicit.salt[${i}]`));
    const versionKey = versionKeyOf(e.versionKey ?? VERSION_AS_INT);
    const commitHash = computeCommitHash({
      hotkey: signer.publicKey,
      netuid,
      mechid,
      uids,
      values: weights,
      salt,
      versionKey,
    });
    return {
      hotkey: this.address(signer.publicKey),
      netuid,
      mechid,
      commitHash,
      uids,
      values: weights,
      salt,
      versionKey,
      genesisHash: this.genesisHash,
      block: 0,
    };
  }

  /**
   * `#submit` for hotkey-signed calls: the pool's `Invalid.Payment` (the hotkey's account holds
   * nothing to pay with) becomes a PreconditionError saying so.
   */
  async #hotkeySubmit(
    call: Uint8Array,
    signer: Signer,
    o: ExtrinsicOptions,
  ): Promise<ExtrinsicResult> {
    try {
      return await this.#submit(call, signer, o);
    } catch (err) {
      if (!(err instanceof TransactionInvalidError) || !/Payment/.test(err.shortMessage)) throw err;
      const who = this.address(signer.publicKey);
      const free = await this.getBalance(signer.publicKey).catch(() => undefined);
      const has =
        free === undefined || free === 0n
          ? 'its account holds no balance'
          : `its free balance (${free} rao) does not cover the fee`;
      throw new PreconditionError(
        'HOTKEY_CANNOT_PAY',
        `hotkey ${who} cannot pay for the transaction: ${has} (the pool answered Invalid.Payment); transfer some TAO to it first`,
        undefined,
        err,
      );
    }
  }

  /** The limit price of `limit`: its explicit price, or `current()` moved by its tolerance. */
  async #limitPrice(
    limit: StakeLimit,
    sign: 1 | -1,
    current: () => Promise<bigint>,
  ): Promise<bigint> {
    if (typeof limit !== 'object' || limit === null) throw new TypeError('limit must be an object');
    if (limit.allowPartial !== undefined && typeof limit.allowPartial !== 'boolean')
      throw new TypeError('limit.allowPartial must be a boolean');
    if (limit.price !== undefined) {
      if (limit.tolerance !== undefined)
        throw new TypeError('limit takes a price or a tolerance, not both');
      if (typeof limit.price !== 'bigint' || limit.price < 0n || limit.price > U64_MAX)
        throw new RangeError('limit.price must be a u64 bigint');
      return limit.price;
    }
    const tol = toleranceOf(limit.tolerance ?? DEFAULT_RATE_TOLERANCE, sign === 1 ? 100 : 1);
    return applyTolerance(await current(), tol, sign);
  }

  /**
   * Stakes `amount` rao to `hotkey` on `netuid`; with `limit`, `add_stake_limit` at
   * `price · (1 + tolerance)` (or the given price).
   * @example
   * await client.addStake({ signer: coldkey, hotkey, netuid: 1, amount: 10n ** 9n, limit: { tolerance: 0.01 } });
   */
  async addStake(p: AddStakeParameters, o: ExtrinsicOptions = {}): Promise<AddStakeReturnType> {
    const netuid = netuidOf(p?.netuid);
    const args = {
      hotkey: accountBytes(p.hotkey, 'hotkey'),
      netuid,
      amount_staked: amountOf(p.amount),
    };
    return this.#stake('add_stake', args, p.limit, 1, () => this.alphaPrice(netuid), p.signer, o);
  }

  /**
   * Unstakes `amount` alpha; with `limit`, `remove_stake_limit` at `price · (1 − tolerance)`.
   * @example
   * await client.removeStake({ signer: coldkey, hotkey, netuid: 1, amount: 5n * 10n ** 8n, limit: {} });
   */
  async removeStake(
    p: RemoveStakeParameters,
    o: ExtrinsicOptions = {},
  ): Promise<RemoveStakeReturnType> {
    const netuid = netuidOf(p?.netuid);
    const args = {
      hotkey: accountBytes(p.hotkey, 'hotkey'),
      netuid,
      amount_unstaked: amountOf(p.amount),
    };
    return this.#stake(
      'remove_stake',
      args,
      p.limit,
      -1,
      () => this.alphaPrice(netuid),
      p.signer,
      o,
    );
  }

  /** Moves alpha between hotkeys and/or subnets (`move_stake`). */
  async moveStake(p: MoveStakeParameters, o: ExtrinsicOptions = {}): Promise<MoveStakeReturnType> {
    const args = {
      origin_hotkey: accountBytes(p?.originHotkey, 'originHotkey'),
      destination_hotkey: accountBytes(p.destinationHotkey, 'destinationHotkey'),
      origin_netuid: netuidOf(p.originNetuid, 'originNetuid'),
      destination_netuid: netuidOf(p.destinationNetuid, 'destinationNetuid'),
      alpha_amount: amountOf(p.amount),
    };
    return this.#call('SubtensorModule', 'move_stake', args, p.signer, o);
  }

  /** Gives alpha to another coldkey (`transfer_stake`). */
  async transferStake(
    p: TransferStakeParameters,
    o: ExtrinsicOptions = {},
  ): Promise<TransferStakeReturnType> {
    const args = {
      destination_coldkey: accountBytes(p?.destinationColdkey, 'destinationColdkey'),
      hotkey: accountBytes(p.hotkey, 'hotkey'),
      origin_netuid: netuidOf(p.originNetuid, 'originNetuid'),
      destination_netuid: netuidOf(p.destinationNetuid, 'destinationNetuid'),
      alpha_amount: amountOf(p.amount),
    };
    return this.#call('SubtensorModule', 'transfer_stake', args, p.signer, o);
  }

  /**
   * Swaps alpha of one hotkey from one subnet to another (`swap_stake`; the chain caps `amount`
   * at the stake held); with `limit`,
   * `swap_stake_limit` with a lowest origin/destination price ratio of `ratio · (1 − tolerance)`
   * (or the given ratio).
   * @example
   * await client.swapStake({ signer: coldkey, hotkey, originNetuid: 1, destinationNetuid: 2, amount: 10n ** 9n, limit: { tolerance: 0.01 } });
   */
  async swapStake(p: SwapStakeParameters, o: ExtrinsicOptions = {}): Promise<SwapStakeReturnType> {
    const hotkey = accountBytes(p?.hotkey, 'hotkey');
    const origin = netuidOf(p.originNetuid, 'originNetuid');
    const destination = netuidOf(p.destinationNetuid, 'destinationNetuid');
    if (origin === destination)
      throw new RangeError(
        'originNetuid and destinationNetuid must differ (moveStake moves within a subnet)',
      );
    const args = {
      hotkey,
      origin_netuid: origin,
      destination_netuid: destination,
      alpha_amount: amountOf(p.amount),
    };
    const priceRatio = () => this.swapPriceRatio(origin, destination);
    return this.#stake('swap_stake', args, p.limit, -1, priceRatio, p.signer, o);
  }

  /**
   * Submits `SubtensorModule.<call>(args)`, or with `limit` `<call>_limit` with the limit price
   * (see {@link #limitPrice}) and `allow_partial` added.
   */
  async #stake(
    call: 'add_stake' | 'remove_stake' | 'swap_stake',
    args: Record<string, unknown>,
    limit: StakeLimit | undefined,
    sign: 1 | -1,
    current: () => Promise<bigint>,
    signer: Signer,
    o: ExtrinsicOptions,
  ): Promise<ExtrinsicResult & { limitPrice: bigint | undefined }> {
    if (limit === undefined) {
      const r = await this.#call('SubtensorModule', call, args, signer, o);
      return { ...r, limitPrice: undefined };
    }
    const limited = `${call}_limit` as const;
    // Refuse a node without the call before reading the price.
    this.#require(this.compat.call('SubtensorModule', limited));
    const limitPrice = await this.#limitPrice(limit, sign, current);
    const r = await this.#call(
      'SubtensorModule',
      limited,
      { ...args, limit_price: limitPrice, allow_partial: limit.allowPartial ?? false },
      signer,
      o,
    );
    return { ...r, limitPrice };
  }

  /**
   * Registers a new subnet owned by the signing coldkey with `hotkey` as owner hotkey
   * (`register_network`, or `register_network_with_identity` with an identity); resolves with the
   * new netuid (`NetworkAdded`) and the TAO locked for it.
   * @example
   * const { netuid, lockCost } = await client.registerNetwork({ signer: coldkey, hotkey, identity: { subnetName: 'apex' } });
   */
  async registerNetwork(
    p: RegisterNetworkParameters,
    o: ExtrinsicOptions = {},
  ): Promise<RegisterNetworkReturnType> {
    const hotkey = accountBytes(p?.hotkey, 'hotkey');
    const call =
      p.identity === undefined
        ? this.#encodeCall('SubtensorModule', 'register_network', { hotkey })
        : this.#encodeCall('SubtensorModule', 'register_network_with_identity', {
            hotkey,
            identity: identityOf(p.identity),
          });
    const r = await this.#submit(call, p.signer, o);
    if (!r.ok) return { ...r, netuid: undefined, lockCost: undefined };
    const ev = r.events.find((e) => e.pallet === 'SubtensorModule' && e.name === 'NetworkAdded');
    const added = ev?.event;
    const netuid =
      added?.type === 'SubtensorModule' && added.value.type === 'NetworkAdded'
        ? (added.value.value[0] as number)
        : undefined;
    const lockCost =
      netuid === undefined || !this.compat.storage(SDK_STORAGE.SubnetLocked).ok
        ? undefined
        : await this.query(SDK_STORAGE.SubnetLocked, [netuid], { at: r.blockHash });
    return { ...r, netuid, lockCost };
  }

  /**
   * Starts a subnet's emissions (`start_call`), signed by its owner's coldkey.
   * @example
   * await client.startCall({ signer: ownerColdkey, netuid: 2 });
   */
  async startCall(p: StartCallParameters, o: ExtrinsicOptions = {}): Promise<StartCallReturnType> {
    const netuid = netuidOf(p?.netuid);
    const r = await this.#call('SubtensorModule', 'start_call', { netuid }, p.signer, o);
    const ev = r.ok
      ? r.events.find(
          (e) => e.pallet === 'SubtensorModule' && e.name === 'FirstEmissionBlockNumberSet',
        )?.event
      : undefined;
    const firstEmissionBlock =
      ev?.type === 'SubtensorModule' && ev.value.type === 'FirstEmissionBlockNumberSet'
        ? (ev.value.value[1] as bigint)
        : undefined;
    return { ...r, firstEmissionBlock };
  }

  /**
   * Sets how the signing coldkey's root dividends are claimed (`set_root_claim_type`): swapped to
   * TAO (`Swap`), kept as alpha (`Keep`), or kept only on `netuids` (`KeepSubnets`).
   * @example
   * await client.setRootClaimType({ signer: coldkey, claimType: 'KeepSubnets', netuids: [1, 2] });
   */
  async setRootClaimType(
    p: SetRootClaimTypeParameters,
    o: ExtrinsicOptions = {},
  ): Promise<SetRootClaimTypeReturnType> {
    const type = p?.claimType;
    if (type !== 'Swap' && type !== 'Keep' && type !== 'KeepSubnets')
      throw new RangeError(`claimType must be Swap, Keep or KeepSubnets, got ${String(type)}`);
    let claimType: RootClaimTypeEnum;
    if (type === 'KeepSubnets') {
      if (p.netuids === undefined) throw new TypeError('KeepSubnets needs netuids');
      claimType = { type, value: { subnets: netuidSet(p.netuids, GLOBAL_MAX_SUBNET_COUNT) } };
    } else {
      if (p.netuids !== undefined) throw new TypeError('netuids go only with KeepSubnets');
      claimType = { type };
    }
    const r = await this.#call(
      'SubtensorModule',
      'set_root_claim_type',
      {
        new_root_claim_type: claimType,
      },
      p.signer,
      o,
    );
    return { ...r, claimType };
  }

  /**
   * Claims the signing coldkey's pending root dividends on 1 to 5 subnets now (`claim_root`).
   * @example
   * const { claimed } = await client.claimRoot({ signer: coldkey, netuids: [1, 2] });
   */
  async claimRoot(p: ClaimRootParameters, o: ExtrinsicOptions = {}): Promise<ClaimRootReturnType> {
    if (typeof p !== 'object' || p === null) throw new TypeError('expected parameters');
    const netuids = netuidSet(p.netuids, MAX_SUBNET_CLAIMS);
    if (netuids.length === 0) throw new RangeError('netuids must name at least one subnet');
    const r = await this.#call('SubtensorModule', 'claim_root', { subnets: netuids }, p.signer, o);
    const claimed = r.events.some(
      (e) => e.pallet === 'SubtensorModule' && e.name === 'RootClaimed',
    );
    return { ...r, netuids, claimed };
  }

  /**
   * Changes a hotkey's delegate take (u16 fraction of 65535), signed by its coldkey:
   * `increase_take` or `decrease_take` as the current take (`Delegates`) requires.
   * Refused with `TAKE_UNCHANGED` when the take already has that value.
   * @example
   * await client.setTake({ signer: coldkey, hotkey, take: 6553 }); // 10 %
   */
  async setTake(p: SetTakeParameters, o: ExtrinsicOptions = {}): Promise<SetTakeReturnType> {
    const hotkey = accountBytes(p?.hotkey, 'hotkey');
    const take = u16Of(p.take, 'take');
    const signer = signerOf(p.signer);
    const takeBefore = await this.getDelegateTake(hotkey);
    if (takeBefore === take)
      throw new PreconditionError(
        'TAKE_UNCHANGED',
        `the take of ${this.address(hotkey)} is already ${take}/65535`,
      );
    const call = take > takeBefore ? 'increase_take' : 'decrease_take';
    const r = await this.#call('SubtensorModule', call, { hotkey, take }, signer, o);
    return { ...r, takeBefore, take, call };
  }

  /**
   * Which AdminUtils setter `setHyperparameter` would send and how: directly as the subnet owner
   * (setters owners may call), or through `Sudo.sudo` as the sudo key. Checks the name, value and
   * netuid, and refuses (`NOT_SUDO`, `NOT_SUBNET_OWNER`) an account that may not set it.
   * RPC: state_getStorage (`Sudo.Key`, `SubnetOwner`).
   * @example
   * (await client.previewSetHyperparameter({ account: alice.publicKey, netuid: 1, name: 'tempo', value: 50 })).via; // 'sudo'
   */
  async previewSetHyperparameter(
    p: PreviewSetHyperparameterParameters,
    opts: ReadOptions = {},
  ): Promise<PreviewSetHyperparameterReturnType> {
    if (typeof p !== 'object' || p === null) throw new TypeError('expected parameters');
    const { name, param } = findHyperparameter(p.name);
    const args = hyperparameterArgs(param, p.value);
    if (param.subnet && p.netuid === undefined)
      throw new RangeError(`${name} is set per subnet: netuid is required`);
    if (!param.subnet && p.netuid !== undefined)
      throw new RangeError(`${name} is chain-wide: it takes no netuid`);
    const netuid = p.netuid === undefined ? undefined : netuidOf(p.netuid);
    const account = accountBytes(p.account, 'account');
    this.#require(this.compat.call('AdminUtils', param.call));
    const at = await this.#hash(opts.at);
    const [sudoKey, owner] = await Promise.all([
      this.getSudoKey({ at }),
      netuid === undefined ? undefined : this.getSubnetOwner(netuid, { at }),
    ]);
    const me = this.address(account);
    const isSudo = sudoKey !== undefined && bytesEqual(sudoKey, account);
    const isOwner = owner !== undefined && bytesEqual(owner, account);
    let via: HyperparameterOrigin;
    if (!param.root && isOwner) via = 'owner';
    else if (isSudo) via = 'sudo';
    else if (param.root)
      throw new PreconditionError(
        'NOT_SUDO',
        `${name} can only be set by root, and ${me} is not the sudo key (${param.call} needs Sudo.sudo)`,
      );
    else
      throw new PreconditionError(
        'NOT_SUBNET_OWNER',
        `${me} neither owns subnet ${netuid} nor is the sudo key, so it cannot set ${name}`,
      );
    return { name, param, call: `AdminUtils.${param.call}`, args, via };
  }

  /**
   * Sets a hyperparameter with its AdminUtils setter (see {@link HYPERPARAMETERS}): signed by the
   * subnet owner when the setter allows owners, else wrapped in `Sudo.sudo` for the sudo key. A
   * failure of the call inside Sudo.sudo (its `Sudid` event) is returned as the same typed
   * {@link ExtrinsicFailedError}, with `viaSudo` set.
   * @example
   * await client.setHyperparameter({ signer: ownerColdkey, netuid: 1, name: 'min_burn', value: 600_000n });
   */
  async setHyperparameter(
    p: SetHyperparameterParameters,
    o: ExtrinsicOptions = {},
  ): Promise<SetHyperparameterReturnType> {
    if (typeof p !== 'object' || p === null) throw new TypeError('expected parameters');
    const signer = signerOf(p.signer);
    const plan = await this.previewSetHyperparameter({
      account: signer.publicKey,
      name: p.name,
      value: p.value,
      ...(p.netuid !== undefined ? { netuid: p.netuid } : {}),
    });
    const args = { ...(p.netuid !== undefined ? { netuid: p.netuid } : {}), ...plan.args };
    const r =
      plan.via === 'sudo'
        ? await this.#submitSudo(
            { type: 'AdminUtils', value: { type: plan.param.call, value: args } } as RuntimeCall,
            signer,
            o,
          )
        : await this.#call('AdminUtils', plan.param.call, args, signer, o);
    return { ...r, ...plan };
  }

  /**
   * Submits `Sudo.sudo(call)` signed by the sudo key. The extrinsic succeeds even when the call
   * inside fails; that failure (the `Sudid` event's error) is returned as `ok: false` with the
   * decoded pallet error, `viaSudo` set.
   * @example
   * await client.sudo({ signer: alice, call: { type: 'AdminUtils', value: { type: 'sudo_set_tempo', value: { netuid: 1, tempo: 50 } } } });
   */
  async sudo(p: SudoParameters, o: ExtrinsicOptions = {}): Promise<SudoReturnType> {
    const call = p?.call as { type?: unknown; value?: { type?: unknown } };
    if (typeof call?.type !== 'string' || typeof call.value?.type !== 'string')
      throw new TypeError('call must be { type: pallet, value: { type: call, value: args } }');
    return this.#submitSudo(p.call, p.signer, o);
  }

  async #submitSudo(
    call: RuntimeCall,
    signer: Signer,
    o: ExtrinsicOptions,
  ): Promise<ExtrinsicResult> {
    const inner = call as unknown as { type: string; value: { type: string } };
    this.#require(this.compat.call(inner.type, inner.value.type));
    const bytes = this.#encodeCall('Sudo', 'sudo', { call });
    const r = await this.#submit(bytes, signer, { ...o, raiseError: false });
    const out = r.ok ? this.#sudid(r) : r;
    if (!out.ok && o.raiseError) throw out.error;
    return out;
  }

  /** `r` as failed when its `Sudid` event carries an error. */
  #sudid(r: ExtrinsicResult & { ok: true }): ExtrinsicResult {
    const ev = r.events.find((e) => e.pallet === 'Sudo' && e.name === 'Sudid')?.event;
    if (ev?.type !== 'Sudo' || ev.value.type !== 'Sudid') return r;
    const result = ev.value.value.sudo_result;
    if (result.type !== 'Err') return r;
    const dispatchError = result.value as DispatchError;
    const decoded = describeDispatchError(dispatchError, (pi, i) => this.compat.moduleError(pi, i));
    const { ok: _, ...base } = r;
    const error = new ExtrinsicFailedError(
      decoded,
      dispatchError,
      {
        blockHash: r.blockHash,
        blockNumber: r.blockNumber,
        extrinsicIndex: r.extrinsicIndex,
        txHash: r.txHash,
      },
      { viaSudo: true },
    );
    return { ...base, ok: false, error };
  }
}

const IDENTITY_FIELDS = {
  subnetName: 'subnet_name',
  githubRepo: 'github_repo',
  subnetContact: 'subnet_contact',
  subnetUrl: 'subnet_url',
  discord: 'discord',
  description: 'description',
  logoUrl: 'logo_url',
  additional: 'additional',
} as const satisfies Record<keyof SubnetIdentity, keyof SubnetIdentityV3>;

/** A subnet identity in the chain's form (missing fields empty), every field at most 1024 bytes. */
function identityOf(x: unknown): SubnetIdentityV3 {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    throw new TypeError('identity must be an object');
  for (const k of Object.keys(x))
    if (!Object.hasOwn(IDENTITY_FIELDS, k))
      throw new TypeError(`identity has no field ${k.slice(0, 40)}`);
  const out = {} as Record<keyof SubnetIdentityV3, Uint8Array>;
  for (const [k, field] of Object.entries(IDENTITY_FIELDS) as [
    keyof SubnetIdentity,
    keyof SubnetIdentityV3,
  ][]) {
    const v = (x as SubnetIdentity)[k];
    let bytes: Uint8Array;
    if (v === undefined) bytes = new Uint8Array();
    else if (typeof v === 'string') bytes = new TextEncoder().encode(v);
    else if (v instanceof Uint8Array) bytes = v.slice();
    else throw new TypeError(`identity.${k} must be a string or bytes`);
    if (bytes.length > MAX_IDENTITY_FIELD_BYTES)
      throw new RangeError(
        `identity.${k} is ${bytes.length} bytes; at most ${MAX_IDENTITY_FIELD_BYTES}`,
      );
    out[field] = bytes;
  }
  return out;
}

/** Distinct netuids, sorted (a `BTreeSet<NetUid>`), at most `max` of them. */
function netuidSet(x: unknown, max: number): number[] {
  if (!Array.isArray(x)) throw new TypeError('netuids must be an array of subnet ids');
  if (x.length > max) throw new RangeError(`at most ${max} netuids, got ${x.length}`);
  const set = new Set(x.map((n, i) => netuidOf(n, `netuids[${i}]`)));
  if (set.size !== x.length) throw new RangeError('netuids has duplicates');
  return [...set].sort((a, b) => a - b);
}

/** A readable name of a papi `TransactionValidityError` value. */
function describeInvalid(e: unknown): string {
  const parts: string[] = [];
  let x = e as { type?: unknown; value?: unknown } | undefined;
  for (let i = 0; i < 4 && x && typeof x === 'object' && typeof x.type === 'string'; i++) {
    parts.push(x.type);
    x = x.value as typeof x;
  }
  if (parts.length) return parts.join('.');
  return typeof e === 'string'
    ? e
    : (JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? `${v}` : v)) ?? 'invalid');
}
