import type { Context } from './context';
import { loadExperiment } from './experiments';
import { invalid } from './errors';
import { canonicalStage } from './registry';
import { loadRunInfo } from './runs';
import type { KeyValue, RunInfo, RunStatus } from './types';
import { parseVersion, validateAliasName, validateModelName, validateRegistryTag } from './validation';

// Not MLflow: `mlops import mlruns` brings another store's runs and models in with their own ids,
// version numbers and times, which MLflow's create calls would give out afresh.

export interface ImportRunRequest {
  run_id: string;
  experiment_id: string;
  run_name: string;
  user_id?: string;
  status: RunStatus;
  start_time?: number;
  end_time?: number;
  lifecycle_stage?: 'active' | 'deleted';
  deleted_time?: number;
}

export interface ImportedVersion {
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  user_id?: string;
  current_stage?: string;
  source: string;
  run_id?: string;
  run_link?: string;
  status?: string;
  tags?: KeyValue[];
}

export interface ImportModelRequest {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: KeyValue[];
  versions?: ImportedVersion[];
  aliases?: { alias: string; version: string }[];
}

const STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;

/**
 * Creates the run under its own id, or sets these fields on the run of that id: a second import of
 * the same run changes nothing, and a resumed one finishes what the first left.
 */
export function importRun(ctx: Context, req: ImportRunRequest): { run_info: RunInfo; created: boolean } {
  if (!RUN_ID.test(req.run_id)) throw invalid(`Invalid run id ${JSON.stringify(req.run_id)}.`);
  if (!STATUSES.includes(req.status)) throw invalid(`Invalid run status ${JSON.stringify(req.status)}.`);
  const experiment = loadExperiment(ctx, req.experiment_id);
  const stage = req.lifecycle_stage ?? 'active';
  const deletedTime = stage === 'deleted' ? (req.deleted_time ?? ctx.env.now()) : null;
  const existing = ctx.sql.get('SELECT experiment_id FROM runs WHERE run_uuid = ?', [req.run_id]);
  if (existing && String(existing.experiment_id) !== experiment.experiment_id)
    throw invalid(`Run ${req.run_id} already exists in experiment ${String(existing.experiment_id)}, not ${experiment.experiment_id}.`);
  const fields = [req.run_name, req.user_id ?? '', req.status, req.start_time ?? null, req.end_time ?? null, stage, deletedTime];
  if (existing) {
    ctx.sql.run(
      'UPDATE runs SET name = ?, user_id = ?, status = ?, start_time = ?, end_time = ?, lifecycle_stage = ?, deleted_time = ? WHERE run_uuid = ?',
      [...fields, req.run_id],
    );
  } else {
    ctx.sql.run(
      'INSERT INTO runs (name, user_id, status, start_time, end_time, lifecycle_stage, deleted_time, run_uuid, experiment_id, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
      [...fields, req.run_id, Number(experiment.experiment_id)],
    );
  }
  ctx.sql.run('INSERT OR REPLACE INTO tags (run_uuid, key, value) VALUES (?, ?, ?)', [req.run_id, 'mlflow.runName', req.run_name]);
  ctx.env.emit({ kind: 'run', ids: [req.run_id], op: existing ? 'update' : 'create' });
  return { run_info: loadRunInfo(ctx, req.run_id), created: !existing };
}

/**
 * Creates the registered model if it is missing, and each version whose number it does not have
 * yet, with its stage, times, source and tags; then the aliases whose version is there. Returns the
 * numbers of the versions it added.
 */
export function importModel(ctx: Context, req: ImportModelRequest): { added_versions: string[] } {
  validateModelName(req.name);
  for (const tag of req.tags ?? []) validateRegistryTag(tag.key, tag.value);
  const versions = (req.versions ?? []).map((v) => {
    for (const tag of v.tags ?? []) validateRegistryTag(tag.key, tag.value);
    if (!v.source) throw invalid(`Model version ${v.version} of ${req.name} has no source.`);
    const stage = v.current_stage === 'Deleted_Internal' ? 'Deleted_Internal' : canonicalStage(v.current_stage ?? 'None');
    return { ...v, number: parseVersion(v.version), stage };
  });
  for (const a of req.aliases ?? []) validateAliasName(a.alias);
  const now = ctx.env.now();
  const created = req.creation_timestamp ?? now;
  ctx.sql.run('INSERT OR IGNORE INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)', [
    req.name,
    created,
    req.last_updated_timestamp ?? created,
    req.description ?? null,
  ]);
  for (const tag of req.tags ?? [])
    ctx.sql.run('INSERT OR IGNORE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)', [req.name, tag.key, tag.value]);
  const added: string[] = [];
  for (const v of versions) {
    if (ctx.sql.get('SELECT 1 AS found FROM model_versions WHERE name = ? AND version = ?', [req.name, v.number])) continue;
    const born = v.creation_timestamp ?? now;
    ctx.sql.run(
      'INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, run_link, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        req.name,
        v.number,
        born,
        v.last_updated_timestamp ?? born,
        v.description ?? null,
        v.user_id ?? null,
        v.stage,
        v.source,
        v.run_id || null,
        v.run_link || null,
        v.status || 'READY',
      ],
    );
    for (const tag of v.tags ?? [])
      ctx.sql.run('INSERT OR IGNORE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)', [
        req.name,
        v.number,
        tag.key,
        tag.value,
      ]);
    added.push(String(v.number));
  }
  for (const a of req.aliases ?? []) {
    const version = parseVersion(a.version);
    if (
      !ctx.sql.get("SELECT 1 AS found FROM model_versions WHERE name = ? AND version = ? AND current_stage != 'Deleted_Internal'", [
        req.name,
        version,
      ])
    )
      continue;
    ctx.sql.run('INSERT OR IGNORE INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)', [req.name, a.alias, version]);
  }
  ctx.env.emit({ kind: 'model', ids: [req.name], op: 'update' });
  return { added_versions: added };
}
