// Helpers shared by the store tests and the crash-test child process.
import { createHash } from 'node:crypto';
import type { BlockCommit } from '../types.js';

/** Deterministic 32-byte hash for a test block. */
export function testHash(number: number, salt = ''): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`block:${number}:${salt}`).digest());
}

/** Bytes from a 0x-hex string. */
export function hex(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.startsWith('0x') ? h.slice(2) : h, 'hex'));
}

/** 0x-hex of bytes. */
export function toHexString(b: Uint8Array): string {
  return `0x${Buffer.from(b).toString('hex')}`;
}

/** A block commit extending `parent` (genesis when `parent` is undefined). */
export function makeBlock(
  number: number,
  parent: Uint8Array | undefined,
  changes: Record<string, Uint8Array | null> | Map<string, Uint8Array | null> = {},
  salt = '',
): BlockCommit {
  return {
    number,
    hash: testHash(number, salt),
    parentHash: parent ?? new Uint8Array(32),
    header: new Uint8Array([number & 0xff, 1, 2, 3]),
    body: [new Uint8Array([4, 5]), new Uint8Array(0), new Uint8Array([number & 0xff])],
    changes: changes instanceof Map ? changes : new Map(Object.entries(changes)),
  };
}

/** The crash test's per-block key (0x-hex, 80 bytes) and value, both derived from the number. */
export function crashKey(number: number): string {
  return `0x${'ab'.repeat(76)}${number.toString(16).padStart(8, '0')}`;
}

/** Value written at `crashKey(number)` and at the shared counter key by block `number`. */
export function crashValue(number: number): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`value:${number}`).digest());
}

/** Key every crash-test block overwrites with its own number's value. */
export const CRASH_COUNTER_KEY = `0x${'cd'.repeat(40)}`;
