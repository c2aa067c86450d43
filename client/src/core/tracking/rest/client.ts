import type { TrackingApi } from '../repository';
import { MlflowError } from '../repository/errors';
import { ROUTES } from './server';
import type { Route } from './routes/route';

const MLFLOW_CODES = new Set([
  'RESOURCE_DOES_NOT_EXIST',
  'INVALID_PARAMETER_VALUE',
  'RESOURCE_ALREADY_EXISTS',
  'INTERNAL_ERROR',
  'BAD_REQUEST',
]);

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
 * store): each call goes to the route that serves it, and MLflow errors come back as MlflowErrors.
 */
export function restApi(baseUrl: string, token: string): TrackingApi {
  const byOp = new Map<string, Route>();
  for (const route of ROUTES) if (route.op && !byOp.has(route.op)) byOp.set(route.op, route);
  return new Proxy({} as TrackingApi, {
    get(_target, name) {
      // `then` must stay undefined, or awaiting the proxy (an async function returning it) would call the endpoint.
      if (typeof name !== 'string' || name === 'then') return undefined;
      const route = byOp.get(name);
      if (!route) return () => Promise.reject(new Error(`${name} is not available over the REST endpoint`));
      return async (message: Record<string, unknown>) => {
        const hasQuery = route.method === 'GET';
        const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/api/2.0${route.path}${hasQuery ? query(message) : ''}`, {
          method: route.method,
          headers: { Authorization: `Bearer ${token}`, ...(hasQuery ? {} : { 'Content-Type': 'application/json' }) },
          ...(hasQuery ? {} : { body: JSON.stringify(message) }),
        });
        const text = await response.text();
        let body: { error_code?: string; message?: string } & Record<string, unknown>;
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          throw new Error(`${route.method} ${route.path}: HTTP ${response.status} ${text.slice(0, 200)}`);
        }
        if (response.ok) return body;
        if (body.error_code && MLFLOW_CODES.has(body.error_code))
          throw new MlflowError(body.error_code as MlflowError['errorCode'], body.message ?? '');
        throw new Error(`${route.method} ${route.path}: HTTP ${response.status} ${body.error_code ?? ''} ${body.message ?? ''}`.trim());
      };
    },
  });
}
