import { list, msg, oneOf, required } from '../validate';
import { KEY_VALUE, op, type Route } from './route';

const RUN_ID = { run_id: 'string', run_uuid: 'string' } as const;
const METRIC = msg({ key: required('string'), value: required('double'), timestamp: required('int64'), step: 'int64' });
const DATASET_INPUT = msg({
  tags: list(KEY_VALUE),
  dataset: required(
    msg({
      name: required('string'),
      digest: required('string'),
      source_type: required('string'),
      source: required('string'),
      schema: 'string',
      profile: 'string',
    }),
  ),
});

export const RUN_ROUTES: readonly Route[] = [
  op(
    'POST',
    '/mlflow/runs/create',
    'createRun',
    msg({ experiment_id: 'string', user_id: 'string', run_name: 'string', start_time: 'int64', tags: list(KEY_VALUE) }),
  ),
  op(
    'POST',
    '/mlflow/runs/update',
    'updateRun',
    msg({ ...RUN_ID, status: oneOf(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']), end_time: 'int64', run_name: 'string' }),
    { runId: true },
  ),
  op('POST', '/mlflow/runs/delete', 'deleteRun', msg({ run_id: required('string') })),
  op('POST', '/mlflow/runs/restore', 'restoreRun', msg({ run_id: required('string') })),
  op('GET', '/mlflow/runs/get', 'getRun', msg(RUN_ID), { runId: true }),
  op(
    'POST',
    '/mlflow/runs/search',
    'searchRuns',
    msg({
      experiment_ids: list('string'),
      filter: 'string',
      run_view_type: oneOf(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']),
      max_results: 'int64',
      order_by: list('string'),
      page_token: 'string',
    }),
  ),
  op(
    'POST',
    '/mlflow/runs/log-metric',
    'logMetric',
    msg({ ...RUN_ID, key: required('string'), value: required('double'), timestamp: required('int64'), step: 'int64' }),
    { runId: true },
  ),
  op('POST', '/mlflow/runs/log-parameter', 'logParam', msg({ ...RUN_ID, key: required('string'), value: 'string' }), { runId: true }),
  op('POST', '/mlflow/runs/set-tag', 'setTag', msg({ ...RUN_ID, key: required('string'), value: 'string' }), { runId: true }),
  op('POST', '/mlflow/runs/delete-tag', 'deleteTag', msg({ run_id: required('string'), key: required('string') })),
  op(
    'POST',
    '/mlflow/runs/log-batch',
    'logBatch',
    msg({ run_id: required('string'), metrics: list(METRIC), params: list(KEY_VALUE), tags: list(KEY_VALUE) }),
  ),
  op('POST', '/mlflow/runs/log-inputs', 'logInputs', msg({ run_id: required('string'), datasets: list(DATASET_INPUT) })),
  op('POST', '/mlflow/runs/log-model', 'logModel', msg({ run_id: required('string'), model_json: required('string') })),
  op(
    'GET',
    '/mlflow/metrics/get-history',
    'getMetricHistory',
    msg({ ...RUN_ID, metric_key: required('string'), page_token: 'string', max_results: 'int64' }),
    { runId: true },
  ),
];
