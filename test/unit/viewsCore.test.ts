import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TrackingApi } from '../../client/src/core/tracking/repository';
import { openTrackingStore, type TrackingStore } from '../../client/src/core/tracking/store';
import { routeChanges } from '../../client/src/core/views/changeRouting';
import { aliasProblem, promote, promotionWarning } from '../../client/src/core/views/promote';
import { modelUris, versionsOf } from '../../client/src/core/views/registryRows';
import { artifactEntries, runDetails } from '../../client/src/core/views/runDetails';
import { describeQuery, orderBy, PAGE_SIZE, runsPage } from '../../client/src/core/views/runQuery';
import { formatDuration, relativeTime } from '../../client/src/core/views/runRows';
import { tempWorkspace } from '../helpers/trackingFiles';

const { dirs, cleanup } = tempWorkspace();
let store: TrackingStore;
let api: TrackingApi;
let experimentId: string;
const runIds: string[] = [];

before(async () => {
  store = await openTrackingStore({ workspaceDir: dirs(), inProcess: true });
  api = store.api;
  experimentId = (await api.createExperiment({ name: 'views' })).experiment_id;
  // 250 runs, start times one second apart; auc rises with the index, every tenth run failed.
  for (let i = 0; i < 250; i++) {
    const { run } = await api.createRun({
      experiment_id: experimentId,
      run_name: `run-${String(i).padStart(3, '0')}`,
      start_time: 1_000_000 + i * 1000,
    });
    await api.logBatch({
      run_id: run.info.run_id,
      metrics: [
        { key: 'auc', value: i / 1000, timestamp: 1, step: 0 },
        { key: 'loss', value: 1 - i / 1000, timestamp: 1, step: 0 },
      ],
      params: [{ key: 'n', value: String(i % 3) }],
    });
    await api.updateRun({ run_id: run.info.run_id, status: i % 10 === 0 ? 'FAILED' : 'FINISHED', end_time: 1_000_000 + i * 1000 + 500 });
    runIds.push(run.info.run_id);
  }
});
after(async () => {
  await store.close();
  cleanup();
});

describe('Experiments tree data', () => {
  it('pages an experiment newest first, with auc as the key metric', async () => {
    const first = await runsPage(api, experimentId, { sort: { by: 'start_time', descending: true } });
    assert.equal(first.rows.length, PAGE_SIZE);
    assert.equal(first.rows[0]!.name, 'run-249');
    assert.equal(first.keyMetric, 'auc');
    assert.deepEqual(first.rows[0]!.keyMetric, { key: 'auc', value: 0.249 });
    const second = await runsPage(
      api,
      experimentId,
      { sort: { by: 'start_time', descending: true } },
      { token: first.nextPageToken!, keyMetric: first.keyMetric! },
    );
    assert.equal(second.rows[0]!.name, 'run-149');
    const third = await runsPage(
      api,
      experimentId,
      { sort: { by: 'start_time', descending: true } },
      { token: second.nextPageToken!, keyMetric: first.keyMetric! },
    );
    assert.equal(third.rows.length, 50);
    assert.equal(third.nextPageToken, undefined);
  });

  it('filters with MLflow syntax and sorts by a metric or the name', async () => {
    const page = await runsPage(api, experimentId, {
      filter: "metrics.auc > 0.2 and params.n = '0'",
      sort: { by: 'metric', metric: 'loss', descending: false },
    });
    assert.ok(page.rows.length > 0);
    assert.ok(
      page.rows.every((r) => r.keyMetric!.key === 'loss'),
      'sorting by a metric shows that metric',
    );
    const losses = page.rows.map((r) => r.keyMetric!.value);
    assert.deepEqual(
      losses,
      [...losses].sort((a, b) => a - b),
    );
    const byName = await runsPage(api, experimentId, { sort: { by: 'name', descending: false } });
    assert.equal(byName.rows[0]!.name, 'run-000');
    assert.deepEqual(orderBy({ by: 'metric', metric: 'val.loss', descending: true }), ['metrics.`val.loss` DESC']);
    assert.equal(
      describeQuery({ filter: 'metrics.auc > 0.9', sort: { by: 'start_time', descending: true } }),
      'filter: metrics.auc > 0.9 · sorted by start time ↓',
    );
    await assert.rejects(runsPage(api, experimentId, { filter: 'metrics.auc >', sort: { by: 'name', descending: false } }));
  });

  it('shows params, latest metrics, steps, user tags and the note of a run, and its artifact folders', async () => {
    const runId = runIds[5]!;
    await api.setTag({ run_id: runId, key: 'mlflow.note.content', value: 'baseline' });
    await api.setTag({ run_id: runId, key: 'team', value: 'growth' });
    await api.upsertStep({ run_id: runId, step_id: 'train', status: 'SUCCEEDED', cached: true, cached_from: runIds[1]! });
    const details = await runDetails(api, runId);
    assert.deepEqual(details.params, [{ key: 'n', value: '2' }]);
    assert.deepEqual(
      details.metrics.map((m) => m.key),
      ['auc', 'loss'],
    );
    assert.deepEqual(
      details.tags.map((t) => t.key),
      ['team'],
    );
    assert.equal(details.note, 'baseline');
    assert.deepEqual(
      details.steps.map((s) => [s.step_id, s.cached, s.cached_from]),
      [['train', true, runIds[1]]],
    );
    mkdirSync(path.join(details.artifactRoot!, 'model'), { recursive: true });
    writeFileSync(path.join(details.artifactRoot!, 'model', 'm.json'), '{}');
    writeFileSync(path.join(details.artifactRoot!, 'a.txt'), 'a');
    assert.deepEqual(
      (await artifactEntries(details.artifactRoot!)).map((e) => [e.path, e.isDir]),
      [
        ['model', true],
        ['a.txt', false],
      ],
    );
    assert.deepEqual(
      (await artifactEntries(details.artifactRoot!, 'model')).map((e) => e.path),
      ['model/m.json'],
    );
  });

  it('formats durations and start times', () => {
    assert.equal(formatDuration({ startTime: 0, endTime: 1500, status: 'FINISHED' }, 0), '1.5 s');
    assert.equal(formatDuration({ startTime: 0, endTime: 185_000, status: 'FINISHED' }, 0), '3m 05s');
    assert.equal(formatDuration({ startTime: 0, status: 'RUNNING' }, 7_800_000), '2h 10m');
    assert.equal(relativeTime(0, 30_000), 'just now');
    assert.equal(relativeTime(0, 5 * 60_000), '5 min ago');
    assert.equal(relativeTime(0, 3 * 86_400_000), '3 days ago');
  });
});

describe('Model Registry tree data and promotion', () => {
  it('lists versions newest first with stage, aliases and URIs; promotes with archiving and aliases', async () => {
    await api.createRegisteredModel({ name: 'churn' });
    for (const runId of runIds.slice(1, 4)) await api.createModelVersion({ name: 'churn', source: 'file:///tmp/m', run_id: runId });
    assert.equal(
      await promote(api, 'churn', '1', { kind: 'stage', stage: 'Production', archiveExisting: false }),
      'churn version 1 moved to Production',
    );
    assert.equal(
      await promote(api, 'churn', '3', { kind: 'stage', stage: 'Production', archiveExisting: true }),
      'churn version 3 moved to Production; archived version 1',
    );
    assert.equal(await promote(api, 'churn', '2', { kind: 'alias', alias: 'champion' }), 'churn version 2 is now @champion');
    const rows = await versionsOf(api, 'churn');
    assert.deepEqual(
      rows.map((r) => [r.version, r.stage, r.aliases.join(',')]),
      [
        ['3', 'Production', ''],
        ['2', 'None', 'champion'],
        ['1', 'Archived', ''],
      ],
    );
    assert.deepEqual(modelUris(rows[1]!), ['models:/churn@champion', 'models:/churn/2']);
    await assert.rejects(promote(api, 'churn', '2', { kind: 'alias', alias: 'latest' }), /`latest` is reserved/);
    assert.equal(aliasProblem('v3'), 'an alias cannot look like a version (v1, v2, ...)');
    assert.equal(aliasProblem('champion'), undefined);
  });

  it('warns before promoting a version whose run failed', async () => {
    await api.createRegisteredModel({ name: 'risky' });
    await api.createModelVersion({ name: 'risky', source: 'file:///tmp/m', run_id: runIds[10]! });
    assert.match((await promotionWarning(api, 'risky', '1'))!, /ended FAILED/);
    await api.createModelVersion({ name: 'risky', source: 'file:///tmp/m', run_id: runIds[11]! });
    assert.equal(await promotionWarning(api, 'risky', '2'), undefined);
  });
});

describe('live refresh routing', () => {
  it('maps store changes to the rows that must refresh', () => {
    const refresh = routeChanges([
      { kind: 'metric', ids: ['r1'], op: 'update' },
      { kind: 'run', ids: ['r2'], op: 'create' },
      { kind: 'step', ids: ['r3', 'train'], op: 'update' },
      { kind: 'modelVersion', ids: ['churn', '2'], op: 'update' },
      { kind: 'alias', ids: ['churn', 'champion'], op: 'create' },
    ]);
    assert.deepEqual([...refresh.runs].sort(), ['r1', 'r2', 'r3']);
    assert.deepEqual([...refresh.listedRuns], ['r2']);
    assert.deepEqual([...refresh.modelVersions], ['churn']);
    assert.equal(refresh.experiments, false);
    assert.equal(refresh.models, false);
    assert.equal(routeChanges([{ kind: 'experiment', ids: ['1'], op: 'create' }]).experiments, true);
  });
});

describe('Experiments tree model', () => {
  it('lists experiments, pages runs with Load more, and keeps node objects across refreshes', async () => {
    const { ExperimentsTreeModel } = await import('../../client/src/core/views/experimentsTreeModel');
    const model = new ExperimentsTreeModel(async () => api);
    const roots = await model.children();
    const views = roots.find((n) => n.kind === 'experiment' && n.name === 'views')!;
    const started = performance.now();
    const runs = await model.children(views);
    assert.ok(performance.now() - started < 5000);
    assert.equal(runs.length, PAGE_SIZE + 1);
    assert.equal(runs.at(-1)!.kind, 'more');
    const first = runs[0]!;
    assert.equal(first.kind === 'run' && first.row.name, 'run-249');

    assert.equal(await model.loadMore(views.id.slice(4)), views);
    assert.equal((await model.children(views)).length, 2 * PAGE_SIZE + 1);

    // A metric logged on a loaded run refreshes that row only, as the same object.
    await api.logMetric({ run_id: runIds[249]!, key: 'auc', value: 0.99, timestamp: 2 });
    const touched = await model.applyChanges([{ kind: 'metric', ids: [runIds[249]!], op: 'update' }]);
    assert.deepEqual(touched, [first]);
    assert.deepEqual(first.kind === 'run' && first.row.keyMetric, { key: 'auc', value: 0.99 });

    // A new run relists its experiment and keeps as many runs loaded as before.
    const { run } = await api.createRun({ experiment_id: experimentId, run_name: 'fresh', start_time: 9_000_000 });
    const relisted = await model.applyChanges([{ kind: 'run', ids: [run.info.run_id], op: 'create' }]);
    assert.deepEqual(relisted, [views]);
    const after = await model.children(views);
    assert.equal(after[0]!.kind === 'run' && after[0]!.row.name, 'fresh');
    assert.ok(after.length >= 2 * PAGE_SIZE + 1);
    assert.equal(after[1], first, 'the old run keeps its node object');
  });

  it('shows a run’s groups and children, filters, and finds a run beyond the loaded pages', async () => {
    const { ExperimentsTreeModel } = await import('../../client/src/core/views/experimentsTreeModel');
    const model = new ExperimentsTreeModel(async () => api);
    const runNode = await model.findRun(runIds[3]!);
    assert.equal(runNode?.kind === 'run' && runNode.row.name, 'run-003', 'found on a later page');
    const groups = await model.children(runNode);
    assert.deepEqual(
      groups.map((g) => g.kind === 'group' && g.group),
      ['params', 'metrics', 'steps', 'artifacts', 'tags'],
    );
    const metrics = await model.children(groups[1]);
    assert.deepEqual(
      metrics.map((m) => m.kind === 'metric' && m.metric.key),
      ['auc', 'loss'],
    );
    assert.equal(model.parent(metrics[0]!), groups[1]);
    model.setQuery({ filter: "attributes.status = 'FAILED'", sort: { by: 'start_time', descending: true } });
    const views = (await model.children()).find((n) => n.kind === 'experiment' && n.name === 'views')!;
    const failed = await model.children(views);
    assert.equal(failed.length, 25);
    assert.ok(failed.every((n) => n.kind === 'run' && n.row.status === 'FAILED'));
  });
});
