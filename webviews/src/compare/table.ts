// The compare table's data, without the DOM: columns, which differ, sorting, and the scatter's points.
import type { CompareRun } from '../../../common/src/protocol/chartMessages';

export interface Column {
  /** `name`, `status`, `params.<key>` or `metrics.<key>`. */
  id: string;
  kind: 'name' | 'status' | 'param' | 'metric';
  key: string;
  /** The values are not all the same (a run without the value counts as different). */
  differs: boolean;
}

export type Cell = string | number | undefined;

export function cellValue(run: CompareRun, column: Pick<Column, 'kind' | 'key'>): Cell {
  switch (column.kind) {
    case 'name':
      return run.name;
    case 'status':
      return run.status;
    case 'param':
      return run.params[column.key];
    case 'metric':
      return run.metrics[column.key];
  }
}

/** Name and status, then every param, then every metric any run has, each group by key. */
export function compareColumns(runs: readonly CompareRun[]): Column[] {
  const keys = (pick: (r: CompareRun) => Record<string, unknown>) => [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
  const columns: Omit<Column, 'differs'>[] = [
    { id: 'name', kind: 'name', key: 'name' },
    { id: 'status', kind: 'status', key: 'status' },
    ...keys((r) => r.params).map((key) => ({ id: `params.${key}`, kind: 'param' as const, key })),
    ...keys((r) => r.metrics).map((key) => ({ id: `metrics.${key}`, kind: 'metric' as const, key })),
  ];
  return columns.map((c) => ({ ...c, differs: c.kind !== 'name' && new Set(runs.map((r) => String(cellValue(r, c)))).size > 1 }));
}

/** A param as a number when it reads as one ("0.1", "100"), else undefined. */
export function asNumber(value: Cell): number | undefined {
  if (typeof value === 'number') return value;
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Runs ordered by a column: numbers numerically, text naturally, missing values always last. */
export function sortRuns(runs: readonly CompareRun[], column: Pick<Column, 'kind' | 'key'>, descending: boolean): CompareRun[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return runs.slice().sort((a, b) => {
    const va = cellValue(a, column);
    const vb = cellValue(b, column);
    if (va === undefined || vb === undefined) return va === vb ? 0 : va === undefined ? 1 : -1;
    const na = asNumber(va);
    const nb = asNumber(vb);
    const order = na !== undefined && nb !== undefined ? na - nb : collator.compare(String(va), String(vb));
    return descending ? -order : order;
  });
}

export interface ScatterData {
  points: { x: number; y: number; runId: string }[];
  /** When the param is not numeric in every run: its values, x being the index into them. */
  categories?: string[];
}

/** A metric (y) against a param (x), one point per run having both and a finite metric. */
export function scatterData(runs: readonly CompareRun[], metric: string, param: string): ScatterData {
  const usable = runs.filter((r) => typeof r.metrics[metric] === 'number' && r.params[param] !== undefined);
  const numeric = usable.every((r) => asNumber(r.params[param]) !== undefined);
  if (numeric) return { points: usable.map((r) => ({ x: asNumber(r.params[param])!, y: r.metrics[metric] as number, runId: r.runId })) };
  const categories = [...new Set(usable.map((r) => r.params[param]!))].sort(new Intl.Collator(undefined, { numeric: true }).compare);
  return {
    categories,
    points: usable.map((r) => ({ x: categories.indexOf(r.params[param]!), y: r.metrics[metric] as number, runId: r.runId })),
  };
}
