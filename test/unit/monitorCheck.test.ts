import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataFileError } from '../../client/src/core/drift';
import {
  checkMonitor,
  dataDriftInWorker,
  formatMonitorResult,
  loadMonitor,
  monitorHistory,
  MonitorInvalidError,
} from '../../client/src/core/monitor';
import type { TrackingApi } from '../../client/src/core/tracking/repository';
import { openTrackingStore, type TrackingStore } from '../../client/src/core/tracking/store';
import { tempWorkspace } from '../helpers/trackingFiles';
import { copyChurnSample } from '../helpers/cli';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

describe('checkMonitor on a copy of samples/churn with a real store on disk', () => {
  const temp = tempWorkspace();
  let dir: string;
  let store: TrackingStore;
  let api: TrackingApi;
  const monitorFile = () => path.join(dir, 'churn.monitor.yaml');
  const write = (name: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  before(async () => {
    dir = temp.dirs();
    // As a clean clone has it: no store and none of the pipeline's outputs.
    copyChurnSample(dir);
    store = await openTrackingStore({ workspaceDir: dir, inProcess: true });
    api = store.api;
  });
  after(async () => {
    await store.close();
    temp.cleanup();
  });

  /** A run with metrics, registered as a version of customer_churn moved to `stage`. */
  async function registeredRun(metrics: Record<string, number>, stage: string): Promise<string> {
    const { experiment_id } = await api.createExperiment({ name: `exp-${Object.values(metrics).join('-')}-${stage}` });
    const { run } = await api.createRun({ experiment_id, start_time: T0 });
    for (const [key, value] of Object.entries(metrics))
      await api.logMetric({ run_id: run.info.run_id, key, value, timestamp: T0, step: 0 });
    await api.createRegisteredModel({ name: 'customer_churn' }).catch(() => undefined);
    const { model_version } = await api.createModelVersion({ name: 'customer_churn', source: 'file:///m', run_id: run.info.run_id });
    await api.transitionModelVersionStage({
      name: 'customer_churn',
      version: model_version.version,
      stage,
      archive_existing_versions: true,
    });
    return run.info.run_id;
  }

  it('finds the sample drift (2 of 5 columns), records it in the history and reports the retraining trigger', async () => {
    const check = await checkMonitor(monitorFile(), { api, now: () => T0 });
    const { result } = check;
    assert.equal(check.recorded, true);
    assert.equal(result.status, 'drift');
    assert.equal(result.monitor, 'churn-monitor');
    assert.equal(result.time, T0);
    assert.deepEqual(
      result.data?.columns.filter((c) => c.drift).map((c) => c.column),
      ['avg_order_value', 'days_since_last_order'],
    );
    assert.equal(result.data?.referenceFile, 'data/churn.csv');
    assert.deepEqual(result.data?.currentFiles, ['data/incoming/batch-001.csv']);
    assert.deepEqual(result.performance, { skipped: 'no live metrics yet: reports/live_metrics.json not found' });
    assert.deepEqual(result.onDrift, {
      notify: true,
      pipeline: path.join(dir, 'churn.pipeline.yaml'),
      params: { input_data: 'data/labels-batch-001.csv' },
    });
    const history = await monitorHistory(api, 'churn-monitor');
    assert.equal(history.length, 1);
    assert.equal(history[0]!.status, 'drift');
    assert.deepEqual(history[0]!.result, JSON.parse(JSON.stringify(result)));
    const text = formatMonitorResult(result);
    assert.match(text, /avg_order_value\s+wasserstein\s+0\.8102\s+d=0\.8102\s+>= 0\.1\s+DRIFT/);
    assert.match(text, /Verdict: DRIFT/);
    assert.match(text, /On drift: run churn\.pipeline\.yaml with input_data=data\/labels-batch-001\.csv/);
  });

  it('gives the same data result from its worker thread as in process, and the same error classes', async () => {
    const config = await loadMonitor(monitorFile());
    const [inProcess, inWorker] = await Promise.all([
      checkMonitor(monitorFile(), { now: () => T0 }),
      checkMonitor(monitorFile(), { now: () => T0, runDataDrift: dataDriftInWorker }),
    ]);
    assert.deepEqual(inWorker.result, inProcess.result);
    await assert.rejects(
      dataDriftInWorker({ ...config, reference: 'data/nope.csv' }),
      (e: Error) => e instanceof DataFileError && /nope\.csv/.test(e.message),
    );
  });

  it("compares live metrics with the Production version's run and alerts where |change| > alert_threshold", async () => {
    await registeredRun({ accuracy: 0.81, precision: 0.85, recall: 0.55 }, 'Production');
    write('reports/live_metrics.json', JSON.stringify({ accuracy: 0.72, precision: 0.84, recall: 0.52 }));
    const { result } = await checkMonitor(monitorFile(), { api, now: () => T0 + 1000 });
    const perf = result.performance;
    assert.ok(perf && 'metrics' in perf, JSON.stringify(perf));
    assert.match(perf.baseline, /^customer_churn v1 \(in Production, run [0-9a-f]{32}\)$/);
    assert.equal(perf.current, 'reports/live_metrics.json');
    assert.deepEqual(
      perf.metrics.map((m) => [m.metric, m.alert]),
      [
        ['accuracy', true],
        ['precision', false],
        ['recall', false],
      ],
    );
    assert.ok(Math.abs(perf.metrics[0]!.change! + 0.09) < 1e-12);
    assert.equal(perf.drift, true);
    assert.equal((await monitorHistory(api, 'churn-monitor')).map((h) => h.time).join(), `${T0 + 1000},${T0}`);
  });

  it('takes the baseline by alias or from baseline_run, the current metrics from current_run, and says ok without drift', async () => {
    const baseline = await registeredRun({ accuracy: 0.8 }, 'Staging');
    await api.setRegisteredModelAlias({ name: 'customer_churn', alias: 'champion', version: '2' });
    const { run: live } = await api.createRun({ experiment_id: '0', start_time: T0 });
    await api.logMetric({ run_id: live.info.run_id, key: 'accuracy', value: 0.78, timestamp: T0, step: 0 });
    const file = write(
      'same.monitor.yaml',
      `monitor: same\nmodel: customer_churn\nalias: champion\nreference: data/churn.csv\ncurrent: data/churn.csv\nperformance:\n  metrics: [accuracy]\n  alert_threshold: 0.05\n  current_run: ${live.info.run_id}\n`,
    );
    const byAlias = await checkMonitor(file, { api });
    assert.equal(byAlias.result.status, 'ok');
    assert.equal(byAlias.result.data?.driftedColumns, 0);
    const perf = byAlias.result.performance;
    assert.ok(perf && 'metrics' in perf);
    assert.match(perf.baseline, /^customer_churn v2 \(@champion, run /);
    assert.equal(perf.current, `run ${live.info.run_id}`);
    assert.deepEqual(
      perf.metrics.map((m) => [m.metric, m.baseline, m.current, m.alert]),
      [['accuracy', 0.8, 0.78, false]],
    );

    write(
      'same.monitor.yaml',
      `monitor: same\nreference: data/churn.csv\ncurrent: data/churn.csv\nperformance:\n  metrics: [accuracy, auc]\n  alert_threshold: 0.01\n  baseline_run: ${baseline}\n  current_run: ${live.info.run_id}\n`,
    );
    const byRun = (await checkMonitor(file, { api })).result;
    assert.equal(byRun.status, 'drift');
    const p2 = byRun.performance;
    assert.ok(p2 && 'metrics' in p2);
    assert.equal(p2.baseline, `run ${baseline}`);
    assert.deepEqual(
      p2.metrics.map((m) => [m.metric, m.alert, m.change === null]),
      [
        ['accuracy', true, false],
        ['auc', false, true],
      ],
    );
  });

  it('works without a store: nothing recorded, performance skipped for want of a baseline', async () => {
    const check = await checkMonitor(monitorFile());
    assert.equal(check.recorded, false);
    assert.equal(check.result.status, 'drift');
    assert.deepEqual(check.result.performance, { skipped: 'the tracking store is not available for the baseline metrics' });
  });

  it('records a check whose data is missing as an error that names the file', async () => {
    const file = write('missing.monitor.yaml', 'monitor: missing\nreference: data/nope.csv\ncurrent: data/incoming/*.csv\n');
    const { result, recorded } = await checkMonitor(file, { api });
    assert.equal(result.status, 'error');
    assert.match(result.error ?? '', /reference file not found: data\/nope\.csv/);
    assert.equal(recorded, true);
    assert.equal((await monitorHistory(api, 'missing'))[0]?.status, 'error');
  });

  it('refuses a monitor file with errors, naming each problem, and records nothing', async () => {
    const file = write(
      'bad.monitor.yaml',
      'monitor: bad\nreference: data/churn.csv\ncurrent: data/churn.csv\ndata_drift:\n  method: kss\nfrequency: 1h\n',
    );
    await assert.rejects(checkMonitor(file, { api }), (error: unknown) => {
      assert.ok(error instanceof MonitorInvalidError);
      assert.equal(error.problems.length, 2);
      assert.match(error.message, /bad\.monitor\.yaml:5:11 unknown-method unknown drift method `kss`/);
      assert.match(error.message, /bad\.monitor\.yaml:6:1 unknown-key/);
      return true;
    });
    assert.deepEqual(await monitorHistory(api, 'bad'), []);
  });

  it("checks the editor's unsaved text when given", async () => {
    const { result } = await checkMonitor(monitorFile(), {
      text: 'monitor: edited\nreference: data/churn.csv\ncurrent: data/churn.csv\ncolumns: [plan]\n',
    });
    assert.equal(result.monitor, 'edited');
    assert.deepEqual(
      result.data?.columns.map((c) => [c.column, c.drift]),
      [['plan', false]],
    );
  });
});
