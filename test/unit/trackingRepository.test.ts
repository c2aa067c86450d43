import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MlflowError, WRITE_METHODS, type TrackingRepository } from '../../client/src/core/tracking/repository';
import { memoryRepository } from '../helpers/restStore';

function throwsMlflow(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof MlflowError, String(e));
    assert.equal(e.errorCode, code);
    if (message) assert.match(e.message, message);
    return true;
  });
}

async function withRun(): Promise<{ repo: TrackingRepository; runId: string; experimentId: string; changes: { kind: string }[] }> {
  const { repo, changes } = await memoryRepository();
  const { experiment_id } = repo.createExperiment({ name: 'churn' });
  const { run } = repo.createRun({ experiment_id, start_time: 1000, run_name: 'xgboost_v1' });
  return { repo, runId: run.info.run_id, experimentId: experiment_id, changes };
}

describe('tracking repository: experiments', () => {
  it('has the Default experiment as id 0 and numbers new ones from 1', async () => {
    const { repo } = await memoryRepository();
    assert.equal(repo.getExperiment({ experiment_id: '0' }).experiment.name, 'Default');
    assert.equal(repo.createExperiment({ name: 'a' }).experiment_id, '1');
    assert.equal(repo.getExperimentByName({ experiment_name: 'a' }).experiment.experiment_id, '1');
    assert.match(repo.getExperiment({ experiment_id: '1' }).experiment.artifact_location, /^file:\/\/.*\/1$/);
  });

  it('refuses duplicates and names what is missing', async () => {
    const { repo } = await memoryRepository();
    repo.createExperiment({ name: 'a' });
    throwsMlflow(() => repo.createExperiment({ name: 'a' }), 'RESOURCE_ALREADY_EXISTS', /Experiment 'a' already exists/);
    throwsMlflow(
      () => repo.getExperimentByName({ experiment_name: 'b' }),
      'RESOURCE_DOES_NOT_EXIST',
      /Could not find experiment with name 'b'/,
    );
    throwsMlflow(() => repo.getExperiment({ experiment_id: '42' }), 'RESOURCE_DOES_NOT_EXIST', /No Experiment with id=42 exists/);
    throwsMlflow(() => repo.getExperiment({ experiment_id: 'x; DROP TABLE runs' }), 'RESOURCE_DOES_NOT_EXIST');
    throwsMlflow(() => repo.createExperiment({ name: '' }), 'INVALID_PARAMETER_VALUE');
    throwsMlflow(() => repo.deleteExperiment({ experiment_id: '0' }), 'INVALID_PARAMETER_VALUE');
  });

  it('deletes and restores an experiment together with its runs, and searches by view type', async () => {
    const { repo, experimentId, runId } = await withRun();
    repo.deleteExperiment({ experiment_id: experimentId });
    assert.equal(repo.getRun({ run_id: runId }).run.info.lifecycle_stage, 'deleted');
    assert.deepEqual(
      repo.searchExperiments({}).experiments.map((e) => e.name),
      ['Default'],
    );
    assert.deepEqual(
      repo.searchExperiments({ view_type: 'DELETED_ONLY' }).experiments.map((e) => e.name),
      ['churn'],
    );
    throwsMlflow(() => repo.createRun({ experiment_id: experimentId }), 'INVALID_PARAMETER_VALUE', /must be in the 'active' state/);
    repo.restoreExperiment({ experiment_id: experimentId });
    assert.equal(repo.getRun({ run_id: runId }).run.info.lifecycle_stage, 'active');
  });

  it('searches experiments by name and tag with paging', async () => {
    let t = 0;
    const { repo } = await memoryRepository({ now: () => ++t });
    for (const name of ['a1', 'a2', 'b1']) repo.createExperiment({ name, tags: [{ key: 'team', value: name[0]! }] });
    const first = repo.searchExperiments({ filter: "name LIKE 'a%'", max_results: 1, order_by: ['name ASC'] });
    assert.deepEqual(
      first.experiments.map((e) => e.name),
      ['a1'],
    );
    const second = repo.searchExperiments({
      filter: "name LIKE 'a%'",
      max_results: 1,
      order_by: ['name ASC'],
      page_token: first.next_page_token,
    });
    assert.deepEqual(
      second.experiments.map((e) => e.name),
      ['a2'],
    );
    assert.equal(second.next_page_token, undefined);
    assert.deepEqual(
      repo.searchExperiments({ filter: "tags.team = 'b'" }).experiments.map((e) => e.name),
      ['b1'],
    );
    throwsMlflow(() => repo.searchExperiments({ max_results: 50001 }), 'INVALID_PARAMETER_VALUE', /max_results/);
    throwsMlflow(() => repo.searchExperiments({ page_token: 'not a token!' }), 'INVALID_PARAMETER_VALUE', /Invalid page token/);
  });
});

describe('tracking repository: runs, params, metrics', () => {
  it('creates runs with 32-hex ids, the run name tag and a file:// artifact URI', async () => {
    const { repo, runId, experimentId } = await withRun();
    const { run } = repo.getRun({ run_id: runId });
    assert.match(runId, /^[0-9a-f]{32}$/);
    assert.equal(run.info.run_name, 'xgboost_v1');
    assert.equal(run.info.status, 'RUNNING');
    assert.ok(run.data.tags.some((t) => t.key === 'mlflow.runName' && t.value === 'xgboost_v1'));
    assert.ok(run.info.artifact_uri.endsWith(`/${experimentId}/${runId}/artifacts`));
    const unnamed = repo.createRun({ experiment_id: experimentId }).run.info.run_name;
    assert.match(unnamed, /^[a-z]+-[a-z]+-\d+$/);
    throwsMlflow(
      () => repo.createRun({ run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }),
      'INVALID_PARAMETER_VALUE',
      /different values/,
    );
  });

  it('keeps params immutable: the same value again is fine, a different one is refused', async () => {
    const { repo, runId } = await withRun();
    repo.logParam({ run_id: runId, key: 'n_estimators', value: '100' });
    repo.logParam({ run_id: runId, key: 'n_estimators', value: '100' });
    throwsMlflow(
      () => repo.logParam({ run_id: runId, key: 'n_estimators', value: '200' }),
      'INVALID_PARAMETER_VALUE',
      /Changing param values is not allowed/,
    );
    throwsMlflow(
      () =>
        repo.logBatch({ run_id: runId, params: [{ key: 'n_estimators', value: '5' }], metrics: [{ key: 'auc', value: 1, timestamp: 1 }] }),
      'INVALID_PARAMETER_VALUE',
    );
    assert.deepEqual(repo.getRun({ run_id: runId }).run.data.metrics, [], 'a refused batch writes nothing');
  });

  it('keeps the latest metric by max step, then timestamp, then value', async () => {
    const { repo, runId } = await withRun();
    repo.logBatch({
      run_id: runId,
      metrics: [
        { key: 'loss', value: 0.5, timestamp: 100, step: 2 },
        { key: 'loss', value: 0.9, timestamp: 999, step: 1 },
        { key: 'loss', value: 0.4, timestamp: 100, step: 2 },
      ],
    });
    assert.deepEqual(repo.getRun({ run_id: runId }).run.data.metrics, [{ key: 'loss', value: 0.5, timestamp: 100, step: 2 }]);
    repo.logMetric({ run_id: runId, key: 'loss', value: 0.1, timestamp: 50, step: 2 });
    assert.equal(repo.getRun({ run_id: runId }).run.data.metrics[0]?.value, 0.5, 'an older timestamp at the same step does not win');
    repo.logMetric({ run_id: runId, key: 'loss', value: 'NaN', timestamp: 1, step: 3 });
    assert.equal(repo.getRun({ run_id: runId }).run.data.metrics[0]?.value, 'NaN');
    const history = repo.getMetricHistory({ run_id: runId, metric_key: 'loss' }).metrics;
    assert.deepEqual(
      history.map((m) => m.step),
      [1, 2, 2, 2, 3],
    );
  });

  it('pages metric history with max_results and page_token', async () => {
    const { repo, runId } = await withRun();
    repo.logBatch({ run_id: runId, metrics: Array.from({ length: 5 }, (_, i) => ({ key: 'acc', value: i / 10, timestamp: i, step: i })) });
    const first = repo.getMetricHistory({ run_id: runId, metric_key: 'acc', max_results: 2 });
    assert.deepEqual(
      first.metrics.map((m) => m.step),
      [0, 1],
    );
    const rest = repo.getMetricHistory({ run_id: runId, metric_key: 'acc', max_results: 10, page_token: first.next_page_token });
    assert.deepEqual(
      rest.metrics.map((m) => m.step),
      [2, 3, 4],
    );
    assert.equal(rest.next_page_token, undefined);
  });

  it('enforces log-batch limits and key rules with MLflow wording', async () => {
    const { repo, runId } = await withRun();
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: i }));
    throwsMlflow(() => repo.logBatch({ run_id: runId, metrics }), 'INVALID_PARAMETER_VALUE', /at most 1000 metrics/);
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    throwsMlflow(() => repo.logBatch({ run_id: runId, params }), 'INVALID_PARAMETER_VALUE', /at most 100 params/);
    const tags = Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    throwsMlflow(() => repo.logBatch({ run_id: runId, tags }), 'INVALID_PARAMETER_VALUE', /at most 100 tags/);
    throwsMlflow(
      () => repo.logBatch({ run_id: runId, metrics: metrics.slice(0, 950), params: params.slice(0, 51) }),
      'INVALID_PARAMETER_VALUE',
      /at most 1000 metrics, params, and tags/,
    );
    throwsMlflow(() => repo.logParam({ run_id: runId, key: 'big', value: 'x'.repeat(6001) }), 'INVALID_PARAMETER_VALUE', /6000/);
    throwsMlflow(() => repo.logParam({ run_id: runId, key: '../etc', value: '1' }), 'INVALID_PARAMETER_VALUE', /resolve to/);
    throwsMlflow(
      () => repo.logMetric({ run_id: runId, key: 'a*b', value: 1, timestamp: 1 }),
      'INVALID_PARAMETER_VALUE',
      /Names may only contain/,
    );
    throwsMlflow(
      () =>
        repo.logBatch({
          run_id: runId,
          params: [
            { key: 'a', value: '1' },
            { key: 'a', value: '1' },
          ],
        }),
      'INVALID_PARAMETER_VALUE',
      /Duplicate parameter keys/,
    );
    throwsMlflow(
      () => repo.logMetric({ run_id: 'f'.repeat(32), key: 'a', value: 1, timestamp: 1 }),
      'RESOURCE_DOES_NOT_EXIST',
      /Run with id=f+ not found/,
    );
  });

  it('counts length limits in code points as MLflow (Python len) does, with its wording', async () => {
    const { repo, runId } = await withRun();
    const tooLong = (field: string, limit: number) => new RegExp(`^'${field}' exceeds the maximum length of ${limit} characters$`);
    // 4,000 emoji: 8,000 UTF-16 units, 4,000 code points, under the 6,000 param value limit.
    const emoji = '\u{1F600}'.repeat(4000);
    repo.logParam({ run_id: runId, key: 'emoji', value: emoji });
    repo.logBatch({ run_id: runId, params: [{ key: 'emoji_batch', value: emoji }], tags: [{ key: 'emoji_tag', value: emoji }] });
    const { data } = repo.getRun({ run_id: runId }).run;
    assert.equal(data.params.find((p) => p.key === 'emoji')?.value, emoji);
    assert.equal(data.params.find((p) => p.key === 'emoji_batch')?.value, emoji);
    assert.equal(data.tags.find((t) => t.key === 'emoji_tag')?.value, emoji);

    // 6,001 code points: refused as before, whether one or two units each.
    for (const value of ['x'.repeat(6001), '\u{1F600}'.repeat(6001), '\u{1F600}'.repeat(3000) + 'x'.repeat(3001)]) {
      throwsMlflow(() => repo.logParam({ run_id: runId, key: 'big', value }), 'INVALID_PARAMETER_VALUE', tooLong('value', 6000));
    }
    // At the boundary: 6,000 code points pass however many of them are surrogate pairs.
    const boundary = [
      'x'.repeat(5999) + '\u{1F600}',
      '\u{1F600}'.repeat(3000) + 'x'.repeat(3000),
      'x\u{1F600}'.repeat(3000),
      '\u{1F600}'.repeat(6000),
    ];
    boundary.forEach((value, i) => repo.logParam({ run_id: runId, key: `edge${i}`, value }));
    const params = repo.getRun({ run_id: runId }).run.data.params;
    boundary.forEach((value, i) => assert.equal(params.find((p) => p.key === `edge${i}`)?.value, value));
    // A lone surrogate counts as one code point, as in Python.
    throwsMlflow(
      () => repo.logParam({ run_id: runId, key: 'unpaired', value: '\uDE00'.repeat(3001) + '\u{1F600}'.repeat(3000) }),
      'INVALID_PARAMETER_VALUE',
      tooLong('value', 6000),
    );

    // Keys (250), tag values (8000) and experiment names (500) count the same way.
    const letter = '\u{1D49C}'; // MATHEMATICAL SCRIPT CAPITAL A: a letter outside the BMP
    repo.setTag({ run_id: runId, key: letter.repeat(250), value: '\u{1F600}'.repeat(8000) });
    throwsMlflow(() => repo.setTag({ run_id: runId, key: letter.repeat(251), value: 'v' }), 'INVALID_PARAMETER_VALUE', tooLong('key', 250));
    throwsMlflow(
      () => repo.setTag({ run_id: runId, key: 'long', value: '\u{1F600}'.repeat(8001) }),
      'INVALID_PARAMETER_VALUE',
      tooLong('value', 8000),
    );
    const { experiment_id } = repo.createExperiment({ name: '\u{1F600}'.repeat(500) });
    assert.equal(repo.getExperiment({ experiment_id }).experiment.name, '\u{1F600}'.repeat(500));
    throwsMlflow(() => repo.createExperiment({ name: '\u{1F600}'.repeat(501) }), 'INVALID_PARAMETER_VALUE', tooLong('name', 500));
  });

  it('deletes and restores runs, refusing writes to a deleted run', async () => {
    const { repo, runId, experimentId } = await withRun();
    repo.deleteRun({ run_id: runId });
    throwsMlflow(() => repo.setTag({ run_id: runId, key: 'a', value: 'b' }), 'INVALID_PARAMETER_VALUE', /must be in the 'active' state/);
    assert.equal(repo.searchRuns({ experiment_ids: [experimentId] }).runs.length, 0);
    assert.equal(repo.searchRuns({ experiment_ids: [experimentId], run_view_type: 'DELETED_ONLY' }).runs.length, 1);
    repo.restoreRun({ run_id: runId });
    repo.setTag({ run_id: runId, key: 'a', value: 'b' });
    repo.deleteTag({ run_id: runId, key: 'a' });
    throwsMlflow(() => repo.deleteTag({ run_id: runId, key: 'a' }), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('updates status, end time and name', async () => {
    const { repo, runId } = await withRun();
    const { run_info } = repo.updateRun({ run_id: runId, status: 'FINISHED', end_time: 2000, run_name: 'renamed' });
    assert.deepEqual([run_info.status, run_info.end_time, run_info.run_name], ['FINISHED', 2000, 'renamed']);
    assert.ok(repo.getRun({ run_id: runId }).run.data.tags.some((t) => t.key === 'mlflow.runName' && t.value === 'renamed'));
  });

  it('logs dataset inputs once per dataset, with their tags', async () => {
    const { repo, runId } = await withRun();
    const input = {
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: { name: 'churn', digest: 'abc123', source_type: 'local', source: '{"uri": "data.csv"}' },
    };
    repo.logInputs({ run_id: runId, datasets: [input] });
    repo.logInputs({ run_id: runId, datasets: [input] });
    const inputs = repo.getRun({ run_id: runId }).run.inputs.dataset_inputs;
    assert.equal(inputs.length, 1);
    assert.equal(inputs[0]?.dataset.digest, 'abc123');
    assert.deepEqual(inputs[0]?.tags, input.tags);
  });

  it('records pipeline steps and emits changes', async () => {
    const { repo, runId, changes } = await withRun();
    repo.upsertStep({ run_id: runId, step_id: 'train', status: 'RUNNING', start_time: 5, log_path: '.mlops/runs/x/train.log' });
    repo.upsertStep({ run_id: runId, step_id: 'train', status: 'SUCCEEDED', end_time: 9, exit_code: 0 });
    repo.upsertStep({ run_id: runId, step_id: 'eval', status: 'SKIPPED', cached: true });
    const { steps } = repo.listSteps({ run_id: runId });
    assert.deepEqual(
      steps.map((s) => [s.step_id, s.status, s.start_time, s.end_time, s.exit_code, s.cached]),
      [
        ['train', 'SUCCEEDED', 5, 9, 0, false],
        ['eval', 'SKIPPED', undefined, undefined, undefined, true],
      ],
    );
    assert.ok(changes.some((c) => c.kind === 'step'));
    assert.ok(changes.some((c) => c.kind === 'run'));
  });

  it('lists exactly the writing methods for the journal', () => {
    for (const name of ['createRun', 'logBatch', 'transitionModelVersionStage', 'upsertStep', 'setRegisteredModelAlias'])
      assert.ok(WRITE_METHODS.has(name), name);
    for (const name of ['getRun', 'searchRuns', 'getMetricHistory', 'getLatestVersions', 'listSteps'])
      assert.ok(!WRITE_METHODS.has(name), name);
  });
});
