import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { toHex } from '@taoscript/codec';
import { isWalletError } from './errors.js';
import type { KdfProgressEvent } from './kdf.js';
import { decryptKeyfileData, keyfileEncryption } from './keyfile.js';
import { deserializeKeyfileData } from './keyfile-data.js';
import { decryptAnsibleVault, parseAnsibleVault, parseFernetToken } from './legacy.js';
import { walletKeyFromPolkadotJson } from './polkadot-json.js';
import { type LegacyVector, loadVector } from './test-support.js';

let v: LegacyVector;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const is = (code: Parameters<typeof isWalletError>[1]) => (e: unknown) => isWalletError(e, code);

before(async () => {
  v = await loadVector<LegacyVector>('legacy_keyfiles.json');
});

test('ansible-vault: a file made by the real ansible-vault CLI decrypts', async () => {
  const c = v.ansible_vault_real_cli;
  assert.equal(keyfileEncryption(utf8(c.file_text)), 'ansible-vault');
  assert.equal(text(await decryptAnsibleVault(utf8(c.file_text), c.password)), c.plaintext);
  await assert.rejects(
    decryptAnsibleVault(utf8(c.file_text), 'nope'),
    is('KEYFILE_DECRYPT_FAILED'),
  );
});

test('ansible-vault 1.1 and 1.2 keyfiles decrypt to the keyfile JSON', async () => {
  for (const c of [v.ansible_vault, v.ansible_vault_1_2]) {
    const plaintext = await decryptKeyfileData(utf8(c.file_text), c.password);
    assert.equal(text(plaintext), v.plaintext);
    const key = deserializeKeyfileData(plaintext);
    assert.equal(key.ss58Address, v.plaintext_key.ss58);
    assert.equal(key.mnemonic, v.plaintext_key.mnemonic);
  }
  await assert.rejects(
    decryptKeyfileData(utf8(v.ansible_vault.file_text), `${v.ansible_vault.password} `),
    is('KEYFILE_DECRYPT_FAILED'),
  );
});

test('malformed ansible vaults are KEYFILE_CORRUPT before any key derivation', () => {
  const good = v.ansible_vault.file_text;
  const [header, ...body] = good.split('\n');
  const inner = Buffer.from(body.join(''), 'hex').toString('latin1').split('\n');
  const rewrap = (parts: string[]): string =>
    `${header}\n${Buffer.from(parts.join('\n'), 'latin1').toString('hex')}`;
  const bad = [
    '$ANSIBLE_VAULT;2.0;AES256\n00',
    '$ANSIBLE_VAULT;1.1;AES128\n00',
    `${header}\nnot hex at all`,
    `${header}\n636235`,
    rewrap(inner.slice(0, 2)),
    rewrap([inner[0]!, inner[1]!.slice(2), inner[2]!]),
    rewrap([inner[0]!, inner[1]!, inner[2]!.slice(0, 30)]),
    rewrap([inner[0]!, inner[1]!, 'zz']),
  ];
  for (const file of bad) assert.throws(() => parseAnsibleVault(utf8(file)), is('KEYFILE_CORRUPT'));
});

test('Fernet (oldest format, PBKDF2 with 10 million rounds) decrypts; a wrong password fails', async () => {
  const c = v.fernet;
  const data = utf8(c.file_text);
  assert.equal(keyfileEncryption(data), 'fernet');
  const events: KdfProgressEvent[] = [];
  const started = performance.now();
  const [plaintext, wrong] = await Promise.allSettled([
    decryptKeyfileData(data, c.password, { onProgress: (e) => events.push(e) }),
    decryptKeyfileData(data, 'not it'),
  ]);
  console.log(
    `fernet pbkdf2-sha256 x10M (two in parallel): ${Math.round(performance.now() - started)} ms`,
  );
  assert.equal(plaintext.status, 'fulfilled');
  assert.equal(text((plaintext as PromiseFulfilledResult<Uint8Array>).value), v.plaintext);
  assert.equal(wrong.status, 'rejected');
  assert.ok(isWalletError((wrong as PromiseRejectedResult).reason, 'KEYFILE_DECRYPT_FAILED'));
  assert.deepEqual(
    [events[0]?.phase, events.at(-1)?.phase, events[0]?.kdf],
    ['start', 'done', 'pbkdf2-sha256'],
  );
});

test('malformed Fernet tokens are KEYFILE_CORRUPT', () => {
  const token = v.fernet.file_text;
  const raw = Buffer.from(token, 'base64url');
  const bad = [
    'gAAAAA!!',
    'gAAAAA',
    Buffer.concat([raw, Buffer.from([0])]).toString('base64url'),
    Buffer.concat([Buffer.from([0x81]), raw.subarray(1)]).toString('base64url'),
    raw.subarray(0, 57).toString('base64url'),
  ];
  for (const t of bad) assert.throws(() => parseFernetToken(utf8(t)), is('KEYFILE_CORRUPT'), t);
  // Surrounding whitespace (a trailing newline) is fine.
  assert.equal(parseFernetToken(utf8(`${token}\n`)).iv.length, 16);
});

test('polkadot.js JSON export imports as btwallet does (private key only)', async () => {
  const c = v.polkadot_json;
  const events: KdfProgressEvent[] = [];
  const key = await walletKeyFromPolkadotJson(JSON.stringify(c.json), c.password, {
    onProgress: (e) => events.push(e),
  });
  assert.equal(toHex(key.publicKey), c.expect_public_key);
  assert.equal(key.ss58Address, c.expect_ss58);
  assert.equal(toHex(key.privateKey!), c.expect_private_key_canonical);
  assert.equal(key.mnemonic, undefined);
  assert.equal(key.seed, undefined);
  assert.equal(events[0]?.kdf, 'scrypt');
  await assert.rejects(
    walletKeyFromPolkadotJson(JSON.stringify(c.json), 'wrong'),
    is('KEYFILE_DECRYPT_FAILED'),
  );
});

test('polkadot.js JSON: unsupported and malformed exports', async () => {
  const c = v.polkadot_json;
  const base = c.json as { encoded: string; encoding: { version: string; type: string[] } };
  const ed = v.polkadot_json_ed25519;
  await assert.rejects(
    walletKeyFromPolkadotJson(JSON.stringify(ed.json), ed.password),
    is('KEYFILE_UNSUPPORTED'),
  );
  const withVersion = { ...base, encoding: { ...base.encoding, version: '2' } };
  await assert.rejects(
    walletKeyFromPolkadotJson(JSON.stringify(withVersion), c.password),
    is('KEYFILE_UNSUPPORTED'),
  );
  // N = 2^30 would need 128 GiB: refused before scrypt runs.
  const raw = Buffer.from(base.encoded, 'base64');
  raw.writeUInt32LE(2 ** 30, 32);
  const huge = { ...base, encoded: raw.toString('base64') };
  await assert.rejects(
    walletKeyFromPolkadotJson(JSON.stringify(huge), c.password),
    is('KEYFILE_UNSUPPORTED'),
  );
  const short = {
    ...base,
    encoded: Buffer.from(base.encoded, 'base64').subarray(0, 60).toString('base64'),
  };
  await assert.rejects(
    walletKeyFromPolkadotJson(JSON.stringify(short), c.password),
    is('KEYFILE_CORRUPT'),
  );
  await assert.rejects(walletKeyFromPolkadotJson('{', c.password), is('KEYFILE_CORRUPT'));
  await assert.rejects(
    walletKeyFromPolkadotJson('{"encoded":1}', c.password),
    is('KEYFILE_CORRUPT'),
  );
  await assert.rejects(
    walletKeyFromPolkadotJson(JSON.stringify({ ...base, encoded: '***' }), c.password),
    is('KEYFILE_CORRUPT'),
  );
  await assert.rejects(walletKeyFromPolkadotJson(5 as unknown as string, 'x'), TypeError);
  await assert.rejects(walletKeyFromPolkadotJson(' '.repeat(70_000), 'x'), RangeError);
});
