// Charts benchmark 1 (issue 8, "Speed"): a 1,000,000-point metric, its history queried and
// downsampled to at most 2,000 points through the store in its worker thread, as the extension
// host does when a metrics panel opens (goal <= 200 ms). Prints figures, asserts nothing.
// Usage: npx tsx test/bench/charts/history.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { openTrackingStore } from '../../../client/src/core/tracking/store';

const POINTS = 1_000_000;
const line = (label: string, value: string) => console.log(`  ${label.padEnd(60)} ${value}`);

async function main(): Promise<void> {
  console.log(
    `charts history benchmark (Node ${process.version}); machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-bench-charts-'));
  try {
    let store = await openTrackingStore({ workspaceDir: dir, inProcess: true });
    const { run } = await store.api.createRun({ experiment_id: '0', start_time: 1_700_000_000_000 });
    const runId = run.info.run_id;
    const seeded = performance.now();
    for (let s = 0; s < POINTS; s += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({
        key: 'loss',
        value: Math.exp(-(s + i) / 200_000) + Math.sin(s + i) * 0.01,
        timestamp: 1_700_000_000_000 + (s + i) * 5,
        step: s + i,
      }));
      await store.api.logBatch({ run_id: runId, metrics });
    }
    await store.close();
    line('seeded 1,000,000 points (in process)', `${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    store = await openTrackingStore({ workspaceDir: dir });
    const time = async (label: string, fn: () => Promise<{ steps: number[]; downsampled: boolean }>) => {
      const samples: number[] = [];
      let points = 0;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const out = await fn();
        samples.push(performance.now() - t);
        points = out.steps.length;
      }
      samples.sort((a, b) => a - b);
      line(
        label,
        `median ${samples[2]!.toFixed(0)} ms, best ${samples[0]!.toFixed(0)} ms, worst ${samples[4]!.toFixed(0)} ms -> ${points} points`,
      );
    };
    await time('whole history by step, through the worker', () => store.api.getMetricSeries({ run_id: runId, metric_key: 'loss' }));
    await time('whole history by wall time, through the worker', () =>
      store.api.getMetricSeries({ run_id: runId, metric_key: 'loss', x_axis: 'time' }),
    );
    await time('zoomed to 10% of the steps', () =>
      store.api.getMetricSeries({ run_id: runId, metric_key: 'loss', min_x: 400_000, max_x: 499_999 }),
    );
    await time('zoomed to 1,500 steps (full resolution)', () =>
      store.api.getMetricSeries({ run_id: runId, metric_key: 'loss', min_x: 400_000, max_x: 401_499 }),
    );
    await time('live append: points after the last step', () =>
      store.api.getMetricSeries({ run_id: runId, metric_key: 'loss', after_step: POINTS - 10, after_timestamp: 0 }),
    );
    const t = performance.now();
    const { metrics } = await store.api.getMetricHistory({ run_id: runId, metric_key: 'loss' });
    line(
      'for reference: getMetricHistory (all points, no downsampling)',
      `${(performance.now() - t).toFixed(0)} ms -> ${metrics.length} points`,
    );
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
