import { statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openTrackingStore, type TrackingStore } from '../../../client/src/core/tracking/store';
import { BATCHES, batch } from './workload';

// The workload through the tracking store: in process (the engine on this thread), and through the
// worker while this thread's event loop is watched, as the extension host's would be.

export interface StoreFigures {
  logMs: number;
  /** flush() after the last write: export, temp file, fsync, rename. */
  saveMs: number;
  fileBytes: number;
  closeMs: number;
  /** Longest event-loop stall on this thread while logging, saving and closing (worker runs only). */
  maxStallMs?: number;
  /** p99 of one logBatch call's latency as this thread sees it. */
  p99CallMs: number;
}

export async function newRun(store: TrackingStore): Promise<string> {
  const { experiment_id } = await store.api.createExperiment({ name: 'bench' });
  return (await store.api.createRun({ experiment_id, start_time: 0 })).run.info.run_id;
}

export async function logThroughStore(workspaceDir: string, inProcess: boolean): Promise<StoreFigures> {
  const store = await openTrackingStore({ workspaceDir, inProcess });
  const runId = await newRun(store);
  const monitor = inProcess ? undefined : monitorEventLoopDelay({ resolution: 1 });
  monitor?.enable();
  const latencies = new Float64Array(BATCHES);
  const started = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const metrics = batch(b);
    const sent = performance.now();
    await store.api.logBatch({ run_id: runId, metrics });
    latencies[b] = performance.now() - sent;
  }
  const logged = performance.now();
  await store.flush();
  const saved = performance.now();
  const fileBytes = statSync(store.paths.db).size;
  await store.close();
  const closed = performance.now();
  monitor?.disable();
  return {
    logMs: logged - started,
    saveMs: saved - logged,
    fileBytes,
    closeMs: closed - saved,
    ...(monitor ? { maxStallMs: monitor.max / 1e6 } : {}),
    p99CallMs: percentile(latencies, 0.99),
  };
}

/** Milliseconds from openTrackingStore() to a store that answers, and the first answer. */
export async function reopenMs(workspaceDir: string, inProcess: boolean): Promise<{ openMs: number; points: number }> {
  const started = performance.now();
  const store = await openTrackingStore({ workspaceDir, inProcess });
  const openMs = performance.now() - started;
  const { experiment } = await store.api.getExperimentByName({ experiment_name: 'bench' });
  const { runs } = await store.api.searchRuns({ experiment_ids: [experiment.experiment_id] });
  const runId = runs[0]?.info.run_id ?? '';
  const { metrics } = await store.api.getMetricHistory({ run_id: runId, metric_key: 'metric_0' });
  await store.close();
  return { openMs, points: metrics.length * 10 };
}

export function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}
