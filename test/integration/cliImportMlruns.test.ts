import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Metric, Run, TrackingApi } from '../../client/src/core/tracking/repository';
import { openTrackingStore } from '../../client/src/core/tracking/store';
import { mlops, mlopsAsync, ROOT, startServe } from '../helpers/cli';

// test/fixtures/mlruns/mlruns was written by MLflow 2.12.2's own file store (its README).
const FIXTURE = path.join(ROOT, 'test/fixtures/mlruns/mlruns');
const CHURN = '298096208762061827';
const OWL = 'd69701c68b3e48a1a959746f95bb09a6';
const TRAIN = '2a775e3680204978a769dd01416fed08';
const CRASHED = '049b1f82c93c4f88a7c2f70685395f9f';
const DISCARDED = '0ce9c428366442bbaccdf34cc13a8321';
const SCRATCH_RUN = '6dcea41d0f75481b9f199a45dbaf8bd8';

async function withStore<T>(ws: string, use: (api: TrackingApi) => Promise<T>): Promise<T> {
  const store = await openTrackingStore({ workspaceDir: ws, inProcess: true });
  try {
    return await use(store.api);
  } finally {
    await store.close();
  }
}

const history = async (api: TrackingApi, runId: string, key: string): Promise<Metric[]> =>
  (await api.getMetricHistory({ run_id: runId, metric_key: key })).metrics;
const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;
const param = (run: Run, key: string) => run.data.params.find((t) => t.key === key)?.value;

describe('mlops import mlruns (the built bin) on a file store that MLflow 2.12.2 wrote', () => {
  let scratch: string;
  let mlruns: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mlops-import-'));
    mlruns = path.join(scratch, 'copied', 'mlruns');
    cpSync(FIXTURE, mlruns, { recursive: true });
    env = { ...process.env };
    delete env.MLFLOW_TRACKING_URI;
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  describe('into an empty workspace, then again', () => {
    let ws: string;
    let first: ReturnType<typeof mlops>;
    let second: ReturnType<typeof mlops>;

    before(() => {
      ws = mkdtempSync(path.join(scratch, 'ws-'));
      first = mlops(['import', 'mlruns', mlruns], ws, env);
      second = mlops(['import', 'mlruns', mlruns], ws, env);
    });

    it('reports what it brought in, and that the deleted experiment was left out', () => {
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Imported 5 runs of 2 experiments \(67 metric points, 3 artifact files\)/);
      assert.match(first.stdout, /Models: 2, versions added 3\./);
      assert.match(first.stdout, /Left out deleted experiment: old-trials\./);
      assert.match(first.stderr, /mlops import: churn: 4\/4 runs/);
    });

    it('keeps run ids, names, status, times, lifecycle, params with any text, and nested tag keys', async () => {
      const meta = readFileSync(path.join(mlruns, CHURN, OWL, 'meta.yaml'), 'utf8');
      const start = Number(/start_time: (\d+)/.exec(meta)![1]);
      const end = Number(/end_time: (\d+)/.exec(meta)![1]);
      await withStore(ws, async (api) => {
        const { run: owl } = await api.getRun({ run_id: OWL });
        assert.equal(owl.info.run_name, 'owl');
        assert.equal(owl.info.status, 'FINISHED');
        assert.equal(owl.info.start_time, start);
        assert.equal(owl.info.end_time, end);
        assert.equal(owl.info.user_id, 'root');
        assert.equal(param(owl, 'note'), 'héllo 🦉');
        assert.equal(param(owl, 'penalty'), 'l2');
        assert.equal(tag(owl, 'team/owner'), 'ana');
        assert.equal(tag(owl, 'mlflow.note.content'), 'nightly training');
        assert.equal(tag(owl, 'mlops.importedFrom'), mlruns);
        const { experiment } = await api.getExperiment({ experiment_id: owl.info.experiment_id });
        assert.equal(experiment.name, 'churn');
        assert.deepEqual(
          experiment.tags.filter((t) => t.key === 'team'),
          [{ key: 'team', value: 'risk' }],
        );
        const { run: train } = await api.getRun({ run_id: TRAIN });
        assert.equal(tag(train, 'mlflow.parentRunId'), OWL);
        assert.equal((await api.getRun({ run_id: CRASHED })).run.info.status, 'FAILED');
        assert.equal((await api.getRun({ run_id: DISCARDED })).run.info.lifecycle_stage, 'deleted');
        const { experiment: fallback } = await api.getExperimentByName({ experiment_name: 'Default' });
        assert.equal((await api.getRun({ run_id: SCRATCH_RUN })).run.info.experiment_id, fallback.experiment_id);
        await assert.rejects(api.getExperimentByName({ experiment_name: 'old-trials' }), /old-trials/);
      });
    });

    it('keeps every metric point with its step and time, NaN and infinities included', async () => {
      const lines = readFileSync(path.join(mlruns, CHURN, OWL, 'metrics', 'auc'), 'utf8')
        .trim()
        .split('\n');
      await withStore(ws, async (api) => {
        const auc = await history(api, OWL, 'auc');
        assert.equal(auc.length, 30);
        assert.deepEqual(
          auc.map((m) => `${m.timestamp} ${m.value} ${m.step}`),
          lines.map((l) => {
            const [ts, value, step] = l.split(' ');
            return `${ts} ${Number(value)} ${step}`;
          }),
        );
        assert.deepEqual(
          (await history(api, OWL, 'odd')).map((m) => [m.step, m.value]),
          [
            [0, 'NaN'],
            [1, 'Infinity'],
            [2, '-Infinity'],
          ],
        );
      });
    });

    it("copies the artifact files from the run's own folder when the recorded path is on another machine", async () => {
      await withStore(ws, async (api) => {
        const { run } = await api.getRun({ run_id: OWL });
        const root = fileURLToPath(run.info.artifact_uri);
        assert.ok(root.startsWith(ws), root);
        assert.deepEqual(readFileSync(path.join(root, 'model', 'model.pkl')), Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
        assert.equal(readFileSync(path.join(root, 'logs', 'train.log'), 'utf8'), 'step log line 1\nstep log line 2\n');
      });
    });

    it('keeps registered models: version numbers with the gap, stages, aliases, tags, times, and sources moved to the copy', async () => {
      const versionMeta = readFileSync(path.join(mlruns, 'models', 'churn-model', 'version-3', 'meta.yaml'), 'utf8');
      const created = Number(/creation_timestamp: (\d+)/.exec(versionMeta)![1]);
      await withStore(ws, async (api) => {
        const { registered_model: model } = await api.getRegisteredModel({ name: 'churn-model' });
        assert.equal(model.description, 'Predicts churn');
        assert.deepEqual(model.tags, [{ key: 'domain', value: 'churn' }]);
        assert.deepEqual(
          [...(model.aliases ?? [])].sort((a, b) => a.alias.localeCompare(b.alias)),
          [
            { alias: 'champion', version: '3' },
            { alias: 'previous', version: '1' },
          ],
        );
        const versions = (await api.searchModelVersions({ filter: "name = 'churn-model'" })).model_versions;
        assert.deepEqual(versions.map((v) => [v.version, v.current_stage]).sort(), [
          ['1', 'Archived'],
          ['3', 'Production'],
        ]);
        await assert.rejects(api.getModelVersion({ name: 'churn-model', version: '2' }), /not found/);
        const { model_version: v3 } = await api.getModelVersion({ name: 'churn-model', version: '3' });
        assert.equal(v3.creation_timestamp, created);
        assert.equal(v3.run_id, OWL);
        assert.deepEqual(v3.tags, [{ key: 'validated', value: 'true' }]);
        const { run } = await api.getRun({ run_id: OWL });
        assert.equal(v3.source, `${run.info.artifact_uri}/model`);
        assert.ok((await api.getRegisteredModel({ name: 'empty-model' })).registered_model);
        // The next version registered here is 4, never 2 again.
        const { model_version: next } = await api.createModelVersion({ name: 'churn-model', source: v3.source, run_id: OWL });
        assert.equal(next.version, '4');
      });
    });

    it('a second import of the same folder adds nothing', async () => {
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /Imported 0 runs of 2 experiments \(0 metric points, 0 artifact files\) .*; 5 already there\./);
      assert.match(second.stdout, /versions added 0\./);
      await withStore(ws, async (api) => {
        assert.equal((await history(api, OWL, 'auc')).length, 30);
        const { experiment } = await api.getExperimentByName({ experiment_name: 'churn' });
        const runs = (await api.searchRuns({ experiment_ids: [experiment.experiment_id], run_view_type: 'ALL' })).runs;
        assert.equal(runs.length, 4);
      });
    });
  });

  it('resumes an import that stopped halfway through a run, without doubling its points', async () => {
    const ws = mkdtempSync(path.join(scratch, 'ws-'));
    const auc = readFileSync(path.join(mlruns, CHURN, OWL, 'metrics', 'auc'), 'utf8')
      .trim()
      .split('\n');
    await withStore(ws, async (api) => {
      const { experiment_id } = await api.createExperiment({ name: 'churn' });
      await api.importRun({ run_id: OWL, experiment_id, run_name: 'owl', status: 'RUNNING' });
      await api.logBatch({
        run_id: OWL,
        metrics: auc.slice(0, 10).map((l) => {
          const [timestamp, value, step] = l.split(' ').map(Number) as [number, number, number];
          return { key: 'auc', value, timestamp, step };
        }),
      });
    });
    const r = mlops(['import', 'mlruns', mlruns, '--experiment', 'churn'], ws, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Imported 4 runs of 1 experiment /);
    await withStore(ws, async (api) => {
      assert.equal((await history(api, OWL, 'auc')).length, 30);
      assert.equal((await api.getRun({ run_id: OWL })).run.info.status, 'FINISHED');
      await assert.rejects(api.getRun({ run_id: SCRATCH_RUN }), /not found/);
    });
  });

  it('imports through the endpoint of the process that holds the store (the editor, or mlops serve)', async () => {
    const ws = mkdtempSync(path.join(scratch, 'ws-'));
    let serve: ChildProcess | undefined;
    try {
      ({ process: serve } = await startServe(ws));
      const r = await mlopsAsync(['import', 'mlruns', mlruns, '--experiment', 'churn'], ws, env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Imported 4 runs of 1 experiment \(66 metric points, 3 artifact files\)/);
    } finally {
      serve?.kill();
      await new Promise((resolve) => (serve?.exitCode !== null ? resolve(undefined) : serve.once('exit', resolve)));
    }
    await withStore(ws, async (api) => {
      assert.equal((await history(api, OWL, 'odd')).length, 3);
      assert.equal((await api.getModelVersion({ name: 'churn-model', version: '3' })).model_version.current_stage, 'Production');
    });
  });

  it('names the file and line of a malformed metric, the missing folder, and an unknown experiment', () => {
    const ws = mkdtempSync(path.join(scratch, 'ws-'));
    const broken = path.join(scratch, 'broken', 'mlruns');
    cpSync(FIXTURE, broken, { recursive: true });
    const lossFile = path.join(broken, CHURN, OWL, 'metrics', 'loss');
    writeFileSync(lossFile, `${readFileSync(lossFile, 'utf8')}1796339591034 lots 31\n`);
    const bad = mlops(['import', 'mlruns', broken, '--experiment', 'churn'], ws, env);
    assert.equal(bad.code, 2, bad.stdout);
    assert.ok(bad.stderr.includes(`${lossFile}:31: value "lots" is not a number`), bad.stderr);

    const missing = mlops(['import', 'mlruns', path.join(scratch, 'nowhere')], ws, env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere: no such folder/);

    const unknown = mlops(['import', 'mlruns', mlruns, '--experiment', 'fraud'], ws, env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /has no active experiment 'fraud'; it has 'Default', 'churn'/);
  });
});
