import * as path from 'node:path';
import type { Database } from 'sql.js';
import type { RepositoryBinding, RepositoryEnv, SerializedError } from '../../client/src/core/tracking/engine/contract';
import type { StoreHost } from '../../client/src/core/tracking/engine/host';
import { locateWorker } from '../../client/src/core/tracking/engine/workerLocation';

// A small repository that follows the engine's contract (like the real one in
// client/src/core/tracking/repository), so the engine's tests do not depend on the MLflow domain.

export class TestMlflowError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'MlflowError';
  }
}

export interface TestMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export class TestRepository {
  constructor(
    private readonly db: Database,
    private readonly env: RepositoryEnv,
  ) {}

  createExperiment(req: { name: string }): { experiment_id: string } {
    if (this.db.exec('SELECT 1 FROM experiments WHERE name = ?', [req.name]).length > 0) {
      throw new TestMlflowError('RESOURCE_ALREADY_EXISTS', `Experiment '${req.name}' already exists.`);
    }
    const id = this.env.newId();
    this.db.run('INSERT INTO experiments (id, name, created) VALUES (?, ?, ?)', [id, req.name, this.env.now()]);
    this.env.emit({ kind: 'experiment', ids: [id], op: 'create' });
    return { experiment_id: id };
  }

  createRun(req: { experiment_id: string }): { run: { info: { run_id: string; experiment_id: string; start_time: number } } } {
    const run = { run_id: this.env.newId(), experiment_id: req.experiment_id, start_time: this.env.now() };
    this.db.run('INSERT INTO runs (id, experiment_id, start_time) VALUES (?, ?, ?)', [run.run_id, run.experiment_id, run.start_time]);
    this.env.emit({ kind: 'run', ids: [run.run_id], op: 'create' });
    return { run: { info: run } };
  }

  getRun(req: { run_id: string }): { run_id: string; experiment_id: string; start_time: number } {
    const row = this.db.exec('SELECT id, experiment_id, start_time FROM runs WHERE id = ?', [req.run_id])[0]?.values[0];
    if (!row) throw new TestMlflowError('RESOURCE_DOES_NOT_EXIST', `Run ${req.run_id} not found`);
    return { run_id: String(row[0]), experiment_id: String(row[1]), start_time: Number(row[2]) };
  }

  /** Inserts every metric, then checks the run: a missing run fails after rows were written (rollback must undo them). */
  logBatch(req: { run_id: string; metrics: TestMetric[] }): Record<string, never> {
    const insert = this.db.prepare('INSERT INTO metrics (run_id, key, value, timestamp, step) VALUES (?, ?, ?, ?, ?)');
    try {
      for (const m of req.metrics) insert.run([req.run_id, m.key, m.value, m.timestamp, m.step]);
    } finally {
      insert.free();
    }
    this.getRun(req);
    this.env.emit({ kind: 'metric', ids: [req.run_id], op: 'create' });
    return {};
  }

  /** A write that stamps the time: replay must reproduce the stamp. */
  touchRun(req: { run_id: string }): { touched_at: number } {
    const at = this.env.now();
    this.db.run('UPDATE runs SET start_time = ? WHERE id = ?', [at, req.run_id]);
    return { touched_at: at };
  }

  countMetrics(req: { run_id?: string }): number {
    const rows =
      req.run_id === undefined
        ? this.db.exec('SELECT count(*) FROM metrics')
        : this.db.exec('SELECT count(*) FROM metrics WHERE run_id = ?', [req.run_id]);
    return Number(rows[0]?.values[0]?.[0] ?? 0);
  }

  metricValues(req: { run_id: string }): number[] {
    return (this.db.exec('SELECT value FROM metrics WHERE run_id = ? ORDER BY rowid', [req.run_id])[0]?.values ?? []).map((row) =>
      Number(row[0]),
    );
  }
}

export function applyTestSchema(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS experiments (id TEXT PRIMARY KEY, name TEXT UNIQUE, created INTEGER);
    CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, experiment_id TEXT, start_time INTEGER);
    CREATE TABLE IF NOT EXISTS metrics (run_id TEXT, key TEXT, value REAL, timestamp INTEGER, step INTEGER);
  `);
}

export const testBinding: RepositoryBinding<TestRepository> = {
  applySchema: applyTestSchema,
  create: (db, env) => new TestRepository(db, env),
  writeMethods: new Set(['createExperiment', 'createRun', 'logBatch', 'touchRun']),
};

export function reviveTestError(error: SerializedError): Error {
  const revived = error.errorCode === undefined ? new Error(error.message) : new TestMlflowError(error.errorCode, error.message);
  revived.name = error.name;
  return revived;
}

/** Hosts the test repository, in its own worker (trackingTestWorker.ts) unless opened in process. */
export const testHost: StoreHost<TestRepository> = {
  binding: testBinding,
  worker: () => locateWorker({ bundled: '', source: path.join(__dirname, 'trackingTestWorker.ts'), fromSource: true }),
  reviveError: reviveTestError,
};

/** `count` metric points of key "m" for steps from `from`. */
export function points(from: number, count: number): TestMetric[] {
  return Array.from({ length: count }, (_, i) => ({ key: 'm', value: from + i, timestamp: 1_700_000_000_000 + from + i, step: from + i }));
}
