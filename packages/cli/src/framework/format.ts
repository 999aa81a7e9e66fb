/** Human formatting of amounts, and the JSON form of command results. */
import { RAO_PER_TAO } from './values.js';

/** The TAO sign. */
export const TAO_SYMBOL = 'τ';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Rao as a decimal amount with `decimals` places (truncated, never rounded up), thousands grouped:
 * `formatUnits(1_234_567_891_000n, 4)` → `1,234.5678`.
 */
export function formatUnits(rao: bigint, decimals = 4): string {
  const neg = rao < 0n;
  const abs = neg ? -rao : rao;
  const whole = groupThousands((abs / RAO_PER_TAO).toString());
  const frac = (abs % RAO_PER_TAO).toString().padStart(9, '0').slice(0, decimals);
  return `${neg ? '-' : ''}${whole}${decimals > 0 ? `.${frac}` : ''}`;
}

/** `τ1,234.5678`. */
export function formatTao(rao: bigint, decimals = 4): string {
  return `${TAO_SYMBOL}${formatUnits(rao, decimals)}`;
}

/** Alpha with the subnet's symbol: `12.5000 α`. */
export function formatAlpha(rao: bigint, symbol: string, decimals = 4): string {
  return `${formatUnits(rao, decimals)} ${symbol || 'α'}`;
}

/** Rao as an exact decimal string with all 9 places (`1.500000000`), for messages. */
export function exactTao(rao: bigint): string {
  const neg = rao < 0n;
  const abs = neg ? -rao : rao;
  return `${neg ? '-' : ''}${abs / RAO_PER_TAO}.${(abs % RAO_PER_TAO).toString().padStart(9, '0')}`;
}

/** A price in rao per alpha (×1e9) as `τ0.0012/α`-style text. */
export function formatPrice(price: bigint, symbol = 'α'): string {
  return `${formatTao(price, 6)}/${symbol || 'α'}`;
}

/** A u16 ratio as a 0..1 decimal with 5 places. */
export function formatU16(v: number): string {
  return (v / 65_535).toFixed(5);
}

/** A fraction as a percentage with 2 places. */
export function formatPercent(f: number): string {
  return `${(f * 100).toFixed(2)}%`;
}

/** Bytes that are text (names, symbols) decoded as UTF-8. */
export function text(bytes: ArrayLike<number> | undefined): string {
  if (!bytes) return '';
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

/**
 * The JSON form of a result value: bigints (rao, u64) become decimal strings, byte arrays `0x` hex,
 * Maps objects; everything else as JSON has it.
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array)
    return `0x${Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonValue(v)]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** One JSON document (2-space indent, trailing newline). */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(toJsonValue(value), null, 2)}\n`;
}
