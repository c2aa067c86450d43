/**
 * The two sides of a CSV drift check, each spilled and then sorted column by column in a worker
 * thread of its own (`sideWorker.ts`) when the files are large, or in this thread when they are
 * small (a worker costs more to start than a small file to read).
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { locateWorker } from '../tracking/engine/workerLocation';
import { sortFloat64 } from './radixSort';
import { loadColumn, spillCsv, type SpilledColumn, type SpilledSide } from './spilledCsv';

/** Below this many bytes of CSV over both sides, no workers. */
const WORKER_MIN_BYTES = 32 << 20;

type Job = { kind: 'spill'; files: readonly string[]; dir: string; tag: string } | { kind: 'sorted'; column: SpilledColumn };

export type SideRequest = Job & { id: number };

export type SideReply = { id: number; side: SpilledSide } | { id: number; values: Float64Array } | { id: number; error: string };

/** One side: spill its files once, then the sorted numbers of any of its numeric columns. */
export interface Side {
  spill(files: readonly string[], dir: string, tag: string): Promise<SpilledSide>;
  sorted(column: SpilledColumn): Promise<Float64Array>;
  close(): void;
}

const inThread: Side = {
  spill: spillCsv,
  sorted: (column) => Promise.resolve(sortFloat64(loadColumn(column))),
  close: () => undefined,
};

class WorkerSide implements Side {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (reply: SideReply) => void; reject: (error: Error) => void }>();

  constructor() {
    // Bundled, this file is part of client/out/cli.js, extension.js or driftWorker.js, and the worker is beside them.
    const launch = locateWorker({
      bundled: path.join(__dirname, 'driftSideWorker.js'),
      source: path.join(__dirname, 'sideWorker.ts'),
      fromSource: __filename.endsWith('.ts'),
      what: "The drift check's data worker",
    });
    this.worker = new Worker(launch.script, { eval: launch.eval });
    this.worker.on('message', (reply: SideReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    const fail = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the drift check's data worker stopped (exit code ${code})`)));
  }

  private request(message: Job): Promise<SideReply> {
    const id = this.next++;
    return new Promise<SideReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    }).then((reply) => {
      if ('error' in reply) throw new Error(reply.error);
      return reply;
    });
  }

  async spill(files: readonly string[], dir: string, tag: string): Promise<SpilledSide> {
    return ((await this.request({ kind: 'spill', files, dir, tag })) as { side: SpilledSide }).side;
  }

  async sorted(column: SpilledColumn): Promise<Float64Array> {
    return ((await this.request({ kind: 'sorted', column })) as { values: Float64Array }).values;
  }

  close(): void {
    void this.worker.terminate();
  }
}

function totalBytes(files: readonly string[]): number {
  return files.reduce((sum, f) => sum + statSync(f).size, 0);
}

/** Two sides, in workers when the files together reach `minBytes`. */
export function openSides(files: readonly string[], minBytes = WORKER_MIN_BYTES): [Side, Side] {
  return totalBytes(files) >= minBytes ? [new WorkerSide(), new WorkerSide()] : [inThread, inThread];
}
