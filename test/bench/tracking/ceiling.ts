import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openNativeDb } from '../betterSqlite';
import initSqlJs from 'sql.js';
import { applySchema } from '../../../client/src/core/tracking/repository';
import { BATCHES, batch, latestOf } from './workload';

// The ceiling: the same rows into the same schema, without the store. better-sqlite3 (native, WAL) is
// what the in-process store is measured against; raw sql.js shows what the engine itself costs.

interface Schema {
  ddl: string[];
  insert: string;
  upsert: string;
  /** The value of the run column: the repository keys metrics by an integer run id or by the uuid. */
  run: number | string;
}

/**
 * The repository's schema as SQL text (applied to a scratch sql.js database and read back), and the
 * repository's two metric statements spelled for its current column names, so the ceiling follows it.
 */
async function repositorySchema(): Promise<Schema> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  applySchema(db);
  const ddl = (
    db.exec("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")[0]?.values ?? []
  ).map((row) => String(row[0]));
  const columns = (db.exec('PRAGMA table_info(metrics)')[0]?.values ?? []).map((row) => ({ name: String(row[1]), type: String(row[2]) }));
  db.close();
  const runColumn = columns.find((c) => c.name === 'run' || c.name === 'run_uuid');
  if (!runColumn) throw new Error('the metrics table has no run column the benchmark knows');
  const cols = `${runColumn.name}, key, value, timestamp, step, is_nan`;
  return {
    ddl,
    insert: `INSERT OR IGNORE INTO metrics (${cols}) VALUES (?, ?, ?, ?, ?, 0)`,
    upsert: `INSERT INTO latest_metrics (${cols}) VALUES (?, ?, ?, ?, ?, 0)
ON CONFLICT (${runColumn.name}, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan`,
    run: runColumn.type.toUpperCase() === 'INTEGER' ? 1 : 'r'.repeat(32),
  };
}

/** Milliseconds for better-sqlite3 in WAL mode (synchronous=NORMAL) to insert the workload, a transaction per batch. */
export async function betterSqlite3Ms(): Promise<number> {
  // Loaded only when this figure is asked for: the native module is a dev dependency of the benchmark alone.
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-native-'));
  try {
    const db = openNativeDb(path.join(dir, 'tracking.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const schema = await repositorySchema();
    for (const sql of schema.ddl) db.exec(sql);
    const insert = db.prepare(schema.insert);
    const upsert = db.prepare(schema.upsert);
    const RUN = schema.run;
    const started = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      const points = batch(b);
      db.transaction(() => {
        for (const p of points) insert.run(RUN, p.key, p.value, p.timestamp, p.step);
        for (const p of latestOf(points)) upsert.run(RUN, p.key, p.value, p.timestamp, p.step);
      })();
    }
    const ms = performance.now() - started;
    db.close();
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds for sql.js alone (no journal, no worker, no repository) to insert the workload the same way. */
export async function rawSqlJsMs(): Promise<number> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  const schema = await repositorySchema();
  for (const sql of schema.ddl) db.exec(sql);
  const insert = db.prepare(schema.insert);
  const upsert = db.prepare(schema.upsert);
  const RUN = schema.run;
  const started = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const points = batch(b);
    db.exec('BEGIN');
    for (const p of points) insert.run([RUN, p.key, p.value, p.timestamp, p.step]);
    for (const p of latestOf(points)) upsert.run([RUN, p.key, p.value, p.timestamp, p.step]);
    db.exec('COMMIT');
  }
  const ms = performance.now() - started;
  db.close();
  return ms;
}
