import { msg, oneOf, required } from '../validate';
import { op, type Route } from './route';

// Not MLflow: the pipeline steps of a run, for processes that write while the editor holds the store.
export const STEP_ROUTES: readonly Route[] = [
  op(
    'POST',
    '/mlops/steps/upsert',
    'upsertStep',
    msg({
      run_id: required('string'),
      step_id: required('string'),
      status: required(oneOf(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'])),
      start_time: 'int64',
      end_time: 'int64',
      exit_code: 'int64',
      cached: 'bool',
      log_path: 'string',
      cache_key: 'string',
      cached_from: 'string',
      attempts: 'int64',
      message: 'string',
      outputs_digest: 'string',
    }),
  ),
  op('GET', '/mlops/steps/cached', 'findCachedStep', msg({ cache_key: required('string') })),
  op('GET', '/mlops/steps/list', 'listSteps', msg({ run_id: required('string') })),
];
