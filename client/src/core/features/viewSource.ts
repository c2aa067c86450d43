import { readTable, type Table } from '../drift/dataTable';
import { RetrievalError } from './pointInTime';
import type { ViewSpec } from './registry';

/** A view's source table; a missing file names the view and its source. */
export function readViewSource(view: ViewSpec): Promise<Table> {
  return readTable(view.source.file).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT'
      ? new RetrievalError(`${view.source.file} (source ${view.source.name} of view ${view.name}): no such file`)
      : error;
  });
}
