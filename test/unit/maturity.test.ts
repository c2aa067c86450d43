import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { assessWorkspace, levelOf, type Assessment, type ItemId } from '../../client/src/core/maturity/assess';
import { RunnerTags } from '../../client/src/core/runner/recorder';
import { openTrackingStore, type TrackingStore } from '../../client/src/core/tracking/store';

// The assessment on workspaces built to stand at each level, 0 to 4: real files on disk, a real
// store (sql.js in process), and the exact items met.

const PIPELINE = [
  'pipeline: churn',
  'params:',
  '  input_data: { type: path, default: data/labels.csv }',
  'steps:',
  '  train:',
  '    run: echo ${{ params.input_data }} > ${{ outputs.model }}',
  '    outputs: { model: models/model.txt }',
  '',
].join('\n');
const FEATURES = [
  'entities:',
  '  - { name: customer, join_keys: [customer_id] }',
  'sources:',
  '  - { name: stats, type: file, path: data/stats.csv, timestamp_field: ts }',
  'feature_views:',
  '  - name: stats',
  '    entities: [customer]',
  '    source: stats',
  '    schema: [{ name: spend, dtype: Float64 }]',
  '',
].join('\n');
const monitor = (extra: string[]) =>
  ['monitor: churn-monitor', 'reference: data/stats.csv', 'current: data/stats.csv', ...extra, ''].join('\n');
const CI = [
  'on: push',
  'jobs:',
  '  ml:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: npx mlops validate .',
  '      - run: npx mlops run churn.pipeline.yaml',
  '',
].join('\n');

const dirs: string[] = [];
const stores: TrackingStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A workspace with the given files, and (when `store`) a store holding what `fill` puts in it. */
async function workspace(files: Record<string, string>, fill?: (store: TrackingStore) => Promise<void>): Promise<Assessment> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-maturity-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  if (!fill) return assessWorkspace({ workspaceDir: dir });
  const store = await openTrackingStore({ workspaceDir: dir, inProcess: true });
  stores.push(store);
  await fill(store);
  return assessWorkspace({ workspaceDir: dir, api: store.api });
}

/** A finished run of churn.pipeline.yaml, as the runner records it. */
async function finishedRun(store: TrackingStore, status: 'FINISHED' | 'FAILED' = 'FINISHED'): Promise<string> {
  const { experiment_id } = await store.api.createExperiment({ name: 'churn' });
  const { run } = await store.api.createRun({
    experiment_id,
    start_time: Date.now(),
    tags: [
      { key: RunnerTags.pipeline, value: 'churn' },
      { key: RunnerTags.pipelineFile, value: 'churn.pipeline.yaml' },
    ],
  });
  await store.api.updateRun({ run_id: run.info.run_id, status, end_time: Date.now() });
  return run.info.run_id;
}

async function stagedVersion(store: TrackingStore, runId: string): Promise<void> {
  await store.api.createRegisteredModel({ name: 'customer_churn' });
  await store.api.createModelVersion({ name: 'customer_churn', source: 'models/model.txt', run_id: runId });
  await store.api.transitionModelVersionStage({ name: 'customer_churn', version: '1', stage: 'Staging', archive_existing_versions: false });
}

const met = (a: Assessment) => a.items.filter((i) => i.met).map((i) => i.id);
const BASE = { 'churn.pipeline.yaml': PIPELINE, 'data/labels.csv': 'customer_id,event_timestamp,label\n' };

describe('the maturity assessment', () => {
  it('level 0: files but no store; a failed run is not a finished one', async () => {
    const empty = await workspace({});
    assert.equal(empty.level, 0);
    assert.deepEqual(met(empty), []);
    assert.equal(empty.items.find((i) => i.id === 'trainingPipeline')!.evidence, 'no *.pipeline.yaml file');
    assert.deepEqual(empty.toNextLevel, ['tracking', 'trainingPipeline']);
    const failed = await workspace(BASE, async (store) => void (await finishedRun(store, 'FAILED')));
    assert.equal(failed.level, 0);
    assert.deepEqual(met(failed), ['tracking']);
    assert.match(
      failed.items.find((i) => i.id === 'trainingPipeline')!.evidence,
      /churn\.pipeline\.yaml validates but has no finished run/,
    );
    assert.equal(failed.items.find((i) => i.id === 'trainingPipeline')!.next!.command, 'mlops.newPipeline');
  });

  it('level 1: runs tracked and a pipeline with a finished run', async () => {
    const a = await workspace(BASE, async (store) => void (await finishedRun(store)));
    assert.equal(a.level, 1);
    assert.equal(a.levelName, 'ML pipeline automation');
    assert.deepEqual(met(a), ['tracking', 'trainingPipeline']);
    assert.match(a.items.find((i) => i.id === 'trainingPipeline')!.evidence, /churn\.pipeline\.yaml validates and has 1 finished run/);
    assert.deepEqual(a.toNextLevel, ['modelRegistry', 'cicd']);
  });

  it('level 2: a version in a stage, and CI that validates and runs; a registered model without either is not enough', async () => {
    const bare = await workspace({ ...BASE, '.github/workflows/ml.yml': CI }, async (store) => {
      const run = await finishedRun(store);
      await store.api.createRegisteredModel({ name: 'customer_churn' });
      await store.api.createModelVersion({ name: 'customer_churn', source: 'm', run_id: run });
    });
    assert.equal(bare.level, 1);
    assert.equal(bare.items.find((i) => i.id === 'modelRegistry')!.evidence, 'customer_churn has no version in a stage or under an alias');
    const a = await workspace({ ...BASE, '.github/workflows/ml.yml': CI }, async (store) => stagedVersion(store, await finishedRun(store)));
    assert.equal(a.level, 2);
    assert.deepEqual(met(a), ['tracking', 'trainingPipeline', 'modelRegistry', 'cicd']);
    assert.equal(a.items.find((i) => i.id === 'modelRegistry')!.evidence, 'customer_churn version 1 in Staging');
    assert.equal(a.items.find((i) => i.id === 'cicd')!.evidence, '.github/workflows/ml.yml runs mlops validate and mlops run');
    const validateOnly = await workspace({ ...BASE, '.gitlab-ci.yml': 'check:\n  script: [npx mlops validate .]\n' }, async (store) =>
      stagedVersion(store, await finishedRun(store)),
    );
    assert.equal(validateOnly.level, 1);
    assert.equal(
      validateOnly.items.find((i) => i.id === 'cicd')!.evidence,
      '.gitlab-ci.yml does not run both mlops validate and mlops run',
    );
  });

  it('level 3: a monitor that retrains with the pipeline; not when the pipeline it names is broken', async () => {
    const files = {
      ...BASE,
      '.github/workflows/ml.yml': CI,
      'data/stats.csv': 'customer_id,ts,spend\nC1,2026-01-01T00:00:00Z,1\n',
      'churn.monitor.yaml': monitor(['on_drift:', '  run_pipeline: churn.pipeline.yaml', '  params: { input_data: data/new.csv }']),
    };
    const a = await workspace(files, async (store) => stagedVersion(store, await finishedRun(store)));
    assert.equal(a.level, 3);
    assert.deepEqual(met(a), ['tracking', 'trainingPipeline', 'modelRegistry', 'cicd', 'retraining']);
    assert.equal(
      a.items.find((i) => i.id === 'retraining')!.evidence,
      'churn.monitor.yaml runs churn.pipeline.yaml on drift with input_data',
    );
    assert.match(a.items.find((i) => i.id === 'monitoring')!.evidence, /churn\.monitor\.yaml has no schedule/);
    const broken = await workspace(
      {
        ...files,
        'other.pipeline.yaml': 'pipeline: other\nsteps:\n  a:\n    run: echo ${{ steps.nope.outputs.x }}\n',
        'churn.monitor.yaml': monitor(['on_drift:', '  run_pipeline: other.pipeline.yaml']),
      },
      async (store) => stagedVersion(store, await finishedRun(store)),
    );
    assert.equal(broken.level, 2);
    assert.match(broken.items.find((i) => i.id === 'retraining')!.evidence, /runs other\.pipeline\.yaml on drift, which does not validate/);
  });

  it('level 4: a scheduled, notifying monitor with a check on record, and a feature view whose source exists', async () => {
    const files = {
      ...BASE,
      '.github/workflows/ml.yml': CI,
      'data/stats.csv': 'customer_id,ts,spend\nC1,2026-01-01T00:00:00Z,1\n',
      'shop.features.yaml': FEATURES,
      'churn.monitor.yaml': monitor(['schedule: 1h', 'on_drift:', '  notify: true', '  run_pipeline: churn.pipeline.yaml']),
    };
    const unchecked = await workspace(files, async (store) => stagedVersion(store, await finishedRun(store)));
    assert.equal(unchecked.level, 3);
    assert.match(unchecked.items.find((i) => i.id === 'monitoring')!.evidence, /has a schedule and notifies, but was never checked/);
    const a = await workspace(files, async (store) => {
      await stagedVersion(store, await finishedRun(store));
      await store.api.recordMonitorResult({ monitor: 'churn-monitor', time: Date.UTC(2026, 0, 2, 3, 4), status: 'OK', payload: {} });
    });
    assert.equal(a.level, 4);
    assert.equal(a.levelName, 'Full MLOps');
    assert.deepEqual(
      met(a).sort(),
      (['tracking', 'featureStore', 'trainingPipeline', 'modelRegistry', 'cicd', 'monitoring', 'retraining'] as ItemId[]).sort(),
    );
    assert.equal(
      a.items.find((i) => i.id === 'monitoring')!.evidence,
      'churn.monitor.yaml checks every 60 min and notifies; last check ok at 2026-01-02 03:04',
    );
    assert.equal(a.items.find((i) => i.id === 'featureStore')!.evidence, 'shop.features.yaml validates; its source data/stats.csv exists');
    assert.deepEqual(a.toNextLevel, []);
    assert.ok(a.items.every((i) => i.next === undefined));
  });

  it('reaches a level only with every level below it: a feature store alone is level 0', () => {
    assert.equal(levelOf(new Set<ItemId>(['featureStore', 'monitoring', 'retraining'])), 0);
    assert.equal(levelOf(new Set<ItemId>(['tracking', 'trainingPipeline', 'retraining'])), 1);
  });
});
