// The chaos test's writer: the real tracking store (in its worker) behind the MLflow REST endpoint, as
// `mlops serve` hosts it, with a short save delay so that saves (and journal rotations) come often.
// It starts as a standby: node and the modules load, then it waits for one line on stdin,
// `<workspace>\t<saveDelayMs>\t<pauseAt or ->`, so that the test can start the next writer while it checks
// the last one (the store's lock still keeps one writer per workspace: the line comes after the check).
// Prints `ready <url> <token>` once it serves; runs until it is killed. The pause point reaches the
// worker through MLOPS_TRACKING_PAUSE_AT, set before the worker starts (engine/faultPoints.ts).
// Usage: node --import tsx test/helpers/trackingChaosChild.ts   (then the line on stdin)
import { createInterface } from 'node:readline';
import { startRestServer } from '../../client/src/core/tracking/rest/server';
import { openTrackingStore } from '../../client/src/core/tracking/store';

async function serve(line: string): Promise<void> {
  const [workspaceDir = '', saveDelayMs = '20', pauseAt = '-'] = line.split('\t');
  if (!workspaceDir) throw new Error(`expected <workspace>\\t<saveDelayMs>\\t<pauseAt> on stdin, got ${JSON.stringify(line)}`);
  delete process.env['MLOPS_TRACKING_PAUSE_AT'];
  if (pauseAt !== '-') process.env['MLOPS_TRACKING_PAUSE_AT'] = pauseAt;
  const store = await openTrackingStore({
    workspaceDir,
    saveDelayMs: Number(saveDelayMs),
    log: (level, message) => process.stderr.write(`[${level}] ${message}\n`),
  });
  const server = await startRestServer({ api: store.api, artifactRoot: store.paths.artifacts });
  process.stdout.write(`ready ${server.url} ${server.token}\n`);
}

if (require.main === module) {
  const lines = createInterface({ input: process.stdin });
  lines.once('line', (line) => {
    lines.close();
    serve(line).catch((error: unknown) => {
      process.stderr.write(`chaos child failed: ${String(error)}\n`);
      process.exit(1);
    });
  });
}
