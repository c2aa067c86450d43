// Entry of client/out/featureJoinWorker.js: reads and indexes feature views' sources in a thread of
// its own while the entity rows are read, then joins them to those rows (see joinInWorkers.ts).
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../../../common/src/errors';
import { indexView, joinIndexed, RetrievalError, type EntityRows } from './pointInTime';
import type { ViewSpec } from './registry';
import { readViewSource } from './viewSource';
import type { JoinReply, JoinRequest } from './joinMessages';

const port = parentPort!;
let haveEntities: (rows: EntityRows) => void;
const entities = new Promise<EntityRows>((resolve) => (haveEntities = resolve));
let queue = Promise.resolve();

async function join(id: number, view: ViewSpec, fields: readonly string[]): Promise<void> {
  const index = indexView(view, await readViewSource(view), fields);
  let last = 0;
  const columns = joinIndexed(view, index, fields, await entities, (p) => {
    if (Date.now() - last < 250) return;
    last = Date.now();
    port.postMessage({ type: 'progress', id, ...p } satisfies JoinReply);
  });
  port.postMessage({ type: 'result', id, columns } satisfies JoinReply);
}

port.on('message', (message: JoinRequest) => {
  if (message.type === 'entities') haveEntities(message.rows);
  else
    queue = queue.then(() =>
      join(message.id, message.view, message.fields).catch((error: unknown) =>
        port.postMessage({
          type: 'error',
          id: message.id,
          retrieval: error instanceof RetrievalError,
          message: errorMessage(error),
        } satisfies JoinReply),
      ),
    );
});
