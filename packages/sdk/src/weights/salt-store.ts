/**
 * Pending weight commits kept on disk until they are revealed: one JSON file per hotkey
 * (`<dir>/<hotkey ss58>.json`, mode 0600, directory 0700), written atomically (temp file + rename).
 * A reveal needs the exact uids, values, salt and version key that were hashed; losing them
 * means the commit can never be revealed, so they are stored before the commit is submitted.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BtError, type HexString, ss58Encode } from '@taoscript/codec';
import { z } from 'zod';
import { accountBytes } from './commit-hash.js';
import {
  checkCommitBlock,
  checkPendingCommit,
  type PendingCommit,
  PendingCommitEntry,
} from './pending-commit.js';

export type { PendingCommit } from './pending-commit.js';

/** Largest commit file read (a file holds at most a few commits per subnet). */
export const MAX_COMMIT_FILE_BYTES = 8 * 1024 * 1024;

/** Default directory: `~/.bittensor/weight-commits`. */
export function defaultCommitDir(): string {
  return join(homedir(), '.bittensor', 'weight-commits');
}

const FileSchema = z
  .object({ version: z.literal(1), commits: z.array(PendingCommitEntry).max(10_000) })
  .strict();

/** A commit file that cannot be read or parsed. */
export class CommitStoreError extends BtError {
  override name = 'CommitStoreError';
  constructor(shortMessage: string, opts: { cause?: unknown; details?: string } = {}) {
    super(shortMessage, { code: 'COMMIT_STORE_CORRUPT', ...opts });
  }
}

/**
 * Reads and writes pending commits under one directory.
 * @example
 * import { SaltStore } from '@taoscript/sdk';
 * const store = new SaltStore('/tmp/commits');
 * await store.list('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'); // []
 */
export class SaltStore {
  readonly dir: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string = defaultCommitDir()) {
    if (typeof dir !== 'string' || dir.trim() === '' || dir.includes('\0'))
      throw new TypeError('SaltStore: dir must be a non-empty path');
    this.dir = resolve(dir);
  }

  #file(hotkey: string | Uint8Array): string {
    return join(this.dir, `${ss58Encode(accountBytes(hotkey, 'hotkey'))}.json`);
  }

  /** Runs `fn` after every earlier write of this store (no lost updates within a process). */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #read(file: string): Promise<PendingCommit[]> {
    let text: string;
    try {
      const st = await stat(file);
      if (st.size > MAX_COMMIT_FILE_BYTES)
        throw new CommitStoreError(`${file} is ${st.size} bytes; refusing to read it`);
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      if (err instanceof CommitStoreError) throw err;
      throw new CommitStoreError(`cannot read ${file}`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new CommitStoreError(`${file} is not JSON`, { cause: err });
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CommitStoreError(`${file} is not a commit file`, {
        details: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid',
      });
    }
    return parsed.data.commits.map((c) => ({ ...c, versionKey: BigInt(c.versionKey) }));
  }

  async #write(file: string, commits: PendingCommit[]): Promise<void> {
    if (commits.length === 0) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const body = JSON.stringify({
      version: 1,
      commits: commits.map((c) => ({ ...c, versionKey: c.versionKey.toString() })),
    });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, body, { mode: 0o600, flag: 'wx' });
      await chmod(tmp, 0o600);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Every pending commit of `hotkey` (oldest first). */
  async list(hotkey: string | Uint8Array): Promise<PendingCommit[]> {
    const file = this.#file(hotkey);
    return this.#serial(() => this.#read(file));
  }

  /** Stores a commit (replacing one with the same hash and chain). */
  async save(commit: PendingCommit): Promise<void> {
    const checked = checkPendingCommit(commit, 'SaltStore.save');
    const file = this.#file(checked.hotkey);
    return this.#serial(async () => {
      const all = (await this.#read(file)).filter(
        (c) => !(c.commitHash === checked.commitHash && c.genesisHash === checked.genesisHash),
      );
      all.push(checked);
      await this.#write(file, all);
    });
  }

  /** Updates the inclusion block of a stored commit. */
  async setBlock(
    hotkey: string,
    genesisHash: HexString,
    commitHash: HexString,
    block: number,
  ): Promise<void> {
    checkCommitBlock(block);
    const file = this.#file(hotkey);
    return this.#serial(async () => {
      const all = await this.#read(file);
      for (const c of all)
        if (c.commitHash === commitHash && c.genesisHash === genesisHash) c.block = block;
      await this.#write(file, all);
    });
  }

  /** Removes a commit (after its reveal); true if it was stored. */
  async remove(
    hotkey: string | Uint8Array,
    genesisHash: HexString,
    commitHash: HexString,
  ): Promise<boolean> {
    const file = this.#file(hotkey);
    return this.#serial(async () => {
      const all = await this.#read(file);
      const left = all.filter(
        (c) => !(c.commitHash === commitHash && c.genesisHash === genesisHash),
      );
      if (left.length === all.length) return false;
      await this.#write(file, left);
      return true;
    });
  }
}
