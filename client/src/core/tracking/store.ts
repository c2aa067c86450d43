import * as path from 'node:path';
import type { SerializedError } from './engine/contract';
import { openStore, type OpenStoreOptions, type TrackingStore as EngineStore } from './engine/host';
import { reviveTrackingError, trackingBinding } from './engine/repositoryBinding';
import { locateWorker } from './engine/workerLocation';
import type { TrackingRepository } from './repository';

// The workspace's tracking store: `.mlops/tracking.db` behind an async API, its engine in a worker
// thread (docs/tracking-store.md). No vscode here: the extension, the CLI and the tests all use it.

export type { OpenReport, OpenStoreOptions } from './engine/host';
export { StoreLockedError } from './engine/lock';

export type TrackingStore = EngineStore<TrackingRepository>;

/**
 * Opens the store of `options.workspaceDir`, taking its lock. Rejects with `StoreLockedError` when
 * another live process holds it (write through its REST endpoint, `error.server`, instead).
 */
export function openTrackingStore(options: OpenStoreOptions): Promise<TrackingStore> {
  return openStore(options, {
    binding: trackingBinding,
    // Bundled, this file is part of client/out/extension.js or cli.js and the worker is beside them.
    worker: () =>
      locateWorker({
        bundled: path.join(__dirname, 'trackingWorker.js'),
        source: path.join(__dirname, 'engine', 'worker.ts'),
        fromSource: __filename.endsWith('.ts'),
      }),
    reviveError: (error: SerializedError) => reviveTrackingError(error),
  });
}
