import * as vscode from 'vscode';
import { errorMessage } from '../../../common/src/errors';
import { Settings } from '../../../common/src/settings';
import { checkTrackingUri } from '../core/tracking/choice';
import { ChangePoller } from '../core/tracking/remote/changePoller';
import type { RemoteArtifacts } from '../core/tracking/remote/artifacts';
import { drainAbandoned, pendingCount, SpoolingApi } from '../core/tracking/remote/outbox';
import { remoteStore } from '../core/tracking/remote/remoteStore';
import { WRITE_METHODS, type StoreChange, type TrackingApi } from '../core/tracking/repository';
import { requestOptionsFromEnv, type RequestOptions, type TrackingAuth } from '../core/tracking/rest/request';
import { tlsFetch, tlsFromEnv } from '../core/tracking/rest/tls';
import type { WorkspaceTracking } from '../core/tracking/workspaceServer';
import { setting } from './config';
import { chooseCredentials, hostOf, secretKey } from './storeLabel';

/** The credentials for a server: what the user stored in SecretStorage, else MLflow's variables of the editor's environment. */
export async function credentialsFor(secrets: vscode.SecretStorage, url: string): Promise<TrackingAuth | undefined> {
  return chooseCredentials(await secrets.get(secretKey(url)), process.env).auth;
}

/** "MLOps: Set Tracking Server Credentials": a token, or a user and password, into SecretStorage (never settings). */
export async function askCredentials(secrets: vscode.SecretStorage, url: string): Promise<boolean> {
  const host = hostOf(url);
  const stored = await secrets.get(secretKey(url));
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(key) Access token', detail: 'Sent as Authorization: Bearer (MLFLOW_TRACKING_TOKEN)', value: 'token' as const },
      {
        label: '$(account) User name and password',
        detail: 'Sent as basic auth (MLFLOW_TRACKING_USERNAME / PASSWORD)',
        value: 'basic' as const,
      },
      ...(stored
        ? [
            {
              label: '$(trash) Forget the stored credentials',
              detail: 'Use the editor environment’s MLFLOW_TRACKING_* variables again',
              value: 'clear' as const,
            },
          ]
        : []),
    ],
    {
      title: `Credentials for ${host}`,
      placeHolder: stored
        ? 'Credentials are stored for this server; replace or forget them (kept in the editor’s secret storage, never in settings)'
        : 'Kept in the editor’s secret storage, never in settings',
    },
  );
  if (!kind) return false;
  if (kind.value === 'clear') {
    await secrets.delete(secretKey(url));
    return true;
  }
  if (kind.value === 'token') {
    const token = await vscode.window.showInputBox({
      title: `Access token for ${host}`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'Paste the token' : undefined),
    });
    if (!token?.trim()) return false;
    await secrets.store(secretKey(url), JSON.stringify({ token: token.trim() }));
    return true;
  }
  const username = await vscode.window.showInputBox({
    title: `User name for ${host}`,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Type the user name' : undefined),
  });
  if (!username?.trim()) return false;
  const password = await vscode.window.showInputBox({
    title: `Password for ${username.trim()}@${host}`,
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return false;
  await secrets.store(secretKey(url), JSON.stringify({ username: username.trim(), password }));
  return true;
}

export interface RemoteConnection {
  readonly tracking: WorkspaceTracking;
  readonly auth: TrackingAuth | undefined;
  readonly spool: SpoolingApi;
  readonly poller: ChangePoller;
  readonly artifacts: RemoteArtifacts;
}

/** Reads go straight through; after a write (WRITE_METHODS) the poller looks at once, so the views show it without waiting. */
function pokingApi(api: TrackingApi, poke: () => void): TrackingApi {
  return new Proxy({} as TrackingApi, {
    get(_target, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      const op = api[name as keyof TrackingApi] as ((m: unknown) => Promise<unknown>) | undefined;
      if (typeof op !== 'function' || !WRITE_METHODS.has(name)) return op;
      return async (message: unknown) => {
        const answer = await op(message);
        poke();
        return answer;
      };
    },
  });
}

/**
 * The editor on a team's MLflow server (`mlops.tracking.uri`): the remote API with the outbox in
 * front of it, change events from polling, and the outbox left by earlier processes sent in the
 * background. TLS: `mlops.tracking.caBundle` over MLFLOW_TRACKING_INSECURE_TLS and
 * MLFLOW_TRACKING_SERVER_CERT_PATH of the editor's environment.
 */
export async function openRemote(options: {
  secrets: vscode.SecretStorage;
  workspaceDir: string;
  uri: string;
  visible: () => boolean;
  onReachability: (reachable: boolean, error?: unknown) => void;
  onSpool: (pending: number, error: string) => void;
  log: (line: string) => void;
}): Promise<RemoteConnection> {
  const url = checkTrackingUri(options.uri, 'mlops.tracking.uri');
  const auth = await credentialsFor(options.secrets, url);
  const caBundle = setting(Settings.trackingCaBundle).trim();
  const fetch = tlsFetch({ ...tlsFromEnv(process.env), ...(caBundle ? { caBundle } : {}) });
  const requestOptions: RequestOptions = { ...requestOptionsFromEnv(), ...(fetch ? { fetch } : {}) };
  const remote = remoteStore(url, auth, requestOptions);
  // The poller asks often and learns soon that the server is away: one retry, a short timeout.
  const probe = remoteStore(url, auth, { ...requestOptions, maxRetries: 1, timeoutMs: Math.min(requestOptions.timeoutMs, 10_000) });
  const spool = new SpoolingApi(remote.api, options.workspaceDir, url, ({ pending, error }) => options.onSpool(pending, error));
  const listeners = new Set<(changes: StoreChange[]) => void>();
  const poller = new ChangePoller(probe.api, (changes) => listeners.forEach((l) => l(changes)), options.visible, options.onReachability);
  poller.start();
  if (pendingCount(options.workspaceDir, url) > 0)
    void drainAbandoned(remote.api, options.workspaceDir, url).then(
      (r) => r.sent > 0 && options.log(`Sent ${r.sent} waiting write${r.sent === 1 ? '' : 's'} from .mlops/outbox to ${url}`),
      (error: unknown) => options.log(`Could not send the outbox to ${url}: ${errorMessage(error)}`),
    );
  const token = auth && 'token' in auth ? auth.token : '';
  const tracking: WorkspaceTracking = {
    api: pokingApi(spool.api, () => poller.poke()),
    url,
    token,
    role: 'remote',
    ownerPid: 0,
    runner: { api: spool.api, url, ...(token ? { token } : {}), ...(auth ? { auth } : {}), remote: { artifacts: remote.artifacts } },
    onChange: (listener) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    close: async () => {
      poller.dispose();
      await spool.flush().catch(() => undefined);
      spool.dispose();
    },
  };
  return { tracking, auth, spool, poller, artifacts: remote.artifacts };
}
