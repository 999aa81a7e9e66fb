/**
 * A subnet's metagraph (sdk.md §3): per-uid vectors, axons, and (full sync) the weight and bond
 * matrices, read from the runtime APIs at one block. A sync is two concurrent runtime calls on
 * one connection (`get_metagraph` or `get_mechagraph`, plus `get_neurons_lite` or `get_neurons`);
 * a resync skips an unchanged block and, in full mode, refetches only the weight rows of uids
 * whose `last_update` moved unless an epoch, a registration or commit-reveal requires all rows.
 */
import type {
  AxonInfo,
  Metagraph as MetagraphInfo,
  NeuronInfo,
  NeuronInfoLite,
  StorageItem,
} from '@taoscript/chain-types';
import { bytesEqual, type HexString, ss58Encode } from '@taoscript/codec';
import { formatIp } from '../client/ip.js';
import { SDK_STORAGE } from '../client/items.js';
import type { BlockRef, ReadOptions } from '../client/types.js';
import { storageIndex } from '../weights/commit-hash.js';

/** What a metagraph needs from the chain client (a `SubtensorClient` fits). */
export interface MetagraphSource {
  runtimeApi<T = unknown>(
    api: string,
    method: string,
    args: readonly unknown[],
    opts?: ReadOptions,
  ): Promise<T>;
  query<K extends unknown[], V>(item: StorageItem<K, V>, keys: K, opts?: ReadOptions): Promise<V>;
  block(at?: BlockRef): Promise<{ hash: HexString; number: number }>;
  readonly ss58Prefix: number;
}

/** A uid's axon as the metagraph presents it. */
export interface AxonEndpoint {
  block: bigint;
  version: number;
  /** Dotted IPv4 or RFC 5952 IPv6. */
  ip: string;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
  hotkey: string;
  coldkey: string;
  /** `ip` is not `0.0.0.0`. */
  isServing: boolean;
  /** The raw record. */
  raw: AxonInfo;
}

/** Options of {@link Metagraph}. */
export interface MetagraphOptions {
  /** Mechanism id (default 0). */
  mechid?: number;
  /** Lite sync (no weights/bonds; default true). */
  lite?: boolean;
}

/** Options of a sync. */
export interface SyncOptions {
  /** Block to sync at (default: the best block). */
  at?: BlockRef;
  /** Override the metagraph's lite/full mode for this and later syncs. */
  lite?: boolean;
}

/** What a resync did. */
export interface ResyncReport {
  block: number;
  /** Nothing was fetched because the block did not change. */
  unchanged: boolean;
  /** `vectors`: per-uid data only; `rows`: plus some weight rows; `full`: every row. */
  refreshed: 'none' | 'vectors' | 'rows' | 'full';
  /** Uids whose weight row was refetched (full mode), or that joined or were replaced. */
  changedUids: number[];
}

const U16 = 65_535;
const RAO = 1e9;
const f32 = (values: ArrayLike<number>) => Float32Array.from(values);
const raoToFloat = (v: bigint) => Number(v) / RAO;

/** A dense row from sparse `(uid, value)` pairs. */
function denseRow(pairs: readonly (readonly [number, number])[], n: number): Float32Array {
  const row = new Float32Array(n);
  for (const [uid, v] of pairs) if (uid < n) row[uid] = v;
  return row;
}
/** `row / sum(row)` (all zeros stay zeros), as the Python metagraph normalises weights. */
function normalizeRow(row: Float32Array): Float32Array {
  let sum = 0;
  for (const v of row) sum += v;
  if (sum === 0) return row;
  const out = new Float32Array(row.length);
  for (let i = 0; i < row.length; i++) out[i] = (row[i] as number) / sum;
  return out;
}
const nonZero = (pairs: readonly (readonly [number, number])[]) =>
  pairs.filter(([, v]) => v > 0).map(([u, v]) => [u, v] as [number, number]);

/**
 * A subnet's metagraph, kept in sync over one client connection.
 * @example
 * import { connect, Metagraph } from '@taoscript/sdk';
 * const client = await connect({ network: 'local' });
 * const mg = await new Metagraph(client, 1).sync();
 * console.log(mg.n, mg.hotkeys[0], mg.S[0]);
 */
export class Metagraph {
  readonly netuid: number;
  readonly mechid: number;
  readonly #source: MetagraphSource;
  lite: boolean;

  /** Synced block number and hash (0 / undefined before the first sync). */
  block = 0;
  blockHash: HexString | undefined;
  /** Number of uids. */
  n = 0;
  uids: number[] = [];
  hotkeys: string[] = [];
  coldkeys: string[] = [];
  active: boolean[] = [];
  validatorPermit: boolean[] = [];
  lastUpdate: bigint[] = [];
  blockAtRegistration: bigint[] = [];
  pruningScore: number[] = [];
  /** Raw u16 values. */
  consensusU16: number[] = [];
  incentiveU16: number[] = [];
  dividendsU16: number[] = [];
  validatorTrustU16: number[] = [];
  trustU16: number[] = [];
  rankU16: number[] = [];
  /** Raw rao values. */
  emissionRao: bigint[] = [];
  alphaStakeRao: bigint[] = [];
  taoStakeRao: bigint[] = [];
  totalStakeRao: bigint[] = [];
  /** Float views (sdk.md §3.1): stake in TAO, u16 ratios in [0, 1]. */
  S = new Float32Array();
  AS = new Float32Array();
  TS = new Float32Array();
  C = new Float32Array();
  I = new Float32Array();
  D = new Float32Array();
  Tv = new Float32Array();
  E = new Float32Array();
  axons: AxonEndpoint[] = [];
  /** The neuron records (`NeuronInfo` after a full sync, `NeuronInfoLite` after a lite one). */
  neurons: (NeuronInfo | NeuronInfoLite)[] = [];
  /** Sparse weight and bond rows as the chain reports them (full sync only). */
  weightRows: [number, number][][] = [];
  bondRows: [number, number][][] = [];
  /** Row-normalised weights and raw bonds, n×n (full sync only; empty after a lite sync). */
  W: Float32Array[] = [];
  B: Float32Array[] = [];
  /** The subnet-level record (name, symbol, tempo, pool, hyperparameters, ...). */
  info: MetagraphInfo | undefined;
  #byHotkey = new Map<string, number>();
  #at: BlockRef = 'best';

  constructor(source: MetagraphSource, netuid: number, opts: MetagraphOptions = {}) {
    if (typeof source !== 'object' || source === null || typeof source.runtimeApi !== 'function')
      throw new TypeError('Metagraph needs a connected client');
    if (!Number.isInteger(netuid) || netuid < 0 || netuid > 0xffff)
      throw new RangeError('netuid must be an integer in 0..65535');
    const mechid = opts.mechid ?? 0;
    storageIndex(netuid, mechid);
    this.#source = source;
    this.netuid = netuid;
    this.mechid = mechid;
    this.lite = opts.lite ?? true;
  }

  /** The subnet's name (UTF-8 of `info.name`). */
  get name(): string {
    return new TextDecoder().decode(Uint8Array.from(this.info?.name ?? []));
  }
  /** The subnet token's symbol (UTF-8 of `info.symbol`). */
  get symbol(): string {
    return new TextDecoder().decode(Uint8Array.from(this.info?.symbol ?? []));
  }
  /** Blocks per epoch. */
  get tempo(): number | undefined {
    return this.info?.tempo;
  }

  /** `stake` alias of `S`. */
  get stake(): Float32Array {
    return this.S;
  }
  /** `total_stake` alias of `S`. */
  get totalStake(): Float32Array {
    return this.S;
  }

  #infoCall(at: HexString): Promise<MetagraphInfo | undefined> {
    return this.mechid === 0
      ? this.#source.runtimeApi('SubnetInfoRuntimeApi', 'get_metagraph', [this.netuid], { at })
      : this.#source.runtimeApi(
          'SubnetInfoRuntimeApi',
          'get_mechagraph',
          [this.netuid, this.mechid],
          { at },
        );
  }

  #neuronsCall(at: HexString, full: boolean): Promise<(NeuronInfo | NeuronInfoLite)[]> {
    return this.#source.runtimeApi(
      'NeuronInfoRuntimeApi',
      full ? 'get_neurons' : 'get_neurons_lite',
      [this.netuid],
      { at },
    );
  }

  /** Weight and bond rows of `uids` from storage (mechanism-aware). */
  async #rows(at: HexString, uids: number[], which: 'Weights' | 'Bonds') {
    const index = storageIndex(this.netuid, this.mechid);
    const item = SDK_STORAGE[which];
    return Promise.all(
      uids.map(async (uid) => nonZero(await this.#source.query(item, [index, uid], { at }))),
    );
  }

  /**
   * Reads the whole metagraph at one block (lite: per-uid data; full: plus weights and bonds).
   * RPC: state_call (SubnetInfoRuntimeApi, NeuronInfoRuntimeApi), chainHead_v1_storage.
   */
  async sync(opts: SyncOptions = {}): Promise<this> {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('options must be an object');
    if (opts.lite !== undefined) this.lite = opts.lite;
    if (opts.at !== undefined) this.#at = opts.at;
    const head = await this.#source.block(this.#at);
    await this.#load(head);
    return this;
  }

  /**
   * Brings the metagraph to the current block, fetching only what changed (see ResyncReport).
   * The first call on an unsynced metagraph is a sync.
   */
  async resync(): Promise<ResyncReport> {
    const head = await this.#source.block(this.#at);
    if (this.blockHash === undefined) {
      await this.#load(head);
      return { block: head.number, unchanged: false, refreshed: 'full', changedUids: this.uids };
    }
    if (head.hash === this.blockHash)
      return { block: head.number, unchanged: true, refreshed: 'none', changedUids: [] };
    const at = head.hash;
    const [info, lite] = await Promise.all([this.#infoCall(at), this.#neuronsCall(at, false)]);
    if (!info) throw new RangeError(`subnet ${this.netuid} does not exist at block ${head.number}`);
    const oldN = this.n;
    const oldHotkeys = this.info?.hotkeys ?? [];
    const n = info.hotkeys.length;
    const replaced: number[] = [];
    const moved: number[] = [];
    for (let uid = 0; uid < n; uid++) {
      const old = oldHotkeys[uid];
      if (
        old === undefined ||
        !bytesEqual(info.hotkeys[uid] as Uint8Array, old) ||
        info.block_at_registration[uid] !== this.blockAtRegistration[uid]
      )
        replaced.push(uid);
      else if (info.last_update[uid] !== this.lastUpdate[uid]) moved.push(uid);
    }
    if (this.lite) {
      this.#apply(head, info, lite, undefined);
      return {
        block: head.number,
        unchanged: false,
        refreshed: 'vectors',
        changedUids: replaced,
      };
    }
    const epochRan = this.info !== undefined && info.last_step !== this.info.last_step;
    const needAll =
      epochRan ||
      replaced.length > 0 ||
      n !== oldN ||
      info.commit_reveal_weights_enabled ||
      this.weightRows.length !== oldN;
    if (needAll) {
      await this.#load(head, info);
      return { block: head.number, unchanged: false, refreshed: 'full', changedUids: this.uids };
    }
    const rows = moved.length > 0 ? await this.#rows(at, moved, 'Weights') : [];
    const weightRows = this.weightRows.slice();
    moved.forEach((uid, k) => {
      weightRows[uid] = rows[k] as [number, number][];
    });
    this.#apply(head, info, lite, { weights: weightRows, bonds: this.bondRows });
    return {
      block: head.number,
      unchanged: false,
      refreshed: moved.length > 0 ? 'rows' : 'vectors',
      changedUids: moved,
    };
  }

  async #load(head: { hash: HexString; number: number }, knownInfo?: MetagraphInfo): Promise<void> {
    const at = head.hash;
    const full = !this.lite;
    const viaNeurons = full && this.mechid === 0;
    const [info, neurons] = await Promise.all([
      knownInfo ?? this.#infoCall(at),
      this.#neuronsCall(at, viaNeurons),
    ]);
    if (!info) throw new RangeError(`subnet ${this.netuid} does not exist at block ${head.number}`);
    let matrices: { weights: [number, number][][]; bonds: [number, number][][] } | undefined;
    if (viaNeurons) {
      const byUid = new Map(neurons.map((x) => [x.uid, x as NeuronInfo]));
      const rows = info.hotkeys.map((_, uid) => byUid.get(uid));
      matrices = {
        weights: rows.map((x) => nonZero(x?.weights ?? [])),
        bonds: rows.map((x) => nonZero(x?.bonds ?? [])),
      };
    } else if (full) {
      const uids = info.hotkeys.map((_, uid) => uid);
      const [weights, bonds] = await Promise.all([
        this.#rows(at, uids, 'Weights'),
        this.#rows(at, uids, 'Bonds'),
      ]);
      matrices = { weights, bonds };
    }
    this.#apply(head, info, neurons, matrices);
  }

  #apply(
    head: { hash: HexString; number: number },
    info: MetagraphInfo,
    neurons: (NeuronInfo | NeuronInfoLite)[],
    matrices: { weights: [number, number][][]; bonds: [number, number][][] } | undefined,
  ): void {
    const prefix = this.#source.ss58Prefix;
    const n = info.hotkeys.length;
    const byUid = new Map(neurons.map((x) => [x.uid, x]));
    this.info = info;
    this.block = head.number;
    this.blockHash = head.hash;
    this.n = n;
    this.uids = Array.from({ length: n }, (_, i) => i);
    this.hotkeys = info.hotkeys.map((k) => ss58Encode(k, prefix));
    this.coldkeys = info.coldkeys.map((k) => ss58Encode(k, prefix));
    this.active = info.active.slice();
    this.validatorPermit = info.validator_permit.slice();
    this.lastUpdate = info.last_update.slice();
    this.blockAtRegistration = info.block_at_registration.slice();
    this.pruningScore = info.pruning_score.slice();
    this.consensusU16 = info.consensus.slice();
    this.incentiveU16 = info.incentives.slice();
    this.dividendsU16 = info.dividends.slice();
    this.trustU16 = info.trust.slice();
    this.rankU16 = info.rank.slice();
    this.validatorTrustU16 = this.uids.map((uid) => byUid.get(uid)?.validator_trust ?? 0);
    this.emissionRao = info.emission.slice();
    this.alphaStakeRao = info.alpha_stake.slice();
    this.taoStakeRao = info.tao_stake.slice();
    this.totalStakeRao = info.total_stake.slice();
    this.S = f32(this.totalStakeRao.map(raoToFloat));
    this.AS = f32(this.alphaStakeRao.map(raoToFloat));
    this.TS = f32(this.taoStakeRao.map(raoToFloat));
    this.C = f32(this.consensusU16.map((v) => v / U16));
    this.I = f32(this.incentiveU16.map((v) => v / U16));
    this.D = f32(this.dividendsU16.map((v) => v / U16));
    this.Tv = f32(this.validatorTrustU16.map((v) => v / U16));
    this.E = f32(this.emissionRao.map(raoToFloat));
    this.axons = info.axons.map((a, uid) => {
      const ip = formatIp(a.ip, a.ip_type);
      return {
        block: a.block,
        version: a.version,
        ip,
        port: a.port,
        ipType: a.ip_type,
        protocol: a.protocol,
        placeholder1: a.placeholder1,
        placeholder2: a.placeholder2,
        hotkey: this.hotkeys[uid] as string,
        coldkey: this.coldkeys[uid] as string,
        isServing: ip !== '0.0.0.0' && a.ip !== 0n,
        raw: a,
      };
    });
    // After a rows-only resync the records are lite ones: complete them from the matrices, as
    // get_neurons reports them (non-zero entries of the stored rows).
    this.neurons = this.uids
      .map((uid) => byUid.get(uid))
      .filter((x) => x !== undefined)
      .map((x) =>
        matrices && !('weights' in x)
          ? {
              ...x,
              weights: matrices.weights[x.uid] ?? [],
              bonds: matrices.bonds[x.uid] ?? [],
            }
          : x,
      );
    if (matrices) {
      this.weightRows = matrices.weights;
      this.bondRows = matrices.bonds;
      this.W = matrices.weights.map((r) => normalizeRow(denseRow(r, n)));
      this.B = matrices.bonds.map((r) => denseRow(r, n));
    } else {
      this.weightRows = [];
      this.bondRows = [];
      this.W = [];
      this.B = [];
    }
    this.#byHotkey = new Map(this.hotkeys.map((h, uid) => [h, uid]));
  }

  /** The uid of `hotkey` (SS58), if registered at the synced block. */
  uidOf(hotkey: string): number | undefined {
    return this.#byHotkey.get(hotkey);
  }

  /**
   * The axon's `NeuronLookup`: uid, validator permit and stake (rao, TAO-equivalent) of a hotkey.
   * @example
   * mg.lookup('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'); // { uid: 0, validatorPermit: true, stake: 0n }
   */
  lookup(hotkey: string): { uid: number; validatorPermit: boolean; stake: bigint } | undefined {
    if (typeof hotkey !== 'string') return undefined;
    const uid = this.#byHotkey.get(hotkey);
    if (uid === undefined) return undefined;
    return {
      uid,
      validatorPermit: this.validatorPermit[uid] ?? false,
      stake: this.totalStakeRao[uid] ?? 0n,
    };
  }
}

/**
 * Syncs a new metagraph of `netuid` (lite unless `lite: false`).
 * @example
 * import { connect, syncMetagraph } from '@taoscript/sdk';
 * const mg = await syncMetagraph(await connect({ network: 'local' }), 1, { lite: false });
 */
export function syncMetagraph(
  source: MetagraphSource,
  netuid: number,
  opts: MetagraphOptions & SyncOptions = {},
): Promise<Metagraph> {
  const mg = new Metagraph(source, netuid, {
    ...(opts.mechid !== undefined ? { mechid: opts.mechid } : {}),
    ...(opts.lite !== undefined ? { lite: opts.lite } : {}),
  });
  return mg.sync(opts.at !== undefined ? { at: opts.at } : {});
}
