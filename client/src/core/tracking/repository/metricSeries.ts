import { findRun, type Context } from './context';
import { invalid } from './errors';
import type { SqlValue } from 'sql.js';
import type { GetMetricSeriesRequest, MetricSeries } from './types';
import { minMaxDownsample } from '../../charts/downsample';
import { BLOCK_SHIFT } from './metricBlocks';

/** The most points one series ever carries to a chart. */
export const MAX_SERIES_POINTS = 2000;

// Largest finite double: `value BETWEEN -MAX AND MAX` leaves out ±Infinity; is_nan leaves out NaN.
const FINITE = 'is_nan = 0 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308';

interface Point {
  step: number;
  timestamp: number;
  value: number;
}

/**
 * One metric's points over a step or time range, at most `max_points` (2,000) of them. A range
 * holding more is cut into `max_points / 2 - 1` equal buckets along the axis; each keeps its lowest
 * and its highest point (min/max downsampling: spikes survive), and the range's first and last
 * point are kept, all in axis order. Ranges of up to BLOCKS_FROM points are bucketed by SQLite (two
 * aggregate scans using its bare-column rule for min() and max()); larger ones are read from the
 * `metric_blocks` summaries (fromBlocks), so a million points never leave the database.
 */
export function getMetricSeries(ctx: Context, req: GetMetricSeriesRequest): MetricSeries {
  const run = findRun(ctx, req.run_id);
  if (!req.metric_key) throw invalid("Missing value for required parameter 'metric_key'.");
  const maxPoints = req.max_points ?? MAX_SERIES_POINTS;
  if (!Number.isSafeInteger(maxPoints) || maxPoints < 4)
    throw invalid(`Invalid value ${maxPoints} for parameter 'max_points' supplied. It must be an integer of at least 4.`);
  const limit = Math.min(maxPoints, MAX_SERIES_POINTS);
  const x = req.x_axis === 'time' ? 'timestamp' : 'step';
  if (req.x_axis !== undefined && req.x_axis !== 'step' && req.x_axis !== 'time')
    throw invalid(`Invalid value '${String(req.x_axis)}' for parameter 'x_axis' supplied: expected step or time.`);

  const where = [`run = ?`, `key = ?`, FINITE];
  const params: SqlValue[] = [run.id, req.metric_key];
  if (req.min_x !== undefined) {
    where.push(`${x} >= ?`);
    params.push(Math.ceil(req.min_x));
  }
  if (req.max_x !== undefined) {
    where.push(`${x} <= ?`);
    params.push(Math.floor(req.max_x));
  }
  if (req.after_step !== undefined) {
    where.push('(step, timestamp) > (?, ?)');
    params.push(req.after_step, req.after_timestamp ?? Number.MAX_SAFE_INTEGER);
  }
  const filter = where.join(' AND ');
  if (req.after_step === undefined) {
    const summarized = fromBlocks(ctx, run.id, req.metric_key, x, req.min_x, req.max_x, limit);
    if (summarized) return summarized;
  }
  const range = ctx.sql.get(`SELECT COUNT(*) AS n, MIN(${x}) AS lo, MAX(${x}) AS hi FROM metrics WHERE ${filter}`, params);
  const total = Number(range?.n ?? 0);
  if (total <= limit) {
    const rows = ctx.sql.all(`SELECT step, timestamp, value FROM metrics WHERE ${filter} ORDER BY step, timestamp, value`, params);
    return columns(rows as unknown as Point[], total, false);
  }
  const lo = Number(range!.lo);
  const span = Number(range!.hi) - lo + 1;
  const buckets = Math.floor(limit / 2) - 1;
  const bucket = `((${x} - ${lo}) * ${buckets} / ${span})`;
  const extremes = (fn: 'MIN' | 'MAX') =>
    ctx.sql.all(
      `SELECT ${fn}(value) AS value, step, timestamp FROM metrics WHERE ${filter} GROUP BY ${bucket}`,
      params,
    ) as unknown as Point[];
  const order = x === 'step' ? 'step, timestamp' : 'timestamp, step';
  const first = ctx.sql.get(
    `SELECT step, timestamp, value FROM metrics WHERE ${filter} ORDER BY ${order} LIMIT 1`,
    params,
  ) as unknown as Point;
  const last = ctx.sql.get(
    `SELECT step, timestamp, value FROM metrics WHERE ${filter} ORDER BY ${order.replace(/,/g, ' DESC,')} DESC LIMIT 1`,
    params,
  ) as unknown as Point;
  const points = [first, ...extremes('MIN'), ...extremes('MAX'), last];
  const byX =
    x === 'step'
      ? (a: Point, b: Point) => a.step - b.step || a.timestamp - b.timestamp || a.value - b.value
      : (a: Point, b: Point) => a.timestamp - b.timestamp || a.step - b.step || a.value - b.value;
  points.sort(byX);
  const unique = points.filter((p, i) => i === 0 || byX(p, points[i - 1]!) !== 0);
  return columns(unique, total, true);
}

function columns(points: readonly Point[], total: number, downsampled: boolean): MetricSeries {
  const steps = new Array<number>(points.length);
  const timestamps = new Array<number>(points.length);
  const values = new Array<number>(points.length);
  points.forEach((p, i) => {
    steps[i] = Number(p.step);
    timestamps[i] = Number(p.timestamp);
    values[i] = Number(p.value);
  });
  return { steps, timestamps, values, total, downsampled };
}

/** From this many points on, a range is downsampled from block summaries rather than scanned. */
const BLOCKS_FROM = 100_000;
/** Time ranges whose edges cut more blocks than this (timestamps out of step order) are scanned. */
const MAX_PARTIAL_BLOCKS = 64;

interface BlockSummary {
  block: number;
  n: number;
  min_step: number;
  max_step: number;
  min_ts: number;
  max_ts: number;
  lo_value: number;
  lo_step: number;
  lo_ts: number;
  hi_value: number;
  hi_step: number;
  hi_ts: number;
}

/**
 * A large range from `metric_blocks`: each block wholly inside it gives its lowest and highest
 * point; blocks cut by the range's edges give their points in range; min/max bucketing then brings
 * the lot to `limit`. Undefined when the range is small enough to scan, or the blocks do not fit it.
 */
function fromBlocks(
  ctx: Context,
  run: number,
  key: string,
  x: 'step' | 'timestamp',
  minX: number | undefined,
  maxX: number | undefined,
  limit: number,
): MetricSeries | undefined {
  const lo = minX === undefined ? -Number.MAX_VALUE : Math.ceil(minX);
  const hi = maxX === undefined ? Number.MAX_VALUE : Math.floor(maxX);
  const [minCol, maxCol] = x === 'step' ? ['min_step', 'max_step'] : ['min_ts', 'max_ts'];
  const blocks = ctx.sql.all(`SELECT * FROM metric_blocks WHERE run = ? AND key = ? AND ${maxCol} >= ? AND ${minCol} <= ? ORDER BY block`, [
    run,
    key,
    lo,
    hi,
  ]) as unknown as BlockSummary[];
  let estimate = 0;
  for (const b of blocks) estimate += b.n;
  if (estimate < BLOCKS_FROM) return undefined;
  const inside = (b: BlockSummary) =>
    (b as unknown as Record<string, number>)[minCol]! >= lo && (b as unknown as Record<string, number>)[maxCol]! <= hi;
  const partial = blocks.filter((b) => !inside(b));
  if (partial.length > MAX_PARTIAL_BLOCKS) return undefined;
  const points: Point[] = [];
  let total = 0;
  for (const b of blocks) {
    if (!inside(b)) continue;
    total += b.n;
    points.push({ step: b.lo_step, timestamp: b.lo_ts, value: b.lo_value });
    if (b.hi_step !== b.lo_step || b.hi_ts !== b.lo_ts) points.push({ step: b.hi_step, timestamp: b.hi_ts, value: b.hi_value });
  }
  for (const b of partial) {
    const first = b.block * 2 ** BLOCK_SHIFT;
    const rows = ctx.sql.all(
      `SELECT step, timestamp, value FROM metrics WHERE run = ? AND key = ? AND ${FINITE} AND step BETWEEN ? AND ? AND ${x} BETWEEN ? AND ?`,
      [run, key, first, first + 2 ** BLOCK_SHIFT - 1, lo, hi],
    ) as unknown as Point[];
    total += rows.length;
    points.push(...rows);
  }
  const order =
    x === 'step'
      ? (a: Point, b: Point) => a.step - b.step || a.timestamp - b.timestamp
      : (a: Point, b: Point) => a.timestamp - b.timestamp || a.step - b.step;
  points.sort(order);
  const kept = minMaxDownsample(
    points.map((p) => ({ x: x === 'step' ? p.step : p.timestamp, y: p.value, p })),
    limit,
  ).map((q) => q.p);
  return columns(kept, total, true);
}
