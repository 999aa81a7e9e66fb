/**
 * The transaction pool: full validation before admission (decode, signature over the right
 * payload, era, nonce, fee), ready and future queues per sender, ordering by priority,
 * replacement by a higher-priority transaction with the same nonce, limits, and pruning.
 */
import { EventEmitter } from 'node:events';
import {
  type DecodedExtrinsic,
  decodeExtrinsic,
  type TransactionValidityError,
  type ValidTransaction,
} from '@taoscript/chain-types';
import { blake2_256, toHex } from '@taoscript/codec';
import { type ApplyResult, type BlockBuilder } from '@taoscript/runtime';
import { System } from '@taoscript/chain-types';
import type { Verifier } from '../verify/index.js';
import type { AuthoredBlock, Chain } from './chain.js';

/** Substrate's author RPC error codes. */
export const POOL_ERRORS = {
  INVALID: 1010,
  UNKNOWN: 1011,
  TEMPORARILY_BANNED: 1012,
  ALREADY_IMPORTED: 1013,
  TOO_LOW_PRIORITY: 1014,
  CYCLE_DETECTED: 1015,
  IMMEDIATELY_DROPPED: 1016,
} as const;

export class PoolError extends Error {
  override name = 'PoolError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: string,
  ) {
    super(message);
  }
}

const INVALID_TEXT: Record<string, string> = {
  Call: 'Transaction call is not expected',
  Payment: 'Inability to pay some fees (e.g. account balance too low)',
  Future: 'Transaction will be valid in the future',
  Stale: 'Transaction is outdated',
  BadProof: 'Transaction has a bad signature',
  AncientBirthBlock: 'Transaction has an ancient birth block',
  ExhaustsResources: 'Transaction would exhaust the block limits',
  Custom: 'Custom error',
  BadMandatory: 'A call was labelled as mandatory, but resulted in an Error.',
  MandatoryValidation: 'Transaction dispatch is mandatory; transactions must not be validated.',
  BadSigner: 'Invalid signing address',
  IndeterminateImplicit: 'The implicit data was unable to be calculated',
  UnknownOrigin: 'The transaction extension did not authorize any origin',
};
const UNKNOWN_TEXT: Record<string, string> = {
  CannotLookup: 'Could not lookup information required to validate the transaction',
  NoUnsignedValidator: 'Could not find an unsigned validator for the unsigned transaction',
  Custom: 'Custom error',
};

/** Turns a validity error into Substrate's RPC error (1010 invalid / 1011 unknown). */
export function validityToPoolError(e: TransactionValidityError): PoolError {
  if (e.type === 'Invalid') {
    const v = e.value;
    const text = INVALID_TEXT[v.type] ?? v.type;
    const data = v.type === 'Custom' ? `Custom error: ${v.value}` : text;
    return new PoolError(POOL_ERRORS.INVALID, 'Invalid Transaction', data);
  }
  const v = e.value;
  const text = UNKNOWN_TEXT[v.type] ?? v.type;
  return new PoolError(POOL_ERRORS.UNKNOWN, 'Unknown Transaction Validity', v.type === 'Custom' ? `Custom error: ${v.value}` : text);
}

export type TxStatus =
  | { type: 'future' }
  | { type: 'ready' }
  | { type: 'inBlock'; block: Uint8Array; index: number }
  | { type: 'finalized'; block: Uint8Array; index: number }
  | { type: 'usurped'; by: Uint8Array }
  | { type: 'dropped' }
  | { type: 'invalid'; reason: string };

export interface PoolTx {
  hash: Uint8Array;
  hashHex: string;
  bytes: Uint8Array;
  sender: string;
  nonce: number;
  priority: bigint;
  longevity: bigint;
  insertedAt: number;
  validUntil: number;
  signatureChecked: boolean;
}

export interface PoolLimits {
  /** Ready transactions (Substrate's --pool-limit, default 8192). */
  readyCount: number;
  /** Future transactions (a tenth of the ready limit, as Substrate). */
  futureCount: number;
  /** Total bytes of ready + future transactions (--pool-kbytes, default 20 MiB). */
  totalBytes: number;
  /** How far ahead of the account nonce a future transaction may be. */
  maxNonceGap: number;
}

export const DEFAULT_POOL_LIMITS: PoolLimits = {
  readyCount: 8192,
  futureCount: 819,
  totalBytes: 20 * 1024 * 1024,
  maxNonceGap: 256,
};

interface SenderQueue {
  /** nonce → tx, sorted on demand. */
  byNonce: Map<number, PoolTx>;
  accountNonce: number;
}

export class TxPool extends EventEmitter<{ status: [string, TxStatus]; changed: [] }> {
  private readonly byHash = new Map<string, PoolTx>();
  private readonly senders = new Map<string, SenderQueue>();
  private readyCount = 0;
  private bytes = 0;
  private seq = 0;
  readonly limits: PoolLimits;

  constructor(
    private readonly chain: Chain,
    private readonly verifier: Verifier | undefined,
    limits: Partial<PoolLimits> = {},
  ) {
    super();
    this.limits = { ...DEFAULT_POOL_LIMITS, ...limits };
    chain.on('block', (b) => this.onBlock(b));
  }

  get size(): { ready: number; future: number } {
    return { ready: this.readyCount, future: this.byHash.size - this.readyCount };
  }

  /** Every pending transaction's bytes (author_pendingExtrinsics). */
  pending(): Uint8Array[] {
    return [...this.byHash.values()].map((t) => t.bytes);
  }

  /** The nonces this sender has waiting in the pool. */
  nonces(who: Uint8Array): Set<number> {
    const q = this.senders.get(toHex(who));
    return new Set(q ? q.byNonce.keys() : []);
  }

  has(hash: Uint8Array): boolean {
    return this.byHash.has(toHex(hash));
  }

  /**
   * Validates and admits a transaction. Resolves with its hash and whether it is ready;
   * rejects with a PoolError carrying Substrate's code and reason.
   */
  async submit(bytes: Uint8Array): Promise<{ hash: Uint8Array; status: 'ready' | 'future' }> {
    const hash = blake2_256(bytes);
    const hashHex = toHex(hash);
    if (this.byHash.has(hashHex))
      throw new PoolError(POOL_ERRORS.ALREADY_IMPORTED, 'Transaction Already Imported');
    let decoded: DecodedExtrinsic;
    try {
      decoded = decodeExtrinsic(bytes);
    } catch (err) {
      throw new PoolError(
        POOL_ERRORS.INVALID,
        'Invalid Transaction',
        `Could not decode the extrinsic: ${(err as Error).message}`,
      );
    }
    if (!decoded.signed) throw validityToPoolError({ type: 'Invalid', value: { type: 'Call' } });
    const head = this.chain.head;
    let signatureChecked = false;
    if (this.verifier) {
      const job = this.chain.runtime.signatureJob(this.chain.store.stateAt(head.number), head, decoded);
      // A failed check is left to the runtime, which tells BadProof from an expired era.
      if (job && job.type !== 'ecdsa')
        signatureChecked = await this.verifier.verify({ ...job, type: job.type });
    }
    const at = this.chain.head;
    const validity = this.chain.runtime.validateTransaction(this.chain.store.stateAt(at.number), at, decoded, {
      signatureChecked,
    });
    if (validity.type === 'Err') throw validityToPoolError(validity.value);
    return this.insert(decoded, hash, hashHex, bytes, validity.value, signatureChecked, at.number);
  }

  private insert(
    decoded: DecodedExtrinsic,
    hash: Uint8Array,
    hashHex: string,
    bytes: Uint8Array,
    v: ValidTransaction,
    signatureChecked: boolean,
    atNumber: number,
  ): { hash: Uint8Array; status: 'ready' | 'future' } {
    if (this.byHash.has(hashHex))
      throw new PoolError(POOL_ERRORS.ALREADY_IMPORTED, 'Transaction Already Imported');
    const signed = decoded.signed as NonNullable<DecodedExtrinsic['signed']>;
    const senderBytes = (signed.address as { value: Uint8Array }).value;
    const sender = toHex(senderBytes);
    const nonce = signed.extra.nonce;
    let q = this.senders.get(sender);
    const accountNonce = System.Account.get(this.chain.store.stateAt(this.chain.head.number), senderBytes).nonce;
    if (!q) {
      q = { byNonce: new Map(), accountNonce };
      this.senders.set(sender, q);
    } else q.accountNonce = accountNonce;
    if (nonce > accountNonce + this.limits.maxNonceGap) {
      if (q.byNonce.size === 0) this.senders.delete(sender);
      throw new PoolError(
        POOL_ERRORS.INVALID,
        'Invalid Transaction',
        `Transaction will be valid in the future: nonce ${nonce} is more than ${this.limits.maxNonceGap} ahead of the account nonce ${accountNonce}`,
      );
    }
    const tx: PoolTx = {
      hash,
      hashHex,
      bytes,
      sender,
      nonce,
      priority: v.priority,
      longevity: v.longevity,
      insertedAt: this.seq++,
      validUntil: v.longevity > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : atNumber + Number(v.longevity),
      signatureChecked,
    };
    const existing = q.byNonce.get(nonce);
    if (existing) {
      if (existing.priority >= tx.priority)
        throw new PoolError(
          POOL_ERRORS.TOO_LOW_PRIORITY,
          'Priority is too low',
          `Priority is too low: (${existing.priority} vs ${tx.priority})`,
        );
      this.removeTx(existing);
      this.emit('status', existing.hashHex, { type: 'usurped', by: hash });
    }
    const wasReadyCount = this.readyCount;
    q.byNonce.set(nonce, tx);
    this.byHash.set(hashHex, tx);
    this.bytes += bytes.length;
    this.recount();
    const ready = this.isReady(tx);
    const future = this.byHash.size - this.readyCount;
    if (
      this.readyCount > this.limits.readyCount ||
      future > this.limits.futureCount ||
      this.bytes > this.limits.totalBytes
    ) {
      // Full: the newcomer goes (Substrate drops the lowest priority; a newcomer never evicts).
      this.removeTx(tx);
      this.readyCount = wasReadyCount;
      this.recount();
      throw new PoolError(POOL_ERRORS.IMMEDIATELY_DROPPED, 'Immediately Dropped', 'The transaction could not enter the pool because of the limit');
    }
    this.emit('status', hashHex, ready ? { type: 'ready' } : { type: 'future' });
    this.emit('changed');
    return { hash, status: ready ? 'ready' : 'future' };
  }

  private isReady(tx: PoolTx): boolean {
    const q = this.senders.get(tx.sender);
    if (!q) return false;
    for (let n = q.accountNonce; n <= tx.nonce; n++) if (!q.byNonce.has(n)) return false;
    return true;
  }

  /** Recomputes the ready count (contiguous nonces from each account nonce). */
  private recount(): void {
    let ready = 0;
    for (const q of this.senders.values()) {
      let n = q.accountNonce;
      while (q.byNonce.has(n)) {
        ready++;
        n++;
      }
    }
    this.readyCount = ready;
  }

  private removeTx(tx: PoolTx): void {
    const q = this.senders.get(tx.sender);
    if (q && q.byNonce.get(tx.nonce) === tx) {
      q.byNonce.delete(tx.nonce);
      if (q.byNonce.size === 0) this.senders.delete(tx.sender);
    }
    if (this.byHash.delete(tx.hashHex)) this.bytes -= tx.bytes.length;
  }

  /**
   * Fills a block: repeatedly takes the highest-priority ready transaction (each sender's
   * lowest nonce first) and applies it. Invalid transactions leave the pool.
   */
  fill(builder: BlockBuilder, maxTxs = Number.POSITIVE_INFINITY): { xt: Uint8Array; result: ApplyResult }[] {
    const out: { xt: Uint8Array; result: ApplyResult }[] = [];
    // One cursor per sender: the next nonce to try.
    const heads: PoolTx[] = [];
    for (const q of this.senders.values()) {
      const t = q.byNonce.get(q.accountNonce);
      if (t) heads.push(t);
    }
    const better = (a: PoolTx, b: PoolTx) => a.priority > b.priority || (a.priority === b.priority && a.insertedAt < b.insertedAt);
    const heap = new Heap<PoolTx>(better, heads);
    let full = false;
    while (heap.size > 0 && out.length < maxTxs && !full) {
      const tx = heap.pop() as PoolTx;
      const result = builder.apply(tx.bytes, { signatureChecked: tx.signatureChecked });
      out.push({ xt: tx.bytes, result });
      if (result.ok) {
        const q = this.senders.get(tx.sender);
        const next = q?.byNonce.get(tx.nonce + 1);
        if (next) heap.push(next);
        continue;
      }
      const err = result.error;
      if (err.type === 'Invalid' && err.value.type === 'ExhaustsResources') {
        full = true;
        out.pop();
        continue;
      }
      if (err.type === 'Invalid' && err.value.type === 'Future') {
        out.pop();
        continue;
      }
      // Anything else is invalid now: drop it and its sender's later transactions stay future.
      this.removeTx(tx);
      this.emit('status', tx.hashHex, { type: 'invalid', reason: validityToPoolError(err).data ?? '' });
      out.pop();
    }
    return out;
  }

  /** After a block: prune included and stale transactions, promote futures, expire old eras. */
  private onBlock(block: AuthoredBlock): void {
    const included = new Map<string, number>();
    block.body.forEach((xt, i) => {
      included.set(toHex(blake2_256(xt)), i);
    });
    for (const [hashHex, index] of included) {
      const tx = this.byHash.get(hashHex);
      if (!tx) continue;
      this.removeTx(tx);
      this.emit('status', hashHex, { type: 'inBlock', block: block.hash, index });
      this.emit('status', hashHex, { type: 'finalized', block: block.hash, index });
    }
    const state = this.chain.store.stateAt(block.number);
    const promoted: PoolTx[] = [];
    for (const [sender, q] of [...this.senders]) {
      const before = new Set<number>();
      let n = q.accountNonce;
      while (q.byNonce.has(n)) before.add(n++);
      q.accountNonce = System.Account.get(state, fromHexKey(sender)).nonce;
      for (const tx of [...q.byNonce.values()]) {
        if (tx.nonce < q.accountNonce) {
          this.removeTx(tx);
          this.emit('status', tx.hashHex, { type: 'invalid', reason: INVALID_TEXT.Stale as string });
        } else if (block.number > tx.validUntil) {
          this.removeTx(tx);
          this.emit('status', tx.hashHex, { type: 'invalid', reason: INVALID_TEXT.AncientBirthBlock as string });
        }
      }
      n = q.accountNonce;
      while (q.byNonce.has(n)) {
        if (!before.has(n)) promoted.push(q.byNonce.get(n) as PoolTx);
        n++;
      }
    }
    this.recount();
    for (const tx of promoted) this.emit('status', tx.hashHex, { type: 'ready' });
    this.emit('changed');
  }
}

function fromHexKey(hex: string): Uint8Array {
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** A binary heap ordered by `better`. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(
    private readonly better: (a: T, b: T) => boolean,
    init: T[] = [],
  ) {
    for (const x of init) this.push(x);
  }
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(a[i] as T, a[p] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as T;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.better(a[l] as T, a[m] as T)) m = l;
        if (r < a.length && this.better(a[r] as T, a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

