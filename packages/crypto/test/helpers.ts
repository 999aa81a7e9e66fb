// Test-only helpers (hex, fast-check seed). Not part of the package surface.
import type fc from 'fast-check';

/** Bytes of a 0x-prefixed (or bare) hex string. */
export function hex(text: string): Uint8Array {
  const body = text.startsWith('0x') ? text.slice(2) : text;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) throw new Error(`bad hex ${text}`);
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(body.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** 0x-prefixed lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** UTF-8 bytes. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** fast-check parameters: seed from FC_SEED (printed by fast-check on failure) and a run count. */
export function fcParams(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED === undefined ? Date.now() | 0 : Number(process.env.FC_SEED);
  return { seed, numRuns, verbose: 1 };
}
