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
  SimSwapResult,
  StakeInfo,
  StorageItem,
  SubnetHyperparamsV2,
} from '@taoscript/chain-types';
import { SystemEvents, u64 } from '@taoscript/chain-types';
import {
  concatBytes,
  decodeExact,
  fromHex,
  type HexString,
  isHex,
  ss58Encode,
  toHex,
} from '@taoscript/codec';
import { createClient, type PolkadotClient } from 'polkadot-api';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { getWsProvider } from 'polkadot-api/ws';
import { VERSION_AS_INT } from '../synapse/version.js';
import {
  accountBytes,
  commitHash as computeCommitHash,
  randomSalt,
  storageIndex,
  versionKeyOf,
} from '../weights/commit-hash.js';
import { convertWeightsAndUidsForEmit } from '../weights/convert.js';
import { type ItemCheck, MetadataCompat, parseMetadata } from './compat.js';
import {
  ChainTypeMismatchError,
  describeDispatchError,
  ExtrinsicFailedError,
  PreconditionError,
  RpcFailedError,
  TransactionInvalidError,
} from './errors.js';
import { type ChainEvent, EventDecoder } from './events.js';
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
  CommitStore,
  CommitWeightsParameters,
  CommitWeightsReturnType,
  ConnectParameters,
  ExtrinsicOptions,
  ExtrinsicResult,
  MoveStakeParameters,
  MoveStakeReturnType,
  ReadOptions,
  RemoveStakeParameters,
  RemoveStakeReturnType,
  RevealWeightsParameters,
  RevealWeightsReturnType,
  ServeAxonParameters,
  ServeAxonReturnType,
  SetWeightsParameters,
  SetWeightsReturnType,
  Signer,
  StakeLimit,
  StakePreview,
  SubmitParameters,
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
  U64_MAX,
  u8Of,
  u16Of,
} from './validate.js';

/** Default mortality of extrinsics, in blocks (as the Python SDK). */
export const DEFAULT_PERIOD = 128;
/** Default price tolerance of limit (safe) staking, as a fraction (0.5 %). */
export const DEFAULT_RATE_TOLERANCE = 0.005;

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
  if (!provider) {
    const r = resolveNetwork({
      ...(p.network !== undefined ? { network: p.network } : {}),
      ...(p.chainEndpoint !== undefined ? { chainEndpoint: p.chainEndpoint } : {}),
      ...(p.env !== undefined ? { env: p.env } : {}),
    });
    url = r.url;
    network = r.network;
    provider = getWsProvider(url, {
      websocketClass: (await host.webSocket()) as never,
      timeout: timeoutMs,
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
    const { metadata, spec } = await deadline(ready, timeoutMs, `connecting to ${url}`, p.signal);
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
    throw err;
  }
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
  async previewAddStake(netuid: number, amount: bigint, opts: ReadOptions = {}) {
    amountOf(amount);
    const at = await this.#hash(opts.at);
    const [price, sim] = await Promise.all([
      this.alphaPrice(netuid, { at }),
      this.runtimeApi<SimSwapResult>(
        'SwapRuntimeApi',
        'sim_swap_tao_for_alpha',
        [netuidOf(netuid), amount],
        { at },
      ),
    ]);
    const ideal = price === 0n ? 0n : (amount * PRICE_SCALE) / price;
    const out = sim.alpha_amount;
    return {
      price,
      sim,
      amountOut: out,
      slippage: ideal === 0n ? 0 : 1 - ratio(out, ideal),
    } satisfies StakePreview;
  }

  /** What unstaking `amount` alpha from `netuid` would pay now (`sim_swap_alpha_for_tao`). */
  async previewRemoveStake(netuid: number, amount: bigint, opts: ReadOptions = {}) {
    amountOf(amount);
    const at = await this.#hash(opts.at);
    const [price, sim] = await Promise.all([
      this.alphaPrice(netuid, { at }),
      this.runtimeApi<SimSwapResult>(
        'SwapRuntimeApi',
        'sim_swap_alpha_for_tao',
        [netuidOf(netuid), amount],
        { at },
      ),
    ]);
    const ideal = (amount * price) / PRICE_SCALE;
    const out = sim.tao_amount;
    return {
      price,
      sim,
      amountOut: out,
      slippage: ideal === 0n ? 0 : 1 - ratio(out, ideal),
    } satisfies StakePreview;
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
    return this.#submit(
      this.#encodeCall(call.type, call.value.type, call.value.value),
      p.signer,
      o,
    );
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
      return this.#submit(
        this.#encodeCall('Balances', 'transfer_all', { dest, keep_alive: keepAlive }),
        p.signer,
        o,
      );
    const value = amountOf(p.amount);
    return this.#submit(
      this.#encodeCall('Balances', keepAlive ? 'transfer_keep_alive' : 'transfer_allow_death', {
        dest,
        value,
      }),
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
    return this.#submit(this.#encodeCall('SubtensorModule', 'burned_register', args), p.signer, o);
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
    return this.#submit(this.#encodeCall('SubtensorModule', 'serve_axon', args), signer, o);
  }

  /** Converts weights and checks what can be checked before submitting. */
  async #prepareWeights(p: SetWeightsParameters, at: HexString) {
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
    const [n, uid] = await Promise.all([
      this.getSubnetworkN(netuid, { at }),
      this.getUidForHotkey(netuid, signer.publicKey, { at }),
    ]);
    for (const u of converted.uids)
      if (u >= n) throw new RangeError(`uid ${u} is out of range: subnet ${netuid} has ${n} uids`);
    if (uid === undefined)
      throw new PreconditionError(
        'HOTKEY_NOT_REGISTERED',
        `hotkey ${this.address(signer.publicKey)} is not registered on subnet ${netuid}`,
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
    const at = await this.#hash('best');
    const w = await this.#prepareWeights(p, at);
    if (await this.commitRevealEnabled(w.netuid, { at }))
      throw new PreconditionError(
        'COMMIT_REVEAL_ENABLED',
        `subnet ${w.netuid} uses commit-reveal; use commitWeights and revealWeights`,
      );
    const r = await this.#submit(
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
    const at = await this.#hash('best');
    const w = await this.#prepareWeights(p, at);
    if (!(await this.commitRevealEnabled(w.netuid, { at })))
      throw new PreconditionError(
        'COMMIT_REVEAL_DISABLED',
        `subnet ${w.netuid} does not use commit-reveal; use setWeights`,
      );
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
      r = await this.#submit(call, w.signer, { ...o, raiseError: false });
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
   * Reveals a stored commit (`reveal_mechanism_weights`) and forgets it once revealed.
   * @example
   * await client.revealWeights({ signer: hotkey, netuid: 1 });
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
    const store = await this.commitStore();
    const pending = (await store.list(signer.publicKey)).filter(
      (c) =>
        c.genesisHash === this.genesisHash &&
        c.netuid === netuid &&
        c.mechid === mechid &&
        (p.commitHash === undefined || c.commitHash === p.commitHash),
    );
    const commit = pending[0];
    if (!commit)
      throw new PreconditionError(
        'NO_PENDING_COMMIT',
        `no stored commit for ${this.address(signer.publicKey)} on subnet ${netuid} (mechanism ${mechid})`,
      );
    const r = await this.#submit(
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
    if (r.ok || r.error.code === 'ExpiredWeightCommit')
      await store.remove(commit.hotkey, commit.genesisHash, commit.commitHash);
    if (!r.ok && o.raiseError) throw r.error;
    return { ...r, commit };
  }

  async #limitPrice(netuid: number, limit: StakeLimit, sign: 1 | -1): Promise<bigint> {
    if (typeof limit !== 'object' || limit === null) throw new TypeError('limit must be an object');
    if (limit.price !== undefined) {
      if (typeof limit.price !== 'bigint' || limit.price < 0n || limit.price > U64_MAX)
        throw new RangeError('limit.price must be a u64 bigint');
      return limit.price;
    }
    const tol = toleranceOf(limit.tolerance ?? DEFAULT_RATE_TOLERANCE, sign === 1 ? 100 : 1);
    return applyTolerance(await this.alphaPrice(netuid), tol, sign);
  }

  /**
   * Stakes `amount` rao to `hotkey` on `netuid`; with `limit`, `add_stake_limit` at
   * `price · (1 + tolerance)` (or the given price).
   * @example
   * await client.addStake({ signer: coldkey, hotkey, netuid: 1, amount: 10n ** 9n, limit: { tolerance: 0.01 } });
   */
  async addStake(p: AddStakeParameters, o: ExtrinsicOptions = {}): Promise<AddStakeReturnType> {
    const netuid = netuidOf(p?.netuid);
    const hotkey = accountBytes(p.hotkey, 'hotkey');
    const amount = amountOf(p.amount);
    if (p.limit === undefined) {
      const r = await this.#submit(
        this.#encodeCall('SubtensorModule', 'add_stake', { hotkey, netuid, amount_staked: amount }),
        p.signer,
        o,
      );
      return { ...r, limitPrice: undefined };
    }
    this.#require(this.compat.call('SubtensorModule', 'add_stake_limit'));
    const limitPrice = await this.#limitPrice(netuid, p.limit, 1);
    const r = await this.#submit(
      this.#encodeCall('SubtensorModule', 'add_stake_limit', {
        hotkey,
        netuid,
        amount_staked: amount,
        limit_price: limitPrice,
        allow_partial: p.limit.allowPartial ?? false,
      }),
      p.signer,
      o,
    );
    return { ...r, limitPrice };
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
    const hotkey = accountBytes(p.hotkey, 'hotkey');
    const amount = amountOf(p.amount);
    if (p.limit === undefined) {
      const r = await this.#submit(
        this.#encodeCall('SubtensorModule', 'remove_stake', {
          hotkey,
          netuid,
          amount_unstaked: amount,
        }),
        p.signer,
        o,
      );
      return { ...r, limitPrice: undefined };
    }
    this.#require(this.compat.call('SubtensorModule', 'remove_stake_limit'));
    const limitPrice = await this.#limitPrice(netuid, p.limit, -1);
    const r = await this.#submit(
      this.#encodeCall('SubtensorModule', 'remove_stake_limit', {
        hotkey,
        netuid,
        amount_unstaked: amount,
        limit_price: limitPrice,
        allow_partial: p.limit.allowPartial ?? false,
      }),
      p.signer,
      o,
    );
    return { ...r, limitPrice };
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
    return this.#submit(this.#encodeCall('SubtensorModule', 'move_stake', args), p.signer, o);
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
    return this.#submit(this.#encodeCall('SubtensorModule', 'transfer_stake', args), p.signer, o);
  }
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
