import { isIP } from 'node:net';

function ipv4ToInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToInt(ip: string): bigint {
  let text = ip.split('%')[0]!;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = ipv4ToInt(last);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  const parse = (s: string): bigint[] =>
    s === '' ? [] : s.split(':').map((g) => BigInt(`0x${g}`));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const zeros = halves.length === 2 ? 8 - left.length - right.length : 0;
  const groups = [...left, ...new Array<bigint>(zeros).fill(0n), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/**
 * An IP address as the integer `serve_axon` publishes (Python `int(netaddr.IPAddress(ip))`).
 * @example
 * import { ipToInt } from '@taoscript/sdk';
 * ipToInt('1.2.3.4'); // 16909060n
 */
export function ipToInt(ip: string): bigint {
  const version = ipVersion(ip);
  return version === 4 ? ipv4ToInt(ip) : ipv6ToInt(ip);
}

/**
 * 4 or 6 (Python `netaddr.IPAddress(ip).version`); RangeError for anything that is not an IP.
 * @example
 * import { ipVersion } from '@taoscript/sdk';
 * ipVersion('::1'); // 6
 */
export function ipVersion(ip: string): 4 | 6 {
  if (typeof ip !== 'string') throw new TypeError('ip must be a string');
  const v = isIP(ip);
  if (v !== 4 && v !== 6) throw new RangeError(`not an IP address: '${ip.slice(0, 64)}'`);
  return v;
}
