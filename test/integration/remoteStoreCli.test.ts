import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { remoteStore } from '../../client/src/core/tracking/remote/remoteStore';
import type { Run } from '../../client/src/core/tracking/repository';
import { copyChurnSample, mlops, mlopsAsync, startTeamServer } from '../helpers/cli';

/** MLOPS_TEST_MLFLOW_URL: the scenarios against a real MLflow server (helpers/cli.ts startTeamServer). */
const EXTERNAL = Boolean(process.env.MLOPS_TEST_MLFLOW_URL);

// A team's MLflow server, played by a second workspace's `mlops serve --mlflow-only` (no /mlops
// routes, mlflow-artifacts: URIs), and the built CLI tracking into it with --tracking-uri.
describe('a remote MLflow server as the store (mlops run, runs, models, monitor over REST only)', () => {
  let scratch: string;
  let remoteWs: string;
  let local: string;
  let serve: ChildProcess | undefined;
  let url = '';
  let token = '';
  let env: NodeJS.ProcessEnv;
  let parent: Run;
  let nested: Run[] = [];

  const call = async (method: string, p: string, body?: unknown): Promise<Record<string, unknown>> => {
    const r = await fetch(`${url}/api/2.0/${p}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await r.json()) as Record<string, unknown>;
    assert.equal(r.status, 200, `${p}: ${JSON.stringify(json)}`);
    return json;
  };
  const searchAll = async (filter?: string): Promise<Run[]> => {
    const { experiments } = (await call('POST', 'mlflow/experiments/search', { max_results: 1000 })) as {
      experiments: { experiment_id: string }[];
    };
    const { runs = [] } = (await call('POST', 'mlflow/runs/search', {
      experiment_ids: experiments.map((e) => e.experiment_id),
      ...(filter ? { filter } : {}),
      max_results: 1000,
    })) as { runs?: Run[] };
    return runs;
  };
  const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-remote-'));
    remoteWs = path.join(scratch, 'server');
    local = path.join(scratch, 'churn');
    copyChurnSample(local);
    ({ process: serve, url, token } = await startTeamServer(remoteWs));
    env = {
      ...process.env,
      MLFLOW_TRACKING_TOKEN: token,
      MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.05',
      MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0',
    };
    delete env.MLFLOW_TRACKING_URI;
  });

  after(() => {
    if (serve?.exitCode === null) serve.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the server answers MLflow only: /mlops routes are not there, artifact URIs are mlflow-artifacts:', async () => {
    const r = await fetch(`${url}/api/2.0/mlops/steps/list?run_id=x`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(r.status, 404);
    // A real MLflow server answers an unknown path with Flask's HTML page.
    if (!EXTERNAL) assert.equal(((await r.json()) as { error_code: string }).error_code, 'ENDPOINT_NOT_FOUND');
    const { experiment_id } = (await call('POST', 'mlflow/experiments/create', { name: 'probe' })) as { experiment_id: string };
    const { run } = (await call('POST', 'mlflow/runs/create', { experiment_id })) as { run: Run };
    assert.equal(run.info.artifact_uri, `mlflow-artifacts:/${experiment_id}/${run.info.run_id}/artifacts`);
    await call('POST', 'mlflow/experiments/delete', { experiment_id });
  });

  it('mlops run --tracking-uri records the pipeline run with each step as a nested run, and no workspace store', async () => {
    const result = mlops(['run', 'churn.pipeline.yaml', '--tracking-uri', url, '--json'], local, env);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const finished = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; runId?: string; registered?: { source: string; version: string } })
      .find((e) => e.type === 'run-finished')!;
    assert.ok(finished.runId);
    assert.equal(existsSync(path.join(local, '.mlops', 'tracking.db')), false, 'nothing tracked in the workspace');

    parent = (await call('GET', `mlflow/runs/get?run_id=${finished.runId}`)).run as Run;
    assert.equal(parent.info.status, 'FINISHED');
    assert.equal(tag(parent, 'mlops.pipeline'), 'customer-churn');
    nested = await searchAll(`tags.\`mlflow.parentRunId\` = '${parent.info.run_id}'`);
    assert.deepEqual(nested.map((r) => tag(r, 'mlops.step')).sort(), ['evaluate', 'preprocess', 'train', 'training_set']);
    for (const step of nested) {
      assert.equal(step.info.status, 'FINISHED', tag(step, 'mlops.step'));
      assert.equal(tag(step, 'mlops.step.status'), 'SUCCEEDED');
      assert.equal(tag(step, 'mlops.step.exit_code'), '0');
      assert.equal(tag(step, 'mlops.step.attempts'), '1');
      assert.match(tag(step, 'mlops.step.cache_key') ?? '', /^[0-9a-f]{64}$/);
      assert.equal(step.info.experiment_id, parent.info.experiment_id);
    }
    // The model went up under the parent's model/ and was registered from runs:/<parent>/model.
    assert.equal(finished.registered?.source, `runs:/${parent.info.run_id}/model`);
    const { model_version } = (await call(
      'GET',
      `mlflow/model-versions/get?name=customer_churn&version=${finished.registered!.version}`,
    )) as {
      model_version: { source: string; run_id: string; current_stage: string };
    };
    assert.equal(model_version.source, `runs:/${parent.info.run_id}/model`);
    assert.equal(model_version.current_stage, 'Staging');
  });

  it("uploads each step's log and outputs to its nested run, and the model to the parent", async () => {
    const list = async (uri: string, folder: string) => {
      const prefix = uri.replace(/^mlflow-artifacts:\/+/, '');
      const { files = [] } = (await call('GET', `mlflow-artifacts/artifacts?path=${encodeURIComponent(`${prefix}/${folder}`)}`)) as {
        files?: { path: string }[];
      };
      return files.map((f) => f.path);
    };
    const train = nested.find((r) => tag(r, 'mlops.step') === 'train')!;
    assert.deepEqual(await list(train.info.artifact_uri, 'logs'), ['train.log']);
    assert.ok((await list(train.info.artifact_uri, 'outputs')).includes('model'));
    assert.ok((await list(parent.info.artifact_uri, 'model')).length > 0);
    const log = await fetch(
      `${url}/api/2.0/mlflow-artifacts/artifacts/${train.info.artifact_uri.replace(/^mlflow-artifacts:\/+/, '')}/logs/train.log`,
      {
        headers: { Authorization: `Bearer ${token}` },
      },
    );
    assert.equal(log.status, 200);
    assert.ok((await log.text()).length > 0);
    // The step records name their nested run, where the Experiments view finds a log made on another machine.
    const { steps } = await remoteStore(url, { token }).api.listSteps({ run_id: parent.info.run_id });
    for (const step of steps) {
      const run = nested.find((r) => r.info.run_id === step.step_run_id);
      assert.ok(run, step.step_id);
      assert.deepEqual(await list(run.info.artifact_uri, 'logs'), [`${step.step_id}.log`]);
    }
  });

  it('a second run finds its cached steps on the server and registers no identical version', async () => {
    const result = mlops(['run', 'churn.pipeline.yaml', '--tracking-uri', url, '--json'], local, env);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; step?: string; cachedFrom?: string; reason?: string });
    const cached = events.filter((e) => e.type === 'step-finished' && e.cachedFrom === parent.info.run_id).map((e) => e.step);
    assert.deepEqual(cached.sort(), ['evaluate', 'preprocess', 'train', 'training_set']);
    assert.match(events.find((e) => e.type === 'register-skipped')?.reason ?? '', /already holds this model/);
  });

  it('mlops runs show and models list read the server through --tracking-uri (steps from nested runs)', () => {
    const shown = mlops(['runs', 'show', parent.info.run_id, '--tracking-uri', url, '--json'], local, env);
    assert.equal(shown.code, 0, shown.stderr);
    const json = JSON.parse(shown.stdout) as { steps: { step_id: string; status: string }[] };
    assert.deepEqual(
      json.steps.map((s) => [s.step_id, s.status]),
      [
        ['training_set', 'SUCCEEDED'],
        ['preprocess', 'SUCCEEDED'],
        ['train', 'SUCCEEDED'],
        ['evaluate', 'SUCCEEDED'],
      ],
    );
    const models = mlops(['models', 'list', '--json'], local, { ...env, MLFLOW_TRACKING_URI: url });
    assert.equal(models.code, 0, models.stderr);
    assert.match(models.stdout, /customer_churn/);
  });

  it('mlops monitor records the check as a run of an experiment named after the monitor, read back as history', async () => {
    const result = mlops(['monitor', 'churn.monitor.yaml', '--tracking-uri', url, '--json'], local, env);
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    assert.doesNotMatch(result.stderr, /not recorded/);
    const checked = JSON.parse(result.stdout) as { monitor: string; status: string; recorded: boolean };
    assert.equal(checked.recorded, true);
    const { experiment } = (await call('GET', `mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(checked.monitor)}`)) as {
      experiment: { experiment_id: string };
    };
    const { runs = [] } = (await call('POST', 'mlflow/runs/search', { experiment_ids: [experiment.experiment_id] })) as { runs?: Run[] };
    assert.equal(runs.length, 1);
    assert.equal(tag(runs[0]!, 'mlops.monitor.status'), checked.status);
    assert.ok(runs[0]!.data.metrics.some((m) => m.key === 'drift/share'));
    const history = await remoteStore(url, { token }).api.listMonitorResults({ monitor: checked.monitor });
    assert.equal(history.results.length, 1);
    assert.equal((history.results[0]!.payload as { status: string }).status, checked.status);
  });

  it(
    'a wrong token is refused with the server named, and nothing is written locally',
    { skip: EXTERNAL && 'a plain MLflow server takes any token' },
    () => {
      const result = mlops(['runs', 'list', '--tracking-uri', url], local, { ...env, MLFLOW_TRACKING_TOKEN: 'wrong' });
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /refused the credentials \(HTTP 401/);
      assert.ok(result.stderr.includes(new URL(url).origin));
    },
  );

  it('rides out 503 answers: the calls are retried and the run completes', async () => {
    // A proxy in front of the server that answers 503 to every third request.
    let count = 0;
    const target = new URL(url);
    const proxy: Server = createServer((req, res) => {
      if (++count % 3 === 0) {
        res.writeHead(503, { 'Retry-After': '0' }).end('{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}');
        return;
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const proxied = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const result = await mlopsAsync(['run', 'churn.pipeline.yaml', '--tracking-uri', proxied, '--no-cache', '--quiet'], local, env);
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(result.stderr, /retrying .* \(HTTP 503/);
      assert.ok(count > 20);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
