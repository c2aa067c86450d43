import { emptyIfAbsent, list, msg, required } from '../validate';
import { KEY_VALUE, op, type Route } from './route';

const NAME = msg({ name: required('string') });
const VERSION = msg({ name: required('string'), version: required('string') });
const SEARCH = msg({ filter: 'string', max_results: 'int64', order_by: list('string'), page_token: 'string' });
const LATEST = msg({ name: required('string'), stages: list('string') });
const ALIAS = msg({ name: required('string'), alias: required('string') });

// Verbs and paths as model_registry.proto declares them.
export const REGISTRY_ROUTES: readonly Route[] = [
  op(
    'POST',
    '/mlflow/registered-models/create',
    'createRegisteredModel',
    msg({ name: required('string'), tags: list(KEY_VALUE), description: 'string' }),
  ),
  op('GET', '/mlflow/registered-models/get', 'getRegisteredModel', NAME),
  op('GET', '/mlflow/registered-models/search', 'searchRegisteredModels', SEARCH),
  op('POST', '/mlflow/registered-models/rename', 'renameRegisteredModel', msg({ name: required('string'), new_name: required('string') })),
  op('PATCH', '/mlflow/registered-models/update', 'updateRegisteredModel', msg({ name: required('string'), description: 'string' })),
  op('DELETE', '/mlflow/registered-models/delete', 'deleteRegisteredModel', NAME),
  op('POST', '/mlflow/registered-models/get-latest-versions', 'getLatestVersions', LATEST),
  op('GET', '/mlflow/registered-models/get-latest-versions', 'getLatestVersions', LATEST),
  op(
    'POST',
    '/mlflow/registered-models/set-tag',
    'setRegisteredModelTag',
    msg({ name: required('string'), key: required('string'), value: emptyIfAbsent }),
  ),
  op(
    'DELETE',
    '/mlflow/registered-models/delete-tag',
    'deleteRegisteredModelTag',
    msg({ name: required('string'), key: required('string') }),
  ),
  op(
    'POST',
    '/mlflow/registered-models/alias',
    'setRegisteredModelAlias',
    msg({ name: required('string'), alias: required('string'), version: required('string') }),
  ),
  op('DELETE', '/mlflow/registered-models/alias', 'deleteRegisteredModelAlias', ALIAS),
  op('GET', '/mlflow/registered-models/alias', 'getModelVersionByAlias', ALIAS),

  op(
    'POST',
    '/mlflow/model-versions/create',
    'createModelVersion',
    msg({
      name: required('string'),
      source: required('string'),
      run_id: 'string',
      tags: list(KEY_VALUE),
      run_link: 'string',
      description: 'string',
    }),
  ),
  op('GET', '/mlflow/model-versions/get', 'getModelVersion', VERSION),
  op('GET', '/mlflow/model-versions/search', 'searchModelVersions', SEARCH),
  op(
    'PATCH',
    '/mlflow/model-versions/update',
    'updateModelVersion',
    msg({ name: required('string'), version: required('string'), description: 'string' }),
  ),
  op('DELETE', '/mlflow/model-versions/delete', 'deleteModelVersion', VERSION),
  op('GET', '/mlflow/model-versions/get-download-uri', 'getModelVersionDownloadUri', VERSION),
  op(
    'POST',
    '/mlflow/model-versions/transition-stage',
    'transitionModelVersionStage',
    msg({ name: required('string'), version: required('string'), stage: required('string'), archive_existing_versions: required('bool') }),
  ),
  op(
    'POST',
    '/mlflow/model-versions/set-tag',
    'setModelVersionTag',
    msg({ name: required('string'), version: required('string'), key: required('string'), value: emptyIfAbsent }),
  ),
  op(
    'DELETE',
    '/mlflow/model-versions/delete-tag',
    'deleteModelVersionTag',
    msg({ name: required('string'), version: required('string'), key: required('string') }),
  ),
];
