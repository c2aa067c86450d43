import type { RepositoryMethod, TrackingApi } from '../../repository';
import { emptyIfAbsent, type MessageSchema, msg } from '../validate';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What a handler may use besides the request message. */
export interface RouteDeps {
  api: TrackingApi;
  artifactRoot: string;
}

/** One MLflow endpoint: where it lives, its request message, and what answers it. */
export interface Route {
  method: Method;
  /** The path after /api/2.0 (MLflow's proto paths). */
  path: string;
  schema: MessageSchema;
  /** Older clients send the run id as run_uuid; MLflow accepts either. */
  runId?: boolean;
  /** The repository operation behind it, if it is one (the REST client maps calls back this way). */
  op?: RepositoryMethod;
  call(deps: RouteDeps, message: Record<string, unknown>): Promise<unknown>;
}

/** A route answered by one repository operation. */
export function op(method: Method, path: string, name: RepositoryMethod, schema: MessageSchema, options: { runId?: boolean } = {}): Route {
  return {
    method,
    path,
    schema,
    op: name,
    ...options,
    call: ({ api }, message) => (api[name] as (req: unknown) => Promise<unknown>)(message),
  };
}

export const KEY_VALUE = msg({ key: 'string', value: emptyIfAbsent });
