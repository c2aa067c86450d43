import type { Database } from 'sql.js';

// The engine's side of the contract with the domain repository (client/src/core/tracking/repository).
// The engine hosts any synchronous repository that follows it; `repositoryBinding.ts` plugs in the
// real one, and the tests plug in a small one of their own.

/** What a repository call changed; batched and delivered to `TrackingStore.onChange` listeners. */
export interface StoreChange {
  kind: 'experiment' | 'run' | 'metric' | 'param' | 'tag' | 'step' | 'model' | 'modelVersion' | 'alias' | 'monitor';
  ids: string[];
  op: 'create' | 'update' | 'delete';
}

/** Everything nondeterministic a repository may use; the engine records it so the journal replays exactly. */
export interface RepositoryEnv {
  /** Epoch milliseconds. */
  now(): number;
  /** 32 lowercase hex digits. */
  newId(): string;
  emit(change: StoreChange): void;
}

export interface RepositoryBinding<R extends object> {
  /** Idempotent schema creation and migration. */
  applySchema(db: Database): void;
  create(db: Database, env: RepositoryEnv, artifactRoot: string): R;
  /** Names of the methods that modify the database: these run in a transaction and are journaled. */
  writeMethods: ReadonlySet<string>;
}

/** An error as it crosses the worker boundary; `errorCode` carries MlflowError's code. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  errorCode?: string;
}

export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string) => void;
