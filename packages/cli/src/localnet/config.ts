/**
 * The localnet config file (YAML or JSON): the chain's settings, the subnets to create and the
 * neurons (owner, validators, miners) to register and run. Validated with zod; every error names
 * the field it is about. The format is documented in packages/cli/localnet/README.md.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../io.js';

/** The config used when `--config` is not given. */
export const DEFAULT_CONFIG_PATH = fileURLToPath(
  new URL('../../localnet/default.yaml', import.meta.url),
);
/** Largest config file read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Rao per TAO. */
export const RAO_PER_TAO = 1_000_000_000n;
/** Funding of an owner coldkey without `fund` (TAO): enough for the network lock cost. */
export const DEFAULT_OWNER_FUND = 10_000n * RAO_PER_TAO;
/** Funding of a miner coldkey without `fund`. */
export const DEFAULT_MINER_FUND = 100n * RAO_PER_TAO;
/** A validator without `fund` gets its stake plus this. */
export const VALIDATOR_FUND_MARGIN = 100n * RAO_PER_TAO;
/** Every hotkey gets this much for transaction fees (set_weights, serve_axon). */
export const HOTKEY_FUND = RAO_PER_TAO;
/** The placeholders a command or env value may use. */
export const PLACEHOLDERS = [
  'netuid',
  'name',
  'wallet.name',
  'wallet.hotkey',
  'wallet.path',
  'chain_endpoint',
  'axon.port',
  'logs',
  'dir',
] as const;
/** One placeholder name (`{netuid}` is `netuid`). */
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Wallet names the localnet's own log files use. */
const RESERVED_NAMES = new Set(['node', 'localnet']);
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const PLACEHOLDER_RE = /\{([A-Za-z0-9_.]+)\}/g;
const U64_MAX = (1n << 64n) - 1n;
const MAX_TAO = 21_000_000n * RAO_PER_TAO;

/** `12.5` or `'12.5'` TAO → rao; undefined when not a plain non-negative decimal. */
export function parseTao(v: number | string): bigint | undefined {
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0 || v > 21e6) return undefined;
    text = v.toFixed(9);
  } else text = v.trim();
  const m = /^(\d{1,8})(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) return undefined;
  const rao = BigInt(m[1] as string) * RAO_PER_TAO + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return rao <= MAX_TAO ? rao : undefined;
}

/** Rao as a TAO decimal (`1.5`, `100`). */
export function formatTao(rao: bigint): string {
  const whole = rao / RAO_PER_TAO;
  const frac = (rao % RAO_PER_TAO).toString().padStart(9, '0').replace(/0+$/, '');
  return frac === '' ? whole.toString() : `${whole}.${frac}`;
}

const nameField = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(NAME_RE, {
    error: `${what} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (no '/' or '..')`,
  });

const tao = z
  .union([z.number(), z.string()], {
    error: 'expected an amount of TAO (number or decimal string)',
  })
  .transform((v, ctx) => {
    const rao = parseTao(v);
    if (rao === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected a non-negative amount of TAO with at most 9 decimals, up to 21000000',
      });
      return z.NEVER;
    }
    return rao;
  });

const int = (min: number, max: number) =>
  z
    .int({ error: `expected an integer in ${min}..${max}` })
    .min(min, { error: `expected an integer in ${min}..${max}` })
    .max(max, { error: `expected an integer in ${min}..${max}` });
const u16 = int(0, 65_535);
const u64 = z
  .union([z.int(), z.string().regex(/^\d{1,20}$/)], { error: 'expected a non-negative integer' })
  .transform((v, ctx) => {
    const n = BigInt(v);
    if (n < 0n || n > U64_MAX) {
      ctx.addIssue({ code: 'custom', message: 'expected an integer in 0..2^64-1' });
      return z.NEVER;
    }
    return n;
  });
const bool = z.boolean({ error: 'expected true or false' });

function checkPlaceholders(value: string, ctx: z.RefinementCtx): void {
  for (const m of value.matchAll(PLACEHOLDER_RE)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1] as string))
      ctx.addIssue({
        code: 'custom',
        message: `unknown placeholder {${m[1]}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
      });
  }
}

const arg = z
  .string({ error: 'expected a string' })
  .max(4096, { error: 'at most 4096 characters' })
  .refine((s) => !s.includes('\0'), { error: 'must not contain NUL' })
  .superRefine(checkPlaceholders);

const command = z
  .array(arg, { error: 'expected the command as a list of strings (argv, no shell)' })
  .min(1, { error: 'must name a program' })
  .max(256, { error: 'at most 256 arguments' })
  .refine((a) => a[0] !== '', { error: 'the program must not be empty' });

const env = z
  .record(z.string().regex(ENV_KEY_RE, { error: 'invalid environment variable name' }), arg, {
    error: (iss) =>
      iss.code === 'invalid_type' ? 'expected a map of environment variables' : undefined,
  })
  .refine((e) => Object.keys(e).length <= 64, { error: 'at most 64 variables' });

const neuronFields = {
  wallet: nameField('wallet'),
  hotkey: nameField('hotkey').optional(),
  fund: tao.optional(),
  command: command.optional(),
  env: env.optional(),
  axon_port: int(1, 65_535).optional(),
};
const neuron = z.strictObject(neuronFields, { error: 'expected a neuron (an object)' });
const validator = z.strictObject(
  { ...neuronFields, stake: tao },
  { error: 'expected a validator (an object)' },
);

/** Hyperparameters set (with Sudo/AdminUtils) after the subnet is created. */
const hyperparameters = z.strictObject(
  {
    weights_set_rate_limit: u64.optional(),
    commit_reveal_weights_enabled: bool.optional(),
    commit_reveal_period: u64.optional(),
    immunity_period: u16.optional(),
    min_allowed_uids: u16.optional(),
    max_allowed_uids: int(1, 256).optional(),
    max_allowed_validators: u16.optional(),
    min_allowed_weights: u16.optional(),
    max_registrations_per_block: u16.optional(),
    target_registrations_per_interval: u16.optional(),
    adjustment_interval: u16.optional(),
    activity_cutoff: u16.optional(),
    serving_rate_limit: u64.optional(),
    weights_version_key: u64.optional(),
    kappa: u16.optional(),
    rho: u16.optional(),
    bonds_moving_average: u64.optional(),
    liquid_alpha_enabled: bool.optional(),
    yuma3_enabled: bool.optional(),
    registration_allowed: bool.optional(),
    min_burn: tao.optional(),
    max_burn: tao.optional(),
  },
  { error: 'expected a map of hyperparameters' },
);
/** A subnet's `hyperparameters` block, parsed (u64 values as bigint, TAO as rao). */
export type Hyperparameters = z.output<typeof hyperparameters>;

const subnet = z.strictObject(
  {
    name: z
      .string({ error: 'expected a string' })
      .min(1, { error: 'must not be empty' })
      .max(64, { error: 'at most 64 characters' })
      .regex(/^[\x20-\x7e]+$/, { error: 'printable ASCII only' }),
    netuid: int(1, 1024).optional(),
    tempo: int(1, 65_535).default(100),
    hyperparameters: hyperparameters.default({}),
    owner: neuron,
    validators: z
      .array(validator, { error: 'expected a list' })
      .max(64, { error: 'at most 64 validators' })
      .default([]),
    miners: z
      .array(neuron, { error: 'expected a list' })
      .max(256, { error: 'at most 256 miners' })
      .default([]),
  },
  { error: 'expected a subnet (an object)' },
);

const chain = z.strictObject(
  {
    rpc_port: int(0, 65_535).default(9944),
    block_time_ms: int(10, 60_000).default(250),
    state_dir: z
      .string({ error: 'expected a path' })
      .min(1, { error: 'must not be empty' })
      .max(4096)
      .refine((s) => !s.includes('\0'), { error: 'must not contain NUL' })
      .optional(),
    node_log: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'off'], {
        error: 'expected trace, debug, info, warn, error or off',
      })
      .default('warn'),
  },
  { error: 'expected the chain settings (an object)' },
);

const fileSchema = z
  .strictObject(
    {
      version: z.literal(1, { error: 'only version 1 exists' }).optional(),
      workdir: z
        .string({ error: 'expected a path' })
        .min(1)
        .max(4096)
        .refine((s) => !s.includes('\0'), { error: 'must not contain NUL' })
        .optional(),
      chain: chain.default({ rpc_port: 9944, block_time_ms: 250, node_log: 'warn' }),
      subnets: z
        .array(subnet, { error: 'expected a list of subnets' })
        .min(1, { error: 'at least one subnet' })
        .max(16, { error: 'at most 16 subnets' }),
    },
    { error: 'expected a localnet config (a map with chain and subnets)' },
  )
  .superRefine((cfg, ctx) => {
    const wallets = new Map<string, string>();
    const ports = new Map<number, string>();
    const names = new Set<string>();
    let lastNetuid = 0;
    cfg.subnets.forEach((s, i) => {
      if (names.has(s.name))
        ctx.addIssue({ code: 'custom', path: ['subnets', i, 'name'], message: 'duplicate name' });
      names.add(s.name);
      if (s.netuid !== undefined) {
        if (s.netuid <= lastNetuid)
          ctx.addIssue({
            code: 'custom',
            path: ['subnets', i, 'netuid'],
            message: 'netuids must increase in list order (subnets are created in that order)',
          });
        lastNetuid = s.netuid;
      }
      const members: [string, number | undefined, z.infer<typeof neuron>][] = [
        ['owner', undefined, s.owner],
        ...s.validators.map((v, j): [string, number, z.infer<typeof neuron>] => [
          'validators',
          j,
          v,
        ]),
        ...s.miners.map((m, j): [string, number, z.infer<typeof neuron>] => ['miners', j, m]),
      ];
      for (const [role, j, n] of members) {
        const at = j === undefined ? ['subnets', i, role] : ['subnets', i, role, j];
        const prior = wallets.get(n.wallet);
        if (RESERVED_NAMES.has(n.wallet))
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'wallet'],
            message: `'${n.wallet}' is reserved (its log file would clash with the ${n.wallet}.log of the localnet)`,
          });
        else if (prior !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'wallet'],
            message: `duplicate wallet name '${n.wallet}' (also ${prior})`,
          });
        else wallets.set(n.wallet, pathText(at));
        if (n.axon_port !== undefined) {
          const other = ports.get(n.axon_port);
          if (other !== undefined || n.axon_port === cfg.chain.rpc_port)
            ctx.addIssue({
              code: 'custom',
              path: [...at, 'axon_port'],
              message: `port ${n.axon_port} is already used by ${other ?? 'chain.rpc_port'}`,
            });
          ports.set(n.axon_port, pathText(at));
        }
      }
      const uids = 1 + s.validators.length + s.miners.length;
      const max = s.hyperparameters.max_allowed_uids ?? 256;
      if (uids > max)
        ctx.addIssue({
          code: 'custom',
          path: ['subnets', i],
          message: `${uids} neurons do not fit in max_allowed_uids ${max}`,
        });
    });
  });

/** A parsed, validated config file. */
export type LocalnetFile = z.output<typeof fileSchema>;
/** One subnet of a config. */
export type SubnetConfig = LocalnetFile['subnets'][number];

/** A neuron of the config with its defaults filled in. */
export interface NeuronSpec {
  /** The wallet name; also the neuron's name (log file `<dir>/logs/<name>.log`). */
  name: string;
  role: 'owner' | 'validator' | 'miner';
  /** Index of its subnet in `subnets`. */
  subnet: number;
  wallet: string;
  hotkey: string;
  /** Coldkey funding from //Alice on a fresh account (rao). */
  fund: bigint;
  /** Stake to add to the hotkey (rao; validators only). */
  stake: bigint;
  command: string[] | undefined;
  env: Record<string, string>;
  axonPort: number | undefined;
}

/** A loaded config: the file's content, where it came from, and the neurons flattened. */
export interface LocalnetConfig {
  file: LocalnetFile;
  /** Absolute path of the config file. */
  source: string;
  /** Absolute working directory of the neuron processes. */
  workdir: string;
  neurons: NeuronSpec[];
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** The first problem of a failed parse as one line: `field: message`. */
function firstIssue(error: z.ZodError): string {
  // Unknown fields first: a misspelt key usually explains the other complaints.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return 'invalid config';
  if (issue.code === 'unrecognized_keys') {
    const base = issue.path.length > 0 ? `${pathText(issue.path)}.` : '';
    const keys = issue.keys.map((k) => `${base}${k}`).join(', ');
    return `${keys}: unknown field${issue.keys.length > 1 ? 's' : ''}`;
  }
  const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
  const message = (inner ?? issue.message).replace(/\s+/g, ' ');
  return `${pathText(issue.path)}: ${message}`;
}

/** Flattens the subnets' owners, validators and miners, filling in defaults. */
function neuronsOf(file: LocalnetFile): NeuronSpec[] {
  const out: NeuronSpec[] = [];
  file.subnets.forEach((s, i) => {
    const add = (
      role: NeuronSpec['role'],
      n: z.infer<typeof neuron>,
      stake: bigint,
      defaultFund: bigint,
    ) =>
      out.push({
        name: n.wallet,
        role,
        subnet: i,
        wallet: n.wallet,
        hotkey: n.hotkey ?? 'default',
        fund: n.fund ?? defaultFund,
        stake,
        command: n.command,
        env: n.env ?? {},
        axonPort: n.axon_port,
      });
    add('owner', s.owner, 0n, DEFAULT_OWNER_FUND);
    for (const v of s.validators) add('validator', v, v.stake, v.stake + VALIDATOR_FUND_MARGIN);
    for (const m of s.miners) add('miner', m, 0n, DEFAULT_MINER_FUND);
  });
  return out;
}

/**
 * Validates a parsed config document (`source` names it in errors and anchors `workdir`).
 * Throws a one-line {@link UsageError} naming the offending field.
 */
export function validateConfig(doc: unknown, source: string): LocalnetConfig {
  const r = fileSchema.safeParse(doc);
  if (!r.success) throw new UsageError(`${source}: ${firstIssue(r.error)}`);
  const abs = resolve(source);
  const file = r.data;
  for (const n of neuronsOf(file)) {
    if (n.role === 'validator' && n.fund < n.stake)
      throw new UsageError(`${source}: ${n.name}: fund must cover the stake`);
  }
  return {
    file,
    source: abs,
    workdir: resolve(dirname(abs), file.workdir ?? '.'),
    neurons: neuronsOf(file),
  };
}

/** Parses config text: JSON for `.json` files, YAML (which also reads JSON) otherwise. */
export function parseConfigText(text: string, source: string): unknown {
  try {
    if (extname(source).toLowerCase() === '.json') return JSON.parse(text);
    return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true, merge: false });
  } catch (err) {
    const first = String((err as Error)?.message ?? err).split('\n')[0];
    throw new UsageError(
      `${source}: not valid ${extname(source) === '.json' ? 'JSON' : 'YAML'}: ${first}`,
    );
  }
}

/** Reads, parses and validates a config file (default: the shipped default.yaml). */
export function loadConfig(path: string = DEFAULT_CONFIG_PATH): LocalnetConfig {
  if (typeof path !== 'string' || path === '' || path.includes('\0'))
    throw new UsageError('--config must be a file path');
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`${path}: not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read config ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
  if (size > MAX_CONFIG_BYTES)
    throw new UsageError(`${path}: larger than ${MAX_CONFIG_BYTES} bytes`);
  const text = readFileSync(path, 'utf8');
  return validateConfig(parseConfigText(text, path), path);
}

/** Replaces `{placeholder}`s in one argument. */
export function substitute(value: string, values: Readonly<Record<Placeholder, string>>): string {
  return value.replace(PLACEHOLDER_RE, (whole, key: string) =>
    Object.hasOwn(values, key) ? values[key as Placeholder] : whole,
  );
}
