// A process that logs 100,000 metric points through the real tracking store (in its worker), printing
// `ack <index>` once each batch is acknowledged, so a test can kill it and count what survived.
// Usage: node --import tsx test/helpers/trackingFaultChild.ts <workspace> <saveDelayMs>
import { openTrackingStore } from '../../client/src/core/tracking/store';

export const FAULT_POINTS = 100_000;
const BATCH = 1000;

async function main(): Promise<void> {
  const [workspaceDir = '.', saveDelayMs = '1000'] = process.argv.slice(2);
  const store = await openTrackingStore({ workspaceDir, saveDelayMs: Number(saveDelayMs) });
  const { experiment_id } = await store.api.createExperiment({ name: 'faults' });
  const { run } = await store.api.createRun({ experiment_id, start_time: 0 });
  process.stdout.write(`run ${run.info.run_id}\n`);
  for (let first = 0; first < FAULT_POINTS; first += BATCH) {
    const metrics = Array.from({ length: BATCH }, (_, i) => ({ key: 'x', value: first + i, timestamp: first + i, step: first + i }));
    await store.api.logBatch({ run_id: run.info.run_id, metrics });
    // Pipes are synchronous on Linux and macOS: once written, the line reaches the test even if we die next.
    process.stdout.write(`ack ${first + BATCH - 1}\n`);
  }
  await store.close();
  process.stdout.write('done\n');
}

if (require.main === module) void main();
