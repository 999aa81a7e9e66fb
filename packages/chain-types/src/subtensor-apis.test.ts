import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { getDynamicBuilder, getLookupFn } from '@polkadot-api/metadata-builders';
import { decAnyMetadata, unifyMetadata } from '@polkadot-api/substrate-bindings';
import { toHex } from '@taoscript/codec';
import fc from 'fast-check';
import {
  arbitraryOf,
  FC_SEED,
  fieldNames,
  metadataWith,
  RUNTIME_PARAMS,
  roundTrips,
  variantNames,
} from '../test/shapes.js';
import { type AnyShape, Option, u8, Vec } from './dsl.js';
import { EventRecord, pallets, RuntimeCall, UncheckedExtrinsic } from './outer.js';
import { storageItems } from './pallet.js';
import { AdminUtils, AdminUtilsCall, AdminUtilsEvent } from './pallets/admin-utils.js';
import { Commitments, CommitmentsCall, CommitmentsEvent, rawData } from './pallets/commitments.js';
import { NetUid } from './pallets/subtensor/common.js';
import { Swap, SwapCall, SwapEvent } from './pallets/swap.js';
import { AccountId32 } from './primitives.js';
import { runtimeApis } from './runtime-apis.js';
import {
  BTreeMap,
  compactBytes,
  DynamicInfo,
  Metagraph,
  NestedOption,
  NeuronInfo,
  NeuronInfoLite,
  type NeuronInfoLite as NeuronInfoLiteValue,
  SELECTIVE_METAGRAPH_FIELDS,
  SelectiveMetagraph,
  StakeAvailability,
  SubnetHyperparams,
  SubnetHyperparamsV2,
  subtensorRuntimeApis,
} from './subtensor-apis.js';

describe('pallet shapes round-trip', () => {
  const enums: [string, AnyShape][] = [
    ['AdminUtilsCall', AdminUtilsCall as AnyShape],
    ['AdminUtilsEvent', AdminUtilsEvent as AnyShape],
    ['CommitmentsCall', CommitmentsCall as AnyShape],
    ['CommitmentsEvent', CommitmentsEvent as AnyShape],
    ['SwapCall', SwapCall as AnyShape],
    ['SwapEvent', SwapEvent as AnyShape],
  ];
  for (const [name, shape] of enums)
    it(`${name}: every variant`, () => {
      const names = variantNames(shape);
      assert.ok(names.length > 0);
      for (const v of names) roundTrips(shape, { variant: v });
    });

  it('RuntimeCall: calls nested (through Lazy) in Utility and Sudo calls', () => {
    for (const pallet of ['Utility', 'Sudo']) roundTrips(RuntimeCall, { variant: pallet });
    const batches = fc
      .sample(arbitraryOf(RuntimeCall, { variant: 'Utility' }), { seed: FC_SEED, numRuns: 50 })
      .map((c) => (c as { value: { value: { calls?: unknown[] } } }).value.value.calls ?? []);
    assert.ok(
      batches.some((calls) => calls.length > 0),
      'some generated batch carries calls',
    );
  });

  it('storage values and reversible keys', () => {
    for (const item of [
      ...storageItems(AdminUtils),
      ...storageItems(Commitments),
      ...storageItems(Swap),
    ]) {
      roundTrips(item.value as AnyShape);
      fc.assert(
        fc.property(fc.tuple(...item.keyShapes.map((k) => arbitraryOf(k))), (keys) => {
          const full = (item.key as (...k: unknown[]) => Uint8Array)(...keys);
          if (item.hashers.every((h) => h !== 'Blake2_128' && h !== 'Twox128'))
            assert.deepEqual(item.decodeKey(full), keys);
        }),
        { seed: FC_SEED, numRuns: 25 },
      );
    }
  });
});

describe('runtime API structs', () => {
  it('every method input and output round-trips', () => {
    for (const api of subtensorRuntimeApis())
      for (const m of api.methods) {
        for (const i of m.inputs) roundTrips(i.shape);
        roundTrips(m.output);
      }
  });

  it('keeps subtensor field orders', () => {
    const lite = [
      'hotkey',
      'coldkey',
      'uid',
      'netuid',
      'active',
      'axon_info',
      'prometheus_info',
      'stake',
      'rank',
      'emission',
      'incentive',
      'consensus',
      'trust',
      'validator_trust',
      'dividends',
      'last_update',
      'validator_permit',
      'pruning_score',
    ];
    assert.deepEqual(fieldNames(NeuronInfoLite as AnyShape), lite);
    assert.deepEqual(fieldNames(NeuronInfo as AnyShape), [
      ...lite.slice(0, -1),
      'weights',
      'bonds',
      'pruning_score',
    ]);
    assert.deepEqual(fieldNames(DynamicInfo as AnyShape), [
      'netuid',
      'owner_hotkey',
      'owner_coldkey',
      'subnet_name',
      'token_symbol',
      'tempo',
      'last_step',
      'blocks_since_last_step',
      'emission',
      'alpha_in',
      'alpha_out',
      'tao_in',
      'alpha_out_emission',
      'alpha_in_emission',
      'tao_in_emission',
      'pending_alpha_emission',
      'pending_root_emission',
      'subnet_volume',
      'network_registered_at',
      'subnet_identity',
      'moving_price',
    ]);
    const hp = [
      'rho',
      'kappa',
      'immunity_period',
      'min_allowed_weights',
      'max_weights_limit',
      'tempo',
      'min_difficulty',
      'max_difficulty',
      'weights_version',
      'weights_rate_limit',
      'adjustment_interval',
      'activity_cutoff',
      'registration_allowed',
      'target_regs_per_interval',
      'min_burn',
      'max_burn',
      'bonds_moving_avg',
      'max_regs_per_block',
      'serving_rate_limit',
      'max_validators',
      'adjustment_alpha',
      'difficulty',
      'commit_reveal_period',
      'commit_reveal_weights_enabled',
      'alpha_high',
      'alpha_low',
      'liquid_alpha_enabled',
    ];
    assert.deepEqual(fieldNames(SubnetHyperparams as AnyShape), hp);
    assert.deepEqual(fieldNames(SubnetHyperparamsV2 as AnyShape), [
      ...hp,
      'alpha_sigmoid_steepness',
      'yuma_version',
      'subnet_is_active',
      'transfers_enabled',
      'bonds_reset_enabled',
      'user_liquidity_enabled',
    ]);
    const mg = fieldNames(Metagraph as AnyShape);
    assert.equal(mg.length, 72);
    assert.deepEqual(SELECTIVE_METAGRAPH_FIELDS, [...mg, 'validators', 'commitments']);
    assert.equal(SELECTIVE_METAGRAPH_FIELDS[21], 'moving_price');
    assert.equal(SELECTIVE_METAGRAPH_FIELDS[73], 'commitments');
  });

  it('wraps integers in Compact exactly where subtensor does', () => {
    const hk = new Uint8Array(32).fill(1);
    const ck = new Uint8Array(32).fill(2);
    const zeroAxon = {
      block: 0n,
      version: 0,
      ip: 0n,
      port: 0,
      ip_type: 0,
      protocol: 0,
      placeholder1: 0,
      placeholder2: 0,
    };
    const bytes = NeuronInfoLite.enc({
      hotkey: hk,
      coldkey: ck,
      uid: 64,
      netuid: 1,
      active: true,
      axon_info: zeroAxon,
      prometheus_info: { block: 0n, version: 0, ip: 0n, port: 0, ip_type: 0 },
      stake: [[ck, 1n]],
      rank: 0,
      emission: 0n,
      incentive: 0,
      consensus: 0,
      trust: 0,
      validator_trust: 0,
      dividends: 65535,
      last_update: 0n,
      validator_permit: false,
      pruning_score: 0,
    });
    // uid 64 takes two compact bytes, netuid 1 one; axon (plain ints) is 34 bytes, prometheus 31.
    assert.deepEqual([...bytes.slice(64, 68)], [0x01, 0x01, 0x04, 1]);
    const afterInfos = 68 + 34 + 31;
    assert.deepEqual([...bytes.slice(afterInfos, afterInfos + 1)], [4]);
    // stake (1 + 32 + 1), six one-byte compacts, dividends 65535 in four bytes, last_update,
    // validator_permit and pruning_score.
    assert.deepEqual([...bytes.slice(afterInfos + 40, afterInfos + 44)], [0xfe, 0xff, 0x03, 0x00]);
    assert.equal(bytes.length, afterInfos + 34 + 6 + 4 + 3);
    assert.deepEqual(
      StakeAvailability.enc({ total: 1n, locked: 0n, available: 1n }),
      new Uint8Array([4, 0, 4]),
    );
  });

  it('encodes SelectiveMetagraph options, including Option<bool> and Option<Option<_>>', () => {
    const empty = Object.fromEntries(SELECTIVE_METAGRAPH_FIELDS.map((f) => [f, undefined]));
    const none = SelectiveMetagraph.enc({ ...empty, netuid: 3 } as never);
    assert.deepEqual(none, new Uint8Array([12, ...new Array(73).fill(0)]));
    const some = SelectiveMetagraph.enc({
      ...empty,
      netuid: 3,
      identity: null,
      registration_allowed: false,
    } as never);
    assert.deepEqual([...some.slice(0, 4)], [12, 0, 0, 1]);
    assert.deepEqual([...some.slice(4, 6)], [0, 0]);
    assert.equal(some[1 + 34], 2, 'Some(false) is the single byte 2');
    assert.equal(SelectiveMetagraph.dec(some).identity, null);
    const nested = NestedOption(u8 as AnyShape);
    assert.deepEqual(
      [undefined, null, 7].map((v) => [...nested.enc(v)]),
      [[0], [1, 0], [1, 1, 7]],
    );
    assert.throws(() => nested.dec(new Uint8Array([2])), RangeError);
  });

  it('sorts BTreeMap keys and rejects repeats', () => {
    const map = BTreeMap(NetUid, u8);
    assert.deepEqual(
      [
        ...map.enc([
          [2, 20],
          [1, 10],
        ]),
      ],
      [8, 1, 0, 10, 2, 0, 20],
    );
    assert.deepEqual(map.dec(new Uint8Array([8, 2, 0, 20, 1, 0, 10])), [
      [1, 10],
      [2, 20],
    ]);
    assert.throws(
      () =>
        map.enc([
          [1, 1],
          [1, 2],
        ]),
      RangeError,
    );
    assert.throws(() => map.enc('x' as never), TypeError);
    const byAccount = BTreeMap(AccountId32, u8);
    const a = new Uint8Array(32).fill(9);
    const b = new Uint8Array(32).fill(1);
    assert.deepEqual(
      byAccount
        .enc([
          [a, 1],
          [b, 2],
        ])
        .slice(1, 33),
      b,
    );
  });

  it('turns names into Vec<Compact<u8>> and rejects non-strings', () => {
    assert.deepEqual(compactBytes('α'), [0xce, 0xb1]);
    assert.throws(() => compactBytes(5 as unknown as string), TypeError);
  });
});

describe('runtime API list', () => {
  const apis = subtensorRuntimeApis();

  it('lists each API under the blake2_64 of its name', () => {
    assert.deepEqual(
      apis.map((a) => [a.name, a.version]),
      [
        ['DelegateInfoRuntimeApi', 1],
        ['NeuronInfoRuntimeApi', 1],
        ['SubnetInfoRuntimeApi', 2],
        ['StakeInfoRuntimeApi', 1],
        ['SubnetRegistrationRuntimeApi', 1],
        ['SwapRuntimeApi', 1],
      ],
    );
    for (const api of apis) assert.equal(api.id, toHex(blake2AsU8a(api.name, 64)), api.name);
  });

  it('declares the methods and argument names of decl_runtime_apis', () => {
    const sig = (api: string, method: string) => {
      const m = apis.find((a) => a.name === api)?.methods.find((x) => x.name === method);
      return m?.inputs.map((i) => i.name);
    };
    assert.equal(apis.find((a) => a.name === 'SubnetInfoRuntimeApi')?.methods.length, 20);
    assert.equal(apis.find((a) => a.name === 'StakeInfoRuntimeApi')?.methods.length, 8);
    assert.deepEqual(sig('NeuronInfoRuntimeApi', 'get_neuron_lite'), ['netuid', 'uid']);
    assert.deepEqual(sig('SubnetInfoRuntimeApi', 'get_selective_mechagraph'), [
      'netuid',
      'subid',
      'metagraph_indexes',
    ]);
    assert.deepEqual(sig('StakeInfoRuntimeApi', 'get_stake_fee'), [
      'origin',
      'origin_coldkey_account',
      'destination',
      'destination_coldkey_account',
      'amount',
    ]);
    assert.deepEqual(sig('SwapRuntimeApi', 'sim_swap_alpha_for_tao'), ['netuid', 'alpha']);
  });
});

// ---- the runtime's metadata with the subtensor APIs ---------------------------------------------

const metadata = (v: 14 | 15): Uint8Array =>
  metadataWith(
    pallets(RUNTIME_PARAMS),
    [...runtimeApis(UncheckedExtrinsic), ...subtensorRuntimeApis()],
    v,
  );

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const ALICE_PK = new Uint8Array(
  Buffer.from('d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d', 'hex'),
);

describe('metadata with Commitments, AdminUtils, Swap and the subtensor APIs', () => {
  for (const v of [14, 15] as const)
    it(`V${v} decodes in @polkadot/types and encodes calls as we do`, () => {
      const registry = new TypeRegistry();
      const md = new Metadata(registry, metadata(v));
      registry.setMetadata(md);
      const names = md.asLatest.pallets.map((p) => [p.name.toString(), p.index.toNumber()]);
      assert.deepEqual(names.slice(-3), [
        ['Commitments', 18],
        ['AdminUtils', 19],
        ['Swap', 28],
      ]);
      const tempo = registry.createType('Call', {
        callIndex: [19, 30],
        args: { netuid: 4, tempo: 99 },
      });
      assert.equal(
        tempo.toHex(),
        toHex(
          RuntimeCall.enc({
            type: 'AdminUtils',
            value: { type: 'sudo_set_tempo', value: { netuid: 4, tempo: 99 } },
          }),
        ),
      );
      const fee = registry.createType('Call', { callIndex: [28, 0], args: { netuid: 1, rate: 5 } });
      assert.equal(fee.toHex(), '0x1c0001000500');
      const decoded = registry.createType('Call', tempo.toU8a());
      assert.equal(decoded.method, 'sudoSetTempo');
      const record = EventRecord.enc({
        phase: { type: 'Finalization' },
        event: { type: 'Swap', value: { type: 'FeeRateSet', value: { netuid: 2, rate: 40 } } },
        topics: [],
      });
      const pjsRecord = registry.createType('EventRecord', record) as unknown as {
        event: { section: string; method: string; data: { toJSON(): unknown } };
      };
      assert.equal(pjsRecord.event.section, 'swap');
      assert.equal(pjsRecord.event.method, 'FeeRateSet');
      assert.deepEqual(pjsRecord.event.data.toJSON(), [2, 40]);
      if (v === 15) {
        const apis = md.asV15.apis.map((a) => a.name.toString());
        assert.ok(apis.includes('NeuronInfoRuntimeApi'));
        assert.ok(apis.includes('SwapRuntimeApi'));
      }
    });

  for (const v of [14, 15] as const)
    it(`V${v} builds polkadot-api codecs that agree with ours`, () => {
      const meta = unifyMetadata(decAnyMetadata(metadata(v)));
      const builder = getDynamicBuilder(getLookupFn(meta));
      const commitmentOf = builder.buildStorage('Commitments', 'CommitmentOf');
      assert.equal(
        commitmentOf.keys.enc(7, ALICE),
        toHex(Commitments.CommitmentOf.key(7, ALICE_PK)),
      );
      const setCommitment = builder.buildCall('Commitments', 'set_commitment');
      const info = { fields: [rawData(new Uint8Array([1, 2, 3])), { type: 'ResetBondsFlag' }] };
      const ours = CommitmentsCall.enc({
        type: 'set_commitment',
        value: { netuid: 7, info: info as never },
      });
      assert.equal(
        toHex(setCommitment.codec.enc({ netuid: 7, info: papiFields() })),
        toHex(ours.slice(1)),
      );
      const stored = Commitments.CommitmentOf.value.enc({
        deposit: 0n,
        block: 9,
        info: info as never,
      });
      const papiStored = commitmentOf.value.dec(toHex(stored)) as {
        block: number;
        info: { type: string }[];
      };
      assert.equal(papiStored.block, 9);
      assert.deepEqual(
        papiStored.info.map((f) => f.type),
        ['Raw3', 'ResetBondsFlag'],
      );
      const fee = builder.buildStorage('Swap', 'FeeRate');
      assert.equal(fee.keys.enc(3), toHex(Swap.FeeRate.key(3)));
      if (v === 15) {
        const lite = builder.buildRuntimeCall('NeuronInfoRuntimeApi', 'get_neurons_lite');
        for (const sample of fc.sample(arbitraryOf(Vec(NeuronInfoLite) as AnyShape), {
          seed: FC_SEED,
          numRuns: 5,
        })) {
          const ours = sample as NeuronInfoLiteValue[];
          const theirs = lite.value.dec(toHex(Vec(NeuronInfoLite).enc(ours))) as {
            uid: number;
            emission: bigint;
            dividends: number;
            validator_permit: boolean;
          }[];
          assert.deepEqual(
            theirs.map((n) => [n.uid, n.emission, n.dividends, n.validator_permit]),
            ours.map((n) => [n.uid, n.emission, n.dividends, n.validator_permit]),
          );
        }
        const hp = builder.buildRuntimeCall('SubnetInfoRuntimeApi', 'get_subnet_hyperparams_v2');
        assert.equal(toHex(hp.args.enc([5])), toHex(NetUid.enc(5)));
        const dyn = builder.buildRuntimeCall('SubnetInfoRuntimeApi', 'get_dynamic_info');
        for (const sample of fc.sample(arbitraryOf(DynamicInfo as AnyShape), {
          seed: FC_SEED,
          numRuns: 5,
        })) {
          const ours = sample as { moving_price: bigint; subnet_volume: bigint };
          const theirs = dyn.value.dec(toHex(Option(DynamicInfo).enc(sample as never))) as Record<
            string,
            unknown
          > & { moving_price: bigint; subnet_volume: bigint };
          assert.deepEqual(Object.keys(theirs), fieldNames(DynamicInfo as AnyShape));
          assert.equal(theirs.moving_price, ours.moving_price);
          assert.equal(theirs.subnet_volume, ours.subnet_volume);
        }
      }
    });
});

/**
 * polkadot-api flattens a struct of one field (`CommitmentInfo { fields }`) to that field, and
 * holds `[u8; N]` as hex.
 */
function papiFields() {
  return [
    { type: 'Raw3', value: '0x010203' },
    { type: 'ResetBondsFlag', value: undefined },
  ];
}
