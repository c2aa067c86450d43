// One side of a large CSV drift check in a worker thread (client/out/driftSideWorker.js): it
// spills that side's files to column files, then loads and sorts one column at a time, so the two
// sides parse and sort on two CPUs at once. Requests carry an id; replies echo it.
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../../../common/src/errors';
import { sortFloat64 } from './radixSort';
import { loadColumn, spillCsv } from './spilledCsv';
import type { SideReply, SideRequest } from './sideWorkers';

parentPort?.on('message', (request: SideRequest) => {
  const reply = (message: SideReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);
  if (request.kind === 'spill') {
    spillCsv(request.files, request.dir, request.tag).then(
      (side) => reply({ id: request.id, side }),
      (error: unknown) => reply({ id: request.id, error: errorMessage(error) }),
    );
    return;
  }
  try {
    const values = sortFloat64(loadColumn(request.column));
    reply({ id: request.id, values }, [values.buffer as ArrayBuffer]);
  } catch (error) {
    reply({ id: request.id, error: errorMessage(error) });
  }
});
