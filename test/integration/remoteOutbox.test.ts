import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Metric, Run } from '../../client/src/core/tracking/repository';
import { mlops, mlopsAsync, startServe } from '../helpers/cli';

const TOKEN = 'outbox-test-token-0123456789';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// The team server goes away in the middle of a run (killed, as a crash would), the runner keeps its
// writes in .mlops/outbox, and once the server is back `mlops push --outbox` sends them: every
// metric point arrives exactly once, and every step result.
describe('the outbox: a server that goes away mid-run loses nothing', () => {
  let scratch: string;
  let remoteWs: string;
  let local: string;
  let port: number;
  let serve: ChildProcess | undefined;
  const serveEnv = { ...process.env, MLOPS_SERVE_TOKEN: TOKEN };

  const call = async (p: string): Promise<Record<string, unknown>> => {
    const r = await fetch(`http://127.0.0.1:${port}/api/2.0/mlflow/${p}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const json = (await r.json()) as Record<string, unknown>;
    assert.equal(r.status, 200, `${p}: ${JSON.stringify(json)}`);
    return json;
  };

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-outbox-'));
    remoteWs = path.join(scratch, 'server');
    local = path.join(scratch, 'local');
    mkdirSync(local, { recursive: true });
    // 300 points over about three seconds, through the metrics file the runner tails.
    writeFileSync(
      path.join(local, 'emit.js'),
      `const fs = require('fs');
let i = 0;
const t = setInterval(() => {
  fs.appendFileSync(process.env.MLOPS_METRICS_FILE, JSON.stringify({ key: 'loss', value: 1 / (i + 1), step: i }) + '\\n');
  if (++i === 300) clearInterval(t);
}, 10);
`,
    );
    writeFileSync(
      path.join(local, 'outbox.pipeline.yaml'),
      `pipeline: outbox
experiment: outbox
steps:
  emit:
    run: node emit.js
  after:
    needs: [emit]
    run: node -e "setTimeout(() => {}, 300)"
`,
    );
    port = await freePort();
    ({ process: serve } = await startServe(remoteWs, ['--mlflow-only', '--port', String(port)], serveEnv));
  });

  after(() => {
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('spools while the server is down, and push --outbox delivers every point once', async () => {
    const url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MLFLOW_TRACKING_TOKEN: TOKEN,
      MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1',
      MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.05',
      MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0',
      MLFLOW_HTTP_REQUEST_TIMEOUT: '2',
    };
    delete env.MLFLOW_TRACKING_URI;
    const running = mlopsAsync(['run', 'outbox.pipeline.yaml', '--tracking-uri', url, '--json'], local, env);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    serve!.kill('SIGKILL');
    await new Promise((resolve) => serve!.once('exit', resolve));
    const result = await running;
    assert.match(result.stderr, /keeping writes in \.mlops\/outbox/);
    assert.match(result.stderr, /wait in \.mlops\/outbox/);
    const runId = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; runId?: string })
      .find((e) => e.type === 'run-started')!.runId!;
    assert.ok(readdirSync(path.join(local, '.mlops', 'outbox')).length > 0);

    ({ process: serve } = await startServe(remoteWs, ['--mlflow-only', '--port', String(port)], serveEnv));
    const pushed = mlops(['push', '--outbox', '--tracking-uri', url], local, env);
    assert.equal(pushed.code, 0, pushed.stderr + pushed.stdout);
    assert.match(pushed.stdout, /Sent \d+ of \d+ waiting writes/);
    assert.equal(readdirSync(path.join(local, '.mlops', 'outbox')).length, 0);

    const history = (await call(`metrics/get-history?run_id=${runId}&metric_key=loss`)).metrics as Metric[];
    assert.deepEqual(
      history.map((m) => m.step).sort((a, b) => a - b),
      Array.from({ length: 300 }, (_, i) => i),
      'every point once',
    );
    const { run } = (await call(`runs/get?run_id=${runId}`)) as { run: Run };
    assert.equal(run.info.status, 'FINISHED');
    const { runs = [] } = (await (
      await fetch(`${url}/api/2.0/mlflow/runs/search`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ experiment_ids: [run.info.experiment_id], filter: `tags.\`mlflow.parentRunId\` = '${runId}'` }),
      })
    ).json()) as { runs?: Run[] };
    const steps = runs.map((r) => [
      r.data.tags.find((t) => t.key === 'mlops.step')?.value,
      r.data.tags.find((t) => t.key === 'mlops.step.status')?.value,
    ]);
    assert.deepEqual(steps.sort(), [
      ['after', 'SUCCEEDED'],
      ['emit', 'SUCCEEDED'],
    ]);
    const again = mlops(['push', '--outbox', '--tracking-uri', url], local, env);
    assert.match(again.stdout, /Nothing waits/);
    assert.ok(existsSync(path.join(local, '.mlops')));
  });
});
