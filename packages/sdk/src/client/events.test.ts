import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventRecord, type RuntimeEvent } from '@taoscript/chain-types';
import { concatBytes, encodeCompact } from '@taoscript/codec';
import { MetadataCompat, parseMetadata } from './compat.js';
import { EventDecoder, LiveSkipper, readCompact } from './events.js';
import { edited, primitiveId, V15 } from './test-fixtures.js';

const A = new Uint8Array(32).fill(1);
const B = new Uint8Array(32).fill(2);
const info = {
  weight: { ref_time: 5n, proof_size: 6n },
  class: { type: 'Normal' as const },
  pays_fee: { type: 'Yes' as const },
};
const record = (index: number, event: RuntimeEvent) =>
  EventRecord.enc({ phase: { type: 'ApplyExtrinsic', value: index }, event, topics: [] });
const transfer: RuntimeEvent = {
  type: 'Balances',
  value: { type: 'Transfer', value: { from: A, to: B, amount: 7n } },
};
const stakeAdded: RuntimeEvent = {
  type: 'SubtensorModule',
  value: { type: 'StakeAdded', value: [A, B, 1_000n, 999n, 3, 12n] },
};
const success: RuntimeEvent = {
  type: 'System',
  value: { type: 'ExtrinsicSuccess', value: { dispatch_info: info } },
};

describe('EventDecoder', () => {
  it('decodes System.Events into our values with phases', () => {
    const dec = new EventDecoder(new MetadataCompat(parseMetadata(V15)));
    const raw = concatBytes(
      encodeCompact(3),
      record(0, transfer),
      record(1, stakeAdded),
      record(1, success),
    );
    const events = dec.decode(raw);
    assert.deepEqual(
      events.map((e) => [e.pallet, e.name, e.phase]),
      [
        ['Balances', 'Transfer', { type: 'ApplyExtrinsic', value: 0 }],
        ['SubtensorModule', 'StakeAdded', { type: 'ApplyExtrinsic', value: 1 }],
        ['System', 'ExtrinsicSuccess', { type: 'ApplyExtrinsic', value: 1 }],
      ],
    );
    assert.deepEqual(
      events.map((e) => e.event),
      [transfer, stakeAdded, success],
    );
    assert.equal(events[1]?.bytes[0], 7);
  });

  it('skips events of pallets chain-types does not declare, by the node metadata', () => {
    // A node with an extra pallet "Drand" (index 40) whose event Pulse carries (u64, Vec<u8>).
    let outerEventId = -1;
    const blob = edited((md) => {
      const next = md.lookup.length;
      const u8Id = primitiveId(md, 'u8');
      const bytesId = md.lookup.find((e) => e.def.tag === 'sequence' && e.def.value === u8Id)?.id;
      assert.ok(bytesId !== undefined);
      md.lookup.push({
        id: next,
        path: ['pallet_drand', 'pallet', 'Event'],
        params: [],
        def: {
          tag: 'variant',
          value: [
            {
              name: 'Pulse',
              index: 0,
              docs: [],
              fields: [
                { name: 'round', type: primitiveId(md, 'u64'), typeName: 'u64', docs: [] },
                { name: 'sig', type: bytesId, typeName: 'Vec<u8>', docs: [] },
              ],
            },
          ],
        },
        docs: [],
      });
      const outer = md.lookup[md.outerEnums.event];
      assert.ok(outer && outer.def.tag === 'variant');
      outerEventId = outer.id;
      outer.def.value.push({
        name: 'Drand',
        index: 40,
        docs: [],
        fields: [{ name: undefined, type: next, typeName: undefined, docs: [] }],
      });
      md.pallets.push({
        name: 'Drand',
        storage: undefined,
        calls: undefined,
        events: next,
        constants: [],
        errors: undefined,
        index: 40,
        docs: [],
      } as never);
      // Balances.Transfer's `amount` renamed: same bytes, but no longer the shape we declare.
      const bal = md.lookup.find((e) => e.path.join('::') === 'pallet_balances::pallet::Event');
      assert.ok(bal && bal.def.tag === 'variant');
      const t = bal.def.value.find((v) => v.name === 'Transfer');
      assert.ok(t);
      (t.fields[2] as { name?: string }).name = 'value';
    });
    assert.ok(outerEventId >= 0);
    const dec = new EventDecoder(new MetadataCompat(parseMetadata(blob)));
    const pulse = concatBytes(
      new Uint8Array([0, 0, 0, 0, 0]), // ApplyExtrinsic(0)
      new Uint8Array([40, 0]),
      new Uint8Array([9, 0, 0, 0, 0, 0, 0, 0]),
      encodeCompact(3),
      new Uint8Array([0xaa, 0xbb, 0xcc]),
      encodeCompact(0), // topics
    );
    const raw = concatBytes(encodeCompact(3), pulse, record(0, transfer), record(0, stakeAdded));
    const events = dec.decode(raw);
    assert.deepEqual(
      events.map((e) => `${e.pallet}.${e.name}:${e.event ? 'ours' : 'raw'}`),
      ['Drand.Pulse:raw', 'Balances.Transfer:raw', 'SubtensorModule.StakeAdded:ours'],
    );
    assert.equal(events[0]?.bytes.length, 2 + 8 + 1 + 3);
    assert.deepEqual(events[2]?.event, stakeAdded);
  });

  it('rejects truncated or trailing input', () => {
    const dec = new EventDecoder(new MetadataCompat(parseMetadata(V15)));
    const good = concatBytes(encodeCompact(1), record(0, transfer));
    assert.throws(() => dec.decode(good.subarray(0, good.length - 3)), RangeError);
    assert.throws(() => dec.decode(concatBytes(good, new Uint8Array([0]))), RangeError);
    assert.throws(() => dec.decode(concatBytes(encodeCompact(1_000_000), good)), RangeError);
    assert.throws(() => dec.decode('0x00' as never), TypeError);
    assert.deepEqual(dec.decode(encodeCompact(0)), []);
  });

  it('readCompact and LiveSkipper measure SCALE values', () => {
    for (const n of [0, 1, 63, 64, 16_383, 16_384, 2 ** 30 - 1, 2 ** 30, 2 ** 40])
      assert.deepEqual(readCompact(encodeCompact(n), 0), [n, encodeCompact(n).length]);
    assert.throws(() => readCompact(new Uint8Array([0x01]), 0), RangeError);
    assert.throws(() => readCompact(new Uint8Array(), 0), RangeError);
    const md = parseMetadata(V15);
    const skipper = new LiveSkipper(md);
    const bytes = record(3, stakeAdded);
    const rec = md.lookup.find((e) => e.path.join('::') === 'frame_system::EventRecord');
    assert.ok(rec);
    assert.equal(skipper.endOf(rec.id, bytes, 0), bytes.length);
    assert.throws(() => skipper.endOf(rec.id, bytes.subarray(0, 10), 0), RangeError);
    assert.throws(() => skipper.endOf(1e9, bytes, 0), RangeError);
  });
});
