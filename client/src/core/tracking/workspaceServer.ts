import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RunnerTracking } from '../runner/types';
import type { StoreChange, TrackingApi } from './repository';
import { ChangeFeed } from './rest/changeFeed';
import { EVERYTHING_CHANGED, followChanges, type ChangeStream } from './rest/changeStream';
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
  /** Store changes from every writer: the owner's own, a peer's through the owner's change stream (a reset arrives as EVERYTHING_CHANGED); none from a team server. */
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
  /** A peer connects to the owner's change stream before it is handed out, rather than on its first onChange listener (windows, `runs list --watch`). */
  readonly follow?: boolean;
  /** When a write is acknowledged (`mlops.tracking.durability`); unset: MLOPS_TRACKING_DURABILITY, else `fsync`. */
  readonly durability?: OpenStoreOptions['durability'];
}

/** Opens the store, serves it on loopback and lists the endpoint in `.mlops/server.json`; or joins the process that already does. */
export async function serveWorkspace(options: ServeOptions): Promise<WorkspaceTracking> {
  let store;
  try {
    store = await openTrackingStore({
      workspaceDir: options.workspaceDir,
      ...(options.log ? { log: options.log } : {}),
      ...(options.durability ? { durability: options.durability } : {}),
    });
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
      ...(await followOwner(server.url, server.token, options)),
    };
  }
  const opened = store;
  ignoreInGit(opened.paths.dir);
  const feed = options.mlflowOnly ? undefined : new ChangeFeed((listener) => opened.onChange(listener));
  const server = await startRestServer({
    api: opened.api,
    artifactRoot: opened.paths.artifacts,
    port: options.port ?? 0,
    warn: (line) => options.log?.('warn', `tracking endpoint: ${line}`),
    ...(options.mlflowOnly ? { mlflowOnly: true } : {}),
    ...(options.token ? { token: options.token } : {}),
    ...(feed ? { changes: (req, res, url) => feed.serve(req, res, url) } : {}),
    onlineFeatures: onlineFeaturesEndpoint(opened.api, options.workspaceDir, (listener) => opened.onChange(listener)),
  }).catch(async (error: unknown) => {
    feed?.close();
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
        feed?.close();
        await server.close();
        await opened.close();
      })()),
  };
}

/** How long joining with `follow` waits for the owner's change stream before going on without it (it keeps trying). */
const STREAM_WAIT_MS = 2000;

/**
 * A peer's change events: the owner's change stream, connected on the first listener, or at once
 * with `follow` (serveWorkspace then resolves once it is connected, up to STREAM_WAIT_MS, so that
 * nothing read through the peer afterwards can miss a change). Changes made while the connection
 * was down are replayed on reconnecting; when they cannot be, listeners get EVERYTHING_CHANGED.
 */
async function followOwner(
  url: string,
  token: string,
  options: Pick<ServeOptions, 'log' | 'follow'>,
): Promise<Pick<WorkspaceTracking, 'onChange' | 'close'>> {
  const { log } = options;
  const listeners = new Set<(changes: StoreChange[]) => void>();
  const deliver = (changes: StoreChange[]) => {
    for (const listener of [...listeners]) listener(changes);
  };
  let failing = false;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  let stream: ChangeStream | undefined;
  let closed = false;
  const start = () =>
    (stream ??= followChanges({
      url,
      token,
      onChanges: deliver,
      onReset: () => deliver(EVERYTHING_CHANGED.map((c) => ({ ...c, ids: [] }))),
      onConnected: () => {
        if (failing) log?.('info', `following the change stream of ${url} again`);
        failing = false;
        settle();
      },
      onError: (error, retryInMs) => {
        if (!failing || retryInMs === undefined)
          log?.('warn', `the change stream of ${url} ${retryInMs === undefined ? 'refused' : 'dropped'}: ${error.message}`);
        failing = true;
        if (retryInMs === undefined) settle();
      },
    }));
  if (options.follow) {
    start();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, STREAM_WAIT_MS)))]);
    clearTimeout(timer);
  }
  return {
    onChange(listener) {
      listeners.add(listener);
      if (!closed) start();
      return { dispose: () => listeners.delete(listener) };
    },
    close: async () => {
      closed = true;
      listeners.clear();
      stream?.close();
    },
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
