import { errorMessage } from '../../../../../common/src/errors';

/** A submission that did not go through; `auth` when the engine refused the token (a new one may help). */
export class SubmitError extends Error {
  override readonly name = 'SubmitError';
  constructor(
    message: string,
    readonly auth = false,
  ) {
    super(message);
  }
}

export interface EngineTarget {
  /** The engine's base URL, without a trailing slash. */
  readonly base: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Who it is, for messages: "Kubeflow Pipelines at https://...". */
  readonly what: string;
  /** How to give a token, for the message of a 401. */
  readonly tokenHint: string;
  readonly timeoutMs?: number;
}

/** `https://host/` as `https://host`; anything but http(s) is an error naming the option. */
export function engineBase(url: string, option: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SubmitError(`${option} must be a URL such as https://kubeflow.example.com, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new SubmitError(`${option} must be an http or https URL, got ${url}`);
  return parsed.href.replace(/\/+$/, '');
}

/** The bearer header: a token given with its `Bearer ` prefix (as `argo auth token` prints it) is sent as it is. */
const bearer = (token: string) => (/^bearer\s/i.test(token) ? token : `Bearer ${token}`);

/**
 * One request to an engine's REST API; its JSON answer, or a SubmitError that says what went wrong
 * where. With `missingOk`, a 404 is `undefined` (a lookup by name that found nothing).
 */
export async function engineRequest<T>(
  target: EngineTarget,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  options: { missingOk?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (target.token) headers.Authorization = bearer(target.token);
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(`${target.base}${path}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
      signal: AbortSignal.timeout(target.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === 'TimeoutError' ? 'no answer in time' : (cause?.code ?? cause?.message ?? errorMessage(error));
    throw new SubmitError(`cannot reach ${target.what}: ${why}`);
  }
  const text = await response.text();
  let answer: unknown;
  try {
    answer = text ? JSON.parse(text) : {};
  } catch {
    answer = undefined;
  }
  if (response.status === 401 || response.status === 403)
    throw new SubmitError(
      `${target.what} refused the request (HTTP ${response.status}${serverMessage(answer, text) ? `: ${serverMessage(answer, text)}` : ''}); ${target.token ? 'the token was not accepted' : 'it needs a token'}: ${target.tokenHint}`,
      true,
    );
  if (response.status === 404 && options.missingOk) return undefined as T;
  if (!response.ok)
    throw new SubmitError(
      `${target.what} answered ${method} ${path} with HTTP ${response.status}: ${serverMessage(answer, text) || response.statusText}`,
    );
  if (answer === undefined)
    throw new SubmitError(`${target.what} answered ${method} ${path} with something that is not JSON: ${text.slice(0, 200)}`);
  return answer as T;
}

/** The message of a googleRpcStatus (KFP) or grpc-gateway error (Argo): `{code, message}`. */
function serverMessage(answer: unknown, text: string): string {
  const message =
    (answer as { message?: unknown; error?: unknown } | undefined)?.message ?? (answer as { error?: unknown } | undefined)?.error;
  return typeof message === 'string' ? message : text.trim().slice(0, 300);
}
