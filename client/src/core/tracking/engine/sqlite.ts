import { existsSync } from 'node:fs';
import * as path from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';

let loaded: Promise<SqlJsStatic> | undefined;

/**
 * sql.js with its wasm read from disk, never fetched: next to the running bundle (the build copies it to
 * client/out), or from node_modules when running from source.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loaded ??= initSqlJs({
    locateFile: (file: string) => {
      const beside = path.join(__dirname, file);
      return existsSync(beside) ? beside : require.resolve(`sql.js/dist/${file}`);
    },
  });
  return loaded;
}

/** Settings for a database that lives in wasm memory: its own rollback journal in memory, no syncs. */
export function tuneConnection(db: Database): void {
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY');
}

const MAGIC = 'SQLite format 3\u0000';

/**
 * Opens a saved image, or throws saying why it is unusable. An empty file counts as corrupt: the engine
 * never writes one, and SQLite would happily treat it as an empty database. `verified` skips the page
 * scan for an image known to be intact (see imageChecksum.ts).
 */
export function openImage(SQL: SqlJsStatic, bytes: Uint8Array, verified: boolean): Database {
  if (bytes.length < 100 || Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('latin1') !== MAGIC) {
    throw new Error(bytes.length === 0 ? 'the file is empty' : 'the file is not an SQLite database');
  }
  const db = new SQL.Database(bytes);
  if (verified) return db;
  try {
    const rows = db.exec('PRAGMA quick_check')[0]?.values ?? [];
    const problems = rows.map((row) => String(row[0])).filter((message) => message !== 'ok');
    if (problems.length > 0) throw new Error(`integrity check failed: ${problems.slice(0, 3).join('; ')}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
