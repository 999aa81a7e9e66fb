/** A pending weights commit (what a reveal needs) and the schema every commit store checks it with. */
import type { HexString } from '@taoscript/codec';
import { z } from 'zod';

/** A commit waiting for its reveal. */
export interface PendingCommit {
  /** SS58 address of the committing hotkey. */
  hotkey: string;
  netuid: number;
  mechid: number;
  commitHash: HexString;
  uids: number[];
  values: number[];
  salt: number[];
  versionKey: bigint;
  /** Genesis hash of the chain the commit was made on. */
  genesisHash: HexString;
  /** Block the commit was included in (0 until known). */
  block: number;
}

const hex = (len?: number) =>
  z
    .string()
    .regex(len === undefined ? /^0x[0-9a-f]*$/ : new RegExp(`^0x[0-9a-f]{${len}}$`))
    .transform((s) => s as HexString);
const u16 = z.number().int().min(0).max(65_535);

/**
 * A pending commit as stored (version key as a decimal string), checked strictly: what a store
 * accepts from `save` and reads back.
 */
export const PendingCommitEntry = z
  .object({
    hotkey: z.string().min(1).max(64),
    netuid: u16,
    mechid: z.number().int().min(0).max(255),
    commitHash: hex(64),
    uids: z.array(u16).max(65_536),
    values: z.array(u16).max(65_536),
    salt: z.array(u16).max(65_536),
    versionKey: z.string().regex(/^[0-9]{1,20}$/),
    genesisHash: hex(64),
    block: z.number().int().min(0),
  })
  .strict();

/**
 * `commit` checked as every store checks it (TypeError for a non-object or a non-bigint version
 * key, RangeError naming the bad field otherwise); `store` prefixes the message.
 */
export function checkPendingCommit(commit: unknown, store: string): PendingCommit {
  if (typeof commit !== 'object' || commit === null) throw new TypeError('expected a commit');
  const c = commit as PendingCommit;
  if (typeof c.versionKey !== 'bigint') throw new TypeError('commit.versionKey must be a bigint');
  const entry = PendingCommitEntry.safeParse({ ...c, versionKey: String(c.versionKey) });
  if (!entry.success) {
    const issue = entry.error.issues[0];
    throw new RangeError(
      `${store}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid commit'}`,
    );
  }
  return { ...entry.data, versionKey: c.versionKey };
}

/** Throws RangeError unless `block` is a non-negative safe integer (a commit's inclusion block). */
export function checkCommitBlock(block: unknown): asserts block is number {
  if (!Number.isSafeInteger(block) || (block as number) < 0)
    throw new RangeError('block must be a non-negative integer');
}
