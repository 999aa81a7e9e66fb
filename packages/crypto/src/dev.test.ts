import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../test/helpers.js';
import { DEV_ACCOUNT_NAMES, devKeypair } from './dev.js';
import { keypairFromUri } from './keypair.js';
import { sr25519Verify } from './sr25519.js';

// The well-known Substrate development addresses (prefix 42).
const KNOWN = {
  Alice: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  Bob: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  Charlie: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
  Dave: '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy',
  Eve: '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw',
  Ferdie: '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL',
} as const;

describe('dev accounts', () => {
  it('lists the six names in order', () => {
    assert.deepEqual([...DEV_ACCOUNT_NAMES], ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']);
  });

  for (const name of DEV_ACCOUNT_NAMES) {
    it(`${name} has the well-known address and signs`, () => {
      const pair = devKeypair(name);
      assert.equal(pair.type, 'sr25519');
      assert.equal(pair.address(), KNOWN[name]);
      assert.deepEqual(pair.publicKey, keypairFromUri(`//${name}`).publicKey);
      const msg = utf8(name);
      assert.equal(sr25519Verify(pair.sign(msg), msg, pair.publicKey), true);
    });
  }

  it('is cached and not corruptible through its getters', () => {
    const a = devKeypair('Alice');
    assert.equal(devKeypair('Alice'), a);
    a.publicKey.fill(0);
    assert.equal(devKeypair('Alice').address(), KNOWN.Alice);
  });

  it('rejects unknown names', () => {
    assert.throws(() => devKeypair('alice' as never), {
      name: 'RangeError',
      message: /unknown dev account/,
    });
    assert.throws(() => devKeypair(undefined as never), RangeError);
  });
});
