/**
 * `tao sudo set | get | set-take | get-take`. `set` signs the AdminUtils setter with the wallet's
 * coldkey when it owns the subnet and the setter allows owners; it wraps the call in Sudo.sudo when
 * the coldkey is the chain's sudo key (required for root-only setters).
 */
import type { DispatchError, RuntimeCall } from '@taoscript/chain-types';
import type { SubtensorClient } from '@taoscript/sdk';
import { defineCommand } from '../framework/command.js';
import {
  CHAIN_FLAGS,
  NETUID_FLAG,
  SIGNING_FLAGS,
  WALLET_FLAGS,
} from '../framework/common-flags.js';
import { CliError, dispatchSentence } from '../framework/errors.js';
import type { FlagSpec } from '../framework/flags.js';
import { formatPercent } from '../framework/format.js';
import { parseFloatIn } from '../framework/values.js';
import { UsageError } from '../io.js';
import { findHyperparam, hyperparamArgs } from './hyperparams.js';
import {
  extrinsicJson,
  findEvent,
  hotkeyRef,
  includedLine,
  optionalNetuid,
  requiredString,
} from './shared.js';
import { showHyperparameters } from './subnets.js';

/** Fails with the inner call's error when a Sudo.sudo extrinsic's `Sudid` reports one. */
export function checkSudid(
  client: SubtensorClient,
  events: Parameters<typeof findEvent>[0],
  label: string,
): void {
  const ev = findEvent(events, 'Sudo', 'Sudid')?.event;
  if (ev?.type !== 'Sudo' || ev.value.type !== 'Sudid') return;
  const result = ev.value.value.sudo_result as { type: string; value?: unknown };
  if (result.type !== 'Err') return;
  const err = result.value as DispatchError;
  let qualified = err.type as string;
  let code = qualified;
  if (err.type === 'Module') {
    const named = client.compat.moduleError(err.value.index, err.value.error[0] ?? 0);
    if (named) {
      qualified = `${named.pallet}.${named.name}`;
      code = named.name;
    }
  } else if ('value' in err && typeof err.value === 'object' && err.value !== null) {
    const inner = (err.value as { type?: unknown }).type;
    if (typeof inner === 'string') qualified = code = `${err.type}.${inner}`;
  }
  throw new CliError(
    code,
    `${qualified}: ${dispatchSentence(qualified, code) ?? `${label} failed inside Sudo.sudo`}`,
  );
}

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
    const { name, param } = findHyperparam(requiredString(ctx, 'param'));
    const args = hyperparamArgs(param, requiredString(ctx, 'value'), ctx.flags.spelling('value'));
    const netuid = optionalNetuid(ctx);
    if (param.subnet && netuid === undefined)
      throw new UsageError(`--netuid is required for ${name}`);
    if (!param.subnet && netuid !== undefined)
      throw new UsageError(`${name} is chain-wide: it takes no --netuid`);
    const cold = await ctx.coldkeypub();
    const client = await ctx.client();
    if (netuid !== undefined) await ctx.requireSubnet(netuid);
    const { Sudo, SubtensorStorage } = await import('@taoscript/chain-types');
    const [sudoKey, owner] = await Promise.all([
      client.query(Sudo.Key, []),
      netuid !== undefined ? client.query(SubtensorStorage.SubnetOwner, [netuid]) : undefined,
    ]);
    const me = cold.ss58Address;
    const isSudo = sudoKey !== undefined && client.address(sudoKey) === me;
    const isOwner = owner !== undefined && client.address(owner) === me;
    let via: 'owner' | 'sudo';
    if (!param.root && isOwner) via = 'owner';
    else if (isSudo) via = 'sudo';
    else if (param.root)
      throw new CliError(
        'NOT_SUDO',
        `${name} can only be set by root, and ${me} is not the sudo key (${param.call} needs Sudo.sudo)`,
      );
    else
      throw new CliError(
        'NOT_SUBNET_OWNER',
        `${me} neither owns subnet ${netuid} nor is the sudo key, so it cannot set ${name}`,
      );
    const inner = {
      type: 'AdminUtils',
      value: { type: param.call, value: { ...(netuid !== undefined ? { netuid } : {}), ...args } },
    } as RuntimeCall;
    const call = (
      via === 'sudo' ? { type: 'Sudo', value: { type: 'sudo', value: { call: inner } } } : inner
    ) as RuntimeCall;
    const label = `AdminUtils.${param.call}${via === 'sudo' ? ' (Sudo.sudo)' : ''}`;
    await ctx.confirm(
      `Set ${name} = ${requiredString(ctx, 'value')}${netuid !== undefined ? ` on subnet ${netuid}` : ''} as ${via}?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit(label, (o) => client.submit({ signer, call }, o));
    if (via === 'sudo') checkSudid(client, r.events, label);
    const value = param.type === 'alpha-values' ? args : args[param.field];
    ctx.out.result(
      {
        netuid: netuid ?? null,
        param: name,
        value,
        call: `AdminUtils.${param.call}`,
        via,
        extrinsic: extrinsicJson(r),
      },
      () =>
        `Set ${name}${netuid !== undefined ? ` on subnet ${netuid}` : ''} via ${via} (${includedLine(r)})`,
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

async function currentTake(client: SubtensorClient, hotkey: Uint8Array): Promise<number> {
  const { SubtensorStorage } = await import('@taoscript/chain-types');
  return client.query(SubtensorStorage.Delegates, [hotkey]);
}

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
    const before = await currentTake(client, hot.publicKey);
    if (before === takeU16)
      throw new CliError(
        'UNCHANGED',
        `the take of ${hot.ss58} is already ${formatPercent(before / U16_MAX)}`,
      );
    const callName = takeU16 > before ? 'increase_take' : 'decrease_take';
    await ctx.confirm(
      `Change the take of ${hot.ss58} from ${formatPercent(before / U16_MAX)} to ${formatPercent(takeU16 / U16_MAX)}?`,
    );
    const signer = await ctx.coldkey();
    const call = {
      type: 'SubtensorModule',
      value: { type: callName, value: { hotkey: hot.publicKey, take: takeU16 } },
    } as RuntimeCall;
    const r = await ctx.submit(`SubtensorModule.${callName}`, (o) =>
      client.submit({ signer, call }, o),
    );
    ctx.out.result(
      {
        hotkey: hot.ss58,
        take_before: before / U16_MAX,
        take: takeU16 / U16_MAX,
        take_u16: takeU16,
        call: `SubtensorModule.${callName}`,
        extrinsic: extrinsicJson(r),
      },
      () =>
        `Take of ${hot.ss58}: ${formatPercent(before / U16_MAX)} → ${formatPercent(takeU16 / U16_MAX)} (${includedLine(r)})`,
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
    const take = await currentTake(client, hot.publicKey);
    ctx.out.result(
      { hotkey: hot.ss58, take: take / U16_MAX, take_u16: take },
      () => `Take of ${hot.ss58}: ${formatPercent(take / U16_MAX)}`,
    );
  },
});
