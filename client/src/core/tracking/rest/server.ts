import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { errorStack } from '../../../../../common/src/errors';
import type { TrackingApi } from '../repository';
import { bearerCheck, isLoopbackHost, LOOPBACK_ADDRESSES, newToken } from './auth';
import { CHANGES_PATH } from './changeFeed';
import { clientErrorHandler } from './clientError';
import { errorResponse, RestError } from './errors';
import { MAX_BODY_BYTES, parseJsonBody, readBody, sendJson } from './http';
import { BULK_INTERVAL_ROUTE } from './routes/bulkInterval';
import { CHART_ROUTES } from './routes/charts';
import { ARTIFACTS_PREFIX, handleArtifacts, MULTIPART_UPLOAD_PATH, refuseMultipartUpload, RUN_ARTIFACT_ROUTES } from './routes/artifacts';
import { EXPERIMENT_ROUTES } from './routes/experiments';
import { IMPORT_ROUTES } from './routes/importing';
import { REGISTRY_ROUTES } from './routes/registry';
import type { Route, RouteDeps } from './routes/route';
import { RUN_ROUTES } from './routes/runs';
import { MONITOR_ROUTES } from './routes/monitors';
import { ONLINE_ROUTES } from './routes/online';
import { STEP_ROUTES } from './routes/steps';
import { fromBody, fromQuery } from './validate';

/** Feast's feature server path (not under /api/2.0). */
const ONLINE_FEATURES_PATH = '/get-online-features';

export const ROUTES: readonly Route[] = [
  ...EXPERIMENT_ROUTES,
  ...RUN_ROUTES,
  BULK_INTERVAL_ROUTE,
  ...RUN_ARTIFACT_ROUTES,
  ...REGISTRY_ROUTES,
  ...STEP_ROUTES,
  ...CHART_ROUTES,
  ...MONITOR_ROUTES,
  ...IMPORT_ROUTES,
  ...ONLINE_ROUTES,
];

export interface RestServerOptions {
  api: TrackingApi;
  /** Absolute path of <workspace>/.mlops/artifacts. */
  artifactRoot: string;
  /** A loopback address only. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Generated (32 random bytes, hex) when not given. */
  token?: string;
  maxBodyBytes?: number;
  /**
   * Answers `POST /get-online-features` (Feast's feature server) with the token like every route;
   * an Error named RetrievalError or FeatureDefinitionError becomes a 400. Left out under mlflowOnly.
   */
  onlineFeatures?: (body: unknown) => Promise<unknown>;
  log?: (line: string) => void;
  /** Problems worth a line even where requests are not logged: an internal error, a request Node's HTTP parser refused. */
  warn?: (line: string) => void;
  /**
   * Answer as a team's MLflow server would (`mlops serve --mlflow-only`): our `/mlops/...` routes
   * do not exist, and artifact URIs are `mlflow-artifacts:/...`, reached through the artifact proxy.
   */
  mlflowOnly?: boolean;
  /** Answers `GET /api/2.0/mlops/changes` (the change stream, rest/changeFeed.ts); left out under mlflowOnly. */
  changes?: (req: IncomingMessage, res: ServerResponse, url: URL) => void;
}

export interface RestServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const URI_FIELDS = new Set(['artifact_uri', 'artifact_location', 'root_uri']);

/**
 * The answer with every `file:` URI under the artifact root as MLflow's server with
 * `--serve-artifacts` hands it out: `mlflow-artifacts:/<experiment>/<run>/artifacts`.
 */
function proxiedArtifactUris(value: unknown, rootUrl: string): unknown {
  if (Array.isArray(value)) return value.map((item) => proxiedArtifactUris(item, rootUrl));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (URI_FIELDS.has(key) && typeof field === 'string' && `${field}/`.startsWith(rootUrl))
      out[key] = `mlflow-artifacts:/${field.slice(rootUrl.length)}`.replace(/\/+$/, '');
    else out[key] = proxiedArtifactUris(field, rootUrl);
  }
  return out;
}

/** `/api/2.0/...` and the UI's `/ajax-api/2.0/...` reach the same routes; `mlops/` ones are ours. */
const API_PREFIX = /^\/(?:ajax-)?api\/2\.0(\/(?:mlflow|mlops)\/.*)$/;

function routeFor(pathname: string, method: string, mlflowOnly: boolean): Route {
  const match = API_PREFIX.exec(pathname);
  const candidates = match && !(mlflowOnly && match[1]!.startsWith('/mlops/')) ? ROUTES.filter((r) => r.path === match[1]) : [];
  if (candidates.length === 0) throw new RestError(404, 'ENDPOINT_NOT_FOUND', `No API endpoint at ${pathname}.`);
  const route = candidates.find((r) => r.method === method);
  if (!route) {
    const allowed = candidates.map((r) => r.method).join(', ');
    throw new RestError(405, 'BAD_REQUEST', `Method ${method} is not allowed for ${pathname}; use ${allowed}.`, { Allow: allowed });
  }
  return route;
}

async function requestMessage(req: IncomingMessage, route: Route, url: URL, maxBody: number): Promise<Record<string, unknown>> {
  if (route.method === 'GET') return fromQuery(route.schema, url.searchParams);
  const body = await readBody(req, maxBody);
  // DELETE requests may carry their fields in the query string instead of a body.
  if (body.length === 0 && route.method === 'DELETE' && [...url.searchParams.keys()].length > 0)
    return fromQuery(route.schema, url.searchParams);
  return fromBody(route.schema, parseJsonBody(body, req.headers['content-type']));
}

function withRunId(route: Route, message: Record<string, unknown>): Record<string, unknown> {
  if (!route.runId) return message;
  const { run_uuid: runUuid, ...rest } = message;
  const runId = rest.run_id || runUuid;
  if (typeof runId !== 'string' || runId === '') {
    throw new RestError(
      400,
      'INVALID_PARAMETER_VALUE',
      "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.",
    );
  }
  return { ...rest, run_id: runId };
}

/** The MLflow-compatible endpoint: loopback only, bearer token, no CORS. */
export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const requested = options.host ?? '127.0.0.1';
  if (!LOOPBACK_ADDRESSES.has(requested)) throw new Error(`the tracking endpoint listens on loopback only, not on ${requested}`);
  const host = requested === '::1' ? '::1' : '127.0.0.1';
  const token = options.token ?? newToken();
  const tokenMatches = bearerCheck(token);
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const deps: RouteDeps = { api: options.api, artifactRoot: options.artifactRoot };
  const artifactRootUrl = pathToFileURL(options.artifactRoot).href.replace(/\/*$/, '/');
  let port = 0;
  const problem = (line: string) => {
    options.log?.(line);
    options.warn?.(line);
  };

  async function answerOnline(req: IncomingMessage, res: ServerResponse, online: (body: unknown) => Promise<unknown>): Promise<number> {
    if (req.method !== 'POST')
      throw new RestError(405, 'BAD_REQUEST', `Method ${req.method} is not allowed for ${ONLINE_FEATURES_PATH}; use POST.`, {
        Allow: 'POST',
      });
    const body = parseJsonBody(await readBody(req, maxBody), req.headers['content-type']);
    const answer = await online(body).catch((error: unknown) => {
      const name = (error as Error | undefined)?.name;
      if (error instanceof Error && (name === 'RetrievalError' || name === 'FeatureDefinitionError'))
        throw new RestError(400, 'INVALID_PARAMETER_VALUE', error.message);
      throw error;
    });
    sendJson(res, 200, answer);
    return 200;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    if (!isLoopbackHost(req.headers.host, port))
      throw new RestError(403, 'PERMISSION_DENIED', 'This endpoint answers only to localhost, 127.0.0.1 and [::1].');
    // No CORS: a preflight gets no Access-Control-* headers, so browsers never send the request.
    if (req.method === 'OPTIONS') throw new RestError(405, 'BAD_REQUEST', 'OPTIONS is not supported.');
    if (!tokenMatches(req.headers.authorization)) {
      throw new RestError(
        401,
        'UNAUTHENTICATED',
        'Missing or wrong bearer token: set MLFLOW_TRACKING_TOKEN to the token in .mlops/server.json.',
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const online = options.onlineFeatures && !options.mlflowOnly ? options.onlineFeatures : undefined;
    // The online lookup's path, as clients send it, skips the URL parse: it is the route that must be quick.
    if (online && req.url === ONLINE_FEATURES_PATH) return answerOnline(req, res, online);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === ARTIFACTS_PREFIX || url.pathname.startsWith(`${ARTIFACTS_PREFIX}/`)) {
      await handleArtifacts(req, res, url, options.artifactRoot);
      return res.statusCode;
    }
    if (MULTIPART_UPLOAD_PATH.test(url.pathname)) throw refuseMultipartUpload(req.method, url.pathname);
    if (online && url.pathname === ONLINE_FEATURES_PATH) return answerOnline(req, res, online);
    if (options.changes && !options.mlflowOnly && API_PREFIX.exec(url.pathname)?.[1] === CHANGES_PATH) {
      if (req.method !== 'GET')
        throw new RestError(405, 'BAD_REQUEST', `Method ${req.method} is not allowed for ${url.pathname}; use GET.`, { Allow: 'GET' });
      options.changes(req, res, url);
      return 200;
    }
    const route = routeFor(url.pathname, req.method ?? 'GET', options.mlflowOnly ?? false);
    const message = withRunId(route, await requestMessage(req, route, url, maxBody));
    const answer = await route.call(deps, message);
    sendJson(res, 200, options.mlflowOnly ? proxiedArtifactUris(answer, artifactRootUrl) : answer);
    return 200;
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    handle(req, res).then(
      (status) => options.log?.(`${req.method} ${req.url?.split('?')[0]} ${status} ${Date.now() - started}ms`),
      (error: unknown) => {
        const { status, body, headers } = errorResponse(error);
        if (status === 500) problem(`${req.method} ${req.url?.split('?')[0]} failed: ${errorStack(error)}`);
        else options.log?.(`${req.method} ${req.url?.split('?')[0]} ${status} ${body.error_code}`);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        sendJson(res, status, body, headers);
        // After refusing an oversized body, drop the connection rather than read the rest.
        if (headers.Connection === 'close') res.on('finish', () => req.socket.destroy());
      },
    );
  });
  // What Node's parser refuses (a URL over its header limit) still gets MLflow's error shape.
  server.on('clientError', clientErrorHandler(problem));
  // Slow or stalled clients must not pin connections forever.
  server.headersTimeout = 30_000;
  server.requestTimeout = 5 * 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = host === '::1' ? '[::1]' : '127.0.0.1';
  return {
    url: `http://${urlHost}:${port}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
