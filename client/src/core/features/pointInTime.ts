import type { Cell, Table } from '../drift/dataTable';
import type { FeatureRegistry, ViewSpec } from './registry';
import { timestampColumn } from './timestamps';

// Point-in-time correct retrieval (Feast's get_historical_features): for each entity row and each
// view, the latest feature row of the same key at or before the row's event_timestamp, and no
// older than the view's ttl; ties on the timestamp go to the newest created timestamp.

export const ENTITY_TIMESTAMP = 'event_timestamp';

/** What was asked for: `view:field` references, or a feature service. */
export type FeatureRequest = { features: readonly string[] } | { service: string };

export interface RequestedFeature {
  readonly view: ViewSpec;
  readonly field: string;
  /** The output column: `field`, or `view__field` with full feature names. */
  readonly column: string;
}

/** A request, an entity file or a source that retrieval cannot serve: the message names the place. */
export class RetrievalError extends Error {
  override readonly name = 'RetrievalError';
}

/** The features a request names, in its order, with their output columns. */
export function requestedFeatures(registry: FeatureRegistry, request: FeatureRequest, fullNames: boolean): RequestedFeature[] {
  let refs: { view: string; field: string }[];
  if ('service' in request) {
    const service = registry.services.get(request.service);
    if (!service)
      throw new RetrievalError(
        `no feature service ${request.service}; the workspace has ${[...registry.services.keys()].join(', ') || 'none'}`,
      );
    refs = [...service.features];
  } else {
    refs = request.features.map((ref) => {
      const [view, field, extra] = ref.split(':');
      if (!view || !field || extra !== undefined) throw new RetrievalError(`${JSON.stringify(ref)} is not view:field`);
      return { view, field };
    });
  }
  if (refs.length === 0) throw new RetrievalError('no features asked for');
  const out: RequestedFeature[] = [];
  const byColumn = new Map<string, string>();
  for (const ref of refs) {
    const view = registry.views.get(ref.view);
    if (!view)
      throw new RetrievalError(`no feature view ${ref.view}; the workspace has ${[...registry.views.keys()].join(', ') || 'none'}`);
    if (!view.fields.includes(ref.field))
      throw new RetrievalError(`feature view ${ref.view} has no field ${ref.field} (it has ${view.fields.join(', ')})`);
    const column = fullNames ? `${view.name}__${ref.field}` : ref.field;
    const taken = byColumn.get(column);
    if (taken !== undefined) {
      if (taken === view.name) throw new RetrievalError(`${view.name}:${ref.field} is asked for twice`);
      throw new RetrievalError(
        `feature views ${taken} and ${view.name} both give ${ref.field}: ask for full feature names (view__field) to keep both`,
      );
    }
    byColumn.set(column, view.name);
    out.push({ view, field: ref.field, column });
  }
  return out;
}

/** One view's source rows, grouped by key and ordered by (timestamp, created), ready for lookups. */
export interface ViewIndex {
  readonly groups: Map<string, Int32Array>;
  readonly times: Float64Array;
  readonly columns: Map<string, readonly Cell[]>;
}

const KEY_SEPARATOR = '\u0001';

function keyColumns(table: Table, keys: readonly string[], where: string, columnOf: (key: string) => string): (readonly Cell[])[] {
  return keys.map((key) => {
    const column = table.columns.get(columnOf(key));
    if (!column) throw new RetrievalError(`${where} has no column ${columnOf(key)} (the join key ${key})`);
    return column;
  });
}

export function keyAt(columns: readonly (readonly Cell[])[], row: number): string | undefined {
  if (columns.length === 1) {
    const cell = columns[0]![row];
    return cell === null || cell === undefined ? undefined : String(cell);
  }
  const parts: string[] = [];
  for (const c of columns) {
    const cell = c[row];
    if (cell === null || cell === undefined) return undefined;
    parts.push(String(cell));
  }
  return parts.join(KEY_SEPARATOR);
}

/** A view's source table read for retrieval: its key columns, times, and the fields' columns. */
export interface SourceColumns {
  readonly keys: (readonly Cell[])[];
  readonly times: Float64Array;
  readonly created: Float64Array | undefined;
  /** Field → its column, through field_mapping. */
  readonly columns: Map<string, readonly Cell[]>;
}

/** Reads what retrieval needs of a view's source; a missing column or a bad timestamp names the file, column and row. */
export function sourceColumns(view: ViewSpec, table: Table, fields: readonly string[]): SourceColumns {
  const where = `${view.source.file} (source ${view.source.name} of view ${view.name})`;
  const columnOf = (name: string) => view.source.columnOf.get(name) ?? name;
  const keys = keyColumns(table, view.joinKeys, where, columnOf);
  const tsCells = table.columns.get(view.source.timestampField);
  if (!tsCells) throw new RetrievalError(`${where} has no timestamp column ${view.source.timestampField}`);
  const bad =
    (column: string) =>
    (row: number, cell: Cell): never => {
      throw new RetrievalError(`${where}, column ${column}, row ${row + 2}: ${JSON.stringify(cell)} is not a timestamp`);
    };
  const times = timestampColumn(tsCells, bad(view.source.timestampField));
  const createdName = view.source.createdTimestampColumn;
  const createdCells = createdName ? table.columns.get(createdName) : undefined;
  if (createdName && !createdCells) throw new RetrievalError(`${where} has no created timestamp column ${createdName}`);
  const created = createdCells ? timestampColumn(createdCells, bad(createdName!)) : undefined;
  const columns = new Map<string, readonly Cell[]>();
  for (const field of fields) {
    const cells = table.columns.get(columnOf(field));
    if (!cells) throw new RetrievalError(`${where} has no column ${columnOf(field)} (field ${field})`);
    columns.set(field, cells);
  }
  return { keys, times, created, columns };
}

export function indexView(view: ViewSpec, table: Table, fields: readonly string[]): ViewIndex {
  const { keys, times, created, columns } = sourceColumns(view, table, fields);
  const lists = new Map<string, number[]>();
  for (let row = 0; row < table.rowCount; row++) {
    const key = keyAt(keys, row);
    if (key === undefined) continue;
    const list = lists.get(key);
    if (list) list.push(row);
    else lists.set(key, [row]);
  }
  const groups = new Map<string, Int32Array>();
  for (const [key, rows] of lists) {
    const sorted = Int32Array.from(rows);
    sorted.sort((a, b) => times[a]! - times[b]! || (created ? created[a]! - created[b]! : 0) || a - b);
    groups.set(key, sorted);
  }
  return { groups, times, columns };
}

/** The row of `rows` (ordered by time) that is the latest at or before `at`, within `ttlMs`; -1 for none. */
export function rowAsOf(rows: Int32Array, times: Float64Array, at: number, ttlMs: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[rows[mid]!]! <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1;
  const row = rows[found]!;
  return ttlMs > 0 && at - times[row]! > ttlMs ? -1 : row;
}

export interface JoinResult {
  /** The entity file's columns, then the features', in order. */
  readonly columns: Map<string, readonly Cell[]>;
  readonly rowCount: number;
}

/** The entity rows as a join reads them: each join key's column, and each row's event time. */
export interface EntityRows {
  readonly rowCount: number;
  /** Join key → its column; every join key of every view joined. */
  readonly keys: ReadonlyMap<string, readonly Cell[]>;
  readonly at: Float64Array;
}

export type JoinProgress = (p: { view: string; done: number; total: number }) => void;

/** One view's requested fields for every entity row, from its index: null where no row is in time. */
export function joinIndexed(
  view: ViewSpec,
  index: ViewIndex,
  fields: readonly string[],
  entities: EntityRows,
  onProgress?: JoinProgress,
): Cell[][] {
  const keys = view.joinKeys.map((k) => entities.keys.get(k)!);
  const from = fields.map((f) => index.columns.get(f)!);
  const to = fields.map(() => new Array<Cell>(entities.rowCount).fill(null));
  const step = Math.max(1, Math.floor(entities.rowCount / 20));
  for (let row = 0; row < entities.rowCount; row++) {
    const key = keyAt(keys, row);
    const rows = key === undefined ? undefined : index.groups.get(key);
    if (rows) {
      const hit = rowAsOf(rows, index.times, entities.at[row]!, view.ttlMs);
      if (hit >= 0) for (let f = 0; f < from.length; f++) to[f]![row] = from[f]![hit]!;
    }
    if (onProgress && (row + 1) % step === 0) onProgress({ view: view.name, done: row + 1, total: entities.rowCount });
  }
  return to;
}

/**
 * Joins views to the entity rows. `prepare` hears every view before the entity rows are read, so
 * that a joiner may start reading sources meanwhile; `join` answers one view's fields; `close`
 * frees what the joiner holds.
 */
export interface ViewJoiner {
  prepare?(views: ReadonlyMap<ViewSpec, readonly string[]>): void;
  join(view: ViewSpec, fields: readonly string[], entities: EntityRows, onProgress?: JoinProgress): Promise<Cell[][]>;
  close?(): void;
}

/** The views a request reads, each with its fields in request order. */
export function viewsOf(features: readonly RequestedFeature[]): Map<ViewSpec, string[]> {
  const byView = new Map<ViewSpec, string[]>();
  for (const f of features) byView.set(f.view, [...(byView.get(f.view) ?? []), f.field]);
  return byView;
}

/**
 * The training set: every entity row, its own columns unchanged and in order, then each requested
 * feature as of the row's event_timestamp. The views are joined concurrently by `joiner`.
 */
export async function historicalFeatures(
  entities: Table,
  features: readonly RequestedFeature[],
  joiner: ViewJoiner,
  onProgress?: JoinProgress,
): Promise<JoinResult> {
  const where = entities.files.join(', ') || 'the entity rows';
  const tsCells = entities.columns.get(ENTITY_TIMESTAMP);
  if (!tsCells) throw new RetrievalError(`${where} has no column ${ENTITY_TIMESTAMP}`);
  const at = timestampColumn(tsCells, (row, cell) => {
    throw new RetrievalError(`${where}, column ${ENTITY_TIMESTAMP}, row ${row + 2}: ${JSON.stringify(cell)} is not a timestamp`);
  });
  for (const f of features)
    if (entities.columns.has(f.column))
      throw new RetrievalError(`${where} already has a column ${f.column}, which feature ${f.view.name}:${f.field} would fill`);
  const byView = viewsOf(features);
  const keys = new Map<string, readonly Cell[]>();
  for (const view of byView.keys())
    keyColumns(entities, view.joinKeys, where, (k) => k).forEach((column, i) => keys.set(view.joinKeys[i]!, column));
  const rows: EntityRows = { rowCount: entities.rowCount, keys, at };
  const joined = new Map<ViewSpec, Cell[][]>();
  await Promise.all([...byView].map(async ([view, fields]) => joined.set(view, await joiner.join(view, fields, rows, onProgress))));
  const columns = new Map<string, readonly Cell[]>(entities.columns);
  for (const f of features) columns.set(f.column, joined.get(f.view)![byView.get(f.view)!.indexOf(f.field)]!);
  return { columns, rowCount: entities.rowCount };
}
