import { minMaxDownsample } from '../../charts/downsample';
import { MAX_SERIES_POINTS } from '../repository/metricSeries';
import { MlflowError } from '../repository/errors';
import type { GetMetricSeriesRequest, Metric, MetricSeries } from '../repository';

interface Point {
  step: number;
  timestamp: number;
  value: number;
}

/**
 * The chart's view of a history fetched whole (a team's server has no downsampling of its own):
 * the same range, `after_step` and min/max bucketing as the workspace store's getMetricSeries.
 */
export function seriesOf(history: readonly Metric[], req: GetMetricSeriesRequest): MetricSeries {
  const maxPoints = req.max_points ?? MAX_SERIES_POINTS;
  if (!Number.isSafeInteger(maxPoints) || maxPoints < 4)
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${maxPoints} for parameter 'max_points' supplied. It must be an integer of at least 4.`,
    );
  const limit = Math.min(maxPoints, MAX_SERIES_POINTS);
  const byTime = req.x_axis === 'time';
  const lo = req.min_x === undefined ? -Infinity : Math.ceil(req.min_x);
  const hi = req.max_x === undefined ? Infinity : Math.floor(req.max_x);
  const afterStep = req.after_step;
  const afterTs = req.after_timestamp ?? Number.MAX_SAFE_INTEGER;
  const points: Point[] = [];
  for (const m of history) {
    const value = typeof m.value === 'number' ? m.value : Number.NaN;
    if (!Number.isFinite(value)) continue;
    const step = Number(m.step ?? 0);
    const timestamp = Number(m.timestamp);
    const x = byTime ? timestamp : step;
    if (x < lo || x > hi) continue;
    if (afterStep !== undefined && (step < afterStep || (step === afterStep && timestamp <= afterTs))) continue;
    points.push({ step, timestamp, value });
  }
  points.sort(
    byTime
      ? (a, b) => a.timestamp - b.timestamp || a.step - b.step || a.value - b.value
      : (a, b) => a.step - b.step || a.timestamp - b.timestamp || a.value - b.value,
  );
  const total = points.length;
  const kept =
    total <= limit
      ? points
      : minMaxDownsample(
          points.map((p) => ({ x: byTime ? p.timestamp : p.step, y: p.value, p })),
          limit,
        ).map((q) => q.p);
  return {
    steps: kept.map((p) => p.step),
    timestamps: kept.map((p) => p.timestamp),
    values: kept.map((p) => p.value),
    total,
    downsampled: total > limit,
  };
}
