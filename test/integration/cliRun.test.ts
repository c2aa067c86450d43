import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunEvent } from '../../client/src/core/runner';
import { copyChurnSample, mlops, startServe } from '../helpers/cli';

const scratch = mkdtempSync(path.join(tmpdir(), 'mlops-cli-run-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh copy of samples/churn, without outputs or a store from earlier runs. */
function churnCopy(name: string): string {
  const dir = path.join(scratch, name);
  copyChurnSample(dir);
  return dir;
}

describe('mlops run on samples/churn', () => {
  it('runs the pipeline, registers the model, and reuses every step on a second run', () => {
    const ws = churnCopy('twice');
    const first = mlops(['run', 'churn.pipeline.yaml'], ws);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(
      first.stdout,
      /customer-churn: run \S+ \([0-9a-f]{32}\) in experiment customer_churn_prediction, 4 steps: training_set, preprocess, train, evaluate/,
    );
    for (const step of ['training_set', 'preprocess', 'train', 'evaluate'])
      assert.match(first.stdout, new RegExp(`✓ ${step} succeeded in`));
    assert.match(first.stdout, / {2}train \| wrote model to models\/model\.json/, 'step output, prefixed with the step');
    assert.match(first.stdout, /metrics: accuracy=0\.81 {2}auc=0\.8434/);
    assert.match(first.stdout, /registered: customer_churn version 1 \(Staging\) @candidate/);
    assert.ok(existsSync(path.join(ws, 'reports/metrics.json')));

    const second = mlops(['run', 'churn.pipeline.yaml', '--quiet'], ws);
    assert.equal(second.code, 0, second.stderr);
    for (const step of ['training_set', 'preprocess', 'train', 'evaluate'])
      assert.match(second.stdout, new RegExp(`= ${step} cached \\(reused run [0-9a-f]{32}\\)`));
    assert.match(second.stdout, /not registered: version 1 of customer_churn already holds this model/);
    assert.doesNotMatch(second.stdout, / \| /, '--quiet hides step output');

    const runs = mlops(['runs', 'list', '--json'], ws);
    const listed = JSON.parse(runs.stdout) as { info: { status: string } }[];
    assert.deepEqual(
      listed.map((r) => r.info.status),
      ['FINISHED', 'FINISHED'],
    );
  });

  it('prints JSON events, and takes params', () => {
    const ws = churnCopy('json');
    const result = mlops(['run', 'churn.pipeline.yaml', '--json', '--param', 'epochs=5', '--step', 'train'], ws);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunEvent);
    const started = events[0];
    assert.equal(started?.type, 'run-started');
    assert.deepEqual(started?.type === 'run-started' && started.steps, ['training_set', 'preprocess', 'train']);
    assert.equal(started?.type === 'run-started' && started.params.epochs, 5);
    const last = events.at(-1);
    assert.equal(last?.type === 'run-finished' && last.status, 'FINISHED');
    assert.match(
      readFileSync(path.join(ws, '.mlops/runs', started?.type === 'run-started' ? started.runId : '', 'train.log'), 'utf8'),
      /5 epochs/,
    );
  });

  it('exits 1 with the failing step named, and 2 for a bad param', () => {
    const ws = churnCopy('fail');
    rmSync(path.join(ws, 'steps/train.py'));
    const failed = mlops(['run', 'churn.pipeline.yaml', '--quiet'], ws);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /✗ train failed: exited with code 2 \(log: .*train\.log\)/);
    assert.match(failed.stdout, /evaluate +SKIPPED/);
    const bad = mlops(['run', 'churn.pipeline.yaml', '--param', 'test_size=2'], ws);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /test_size must be at most 1, got 2/);
  });

  it('logs through the endpoint of the process that holds the store', async () => {
    const ws = churnCopy('peer');
    const serving = await startServe(ws);
    try {
      const result = mlops(['run', 'churn.pipeline.yaml', '--quiet'], ws);
      assert.equal(result.code, 0, result.stderr);
      const models = await fetch(`${serving.url}/api/2.0/mlflow/registered-models/get?name=customer_churn`, {
        headers: { Authorization: `Bearer ${serving.token}` },
      });
      assert.equal(models.status, 200);
      const listed = mlops(['runs', 'list', '--json'], ws);
      assert.equal((JSON.parse(listed.stdout) as unknown[]).length, 1);
    } finally {
      serving.process.kill('SIGTERM');
      await new Promise((resolve) => serving.process.once('exit', resolve));
    }
  });
});
