/**
 * Neuron flags (sdk.md §6.5): dotted, dashed and underscored spellings, `BT_*` environment
 * equivalents, defaults, and flags a subnet adds for itself.
 */
import { isIP } from 'node:net';
import {
  DEFAULT_HOTKEY_NAME,
  DEFAULT_WALLET_NAME,
  DEFAULT_WALLET_PATH,
  resolveNetwork,
} from '@taoscript/sdk';
import { NeuronError } from './errors.js';
import type { LogLevel } from './logger.js';

/** Which kind of neuron a config is for. */
export type NeuronRole = 'miner' | 'validator';

/** Value kinds a flag can take. */
export type FlagType = 'string' | 'int' | 'float' | 'bool' | 'ip';

/** One flag: its kind, default, bounds and help. */
export interface FlagSpec {
  type: FlagType;
  help: string;
  default?: string | number | boolean;
  /** Inclusive bounds of `int` / `float` flags. */
  min?: number;
  max?: number;
  /** Allowed values of a `string` flag. */
  choices?: readonly string[];
  /** Roles that accept the flag (default: both). */
  roles?: readonly NeuronRole[];
  /** Other spellings, e.g. `network` for `subtensor.network`. */
  aliases?: readonly string[];
  /** Environment variable (default `BT_` + the key upper-cased with `.` → `_`); false for none. */
  env?: string | false;
}

/** Flags keyed by their dotted name (`inference.model`). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type ValueOf<S> = S extends { type: 'bool' }
  ? boolean
  : S extends { type: 'int' | 'float' }
    ? number
    : string;
/** The parsed value of a flag: absent only when it has no default (booleans default to false). */
export type FlagValue<S> = S extends { type: 'bool' }
  ? boolean
  : S extends { default: string | number | boolean }
    ? ValueOf<S>
    : ValueOf<S> | undefined;
/** Parsed values of a set of flags. */
export type FlagValues<F extends FlagSpecs> = { -readonly [K in keyof F]: FlagValue<F[K]> };

/** A neuron's configuration (camelCase fields of the §6.5 flags). */
export interface NeuronConfig<Extra = Record<string, never>> {
  role: NeuronRole;
  netuid: number;
  wallet: { name: string; hotkey: string; path: string };
  subtensor: {
    /** `--subtensor.network` as given (default `local`). */
    network: string;
    chainEndpoint: string | undefined;
    /** The endpoint to connect to (chain_endpoint, else the network's). */
    url: string;
  };
  axon: {
    ip: string;
    port: number;
    externalIp: string | undefined;
    externalPort: number | undefined;
    maxWorkers: number;
  };
  logging: { level: LogLevel; loggingDir: string };
  neuron: {
    name: string;
    device: string;
    /** Blocks between metagraph resyncs and between weight settings. */
    epochLength: number;
    /** Milliseconds between loop steps. */
    stepIntervalMs: number;
    /** Milliseconds the current block number is cached. */
    blockCacheMs: number;
    /** Seconds a validator waits for a miner. */
    timeout: number;
    sampleSize: number;
    numConcurrentForwards: number;
    disableSetWeights: boolean;
    movingAverageAlpha: number;
    axonOff: boolean;
    vpermitTaoLimit: number;
  };
  blacklist: {
    forceValidatorPermit: boolean;
    allowNonRegistered: boolean;
    /** TAO a caller must have staked (0: no check). */
    minStake: number;
  };
  /** Values of the subnet's own flags. */
  extra: Extra;
  /** `--help` / `-h` was given. */
  help: boolean;
}

const MINER = ['miner'] as const;
const VALIDATOR = ['validator'] as const;

/** The template's flags, with the Python template's defaults (network: `local`). */
export const NEURON_FLAGS = {
  netuid: { type: 'int', default: 1, min: 0, max: 65_535, help: 'Subnet netuid' },
  'wallet.name': { type: 'string', default: DEFAULT_WALLET_NAME, help: 'Wallet name' },
  'wallet.hotkey': {
    type: 'string',
    default: DEFAULT_HOTKEY_NAME,
    aliases: ['hotkey'],
    help: 'Hotkey name',
  },
  'wallet.path': { type: 'string', default: DEFAULT_WALLET_PATH, help: 'Wallets root' },
  'subtensor.network': {
    type: 'string',
    default: 'local',
    aliases: ['network'],
    help: 'Network name (local, test, finney, archive) or ws(s):// URL',
  },
  'subtensor.chain_endpoint': {
    type: 'string',
    aliases: ['chain_endpoint'],
    help: 'Chain endpoint (wins over --subtensor.network)',
  },
  'axon.port': { type: 'int', default: 8091, min: 0, max: 65_535, help: 'Axon port (0: any)' },
  'axon.ip': { type: 'ip', default: '0.0.0.0', help: 'Address the axon binds' },
  'axon.external_ip': { type: 'ip', help: 'Address published on chain' },
  'axon.external_port': { type: 'int', min: 1, max: 65_535, help: 'Port published on chain' },
  'axon.max_workers': {
    type: 'int',
    default: 10,
    min: 1,
    max: 10_000,
    help: 'Concurrent handlers',
  },
  'logging.debug': { type: 'bool', help: 'Log at debug level' },
  'logging.trace': { type: 'bool', help: 'Log at trace level' },
  'logging.info': { type: 'bool', help: 'Log at info level (the default)' },
  'logging.logging_dir': {
    type: 'string',
    default: '~/.bittensor/miners',
    help: 'Root of the neuron state directories',
  },
  'neuron.name': { type: 'string', help: 'State directory name' },
  'neuron.device': { type: 'string', default: 'cpu', help: 'Device for models' },
  'neuron.epoch_length': {
    type: 'int',
    default: 100,
    min: 1,
    max: 1_000_000,
    help: 'Blocks between metagraph resyncs / weight settings',
  },
  'neuron.step_interval_ms': {
    type: 'int',
    min: 1,
    max: 86_400_000,
    help: 'Milliseconds between steps',
  },
  'neuron.block_cache_ms': {
    type: 'int',
    default: 12_000,
    min: 0,
    max: 86_400_000,
    help: 'Milliseconds the block number is cached',
  },
  'blacklist.force_validator_permit': {
    type: 'bool',
    roles: MINER,
    help: 'Refuse callers without a validator permit',
  },
  'blacklist.allow_non_registered': {
    type: 'bool',
    roles: MINER,
    help: 'Serve hotkeys not registered on the subnet',
  },
  'blacklist.min_stake': {
    type: 'float',
    default: 0,
    min: 0,
    max: 21_000_000,
    roles: MINER,
    help: 'TAO a caller must have staked',
  },
  'neuron.timeout': {
    type: 'float',
    default: 10,
    min: 0.001,
    max: 3600,
    roles: VALIDATOR,
    help: 'Seconds to wait for miners',
  },
  'neuron.num_concurrent_forwards': {
    type: 'int',
    default: 1,
    min: 1,
    max: 256,
    roles: VALIDATOR,
    help: 'Forwards run at once',
  },
  'neuron.sample_size': {
    type: 'int',
    default: 50,
    min: 1,
    max: 65_535,
    roles: VALIDATOR,
    help: 'Miners queried per forward',
  },
  'neuron.disable_set_weights': { type: 'bool', roles: VALIDATOR, help: 'Never set weights' },
  'neuron.moving_average_alpha': {
    type: 'float',
    default: 0.1,
    min: 0,
    max: 1,
    roles: VALIDATOR,
    help: 'Weight of new rewards in the score average',
  },
  'neuron.axon_off': { type: 'bool', roles: VALIDATOR, help: 'Do not serve an axon' },
  'neuron.vpermit_tao_limit': {
    type: 'float',
    default: 4096,
    min: 0,
    max: 21_000_000,
    roles: VALIDATOR,
    help: 'Permitted validators with more stake (TAO) are not queried',
  },
} as const satisfies FlagSpecs;

type TemplateFlags = typeof NEURON_FLAGS;

/**
 * A subnet's own defaults for template flags, e.g. `{ 'neuron.timeout': 5 }`: they replace the
 * template's default (a flag or `BT_*` variable still wins); flags of the other role are ignored.
 */
export type NeuronFlagDefaults = {
  readonly [K in keyof TemplateFlags]?: ValueOf<TemplateFlags[K]>;
};

/** Template defaults that depend on the role (the flags have no single default). */
const ROLE_DEFAULTS: Readonly<Record<NeuronRole, Readonly<Record<string, string | number>>>> = {
  miner: { 'neuron.name': 'miner', 'neuron.step_interval_ms': 12_000 },
  validator: { 'neuron.name': 'validator', 'neuron.step_interval_ms': 5_000 },
};

const MAX_ARGS = 1024;
const MAX_ARG_CHARS = 4096;
const KEY = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

const normalize = (name: string) => name.toLowerCase().replace(/[-.]/g, '_');

function configError(message: string, meta: string[] = []): NeuronError {
  return new NeuronError('CONFIG_INVALID', message, {
    meta: [...meta, 'Run with --help to list the flags.'],
  });
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1);
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

function parseValue(key: string, spec: FlagSpec, raw: string, source: string): unknown {
  const bad = (why: string) => configError(`${source}: ${why}, got ${JSON.stringify(raw)}`);
  switch (spec.type) {
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw bad('expected true or false');
    }
    case 'int':
    case 'float': {
      const text = raw.trim();
      const ok = spec.type === 'int' ? /^[+-]?\d+$/.test(text) : text !== '';
      const n = Number(text);
      if (!ok || !Number.isFinite(n))
        throw bad(spec.type === 'int' ? 'expected an integer' : 'expected a number');
      if (spec.type === 'int' && !Number.isSafeInteger(n)) throw bad('integer out of range');
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        throw bad(`expected a value in ${spec.min ?? '-∞'}..${spec.max ?? '∞'}`);
      return n;
    }
    case 'ip':
      if (isIP(raw) === 0) throw bad('expected an IPv4 or IPv6 address');
      return raw;
    case 'string':
      if (raw === '') throw bad('expected a non-empty value');
      if (spec.choices && !spec.choices.includes(raw))
        throw bad(`expected one of ${spec.choices.join(', ')}`);
      return raw;
    default:
      throw new TypeError(`flag ${key}: unknown type ${String((spec as FlagSpec).type)}`);
  }
}

/** The JavaScript type of a flag's values. */
const jsType = (type: FlagType) =>
  type === 'int' || type === 'float' ? 'number' : type === 'bool' ? 'boolean' : 'string';

/**
 * Checks a subnet's template-flag defaults (TypeError for an unknown flag or a value of the wrong
 * type, RangeError for a value the flag refuses); returns those that apply to `role`.
 */
function checkDefaults(
  defaults: unknown,
  role: NeuronRole,
): Map<string, string | number | boolean> {
  const out = new Map<string, string | number | boolean>();
  if (defaults === undefined) return out;
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults))
    throw new TypeError('defaults must be an object of template flag defaults');
  const template: FlagSpecs = NEURON_FLAGS;
  for (const [key, value] of Object.entries(defaults)) {
    if (value === undefined) continue;
    const spec = Object.hasOwn(template, key) ? template[key] : undefined;
    if (spec === undefined)
      throw new TypeError(
        `defaults: ${key} is not a template flag (a subnet flag takes its default from its spec)`,
      );
    const want = jsType(spec.type);
    if (typeof value !== want) throw new TypeError(`defaults: ${key} must be a ${want}`);
    try {
      parseValue(key, spec, String(value), `defaults: ${key}`);
    } catch (err) {
      if (err instanceof NeuronError) throw new RangeError(err.shortMessage);
      throw err;
    }
    if (spec.roles && !spec.roles.includes(role)) continue;
    out.set(key, value as string | number | boolean);
  }
  return out;
}

/** The default of `key` before flags and environment: the subnet's, the role's, the spec's. */
function defaultOf(
  key: string,
  spec: FlagSpec,
  role: NeuronRole,
  defaults: ReadonlyMap<string, string | number | boolean>,
): string | number | boolean | undefined {
  return defaults.get(key) ?? ROLE_DEFAULTS[role][key] ?? spec.default;
}

/** The environment variable of a flag: its `env`, else `BT_` + the key upper-cased, `.` → `_`. */
const envNameOf = (key: string, spec: FlagSpec): string =>
  typeof spec.env === 'string' ? spec.env : `BT_${key.toUpperCase().replace(/\./g, '_')}`;

function checkSpecs(specs: FlagSpecs): void {
  for (const [key, spec] of Object.entries(specs)) {
    if (!KEY.test(key))
      throw new TypeError(`flag name ${JSON.stringify(key)} is not dotted lower-case`);
    if (typeof spec !== 'object' || spec === null || typeof spec.help !== 'string')
      throw new TypeError(`flag ${key}: expected { type, help, ... }`);
    if (!['string', 'int', 'float', 'bool', 'ip'].includes(spec.type))
      throw new TypeError(`flag ${key}: unknown type ${String(spec.type)}`);
    if (spec.default !== undefined) {
      const want = jsType(spec.type);
      if (typeof spec.default !== want)
        throw new TypeError(`flag ${key}: default must be a ${want}`);
    }
  }
}

/** Options of {@link parseNeuronConfig}. */
export interface ParseNeuronConfigOptions<F extends FlagSpecs> {
  role: NeuronRole;
  /** The subnet's own flags (keys must not clash with the template's). */
  flags?: F;
  /**
   * The subnet's defaults for template flags (`{ 'neuron.timeout': 5 }`). Precedence: flag,
   * then `BT_*` variable, then these, then the template's default.
   */
  defaults?: NeuronFlagDefaults;
}

/**
 * Parses neuron flags: `--key value` or `--key=value`, any of `.`, `-`, `_` as separators
 * (`--wallet.name`, `--wallet-name`, `--wallet_name`), booleans as bare `--flag` (or `=true/false`);
 * unset flags come from `BT_*` environment variables (`BT_AXON_PORT`, `BT_WALLET_NAME`, …), then
 * `options.defaults` (the subnet's), then the template's defaults. Unknown flags, flags of the
 * other role and bad values throw `NeuronError` (`CONFIG_INVALID`); bad `options` throw
 * `TypeError` / `RangeError`.
 * @example
 * import { parseNeuronConfig } from '@taoscript/subnet';
 * const config = parseNeuronConfig(['--netuid', '3', '--wallet-name', 'miner'], process.env, {
 *   role: 'miner',
 *   flags: { 'inference.model': { type: 'string', default: 'tiny', help: 'Model' } },
 *   defaults: { 'blacklist.force_validator_permit': true },
 * });
 * config.extra['inference.model']; // 'tiny'
 */
export function parseNeuronConfig<const F extends FlagSpecs = Record<string, never>>(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: ParseNeuronConfigOptions<F>,
): NeuronConfig<FlagValues<F>> {
  if (!Array.isArray(argv)) throw new TypeError('argv must be an array of strings');
  if (argv.length > MAX_ARGS) throw new RangeError(`at most ${MAX_ARGS} arguments are accepted`);
  if (typeof env !== 'object' || env === null) throw new TypeError('env must be an object');
  if (typeof options !== 'object' || options === null)
    throw new TypeError('options must be an object');
  const role = options.role;
  if (role !== 'miner' && role !== 'validator')
    throw new TypeError("options.role must be 'miner' or 'validator'");
  const extra: FlagSpecs = options.flags ?? {};
  checkSpecs(extra);
  const defaults = checkDefaults(options.defaults, role);
  const specs: Record<string, FlagSpec> = { ...NEURON_FLAGS };
  for (const key of Object.keys(extra)) {
    if (Object.hasOwn(specs, key)) throw new TypeError(`flag ${key} is already a template flag`);
    specs[key] = extra[key] as FlagSpec;
  }
  // Every spelling (normalised) → canonical key.
  const names = new Map<string, string>();
  for (const [key, spec] of Object.entries(specs))
    for (const name of [key, ...(spec.aliases ?? [])]) {
      const n = normalize(name);
      const other = names.get(n);
      if (other !== undefined && other !== key)
        throw new TypeError(`flags ${other} and ${key} have the same spelling ${name}`);
      names.set(n, key);
    }

  const values = new Map<string, unknown>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (typeof tok !== 'string') throw new TypeError(`argument ${i} is not a string`);
    if (tok.length > MAX_ARG_CHARS)
      throw new RangeError(`argument ${i} is longer than ${MAX_ARG_CHARS} characters`);
    if (tok === '--help' || tok === '-h') {
      help = true;
      continue;
    }
    if (!tok.startsWith('--') || tok.length === 2)
      throw configError(`unexpected argument ${JSON.stringify(tok)}`);
    const eq = tok.indexOf('=');
    const name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
    const inline = eq < 0 ? undefined : tok.slice(eq + 1);
    const key = names.get(normalize(name));
    if (key === undefined) {
      const n = normalize(name);
      let best: string | undefined;
      let bestD = Number.POSITIVE_INFINITY;
      for (const [cand, k] of names) {
        const d = distance(n, cand);
        if (d < bestD && (specs[k]?.roles ?? [role]).includes(role)) {
          bestD = d;
          best = k;
        }
      }
      throw configError(
        `unknown flag --${name}`,
        best !== undefined && bestD <= 3 ? [`Did you mean --${best}?`] : [],
      );
    }
    const spec = specs[key] as FlagSpec;
    if (spec.roles && !spec.roles.includes(role))
      throw configError(`--${key} is a ${spec.roles.join('/')} flag; this neuron is a ${role}`);
    let raw: string;
    if (spec.type === 'bool') raw = inline ?? 'true';
    else if (inline !== undefined) raw = inline;
    else {
      const next = argv[i + 1];
      if (typeof next !== 'string' || next.startsWith('--'))
        throw configError(`--${key} needs a value`);
      if (next.length > MAX_ARG_CHARS)
        throw new RangeError(`argument ${i + 1} is longer than ${MAX_ARG_CHARS} characters`);
      raw = next;
      i++;
    }
    values.set(key, parseValue(key, spec, raw, `--${key}`));
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (values.has(key) || spec.env === false) continue;
    if (spec.roles && !spec.roles.includes(role)) continue;
    const envName = envNameOf(key, spec);
    const raw = env[envName];
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string' || raw.length > MAX_ARG_CHARS)
      throw configError(`${envName}: expected a string of at most ${MAX_ARG_CHARS} characters`);
    values.set(key, parseValue(key, spec, raw, envName));
  }
  const get = <T>(key: string): T => {
    if (values.has(key)) return values.get(key) as T;
    const spec = specs[key] as FlagSpec;
    return (defaultOf(key, spec, role, defaults) ??
      (spec.type === 'bool' ? false : undefined)) as T;
  };

  const network = get<string>('subtensor.network');
  const chainEndpoint = get<string | undefined>('subtensor.chain_endpoint');
  let url: string;
  try {
    url = resolveNetwork({
      network,
      ...(chainEndpoint !== undefined ? { chainEndpoint } : {}),
      env: {},
    }).url;
  } catch (err) {
    throw configError(
      chainEndpoint !== undefined
        ? '--subtensor.chain_endpoint is invalid'
        : '--subtensor.network is invalid',
      [(err as Error).message],
    );
  }
  const level: LogLevel = get<boolean>('logging.trace')
    ? 'trace'
    : get<boolean>('logging.debug')
      ? 'debug'
      : 'info';
  const extraValues: Record<string, unknown> = {};
  for (const key of Object.keys(extra)) extraValues[key] = get(key);
  return {
    role,
    netuid: get('netuid'),
    wallet: { name: get('wallet.name'), hotkey: get('wallet.hotkey'), path: get('wallet.path') },
    subtensor: { network, chainEndpoint, url },
    axon: {
      ip: get('axon.ip'),
      port: get('axon.port'),
      externalIp: get('axon.external_ip'),
      externalPort: get('axon.external_port'),
      maxWorkers: get('axon.max_workers'),
    },
    logging: { level, loggingDir: get('logging.logging_dir') },
    neuron: {
      name: get('neuron.name'),
      device: get('neuron.device'),
      epochLength: get('neuron.epoch_length'),
      stepIntervalMs: get('neuron.step_interval_ms'),
      blockCacheMs: get('neuron.block_cache_ms'),
      timeout: get('neuron.timeout'),
      sampleSize: get('neuron.sample_size'),
      numConcurrentForwards: get('neuron.num_concurrent_forwards'),
      disableSetWeights: get('neuron.disable_set_weights'),
      movingAverageAlpha: get('neuron.moving_average_alpha'),
      axonOff: get('neuron.axon_off'),
      vpermitTaoLimit: get('neuron.vpermit_tao_limit'),
    },
    blacklist: {
      forceValidatorPermit: get('blacklist.force_validator_permit'),
      allowNonRegistered: get('blacklist.allow_non_registered'),
      minStake: get('blacklist.min_stake'),
    },
    extra: extraValues as FlagValues<F>,
    help,
  };
}

/**
 * The `--help` text of a neuron: every flag of its role with its default (the subnet's
 * `defaults` where given) and environment variable.
 * @example
 * import { formatNeuronHelp } from '@taoscript/subnet';
 * process.stdout.write(formatNeuronHelp('validator', {}, undefined, { 'neuron.timeout': 5 }));
 */
export function formatNeuronHelp(
  role: NeuronRole,
  flags: FlagSpecs = {},
  usage?: string,
  defaults?: NeuronFlagDefaults,
): string {
  if (role !== 'miner' && role !== 'validator')
    throw new TypeError("role must be 'miner' or 'validator'");
  checkSpecs(flags);
  const subnetDefaults = checkDefaults(defaults, role);
  const lines = [usage ?? `Usage: ${role} [flags]`, '', 'Flags:'];
  for (const [key, spec] of Object.entries({ ...NEURON_FLAGS, ...flags } as Record<
    string,
    FlagSpec
  >)) {
    if (spec.roles && !spec.roles.includes(role)) continue;
    const arg = spec.type === 'bool' ? '' : ` <${spec.type}>`;
    const env = spec.env === false ? '' : ` [${envNameOf(key, spec)}]`;
    const value = defaultOf(key, spec, role, subnetDefaults);
    const def = value === undefined ? '' : ` (default ${String(value)})`;
    const flag = `${`  --${key}${arg}`.padEnd(39)} `;
    lines.push(`${flag}${spec.help}${def}${env}`);
  }
  return `${lines.join('\n')}\n`;
}
