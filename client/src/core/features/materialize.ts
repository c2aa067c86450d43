import type { Cell, Table } from '../drift/dataTable';
import type { OnlineRow, OnlineValue, TrackingApi } from '../tracking/repository';
import { keyAt, RetrievalError, sourceColumns, type SourceColumns } from './pointInTime';
import type { FeatureRegistry, ViewSpec } from './registry';

// Materialisation (Feast's materialize / materialize-incremental): the latest row per entity key
// of each online view, within a window of event time, into the embedded online store.

const CHUNK = 5000;

export interface MaterializeOptions {
  /** Only these views (each must be online); every online view when absent. */
  views?: readonly string[];
  /** Window of event time in ms: (the view's last end, end] by default; [start, end] with start. */
  start?: number;
  end?: number;
  now: number;
  onProgress?(p: { view: string; done: number; total: number }): void;
}

export interface ViewMaterialization {
  view: string;
  /** The window read: from (exclusive when it is the last end) and to. */
  from?: number;
  fromExclusive: boolean;
  to: number;
  sourceRows: number;
  keys: number;
}

/** A cell as the online store keeps it, by the field's dtype: numbers for Int/Float, booleans for Bool. */
export function typedValue(cell: Cell, dtype: string): OnlineValue {
  if (cell === null) return null;
  if (/^(Int32|Int64|Float32|Float64|UnixTimestamp)$/.test(dtype)) {
    const n = typeof cell === 'number' ? cell : Number(cell);
    return Number.isFinite(n) ? n : typeof cell === 'string' ? cell : null;
  }
  if (dtype === 'Bool') return typeof cell === 'string' ? /^(true|1)$/i.test(cell.trim()) : cell !== 0;
  return String(cell);
}

function onlineViews(registry: FeatureRegistry, names: readonly string[] | undefined): ViewSpec[] {
  if (!names) return [...registry.views.values()].filter((v) => v.online);
  return names.map((name) => {
    const view = registry.views.get(name);
    if (!view) throw new RetrievalError(`no feature view ${name}; the workspace has ${[...registry.views.keys()].join(', ') || 'none'}`);
    if (!view.online) throw new RetrievalError(`feature view ${name} is not online (set online: true in ${view.file})`);
    return view;
  });
}

/** The latest source row per key inside the window: an index per key. */
function latestPerKey(source: SourceColumns, rowCount: number, from: number | undefined, fromExclusive: boolean, to: number) {
  const { keys, times, created } = source;
  const best = new Map<string, number>();
  let inWindow = 0;
  for (let row = 0; row < rowCount; row++) {
    const t = times[row]!;
    if (t > to || (from !== undefined && (fromExclusive ? t <= from : t < from))) continue;
    const key = keyAt(keys, row);
    if (key === undefined) continue;
    inWindow++;
    const held = best.get(key);
    if (held === undefined || t > times[held]! || (t === times[held]! && (created ? created[row]! >= created[held]! : row > held)))
      best.set(key, row);
  }
  return { best, inWindow };
}

/**
 * Materialises each view and records it. A later call starts where the last one ended, so it
 * reads only newer rows; the store keeps an older row from replacing a newer one.
 */
export async function materialize(
  api: TrackingApi,
  registry: FeatureRegistry,
  source: (view: ViewSpec) => Promise<Table>,
  options: MaterializeOptions,
): Promise<ViewMaterialization[]> {
  const views = onlineViews(registry, options.views);
  const { materializations } = await api.listMaterializations({});
  const last = new Map(materializations.map((m) => [m.view, m.end_time]));
  const to = options.end ?? options.now;
  const report: ViewMaterialization[] = [];
  for (const view of views) {
    const from = options.start ?? last.get(view.name);
    const fromExclusive = options.start === undefined;
    const table = await source(view);
    const read = sourceColumns(view, table, view.fields);
    const { times, created } = read;
    const { best, inWindow } = latestPerKey(read, table.rowCount, from, fromExclusive, to);
    const columns = view.fields.map((field) => ({ field, cells: read.columns.get(field)!, dtype: view.dtypes.get(field) ?? 'String' }));
    const entries = [...best];
    for (let i = 0; i < entries.length; i += CHUNK) {
      const rows: OnlineRow[] = entries.slice(i, i + CHUNK).map(([key, row]) => {
        const values: Record<string, OnlineValue> = {};
        for (const c of columns) values[c.field] = typedValue(c.cells[row]!, c.dtype);
        return { entity_key: key, event_time: times[row]!, ...(created ? { created_time: created[row]! } : {}), values };
      });
      await api.writeOnlineRows({ view: view.name, rows });
      options.onProgress?.({ view: view.name, done: Math.min(entries.length, i + CHUNK), total: entries.length });
    }
    await api.recordMaterialization({ view: view.name, end_time: to, source_rows: inWindow, keys: entries.length });
    report.push({
      view: view.name,
      ...(from !== undefined ? { from } : {}),
      fromExclusive,
      to,
      sourceRows: inWindow,
      keys: entries.length,
    });
  }
  return report;
}
