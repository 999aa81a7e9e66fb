/**
 * The config file btcli keeps, `~/.bittensor/config.yml`: defaults for the network, the wallet and
 * staking. Keys as btcli names them; a null value means unset. Keys this tool does not know are
 * kept when the file is rewritten.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { UsageError } from '../io.js';

/** The largest config file read. */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** A config key's value type and check. */
interface KeyDef {
  kind: 'string' | 'boolean' | 'number';
  help: string;
  check?: (v: never) => string | undefined;
}

/** The keys `tao config` reads and writes. */
export const CONFIG_KEYS = {
  network: { kind: 'string', help: 'Network name or ws:// URL' },
  wallet_name: { kind: 'string', help: 'Wallet name' },
  wallet_path: { kind: 'string', help: 'Wallets directory' },
  wallet_hotkey: { kind: 'string', help: 'Hotkey name' },
  use_cache: { kind: 'boolean', help: 'Cache chain reads (accepted for btcli compatibility)' },
  safe_staking: { kind: 'boolean', help: 'Stake with a price limit by default' },
  allow_partial_stake: { kind: 'boolean', help: 'Let limit orders fill partially by default' },
  rate_tolerance: {
    kind: 'number',
    help: 'Price tolerance of safe staking (fraction, e.g. 0.005)',
    check: (v: number) => (v >= 0 && v < 1 ? undefined : 'must be a fraction in [0, 1)'),
  },
} as const satisfies Record<string, KeyDef>;

/** A config key. */
export type ConfigKey = keyof typeof CONFIG_KEYS;
/** The known values of a config file. */
export interface TaoConfig {
  network?: string;
  wallet_name?: string;
  wallet_path?: string;
  wallet_hotkey?: string;
  use_cache?: boolean;
  safe_staking?: boolean;
  allow_partial_stake?: boolean;
  rate_tolerance?: number;
}

/** The config file of a home directory. */
export function configPath(home: string): string {
  return join(home, '.bittensor', 'config.yml');
}

/** Checks one value for `key`; returns it typed, or throws a UsageError naming `where`. */
export function checkConfigValue(key: ConfigKey, value: unknown, where: string): unknown {
  const def: KeyDef = CONFIG_KEYS[key];
  if (typeof value !== def.kind)
    throw new UsageError(`${where}: ${key} must be a ${def.kind}, got ${JSON.stringify(value)}`);
  if (def.kind === 'string' && ((value as string).trim() === '' || (value as string).length > 4096))
    throw new UsageError(`${where}: ${key} must be a non-empty string`);
  if (def.kind === 'number' && !Number.isFinite(value))
    throw new UsageError(`${where}: ${key} must be a finite number`);
  const problem = def.check?.(value as never);
  if (problem) throw new UsageError(`${where}: ${key} ${problem}`);
  return value;
}

/** The whole file: known keys checked, unknown keys kept as they are. */
export interface ConfigFile {
  path: string;
  values: TaoConfig;
  raw: Record<string, unknown>;
}

/** Reads the config file (absent = empty); a malformed file is a UsageError naming it. */
export async function loadConfig(home: string): Promise<ConfigFile> {
  const path = configPath(home);
  let textContent: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path}: not a regular file`);
    if (info.size > MAX_CONFIG_BYTES)
      throw new UsageError(`${path}: larger than ${MAX_CONFIG_BYTES} bytes`);
    textContent = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path, values: {}, raw: {} };
    throw new UsageError(`${path}: cannot read (${code ?? (err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parse(textContent, { maxAliasCount: 16 });
  } catch (err) {
    const first = ((err as Error).message ?? '').split('\n')[0];
    throw new UsageError(`${path}: not valid YAML (${first})`);
  }
  if (doc === null || doc === undefined) return { path, values: {}, raw: {} };
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(`${path}: expected a mapping of keys to values`);
  const raw: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    raw[k] = v;
    if (v === null || v === undefined || !Object.hasOwn(CONFIG_KEYS, k)) continue;
    values[k] = checkConfigValue(k as ConfigKey, v, path);
  }
  return { path, values: values as TaoConfig, raw };
}

/** Writes `raw` to the config file atomically (directory created on demand). */
export async function saveConfig(path: string, raw: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, stringify(raw), { mode: 0o644 });
  await rename(tmp, path);
}
