import type { GetMetricSeriesRequest, Metric, MetricSeries } from '../repository';
import { MAX_SERIES_POINTS } from '../repository/metricSeries';
import { trackingRequest, type RequestOptions, type TrackingAuth } from '../rest/request';
import { seriesOf } from './historySeries';

/** MLflow's own ceiling on the steps one run gets from get-history-bulk-interval. */
const MAX_STEPS = 2500;

interface BulkAnswer {
  metrics?: (Metric & { run_id?: string })[];
}

/**
 * A metric's series sampled by the server itself: MLflow's `get-history-bulk-interval` (served
 * under /ajax-api by MLflow's tracking server since 2.8) answers every point at up to `max_results`
 * steps of the range, spread evenly, the first and last step always in. One request, whatever the
 * history's length, where get-history pages through all of it.
 *
 * `undefined` where it does not fit: the time axis, a live chart's "points after", a server without
 * the endpoint (remembered after its first 404). When the server returned fewer steps than asked,
 * it returned the whole range and the series is exact; otherwise it is marked `sampledBy: 'server'`.
 */
export class BulkIntervalSeries {
  private offered = true;

  constructor(
    private readonly url: string,
    private readonly auth: TrackingAuth | undefined,
    private readonly options: RequestOptions,
  ) {}

  async series(req: GetMetricSeriesRequest): Promise<MetricSeries | undefined> {
    if (!this.offered || req.x_axis === 'time' || req.after_step !== undefined) return undefined;
    const steps = Math.min(req.max_points ?? MAX_SERIES_POINTS, MAX_SERIES_POINTS, MAX_STEPS);
    const query = new URLSearchParams({ run_ids: req.run_id, metric_key: req.metric_key, max_results: String(steps) });
    if (req.min_x !== undefined && req.max_x !== undefined) {
      query.set('start_step', String(Math.ceil(req.min_x)));
      query.set('end_step', String(Math.floor(req.max_x)));
    } else if (req.min_x !== undefined || req.max_x !== undefined) return undefined;
    let answer: BulkAnswer;
    try {
      answer = (await trackingRequest('GET', `${this.url}/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?${query}`, {
        auth: this.auth,
        options: this.options,
      })) as BulkAnswer;
    } catch (error) {
      if (/\b404\b|ENDPOINT_NOT_FOUND/.test(String(error)) || (error as { errorCode?: string }).errorCode === 'ENDPOINT_NOT_FOUND') {
        this.offered = false;
        return undefined;
      }
      throw error;
    }
    const points = (answer.metrics ?? []).filter((m) => m.run_id === undefined || m.run_id === req.run_id);
    const sampled = new Set(points.map((m) => m.step)).size >= steps;
    const series = seriesOf(points, req);
    return sampled ? { ...series, downsampled: true, sampledBy: 'server' } : series;
  }
}
