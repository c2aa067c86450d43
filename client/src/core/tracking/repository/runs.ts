import { compileRunQuery } from '../search/runs';
import { activeRun, defaultExperimentLocation, experimentKey, findRun, runArtifactUri, type Context } from './context';
import { invalid, notFound } from './errors';
import { loadExperiment } from './experiments';
import { metricOut } from './metrics';
import { maxResults, page, pageOffset } from './paging';
import { runNameFromId } from './runName';
import { optNum, optStr, str } from './sql';
import type {
  CreateRunRequest,
  DeleteTagRequest,
  Empty,
  KeyValue,
  LogInputsRequest,
  LogModelRequest,
  LogParamRequest,
  Run,
  RunIdRequest,
  RunInfo,
  RunStatus,
  SearchRunsRequest,
  SetTagRequest,
  UpdateRunRequest,
} from './types';
import { LIMITS, validateLength, validateParam, validateTag } from './validation';
import { pythonJson } from './pythonJson';

export const RUN_NAME_TAG = 'mlflow.runName';
const LOGGED_MODELS_TAG = 'mlflow.log-model.history';
const STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
const SEARCH_DEFAULT = 1000;
const SEARCH_CAP = 50000;

export function loadRunInfo(ctx: Context, runId: string): RunInfo {
  const row = ctx.sql.get(
    'SELECT r.*, e.artifact_location FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id WHERE r.run_uuid = ?',
    [runId],
  );
  if (!row) throw notFound(`Run with id=${runId} not found`);
  const experimentId = str(row.experiment_id);
  return {
    run_id: runId,
    run_uuid: runId,
    run_name: str(row.name),
    experiment_id: experimentId,
    user_id: str(row.user_id),
    status: str(row.status) as RunStatus,
    start_time: optNum(row.start_time),
    end_time: optNum(row.end_time),
    artifact_uri: runArtifactUri(ctx, experimentId, runId, row.artifact_uri, row.artifact_location),
    lifecycle_stage: str(row.lifecycle_stage) as RunInfo['lifecycle_stage'],
  };
}

const pairs = (rows: Record<string, unknown>[]): KeyValue[] =>
  rows.map((r) => ({ key: str(r.key as string), value: str(r.value as string) }));

export function loadRun(ctx: Context, runId: string): Run {
  const info = loadRunInfo(ctx, runId);
  const metrics = ctx.sql
    .all(
      'SELECT m.key, m.value, m.timestamp, m.step, m.is_nan FROM runs r JOIN latest_metrics m ON m.run = r.id WHERE r.run_uuid = ? ORDER BY m.key',
      [runId],
    )
    .map(metricOut);
  const params = pairs(ctx.sql.all('SELECT key, value FROM params WHERE run_uuid = ? ORDER BY key', [runId]));
  const tags = pairs(ctx.sql.all('SELECT key, value FROM tags WHERE run_uuid = ? ORDER BY key', [runId]));
  const inputs = ctx.sql
    .all('SELECT d.* FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid WHERE i.run_uuid = ? ORDER BY i.position', [
      runId,
    ])
    .map((d) => ({
      tags: pairs(
        ctx.sql.all('SELECT key, value FROM run_input_tags WHERE run_uuid = ? AND dataset_uuid = ? ORDER BY key', [
          runId,
          str(d.dataset_uuid),
        ]),
      ),
      dataset: {
        name: str(d.name),
        digest: str(d.digest),
        source_type: str(d.source_type),
        source: str(d.source),
        ...(d.schema !== null ? { schema: str(d.schema) } : {}),
        ...(d.profile !== null ? { profile: str(d.profile) } : {}),
      },
    }));
  return { info, data: { metrics, params, tags }, inputs: { dataset_inputs: inputs } };
}

function setTagRow(ctx: Context, runId: string, key: string, value: string): void {
  ctx.sql.run('INSERT OR REPLACE INTO tags (run_uuid, key, value) VALUES (?, ?, ?)', [runId, key, value]);
  // The run name lives in both places in MLflow; keep them equal whichever is written.
  if (key === RUN_NAME_TAG) ctx.sql.run('UPDATE runs SET name = ? WHERE run_uuid = ?', [value, runId]);
}

export function createRun(ctx: Context, req: CreateRunRequest): { run: Run } {
  const experiment = loadExperiment(ctx, req.experiment_id || '0');
  if (experiment.lifecycle_stage !== 'active') {
    throw invalid(
      `The experiment ${experiment.experiment_id} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`,
    );
  }
  const tags = req.tags ?? [];
  tags.forEach((t, i) => validateTag(t.key, t.value, `tags[${i}]`));
  const tagName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
  if (req.run_name && tagName !== undefined && tagName !== req.run_name) {
    throw invalid(
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${req.run_name}', mlflow.runName='${tagName}').`,
    );
  }
  const runId = ctx.env.newId();
  const name = req.run_name || tagName || runNameFromId(ctx.env.newId());
  const startTime = req.start_time ?? ctx.env.now();
  const explicitLocation = experiment.artifact_location !== defaultExperimentLocation(ctx, experiment.experiment_id);
  const artifactUri = explicitLocation ? `${experiment.artifact_location.replace(/\/+$/, '')}/${runId}/artifacts` : null;
  ctx.sql.run(
    "INSERT INTO runs (run_uuid, name, experiment_id, user_id, status, start_time, artifact_uri, lifecycle_stage) VALUES (?, ?, ?, ?, 'RUNNING', ?, ?, 'active')",
    [runId, name, Number(experiment.experiment_id), req.user_id ?? '', startTime, artifactUri],
  );
  for (const tag of tags) setTagRow(ctx, runId, tag.key, tag.value);
  setTagRow(ctx, runId, RUN_NAME_TAG, name);
  ctx.env.emit({ kind: 'run', ids: [runId], op: 'create' });
  return { run: loadRun(ctx, runId) };
}

export function getRun(ctx: Context, req: RunIdRequest): { run: Run } {
  return { run: loadRun(ctx, req.run_id) };
}

export function updateRun(ctx: Context, req: UpdateRunRequest): { run_info: RunInfo } {
  activeRun(ctx, req.run_id);
  if (req.status !== undefined && !STATUSES.includes(req.status)) {
    throw invalid(`Invalid value ${JSON.stringify(req.status)} for parameter 'status' supplied. Expected one of ${STATUSES.join(', ')}.`);
  }
  if (req.status !== undefined) ctx.sql.run('UPDATE runs SET status = ? WHERE run_uuid = ?', [req.status, req.run_id]);
  if (req.end_time !== undefined) ctx.sql.run('UPDATE runs SET end_time = ? WHERE run_uuid = ?', [req.end_time, req.run_id]);
  if (req.run_name) setTagRow(ctx, req.run_id, RUN_NAME_TAG, req.run_name);
  ctx.env.emit({ kind: 'run', ids: [req.run_id], op: 'update' });
  return { run_info: loadRunInfo(ctx, req.run_id) };
}

export function deleteRun(ctx: Context, req: RunIdRequest): Empty {
  findRun(ctx, req.run_id);
  ctx.sql.run("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?", [ctx.env.now(), req.run_id]);
  ctx.env.emit({ kind: 'run', ids: [req.run_id], op: 'delete' });
  return {};
}

export function restoreRun(ctx: Context, req: RunIdRequest): Empty {
  findRun(ctx, req.run_id);
  ctx.sql.run("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?", [req.run_id]);
  // Back in the active lists, as if created: views relist its experiment.
  ctx.env.emit({ kind: 'run', ids: [req.run_id], op: 'create' });
  return {};
}

/** Params never change once logged; logging the same value again is allowed. */
export function checkParamUnchanged(ctx: Context, runId: string, key: string, value: string): boolean {
  const old = ctx.sql.get('SELECT value FROM params WHERE run_uuid = ? AND key = ?', [runId, key]);
  if (!old) return false;
  if (str(old.value) !== value) {
    throw invalid(
      `Changing param values is not allowed. Param with key='${key}' was already logged with value='${str(old.value)}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
    );
  }
  return true;
}

export function insertParam(ctx: Context, runId: string, key: string, value: string): void {
  ctx.sql.run('INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?)', [runId, key, value]);
}

export function logParam(ctx: Context, req: LogParamRequest): Empty {
  const value = req.value ?? '';
  validateParam(req.key, value);
  activeRun(ctx, req.run_id);
  if (!checkParamUnchanged(ctx, req.run_id, req.key, value)) insertParam(ctx, req.run_id, req.key, value);
  ctx.env.emit({ kind: 'param', ids: [req.run_id], op: 'create' });
  return {};
}

export function setTag(ctx: Context, req: SetTagRequest): Empty {
  const value = req.value ?? '';
  validateTag(req.key, value);
  activeRun(ctx, req.run_id);
  setTagRow(ctx, req.run_id, req.key, value);
  ctx.env.emit({ kind: 'tag', ids: [req.run_id], op: 'update' });
  return {};
}

export function setTags(ctx: Context, runId: string, tags: KeyValue[]): void {
  for (const tag of tags) setTagRow(ctx, runId, tag.key, tag.value);
}

export function deleteTag(ctx: Context, req: DeleteTagRequest): Empty {
  activeRun(ctx, req.run_id);
  if (ctx.sql.change('DELETE FROM tags WHERE run_uuid = ? AND key = ?', [req.run_id, req.key]) === 0) {
    throw notFound(`No tag with name: ${req.key} in run with id ${req.run_id}`);
  }
  ctx.env.emit({ kind: 'tag', ids: [req.run_id], op: 'delete' });
  return {};
}

export function logInputs(ctx: Context, req: LogInputsRequest): Empty {
  const run = activeRun(ctx, req.run_id);
  const inputs = req.datasets ?? [];
  inputs.forEach(({ dataset, tags }, i) => {
    const at = `datasets[${i}]`;
    for (const field of ['name', 'digest', 'source_type', 'source'] as const) {
      if (!dataset?.[field]) throw invalid(`Missing value for required parameter '${at}.dataset.${field}'.`);
    }
    validateLength(`${at}.dataset.name`, LIMITS.datasetName, dataset.name);
    validateLength(`${at}.dataset.digest`, LIMITS.datasetDigest, dataset.digest);
    validateLength(`${at}.dataset.source`, LIMITS.datasetSource, dataset.source);
    validateLength(`${at}.dataset.schema`, LIMITS.datasetSchema, dataset.schema);
    validateLength(`${at}.dataset.profile`, LIMITS.datasetProfile, dataset.profile);
    for (const tag of tags ?? []) {
      if (!tag.key) throw invalid(`Missing value for required parameter '${at}.tags.key'.`);
      validateLength(`${at}.tags.key`, LIMITS.inputTagKey, tag.key);
      validateLength(`${at}.tags.value`, LIMITS.inputTagValue, tag.value);
    }
  });
  const experimentId = Number(run.experiment_id);
  for (const { dataset, tags } of inputs) {
    const found = ctx.sql.get('SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?', [
      experimentId,
      dataset.name,
      dataset.digest,
    ]);
    let datasetId = found ? str(found.dataset_uuid) : '';
    if (!found) {
      datasetId = ctx.env.newId();
      ctx.sql.run(
        'INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          datasetId,
          experimentId,
          dataset.name,
          dataset.digest,
          dataset.source_type,
          dataset.source,
          dataset.schema ?? null,
          dataset.profile ?? null,
        ],
      );
    }
    ctx.sql.run(
      'INSERT OR IGNORE INTO run_inputs (run_uuid, dataset_uuid, position) VALUES (?, ?, (SELECT COUNT(*) FROM run_inputs WHERE run_uuid = ?))',
      [req.run_id, datasetId, req.run_id],
    );
    for (const tag of tags ?? []) {
      ctx.sql.run('INSERT OR REPLACE INTO run_input_tags (run_uuid, dataset_uuid, key, value) VALUES (?, ?, ?, ?)', [
        req.run_id,
        datasetId,
        tag.key,
        tag.value ?? '',
      ]);
    }
  }
  ctx.env.emit({ kind: 'run', ids: [req.run_id], op: 'update' });
  return {};
}

/** What `mlflow.<flavor>.log_model` records: the model's metadata appended to a run tag. */
export function logModel(ctx: Context, req: LogModelRequest): Empty {
  activeRun(ctx, req.run_id);
  let model: unknown;
  try {
    model = JSON.parse(req.model_json);
  } catch {
    throw invalid(`Malformed model info. \n ${req.model_json} \n is not a valid JSON.`);
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) throw invalid('Model json must be a JSON object.');
  const missing = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'].filter((f) => !(f in model));
  if (missing.length) throw invalid(`Model json is missing mandatory fields: ${missing.join(', ')}`);
  const old = optStr(ctx.sql.get('SELECT value FROM tags WHERE run_uuid = ? AND key = ?', [req.run_id, LOGGED_MODELS_TAG])?.value);
  let history: unknown[] = [];
  try {
    const parsed: unknown = old ? JSON.parse(old) : [];
    if (Array.isArray(parsed)) history = parsed;
  } catch {
    history = [];
  }
  setTagRow(ctx, req.run_id, LOGGED_MODELS_TAG, pythonJson([...history, model]));
  ctx.env.emit({ kind: 'tag', ids: [req.run_id], op: 'update' });
  return {};
}

export function searchRuns(ctx: Context, req: SearchRunsRequest): { runs: Run[]; next_page_token?: string } {
  const limit = maxResults(req.max_results, SEARCH_DEFAULT, SEARCH_CAP);
  const offset = pageOffset(req.page_token);
  const experimentIds = (req.experiment_ids ?? []).map(experimentKey).filter((id): id is number => id !== undefined);
  const query = compileRunQuery({
    experimentIds,
    filter: req.filter,
    orderBy: req.order_by,
    viewType: req.run_view_type ?? 'ACTIVE_ONLY',
    artifactRootUri: defaultExperimentLocation(ctx, '').replace(/\/+$/, ''),
    limit: limit + 1,
    offset,
  });
  const { items, next_page_token } = page(ctx.sql.query(query.sql, query.params), offset, limit);
  return { runs: items.map((r) => loadRun(ctx, str(r.run_uuid))), ...(next_page_token ? { next_page_token } : {}) };
}
