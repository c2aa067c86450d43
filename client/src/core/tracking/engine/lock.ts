import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { Log } from './contract';

/** Who holds `.mlops/lock`: the file's JSON content. */
export interface LockHolder {
  pid: number;
  /** Epoch milliseconds when the holder took the lock. */
  startedAt: number;
  hostname: string;
  /**
   * Linux: when the holder's process started, in clock ticks since boot (`/proc/<pid>/stat`, field 22).
   * A pid reused by a later process has another start time, so the lock is known to be stale.
   */
  processStart?: string;
  /**
   * Elsewhere (no /proc): a random nonce; the holder touches the lock file every HEARTBEAT_MS, and a lock
   * naming a live pid whose file was not touched for STALE_HEARTBEAT_MS is stale (the pid was reused).
   */
  nonce?: string;
}

const HEARTBEAT_MS = 10_000;
const STALE_HEARTBEAT_MS = 60_000;

/** Field 22 of `/proc/<pid>/stat` (the process's start time in clock ticks since boot), or undefined without /proc. */
export function processStartOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count from the last ')'. The
  // fields after it start at field 3, so field 22 is the 20th.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
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
  /** Removes the lock if it is still ours (and stops its heartbeat). Synchronous, so it can run in a process 'exit' handler. */
  release(): void;
}

/** How long a lock file may stay empty or unreadable (its creator between create and write) before it counts as stale. */
const UNREADABLE_GRACE_MS = 1000;

/**
 * Takes the store's single-writer lock: an O_EXCL create of a file naming this process (pid, and its
 * start time or a heartbeat nonce). A lock whose holder is gone (its pid no longer runs on this host, or
 * now belongs to a process that started at another time) is stale and taken over; one held by a live
 * process (this one included) refuses.
 */
export async function acquireLock(lockFile: string, log: Log): Promise<HeldLock> {
  const processStart = processStartOf(process.pid);
  const mine: LockHolder = {
    pid: process.pid,
    startedAt: Date.now(),
    hostname: hostname(),
    ...(processStart === undefined ? { nonce: randomBytes(8).toString('hex') } : { processStart }),
  };
  const content = JSON.stringify(mine);
  let takenOverFrom: LockHolder | undefined;
  let unreadableSince: number | undefined;
  for (;;) {
    if (tryCreate(lockFile, content)) {
      const heartbeat = mine.nonce === undefined ? undefined : startHeartbeat(lockFile);
      return {
        takenOverFrom,
        release: () => {
          clearInterval(heartbeat);
          releaseIfOurs(lockFile, content);
        },
      };
    }
    const seen = readLock(lockFile);
    if (seen === 'gone') continue;
    let why = ' (unreadable)';
    if (seen === 'unreadable') {
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince < UNREADABLE_GRACE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
    } else {
      const gone = holderGone(seen.holder, lockFile);
      if (!gone) throw new StoreLockedError(seen.holder, readServerInfo(path.join(path.dirname(lockFile), 'server.json')), lockFile);
      takenOverFrom = seen.holder;
      why = ` of process ${seen.holder.pid}, ${gone}`;
    }
    log('warn', `Tracking store: taking over the stale lock ${lockFile}${why}.`);
    removeStale(lockFile, seen === 'unreadable' ? undefined : seen.text);
  }
}

/** Touches the lock file now and then, so that where pids cannot be told apart a live holder's lock looks fresh. */
function startHeartbeat(lockFile: string): NodeJS.Timeout {
  const timer = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(lockFile, now, now);
    } catch {
      // the lock is gone; release() finds out
    }
  }, HEARTBEAT_MS);
  // Unsaved writes are in the journal: the heartbeat must not keep a CLI process alive.
  timer.unref();
  return timer;
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
      return {
        holder: {
          pid: holder.pid,
          startedAt: holder.startedAt,
          hostname: holder.hostname,
          ...(typeof holder.processStart === 'string' ? { processStart: holder.processStart } : {}),
          ...(typeof holder.nonce === 'string' ? { nonce: holder.nonce } : {}),
        },
        text,
      };
    }
  } catch {
    // an empty or partly written file: its creator may still be writing it
  }
  return 'unreadable';
}

/** Why the lock's holder is gone (for the log), or undefined while it may still run. */
function holderGone(holder: LockHolder, lockFile: string): string | undefined {
  if (holder.hostname !== hostname()) return undefined; // another machine sharing the folder: we cannot tell
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: alive, owned by someone else
    if (errorCode(error) === 'ESRCH') return 'which is no longer running';
  }
  if (holder.processStart !== undefined) {
    const now = processStartOf(holder.pid);
    return now !== undefined && now !== holder.processStart
      ? `whose pid now belongs to another process (started at tick ${now}, the holder at ${holder.processStart})`
      : undefined;
  }
  if (holder.nonce !== undefined) {
    let age: number;
    try {
      age = Date.now() - statSync(lockFile).mtimeMs;
    } catch {
      return undefined; // gone meanwhile: the next round creates it
    }
    return age > STALE_HEARTBEAT_MS ? `whose heartbeat stopped ${Math.round(age / 1000)} s ago (its pid was reused)` : undefined;
  }
  return undefined; // a lock from before start times were recorded: a live pid keeps it
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
