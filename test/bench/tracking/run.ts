// The tracking store benchmark (issue 5, "Speed and faults"): prints every figure, asserts nothing.
// Usage: npx tsx test/bench/tracking/run.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { betterSqlite3Ms, rawSqlJsMs } from './ceiling';
import { compareDurability } from './durability';
import { logThroughRest } from './rest';
import { logThroughStore, reopenMs, type StoreFigures } from './store';
import { BATCH_SIZE, formatMiB, formatMs, formatRate, TOTAL_POINTS } from './workload';

const workspaces: string[] = [];
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-store-'));
  workspaces.push(dir);
  return dir;
}

const line = (label: string, value: string) => console.log(`  ${label.padEnd(48)} ${value}`);

async function main(): Promise<void> {
  console.log(
    `tracking store benchmark: ${TOTAL_POINTS.toLocaleString('en-US')} metric points, ${BATCH_SIZE.toLocaleString('en-US')} per logBatch call (Node ${process.version})`,
  );
  // Stalls and rates depend on competing for the CPUs: say how busy the machine was.
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the start`,
  );
  // The worker and REST runs come first, while this thread is as clean as an extension host: the later
  // in-process runs leave sql.js and its grown wasm memory on this thread.

  console.log('\nthrough the worker (openTrackingStore(), as the extension host uses it)');
  const workerDir = workspace();
  const worker = await logThroughStore(workerDir, false);
  line('logging rate', formatRate(TOTAL_POINTS, worker.logMs) + ` (${formatMs(worker.logMs)}, one call in flight)`);
  line('logBatch latency p99 (round trip)', formatMs(worker.p99CallMs));
  line('longest event-loop stall on this thread', `${formatMs(worker.maxStallMs ?? 0)} (goal <= 50 ms; logging, save and close)`);
  line('save (flush after the last write)', formatMs(worker.saveMs));
  line('tracking.db size', formatMiB(worker.fileBytes));
  const reopenWorker = await reopenMs(workerDir, false);
  line('reopen with its worker', `${formatMs(reopenWorker.openMs)} (includes starting the worker from sources under tsx)`);

  for (const clients of [1, 4]) {
    console.log(
      `\nthrough REST (runs/log-batch on 127.0.0.1, the store in its worker, ${clients} client${clients > 1 ? 's' : ''} in another thread)`,
    );
    const rest = await logThroughRest(workspace(), clients);
    line('logging rate', `${formatRate(TOTAL_POINTS, rest.ms)} (${formatMs(rest.ms)}) (goal >= 100,000 points/s)`);
    line('request latency p99', formatMs(rest.p99Ms));
    line('longest event-loop stall on the serving thread', `${formatMs(rest.maxStallMs)} (goal <= 50 ms)`);
  }

  console.log(
    '\nthrough REST, 1 client: acknowledged on disk (fsync, the default) against in the page cache (process); the best of 2 rounds each, in alternating order',
  );
  await compareDurability(2);

  // The store and its ceiling run back to back, twice: on a shared machine the load changes by the minute.
  console.log('\nin-process API (openTrackingStore({ inProcess: true }), the engine on this thread) against the ceiling:');
  console.log('better-sqlite3 12 (WAL, synchronous=NORMAL) inserting the same rows into the same schema, a transaction per batch');
  await againstCeiling(1);
  const { dir: inProcessDir, figures: local } = await againstCeiling(2);
  const sqlJsMs = await rawSqlJsMs();
  line('raw sql.js, one INSERT per row, no store', formatRate(TOTAL_POINTS, sqlJsMs) + ` (${formatMs(sqlJsMs)})`);
  console.log('the last in-process store:');
  line('logBatch latency p99', `${formatMs(local.p99CallMs)} (background saves run on this thread here)`);
  line('save (flush after the last write)', formatMs(local.saveMs));
  line('tracking.db size', formatMiB(local.fileBytes));
  line('close', formatMs(local.closeMs));
  const reopenLocal = await reopenMs(inProcessDir, true);
  line(
    'reopen of the 1M-point database',
    `${formatMs(reopenLocal.openMs)} (goal <= 1000 ms; ${reopenLocal.points.toLocaleString('en-US')} points read back)`,
  );
}

/** better-sqlite3, then the in-process store, on the same rows. */
async function againstCeiling(round: number): Promise<{ dir: string; figures: StoreFigures }> {
  const nativeMs = await betterSqlite3Ms();
  const dir = workspace();
  const figures = await logThroughStore(dir, true);
  line(`round ${round}: better-sqlite3`, formatRate(TOTAL_POINTS, nativeMs) + ` (${formatMs(nativeMs)})`);
  line(
    `round ${round}: the store, in process`,
    `${formatRate(TOTAL_POINTS, figures.logMs)} (${formatMs(figures.logMs)}), ${percentOf(nativeMs, figures.logMs)} of better-sqlite3 (goal >= 60%)`,
  );
  return { dir, figures };
}

const percentOf = (ceilingMs: number, ms: number) => `${((ceilingMs / ms) * 100).toFixed(0)}%`;

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    console.log(
      `\nload average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
    );
    for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
  });
