import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import { fsyncDirSync } from './durableFs';
import { holdHere, isPausePoint, pauseAt } from './faultPoints';
import { decodeFrames, type JournalEntry } from './journalFormat';

// The journal is a set of files in .mlops: the active `journal`, appended to on every acknowledged
// write, and sealed segments `journal.<seq>-<ms>-<n>` that a save rotated out (they hold entries up
// to <seq>) and deletes once the image that includes them is on disk. Entries carry sequence numbers
// and the image records the last one it includes, so whichever files a crash leaves behind, replay
// takes exactly the entries the image lacks, in order, once.

const SEALED = /^journal\.(\d+)-\d+-\d+$/;
/** The next active file, created before the rotation renames anything; a leftover one is always empty. */
const NEXT = 'journal.next';

/**
 * When a write counts as done: `fsync` (the default), once its journal line is on the disk (`fdatasync`,
 * one shared by every write appended meanwhile); `process`, once it is in the operating system's page
 * cache, which survives the process dying but not the machine (docs/tracking-store.md).
 */
export type Durability = 'fsync' | 'process';
export const DURABILITIES: readonly Durability[] = ['fsync', 'process'];

/** What opening found in one journal file past its last intact line: moved aside, reported. */
export interface TornTail {
  file: string;
  bytes: number;
  movedTo: string;
}

export interface JournalContents {
  /** Every intact entry of every file, by sequence number, without duplicates. */
  entries: JournalEntry[];
  /** The files that hold anything, intact or not. */
  files: string[];
  /** Bytes that were not intact entries: torn tails and damage in the middle. */
  badBytes: number;
  /** Bytes of lines in the middle of a file (intact lines after them) that failed their checksum. */
  damagedBytes: number;
  /** Each file's bytes after its last intact line, cut off and moved aside. */
  tornTails: TornTail[];
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A group nobody waits on (every write in it failed otherwise) must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

const RESOLVED = Promise.resolve();

/** A journal write or sync failed; the REST layer answers INTERNAL_ERROR with this message. */
export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  readonly errorCode = 'INTERNAL_ERROR';
  readonly code: string | undefined;

  constructor(file: string, cause: unknown, verb: 'append to' | 'sync') {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const detail = cause instanceof Error ? cause.message : String(cause);
    const full = code === 'ENOSPC' || code === 'EDQUOT';
    super(
      `${full ? 'disk full: ' : ''}could not ${verb} the tracking journal ${file} (${detail}); the write was not acknowledged` +
        (full ? '. Free space on that disk and retry.' : '.'),
      { cause },
    );
    this.code = code;
  }
}

export class Journal {
  readonly file: string;
  private fd: number | undefined;
  private size = 0;
  private rotations = 0;
  /** Bytes appended since open across rotations, and how many of them are known to be on disk. */
  private appended = 0;
  private synced = 0;
  /** Writes appended since the sync in flight started: they share the next one. */
  private waiting: Deferred | undefined;
  private inFlight: { upTo: number; group: Deferred } | undefined;
  /** Files rotated out while a sync on them was in flight: closed when it ends. */
  private readonly retired: number[] = [];

  constructor(
    private readonly dir: string,
    private readonly durability: Durability = 'fsync',
  ) {
    this.file = path.join(dir, 'journal');
  }

  /**
   * Reads the active journal and every sealed segment. Each file's bytes after its last intact line (a
   * write cut short by a crash, or a tail the disk never finished) are copied to `<file>.torn-<time>`
   * and cut off, so the file ends at a whole line again.
   */
  read(): JournalContents {
    const files = readdirSync(this.dir).filter((name) => name === 'journal' || SEALED.test(name));
    const entries: JournalEntry[] = [];
    const contents: JournalContents = { entries, files: [], badBytes: 0, damagedBytes: 0, tornTails: [] };
    for (const name of files) {
      const file = path.join(this.dir, name);
      const data = readFileSync(file);
      if (data.length === 0) continue;
      contents.files.push(file);
      const decoded = decodeFrames(data);
      entries.push(...decoded.entries);
      contents.badBytes += decoded.badBytes;
      const tail = data.length - decoded.intactEnd;
      contents.damagedBytes += decoded.badBytes - tail;
      if (tail > 0) contents.tornTails.push(moveTailAside(file, data, decoded.intactEnd));
    }
    entries.sort((a, b) => a.s - b.s);
    contents.entries = entries.filter((entry, i) => i === 0 || entries[i - 1]?.s !== entry.s);
    return contents;
  }

  /**
   * Seals what a previous process left in the active file (entries up to `seq`) and starts a new one.
   * O_APPEND, so a write after `undo` lands at the cut, never past a hole.
   */
  start(seq: number): void {
    unlinkIfPresent(path.join(this.dir, NEXT));
    this.seal(seq);
    this.fd = openSync(this.file, 'ax');
    this.size = 0;
    // The new file's name must be on disk before a write in it is acknowledged.
    if (this.durability === 'fsync') fsyncDirSync(this.dir);
  }

  /** Bytes appended since the last rotation. */
  get pendingBytes(): number {
    return this.size;
  }

  /**
   * One write per frame (see journalFormat.ts); returns a mark for `undo`. It reaches the page cache
   * here, which survives the process being killed; `whenDurable` waits for the disk.
   */
  append(frame: Buffer): number {
    const mark = this.size;
    try {
      const fd = this.requireFd();
      const half = isPausePoint('append') ? frame.length >> 1 : frame.length;
      let written = 0;
      while (written < half) written += writeSync(fd, frame, written, half - written);
      if (half < frame.length) holdHere('append');
      while (written < frame.length) written += writeSync(fd, frame, written, frame.length - written);
    } catch (error) {
      try {
        this.undo(mark);
      } catch {
        // the cut failed too: the torn line stays, and the next open moves it aside
      }
      throw new JournalWriteError(this.file, error, 'append to');
    }
    this.size += frame.length;
    this.appended += frame.length;
    return mark;
  }

  /** Cuts the file back to a mark, so a failed write leaves no partial or unacknowledged line behind. */
  undo(mark: number): void {
    ftruncateSync(this.requireFd(), mark);
    this.appended -= this.size - mark;
    this.size = mark;
  }

  /**
   * Resolves once every line appended so far is on disk (at once with `process` durability). Group
   * commit: the first caller schedules one `fdatasync` for the next turn of the event loop, and every
   * write appended until it starts shares it; writes appended while it runs share the next. The sync
   * runs on libuv's thread pool, so this thread keeps accepting writes meanwhile.
   */
  whenDurable(): Promise<void> {
    if (this.durability === 'process' || this.synced >= this.appended) return RESOLVED;
    if (this.inFlight && this.inFlight.upTo >= this.appended) return this.inFlight.group.promise;
    if (!this.waiting) {
      this.waiting = deferred();
      if (!this.inFlight) setImmediate(() => this.syncWaiting());
    }
    return this.waiting.promise;
  }

  private syncWaiting(): void {
    const group = this.waiting;
    if (!group || this.inFlight) return;
    this.waiting = undefined;
    const upTo = this.appended;
    if (this.synced >= upTo || this.fd === undefined) {
      // A rotation or close synced these already (or nothing is left to sync).
      if (this.synced >= upTo) group.resolve();
      else group.reject(new JournalWriteError(this.file, new Error('the journal is closed'), 'sync'));
      return;
    }
    this.inFlight = { upTo, group };
    pauseAt('sync');
    fdatasync(this.fd, (error) => {
      this.inFlight = undefined;
      for (const fd of this.retired.splice(0)) closeSync(fd);
      // A rotation may have synced these lines meanwhile; then they are on disk whatever this sync says.
      if (!error || this.synced >= upTo) {
        this.synced = Math.max(this.synced, upTo);
        group.resolve();
      } else {
        group.reject(new JournalWriteError(this.file, error, 'sync'));
      }
      if (this.waiting) this.syncWaiting();
    });
  }

  /** With `fsync` durability: syncs the active file now, so every line appended so far is on disk. */
  private syncNow(): void {
    if (this.durability !== 'fsync' || this.fd === undefined || this.synced >= this.appended) return;
    fdatasyncSync(this.fd);
    this.synced = this.appended;
    this.waiting?.resolve();
    this.waiting = undefined;
  }

  /**
   * Seals the active file as holding entries up to `seq` and starts a new one, so writes that arrive
   * while the image is being written land in a file the save will not delete. The new file is created
   * first: if that fails (a full disk), nothing changed and the active file stays.
   */
  rotate(seq: number): void {
    if (this.size === 0) return;
    const old = this.requireFd();
    const next = path.join(this.dir, NEXT);
    unlinkIfPresent(next);
    const nextFd = openSync(next, 'ax');
    const sealed = path.join(this.dir, `journal.${seq}-${Date.now()}-${this.rotations++}`);
    try {
      this.syncNow();
      renameSync(this.file, sealed);
    } catch (error) {
      closeSync(nextFd);
      unlinkIfPresent(next);
      throw error;
    }
    pauseAt('seal');
    renameSync(next, this.file);
    this.fd = nextFd;
    this.size = 0;
    if (this.inFlight) this.retired.push(old);
    else closeSync(old);
    fsyncDirSync(this.dir);
  }

  private seal(seq: number): void {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return; // no active file
    }
    if (size === 0) unlinkSync(this.file);
    else renameSync(this.file, path.join(this.dir, `journal.${seq}-${Date.now()}-${this.rotations++}`));
  }

  /** Deletes the sealed segments whose entries are all in the saved image (seq <= `savedSeq`). */
  deleteSealedThrough(savedSeq: number): void {
    for (const name of readdirSync(this.dir)) {
      const match = SEALED.exec(name);
      if (match && Number(match[1]) <= savedSeq) unlinkSync(path.join(this.dir, name));
    }
  }

  /** Syncs what is not on disk yet (with `fsync` durability) and closes the file. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      this.syncNow();
    } catch (error) {
      this.waiting?.reject(new JournalWriteError(this.file, error, 'sync'));
      this.waiting = undefined;
    }
    if (this.inFlight) this.retired.push(this.fd);
    else closeSync(this.fd);
    this.fd = undefined;
  }

  private requireFd(): number {
    if (this.fd === undefined) throw new Error('The tracking journal is closed');
    return this.fd;
  }
}

/** Copies a file's bytes from `end` on to `<file>.torn-<time>` and cuts the file there. */
function moveTailAside(file: string, data: Buffer, end: number): TornTail {
  const movedTo = `${file}.torn-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  writeFileSync(movedTo, data.subarray(end));
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, end);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { file, bytes: data.length - end, movedTo };
}

function unlinkIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // not there
  }
}
