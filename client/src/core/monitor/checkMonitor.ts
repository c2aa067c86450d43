/**
 * One check of a monitor file: data drift of `current` against `reference`, performance
 * against the baseline, a verdict, and the result stored in the tracking store's history of
 * that monitor when a store is given. No vscode: `mlops monitor` and the editor share it.
 */
import * as path from 'node:path';
import type { MonitorCheckResult, MonitorColumnResult, MonitorDataResult, MonitorPerformanceResult, MonitorStatus } from '../../../../common/src/monitor/result';
import { columnDrift, DataFileError, DriftInputError, performanceDrift, prepareColumn, readTable, readTables, resolveCurrent, resolveReference, selectColumns } from '../drift';
import { columnDistribution } from './distributions';
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
    const data = await dataDrift(config);
    const performance = config.performance ? await performanceOf(config, options.api) : undefined;
    const status: MonitorStatus = data.datasetDrift || (performance && 'drift' in performance && performance.drift) ? 'drift' : 'ok';
    result = { ...base, status, data, ...(performance ? { performance } : {}) };
  } catch (error) {
    if (!(error instanceof DataFileError || error instanceof DriftInputError || error instanceof MonitorDataError)) throw error;
    result = { ...base, status: 'error', error: error.message };
  }
  if (!options.api) return { config, result, recorded: false };
  try {
    await options.api.recordMonitorResult({ monitor: config.name, time, status: result.status, payload: JSON.parse(JSON.stringify(result)) as unknown });
    return { config, result, recorded: true };
  } catch (error) {
    return { config, result, recorded: false, recordError: error instanceof Error ? error.message : String(error) };
  }
}

/** The monitor lacks what a data check needs. */
class MonitorDataError extends Error {}

const relativeTo = (dir: string, file: string) => {
  const relative = path.relative(dir, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
};

async function dataDrift(config: MonitorConfig): Promise<MonitorDataResult> {
  if (!config.reference) throw new MonitorDataError('the monitor has no `reference` data file');
  if (config.current.length === 0) throw new MonitorDataError('the monitor has no `current` data file or glob');
  // The drift core's driftReport, column by column, so each prepared column also gives the charts' summary.
  const referenceFile = resolveReference(config.reference, config.dir);
  const currentFiles = await resolveCurrent(config.current, config.dir);
  const [reference, current] = await Promise.all([readTable(referenceFile), readTables(currentFiles)]);
  const options = {
    ...(config.columns ? { columns: config.columns } : {}),
    ignore: config.ignore,
    method: config.method,
    ...(config.threshold !== undefined ? { threshold: config.threshold } : {}),
  };
  const columns: MonitorColumnResult[] = [];
  const skipped: { column: string; reason: string }[] = [];
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  for (const name of selectColumns(reference, current, options)) {
    const prepared = prepareColumn(reference.columns.get(name)!, current.columns.get(name)!);
    const drift = columnDrift(name, prepared, options);
    if ('reason' in drift) {
      skipped.push(drift);
      continue;
    }
    const distribution = columnDistribution(prepared);
    columns.push({ ...drift, statistic: finite(drift.statistic), value: finite(drift.value), ...(distribution ? { distribution } : {}) });
  }
  const driftedColumns = columns.filter((c) => c.drift).length;
  const share = columns.length ? driftedColumns / columns.length : 0;
  return {
    referenceFile: relativeTo(config.dir, referenceFile),
    currentFiles: currentFiles.map((f) => relativeTo(config.dir, f)),
    referenceRows: reference.rowCount,
    currentRows: current.rowCount,
    method: config.method,
    columns,
    skipped,
    driftedColumns,
    share,
    datasetDriftShare: config.datasetDriftShare,
    datasetDrift: columns.length > 0 && share >= config.datasetDriftShare,
  };
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
    metrics: drift.metrics.map((m) => ({ metric: m.metric, baseline: m.baseline ?? null, current: m.current ?? null, change: m.change ?? null, alert: m.alert })),
    drift: drift.drift,
  };
}

function onDriftOf(config: MonitorConfig): MonitorCheckResult['onDrift'] {
  const { runPipeline, notify, params } = config.onDrift;
  return { notify, ...(runPipeline ? { pipeline: path.resolve(config.dir, runPipeline) } : {}), params };
}
