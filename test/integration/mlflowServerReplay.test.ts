import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyChurnSample, mlopsAsync, ROOT } from '../helpers/cli';
import { readTraffic } from '../helpers/mlflowTraffic';
import { startReplayServer, type ReplayServer } from '../helpers/replayServer';

// The CLI against MLflow 2.12.2's own tracking server. With MLOPS_TEST_MLFLOW_URL set, against
// that server (the recording was made so, through helpers/recordingProxy.ts); otherwise against a
// replay of what that server answered (test/fixtures/mlflow-2.12.2/cli-traffic.jsonl). The bin runs
// as a child process without blocking this one, which serves the replay.
const FIXTURE = path.join(ROOT, 'test/fixtures/mlflow-2.12.2/cli-traffic.jsonl');
const LIVE = process.env.MLOPS_TEST_MLFLOW_URL;

type RunEvent = { type: string; runId?: string; step?: string; cachedFrom?: string; reason?: string; registered?: { version: string } };
const events = (stdout: string): RunEvent[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent);

describe("mlops on MLflow 2.12.2's tracking server (a replay of its answers)", () => {
  let scratch: string;
  let local: string;
  let replay: ReplayServer | undefined;
  let url = '';
  let env: NodeJS.ProcessEnv;
  let parentId = '';

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-replay-server-'));
    local = path.join(scratch, 'churn');
    copyChurnSample(local);
    if (LIVE) url = LIVE;
    else {
      replay = await startReplayServer(readTraffic(FIXTURE));
      url = replay.url;
    }
    env = { ...process.env, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' };
    delete env.MLFLOW_TRACKING_URI;
    delete env.MLFLOW_TRACKING_TOKEN;
  });

  after(async () => {
    await replay?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('mlops run: the pipeline run, its steps as nested runs, the model registered to Staging', async () => {
    const r = await mlopsAsync(['run', 'churn.pipeline.yaml', '--tracking-uri', url, '--json'], local, env);
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
    const all = events(r.stdout);
    const finished = all.find((e) => e.type === 'run-finished')!;
    parentId = finished.runId!;
    assert.match(parentId, /^[0-9a-f]{32}$/);
    assert.equal(finished.registered?.version, '1');
    assert.deepEqual(
      all.filter((e) => e.type === 'step-finished').map((e) => e.step),
      ['training_set', 'preprocess', 'train', 'evaluate'],
    );
    assert.doesNotMatch(r.stderr, /warning/);
  });

  it('a second mlops run finds every step cached on the server and registers nothing new', async () => {
    const r = await mlopsAsync(['run', 'churn.pipeline.yaml', '--tracking-uri', url, '--json'], local, env);
    assert.equal(r.code, 0, r.stderr);
    const all = events(r.stdout);
    assert.deepEqual(
      all.filter((e) => e.type === 'step-finished' && e.cachedFrom === parentId).map((e) => e.step),
      ['training_set', 'preprocess', 'train', 'evaluate'],
    );
    assert.match(all.find((e) => e.type === 'register-skipped')?.reason ?? '', /version 1 of customer_churn already holds this model/);
  });

  it('mlops runs show reads the steps back from the nested runs', async () => {
    const r = await mlopsAsync(['runs', 'show', parentId, '--tracking-uri', url, '--json'], local, env);
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse(r.stdout) as { steps: { step_id: string; status: string }[] };
    assert.deepEqual(
      shown.steps.map((s) => [s.step_id, s.status]),
      [
        ['training_set', 'SUCCEEDED'],
        ['preprocess', 'SUCCEEDED'],
        ['train', 'SUCCEEDED'],
        ['evaluate', 'SUCCEEDED'],
      ],
    );
  });

  it('mlops models promote and list: stage and alias on the server', async () => {
    const promoted = await mlopsAsync(
      ['models', 'promote', 'customer_churn', '1', 'Production', '--alias', 'champion', '--tracking-uri', url],
      local,
      env,
    );
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.match(promoted.stdout, /customer_churn version 1: stage Production, aliases .*@champion/);
    const listed = await mlopsAsync(['models', 'list', '--tracking-uri', url], local, env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /customer_churn\s+Production:v1\s+.*@champion=v1/);
  });

  it('mlops monitor records the check as a run in the experiment named after the monitor', async () => {
    const r = await mlopsAsync(['monitor', 'churn.monitor.yaml', '--tracking-uri', url, '--json'], local, env);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const checked = JSON.parse(r.stdout) as { recorded: boolean; monitor: string };
    assert.equal(checked.recorded, true, r.stderr);
    const listed = await mlopsAsync(['experiments', 'list', '--tracking-uri', url], local, env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(listed.stdout.includes(checked.monitor), listed.stdout);
    assert.match(listed.stdout, /customer_churn_prediction/);
  });

  it('every call the CLI made is one the server was recorded answering', { skip: Boolean(LIVE) && 'live server' }, () => {
    assert.deepEqual(replay!.unmatched, []);
    assert.ok(replay!.used() > 40, String(replay!.used()));
  });
});
