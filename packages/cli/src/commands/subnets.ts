/**
 * `tao subnets list | show | hyperparameters | create | register | burn-cost | start | price`.
 */
import type { DynamicInfo, SubnetHyperparamsV2 } from '@taoscript/chain-types';
import type { SubnetIdentity } from '@taoscript/sdk';
import { defineCommand } from '../framework/command.js';
import { CHAIN_FLAGS, NETUID_FLAG, SIGNING_FLAGS } from '../framework/common-flags.js';
import type { Context } from '../framework/context.js';
import { CliError } from '../framework/errors.js';
import type { FlagSpec } from '../framework/flags.js';
import { formatAlpha, formatPrice, formatTao, text } from '../framework/format.js';
import { table } from '../framework/output.js';
import { parseNetuidList } from '../framework/values.js';
import { UsageError } from '../io.js';
import { extrinsicJson, findEvent, includedLine, requiredNetuid } from './shared.js';
import { metagraphs, neuronRow, SCORE_COLUMNS, scoreCells } from './wallet-chain.js';

const REQUIRED_NETUID: FlagSpec = { ...NETUID_FLAG, help: 'Subnet id (required)' };
/** `--netuid N`, or N as the command's one bare argument (`tao subnets show 1`). */
const POSITIONAL_NETUID: FlagSpec = { ...REQUIRED_NETUID, positional: true };

function subnetJson(d: DynamicInfo, price: bigint | undefined, address: (k: Uint8Array) => string) {
  return {
    netuid: d.netuid,
    name: text(d.subnet_name),
    symbol: text(d.token_symbol),
    owner_coldkey: address(d.owner_coldkey),
    owner_hotkey: address(d.owner_hotkey),
    price: price ?? null,
    tempo: d.tempo,
    blocks_since_last_step: d.blocks_since_last_step,
    emission: d.emission,
    tao_in: d.tao_in,
    alpha_in: d.alpha_in,
    alpha_out: d.alpha_out,
    registered_at: d.network_registered_at,
    volume: d.subnet_volume,
  };
}

/** `tao subnets list`. */
export const subnetsList = defineCommand({
  usage: 'tao subnets list [--network N] [--json-output]',
  description: 'Every subnet: name, token, price, tempo, emission and pool reserves.',
  flags: [...CHAIN_FLAGS],
  notes: [
    'JSON: { "network", "block", "subnets": [{ netuid, name, symbol, owner_coldkey, owner_hotkey, price, tempo,',
    '        blocks_since_last_step, emission, tao_in, alpha_in, alpha_out, registered_at, volume }] }',
    '      (amounts and prices in rao as decimal strings; price is rao per alpha ×1e9)',
  ],
  async run(ctx) {
    const client = await ctx.client();
    const at = await client.block('best');
    const [subnets, prices] = await Promise.all([
      client.getSubnets({ at: at.hash }),
      client.getAlphaPrices({ at: at.hash }),
    ]);
    const rows = subnets
      .sort((a, b) => a.netuid - b.netuid)
      .map((d) => subnetJson(d, prices.get(d.netuid), (k) => client.address(k)));
    const { network } = await ctx.endpoint();
    ctx.out.result({ network, block: at.number, subnets: rows }, () => {
      const t = table(
        [
          { header: 'NETUID', right: true },
          { header: 'NAME' },
          { header: 'SYMBOL' },
          { header: 'PRICE', right: true, color: ctx.out.colors.green },
          { header: 'TEMPO', right: true },
          { header: 'EMISSION', right: true },
          { header: 'TAO IN', right: true },
          { header: 'ALPHA IN', right: true },
          { header: 'OWNER' },
        ],
        rows.map((r) => [
          String(r.netuid),
          r.name,
          r.symbol,
          r.price === null ? '' : formatPrice(r.price, r.symbol),
          String(r.tempo),
          formatTao(r.emission),
          formatTao(r.tao_in),
          formatAlpha(r.alpha_in, r.symbol),
          r.owner_coldkey,
        ]),
        { colors: ctx.out.colors },
      );
      return `Subnets on ${network} (block ${at.number})\n${t}`;
    });
  },
});

/** `tao subnets show` (alias `metagraph`). */
export const subnetsShow = defineCommand({
  usage: 'tao subnets show [--netuid] N [--network N]',
  description: "A subnet's metagraph: every uid with its keys, stake, scores, emission and axon.",
  flags: [...CHAIN_FLAGS, POSITIONAL_NETUID],
  notes: [
    'JSON: { "netuid", "name", "symbol", "block", "n", "tempo", "price", "owner_coldkey", "neurons": [{ uid,',
    '        hotkey_ss58, coldkey_ss58, active, stake, alpha_stake, tao_stake, rank, trust, consensus, incentive,',
    '        dividends, emission, validator_trust, validator_permit, last_update, axon }] }',
    '      (amounts in rao as decimal strings; ratios as numbers in [0, 1])',
  ],
  async run(ctx) {
    const netuid = requiredNetuid(ctx);
    const client = await ctx.client();
    await ctx.requireSubnet(netuid);
    const [[mg], price] = await Promise.all([
      metagraphs(client, [netuid]),
      client.alphaPrice(netuid),
    ]);
    if (!mg) throw new CliError('SUBNET_NOT_FOUND', `subnet ${netuid} does not exist`);
    const neurons = mg.uids.map((uid) => {
      const { hotkey_name: _, ...row } = neuronRow(mg, uid, null);
      return row;
    });
    const owner = mg.info ? client.address(mg.info.owner_coldkey) : null;
    ctx.out.result(
      {
        netuid,
        name: mg.name,
        symbol: mg.symbol,
        block: mg.block,
        n: mg.n,
        tempo: mg.tempo ?? null,
        price,
        owner_coldkey: owner,
        neurons,
      },
      () => {
        const head = `Subnet ${netuid}${mg.name ? ` (${mg.name})` : ''} at block ${mg.block}: ${mg.n} uids, price ${formatPrice(price, mg.symbol)}, tempo ${mg.tempo ?? '?'}`;
        const t = table(
          [
            { header: 'UID', right: true },
            ...SCORE_COLUMNS,
            { header: 'VAL' },
            { header: 'UPDATED', right: true },
            { header: 'ACTIVE' },
            { header: 'AXON' },
            { header: 'HOTKEY' },
            { header: 'COLDKEY' },
          ],
          neurons.map((n) => [
            String(n.uid),
            ...scoreCells(n, mg.symbol),
            n.validator_permit ? '*' : '',
            String(BigInt(mg.block) - n.last_update),
            n.active ? 'yes' : 'no',
            n.axon ?? '',
            n.hotkey_ss58,
            n.coldkey_ss58,
          ]),
          { colors: ctx.out.colors },
        );
        return `${head}\n${t}`;
      },
    );
  },
});

/** Hyperparameters in their JSON form (fixed-point steepness as a number). */
export function hyperparamsJson(h: SubnetHyperparamsV2): Record<string, unknown> {
  return {
    ...h,
    alpha_sigmoid_steepness: Number(h.alpha_sigmoid_steepness) / 2 ** 32,
  };
}

/** Reads and prints a subnet's hyperparameters (`subnets hyperparameters`, `sudo get`). */
export async function showHyperparameters(ctx: Context): Promise<void> {
  const netuid = requiredNetuid(ctx);
  const client = await ctx.client();
  const h = await client.getSubnetHyperparameters(netuid);
  if (!h) throw new CliError('SUBNET_NOT_FOUND', `subnet ${netuid} does not exist`);
  const values = hyperparamsJson(h);
  ctx.out.result({ netuid, hyperparameters: values }, () => {
    const t = table(
      [{ header: 'HYPERPARAMETER' }, { header: 'VALUE', right: true }],
      Object.entries(values).map(([k, v]) => [k, String(v)]),
      { colors: ctx.out.colors },
    );
    return `Hyperparameters of subnet ${netuid}\n${t}`;
  });
}

/** `tao subnets hyperparameters`. */
export const subnetsHyperparameters = defineCommand({
  usage: 'tao subnets hyperparameters [--netuid] N [--network N]',
  description: "A subnet's hyperparameters (SubnetInfoRuntimeApi.get_subnet_hyperparams_v2).",
  flags: [...CHAIN_FLAGS, POSITIONAL_NETUID],
  notes: [
    'JSON: { "netuid", "hyperparameters": { name: value } } (u64 values, including rao amounts, as decimal',
    '      strings; u16 values and booleans as JSON numbers and booleans)',
  ],
  run: showHyperparameters,
});

/** Identity flags: the chain's field name (in the JSON) and the SDK's `SubnetIdentity` key. */
const IDENTITY_FLAGS: readonly (FlagSpec & { field: string; key: keyof SubnetIdentity })[] = [
  {
    name: 'subnet-name',
    kind: 'string',
    field: 'subnet_name',
    key: 'subnetName',
    help: 'Subnet name',
  },
  {
    name: 'github-repo',
    kind: 'string',
    aliases: ['repo'],
    field: 'github_repo',
    key: 'githubRepo',
    help: 'GitHub repository URL',
  },
  {
    name: 'subnet-contact',
    kind: 'string',
    aliases: ['contact'],
    field: 'subnet_contact',
    key: 'subnetContact',
    help: 'Contact (e-mail)',
  },
  {
    name: 'subnet-url',
    kind: 'string',
    aliases: ['url'],
    field: 'subnet_url',
    key: 'subnetUrl',
    help: 'Website',
  },
  {
    name: 'discord',
    kind: 'string',
    aliases: ['discord-handle'],
    field: 'discord',
    key: 'discord',
    help: 'Discord handle',
  },
  {
    name: 'description',
    kind: 'string',
    field: 'description',
    key: 'description',
    help: 'Description',
  },
  { name: 'logo-url', kind: 'string', field: 'logo_url', key: 'logoUrl', help: 'Logo URL' },
  {
    name: 'additional-info',
    kind: 'string',
    aliases: ['additional'],
    field: 'additional',
    key: 'additional',
    help: 'Additional information',
  },
];

/** `tao subnets create`. */
export const subnetsCreate = defineCommand({
  usage: 'tao subnets create [--subnet-name N] [--github-repo URL] … [wallet options]',
  description:
    "Registers a new subnet owned by the wallet's coldkey, with its hotkey as owner hotkey (register_network, or register_network_with_identity when an identity flag is given). Prints the new netuid.",
  flags: [
    ...SIGNING_FLAGS,
    ...IDENTITY_FLAGS.map(({ field: _, key: __, ...f }) => ({ ...f, value: 'TEXT' })),
  ],
  notes: [
    'JSON: { "netuid", "lock_cost", "owner_coldkey", "owner_hotkey", "identity": { … } | null, "extrinsic": { … } }',
  ],
  async run(ctx) {
    const identity: SubnetIdentity = {};
    const identityJson: Record<string, string> = {};
    let any = false;
    for (const f of IDENTITY_FLAGS) {
      const v = ctx.flags.string(f.name);
      if (v !== undefined) any = true;
      if (new TextEncoder().encode(v ?? '').length > 1024)
        throw new UsageError(`--${f.name} is longer than 1024 bytes`);
      identity[f.key] = v ?? '';
      identityJson[f.field] = v ?? '';
    }
    const hot = await ctx.hotkeypub();
    const cold = await ctx.coldkeypub();
    const client = await ctx.client();
    const cost = await client.getNetworkRegistrationCost();
    ctx.out.progress(`subnet lock cost: ${formatTao(cost, 9)}`);
    await ctx.confirm(
      `Register a new subnet for ${formatTao(cost, 9)} (owner ${cold.ss58Address})?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit('SubtensorModule.register_network', (o) =>
      client.registerNetwork({ signer, hotkey: hot.publicKey, ...(any ? { identity } : {}) }, o),
    );
    const netuid = r.netuid ?? null;
    ctx.out.result(
      {
        netuid,
        lock_cost: cost,
        owner_coldkey: cold.ss58Address,
        owner_hotkey: hot.ss58Address,
        identity: any ? identityJson : null,
        extrinsic: extrinsicJson(r),
      },
      () =>
        `Registered subnet ${netuid ?? '?'} (${includedLine(r)}); start its emissions with: tao subnets start --netuid ${netuid ?? 'N'}`,
    );
  },
});

/** `tao subnets register`. */
export const subnetsRegister = defineCommand({
  usage: 'tao subnets register --netuid N [wallet options]',
  description:
    "Registers the wallet's hotkey on a subnet by burning the registration cost from its coldkey (burned_register).",
  flags: [...SIGNING_FLAGS, REQUIRED_NETUID],
  notes: [
    'JSON: { "netuid", "hotkey", "uid", "cost", "balance_before", "balance_after", "extrinsic": { … } }',
  ],
  async run(ctx) {
    const netuid = requiredNetuid(ctx);
    const hot = await ctx.hotkeypub();
    const cold = await ctx.coldkeypub();
    const client = await ctx.client();
    await ctx.requireSubnet(netuid);
    const existing = await client.getUidForHotkey(netuid, hot.publicKey);
    if (existing !== undefined)
      throw new CliError(
        'ALREADY_REGISTERED',
        `hotkey ${hot.ss58Address} is already registered on subnet ${netuid} as uid ${existing}`,
      );
    const [cost, before] = await Promise.all([
      client.getNeuronRegistrationCost(netuid),
      client.getBalance(cold.publicKey),
    ]);
    ctx.out.progress(
      `registration cost on subnet ${netuid}: ${formatTao(cost, 9)}; balance ${formatTao(before, 9)}`,
    );
    await ctx.confirm(`Register ${hot.ss58Address} on subnet ${netuid} for ${formatTao(cost, 9)}?`);
    const signer = await ctx.coldkey();
    const r = await ctx.submit('SubtensorModule.burned_register', (o) =>
      client.burnedRegister({ signer, netuid, hotkey: hot.publicKey }, o),
    );
    const ev = findEvent(r.events, 'SubtensorModule', 'NeuronRegistered')?.event;
    const uid =
      ev?.type === 'SubtensorModule' && ev.value.type === 'NeuronRegistered'
        ? ev.value.value[1]
        : ((await client.getUidForHotkey(netuid, hot.publicKey)) ?? null);
    const after = await client.getBalance(cold.publicKey);
    ctx.out.result(
      {
        netuid,
        hotkey: hot.ss58Address,
        uid,
        cost,
        balance_before: before,
        balance_after: after,
        extrinsic: extrinsicJson(r),
      },
      () => `Registered ${hot.ss58Address} on subnet ${netuid} as uid ${uid} (${includedLine(r)})`,
    );
  },
});

/** `tao subnets burn-cost`. */
export const subnetsBurnCost = defineCommand({
  usage: 'tao subnets burn-cost [--network N]',
  description: 'What registering a new subnet costs now (the lock cost).',
  flags: [...CHAIN_FLAGS],
  notes: ['JSON: { "network", "burn_cost" } (rao as a decimal string)'],
  async run(ctx) {
    const cost = await (await ctx.client()).getNetworkRegistrationCost();
    const { network } = await ctx.endpoint();
    ctx.out.result(
      { network, burn_cost: cost },
      () => `Subnet registration cost: ${formatTao(cost, 9)}`,
    );
  },
});

/** `tao subnets start`. */
export const subnetsStart = defineCommand({
  usage: 'tao subnets start --netuid N [wallet options]',
  description: 'Starts emissions of a subnet the wallet owns (start_call).',
  flags: [...SIGNING_FLAGS, REQUIRED_NETUID],
  notes: ['JSON: { "netuid", "extrinsic": { … } }'],
  async run(ctx) {
    const netuid = requiredNetuid(ctx);
    const client = await ctx.client();
    await ctx.requireSubnet(netuid);
    await ctx.confirm(`Start subnet ${netuid}?`);
    const signer = await ctx.coldkey();
    const r = await ctx.submit('SubtensorModule.start_call', (o) =>
      client.startCall({ signer, netuid }, o),
    );
    ctx.out.result(
      { netuid, extrinsic: extrinsicJson(r) },
      () => `Started subnet ${netuid} (${includedLine(r)})`,
    );
  },
});

/** `tao subnets price`. */
export const subnetsPrice = defineCommand({
  usage: 'tao subnets price [--netuids N,…] [--network N]',
  description: 'Current alpha prices (in TAO) of some or all subnets.',
  flags: [
    ...CHAIN_FLAGS,
    {
      name: 'netuids',
      kind: 'list',
      aliases: ['netuid'],
      short: ['n'],
      value: 'N,…',
      help: 'Subnets (default: all)',
    },
    { name: 'all-netuids', kind: 'boolean', aliases: ['all'], help: 'Every subnet (the default)' },
  ],
  notes: [
    'JSON: { "network", "block", "prices": [{ netuid, symbol, price }] } (price in rao per alpha ×1e9)',
  ],
  async run(ctx) {
    const list = ctx.flags.list('netuids');
    const wanted =
      list !== undefined ? parseNetuidList(list, ctx.flags.spelling('netuids')) : undefined;
    const client = await ctx.client();
    const at = await client.block('best');
    const [prices, subnets] = await Promise.all([
      client.getAlphaPrices({ at: at.hash }),
      client.getSubnets({ at: at.hash }),
    ]);
    const symbols = new Map(subnets.map((d) => [d.netuid, text(d.token_symbol)]));
    for (const n of wanted ?? [])
      if (!symbols.has(n)) throw new CliError('SUBNET_NOT_FOUND', `subnet ${n} does not exist`);
    const rows = [...symbols.keys()]
      .filter((n) => wanted === undefined || wanted.includes(n))
      .sort((a, b) => a - b)
      .map((netuid) => ({
        netuid,
        symbol: symbols.get(netuid) ?? '',
        price: prices.get(netuid) ?? 0n,
      }));
    const { network } = await ctx.endpoint();
    ctx.out.result({ network, block: at.number, prices: rows }, () =>
      table(
        [{ header: 'NETUID', right: true }, { header: 'SYMBOL' }, { header: 'PRICE', right: true }],
        rows.map((r) => [String(r.netuid), r.symbol, formatPrice(r.price, r.symbol)]),
        { colors: ctx.out.colors },
      ),
    );
  },
});
