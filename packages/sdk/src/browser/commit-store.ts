/**
 * Pending weight commits kept in memory, for hosts without a file system (the browser entry's
 * `connect` has no default store). A reveal needs exactly what was committed, so a page that must
 * survive a reload persists `all()` itself (e.g. in IndexedDB) and passes it back to the constructor.
 */
import { type HexString, ss58Encode } from '@taoscript/codec';
import type { CommitStore } from '../client/types.js';
import { accountBytes } from '../weights/commit-hash.js';
import {
  checkCommitBlock,
  checkPendingCommit,
  type PendingCommit,
} from '../weights/pending-commit.js';

/** Most commits one store keeps (the file store's per-hotkey limit). */
export const MAX_MEMORY_COMMITS = 10_000;

/** The commit, checked as the file store checks it (a fresh copy), keyed by its hotkey. */
function checked(commit: unknown): Stored {
  const c = checkPendingCommit(commit, 'MemoryCommitStore');
  return { who: keyOf(c.hotkey), commit: c };
}

interface Stored {
  /** The hotkey's generic-prefix address (the commit keeps the spelling it was saved with). */
  who: string;
  commit: PendingCommit;
}

const keyOf = (hotkey: unknown): string => ss58Encode(accountBytes(hotkey, 'hotkey'));
const idOf = (who: string, genesisHash: unknown, commitHash: unknown): string =>
  `${who} ${String(genesisHash)} ${String(commitHash)}`;

const copy = (c: PendingCommit): PendingCommit => ({
  ...c,
  uids: [...c.uids],
  values: [...c.values],
  salt: [...c.salt],
});

/**
 * A {@link CommitStore} in memory (commits are checked as the file store checks them).
 * @example
 * import { connect, MemoryCommitStore } from '@taoscript/sdk/browser';
 * const client = await connect({ network: 'ws://127.0.0.1:9944', commits: new MemoryCommitStore() });
 */
export class MemoryCommitStore implements CommitStore {
  /** By hotkey, chain and hash, oldest first (a replaced commit moves to the end, as on disk). */
  #stored = new Map<string, Stored>();

  /** Starts with `commits` (e.g. restored from the page's own storage). */
  constructor(commits: readonly PendingCommit[] = []) {
    if (!Array.isArray(commits)) throw new TypeError('commits must be an array');
    for (const c of commits) this.#put(checked(c));
  }

  #put(s: Stored): void {
    const id = idOf(s.who, s.commit.genesisHash, s.commit.commitHash);
    const replaced = this.#stored.delete(id);
    if (!replaced && this.#stored.size >= MAX_MEMORY_COMMITS)
      throw new RangeError(`MemoryCommitStore holds at most ${MAX_MEMORY_COMMITS} commits`);
    this.#stored.set(id, s);
  }

  /** Every pending commit of every hotkey (oldest first), for persisting. */
  all(): PendingCommit[] {
    return [...this.#stored.values()].map((s) => copy(s.commit));
  }

  /** Every pending commit of `hotkey` (oldest first). */
  async list(hotkey: string | Uint8Array): Promise<PendingCommit[]> {
    const who = keyOf(hotkey);
    return [...this.#stored.values()].filter((s) => s.who === who).map((s) => copy(s.commit));
  }

  /** Stores a commit (replacing one with the same hotkey, hash and chain). */
  async save(commit: PendingCommit): Promise<void> {
    this.#put(checked(commit));
  }

  /** Updates the inclusion block of a stored commit. */
  async setBlock(
    hotkey: string,
    genesisHash: HexString,
    commitHash: HexString,
    block: number,
  ): Promise<void> {
    checkCommitBlock(block);
    const s = this.#stored.get(idOf(keyOf(hotkey), genesisHash, commitHash));
    if (s !== undefined) s.commit.block = block;
  }

  /** Removes a commit (after its reveal); true if it was stored. */
  async remove(
    hotkey: string | Uint8Array,
    genesisHash: HexString,
    commitHash: HexString,
  ): Promise<boolean> {
    return this.#stored.delete(idOf(keyOf(hotkey), genesisHash, commitHash));
  }
}
