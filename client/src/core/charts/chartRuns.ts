import { panelStyles, runStyle } from '../../../../common/src/charts/runColors';
import type { ChartRun, CompareRun, MetricsRun } from '../../../../common/src/protocol/chartMessages';
import type { Run, TrackingApi } from '../tracking/repository';
import { MlflowError } from '../tracking/repository/errors';

export function chartRun(run: Run): ChartRun {
  const info = run.info;
  return { runId: info.run_id, name: info.run_name, status: info.status, startTime: info.start_time ?? 0, style: runStyle(info.run_id) };
}

export function metricsRun(run: Run): MetricsRun {
  return { ...chartRun(run), latest: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])) };
}

export function compareRun(run: Run): CompareRun {
  return {
    ...chartRun(run),
    params: Object.fromEntries(run.data.params.map((p) => [p.key, p.value])),
    metrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])),
  };
}

/** The runs of one panel with distinct styles (panelStyles), in the order given. */
export function withPanelStyles<T extends ChartRun>(runs: readonly T[]): T[] {
  const styles = panelStyles(runs);
  return runs.map((r) => ({ ...r, style: styles.get(r.runId)! }));
}

/** The runs that still exist, in the order asked; ids the store no longer knows are left out. */
export async function loadRuns(api: TrackingApi, runIds: readonly string[]): Promise<{ runs: Run[]; missing: string[] }> {
  const runs: Run[] = [];
  const missing: string[] = [];
  for (const id of runIds) {
    try {
      runs.push((await api.getRun({ run_id: id })).run);
    } catch (error) {
      if (error instanceof MlflowError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') missing.push(id);
      else throw error;
    }
  }
  return { runs, missing };
}

/** A coalescing timer: `schedule` runs `fn` once, `delayMs` after the first call since the last run. */
export function throttle(fn: () => Promise<void>, delayMs: number): { schedule(): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const fire = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = fn().catch(() => undefined);
    await running;
    running = undefined;
    if (again) {
      again = false;
      timer = setTimeout(() => void fire(), delayMs);
    }
  };
  return {
    schedule: () => {
      timer ??= setTimeout(() => void fire(), delayMs);
    },
    dispose: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
