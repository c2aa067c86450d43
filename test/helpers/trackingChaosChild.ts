// The chaos test's writer: the real tracking store (in its worker) behind the MLflow REST endpoint, as
// `mlops serve` hosts it, with a short save delay so that saves (and journal rotations) come often.
// Prints `ready <url> <token>` once it serves; runs until it is killed. MLOPS_TRACKING_PAUSE_AT in its
// environment reaches the worker (engine/faultPoints.ts).
// Usage: node --import tsx test/helpers/trackingChaosChild.ts <workspace> <saveDelayMs>
import { startRestServer } from '../../client/src/core/tracking/rest/server';
import { openTrackingStore } from '../../client/src/core/tracking/store';

async function main(): Promise<void> {
  const [workspaceDir = '.', saveDelayMs = '20'] = process.argv.slice(2);
  const store = await openTrackingStore({
    workspaceDir,
    saveDelayMs: Number(saveDelayMs),
    log: (level, message) => process.stderr.write(`[${level}] ${message}\n`),
  });
  const server = await startRestServer({ api: store.api, artifactRoot: store.paths.artifacts });
  process.stdout.write(`ready ${server.url} ${server.token}\n`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(`chaos child failed: ${String(error)}\n`);
    process.exit(1);
  });
