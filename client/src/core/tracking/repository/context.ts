import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RepositoryEnv } from './index';
import { invalid, notFound } from './errors';
import { type Sql, str } from './sql';

/** What every operation module works with. */
export interface Context {
  readonly sql: Sql;
  readonly env: RepositoryEnv;
  readonly artifactRoot: string;
}

export function fileUri(absolutePath: string): string {
  return pathToFileURL(absolutePath).href;
}

export function defaultExperimentLocation(ctx: Context, experimentId: string): string {
  return fileUri(path.join(ctx.artifactRoot, experimentId));
}

export function experimentLocation(ctx: Context, experimentId: string, stored: unknown): string {
  return stored === null || stored === undefined ? defaultExperimentLocation(ctx, experimentId) : String(stored);
}

/** `<experiment location>/<run>/artifacts`, as MLflow's stores lay runs out. */
export function runArtifactUri(
  ctx: Context,
  experimentId: string,
  runId: string,
  storedRunUri: unknown,
  storedExperimentLocation: unknown,
): string {
  if (storedRunUri !== null && storedRunUri !== undefined) return String(storedRunUri);
  return `${experimentLocation(ctx, experimentId, storedExperimentLocation).replace(/\/+$/, '')}/${runId}/artifacts`;
}

export interface RunRow {
  /** The integer key metric rows use. */
  id: number;
  run_uuid: string;
  experiment_id: string;
  lifecycle_stage: string;
}

export function findRun(ctx: Context, runId: string): RunRow {
  const row = ctx.sql.get('SELECT id, run_uuid, experiment_id, lifecycle_stage FROM runs WHERE run_uuid = ?', [runId]);
  if (!row) throw notFound(`Run with id=${runId} not found`);
  return {
    id: Number(row.id),
    run_uuid: str(row.run_uuid),
    experiment_id: str(row.experiment_id),
    lifecycle_stage: str(row.lifecycle_stage),
  };
}

/** Logging to a deleted run is refused, as in MLflow. */
export function activeRun(ctx: Context, runId: string): RunRow {
  const run = findRun(ctx, runId);
  if (run.lifecycle_stage !== 'active') {
    throw invalid(`The run ${runId} must be in the 'active' state. Current state is ${run.lifecycle_stage}.`);
  }
  return run;
}

/** Experiment ids are decimal integers in this store; anything else cannot exist. */
export function experimentKey(experimentId: string): number | undefined {
  return /^\d{1,15}$/.test(experimentId) ? Number(experimentId) : undefined;
}
