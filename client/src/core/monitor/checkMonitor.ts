/**
 * One check of a monitor file: data drift of `current` against `reference`, performance
 * against the baseline, a verdict, and the result stored in the tracking store's history of
 * that monitor when a store is given. No vscode: `mlops monitor` and the editor share it.
 */
import * as path from 'node:path';
import { errorMessage } from '../../../../common/src/errors';
import type { MonitorCheckResult, MonitorDataResult, MonitorPerformanceResult, MonitorStatus } from '../../../../common/src/monitor/result';
import { DataFileError, DriftInputError, performanceDrift } from '../drift';
import { dataDrift, MonitorDataError } from './dataDrift';
import type { TrackingApi } from '../tracking/repository';
import { loadMonitor, type MonitorConfig } from './monitorConfig';
import { baselineMetrics, currentMetrics } from './performanceSources';

export interface CheckMonitorOptions {
  /** The workspace store: the baseline comes from its registry, and the result is recorded there. */
  readonly api?: TrackingApi;
  /** Epoch ms of the check. */
  readonly now?: () => number;
  /** The editor's unsaved text of the monitor file. */
  readonly text?: string;
  /** Runs the data-drift part; the editor passes `dataDriftInWorker` so a large batch never holds up the extension host. */
  readonly runDataDrift?: (config: MonitorConfig) => Promise<MonitorDataResult>;
}

export interface MonitorCheck {
  readonly config: MonitorConfig;
  readonly result: MonitorCheckResult;
  /** Whether the result went into the store's history; `recordError` says why not when a store was given. */
  readonly recorded: boolean;
  readonly recordError?: string;
}

/** Throws MonitorInvalidError when the file has errors; missing data is a result with status `error`. */
export async function checkMonitor(file: string, options: CheckMonitorOptions = {}): Promise<MonitorCheck> {
  const config = await loadMonitor(file, options.text);
  const time = (options.now ?? Date.now)();
  const base = { version: 1 as const, monitor: config.name, file: config.file, time, onDrift: onDriftOf(config) };
  let result: MonitorCheckResult;
  try {
    const data = await (options.runDataDrift ?? dataDrift)(config);
    const performance = config.performance ? await performanceOf(config, options.api) : undefined;
    const status: MonitorStatus = data.datasetDrift || (performance && 'drift' in performance && performance.drift) ? 'drift' : 'ok';
    result = { ...base, status, data, ...(performance ? { performance } : {}) };
  } catch (error) {
    if (!(error instanceof DataFileError || error instanceof DriftInputError || error instanceof MonitorDataError)) throw error;
    result = { ...base, status: 'error', error: error.message };
  }
  if (!options.api) return { config, result, recorded: false };
  try {
    await options.api.recordMonitorResult({
      monitor: config.name,
      time,
      status: result.status,
      payload: JSON.parse(JSON.stringify(result)) as unknown,
    });
    return { config, result, recorded: true };
  } catch (error) {
    return { config, result, recorded: false, recordError: errorMessage(error) };
  }
}

async function performanceOf(config: MonitorConfig, api: TrackingApi | undefined): Promise<MonitorPerformanceResult> {
  const perf = config.performance!;
  if (perf.metrics.length === 0) return { skipped: '`performance.metrics` lists no metric' };
  const [baseline, current] = await Promise.all([baselineMetrics(config, api), currentMetrics(config, api)]);
  if ('skipped' in current) return { skipped: current.skipped };
  if ('skipped' in baseline) return { skipped: baseline.skipped };
  const drift = performanceDrift(baseline.metrics, current.metrics, perf.metrics, perf.alertThreshold);
  return {
    baseline: baseline.label,
    current: current.label,
    alertThreshold: perf.alertThreshold,
    metrics: drift.metrics.map((m) => ({
      metric: m.metric,
      baseline: m.baseline ?? null,
      current: m.current ?? null,
      change: m.change ?? null,
      alert: m.alert,
    })),
    drift: drift.drift,
  };
}

function onDriftOf(config: MonitorConfig): MonitorCheckResult['onDrift'] {
  const { runPipeline, notify, params } = config.onDrift;
  return { notify, ...(runPipeline ? { pipeline: path.resolve(config.dir, runPipeline) } : {}), params };
}
