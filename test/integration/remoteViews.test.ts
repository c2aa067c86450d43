import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { monitorHistory } from '../../client/src/core/monitor';
import { ChangePoller, POLL_MIN_MS } from '../../client/src/core/tracking/remote/changePoller';
import { remoteStore, type RemoteStore } from '../../client/src/core/tracking/remote/remoteStore';
import type { Run, StoreChange, TrackingApi } from '../../client/src/core/tracking/repository';
import { requestOptionsFromEnv, TrackingAuthError } from '../../client/src/core/tracking/rest/request';
import type { ExperimentsNode } from '../../client/src/core/views/experimentNodes';
import { ExperimentsTreeModel } from '../../client/src/core/views/experimentsTreeModel';
import { promote, promotionWarning } from '../../client/src/core/views/promote';
import { RegistryTreeModel, type RegistryNode } from '../../client/src/core/views/registryTreeModel';
import { runDetails } from '../../client/src/core/views/runDetails';
import type { RemoteArtifacts } from '../../client/src/core/tracking/remote/artifacts';
import { startTeamServer } from '../helpers/cli';

/** MLOPS_TEST_MLFLOW_URL: the scenarios against a real MLflow server (helpers/cli.ts startTeamServer). */
const EXTERNAL = Boolean(process.env.MLOPS_TEST_MLFLOW_URL);

// The editor's vscode-free view models on a team's MLflow server: a second workspace's
// `mlops serve --mlflow-only` (MLflow's REST API only, mlflow-artifacts: URIs), filled over REST.
// Needs `npm run build` first.
describe("the views on a team's MLflow server (mlops serve --mlflow-only)", () => {
  let scratch: string;
  let serve: ChildProcess | undefined;
  let url = '';
  let token = '';
  let remote: RemoteStore;
  let api: TrackingApi;
  let artifacts: RemoteArtifacts;
  let experimentId = '';
  let parent: Run;
  let second: Run;

  const options = { ...requestOptionsFromEnv({}), maxRetries: 0, backoffFactorMs: 10, backoffJitterMs: 0 };
  const labels = (nodes: ExperimentsNode[]) =>
    nodes.map((n) =>
      n.kind === 'experiment'
        ? n.name
        : n.kind === 'run'
          ? `${n.row.name}:${n.row.status}${n.row.keyMetric ? `:${n.row.keyMetric.key}=${n.row.keyMetric.value}` : ''}`
          : n.kind === 'group'
            ? n.group
            : n.kind === 'param' || n.kind === 'tag'
              ? `${n.kind === 'param' ? n.param.key : n.tag.key}=${n.kind === 'param' ? n.param.value : n.tag.value}`
              : n.kind === 'metric'
                ? `${n.metric.key}=${n.metric.value}`
                : n.kind === 'step'
                  ? `${n.step.step_id}:${n.step.status}`
                  : n.kind === 'artifact'
                    ? `${n.entry.path}${n.entry.isDir ? '/' : ''}`
                    : n.kind === 'note'
                      ? `note:${n.note}`
                      : `(${n.kind}${n.kind === 'empty' ? `: ${n.text}` : ''})`,
    );
  const registryLabels = (nodes: RegistryNode[]) =>
    nodes.map((n) =>
      n.kind === 'model'
        ? `${n.name}${n.latest ? ` [${n.latest}]` : ''}`
        : n.kind === 'version'
          ? `v${n.row.version} ${n.row.stage}${n.row.aliases.map((a) => ` @${a}`).join('')}`
          : `(${n.text})`,
    );

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-remote-views-'));
    ({ process: serve, url, token } = await startTeamServer(path.join(scratch, 'server')));
    remote = remoteStore(url, { token }, options);
    api = remote.api;
    artifacts = remote.artifacts;

    // What a pipeline run and an mlflow script leave on the server, written over REST.
    ({ experiment_id: experimentId } = await api.createExperiment({ name: 'churn' }));
    ({ run: parent } = await api.createRun({ experiment_id: experimentId, run_name: 'owl', start_time: 1000 }));
    await api.logBatch({
      run_id: parent.info.run_id,
      metrics: [0.7, 0.8, 0.91].map((value, step) => ({ key: 'auc', value, timestamp: 2000 + step, step })),
      params: [{ key: 'n_estimators', value: '100' }],
      tags: [
        { key: 'mlops.pipeline', value: 'churn' },
        { key: 'mlflow.note.content', value: 'baseline' },
      ],
    });
    await api.upsertStep({
      run_id: parent.info.run_id,
      step_id: 'prepare',
      status: 'SUCCEEDED',
      start_time: 1100,
      end_time: 1200,
      exit_code: 0,
    });
    await api.upsertStep({
      run_id: parent.info.run_id,
      step_id: 'train',
      status: 'FAILED',
      start_time: 1200,
      end_time: 1300,
      exit_code: 2,
    });
    await remote.artifacts.upload(parent.info.artifact_uri, 'model/model.pkl', Buffer.from('pickle'));
    await remote.artifacts.upload(parent.info.artifact_uri, 'report.txt', Buffer.from('auc 0.91'));
    await api.updateRun({ run_id: parent.info.run_id, status: 'FINISHED', end_time: 5000 });
    ({ run: second } = await api.createRun({ experiment_id: experimentId, run_name: 'fox', start_time: 9000 }));
    await api.logMetric({ run_id: second.info.run_id, key: 'auc', value: 0.5, timestamp: 9100, step: 0 });
    await api.updateRun({ run_id: second.info.run_id, status: 'KILLED', end_time: 9500 });

    await api.createRegisteredModel({ name: 'churn-model' });
    for (const run of [parent, second])
      await api.createModelVersion({ name: 'churn-model', source: `runs:/${run.info.run_id}/model`, run_id: run.info.run_id });
    await api.transitionModelVersionStage({ name: 'churn-model', version: '1', stage: 'Production', archive_existing_versions: false });
  });

  after(() => {
    if (serve?.exitCode === null) serve.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('Experiments: experiments, runs newest first with status and key metric, and each run’s groups', async () => {
    const model = new ExperimentsTreeModel(
      async () => api,
      () => artifacts,
    );
    const roots = await model.children();
    assert.deepEqual(labels(roots), ['Default', 'churn']);
    const runs = await model.children(roots[1]);
    // The steps are nested runs on the server; they list in the experiment too, as MLflow's UI shows them.
    const top = runs.filter((n) => n.kind === 'run' && (n.row.name === 'owl' || n.row.name === 'fox'));
    assert.deepEqual(labels(top), ['fox:KILLED:auc=0.5', 'owl:FINISHED:auc=0.91']);
    const owl = top[1]!;
    const groups = await model.children(owl);
    assert.deepEqual(labels(groups), ['params', 'metrics', 'steps', 'artifacts', 'tags']);
    const [params, metrics, steps, files, tags] = await Promise.all(groups.map((g) => model.children(g)));
    assert.deepEqual(labels(params!), ['n_estimators=100']);
    assert.deepEqual(labels(metrics!), ['auc=0.91']);
    assert.deepEqual(labels(steps!), ['prepare:SUCCEEDED', 'train:FAILED']);
    assert.deepEqual(labels(files!), ['model/', 'report.txt']);
    assert.deepEqual(labels(await model.children(files![0])), ['model/model.pkl']);
    assert.ok(labels(tags!).includes('note:baseline'));
    assert.ok(labels(tags!).includes('mlops.pipeline=churn'));

    const fileNode = (await model.children(files![0]))[0]!;
    assert.equal(fileNode.kind === 'artifact' && fileNode.entry.artifactUri, parent.info.artifact_uri);
    assert.equal((await artifacts.download(parent.info.artifact_uri, 'model/model.pkl')).toString(), 'pickle');
    assert.equal(model.parent(fileNode)?.id, files![0]!.id);

    // Without a way to list them, the tree says where the artifacts are.
    const bare = new ExperimentsTreeModel(async () => api);
    const bareGroups = await bare.children((await bare.children((await bare.children())[1])).find((n) => n.id === owl.id));
    assert.deepEqual(labels(await bare.children(bareGroups[3])), [`(empty: Artifacts are at ${parent.info.artifact_uri})`]);

    const details = await runDetails(api, parent.info.run_id);
    assert.equal(details.artifactRoot, undefined);
    assert.match(details.artifactUri, /^mlflow-artifacts:/);
  });

  it('Experiments: rename, delete and restore on the server show after the poller’s change batch', async () => {
    const model = new ExperimentsTreeModel(async () => api);
    const batches: StoreChange[][] = [];
    const poller = new ChangePoller(
      api,
      (c) => batches.push(c),
      () => true,
    );
    try {
      await poller.poll();
      const experiment = (await model.children()).find((n) => n.id === `exp:${experimentId}`)!;
      const before = await model.children(experiment);
      const fox = before.find((n) => n.kind === 'run' && n.row.name === 'fox')!;

      await api.updateRun({ run_id: second.info.run_id, run_name: 'fox-renamed' });
      await poller.poll();
      // The name is also the mlflow.runName tag.
      assert.deepEqual(batches.at(-1), [
        { kind: 'run', ids: [second.info.run_id], op: 'update' },
        { kind: 'tag', ids: [second.info.run_id], op: 'update' },
      ]);
      const refreshed = await model.applyChanges(batches.at(-1)!);
      assert.deepEqual(refreshed, [fox], 'the same row object refreshes');
      assert.equal(fox.kind === 'run' && fox.row.name, 'fox-renamed');

      await api.deleteRun({ run_id: second.info.run_id });
      await poller.poll();
      assert.deepEqual(batches.at(-1), [{ kind: 'run', ids: [second.info.run_id], op: 'delete' }]);
      assert.deepEqual(await model.applyChanges(batches.at(-1)!), [experiment]);
      assert.ok(!labels(await model.children(experiment)).some((l) => l.startsWith('fox')));

      await api.restoreRun({ run_id: second.info.run_id });
      await poller.poll();
      assert.deepEqual(batches.at(-1), [{ kind: 'run', ids: [second.info.run_id], op: 'create' }]);
      await model.applyChanges(batches.at(-1)!);
      assert.ok(labels(await model.children(experiment)).some((l) => l.startsWith('fox-renamed:KILLED')));

      await api.updateExperiment({ experiment_id: experimentId, new_name: 'churn-v2' });
      await poller.poll();
      assert.deepEqual(batches.at(-1), [{ kind: 'experiment', ids: [experimentId], op: 'update' }]);
      assert.deepEqual(await model.applyChanges(batches.at(-1)!), [undefined]);
      assert.deepEqual(labels(await model.children()), ['Default', 'churn-v2']);
    } finally {
      poller.dispose();
    }
  });

  it('Model Registry: models with their stages, versions newest first; promote moves stages and aliases on the server', async () => {
    const model = new RegistryTreeModel(async () => api);
    const roots = await model.children();
    assert.deepEqual(registryLabels(roots), ['churn-model [Production v1]']);
    assert.deepEqual(registryLabels(await model.children(roots[0])), ['v2 None', 'v1 Production']);

    assert.equal(await promotionWarning(api, 'churn-model', '2'), `the run that produced churn-model version 2 (fox-renamed) ended KILLED`);
    assert.equal(await promotionWarning(api, 'churn-model', '1'), undefined);

    const batches: StoreChange[][] = [];
    const watching = new ChangePoller(
      api,
      (c) => batches.push(c),
      () => true,
    );
    try {
      await watching.poll();
      assert.equal(
        await promote(api, 'churn-model', '2', { kind: 'stage', stage: 'Production', archiveExisting: true }),
        'churn-model version 2 moved to Production; archived version 1',
      );
      assert.equal(await promote(api, 'churn-model', '1', { kind: 'alias', alias: 'champion' }), 'churn-model version 1 is now @champion');
      await assert.rejects(promote(api, 'churn-model', '1', { kind: 'alias', alias: 'latest' }), /reserved/);

      // What the server says, read straight over REST.
      const answer = (await (
        await fetch(`${url}/api/2.0/mlflow/registered-models/get?name=churn-model`, { headers: { Authorization: `Bearer ${token}` } })
      ).json()) as { registered_model: { aliases: { alias: string; version: string }[] } };
      assert.deepEqual(answer.registered_model.aliases, [{ alias: 'champion', version: '1' }]);
      const { model_version } = await api.getModelVersion({ name: 'churn-model', version: '1' });
      assert.equal(model_version.current_stage, 'Archived');

      await watching.poll();
      assert.deepEqual(batches.at(-1), [{ kind: 'model', ids: ['churn-model'], op: 'update' }]);
      assert.deepEqual(model.applyChanges(batches.at(-1)!), [undefined]);
      const again = await model.children();
      assert.deepEqual(registryLabels(again), ['churn-model [Production v2]']);
      assert.deepEqual(registryLabels(await model.children(again[0])), ['v2 Production', 'v1 Archived @champion']);
    } finally {
      watching.dispose();
    }
  });

  it('Monitors: a check recorded on the server is in the history and comes as a monitor change', async () => {
    const batches: StoreChange[][] = [];
    const poller = new ChangePoller(
      api,
      (c) => batches.push(c),
      () => true,
    );
    try {
      await poller.poll();
      const result = {
        version: 1,
        monitor: 'churn-drift',
        file: path.join(scratch, 'churn.monitor.yaml'),
        time: 1_700_000_000_000,
        status: 'drift',
      };
      await api.recordMonitorResult({ monitor: 'churn-drift', time: result.time, status: 'drift', payload: result });
      const history = await monitorHistory(api, 'churn-drift');
      assert.equal(history.length, 1);
      assert.equal(history[0]?.status, 'drift');
      assert.equal(history[0]?.result?.monitor, 'churn-drift');
      await poller.poll();
      const batch = batches.flat();
      assert.ok(
        batch.some((c) => c.kind === 'monitor' && c.ids.includes('churn-drift')),
        JSON.stringify(batch),
      );
      assert.ok(batch.some((c) => c.kind === 'experiment' && c.op === 'create'));
    } finally {
      poller.dispose();
    }
  });

  it('the poller over HTTP: new runs and metric points of a running run, at the fast pace while they come', async () => {
    const batches: StoreChange[][] = [];
    const poller = new ChangePoller(
      api,
      (c) => batches.push(c),
      () => true,
    );
    try {
      await poller.poll();
      const { run } = await api.createRun({ experiment_id: experimentId, run_name: 'live', start_time: Date.now() });
      await poller.poll();
      assert.deepEqual(batches.at(-1), [{ kind: 'run', ids: [run.info.run_id], op: 'create' }]);
      assert.equal(poller.nextDelay, POLL_MIN_MS);
      await api.logMetric({ run_id: run.info.run_id, key: 'loss', value: 1, timestamp: Date.now(), step: 0 });
      await poller.poll();
      assert.deepEqual(batches.at(-1), [{ kind: 'metric', ids: [run.info.run_id], op: 'create' }]);
      await api.logMetric({ run_id: run.info.run_id, key: 'loss', value: 0.5, timestamp: Date.now() + 1, step: 1 });
      await poller.poll();
      assert.deepEqual(batches.at(-1), [{ kind: 'metric', ids: [run.info.run_id], op: 'create' }]);
      const count = batches.length;
      await poller.poll();
      assert.equal(batches.length, count, 'nothing new, no batch');
      assert.equal(poller.nextDelay, POLL_MIN_MS * 2, 'nothing new: it backs off');
      await api.updateRun({ run_id: run.info.run_id, status: 'FINISHED', end_time: Date.now() });
      await poller.poll();
      assert.deepEqual(batches.at(-1), [{ kind: 'run', ids: [run.info.run_id], op: 'update' }]);
    } finally {
      poller.dispose();
    }
  });

  it('Charts: a long history comes sampled by the server (get-history-bulk-interval), a zoom exact', async () => {
    const { run } = await api.createRun({ experiment_id: experimentId, run_name: 'long', start_time: 9000 });
    const value = (step: number) => Math.sin(step / 50);
    for (let from = 0; from < 10_000; from += 1000)
      await api.logBatch({
        run_id: run.info.run_id,
        metrics: Array.from({ length: 1000 }, (_, i) => ({
          key: 'loss',
          value: value(from + i),
          timestamp: 10_000 + from + i,
          step: from + i,
        })),
      });
    await api.updateRun({ run_id: run.info.run_id, status: 'FINISHED', end_time: 30_000 });

    const whole = await api.getMetricSeries({ run_id: run.info.run_id, metric_key: 'loss', max_points: 500 });
    assert.equal(whole.sampledBy, 'server');
    assert.equal(whole.downsampled, true);
    assert.ok(whole.steps.length <= 501 && whole.steps.length >= 500, String(whole.steps.length));
    assert.equal(whole.steps[0], 0);
    assert.equal(whole.steps.at(-1), 9999);
    whole.steps.forEach((step, i) => assert.equal(whole.values[i], value(step)));

    const zoom = await api.getMetricSeries({ run_id: run.info.run_id, metric_key: 'loss', min_x: 2000, max_x: 2299 });
    assert.equal(zoom.sampledBy, undefined);
    assert.deepEqual(
      zoom.steps,
      Array.from({ length: 300 }, (_, i) => 2000 + i),
    );
    assert.equal(zoom.total, 300);
  });

  it(
    'wrong credentials: the poller reports the server unreachable with a TrackingAuthError',
    { skip: EXTERNAL && 'a plain MLflow server takes any token' },
    async () => {
      const wrong = remoteStore(url, { token: 'not-the-token-at-all' }, options);
      const reports: [boolean, unknown][] = [];
      const poller = new ChangePoller(
        wrong.api,
        () => undefined,
        () => true,
        (ok, error) => reports.push([ok, error]),
      );
      try {
        await poller.poll();
        assert.equal(reports.length, 1);
        assert.equal(reports[0]?.[0], false);
        assert.ok(reports[0]?.[1] instanceof TrackingAuthError, String(reports[0]?.[1]));
        assert.equal((reports[0][1] as TrackingAuthError).server, new URL(url).origin);
      } finally {
        poller.dispose();
      }
    },
  );
});
