import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Cell } from '../drift/dataTable';
import { locateWorker } from '../tracking/engine/workerLocation';
import type { JoinReply, JoinRequest } from './joinMessages';
import { RetrievalError, type EntityRows, type JoinProgress, type ViewJoiner } from './pointInTime';
import type { ViewSpec } from './registry';

interface Pending {
  readonly worker: Worker;
  readonly result: Promise<Cell[][]>;
  resolve(columns: Cell[][]): void;
  reject(error: Error): void;
  onProgress?: JoinProgress;
}

/**
 * Joins views in worker threads, one per CPU at most, each view's source read and indexed by its
 * worker from `prepare` on, while this thread reads the entity rows: two views' sources of 500,000
 * rows each are read at once on two CPUs. Close it when done (it ends the workers).
 */
export function joinInWorkers(): ViewJoiner {
  // Bundled, this file is part of client/out/cli.js and the worker is beside it.
  const launch = locateWorker({
    bundled: path.join(__dirname, 'featureJoinWorker.js'),
    source: path.join(__dirname, 'joinWorker.ts'),
    fromSource: __filename.endsWith('.ts'),
    what: "The feature join's worker",
  });
  const workers: Worker[] = [];
  const pending = new Map<number, Pending>();
  const ids = new Map<ViewSpec, number>();
  let rows: EntityRows | undefined;

  const fail = (worker: Worker, error: Error) => {
    for (const [id, p] of pending)
      if (p.worker === worker) {
        pending.delete(id);
        p.reject(error);
      }
  };
  const startWorker = () => {
    const worker = new Worker(launch.script, { eval: launch.eval });
    worker.on('message', (reply: JoinReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      if (reply.type === 'progress') p.onProgress?.({ view: reply.view, done: reply.done, total: reply.total });
      else {
        pending.delete(reply.id);
        if (reply.type === 'result') p.resolve(reply.columns);
        else p.reject(reply.retrieval ? new RetrievalError(reply.message) : new Error(reply.message));
      }
    });
    worker.on('error', (error) => fail(worker, error));
    worker.on('exit', (code) => fail(worker, new Error(`the feature join's worker stopped (exit code ${code}) before it answered`)));
    if (rows) worker.postMessage({ type: 'entities', rows } satisfies JoinRequest);
    workers.push(worker);
    return worker;
  };
  const assign = (view: ViewSpec, fields: readonly string[], worker: Worker) => {
    const id = ids.size;
    ids.set(view, id);
    let resolve!: (columns: Cell[][]) => void;
    let reject!: (error: Error) => void;
    const result = new Promise<Cell[][]>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    result.catch(() => undefined); // a view whose join is never asked for (the entity rows failed) rejects unheard
    pending.set(id, { worker, result, resolve, reject });
    worker.postMessage({ type: 'view', id, view, fields } satisfies JoinRequest);
  };

  const joiner: ViewJoiner = {
    prepare(views) {
      const count = Math.max(1, Math.min(views.size, availableParallelism()));
      while (workers.length < count) startWorker();
      let next = 0;
      for (const [view, fields] of views) if (!ids.has(view)) assign(view, fields, workers[next++ % workers.length]!);
    },
    join(view, fields, entities, onProgress) {
      if (!ids.has(view)) joiner.prepare!(new Map([[view, fields]]));
      if (!rows) {
        rows = entities;
        for (const worker of workers) worker.postMessage({ type: 'entities', rows } satisfies JoinRequest);
      }
      const p = pending.get(ids.get(view)!);
      if (!p) return Promise.reject(new Error(`the feature join's worker for view ${view.name} already answered`));
      p.onProgress = onProgress;
      return p.result;
    },
    close() {
      for (const worker of workers) worker.removeAllListeners('exit');
      for (const worker of workers) void worker.terminate();
    },
  };
  return joiner;
}
