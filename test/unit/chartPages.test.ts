import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUN_COLORS, runStyle } from '../../common/src/charts/runColors';
import type { CompareRun } from '../../common/src/protocol/chartMessages';
import { metricsCsv } from '../../client/src/core/charts/metricsCsv';
import { storeRange } from '../../client/src/core/charts/metricsHandler';
import { compareColumns, scatterData, sortRuns } from '../../webviews/src/compare/table';
import { emaSmooth } from '../../webviews/src/shared/smoothing';

const run = (runId: string, params: Record<string, string>, metrics: Record<string, number | string>): CompareRun => ({
  runId,
  name: runId,
  status: 'FINISHED',
  startTime: 0,
  style: runStyle(runId),
  params,
  metrics,
});

describe('chart pages: pure parts', () => {
  it('gives each run a stable style from its id, spread over the six theme colours, solid or dashed', () => {
    assert.deepEqual(runStyle('abc'), runStyle('abc'));
    const styles = Array.from({ length: 600 }, (_, i) => runStyle(`run-${i}`));
    for (const color of RUN_COLORS) assert.ok(styles.filter((s) => s.color === color).length > 50, color);
    assert.ok(styles.some((s) => s.dashed) && styles.some((s) => !s.dashed));
  });

  it('smooths like TensorBoard: debiased EMA, identity at 0, constants stay constant', () => {
    assert.deepEqual(emaSmooth([1, 2, 3], 0), [1, 2, 3]);
    const smoothed = emaSmooth([1, 0, 1, 0], 0.5);
    assert.equal(smoothed[0], 1, 'the first point is not pulled to zero');
    assert.ok(Math.abs(smoothed[1]! - 1 / 3) < 1e-12);
    assert.deepEqual(emaSmooth([5, 5, 5], 0.9), [5, 5, 5]);
    assert.ok(Number.isNaN(emaSmooth([1, Number.NaN, 1], 0.5)[1]!));
  });

  it('marks the columns that differ, and sorts numbers numerically with missing values last', () => {
    const runs = [
      run('a', { lr: '0.1', depth: '4' }, { auc: 0.8 }),
      run('b', { lr: '0.01', depth: '4' }, { auc: 0.9 }),
      run('c', { lr: '1e-3', depth: '4' }, {}),
    ];
    const columns = compareColumns(runs);
    assert.deepEqual(
      columns.map((c) => `${c.id}${c.differs ? '*' : ''}`),
      ['name', 'status', 'params.depth', 'params.lr*', 'metrics.auc*'],
    );
    assert.deepEqual(
      sortRuns(runs, { kind: 'param', key: 'lr' }, false).map((r) => r.runId),
      ['c', 'b', 'a'],
    );
    assert.deepEqual(
      sortRuns(runs, { kind: 'metric', key: 'auc' }, true).map((r) => r.runId),
      ['b', 'a', 'c'],
    );
    assert.deepEqual(
      sortRuns(runs, { kind: 'metric', key: 'auc' }, false).map((r) => r.runId),
      ['a', 'b', 'c'],
    );
  });

  it('scatters a metric against a numeric param, or against the values of a text param', () => {
    const runs = [
      run('a', { lr: '0.1', opt: 'sgd' }, { auc: 0.8 }),
      run('b', { lr: '0.01', opt: 'adam' }, { auc: 0.9 }),
      run('c', { lr: '0.5' }, { auc: 'NaN' }),
    ];
    assert.deepEqual(scatterData(runs, 'auc', 'lr'), {
      points: [
        { x: 0.1, y: 0.8, runId: 'a' },
        { x: 0.01, y: 0.9, runId: 'b' },
      ],
    });
    assert.deepEqual(scatterData(runs, 'auc', 'opt'), {
      categories: ['adam', 'sgd'],
      points: [
        { x: 1, y: 0.8, runId: 'a' },
        { x: 0, y: 0.9, runId: 'b' },
      ],
    });
  });

  it('maps a zoomed relative range to each run’s wall time, and writes CSV fields safely', () => {
    assert.deepEqual(storeRange('relative', { min: 1, max: 2.5 }, { startTime: 10_000 }), { min_x: 11_000, max_x: 12_500 });
    assert.deepEqual(storeRange('step', { min: 1, max: 2.5 }, { startTime: 10_000 }), { min_x: 1, max_x: 2.5 });
    const csv = metricsCsv('lo,ss', [{ runId: 'r1', runName: 'a\nb', metrics: [{ key: 'lo,ss', value: 'NaN', step: 1, timestamp: 2 }] }]);
    assert.equal(csv, 'run_id,run_name,key,step,timestamp,value\nr1,"a\nb","lo,ss",1,2,NaN\n');
  });
});
