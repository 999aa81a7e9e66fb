/** `tao config set | get | clear`: the defaults file `~/.bittensor/config.yml` (btcli's keys). */

import { defineCommand } from '../framework/command.js';
import { OUTPUT_FLAGS, PROMPT_FLAGS } from '../framework/common-flags.js';
import { CONFIG_KEYS, type ConfigKey, checkConfigValue, saveConfig } from '../framework/config.js';
import type { Context } from '../framework/context.js';
import type { FlagSpec } from '../framework/flags.js';
import { table } from '../framework/output.js';
import { parseFloatIn } from '../framework/values.js';
import { UsageError } from '../io.js';

/** Each config key's flag (btcli spellings). */
const KEY_FLAGS: Record<
  ConfigKey,
  Omit<FlagSpec, 'kind' | 'help'> & { valueKind: FlagSpec['kind'] }
> = {
  network: {
    name: 'network',
    aliases: ['subtensor-network', 'chain', 'chain-endpoint', 'subtensor-chain-endpoint'],
    valueKind: 'string',
    value: 'NAME|URL',
  },
  wallet_name: { name: 'wallet-name', aliases: ['name'], valueKind: 'string', value: 'NAME' },
  wallet_path: {
    name: 'wallet-path',
    aliases: ['path'],
    short: ['p'],
    valueKind: 'string',
    value: 'DIR',
  },
  wallet_hotkey: {
    name: 'wallet-hotkey',
    aliases: ['hotkey'],
    short: ['H'],
    valueKind: 'string',
    value: 'NAME',
  },
  use_cache: { name: 'use-cache', off: ['no-cache', 'no-use-cache'], valueKind: 'boolean' },
  safe_staking: {
    name: 'safe-staking',
    aliases: ['safe'],
    off: ['unsafe', 'no-safe-staking'],
    valueKind: 'boolean',
  },
  allow_partial_stake: {
    name: 'allow-partial-stake',
    aliases: ['partial'],
    off: ['no-partial', 'no-allow-partial-stake'],
    valueKind: 'boolean',
  },
  rate_tolerance: {
    name: 'rate-tolerance',
    aliases: ['tolerance'],
    valueKind: 'string',
    value: 'FRACTION',
  },
};

const KEYS = Object.keys(CONFIG_KEYS) as ConfigKey[];

function current(ctx: Context): Record<string, unknown> {
  return Object.fromEntries(KEYS.map((k) => [k, ctx.config.values[k] ?? null]));
}

function show(ctx: Context, values: Record<string, unknown>): string {
  const rows = KEYS.map((k) => [k, values[k] === null ? '—' : String(values[k])]);
  const t = table([{ header: 'KEY' }, { header: 'VALUE' }], rows, { colors: ctx.out.colors });
  return `${ctx.config.path}\n${t}`;
}

/** `tao config set`. */
export const configSet = defineCommand({
  usage: 'tao config set [--network N] [--wallet-name N] [--wallet-path P] [--wallet-hotkey H] …',
  description: 'Stores defaults in ~/.bittensor/config.yml; flags on a command still win.',
  flags: [
    ...KEYS.map((k): FlagSpec => {
      const f = KEY_FLAGS[k];
      const { valueKind, ...rest } = f;
      return { ...rest, kind: valueKind, help: CONFIG_KEYS[k].help };
    }),
    ...OUTPUT_FLAGS,
  ],
  notes: ['JSON: { "path", "changed": [keys], "config": { key: value | null } }'],
  async run(ctx) {
    const updates: Partial<Record<ConfigKey, unknown>> = {};
    for (const k of KEYS) {
      const f = KEY_FLAGS[k];
      if (!ctx.flags.has(f.name)) continue;
      const spelled = ctx.flags.spelling(f.name);
      let value: unknown;
      if (f.valueKind === 'boolean') value = ctx.flags.bool(f.name);
      else if (k === 'rate_tolerance')
        value = parseFloatIn(ctx.flags.string(f.name) as string, spelled, 0, 0.999);
      else value = (ctx.flags.string(f.name) as string).trim();
      if (k === 'network') {
        const { resolveNetwork } = await import('@taoscript/sdk');
        try {
          resolveNetwork({ network: value as string, env: {} });
        } catch (err) {
          throw new UsageError(`${spelled}: ${(err as Error).message}`);
        }
      }
      updates[k] = checkConfigValue(k, value, spelled);
    }
    const changed = Object.keys(updates);
    if (changed.length === 0)
      throw new UsageError('nothing to set: pass at least one option, e.g. --network local');
    const raw = { ...ctx.config.raw, ...updates };
    await saveConfig(ctx.config.path, raw);
    const values = { ...current(ctx), ...updates };
    ctx.out.result(
      { path: ctx.config.path, changed, config: values },
      () => `updated ${changed.join(', ')}\n${show(ctx, values)}`,
    );
  },
});

/** `tao config get`. */
export const configGet = defineCommand({
  usage: 'tao config get [--json-output]',
  description: 'Shows the defaults stored in ~/.bittensor/config.yml.',
  flags: [...OUTPUT_FLAGS],
  notes: ['JSON: { "path", "config": { key: value | null } }'],
  async run(ctx) {
    const values = current(ctx);
    ctx.out.result({ path: ctx.config.path, config: values }, () => show(ctx, values));
  },
});

/** `tao config clear`. */
export const configClear = defineCommand({
  usage: 'tao config clear [--network] [--wallet-name] … | [--all]',
  description:
    'Unsets the named keys of ~/.bittensor/config.yml (all keys with --all or with no key flag).',
  flags: [
    ...KEYS.map(
      (k): FlagSpec => ({
        name: KEY_FLAGS[k].name,
        kind: 'boolean',
        ...(KEY_FLAGS[k].aliases ? { aliases: KEY_FLAGS[k].aliases } : {}),
        off: [`no-${KEY_FLAGS[k].name}`],
        help: `Clear ${k}`,
      }),
    ),
    { name: 'all', kind: 'boolean', help: 'Clear every key' },
    ...OUTPUT_FLAGS,
    ...PROMPT_FLAGS,
  ],
  notes: ['JSON: { "path", "cleared": [keys], "config": { key: value | null } }'],
  async run(ctx) {
    const named = KEYS.filter((k) => ctx.flags.bool(KEY_FLAGS[k].name) === true);
    const all = ctx.flags.bool('all') === true || named.length === 0;
    const cleared = all ? KEYS : named;
    if (all) await ctx.confirm(`Clear every key of ${ctx.config.path}?`);
    const raw = { ...ctx.config.raw };
    for (const k of cleared) raw[k] = null;
    await saveConfig(ctx.config.path, raw);
    const values = current(ctx);
    for (const k of cleared) values[k] = null;
    ctx.out.result(
      { path: ctx.config.path, cleared, config: values },
      () => `cleared ${cleared.join(', ')}\n${show(ctx, values)}`,
    );
  },
});
