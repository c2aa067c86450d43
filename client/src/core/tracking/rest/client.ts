import type { RepositoryMethod, TrackingApi } from '../repository';
import { withEmptyLists } from './protoDefaults';
import { ROUTES } from './server';
import { requestOptionsFromEnv, trackingRequest, type RequestOptions, type TrackingAuth } from './request';
import type { Route } from './routes/route';

function query(message: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(message)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The route serving each operation: the first one listed, so MLflow's own path before an alias. */
const BY_OP: ReadonlyMap<string, Route> = (() => {
  const byOp = new Map<string, Route>();
  for (const route of ROUTES) if (route.op && !byOp.has(route.op)) byOp.set(route.op, route);
  return byOp;
})();

/** Whether the operation is MLflow's own (a team's MLflow server has it) rather than one of our `/mlops/...` routes. */
export function isMlflowOperation(name: string): boolean {
  return BY_OP.get(name)?.path.startsWith('/mlflow/') ?? false;
}

export type OperationCaller = (name: RepositoryMethod, message: object) => Promise<unknown>;

/** Calls one operation at `baseUrl` through the route that serves it (query string for GET, JSON body otherwise); answers get protoDefaults' empty lists. */
export function operationCaller(baseUrl: string, auth: TrackingAuth | undefined, options: Partial<RequestOptions> = {}): OperationCaller {
  const settings: RequestOptions = { ...requestOptionsFromEnv(), ...options };
  const root = `${baseUrl.replace(/\/+$/, '')}/api/2.0`;
  return (name, message) => {
    const route = BY_OP.get(name);
    if (!route) return Promise.reject(new Error(`${name} is not available over the REST endpoint`));
    const answer =
      route.method === 'GET'
        ? trackingRequest('GET', `${root}${route.path}${query(message as Record<string, unknown>)}`, { auth, options: settings })
        : trackingRequest(route.method, `${root}${route.path}`, { body: message, auth, options: settings });
    return answer.then((a) => withEmptyLists(name, a));
  };
}

/**
 * The repository's operations over a running endpoint (the CLI's way in while the editor holds the
 * store): each call goes to the route that serves it, with a timeout and retries (request.ts, its
 * defaults from MLflow's MLFLOW_HTTP_REQUEST_* variables), and MLflow errors come back as MlflowErrors.
 */
export function restApi(baseUrl: string, auth: TrackingAuth | undefined, options: Partial<RequestOptions> = {}): TrackingApi {
  return apiOver(operationCaller(baseUrl, auth, options));
}

/** The operations as a TrackingApi, each sent through `call`. */
export function apiOver(call: OperationCaller): TrackingApi {
  return new Proxy({} as TrackingApi, {
    get(_target, name) {
      // `then` must stay undefined, or awaiting the proxy (an async function returning it) would call the endpoint.
      if (typeof name !== 'string' || name === 'then') return undefined;
      return (message: object) => call(name as RepositoryMethod, message);
    },
  });
}
