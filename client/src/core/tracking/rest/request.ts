import { MlflowError, type MlflowErrorCode } from '../repository/errors';

/**
 * One JSON call to a tracking endpoint (ours or a team's MLflow server), made robust the way
 * MLflow's own client is: a timeout on every attempt, retries with exponential backoff and jitter
 * on connection errors, timeouts, 429 and 5xx (not 501, which is an answer), `Retry-After`
 * honoured, and errors that carry the server's own message.
 */

/** The codes the repository raises: these come back as MlflowErrors, as if the store were local. */
const MLFLOW_CODES: ReadonlySet<string> = new Set<MlflowErrorCode>([
  'RESOURCE_DOES_NOT_EXIST',
  'INVALID_PARAMETER_VALUE',
  'RESOURCE_ALREADY_EXISTS',
  'INTERNAL_ERROR',
  'BAD_REQUEST',
]);

/** Connection failures worth another attempt (a `cause.code` of fetch's "fetch failed", or a Node socket error). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export interface RetryInfo {
  readonly method: string;
  /** The URL's path (no query string). */
  readonly path: string;
  /** The attempt that failed (1 for the first call). */
  readonly attempt: number;
  /** All attempts allowed: retries + 1. */
  readonly maxAttempts: number;
  readonly delayMs: number;
  /** Why: `HTTP 503`, `ECONNREFUSED`, `timed out after 30 s`. */
  readonly reason: string;
}

export interface RequestOptions {
  /** Each attempt's limit, connection to last byte (MLFLOW_HTTP_REQUEST_TIMEOUT, seconds; default 30). */
  readonly timeoutMs: number;
  /** Retries after the first attempt (MLFLOW_HTTP_REQUEST_MAX_RETRIES; default 5). */
  readonly maxRetries: number;
  /** Delay before retry n is factor × 2^(n-1) (MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR, seconds; default 2). */
  readonly backoffFactorMs: number;
  /** Up to this much random delay is added to each backoff (MLFLOW_HTTP_REQUEST_BACKOFF_JITTER, seconds; default 1). */
  readonly backoffJitterMs: number;
  /** No wait is longer, `Retry-After` included (60 s). */
  readonly maxBackoffMs: number;
  /** Told before each wait, so a CLI or the UI can show progress. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** The fetch to use: the global one, or one with a team server's TLS settings (tls.ts). */
  readonly fetch?: typeof fetch;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number, integer = false): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value)))
    throw new Error(`${name} must be ${integer ? 'a whole number' : 'a number of seconds'} (0 or more), not "${text}"`);
  return value;
}

/** The request options from MLflow's client environment variables, with MLflow-like defaults. */
export function requestOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RequestOptions {
  return {
    timeoutMs: seconds(env, 'MLFLOW_HTTP_REQUEST_TIMEOUT', 30) * 1000,
    maxRetries: seconds(env, 'MLFLOW_HTTP_REQUEST_MAX_RETRIES', 5, true),
    backoffFactorMs: seconds(env, 'MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', 2) * 1000,
    backoffJitterMs: seconds(env, 'MLFLOW_HTTP_REQUEST_BACKOFF_JITTER', 1) * 1000,
    maxBackoffMs: 60_000,
  };
}

/** How the client identifies itself: MLflow's MLFLOW_TRACKING_TOKEN, or a user name and password (basic auth). */
export type TrackingAuth = { readonly token: string } | { readonly username: string; readonly password: string };

function authorization(auth: TrackingAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if ('token' in auth) return { Authorization: `Bearer ${auth.token}` };
  return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
}

/** The server refused the credentials (HTTP 401 or 403). */
export class TrackingAuthError extends Error {
  constructor(
    readonly status: number,
    /** The server's origin, `http://host:port`. */
    readonly server: string,
    detail: string,
  ) {
    super(`the tracking server at ${server} refused the credentials (HTTP ${status}${detail ? `: ${detail}` : ''})`);
    this.name = 'TrackingAuthError';
  }
}

const formatSeconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The code of a connection failure worth retrying, or undefined. */
function connectionCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && CONNECTION_CODES.has(code)) return code;
    if (/socket hang up|other side closed/i.test(e.message)) return code ?? 'ECONNRESET';
  }
  return undefined;
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP-date), or undefined. */
function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

type Outcome =
  { kind: 'response'; status: number; bytes: Buffer; retryAfter: string | null } | { kind: 'failure'; reason: string; error: unknown };

interface ErrorBody {
  error_code?: unknown;
  message?: unknown;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const quote = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** The error for a final non-2xx answer: MlflowError, TrackingAuthError or an Error with the status, code and server message. */
function httpError(method: string, url: URL, status: number, text: string, attempts: number): Error {
  const body = parse(text);
  const json = body && typeof body === 'object' ? (body as ErrorBody) : undefined;
  const code = typeof json?.error_code === 'string' ? json.error_code : undefined;
  const message = typeof json?.message === 'string' ? json.message : undefined;
  const detail = json ? [code, message].filter(Boolean).join(': ') : text.trim() ? quote(text) : '';
  if (status === 401 || status === 403) return new TrackingAuthError(status, url.origin, detail);
  if (code && MLFLOW_CODES.has(code)) return new MlflowError(code as MlflowErrorCode, message ?? '');
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  return new Error(`${method} ${url.origin}${url.pathname}: HTTP ${status}${detail ? ` ${detail}` : ''}${tries}`);
}

/**
 * Sends one JSON request (`body`, if given, as `application/json`, the same bytes on every
 * attempt) and returns the parsed JSON answer, retrying what MLflow's client retries.
 */
export async function trackingRequest(
  method: string,
  url: string,
  init: { body?: unknown; auth?: TrackingAuth | undefined; options: RequestOptions },
): Promise<unknown> {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const answer = await send(method, url, { ...init, body, contentType: 'application/json' });
  const text = answer.toString('utf8');
  const parsed = parse(text);
  if (parsed === undefined) throw new Error(`${method} ${new URL(url).origin}${new URL(url).pathname}: not JSON: ${quote(text)}`);
  return parsed;
}

/**
 * An artifact transfer through MLflow's `mlflow-artifacts` proxy: `PUT` with the file's bytes, or
 * `GET` for them; the same timeouts, retries and errors as `trackingRequest`.
 */
export function artifactRequest(
  method: 'GET' | 'PUT',
  url: string,
  init: { body?: Uint8Array; auth?: TrackingAuth | undefined; options: RequestOptions },
): Promise<Buffer> {
  return send(method, url, { ...init, contentType: 'application/octet-stream' });
}

async function send(
  method: string,
  url: string,
  init: { body?: string | Uint8Array | undefined; contentType: string; auth?: TrackingAuth | undefined; options: RequestOptions },
): Promise<Buffer> {
  const { options, body } = init;
  const target = new URL(url);
  const where = `${method} ${target.origin}${target.pathname}`;
  const headers = { ...authorization(init.auth), ...(body === undefined ? {} : { 'Content-Type': init.contentType }) };
  const maxAttempts = Math.max(0, Math.floor(options.maxRetries)) + 1;
  for (let attempt = 1; ; attempt++) {
    let outcome: Outcome;
    try {
      const response = await (options.fetch ?? fetch)(target, {
        method,
        headers,
        ...(body === undefined ? {} : { body: body as string }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      outcome = {
        kind: 'response',
        status: response.status,
        bytes: Buffer.from(await response.arrayBuffer()),
        retryAfter: response.headers.get('Retry-After'),
      };
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
        outcome = { kind: 'failure', reason: `timed out after ${formatSeconds(options.timeoutMs)}`, error };
      else {
        const code = connectionCode(error);
        if (!code) throw new Error(`${where}: ${errorText(error)}`, { cause: error });
        outcome = { kind: 'failure', reason: code === 'ECONNREFUSED' ? 'connection refused (ECONNREFUSED)' : code, error };
      }
    }
    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) return outcome.bytes;
    const retryable = outcome.kind === 'failure' || outcome.status === 429 || (outcome.status >= 500 && outcome.status !== 501);
    if (!retryable || attempt >= maxAttempts) {
      if (outcome.kind === 'response') throw httpError(method, target, outcome.status, outcome.bytes.toString('utf8'), attempt);
      throw new Error(`${where}: ${outcome.reason}${attempt > 1 ? ` (gave up after ${attempt} attempts)` : ''}`, { cause: outcome.error });
    }
    let delay = options.backoffFactorMs * 2 ** (attempt - 1) + Math.random() * options.backoffJitterMs;
    if (outcome.kind === 'response' && (outcome.status === 429 || outcome.status === 503))
      delay = retryAfterMs(outcome.retryAfter) ?? delay;
    delay = Math.min(delay, options.maxBackoffMs);
    const reason = outcome.kind === 'response' ? `HTTP ${outcome.status}` : outcome.reason;
    options.onRetry?.({ method, path: target.pathname, attempt, maxAttempts, delayMs: delay, reason });
    await sleep(delay);
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
