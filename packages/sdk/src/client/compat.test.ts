import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metadata as metadataCodec } from '@polkadot-api/substrate-bindings';
import { type AnyShape, SubtensorStorage, u16, u32 } from '@taoscript/chain-types';
import { encodeCompact } from '@taoscript/codec';
import { MetadataCompat, parseMetadata } from './compat.js';
import { checkSdkItems } from './items.js';
import {
  type LookupEntry as Entry,
  edited,
  primitiveId,
  V14,
  V15,
  type V15Value,
} from './test-fixtures.js';

const callVariant = (md: V15Value, find: (p: string) => Entry, pallet: string, call: string) => {
  const e = find(pallet);
  assert.equal(e.def.tag, 'variant');
  const v = (e.def.value as { name: string }[]).find((x) => x.name === call);
  assert.ok(v, `${pallet} ${call}`);
  void md;
  return v as { name: string; index: number; fields: { name?: string; type: number }[] };
};
const failing = (compat: MetadataCompat) =>
  checkSdkItems(compat)
    .filter((c) => !c.ok)
    .map((c) => c.key);

describe('MetadataCompat over two metadata blobs', () => {
  it('our own metadata (V15) satisfies every item the SDK uses', () => {
    const compat = new MetadataCompat(parseMetadata(V15));
    const checks = checkSdkItems(compat);
    assert.ok(checks.length >= 35, `${checks.length} items`);
    assert.deepEqual(failing(compat), []);
    const c = compat.call('SubtensorModule', 'add_stake_limit');
    assert.equal(c.palletIndex, 7);
    assert.equal(c.callIndex, 88);
    assert.equal(compat.moduleError(7, 0)?.name, 'RootNetworkDoesNotExist');
    assert.equal(compat.palletName(5), 'Balances');
  });

  it('accepts the Vec<u8>- or Option-wrapped form of the blob', () => {
    const wrapped = new Uint8Array([1, ...encodeCompact(V15.length), ...V15]);
    assert.equal(parseMetadata(wrapped).version, 15);
    const truncated = new Uint8Array([1, 0xfd, 0xff, 0xff, 0xff, ...V15.subarray(0, 64)]);
    assert.throws(() => parseMetadata(truncated), RangeError);
    assert.throws(() => parseMetadata(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), RangeError);
    assert.throws(() => parseMetadata('meta' as never), TypeError);
  });

  it('metadata V14 has no runtime APIs: only the API items fail', () => {
    const compat = new MetadataCompat(parseMetadata(V14));
    const bad = failing(compat);
    assert.ok(bad.length > 0);
    assert.ok(
      bad.every((k) => k.startsWith('api:')),
      bad.join(', '),
    );
    assert.match(compat.api('SwapRuntimeApi', 'current_alpha_price').reasons[0] ?? '', /V14/);
  });

  it('detects a call argument of another width, naming the item and field', () => {
    const blob = edited((md, find) => {
      const v = callVariant(md, find, 'pallet_subtensor::pallet::Call', 'add_stake_limit');
      const f = v.fields.find((x) => x.name === 'limit_price');
      assert.ok(f);
      f.type = primitiveId(md, 'u128');
    });
    const compat = new MetadataCompat(parseMetadata(blob));
    assert.deepEqual(failing(compat), ['call:SubtensorModule.add_stake_limit']);
    const r = compat.call('SubtensorModule', 'add_stake_limit').reasons.join('\n');
    assert.match(r, /limit_price: ours u64, node u128/);
  });

  it('detects a moved call index and a renamed field', () => {
    const blob = edited((md, find) => {
      const e = find('pallet_subtensor::pallet::Call');
      const v = callVariant(md, find, 'pallet_subtensor::pallet::Call', 'burned_register');
      v.index = 250;
      const sv = callVariant(md, find, 'pallet_subtensor::pallet::Call', 'serve_axon');
      (sv.fields[1] as { name?: string }).name = 'version_key';
      void e;
    });
    const compat = new MetadataCompat(parseMetadata(blob));
    assert.deepEqual(failing(compat).sort(), [
      'call:SubtensorModule.burned_register',
      'call:SubtensorModule.serve_axon',
    ]);
    assert.match(compat.call('SubtensorModule', 'burned_register').reasons[0] ?? '', /250/);
    assert.match(
      compat.call('SubtensorModule', 'serve_axon').reasons[0] ?? '',
      /ours field "version", node field "version_key"/,
    );
  });

  it('detects Compact vs plain inside a runtime API result', () => {
    const blob = edited((md, find) => {
      const e = find('pallet_subtensor::rpc_info::neuron_info::NeuronInfoLite');
      assert.equal(e.def.tag, 'composite');
      const f = (e.def.value as { name?: string; type: number }[]).find((x) => x.name === 'uid');
      assert.ok(f);
      f.type = primitiveId(md, 'u16');
    });
    const compat = new MetadataCompat(parseMetadata(blob));
    assert.deepEqual(failing(compat), ['api:NeuronInfoRuntimeApi.get_neurons_lite']);
    assert.match(
      compat.api('NeuronInfoRuntimeApi', 'get_neurons_lite').reasons.join('\n'),
      /uid: ours Compact<…>, node u16/,
    );
  });

  it('detects a storage hasher change and a removed runtime API', () => {
    const blob = edited((md) => {
      const sub = md.pallets.find((p) => p.name === 'SubtensorModule');
      const uids = sub?.storage?.items.find((s) => s.name === 'Uids');
      assert.ok(uids && uids.type.tag === 'map');
      uids.type.value.hashers[1] = { tag: 'Twox64Concat', value: undefined };
      const swap = md.apis.find((a) => a.name === 'SwapRuntimeApi');
      assert.ok(swap);
      swap.methods = swap.methods.filter((m) => m.name !== 'sim_swap_tao_for_alpha');
    });
    const compat = new MetadataCompat(parseMetadata(blob));
    assert.deepEqual(failing(compat).sort(), [
      'api:SwapRuntimeApi.sim_swap_tao_for_alpha',
      'storage:SubtensorModule.Uids',
    ]);
    assert.match(
      compat.storage(SubtensorStorage.Uids).reasons[0] ?? '',
      /hashers: ours Identity, Blake2128Concat, node Identity, Twox64Concat/,
    );
  });

  it('tolerates extra variants on the node and byte-transparent wrappers', () => {
    const blob = edited((_md, find) => {
      const e = find('pallet_subtensor::pallet::Call');
      (e.def.value as unknown[]).push({ name: 'brand_new', fields: [], index: 251, docs: [] });
    });
    const compat = new MetadataCompat(parseMetadata(blob));
    assert.deepEqual(failing(compat), []);
    const u16Id = primitiveId(
      (metadataCodec.dec(V15).metadata as { value: V15Value }).value,
      'u16',
    );
    assert.deepEqual(compat.compare(u16 as AnyShape, u16Id), []);
    assert.match(compat.compare(u32 as AnyShape, u16Id)[0] ?? '', /ours u32, node u16/);
  });

  it('reports items chain-types does not declare', () => {
    const compat = new MetadataCompat(parseMetadata(V15));
    assert.match(compat.call('SubtensorModule', 'nope').reasons[0] ?? '', /declares no call/);
    assert.match(compat.api('X', 'y').reasons[0] ?? '', /declares no runtime API/);
    assert.match(compat.event('Nope', 'X').reasons[0] ?? '', /declares no event/);
  });
});
