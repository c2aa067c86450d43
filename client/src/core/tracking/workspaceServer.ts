import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RunnerTracking } from '../runner/types';
import type { StoreChange, TrackingApi } from './repository';
import { restApi } from './rest/client';
import { startRestServer } from './rest/server';
import { asServerInfo, removeServerInfo, writeServerInfo } from './rest/serverInfo';
import { openTrackingStore, StoreLockedError, type OpenReport, type OpenStoreOptions } from './store';
import { onlineFeaturesEndpoint } from '../features/onlineEndpoint';

/**
 * The workspace's tracking endpoint as one process sees it: either this
 * process owns the store and serves it, or another live process does and
 * this one writes through that process's endpoint.
 */
export interface WorkspaceTracking {
  readonly api: TrackingApi;
  readonly url: string;
  readonly token: string;
  /** `owner`: this process holds the lock and serves the endpoint; `peer`: another process (pid) does; `remote`: a team's MLflow server (no workspace store). */
  readonly role: 'owner' | 'peer' | 'remote';
  readonly ownerPid: number;
  /** What the runner gets, when it is more than api, url and token (a team's server: credentials and artifact uploads). */
  readonly runner?: RunnerTracking;
  /** What opening the store found (the owner only): a corrupt image moved aside, journal entries replayed. */
  readonly recovery?: OpenReport;
  /** Store changes; only the owner sees them. */
  onChange(listener: (changes: StoreChange[]) => void): { dispose(): void };
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly workspaceDir: string;
  readonly port?: number;
  readonly log?: OpenStoreOptions['log'];
  /** When the store is held by another live process: use its endpoint (true) or fail with StoreLockedError (false). */
  readonly joinPeer?: boolean;
  /** Serve MLflow's REST API only, as a team's MLflow server would (RestServerOptions.mlflowOnly). */
  readonly mlflowOnly?: boolean;
  /** The bearer token to require (default: a new random one). */
  readonly token?: string;
}

/** Opens the store, serves it on loopback and lists the endpoint in `.mlops/server.json`; or joins the process that already does. */
export async function serveWorkspace(options: ServeOptions): Promise<WorkspaceTracking> {
  let store;
  try {
    store = await openTrackingStore({ workspaceDir: options.workspaceDir, ...(options.log ? { log: options.log } : {}) });
  } catch (error) {
    const server = error instanceof StoreLockedError ? asServerInfo(error.server) : undefined;
    if (!options.joinPeer || !(error instanceof StoreLockedError)) throw error;
    if (!server)
      throw new Error(`${error.message}, and it lists no endpoint in .mlops/server.json yet; try again once it has started`, {
        cause: error,
      });
    return {
      api: restApi(server.url, { token: server.token }),
      url: server.url,
      token: server.token,
      role: 'peer',
      ownerPid: server.pid,
      onChange: () => ({ dispose: () => undefined }),
      close: async () => undefined,
    };
  }
  const opened = store;
  ignoreInGit(opened.paths.dir);
  const server = await startRestServer({
    api: opened.api,
    artifactRoot: opened.paths.artifacts,
    port: options.port ?? 0,
    ...(options.mlflowOnly ? { mlflowOnly: true } : {}),
    ...(options.token ? { token: options.token } : {}),
    onlineFeatures: onlineFeaturesEndpoint(opened.api, options.workspaceDir, (listener) => opened.onChange(listener)),
  }).catch(async (error: unknown) => {
    await opened.close();
    throw error;
  });
  await writeServerInfo(options.workspaceDir, { url: server.url, token: server.token, pid: process.pid });
  let closed: Promise<void> | undefined;
  return {
    api: opened.api,
    url: server.url,
    token: server.token,
    role: 'owner',
    ownerPid: process.pid,
    recovery: opened.recovery,
    onChange: (listener) => opened.onChange(listener),
    close: () =>
      (closed ??= (async () => {
        removeServerInfo(options.workspaceDir, process.pid);
        await server.close();
        await opened.close();
      })()),
  };
}

/** `.mlops/` holds a database, logs and artifacts, never source: keep it out of git as DVC keeps `.dvc/tmp`. */
function ignoreInGit(dir: string): void {
  const file = path.join(dir, '.gitignore');
  if (existsSync(file)) return;
  try {
    writeFileSync(file, '# Written by MLOps Workbench: the tracking store, run logs and artifacts stay local.\n*\n', { flag: 'wx' });
  } catch {
    // Another process wrote it first, or the folder is read-only; neither matters.
  }
}
