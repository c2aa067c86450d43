import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { errorMessage } from '../../../../../common/src/errors';
import type { Log, RepositoryBinding, StoreChange } from './contract';
import { isTempOf, writeFileAtomic } from './durableFs';
import { EngineEnv } from './engineEnv';
import { checksumFile, matchesChecksum, recordChecksum } from './imageChecksum';
import { pauseAt } from './faultPoints';
import { Journal, type Durability, type JournalContents, type TornTail } from './journal';
import { encodeArgs, encodeFrame } from './journalFormat';
import { defaultSavePolicy, SaveScheduler, type SavePolicy } from './saveScheduler';
import { loadSqlJs, openImage, readImage, tuneConnection } from './sqlite';
import { storePaths, type StorePaths } from './storePaths';

/** What opening the store found and did; also logged. */
export interface StoreRecovery {
  /** Journal entries applied on top of the saved image. */
  replayedWrites: number;
  /** Journal entries that failed to apply (logged one by one); non-zero only after corruption. */
  failedReplays: number;
  /** Journal bytes that were not intact entries (a torn last line after a crash, or damage). */
  droppedJournalBytes: number;
  /** Journal files whose tail (after the last intact line) was cut off, and where those bytes went. */
  tornTails: TornTail[];
  /** Where an unreadable tracking.db was moved; the store then started from an empty database. */
  corruptDatabaseMovedTo?: string;
}

export interface EngineOptions<R extends object> {
  workspaceDir: string;
  binding: RepositoryBinding<R>;
  log: Log;
  savePolicy?: SavePolicy;
  /** When a write is acknowledged: on disk (`fsync`, the default) or in the page cache (`process`); see journal.ts. */
  durability?: Durability;
  /** The changes of each successful write, once it is durable. */
  onChanges?: (changes: StoreChange[]) => void;
}

const META_TABLE = 'mlops_engine_meta';

/**
 * The database, its repository and its journal, on one thread (a worker, or the caller's for the CLI and
 * tests). Calls are synchronous: a write runs in a transaction with a recording env, and is journaled
 * before it commits, so when `call` returns the write survives the process dying; once `whenDurable()`
 * resolves it also survives the machine (with `fsync` durability). Answer a caller only then.
 */
export class TrackingEngine<R extends object> {
  private readonly paths: StorePaths;
  private readonly env: EngineEnv;
  private readonly repository: R;
  private readonly statements: { begin: Statement; commit: Statement; rollback: Statement; setSeq: Statement };
  private readonly scheduler: SaveScheduler;
  private saving: Promise<void> | undefined;
  private closed = false;
  /** Sequence number of the last journaled write, and of the last one in the image on disk. */
  private seq: number;
  private savedSeq: number;

  static async open<R extends object>(options: EngineOptions<R>): Promise<TrackingEngine<R>> {
    const paths = storePaths(options.workspaceDir);
    mkdirSync(paths.dir, { recursive: true });
    removeLeftoverTemps(paths);
    const SQL = await loadSqlJs();
    const recovery: StoreRecovery = { replayedWrites: 0, failedReplays: 0, droppedJournalBytes: 0, tornTails: [] };
    const db = existsSync(paths.db) ? loadImage(SQL, paths.db, recovery, options.log) : new SQL.Database();
    const journal = new Journal(paths.dir, options.durability);
    try {
      tuneConnection(db);
      options.binding.applySchema(db);
      db.exec(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (key TEXT PRIMARY KEY, value)`);
      const imageSeq = Number(db.exec(`SELECT value FROM ${META_TABLE} WHERE key = 'journal_seq'`)[0]?.values[0]?.[0] ?? 0);
      const contents = journal.read();
      if (recovery.corruptDatabaseMovedTo) keepJournalCopies(contents, recovery.corruptDatabaseMovedTo);
      const engine = new TrackingEngine(db, journal, imageSeq, options, recovery);
      engine.replay(contents);
      journal.start(engine.seq);
      if (contents.files.length > 0 || recovery.corruptDatabaseMovedTo) {
        // Fold the replayed writes into the image now, so the next open starts clean.
        await engine.save(true, true);
      }
      if (recovery.replayedWrites > 0 || recovery.droppedJournalBytes > 0) {
        options.log('info', `Tracking store: replayed ${recovery.replayedWrites} journaled writes into ${paths.db}.`);
      }
      return engine;
    } catch (error) {
      // Nothing was lost (the files are as they were, or saved); free the wasm memory and the journal.
      journal.close();
      db.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database,
    private readonly journal: Journal,
    imageSeq: number,
    private readonly options: EngineOptions<R>,
    readonly recovery: StoreRecovery,
  ) {
    this.paths = storePaths(options.workspaceDir);
    this.seq = imageSeq;
    this.savedSeq = imageSeq;
    this.env = new EngineEnv();
    this.repository = options.binding.create(db, this.env, this.paths.artifacts);
    this.statements = {
      begin: db.prepare('BEGIN'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      setSeq: db.prepare(`INSERT OR REPLACE INTO ${META_TABLE} (key, value) VALUES ('journal_seq', ?)`),
    };
    this.scheduler = new SaveScheduler(options.savePolicy ?? defaultSavePolicy(), () => this.save(false, false));
  }

  /** Runs one repository method; writes are journaled before this returns. Throws what the repository throws. */
  call(method: string, args: unknown[]): unknown {
    if (this.closed) throw new Error('The tracking store is closed');
    const fn = this.method(method);
    if (!this.options.binding.writeMethods.has(method)) {
      this.env.begin(false);
      try {
        return fn.apply(this.repository, args);
      } finally {
        this.env.discard();
      }
    }
    const encoded = encodeArgs(args);
    this.env.begin(true);
    this.statements.begin.run();
    let result: unknown;
    try {
      result = fn.apply(this.repository, args);
    } catch (error) {
      this.rollback();
      throw error;
    }
    const { recorded, changes } = this.env.commit();
    let mark: number;
    try {
      mark = this.journal.append(encodeFrame(this.seq + 1, method, encoded, recorded));
    } catch (error) {
      this.rollback();
      throw error;
    }
    try {
      this.statements.commit.run();
    } catch (error) {
      this.journal.undo(mark);
      this.rollback();
      throw error;
    }
    this.seq += 1;
    const onChanges = this.options.onChanges;
    if (changes.length > 0 && onChanges) {
      // Listeners hear of a write when its caller does; the change is in the database either way.
      const deliver = () => onChanges(changes);
      this.journal.whenDurable().then(deliver, deliver);
    }
    this.scheduler.noteWrite(this.journal.pendingBytes);
    return result;
  }

  /**
   * Resolves once every write made so far is durable (one shared `fdatasync`, see `Journal.whenDurable`);
   * rejects, with the journal's error, if that sync failed: those writes are then not acknowledged.
   * Reads wait for it too, so no answer shows a write that a crash could still take back.
   */
  whenDurable(): Promise<void> {
    return this.journal.whenDurable();
  }

  /** Saves the image now if it lacks writes (after any save in progress). */
  async flush(): Promise<void> {
    await this.save(false, true);
  }

  /** Saves, closes the journal and the database. Later calls throw. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.cancel();
    try {
      await this.save(false, true);
    } finally {
      this.journal.close();
      for (const statement of Object.values(this.statements)) statement.free();
      this.db.close();
    }
  }

  /**
   * Queues a save. `force` saves even when the image has every write (open uses it to fold in and delete
   * what a crash left); `rethrow` hands a failure to the caller, otherwise it is logged and retried later.
   */
  private save(force: boolean, rethrow: boolean): Promise<void> {
    // Saves run one after another; the chain itself never rejects.
    const next = (this.saving ?? Promise.resolve()).then(() => this.saveOnce(force));
    this.saving = next.catch(() => undefined);
    return next.catch((error: unknown) => {
      // The journal segment of a failed save stays until a later save succeeds, so nothing is lost.
      this.options.log('error', `Saving the tracking database failed (the journal keeps every write): ${errorMessage(error)}`);
      if (!this.closed) this.scheduler.noteWrite(0);
      if (rethrow) throw error;
    });
  }

  /**
   * Export, rotate the journal, write the image atomically, delete the journal segments it includes.
   * Only the export and the rotation are synchronous; writes that arrive while the image is written go
   * to the new journal file with higher sequence numbers, which the image does not claim.
   */
  private async saveOnce(force: boolean): Promise<void> {
    if (this.seq === this.savedSeq && !force) return;
    const seq = this.seq;
    this.statements.setSeq.run([seq]);
    const image = this.db.export();
    this.journal.rotate(seq);
    await writeFileAtomic(this.paths.db, image, () => pauseAt('image'));
    pauseAt('rename');
    recordChecksum(this.paths.db, image);
    this.journal.deleteSealedThrough(seq);
    this.savedSeq = seq;
  }

  private replay(contents: JournalContents): void {
    const recovery = this.recovery;
    recovery.droppedJournalBytes = contents.badBytes;
    recovery.tornTails = contents.tornTails;
    for (const tail of contents.tornTails) {
      this.options.log(
        'warn',
        `Tracking journal: ${tail.file} ended in a torn last line (${tail.bytes} bytes after its last intact entry), ` +
          `a write cut short by a crash before it was acknowledged; replayed up to the last intact entry and moved those bytes to ${tail.movedTo}.`,
      );
    }
    if (contents.damagedBytes > 0) {
      this.options.log(
        'error',
        `Tracking journal: ${contents.damagedBytes} bytes in the middle of the journal failed their checksum and were skipped; writes in them are lost.`,
      );
    }
    for (const entry of contents.entries) {
      if (entry.s <= this.seq) continue; // already in the image
      if (entry.s !== this.seq + 1) {
        this.options.log('error', `Tracking journal: writes ${this.seq + 1} to ${entry.s - 1} are missing; replaying the rest.`);
      }
      this.seq = entry.s;
      this.env.beginReplay(entry.r);
      this.statements.begin.run();
      try {
        if (!this.options.binding.writeMethods.has(entry.m)) throw new Error(`${entry.m} is not a write method`);
        this.method(entry.m).apply(this.repository, entry.a);
        const unused = this.env.endReplay();
        this.statements.commit.run();
        if (unused > 0)
          this.options.log('warn', `Tracking journal: write ${entry.s} (${entry.m}) replayed with ${unused} recorded values unused.`);
        recovery.replayedWrites++;
      } catch (error) {
        this.env.endReplay();
        this.rollback();
        recovery.failedReplays++;
        this.options.log('error', `Tracking journal: write ${entry.s} (${entry.m}) could not be replayed: ${errorMessage(error)}`);
      }
    }
  }

  private method(name: string): (...args: unknown[]) => unknown {
    // Only the repository's own methods: not its constructor, nor what every object inherits.
    const fn: unknown = name === 'constructor' || name in Object.prototype ? undefined : (this.repository as Record<string, unknown>)[name];
    if (typeof fn !== 'function') throw new TypeError(`The tracking store has no method ${JSON.stringify(name)}`);
    return fn as (...args: unknown[]) => unknown;
  }

  private rollback(): void {
    this.env.discard();
    try {
      this.statements.rollback.run();
    } catch {
      // SQLite already rolled the transaction back (some errors do that themselves)
    }
  }
}

/**
 * Opens the saved image. One that SQLite cannot read or that fails its check is moved aside, never
 * emptied in place, and the store starts from an empty database (docs/tracking-store.md).
 */
function loadImage(SQL: SqlJsStatic, file: string, recovery: StoreRecovery, log: Log): Database {
  const image = readImage(file);
  const verified = matchesChecksum(file, image);
  let db: Database;
  try {
    db = openImage(SQL, image, verified);
  } catch (error) {
    recovery.corruptDatabaseMovedTo = moveAside(file);
    log(
      'error',
      `The tracking database ${file} is corrupt (${errorMessage(error)}). ` +
        `It was moved to ${recovery.corruptDatabaseMovedTo}; the store starts from an empty database and replays the journal into it.`,
    );
    return new SQL.Database();
  }
  // Checked the slow way: remember it, so the next open need not scan it again.
  if (!verified) recordChecksum(file, image);
  return db;
}

/** Temp files of saves a crash interrupted. */
function removeLeftoverTemps(paths: StorePaths): void {
  for (const name of readdirSync(paths.dir)) {
    if (isTempOf(paths.db, name) || isTempOf(checksumFile(paths.db), name)) unlinkSync(path.join(paths.dir, name));
  }
}

function moveAside(file: string): string {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  return aside;
}

/** The journal belongs to the image that was moved aside; keep a copy with it before replaying it elsewhere. */
function keepJournalCopies(contents: JournalContents, asideDb: string): void {
  const suffix = asideDb.slice(asideDb.lastIndexOf('.corrupt-'));
  for (const file of contents.files) copyFileSync(file, `${file}${suffix}`);
}
