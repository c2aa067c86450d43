import { list, msg, oneOf, required } from '../validate';
import { KEY_VALUE, op, type Route } from './route';

// Not MLflow: `mlops import mlruns` while the editor holds the store (repository/importing.ts).
export const IMPORT_ROUTES: readonly Route[] = [
  op(
    'POST',
    '/mlops/import/run',
    'importRun',
    msg({
      run_id: required('string'),
      experiment_id: required('string'),
      run_name: required('string'),
      user_id: 'string',
      status: required(oneOf(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'])),
      start_time: 'int64',
      end_time: 'int64',
      lifecycle_stage: oneOf(['active', 'deleted']),
      deleted_time: 'int64',
    }),
  ),
  op(
    'POST',
    '/mlops/import/model',
    'importModel',
    msg({
      name: required('string'),
      creation_timestamp: 'int64',
      last_updated_timestamp: 'int64',
      description: 'string',
      tags: list(KEY_VALUE),
      versions: list(
        msg({
          version: required('string'),
          creation_timestamp: 'int64',
          last_updated_timestamp: 'int64',
          description: 'string',
          user_id: 'string',
          current_stage: 'string',
          source: required('string'),
          run_id: 'string',
          run_link: 'string',
          status: 'string',
          tags: list(KEY_VALUE),
        }),
      ),
      aliases: list(msg({ alias: required('string'), version: required('string') })),
    }),
  ),
];
