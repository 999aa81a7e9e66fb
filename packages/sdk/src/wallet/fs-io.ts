import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { WalletError } from './errors.js';

/** Largest keyfile we read (a real one is under 3 KiB even as an ansible vault). */
export const MAX_KEYFILE_BYTES = 64 * 1024;
/** Mode of every file we write. */
export const FILE_MODE = 0o600;
/** Mode of every directory we create. */
export const DIR_MODE = 0o700;

/** Bytes read from a file together with the stat of the very descriptor they came from. */
export interface FileRead {
  data: Uint8Array;
  stat: Stats;
}

function errno(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
}

/**
 * Reads a keyfile safely: follows symlinks but only to a regular file (FIFOs, devices and
 * directories are refused without blocking), and refuses files over `maxBytes` before reading.
 */
export async function readKeyfileBytes(
  path: string,
  maxBytes: number = MAX_KEYFILE_BYTES,
): Promise<FileRead> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK keeps a FIFO planted at the path from blocking the open.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = errno(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new WalletError('KEYFILE_NOT_FOUND', 'Keyfile does not exist', { path, cause: e });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new WalletError('KEYFILE_NOT_READABLE', 'Keyfile is not readable', { path, cause: e });
    }
    if (code === 'EISDIR') {
      throw new WalletError('KEYFILE_NOT_REGULAR', 'Keyfile path is a directory', { path });
    }
    if (code === 'ELOOP') {
      throw new WalletError('KEYFILE_NOT_REGULAR', 'Keyfile path is a symlink loop', { path });
    }
    throw new WalletError('KEYFILE_NOT_READABLE', 'Keyfile could not be opened', {
      path,
      cause: e,
      details: String(code),
    });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new WalletError('KEYFILE_NOT_REGULAR', 'Keyfile is not a regular file', { path });
    }
    if (stat.size > maxBytes) {
      throw new WalletError(
        'KEYFILE_TOO_LARGE',
        `Keyfile is ${stat.size} bytes; refusing to read more than ${maxBytes}`,
        { path },
      );
    }
    // Read at most maxBytes + 1 even if the file grows after the stat.
    const buffer = new Uint8Array(maxBytes + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) {
        throw new WalletError('KEYFILE_TOO_LARGE', 'Keyfile grew past the size limit', { path });
      }
    }
    return { data: buffer.slice(0, total), stat };
  } finally {
    await handle.close();
  }
}

/** Creates `dir` and missing parents with mode 0700 (only the ones it creates). */
async function ensureDir(dir: string): Promise<void> {
  const target = resolve(dir);
  let first: string | undefined;
  try {
    first = await mkdir(target, { recursive: true, mode: DIR_MODE });
  } catch (e) {
    throw new WalletError('KEYFILE_WRITE_FAILED', 'Could not create the wallet directory', {
      path: dir,
      cause: e,
      details: String(errno(e)),
    });
  }
  if (first === undefined) return;
  // The umask may have dropped bits; set 0700 on every directory this call created.
  const top = resolve(first);
  let current = target;
  while (current !== top && current.startsWith(`${top}/`)) {
    await chmod(current, DIR_MODE);
    current = dirname(current);
  }
  await chmod(top, DIR_MODE);
}

/**
 * Writes `data` to `path` atomically with mode 0600: a fresh temp file beside it (created with
 * O_EXCL, so a planted symlink is never followed), fsync, then rename over the target. A symlink
 * at `path` is replaced, not written through.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir);
  const temp = `${dir}/.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`;
  let created = false;
  try {
    const handle = await open(temp, 'wx', FILE_MODE);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.chmod(FILE_MODE);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
  } catch (e) {
    throw new WalletError('KEYFILE_WRITE_FAILED', 'Could not write the keyfile', {
      path,
      cause: e,
      details: String(errno(e) ?? (e instanceof Error ? e.message : e)),
    });
  } finally {
    if (created) await unlink(temp).catch(() => {});
  }
  // Persist the rename; best effort (some filesystems refuse fsync on directories).
  try {
    const dirHandle = await open(dir, constants.O_RDONLY);
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {
    // ignore
  }
}

/** Expands a leading `~` or `~/` to the home directory, as btwallet (shellexpand) does. */
export function expandTilde(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/'))
    return `${home.endsWith('/') ? home.slice(0, -1) : home}${path.slice(1)}`;
  return path;
}

/** Joins path parts like Rust's `PathBuf::join` for plain names (no normalisation). */
export function joinPath(base: string, ...parts: string[]): string {
  let out = base;
  for (const part of parts)
    out = out === '' ? part : out.endsWith('/') ? out + part : `${out}/${part}`;
  return out;
}
