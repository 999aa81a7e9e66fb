import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  Metagraph as MetagraphInfo,
  NeuronInfo,
  NeuronInfoLite,
  StorageItem,
} from '@taoscript/chain-types';
import { type HexString, ss58Encode } from '@taoscript/codec';
import { Metagraph, type MetagraphSource, syncMetagraph } from './metagraph.js';

const key = (i: number) => new Uint8Array(32).fill(i + 1);
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as HexString;
const ZERO_AXON = {
  block: 0n,
  version: 0,
  ip: 0n,
  port: 0,
  ip_type: 0,
  protocol: 0,
  placeholder1: 0,
  placeholder2: 0,
};

/** A subnet of `n` uids with distinct values per uid. */
function info(n: number, over: Partial<MetagraphInfo> = {}): MetagraphInfo {
  const per = <T>(f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
  return {
    netuid: 3,
    name: [97],
    symbol: [98],
    identity: undefined,
    network_registered_at: 1n,
    owner_hotkey: key(0),
    owner_coldkey: key(100),
    block: 10n,
    tempo: 100,
    last_step: 5n,
    blocks_since_last_step: 5n,
    subnet_emission: 0n,
    alpha_in: 1n,
    alpha_out: 1n,
    tao_in: 1n,
    alpha_out_emission: 0n,
    alpha_in_emission: 0n,
    tao_in_emission: 0n,
    pending_alpha_emission: 0n,
    pending_root_emission: 0n,
    subnet_volume: 0n,
    moving_price: 0n,
    rho: 10,
    kappa: 32_767,
    min_allowed_weights: 1,
    max_weights_limit: 65_535,
    weights_version: 0n,
    weights_rate_limit: 0n,
    activity_cutoff: 5000n,
    max_validators: 64,
    num_uids: n,
    max_uids: 256,
    burn: 1n,
    difficulty: 1n,
    registration_allowed: true,
    pow_registration_allowed: false,
    immunity_period: 5000,
    min_difficulty: 1n,
    max_difficulty: 1n,
    min_burn: 1n,
    max_burn: 1n,
    adjustment_alpha: 0n,
    adjustment_interval: 100,
    target_regs_per_interval: 1,
    max_regs_per_block: 1,
    serving_rate_limit: 50n,
    commit_reveal_weights_enabled: false,
    commit_reveal_period: 1n,
    liquid_alpha_enabled: false,
    alpha_high: 0,
    alpha_low: 0,
    bonds_moving_avg: 0n,
    hotkeys: per(key),
    coldkeys: per(() => key(100)),
    identities: per(() => undefined),
    axons: per((i) =>
      i === 1 ? { ...ZERO_AXON, ip: 16_909_060n, port: 8091, ip_type: 4, protocol: 4 } : ZERO_AXON,
    ),
    active: per((i) => i % 2 === 0),
    validator_permit: per((i) => i === 0),
    pruning_score: per(() => 65_535),
    last_update: per((i) => BigInt(i)),
    emission: per((i) => BigInt(i) * 500_000_000n),
    dividends: per((i) => i * 100),
    incentives: per((i) => i * 200),
    consensus: per((i) => i * 300),
    trust: per(() => 0),
    rank: per(() => 0),
    block_at_registration: per(() => 1n),
    alpha_stake: per((i) => BigInt(i) * 2_000_000_000n),
    tao_stake: per(() => 0n),
    total_stake: per((i) => BigInt(i) * 2_000_000_000n + 1n),
    tao_dividends_per_hotkey: [],
    alpha_dividends_per_hotkey: [],
    ...over,
  };
}

function neuron(uid: number, weights: [number, number][], bonds: [number, number][]): NeuronInfo {
  return {
    hotkey: key(uid),
    coldkey: key(100),
    uid,
    netuid: 3,
    active: true,
    axon_info: ZERO_AXON,
    prometheus_info: { block: 0n, version: 0, ip: 0n, port: 0, ip_type: 0 },
    stake: [],
    rank: 0,
    emission: 0n,
    incentive: 0,
    consensus: 0,
    trust: 0,
    validator_trust: uid * 1000,
    dividends: 0,
    last_update: 0n,
    validator_permit: false,
    weights,
    bonds,
    pruning_score: 0,
  };
}

/** A chain whose head and state the test moves. */
class FakeChain implements MetagraphSource {
  readonly ss58Prefix = 42;
  head = 10;
  info = info(3);
  weights = new Map<number, [number, number][]>([
    [
      0,
      [
        [1, 100],
        [2, 300],
      ],
    ],
    [
      1,
      [
        [0, 5],
        [2, 0],
      ],
    ],
  ]);
  bonds = new Map<number, [number, number][]>([[0, [[1, 7]]]]);
  calls: string[] = [];

  async block() {
    return { hash: hash(this.head), number: this.head };
  }
  async runtimeApi<T>(
    api: string,
    method: string,
    args: readonly unknown[],
    opts?: { at?: unknown },
  ) {
    assert.equal(opts?.at, hash(this.head), 'every call is pinned to the synced block');
    this.calls.push(`${api}.${method}(${args.join(',')})`);
    const n = this.info?.hotkeys.length ?? 0;
    const neurons = Array.from({ length: n }, (_, uid) =>
      neuron(uid, this.weights.get(uid) ?? [], this.bonds.get(uid) ?? []),
    );
    if (method === 'get_metagraph' || method === 'get_mechagraph') return this.info as T;
    if (method === 'get_neurons') return neurons as T;
    if (method === 'get_neurons_lite')
      return neurons.map(({ weights: _w, bonds: _b, ...lite }) => lite as NeuronInfoLite) as T;
    throw new Error(`unexpected ${method}`);
  }
  async query<K extends unknown[], V>(item: StorageItem<K, V>, keys: K): Promise<V> {
    this.calls.push(`${item.name}(${keys.join(',')})`);
    const uid = keys[1] as number;
    return ((item.name === 'Weights' ? this.weights : this.bonds).get(uid) ?? []) as V;
  }
}

describe('Metagraph', () => {
  it('lite sync: per-uid vectors, float views, axons and the NeuronLookup', async () => {
    const chain = new FakeChain();
    const mg = await syncMetagraph(chain, 3);
    assert.deepEqual(chain.calls.sort(), [
      'NeuronInfoRuntimeApi.get_neurons_lite(3)',
      'SubnetInfoRuntimeApi.get_metagraph(3)',
    ]);
    assert.equal(mg.n, 3);
    assert.equal(mg.block, 10);
    assert.deepEqual(mg.uids, [0, 1, 2]);
    assert.deepEqual(
      mg.hotkeys,
      [0, 1, 2].map((i) => ss58Encode(key(i))),
    );
    assert.deepEqual([...mg.C], [0, 300 / 65_535, 600 / 65_535].map(Math.fround));
    assert.deepEqual([...mg.I], [0, 200 / 65_535, 400 / 65_535].map(Math.fround));
    assert.deepEqual([...mg.D], [0, 100 / 65_535, 200 / 65_535].map(Math.fround));
    assert.deepEqual([...mg.Tv], [0, 1000 / 65_535, 2000 / 65_535].map(Math.fround));
    assert.deepEqual([...mg.S], [1e-9, 2.000000001, 4.000000001].map(Math.fround));
    assert.deepEqual([...mg.AS], [0, 2, 4]);
    assert.deepEqual([...mg.E], [0, 0.5, 1]);
    assert.equal(mg.stake, mg.S);
    assert.equal(mg.axons[1]?.ip, '1.2.3.4');
    assert.equal(mg.axons[1]?.isServing, true);
    assert.equal(mg.axons[0]?.isServing, false);
    assert.deepEqual(mg.W, []);
    assert.deepEqual(mg.lookup(ss58Encode(key(0))), {
      uid: 0,
      validatorPermit: true,
      stake: 1n,
    });
    assert.deepEqual(mg.lookup(ss58Encode(key(2)))?.stake, 4_000_000_001n);
    assert.equal(mg.lookup(ss58Encode(key(50))), undefined);
    assert.equal(mg.lookup(42 as never), undefined);
    assert.equal(mg.uidOf(ss58Encode(key(1))), 1);
    assert.equal(mg.name, 'a');
    assert.equal(mg.symbol, 'b');
    assert.equal(mg.tempo, 100);
  });

  it('full sync: row-normalised W, raw B, zero weights dropped', async () => {
    const chain = new FakeChain();
    const mg = await new Metagraph(chain, 3, { lite: false }).sync();
    assert.deepEqual(chain.calls.sort(), [
      'NeuronInfoRuntimeApi.get_neurons(3)',
      'SubnetInfoRuntimeApi.get_metagraph(3)',
    ]);
    assert.deepEqual(mg.weightRows, [
      [
        [1, 100],
        [2, 300],
      ],
      [[0, 5]],
      [],
    ]);
    assert.deepEqual([...(mg.W[0] as Float32Array)], [0, 0.25, 0.75]);
    assert.deepEqual([...(mg.W[1] as Float32Array)], [1, 0, 0]);
    assert.deepEqual([...(mg.W[2] as Float32Array)], [0, 0, 0]);
    assert.deepEqual([...(mg.B[0] as Float32Array)], [0, 7, 0]);
    assert.equal(mg.neurons.length, 3);
  });

  it('resync: nothing on the same block, weight rows of moved uids, everything after an epoch', async () => {
    const chain = new FakeChain();
    const mg = await new Metagraph(chain, 3, { lite: false }).sync();
    chain.calls = [];
    assert.deepEqual(await mg.resync(), {
      block: 10,
      unchanged: true,
      refreshed: 'none',
      changedUids: [],
    });
    assert.deepEqual(chain.calls, []);

    // uid 2 sets weights: only its row is read back.
    chain.head = 11;
    chain.weights.set(2, [
      [0, 1],
      [1, 1],
    ]);
    chain.info = info(3, { last_update: [0n, 1n, 11n] });
    const r = await mg.resync();
    assert.deepEqual(r, { block: 11, unchanged: false, refreshed: 'rows', changedUids: [2] });
    assert.deepEqual(chain.calls.sort(), [
      'NeuronInfoRuntimeApi.get_neurons_lite(3)',
      'SubnetInfoRuntimeApi.get_metagraph(3)',
      'Weights(3,2)',
    ]);
    assert.deepEqual([...(mg.W[2] as Float32Array)], [0.5, 0.5, 0]);
    assert.deepEqual([...(mg.W[0] as Float32Array)], [0, 0.25, 0.75]);
    assert.equal(mg.block, 11);
    // The lite records read on a rows-only resync carry the stored rows, as get_neurons would.
    assert.deepEqual((mg.neurons[2] as NeuronInfo).weights, [
      [0, 1],
      [1, 1],
    ]);
    assert.deepEqual((mg.neurons[0] as NeuronInfo).bonds, [[1, 7]]);

    // An epoch ran (bonds change for everyone): full refetch.
    chain.calls = [];
    chain.head = 12;
    chain.bonds.set(1, [[0, 9]]);
    chain.info = info(3, { last_update: [0n, 1n, 11n], last_step: 12n });
    assert.equal((await mg.resync()).refreshed, 'full');
    assert.ok(chain.calls.includes('NeuronInfoRuntimeApi.get_neurons(3)'));
    assert.deepEqual([...(mg.B[1] as Float32Array)], [9, 0, 0]);

    // A new uid registers: full refetch and the lookup knows it.
    chain.head = 13;
    chain.info = info(4, { last_update: [0n, 1n, 11n, 0n], last_step: 12n });
    const grown = await mg.resync();
    assert.equal(grown.refreshed, 'full');
    assert.equal(mg.n, 4);
    assert.equal(mg.W.length, 4);
    assert.equal(mg.lookup(ss58Encode(key(3)))?.uid, 3);
  });

  it('lite resync refetches the vectors only; mechanism > 0 reads rows from storage', async () => {
    const chain = new FakeChain();
    const lite = await syncMetagraph(chain, 3);
    chain.head = 11;
    chain.info = info(3, { active: [false, false, false] });
    const quiet = await lite.resync();
    assert.equal(quiet.refreshed, 'vectors');
    assert.deepEqual(quiet.changedUids, []);
    assert.deepEqual(lite.active, [false, false, false]);
    // uid 1 is taken by a new hotkey, uid 2 re-registers: both are reported as replaced.
    chain.head = 12;
    chain.info = info(3, {
      hotkeys: [key(0), key(7), key(2)],
      block_at_registration: [1n, 1n, 12n],
    });
    assert.deepEqual((await lite.resync()).changedUids, [1, 2]);
    assert.equal(lite.hotkeys[1], ss58Encode(key(7)));
    assert.equal(lite.uidOf(ss58Encode(key(1))), undefined);

    const mech = new FakeChain();
    const mg = await syncMetagraph(mech, 3, { mechid: 1, lite: false });
    assert.ok(mech.calls.includes('SubnetInfoRuntimeApi.get_mechagraph(3,1)'));
    assert.ok(mech.calls.includes('Weights(4099,0)'));
    assert.ok(mech.calls.includes('Bonds(4099,2)'));
    assert.deepEqual([...(mg.W[0] as Float32Array)], [0, 0.25, 0.75]);
  });

  it('rejects bad arguments and missing subnets', async () => {
    const chain = new FakeChain();
    assert.throws(() => new Metagraph(null as never, 1), TypeError);
    assert.throws(() => new Metagraph(chain, -1), RangeError);
    assert.throws(() => new Metagraph(chain, 70_000), RangeError);
    assert.throws(() => new Metagraph(chain, 1, { mechid: 16 }), RangeError);
    await assert.rejects(new Metagraph(chain, 1).sync(null as never), TypeError);
    chain.info = undefined as never;
    await assert.rejects(new Metagraph(chain, 3).sync(), /does not exist/);
  });
});
