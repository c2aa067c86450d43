import * as vscode from 'vscode';
import { errorMessage } from '../../../common/src/errors';
import { Settings } from '../../../common/src/settings';
import { checkTrackingUri, credentialsFromEnv } from '../core/tracking/choice';
import { ChangePoller } from '../core/tracking/remote/changePoller';
import { drainAbandoned, pendingCount, SpoolingApi } from '../core/tracking/remote/outbox';
import { remoteStore } from '../core/tracking/remote/remoteStore';
import type { StoreChange } from '../core/tracking/repository';
import type { TrackingAuth } from '../core/tracking/rest/request';
import { tlsFetch, tlsFromEnv } from '../core/tracking/rest/tls';
import type { WorkspaceTracking } from '../core/tracking/workspaceServer';
import { setting } from './config';

const secretKey = (url: string) => `mlops.tracking.credentials:${new URL(url).origin}`;

/** The credentials for a server: what the user stored in SecretStorage, else MLflow's variables of the editor's environment. */
export async function credentialsFor(secrets: vscode.SecretStorage, url: string): Promise<TrackingAuth | undefined> {
  const stored = await secrets.get(secretKey(url));
  if (stored) {
    try {
      const auth = JSON.parse(stored) as TrackingAuth;
      if (('token' in auth && typeof auth.token === 'string') || ('username' in auth && typeof auth.password === 'string')) return auth;
    } catch {
      // Unreadable: fall back to the environment.
    }
  }
  return credentialsFromEnv(process.env);
}

/** "MLOps: Set Tracking Server Credentials": a token, or a user and password, into SecretStorage (never settings). */
export async function askCredentials(secrets: vscode.SecretStorage, url: string): Promise<boolean> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(key) Access token', detail: 'Sent as Authorization: Bearer (MLFLOW_TRACKING_TOKEN)', value: 'token' as const },
      {
        label: '$(account) User name and password',
        detail: 'Sent as basic auth (MLFLOW_TRACKING_USERNAME / PASSWORD)',
        value: 'basic' as const,
      },
      { label: '$(trash) Forget the stored credentials', detail: 'Use the editor environment’s variables again', value: 'clear' as const },
    ],
    { title: `Credentials for ${new URL(url).host}`, placeHolder: 'Kept in the editor’s secret storage, never in settings' },
  );
  if (!kind) return false;
  if (kind.value === 'clear') {
    await secrets.delete(secretKey(url));
    return true;
  }
  if (kind.value === 'token') {
    const token = await vscode.window.showInputBox({
      title: `Access token for ${new URL(url).host}`,
      password: true,
      ignoreFocusOut: true,
    });
    if (!token) return false;
    await secrets.store(secretKey(url), JSON.stringify({ token }));
    return true;
  }
  const username = await vscode.window.showInputBox({ title: `User name for ${new URL(url).host}`, ignoreFocusOut: true });
  if (!username) return false;
  const password = await vscode.window.showInputBox({
    title: `Password for ${username}@${new URL(url).host}`,
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return false;
  await secrets.store(secretKey(url), JSON.stringify({ username, password }));
  return true;
}

export interface RemoteConnection {
  readonly tracking: WorkspaceTracking;
  readonly auth: TrackingAuth | undefined;
  readonly spool: SpoolingApi;
  readonly poller: ChangePoller;
}

/**
 * The editor on a team's MLflow server (`mlops.tracking.uri`): the remote API with the outbox in
 * front of it for the runner, change events from polling, and the outbox left by earlier processes
 * sent in the background.
 */
export async function openRemote(options: {
  secrets: vscode.SecretStorage;
  workspaceDir: string;
  uri: string;
  visible: () => boolean;
  onReachability: (reachable: boolean, error?: string) => void;
  onSpool: (pending: number, error: string) => void;
  log: (line: string) => void;
}): Promise<RemoteConnection> {
  const url = checkTrackingUri(options.uri, 'mlops.tracking.uri');
  const auth = await credentialsFor(options.secrets, url);
  const caBundle = setting(Settings.trackingCaBundle).trim();
  const fetch = tlsFetch({ ...tlsFromEnv(process.env), ...(caBundle ? { caBundle } : {}) });
  const remote = remoteStore(url, auth, fetch ? { fetch } : {});
  const spool = new SpoolingApi(remote.api, options.workspaceDir, url, ({ pending, error }) => options.onSpool(pending, error));
  const listeners = new Set<(changes: StoreChange[]) => void>();
  const poller = new ChangePoller(remote.api, (changes) => listeners.forEach((l) => l(changes)), options.visible, options.onReachability);
  poller.start();
  if (pendingCount(options.workspaceDir, url) > 0)
    void drainAbandoned(remote.api, options.workspaceDir, url).then(
      (r) => r.sent > 0 && options.log(`Sent ${r.sent} waiting write${r.sent === 1 ? '' : 's'} from .mlops/outbox to ${url}`),
      (error: unknown) => options.log(`Could not send the outbox to ${url}: ${errorMessage(error)}`),
    );
  const token = auth && 'token' in auth ? auth.token : '';
  const tracking: WorkspaceTracking = {
    api: spool.api,
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
  return { tracking, auth, spool, poller };
}
