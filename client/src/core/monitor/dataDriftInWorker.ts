import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MonitorDataResult } from '../../../../common/src/monitor/result';
import { DataFileError, DriftInputError } from '../drift';
import { locateWorker } from '../tracking/engine/workerLocation';
import { MonitorDataError } from './dataDrift';
import type { MonitorConfig } from './monitorConfig';

type Reply =
  { result: MonitorDataResult } | { error: { kind: 'data-file' | 'drift-input' | 'monitor-data' | 'internal'; message: string } };

const ERRORS = { 'data-file': DataFileError, 'drift-input': DriftInputError, 'monitor-data': MonitorDataError, internal: Error } as const;

/**
 * `dataDrift` in a worker thread of its own, one per check: the editor's
 * checks never hold up the extension host, whatever the size of the data.
 * Errors come back as the classes `checkMonitor` expects.
 */
export function dataDriftInWorker(config: MonitorConfig): Promise<MonitorDataResult> {
  // Bundled, this file is part of client/out/extension.js and the worker is beside it.
  const launch = locateWorker({
    bundled: path.join(__dirname, 'driftWorker.js'),
    source: path.join(__dirname, 'dataDriftWorker.ts'),
    fromSource: __filename.endsWith('.ts'),
    what: "The drift check's worker",
  });
  const worker = new Worker(launch.script, { eval: launch.eval });
  return new Promise<MonitorDataResult>((resolve, reject) => {
    worker.once('message', (reply: Reply) => {
      if ('result' in reply) resolve(reply.result);
      else reject(new ERRORS[reply.error.kind](reply.error.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the drift check's worker stopped (exit code ${code}) before it answered`)));
    worker.postMessage(config);
  }).finally(() => void worker.terminate());
}
