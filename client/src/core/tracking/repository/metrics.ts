import type { SqlValue } from 'sql.js';
import { activeRun, findRun, type Context } from './context';
import { updateMetricBlocks } from './metricBlocks';
import { invalid } from './errors';
import { page, pageOffset } from './paging';
import { checkParamUnchanged, insertParam, setTags } from './runs';
import { type Row, str } from './sql';
import type { Empty, GetMetricHistoryRequest, LogBatchRequest, LogMetricRequest, Metric, MetricValue } from './types';
import { LIMITS, validateBatchLimit, validateMetric, validateParam, validateTag } from './validation';

interface MetricRow {
  key: string;
  /** As stored: NaN is 0 with isNan set (SQLite turns NaN into NULL). */
  value: number;
  isNan: 0 | 1;
  timestamp: number;
  step: number;
}

/** Protobuf's JSON spells non-finite doubles as strings; accept those and plain numbers. */
function metricNumber(value: MetricValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

export function metricOut(row: Row): Metric {
  const value = Number(row.value);
  return {
    key: str(row.key),
    value: row.is_nan ? 'NaN' : value === Infinity ? 'Infinity' : value === -Infinity ? '-Infinity' : value,
    timestamp: Number(row.timestamp),
    step: Number(row.step),
  };
}

/** `checkedKeys`: keys already validated in this batch (batches repeat a few keys many times). */
function toRow(
  m: { key: string; value: MetricValue; timestamp: number; step?: number },
  path: string,
  checkedKeys: Set<string>,
): MetricRow {
  const value = metricNumber(m.value);
  const step = m.step ?? 0;
  validateMetric(m.key, value as number, m.timestamp, step, path, checkedKeys.has(m.key));
  checkedKeys.add(m.key);
  const isNan = Number.isNaN(value);
  return { key: m.key, value: isNan ? 0 : value!, isNan: isNan ? 1 : 0, timestamp: m.timestamp, step };
}

/** MLflow's rule for the latest value: the greatest (step, timestamp, value). */
function newer(a: MetricRow, b: MetricRow): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

// Multi-row INSERTs cut the per-statement cost that dominates sql.js inserts; a few fixed sizes
// keep the statement cache small.
const CHUNKS = [256, 64, 16, 4, 1];
const insertSql = (rows: number) =>
  `INSERT OR IGNORE INTO metrics (run, key, value, timestamp, step, is_nan) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;

const UPSERT_LATEST = `INSERT INTO latest_metrics (run, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (run, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`;

function insertMetrics(ctx: Context, run: number, rows: MetricRow[]): void {
  let i = 0;
  for (const size of CHUNKS) {
    while (rows.length - i >= size) {
      const params: SqlValue[] = [];
      for (let j = i; j < i + size; j++) {
        const m = rows[j]!;
        params.push(run, m.key, m.value, m.timestamp, m.step, m.isNan);
      }
      ctx.sql.run(insertSql(size), params);
      i += size;
    }
  }
  const latest = new Map<string, MetricRow>();
  for (const m of rows) {
    const best = latest.get(m.key);
    if (!best || newer(m, best)) latest.set(m.key, m);
  }
  for (const m of latest.values()) ctx.sql.run(UPSERT_LATEST, [run, m.key, m.value, m.timestamp, m.step, m.isNan]);
  updateMetricBlocks(ctx, run, rows);
}

export function logMetric(ctx: Context, req: LogMetricRequest): Empty {
  const row = toRow(req, '', new Set());
  insertMetrics(ctx, activeRun(ctx, req.run_id).id, [row]);
  ctx.env.emit({ kind: 'metric', ids: [req.run_id], op: 'create' });
  return {};
}

/** All or nothing: everything is checked before the first row is written. */
export function logBatch(ctx: Context, req: LogBatchRequest): Empty {
  const metrics = req.metrics ?? [];
  const params = req.params ?? [];
  const tags = req.tags ?? [];
  validateBatchLimit('metrics', LIMITS.metricsPerBatch, metrics.length);
  validateBatchLimit('params', LIMITS.paramsTagsPerBatch, params.length);
  validateBatchLimit('tags', LIMITS.paramsTagsPerBatch, tags.length);
  validateBatchLimit('metrics, params, and tags', LIMITS.entitiesPerBatch, metrics.length + params.length + tags.length);
  const checkedKeys = new Set<string>();
  const rows = metrics.map((m, i) => toRow(m, `metrics[${i}]`, checkedKeys));
  params.forEach((p, i) => validateParam(p.key, p.value ?? '', `params[${i}]`));
  tags.forEach((t, i) => validateTag(t.key, t.value ?? '', `tags[${i}]`));
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const p of params) {
    if (seen.has(p.key)) dupes.push(p.key);
    seen.add(p.key);
  }
  if (dupes.length) {
    throw invalid(
      `Duplicate parameter keys have been submitted: [${dupes.map((k) => `'${k}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`,
    );
  }
  const run = activeRun(ctx, req.run_id);
  const fresh = params.filter((p) => !checkParamUnchanged(ctx, req.run_id, p.key, p.value ?? ''));

  for (const p of fresh) insertParam(ctx, req.run_id, p.key, p.value ?? '');
  setTags(
    ctx,
    req.run_id,
    tags.map((t) => ({ key: t.key, value: t.value ?? '' })),
  );
  if (rows.length) insertMetrics(ctx, run.id, rows);
  if (rows.length) ctx.env.emit({ kind: 'metric', ids: [req.run_id], op: 'create' });
  if (params.length) ctx.env.emit({ kind: 'param', ids: [req.run_id], op: 'create' });
  if (tags.length) ctx.env.emit({ kind: 'tag', ids: [req.run_id], op: 'update' });
  return {};
}

/** The whole history without max_results (as MLflow); pages of it with. Ordered by step, then time. */
export function getMetricHistory(ctx: Context, req: GetMetricHistoryRequest): { metrics: Metric[]; next_page_token?: string } {
  const run = findRun(ctx, req.run_id);
  const select = 'SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run = ? AND key = ? ORDER BY step, timestamp, value';
  if (req.max_results === undefined && !req.page_token) {
    return { metrics: ctx.sql.all(select, [run.id, req.metric_key]).map(metricOut) };
  }
  const limit = req.max_results ?? 25000;
  if (!Number.isSafeInteger(limit) || limit <= 0)
    throw invalid(`Invalid value ${limit} for parameter 'max_results' supplied. It must be a positive integer.`);
  const offset = pageOffset(req.page_token);
  const rows = ctx.sql.all(`${select} LIMIT ? OFFSET ?`, [run.id, req.metric_key, limit + 1, offset]);
  const { items, next_page_token } = page(rows, offset, limit);
  return { metrics: items.map(metricOut), ...(next_page_token ? { next_page_token } : {}) };
}
