import { binCounts, niceBins } from '../../../../common/src/charts/niceBins';
import type { FeatureViewPreview, PreviewCell, PreviewColumn, PreviewRole } from '../../../../common/src/features/preview';
import type { Cell, Table } from '../drift/dataTable';
import { RetrievalError } from './pointInTime';
import type { ViewSpec } from './registry';
import { formatTimestamp, parseTimestamp } from './timestamps';

// The preview of a feature view: its first rows as the view names the columns, and per column
// count, missing, distinct, min, max, mean and (numeric fields) a histogram over every row.

export const PREVIEW_ROWS = 200;
const NUMERIC = /^(Int32|Int64|Float32|Float64)$/;
const INTEGER = /^(Int32|Int64)$/;
/** Bins of a histogram: Sturges' count, kept between these. */
const MIN_BINS = 5;
const MAX_BINS = 30;

interface Spec {
  name: string;
  column: string;
  role: PreviewRole;
  dtype?: string;
}

function columnsOf(view: ViewSpec): Spec[] {
  const columnOf = (name: string) => view.source.columnOf.get(name) ?? name;
  const specs: Spec[] = view.joinKeys.map((key) => ({ name: key, column: columnOf(key), role: 'join key' }));
  specs.push({ name: view.source.timestampField, column: view.source.timestampField, role: 'timestamp' });
  const created = view.source.createdTimestampColumn;
  if (created) specs.push({ name: created, column: created, role: 'created timestamp' });
  for (const field of view.fields) specs.push({ name: field, column: columnOf(field), role: 'feature', dtype: view.dtypes.get(field) });
  return specs;
}

function numericStats(cells: readonly Cell[], integer: boolean) {
  const values = new Float64Array(cells.length);
  let n = 0;
  let invalid = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const cell of cells) {
    if (cell === null) continue;
    const v = typeof cell === 'number' ? cell : Number(cell);
    if (!Number.isFinite(v) || (typeof cell === 'string' && cell.trim() === '')) {
      invalid++;
      continue;
    }
    values[n++] = v;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return { invalid };
  const target = Math.min(MAX_BINS, Math.max(MIN_BINS, Math.ceil(Math.log2(n) + 1)));
  const { edges, step } = niceBins(min, max, target, integer);
  return { min, max, mean: sum / n, invalid, histogram: { edges, step, counts: binCounts(values.subarray(0, n), edges), integer } };
}

function timeStats(cells: readonly Cell[]) {
  let min = Infinity;
  let max = -Infinity;
  let invalid = 0;
  for (const cell of cells) {
    if (cell === null) continue;
    const t = parseTimestamp(cell);
    if (Number.isNaN(t)) invalid++;
    else {
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  return min <= max ? { min: formatTimestamp(min), max: formatTimestamp(max), invalid } : { invalid };
}

function textStats(cells: readonly Cell[]) {
  let min: string | undefined;
  let max: string | undefined;
  for (const cell of cells) {
    if (cell === null) continue;
    const s = String(cell);
    if (min === undefined || s < min) min = s;
    if (max === undefined || s > max) max = s;
  }
  return min === undefined ? {} : { min, max: max! };
}

function stats(spec: Spec, cells: readonly Cell[]): PreviewColumn {
  let missing = 0;
  const seen = new Set<Cell>();
  for (const cell of cells) {
    if (cell === null) missing++;
    else seen.add(cell);
  }
  const numeric = spec.role === 'feature' && spec.dtype !== undefined && NUMERIC.test(spec.dtype);
  const extra = numeric
    ? numericStats(cells, INTEGER.test(spec.dtype!))
    : spec.role === 'timestamp' || spec.role === 'created timestamp'
      ? timeStats(cells)
      : textStats(cells);
  const { invalid, ...rest } = extra as { invalid?: number };
  return {
    name: spec.name,
    ...(spec.column !== spec.name ? { sourceColumn: spec.column } : {}),
    role: spec.role,
    ...(spec.dtype ? { dtype: spec.dtype } : {}),
    count: cells.length - missing,
    missing,
    distinct: seen.size,
    ...rest,
    ...(invalid ? { invalid } : {}),
  };
}

/** The preview of `view` from its source table; a column the view names must be in the file. */
export function previewView(view: ViewSpec, table: Table, limit = PREVIEW_ROWS): FeatureViewPreview {
  const where = `${view.source.file} (source ${view.source.name} of view ${view.name})`;
  const specs = columnsOf(view);
  const cellsOf = specs.map((spec) => {
    const cells = table.columns.get(spec.column);
    if (!cells)
      throw new RetrievalError(
        `${where} has no column ${spec.column}${spec.column !== spec.name ? ` (field ${spec.name})` : ''}; it has ${[...table.columns.keys()].join(', ')}`,
      );
    return cells;
  });
  const shown = Math.min(limit, table.rowCount);
  const rows: PreviewCell[][] = [];
  for (let r = 0; r < shown; r++) rows.push(cellsOf.map((cells) => cells[r] ?? null));
  return {
    view: view.name,
    definedIn: view.file,
    source: { name: view.source.name, file: view.source.file },
    ttl: view.ttlMs === 0 ? 'no limit' : ttlText(view.ttlMs),
    online: view.online,
    totalRows: table.rowCount,
    columns: specs.map((spec, i) => stats(spec, cellsOf[i]!)),
    rows,
  };
}

/** 86400000 → 1d, 5400000 → 1h30m. */
function ttlText(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || `${ms}ms`;
}
