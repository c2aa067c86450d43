import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { openTrackingStore } from '../../client/src/core/tracking/store';
import { CLI_JS, startServe } from '../helpers/cli';

const run = promisify(execFile);
const BATCHES = 30;
const PER_BATCH = 1000;
const PROMOTIONS = 8;

// Two writers at once: a REST client logging points and the `mlops` CLI changing the registry, both
// through the endpoint of the process holding the store (`mlops serve`), which is then SIGKILLed.
// Whatever either writer saw acknowledged must be in the database when it is opened again.
describe('tracking store faults: two writers at once (REST and the CLI), then kill -9', () => {
  let ws: string;
  let serve: ChildProcess;
  let url = '';
  let token = '';

  const call = async (route: string, body: unknown) => {
    const r = await fetch(`${url}/api/2.0/mlflow/${route}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await r.json()) as Record<string, unknown>;
    assert.equal(r.status, 200, JSON.stringify(json));
    return json;
  };

  before(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'mlops-two-writers-'));
    ({ process: serve, url, token } = await startServe(ws));
  });

  after(() => {
    if (serve.exitCode === null) serve.kill('SIGKILL');
    rmSync(ws, { recursive: true, force: true });
  });

  it('loses no acknowledged point or promotion', { timeout: 120_000 }, async () => {
    const { run: created } = (await call('runs/create', { experiment_id: '0', start_time: Date.now() })) as {
      run: { info: { run_id: string } };
    };
    const runId = created.info.run_id;
    await call('registered-models/create', { name: 'churn' });
    for (let v = 0; v < 2; v++) await call('model-versions/create', { name: 'churn', source: `file:///m${v}`, run_id: runId });

    let ackedPoints = 0;
    const logging = (async () => {
      for (let b = 0; b < BATCHES; b++) {
        const metrics = Array.from({ length: PER_BATCH }, (_, i) => ({
          key: 'loss',
          value: 1 / (b * PER_BATCH + i + 1),
          timestamp: 1_700_000_000_000 + b,
          step: b * PER_BATCH + i,
        }));
        await call('runs/log-batch', { run_id: runId, metrics });
        ackedPoints += PER_BATCH;
      }
    })();
    const acked: string[] = [];
    const promoting = (async () => {
      for (let i = 0; i < PROMOTIONS; i++) {
        const version = String((i % 2) + 1);
        const { stdout } = await run(process.execPath, [
          CLI_JS,
          'models',
          'promote',
          'churn',
          version,
          i % 2 ? 'Staging' : 'Production',
          '--alias',
          `a${i}`,
          '--workspace',
          ws,
        ]);
        assert.match(stdout, new RegExp(`churn version ${version}: stage`));
        acked.push(`a${i}`);
      }
    })();
    await Promise.all([logging, promoting]);
    assert.equal(ackedPoints, BATCHES * PER_BATCH);
    assert.equal(acked.length, PROMOTIONS);

    const exited = new Promise((resolve) => serve.on('exit', resolve));
    serve.kill('SIGKILL');
    await exited;

    const store = await openTrackingStore({ workspaceDir: ws, inProcess: true });
    try {
      let points = 0;
      let pageToken: string | undefined;
      do {
        const page = await store.api.getMetricHistory({
          run_id: runId,
          metric_key: 'loss',
          max_results: 25_000,
          ...(pageToken ? { page_token: pageToken } : {}),
        });
        points += page.metrics.length;
        pageToken = page.next_page_token || undefined;
      } while (pageToken);
      assert.equal(points, ackedPoints, 'every acknowledged point is there after kill -9');
      const { registered_model } = await store.api.getRegisteredModel({ name: 'churn' });
      assert.deepEqual(registered_model.aliases.map((a) => a.alias).sort(), [...acked].sort());
      assert.ok(store.recovery.staleLockTakenOverFrom, 'the killed holder left a stale lock, taken over');
    } finally {
      await store.close();
    }
  });
});
