import { parentPort, workerData } from 'node:worker_threads';
import type { Log, RepositoryBinding } from './contract';
import { ChangeBatcher } from './changeBatcher';
import { TrackingEngine } from './engine';
import { serializeError, type FromWorker, type ToWorker, type WorkerConfig } from './protocol';
import { defaultSavePolicy } from './saveScheduler';

/** The worker side: hosts an engine for `binding` and answers the store's messages (protocol.ts). */
export function runWorker<R extends object>(binding: RepositoryBinding<R>): void {
  const port = parentPort;
  if (!port) throw new Error('The tracking engine worker must run in a worker thread');
  const post = (message: FromWorker) => port.postMessage(message);
  const config = workerData as WorkerConfig;
  const log: Log = (level, message) => post({ type: 'log', level, message });
  const batcher = new ChangeBatcher((changes) => post({ type: 'changes', changes }));

  const reply = (id: number, outcome: { value: unknown } | { error: unknown }): void => {
    try {
      post(
        'value' in outcome ? { type: 'result', id, value: outcome.value } : { type: 'failed', id, error: serializeError(outcome.error) },
      );
    } catch (error) {
      // A result structured clone cannot copy (a function, say): the call happened, its answer cannot travel.
      post({ type: 'failed', id, error: serializeError(error) });
    }
  };
  const answerLater = (id: number, work: () => Promise<void>): void => {
    work().then(
      () => reply(id, { value: undefined }),
      (error: unknown) => reply(id, { error }),
    );
  };

  TrackingEngine.open({
    workspaceDir: config.workspaceDir,
    binding,
    log,
    savePolicy: defaultSavePolicy(config.saveDelayMs),
    durability: config.durability,
    onChanges: (changes) => batcher.add(changes),
  }).then(
    (engine) => {
      port.on('message', (message: ToWorker) => {
        switch (message.type) {
          case 'call': {
            // Synchronous, so calls commit in the order they arrive; answered once durable (group commit:
            // the writes of a turn share one fdatasync, and this thread takes more calls meanwhile).
            const id = message.id;
            let value: unknown;
            try {
              value = engine.call(message.method, message.args);
            } catch (error) {
              reply(id, { error });
              break;
            }
            engine.whenDurable().then(
              () => reply(id, { value }),
              (error: unknown) => reply(id, { error }),
            );
            break;
          }
          case 'flush':
            answerLater(message.id, () => engine.flush());
            break;
          case 'close':
            answerLater(message.id, async () => {
              await engine.close();
              batcher.flush();
            });
            break;
        }
      });
      post({ type: 'ready', recovery: engine.recovery });
    },
    (error: unknown) => post({ type: 'openFailed', error: serializeError(error) }),
  );
}
