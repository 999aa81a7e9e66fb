/**
 * The dev chain's genesis choices beyond the defaults: subnets created and started at genesis,
 * given by `--dev-subnets <n>` or a chain-spec JSON file (`--chain-spec <file>`).
 */
import { readFileSync } from 'node:fs';
import { ss58Decode } from '@taoscript/codec';
import { keypairFromUri } from '@taoscript/crypto';
import { z } from 'zod';

export interface DevSubnet {
  coldkey: Uint8Array;
  hotkey: Uint8Array;
  tempo?: number;
}

export interface ChainSpecChoices {
  subnets: DevSubnet[];
  /** How block emission is shared across subnets; subtensor's current price rule by default. */
  emissionShares?: 'price' | 'flow';
}

/** A spec file that cannot be used, with a one-line reason. */
export class ChainSpecError extends Error {
  override name = 'ChainSpecError';
}

/** The largest spec file read (a spec is a few hundred bytes). */
export const MAX_CHAIN_SPEC_BYTES = 1024 * 1024;
/** At most this many genesis subnets (each one doubles the lock cost its owner pays). */
export const MAX_GENESIS_SUBNETS = 8;

const account = z.string().min(1).max(256);
const ChainSpecFile = z
  .object({
    subnets: z
      .array(
        z
          .object({
            owner: account,
            hotkey: account,
            tempo: z.number().int().min(1).max(50_400).optional(),
          })
          .strict(),
      )
      .max(MAX_GENESIS_SUBNETS),
    emissionShares: z.enum(['price', 'flow']).optional(),
  })
  .strict();

/** An account from an SS58 address or a secret URI (`//Alice`, `//Alice//hot1`). */
export function resolveAccount(s: string): Uint8Array {
  const decoded = ss58Decode(s);
  if (decoded.valid) {
    if (decoded.publicKey.length !== 32)
      throw new ChainSpecError(`"${s}" is not a 32-byte account`);
    return decoded.publicKey;
  }
  if (s.startsWith('/') || s.includes(' ') || s.startsWith('0x')) {
    try {
      return keypairFromUri(s).publicKey;
    } catch (err) {
      throw new ChainSpecError(
        `"${s}" is neither an SS58 address nor a usable secret URI: ${(err as Error).message}`,
      );
    }
  }
  throw new ChainSpecError(`"${s}" is neither an SS58 address nor a secret URI: ${decoded.reason}`);
}

/** `--dev-subnets n`: subnets 1..n owned by //Alice with hotkeys //Alice//subnet<i>. */
export function devSubnets(n: number): ChainSpecChoices {
  if (!Number.isInteger(n) || n < 0 || n > MAX_GENESIS_SUBNETS)
    throw new ChainSpecError(`--dev-subnets takes 0 to ${MAX_GENESIS_SUBNETS}, got ${n}`);
  const owner = keypairFromUri('//Alice').publicKey;
  return {
    subnets: Array.from({ length: n }, (_, i) => ({
      coldkey: owner,
      hotkey: keypairFromUri(`//Alice//subnet${i + 1}`).publicKey,
    })),
  };
}

/** Reads and validates a chain-spec file. */
export function readChainSpec(path: string): ChainSpecChoices {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_CHAIN_SPEC_BYTES)
      throw new ChainSpecError(
        `${path} is ${buf.length} bytes; a chain spec is at most ${MAX_CHAIN_SPEC_BYTES}`,
      );
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof ChainSpecError) throw err;
    throw new ChainSpecError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ChainSpecError(`${path} is not JSON: ${(err as Error).message}`);
  }
  const parsed = ChainSpecFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChainSpecError(
      `${path}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    );
  }
  return {
    subnets: parsed.data.subnets.map((s) => ({
      coldkey: resolveAccount(s.owner),
      hotkey: resolveAccount(s.hotkey),
      ...(s.tempo !== undefined ? { tempo: s.tempo } : {}),
    })),
    ...(parsed.data.emissionShares !== undefined
      ? { emissionShares: parsed.data.emissionShares }
      : {}),
  };
}
