import type { Run, RunStatus } from '../tracking/repository';

/** What a run's row in the Experiments tree shows. */
export interface RunRow {
  readonly runId: string;
  readonly name: string;
  readonly experimentId: string;
  readonly status: RunStatus;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly deleted: boolean;
  readonly keyMetric?: { readonly key: string; readonly value: number };
  readonly pipeline?: string;
}

/** Metrics users rank models by, in order of preference: the first one a run logged is its key metric. */
const PREFERRED = ['auc', 'roc_auc', 'accuracy', 'f1', 'r2', 'val_accuracy', 'val_loss', 'rmse', 'mae', 'loss'];

/**
 * The metric shown beside each run of an experiment: the experiment's tag
 * `mlops.keyMetric` when set, else the first of PREFERRED that a run logged,
 * else the alphabetically first metric.
 */
export function keyMetricOf(runs: readonly Run[], tagged?: string): string | undefined {
  if (tagged) return tagged;
  const keys = new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)));
  return PREFERRED.find((k) => keys.has(k)) ?? [...keys].sort()[0];
}

export function runRow(run: Run, keyMetric?: string): RunRow {
  const metric = keyMetric ? run.data.metrics.find((m) => m.key === keyMetric) : undefined;
  const pipeline = run.data.tags.find((t) => t.key === 'mlops.pipeline')?.value;
  return {
    runId: run.info.run_id,
    name: run.info.run_name,
    experimentId: run.info.experiment_id,
    status: run.info.status,
    ...(run.info.start_time !== undefined ? { startTime: run.info.start_time } : {}),
    ...(run.info.end_time !== undefined ? { endTime: run.info.end_time } : {}),
    deleted: run.info.lifecycle_stage === 'deleted',
    ...(metric && typeof metric.value === 'number' ? { keyMetric: { key: metric.key, value: metric.value } } : {}),
    ...(pipeline ? { pipeline } : {}),
  };
}

/** `1.2 s`, `3m 05s`, `2h 10m`; a running run counts up to `now`. */
export function formatDuration(row: Pick<RunRow, 'startTime' | 'endTime' | 'status'>, now: number): string | undefined {
  if (row.startTime === undefined) return undefined;
  const end = row.endTime ?? (row.status === 'RUNNING' ? now : undefined);
  if (end === undefined) return undefined;
  const ms = Math.max(0, end - row.startTime);
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 days ago`, then the date. */
export function relativeTime(time: number, now: number): string {
  const s = Math.round((now - time) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 14) return `${d} day${d === 1 ? '' : 's'} ago`;
  return new Date(time).toISOString().slice(0, 10);
}
