/**
 * The transaction pool: full validation before admission (decode, signature over the right
 * payload, era, nonce, fee), ready and future queues per sender, ordering by priority,
 * replacement by a higher-priority transaction with the same nonce, limits, and pruning.
 */
import { EventEmitter } from 'node:events';
import {
  type DecodedExtrinsic,
  decodeExtrinsic,
  System,
  type TransactionValidityError,
  type ValidTransaction,
} from '@taoscript/chain-types';
import { blake2_256, bytesEqual, toHex } from '@taoscript/codec';
import type { ApplyResult, BlockBuilder } from '@taoscript/runtime';
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
  return new PoolError(
    POOL_ERRORS.UNKNOWN,
    'Unknown Transaction Validity',
    v.type === 'Custom' ? `Custom error: ${v.value}` : text,
  );
}

export type TxStatus =
  | { type: 'future' }
  | { type: 'ready' }
  | { type: 'inBlock'; block: Uint8Array; index: number }
  | { type: 'finalized'; block: Uint8Array; index: number }
  | { type: 'usurped'; by: Uint8Array }
  | { type: 'dropped' }
  | { type: 'invalid'; reason: string };

/** A transaction waiting in the pool. */
export interface PoolTx {
  hash: Uint8Array;
  hashHex: string;
  bytes: Uint8Array;
  /** The signer's account id as hex. */
  sender: string;
  nonce: number;
  priority: bigint;
  longevity: bigint;
  insertedAt: number;
  /** The last block number this transaction may be included in. */
  validUntil: number;
  /** The signature was verified against the payload it will be applied with. */
  signatureChecked: boolean;
  /** The decoded form, handed to the block builder so it is not decoded again. */
  decoded: DecodedExtrinsic;
}

/** Admission limits of a {@link TxPool}. */
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

/** The limits a node uses unless told otherwise. */
export const DEFAULT_POOL_LIMITS: PoolLimits = {
  readyCount: 8192,
  futureCount: 819,
  totalBytes: 20 * 1024 * 1024,
  maxNonceGap: 256,
};

/**
 * One sender's transactions. Those with nonces `accountNonce .. accountNonce + readyRun - 1`
 * (all present) are ready; any others (after a gap) are future. Nonces below `accountNonce`
 * never stay in the pool.
 */
interface SenderQueue {
  who: Uint8Array;
  byNonce: Map<number, PoolTx>;
  accountNonce: number;
  readyRun: number;
}

const NEVER = Number.MAX_SAFE_INTEGER;

function checkLimits(limits: PoolLimits): PoolLimits {
  for (const [k, v] of Object.entries(limits))
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RangeError(`pool limit ${k} must be a non-negative integer, got ${String(v)}`);
  return limits;
}

/**
 * The transaction pool. Every admitted transaction passed the runtime's validation at the head;
 * per sender, a transaction is ready when every lower nonce down to the account nonce is in the
 * pool, and future otherwise. Bookkeeping is incremental: admitting, removing and pruning touch
 * only the sender concerned (and, per block, the senders the block touched plus mortal
 * transactions).
 *
 * @example
 * const pool = new TxPool(chain, verifier);
 * const { status } = await pool.submit(signedBytes); // 'ready' | 'future'
 * await chain.authorBlock((builder) => pool.fill(builder));
 */
export class TxPool extends EventEmitter<{ status: [string, TxStatus]; changed: [] }> {
  private readonly byHash = new Map<string, PoolTx>();
  /** Pool transactions by the identity of their decoded bytes (what blocks carry). */
  private readonly byBody = new WeakMap<Uint8Array, PoolTx>();
  private readonly senders = new Map<string, SenderQueue>();
  /** Transactions with a finite lifetime, checked after every block. */
  private readonly mortal = new Set<PoolTx>();
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
    this.limits = checkLimits({ ...DEFAULT_POOL_LIMITS, ...limits });
    chain.on('block', (b) => this.onBlock(b));
  }

  /** How many transactions are ready and future, and their total encoded size. */
  get size(): { ready: number; future: number; bytes: number } {
    return {
      ready: this.readyCount,
      future: this.byHash.size - this.readyCount,
      bytes: this.bytes,
    };
  }

  /** Every pending transaction's bytes (author_pendingExtrinsics), ready ones first. */
  pending(): Uint8Array[] {
    const ready: Uint8Array[] = [];
    const future: Uint8Array[] = [];
    for (const q of this.senders.values()) {
      for (let i = 0; i < q.readyRun; i++)
        ready.push((q.byNonce.get(q.accountNonce + i) as PoolTx).bytes);
      for (const tx of q.byNonce.values())
        if (tx.nonce - q.accountNonce >= q.readyRun) future.push(tx.bytes);
    }
    return [...ready, ...future];
  }

  /** The nonces this sender has waiting in the pool. */
  nonces(who: Uint8Array): Set<number> {
    const q = this.senders.get(toHex(who));
    return new Set(q ? q.byNonce.keys() : []);
  }

  /** Whether a transaction with this hash is in the pool. */
  has(hash: Uint8Array): boolean {
    return this.byHash.has(toHex(hash));
  }

  /**
   * Validates and admits a transaction. Resolves with its hash and whether it is ready;
   * rejects with a PoolError carrying Substrate's code and reason.
   */
  async submit(bytes: Uint8Array): Promise<{ hash: Uint8Array; status: 'ready' | 'future' }> {
    if (!(bytes instanceof Uint8Array))
      throw new TypeError(`a transaction must be a Uint8Array, got ${describe(bytes)}`);
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
    let signatureChecked = false;
    if (this.verifier) {
      const head = this.chain.head;
      const job = this.chain.runtime.signatureJob(
        this.chain.store.stateAt(head.number),
        head,
        decoded,
      );
      // A failed check is left to the runtime, which tells BadProof from an expired era.
      if (job && job.type !== 'ecdsa') {
        const ok = await this.verifier.verify({ ...job, type: job.type });
        // A block may have landed meanwhile; the check only counts if the payload is the same.
        const now = this.chain.head;
        // Only a mortal era's birth-block hash can change; an immortal payload never does.
        if (ok && now !== head && decoded.signed.extra.era.mortal) {
          const again = this.chain.runtime.signatureJob(
            this.chain.store.stateAt(now.number),
            now,
            decoded,
          );
          signatureChecked = again !== undefined && bytesEqual(again.message, job.message);
        } else signatureChecked = ok;
      }
    }
    const at = this.chain.head;
    const validity = this.chain.runtime.validateTransaction(
      this.chain.store.stateAt(at.number),
      at,
      decoded,
      { signatureChecked },
    );
    if (validity.type === 'Err') throw validityToPoolError(validity.value);
    // Validation passed, so the signature matched the payload at `at` (verified here or by the
    // runtime); mortal transactions are pruned before that payload could change.
    return this.insert(decoded, hash, hashHex, bytes, validity.value, at.number);
  }

  private insert(
    decoded: DecodedExtrinsic,
    hash: Uint8Array,
    hashHex: string,
    bytes: Uint8Array,
    v: ValidTransaction,
    atNumber: number,
  ): { hash: Uint8Array; status: 'ready' | 'future' } {
    if (this.byHash.has(hashHex))
      throw new PoolError(POOL_ERRORS.ALREADY_IMPORTED, 'Transaction Already Imported');
    const signed = decoded.signed as NonNullable<DecodedExtrinsic['signed']>;
    const who = (signed.address as { value: Uint8Array }).value;
    const sender = toHex(who);
    const nonce = signed.extra.nonce;
    const accountNonce = System.Account.get(this.chain.store.stateAt(atNumber), who).nonce;
    let q = this.senders.get(sender);
    // Normally already in step (pruned on every block); resync if the state moved otherwise.
    if (q && q.accountNonce !== accountNonce) {
      const promoted: PoolTx[] = [];
      this.resync(q, accountNonce, q.accountNonce + q.readyRun, promoted);
      this.announce(promoted);
      q = this.senders.get(sender);
    }
    if (nonce > accountNonce + this.limits.maxNonceGap)
      throw new PoolError(
        POOL_ERRORS.INVALID,
        'Invalid Transaction',
        `Transaction will be valid in the future: nonce ${nonce} is more than ${this.limits.maxNonceGap} ahead of the account nonce ${accountNonce}`,
      );
    const existing = q?.byNonce.get(nonce);
    if (existing && existing.priority >= v.priority)
      throw new PoolError(
        POOL_ERRORS.TOO_LOW_PRIORITY,
        'Priority is too low',
        `Priority is too low: (${existing.priority} vs ${v.priority})`,
      );
    // What admitting it would do to the counts, checked before anything changes.
    const readyEnd = q ? q.accountNonce + q.readyRun : accountNonce;
    let gained = 0;
    if (!existing && nonce === readyEnd) {
      gained = 1;
      while (q?.byNonce.has(nonce + gained)) gained++;
    }
    const future = this.byHash.size - this.readyCount;
    const readyAfter = this.readyCount + gained;
    const futureAfter = existing ? future : gained > 0 ? future - (gained - 1) : future + 1;
    const bytesAfter = this.bytes + bytes.length - (existing?.bytes.length ?? 0);
    if (
      (readyAfter > this.limits.readyCount && readyAfter > this.readyCount) ||
      (futureAfter > this.limits.futureCount && futureAfter > future) ||
      (bytesAfter > this.limits.totalBytes && bytesAfter > this.bytes)
    ) {
      // Full: the newcomer goes (Substrate drops the lowest priority; a newcomer never evicts).
      throw new PoolError(
        POOL_ERRORS.IMMEDIATELY_DROPPED,
        'Immediately Dropped',
        `The transaction could not enter the pool because of the limit (ready ${this.readyCount}/${this.limits.readyCount}, future ${future}/${this.limits.futureCount}, bytes ${this.bytes}/${this.limits.totalBytes})`,
      );
    }
    const tx: PoolTx = {
      decoded,
      hash,
      hashHex,
      bytes,
      sender,
      nonce,
      priority: v.priority,
      longevity: v.longevity,
      insertedAt: this.seq++,
      validUntil: v.longevity >= BigInt(NEVER - atNumber) ? NEVER : atNumber + Number(v.longevity),
      signatureChecked: true,
    };
    if (!q) {
      q = { who, byNonce: new Map(), accountNonce, readyRun: 0 };
      this.senders.set(sender, q);
    }
    let ready: boolean;
    let promoted: PoolTx[] = [];
    if (existing) {
      // Same slot, same readiness; only the transaction changes.
      ready = existing.nonce - q.accountNonce < q.readyRun;
      this.forget(existing);
      q.byNonce.set(nonce, tx);
      this.remember(tx);
      this.emit('status', existing.hashHex, { type: 'usurped', by: hash });
    } else {
      q.byNonce.set(nonce, tx);
      this.remember(tx);
      const newly = gained > 0 ? this.extendRun(q) : [];
      ready = newly.length > 0;
      promoted = newly.slice(1);
    }
    this.emit('status', hashHex, ready ? { type: 'ready' } : { type: 'future' });
    this.announce(promoted);
    this.emit('changed');
    return { hash, status: ready ? 'ready' : 'future' };
  }

  private announce(promoted: PoolTx[]): void {
    for (const t of promoted) this.emit('status', t.hashHex, { type: 'ready' });
  }

  /** Adds to the hash index and totals (not to a sender queue). */
  private remember(tx: PoolTx): void {
    this.byHash.set(tx.hashHex, tx);
    this.byBody.set(tx.decoded.bytes, tx);
    this.bytes += tx.bytes.length;
    if (tx.validUntil !== NEVER) this.mortal.add(tx);
  }

  /** Removes from the hash index and totals (not from a sender queue). */
  private forget(tx: PoolTx): void {
    if (this.byHash.delete(tx.hashHex)) this.bytes -= tx.bytes.length;
    this.mortal.delete(tx);
  }

  /** Grows a sender's ready run over the nonces now contiguous; returns the newly ready. */
  private extendRun(q: SenderQueue): PoolTx[] {
    const out: PoolTx[] = [];
    for (;;) {
      const t = q.byNonce.get(q.accountNonce + q.readyRun);
      if (!t) break;
      out.push(t);
      q.readyRun++;
    }
    this.readyCount += out.length;
    return out;
  }

  /** Takes a transaction out; the sender's later nonces become future if it was ready. */
  private removeTx(tx: PoolTx): void {
    const q = this.senders.get(tx.sender);
    if (q && q.byNonce.get(tx.nonce) === tx) {
      const offset = tx.nonce - q.accountNonce;
      if (offset >= 0 && offset < q.readyRun) {
        this.readyCount -= q.readyRun - offset;
        q.readyRun = offset;
      }
      q.byNonce.delete(tx.nonce);
      if (q.byNonce.size === 0) this.senders.delete(tx.sender);
    }
    this.forget(tx);
  }

  /**
   * Moves a sender to a new account nonce: drops what became stale (reported `invalid`) and
   * recomputes the ready run; pushes transactions that were future (at or past `oldEnd`, the end
   * of the ready run before the change) and are now ready.
   */
  private resync(q: SenderQueue, accountNonce: number, oldEnd: number, promoted: PoolTx[]): void {
    const oldNonce = q.accountNonce;
    this.readyCount -= q.readyRun;
    q.readyRun = 0;
    q.accountNonce = accountNonce;
    const stale: PoolTx[] = [];
    if (accountNonce > oldNonce && accountNonce - oldNonce < q.byNonce.size) {
      for (let n = oldNonce; n < accountNonce; n++) {
        const t = q.byNonce.get(n);
        if (t) stale.push(t);
      }
    } else for (const t of q.byNonce.values()) if (t.nonce < accountNonce) stale.push(t);
    for (const t of stale) {
      this.removeTx(t);
      this.emit('status', t.hashHex, { type: 'invalid', reason: INVALID_TEXT.Stale as string });
    }
    if (q.byNonce.size === 0) return;
    for (const t of this.extendRun(q)) if (t.nonce >= oldEnd) promoted.push(t);
  }

  /**
   * Fills a block: repeatedly takes the highest-priority ready transaction (each sender's
   * lowest nonce first) and applies it. Invalid transactions leave the pool.
   */
  fill(
    builder: BlockBuilder,
    maxTxs = Number.POSITIVE_INFINITY,
  ): { xt: Uint8Array; result: ApplyResult }[] {
    const out: { xt: Uint8Array; result: ApplyResult }[] = [];
    // The block being built sits on the head.
    const number = this.chain.head.number + 1;
    // One cursor per sender: the next nonce to try.
    const heads: PoolTx[] = [];
    for (const q of this.senders.values()) {
      const t = q.readyRun > 0 ? q.byNonce.get(q.accountNonce) : undefined;
      if (t) heads.push(t);
    }
    const better = (a: PoolTx, b: PoolTx) =>
      a.priority > b.priority || (a.priority === b.priority && a.insertedAt < b.insertedAt);
    const heap = new Heap<PoolTx>(better, heads);
    let removed = false;
    const drop = (tx: PoolTx, reason: string) => {
      this.removeTx(tx);
      removed = true;
      this.emit('status', tx.hashHex, { type: 'invalid', reason });
    };
    while (heap.size > 0 && out.length < maxTxs) {
      const tx = heap.pop() as PoolTx;
      if (tx.validUntil < number) {
        drop(tx, INVALID_TEXT.AncientBirthBlock as string);
        continue;
      }
      const result = builder.apply(tx.decoded, { signatureChecked: tx.signatureChecked });
      if (result.ok) {
        out.push({ xt: tx.bytes, result });
        const next = this.senders.get(tx.sender)?.byNonce.get(tx.nonce + 1);
        if (next) heap.push(next);
        continue;
      }
      const err = result.error;
      // The block is full: stop here, everything stays for the next one.
      if (err.type === 'Invalid' && err.value.type === 'ExhaustsResources') break;
      // Not yet valid: keep it (its sender's later nonces wait behind it).
      if (err.type === 'Invalid' && err.value.type === 'Future') continue;
      // Anything else is invalid now: drop it; its sender's later transactions become future.
      drop(tx, validityToPoolError(err).data ?? '');
    }
    if (removed) this.emit('changed');
    return out;
  }

  /** After a block: prune included and stale transactions, promote futures, expire old eras. */
  private onBlock(block: AuthoredBlock): void {
    // Senders whose account nonce the block may have moved, with where their ready run ended.
    const touched = new Map<string, number>();
    const touch = (sender: string) => {
      const q = this.senders.get(sender);
      if (q && !touched.has(sender)) touched.set(sender, q.accountNonce + q.readyRun);
    };
    block.body.forEach((xt, index) => {
      // The builder keeps the very byte arrays the pool handed it: no need to hash them again.
      const known = this.byBody.get(xt);
      const hashHex = known ? known.hashHex : toHex(blake2_256(xt));
      const tx = this.byHash.get(hashHex);
      if (tx) {
        touch(tx.sender);
        this.removeTx(tx);
        this.emit('status', hashHex, { type: 'inBlock', block: block.hash, index });
        this.emit('status', hashHex, { type: 'finalized', block: block.hash, index });
        return;
      }
      const signer = signerOf(xt);
      if (signer !== undefined) touch(signer);
    });
    // Mortal transactions that cannot go into the next block.
    for (const tx of [...this.mortal]) {
      if (tx.validUntil > block.number) continue;
      this.removeTx(tx);
      this.emit('status', tx.hashHex, {
        type: 'invalid',
        reason: INVALID_TEXT.AncientBirthBlock as string,
      });
    }
    const state = this.chain.store.stateAt(block.number);
    const promoted: PoolTx[] = [];
    for (const [sender, oldEnd] of touched) {
      const q = this.senders.get(sender);
      if (q) this.resync(q, System.Account.get(state, q.who).nonce, oldEnd, promoted);
    }
    this.announce(promoted);
    this.emit('changed');
  }
}

/** The signer of an encoded extrinsic as hex, if it is signed by an account id. */
function signerOf(xt: Uint8Array): string | undefined {
  try {
    const address = decodeExtrinsic(xt).signed?.address;
    return address?.type === 'Id' ? toHex(address.value) : undefined;
  } catch {
    return undefined;
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
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
