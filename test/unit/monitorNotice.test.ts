import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MonitorCheckResult } from '../../common/src/monitor/result';
import { driftNotice, summarizeResult } from '../../client/src/core/monitor';

const column = (name: string, drift: boolean) => ({
  column: name,
  kind: 'numeric' as const,
  method: 'ks',
  statistic: 0.3,
  measure: 'p_value' as const,
  value: drift ? 0.001 : 0.5,
  threshold: 0.05,
  drift,
  reference: { count: 10, missing: 0 },
  current: { count: 10, missing: 0 },
  uniqueValues: 10,
});
function result(status: MonitorCheckResult['status'], extra: Partial<MonitorCheckResult> = {}): MonitorCheckResult {
  return {
    version: 1,
    monitor: 'churn-monitor',
    file: '/w/churn.monitor.yaml',
    time: 0,
    status,
    data: {
      referenceFile: 'a.csv',
      currentFiles: ['b.csv'],
      referenceRows: 10,
      currentRows: 10,
      method: 'auto',
      columns: [column('x', status === 'drift'), column('y', false)],
      skipped: [],
      driftedColumns: status === 'drift' ? 1 : 0,
      share: status === 'drift' ? 0.5 : 0,
      datasetDriftShare: 0.5,
      datasetDrift: status === 'drift',
    },
    onDrift: { notify: true, pipeline: '/w/churn.pipeline.yaml', params: { input_data: 'data/new.csv' } },
    ...extra,
  };
}

describe('what the editor says after a drift check', () => {
  it('offers Show Report and Retrain on drift from a command, and asks before retraining', () => {
    const notice = driftNotice(result('drift'), 'command', 'ok', false);
    assert.deepEqual(notice, {
      severity: 'warning',
      text: 'drift in churn-monitor: 1 of 2 columns drifted (dataset drift).',
      actions: ['Show Report', 'Retrain'],
      retrainNow: false,
    });
  });

  it('starts retraining at once with mlops.monitor.autoRetrain, and says so', () => {
    const notice = driftNotice(result('drift'), 'command', undefined, true)!;
    assert.equal(notice.retrainNow, true);
    assert.deepEqual(notice.actions, ['Show Report']);
    assert.match(notice.text, /Retraining started: churn\.pipeline\.yaml with input_data=data\/new\.csv\.$/);
  });

  it('offers no Retrain without on_drift.run_pipeline', () => {
    const notice = driftNotice(result('drift', { onDrift: { notify: true, params: {} } }), 'command', undefined, true)!;
    assert.deepEqual(notice.actions, ['Show Report']);
    assert.equal(notice.retrainNow, false);
  });

  it('keeps automatic checks quiet unless drift is new, and honours notify: false', () => {
    assert.equal(driftNotice(result('ok'), 'schedule', 'drift', false), undefined);
    assert.equal(driftNotice(result('drift'), 'schedule', 'drift', false), undefined);
    assert.match(driftNotice(result('drift'), 'fileChange', 'ok', false)!.text, /\(new current data\)/);
    assert.match(driftNotice(result('drift'), 'schedule', undefined, false)!.text, /\(scheduled check\)/);
    assert.equal(driftNotice(result('drift', { onDrift: { notify: false, params: {} } }), 'schedule', 'ok', false), undefined);
    assert.equal(driftNotice(result('error', { error: 'x' }), 'schedule', 'error', false), undefined);
  });

  it('answers a command with no drift, and an error naming the problem', () => {
    assert.deepEqual(driftNotice(result('ok'), 'command', undefined, false), {
      severity: 'info',
      text: 'no drift in churn-monitor: 0 of 2 columns drifted.',
      actions: ['Show Report'],
      retrainNow: false,
    });
    const { data: _data, ...noData } = result('error', { error: 'reference file not found: a.csv' });
    assert.equal(
      driftNotice(noData as MonitorCheckResult, 'command', undefined, false)!.text,
      'churn-monitor was not checked: reference file not found: a.csv',
    );
  });

  it('summarizes performance alerts', () => {
    const r = result('drift', {
      performance: {
        baseline: 'v1',
        current: 'live.json',
        alertThreshold: 0.05,
        drift: true,
        metrics: [{ metric: 'accuracy', baseline: 0.8, current: 0.7, change: -0.1, alert: true }],
      },
    });
    assert.equal(summarizeResult(r), '1 of 2 columns drifted (dataset drift); performance alert: accuracy -0.1000');
  });
});
