// The data side of a drift check in a worker thread (client/out/driftWorker.js): reading CSV or
// Parquet batches and testing every column can take seconds on large data, which must not hold up
// the extension host. One message in (a MonitorConfig), one out (the result or the error's kind).
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../../../common/src/errors';
import { DataFileError, DriftInputError } from '../drift';
import { dataDrift, MonitorDataError } from './dataDrift';
import type { MonitorConfig } from './monitorConfig';

parentPort?.once('message', (config: MonitorConfig) => {
  dataDrift(config).then(
    (result) => parentPort!.postMessage({ result }),
    (error: unknown) => {
      const kind =
        error instanceof DataFileError
          ? 'data-file'
          : error instanceof DriftInputError
            ? 'drift-input'
            : error instanceof MonitorDataError
              ? 'monitor-data'
              : 'internal';
      parentPort!.postMessage({ error: { kind, message: errorMessage(error) } });
    },
  );
});
