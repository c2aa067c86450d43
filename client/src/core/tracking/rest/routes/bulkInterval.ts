import { metricHistory } from '../../listing';
import { invalid } from '../../repository/errors';
import type { Metric } from '../../repository';
import { list, msg, required } from '../validate';
import type { Route } from './route';

const MAX_RUNS = 100;
const MAX_STEPS = 2500;

/**
 * The steps to send of `steps` (sorted, distinct) within [start, end]: all of them when they fit in
 * `max`, else `max` spread evenly from the first, and the last one always.
 */
export function sampledSteps(steps: readonly number[], start: number, end: number, max: number): Set<number> {
  const inRange = steps.filter((s) => s >= start && s <= end);
  if (inRange.length <= max) return new Set(inRange);
  const picked = new Set<number>();
  const stride = inRange.length / max;
  for (let i = 0; i < max; i++) picked.add(inRange[Math.floor(i * stride)]!);
  picked.add(inRange[inRange.length - 1]!);
  return picked;
}

/**
 * MLflow's `metrics/get-history-bulk-interval` (its UI's charts; /ajax-api and /api both reach it
 * here): one metric of up to 100 runs, every point at the sampled steps of their union.
 */
export const BULK_INTERVAL_ROUTE: Route = {
  method: 'GET',
  path: '/mlflow/metrics/get-history-bulk-interval',
  schema: msg({
    run_ids: list('string'),
    metric_key: required('string'),
    start_step: 'int64',
    end_step: 'int64',
    max_results: 'int64',
  }),
  async call({ api }, message) {
    const runIds = (message.run_ids as string[] | undefined) ?? [];
    if (runIds.length === 0) throw invalid("Missing value for required parameter 'run_ids'.");
    if (runIds.length > MAX_RUNS)
      throw invalid(`GetMetricHistoryBulkInterval request must specify at most ${MAX_RUNS} run_ids. Received ${runIds.length} run_ids.`);
    const max = (message.max_results as number | undefined) ?? MAX_STEPS;
    if (max < 1 || max > MAX_STEPS) throw invalid(`max_results must be between 1 and ${MAX_STEPS}.`);
    const start = message.start_step as number | undefined;
    const end = message.end_step as number | undefined;
    if ((start === undefined) !== (end === undefined))
      throw invalid('If either start step or end step are specified, both must be specified.');
    if (start !== undefined && end !== undefined && start > end)
      throw invalid(`end_step must be greater than start_step. Found start_step=${start} and end_step=${end}.`);
    const key = message.metric_key as string;
    const histories = await Promise.all(runIds.map(async (runId) => ({ runId, points: await metricHistory(api, runId, key) })));
    const steps = [...new Set(histories.flatMap((h) => h.points.map((p) => p.step)))].sort((a, b) => a - b);
    const picked = sampledSteps(steps, start ?? -Infinity, end ?? Infinity, max);
    const metrics: (Metric & { run_id: string })[] = [];
    for (const { runId, points } of histories) for (const p of points) if (picked.has(p.step)) metrics.push({ ...p, run_id: runId });
    return { metrics };
  },
};
