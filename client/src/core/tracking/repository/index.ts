// The tracking store's domain: schema and MLflow operations over a sql.js database. The engine
// (../engine) hosts a TrackingRepository in a worker and journals the WRITE_METHODS calls.
import { type TrackingRepository } from './repository';

export { applySchema } from './schema';
export { MlflowError } from './errors';
export { TrackingRepository } from './repository';
export type * from './types';
export type { ImportedVersion } from './importing';
export type { Materialization, OnlineRow, OnlineValue } from './online';

export interface RepositoryEnv {
  /** Epoch ms; the only clock the repository uses (journal replay relies on it). */
  now(): number;
  /** 32 lowercase hex; the only source of ids. */
  newId(): string;
  /** What changed, so trees and charts refresh only that. */
  emit(change: StoreChange): void;
}

/**
 * `ids` by kind: experiment ids; run ids (run, metric, param, tag); [run id, step id] (step);
 * model names (model); [name, version] (modelVersion); [name, alias] (alias); monitor names;
 * feature view names (online: rows of the online store).
 */
export interface StoreChange {
  kind: 'experiment' | 'run' | 'metric' | 'param' | 'tag' | 'step' | 'model' | 'modelVersion' | 'alias' | 'monitor' | 'online';
  ids: string[];
  op: 'create' | 'update' | 'delete';
}

/** The repository's operations by name. */
export type RepositoryMethod = {
  [K in keyof TrackingRepository]: TrackingRepository[K] extends (req: never) => unknown ? K : never;
}[keyof TrackingRepository];

/** The same operations, asynchronous: what the worker-backed store exposes as `store.api`. */
export type Promisified<T> = {
  [K in keyof T]: T[K] extends (req: infer Req) => infer Res ? (req: Req) => Promise<Res> : never;
};
export type TrackingApi = Promisified<Pick<TrackingRepository, RepositoryMethod>>;

const WRITES: readonly RepositoryMethod[] = [
  'createExperiment',
  'updateExperiment',
  'deleteExperiment',
  'restoreExperiment',
  'setExperimentTag',
  'createRun',
  'updateRun',
  'deleteRun',
  'restoreRun',
  'logMetric',
  'logParam',
  'setTag',
  'deleteTag',
  'logInputs',
  'logBatch',
  'logModel',
  'createRegisteredModel',
  'renameRegisteredModel',
  'updateRegisteredModel',
  'deleteRegisteredModel',
  'setRegisteredModelTag',
  'deleteRegisteredModelTag',
  'setRegisteredModelAlias',
  'deleteRegisteredModelAlias',
  'createModelVersion',
  'updateModelVersion',
  'deleteModelVersion',
  'transitionModelVersionStage',
  'setModelVersionTag',
  'deleteModelVersionTag',
  'upsertStep',
  'recordMonitorResult',
  'importRun',
  'importModel',
  'writeOnlineRows',
  'recordMaterialization',
];

/** The methods that modify the database: the engine journals exactly these. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(WRITES);
