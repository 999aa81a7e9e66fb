/** `tao wallet …` end to end: keys on disk, the encrypted path, balances, transfers, overview. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  clearUnlockedKeys,
  connect,
  encodePasswordForEnv,
  passwordEnvVarName,
  type SubtensorClient,
  setArgon2CostForTesting,
} from '@taoscript/sdk';
import type { SpawnedNode } from '@taoscript/testkit';
import {
  assertFailed,
  devWallet,
  net,
  type Run,
  Sandbox,
  startNode,
  walletFlags,
} from './helpers.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
const SUBNET1_HOTKEY = '5DPMCHcbNqrKgomi6vt15weajLG44291QxjtpCYjgRZ6EcjM';

const box = new Sandbox();
let node: SpawnedNode;
let client: SubtensorClient;

before(async () => {
  node = await startNode();
  client = await connect({ chainEndpoint: node.wsUrl, env: {} });
  // The CLI test of the encrypted path runs Argon2i with lowered cost (the SDK's test-only hook,
  // which refuses to run outside `node --test`).
  setArgon2CostForTesting({ iterations: 1, memoryKiB: 64 });
});
after(async () => {
  await client?.close();
  await node?.stop();
  box.cleanup();
});

interface KeyDoc {
  ss58_address: string;
  public_key: string;
  mnemonic?: string;
  encrypted: boolean;
}
interface WalletDoc {
  wallet: { name: string; path: string; hotkey: string };
  coldkey?: KeyDoc;
  hotkey?: KeyDoc;
  coldkeypub?: { ss58_address: string };
}

const W = (name: string, hotkey?: string) => walletFlags(box, name, hotkey);
const keyfile = (...p: string[]) => join(box.wallets, ...p);
const readKey = (...p: string[]) => JSON.parse(readFileSync(keyfile(...p), 'utf8'));

describe('keys on disk', () => {
  test('create: a plain coldkey and hotkey from new 12-word mnemonics, files in btwallet layout', async () => {
    const r = await box.json<WalletDoc>(['wallet', 'create', ...W('w1'), '--no-use-password']);
    assert.deepEqual(r.wallet, { name: 'w1', path: box.wallets, hotkey: 'default' });
    assert.equal(r.coldkey?.mnemonic?.split(' ').length, 12);
    assert.equal(r.hotkey?.mnemonic?.split(' ').length, 12);
    assert.equal(r.coldkey?.encrypted, false);
    assert.equal(readKey('w1', 'coldkey').ss58Address, r.coldkey?.ss58_address);
    assert.equal(readKey('w1', 'coldkey').secretPhrase, r.coldkey?.mnemonic);
    assert.equal(readKey('w1', 'coldkeypub.txt').ss58Address, r.coldkey?.ss58_address);
    assert.equal(readKey('w1', 'hotkeys', 'default').ss58Address, r.hotkey?.ss58_address);
    assert.equal(readKey('w1', 'hotkeys', 'defaultpub.txt').ss58Address, r.hotkey?.ss58_address);
    assert.equal(statSync(keyfile('w1', 'coldkey')).mode & 0o777, 0o600);
    // Human output shows the mnemonics once, with the warning.
    const human = await box.tao([
      'wallet',
      'create',
      ...W('w1b'),
      '--no-use-password',
      '--n-words',
      '24',
    ]);
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, /The mnemonic of the new coldkey is:\n\n {2}(\w+ ){23}\w+\n/);
    assert.equal(readKey('w1b', 'coldkey').secretPhrase.split(' ').length, 24);
  });

  test('existing keys: refused without a terminal, asked otherwise, replaced with --overwrite', async () => {
    const before = readFileSync(keyfile('w1', 'coldkey'), 'utf8');
    assertFailed(
      await box.tao(['wallet', 'create', ...W('w1'), '--no-use-password']),
      2,
      /w1\/coldkey.*already exists; pass --overwrite/,
    );
    assertFailed(
      await box.tao(['wallet', 'new-coldkey', ...W('w1'), '--no-use-password'], { answers: ['n'] }),
      1,
      /cancelled/,
    );
    assert.match(box.asked.at(-1) ?? '', /already exists\. Overwrite\? \[y\/N\]/);
    assert.equal(readFileSync(keyfile('w1', 'coldkey'), 'utf8'), before);
    const yes = await box.json<WalletDoc>(
      ['wallet', 'new-coldkey', ...W('w1'), '--no-use-password'],
      { answers: ['y'] },
    );
    assert.notEqual(readFileSync(keyfile('w1', 'coldkey'), 'utf8'), before);
    assert.equal(readKey('w1', 'coldkeypub.txt').ss58Address, yes.coldkey?.ss58_address);
    const forced = await box.json<WalletDoc>(['wallet', 'new-hotkey', ...W('w1'), '--overwrite']);
    assert.equal(readKey('w1', 'hotkeys', 'default').ss58Address, forced.hotkey?.ss58_address);
    assert.equal(forced.hotkey?.encrypted, false);
    assertFailed(
      await box.tao(['wallet', 'new-hotkey', ...W('w1'), '--no-overwrite'], { answers: [] }),
      2,
      /already exists; pass --overwrite/,
    );
  });

  test('new-hotkey with another name adds a hotkey', async () => {
    const r = await box.json<WalletDoc>([
      'wallet',
      'new-hotkey',
      ...W('w1', 'h2'),
      '--n-words',
      '15',
    ]);
    assert.equal(r.wallet.hotkey, 'h2');
    assert.equal(r.hotkey?.mnemonic?.split(' ').length, 15);
    assert.ok(existsSync(keyfile('w1', 'hotkeys', 'h2pub.txt')));
    assertFailed(
      await box.tao(['wallet', 'new-hotkey', ...W('w1', 'h3'), '--n-words', '13']),
      2,
      /--n-words must be 12, 15, 18, 21 or 24/,
    );
  });

  test('regen from mnemonic, seed and URI gives the same keys; coldkeypub from address or hex', async () => {
    const made = await box.json<WalletDoc>(['wallet', 'create', ...W('src'), '--no-use-password']);
    const words = (made.coldkey?.mnemonic ?? '').split(' ');
    const a = await box.json<WalletDoc>([
      'wallet',
      'regen-coldkey',
      ...W('copy'),
      '--no-use-password',
      '--mnemonic',
      ...words,
    ]);
    assert.equal(a.coldkey?.ss58_address, made.coldkey?.ss58_address);
    const seed = readKey('src', 'coldkey').secretSeed as string;
    const b = await box.json<WalletDoc>([
      'wallet',
      'regen_coldkey',
      ...W('copy2'),
      '--no-use-password',
      '--seed',
      seed,
    ]);
    assert.equal(b.coldkey?.ss58_address, made.coldkey?.ss58_address);
    const dev = await box.json<WalletDoc>([
      'wallet',
      'regen-coldkey',
      ...W('dev'),
      '--no-use-password',
      '--uri',
      'alice',
    ]);
    assert.equal(dev.coldkey?.ss58_address, ALICE);
    const hot = await box.json<WalletDoc>([
      'wallet',
      'regen-hotkey',
      ...W('dev'),
      '--uri',
      '//Alice//subnet1',
    ]);
    assert.equal(hot.hotkey?.ss58_address, SUBNET1_HOTKEY);
    const pub = await box.json<WalletDoc>([
      'wallet',
      'regen-coldkeypub',
      ...W('watch'),
      '--ss58',
      BOB,
    ]);
    assert.equal(pub.coldkeypub?.ss58_address, BOB);
    assert.equal(existsSync(keyfile('watch', 'coldkey')), false);
    const hex = await box.json<WalletDoc>([
      'wallet',
      'regen-coldkeypub',
      ...W('watch2'),
      '--public-key-hex',
      dev.coldkey?.public_key as string,
    ]);
    assert.equal(hex.coldkeypub?.ss58_address, ALICE);
  });

  test('create --uri makes both keys from a dev URI; regen from a polkadot.js export', async () => {
    const r = await box.json<WalletDoc>([
      'wallet',
      'create',
      ...W('devbob'),
      '--no-use-password',
      '--uri',
      'bob',
    ]);
    assert.equal(r.coldkey?.ss58_address, BOB);
    assert.equal(r.hotkey?.ss58_address, BOB);
    assert.equal(r.coldkey?.mnemonic, undefined);
    const vec = JSON.parse(
      readFileSync(new URL('./vectors/polkadot_json.json', import.meta.url), 'utf8'),
    ) as {
      polkadot_json: { password: string; json: unknown; expect_ss58: string };
    };
    const file = join(box.home, 'export.json');
    writeFileSync(file, JSON.stringify(vec.polkadot_json.json));
    const j = await box.json<WalletDoc>([
      'wallet',
      'regen-coldkey',
      ...W('pjs'),
      '--no-use-password',
      '--json-file',
      file,
      '--json-password',
      vec.polkadot_json.password,
    ]);
    assert.equal(j.coldkey?.ss58_address, vec.polkadot_json.expect_ss58);
    assertFailed(
      await box.tao([
        'wallet',
        'regen-coldkey',
        ...W('pjs2'),
        '--no-use-password',
        '--json-file',
        file,
        '--json-password',
        'nope',
      ]),
      2,
      /Wrong passphrase|wrong password/i,
    );
  });

  test('regen refuses missing, doubled and malformed sources with one line', async () => {
    assertFailed(
      await box.tao(['wallet', 'regen-coldkey', ...W('bad')]),
      2,
      /pass one of --mnemonic, --seed, --uri or --json-file/,
    );
    assertFailed(
      await box.tao(['wallet', 'regen-coldkey', ...W('bad'), '--uri', '//A', '--seed', '0x00']),
      2,
      /give only one of/,
    );
    assertFailed(
      await box.tao([
        'wallet',
        'regen-coldkey',
        ...W('bad'),
        '--no-use-password',
        '--mnemonic',
        'not',
        'a',
        'mnemonic',
      ]),
      2,
      /^error: --mnemonic: /,
    );
    assertFailed(
      await box.tao([
        'wallet',
        'regen-coldkey',
        ...W('bad'),
        '--no-use-password',
        '--seed',
        '0x1234',
      ]),
      2,
      /^error: --seed: .*32 bytes/,
    );
    assertFailed(
      await box.tao(['wallet', 'regen-hotkey', ...W('bad'), '--uri', 'mallory']),
      2,
      /--uri must be a secret URI/,
    );
    assertFailed(
      await box.tao(['wallet', 'regen-coldkeypub', ...W('bad'), '--ss58', 'xyz']),
      2,
      /--ss58: /,
    );
    assertFailed(
      await box.tao(['wallet', 'regen-coldkeypub', ...W('bad')]),
      2,
      /exactly one of --ss58 or --public-key-hex/,
    );
    assertFailed(
      await box.tao(['wallet', 'create', ...W('../escape')]),
      2,
      /wallet name must be a plain file name/,
    );
    assert.equal(existsSync(keyfile('bad')), false);
  });

  test('list: every wallet with its coldkey and hotkeys', async () => {
    const r = await box.json<{
      wallets: {
        name: string;
        coldkey_ss58: string | null;
        hotkeys: { name: string; ss58_address: string }[];
      }[];
    }>(['wallet', 'list', '--wallet-path', box.wallets]);
    const byName = new Map(r.wallets.map((w) => [w.name, w]));
    assert.deepEqual(byName.get('dev'), {
      name: 'dev',
      coldkey_ss58: ALICE,
      hotkeys: [{ name: 'default', ss58_address: SUBNET1_HOTKEY }],
    });
    assert.deepEqual(
      byName.get('w1')?.hotkeys.map((h) => h.name),
      ['default', 'h2'],
    );
    assert.equal(byName.get('watch')?.coldkey_ss58, BOB);
    const tree = await box.tao(['wallet', 'list', '-p', box.wallets]);
    assert.match(
      tree.out,
      new RegExp(`── dev \\(${ALICE}\\)\\n│   └── default \\(${SUBNET1_HOTKEY}\\)`),
    );
  });
});

describe('against the chain', () => {
  test('balance: one wallet, addresses, every wallet; amounts in rao strings', async () => {
    await devWallet(box, 'alice', '//Alice', '//Alice//subnet1');
    type Bal = {
      balances: {
        name: string | null;
        coldkey_ss58: string;
        free: string;
        staked: string;
        total: string;
      }[];
      total: Record<string, string>;
    };
    const one = await box.json<Bal>(['wallet', 'balance', ...W('alice'), ...net(node)]);
    const chainFree = await client.getBalance(ALICE);
    assert.deepEqual(one.balances, [
      {
        name: 'alice',
        coldkey_ss58: ALICE,
        free: `${chainFree}`,
        staked: '0',
        total: `${chainFree}`,
      },
    ]);
    const addrs = await box.json<Bal>([
      'wallet',
      'balance',
      '--ss58',
      `${BOB},${DAVE}`,
      ...net(node),
    ]);
    assert.deepEqual(
      addrs.balances.map((b) => b.coldkey_ss58),
      [BOB, DAVE],
    );
    assert.equal(
      addrs.total.free,
      `${BigInt(addrs.balances[0]?.free ?? 0) + BigInt(addrs.balances[1]?.free ?? 0)}`,
    );
    const all = await box.json<Bal>([
      'wallet',
      'balance',
      '--all',
      '-p',
      box.wallets,
      ...net(node),
    ]);
    assert.ok(all.balances.some((b) => b.name === 'alice' && b.coldkey_ss58 === ALICE));
    assert.ok(all.balances.some((b) => b.name === 'watch' && b.coldkey_ss58 === BOB));
    const human = await box.tao(['wallet', 'balance', ...W('alice'), ...net(node)]);
    assert.match(human.out, /alice\s+5Grw\S+\s+τ[\d,]+\.\d{4}\s+τ0\.0000/);
  });

  test('transfer: amount, then --all --allow-death; the chain balances move', async () => {
    const w1 = readKey('w1', 'coldkeypub.txt').ss58Address as string;
    type Tx = {
      from: string;
      to: string;
      amount: string;
      keep_alive: boolean;
      balance_before: string;
      balance_after: string;
      extrinsic: { block: number; fee: string; events: string[] };
    };
    // From Bob: Alice authors the dev chain's blocks, so her fees come back to her.
    await devWallet(box, 'bob', '//Bob', '//Bob//hot');
    const r = await box.json<Tx>([
      'wallet',
      'transfer',
      ...W('bob'),
      ...net(node),
      '--dest',
      w1,
      '--amount',
      '1.5',
      '-y',
    ]);
    assert.equal(r.from, BOB);
    assert.equal(r.to, w1);
    assert.equal(r.amount, '1500000000');
    assert.equal(r.keep_alive, true);
    assert.equal(
      BigInt(r.balance_before) - BigInt(r.balance_after),
      1_500_000_000n + BigInt(r.extrinsic.fee),
    );
    assert.ok(r.extrinsic.events.includes('Balances.Transfer'));
    assert.equal(await client.getBalance(w1), 1_500_000_000n);
    const quiet = await box.tao([
      'wallet',
      'transfer',
      ...W('bob'),
      ...net(node),
      '--dest',
      ALICE,
      '--amount',
      '0.5',
      '-y',
      '--quiet',
    ]);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.err, '');
    assert.match(
      quiet.out,
      /^Sent τ0\.500000000 to 5Grw\S+ \(block \d+, extrinsic \d+, fee τ[\d.]+\)\nBalance: /,
    );
    const bobBefore = await client.getBalance(BOB);
    const all = await box.json<Tx>([
      'wallet',
      'transfer',
      ...W('w1'),
      ...net(node),
      '--destination',
      BOB,
      '--all',
      '--allow-death',
      '--no-prompt',
    ]);
    assert.equal(all.keep_alive, false);
    assert.equal(await client.getBalance(w1), 0n);
    assert.equal(await client.getBalance(BOB), bobBefore + BigInt(all.amount));
  });

  test('transfer refusals: confirmation, decline, bad input, insufficient balance', async () => {
    const before = await client.getBalance(ALICE);
    const base = ['wallet', 'transfer', ...W('alice'), ...net(node), '--dest', BOB];
    assertFailed(await box.tao([...base, '--amount', '1']), 2, /confirmation needed.*--no-prompt/);
    assertFailed(await box.tao([...base, '--amount', '1'], { answers: ['no'] }), 1, /cancelled/);
    assert.match(
      box.asked.at(-1) ?? '',
      /^Transfer τ1\.000000000 from 5Grw.* to 5FHn.*\? \[y\/N\] $/,
    );
    assert.equal(await client.getBalance(ALICE), before);
    assertFailed(
      await box.tao([...base, '--amount', '1', '--all', '-y']),
      2,
      /exactly one of --amount or --all/,
    );
    assertFailed(
      await box.tao([...base, '--amount', 'lots', '-y']),
      2,
      /--amount must be an amount/,
    );
    assertFailed(
      await box.tao([
        'wallet',
        'transfer',
        ...W('alice'),
        ...net(node),
        '--dest',
        'nobody',
        '--amount',
        '1',
        '-y',
      ]),
      2,
      /--dest is not an SS58 address/,
    );
    const poor = await box.tao([
      ...base.map((a) => (a === 'alice' ? 'w1' : a)),
      '--amount',
      '5',
      '-y',
      '--json',
    ]);
    // w1 was emptied above: the pool refuses it before inclusion.
    assertFailed(poor, 1, /^error: the signing account cannot pay the fee.*\(Invalid\.Payment\)$/);
    assert.deepEqual(JSON.parse(poor.out).error.code, 'TX_INVALID');
    const huge = await box.tao([...base, '--amount', '9000000', '-y']);
    assertFailed(
      huge,
      1,
      /^error: (Balances\.InsufficientBalance|Token\.FundsUnavailable): the account does not have enough free balance$/,
    );
  });

  test('overview: the neurons of the wallet on every subnet', async () => {
    type Ov = {
      wallet: string;
      coldkey_ss58: string;
      subnets: { netuid: number; neurons: Record<string, unknown>[] }[];
    };
    const r = await box.json<Ov>(['wallet', 'overview', ...W('alice'), ...net(node)]);
    assert.equal(r.coldkey_ss58, ALICE);
    const s1 = r.subnets.find((s) => s.netuid === 1);
    assert.ok(s1, JSON.stringify(r));
    const n0 = s1.neurons.find((n) => n.uid === 0);
    assert.equal(n0?.hotkey_ss58, SUBNET1_HOTKEY);
    assert.equal(n0?.hotkey_name, 'default');
    assert.equal(typeof n0?.stake, 'string');
    assert.equal(typeof n0?.incentive, 'number');
    const only = await box.json<Ov>([
      'wallet',
      'overview',
      ...W('alice'),
      ...net(node),
      '--netuid',
      '1',
    ]);
    assert.deepEqual(
      only.subnets.map((s) => s.netuid),
      [1],
    );
    const human = await box.tao(['wallet', 'overview', ...W('alice'), ...net(node), '-n', '1']);
    assert.equal(human.code, 0, human.err);
    assert.match(
      human.out,
      /^HOTKEY +UID +ACTIVE +STAKE +RANK +TRUST +CONSENSUS +INCENTIVE +DIVIDENDS +EMISSION +VTRUST +VPERMIT +UPDATED +AXON +HOTKEY_SS58$/m,
    );
    assert.match(
      human.out,
      new RegExp(
        `^default +0 +(yes|no) +[\\d.,]+ \\S+ +(\\d\\.\\d{5} +){5}[\\d.,]+ \\S+ +\\d\\.\\d{5} .*${SUBNET1_HOTKEY}$`,
        'm',
      ),
    );
    const none = await box.tao(['wallet', 'overview', ...W('w1'), ...net(node)]);
    assert.match(none.out, /No neurons registered/);
    assertFailed(
      await box.tao(['wallet', 'overview', ...W('alice'), ...net(node), '-n', '77']),
      1,
      /subnet 77 does not exist/,
    );
    assertFailed(
      await box.tao(['wallet', 'overview', ...W('alice'), ...net(node), '-n', 'x']),
      2,
      /--netuid|-n/,
    );
  });

  test('unknown wallet, missing hotkey and a watch-only wallet are named', async () => {
    assertFailed(
      await box.tao(['wallet', 'balance', ...W('ghost'), ...net(node)]),
      2,
      /wallet 'ghost' not found in .*wallets/,
    );
    assertFailed(
      await box.tao([
        'wallet',
        'transfer',
        ...W('watch'),
        ...net(node),
        '--dest',
        ALICE,
        '--amount',
        '1',
        '-y',
      ]),
      2,
      /wallet 'watch' has only coldkeypub\.txt/,
    );
    assertFailed(
      await box.tao(['subnets', 'register', ...W('alice', 'nohot'), ...net(node), '-n', '1', '-y']),
      2,
      /hotkey 'nohot' of wallet 'alice' not found/,
    );
  });
});

describe('encrypted coldkey', () => {
  const pwFile = join(box.home, 'pw.txt');
  const badPw = join(box.home, 'bad.txt');
  const send = (extra: string[], opts = {}): Promise<Run> =>
    box.tao(
      [
        'wallet',
        'transfer',
        ...W('enc'),
        ...net(node),
        '--dest',
        ALICE,
        '--amount',
        '0.1',
        '-y',
        '--json',
        ...extra,
      ],
      opts,
    );

  test('a $NACL coldkey unlocks from a file, the BT_PW_ variable or a prompt; wrong ones are refused', async () => {
    writeFileSync(pwFile, 'correct horse battery\n');
    writeFileSync(badPw, 'wrong horse\n');
    const made = await box.json<WalletDoc>([
      'wallet',
      'regen-coldkey',
      ...W('enc'),
      '--uri',
      '//Dave',
      '--password-file',
      pwFile,
    ]);
    assert.equal(made.coldkey?.encrypted, true);
    assert.equal(made.coldkey?.ss58_address, DAVE);
    assert.equal(readFileSync(keyfile('enc', 'coldkey')).subarray(0, 5).toString(), '$NACL');

    clearUnlockedKeys();
    assertFailed(
      await send(['--password-file', badPw]),
      2,
      /wrong password for the key \(.*enc\/coldkey\)/,
    );
    assertFailed(await send([]), 2, /needs a password: pass --password-file/);
    const verbose = await send(['--password-file', badPw, '--verbose']);
    assertFailed(verbose, 2, /wrong password/);
    assert.match(verbose.err, /\n {2}File: .*enc\/coldkey/);

    const before = await client.getBalance(DAVE);
    const ok = await send(['--password-file', pwFile]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.err, /deriving the key encryption key \(Argon2i\)/);
    assert.ok((await client.getBalance(DAVE)) < before - 100_000_000n + 1n);

    clearUnlockedKeys();
    const name = passwordEnvVarName(keyfile('enc', 'coldkey'));
    const viaEnv = await send([], {
      env: { [name]: encodePasswordForEnv(name, 'correct horse battery') },
    });
    assert.equal(viaEnv.code, 0, viaEnv.err);

    clearUnlockedKeys();
    const prompted = await box.tao(
      [
        'wallet',
        'transfer',
        ...W('enc'),
        ...net(node),
        '--dest',
        ALICE,
        '--amount',
        '0.1',
        '--json',
      ],
      { answers: ['y', 'correct horse battery'] },
    );
    assert.equal(prompted.code, 0, prompted.err);
    assert.match(box.asked.at(-1) ?? '', /Enter your password to unlock key: .*enc\/coldkey/);

    clearUnlockedKeys();
    const created = await box.json<WalletDoc>(['wallet', 'new-coldkey', ...W('enc2')], {
      answers: ['weak', 'Str0nger pass phrase', 'Str0nger pass phrase'],
    });
    assert.equal(created.coldkey?.encrypted, true);
    assert.equal(readFileSync(keyfile('enc2', 'coldkey')).subarray(0, 5).toString(), '$NACL');
  });
});
