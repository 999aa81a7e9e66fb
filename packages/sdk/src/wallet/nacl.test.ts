import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fromHex, toHex } from '@taoscript/codec';
import { isWalletError } from './errors.js';
import {
  currentArgon2Cost,
  deriveNaclKey,
  type KdfProgressEvent,
  NACL_MEMLIMIT_BYTES,
  NACL_OPSLIMIT,
  NACL_SALT,
  setArgon2CostForTesting,
} from './kdf.js';
import { decryptKeyfileData, encryptKeyfileData, keyfileEncryption } from './keyfile.js';
import {
  assertNaclStructure,
  decryptNacl,
  encryptNacl,
  NACL_MIN_LENGTH,
  naclOpenWithKey,
  naclSealWithKey,
} from './nacl.js';
import { type KeyfileNaclVector, loadVector } from './test-support.js';

let v: KeyfileNaclVector;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const caseById = (id: string) => {
  const c = v.cases.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
};

before(async () => {
  v = await loadVector<KeyfileNaclVector>('keyfile_nacl.json');
});

test('KDF constants are btwallet/libsodium SENSITIVE parameters and the fixed salt', () => {
  assert.equal(toHex(NACL_SALT), `0x${v.kdf.salt_hex}`);
  assert.equal(NACL_OPSLIMIT, v.kdf.opslimit);
  assert.equal(NACL_MEMLIMIT_BYTES, v.kdf.memlimit_bytes);
  assert.deepEqual(currentArgon2Cost(), { iterations: 8, memoryKiB: v.kdf.memlimit_kib });
});

test('passwords are used as their exact UTF-8 bytes', () => {
  for (const c of v.cases) assert.equal(toHex(utf8(c.password)), `0x${c.password_utf8_hex}`);
});

test('sealing the vector plaintext with the derived key and nonce gives btwallet bytes exactly', () => {
  for (const c of v.cases) {
    if (c.nonce_hex === undefined) continue;
    const file = naclSealWithKey(
      utf8(v.plaintext),
      fromHex(c.derived_key_hex),
      fromHex(c.nonce_hex),
    );
    assert.equal(toHex(file), `0x${c.file_hex}`, c.id);
    assert.equal(
      text(naclOpenWithKey(fromHex(c.file_hex), fromHex(c.derived_key_hex))),
      v.plaintext,
    );
  }
});

test('wrong password: the box fails to authenticate with KEYFILE_DECRYPT_FAILED', () => {
  const c = caseById('wrong_password');
  assert.throws(
    () => naclOpenWithKey(fromHex(c.file_hex), fromHex(c.derived_key_hex), '/x/coldkey'),
    (e: unknown) => isWalletError(e, 'KEYFILE_DECRYPT_FAILED') && e.path === '/x/coldkey',
  );
});

test('real Argon2i (512 MiB, 8 passes) derives the vector key for a non-ASCII password', async () => {
  const c = caseById('unicode_password');
  const events: KdfProgressEvent[] = [];
  const started = performance.now();
  const key = await deriveNaclKey(c.password, { onProgress: (e) => events.push(e), tickMs: 200 });
  const ms = Math.round(performance.now() - started);
  console.log(`argon2i (hash-wasm in a worker, 512 MiB, t=8): ${ms} ms`);
  assert.equal(toHex(key), `0x${c.derived_key_hex}`);
  assert.equal(text(naclOpenWithKey(fromHex(c.file_hex), key)), v.plaintext);
  assert.equal(events[0]?.phase, 'start');
  assert.equal(events.at(-1)?.phase, 'done');
  assert.ok(events.every((e) => e.kdf === 'argon2i'));
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i]!.elapsedMs >= events[i - 1]!.elapsedMs);
  }
  assert.ok(events.slice(1, -1).every((e) => e.phase === 'tick'));
});

test('an abort terminates the Argon2 worker promptly with ABORTED', async () => {
  const controller = new AbortController();
  const started = performance.now();
  await assert.rejects(
    deriveNaclKey('pw', {
      signal: controller.signal,
      tickMs: 50,
      // The first tick comes while the worker is hashing.
      onProgress: (e) => {
        if (e.phase === 'tick') controller.abort();
      },
    }),
    (e: unknown) => isWalletError(e, 'ABORTED'),
  );
  // Far below the ~6 s a full derivation takes.
  assert.ok(performance.now() - started < 3000);
  await assert.rejects(deriveNaclKey('pw', { signal: AbortSignal.abort() }), (e: unknown) =>
    isWalletError(e, 'ABORTED'),
  );
});

test('a fresh random nonce per write; both files open', () => {
  const key = fromHex(caseById('correct_password').derived_key_hex);
  const a = naclSealWithKey(utf8('{}'), key);
  const b = naclSealWithKey(utf8('{}'), key);
  assert.notDeepEqual(a.subarray(5, 29), b.subarray(5, 29));
  assert.equal(keyfileEncryption(a), 'nacl');
  assert.equal(text(naclOpenWithKey(a, key)), '{}');
  assert.equal(text(naclOpenWithKey(b, key)), '{}');
  assert.equal(a.length, NACL_MIN_LENGTH + 2);
});

test('truncated and tampered $NACL data', () => {
  const c = caseById('correct_password');
  const file = fromHex(c.file_hex);
  const key = fromHex(c.derived_key_hex);
  for (const n of [0, 5, 28, NACL_MIN_LENGTH - 1]) {
    assert.throws(
      () => assertNaclStructure(file.subarray(0, n)),
      (e: unknown) => isWalletError(e, 'KEYFILE_CORRUPT'),
    );
  }
  // Cutting the ciphertext or flipping any bit is caught by the tag.
  assert.throws(
    () => naclOpenWithKey(file.subarray(0, file.length - 1), key),
    (e: unknown) => isWalletError(e, 'KEYFILE_DECRYPT_FAILED'),
  );
  for (const at of [5, 29, 40, file.length - 1]) {
    const bad = file.slice();
    bad[at]! ^= 1;
    assert.throws(
      () => naclOpenWithKey(bad, key),
      (e: unknown) => isWalletError(e, 'KEYFILE_DECRYPT_FAILED'),
    );
  }
});

test('format detection by leading bytes', () => {
  assert.equal(keyfileEncryption(utf8('$NACL')), 'nacl');
  assert.equal(keyfileEncryption(utf8('$ANSIBLE_VAULT;1.1;AES256\n00')), 'ansible-vault');
  assert.equal(keyfileEncryption(utf8('gAAAAABk')), 'fernet');
  assert.equal(keyfileEncryption(utf8('{"a":"b"}')), 'none');
  assert.equal(keyfileEncryption(utf8('$NAC')), 'none');
  assert.equal(keyfileEncryption(new Uint8Array()), 'none');
});

test('rejects malformed inputs with TypeError / RangeError', async () => {
  const key = new Uint8Array(32);
  assert.throws(() => naclSealWithKey('x' as unknown as Uint8Array, key), TypeError);
  assert.throws(() => naclSealWithKey(new Uint8Array(1), new Uint8Array(31)), RangeError);
  assert.throws(() => naclSealWithKey(new Uint8Array(1), key, new Uint8Array(23)), RangeError);
  assert.throws(() => naclOpenWithKey([] as unknown as Uint8Array, key), TypeError);
  assert.throws(() => keyfileEncryption('$NACL' as unknown as Uint8Array), TypeError);
  await assert.rejects(deriveNaclKey(42 as unknown as string), TypeError);
  await assert.rejects(deriveNaclKey('x'.repeat(1025)), RangeError);
  await assert.rejects(deriveNaclKey('bad \ud800 surrogate'), RangeError);
  await assert.rejects(encryptNacl('{}' as unknown as Uint8Array, 'pw'), TypeError);
  await assert.rejects(decryptNacl(new Uint8Array(10), 'pw'), (e: unknown) =>
    isWalletError(e, 'KEYFILE_CORRUPT'),
  );
});

test('the Argon2 cost can only be lowered under node --test, and resets to btwallet values', async () => {
  const saved = process.env.NODE_TEST_CONTEXT;
  delete process.env.NODE_TEST_CONTEXT;
  try {
    assert.throws(() => setArgon2CostForTesting({ iterations: 1, memoryKiB: 8 }), /node --test/);
  } finally {
    process.env.NODE_TEST_CONTEXT = saved;
  }
  assert.throws(() => setArgon2CostForTesting({ iterations: 0, memoryKiB: 64 }), RangeError);
  assert.throws(() => setArgon2CostForTesting({ iterations: 1, memoryKiB: 4 }), RangeError);
  setArgon2CostForTesting({ iterations: 1, memoryKiB: 64 });
  try {
    const file = await encryptKeyfileData(utf8(v.plaintext), 'round trip');
    assert.equal(text(await decryptKeyfileData(file, 'round trip')), v.plaintext);
    await assert.rejects(decryptKeyfileData(file, 'round trip '), (e: unknown) =>
      isWalletError(e, 'KEYFILE_DECRYPT_FAILED'),
    );
    // Concurrent derivations run one at a time (each takes 512 MiB at full cost).
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        deriveNaclKey(id, {
          onProgress: (e) => e.phase !== 'tick' && order.push(`${id}:${e.phase}`),
        }),
      ),
    );
    assert.deepEqual(order, ['a:start', 'a:done', 'b:start', 'b:done', 'c:start', 'c:done']);
    // Weak keys never decrypt btwallet files: the cost is not something a file can choose.
    const c = caseById('correct_password');
    await assert.rejects(decryptKeyfileData(fromHex(c.file_hex), c.password), (e: unknown) =>
      isWalletError(e, 'KEYFILE_DECRYPT_FAILED'),
    );
  } finally {
    setArgon2CostForTesting(undefined);
  }
  assert.deepEqual(currentArgon2Cost(), { iterations: 8, memoryKiB: 524288 });
});
