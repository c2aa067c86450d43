/**
 * The data drift report: which columns are compared, the method for each (`auto` or the one
 * asked for), its figure against its threshold, and the dataset verdict by the share of
 * drifted columns. Pure: the monitor command and the CLI read the tables and call driftReport.
 */
import { autoMethod } from './autoMethod';
import { chiSquareTest } from './chiSquare';
import { prepareColumn, type PreparedColumn } from './columns';
import type { Table } from './dataTable';
import type { ColumnNames, DriftData } from './driftData';
import { jensenShannon } from './jensenShannon';
import { ks2samp } from './ks';
import { METHOD_INFO, type DriftMethod, type MethodChoice } from './methods';
import { psi } from './psi';
import { normedWasserstein } from './wasserstein';
import { zTest } from './zTest';

export interface DriftOptions {
  /** Columns to compare; default every column both tables share. */
  readonly columns?: readonly string[];
  readonly ignore?: readonly string[];
  readonly method: MethodChoice;
  /**
   * With `auto`, the p-value threshold of KS, chi-square and Z (distances keep 0.1, as
   * docs/formats.md (section Monitor files) gives it); with a named method, that method's threshold. Default 0.05 for
   * p-values, 0.1 for distances.
   */
  readonly threshold?: number;
  /** Dataset drift when drifted / compared columns >= this. */
  readonly datasetDriftShare: number;
}

export interface ColumnDrift {
  readonly column: string;
  readonly kind: 'numeric' | 'categorical';
  readonly method: DriftMethod;
  /** The test statistic (D, χ², z), or the distance itself. */
  readonly statistic: number;
  /** What is compared with the threshold: a p-value or a distance. */
  readonly measure: 'p_value' | 'distance';
  readonly value: number;
  readonly threshold: number;
  readonly drift: boolean;
  readonly reference: { readonly count: number; readonly missing: number };
  readonly current: { readonly count: number; readonly missing: number };
  readonly uniqueValues: number;
  /** KS only: the value where the two ECDFs are furthest apart, and whether the p-value is exact. */
  readonly ks?: { readonly location: number; readonly exact: boolean };
}

export interface SkippedColumn {
  readonly column: string;
  readonly reason: string;
}

export interface DriftReport {
  readonly referenceRows: number;
  readonly currentRows: number;
  readonly method: MethodChoice;
  readonly columns: readonly ColumnDrift[];
  /** Columns that could not be compared (no values on a side, a numeric-only method on text). */
  readonly skipped: readonly SkippedColumn[];
  readonly driftedColumns: number;
  /** driftedColumns / columns.length (0 when nothing was compared). */
  readonly share: number;
  readonly datasetDriftShare: number;
  readonly datasetDrift: boolean;
}

/** A column asked for is not in a table: the caller's input is wrong. */
export class DriftInputError extends Error {}

export function selectColumns(reference: ColumnNames, current: ColumnNames, options: Pick<DriftOptions, 'columns' | 'ignore'>): string[] {
  const ignored = new Set(options.ignore ?? []);
  if (options.columns && options.columns.length > 0) {
    for (const [table, side] of [
      [reference, 'reference'],
      [current, 'current'],
    ] as const) {
      const absent = options.columns.filter((c) => !ignored.has(c) && !table.columns.has(c));
      if (absent.length)
        throw new DriftInputError(`${side} data (${table.files.join(', ')}) has no column ${absent.map((c) => `'${c}'`).join(', ')}`);
    }
    return options.columns.filter((c) => !ignored.has(c));
  }
  return [...reference.columns.keys()].filter((c) => current.columns.has(c) && !ignored.has(c));
}

/**
 * On tables read whole (tests, benchmarks); checks go through `driftReportFrom`.
 * @internal
 */
export function driftReport(reference: Table, current: Table, options: DriftOptions): DriftReport {
  const results: (ColumnDrift | SkippedColumn)[] = [];
  for (const name of selectColumns(reference, current, options))
    results.push(columnDrift(name, prepareColumn(reference.columns.get(name)!, current.columns.get(name)!), options));
  return summarize(reference.rowCount, current.rowCount, results, options);
}

/** The same on data opened with `openDriftData`: one column in memory at a time. */
export async function driftReportFrom(data: DriftData, options: DriftOptions): Promise<DriftReport> {
  const results: (ColumnDrift | SkippedColumn)[] = [];
  for (const name of selectColumns(data.reference, data.current, options))
    results.push(columnDrift(name, await data.prepare(name), options));
  return summarize(data.reference.rowCount, data.current.rowCount, results, options);
}

function summarize(
  referenceRows: number,
  currentRows: number,
  results: (ColumnDrift | SkippedColumn)[],
  options: DriftOptions,
): DriftReport {
  const columns: ColumnDrift[] = [];
  const skipped: SkippedColumn[] = [];
  for (const result of results) {
    if ('reason' in result) skipped.push(result);
    else columns.push(result);
  }
  const driftedColumns = columns.filter((c) => c.drift).length;
  const share = columns.length ? driftedColumns / columns.length : 0;
  return {
    referenceRows,
    currentRows,
    method: options.method,
    columns,
    skipped,
    driftedColumns,
    share,
    datasetDriftShare: options.datasetDriftShare,
    datasetDrift: columns.length > 0 && share >= options.datasetDriftShare,
  };
}

export function columnDrift(
  column: string,
  data: PreparedColumn,
  options: Pick<DriftOptions, 'method' | 'threshold'>,
): ColumnDrift | SkippedColumn {
  if (data.reference.length === 0) return { column, reason: 'no values in the reference data' };
  if (data.current.length === 0) return { column, reason: 'no values in the current data' };
  const method = options.method === 'auto' ? autoMethod(data.kind, data.reference.length, data.uniqueValues) : options.method;
  const info = METHOD_INFO[method];
  if (info.numericOnly && data.kind !== 'numeric') return { column, reason: `${method} compares numbers; the column holds text` };
  const threshold =
    options.threshold !== undefined && (options.method !== 'auto' || info.measure === 'p_value')
      ? options.threshold
      : info.defaultThreshold;
  let statistic: number;
  let value: number;
  let ks: ColumnDrift['ks'];
  switch (method) {
    case 'ks': {
      const r = ks2samp(data.reference as Float64Array, data.current as Float64Array, true);
      statistic = r.statistic;
      value = r.pValue;
      ks = { location: r.location, exact: r.method === 'exact' };
      break;
    }
    case 'chi2':
    case 'z': {
      const r = (method === 'chi2' ? chiSquareTest : zTest)(data.reference, data.current);
      statistic = r.statistic;
      value = r.pValue;
      break;
    }
    case 'psi':
      statistic = value = psi(data.reference, data.current);
      break;
    case 'jensen_shannon':
      statistic = value = jensenShannon(data.reference, data.current);
      break;
    case 'wasserstein':
      statistic = value = normedWasserstein(data.reference as Float64Array, data.current as Float64Array);
      break;
  }
  const drift = info.measure === 'p_value' ? value < threshold : value >= threshold;
  return {
    column,
    kind: data.kind,
    method,
    statistic,
    measure: info.measure,
    value,
    threshold,
    drift,
    reference: { count: data.reference.length, missing: data.referenceMissing },
    current: { count: data.current.length, missing: data.currentMissing },
    uniqueValues: data.uniqueValues,
    ...(ks ? { ks } : {}),
  };
}
