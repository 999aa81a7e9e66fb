/**
 * The runtime: genesis, block building (initialize, apply extrinsics, finalize), transaction
 * validation and the runtime APIs. Pure: the node passes state, block numbers and time in.
 */
import {
  AccountId32,
  Balances,
  BLOCK_HASH_COUNT,
  Bytes,
  type DecodedExtrinsic,
  type DigestItem,
  type DispatchError,
  decodeExtrinsic,
  type EventRecord,
  EXTRINSIC_BASE_WEIGHT,
  encodeExtrinsic,
  encodeImplicit,
  eraBirth,
  Header,
  type InvalidTransaction,
  MAX_BLOCK_LENGTH,
  MAX_NORMAL_BLOCK_LENGTH,
  MAX_NORMAL_EXTRINSIC_WEIGHT,
  MAXIMUM_BLOCK_WEIGHT,
  NORMAL_DISPATCH_RATIO_PERCENT,
  type RuntimeCall,
  type RuntimeVersion,
  Sudo,
  System,
  SystemEvents,
  signingPayload,
  subtensorRuntimeApis,
  Timestamp,
  type TransactionValidity,
  type TransactionValidityError,
  Tuple,
  u32,
  Vec,
} from '@taoscript/chain-types';
import { blake2_256, concatBytes, fromHex } from '@taoscript/codec';
import { ed25519Verify, sr25519Verify } from '@taoscript/crypto';
import {
  BAD_ORIGIN,
  type DispatchContext,
  type DispatchOutcome,
  fail,
  type Origin,
} from './dispatch.js';
import { callInfo, computeFee, type DispatchInfo, priority, totalFee } from './fees.js';
import { depositCredit, dispatchBalances, withdrawFee } from './pallets/balances.js';
import { dispatchSudo } from './pallets/sudo.js';
import { CODE_KEY, dispatchSystem, incrementNonce } from './pallets/system.js';
import { dispatchUtility } from './pallets/utility.js';
import { type Changes, Overlay, type StateReader } from './state.js';
import { type SubtensorGenesisConfig, subtensorGenesis } from './subtensor/genesis.js';
import { blockHooks, dispatchSubtensorPallet } from './subtensor/index.js';

export type SignatureType = 'sr25519' | 'ed25519' | 'ecdsa';
export type VerifyFn = (
  type: SignatureType,
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => boolean;

/** Verifies with the pure-JS crypto package (the node passes a faster one). */
export const defaultVerify: VerifyFn = (type, sig, msg, pub) => {
  if (type === 'sr25519') return sr25519Verify(sig, msg, pub);
  if (type === 'ed25519') return ed25519Verify(sig, msg, pub);
  return false;
};

export interface RuntimeConfig {
  specName?: string;
  implName?: string;
  specVersion?: number;
  implVersion?: number;
  transactionVersion?: number;
  ss58Prefix?: number;
  /** Target block time: drives Timestamp.MinimumPeriod. */
  blockTimeMs?: number;
  verify?: VerifyFn;
}

export interface GenesisConfig {
  balances: [Uint8Array, bigint][];
  sudoKey?: Uint8Array;
  /** Stored under `:code`; polkadot-api identifies a runtime by its hash. */
  code?: Uint8Array;
  /** SubtensorModule: root owner, start-call delay and dev subnets (root is always created). */
  subtensor?: SubtensorGenesisConfig;
}

/** The Substrate API ids (blake2_64 of the trait name) and versions we implement. */
export const RUNTIME_APIS: [string, number][] = [
  ['0xdf6acb689907609b', 5], // Core
  ['0x37e397fc7c91f5e4', 2], // Metadata
  ['0xd2bc9897eed08f15', 3], // TaggedTransactionQueue
  ['0xbc9d89904f5b923f', 1], // AccountNonceApi
  ['0x37c8bb1350a9a2a8', 4], // TransactionPaymentApi
  // Subtensor's own: DelegateInfo, NeuronInfo, SubnetInfo (v2), StakeInfo, SubnetRegistration, Swap.
  ...subtensorRuntimeApis().map((api): [string, number] => [api.id, api.version]),
];

/** The placeholder Substrate stores as block 0's hash until block 1 records the real one. */
const HASH69 = new Uint8Array(32).fill(69);

const invalid = (t: InvalidTransaction['type'], custom?: number): TransactionValidityError =>
  ({
    type: 'Invalid',
    value: custom === undefined ? { type: t } : { type: t, value: custom },
  }) as TransactionValidityError;

export interface BlockParams {
  number: number;
  parentHash: Uint8Array;
  parentStateRoot: Uint8Array;
  /** Receives the fees; `undefined` burns them. */
  author: Uint8Array | undefined;
  digest?: DigestItem[];
}

export type ApplyResult =
  | { ok: true; outcome: DispatchOutcome; events: EventRecord[] }
  | { ok: false; error: TransactionValidityError };

interface SignedCheck {
  who: Uint8Array;
  info: DispatchInfo;
  fee: bigint;
  nonce: number;
  accountNonce: number;
  longevity: bigint;
  priority: bigint;
}

export interface ApplyOptions {
  /** The signature was already verified (by the pool, off the main thread). */
  signatureChecked?: boolean;
}

export class Runtime {
  readonly version: RuntimeVersion;
  readonly blockTimeMs: number;
  readonly ss58Prefix: number;
  readonly verify: VerifyFn;

  constructor(cfg: RuntimeConfig = {}) {
    this.blockTimeMs = cfg.blockTimeMs ?? 12_000;
    this.ss58Prefix = cfg.ss58Prefix ?? 42;
    this.verify = cfg.verify ?? defaultVerify;
    this.version = {
      spec_name: cfg.specName ?? 'node-subtensor',
      impl_name: cfg.implName ?? 'taoscript',
      authoring_version: 1,
      spec_version: cfg.specVersion ?? 425,
      impl_version: cfg.implVersion ?? 1,
      apis: RUNTIME_APIS.map(([id, v]) => [fromHex(id), v]),
      transaction_version: cfg.transactionVersion ?? 1,
      system_version: 1,
    };
  }

  /** The genesis state: balances, issuance, sudo key, SubtensorModule (root subnet) and `:code`. */
  genesis(cfg: GenesisConfig): Changes {
    const ov = new Overlay(EMPTY_STATE);
    let issuance = 0n;
    for (const [who, amount] of cfg.balances) {
      const info = System.Account.get(ov, who);
      info.providers = 1;
      info.data.free += amount;
      issuance += amount;
      System.Account.set(ov, who, info);
    }
    Balances.TotalIssuance.set(ov, issuance);
    if (cfg.sudoKey) Sudo.Key.set(ov, cfg.sudoKey);
    subtensorGenesis(ov, cfg);
    System.BlockHash.set(ov, 0, HASH69);
    System.ParentHash.set(ov, HASH69);
    ov.set(
      CODE_KEY,
      cfg.code ??
        new TextEncoder().encode(
          `taoscript:${this.version.spec_name}:${this.version.spec_version}`,
        ),
    );
    return ov.changes();
  }

  /** Starts building block `p.number` on top of `base` (the parent's state). */
  beginBlock(base: StateReader, p: BlockParams): BlockBuilder {
    return new BlockBuilder(this, base, p);
  }

  /**
   * TaggedTransactionQueue_validate_transaction: checks an extrinsic against the state after
   * `bestNumber`, as the pool does before admitting it.
   */
  validateTransaction(
    base: StateReader,
    best: { number: number; hash: Uint8Array },
    xt: Uint8Array | DecodedExtrinsic,
    opts: ApplyOptions = {},
  ): TransactionValidity {
    let decoded: DecodedExtrinsic;
    try {
      decoded = xt instanceof Uint8Array ? decodeExtrinsic(xt) : xt;
    } catch {
      return { type: 'Err', value: invalid('Call') };
    }
    const ov = new Overlay(base);
    const number = best.number + 1;
    System.BlockHash.set(ov, best.number, best.hash);
    System.Number.set(ov, number);
    if (!decoded.signed) {
      // Inherents are only valid inside a block, never from the pool.
      return { type: 'Err', value: invalid('Call') };
    }
    const check = this.checkSigned(ov, decoded, number, 'validate', opts);
    if ('error' in check) return { type: 'Err', value: check.error };
    const provides = [Tuple(AccountId32, u32).enc([check.who, check.nonce])];
    const requires =
      check.nonce > check.accountNonce
        ? [Tuple(AccountId32, u32).enc([check.who, check.nonce - 1])]
        : [];
    return {
      type: 'Ok',
      value: {
        priority: check.priority,
        requires,
        provides,
        longevity: check.longevity,
        propagate: true,
      },
    };
  }

  /** The signer's payload and key, for verifying a signature outside the runtime. */
  signatureJob(
    base: StateReader,
    best: { number: number; hash: Uint8Array },
    xt: DecodedExtrinsic,
  ):
    | { type: SignatureType; signature: Uint8Array; message: Uint8Array; publicKey: Uint8Array }
    | undefined {
    if (!xt.signed) return undefined;
    const ov = new Overlay(base);
    System.BlockHash.set(ov, best.number, best.hash);
    const payload = this.payloadFor(ov, xt, best.number + 1);
    if (!payload || xt.signed.address.type !== 'Id') return undefined;
    const sig = xt.signed.signature;
    return {
      type: sig.type === 'Sr25519' ? 'sr25519' : sig.type === 'Ed25519' ? 'ed25519' : 'ecdsa',
      signature: sig.value,
      message: payload,
      publicKey: xt.signed.address.value,
    };
  }

  private payloadFor(ov: Overlay, xt: DecodedExtrinsic, current: number): Uint8Array | undefined {
    const s = xt.signed;
    if (!s || !xt.extraBytes) return undefined;
    const birth = eraBirth(s.extra.era, current);
    const eraHash = System.BlockHash.tryGet(ov, birth);
    const genesis = System.BlockHash.tryGet(ov, 0);
    if (!eraHash || !genesis) return undefined;
    const implicit = encodeImplicit({
      specVersion: this.version.spec_version,
      txVersion: this.version.transaction_version,
      genesisHash: genesis,
      eraBlockHash: eraHash,
    });
    return signingPayload(xt.callBytes, xt.extraBytes, implicit);
  }

  /** The transaction extensions' checks, in subtensor's order. */
  checkSigned(
    ov: Overlay,
    xt: DecodedExtrinsic,
    current: number,
    mode: 'validate' | 'apply',
    opts: ApplyOptions,
  ): SignedCheck | { error: TransactionValidityError } {
    const s = xt.signed;
    if (!s) return { error: invalid('Call') };
    if (s.address.type !== 'Id')
      return { error: { type: 'Unknown', value: { type: 'CannotLookup' } } };
    const who = s.address.value;
    // CheckNonZeroSender
    if (who.every((b) => b === 0)) return { error: invalid('BadSigner') };
    // CheckMortality: the birth block must still be known.
    const birth = eraBirth(s.extra.era, current);
    if (!System.BlockHash.tryGet(ov, birth) || (s.extra.era.mortal && birth > current))
      return { error: invalid('AncientBirthBlock') };
    // The signature over call ++ explicit ++ implicit (spec, tx version, genesis, era block).
    if (!opts.signatureChecked) {
      const payload = this.payloadFor(ov, xt, current);
      const sigType =
        s.signature.type === 'Sr25519'
          ? 'sr25519'
          : s.signature.type === 'Ed25519'
            ? 'ed25519'
            : 'ecdsa';
      if (!payload || !this.verify(sigType, s.signature.value, payload, who)) {
        // A mortal transaction whose period has passed verifies against an earlier birth block.
        if (s.extra.era.mortal && payload && this.expiredEra(ov, xt, current, sigType))
          return { error: invalid('AncientBirthBlock') };
        return { error: invalid('BadProof') };
      }
    }
    // CheckNonce
    const account = System.Account.get(ov, who);
    if (s.extra.nonce < account.nonce) return { error: invalid('Stale') };
    if (mode === 'apply' && s.extra.nonce > account.nonce) return { error: invalid('Future') };
    if (account.providers === 0 && account.sufficients === 0) return { error: invalid('Payment') };
    // CheckWeight
    const info = callInfo(xt.call);
    const len = xt.bytes.length;
    if (info.class !== 'Mandatory') {
      const maxLen = info.class === 'Normal' ? MAX_NORMAL_BLOCK_LENGTH : MAX_BLOCK_LENGTH;
      const maxWeight =
        info.class === 'Normal'
          ? MAX_NORMAL_EXTRINSIC_WEIGHT.ref_time
          : MAXIMUM_BLOCK_WEIGHT.ref_time - EXTRINSIC_BASE_WEIGHT.ref_time;
      if (len > maxLen || info.weight.ref_time > maxWeight)
        return { error: invalid('ExhaustsResources') };
    }
    // ChargeTransactionPayment: the fee must be payable, keeping the existential deposit.
    const fee = totalFee(computeFee(len, info, s.extra.tip));
    const free = account.data.free - account.data.frozen;
    if (fee > 0n && (free < fee || account.data.free - fee < 500n))
      return { error: invalid('Payment') };
    const death = s.extra.era.mortal ? birth + s.extra.era.period : Number.MAX_SAFE_INTEGER;
    const longevity = s.extra.era.mortal
      ? BigInt(Math.max(death - current, 0))
      : 0xffff_ffff_ffff_ffffn;
    return {
      who,
      info,
      fee,
      nonce: s.extra.nonce,
      accountNonce: account.nonce,
      longevity,
      priority: priority(len, info, s.extra.tip, fee),
    };
  }

  private expiredEra(
    ov: Overlay,
    xt: DecodedExtrinsic,
    current: number,
    sigType: SignatureType,
  ): boolean {
    const s = xt.signed;
    if (!s?.extra.era.mortal || !xt.extraBytes) return false;
    const period = s.extra.era.period;
    const genesis = System.BlockHash.tryGet(ov, 0);
    if (!genesis) return false;
    // Look back a few periods for the block the signer actually used.
    for (let k = 1; k <= 4; k++) {
      const birth = eraBirth(s.extra.era, current) - k * period;
      if (birth < 0) break;
      const hash = System.BlockHash.tryGet(ov, birth);
      if (!hash) continue;
      const payload = signingPayload(
        xt.callBytes,
        xt.extraBytes,
        encodeImplicit({
          specVersion: this.version.spec_version,
          txVersion: this.version.transaction_version,
          genesisHash: genesis,
          eraBlockHash: hash,
        }),
      );
      if (this.verify(sigType, s.signature.value, payload, s.address.value as Uint8Array))
        return true;
    }
    return false;
  }

  /** Routes a call to its pallet. */
  dispatch = (ctx: DispatchContext, origin: Origin, call: RuntimeCall): DispatchOutcome => {
    switch (call.type) {
      case 'System':
        return dispatchSystem(ctx, origin, call.value);
      case 'Timestamp':
        return fail(BAD_ORIGIN);
      case 'Balances':
        return dispatchBalances(ctx, origin, call.value);
      case 'Utility':
        return dispatchUtility(ctx, origin, call.value, this.dispatch);
      case 'Sudo':
        return dispatchSudo(ctx, origin, call.value, this.dispatch);
      case 'SubtensorModule':
      case 'Commitments':
      case 'AdminUtils':
      case 'Swap':
        return dispatchSubtensorPallet(ctx, origin, call);
    }
  };

  /** TransactionPaymentApi_query_info for an encoded extrinsic of `len` bytes. */
  queryInfo(xt: Uint8Array, len: number) {
    const decoded = decodeExtrinsic(xt);
    const info = callInfo(decoded.call);
    const parts = computeFee(len, info, 0n);
    const partialFee = decoded.signed ? totalFee(parts) : 0n;
    return {
      weight: info.weight,
      class: { type: info.class },
      partial_fee: partialFee,
      parts: decoded.signed ? parts : { baseFee: 0n, lenFee: 0n, adjustedWeightFee: 0n, tip: 0n },
      signed: decoded.signed !== undefined,
    };
  }
}

const EMPTY_STATE: StateReader = { get: () => undefined, keys: () => [] };

/** Builds one block: initialize, inherents, extrinsics, finalize. */
export class BlockBuilder {
  readonly overlay: Overlay;
  readonly extrinsics: Uint8Array[] = [];
  /** This block's events, kept in the overlay so a rolled-back call loses its events too. */
  private get events(): EventRecord[] {
    return this.overlay.events as EventRecord[];
  }
  private phase: EventRecord['phase'] = { type: 'Initialization' };
  private normalWeight = 0n;
  private normalLength = 0;
  private finalized = false;

  constructor(
    private readonly runtime: Runtime,
    base: StateReader,
    private readonly p: BlockParams,
  ) {
    this.overlay = new Overlay(base);
    const ov = this.overlay;
    System.Number.set(ov, p.number);
    System.ParentHash.set(ov, p.parentHash);
    System.BlockHash.set(ov, p.number - 1, p.parentHash);
    System.Digest.set(ov, { logs: p.digest ?? [] });
    System.BlockWeight.remove(ov);
    SystemEvents.remove(ov);
    System.EventCount.remove(ov);
    const ctx = this.ctx();
    for (const hook of blockHooks.onInitialize) hook(ctx);
  }

  private ctx(): DispatchContext {
    return {
      state: this.overlay,
      blockNumber: this.p.number,
      author: this.p.author,
      deposit: (event) => this.events.push({ phase: this.phase, event, topics: [] }),
    };
  }

  /** The mandatory `Timestamp.set` inherent (first extrinsic of every block). */
  setTimestamp(nowMs: bigint): Uint8Array {
    const prev = Timestamp.Now.get(this.overlay);
    if (nowMs <= prev) nowMs = prev + 1n;
    const call: RuntimeCall = { type: 'Timestamp', value: { type: 'set', value: { now: nowMs } } };
    const bytes = encodeExtrinsic(call);
    this.phase = { type: 'ApplyExtrinsic', value: this.extrinsics.length };
    Timestamp.Now.set(this.overlay, nowMs);
    Timestamp.DidUpdate.set(this.overlay, true);
    const info = callInfo(call);
    this.extrinsics.push(bytes);
    this.ctx().deposit({
      type: 'System',
      value: {
        type: 'ExtrinsicSuccess',
        value: {
          dispatch_info: {
            weight: info.weight,
            class: { type: 'Mandatory' },
            pays_fee: { type: 'Yes' },
          },
        },
      },
    });
    return bytes;
  }

  /**
   * Applies one extrinsic. A transaction-validity failure leaves state untouched and the
   * extrinsic out of the block; a dispatch failure is included (fee paid, ExtrinsicFailed).
   */
  apply(xt: Uint8Array | DecodedExtrinsic, opts: ApplyOptions = {}): ApplyResult {
    if (this.finalized) throw new Error('block already finalized');
    let decoded: DecodedExtrinsic;
    try {
      decoded = xt instanceof Uint8Array ? decodeExtrinsic(xt) : xt;
    } catch {
      return { ok: false, error: invalid('Call') };
    }
    if (!decoded.signed)
      return { ok: false, error: { type: 'Unknown', value: { type: 'NoUnsignedValidator' } } };
    const ov = this.overlay;
    ov.begin();
    const check = this.runtime.checkSigned(ov, decoded, this.p.number, 'apply', opts);
    if ('error' in check) {
      ov.rollback();
      return { ok: false, error: check.error };
    }
    const len = decoded.bytes.length;
    const total = check.info.weight.ref_time + EXTRINSIC_BASE_WEIGHT.ref_time;
    const maxNormal = (MAXIMUM_BLOCK_WEIGHT.ref_time * NORMAL_DISPATCH_RATIO_PERCENT) / 100n;
    const maxNormalLen = MAX_NORMAL_BLOCK_LENGTH;
    if (
      check.info.class === 'Normal' &&
      (this.normalWeight + total > maxNormal || this.normalLength + len > maxNormalLen)
    ) {
      ov.rollback();
      return { ok: false, error: invalid('ExhaustsResources') };
    }
    const eventsBefore = this.events.length;
    this.phase = { type: 'ApplyExtrinsic', value: this.extrinsics.length };
    const ctx = this.ctx();
    incrementNonce(ctx, check.who);
    if (!withdrawFee(ctx, check.who, check.fee)) {
      ov.rollback();
      this.events.length = eventsBefore;
      return { ok: false, error: invalid('Payment') };
    }
    const outcome = ov.transactional(() =>
      this.runtime.dispatch(ctx, { type: 'Signed', who: check.who }, decoded.call),
    );
    // Post-dispatch: refund what Pays::No waives, then pay the author.
    const paysFee = outcome.post?.paysFee ?? check.info.paysFee;
    const tip = decoded.signed.extra.tip;
    const actual = paysFee === 'No' ? tip : check.fee;
    const refund = check.fee - actual;
    if (refund > 0n) depositCredit(ctx, check.who, refund);
    depositCredit(ctx, this.p.author, actual);
    ctx.deposit({
      type: 'TransactionPayment',
      value: { type: 'TransactionFeePaid', value: { who: check.who, actual_fee: actual, tip } },
    });
    const dispatchInfo = {
      weight: check.info.weight,
      class: { type: check.info.class },
      pays_fee: { type: paysFee },
    } as const;
    ctx.deposit({
      type: 'System',
      value: outcome.ok
        ? { type: 'ExtrinsicSuccess', value: { dispatch_info: dispatchInfo } }
        : {
            type: 'ExtrinsicFailed',
            value: { dispatch_error: outcome.error as DispatchError, dispatch_info: dispatchInfo },
          },
    });
    ov.commit();
    if (check.info.class === 'Normal') {
      this.normalWeight += total;
      this.normalLength += len;
    }
    this.extrinsics.push(decoded.bytes);
    return { ok: true, outcome, events: this.events.slice(eventsBefore) };
  }

  /** Ends the block: finalization hooks, events, roots. Returns the header and its hash. */
  finalize(): { header: Header; hash: Uint8Array; changes: Changes; events: EventRecord[] } {
    if (this.finalized) throw new Error('block already finalized');
    this.finalized = true;
    const ov = this.overlay;
    this.phase = { type: 'Finalization' };
    Timestamp.DidUpdate.remove(ov);
    const n = this.p.number;
    const toRemove = n - BLOCK_HASH_COUNT - 1;
    if (toRemove > 0) System.BlockHash.remove(ov, toRemove);
    System.ExecutionPhase.remove(ov);
    System.ExtrinsicCount.remove(ov);
    System.AllExtrinsicsLen.remove(ov);
    SystemEvents.set(ov, this.events);
    System.EventCount.set(ov, this.events.length);
    const changes = ov.changes();
    const header: Header = {
      parent_hash: this.p.parentHash,
      number: n,
      state_root: stateRoot(this.p.parentStateRoot, changes),
      extrinsics_root: blake2_256(Vec(Bytes).enc(this.extrinsics)),
      digest: { logs: this.p.digest ?? [] },
    };
    return { header, hash: blake2_256(Header.enc(header)), changes, events: this.events };
  }
}

/**
 * The state commitment: blake2_256 over the parent's root and this block's sorted changes.
 * (Not a Merkle-Patricia trie root: storage proofs are not offered.)
 */
export function stateRoot(parentRoot: Uint8Array, changes: Changes): Uint8Array {
  const keys = [...changes.keys()].sort();
  const parts: Uint8Array[] = [parentRoot];
  for (const k of keys) {
    const v = changes.get(k);
    parts.push(
      blake2_256(
        concatBytes(
          fromHex(k),
          v === null || v === undefined
            ? new Uint8Array([0])
            : concatBytes(new Uint8Array([1]), blake2_256(v)),
        ),
      ),
    );
  }
  return blake2_256(concatBytes(...parts));
}
