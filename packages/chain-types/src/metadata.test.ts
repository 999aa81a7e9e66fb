import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { getDynamicBuilder, getLookupFn } from '@polkadot-api/metadata-builders';
import { decAnyMetadata, unifyMetadata } from '@polkadot-api/substrate-bindings';
import { toHex } from '@taoscript/codec';
import { EXTENSIONS } from './extensions.js';
import { RuntimeCall, UncheckedExtrinsic } from './outer.js';
import { System } from './pallets/system.js';
import type { RuntimeVersion } from './primitives.js';
import { runtimeApis } from './runtime-apis.js';
import { runtimeMetadata } from './runtime-metadata.js';

const version: RuntimeVersion = {
  spec_name: 'node-subtensor',
  impl_name: 'taoscript',
  authoring_version: 1,
  spec_version: 425,
  impl_version: 1,
  apis: [],
  transaction_version: 1,
  system_version: 1,
};
const params = { version, ss58Prefix: 42, blockTimeMs: 12_000 };
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const ALICE_PK = new Uint8Array(
  Buffer.from('d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d', 'hex'),
);

describe('metadata', () => {
  for (const v of [14, 15] as const) {
    it(`V${v} decodes in @polkadot/types and encodes calls as we do`, () => {
      const bytes = runtimeMetadata(params, v);
      assert.deepEqual([...bytes.slice(0, 5)], [0x6d, 0x65, 0x74, 0x61, v]);
      const registry = new TypeRegistry();
      const md = new Metadata(registry, bytes);
      registry.setMetadata(md);
      assert.equal(md.version, v);
      const pallets = md.asLatest.pallets.map((p) => [p.name.toString(), p.index.toNumber()]);
      assert.deepEqual(pallets, [
        ['System', 0],
        ['Timestamp', 2],
        ['Balances', 5],
        ['TransactionPayment', 6],
        ['SubtensorModule', 7],
        ['Utility', 11],
        ['Sudo', 12],
        ['Commitments', 18],
        ['AdminUtils', 19],
        ['Swap', 28],
      ]);
      const extensions = md.asLatest.extrinsic.transactionExtensions.map((e) =>
        e.identifier.toString(),
      );
      assert.deepEqual(
        extensions,
        EXTENSIONS.map((e) => e.identifier),
      );
      assert.ok(extensions.includes('ChargeTransactionPayment'));
      const pjs = registry.createType('Call', {
        callIndex: [5, 3],
        args: { dest: { Id: ALICE }, value: 12_345 },
      });
      const ours = RuntimeCall.enc({
        type: 'Balances',
        value: {
          type: 'transfer_keep_alive',
          value: { dest: { type: 'Id', value: ALICE_PK }, value: 12_345n },
        },
      });
      assert.equal(pjs.toHex(), toHex(ours));
      const ed = md.asLatest.pallets
        .find((p) => p.name.toString() === 'Balances')
        ?.constants.find((c) => c.name.toString() === 'ExistentialDeposit');
      assert.equal(registry.createType('u64', ed?.value).toNumber(), 500);
    });

    it(`V${v} builds codecs in polkadot-api that agree with ours`, () => {
      const meta = unifyMetadata(decAnyMetadata(runtimeMetadata(params, v)));
      const builder = getDynamicBuilder(getLookupFn(meta));
      const account = builder.buildStorage('System', 'Account');
      assert.equal(account.keys.enc(ALICE), toHex(System.Account.key(ALICE_PK)));
      const call = builder.buildCall('Balances', 'transfer_keep_alive');
      const args = call.codec.enc({ dest: { type: 'Id', value: ALICE }, value: 7n });
      const ours = RuntimeCall.enc({
        type: 'Balances',
        value: {
          type: 'transfer_keep_alive',
          value: { dest: { type: 'Id', value: ALICE_PK }, value: 7n },
        },
      });
      assert.equal(toHex(ours.slice(2)), toHex(args));
      assert.deepEqual([...ours.slice(0, 2)], [call.location[0], call.location[1]]);
      if (v === 15) {
        assert.ok(meta.apis.some((a) => a.name === 'TransactionPaymentApi'));
        assert.ok(meta.apis.some((a) => a.name === 'AccountNonceApi'));
      }
    });
  }

  it('is deterministic', () => {
    assert.deepEqual(runtimeMetadata(params, 15), runtimeMetadata(params, 15));
  });

  it('lists each runtime API under its blake2_64 id', () => {
    for (const api of runtimeApis(UncheckedExtrinsic))
      assert.equal(api.id, toHex(blake2AsU8a(api.name, 64)), api.name);
  });
});
