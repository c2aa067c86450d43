import * as path from 'node:path';
import type { TrackingApi } from '../repository';
import { openTrackingStore, StoreLockedError } from '../store';
import { restApi } from './client';
import type { RequestOptions } from './request';
import { asServerInfo } from './serverInfo';

export interface TrackingAccess {
  api: TrackingApi;
  /** 'store': this process opened the database; 'rest': the live endpoint of the process holding it. */
  via: 'store' | 'rest';
  close(): Promise<void>;
}

/**
 * The workspace's tracking API for a short-lived process (the CLI): the database itself when it is
 * free, otherwise the REST endpoint that the lock holder listed in .mlops/server.json (with
 * `options.onRetry` told of each retry over it).
 */
export async function openTrackingAccess(workspaceDir: string, options: Pick<RequestOptions, 'onRetry'> = {}): Promise<TrackingAccess> {
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
    return { api: restApi(server.url, { token: server.token }, options), via: 'rest', close: async () => undefined };
  }
}
