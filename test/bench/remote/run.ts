// The remote-store benchmark (issue 15, "Speed"): prints every figure, asserts nothing.
// Usage: npx tsx test/bench/remote/run.ts
//
// One workspace store is read twice in the same run: directly (its worker thread, as the editor
// reads its own workspace) and as a team's MLflow server (the same store behind
// `mlops serve --mlflow-only` on loopback, read by remoteStore over MLflow's REST API only).
// 1. The Experiments view's first page of an experiment of 1,000 runs (goal: remote <= 2x workspace).
// 2. A 100,000-point metric opened as a chart: get-history paged, downsampled on the client
//    (goal <= 1.5 s), and get-history-bulk-interval (steps sampled by the server), beside the
//    workspace store's own downsampling.
// 3. mlops push's copy of 100 runs with 1,000 points each to a team server (goal >= 50 runs/s).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { remoteStore } from '../../../client/src/core/tracking/remote/remoteStore';
import type { TrackingApi } from '../../../client/src/core/tracking/repository';
import { startRestServer } from '../../../client/src/core/tracking/rest/server';
import { openTrackingStore } from '../../../client/src/core/tracking/store';
import { copyRuns } from '../../../client/src/core/tracking/transfer/copyRuns';
import { serverSide, workspaceSide } from '../../../client/src/core/tracking/transfer/sides';
import { ExperimentsTreeModel } from '../../../client/src/core/views/experimentsTreeModel';

const RUNS = 1_000;
const POINTS = 100_000;
const ROUNDS = 5;
const line = (label: string, value: string) => console.log(`  ${label.padEnd(50)} ${value}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (xs: number[]) => `${xs.map((x) => x.toFixed(0)).join(', ')} ms (median ${median(xs).toFixed(0)})`;

async function seed(dir: string): Promise<{ experimentId: string; bigRun: string }> {
  // Seeding is not what is measured: no fdatasync per write (the store is closed, so saved, before use).
  const store = await openTrackingStore({ workspaceDir: dir, inProcess: true, durability: 'process' });
  const { experiment_id } = await store.api.createExperiment({ name: 'team' });
  let bigRun = '';
  for (let i = 0; i < RUNS; i++) {
    const { run } = await store.api.createRun({ experiment_id, start_time: 1_700_000_000_000 + i * 1000 });
    await store.api.logBatch({
      run_id: run.info.run_id,
      params: [
        { key: 'n_estimators', value: String(100 + (i % 5) * 50) },
        { key: 'max_depth', value: String(i % 10) },
      ],
      metrics: ['auc', 'accuracy', 'f1', 'loss'].map((key, k) => ({ key, value: ((i * (k + 3)) % 1000) / 1000, timestamp: 1, step: 0 })),
      tags: [{ key: 'mlops.pipeline', value: 'team' }],
    });
    await store.api.updateRun({ run_id: run.info.run_id, status: 'FINISHED', end_time: 1_700_000_000_000 + i * 1000 + 500 });
    if (i === 0) bigRun = run.info.run_id;
  }
  for (let s = 0; s < POINTS; s += 1000)
    await store.api.logBatch({
      run_id: bigRun,
      metrics: Array.from({ length: 1000 }, (_, k) => ({
        key: 'loss',
        value: Math.sin((s + k) / 500) + (s + k) / POINTS,
        timestamp: 1_700_000_000_000 + s + k,
        step: s + k,
      })),
    });
  await store.close();
  return { experimentId: experiment_id, bigRun };
}

async function firstPage(api: () => Promise<TrackingApi>, experimentId: string): Promise<number> {
  const model = new ExperimentsTreeModel(api);
  const experiment = (await model.children()).find((n) => n.id === `exp:${experimentId}`)!;
  const started = performance.now();
  const page = await model.children(experiment);
  const took = performance.now() - started;
  if (page.length !== 101) throw new Error(`expected 100 runs and Load more, got ${page.length}`);
  return took;
}

async function main(): Promise<void> {
  console.log(
    `remote-store benchmark (Node ${process.version}); machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-remote-'));
  try {
    const seeded = performance.now();
    const { experimentId, bigRun } = await seed(dir);
    console.log(
      `seeded ${RUNS.toLocaleString('en-US')} runs and a ${POINTS.toLocaleString('en-US')}-point metric in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );
    const store = await openTrackingStore({ workspaceDir: dir });
    const server = await startRestServer({ api: store.api, artifactRoot: store.paths.artifacts, mlflowOnly: true });
    try {
      const local: number[] = [];
      const remote: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        local.push(await firstPage(async () => store.api, experimentId));
        const api = remoteStore(server.url, { token: server.token }).api;
        remote.push(await firstPage(async () => api, experimentId));
      }
      console.log(`\nExperiments view, first page of an experiment of ${RUNS.toLocaleString('en-US')} runs (goal: remote <= 2x workspace)`);
      line('workspace store (worker)', ms(local));
      line('team server (REST, mlflow-only, loopback)', ms(remote));
      line('ratio of medians', `${(median(remote) / median(local)).toFixed(2)}x`);

      const chartLocal: number[] = [];
      const chartRemote: number[] = [];
      const chartBulk: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        let started = performance.now();
        const a = await store.api.getMetricSeries({ run_id: bigRun, metric_key: 'loss', x_axis: 'time' });
        chartLocal.push(performance.now() - started);
        // The time axis takes get-history: the whole history, paged, downsampled on the client.
        const api = remoteStore(server.url, { token: server.token }).api;
        started = performance.now();
        const b = await api.getMetricSeries({ run_id: bigRun, metric_key: 'loss', x_axis: 'time' });
        chartRemote.push(performance.now() - started);
        if (a.total !== b.total || a.total < POINTS) throw new Error(`the two stores disagree: ${a.total} and ${b.total} points`);
        if (b.values.length > 2000) throw new Error(`the chart got ${b.values.length} points`);
        // The step axis takes get-history-bulk-interval where the server has it: steps sampled by the server.
        const fresh = remoteStore(server.url, { token: server.token }).api;
        started = performance.now();
        const c = await fresh.getMetricSeries({ run_id: bigRun, metric_key: 'loss' });
        chartBulk.push(performance.now() - started);
        if (c.sampledBy !== 'server') throw new Error('the step-axis chart did not use get-history-bulk-interval');
      }
      console.log(`\na ${POINTS.toLocaleString('en-US')}-point metric opened as a chart (downsampled to 2,000; goal: remote <= 1.5 s)`);
      line('workspace store (block summaries in SQL)', ms(chartLocal));
      line('team server (get-history pages of 25,000 + client)', ms(chartRemote));
      line('team server (get-history-bulk-interval, 2,000 steps)', ms(chartBulk));
      const cached = remoteStore(server.url, { token: server.token }).api;
      await cached.getMetricSeries({ run_id: bigRun, metric_key: 'loss', x_axis: 'time' });
      const zoomStarted = performance.now();
      await cached.getMetricSeries({ run_id: bigRun, metric_key: 'loss', min_x: 20_000, max_x: 30_000 });
      line('team server, zoom of an ended run (history kept)', `${(performance.now() - zoomStarted).toFixed(0)} ms`);
      const bulkZoom = remoteStore(server.url, { token: server.token }).api;
      const bulkZoomStarted = performance.now();
      await bulkZoom.getMetricSeries({ run_id: bigRun, metric_key: 'loss', min_x: 20_000, max_x: 30_000 });
      line('team server, zoom over get-history-bulk-interval', `${(performance.now() - bulkZoomStarted).toFixed(0)} ms`);
      await pushBench();
    } finally {
      await server.close();
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `mlops push` of 100 runs with 1,000 points each from a workspace store to a team server (goal >= 50 runs/s). */
async function pushBench(): Promise<void> {
  const from = mkdtempSync(path.join(tmpdir(), 'mlops-bench-push-from-'));
  const to = mkdtempSync(path.join(tmpdir(), 'mlops-bench-push-to-'));
  try {
    // Seeding is not what is measured: no fdatasync per write (the store is closed, so saved, before use).
    const seedStore = await openTrackingStore({ workspaceDir: from, inProcess: true, durability: 'process' });
    const { experiment_id } = await seedStore.api.createExperiment({ name: 'pushed' });
    for (let i = 0; i < 100; i++) {
      const { run } = await seedStore.api.createRun({
        experiment_id,
        start_time: 1_700_000_000_000 + i,
        tags: [{ key: 'i', value: String(i) }],
      });
      await seedStore.api.logBatch({
        run_id: run.info.run_id,
        metrics: Array.from({ length: 1000 }, (_, k) => ({ key: 'loss', value: 1 / (k + 1), timestamp: 1_700_000_000_000 + k, step: k })),
      });
      await seedStore.api.updateRun({ run_id: run.info.run_id, status: 'FINISHED', end_time: 1_700_000_000_500 + i });
    }
    await seedStore.close();
    const source = await openTrackingStore({ workspaceDir: from });
    const targetStore = await openTrackingStore({ workspaceDir: to });
    const server = await startRestServer({ api: targetStore.api, artifactRoot: targetStore.paths.artifacts, mlflowOnly: true });
    try {
      const target = serverSide(remoteStore(server.url, { token: server.token }));
      const started = performance.now();
      const report = await copyRuns(workspaceSide(source.api, from), target);
      const seconds = (performance.now() - started) / 1000;
      console.log('\nmlops push of 100 runs x 1,000 points to a team server (goal >= 50 runs/s)');
      line(
        'copied',
        `${report.copied} runs, ${report.points.toLocaleString('en-US')} points in ${seconds.toFixed(2)} s: ${(report.copied / seconds).toFixed(0)} runs/s`,
      );
      const againStarted = performance.now();
      const again = await copyRuns(workspaceSide(source.api, from), target);
      line(
        'pushed again (everything already there)',
        `${again.skipped} skipped in ${((performance.now() - againStarted) / 1000).toFixed(2)} s`,
      );
    } finally {
      await server.close();
      await targetStore.close();
      await source.close();
    }
  } finally {
    rmSync(from, { recursive: true, force: true });
    rmSync(to, { recursive: true, force: true });
  }
}

void main();
