import { Worker } from 'node:worker_threads';
import type { Log, SerializedError, StoreChange } from './contract';
import type { StoreRecovery } from './engine';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol';
import type { WorkerLaunch } from './workerLocation';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface WorkerClientOptions {
  launch: WorkerLaunch;
  config: WorkerConfig;
  log: Log;
  onChanges(changes: StoreChange[]): void;
  /** Rebuilds a repository error (MlflowError with its code) from what crossed the boundary. */
  reviveError(error: SerializedError): Error;
}

/** The main thread's side of the worker protocol: one pending promise per message id. */
export class WorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped: Error | undefined;

  /** Starts the worker and waits until its engine has opened the database (or failed to). */
  static start(options: WorkerClientOptions): Promise<{ client: WorkerClient; recovery: StoreRecovery }> {
    const worker = new Worker(options.launch.script, { eval: options.launch.eval, workerData: options.config });
    const client = new WorkerClient(worker, options);
    return new Promise((resolve, reject) => {
      client.onOpened = (outcome) => ('recovery' in outcome ? resolve({ client, recovery: outcome.recovery }) : reject(outcome.error));
    });
  }

  private onOpened: ((outcome: { recovery: StoreRecovery } | { error: Error }) => void) | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly options: WorkerClientOptions,
  ) {
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => this.stop(new Error(`The tracking store's worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => this.stop(new Error(`The tracking store's worker exited (code ${code})`)));
  }

  request(message: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ ...message, id } as ToWorker);
      } catch (error) {
        // Arguments structured clone cannot copy.
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** After the engine closed: ends the thread. */
  async terminate(): Promise<void> {
    this.stopped ??= new Error('The tracking store is closed');
    await this.worker.terminate();
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        this.onOpened?.({ recovery: message.recovery });
        this.onOpened = undefined;
        break;
      case 'openFailed':
        this.onOpened?.({ error: this.options.reviveError(message.error) });
        this.onOpened = undefined;
        void this.worker.terminate();
        break;
      case 'result':
        this.settle(message.id)?.resolve(message.value);
        break;
      case 'failed':
        this.settle(message.id)?.reject(this.options.reviveError(message.error));
        break;
      case 'changes':
        this.options.onChanges(message.changes);
        break;
      case 'log':
        this.options.log(message.level, message.message);
        break;
    }
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  /** The worker is gone: every waiting call fails, and so does every later one. */
  private stop(reason: Error): void {
    this.onOpened?.({ error: reason });
    this.onOpened = undefined;
    if (!this.stopped) {
      this.stopped = reason;
      if (this.pending.size > 0) this.options.log('error', reason.message);
    }
    for (const pending of this.pending.values()) pending.reject(this.stopped);
    this.pending.clear();
  }
}

type WithoutId<M> = M extends unknown ? Omit<M, 'id'> : never;
type Request = WithoutId<ToWorker>;
