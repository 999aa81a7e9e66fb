import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { fromHex } from '@taoscript/codec';
import { isWalletError } from './errors.js';
import { type KdfProgressEvent, setArgon2CostForTesting } from './kdf.js';
import { WalletKey } from './key.js';
import { clearUnlockedKeys, keyfileEncryption } from './keyfile.js';
import { encodePasswordForEnv, passwordEnvVarName } from './password.js';
import {
  type KeyfileNaclVector,
  type LegacyVector,
  loadVector,
  scriptedPrompt,
  snapshot,
  tempDir,
} from './test-support.js';
import { Wallet } from './wallet.js';

const PASSWORD = 'Tao is 4 miners';
const is = (code: Parameters<typeof isWalletError>[1]) => (e: unknown) => isWalletError(e, code);
const mode = async (p: string): Promise<number> => (await lstat(p)).mode & 0o777;
const json = async (p: string): Promise<Record<string, string>> =>
  JSON.parse(await readFile(p, 'utf8'));
let dir: string;
let cleanup: () => Promise<void>;
let nacl: KeyfileNaclVector;
let legacy: LegacyVector;
let counter = 0;
/** A wallet in its own fresh root; no TTY prompt, no ambient environment. */
const wallet = (opts: ConstructorParameters<typeof Wallet>[0] = {}): Wallet =>
  new Wallet({
    path: join(dir, `root${++counter}`),
    name: 'w',
    hotkey: 'h',
    env: {},
    prompt: false,
    ...opts,
  });

before(async () => {
  ({ dir, cleanup } = await tempDir());
  nacl = await loadVector<KeyfileNaclVector>('keyfile_nacl.json');
  legacy = await loadVector<LegacyVector>('legacy_keyfiles.json');
});
after(() => cleanup());

test('a btwallet-made $NACL coldkey unlocks with the real Argon2i via BT_PW_, once per process', async () => {
  const c = nacl.cases.find((x) => x.id === 'correct_password')!;
  const root = join(dir, 'btwallet');
  const coldkey = join(root, 'w1', 'coldkey');
  await mkdir(join(root, 'w1'), { recursive: true, mode: 0o700 });
  await writeFile(coldkey, fromHex(c.file_hex), { mode: 0o600 });
  await writeFile(join(root, 'w1', 'coldkeypub.txt'), nacl.coldkeypub_txt_plaintext, {
    mode: 0o600,
  });
  const varName = passwordEnvVarName(coldkey);
  const env = { [varName]: encodePasswordForEnv(varName, c.password) };
  const events: KdfProgressEvent[] = [];
  const w = new Wallet({
    path: root,
    name: 'w1',
    env,
    prompt: false,
    onProgress: (e) => events.push(e),
  });
  assert.equal(w.coldkeyFile.envVarName, varName);

  const before = await snapshot(root);
  const started = performance.now();
  const key = await w.getColdkey();
  console.log(
    `btwallet coldkey unlock (real Argon2i): ${Math.round(performance.now() - started)} ms`,
  );
  assert.equal(key.mnemonic, nacl.key_source.mnemonic);
  assert.equal(key.ss58Address, nacl.key_source.ss58);
  assert.deepEqual([events[0]?.phase, events.at(-1)?.phase], ['start', 'done']);

  const again = performance.now();
  const prompt = scriptedPrompt([]);
  assert.equal(await w.getColdkey({ prompt }), key);
  assert.ok(performance.now() - again < 1000);
  assert.equal(prompt.requests.length, 0);
  assert.equal(events.filter((e) => e.phase === 'start').length, 1, 'no second KDF run');
  assert.equal((await w.getColdkeypub()).ss58Address, nacl.key_source.ss58);
  assert.deepEqual(await snapshot(root), before, 'reading changes nothing on disk');
});

describe('wallet operations (test-only low Argon2 cost)', () => {
  before(() => setArgon2CostForTesting({ iterations: 1, memoryKiB: 64 }));
  after(() => setArgon2CostForTesting(undefined));
  afterEach(() => clearUnlockedKeys());

  test('create: btwallet layout, modes, encrypted coldkey, plaintext hotkey, pub files', async () => {
    const w = wallet();
    const made = await w.create({ coldkey: { password: PASSWORD } });
    assert.ok(made.coldkey && made.hotkey);
    const d = w.dir;
    assert.equal(d, `${w.root}/w`);
    assert.equal(keyfileEncryption(await readFile(join(d, 'coldkey'))), 'nacl');
    const coldpub = await json(join(d, 'coldkeypub.txt'));
    assert.deepEqual(Object.keys(coldpub), ['accountId', 'publicKey', 'ss58Address']);
    assert.equal(coldpub.ss58Address, WalletKey.fromMnemonic(made.coldkey.mnemonic).ss58Address);
    const hot = await json(join(d, 'hotkeys', 'h'));
    assert.equal(hot.secretPhrase, made.hotkey.mnemonic);
    assert.equal((await json(join(d, 'hotkeys', 'hpub.txt'))).ss58Address, hot.ss58Address);
    for (const f of ['coldkey', 'coldkeypub.txt', 'hotkeys/h', 'hotkeys/hpub.txt']) {
      assert.equal(await mode(join(d, f)), 0o600, f);
    }
    for (const p of [w.root, d, join(d, 'hotkeys')]) assert.equal(await mode(p), 0o700, p);
    assert.equal(made.coldkey.mnemonic.split(' ').length, 12);

    // The coldkey stays unlocked in this process after creation; after a reset it needs the password.
    assert.equal((await w.getColdkey()).mnemonic, made.coldkey.mnemonic);
    clearUnlockedKeys();
    await assert.rejects(w.getColdkey(), is('PASSWORD_REQUIRED'));
    const prompt = scriptedPrompt([PASSWORD]);
    assert.equal((await w.getColdkey({ prompt })).mnemonic, made.coldkey.mnemonic);
    assert.equal((await w.getHotkey()).mnemonic, made.hotkey.mnemonic);
    assert.equal((await w.getHotkeypub()).hasPrivateKey, false);
    assert.deepEqual(await w.listHotkeys(), ['h']);

    // create again: nothing is made, nothing changes.
    const before = await snapshot(w.root);
    assert.deepEqual(await w.create({ coldkey: { password: PASSWORD } }), {});
    assert.deepEqual(await snapshot(w.root), before);
    const remade = await w.create({ overwrite: true, coldkey: { password: PASSWORD, nWords: 24 } });
    assert.equal(remade.coldkey?.mnemonic.split(' ').length, 24);
    assert.notDeepEqual(await snapshot(w.root), before);
  });

  test('defaults come from BT_WALLET_PATH / NAME / HOTKEY, else ~/.bittensor/wallets/default', () => {
    const env = { BT_WALLET_PATH: '/srv/wallets', BT_WALLET_NAME: 'miner', BT_WALLET_HOTKEY: 'hk' };
    const w = new Wallet({ env });
    assert.equal(w.hotkeyFile.path, '/srv/wallets/miner/hotkeys/hk');
    assert.equal(w.hotkeypubFile.path, '/srv/wallets/miner/hotkeys/hkpub.txt');
    const home = new Wallet({ env: {}, homeDir: '/home/ubuntu' });
    assert.equal(home.path, '~/.bittensor/wallets/');
    assert.equal(home.coldkeyFile.path, '/home/ubuntu/.bittensor/wallets/default/coldkey');
    assert.equal(
      home.coldkeyFile.envVarName,
      'BT_PW__HOME_UBUNTU__BITTENSOR_WALLETS_DEFAULT_COLDKEY',
    );
    assert.equal(
      home.coldkeypubFile.path,
      '/home/ubuntu/.bittensor/wallets/default/coldkeypub.txt',
    );
    const explicit = new Wallet({ env, path: '/x', name: 'n', hotkey: 'k' });
    assert.equal(explicit.hotkeyFile.path, '/x/n/hotkeys/k');
    assert.equal(String(explicit), "Wallet (Name: 'n', Hotkey: 'k', Path: '/x')");
  });

  test('regenerate from mnemonic, seed, URI and polkadot.js JSON', async () => {
    const w = wallet();
    const m = legacy.plaintext_key;
    const cold = await w.regenerateColdkey({ mnemonic: m.mnemonic }, { password: PASSWORD });
    assert.equal(cold.ss58Address, m.ss58);
    assert.equal((await json(w.coldkeypubFile.path)).ss58Address, m.ss58);

    const seedKey = await w.regenerateHotkey({ seed: nacl.key_source.mini_secret });
    const hot = await json(w.hotkeyFile.path);
    assert.equal(hot.secretSeed, nacl.key_source.mini_secret);
    assert.equal(hot.secretPhrase, undefined);
    assert.equal(seedKey.ss58Address, nacl.key_source.ss58);

    await w.regenerateHotkey({ uri: '//Alice' }, { overwrite: true });
    const alice = await json(w.hotkeyFile.path);
    assert.deepEqual(Object.keys(alice), ['accountId', 'publicKey', 'privateKey', 'ss58Address']);
    assert.equal(alice.ss58Address, '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');

    const p = legacy.polkadot_json;
    const fromJson = await w.regenerateColdkey(
      { json: JSON.stringify(p.json), passphrase: p.password },
      { overwrite: true, usePassword: false },
    );
    assert.equal(fromJson.ss58Address, p.expect_ss58);
    assert.equal((await json(w.coldkeyFile.path)).privateKey, p.expect_private_key_canonical);
  });

  test('coldkey encryption needs a password source; none means nothing is written', async () => {
    const w = wallet();
    await assert.rejects(w.regenerateColdkey({ uri: '//Alice' }), is('PASSWORD_REQUIRED'));
    await assert.rejects(lstat(w.root), { code: 'ENOENT' });
    const prompt = scriptedPrompt([PASSWORD, PASSWORD]);
    await w.regenerateColdkey({ uri: '//Alice' }, { prompt });
    assert.deepEqual(
      prompt.requests.map((r) => r.purpose),
      ['encrypt', 'confirm'],
    );
    assert.equal(await w.coldkeyFile.encryption(), 'nacl');
    const plain = wallet();
    await plain.regenerateColdkey({ uri: '//Bob' }, { usePassword: false });
    assert.equal(await plain.coldkeyFile.encryption(), 'none');
  });

  test('watch-only wallets: coldkeypub / hotkeypub from ss58 or public key', async () => {
    const w = wallet();
    const alice = WalletKey.fromUri('//Alice');
    await w.regenerateColdkeypub({ ss58Address: alice.ss58Address });
    await w.regenerateHotkeypub({ publicKey: alice.publicKey });
    assert.equal((await w.getColdkeypub()).ss58Address, alice.ss58Address);
    assert.equal((await w.getHotkeypub()).ss58Address, alice.ss58Address);
    await assert.rejects(w.getColdkey(), is('KEYFILE_NOT_FOUND'));
    await assert.rejects(w.getHotkey(), is('KEYFILE_NOT_FOUND'));
    await assert.rejects(
      w.regenerateColdkeypub({ ss58Address: alice.ss58Address }),
      is('KEYFILE_EXISTS'),
    );
    await w.regenerateColdkeypub(
      { publicKey: WalletKey.fromUri('//Bob').publicKey },
      { overwrite: true },
    );
    assert.equal((await w.getColdkeypub()).ss58Address, WalletKey.fromUri('//Bob').ss58Address);
    await assert.rejects(w.regenerateColdkeypub({ ss58Address: 'nope' }), RangeError);
    await assert.rejects(w.regenerateColdkeypub({} as never), TypeError);
  });

  test('no half-written pairs: an existing pub file blocks the secret file too', async () => {
    const w = wallet();
    await w.regenerateHotkeypub({ ss58Address: WalletKey.fromUri('//Alice').ss58Address });
    const before = await snapshot(w.root);
    await assert.rejects(w.regenerateHotkey({ uri: '//Bob' }), is('KEYFILE_EXISTS'));
    assert.deepEqual(await snapshot(w.root), before);
    await w.regenerateHotkey({ uri: '//Bob' }, { overwrite: true });
    assert.equal((await w.getHotkeypub()).ss58Address, WalletKey.fromUri('//Bob').ss58Address);
  });

  test('older wallets without <hotkey>pub.txt: the public hotkey comes from the hotkey file', async () => {
    const w = wallet();
    await w.regenerateHotkey({ uri: '//Charlie' });
    await rm(w.hotkeypubFile.path);
    assert.equal((await w.getHotkeypub()).ss58Address, WalletKey.fromUri('//Charlie').ss58Address);
    await rm(w.hotkeyFile.path);
    await assert.rejects(w.getHotkeypub(), is('KEYFILE_NOT_FOUND'));
  });

  test('several hotkeys per wallet', async () => {
    const w = wallet();
    await w.regenerateHotkey({ uri: '//A' });
    const other = new Wallet({ path: w.path, name: 'w', hotkey: 'second', env: {}, prompt: false });
    await other.regenerateHotkey({ uri: '//B' });
    assert.deepEqual(await w.listHotkeys(), ['h', 'second']);
    assert.equal(
      (await w.hotkeyFileFor('second').getKeypair()).ss58Address,
      WalletKey.fromUri('//B').ss58Address,
    );
    assert.deepEqual(await wallet().listHotkeys(), []);
  });

  test('names and options are validated (no path traversal)', () => {
    for (const name of ['', '.', '..', '../evil', 'a/b', 'a\0b', 'x'.repeat(256)]) {
      assert.throws(() => new Wallet({ name, env: {} }), RangeError, JSON.stringify(name));
      assert.throws(() => new Wallet({ hotkey: name, env: {} }), RangeError);
    }
    assert.throws(() => new Wallet({ name: 5 as unknown as string }), TypeError);
    assert.throws(() => new Wallet({ path: '' }), RangeError);
    assert.throws(() => new Wallet(null as never), TypeError);
    assert.throws(() => wallet().hotkeyFileFor('../coldkey'), RangeError);
    assert.throws(() => wallet().hotkeypubFileFor('x'.repeat(250)), RangeError);
  });
});
