import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Makes a rename or create inside `dir` durable. Directories cannot be opened for fsync on Windows;
 * there NTFS journals the metadata change itself, so the failure is ignored.
 */
export function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // see above
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Replaces `target` with `bytes` so that a crash at any moment leaves either the old or the new file:
 * write a temp file beside it, fsync it, rename it over the target, fsync the directory.
 * Asynchronous so the thread hosting the engine keeps serving calls while the image goes to disk.
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array, beforeRename?: () => void): Promise<void> {
  const temp = tempPathFor(target);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  beforeRename?.();
  await rename(temp, target);
  fsyncDirSync(path.dirname(target));
}

/** Temp files are named for the target and the process, so a crashed save's leftover is recognisable. */
export function tempPathFor(target: string): string {
  return `${target}.tmp-${process.pid}`;
}

export const isTempOf = (target: string, name: string): boolean => name.startsWith(`${path.basename(target)}.tmp-`);
