/** How a keyfile's bytes are encrypted (by their first bytes, as btwallet detects it). */
export type KeyfileEncryption = 'nacl' | 'ansible-vault' | 'fernet' | 'none';

function startsWithAscii(data: Uint8Array, prefix: string): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/**
 * Detects the encryption of keyfile bytes: `$NACL`, `$ANSIBLE_VAULT`, `gAAAAA` (Fernet) or none.
 * @example
 * import { keyfileEncryption } from '@taoscript/sdk';
 * keyfileEncryption(new TextEncoder().encode('$NACL...')); // 'nacl'
 */
export function keyfileEncryption(data: Uint8Array): KeyfileEncryption {
  if (!(data instanceof Uint8Array)) throw new TypeError('keyfile data must be a Uint8Array');
  if (startsWithAscii(data, '$NACL')) return 'nacl';
  if (startsWithAscii(data, '$ANSIBLE_VAULT')) return 'ansible-vault';
  if (startsWithAscii(data, 'gAAAAA')) return 'fernet';
  return 'none';
}
