// The tracking store at ten million metric points in 1,000 runs (issue 20, "Large inputs"): prints
// every figure, asserts nothing. The store runs in its worker thread, as the extension host hosts it.
// Usage: npx tsx test/bench/tracking/tenMillion.ts [--points 10000000] [--runs 1000]
//
// Measured in one run: the ingest rate as the store grows (per tenth of the work), the longest stall of
// this thread's event loop (the thread that serves the REST endpoint and the views in the extension
// host) and the longest logBatch round trip (a write waits while the worker exports the image for a
// save), the flush and close, the reopen, the process's peak RSS and the wasm heap, the first page of
// the Experiments view, and a chart of one 1,000,000-point metric.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openTrackingStore } from '../../../client/src/core/tracking/store';
import { ceilingVerdict } from '../../../client/src/core/tracking/storeCeiling';
import { ExperimentsTreeModel } from '../../../client/src/core/views/experimentsTreeModel';
import { formatMiB, formatMs, formatRate } from './workload';

type TrackingStore = Awaited<ReturnType<typeof openTrackingStore>>;

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]?.replace(/[_,]/g, '')) : fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
  return value;
};
const TOTAL = arg('points', 10_000_000);
const RUNS = Math.max(2, arg('runs', 1000));
const KEYS = Array.from({ length: 10 }, (_, i) => `metric_${i}`);
/** The last run logs one metric of this many points: the chart. */
const CHART_POINTS = Math.min(1_000_000, Math.floor(TOTAL / 10));
const BATCH = 1000;
const T0 = 1_700_000_000_000;

const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)} ${value}`);
const n = (x: number) => Math.round(x).toLocaleString('en-US');

/** Steps per ordinary run (ten keys each), so that the runs and the chart run hold TOTAL points (to within ten). */
function stepsOfRun(run: number): number {
  const steps = Math.floor((TOTAL - CHART_POINTS) / KEYS.length);
  const base = Math.floor(steps / (RUNS - 1));
  return base + (run < steps - base * (RUNS - 1) ? 1 : 0);
}

/** The batches of run `run`: steps in order, keys fastest; the chart run has one key. */
function* batchesOf(run: number): Generator<{ key: string; value: number; timestamp: number; step: number }[]> {
  const chart = run === RUNS - 1;
  const points = chart ? CHART_POINTS : stepsOfRun(run) * KEYS.length;
  const keys = chart ? ['loss'] : KEYS;
  for (let start = 0; start < points; start += BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(points, start + BATCH); i++) {
      const step = Math.floor(i / keys.length);
      const k = i % keys.length;
      const value = chart ? Math.exp(-step / 200_000) + Math.sin(step) * 0.01 : Math.sin(i + run) * (k + 1);
      batch.push({ key: keys[k]!, value, timestamp: T0 + run * 10_000_000 + step * 5, step });
    }
    yield batch;
  }
}

/** Peak RSS of the process (this thread and the worker), and the saves (a new tracking.db), sampled every 20 ms. */
class RssSampler {
  peak = 0;
  overall = 0;
  saves = 0;
  savedBytes = 0;
  private lastImage = '';
  private readonly timer = setInterval(() => this.sample(), 20);
  constructor(private readonly db: string) {}
  sample(): number {
    const rss = process.memoryUsage.rss();
    this.peak = Math.max(this.peak, rss);
    this.overall = Math.max(this.overall, rss);
    try {
      const stat = statSync(this.db);
      const image = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
      if (image !== this.lastImage) {
        this.lastImage = image;
        this.saves++;
        this.savedBytes += stat.size;
      }
    } catch {
      // not saved yet
    }
    return rss;
  }
  reset(): void {
    this.peak = this.sample();
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

function storeBytes(dir: string): { image: number; journal: number } {
  const mlops = path.join(dir, '.mlops');
  let image = 0;
  let journal = 0;
  for (const name of readdirSync(mlops)) {
    const size = statSync(path.join(mlops, name)).size;
    if (name === 'tracking.db') image = size;
    else if (name.startsWith('journal')) journal += size;
  }
  return { image, journal };
}

async function ingest(store: TrackingStore, dir: string, rss: RssSampler) {
  const { experiment_id } = await store.api.createExperiment({ name: 'big' });
  const monitor = monitorEventLoopDelay({ resolution: 1 });
  monitor.enable();
  console.log(`\ningest: ${n(TOTAL)} points in ${n(RUNS)} runs, ${BATCH} per logBatch, one call in flight, the store in its worker`);
  console.log(
    `  ${'points so far'.padEnd(14)} ${'rate (points/s)'.padStart(16)} ${'longest call'.padStart(13)} ${'loop delay'.padStart(11)} ${'RSS'.padStart(10)} ${'wasm heap'.padStart(10)} ${'tracking.db'.padStart(12)} ${'journal'.padStart(10)}`,
  );
  console.log('  (each row: a tenth of the work; rate, longest call and loop delay within it; RSS and sizes at its end)');
  let logged = 0;
  let nextReport = TOTAL / 10;
  let sliceStart = performance.now();
  let sliceLogged = 0;
  let sliceLongest = 0;
  let longest = 0;
  let loopMax = 0;
  let runId = '';
  const started = performance.now();
  for (let r = 0; r < RUNS; r++) {
    ({
      run: {
        info: { run_id: runId },
      },
    } = await store.api.createRun({ experiment_id, start_time: T0 + r * 10_000_000, run_name: r === RUNS - 1 ? 'chart' : `run-${r}` }));
    for (const metrics of batchesOf(r)) {
      const sent = performance.now();
      await store.api.logBatch({ run_id: runId, metrics });
      const ms = performance.now() - sent;
      sliceLongest = Math.max(sliceLongest, ms);
      logged += metrics.length;
      if (logged >= nextReport || logged === TOTAL) {
        const now = performance.now();
        const size = await store.api.getStoreSize({});
        const bytes = storeBytes(dir);
        console.log(
          `  ${n(logged).padEnd(14)} ${n(((logged - sliceLogged) / (now - sliceStart)) * 1000).padStart(16)} ${formatMs(sliceLongest).padStart(13)} ${formatMs(monitor.max / 1e6).padStart(11)} ${formatMiB(rss.sample()).padStart(10)} ${formatMiB(size.wasmHeapBytes ?? 0).padStart(10)} ${formatMiB(bytes.image).padStart(12)} ${formatMiB(bytes.journal).padStart(10)}`,
        );
        longest = Math.max(longest, sliceLongest);
        loopMax = Math.max(loopMax, monitor.max / 1e6);
        monitor.reset();
        sliceStart = now;
        sliceLogged = logged;
        sliceLongest = 0;
        nextReport += TOTAL / 10;
      }
    }
    await store.api.updateRun({ run_id: runId, status: 'FINISHED', end_time: T0 + r * 10_000_000 + 1_000_000 });
  }
  const ingestMs = performance.now() - started;
  const flushStarted = performance.now();
  await store.flush();
  const flushMs = performance.now() - flushStarted;
  const size = await store.api.getStoreSize({});
  const closeStarted = performance.now();
  await store.close();
  const closeMs = performance.now() - closeStarted;
  monitor.disable();
  return {
    experimentId: experiment_id,
    chartRunId: runId,
    logged,
    ingestMs,
    flushMs,
    closeMs,
    longest,
    loopMax: Math.max(loopMax, monitor.max / 1e6),
    size,
  };
}

async function main(): Promise<void> {
  console.log(
    `tracking store at scale (Node ${process.version}); machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the start`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-10m-'));
  const rss = new RssSampler(path.join(dir, '.mlops', 'tracking.db'));
  const figures: [string, string][] = [];
  try {
    const store = await openTrackingStore({ workspaceDir: dir });
    const ing = await ingest(store, dir, rss);
    const bytes = storeBytes(dir);
    figures.push(
      ['ingest rate (whole run)', `${formatRate(ing.logged, ing.ingestMs)} (${(ing.ingestMs / 1000).toFixed(1)} s)`],
      ['longest logBatch round trip (waits for a save export)', formatMs(ing.longest)],
      ['saves while ingesting / image bytes they wrote', `${rss.saves} / ${formatMiB(rss.savedBytes)}`],
      ['longest event-loop stall of the serving thread', `${formatMs(ing.loopMax)} (goal <= 50 ms)`],
      ['flush after the last write / close', `${formatMs(ing.flushMs)} / ${formatMs(ing.closeMs)}`],
      ['tracking.db size', `${formatMiB(bytes.image)} (${(bytes.image / ing.logged).toFixed(1)} bytes per point)`],
      ['peak RSS while ingesting (process: this thread + worker)', formatMiB(rss.peak)],
      ['store size as the status bar sees it', `${n(ing.size.metricPoints)} points, image ${formatMiB(ing.size.imageBytes)}`],
      ['status bar verdict', ceilingVerdict(ing.size).level],
    );

    rss.reset();
    const opened = performance.now();
    const reopened = await openTrackingStore({ workspaceDir: dir });
    const reopenMs = performance.now() - opened;
    await reopened.api.searchExperiments({ max_results: 1 });
    const firstAnswerMs = performance.now() - opened;
    const sizeMs: number[] = [];
    let reopenedSize = ing.size;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      reopenedSize = await reopened.api.getStoreSize({});
      sizeMs.push(performance.now() - t);
    }
    figures.push(
      ['reopen (worker start, read, checksum) / to the first answer', `${formatMs(reopenMs)} / ${formatMs(firstAnswerMs)}`],
      ['peak RSS during the reopen', formatMiB(rss.peak)],
      ['wasm heap after the reopen', formatMiB(reopenedSize.wasmHeapBytes ?? 0)],
      [
        "getStoreSize (the status bar's check): first call / next four",
        `${formatMs(sizeMs[0]!)} / ${sizeMs
          .slice(1)
          .map((t) => t.toFixed(0))
          .join(', ')} ms`,
      ],
    );

    const monitor = monitorEventLoopDelay({ resolution: 1 });
    monitor.enable();
    const pageTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const model = new ExperimentsTreeModel(async () => reopened.api);
      const experiment = (await model.children()).find((node) => node.id === `exp:${ing.experimentId}`)!;
      const t = performance.now();
      const page = await model.children(experiment);
      pageTimes.push(performance.now() - t);
      const expected = Math.min(RUNS, 100) + (RUNS > 100 ? 1 : 0);
      if (page.length !== expected) throw new Error(`expected ${expected} rows (100 runs and Load more), got ${page.length}`);
    }
    figures.push(['Experiments view: first page (5 fresh trees)', pageTimes.map((t) => `${t.toFixed(0)} ms`).join(', ')]);

    const chart = async (label: string, request: Parameters<typeof reopened.api.getMetricSeries>[0]) => {
      const samples: number[] = [];
      let out = { steps: [] as number[], total: 0 };
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        out = await reopened.api.getMetricSeries(request);
        samples.push(performance.now() - t);
      }
      samples.sort((a, b) => a - b);
      figures.push([
        label,
        `median ${samples[2]!.toFixed(0)} ms, worst ${samples[4]!.toFixed(0)} ms -> ${out.steps.length} of ${n(out.total)} points`,
      ]);
    };
    await chart(`chart of ${n(CHART_POINTS)} points, by step`, { run_id: ing.chartRunId, metric_key: 'loss' });
    await chart(`chart of ${n(CHART_POINTS)} points, by wall time`, { run_id: ing.chartRunId, metric_key: 'loss', x_axis: 'time' });
    await chart('the same, zoomed to 10% of the steps', {
      run_id: ing.chartRunId,
      metric_key: 'loss',
      min_x: Math.floor(CHART_POINTS * 0.4),
      max_x: Math.floor(CHART_POINTS * 0.5) - 1,
    });
    monitor.disable();
    figures.push(['longest event-loop stall while reading', formatMs(monitor.max / 1e6)]);
    const closeStarted = performance.now();
    await reopened.close();
    figures.push(['close after reading (nothing to save)', formatMs(performance.now() - closeStarted)]);
    figures.push(['peak RSS of the process, whole benchmark', formatMiB(rss.overall)]);
  } finally {
    rss.stop();
    console.log('\nfigures');
    for (const [label, value] of figures) line(label, value);
    console.log(
      `\nload average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
