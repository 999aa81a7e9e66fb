import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { getDynamicBuilder, getLookupFn } from '@polkadot-api/metadata-builders';
import { decAnyMetadata, unifyMetadata } from '@polkadot-api/substrate-bindings';
import { fromHex, I96F32, toHex, U64F64 } from '@taoscript/codec';
import fc from 'fast-check';
import {
  type AnyShape,
  Bytes,
  Enum,
  resolveShape,
  Struct,
  type TypeNode,
  u16,
  type VariantNode,
  Vec,
} from '../../dsl.js';
import { ExtraTuple } from '../../extensions.js';
import { buildMetadata } from '../../metadata.js';
import { type PalletDef, plain } from '../../pallet.js';
import {
  AccountId32,
  DispatchError,
  DispatchResult,
  H256,
  MultiAddress,
  MultiSignature,
  Phase,
} from '../../primitives.js';
import { runtimeApis } from '../../runtime-apis.js';
import { BalancesCall, BalancesEvent } from '../balances.js';
import { SystemCall, SystemEvent } from '../system.js';
import { SubtensorCall } from './calls.js';
import {
  BoundedBytes,
  BoundedVec,
  FixedU64F64,
  fixedShape,
  H160,
  SubnetIdentityV3,
} from './common.js';
import { SUBTENSOR_ERRORS, SubtensorError } from './errors.js';
import { SubtensorEvent } from './events.js';

const seed = Number(process.env.FC_SEED ?? 1);
const opts = { seed, numRuns: 25 };

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const ALICE_PK = fromHex('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');
const BOB_PK = new Uint8Array(32).fill(0xbb);

// --- a value generator driven by the metadata view of a shape ---

const PRIM: Record<string, () => fc.Arbitrary<unknown>> = {
  bool: () => fc.boolean(),
  str: () => fc.string({ maxLength: 8 }),
  u8: () => fc.integer({ min: 0, max: 0xff }),
  u16: () => fc.integer({ min: 0, max: 0xffff }),
  u32: () => fc.integer({ min: 0, max: 0xffffffff }),
  u64: () => fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  u128: () => fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
  i16: () => fc.integer({ min: -0x8000, max: 0x7fff }),
  i64: () => fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  i128: () => fc.bigInt({ min: -(2n ** 127n), max: 2n ** 127n - 1n }),
};

/** A generic parameter's shape (`T` of `Option<T>`, `Frac` of a fixed-point number). */
function param(sh: AnyShape, k: number): AnyShape {
  const p = sh.info.params[k]?.shape;
  assert.ok(p, `${sh.info.path.join('::')} has no parameter ${k}`);
  return p;
}

const isU8 = (s: AnyShape) => {
  const n = resolveShape(s).node();
  return n.kind === 'primitive' && n.name === 'u8';
};

/** Values of a variant, in the `{ type, value }` form the DSL's enums take. */
function variantArb(v: VariantNode): fc.Arbitrary<unknown> {
  const body = fieldsArb(v.fields);
  if (!body) return fc.constant({ type: v.name });
  return body.map((value) => (value === undefined ? { type: v.name } : { type: v.name, value }));
}

function fieldsArb(fields: VariantNode['fields']): fc.Arbitrary<unknown> | undefined {
  if (fields.length === 0) return undefined;
  if (fields.every((f) => f.name !== undefined)) {
    const rec: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) rec[f.name as string] = arbOf(f.shape);
    return fc.record(rec, { noNullPrototype: true });
  }
  if (fields.length === 1) return arbOf((fields[0] as VariantNode['fields'][0]).shape);
  return fc.tuple(...fields.map((f) => arbOf(f.shape)));
}

/** An arbitrary of the JS values a shape encodes, derived from its `TypeNode`. */
function arbOf(input: AnyShape): fc.Arbitrary<unknown> {
  const shape = resolveShape(input);
  if (shape === Bytes) return fc.uint8Array({ maxLength: 6 });
  // `DispatchResult`'s `Ok` holds a one-element tuple `[()]`.
  if (shape === DispatchResult)
    return fc.oneof(
      fc.constant({ type: 'Ok', value: [undefined] }),
      arbOf(DispatchError).map((value) => ({ type: 'Err', value })),
    );
  const node: TypeNode = shape.node();
  // substrate_fixed numbers take their raw bits directly.
  if (shape.info.path[0] === 'substrate_fixed' && node.kind === 'composite')
    return arbOf((node.fields[0] as VariantNode['fields'][0]).shape);
  switch (node.kind) {
    case 'primitive': {
      const make = PRIM[node.name];
      if (!make) throw new Error(`no generator for ${node.name}`);
      return make();
    }
    case 'compact':
      return arbOf(node.inner);
    case 'sequence':
      return fc.array(arbOf(node.inner), { maxLength: 3 });
    case 'array':
      return isU8(node.inner)
        ? fc.uint8Array({ minLength: node.len, maxLength: node.len })
        : fc.array(arbOf(node.inner), { minLength: node.len, maxLength: node.len });
    case 'tuple':
      return node.items.length === 0
        ? fc.constant(undefined)
        : fc.tuple(...node.items.map((s) => arbOf(s)));
    case 'composite': {
      const body = fieldsArb(node.fields);
      return body ?? fc.constant({});
    }
    case 'variant': {
      if (shape.info.path[0] === 'Option')
        return fc.option(arbOf(param(shape, 0)), { nil: undefined });
      return fc.oneof(...node.variants.map(variantArb));
    }
  }
}

const variantsOf = (s: AnyShape): VariantNode[] => {
  const n = s.node();
  assert.equal(n.kind, 'variant');
  return n.kind === 'variant' ? n.variants : [];
};
const variant = (s: AnyShape, name: string): VariantNode => {
  const v = variantsOf(s).find((x) => x.name === name);
  assert.ok(v, `no variant ${name}`);
  return v;
};
const fieldNames = (v: VariantNode) => v.fields.map((f) => f.name);

// --- a metadata with SubtensorModule, for the client libraries ---

const TestCall = Enum(
  { path: ['node_subtensor_runtime', 'RuntimeCall'] },
  {
    System: { index: 0, fields: SystemCall },
    Balances: { index: 5, fields: BalancesCall },
    SubtensorModule: { index: 7, fields: SubtensorCall },
  },
);
const TestEvent = Enum(
  { path: ['node_subtensor_runtime', 'RuntimeEvent'] },
  {
    System: { index: 0, fields: SystemEvent },
    Balances: { index: 5, fields: BalancesEvent },
    SubtensorModule: { index: 7, fields: SubtensorEvent },
  },
);
const TestError = Enum(
  { path: ['node_subtensor_runtime', 'RuntimeError'] },
  { SubtensorModule: { index: 7, fields: SubtensorError } },
);
const TestExtrinsic = Struct(
  {
    path: ['sp_runtime', 'generic', 'unchecked_extrinsic', 'UncheckedExtrinsic'],
    params: [
      { name: 'Address', shape: MultiAddress as AnyShape },
      { name: 'Call', shape: TestCall as AnyShape },
      { name: 'Signature', shape: MultiSignature as AnyShape },
      { name: 'Extra', shape: ExtraTuple as AnyShape },
    ],
  },
  { value: Bytes },
);
const TestEventRecord = Struct(
  {
    path: ['frame_system', 'EventRecord'],
    params: [
      { name: 'E', shape: TestEvent as AnyShape },
      { name: 'T', shape: H256 as AnyShape },
    ],
  },
  { phase: Phase, event: TestEvent, topics: Vec(H256) },
);
const PALLETS: PalletDef[] = [
  {
    name: 'System',
    index: 0,
    calls: SystemCall,
    events: SystemEvent,
    storage: [plain('System', 'Events', Vec(TestEventRecord), []) as never],
  },
  { name: 'Balances', index: 5, calls: BalancesCall, events: BalancesEvent },
  {
    name: 'SubtensorModule',
    index: 7,
    calls: SubtensorCall as AnyShape,
    events: SubtensorEvent as AnyShape,
    errors: SubtensorError as AnyShape,
    errorNames: SUBTENSOR_ERRORS,
  },
];
const metadataBytes = (v: 14 | 15) =>
  buildMetadata(
    {
      pallets: PALLETS,
      apis: runtimeApis(TestExtrinsic),
      call: TestCall,
      event: TestEvent,
      error: TestError,
      address: MultiAddress,
      signature: MultiSignature,
      extrinsic: TestExtrinsic,
    },
    v,
  );

/** Random (call, bytes) samples for every call variant. */
function callSamples(perVariant: number): { name: string; index: number; bytes: Uint8Array }[] {
  const out: { name: string; index: number; bytes: Uint8Array }[] = [];
  for (const [k, v] of variantsOf(SubtensorCall).entries()) {
    for (const value of fc.sample(variantArb(v), { seed: seed + k, numRuns: perVariant }))
      out.push({ name: v.name, index: v.index, bytes: SubtensorCall.enc(value as SubtensorCall) });
  }
  return out;
}
function eventSamples(perVariant: number): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const [k, v] of variantsOf(SubtensorEvent).entries()) {
    for (const value of fc.sample(variantArb(v), { seed: seed + k, numRuns: perVariant }))
      out.push({ name: v.name, bytes: SubtensorEvent.enc(value as SubtensorEvent) });
  }
  return out;
}

describe('SubtensorModule calls', () => {
  it('has every dispatchable of subtensor 14bc6f9f at its call index', () => {
    const vs = variantsOf(SubtensorCall);
    assert.equal(vs.length, 79);
    assert.equal(new Set(vs.map((v) => v.index)).size, 79);
    const at = Object.fromEntries(vs.map((v) => [v.name, v.index]));
    assert.deepEqual(
      {
        set_weights: at.set_weights,
        add_stake: at.add_stake,
        remove_stake: at.remove_stake,
        serve_axon: at.serve_axon,
        register: at.register,
        burned_register: at.burned_register,
        register_network: at.register_network,
        faucet: at.faucet,
        batch_set_weights: at.batch_set_weights,
        start_call: at.start_call,
        associate_evm_key: at.associate_evm_key,
        commit_weights: at.commit_weights,
        reveal_weights: at.reveal_weights,
        batch_commit_weights: at.batch_commit_weights,
        register_leased_network: at.register_leased_network,
        commit_timelocked_weights: at.commit_timelocked_weights,
        claim_root: at.claim_root,
        register_limit: at.register_limit,
        set_reject_locked_alpha: at.set_reject_locked_alpha,
      },
      {
        set_weights: 0,
        add_stake: 2,
        remove_stake: 3,
        serve_axon: 4,
        register: 6,
        burned_register: 7,
        register_network: 59,
        faucet: 60,
        batch_set_weights: 80,
        start_call: 92,
        associate_evm_key: 93,
        commit_weights: 96,
        reveal_weights: 97,
        batch_commit_weights: 100,
        register_leased_network: 110,
        commit_timelocked_weights: 113,
        claim_root: 121,
        register_limit: 134,
        set_reject_locked_alpha: 142,
      },
    );
    assert.equal(at.commit_crv3_weights, undefined, 'index 99 is commented out in subtensor');
  });

  it('names and types arguments as subtensor does', () => {
    assert.deepEqual(fieldNames(variant(SubtensorCall, 'add_stake')), [
      'hotkey',
      'netuid',
      'amount_staked',
    ]);
    assert.deepEqual(
      variant(SubtensorCall, 'add_stake').fields.map((f) => f.typeName),
      ['T::AccountId', 'NetUid', 'TaoBalance'],
    );
    assert.deepEqual(fieldNames(variant(SubtensorCall, 'set_weights')), [
      'netuid',
      'dests',
      'weights',
      'version_key',
    ]);
    assert.deepEqual(fieldNames(variant(SubtensorCall, 'serve_axon')), [
      'netuid',
      'version',
      'ip',
      'port',
      'ip_type',
      'protocol',
      'placeholder1',
      'placeholder2',
    ]);
    // FRAME strips the leading underscore of `_block_number`, `_coldkey`, ...
    assert.deepEqual(fieldNames(variant(SubtensorCall, 'register')), [
      'netuid',
      'block_number',
      'nonce',
      'work',
      'hotkey',
      'coldkey',
    ]);
    assert.deepEqual(fieldNames(variant(SubtensorCall, 'register_limit')), [
      'netuid',
      'hotkey',
      'limit_price',
    ]);
    assert.deepEqual(fieldNames(variant(SubtensorCall, 'start_call')), ['netuid']);
    assert.deepEqual(fieldNames(variant(SubtensorCall, 'dispute_coldkey_swap')), []);
    const batch = variant(SubtensorCall, 'batch_commit_weights');
    assert.deepEqual(fieldNames(batch), ['netuids', 'commit_hashes']);
    const [netuids, hashes] = batch.fields.map((f) => f.shape.node());
    assert.equal(netuids?.kind, 'sequence');
    assert.equal(netuids?.kind === 'sequence' && netuids.inner.node().kind, 'compact');
    assert.equal(
      hashes?.kind === 'sequence' && resolveShape(hashes.inner).info.path.join('::'),
      'primitive_types::H256',
    );
    assert.equal(batch.fields[0]?.typeName, 'Vec<Compact<NetUid>>');
    // No call argument is `#[pallet::compact]`.
    for (const v of variantsOf(SubtensorCall))
      for (const f of v.fields)
        assert.notEqual(f.shape.node().kind, 'compact', `${v.name}.${f.name}`);
  });

  it('encodes known calls byte for byte', () => {
    const stake = SubtensorCall.enc({
      type: 'add_stake',
      value: { hotkey: ALICE_PK, netuid: 3, amount_staked: 1_000_000_000n },
    });
    assert.equal(toHex(stake), `0x02${toHex(ALICE_PK).slice(2)}0300${'00ca9a3b00000000'}`);
    const weights = SubtensorCall.enc({
      type: 'set_weights',
      value: { netuid: 1, dests: [0, 1], weights: [65535, 1], version_key: 7n },
    });
    assert.equal(toHex(weights), '0x000100080000010008ffff01000700000000000000');
    const hash = new Uint8Array(32).fill(0xab);
    const batch = SubtensorCall.enc({
      type: 'batch_commit_weights',
      value: { netuids: [1, 300], commit_hashes: [hash, hash] },
    });
    // Compact(1) = 04, Compact(300) = b104; the hashes follow a compact length of 2.
    assert.equal(toHex(batch), `0x6408${'04'}${'b104'}08${'ab'.repeat(64)}`);
    const identity = {
      subnet_name: new Uint8Array([0x61]),
      github_repo: new Uint8Array(),
      subnet_contact: new Uint8Array(),
      subnet_url: new Uint8Array(),
      discord: new Uint8Array(),
      description: new Uint8Array(),
      logo_url: new Uint8Array(),
      additional: new Uint8Array([1, 2]),
    };
    const withId = SubtensorCall.enc({
      type: 'register_network_with_identity',
      value: { hotkey: BOB_PK, identity },
    });
    assert.equal(toHex(withId), `0x4f${'bb'.repeat(32)}01046100000000000008${'0102'}`);
    const claim = SubtensorCall.enc({
      type: 'set_root_claim_type',
      value: { new_root_claim_type: { type: 'KeepSubnets', value: { subnets: [2, 5] } } },
    });
    assert.equal(toHex(claim), '0x7a020802000500');
    const evm = SubtensorCall.enc({
      type: 'associate_evm_key',
      value: {
        netuid: 2,
        evm_key: new Uint8Array(20).fill(1),
        block_number: 9n,
        signature: new Uint8Array(65).fill(2),
      },
    });
    assert.equal(evm.length, 1 + 2 + 20 + 8 + 65);
    const lease = SubtensorCall.enc({
      type: 'register_leased_network',
      value: { emissions_share: 30, end_block: 1000 },
    });
    assert.equal(toHex(lease), '0x6e1e01e8030000');
  });

  it('round-trips every call variant with generated arguments', () => {
    for (const v of variantsOf(SubtensorCall)) {
      fc.assert(
        fc.property(variantArb(v), (value) => {
          const bytes = SubtensorCall.enc(value as SubtensorCall);
          assert.equal(bytes[0], v.index);
          assert.deepEqual(SubtensorCall.dec(bytes), value);
        }),
        opts,
      );
    }
  });

  it('rejects malformed calls', () => {
    assert.throws(() => SubtensorCall.dec(new Uint8Array([1])), RangeError); // no call 1
    assert.throws(() => SubtensorCall.dec(new Uint8Array([99])), RangeError); // removed call
    assert.throws(() => SubtensorCall.dec(new Uint8Array([])), RangeError);
    assert.throws(
      () => SubtensorCall.dec(new Uint8Array([2, ...ALICE_PK.slice(0, 10)])),
      RangeError,
    );
    assert.throws(
      () => SubtensorCall.enc({ type: 'no_such_call' } as unknown as SubtensorCall),
      TypeError,
    );
    assert.throws(
      () =>
        SubtensorCall.enc({
          type: 'add_stake',
          value: { hotkey: new Uint8Array(31), netuid: 1, amount_staked: 1n },
        }),
      RangeError,
    );
    // A batch claiming more netuids than there are bytes.
    assert.throws(() => SubtensorCall.dec(new Uint8Array([100, 0xfc, 1])), RangeError);
  });
});

describe('SubtensorModule events and errors', () => {
  it('orders events as subtensor declares them', () => {
    const vs = variantsOf(SubtensorEvent);
    assert.equal(vs.length, 137);
    assert.deepEqual(
      vs.slice(0, 8).map((v) => [v.name, v.index]),
      [
        ['NetworkAdded', 0],
        ['NetworkRemoved', 1],
        ['StakeAdded', 2],
        ['StakeRemoved', 3],
        ['StakeMoved', 4],
        ['WeightsSet', 5],
        ['NeuronRegistered', 6],
        ['BulkNeuronsRegistered', 7],
      ],
    );
    assert.deepEqual(
      vs.map((v) => v.index),
      vs.map((_, k) => k),
    );
    assert.equal(variant(SubtensorEvent, 'RejectLockedAlphaUpdated').index, 136);
    assert.equal(variant(SubtensorEvent, 'StakeAdded').fields.length, 6);
    assert.deepEqual(fieldNames(variant(SubtensorEvent, 'HotkeySwapped')), [
      'coldkey',
      'old_hotkey',
      'new_hotkey',
    ]);
    assert.deepEqual(fieldNames(variant(SubtensorEvent, 'EvmKeyAssociated')), [
      'netuid',
      'hotkey',
      'evm_key',
      'block_associated',
    ]);
  });

  it('encodes known events', () => {
    const added = SubtensorEvent.enc({
      type: 'StakeAdded',
      value: [ALICE_PK, BOB_PK, 5n, 4n, 1, 2n],
    });
    assert.equal(
      toHex(added),
      `0x02${toHex(ALICE_PK).slice(2)}${'bb'.repeat(32)}${'0500000000000000'}${'0400000000000000'}0100${'0200000000000000'}`,
    );
    assert.equal(
      toHex(SubtensorEvent.enc({ type: 'NetworkAdded', value: [3, 1] })),
      '0x0003000100',
    );
    assert.equal(toHex(SubtensorEvent.enc({ type: 'BatchCompletedWithErrors' })), '0x59');
    const mult = SubtensorEvent.enc({
      type: 'BurnIncreaseMultSet',
      value: { netuid: 1, burn_increase_mult: U64F64.one * 2n },
    });
    assert.equal(toHex(mult), `0x7d0100${'0000000000000000'}${'0200000000000000'}`);
  });

  it('round-trips every event variant with generated payloads', () => {
    for (const v of variantsOf(SubtensorEvent)) {
      fc.assert(
        fc.property(variantArb(v), (value) => {
          assert.deepEqual(SubtensorEvent.dec(SubtensorEvent.enc(value as SubtensorEvent)), value);
        }),
        { ...opts, numRuns: 10 },
      );
    }
  });

  it('lists the 147 errors in index order', () => {
    assert.equal(SUBTENSOR_ERRORS.length, 147);
    assert.deepEqual(SUBTENSOR_ERRORS.slice(0, 4), [
      'RootNetworkDoesNotExist',
      'InvalidIpType',
      'InvalidIpAddress',
      'InvalidPort',
    ]);
    assert.equal(SUBTENSOR_ERRORS[32], 'UidsLengthExceedUidsInSubNet');
    assert.equal(SUBTENSOR_ERRORS[89], 'NeedWaitingMoreBlocksToStarCall');
    assert.equal(SUBTENSOR_ERRORS[128], 'Deprecated');
    assert.deepEqual(SUBTENSOR_ERRORS.slice(-4), [
      'EpochTriggerAlreadyPending',
      'AutoEpochAlreadyImminent',
      'DynamicTempoBlockedByCommitReveal',
      'AccountRejectsLockedAlpha',
    ]);
    assert.equal(new Set(SUBTENSOR_ERRORS).size, 147);
    assert.deepEqual([...SubtensorError.enc({ type: 'AccountRejectsLockedAlpha' })], [146]);
    assert.deepEqual(SubtensorError.dec(new Uint8Array([76])), { type: 'SubnetNotExists' });
    assert.throws(() => SubtensorError.dec(new Uint8Array([147])), RangeError);
  });
});

describe('SubtensorModule common shapes', () => {
  it('describe themselves as subtensor metadata does', () => {
    assert.deepEqual(H160.info.path, ['primitive_types', 'H160']);
    assert.deepEqual(BoundedBytes.info.path, ['bounded_collections', 'bounded_vec', 'BoundedVec']);
    assert.deepEqual(SubnetIdentityV3.info.path, [
      'pallet_subtensor',
      'pallet',
      'SubnetIdentityV3',
    ]);
    assert.deepEqual(FixedU64F64.info.path, ['substrate_fixed', 'FixedU128']);
    assert.equal(fixedShape(U64F64), FixedU64F64);
    assert.deepEqual(fixedShape(I96F32).info.path, ['substrate_fixed', 'FixedI128']);
    const node = FixedU64F64.node();
    assert.ok(node.kind === 'composite' && node.fields[0]?.name === 'bits');
    // Frac = U64 = UInt<UInt<... UTerm, B1>, B0> ... six B0s.
    let frac = param(FixedU64F64, 0);
    const bits: string[] = [];
    while (frac.info.path.at(-1) === 'UInt') {
      bits.unshift(param(frac, 1).info.path.join('::'));
      frac = param(frac, 0);
    }
    assert.deepEqual(frac.info.path, ['typenum', 'uint', 'UTerm']);
    assert.deepEqual(
      bits.map((b) => b.replace('typenum::bit::', '')),
      ['B1', 'B0', 'B0', 'B0', 'B0', 'B0', 'B0'],
    );
  });

  it('make one BoundedVec type per element type, encoded as its Vec', () => {
    const list = BoundedVec(u16);
    assert.equal(BoundedVec(u16), list);
    assert.deepEqual(
      list.info.params.map((p) => p.name),
      ['T', 'S'],
    );
    assert.equal(list.info.params[1]?.shape, undefined);
    assert.equal(toHex(list.enc([1, 2])), toHex(Vec(u16).enc([1, 2])));
    assert.equal(toHex(BoundedBytes.enc(new Uint8Array([7]))), '0x0407');
    assert.throws(() => list.dec(new Uint8Array([0x08, 1])), RangeError);
  });

  it('reject out-of-range fixed-point values', () => {
    assert.throws(() => FixedU64F64.enc(-1n), RangeError);
    assert.throws(() => FixedU64F64.enc(2n ** 128n), RangeError);
    assert.throws(() => FixedU64F64.enc(1 as unknown as bigint), TypeError);
    assert.throws(() => fixedShape({} as never), TypeError);
    assert.equal(FixedU64F64.dec(FixedU64F64.enc(U64F64.one)), U64F64.one);
  });
});

describe('SubtensorModule in metadata', () => {
  for (const version of [14, 15] as const) {
    it(`V${version} decodes in @polkadot/types, which reads our calls, events and errors`, () => {
      const registry = new TypeRegistry();
      const md = new Metadata(registry, metadataBytes(version));
      registry.setMetadata(md);
      const pallet = md.asLatest.pallets.find((p) => p.name.toString() === 'SubtensorModule');
      assert.ok(pallet);
      assert.equal(pallet.index.toNumber(), 7);
      const callType = registry.lookup.getSiType(pallet.calls.unwrap().type);
      assert.deepEqual(
        callType.path.map((p) => p.toString()),
        ['pallet_subtensor', 'pallet', 'Call'],
      );
      assert.equal(callType.def.asVariant.variants.length, 79);
      assert.equal(
        registry.lookup.getSiType(pallet.events.unwrap().type).def.asVariant.variants.length,
        137,
      );
      const err = registry.findMetaError(new Uint8Array([7, 146]));
      assert.equal(err.method, 'AccountRejectsLockedAlpha');
      assert.equal(
        registry.findMetaError(new Uint8Array([7, 0])).method,
        'RootNetworkDoesNotExist',
      );

      const pjs = registry.createType('Call', {
        callIndex: [7, 2],
        args: { hotkey: ALICE, netuid: 3, amount_staked: 1_000_000_000 },
      });
      const ours = TestCall.enc({
        type: 'SubtensorModule',
        value: {
          type: 'add_stake',
          value: { hotkey: ALICE_PK, netuid: 3, amount_staked: 1_000_000_000n },
        },
      });
      assert.equal(pjs.toHex(), toHex(ours));
      assert.equal(pjs.method, 'addStake');

      for (const { name, bytes } of callSamples(3)) {
        const call = registry.createType('Call', new Uint8Array([7, ...bytes]));
        assert.equal(call.section, 'subtensorModule', name);
        assert.equal(toHex(call.toU8a()), toHex(new Uint8Array([7, ...bytes])), name);
      }
      for (const { name, bytes } of eventSamples(2)) {
        const event = registry.createType('Event', new Uint8Array([7, ...bytes])) as unknown as {
          method: string;
          toU8a(): Uint8Array;
        };
        assert.equal(event.method, name);
        assert.equal(toHex(event.toU8a()), toHex(new Uint8Array([7, ...bytes])), name);
      }
    });

    it(`V${version} builds polkadot-api codecs that agree with ours`, () => {
      const meta = unifyMetadata(decAnyMetadata(metadataBytes(version)));
      const builder = getDynamicBuilder(getLookupFn(meta));
      const addStake = builder.buildCall('SubtensorModule', 'add_stake');
      assert.deepEqual(addStake.location, [7, 2]);
      const theirs = addStake.codec.enc({
        hotkey: ALICE,
        netuid: 3,
        amount_staked: 1_000_000_000n,
      });
      const ours = SubtensorCall.enc({
        type: 'add_stake',
        value: { hotkey: ALICE_PK, netuid: 3, amount_staked: 1_000_000_000n },
      });
      assert.equal(toHex(theirs), toHex(ours.slice(1)));

      const batch = builder.buildCall('SubtensorModule', 'batch_commit_weights');
      assert.deepEqual(batch.location, [7, 100]);
      const hash = new Uint8Array(32).fill(9);
      const oursBatch = SubtensorCall.enc({
        type: 'batch_commit_weights',
        value: { netuids: [1, 300], commit_hashes: [hash] },
      });
      assert.deepEqual(batch.codec.dec(oursBatch.slice(1)).netuids, [1, 300]);

      // Every call and event: polkadot-api decodes our bytes and re-encodes them identically.
      for (const { name, index, bytes } of callSamples(3)) {
        const c = builder.buildCall('SubtensorModule', name);
        assert.deepEqual(c.location, [7, index], name);
        const body = bytes.slice(1);
        assert.equal(toHex(c.codec.enc(c.codec.dec(body))), toHex(body), name);
      }
      for (const { name, bytes } of eventSamples(2)) {
        const e = builder.buildEvent('SubtensorModule', name);
        assert.equal(e.location[1], bytes[0], name);
        const body = bytes.slice(1);
        assert.equal(toHex(e.codec.enc(e.codec.dec(body))), toHex(body), name);
      }
      const rejects = builder.buildError('SubtensorModule', 'AccountRejectsLockedAlpha');
      assert.deepEqual(rejects.location, [7, 146]);
      assert.equal(AccountId32.enc(ALICE_PK).length, 32);
    });
  }
});
