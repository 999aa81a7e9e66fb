/**
 * `tao sudo set | get | set-take | get-take`. `set` uses the SDK's `setHyperparameter`: signed by
 * the wallet's coldkey when it owns the subnet and the setter allows owners, wrapped in Sudo.sudo
 * when the coldkey is the chain's sudo key (required for root-only setters).
 */
import { defineCommand } from '../framework/command.js';
import {
  CHAIN_FLAGS,
  NETUID_FLAG,
  SIGNING_FLAGS,
  WALLET_FLAGS,
} from '../framework/common-flags.js';
import { CliError } from '../framework/errors.js';
import type { FlagSpec } from '../framework/flags.js';
import { formatPercent } from '../framework/format.js';
import { parseFloatIn } from '../framework/values.js';
import { UsageError } from '../io.js';
import {
  extrinsicJson,
  hotkeyRef,
  includedLine,
  optionalNetuid,
  requiredString,
} from './shared.js';
import { showHyperparameters } from './subnets.js';

/** `tao sudo set`. */
export const sudoSet = defineCommand({
  usage: 'tao sudo set [--netuid N] --param NAME --value VALUE [wallet options]',
  description:
    "Sets a hyperparameter with its AdminUtils setter: signed by the subnet owner, or wrapped in Sudo.sudo when the wallet is the sudo key (root-only setters and chain-wide settings need the sudo key). Values are in the chain's units, as `tao sudo get` shows them (rao for burns); booleans are true/false.",
  flags: [
    ...SIGNING_FLAGS,
    { ...NETUID_FLAG, help: 'Subnet id (per-subnet parameters)' },
    {
      name: 'param',
      kind: 'string',
      aliases: ['parameter'],
      value: 'NAME',
      help: 'Hyperparameter name (e.g. tempo, min_burn)',
    },
    { name: 'value', kind: 'string', value: 'VALUE', help: 'New value (alpha_values: LOW,HIGH)' },
  ],
  notes: [
    'JSON: { "netuid", "param", "value", "call", "via": "owner" | "sudo", "extrinsic": { … } }',
  ],
  async run(ctx) {
    const { findHyperparam, parseHyperparamValue } = await import('./hyperparams.js');
    const { name, param } = findHyperparam(requiredString(ctx, 'param'));
    const text = requiredString(ctx, 'value');
    const value = parseHyperparamValue(param, text, ctx.flags.spelling('value'));
    const netuid = optionalNetuid(ctx);
    if (param.subnet && netuid === undefined)
      throw new UsageError(`--netuid is required for ${name}`);
    if (!param.subnet && netuid !== undefined)
      throw new UsageError(`${name} is chain-wide: it takes no --netuid`);
    const cold = await ctx.coldkeypub();
    const client = await ctx.client();
    if (netuid !== undefined) await ctx.requireSubnet(netuid);
    const at = netuid !== undefined ? { netuid } : {};
    const plan = await client.previewSetHyperparameter({
      account: cold.publicKey,
      name,
      value,
      ...at,
    });
    await ctx.confirm(
      `Set ${name} = ${text}${netuid !== undefined ? ` on subnet ${netuid}` : ''} as ${plan.via}?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit(`${plan.call}${plan.via === 'sudo' ? ' (Sudo.sudo)' : ''}`, (o) =>
      client.setHyperparameter({ signer, name, value, ...at }, o),
    );
    ctx.out.result(
      {
        netuid: netuid ?? null,
        param: name,
        value: param.type === 'alpha-values' ? r.args : r.args[param.field],
        call: r.call,
        via: r.via,
        extrinsic: extrinsicJson(r),
      },
      () =>
        `Set ${name}${netuid !== undefined ? ` on subnet ${netuid}` : ''} via ${r.via} (${includedLine(r)})`,
    );
  },
});

/** `tao sudo get`. */
export const sudoGet = defineCommand({
  usage: 'tao sudo get --netuid N [--network N]',
  description: "A subnet's hyperparameters (the same as tao subnets hyperparameters).",
  flags: [...CHAIN_FLAGS, { ...NETUID_FLAG, help: 'Subnet id (required)' }],
  notes: ['JSON: { "netuid", "hyperparameters": { name: value } } (u64 values as decimal strings)'],
  run: showHyperparameters,
});

const U16_MAX = 65_535;
const HOTKEY_SS58: FlagSpec = {
  name: 'hotkey-ss58',
  kind: 'string',
  aliases: ['hotkey-ss58-address'],
  value: 'ADDRESS',
  help: "A hotkey address instead of the wallet's hotkey",
};

/** `tao sudo set-take`. */
export const sudoSetTake = defineCommand({
  usage: 'tao sudo set-take --take FRACTION [wallet options]',
  description:
    "Sets the delegate take of the wallet's hotkey (increase_take or decrease_take, signed by its coldkey); e.g. --take 0.1 for 10%.",
  flags: [
    ...SIGNING_FLAGS,
    { name: 'take', kind: 'string', value: 'FRACTION', help: 'New take in [0, 1)' },
  ],
  notes: [
    'JSON: { "hotkey", "take_before", "take", "take_u16", "call", "extrinsic": { … } } (takes as fractions)',
  ],
  async run(ctx) {
    const take = parseFloatIn(requiredString(ctx, 'take'), ctx.flags.spelling('take'), 0, 1);
    const takeU16 = Math.floor(take * U16_MAX);
    const hot = await hotkeyRef(ctx);
    const client = await ctx.client();
    const before = await client.getDelegateTake(hot.publicKey);
    if (before === takeU16)
      throw new CliError(
        'UNCHANGED',
        `the take of ${hot.ss58} is already ${formatPercent(before / U16_MAX)}`,
      );
    await ctx.confirm(
      `Change the take of ${hot.ss58} from ${formatPercent(before / U16_MAX)} to ${formatPercent(takeU16 / U16_MAX)}?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit('delegate take', (o) =>
      client.setTake({ signer, hotkey: hot.publicKey, take: takeU16 }, o),
    );
    ctx.out.result(
      {
        hotkey: hot.ss58,
        take_before: r.takeBefore / U16_MAX,
        take: r.take / U16_MAX,
        take_u16: r.take,
        call: `SubtensorModule.${r.call}`,
        extrinsic: extrinsicJson(r),
      },
      () =>
        `Take of ${hot.ss58}: ${formatPercent(r.takeBefore / U16_MAX)} → ${formatPercent(r.take / U16_MAX)} (${includedLine(r)})`,
    );
  },
});

/** `tao sudo get-take`. */
export const sudoGetTake = defineCommand({
  usage: 'tao sudo get-take [--wallet-name N --hotkey H | --hotkey-ss58 ADDRESS]',
  description: 'The delegate take of a hotkey.',
  flags: [...WALLET_FLAGS, ...CHAIN_FLAGS, HOTKEY_SS58],
  notes: ['JSON: { "hotkey", "take", "take_u16" } (take as a fraction)'],
  async run(ctx) {
    const hot = await hotkeyRef(ctx);
    const client = await ctx.client();
    const take = await client.getDelegateTake(hot.publicKey);
    ctx.out.result(
      { hotkey: hot.ss58, take: take / U16_MAX, take_u16: take },
      () => `Take of ${hot.ss58}: ${formatPercent(take / U16_MAX)}`,
    );
  },
});
