/** IP addresses as the chain stores them in `AxonInfo` (a u128 plus `ip_type` 4 or 6). */

/** An address parsed for `serve_axon`. */
export interface ParsedIp {
  ip: bigint;
  ipType: 4 | 6;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string): bigint | undefined {
  const m = V4.exec(s);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const part = m[i] as string;
    if (part.length > 1 && part.startsWith('0')) return undefined; // no octal-looking parts
    const n = Number(part);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (s.length > 45 || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i] as string;
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseV4(g);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(Number.parseInt(g, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  let all: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else all = head;
  if (all.length !== 8) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/**
 * Parses an IPv4 or IPv6 address into the integer and type `serve_axon` takes.
 * @example
 * import { parseIp } from '@taoscript/sdk';
 * parseIp('1.2.3.4'); // { ip: 16909060n, ipType: 4 }
 */
export function parseIp(address: unknown): ParsedIp {
  if (typeof address !== 'string') throw new TypeError('ip must be a string');
  const s = address.trim();
  const v4 = parseV4(s);
  if (v4 !== undefined) return { ip: v4, ipType: 4 };
  const v6 = parseV6(s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s);
  if (v6 !== undefined) return { ip: v6, ipType: 6 };
  throw new RangeError(`"${s.slice(0, 64)}" is not an IPv4 or IPv6 address`);
}

/**
 * Formats a stored axon address (`0.0.0.0` style for type 4, RFC 5952 for type 6).
 * @example
 * import { formatIp } from '@taoscript/sdk';
 * formatIp(16909060n, 4); // '1.2.3.4'
 */
export function formatIp(ip: bigint, ipType: number): string {
  if (typeof ip !== 'bigint' || ip < 0n || ip >= 1n << 128n)
    throw new RangeError('ip must be a u128 bigint');
  if (ipType !== 6) {
    const v = ip & 0xffff_ffffn;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  }
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((ip >> BigInt(i * 16)) & 0xffffn));
  // Compress the longest run (≥ 2) of zero groups, the first one on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
