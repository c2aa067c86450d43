import * as path from 'node:path';
import type { MonitorColumnResult, MonitorDataResult } from '../../../../common/src/monitor/result';
import { columnDrift, openDriftData, type DriftData, resolveCurrent, resolveReference, selectColumns } from '../drift';
import { columnDistribution } from './distributions';
import type { MonitorConfig } from './monitorConfig';

/** The monitor lacks what a data check needs. */
export class MonitorDataError extends Error {}

const relativeTo = (dir: string, file: string) => {
  const relative = path.relative(dir, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
};

/** The data side of a check: read both sides, test every column, summarize each for the report. Plain JSON out. */
export async function dataDrift(config: MonitorConfig): Promise<MonitorDataResult> {
  if (!config.reference) throw new MonitorDataError('the monitor has no `reference` data file');
  if (config.current.length === 0) throw new MonitorDataError('the monitor has no `current` data file or glob');
  // The drift core's driftReport, column by column, so each prepared column also gives the charts' summary.
  const referenceFile = resolveReference(config.reference, config.dir);
  const currentFiles = await resolveCurrent(config.current, config.dir);
  // CSV is streamed: one column of both sides in memory at a time (drift/driftData.ts).
  const data = await openDriftData(referenceFile, currentFiles);
  try {
    return await checkColumns(config, referenceFile, currentFiles, data);
  } finally {
    data.close();
  }
}

async function checkColumns(
  config: MonitorConfig,
  referenceFile: string,
  currentFiles: string[],
  data: DriftData,
): Promise<MonitorDataResult> {
  const { reference, current } = data;
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
    const prepared = await data.prepare(name);
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
