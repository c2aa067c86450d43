import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { Log } from './contract';

/** Who holds `.mlops/lock`: the file's JSON content. */
export interface LockHolder {
  pid: number;
  /** Epoch milliseconds when the holder took the lock. */
  startedAt: number;
  hostname: string;
}

/** Another live process owns the store; write through the REST endpoint in `server` (`.mlops/server.json`) instead. */
export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';

  constructor(
    readonly holder: LockHolder,
    readonly server: Readonly<Record<string, unknown>> | undefined,
    lockFile: string,
  ) {
    super(
      `The tracking store is in use by process ${holder.pid} (${lockFile})` +
        (server ? '; its REST endpoint is listed in .mlops/server.json' : '; no REST endpoint is listed in .mlops/server.json'),
    );
  }
}

export interface HeldLock {
  /** The holder whose stale lock was taken over, if any. */
  readonly takenOverFrom: LockHolder | undefined;
  /** Removes the lock if it is still ours. Synchronous, so it can run in a process 'exit' handler. */
  release(): void;
}

/** How long a lock file may stay empty or unreadable (its creator between create and write) before it counts as stale. */
const UNREADABLE_GRACE_MS = 1000;

/**
 * Takes the store's single-writer lock: an O_EXCL create of a file holding our pid. A lock whose pid no
 * longer runs on this host is stale and taken over; one held by a live process (this one included) refuses.
 */
export async function acquireLock(lockFile: string, log: Log): Promise<HeldLock> {
  const mine: LockHolder = { pid: process.pid, startedAt: Date.now(), hostname: hostname() };
  const content = JSON.stringify(mine);
  let takenOverFrom: LockHolder | undefined;
  let unreadableSince: number | undefined;
  for (;;) {
    if (tryCreate(lockFile, content)) return { takenOverFrom, release: () => releaseIfOurs(lockFile, content) };
    const seen = readLock(lockFile);
    if (seen === 'gone') continue;
    if (seen === 'unreadable') {
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince < UNREADABLE_GRACE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
    } else if (!isStale(seen.holder)) {
      throw new StoreLockedError(seen.holder, readServerInfo(path.join(path.dirname(lockFile), 'server.json')), lockFile);
    } else {
      takenOverFrom = seen.holder;
    }
    log(
      'warn',
      `Tracking store: taking over the stale lock ${lockFile}${seen === 'unreadable' ? ' (unreadable)' : ` of process ${seen.holder.pid}, which is no longer running`}.`,
    );
    removeStale(lockFile, seen === 'unreadable' ? undefined : seen.text);
  }
}

function tryCreate(lockFile: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readLock(lockFile: string): 'gone' | 'unreadable' | { holder: LockHolder; text: string } {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    if (typeof holder.pid === 'number' && typeof holder.startedAt === 'number' && typeof holder.hostname === 'string') {
      return { holder: { pid: holder.pid, startedAt: holder.startedAt, hostname: holder.hostname }, text };
    }
  } catch {
    // an empty or partly written file: its creator may still be writing it
  }
  return 'unreadable';
}

function isStale(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return false; // another machine sharing the folder: we cannot tell
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH'; // EPERM: alive, owned by someone else
  }
}

/**
 * Removes the stale lock we looked at, and only that one: it is renamed aside first and compared, so a
 * process that took the lock over in the meantime keeps its fresh lock (it is linked back).
 */
function removeStale(lockFile: string, staleText: string | undefined): void {
  const aside = `${lockFile}.stale-${process.pid}`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  let movedText = '';
  try {
    movedText = readFileSync(aside, 'utf8');
  } catch {
    // vanished: nothing to restore
  }
  if (staleText !== undefined && movedText !== staleText) {
    try {
      linkSync(aside, lockFile);
    } catch {
      // a third process holds the lock now; the next round finds it
    }
  }
  unlinkSync(aside);
}

function releaseIfOurs(lockFile: string, content: string): void {
  try {
    if (readFileSync(lockFile, 'utf8') === content) unlinkSync(lockFile);
  } catch {
    // already gone
  }
}

function readServerInfo(file: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const info: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return info !== null && typeof info === 'object' && !Array.isArray(info) ? (info as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): unknown {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}
