// The anchor of "ingest rate against store size" (issue 20): better-sqlite3 (native SQLite, WAL,
// synchronous=NORMAL) taking the rows of test/bench/tracking/tenMillion.ts — POINTS metric points in
// RUNS runs, ten keys, 1,000 per batch, the same timestamps, one transaction per batch — into MLflow's own SQL schema
// (metrics with its six-column primary key, latest_metrics upserted). Prints the rate per tenth of
// the work, as tenMillion.ts does for the store, and a `BENCH_JSON {...}` line; asserts nothing.
// Usage: npx tsx test/bench/report/sqliteIngest.ts [--points 10000000] [--runs 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openNativeDb } from '../betterSqlite';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]?.replace(/[_,]/g, '')) : fallback;
};
const POINTS = arg('points', 10_000_000);
const RUNS = arg('runs', 1000);
const KEYS = Array.from({ length: 10 }, (_, i) => `metric_${i}`);
const BATCH = 1000;

const SCHEMA = [
  `CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), experiment_id INTEGER, status VARCHAR(9), start_time BIGINT, end_time BIGINT)`,
  `CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL,
     step BIGINT DEFAULT 0 NOT NULL, is_nan BOOLEAN DEFAULT 0 NOT NULL, PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan))`,
  `CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid)`,
  `CREATE TABLE latest_metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT, step BIGINT NOT NULL,
     is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL, PRIMARY KEY (key, run_uuid))`,
];

function main(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-sqlite-ingest-'));
  try {
    const db = openNativeDb(path.join(dir, 'mlflow.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    for (const sql of SCHEMA) db.exec(sql);
    const createRun = db.prepare('INSERT INTO runs VALUES (?, ?, 1, ?, ?, NULL)');
    const insert = db.prepare('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, 0)');
    const upsert = db.prepare(
      `INSERT INTO latest_metrics VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step`,
    );
    const perRun = Math.floor(POINTS / RUNS);
    const points: number[] = [];
    const rates: number[] = [];
    let logged = 0;
    let nextReport = POINTS / 10;
    let sliceStart = performance.now();
    let sliceLogged = 0;
    const started = performance.now();
    for (let r = 0; r < RUNS; r++) {
      const run = r.toString(16).padStart(32, '0');
      createRun.run(run, `run-${r}`, 'RUNNING', 1_700_000_000_000 + r);
      const total = r === RUNS - 1 ? POINTS - perRun * (RUNS - 1) : perRun;
      for (let start = 0; start < total; start += BATCH) {
        const end = Math.min(total, start + BATCH);
        db.transaction(() => {
          for (let i = start; i < end; i++) {
            const step = Math.floor(i / KEYS.length);
            insert.run(KEYS[i % KEYS.length], Math.sin(i + r), 1_700_000_000_000 + r * 10_000_000 + step * 5, run, step);
          }
          for (let i = Math.max(start, end - KEYS.length); i < end; i++) {
            const step = Math.floor(i / KEYS.length);
            upsert.run(KEYS[i % KEYS.length], Math.sin(i + r), 1_700_000_000_000 + r * 10_000_000 + step * 5, step, run);
          }
        })();
        logged += end - start;
        if (logged >= nextReport || logged === POINTS) {
          const now = performance.now();
          points.push(logged);
          rates.push(((logged - sliceLogged) / (now - sliceStart)) * 1000);
          console.log(
            `  ${logged.toLocaleString('en-US').padEnd(14)} ${Math.round(rates.at(-1)!).toLocaleString('en-US').padStart(16)} points/s`,
          );
          sliceStart = now;
          sliceLogged = logged;
          nextReport += POINTS / 10;
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    db.close();
    console.log(
      `  better-sqlite3, MLflow's schema: ${POINTS.toLocaleString('en-US')} points in ${seconds.toFixed(1)} s (${Math.round(POINTS / seconds).toLocaleString('en-US')} points/s)`,
    );
    console.log(`BENCH_JSON ${JSON.stringify({ bench: 'sqlite-ingest', points, rates, seconds })}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
