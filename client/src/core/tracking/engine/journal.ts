import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { fsyncDirSync } from './durableFs';
import { decodeFrames, type JournalEntry } from './journalFormat';

// The journal is a set of files in .mlops: the active `journal`, appended to on every acknowledged
// write, and sealed segments `journal.<seq>-<ms>-<n>` that a save rotated out (they hold entries up
// to <seq>) and deletes once the image that includes them is on disk. Entries carry sequence numbers
// and the image records the last one it includes, so whichever files a crash leaves behind, replay
// takes exactly the entries the image lacks, in order, once.

const SEALED = /^journal\.(\d+)-\d+-\d+$/;

export interface JournalContents {
  /** Every intact entry of every file, by sequence number, without duplicates. */
  entries: JournalEntry[];
  /** The files that hold anything, intact or not. */
  files: string[];
  badBytes: number;
  tornTailOnly: boolean;
}

export class Journal {
  readonly file: string;
  private fd: number | undefined;
  private size = 0;
  private rotations = 0;

  constructor(private readonly dir: string) {
    this.file = path.join(dir, 'journal');
  }

  /** Reads the active journal and every sealed segment. */
  read(): JournalContents {
    const files = readdirSync(this.dir).filter((name) => name === 'journal' || SEALED.test(name));
    const entries: JournalEntry[] = [];
    let badBytes = 0;
    let tornTailOnly = true;
    const nonEmpty: string[] = [];
    for (const name of files) {
      const data = readFileSync(path.join(this.dir, name));
      if (data.length === 0) continue;
      nonEmpty.push(path.join(this.dir, name));
      const decoded = decodeFrames(data);
      entries.push(...decoded.entries);
      badBytes += decoded.badBytes;
      tornTailOnly &&= decoded.tornTailOnly;
    }
    entries.sort((a, b) => a.s - b.s);
    const unique = entries.filter((entry, i) => i === 0 || entries[i - 1]?.s !== entry.s);
    return { entries: unique, files: nonEmpty, badBytes, tornTailOnly };
  }

  /**
   * Seals what a previous process left in the active file (entries up to `seq`) and starts a new one.
   * O_APPEND, so a write after `undo` lands at the cut, never past a hole.
   */
  start(seq: number): void {
    this.seal(seq);
    this.fd = openSync(this.file, 'ax');
    this.size = 0;
  }

  /** Bytes appended since the last rotation. */
  get pendingBytes(): number {
    return this.size;
  }

  /**
   * One write per frame (see journalFormat.ts); returns a mark for `undo`. No fsync: a write in the page
   * cache survives the process being killed, which is the failure this journal is for
   * (docs/tracking-store.md, "Durability guarantee").
   */
  append(frame: Buffer): number {
    const mark = this.size;
    try {
      let written = 0;
      while (written < frame.length) written += writeSync(this.requireFd(), frame, written, frame.length - written);
    } catch (error) {
      this.undo(mark);
      throw error;
    }
    this.size += frame.length;
    return mark;
  }

  /** Cuts the file back to a mark, so a failed write leaves no partial or unacknowledged line behind. */
  undo(mark: number): void {
    ftruncateSync(this.requireFd(), mark);
    this.size = mark;
  }

  /**
   * Seals the active file as holding entries up to `seq` and starts a new one, so writes that arrive
   * while the image is being written land in a file the save will not delete.
   */
  rotate(seq: number): void {
    if (this.size === 0) return;
    closeSync(this.requireFd());
    this.fd = undefined;
    this.start(seq);
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

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private requireFd(): number {
    if (this.fd === undefined) throw new Error('The tracking journal is closed');
    return this.fd;
  }
}
