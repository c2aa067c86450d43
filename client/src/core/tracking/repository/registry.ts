import { compileModelQuery, compileVersionQuery } from '../search/registry';
import type { Context } from './context';
import { exists, invalid, notFound } from './errors';
import { maxResults, page, pageOffset } from './paging';
import { optStr, str } from './sql';
import type {
  AliasRequest,
  CreateModelVersionRequest,
  CreateRegisteredModelRequest,
  DeleteModelVersionTagRequest,
  DeleteRegisteredModelTagRequest,
  Empty,
  GetLatestVersionsRequest,
  ModelVersion,
  NameRequest,
  RegisteredModel,
  RenameRegisteredModelRequest,
  SearchModelVersionsRequest,
  SearchRegisteredModelsRequest,
  SetAliasRequest,
  SetModelVersionTagRequest,
  SetRegisteredModelTagRequest,
  Stage,
  TransitionStageRequest,
  UpdateModelVersionRequest,
  UpdateRegisteredModelRequest,
  VersionRequest,
} from './types';
import { parseVersion, validateAliasName, validateModelName, validateRegistryTag } from './validation';

export const STAGES: readonly Stage[] = ['None', 'Staging', 'Production', 'Archived'];
/** Deleted versions keep their row so that their numbers are never given out again. */
const DELETED = 'Deleted_Internal';

/** MLflow matches stage names case-insensitively and stores them capitalised. */
export function canonicalStage(stage: string): Stage {
  const found = STAGES.find((s) => s.toLowerCase() === stage.trim().toLowerCase());
  if (!found) throw invalid(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
  return found;
}

function modelRow(ctx: Context, name: string) {
  validateModelName(name);
  const row = ctx.sql.get('SELECT * FROM registered_models WHERE name = ?', [name]);
  if (!row) throw notFound(`Registered Model with name=${name} not found`);
  return row;
}

function versionRow(ctx: Context, name: string, version: string) {
  validateModelName(name);
  const number = parseVersion(version);
  const row = ctx.sql.get('SELECT * FROM model_versions WHERE name = ? AND version = ? AND current_stage != ?', [name, number, DELETED]);
  if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  return row;
}

function loadVersion(ctx: Context, name: string, version: number): ModelVersion {
  const row = ctx.sql.get('SELECT * FROM model_versions WHERE name = ? AND version = ?', [name, version]);
  if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  const tags = ctx.sql.all('SELECT key, value FROM model_version_tags WHERE name = ? AND version = ? ORDER BY key', [name, version]);
  const aliases = ctx.sql.all('SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias', [name, version]);
  const description = optStr(row.description);
  const runId = optStr(row.run_id);
  const runLink = optStr(row.run_link);
  const userId = optStr(row.user_id);
  return {
    name,
    version: String(version),
    creation_timestamp: Number(row.creation_time),
    last_updated_timestamp: Number(row.last_updated_time),
    ...(userId ? { user_id: userId } : {}),
    current_stage: str(row.current_stage) as Stage,
    ...(description !== undefined ? { description } : {}),
    source: str(row.source),
    ...(runId ? { run_id: runId } : {}),
    ...(runLink ? { run_link: runLink } : {}),
    status: 'READY',
    tags: tags.map((t) => ({ key: str(t.key), value: str(t.value) })),
    aliases: aliases.map((a) => str(a.alias)),
  };
}

/** The newest version in each of `stages` (all four when none given). */
function latestVersions(ctx: Context, name: string, stages?: string[]): ModelVersion[] {
  const wanted = new Set((stages?.length ? stages : STAGES).map((s) => s.toLowerCase()));
  const rows = ctx.sql.all(
    'SELECT current_stage, MAX(version) AS version FROM model_versions WHERE name = ? AND current_stage != ? GROUP BY current_stage ORDER BY version',
    [name, DELETED],
  );
  return rows.filter((r) => wanted.has(str(r.current_stage).toLowerCase())).map((r) => loadVersion(ctx, name, Number(r.version)));
}

function loadModel(ctx: Context, name: string): RegisteredModel {
  const row = modelRow(ctx, name);
  const tags = ctx.sql.all('SELECT key, value FROM registered_model_tags WHERE name = ? ORDER BY key', [name]);
  const aliases = ctx.sql.all('SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias', [name]);
  const description = optStr(row.description);
  return {
    name,
    creation_timestamp: Number(row.creation_time),
    last_updated_timestamp: Number(row.last_updated_time),
    ...(description !== undefined ? { description } : {}),
    latest_versions: latestVersions(ctx, name),
    tags: tags.map((t) => ({ key: str(t.key), value: str(t.value) })),
    aliases: aliases.map((a) => ({ alias: str(a.alias), version: String(a.version) })),
  };
}

function touchModel(ctx: Context, name: string, now: number): void {
  ctx.sql.run('UPDATE registered_models SET last_updated_time = ? WHERE name = ?', [now, name]);
}

function emitVersion(ctx: Context, name: string, version: number, op: 'create' | 'update' | 'delete'): void {
  ctx.env.emit({ kind: 'modelVersion', ids: [name, String(version)], op });
}

export function createRegisteredModel(ctx: Context, req: CreateRegisteredModelRequest): { registered_model: RegisteredModel } {
  validateModelName(req.name);
  for (const tag of req.tags ?? []) validateRegistryTag(tag.key, tag.value);
  if (ctx.sql.get('SELECT 1 FROM registered_models WHERE name = ?', [req.name]))
    throw exists(`Registered Model (name=${req.name}) already exists.`);
  const now = ctx.env.now();
  ctx.sql.run('INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)', [
    req.name,
    now,
    now,
    req.description ?? null,
  ]);
  for (const tag of req.tags ?? [])
    ctx.sql.run('INSERT OR REPLACE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)', [req.name, tag.key, tag.value]);
  ctx.env.emit({ kind: 'model', ids: [req.name], op: 'create' });
  return { registered_model: loadModel(ctx, req.name) };
}

export function getRegisteredModel(ctx: Context, req: NameRequest): { registered_model: RegisteredModel } {
  return { registered_model: loadModel(ctx, req.name) };
}

export function renameRegisteredModel(ctx: Context, req: RenameRegisteredModelRequest): { registered_model: RegisteredModel } {
  modelRow(ctx, req.name);
  validateModelName(req.new_name, 'new_name');
  if (req.new_name !== req.name && ctx.sql.get('SELECT 1 FROM registered_models WHERE name = ?', [req.new_name])) {
    throw exists(`Registered Model (name=${req.new_name}) already exists.`);
  }
  const now = ctx.env.now();
  for (const table of ['registered_models', 'registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases']) {
    ctx.sql.run(`UPDATE ${table} SET name = ? WHERE name = ?`, [req.new_name, req.name]);
  }
  touchModel(ctx, req.new_name, now);
  ctx.sql.run('UPDATE model_versions SET last_updated_time = ? WHERE name = ?', [now, req.new_name]);
  ctx.env.emit({ kind: 'model', ids: [req.name], op: 'delete' });
  ctx.env.emit({ kind: 'model', ids: [req.new_name], op: 'create' });
  return { registered_model: loadModel(ctx, req.new_name) };
}

export function updateRegisteredModel(ctx: Context, req: UpdateRegisteredModelRequest): { registered_model: RegisteredModel } {
  modelRow(ctx, req.name);
  ctx.sql.run('UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?', [
    req.description ?? null,
    ctx.env.now(),
    req.name,
  ]);
  ctx.env.emit({ kind: 'model', ids: [req.name], op: 'update' });
  return { registered_model: loadModel(ctx, req.name) };
}

export function deleteRegisteredModel(ctx: Context, req: NameRequest): Empty {
  modelRow(ctx, req.name);
  for (const table of ['registered_models', 'registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases']) {
    ctx.sql.run(`DELETE FROM ${table} WHERE name = ?`, [req.name]);
  }
  ctx.env.emit({ kind: 'model', ids: [req.name], op: 'delete' });
  return {};
}

export function searchRegisteredModels(
  ctx: Context,
  req: SearchRegisteredModelsRequest,
): { registered_models: RegisteredModel[]; next_page_token?: string } {
  const limit = maxResults(req.max_results, 100, 1000);
  const offset = pageOffset(req.page_token);
  const query = compileModelQuery({ filter: req.filter, orderBy: req.order_by, limit: limit + 1, offset });
  const { items, next_page_token } = page(ctx.sql.query(query.sql, query.params), offset, limit);
  return { registered_models: items.map((r) => loadModel(ctx, str(r.name))), ...(next_page_token ? { next_page_token } : {}) };
}

export function getLatestVersions(ctx: Context, req: GetLatestVersionsRequest): { model_versions: ModelVersion[] } {
  modelRow(ctx, req.name);
  return { model_versions: latestVersions(ctx, req.name, req.stages) };
}

export function setRegisteredModelTag(ctx: Context, req: SetRegisteredModelTagRequest): Empty {
  validateRegistryTag(req.key, req.value ?? '');
  modelRow(ctx, req.name);
  ctx.sql.run('INSERT OR REPLACE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)', [req.name, req.key, req.value ?? '']);
  touchModel(ctx, req.name, ctx.env.now());
  ctx.env.emit({ kind: 'model', ids: [req.name], op: 'update' });
  return {};
}

export function deleteRegisteredModelTag(ctx: Context, req: DeleteRegisteredModelTagRequest): Empty {
  modelRow(ctx, req.name);
  ctx.sql.run('DELETE FROM registered_model_tags WHERE name = ? AND key = ?', [req.name, req.key]);
  ctx.env.emit({ kind: 'model', ids: [req.name], op: 'update' });
  return {};
}

export function setRegisteredModelAlias(ctx: Context, req: SetAliasRequest): Empty {
  validateAliasName(req.alias);
  const row = versionRow(ctx, req.name, req.version);
  ctx.sql.run('INSERT OR REPLACE INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)', [
    req.name,
    req.alias,
    Number(row.version),
  ]);
  touchModel(ctx, req.name, ctx.env.now());
  ctx.env.emit({ kind: 'alias', ids: [req.name, req.alias], op: 'update' });
  return {};
}

export function deleteRegisteredModelAlias(ctx: Context, req: AliasRequest): Empty {
  modelRow(ctx, req.name);
  validateAliasName(req.alias);
  ctx.sql.run('DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?', [req.name, req.alias]);
  ctx.env.emit({ kind: 'alias', ids: [req.name, req.alias], op: 'delete' });
  return {};
}

export function getModelVersionByAlias(ctx: Context, req: AliasRequest): { model_version: ModelVersion } {
  modelRow(ctx, req.name);
  const row = ctx.sql.get('SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?', [req.name, req.alias]);
  if (!row) throw notFound(`Registered model alias ${req.alias} not found.`);
  return { model_version: loadVersion(ctx, req.name, Number(row.version)) };
}

export function createModelVersion(ctx: Context, req: CreateModelVersionRequest): { model_version: ModelVersion } {
  modelRow(ctx, req.name);
  if (!req.source) throw invalid("Missing value for required parameter 'source'.");
  for (const tag of req.tags ?? []) validateRegistryTag(tag.key, tag.value);
  const version = Number(
    ctx.sql.get('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM model_versions WHERE name = ?', [req.name])?.next ?? 1,
  );
  const now = ctx.env.now();
  ctx.sql.run(
    "INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, current_stage, source, run_id, run_link, status) VALUES (?, ?, ?, ?, ?, 'None', ?, ?, ?, 'READY')",
    [req.name, version, now, now, req.description ?? null, req.source, req.run_id || null, req.run_link || null],
  );
  for (const tag of req.tags ?? [])
    ctx.sql.run('INSERT OR REPLACE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)', [
      req.name,
      version,
      tag.key,
      tag.value,
    ]);
  touchModel(ctx, req.name, now);
  emitVersion(ctx, req.name, version, 'create');
  return { model_version: loadVersion(ctx, req.name, version) };
}

export function getModelVersion(ctx: Context, req: VersionRequest): { model_version: ModelVersion } {
  const row = versionRow(ctx, req.name, req.version);
  return { model_version: loadVersion(ctx, req.name, Number(row.version)) };
}

export function updateModelVersion(ctx: Context, req: UpdateModelVersionRequest): { model_version: ModelVersion } {
  const version = Number(versionRow(ctx, req.name, req.version).version);
  ctx.sql.run('UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?', [
    req.description ?? null,
    ctx.env.now(),
    req.name,
    version,
  ]);
  emitVersion(ctx, req.name, version, 'update');
  return { model_version: loadVersion(ctx, req.name, version) };
}

export function deleteModelVersion(ctx: Context, req: VersionRequest): Empty {
  const version = Number(versionRow(ctx, req.name, req.version).version);
  const now = ctx.env.now();
  ctx.sql.run('UPDATE model_versions SET current_stage = ?, description = NULL, last_updated_time = ? WHERE name = ? AND version = ?', [
    DELETED,
    now,
    req.name,
    version,
  ]);
  ctx.sql.run('DELETE FROM model_version_tags WHERE name = ? AND version = ?', [req.name, version]);
  ctx.sql.run('DELETE FROM registered_model_aliases WHERE name = ? AND version = ?', [req.name, version]);
  touchModel(ctx, req.name, now);
  emitVersion(ctx, req.name, version, 'delete');
  return {};
}

export function transitionModelVersionStage(ctx: Context, req: TransitionStageRequest): { model_version: ModelVersion } {
  const version = Number(versionRow(ctx, req.name, req.version).version);
  const stage = canonicalStage(req.stage ?? '');
  const now = ctx.env.now();
  if (req.archive_existing_versions) {
    if (stage !== 'Staging' && stage !== 'Production') {
      throw invalid(
        `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are Staging, Production.`,
      );
    }
    // At most one version stays in the target stage: the others move to Archived.
    const others = ctx.sql.all('SELECT version FROM model_versions WHERE name = ? AND current_stage = ? AND version != ?', [
      req.name,
      stage,
      version,
    ]);
    ctx.sql.run(
      "UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? WHERE name = ? AND current_stage = ? AND version != ?",
      [now, req.name, stage, version],
    );
    for (const o of others) emitVersion(ctx, req.name, Number(o.version), 'update');
  }
  ctx.sql.run('UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?', [
    stage,
    now,
    req.name,
    version,
  ]);
  touchModel(ctx, req.name, now);
  emitVersion(ctx, req.name, version, 'update');
  return { model_version: loadVersion(ctx, req.name, version) };
}

export function searchModelVersions(
  ctx: Context,
  req: SearchModelVersionsRequest,
): { model_versions: ModelVersion[]; next_page_token?: string } {
  const limit = maxResults(req.max_results, 10000, 200000);
  const offset = pageOffset(req.page_token);
  const query = compileVersionQuery({ filter: req.filter, orderBy: req.order_by, limit: limit + 1, offset });
  const { items, next_page_token } = page(ctx.sql.query(query.sql, query.params), offset, limit);
  return {
    model_versions: items.map((r) => loadVersion(ctx, str(r.name), Number(r.version))),
    ...(next_page_token ? { next_page_token } : {}),
  };
}

export function getModelVersionDownloadUri(ctx: Context, req: VersionRequest): { artifact_uri: string } {
  return { artifact_uri: str(versionRow(ctx, req.name, req.version).source) };
}

export function setModelVersionTag(ctx: Context, req: SetModelVersionTagRequest): Empty {
  validateRegistryTag(req.key, req.value ?? '');
  const version = Number(versionRow(ctx, req.name, req.version).version);
  ctx.sql.run('INSERT OR REPLACE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)', [
    req.name,
    version,
    req.key,
    req.value ?? '',
  ]);
  emitVersion(ctx, req.name, version, 'update');
  return {};
}

export function deleteModelVersionTag(ctx: Context, req: DeleteModelVersionTagRequest): Empty {
  const version = Number(versionRow(ctx, req.name, req.version).version);
  ctx.sql.run('DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?', [req.name, version, req.key]);
  emitVersion(ctx, req.name, version, 'update');
  return {};
}
