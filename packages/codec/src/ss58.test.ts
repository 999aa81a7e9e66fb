import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { cryptoWaitReady, decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { base58 } from '@scure/base';
import fc from 'fast-check';
import { fcOptions } from '../test/fc-options.js';
import { blake2_512 } from './hashers.js';
import { concatBytes, fromHex, toHex } from './hex.js';
import { SS58_PREFIX, ss58Decode, ss58Encode } from './ss58.js';

const ALICE_PK = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

before(async () => {
  await cryptoWaitReady();
});

/** Valid prefixes: 0..16383 without the reserved 46 and 47. */
const prefixArb = fc
  .oneof(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 64, max: 16383 }))
  .filter((p) => p !== 46 && p !== 47);
const payloadArb = fc
  .constantFrom(1, 2, 4, 8, 32, 33)
  .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));

/** Decoded lengths @polkadot/util-crypto accepts: it has no two-byte-prefix short payloads. */
const POLKADOT_LENGTHS = new Set([3, 4, 6, 10, 35, 36, 37, 38]);

function polkadotSupports(address: string): boolean {
  try {
    return POLKADOT_LENGTHS.has(base58.decode(address).length);
  } catch {
    return true; // not base58: both must reject
  }
}

function polkadotValid(address: string): boolean {
  try {
    decodeAddress(address);
    return true;
  } catch {
    return false;
  }
}

/** Builds an address from raw parts, with a correct checksum unless told otherwise. */
function rawAddress(prefixBytes: number[], payload: Uint8Array, csLen: number): string {
  const body = concatBytes(new Uint8Array(prefixBytes), payload);
  const sum = blake2_512(concatBytes(new TextEncoder().encode('SS58PRE'), body));
  return base58.encode(concatBytes(body, sum.subarray(0, csLen)));
}

describe('ss58', () => {
  test('//Alice', () => {
    assert.equal(SS58_PREFIX, 42);
    assert.equal(ss58Encode(fromHex(ALICE_PK)), ALICE);
    assert.equal(ss58Encode(fromHex(ALICE_PK), 42), ALICE);
    const r = ss58Decode(ALICE);
    assert.ok(r.valid);
    assert.equal(toHex(r.publicKey), ALICE_PK);
    assert.equal(r.prefix, 42);
    // Polkadot (prefix 0) and Kusama (prefix 2) forms of the same key.
    assert.equal(
      ss58Encode(fromHex(ALICE_PK), 0),
      '15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5',
    );
    assert.equal(
      ss58Encode(fromHex(ALICE_PK), 2),
      'HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F',
    );
  });

  test('encode matches encodeAddress and decode inverts it', () => {
    fc.assert(
      fc.property(payloadArb, prefixArb, (payload, prefix) => {
        const address = ss58Encode(payload, prefix);
        assert.equal(address, encodeAddress(payload, prefix));
        const r = ss58Decode(address);
        assert.ok(r.valid, r.valid ? '' : r.reason);
        assert.deepEqual(r.publicKey, payload);
        assert.equal(r.prefix, prefix);
        if (polkadotSupports(address)) assert.deepEqual(decodeAddress(address), payload);
      }),
      fcOptions(300),
    );
  });

  test('a one-character change is rejected unless its checksum happens to match', () => {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    fc.assert(
      fc.property(
        payloadArb,
        prefixArb,
        fc.nat(),
        fc.constantFrom(...alphabet),
        (payload, prefix, at, ch) => {
          const address = ss58Encode(payload, prefix);
          const i = at % address.length;
          const mutated = address.slice(0, i) + ch + address.slice(i + 1);
          const r = ss58Decode(mutated);
          if (polkadotSupports(mutated)) assert.equal(r.valid, polkadotValid(mutated), mutated);
          // A short payload has a 1-byte checksum, so 1 in 256 mutations still verify; whatever is
          // accepted must re-encode to the same string.
          if (r.valid) assert.equal(ss58Encode(r.publicKey, r.prefix), mutated);
        },
      ),
      fcOptions(300),
    );
  });

  test('decode reports invalid input without throwing', () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /expected a string/],
      [null, /expected a string, got null/],
      [42, /expected a string/],
      [fromHex(ALICE_PK), /expected a string/],
      ['', /empty/],
      ['1'.repeat(65), /too long/],
      [`${ALICE}0`, /not valid base58/],
      ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQI', /not valid base58/],
      [ALICE.slice(0, -1), /./],
      [base58.encode(base58.decode(ALICE).subarray(0, 34)), /invalid decoded length 34/],
      ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ', /checksum mismatch/],
      [ALICE_PK.slice(0, 40), /not valid base58/],
      [base58.encode(new Uint8Array([42])), /invalid decoded length/],
      [rawAddress([46], new Uint8Array(32), 2), /reserved prefix 46/],
      [rawAddress([47], new Uint8Array(32), 2), /reserved prefix 47/],
      [rawAddress([128], new Uint8Array(32), 2), /unknown prefix byte 128/],
      [rawAddress([0x40, 0x00], new Uint8Array(32), 2), /non-canonical two-byte prefix/],
      [rawAddress([42], new Uint8Array(32), 1), /invalid decoded length/],
      [rawAddress([42], new Uint8Array(8), 2), /invalid decoded length/],
      [rawAddress([42], new Uint8Array(16), 1), /invalid decoded length/],
      [rawAddress([42], new Uint8Array(34), 2), /invalid decoded length/],
    ];
    for (const [input, reason] of cases) {
      const r = ss58Decode(input);
      assert.equal(r.valid, false, String(input));
      if (!r.valid) assert.match(r.reason, reason, String(input));
    }
    // A correctly built address with a raw body is accepted.
    const ok = ss58Decode(rawAddress([42], new Uint8Array(8).fill(1), 1));
    assert.ok(ok.valid && ok.publicKey.length === 8);
  });

  test('encode rejects bad keys and prefixes', () => {
    for (const bad of [null, 'abc', [1, 2, 3], new ArrayBuffer(32)]) {
      assert.throws(() => ss58Encode(bad as unknown as Uint8Array), TypeError);
    }
    for (const len of [0, 3, 16, 31, 34, 64]) {
      assert.throws(() => ss58Encode(new Uint8Array(len)), RangeError, `length ${len}`);
    }
    const pk = fromHex(ALICE_PK);
    for (const bad of [-1, 46, 47, 16384, 1.5, Number.NaN]) {
      assert.throws(() => ss58Encode(pk, bad), RangeError, String(bad));
    }
    assert.throws(() => ss58Encode(pk, '42' as unknown as number), TypeError);
  });
});
