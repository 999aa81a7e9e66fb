/**
 * The chain: genesis, the head, block authoring on the runtime, and atomic commits to the store.
 * Announces each block only after it is durable.
 */
import { EventEmitter } from 'node:events';
import { Bytes, type EventRecord, Header, SystemEvents, Vec } from '@taoscript/chain-types';
import { blake2_256, bytesEqual, toHex } from '@taoscript/codec';
import {
  type ApplyResult,
  type BlockBuilder,
  type GenesisConfig,
  type Runtime,
  stateRoot,
} from '@taoscript/runtime';
import type { ChainStore, StateReader } from '../store/index.js';

export interface BlockInfo {
  hash: Uint8Array;
  number: number;
  header: Header;
  headerBytes: Uint8Array;
  body: Uint8Array[];
}

export interface AuthoredBlock extends BlockInfo {
  events: EventRecord[];
  /** Per pool transaction: included, or refused with the reason. */
  results: { xt: Uint8Array; result: ApplyResult }[];
  /** Seconds spent building the block (before the commit). */
  buildSeconds: number;
}

export interface ChainOptions {
  store: ChainStore;
  runtime: Runtime;
  genesis: GenesisConfig;
  /** Receives transaction fees. */
  author: Uint8Array | undefined;
  /** Supplies block timestamps (ms); the node passes `Date.now`. */
  now: () => number;
  chainName: string;
}

/** A transaction offered to the block builder, with what the pool already checked. */
export interface Candidate {
  bytes: Uint8Array;
  signatureChecked: boolean;
}

const GENESIS_META = 'genesisHash';

export class Chain extends EventEmitter<{ block: [AuthoredBlock] }> {
  readonly store: ChainStore;
  readonly runtime: Runtime;
  readonly genesisHash: Uint8Array;
  readonly chainName: string;
  private readonly opts: ChainOptions;
  private headInfo: BlockInfo;
  private building: Promise<unknown> = Promise.resolve();
  private readonly headerCache = new Map<string, BlockInfo>();

  private constructor(opts: ChainOptions, genesisHash: Uint8Array, head: BlockInfo) {
    super();
    this.opts = opts;
    this.store = opts.store;
    this.runtime = opts.runtime;
    this.chainName = opts.chainName;
    this.genesisHash = genesisHash;
    this.headInfo = head;
  }

  /** Opens the chain on a store: writes genesis into an empty one, resumes a used one. */
  static async open(opts: ChainOptions): Promise<Chain> {
    const changes = opts.runtime.genesis(opts.genesis);
    const root = stateRoot(new Uint8Array(32), changes);
    const header: Header = {
      parent_hash: new Uint8Array(32),
      number: 0,
      state_root: root,
      extrinsics_root: blake2_256(Vec(Bytes).enc([])),
      digest: { logs: [] },
    };
    const headerBytes = Header.enc(header);
    const hash = blake2_256(headerBytes);
    const existing = opts.store.head();
    if (!existing) {
      await opts.store.commitGenesis({
        hash,
        number: 0,
        parentHash: header.parent_hash,
        header: headerBytes,
        body: [],
        changes,
        meta: new Map([[GENESIS_META, hash]]),
      });
    } else {
      const stored = opts.store.getMeta(GENESIS_META) ?? opts.store.blockHash(0);
      if (!stored || !bytesEqual(stored, hash))
        throw new Error(
          `the database at this base path holds another chain (genesis ${stored ? toHex(stored) : 'unknown'}, expected ${toHex(hash)}); use another --base-path or purge it`,
        );
    }
    const chain = new Chain(opts, hash, { hash, number: 0, header, headerBytes, body: [] });
    const head = opts.store.head();
    if (head) {
      const info = chain.blockByHash(head.hash);
      if (!info) throw new Error('store head block is missing');
      chain.headInfo = info;
    }
    return chain;
  }

  get head(): BlockInfo {
    return this.headInfo;
  }

  /** The finalized head: every authored block is final. */
  get finalized(): BlockInfo {
    return this.headInfo;
  }

  blockByHash(hash: Uint8Array): BlockInfo | undefined {
    const key = toHex(hash);
    const cached = this.headerCache.get(key);
    if (cached) return cached;
    const b = this.store.block(hash);
    if (!b) return undefined;
    const info = {
      hash: b.hash,
      number: b.number,
      header: Header.dec(b.header),
      headerBytes: b.header,
      body: b.body,
    };
    this.remember(info);
    return info;
  }

  blockByNumber(n: number): BlockInfo | undefined {
    const h = this.store.blockHash(n);
    return h ? this.blockByHash(h) : undefined;
  }

  /** State at the end of a block (default: the head). */
  stateAt(hash?: Uint8Array): StateReader | undefined {
    const info = hash ? this.blockByHash(hash) : this.headInfo;
    return info ? this.store.stateAt(info.number) : undefined;
  }

  /** The events a block emitted. */
  eventsAt(hash: Uint8Array): EventRecord[] | undefined {
    const st = this.stateAt(hash);
    return st ? SystemEvents.get(st) : undefined;
  }

  private remember(info: BlockInfo): void {
    this.headerCache.set(toHex(info.hash), info);
    if (this.headerCache.size > 512) {
      const first = this.headerCache.keys().next().value as string;
      this.headerCache.delete(first);
    }
  }

  /**
   * Authors one block on the head from `candidates` (in the order given), commits it durably and
   * announces it. Blocks are built one at a time.
   */
  authorBlock(
    candidates:
      | Iterable<Candidate>
      | ((builder: BlockBuilder) => { xt: Uint8Array; result: ApplyResult }[]),
  ): Promise<AuthoredBlock> {
    const run = this.building.then(() => this.buildAndCommit(candidates));
    this.building = run.catch(() => undefined);
    return run;
  }

  private async buildAndCommit(
    candidates:
      | Iterable<Candidate>
      | ((builder: BlockBuilder) => { xt: Uint8Array; result: ApplyResult }[]),
  ): Promise<AuthoredBlock> {
    const parent = this.headInfo;
    const started = performance.now();
    const builder = this.runtime.beginBlock(this.store.stateAt(parent.number), {
      number: parent.number + 1,
      parentHash: parent.hash,
      parentStateRoot: parent.header.state_root,
      author: this.opts.author,
    });
    builder.setTimestamp(BigInt(this.opts.now()));
    let results: { xt: Uint8Array; result: ApplyResult }[];
    if (typeof candidates === 'function') results = candidates(builder);
    else {
      results = [];
      for (const c of candidates)
        results.push({
          xt: c.bytes,
          result: builder.apply(c.bytes, { signatureChecked: c.signatureChecked }),
        });
    }
    const { header, hash, changes, events } = builder.finalize();
    const headerBytes = Header.enc(header);
    const buildSeconds = (performance.now() - started) / 1000;
    await this.store.commitBlock({
      hash,
      number: header.number,
      parentHash: parent.hash,
      header: headerBytes,
      body: builder.extrinsics,
      changes,
    });
    const info: AuthoredBlock = {
      hash,
      number: header.number,
      header,
      headerBytes,
      body: builder.extrinsics,
      events,
      results,
      buildSeconds,
    };
    this.headInfo = info;
    this.remember(info);
    this.emit('block', info);
    return info;
  }

  /** Waits for the block being built, if any. */
  async idle(): Promise<void> {
    await this.building;
  }
}
