// The change stream (issue 19, "Every window live"): prints every figure, asserts nothing.
// Usage: npm run build && npx tsx test/bench/changeStream/run.ts
//
// `mlops serve` (the built bin) owns a fresh workspace store; this process joins it as a second
// window does (serveWorkspace with joinPeer and follow) and times:
// 1. a write through the endpoint (runs/create, then log-metric) until its change event reaches
//    the joined process, one write at a time (goal from the issue: a run shows in another window
//    within 2 s, of which this is the transport's share);
// 2. a burst of 1,000 metric writes from 4 concurrent clients: events received, batches, and
//    batches (the store merges a turn's changes) and when the last arrived after the last answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { StoreChange } from '../../../client/src/core/tracking/repository';
import { serveWorkspace } from '../../../client/src/core/tracking/workspaceServer';
import { startServe } from '../../helpers/cli';

const WRITES = 200;
const BURST = 1000;
const CLIENTS = 4;
const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)} ${value}`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function main(): Promise<void> {
  const ws = mkdtempSync(path.join(tmpdir(), 'mlops-bench-changes-'));
  const serve = await startServe(ws);
  const peer = await serveWorkspace({ workspaceDir: ws, joinPeer: true, follow: true });
  const waiting = new Map<string, () => void>();
  let batches = 0;
  let lastEventAt = 0;
  peer.onChange((batch: StoreChange[]) => {
    batches++;
    lastEventAt = performance.now();
    for (const change of batch) {
      for (const id of change.ids) waiting.get(`${change.kind}:${id}`)?.();
    }
  });
  const post = async (route: string, body: unknown) => {
    const r = await fetch(`${serve.url}/api/2.0/mlflow/${route}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.status !== 200) throw new Error(`${route}: ${r.status} ${await r.text()}`);
    return (await r.json()) as { run?: { info: { run_id: string } } };
  };
  try {
    console.log(`change stream (${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(1)}), mlops serve on loopback, a joined process`);
    const { run } = await post('runs/create', { experiment_id: '0', start_time: Date.now() });
    const runId = run!.info.run_id;
    const latencies: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const started = performance.now();
      const arrived = new Promise<void>((resolve) => waiting.set(`metric:${runId}`, resolve));
      await post('runs/log-metric', { run_id: runId, key: 'loss', value: 1 / (i + 1), timestamp: Date.now(), step: i });
      await arrived;
      latencies.push(performance.now() - started);
    }
    waiting.clear();
    line(
      `write to event at the joined process (${WRITES} writes, one at a time)`,
      `median ${pct(latencies, 0.5).toFixed(1)} ms, p95 ${pct(latencies, 0.95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );

    const before = { batches };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = c; i < BURST; i += CLIENTS)
          await post('runs/log-metric', { run_id: runId, key: 'burst', value: i, timestamp: Date.now(), step: i });
      }),
    );
    const answered = performance.now();
    await new Promise((r) => setTimeout(r, 500));
    line(`burst of ${BURST} metric writes from ${CLIENTS} clients`, `${(answered - started).toFixed(0)} ms for the writes`);
    line('  change batches received (merged per turn of the store)', `${batches - before.batches}`);
    line('  last batch after the last answer', `${(lastEventAt - answered).toFixed(1)} ms`);
  } finally {
    await peer.close();
    serve.process.kill('SIGTERM');
    await new Promise((r) => serve.process.once('exit', r));
    rmSync(ws, { recursive: true, force: true });
  }
}

void main();
