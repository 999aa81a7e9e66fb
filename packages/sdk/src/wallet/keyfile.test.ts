import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  stat,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { isWalletError } from './errors.js';
import { MAX_KEYFILE_BYTES } from './fs-io.js';
import { type KdfProgressEvent, setArgon2CostForTesting } from './kdf.js';
import { WalletKey } from './key.js';
import { clearUnlockedKeys, Keyfile, keyfileEncryption } from './keyfile.js';
import { serializeKeyfileData } from './keyfile-data.js';
import { encodePasswordForEnv } from './password.js';
import {
  type LegacyVector,
  loadVector,
  recordingLogger,
  scriptedPrompt,
  snapshot,
  tempDir,
} from './test-support.js';

// Round trips here do not check btwallet bytes, so Argon2 runs at a test-only low cost.
const PASSWORD = 'Tao is 4 miners';
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const is = (code: Parameters<typeof isWalletError>[1]) => (e: unknown) => isWalletError(e, code);
const mode = async (p: string): Promise<number> => (await lstat(p)).mode & 0o777;
let dir: string;
let cleanup: () => Promise<void>;
let legacy: LegacyVector;
let counter = 0;
const fresh = (): string => join(dir, `case${++counter}`, 'sub', 'key');

before(async () => {
  ({ dir, cleanup } = await tempDir());
  legacy = await loadVector<LegacyVector>('legacy_keyfiles.json');
  setArgon2CostForTesting({ iterations: 1, memoryKiB: 64 });
});
after(async () => {
  setArgon2CostForTesting(undefined);
  await cleanup();
});
afterEach(() => clearUnlockedKeys());

test('plaintext keyfile: written 0600 in new 0700 directories, read back', async () => {
  const old = process.umask(0);
  try {
    const path = fresh();
    const key = WalletKey.fromMnemonic(MNEMONIC);
    await new Keyfile(path).setKeypair(key);
    assert.deepEqual(await readFile(path), Buffer.from(serializeKeyfileData(key)));
    assert.equal(await mode(path), 0o600);
    assert.equal(await mode(join(path, '..')), 0o700);
    assert.equal(await mode(join(path, '..', '..')), 0o700);
    const back = await new Keyfile(path).getKeypair({ prompt: false });
    assert.equal(back.mnemonic, MNEMONIC);
    assert.deepEqual(await readdir(join(path, '..')), ['key'], 'no temp files left');
  } finally {
    process.umask(old);
  }
});

test('encrypted keyfile: $NACL layout, unlock with the password, once per process', async () => {
  const path = fresh();
  const key = WalletKey.fromMnemonic(MNEMONIC);
  await new Keyfile(path).setKeypair(key, { encrypt: true, password: PASSWORD });
  const data = new Uint8Array(await readFile(path));
  assert.equal(keyfileEncryption(data), 'nacl');
  assert.equal(data.length, 5 + 24 + 16 + serializeKeyfileData(key).length);
  assert.equal(await mode(path), 0o600);

  clearUnlockedKeys();
  const prompt = scriptedPrompt([` ${PASSWORD}\n`]);
  const events: KdfProgressEvent[] = [];
  const file = new Keyfile(path);
  // Both report progress: whichever read finishes first starts the one derivation.
  const onProgress = (e: KdfProgressEvent) => events.push(e);
  const [a, b] = await Promise.all([
    file.getKeypair({ prompt, env: {}, onProgress }),
    file.getKeypair({ prompt, env: {}, onProgress }),
  ]);
  assert.equal(a.mnemonic, MNEMONIC);
  assert.equal(a, b, 'concurrent unlocks share one derivation');
  assert.equal(prompt.requests.length, 1, 'typed password is trimmed and asked once');
  const c = await new Keyfile(path).getKeypair({ prompt: false, env: {} });
  assert.equal(c, a, 'cached: no password needed the second time');
  assert.equal(events.filter((e) => e.phase === 'start').length, 1);

  // A changed file (new mtime) is unlocked again.
  await utimes(path, new Date(), new Date(Date.now() + 5000));
  await assert.rejects(
    new Keyfile(path).getKeypair({ prompt: false, env: {} }),
    is('PASSWORD_REQUIRED'),
  );
  assert.equal((await new Keyfile(path).getKeypair({ password: PASSWORD })).mnemonic, MNEMONIC);
});

test('writing an encrypted key keeps it unlocked for this process', async () => {
  const path = fresh();
  await new Keyfile(path).setKeypair(WalletKey.fromMnemonic(MNEMONIC), {
    encrypt: true,
    password: PASSWORD,
  });
  const key = await new Keyfile(path).getKeypair({ prompt: false, env: {} });
  assert.equal(key.mnemonic, MNEMONIC);
});

test('existing files are replaced only with overwrite', async () => {
  const path = fresh();
  const file = new Keyfile(path);
  await file.setKeypair(WalletKey.fromUri('//Alice'));
  const before = await snapshot(join(path, '..'));
  await assert.rejects(file.setKeypair(WalletKey.fromUri('//Bob')), is('KEYFILE_EXISTS'));
  // Refused before any password is asked or any KDF runs.
  const prompt = scriptedPrompt([]);
  await assert.rejects(
    file.setKeypair(WalletKey.fromUri('//Bob'), { encrypt: true, prompt, env: {} }),
    is('KEYFILE_EXISTS'),
  );
  assert.equal(prompt.requests.length, 0);
  assert.deepEqual(await snapshot(join(path, '..')), before);
  await file.setKeypair(WalletKey.fromUri('//Bob'), { overwrite: true });
  assert.equal((await file.getKeypair()).ss58Address, WalletKey.fromUri('//Bob').ss58Address);
});

test('wrong password or corrupt keyfile: clear error, directory bytes and modes unchanged', async () => {
  const path = fresh();
  const parent = join(path, '..');
  const file = new Keyfile(path);
  await file.setKeypair(WalletKey.fromMnemonic(MNEMONIC), { encrypt: true, password: PASSWORD });
  await writeFile(join(parent, 'corrupt'), '{"secretPhrase": "abandon');
  await chmod(join(parent, 'corrupt'), 0o640);
  clearUnlockedKeys();
  const before = await snapshot(parent);
  const wrong = { password: 'not the password', env: {} } as const;
  await assert.rejects(file.getKeypair(wrong), is('KEYFILE_DECRYPT_FAILED'));
  await assert.rejects(file.decrypt(wrong), is('KEYFILE_DECRYPT_FAILED'));
  const corrupt = new Keyfile(join(parent, 'corrupt'));
  await assert.rejects(corrupt.getKeypair(), is('KEYFILE_CORRUPT'));
  await assert.rejects(corrupt.encrypt({ password: PASSWORD }), is('KEYFILE_CORRUPT'));
  await assert.rejects(corrupt.decrypt(), is('KEYFILE_CORRUPT'));
  assert.deepEqual(await snapshot(parent), before);
  // The failed unlock was not cached: the right password still works.
  assert.equal((await file.getKeypair({ password: PASSWORD })).mnemonic, MNEMONIC);
});

test('encrypt / decrypt in place (btwallet Keyfile.encrypt / decrypt)', async () => {
  const path = fresh();
  const file = new Keyfile(path);
  await file.setKeypair(WalletKey.fromMnemonic(MNEMONIC));
  assert.equal(await file.encrypt({ password: PASSWORD }), true);
  assert.equal(await file.encryption(), 'nacl');
  assert.equal(await file.encrypt({ password: PASSWORD }), false);
  clearUnlockedKeys();
  assert.equal(await file.decrypt({ password: PASSWORD }), true);
  assert.equal(await file.isEncrypted(), false);
  assert.equal((await file.getKeypair()).mnemonic, MNEMONIC);
  assert.equal(await file.decrypt(), false);
  assert.equal(await mode(path), 0o600);
});

test('legacy ansible-vault keyfiles are read and migrated to $NACL with the same password', async () => {
  const path = fresh();
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, legacy.ansible_vault.file_text, { mode: 0o600 });
  const file = new Keyfile(path);
  const { password } = legacy.ansible_vault;
  const key = await file.getKeypair({ password });
  assert.equal(key.ss58Address, legacy.plaintext_key.ss58);
  const before = await snapshot(join(path, '..'));
  await assert.rejects(
    file.migrateToNacl({ password: 'wrong', env: {} }),
    is('KEYFILE_DECRYPT_FAILED'),
  );
  assert.deepEqual(await snapshot(join(path, '..')), before);
  assert.equal(await file.migrateToNacl({ password }), true);
  assert.equal(await file.encryption(), 'nacl');
  assert.equal(await file.migrateToNacl({ password }), false);
  clearUnlockedKeys();
  assert.equal((await file.getKeypair({ password })).mnemonic, legacy.plaintext_key.mnemonic);
});

test('passwords from btwallet env variables and password files', async () => {
  const path = fresh();
  const file = new Keyfile(path);
  await file.setKeypair(WalletKey.fromMnemonic(MNEMONIC), { encrypt: true, password: PASSWORD });
  clearUnlockedKeys();
  const env = { [file.envVarName]: encodePasswordForEnv(file.envVarName, PASSWORD) };
  assert.equal((await file.getKeypair({ env, prompt: false })).mnemonic, MNEMONIC);
  clearUnlockedKeys();
  await assert.rejects(
    file.getKeypair({ env: { [file.envVarName]: PASSWORD }, prompt: false }),
    is('PASSWORD_ENV_INVALID'),
  );
  const pwFile = join(dir, `pw${counter}`);
  await writeFile(pwFile, `${PASSWORD}\n`);
  assert.equal((await file.getKeypair({ passwordFile: pwFile, env: {} })).mnemonic, MNEMONIC);
  // Encryption also reads the env variable (btwallet Keyfile.encrypt does).
  const plain = new Keyfile(fresh());
  await plain.setKeypair(WalletKey.fromUri('//Alice'));
  const env2 = { [plain.envVarName]: encodePasswordForEnv(plain.envVarName, PASSWORD) };
  assert.equal(await plain.encrypt({ env: env2, prompt: false }), true);
  clearUnlockedKeys();
  assert.equal(
    (await plain.getKeypair({ password: PASSWORD })).ss58Address,
    WalletKey.fromUri('//Alice').ss58Address,
  );
});

test('files other tools wrote with loose modes are read, with a warning for secrets', async () => {
  const path = fresh();
  await mkdir(join(path, '..'), { recursive: true });
  const logger = recordingLogger();
  await writeFile(path, serializeKeyfileData(WalletKey.fromMnemonic(MNEMONIC)), { mode: 0o644 });
  await chmod(path, 0o644);
  assert.equal((await new Keyfile(path, { logger }).getKeypair()).mnemonic, MNEMONIC);
  assert.equal(logger.warnings.length, 1);
  assert.deepEqual(logger.warnings[0]?.obj, { path, mode: '0644' });
  const pub = `${path}pub.txt`;
  await writeFile(pub, serializeKeyfileData(WalletKey.fromMnemonic(MNEMONIC).toPublic()));
  await chmod(pub, 0o644);
  await new Keyfile(pub, { logger }).getKeypair();
  assert.equal(logger.warnings.length, 1, 'public-only files are not secrets');
  assert.equal(await mode(path), 0o644, 'reading never changes the mode');
});

test('hostile files: truncated, huge, not regular, loops, missing', async () => {
  const base = join(dir, `hostile${++counter}`);
  await mkdir(base, { recursive: true });
  const prompt = scriptedPrompt([]);
  const opts = { prompt, env: {} } as const;
  const make = async (name: string, data: string | Uint8Array): Promise<Keyfile> => {
    await writeFile(join(base, name), data);
    return new Keyfile(join(base, name));
  };
  // Malformed encrypted data fails before any password is asked.
  for (const [name, data] of [
    ['nacl', '$NACL0123456789'],
    ['ansible', '$ANSIBLE_VAULT;1.1;AES256\nnothex'],
    ['fernet', 'gAAAAAbad'],
  ] as const) {
    await assert.rejects((await make(name, data)).getKeypair(opts), is('KEYFILE_CORRUPT'), name);
  }
  assert.equal(prompt.requests.length, 0);
  for (const [name, data] of [
    ['json', '{"ss58Address": 42}'],
    ['empty', ''],
    ['binary', Uint8Array.of(0, 159, 146, 150)],
  ] as const) {
    await assert.rejects((await make(name, data)).getKeypair(opts), is('KEYFILE_CORRUPT'), name);
  }
  // A 10 GiB sparse file is refused from its size alone (reading it would take minutes).
  const huge = join(base, 'huge');
  await writeFile(huge, '{');
  await truncate(huge, 10 * 1024 ** 3);
  await assert.rejects(new Keyfile(huge).getKeypair(opts), is('KEYFILE_TOO_LARGE'));
  const limit = await make('limit', 'x'.repeat(MAX_KEYFILE_BYTES + 1));
  await assert.rejects(limit.readData(), is('KEYFILE_TOO_LARGE'));
  // Directories, FIFOs and devices are refused without blocking.
  await mkdir(join(base, 'dir'));
  await assert.rejects(new Keyfile(join(base, 'dir')).getKeypair(opts), is('KEYFILE_NOT_REGULAR'));
  execFileSync('mkfifo', [join(base, 'fifo')]);
  await assert.rejects(new Keyfile(join(base, 'fifo')).getKeypair(opts), is('KEYFILE_NOT_REGULAR'));
  await symlink('/dev/zero', join(base, 'zero'));
  await assert.rejects(new Keyfile(join(base, 'zero')).getKeypair(opts), is('KEYFILE_NOT_REGULAR'));
  await symlink(join(base, 'loop'), join(base, 'loop'));
  await assert.rejects(new Keyfile(join(base, 'loop')).getKeypair(opts), is('KEYFILE_NOT_REGULAR'));
  await assert.rejects(new Keyfile(join(base, 'nope')).getKeypair(opts), is('KEYFILE_NOT_FOUND'));
  await assert.rejects(
    new Keyfile(join(base, 'json', 'below-a-file')).getKeypair(opts),
    is('KEYFILE_NOT_FOUND'),
  );
});

test('symlinks: a linked keyfile is read; writing replaces the link, never the target', async () => {
  const base = join(dir, `links${++counter}`);
  await mkdir(base, { recursive: true });
  const outside = join(dir, `outside${counter}`);
  await writeFile(outside, serializeKeyfileData(WalletKey.fromUri('//Alice')));
  const before = await readFile(outside);
  const link = join(base, 'hot');
  await symlink(outside, link);
  const file = new Keyfile(link);
  assert.equal((await file.getKeypair()).ss58Address, WalletKey.fromUri('//Alice').ss58Address);
  await assert.rejects(file.setKeypair(WalletKey.fromUri('//Bob')), is('KEYFILE_EXISTS'));
  await file.setKeypair(WalletKey.fromUri('//Bob'), { overwrite: true });
  assert.deepEqual(await readFile(outside), before);
  assert.ok((await lstat(link)).isFile());
  assert.equal(await mode(link), 0o600);
  assert.equal((await file.getKeypair()).ss58Address, WalletKey.fromUri('//Bob').ss58Address);
});

test('a write that cannot happen fails with KEYFILE_WRITE_FAILED and leaves no temp file', async () => {
  const base = join(dir, `blocked${++counter}`);
  await mkdir(base, { recursive: true });
  await writeFile(join(base, 'afile'), 'x');
  await assert.rejects(
    new Keyfile(join(base, 'afile', 'key')).setKeypair(WalletKey.fromUri('//Alice')),
    is('KEYFILE_WRITE_FAILED'),
  );
  await mkdir(join(base, 'target'));
  await assert.rejects(
    new Keyfile(join(base, 'target')).setKeypair(WalletKey.fromUri('//Alice'), { overwrite: true }),
    is('KEYFILE_WRITE_FAILED'),
  );
  assert.deepEqual((await readdir(base)).sort(), ['afile', 'target']);
  assert.ok((await stat(join(base, 'target'))).isDirectory());
});

test('Keyfile rejects bad paths and expands ~', () => {
  assert.throws(() => new Keyfile(''), RangeError);
  assert.throws(() => new Keyfile('a\0b'), RangeError);
  assert.throws(() => new Keyfile(5 as unknown as string), TypeError);
  const file = new Keyfile('~/.bittensor/wallets/w1/coldkey', { homeDir: '/home/ubuntu' });
  assert.equal(file.path, '/home/ubuntu/.bittensor/wallets/w1/coldkey');
  assert.equal(file.envVarName, 'BT_PW__HOME_UBUNTU__BITTENSOR_WALLETS_W1_COLDKEY');
  assert.equal(new Keyfile('~other/x').path, '~other/x');
});
