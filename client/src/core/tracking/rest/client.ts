import type { TrackingApi } from '../repository';
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

/**
 * The repository's operations over a running endpoint (the CLI's way in while the editor holds the
 * store): each call goes to the route that serves it, with a timeout and retries (request.ts, its
 * defaults from MLflow's MLFLOW_HTTP_REQUEST_* variables), and MLflow errors come back as MlflowErrors.
 */
export function restApi(baseUrl: string, auth: TrackingAuth | undefined, options: Partial<RequestOptions> = {}): TrackingApi {
  const settings: RequestOptions = { ...requestOptionsFromEnv(), ...options };
  const root = `${baseUrl.replace(/\/+$/, '')}/api/2.0`;
  const byOp = new Map<string, Route>();
  for (const route of ROUTES) if (route.op && !byOp.has(route.op)) byOp.set(route.op, route);
  return new Proxy({} as TrackingApi, {
    get(_target, name) {
      // `then` must stay undefined, or awaiting the proxy (an async function returning it) would call the endpoint.
      if (typeof name !== 'string' || name === 'then') return undefined;
      const route = byOp.get(name);
      if (!route) return () => Promise.reject(new Error(`${name} is not available over the REST endpoint`));
      return (message: Record<string, unknown>) =>
        route.method === 'GET'
          ? trackingRequest('GET', `${root}${route.path}${query(message)}`, { auth, options: settings })
          : trackingRequest(route.method, `${root}${route.path}`, { body: message, auth, options: settings });
    },
  });
}
