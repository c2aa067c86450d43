import { mkdirSync } from 'node:fs';
import { errorMessage } from '../../../../../common/src/errors';
import { ChangeBatcher } from './changeBatcher';
import type { Log, RepositoryBinding, SerializedError, StoreChange } from './contract';
import { TrackingEngine, type StoreRecovery } from './engine';
import { DURABILITIES, type Durability } from './journal';
import { acquireLock, type LockHolder } from './lock';
import { defaultSavePolicy } from './saveScheduler';
import { storePaths, type StorePaths } from './storePaths';
import { WorkerClient } from './workerClient';
import type { WorkerLaunch } from './workerLocation';

export interface OpenStoreOptions {
  workspaceDir: string;
  log?: Log;
  /** Quiet time after the last write before the image is saved (default 1000 ms). */
  saveDelayMs?: number;
  /** Run the engine on the calling thread (CLI, tests) instead of a worker. */
  inProcess?: boolean;
  /**
   * When a write is acknowledged: `fsync` (on disk; the default) or `process` (in the page cache). Unset:
   * the MLOPS_TRACKING_DURABILITY environment variable, else `fsync` (docs/tracking-store.md).
   */
  durability?: Durability;
}

/** The durability asked for: the option, else MLOPS_TRACKING_DURABILITY, else `fsync` (an unknown value is logged). */
function durabilityOf(option: Durability | undefined, env: NodeJS.ProcessEnv, log: Log): Durability {
  if (option) return option;
  const value = env['MLOPS_TRACKING_DURABILITY']?.trim();
  if (!value) return 'fsync';
  if ((DURABILITIES as readonly string[]).includes(value)) return value as Durability;
  log('warn', `MLOPS_TRACKING_DURABILITY=${JSON.stringify(value)} is not one of ${DURABILITIES.join(', ')}; using fsync.`);
  return 'fsync';
}

/** Every method of the repository, answering through a promise. */
export type Promisified<R> = {
  readonly [K in keyof R as R[K] extends (...args: never[]) => unknown ? K : never]: R[K] extends (...args: infer A) => infer T
    ? (...args: A) => Promise<Awaited<T>>
    : never;
};

/** What opening found and did (also logged): the engine's recovery, and a stale lock taken over. */
export interface OpenReport extends StoreRecovery {
  staleLockTakenOverFrom?: LockHolder;
}

export interface TrackingStore<R extends object> {
  /** Typed calls: `store.api.createRun({...})`. Arguments and results travel by structured clone. */
  readonly api: Promisified<R>;
  call(method: string, args: unknown[]): Promise<unknown>;
  /** Changes, batched: every write made in one turn of the engine's event loop, delivered shortly after their replies. */
  onChange(listener: (changes: StoreChange[]) => void): { dispose(): void };
  /** Saves the image now. */
  flush(): Promise<void>;
  /** Saves, stops the engine, releases the lock. */
  close(): Promise<void>;
  readonly paths: StorePaths;
  readonly recovery: OpenReport;
}

/** What a store needs to host a repository: the repository itself, where its worker is, how its errors revive. */
export interface StoreHost<R extends object> {
  binding: RepositoryBinding<R>;
  worker(): WorkerLaunch;
  reviveError(error: SerializedError): Error;
}

interface Backend {
  call(method: string, args: unknown[]): Promise<unknown>;
  flush(): Promise<void>;
  close(): Promise<void>;
  recovery: StoreRecovery;
}

/** Opens the store of `options.workspaceDir` for the repository of `host`; see docs/tracking-store.md. */
export async function openStore<R extends object>(options: OpenStoreOptions, host: StoreHost<R>): Promise<TrackingStore<R>> {
  const paths = storePaths(options.workspaceDir);
  const log: Log = options.log ?? (() => undefined);
  const durability = durabilityOf(options.durability, process.env, log);
  mkdirSync(paths.dir, { recursive: true });
  const lock = await acquireLock(paths.lock, log);
  // Best effort for a process that exits without closing; a killed one leaves a stale lock, taken over next time.
  const releaseOnExit = () => lock.release();
  process.on('exit', releaseOnExit);

  const listeners = new Set<(changes: StoreChange[]) => void>();
  const dispatch = (changes: StoreChange[]) => {
    for (const listener of listeners) {
      try {
        listener(changes);
      } catch (error) {
        log('error', `A tracking store change listener failed: ${errorMessage(error)}`);
      }
    }
  };

  let backend: Backend;
  try {
    const opts = { ...options, durability };
    backend = options.inProcess ? await inProcess(opts, host, log, dispatch) : await inWorker(opts, host, log, dispatch);
  } catch (error) {
    process.off('exit', releaseOnExit);
    lock.release();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const call = (method: string, args: unknown[]) => backend.call(method, args);
  return {
    api: promisify<R>(call),
    call,
    onChange(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    flush: () => backend.flush(),
    close() {
      closing ??= backend.close().finally(() => {
        listeners.clear();
        process.off('exit', releaseOnExit);
        lock.release();
      });
      return closing;
    },
    paths,
    recovery: lock.takenOverFrom ? { ...backend.recovery, staleLockTakenOverFrom: lock.takenOverFrom } : backend.recovery,
  };
}

async function inProcess<R extends object>(
  options: OpenStoreOptions,
  host: StoreHost<R>,
  log: Log,
  dispatch: (changes: StoreChange[]) => void,
): Promise<Backend> {
  const batcher = new ChangeBatcher(dispatch);
  const engine = await TrackingEngine.open({
    workspaceDir: options.workspaceDir,
    binding: host.binding,
    log,
    savePolicy: defaultSavePolicy(options.saveDelayMs),
    ...(options.durability ? { durability: options.durability } : {}),
    onChanges: (changes) => batcher.add(changes),
  });
  return {
    call(method, args) {
      try {
        const value = engine.call(method, args);
        return engine.whenDurable().then(() => value);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    flush: () => engine.flush(),
    async close() {
      await engine.close();
      batcher.flush();
    },
    recovery: engine.recovery,
  };
}

async function inWorker<R extends object>(
  options: OpenStoreOptions,
  host: StoreHost<R>,
  log: Log,
  dispatch: (changes: StoreChange[]) => void,
): Promise<Backend> {
  const { client, recovery } = await WorkerClient.start({
    launch: host.worker(),
    config: { workspaceDir: options.workspaceDir, saveDelayMs: options.saveDelayMs, durability: options.durability ?? 'fsync' },
    log,
    onChanges: dispatch,
    reviveError: host.reviveError,
  });
  return {
    call: (method, args) => client.request({ type: 'call', method, args }),
    flush: async () => {
      await client.request({ type: 'flush' });
    },
    async close() {
      try {
        await client.request({ type: 'close' });
      } finally {
        await client.terminate();
      }
    },
    recovery,
  };
}

function promisify<R extends object>(call: (method: string, args: unknown[]) => Promise<unknown>): Promisified<R> {
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const target = {};
  return new Proxy(target, {
    get(_target, name) {
      // `then` must stay undefined, or awaiting the proxy would call the store.
      if (typeof name !== 'string' || name === 'then') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = (...args: unknown[]) => call(name, args);
        methods.set(name, method);
      }
      return method;
    },
  }) as Promisified<R>;
}
