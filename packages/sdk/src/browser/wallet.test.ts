import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { fromHex, toHex } from '@taoscript/codec';
import { isWalletError } from '../wallet/errors.js';
import { deriveNaclKey as nodeDeriveNaclKey } from '../wallet/kdf.js';
import { type KdfProgressEvent, setArgon2CostForTesting } from '../wallet/kdf-params.js';
import { decryptNacl as nodeDecryptNacl, encryptNacl as nodeEncryptNacl } from '../wallet/nacl.js';
import { deriveNaclKey } from './kdf.js';
import { decryptKeyfileData, decryptNacl, encryptKeyfileData, encryptNacl } from './wallet.js';

// Round trips at a low Argon2 cost (the same switch the Node wallet's tests use); the real
// 512 MiB derivation of btwallet's vector runs in browser.test.ts, inside the browser bundle.
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const vectors = new URL('../../test/vectors/', import.meta.url);
let legacy: { ansible_vault: { file_text: string }; fernet: { file_text: string } };

before(async () => {
  legacy = JSON.parse(await readFile(new URL('legacy_keyfiles.json', vectors), 'utf8'));
  setArgon2CostForTesting({ iterations: 2, memoryKiB: 64 });
});
after(() => setArgon2CostForTesting(undefined));

test('derives the same key as the Node wallet (Argon2i, fixed salt, UTF-8 password)', async () => {
  for (const pw of ['pässwörd 🔑', ' ', 'x'.repeat(1024)])
    assert.equal(toHex(await deriveNaclKey(pw)), toHex(await nodeDeriveNaclKey(pw)));
  assert.notEqual(toHex(await deriveNaclKey('a')), toHex(await deriveNaclKey('a ')));
});

test('$NACL files written here open in the Node wallet and the other way round', async () => {
  const plain = utf8('{"secretPhrase":"abandon"}');
  const mine = await encryptNacl(plain, 'pw');
  assert.equal(text(mine.subarray(0, 5)), '$NACL');
  assert.equal(text(await nodeDecryptNacl(mine, 'pw')), text(plain));
  const theirs = await nodeEncryptNacl(plain, 'pw');
  assert.equal(text(await decryptNacl(theirs, 'pw')), text(plain));
  assert.equal(
    text(await decryptKeyfileData(await encryptKeyfileData(plain, 'pw'), 'pw')),
    text(plain),
  );
  // A random nonce per file.
  assert.notEqual(toHex(await encryptNacl(plain, 'pw')), toHex(await encryptNacl(plain, 'pw')));
});

test('a wrong password or a damaged box is KEYFILE_DECRYPT_FAILED, with the path', async () => {
  const file = await encryptNacl(utf8('secret'), 'right');
  await assert.rejects(
    decryptKeyfileData(file, 'wrong', { path: 'coldkey' }),
    (e: unknown) => isWalletError(e, 'KEYFILE_DECRYPT_FAILED') && e.path === 'coldkey',
  );
  const flipped = file.slice();
  flipped[flipped.length - 1] = (flipped.at(-1) ?? 0) ^ 1;
  await assert.rejects(decryptNacl(flipped, 'right'), (e: unknown) =>
    isWalletError(e, 'KEYFILE_DECRYPT_FAILED'),
  );
});

test('a truncated $NACL file is KEYFILE_CORRUPT before any key is derived', async () => {
  const events: KdfProgressEvent[] = [];
  await assert.rejects(
    decryptKeyfileData(utf8('$NACL0123'), 'pw', { onProgress: (e) => events.push(e) }),
    (e: unknown) => isWalletError(e, 'KEYFILE_CORRUPT'),
  );
  assert.deepEqual(events, []);
});

test('legacy ansible-vault and Fernet keyfiles are refused with KEYFILE_UNSUPPORTED', async () => {
  for (const f of [legacy.ansible_vault.file_text, legacy.fernet.file_text])
    await assert.rejects(
      decryptKeyfileData(utf8(f), 'pw', { path: 'old' }),
      (e: unknown) => isWalletError(e, 'KEYFILE_UNSUPPORTED') && e.path === 'old',
    );
});

test('plaintext keyfiles come back as a copy', async () => {
  const data = utf8('{"accountId":"0x00"}');
  const out = await decryptKeyfileData(data, 'ignored');
  assert.deepEqual(out, data);
  assert.notEqual(out.buffer, data.buffer);
});

test('rejects bad input with TypeError / RangeError', async () => {
  await assert.rejects(decryptKeyfileData('x' as never, 'pw'), TypeError);
  await assert.rejects(decryptNacl([1, 2] as never, 'pw'), TypeError);
  await assert.rejects(encryptNacl('x' as never, 'pw'), TypeError);
  await assert.rejects(encryptNacl(utf8('x'), 5 as never), TypeError);
  await assert.rejects(deriveNaclKey(null as never), TypeError);
  await assert.rejects(deriveNaclKey('x'.repeat(1025)), RangeError);
  await assert.rejects(deriveNaclKey('\ud800'), RangeError);
});

test('derivations run one at a time, report progress and honour an abort', async () => {
  const order: string[] = [];
  const keys = await Promise.all(
    ['a', 'b', 'c'].map((id) =>
      deriveNaclKey(id, {
        onProgress: (e) => e.phase !== 'tick' && order.push(`${id}:${e.phase}`),
      }),
    ),
  );
  assert.deepEqual(order, ['a:start', 'a:done', 'b:start', 'b:done', 'c:start', 'c:done']);
  assert.ok(keys.every((k) => k.length === 32));
  await assert.rejects(deriveNaclKey('pw', { signal: AbortSignal.abort('stop') }), (e: unknown) =>
    isWalletError(e, 'ABORTED'),
  );
  // An abort while waiting in the queue is seen before that derivation starts.
  const controller = new AbortController();
  const started: string[] = [];
  const first = deriveNaclKey('first', { onProgress: (e) => started.push(`first:${e.phase}`) });
  const second = deriveNaclKey('second', {
    signal: controller.signal,
    onProgress: (e) => started.push(`second:${e.phase}`),
  });
  controller.abort();
  await first;
  await assert.rejects(second, (e: unknown) => isWalletError(e, 'ABORTED'));
  assert.ok(!started.some((s) => s.startsWith('second')));
  // The queue is free again afterwards.
  assert.equal((await deriveNaclKey('after')).length, 32);
});

test('derived keys are 32 bytes and the vector password bytes are used untrimmed', async () => {
  const key = await deriveNaclKey(' pw ');
  assert.equal(key.length, 32);
  assert.notDeepEqual(key, await deriveNaclKey('pw'));
  assert.deepEqual(fromHex(toHex(key)), key);
});
