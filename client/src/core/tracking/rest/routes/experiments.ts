import { emptyIfAbsent, list, msg, oneOf, required } from '../validate';
import { KEY_VALUE, op, type Route } from './route';

const VIEW_TYPE = oneOf(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']);
const EXPERIMENT_ID = msg({ experiment_id: required('string') });
const SEARCH = msg({ max_results: 'int64', page_token: 'string', filter: 'string', order_by: list('string'), view_type: VIEW_TYPE });

export const EXPERIMENT_ROUTES: readonly Route[] = [
  op(
    'POST',
    '/mlflow/experiments/create',
    'createExperiment',
    msg({ name: required('string'), artifact_location: 'string', tags: list(KEY_VALUE) }),
  ),
  op('GET', '/mlflow/experiments/get', 'getExperiment', EXPERIMENT_ID),
  op('GET', '/mlflow/experiments/get-by-name', 'getExperimentByName', msg({ experiment_name: required('string') })),
  op('POST', '/mlflow/experiments/search', 'searchExperiments', SEARCH),
  op('GET', '/mlflow/experiments/search', 'searchExperiments', SEARCH),
  // Removed in MLflow 2.0 but still called by older clients (the npm `mlflow` package).
  op('GET', '/mlflow/experiments/list', 'searchExperiments', msg({ view_type: VIEW_TYPE, max_results: 'int64', page_token: 'string' })),
  op('POST', '/mlflow/experiments/update', 'updateExperiment', msg({ experiment_id: required('string'), new_name: required('string') })),
  op('POST', '/mlflow/experiments/delete', 'deleteExperiment', EXPERIMENT_ID),
  op('POST', '/mlflow/experiments/restore', 'restoreExperiment', EXPERIMENT_ID),
  op(
    'POST',
    '/mlflow/experiments/set-experiment-tag',
    'setExperimentTag',
    msg({ experiment_id: required('string'), key: required('string'), value: emptyIfAbsent }),
  ),
];
