// Helpers shared by the wallet tests (not exported from the package).
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WalletLogger } from './logger.js';
import type { PasswordPrompt, PasswordPromptRequest } from './password.js';

const VECTORS = new URL('../../test/vectors/', import.meta.url);

/** Parses a vector file copied into packages/sdk/test/vectors. */
export async function loadVector<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(new URL(name, VECTORS), 'utf8')) as T;
}

/** A fresh temporary directory (never the real home) and its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'taoscript-wallet-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every entry under `dir`: type, permission bits, and file bytes or link target. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const path = join(dir, rel, entry.name);
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const st = await lstat(path);
      const mode = (st.mode & 0o7777).toString(8);
      if (entry.isSymbolicLink()) out[name] = `link ${mode} -> ${await readlink(path)}`;
      else if (entry.isDirectory()) {
        out[name] = `dir ${mode}`;
        await walk(name);
      } else if (entry.isFile()) {
        out[name] = `file ${mode} ${(await readFile(path)).toString('hex')}`;
      } else out[name] = `other ${mode}`;
    }
  };
  await walk('');
  return out;
}

/** A logger that keeps its warnings. */
export function recordingLogger(): WalletLogger & { warnings: { obj: object; msg?: string }[] } {
  const warnings: { obj: object; msg?: string }[] = [];
  return {
    warnings,
    warn(obj, msg) {
      warnings.push(msg === undefined ? { obj } : { obj, msg });
    },
  };
}

/** A prompt answering from a script and recording what it was asked. */
export function scriptedPrompt(
  answers: string[],
): PasswordPrompt & { requests: PasswordPromptRequest[] } {
  const requests: PasswordPromptRequest[] = [];
  const prompt = async (request: PasswordPromptRequest): Promise<string> => {
    requests.push(request);
    const answer = answers.shift();
    if (answer === undefined) throw new Error('scripted prompt ran out of answers');
    return answer;
  };
  return Object.assign(prompt, { requests });
}

/** Shapes of the vector files used by the tests. */
export interface KeyfileNaclVector {
  kdf: { salt_hex: string; opslimit: number; memlimit_bytes: number; memlimit_kib: number };
  key_source: { mnemonic: string; mini_secret: string; public_key: string; ss58: string };
  plaintext: string;
  private_key_ed25519_form_js: string;
  coldkeypub_txt_plaintext: string;
  cases: {
    id: string;
    password: string;
    password_utf8_hex: string;
    derived_key_hex: string;
    nonce_hex?: string;
    file_hex: string;
  }[];
}

export interface Ss58Vector {
  mnemonics: {
    mnemonic: string;
    entropy: string;
    mini_secret: string;
    public_key: string;
    ss58: string;
    secret_key_ed25519_form: string;
    secret_key_canonical_form: string;
  }[];
  derivations: { uri: string; path: string; public_key: string; ss58: string }[];
}

export interface LegacyVector {
  plaintext: string;
  plaintext_key: { mnemonic: string; public_key: string; ss58: string };
  ansible_vault: { password: string; file_text: string };
  ansible_vault_1_2: { password: string; file_text: string };
  ansible_vault_real_cli: { password: string; file_text: string; plaintext: string };
  fernet: { password: string; file_text: string };
  polkadot_json: {
    password: string;
    json: unknown;
    expect_public_key: string;
    expect_ss58: string;
    expect_private_key_canonical: string;
  };
  polkadot_json_ed25519: { password: string; json: unknown };
}
