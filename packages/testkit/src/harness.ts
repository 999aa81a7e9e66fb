/**
 * An in-memory chain over the pure runtime for unit tests: genesis, blocks, signing with
 * automatic nonces, and state helpers. No node, no disk, no ports.
 */
import { type EventRecord, type RuntimeCall, System } from '@taoscript/chain-types';
import { blake2_256 } from '@taoscript/codec';
import type { Keypair } from '@taoscript/crypto';
import {
  type ApplyResult,
  type GenesisConfig,
  MapState,
  Overlay,
  Runtime,
  stateRoot,
} from '@taoscript/runtime';
import { devKeypair, signExtrinsic } from './index.js';

export interface HarnessOptions {
  /** Extra genesis balances (dev accounts Alice..Ferdie get 1,000,000 TAO each unless overridden). */
  balances?: [Uint8Array, bigint][];
  genesis?: Partial<GenesisConfig>;
  runtime?: Runtime;
}

export interface BlockOutcome {
  number: number;
  hash: Uint8Array;
  results: ApplyResult[];
  events: EventRecord[];
}

const TAO = 1_000_000_000n;

/** Builds an in-memory chain; block 1 is authored so signed transactions validate. */
export function runtimeHarness(opts: HarnessOptions = {}) {
  const runtime = opts.runtime ?? new Runtime();
  const alice = devKeypair('Alice');
  const state = new MapState();
  const balances: [Uint8Array, bigint][] = opts.balances ?? [
    ...(['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const).map(
      (n) => [devKeypair(n).publicKey, 1_000_000n * TAO] as [Uint8Array, bigint],
    ),
  ];
  state.apply(runtime.genesis({ balances, sudoKey: alice.publicKey, ...opts.genesis }));
  const genesisHash = blake2_256(new TextEncoder().encode('taoscript-test-genesis'));
  let parentHash = genesisHash;
  let parentRoot = stateRoot(new Uint8Array(32), new Map());
  let number = 0;
  const nonces = new Map<string, number>();

  const h = {
    runtime,
    state,
    genesisHash,
    get number() {
      return number;
    },
    /** Authors one block with these signed extrinsics; fees go to `author` (default Alice). */
    block(xts: Uint8Array[] = [], author: Uint8Array | null = alice.publicKey): BlockOutcome {
      const b = runtime.beginBlock(state, {
        number: number + 1,
        parentHash,
        parentStateRoot: parentRoot,
        author: author ?? undefined,
      });
      b.setTimestamp(BigInt(12_000 * (number + 1)));
      const results = xts.map((x) => b.apply(x));
      const fin = b.finalize();
      state.apply(fin.changes);
      parentHash = fin.hash;
      parentRoot = fin.header.state_root;
      number += 1;
      return { number, hash: fin.hash, results, events: fin.events };
    },
    /** Signs `call` by `signer` with the next nonce this harness tracks. */
    sign(signer: Keypair, call: RuntimeCall, o: { nonce?: number; tip?: bigint } = {}): Uint8Array {
      const key = signer.address();
      const nonce = o.nonce ?? nonces.get(key) ?? System.Account.get(state, signer.publicKey).nonce;
      nonces.set(key, nonce + 1);
      return signExtrinsic({
        call,
        signer,
        nonce,
        genesisHash,
        ...(o.tip !== undefined ? { tip: o.tip } : {}),
      });
    },
    /** Signs and runs one call in its own block; returns its apply result and events. */
    run(signer: Keypair, call: RuntimeCall): { result: ApplyResult; events: EventRecord[] } {
      const out = h.block([h.sign(signer, call)]);
      return { result: out.results[0] as ApplyResult, events: out.events };
    },
    /** A call as root through Sudo (signed by Alice). */
    sudo(call: RuntimeCall): { result: ApplyResult; events: EventRecord[] } {
      return h.run(alice, { type: 'Sudo', value: { type: 'sudo', value: { call } } });
    },
    /** A writable overlay on the current state, for tests that seed storage directly. */
    edit(fn: (ov: Overlay) => void): void {
      const ov = new Overlay(state);
      fn(ov);
      state.apply(ov.changes());
    },
    free: (who: Uint8Array) => System.Account.get(state, who).data.free,
  };
  h.block();
  return h;
}

export type RuntimeHarness = ReturnType<typeof runtimeHarness>;
