import * as path from 'node:path';
import { chooseTracking, type TrackingChoice } from '../choice';
import { remoteStoreFromEnv, type RemoteStore } from '../remote/remoteStore';
import type { TrackingApi } from '../repository';
import { openTrackingStore, StoreLockedError } from '../store';
import { restApi } from './client';
import type { RequestOptions } from './request';
import { asServerInfo, readServerInfo } from './serverInfo';

export interface TrackingAccess {
  api: TrackingApi;
  /** 'store': this process opened the database; 'rest': the live endpoint of the process holding it; 'remote': a team's MLflow server. */
  via: 'store' | 'rest' | 'remote';
  /** The team's server, when `via` is 'remote'. */
  remote?: RemoteStore;
  close(): Promise<void>;
}

export interface AccessOptions extends Pick<RequestOptions, 'onRetry'> {
  /** `--tracking-uri`: a team's MLflow server, or `workspace`. */
  trackingUri?: string;
  /** Where MLFLOW_TRACKING_URI and the credentials are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** chooseTracking for a workspace: its own live endpoint in MLFLOW_TRACKING_URI means the workspace. */
export function trackingChoiceFor(workspaceDir: string, trackingUri: string | undefined, env: NodeJS.ProcessEnv): TrackingChoice {
  const workspaceUrl = readServerInfo(workspaceDir)?.url;
  return chooseTracking({ ...(trackingUri !== undefined ? { flag: trackingUri } : {}), env, ...(workspaceUrl ? { workspaceUrl } : {}) });
}

/**
 * The tracking API for a short-lived process (the CLI): a team's MLflow server when `--tracking-uri`
 * or MLFLOW_TRACKING_URI names one (choice.ts); else the workspace database itself when it is free,
 * otherwise the REST endpoint that the lock holder listed in .mlops/server.json. `options.onRetry`
 * is told of each retry over HTTP.
 */
export async function openTrackingAccess(workspaceDir: string, options: AccessOptions = {}): Promise<TrackingAccess> {
  const env = options.env ?? process.env;
  const choice = trackingChoiceFor(workspaceDir, options.trackingUri, env);
  if (choice.kind === 'remote') {
    const remote = remoteStoreFromEnv(choice.url, env, options.onRetry ? { onRetry: options.onRetry } : {});
    return { api: remote.api, via: 'remote', remote, close: async () => undefined };
  }
  try {
    const store = await openTrackingStore({ workspaceDir: path.resolve(workspaceDir), inProcess: true });
    return { api: store.api, via: 'store', close: () => store.close() };
  } catch (error) {
    if (!(error instanceof StoreLockedError)) throw error;
    const server = asServerInfo(error.server);
    if (!server)
      throw new Error(`${error.message}. Open the workspace in the editor (or run 'mlops serve') so it lists its endpoint.`, {
        cause: error,
      });
    return {
      api: restApi(server.url, { token: server.token }, options.onRetry ? { onRetry: options.onRetry } : {}),
      via: 'rest',
      close: async () => undefined,
    };
  }
}
