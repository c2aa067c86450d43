import { MlflowError } from '../repository/errors';

/** An HTTP-level refusal with MLflow's error body (auth, routing, malformed requests). */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const CODES = new Set(['RESOURCE_DOES_NOT_EXIST', 'INVALID_PARAMETER_VALUE', 'RESOURCE_ALREADY_EXISTS', 'INTERNAL_ERROR', 'BAD_REQUEST']);

/**
 * The status, error_code and message for anything a handler threw. An MlflowError that crossed
 * the worker boundary arrives as a plain object with the same fields, so both are recognised.
 */
export function errorResponse(error: unknown): {
  status: number;
  body: { error_code: string; message: string };
  headers: Record<string, string>;
} {
  if (error instanceof RestError)
    return { status: error.status, body: { error_code: error.errorCode, message: error.message }, headers: error.headers };
  if (error instanceof MlflowError)
    return { status: error.httpStatus(), body: { error_code: error.errorCode, message: error.message }, headers: {} };
  const e = error as { errorCode?: unknown; message?: unknown } | null;
  if (e && typeof e.errorCode === 'string' && CODES.has(e.errorCode)) {
    const mlflow = new MlflowError(e.errorCode as MlflowError['errorCode'], String(e.message ?? ''));
    return { status: mlflow.httpStatus(), body: { error_code: mlflow.errorCode, message: mlflow.message }, headers: {} };
  }
  return {
    status: 500,
    body: { error_code: 'INTERNAL_ERROR', message: 'Internal error in the tracking store; see the MLOps output for details.' },
    headers: {},
  };
}
