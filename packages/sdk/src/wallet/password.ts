import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { WalletError } from './errors.js';
import { readKeyfileBytes } from './fs-io.js';
import { passwordToBytes } from './kdf.js';

/** Environment variables as read by the wallet (defaults to `process.env`). */
export type WalletEnv = Readonly<Record<string, string | undefined>>;

/** What a password prompt is asked for. */
export interface PasswordPromptRequest {
  /** Text to show, e.g. `Enter password to unlock key: /…/coldkey`. */
  message: string;
  /** The keyfile concerned. */
  path: string;
  /** `decrypt` to unlock, `encrypt` for a new password, `confirm` to retype it. */
  purpose: 'decrypt' | 'encrypt' | 'confirm';
  /** Why the previous answer was refused (weak password, mismatch). */
  error?: string;
}

/** Asks the user for a password; the answer is trimmed, as btwallet trims typed passwords. */
export type PasswordPrompt = (request: PasswordPromptRequest) => Promise<string>;

/**
 * btwallet's environment variable for a keyfile's password: `BT_PW_` + the tilde-expanded path
 * with `/` and `.` replaced by `_`, upper-cased.
 * @example
 * import { passwordEnvVarName } from '@taoscript/sdk';
 * passwordEnvVarName('/home/ubuntu/.bittensor/wallets/w1/coldkey');
 * // 'BT_PW__HOME_UBUNTU__BITTENSOR_WALLETS_W1_COLDKEY'
 */
export function passwordEnvVarName(keyfilePath: string): string {
  if (typeof keyfilePath !== 'string') throw new TypeError('keyfilePath must be a string');
  if (keyfilePath === '') throw new RangeError('keyfilePath must not be empty');
  return `BT_PW_${keyfilePath.replaceAll('/', '_').replaceAll('.', '_').toUpperCase()}`;
}

function xorWithName(data: Uint8Array, varName: string): Uint8Array {
  const key = new TextEncoder().encode(varName);
  if (key.length === 0) throw new RangeError('variable name must not be empty');
  return data.map((byte, i) => byte ^ key[i % key.length]!);
}

/**
 * btwallet's obfuscated env value: standard base64 of (password bytes XOR the variable name,
 * repeated). Obfuscation only, not security.
 * @example
 * import { encodePasswordForEnv, passwordEnvVarName } from '@taoscript/sdk';
 * const name = passwordEnvVarName('/home/me/.bittensor/wallets/w1/coldkey');
 * process.env[name] = encodePasswordForEnv(name, 'my password');
 */
export function encodePasswordForEnv(varName: string, password: string): string {
  if (typeof varName !== 'string') throw new TypeError('varName must be a string');
  return Buffer.from(xorWithName(passwordToBytes(password), varName)).toString('base64');
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u;

/**
 * Reverses {@link encodePasswordForEnv}; `PASSWORD_ENV_INVALID` for a value that is not
 * canonical base64 of UTF-8 (a plain-text password in the variable does not work, as in btwallet).
 * @example
 * import { decodePasswordFromEnv } from '@taoscript/sdk';
 * decodePasswordFromEnv('BT_PW_X', 'IzY8NDI5Pyo9NTs7MjYtJA=='); // 'abcdefghijklmnop'
 */
export function decodePasswordFromEnv(varName: string, value: string): string {
  if (typeof varName !== 'string' || typeof value !== 'string') {
    throw new TypeError('varName and value must be strings');
  }
  const invalid = (reason: string): WalletError =>
    new WalletError('PASSWORD_ENV_INVALID', `Environment variable ${varName} is not usable`, {
      details: reason,
      meta: [
        'Its value must be base64(password XOR variable name), as btwallet writes it;',
        'a plain-text password does not work. Use encodePasswordForEnv() to produce it.',
      ],
    });
  if (value.length > 8192 || !BASE64_RE.test(value)) throw invalid('not standard base64');
  const raw = Buffer.from(value, 'base64');
  if (raw.toString('base64') !== value) throw invalid('not canonical base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(xorWithName(raw, varName));
  } catch {
    throw invalid('does not decode to UTF-8 (wrong variable or wrong encoding)');
  }
}

/** Longest password file accepted. */
const MAX_PASSWORD_FILE_BYTES = 4096;

/**
 * Reads a password from a file: its UTF-8 text minus one trailing newline (`\n` or `\r\n`).
 * @example
 * import { readPasswordFile } from '@taoscript/sdk';
 * const password = await readPasswordFile('/run/secrets/coldkey-password');
 */
export async function readPasswordFile(path: string): Promise<string> {
  if (typeof path !== 'string') throw new TypeError('password file path must be a string');
  let data: Uint8Array;
  try {
    ({ data } = await readKeyfileBytes(path, MAX_PASSWORD_FILE_BYTES));
  } catch (e) {
    throw new WalletError('PASSWORD_FILE_INVALID', 'Password file cannot be used', {
      path,
      cause: e,
      details: e instanceof WalletError ? e.shortMessage : String(e),
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch (cause) {
    throw new WalletError('PASSWORD_FILE_INVALID', 'Password file is not UTF-8', { path, cause });
  }
  const password = text.replace(/\r?\n$/u, '');
  if (password === '') {
    throw new WalletError('PASSWORD_FILE_INVALID', 'Password file is empty', { path });
  }
  return password;
}

/** Streams for {@link ttyPasswordPrompt} (default: stdin and stderr). */
export interface TtyPromptOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * A password prompt on the terminal with echo off (node:readline over a muted output).
 * Ctrl-C or end of input rejects with `PASSWORD_PROMPT_CANCELLED`.
 * @example
 * import { ttyPasswordPrompt } from '@taoscript/sdk';
 * const prompt = ttyPasswordPrompt();
 * const pw = await prompt({ message: 'Password: ', path: 'coldkey', purpose: 'decrypt' });
 */
export function ttyPasswordPrompt(opts: TtyPromptOptions = {}): PasswordPrompt {
  return (request) =>
    new Promise<string>((resolve, reject) => {
      const input = opts.input ?? process.stdin;
      const output = opts.output ?? process.stderr;
      if (request.error !== undefined) output.write(`${request.error}\n`);
      output.write(request.message);
      // Everything readline would echo goes here and is dropped.
      const muted = new Writable({
        write(_chunk, _encoding, callback) {
          callback();
        },
      });
      const rl = createInterface({ input, output: muted, terminal: true, historySize: 0 });
      let answered = false;
      rl.on('SIGINT', () => {
        rl.close();
      });
      rl.on('close', () => {
        output.write('\n');
        if (!answered) {
          reject(new WalletError('PASSWORD_PROMPT_CANCELLED', 'Password entry was cancelled'));
        }
      });
      rl.question('', (answer) => {
        answered = true;
        rl.close();
        resolve(answer);
      });
    });
}

/**
 * Password strength as btwallet scores it (the `passwords` crate 3.x scorer, without its
 * common-password list): 0 (trivial) to 100.
 * @example
 * import { passwordStrength } from '@taoscript/sdk';
 * passwordStrength('kq4zpz13'); // 62
 */
export function passwordStrength(password: string): number {
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  let length = 0;
  let spaces = 0;
  let numbers = 0;
  let lower = 0;
  let upper = 0;
  let symbols = 0;
  let others = 0;
  let consecutive = 0;
  let progressive = 0;
  let lastCode = 0xffff_ffff;
  let lastStep = 0x7fff_ffff;
  let lastStepConsecutive = false;
  let lastStepRepeat = false;
  let lastCodeConsecutive = false;
  const counts = new Map<number, number>();
  for (const ch of password) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x1f || code === 0x7f) continue;
    length++;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    if (lastCode === code) {
      consecutive += lastCodeConsecutive ? 1 : 2;
      lastCodeConsecutive = true;
      lastStepConsecutive = false;
    } else {
      lastCodeConsecutive = false;
      // Rust: `last_char_code as i32 - char_code as i32` (u32::MAX as i32 is -1).
      const step = (lastCode | 0) - code;
      lastCode = code;
      if (lastStep === step) {
        if (lastStepConsecutive) {
          progressive += 1;
        } else {
          lastStepConsecutive = true;
          progressive += lastStepRepeat ? 2 : 3;
          lastStepRepeat = true;
        }
      } else {
        lastStep = step;
        if (lastStepConsecutive) lastStepConsecutive = false;
        else lastStepRepeat = false;
      }
    }
    if (code >= 48 && code <= 57) numbers++;
    else if (code >= 65 && code <= 90) upper++;
    else if (code >= 97 && code <= 122) lower++;
    else if (code === 32) spaces++;
    else if (
      (code >= 33 && code <= 47) ||
      (code >= 58 && code <= 64) ||
      (code >= 91 && code <= 96) ||
      (code >= 123 && code <= 126)
    )
      symbols++;
    else others++;
  }
  let repeated = 0;
  for (const n of counts.values()) if (n > 1) repeated += n;
  const nonConsecutive = repeated - consecutive;

  const table = [0, 2, 5, 9, 16, 25, 40, 58, 80, 88, 95, 100];
  const plain = length - others;
  const max = plain <= 11 ? table[plain]! : 100 + length - 11;
  let score = max;
  if (score > 0) {
    if (spaces >= 1) score += spaces;
    if (numbers === 0) score -= max * 0.05;
    if (lower === 0) score -= max * 0.1;
    if (upper === 0) score -= max * 0.1;
    if (spaces === 0) score -= max * 0.1;
    if (lower >= 1 && upper >= 1) score += 1;
    if (symbols >= 1) score += 1;
    score -= max * (consecutive / length / 5);
    score -= max * (progressive / length / 5);
    score -= max * (nonConsecutive / length / 10);
  }
  if (score < 0) score = 0;
  else if (score > max) score = max;
  score += others * 20;
  return Math.min(score, 100);
}

/** Result of {@link checkPasswordPolicy}. */
export type PasswordPolicyResult =
  | { ok: true; score: number }
  | { ok: false; score: number; reason: string };

/**
 * btwallet's rule for new passwords: at least 6 UTF-8 bytes and a strength score of at least 20.
 * @example
 * import { checkPasswordPolicy } from '@taoscript/sdk';
 * checkPasswordPolicy('abc').ok; // false
 */
export function checkPasswordPolicy(password: string): PasswordPolicyResult {
  const bytes = passwordToBytes(password);
  const score = passwordStrength(password);
  if (bytes.length < 6 || score < 20) {
    return {
      ok: false,
      score,
      reason:
        'Password not strong enough. Try increasing the length of the password or the password complexity.',
    };
  }
  return { ok: true, score };
}

/** Where a password may come from, in the order they are tried. */
export interface PasswordSources {
  /** The password itself (used as is, not trimmed). */
  password?: string;
  /** A file holding the password (one trailing newline is ignored). */
  passwordFile?: string;
  /** Environment to read btwallet's `BT_PW_…` variable from; `false` to skip it. */
  env?: WalletEnv | false;
  /** Prompt to ask with; `false` never prompts. Default: a TTY prompt when stdin is a terminal. */
  prompt?: PasswordPrompt | false;
}

function defaultPrompt(): PasswordPrompt | undefined {
  return process.stdin.isTTY === true ? ttyPasswordPrompt() : undefined;
}

async function ask(prompt: PasswordPrompt, request: PasswordPromptRequest): Promise<string> {
  const answer = await prompt(request);
  if (typeof answer !== 'string') throw new TypeError('password prompt must resolve to a string');
  return answer.trim();
}

function noPassword(path: string, varName: string): WalletError {
  return new WalletError('PASSWORD_REQUIRED', 'A password is needed but none was provided', {
    path,
    meta: [
      'Pass a password or password file, run on a terminal to be prompted,',
      `or set ${varName} to encodePasswordForEnv(name, password) (btwallet's encoding).`,
    ],
  });
}

/** The password `sources` give without asking: explicit, file, then btwallet's env variable. */
async function givenPassword(path: string, sources: PasswordSources): Promise<string | undefined> {
  if (sources.password !== undefined) return sources.password;
  if (sources.passwordFile !== undefined) return readPasswordFile(sources.passwordFile);
  if (sources.env === false) return undefined;
  const varName = passwordEnvVarName(path);
  const value = (sources.env ?? process.env)[varName];
  return value === undefined ? undefined : decodePasswordFromEnv(varName, value);
}

/** The prompt to ask with; `PASSWORD_REQUIRED` when there is none. */
function promptOf(path: string, sources: PasswordSources): PasswordPrompt {
  const prompt = sources.prompt === false ? undefined : (sources.prompt ?? defaultPrompt());
  if (prompt === undefined) throw noPassword(path, passwordEnvVarName(path));
  return prompt;
}

/** The password to unlock `path`: explicit, file, btwallet env variable, then prompt. */
export async function resolveUnlockPassword(
  path: string,
  sources: PasswordSources,
): Promise<string> {
  if (sources.password !== undefined) passwordToBytes(sources.password);
  const given = await givenPassword(path, sources);
  if (given !== undefined) return given;
  return ask(promptOf(path, sources), {
    message: `Enter your password to unlock key: ${path}\n`,
    path,
    purpose: 'decrypt',
  });
}

const PROMPT_ATTEMPTS = 3;

/**
 * The password to encrypt `path` with. Explicit, file and env passwords are used as given
 * (non-empty); a prompted one must pass {@link checkPasswordPolicy} and be retyped.
 */
export async function resolveNewPassword(path: string, sources: PasswordSources): Promise<string> {
  const given = await givenPassword(path, sources);
  if (given !== undefined) {
    passwordToBytes(given);
    if (given === '') throw new RangeError('an encryption password must not be empty');
    return given;
  }
  const prompt = promptOf(path, sources);
  let error: string | undefined;
  let lastCode: 'PASSWORD_TOO_WEAK' | 'PASSWORD_MISMATCH' = 'PASSWORD_TOO_WEAK';
  for (let attempt = 0; attempt < PROMPT_ATTEMPTS; attempt++) {
    const password = await ask(prompt, {
      message: `Specify password for key encryption: ${path}\n`,
      path,
      purpose: 'encrypt',
      ...(error === undefined ? {} : { error }),
    });
    const policy = checkPasswordPolicy(password);
    if (!policy.ok) {
      error = policy.reason;
      lastCode = 'PASSWORD_TOO_WEAK';
      continue;
    }
    const again = await ask(prompt, {
      message: 'Retype your password: ',
      path,
      purpose: 'confirm',
    });
    if (again === password) return password;
    error = 'Passwords do not match.';
    lastCode = 'PASSWORD_MISMATCH';
  }
  throw new WalletError(
    lastCode,
    lastCode === 'PASSWORD_MISMATCH' ? 'Passwords do not match' : 'Password not strong enough',
    { path, meta: [`Gave up after ${PROMPT_ATTEMPTS} attempts.`] },
  );
}
