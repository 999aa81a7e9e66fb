import { type Keypair, keypairFromUri } from './keypair.js';

/** Names of the well-known Substrate development accounts. */
export const DEV_ACCOUNT_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;

/** One of {@link DEV_ACCOUNT_NAMES}. */
export type DevAccountName = (typeof DEV_ACCOUNT_NAMES)[number];

const cache = new Map<DevAccountName, Keypair>();

/**
 * The sr25519 dev keypair `//<name>` (derived once, then cached).
 * @example
 * import { devKeypair } from '@taoscript/crypto';
 * devKeypair('Alice').address(); // 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
 */
export function devKeypair(name: DevAccountName): Keypair {
  if (!(DEV_ACCOUNT_NAMES as readonly unknown[]).includes(name)) {
    throw new RangeError(
      `unknown dev account ${String(name)}; expected one of ${DEV_ACCOUNT_NAMES.join(', ')}`,
    );
  }
  let pair = cache.get(name);
  if (pair === undefined) {
    pair = keypairFromUri(`//${name}`, 'sr25519');
    cache.set(name, pair);
  }
  return pair;
}
