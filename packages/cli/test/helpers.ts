/**
 * Test helpers: run `tao` in-process with captured output, a scratch HOME per test file (so the
 * real ~/.bittensor is never read or written), dev wallets from URIs, and block production.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rpcCall, type SpawnedNode, spawnDevNode } from '@taoscript/testkit';
import type { Io } from '../src/io.js';
import { main } from '../src/main.js';

/** What one run printed. */
export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Options of one run. */
export interface RunOptions {
  /** Answers to questions, in order (a run that asks more fails the test). */
  answers?: string[];
  /** Extra environment (merged over the scratch HOME). */
  env?: Record<string, string>;
  /** Treat the run as having a terminal (prompts allowed) even without answers. */
  tty?: boolean;
  /** Colour human output (default off). */
  color?: boolean;
}

/** A scratch home with a wallets directory, and a `tao` runner bound to it. */
export class Sandbox {
  readonly home: string;
  readonly wallets: string;
  /** Every question asked, across runs. */
  readonly asked: string[] = [];

  constructor(prefix = 'tao-cli-') {
    this.home = mkdtempSync(join(tmpdir(), prefix));
    this.wallets = join(this.home, 'wallets');
  }

  /** Runs `tao …` in-process. */
  async tao(args: string[], opts: RunOptions = {}): Promise<Run> {
    let out = '';
    let err = '';
    const answers = [...(opts.answers ?? [])];
    const interactive = opts.answers !== undefined || opts.tty === true;
    const io: Io = {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
      env: { HOME: this.home, ...opts.env },
      isTTY: interactive,
      color: opts.color ?? false,
      ...(interactive
        ? {
            prompt: async (question: string) => {
              this.asked.push(question);
              const a = answers.shift();
              if (a === undefined) throw new Error(`unexpected question: ${question}`);
              return a;
            },
          }
        : {}),
    };
    const code = await main(args, io);
    return { code, out, err };
  }

  /** Runs and parses the one JSON document on stdout; asserts exit 0. */
  async json<T = Record<string, unknown>>(args: string[], opts: RunOptions = {}): Promise<T> {
    const r = await this.tao([...args, '--json-output'], opts);
    assert.equal(r.code, 0, `tao ${args.join(' ')} failed: ${r.err}`);
    return JSON.parse(r.out) as T;
  }

  /** Removes the scratch home. */
  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** A failed run: `code`, exactly one line on stderr matching `mentions`, no stack trace. */
export function assertFailed(r: Run, code: number, mentions: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}, stderr: ${r.err}`);
  const lines = r.err.trimEnd().split('\n');
  const errorLines = lines.filter((l) => l.startsWith('error: '));
  assert.equal(errorLines.length, 1, r.err);
  assert.match(errorLines[0] as string, mentions);
  assert.doesNotMatch(r.err, /\n\s+at /);
  if (code === 2) assert.equal(r.out, '');
}

/** The dev node every test file shares (one per file). */
export async function startNode(): Promise<SpawnedNode> {
  return spawnDevNode();
}

/** Seals `n` empty blocks. */
export async function produceBlocks(node: SpawnedNode, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await rpcCall(node.httpUrl, 'engine_createBlock', [true, true]);
    assert.equal(r.error, undefined, JSON.stringify(r.error));
  }
}

/** Network flags for a node. */
export function net(node: SpawnedNode): string[] {
  return ['--chain-endpoint', node.wsUrl];
}

/** Makes a plain (unencrypted) wallet `name` whose coldkey and default hotkey come from URIs. */
export async function devWallet(
  box: Sandbox,
  name: string,
  coldUri: string,
  hotUri: string,
  hotkey = 'default',
): Promise<{ coldkey: string; hotkey: string }> {
  const base = ['--wallet-path', box.wallets, '--wallet-name', name, '--no-use-password', '-y'];
  const c = await box.json<{ coldkey: { ss58_address: string } }>([
    'wallet',
    'regen-coldkey',
    ...base,
    '--uri',
    coldUri,
  ]);
  const h = await box.json<{ hotkey: { ss58_address: string } }>([
    'wallet',
    'regen-hotkey',
    ...base,
    '--hotkey',
    hotkey,
    '--uri',
    hotUri,
  ]);
  return { coldkey: c.coldkey.ss58_address, hotkey: h.hotkey.ss58_address };
}

/** `--wallet-path <box> --wallet-name <name>`. */
export function walletFlags(box: Sandbox, name: string, hotkey?: string): string[] {
  return [
    '--wallet-path',
    box.wallets,
    '--wallet-name',
    name,
    ...(hotkey !== undefined ? ['--hotkey', hotkey] : []),
  ];
}
