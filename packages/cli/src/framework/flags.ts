/**
 * Flag parsing with btcli's spellings: `--wallet.name`, `--wallet-name` and `--wallet_name` are
 * one flag (dots and underscores read as dashes), short forms such as `-p`, `-H`, `-n`, `-y`,
 * `--flag=value` and `--flag value`, `--no-<flag>` negations. Unknown flags, missing values,
 * repeated flags and stray arguments are a {@link UsageError}.
 */
import { UsageError } from '../io.js';

/** How a flag takes its value. */
export type FlagKind =
  /** One value: `--amount 1.5` or `--amount=1.5`. */
  | 'string'
  /** No value: `--all`; `--no-all` (or an `off` spelling) sets false; `--all=false` too. */
  | 'boolean'
  /** Values split on commas and spaces, repeatable: `--uids 0,1 --uids 2` or `--uids 0 1 2`. */
  | 'list'
  /** Every following argument up to the next flag, joined by spaces: `--mnemonic w1 w2 …`. */
  | 'words';

/** One flag of a command. */
export interface FlagSpec {
  /** Canonical kebab-case name; the key of the parsed value. */
  name: string;
  kind: FlagKind;
  /** Other long spellings, kebab-case (their `.`/`_` forms are accepted too). */
  aliases?: readonly string[];
  /** One-letter forms (`p` for `-p`). */
  short?: readonly string[];
  /** Booleans: long spellings that set the flag to false (default `no-<name>`). */
  off?: readonly string[];
  /** Placeholder shown in help (`NAME`, `TAO`). */
  value?: string;
  /** One line of help. */
  help: string;
  /** A string flag that may also be given as a bare argument (`tao subnets show 1`). */
  positional?: boolean;
}

/** The longest value accepted for any flag. */
export const MAX_FLAG_VALUE_LENGTH = 4096;
/** The most values a list flag accepts. */
export const MAX_LIST_VALUES = 65_536;

/** `--Wallet.Name_x` → `Wallet-Name-x`: btcli treats dots, underscores and dashes alike. */
export function normalizeFlagName(name: string): string {
  return name.replace(/[._]/g, '-');
}

interface Target {
  spec: FlagSpec;
  /** For booleans: the value this spelling sets. */
  sets?: boolean;
}

/** Parsed flag values, keyed by canonical name. */
export class Flags {
  readonly #values = new Map<string, string | boolean | string[]>();
  readonly #typed = new Map<string, string>();
  readonly #specs: Map<string, FlagSpec>;
  /** `--help` / `-h` was given. */
  help = false;

  constructor(specs: readonly FlagSpec[]) {
    this.#specs = new Map(specs.map((s) => [s.name, s]));
  }

  /** Records a value (parser use). */
  set(name: string, value: string | boolean | string[], typed: string): void {
    this.#values.set(name, value);
    this.#typed.set(name, typed);
  }

  /** Whether the flag was given. */
  has(name: string): boolean {
    this.#known(name);
    return this.#values.has(name);
  }

  /** How the user spelled the flag (`--wallet.name`), or its canonical `--name`. */
  spelling(name: string): string {
    return this.#typed.get(name) ?? `--${name}`;
  }

  /** A string flag's value. */
  string(name: string): string | undefined {
    const v = this.#get(name, 'string');
    return v as string | undefined;
  }

  /** A words flag's value (the words joined by single spaces). */
  words(name: string): string | undefined {
    return this.#get(name, 'words') as string | undefined;
  }

  /** A boolean flag's value (undefined when not given). */
  bool(name: string): boolean | undefined {
    return this.#get(name, 'boolean') as boolean | undefined;
  }

  /** A list flag's values. */
  list(name: string): string[] | undefined {
    return this.#get(name, 'list') as string[] | undefined;
  }

  /** Whether the command declares the flag. */
  declares(name: string): boolean {
    return this.#specs.has(name);
  }

  /** A string flag's value, or undefined when the command does not declare it. */
  maybeString(name: string): string | undefined {
    return this.declares(name) ? this.string(name) : undefined;
  }

  /** A boolean flag's value, or undefined when the command does not declare it. */
  maybeBool(name: string): boolean | undefined {
    return this.declares(name) ? this.bool(name) : undefined;
  }

  /** Canonical names of the flags given. */
  given(): string[] {
    return [...this.#values.keys()];
  }

  #known(name: string): FlagSpec {
    const spec = this.#specs.get(name);
    if (!spec) throw new Error(`flag '${name}' is not declared by this command`);
    return spec;
  }

  #get(name: string, kind: FlagKind): unknown {
    const spec = this.#known(name);
    if (spec.kind !== kind) throw new Error(`flag '${name}' is a ${spec.kind} flag, not ${kind}`);
    return this.#values.get(name);
  }
}

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
  on: true,
  off: false,
};

function buildTable(specs: readonly FlagSpec[]): {
  long: Map<string, Target>;
  short: Map<string, Target>;
} {
  const long = new Map<string, Target>();
  const short = new Map<string, Target>();
  const add = (map: Map<string, Target>, key: string, target: Target) => {
    const existing = map.get(key);
    if (existing && existing.spec !== target.spec)
      throw new Error(`flag spelling '${key}' is declared twice`);
    map.set(key, target);
  };
  for (const spec of [...specs, HELP]) {
    const on: Target = spec.kind === 'boolean' ? { spec, sets: true } : { spec };
    for (const n of [spec.name, ...(spec.aliases ?? [])]) add(long, normalizeFlagName(n), on);
    for (const s of spec.short ?? []) add(short, s, on);
    if (spec.kind === 'boolean' && spec !== HELP) {
      const offs = spec.off ?? [`no-${spec.name}`];
      for (const n of offs) add(long, normalizeFlagName(n), { spec, sets: false });
    }
  }
  return { long, short };
}

const HELP: FlagSpec = { name: 'help', kind: 'boolean', short: ['h'], help: 'Show this help' };

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length] as number;
}

function suggestion(name: string, long: Map<string, Target>): string {
  let best: string | undefined;
  let bestD = 3;
  for (const key of long.keys()) {
    const d = distance(name, key);
    if (d < bestD) {
      bestD = d;
      best = key;
    }
  }
  return best === undefined ? '' : ` (did you mean --${best}?)`;
}

function checkValue(value: string, typed: string): string {
  if (value.length > MAX_FLAG_VALUE_LENGTH)
    throw new UsageError(`${typed}: value is longer than ${MAX_FLAG_VALUE_LENGTH} characters`);
  if (value.includes('\0')) throw new UsageError(`${typed}: value contains a NUL character`);
  return value;
}

function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter((v) => v !== '');
}

/**
 * Parses `args` against `specs`. `--help`/`-h` sets `help`. Every mistake is a UsageError naming
 * the flag as typed.
 * @example
 * const flags = parseFlags(['--wallet.name', 'alice', '-y'], [...WALLET_FLAGS, ...PROMPT_FLAGS]);
 * flags.string('wallet-name'); // 'alice'
 */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): Flags {
  const { long, short } = buildTable(specs);
  const flags = new Flags(specs);
  const seen = new Set<string>();
  const listValues = new Map<string, string[]>();
  let i = 0;
  const takeValue = (typed: string, inline: string | undefined): string => {
    if (inline !== undefined) return checkValue(inline, typed);
    const next = args[i + 1];
    if (next === undefined) throw new UsageError(`${typed} needs a value`);
    i++;
    return checkValue(next, typed);
  };
  for (; i < args.length; i++) {
    const arg = args[i] as string;
    let target: Target | undefined;
    let typed: string;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      typed = eq === -1 ? arg : arg.slice(0, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      const key = normalizeFlagName(typed.slice(2));
      target = long.get(key);
      if (!target)
        throw new UsageError(`unknown option '${typed.slice(0, 64)}'${suggestion(key, long)}`);
    } else if (arg.startsWith('-') && arg.length >= 2 && !/^-\d/.test(arg) && arg !== '--') {
      const eq = arg.indexOf('=');
      typed = eq === -1 ? arg : arg.slice(0, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      target = typed.length === 2 ? short.get(typed.slice(1)) : undefined;
      if (!target) throw new UsageError(`unknown option '${typed.slice(0, 64)}'`);
    } else {
      const bare = specs.find((sp) => sp.positional === true && sp.kind === 'string');
      if (!bare || seen.has(bare.name))
        throw new UsageError(`unexpected argument '${arg.slice(0, 64)}'`);
      seen.add(bare.name);
      flags.set(bare.name, checkValue(arg, `--${bare.name}`), `--${bare.name}`);
      continue;
    }
    const { spec } = target;
    if (spec === HELP) {
      flags.help = true;
      continue;
    }
    if (spec.kind !== 'list' && seen.has(spec.name))
      throw new UsageError(`${typed} is given more than once`);
    seen.add(spec.name);
    switch (spec.kind) {
      case 'boolean': {
        let value = target.sets ?? true;
        if (inline !== undefined) {
          const word = BOOLEAN_WORDS[inline.toLowerCase()];
          if (word === undefined || target.sets === false)
            throw new UsageError(`${typed} takes no value (or true/false), got '${inline}'`);
          value = word;
        }
        flags.set(spec.name, value, typed);
        break;
      }
      case 'string': {
        const value = takeValue(typed, inline);
        if (value.trim() === '') throw new UsageError(`${typed} must not be empty`);
        flags.set(spec.name, value, typed);
        break;
      }
      case 'list': {
        const values = listValues.get(spec.name) ?? [];
        values.push(...splitList(takeValue(typed, inline)));
        // `--uids 0 1 2`: keep taking arguments until the next flag.
        while (inline === undefined && i + 1 < args.length && !isFlagLike(args[i + 1] as string)) {
          i++;
          values.push(...splitList(checkValue(args[i] as string, typed)));
        }
        if (values.length > MAX_LIST_VALUES)
          throw new UsageError(`${typed}: more than ${MAX_LIST_VALUES} values`);
        listValues.set(spec.name, values);
        flags.set(spec.name, values, typed);
        break;
      }
      case 'words': {
        const words: string[] = [];
        if (inline !== undefined) words.push(checkValue(inline, typed));
        while (i + 1 < args.length && !isFlagLike(args[i + 1] as string)) {
          i++;
          words.push(checkValue(args[i] as string, typed));
        }
        const value = words.join(' ').trim().split(/\s+/).join(' ');
        if (value === '') throw new UsageError(`${typed} needs a value`);
        if (value.length > MAX_FLAG_VALUE_LENGTH)
          throw new UsageError(
            `${typed}: value is longer than ${MAX_FLAG_VALUE_LENGTH} characters`,
          );
        flags.set(spec.name, value, typed);
        break;
      }
    }
  }
  return flags;
}

function isFlagLike(arg: string): boolean {
  return arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg);
}

/** The help text of one command: usage line, description, then its flags. */
export function helpText(
  usage: string,
  description: string,
  specs: readonly FlagSpec[],
  notes: readonly string[] = [],
): string {
  const lines = [`Usage: ${usage}`, '', description, '', 'Options:'];
  const rows = [...specs, HELP].map((s) => {
    const names = [
      ...(s.short ?? []).map((c) => `-${c}`),
      `--${s.name}`,
      ...(s.aliases ?? []).map((a) => `--${a}`),
    ];
    if (s.kind === 'boolean' && s !== HELP) {
      const offs = s.off ?? [`no-${s.name}`];
      names.push(...offs.map((o) => `--${o}`));
    }
    const value =
      s.kind === 'boolean'
        ? ''
        : s.kind === 'list'
          ? ` ${s.value ?? 'A,B,…'}`
          : ` ${s.value ?? 'VALUE'}`;
    return [`${names.join(', ')}${value}`, s.help] as const;
  });
  const width = Math.min(44, Math.max(...rows.map(([n]) => n.length)) + 2);
  for (const [n, h] of rows) {
    if (n.length + 2 > width) lines.push(`  ${n}`, `  ${' '.repeat(width)}${h}`);
    else lines.push(`  ${n.padEnd(width)}${h}`);
  }
  if (notes.length > 0) lines.push('', ...notes);
  return `${lines.join('\n')}\n`;
}
