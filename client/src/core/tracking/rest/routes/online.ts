import { list, msg, required } from '../validate';
import { op, type Route } from './route';

// Not MLflow: the embedded online store, for `mlops features` while the editor holds the store.
export const ONLINE_ROUTES: readonly Route[] = [
  op(
    'POST',
    '/mlops/features/online/write',
    'writeOnlineRows',
    msg({
      view: required('string'),
      rows: required(
        list(msg({ entity_key: required('string'), event_time: required('int64'), created_time: 'int64', values: required('json') })),
      ),
    }),
  ),
  op(
    'POST',
    '/mlops/features/materializations/record',
    'recordMaterialization',
    msg({ view: required('string'), end_time: required('int64'), source_rows: required('int64'), keys: required('int64') }),
  ),
  op('GET', '/mlops/features/materializations', 'listMaterializations', msg({})),
  op(
    'GET',
    '/mlops/features/online/rows',
    'getOnlineRows',
    msg({ view: required('string'), entity_keys: list('string'), max_rows: 'int64' }),
  ),
];
