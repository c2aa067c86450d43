import { msg, required } from '../validate';
import { op, type Route } from './route';

// Not MLflow: drift-monitor results, so `mlops monitor` records its check while the editor holds the store.
export const MONITOR_ROUTES: readonly Route[] = [
  op(
    'POST',
    '/mlops/monitors/record',
    'recordMonitorResult',
    msg({ monitor: required('string'), time: 'int64', status: required('string'), payload: required('json') }),
  ),
  op('GET', '/mlops/monitors/list', 'listMonitorResults', msg({ monitor: required('string'), max_results: 'int64' })),
];
