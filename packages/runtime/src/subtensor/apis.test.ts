import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getDynamicBuilder, getLookupFn } from '@polkadot-api/metadata-builders';
import { decAnyMetadata, unifyMetadata } from '@polkadot-api/substrate-bindings';
import {
  Bytes,
  Commitments,
  NetUid,
  Option,
  RuntimeVersion,
  rawData,
  SubtensorStorage as S,
  SUBTENSOR_API_IDS,
  Swap,
  subtensorRuntimeApis,
  Tuple,
  u32,
} from '@taoscript/chain-types';
import { ss58Encode, toHex } from '@taoscript/codec';
import { devKeypair } from '@taoscript/crypto';
import { runtimeHarness } from '@taoscript/testkit';
import fc from 'fast-check';
import { callRuntimeApi, RuntimeApiError } from '../apis.js';
import type { DispatchContext } from '../dispatch.js';
import { MapState, Overlay } from '../state.js';
import {
  apiView,
  callSubtensorApi,
  DEFAULT_SUBNET_NAMES,
  getDelegate,
  getNeurons,
  getSelectiveMetagraph,
  getStakeFee,
  SUBTENSOR_API_METHODS,
  subnetName,
} from './apis.js';
import { rollForwardLock } from './math/lock.js';
import { calculateFeeAmount } from './math/swap.js';
import { subnetAccount, swapAlphaForTao, swapTaoForAlpha } from './pool.js';
import { creditStake, stakeOf } from './share-pool.js';

const FC_SEED = Number(process.env.FC_SEED ?? 42);
const TAO = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;
const [alice, bob, charlie, dave, eve, ferdie] = (
  ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const
).map((n) => devKeypair(n).publicKey) as [
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
];
const text = (bytes: Uint8Array | number[]) => new TextDecoder().decode(Uint8Array.from(bytes));

type Harness = ReturnType<typeof runtimeHarness>;

/** Subnet 1 (owner Alice, owner hotkey Bob = uid 0) plus Dave's hotkey (Charlie's) as uid 1. */
function chain(): Harness {
  const h = runtimeHarness({
    genesis: { subtensor: { subnets: [{ coldkey: alice, hotkey: bob }] } },
  });
  const r = h.run(devKeypair('Charlie'), {
    type: 'SubtensorModule',
    value: { type: 'burned_register', value: { netuid: 1, hotkey: dave } },
  });
  assert.ok(r.result.ok && r.result.outcome.ok, 'burned_register');
  return h;
}

/** `chain()` with per-uid vectors, weights, bonds, an axon and stakes seeded. */
function seeded(): Harness {
  const h = chain();
  h.edit((ov) => {
    S.Active.set(ov, 1, [true, false]);
    S.Emission.set(ov, 1, [1_000_000n, 2_000_000n]);
    S.Incentive.set(ov, 1, [10, 20]);
    S.Consensus.set(ov, 1, [30, 40]);
    S.ValidatorTrust.set(ov, 1, [50, 60]);
    S.Dividends.set(ov, 1, [70, 80]);
    S.LastUpdate.set(ov, 1, [5n, 6n]);
    S.ValidatorPermit.set(ov, 1, [true, true]);
    S.Weights.set(ov, 1, 0, [
      [0, 0],
      [1, 65_535],
    ]);
    S.Bonds.set(ov, 1, 1, [
      [0, 7],
      [1, 0],
    ]);
    S.Axons.set(ov, 1, dave, {
      block: 2n,
      version: 7,
      ip: 0x7f000001n,
      port: 8091,
      ip_type: 4,
      protocol: 0,
      placeholder1: 0,
      placeholder2: 0,
    });
    creditStake(ov, bob, alice, 1, 300n * TAO);
    creditStake(ov, bob, eve, 1, 100n * TAO);
    creditStake(ov, dave, charlie, 1, 500n * TAO);
    creditStake(ov, bob, eve, 0, 2_000n * TAO);
    S.AlphaDividendsPerSubnet.set(ov, 1, dave, 77n);
    S.TaoWeight.set(ov, U64_MAX);
  });
  return h;
}

const METHODS = new Map(
  subtensorRuntimeApis().flatMap((api) => api.methods.map((m) => [`${api.name}_${m.name}`, m])),
);

/** Raw `state_call` at the harness head. */
function raw(h: Harness, method: string, args: Uint8Array): Uint8Array {
  return callRuntimeApi(
    h.runtime,
    { state: h.state, number: h.number, hash: new Uint8Array(32) },
    method,
    args,
  );
}

/** Encodes `args` with the method's declared inputs, calls it and decodes the declared output. */
function api<T>(h: Harness, method: string, ...args: unknown[]): T {
  const m = METHODS.get(method);
  if (!m) throw new Error(`no method ${method}`);
  const bytes =
    m.inputs.length === 0 ? new Uint8Array() : Tuple(...m.inputs.map((i) => i.shape)).enc(args);
  return m.output.dec(raw(h, method, bytes)) as T;
}

type Neuron = {
  hotkey: Uint8Array;
  coldkey: Uint8Array;
  uid: number;
  netuid: number;
  active: boolean;
  axon_info: { ip: bigint; port: number; version: number };
  stake: [Uint8Array, bigint][];
  rank: number;
  emission: bigint;
  incentive: number;
  consensus: number;
  trust: number;
  validator_trust: number;
  dividends: number;
  last_update: bigint;
  validator_permit: boolean;
  weights?: [number, number][];
  bonds?: [number, number][];
  pruning_score: number;
};

describe('NeuronInfoRuntimeApi', () => {
  const h = seeded();

  it('get_neurons_lite: every uid, field by field', () => {
    const ns = api<Neuron[]>(h, 'NeuronInfoRuntimeApi_get_neurons_lite', 1);
    assert.deepEqual(
      ns.map((n) => [n.uid, n.netuid, toHex(n.hotkey), toHex(n.coldkey)]),
      [
        [0, 1, toHex(bob), toHex(alice)],
        [1, 1, toHex(dave), toHex(charlie)],
      ],
    );
    const [n0, n1] = ns as [Neuron, Neuron];
    assert.deepEqual(
      [n0.active, n0.emission, n0.incentive, n0.consensus, n0.validator_trust, n0.dividends],
      [true, 1_000_000n, 10, 30, 50, 70],
    );
    assert.deepEqual([n1.active, n1.last_update, n1.validator_permit], [false, 6n, true]);
    // Deprecated fields: rank and trust 0, pruning score u16::MAX.
    assert.deepEqual([n1.rank, n1.trust, n1.pruning_score], [0, 0, 65_535]);
    assert.equal(n1.axon_info.port, 8091);
    assert.equal(n0.axon_info.ip, 0n, 'no axon served: all zeros');
    // `stake` is one entry: the owning coldkey with the hotkey's whole pool on the subnet.
    assert.deepEqual(n0.stake, [[alice, S.TotalHotkeyAlpha.get(h.state, bob, 1)]]);
    assert.equal(n0.stake[0]?.[1], 400n * TAO);
    assert.equal('weights' in n0, false);
  });

  it('get_neurons keeps only non-zero weights and bonds', () => {
    const ns = api<Neuron[]>(h, 'NeuronInfoRuntimeApi_get_neurons', 1);
    assert.deepEqual(ns[0]?.weights, [[1, 65_535]]);
    assert.deepEqual(ns[1]?.bonds, [[0, 7]]);
    assert.deepEqual(ns[1]?.weights, []);
  });

  it('get_neuron / get_neuron_lite: one uid, None past the last uid', () => {
    const one = api<Neuron | undefined>(h, 'NeuronInfoRuntimeApi_get_neuron', 1, 1);
    assert.equal(one?.uid, 1);
    assert.deepEqual(one?.bonds, [[0, 7]]);
    const lite = api<Neuron | undefined>(h, 'NeuronInfoRuntimeApi_get_neuron_lite', 1, 0);
    assert.deepEqual(lite?.hotkey, bob);
    assert.equal(api(h, 'NeuronInfoRuntimeApi_get_neuron_lite', 1, 2), undefined);
  });

  it('an unknown subnet gives an empty Vec or None, byte for byte', () => {
    for (const m of ['get_neurons', 'get_neurons_lite'])
      assert.deepEqual(raw(h, `NeuronInfoRuntimeApi_${m}`, NetUid.enc(99)), new Uint8Array([0]));
    for (const m of ['get_neuron', 'get_neuron_lite'])
      assert.deepEqual(
        raw(h, `NeuronInfoRuntimeApi_${m}`, new Uint8Array([99, 0, 0, 0])),
        new Uint8Array([0]),
      );
  });

  it('stops at the first uid without a key, as upstream', () => {
    const g = seeded();
    g.edit((ov) => S.SubnetworkN.set(ov, 1, 3));
    assert.equal(api<Neuron[]>(g, 'NeuronInfoRuntimeApi_get_neurons_lite', 1).length, 2);
    g.edit((ov) => S.Keys.remove(ov, 1, 0));
    assert.deepEqual(api<Neuron[]>(g, 'NeuronInfoRuntimeApi_get_neurons', 1), []);
  });
});

type Delegate = {
  delegate_ss58: Uint8Array;
  take: number;
  nominators: [Uint8Array, [number, bigint][]][];
  owner_ss58: Uint8Array;
  registrations: number[];
  validator_permits: number[];
  return_per_1000: bigint;
  total_daily_return: bigint;
};

describe('DelegateInfoRuntimeApi', () => {
  const h = seeded();
  h.edit((ov) => S.Delegates.set(ov, bob, 5_000));

  it('get_delegate: take, nominators by account then netuid, registrations and returns', () => {
    const d = api<Delegate | undefined>(h, 'DelegateInfoRuntimeApi_get_delegate', bob);
    assert.ok(d);
    assert.equal(d.take, 5_000);
    assert.deepEqual(d.owner_ss58, alice);
    assert.deepEqual(
      d.nominators,
      [
        [alice, [[1, stakeOf(new Overlay(h.state), bob, alice, 1)]]],
        [
          eve,
          [
            [0, stakeOf(new Overlay(h.state), bob, eve, 0)],
            [1, stakeOf(new Overlay(h.state), bob, eve, 1)],
          ],
        ],
      ].sort((x, y) => toHex(x[0] as Uint8Array).localeCompare(toHex(y[0] as Uint8Array))),
    );
    assert.equal(d.nominators[0]?.[1][0]?.[1], 300n * TAO);
    assert.deepEqual(d.registrations, [1]);
    assert.deepEqual(d.validator_permits, [1]);
    // Emission 1e6 per epoch, 7200 / 360 = 20 epochs a day.
    assert.equal(d.total_daily_return, 20_000_000n);
    // 20e6 · (1 − 5000/65535) / (2000 TAO root stake / 1000 TAO), in U64F64.
    const exact = (20_000_000n * 60_535n) / (2n * 65_535n);
    assert.ok(d.return_per_1000 >= exact - 1n && d.return_per_1000 <= exact);
    assert.equal(exact, 9_237_048n);
  });

  it('get_delegate is None without a Delegates entry; get_delegates lists entries', () => {
    assert.equal(api(h, 'DelegateInfoRuntimeApi_get_delegate', dave), undefined);
    const all = api<Delegate[]>(h, 'DelegateInfoRuntimeApi_get_delegates');
    const bobs = all.filter((d) => toHex(d.delegate_ss58) === toHex(bob));
    assert.equal(bobs.length, 1);
    assert.equal(bobs[0]?.nominators.length, 2);
    assert.equal(all.length, h.state.keys(S.Delegates.partialKey()).length);
  });

  it('get_delegated: one entry per subnet the coldkey holds shares on, without nominators', () => {
    const entries = api<[Delegate, [number, bigint]][]>(
      h,
      'DelegateInfoRuntimeApi_get_delegated',
      eve,
    );
    assert.deepEqual(
      entries.map(([d, [netuid, alpha]]) => [
        toHex(d.delegate_ss58),
        d.nominators.length,
        netuid,
        alpha,
      ]),
      [
        [toHex(bob), 0, 0, 2_000n * TAO],
        [toHex(bob), 0, 1, 100n * TAO],
      ],
    );
    assert.deepEqual(api(h, 'DelegateInfoRuntimeApi_get_delegated', ferdie), []);
  });

  it('looks nominator pools up by position in the netuid list (upstream quirk)', () => {
    const g = seeded();
    g.edit((ov) => {
      S.Delegates.set(ov, bob, 5_000);
      S.NetworksAdded.set(ov, 3, true);
      creditStake(ov, bob, ferdie, 3, 9n * TAO);
    });
    const d = api<Delegate>(g, 'DelegateInfoRuntimeApi_get_delegate', bob);
    // Netuids are [0, 1, 3]: index 3 is past the end, so Ferdie's netuid-3 stake is left out.
    assert.equal(
      d.nominators.some(([n]) => toHex(n) === toHex(ferdie)),
      false,
    );
  });
});

describe('SubnetInfoRuntimeApi: info and hyperparameters', () => {
  const h = seeded();

  it('get_subnet_info / get_subnets_info', () => {
    const info = api<Record<string, unknown> | undefined>(
      h,
      'SubnetInfoRuntimeApi_get_subnet_info',
      1,
    );
    assert.ok(info);
    assert.equal(info.netuid, 1);
    assert.equal(info.tempo, 360);
    assert.equal(info.subnetwork_n, 2);
    assert.equal(info.max_weights_limit, 65_535);
    assert.equal(info.network_modality, 0);
    assert.deepEqual(info.network_connect, []);
    assert.equal(info.emission_values, 0n);
    assert.equal(info.burn, S.Burn.get(h.state, 1));
    assert.equal(info.kappa, 32_767);
    assert.deepEqual(info.owner, alice);
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_subnet_info', 7), undefined);
    const all = api<({ netuid: number } | undefined)[]>(h, 'SubnetInfoRuntimeApi_get_subnets_info');
    assert.deepEqual(
      all.map((s) => s?.netuid),
      [0, 1],
    );
  });

  it('get_subnet_info_v2 carries the identity', () => {
    const g = seeded();
    const identity = {
      subnet_name: new TextEncoder().encode('mine'),
      github_repo: new Uint8Array(),
      subnet_contact: new Uint8Array(),
      subnet_url: new Uint8Array(),
      discord: new Uint8Array(),
      description: new Uint8Array([1]),
      logo_url: new Uint8Array(),
      additional: new Uint8Array(),
    };
    g.edit((ov) => S.SubnetIdentitiesV3.set(ov, 1, identity));
    const v2 = api<{ identity?: typeof identity; emission_value: bigint }>(
      g,
      'SubnetInfoRuntimeApi_get_subnet_info_v2',
      1,
    );
    assert.deepEqual(v2.identity, identity);
    assert.equal(v2.emission_value, 0n);
    const all = api<({ identity?: unknown } | undefined)[]>(
      g,
      'SubnetInfoRuntimeApi_get_subnets_info_v2',
    );
    assert.equal(all.length, 2);
    assert.equal(all[0]?.identity, undefined);
  });

  it('hyperparams V1 and V2 read storage; activity_cutoff is factor · tempo / 1000, at least 1', () => {
    const g = seeded();
    g.edit((ov) => {
      S.AlphaValues.set(ov, 1, [100, 200]);
      S.Yuma3On.set(ov, 1, true);
      S.AlphaSigmoidSteepness.set(ov, 1, -3);
      S.ActivityCutoffFactorMilli.set(ov, 1, 2_500);
    });
    const v1 = api<Record<string, unknown>>(g, 'SubnetInfoRuntimeApi_get_subnet_hyperparams', 1);
    assert.equal(v1.activity_cutoff, 900n);
    assert.deepEqual([v1.alpha_low, v1.alpha_high], [100, 200]);
    assert.equal(v1.max_weights_limit, 65_535);
    assert.equal(v1.tempo, 360);
    const v2 = api<Record<string, unknown>>(g, 'SubnetInfoRuntimeApi_get_subnet_hyperparams_v2', 1);
    assert.equal(v2.yuma_version, 3);
    assert.equal(v2.alpha_sigmoid_steepness, -3n << 32n);
    assert.equal(v2.user_liquidity_enabled, false);
    assert.equal(v2.subnet_is_active, S.SubtokenEnabled.get(g.state, 1));
    g.edit((ov) => S.ActivityCutoffFactorMilli.set(ov, 1, 1));
    const low = api<Record<string, unknown>>(g, 'SubnetInfoRuntimeApi_get_subnet_hyperparams', 1);
    assert.equal(low.activity_cutoff, 1n);
    for (const v of ['', '_v2', '_v3'])
      assert.equal(api(g, `SubnetInfoRuntimeApi_get_subnet_hyperparams${v}`, 42), undefined);
  });

  it('hyperparams V3: 33 named entries in subtensor order', () => {
    const g = seeded();
    g.edit((ov) => {
      S.MinChildkeyTake.set(ov, 500);
      S.MinChildkeyTakePerSubnet.set(ov, 1, 900);
    });
    const v3 = api<{ name: Uint8Array; value: { type: string; value: unknown } }[]>(
      g,
      'SubnetInfoRuntimeApi_get_subnet_hyperparams_v3',
      1,
    );
    assert.deepEqual(
      v3.map((e) => text(e.name)),
      [
        'kappa',
        'immunity_period',
        'min_allowed_weights',
        'max_weights_limit',
        'tempo',
        'weights_version',
        'weights_rate_limit',
        'activity_cutoff',
        'activity_cutoff_factor',
        'registration_allowed',
        'target_regs_per_interval',
        'min_burn',
        'max_burn',
        'burn_half_life',
        'burn_increase_mult',
        'bonds_moving_avg',
        'max_regs_per_block',
        'serving_rate_limit',
        'max_validators',
        'commit_reveal_period',
        'commit_reveal_weights_enabled',
        'alpha_high',
        'alpha_low',
        'liquid_alpha_enabled',
        'alpha_sigmoid_steepness',
        'yuma_version',
        'subnet_is_active',
        'transfers_enabled',
        'bonds_reset_enabled',
        'user_liquidity_enabled',
        'owner_cut_enabled',
        'owner_cut_auto_lock_enabled',
        'min_childkey_take',
      ],
    );
    const byName = new Map(v3.map((e) => [text(e.name), e.value]));
    assert.deepEqual(byName.get('tempo'), { type: 'U16', value: 360 });
    assert.deepEqual(byName.get('activity_cutoff_factor'), { type: 'U32', value: 13_889 });
    assert.deepEqual(byName.get('min_burn'), {
      type: 'TaoBalance',
      value: S.MinBurn.get(g.state, 1),
    });
    assert.deepEqual(byName.get('burn_increase_mult'), {
      type: 'U64F64',
      value: S.BurnIncreaseMult.get(g.state, 1),
    });
    assert.deepEqual(byName.get('min_childkey_take'), { type: 'U16', value: 900 });
    assert.deepEqual(byName.get('user_liquidity_enabled'), { type: 'Bool', value: false });
  });
});

type Dyn = Record<string, unknown> & { subnet_name: number[]; token_symbol: number[] };

describe('SubnetInfoRuntimeApi: dynamic info', () => {
  it('get_dynamic_info: pool state, names as Vec<Compact<u8>>, moving price I96F32', () => {
    const h = seeded();
    h.edit((ov) => {
      S.PendingValidatorEmission.set(ov, 1, 5n);
      S.PendingServerEmission.set(ov, 1, 6n);
      S.SubnetMovingPrice.set(ov, 1, 3n << 31n);
      S.SubnetVolume.set(ov, 1, 1n << 70n);
      S.LastMechansimStepBlock.set(ov, 1, 1n);
    });
    const d = api<Dyn | undefined>(h, 'SubnetInfoRuntimeApi_get_dynamic_info', 1);
    assert.ok(d);
    assert.equal(text(d.subnet_name), 'apex');
    assert.equal(text(d.token_symbol), 'α');
    assert.equal(d.pending_alpha_emission, 11n);
    assert.equal(d.pending_root_emission, 0n);
    assert.equal(d.moving_price, 3n << 31n);
    assert.equal(d.subnet_volume, 1n << 70n);
    assert.equal(d.blocks_since_last_step, BigInt(h.number) - 1n);
    assert.equal(d.tao_in, S.SubnetTAO.get(h.state, 1));
    assert.equal(d.alpha_in, S.SubnetAlphaIn.get(h.state, 1));
    assert.deepEqual(d.owner_hotkey, bob);
    assert.equal(d.emission, 0n);
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_dynamic_info', 9), undefined);
    const all = api<(Dyn | undefined)[]>(h, 'SubnetInfoRuntimeApi_get_all_dynamic_info');
    assert.deepEqual(
      all.map((x) => x && text(x.subnet_name)),
      ['root', 'apex'],
    );
  });

  it('subnet names: identity first, then the default table, then "unknown"', () => {
    const view = apiView(new MapState(), 0);
    assert.equal(DEFAULT_SUBNET_NAMES.length, 439);
    assert.deepEqual(
      [3, 61, 438, 439, 9_999].map((n) => text(subnetName(view, n))),
      ['templar', 'red team', 'ra', 'unknown', 'unknown'],
    );
    const h = seeded();
    h.edit((ov) => {
      const none = new Uint8Array();
      S.SubnetIdentitiesV3.set(ov, 1, {
        subnet_name: none,
        github_repo: none,
        subnet_contact: none,
        subnet_url: none,
        discord: none,
        description: none,
        logo_url: none,
        additional: none,
      });
    });
    // An empty identity name falls back to the table.
    assert.equal(text(api<Dyn>(h, 'SubnetInfoRuntimeApi_get_dynamic_info', 1).subnet_name), 'apex');
  });
});

type Graph = Record<string, unknown> & {
  netuid: number;
  hotkeys: Uint8Array[];
  alpha_stake: bigint[];
  tao_stake: bigint[];
  total_stake: bigint[];
};

describe('SubnetInfoRuntimeApi: metagraphs', () => {
  const h = seeded();
  const nameOf = new TextEncoder().encode('Alice');
  h.edit((ov) => {
    S.IdentitiesV2.set(ov, alice, {
      name: nameOf,
      url: new Uint8Array(),
      github_repo: new Uint8Array(),
      image: new Uint8Array(),
      discord: new Uint8Array(),
      description: new Uint8Array(),
      additional: new Uint8Array(),
    });
    S.BlockAtRegistration.set(ov, 1, 1, 2n);
    S.MechanismCountCurrent.set(ov, 1, 2);
    S.LastUpdate.set(ov, 4097, [11n, 12n]);
    S.Incentive.set(ov, 4097, [13, 14]);
  });

  it('get_metagraph: scalars and per-uid vectors', () => {
    const m = api<Graph | undefined>(h, 'SubnetInfoRuntimeApi_get_metagraph', 1);
    assert.ok(m);
    assert.equal(m.netuid, 1);
    assert.equal(m.block, BigInt(h.number));
    assert.deepEqual(m.hotkeys, [bob, dave]);
    assert.deepEqual(m.coldkeys, [alice, charlie]);
    assert.deepEqual(
      (m.identities as ({ name: Uint8Array } | undefined)[]).map((i) => i && text(i.name)),
      ['Alice', undefined],
    );
    assert.deepEqual(
      (m.axons as { port: number }[]).map((a) => a.port),
      [0, 8091],
    );
    assert.deepEqual(m.last_update, [5n, 6n]);
    assert.deepEqual(m.incentives, [10, 20]);
    assert.deepEqual(m.block_at_registration, [S.BlockAtRegistration.get(h.state, 1, 0), 2n]);
    assert.deepEqual([m.pruning_score, m.trust, m.rank], [[], [], []]);
    // Alpha on the subnet; TAO is root stake; TaoWeight = u64::MAX makes the weight exactly 1.
    assert.deepEqual(m.alpha_stake, [400n * TAO, 500n * TAO]);
    assert.deepEqual(m.tao_stake, [2_000n * TAO, 0n]);
    assert.deepEqual(m.total_stake, [2_400n * TAO, 500n * TAO]);
    assert.deepEqual(m.alpha_dividends_per_hotkey, [
      [bob, 0n],
      [dave, 77n],
    ]);
    assert.deepEqual(m.tao_dividends_per_hotkey, [
      [bob, 0n],
      [dave, 0n],
    ]);
    assert.equal(m.num_uids, 2);
    assert.equal(m.max_weights_limit, 65_535);
    assert.equal(m.activity_cutoff, 5_000n);
    assert.equal(text(m.name as number[]), 'apex');
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_metagraph', 5), undefined);
    const all = api<(Graph | undefined)[]>(h, 'SubnetInfoRuntimeApi_get_all_metagraphs');
    assert.deepEqual(
      all.map((g) => g?.netuid),
      [0, 1],
    );
  });

  it('mechagraphs use the mechanism storage index', () => {
    const m = api<Graph | undefined>(h, 'SubnetInfoRuntimeApi_get_mechagraph', 1, 1);
    assert.ok(m);
    assert.equal(m.netuid, 4097);
    assert.deepEqual(m.last_update, [11n, 12n]);
    assert.deepEqual(m.incentives, [13, 14]);
    assert.deepEqual(m.hotkeys, [bob, dave]);
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_mechagraph', 1, 2), undefined);
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_mechagraph', 8, 0), undefined);
    const all = api<(Graph | undefined)[]>(h, 'SubnetInfoRuntimeApi_get_all_mechagraphs');
    assert.deepEqual(
      all.map((g) => g?.netuid),
      [0, 1, 4097],
    );
  });

  it('get_selective_metagraph: only the requested fields; netuid stays 0 unless asked', () => {
    const g = seeded();
    g.edit((ov) => {
      S.StakeThreshold.set(ov, 1_000n * TAO);
      Commitments.CommitmentOf.set(ov, 1, dave, {
        deposit: 0n,
        block: 3,
        info: { fields: [rawData(new Uint8Array([1, 2, 3]))] },
      } as never);
    });
    const sel = api<Record<string, unknown> | undefined>(
      g,
      'SubnetInfoRuntimeApi_get_selective_metagraph',
      1,
      [52, 3, 72, 73, 8, 500, 52],
    );
    assert.ok(sel);
    assert.equal(sel.netuid, 0);
    assert.deepEqual(sel.hotkeys, [bob, dave]);
    assert.equal(sel.identity, null, 'Some(None): requested, no identity');
    assert.equal(sel.tempo, 360);
    assert.equal(sel.coldkeys, undefined);
    assert.equal(sel.name, undefined);
    // Validators with a permit, by stake ascending, above StakeThreshold: Bob (2400) only.
    assert.deepEqual(sel.validators, [0]);
    const stored = Commitments.CommitmentOf.value.enc(
      Commitments.CommitmentOf.get(g.state, 1, dave) as never,
    );
    assert.deepEqual(sel.commitments, [[dave, [...stored]]]);
    const withNetuid = api<Record<string, unknown>>(
      g,
      'SubnetInfoRuntimeApi_get_selective_metagraph',
      1,
      [0, 21],
    );
    assert.equal(withNetuid.netuid, 1);
    assert.equal(withNetuid.moving_price, 0n);
    assert.equal(withNetuid.hotkeys, undefined);
    g.edit((ov) => S.StakeThreshold.set(ov, 0n));
    const both = api<Record<string, unknown>>(
      g,
      'SubnetInfoRuntimeApi_get_selective_metagraph',
      1,
      [72],
    );
    assert.deepEqual(both.validators, [1, 0], 'Dave (500) before Bob (2400)');
    assert.equal(api(g, 'SubnetInfoRuntimeApi_get_selective_metagraph', 6, [0]), undefined);
  });

  it('get_selective_mechagraph reads last_update/incentives at the index, netuid is the subnet', () => {
    const sel = api<Record<string, unknown>>(
      h,
      'SubnetInfoRuntimeApi_get_selective_mechagraph',
      1,
      1,
      [59, 62, 8],
    );
    assert.equal(sel.netuid, 1);
    assert.deepEqual(sel.last_update, [11n, 12n]);
    assert.deepEqual(sel.incentives, [13, 14]);
    assert.equal(sel.tempo, 360);
    assert.equal(sel.active, undefined);
  });

  it('get_subnet_state: per-uid vectors and the emission history over all subnets', () => {
    const g = seeded();
    g.edit((ov) => {
      S.LastHotkeyEmissionOnNetuid.set(ov, bob, 0, 7n);
      S.LastHotkeyEmissionOnNetuid.set(ov, dave, 1, 9n);
    });
    const s = api<Record<string, unknown> | undefined>(
      g,
      'SubnetInfoRuntimeApi_get_subnet_state',
      1,
    );
    assert.ok(s);
    assert.deepEqual(s.hotkeys, [bob, dave]);
    assert.deepEqual(s.emission, [1_000_000n, 2_000_000n]);
    assert.deepEqual(s.total_stake, [2_400n * TAO, 500n * TAO]);
    assert.deepEqual(s.emission_history, [
      [7n, 0n],
      [0n, 9n],
    ]);
    assert.deepEqual([s.pruning_score, s.trust, s.rank], [[], [], []]);
    assert.equal(api(g, 'SubnetInfoRuntimeApi_get_subnet_state', 2), undefined);
  });
});

describe('SubnetInfoRuntimeApi: the rest', () => {
  it('auto-stake hotkey, subnet account, subnet to prune, next epoch', () => {
    const h = seeded();
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_coldkey_auto_stake_hotkey', eve, 1), undefined);
    h.edit((ov) => S.AutoStakeDestination.set(ov, eve, 1, dave));
    assert.deepEqual(api(h, 'SubnetInfoRuntimeApi_get_coldkey_auto_stake_hotkey', eve, 1), dave);
    assert.deepEqual(api(h, 'SubnetInfoRuntimeApi_get_subnet_account_id', 1), subnetAccount(1));
    assert.deepEqual(api(h, 'SubnetInfoRuntimeApi_get_subnet_account_id', 0), subnetAccount(0));
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_subnet_account_id', 4), undefined);
    // Registered at block 0: immune for NetworkImmunityPeriod blocks.
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_subnet_to_prune'), undefined);
    h.edit((ov) => S.NetworkImmunityPeriod.set(ov, 0n));
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_subnet_to_prune'), 1);
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_next_epoch_start_block', 1), 360n);
    h.edit((ov) => {
      S.LastEpochBlock.set(ov, 1, 100n);
      S.PendingEpochAt.set(ov, 1, 200n);
    });
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_next_epoch_start_block', 1), 200n);
    h.edit((ov) => S.PendingEpochAt.set(ov, 1, 900n));
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_next_epoch_start_block', 1), 460n);
    h.edit((ov) => S.Tempo.set(ov, 1, 0));
    assert.equal(api(h, 'SubnetInfoRuntimeApi_get_next_epoch_start_block', 1), undefined);
  });
});

type Stake = {
  hotkey: Uint8Array;
  coldkey: Uint8Array;
  netuid: number;
  stake: bigint;
  locked: bigint;
  emission: bigint;
  tao_emission: bigint;
  drain: bigint;
  is_registered: boolean;
};

describe('StakeInfoRuntimeApi', () => {
  const h = seeded();

  it('get_stake_info_for_coldkey: non-zero positions with emission and registration', () => {
    const eves = api<Stake[]>(h, 'StakeInfoRuntimeApi_get_stake_info_for_coldkey', eve);
    assert.deepEqual(
      eves.map((s) => [s.netuid, toHex(s.hotkey), s.stake, s.is_registered]),
      [
        [0, toHex(bob), 2_000n * TAO, false],
        [1, toHex(bob), 100n * TAO, true],
      ],
    );
    const charlies = api<Stake[]>(h, 'StakeInfoRuntimeApi_get_stake_info_for_coldkey', charlie);
    assert.deepEqual(
      charlies.map((s) => [s.netuid, s.stake, s.emission, s.locked, s.tao_emission, s.drain]),
      [[1, 500n * TAO, 77n, 0n, 0n, 0n]],
    );
    assert.deepEqual(api(h, 'StakeInfoRuntimeApi_get_stake_info_for_coldkey', ferdie), []);
  });

  it('reflects a stake made through add_stake', () => {
    const g = chain();
    const r = g.run(devKeypair('Ferdie'), {
      type: 'SubtensorModule',
      value: { type: 'add_stake', value: { hotkey: dave, netuid: 1, amount_staked: 10n * TAO } },
    });
    assert.ok(r.result.ok && r.result.outcome.ok, 'add_stake');
    const [info, ...rest] = api<Stake[]>(
      g,
      'StakeInfoRuntimeApi_get_stake_info_for_coldkey',
      ferdie,
    );
    assert.equal(rest.length, 0);
    assert.deepEqual([info?.netuid, info?.hotkey], [1, dave]);
    assert.equal(info?.stake, stakeOf(new Overlay(g.state), dave, ferdie, 1));
    assert.ok(
      (info?.stake ?? 0n) > 0n && (info?.stake ?? 0n) < 10n * TAO,
      'bought at price 1 less fees',
    );
    const [lite] = api<Neuron[]>(g, 'NeuronInfoRuntimeApi_get_neurons_lite', 1).slice(1);
    assert.deepEqual(lite?.stake, [[charlie, info?.stake]]);
  });

  it('get_stake_info_for_coldkeys keeps the request order and repeats', () => {
    const rows = api<[Uint8Array, Stake[]][]>(
      h,
      'StakeInfoRuntimeApi_get_stake_info_for_coldkeys',
      [charlie, ferdie, charlie],
    );
    assert.deepEqual(
      rows.map(([c, s]) => [toHex(c), s.length]),
      [
        [toHex(charlie), 1],
        [toHex(ferdie), 0],
        [toHex(charlie), 1],
      ],
    );
    assert.deepEqual(api(h, 'StakeInfoRuntimeApi_get_stake_info_for_coldkeys', []), []);
  });

  it('get_stake_info_for_hotkey_coldkey_netuid is always Some', () => {
    const s = api<Stake | undefined>(
      h,
      'StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid',
      dave,
      charlie,
      1,
    );
    assert.equal(s?.stake, 500n * TAO);
    const none = api<Stake | undefined>(
      h,
      'StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid',
      dave,
      charlie,
      300,
    );
    assert.deepEqual([none?.stake, none?.netuid, none?.is_registered], [0n, 300, false]);
  });

  it('get_stake_fee: the destination (else origin) subnet fee, 0 when equal or stable', () => {
    const fee = (o: unknown, d: unknown, amount = TAO) =>
      api<bigint>(h, 'StakeInfoRuntimeApi_get_stake_fee', o, eve, d, eve, amount);
    assert.equal(fee(undefined, [dave, 1]), calculateFeeAmount(TAO, Swap.FeeRate.get(h.state, 1)));
    assert.equal(fee(undefined, [dave, 1]), 503_547n);
    assert.equal(fee([dave, 1], undefined), 503_547n);
    assert.equal(fee([dave, 1], [dave, 1]), 0n);
    assert.equal(fee(undefined, undefined), 0n);
    assert.equal(fee([dave, 1], [dave, 0]), 0n, 'root trades without a fee');
    assert.equal(fee([bob, 1], [dave, 1]), 503_547n, 'different hotkeys are different');
  });
});

describe('StakeInfoRuntimeApi: locks and conviction', () => {
  const lockState = (locked_mass: bigint, conviction: bigint, last_update: bigint) => ({
    locked_mass,
    conviction,
    last_update,
  });

  it('availability: total over staking hotkeys, rolled lock, available', () => {
    const h = seeded();
    const now = BigInt(h.number);
    h.edit((ov) => S.Lock.set(ov, charlie, 1, dave, lockState(200n * TAO, 0n, now)));
    type Avail = [Uint8Array, [number, { total: bigint; locked: bigint; available: bigint }][]][];
    const rows = api<Avail>(
      h,
      'StakeInfoRuntimeApi_get_stake_availability_for_coldkeys',
      [charlie, eve, charlie],
      undefined,
    );
    const sorted = [charlie, eve].sort((x, y) => toHex(x).localeCompare(toHex(y)));
    assert.deepEqual(
      rows.map(([c]) => toHex(c)),
      sorted.map(toHex),
      'a BTreeMap: one row per distinct coldkey, ascending',
    );
    const byKey = new Map(rows.map(([c, r]) => [toHex(c), r]));
    assert.deepEqual(byKey.get(toHex(charlie)), [
      [1, { total: 500n * TAO, locked: 200n * TAO, available: 300n * TAO }],
    ]);
    assert.deepEqual(
      byKey.get(toHex(eve))?.map(([n, a]) => [n, a.total, a.locked]),
      [
        [0, 2_000n * TAO, 0n],
        [1, 100n * TAO, 0n],
      ],
    );
    const only = (netuids: number[]) =>
      api<Avail>(
        h,
        'StakeInfoRuntimeApi_get_stake_availability_for_coldkeys',
        [eve],
        netuids,
      )[0]?.[1] ?? [];
    assert.deepEqual(
      only([1, 1, 99]).map(([n]) => n),
      [1],
      'deduplicated, unknown subnets dropped',
    );
    assert.deepEqual(only([]), [], 'an empty list: empty map');
    assert.deepEqual(only([0, 1, 2]), [], 'longer than the subnet count: empty map');
    assert.deepEqual(
      api(h, 'StakeInfoRuntimeApi_get_stake_availability_for_coldkeys', [], undefined),
      [],
    );
  });

  it('get_coldkey_lock rolls forward; a perpetual lock keeps its mass; an owner lock is fully convinced', () => {
    const h = seeded();
    const lock = lockState(200n * TAO, 0n, 0n);
    h.edit((ov) => {
      S.Lock.set(ov, charlie, 1, dave, lock);
      S.Lock.set(ov, alice, 1, bob, lockState(50n * TAO, 0n, BigInt(h.number)));
    });
    const now = BigInt(h.number);
    type L = { locked_mass: bigint; conviction: bigint; last_update: bigint };
    const got = api<L | undefined>(h, 'StakeInfoRuntimeApi_get_coldkey_lock', charlie, 1);
    const expected = rollForwardLock(
      { lockedMass: 200n * TAO, conviction: 0n, lastUpdate: 0n },
      now,
      {
        unlockRate: 934_866n,
        maturityRate: 934_866n,
        ownerLock: false,
        perpetualLock: false,
      },
    ).lock;
    assert.deepEqual(got, {
      locked_mass: expected.lockedMass,
      conviction: expected.conviction,
      last_update: now,
    });
    assert.ok(expected.lockedMass < 200n * TAO && expected.conviction > 0n);
    h.edit((ov) => S.DecayingLock.set(ov, charlie, 1, false));
    const perpetual = api<L>(h, 'StakeInfoRuntimeApi_get_coldkey_lock', charlie, 1);
    assert.equal(perpetual.locked_mass, 200n * TAO);
    const owner = api<L>(h, 'StakeInfoRuntimeApi_get_coldkey_lock', alice, 1);
    assert.equal(owner.conviction, (50n * TAO) << 64n);
    assert.equal(api(h, 'StakeInfoRuntimeApi_get_coldkey_lock', eve, 1), undefined);
  });

  it('hotkey conviction and the most convicted hotkey', () => {
    const h = seeded();
    assert.equal(api(h, 'StakeInfoRuntimeApi_get_most_convicted_hotkey_on_subnet', 1), undefined);
    assert.equal(api(h, 'StakeInfoRuntimeApi_get_hotkey_conviction', dave, 1), 0n);
    const now = BigInt(h.number);
    h.edit((ov) => {
      S.HotkeyLock.set(ov, 1, dave, lockState(100n * TAO, (50n * TAO) << 64n, now));
      S.DecayingHotkeyLock.set(ov, 1, dave, lockState(0n, (10n * TAO) << 64n, now));
      S.OwnerLock.set(ov, 1, lockState(30n * TAO, 0n, now));
    });
    assert.equal(api(h, 'StakeInfoRuntimeApi_get_hotkey_conviction', dave, 1), (60n * TAO) << 64n);
    // The owner buckets count for the owner hotkey only, with conviction = locked mass.
    assert.equal(api(h, 'StakeInfoRuntimeApi_get_hotkey_conviction', bob, 1), (30n * TAO) << 64n);
    assert.deepEqual(api(h, 'StakeInfoRuntimeApi_get_most_convicted_hotkey_on_subnet', 1), dave);
    h.edit((ov) => S.DecayingOwnerLock.set(ov, 1, lockState(30n * TAO, 0n, now)));
    // 60 vs 60: the greater account id wins the tie (Bob's key sorts after Dave's).
    assert.ok(toHex(bob) > toHex(dave));
    assert.deepEqual(api(h, 'StakeInfoRuntimeApi_get_most_convicted_hotkey_on_subnet', 1), bob);
  });
});

describe('SubnetRegistrationRuntimeApi', () => {
  it('the lock cost doubles after a registration and decays linearly', () => {
    const h = seeded();
    const r = h.run(devKeypair('Ferdie'), {
      type: 'SubtensorModule',
      value: { type: 'register_network', value: { hotkey: eve } },
    });
    assert.ok(r.result.ok && r.result.outcome.ok, 'register_network');
    const registeredAt = BigInt(h.number);
    const last = S.NetworkLastLockCost.get(h.state);
    const interval = S.NetworkLockReductionInterval.get(h.state);
    h.block();
    h.block();
    const expected = 2n * last - (last / interval) * (BigInt(h.number) - registeredAt);
    assert.equal(api(h, 'SubnetRegistrationRuntimeApi_get_network_registration_cost'), expected);
    h.edit((ov) => S.NetworkMinLockCost.set(ov, 10n * last));
    assert.equal(api(h, 'SubnetRegistrationRuntimeApi_get_network_registration_cost'), 10n * last);
  });
});

type Sim = {
  tao_amount: bigint;
  alpha_amount: bigint;
  tao_fee: bigint;
  alpha_fee: bigint;
  tao_slippage: bigint;
  alpha_slippage: bigint;
};

describe('SwapRuntimeApi', () => {
  const h = seeded();
  h.edit((ov) => {
    S.SubnetTAO.set(ov, 1, 2_000n * TAO);
    S.SubnetAlphaIn.set(ov, 1, 1_000n * TAO);
    S.NetworksAdded.set(ov, 2, true);
  });
  const ctx = (): DispatchContext => ({
    state: new Overlay(h.state),
    blockNumber: h.number,
    author: undefined,
    deposit: () => {},
  });

  it('current_alpha_price(_all): RAO per alpha; 1e9 for root and stable subnets', () => {
    assert.equal(api(h, 'SwapRuntimeApi_current_alpha_price', 1), 2n * TAO);
    assert.equal(api(h, 'SwapRuntimeApi_current_alpha_price', 0), TAO);
    assert.equal(api(h, 'SwapRuntimeApi_current_alpha_price', 77), TAO, 'mechanism 0 by default');
    assert.deepEqual(api(h, 'SwapRuntimeApi_current_alpha_price_all'), [
      { netuid: 0, price: TAO },
      { netuid: 1, price: 2n * TAO },
      { netuid: 2, price: TAO },
    ]);
  });

  it('sim_swap_tao_for_alpha: net TAO in, alpha out, fee, slippage against the spot price', () => {
    const before = h.state.map.size;
    const sim = api<Sim>(h, 'SwapRuntimeApi_sim_swap_tao_for_alpha', 1, TAO);
    const fee = calculateFeeAmount(TAO, Swap.FeeRate.get(h.state, 1));
    const direct = swapTaoForAlpha(ctx(), 1, TAO, { simulate: true });
    assert.ok(direct.ok);
    assert.deepEqual(sim, {
      tao_amount: TAO - fee,
      alpha_amount: direct.alphaOut,
      tao_fee: fee,
      alpha_fee: 0n,
      tao_slippage: 0n,
      alpha_slippage: TAO / 2n - direct.alphaOut,
    });
    assert.ok(sim.alpha_amount < (TAO - fee) / 2n && sim.alpha_amount > 0n);
    assert.equal(h.state.map.size, before, 'nothing written');
    assert.equal(S.SubnetTAO.get(h.state, 1), 2_000n * TAO);
  });

  it('sim_swap_alpha_for_tao mirrors it', () => {
    const sim = api<Sim>(h, 'SwapRuntimeApi_sim_swap_alpha_for_tao', 1, TAO);
    const direct = swapAlphaForTao(ctx(), 1, TAO, { simulate: true });
    assert.ok(direct.ok);
    const fee = calculateFeeAmount(TAO, Swap.FeeRate.get(h.state, 1));
    assert.deepEqual(sim, {
      tao_amount: direct.taoOut,
      alpha_amount: TAO - fee,
      tao_fee: 0n,
      alpha_fee: fee,
      tao_slippage: 2n * TAO - direct.taoOut,
      alpha_slippage: 0n,
    });
  });

  it('root and stable subnets trade 1:1; an unknown subnet swaps nothing; errors give zeros', () => {
    const one = (netuid: number, m = 'tao_for_alpha', amount = TAO) =>
      api<Sim>(h, `SwapRuntimeApi_sim_swap_${m}`, netuid, amount);
    const zero = {
      tao_amount: 0n,
      alpha_amount: 0n,
      tao_fee: 0n,
      alpha_fee: 0n,
      tao_slippage: 0n,
      alpha_slippage: 0n,
    };
    assert.deepEqual(one(0), { ...zero, tao_amount: TAO, alpha_amount: TAO });
    assert.deepEqual(one(2, 'alpha_for_tao'), { ...zero, tao_amount: TAO, alpha_amount: TAO });
    // Upstream: the unknown subnet trades nothing but the slippage still counts the spot amount.
    assert.deepEqual(one(55), { ...zero, alpha_slippage: TAO });
    assert.deepEqual(one(55, 'alpha_for_tao'), { ...zero, tao_slippage: TAO });
    // Net input above 1000 × the input reserve: SwapInputTooLarge.
    assert.deepEqual(one(1, 'tao_for_alpha', 10n ** 16n), zero);
  });

  it('property: a simulated buy never pays out more than the fee-free spot amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1_000_000n, max: 10n ** 15n }), (amount) => {
        const sim = api<Sim>(h, 'SwapRuntimeApi_sim_swap_tao_for_alpha', 1, amount);
        assert.ok(sim.alpha_amount <= amount / 2n);
        assert.equal(sim.tao_amount + sim.tao_fee, amount);
        assert.equal(sim.alpha_amount + sim.alpha_slippage, amount / 2n);
      }),
      { seed: FC_SEED, numRuns: 40 },
    );
  });
});

describe('state_call plumbing', () => {
  const h = seeded();

  it('Core_version lists the subtensor APIs with their versions', () => {
    const v = RuntimeVersion.dec(raw(h, 'Core_version', new Uint8Array()));
    const apis = new Map<string, number>(v.apis.map(([id, ver]) => [toHex(id), ver]));
    for (const api of subtensorRuntimeApis()) assert.equal(apis.get(api.id), api.version, api.name);
    assert.equal(apis.get(SUBTENSOR_API_IDS.SubnetInfoRuntimeApi), 2);
    assert.equal(apis.get('0xdf6acb689907609b'), 5, 'Core is still there');
  });

  it('every declared method is served', () => {
    assert.equal(SUBTENSOR_API_METHODS.size, METHODS.size);
    assert.equal(SUBTENSOR_API_METHODS.size, 40);
  });

  it('rejects malformed arguments and unknown methods with RuntimeApiError', () => {
    const bad: [string, number[]][] = [
      ['NeuronInfoRuntimeApi_get_neurons_lite', [1]],
      ['NeuronInfoRuntimeApi_get_neurons_lite', [1, 0, 0]],
      ['NeuronInfoRuntimeApi_get_neuron', [1, 0]],
      ['SubnetInfoRuntimeApi_get_selective_metagraph', [1, 0, 0xfd, 0xff, 0x01, 0x00]],
      ['StakeInfoRuntimeApi_get_stake_fee', [2, ...new Array(80).fill(0)]],
      ['DelegateInfoRuntimeApi_get_delegate', new Array(31).fill(1)],
      ['SwapRuntimeApi_sim_swap_tao_for_alpha', [1, 0, 1, 2, 3]],
      ['NeuronInfoRuntimeApi_get_neighbours', []],
    ];
    for (const [method, bytes] of bad)
      assert.throws(() => raw(h, method, new Uint8Array(bytes)), RuntimeApiError, method);
  });

  it('polkadot-api decodes our results through the V15 metadata', () => {
    const md = Option(Bytes).dec(raw(h, 'Metadata_metadata_at_version', u32.enc(15)));
    assert.ok(md);
    const meta = unifyMetadata(decAnyMetadata(md));
    const builder = getDynamicBuilder(getLookupFn(meta));
    const lite = builder.buildRuntimeCall('NeuronInfoRuntimeApi', 'get_neurons_lite');
    const out = raw(h, 'NeuronInfoRuntimeApi_get_neurons_lite', lite.args.enc([1]));
    const neurons = lite.value.dec(toHex(out)) as {
      uid: number;
      hotkey: string;
      stake: [string, bigint][];
      emission: bigint;
      pruning_score: number;
    }[];
    assert.deepEqual(
      neurons.map((n) => [n.uid, n.hotkey, n.emission, n.pruning_score]),
      [
        [0, ss58Encode(bob), 1_000_000n, 65_535],
        [1, ss58Encode(dave), 2_000_000n, 65_535],
      ],
    );
    assert.deepEqual(neurons[1]?.stake, [[ss58Encode(charlie), 500n * TAO]]);
    const dyn = builder.buildRuntimeCall('SubnetInfoRuntimeApi', 'get_dynamic_info');
    const info = dyn.value.dec(
      toHex(raw(h, 'SubnetInfoRuntimeApi_get_dynamic_info', dyn.args.enc([1]))),
    ) as {
      netuid: number;
      owner_coldkey: string;
      tao_in: bigint;
    };
    assert.deepEqual([info.netuid, info.owner_coldkey], [1, ss58Encode(alice)]);
    const sim = builder.buildRuntimeCall('SwapRuntimeApi', 'sim_swap_tao_for_alpha');
    const simOut = sim.value.dec(
      toHex(raw(h, 'SwapRuntimeApi_sim_swap_tao_for_alpha', sim.args.enc([1, TAO]))),
    ) as { tao_amount: bigint; alpha_slippage: bigint };
    const ours = api<Sim>(h, 'SwapRuntimeApi_sim_swap_tao_for_alpha', 1, TAO);
    assert.deepEqual(
      [simOut.tao_amount, simOut.alpha_slippage],
      [ours.tao_amount, ours.alpha_slippage],
    );
  });
});

describe('direct entry points reject hostile input', () => {
  const view = apiView(new MapState(), 1);
  const cases: [string, () => unknown, ErrorConstructor][] = [
    ['apiView without a state', () => apiView(null as never, 1), TypeError],
    ['apiView negative block', () => apiView(new MapState(), -1), RangeError],
    ['apiView fractional block', () => apiView(new MapState(), 1.5), TypeError],
    ['a plain object as the view', () => getNeurons({} as never, 1), TypeError],
    ['netuid as a string', () => getNeurons(view, '1' as never), TypeError],
    ['netuid above u16', () => getNeurons(view, 70_000), RangeError],
    ['a short account', () => getDelegate(view, new Uint8Array(31)), RangeError],
    ['an account as an array', () => getDelegate(view, [1, 2] as never), TypeError],
    ['an index above u16', () => getSelectiveMetagraph(view, 1, [70_000]), RangeError],
    ['indexes not an array', () => getSelectiveMetagraph(view, 1, 'x' as never), TypeError],
    [
      'an amount above u64',
      () => getStakeFee(view, undefined, alice, undefined, alice, 1n << 64n),
      RangeError,
    ],
    [
      'a malformed origin',
      () => getStakeFee(view, [alice] as never, alice, undefined, alice, 1n),
      TypeError,
    ],
    [
      'too few arguments',
      () => callSubtensorApi(view, 'NeuronInfoRuntimeApi_get_neuron', [1]),
      RangeError,
    ],
    ['args not an array', () => callSubtensorApi(view, 'x', 'y' as never), TypeError],
  ];
  for (const [name, fn, type] of cases) it(name, () => assert.throws(fn, type));

  it('callSubtensorApi leaves unknown names to the caller', () => {
    assert.equal(callSubtensorApi(view, 'Core_version', []), undefined);
  });
});
