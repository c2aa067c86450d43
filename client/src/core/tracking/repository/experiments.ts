import { pathToFileURL } from 'node:url';
import { compileExperimentQuery } from '../search/experiments';
import { experimentKey, experimentLocation, type Context } from './context';
import { exists, invalid, notFound } from './errors';
import { maxResults, page, pageOffset } from './paging';
import { str, optNum } from './sql';
import type {
  CreateExperimentRequest,
  Empty,
  Experiment,
  ExperimentIdRequest,
  GetExperimentByNameRequest,
  SearchExperimentsRequest,
  SetExperimentTagRequest,
  UpdateExperimentRequest,
} from './types';
import { validateExperimentName, validateExperimentTag } from './validation';

const SEARCH_DEFAULT = 1000;
const SEARCH_CAP = 50000;

export function loadExperiment(ctx: Context, experimentId: string): Experiment {
  const id = experimentKey(experimentId);
  const row = id === undefined ? undefined : ctx.sql.get('SELECT * FROM experiments WHERE experiment_id = ?', [id]);
  if (!row) throw notFound(`No Experiment with id=${experimentId} exists`);
  const tags = ctx.sql.all('SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key', [id!]);
  return {
    experiment_id: str(row.experiment_id),
    name: str(row.name),
    artifact_location: experimentLocation(ctx, str(row.experiment_id), row.artifact_location),
    lifecycle_stage: str(row.lifecycle_stage) as Experiment['lifecycle_stage'],
    creation_time: optNum(row.creation_time),
    last_update_time: optNum(row.last_update_time),
    tags: tags.map((t) => ({ key: str(t.key), value: str(t.value) })),
  };
}

/** A client-chosen artifact location: a URI, or a local path that becomes a file:// URI. */
function normalizeLocation(location: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(location) && !/^[a-zA-Z]:[\\/]/.test(location)) {
    const url = new URL(location);
    if (url.hash || url.search) throw invalid("'artifact_location' URL can't include fragments or params.");
    return location;
  }
  return pathToFileURL(location).href;
}

export function createExperiment(ctx: Context, req: CreateExperimentRequest): { experiment_id: string } {
  validateExperimentName(req.name);
  for (const tag of req.tags ?? []) validateExperimentTag(tag.key, tag.value);
  const existing = ctx.sql.get('SELECT lifecycle_stage FROM experiments WHERE name = ?', [req.name]);
  if (existing) {
    const deleted = str(existing.lifecycle_stage) === 'deleted' ? ' (deleted: restore it or rename it first)' : '';
    throw exists(`Experiment '${req.name}' already exists.${deleted}`);
  }
  const location = req.artifact_location ? normalizeLocation(req.artifact_location) : null;
  const now = ctx.env.now();
  ctx.sql.run(
    "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, 'active', ?, ?)",
    [req.name, location, now, now],
  );
  const id = String(ctx.sql.get('SELECT last_insert_rowid() AS id')?.id);
  for (const tag of req.tags ?? [])
    ctx.sql.run('INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)', [Number(id), tag.key, tag.value]);
  ctx.env.emit({ kind: 'experiment', ids: [id], op: 'create' });
  return { experiment_id: id };
}

export function getExperimentByName(ctx: Context, req: GetExperimentByNameRequest): { experiment: Experiment } {
  const row = ctx.sql.get('SELECT experiment_id FROM experiments WHERE name = ?', [req.experiment_name]);
  if (!row) throw notFound(`Could not find experiment with name '${req.experiment_name}'`);
  return { experiment: loadExperiment(ctx, str(row.experiment_id)) };
}

export function searchExperiments(ctx: Context, req: SearchExperimentsRequest): { experiments: Experiment[]; next_page_token?: string } {
  const limit = maxResults(req.max_results, SEARCH_DEFAULT, SEARCH_CAP);
  const offset = pageOffset(req.page_token);
  const query = compileExperimentQuery({
    filter: req.filter,
    orderBy: req.order_by,
    viewType: req.view_type ?? 'ACTIVE_ONLY',
    limit: limit + 1,
    offset,
  });
  const rows = ctx.sql.query(query.sql, query.params);
  const { items, next_page_token } = page(rows, offset, limit);
  return { experiments: items.map((r) => loadExperiment(ctx, str(r.experiment_id))), ...(next_page_token ? { next_page_token } : {}) };
}

function touch(ctx: Context, id: number, set: string, params: (string | number)[]): void {
  ctx.sql.run(`UPDATE experiments SET ${set}, last_update_time = ? WHERE experiment_id = ?`, [...params, ctx.env.now(), id]);
  ctx.env.emit({ kind: 'experiment', ids: [String(id)], op: 'update' });
}

export function updateExperiment(ctx: Context, req: UpdateExperimentRequest): Empty {
  const experiment = loadExperiment(ctx, req.experiment_id);
  validateExperimentName(req.new_name);
  if (experiment.lifecycle_stage !== 'active') throw invalid('Cannot rename a non-active experiment.');
  if (req.new_name !== experiment.name && ctx.sql.get('SELECT 1 FROM experiments WHERE name = ?', [req.new_name])) {
    throw exists(`Experiment '${req.new_name}' already exists.`);
  }
  touch(ctx, Number(experiment.experiment_id), 'name = ?', [req.new_name]);
  return {};
}

export function deleteExperiment(ctx: Context, req: ExperimentIdRequest): Empty {
  const experiment = loadExperiment(ctx, req.experiment_id);
  if (experiment.experiment_id === '0')
    throw invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
  const id = Number(experiment.experiment_id);
  // MLflow marks the experiment's runs deleted with it; restoring brings them back.
  const now = ctx.env.now();
  const runs = ctx.sql
    .all("SELECT run_uuid FROM runs WHERE experiment_id = ? AND lifecycle_stage = 'active'", [id])
    .map((r) => str(r.run_uuid));
  ctx.sql.run("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ? AND lifecycle_stage = 'active'", [
    now,
    id,
  ]);
  ctx.sql.run("UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?", [now, id]);
  ctx.env.emit({ kind: 'experiment', ids: [experiment.experiment_id], op: 'delete' });
  if (runs.length) ctx.env.emit({ kind: 'run', ids: runs, op: 'delete' });
  return {};
}

export function restoreExperiment(ctx: Context, req: ExperimentIdRequest): Empty {
  const experiment = loadExperiment(ctx, req.experiment_id);
  if (experiment.lifecycle_stage !== 'deleted') {
    throw invalid(`Cannot restore an experiment that is not deleted. Experiment id=${req.experiment_id}`);
  }
  const id = Number(experiment.experiment_id);
  const deletedAt = ctx.sql.get('SELECT last_update_time AS t FROM experiments WHERE experiment_id = ?', [id])?.t ?? null;
  // Only the runs deleted together with the experiment come back.
  const runs = ctx.sql
    .all("SELECT run_uuid FROM runs WHERE experiment_id = ? AND lifecycle_stage = 'deleted' AND deleted_time = ?", [id, deletedAt])
    .map((r) => str(r.run_uuid));
  ctx.sql.run(
    "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ? AND lifecycle_stage = 'deleted' AND deleted_time = ?",
    [id, deletedAt],
  );
  ctx.sql.run("UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?", [ctx.env.now(), id]);
  ctx.env.emit({ kind: 'experiment', ids: [experiment.experiment_id], op: 'update' });
  if (runs.length) ctx.env.emit({ kind: 'run', ids: runs, op: 'update' });
  return {};
}

export function setExperimentTag(ctx: Context, req: SetExperimentTagRequest): Empty {
  validateExperimentTag(req.key, req.value);
  const experiment = loadExperiment(ctx, req.experiment_id);
  if (experiment.lifecycle_stage !== 'active') {
    throw invalid(`The experiment ${req.experiment_id} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`);
  }
  ctx.sql.run('INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)', [
    Number(experiment.experiment_id),
    req.key,
    req.value,
  ]);
  ctx.env.emit({ kind: 'experiment', ids: [experiment.experiment_id], op: 'update' });
  return {};
}
