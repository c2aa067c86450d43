import type { Run } from '../tracking/repository';
import { keyMetricOf, relativeTime } from './runRows';

/** A row of the run pickers (Show Metrics Charts, Compare Runs, from the palette). */
export interface RunPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly runId: string;
  readonly preselected: boolean;
}

/**
 * Runs newest first, each with its status, start and key metric (`auc 0.8434`); the `preselected`
 * ones ticked, else the newest, so that Enter alone opens something.
 */
export function runPickItems(runs: readonly Run[], preselected: readonly string[], now: number): RunPickItem[] {
  const sorted = [...runs].sort((a, b) => (b.info.start_time ?? 0) - (a.info.start_time ?? 0));
  const key = keyMetricOf(sorted);
  const ticked = new Set(preselected.length ? preselected : sorted.slice(0, 1).map((r) => r.info.run_id));
  return sorted.map((r) => {
    const metric = key ? r.data.metrics.find((m) => m.key === key) : undefined;
    const value = metric && typeof metric.value === 'number' ? `${key} ${Number(metric.value.toPrecision(4))}` : undefined;
    const started = r.info.start_time !== undefined ? relativeTime(r.info.start_time, now) : undefined;
    return {
      label: r.info.run_name,
      description: [value, r.info.status.toLowerCase(), started].filter(Boolean).join(' · '),
      detail: r.info.run_id,
      runId: r.info.run_id,
      preselected: ticked.has(r.info.run_id),
    };
  });
}
