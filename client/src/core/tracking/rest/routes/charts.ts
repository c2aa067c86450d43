import { msg, oneOf, required } from '../validate';
import { op, type Route } from './route';

// Not MLflow: a metric history downsampled in the store for charts, so a window that joined another
// window's store (a peer) draws from the same operation as the owner.
export const CHART_ROUTES: readonly Route[] = [
  op(
    'GET',
    '/mlops/metrics/series',
    'getMetricSeries',
    msg({
      run_id: required('string'),
      metric_key: required('string'),
      x_axis: oneOf(['step', 'time']),
      min_x: 'double',
      max_x: 'double',
      after_step: 'int64',
      after_timestamp: 'int64',
      max_points: 'int64',
    }),
  ),
];
