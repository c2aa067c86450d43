import type { TrackingApi } from '../tracking/repository';
import { keyMetricOf, runRow, type RunRow } from './runRows';

/** How many runs the Pipelines view lists under each pipeline file. */
export const LAST_RUNS = 5;

/** The latest runs of one pipeline file (the runner tags each run with `mlops.pipelineFile`, workspace-relative). */
export async function lastRunsOf(api: TrackingApi, relativeFile: string, limit = LAST_RUNS): Promise<RunRow[]> {
  const { experiments } = await api.searchExperiments({ max_results: 1000 });
  if (experiments.length === 0) return [];
  const { runs } = await api.searchRuns({
    experiment_ids: experiments.map((e) => e.experiment_id),
    filter: `tags.\`mlops.pipelineFile\` = '${relativeFile.replace(/'/g, "''")}'`,
    order_by: ['attributes.start_time DESC'],
    max_results: limit,
  });
  const key = keyMetricOf(runs);
  return runs.map((run) => runRow(run, key));
}
