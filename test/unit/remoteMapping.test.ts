import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTrackingUri, chooseTracking, credentialsEnv, credentialsFromEnv } from '../../client/src/core/tracking/choice';
import { metricHistory } from '../../client/src/core/tracking/listing';
import { seriesOf } from '../../client/src/core/tracking/remote/historySeries';
import { monitorMetrics, monitorTags } from '../../client/src/core/tracking/remote/monitorRuns';
import { filterString, metricKey, runStatusOfStep, stepOfRun, stepTags } from '../../client/src/core/tracking/remote/runMapping';
import type { Metric, Run, StepRecord } from '../../client/src/core/tracking/repository';

function runWith(tags: Record<string, string>, info: Partial<Run['info']> = {}): Run {
  return {
    info: {
      run_id: 'c'.repeat(32),
      run_uuid: 'c'.repeat(32),
      run_name: 'train',
      experiment_id: '1',
      user_id: '',
      status: 'FINISHED',
      start_time: 1000,
      end_time: 5000,
      artifact_uri: 'mlflow-artifacts:/1/c/artifacts',
      lifecycle_stage: 'active',
      ...info,
    },
    data: { metrics: [], params: [], tags: Object.entries(tags).map(([key, value]) => ({ key, value })) },
    inputs: { dataset_inputs: [] },
  } as Run;
}

describe('steps as nested runs (runMapping)', () => {
  it('a step record survives the trip through tags and back', () => {
    const record: StepRecord = {
      run_id: 'p'.repeat(32),
      step_id: 'train',
      status: 'FAILED',
      start_time: 1200,
      end_time: 4800,
      exit_code: 3,
      cached: false,
      log_path: '/w/.mlops/runs/p/train.log',
      cache_key: 'k'.repeat(64),
      attempts: 2,
      message: 'exit code 3',
      outputs_digest: 'd'.repeat(64),
    };
    const tags = Object.fromEntries(stepTags(record).map((t) => [t.key, t.value]));
    const back = stepOfRun(
      runWith({ ...tags, 'mlflow.parentRunId': record.run_id, 'mlops.step': 'train' }, { status: 'FAILED', end_time: 4800 }),
    );
    // Read back, the record also names the nested run that holds the step's log and outputs.
    assert.deepEqual(back, { ...record, step_run_id: 'c'.repeat(32) });
  });

  it('maps step states onto MLflow run states, and back when the exact tag is missing', () => {
    assert.deepEqual((['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'] as const).map(runStatusOfStep), [
      'SCHEDULED',
      'RUNNING',
      'FINISHED',
      'FAILED',
      'KILLED',
      'KILLED',
    ]);
    const step = stepOfRun(runWith({ 'mlflow.parentRunId': 'p', 'mlops.step': 's' }, { status: 'KILLED' }));
    assert.equal(step?.status, 'CANCELLED');
    assert.equal(step?.cached, false);
  });

  it('a nested run that is not a step (no mlops.step tag) is not read as one', () => {
    assert.equal(stepOfRun(runWith({ 'mlflow.parentRunId': 'p' })), undefined);
    assert.equal(stepOfRun(runWith({ 'mlops.step': 's' })), undefined);
  });

  it('filter values are quoted, and a quote is refused rather than escaped wrongly', () => {
    assert.equal(filterString('abc'), "'abc'");
    assert.throws(() => filterString("a'b"), /quote/);
  });

  it('metric keys keep what MLflow allows and replace the rest', () => {
    assert.equal(metricKey('drift/age (years)/p_value'), 'drift/age _years_/p_value');
    assert.equal(metricKey('x'.repeat(300)).length, 250);
  });
});

describe('monitor checks as runs', () => {
  it('per-column statistics and performance changes become finite metrics', () => {
    const metrics = monitorMetrics(
      {
        version: 1,
        monitor: 'm',
        file: '/m.monitor.yaml',
        time: 7,
        status: 'drift',
        data: {
          referenceFile: 'r.csv',
          currentFiles: ['c.csv'],
          referenceRows: 10,
          currentRows: 10,
          method: 'auto',
          columns: [
            {
              column: 'age',
              kind: 'numeric',
              method: 'ks',
              statistic: 0.5,
              measure: 'p_value',
              value: 0.01,
              threshold: 0.05,
              drift: true,
              reference: { count: 10, missing: 0 },
              current: { count: 10, missing: 0 },
              uniqueValues: 9,
            },
            {
              column: 'plan',
              kind: 'categorical',
              method: 'chisquare',
              statistic: null,
              measure: 'p_value',
              value: 0.9,
              threshold: 0.05,
              drift: false,
              reference: { count: 10, missing: 0 },
              current: { count: 10, missing: 0 },
              uniqueValues: 3,
            },
          ],
          skipped: [],
          driftedColumns: 1,
          share: 0.5,
          datasetDriftShare: 0.5,
          datasetDrift: true,
        },
        performance: {
          baseline: 'v1',
          current: 'live',
          alertThreshold: 0.05,
          drift: true,
          metrics: [{ metric: 'auc', baseline: 0.9, current: 0.8, change: -0.1, alert: true }],
        },
      },
      7,
    );
    const byKey = Object.fromEntries(metrics.map((m) => [m.key, m.value]));
    assert.deepEqual(byKey, {
      'drift/share': 0.5,
      'drift/drifted_columns': 1,
      'drift/age/p_value': 0.01,
      'drift/age/statistic': 0.5,
      'drift/age/drift': 1,
      'drift/plan/p_value': 0.9,
      'drift/plan/drift': 0,
      'performance/auc/current': 0.8,
      'performance/auc/baseline': 0.9,
      'performance/auc/change': -0.1,
    });
    assert.ok(metrics.every((m) => m.timestamp === 7 && m.step === 0));
    assert.deepEqual(monitorMetrics({ not: 'a result' }, 1), []);
  });

  it('a result without its file gets no file tag, rather than an undefined one the server answers with a 500', () => {
    const payload = { version: 1, monitor: 'm', time: 7, status: 'ok' };
    const tags = monitorTags({ monitor: 'm', time: 7, status: 'ok', payload });
    assert.deepEqual(
      tags.map((t) => t.key),
      ['mlops.monitor', 'mlops.monitor.status'],
    );
    assert.ok(tags.every((t) => typeof t.value === 'string'));
    const withFile = monitorTags({ monitor: 'm', time: 7, status: 'ok', payload: { ...payload, file: '/w/m.monitor.yaml' } });
    assert.equal(withFile.find((t) => t.value === '/w/m.monitor.yaml')?.key, 'mlops.monitor.file');
  });
});

describe('metric series from get-history pages (historySeries)', () => {
  const history: Metric[] = Array.from({ length: 10_000 }, (_, i) => ({
    key: 'loss',
    value: i === 5000 ? 99 : i === 7000 ? 'NaN' : Math.sin(i / 100),
    timestamp: 1_000_000 + i * 10,
    step: i,
  }));

  it('fetches page after page until there is no token', async () => {
    const calls: (string | undefined)[] = [];
    const all = await metricHistory(
      {
        getMetricHistory: async (req) => {
          calls.push(req.page_token);
          assert.equal(req.max_results, 25_000);
          const start = req.page_token ? Number(req.page_token) : 0;
          const next = start + 4000;
          return { metrics: history.slice(start, next), ...(next < history.length ? { next_page_token: String(next) } : {}) };
        },
      },
      'r',
      'loss',
    );
    assert.equal(all.length, 10_000);
    assert.deepEqual(calls, [undefined, '4000', '8000']);
  });

  it('downsamples to at most max_points, keeping spikes, first and last, leaving NaN out', () => {
    const series = seriesOf(history, { run_id: 'r', metric_key: 'loss', max_points: 500 });
    assert.equal(series.total, 9_999);
    assert.equal(series.downsampled, true);
    assert.ok(series.values.length <= 500);
    assert.ok(series.values.includes(99));
    assert.equal(series.steps[0], 0);
    assert.equal(series.steps.at(-1), 9_999);
    assert.ok(!series.steps.includes(7000));
  });

  it('honours a step range, the time axis and after_step like the workspace store', () => {
    const ranged = seriesOf(history, { run_id: 'r', metric_key: 'loss', min_x: 100, max_x: 199 });
    assert.deepEqual([ranged.total, ranged.downsampled, ranged.steps[0], ranged.steps.at(-1)], [100, false, 100, 199]);
    const timed = seriesOf(history, { run_id: 'r', metric_key: 'loss', x_axis: 'time', min_x: 1_000_000, max_x: 1_000_090 });
    assert.deepEqual(timed.steps, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const after = seriesOf(history, { run_id: 'r', metric_key: 'loss', after_step: 9_997, after_timestamp: 1_000_000 + 9_997 * 10 });
    assert.deepEqual(after.steps, [9_998, 9_999]);
    assert.throws(() => seriesOf(history, { run_id: 'r', metric_key: 'loss', max_points: 2 }), /at least 4/);
  });
});

describe('choosing the store (choice.ts)', () => {
  it('takes --tracking-uri, then MLFLOW_TRACKING_URI, then the workspace', () => {
    const env = { MLFLOW_TRACKING_URI: 'https://mlflow.team.example/' };
    assert.deepEqual(chooseTracking({ flag: 'http://a:5000', env }), { kind: 'remote', url: 'http://a:5000', from: 'flag' });
    assert.deepEqual(chooseTracking({ env }), { kind: 'remote', url: 'https://mlflow.team.example', from: 'environment' });
    assert.deepEqual(chooseTracking({ env: {} }), { kind: 'workspace' });
    assert.deepEqual(chooseTracking({ flag: 'workspace', env }), { kind: 'workspace' });
    // The editor's own endpoint in its terminals, or a file store path, means the workspace.
    assert.deepEqual(chooseTracking({ env: { MLFLOW_TRACKING_URI: 'http://127.0.0.1:4000' }, workspaceUrl: 'http://127.0.0.1:4000' }), {
      kind: 'workspace',
    });
    assert.deepEqual(chooseTracking({ env: { MLFLOW_TRACKING_URI: 'file:///tmp/mlruns' } }), { kind: 'workspace' });
  });

  it('refuses what is not an http(s) server, naming where it came from', () => {
    assert.throws(
      () => checkTrackingUri('sqlite:///x.db', '--tracking-uri'),
      /--tracking-uri: 'sqlite:\/\/\/x.db' is not an http\(s\) tracking server; a local store/,
    );
    assert.throws(() => checkTrackingUri('nonsense', 'mlops.tracking.uri'), /mlops.tracking.uri: 'nonsense' is not a URL/);
    assert.throws(() => checkTrackingUri('https://me:pw@host', 'x'), /not in the URL/);
  });

  it('reads a token before a user and password, and hands either on', () => {
    assert.deepEqual(credentialsFromEnv({ MLFLOW_TRACKING_TOKEN: 't', MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' }), {
      token: 't',
    });
    assert.deepEqual(credentialsFromEnv({ MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: '' }), { username: 'u', password: '' });
    assert.equal(credentialsFromEnv({ MLFLOW_TRACKING_USERNAME: 'u' }), undefined);
    assert.deepEqual(credentialsEnv({ username: 'u', password: 'p' }), { MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' });
    assert.deepEqual(credentialsEnv(undefined), {});
  });
});
