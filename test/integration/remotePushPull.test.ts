import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModelVersion, Run } from '../../client/src/core/tracking/repository';
import { openTrackingStore } from '../../client/src/core/tracking/store';
import { copyChurnSample, mlops, startTeamServer } from '../helpers/cli';

// Workspace runs and models pushed to a team server (a second workspace's serve --mlflow-only),
// pushed again (nothing added), and pulled into a third workspace.
describe('mlops push --to and pull --from', () => {
  let scratch: string;
  let local: string;
  let serve: ChildProcess | undefined;
  let url = '';
  let token = '';
  let env: NodeJS.ProcessEnv;
  let localRun: Run;
  let localPoints = 0;

  const call = async (method: string, p: string, body?: unknown): Promise<Record<string, unknown>> => {
    const r = await fetch(`${url}/api/2.0/mlflow/${p}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await r.json()) as Record<string, unknown>;
    assert.equal(r.status, 200, `${p}: ${JSON.stringify(json)}`);
    return json;
  };

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-push-'));
    local = path.join(scratch, 'churn');
    copyChurnSample(local);
    env = { ...process.env };
    delete env.MLFLOW_TRACKING_URI;
    const ran = mlops(['run', 'churn.pipeline.yaml', '--quiet'], local, env);
    assert.equal(ran.code, 0, ran.stderr + ran.stdout);
    const store = await openTrackingStore({ workspaceDir: local, inProcess: true });
    try {
      const { experiment } = await store.api.getExperimentByName({ experiment_name: 'customer_churn_prediction' });
      [localRun] = (await store.api.searchRuns({ experiment_ids: [experiment.experiment_id] })).runs as [Run];
      for (const m of localRun.data.metrics)
        localPoints += (await store.api.getMetricHistory({ run_id: localRun.info.run_id, metric_key: m.key })).metrics.length;
    } finally {
      await store.close();
    }
    ({ process: serve, url, token } = await startTeamServer(path.join(scratch, 'server')));
    env = { ...env, MLFLOW_TRACKING_TOKEN: token };
  });

  after(() => {
    if (serve?.exitCode === null) serve.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('pushes runs with every metric point and artifact, and the model with its stage and alias', async () => {
    const pushed = mlops(['push', '--to', url, '--models'], local, env);
    assert.equal(pushed.code, 0, pushed.stderr + pushed.stdout);
    assert.match(pushed.stdout, /Pushed 1 run of \d+ experiments? \(/);
    assert.match(pushed.stderr, /customer_churn_prediction: 1\/1 runs/);
    const { experiment } = (await call('GET', 'experiments/get-by-name?experiment_name=customer_churn_prediction')) as {
      experiment: { experiment_id: string };
    };
    const { runs = [] } = (await call('POST', 'runs/search', { experiment_ids: [experiment.experiment_id] })) as { runs?: Run[] };
    assert.equal(runs.length, 1);
    const copy = runs[0]!;
    assert.equal(copy.data.tags.find((t) => t.key === 'mlops.sourceRunId')?.value, localRun.info.run_id);
    assert.equal(copy.info.status, 'FINISHED');
    assert.equal(copy.info.start_time, localRun.info.start_time);
    assert.deepEqual(
      copy.data.params.map((p) => `${p.key}=${p.value}`).sort(),
      localRun.data.params.map((p) => `${p.key}=${p.value}`).sort(),
    );
    let points = 0;
    for (const m of copy.data.metrics)
      points += ((await call('GET', `metrics/get-history?run_id=${copy.info.run_id}&metric_key=${m.key}`)).metrics as unknown[]).length;
    assert.equal(points, localPoints);
    const { files = [] } = (await call('GET', `artifacts/list?run_id=${copy.info.run_id}&path=model`)) as { files?: { path: string }[] };
    assert.ok(files.length > 0, 'the model files were uploaded');
    const { model_versions } = (await call('GET', `model-versions/search?filter=${encodeURIComponent("name = 'customer_churn'")}`)) as {
      model_versions: ModelVersion[];
    };
    assert.equal(model_versions.length, 1);
    // The local source was the file model/model.json of the run: it moves with the run.
    assert.equal(model_versions[0]!.source, `runs:/${copy.info.run_id}/model/model.json`);
    assert.equal(model_versions[0]!.current_stage, 'Staging');
    const { registered_model } = (await call('GET', 'registered-models/get?name=customer_churn')) as {
      registered_model: { aliases: { alias: string; version: string }[] };
    };
    assert.deepEqual(registered_model.aliases, [{ alias: 'candidate', version: model_versions[0]!.version }]);
  });

  it('pushing again adds nothing', () => {
    const again = mlops(['push', '--to', url, '--models'], local, env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Pushed 0 runs .*; 1 already there/);
    assert.match(again.stdout, /versions copied 0, already there 1/);
  });

  it('pulls an experiment and its models into another workspace, and again adds nothing', async () => {
    const offline = path.join(scratch, 'offline');
    mkdirSync(offline);
    const pulled = mlops(['pull', '--from', url, '--experiment', 'customer_churn_prediction', '--models'], offline, env);
    assert.equal(pulled.code, 0, pulled.stderr + pulled.stdout);
    assert.match(pulled.stdout, /Pulled 1 run /);
    const twice = mlops(['pull', '--from', url, '--experiment', 'customer_churn_prediction', '--models'], offline, env);
    assert.match(twice.stdout, /Pulled 0 runs .*; 1 already there/);
    const store = await openTrackingStore({ workspaceDir: offline, inProcess: true });
    try {
      const { experiment } = await store.api.getExperimentByName({ experiment_name: 'customer_churn_prediction' });
      const { runs } = await store.api.searchRuns({ experiment_ids: [experiment.experiment_id] });
      assert.equal(runs.length, 1);
      assert.equal(runs[0]!.data.metrics.length, localRun.data.metrics.length);
      const versions = (await store.api.searchModelVersions({ filter: "name = 'customer_churn'" })).model_versions;
      assert.equal(versions.length, 1);
      assert.equal(versions[0]!.current_stage, 'Staging');
    } finally {
      await store.close();
    }
  });

  it('refuses a bad URI and a pull without experiments, saying what to give', () => {
    assert.match(mlops(['push', '--to', 'mlruns/'], local, env).stderr, /--to: 'mlruns\/' is not a URL/);
    assert.match(mlops(['pull', '--from', url], local, env).stderr, /name the experiments to pull/);
  });
});
