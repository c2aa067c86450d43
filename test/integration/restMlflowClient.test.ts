import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import MLflow from 'mlflow';
import { startTestServer } from '../helpers/restStore';

// The npm `mlflow` package: a Node client of MLflow's REST API, pointed at our endpoint as a user
// would point it at an MLflow server (it passes the token as a header it is given).
describe('REST endpoint: the npm mlflow client', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let mlflow: MLflow;
  const quiet = async <T>(call: () => Promise<T>): Promise<T> => {
    // The client logs every POST body to the console; keep the test output readable.
    const log = console.log;
    console.log = () => undefined;
    try {
      return await call();
    } finally {
      console.log = log;
    }
  };

  before(async () => {
    server = await startTestServer();
    mlflow = new MLflow({ endpoint: server.url, headers: { Authorization: `Bearer ${server.token}` } });
  });
  after(() => server.stop());

  it('creates, gets, lists, renames, deletes and restores experiments', async () => {
    const { experiment_id } = await quiet(() => mlflow.Experiments.create({ name: 'churn', artifact_location: '' }));
    assert.equal(experiment_id, '1');
    const { experiment } = await mlflow.Experiments.get({ experiment_id });
    assert.equal(experiment.name, 'churn');
    await quiet(() => mlflow.Experiments.update({ experiment_id, new_name: 'customer_churn' }));
    assert.deepEqual((await mlflow.Experiments.list()).experiments.map((e) => e.name).sort(), ['Default', 'customer_churn']);
    await quiet(() => mlflow.Experiments.delete({ experiment_id }));
    assert.equal((await mlflow.Experiments.get({ experiment_id })).experiment.lifecycle_stage, 'deleted');
    await quiet(() => mlflow.Experiments.restore({ experiment_id }));
    await assert.rejects(
      quiet(() => mlflow.Experiments.create({ name: 'customer_churn', artifact_location: '' })),
      /RESOURCE_ALREADY_EXISTS/,
    );
  });

  it('logs a run: params, metrics, tags, history, search and status', async () => {
    const { run } = await quiet(() =>
      mlflow.Runs.create({ experiment_id: '0', user_id: 'alice', start_time: 1_700_000_000_000, tags: [{ key: 'team', value: 'ds' }] }),
    );
    const run_id = run.info.run_id;
    await quiet(() => mlflow.Runs.logParameter({ run_id, key: 'n_estimators', value: '100' }));
    await assert.rejects(
      quiet(() => mlflow.Runs.logParameter({ run_id, key: 'n_estimators', value: '200' })),
      /Changing param values is not allowed/,
    );
    for (let step = 0; step < 3; step++)
      await quiet(() => mlflow.Runs.logMetric({ run_id, key: 'loss', value: 1 / (step + 1), timestamp: 1_700_000_000_000 + step, step }));
    await quiet(() =>
      mlflow.Runs.logBatch({
        run_id,
        metrics: [{ key: 'auc', value: 0.94, timestamp: 1_700_000_000_100, step: 0 }],
        params: [{ key: 'max_depth', value: '5' }],
        tags: [{ key: 'stage', value: 'train' }],
      }),
    );
    await quiet(() => mlflow.Runs.setTag({ run_id, key: 'note', value: 'x' }));
    await quiet(() => mlflow.Runs.deleteTag({ run_id, key: 'note' }));
    const { metrics } = await mlflow.Metrics.getHistory({ run_id, metric_key: 'loss' });
    assert.deepEqual(
      metrics.map((m) => m.step),
      [0, 1, 2],
    );

    const found = await quiet(() =>
      mlflow.Runs.search({
        experiment_ids: ['0'],
        filter: "metrics.auc > 0.9 and params.n_estimators = '100'",
        order_by: ['metrics.auc DESC'],
      }),
    );
    assert.deepEqual(
      found.runs.map((r) => r.info.run_id),
      [run_id],
    );
    assert.deepEqual((await quiet(() => mlflow.Runs.search({ experiment_ids: ['0'], filter: "tags.stage = 'deploy'" }))).runs, []);

    const { run_info } = await quiet(() => mlflow.Runs.update({ run_id, status: 'FINISHED' as never, end_time: 1_700_000_009_000 }));
    assert.equal(run_info.status, 'FINISHED');
    const got = (await mlflow.Runs.get({ run_id })).run;
    assert.deepEqual(
      got.data.params.map((p) => p.key),
      ['max_depth', 'n_estimators'],
    );
    assert.deepEqual(
      got.data.tags.filter((t) => !t.key.startsWith('mlflow.')).map((t) => t.key),
      ['stage', 'team'],
    );
    const { files, root_uri } = await mlflow.Artifacts.list({ run_id, path: '' });
    assert.equal(root_uri, got.info.artifact_uri);
    assert.deepEqual(files, []);

    await quiet(() => mlflow.Runs.delete({ run_id }));
    assert.equal((await quiet(() => mlflow.Runs.search({ experiment_ids: ['0'] }))).runs.length, 0);
    await quiet(() => mlflow.Runs.restore({ run_id }));
    assert.equal((await quiet(() => mlflow.Runs.search({ experiment_ids: ['0'] }))).runs.length, 1);
  });
});
