/** Helpers several command modules share: extrinsic JSON, hotkey resolution, subnet symbols. */
import type { ChainEvent, ExtrinsicResult, SubtensorClient } from '@taoscript/sdk';
import type { Context } from '../framework/context.js';
import { formatTao, text } from '../framework/format.js';
import { isSs58, parseNetuid, parseSs58 } from '../framework/values.js';
import { UsageError } from '../io.js';

/** The JSON of an included extrinsic (amounts in rao as strings). */
export function extrinsicJson(r: ExtrinsicResult): Record<string, unknown> {
  return {
    block: r.blockNumber,
    block_hash: r.blockHash,
    extrinsic_index: r.extrinsicIndex,
    tx_hash: r.txHash,
    fee: r.fee ?? null,
    events: r.events.map((e) => `${e.pallet}.${e.name}`),
  };
}

/** One human line for an included extrinsic. */
export function includedLine(r: ExtrinsicResult): string {
  return `block ${r.blockNumber}, extrinsic ${r.extrinsicIndex}${r.fee !== undefined ? `, fee ${formatTao(r.fee, 6)}` : ''}`;
}

/** The first event `Pallet.Name` of a result, decoded. */
export function findEvent(events: readonly ChainEvent[], pallet: string, name: string) {
  return events.find((e) => e.pallet === pallet && e.name === name);
}

/** A hotkey given by wallet hotkey name or SS58 address. */
export interface HotkeyRef {
  ss58: string;
  publicKey: Uint8Array;
  /** The wallet's hotkey name, when it came from the wallet. */
  name: string | undefined;
}

/**
 * The hotkey a command acts on: `--hotkey-ss58` if given, else `--hotkey` when it is an SS58
 * address, else the wallet's hotkey of that name (or the default).
 */
export async function hotkeyRef(ctx: Context, ss58Flag = 'hotkey-ss58'): Promise<HotkeyRef> {
  const explicit = ctx.flags.maybeString(ss58Flag);
  if (explicit !== undefined) {
    const publicKey = parseSs58(explicit, ctx.flags.spelling(ss58Flag));
    return { ss58: explicit.trim(), publicKey, name: undefined };
  }
  const byName = ctx.flags.maybeString('hotkey');
  if (byName !== undefined && isSs58(byName.trim())) {
    return { ss58: byName.trim(), publicKey: parseSs58(byName, '--hotkey'), name: undefined };
  }
  const key = await ctx.hotkeypub();
  return { ss58: key.ss58Address, publicKey: key.publicKey, name: ctx.walletSettings().hotkey };
}

/** `--netuid` as a number, required. */
export function requiredNetuid(ctx: Context, flag = 'netuid'): number {
  const v = ctx.flags.string(flag);
  if (v === undefined) throw new UsageError(`--${flag} is required`);
  return parseNetuid(v, ctx.flags.spelling(flag));
}

/** `--netuid` as a number, if given. */
export function optionalNetuid(ctx: Context, flag = 'netuid'): number | undefined {
  const v = ctx.flags.string(flag);
  return v === undefined ? undefined : parseNetuid(v, ctx.flags.spelling(flag));
}

/** A subnet's name and token symbol (empty when unknown). */
export async function subnetLabel(
  client: SubtensorClient,
  netuid: number,
): Promise<{ name: string; symbol: string }> {
  const d = await client.getDynamicInfo(netuid);
  return { name: text(d?.subnet_name), symbol: text(d?.token_symbol) };
}

/** A string flag that must be given. */
export function requiredString(ctx: Context, flag: string): string {
  const v = ctx.flags.string(flag);
  if (v === undefined) throw new UsageError(`--${flag} is required`);
  return v;
}

/** The wallet's hotkey names by SS58 address (hotkeys without a readable public key left out). */
export async function hotkeyNames(ctx: Context): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const h of await (await ctx.wallet()).listHotkeys()) {
    const k = await (await ctx.wallet(h)).getHotkeypub().catch(() => undefined);
    if (k) names.set(k.ss58Address, h);
  }
  return names;
}
