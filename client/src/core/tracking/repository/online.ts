import type { Context } from './context';
import { invalid } from './errors';
import { str } from './sql';

// Not MLflow: the embedded online store of feature views (docs/features.md).

export type OnlineValue = string | number | boolean | null;

export interface OnlineRow {
  entity_key: string;
  event_time: number;
  created_time?: number;
  values: Record<string, OnlineValue>;
}

export interface WriteOnlineRowsRequest {
  view: string;
  rows: OnlineRow[];
}

export interface RecordMaterializationRequest {
  view: string;
  end_time: number;
  source_rows: number;
  keys: number;
}

export interface Materialization {
  view: string;
  /** Rows up to this event time are in the online store. */
  end_time: number;
  /** Source rows read by the last materialisation, and entity keys it wrote. */
  source_rows: number;
  keys: number;
  /** When it ran. */
  time: number;
}

const UPSERT = `INSERT INTO online_features (view, entity_key, event_time, created_time, payload) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (view, entity_key) DO UPDATE SET event_time = excluded.event_time, created_time = excluded.created_time, payload = excluded.payload
WHERE excluded.event_time > online_features.event_time
   OR (excluded.event_time = online_features.event_time AND COALESCE(excluded.created_time, 0) >= COALESCE(online_features.created_time, 0))`;

/** Keeps, per entity key, the row of the latest event time (then created time): an older row changes nothing. */
export function writeOnlineRows(ctx: Context, req: WriteOnlineRowsRequest): { written: number } {
  if (!req.view) throw invalid("Missing value for required parameter 'view'.");
  for (const row of req.rows) {
    if (typeof row.entity_key !== 'string' || !Number.isFinite(row.event_time)) throw invalid(`Invalid online row for view ${req.view}.`);
  }
  for (const row of req.rows)
    ctx.sql.run(UPSERT, [req.view, row.entity_key, row.event_time, row.created_time ?? null, JSON.stringify(row.values)]);
  if (req.rows.length) ctx.env.emit({ kind: 'online', ids: [req.view], op: 'update' });
  return { written: req.rows.length };
}

export function recordMaterialization(ctx: Context, req: RecordMaterializationRequest): { materialization: Materialization } {
  const time = ctx.env.now();
  ctx.sql.run('INSERT OR REPLACE INTO materializations (view, end_time, source_rows, keys, time) VALUES (?, ?, ?, ?, ?)', [
    req.view,
    req.end_time,
    req.source_rows,
    req.keys,
    time,
  ]);
  ctx.env.emit({ kind: 'online', ids: [req.view], op: 'update' });
  return { materialization: { ...req, time } };
}

export function listMaterializations(ctx: Context): { materializations: Materialization[] } {
  return {
    materializations: ctx.sql.all('SELECT * FROM materializations ORDER BY view').map((r) => ({
      view: str(r.view),
      end_time: Number(r.end_time),
      source_rows: Number(r.source_rows),
      keys: Number(r.keys),
      time: Number(r.time),
    })),
  };
}

function onlineRow(r: Record<string, unknown>): OnlineRow {
  return {
    entity_key: str(r.entity_key as string),
    event_time: Number(r.event_time),
    ...(r.created_time !== null && r.created_time !== undefined ? { created_time: Number(r.created_time) } : {}),
    values: JSON.parse(str(r.payload as string)) as Record<string, OnlineValue>,
  };
}

/**
 * The stored rows of these keys (a key with none is left out); without keys, every row of the
 * view, up to `max_rows`, and `truncated` when there were more.
 */
export function getOnlineRows(
  ctx: Context,
  req: { view: string; entity_keys?: string[]; max_rows?: number },
): { rows: OnlineRow[]; truncated?: boolean } {
  if (req.entity_keys === undefined || req.entity_keys.length === 0) {
    const max = req.max_rows ?? 100_000;
    const all = ctx.sql.all('SELECT * FROM online_features WHERE view = ? LIMIT ?', [req.view, max + 1]);
    return { rows: all.slice(0, max).map(onlineRow), ...(all.length > max ? { truncated: true } : {}) };
  }
  const rows: OnlineRow[] = [];
  for (const key of req.entity_keys) {
    const r = ctx.sql.get('SELECT * FROM online_features WHERE view = ? AND entity_key = ?', [req.view, key]);
    if (r) rows.push(onlineRow(r));
  }
  return { rows };
}
