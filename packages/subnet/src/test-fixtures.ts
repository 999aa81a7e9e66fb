/** A scripted chain for unit tests: a real `Metagraph` over a fake `MetagraphSource`. */
import type { AxonInfo, Metagraph as MetagraphInfo } from '@taoscript/chain-types';
import type { HexString } from '@taoscript/codec';
import { type BlockRef, Metagraph, type MetagraphSource } from '@taoscript/sdk';
import { type NeuronConfig, type NeuronRole, parseNeuronConfig } from './config.js';

/** One uid of the fake subnet. */
export interface FakeNeuron {
  /** 32-byte public key. */
  hotkey: Uint8Array;
  permit?: boolean;
  /** Total stake in rao. */
  stake?: bigint;
  /** Serving an axon (at 10.0.0.<uid+1>:8091). */
  serving?: boolean;
  lastUpdate?: bigint;
  registeredAt?: bigint;
}

/** A 32-byte key filled with `n` (distinct, valid SS58 payloads). */
export const fakeKey = (n: number): Uint8Array => new Uint8Array(32).fill(n);

const hashOf = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as HexString;

/** A subnet whose neurons a test edits between resyncs (each `advance()` is a new block). */
export class FakeSubnet implements MetagraphSource {
  readonly ss58Prefix = 42;
  number = 10;
  neurons: FakeNeuron[];
  /** Runtime calls made, by method name. */
  calls: string[] = [];

  constructor(neurons: FakeNeuron[]) {
    this.neurons = neurons;
  }

  advance(blocks = 1): void {
    this.number += blocks;
  }

  async block(_at?: BlockRef): Promise<{ hash: HexString; number: number }> {
    return { hash: hashOf(this.number), number: this.number };
  }

  async query<V>(): Promise<V> {
    return [] as V;
  }

  async runtimeApi<T>(_api: string, method: string): Promise<T> {
    this.calls.push(method);
    if (method === 'get_neurons_lite' || method === 'get_neurons') return [] as T;
    if (method !== 'get_metagraph') throw new Error(`unexpected runtime call ${method}`);
    const ns = this.neurons;
    const axon = (n: FakeNeuron, uid: number): AxonInfo => ({
      block: 1n,
      version: 1,
      ip: n.serving ? BigInt(0x0a000000 + uid + 1) : 0n,
      port: n.serving ? 8091 : 0,
      ip_type: 4,
      protocol: 4,
      placeholder1: 0,
      placeholder2: 0,
    });
    const info: Partial<MetagraphInfo> = {
      name: [],
      symbol: [],
      tempo: 360,
      last_step: 0n,
      commit_reveal_weights_enabled: false,
      hotkeys: ns.map((n) => n.hotkey),
      coldkeys: ns.map((n) => n.hotkey),
      active: ns.map(() => true),
      validator_permit: ns.map((n) => n.permit ?? false),
      last_update: ns.map((n) => n.lastUpdate ?? 0n),
      block_at_registration: ns.map((n) => n.registeredAt ?? 0n),
      pruning_score: ns.map(() => 0),
      consensus: ns.map(() => 0),
      incentives: ns.map(() => 0),
      dividends: ns.map(() => 0),
      trust: ns.map(() => 0),
      rank: ns.map(() => 0),
      emission: ns.map(() => 0n),
      alpha_stake: ns.map((n) => n.stake ?? 0n),
      tao_stake: ns.map(() => 0n),
      total_stake: ns.map((n) => n.stake ?? 0n),
      axons: ns.map(axon),
    };
    return info as unknown as T;
  }

  /** A synced lite metagraph of netuid 1 over this subnet. */
  async metagraph(): Promise<Metagraph> {
    return new Metagraph(this, 1).sync();
  }
}

/** A config for `role` with `argv` on top of the defaults (no environment). */
export function testConfig(role: NeuronRole, argv: string[] = []): NeuronConfig<unknown> {
  return parseNeuronConfig(
    ['--logging.logging_dir', '/nonexistent-test-dir', ...argv],
    {},
    { role },
  );
}
