import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DispatchError } from '@taoscript/chain-types';
import { MetadataCompat, parseMetadata } from './compat.js';
import {
  ChainTypeMismatchError,
  describeDispatchError,
  ExtrinsicFailedError,
  TransactionInvalidError,
} from './errors.js';
import { V15 } from './test-fixtures.js';

const compat = new MetadataCompat(parseMetadata(V15));
const named = (p: number, i: number) => compat.moduleError(p, i);
const moduleErr = (index: number, error: number): DispatchError => ({
  type: 'Module',
  value: { index, error: new Uint8Array([error, 0, 0, 0]) },
});
const where = {
  blockHash: `0x${'ab'.repeat(32)}` as const,
  blockNumber: 12,
  extrinsicIndex: 1,
  txHash: `0x${'cd'.repeat(32)}` as const,
};

describe('dispatch error decoding', () => {
  it('names module errors by the node metadata (pallet index + error index)', () => {
    // SubtensorModule is pallet 7; NotEnoughBalanceToStake is its error 12.
    const idx = compat.metadata.pallets.find((p) => p.name === 'SubtensorModule')?.index;
    assert.equal(idx, 7);
    const d = describeDispatchError(moduleErr(7, 12), named);
    assert.deepEqual(d, {
      code: 'NotEnoughBalanceToStake',
      pallet: 'SubtensorModule',
      qualifiedName: 'SubtensorModule.NotEnoughBalanceToStake',
    });
    assert.equal(
      describeDispatchError(moduleErr(5, 2), named).qualifiedName,
      'Balances.InsufficientBalance',
    );
    assert.equal(describeDispatchError(moduleErr(7, 250), named).code, '#250');
    assert.equal(describeDispatchError(moduleErr(99, 0), named).code, 'Module#99');
  });
  it('names the other variants by their variant path', () => {
    assert.equal(describeDispatchError({ type: 'BadOrigin' }, named).code, 'BadOrigin');
    assert.equal(
      describeDispatchError({ type: 'Token', value: { type: 'FundsUnavailable' } }, named).code,
      'Token.FundsUnavailable',
    );
    assert.equal(
      describeDispatchError({ type: 'Arithmetic', value: { type: 'Overflow' } }, named)
        .qualifiedName,
      'Arithmetic.Overflow',
    );
    assert.throws(() => describeDispatchError(null as never, named), TypeError);
    assert.throws(() => describeDispatchError({} as never, named), TypeError);
  });
  it('ExtrinsicFailedError carries the code, pallet and location and serialises', () => {
    const e = new ExtrinsicFailedError(
      describeDispatchError(moduleErr(7, 12), named),
      moduleErr(7, 12),
      where,
    );
    assert.equal(e.name, 'ExtrinsicFailedError');
    assert.equal(e.code, 'NotEnoughBalanceToStake');
    assert.equal(e.pallet, 'SubtensorModule');
    assert.equal(e.shortMessage, 'SubtensorModule.NotEnoughBalanceToStake: the extrinsic failed');
    assert.equal(e.location.blockNumber, 12);
    assert.equal(e.toJSON().code, 'NotEnoughBalanceToStake');
    const m = new ChainTypeMismatchError('call:X.y', ['a', 'b']);
    assert.equal(m.code, 'CHAIN_TYPE_MISMATCH');
    assert.match(m.message, /call:X\.y/);
    assert.equal(new TransactionInvalidError('Invalid.Payment').code, 'TX_INVALID');
  });
});
