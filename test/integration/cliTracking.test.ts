import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { mlops, startServe } from '../helpers/cli';

// The built bin against a real workspace: `mlops serve` holds the store, the other commands go
// through its endpoint (server.json); once it stops they open the database themselves.
describe('mlops serve, experiments, runs and models (the built bin)', () => {
  let ws: string;
  let serve: ChildProcess;
  let url = '';
  let token = '';
  let runId = '';
  let source = '';

  const call = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`${url}/api/2.0/mlflow/${p}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await r.json()) as Record<string, unknown>;
    assert.equal(r.status, 200, JSON.stringify(json));
    return json;
  };

  before(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'mlops-cli-'));
    ({ process: serve, url, token } = await startServe(ws));
    const { experiment_id } = (await call('POST', 'experiments/create', { name: 'customer_churn_prediction' })) as {
      experiment_id: string;
    };
    const created = (await call('POST', 'runs/create', { experiment_id, run_name: 'xgboost_v1', start_time: Date.now() })) as {
      run: { info: { run_id: string; artifact_uri: string } };
    };
    runId = created.run.info.run_id;
    await call('POST', 'runs/log-batch', {
      run_id: runId,
      params: [{ key: 'n_estimators', value: '100' }],
      metrics: [{ key: 'auc', value: 0.94, timestamp: Date.now() }],
    });
    source = `${created.run.info.artifact_uri}/model`;
    await call('POST', 'registered-models/create', { name: 'customer_churn' });
    await call('POST', 'model-versions/create', { name: 'customer_churn', source, run_id: runId });
    await call('POST', 'model-versions/create', { name: 'customer_churn', source: `${source}-2`, run_id: runId });
  });

  after(() => {
    if (serve.exitCode === null) serve.kill('SIGKILL');
    rmSync(ws, { recursive: true, force: true });
  });

  it('writes server.json with mode 0600 naming the endpoint', () => {
    const file = path.join(ws, '.mlops', 'server.json');
    const info = JSON.parse(readFileSync(file, 'utf8')) as { url: string; token: string; pid: number };
    assert.deepEqual([info.url, info.token, info.pid], [url, token, serve.pid]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lists experiments and runs through the endpoint while serve holds the store', () => {
    const experiments = mlops(['experiments', 'list', '--workspace', ws]);
    assert.equal(experiments.code, 0, experiments.stderr);
    assert.match(experiments.stdout, /^ID\s+NAME\s+STAGE\s+CREATED\n0\s+Default\s+active.*\n1\s+customer_churn_prediction\s+active/);
    const runs = mlops([
      'runs',
      'list',
      '--workspace',
      ws,
      '--experiment',
      'customer_churn_prediction',
      '--filter',
      'metrics.auc > 0.9',
      '--json',
    ]);
    assert.equal(runs.code, 0, runs.stderr);
    assert.deepEqual(
      (JSON.parse(runs.stdout) as { info: { run_id: string } }[]).map((r) => r.info.run_id),
      [runId],
    );
    const none = mlops(['runs', 'list', '--workspace', ws, '--filter', 'metrics.auc > 0.99']);
    assert.equal(none.stdout.trim().split('\n').length, 1, 'only the header');
    const bad = mlops(['runs', 'list', '--workspace', ws, '--filter', 'metrics.auc >']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Invalid filter 'metrics.auc >': expected a value/);
    const show = mlops(['runs', 'show', runId, '--workspace', ws]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /Run [0-9a-f]{32} \(xgboost_v1\)/);
    assert.match(show.stdout, /n_estimators\s+100/);
    assert.match(show.stdout, /auc\s+0\.94/);
  });

  it('promotes with --archive-existing and --alias, lists and resolves models', () => {
    assert.equal(mlops(['models', 'promote', 'customer_churn', '1', 'production', '--workspace', ws]).code, 0);
    const promote = mlops([
      'models',
      'promote',
      'customer_churn',
      '2',
      'Production',
      '--archive-existing',
      '--alias',
      'champion',
      '--workspace',
      ws,
    ]);
    assert.equal(promote.code, 0, promote.stderr);
    assert.equal(promote.stdout, 'customer_churn version 2: stage Production, aliases @champion\n');
    const list = mlops(['models', 'list', '--workspace', ws]);
    assert.match(list.stdout, /customer_churn\s+Archived:v1 Production:v2\s+@champion=v2/);
    const byStage = mlops(['models', 'resolve', 'models:/customer_churn/production', '--workspace', ws]);
    assert.equal(byStage.code, 0, byStage.stderr);
    assert.equal(byStage.stdout, `${fileURLToPath(`${source}-2`)}\n`);
    assert.equal(
      mlops(['models', 'resolve', 'models:/customer_churn@champion', '--workspace', ws]).stdout,
      `${fileURLToPath(`${source}-2`)}\n`,
    );
    assert.equal(mlops(['models', 'resolve', 'models:/customer_churn/1', '--workspace', ws]).stdout, `${fileURLToPath(source)}\n`);
    const missing = mlops(['models', 'resolve', 'models:/customer_churn/Staging', '--workspace', ws]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No versions of model with name 'customer_churn' and stage 'Staging' found/);
    const bad = mlops(['models', 'promote', 'customer_churn', '2', 'Prod', '--workspace', ws]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Invalid Model Version stage: Prod/);
    assert.equal(mlops(['models', 'promote', 'customer_churn', '--workspace', ws]).code, 2);
  });

  it('stops on SIGTERM, removes server.json, and the CLI then opens the database itself', async () => {
    const exited = new Promise<number | null>((resolve) => serve.on('exit', resolve));
    serve.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(!existsSync(path.join(ws, '.mlops', 'server.json')));
    const resolved = mlops(['models', 'resolve', 'models:/customer_churn@champion', '--json', '--workspace', ws]);
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.deepEqual(JSON.parse(resolved.stdout), {
      name: 'customer_churn',
      version: '2',
      stage: 'Production',
      artifact_uri: `${source}-2`,
      path: fileURLToPath(`${source}-2`),
    });
  });

  it('has help for the groups and their commands', () => {
    assert.match(mlops(['--help']).stdout, /serve\s+Serve the workspace tracking store/);
    assert.match(mlops(['runs', '--help']).stdout, /list\s+List runs/);
    assert.match(mlops(['runs', 'list', '--help']).stdout, /Usage: mlops runs list/);
    assert.equal(mlops(['runs', 'fly']).code, 2);
  });
});
