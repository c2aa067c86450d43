import { applySchema, MlflowError, TrackingRepository, WRITE_METHODS } from '../repository';
import type { RepositoryBinding, SerializedError } from './contract';
import { sqlJsHeapBytes } from './sqlite';

/** The real domain repository, as the engine hosts it. */
export const trackingBinding: RepositoryBinding<TrackingRepository> = {
  applySchema,
  create: (db, env, artifactRoot) => new TrackingRepository(db, env, { artifactRoot, wasmHeapBytes: sqlJsHeapBytes }),
  writeMethods: WRITE_METHODS,
};

/** Errors from the worker become MlflowErrors again (the REST layer maps their codes to HTTP statuses). */
export function reviveTrackingError(error: SerializedError): Error {
  const revived =
    error.errorCode === undefined ? new Error(error.message) : new MlflowError(error.errorCode as MlflowError['errorCode'], error.message);
  revived.name = error.name;
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}
