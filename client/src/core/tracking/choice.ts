import type { TrackingAuth } from './rest/request';

/**
 * Which store a process tracks into: the workspace database, or a team's MLflow tracking server.
 * The CLI takes `--tracking-uri`, then MLFLOW_TRACKING_URI (as every MLflow client does), then the
 * workspace; the editor takes `mlops.tracking.uri`.
 */
export type TrackingChoice =
  { readonly kind: 'workspace' } | { readonly kind: 'remote'; readonly url: string; readonly from: 'flag' | 'environment' | 'setting' };

/** An http(s) URL without a trailing slash, or an error naming where it came from. */
export function checkTrackingUri(uri: string, from: string): string {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new Error(`${from}: '${uri}' is not a URL; give the tracking server's http:// or https:// address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(
      `${from}: '${uri}' is not an http(s) tracking server${url.protocol === 'file:' || url.protocol === 'sqlite:' ? '; a local store is the workspace database (leave it empty)' : ''}`,
    );
  if (url.username || url.password)
    throw new Error(`${from}: put credentials in MLFLOW_TRACKING_USERNAME/PASSWORD or a token, not in the URL`);
  return url.href.replace(/\/+$/, '');
}

/**
 * The CLI's choice. MLFLOW_TRACKING_URI pointing at a workspace endpoint (`mlops serve`, the
 * editor's) is not a team server: the editor sets it for its own terminals, so it means the
 * workspace, reached as before.
 */
export function chooseTracking(options: { flag?: string; env: NodeJS.ProcessEnv; workspaceUrl?: string }): TrackingChoice {
  if (options.flag !== undefined && options.flag.trim() !== '') {
    if (options.flag.trim() === 'workspace') return { kind: 'workspace' };
    return { kind: 'remote', url: checkTrackingUri(options.flag, '--tracking-uri'), from: 'flag' };
  }
  const fromEnv = options.env.MLFLOW_TRACKING_URI?.trim();
  if (fromEnv && /^https?:/i.test(fromEnv)) {
    const url = checkTrackingUri(fromEnv, 'MLFLOW_TRACKING_URI');
    if (options.workspaceUrl && url === options.workspaceUrl.replace(/\/+$/, '')) return { kind: 'workspace' };
    return { kind: 'remote', url, from: 'environment' };
  }
  return { kind: 'workspace' };
}

/** MLflow's credential variables: a bearer token, or a user and password (basic auth). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): TrackingAuth | undefined {
  const token = env.MLFLOW_TRACKING_TOKEN?.trim();
  if (token) return { token };
  const username = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (username && password !== undefined) return { username, password };
  return undefined;
}

/** The variables that hand credentials on to a step process or a terminal. */
export function credentialsEnv(auth: TrackingAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if ('token' in auth) return { MLFLOW_TRACKING_TOKEN: auth.token };
  return { MLFLOW_TRACKING_USERNAME: auth.username, MLFLOW_TRACKING_PASSWORD: auth.password };
}
