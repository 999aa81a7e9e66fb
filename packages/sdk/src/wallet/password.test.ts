import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { isWalletError } from './errors.js';
import {
  checkPasswordPolicy,
  decodePasswordFromEnv,
  encodePasswordForEnv,
  passwordEnvVarName,
  passwordStrength,
  readPasswordFile,
  resolveNewPassword,
  resolveUnlockPassword,
  ttyPasswordPrompt,
} from './password.js';
import { scriptedPrompt, tempDir } from './test-support.js';

const is = (code: Parameters<typeof isWalletError>[1]) => (e: unknown) => isWalletError(e, code);
const COLDKEY = '/home/ubuntu/.bittensor/wallets/w1/coldkey';
const VAR = 'BT_PW__HOME_UBUNTU__BITTENSOR_WALLETS_W1_COLDKEY';
let dir: string;
let cleanup: () => Promise<void>;

before(async () => {
  ({ dir, cleanup } = await tempDir());
});
after(() => cleanup());

test('env variable name: BT_PW_ + upper-cased path with / and . replaced by _', () => {
  assert.equal(passwordEnvVarName(COLDKEY), VAR);
  assert.equal(passwordEnvVarName('/w/hotkeys/my.hot'), 'BT_PW__W_HOTKEYS_MY_HOT');
  assert.equal(passwordEnvVarName('/w/hotkeys/straße'), 'BT_PW__W_HOTKEYS_STRASSE');
  assert.throws(() => passwordEnvVarName(''), RangeError);
  assert.throws(() => passwordEnvVarName(1 as unknown as string), TypeError);
});

test('env value encoding matches btwallet (base64 of password XOR name), known answers', () => {
  // Computed independently with CPython from btwallet's encrypt_password.
  assert.equal(
    encodePasswordForEnv(VAR, 'correct horse battery staple'),
    'ITstIjI8K2gnIjcsMGI3LyAhOi07aScgJD4/Kg==',
  );
  assert.equal(encodePasswordForEnv(VAR, 'pässwörd ☃ 123'), 'Mpf7IyQonP49KWW9zcF1f2Zm');
  // A password longer than the name wraps around it.
  assert.equal(encodePasswordForEnv('BT_PW_X', 'abcdefghijklmnop'), 'IzY8NDI5Pyo9NTs7MjYtJA==');
  for (const pw of ['correct horse battery staple', 'pässwörd ☃ 123', '', ' x ']) {
    assert.equal(decodePasswordFromEnv(VAR, encodePasswordForEnv(VAR, pw)), pw);
  }
});

test('a plain-text or mangled env value is PASSWORD_ENV_INVALID', () => {
  for (const value of [
    'my plain password',
    'ITstIjI8K2gnIjcsMGI3LyAhOi07aScgJD4/Kg',
    'YQ=',
    '@@@@',
  ]) {
    assert.throws(() => decodePasswordFromEnv(VAR, value), is('PASSWORD_ENV_INVALID'), value);
  }
  // Valid base64 whose XOR is not UTF-8.
  const notUtf8 = Buffer.from([0xff ^ 0x42]).toString('base64');
  assert.throws(() => decodePasswordFromEnv('B', notUtf8), is('PASSWORD_ENV_INVALID'));
  assert.throws(() => decodePasswordFromEnv(VAR, 5 as unknown as string), TypeError);
});

test('strength scores match the passwords crate (btwallet policy: >= 6 bytes and score >= 20)', () => {
  // Known answers from the crate's own tests.
  assert.equal(passwordStrength('kq4zpz13'), 62);
  assert.equal(passwordStrength('ZYX[$BCkQB中文}%A_3456]  H(\rg'), 100);
  assert.equal(passwordStrength('abc123'), 24);
  // Hand-computed: max 40, -2 (no digit), -4 (no upper), -4 (no space), -8 (6/6 repeats).
  assert.equal(passwordStrength('aaaaaa'), 22);
  assert.equal(passwordStrength(''), 0);
  assert.equal(checkPasswordPolicy('abc123').ok, true);
  assert.equal(checkPasswordPolicy('abc12').ok, false);
  // '123456': max 40, -4 -4 -4 (no lower/upper/space), -8 (progressive run of 6) = 20: accepted.
  assert.equal(passwordStrength('123456'), 20);
  assert.equal(checkPasswordPolicy('123456').ok, true);
  assert.equal(checkPasswordPolicy('aaaaa').ok, false);
  assert.equal(checkPasswordPolicy('correct horse battery staple').ok, true);
});

test('password files: one trailing newline is dropped; empty, huge, missing or non-UTF-8 files fail', async () => {
  const write = async (name: string, data: string | Uint8Array): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, data);
    return p;
  };
  assert.equal(await readPasswordFile(await write('a', 'secret\n')), 'secret');
  assert.equal(await readPasswordFile(await write('b', 'secret\r\n')), 'secret');
  assert.equal(await readPasswordFile(await write('c', ' secret \n\n')), ' secret \n');
  for (const p of [
    await write('d', ''),
    await write('e', '\n'),
    await write('f', 'x'.repeat(5000)),
    await write('g', Uint8Array.of(0xff, 0xfe)),
    join(dir, 'missing'),
    dir,
  ]) {
    await assert.rejects(readPasswordFile(p), is('PASSWORD_FILE_INVALID'), p);
  }
});

test('TTY prompt reads a line without echoing it; end of input cancels', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
  });
  const prompt = ttyPasswordPrompt({ input, output });
  const answer = prompt({
    message: 'Password: ',
    path: '/k',
    purpose: 'decrypt',
    error: 'Try again.',
  });
  input.write('hunter2\n');
  assert.equal(await answer, 'hunter2');
  assert.ok(shown.includes('Password: '));
  assert.ok(shown.includes('Try again.'));
  assert.ok(!shown.includes('hunter2'));

  const input2 = new PassThrough();
  const pending = ttyPasswordPrompt({ input: input2, output: new PassThrough() })({
    message: 'Password: ',
    path: '/k',
    purpose: 'decrypt',
  });
  input2.end();
  await assert.rejects(pending, is('PASSWORD_PROMPT_CANCELLED'));
});

test('unlock password order: explicit, file, BT_PW_ variable, then prompt (trimmed)', async () => {
  const file = join(dir, 'pw');
  await writeFile(file, 'from file\n');
  const env = { [VAR]: encodePasswordForEnv(VAR, 'from env') };
  const prompt = scriptedPrompt(['  typed  ']);
  const all = { password: 'explicit ', passwordFile: file, env, prompt };
  assert.equal(await resolveUnlockPassword(COLDKEY, all), 'explicit ');
  const { password: _p, ...noExplicit } = all;
  assert.equal(await resolveUnlockPassword(COLDKEY, noExplicit), 'from file');
  const { passwordFile: _f, ...envAndPrompt } = noExplicit;
  assert.equal(await resolveUnlockPassword(COLDKEY, envAndPrompt), 'from env');
  assert.equal(await resolveUnlockPassword(COLDKEY, { ...envAndPrompt, env: false }), 'typed');
  assert.equal(prompt.requests[0]?.purpose, 'decrypt');
  assert.equal(prompt.requests[0]?.path, COLDKEY);
  await assert.rejects(
    resolveUnlockPassword(COLDKEY, { env: {}, prompt: false }),
    (e: unknown) => isWalletError(e, 'PASSWORD_REQUIRED') && e.message.includes(VAR),
  );
  await assert.rejects(
    resolveUnlockPassword(COLDKEY, { password: 7 as unknown as string }),
    TypeError,
  );
});

test('new passwords from a prompt must pass the policy and be retyped', async () => {
  const prompt = scriptedPrompt(['abc', 'Tao is 4 miners', 'Tao is 4 miners']);
  assert.equal(await resolveNewPassword('/k', { env: {}, prompt }), 'Tao is 4 miners');
  assert.deepEqual(
    prompt.requests.map((r) => r.purpose),
    ['encrypt', 'encrypt', 'confirm'],
  );
  assert.match(prompt.requests[1]?.error ?? '', /not strong enough/);

  const mismatch = scriptedPrompt([
    'Tao is 4 miners',
    'typo',
    'Tao is 4 miners',
    'typo',
    'Tao is 4 miners',
    'x',
  ]);
  await assert.rejects(
    resolveNewPassword('/k', { env: {}, prompt: mismatch }),
    is('PASSWORD_MISMATCH'),
  );
  const weak = scriptedPrompt(['a', 'b', 'c']);
  await assert.rejects(
    resolveNewPassword('/k', { env: {}, prompt: weak }),
    is('PASSWORD_TOO_WEAK'),
  );
  // Explicit passwords are used as given (btwallet does not score them) but must not be empty.
  assert.equal(await resolveNewPassword('/k', { password: 'abc' }), 'abc');
  await assert.rejects(resolveNewPassword('/k', { password: '' }), RangeError);
  // So are file and BT_PW_ passwords, in the unlock order, and never prompted for.
  const newFile = join(dir, 'new-pw');
  await writeFile(newFile, 'from file\n');
  const env = { [VAR]: encodePasswordForEnv(VAR, 'from env') };
  const unused = scriptedPrompt([]);
  const sources = { passwordFile: newFile, env, prompt: unused };
  assert.equal(await resolveNewPassword(COLDKEY, sources), 'from file');
  assert.equal(await resolveNewPassword(COLDKEY, { env, prompt: unused }), 'from env');
  assert.equal(unused.requests.length, 0);
  await assert.rejects(
    resolveNewPassword(COLDKEY, { env: { [VAR]: encodePasswordForEnv(VAR, '') }, prompt: false }),
    RangeError,
  );
  await assert.rejects(
    resolveNewPassword(COLDKEY, { env: {}, prompt: false }),
    is('PASSWORD_REQUIRED'),
  );
});

test('property: env encoding round-trips any password for any keyfile path', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 64 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
      (password, path) => {
        const name = passwordEnvVarName(path);
        assert.equal(decodePasswordFromEnv(name, encodePasswordForEnv(name, password)), password);
      },
    ),
    { seed: Number(process.env.FC_SEED ?? 1), numRuns: 200 },
  );
});
