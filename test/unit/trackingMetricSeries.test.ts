import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySchema, MlflowError, WRITE_METHODS } from '../../client/src/core/tracking/repository';
import { SCHEMA_VERSION } from '../../client/src/core/tracking/repository/schema';
import { restApi } from '../../client/src/core/tracking/rest/client';
import { memoryRepository, startTestServer } from '../helpers/restStore';

async function withHistory(n: number, value: (step: number) => number) {
  const { repo } = await memoryRepository();
  const { run } = repo.createRun({ experiment_id: '0', start_time: 1000 });
  const runId = run.info.run_id;
  for (let s = 0; s < n; s += 1000) {
    const metrics = [];
    for (let i = s; i < Math.min(n, s + 1000); i++) metrics.push({ key: 'loss', value: value(i), timestamp: 10_000 + i * 10, step: i });
    repo.logBatch({ run_id: runId, metrics });
  }
  return { repo, runId };
}

describe('tracking repository: metric series for charts', () => {
  it('returns a short history at full resolution, without NaN and infinities, in step order', async () => {
    const { repo, runId } = await withHistory(10, (i) => i / 10);
    repo.logBatch({
      run_id: runId,
      metrics: [
        { key: 'loss', value: 'NaN', timestamp: 1, step: 3 },
        { key: 'loss', value: 'Infinity', timestamp: 2, step: 4 },
      ],
    });
    const series = repo.getMetricSeries({ run_id: runId, metric_key: 'loss' });
    assert.deepEqual(series.steps, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(series.values, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    assert.equal(series.timestamps[2], 10_020);
    assert.equal(series.total, 10);
    assert.equal(series.downsampled, false);
  });

  it('downsamples a long history to at most 2,000 points keeping the extremes, first and last', async () => {
    const { repo, runId } = await withHistory(50_000, (i) => (i === 12_345 ? 99 : i === 40_001 ? -99 : Math.sin(i / 100)));
    const series = repo.getMetricSeries({ run_id: runId, metric_key: 'loss' });
    assert.equal(series.total, 50_000);
    assert.equal(series.downsampled, true);
    assert.ok(series.steps.length <= 2000 && series.steps.length > 1500, `${series.steps.length} points`);
    assert.ok(
      series.steps.every((s, i) => i === 0 || series.steps[i - 1]! < s),
      'in step order',
    );
    assert.equal(series.steps[0], 0);
    assert.equal(series.steps.at(-1), 49_999);
    assert.equal(series.values[series.steps.indexOf(12_345)], 99);
    assert.equal(series.values[series.steps.indexOf(40_001)], -99);
    assert.equal(repo.getMetricSeries({ run_id: runId, metric_key: 'loss', max_points: 100 }).steps.length <= 100, true);
  });

  it('reads a history of more than 100,000 points from its block summaries, keeping the extremes', async () => {
    const { repo, runId } = await withHistory(150_000, (i) => (i === 70_001 ? 1e6 : i === 149_000 ? -1e6 : Math.cos(i / 1000)));
    for (const x_axis of ['step', 'time'] as const) {
      const series = repo.getMetricSeries({ run_id: runId, metric_key: 'loss', x_axis });
      assert.equal(series.downsampled, true);
      assert.equal(series.total, 150_000);
      assert.ok(series.steps.length <= 2000, `${series.steps.length} points`);
      assert.ok(
        series.steps.every((s, i) => i === 0 || series.steps[i - 1]! < s),
        'in order',
      );
      assert.equal(Math.max(...series.values), 1e6);
      assert.equal(Math.min(...series.values), -1e6);
    }
    // A range cutting blocks: the edges come from the points themselves.
    const cut = repo.getMetricSeries({ run_id: runId, metric_key: 'loss', min_x: 1000.5, max_x: 140_100 });
    assert.equal(cut.steps[0], 1001);
    assert.equal(cut.steps.at(-1), 140_100);
    assert.equal(cut.total, 139_100);
  });

  it('re-queries a zoomed range at full resolution once it is small, on either axis', async () => {
    const { repo, runId } = await withHistory(50_000, (i) => i);
    const zoomed = repo.getMetricSeries({ run_id: runId, metric_key: 'loss', min_x: 20_000, max_x: 21_499 });
    assert.equal(zoomed.downsampled, false);
    assert.equal(zoomed.steps.length, 1500);
    assert.equal(zoomed.steps[0], 20_000);
    const byTime = repo.getMetricSeries({
      run_id: runId,
      metric_key: 'loss',
      x_axis: 'time',
      min_x: 10_000 + 100 * 10,
      max_x: 10_000 + 199 * 10,
    });
    assert.deepEqual([byTime.steps[0], byTime.steps.at(-1), byTime.total], [100, 199, 100]);
    const wide = repo.getMetricSeries({ run_id: runId, metric_key: 'loss', x_axis: 'time', min_x: 10_000, max_x: 10_000 + 30_000 * 10 });
    assert.equal(wide.downsampled, true);
    assert.ok(wide.timestamps.every((t, i) => i === 0 || wide.timestamps[i - 1]! <= t));
  });

  it('returns only the points after a (step, timestamp) cursor, for live appends', async () => {
    const { repo, runId } = await withHistory(100, (i) => i);
    repo.logMetric({ run_id: runId, key: 'loss', value: 7, timestamp: 999_999, step: 99 });
    const tail = repo.getMetricSeries({ run_id: runId, metric_key: 'loss', after_step: 98, after_timestamp: 10_000 + 98 * 10 });
    assert.deepEqual(tail.steps, [99, 99]);
    assert.deepEqual(tail.values, [99, 7]);
  });

  it('is a read, and refuses unknown runs and bad arguments', async () => {
    const { repo, runId } = await withHistory(10, (i) => i);
    assert.ok(!WRITE_METHODS.has('getMetricSeries'));
    assert.throws(
      () => repo.getMetricSeries({ run_id: 'nope', metric_key: 'loss' }),
      (e: unknown) => e instanceof MlflowError && e.errorCode === 'RESOURCE_DOES_NOT_EXIST',
    );
    assert.throws(
      () => repo.getMetricSeries({ run_id: runId, metric_key: 'loss', max_points: 2 }),
      (e: unknown) => e instanceof MlflowError && e.errorCode === 'INVALID_PARAMETER_VALUE',
    );
    assert.deepEqual(repo.getMetricSeries({ run_id: runId, metric_key: 'absent' }).steps, []);
  });

  it('is served over REST as GET /mlops/metrics/series, so peer windows draw the same', async () => {
    const server = await startTestServer();
    try {
      const { run } = server.repo.createRun({ experiment_id: '0', start_time: 1 });
      server.repo.logBatch({
        run_id: run.info.run_id,
        metrics: Array.from({ length: 30 }, (_, i) => ({ key: 'a b', value: i, timestamp: 100 + i, step: i })),
      });
      const api = restApi(server.url, { token: server.token });
      const series = await api.getMetricSeries({ run_id: run.info.run_id, metric_key: 'a b', x_axis: 'time', min_x: 105, max_x: 109.5 });
      assert.deepEqual(
        series,
        server.repo.getMetricSeries({ run_id: run.info.run_id, metric_key: 'a b', x_axis: 'time', min_x: 105, max_x: 109.5 }),
      );
      assert.deepEqual(series.steps, [5, 6, 7, 8, 9]);
      await assert.rejects(api.getMetricSeries({ run_id: run.info.run_id, metric_key: 'a b', x_axis: 'epoch' as 'time' }), /x_axis/);
    } finally {
      await server.stop();
    }
  });

  it('builds the block summaries of existing histories when a version 2 database is opened', async () => {
    const { db, repo } = await memoryRepository();
    const { run } = repo.createRun({ experiment_id: '0', start_time: 1 });
    repo.logBatch({
      run_id: run.info.run_id,
      metrics: Array.from({ length: 600 }, (_, i) => ({ key: 'k', value: i === 300 ? -5 : i % 7, timestamp: 1000 + i, step: i })),
    });
    repo.logBatch({ run_id: run.info.run_id, metrics: [{ key: 'k', value: 'NaN', timestamp: 1, step: 2 }] });
    const blocks = () =>
      db.exec(
        'SELECT block, n, min_step, max_step, min_ts, max_ts, lo_value, lo_step, hi_value, hi_step FROM metric_blocks ORDER BY block',
      )[0]?.values;
    const kept = blocks();
    assert.deepEqual(kept?.[1], [1, 256, 256, 511, 1256, 1511, -5, 300, 6, 258]);
    // As a version 2 file has it: no block summaries, and none of the later tables.
    db.exec('DROP TABLE metric_blocks; DROP TABLE online_features; DROP TABLE materializations; PRAGMA user_version = 2');
    applySchema(db);
    assert.equal(db.exec('PRAGMA user_version')[0]?.values[0]?.[0], SCHEMA_VERSION);
    assert.deepEqual(blocks(), kept);
  });
});
