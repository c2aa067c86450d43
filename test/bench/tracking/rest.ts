import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { locateWorker } from '../../../client/src/core/tracking/engine/workerLocation';
import { startRestServer } from '../../../client/src/core/tracking/rest/server';
import type { Durability } from '../../../client/src/core/tracking/engine/journal';
import { openTrackingStore } from '../../../client/src/core/tracking/store';
import type { RestClientJob, RestClientResult } from './restClient';
import { newRun, percentile } from './store';

// The workload through the MLflow REST endpoint (runs/log-batch, 1,000 points a request), served on this
// thread as the extension host serves it, with the store in its worker and the clients in another thread.

export interface RestFigures {
  ms: number;
  p99Ms: number;
  maxStallMs: number;
}

function runClients(job: RestClientJob): Promise<RestClientResult> {
  const launch = locateWorker({ bundled: '', source: path.join(__dirname, 'restClient.ts'), fromSource: true });
  const worker = new Worker(launch.script, { eval: launch.eval, workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: RestClientResult | { error: string }) => {
      void worker.terminate();
      if ('error' in result) reject(new Error(result.error));
      else resolve(result);
    });
    worker.once('error', reject);
  });
}

/** `clients` concurrent clients, each sending its next request when the last one is answered. */
export async function logThroughRest(workspaceDir: string, clients: number, durability: Durability = 'fsync'): Promise<RestFigures> {
  const store = await openTrackingStore({ workspaceDir, durability });
  const server = await startRestServer({ api: store.api, artifactRoot: store.paths.artifacts });
  try {
    const runId = await newRun(store);
    const monitor = monitorEventLoopDelay({ resolution: 1 });
    monitor.enable();
    const result = await runClients({ url: server.url, token: server.token, runId, clients });
    monitor.disable();
    return { ms: result.ms, p99Ms: percentile(result.latencies, 0.99), maxStallMs: monitor.max / 1e6 };
  } finally {
    await server.close();
    await store.close();
  }
}
