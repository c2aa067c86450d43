import type { Database } from 'sql.js';

/** Bumped with every change below; `applySchema` migrates older files forward step by step. */
export const SCHEMA_VERSION = 4;

// Artifact locations are stored only when a client chose them: NULL means "the default place under
// the workspace's artifact root", computed when read, so a moved workspace keeps working.
const V1 = `
CREATE TABLE experiments (
  experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  artifact_location TEXT,
  lifecycle_stage TEXT NOT NULL DEFAULT 'active',
  creation_time INTEGER,
  last_update_time INTEGER
);
CREATE TABLE experiment_tags (
  experiment_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  run_uuid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  experiment_id INTEGER NOT NULL,
  user_id TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  start_time INTEGER,
  end_time INTEGER,
  artifact_uri TEXT,
  lifecycle_stage TEXT NOT NULL DEFAULT 'active',
  deleted_time INTEGER
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time);
CREATE TABLE params (
  run_uuid TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
CREATE TABLE tags (
  run_uuid TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
-- Metric history is the bulk of the file: keyed by the run's integer id rather than its 32-character
-- uuid, and clustered on its primary key (the history index by run, key and step), so each point is
-- stored once. As in MLflow, the key spans every column, so a repeated identical point is dropped.
CREATE TABLE metrics (
  run INTEGER NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  timestamp INTEGER NOT NULL,
  step INTEGER NOT NULL,
  is_nan INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run, key, step, timestamp, value, is_nan)
) WITHOUT ROWID;
CREATE TABLE latest_metrics (
  run INTEGER NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  timestamp INTEGER NOT NULL,
  step INTEGER NOT NULL,
  is_nan INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run, key)
) WITHOUT ROWID;
CREATE TABLE datasets (
  dataset_uuid TEXT PRIMARY KEY,
  experiment_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  digest TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source TEXT NOT NULL,
  schema TEXT,
  profile TEXT,
  UNIQUE (experiment_id, name, digest)
) WITHOUT ROWID;
CREATE TABLE run_inputs (
  run_uuid TEXT NOT NULL,
  dataset_uuid TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (run_uuid, dataset_uuid)
) WITHOUT ROWID;
CREATE TABLE run_input_tags (
  run_uuid TEXT NOT NULL,
  dataset_uuid TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_uuid, dataset_uuid, key)
) WITHOUT ROWID;
CREATE TABLE steps (
  run_uuid TEXT NOT NULL,
  step_id TEXT NOT NULL,
  status TEXT NOT NULL,
  start_time INTEGER,
  end_time INTEGER,
  exit_code INTEGER,
  cached INTEGER NOT NULL DEFAULT 0,
  log_path TEXT,
  position INTEGER NOT NULL,
  PRIMARY KEY (run_uuid, step_id)
) WITHOUT ROWID;
CREATE TABLE registered_models (
  name TEXT PRIMARY KEY,
  creation_time INTEGER NOT NULL,
  last_updated_time INTEGER NOT NULL,
  description TEXT
) WITHOUT ROWID;
CREATE TABLE registered_model_tags (
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (name, key)
) WITHOUT ROWID;
CREATE TABLE model_versions (
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  creation_time INTEGER NOT NULL,
  last_updated_time INTEGER NOT NULL,
  description TEXT,
  user_id TEXT,
  current_stage TEXT NOT NULL DEFAULT 'None',
  source TEXT NOT NULL,
  run_id TEXT,
  run_link TEXT,
  status TEXT NOT NULL DEFAULT 'READY',
  PRIMARY KEY (name, version)
) WITHOUT ROWID;
CREATE INDEX model_versions_by_run ON model_versions (run_id);
CREATE TABLE model_version_tags (
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (name, version, key)
) WITHOUT ROWID;
CREATE TABLE registered_model_aliases (
  name TEXT NOT NULL,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (name, alias)
) WITHOUT ROWID;
CREATE TABLE monitor_results (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  monitor TEXT NOT NULL,
  time INTEGER NOT NULL,
  status TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX monitor_results_by_monitor ON monitor_results (monitor, time);
`;

// The runner's step cache: the key of each execution, the run a cached step reused, attempts and why it failed.
const V2 = `
ALTER TABLE steps ADD COLUMN cache_key TEXT;
ALTER TABLE steps ADD COLUMN cached_from TEXT;
ALTER TABLE steps ADD COLUMN attempts INTEGER;
ALTER TABLE steps ADD COLUMN message TEXT;
ALTER TABLE steps ADD COLUMN outputs_digest TEXT;
CREATE INDEX steps_by_cache_key ON steps (cache_key) WHERE cache_key IS NOT NULL;
`;

// Charts: per run, key and block of 256 steps, the count, bounds and extreme points of the drawable
// (finite) values, kept by every metric write, so a million-point history is downsampled from a few
// thousand block rows instead of a scan (metricSeries.ts). Derived data: rebuilt from `metrics` here.
const V3 = `
CREATE TABLE metric_blocks (
  run INTEGER NOT NULL,
  key TEXT NOT NULL,
  block INTEGER NOT NULL,
  n INTEGER NOT NULL,
  min_step INTEGER NOT NULL,
  max_step INTEGER NOT NULL,
  min_ts INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  lo_value REAL NOT NULL,
  lo_step INTEGER NOT NULL,
  lo_ts INTEGER NOT NULL,
  hi_value REAL NOT NULL,
  hi_step INTEGER NOT NULL,
  hi_ts INTEGER NOT NULL,
  PRIMARY KEY (run, key, block)
) WITHOUT ROWID;
INSERT INTO metric_blocks (run, key, block, n, min_step, max_step, min_ts, max_ts, lo_value, lo_step, lo_ts, hi_value, hi_step, hi_ts)
  SELECT run, key, step >> 8, 0, 0, 0, 0, 0, MIN(value), step, timestamp, 0, 0, 0 FROM metrics
  WHERE is_nan = 0 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308 GROUP BY run, key, step >> 8;
UPDATE metric_blocks SET hi_value = m.v, hi_step = m.step, hi_ts = m.timestamp FROM (
  SELECT run, key, step >> 8 AS block, MAX(value) AS v, step, timestamp FROM metrics
  WHERE is_nan = 0 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308 GROUP BY run, key, step >> 8
) AS m WHERE metric_blocks.run = m.run AND metric_blocks.key = m.key AND metric_blocks.block = m.block;
UPDATE metric_blocks SET n = m.n, min_step = m.min_step, max_step = m.max_step, min_ts = m.min_ts, max_ts = m.max_ts FROM (
  SELECT run, key, step >> 8 AS block, COUNT(*) AS n, MIN(step) AS min_step, MAX(step) AS max_step, MIN(timestamp) AS min_ts, MAX(timestamp) AS max_ts FROM metrics
  WHERE is_nan = 0 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308 GROUP BY run, key, step >> 8
) AS m WHERE metric_blocks.run = m.run AND metric_blocks.key = m.key AND metric_blocks.block = m.block;
`;

// The Default experiment exists in every store, as in MLflow. applySchema has no RepositoryEnv, so
// its creation time comes from SQLite's clock; it is never journaled, only created with the file.
const DEFAULT_EXPERIMENT = `
INSERT OR IGNORE INTO experiments (experiment_id, name, lifecycle_stage, creation_time, last_update_time)
VALUES (0, 'Default', 'active', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
`;

// The embedded online store of feature views (docs/features.md): the latest values per entity key
// of each view, as JSON, and each view's last materialisation.
const V4 = `
CREATE TABLE online_features (
  view TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  created_time INTEGER,
  payload TEXT NOT NULL,
  PRIMARY KEY (view, entity_key)
) WITHOUT ROWID;
CREATE TABLE materializations (
  view TEXT PRIMARY KEY,
  end_time INTEGER NOT NULL,
  source_rows INTEGER NOT NULL,
  keys INTEGER NOT NULL,
  time INTEGER NOT NULL
) WITHOUT ROWID;
`;

const MIGRATIONS: readonly string[] = [V1, V2, V3, V4];

/** Creates or migrates the schema; safe to call on every open. */
export function applySchema(db: Database): void {
  // The database file lives in sql.js's in-memory file system and durability is the engine's journal,
  // so SQLite's own rollback journal can stay in memory too: logging runs about twice as fast.
  // (Ignored inside an open transaction, where the mode cannot change.)
  db.exec('PRAGMA journal_mode = MEMORY');
  const current = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
  if (current > SCHEMA_VERSION) {
    throw new Error(`tracking database schema version ${current} is newer than this build understands (${SCHEMA_VERSION})`);
  }
  // A savepoint, so a failed migration leaves the file as it was (and nests in an open transaction).
  db.exec('SAVEPOINT apply_schema');
  try {
    for (let version = current; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
    }
    db.exec(DEFAULT_EXPERIMENT);
    db.exec('RELEASE apply_schema');
  } catch (error) {
    db.exec('ROLLBACK TO apply_schema; RELEASE apply_schema');
    throw error;
  }
}
