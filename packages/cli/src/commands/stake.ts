/**
 * `tao stake add | remove | move | transfer | swap | list | set-claim | process-claim`.
 * Adding and removing show a slippage preview (Swap runtime API) before signing; with --safe
 * (the default, or config safe_staking) they use the limit-price calls at price ± tolerance.
 */
import { bytesEqual } from '@taoscript/codec';
import type { RootClaimType, StakePreview, SubtensorClient, WalletKey } from '@taoscript/sdk';
import { defineCommand } from '../framework/command.js';
import {
  CHAIN_FLAGS,
  NETUID_FLAG,
  SIGNING_FLAGS,
  WALLET_FLAGS,
} from '../framework/common-flags.js';
import type { Context } from '../framework/context.js';
import { CliError } from '../framework/errors.js';
import type { FlagSpec } from '../framework/flags.js';
import { formatAlpha, formatPercent, formatPrice, formatTao, text } from '../framework/format.js';
import { table } from '../framework/output.js';
import {
  parseNetuid,
  parseNetuidList,
  parseSs58,
  parseTao,
  RAO_PER_TAO,
} from '../framework/values.js';
import { UsageError } from '../io.js';
import {
  extrinsicJson,
  type HotkeyRef,
  hotkeyNames,
  hotkeyRef,
  includedLine,
  requiredNetuid,
  requiredString,
  subnetLabel,
} from './shared.js';
import { taoValue } from './wallet-chain.js';

/** Kept back from the free balance by `stake add --all` for the transaction fee (0.01 τ). */
export const STAKE_ALL_FEE_RESERVE = 10_000_000n;

const HOTKEY_SS58: FlagSpec = {
  name: 'hotkey-ss58',
  kind: 'string',
  aliases: ['hotkey-ss58-address', 'include-hotkeys'],
  value: 'ADDRESS',
  help: "Stake to this hotkey address instead of the wallet's hotkey",
};
const AMOUNT: FlagSpec = {
  name: 'amount',
  kind: 'string',
  value: 'AMOUNT',
  help: 'Amount (TAO to add, alpha to remove or move)',
};
const SAFE_FLAGS: readonly FlagSpec[] = [
  {
    name: 'safe',
    kind: 'boolean',
    aliases: ['safe-staking'],
    off: ['unsafe', 'no-safe-staking'],
    help: 'Use a limit price (default: config safe_staking, else on)',
  },
  {
    name: 'tolerance',
    kind: 'string',
    aliases: ['rate-tolerance'],
    value: 'FRACTION',
    help: 'Price tolerance of --safe, e.g. 0.005 (default: config rate_tolerance, else 0.005)',
  },
  {
    name: 'partial',
    kind: 'boolean',
    aliases: ['allow-partial', 'allow-partial-stake'],
    off: ['no-partial', 'no-allow-partial-stake'],
    help: 'Let a limit order fill partially instead of failing (default off)',
  },
];

function previewTable(ctx: Context, rows: { label: string; value: string }[]): string {
  return table(
    [{ header: 'PREVIEW' }, { header: '', right: true }],
    rows.map((r) => [r.label, r.value]),
    { colors: ctx.out.colors },
  );
}

async function symbolOf(client: SubtensorClient, netuid: number): Promise<string> {
  return (await subnetLabel(client, netuid)).symbol || 'α';
}

interface StakeTarget {
  netuid: number;
  hotkey: HotkeyRef;
  coldkey: string;
  coldkeyPublic: Uint8Array;
  client: SubtensorClient;
}

async function target(ctx: Context): Promise<StakeTarget> {
  const netuid = requiredNetuid(ctx);
  const hotkey = await hotkeyRef(ctx);
  const cold = await ctx.coldkeypub();
  const client = await ctx.client();
  await ctx.requireSubnet(netuid);
  return { netuid, hotkey, coldkey: cold.ss58Address, coldkeyPublic: cold.publicKey, client };
}

function amountOrAll(ctx: Context, allFlag = 'all'): bigint | 'all' {
  const amount = ctx.flags.string('amount');
  const all = ctx.flags.bool(allFlag) === true;
  if (all === (amount !== undefined))
    throw new UsageError(`pass exactly one of --amount or --${allFlag}`);
  return all ? 'all' : parseTao(amount as string, ctx.flags.spelling('amount'));
}

/**
 * What `stake add` and `stake remove` read first: the requested amount and staking settings (so bad
 * flags fail before any chain call), the target, and its balance, stake and subnet symbol.
 */
async function orderInputs(ctx: Context) {
  const requested = amountOrAll(ctx);
  const settings = ctx.stakingSettings();
  const t = await target(ctx);
  const { client, netuid } = t;
  const [balance, stakeBefore, symbol] = await Promise.all([
    client.getBalance(t.coldkeyPublic),
    client.getStake({ coldkey: t.coldkeyPublic, hotkey: t.hotkey.publicKey, netuid }),
    symbolOf(client, netuid),
  ]);
  return { requested, settings, t, balance, stakeBefore, symbol };
}

function previewJson(p: StakePreview, out: 'alpha' | 'tao') {
  return {
    price: p.price,
    [out === 'alpha' ? 'expected_alpha' : 'expected_tao']: p.amountOut,
    slippage: p.slippage,
    fee: out === 'alpha' ? p.sim.tao_fee : p.sim.alpha_fee,
  };
}

/** What {@link stakeOrder} needs besides the target: the order and the balances before it. */
interface StakeOrder {
  /** `add`: TAO in, alpha out; `remove`: alpha in, TAO out. */
  side: 'add' | 'remove';
  amount: bigint;
  balance: bigint;
  stakeBefore: bigint;
  symbol: string;
  /** Read before any chain call, so a bad --tolerance fails first. */
  settings: ReturnType<Context['stakingSettings']>;
}

/**
 * Previews the swap (price, expected output, slippage, limit price), warns when an unsafe order
 * slips past the tolerance, asks, submits add/remove (limit variants with --safe) and reports the
 * stake and balance before and after.
 */
async function stakeOrder(ctx: Context, t: StakeTarget, o: StakeOrder): Promise<void> {
  const { client, netuid } = t;
  const { side, amount, balance, stakeBefore, symbol, settings } = o;
  const adding = side === 'add';
  const preview = adding
    ? await client.previewAddStake(netuid, amount)
    : await client.previewRemoveStake(netuid, amount);
  const { applyTolerance } = await import('@taoscript/sdk');
  const limit = settings.safe
    ? applyTolerance(preview.price, settings.tolerance, adding ? 1 : -1)
    : undefined;
  const inAmount = adding ? formatTao(amount, 9) : formatAlpha(amount, symbol, 9);
  const where = `${t.hotkey.ss58} on subnet ${netuid}`;
  ctx.out.info(
    previewTable(ctx, [
      { label: adding ? 'stake' : 'unstake', value: inAmount },
      { label: adding ? 'to' : 'from', value: where },
      { label: 'price', value: formatPrice(preview.price, symbol) },
      {
        label: 'expected',
        value: adding ? formatAlpha(preview.amountOut, symbol, 9) : formatTao(preview.amountOut, 9),
      },
      { label: 'slippage', value: formatPercent(preview.slippage) },
      {
        label: 'limit price',
        value:
          limit !== undefined
            ? `${formatPrice(limit, symbol)} (tolerance ${formatPercent(settings.tolerance)}${settings.partial ? ', partial fill' : ''})`
            : 'none (--unsafe)',
      },
    ]),
  );
  if (!settings.safe && preview.slippage > settings.tolerance)
    ctx.out.warn(
      `slippage ${formatPercent(preview.slippage)} is above ${formatPercent(settings.tolerance)}`,
    );
  await ctx.confirm(
    adding ? `Stake ${inAmount} to ${where}?` : `Unstake ${inAmount} from ${where}?`,
  );
  const signer = await ctx.coldkey();
  const call = adding ? 'add_stake' : 'remove_stake';
  const params = {
    signer,
    hotkey: t.hotkey.publicKey,
    netuid,
    amount,
    ...(limit !== undefined ? { limit: { price: limit, allowPartial: settings.partial } } : {}),
  };
  const r = await ctx.submit(`SubtensorModule.${settings.safe ? `${call}_limit` : call}`, (x) =>
    adding ? client.addStake(params, x) : client.removeStake(params, x),
  );
  const [stakeAfter, balanceAfter] = await Promise.all([
    client.getStake({ coldkey: t.coldkeyPublic, hotkey: t.hotkey.publicKey, netuid }),
    client.getBalance(t.coldkeyPublic),
  ]);
  ctx.out.result(
    {
      netuid,
      hotkey: t.hotkey.ss58,
      coldkey: t.coldkey,
      amount,
      safe: settings.safe,
      tolerance: settings.tolerance,
      allow_partial: settings.partial,
      limit_price: limit ?? null,
      preview: previewJson(preview, adding ? 'alpha' : 'tao'),
      stake_before: stakeBefore,
      stake_after: stakeAfter,
      balance_before: balance,
      balance_after: balanceAfter,
      extrinsic: extrinsicJson(r),
    },
    () =>
      [
        `${adding ? 'Staked' : 'Unstaked'} ${inAmount} ${adding ? 'to' : 'from'} ${where} (${includedLine(r)})`,
        `Stake: ${formatAlpha(stakeBefore, symbol, 9)} → ${formatAlpha(stakeAfter, symbol, 9)}`,
        `Balance: ${formatTao(balance, 9)} → ${formatTao(balanceAfter, 9)}`,
      ].join('\n'),
  );
}

/** `tao stake add`. */
export const stakeAdd = defineCommand({
  usage:
    'tao stake add --netuid N (--amount TAO | --all) [--safe|--unsafe] [--tolerance F] [--partial]',
  description:
    "Stakes TAO from the wallet's coldkey to a hotkey on a subnet (add_stake, or add_stake_limit with --safe), after a slippage preview.",
  flags: [
    ...SIGNING_FLAGS,
    { ...NETUID_FLAG, help: 'Subnet id (required)' },
    AMOUNT,
    {
      name: 'all',
      kind: 'boolean',
      aliases: ['stake-all'],
      help: 'Stake the free balance (minus 0.01 τ for the fee)',
    },
    HOTKEY_SS58,
    ...SAFE_FLAGS,
  ],
  notes: [
    'JSON: { "netuid", "hotkey", "coldkey", "amount", "safe", "tolerance", "allow_partial", "limit_price",',
    '        "preview": { price, expected_alpha, slippage, fee }, "stake_before", "stake_after",',
    '        "balance_before", "balance_after", "extrinsic": { … } }  (rao and alpha amounts as decimal strings;',
    '        price is rao per alpha ×1e9; slippage a fraction)',
  ],
  async run(ctx) {
    const { requested, settings, t, balance, stakeBefore, symbol } = await orderInputs(ctx);
    const { client } = t;
    let amount: bigint;
    if (requested === 'all') {
      amount = balance - client.getExistentialDeposit() - STAKE_ALL_FEE_RESERVE;
      if (amount <= 0n)
        throw new CliError(
          'INSUFFICIENT_BALANCE',
          `the free balance ${formatTao(balance, 9)} is too small to stake`,
        );
    } else amount = requested;
    await stakeOrder(ctx, t, { side: 'add', amount, balance, stakeBefore, symbol, settings });
  },
});

/** `tao stake remove`. */
export const stakeRemove = defineCommand({
  usage:
    'tao stake remove --netuid N (--amount ALPHA | --all) [--safe|--unsafe] [--tolerance F] [--partial]',
  description:
    'Unstakes alpha from a hotkey on a subnet back to TAO (remove_stake, or remove_stake_limit with --safe), after a slippage preview.',
  flags: [
    ...SIGNING_FLAGS,
    { ...NETUID_FLAG, help: 'Subnet id (required)' },
    AMOUNT,
    { name: 'all', kind: 'boolean', aliases: ['unstake-all'], help: 'Unstake all of this stake' },
    HOTKEY_SS58,
    ...SAFE_FLAGS,
  ],
  notes: [
    'JSON: { "netuid", "hotkey", "coldkey", "amount", "safe", "tolerance", "allow_partial", "limit_price",',
    '        "preview": { price, expected_tao, slippage, fee }, "stake_before", "stake_after",',
    '        "balance_before", "balance_after", "extrinsic": { … } }',
  ],
  async run(ctx) {
    const { requested, settings, t, balance, stakeBefore, symbol } = await orderInputs(ctx);
    const { netuid } = t;
    const amount = requested === 'all' ? stakeBefore : requested;
    if (amount === 0n)
      throw new CliError(
        'NO_STAKE',
        `${t.coldkey} has no stake on ${t.hotkey.ss58} in subnet ${netuid}`,
      );
    if (amount > stakeBefore)
      throw new CliError(
        'NOT_ENOUGH_STAKE',
        `the stake on ${t.hotkey.ss58} in subnet ${netuid} is ${formatAlpha(stakeBefore, symbol, 9)}, less than ${formatAlpha(amount, symbol, 9)}`,
      );
    await stakeOrder(ctx, t, { side: 'remove', amount, balance, stakeBefore, symbol, settings });
  },
});

const ORIGIN_DEST: readonly FlagSpec[] = [
  { name: 'origin-netuid', kind: 'string', value: 'N', help: 'Subnet the stake is in (required)' },
  {
    name: 'dest-netuid',
    kind: 'string',
    aliases: ['destination-netuid'],
    value: 'N',
    help: 'Subnet to move it to (default: the origin subnet)',
  },
];

function originDest(ctx: Context, destDefaultsToOrigin: boolean) {
  const o = requiredString(ctx, 'origin-netuid');
  const origin = parseNetuid(o, ctx.flags.spelling('origin-netuid'));
  const d = ctx.flags.string('dest-netuid');
  if (d === undefined && !destDefaultsToOrigin) throw new UsageError('--dest-netuid is required');
  const dest = d === undefined ? origin : parseNetuid(d, ctx.flags.spelling('dest-netuid'));
  return { origin, dest };
}

/**
 * The stake a move, transfer or swap takes from `hot` on subnet `origin` (checked against the
 * wallet's stake there), with the coldkey and client; both subnets must exist.
 */
async function movedStake(
  ctx: Context,
  hot: HotkeyRef,
  origin: number,
  dest: number,
  allFlag: string,
): Promise<{ cold: WalletKey; client: SubtensorClient; amount: bigint; before: bigint }> {
  const cold = await ctx.coldkeypub();
  const client = await ctx.client();
  await ctx.requireSubnet(origin);
  if (dest !== origin) await ctx.requireSubnet(dest);
  const requested = amountOrAll(ctx, allFlag);
  const before = await client.getStake({
    coldkey: cold.publicKey,
    hotkey: hot.publicKey,
    netuid: origin,
  });
  const amount = requested === 'all' ? before : requested;
  const hotSs58 = client.address(hot.publicKey);
  if (amount === 0n) throw new CliError('NO_STAKE', `no stake on ${hotSs58} in subnet ${origin}`);
  if (amount > before)
    throw new CliError(
      'NOT_ENOUGH_STAKE',
      `the stake on ${hotSs58} in subnet ${origin} is ${formatAlpha(before, '', 9)}, less than ${formatAlpha(amount, '', 9)}`,
    );
  return { cold, client, amount, before };
}

/** `tao stake move`. */
export const stakeMove = defineCommand({
  usage:
    'tao stake move --origin-netuid N [--dest-netuid M] [--dest HOTKEY] (--amount ALPHA | --stake-all)',
  description:
    "Moves stake between hotkeys and/or subnets, keeping the wallet's coldkey as owner (move_stake).",
  flags: [
    ...SIGNING_FLAGS,
    ...ORIGIN_DEST,
    {
      name: 'dest',
      kind: 'string',
      aliases: ['dest-hotkey', 'destination-hotkey', 'dest-ss58'],
      value: 'ADDRESS',
      help: 'Destination hotkey (default: the same hotkey)',
    },
    HOTKEY_SS58,
    AMOUNT,
    {
      name: 'stake-all',
      kind: 'boolean',
      aliases: ['all', 'move-all'],
      help: 'Move all of this stake',
    },
  ],
  notes: [
    'JSON: { "origin_netuid", "destination_netuid", "origin_hotkey", "destination_hotkey", "amount",',
    '        "origin_stake_before", "origin_stake_after", "destination_stake_before", "destination_stake_after",',
    '        "extrinsic": { … } }',
  ],
  async run(ctx) {
    const { origin, dest } = originDest(ctx, true);
    const destHotText = ctx.flags.string('dest');
    const hot = await hotkeyRef(ctx);
    const destHot =
      destHotText !== undefined
        ? parseSs58(destHotText, ctx.flags.spelling('dest'))
        : hot.publicKey;
    if (dest === origin && bytesEqual(destHot, hot.publicKey))
      throw new UsageError(
        'nothing to move: origin and destination are the same hotkey and subnet',
      );
    const { cold, client, amount, before } = await movedStake(ctx, hot, origin, dest, 'stake-all');
    const destBefore = await client.getStake({
      coldkey: cold.publicKey,
      hotkey: destHot,
      netuid: dest,
    });
    const destSs58 = client.address(destHot);
    await ctx.confirm(
      `Move ${formatAlpha(amount, '', 9)} from ${hot.ss58} (subnet ${origin}) to ${destSs58} (subnet ${dest})?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit('SubtensorModule.move_stake', (o) =>
      client.moveStake(
        {
          signer,
          originHotkey: hot.publicKey,
          destinationHotkey: destHot,
          originNetuid: origin,
          destinationNetuid: dest,
          amount,
        },
        o,
      ),
    );
    const [after, destAfter] = await Promise.all([
      client.getStake({ coldkey: cold.publicKey, hotkey: hot.publicKey, netuid: origin }),
      client.getStake({ coldkey: cold.publicKey, hotkey: destHot, netuid: dest }),
    ]);
    ctx.out.result(
      {
        origin_netuid: origin,
        destination_netuid: dest,
        origin_hotkey: hot.ss58,
        destination_hotkey: destSs58,
        amount,
        origin_stake_before: before,
        origin_stake_after: after,
        destination_stake_before: destBefore,
        destination_stake_after: destAfter,
        extrinsic: extrinsicJson(r),
      },
      () =>
        `Moved stake to ${destSs58} on subnet ${dest} (${includedLine(r)}); destination stake ${formatAlpha(destAfter, '', 9)}`,
    );
  },
});

/** `tao stake transfer`. */
export const stakeTransfer = defineCommand({
  usage:
    'tao stake transfer --origin-netuid N [--dest-netuid M] --dest COLDKEY (--amount ALPHA | --stake-all)',
  description: 'Gives stake to another coldkey, on the same hotkey (transfer_stake).',
  flags: [
    ...SIGNING_FLAGS,
    ...ORIGIN_DEST,
    {
      name: 'dest',
      kind: 'string',
      aliases: ['dest-coldkey', 'destination', 'dest-ss58'],
      value: 'ADDRESS',
      help: 'Destination coldkey (required)',
    },
    HOTKEY_SS58,
    AMOUNT,
    { name: 'stake-all', kind: 'boolean', aliases: ['all'], help: 'Transfer all of this stake' },
  ],
  notes: [
    'JSON: { "origin_netuid", "destination_netuid", "hotkey", "destination_coldkey", "amount",',
    '        "origin_stake_before", "origin_stake_after", "destination_stake_after", "extrinsic": { … } }',
  ],
  async run(ctx) {
    const { origin, dest } = originDest(ctx, true);
    const destColdText = requiredString(ctx, 'dest').trim();
    const destCold = parseSs58(destColdText, ctx.flags.spelling('dest'));
    const hot = await hotkeyRef(ctx);
    const { cold, client, amount, before } = await movedStake(ctx, hot, origin, dest, 'stake-all');
    await ctx.confirm(
      `Transfer ${formatAlpha(amount, '', 9)} of stake on ${hot.ss58} to coldkey ${destColdText}?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit('SubtensorModule.transfer_stake', (o) =>
      client.transferStake(
        {
          signer,
          destinationColdkey: destCold,
          hotkey: hot.publicKey,
          originNetuid: origin,
          destinationNetuid: dest,
          amount,
        },
        o,
      ),
    );
    const [after, destAfter] = await Promise.all([
      client.getStake({ coldkey: cold.publicKey, hotkey: hot.publicKey, netuid: origin }),
      client.getStake({ coldkey: destCold, hotkey: hot.publicKey, netuid: dest }),
    ]);
    ctx.out.result(
      {
        origin_netuid: origin,
        destination_netuid: dest,
        hotkey: hot.ss58,
        destination_coldkey: destColdText,
        amount,
        origin_stake_before: before,
        origin_stake_after: after,
        destination_stake_after: destAfter,
        extrinsic: extrinsicJson(r),
      },
      () => `Transferred stake to ${destColdText} (${includedLine(r)})`,
    );
  },
});

/** `tao stake swap`. */
export const stakeSwap = defineCommand({
  usage:
    'tao stake swap --origin-netuid N --dest-netuid M (--amount ALPHA | --swap-all) [--safe|--unsafe] [--tolerance F] [--partial]',
  description:
    'Swaps stake of one hotkey from one subnet to another (swap_stake, or swap_stake_limit with --safe: the origin/destination price ratio may fall by at most the tolerance).',
  flags: [
    ...SIGNING_FLAGS,
    ...ORIGIN_DEST,
    HOTKEY_SS58,
    AMOUNT,
    { name: 'swap-all', kind: 'boolean', aliases: ['all'], help: 'Swap all of this stake' },
    ...SAFE_FLAGS,
  ],
  notes: [
    'JSON: { "origin_netuid", "destination_netuid", "hotkey", "amount", "origin_stake_before",',
    '        "origin_stake_after", "destination_stake_before", "destination_stake_after", "extrinsic": { … },',
    '        "safe", "tolerance", "allow_partial", "limit_price" }  (limit_price: the lowest',
    '        origin/destination price ratio accepted, ×1e9; null with --unsafe)',
  ],
  async run(ctx) {
    const settings = ctx.stakingSettings();
    const { origin, dest } = originDest(ctx, false);
    if (origin === dest) throw new UsageError('--origin-netuid and --dest-netuid must differ');
    const hot = await hotkeyRef(ctx);
    const { cold, client, amount, before } = await movedStake(ctx, hot, origin, dest, 'swap-all');
    const destBefore = await client.getStake({
      coldkey: cold.publicKey,
      hotkey: hot.publicKey,
      netuid: dest,
    });
    const ratio = settings.safe ? await client.swapPriceRatio(origin, dest) : undefined;
    const { applyTolerance } = await import('@taoscript/sdk');
    const limit = ratio === undefined ? undefined : applyTolerance(ratio, settings.tolerance, -1);
    if (limit !== undefined)
      ctx.out.progress(
        `limit: origin/destination price ratio ≥ ${formatPrice(limit, '')} (now ${formatPrice(ratio ?? 0n, '')}, tolerance ${formatPercent(settings.tolerance)}${settings.partial ? ', partial fill' : ''})`,
      );
    await ctx.confirm(
      `Swap ${formatAlpha(amount, '', 9)} on ${hot.ss58} from subnet ${origin} to subnet ${dest}?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit(
      `SubtensorModule.${limit !== undefined ? 'swap_stake_limit' : 'swap_stake'}`,
      (o) =>
        client.swapStake(
          {
            signer,
            hotkey: hot.publicKey,
            originNetuid: origin,
            destinationNetuid: dest,
            amount,
            ...(limit !== undefined
              ? { limit: { price: limit, allowPartial: settings.partial } }
              : {}),
          },
          o,
        ),
    );
    const [after, destAfter] = await Promise.all([
      client.getStake({ coldkey: cold.publicKey, hotkey: hot.publicKey, netuid: origin }),
      client.getStake({ coldkey: cold.publicKey, hotkey: hot.publicKey, netuid: dest }),
    ]);
    ctx.out.result(
      {
        origin_netuid: origin,
        destination_netuid: dest,
        hotkey: hot.ss58,
        amount,
        origin_stake_before: before,
        origin_stake_after: after,
        destination_stake_before: destBefore,
        destination_stake_after: destAfter,
        extrinsic: extrinsicJson(r),
        safe: settings.safe,
        tolerance: settings.tolerance,
        allow_partial: settings.partial,
        limit_price: limit ?? null,
      },
      () => `Swapped stake from subnet ${origin} to subnet ${dest} (${includedLine(r)})`,
    );
  },
});

/** `tao stake list`. */
export const stakeList = defineCommand({
  usage: 'tao stake list [--wallet-name N | --ss58 ADDRESS] [--network N]',
  description: "Every stake position of the wallet's coldkey (or an address) with its TAO value.",
  flags: [
    ...WALLET_FLAGS,
    ...CHAIN_FLAGS,
    {
      name: 'ss58',
      kind: 'string',
      aliases: ['coldkey-ss58', 'ss58-address'],
      value: 'ADDRESS',
      help: 'A coldkey address instead of the wallet',
    },
  ],
  notes: [
    'JSON: { "coldkey", "network", "stakes": [{ netuid, symbol, hotkey, hotkey_name, stake, price, value,',
    '        locked, emission }], "total_value" }  (alpha and rao as decimal strings)',
  ],
  async run(ctx) {
    const ss58 = ctx.flags.string('ss58');
    let coldkey: Uint8Array;
    let names = new Map<string, string>();
    if (ss58 !== undefined) coldkey = parseSs58(ss58, ctx.flags.spelling('ss58'));
    else {
      coldkey = (await ctx.coldkeypub()).publicKey;
      names = await hotkeyNames(ctx);
    }
    const client = await ctx.client();
    const [infos, prices, subnets] = await Promise.all([
      client.getStakeInfoForColdkey(coldkey),
      client.getAlphaPrices(),
      client.getSubnets(),
    ]);
    const symbols = new Map(subnets.map((d) => [d.netuid, text(d.token_symbol)]));
    const stakes = infos
      .filter((s) => s.stake > 0n)
      .sort((a, b) => a.netuid - b.netuid)
      .map((s) => {
        const hk = client.address(s.hotkey);
        const price = prices.get(s.netuid) ?? RAO_PER_TAO;
        return {
          netuid: s.netuid,
          symbol: symbols.get(s.netuid) ?? '',
          hotkey: hk,
          hotkey_name: names.get(hk) ?? null,
          stake: s.stake,
          price,
          value: taoValue(s.stake, price),
          locked: s.locked,
          emission: s.emission,
        };
      });
    const totalValue = stakes.reduce((a, s) => a + s.value, 0n);
    const { network } = await ctx.endpoint();
    const coldSs58 = client.address(coldkey);
    ctx.out.result({ coldkey: coldSs58, network, stakes, total_value: totalValue }, () => {
      if (stakes.length === 0) return `${coldSs58} has no stake on ${network}`;
      return `Stake of ${coldSs58} on ${network}\n${table(
        [
          { header: 'NETUID', right: true },
          { header: 'HOTKEY' },
          { header: 'NAME' },
          { header: 'STAKE', right: true },
          { header: 'PRICE', right: true },
          { header: 'VALUE', right: true, color: ctx.out.colors.green },
        ],
        stakes.map((s) => [
          String(s.netuid),
          s.hotkey,
          s.hotkey_name ?? '',
          formatAlpha(s.stake, s.symbol),
          formatPrice(s.price, s.symbol),
          formatTao(s.value),
        ]),
        { footer: ['', 'Total', '', '', '', formatTao(totalValue)], colors: ctx.out.colors },
      )}`;
    });
  },
});

const CLAIM_TYPES: Record<string, RootClaimType> = {
  swap: 'Swap',
  keep: 'Keep',
  'keep-subnets': 'KeepSubnets',
  keepsubnets: 'KeepSubnets',
  keep_subnets: 'KeepSubnets',
};

/** `tao stake set-claim`. */
export const stakeSetClaim = defineCommand({
  usage: 'tao stake set-claim --claim-type swap|keep|keep-subnets [--netuids N,…]',
  description:
    'How root-stake dividends of the coldkey are claimed: swapped to TAO (swap), kept as alpha (keep), or kept on the listed subnets only (keep-subnets) (set_root_claim_type).',
  flags: [
    ...SIGNING_FLAGS,
    {
      name: 'claim-type',
      kind: 'string',
      aliases: ['type'],
      value: 'TYPE',
      help: 'swap, keep or keep-subnets',
    },
    { name: 'netuids', kind: 'list', value: 'N,…', help: 'Subnets to keep (keep-subnets only)' },
  ],
  notes: ['JSON: { "coldkey", "claim_type", "netuids", "extrinsic": { … } }'],
  async run(ctx) {
    const raw = requiredString(ctx, 'claim-type').trim().toLowerCase();
    const type = Object.hasOwn(CLAIM_TYPES, raw) ? CLAIM_TYPES[raw] : undefined;
    if (!type)
      throw new UsageError(
        `--claim-type must be swap, keep or keep-subnets, got '${raw.slice(0, 32)}'`,
      );
    const list = ctx.flags.list('netuids');
    if (type === 'KeepSubnets' && list === undefined)
      throw new UsageError('--claim-type keep-subnets needs --netuids');
    if (type !== 'KeepSubnets' && list !== undefined)
      throw new UsageError('--netuids goes only with --claim-type keep-subnets');
    const netuids =
      list !== undefined ? parseNetuidList(list, ctx.flags.spelling('netuids')) : undefined;
    const cold = await ctx.coldkeypub();
    const client = await ctx.client();
    for (const n of netuids ?? []) await ctx.requireSubnet(n);
    await ctx.confirm(
      `Set the root claim type of ${cold.ss58Address} to ${type}${netuids ? ` (${netuids.join(', ')})` : ''}?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit('SubtensorModule.set_root_claim_type', (o) =>
      client.setRootClaimType(
        { signer, claimType: type, ...(netuids !== undefined ? { netuids } : {}) },
        o,
      ),
    );
    ctx.out.result(
      {
        coldkey: cold.ss58Address,
        claim_type: type,
        netuids: netuids ?? null,
        extrinsic: extrinsicJson(r),
      },
      () => `Root claim type of ${cold.ss58Address} is now ${type} (${includedLine(r)})`,
    );
  },
});

/** `tao stake process-claim`. */
export const stakeProcessClaim = defineCommand({
  usage: 'tao stake process-claim --netuids N,… [wallet options]',
  description: "Claims the coldkey's pending root dividends on up to 5 subnets now (claim_root).",
  flags: [
    ...SIGNING_FLAGS,
    {
      name: 'netuids',
      kind: 'list',
      aliases: ['netuid'],
      short: ['n'],
      value: 'N,…',
      help: 'Subnets to claim on (1 to 5)',
    },
  ],
  notes: ['JSON: { "coldkey", "netuids", "claimed": bool, "extrinsic": { … } }'],
  async run(ctx) {
    const list = ctx.flags.list('netuids');
    if (list === undefined) throw new UsageError('--netuids is required');
    const netuids = parseNetuidList(list, ctx.flags.spelling('netuids'));
    const { MAX_SUBNET_CLAIMS } = await import('@taoscript/sdk');
    if (netuids.length > MAX_SUBNET_CLAIMS)
      throw new UsageError(`--netuids takes at most ${MAX_SUBNET_CLAIMS} subnets per claim`);
    const cold = await ctx.coldkeypub();
    const client = await ctx.client();
    for (const n of netuids) await ctx.requireSubnet(n);
    await ctx.confirm(
      `Claim root dividends of ${cold.ss58Address} on subnets ${netuids.join(', ')}?`,
    );
    const signer = await ctx.coldkey();
    const r = await ctx.submit('SubtensorModule.claim_root', (o) =>
      client.claimRoot({ signer, netuids }, o),
    );
    ctx.out.result(
      { coldkey: cold.ss58Address, netuids, claimed: r.claimed, extrinsic: extrinsicJson(r) },
      () => `Processed root claims on subnets ${netuids.join(', ')} (${includedLine(r)})`,
    );
  },
});
