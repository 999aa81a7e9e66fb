/**
 * `tao wallet create | new-coldkey | new-hotkey | regen-coldkey | regen-coldkeypub |
 * regen-hotkey | list`: keys on disk in btwallet's layout. Existing keyfiles are replaced only
 * with --overwrite or a "yes" at the overwrite question.
 */
import { readdir } from 'node:fs/promises';
import type { Keyfile, KeySource, Wallet, WalletKey, WriteKeyOptions } from '@taoscript/sdk';
import { defineCommand } from '../framework/command.js';
import {
  OUTPUT_FLAGS,
  PASSWORD_FLAGS,
  PROMPT_FLAGS,
  WALLET_FLAGS,
} from '../framework/common-flags.js';
import type { Context } from '../framework/context.js';
import { CancelledError } from '../framework/errors.js';
import type { FlagSpec } from '../framework/flags.js';
import { parseUint } from '../framework/values.js';
import { UsageError } from '../io.js';

const N_WORDS: FlagSpec = {
  name: 'n-words',
  kind: 'string',
  aliases: ['n-word', 'words'],
  value: '12|15|18|21|24',
  help: 'Mnemonic length (default 12)',
};
const USE_PASSWORD: FlagSpec = {
  name: 'use-password',
  kind: 'boolean',
  off: ['no-use-password', 'no-password'],
  help: 'Encrypt the key (default: yes for coldkeys, no for hotkeys)',
};
const OVERWRITE: FlagSpec = {
  name: 'overwrite',
  kind: 'boolean',
  aliases: ['overwrite-coldkey', 'overwrite-hotkey'],
  off: ['no-overwrite'],
  help: 'Replace existing keyfiles without asking',
};
const URI: FlagSpec = {
  name: 'uri',
  kind: 'string',
  value: 'URI',
  help: 'Make the key from a secret URI (//Alice, or a dev name such as alice)',
};
const SOURCE_FLAGS: readonly FlagSpec[] = [
  {
    name: 'mnemonic',
    kind: 'words',
    value: 'WORDS…',
    help: 'Restore from a BIP39 mnemonic (quoted, or the words after the flag)',
  },
  { name: 'seed', kind: 'string', value: '0xHEX', help: 'Restore from a 32-byte seed (hex)' },
  URI,
  {
    name: 'json-file',
    kind: 'string',
    aliases: ['json-path'],
    value: 'FILE',
    help: 'Restore from a polkadot.js JSON export',
  },
  {
    name: 'json-password',
    kind: 'string',
    value: 'PASS',
    help: 'Passphrase of the polkadot.js export',
  },
];
const BASE: readonly FlagSpec[] = [
  ...WALLET_FLAGS,
  USE_PASSWORD,
  OVERWRITE,
  ...PASSWORD_FLAGS,
  ...OUTPUT_FLAGS,
  ...PROMPT_FLAGS,
];

const DEV_NAMES = ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie'];

/** `alice` → `//Alice`; other URIs unchanged. */
export function normalizeUri(uri: string): string {
  const u = uri.trim();
  if (DEV_NAMES.includes(u.toLowerCase()))
    return `//${u[0]?.toUpperCase()}${u.slice(1).toLowerCase()}`;
  return u;
}

function nWords(ctx: Context): 12 | 15 | 18 | 21 | 24 {
  const v = ctx.flags.string('n-words');
  if (v === undefined) return 12;
  const n = parseUint(v, ctx.flags.spelling('n-words'), 24, 12);
  if (![12, 15, 18, 21, 24].includes(n))
    throw new UsageError(`${ctx.flags.spelling('n-words')} must be 12, 15, 18, 21 or 24`);
  return n as 12 | 15 | 18 | 21 | 24;
}

/**
 * Whether to overwrite `files`: --overwrite, else nothing exists, else ask "overwrite? [y/N]"
 * (declining cancels); without a terminal, existing files are a usage error naming --overwrite.
 */
async function overwriteDecision(ctx: Context, files: readonly Keyfile[]): Promise<boolean> {
  const flag = ctx.flags.bool('overwrite');
  if (flag === true) return true;
  const existing: string[] = [];
  for (const f of files) if (await f.exists()) existing.push(f.path);
  if (existing.length === 0) return false;
  const list = existing.join(', ');
  if (flag === false || !ctx.canAsk)
    throw new UsageError(`${list} already exists; pass --overwrite to replace it`);
  const answer = await ctx.ask(`${list} already exists. Overwrite? [y/N] `, '--overwrite');
  if (!/^y(es)?$/i.test(answer)) throw new CancelledError();
  return true;
}

function writeOptions(ctx: Context, overwrite: boolean): WriteKeyOptions {
  const usePassword = ctx.flags.bool('use-password');
  return {
    overwrite,
    ...(usePassword !== undefined ? { usePassword } : {}),
    ...ctx.passwordOptions(),
  };
}

function walletJson(w: Wallet) {
  return { name: w.name, path: w.root, hotkey: w.hotkeyName };
}

function keyJson(key: WalletKey, mnemonic: string | undefined, encrypted: boolean) {
  return {
    ss58_address: key.ss58Address,
    public_key: key.publicKey,
    ...(mnemonic !== undefined ? { mnemonic } : {}),
    encrypted,
  };
}

function mnemonicNotice(what: string, mnemonic: string): string {
  return [
    `The mnemonic of the new ${what} is:`,
    '',
    `  ${mnemonic}`,
    '',
    'Write it down and keep it safe: anyone who has it controls the key, and it is the only way',
    'to recover the key if the file is lost.',
  ].join('\n');
}

type KeyKind = 'coldkey' | 'hotkey';

async function makeKey(
  ctx: Context,
  w: Wallet,
  kind: KeyKind,
  overwrite: boolean,
): Promise<{ key: WalletKey; mnemonic: string | undefined; encrypted: boolean }> {
  const opts = writeOptions(ctx, overwrite);
  const encrypted = opts.usePassword ?? kind === 'coldkey';
  const uri = ctx.flags.maybeString('uri');
  if (uri !== undefined) {
    const source = { uri: normalizeUri(uri) };
    checkSource(source, '--uri');
    const key =
      kind === 'coldkey'
        ? await w.regenerateColdkey(source, opts)
        : await w.regenerateHotkey(source, opts);
    return { key, mnemonic: undefined, encrypted };
  }
  const r =
    kind === 'coldkey'
      ? await w.createNewColdkey({ ...opts, nWords: nWords(ctx) })
      : await w.createNewHotkey({ ...opts, nWords: nWords(ctx) });
  return { key: r.key, mnemonic: r.mnemonic, encrypted };
}

function checkSource(source: KeySource, flag: string): void {
  if (
    'uri' in source &&
    !source.uri.startsWith('/') &&
    !source.uri.includes(' ') &&
    !source.uri.startsWith('0x')
  )
    throw new UsageError(
      `${flag} must be a secret URI such as //Alice or a dev name, got '${source.uri.slice(0, 40)}'`,
    );
}

async function keyOrUsage<T>(flag: string, build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e?.name === 'WalletError') throw err;
    throw new UsageError(`${flag}: ${e?.message ?? String(err)}`);
  }
}

/** `tao wallet create`. */
export const walletCreate = defineCommand({
  usage: 'tao wallet create [--wallet-name N] [--hotkey H] [--n-words 12] [--no-use-password]',
  description:
    'Creates a coldkey (encrypted by default) and a hotkey from new mnemonics and prints the mnemonics once.',
  flags: [...BASE, N_WORDS, URI],
  notes: [
    'JSON: { "wallet": { name, path, hotkey }, "coldkey": { ss58_address, public_key, mnemonic?, encrypted },',
    '        "hotkey": { ss58_address, public_key, mnemonic?, encrypted } }',
  ],
  async run(ctx) {
    const w = await ctx.wallet();
    const overwrite = await overwriteDecision(ctx, [
      w.coldkeyFile,
      w.coldkeypubFile,
      w.hotkeyFile,
      w.hotkeypubFile,
    ]);
    const cold = await keyOrUsage('--uri', () => makeKey(ctx, w, 'coldkey', overwrite));
    const hotOpts = ctx.flags.bool('use-password');
    const hot = await keyOrUsage('--uri', async () => {
      // The hotkey is plain unless --use-password was given explicitly.
      const opts = { ...writeOptions(ctx, overwrite), usePassword: hotOpts === true };
      const uri = ctx.flags.string('uri');
      if (uri !== undefined) {
        const key = await w.regenerateHotkey({ uri: normalizeUri(uri) }, opts);
        return { key, mnemonic: undefined, encrypted: hotOpts === true };
      }
      const r = await w.createNewHotkey({ ...opts, nWords: nWords(ctx) });
      return { key: r.key, mnemonic: r.mnemonic, encrypted: hotOpts === true };
    });
    const doc = {
      wallet: walletJson(w),
      coldkey: keyJson(cold.key, cold.mnemonic, cold.encrypted),
      hotkey: keyJson(hot.key, hot.mnemonic, hot.encrypted),
    };
    ctx.out.result(doc, () =>
      [
        `Created wallet '${w.name}' in ${w.root}`,
        `  coldkey  ${cold.key.ss58Address}${cold.encrypted ? ' (encrypted)' : ''}`,
        `  hotkey   ${hot.key.ss58Address}  (${w.hotkeyName})`,
        ...(cold.mnemonic ? ['', mnemonicNotice('coldkey', cold.mnemonic)] : []),
        ...(hot.mnemonic ? ['', mnemonicNotice('hotkey', hot.mnemonic)] : []),
      ].join('\n'),
    );
  },
});

function newKeyCommand(kind: KeyKind) {
  return defineCommand({
    usage: `tao wallet new-${kind} [--wallet-name N]${kind === 'hotkey' ? ' [--hotkey H]' : ''} [--n-words 12] [--no-use-password]`,
    description: `Creates a ${kind} from a new mnemonic (${kind === 'coldkey' ? 'encrypted' : 'not encrypted'} by default) and prints the mnemonic once.`,
    flags: [...BASE, N_WORDS, URI],
    notes: [
      `JSON: { "wallet": { name, path, hotkey }, "${kind}": { ss58_address, public_key, mnemonic?, encrypted } }`,
    ],
    async run(ctx) {
      const w = await ctx.wallet();
      const files =
        kind === 'coldkey' ? [w.coldkeyFile, w.coldkeypubFile] : [w.hotkeyFile, w.hotkeypubFile];
      const overwrite = await overwriteDecision(ctx, files);
      const r = await keyOrUsage('--uri', () => makeKey(ctx, w, kind, overwrite));
      ctx.out.result(
        { wallet: walletJson(w), [kind]: keyJson(r.key, r.mnemonic, r.encrypted) },
        () =>
          [
            `Created ${kind} ${kind === 'hotkey' ? `'${w.hotkeyName}' ` : ''}of wallet '${w.name}': ${r.key.ss58Address}${r.encrypted ? ' (encrypted)' : ''}`,
            ...(r.mnemonic ? ['', mnemonicNotice(kind, r.mnemonic)] : []),
          ].join('\n'),
      );
    },
  });
}

/** `tao wallet new-coldkey`. */
export const walletNewColdkey = newKeyCommand('coldkey');
/** `tao wallet new-hotkey`. */
export const walletNewHotkey = newKeyCommand('hotkey');

/** The key source of a regen command (exactly one of --mnemonic, --seed, --uri, --json-file). */
async function regenSource(ctx: Context): Promise<KeySource> {
  const given = ['mnemonic', 'seed', 'uri', 'json-file'].filter((f) => ctx.flags.has(f));
  if (given.length > 1)
    throw new UsageError(`give only one of ${given.map((g) => `--${g}`).join(', ')}`);
  if (given.length === 0) {
    if (!ctx.canAsk) throw new UsageError('pass one of --mnemonic, --seed, --uri or --json-file');
    const answer = await ctx.ask(
      'Enter the mnemonic, the seed (0x…) or a secret URI: ',
      '--mnemonic',
      true,
    );
    if (answer.startsWith('0x')) return { seed: answer };
    if (answer.startsWith('/')) return { uri: answer };
    return { mnemonic: answer };
  }
  if (ctx.flags.has('mnemonic')) return { mnemonic: ctx.flags.words('mnemonic') as string };
  if (ctx.flags.has('seed')) return { seed: (ctx.flags.string('seed') as string).trim() };
  if (ctx.flags.has('uri')) {
    const source = { uri: normalizeUri(ctx.flags.string('uri') as string) };
    checkSource(source, ctx.flags.spelling('uri'));
    return source;
  }
  const file = ctx.flags.string('json-file') as string;
  const passphrase =
    ctx.flags.string('json-password') ??
    (await ctx.ask('Passphrase of the JSON export: ', '--json-password', true));
  const { readFile } = await import('node:fs/promises');
  let json: string;
  try {
    json = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--json-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  return { json, passphrase };
}

function regenCommand(kind: KeyKind) {
  return defineCommand({
    usage: `tao wallet regen-${kind} (--mnemonic WORDS… | --seed 0xHEX | --uri URI | --json-file F) [options]`,
    description: `Restores the ${kind} of a wallet from a mnemonic, seed, secret URI or polkadot.js export.`,
    flags: [...BASE, ...SOURCE_FLAGS],
    notes: [
      `JSON: { "wallet": { name, path, hotkey }, "${kind}": { ss58_address, public_key, encrypted } }`,
    ],
    async run(ctx) {
      const w = await ctx.wallet();
      const source = await regenSource(ctx);
      const files =
        kind === 'coldkey' ? [w.coldkeyFile, w.coldkeypubFile] : [w.hotkeyFile, w.hotkeypubFile];
      const overwrite = await overwriteDecision(ctx, files);
      const opts = writeOptions(ctx, overwrite);
      const flag = `--${Object.keys(source)[0] === 'json' ? 'json-file' : Object.keys(source)[0]}`;
      const key = await keyOrUsage(flag, () =>
        kind === 'coldkey' ? w.regenerateColdkey(source, opts) : w.regenerateHotkey(source, opts),
      );
      const encrypted = opts.usePassword ?? kind === 'coldkey';
      ctx.out.result(
        { wallet: walletJson(w), [kind]: keyJson(key, undefined, encrypted) },
        () =>
          `Restored ${kind} ${kind === 'hotkey' ? `'${w.hotkeyName}' ` : ''}of wallet '${w.name}': ${key.ss58Address}${encrypted ? ' (encrypted)' : ''}`,
      );
    },
  });
}

/** `tao wallet regen-coldkey`. */
export const walletRegenColdkey = regenCommand('coldkey');
/** `tao wallet regen-hotkey`. */
export const walletRegenHotkey = regenCommand('hotkey');

/** `tao wallet regen-coldkeypub`. */
export const walletRegenColdkeypub = defineCommand({
  usage: 'tao wallet regen-coldkeypub (--ss58 ADDRESS | --public-key-hex 0xHEX) [options]',
  description: 'Writes a watch-only coldkeypub.txt from an address or public key.',
  flags: [
    ...WALLET_FLAGS,
    OVERWRITE,
    ...OUTPUT_FLAGS,
    ...PROMPT_FLAGS,
    {
      name: 'ss58',
      kind: 'string',
      aliases: ['ss58-address', 'addr'],
      value: 'ADDRESS',
      help: 'The coldkey address',
    },
    {
      name: 'public-key-hex',
      kind: 'string',
      aliases: ['public-key', 'pubkey'],
      value: '0xHEX',
      help: 'The 32-byte coldkey public key',
    },
  ],
  notes: ['JSON: { "wallet": { name, path, hotkey }, "coldkeypub": { ss58_address, public_key } }'],
  async run(ctx) {
    const ss58 = ctx.flags.string('ss58');
    const hex = ctx.flags.string('public-key-hex');
    if ((ss58 === undefined) === (hex === undefined))
      throw new UsageError('pass exactly one of --ss58 or --public-key-hex');
    const w = await ctx.wallet();
    const overwrite = await overwriteDecision(ctx, [w.coldkeypubFile]);
    const flag =
      ss58 !== undefined ? ctx.flags.spelling('ss58') : ctx.flags.spelling('public-key-hex');
    const key = await keyOrUsage(flag, () =>
      w.regenerateColdkeypub(
        ss58 !== undefined ? { ss58Address: ss58.trim() } : { publicKey: (hex as string).trim() },
        { overwrite },
      ),
    );
    ctx.out.result(
      {
        wallet: walletJson(w),
        coldkeypub: { ss58_address: key.ss58Address, public_key: key.publicKey },
      },
      () => `Wrote coldkeypub.txt of wallet '${w.name}': ${key.ss58Address}`,
    );
  },
});

interface ListedWallet {
  name: string;
  coldkey_ss58: string | null;
  hotkeys: { name: string; ss58_address: string | null }[];
}

/** `tao wallet list`. */
export const walletList = defineCommand({
  usage: 'tao wallet list [--wallet-path DIR]',
  description: 'Shows every wallet under the wallets directory: coldkey address and hotkeys.',
  flags: [...WALLET_FLAGS, ...OUTPUT_FLAGS],
  notes: [
    'JSON: { "path", "wallets": [{ name, coldkey_ss58, hotkeys: [{ name, ss58_address }] }] }',
  ],
  async run(ctx) {
    const base = await ctx.wallet();
    const root = base.root;
    let names: string[] = [];
    try {
      names = (await readdir(root, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new UsageError(`${root}: cannot read (${(err as NodeJS.ErrnoException).code})`);
    }
    const { Wallet } = await import('@taoscript/sdk');
    const wallets: ListedWallet[] = [];
    for (const name of names) {
      const w = new Wallet({ name, path: root, env: ctx.env, homeDir: ctx.home, prompt: false });
      const cold = await w.getColdkeypub().then(
        (k) => k.ss58Address,
        () => null,
      );
      const hotkeys = [];
      for (const h of await w.listHotkeys()) {
        const hw = new Wallet({
          name,
          hotkey: h,
          path: root,
          env: ctx.env,
          homeDir: ctx.home,
          prompt: false,
        });
        hotkeys.push({
          name: h,
          ss58_address: await hw.getHotkeypub().then(
            (k) => k.ss58Address,
            () => null,
          ),
        });
      }
      wallets.push({ name, coldkey_ss58: cold, hotkeys });
    }
    ctx.out.result({ path: root, wallets }, () => {
      if (wallets.length === 0) return `No wallets in ${root} (create one with tao wallet create)`;
      const c = ctx.out.colors;
      const lines = [`Wallets (${root})`];
      wallets.forEach((w, i) => {
        const lastW = i === wallets.length - 1;
        lines.push(`${lastW ? '└──' : '├──'} ${c.bold(w.name)} (${w.coldkey_ss58 ?? '?'})`);
        w.hotkeys.forEach((h, j) => {
          const lastH = j === w.hotkeys.length - 1;
          lines.push(
            `${lastW ? '    ' : '│   '}${lastH ? '└──' : '├──'} ${h.name} (${h.ss58_address ?? '?'})`,
          );
        });
      });
      return lines.join('\n');
    });
  },
});
