/** MLflow's error codes that this store raises, with the HTTP status MLflow's server gives each. */
export type MlflowErrorCode =
  'RESOURCE_DOES_NOT_EXIST' | 'INVALID_PARAMETER_VALUE' | 'RESOURCE_ALREADY_EXISTS' | 'INTERNAL_ERROR' | 'BAD_REQUEST';

const STATUS: Record<MlflowErrorCode, number> = {
  RESOURCE_DOES_NOT_EXIST: 404,
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  BAD_REQUEST: 400,
  INTERNAL_ERROR: 500,
};

/**
 * An error MLflow's API defines: the REST layer turns it into `{error_code, message}` with
 * `httpStatus()`. It crosses the worker boundary as plain data, so it carries nothing else.
 */
export class MlflowError extends Error {
  constructor(
    readonly errorCode: MlflowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MlflowError';
  }

  httpStatus(): number {
    return STATUS[this.errorCode];
  }
}

export const invalid = (message: string) => new MlflowError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', message);
export const exists = (message: string) => new MlflowError('RESOURCE_ALREADY_EXISTS', message);
