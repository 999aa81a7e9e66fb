import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hex, toHex, utf8 } from '../test/helpers.js';
import { ed25519PairFromSeed, ed25519Verify } from './ed25519.js';
import { keypairFromMnemonic, keypairFromSeed, keypairFromUri } from './keypair.js';
import { mnemonicToMiniSecret } from './mnemonic.js';
import { sr25519PairFromSeed, sr25519Verify } from './sr25519.js';
import { DEV_PHRASE } from './suri.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const ALICE_PUB = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';

describe('keypairFromSeed', () => {
  it('sr25519 and ed25519 pairs sign verifiably', () => {
    const seed = new Uint8Array(32).fill(9);
    const sr = keypairFromSeed(seed);
    assert.equal(sr.type, 'sr25519');
    assert.deepEqual(sr.publicKey, sr25519PairFromSeed(seed).publicKey);
    assert.equal(sr.secretKey.length, 64);
    const msg = utf8('hello');
    assert.equal(sr25519Verify(sr.sign(msg), msg, sr.publicKey), true);

    const ed = keypairFromSeed(seed, 'ed25519');
    assert.equal(ed.type, 'ed25519');
    assert.deepEqual(ed.publicKey, ed25519PairFromSeed(seed).publicKey);
    assert.deepEqual(ed.secretKey.subarray(0, 32), seed);
    assert.equal(ed25519Verify(ed.sign(msg), msg, ed.publicKey), true);
    assert.deepEqual(ed.sign(msg), ed.sign(msg));
    assert.notDeepEqual(ed.publicKey, sr.publicKey);
  });

  it('address() uses prefix 42 by default and honours other prefixes', () => {
    const alice = keypairFromUri('//Alice');
    assert.equal(alice.address(), ALICE);
    assert.equal(alice.address(42), ALICE);
    // Well-known encodings of Alice's key on Polkadot (0), Kusama (2) and a two-byte prefix (255).
    assert.equal(alice.address(0), '15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5');
    assert.equal(alice.address(2), 'HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F');
    assert.throws(() => alice.address(46), RangeError);
    assert.throws(() => alice.address(16384), RangeError);
    assert.throws(() => alice.address(-1), RangeError);
    assert.throws(() => alice.address(1.5), RangeError);
  });

  it('keys handed out are copies; JSON never contains the secret', () => {
    const alice = keypairFromUri('//Alice');
    alice.publicKey.fill(0);
    alice.secretKey.fill(0);
    assert.equal(toHex(alice.publicKey), ALICE_PUB);
    assert.ok(alice.secretKey.some((b) => b !== 0));
    const json = JSON.stringify(alice);
    assert.deepEqual(JSON.parse(json), { type: 'sr25519', address: ALICE });
    assert.ok(!json.includes(toHex(alice.secretKey).slice(2, 18)));
  });

  it('rejects bad seeds and types', () => {
    assert.throws(() => keypairFromSeed(new Uint8Array(31)), RangeError);
    assert.throws(() => keypairFromSeed(new Uint8Array(64), 'ed25519'), RangeError);
    assert.throws(() => keypairFromSeed('00'.repeat(32) as never), TypeError);
    assert.throws(() => keypairFromSeed(new Uint8Array(32), 'ecdsa' as never), RangeError);
  });
});

describe('keypairFromMnemonic', () => {
  it('equals keypairFromSeed of the mini secret (both types, with password)', () => {
    for (const type of ['sr25519', 'ed25519'] as const) {
      assert.deepEqual(
        keypairFromMnemonic(DEV_PHRASE, type).publicKey,
        keypairFromSeed(mnemonicToMiniSecret(DEV_PHRASE), type).publicKey,
      );
      assert.deepEqual(
        keypairFromMnemonic(DEV_PHRASE, type, 'pw').publicKey,
        keypairFromSeed(mnemonicToMiniSecret(DEV_PHRASE, 'pw'), type).publicKey,
      );
    }
    assert.equal(
      keypairFromMnemonic(DEV_PHRASE).address(),
      '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV',
    );
  });

  it('rejects invalid mnemonics', () => {
    assert.throws(() => keypairFromMnemonic(`${'abandon '.repeat(11)}abandon`), /checksum/);
  });
});

describe('keypairFromUri', () => {
  it('derives //Alice and matches the mnemonic root without a path', () => {
    assert.equal(toHex(keypairFromUri('//Alice').publicKey), ALICE_PUB);
    assert.equal(toHex(keypairFromUri(`${DEV_PHRASE}//Alice`).publicKey), ALICE_PUB);
    assert.deepEqual(
      keypairFromUri(DEV_PHRASE).publicKey,
      keypairFromMnemonic(DEV_PHRASE).publicKey,
    );
  });

  it('applies the ///password to mnemonics', () => {
    assert.deepEqual(
      keypairFromUri(`${DEV_PHRASE}///pw`).publicKey,
      keypairFromMnemonic(DEV_PHRASE, 'sr25519', 'pw').publicKey,
    );
    assert.notDeepEqual(
      keypairFromUri('//Alice///pw').publicKey,
      keypairFromUri('//Alice').publicKey,
    );
  });

  it('0x seeds: root equals keypairFromSeed; password is ignored as in sp-core', () => {
    const seed = `0x${'42'.repeat(32)}`;
    for (const type of ['sr25519', 'ed25519'] as const) {
      assert.deepEqual(
        keypairFromUri(seed, type).publicKey,
        keypairFromSeed(hex(seed), type).publicKey,
      );
      assert.deepEqual(
        keypairFromUri(`${seed}///pw`, type).publicKey,
        keypairFromUri(seed, type).publicKey,
      );
    }
    assert.notDeepEqual(keypairFromUri(`${seed}//1`).publicKey, keypairFromUri(seed).publicKey);
  });

  it('ed25519 supports hard junctions and refuses soft ones', () => {
    const a = keypairFromUri('//Alice', 'ed25519');
    assert.equal(a.type, 'ed25519');
    assert.equal(
      toHex(a.publicKey),
      '0x88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee',
    );
    assert.throws(() => keypairFromUri('//Alice/soft', 'ed25519'), /ed25519 does not support soft/);
    assert.throws(() => keypairFromUri(`${DEV_PHRASE}/0`, 'ed25519'), Error);
  });

  it('rejects bad phrases and seeds with clear messages', () => {
    assert.throws(() => keypairFromUri('not a mnemonic//x'), {
      name: 'RangeError',
      message: /not a valid mnemonic or 0x seed/,
    });
    assert.throws(() => keypairFromUri(`0x${'00'.repeat(31)}`), /64 hex digits/);
    assert.throws(() => keypairFromUri(`0x${'zz'.repeat(32)}`), /64 hex digits/);
    assert.throws(() => keypairFromUri('//Alice//'), /malformed/);
    assert.throws(() => keypairFromUri(''), RangeError);
    assert.throws(() => keypairFromUri(42 as never), TypeError);
    assert.throws(() => keypairFromUri('//Alice', 'Sr25519' as never), RangeError);
  });
});
