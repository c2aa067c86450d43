import { allExperiments, allRuns, ensureExperiment, metricHistory } from '../listing';
import type { KeyValue, Run, TrackingApi } from '../repository';
import type { StoreSide } from './sides';

/** The tag that ties a copied run to its original: a second copy finds it and adds nothing. */
export const SOURCE_RUN_TAG = 'mlops.sourceRunId';
const PARENT_TAG = 'mlflow.parentRunId';
const PARALLEL = 8;

export interface CopyProgress {
  readonly experiment: string;
  readonly done: number;
  readonly total: number;
}

export interface CopyReport {
  experiments: number;
  copied: number;
  /** Already complete in the target. */
  skipped: number;
  points: number;
  files: number;
  /** Source run id to the target's, for every run of the experiments copied (new or found). */
  runMap: Map<string, string>;
}

async function experimentsOf(api: TrackingApi, names: readonly string[] | undefined): Promise<{ experiment_id: string; name: string }[]> {
  if (names && names.length > 0)
    return Promise.all(names.map(async (name) => (await api.getExperimentByName({ experiment_name: name })).experiment));
  return allExperiments(api);
}

const tagOf = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;

/**
 * Copies the runs of some experiments (all active ones by default) from one store to another:
 * params, tags, every metric point, datasets, artifacts and status, with nested runs re-pointed at
 * their copied parents. Idempotent and resumable: a target run tagged `mlops.sourceRunId` with the
 * source's final status is complete and skipped; one left unfinished by an interruption is filled
 * in again (identical points and tags are stored once).
 */
export async function copyRuns(
  source: StoreSide,
  target: StoreSide,
  options: { experiments?: readonly string[]; onProgress?: (progress: CopyProgress) => void } = {},
): Promise<CopyReport> {
  const report: CopyReport = { experiments: 0, copied: 0, skipped: 0, points: 0, files: 0, runMap: new Map() };
  for (const experiment of await experimentsOf(source.api, options.experiments)) {
    report.experiments++;
    const targetId = await ensureExperiment(target.api, experiment.name);
    const existing = new Map<string, Run>();
    for (const run of await allRuns(target.api, [targetId])) {
      const from = tagOf(run, SOURCE_RUN_TAG);
      if (from) existing.set(from, run);
    }
    const runs = await allRuns(source.api, [experiment.experiment_id]);
    // Parents before their nested runs, so the copies can point at the copied parent.
    const depth = (run: Run, seen = 0): number => {
      const parent = tagOf(run, PARENT_TAG);
      const found = parent ? runs.find((r) => r.info.run_id === parent) : undefined;
      return found && seen < 16 ? 1 + depth(found, seen + 1) : 0;
    };
    const levels = new Map<number, Run[]>();
    for (const run of runs) levels.set(depth(run), [...(levels.get(depth(run)) ?? []), run]);
    let done = 0;
    for (const level of [...levels.keys()].sort((a, b) => a - b)) {
      const queue = [...levels.get(level)!];
      const worker = async () => {
        for (let run = queue.shift(); run; run = queue.shift()) {
          await copyRun(source, target, targetId, run, existing.get(run.info.run_id), report);
          options.onProgress?.({ experiment: experiment.name, done: ++done, total: runs.length });
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
    }
  }
  return report;
}

async function copyRun(
  source: StoreSide,
  target: StoreSide,
  experimentId: string,
  run: Run,
  found: Run | undefined,
  report: CopyReport,
): Promise<void> {
  const id = run.info.run_id;
  if (found && found.info.status === run.info.status && run.info.status !== 'RUNNING') {
    report.runMap.set(id, found.info.run_id);
    report.skipped++;
    return;
  }
  const tags: KeyValue[] = [];
  for (const tag of run.data.tags) {
    if (tag.key === PARENT_TAG) {
      const parent = report.runMap.get(tag.value);
      if (parent) tags.push({ key: PARENT_TAG, value: parent });
    } else if (tag.key !== SOURCE_RUN_TAG) tags.push(tag);
  }
  tags.push({ key: SOURCE_RUN_TAG, value: id });
  const copy =
    found?.info ??
    (
      await target.api.createRun({
        experiment_id: experimentId,
        run_name: run.info.run_name,
        ...(run.info.start_time !== undefined ? { start_time: run.info.start_time } : {}),
        ...(run.info.user_id ? { user_id: run.info.user_id } : {}),
        tags: [{ key: SOURCE_RUN_TAG, value: id }],
      })
    ).run.info;
  report.runMap.set(id, copy.run_id);
  for (let i = 0; i < run.data.params.length; i += 100)
    await target.api.logBatch({ run_id: copy.run_id, params: run.data.params.slice(i, i + 100) });
  for (let i = 0; i < tags.length; i += 100) await target.api.logBatch({ run_id: copy.run_id, tags: tags.slice(i, i + 100) });
  for (const key of [...new Set(run.data.metrics.map((m) => m.key))]) {
    const points = await metricHistory(source.api, id, key);
    for (let i = 0; i < points.length; i += 1000)
      await target.api.logBatch({
        run_id: copy.run_id,
        metrics: points.slice(i, i + 1000).map((p) => ({ key: p.key, value: p.value, timestamp: p.timestamp, step: p.step ?? 0 })),
      });
    report.points += points.length;
  }
  if (run.inputs.dataset_inputs.length > 0) await target.api.logInputs({ run_id: copy.run_id, datasets: run.inputs.dataset_inputs });
  for (const file of await source.listArtifacts(run.info)) {
    await target.writeArtifact(copy, file, await source.readArtifact(run.info, file));
    report.files++;
  }
  await target.api.updateRun({
    run_id: copy.run_id,
    status: run.info.status,
    ...(run.info.end_time !== undefined && run.info.end_time !== null ? { end_time: run.info.end_time } : {}),
  });
  report.copied++;
}
