import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { inspect } from 'node:util';
import { fromHex, toHex } from '@taoscript/codec';
import { keypairFromUri, sr25519Verify } from '@taoscript/crypto';
import fc from 'fast-check';
import { isWalletError } from './errors.js';
import { WalletKey } from './key.js';
import { deserializeKeyfileData, serializeKeyfileData } from './keyfile-data.js';
import {
  type KeyfileNaclVector,
  loadVector,
  recordingLogger,
  type Ss58Vector,
} from './test-support.js';

let nacl: KeyfileNaclVector;
let ss58: Ss58Vector;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const json = (o: unknown): Uint8Array => utf8(JSON.stringify(o));
const fields = (key: WalletKey): Record<string, string> =>
  JSON.parse(new TextDecoder().decode(serializeKeyfileData(key)));
const corrupt = (e: unknown): boolean => isWalletError(e, 'KEYFILE_CORRUPT');

before(async () => {
  nacl = await loadVector<KeyfileNaclVector>('keyfile_nacl.json');
  ss58 = await loadVector<Ss58Vector>('ss58_and_derivation.json');
});

test('the btwallet coldkey JSON and coldkeypub.txt are reproduced byte for byte', () => {
  const key = WalletKey.fromMnemonic(nacl.key_source.mnemonic);
  assert.equal(new TextDecoder().decode(serializeKeyfileData(key)), nacl.plaintext);
  assert.equal(
    new TextDecoder().decode(serializeKeyfileData(key.toPublic())),
    nacl.coldkeypub_txt_plaintext,
  );
  assert.equal(toHex(key.keypair.secretKey), nacl.private_key_ed25519_form_js);
  const parsed = deserializeKeyfileData(utf8(nacl.plaintext));
  assert.equal(parsed.ss58Address, nacl.key_source.ss58);
  assert.equal(parsed.mnemonic, nacl.key_source.mnemonic);
  assert.equal(toHex(parsed.seed!), nacl.key_source.mini_secret);
});

test('mnemonic vectors: mini-secret, keys, canonical privateKey, ss58, and round trips', () => {
  for (const m of ss58.mnemonics) {
    const key = WalletKey.fromMnemonic(m.mnemonic);
    assert.equal(toHex(key.publicKey), m.public_key);
    assert.equal(key.ss58Address, m.ss58);
    assert.equal(toHex(key.seed!), m.mini_secret);
    assert.equal(toHex(key.privateKey!), m.secret_key_canonical_form);
    assert.equal(toHex(key.keypair.secretKey), m.secret_key_ed25519_form);
    const f = fields(key);
    assert.deepEqual(Object.keys(f), [
      'accountId',
      'publicKey',
      'privateKey',
      'secretPhrase',
      'secretSeed',
      'ss58Address',
    ]);
    assert.equal(f.accountId, m.public_key);
    assert.equal(f.publicKey, m.public_key);
    assert.equal(f.privateKey, m.secret_key_canonical_form);
    assert.equal(f.secretPhrase, m.mnemonic);
    assert.equal(f.secretSeed, m.mini_secret);
    assert.equal(f.ss58Address, m.ss58);
    // Each secret field alone resolves to the same key.
    for (const only of ['secretPhrase', 'secretSeed', 'privateKey'] as const) {
      const back = deserializeKeyfileData(json({ [only]: f[only] }));
      assert.equal(back.ss58Address, m.ss58, only);
      assert.equal(toHex(back.privateKey!), m.secret_key_canonical_form, only);
    }
    const pub = deserializeKeyfileData(json({ ss58Address: m.ss58 }));
    assert.equal(pub.hasPrivateKey, false);
    assert.equal(toHex(pub.publicKey), m.public_key);
  }
});

test('derivation vectors: URIs give the listed public keys and keep no phrase or seed', () => {
  for (const d of ss58.derivations) {
    const key = WalletKey.fromUri(d.uri);
    assert.equal(toHex(key.publicKey), d.public_key, d.uri);
    assert.equal(key.ss58Address, d.ss58, d.uri);
    const f = fields(key);
    assert.deepEqual(Object.keys(f), ['accountId', 'publicKey', 'privateKey', 'ss58Address']);
    const back = deserializeKeyfileData(serializeKeyfileData(key));
    assert.equal(back.ss58Address, d.ss58);
    // Hard-only paths are byte-reproducible; soft ones have a random nonce half.
    if (!/(^|[^/])\/[^/]/u.test(d.path)) {
      assert.equal(toHex(WalletKey.fromUri(d.uri).privateKey!), f.privateKey, d.uri);
    }
    assert.equal(toHex(back.privateKey!), f.privateKey);
  }
});

test('any key order is accepted and null counts as absent', () => {
  const f = JSON.parse(nacl.plaintext) as Record<string, string>;
  const reversed = Object.fromEntries(Object.entries(f).reverse());
  assert.equal(deserializeKeyfileData(json(reversed)).mnemonic, nacl.key_source.mnemonic);
  const nulled = { ...f, secretPhrase: null };
  const key = deserializeKeyfileData(json(nulled));
  assert.equal(key.mnemonic, undefined);
  assert.equal(toHex(key.seed!), nacl.key_source.mini_secret);
  const allNull = deserializeKeyfileData(
    json({ secretPhrase: null, secretSeed: null, privateKey: null, ss58Address: f.ss58Address }),
  );
  assert.equal(allNull.hasPrivateKey, false);
});

test('load precedence: secretPhrase, then secretSeed, then privateKey, then ss58Address', () => {
  const [a, b, c, d] = ss58.mnemonics.map((m) => WalletKey.fromMnemonic(m.mnemonic));
  const mixed: Record<string, string> = {
    publicKey: toHex(d!.publicKey),
    secretPhrase: a!.mnemonic!,
    secretSeed: toHex(b!.seed!),
    privateKey: toHex(c!.privateKey!),
    ss58Address: d!.ss58Address,
  };
  const logger = recordingLogger();
  assert.ok(deserializeKeyfileData(json(mixed), { logger }).equals(a!));
  assert.equal(logger.warnings.length, 1, 'stored publicKey disagrees with the secret');
  delete mixed.secretPhrase;
  assert.ok(deserializeKeyfileData(json(mixed)).equals(b!));
  delete mixed.secretSeed;
  assert.ok(deserializeKeyfileData(json(mixed)).equals(c!));
  delete mixed.privateKey;
  const pub = deserializeKeyfileData(json(mixed));
  assert.ok(pub.equals(d!));
  assert.equal(pub.hasPrivateKey, false);
});

test('privateKey in the JS ed25519 form is recognised when the stored public key proves it', () => {
  const m = ss58.mnemonics[0]!;
  const logger = recordingLogger();
  const key = deserializeKeyfileData(
    json({ publicKey: m.public_key, privateKey: m.secret_key_ed25519_form }),
    { logger },
  );
  assert.equal(key.ss58Address, m.ss58);
  assert.equal(toHex(key.privateKey!), m.secret_key_canonical_form);
  assert.match(logger.warnings[0]?.msg ?? '', /ed25519/);
});

test('sp-core from_seed_slice quirks: 32-byte privateKey is a seed, 64-byte secretSeed a secret', () => {
  const m = ss58.mnemonics[1]!;
  assert.equal(deserializeKeyfileData(json({ privateKey: m.mini_secret })).ss58Address, m.ss58);
  assert.equal(
    deserializeKeyfileData(json({ secretSeed: m.secret_key_canonical_form })).ss58Address,
    m.ss58,
  );
  // "0x" prefixes are stripped repeatedly, as Rust's trim_start_matches does.
  assert.equal(
    deserializeKeyfileData(json({ secretSeed: `0x${m.mini_secret}` })).ss58Address,
    m.ss58,
  );
});

test('a seed btwallet wrote as "0x" + raw UTF-8 text is read back', () => {
  const raw = 'abcdefghijklmnopqrstuvwxyz012345';
  const expected = WalletKey.fromSeed(utf8(raw));
  assert.ok(deserializeKeyfileData(json({ secretSeed: `0x${raw}` })).equals(expected));
});

test('hostile or damaged JSON is KEYFILE_CORRUPT', () => {
  const m = ss58.mnemonics[0]!;
  const bad: [string, Uint8Array][] = [
    ['invalid UTF-8', Uint8Array.of(0x7b, 0xff, 0x7d)],
    ['not JSON', utf8('{"secretPhrase": ')],
    ['truncated', utf8(nacl.plaintext.slice(0, 100))],
    ['array', json([m.ss58])],
    ['string', json(m.ss58)],
    ['null', utf8('null')],
    ['empty object', json({})],
    ['number value', json({ ss58Address: m.ss58, privateKey: 5 })],
    ['object value', json({ ss58Address: { a: 1 } })],
    ['bool value', json({ ss58Address: m.ss58, extra: true })],
    ['bad mnemonic', json({ secretPhrase: 'abandon abandon abandon' })],
    ['bad checksum', json({ secretPhrase: m.mnemonic.replace(/walk$/u, 'bottom') })],
    ['short seed', json({ secretSeed: '0x1234' })],
    ['non-hex privateKey', json({ privateKey: '0xzz' })],
    ['odd privateKey', json({ privateKey: '0x123' })],
    ['33-byte privateKey', json({ privateKey: `0x${'11'.repeat(33)}` })],
    ['unreduced privateKey', json({ privateKey: `0x${'ff'.repeat(64)}` })],
    ['bad ss58', json({ ss58Address: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ' })],
    ['proto', utf8('{"__proto__":{"ss58Address":"x"}}')],
    ['BOM', utf8(`\ufeff${nacl.coldkeypub_txt_plaintext}`)],
  ];
  for (const [what, data] of bad) {
    assert.throws(() => deserializeKeyfileData(data, { path: '/k' }), corrupt, what);
  }
  // The error names the field but does not echo the (possibly nearly right) phrase.
  const typo = m.mnemonic.replace('obey', 'obeyy');
  assert.throws(
    () => deserializeKeyfileData(json({ secretPhrase: typo })),
    (e: unknown) =>
      corrupt(e) &&
      /secretPhrase/u.test((e as Error).message) &&
      !JSON.stringify(e, Object.getOwnPropertyNames(e)).includes('obey'),
  );
});

test('WalletKey signing and btwallet-style verification', () => {
  const key = WalletKey.fromUri('//Alice');
  const sig = key.sign('hello');
  assert.equal(sig.length, 64);
  assert.ok(key.verify('hello', sig));
  assert.ok(sr25519Verify(sig, utf8('hello'), key.publicKey));
  assert.ok(key.verify(utf8('hello'), toHex(sig)));
  // `0x…` strings are hex-decoded before signing.
  assert.ok(key.verify(Uint8Array.of(1, 2), key.sign('0x0102')));
  // A signature over <Bytes>msg</Bytes> verifies for msg (polkadot.js extension style).
  assert.ok(key.toPublic().verify('msg', key.sign('<Bytes>msg</Bytes>')));
  assert.equal(key.verify('other', sig), false);
  assert.throws(
    () => key.toPublic().sign('x'),
    (e: unknown) => isWalletError(e, 'KEY_PUBLIC_ONLY'),
  );
  assert.throws(() => key.sign('0xzz'), RangeError);
  assert.throws(() => key.sign(5 as unknown as string), TypeError);
  assert.throws(() => key.verify('x', new Uint8Array(63)), RangeError);
});

test('secrets never appear in JSON or inspect output', () => {
  const key = WalletKey.fromMnemonic(nacl.key_source.mnemonic);
  const shown = JSON.stringify({ key }) + inspect(key) + String(JSON.stringify(key.keypair));
  assert.ok(!shown.includes('abandon'));
  assert.ok(!shown.includes(nacl.key_source.mini_secret.slice(2)));
  assert.ok(shown.includes(nacl.key_source.ss58));
  assert.deepEqual(key.toJSON(), {
    ss58Address: nacl.key_source.ss58,
    publicKey: nacl.key_source.public_key,
    hasPrivateKey: true,
  });
  // Getters hand out copies.
  key.publicKey.fill(0);
  key.seed!.fill(0);
  assert.equal(toHex(key.publicKey), nacl.key_source.public_key);
  assert.equal(toHex(key.seed!), nacl.key_source.mini_secret);
});

test('WalletKey constructors reject bad input', () => {
  assert.throws(() => WalletKey.fromSeed(new Uint8Array(31)), RangeError);
  assert.throws(() => WalletKey.fromSeed(7 as unknown as string), TypeError);
  assert.throws(() => WalletKey.fromSeed('0x12'), RangeError);
  assert.throws(() => WalletKey.fromSeed(`0x${'1'.repeat(5000)}`), RangeError);
  assert.throws(() => WalletKey.fromPublicKey('zz'), RangeError);
  assert.throws(() => WalletKey.fromSs58('not an address'), RangeError);
  assert.throws(() => WalletKey.fromSs58(null as unknown as string), TypeError);
  assert.throws(() => WalletKey.fromMnemonic('one two three'), RangeError);
  assert.throws(() => WalletKey.fromUri('notamnemonic//x'), RangeError);
  assert.throws(() => WalletKey.fromUri(3 as unknown as string), TypeError);
  assert.throws(() => WalletKey.fromPrivateKey(new Uint8Array(64).fill(0xff)), RangeError);
  assert.throws(() => WalletKey.fromKeypair(keypairFromUri('//Alice', 'ed25519')), RangeError);
  assert.throws(() => serializeKeyfileData({} as WalletKey), TypeError);
  assert.throws(() => deserializeKeyfileData('{}' as unknown as Uint8Array), TypeError);
});

test('other SS58 prefixes are accepted and normalised to 42', () => {
  const alice = WalletKey.fromUri('//Alice');
  const polkadot = alice.address(0);
  assert.notEqual(polkadot, alice.ss58Address);
  const key = WalletKey.fromSs58(polkadot);
  assert.equal(key.ss58Address, alice.ss58Address);
  assert.deepEqual(key.publicKey, fromHex(toHex(alice.publicKey)));
  assert.ok(WalletKey.fromKeypair(keypairFromUri('//Alice')).equals(alice));
});

const FC = { seed: Number(process.env.FC_SEED ?? 1), numRuns: 100 };

test('property: any seed round-trips through the keyfile JSON', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
      const key = WalletKey.fromSeed(seed);
      const back = deserializeKeyfileData(serializeKeyfileData(key));
      assert.ok(back.equals(key));
      assert.deepEqual(back.seed, seed);
      assert.deepEqual(back.privateKey, key.privateKey);
      assert.ok(WalletKey.fromPrivateKey(key.privateKey!).equals(key));
    }),
    FC,
  );
});

test('property: arbitrary JSON objects give a key or KEYFILE_CORRUPT, nothing else', () => {
  const value = fc.oneof(
    fc.string(),
    fc.constant(null),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom(...ss58.mnemonics.flatMap((m) => [m.mnemonic, m.mini_secret, m.ss58])),
    fc.uint8Array({ minLength: 0, maxLength: 65 }).map((b) => toHex(b)),
  );
  const name = fc.constantFrom(
    'secretPhrase',
    'secretSeed',
    'privateKey',
    'ss58Address',
    'publicKey',
    'x',
  );
  fc.assert(
    fc.property(fc.dictionary(name, value), (obj) => {
      try {
        assert.ok(deserializeKeyfileData(json(obj)) instanceof WalletKey);
      } catch (e) {
        assert.ok(corrupt(e), String(e));
      }
    }),
    FC,
  );
});
