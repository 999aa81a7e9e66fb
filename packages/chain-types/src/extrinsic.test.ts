import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createType, Metadata, TypeRegistry } from '@polkadot/types';
import { concatBytes, encodeCompact } from '@taoscript/codec';
import { devKeypair, signExtrinsic, transferKeepAlive } from '@taoscript/testkit';
import { decodeExtrinsic, ExtrinsicDecodeError, encodeExtrinsic } from './extrinsic.js';
import { runtimeMetadata } from './runtime-metadata.js';

const alice = devKeypair('Alice');
const bob = devKeypair('Bob');
const genesisHash = new Uint8Array(32).fill(7);
const signed = signExtrinsic({
  call: transferKeepAlive(bob.publicKey, 5n),
  signer: alice,
  nonce: 3,
  genesisHash,
  tip: 9n,
});

describe('extrinsics', () => {
  it('decode what we sign, and what polkadot.js decodes', () => {
    const x = decodeExtrinsic(signed);
    assert.equal(x.signed?.extra.nonce, 3);
    assert.equal(x.signed?.extra.tip, 9n);
    assert.deepEqual(x.signed?.address, { type: 'Id', value: alice.publicKey });
    assert.equal(x.call.type, 'Balances');
    const registry = new TypeRegistry();
    const md = new Metadata(
      registry,
      runtimeMetadata(
        {
          version: {
            spec_name: 'node-subtensor',
            impl_name: 'taoscript',
            authoring_version: 1,
            spec_version: 425,
            impl_version: 1,
            apis: [],
            transaction_version: 1,
            system_version: 1,
          },
          ss58Prefix: 42,
          blockTimeMs: 12000,
        },
        15,
      ),
    );
    registry.setMetadata(md);
    const pjs = createType(registry, 'Extrinsic', signed);
    assert.equal(pjs.isSigned, true);
    assert.equal(pjs.nonce.toNumber(), 3);
    assert.equal(pjs.tip.toBigInt(), 9n);
    assert.equal(pjs.method.section, 'balances');
    assert.equal(pjs.method.method, 'transferKeepAlive');
    assert.equal(pjs.signer.toString(), alice.address());
  });

  it('round-trips unsigned', () => {
    const xt = encodeExtrinsic(transferKeepAlive(bob.publicKey, 1n));
    assert.equal(decodeExtrinsic(xt).signed, undefined);
  });

  it('rejects malformed bytes with a clear error', () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(), /length prefix/],
      ['short body', signed.slice(0, signed.length - 1), /length prefix says/],
      ['trailing', concatBytes(signed, new Uint8Array([0])), /length prefix says/],
      [
        'version 5',
        concatBytes(encodeCompact(2), new Uint8Array([0x05, 0x00])),
        /unsupported extrinsic version 5/,
      ],
      [
        'unknown pallet',
        concatBytes(encodeCompact(3), new Uint8Array([0x04, 0x63, 0x00])),
        /cannot decode the call/,
      ],
      [
        'call trailing bytes',
        (() => {
          const b = encodeExtrinsic(transferKeepAlive(bob.publicKey, 1n));
          const body = concatBytes(b.slice(1), new Uint8Array([1]));
          return concatBytes(encodeCompact(body.length), body);
        })(),
        /trail the call/,
      ],
      [
        'garbage signature part',
        concatBytes(encodeCompact(4), new Uint8Array([0x84, 0x09, 0x00, 0x00])),
        /signature part/,
      ],
    ];
    for (const [name, bytes, re] of cases) {
      assert.throws(
        () => decodeExtrinsic(bytes),
        (e: unknown) => e instanceof ExtrinsicDecodeError && re.test((e as Error).message),
        name,
      );
    }
  });
});
