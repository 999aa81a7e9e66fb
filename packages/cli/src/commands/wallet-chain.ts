/** `tao wallet balance | transfer | overview`: the wallet against the chain. */
import { readdir } from 'node:fs/promises';
import type { Metagraph, SubtensorClient } from '@taoscript/sdk';
import { defineCommand } from '../framework/command.js';
import {
  CHAIN_FLAGS,
  NETUID_FLAG,
  SIGNING_FLAGS,
  WALLET_FLAGS,
} from '../framework/common-flags.js';
import { formatAlpha, formatTao } from '../framework/format.js';
import { type Column, table } from '../framework/output.js';
import { parseSs58, parseTao, RAO_PER_TAO } from '../framework/values.js';
import { UsageError } from '../io.js';
import {
  extrinsicJson,
  findEvent,
  hotkeyNames,
  includedLine,
  optionalNetuid,
  requiredString,
} from './shared.js';

/** TAO value (rao) of alpha at a price. */
export function taoValue(alpha: bigint, price: bigint | undefined): bigint {
  return (alpha * (price ?? RAO_PER_TAO)) / RAO_PER_TAO;
}

interface BalanceRow {
  name: string | null;
  coldkey_ss58: string;
  free: bigint;
  staked: bigint;
  total: bigint;
}

/** `tao wallet balance`. */
export const walletBalance = defineCommand({
  usage: 'tao wallet balance [--wallet-name N | --all | --ss58 ADDR,…] [--network N]',
  description:
    'Free balance, the TAO value of staked alpha at current prices, and their total for a wallet, every wallet (--all) or addresses.',
  flags: [
    ...WALLET_FLAGS,
    ...CHAIN_FLAGS,
    { name: 'all', kind: 'boolean', aliases: ['all-wallets'], help: 'Every wallet under the path' },
    {
      name: 'ss58',
      kind: 'list',
      aliases: ['ss58-address', 'ss58-addresses'],
      value: 'ADDR,…',
      help: 'Addresses instead of wallets',
    },
  ],
  notes: [
    'JSON: { "network", "balances": [{ name, coldkey_ss58, free, staked, total }],',
    '        "total": { free, staked, total } }   (amounts in rao, as decimal strings)',
  ],
  async run(ctx) {
    const targets: { name: string | null; ss58: string; key: Uint8Array }[] = [];
    const ss58s = ctx.flags.list('ss58');
    if (ss58s !== undefined) {
      for (const a of ss58s)
        targets.push({ name: null, ss58: a, key: parseSs58(a, ctx.flags.spelling('ss58')) });
    } else if (ctx.flags.bool('all') === true) {
      const root = (await ctx.wallet()).root;
      const { Wallet } = await import('@taoscript/sdk');
      let names: string[] = [];
      try {
        names = (await readdir(root, { withFileTypes: true }))
          .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
          .map((e) => e.name)
          .sort();
      } catch {
        names = [];
      }
      for (const name of names) {
        const w = new Wallet({ name, path: root, env: ctx.env, homeDir: ctx.home, prompt: false });
        const k = await w.getColdkeypub().catch(() => undefined);
        if (k) targets.push({ name, ss58: k.ss58Address, key: k.publicKey });
      }
      if (targets.length === 0) throw new UsageError(`no wallets with a coldkey in ${root}`);
    } else {
      const k = await ctx.coldkeypub();
      targets.push({ name: ctx.walletSettings().name, ss58: k.ss58Address, key: k.publicKey });
    }
    const client = await ctx.client();
    const [frees, stakes, prices] = await Promise.all([
      Promise.all(targets.map((t) => client.getBalance(t.key))),
      client.getStakeInfoForColdkeys(targets.map((t) => t.key)),
      client.getAlphaPrices(),
    ]);
    const rows: BalanceRow[] = targets.map((t, i) => {
      const staked = (stakes.get(t.ss58) ?? []).reduce(
        (sum, s) => sum + taoValue(s.stake, prices.get(s.netuid)),
        0n,
      );
      const free = frees[i] as bigint;
      return { name: t.name, coldkey_ss58: t.ss58, free, staked, total: free + staked };
    });
    const total = rows.reduce(
      (a, r) => ({ free: a.free + r.free, staked: a.staked + r.staked, total: a.total + r.total }),
      { free: 0n, staked: 0n, total: 0n },
    );
    const { network } = await ctx.endpoint();
    ctx.out.result({ network, balances: rows, total }, () => {
      const t = table(
        [
          { header: 'WALLET' },
          { header: 'COLDKEY' },
          { header: 'FREE', right: true, color: ctx.out.colors.green },
          { header: 'STAKED', right: true, color: ctx.out.colors.cyan },
          { header: 'TOTAL', right: true },
        ],
        rows.map((r) => [
          r.name ?? '',
          r.coldkey_ss58,
          formatTao(r.free),
          formatTao(r.staked),
          formatTao(r.total),
        ]),
        {
          footer: [
            'Total',
            '',
            formatTao(total.free),
            formatTao(total.staked),
            formatTao(total.total),
          ],
          colors: ctx.out.colors,
        },
      );
      return `Balances on ${network} (${client.url})\n${t}`;
    });
  },
});

/** `tao wallet transfer`. */
export const walletTransfer = defineCommand({
  usage: 'tao wallet transfer --dest ADDRESS (--amount TAO | --all) [--allow-death] [options]',
  description:
    "Sends TAO from the wallet's coldkey (Balances.transfer_keep_alive; transfer_allow_death with --allow-death; transfer_all with --all).",
  flags: [
    ...SIGNING_FLAGS,
    {
      name: 'dest',
      kind: 'string',
      aliases: ['destination', 'dest-ss58', 'destination-ss58'],
      value: 'ADDRESS',
      help: 'Destination SS58 address',
    },
    { name: 'amount', kind: 'string', value: 'TAO', help: 'Amount in TAO (e.g. 1.5)' },
    {
      name: 'all',
      kind: 'boolean',
      aliases: ['transfer-all'],
      help: 'Send the whole free balance',
    },
    {
      name: 'allow-death',
      kind: 'boolean',
      off: ['no-allow-death', 'keep-alive'],
      help: 'Allow the sender to drop below the existential deposit (account reaped)',
    },
  ],
  notes: [
    'JSON: { "from", "to", "amount", "keep_alive", "balance_before", "balance_after", "extrinsic": { block, block_hash,',
    '        extrinsic_index, tx_hash, fee, events } }   (amounts in rao, as decimal strings)',
  ],
  async run(ctx) {
    const destText = requiredString(ctx, 'dest').trim();
    const dest = parseSs58(destText, ctx.flags.spelling('dest'));
    const all = ctx.flags.bool('all') === true;
    const amountText = ctx.flags.string('amount');
    if (all === (amountText !== undefined))
      throw new UsageError('pass exactly one of --amount or --all');
    const amount =
      amountText !== undefined ? parseTao(amountText, ctx.flags.spelling('amount')) : undefined;
    const keepAlive = ctx.flags.bool('allow-death') !== true;
    const from = await ctx.coldkeypub();
    const client = await ctx.client();
    const before = await client.getBalance(from.publicKey);
    const { network } = await ctx.endpoint();
    const what = amount !== undefined ? formatTao(amount, 9) : `all (${formatTao(before, 9)})`;
    if (!ctx.out.json)
      ctx.out.progress(
        `balance ${formatTao(before, 9)}; sending ${what} to ${destText} on ${network}`,
      );
    await ctx.confirm(`Transfer ${what} from ${from.ss58Address} to ${destText}?`);
    const signer = await ctx.coldkey();
    const r = await ctx.submit('Balances transfer', (o) =>
      client.transfer(
        {
          signer,
          dest,
          ...(amount !== undefined ? { amount } : {}),
          keepAlive,
          all,
        },
        o,
      ),
    );
    const after = await client.getBalance(from.publicKey);
    const ev = findEvent(r.events, 'Balances', 'Transfer')?.event;
    const moved =
      ev?.type === 'Balances' && ev.value.type === 'Transfer' ? ev.value.value.amount : amount;
    const doc = {
      from: from.ss58Address,
      to: destText,
      amount: moved ?? null,
      keep_alive: keepAlive,
      balance_before: before,
      balance_after: after,
      extrinsic: extrinsicJson(r),
    };
    ctx.out.result(doc, () =>
      [
        `Sent ${moved !== undefined ? formatTao(moved, 9) : what} to ${destText} (${includedLine(r)})`,
        `Balance: ${formatTao(before, 9)} → ${formatTao(after, 9)}`,
      ].join('\n'),
    );
  },
});

interface OverviewNeuron {
  uid: number;
  hotkey_name: string | null;
  hotkey_ss58: string;
  coldkey_ss58: string;
  active: boolean;
  stake: bigint;
  alpha_stake: bigint;
  tao_stake: bigint;
  rank: number;
  trust: number;
  consensus: number;
  incentive: number;
  dividends: number;
  emission: bigint;
  validator_trust: number;
  validator_permit: boolean;
  last_update: bigint;
  axon: string | null;
}

/** One neuron's overview row. */
export function neuronRow(mg: Metagraph, uid: number, name: string | null): OverviewNeuron {
  const r = (v: number | undefined) => (v ?? 0) / 65_535;
  const axon = mg.axons[uid];
  return {
    uid,
    hotkey_name: name,
    hotkey_ss58: mg.hotkeys[uid] as string,
    coldkey_ss58: mg.coldkeys[uid] as string,
    active: mg.active[uid] ?? false,
    stake: mg.totalStakeRao[uid] ?? 0n,
    alpha_stake: mg.alphaStakeRao[uid] ?? 0n,
    tao_stake: mg.taoStakeRao[uid] ?? 0n,
    rank: r(mg.rankU16[uid]),
    trust: r(mg.trustU16[uid]),
    consensus: r(mg.consensusU16[uid]),
    incentive: r(mg.incentiveU16[uid]),
    dividends: r(mg.dividendsU16[uid]),
    emission: mg.emissionRao[uid] ?? 0n,
    validator_trust: r(mg.validatorTrustU16[uid]),
    validator_permit: mg.validatorPermit[uid] ?? false,
    last_update: mg.lastUpdate[uid] ?? 0n,
    axon: axon?.isServing ? `${axon.ip}:${axon.port}` : null,
  };
}

/** The score columns of a metagraph table, STAKE to VTRUST; {@link scoreCells} fills them. */
export const SCORE_COLUMNS: readonly Column[] = [
  { header: 'STAKE', right: true },
  { header: 'RANK', right: true },
  { header: 'TRUST', right: true },
  { header: 'CONSENSUS', right: true },
  { header: 'INCENTIVE', right: true },
  { header: 'DIVIDENDS', right: true },
  { header: 'EMISSION', right: true },
  { header: 'VTRUST', right: true },
];

/** One neuron's cells under {@link SCORE_COLUMNS}. */
export function scoreCells(n: Omit<OverviewNeuron, 'hotkey_name'>, symbol: string): string[] {
  return [
    formatAlpha(n.stake, symbol),
    n.rank.toFixed(5),
    n.trust.toFixed(5),
    n.consensus.toFixed(5),
    n.incentive.toFixed(5),
    n.dividends.toFixed(5),
    formatAlpha(n.emission, symbol),
    n.validator_trust.toFixed(5),
  ];
}

/** Synced lite metagraphs of these subnets, in netuid order. */
export async function metagraphs(client: SubtensorClient, netuids: number[]): Promise<Metagraph[]> {
  const { Metagraph } = await import('@taoscript/sdk');
  const at = (await client.block('best')).hash;
  return Promise.all(netuids.map((n) => new Metagraph(client, n).sync({ at })));
}

/** `tao wallet overview`. */
export const walletOverview = defineCommand({
  usage: 'tao wallet overview [--wallet-name N] [--netuid N] [--network N]',
  description:
    "The wallet's neurons on every subnet (or one): those of its hotkeys and of any hotkey its coldkey owns.",
  flags: [...WALLET_FLAGS, ...CHAIN_FLAGS, { ...NETUID_FLAG, help: 'Only this subnet' }],
  notes: [
    'JSON: { "wallet", "coldkey_ss58", "network", "block", "balance", "subnets": [{ netuid, name, symbol,',
    '        neurons: [{ uid, hotkey_name, hotkey_ss58, coldkey_ss58, active, stake, alpha_stake, tao_stake, rank,',
    '        trust, consensus, incentive, dividends, emission, validator_trust, validator_permit, last_update, axon }] }] }',
    '      (stake and emission in rao as decimal strings; ratios as numbers in [0, 1])',
  ],
  async run(ctx) {
    const only = optionalNetuid(ctx);
    const w = await ctx.wallet();
    const cold = await ctx.coldkeypub();
    const names = await hotkeyNames(ctx);
    const client = await ctx.client();
    if (only !== undefined) await ctx.requireSubnet(only);
    const netuids = only !== undefined ? [only] : await client.getNetuids();
    const [graphs, balance] = await Promise.all([
      metagraphs(client, netuids),
      client.getBalance(cold.publicKey),
    ]);
    const subnets = graphs
      .map((mg) => ({
        netuid: mg.netuid,
        name: mg.name,
        symbol: mg.symbol,
        neurons: mg.uids
          .filter(
            (uid) => mg.coldkeys[uid] === cold.ss58Address || names.has(mg.hotkeys[uid] as string),
          )
          .map((uid) => neuronRow(mg, uid, names.get(mg.hotkeys[uid] as string) ?? null)),
      }))
      .filter((s) => s.neurons.length > 0);
    const { network } = await ctx.endpoint();
    const block = graphs[0]?.block ?? (await client.getCurrentBlock());
    ctx.out.result(
      { wallet: w.name, coldkey_ss58: cold.ss58Address, network, block, balance, subnets },
      () => {
        const head = `Wallet '${w.name}' (${cold.ss58Address}) on ${network}, block ${block}: free ${formatTao(balance)}`;
        if (subnets.length === 0) return `${head}\nNo neurons registered.`;
        const parts = [head];
        for (const s of subnets) {
          parts.push(
            `\nSubnet ${s.netuid}${s.name ? `: ${s.name}` : ''}`,
            table(
              [
                { header: 'HOTKEY' },
                { header: 'UID', right: true },
                { header: 'ACTIVE' },
                ...SCORE_COLUMNS,
                { header: 'VPERMIT' },
                { header: 'UPDATED', right: true },
                { header: 'AXON' },
                { header: 'HOTKEY_SS58' },
              ],
              s.neurons.map((n) => [
                n.hotkey_name ?? '',
                String(n.uid),
                n.active ? 'yes' : 'no',
                ...scoreCells(n, s.symbol),
                n.validator_permit ? '*' : '',
                String(BigInt(block) - n.last_update),
                n.axon ?? '',
                n.hotkey_ss58,
              ]),
              { colors: ctx.out.colors },
            ),
          );
        }
        return parts.join('\n');
      },
    );
  },
});
