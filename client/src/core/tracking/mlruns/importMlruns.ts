import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureExperiment } from '../listing';
import { MlflowError } from '../repository/errors';
import type { ImportedVersion, KeyValue, Run, RunInfo, TrackingApi } from '../repository';
import { readExperiments, readMetrics, readModels, readRuns, type MlrunsExperiment, type MlrunsModel, type MlrunsRun } from './fileStore';

/** Set last on an imported run: a run that has it is complete, and a second import leaves it alone. */
export const IMPORTED_FROM_TAG = 'mlops.importedFrom';
const BATCH_METRICS = 1000;
const BATCH_KEYS = 100;

export interface ImportOptions {
  /** Only these experiments (by name); all active ones when absent. */
  experiments?: string[];
  onProgress?(p: { experiment: string; done: number; total: number }): void;
}

export interface ImportReport {
  experiments: number;
  runs: number;
  /** Runs that an earlier import brought in whole. */
  skipped: number;
  points: number;
  files: number;
  models: number;
  versions: number;
  /** Experiments in .trash, left out. */
  deletedExperiments: string[];
  /** Runs whose artifacts are not on this machine (an s3:// root, a folder gone). */
  missingArtifacts: number;
}

/** An experiment named in --experiment that the folder does not have. */
export class UnknownExperimentError extends Error {}

async function existingRun(api: TrackingApi, runId: string): Promise<Run | undefined> {
  try {
    return (await api.getRun({ run_id: runId })).run;
  } catch (error) {
    if (error instanceof MlflowError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') return undefined;
    throw error;
  }
}

async function experimentFor(api: TrackingApi, experiment: MlrunsExperiment): Promise<string> {
  const id = await ensureExperiment(api, experiment.name);
  // Set on an existing experiment too: the tags are the file store's.
  for (const tag of experiment.tags) await api.setExperimentTag({ experiment_id: id, key: tag.key, value: tag.value });
  return id;
}

async function inBatches<T>(items: T[], size: number, send: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await send(items.slice(i, i + size));
}

/** Copies the files that the target lacks or has at another size; returns how many it copied. */
async function copyArtifacts(from: string, targetUri: string): Promise<number> {
  if (!targetUri.startsWith('file:')) return 0;
  const to = fileURLToPath(targetUri);
  const entries = await fs.readdir(from, { withFileTypes: true, recursive: true });
  let copied = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    const source = path.join(e.parentPath ?? e.path, e.name);
    const target = path.join(to, path.relative(from, source));
    const [a, b] = await Promise.all([fs.stat(source), fs.stat(target).catch(() => undefined)]);
    if (b && b.size === a.size) continue;
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.copyFile(source, target);
    copied++;
  }
  return copied;
}

function finalInfo(run: MlrunsRun, experimentId: string, lifecycle: 'active' | 'deleted') {
  return {
    run_id: run.runId,
    experiment_id: experimentId,
    run_name: run.name,
    user_id: run.userId,
    status: run.status,
    ...(run.startTime !== undefined ? { start_time: run.startTime } : {}),
    ...(run.endTime !== undefined ? { end_time: run.endTime } : {}),
    lifecycle_stage: lifecycle,
    ...(lifecycle === 'deleted' && run.deletedTime !== undefined ? { deleted_time: run.deletedTime } : {}),
  };
}

/**
 * One run: created under its own id, params, tags and every metric point logged in batches, then
 * the marker tag and its final state (a deleted run is deleted last, since a deleted run takes no
 * writes). An interrupted import resumes: re-sent points are the same rows, which the store keeps once.
 */
async function importOne(
  api: TrackingApi,
  source: MlrunsExperiment,
  run: MlrunsRun,
  experimentId: string,
  root: string,
): Promise<{ info: RunInfo; points: number; skipped: boolean }> {
  const existing = await existingRun(api, run.runId);
  const done = existing?.data.tags.some((t) => t.key === IMPORTED_FROM_TAG);
  if (existing && done) {
    const settled = existing.info.lifecycle_stage === run.lifecycleStage && existing.info.status === run.status;
    const info = settled ? existing.info : (await api.importRun(finalInfo(run, experimentId, run.lifecycleStage))).run_info;
    return { info, points: 0, skipped: true };
  }
  await api.importRun(finalInfo(run, experimentId, 'active'));
  await inBatches(run.params, BATCH_KEYS, (params) => api.logBatch({ run_id: run.runId, params }));
  const tags = run.tags.filter((t) => t.key !== IMPORTED_FROM_TAG);
  await inBatches(tags, BATCH_KEYS, (batch) => api.logBatch({ run_id: run.runId, tags: batch }));
  const metrics = await readMetrics(source, run.runId);
  await inBatches(metrics, BATCH_METRICS, (batch) => api.logBatch({ run_id: run.runId, metrics: batch }));
  await api.setTag({ run_id: run.runId, key: IMPORTED_FROM_TAG, value: root });
  const { run_info } = await api.importRun(finalInfo(run, experimentId, run.lifecycleStage));
  return { info: run_info, points: metrics.length, skipped: false };
}

/** A version's source under the run's old artifact root points at the same path under its new one. */
function movedSource(source: string, run: MlrunsRun | undefined, info: RunInfo | undefined): string {
  if (!run || !info) return source;
  for (const old of [run.artifactUri, run.artifactDir ? `file://${run.artifactDir}` : '']) {
    const base = old.replace(/\/+$/, '');
    if (base && (source === base || source.startsWith(`${base}/`)))
      return info.artifact_uri.replace(/\/+$/, '') + source.slice(base.length);
  }
  return source;
}

const versionOf = (v: MlrunsModel['versions'][number], source: string): ImportedVersion => ({
  version: v.version,
  ...(v.creationTimestamp !== undefined ? { creation_timestamp: v.creationTimestamp } : {}),
  ...(v.lastUpdatedTimestamp !== undefined ? { last_updated_timestamp: v.lastUpdatedTimestamp } : {}),
  ...(v.description !== undefined ? { description: v.description } : {}),
  ...(v.userId !== undefined ? { user_id: v.userId } : {}),
  current_stage: v.currentStage,
  source,
  ...(v.runId ? { run_id: v.runId } : {}),
  ...(v.runLink ? { run_link: v.runLink } : {}),
  ...(v.status ? { status: v.status } : {}),
  tags: v.tags,
});

/**
 * Reads an MLflow file store into the workspace store, keeping run ids, names, times, params, tags,
 * every metric point, artifacts, and the registered models with their version numbers, stages and
 * aliases. With `experiments`, only those, and only the model versions made from their runs.
 */
export async function importMlruns(api: TrackingApi, dir: string, options: ImportOptions = {}): Promise<ImportReport> {
  const root = path.resolve(dir);
  const all = await readExperiments(root);
  const wanted = options.experiments;
  if (wanted) {
    const missing = wanted.filter((name) => !all.some((e) => e.name === name && e.lifecycleStage === 'active'));
    if (missing.length)
      throw new UnknownExperimentError(
        `${root} has no active experiment ${missing.map((m) => `'${m}'`).join(', ')}; it has ${all
          .filter((e) => e.lifecycleStage === 'active')
          .map((e) => `'${e.name}'`)
          .join(', ')}`,
      );
  }
  const chosen = all.filter((e) => e.lifecycleStage === 'active' && (!wanted || wanted.includes(e.name)));
  const report: ImportReport = {
    experiments: chosen.length,
    runs: 0,
    skipped: 0,
    points: 0,
    files: 0,
    models: 0,
    versions: 0,
    deletedExperiments: wanted ? [] : all.filter((e) => e.lifecycleStage === 'deleted').map((e) => e.name),
    missingArtifacts: 0,
  };
  const imported = new Map<string, { run: MlrunsRun; info: RunInfo }>();
  for (const experiment of chosen) {
    const experimentId = await experimentFor(api, experiment);
    const runs = await readRuns(experiment);
    for (const [i, run] of runs.entries()) {
      const { info, points, skipped } = await importOne(api, experiment, run, experimentId, root);
      if (skipped) report.skipped++;
      else report.runs++;
      report.points += points;
      if (run.artifactDir) report.files += await copyArtifacts(run.artifactDir, info.artifact_uri);
      else if (run.artifactUri) report.missingArtifacts++;
      imported.set(run.runId, { run, info });
      options.onProgress?.({ experiment: experiment.name, done: i + 1, total: runs.length });
    }
  }
  for (const model of await readModels(root)) {
    const versions = model.versions.filter((v) => !wanted || (v.runId !== undefined && imported.has(v.runId)));
    if (wanted && versions.length === 0) continue;
    const tags: KeyValue[] = model.tags;
    const { added_versions } = await api.importModel({
      name: model.name,
      ...(model.creationTimestamp !== undefined ? { creation_timestamp: model.creationTimestamp } : {}),
      ...(model.lastUpdatedTimestamp !== undefined ? { last_updated_timestamp: model.lastUpdatedTimestamp } : {}),
      ...(model.description !== undefined ? { description: model.description } : {}),
      tags,
      versions: versions.map((v) => {
        const from = v.runId ? imported.get(v.runId) : undefined;
        return versionOf(v, movedSource(v.source, from?.run, from?.info));
      }),
      aliases: model.aliases,
    });
    report.models++;
    report.versions += added_versions.length;
  }
  return report;
}
